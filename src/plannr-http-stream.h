/* plannr-http-stream.h: requests whose bodies are files, streamed
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The queue (plannr-http.h) holds every body in memory and caps every
 * answer at PLANNR_API_MAX_RESPONSE: right for JSON, wrong for files.
 * An upload here sends its body from a GInputStream as libsoup writes
 * it, and says after each chunk how much is on the wire; a download
 * hands its answer to a sink chunk by chunk and keeps none of it.  Both
 * go through the account's session (proxy, TLS, user agent), count as
 * requests, and are cancelled by plannr_http_shutdown() as well as by
 * their own cancellable.  Neither waits in the queue: they are the
 * user's own and rare, and a stream cannot be sent twice, so neither is
 * ever retried.
 *
 * The account's headers (Authorization, X-PLANNR-ACCOUNT-UUID) go only
 * to the API's own origin, the scheme, host and port of the server
 * address.  libsoup follows no redirect.  An upload's redirect is an
 * error like any request's; a download's is followed here, without the
 * account's headers whatever its target, at most
 * PLANNR_HTTP_MAX_REDIRECTS times, and only to https (or plain http on
 * this computer): a file's API route may well send the client on to a
 * signed storage link.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "plannr-http.h"

G_BEGIN_DECLS

#define PLANNR_HTTP_MAX_REDIRECTS 5
/* Read size of a download: the most a sink gets at once. */
#define PLANNR_HTTP_CHUNK (64 * 1024)

/* @done of @total bytes of the body are on the wire. */
typedef void     (*PlannrHttpProgress) (goffset    done,
                                        goffset    total,
                                        gpointer   user_data);
/* The next @chunk of a download of @total bytes (-1: unknown).  FALSE
 * with @error set stops the download with that error. */
typedef gboolean (*PlannrHttpSink)     (GBytes    *chunk,
                                        goffset    total,
                                        gpointer   user_data,
                                        GError   **error);

/* Whether @url is on the API's own origin (scheme, host and port of
 * the server address), the only place the account's headers go. */
gboolean  plannr_http_is_api_origin   (PlannrHttp          *self,
                                       const char          *url);

/* POSTs @body (@length bytes of @content_type) to @path on the API,
 * with the account's headers.  @progress (may be NULL) runs on the
 * caller's main context as chunks are written.  The answer, capped
 * like any, is what plannr_http_request_finish() would give. */
void      plannr_http_upload_async    (PlannrHttp          *self,
                                       const char          *path,
                                       const char          *content_type,
                                       GInputStream        *body,
                                       goffset              length,
                                       PlannrHttpProgress   progress,
                                       gpointer             progress_data,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
JsonNode *plannr_http_upload_finish   (GAsyncResult        *result,
                                       GError             **error);

/* GETs @url (absolute) and hands its body to @sink.  Returns the bytes
 * received, or -1 with an error: cancelled (by the caller or the
 * shutdown), a status, the transport, a redirect that may not be
 * followed, or the sink's own. */
void      plannr_http_download_async  (PlannrHttp          *self,
                                       const char          *url,
                                       PlannrHttpSink       sink,
                                       gpointer             sink_data,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
goffset   plannr_http_download_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
