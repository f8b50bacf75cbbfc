/* plannr-reaction-log.h: which reactions each message had when last read
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A reaction changes nothing but the message's list of reactions: not
 * its updated_at, not the conversation's latest message.  So the only
 * way to notice one is to compare what a page lists now with what the
 * last page listed.  The log remembers, per message, who gave which
 * reaction, and says what is new; a message it meets for the first
 * time tells nothing (its reactions show with it).  It knows nothing of
 * libpurple.
 */
#pragma once

#include <glib.h>

#include "plannr-model.h"

G_BEGIN_DECLS

/* Messages remembered per conversation, the oldest forgotten first:
 * as many as the message log keeps. */
#define PLANNR_REACTION_LOG_SIZE 500

typedef struct
{
  char *message_uuid;
  char *account_uuid;   /* who reacted; may be NULL */
  char *account_name;   /* may be NULL */
  char *reaction;
} PlannrReactionEvent;

typedef struct _PlannrReactionLog PlannrReactionLog;

PlannrReactionLog *plannr_reaction_log_new   (void);
void               plannr_reaction_log_free  (PlannrReactionLog *log);

/* Takes the reactions of @messages (PlannrMessage*) as they are now.
 * Returns a PlannrReactionEvent* for each reaction a message the log
 * knew did not have before, in the order listed. */
GPtrArray         *plannr_reaction_log_merge (PlannrReactionLog *log,
                                              GPtrArray         *messages);
/* @account_uuid gave @reaction to @message_uuid (the user's own, just
 * sent): not new when a page lists it.  Nothing happens for a message
 * the log does not know: its first page tells nothing anyway. */
void               plannr_reaction_log_note  (PlannrReactionLog *log,
                                              const char        *message_uuid,
                                              const char        *account_uuid,
                                              const char        *reaction);
gboolean           plannr_reaction_log_knows (PlannrReactionLog *log,
                                              const char        *message_uuid);

void               plannr_reaction_event_free (PlannrReactionEvent *event);

/* Parses what follows /react: a reaction Plannr knows (any case; set
 * in lower case in @kind), then optionally a time of day "HH:MM" or
 * "HH:MM:SS" (@hour -1 when none; @second -1 when not given).  FALSE
 * for anything else. */
gboolean           plannr_reaction_parse_command (const char  *args,
                                                  char       **kind,
                                                  int         *hour,
                                                  int         *minute,
                                                  int         *second);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrReactionLog, plannr_reaction_log_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrReactionEvent, plannr_reaction_event_free)

G_END_DECLS
