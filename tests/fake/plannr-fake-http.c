/* plannr-fake-http.c: the SoupServer plumbing: dispatching through the
 * route table, authentication, the rate limit, faults, delays and the
 * request log
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

/* --- request log, faults, limits ---------------------------------- */

GPtrArray *
plannr_fake_get_requests (PlannrFake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->requests;
}

void
plannr_fake_clear_requests (PlannrFake *self)
{
  g_return_if_fail (self != NULL);

  /* Delayed requests would otherwise write their status into freed log
   * entries. */
  for (guint i = 0; i < self->pending->len; i++)
    ((FakePending *) g_ptr_array_index (self->pending, i))->request = NULL;
  g_ptr_array_set_size (self->requests, 0);
}

static gboolean
request_matches (const char *method,
                 const char *pattern,
                 const char *req_method,
                 const char *req_path)
{
  return (method == NULL || g_ascii_strcasecmp (method, req_method) == 0)
         && (pattern == NULL || g_pattern_match_simple (pattern, req_path));
}

guint
plannr_fake_count_requests (PlannrFake *self,
                            const char *method,
                            const char *path_pattern)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      PlannrFakeRequest *request = g_ptr_array_index (self->requests, i);

      if (request_matches (method, path_pattern, request->method, request->path))
        n++;
    }
  return n;
}

const PlannrFakeRequest *
plannr_fake_last_request (PlannrFake *self,
                          const char *method,
                          const char *path_pattern)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = self->requests->len; i > 0; i--)
    {
      PlannrFakeRequest *request = g_ptr_array_index (self->requests, i - 1);

      if (request_matches (method, path_pattern, request->method, request->path))
        return request;
    }
  return NULL;
}

void
plannr_fake_add_fault (PlannrFake          *self,
                       const char          *method,
                       const char          *path_pattern,
                       PlannrFakeFaultKind  kind,
                       guint                value,
                       int                  count)
{
  FakeFault *fault;

  g_return_if_fail (self != NULL);
  g_return_if_fail (kind <= PLANNR_FAKE_FAULT_DROP_AFTER);
  g_return_if_fail (count > 0 || count == -1);

  fault = g_new0 (FakeFault, 1);
  fault->method = g_strdup (method);
  fault->pattern = g_strdup (path_pattern);
  fault->kind = kind;
  fault->value = value;
  fault->count = count;
  g_ptr_array_add (self->faults, fault);
}

void
plannr_fake_clear_faults (PlannrFake *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->faults, 0);
}

/* Consumes one use of the first fault matching the request. */
static gboolean
take_fault (PlannrFake          *self,
            const char          *method,
            const char          *path,
            PlannrFakeFaultKind *kind,
            guint               *value)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      FakeFault *fault = g_ptr_array_index (self->faults, i);

      if (!request_matches (fault->method, fault->pattern, method, path))
        continue;
      *kind = fault->kind;
      *value = fault->value;
      if (fault->count > 0 && --fault->count == 0)
        g_ptr_array_remove_index (self->faults, i);
      return TRUE;
    }
  return FALSE;
}

void
plannr_fake_set_rate_limit (PlannrFake *self,
                            guint       per_minute)
{
  g_return_if_fail (self != NULL);
  self->rate_limit = per_minute;
  /* A new budget starts new windows, or a test that lowers the limit
   * would be stuck with what earlier requests used. */
  g_hash_table_remove_all (self->buckets);
}

void
plannr_fake_set_rate_window (PlannrFake *self,
                             guint       seconds)
{
  g_return_if_fail (self != NULL && seconds > 0);
  self->rate_window = seconds;
  g_hash_table_remove_all (self->buckets);
}

void
plannr_fake_revoke_token (PlannrFake *self,
                          const char *token)
{
  g_return_if_fail (self != NULL && token != NULL);
  g_hash_table_add (self->revoked_tokens, g_strdup (token));
}

/* --- authentication and the rate limit ---------------------------- */

static void
set_header_uint (SoupServerMessage *msg,
                 const char        *name,
                 guint              value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), name, text);
}

