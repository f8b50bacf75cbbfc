/* plannr-inbox.c: noticing what changed in the account's conversations
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-blist.h"
#include "plannr-chat.h"
#include "plannr-inbox.h"
#include "plannr-names.h"
#include "plannr-notice.h"
#include "plannr-pace.h"
#include "plannr-roomlist.h"
#include "plannr-seen.h"

typedef struct
{
  PlannrConnection *conn;
  gboolean          started;
  guint             timer_id;
  gboolean          busy;
  guint             polls;
  guint             page;
  const char       *sort;
  gint64            started_at;     /* monotonic µs this page was asked for */
  gint64            poll_started;   /* monotonic µs the last poll began */
} Inbox;

static void schedule (Inbox *inbox);
static void inbox_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
request_page (Inbox *inbox)
{
  inbox->started_at = g_get_monotonic_time ();
  plannr_api_list_conversations_async (plannr_connection_get_api (inbox->conn), PLANNR_PRIORITY_POLL,
                                       inbox->page, PLANNR_INBOX_PAGE_SIZE, inbox->sort,
                                       PLANNR_LIST_INCLUDE, inbox_cb, inbox);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Inbox *inbox = user_data;

  inbox->timer_id = 0;
  inbox->busy = TRUE;
  inbox->poll_started = g_get_monotonic_time ();
  inbox->page = 1;
  /* Every fourth poll asks by latest message instead of by update time:
   * should a server not touch a conversation's updated_at on a new
   * message, new messages are still found, only later. */
  inbox->sort = (inbox->polls % 4 == 3) ? "-latest_message" : "-updated_at";
  inbox->polls++;
  request_page (inbox);
  return G_SOURCE_REMOVE;
}

/* The next poll, one interval after the last one began (or at once
 * when that is past): a slow answer does not stretch the period. */
static void
schedule (Inbox *inbox)
{
  PlannrApi *api = plannr_connection_get_api (inbox->conn);
  guint interval;
  gint64 elapsed_ms;

  if (!inbox->started || inbox->busy || plannr_api_is_shut_down (api))
    return;
  g_clear_handle_id (&inbox->timer_id, g_source_remove);
  interval = plannr_pace_inbox_ms (plannr_connection_get_pace (inbox->conn),
                                   plannr_api_get_rate_remaining (api),
                                   plannr_api_get_rate_limit (api));
  elapsed_ms = (g_get_monotonic_time () - inbox->poll_started) / 1000;
  inbox->timer_id = g_timeout_add (elapsed_ms >= interval ? 0 : interval - (guint) elapsed_ms,
                                   timeout_cb, inbox);
}

/* Idle, away or back: the next poll follows the new pace at once. */
static void
pace_changed_cb (gpointer user_data)
{
  Inbox *inbox = user_data;

  if (inbox->timer_id != 0)
    schedule (inbox);
}

/* A message from someone else opens its chat, as an IM would. */
static gboolean
opens_chat (Inbox         *inbox,
            PlannrConvInfo *info,
            PlannrMessage  *latest)
{
  PlannrConnection *conn = inbox->conn;
  const char *last_uuid;
  GDateTime *last_time;

  if (!purple_account_get_bool (plannr_connection_get_account (conn),
                                PLANNR_SETTING_OPEN_ON_MESSAGE, TRUE) ||
      latest->deleted_at != NULL ||
      plannr_connection_is_me (conn, latest->author ? latest->author->uuid : NULL))
    return FALSE;
  plannr_seen_get (conn, info->uuid, &last_uuid, &last_time);
  return g_strcmp0 (last_uuid, latest->uuid) != 0;
}

