/* plannr-message-log.c: what the plugin knows of a conversation's messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-message-log.h"

struct _PlannrMessageLog
{
  GPtrArray  *messages;   /* PlannrKnownMessage*, oldest first */
  GHashTable *by_uuid;    /* uuid -> PlannrKnownMessage* (borrowed) */
  GDateTime  *horizon;    /* the newest time the log has seen */
  GDateTime  *floor;      /* everything newer than this has been read */
  GPtrArray  *sending;    /* char*: texts being sent from here */
};

static void
known_free (PlannrKnownMessage *known)
{
  g_free (known->uuid);
  g_free (known->contents);
  g_clear_pointer (&known->created_at, g_date_time_unref);
  g_clear_pointer (&known->updated_at, g_date_time_unref);
  g_free (known->author_uuid);
  g_free (known->author_name);
  g_free (known);
}

void
plannr_message_event_free (PlannrMessageEvent *event)
{
  plannr_message_free (event->message);
  g_free (event->old_contents);
  g_free (event);
}

PlannrMessageLog *
plannr_message_log_new (void)
{
  PlannrMessageLog *log = g_new0 (PlannrMessageLog, 1);

  log->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) known_free);
  log->by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  log->sending = g_ptr_array_new_with_free_func (g_free);
  return log;
}

void
plannr_message_log_free (PlannrMessageLog *log)
{
  if (log == NULL)
    return;
  g_hash_table_unref (log->by_uuid);
  g_ptr_array_unref (log->messages);
  g_clear_pointer (&log->horizon, g_date_time_unref);
  g_clear_pointer (&log->floor, g_date_time_unref);
  g_ptr_array_unref (log->sending);
  g_free (log);
}

void
plannr_message_log_set_sending (PlannrMessageLog *log,
                                const char       *text,
                                gboolean          sending)
{
  guint index;

  g_return_if_fail (text != NULL);
  if (sending)
    g_ptr_array_add (log->sending, g_strdup (text));
  else if (g_ptr_array_find_with_equal_func (log->sending, text, g_str_equal, &index))
    g_ptr_array_remove_index (log->sending, index);
}

gboolean
plannr_message_log_is_sending (PlannrMessageLog *log,
                               const char       *text)
{
  return text != NULL && g_ptr_array_find_with_equal_func (log->sending, text, g_str_equal, NULL);
}

guint
plannr_message_log_size (PlannrMessageLog *log)
{
  return log->messages->len;
}

gboolean
plannr_message_log_is_empty (PlannrMessageLog *log)
{
  return log->messages->len == 0;
}

static void
see_time (PlannrMessageLog *log,
          GDateTime        *time)
{
  if (log->horizon == NULL || g_date_time_compare (time, log->horizon) > 0)
    {
      g_clear_pointer (&log->horizon, g_date_time_unref);
      log->horizon = g_date_time_ref (time);
    }
}

static PlannrKnownMessage *
remember (PlannrMessageLog    *log,
          const PlannrMessage *message,
          gboolean             shown,
          gboolean             from_page)
{
  PlannrKnownMessage *known = g_new0 (PlannrKnownMessage, 1);
  guint pos;

  known->uuid = g_strdup (message->uuid);
  known->contents = g_strdup (message->contents);
  known->created_at = g_date_time_ref (message->created_at);
  known->updated_at = g_date_time_ref (message->updated_at);
  known->author_uuid = message->author ? g_strdup (message->author->uuid) : NULL;
  known->author_name = g_strdup (message->author ? message->author->name : "Unknown");
  known->deleted = message->deleted_at != NULL;
  known->shown = shown;
  known->from_page = from_page;

  /* Keep the array in time order; new messages land at the end. */
  pos = log->messages->len;
  while (pos > 0)
    {
      PlannrKnownMessage *before = g_ptr_array_index (log->messages, pos - 1);

      if (g_date_time_compare (before->created_at, known->created_at) <= 0)
        break;
      pos--;
    }
  g_ptr_array_insert (log->messages, (int) pos, known);
  g_hash_table_insert (log->by_uuid, known->uuid, known);

  while (log->messages->len > PLANNR_MESSAGE_LOG_SIZE)
    {
      PlannrKnownMessage *oldest = g_ptr_array_index (log->messages, 0);

      g_hash_table_remove (log->by_uuid, oldest->uuid);
      g_ptr_array_remove_index (log->messages, 0);
    }

  see_time (log, message->created_at);
  see_time (log, message->updated_at);
  return known;
}

