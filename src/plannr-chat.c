/* plannr-chat.c: the open chats
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-chat.h"
#include "plannr-chat-lines.h"
#include "plannr-names.h"
#include "plannr-notice.h"
#include "plannr-pace.h"
#include "plannr-participants.h"
#include "plannr-reaction-watch.h"
#include "plannr-seen.h"
#include "plannr-text.h"
#include "plannr-window.h"

/* One open chat. */
typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;          /* borrowed: the list outlives chats */
  int               id;
  gboolean          joining;
  gboolean          polling;
  gboolean          poll_again;    /* something asked for a poll meanwhile */
  gboolean          read_participants; /* the next poll reads them too */
  guint             poll_id;
  char             *open_trigger;  /* the message that opened it */
  gpointer          held;          /* Fetch: history read before the names */
  PlannrPage       *held_page;
} Chat;

typedef struct
{
  PlannrConnection *conn;
  GHashTable       *by_id;         /* chat id -> Chat* (owned) */
  GHashTable       *by_uuid;       /* conversation uuid -> Chat* (borrowed) */
  int               next_id;
} Chats;

static void schedule_poll (Chat *chat, gboolean soon);
static void fetch_free (gpointer fetch);

static Chats *
chats_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_chat_component);
}

static Chat *
chat_for_uuid (PlannrConnection *conn,
               const char       *uuid)
{
  Chats *chats = chats_get (conn);

  return chats != NULL && uuid != NULL ? g_hash_table_lookup (chats->by_uuid, uuid) : NULL;
}

static void
chat_free (Chat *chat)
{
  g_clear_handle_id (&chat->poll_id, g_source_remove);
  g_free (chat->open_trigger);
  g_clear_pointer (&chat->held, fetch_free);
  g_clear_pointer (&chat->held_page, plannr_page_free);
  g_free (chat);
}

static int
history_count (PlannrConnection *conn)
{
  return plannr_connection_setting_int (conn, PLANNR_SETTING_HISTORY_COUNT,
                                        PLANNR_DEFAULT_HISTORY_COUNT, 0, 500);
}

gboolean
plannr_chat_is_open (PlannrConnection *conn,
                     const char       *uuid)
{
  return chat_for_uuid (conn, uuid) != NULL;
}

PlannrConvInfo *
plannr_chat_info_for_id (PlannrConnection *conn,
                         int               id)
{
  Chats *chats = chats_get (conn);
  Chat *chat = chats ? g_hash_table_lookup (chats->by_id, GINT_TO_POINTER (id)) : NULL;

  return chat ? chat->info : NULL;
}

/* --- showing messages ------------------------------------------------------- */

void
plannr_chat_show_sent (PlannrConnection    *conn,
                       PlannrConvInfo      *info,
                       const PlannrMessage *message)
{
  PlannrMessageLog *log = plannr_conv_info_log (info);
  Chat *chat = chat_for_uuid (conn, info->uuid);

  /* A poll may have shown it already, as a message from elsewhere. */
  if (plannr_message_log_lookup (log, message->uuid) == NULL)
    {
      /* The chat was closed meanwhile: shown when it opens again. */
      plannr_message_log_add_sent (log, message, chat != NULL);
      if (chat != NULL)
        plannr_chat_lines_message (conn, info, chat->id, message, PLANNR_SHOWN_AS_SENT);
    }
  /* The inbox then takes it for what it is, no news, and still sees
   * others' messages that came before it and that nothing showed yet. */
  plannr_conv_info_add_mine (info, message->uuid);
}

/* What a request for an open chat needs when its answer comes: the chat
 * may have closed (and opened again) meanwhile. */
typedef struct
{
  PlannrConnection *conn;
  char             *uuid;
  int               id;
  gint64            started;     /* monotonic µs the reading began */
} ChatRequest;

static ChatRequest *
chat_request_new (Chat *chat)
{
  ChatRequest *req = g_new0 (ChatRequest, 1);

  req->conn = chat->conn;
  req->uuid = g_strdup (chat->info->uuid);
  req->id = chat->id;
  req->started = g_get_monotonic_time ();
  return req;
}

/* The chat the request was made for, if it is still open. */
static Chat *
chat_request_chat (ChatRequest *req)
{
  Chat *chat = chat_for_uuid (req->conn, req->uuid);

  return chat != NULL && chat->id == req->id ? chat : NULL;
}

