/* plannr-notice.c: telling the user something about a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-notice.h"
#include "plannr-text.h"
#include "plannr-window.h"

PurpleConversation *
plannr_notice_window (PlannrConnection *conn,
                      const char       *uuid)
{
  return plannr_window_find (conn, uuid);
}

void
plannr_notice (PlannrConnection   *conn,
               PlannrConvInfo     *info,
               PurpleMessageFlags  flags,
               const char         *text)
{
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  g_autofree char *html = plannr_text_to_html (text);

  if (pconv != NULL)
    {
      /* Through the chat's own path, from a sender, as a whisper: a UI
       * that shows only chat lines (BitlBee passes on write_conv lines
       * only if they are flagged as sent, and then as the user's own)
       * shows it from PLANNR_NOTICE_SENDER, while WHISPER keeps
       * libpurple from adding RECV, so that Pidgin and Finch, for which
       * SYSTEM comes first, show a system line as before: no name, not
       * counted as a message. */
      purple_conv_chat_write (PURPLE_CONV_CHAT (pconv), PLANNR_NOTICE_SENDER, html,
                              flags | PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_WHISPER, time (NULL));
      return;
    }

  purple_notify_message (plannr_connection_get_pc (conn),
                         (flags & PURPLE_MESSAGE_ERROR) ? PURPLE_NOTIFY_MSG_ERROR
                                                        : PURPLE_NOTIFY_MSG_INFO,
                         _("Plannr"), info->name, text, NULL, NULL);
}
