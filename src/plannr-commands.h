/* plannr-commands.h: the user's entry points in Pidgin and Finch
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Chat commands (/rename, /topic, /edit), the topic box, the buddy-list
 * alias and the buddy-list menu actions.
 */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

void   plannr_commands_register   (PurplePlugin     *plugin);
void   plannr_commands_unregister (PurplePlugin     *plugin);

void   plannr_commands_connect_signals (gpointer      handle);

GList *plannr_blist_node_menu     (PurpleBlistNode  *node);
void   plannr_set_chat_topic      (PurpleConnection *pc,
                                   int               id,
                                   const char       *topic);

G_END_DECLS