static FakeUser *
user_for_request (PlannrFake        *self,
                  SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  FakeUser *user;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  auth += 7;
  while (*auth == ' ')
    auth++;
  if (g_hash_table_contains (self->revoked_tokens, auth))
    return NULL;
  user = g_hash_table_lookup (self->users_by_token, auth);
  return user;
}

static FakeBucket *
bucket_for_request (PlannrFake        *self,
                    SoupServerMessage *msg,
                    FakeUser          *user)
{
  g_autofree char *key = NULL;
  FakeBucket *bucket;
  gint64 now = g_get_monotonic_time ();

  /* Per user, like Laravel's throttle:api; anonymous callers share one
   * budget per client address. */
  if (user != NULL)
    key = g_strconcat ("user:", user->uuid, NULL);
  else
    key = g_strconcat ("ip:", soup_server_message_get_remote_host (msg), NULL);

  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      bucket = g_new0 (FakeBucket, 1);
      bucket->window_start = now;
      g_hash_table_insert (self->buckets, g_steal_pointer (&key), bucket);
    }
  /* A fixed window that starts with the first request after the previous
   * one ended, as Laravel's RateLimiter does. */
  if (now >= bucket->window_start + (gint64) self->rate_window * G_USEC_PER_SEC)
    {
      bucket->window_start = now;
      bucket->used = 0;
    }
  return bucket;
}

/* Counts the request; FALSE (after answering 429) when over budget. */
static gboolean
rate_check (PlannrFake        *self,
            SoupServerMessage *msg,
            FakeUser          *user,
            gboolean           count)
{
  FakeBucket *bucket = bucket_for_request (self, msg, user);

  if (bucket->used >= self->rate_limit)
    {
      gint64 end = bucket->window_start + (gint64) self->rate_window * G_USEC_PER_SEC;
      gint64 left = (end - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      set_header_uint (msg, "X-Ratelimit-Limit", self->rate_limit);
      set_header_uint (msg, "X-Ratelimit-Remaining", 0);
      set_header_uint (msg, "Retry-After", CLAMP (left, 1, (gint64) self->rate_window));
      if (count)
        fake_respond_error (msg, STATUS_TOO_MANY_REQUESTS, "Too Many Attempts.");
      return FALSE;
    }
  if (count)
    bucket->used++;
  set_header_uint (msg, "X-Ratelimit-Limit", self->rate_limit);
  set_header_uint (msg, "X-Ratelimit-Remaining", self->rate_limit - bucket->used);
  return TRUE;
}

/* The request body as a JSON object, or NULL after answering 415/400. */
JsonNode *
fake_read_json_body (SoupServerMessage *msg,
                     gboolean           strict)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) empty = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  /* No body is {} whatever the (usually absent) Content-Type, so that a
   * DELETE without its body fails validation like any missing field. */
  if (size == 0)
    {
      empty = json_object_new ();
      return json_node_init_object (json_node_alloc (), empty);
    }
  if (strict && (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0))
    {
      fake_respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                          "Unsupported Media Type: send the body as Content-Type: application/json.");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, NULL))
    {
      fake_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not valid JSON.");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      fake_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object.");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static void handle_api (PlannrFake        *self,
                        SoupServerMessage *msg);

/* --- faults and delays -------------------------------------------- */

