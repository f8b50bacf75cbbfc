/* plannr-reaction-watch.c: reactions that arrive on messages shown
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-notice.h"
#include "plannr-participants.h"
#include "plannr-reaction-log.h"
#include "plannr-reaction-watch.h"
#include "plannr-render.h"

/* What is known of one conversation's reactions. */
typedef struct
{
  PlannrReactionLog *log;
  GHashTable        *sent;   /* "message\x1freaction": the user's, from here */
} Watched;

typedef struct
{
  GHashTable *by_uuid;       /* conversation uuid -> Watched* */
} Watch;

static void
watched_free (Watched *watched)
{
  plannr_reaction_log_free (watched->log);
  g_hash_table_unref (watched->sent);
  g_free (watched);
}

static Watched *
watched_get (PlannrConnection *conn,
             PlannrConvInfo   *info)
{
  Watch *watch = plannr_connection_get_state (conn, &plannr_reaction_watch_component);
  Watched *watched = g_hash_table_lookup (watch->by_uuid, info->uuid);

  if (watched == NULL)
    {
      watched = g_new0 (Watched, 1);
      watched->log = plannr_reaction_log_new ();
      watched->sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (watch->by_uuid, g_strdup (info->uuid), watched);
    }
  return watched;
}

static char *
sent_key (const char *message_uuid,
          const char *reaction)
{
  return g_strconcat (message_uuid, "\x1f", reaction, NULL);
}

char *
plannr_reaction_watch_line (PlannrConnection *conn,
                            PlannrConvInfo   *info,
                            const char       *message_uuid,
                            const char       *who_uuid,
                            const char       *who_name,
                            const char       *reaction)
{
  PlannrKnownMessage *known = plannr_message_log_lookup (plannr_conv_info_log (info), message_uuid);
  gboolean by_me = plannr_connection_is_me (conn, who_uuid);
  gboolean to_me;
  gboolean own;
  const char *who = NULL;
  const char *author = NULL;

  if (known == NULL)
    return NULL;
  to_me = plannr_connection_is_me (conn, known->author_uuid);
  own = !by_me && who_uuid != NULL && known->author_uuid != NULL &&
        g_ascii_strcasecmp (who_uuid, known->author_uuid) == 0;
  if (!by_me)
    who = plannr_participants_nick (conn, info->uuid, who_uuid, who_name ? who_name : _("Unknown"));
  if (!to_me)
    author = plannr_participants_nick (conn, info->uuid, known->author_uuid, known->author_name);
  return plannr_render_reaction_line (who, reaction, author, own, known->created_at);
}

void
plannr_reaction_watch_seen (PlannrConnection *conn,
                            PlannrConvInfo   *info,
                            GPtrArray        *messages)
{
  Watched *watched = watched_get (conn, info);
  g_autoptr(GPtrArray) events = plannr_reaction_log_merge (watched->log, messages);

  for (guint i = 0; i < events->len; i++)
    {
      PlannrReactionEvent *event = g_ptr_array_index (events, i);
      PlannrKnownMessage *known = plannr_message_log_lookup (plannr_conv_info_log (info), event->message_uuid);
      g_autofree char *key = sent_key (event->message_uuid, event->reaction);
      g_autofree char *line = NULL;

      /* Not on a message the user has not seen; not the user's own
       * from here, which was told when it was sent (a page read before
       * it landed may have left it out, and the next one lists it). */
      if (known == NULL || !known->shown)
        continue;
      if (plannr_connection_is_me (conn, event->account_uuid) && g_hash_table_contains (watched->sent, key))
        continue;
      line = plannr_reaction_watch_line (conn, info, event->message_uuid, event->account_uuid,
                                         event->account_name, event->reaction);
      plannr_notice (conn, info, 0, line);
    }
}

void
plannr_reaction_watch_sent (PlannrConnection *conn,
                            PlannrConvInfo   *info,
                            const char       *message_uuid,
                            const char       *reaction)
{
  Watched *watched = watched_get (conn, info);

  g_hash_table_add (watched->sent, sent_key (message_uuid, reaction));
  plannr_reaction_log_note (watched->log, message_uuid, plannr_connection_get_account_uuid (conn), reaction);
}

/* --- the component ------------------------------------------------------- */

static gpointer
watch_create (PlannrConnection *conn)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->by_uuid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) watched_free);
  return watch;
}

static void
watch_destroy (gpointer state)
{
  Watch *watch = state;

  g_hash_table_unref (watch->by_uuid);
  g_free (watch);
}

const PlannrComponent plannr_reaction_watch_component = {
  .name = "reaction-watch",
  .create = watch_create,
  .destroy = watch_destroy,
};
