/* plannr-http.h: requests to the Plannr server, queued, retried, capped
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The transport under the api: one libsoup 3 session per account.
 * Every request goes through one queue in which the user's own actions
 * overtake polling, waits out 429 answers without dropping anything,
 * and is retried when idempotent (GET, PUT) after transient failures,
 * with exponential backoff and jitter.  POST is never retried here:
 * whether it arrived is for the caller to find out.  Redirects are
 * never followed; answers are capped in size and time.  It knows HTTP
 * and JSON, not Plannr's resources (that is plannr-api).
 *
 * plannr_http_shutdown() cancels everything; every pending callback then
 * gets G_IO_ERROR_CANCELLED and must not touch its user data.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  PLANNR_PRIORITY_USER,   /* send, rename, edit, join: ahead of polls */
  PLANNR_PRIORITY_POLL,
} PlannrPriority;

/* Responses larger than this are refused: a page of 500 conversations
 * with their latest messages is about 1 MiB. */
#define PLANNR_API_MAX_RESPONSE (16 * 1024 * 1024)
/* Seconds one attempt may take from start to the last byte. */
#define PLANNR_API_DEFAULT_TIMEOUT 30
/* Attempts for GET and PUT (the first plus retries). */
#define PLANNR_API_MAX_ATTEMPTS 4
/* First retry delay; doubled for each further one, times 0.5 to 1.5. */
#define PLANNR_API_DEFAULT_RETRY_MS 1000
/* Requests on the wire at once; more would only queue inside libsoup
 * and take the rate budget from the user's other clients. */
#define PLANNR_API_MAX_IN_FLIGHT 4

typedef struct _PlannrHttp PlannrHttp;

/* Answers this large or larger are parsed in a worker thread, not on
 * the main loop: a page of 500 conversations (about 1 MiB) takes json-glib
 * 20 ms or more, longer than a frame; a page of 20 a few hundred µs,
 * less than handing it to a thread. */
#define PLANNR_HTTP_WORKER_BYTES (64 * 1024)

/* Makes the caller's value from a 2xx answer's JSON (a null node when
 * the answer held none).  It may run in a worker thread: it must touch
 * nothing but its arguments (no libpurple, no logging). */
typedef gpointer (*PlannrHttpParse) (JsonNode  *node,
                                     gpointer   parse_data,
                                     GError   **error);

/* Checks @base_url (https, or http on a loopback address only) and
 * returns NULL with PLANNR_ERROR_CONFIG otherwise.  The token is
 * trimmed: a pasted newline must not make every request unauthorised. */
PlannrHttp   *plannr_http_new                (const char  *base_url,
                                              const char  *token,
                                              GError     **error);
gboolean      plannr_http_check_base_url     (const char  *base_url,
                                              GError     **error);
PlannrHttp   *plannr_http_ref                (PlannrHttp  *self);
void          plannr_http_unref              (PlannrHttp  *self);

void          plannr_http_set_account_uuid   (PlannrHttp  *self,
                                              const char  *account_uuid);
const char   *plannr_http_get_account_uuid   (PlannrHttp  *self);
void          plannr_http_set_proxy_resolver (PlannrHttp     *self,
                                              GProxyResolver *resolver);
void          plannr_http_set_timeout        (PlannrHttp  *self,
                                              guint        seconds);
void          plannr_http_set_retry_delay    (PlannrHttp  *self,
                                              guint        milliseconds);
void          plannr_http_set_max_attempts   (PlannrHttp  *self,
                                              guint        attempts);

void          plannr_http_shutdown           (PlannrHttp  *self);
gboolean      plannr_http_is_shut_down       (PlannrHttp  *self);
/* Cancelled by the shutdown: for the tasks of callers. */
GCancellable *plannr_http_get_cancellable    (PlannrHttp  *self);

/* X-Ratelimit-Remaining and -Limit of the last answer, -1 unknown. */
int           plannr_http_get_rate_remaining (PlannrHttp  *self);
int           plannr_http_get_rate_limit     (PlannrHttp  *self);
/* TRUE while a 429 holds the queue. */
gboolean      plannr_http_is_rate_limited    (PlannrHttp  *self);
guint64       plannr_http_get_request_count  (PlannrHttp  *self);
guint64       plannr_http_get_bytes_received (PlannrHttp  *self);

/* Queues a request for @path (taken) with @query (taken, may be NULL)
 * and a JSON @body (taken, may be NULL).  The GTask has @source_object.
 * A 2xx answer goes through @parse (with @parse_data, which must live
 * until @callback ran), or, without one, comes as the JSON itself (a
 * null node for a 2xx without JSON); @free_value frees what it made.
 * @callback gets it through plannr_http_request_finish(), or an error:
 * a PLANNR_ERROR for a status, the transport, a redirect or an
 * unreadable GET answer, or @parse's. */
void          plannr_http_request_async      (PlannrHttp          *self,
                                              gpointer             source_object,
                                              const char          *method,
                                              PlannrPriority       priority,
                                              char                *path,
                                              char                *query,
                                              JsonNode            *body,
                                              PlannrHttpParse      parse,
                                              gpointer             parse_data,
                                              GDestroyNotify       free_value,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gpointer      plannr_http_request_finish     (GAsyncResult        *result,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrHttp, plannr_http_unref)

G_END_DECLS