void
plannr_message_log_add (PlannrMessageLog    *log,
                        const PlannrMessage *message,
                        gboolean             shown)
{
  PlannrKnownMessage *known = g_hash_table_lookup (log->by_uuid, message->uuid);

  if (known != NULL)
    {
      known->shown = known->shown || shown;
      known->from_page = TRUE;
      return;
    }
  remember (log, message, shown, TRUE);
}

void
plannr_message_log_add_sent (PlannrMessageLog    *log,
                             const PlannrMessage *message,
                             gboolean             shown)
{
  if (g_hash_table_lookup (log->by_uuid, message->uuid) != NULL)
    return;
  /* Not from a page: it says nothing about what else exists. */
  remember (log, message, shown, FALSE);
}

gboolean
plannr_message_log_add_loaded (PlannrMessageLog    *log,
                               const PlannrMessage *message)
{
  PlannrKnownMessage *newest = NULL;

  if (g_hash_table_lookup (log->by_uuid, message->uuid) != NULL)
    return FALSE;
  for (guint i = log->messages->len; i > 0 && newest == NULL; i--)
    {
      PlannrKnownMessage *known = g_ptr_array_index (log->messages, i - 1);

      if (known->from_page)
        newest = known;
    }
  /* No chat reads this conversation: keep it, joining shows it. */
  if (newest == NULL)
    {
      remember (log, message, FALSE, FALSE);
      return TRUE;
    }
  /* Newer than what the chat has read: the next poll shows it. */
  if (g_date_time_compare (message->created_at, newest->created_at) > 0)
    return FALSE;
  remember (log, message, FALSE, TRUE);
  return TRUE;
}

void
plannr_message_log_set_floor (PlannrMessageLog *log,
                              GDateTime        *floor)
{
  g_clear_pointer (&log->floor, g_date_time_unref);
  log->floor = floor ? g_date_time_ref (floor) : NULL;
}

/* Everything newer than the floor has been read from pages: an unknown
 * message newer than it is new.  Without an explicit floor, the oldest
 * message read from a page. */
static GDateTime *
merge_floor (PlannrMessageLog *log)
{
  if (log->floor != NULL)
    return log->floor;
  for (guint i = 0; i < log->messages->len; i++)
    {
      PlannrKnownMessage *known = g_ptr_array_index (log->messages, i);

      if (known->from_page)
        return known->created_at;
    }
  return NULL;
}

PlannrKnownMessage *
plannr_message_log_lookup (PlannrMessageLog *log,
                           const char       *uuid)
{
  return g_hash_table_lookup (log->by_uuid, uuid);
}

PlannrKnownMessage *
plannr_message_log_newest (PlannrMessageLog *log)
{
  if (log->messages->len == 0)
    return NULL;
  return g_ptr_array_index (log->messages, log->messages->len - 1);
}

void
plannr_message_log_refresh (PlannrMessageLog    *log,
                            const PlannrMessage *message)
{
  PlannrKnownMessage *known = g_hash_table_lookup (log->by_uuid, message->uuid);

  if (known == NULL)
    {
      remember (log, message, FALSE, FALSE);
      return;
    }
  g_free (known->contents);
  known->contents = g_strdup (message->contents);
  g_date_time_unref (known->updated_at);
  known->updated_at = g_date_time_ref (message->updated_at);
  known->deleted = known->deleted || message->deleted_at != NULL;
  see_time (log, message->updated_at);
}

void
plannr_message_log_write_started (PlannrMessageLog *log,
                                  const char       *uuid)
{
  PlannrKnownMessage *known = g_hash_table_lookup (log->by_uuid, uuid);

  if (known != NULL)
    known->writes++;
}

void
plannr_message_log_write_finished (PlannrMessageLog *log,
                                   const char       *uuid,
                                   const char       *contents,
                                   GDateTime        *updated_at,
                                   gint64            landed)
{
  PlannrKnownMessage *known = g_hash_table_lookup (log->by_uuid, uuid);

  if (known == NULL)
    return;
  if (known->writes > 0)
    known->writes--;
  if (contents == NULL)
    return;
  if (updated_at == NULL)
    known->written_at = landed;
  g_free (known->contents);
  known->contents = g_strdup (contents);
  if (updated_at != NULL)
    {
      g_date_time_unref (known->updated_at);
      known->updated_at = g_date_time_ref (updated_at);
      see_time (log, updated_at);
    }
}

GPtrArray *
plannr_message_log_by_author (PlannrMessageLog *log,
                              const char       *author_uuid,
                              guint             max)
{
  GPtrArray *result = g_ptr_array_new ();

  for (guint i = log->messages->len; i > 0; i--)
    {
      PlannrKnownMessage *known = g_ptr_array_index (log->messages, i - 1);

      if (known->deleted || known->author_uuid == NULL ||
          g_ascii_strcasecmp (known->author_uuid, author_uuid) != 0)
        continue;
      g_ptr_array_add (result, known);
      if (max > 0 && result->len >= max)
        break;
    }
  return result;
}

