/* plannr-api-files.c: sending files (M3) and fetching them
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-api-files.h"
#include "plannr-api-private.h"
#include "plannr-error.h"
#include "plannr-multipart.h"

typedef struct
{
  PlannrHttpProgress progress;
  gpointer           progress_data;
  goffset            head;      /* framing before the file's bytes */
  goffset            size;      /* the file's */
} Upload;

/* The body's bytes on the wire, as the file's. */
static void
upload_progress_cb (goffset  done,
                    goffset  total,
                    gpointer user_data)
{
  Upload *upload = user_data;

  if (upload->progress != NULL)
    upload->progress (CLAMP (done - upload->head, 0, upload->size), upload->size,
                      upload->progress_data);
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  PlannrMessage *message;

  node = plannr_http_upload_finish (result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  message = plannr_message_new_from_json (plannr_json_resource (node), &error);
  if (message == NULL)
    {
      /* 201 with an empty body (Laravel's) or one without the message:
       * it was sent, what it became is for a poll to show. */
      g_debug ("an upload succeeded without a readable answer: %s", error->message);
      g_clear_error (&error);
      g_task_return_new_error (task, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED,
                               _("The Plannr server accepted the request but its answer could not be read"));
      return;
    }
  g_task_return_pointer (task, message, (GDestroyNotify) plannr_message_free);
}

void
plannr_api_upload_file_async (PlannrApi           *self,
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
                              gpointer             user_data)
{
  g_autoptr(PlannrMultipartBody) body = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;
  GTask *task;
  Upload *upload;

  if (!plannr_api_check_uuid (self, conversation_uuid, plannr_api_upload_file_async, callback, user_data))
    return;
  body = plannr_multipart_body_new (contents, "files[]", filename, mime_type, file, size, &error);
  if (body == NULL)
    {
      g_task_report_error (self, callback, user_data, plannr_api_upload_file_async, error);
      return;
    }

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, plannr_api_upload_file_async);
  upload = g_new0 (Upload, 1);
  upload->progress = progress;
  upload->progress_data = progress_data;
  upload->head = body->head;
  upload->size = size;
  g_task_set_task_data (task, upload, g_free);
  path = g_strdup_printf ("/api/v1/conversation/%s/messages/inline", conversation_uuid);
  plannr_http_upload_async (plannr_api_get_http (self), path,
                            body->content_type, body->stream, body->length,
                            upload_progress_cb, upload, cancellable, upload_cb, task);
}

PlannrMessage *
plannr_api_upload_file_finish (PlannrApi     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_upload_file_async, error);
}

static void
download_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  goffset received = plannr_http_download_finish (result, &error);

  if (received < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, received);
}

void
plannr_api_download_file_async (PlannrApi           *self,
                                const char          *url,
                                PlannrHttpSink       sink,
                                gpointer             sink_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, plannr_api_download_file_async);
  plannr_http_download_async (plannr_api_get_http (self), url, sink, sink_data, cancellable,
                              download_cb, task);
}

goffset
plannr_api_download_file_finish (PlannrApi     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == plannr_api_download_file_async, -1);
  return g_task_propagate_int (G_TASK (result), error);
}
