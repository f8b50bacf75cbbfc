/* plannr-chats.c: Plannr conversations as libpurple chats
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-chats.h"
#include "plannr-edit.h"
#include "plannr-text.h"

/* Buddy-list node settings. */
#define NODE_LAST_UUID "plannr-last-uuid"
#define NODE_LAST_TIME "plannr-last-time"
#define NODE_AUTO      "plannr-auto"

#define LIST_INCLUDE "latest_message,participants_count,messages_count,case,tags"

static void show_events (PlannrConv *conv, GPtrArray *events);
static void verify_free (gpointer data);
typedef struct _QueuedWrite QueuedWrite;
static void queued_write_free (QueuedWrite *write);
static GHashTable *blist_chats (PlannrConnection *conn);
static void schedule_chat_poll (PlannrConv *conv, gboolean soon);
static void schedule_inbox_poll (PlannrConnection *conn);
static void join_conv (PlannrConv *conv);

/* --- small helpers --------------------------------------------------------- */

void
plannr_conv_free (PlannrConv *conv)
{
  g_clear_handle_id (&conv->poll_id, g_source_remove);
  g_free (conv->uuid);
  g_free (conv->name);
  g_free (conv->case_name);
  g_free (conv->tags);
  g_clear_pointer (&conv->updated_at, g_date_time_unref);
  g_clear_pointer (&conv->last_activity, g_date_time_unref);
  g_free (conv->latest_uuid);
  g_clear_pointer (&conv->log, plannr_message_log_free);
  g_clear_pointer (&conv->nicks, g_hash_table_unref);
  g_queue_clear_full (&conv->outgoing, (GDestroyNotify) plannr_outgoing_free);
  g_free (conv->last_shown);
  g_clear_pointer (&conv->last_shown_time, g_date_time_unref);
  g_free (conv->open_trigger);
  g_free (conv->rename_next);
  g_clear_handle_id (&conv->verify_id, g_source_remove);
  g_clear_pointer (&conv->verify, verify_free);
  g_queue_clear_full (&conv->writes, (GDestroyNotify) queued_write_free);
  g_free (conv);
}

PlannrConv *
plannr_chats_find (PlannrConnection *conn,
                   const char       *uuid)
{
  g_autofree char *lower = NULL;

  if (uuid == NULL)
    return NULL;
  lower = g_ascii_strdown (uuid, -1);
  return g_hash_table_lookup (conn->convs, lower);
}

PlannrConv *
plannr_chats_find_by_id (PlannrConnection *conn,
                         int               id)
{
  return g_hash_table_lookup (conn->chats, GINT_TO_POINTER (id));
}

PurpleConversation *
plannr_conv_get_purple (PlannrConv *conv)
{
  PurpleConversation *pconv;

  if (conv->chat_id == 0)
    return NULL;
  pconv = purple_find_chat (conv->conn->pc, conv->chat_id);
  return pconv;
}

static PurpleChat *
walk_blist_for_chat (PurpleAccount *account,
                     const char    *uuid)
{
  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL;
       node = purple_blist_node_next (node, TRUE))
    {
      const char *have;

      if (!PURPLE_BLIST_NODE_IS_CHAT (node) ||
          purple_chat_get_account (PURPLE_CHAT (node)) != account)
        continue;
      have = g_hash_table_lookup (purple_chat_get_components (PURPLE_CHAT (node)), "uuid");
      if (have != NULL && g_ascii_strcasecmp (have, uuid) == 0)
        return PURPLE_CHAT (node);
    }
  return NULL;
}

/* The account's chats by uuid, kept up to date by the buddy list's
 * added and removed signals: looking one up happens for every message
 * shown, and walking a list of thousands each time is too slow. */
static GHashTable *
blist_cache (PlannrConnection *conn)
{
  if (conn->blist_cache == NULL)
    conn->blist_cache = blist_chats (conn);
  return conn->blist_cache;
}

static const char *
chat_uuid (PurpleBlistNode  *node,
           PlannrConnection *conn)
{
  if (!PURPLE_BLIST_NODE_IS_CHAT (node) ||
      purple_chat_get_account (PURPLE_CHAT (node)) != conn->account)
    return NULL;
  return g_hash_table_lookup (purple_chat_get_components (PURPLE_CHAT (node)), "uuid");
}

static void
blist_node_added_cb (PurpleBlistNode *node,
                     gpointer         user_data)
{
  PlannrConnection *conn = user_data;
  const char *uuid = chat_uuid (node, conn);

  if (uuid != NULL && conn->blist_cache != NULL)
    g_hash_table_insert (conn->blist_cache, g_ascii_strdown (uuid, -1), node);
}

static void
blist_node_removed_cb (PurpleBlistNode *node,
                       gpointer         user_data)
{
  PlannrConnection *conn = user_data;
  g_autofree char *uuid = g_strdup (chat_uuid (node, conn));

  if (uuid != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (uuid, -1);

      if (conn->blist_cache != NULL && g_hash_table_lookup (conn->blist_cache, lower) == node)
        g_hash_table_remove (conn->blist_cache, lower);
      /* The sign-in's snapshot outlives idle callbacks in which the user
       * may remove a chat. */
      if (conn->reconcile_existing != NULL &&
          g_hash_table_lookup (conn->reconcile_existing, lower) == node)
        g_hash_table_remove (conn->reconcile_existing, lower);
    }
}

void
plannr_chats_watch_blist (PlannrConnection *conn)
{
  purple_signal_connect (purple_blist_get_handle (), "blist-node-added", conn,
                         PURPLE_CALLBACK (blist_node_added_cb), conn);
  purple_signal_connect (purple_blist_get_handle (), "blist-node-removed", conn,
                         PURPLE_CALLBACK (blist_node_removed_cb), conn);
}

/* libpurple's own lookup compares the first chat_info entry, which is
 * the name for us; a chat is found by its uuid component instead. */
PurpleChat *
plannr_chats_find_blist_chat (PurpleAccount *account,
                              const char    *uuid)
{
  PurpleConnection *pc = purple_account_get_connection (account);
  PlannrConnection *conn = pc ? plannr_connection_get (pc) : NULL;
  g_autofree char *lower = NULL;

  if (uuid == NULL)
    return NULL;
  if (conn == NULL)
    return walk_blist_for_chat (account, uuid);
  lower = g_ascii_strdown (uuid, -1);
  return g_hash_table_lookup (blist_cache (conn), lower);
}

PurpleChat *
plannr_conv_get_blist_chat (PlannrConv *conv)
{
  return plannr_chats_find_blist_chat (conv->conn->account, conv->uuid);
}

char *
plannr_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* NULL for times beyond what the local zone can show. */
  return g_date_time_format (local ? local : time, "%H:%M");
}

gboolean
plannr_conv_is_mine (PlannrConv *conv,
                     const char *author_uuid)
{
  return author_uuid != NULL && conv->conn->account_uuid != NULL &&
         g_ascii_strcasecmp (author_uuid, conv->conn->account_uuid) == 0;
}

const char *
plannr_conv_nick (PlannrConv *conv,
                  const char *author_uuid,
                  const char *fallback)
{
  const char *nick = NULL;

  if (plannr_conv_is_mine (conv, author_uuid))
    return conv->conn->my_name;
  if (conv->nicks != NULL && author_uuid != NULL)
    nick = g_hash_table_lookup (conv->nicks, author_uuid);
  if (nick != NULL)
    return nick;
  /* Someone who shares my display name, in whatever case or Unicode
   * form, must not read as me. */
  if (fallback != NULL)
    {
      g_autofree char *theirs = plannr_text_name_key (fallback);
      g_autofree char *mine = plannr_text_name_key (conv->conn->my_name);

      if (g_strcmp0 (theirs, mine) == 0)
        return _("Unknown");
    }
  return fallback ? fallback : _("Unknown");
}

void
plannr_conv_notice (PlannrConv         *conv,
                    PurpleMessageFlags  flags,
                    const char         *text)
{
  PurpleConversation *pconv = plannr_conv_get_purple (conv);
  g_autofree char *html = plannr_text_to_html (text);

  if (pconv != NULL)
    {
      purple_conversation_write (pconv, NULL, html, flags | PURPLE_MESSAGE_SYSTEM, time (NULL));
      return;
    }

  purple_notify_message (conv->conn->pc,
                         (flags & PURPLE_MESSAGE_ERROR) ? PURPLE_NOTIFY_MSG_ERROR
                                                        : PURPLE_NOTIFY_MSG_INFO,
                         _("Plannr"), conv->name, text, NULL, NULL);
}

static int
setting_history_count (PlannrConnection *conn)
{
  return plannr_setting_int (conn, PLANNR_SETTING_HISTORY_COUNT,
                             PLANNR_DEFAULT_HISTORY_COUNT, 0, 500);
}

/* --- remembering what was shown -------------------------------------------- */

/* The newest message shown lives on the chat's buddy-list node, so that
 * catch-up survives a restart; without a node, for this session only. */
/* Conversations without a buddy-list node (opened from the room list, or
 * older than blist-days) keep what was shown in one account setting:
 * lines of "conversation message time", the newest few hundred. */
#define SETTING_SEEN "plannr-seen"
#define SEEN_MAX 300

