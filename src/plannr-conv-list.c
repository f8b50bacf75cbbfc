/* plannr-conv-list.c: the conversations the account knows of
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "plannr-conv-list.h"

struct _PlannrConvList
{
  GHashTable *by_uuid;   /* lower-case uuid -> PlannrConvInfo* */
};

static void
info_free (PlannrConvInfo *info)
{
  g_free (info->uuid);
  g_free (info->name);
  g_free (info->case_name);
  g_free (info->tags);
  g_clear_pointer (&info->updated_at, g_date_time_unref);
  g_clear_pointer (&info->last_activity, g_date_time_unref);
  g_free (info->latest_uuid);
  g_free (info->rename_next);
  g_clear_pointer (&info->log, plannr_message_log_free);
  g_free (info);
}

PlannrConvList *
plannr_conv_list_new (void)
{
  PlannrConvList *list = g_new0 (PlannrConvList, 1);

  list->by_uuid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) info_free);
  return list;
}

void
plannr_conv_list_free (PlannrConvList *list)
{
  if (list == NULL)
    return;
  g_hash_table_unref (list->by_uuid);
  g_free (list);
}

guint
plannr_conv_list_size (PlannrConvList *list)
{
  return g_hash_table_size (list->by_uuid);
}

PlannrConvInfo *
plannr_conv_list_lookup (PlannrConvList *list,
                         const char     *uuid)
{
  g_autofree char *lower = NULL;

  if (uuid == NULL)
    return NULL;
  /* Uuids from the model are lower case already; from the user or a
   * buddy-list node they may not be. */
  for (const char *p = uuid; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      {
        lower = g_ascii_strdown (uuid, -1);
        break;
      }
  return g_hash_table_lookup (list->by_uuid, lower ? lower : uuid);
}

PlannrConvInfo *
plannr_conv_list_get_or_add (PlannrConvList *list,
                             const char     *uuid,
                             const char     *name)
{
  PlannrConvInfo *info = plannr_conv_list_lookup (list, uuid);

  if (info != NULL)
    return info;

  info = g_new0 (PlannrConvInfo, 1);
  info->uuid = g_ascii_strdown (uuid, -1);
  info->name = g_strdup (name ? name : "");
  info->participants_count = -1;
  info->messages_count = -1;
  info->files_count = -1;
  g_hash_table_insert (list->by_uuid, info->uuid, info);
  return info;
}

static GPtrArray *
collect (PlannrConvList *list,
         gboolean        live_only)
{
  GPtrArray *result = g_ptr_array_sized_new (g_hash_table_size (list->by_uuid));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, list->by_uuid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!live_only || !((PlannrConvInfo *) value)->gone)
      g_ptr_array_add (result, value);
  return result;
}

GPtrArray *
plannr_conv_list_live (PlannrConvList *list)
{
  return collect (list, TRUE);
}

GPtrArray *
plannr_conv_list_all (PlannrConvList *list)
{
  return collect (list, FALSE);
}

PlannrConvInfo *
plannr_conv_list_find_by_name (PlannrConvList *list,
                               const char     *name,
                               guint          *matches)
{
  GHashTableIter iter;
  gpointer value;
  PlannrConvInfo *found = NULL;
  g_autofree char *want = NULL;

  *matches = 0;
  if (name == NULL)
    return NULL;
  want = g_utf8_casefold (name, -1);

  g_hash_table_iter_init (&iter, list->by_uuid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PlannrConvInfo *info = value;
      g_autofree char *have = g_utf8_casefold (info->name, -1);

      if (info->gone || strcmp (have, want) != 0)
        continue;
      /* Prefer the most recently active of equal names. */
      if (found == NULL ||
          (info->last_activity != NULL &&
           (found->last_activity == NULL ||
            g_date_time_compare (info->last_activity, found->last_activity) > 0)))
        found = info;
      (*matches)++;
    }
  return found;
}

void
plannr_conv_list_begin_sync (PlannrConvList *list)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, list->by_uuid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((PlannrConvInfo *) value)->seen_in_sync = FALSE;
}

void
plannr_conv_list_seen (PlannrConvInfo *info)
{
  info->seen_in_sync = TRUE;
}

void
plannr_conv_list_end_sync (PlannrConvList *list)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, list->by_uuid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PlannrConvInfo *info = value;

      info->gone = !info->seen_in_sync;
      info->seen_in_sync = FALSE;
    }
}

gboolean
plannr_conv_info_name_is_news (const PlannrConvInfo *info,
                               const char           *name,
                               gint64                read_started)
{
  /* While our own rename is on its way, a poll may still carry the old
   * name (timestamps have one-second resolution); the rename's answer
   * sets the name.  So may an answer to a request made before our
   * rename landed, which matters when the rename's answer had no
   * updated_at to compare with (a 204). */
  return name != NULL && *name != '\0' && info->renaming == 0 &&
         read_started > info->name_landed && g_strcmp0 (info->name, name) != 0;
}

