/* plannr-window.h: the libpurple conversation that shows a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libpurple knows an open chat by its conversation name.  That is the
 * conversation's uuid, unless it was joined by name only: then it is
 * that name, exactly as given, because a UI may find its own chat by
 * comparing the conversation's name with what the user typed (BitlBee's
 * "chat add plannr NAME #channel" does, and otherwise opens a second
 * channel).  This file remembers, per account and for the session, the
 * names other than the uuid, and finds the conversation by either.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_window_component;

/* The name libpurple knows @uuid's chat by: the name it was last joined
 * by, or the uuid. */
const char         *plannr_window_name       (PlannrConnection *conn,
                                              const char       *uuid);
/* @uuid's chat is known by @name from now on (NULL or the uuid itself:
 * by the uuid).  No other conversation keeps that name. */
void                plannr_window_set_name   (PlannrConnection *conn,
                                              const char       *uuid,
                                              const char       *name);
/* The conversation (lower-case uuid, newly allocated) whose chat is
 * known by @name: one joined by that name, or the uuid @name is; NULL
 * if neither. */
char               *plannr_window_uuid       (PlannrConnection *conn,
                                              const char       *name);
/* The open chat of @uuid, or NULL (not open, or left). */
PurpleConversation *plannr_window_find       (PlannrConnection *conn,
                                              const char       *uuid);

G_END_DECLS