static void
load_seen (PlannrConnection *conn)
{
  const char *text = purple_account_get_string (conn->account, SETTING_SEEN, "");
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  conn->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 3);

      if (g_strv_length (parts) == 3 && plannr_uuid_is_valid (parts[0]) &&
          plannr_uuid_is_valid (parts[1]))
        g_hash_table_insert (conn->seen, g_ascii_strdown (parts[0], -1),
                             g_strdup_printf ("%s %s", parts[1], parts[2]));
    }
}

static GHashTable *
seen_table (PlannrConnection *conn)
{
  if (conn->seen == NULL)
    load_seen (conn);
  return conn->seen;
}

static gint
seen_newest_first (gconstpointer a,
                   gconstpointer b)
{
  /* "message time": compare the times, which are ISO 8601 in UTC. */
  const char *ta = strchr (*(const char **) a, ' ');
  const char *tb = strchr (*(const char **) b, ' ');

  return -g_strcmp0 (ta, tb);
}

static void
save_seen (PlannrConnection *conn)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  GString *text = g_string_new (NULL);

  g_hash_table_iter_init (&iter, conn->seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (lines, g_strdup_printf ("%s %s", (char *) value, (char *) key));
  /* Each line is "message time conversation" for sorting by time. */
  g_ptr_array_sort (lines, seen_newest_first);
  for (guint i = 0; i < lines->len && i < SEEN_MAX; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (lines, i), " ", 3);

      g_string_append_printf (text, "%s%s %s %s", i > 0 ? "\n" : "", parts[2], parts[0], parts[1]);
    }
  purple_account_set_string (conn->account, SETTING_SEEN, text->str);
  g_string_free (text, TRUE);
  conn->seen_dirty = FALSE;
}

static void
write_remembered (PlannrConv *conv)
{
  PlannrConnection *conn = conv->conn;
  PurpleChat *chat;
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) utc = NULL;

  conv->shown_dirty = FALSE;
  if (conv->last_shown == NULL || conv->last_shown_time == NULL)
    return;
  utc = g_date_time_to_utc (conv->last_shown_time);
  iso = g_date_time_format_iso8601 (utc);
  chat = plannr_conv_get_blist_chat (conv);
  if (chat != NULL)
    {
      purple_blist_node_set_string (PURPLE_BLIST_NODE (chat), NODE_LAST_UUID, conv->last_shown);
      purple_blist_node_set_string (PURPLE_BLIST_NODE (chat), NODE_LAST_TIME, iso);
      if (g_hash_table_remove (seen_table (conn), conv->uuid))
        conn->seen_dirty = TRUE;
      return;
    }
  g_hash_table_insert (seen_table (conn), g_strdup (conv->uuid),
                       g_strdup_printf ("%s %s", conv->last_shown, iso));
  conn->seen_dirty = TRUE;
}

void
plannr_chats_remember_all (PlannrConnection *conn)
{
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&conn->remember_id, g_source_remove);
  g_hash_table_iter_init (&iter, conn->convs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((PlannrConv *) value)->shown_dirty)
      write_remembered (value);
  if (conn->seen_dirty)
    save_seen (conn);
}

static gboolean
remember_cb (gpointer user_data)
{
  PlannrConnection *conn = user_data;

  conn->remember_id = 0;
  plannr_chats_remember_all (conn);
  return G_SOURCE_REMOVE;
}

/* The newest message shown lives on the chat's buddy-list node, so that
 * catch-up survives a restart; without a node, for this session only.
 * Written a little later, together with other chats' (see
 * PLANNR_REMEMBER_DELAY_S). */
static void
remember_shown (PlannrConv          *conv,
                const PlannrMessage *message)
{
  PlannrConnection *conn = conv->conn;

  if (conv->last_shown_time != NULL &&
      g_date_time_compare (message->created_at, conv->last_shown_time) < 0)
    return;

  g_free (conv->last_shown);
  conv->last_shown = g_strdup (message->uuid);
  g_clear_pointer (&conv->last_shown_time, g_date_time_unref);
  conv->last_shown_time = g_date_time_ref (message->created_at);
  conv->shown_dirty = TRUE;
  if (conn->remember_id == 0)
    conn->remember_id = g_timeout_add_seconds (PLANNR_REMEMBER_DELAY_S, remember_cb, conn);
}

static void
load_remembered (PlannrConv *conv)
{
  PurpleChat *chat = plannr_conv_get_blist_chat (conv);
  const char *uuid = NULL;
  const char *iso = NULL;
  g_auto(GStrv) parts = NULL;

  if (conv->last_shown != NULL)
    return;
  if (chat != NULL)
    {
      uuid = purple_blist_node_get_string (PURPLE_BLIST_NODE (chat), NODE_LAST_UUID);
      iso = purple_blist_node_get_string (PURPLE_BLIST_NODE (chat), NODE_LAST_TIME);
    }
  if (uuid == NULL && g_hash_table_lookup (seen_table (conv->conn), conv->uuid) != NULL)
    {
      parts = g_strsplit (g_hash_table_lookup (seen_table (conv->conn), conv->uuid), " ", 2);
      uuid = parts[0];
      iso = parts[1];
    }
  if (!plannr_uuid_is_valid (uuid))
    return;
  conv->last_shown = g_ascii_strdown (uuid, -1);
  conv->last_shown_time = plannr_parse_time (iso);
}

/* --- showing messages ------------------------------------------------------- */

static void
append_files_and_reactions (GString             *html,
                            const PlannrMessage *message)
{
  for (guint i = 0; i < message->files->len; i++)
    {
      const PlannrFile *file = g_ptr_array_index (message->files, i);
      g_autofree char *name = g_markup_escape_text (file->filename, -1);
      g_autofree char *size = g_format_size (file->size);
      const char *url = file->download_url;

      g_string_append_printf (html, "<br>%s %s (%s)", _("File:"), name, size);
      /* Only web links become links; anything else is not shown. */
      if (url != NULL && (g_ascii_strncasecmp (url, "https://", 8) == 0 ||
                          g_ascii_strncasecmp (url, "http://", 7) == 0))
        {
          g_autofree char *link = plannr_text_to_html (url);

          g_string_append_printf (html, " %s", link);
        }
    }

  if (message->reactions->len > 0)
    {
      g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) order = g_ptr_array_new ();
      GString *text = g_string_new (NULL);
      g_autofree char *escaped = NULL;

      for (guint i = 0; i < message->reactions->len; i++)
        {
          const PlannrReaction *r = g_ptr_array_index (message->reactions, i);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, r->reaction));

          if (n == 0)
            g_ptr_array_add (order, r->reaction);
          g_hash_table_insert (counts, r->reaction, GUINT_TO_POINTER (n + 1));
        }
      for (guint i = 0; i < order->len; i++)
        {
          const char *kind = g_ptr_array_index (order, i);

          g_string_append_printf (text, "%s%s ×%u", i > 0 ? ", " : "", kind,
                                  GPOINTER_TO_UINT (g_hash_table_lookup (counts, kind)));
        }
      escaped = plannr_text_to_html (text->str);
      g_string_append_printf (html, "<br>%s %s", _("Reactions:"), escaped);
      g_string_free (text, TRUE);
    }
}

static void
show_message (PlannrConv          *conv,
              const PlannrMessage *message,
              gboolean             delayed)
{
  PlannrConnection *conn = conv->conn;
  g_autofree char *body = plannr_text_to_html (message->contents);
  GString *html = g_string_new (body);
  const char *author_uuid = message->author ? message->author->uuid : NULL;
  const char *who = plannr_conv_nick (conv, author_uuid,
                                      message->author ? message->author->name : NULL);
  PurpleMessageFlags flags;

  if (conv->chat_id == 0)
    {
      g_string_free (html, TRUE);
      return;
    }

  append_files_and_reactions (html, message);
  flags = plannr_conv_is_mine (conv, author_uuid) ? PURPLE_MESSAGE_SEND : PURPLE_MESSAGE_RECV;
  if (delayed)
    flags |= PURPLE_MESSAGE_DELAYED;

  serv_got_chat_in (conn->pc, conv->chat_id, who, flags, html->str,
                    (time_t) g_date_time_to_unix (message->created_at));
  g_string_free (html, TRUE);
  remember_shown (conv, message);
}

static void
show_events (PlannrConv *conv,
             GPtrArray  *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      PlannrMessageEvent *event = g_ptr_array_index (events, i);
      PlannrMessage *message = event->message;
      const char *author_uuid = message->author ? message->author->uuid : NULL;
      g_autofree char *when = plannr_format_time (message->created_at);
      g_autofree char *line = NULL;

      switch (event->kind)
        {
        case PLANNR_EVENT_NEW:
          show_message (conv, message, FALSE);
          continue;

        case PLANNR_EVENT_EDITED:
          if (plannr_conv_is_mine (conv, author_uuid))
            line = event->old_contents
              ? g_strdup_printf (_("You edited your message from %s: %s (was: %s)"),
                                 when, message->contents, event->old_contents)
              : g_strdup_printf (_("You edited your message from %s: %s"),
                                 when, message->contents);
          else
            {
              const char *who = plannr_conv_nick (conv, author_uuid,
                                                  message->author ? message->author->name : NULL);

              line = event->old_contents
                ? g_strdup_printf (_("%s edited their message from %s: %s (was: %s)"),
                                   who, when, message->contents, event->old_contents)
                : g_strdup_printf (_("%s edited their message from %s: %s"),
                                   who, when, message->contents);
            }
          break;

        case PLANNR_EVENT_DELETED:
          if (plannr_conv_is_mine (conv, author_uuid))
            line = g_strdup_printf (_("You deleted your message from %s."), when);
          else
            line = g_strdup_printf (_("%s deleted their message from %s."),
                                    plannr_conv_nick (conv, author_uuid,
                                                      message->author ? message->author->name : NULL),
                                    when);
          break;

        default:
          g_assert_not_reached ();
        }

      if (conv->chat_id != 0)
        plannr_conv_notice (conv, 0, line);
    }
}

