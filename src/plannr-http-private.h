/* plannr-http-private.h: what the two halves of plannr-http share
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * plannr-http.c keeps the queue (priorities, 429 pauses, retries);
 * plannr-http-attempt.c makes one attempt of a request on the wire and
 * reads its answer.  Nothing else includes this.
 */
#pragma once

#include <libsoup/soup.h>

#include "plannr-http.h"

G_BEGIN_DECLS

struct _PlannrHttp
{
  SoupSession   *session;
  GCancellable  *cancellable;   /* cancelled by shutdown, for everything */
  char          *base_url;      /* without a trailing slash */
  char          *token;
  char          *account_uuid;

  guint          timeout_s;
  guint          retry_ms;
  guint          max_attempts;

  GQueue         user_queue;    /* Request*, waiting */
  GQueue         poll_queue;
  GList         *waiting;       /* Request* in a backoff pause */
  guint          in_flight;
  gint64         paused_until;  /* monotonic µs, 429 */
  guint          pause_id;

  int            rate_remaining;
  int            rate_limit;
  guint64        request_count;
  guint64        bytes_received;
};


typedef struct
{
  PlannrHttp     *http;         /* a reference */
  GTask          *task;         /* owns this Request as task data */
  char           *method;
  char           *path;
  char           *query;
  GBytes         *body;
  PlannrPriority  priority;
  PlannrHttpParse parse;
  gpointer        parse_data;
  GDestroyNotify  free_value;
  guint           attempt;
  guint           rate_limited;

  SoupMessage    *msg;
  GCancellable   *attempt_cancellable;
  gulong          cancel_handler;
  guint           timeout_id;
  guint           retry_id;
  gboolean        timed_out;
  GInputStream   *stream;
  GByteArray     *buffer;
} Request;

/* The queue (plannr-http.c). */
void     plannr_http_pump            (PlannrHttp *self);
void     plannr_http_enqueue         (Request    *req,
                                      gboolean    front);
/* Ends @req with @value (freed with its free_value) or @error; the
 * task's reference goes with it. */
void     plannr_http_complete        (Request    *req,
                                      gpointer    value,
                                      GError     *error);
/* Schedules another attempt, or completes with @error (taken). */
void     plannr_http_attempt_failed  (Request    *req,
                                      GError     *error);
gboolean plannr_http_is_write        (const Request *req);

/* One attempt (plannr-http-attempt.c). */
void     plannr_http_attempt_start   (Request    *req);
/* Lets go of what the attempt held (message, streams, timers). */
void     plannr_http_attempt_end     (Request    *req);

/* "localhost" or a loopback address: where plain http is allowed. */
gboolean plannr_http_host_is_loopback  (const char         *host);
/* What every request's answer goes through, the queue's and the
 * streamed ones' (plannr-http-stream.c) alike. */
void     plannr_http_note_rate_headers (PlannrHttp         *self,
                                        SoupMessageHeaders *headers);
gboolean plannr_http_is_json           (SoupMessageHeaders *headers);
/* The error for a status that is not 2xx; @body may be NULL. */
GError  *plannr_http_status_error      (guint               status,
                                        JsonNode           *body);
/* The error for a failed send or read (@error taken): cancelled when
 * the account is closing or the caller cancelled, else what the user
 * should hear. */
GError  *plannr_http_transport_error   (PlannrHttp         *self,
                                        gboolean            timed_out,
                                        GError             *error);

G_END_DECLS
