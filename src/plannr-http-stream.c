/* plannr-http-stream.c: requests whose bodies are files, streamed
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-error.h"
#include "plannr-http-private.h"
#include "plannr-http-stream.h"
#include "plannr-json.h"

/* One upload or download. */
typedef struct
{
  PlannrHttp         *http;            /* a reference */
  GCancellable       *cancellable;     /* cancelled by the caller's and the shutdown */
  GCancellable       *caller;          /* may be NULL */
  gulong              caller_handler;
  gulong              shutdown_handler;
  SoupMessage        *msg;
  GInputStream       *answer;

  /* upload */
  PlannrHttpProgress  progress;
  gpointer            progress_data;
  goffset             written;
  goffset             length;
  GByteArray         *buffer;          /* the answer */

  /* download */
  PlannrHttpSink      sink;
  gpointer            sink_data;
  GUri               *uri;             /* this hop */
  gboolean            api_origin;      /* this hop is on the API's origin */
  guint               redirects;
  goffset             received;
  goffset             total;
} Transfer;

static void
transfer_free (Transfer *t)
{
  if (t->msg != NULL)
    g_signal_handlers_disconnect_by_data (t->msg, t);
  if (t->caller_handler != 0)
    g_cancellable_disconnect (t->caller, t->caller_handler);
  if (t->shutdown_handler != 0)
    g_cancellable_disconnect (t->http->cancellable, t->shutdown_handler);
  g_clear_object (&t->caller);
  g_clear_object (&t->cancellable);
  g_clear_object (&t->msg);
  g_clear_object (&t->answer);
  g_clear_pointer (&t->buffer, g_byte_array_unref);
  g_clear_pointer (&t->uri, g_uri_unref);
  plannr_http_unref (t->http);
  g_free (t);
}

static void
cancel_cb (GCancellable *cancellable,
           gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static GTask *
transfer_task_new (PlannrHttp          *self,
                   GCancellable        *cancellable,
                   gpointer             source_tag,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  Transfer *t = g_new0 (Transfer, 1);
  /* No cancellable of the task's own: the errors returned are ours. */
  GTask *task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, t, (GDestroyNotify) transfer_free);
  t->http = plannr_http_ref (self);
  t->cancellable = g_cancellable_new ();
  t->total = -1;
  t->shutdown_handler = g_cancellable_connect (self->cancellable, G_CALLBACK (cancel_cb),
                                               g_object_ref (t->cancellable), g_object_unref);
  if (cancellable != NULL)
    {
      t->caller = g_object_ref (cancellable);
      t->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb),
                                                 g_object_ref (t->cancellable), g_object_unref);
    }
  return task;
}

static void
transfer_fail (GTask  *task,
               GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
add_account_headers (PlannrHttp  *self,
                     SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->account_uuid != NULL)
    soup_message_headers_replace (headers, "X-PLANNR-ACCOUNT-UUID", self->account_uuid);
}

/* --- origins ---------------------------------------------------------- */

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         effective_port (a) == effective_port (b);
}

static gboolean
is_api_origin (PlannrHttp *self,
               GUri       *uri)
{
  g_autoptr(GUri) base = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL);

  return base != NULL && same_origin (base, uri);
}

gboolean
plannr_http_is_api_origin (PlannrHttp *self,
                           const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;

  return uri != NULL && is_api_origin (self, uri);
}

/* https, or plain http on this computer, as for the server address. */
static gboolean
is_safe_scheme (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  return g_ascii_strcasecmp (scheme, "https") == 0 ||
         (g_ascii_strcasecmp (scheme, "http") == 0 &&
          plannr_http_host_is_loopback (g_uri_get_host (uri)));
}

/* Where an address points, for a message: no query (a signature), no
 * user info. */
static char *
uri_for_display (GUri *uri)
{
  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
}

/* --- uploads ------------------------------------------------------------- */

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    gpointer     user_data)
{
  Transfer *t = user_data;

  t->written += chunk_size;
  if (t->progress != NULL)
    t->progress (MIN (t->written, t->length), t->length, t->progress_data);
}

