/* plannr-reaction-watch.h: reactions that arrive on messages shown
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each page an open chat reads goes through here: a reaction that a
 * message already shown did not have before is announced once, as a
 * line ("Ben Client reacted love to your message from 14:02."), never
 * by showing the message again.  The user's own reactions sent from
 * here are told when they are sent, and not again.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_reaction_watch_component;

/* @messages (PlannrMessage*), as @info's open chat just read them. */
void  plannr_reaction_watch_seen (PlannrConnection *conn,
                                  PlannrConvInfo   *info,
                                  GPtrArray        *messages);
/* The user gave @reaction to @message_uuid from here. */
void  plannr_reaction_watch_sent (PlannrConnection *conn,
                                  PlannrConvInfo   *info,
                                  const char       *message_uuid,
                                  const char       *reaction);
/* The line announcing that @who_uuid (@who_name; the user when it is
 * theirs) gave @reaction to the known message @message_uuid; NULL when
 * the message is not known. */
char *plannr_reaction_watch_line (PlannrConnection *conn,
                                  PlannrConvInfo   *info,
                                  const char       *message_uuid,
                                  const char       *who_uuid,
                                  const char       *who_name,
                                  const char       *reaction);

G_END_DECLS
