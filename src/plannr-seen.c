/* plannr-seen.c: the newest message shown of each conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "plannr-blist.h"
#include "plannr-seen.h"

/* Buddy-list node settings. */
#define NODE_LAST_UUID "plannr-last-uuid"
#define NODE_LAST_TIME "plannr-last-time"
/* The account setting for conversations without a node: lines of
 * "conversation message time", the newest SEEN_MAX. */
#define SETTING_SEEN "plannr-seen"
#define SEEN_MAX 300

typedef struct
{
  char      *message_uuid;
  GDateTime *time;
  gboolean   dirty;          /* not written yet */
} Shown;

typedef struct
{
  PlannrConnection *conn;
  GHashTable       *shown;           /* conversation uuid -> Shown* */
  GHashTable       *setting;         /* conversation uuid -> "message time", loaded on use */
  gboolean          setting_dirty;
  guint             remember_id;
} Seen;

static void
shown_free (Shown *shown)
{
  g_free (shown->message_uuid);
  g_clear_pointer (&shown->time, g_date_time_unref);
  g_free (shown);
}

static Seen *
seen_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_seen_component);
}

static GHashTable *
setting_table (Seen *seen)
{
  PurpleAccount *account;
  const char *text;
  g_auto(GStrv) lines = NULL;

  if (seen->setting != NULL)
    return seen->setting;

  account = plannr_connection_get_account (seen->conn);
  text = purple_account_get_string (account, SETTING_SEEN, "");
  lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  seen->setting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 3);

      if (g_strv_length (parts) == 3 && plannr_uuid_is_valid (parts[0]) &&
          plannr_uuid_is_valid (parts[1]))
        g_hash_table_insert (seen->setting, g_ascii_strdown (parts[0], -1),
                             g_strdup_printf ("%s %s", parts[1], parts[2]));
    }
  return seen->setting;
}

static gint
newest_first (gconstpointer a,
              gconstpointer b)
{
  /* "message time conversation": compare the times, ISO 8601 in UTC. */
  const char *ta = strchr (*(const char **) a, ' ');
  const char *tb = strchr (*(const char **) b, ' ');

  return -g_strcmp0 (ta, tb);
}

static void
save_setting (Seen *seen)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, seen->setting);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (lines, g_strdup_printf ("%s %s", (char *) value, (char *) key));
  g_ptr_array_sort (lines, newest_first);
  for (guint i = 0; i < lines->len && i < SEEN_MAX; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (lines, i), " ", 3);

      g_string_append_printf (text, "%s%s %s %s", i > 0 ? "\n" : "", parts[2], parts[0], parts[1]);
    }
  purple_account_set_string (plannr_connection_get_account (seen->conn), SETTING_SEEN, text->str);
  seen->setting_dirty = FALSE;
}

static void
write_one (Seen       *seen,
           const char *conv_uuid,
           Shown      *shown)
{
  PurpleChat *chat = plannr_blist_find (seen->conn, conv_uuid);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (shown->time);
  g_autofree char *iso = g_date_time_format_iso8601 (utc);

  shown->dirty = FALSE;
  if (chat != NULL)
    {
      purple_blist_node_set_string (PURPLE_BLIST_NODE (chat), NODE_LAST_UUID, shown->message_uuid);
      purple_blist_node_set_string (PURPLE_BLIST_NODE (chat), NODE_LAST_TIME, iso);
      if (g_hash_table_remove (setting_table (seen), conv_uuid))
        seen->setting_dirty = TRUE;
      return;
    }
  g_hash_table_insert (setting_table (seen), g_strdup (conv_uuid),
                       g_strdup_printf ("%s %s", shown->message_uuid, iso));
  seen->setting_dirty = TRUE;
}

void
plannr_seen_flush (PlannrConnection *conn,
                   const char       *conv_uuid)
{
  Seen *seen = seen_get (conn);
  GHashTableIter iter;
  gpointer key, value;

  if (seen == NULL)
    return;
  if (conv_uuid == NULL)
    g_clear_handle_id (&seen->remember_id, g_source_remove);
  g_hash_table_iter_init (&iter, seen->shown);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Shown *) value)->dirty && (conv_uuid == NULL || g_str_equal (key, conv_uuid)))
      write_one (seen, key, value);
  if (seen->setting_dirty)
    save_setting (seen);
}