static void
finish_upload (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (t->msg);
  guint status = soup_message_get_status (t->msg);
  g_autoptr(JsonNode) node = NULL;

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      transfer_fail (task, g_error_new (PLANNR_ERROR, PLANNR_ERROR_REDIRECT,
                                        _("The Plannr server answered with a redirect (HTTP %u). "
                                          "Redirects are not followed; check the server address."),
                                        status));
      return;
    }
  if (t->buffer->len > 0 && plannr_http_is_json (headers))
    /* An upload that succeeded took effect whatever its body says. */
    node = plannr_json_parse ((const char *) t->buffer->data, t->buffer->len, NULL);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      transfer_fail (task, plannr_http_status_error (status, node));
      return;
    }
  if (node == NULL)
    node = json_node_new (JSON_NODE_NULL);
  g_task_return_pointer (task, g_steal_pointer (&node), (GDestroyNotify) json_node_unref);
  g_object_unref (task);
}

static GError *
too_large (void)
{
  return g_error_new (PLANNR_ERROR, PLANNR_ERROR_TOO_LARGE,
                      _("The Plannr server's answer was larger than %u MiB"),
                      PLANNR_API_MAX_RESPONSE / (1024 * 1024));
}

static void
upload_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Transfer *t = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (bytes == NULL)
    {
      transfer_fail (task, plannr_http_transport_error (t->http, FALSE, error));
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      finish_upload (task);
      return;
    }
  t->http->bytes_received += g_bytes_get_size (bytes);
  if (t->buffer->len + g_bytes_get_size (bytes) > PLANNR_API_MAX_RESPONSE)
    {
      transfer_fail (task, too_large ());
      return;
    }
  g_byte_array_append (t->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (t->answer, PLANNR_HTTP_CHUNK, G_PRIORITY_DEFAULT,
                                   t->cancellable, upload_read_cb, task);
}

static void
upload_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Transfer *t = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessageHeaders *headers;

  t->answer = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  /* The body is on the wire, or never will be. */
  g_signal_handlers_disconnect_by_data (t->msg, t);
  if (t->answer == NULL)
    {
      transfer_fail (task, plannr_http_transport_error (t->http, FALSE, error));
      return;
    }
  headers = soup_message_get_response_headers (t->msg);
  plannr_http_note_rate_headers (t->http, headers);
  if (soup_message_headers_get_content_length (headers) > PLANNR_API_MAX_RESPONSE)
    {
      transfer_fail (task, too_large ());
      return;
    }
  t->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (t->answer, PLANNR_HTTP_CHUNK, G_PRIORITY_DEFAULT,
                                   t->cancellable, upload_read_cb, task);
}

void
plannr_http_upload_async (PlannrHttp          *self,
                          const char          *path,
                          const char          *content_type,
                          GInputStream        *body,
                          goffset              length,
                          PlannrHttpProgress   progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = transfer_task_new (self, cancellable, plannr_http_upload_async, callback, user_data);
  Transfer *t = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      transfer_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "The account is closing"));
      return;
    }
  t->msg = soup_message_new ("POST", url);
  if (t->msg == NULL)
    {
      transfer_fail (task, g_error_new (PLANNR_ERROR, PLANNR_ERROR_CONFIG,
                                        _("Cannot build a request for %s"), path));
      return;
    }
  add_account_headers (self, t->msg);
  soup_message_set_request_body (t->msg, content_type, body, length);
  /* A stream cannot be sent twice: no quiet resend on a kept-alive
   * connection that turns out closed (see plannr-http-attempt.c), and
   * no redirect. */
  soup_message_add_flags (t->msg, SOUP_MESSAGE_NEW_CONNECTION | SOUP_MESSAGE_NO_REDIRECT);
  t->length = length;
  t->progress = progress;
  t->progress_data = progress_data;
  g_signal_connect (t->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), t);
  self->request_count++;
  soup_session_send_async (self->session, t->msg, G_PRIORITY_DEFAULT, t->cancellable,
                           upload_sent_cb, task);
}

JsonNode *
plannr_http_upload_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == plannr_http_upload_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- downloads ------------------------------------------------------------ */

static void download_hop (GTask *task);

