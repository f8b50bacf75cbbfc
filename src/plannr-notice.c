/* plannr-notice.c: telling the user something about a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-notice.h"
#include "plannr-text.h"

PurpleConversation *
plannr_notice_window (PlannrConnection *conn,
                      const char       *uuid)
{
  PurpleConversation *pconv;

  if (uuid == NULL)
    return NULL;
  pconv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_CHAT, uuid,
                                                 plannr_connection_get_account (conn));
  if (pconv == NULL || purple_conv_chat_has_left (PURPLE_CONV_CHAT (pconv)))
    return NULL;
  return pconv;
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
      purple_conversation_write (pconv, NULL, html, flags | PURPLE_MESSAGE_SYSTEM, time (NULL));
      return;
    }

  purple_notify_message (plannr_connection_get_pc (conn),
                         (flags & PURPLE_MESSAGE_ERROR) ? PURPLE_NOTIFY_MSG_ERROR
                                                        : PURPLE_NOTIFY_MSG_INFO,
                         _("Plannr"), info->name, text, NULL, NULL);
}
