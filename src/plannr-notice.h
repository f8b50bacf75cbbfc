/* plannr-notice.h: telling the user something about a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Who the plugin's own lines in a chat come from, for UIs that show a
 * sender (BitlBee); no participant is given this name. */
#define PLANNR_NOTICE_SENDER "Plannr"

/* The open chat window of @uuid (see plannr-window.h), or NULL when it
 * is not open. */
PurpleConversation *plannr_notice_window (PlannrConnection   *conn,
                                          const char         *uuid);
/* @text (plain) as a system line in @info's open chat, else as a
 * notification naming the conversation. */
void                plannr_notice        (PlannrConnection   *conn,
                                          PlannrConvInfo     *info,
                                          PurpleMessageFlags  flags,
                                          const char         *text);

G_END_DECLS
