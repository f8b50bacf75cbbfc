/* plannr-http.c: requests to the Plannr server, queued, retried, capped
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-error.h"
#include "plannr-http-private.h"

static void
request_free (Request *req)
{
  plannr_http_attempt_end (req);
  g_clear_handle_id (&req->retry_id, g_source_remove);
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_clear_pointer (&req->body, g_bytes_unref);
  plannr_http_unref (req->http);
  g_free (req);
}

/* --- construction ------------------------------------------------------ */

gboolean
plannr_http_host_is_loopback (const char *host)
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
plannr_http_check_base_url (const char  *base_url,
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
      plannr_http_host_is_loopback (g_uri_get_host (uri)))
    return TRUE;

  g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_CONFIG,
               _("The server address “%s” must start with https:// "
                 "(plain http:// is only allowed for this computer)."), base_url);
  return FALSE;
}

static void
http_clear (PlannrHttp *self)
{
  plannr_http_shutdown (self);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->base_url);
  /* The token is a secret: do not leave it in freed memory. */
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self->account_uuid);
}

PlannrHttp *
plannr_http_ref (PlannrHttp *self)
{
  return g_rc_box_acquire (self);
}

void
plannr_http_unref (PlannrHttp *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) http_clear);
}

PlannrHttp *
plannr_http_new (const char  *base_url,
                 const char  *token,
                 GError     **error)
{
  PlannrHttp *self;
  gsize len;

  if (!plannr_http_check_base_url (base_url, error))
    return NULL;

  self = g_rc_box_new0 (PlannrHttp);
  self->cancellable = g_cancellable_new ();
  self->timeout_s = PLANNR_API_DEFAULT_TIMEOUT;
  self->retry_ms = PLANNR_API_DEFAULT_RETRY_MS;
  self->max_attempts = PLANNR_API_MAX_ATTEMPTS;
  self->rate_remaining = -1;
  self->rate_limit = -1;
  g_queue_init (&self->user_queue);
  g_queue_init (&self->poll_queue);
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
plannr_http_set_account_uuid (PlannrHttp  *self,
                              const char *account_uuid)
{
  
  g_free (self->account_uuid);
  self->account_uuid = account_uuid && *account_uuid ? g_strdup (account_uuid) : NULL;
}

const char *
plannr_http_get_account_uuid (PlannrHttp *self)
{
  return self->account_uuid;
}

void
plannr_http_set_proxy_resolver (PlannrHttp      *self,
                                GProxyResolver *resolver)
{
    g_object_set (self->session, "proxy-resolver", resolver, NULL);
}

void
plannr_http_set_timeout (PlannrHttp *self,
                         guint      seconds)
{
    self->timeout_s = MAX (seconds, 1);
  g_object_set (self->session, "timeout", self->timeout_s, NULL);
}

void
plannr_http_set_retry_delay (PlannrHttp *self,
                             guint      milliseconds)
{
    self->retry_ms = milliseconds;
}

void
plannr_http_set_max_attempts (PlannrHttp *self,
                              guint      attempts)
{
    self->max_attempts = MAX (attempts, 1);
}

int
plannr_http_get_rate_remaining (PlannrHttp *self)
{
  return self->rate_remaining;
}

int
plannr_http_get_rate_limit (PlannrHttp *self)
{
  return self->rate_limit;
}

gboolean
plannr_http_is_rate_limited (PlannrHttp *self)
{
  return self->paused_until > g_get_monotonic_time ();
}

guint64
plannr_http_get_request_count (PlannrHttp *self)
{
  return self->request_count;
}

guint64
plannr_http_get_bytes_received (PlannrHttp *self)
{
  return self->bytes_received;
}

GCancellable *
plannr_http_get_cancellable (PlannrHttp *self)
{
  return self->cancellable;
}

gboolean
plannr_http_is_shut_down (PlannrHttp *self)
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
plannr_http_shutdown (PlannrHttp *self)
{
  
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
  g_autoptr(PlannrHttp) self = plannr_http_ref (user_data);

  self->pause_id = 0;
  self->paused_until = 0;
  plannr_http_pump (self);
  return G_SOURCE_REMOVE;
}

void
plannr_http_pump (PlannrHttp *self)
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

      plannr_http_attempt_start (req);
    }
}


void
plannr_http_enqueue (Request  *req,
                     gboolean  front)
{
  GQueue *queue = req->priority == PLANNR_PRIORITY_USER
                  ? &req->http->user_queue : &req->http->poll_queue;

  /* Shut down meanwhile (a 429 or a retry whose answer came after
   * plannr_http_shutdown() emptied the queues): nothing would ever take
   * it out of the queue again. */
  if (g_cancellable_is_cancelled (req->http->cancellable))
    {
      plannr_http_complete (req, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "The account is closing"));
      return;
    }

  if (front)
    g_queue_push_head (queue, req);
  else
    g_queue_push_tail (queue, req);
  plannr_http_pump (req->http);
}

void
plannr_http_complete (Request  *req,
                      gpointer  value,
                      GError   *error)
{
  GTask *task = req->task;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, req->free_value);
  g_object_unref (task);
}

static gboolean
retry_cb (gpointer user_data)
{
  Request *req = user_data;

  req->retry_id = 0;
  req->http->waiting = g_list_remove (req->http->waiting, req);
  plannr_http_enqueue (req, TRUE);
  return G_SOURCE_REMOVE;
}

gboolean
plannr_http_is_write (const Request *req)
{
  return strcmp (req->method, "GET") != 0;
}

static gboolean
is_idempotent (const Request *req)
{
  return strcmp (req->method, "GET") == 0 || strcmp (req->method, "PUT") == 0;
}

/* Either schedules another attempt or completes with @error. */
void
plannr_http_attempt_failed (Request *req,
                            GError  *error)
{
  PlannrHttp *self = req->http;

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
      plannr_http_attempt_end (req);
      self->waiting = g_list_prepend (self->waiting, req);
      req->retry_id = g_timeout_add (delay, retry_cb, req);
      return;
    }

  plannr_http_attempt_end (req);
  plannr_http_complete (req, NULL, error);
}

/* Queues a request; @callback gets a JsonNode via request_finish(). */
void
plannr_http_request_async (PlannrHttp          *self,
                           gpointer             source_object,
                           const char          *method,
                           PlannrPriority       priority,
                           char                *path,    /* taken */
                           char                *query,   /* taken */
                           JsonNode            *body,    /* taken */
                           PlannrHttpParse      parse,
                           gpointer             parse_data,
                           GDestroyNotify       free_value,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Request *req = g_new0 (Request, 1);

  req->http = plannr_http_ref (self);
  req->task = g_task_new (source_object, self->cancellable, callback, user_data);
  g_task_set_task_data (req->task, req, (GDestroyNotify) request_free);
  req->method = g_strdup (method);
  req->path = path;
  req->query = query;
  req->priority = priority;
  req->parse = parse;
  req->parse_data = parse_data;
  req->free_value = parse != NULL ? free_value : (GDestroyNotify) json_node_unref;
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
      plannr_http_complete (req, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                "The account is closing"));
      return;
    }
  plannr_http_enqueue (req, FALSE);
}

gpointer
plannr_http_request_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
