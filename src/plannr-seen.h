/* plannr-seen.h: the newest message shown of each conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * So that catching up after a reconnect or a restart shows every
 * message once, the newest message shown (uuid and time) is kept: on
 * the chat's buddy-list node, or, for conversations without one, in
 * one account setting holding the newest few hundred.  Written a little
 * later, together (every write makes libpurple save all of blist.xml).
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* What was shown is written at most this often (and when the account
 * goes offline or a chat closes). */
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
/* Writes what is waiting now: for @conv_uuid, or all when NULL. */
void     plannr_seen_flush  (PlannrConnection    *conn,
                             const char          *conv_uuid);

G_END_DECLS
