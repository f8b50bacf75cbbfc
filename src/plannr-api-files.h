/* plannr-api-files.h: sending files (M3) and fetching them
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A file goes to a conversation as M3, POST …/messages/inline with a
 * multipart/form-data body of "contents" and "files[]", streamed from
 * the file as it is sent (plannr-multipart.h).  A file comes back from
 * its download_url, which may be on the API (then with the account's
 * headers) or anywhere else, a signed storage link (then without them);
 * plannr-http-stream.h has the rules.
 */
#pragma once

#include "plannr-api.h"
#include "plannr-http-stream.h"

G_BEGIN_DECLS

/* Sends @size bytes of @file as @filename (@mime_type, NULL: none) in
 * a new message of @conversation_uuid with @contents (NULL: none).
 * @progress counts the file's bytes sent.  The message, or
 * PLANNR_ERROR_ACCEPTED when the server took it without saying what it
 * made, or cancelled (the caller's @cancellable, or the shutdown). */
void           plannr_api_upload_file_async    (PlannrApi           *self,
                                                const char          *conversation_uuid,
                                                const char          *contents,
                                                const char          *filename,
                                                const char          *mime_type,
                                                GInputStream        *file,
                                                goffset              size,
                                                PlannrHttpProgress   progress,
                                                gpointer             progress_data,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
PlannrMessage *plannr_api_upload_file_finish   (PlannrApi           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Fetches a file's @url, chunk by chunk into @sink; the bytes received
 * or -1 with an error. */
void           plannr_api_download_file_async  (PlannrApi           *self,
                                                const char          *url,
                                                PlannrHttpSink       sink,
                                                gpointer             sink_data,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
goffset        plannr_api_download_file_finish (PlannrApi           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
