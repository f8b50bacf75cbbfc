/* plannr-seen.h: the newest message shown of each conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * So that catching up after a reconnect or a restart shows every
 * message once, the newest message shown (uuid and time) is kept in a
 * file of the plugin's own in libpurple's user directory
 * (plannr/seen-*.json), written a little later, together, in the
 * background.  Not on the buddy-list nodes: every node write makes
 * libpurple save the whole blist.xml on the main loop.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* What was shown is written at most this often (and when a chat closes
 * and the account goes offline). */
#define PLANNR_REMEMBER_DELAY_S 30

extern const PlannrComponent plannr_seen_component;

/* The newest message shown of @conv_uuid: its uuid and time (either
 * may be NULL when nothing is known). */
void     plannr_seen_get    (PlannrConnection    *conn,
                             const char          *conv_uuid,
                             const char         **message_uuid,
                             GDateTime          **time);
/* @message was shown in @conv_uuid's chat. */
void     plannr_seen_shown  (PlannrConnection    *conn,
                             const char          *conv_uuid,
                             const PlannrMessage *message);
/* Writes what is waiting now, in the background. */
void     plannr_seen_flush  (PlannrConnection    *conn);

G_END_DECLS