GPtrArray *
plannr_message_log_recent (PlannrMessageLog *log,
                           guint             max)
{
  GPtrArray *result = g_ptr_array_new ();

  for (guint i = log->messages->len; i > 0; i--)
    {
      PlannrKnownMessage *known = g_ptr_array_index (log->messages, i - 1);

      if (known->deleted)
        continue;
      g_ptr_array_add (result, known);
      if (max > 0 && result->len >= max)
        break;
    }
  return result;
}

static PlannrMessageEvent *
event_new (PlannrEventKind      kind,
           const PlannrMessage *message,
           const char          *old_contents)
{
  PlannrMessageEvent *event = g_new0 (PlannrMessageEvent, 1);

  event->kind = kind;
  event->message = plannr_message_copy (message);
  event->old_contents = g_strdup (old_contents);
  return event;
}

GPtrArray *
plannr_message_log_merge (PlannrMessageLog *log,
                          GPtrArray        *messages,
                          gint64            read_started,
                          gboolean         *reached_known)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_message_event_free);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new ();
  g_autoptr(GDateTime) horizon = log->horizon ? g_date_time_ref (log->horizon) : NULL;
  g_autoptr(GDateTime) floor = merge_floor (log) ? g_date_time_ref (merge_floor (log)) : NULL;
  /* Pages read one after another overlap when messages arrive between
   * them: a message may be listed twice, and must count once. */
  g_autoptr(GHashTable) on_page = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean seen_known = FALSE;

  for (guint i = 0; i < messages->len; i++)
    {
      PlannrMessage *message = g_ptr_array_index (messages, i);
      PlannrKnownMessage *known;

      if (!g_hash_table_add (on_page, message->uuid))
        continue;
      known = g_hash_table_lookup (log->by_uuid, message->uuid);

      if (known == NULL)
        {
          if (floor == NULL || g_date_time_compare (message->created_at, floor) > 0)
            {
              /* Never seen and newer than what was read: new.  (Not
               * "newer than the first known one": the user's own sends
               * are known before any page shows what came before them.) */
              if (message->deleted_at == NULL)
                g_ptr_array_add (fresh, message);
              else
                remember (log, message, FALSE, TRUE);
              continue;
            }

          /* Older than what was read, never loaded: remember it, and
           * announce an edit made to it since we last looked. */
          seen_known = TRUE;
          remember (log, message, FALSE, TRUE);
          if (message->edited && message->deleted_at == NULL && horizon != NULL &&
              g_date_time_compare (message->updated_at, horizon) > 0)
            g_ptr_array_add (events, event_new (PLANNR_EVENT_EDITED, message, NULL));
          continue;
        }

      if (known->from_page)
        seen_known = TRUE;
      known->from_page = TRUE;

      if (message->deleted_at != NULL)
        {
          if (!known->deleted)
            {
              known->deleted = TRUE;
              if (known->shown)
                g_ptr_array_add (events, event_new (PLANNR_EVENT_DELETED, message, known->contents));
            }
          continue;
        }

      /* Our own edit is on its way, or landed after this page was
       * asked for without the server saying when: its answer is the
       * truth, not this page. */
      if (known->writes > 0 || (known->written_at != 0 && read_started <= known->written_at))
        continue;

      /* Older than what we hold (read before our own edit landed):
       * not an edit. */
      if (g_strcmp0 (known->contents, message->contents) != 0 &&
          g_date_time_compare (message->updated_at, known->updated_at) >= 0)
        {
          g_autofree char *old = g_steal_pointer (&known->contents);

          known->contents = g_strdup (message->contents);
          g_date_time_unref (known->updated_at);
          known->updated_at = g_date_time_ref (message->updated_at);
          see_time (log, message->updated_at);
          g_ptr_array_add (events, event_new (PLANNR_EVENT_EDITED, message,
                                              known->shown ? old : NULL));
        }
    }

  /* New messages, oldest first, after the edits of older ones. */
  for (guint i = fresh->len; i > 0; i--)
    {
      PlannrMessage *message = g_ptr_array_index (fresh, i - 1);

      remember (log, message, TRUE, TRUE);
      g_ptr_array_add (events, event_new (PLANNR_EVENT_NEW, message, NULL));
    }

  if (reached_known != NULL)
    *reached_known = seen_known;
  return events;
}
