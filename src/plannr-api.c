/* plannr-api.c: the Plannr REST API over one libsoup 3 session
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "plannr-api.h"
#include "plannr-error.h"

/* How long a 429 without a usable Retry-After holds the queue, and the
 * longest wait we accept from the header before we call it a failure. */
#define DEFAULT_RETRY_AFTER_S 10
#define MAX_RETRY_AFTER_S 300
/* A request answered 429 this often in a row gives up. */
#define MAX_RATE_LIMITED 5
/* Read size for response bodies. */
#define READ_CHUNK (64 * 1024)

struct _PlannrApi
{
  GObject        parent_instance;

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

G_DEFINE_FINAL_TYPE (PlannrApi, plannr_api, G_TYPE_OBJECT)

typedef struct
{
  PlannrApi      *api;          /* weak: the task holds the api */
  GTask          *task;         /* owns this Request as task data */
  char           *method;
  char           *path;
  char           *query;
  GBytes         *body;
  PlannrPriority  priority;
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

static void pump (PlannrApi *self);
static void start_request (Request *req);

static void
end_attempt (Request *req)
{
  g_clear_handle_id (&req->timeout_id, g_source_remove);
  if (req->cancel_handler != 0)
    {
      g_cancellable_disconnect (req->api->cancellable, req->cancel_handler);
      req->cancel_handler = 0;
    }
  g_clear_object (&req->attempt_cancellable);
  g_clear_object (&req->msg);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->buffer, g_byte_array_unref);
}

static void
request_free (Request *req)
{
  end_attempt (req);
  g_clear_handle_id (&req->retry_id, g_source_remove);
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req);
}

/* --- construction ------------------------------------------------------ */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
plannr_api_check_base_url (const char  *base_url,
                           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (base_url == NULL || *base_url == '\0')
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_CONFIG,
                           _("The server address is empty."));
      return FALSE;
    }

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_CONFIG,
                   _("The server address “%s” is not a valid URL."), base_url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      host_is_loopback (g_uri_get_host (uri)))
    return TRUE;

  g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_CONFIG,
               _("The server address “%s” must start with https:// "
                 "(plain http:// is only allowed for this computer)."), base_url);
  return FALSE;
}

static void
plannr_api_dispose (GObject *object)
{
  PlannrApi *self = PLANNR_API (object);

  plannr_api_shutdown (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (plannr_api_parent_class)->dispose (object);
}

static void
plannr_api_finalize (GObject *object)
{
  PlannrApi *self = PLANNR_API (object);

  g_clear_object (&self->cancellable);
  g_free (self->base_url);
  /* The token is a secret: do not leave it in freed memory. */
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self->account_uuid);

  G_OBJECT_CLASS (plannr_api_parent_class)->finalize (object);
}

static void
plannr_api_class_init (PlannrApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = plannr_api_dispose;
  object_class->finalize = plannr_api_finalize;
}

static void
plannr_api_init (PlannrApi *self)
{
  self->cancellable = g_cancellable_new ();
  self->timeout_s = PLANNR_API_DEFAULT_TIMEOUT;
  self->retry_ms = PLANNR_API_DEFAULT_RETRY_MS;
  self->max_attempts = PLANNR_API_MAX_ATTEMPTS;
  self->rate_remaining = -1;
  self->rate_limit = -1;
  g_queue_init (&self->user_queue);
  g_queue_init (&self->poll_queue);
}

