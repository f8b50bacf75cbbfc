/* plannr-participants.c: who is in an open chat, by display name
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-names.h"
#include "plannr-notice.h"
#include "plannr-participants-private.h"
#include "plannr-text.h"

/* Chats opened together (a burst of messages opens many) read their
 * participants together: one request for up to this many. */
#define BATCH 50


/* Who waits for a chat's participants to be read. */
typedef struct
{
  PlannrParticipantsSettled settled;
} Waiter;

/* A read of a conversation's participants on its way. */
typedef struct
{
  PlannrConnection *conn;
  char             *uuid;
  gint64            started;   /* monotonic µs */
  gboolean          later;     /* a later reading (parts->reading) */
} Load;

Participants *
plannr_participants_state (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_participants_component);
}

static Participants *
participants_get (PlannrConnection *conn)
{
  return plannr_participants_state (conn);
}

static void
load_free (Load *load)
{
  g_free (load->uuid);
  g_free (load);
}

const char *
plannr_participants_my_nick (PlannrConnection *conn)
{
  return purple_account_get_username (plannr_connection_get_account (conn));
}

/* Whether @name is, in case or Unicode form only, a name the user goes
 * by: the display name others see, the username BitlBee and libpurple
 * take for "me", or the sender of the plugin's own lines. */
static gboolean
reads_as_me (PlannrConnection *conn,
             const char       *name)
{
  const char *mine[] = {
    plannr_connection_get_my_name (conn),
    plannr_participants_my_nick (conn),
    PLANNR_NOTICE_SENDER,
  };
  g_autofree char *key = plannr_text_name_key (name);

  for (guint i = 0; i < G_N_ELEMENTS (mine); i++)
    {
      g_autofree char *have = plannr_text_name_key (mine[i]);

      if (g_strcmp0 (key, have) == 0)
        return TRUE;
    }
  return FALSE;
}

const char *
plannr_participants_nick (PlannrConnection *conn,
                          const char       *uuid,
                          const char       *author_uuid,
                          const char       *fallback)
{
  Participants *parts = participants_get (conn);
  GHashTable *nicks = parts && uuid ? g_hash_table_lookup (parts->nicks, uuid) : NULL;
  const char *nick = NULL;

  if (plannr_connection_is_me (conn, author_uuid))
    return plannr_participants_my_nick (conn);
  if (nicks != NULL && author_uuid != NULL)
    nick = g_hash_table_lookup (nicks, author_uuid);
  if (nick != NULL)
    return nick;
  /* Someone who shares my display name or my username, in whatever case
   * or Unicode form, must not read as me. */
  if (fallback != NULL && reads_as_me (conn, fallback))
    return _("Unknown");
  return fallback ? fallback : _("Unknown");
}

/* A chat user name for @person that no one in @taken (name keys) has:
 * chat user names must be unique, and two people may share a display
 * name: the second is told apart by e-mail, the next by number.  Names
 * are told apart by plannr_text_name_key(), which equates every pair
 * libpurple's own comparison does: a participant whose name only
 * differs from one of mine in case or Unicode form must not pass as me. */
static char *
unique_nick (PlannrConnection   *conn,
             GHashTable         *taken,
             const PlannrPerson *person)
{
  char *nick = g_strdup (person->name);

  for (int n = 2; ; n++)
    {
      g_autofree char *key = plannr_text_name_key (nick);

      if (!g_hash_table_contains (taken, key) && !reads_as_me (conn, nick))
        break;
      g_free (nick);
      if (n == 2 && person->email != NULL)
        nick = g_strdup_printf ("%s (%s)", person->name, person->email);
      else
        nick = g_strdup_printf ("%s (%d)", person->name, n);
    }
  g_hash_table_add (taken, plannr_text_name_key (nick));
  return nick;
}

PlannrRoster *
plannr_participants_roster (Participants *parts,
                            const char   *uuid)
{
  return uuid != NULL ? g_hash_table_lookup (parts->rosters, uuid) : NULL;
}

static PlannrRoster *
roster_get (Participants *parts,
            const char   *uuid)
{
  return plannr_participants_roster (parts, uuid);
}

