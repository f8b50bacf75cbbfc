/* plannr-outbox.c: what the user sends to one conversation, and edits
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-error.h"
#include "plannr-outbox.h"

/* Catching up reads at most this many pages when looking for a send. */
#define VERIFY_MAX_PAGES 5

typedef struct
{
  char      *text;       /* plain text */
  guint      attempts;   /* POSTs made for it */
  GPtrArray *before;     /* NULL-terminated uuids of my messages with
                          * this text when the send started */
} Outgoing;

typedef struct
{
  PlannrOutboxFunc func;
  gpointer         data;
  GDestroyNotify   destroy;
} QueuedWrite;

/* After an ambiguous failure: did the message arrive after all?  And
 * after a 2xx without a readable answer: where is the message it made? */
typedef struct
{
  PlannrOutbox *outbox;
  Outgoing     *out;
  char         *reason;
  gboolean      accepted;   /* the server said 2xx: it did arrive */
} Verify;

struct _PlannrOutbox
{
  PlannrApi                   *api;
  char                        *conversation_uuid;
  char                        *account_uuid;
  PlannrMessageLog            *log;            /* borrowed */
  guint                        verify_delay_ms;
  const PlannrOutboxCallbacks *callbacks;
  gpointer                     user_data;

  GQueue                       outgoing;       /* Outgoing*, the head on its way */
  gboolean                     sending;
  char                        *marked;         /* the text the log knows is on its way */
  guint                        verify_id;      /* looking for a send after a failure */
  Verify                      *verify;         /* its state until the request starts */

  GQueue                       writes;         /* QueuedWrite*, waiting */
  gboolean                     writing;        /* one of them is on its way */
};

static void send_next (PlannrOutbox *outbox);

static void
outgoing_free (Outgoing *out)
{
  g_clear_pointer (&out->before, g_ptr_array_unref);
  g_free (out->text);
  g_free (out);
}

static void
queued_write_free (QueuedWrite *write)
{
  if (write->destroy != NULL)
    write->destroy (write->data);
  g_free (write);
}

static void
verify_free (Verify *verify)
{
  if (verify->out != NULL)
    outgoing_free (verify->out);
  g_free (verify->reason);
  g_free (verify);
}

PlannrOutbox *
plannr_outbox_new (PlannrApi                   *api,
                   const char                  *conversation_uuid,
                   const char                  *account_uuid,
                   PlannrMessageLog            *log,
                   guint                        verify_delay_ms,
                   const PlannrOutboxCallbacks *callbacks,
                   gpointer                     user_data)
{
  PlannrOutbox *outbox = g_new0 (PlannrOutbox, 1);

  outbox->api = g_object_ref (api);
  outbox->conversation_uuid = g_strdup (conversation_uuid);
  outbox->account_uuid = g_strdup (account_uuid);
  outbox->log = log;
  outbox->verify_delay_ms = verify_delay_ms;
  outbox->callbacks = callbacks;
  outbox->user_data = user_data;
  g_queue_init (&outbox->outgoing);
  g_queue_init (&outbox->writes);
  return outbox;
}

void
plannr_outbox_stop (PlannrOutbox *outbox)
{
  g_clear_handle_id (&outbox->verify_id, g_source_remove);
  g_clear_pointer (&outbox->verify, verify_free);
}

void
plannr_outbox_free (PlannrOutbox *outbox)
{
  if (outbox == NULL)
    return;
  plannr_outbox_stop (outbox);
  g_queue_clear_full (&outbox->outgoing, (GDestroyNotify) outgoing_free);
  g_queue_clear_full (&outbox->writes, (GDestroyNotify) queued_write_free);
  g_object_unref (outbox->api);
  /* The log may be gone already: the mark goes with it. */
  g_free (outbox->marked);
  g_free (outbox->conversation_uuid);
  g_free (outbox->account_uuid);
  g_free (outbox);
}

gboolean
plannr_outbox_is_pending (PlannrOutbox *outbox)
{
  return outbox->sending || !g_queue_is_empty (&outbox->outgoing);
}