static void
respond_fault_status (PlannrFake        *self,
                      SoupServerMessage *msg,
                      guint              status)
{
  FakeBucket *bucket = bucket_for_request (self, msg, user_for_request (self, msg));

  set_header_uint (msg, "X-Ratelimit-Limit", self->rate_limit);
  set_header_uint (msg, "X-Ratelimit-Remaining",
                   status == STATUS_TOO_MANY_REQUESTS
                   ? 0 : self->rate_limit - MIN (bucket->used, self->rate_limit));
  if (status == STATUS_TOO_MANY_REQUESTS)
    set_header_uint (msg, "Retry-After", 1);

  /* Proxies and load balancers in front of Laravel answer 5xx in HTML,
   * which is exactly what a client must survive. */
  if (status >= 500)
    fake_respond_text (msg, status, "text/html; charset=utf-8",
                       g_strdup_printf ("<!DOCTYPE html>\n<html><head><title>%u %s</title></head>"
                                        "<body><h1>%u %s</h1><p>Injected by the fake.</p></body></html>\n",
                                        status, soup_status_get_phrase (status),
                                        status, soup_status_get_phrase (status)));
  else
    {
      g_autofree char *text = g_strdup_printf ("%s (injected by the fake).",
                                               soup_status_get_phrase (status) != NULL
                                               ? soup_status_get_phrase (status) : "Error");

      fake_respond_error (msg, status, status == STATUS_TOO_MANY_REQUESTS ? "Too Many Attempts." : text);
    }
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
finish_request (PlannrFakeRequest *request,
                SoupServerMessage *msg)
{
  if (request != NULL)
    request->status = soup_server_message_get_status (msg);
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  FakePending *pending = user_data;
  PlannrFake *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  PlannrFakeRequest *request = pending->request;

  g_ptr_array_remove (self->pending, pending);
  handle_api (self, msg);
  finish_request (request, msg);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* The client gave up while the answer was delayed: nothing left to say. */
static void
pending_disconnected_cb (SoupServerMessage *msg,
                         gpointer           user_data)
{
  FakePending *pending = user_data;

  g_ptr_array_remove (pending->self->pending, pending);
}

static void
delay_request (PlannrFake        *self,
               SoupServerMessage *msg,
               PlannrFakeRequest *request,
               guint              ms)
{
  FakePending *pending = g_new0 (FakePending, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->request = request;
  pending->source = g_timeout_source_new (ms);
  g_source_set_callback (pending->source, pending_timeout_cb, pending, NULL);
  g_source_attach (pending->source, self->context);
  pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (pending_disconnected_cb), pending);
  g_ptr_array_add (self->pending, pending);
  soup_server_message_pause (msg);
}

/* --- dispatch ----------------------------------------------------- */

static void
route_api (PlannrFake        *self,
           SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = g_uri_get_path (uri);
  const char *query = g_uri_get_query (uri);
  const char *account_uuid;
  g_auto(GStrv) segments = fake_split_path (path, FALSE);
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autoptr(GHashTable) form = NULL;
  Call call = { self, msg, NULL, NULL, NULL, 0, { NULL, }, 0, NULL };
  const Route *route;

  call.user = user_for_request (self, msg);
  if (!rate_check (self, msg, call.user, TRUE))
    return;

  route = fake_find_route (method, segments, FALSE, &call, allowed);
  if (route == NULL && allowed->len == 0)
    {
      g_autofree char *text = g_strdup_printf ("The route %s could not be found.", path + 1);

      fake_respond_error (msg, SOUP_STATUS_NOT_FOUND, text);
      return;
    }
  if (route == NULL)
    {
      g_autofree char *text = g_strdup_printf ("The %s method is not supported for route %s. "
                                               "Supported methods: %s.", method, path + 1,
                                               allowed->str);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    allowed->str);
      fake_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, text);
      return;
    }
  if (call.user == NULL)
    {
      fake_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "Unauthenticated.");
      return;
    }

  /* A missing or foreign account header is an authorisation failure, not
   * an authentication one: the token is valid, the account is not one
   * this user may act as.  /me and /logins work without it, since
   * /logins is how a client finds its account uuids. */
  account_uuid = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                               "X-PLANNR-ACCOUNT-UUID");
  if (account_uuid != NULL)
    {
      FakeAccount *account = fake_lookup_account (self, account_uuid);

      if (account == NULL || g_strcmp0 (account->user_uuid, call.user->uuid) != 0)
        {
          fake_respond_error (msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
          return;
        }
      call.account = account;
    }
  else if (!(route->flags & ROUTE_NO_ACCOUNT))
    {
      fake_respond_error (msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }

  form = query != NULL ? soup_form_decode (query) : NULL;
  call.query = form != NULL ? form : g_hash_table_new (g_str_hash, g_str_equal);
  if (form == NULL)
    form = call.query;
  route->handler (&call);
}

static void
handle_api (PlannrFake        *self,
            SoupServerMessage *msg)
{
  route_api (self, msg);
  fake_shape_answer (self, msg, TRUE);
}

/* Each control route is a thin JSON wrapper over the C function of the
 * same meaning, so that end-to-end runs and GTests act alike. */
static void
handle_control (PlannrFake        *self,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) segments = fake_split_path (path, TRUE);
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autoptr(JsonNode) body = NULL;
  Call call = { self, msg, NULL, NULL, NULL, 0, { NULL, }, 0, NULL };
  const Route *route;

  if (strcmp (method, "POST") == 0 || strcmp (method, "PUT") == 0)
    {
      body = fake_read_json_body (msg, FALSE);
      if (body == NULL)
        return;
      call.body = json_node_get_object (body);
    }
  route = fake_find_route (method, segments, TRUE, &call, allowed);
  if (route == NULL)
    fake_respond_no_control (&call);
  else
    route->handler (&call);
}