static void
conversation_changed (Inbox                  *inbox,
                      PlannrConvInfo         *info,
                      gboolean                is_new,
                      const PlannrConvChange *change,
                      PlannrMessage          *latest,
                      const char             *only_since)
{
  PlannrConnection *conn = inbox->conn;

  if (is_new)
    {
      if (plannr_blist_find (conn, info->uuid) == NULL)
        plannr_blist_add (conn, info);
      plannr_roomlist_add (conn, info);
    }
  else if (change->renamed)
    {
      g_autofree char *line = g_strdup_printf (_("The conversation was renamed to %s"), info->name);

      plannr_names_show (conn, info);
      if (plannr_chat_is_open (conn, info->uuid))
        plannr_notice (conn, info, 0, line);
    }

  if (change->participants_changed)
    plannr_chat_participants_changed (conn, info);

  if (!change->new_message || latest == NULL)
    return;

  if (plannr_chat_is_open (conn, info->uuid))
    {
      /* One message, and the page carries it: no read.  That saves a
       * request for most new messages in an open chat (BENCHMARKS.md,
       * scenario 5); two at once, or one with a file, are read. */
      if (only_since == NULL || !plannr_chat_take_latest (conn, info, only_since, latest))
        plannr_chat_poll_soon (conn, info->uuid);
    }
  else if (opens_chat (inbox, info, latest))
    /* Shown even with a history-count of 0: it is why the chat opens. */
    plannr_chat_open (conn, info, latest->uuid);
}

static void
inbox_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Inbox *inbox = user_data;
  PlannrConvList *convs;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  gboolean reached_unchanged = FALSE;

  page = plannr_api_list_conversations_finish (PLANNR_API (source), result, &error);
  /* Cancelled: the account closed, and @inbox with it. */
  if (page == NULL && plannr_error_is_cancelled (error))
    return;
  if (page == NULL)
    {
      if (plannr_connection_poll_failed (inbox->conn, error))
        return;
      inbox->busy = FALSE;
      schedule (inbox);
      return;
    }
  plannr_connection_poll_succeeded (inbox->conn);
  convs = plannr_connection_get_convs (inbox->conn);

  for (guint i = 0; i < page->items->len; i++)
    {
      PlannrConversation *data = g_ptr_array_index (page->items, i);
      PlannrConvInfo *info = plannr_conv_list_lookup (convs, data->uuid);
      gboolean is_new = info == NULL || info->gone;
      PlannrConvChange change;
      g_autofree char *only_since = NULL;

      if (info == NULL)
        info = plannr_conv_list_get_or_add (convs, data->uuid, data->name);
      if (plannr_conv_info_adds_one_message (info, data))
        only_since = g_strdup (info->latest_uuid);
      if (!plannr_conv_info_update (info, data, inbox->started_at, &change) && !is_new)
        {
          /* Sorted by change: what follows is unchanged too, as far as
           * the sort sees, so no further page is read.  The rest of this
           * page is still looked at, for free: a server need not touch
           * updated_at when someone joins or leaves, and the participant
           * count shows it. */
          reached_unchanged = TRUE;
          continue;
        }

      conversation_changed (inbox, info, is_new, &change, data->latest_message, only_since);
    }

  if (!reached_unchanged && page->has_next && inbox->page < PLANNR_INBOX_MAX_PAGES)
    {
      inbox->page++;
      request_page (inbox);
      return;
    }

  inbox->busy = FALSE;
  schedule (inbox);
}

void
plannr_inbox_start (PlannrConnection *conn)
{
  Inbox *inbox = plannr_connection_get_state (conn, &plannr_inbox_component);

  if (inbox->started)
    return;
  inbox->started = TRUE;
  /* The first poll one interval after the sign-in's list was read. */
  inbox->poll_started = g_get_monotonic_time ();
  schedule (inbox);
}

/* --- the component ------------------------------------------------------- */

static gpointer
inbox_create (PlannrConnection *conn)
{
  Inbox *inbox = g_new0 (Inbox, 1);

  inbox->conn = conn;
  plannr_pace_add_listener (plannr_connection_get_pace (conn), pace_changed_cb, inbox);
  return inbox;
}

static void
inbox_stop (gpointer state)
{
  Inbox *inbox = state;

  inbox->started = FALSE;
  g_clear_handle_id (&inbox->timer_id, g_source_remove);
}

static void
inbox_destroy (gpointer state)
{
  Inbox *inbox = state;

  inbox_stop (inbox);
  plannr_pace_remove_listener (plannr_connection_get_pace (inbox->conn), inbox);
  g_free (inbox);
}

const PlannrComponent plannr_inbox_component = {
  .name = "inbox",
  .create = inbox_create,
  .stop = inbox_stop,
  .destroy = inbox_destroy,
};
