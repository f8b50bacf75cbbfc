/* plannr-signin.c: the first full list of conversations
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-blist.h"
#include "plannr-chat.h"
#include "plannr-inbox.h"
#include "plannr-names.h"
#include "plannr-roomlist.h"
#include "plannr-signin.h"

typedef struct
{
  PlannrConnection *conn;
  gboolean          done;
  guint             last_asked;     /* the highest page asked for */
  guint             outstanding;    /* pages asked for, not yet read */
  guint             pinned_page;
  /* Bringing the buddy list up to date, a slice per idle. */
  GPtrArray        *convs;          /* PlannrConvInfo*, borrowed */
  GHashTable       *existing;       /* uuid -> PurpleChat*, the list's chats */
  guint             index;
  guint             slice_id;
} Signin;

static void page_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void pinned_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static Signin *
signin_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_signin_component);
}

gboolean
plannr_signin_is_done (PlannrConnection *conn)
{
  Signin *signin = signin_get (conn);

  return signin != NULL && signin->done;
}

/* One page of the list on its way. */
typedef struct
{
  Signin *signin;
  guint   page;
  gint64  asked;      /* monotonic µs */
} PageRequest;

static void
request_page (Signin *signin,
              guint   page)
{
  PageRequest *req = g_new0 (PageRequest, 1);

  req->signin = signin;
  req->page = page;
  req->asked = g_get_monotonic_time ();
  signin->last_asked = MAX (signin->last_asked, page);
  signin->outstanding++;
  /* By creation, which a conversation's activity does not change: sorted
   * by activity, one that gets a message while later pages are read
   * would move to a page already read, be missed, and taken for gone. */
  /* The pages after the first wait behind what the user does meanwhile
   * (there may be many when a server holds few per page). */
  plannr_api_list_conversations_async (plannr_connection_get_api (signin->conn),
                                       page == 1 ? PLANNR_PRIORITY_USER : PLANNR_PRIORITY_POLL,
                                       page, PLANNR_SIGNIN_PAGE_SIZE, "created_at",
                                       PLANNR_LIST_INCLUDE, page_cb, req);
}

/* Which are pinned is only said with participants, which are heavy:
 * one more small request, pinned ones first, instead of participants
 * for every conversation. */
static void
request_pinned_page (Signin *signin,
                     guint   page)
{
  signin->pinned_page = page;
  plannr_api_list_conversations_async (plannr_connection_get_api (signin->conn), PLANNR_PRIORITY_USER,
                                       page, PLANNR_PINNED_PAGE_SIZE, "-pinned_conversations",
                                       "participants", pinned_cb, signin);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree PageRequest *req = user_data;
  Signin *signin;
  PlannrConvList *convs;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  gint64 started;

  page = plannr_api_list_conversations_finish (PLANNR_API (source), result, &error);
  if (page == NULL && plannr_error_is_cancelled (error))
    return;
  signin = req->signin;
  signin->outstanding--;
  if (page == NULL)
    {
      plannr_connection_fail (signin->conn, error);
      return;
    }

  convs = plannr_connection_get_convs (signin->conn);
  started = g_get_monotonic_time ();
  for (guint i = 0; i < page->items->len; i++)
    {
      PlannrConversation *data = g_ptr_array_index (page->items, i);
      PlannrConvInfo *info = plannr_conv_list_get_or_add (convs, data->uuid, data->name);
      PlannrConvChange change;

      if (plannr_conv_info_update (info, data, req->asked, &change) && change.renamed)
        plannr_names_show (signin->conn, info);
      plannr_conv_list_seen (info);
    }
  g_debug ("conversation page %u: %u items merged into the list in %" G_GINT64_FORMAT " µs",
           req->page, page->items->len, g_get_monotonic_time () - started);

  /* Knowing how many pages there are, the first one asks for all the
   * others at once: they download side by side (the transport keeps a
   * few on the wire) and are parsed in worker threads as they come,
   * instead of one round trip and one parse after another.  Without
   * page numbers, links.next leads one page at a time. */
  if (req->page == 1 && page->last_page > 1 && page->items->len > 0)
    for (guint n = 2; n <= MIN (page->last_page, PLANNR_SIGNIN_MAX_PAGES); n++)
      request_page (signin, n);
  else if (req->page == signin->last_asked && page->has_next && page->items->len > 0 &&
           signin->last_asked < PLANNR_SIGNIN_MAX_PAGES)
    /* The last page asked for has a successor (one page at a time, or
     * the list grew while it was read). */
    request_page (signin, signin->last_asked + 1);

  if (signin->outstanding > 0)
    return;

  /* Everything not on the list any more is gone. */
  plannr_conv_list_end_sync (convs);
  request_pinned_page (signin, 1);
}

