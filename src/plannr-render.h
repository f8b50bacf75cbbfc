/* plannr-render.h: messages and events as the chat shows them
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What a message looks like in the chat (its text as inert HTML, its
 * files and reactions), and the lines that announce edits and
 * deletions.  Pure, so tested on its own.
 */
#pragma once

#include <glib.h>

#include "plannr-message-log.h"
#include "plannr-model.h"

G_BEGIN_DECLS

/* Local time of day as the chat shows it: "14:02". */
char *plannr_render_time        (GDateTime           *time);

/* A message as HTML for the chat: the text escaped and linkified, then
 * a line per file (name, size, a link only for web addresses) and one
 * for the reactions ("like ×2, love ×1"). */
char *plannr_render_message     (const PlannrMessage *message);
/* The same, each file's line with its number ("File 3: …"): @numbers
 * holds a guint per file, 0 for none; NULL numbers none. */
char *plannr_render_message_numbered (const PlannrMessage *message,
                                      GArray              *numbers);

/* The plain-text line that announces an edit or a deletion (@event of
 * kind EDITED or DELETED); @who is the author's chat name, or NULL
 * when the author is the user. */
char *plannr_render_event_line  (const PlannrMessageEvent *event,
                                 const char               *who);

/* The plain-text line that announces a reaction to a message from
 * @time: @who reacted (NULL: the user) with @reaction to a message by
 * @author (NULL: the user's own); @own says @who reacted to their own
 * message. */
char *plannr_render_reaction_line (const char *who,
                                   const char *reaction,
                                   const char *author,
                                   gboolean    own,
                                   GDateTime  *time);

G_END_DECLS