/* --- names everywhere ------------------------------------------------------- */

static void
update_roomlist_name (PlannrConv *conv)
{
  PurpleRoomlist *list = conv->conn->roomlist;

  if (list == NULL)
    return;
  /* libpurple 2 has no call to update a room, but its fields are public;
   * the name is what a join or "Add Chat" from the list uses. */
  for (GList *l = list->rooms; l != NULL; l = l->next)
    {
      PurpleRoomlistRoom *room = l->data;
      GList *field = purple_roomlist_room_get_fields (room);

      if (field == NULL || field->next == NULL || g_strcmp0 (field->next->data, conv->uuid) != 0)
        continue;
      g_free (room->name);
      room->name = g_strdup (conv->name);
      g_free (field->data);
      field->data = g_strdup (conv->name);
    }
}

void
plannr_conv_apply_name (PlannrConv *conv,
                        const char *name,
                        const char *line)
{
  PlannrConnection *conn = conv->conn;
  PurpleConversation *pconv;
  PurpleChat *chat;

  if (g_strcmp0 (conv->name, name) != 0)
    {
      g_free (conv->name);
      conv->name = g_strdup (name);
    }

  chat = plannr_conv_get_blist_chat (conv);
  if (chat != NULL)
    {
      GHashTable *components = purple_chat_get_components (chat);

      g_hash_table_replace (components, g_strdup ("name"), g_strdup (name));
      if (g_strcmp0 (chat->alias, name) != 0)
        {
          /* Our own alias change must not come back as a rename. */
          conn->applying_name = TRUE;
          purple_blist_alias_chat (chat, name);
          conn->applying_name = FALSE;
        }
    }

  pconv = plannr_conv_get_purple (conv);
  if (pconv != NULL)
    {
      if (g_strcmp0 (purple_conversation_get_title (pconv), name) != 0)
        purple_conversation_set_title (pconv, name);
      if (g_strcmp0 (purple_conv_chat_get_topic (PURPLE_CONV_CHAT (pconv)), name) != 0)
        purple_conv_chat_set_topic (PURPLE_CONV_CHAT (pconv), NULL, name);
      if (line != NULL)
        plannr_conv_notice (conv, 0, line);
    }

  update_roomlist_name (conv);
}

/* --- the conversation list ---------------------------------------------------- */

static PlannrConv *
conv_new (PlannrConnection *conn,
          const char       *uuid)
{
  PlannrConv *conv = g_new0 (PlannrConv, 1);

  conv->conn = conn;
  conv->uuid = g_strdup (uuid);
  conv->name = g_strdup ("");
  conv->participants_count = -1;
  conv->messages_count = -1;
  g_queue_init (&conv->outgoing);
  g_queue_init (&conv->writes);
  g_hash_table_insert (conn->convs, conv->uuid, conv);
  return conv;
}

/* Takes what the server says of a conversation.  Returns TRUE when it
 * differs from what was known (new, renamed, new message, ...). */
static gboolean
update_conv (PlannrConv               *conv,
             const PlannrConversation *data,
             gint64                    read_started,
             gboolean                 *renamed,
             gboolean                 *new_message)
{
  gboolean changed = FALSE;
  const char *latest = data->latest_message ? data->latest_message->uuid : NULL;

  *renamed = FALSE;
  *new_message = FALSE;

  /* An answer older than what we hold (a poll that was on its way while
   * the user renamed) must not bring the old name back. */
  if (conv->updated_at != NULL && data->updated_at != NULL &&
      g_date_time_compare (data->updated_at, conv->updated_at) < 0)
    return FALSE;

  /* While our own rename is on its way, a poll may still carry the old
   * name (timestamps have one-second resolution); the rename's answer
   * sets the name.  So may an answer to a request made before our
   * rename landed, which matters when the rename's answer had no
   * updated_at to compare with (a 204). */
  *renamed = conv->renaming == 0 && read_started > conv->name_landed &&
             g_strcmp0 (conv->name, data->name) != 0;
  *new_message = latest != NULL && g_strcmp0 (conv->latest_uuid, latest) != 0;

  if (data->updated_at != NULL &&
      (conv->updated_at == NULL || !g_date_time_equal (conv->updated_at, data->updated_at)))
    {
      g_clear_pointer (&conv->updated_at, g_date_time_unref);
      conv->updated_at = g_date_time_ref (data->updated_at);
      changed = TRUE;
    }
  if (*new_message)
    {
      g_free (conv->latest_uuid);
      conv->latest_uuid = g_strdup (latest);
      changed = TRUE;
    }

  g_clear_pointer (&conv->last_activity, g_date_time_unref);
  if (data->latest_message != NULL)
    conv->last_activity = g_date_time_ref (data->latest_message->created_at);
  else if (data->updated_at != NULL)
    conv->last_activity = g_date_time_ref (data->updated_at);
  else if (data->created_at != NULL)
    conv->last_activity = g_date_time_ref (data->created_at);

  g_free (conv->case_name);
  conv->case_name = g_strdup (data->case_name);
  g_free (conv->tags);
  g_ptr_array_add (data->tags, NULL);
  conv->tags = g_strjoinv (", ", (char **) data->tags->pdata);
  g_ptr_array_remove_index (data->tags, data->tags->len - 1);
  if (data->participants_count >= 0)
    conv->participants_count = data->participants_count;
  if (data->messages_count >= 0)
    conv->messages_count = data->messages_count;
  /* "pinned" is only there when participants are included. */
  if (data->participants != NULL)
    conv->pinned = data->pinned;
  conv->gone = FALSE;

  return changed || *renamed;
}

static gboolean
should_list (PlannrConv *conv,
             int         days)
{
  g_autoptr(GDateTime) now = NULL;

  if (days <= 0 || conv->pinned || conv->chat_id != 0)
    return TRUE;
  if (conv->last_activity == NULL)
    return FALSE;
  now = g_date_time_new_now_utc ();
  return g_date_time_difference (now, conv->last_activity) <= (GTimeSpan) days * G_TIME_SPAN_DAY;
}

static PurpleGroup *
plannr_group (PlannrConnection *conn)
{
  const char *name = purple_account_get_string (conn->account, PLANNR_SETTING_GROUP,
                                                PLANNR_DEFAULT_GROUP);
  PurpleGroup *group;

  if (name == NULL || *name == '\0')
    name = PLANNR_DEFAULT_GROUP;
  group = purple_find_group (name);
  if (group == NULL)
    {
      group = purple_group_new (name);
      purple_blist_add_group (group, NULL);
    }
  return group;
}

static void
add_to_blist (PlannrConv *conv)
{
  GHashTable *components = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  PurpleChat *chat;

  g_hash_table_insert (components, g_strdup ("uuid"), g_strdup (conv->uuid));
  g_hash_table_insert (components, g_strdup ("name"), g_strdup (conv->name));
  chat = purple_chat_new (conv->conn->account, conv->name, components);
  purple_blist_node_set_bool (PURPLE_BLIST_NODE (chat), NODE_AUTO, TRUE);
  purple_blist_add_chat (chat, plannr_group (conv->conn), NULL);

  /* Opened before it had a node: keep what was shown for catch-up. */
  if (conv->last_shown != NULL)
    conv->shown_dirty = TRUE;
}

/* The account's chats on the buddy list, by uuid: one walk of the list
 * instead of one per conversation. */
static GHashTable *
blist_chats (PlannrConnection *conn)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL;
       node = purple_blist_node_next (node, FALSE))
    {
      PurpleChat *chat;
      const char *uuid;

      if (!PURPLE_BLIST_NODE_IS_CHAT (node))
        continue;
      chat = PURPLE_CHAT (node);
      if (purple_chat_get_account (chat) != conn->account)
        continue;
      uuid = g_hash_table_lookup (purple_chat_get_components (chat), "uuid");
      if (uuid != NULL)
        g_hash_table_insert (table, g_ascii_strdown (uuid, -1), chat);
    }
  return table;
}

/* After the full list: add what is new and recent, rename, and let go
 * of what we added that went quiet; a slice at a time. */