PlannrMessage *
plannr_outbox_find_sent (GPtrArray          *messages,
                         const char         *account_uuid,
                         const char         *text,
                         const char * const *before)
{
  for (guint i = 0; i < messages->len; i++)
    {
      PlannrMessage *message = g_ptr_array_index (messages, i);

      /* Mine, that text, and not one that was there before this send
       * started (a poll may have shown it meanwhile). */
      if (message->author != NULL && account_uuid != NULL &&
          g_ascii_strcasecmp (message->author->uuid, account_uuid) == 0 &&
          message->deleted_at == NULL &&
          g_strcmp0 (message->contents, text) == 0 &&
          (before == NULL || !g_strv_contains (before, message->uuid)))
        return message;
    }
  return NULL;
}

/* --- edits, in their turn ------------------------------------------------ */

/* Starts the next queued edit when nothing else is on its way: no
 * other edit, and no message sent here still without its uuid. */
static void
start_next_write (PlannrOutbox *outbox)
{
  QueuedWrite *write;

  if (outbox->writing || plannr_outbox_is_pending (outbox))
    return;
  write = g_queue_pop_head (&outbox->writes);
  if (write == NULL)
    return;
  outbox->writing = TRUE;
  /* The data is the function's now. */
  write->func (write->data);
  g_free (write);
}

void
plannr_outbox_queue_write (PlannrOutbox     *outbox,
                           PlannrOutboxFunc  func,
                           gpointer          data,
                           GDestroyNotify    destroy)
{
  QueuedWrite *write = g_new0 (QueuedWrite, 1);

  write->func = func;
  write->data = data;
  write->destroy = destroy;
  g_queue_push_tail (&outbox->writes, write);
  start_next_write (outbox);
}

void
plannr_outbox_write_done (PlannrOutbox *outbox)
{
  outbox->writing = FALSE;
  start_next_write (outbox);
}

/* --- sending --------------------------------------------------------------- */

static void
failed (PlannrOutbox *outbox,
        const char   *text,
        const char   *reason)
{
  outbox->callbacks->failed (outbox->user_data, outbox->conversation_uuid, text, reason);
}

/* The head of the queue is done with: the next one goes. */
static void
next (PlannrOutbox *outbox)
{
  outbox->sending = FALSE;
  if (outbox->marked != NULL && outbox->log != NULL)
    plannr_message_log_set_sending (outbox->log, outbox->marked, FALSE);
  g_clear_pointer (&outbox->marked, g_free);
  send_next (outbox);
}

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Verify *verify = user_data;
  PlannrOutbox *outbox = verify->outbox;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  PlannrMessage *found = NULL;

  page = plannr_api_collect_messages_finish (PLANNR_API (source), result, &error);
  if (page == NULL && plannr_error_is_cancelled (error))
    {
      verify_free (verify);
      return;
    }

  if (page != NULL)
    found = plannr_outbox_find_sent (page->items, outbox->account_uuid, verify->out->text,
                                     (const char * const *) verify->out->before->pdata);

  if (found != NULL)
    {
      g_debug ("a send (%s) had arrived after all", verify->reason);
      outbox->callbacks->sent (outbox->user_data, outbox->conversation_uuid, found);
    }
  else if (verify->accepted)
    {
      /* It is on the server but not among the newest: never reported as
       * failed, never sent again; the chat poll shows it as mine. */
      g_debug ("an accepted message was not found (%s); leaving it to the poll",
               error ? error->message : "not among the newest");
      outbox->callbacks->look_again (outbox->user_data, outbox->conversation_uuid);
    }
  else if (page != NULL && verify->out->attempts < PLANNR_SEND_ATTEMPTS)
    {
      /* Now known not to have arrived: sending again cannot double it. */
      g_debug ("a send that failed (%s) did not arrive; sending it again", verify->reason);
      g_queue_push_head (&outbox->outgoing, g_steal_pointer (&verify->out));
    }
  else if (page != NULL)
    failed (outbox, verify->out->text, verify->reason);
  else
    {
      g_autofree char *reason = g_strdup_printf (_("%s; it may or may not have arrived"), verify->reason);

      failed (outbox, verify->out->text, reason);
    }

  verify_free (verify);
  next (outbox);
}

/* Reading stops at the page that holds the message: it was stored a
 * moment ago, so that is nearly always the first, one request even when
 * the server allows fewer per page than asked (its 15 instead of 50 would
 * otherwise cost four).  Only a send that is not there reads all 50. */
