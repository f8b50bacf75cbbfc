/* plannr-message-log.h: what the plugin knows of a conversation's messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The log merges pages of messages (newest first) into what is already
 * known and says what is new, edited or deleted, so that a message is
 * shown once, ever.  It knows nothing of libpurple.
 */
#pragma once

#include <glib.h>

#include "plannr-model.h"

G_BEGIN_DECLS

/* Messages remembered per conversation: enough for /edit and the edit
 * dialog to find the user's recent messages (the issue asks for 200). */
#define PLANNR_MESSAGE_LOG_SIZE 500

typedef struct
{
  char      *uuid;
  char      *contents;
  GDateTime *created_at;
  GDateTime *updated_at;
  char      *author_uuid;     /* may be NULL */
  char      *author_name;
  gboolean   deleted;
  gboolean   shown;           /* shown in the chat at some point */
  gboolean   from_page;       /* read from a page of the conversation, not
                               * only known because the user sent it */
  guint      writes;          /* our edits of it on their way */
  gint64     written_at;      /* monotonic µs our last edit landed, or 0 */
} PlannrKnownMessage;

typedef enum
{
  PLANNR_EVENT_NEW,
  PLANNR_EVENT_EDITED,
  PLANNR_EVENT_DELETED,
} PlannrEventKind;

typedef struct
{
  PlannrEventKind  kind;
  PlannrMessage   *message;       /* as the server sent it now */
  char            *old_contents;  /* EDITED: the text shown before, or NULL */
} PlannrMessageEvent;

typedef struct _PlannrMessageLog PlannrMessageLog;

PlannrMessageLog *plannr_message_log_new      (void);
void              plannr_message_log_free     (PlannrMessageLog *log);
guint             plannr_message_log_size     (PlannrMessageLog *log);
gboolean          plannr_message_log_is_empty (PlannrMessageLog *log);

/* Records @message as known and shown, without an event (history, and
 * what the user sent). */
void              plannr_message_log_add      (PlannrMessageLog    *log,
                                               const PlannrMessage *message,
                                               gboolean             shown);

/* Merges one page, newest first, read by a request made at
 * @read_started (monotonic µs, g_get_monotonic_time()).  Unknown messages newer than the floor
 * are NEW (oldest first in the result); unknown ones older than it are
 * remembered silently unless they were edited after the log last
 * looked.  Known ones report EDITED or DELETED when
 * they changed.  Sets @reached_known when the page held a message read
 * before (or one older than the floor), so the caller knows whether to
 * read further back.
 * Returns PlannrMessageEvent*, in the order to show them. */
GPtrArray        *plannr_message_log_merge    (PlannrMessageLog *log,
                                               GPtrArray        *messages,
                                               gint64            read_started,
                                               gboolean         *reached_known);

/* Records a message the user just sent: known, shown when @shown (its
 * chat is open), but it tells nothing about what was written before it. */
void              plannr_message_log_add_sent (PlannrMessageLog    *log,
                                               const PlannrMessage *message,
                                               gboolean             shown);
/* A message with @text is being sent from here (@sending), or that send
 * is over: a poll that finds a message of mine with that text before the
 * send's answer does (its answer was lost, or said nothing) shows it as
 * typed here, not as written elsewhere. */
void              plannr_message_log_set_sending (PlannrMessageLog *log,
                                                  const char       *text,
                                                  gboolean          sending);
gboolean          plannr_message_log_is_sending  (PlannrMessageLog *log,
                                                  const char       *text);
/* Records an older message read for /edit; refused (FALSE) when it is
 * newer than what the chat has read, so that the next poll shows it. */
gboolean          plannr_message_log_add_loaded (PlannrMessageLog    *log,
                                                 const PlannrMessage *message);
/* Everything newer than @floor has been read (set after joining); an
 * unknown message newer than it is new. */
void              plannr_message_log_set_floor (PlannrMessageLog *log,
                                                GDateTime        *floor);

PlannrKnownMessage *plannr_message_log_lookup (PlannrMessageLog *log,
                                               const char       *uuid);
/* The newest known message, or NULL. */
PlannrKnownMessage *plannr_message_log_newest (PlannrMessageLog *log);

/* Takes @message as the server holds it now (read on its own, M4):
 * its text and times, without an event.  Unknown, it is remembered as
 * loaded (not shown). */
void              plannr_message_log_refresh        (PlannrMessageLog    *log,
                                                     const PlannrMessage *message);
/* Our own edit of @uuid is on its way.  Until it is finished, merging
 * takes no text for that message from pages: the edit's answer says it,
 * and a poll that saw it first must not announce it as well. */
void              plannr_message_log_write_started  (PlannrMessageLog *log,
                                                     const char       *uuid);
/* Our edit landed with @contents (NULL: it failed) at @landed
 * (monotonic µs).  @updated_at is the server's, or NULL when its answer
 * did not say: then pages read by requests made before @landed cannot
 * tell whether their text is older than ours, and are not believed. */
void              plannr_message_log_write_finished (PlannrMessageLog *log,
                                                     const char       *uuid,
                                                     const char       *contents,
                                                     GDateTime        *updated_at,
                                                     gint64            landed);

/* @author_uuid's messages that are not deleted, newest first, at most
 * @max (0 = all); PlannrKnownMessage* owned by the log. */
GPtrArray        *plannr_message_log_by_author (PlannrMessageLog *log,
                                                const char       *author_uuid,
                                                guint             max);

/* Every known message that is not deleted, newest first, at most @max
 * (0 = all); PlannrKnownMessage* owned by the log. */
GPtrArray        *plannr_message_log_recent    (PlannrMessageLog *log,
                                                guint             max);

void              plannr_message_event_free   (PlannrMessageEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrMessageLog, plannr_message_log_free)

G_END_DECLS