static void
reconcile_one (PlannrConnection *conn,
               PlannrConv       *conv,
               int               days)
{
  PurpleChat *chat = g_hash_table_lookup (conn->reconcile_existing, conv->uuid);
  gboolean listed = should_list (conv, days);

  if (conv->gone)
    return;
  if (chat == NULL)
    {
      if (listed)
        add_to_blist (conv);
      return;
    }
  if (!listed && purple_blist_node_get_bool (PURPLE_BLIST_NODE (chat), NODE_AUTO))
    {
      g_hash_table_remove (conn->reconcile_existing, conv->uuid);
      purple_blist_remove_chat (chat);
      return;
    }
  if (g_strcmp0 (chat->alias, conv->name) != 0)
    plannr_conv_apply_name (conv, conv->name, NULL);
}

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
  if (data == NULL && !plannr_is_cancelled (error) &&
      (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND) ||
       g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN)) &&
      (chat = plannr_chats_find_blist_chat (check->conn->account, check->uuid)) != NULL)
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
remove_vanished (PlannrConnection *conn)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, conn->reconcile_existing);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PlannrConv *conv = g_hash_table_lookup (conn->convs, key);
      VanishedCheck *check;

      if (conv != NULL && !conv->gone)
        continue;
      if (purple_blist_node_get_bool (PURPLE_BLIST_NODE (value), NODE_AUTO))
        {
          purple_debug_info ("plannr", "removing vanished conversation %s from the buddy list\n",
                             (const char *) key);
          g_hash_table_iter_remove (&iter);
          purple_blist_remove_chat (PURPLE_CHAT (value));
          continue;
        }
      check = g_new0 (VanishedCheck, 1);
      check->conn = conn;
      check->uuid = g_strdup (key);
      plannr_api_get_conversation_async (conn->api, PLANNR_PRIORITY_POLL, check->uuid, NULL,
                                         vanished_check_cb, check);
    }
}

static void
roomlist_add (PurpleRoomlist *list,
              PlannrConv     *conv)
{
  PurpleRoomlistRoom *room = purple_roomlist_room_new (PURPLE_ROOMLIST_ROOMTYPE_ROOM, conv->name, NULL);
  g_autofree char *activity = NULL;

  if (conv->last_activity != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (conv->last_activity);

      activity = g_date_time_format (local ? local : conv->last_activity, "%Y-%m-%d %H:%M");
    }

  /* Same order as the fields in plannr_chats_roomlist_get(). */
  purple_roomlist_room_add_field (list, room, conv->name);
  purple_roomlist_room_add_field (list, room, conv->uuid);
  purple_roomlist_room_add_field (list, room, GINT_TO_POINTER (MAX (conv->participants_count, 0)));
  purple_roomlist_room_add_field (list, room, GINT_TO_POINTER (MAX (conv->messages_count, 0)));
  purple_roomlist_room_add_field (list, room, conv->case_name ? conv->case_name : "");
  purple_roomlist_room_add_field (list, room, conv->tags ? conv->tags : "");
  purple_roomlist_room_add_field (list, room, GINT_TO_POINTER (conv->pinned));
  purple_roomlist_room_add_field (list, room, activity ? activity : "");
  purple_roomlist_room_add (list, room);
}

/* --- the first full list ------------------------------------------------------- */

static void signin_page_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void request_pinned_page (PlannrConnection *conn, guint page);
static void start_reconcile (PlannrConnection *conn);

static void
pinned_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PlannrConnection *conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;

  page = plannr_api_list_conversations_finish (PLANNR_API (source), result, &error);
  if (page == NULL)
    {
      if (plannr_is_cancelled (error))
        return;
      /* Not worth failing the sign-in for: pinned ones may be missing
       * from the buddy list if they are old. */
      purple_debug_warning ("plannr", "could not read pinned conversations: %s\n", error->message);
    }
  for (guint i = 0; page != NULL && i < page->items->len; i++)
    {
      PlannrConversation *data = g_ptr_array_index (page->items, i);
      PlannrConv *conv = g_hash_table_lookup (conn->convs, data->uuid);

      if (conv != NULL)
        conv->pinned = data->pinned;
    }

  /* Pinned ones come first: a page that ends pinned may be followed by
   * more (a server may hold fewer per page than asked for). */
  if (page != NULL && page->has_next && page->items->len > 0 &&
      ((PlannrConversation *) g_ptr_array_index (page->items, page->items->len - 1))->pinned &&
      conn->pinned_page < PLANNR_INBOX_MAX_PAGES)
    {
      request_pinned_page (conn, conn->pinned_page + 1);
      return;
    }
  start_reconcile (conn);
}

/* Which are pinned is only said with participants, which are heavy:
 * one more small request, pinned ones first, instead of participants
 * for every conversation. */
static void
request_pinned_page (PlannrConnection *conn,
                     guint             page)
{
  conn->pinned_page = page;
  plannr_api_list_conversations_async (conn->api, PLANNR_PRIORITY_USER, page,
                                       PLANNR_PINNED_PAGE_SIZE, "-pinned_conversations",
                                       "participants", pinned_cb, conn);
}

static void
request_signin_page (PlannrConnection *conn,
                     guint             page)
{
  /* By creation, which a conversation's activity does not change: sorted
   * by activity, one that gets a message while later pages are read
   * would move to a page already read, be missed, and taken for gone. */
  conn->list_started = g_get_monotonic_time ();
  plannr_api_list_conversations_async (conn->api, PLANNR_PRIORITY_USER, page,
                                       PLANNR_SIGNIN_PAGE_SIZE, "created_at",
                                       LIST_INCLUDE, signin_page_cb, conn);
}

static void
signin_page_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PlannrConnection *conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  gint64 started;

  page = plannr_api_list_conversations_finish (PLANNR_API (source), result, &error);
  if (page == NULL)
    {
      if (plannr_is_cancelled (error))
        return;
      plannr_connection_fail (conn, error);
      return;
    }

  started = g_get_monotonic_time ();
  for (guint i = 0; i < page->items->len; i++)
    {
      PlannrConversation *data = g_ptr_array_index (page->items, i);
      PlannrConv *conv = g_hash_table_lookup (conn->convs, data->uuid);
      gboolean renamed, new_message;

      if (conv == NULL)
        {
          conv = conv_new (conn, data->uuid);
          g_free (conv->name);
          conv->name = g_strdup (data->name);
        }
      if (update_conv (conv, data, conn->list_started, &renamed, &new_message) && renamed)
        plannr_conv_apply_name (conv, data->name, NULL);
      conv->seen_in_sync = TRUE;
    }
  purple_debug_misc ("plannr", "conversation page %u: %u items parsed into the list in %" G_GINT64_FORMAT " µs\n",
                     page->current_page, page->items->len, g_get_monotonic_time () - started);

  if (page->has_next && page->items->len > 0)
    {
      request_signin_page (conn, MAX (page->current_page, conn->signin_page) + 1);
      conn->signin_page = MAX (page->current_page, conn->signin_page) + 1;
      return;
    }

  /* Everything not on the list any more is gone. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, conn->convs);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        PlannrConv *conv = value;

        conv->gone = !conv->seen_in_sync;
        conv->seen_in_sync = FALSE;
      }
  }

  request_pinned_page (conn, 1);
}

static GPtrArray *
live_convs (PlannrConnection *conn)
{
  GPtrArray *convs = g_ptr_array_sized_new (g_hash_table_size (conn->convs));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, conn->convs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((PlannrConv *) value)->gone)
      g_ptr_array_add (convs, value);
  return convs;
}

/* Lets go of the room list: the fill is over or the UI cancelled it.
 * As libpurple's own protocols do, the plugin holds its reference only
 * while it fills the list; the UI holds its own for as long as it shows
 * it, and may drop it (a closed window) at any time after. */
static void
roomlist_release (PlannrConnection *conn)
{
  PurpleRoomlist *list = g_steal_pointer (&conn->roomlist);

  g_clear_handle_id (&conn->room_fill_id, g_source_remove);
  g_clear_pointer (&conn->room_fill, g_ptr_array_unref);
  if (list == NULL)
    return;
  purple_roomlist_set_in_progress (list, FALSE);
  purple_roomlist_unref (list);
}

static gboolean
room_fill_cb (gpointer user_data)
{
  PlannrConnection *conn = user_data;
  guint end = MIN (conn->room_fill_index + PLANNR_SYNC_SLICE, conn->room_fill->len);

  for (; conn->room_fill_index < end; conn->room_fill_index++)
    roomlist_add (conn->roomlist, g_ptr_array_index (conn->room_fill, conn->room_fill_index));

  if (conn->room_fill_index < conn->room_fill->len)
    return G_SOURCE_CONTINUE;

  conn->room_fill_id = 0;
  roomlist_release (conn);
  return G_SOURCE_REMOVE;
}

/* Fills the room list a slice per idle: libpurple appends each room to
 * the end of a linked list, and thousands at once would freeze the UI. */
static void
fill_roomlist (PlannrConnection *conn)
{
  g_clear_handle_id (&conn->room_fill_id, g_source_remove);
  g_clear_pointer (&conn->room_fill, g_ptr_array_unref);
  purple_roomlist_set_in_progress (conn->roomlist, TRUE);
  conn->room_fill = live_convs (conn);
  conn->room_fill_index = 0;
  conn->room_fill_id = g_idle_add (room_fill_cb, conn);
}

