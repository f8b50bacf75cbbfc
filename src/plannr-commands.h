/* plannr-commands.h: the user's entry points in Pidgin and Finch
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What the user types in a chat (messages, s/old/new/, /rename, /topic,
 * /edit), the topic box, the buddy-list alias and the buddy-list menu
 * actions, each handed to the part that does it.
 */
#pragma once

#include <purple.h>

#include "plannr-connection.h"

G_BEGIN_DECLS

/* The buddy list's alias signal, per account. */
extern const PlannrComponent plannr_commands_component;

/* The chat commands, for the plugin's lifetime. */
void   plannr_commands_register   (PurplePlugin     *plugin);

/* prpl operations */
int    plannr_commands_chat_send  (PurpleConnection  *pc,
                                   int                id,
                                   const char        *message,
                                   PurpleMessageFlags flags);
GList *plannr_commands_blist_menu (PurpleBlistNode   *node);
void   plannr_commands_set_topic  (PurpleConnection  *pc,
                                   int                id,
                                   const char        *topic);

G_END_DECLS