static void
replace_time (GDateTime **slot,
              GDateTime  *time)
{
  g_clear_pointer (slot, g_date_time_unref);
  *slot = time ? g_date_time_ref (time) : NULL;
}

gboolean
plannr_conv_info_adds_one_message (const PlannrConvInfo     *info,
                                   const PlannrConversation *data)
{
  const PlannrMessage *latest = data->latest_message;

  /* The server's own example has class names where a latest message's
   * author, files and reactions belong: it must say who wrote it. */
  return info->latest_uuid != NULL && latest != NULL && latest->uuid != NULL &&
         latest->author != NULL && latest->author->uuid != NULL && latest->created_at != NULL &&
         latest->deleted_at == NULL && g_ascii_strcasecmp (info->latest_uuid, latest->uuid) != 0 &&
         info->messages_count >= 0 && data->messages_count == info->messages_count + 1 &&
         info->files_count >= 0 && data->files_count == info->files_count;
}

void
plannr_conv_info_add_mine (PlannrConvInfo *info,
                           const char     *uuid)
{
  /* Counted already, when an inbox page showed it first. */
  if (g_strcmp0 (info->latest_uuid, uuid) == 0)
    return;
  g_free (info->latest_uuid);
  info->latest_uuid = g_strdup (uuid);
  if (info->messages_count >= 0)
    info->messages_count++;
}

gboolean
plannr_conv_info_update (PlannrConvInfo           *info,
                         const PlannrConversation *data,
                         gint64                    read_started,
                         PlannrConvChange         *change)
{
  const char *latest = data->latest_message ? data->latest_message->uuid : NULL;

  memset (change, 0, sizeof *change);

  /* An answer older than what we hold (a poll that was on its way while
   * the user renamed) must not bring the old name back. */
  if (info->updated_at != NULL && data->updated_at != NULL &&
      g_date_time_compare (data->updated_at, info->updated_at) < 0)
    return FALSE;

  change->renamed = plannr_conv_info_name_is_news (info, data->name, read_started);
  /* A new latest message; or more messages than known with the same
   * latest one: that is mine, sent after others' that no page showed
   * yet. */
  change->new_message = (latest != NULL && g_strcmp0 (info->latest_uuid, latest) != 0) ||
                        (info->messages_count >= 0 && data->messages_count > info->messages_count);

  if (data->updated_at != NULL &&
      (info->updated_at == NULL || !g_date_time_equal (info->updated_at, data->updated_at)))
    {
      replace_time (&info->updated_at, data->updated_at);
      change->changed = TRUE;
    }
  if (change->new_message)
    {
      g_free (info->latest_uuid);
      info->latest_uuid = g_strdup (latest);
      change->changed = TRUE;
    }
  if (change->renamed)
    {
      g_free (info->name);
      info->name = g_strdup (data->name);
      change->changed = TRUE;
    }

  if (data->latest_message != NULL)
    replace_time (&info->last_activity, data->latest_message->created_at);
  else if (data->updated_at != NULL)
    replace_time (&info->last_activity, data->updated_at);
  else if (data->created_at != NULL)
    replace_time (&info->last_activity, data->created_at);

  g_free (info->case_name);
  info->case_name = g_strdup (data->case_name);
  {
    GString *tags = g_string_new (NULL);

    for (guint i = 0; i < data->tags->len; i++)
      g_string_append_printf (tags, "%s%s", i > 0 ? ", " : "",
                              (const char *) g_ptr_array_index (data->tags, i));
    g_free (info->tags);
    info->tags = g_string_free (tags, FALSE);
  }
  if (data->participants_count >= 0)
    {
      /* Someone joined or left: no message says so, the count does. */
      if (info->participants_count >= 0 && info->participants_count != data->participants_count)
        change->participants_changed = change->changed = TRUE;
      info->participants_count = data->participants_count;
    }
  if (data->messages_count >= 0)
    info->messages_count = data->messages_count;
  if (data->files_count >= 0)
    info->files_count = data->files_count;
  /* "pinned" is only there when participants are included. */
  if (data->participants != NULL)
    info->pinned = data->pinned;
  info->gone = FALSE;

  return change->changed;
}

gboolean
plannr_conv_info_should_list (const PlannrConvInfo *info,
                              int                   days,
                              gboolean              is_open,
                              GDateTime            *now)
{
  if (days <= 0 || info->pinned || is_open)
    return TRUE;
  if (info->last_activity == NULL)
    return FALSE;
  return g_date_time_difference (now, info->last_activity) <= (GTimeSpan) days * G_TIME_SPAN_DAY;
}

PlannrMessageLog *
plannr_conv_info_log (PlannrConvInfo *info)
{
  if (info->log == NULL)
    info->log = plannr_message_log_new ();
  return info->log;
}
