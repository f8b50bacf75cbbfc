/* plannr-people.h: finding people, and Info on one
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "Find people…" (an account action) and /people TEXT in a chat search
 * the firm's employees (by name, or by e-mail address) and its clients
 * (by name) and show them in libpurple's search results, from where one
 * can start a conversation with someone, see their Info or, from a
 * chat, invite them (Info itself: plannr-info).  /info NAME in a chat
 * shows a participant's or anyone's details.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Search results hold at most this many people of each kind. */
#define PLANNR_PEOPLE_SHOWN 50

extern const PlannrComponent plannr_people_component;

/* The chat command, for the plugin's lifetime. */
void                plannr_people_register      (PurplePlugin     *plugin);
/* "Find people…" for the account's actions. */
PurplePluginAction *plannr_people_action        (void);

/* Searches for @text and shows the people found; @info is the chat it
 * was asked from (NULL: the account), which results can invite to and
 * where an empty result or an error is said. */
void                plannr_people_search        (PlannrConnection *conn,
                                                 const char       *text,
                                                 PlannrConvInfo   *info);

G_END_DECLS