/* --- the buddy list ------------------------------------------------------ */

typedef struct
{
  PlannrConnection *conn;
  char             *uuid;
} VanishedCheck;

static void
vanished_check_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  VanishedCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) data = NULL;
  PurpleChat *chat;

  data = plannr_api_get_conversation_finish (PLANNR_API (source), result, &error);
  if (data == NULL && !plannr_error_is_cancelled (error) &&
      (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND) ||
       g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN)) &&
      (chat = plannr_blist_find (check->conn, check->uuid)) != NULL)
    {
      purple_debug_info ("plannr", "removing deleted conversation %s from the buddy list\n", check->uuid);
      purple_blist_remove_chat (chat);
    }
  else if (data != NULL)
    purple_debug_info ("plannr", "keeping %s on the buddy list: it exists, but not on the list "
                       "(archived)\n", check->uuid);
  g_free (check->uuid);
  g_free (check);
}

/* Chats on the buddy list whose conversation is not on the server's
 * list.  That list leaves out archived conversations: what the plugin
 * added goes (it comes back if the conversation does), but a chat the
 * user added by hand goes only once the server says it no longer
 * exists for them. */
static void
remove_vanished (Signin *signin)
{
  PlannrConvList *convs = plannr_connection_get_convs (signin->conn);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, signin->existing);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PlannrConvInfo *info = plannr_conv_list_lookup (convs, key);
      VanishedCheck *check;

      if (info != NULL && !info->gone)
        continue;
      if (plannr_blist_is_automatic (value))
        {
          purple_debug_info ("plannr", "removing vanished conversation %s from the buddy list\n",
                             (const char *) key);
          /* Out of the table first: removing it from the buddy list
           * removes it from the table too (node_removed_cb). */
          g_hash_table_iter_remove (&iter);
          purple_blist_remove_chat (value);
          continue;
        }
      check = g_new0 (VanishedCheck, 1);
      check->conn = signin->conn;
      check->uuid = g_strdup (key);
      plannr_api_get_conversation_async (plannr_connection_get_api (signin->conn), PLANNR_PRIORITY_POLL,
                                         check->uuid, NULL, vanished_check_cb, check);
    }
}

/* Adds what is new and recent, renames, and lets go of what the plugin
 * added that went quiet. */
static void
reconcile_one (Signin         *signin,
               PlannrConvInfo *info,
               int             days,
               GDateTime      *now)
{
  PlannrConnection *conn = signin->conn;
  PurpleChat *chat = g_hash_table_lookup (signin->existing, info->uuid);
  gboolean listed = plannr_conv_info_should_list (info, days, plannr_chat_is_open (conn, info->uuid), now);

  if (info->gone)
    return;
  if (chat == NULL)
    {
      if (listed)
        plannr_blist_add (conn, info);
      return;
    }
  if (!listed && plannr_blist_is_automatic (chat))
    {
      g_hash_table_remove (signin->existing, info->uuid);
      purple_blist_remove_chat (chat);
      return;
    }
  if (g_strcmp0 (chat->alias, info->name) != 0)
    plannr_names_show (conn, info);
}

static void
finish (Signin *signin)
{
  remove_vanished (signin);
  g_clear_pointer (&signin->convs, g_ptr_array_unref);
  g_clear_pointer (&signin->existing, g_hash_table_unref);
  signin->done = TRUE;

  /* Chats the user had open before a reconnect catch up now. */
  plannr_chat_poll_all (signin->conn);
  plannr_roomlist_ready (signin->conn);
  plannr_inbox_start (signin->conn);
}

