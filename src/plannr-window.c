/* plannr-window.c: the libpurple conversation that shows a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-window.h"

typedef struct
{
  /* lower-case uuid -> the name its chat is known by, where that is not
   * the uuid; kept after the chat closes, so that it opens again under
   * the same name (in BitlBee: in the channel the user chose). */
  GHashTable *names;
} Windows;

static Windows *
windows_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_window_component);
}

const char *
plannr_window_name (PlannrConnection *conn,
                    const char       *uuid)
{
  Windows *windows = windows_get (conn);
  const char *name = windows != NULL && uuid != NULL ? g_hash_table_lookup (windows->names, uuid) : NULL;

  return name != NULL ? name : uuid;
}

void
plannr_window_set_name (PlannrConnection *conn,
                        const char       *uuid,
                        const char       *name)
{
  Windows *windows = windows_get (conn);
  GHashTableIter iter;
  gpointer value;

  if (windows == NULL || uuid == NULL)
    return;
  if (name == NULL || g_strcmp0 (name, uuid) == 0)
    {
      g_hash_table_remove (windows->names, uuid);
      return;
    }

  /* One name, one conversation: another one known by it goes back to
   * its uuid. */
  g_hash_table_iter_init (&iter, windows->names);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (value, name) == 0)
      g_hash_table_iter_remove (&iter);
  g_hash_table_replace (windows->names, g_strdup (uuid), g_strdup (name));
}

char *
plannr_window_uuid (PlannrConnection *conn,
                    const char       *name)
{
  Windows *windows = windows_get (conn);
  GHashTableIter iter;
  gpointer key, value;

  if (name == NULL)
    return NULL;
  if (windows != NULL)
    {
      g_hash_table_iter_init (&iter, windows->names);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_strcmp0 (value, name) == 0)
          return g_strdup (key);
    }
  return plannr_uuid_is_valid (name) ? g_ascii_strdown (name, -1) : NULL;
}

PurpleConversation *
plannr_window_find (PlannrConnection *conn,
                    const char       *uuid)
{
  PurpleConversation *pconv;

  if (uuid == NULL)
    return NULL;
  pconv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_CHAT, plannr_window_name (conn, uuid),
                                                 plannr_connection_get_account (conn));
  if (pconv == NULL || purple_conv_chat_has_left (PURPLE_CONV_CHAT (pconv)))
    return NULL;
  return pconv;
}

/* --- the component ------------------------------------------------------- */

static gpointer
window_create (PlannrConnection *conn)
{
  Windows *windows = g_new0 (Windows, 1);

  windows->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return windows;
}

static void
window_destroy (gpointer state)
{
  Windows *windows = state;

  g_hash_table_unref (windows->names);
  g_free (windows);
}

const PlannrComponent plannr_window_component = {
  .name = "window",
  .create = window_create,
  .destroy = window_destroy,
};