/* --- reading messages ------------------------------------------------------- */

/* Reads messages for joining (history, or catching up until the last
 * message shown) and for the poll (until a known message). */
typedef struct
{
  ChatRequest  req;
  guint        want;       /* at least this many, pages allowing */
  gboolean     catch_up;   /* read on until a message read before */
  gboolean     for_poll;
  char        *last_uuid;  /* catching up: the last message shown */
  GDateTime   *last_time;
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  g_free (fetch->req.uuid);
  g_free (fetch->last_uuid);
  g_clear_pointer (&fetch->last_time, g_date_time_unref);
  g_free (fetch);
}

/* Whether @message was read before: for a poll, known to the log; for
 * catching up, the last shown or older. */
static gboolean
is_known (Fetch            *fetch,
          PlannrMessageLog *log,
          PlannrMessage    *message)
{
  if (fetch->for_poll)
    return plannr_message_log_lookup (log, message->uuid) != NULL;
  return g_strcmp0 (message->uuid, fetch->last_uuid) == 0 ||
         (fetch->last_time != NULL && g_date_time_compare (message->created_at, fetch->last_time) < 0);
}

static gboolean
fetch_stop_cb (PlannrPage *page,
               guint       collected,
               gpointer    user_data)
{
  Fetch *fetch = user_data;
  PlannrConvInfo *info;

  /* What was asked for, however many pages the server needs for it;
   * then, catching up, on until a message read before. */
  if (collected < fetch->want)
    return FALSE;
  if (!fetch->catch_up)
    return TRUE;
  info = plannr_conv_list_lookup (plannr_connection_get_convs (fetch->req.conn), fetch->req.uuid);
  for (guint i = 0; info != NULL && i < page->items->len; i++)
    if (is_known (fetch, plannr_conv_info_log (info), g_ptr_array_index (page->items, i)))
      return TRUE;
  return info == NULL;
}

static void history_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
start_fetch (Chat     *chat,
             Fetch    *fetch,
             guint     per_page)
{
  ChatRequest *req = chat_request_new (chat);

  fetch->req = *req;
  g_free (req);
  plannr_api_collect_messages_async (plannr_connection_get_api (chat->conn),
                                     fetch->for_poll ? PLANNR_PRIORITY_POLL : PLANNR_PRIORITY_USER,
                                     chat->info->uuid, per_page, fetch->want,
                                     PLANNR_CATCHUP_MAX_PAGES, fetch_stop_cb, fetch,
                                     history_cb, fetch);
}

static void
finish_join (Chat      *chat,
             Fetch     *fetch,
             GPtrArray *messages)
{
  PlannrMessageLog *log = plannr_conv_info_log (chat->info);
  guint history = (guint) history_count (chat->conn);
  guint start = messages->len;

  /* The messages to show are those after the last one shown, or, the
   * first time, the newest history-count. */
  if (fetch->last_uuid != NULL)
    {
      for (guint i = 0; i < messages->len; i++)
        if (is_known (fetch, log, g_ptr_array_index (messages, i)))
          {
            start = i;
            break;
          }
    }
  else
    {
      start = MIN (history, messages->len);
      for (guint i = 0; chat->open_trigger != NULL && i < messages->len; i++)
        if (g_strcmp0 (((PlannrMessage *) g_ptr_array_index (messages, i))->uuid,
                       chat->open_trigger) == 0)
          start = MAX (start, i + 1);
    }
  g_clear_pointer (&chat->open_trigger, g_free);

  /* Everything fetched is known from now on; what is shown is shown. */
  for (guint i = messages->len; i > 0; i--)
    {
      PlannrMessage *message = g_ptr_array_index (messages, i - 1);
      gboolean show = i - 1 < start && message->deleted_at == NULL;
      PlannrKnownMessage *known = plannr_message_log_lookup (log, message->uuid);
      gboolean was_shown = known != NULL && known->shown;

      /* Known already (shown in an earlier visit, or loaded for an
       * edit): shown only if it was not yet. */
      plannr_message_log_add (log, message, show);
      if (show && !was_shown)
        plannr_chat_lines_message (chat->conn, chat->info, chat->id, message, PLANNR_SHOWN_FROM_HISTORY);
    }
  /* Reactions given while the chat was closed, to messages it showed. */
  plannr_reaction_watch_seen (chat->conn, chat->info, messages);

  /* All that is newer than the oldest message read has been read. */
  if (messages->len > 0)
    {
      PlannrMessage *oldest = g_ptr_array_index (messages, messages->len - 1);

      plannr_message_log_set_floor (log, oldest->created_at);
    }
  else if (plannr_message_log_is_empty (log))
    /* An empty conversation: anything that appears is new. */
    plannr_message_log_set_floor (log, NULL);

  chat->joining = FALSE;
  schedule_poll (chat, FALSE);
}

