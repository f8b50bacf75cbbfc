/* plannr-http-attempt.c: one attempt of a request, and its answer
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-error.h"
#include "plannr-http-private.h"
#include "plannr-json.h"

/* How long a 429 without a usable Retry-After holds the queue, and the
 * longest wait we accept from the header before we call it a failure. */
#define DEFAULT_RETRY_AFTER_S 10
#define MAX_RETRY_AFTER_S 300
/* A request answered 429 this often in a row gives up. */
#define MAX_RATE_LIMITED 5
/* Read size for response bodies. */
#define READ_CHUNK (64 * 1024)

void
plannr_http_attempt_end (Request *req)
{
  g_clear_handle_id (&req->timeout_id, g_source_remove);
  if (req->cancel_handler != 0)
    {
      g_cancellable_disconnect (req->http->cancellable, req->cancel_handler);
      req->cancel_handler = 0;
    }
  g_clear_object (&req->attempt_cancellable);
  g_clear_object (&req->msg);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->buffer, g_byte_array_unref);
}

/* --- one attempt ------------------------------------------------------- */

void
plannr_http_note_rate_headers (PlannrHttp         *self,
                               SoupMessageHeaders *headers)
{
  const char *value;
  guint64 n;

  value = soup_message_headers_get_one (headers, "X-Ratelimit-Remaining");
  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT, &n, NULL))
    self->rate_remaining = (int) n;
  value = soup_message_headers_get_one (headers, "X-Ratelimit-Limit");
  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT, &n, NULL))
    self->rate_limit = (int) n;
}

static guint
retry_after_seconds (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  guint64 n;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &n, NULL))
    return (guint) CLAMP (n, 1, MAX_RETRY_AFTER_S);

  if (value != NULL)
    {
      /* The HTTP-date form. */
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);

      if (when != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          gint64 diff = g_date_time_difference (when, now) / G_USEC_PER_SEC;

          return (guint) CLAMP (diff, 1, MAX_RETRY_AFTER_S);
        }
    }
  return DEFAULT_RETRY_AFTER_S;
}

gboolean
plannr_http_is_json (SoupMessageHeaders *headers)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL &&
         (g_ascii_strcasecmp (type, "application/json") == 0 ||
          g_str_has_suffix (type, "+json"));
}

GError *
plannr_http_status_error (guint     status,
                          JsonNode *body)
{
  g_autofree char *server_message = body ? plannr_error_message_from_json (body) : NULL;

  switch (status)
    {
    case 401:
      return g_error_new_literal (PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED,
                                  _("the Plannr token was rejected"));
    case 403:
      return g_error_new (PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN,
                          _("Not allowed: %s"),
                          server_message ? server_message : _("This action is unauthorized."));
    case 404:
      return g_error_new_literal (PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND,
                                  _("Not found: it may have been deleted, or you are no longer a participant"));
    case 400:
    case 422:
      return g_error_new_literal (PLANNR_ERROR, PLANNR_ERROR_INVALID,
                                  server_message ? server_message
                                                 : _("The server refused the request as invalid"));
    case 429:
      return g_error_new_literal (PLANNR_ERROR, PLANNR_ERROR_RATE_LIMITED,
                                  _("Too many requests: Plannr's rate limit was reached"));
    default:
      if (status >= 500)
        return g_error_new (PLANNR_ERROR, PLANNR_ERROR_SERVER,
                            _("The Plannr server had a problem (HTTP %u)"), status);
      return g_error_new (PLANNR_ERROR, PLANNR_ERROR_FAILED,
                          _("Unexpected answer from the Plannr server (HTTP %u)"), status);
    }
}

/* The value of a 2xx answer: @json parsed (a null node without one, or
 * when a write's answer did not parse: it took effect all the same),
 * then made into the caller's value.  Pure: it runs in worker threads. */
static gpointer
parse_answer (PlannrHttpParse   parse,
              gpointer          parse_data,
              gboolean          write,
              GBytes           *json,
              GError          **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (json != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      node = plannr_json_parse (g_bytes_get_data (json, NULL), g_bytes_get_size (json), &local_error);
      if (node == NULL && !write)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  if (node == NULL)
    node = json_node_new (JSON_NODE_NULL);
  if (parse == NULL)
    return g_steal_pointer (&node);
  return parse (node, parse_data, error);
}

/* What a worker needs, and nothing the main loop touches. */
typedef struct
{
  PlannrHttpParse  parse;
  gpointer         parse_data;
  GDestroyNotify   free_value;
  gboolean         write;
  GBytes          *json;
} Work;

static void
work_free (Work *work)
{
  g_bytes_unref (work->json);
  g_free (work);
}

static void
work_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;
  gpointer value = parse_answer (work->parse, work->parse_data, work->write, work->json, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, work->free_value);
}