static void
finish_signin (PlannrConnection *conn)
{
  remove_vanished (conn);
  g_clear_pointer (&conn->reconcile, g_ptr_array_unref);
  g_clear_pointer (&conn->reconcile_existing, g_hash_table_unref);
  conn->synced = TRUE;

  /* Chats the user had open before a reconnect catch up now. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, conn->convs);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        PlannrConv *conv = value;

        if (conv->chat_id != 0 && !conv->joining)
          schedule_chat_poll (conv, TRUE);
      }
  }

  if (conn->roomlist != NULL)
    fill_roomlist (conn);

  schedule_inbox_poll (conn);
}

static gboolean
reconcile_cb (gpointer user_data)
{
  PlannrConnection *conn = user_data;
  int days = plannr_setting_int (conn, PLANNR_SETTING_BLIST_DAYS,
                                 PLANNR_DEFAULT_BLIST_DAYS, 0, G_MAXINT / 2);
  guint end = MIN (conn->reconcile_index + PLANNR_SYNC_SLICE, conn->reconcile->len);
  gint64 started = g_get_monotonic_time ();

  for (; conn->reconcile_index < end; conn->reconcile_index++)
    reconcile_one (conn, g_ptr_array_index (conn->reconcile, conn->reconcile_index), days);
  purple_debug_misc ("plannr", "buddy list: %u of %u conversations done, this slice in %" G_GINT64_FORMAT " µs\n",
                     conn->reconcile_index, conn->reconcile->len, g_get_monotonic_time () - started);

  if (conn->reconcile_index < conn->reconcile->len)
    return G_SOURCE_CONTINUE;

  conn->reconcile_id = 0;
  finish_signin (conn);
  return G_SOURCE_REMOVE;
}

/* The buddy list is brought up to date a slice per idle callback. */
static void
start_reconcile (PlannrConnection *conn)
{
  g_clear_pointer (&conn->reconcile_existing, g_hash_table_unref);
  g_clear_pointer (&conn->reconcile, g_ptr_array_unref);
  conn->reconcile_existing = blist_chats (conn);
  conn->reconcile = live_convs (conn);
  conn->reconcile_index = 0;
  conn->reconcile_id = g_idle_add (reconcile_cb, conn);
}

void
plannr_chats_start (PlannrConnection *conn)
{
  int interval = plannr_setting_int (conn, PLANNR_SETTING_POLL_INTERVAL,
                                     PLANNR_DEFAULT_POLL_INTERVAL, 1, 3600);

  plannr_backoff_init (&conn->inbox_backoff, interval * 1000,
                       interval * 1000 * PLANNR_INBOX_BACKOFF_FACTOR);
  conn->signin_page = 1;
  request_signin_page (conn, 1);
}

void
plannr_chats_stop (PlannrConnection *conn)
{
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&conn->inbox_id, g_source_remove);
  g_clear_handle_id (&conn->reconcile_id, g_source_remove);
  roomlist_release (conn);
  g_clear_handle_id (&conn->remember_id, g_source_remove);
  g_hash_table_iter_init (&iter, conn->convs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PlannrConv *conv = value;

      g_clear_handle_id (&conv->poll_id, g_source_remove);
      g_clear_handle_id (&conv->verify_id, g_source_remove);
    }
}

/* --- the inbox poll ------------------------------------------------------------ */

static void inbox_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static gboolean
inbox_timeout_cb (gpointer user_data)
{
  PlannrConnection *conn = user_data;
  /* Every fourth poll asks by latest message instead of by update time:
   * should a server not touch a conversation's updated_at on a new
   * message, new messages are still found, only later. */
  const char *sort = (conn->inbox_polls % 4 == 3) ? "-latest_message" : "-updated_at";

  conn->inbox_id = 0;
  conn->inbox_busy = TRUE;
  conn->inbox_page = 1;
  conn->inbox_changed = FALSE;
  conn->inbox_polls++;
  conn->inbox_sort = sort;
  conn->list_started = g_get_monotonic_time ();
  plannr_api_list_conversations_async (conn->api, PLANNR_PRIORITY_POLL, 1,
                                       PLANNR_INBOX_PAGE_SIZE, sort, LIST_INCLUDE,
                                       inbox_cb, conn);
  return G_SOURCE_REMOVE;
}

static void
schedule_inbox_poll (PlannrConnection *conn)
{
  guint delay;

  if (conn->inbox_id != 0 || conn->inbox_busy || plannr_api_is_shut_down (conn->api))
    return;
  delay = plannr_backoff_delay (&conn->inbox_backoff,
                                plannr_api_get_rate_remaining (conn->api),
                                plannr_api_get_rate_limit (conn->api));
  conn->inbox_id = g_timeout_add (delay, inbox_timeout_cb, conn);
}

static void
conversation_changed (PlannrConv    *conv,
                      gboolean       is_new,
                      gboolean       renamed,
                      const char    *name,
                      gboolean       new_message,
                      PlannrMessage *latest)
{
  PlannrConnection *conn = conv->conn;

  if (is_new)
    {
      if (plannr_conv_get_blist_chat (conv) == NULL)
        add_to_blist (conv);
      /* A room list being filled gets it too; one filled already is the
       * UI's alone, and "Get List" shows it next time. */
      if (conn->room_fill != NULL && !g_ptr_array_find (conn->room_fill, conv, NULL))
        g_ptr_array_add (conn->room_fill, conv);
    }
  else if (renamed)
    {
      g_autofree char *line = g_strdup_printf (_("The conversation was renamed to %s"), name);

      plannr_conv_apply_name (conv, name, line);
    }

  if (!new_message || latest == NULL)
    return;

  if (conv->chat_id != 0)
    {
      if (!conv->joining)
        schedule_chat_poll (conv, TRUE);
      return;
    }

  /* A message from someone else opens its chat, as an IM would. */
  if (purple_account_get_bool (conn->account, PLANNR_SETTING_OPEN_ON_MESSAGE, TRUE) &&
      latest->deleted_at == NULL &&
      !plannr_conv_is_mine (conv, latest->author ? latest->author->uuid : NULL) &&
      (conv->last_shown == NULL || g_strcmp0 (conv->last_shown, latest->uuid) != 0))
    {
      /* Shown even with a history-count of 0: it is why the chat opens. */
      g_free (conv->open_trigger);
      conv->open_trigger = g_strdup (latest->uuid);
      join_conv (conv);
    }
}

static void
inbox_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PlannrConnection *conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  gboolean reached_unchanged = FALSE;

  page = plannr_api_list_conversations_finish (PLANNR_API (source), result, &error);
  if (page == NULL)
    {
      if (plannr_connection_poll_failed (conn, error))
        return;
      conn->inbox_busy = FALSE;
      plannr_backoff_idle (&conn->inbox_backoff);
      schedule_inbox_poll (conn);
      return;
    }
  plannr_connection_poll_succeeded (conn);

  for (guint i = 0; i < page->items->len; i++)
    {
      PlannrConversation *data = g_ptr_array_index (page->items, i);
      PlannrConv *conv = g_hash_table_lookup (conn->convs, data->uuid);
      gboolean is_new = conv == NULL || conv->gone;
      gboolean renamed = FALSE, new_message = FALSE;

      if (conv == NULL)
        {
          conv = conv_new (conn, data->uuid);
          g_free (conv->name);
          conv->name = g_strdup (data->name);
        }

      if (!update_conv (conv, data, conn->list_started, &renamed, &new_message) && !is_new)
        {
          /* Sorted by change: everything after this is unchanged too. */
          reached_unchanged = TRUE;
          break;
        }

      conn->inbox_changed = TRUE;
      conversation_changed (conv, is_new, renamed, data->name, new_message, data->latest_message);
    }

  if (!reached_unchanged && page->has_next && conn->inbox_page < PLANNR_INBOX_MAX_PAGES)
    {
      conn->inbox_page++;
      conn->list_started = g_get_monotonic_time ();
      plannr_api_list_conversations_async (conn->api, PLANNR_PRIORITY_POLL, conn->inbox_page,
                                           PLANNR_INBOX_PAGE_SIZE, conn->inbox_sort,
                                           LIST_INCLUDE, inbox_cb, conn);
      return;
    }

  conn->inbox_busy = FALSE;
  if (conn->inbox_changed)
    plannr_backoff_activity (&conn->inbox_backoff);
  else
    plannr_backoff_idle (&conn->inbox_backoff);
  schedule_inbox_poll (conn);
}

/* --- joining ----------------------------------------------------------------- */

static void
set_participants (PlannrConv         *conv,
                  PlannrConversation *data)
{
  PurpleConversation *pconv = plannr_conv_get_purple (conv);
  PurpleConvChat *chat;
  GList *names = NULL, *flags = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (pconv == NULL || data->participants == NULL)
    return;
  chat = PURPLE_CONV_CHAT (pconv);

  g_clear_pointer (&conv->nicks, g_hash_table_unref);
  conv->nicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Names are told apart by plannr_text_name_key(), which equates every
   * pair libpurple's own comparison does: a participant whose name only
   * differs from mine in case or Unicode form must not pass as me. */
  g_hash_table_add (taken, plannr_text_name_key (conv->conn->my_name));

  purple_conv_chat_clear_users (chat);
  for (guint i = 0; i < data->participants->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (data->participants, i);
      g_autofree char *nick = NULL;
      PurpleConvChatBuddyFlags flag = PURPLE_CBFLAGS_NONE;

      if (plannr_conv_is_mine (conv, person->uuid))
        nick = g_strdup (conv->conn->my_name);
      else
        {
          /* Chat user names must be unique; two people may share one:
           * the second is told apart by e-mail, the next by number. */
          nick = g_strdup (person->name);
          for (int n = 2; ; n++)
            {
              g_autofree char *key = plannr_text_name_key (nick);

              if (!g_hash_table_contains (taken, key))
                break;
              g_free (nick);
              if (n == 2 && person->email != NULL)
                nick = g_strdup_printf ("%s (%s)", person->name, person->email);
              else
                nick = g_strdup_printf ("%s (%d)", person->name, n);
            }
          g_hash_table_add (taken, plannr_text_name_key (nick));
        }
      g_hash_table_insert (conv->nicks, g_strdup (person->uuid), g_strdup (nick));

      /* My own admin status is documented (is_admin); others' only
       * when the participant carries it [assumed]. */
      if (plannr_conversation_is_admin (data, person->uuid) ||
          (data->is_admin && plannr_conv_is_mine (conv, person->uuid)))
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

static void
participants_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PlannrConv *conv = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) data = NULL;

  data = plannr_api_get_conversation_finish (PLANNR_API (source), result, &error);
  if (data == NULL)
    {
      if (plannr_is_cancelled (error))
        return;
      if (conv->chat_id != 0)
        {
          g_autofree char *reason = plannr_connection_describe_error (error);
          g_autofree char *line = g_strdup_printf (_("Could not load the participants: %s"), reason);

          plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
        }
      return;
    }

  conv->is_admin = data->is_admin;
  if (conv->renaming == 0 && conv->participants_asked > conv->name_landed &&
      data->name != NULL && *data->name != '\0' &&
      g_strcmp0 (data->name, conv->name) != 0)
    plannr_conv_apply_name (conv, data->name, NULL);
  set_participants (conv, data);
}

