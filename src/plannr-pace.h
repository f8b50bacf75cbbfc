/* plannr-pace.h: how often to look, from whether anyone is looking
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Plannr has no push, so the plugin polls, and the pace is chosen from
 * what the user gets and what it costs.  One cheap request, the inbox
 * page (conversations, most recently changed first, with their latest
 * message), sees a new message in any conversation, open or not: it
 * runs at a fast, fixed interval while the user is active, and the
 * open chat it names is read at once.  Open chats are re-read on their
 * own only slowly, for edits and deletions of older messages, which do
 * not change a conversation's latest message.  While libpurple says
 * the user is idle or away, both slow down; activity or a message sent
 * brings the fast pace back at once.  The rate budget the server
 * reports slows everything further when it runs low.
 *
 * The numbers, from the targets (BENCHMARKS.md, scenario 5):
 *   - active: a message shows within one inbox interval and two round
 *     trips: 5 s gives a p95 under 5 s and a worst case under 6 s, for
 *     12 inbox requests a minute;
 *   - an open chat re-read every 120 s costs 1 request a minute each
 *     (its messages and its participants, 0.5 each): with three chats
 *     open, 15 a minute in all, 3 % of the user's 500, leaving room for
 *     the reads new messages cause;
 *   - idle or away: four times slower for the inbox (20 s: 3 a minute,
 *     a message shows within about 20 s) and three times for chats
 *     (6 minutes), about 4 a minute with three chats open.
 * Pure: no libpurple, no timers; the callers schedule.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PLANNR_PACE_INBOX_S         5
#define PLANNR_PACE_CHAT_S          120
#define PLANNR_PACE_IDLE_INBOX      4
#define PLANNR_PACE_IDLE_CHAT       3

typedef struct _PlannrPace PlannrPace;

typedef void (*PlannrPaceChanged) (gpointer user_data);

/* Intervals while active, in seconds (at least 1). */
PlannrPace *plannr_pace_new             (guint              inbox_s,
                                         guint              chat_s);
void        plannr_pace_free            (PlannrPace        *pace);

/* Idle or away (TRUE), or active again (FALSE).  Listeners hear of a
 * change only. */
void        plannr_pace_set_idle        (PlannrPace        *pace,
                                         gboolean           idle);
gboolean    plannr_pace_is_idle         (const PlannrPace  *pace);
/* @callback runs after every change of pace, until removed. */
void        plannr_pace_add_listener    (PlannrPace        *pace,
                                         PlannrPaceChanged  callback,
                                         gpointer           user_data);
void        plannr_pace_remove_listener (PlannrPace        *pace,
                                         gpointer           user_data);

/* Milliseconds between inbox polls, and between re-reads of an open
 * chat, now.  The rate budget the server reports (X-Ratelimit-Remaining
 * and -Limit, -1 when unknown) slows them: twice as long below a
 * quarter of it, four times below a tenth, so that the user's own
 * actions and other clients of the same user still get through. */
guint       plannr_pace_inbox_ms        (const PlannrPace  *pace,
                                         int                rate_remaining,
                                         int                rate_limit);
guint       plannr_pace_chat_ms         (const PlannrPace  *pace,
                                         int                rate_remaining,
                                         int                rate_limit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrPace, plannr_pace_free)

G_END_DECLS
