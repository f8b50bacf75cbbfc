/* plannr-send.h: the user's messages on their way
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One outbox (plannr-outbox) per conversation written to; what becomes
 * of a message shows in its chat: the message with the server's time,
 * or a line with the reason and the text that was not sent.
 */
#pragma once

#include "plannr-connection.h"
#include "plannr-outbox.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_send_component;

/* @info's outbox, made when first asked for. */
PlannrOutbox *plannr_send_outbox (PlannrConnection *conn,
                                  PlannrConvInfo   *info);
/* Sends @text (plain, trimmed, within the length cap) to @info. */
void          plannr_send_text   (PlannrConnection *conn,
                                  PlannrConvInfo   *info,
                                  const char       *text);

G_END_DECLS