static gboolean
remember_cb (gpointer user_data)
{
  Seen *seen = user_data;

  seen->remember_id = 0;
  plannr_seen_flush (seen->conn, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_write (Seen *seen)
{
  if (seen->remember_id == 0)
    seen->remember_id = g_timeout_add_seconds (PLANNR_REMEMBER_DELAY_S, remember_cb, seen);
}

/* What the node or the setting say, once. */
static Shown *
load (Seen       *seen,
      const char *conv_uuid)
{
  Shown *shown = g_hash_table_lookup (seen->shown, conv_uuid);
  PurpleChat *chat;
  const char *uuid = NULL;
  const char *iso = NULL;
  g_auto(GStrv) parts = NULL;

  if (shown != NULL)
    return shown;

  chat = plannr_blist_find (seen->conn, conv_uuid);
  if (chat != NULL)
    {
      uuid = purple_blist_node_get_string (PURPLE_BLIST_NODE (chat), NODE_LAST_UUID);
      iso = purple_blist_node_get_string (PURPLE_BLIST_NODE (chat), NODE_LAST_TIME);
    }
  if (uuid == NULL && g_hash_table_lookup (setting_table (seen), conv_uuid) != NULL)
    {
      parts = g_strsplit (g_hash_table_lookup (setting_table (seen), conv_uuid), " ", 2);
      uuid = parts[0];
      iso = parts[1];
    }
  shown = g_new0 (Shown, 1);
  if (plannr_uuid_is_valid (uuid))
    {
      shown->message_uuid = g_ascii_strdown (uuid, -1);
      shown->time = plannr_parse_time (iso);
    }
  g_hash_table_insert (seen->shown, g_strdup (conv_uuid), shown);
  return shown;
}

void
plannr_seen_get (PlannrConnection  *conn,
                 const char        *conv_uuid,
                 const char       **message_uuid,
                 GDateTime        **time)
{
  Shown *shown = load (seen_get (conn), conv_uuid);

  *message_uuid = shown->message_uuid;
  *time = shown->time;
}

void
plannr_seen_shown (PlannrConnection    *conn,
                   const char          *conv_uuid,
                   const PlannrMessage *message)
{
  Seen *seen = seen_get (conn);
  Shown *shown = load (seen, conv_uuid);

  if (shown->time != NULL && g_date_time_compare (message->created_at, shown->time) < 0)
    return;
  g_free (shown->message_uuid);
  shown->message_uuid = g_strdup (message->uuid);
  g_clear_pointer (&shown->time, g_date_time_unref);
  shown->time = g_date_time_ref (message->created_at);
  shown->dirty = TRUE;
  schedule_write (seen);
}

/* A conversation that gets a node keeps, on it, what was shown before. */
static void
node_added_cb (PurpleBlistNode *node,
               gpointer         user_data)
{
  Seen *seen = user_data;
  const char *uuid = plannr_blist_node_uuid (node, plannr_connection_get_account (seen->conn));
  g_autofree char *lower = uuid ? g_ascii_strdown (uuid, -1) : NULL;
  Shown *shown = lower ? g_hash_table_lookup (seen->shown, lower) : NULL;

  if (shown != NULL && shown->message_uuid != NULL)
    {
      shown->dirty = TRUE;
      schedule_write (seen);
    }
}

/* --- the component ------------------------------------------------------- */

static gpointer
seen_create (PlannrConnection *conn)
{
  Seen *seen = g_new0 (Seen, 1);

  seen->conn = conn;
  seen->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) shown_free);
  purple_signal_connect (purple_blist_get_handle (), "blist-node-added", seen,
                         PURPLE_CALLBACK (node_added_cb), seen);
  return seen;
}

static void
seen_stop (gpointer state)
{
  Seen *seen = state;

  plannr_seen_flush (seen->conn, NULL);
}

static void
seen_destroy (gpointer state)
{
  Seen *seen = state;

  purple_signals_disconnect_by_handle (seen);
  g_clear_handle_id (&seen->remember_id, g_source_remove);
  g_hash_table_unref (seen->shown);
  g_clear_pointer (&seen->setting, g_hash_table_unref);
  g_free (seen);
}

const PlannrComponent plannr_seen_component = {
  .name = "seen",
  .create = seen_create,
  .stop = seen_stop,
  .destroy = seen_destroy,
};