static void
work_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *req = user_data;
  GError *error = NULL;
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);

  /* Shut down while it was parsed: nobody may see it. */
  if (plannr_http_is_shut_down (req->http))
    {
      if (value != NULL)
        req->free_value (value);
      g_clear_error (&error);
      plannr_http_complete (req, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                            "The account is closing"));
      return;
    }
  plannr_http_complete (req, value, error);
}

/* Large answers are parsed off the main loop (PLANNR_HTTP_WORKER_BYTES);
 * the result comes back to it. */
static void
parse_in_worker (Request *req,
                 GBytes  *json)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, work_done_cb, req);
  Work *work = g_new0 (Work, 1);

  work->parse = req->parse;
  work->parse_data = req->parse_data;
  work->free_value = req->free_value;
  work->write = plannr_http_is_write (req);
  work->json = json;
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, work_thread);
}

static void
finish_attempt (Request *req)
{
  PlannrHttp *self = req->http;
  SoupMessage *msg = req->msg;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) json = NULL;
  GError *error = NULL;
  gpointer value;

  self->in_flight--;
  plannr_http_note_rate_headers (self, headers);

  if (status == 429 && req->rate_limited < MAX_RATE_LIMITED)
    {
      guint wait = retry_after_seconds (headers);

      /* Hold the whole queue, put this request first in it again. */
      req->rate_limited++;
      g_debug ("429 for %s %s: holding requests for %u s", req->method, req->path, wait);
      self->paused_until = g_get_monotonic_time () + (gint64) wait * G_USEC_PER_SEC;
      g_clear_handle_id (&self->pause_id, g_source_remove);
      plannr_http_attempt_end (req);
      req->attempt--;   /* a 429 is not a failed attempt */
      plannr_http_enqueue (req, TRUE);
      return;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      /* Never followed (SOUP_MESSAGE_NO_REDIRECT): the token and the
       * account header would go wherever the answer points. */
      const char *location = soup_message_headers_get_one (headers, "Location");
      g_autoptr(GUri) target = location ? g_uri_parse_relative (soup_message_get_uri (msg), location,
                                                                G_URI_FLAGS_NONE, NULL) : NULL;
      g_autofree char *where = target ? g_uri_to_string_partial (target, G_URI_HIDE_USERINFO |
                                                                         G_URI_HIDE_QUERY |
                                                                         G_URI_HIDE_FRAGMENT)
                                      : NULL;

      plannr_http_attempt_end (req);
      plannr_http_complete (req, NULL,
                where != NULL
                ? g_error_new (PLANNR_ERROR, PLANNR_ERROR_REDIRECT,
                               _("The Plannr server redirected the request to %s (HTTP %u). "
                                 "Redirects are not followed; check the server address."),
                               where, status)
                : g_error_new (PLANNR_ERROR, PLANNR_ERROR_REDIRECT,
                               _("The Plannr server answered with a redirect (HTTP %u). "
                                 "Redirects are not followed; check the server address."),
                               status));
      plannr_http_pump (self);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* Error bodies are small: their "message" says what was wrong. */
      if (req->buffer->len > 0 && plannr_http_is_json (headers))
        node = plannr_json_parse ((const char *) req->buffer->data, req->buffer->len, NULL);
      plannr_http_attempt_failed (req, plannr_http_status_error (status, node));
      plannr_http_pump (self);
      return;
    }

  json = req->buffer->len > 0 && plannr_http_is_json (headers)
         ? g_byte_array_free_to_bytes (g_steal_pointer (&req->buffer)) : NULL;
  plannr_http_attempt_end (req);
  if (json != NULL && g_bytes_get_size (json) >= PLANNR_HTTP_WORKER_BYTES)
    {
      parse_in_worker (req, g_steal_pointer (&json));
      plannr_http_pump (self);
      return;
    }
  value = parse_answer (req->parse, req->parse_data, plannr_http_is_write (req), json, &error);
  plannr_http_complete (req, value, value != NULL ? NULL : error);
  plannr_http_pump (self);
}

