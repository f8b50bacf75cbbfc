/* plannr-participants.c: who is in an open chat, by display name
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-names.h"
#include "plannr-notice.h"
#include "plannr-participants.h"
#include "plannr-text.h"

/* Chats opened together (a burst of messages opens many) read their
 * participants together: one request for up to this many. */
#define BATCH 50

typedef struct
{
  PlannrConnection *conn;
  GHashTable       *nicks;    /* conversation uuid -> (account uuid -> chat user name) */
  GPtrArray        *pending;  /* conversation uuids to read, in order */
  GHashTable       *loading;  /* conversation uuid -> Waiter */
  guint             flush_id;
} Participants;

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
} Load;

static Participants *
participants_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_participants_component);
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

static void
set_participants (Participants       *parts,
                  PlannrConvInfo     *info,
                  PlannrConversation *data)
{
  PlannrConnection *conn = parts->conn;
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  GHashTable *nicks;
  PurpleConvChat *chat;
  GList *names = NULL, *flags = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (pconv == NULL || data->participants == NULL)
    return;
  chat = PURPLE_CONV_CHAT (pconv);

  nicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (parts->nicks, g_strdup (info->uuid), nicks);

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
        {
          /* Chat user names must be unique; two people may share one:
           * the second is told apart by e-mail, the next by number.
           * Names are told apart by plannr_text_name_key(), which
           * equates every pair libpurple's own comparison does: a
           * participant whose name only differs from one of mine in
           * case or Unicode form must not pass as me. */
          nick = g_strdup (person->name);
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
        }
      g_hash_table_insert (nicks, g_strdup (person->uuid), g_strdup (nick));

      /* My own admin status is documented (is_admin); others' only
       * when the participant carries it [assumed]. */
      if (plannr_conversation_is_admin (data, person->uuid) || (data->is_admin && me))
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
static void
apply (Participants       *parts,
       PlannrConvInfo     *info,
       PlannrConversation *data,
       gint64              started)
{
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

  data = plannr_api_get_conversation_finish (PLANNR_API (source), result, &error);
  if ((data == NULL && plannr_error_is_cancelled (error)) ||
      (info = plannr_conv_list_lookup (plannr_connection_get_convs (load->conn), load->uuid)) == NULL ||
      plannr_notice_window (load->conn, load->uuid) == NULL)
    {
      load_free (load);
      return;
    }
  parts = participants_get (load->conn);

  if (data == NULL)
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);
      g_autofree char *line = g_strdup_printf (_("Could not load the participants: %s"), reason);

      plannr_notice (load->conn, info, PURPLE_MESSAGE_ERROR, line);
      settle (parts, load->uuid);
      load_free (load);
      return;
    }

  apply (parts, info, data, load->started);
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
        apply (participants_get (conn), info, data, batch->started);
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

void
plannr_participants_load (PlannrConnection          *conn,
                          PlannrConvInfo            *info,
                          PlannrParticipantsSettled  settled)
{
  Participants *parts = participants_get (conn);
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->settled = settled;
  g_hash_table_replace (parts->loading, g_strdup (info->uuid), waiter);

  /* Gathered until the main loop is idle: chats opened in one go (a
   * burst of messages, a reconnect) share one request. */
  if (!g_ptr_array_find_with_equal_func (parts->pending, info->uuid, g_str_equal, NULL))
    g_ptr_array_add (parts->pending, g_strdup (info->uuid));
  if (parts->flush_id == 0)
    parts->flush_id = g_idle_add (flush_cb, parts);
}

void
plannr_participants_forget (PlannrConnection *conn,
                            const char       *uuid)
{
  Participants *parts = participants_get (conn);

  if (parts != NULL)
    {
      g_hash_table_remove (parts->nicks, uuid);
      g_hash_table_remove (parts->loading, uuid);
    }
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
  g_hash_table_unref (parts->nicks);
  g_free (parts);
}

const PlannrComponent plannr_participants_component = {
  .name = "participants",
  .create = participants_create,
  .stop = participants_stop,
  .destroy = participants_destroy,
};