/* Reads messages for joining (history, or catching up until the last
 * message shown) and for the chat poll (until a known message). */
typedef struct
{
  PlannrConv *conv;
  GPtrArray  *messages;   /* PlannrMessage*, newest first */
  guint       per_page;
  guint       want;       /* at least this many, pages allowing */
  gboolean    catch_up;   /* read on until a message read before */
  gboolean    for_poll;
  gint64      started;    /* monotonic µs the reading began */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_pointer (&fetch->messages, g_ptr_array_unref);
  g_free (fetch);
}

static void history_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static gboolean page_has_known (Fetch *fetch, PlannrPage *page);

static gboolean
fetch_stop_cb (PlannrPage *page,
               guint       collected,
               gpointer    user_data)
{
  Fetch *fetch = user_data;

  if (fetch->catch_up)
    return page_has_known (fetch, page);
  return collected >= fetch->want;
}

static void
start_fetch (Fetch *fetch)
{
  fetch->started = g_get_monotonic_time ();
  plannr_api_collect_messages_async (fetch->conv->conn->api,
                                     fetch->for_poll ? PLANNR_PRIORITY_POLL : PLANNR_PRIORITY_USER,
                                     fetch->conv->uuid, fetch->per_page, fetch->want,
                                     PLANNR_CATCHUP_MAX_PAGES, fetch_stop_cb, fetch,
                                     history_cb, fetch);
}

static gboolean
page_has_known (Fetch      *fetch,
                PlannrPage *page)
{
  PlannrConv *conv = fetch->conv;

  for (guint i = 0; i < page->items->len; i++)
    {
      PlannrMessage *message = g_ptr_array_index (page->items, i);

      if (fetch->for_poll)
        {
          if (plannr_message_log_lookup (conv->log, message->uuid) != NULL)
            return TRUE;
        }
      else if (g_strcmp0 (message->uuid, conv->last_shown) == 0 ||
               (conv->last_shown_time != NULL &&
                g_date_time_compare (message->created_at, conv->last_shown_time) < 0))
        return TRUE;
    }
  return FALSE;
}

static void
finish_join (Fetch *fetch)
{
  PlannrConv *conv = fetch->conv;
  guint history = (guint) setting_history_count (conv->conn);
  guint start;

  /* The messages to show are those after the last one shown, or, the
   * first time, the newest history-count. */
  start = fetch->messages->len;
  if (conv->last_shown != NULL)
    {
      for (guint i = 0; i < fetch->messages->len; i++)
        {
          PlannrMessage *message = g_ptr_array_index (fetch->messages, i);

          if (g_strcmp0 (message->uuid, conv->last_shown) == 0 ||
              (conv->last_shown_time != NULL &&
               g_date_time_compare (message->created_at, conv->last_shown_time) < 0))
            {
              start = i;
              break;
            }
        }
    }
  else
    {
      start = MIN (history, fetch->messages->len);
      for (guint i = 0; conv->open_trigger != NULL && i < fetch->messages->len; i++)
        if (g_strcmp0 (((PlannrMessage *) g_ptr_array_index (fetch->messages, i))->uuid,
                       conv->open_trigger) == 0)
          start = MAX (start, i + 1);
    }
  g_clear_pointer (&conv->open_trigger, g_free);

  /* Everything fetched is known from now on; what is shown is shown. */
  for (guint i = fetch->messages->len; i > 0; i--)
    {
      PlannrMessage *message = g_ptr_array_index (fetch->messages, i - 1);
      gboolean show = i - 1 < start && message->deleted_at == NULL;

      PlannrKnownMessage *known = plannr_message_log_lookup (conv->log, message->uuid);
      gboolean was_shown = known != NULL && known->shown;

      /* Known already (shown in an earlier visit, or loaded for an
       * edit): shown only if it was not yet. */
      plannr_message_log_add (conv->log, message, show);
      if (show && !was_shown)
        show_message (conv, message, TRUE);
    }

  /* All that is newer than the oldest message read has been read. */
  if (fetch->messages->len > 0)
    {
      PlannrMessage *oldest = g_ptr_array_index (fetch->messages, fetch->messages->len - 1);

      plannr_message_log_set_floor (conv->log, oldest->created_at);
    }
  else if (plannr_message_log_is_empty (conv->log))
    {
      /* An empty conversation: anything that appears is new. */
      plannr_message_log_set_floor (conv->log, NULL);
    }

  conv->joining = FALSE;
  schedule_chat_poll (conv, FALSE);
}

static void
finish_poll (Fetch *fetch)
{
  PlannrConv *conv = fetch->conv;
  g_autoptr(GPtrArray) events = NULL;
  gboolean reached_known;

  events = plannr_message_log_merge (conv->log, fetch->messages, fetch->started, &reached_known);
  show_events (conv, events);

  conv->polling = FALSE;
  if (events->len > 0)
    plannr_backoff_activity (&conv->backoff);
  else
    plannr_backoff_idle (&conv->backoff);
  schedule_chat_poll (conv, conv->poll_again);
}

static void
history_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;
  PlannrConv *conv;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;

  page = plannr_api_collect_messages_finish (PLANNR_API (source), result, &error);
  if (page == NULL && plannr_is_cancelled (error))
    {
      fetch_free (fetch);
      return;
    }

  conv = fetch->conv;
  if (page == NULL)
    {
      gboolean gone = g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND) ||
                      g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN);

      conv->joining = FALSE;
      conv->polling = FALSE;
      if (gone && conv->chat_id != 0)
        {
          plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR,
                              _("This conversation is no longer available: it was deleted, "
                                "or you are no longer a participant."));
          conv->gone = TRUE;
        }
      else if (fetch->for_poll)
        {
          if (!plannr_connection_poll_failed (conv->conn, error))
            {
              plannr_backoff_idle (&conv->backoff);
              schedule_chat_poll (conv, FALSE);
            }
        }
      else if (conv->chat_id != 0)
        {
          g_autofree char *reason = plannr_connection_describe_error (error);
          g_autofree char *line = g_strdup_printf (_("Could not load the messages: %s"), reason);

          plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
          schedule_chat_poll (conv, FALSE);
        }
      fetch_free (fetch);
      return;
    }

  if (fetch->for_poll)
    plannr_connection_poll_succeeded (conv->conn);

  fetch->messages = g_steal_pointer (&page->items);

  if (conv->chat_id != 0)
    {
      if (fetch->for_poll)
        finish_poll (fetch);
      else
        finish_join (fetch);
    }
  else
    {
      conv->joining = FALSE;
      conv->polling = FALSE;
    }
  fetch_free (fetch);
}

static void
join_conv (PlannrConv *conv)
{
  PlannrConnection *conn = conv->conn;
  PurpleConversation *pconv;
  Fetch *fetch;
  int chat_poll = plannr_setting_int (conn, PLANNR_SETTING_CHAT_POLL_INTERVAL,
                                      PLANNR_DEFAULT_CHAT_POLL_INTERVAL, 1, 3600);

  if (conv->chat_id != 0)
    {
      pconv = plannr_conv_get_purple (conv);
      if (pconv != NULL)
        purple_conversation_present (pconv);
      return;
    }

  conv->chat_id = ++conn->next_chat_id;
  g_hash_table_insert (conn->chats, GINT_TO_POINTER (conv->chat_id), conv);
  conv->joining = TRUE;
  conv->gone = FALSE;
  if (conv->log == NULL)
    conv->log = plannr_message_log_new ();
  plannr_backoff_init (&conv->backoff, chat_poll * 1000,
                       chat_poll * 1000 * PLANNR_CHAT_BACKOFF_FACTOR);
  load_remembered (conv);

  pconv = serv_got_joined_chat (conn->pc, conv->chat_id, conv->uuid);
  purple_conversation_set_title (pconv, conv->name);
  purple_conv_chat_set_nick (PURPLE_CONV_CHAT (pconv), conn->my_name);
  purple_conv_chat_set_topic (PURPLE_CONV_CHAT (pconv), NULL, conv->name);

  conv->participants_asked = g_get_monotonic_time ();
  plannr_api_get_conversation_async (conn->api, PLANNR_PRIORITY_USER, conv->uuid,
                                     "participants", participants_cb, conv);

  fetch = g_new0 (Fetch, 1);
  fetch->conv = conv;
  /* One request brings history-count messages when the server gives
   * pages that large; catching up after a longer absence reads more
   * pages of the same size, up to the last message shown. */
  fetch->per_page = (guint) CLAMP (setting_history_count (conn), 20, 500);
  fetch->want = (guint) setting_history_count (conn);
  fetch->catch_up = conv->last_shown != NULL;
  purple_debug_misc ("plannr", "joining %s, %s\n", conv->uuid,
                     fetch->catch_up ? "catching up" : "with history");
  start_fetch (fetch);
}

