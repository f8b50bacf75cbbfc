/* plannr-participants-changes.c: our own changes to an open chat's
 * participants, and who is in it for the user's commands
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What plannr-membership's answers do to the chat's user list (at once,
 * and before any reading that may not show them yet), and the lookups
 * its commands and Info need: by name, by the name the chat shows, by
 * account.
 */
#include "config.h"

#include "plannr-notice.h"
#include "plannr-participants-private.h"

void
plannr_participants_apply (PlannrConnection   *conn,
                           PlannrConvInfo     *info,
                           PlannrConversation *data)
{
  Participants *parts = plannr_participants_state (conn);
  PlannrRoster *roster = plannr_participants_roster (parts, info->uuid);
  gint64 now = g_get_monotonic_time ();

  if (roster == NULL)
    return;
  plannr_roster_changed (roster, now);
  /* An answer without the list (204, an empty body): read it. */
  if (data == NULL || data->participants == NULL)
    plannr_participants_read_later (parts, info->uuid);
  else
    plannr_participants_take_reading (parts, info, data, now);
}

void
plannr_participants_remove (PlannrConnection *conn,
                            PlannrConvInfo   *info,
                            const char       *account_uuid,
                            const char       *reason)
{
  Participants *parts = plannr_participants_state (conn);
  GHashTable *nicks = g_hash_table_lookup (parts->nicks, info->uuid);
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  PlannrRoster *roster = plannr_participants_roster (parts, info->uuid);
  const char *nick = nicks != NULL ? g_hash_table_lookup (nicks, account_uuid) : NULL;

  if (roster != NULL)
    plannr_roster_remove (roster, account_uuid, g_get_monotonic_time ());
  if (pconv == NULL || nick == NULL)
    return;
  purple_conv_chat_remove_user (PURPLE_CONV_CHAT (pconv), nick, reason);
  g_hash_table_remove (nicks, account_uuid);
}

void
plannr_participants_set_admin (PlannrConnection *conn,
                               PlannrConvInfo   *info,
                               const char       *account_uuid,
                               gboolean          admin)
{
  Participants *parts = plannr_participants_state (conn);
  GHashTable *nicks = g_hash_table_lookup (parts->nicks, info->uuid);
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  PlannrRoster *roster = plannr_participants_roster (parts, info->uuid);
  const char *nick = nicks != NULL ? g_hash_table_lookup (nicks, account_uuid) : NULL;

  if (plannr_connection_is_me (conn, account_uuid))
    info->is_admin = admin;
  if (roster != NULL)
    plannr_roster_set_admin (roster, account_uuid, admin, g_get_monotonic_time ());
  if (pconv != NULL && nick != NULL)
    purple_conv_chat_user_set_flags (PURPLE_CONV_CHAT (pconv), nick,
                                     admin ? PURPLE_CBFLAGS_OP : PURPLE_CBFLAGS_NONE);
}

PlannrLookupResult
plannr_participants_find (PlannrConnection *conn,
                          const char       *uuid,
                          const char       *query,
                          GPtrArray        *matches)
{
  Participants *parts = plannr_participants_state (conn);
  PlannrRoster *roster = plannr_participants_roster (parts, uuid);

  /* Each by the name the chat shows too. */
  if (roster == NULL)
    return PLANNR_LOOKUP_NONE;
  return plannr_roster_find (roster, g_hash_table_lookup (parts->nicks, uuid), query, matches);
}

gboolean
plannr_participants_has (PlannrConnection *conn,
                         const char       *uuid,
                         const char       *account_uuid)
{
  GHashTable *nicks = g_hash_table_lookup (plannr_participants_state (conn)->nicks, uuid);

  return nicks != NULL && account_uuid != NULL && g_hash_table_contains (nicks, account_uuid);
}

const PlannrPerson *
plannr_participants_by_nick (PlannrConnection *conn,
                             const char       *uuid,
                             const char       *nick)
{
  Participants *parts = plannr_participants_state (conn);
  PlannrRoster *roster = plannr_participants_roster (parts, uuid);

  if (roster == NULL)
    return NULL;
  return plannr_roster_by_label (roster, g_hash_table_lookup (parts->nicks, uuid), nick);
}

void
plannr_participants_known (PlannrConnection *conn,
                           GPtrArray        *people)
{
  Participants *parts = plannr_participants_state (conn);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, parts->rosters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *each = plannr_roster_people (value);

      for (guint i = 0; i < each->len; i++)
        g_ptr_array_add (people, g_ptr_array_index (each, i));
    }
}