static void
set_participants (Participants       *parts,
                  PlannrConvInfo     *info,
                  PlannrConversation *data)
{
  PlannrConnection *conn = parts->conn;
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  GHashTable *nicks;
  PlannrRoster *roster;
  PurpleConvChat *chat;
  GList *names = NULL, *flags = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (pconv == NULL || data->participants == NULL)
    return;
  chat = PURPLE_CONV_CHAT (pconv);

  nicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (parts->nicks, g_strdup (info->uuid), nicks);
  roster = plannr_roster_new ();
  plannr_roster_update (roster, data, plannr_connection_get_account_uuid (conn), NULL);
  g_hash_table_replace (parts->rosters, g_strdup (info->uuid), roster);

  purple_conv_chat_clear_users (chat);
  for (guint i = 0; i < data->participants->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (data->participants, i);
      gboolean me = plannr_connection_is_me (conn, person->uuid);
      g_autofree char *nick = NULL;
      PurpleConvChatBuddyFlags flag = PURPLE_CBFLAGS_NONE;

      /* Me by the account's username: libpurple shows the chat user
       * whose name is the chat's nick by the account's alias or the
       * connection's display name (my name in Plannr), which is what
       * Pidgin and Finch show; BitlBee counts a chat user as the IRC
       * user only if it is named by the username, and lists anyone else
       * as a second nick. */
      if (me)
        nick = g_strdup (plannr_participants_my_nick (conn));
      else
        nick = unique_nick (conn, taken, person);
      g_hash_table_insert (nicks, g_strdup (person->uuid), g_strdup (nick));

      if (plannr_roster_is_admin (roster, person->uuid))
        flag = PURPLE_CBFLAGS_OP;
      names = g_list_prepend (names, g_steal_pointer (&nick));
      flags = g_list_prepend (flags, GINT_TO_POINTER (flag));
    }

  names = g_list_reverse (names);
  flags = g_list_reverse (flags);
  purple_conv_chat_add_users (chat, names, NULL, flags, FALSE);
  g_list_free_full (names, g_free);
  g_list_free (flags);
}

/* Someone was made an admin or stopped being one: the op flag, and a
 * line, since libpurple has none for it. */
static void
show_admin_change (PlannrConnection   *conn,
                   PlannrConvInfo     *info,
                   PurpleConvChat     *chat,
                   const char         *nick,
                   const PlannrPerson *person,
                   gboolean            admin)
{
  g_autofree char *line = NULL;

  purple_conv_chat_user_set_flags (chat, nick, admin ? PURPLE_CBFLAGS_OP : PURPLE_CBFLAGS_NONE);
  if (plannr_connection_is_me (conn, person->uuid))
    line = g_strdup (admin ? _("You are now an admin of this conversation.")
                           : _("You are no longer an admin of this conversation."));
  else
    /* Translators: %s is a participant's name. */
    line = g_strdup_printf (admin ? _("%s is now an admin of this conversation.")
                                  : _("%s is no longer an admin of this conversation."), nick);
  plannr_notice (conn, info, 0, line);
}

/* A later reading of an open chat's participants: those who came and
 * went show as libpurple's join and leave lines, once; everyone keeps
 * the name they go by. */
static void
update_participants (Participants       *parts,
                     PlannrConvInfo     *info,
                     PlannrConversation *data,
                     PlannrRoster       *roster)
{
  PlannrConnection *conn = parts->conn;
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  GHashTable *nicks = g_hash_table_lookup (parts->nicks, info->uuid);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PlannrRosterChange change;
  GHashTableIter iter;
  gpointer value;
  PurpleConvChat *chat;

  if (pconv == NULL || nicks == NULL || data->participants == NULL)
    return;
  chat = PURPLE_CONV_CHAT (pconv);
  plannr_roster_update (roster, data, plannr_connection_get_account_uuid (conn), &change);

  for (guint i = 0; i < change.left->len; i++)
    {
      const char *nick = g_hash_table_lookup (nicks, g_ptr_array_index (change.left, i));

      if (nick != NULL)
        purple_conv_chat_remove_user (chat, nick, NULL);
      g_hash_table_remove (nicks, g_ptr_array_index (change.left, i));
    }
  g_hash_table_iter_init (&iter, nicks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_hash_table_add (taken, plannr_text_name_key (value));
  for (guint i = 0; i < change.joined->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (change.joined, i);
      g_autofree char *nick = NULL;

      if (plannr_connection_is_me (conn, person->uuid))
        continue;
      nick = unique_nick (conn, taken, person);
      purple_conv_chat_add_user (chat, nick, NULL,
                                 plannr_roster_is_admin (roster, person->uuid) ? PURPLE_CBFLAGS_OP
                                                                               : PURPLE_CBFLAGS_NONE,
                                 TRUE);
      g_hash_table_insert (nicks, g_strdup (person->uuid), g_steal_pointer (&nick));
    }
  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *people = pass == 0 ? change.promoted : change.demoted;

      for (guint i = 0; i < people->len; i++)
        {
          PlannrPerson *person = g_ptr_array_index (people, i);
          const char *nick = g_hash_table_lookup (nicks, person->uuid);

          if (nick != NULL)
            show_admin_change (conn, info, chat, nick, person, pass == 0);
        }
    }

  /* A server that still shows a conversation to someone it no longer
   * has as a participant: removed all the same. */
  if (change.me_left && !info->gone)
    {
      info->gone = TRUE;
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("You were removed from this conversation. Only an admin of the conversation "
                       "can add you back."));
    }
  plannr_roster_change_clear (&change);
}

