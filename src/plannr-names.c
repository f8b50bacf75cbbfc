/* plannr-names.c: a conversation's name, wherever it shows
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-blist.h"
#include "plannr-names.h"
#include "plannr-roomlist.h"
#include "plannr-window.h"

typedef struct
{
  gboolean applying;
} Names;

gboolean
plannr_names_applying (PlannrConnection *conn)
{
  Names *names = plannr_connection_get_state (conn, &plannr_names_component);

  return names != NULL && names->applying;
}

void
plannr_names_show (PlannrConnection *conn,
                   PlannrConvInfo   *info)
{
  Names *names = plannr_connection_get_state (conn, &plannr_names_component);
  const char *name = info->name;
  PurpleChat *chat = plannr_blist_find (conn, info->uuid);
  PurpleConversation *pconv;

  if (chat != NULL)
    {
      g_hash_table_replace (purple_chat_get_components (chat), g_strdup ("name"), g_strdup (name));
      if (g_strcmp0 (chat->alias, name) != 0)
        {
          /* Our own alias change must not come back as a rename. */
          names->applying = TRUE;
          purple_blist_alias_chat (chat, name);
          names->applying = FALSE;
        }
    }

  pconv = plannr_window_find (conn, info->uuid);
  if (pconv != NULL)
    {
      if (g_strcmp0 (purple_conversation_get_title (pconv), name) != 0)
        purple_conversation_set_title (pconv, name);
      if (g_strcmp0 (purple_conv_chat_get_topic (PURPLE_CONV_CHAT (pconv)), name) != 0)
        purple_conv_chat_set_topic (PURPLE_CONV_CHAT (pconv), NULL, name);
    }

  plannr_roomlist_rename (conn, info);
}

static gpointer
names_create (PlannrConnection *conn)
{
  return g_new0 (Names, 1);
}

const PlannrComponent plannr_names_component = {
  .name = "names",
  .create = names_create,
  .destroy = g_free,
};