/* --- the server --------------------------------------------------- */

PlannrFakeRequest *
fake_log_request (GPtrArray         *log,
                  SoupServerMessage *msg)
{
  PlannrFakeRequest *request = g_new0 (PlannrFakeRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  request->body = g_bytes_get_size (bytes) > 0
                  ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : g_strdup ("");
  g_ptr_array_add (log, request);
  return request;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  PlannrFake *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  PlannrFakeRequest *request = NULL;
  PlannrFakeFaultKind kind;
  guint value;

  if (g_str_has_prefix (path, "/_fake/"))
    {
      handle_control (self, msg, path);
      fake_shape_answer (self, msg, FALSE);
      return;
    }
  if (!g_str_has_prefix (path, "/api/"))
    {
      handle_api (self, msg);
      return;
    }

  request = fake_log_request (self->requests, msg);
  if (take_fault (self, method, path, &kind, &value))
    {
      switch (kind)
        {
        case PLANNR_FAKE_FAULT_STATUS:
          respond_fault_status (self, msg, value);
          break;
        case PLANNR_FAKE_FAULT_DELAY:
          delay_request (self, msg, request, value);
          return;
        case PLANNR_FAKE_FAULT_DROP:
          drop_connection (msg);
          request->status = 0;
          return;
        case PLANNR_FAKE_FAULT_DROP_AFTER:
          /* The request takes effect, the answer is lost: what a client
           * sees when a connection breaks after the server committed. */
          handle_api (self, msg);
          drop_connection (msg);
          request->status = 0;
          return;
        case PLANNR_FAKE_FAULT_MALFORMED:
        default:
          fake_respond_text (msg, SOUP_STATUS_OK, JSON_TYPE,
                             g_strdup ("{\"data\": [{\"uuid\": \"truncated"));
          break;
        }
      fake_shape_answer (self, msg, FALSE);
      finish_request (request, msg);
      return;
    }

  handle_api (self, msg);
  finish_request (request, msg);
}

void
plannr_fake_set_tls_certificate (PlannrFake      *self,
                                 GTlsCertificate *cert)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->server == NULL);

  self->server = soup_server_new ("server-header", "plannr-fake ", "tls-certificate", cert, NULL);
}

gboolean
plannr_fake_listen (PlannrFake  *self,
                    guint        port,
                    GError     **error)
{
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  GSList *uris;
  gboolean tls;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->base_url == NULL, FALSE);

  if (self->server == NULL)
    self->server = soup_server_new ("server-header", "plannr-fake ", NULL);
  tls = soup_server_get_tls_certificate (self->server) != NULL;
  if (tls)
    options |= SOUP_SERVER_LISTEN_HTTPS;

  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  if (!soup_server_listen_local (self->server, port, options, error))
    {
      soup_server_remove_handler (self->server, NULL);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  g_return_val_if_fail (uris != NULL, FALSE);
  self->base_url = g_strdup_printf ("%s://127.0.0.1:%d", tls ? "https" : "http",
                                    g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return fake_listen_storage (self, tls, error);
}

const char *
plannr_fake_get_base_url (PlannrFake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->base_url;
}
