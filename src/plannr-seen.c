/* plannr-seen.c: the newest message shown of each conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "plannr-blist.h"
#include "plannr-json.h"
#include "plannr-seen.h"

/* Where earlier versions kept it, still read once: the buddy-list
 * node's settings and an account setting of "conversation message
 * time" lines. */
#define NODE_LAST_UUID "plannr-last-uuid"
#define NODE_LAST_TIME "plannr-last-time"
#define SETTING_SEEN "plannr-seen"
/* Conversations remembered at most: the most recently shown. */
#define SEEN_MAX 5000

typedef struct
{
  char      *message_uuid;   /* NULL: nothing shown yet */
  GDateTime *time;
} Shown;

typedef struct
{
  PlannrConnection *conn;
  GHashTable       *shown;        /* conversation uuid -> Shown* */
  char             *path;         /* the account's file */
  gboolean          dirty;        /* news no write has started with */
  gboolean          changed;      /* news since the file was read */
  guint             write_id;
  GCancellable     *writing;      /* the asynchronous write on its way */
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

static void
remember (Seen       *seen,
          const char *conv_uuid,
          const char *message_uuid,
          GDateTime  *time)
{
  Shown *shown = g_new0 (Shown, 1);

  shown->message_uuid = g_ascii_strdown (message_uuid, -1);
  shown->time = time ? g_date_time_ref (time) : NULL;
  g_hash_table_replace (seen->shown, g_ascii_strdown (conv_uuid, -1), shown);
}

/* --- the file ------------------------------------------------------------ */

static gint
newest_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  Shown *x = g_hash_table_lookup (user_data, *(const char **) a);
  Shown *y = g_hash_table_lookup (user_data, *(const char **) b);

  if (x->time == NULL || y->time == NULL)
    return (x->time == NULL) - (y->time == NULL);
  return g_date_time_compare (y->time, x->time);
}

/* One JSON object: conversation uuid -> [message uuid, ISO 8601 time]. */
static GBytes *
serialise (Seen *seen)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) newest = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  gsize length;
  char *text;

  g_hash_table_iter_init (&iter, seen->shown);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Shown *) value)->message_uuid != NULL)
      g_ptr_array_add (newest, key);
  /* The most recently shown are kept when there are too many. */
  g_ptr_array_sort_with_data (newest, newest_first, seen->shown);

  json_builder_begin_object (builder);
  for (guint i = 0; i < newest->len && i < SEEN_MAX; i++)
    {
      Shown *shown = g_hash_table_lookup (seen->shown, g_ptr_array_index (newest, i));
      g_autoptr(GDateTime) utc = shown->time ? g_date_time_to_utc (shown->time) : NULL;
      g_autofree char *iso = utc ? g_date_time_format_iso8601 (utc) : NULL;

      json_builder_set_member_name (builder, g_ptr_array_index (newest, i));
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, shown->message_uuid);
      json_builder_add_string_value (builder, iso ? iso : "");
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static void
load_file (Seen *seen)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  JsonObject *obj;
  GList *members;

  /* Read once at sign-in, a few hundred KiB at most, like libpurple's
   * own files. */
  if (!g_file_get_contents (seen->path, &text, &length, NULL))
    return;
  root = plannr_json_parse (text, length, NULL);
  obj = plannr_json_object (root);
  if (obj == NULL)
    return;
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *entry = json_object_get_member (obj, l->data);
      JsonArray *pair = entry && JSON_NODE_HOLDS_ARRAY (entry) ? json_node_get_array (entry) : NULL;
      const char *uuid, *iso;

      if (pair == NULL || json_array_get_length (pair) != 2 || !plannr_uuid_is_valid (l->data))
        continue;
      uuid = json_array_get_string_element (pair, 0);
      iso = json_array_get_string_element (pair, 1);
      if (plannr_uuid_is_valid (uuid))
        {
          g_autoptr(GDateTime) time = plannr_parse_time (iso);

          remember (seen, l->data, uuid, time);
        }
    }
  g_list_free (members);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    purple_debug_warning ("plannr", "could not save what was shown: %s\n", error->message);
}

/* In the background: the write itself happens in GIO's worker thread.
 * (Kept on the buddy-list nodes, as before, every write made libpurple
 * save the whole blist.xml on the main loop: 50 ms and more with a few
 * thousand conversations.) */
static void
write_async (Seen *seen)
{
  g_autoptr(GBytes) bytes = serialise (seen);
  g_autoptr(GFile) file = g_file_new_for_path (seen->path);

  seen->dirty = FALSE;
  g_cancellable_cancel (seen->writing);
  g_clear_object (&seen->writing);
  seen->writing = g_cancellable_new ();
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       seen->writing, written_cb, NULL);
}