/* The read of @uuid's participants is over, whatever it gave. */
static void
settle (Participants *parts,
        const char   *uuid)
{
  g_autofree char *key = NULL;
  g_autofree Waiter *waiter = NULL;

  if (!g_hash_table_steal_extended (parts->loading, uuid, (gpointer *) &key, (gpointer *) &waiter))
    return;
  if (waiter->settled != NULL)
    waiter->settled (parts->conn, key);
}

/* What the server says of an open chat's conversation, read at
 * @started: who is in it, whether I administer it, its name. */
void
plannr_participants_take_reading (Participants       *parts,
              PlannrConvInfo     *info,
              PlannrConversation *data,
              gint64              started)
{
  PlannrRoster *roster = roster_get (parts, info->uuid);

  if (roster != NULL)
    {
      /* Asked for before our own change landed: it may not show it; a
       * later reading will. */
      if (!plannr_roster_is_current (roster, started))
        return;
      info->is_admin = data->is_admin;
      /* Renames by others are the inbox's to find and to say. */
      update_participants (parts, info, data, roster);
      return;
    }
  info->is_admin = data->is_admin;
  if (plannr_conv_info_name_is_news (info, data->name, started))
    {
      g_free (info->name);
      info->name = g_strdup (data->name);
      plannr_names_show (parts->conn, info);
    }
  set_participants (parts, info, data);
  settle (parts, info->uuid);
}


static void
participants_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) data = NULL;
  Participants *parts;
  PlannrConvInfo *info;
  gboolean again = FALSE;

  data = plannr_api_get_conversation_finish (PLANNR_API (source), result, &error);
  if (data == NULL && plannr_error_is_cancelled (error))
    {
      load_free (load);
      return;
    }
  parts = participants_get (load->conn);
  if (load->later)
    {
      again = GPOINTER_TO_INT (g_hash_table_lookup (parts->reading, load->uuid));
      g_hash_table_remove (parts->reading, load->uuid);
    }
  if ((info = plannr_conv_list_lookup (plannr_connection_get_convs (load->conn), load->uuid)) == NULL ||
      plannr_notice_window (load->conn, load->uuid) == NULL)
    {
      load_free (load);
      return;
    }

  if (data == NULL)
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);
      g_autofree char *line = g_strdup_printf (_("Could not load the participants: %s"), reason);

      /* A later reading failing is the chat poll's to tell (it reads the
       * same conversation); only the first one is said here. */
      if (roster_get (parts, info->uuid) == NULL)
        plannr_notice (load->conn, info, PURPLE_MESSAGE_ERROR, line);
      settle (parts, load->uuid);
    }
  else
    plannr_participants_take_reading (parts, info, data, load->started);
  if (again)
    plannr_participants_read_later (parts, load->uuid);
  load_free (load);
}

/* One conversation on its own: what a batch did not hold (the server
 * then says why, a 404 or 403, in the chat). */
static void
load_one (PlannrConnection *conn,
          const char       *uuid)
{
  Load *load = g_new0 (Load, 1);

  load->conn = conn;
  load->uuid = g_strdup (uuid);
  load->started = g_get_monotonic_time ();
  plannr_api_get_conversation_async (plannr_connection_get_api (conn), PLANNR_PRIORITY_USER,
                                     uuid, "participants", participants_cb, load);
}

typedef struct
{
  PlannrConnection *conn;
  GStrv             uuids;
  gint64            started;
} Batch;

static void
batch_free (Batch *batch)
{
  g_strfreev (batch->uuids);
  g_free (batch);
}

static void
batch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Batch *batch = user_data;
  PlannrConnection *conn = batch->conn;
  PlannrConvList *convs;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  g_autoptr(GHashTable) found = NULL;

  page = plannr_api_get_conversations_finish (PLANNR_API (source), result, &error);
  if (page == NULL && plannr_error_is_cancelled (error))
    {
      batch_free (batch);
      return;
    }
  convs = plannr_connection_get_convs (conn);
  found = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; page != NULL && i < page->items->len; i++)
    {
      PlannrConversation *data = g_ptr_array_index (page->items, i);
      PlannrConvInfo *info = plannr_conv_list_lookup (convs, data->uuid);

      g_hash_table_add (found, data->uuid);
      if (info != NULL && plannr_notice_window (conn, info->uuid) != NULL)
        plannr_participants_take_reading (participants_get (conn), info, data, batch->started);
    }
  /* Not in the answer (or no answer): each asked for on its own, so that
   * the chat learns why. */
  for (guint i = 0; batch->uuids[i] != NULL; i++)
    if (!g_hash_table_contains (found, batch->uuids[i]) &&
        plannr_notice_window (conn, batch->uuids[i]) != NULL)
      load_one (conn, batch->uuids[i]);
  batch_free (batch);
}

