/* plannr-outbox.h: what the user sends to one conversation, and edits
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Messages go out one at a time, in the order typed.  A POST is never
 * sent twice blindly: after an ambiguous failure (the connection broke,
 * a timeout, a 5xx) the conversation's newest messages are searched a
 * little later, and only when the message is known not to have arrived
 * is it sent again; after a 2xx without a readable answer it did arrive
 * and is only looked for.  Edits of the conversation's messages wait
 * their turn here too: one at a time, and each only once every message
 * sent before it has its uuid.  No libpurple: what happens is told
 * through callbacks.
 */
#pragma once

#include "plannr-api.h"
#include "plannr-message-log.h"

G_BEGIN_DECLS

/* A send is tried this often, each time only after the conversation's
 * newest messages showed that the previous try did not arrive. */
#define PLANNR_SEND_ATTEMPTS 3
/* Messages read to find a send whose answer was lost: more than a poll
 * reads, for busy conversations. */
#define PLANNR_VERIFY_PAGE_SIZE 50
/* How long to wait before looking, in retry delays (5 s by default). */
#define PLANNR_VERIFY_DELAY_FACTOR 5

typedef struct _PlannrOutbox PlannrOutbox;

typedef struct
{
  /* @message (the server's) is on the server. */
  void (*sent)         (gpointer             user_data,
                        const char          *conversation_uuid,
                        const PlannrMessage *message);
  /* @text did not arrive (or may not have); @reason says why. */
  void (*failed)       (gpointer             user_data,
                        const char          *conversation_uuid,
                        const char          *text,
                        const char          *reason);
  /* It arrived but was not among the newest messages: a poll will
   * find it. */
  void (*look_again)   (gpointer             user_data,
                        const char          *conversation_uuid);
  /* The token was refused. */
  void (*unauthorized) (gpointer             user_data,
                        const GError        *error);
} PlannrOutboxCallbacks;

typedef void (*PlannrOutboxFunc) (gpointer data);

PlannrOutbox  *plannr_outbox_new          (PlannrApi                   *api,
                                           const char                  *conversation_uuid,
                                           const char                  *account_uuid,
                                           PlannrMessageLog            *log,
                                           guint                        verify_delay_ms,
                                           const PlannrOutboxCallbacks *callbacks,
                                           gpointer                     user_data);
/* Pending callbacks of its requests are cancelled with the api; free it
 * only after plannr_api_shutdown(), or when it is idle. */
void           plannr_outbox_free         (PlannrOutbox *outbox);
/* No timers any more (the account is failing). */
void           plannr_outbox_stop         (PlannrOutbox *outbox);

/* Queues @text (plain, trimmed) to be sent after what is queued. */
void           plannr_outbox_send         (PlannrOutbox *outbox,
                                           const char   *text);
/* TRUE while a message sent here has no uuid yet. */
gboolean       plannr_outbox_is_pending   (PlannrOutbox *outbox);

/* Runs @func (which takes @data) in its turn: after the edits queued
 * before it have called plannr_outbox_write_done(), and once every
 * message sent before has its uuid or has failed.  @destroy frees @data
 * instead when the outbox goes first. */
void           plannr_outbox_queue_write  (PlannrOutbox     *outbox,
                                           PlannrOutboxFunc  func,
                                           gpointer          data,
                                           GDestroyNotify    destroy);
void           plannr_outbox_write_done   (PlannrOutbox *outbox);

/* The message in @messages (newest first) that a send of @text by
 * @account_uuid made: that author, that text, not deleted, and none of
 * @before (uuids of the author's messages with that text that existed
 * before the send, NULL-terminated).  No time test: the server's clock
 * need not match ours.  NULL when there is none. */
PlannrMessage *plannr_outbox_find_sent    (GPtrArray          *messages,
                                           const char         *account_uuid,
                                           const char         *text,
                                           const char * const *before);

G_END_DECLS
