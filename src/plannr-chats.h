/* plannr-chats.h: Plannr conversations as libpurple chats
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The conversation list (buddy list and room list), joining with history
 * and catch-up, the inbox and chat polls, sending and showing messages.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Conversations per page at sign-in: the API's maximum, because every
 * request counts against the user's 500 per minute and one page of 500
 * parses in a few milliseconds. */
#define PLANNR_SIGNIN_PAGE_SIZE 500
/* Conversations per inbox poll: the poll stops at the first unchanged
 * one, so a small page is enough; a busier inbox reads further pages. */
#define PLANNR_INBOX_PAGE_SIZE 20
/* Pinned conversations read at sign-in; few people pin more. */
#define PLANNR_PINNED_PAGE_SIZE 50
#define PLANNR_INBOX_MAX_PAGES 5
/* Messages per chat poll: recent enough to see edits and deletions of
 * what the user is looking at; more pages are read only after a gap. */
#define PLANNR_CHAT_PAGE_SIZE 20
/* A send is tried this often, each time only after the conversation's
 * newest messages showed that the previous try did not arrive. */
#define PLANNR_SEND_ATTEMPTS 3
/* Messages read to find a send whose answer was lost: more than a poll
 * reads, for busy conversations. */
#define PLANNR_VERIFY_PAGE_SIZE 50
/* How long to wait before looking, in retry delays (5 s by default). */
#define PLANNR_VERIFY_DELAY_FACTOR 5
/* Catching up reads at most this many pages of history-count. */
#define PLANNR_CATCHUP_MAX_PAGES 20
/* Polls slow down to this many times their interval while idle. */
#define PLANNR_INBOX_BACKOFF_FACTOR 4
#define PLANNR_CHAT_BACKOFF_FACTOR 6

/* Conversations handled per idle callback when the sign-in fills the
 * buddy list and the room list: a slice of this size takes a few
 * milliseconds, so the client stays responsive with 10,000 of them. */
#define PLANNR_SYNC_SLICE 200
/* What was shown is written to the buddy-list nodes at most this often
 * (and when a chat closes or the account goes offline): every write
 * makes libpurple save all of blist.xml. */
#define PLANNR_REMEMBER_DELAY_S 30

void        plannr_chats_start        (PlannrConnection *conn);
void        plannr_chats_watch_blist  (PlannrConnection *conn);
/* Writes what was shown to the nodes now (closing, leaving). */
void        plannr_chats_remember_all (PlannrConnection *conn);
void        plannr_chats_stop         (PlannrConnection *conn);
void        plannr_conv_free          (PlannrConv       *conv);

PlannrConv *plannr_chats_find         (PlannrConnection *conn,
                                       const char       *uuid);
PlannrConv *plannr_chats_find_by_id   (PlannrConnection *conn,
                                       int               id);
/* The open chat's conversation, or NULL when it is not open. */
PurpleConversation *plannr_conv_get_purple (PlannrConv *conv);
PurpleChat *plannr_conv_get_blist_chat (PlannrConv *conv);
PurpleChat *plannr_chats_find_blist_chat (PurpleAccount *account,
                                          const char    *uuid);

/* A plain-text line in the open chat, else a notification. */
void        plannr_conv_notice        (PlannrConv       *conv,
                                       PurpleMessageFlags flags,
                                       const char       *text);
/* Shows @name everywhere: buddy-list alias, title, topic, room list.
 * @line says so in the open chat when it is not NULL. */
void        plannr_conv_apply_name    (PlannrConv       *conv,
                                       const char       *name,
                                       const char       *line);
void        plannr_conv_poll_soon     (PlannrConv       *conv);
/* TRUE while a message the user sent here has no uuid yet. */
gboolean    plannr_conv_sends_pending (PlannrConv       *conv);
typedef void (*PlannrConvFunc) (gpointer data);
/* Edits of messages here run one at a time, in the order asked, and
 * each only once every message sent here before has its uuid: "my last
 * message" must not mean an older one because a send is on its way,
 * and a retried edit must not land after a newer one.  @func takes
 * @data and calls plannr_conv_write_done() when its request is done;
 * @destroy frees @data instead if the account closes first. */
void        plannr_conv_queue_write   (PlannrConv       *conv,
                                       PlannrConvFunc    func,
                                       gpointer          data,
                                       GDestroyNotify    destroy);
void        plannr_conv_write_done    (PlannrConv       *conv);
/* The chat user name of @author_uuid, or @fallback. */
const char *plannr_conv_nick          (PlannrConv       *conv,
                                       const char       *author_uuid,
                                       const char       *fallback);
gboolean    plannr_conv_is_mine       (PlannrConv       *conv,
                                       const char       *author_uuid);
/* Local time of day as the chat shows it: "14:02". */
char       *plannr_format_time        (GDateTime        *time);

/* prpl operations */
GList      *plannr_chats_info         (PurpleConnection *pc);
GHashTable *plannr_chats_info_defaults (PurpleConnection *pc,
                                        const char       *chat_name);
char       *plannr_chats_get_name     (GHashTable       *components);
void        plannr_chats_join         (PurpleConnection *pc,
                                       GHashTable       *components);
void        plannr_chats_leave        (PurpleConnection *pc,
                                       int               id);
int         plannr_chats_send         (PurpleConnection *pc,
                                       int               id,
                                       const char       *message,
                                       PurpleMessageFlags flags);
PurpleRoomlist *plannr_chats_roomlist_get    (PurpleConnection *pc);
void        plannr_chats_roomlist_cancel (PurpleRoomlist *list);

G_END_DECLS
