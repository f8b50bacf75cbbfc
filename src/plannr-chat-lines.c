/* plannr-chat-lines.c: a chat's messages and events as the chat shows them
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-chat-lines.h"
#include "plannr-file-numbers.h"
#include "plannr-notice.h"
#include "plannr-participants.h"
#include "plannr-render.h"
#include "plannr-seen.h"

void
plannr_chat_lines_message (PlannrConnection    *conn,
                           PlannrConvInfo      *info,
                           int                  chat_id,
                           const PlannrMessage *message,
                           PlannrShownAs        how)
{
  /* Each file line with the number /save takes for it. */
  g_autoptr(GArray) numbers = plannr_file_numbers_add (conn, info->uuid, message);
  g_autofree char *html = plannr_render_message_numbered (message, numbers);
  const char *author_uuid = message->author ? message->author->uuid : NULL;
  const char *who = plannr_participants_nick (conn, info->uuid, author_uuid,
                                              message->author ? message->author->name : NULL);
  PurpleMessageFlags flags;

  if (plannr_connection_is_me (conn, author_uuid))
    {
      flags = PURPLE_MESSAGE_SEND;
      /* Mine, but not sent from here (the web app, a phone): UIs that
       * leave out the echo of what was typed in them (BitlBee drops a
       * line flagged as sent unless it is delayed or remote) must still
       * show it.  What is being sent from here was typed here, even when
       * a poll finds it before the send's answer does. */
      if (how == PLANNR_SHOWN_FROM_POLL &&
          !plannr_message_log_is_sending (plannr_conv_info_log (info), message->contents))
        flags |= PURPLE_MESSAGE_REMOTE_SEND;
    }
  else
    {
      flags = PURPLE_MESSAGE_RECV;
      /* libpurple marks a line naming the chat's nick, which is my
       * username; others write my name. */
      if (message->contents != NULL &&
          purple_utf8_has_word (message->contents, plannr_connection_get_my_name (conn)))
        flags |= PURPLE_MESSAGE_NICK;
    }
  if (how == PLANNR_SHOWN_FROM_HISTORY)
    flags |= PURPLE_MESSAGE_DELAYED;
  serv_got_chat_in (plannr_connection_get_pc (conn), chat_id, who, flags, html,
                    (time_t) g_date_time_to_unix (message->created_at));
  plannr_seen_shown (conn, info->uuid, message);
}

void
plannr_chat_lines_events (PlannrConnection *conn,
                          PlannrConvInfo   *info,
                          int               chat_id,
                          GPtrArray        *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      PlannrMessageEvent *event = g_ptr_array_index (events, i);
      const PlannrMessage *message = event->message;
      const char *author_uuid = message->author ? message->author->uuid : NULL;
      g_autofree char *line = NULL;

      if (event->kind == PLANNR_EVENT_NEW)
        {
          plannr_chat_lines_message (conn, info, chat_id, message, PLANNR_SHOWN_FROM_POLL);
          continue;
        }
      line = plannr_render_event_line (event, plannr_connection_is_me (conn, author_uuid)
                                              ? NULL
                                              : plannr_participants_nick (conn, info->uuid, author_uuid,
                                                                          message->author
                                                                          ? message->author->name : NULL));
      plannr_notice (conn, info, 0, line);
    }
}