static gboolean
slice_cb (gpointer user_data)
{
  Signin *signin = user_data;
  int days = plannr_connection_setting_int (signin->conn, PLANNR_SETTING_BLIST_DAYS,
                                            PLANNR_DEFAULT_BLIST_DAYS, 0, G_MAXINT / 2);
  guint end = MIN (signin->index + PLANNR_SYNC_SLICE, signin->convs->len);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 started = g_get_monotonic_time ();

  for (; signin->index < end; signin->index++)
    reconcile_one (signin, g_ptr_array_index (signin->convs, signin->index), days, now);
  g_debug ("buddy list: %u of %u conversations done, this slice in %" G_GINT64_FORMAT " µs",
           signin->index, signin->convs->len, g_get_monotonic_time () - started);

  if (signin->index < signin->convs->len)
    return G_SOURCE_CONTINUE;

  signin->slice_id = 0;
  finish (signin);
  return G_SOURCE_REMOVE;
}

static void
pinned_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Signin *signin = user_data;
  PlannrConvList *convs;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;

  page = plannr_api_list_conversations_finish (PLANNR_API (source), result, &error);
  if (page == NULL && plannr_error_is_cancelled (error))
    return;
  if (page == NULL)
    /* Not worth failing the sign-in for: pinned ones may be missing
     * from the buddy list if they are old. */
    purple_debug_warning ("plannr", "could not read pinned conversations: %s\n", error->message);

  convs = plannr_connection_get_convs (signin->conn);
  for (guint i = 0; page != NULL && i < page->items->len; i++)
    {
      PlannrConversation *data = g_ptr_array_index (page->items, i);
      PlannrConvInfo *info = plannr_conv_list_lookup (convs, data->uuid);

      if (info != NULL)
        info->pinned = data->pinned;
    }

  /* Pinned ones come first: a page that ends pinned may be followed by
   * more (a server may hold fewer per page than asked for). */
  if (page != NULL && page->has_next && page->items->len > 0 &&
      ((PlannrConversation *) g_ptr_array_index (page->items, page->items->len - 1))->pinned &&
      signin->pinned_page < PLANNR_PINNED_MAX_PAGES)
    {
      request_pinned_page (signin, signin->pinned_page + 1);
      return;
    }

  signin->existing = plannr_blist_snapshot (signin->conn);
  signin->convs = plannr_conv_list_live (convs);
  signin->index = 0;
  signin->slice_id = g_idle_add (slice_cb, signin);
}

/* The user may remove a chat between two slices. */
static void
node_removed_cb (PurpleBlistNode *node,
                 gpointer         user_data)
{
  Signin *signin = user_data;
  const char *uuid = plannr_blist_node_uuid (node, plannr_connection_get_account (signin->conn));
  g_autofree char *lower = uuid ? g_ascii_strdown (uuid, -1) : NULL;

  if (lower != NULL && signin->existing != NULL &&
      g_hash_table_lookup (signin->existing, lower) == node)
    g_hash_table_remove (signin->existing, lower);
}

/* --- the component ------------------------------------------------------- */

static gpointer
signin_create (PlannrConnection *conn)
{
  Signin *signin = g_new0 (Signin, 1);

  signin->conn = conn;
  purple_signal_connect (purple_blist_get_handle (), "blist-node-removed", signin,
                         PURPLE_CALLBACK (node_removed_cb), signin);
  return signin;
}

static void
signin_start (gpointer state)
{
  Signin *signin = state;

  plannr_conv_list_begin_sync (plannr_connection_get_convs (signin->conn));
  request_page (signin, 1);
}

static void
signin_stop (gpointer state)
{
  Signin *signin = state;

  g_clear_handle_id (&signin->slice_id, g_source_remove);
}

static void
signin_destroy (gpointer state)
{
  Signin *signin = state;

  signin_stop (signin);
  purple_signals_disconnect_by_handle (signin);
  g_clear_pointer (&signin->convs, g_ptr_array_unref);
  g_clear_pointer (&signin->existing, g_hash_table_unref);
  g_free (signin);
}

const PlannrComponent plannr_signin_component = {
  .name = "signin",
  .create = signin_create,
  .start = signin_start,
  .stop = signin_stop,
  .destroy = signin_destroy,
};