GError *
plannr_http_transport_error (PlannrHttp *self,
                             gboolean    timed_out,
                             GError     *error)
{
  GError *result;

  if (g_cancellable_is_cancelled (self->cancellable))
    result = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The account is closing");
  else if (timed_out)
    result = g_error_new (PLANNR_ERROR, PLANNR_ERROR_TIMEOUT,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "The Plannr server did not answer within %u second",
                                       "The Plannr server did not answer within %u seconds",
                                       self->timeout_s),
                          self->timeout_s);
  else if (error->domain == G_TLS_ERROR)
    result = g_error_new (PLANNR_ERROR, PLANNR_ERROR_TLS,
                          _("The server's certificate could not be verified (%s)"),
                          error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    result = g_error_new (PLANNR_ERROR, PLANNR_ERROR_TIMEOUT,
                          _("The Plannr server did not answer in time"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Cancelled by its caller, not by the shutdown. */
    result = g_error_copy (error);
  else
    result = g_error_new (PLANNR_ERROR, PLANNR_ERROR_NETWORK,
                          _("Could not reach the Plannr server: %s"), error->message);
  g_error_free (error);
  return result;
}

static GError *
transport_error (Request *req,
                 GError  *error)
{
  return plannr_http_transport_error (req->http, req->timed_out, error);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *req = user_data;
  /* A callback may drop the last other reference to the api. */
  g_autoptr(PlannrHttp) self = plannr_http_ref (req->http);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      self->in_flight--;
      plannr_http_attempt_failed (req, transport_error (req, error));
      plannr_http_pump (self);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      finish_attempt (req);
      return;
    }

  self->bytes_received += g_bytes_get_size (bytes);
  if (req->buffer->len + g_bytes_get_size (bytes) > PLANNR_API_MAX_RESPONSE)
    {
      self->in_flight--;
      plannr_http_attempt_end (req);
      plannr_http_complete (req, NULL,
                g_error_new (PLANNR_ERROR, PLANNR_ERROR_TOO_LARGE,
                             _("The Plannr server's answer was larger than %u MiB"),
                             PLANNR_API_MAX_RESPONSE / (1024 * 1024)));
      plannr_http_pump (self);
      return;
    }

  g_byte_array_append (req->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   req->attempt_cancellable, read_cb, req);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *req = user_data;
  g_autoptr(PlannrHttp) self = plannr_http_ref (req->http);
  GError *error = NULL;
  goffset length;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      self->in_flight--;
      plannr_http_attempt_failed (req, transport_error (req, error));
      plannr_http_pump (self);
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (req->msg));
  if (length > PLANNR_API_MAX_RESPONSE)
    {
      self->in_flight--;
      plannr_http_attempt_end (req);
      plannr_http_complete (req, NULL,
                g_error_new (PLANNR_ERROR, PLANNR_ERROR_TOO_LARGE,
                             _("The Plannr server's answer was larger than %u MiB"),
                             PLANNR_API_MAX_RESPONSE / (1024 * 1024)));
      plannr_http_pump (self);
      return;
    }

  req->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   req->attempt_cancellable, read_cb, req);
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  Request *req = user_data;

  req->timeout_id = 0;
  req->timed_out = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static void
api_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

void
plannr_http_attempt_start (Request *req)
{
  PlannrHttp *self = req->http;
  SoupMessageHeaders *headers;
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;

  if (g_task_return_error_if_cancelled (req->task))
    {
      g_object_unref (req->task);
      return;
    }

  url = g_strconcat (self->base_url, req->path,
                     req->query ? "?" : "", req->query ? req->query : "", NULL);
  req->msg = soup_message_new (req->method, url);
  if (req->msg == NULL)
    {
      plannr_http_complete (req, NULL, g_error_new (PLANNR_ERROR, PLANNR_ERROR_CONFIG,
                                        _("Cannot build a request for %s"), req->path));
      return;
    }

  headers = soup_message_get_request_headers (req->msg);
  auth = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->account_uuid != NULL)
    soup_message_headers_replace (headers, "X-PLANNR-ACCOUNT-UUID", self->account_uuid);
  if (req->body != NULL)
    {
      soup_message_set_request_body_from_bytes (req->msg, "application/json", req->body);
      /* libsoup 3.2 quietly sends a request again when a kept-alive
       * connection turns out to be closed, and then sends it without its
       * body (the stream was read).  A fresh connection for the rare
       * request with a body avoids that; retries stay ours to decide. */
      soup_message_add_flags (req->msg, SOUP_MESSAGE_NEW_CONNECTION);
    }
  /* A 3xx is an error (finish_attempt), never followed: libsoup would
   * send the Authorization and account headers along to any host. */
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);

  req->attempt++;
  req->timed_out = FALSE;
  req->attempt_cancellable = g_cancellable_new ();
  req->cancel_handler = g_cancellable_connect (self->cancellable, G_CALLBACK (api_cancelled_cb),
                                               g_object_ref (req->attempt_cancellable),
                                               g_object_unref);
  req->timeout_id = g_timeout_add_seconds (self->timeout_s, attempt_timeout_cb, req);
  self->in_flight++;
  self->request_count++;

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                           req->attempt_cancellable, send_cb, req);
}