PlannrApi *
plannr_api_new (const char  *base_url,
                const char  *token,
                GError     **error)
{
  PlannrApi *self;
  gsize len;

  if (!plannr_api_check_base_url (base_url, error))
    return NULL;

  self = g_object_new (PLANNR_TYPE_API, NULL);
  self->base_url = g_strdup (base_url);
  len = strlen (self->base_url);
  while (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[--len] = '\0';
  /* A token pasted with a trailing newline or space would make every
   * request fail as unauthorised. */
  self->token = g_strstrip (g_strdup (token ? token : ""));
  /* The session's own idle timeout backs up our per-attempt timer. */
  self->session = soup_session_new_with_options ("user-agent", "purple-plannr/" PACKAGE_VERSION,
                                                 "timeout", PLANNR_API_DEFAULT_TIMEOUT,
                                                 "max-conns-per-host", PLANNR_API_MAX_IN_FLIGHT,
                                                 NULL);
  return self;
}

void
plannr_api_set_account_uuid (PlannrApi  *self,
                             const char *account_uuid)
{
  g_return_if_fail (PLANNR_IS_API (self));

  g_free (self->account_uuid);
  self->account_uuid = account_uuid && *account_uuid ? g_strdup (account_uuid) : NULL;
}

const char *
plannr_api_get_account_uuid (PlannrApi *self)
{
  g_return_val_if_fail (PLANNR_IS_API (self), NULL);
  return self->account_uuid;
}

void
plannr_api_set_proxy_resolver (PlannrApi      *self,
                               GProxyResolver *resolver)
{
  g_return_if_fail (PLANNR_IS_API (self));
  g_object_set (self->session, "proxy-resolver", resolver, NULL);
}

void
plannr_api_set_timeout (PlannrApi *self,
                        guint      seconds)
{
  g_return_if_fail (PLANNR_IS_API (self));
  self->timeout_s = MAX (seconds, 1);
  g_object_set (self->session, "timeout", self->timeout_s, NULL);
}

void
plannr_api_set_retry_delay (PlannrApi *self,
                            guint      milliseconds)
{
  g_return_if_fail (PLANNR_IS_API (self));
  self->retry_ms = milliseconds;
}

void
plannr_api_set_max_attempts (PlannrApi *self,
                             guint      attempts)
{
  g_return_if_fail (PLANNR_IS_API (self));
  self->max_attempts = MAX (attempts, 1);
}

void
plannr_api_set_tls_database (PlannrApi    *self,
                             GTlsDatabase *database)
{
  g_return_if_fail (PLANNR_IS_API (self));
  soup_session_set_tls_database (self->session, database);
}

int
plannr_api_get_rate_remaining (PlannrApi *self)
{
  return self->rate_remaining;
}

int
plannr_api_get_rate_limit (PlannrApi *self)
{
  return self->rate_limit;
}

gboolean
plannr_api_is_rate_limited (PlannrApi *self)
{
  return self->paused_until > g_get_monotonic_time ();
}

guint64
plannr_api_get_request_count (PlannrApi *self)
{
  return self->request_count;
}

guint64
plannr_api_get_bytes_received (PlannrApi *self)
{
  return self->bytes_received;
}

gboolean
plannr_api_is_shut_down (PlannrApi *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static void
fail_queue (GQueue *queue)
{
  Request *req;

  while ((req = g_queue_pop_head (queue)) != NULL)
    {
      g_task_return_new_error (req->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The account is closing");
      g_object_unref (req->task);
    }
}

void
plannr_api_shutdown (PlannrApi *self)
{
  g_return_if_fail (PLANNR_IS_API (self));

  /* Requests on the wire see this through their attempt cancellable. */
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pause_id, g_source_remove);
  fail_queue (&self->user_queue);
  fail_queue (&self->poll_queue);
  while (self->waiting != NULL)
    {
      Request *req = self->waiting->data;

      self->waiting = g_list_delete_link (self->waiting, self->waiting);
      g_clear_handle_id (&req->retry_id, g_source_remove);
      g_task_return_new_error (req->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The account is closing");
      g_object_unref (req->task);
    }
}

/* --- the queue ------------------------------------------------------------ */

static gboolean
unpause_cb (gpointer user_data)
{
  g_autoptr(PlannrApi) self = g_object_ref (user_data);

  self->pause_id = 0;
  self->paused_until = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
pump (PlannrApi *self)
{
  while (self->in_flight < PLANNR_API_MAX_IN_FLIGHT &&
         !g_cancellable_is_cancelled (self->cancellable))
    {
      Request *req;

      if (self->paused_until > g_get_monotonic_time ())
        {
          if (self->pause_id == 0)
            self->pause_id = g_timeout_add ((self->paused_until - g_get_monotonic_time ()) / 1000 + 1,
                                            unpause_cb, self);
          return;
        }

      req = g_queue_pop_head (&self->user_queue);
      if (req == NULL)
        req = g_queue_pop_head (&self->poll_queue);
      if (req == NULL)
        return;

      start_request (req);
    }
}

static void complete (Request *req, JsonNode *node, GError *error);

static void
enqueue (Request  *req,
         gboolean  front)
{
  GQueue *queue = req->priority == PLANNR_PRIORITY_USER
                  ? &req->api->user_queue : &req->api->poll_queue;

  /* Shut down meanwhile (a 429 or a retry whose answer came after
   * plannr_api_shutdown() emptied the queues): nothing would ever take
   * it out of the queue again. */
  if (g_cancellable_is_cancelled (req->api->cancellable))
    {
      complete (req, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "The account is closing"));
      return;
    }

  if (front)
    g_queue_push_head (queue, req);
  else
    g_queue_push_tail (queue, req);
  pump (req->api);
}

/* Ends @req with @error or @node; the task reference goes with it. */
static void
complete (Request  *req,
          JsonNode *node,
          GError   *error)
{
  GTask *task = req->task;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
  g_object_unref (task);
}

static gboolean
retry_cb (gpointer user_data)
{
  Request *req = user_data;

  req->retry_id = 0;
  req->api->waiting = g_list_remove (req->api->waiting, req);
  enqueue (req, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
is_write (const Request *req)
{
  return strcmp (req->method, "GET") != 0;
}

static gboolean
is_idempotent (const Request *req)
{
  return strcmp (req->method, "GET") == 0 || strcmp (req->method, "PUT") == 0;
}

/* Either schedules another attempt or completes with @error. */
static void
attempt_failed (Request *req,
                GError  *error)
{
  PlannrApi *self = req->api;

  if (plannr_error_is_transient (error) && is_idempotent (req) &&
      req->attempt < self->max_attempts &&
      !g_cancellable_is_cancelled (self->cancellable))
    {
      /* Exponential backoff with jitter, so that clients that failed
       * together do not come back together. */
      double factor = 0.5 + g_random_double ();
      guint delay = (guint) (self->retry_ms * (1u << (req->attempt - 1)) * factor);

      g_debug ("%s %s failed (%s), attempt %u of %u, retrying in %u ms",
               req->method, req->path, error->message,
               req->attempt, self->max_attempts, delay);
      g_error_free (error);
      end_attempt (req);
      self->waiting = g_list_prepend (self->waiting, req);
      req->retry_id = g_timeout_add (delay, retry_cb, req);
      return;
    }

  end_attempt (req);
  complete (req, NULL, error);
}

/* --- one attempt ------------------------------------------------------- */

static void
note_rate_headers (PlannrApi          *self,
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

static gboolean
is_json (SoupMessageHeaders *headers)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL &&
         (g_ascii_strcasecmp (type, "application/json") == 0 ||
          g_str_has_suffix (type, "+json"));
}

static GError *
status_error (guint     status,
              JsonNode *body)
{
  g_autofree char *server_message = body ? plannr_error_message_from_json (body) : NULL;

  switch (status)
    {
    case 401:
      return g_error_new_literal (PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED,
                                  _("The Plannr token was rejected"));
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

static void
finish_attempt (Request *req)
{
  PlannrApi *self = req->api;
  SoupMessage *msg = req->msg;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  self->in_flight--;
  note_rate_headers (self, headers);

  if (status == 429 && req->rate_limited < MAX_RATE_LIMITED)
    {
      guint wait = retry_after_seconds (headers);

      /* Hold the whole queue, put this request first in it again. */
      req->rate_limited++;
      g_debug ("429 for %s %s: holding requests for %u s", req->method, req->path, wait);
      self->paused_until = g_get_monotonic_time () + (gint64) wait * G_USEC_PER_SEC;
      g_clear_handle_id (&self->pause_id, g_source_remove);
      end_attempt (req);
      req->attempt--;   /* a 429 is not a failed attempt */
      enqueue (req, TRUE);
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

      end_attempt (req);
      complete (req, NULL,
                where != NULL
                ? g_error_new (PLANNR_ERROR, PLANNR_ERROR_REDIRECT,
                               _("The Plannr server redirected the request to %s (HTTP %u). "
                                 "Redirects are not followed; check the server address."),
                               where, status)
                : g_error_new (PLANNR_ERROR, PLANNR_ERROR_REDIRECT,
                               _("The Plannr server answered with a redirect (HTTP %u). "
                                 "Redirects are not followed; check the server address."),
                               status));
      pump (self);
      return;
    }

  if (req->buffer->len > 0 && is_json (headers))
    {
      node = plannr_json_parse ((const char *) req->buffer->data, req->buffer->len, &error);
      if (node == NULL && SOUP_STATUS_IS_SUCCESSFUL (status) && !is_write (req))
        {
          attempt_failed (req, error);
          pump (self);
          return;
        }
      /* A write that succeeded took effect whatever its body says: the
       * caller learns that the answer was unreadable (a null node). */
      g_clear_error (&error);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      attempt_failed (req, status_error (status, node));
      pump (self);
      return;
    }

  if (node == NULL)
    node = json_node_new (JSON_NODE_NULL);

  end_attempt (req);
  complete (req, g_steal_pointer (&node), NULL);
  pump (self);
}

static GError *
transport_error (Request *req,
                 GError  *error)
{
  GError *result;

  if (g_cancellable_is_cancelled (req->api->cancellable))
    result = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The account is closing");
  else if (req->timed_out)
    result = g_error_new (PLANNR_ERROR, PLANNR_ERROR_TIMEOUT,
                          _("The Plannr server did not answer within %u seconds"),
                          req->api->timeout_s);
  else if (error->domain == G_TLS_ERROR)
    result = g_error_new (PLANNR_ERROR, PLANNR_ERROR_TLS,
                          _("The server's certificate could not be verified (%s)"),
                          error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    result = g_error_new (PLANNR_ERROR, PLANNR_ERROR_TIMEOUT,
                          _("The Plannr server did not answer in time"));
  else
    result = g_error_new (PLANNR_ERROR, PLANNR_ERROR_NETWORK,
                          _("Could not reach the Plannr server: %s"), error->message);
  g_error_free (error);
  return result;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *req = user_data;
  /* A callback may drop the last other reference to the api. */
  g_autoptr(PlannrApi) self = g_object_ref (req->api);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      self->in_flight--;
      attempt_failed (req, transport_error (req, error));
      pump (self);
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
      end_attempt (req);
      complete (req, NULL,
                g_error_new (PLANNR_ERROR, PLANNR_ERROR_TOO_LARGE,
                             _("The Plannr server's answer was larger than %u MiB"),
                             PLANNR_API_MAX_RESPONSE / (1024 * 1024)));
      pump (self);
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
  g_autoptr(PlannrApi) self = g_object_ref (req->api);
  GError *error = NULL;
  goffset length;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      self->in_flight--;
      attempt_failed (req, transport_error (req, error));
      pump (self);
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (req->msg));
  if (length > PLANNR_API_MAX_RESPONSE)
    {
      self->in_flight--;
      end_attempt (req);
      complete (req, NULL,
                g_error_new (PLANNR_ERROR, PLANNR_ERROR_TOO_LARGE,
                             _("The Plannr server's answer was larger than %u MiB"),
                             PLANNR_API_MAX_RESPONSE / (1024 * 1024)));
      pump (self);
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

static void
start_request (Request *req)
{
  PlannrApi *self = req->api;
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
      complete (req, NULL, g_error_new (PLANNR_ERROR, PLANNR_ERROR_CONFIG,
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

/* Queues a request; @callback gets a JsonNode via request_finish(). */
static void
request_async (PlannrApi           *self,
               const char          *method,
               PlannrPriority       priority,
               char                *path,    /* taken */
               char                *query,   /* taken */
               JsonNode            *body,    /* taken */
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  Request *req = g_new0 (Request, 1);

  req->api = self;
  req->task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_task_data (req->task, req, (GDestroyNotify) request_free);
  req->method = g_strdup (method);
  req->path = path;
  req->query = query;
  req->priority = priority;
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      /* Measured first: the order in which arguments are evaluated is
       * unspecified, and strlen() must not see the stolen (NULL) text. */
      gsize length = strlen (text);

      req->body = g_bytes_new_take (g_steal_pointer (&text), length);
      json_node_unref (body);
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      complete (req, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "The account is closing"));
      return;
    }
  enqueue (req, FALSE);
}

static JsonNode *
request_finish (PlannrApi     *self,
                GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- typed calls ---------------------------------------------------------- */

/* Chains a request to a parser: the outer task carries the typed result. */
typedef struct
{
  PlannrItemParser parse;
  GDestroyNotify   free_result;
  PlannrItemParser parse_item;   /* for pages */
  GDestroyNotify   free_item;
  guint            per_page;     /* the page size asked for, 0 if none */
  gboolean         write;        /* not a GET: a 2xx means it took effect */
} Parse;

/* A list answer with neither links.next nor page numbers: the page size
 * we asked for is all there is to go on, and a full page may have a
 * successor (plannr-api.md: "stop when a page is shorter than
 * per_page").  The page parser cannot know that size; we do. */
static void
guess_has_next (PlannrPage *page,
                JsonNode   *node,
                guint       per_page)
{
  JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *links = obj ? json_object_get_member (obj, "links") : NULL;

  if (per_page == 0 || page->per_page != 0 ||
      (page->current_page > 0 && page->last_page > 0))
    return;
  if (links != NULL && JSON_NODE_HOLDS_OBJECT (links) &&
      json_object_has_member (json_node_get_object (links), "next"))
    return;
  page->per_page = per_page;
  page->has_next = page->items->len + page->skipped >= per_page;
}

static void
typed_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Parse *parse = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  gpointer value;

  node = request_finish (PLANNR_API (source), result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (parse->parse_item != NULL)
    {
      value = plannr_page_new_from_json (node, parse->parse_item, parse->free_item, &error);
      if (value != NULL)
        guess_has_next (value, node, parse->per_page);
    }
  else
    value = parse->parse (plannr_json_resource (node), &error);

  if (value == NULL && parse->write)
    {
      /* 204, an empty body, or one that holds no resource: the server
       * did what was asked, and the caller must not take it for a
       * failure (plannr-api.md, "Shapes the real server may use"). */
      g_debug ("a write succeeded without a readable answer: %s", error->message);
      g_clear_error (&error);
      g_task_return_new_error (task, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED,
                               _("The Plannr server accepted the request but its answer could not be read"));
      return;
    }
  if (value == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, value, parse->free_result);
}

static void
typed_request_full (PlannrApi           *self,
                    const char          *method,
                    PlannrPriority       priority,
                    char                *path,
                    char                *query,
                    JsonNode            *body,
                    PlannrItemParser     parse,
                    GDestroyNotify       free_result,
                    PlannrItemParser     parse_item,
                    GDestroyNotify       free_item,
                    guint                per_page,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  Parse *p = g_new0 (Parse, 1);

  g_task_set_source_tag (task, source_tag);
  p->parse = parse;
  p->free_result = free_result;
  p->parse_item = parse_item;
  p->free_item = free_item;
  p->per_page = per_page;
  p->write = strcmp (method, "GET") != 0;
  g_task_set_task_data (task, p, g_free);
  request_async (self, method, priority, path, query, body, typed_cb, task);
}

static void
typed_request (PlannrApi           *self,
               const char          *method,
               PlannrPriority       priority,
               char                *path,
               char                *query,
               JsonNode            *body,
               PlannrItemParser     parse,
               GDestroyNotify       free_result,
               PlannrItemParser     parse_item,
               GDestroyNotify       free_item,
               gpointer             source_tag,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  typed_request_full (self, method, priority, path, query, body, parse, free_result,
                      parse_item, free_item, 0, source_tag, callback, user_data);
}

static gpointer
typed_finish (PlannrApi     *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static JsonNode *
object_body (const char *member,
             const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Uuids reach a URL path only here, and only when they are uuids. */
static gboolean
check_uuid (const char  *uuid,
            GError     **error)
{
  if (plannr_uuid_is_valid (uuid))
    return TRUE;
  g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_INVALID,
                       _("Not a valid Plannr id"));
  return FALSE;
}

static gboolean
fail_unless_uuid (PlannrApi           *self,
                  const char          *uuid,
                  gpointer             source_tag,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GError *error = NULL;

  if (check_uuid (uuid, &error))
    return TRUE;
  g_task_report_error (self, callback, user_data, source_tag, error);
  return FALSE;
}

void
plannr_api_get_me_async (PlannrApi           *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  typed_request (self, "GET", PLANNR_PRIORITY_USER, g_strdup ("/api/v1/me"), NULL, NULL,
                 (PlannrItemParser) plannr_user_new_from_json,
                 (GDestroyNotify) plannr_user_free, NULL, NULL,
                 plannr_api_get_me_async, callback, user_data);
}

PlannrUser *
plannr_api_get_me_finish (PlannrApi     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return typed_finish (self, result, plannr_api_get_me_async, error);
}

void
plannr_api_get_logins_async (PlannrApi           *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  typed_request (self, "GET", PLANNR_PRIORITY_USER, g_strdup ("/api/v1/logins"), NULL, NULL,
                 (PlannrItemParser) plannr_logins_new_from_json,
                 (GDestroyNotify) plannr_logins_free, NULL, NULL,
                 plannr_api_get_logins_async, callback, user_data);
}

PlannrLogins *
plannr_api_get_logins_finish (PlannrApi     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return typed_finish (self, result, plannr_api_get_logins_async, error);
}

void
plannr_api_list_conversations_async (PlannrApi           *self,
                                     PlannrPriority       priority,
                                     guint                page,
                                     guint                per_page,
                                     const char          *sort,
                                     const char          *include,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GString *query = g_string_new (NULL);

  /* Always an explicit sort: the documented default reads oldest first. */
  g_string_append_printf (query, "sort=%s&per_page=%u&page=%u",
                          sort ? sort : "-latest_message", per_page, MAX (page, 1));
  if (include != NULL && *include != '\0')
    g_string_append_printf (query, "&include=%s", include);

  typed_request_full (self, "GET", priority, g_strdup ("/api/v1/conversation"),
                      g_string_free (query, FALSE), NULL,
                      NULL, (GDestroyNotify) plannr_page_free,
                      (PlannrItemParser) plannr_conversation_new_from_json,
                      (GDestroyNotify) plannr_conversation_free, per_page,
                      plannr_api_list_conversations_async, callback, user_data);
}

PlannrPage *
plannr_api_list_conversations_finish (PlannrApi     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return typed_finish (self, result, plannr_api_list_conversations_async, error);
}

void
plannr_api_get_conversation_async (PlannrApi           *self,
                                   PlannrPriority       priority,
                                   const char          *uuid,
                                   const char          *include,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  if (!fail_unless_uuid (self, uuid, plannr_api_get_conversation_async, callback, user_data))
    return;

  typed_request (self, "GET", priority,
                 g_strdup_printf ("/api/v1/conversation/%s", uuid),
                 include ? g_strdup_printf ("include=%s", include) : NULL, NULL,
                 (PlannrItemParser) plannr_conversation_new_from_json,
                 (GDestroyNotify) plannr_conversation_free, NULL, NULL,
                 plannr_api_get_conversation_async, callback, user_data);
}

PlannrConversation *
plannr_api_get_conversation_finish (PlannrApi     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return typed_finish (self, result, plannr_api_get_conversation_async, error);
}

void
plannr_api_rename_conversation_async (PlannrApi           *self,
                                      const char          *uuid,
                                      const char          *name,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  if (!fail_unless_uuid (self, uuid, plannr_api_rename_conversation_async, callback, user_data))
    return;

  typed_request (self, "PUT", PLANNR_PRIORITY_USER,
                 g_strdup_printf ("/api/v1/conversation/%s", uuid), NULL,
                 object_body ("name", name),
                 (PlannrItemParser) plannr_conversation_new_from_json,
                 (GDestroyNotify) plannr_conversation_free, NULL, NULL,
                 plannr_api_rename_conversation_async, callback, user_data);
}

PlannrConversation *
plannr_api_rename_conversation_finish (PlannrApi     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return typed_finish (self, result, plannr_api_rename_conversation_async, error);
}

void
plannr_api_list_messages_async (PlannrApi           *self,
                                PlannrPriority       priority,
                                const char          *conversation_uuid,
                                guint                page,
                                guint                per_page,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  if (!fail_unless_uuid (self, conversation_uuid, plannr_api_list_messages_async, callback, user_data))
    return;

  typed_request_full (self, "GET", priority,
                      g_strdup_printf ("/api/v1/conversation/%s/messages", conversation_uuid),
                      g_strdup_printf ("sort=-created_at&per_page=%u&page=%u", per_page, MAX (page, 1)),
                      NULL, NULL, (GDestroyNotify) plannr_page_free,
                      (PlannrItemParser) plannr_message_new_from_json,
                      (GDestroyNotify) plannr_message_free, per_page,
                      plannr_api_list_messages_async, callback, user_data);
}

PlannrPage *
plannr_api_list_messages_finish (PlannrApi     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return typed_finish (self, result, plannr_api_list_messages_async, error);
}

/* --- reading several pages ------------------------------------------------ */

typedef struct
{
  char               *conversation_uuid;
  PlannrPriority      priority;
  guint               per_page;
  guint               want;
  guint               max_pages;
  PlannrPageStopFunc  stop;
  gpointer            stop_data;
  guint               page;        /* the last page asked for */
  PlannrPage         *result;
  GHashTable         *seen;        /* uuids in result (borrowed) */
} Collect;

static void
collect_free (Collect *collect)
{
  g_free (collect->conversation_uuid);
  g_clear_pointer (&collect->seen, g_hash_table_unref);
  g_clear_pointer (&collect->result, plannr_page_free);
  g_free (collect);
}

static void collect_page_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
collect_next (GTask *task)
{
  PlannrApi *self = g_task_get_source_object (task);
  Collect *collect = g_task_get_task_data (task);

  collect->page++;
  plannr_api_list_messages_async (self, collect->priority, collect->conversation_uuid,
                                  collect->page, collect->per_page, collect_page_cb, task);
}

static void
collect_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Collect *collect = g_task_get_task_data (task);
  g_autoptr(PlannrPage) page = NULL;
  GError *error = NULL;
  guint collected;
  gboolean done;

  page = plannr_api_list_messages_finish (PLANNR_API (source), result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  collected = collect->result->items->len + page->items->len;
  if (collect->stop != NULL)
    done = collect->stop (page, collected, collect->stop_data);
  else
    done = collected >= collect->want;
  done = done || !page->has_next || page->items->len == 0 ||
         collect->page >= collect->max_pages;

  /* Pages read one after another overlap when messages arrive between
   * them: keep each message once. */
  for (guint i = 0; i < page->items->len; i++)
    {
      PlannrMessage *message = g_ptr_array_index (page->items, i);

      if (!g_hash_table_add (collect->seen, message->uuid))
        continue;
      g_ptr_array_add (collect->result->items, message);
      page->items->pdata[i] = NULL;
    }
  collect->result->skipped += page->skipped;
  collect->result->current_page = page->current_page ? page->current_page : collect->page;
  collect->result->last_page = page->last_page;
  collect->result->per_page = page->per_page;
  collect->result->has_next = page->has_next;

  if (!done)
    {
      collect_next (task);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&collect->result), (GDestroyNotify) plannr_page_free);
  g_object_unref (task);
}

void
plannr_api_collect_messages_async (PlannrApi           *self,
                                   PlannrPriority       priority,
                                   const char          *conversation_uuid,
                                   guint                per_page,
                                   guint                want,
                                   guint                max_pages,
                                   PlannrPageStopFunc   stop,
                                   gpointer             stop_data,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  Collect *collect = g_new0 (Collect, 1);

  g_task_set_source_tag (task, plannr_api_collect_messages_async);
  collect->conversation_uuid = g_strdup (conversation_uuid);
  collect->priority = priority;
  collect->per_page = CLAMP (per_page, 1, 500);
  collect->want = want;
  collect->max_pages = MAX (max_pages, 1);
  collect->stop = stop;
  collect->stop_data = stop_data;
  collect->result = g_new0 (PlannrPage, 1);
  collect->result->items = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_message_free);
  /* Keys point into the messages of result, which outlives them. */
  collect->seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_task_set_task_data (task, collect, (GDestroyNotify) collect_free);
  collect_next (task);
}

PlannrPage *
plannr_api_collect_messages_finish (PlannrApi     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return typed_finish (self, result, plannr_api_collect_messages_async, error);
}

void
plannr_api_get_message_async (PlannrApi           *self,
                              PlannrPriority       priority,
                              const char          *conversation_uuid,
                              const char          *message_uuid,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  if (!fail_unless_uuid (self, conversation_uuid, plannr_api_get_message_async, callback, user_data) ||
      !fail_unless_uuid (self, message_uuid, plannr_api_get_message_async, callback, user_data))
    return;

  typed_request (self, "GET", priority,
                 g_strdup_printf ("/api/v1/conversation/%s/messages/%s",
                                  conversation_uuid, message_uuid), NULL, NULL,
                 (PlannrItemParser) plannr_message_new_from_json,
                 (GDestroyNotify) plannr_message_free, NULL, NULL,
                 plannr_api_get_message_async, callback, user_data);
}

PlannrMessage *
plannr_api_get_message_finish (PlannrApi     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return typed_finish (self, result, plannr_api_get_message_async, error);
}

void
plannr_api_send_message_async (PlannrApi           *self,
                               const char          *conversation_uuid,
                               const char          *contents,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  if (!fail_unless_uuid (self, conversation_uuid, plannr_api_send_message_async, callback, user_data))
    return;

  typed_request (self, "POST", PLANNR_PRIORITY_USER,
                 g_strdup_printf ("/api/v1/conversation/%s/messages", conversation_uuid), NULL,
                 object_body ("contents", contents),
                 (PlannrItemParser) plannr_message_new_from_json,
                 (GDestroyNotify) plannr_message_free, NULL, NULL,
                 plannr_api_send_message_async, callback, user_data);
}

PlannrMessage *
plannr_api_send_message_finish (PlannrApi     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return typed_finish (self, result, plannr_api_send_message_async, error);
}

void
plannr_api_edit_message_async (PlannrApi           *self,
                               const char          *conversation_uuid,
                               const char          *message_uuid,
                               const char          *contents,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  if (!fail_unless_uuid (self, conversation_uuid, plannr_api_edit_message_async, callback, user_data) ||
      !fail_unless_uuid (self, message_uuid, plannr_api_edit_message_async, callback, user_data))
    return;

  typed_request (self, "PUT", PLANNR_PRIORITY_USER,
                 g_strdup_printf ("/api/v1/conversation/%s/messages/%s",
                                  conversation_uuid, message_uuid), NULL,
                 object_body ("contents", contents),
                 (PlannrItemParser) plannr_message_new_from_json,
                 (GDestroyNotify) plannr_message_free, NULL, NULL,
                 plannr_api_edit_message_async, callback, user_data);
}

PlannrMessage *
plannr_api_edit_message_finish (PlannrApi     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return typed_finish (self, result, plannr_api_edit_message_async, error);
}