/* --- the chat poll ---------------------------------------------------------- */

static gboolean
chat_poll_cb (gpointer user_data)
{
  PlannrConv *conv = user_data;
  Fetch *fetch;

  conv->poll_id = 0;
  if (conv->chat_id == 0 || conv->gone)
    return G_SOURCE_REMOVE;
  if (conv->polling || conv->joining)
    {
      conv->poll_again = TRUE;
      return G_SOURCE_REMOVE;
    }

  conv->polling = TRUE;
  conv->poll_again = FALSE;
  fetch = g_new0 (Fetch, 1);
  fetch->conv = conv;
  fetch->per_page = PLANNR_CHAT_PAGE_SIZE;
  fetch->want = PLANNR_CHAT_PAGE_SIZE;
  fetch->for_poll = TRUE;
  /* Read further back only when the first page holds nothing known. */
  fetch->catch_up = !plannr_message_log_is_empty (conv->log);
  start_fetch (fetch);
  return G_SOURCE_REMOVE;
}

static void
schedule_chat_poll (PlannrConv *conv,
                    gboolean    soon)
{
  PlannrApi *api = conv->conn->api;
  guint delay;

  if (conv->chat_id == 0 || conv->gone || plannr_api_is_shut_down (api))
    return;
  if (conv->polling || conv->joining)
    {
      conv->poll_again = conv->poll_again || soon;
      return;
    }

  if (soon)
    {
      plannr_backoff_activity (&conv->backoff);
      g_clear_handle_id (&conv->poll_id, g_source_remove);
      conv->poll_id = g_idle_add (chat_poll_cb, conv);
      return;
    }

  if (conv->poll_id != 0)
    return;
  delay = plannr_backoff_delay (&conv->backoff, plannr_api_get_rate_remaining (api),
                                plannr_api_get_rate_limit (api));
  conv->poll_id = g_timeout_add (delay, chat_poll_cb, conv);
}

void
plannr_conv_poll_soon (PlannrConv *conv)
{
  schedule_chat_poll (conv, TRUE);
}

/* --- sending ---------------------------------------------------------------- */

void
plannr_outgoing_free (PlannrOutgoing *out)
{
  g_clear_pointer (&out->before, g_ptr_array_unref);
  g_free (out->text);
  g_free (out);
}

static void send_next (PlannrConv *conv);

static void
send_failed (PlannrConv *conv,
             const char *text,
             const char *reason)
{
  g_autofree char *line = g_strdup_printf (_("Your message was not sent (%s): %s"), reason, text);

  plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
}

static void
sent (PlannrConv    *conv,
      PlannrMessage *message)
{
  /* A poll may have shown it already, as a message from elsewhere. */
  if (plannr_message_log_lookup (conv->log, message->uuid) == NULL)
    {
      /* The chat was closed meanwhile: shown when it opens again. */
      plannr_message_log_add_sent (conv->log, message, conv->chat_id != 0);
      if (conv->chat_id != 0)
        show_message (conv, message, FALSE);
    }
  g_free (conv->latest_uuid);
  conv->latest_uuid = g_strdup (message->uuid);
}

/* After an ambiguous failure: did the message arrive after all?  And
 * after a 2xx without a readable answer: where is the message it made? */
typedef struct
{
  PlannrConv     *conv;
  PlannrOutgoing *out;
  char           *reason;
  gboolean        accepted;   /* the server said 2xx: it did arrive */
} Verify;

static void sends_settled (PlannrConv *conv);
static gboolean verify_start_cb (gpointer user_data);

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Verify *verify = user_data;
  PlannrConv *conv = verify->conv;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  PlannrMessage *found = NULL;

  page = plannr_api_collect_messages_finish (PLANNR_API (source), result, &error);
  if (page == NULL && plannr_is_cancelled (error))
    goto out;

  if (page != NULL)
    {
      for (guint i = 0; i < page->items->len && found == NULL; i++)
        {
          PlannrMessage *message = g_ptr_array_index (page->items, i);

          /* Mine, that text, and not one that was there before this
           * send started (a poll may have shown it meanwhile).  No
           * time test: the server's clock need not match ours. */
          if (plannr_conv_is_mine (conv, message->author ? message->author->uuid : NULL) &&
              message->deleted_at == NULL &&
              g_strcmp0 (message->contents, verify->out->text) == 0 &&
              !g_strv_contains ((const char * const *) verify->out->before->pdata, message->uuid))
            found = message;
        }
    }

  if (found != NULL)
    {
      purple_debug_info ("plannr", "a send (%s) had arrived after all\n", verify->reason);
      sent (conv, found);
    }
  else if (verify->accepted)
    {
      /* It is on the server but not among the newest: never reported as
       * failed, never sent again; the chat poll shows it as mine. */
      purple_debug_warning ("plannr", "an accepted message was not found (%s); leaving it to the poll\n",
                            error ? error->message : "not among the newest");
      schedule_chat_poll (conv, TRUE);
    }
  else if (page != NULL && verify->out->attempts < PLANNR_SEND_ATTEMPTS)
    {
      /* Now known not to have arrived: sending again cannot double it. */
      purple_debug_info ("plannr", "a send that failed (%s) did not arrive; sending it again\n",
                         verify->reason);
      g_queue_push_head (&conv->outgoing, g_steal_pointer (&verify->out));
      conv->sending = FALSE;
      send_next (conv);
      goto out;
    }
  else if (page != NULL)
    send_failed (conv, verify->out->text, verify->reason);
  else
    {
      g_autofree char *reason = g_strdup_printf (_("%s; it may or may not have arrived"), verify->reason);

      send_failed (conv, verify->out->text, reason);
    }

  conv->sending = FALSE;
  send_next (conv);

out:
  verify_free (verify);
}

static void
start_verify (PlannrConv     *conv,
              PlannrOutgoing *out,
              const GError   *error,
              guint           delay_ms)
{
  Verify *verify = g_new0 (Verify, 1);

  verify->conv = conv;
  verify->out = out;
  verify->accepted = g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED);
  verify->reason = plannr_connection_describe_error (error);
  conv->verify = verify;
  conv->verify_id = g_timeout_add (delay_ms, verify_start_cb, verify);
}

static void
verify_free (gpointer data)
{
  Verify *verify = data;

  if (verify->out != NULL)
    plannr_outgoing_free (verify->out);
  g_free (verify->reason);
  g_free (verify);
}

static gboolean
verify_start_cb (gpointer user_data)
{
  Verify *verify = user_data;

  verify->conv->verify_id = 0;
  verify->conv->verify = NULL;   /* the request owns it now */
  plannr_api_collect_messages_async (verify->conv->conn->api, PLANNR_PRIORITY_USER,
                                     verify->conv->uuid, PLANNR_VERIFY_PAGE_SIZE,
                                     PLANNR_VERIFY_PAGE_SIZE, PLANNR_CATCHUP_MAX_PAGES,
                                     NULL, NULL, verify_cb, verify);
  return G_SOURCE_REMOVE;
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PlannrConv *conv = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;
  PlannrOutgoing *out;

  message = plannr_api_send_message_finish (PLANNR_API (source), result, &error);
  if (message == NULL && plannr_is_cancelled (error))
    return;

  out = g_queue_pop_head (&conv->outgoing);
  if (message != NULL)
    {
      sent (conv, message);
      plannr_outgoing_free (out);
      conv->sending = FALSE;
      send_next (conv);
      plannr_backoff_activity (&conv->backoff);
      return;
    }

  if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
    {
      send_failed (conv, out->text, error->message);
      plannr_outgoing_free (out);
      plannr_connection_fail (conv->conn, error);
      return;
    }

  if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    {
      /* Stored, but the answer did not say as what: find it at once. */
      start_verify (conv, out, error, 0);
      return;
    }

  if (plannr_error_is_ambiguous (error))
    {
      /* Never send twice: look for it before saying it failed; not at
       * once, the server may still be storing it. */
      start_verify (conv, out, error, conv->conn->verify_delay_ms);
      return;
    }

  {
    g_autofree char *reason = plannr_connection_describe_error (error);

    send_failed (conv, out->text, reason);
  }
  plannr_outgoing_free (out);
  conv->sending = FALSE;
  send_next (conv);
}

gboolean
plannr_conv_sends_pending (PlannrConv *conv)
{
  return conv->sending || !g_queue_is_empty (&conv->outgoing);
}

struct _QueuedWrite
{
  PlannrConvFunc func;
  gpointer       data;
  GDestroyNotify destroy;
};

static void
queued_write_free (QueuedWrite *write)
{
  if (write->destroy != NULL)
    write->destroy (write->data);
  g_free (write);
}

/* Starts the next queued edit when nothing else is on its way: no
 * other edit, and no message sent here still without its uuid. */