static void
finish_poll (Chat      *chat,
             Fetch     *fetch,
             GPtrArray *messages)
{
  g_autoptr(GPtrArray) events = NULL;
  gboolean reached_known;

  events = plannr_message_log_merge (plannr_conv_info_log (chat->info), messages,
                                     fetch->req.started, &reached_known);
  plannr_chat_lines_events (chat->conn, chat->info, chat->id, events);
  plannr_reaction_watch_seen (chat->conn, chat->info, messages);

  chat->polling = FALSE;
  schedule_poll (chat, chat->poll_again);
}

static void
history_failed (Chat         *chat,
                Fetch        *fetch,
                const GError *error)
{
  gboolean gone = g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND) ||
                  g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN);

  chat->joining = FALSE;
  chat->polling = FALSE;
  if (gone)
    {
      if (!chat->info->gone)  /* said once, whoever found out first */
        plannr_notice (chat->conn, chat->info, PURPLE_MESSAGE_ERROR,
                       _("You are no longer a participant of this conversation: you were removed "
                         "from it, or it was deleted. Only an admin of the conversation can add "
                         "you back."));
      chat->info->gone = TRUE;
    }
  else if (fetch->for_poll)
    {
      if (!plannr_connection_poll_failed (chat->conn, error))
        schedule_poll (chat, FALSE);
    }
  else
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);
      g_autofree char *line = g_strdup_printf (_("Could not load the messages: %s"), reason);

      plannr_notice (chat->conn, chat->info, PURPLE_MESSAGE_ERROR, line);
      schedule_poll (chat, FALSE);
    }
}

static void
history_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  Chat *chat;

  page = plannr_api_collect_messages_finish (PLANNR_API (source), result, &error);
  if ((page == NULL && plannr_error_is_cancelled (error)) ||
      (chat = chat_request_chat (&fetch->req)) == NULL)
    {
      fetch_free (fetch);
      return;
    }

  if (page == NULL)
    history_failed (chat, fetch, error);
  else
    {
      if (fetch->for_poll)
        {
          plannr_connection_poll_succeeded (chat->conn);
          finish_poll (chat, fetch, page->items);
        }
      else if (plannr_participants_loading (chat->conn, chat->info->uuid))
        {
          /* Shown once the chat's user list is there, so that each line
           * names its author as the list does. */
          chat->held = g_steal_pointer (&fetch);
          chat->held_page = g_steal_pointer (&page);
          return;
        }
      else
        finish_join (chat, fetch, page->items);
    }
  fetch_free (fetch);
}

static void
participants_settled_cb (PlannrConnection *conn,
                         const char       *uuid)
{
  Chat *chat = chat_for_uuid (conn, uuid);
  Fetch *fetch;
  g_autoptr(PlannrPage) page = NULL;

  if (chat == NULL || chat->held == NULL)
    return;
  fetch = g_steal_pointer (&chat->held);
  page = g_steal_pointer (&chat->held_page);
  finish_join (chat, fetch, page->items);
  fetch_free (fetch);
}

/* --- opening ------------------------------------------------------------------ */