/* Now, at sign-off: the process may end right after, and a write in
 * the background may not have finished; this one has everything. */
static void
write_now (Seen *seen)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (!seen->changed)
    return;
  g_cancellable_cancel (seen->writing);
  bytes = serialise (seen);
  seen->dirty = FALSE;
  if (!g_file_set_contents_full (seen->path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    purple_debug_warning ("plannr", "could not save what was shown: %s\n", error->message);
}

static gboolean
write_cb (gpointer user_data)
{
  Seen *seen = user_data;

  seen->write_id = 0;
  write_async (seen);
  return G_SOURCE_REMOVE;
}

/* --- what was shown --------------------------------------------------------- */

/* What the file, or else what an earlier version left, says; once. */
static Shown *
load (Seen       *seen,
      const char *conv_uuid)
{
  Shown *shown = g_hash_table_lookup (seen->shown, conv_uuid);
  PurpleChat *chat;
  const char *uuid = NULL;
  const char *iso = NULL;

  if (shown != NULL)
    return shown;

  chat = plannr_blist_find (seen->conn, conv_uuid);
  if (chat != NULL)
    {
      uuid = purple_blist_node_get_string (PURPLE_BLIST_NODE (chat), NODE_LAST_UUID);
      iso = purple_blist_node_get_string (PURPLE_BLIST_NODE (chat), NODE_LAST_TIME);
    }
  if (plannr_uuid_is_valid (uuid))
    {
      g_autoptr(GDateTime) time = plannr_parse_time (iso);

      remember (seen, conv_uuid, uuid, time);
      return g_hash_table_lookup (seen->shown, conv_uuid);
    }
  shown = g_new0 (Shown, 1);
  g_hash_table_insert (seen->shown, g_strdup (conv_uuid), shown);
  return shown;
}

/* The account setting an earlier version wrote, for conversations that
 * had no node: taken into the table once. */
static void
load_setting (Seen *seen)
{
  const char *text = purple_account_get_string (plannr_connection_get_account (seen->conn),
                                                SETTING_SEEN, NULL);
  g_auto(GStrv) lines = NULL;

  if (text == NULL || *text == '\0')
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 3);

      if (g_strv_length (parts) == 3 && plannr_uuid_is_valid (parts[0]) &&
          plannr_uuid_is_valid (parts[1]) && !g_hash_table_contains (seen->shown, parts[0]))
        {
          g_autoptr(GDateTime) time = plannr_parse_time (parts[2]);

          remember (seen, parts[0], parts[1], time);
        }
    }
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
  seen->dirty = TRUE;
  seen->changed = TRUE;
  if (seen->write_id == 0)
    seen->write_id = g_timeout_add_seconds (PLANNR_REMEMBER_DELAY_S, write_cb, seen);
}

void
plannr_seen_flush (PlannrConnection *conn)
{
  Seen *seen = seen_get (conn);

  if (seen != NULL && seen->dirty)
    {
      g_clear_handle_id (&seen->write_id, g_source_remove);
      write_async (seen);
    }
}

/* --- the component ------------------------------------------------------- */

static gpointer
seen_create (PlannrConnection *conn)
{
  Seen *seen = g_new0 (Seen, 1);
  PurpleAccount *account = plannr_connection_get_account (conn);
  g_autofree char *who = g_strdup_printf ("%s %s", purple_account_get_username (account),
                                          purple_account_get_string (account, PLANNR_SETTING_BASE_URL,
                                                                     PLANNR_DEFAULT_BASE_URL));
  g_autofree char *key = g_compute_checksum_for_string (G_CHECKSUM_SHA1, who, -1);
  g_autofree char *dir = g_build_filename (purple_user_dir (), "plannr", NULL);
  g_autofree char *name = g_strdup_printf ("seen-%s.json", key);

  seen->conn = conn;
  seen->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) shown_free);
  seen->path = g_build_filename (dir, name, NULL);
  g_mkdir_with_parents (dir, 0700);
  load_file (seen);
  load_setting (seen);
  return seen;
}

static void
seen_stop (gpointer state)
{
  Seen *seen = state;

  g_clear_handle_id (&seen->write_id, g_source_remove);
  write_now (seen);
}

static void
seen_destroy (gpointer state)
{
  Seen *seen = state;

  seen_stop (seen);
  g_clear_object (&seen->writing);
  g_hash_table_unref (seen->shown);
  g_free (seen->path);
  g_free (seen);
}

const PlannrComponent plannr_seen_component = {
  .name = "seen",
  .create = seen_create,
  .stop = seen_stop,
  .destroy = seen_destroy,
};