static gboolean
flush_cb (gpointer user_data)
{
  Participants *parts = user_data;
  guint n = MIN (parts->pending->len, BATCH);
  Batch *batch = g_new0 (Batch, 1);

  batch->conn = parts->conn;
  batch->started = g_get_monotonic_time ();
  batch->uuids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    batch->uuids[i] = g_strdup (g_ptr_array_index (parts->pending, i));
  g_ptr_array_remove_range (parts->pending, 0, n);
  plannr_api_get_conversations_async (plannr_connection_get_api (parts->conn), PLANNR_PRIORITY_USER,
                                      (const char * const *) batch->uuids, "participants",
                                      batch_cb, batch);
  if (parts->pending->len > 0)
    return G_SOURCE_CONTINUE;
  parts->flush_id = 0;
  return G_SOURCE_REMOVE;
}

/* Gathered until the main loop is idle: chats opened in one go (a
 * burst of messages, a reconnect) share one request, and so do chats
 * re-read together. */
static void
queue_read (Participants *parts,
            const char   *uuid)
{
  if (!g_ptr_array_find_with_equal_func (parts->pending, uuid, g_str_equal, NULL))
    g_ptr_array_add (parts->pending, g_strdup (uuid));
  if (parts->flush_id == 0)
    parts->flush_id = g_idle_add (flush_cb, parts);
}

void
plannr_participants_load (PlannrConnection          *conn,
                          PlannrConvInfo            *info,
                          PlannrParticipantsSettled  settled)
{
  Participants *parts = participants_get (conn);
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->settled = settled;
  g_hash_table_replace (parts->loading, g_strdup (info->uuid), waiter);

  /* Joining (again): everyone is listed afresh. */
  g_hash_table_remove (parts->rosters, info->uuid);
  queue_read (parts, info->uuid);
}

/* A later reading of one open chat, one at a time: asked for while
 * one is on its way, it follows that one. */
void
plannr_participants_read_later (Participants *parts,
            const char   *uuid)
{
  Load *load;

  if (g_hash_table_contains (parts->reading, uuid))
    {
      g_hash_table_replace (parts->reading, g_strdup (uuid), GINT_TO_POINTER (TRUE));
      return;
    }
  g_hash_table_insert (parts->reading, g_strdup (uuid), GINT_TO_POINTER (FALSE));
  load = g_new0 (Load, 1);
  load->conn = parts->conn;
  load->uuid = g_strdup (uuid);
  load->started = g_get_monotonic_time ();
  load->later = TRUE;
  plannr_api_get_conversation_async (plannr_connection_get_api (parts->conn), PLANNR_PRIORITY_POLL,
                                     uuid, "participants", participants_cb, load);
}

void
plannr_participants_refresh (PlannrConnection *conn,
                             PlannrConvInfo   *info)
{
  Participants *parts = participants_get (conn);

  /* Before the first reading is in, that one will do. */
  if (roster_get (parts, info->uuid) == NULL || info->gone)
    return;
  plannr_participants_read_later (parts, info->uuid);
}

void
plannr_participants_forget (PlannrConnection *conn,
                            const char       *uuid)
{
  Participants *parts = participants_get (conn);

  if (parts == NULL)
    return;
  g_hash_table_remove (parts->nicks, uuid);
  g_hash_table_remove (parts->rosters, uuid);
  g_hash_table_remove (parts->loading, uuid);
}

gboolean
plannr_participants_loading (PlannrConnection *conn,
                             const char       *uuid)
{
  Participants *parts = participants_get (conn);

  return parts != NULL && g_hash_table_contains (parts->loading, uuid);
}

/* --- the component ------------------------------------------------------- */

static gpointer
participants_create (PlannrConnection *conn)
{
  Participants *parts = g_new0 (Participants, 1);

  parts->conn = conn;
  parts->nicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_hash_table_unref);
  parts->rosters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) plannr_roster_free);
  parts->reading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  parts->pending = g_ptr_array_new_with_free_func (g_free);
  parts->loading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return parts;
}

static void
participants_stop (gpointer state)
{
  Participants *parts = state;

  g_clear_handle_id (&parts->flush_id, g_source_remove);
}

static void
participants_destroy (gpointer state)
{
  Participants *parts = state;

  participants_stop (parts);
  g_ptr_array_unref (parts->pending);
  g_hash_table_unref (parts->loading);
  g_hash_table_unref (parts->reading);
  g_hash_table_unref (parts->rosters);
  g_hash_table_unref (parts->nicks);
  g_free (parts);
}

const PlannrComponent plannr_participants_component = {
  .name = "participants",
  .create = participants_create,
  .stop = participants_stop,
  .destroy = participants_destroy,
};
