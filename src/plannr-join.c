/* plannr-join.c: joining a conversation by name or id
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-chat.h"
#include "plannr-create.h"
#include "plannr-join.h"
#include "plannr-participants.h"
#include "plannr-text.h"

GList *
plannr_join_chat_info (PurpleConnection *pc)
{
  GList *entries = NULL;
  struct proto_chat_entry *entry;

  entry = g_new0 (struct proto_chat_entry, 1);
  entry->label = _("Conversation _name:");
  entry->identifier = "name";
  entry->required = FALSE;
  entries = g_list_append (entries, entry);

  entry = g_new0 (struct proto_chat_entry, 1);
  entry->label = _("Conversation _id (instead of the name):");
  entry->identifier = "uuid";
  entry->required = FALSE;
  entries = g_list_append (entries, entry);

  return entries;
}

GHashTable *
plannr_join_info_defaults (PurpleConnection *pc,
                           const char       *chat_name)
{
  GHashTable *defaults = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  PlannrConnection *conn = plannr_connection_get (pc);

  if (chat_name == NULL)
    return defaults;

  /* As given: the chat is then known by exactly this (see get_name). */
  if (plannr_uuid_is_valid (chat_name))
    {
      g_autofree char *lower = g_ascii_strdown (chat_name, -1);
      PlannrConvInfo *info = conn ? plannr_conv_list_lookup (plannr_connection_get_convs (conn),
                                                             lower) : NULL;

      g_hash_table_insert (defaults, "uuid", g_strdup (chat_name));
      if (info != NULL)
        g_hash_table_insert (defaults, "name", g_strdup (info->name));
    }
  else
    g_hash_table_insert (defaults, "name", g_strdup (chat_name));

  return defaults;
}

/* The name the chat joined with @components is known by: the uuid, or,
 * joined by name only, that name exactly as given, untrimmed.  A UI may
 * find its chat again by comparing the conversation's name with what
 * the user typed: BitlBee names its channel's chat by the text of "chat
 * add plannr TEXT #channel" (or the room list's name for "!N") and,
 * when the conversation comes by another name, opens a second channel
 * for it. */
char *
plannr_join_get_name (GHashTable *components)
{
  const char *uuid = g_hash_table_lookup (components, "uuid");
  const char *name = g_hash_table_lookup (components, "name");

  if (plannr_uuid_is_valid (uuid))
    return g_strdup (uuid);
  if (name != NULL && *name != '\0')
    return g_strdup (name);
  return g_strdup (uuid);
}

void
plannr_join (PurpleConnection *pc,
             GHashTable       *components)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  PlannrConvList *convs = plannr_connection_get_convs (conn);
  g_autofree char *uuid = plannr_text_trim (g_hash_table_lookup (components, "uuid"));
  g_autofree char *name = plannr_text_trim (g_hash_table_lookup (components, "name"));
  const char *given_uuid = uuid && plannr_uuid_is_valid (uuid) ? uuid
                           : name && plannr_uuid_is_valid (name) ? name : NULL;
  PlannrConvInfo *info = NULL;
  guint matches = 0;

  if (given_uuid != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (given_uuid, -1);

      /* A uuid not seen yet (the list is still loading, or it is brand
       * new): the server knows; its messages say whether it exists. */
      info = plannr_conv_list_get_or_add (convs, lower, lower);
    }
  else if (name != NULL)
    info = plannr_conv_list_find_by_name (convs, name, &matches);

  /* A name no conversation has: maybe a new one is wanted. */
  if (info == NULL && given_uuid == NULL && uuid == NULL && name != NULL &&
      plannr_conv_list_size (convs) > 0 && plannr_create_offer (conn, name, components))
    return;

  if (info == NULL)
    {
      g_autofree char *secondary = NULL;

      if (plannr_conv_list_size (convs) == 0)
        secondary = g_strdup (_("The list of conversations is still loading; try again in a moment."));
      else if (name == NULL && uuid == NULL)
        secondary = g_strdup (_("Give the name or the id of a conversation."));
      else
        secondary = g_strdup_printf (_("There is no conversation “%s” in this Plannr account."),
                                     uuid ? uuid : name);
      purple_notify_error (pc, _("Plannr"), _("Cannot join the conversation"), secondary);
      purple_serv_got_join_chat_failed (pc, components);
      return;
    }

  if (matches > 1)
    g_debug ("%u conversations share that name; joining the most recent", matches);
  /* Joined again, still open, after being removed: maybe added back. */
  if (info->gone && plannr_chat_is_open (conn, info->uuid))
    {
      info->gone = FALSE;
      plannr_participants_load (conn, info, NULL);
      plannr_chat_poll_soon (conn, info->uuid);
    }
  {
    g_autofree char *window = plannr_join_get_name (components);

    plannr_chat_join (conn, info, window);
  }
}
