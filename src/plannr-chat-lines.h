/* plannr-chat-lines.h: a chat's messages and events as the chat shows them
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A message becomes a chat line from its author's chat user name (see
 * plannr-participants), flagged as libpurple UIs expect: mine or
 * someone else's, from the history (delayed), written elsewhere by me
 * (remote), naming me; its files numbered for /save.  Edits and
 * deletions become lines of their own.
 */
#pragma once

#include "plannr-connection.h"
#include "plannr-message-log.h"

G_BEGIN_DECLS

/* How a message came to be shown: from the history when joining, seen
 * by a poll (written elsewhere, or by someone else), or sent from here. */
typedef enum
{
  PLANNR_SHOWN_FROM_HISTORY,
  PLANNR_SHOWN_FROM_POLL,
  PLANNR_SHOWN_AS_SENT,
} PlannrShownAs;

/* Writes @message into the open chat @chat_id of @info. */
void plannr_chat_lines_message (PlannrConnection    *conn,
                                PlannrConvInfo      *info,
                                int                  chat_id,
                                const PlannrMessage *message,
                                PlannrShownAs        how);
/* Writes what a poll found (plannr_message_log_merge()'s events). */
void plannr_chat_lines_events  (PlannrConnection    *conn,
                                PlannrConvInfo      *info,
                                int                  chat_id,
                                GPtrArray           *events);

G_END_DECLS
