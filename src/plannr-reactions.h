/* plannr-reactions.h: reacting to messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "/react like|love|laughing|surprised [HH:MM[:SS]]" reacts to the
 * newest message from someone else, or to the message from that time;
 * "React to a message…" in the chat's buddy-list menu picks the message
 * and the reaction in a dialog.  Each ends in one M6,
 * POST /api/v1/reaction, and a line saying it was given or why not.
 * Reactions by others are announced by plannr-reaction-watch.
 */
#pragma once

#include <purple.h>

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Messages "React to a message…" offers. */
#define PLANNR_REACT_DIALOG_MESSAGES 20

extern const PlannrComponent plannr_reactions_component;

/* /react, for the plugin's lifetime. */
void   plannr_reactions_register   (PurplePlugin *plugin);

/* "React to a message…" for a chat's buddy-list menu. */
GList *plannr_reactions_menu       (void);

G_END_DECLS