void
plannr_chat_open (PlannrConnection *conn,
                  PlannrConvInfo   *info,
                  const char       *trigger)
{
  Chats *chats = chats_get (conn);
  Chat *chat = chat_for_uuid (conn, info->uuid);
  PurpleConversation *pconv;
  const char *last_uuid;
  GDateTime *last_time;
  Fetch *fetch;

  if (chat != NULL)
    {
      pconv = plannr_notice_window (conn, info->uuid);
      if (pconv != NULL)
        purple_conversation_present (pconv);
      return;
    }

  chat = g_new0 (Chat, 1);
  chat->conn = conn;
  chat->info = info;
  chat->id = ++chats->next_id;
  chat->joining = TRUE;
  chat->open_trigger = g_strdup (trigger);
  g_hash_table_insert (chats->by_id, GINT_TO_POINTER (chat->id), chat);
  g_hash_table_insert (chats->by_uuid, info->uuid, chat);
  info->gone = FALSE;

  pconv = serv_got_joined_chat (plannr_connection_get_pc (conn), chat->id,
                                plannr_window_name (conn, info->uuid));
  purple_conversation_set_title (pconv, info->name);
  purple_conv_chat_set_nick (PURPLE_CONV_CHAT (pconv), plannr_participants_my_nick (conn));
  purple_conv_chat_set_topic (PURPLE_CONV_CHAT (pconv), NULL, info->name);

  plannr_participants_load (conn, info, participants_settled_cb);

  fetch = g_new0 (Fetch, 1);
  plannr_seen_get (conn, info->uuid, &last_uuid, &last_time);
  fetch->catch_up = last_uuid != NULL;
  fetch->last_uuid = g_strdup (last_uuid);
  fetch->last_time = last_time ? g_date_time_ref (last_time) : NULL;
  /* The first time, history-count messages; catching up, only what is
   * newer than the last message shown, in pages of the same size. */
  fetch->want = fetch->catch_up ? 0 : (guint) history_count (conn);
  g_debug ("joining %s, %s", info->uuid, fetch->catch_up ? "catching up" : "with history");
  start_fetch (chat, fetch, (guint) CLAMP (history_count (conn), 20, 500));
}

void
plannr_chat_join (PlannrConnection *conn,
                  PlannrConvInfo   *info,
                  const char       *name)
{
  if (!plannr_chat_is_open (conn, info->uuid))
    {
      g_autofree char *owner = plannr_window_uuid (conn, name);

      /* A name another open chat is known by stays that chat's. */
      if (owner != NULL && g_strcmp0 (owner, info->uuid) != 0 && plannr_window_find (conn, owner) != NULL)
        name = NULL;
      plannr_window_set_name (conn, info->uuid, name);
    }
  plannr_chat_open (conn, info, NULL);
}

/* --- the poll -------------------------------------------------------------------- */

static gboolean
poll_cb (gpointer user_data)
{
  Chat *chat = user_data;
  Fetch *fetch;

  chat->poll_id = 0;
  if (chat->info->gone)
    return G_SOURCE_REMOVE;
  if (chat->polling || chat->joining)
    {
      chat->poll_again = TRUE;
      return G_SOURCE_REMOVE;
    }

  chat->polling = TRUE;
  chat->poll_again = FALSE;
  fetch = g_new0 (Fetch, 1);
  fetch->want = PLANNR_CHAT_PAGE_SIZE;
  fetch->for_poll = TRUE;
  /* Read further back only when the first page holds nothing known. */
  fetch->catch_up = !plannr_message_log_is_empty (plannr_conv_info_log (chat->info));
  start_fetch (chat, fetch, PLANNR_CHAT_PAGE_SIZE);
  /* Who takes part, on the slow re-read only: a poll asked for soon is
   * for a new message, and the inbox reads the participants itself when
   * their count changes (plannr_chat_participants_changed). */
  if (chat->read_participants)
    plannr_participants_refresh (chat->conn, chat->info);
  chat->read_participants = FALSE;
  return G_SOURCE_REMOVE;
}

/* The slow re-read: messages, and who takes part. */
static gboolean
slow_poll_cb (gpointer user_data)
{
  Chat *chat = user_data;

  chat->read_participants = TRUE;
  return poll_cb (chat);
}

