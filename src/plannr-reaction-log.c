/* plannr-reaction-log.c: which reactions each message had when last read
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "plannr-api-reactions.h"
#include "plannr-reaction-log.h"

struct _PlannrReactionLog
{
  GHashTable *by_message;  /* message uuid -> GHashTable of reaction keys */
  GQueue      order;       /* message uuids (borrowed from by_message), oldest first */
};

void
plannr_reaction_event_free (PlannrReactionEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->message_uuid);
  g_free (event->account_uuid);
  g_free (event->account_name);
  g_free (event->reaction);
  g_free (event);
}

PlannrReactionLog *
plannr_reaction_log_new (void)
{
  PlannrReactionLog *log = g_new0 (PlannrReactionLog, 1);

  log->by_message = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_hash_table_unref);
  g_queue_init (&log->order);
  return log;
}

void
plannr_reaction_log_free (PlannrReactionLog *log)
{
  if (log == NULL)
    return;
  g_queue_clear (&log->order);
  g_hash_table_unref (log->by_message);
  g_free (log);
}

gboolean
plannr_reaction_log_knows (PlannrReactionLog *log,
                           const char        *message_uuid)
{
  return message_uuid != NULL && g_hash_table_contains (log->by_message, message_uuid);
}

/* Who gave what: an account gives each reaction once (the server adds
 * nothing for a second one), and the key must not depend on the
 * reaction's own uuid, which the user's own reaction may lack when the
 * server answered without a body. */
static char *
reaction_key (const char *account_uuid,
              const char *account_name,
              const char *reaction)
{
  g_autofree char *who = account_uuid != NULL ? g_ascii_strdown (account_uuid, -1)
                                              : g_strconcat ("name:", account_name ? account_name : "", NULL);

  return g_strconcat (who, "\x1f", reaction, NULL);
}

static GHashTable *
keys_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
remember (PlannrReactionLog *log,
          const char        *message_uuid,
          GHashTable        *keys)
{
  char *uuid = g_strdup (message_uuid);

  g_hash_table_insert (log->by_message, uuid, keys);
  g_queue_push_tail (&log->order, uuid);
  while (g_queue_get_length (&log->order) > PLANNR_REACTION_LOG_SIZE)
    g_hash_table_remove (log->by_message, g_queue_pop_head (&log->order));
}

GPtrArray *
plannr_reaction_log_merge (PlannrReactionLog *log,
                           GPtrArray         *messages)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_reaction_event_free);

  for (guint i = 0; i < messages->len; i++)
    {
      const PlannrMessage *message = g_ptr_array_index (messages, i);
      GHashTable *before = g_hash_table_lookup (log->by_message, message->uuid);
      GHashTable *now = keys_new ();

      for (guint j = 0; j < message->reactions->len; j++)
        {
          const PlannrReaction *r = g_ptr_array_index (message->reactions, j);
          char *key = reaction_key (r->account_uuid, r->account_name, r->reaction);

          if (!g_hash_table_add (now, key))
            continue;
          if (before != NULL && !g_hash_table_contains (before, key))
            {
              PlannrReactionEvent *event = g_new0 (PlannrReactionEvent, 1);

              event->message_uuid = g_strdup (message->uuid);
              event->account_uuid = g_strdup (r->account_uuid);
              event->account_name = g_strdup (r->account_name);
              event->reaction = g_strdup (r->reaction);
              g_ptr_array_add (events, event);
            }
        }
      /* What the page lists is the truth: a reaction taken back and
       * given again is new again. */
      if (before != NULL)
        /* insert, not replace: the key the order queue borrows stays. */
        g_hash_table_insert (log->by_message, g_strdup (message->uuid), now);
      else
        remember (log, message->uuid, now);
    }
  return events;
}

void
plannr_reaction_log_note (PlannrReactionLog *log,
                          const char        *message_uuid,
                          const char        *account_uuid,
                          const char        *reaction)
{
  GHashTable *keys = message_uuid ? g_hash_table_lookup (log->by_message, message_uuid) : NULL;

  if (keys != NULL)
    g_hash_table_add (keys, reaction_key (account_uuid, NULL, reaction));
}

static gboolean
parse_number (const char *text,
              int         max,
              int        *value)
{
  guint64 n;

  if (text[0] == '\0' || strlen (text) > 2 ||
      !g_ascii_string_to_unsigned (text, 10, 0, (guint64) max, &n, NULL))
    return FALSE;
  *value = (int) n;
  return TRUE;
}

gboolean
plannr_reaction_parse_command (const char  *args,
                               char       **kind,
                               int         *hour,
                               int         *minute,
                               int         *second)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (args != NULL ? args : ""));
  g_auto(GStrv) words = g_strsplit_set (trimmed, " \t", -1);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_auto(GStrv) clock = NULL;
  g_autofree char *lower = NULL;
  guint n_clock;

  *kind = NULL;
  *hour = *minute = *second = -1;
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (parts, words[i]);
  if (parts->len == 0 || parts->len > 2)
    return FALSE;
  lower = g_ascii_strdown (g_ptr_array_index (parts, 0), -1);
  if (!plannr_reaction_kind_is_valid (lower))
    return FALSE;
  if (parts->len == 2)
    {
      clock = g_strsplit (g_ptr_array_index (parts, 1), ":", -1);
      n_clock = g_strv_length (clock);
      if ((n_clock != 2 && n_clock != 3) ||
          !parse_number (clock[0], 23, hour) || !parse_number (clock[1], 59, minute) ||
          strlen (clock[1]) != 2 ||
          (n_clock == 3 && (!parse_number (clock[2], 59, second) || strlen (clock[2]) != 2)))
        {
          *hour = *minute = *second = -1;
          return FALSE;
        }
    }
  *kind = g_steal_pointer (&lower);
  return TRUE;
}