static void
download_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Transfer *t = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (bytes == NULL)
    {
      transfer_fail (task, plannr_http_transport_error (t->http, FALSE, error));
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_task_return_int (task, t->received);
      g_object_unref (task);
      return;
    }
  t->received += g_bytes_get_size (bytes);
  t->http->bytes_received += g_bytes_get_size (bytes);
  if (!t->sink (bytes, t->total, t->sink_data, &error))
    {
      transfer_fail (task, error);
      return;
    }
  g_input_stream_read_bytes_async (t->answer, PLANNR_HTTP_CHUNK, G_PRIORITY_DEFAULT,
                                   t->cancellable, download_read_cb, task);
}

/* A redirect: on to its target, never with the account's headers. */
static void
follow_redirect (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (t->msg),
                                                       "Location");
  g_autoptr(GUri) target = location ? g_uri_parse_relative (t->uri, location, SOUP_HTTP_URI_FLAGS, NULL)
                                    : NULL;
  g_autofree char *where = NULL;

  if (target == NULL)
    {
      transfer_fail (task, g_error_new (PLANNR_ERROR, PLANNR_ERROR_REDIRECT,
                                        _("The download was redirected (HTTP %u) without a valid address."),
                                        soup_message_get_status (t->msg)));
      return;
    }
  where = uri_for_display (target);
  if (!is_safe_scheme (target))
    {
      transfer_fail (task, g_error_new (PLANNR_ERROR, PLANNR_ERROR_REDIRECT,
                                        _("The download was redirected to %s, which is not a secure "
                                          "(https) address; it was not followed."), where));
      return;
    }
  if (++t->redirects > PLANNR_HTTP_MAX_REDIRECTS)
    {
      transfer_fail (task, g_error_new (PLANNR_ERROR, PLANNR_ERROR_REDIRECT,
                                        _("The download was redirected more than %u times."),
                                        PLANNR_HTTP_MAX_REDIRECTS));
      return;
    }
  g_debug ("download redirected to %s, followed without the account's headers", where);
  g_clear_object (&t->answer);
  g_signal_handlers_disconnect_by_data (t->msg, t);
  g_clear_object (&t->msg);
  g_uri_unref (t->uri);
  t->uri = g_steal_pointer (&target);
  download_hop (task);
}

static void
download_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Transfer *t = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  t->answer = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (t->answer == NULL)
    {
      transfer_fail (task, plannr_http_transport_error (t->http, FALSE, error));
      return;
    }
  headers = soup_message_get_response_headers (t->msg);
  status = soup_message_get_status (t->msg);
  if (t->api_origin)
    plannr_http_note_rate_headers (t->http, headers);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      follow_redirect (task);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      transfer_fail (task, plannr_http_status_error (status, NULL));
      return;
    }
  t->total = soup_message_headers_get_content_length (headers);
  if (t->total <= 0 && soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    t->total = -1;
  g_input_stream_read_bytes_async (t->answer, PLANNR_HTTP_CHUNK, G_PRIORITY_DEFAULT,
                                   t->cancellable, download_read_cb, task);
}

static void
download_hop (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);

  t->msg = soup_message_new_from_uri ("GET", t->uri);
  /* The token and the account go to the API and nowhere else: not to
   * another host, and not on to where a redirect points, which may be
   * the API's origin again only by the word of an answer. */
  t->api_origin = t->redirects == 0 && is_api_origin (t->http, t->uri);
  if (t->api_origin)
    {
      add_account_headers (t->http, t->msg);
      t->http->request_count++;
    }
  soup_message_add_flags (t->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (t->http->session, t->msg, G_PRIORITY_DEFAULT, t->cancellable,
                           download_sent_cb, task);
}

void
plannr_http_download_async (PlannrHttp          *self,
                            const char          *url,
                            PlannrHttpSink       sink,
                            gpointer             sink_data,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = transfer_task_new (self, cancellable, plannr_http_download_async, callback, user_data);
  Transfer *t = g_task_get_task_data (task);

  t->sink = sink;
  t->sink_data = sink_data;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      transfer_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "The account is closing"));
      return;
    }
  t->uri = url ? g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  if (t->uri == NULL || !is_safe_scheme (t->uri))
    {
      transfer_fail (task, g_error_new_literal (PLANNR_ERROR, PLANNR_ERROR_INVALID,
                                                _("The file's address is not a secure (https) web "
                                                  "address, so it was not fetched.")));
      return;
    }
  download_hop (task);
}

goffset
plannr_http_download_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == plannr_http_download_async, -1);
  return g_task_propagate_int (G_TASK (result), error);
}
