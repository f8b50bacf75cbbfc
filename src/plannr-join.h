/* plannr-join.h: joining a conversation by name or id
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What "Join a Chat", the room list and the buddy list hand over
 * (components "name" and "uuid") becomes an open chat: by uuid, even
 * one not on the list yet, or by exact name (the most recently active
 * of several).  libpurple knows a chat by its uuid, or, joined by name
 * only, by that name as given (get_chat_name; see plannr-window.h).
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* prpl operations */
GList      *plannr_join_chat_info      (PurpleConnection *pc);
GHashTable *plannr_join_info_defaults  (PurpleConnection *pc,
                                        const char       *chat_name);
char       *plannr_join_get_name       (GHashTable       *components);
void        plannr_join                (PurpleConnection *pc,
                                        GHashTable       *components);

G_END_DECLS