static void
schedule_poll (Chat     *chat,
               gboolean  soon)
{
  PlannrApi *api = plannr_connection_get_api (chat->conn);
  guint delay;

  if (chat->info->gone || plannr_api_is_shut_down (api))
    return;
  if (chat->polling || chat->joining)
    {
      chat->poll_again = chat->poll_again || soon;
      return;
    }

  if (soon)
    {
      g_clear_handle_id (&chat->poll_id, g_source_remove);
      chat->poll_id = g_idle_add (poll_cb, chat);
      return;
    }

  /* Otherwise only the slow re-read, for edits and deletions of older
   * messages: new ones are found by the inbox (plannr-pace). */
  if (chat->poll_id != 0)
    return;
  delay = plannr_pace_chat_ms (plannr_connection_get_pace (chat->conn),
                               plannr_api_get_rate_remaining (api),
                               plannr_api_get_rate_limit (api));
  chat->poll_id = g_timeout_add (delay, slow_poll_cb, chat);
}

void
plannr_chat_poll_soon (PlannrConnection *conn,
                       const char       *uuid)
{
  Chat *chat = chat_for_uuid (conn, uuid);

  if (chat != NULL)
    schedule_poll (chat, TRUE);
}

gboolean
plannr_chat_take_latest (PlannrConnection *conn,
                         PlannrConvInfo   *info,
                         const char       *previous_uuid,
                         PlannrMessage    *message)
{
  Chat *chat = chat_for_uuid (conn, info->uuid);
  PlannrMessageLog *log = plannr_conv_info_log (info);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gboolean reached_known;

  /* Joining or polling, a read is on its way that will see it; and the
   * message before must be known, or there is a gap to read. */
  if (chat == NULL || chat->joining || chat->polling || previous_uuid == NULL ||
      plannr_message_log_lookup (log, previous_uuid) == NULL)
    return FALSE;
  page = g_ptr_array_new ();
  g_ptr_array_add (page, message);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), &reached_known);
  plannr_chat_lines_events (conn, info, chat->id, events);
  /* As a poll's page: reactions given to it later are news. */
  plannr_reaction_watch_seen (conn, info, page);
  return TRUE;
}

void
plannr_chat_participants_changed (PlannrConnection *conn,
                                  PlannrConvInfo   *info)
{
  if (chat_for_uuid (conn, info->uuid) != NULL)
    plannr_participants_refresh (conn, info);
}

void
plannr_chat_poll_all (PlannrConnection *conn)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, chats_get (conn)->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((Chat *) value)->joining)
      {
        /* Who takes part may have changed while the account was away. */
        ((Chat *) value)->read_participants = TRUE;
        schedule_poll (value, TRUE);
      }
}

/* --- leaving ------------------------------------------------------------------ */

void
plannr_chat_leave (PurpleConnection *pc,
                   int               id)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  Chats *chats = conn ? chats_get (conn) : NULL;
  Chat *chat = chats ? g_hash_table_lookup (chats->by_id, GINT_TO_POINTER (id)) : NULL;

  if (chat == NULL)
    return;
  plannr_seen_flush (conn);
  plannr_participants_forget (conn, chat->info->uuid);
  g_hash_table_remove (chats->by_uuid, chat->info->uuid);
  /* Sends already queued still go out; results land as notifications. */
  g_hash_table_remove (chats->by_id, GINT_TO_POINTER (id));
}

/* Idle, away or back: the re-reads follow the new pace. */
static void
pace_changed_cb (gpointer user_data)
{
  Chats *chats = user_data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, chats->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Chat *chat = value;

      if (chat->poll_id == 0)
        continue;
      g_clear_handle_id (&chat->poll_id, g_source_remove);
      schedule_poll (chat, FALSE);
    }
}

/* --- the component ------------------------------------------------------- */

static gpointer
chat_create (PlannrConnection *conn)
{
  Chats *chats = g_new0 (Chats, 1);

  chats->conn = conn;
  chats->by_id = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) chat_free);
  chats->by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  plannr_pace_add_listener (plannr_connection_get_pace (conn), pace_changed_cb, chats);
  return chats;
}

static void
chat_stop (gpointer state)
{
  Chats *chats = state;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, chats->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_clear_handle_id (&((Chat *) value)->poll_id, g_source_remove);
}

static void
chat_destroy (gpointer state)
{
  Chats *chats = state;

  plannr_pace_remove_listener (plannr_connection_get_pace (chats->conn), chats);
  g_hash_table_unref (chats->by_uuid);
  g_hash_table_unref (chats->by_id);
  g_free (chats);
}

const PlannrComponent plannr_chat_component = {
  .name = "chat",
  .create = chat_create,
  .stop = chat_stop,
  .destroy = chat_destroy,
};