static void
sends_settled (PlannrConv *conv)
{
  QueuedWrite *write;

  if (conv->writing || plannr_conv_sends_pending (conv))
    return;
  write = g_queue_pop_head (&conv->writes);
  if (write == NULL)
    return;
  conv->writing = TRUE;
  /* The data is the function's now. */
  write->func (write->data);
  g_free (write);
}

void
plannr_conv_queue_write (PlannrConv     *conv,
                         PlannrConvFunc  func,
                         gpointer        data,
                         GDestroyNotify  destroy)
{
  QueuedWrite *write = g_new0 (QueuedWrite, 1);

  write->func = func;
  write->data = data;
  write->destroy = destroy;
  g_queue_push_tail (&conv->writes, write);
  sends_settled (conv);
}

void
plannr_conv_write_done (PlannrConv *conv)
{
  conv->writing = FALSE;
  sends_settled (conv);
}

static void
send_next (PlannrConv *conv)
{
  PlannrOutgoing *out;

  if (conv->sending)
    return;
  out = g_queue_peek_head (&conv->outgoing);
  if (out == NULL)
    {
      sends_settled (conv);
      return;
    }
  conv->sending = TRUE;
  out->attempts++;
  /* My messages with the same text that exist already: after an
   * ambiguous failure, only a new one proves the send arrived. */
  g_clear_pointer (&out->before, g_ptr_array_unref);
  out->before = g_ptr_array_new_with_free_func (g_free);
  if (conv->log != NULL)
    {
      g_autoptr(GPtrArray) mine = plannr_message_log_by_author (conv->log, conv->conn->account_uuid, 0);

      for (guint i = 0; i < mine->len; i++)
        {
          PlannrKnownMessage *known = g_ptr_array_index (mine, i);

          if (g_strcmp0 (known->contents, out->text) == 0)
            g_ptr_array_add (out->before, g_strdup (known->uuid));
        }
    }
  g_ptr_array_add (out->before, NULL);
  plannr_api_send_message_async (conv->conn->api, conv->uuid, out->text, send_cb, conv);
}

int
plannr_chats_send (PurpleConnection   *pc,
                   int                 id,
                   const char         *message,
                   PurpleMessageFlags  flags)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  PlannrConv *conv = plannr_chats_find_by_id (conn, id);
  g_autofree char *text = NULL;
  g_autofree char *trimmed = NULL;
  PlannrOutgoing *out;

  if (conv == NULL)
    return -EINVAL;

  text = plannr_text_from_html (message);
  trimmed = plannr_text_trim (text);
  if (trimmed == NULL)
    {
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, _("Empty messages are not sent."));
      return 0;
    }

  if (plannr_edit_try_substitution (conv, trimmed))
    return 0;

  if (g_utf8_strlen (text, -1) > PLANNR_MAX_MESSAGE_CHARS)
    {
      g_autofree char *line = g_strdup_printf (_("Your message is longer than %d characters and was not sent: %s"),
                                               PLANNR_MAX_MESSAGE_CHARS, text);

      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
      return 0;
    }

  if (conv->gone)
    {
      send_failed (conv, text, _("this conversation is no longer available"));
      return 0;
    }

  out = g_new0 (PlannrOutgoing, 1);
  /* Plannr keeps leading spaces out of it; send what the user sees. */
  out->text = g_steal_pointer (&trimmed);
  g_queue_push_tail (&conv->outgoing, out);
  send_next (conv);
  return 0;
}

/* --- prpl chat operations --------------------------------------------------- */

GList *
plannr_chats_info (PurpleConnection *pc)
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
plannr_chats_info_defaults (PurpleConnection *pc,
                            const char       *chat_name)
{
  GHashTable *defaults = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  PlannrConnection *conn = pc ? plannr_connection_get (pc) : NULL;

  if (chat_name == NULL)
    return defaults;

  if (plannr_uuid_is_valid (chat_name))
    {
      PlannrConv *conv = conn ? plannr_chats_find (conn, chat_name) : NULL;

      g_hash_table_insert (defaults, "uuid", g_ascii_strdown (chat_name, -1));
      if (conv != NULL)
        g_hash_table_insert (defaults, "name", g_strdup (conv->name));
    }
  else
    g_hash_table_insert (defaults, "name", g_strdup (chat_name));

  return defaults;
}

char *
plannr_chats_get_name (GHashTable *components)
{
  const char *uuid = g_hash_table_lookup (components, "uuid");

  if (plannr_uuid_is_valid (uuid))
    return g_ascii_strdown (uuid, -1);
  return g_strdup (g_hash_table_lookup (components, "name"));
}

static PlannrConv *
find_by_name (PlannrConnection *conn,
              const char       *name,
              guint            *matches)
{
  GHashTableIter iter;
  gpointer value;
  PlannrConv *found = NULL;
  g_autofree char *want = NULL;

  *matches = 0;
  if (name == NULL)
    return NULL;
  want = g_utf8_casefold (name, -1);

  g_hash_table_iter_init (&iter, conn->convs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PlannrConv *conv = value;
      g_autofree char *have = g_utf8_casefold (conv->name, -1);

      if (!conv->gone && strcmp (have, want) == 0)
        {
          /* Prefer the most recently active of equal names. */
          if (found == NULL ||
              (conv->last_activity != NULL && found->last_activity != NULL &&
               g_date_time_compare (conv->last_activity, found->last_activity) > 0))
            found = conv;
          (*matches)++;
        }
    }
  return found;
}

void
plannr_chats_join (PurpleConnection *pc,
                   GHashTable       *components)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  const char *uuid = g_hash_table_lookup (components, "uuid");
  const char *name = g_hash_table_lookup (components, "name");
  g_autofree char *trimmed_uuid = plannr_text_trim (uuid);
  g_autofree char *trimmed_name = plannr_text_trim (name);
  PlannrConv *conv = NULL;
  guint matches = 0;

  if (trimmed_uuid != NULL && plannr_uuid_is_valid (trimmed_uuid))
    conv = plannr_chats_find (conn, trimmed_uuid);
  else if (trimmed_name != NULL && plannr_uuid_is_valid (trimmed_name))
    conv = plannr_chats_find (conn, trimmed_name);
  if (conv == NULL && trimmed_name != NULL)
    conv = find_by_name (conn, trimmed_name, &matches);

  /* A uuid we have not seen yet (the list is still loading, or it is
   * brand new): ask the server, which knows. */
  if (conv == NULL)
    {
      const char *uuid_arg = trimmed_uuid && plannr_uuid_is_valid (trimmed_uuid) ? trimmed_uuid
                             : trimmed_name && plannr_uuid_is_valid (trimmed_name) ? trimmed_name
                             : NULL;

      if (uuid_arg != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (uuid_arg, -1);

          conv = conv_new (conn, lower);
          g_free (conv->name);
          conv->name = g_strdup (lower);
        }
    }

  if (conv == NULL)
    {
      g_autofree char *secondary = NULL;
      const char *what = trimmed_uuid ? trimmed_uuid : trimmed_name;

      if (!conn->synced)
        secondary = g_strdup (_("The list of conversations is still loading; try again in a moment."));
      else if (what == NULL)
        secondary = g_strdup (_("Give the name or the id of a conversation."));
      else
        secondary = g_strdup_printf (_("There is no conversation “%s” in this Plannr account."), what);
      purple_notify_error (pc, _("Plannr"), _("Cannot join the conversation"), secondary);
      purple_serv_got_join_chat_failed (pc, components);
      return;
    }

  if (matches > 1)
    purple_debug_info ("plannr", "%u conversations share that name; joining the most recent\n", matches);

  join_conv (conv);
}

void
plannr_chats_leave (PurpleConnection *pc,
                    int               id)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  PlannrConv *conv = plannr_chats_find_by_id (conn, id);

  if (conv == NULL)
    return;
  g_hash_table_remove (conn->chats, GINT_TO_POINTER (id));
  g_clear_handle_id (&conv->poll_id, g_source_remove);
  if (conv->shown_dirty)
    write_remembered (conv);
  conv->chat_id = 0;
  /* Sends already queued still go out; results land as notifications. */
}

PurpleRoomlist *
plannr_chats_roomlist_get (PurpleConnection *pc)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  PurpleRoomlist *list;
  GList *fields = NULL;

  /* A list asked for earlier and still being filled is dropped. */
  roomlist_release (conn);

  list = purple_roomlist_new (conn->account);
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Name"), "name", TRUE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Id"), "uuid", TRUE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_INT, _("Participants"), "participants", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_INT, _("Messages"), "messages", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Case"), "case", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Tags"), "tags", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_BOOL, _("Pinned"), "pinned", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Last activity"), "activity", FALSE));
  purple_roomlist_set_fields (list, fields);

  /* The first reference is ours until the list is filled (see
   * roomlist_release); the UI takes one of its own. */
  conn->roomlist = list;

  if (!conn->synced)
    {
      /* The sign-in list is on its way; it fills this in. */
      purple_roomlist_set_in_progress (list, TRUE);
      return list;
    }

  fill_roomlist (conn);
  return list;
}

void
plannr_chats_roomlist_cancel (PurpleRoomlist *list)
{
  PurpleConnection *pc = purple_account_get_connection (list->account);
  PlannrConnection *conn = pc ? plannr_connection_get (pc) : NULL;

  if (conn != NULL && conn->roomlist == list)
    roomlist_release (conn);
  else
    purple_roomlist_set_in_progress (list, FALSE);
}