static gboolean
verify_stop_cb (PlannrPage *page,
                guint       collected,
                gpointer    user_data)
{
  Verify *verify = user_data;

  return collected >= PLANNR_VERIFY_PAGE_SIZE ||
         plannr_outbox_find_sent (page->items, verify->outbox->account_uuid, verify->out->text,
                                  (const char * const *) verify->out->before->pdata) != NULL;
}

static gboolean
verify_start_cb (gpointer user_data)
{
  Verify *verify = user_data;
  PlannrOutbox *outbox = verify->outbox;

  outbox->verify_id = 0;
  outbox->verify = NULL;   /* the request owns it now */
  plannr_api_collect_messages_async (outbox->api, PLANNR_PRIORITY_USER, outbox->conversation_uuid,
                                     PLANNR_VERIFY_PAGE_SIZE, PLANNR_VERIFY_PAGE_SIZE,
                                     VERIFY_MAX_PAGES, verify_stop_cb, verify, verify_cb, verify);
  return G_SOURCE_REMOVE;
}

static void
start_verify (PlannrOutbox *outbox,
              Outgoing     *out,
              const GError *error,
              guint         delay_ms)
{
  Verify *verify = g_new0 (Verify, 1);

  verify->outbox = outbox;
  verify->out = out;
  verify->accepted = g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED);
  verify->reason = plannr_error_describe (error, PLANNR_ACTION_SEND);
  outbox->verify = verify;
  outbox->verify_id = g_timeout_add (delay_ms, verify_start_cb, verify);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PlannrOutbox *outbox = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;
  Outgoing *out;

  message = plannr_api_send_message_finish (PLANNR_API (source), result, &error);
  if (message == NULL && plannr_error_is_cancelled (error))
    return;

  out = g_queue_pop_head (&outbox->outgoing);
  if (message != NULL)
    {
      outbox->callbacks->sent (outbox->user_data, outbox->conversation_uuid, message);
      outgoing_free (out);
      next (outbox);
      return;
    }

  if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_SEND);

      failed (outbox, out->text, reason);
      outgoing_free (out);
      outbox->callbacks->unauthorized (outbox->user_data, error);
      return;
    }

  if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    {
      /* Stored, but the answer did not say as what: find it at once. */
      start_verify (outbox, out, error, 0);
      return;
    }

  if (plannr_error_is_ambiguous (error))
    {
      /* Never send twice: look for it before saying it failed; not at
       * once, the server may still be storing it. */
      start_verify (outbox, out, error, outbox->verify_delay_ms);
      return;
    }

  {
    g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_SEND);

    failed (outbox, out->text, reason);
  }
  outgoing_free (out);
  next (outbox);
}

static void
send_next (PlannrOutbox *outbox)
{
  Outgoing *out;

  if (outbox->sending)
    return;
  out = g_queue_peek_head (&outbox->outgoing);
  if (out == NULL)
    {
      start_next_write (outbox);
      return;
    }
  outbox->sending = TRUE;
  out->attempts++;
  /* Until this one is done with (sent, found, or failed): a poll may see
   * it first. */
  if (outbox->marked == NULL && outbox->log != NULL)
    {
      outbox->marked = g_strdup (out->text);
      plannr_message_log_set_sending (outbox->log, out->text, TRUE);
    }
  /* My messages with the same text that exist already: after an
   * ambiguous failure, only a new one proves the send arrived. */
  g_clear_pointer (&out->before, g_ptr_array_unref);
  out->before = g_ptr_array_new_with_free_func (g_free);
  if (outbox->log != NULL)
    {
      g_autoptr(GPtrArray) mine = plannr_message_log_by_author (outbox->log, outbox->account_uuid, 0);

      for (guint i = 0; i < mine->len; i++)
        {
          PlannrKnownMessage *known = g_ptr_array_index (mine, i);

          if (g_strcmp0 (known->contents, out->text) == 0)
            g_ptr_array_add (out->before, g_strdup (known->uuid));
        }
    }
  g_ptr_array_add (out->before, NULL);
  plannr_api_send_message_async (outbox->api, outbox->conversation_uuid, out->text, send_cb, outbox);
}

void
plannr_outbox_send (PlannrOutbox *outbox,
                    const char   *text)
{
  Outgoing *out = g_new0 (Outgoing, 1);

  out->text = g_strdup (text);
  g_queue_push_tail (&outbox->outgoing, out);
  send_next (outbox);
}
