/* test-fake.c: tests of the fake Plannr server itself
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The other suites trust the fake to behave like plannr-api.md says, so
 * this suite pins that behaviour down through real HTTP requests.  The
 * server runs on this thread's main context; requests are made with an
 * async SoupSession call and the context is iterated until it finishes
 * (a nested loop is fine in tests, never in the plugin).
 */

#include "plannr-fake.h"

#include <signal.h>
#include <string.h>

/* From seed.json. */
#define DEMO_TOKEN "demo-token"
#define JAMES_TOKEN "james-token"
#define DEMO_USER "47eaa099-2cb6-416d-86dc-283cf0480ff9"
#define EL_TW "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d"
#define EL_NG "142c8364-7806-4577-93e7-83e7eb04b39b"
#define JAMES "3b041641-1788-44f2-a60d-f25453fe2e85"
#define PRIYA "00a154d8-5ed8-4bcc-b5c7-19c2add9ca88"
#define MARGARET "6e704245-a4ff-41e3-a794-9b80dcb0b82e"
#define FIRM_TW "5d32fe61-985f-44e7-aa09-5ee82bb29976"
#define CONV_WELCOME "bdbcda98-9672-4e1a-bfed-0bb9a92fa271"
#define CONV_REVIEW "5ed62656-7cce-473a-8421-1117e37cf3cc"
#define CONV_PENSION "a0ae608c-b9eb-40c0-99ed-b149efef4ff2"
#define CONV_ISA "f39fddc4-e8f3-4137-8e86-802b74b30013"
#define CONV_FEES "43af801b-bc3f-4885-a52f-165308cde722"
#define CONV_EMPTY "85021ca9-7e16-4f95-98e6-796e1253bb64"
#define MSG_DELETED "bd2ea9fa-c5d2-4eed-9451-4252c98fc0c0"
#define EL_TW_CONVERSATIONS 10

/* --- a linear HTTP client -------------------------------------------- */

typedef struct
{
  guint status;
  SoupMessageHeaders *headers;
  char *body;
  JsonNode *json;             /* NULL unless the body parsed */
  GError *error;              /* transport errors */
  gint64 elapsed;             /* µs */
} Response;

static void
response_free (Response *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r->body);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_error (&r->error);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

typedef struct
{
  Response *response;
  SoupMessage *msg;
  gint64 start;
  gboolean done;
} Pending;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *p = user_data;
  Response *r = p->response;
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &r->error);
  r->elapsed = g_get_monotonic_time () - p->start;
  r->status = soup_message_get_status (p->msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (p->msg));
  if (bytes != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      /* An empty GBytes may have NULL data. */
      r->body = g_bytes_get_size (bytes) > 0
                ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : g_strdup ("");
      if (*r->body != '\0' && json_parser_load_from_data (parser, r->body, -1, NULL)
          && json_parser_get_root (parser) != NULL)
        r->json = json_node_copy (json_parser_get_root (parser));
    }
  p->done = TRUE;
}

static SoupMessage *
new_message (const char *method,
             const char *url,
             const char *token,
             const char *account,
             const char *content_type,
             const char *body)
{
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  g_assert_nonnull (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (account != NULL)
    soup_message_headers_replace (headers, "X-PLANNR-ACCOUNT-UUID", account);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  return msg;
}

static Pending *
start (SoupSession *session,
       SoupMessage *msg)
{
  Pending *p = g_new0 (Pending, 1);

  p->response = g_new0 (Response, 1);
  p->msg = msg;
  p->start = g_get_monotonic_time ();
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, p);
  return p;
}

static Response *
finish (Pending *p)
{
  Response *r;

  while (!p->done)
    g_main_context_iteration (NULL, TRUE);
  r = p->response;
  g_object_unref (p->msg);
  g_free (p);
  return r;
}

typedef struct
{
  PlannrFake *fake;
  SoupSession *session;
} Fixture;

static char *
url_for (Fixture    *f,
         const char *path)
{
  if (g_str_has_prefix (path, "http"))
    return g_strdup (path);
  return g_strconcat (plannr_fake_get_base_url (f->fake), path, NULL);
}

/* The general form: any token, account header, content type. */
static Response *
request_full (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *account,
              const char *content_type,
              const char *body)
{
  g_autofree char *url = url_for (f, path);

  return finish (start (f->session, new_message (method, url, token, account, content_type, body)));
}

/* As the demo user acting as their Thompson Wealth account. */
static Response *
api (Fixture    *f,
     const char *method,
     const char *path,
     const char *json)
{
  return request_full (f, method, path, DEMO_TOKEN, EL_TW, "application/json", json);
}

static JsonObject *
object (Response *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static JsonArray *
data (Response *r)
{
  return json_object_get_array_member (object (r), "data");
}

static JsonObject *
data_item (Response *r,
           guint     i)
{
  return json_array_get_object_element (data (r), i);
}

static JsonObject *
meta (Response *r)
{
  return json_object_get_object_member (object (r), "meta");
}

/* @r's only member is "data", an object, which is returned. */
static JsonObject *
wrapped (Response *r)
{
  JsonObject *obj = object (r);
  JsonNode *inner = json_object_get_member (obj, "data");

  g_assert_cmpuint (json_object_get_size (obj), ==, 1);
  g_assert_nonnull (inner);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (inner));
  return json_node_get_object (inner);
}

static void
assert_json_content_type (Response *r)
{
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==, "application/json");
}

static void
assert_message (Response   *r,
                guint       status,
                const char *message)
{
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, status);
  assert_json_content_type (r);
  g_assert_cmpstr (json_object_get_string_member (object (r), "message"), ==, message);
}

static void
assert_invalid (Response   *r,
                const char *field,
                const char *message)
{
  JsonObject *errors;

  assert_message (r, 422, message);
  errors = json_object_get_object_member (object (r), "errors");
  g_assert_nonnull (errors);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (errors, field), 0),
                   ==, message);
}

static guint
header_uint (Response   *r,
             const char *name)
{
  const char *value = soup_message_headers_get_one (r->headers, name);

  g_assert_nonnull (value);
  return g_ascii_strtoull (value, NULL, 10);
}

static char *
seed_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "seed.json", NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = seed_path ();

  f->fake = plannr_fake_new ();
  if (user_data == NULL)
    {
      plannr_fake_load_file (f->fake, seed, &error);
      g_assert_no_error (error);
    }
  plannr_fake_listen (f->fake, 0, &error);
  g_assert_no_error (error);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  /* The server goes first: libsoup 3.2 leaks server-side connections
   * that the client closes while they are idle. */
  plannr_fake_free (f->fake);
  g_object_unref (f->session);
  /* Let the session's closing connections finish before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the main context until the fake has logged a matching request;
 * a fixed sleep would be too short under valgrind. */
static void
wait_for_request (PlannrFake *fake,
                  const char *method,
                  const char *path)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (plannr_fake_count_requests (fake, method, path) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
sleep_in_loop (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
}

/* --- seed and store --------------------------------------------------- */

static void
test_seed_load (void)
{
  g_autoptr(PlannrFake) fake = plannr_fake_new ();
  g_autoptr(PlannrFake) bad = plannr_fake_new ();
  g_autoptr(PlannrFake) copy = plannr_fake_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = seed_path ();
  g_autofree char *dump = NULL;
  g_autofree char *dump2 = NULL;

  g_assert_true (plannr_fake_load_file (fake, seed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (plannr_fake_get_conversation_name (fake, CONV_WELCOME), ==, "Welcome to Plannr");
  g_assert_cmpstr (plannr_fake_get_conversation_name (fake, CONV_REVIEW), ==, "Annual Review");
  /* 42 in the seed, one of them deleted. */
  g_assert_cmpuint (plannr_fake_count_messages (fake, CONV_REVIEW), ==, 41);
  g_assert_cmpuint (plannr_fake_count_messages (fake, CONV_EMPTY), ==, 0);
  g_assert_nonnull (plannr_fake_get_message_contents (fake, MSG_DELETED));
  g_assert_cmpstr (plannr_fake_get_user_token (fake, 0), ==, DEMO_TOKEN);
  g_assert_null (plannr_fake_get_user_token (fake, 100));

  /* The dump is in the seed format: it loads into a fresh fake and
   * dumps back identically. */
  dump = plannr_fake_dump (fake);
  g_assert_true (plannr_fake_load_data (copy, dump, &error));
  g_assert_no_error (error);
  dump2 = plannr_fake_dump (copy);
  g_assert_cmpstr (dump, ==, dump2);

  g_assert_false (plannr_fake_load_data (bad, "{\"conversations\": [{\"name\": \"x\", "
                                              "\"participants\": [\"nobody\"]}]}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (plannr_fake_load_data (bad, "[", &error));
  g_assert_nonnull (error);
}

static void
test_store_api (void)
{
  g_autoptr(PlannrFake) fake = plannr_fake_new ();
  const char *participants[] = { "a1", "a2", NULL };
  const char *admins[] = { "a1", NULL };
  g_autofree char *conv = NULL;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;
  g_autofree char *none = NULL;

  plannr_fake_add_user (fake, "u1", "Ada Lovelace", "ada@example.com", "t1");
  plannr_fake_add_firm (fake, "f1", "Thompson Wealth");
  plannr_fake_add_account (fake, "a1", "u1", "f1", "Ada Lovelace", "employee");
  plannr_fake_add_account (fake, "a2", NULL, "f1", "Charles Babbage", "client");
  plannr_fake_set_preferred_account (fake, "u1", "a1");
  conv = plannr_fake_add_conversation (fake, NULL, "Annual Review", participants, admins);
  g_assert_true (g_uuid_string_is_valid (conv));

  m1 = plannr_fake_post_message (fake, conv, "a2", "Hello");
  m2 = plannr_fake_post_message (fake, conv, "a1", "Hello");
  none = plannr_fake_post_message (fake, "no-such-conversation", "a1", "Hello");
  g_assert_nonnull (m1);
  g_assert_null (none);
  g_assert_cmpuint (plannr_fake_count_messages_with (fake, conv, "Hello"), ==, 2);

  g_assert_true (plannr_fake_edit_message (fake, conv, m1, "Hi"));
  g_assert_true (plannr_fake_is_message_edited (fake, m1));
  g_assert_false (plannr_fake_is_message_edited (fake, m2));
  g_assert_cmpstr (plannr_fake_get_message_contents (fake, m1), ==, "Hi");
  g_assert_true (plannr_fake_delete_message (fake, conv, m2));
  g_assert_false (plannr_fake_delete_message (fake, conv, m2));
  g_assert_false (plannr_fake_edit_message (fake, conv, m2, "deleted"));
  g_assert_cmpuint (plannr_fake_count_messages (fake, conv), ==, 1);

  g_assert_true (plannr_fake_react (fake, m1, "a1", "love"));
  g_assert_false (plannr_fake_react (fake, m1, "nobody", "love"));
  g_assert_true (plannr_fake_add_file (fake, m1, "Plan.pdf", "application/pdf", 1234, NULL));
  g_assert_true (plannr_fake_rename_conversation (fake, conv, "Renamed"));
  g_assert_cmpstr (plannr_fake_get_conversation_name (fake, conv), ==, "Renamed");
  g_assert_true (plannr_fake_set_pinned (fake, conv, "a1", TRUE));
  g_assert_false (plannr_fake_set_pinned (fake, conv, "nobody", TRUE));
  g_assert_true (plannr_fake_remove_participant (fake, conv, "a2"));
  g_assert_false (plannr_fake_remove_participant (fake, conv, "a2"));
  g_assert_true (plannr_fake_add_participant (fake, conv, "a2", FALSE));
  g_assert_null (plannr_fake_get_conversation_name (fake, "nope"));
}

/* --- auth -------------------------------------------------------------- */

static void
test_auth_unauthenticated (Fixture       *f,
                           gconstpointer  user_data)
{
  g_autoptr(Response) none = request_full (f, "GET", "/api/v1/me", NULL, EL_TW, NULL, NULL);
  g_autoptr(Response) unknown = request_full (f, "GET", "/api/v1/conversation", "nope", EL_TW, NULL, NULL);
  g_autoptr(Response) basic = NULL;
  g_autoptr(Response) before = api (f, "GET", "/api/v1/me", NULL);
  g_autoptr(Response) revoked = NULL;

  assert_message (none, 401, "Unauthenticated.");
  assert_message (unknown, 401, "Unauthenticated.");
  g_assert_nonnull (soup_message_headers_get_one (none->headers, "X-Ratelimit-Limit"));
  g_assert_nonnull (soup_message_headers_get_one (none->headers, "X-Ratelimit-Remaining"));
  g_assert_cmpuint (before->status, ==, 200);

  {
    g_autofree char *url = url_for (f, "/api/v1/me");
    SoupMessage *msg = new_message ("GET", url, NULL, EL_TW, NULL, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  "Basic " DEMO_TOKEN);
    basic = finish (start (f->session, msg));
    assert_message (basic, 401, "Unauthenticated.");
  }

  plannr_fake_revoke_token (f->fake, DEMO_TOKEN);
  revoked = api (f, "GET", "/api/v1/me", NULL);
  assert_message (revoked, 401, "Unauthenticated.");
}

static void
test_auth_account_header (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(Response) missing = request_full (f, "GET", "/api/v1/conversation", DEMO_TOKEN, NULL, NULL, NULL);
  g_autoptr(Response) foreign = request_full (f, "GET", "/api/v1/conversation", DEMO_TOKEN, PRIYA, NULL, NULL);
  g_autoptr(Response) unknown = request_full (f, "GET", "/api/v1/conversation", DEMO_TOKEN,
                                              "00000000-0000-4000-8000-000000000000", NULL, NULL);
  g_autoptr(Response) other = request_full (f, "GET", "/api/v1/conversation", DEMO_TOKEN, EL_NG, NULL, NULL);
  g_autoptr(Response) logins = request_full (f, "GET", "/api/v1/logins", DEMO_TOKEN, NULL, NULL, NULL);
  g_autoptr(Response) me_foreign = request_full (f, "GET", "/api/v1/me", DEMO_TOKEN, PRIYA, NULL, NULL);
  g_autoptr(Response) put = request_full (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, DEMO_TOKEN,
                                          NULL, "application/json", "{\"name\": \"x\"}");

  assert_message (missing, 403, "This action is unauthorized.");
  assert_message (foreign, 403, "This action is unauthorized.");
  assert_message (unknown, 403, "This action is unauthorized.");
  assert_message (me_foreign, 403, "This action is unauthorized.");
  assert_message (put, 403, "This action is unauthorized.");
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV_WELCOME), ==, "Welcome to Plannr");
  /* The demo user's second account sees its own, Northgate, conversations. */
  g_assert_cmpuint (other->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (meta (other), "total"), ==, 3);
  g_assert_cmpuint (logins->status, ==, 200);
}

/* --- identity ---------------------------------------------------------- */

static void
test_identity (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(Response) me = api (f, "GET", "/api/v1/me", NULL);
  g_autoptr(Response) me_ng = request_full (f, "GET", "/api/v1/me", DEMO_TOKEN, EL_NG, NULL, NULL);
  g_autoptr(Response) logins = api (f, "GET", "/api/v1/logins", NULL);
  g_autoptr(Response) james = request_full (f, "GET", "/api/v1/logins", JAMES_TOKEN, NULL, NULL, NULL);
  JsonObject *current, *login;

  g_assert_cmpuint (me->status, ==, 200);
  assert_json_content_type (me);
  g_assert_cmpstr (json_object_get_string_member (object (me), "uuid"), ==, DEMO_USER);
  g_assert_cmpstr (json_object_get_string_member (object (me), "name"), ==, "Eleanor Hart");
  g_assert_cmpstr (json_object_get_string_member (object (me), "first_name"), ==, "Eleanor");
  g_assert_cmpstr (json_object_get_string_member (object (me), "last_name"), ==, "Hart");
  g_assert_nonnull (json_object_get_string_member (object (me), "email"));
  g_assert_nonnull (json_object_get_string_member (object (me), "photo_url"));
  current = json_object_get_object_member (object (me), "current_account");
  g_assert_cmpstr (json_object_get_string_member (current, "uuid"), ==, EL_TW);
  g_assert_cmpstr (json_object_get_string_member (current, "type"), ==, "employee");
  g_assert_cmpstr (json_object_get_string_member (current, "role"), ==, "adviser");
  current = json_object_get_object_member (object (me_ng), "current_account");
  g_assert_cmpstr (json_object_get_string_member (current, "uuid"), ==, EL_NG);

  g_assert_cmpuint (logins->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (data (logins)), ==, 2);
  login = data_item (logins, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (login, "account"), "uuid"),
                   ==, EL_TW);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (login, "account"), "name"),
                   ==, "Eleanor Hart");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (login, "firm"), "uuid"),
                   ==, FIRM_TW);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (login, "firm"), "name"),
                   ==, "Thompson Wealth");
  login = data_item (logins, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (login, "firm"), "name"),
                   ==, "Northgate Financial Planning");
  g_assert_cmpstr (json_object_get_string_member (object (logins), "preferred_account_uuid"), ==, EL_TW);

  /* No preferred account: the key is absent. */
  g_assert_cmpuint (json_array_get_length (data (james)), ==, 1);
  g_assert_false (json_object_has_member (object (james), "preferred_account_uuid"));
}

/* --- conversations ----------------------------------------------------- */

static void
test_conversation_paging (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(Response) first = api (f, "GET", "/api/v1/conversation?sort=-latest_message&per_page=4", NULL);
  g_autoptr(Response) all = api (f, "GET", "/api/v1/conversation", NULL);
  g_autoptr(Response) second = NULL;
  g_autoptr(Response) last = NULL;
  g_autoptr(Response) beyond = api (f, "GET", "/api/v1/conversation?per_page=4&page=9", NULL);
  g_autoptr(Response) zero = api (f, "GET", "/api/v1/conversation?per_page=0", NULL);
  g_autoptr(Response) huge = api (f, "GET", "/api/v1/conversation?per_page=501", NULL);
  g_autoptr(Response) word = api (f, "GET", "/api/v1/conversation?per_page=many", NULL);
  g_autoptr(Response) max = api (f, "GET", "/api/v1/conversation?per_page=500", NULL);
  JsonObject *links;
  const char *next;

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (data (first)), ==, 4);
  g_assert_cmpint (json_object_get_int_member (meta (first), "current_page"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (meta (first), "from"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (meta (first), "to"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (meta (first), "per_page"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (meta (first), "total"), ==, EL_TW_CONVERSATIONS);
  g_assert_cmpint (json_object_get_int_member (meta (first), "last_page"), ==, 3);
  links = json_object_get_object_member (object (first), "links");
  g_assert_true (json_object_get_null_member (links, "prev"));
  next = json_object_get_string_member (links, "next");
  g_assert_true (g_str_has_prefix (next, plannr_fake_get_base_url (f->fake)));
  g_assert_nonnull (strstr (next, "page=2"));
  g_assert_nonnull (strstr (next, "per_page=4"));
  g_assert_nonnull (strstr (json_object_get_string_member (links, "first"), "page=1"));
  g_assert_nonnull (strstr (json_object_get_string_member (links, "last"), "page=3"));

  /* Following the links walks the same list. */
  second = api (f, "GET", next, NULL);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (meta (second), "current_page"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (meta (second), "from"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (data_item (second, 0), "uuid"), !=,
                   json_object_get_string_member (data_item (first, 0), "uuid"));
  last = api (f, "GET", json_object_get_string_member (json_object_get_object_member (object (second), "links"),
                                                         "next"), NULL);
  g_assert_cmpuint (json_array_get_length (data (last)), ==, 2);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (object (last), "links"), "next"));
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (object (last), "links"),
                                                   "prev"));

  /* Default: 15 per page. */
  g_assert_cmpint (json_object_get_int_member (meta (all), "per_page"), ==, 15);
  g_assert_cmpuint (json_array_get_length (data (all)), ==, EL_TW_CONVERSATIONS);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (object (all), "links"), "next"));

  g_assert_cmpuint (beyond->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (data (beyond)), ==, 0);
  g_assert_true (json_object_get_null_member (meta (beyond), "from"));

  g_assert_cmpuint (zero->status, ==, 422);
  g_assert_cmpuint (huge->status, ==, 422);
  g_assert_cmpuint (word->status, ==, 422);
  g_assert_nonnull (json_object_get_object_member (object (huge), "errors"));
  g_assert_cmpuint (max->status, ==, 200);
}

/* The uuids of a list response, in order, joined by spaces. */
static char *
list_uuids (Response *r)
{
  GString *s = g_string_new (NULL);

  g_assert_cmpuint (r->status, ==, 200);
  for (guint i = 0; i < json_array_get_length (data (r)); i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, json_object_get_string_member (data_item (r, i), "name"));
    }
  return g_string_free (s, FALSE);
}

static char *
sorted (Fixture    *f,
        const char *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/conversation", query, NULL);
  g_autoptr(Response) r = request_full (f, "GET", path, "t1", "a1", NULL, NULL);

  return list_uuids (r);
}

static void
test_conversation_sort (Fixture       *f,
                        gconstpointer  user_data)
{
  const char *both[] = { "a1", "a2", NULL };
  const char *admins[] = { "a1", NULL };
  const char *others[] = { "a2", NULL };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *m = NULL;
  g_autofree char *s = NULL;
  g_autoptr(Response) bad = NULL;

  plannr_fake_add_user (f->fake, "u1", "Ada Lovelace", "ada@example.com", "t1");
  plannr_fake_add_firm (f->fake, "f1", "Thompson Wealth");
  plannr_fake_add_account (f->fake, "a1", "u1", "f1", "Ada Lovelace", "employee");
  plannr_fake_add_account (f->fake, "a2", NULL, "f1", "Charles Babbage", "client");
  plannr_fake_set_time (f->fake, "2025-06-05T11:39:39+01:00");
  a = plannr_fake_add_conversation (f->fake, NULL, "A", both, admins);
  b = plannr_fake_add_conversation (f->fake, NULL, "B", both, admins);
  c = plannr_fake_add_conversation (f->fake, NULL, "C", both, admins);
  hidden = plannr_fake_add_conversation (f->fake, NULL, "Hidden", others, others);
  m = plannr_fake_post_message (f->fake, a, "a2", "newest activity");

  /* The documented default: latest_message ascending, oldest first. */
  s = sorted (f, "");
  g_assert_cmpstr (s, ==, "B C A");
  g_clear_pointer (&s, g_free);
  s = sorted (f, "?sort=-latest_message");
  g_assert_cmpstr (s, ==, "A C B");
  g_clear_pointer (&s, g_free);
  s = sorted (f, "?sort=created_at");
  g_assert_cmpstr (s, ==, "A B C");
  g_clear_pointer (&s, g_free);
  s = sorted (f, "?sort=-created_at");
  g_assert_cmpstr (s, ==, "C B A");
  g_clear_pointer (&s, g_free);
  s = sorted (f, "?sort=-updated_at");
  g_assert_cmpstr (s, ==, "A C B");
  g_clear_pointer (&s, g_free);

  /* Renaming moves updated_at, not the latest message. */
  g_assert_true (plannr_fake_rename_conversation (f->fake, b, "B"));
  s = sorted (f, "?sort=-updated_at");
  g_assert_cmpstr (s, ==, "B A C");
  g_clear_pointer (&s, g_free);
  s = sorted (f, "?sort=-latest_message");
  g_assert_cmpstr (s, ==, "A C B");
  g_clear_pointer (&s, g_free);

  g_assert_true (plannr_fake_set_pinned (f->fake, c, "a1", TRUE));
  s = sorted (f, "?sort=-pinned_conversations");
  g_assert_true (g_str_has_prefix (s, "C "));
  g_clear_pointer (&s, g_free);

  /* A deleted latest message no longer counts. */
  g_assert_true (plannr_fake_delete_message (f->fake, a, m));
  s = sorted (f, "?sort=-latest_message");
  g_assert_cmpstr (s, ==, "C B A");
  g_clear_pointer (&s, g_free);

  bad = request_full (f, "GET", "/api/v1/conversation?sort=name", "t1", "a1", NULL, NULL);
  g_assert_cmpuint (bad->status, ==, 400);
}

static void
test_conversation_include (Fixture       *f,
                           gconstpointer  user_data)
{
  g_autoptr(Response) plain = api (f, "GET", "/api/v1/conversation?filter[uuid]=" CONV_REVIEW, NULL);
  g_autoptr(Response) full = api (f, "GET", "/api/v1/conversation?filter[uuid]=" CONV_REVIEW "," CONV_WELCOME
                                  "&sort=created_at&include=participants,participants_count,latest_message,"
                                  "messages_count,files_count,case,tags", NULL);
  g_autoptr(Response) one = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW "?include=case,messages_count",
                                 NULL);
  g_autoptr(Response) bad = api (f, "GET", "/api/v1/conversation?include=secrets", NULL);
  g_autoptr(Response) archived = api (f, "GET", "/api/v1/conversation?filter[archived]=only", NULL);
  g_autoptr(Response) with_archived = api (f, "GET", "/api/v1/conversation?filter[archived]=with", NULL);
  g_autoptr(Response) bad_filter = api (f, "GET", "/api/v1/conversation?filter[name]=x", NULL);
  JsonObject *conv, *latest, *participant;

  g_assert_cmpuint (json_array_get_length (data (plain)), ==, 1);
  conv = data_item (plain, 0);
  g_assert_cmpstr (json_object_get_string_member (conv, "name"), ==, "Annual Review");
  g_assert_cmpstr (json_object_get_string_member (conv, "slug"), ==, "annual-review");
  g_assert_true (json_object_get_boolean_member (conv, "belongs_to_case"));
  g_assert_nonnull (json_object_get_string_member (conv, "created_at"));
  g_assert_nonnull (json_object_get_string_member (conv, "updated_at"));
  for (const char * const *m = (const char * const[]) { "participants", "participants_count",
                                                        "latest_message", "messages_count",
                                                        "files_count", "case", "tags", "pinned",
                                                        "is_admin", NULL }; *m != NULL; m++)
    g_assert_false (json_object_has_member (conv, *m));

  g_assert_cmpuint (json_array_get_length (data (full)), ==, 2);
  conv = data_item (full, 1);
  g_assert_cmpstr (json_object_get_string_member (conv, "uuid"), ==, CONV_REVIEW);
  g_assert_cmpint (json_object_get_int_member (conv, "participants_count"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (conv, "participants")), ==, 2);
  participant = json_array_get_object_element (json_object_get_array_member (conv, "participants"), 1);
  g_assert_cmpstr (json_object_get_string_member (participant, "uuid"), ==, MARGARET);
  g_assert_cmpstr (json_object_get_string_member (participant, "type"), ==, "client");
  g_assert_cmpstr (json_object_get_string_member (participant, "first_name"), ==, "Margaret");
  g_assert_true (json_object_get_boolean_member (conv, "is_admin"));
  g_assert_false (json_object_get_boolean_member (conv, "pinned"));
  /* 42 messages in the seed, one deleted. */
  g_assert_cmpint (json_object_get_int_member (conv, "messages_count"), ==, 41);
  g_assert_cmpint (json_object_get_int_member (conv, "files_count"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (conv, "case"), "name"),
                   ==, "Ellison annual review 2026");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (conv, "tags")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (conv, "tags"), 0), "colour"), ==, "#3b82f6");
  latest = json_object_get_object_member (conv, "latest_message");
  g_assert_true (json_object_get_null_member (latest, "deleted_at"));
  g_assert_nonnull (json_object_get_object_member (latest, "author"));

  /* The welcome conversation is pinned by the demo account; no case. */
  conv = data_item (full, 0);
  g_assert_true (json_object_get_boolean_member (conv, "pinned"));
  g_assert_true (json_object_get_null_member (conv, "case"));
  g_assert_false (json_object_get_boolean_member (conv, "belongs_to_case"));

  g_assert_cmpuint (one->status, ==, 200);
  g_assert_true (json_object_has_member (object (one), "case"));
  g_assert_false (json_object_has_member (object (one), "participants"));
  g_assert_cmpint (json_object_get_int_member (object (one), "messages_count"), ==, 41);

  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpuint (bad_filter->status, ==, 400);
  g_assert_cmpuint (archived->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (meta (archived), "total"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (meta (with_archived), "total"), ==, EL_TW_CONVERSATIONS);
}

static void
test_conversation_invisible (Fixture       *f,
                             gconstpointer  user_data)
{
  g_autoptr(Response) get = api (f, "GET", "/api/v1/conversation/" CONV_FEES, NULL);
  g_autoptr(Response) messages = api (f, "GET", "/api/v1/conversation/" CONV_FEES "/messages", NULL);
  g_autoptr(Response) post = api (f, "POST", "/api/v1/conversation/" CONV_FEES "/messages",
                                  "{\"contents\": \"let me in\"}");
  g_autoptr(Response) rename = api (f, "PUT", "/api/v1/conversation/" CONV_FEES, "{\"name\": \"Mine\"}");
  g_autoptr(Response) unknown = api (f, "GET", "/api/v1/conversation/not-a-uuid", NULL);
  g_autoptr(Response) james = request_full (f, "GET", "/api/v1/conversation/" CONV_FEES, JAMES_TOKEN, JAMES,
                                            NULL, NULL);
  g_autoptr(Response) list = api (f, "GET", "/api/v1/conversation?filter[uuid]=" CONV_FEES, NULL);

  assert_message (get, 404, "No query results for model [App\\Models\\Conversation] " CONV_FEES);
  g_assert_cmpuint (messages->status, ==, 404);
  g_assert_cmpuint (post->status, ==, 404);
  g_assert_cmpuint (rename->status, ==, 404);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV_FEES, "let me in"), ==, 0);
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV_FEES), ==, "Fee agreement");
  g_assert_cmpuint (james->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (meta (list), "total"), ==, 0);
}

static void
test_conversation_rename (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(Response) before = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME, NULL);
  g_autoptr(Response) ok = NULL;
  g_autoptr(Response) not_admin = api (f, "PUT", "/api/v1/conversation/" CONV_PENSION, "{\"name\": \"Mine\"}");
  g_autoptr(Response) empty = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{\"name\": \"\"}");
  g_autoptr(Response) blank = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{\"name\": \"  \\t \"}");
  g_autoptr(Response) missing = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{}");
  g_autoptr(Response) number = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{\"name\": 42}");
  g_autoptr(Response) garbage = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{\"name\": ");
  g_autoptr(Response) form = request_full (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, DEMO_TOKEN, EL_TW,
                                           "application/x-www-form-urlencoded", "name=Form");
  g_autoptr(Response) too_long = NULL;
  g_autoptr(Response) longest = NULL;
  g_autofree char *name256 = g_strnfill (256, 'x');
  g_autofree char *body256 = g_strdup_printf ("{\"name\": \"%s\"}", name256);
  g_autofree char *body255 = g_strdup_printf ("{\"name\": \"%.255s\"}", name256);

  plannr_fake_set_time (f->fake, "2030-01-01T00:00:00+00:00");
  ok = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{\"name\": \"  Welcome, Gareth  \"}");
  g_assert_cmpuint (ok->status, ==, 200);
  assert_json_content_type (ok);
  g_assert_cmpstr (json_object_get_string_member (object (ok), "uuid"), ==, CONV_WELCOME);
  g_assert_cmpstr (json_object_get_string_member (object (ok), "name"), ==, "Welcome, Gareth");
  g_assert_cmpstr (json_object_get_string_member (object (ok), "slug"), ==, "welcome-gareth");
  g_assert_true (json_object_get_boolean_member (object (ok), "is_admin"));
  g_assert_cmpstr (json_object_get_string_member (object (ok), "updated_at"), ==, "2030-01-01T00:00:00+00:00");
  g_assert_cmpstr (json_object_get_string_member (object (ok), "updated_at"), !=,
                   json_object_get_string_member (object (before), "updated_at"));
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV_WELCOME), ==, "Welcome, Gareth");

  /* The demo account takes part in the pension transfer but James is its
   * only admin. */
  assert_message (not_admin, 403, "This action is unauthorized.");
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV_PENSION), ==, "Pension transfer");

  assert_invalid (empty, "name", "The name field is required.");
  assert_invalid (blank, "name", "The name field is required.");
  assert_invalid (missing, "name", "The name field is required.");
  assert_invalid (number, "name", "The name field must be a string.");
  g_assert_cmpuint (garbage->status, ==, 400);
  g_assert_cmpuint (form->status, ==, 415);

  too_long = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, body256);
  assert_invalid (too_long, "name", "The name field must not be greater than 255 characters.");
  longest = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, body255);
  g_assert_cmpuint (longest->status, ==, 200);
}

static void
test_conversation_create (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(Response) created = api (f, "POST", "/api/v1/conversation",
                                     "{\"name\": \"Retirement planning\", \"participants\": [\"" MARGARET "\"],"
                                     " \"case\": null}");
  g_autoptr(Response) invalid = api (f, "POST", "/api/v1/conversation",
                                     "{\"name\": \"x\", \"participants\": [\"nobody\"]}");
  g_autoptr(Response) nameless = api (f, "POST", "/api/v1/conversation", "{}");
  g_autoptr(Response) pin = NULL;
  g_autoptr(Response) add = NULL;
  g_autoptr(Response) remove = NULL;
  g_autoptr(Response) add_not_admin = api (f, "POST", "/api/v1/conversation/" CONV_PENSION "/participants",
                                           "{\"participants\": [\"" MARGARET "\"]}");
  g_autofree char *path = NULL;
  const char *uuid;

  g_assert_cmpuint (created->status, ==, 201);
  uuid = json_object_get_string_member (object (created), "uuid");
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_true (json_object_get_boolean_member (object (created), "is_admin"));
  g_assert_cmpint (json_object_get_int_member (object (created), "participants_count"), ==, 2);
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, uuid), ==, "Retirement planning");
  assert_invalid (invalid, "participants.0", "The selected participants.0 is invalid.");
  assert_invalid (nameless, "name", "The name field is required.");

  path = g_strdup_printf ("/api/v1/conversation/%s/pin", uuid);
  pin = api (f, "POST", path, "{\"pin\": true}");
  g_assert_cmpuint (pin->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (object (pin), "pinned"));
  g_free (path);

  path = g_strdup_printf ("/api/v1/conversation/%s/participants", uuid);
  add = api (f, "POST", path, "{\"participants\": [\"" JAMES "\"]}");
  g_assert_cmpuint (add->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (add), "participants")), ==, 3);
  remove = api (f, "DELETE", path, "{\"participants\": [\"" MARGARET "\"]}");
  g_assert_cmpuint (remove->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (remove), "participants")), ==, 2);
  g_assert_cmpuint (add_not_admin->status, ==, 403);
}

/* --- membership ---------------------------------------------------------- */

/* As James Okafor, acting as his only account. */
static Response *
as_james (Fixture    *f,
          const char *method,
          const char *path,
          const char *json)
{
  return request_full (f, method, path, JAMES_TOKEN, JAMES, "application/json", json);
}

static guint
participants_count (PlannrFake *fake,
                    const char *conversation)
{
  g_auto(GStrv) participants = plannr_fake_get_participants (fake, conversation);

  return g_strv_length (participants);
}

static void
test_membership (Fixture       *f,
                 gconstpointer  user_data)
{
  const char *path = "/api/v1/conversation/" CONV_REVIEW "/participants";
  g_autoptr(Response) added = api (f, "POST", path, "{\"participants\": [\"" JAMES "\"]}");
  g_autoptr(Response) foreign = api (f, "POST", path, "{\"participants\": [\"" JAMES "\", \"" PRIYA "\"]}");
  g_autoptr(Response) unknown = api (f, "POST", path, "{\"participants\": [\"nobody\"]}");
  g_autoptr(Response) empty = api (f, "POST", path, "{\"participants\": []}");
  g_autoptr(Response) bare_delete = request_full (f, "DELETE", path, DEMO_TOKEN, EL_TW, NULL, NULL);
  g_autoptr(Response) empty_delete = api (f, "DELETE", path, "{}");
  g_autoptr(Response) form_delete = request_full (f, "DELETE", path, DEMO_TOKEN, EL_TW,
                                                  "application/x-www-form-urlencoded", "participants[]=x");
  g_autoptr(Response) james_adds = NULL;
  g_autoptr(Response) james_removes = NULL;
  g_autoptr(Response) james_removes_both = NULL;
  g_autoptr(Response) james_bare = NULL;
  g_autoptr(Response) james_adds_self = NULL;
  g_autoptr(Response) james_leaves = NULL;
  g_autoptr(Response) james_looks = NULL;
  g_autoptr(Response) outsider_leaves = NULL;

  g_assert_cmpuint (added->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (added), "participants")), ==, 3);
  g_assert_cmpuint (participants_count (f->fake, CONV_REVIEW), ==, 3);
  /* Priya works for Northgate: not someone Eleanor's account may add. */
  assert_invalid (foreign, "participants.1", "The selected participants.1 is invalid.");
  assert_invalid (unknown, "participants.0", "The selected participants.0 is invalid.");
  assert_invalid (empty, "participants", "The participants field is required.");
  /* DELETE needs its JSON body. */
  assert_invalid (bare_delete, "participants", "The participants field is required.");
  assert_invalid (empty_delete, "participants", "The participants field is required.");
  g_assert_cmpuint (form_delete->status, ==, 415);
  g_assert_cmpuint (participants_count (f->fake, CONV_REVIEW), ==, 3);

  /* James is a participant but no admin: he may only leave. */
  james_adds = as_james (f, "POST", path, "{\"participants\": [\"" MARGARET "\"]}");
  assert_message (james_adds, 403, "This action is unauthorized.");
  james_removes = as_james (f, "DELETE", path, "{\"participants\": [\"" MARGARET "\"]}");
  assert_message (james_removes, 403, "This action is unauthorized.");
  james_removes_both = as_james (f, "DELETE", path, "{\"participants\": [\"" JAMES "\", \"" MARGARET "\"]}");
  assert_message (james_removes_both, 403, "This action is unauthorized.");
  james_bare = request_full (f, "DELETE", path, JAMES_TOKEN, JAMES, NULL, NULL);
  assert_message (james_bare, 403, "This action is unauthorized.");
  james_adds_self = as_james (f, "POST", path, "{\"participants\": [\"" JAMES "\"]}");
  assert_message (james_adds_self, 403, "This action is unauthorized.");
  g_assert_cmpuint (participants_count (f->fake, CONV_REVIEW), ==, 3);

  james_leaves = as_james (f, "DELETE", path, "{\"participants\": [\"" JAMES "\"]}");
  g_assert_cmpuint (james_leaves->status, ==, 200);
  g_assert_cmpuint (participants_count (f->fake, CONV_REVIEW), ==, 2);
  james_looks = as_james (f, "GET", "/api/v1/conversation/" CONV_REVIEW, NULL);
  g_assert_cmpuint (james_looks->status, ==, 404);
  /* Once out, the conversation is out of reach. */
  outsider_leaves = as_james (f, "DELETE", path, "{\"participants\": [\"" JAMES "\"]}");
  g_assert_cmpuint (outsider_leaves->status, ==, 404);
}

/* The "is_admin" of @account in a conversation answer's participants. */
static gboolean
listed_admin (Response   *r,
              const char *account)
{
  JsonArray *participants = json_object_get_array_member (object (r), "participants");

  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonObject *p = json_array_get_object_element (participants, i);

      if (g_strcmp0 (json_object_get_string_member (p, "uuid"), account) == 0)
        return json_object_get_boolean_member (p, "is_admin");
    }
  g_assert_not_reached ();
}

static void
test_membership_admin (Fixture       *f,
                       gconstpointer  user_data)
{
  const char *path = "/api/v1/conversation/" CONV_REVIEW "/admin";
  g_autoptr(Response) one = api (f, "POST", path, "{\"participant\": \"" MARGARET "\"}");
  g_autoptr(Response) many = NULL;
  g_autoptr(Response) both = NULL;
  g_autoptr(Response) neither = api (f, "POST", path, "{\"participant\": null}");
  g_autoptr(Response) bare = request_full (f, "DELETE", path, DEMO_TOKEN, EL_TW, NULL, NULL);
  g_autoptr(Response) outsider = api (f, "POST", path, "{\"participant\": \"" JAMES "\"}");
  g_autoptr(Response) outsiders = api (f, "POST", path, "{\"participants\": [\"" MARGARET "\", \"" JAMES "\"]}");
  g_autoptr(Response) number = api (f, "POST", path, "{\"participant\": 7}");
  g_autoptr(Response) not_admin = api (f, "POST", "/api/v1/conversation/" CONV_PENSION "/admin",
                                       "{\"participant\": \"" EL_TW "\"}");
  g_autoptr(Response) promoted = NULL;
  g_autoptr(Response) renamed = NULL;
  g_autoptr(Response) demoted = NULL;
  g_autoptr(Response) stranger = NULL;

  g_assert_cmpuint (one->status, ==, 200);
  g_assert_true (listed_admin (one, MARGARET));
  g_assert_true (plannr_fake_is_admin (f->fake, CONV_REVIEW, MARGARET));
  many = api (f, "DELETE", path, "{\"participants\": [\"" MARGARET "\"]}");
  g_assert_cmpuint (many->status, ==, 200);
  g_assert_false (listed_admin (many, MARGARET));
  g_assert_true (listed_admin (many, EL_TW));
  g_assert_false (plannr_fake_is_admin (f->fake, CONV_REVIEW, MARGARET));
  /* Both keys, as the plugin sends them: their union. */
  both = api (f, "POST", path, "{\"participant\": \"" MARGARET "\", \"participants\": [\"" MARGARET "\"]}");
  g_assert_cmpuint (both->status, ==, 200);
  g_assert_true (plannr_fake_is_admin (f->fake, CONV_REVIEW, MARGARET));

  assert_invalid (neither, "participant", "The participant field is required when participants is not present.");
  assert_invalid (bare, "participant", "The participant field is required when participants is not present.");
  assert_invalid (outsider, "participant", "The selected participant is invalid.");
  assert_invalid (outsiders, "participants.1", "The selected participants.1 is invalid.");
  assert_invalid (number, "participant", "The selected participant is invalid.");
  assert_message (not_admin, 403, "This action is unauthorized.");
  g_assert_false (plannr_fake_is_admin (f->fake, CONV_PENSION, EL_TW));

  /* James makes Eleanor an admin of the pension transfer, elsewhere. */
  promoted = request_full (f, "POST", "/_fake/conversation/" CONV_PENSION "/admin/" EL_TW, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (promoted->status, ==, 200);
  renamed = api (f, "PUT", "/api/v1/conversation/" CONV_PENSION, "{\"name\": \"Pension transfer (DB)\"}");
  g_assert_cmpuint (renamed->status, ==, 200);
  demoted = request_full (f, "DELETE", "/_fake/conversation/" CONV_PENSION "/admin/" EL_TW, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (demoted->status, ==, 200);
  g_assert_false (plannr_fake_is_admin (f->fake, CONV_PENSION, EL_TW));
  stranger = request_full (f, "POST", "/_fake/conversation/" CONV_PENSION "/admin/" PRIYA, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (stranger->status, ==, 404);
}

/* --- people -------------------------------------------------------------- */

/* The "name" of every item of a list, joined with commas. */
static char *
names_of (Response *r)
{
  g_autoptr(GString) names = g_string_new (NULL);
  JsonArray *items = data (r);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      if (i > 0)
        g_string_append_c (names, ',');
      g_string_append (names, json_object_get_string_member (json_array_get_object_element (items, i), "name"));
    }
  return g_strdup (names->str);
}

#define assert_names(r, expected) \
  G_STMT_START { \
    g_autofree char *names_ = names_of (r); \
    g_assert_cmpuint ((r)->status, ==, 200); \
    g_assert_cmpstr (names_, ==, expected); \
  } G_STMT_END

static void
test_people_employees (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(Response) all = api (f, "GET", "/api/v1/employee", NULL);
  g_autoptr(Response) partial = api (f, "GET", "/api/v1/employee?filter[name]=OKAF", NULL);
  g_autoptr(Response) full = api (f, "GET", "/api/v1/employee?filter[name]=eleanor%20hart", NULL);
  g_autoptr(Response) across = api (f, "GET", "/api/v1/employee?filter[name]=r%20h", NULL);
  g_autoptr(Response) email = api (f, "GET", "/api/v1/employee?filter[email]=James.Okafor@", NULL);
  g_autoptr(Response) uuid = api (f, "GET", "/api/v1/employee?filter[uuid]=" JAMES "," MARGARET, NULL);
  g_autoptr(Response) desc = api (f, "GET", "/api/v1/employee?sort=-first_name", NULL);
  g_autoptr(Response) paged = api (f, "GET", "/api/v1/employee?per_page=1&page=2", NULL);
  g_autoptr(Response) bad_filter = api (f, "GET", "/api/v1/employee?filter[type]=client", NULL);
  g_autoptr(Response) bad_sort = api (f, "GET", "/api/v1/employee?sort=name", NULL);
  g_autoptr(Response) too_many = api (f, "GET", "/api/v1/employee?per_page=501", NULL);
  g_autoptr(Response) northgate = request_full (f, "GET", "/api/v1/employee", DEMO_TOKEN, EL_NG,
                                                "application/json", NULL);
  g_autoptr(Response) no_account = request_full (f, "GET", "/api/v1/employee", DEMO_TOKEN, NULL, NULL, NULL);
  g_autoptr(Response) no_token = request_full (f, "GET", "/api/v1/employee", NULL, EL_TW, NULL, NULL);
  JsonObject *james;

  /* The firm's employees only: no clients, nobody from Northgate. */
  assert_names (all, "Eleanor Hart,James Okafor");
  assert_json_content_type (all);
  g_assert_cmpint (json_object_get_int_member (meta (all), "per_page"), ==, 15);
  g_assert_cmpint (json_object_get_int_member (meta (all), "total"), ==, 2);
  james = data_item (all, 1);
  g_assert_cmpstr (json_object_get_string_member (james, "uuid"), ==, JAMES);
  g_assert_cmpstr (json_object_get_string_member (james, "first_name"), ==, "James");
  g_assert_cmpstr (json_object_get_string_member (james, "last_name"), ==, "Okafor");
  g_assert_cmpstr (json_object_get_string_member (james, "email"), ==, "james.okafor@thompsonwealth.co.uk");
  g_assert_cmpstr (json_object_get_string_member (james, "type"), ==, "employee");
  g_assert_cmpstr (json_object_get_string_member (james, "role"), ==, "adviser");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (james, "photo_url"), "https://"));

  assert_names (partial, "James Okafor");
  assert_names (full, "Eleanor Hart");
  assert_names (across, "Eleanor Hart");
  assert_names (email, "James Okafor");
  assert_names (uuid, "James Okafor");
  assert_names (desc, "James Okafor,Eleanor Hart");
  assert_names (paged, "James Okafor");
  g_assert_cmpint (json_object_get_int_member (meta (paged), "last_page"), ==, 2);
  assert_names (northgate, "Eleanor Hart,Priya Natarajan");

  assert_message (bad_filter, 400, "Requested filter(s) `type` are not allowed. "
                                   "Allowed filter(s) are `name, email, uuid`.");
  g_assert_cmpuint (bad_sort->status, ==, 400);
  assert_invalid (too_many, "per_page", "The per page field must not be greater than 500.");
  assert_message (no_account, 403, "This action is unauthorized.");
  assert_message (no_token, 401, "Unauthenticated.");
}

static void
test_people_accounts (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(Response) all = api (f, "GET", "/api/v1/account?per_page=100", NULL);
  g_autoptr(Response) clients = api (f, "GET", "/api/v1/account?filter[type]=client&sort=last_name", NULL);
  g_autoptr(Response) both = api (f, "GET", "/api/v1/account?filter[type]=employee,client&per_page=3", NULL);
  g_autoptr(Response) external = api (f, "GET", "/api/v1/account?filter[type]=external", NULL);
  g_autoptr(Response) carters = api (f, "GET", "/api/v1/account?filter[name]=carter", NULL);
  g_autoptr(Response) uuid = api (f, "GET", "/api/v1/account?filter[uuid]=" PRIYA "," MARGARET, NULL);
  g_autoptr(Response) bad_filter = api (f, "GET", "/api/v1/account?filter[email]=x", NULL);

  assert_names (all, "David Carter,Eleanor Hart,Gareth Thompson,Helen Carter,James Okafor,"
                     "Margaret Ellison,Sophie Brennan,Tom Whitfield");
  assert_names (clients, "Sophie Brennan,David Carter,Helen Carter,Margaret Ellison,Gareth Thompson,"
                         "Tom Whitfield");
  g_assert_cmpint (json_object_get_int_member (meta (both), "total"), ==, 8);
  g_assert_cmpuint (json_array_get_length (data (both)), ==, 3);
  assert_names (external, "");
  assert_names (carters, "David Carter,Helen Carter");
  /* Priya is in another firm. */
  assert_names (uuid, "Margaret Ellison");
  assert_message (bad_filter, 400, "Requested filter(s) `email` are not allowed. "
                                   "Allowed filter(s) are `type, name, uuid`.");
}

/* --- messages ---------------------------------------------------------- */

static void
test_message_post (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(Response) posted = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages",
                                    "{\"contents\": \"Hello from Pidgin <b>\"}");
  g_autoptr(Response) list = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/messages", NULL);
  g_autoptr(Response) conv = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "?include=latest_message",
                                  NULL);
  g_autoptr(Response) empty = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages",
                                   "{\"contents\": \" \"}");
  g_autoptr(Response) array = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages",
                                   "{\"contents\": [\"x\"]}");
  g_autoptr(Response) huge = NULL;
  g_autoptr(Response) one = NULL;
  g_autofree char *long_text = g_strnfill (65536, 'a');
  g_autofree char *long_body = g_strdup_printf ("{\"contents\": \"%s\"}", long_text);
  g_autofree char *path = NULL;
  JsonObject *message, *author, *user;
  const char *uuid;

  g_assert_cmpuint (posted->status, ==, 201);
  assert_json_content_type (posted);
  message = object (posted);
  uuid = json_object_get_string_member (message, "uuid");
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpstr (json_object_get_string_member (message, "contents"), ==, "Hello from Pidgin <b>");
  g_assert_false (json_object_get_boolean_member (message, "edited"));
  g_assert_true (json_object_get_null_member (message, "deleted_at"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "files")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "reactions")), ==, 0);
  g_assert_false (json_object_has_member (message, "conversation_uuid"));
  author = json_object_get_object_member (message, "author");
  g_assert_cmpstr (json_object_get_string_member (author, "uuid"), ==, EL_TW);
  g_assert_cmpstr (json_object_get_string_member (author, "name"), ==, "Eleanor Hart");
  user = json_object_get_object_member (message, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "uuid"), ==, DEMO_USER);
  g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV_WELCOME, "Hello from Pidgin <b>"), ==, 1);

  /* Newest first by default, and now the conversation's latest. */
  g_assert_cmpint (json_object_get_int_member (meta (list), "per_page"), ==, 30);
  g_assert_cmpstr (json_object_get_string_member (data_item (list, 0), "uuid"), ==, uuid);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object (conv),
                                                                                  "latest_message"),
                                                  "uuid"), ==, uuid);

  path = g_strdup_printf ("/api/v1/conversation/" CONV_WELCOME "/messages/%s", uuid);
  one = api (f, "GET", path, NULL);
  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object (one), "contents"), ==, "Hello from Pidgin <b>");

  assert_invalid (empty, "contents", "The contents field is required.");
  assert_invalid (array, "contents", "The contents field must be a string.");
  huge = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages", long_body);
  assert_invalid (huge, "contents", "The contents field must not be greater than 65535 characters.");
}

static void
test_message_edit (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autofree char *mine = plannr_fake_post_message (f->fake, CONV_REVIEW, EL_TW, "See you Tusday");
  g_autofree char *theirs = plannr_fake_post_message (f->fake, CONV_REVIEW, MARGARET, "See you then");
  g_autofree char *elsewhere = plannr_fake_post_message (f->fake, CONV_WELCOME, EL_TW, "Elsewhere");
  g_autofree char *mine_path = g_strconcat ("/api/v1/conversation/" CONV_REVIEW "/messages/", mine, NULL);
  g_autofree char *theirs_path = g_strconcat ("/api/v1/conversation/" CONV_REVIEW "/messages/", theirs, NULL);
  g_autofree char *wrong_path = g_strconcat ("/api/v1/conversation/" CONV_REVIEW "/messages/", elsewhere, NULL);
  g_autoptr(Response) edited = NULL;
  g_autoptr(Response) not_author = NULL;
  g_autoptr(Response) wrong_conv = NULL;
  g_autoptr(Response) empty = NULL;
  g_autoptr(Response) deleted = NULL;
  g_autoptr(Response) list = NULL;

  plannr_fake_set_time (f->fake, "2031-02-03T04:05:06+00:00");
  edited = api (f, "PUT", mine_path, "{\"contents\": \"See you Tuesday\"}");
  g_assert_cmpuint (edited->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object (edited), "uuid"), ==, mine);
  g_assert_cmpstr (json_object_get_string_member (object (edited), "contents"), ==, "See you Tuesday");
  g_assert_true (json_object_get_boolean_member (object (edited), "edited"));
  g_assert_cmpstr (json_object_get_string_member (object (edited), "updated_at"), ==, "2031-02-03T04:05:06+00:00");
  g_assert_cmpstr (json_object_get_string_member (object (edited), "created_at"), !=,
                   json_object_get_string_member (object (edited), "updated_at"));
  g_assert_cmpstr (plannr_fake_get_message_contents (f->fake, mine), ==, "See you Tuesday");
  g_assert_true (plannr_fake_is_message_edited (f->fake, mine));

  /* An edit does not make the message the conversation's latest: the
   * latest stays "See you then". */
  list = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW "/messages?per_page=1", NULL);
  g_assert_cmpstr (json_object_get_string_member (data_item (list, 0), "uuid"), ==, theirs);

  not_author = api (f, "PUT", theirs_path, "{\"contents\": \"Hijacked\"}");
  assert_message (not_author, 403, "This action is unauthorized.");
  g_assert_cmpstr (plannr_fake_get_message_contents (f->fake, theirs), ==, "See you then");
  g_assert_false (plannr_fake_is_message_edited (f->fake, theirs));

  wrong_conv = api (f, "PUT", wrong_path, "{\"contents\": \"x\"}");
  g_assert_cmpuint (wrong_conv->status, ==, 404);
  g_assert_cmpstr (plannr_fake_get_message_contents (f->fake, elsewhere), ==, "Elsewhere");

  empty = api (f, "PUT", mine_path, "{\"contents\": \"\"}");
  assert_invalid (empty, "contents", "The contents field is required.");

  g_assert_true (plannr_fake_delete_message (f->fake, CONV_REVIEW, mine));
  deleted = api (f, "PUT", mine_path, "{\"contents\": \"Back from the dead\"}");
  g_assert_cmpuint (deleted->status, ==, 404);
  g_assert_cmpstr (plannr_fake_get_message_contents (f->fake, mine), ==, "See you Tuesday");
}

static void
test_message_deleted (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autofree char *doomed = plannr_fake_post_message (f->fake, CONV_ISA, EL_TW, "Wrong client, sorry");
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) seeded = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW "/messages?per_page=500", NULL);
  g_autoptr(Response) count = NULL;
  JsonObject *message;
  gboolean found = FALSE;

  g_assert_true (plannr_fake_delete_message (f->fake, CONV_ISA, doomed));
  list = api (f, "GET", "/api/v1/conversation/" CONV_ISA "/messages", NULL);
  message = data_item (list, 0);
  g_assert_cmpstr (json_object_get_string_member (message, "uuid"), ==, doomed);
  g_assert_nonnull (json_object_get_string_member (message, "deleted_at"));
  g_assert_cmpstr (json_object_get_string_member (message, "contents"), ==, "Wrong client, sorry");

  /* Listed: all 42 seeded messages, the deleted one among them. */
  g_assert_cmpint (json_object_get_int_member (meta (seeded), "total"), ==, 42);
  for (guint i = 0; i < json_array_get_length (data (seeded)); i++)
    {
      message = data_item (seeded, i);
      if (g_strcmp0 (json_object_get_string_member (message, "uuid"), MSG_DELETED) == 0)
        {
          found = TRUE;
          g_assert_nonnull (json_object_get_string_member (message, "deleted_at"));
        }
      else
        g_assert_true (json_object_get_null_member (message, "deleted_at"));
    }
  g_assert_true (found);

  /* Counted: not. */
  count = api (f, "GET", "/api/v1/conversation/" CONV_ISA "?include=messages_count,latest_message", NULL);
  g_assert_cmpint (json_object_get_int_member (object (count), "messages_count"), ==, 21);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object (count),
                                                                                  "latest_message"),
                                                  "uuid"), !=, doomed);
}

static void
test_message_order (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autofree char *m1 = plannr_fake_post_message (f->fake, CONV_EMPTY, EL_TW, "one");
  g_autofree char *m2 = plannr_fake_post_message (f->fake, CONV_EMPTY, EL_TW, "two");
  g_autofree char *m3 = plannr_fake_post_message (f->fake, CONV_EMPTY, EL_TW, "three");
  g_autoptr(Response) newest = api (f, "GET", "/api/v1/conversation/" CONV_EMPTY "/messages", NULL);
  g_autoptr(Response) oldest = api (f, "GET", "/api/v1/conversation/" CONV_EMPTY "/messages?sort=created_at",
                                    NULL);
  g_autoptr(Response) paged = api (f, "GET", "/api/v1/conversation/" CONV_EMPTY "/messages?per_page=2&page=2",
                                   NULL);
  g_autoptr(Response) bad = api (f, "GET", "/api/v1/conversation/" CONV_EMPTY "/messages?sort=contents", NULL);

  /* Posted within one second, so only insertion order tells them apart. */
  g_assert_cmpstr (json_object_get_string_member (data_item (newest, 0), "uuid"), ==, m3);
  g_assert_cmpstr (json_object_get_string_member (data_item (newest, 1), "uuid"), ==, m2);
  g_assert_cmpstr (json_object_get_string_member (data_item (newest, 2), "uuid"), ==, m1);
  g_assert_cmpstr (json_object_get_string_member (data_item (oldest, 0), "uuid"), ==, m1);
  g_assert_cmpstr (json_object_get_string_member (data_item (oldest, 2), "uuid"), ==, m3);
  g_assert_cmpuint (json_array_get_length (data (paged)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (data_item (paged, 0), "uuid"), ==, m1);
  g_assert_cmpuint (bad->status, ==, 400);
}

static void
test_message_reaction (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autofree char *theirs = plannr_fake_post_message (f->fake, CONV_REVIEW, MARGARET, "Thank you!");
  g_autofree char *hidden = plannr_fake_post_message (f->fake, CONV_FEES, JAMES, "Private");
  g_autofree char *body = g_strdup_printf ("{\"reactable_type\": \"message\", \"reactable_uuid\": \"%s\","
                                           " \"reaction\": \"love\"}", theirs);
  g_autofree char *body_bad = g_strdup_printf ("{\"reactable_type\": \"message\", \"reactable_uuid\": \"%s\","
                                               " \"reaction\": \"angry\"}", theirs);
  g_autofree char *body_hidden = g_strdup_printf ("{\"reactable_type\": \"message\", \"reactable_uuid\": \"%s\","
                                                  " \"reaction\": \"like\"}", hidden);
  g_autoptr(Response) ok = api (f, "POST", "/api/v1/reaction", body);
  g_autoptr(Response) again = api (f, "POST", "/api/v1/reaction", body);
  g_autoptr(Response) bad = api (f, "POST", "/api/v1/reaction", body_bad);
  g_autoptr(Response) invisible = api (f, "POST", "/api/v1/reaction", body_hidden);
  JsonArray *reactions;
  JsonObject *reaction;

  g_assert_cmpuint (ok->status, ==, 200);
  reactions = json_object_get_array_member (object (ok), "reactions");
  g_assert_cmpuint (json_array_get_length (reactions), ==, 1);
  reaction = json_array_get_object_element (reactions, 0);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (reaction, "uuid")));
  g_assert_cmpstr (json_object_get_string_member (reaction, "reaction"), ==, "love");
  g_assert_cmpstr (json_object_get_string_member (reaction, "account_uuid"), ==, EL_TW);
  g_assert_cmpstr (json_object_get_string_member (reaction, "account_name"), ==, "Eleanor Hart");
  g_assert_nonnull (json_object_get_string_member (reaction, "created_at"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (again), "reactions")), ==, 1);
  assert_invalid (bad, "reaction", "The selected reaction is invalid.");
  g_assert_cmpuint (invisible->status, ==, 404);
}

static void
assert_one_reaction (JsonObject *message,
                     const char *reaction,
                     const char *account,
                     const char *account_name)
{
  JsonArray *reactions = json_object_get_array_member (message, "reactions");
  JsonObject *r;

  g_assert_nonnull (reactions);
  g_assert_cmpuint (json_array_get_length (reactions), ==, 1);
  r = json_array_get_object_element (reactions, 0);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (r, "uuid")));
  g_assert_cmpstr (json_object_get_string_member (r, "reaction"), ==, reaction);
  g_assert_cmpstr (json_object_get_string_member (r, "account_uuid"), ==, account);
  g_assert_cmpstr (json_object_get_string_member (r, "account_name"), ==, account_name);
  g_assert_nonnull (json_object_get_string_member (r, "created_at"));
}

static void
test_message_reaction_everywhere (Fixture       *f,
                                  gconstpointer  user_data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  g_autoptr(Response) before = NULL;
  g_autoptr(Response) one = NULL;
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) latest = NULL;
  g_autoptr(Response) edited = NULL;
  g_autoptr(Response) conversation = NULL;
  const char *updated_at;

  plannr_fake_set_time (f->fake, "2030-01-01T09:00:00+00:00");
  uuid = plannr_fake_post_message (f->fake, CONV_REVIEW, EL_TW, "Mine");
  path = g_strdup_printf ("/api/v1/conversation/" CONV_REVIEW "/messages/%s", uuid);
  before = api (f, "GET", path, NULL);
  updated_at = json_object_get_string_member (object (before), "updated_at");
  conversation = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW, NULL);

  /* Margaret reacts (on the web app): the reaction shows in every
   * answer holding the message, and nothing else moves. */
  g_assert_true (plannr_fake_react (f->fake, uuid, MARGARET, "laughing"));
  one = api (f, "GET", path, NULL);
  assert_one_reaction (object (one), "laughing", MARGARET, "Margaret Ellison");
  g_assert_cmpstr (json_object_get_string_member (object (one), "updated_at"), ==, updated_at);
  list = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW "/messages?per_page=1", NULL);
  assert_one_reaction (data_item (list, 0), "laughing", MARGARET, "Margaret Ellison");
  g_assert_cmpstr (json_object_get_string_member (data_item (list, 0), "updated_at"), ==, updated_at);
  latest = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW "?include=latest_message", NULL);
  assert_one_reaction (json_object_get_object_member (object (latest), "latest_message"),
                       "laughing", MARGARET, "Margaret Ellison");
  g_assert_cmpstr (json_object_get_string_member (object (latest), "updated_at"), ==,
                   json_object_get_string_member (object (conversation), "updated_at"));
  edited = api (f, "PUT", path, "{\"contents\": \"Mine, edited\"}");
  assert_one_reaction (object (edited), "laughing", MARGARET, "Margaret Ellison");
}

static void
test_message_inline (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 fake", 13);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = url_for (f, "/api/v1/conversation/" CONV_WELCOME "/messages/inline");
  SoupMessage *msg = new_message ("POST", url, DEMO_TOKEN, EL_TW, NULL, NULL);
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) files = NULL;
  JsonObject *file;

  soup_multipart_append_form_string (multipart, "contents", "Your plan, attached");
  soup_multipart_append_form_file (multipart, "files[]", "Financial plan.pdf", "application/pdf", pdf);
  soup_multipart_to_message (multipart, soup_message_get_request_headers (msg), &body);
  soup_message_set_request_body_from_bytes (msg, NULL, body);
  r = finish (start (f->session, msg));

  g_assert_cmpuint (r->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (object (r), "contents"), ==, "Your plan, attached");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (r), "files")), ==, 1);
  file = json_array_get_object_element (json_object_get_array_member (object (r), "files"), 0);
  g_assert_cmpstr (json_object_get_string_member (file, "filename"), ==, "Financial plan.pdf");
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, "Financial plan");
  g_assert_cmpstr (json_object_get_string_member (file, "extension"), ==, "pdf");
  g_assert_cmpstr (json_object_get_string_member (file, "type"), ==, "application/pdf");
  g_assert_cmpstr (json_object_get_string_member (file, "size"), ==, "13");
  g_assert_cmpstr (json_object_get_string_member (file, "status"), ==, "uploaded");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (file, "download_url"), "http"));

  files = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "?include=files_count", NULL);
  g_assert_cmpint (json_object_get_int_member (object (files), "files_count"), ==, 2);
}

/* --- files --------------------------------------------------------------- */

/* POSTs @multipart to M3 in @conversation as the demo user. */
static Response *
post_inline (Fixture       *f,
             const char    *conversation,
             SoupMultipart *multipart)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/conversation/%s/messages/inline",
                                          plannr_fake_get_base_url (f->fake), conversation);
  SoupMessage *msg = new_message ("POST", url, DEMO_TOKEN, EL_TW, NULL, NULL);
  g_autoptr(GBytes) body = NULL;

  soup_multipart_to_message (multipart, soup_message_get_request_headers (msg), &body);
  soup_message_set_request_body_from_bytes (msg, NULL, body);
  return finish (start (f->session, msg));
}

static JsonObject *
first_file (Response *r)
{
  return json_array_get_object_element (json_object_get_array_member (object (r), "files"), 0);
}

static void
test_files_inline_strict (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(SoupMultipart) no_files = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMultipart) lone = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMultipart) not_file = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMultipart) only_files = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) text = g_bytes_new_static ("hello\n", 6);
  g_autoptr(GBytes) png = g_bytes_new_static ("\x89PNG\r\n\x1a\n\0\0", 10);
  g_autoptr(Response) r_no_files = NULL;
  g_autoptr(Response) r_lone = NULL;
  g_autoptr(Response) r_not_file = NULL;
  g_autoptr(Response) r_only = NULL;
  g_autoptr(Response) json = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages/inline",
                                  "{\"contents\": \"x\"}");
  g_autoptr(GBytes) stored = NULL;
  guint before = plannr_fake_count_messages (f->fake, CONV_WELCOME);
  JsonArray *files;

  soup_multipart_append_form_string (no_files, "contents", "Text alone is M2's job");
  r_no_files = post_inline (f, CONV_WELCOME, no_files);
  assert_invalid (r_no_files, "files", "The files field is required.");
  soup_multipart_append_form_file (lone, "files", "a.txt", "text/plain", text);
  r_lone = post_inline (f, CONV_WELCOME, lone);
  assert_invalid (r_lone, "files", "The files field must be an array.");
  soup_multipart_append_form_file (not_file, "files[]", "a.txt", "text/plain", text);
  soup_multipart_append_form_string (not_file, "files[]", "not a file");
  r_not_file = post_inline (f, CONV_WELCOME, not_file);
  assert_invalid (r_not_file, "files.1", "The files.1 field must be a file.");
  g_assert_cmpuint (json->status, ==, 415);
  g_assert_cmpuint (plannr_fake_count_messages (f->fake, CONV_WELCOME), ==, before);

  /* Two files, no text, one part without a type. */
  soup_multipart_append_form_file (only_files, "files[]", "notes.txt", NULL, text);
  soup_multipart_append_form_file (only_files, "files[]", "pic.png", "image/png", png);
  r_only = post_inline (f, CONV_WELCOME, only_files);
  g_assert_cmpuint (r_only->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (object (r_only), "contents"), ==, "");
  files = json_object_get_array_member (object (r_only), "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0), "type"), ==,
                   "application/octet-stream");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 1), "type"), ==,
                   "image/png");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 1), "size"), ==, "10");
  stored = plannr_fake_get_file_data (f->fake, json_object_get_string_member (json_array_get_object_element (files, 1),
                                                                              "uuid"));
  g_assert_true (g_bytes_equal (stored, png));
}

/* A GET without following redirects. */
static Response *
get_no_redirect (Fixture    *f,
                 const char *url,
                 const char *token,
                 const char *account)
{
  SoupMessage *msg = new_message ("GET", url, token, account, NULL, NULL);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return finish (start (f->session, msg));
}

static void
test_files_download (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 fake", 13);
  g_autoptr(Response) posted = NULL;
  g_autoptr(Response) ok = NULL;
  g_autoptr(Response) no_token = NULL;
  g_autoptr(Response) no_account = NULL;
  g_autoptr(Response) outsider = NULL;
  g_autoptr(Response) made_up = NULL;
  g_autoptr(Response) gone = NULL;
  g_autoptr(Response) messages = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *expected_url = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *later = NULL;
  const char *url;
  const char *file_uuid;
  const PlannrFakeRequest *logged;

  soup_multipart_append_form_string (multipart, "contents", "The plan");
  soup_multipart_append_form_file (multipart, "files[]", "Financial plan.pdf", "application/pdf", pdf);
  posted = post_inline (f, CONV_WELCOME, multipart);
  g_assert_cmpuint (posted->status, ==, 201);
  file_uuid = json_object_get_string_member (first_file (posted), "uuid");
  url = json_object_get_string_member (first_file (posted), "download_url");
  expected_url = g_strdup_printf ("%s/api/v1/files/%s/download", plannr_fake_get_base_url (f->fake), file_uuid);
  g_assert_cmpstr (url, ==, expected_url);

  ok = get_no_redirect (f, url, DEMO_TOKEN, EL_TW);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (ok->body, ==, "%PDF-1.4 fake");
  g_assert_cmpstr (soup_message_headers_get_one (ok->headers, "Content-Type"), ==, "application/pdf");
  g_assert_cmpint (soup_message_headers_get_content_length (ok->headers), ==, 13);
  g_assert_true (soup_message_headers_get_content_disposition (ok->headers, &disposition, &params));
  g_assert_cmpstr (disposition, ==, "attachment");
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "Financial plan.pdf");
  logged = plannr_fake_last_request (f->fake, "GET", "/api/v1/files/*/download");
  g_assert_nonnull (logged);
  g_assert_cmpuint (logged->status, ==, 200);

  no_token = get_no_redirect (f, url, NULL, EL_TW);
  assert_message (no_token, 401, "Unauthenticated.");
  no_account = get_no_redirect (f, url, DEMO_TOKEN, NULL);
  assert_message (no_account, 403, "This action is unauthorized.");
  /* Priya takes no part in the conversation. */
  outsider = get_no_redirect (f, url, "priya-token", PRIYA);
  g_assert_cmpuint (outsider->status, ==, 404);

  /* A file added with a size only is that many made-up bytes. */
  later = plannr_fake_post_message (f->fake, CONV_WELCOME, EL_TW, "Sizes");
  g_assert_true (plannr_fake_add_file (f->fake, later, "big.bin", NULL, 1000, NULL));
  messages = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/messages?per_page=1", NULL);
  made_up = get_no_redirect (f, json_object_get_string_member (
                                  json_array_get_object_element (json_object_get_array_member (data_item (messages, 0),
                                                                                               "files"), 0),
                                  "download_url"),
                             DEMO_TOKEN, EL_TW);
  g_assert_cmpuint (made_up->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (made_up->headers), ==, 1000);
  g_assert_cmpstr (soup_message_headers_get_one (made_up->headers, "Content-Type"), ==, "application/octet-stream");

  /* The file of a deleted message is gone with it. */
  g_assert_true (plannr_fake_delete_message (f->fake, CONV_WELCOME,
                                             json_object_get_string_member (object (posted), "uuid")));
  gone = get_no_redirect (f, url, DEMO_TOKEN, EL_TW);
  g_assert_cmpuint (gone->status, ==, 404);
}

static void
test_files_storage (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) contents = g_bytes_new_static ("signed bytes", 12);
  g_autofree char *message = plannr_fake_post_message (f->fake, CONV_WELCOME, EL_TW, "On storage");
  g_autofree char *file = plannr_fake_add_file_data (f->fake, message, "statement.csv", "text/csv", contents, TRUE);
  g_autofree char *path = g_strdup_printf ("/api/v1/conversation/" CONV_WELCOME "/messages/%s", message);
  g_autoptr(Response) answer = api (f, "GET", path, NULL);
  g_autoptr(Response) plain = NULL;
  g_autoptr(Response) with_token = NULL;
  g_autoptr(Response) tampered = NULL;
  g_autoptr(Response) unsigned_ = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *bare = NULL;
  const char *url;
  GPtrArray *log;
  guint api_requests;

  g_assert_nonnull (file);
  url = json_object_get_string_member (first_file (answer), "download_url");
  g_assert_true (g_str_has_prefix (url, plannr_fake_get_storage_url (f->fake)));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  /* Another host, or at least another port. */
  g_assert_true (g_strcmp0 (g_uri_get_host (uri), "127.0.0.1") != 0
                 || !g_str_has_prefix (url, plannr_fake_get_base_url (f->fake)));

  api_requests = plannr_fake_get_requests (f->fake)->len;
  plain = get_no_redirect (f, url, NULL, NULL);
  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_cmpstr (plain->body, ==, "signed bytes");
  g_assert_cmpstr (soup_message_headers_get_one (plain->headers, "Content-Type"), ==, "text/csv");
  log = plannr_fake_get_storage_requests (f->fake);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_null (soup_message_headers_get_one (((PlannrFakeRequest *) log->pdata[0])->headers, "Authorization"));
  g_assert_cmpuint (((PlannrFakeRequest *) log->pdata[0])->status, ==, 200);

  /* The token has no business there, and the store says so. */
  with_token = get_no_redirect (f, url, DEMO_TOKEN, EL_TW);
  g_assert_cmpuint (with_token->status, ==, 400);
  g_assert_nonnull (strstr (with_token->body, "<Code>InvalidArgument</Code>"));
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpstr (soup_message_headers_get_one (((PlannrFakeRequest *) log->pdata[1])->headers, "Authorization"),
                   ==, "Bearer " DEMO_TOKEN);

  bad = g_strconcat (url, "0", NULL);
  tampered = get_no_redirect (f, bad, NULL, NULL);
  g_assert_cmpuint (tampered->status, ==, 403);
  bare = g_strndup (url, strchr (url, '?') - url);
  unsigned_ = get_no_redirect (f, bare, NULL, NULL);
  g_assert_cmpuint (unsigned_->status, ==, 403);
  /* None of it reached the API's log. */
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, api_requests);
  plannr_fake_clear_storage_requests (f->fake);
  g_assert_cmpuint (log->len, ==, 0);
}

static void
test_files_redirect (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(GBytes) contents = g_bytes_new_static ("moved", 5);
  g_autofree char *message = plannr_fake_post_message (f->fake, CONV_WELCOME, EL_TW, "Moved");
  g_autofree char *file = plannr_fake_add_file_data (f->fake, message, "moved.txt", "text/plain", contents, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/files/%s/download", plannr_fake_get_base_url (f->fake), file);
  g_autoptr(Response) redirected = NULL;
  g_autoptr(Response) followed_badly = NULL;
  g_autoptr(Response) followed_well = NULL;
  g_autoptr(Response) direct = NULL;
  const char *location;

  g_assert_true (plannr_fake_set_file_redirect (f->fake, file, TRUE));
  g_assert_false (plannr_fake_set_file_redirect (f->fake, "nope", TRUE));
  redirected = get_no_redirect (f, url, DEMO_TOKEN, EL_TW);
  g_assert_cmpuint (redirected->status, ==, 302);
  location = soup_message_headers_get_one (redirected->headers, "Location");
  g_assert_true (g_str_has_prefix (location, plannr_fake_get_storage_url (f->fake)));

  /* A client that follows with its headers is caught... */
  followed_badly = get_no_redirect (f, location, DEMO_TOKEN, EL_TW);
  g_assert_cmpuint (followed_badly->status, ==, 400);
  g_assert_cmpuint (plannr_fake_get_storage_requests (f->fake)->len, ==, 1);
  /* ...one that drops them gets the file. */
  followed_well = get_no_redirect (f, location, NULL, NULL);
  g_assert_cmpstr (followed_well->body, ==, "moved");

  g_assert_true (plannr_fake_set_file_redirect (f->fake, file, FALSE));
  direct = get_no_redirect (f, url, DEMO_TOKEN, EL_TW);
  g_assert_cmpuint (direct->status, ==, 200);
  g_assert_cmpstr (direct->body, ==, "moved");
}

static void
test_files_control (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(Response) upload = request_full (f, "POST", "/_fake/conversation/" CONV_REVIEW "/upload", NULL, NULL,
                                             "application/json",
                                             "{\"author\": \"" MARGARET "\", \"contents\": \"Signed\","
                                             " \"filename\": \"form.pdf\", \"type\": \"application/pdf\","
                                             " \"data_base64\": \"JVBERi0=\"}");
  g_autoptr(Response) stored = request_full (f, "POST", "/_fake/conversation/" CONV_REVIEW "/upload", NULL, NULL,
                                             "application/json",
                                             "{\"author\": \"" MARGARET "\", \"filename\": \"b.txt\","
                                             " \"data\": \"text\", \"storage\": true}");
  g_autoptr(Response) nameless = request_full (f, "POST", "/_fake/conversation/" CONV_REVIEW "/upload", NULL, NULL,
                                               "application/json", "{\"author\": \"" MARGARET "\", \"data\": \"x\"}");
  g_autoptr(Response) messages = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW "/messages?per_page=2", NULL);
  g_autoptr(Response) downloaded = NULL;
  g_autoptr(Response) from_storage = NULL;
  g_autoptr(Response) attached = NULL;
  g_autoptr(Response) redirect = NULL;
  g_autoptr(Response) redirected = NULL;
  g_autoptr(Response) storage_log = NULL;
  g_autoptr(Response) cleared = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  JsonObject *message;

  g_assert_cmpuint (upload->status, ==, 201);
  g_assert_cmpuint (stored->status, ==, 201);
  g_assert_cmpuint (nameless->status, ==, 400);
  /* Newest first: the stored one, then the PDF, both Margaret's. */
  message = data_item (messages, 1);
  g_assert_cmpstr (json_object_get_string_member (message, "uuid"), ==,
                   json_object_get_string_member (object (upload), "uuid"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (message, "author"), "uuid"),
                   ==, MARGARET);
  g_assert_cmpstr (json_object_get_string_member (message, "contents"), ==, "Signed");
  downloaded = get_no_redirect (f, json_object_get_string_member (object (upload), "download_url"),
                                DEMO_TOKEN, EL_TW);
  g_assert_cmpstr (downloaded->body, ==, "%PDF-");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object (stored), "download_url"),
                                   plannr_fake_get_storage_url (f->fake)));
  from_storage = get_no_redirect (f, json_object_get_string_member (object (stored), "download_url"), NULL, NULL);
  g_assert_cmpstr (from_storage->body, ==, "text");

  body = g_strdup_printf ("{\"message\": \"%s\", \"filename\": \"c.txt\", \"data\": \"more\"}",
                          json_object_get_string_member (object (upload), "uuid"));
  attached = request_full (f, "POST", "/_fake/file", NULL, NULL, "application/json", body);
  g_assert_cmpuint (attached->status, ==, 200);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (object (attached), "uuid")));
  path = g_strdup_printf ("/_fake/file/%s/redirect", json_object_get_string_member (object (attached), "uuid"));
  redirect = request_full (f, "POST", path, NULL, NULL, "application/json", "{}");
  g_assert_cmpuint (redirect->status, ==, 200);
  redirected = get_no_redirect (f, json_object_get_string_member (object (attached), "download_url"),
                                DEMO_TOKEN, EL_TW);
  g_assert_cmpuint (redirected->status, ==, 302);

  storage_log = request_full (f, "GET", "/_fake/storage-requests", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (storage_log->json)), ==, 1);
  cleared = request_full (f, "DELETE", "/_fake/storage-requests", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (cleared->status, ==, 200);
  g_assert_cmpuint (plannr_fake_get_storage_requests (f->fake)->len, ==, 0);
}

static void
test_files_documents (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) contents = g_bytes_new_static ("later", 5);
  g_autoptr(Response) before = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/documents", NULL);
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) deleted = NULL;
  g_autoptr(Response) wrapped_answer = NULL;
  g_autoptr(Response) hidden = api (f, "GET", "/api/v1/conversation/" CONV_FEES "/documents", NULL);
  g_autoptr(Response) post = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/documents", "{}");
  g_autofree char *message = NULL;
  g_autofree char *file = NULL;
  JsonArray *files;
  guint seeded;

  g_assert_cmpuint (before->status, ==, 200);
  files = json_object_get_array_member (object (before), "files");
  seeded = json_array_get_length (files);
  g_assert_cmpuint (seeded, >=, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (before), "folders")), ==, 0);
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (files, 0), "download_url"));

  message = plannr_fake_post_message (f->fake, CONV_WELCOME, EL_TW, "Another");
  file = plannr_fake_add_file_data (f->fake, message, "later.txt", "text/plain", contents, FALSE);
  after = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/documents", NULL);
  files = json_object_get_array_member (object (after), "files");
  g_assert_cmpuint (json_array_get_length (files), ==, seeded + 1);
  /* Oldest first. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, seeded), "uuid"), ==, file);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, seeded), "filename"),
                   ==, "later.txt");

  g_assert_true (plannr_fake_delete_message (f->fake, CONV_WELCOME, message));
  deleted = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/documents", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (deleted), "files")), ==, seeded);

  plannr_fake_set_wrap_resources (f->fake, TRUE);
  wrapped_answer = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/documents", NULL);
  g_assert_true (json_object_has_member (wrapped (wrapped_answer), "files"));
  g_assert_cmpuint (hidden->status, ==, 404);
  g_assert_cmpuint (post->status, ==, 405);
}

/* --- everything else ----------------------------------------------------- */

static void
test_unknown_route (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(Response) unknown = api (f, "GET", "/api/v1/conversations", NULL);
  g_autoptr(Response) root = request_full (f, "GET", "/", NULL, NULL, NULL, NULL);
  g_autoptr(Response) method = api (f, "DELETE", "/api/v1/conversation/" CONV_WELCOME, NULL);

  g_assert_cmpuint (unknown->status, ==, 404);
  assert_json_content_type (unknown);
  g_assert_nonnull (json_object_get_string_member (object (unknown), "message"));
  g_assert_cmpuint (root->status, ==, 404);
  assert_json_content_type (root);
  g_assert_cmpuint (method->status, ==, 405);
  assert_json_content_type (method);
}

static void
test_time (Fixture       *f,
           gconstpointer  user_data)
{
  g_autoptr(Response) first = NULL;
  g_autoptr(Response) second = NULL;
  g_autoptr(Response) summer = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");

  plannr_fake_set_time (f->fake, "2025-01-05T11:39:39+00:00");
  first = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages", "{\"contents\": \"a\"}");
  second = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages", "{\"contents\": \"b\"}");
  g_assert_cmpstr (json_object_get_string_member (object (first), "created_at"), ==, "2025-01-05T11:39:39+00:00");
  g_assert_cmpstr (json_object_get_string_member (object (second), "created_at"), ==, "2025-01-05T11:39:40+00:00");

  /* UK local time, as the real server writes it; UTC where the system
   * has no tzdata. */
  plannr_fake_set_time (f->fake, "2025-06-05T10:39:39Z");
  summer = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages", "{\"contents\": \"c\"}");
  if (london != NULL)
    g_assert_cmpstr (json_object_get_string_member (object (summer), "created_at"), ==,
                     "2025-06-05T11:39:39+01:00");
  else
    g_assert_cmpstr (json_object_get_string_member (object (summer), "created_at"), ==,
                     "2025-06-05T10:39:39+00:00");
  parsed = g_date_time_new_from_iso8601 (json_object_get_string_member (object (summer), "created_at"), NULL);
  g_assert_nonnull (parsed);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(Response) r1 = NULL;
  g_autoptr(Response) r2 = NULL;
  g_autoptr(Response) r3 = NULL;
  g_autoptr(Response) r4 = NULL;
  g_autoptr(Response) other_user = NULL;
  g_autoptr(Response) w1 = NULL;
  g_autoptr(Response) w2 = NULL;
  g_autoptr(Response) w3 = NULL;
  g_autoptr(Response) w4 = NULL;
  g_autoptr(Response) full = api (f, "GET", "/api/v1/me", NULL);

  g_assert_cmpuint (header_uint (full, "X-Ratelimit-Limit"), ==, 500);
  g_assert_cmpuint (header_uint (full, "X-Ratelimit-Remaining"), ==, 499);

  plannr_fake_set_rate_limit (f->fake, 3);
  r1 = api (f, "GET", "/api/v1/me", NULL);
  r2 = api (f, "GET", "/api/v1/conversation", NULL);
  r3 = request_full (f, "GET", "/api/v1/logins", DEMO_TOKEN, EL_NG, NULL, NULL);
  r4 = api (f, "GET", "/api/v1/me", NULL);
  other_user = request_full (f, "GET", "/api/v1/me", JAMES_TOKEN, JAMES, NULL, NULL);

  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_cmpuint (header_uint (r1, "X-Ratelimit-Limit"), ==, 3);
  g_assert_cmpuint (header_uint (r1, "X-Ratelimit-Remaining"), ==, 2);
  g_assert_cmpuint (header_uint (r2, "X-Ratelimit-Remaining"), ==, 1);
  /* Both accounts of one user share the budget. */
  g_assert_cmpuint (r3->status, ==, 200);
  g_assert_cmpuint (header_uint (r3, "X-Ratelimit-Remaining"), ==, 0);
  assert_message (r4, 429, "Too Many Attempts.");
  g_assert_cmpuint (header_uint (r4, "X-Ratelimit-Remaining"), ==, 0);
  g_assert_cmpuint (header_uint (r4, "Retry-After"), >=, 1);
  g_assert_cmpuint (header_uint (r4, "Retry-After"), <=, 60);
  g_assert_cmpuint (other_user->status, ==, 200);
  g_assert_cmpuint (header_uint (other_user, "X-Ratelimit-Remaining"), ==, 2);

  /* A short window to watch it end. */
  plannr_fake_set_rate_window (f->fake, 1);
  plannr_fake_set_rate_limit (f->fake, 1);
  w1 = api (f, "GET", "/api/v1/me", NULL);
  w2 = api (f, "GET", "/api/v1/me", NULL);
  g_assert_cmpuint (w1->status, ==, 200);
  g_assert_cmpuint (w2->status, ==, 429);
  g_assert_cmpuint (header_uint (w2, "Retry-After"), ==, 1);
  sleep_in_loop (1100);
  w3 = api (f, "GET", "/api/v1/me", NULL);
  g_assert_cmpuint (w3->status, ==, 200);
  g_assert_cmpuint (header_uint (w3, "X-Ratelimit-Remaining"), ==, 0);
  w4 = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages", "{\"contents\": \"over\"}");
  g_assert_cmpuint (w4->status, ==, 429);
  g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV_WELCOME, "over"), ==, 0);
}

static void
test_fault_status (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(Response) r1 = NULL;
  g_autoptr(Response) r2 = NULL;
  g_autoptr(Response) r3 = NULL;
  g_autoptr(Response) r4 = NULL;
  g_autoptr(Response) other = NULL;
  g_autoptr(Response) throttled = NULL;
  g_autoptr(Response) sticky1 = NULL;
  g_autoptr(Response) sticky2 = NULL;
  g_autoptr(Response) cleared = NULL;

  plannr_fake_add_fault (f->fake, "GET", "/api/v1/conversation", PLANNR_FAKE_FAULT_STATUS, 503, 1);
  plannr_fake_add_fault (f->fake, NULL, "/api/v1/conversation", PLANNR_FAKE_FAULT_STATUS, 500, 1);
  other = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{\"name\": \"Still works\"}");
  r1 = api (f, "GET", "/api/v1/conversation", NULL);
  r2 = api (f, "GET", "/api/v1/conversation", NULL);
  r3 = api (f, "GET", "/api/v1/conversation", NULL);

  g_assert_cmpuint (other->status, ==, 200);
  /* Faults are used up in the order they were added. */
  g_assert_cmpuint (r1->status, ==, 503);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r1->headers, "Content-Type"), "text/html"));
  g_assert_null (r1->json);
  g_assert_cmpuint (r2->status, ==, 500);
  g_assert_cmpuint (r3->status, ==, 200);

  plannr_fake_add_fault (f->fake, "GET", "/api/v1/me", PLANNR_FAKE_FAULT_STATUS, 429, 1);
  throttled = api (f, "GET", "/api/v1/me", NULL);
  assert_message (throttled, 429, "Too Many Attempts.");
  g_assert_cmpuint (header_uint (throttled, "Retry-After"), ==, 1);

  plannr_fake_add_fault (f->fake, "GET", "/api/v1/conversation/*/messages", PLANNR_FAKE_FAULT_STATUS, 502, -1);
  sticky1 = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/messages", NULL);
  sticky2 = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW "/messages", NULL);
  g_assert_cmpuint (sticky1->status, ==, 502);
  g_assert_cmpuint (sticky2->status, ==, 502);
  plannr_fake_clear_faults (f->fake);
  cleared = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/messages", NULL);
  g_assert_cmpuint (cleared->status, ==, 200);

  r4 = api (f, "GET", "/api/v1/me", NULL);
  g_assert_cmpuint (r4->status, ==, 200);
  g_assert_cmpuint (plannr_fake_last_request (f->fake, "GET", "/api/v1/conversation/*/messages")->status,
                    ==, 200);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, NULL, "/api/v1/conversation/*/messages"), ==, 3);
}

static void
test_fault_delay (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autofree char *slow_url = url_for (f, "/api/v1/conversation");
  g_autofree char *fast_url = url_for (f, "/api/v1/me");
  g_autoptr(SoupSession) other = soup_session_new ();
  g_autoptr(Response) slow = NULL;
  g_autoptr(Response) fast = NULL;
  Pending *slow_pending, *fast_pending;
  const PlannrFakeRequest *logged;

  plannr_fake_add_fault (f->fake, "GET", "/api/v1/conversation", PLANNR_FAKE_FAULT_DELAY, 1000, 1);
  slow_pending = start (f->session, new_message ("GET", slow_url, DEMO_TOKEN, EL_TW, NULL, NULL));
  /* Let the slow request reach the server before the fast one starts. */
  wait_for_request (f->fake, "GET", "/api/v1/conversation");
  logged = plannr_fake_last_request (f->fake, "GET", "/api/v1/conversation");
  g_assert_nonnull (logged);
  g_assert_cmpuint (logged->status, ==, 0);
  fast_pending = start (other, new_message ("GET", fast_url, DEMO_TOKEN, EL_TW, NULL, NULL));
  fast = finish (fast_pending);
  /* The server kept serving while the slow answer waited. */
  g_assert_cmpuint (fast->status, ==, 200);
  g_assert_false (slow_pending->done);
  g_assert_cmpuint (logged->status, ==, 0);
  slow = finish (slow_pending);
  g_assert_no_error (slow->error);
  g_assert_cmpuint (slow->status, ==, 200);
  g_assert_cmpint (slow->elapsed, >=, 990 * 1000);
  g_assert_cmpint (json_object_get_int_member (meta (slow), "total"), ==, EL_TW_CONVERSATIONS);
  g_assert_cmpuint (logged->status, ==, 200);
}

/* A delayed request whose client goes away, and a fake freed while a
 * delay is pending: neither may crash or leak. */
static void
test_fault_delay_abandoned (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = seed_path ();
  PlannrFake *fake = plannr_fake_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = NULL;
  Pending *p;

  plannr_fake_load_file (fake, seed, &error);
  g_assert_no_error (error);
  plannr_fake_listen (fake, 0, &error);
  g_assert_no_error (error);
  url = url_for (&(Fixture) { fake, NULL }, "/api/v1/me");

  plannr_fake_add_fault (fake, NULL, NULL, PLANNR_FAKE_FAULT_DELAY, 10000, -1);
  p = start (session, new_message ("GET", url, DEMO_TOKEN, EL_TW, NULL, NULL));
  wait_for_request (fake, "GET", "/api/v1/me");
  g_assert_cmpuint (plannr_fake_count_requests (fake, "GET", "/api/v1/me"), ==, 1);
  plannr_fake_clear_requests (fake);
  plannr_fake_free (fake);
  /* The client sees the connection go. */
  {
    g_autoptr(Response) r = finish (p);

    g_assert_nonnull (r->error);
  }
}

static void
test_fault_drop (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autofree char *url = url_for (f, "/api/v1/me");
  g_autoptr(Response) dropped = NULL;
  g_autoptr(Response) after = NULL;
  SoupMessage *msg;

  /* -1: a client retrying on a new connection is dropped again. */
  plannr_fake_add_fault (f->fake, "GET", "/api/v1/me", PLANNR_FAKE_FAULT_DROP, 0, -1);
  msg = new_message ("GET", url, DEMO_TOKEN, EL_TW, NULL, NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  dropped = finish (start (f->session, msg));
  g_assert_nonnull (dropped->error);
  g_assert_null (dropped->body);
  g_assert_cmpuint (plannr_fake_last_request (f->fake, "GET", "/api/v1/me")->status, ==, 0);

  plannr_fake_clear_faults (f->fake);
  after = api (f, "GET", "/api/v1/me", NULL);
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->status, ==, 200);
}

static void
test_fault_malformed (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(Response) bad = NULL;
  g_autoptr(Response) good = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  plannr_fake_add_fault (f->fake, NULL, "/api/v1/conversation*", PLANNR_FAKE_FAULT_MALFORMED, 0, 1);
  bad = api (f, "GET", "/api/v1/conversation", NULL);
  good = api (f, "GET", "/api/v1/conversation", NULL);
  g_assert_cmpuint (bad->status, ==, 200);
  assert_json_content_type (bad);
  g_assert_nonnull (bad->body);
  g_assert_false (json_parser_load_from_data (parser, bad->body, -1, NULL));
  g_assert_null (bad->json);
  g_assert_nonnull (good->json);
}

static void
test_request_log (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(Response) put = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME "?include=tags",
                                 "{\"name\": \"Logged\"}");
  g_autoptr(Response) get = api (f, "GET", "/api/v1/conversation?sort=-latest_message", NULL);
  g_autoptr(Response) control = request_full (f, "GET", "/_fake/dump", NULL, NULL, NULL, NULL);
  g_autoptr(Response) denied = request_full (f, "GET", "/api/v1/me", "bad", NULL, NULL, NULL);
  const PlannrFakeRequest *request;
  GPtrArray *requests = plannr_fake_get_requests (f->fake);

  g_assert_cmpuint (put->status, ==, 200);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpuint (control->status, ==, 200);
  g_assert_cmpuint (denied->status, ==, 401);
  /* Control calls are not logged. */
  g_assert_cmpuint (requests->len, ==, 3);
  request = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, "/api/v1/conversation/" CONV_WELCOME);
  g_assert_cmpstr (request->query, ==, "include=tags");
  g_assert_cmpstr (request->body, ==, "{\"name\": \"Logged\"}");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-PLANNR-ACCOUNT-UUID"), ==, EL_TW);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer " DEMO_TOKEN);
  g_assert_cmpuint (request->status, ==, 200);

  request = plannr_fake_last_request (f->fake, "GET", "/api/v1/conversation");
  g_assert_nonnull (request);
  g_assert_cmpstr (request->query, ==, "sort=-latest_message");
  g_assert_cmpstr (request->body, ==, "");
  request = plannr_fake_last_request (f->fake, NULL, NULL);
  g_assert_cmpstr (request->path, ==, "/api/v1/me");
  g_assert_cmpuint (request->status, ==, 401);
  g_assert_null (plannr_fake_last_request (f->fake, "DELETE", NULL));
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, NULL, "/api/v1/conversation*"), ==, 2);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", NULL), ==, 2);

  plannr_fake_clear_requests (f->fake);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 0);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, NULL, NULL), ==, 0);
}

static void
test_control (Fixture       *f,
              gconstpointer  user_data)
{
  g_autoptr(Response) posted = request_full (f, "POST", "/_fake/conversation/" CONV_REVIEW "/messages", NULL, NULL,
                                             "application/json",
                                             "{\"author\": \"" MARGARET "\", \"contents\": \"From the web app\"}");
  g_autoptr(Response) bad_author = request_full (f, "POST", "/_fake/conversation/" CONV_REVIEW "/messages", NULL,
                                                 NULL, "application/json",
                                                 "{\"author\": \"nobody\", \"contents\": \"x\"}");
  g_autoptr(Response) list = api (f, "GET", "/api/v1/conversation/" CONV_REVIEW "/messages?per_page=1", NULL);
  g_autoptr(Response) edit = NULL;
  g_autoptr(Response) react = NULL;
  g_autoptr(Response) del = NULL;
  g_autoptr(Response) rename = request_full (f, "PUT", "/_fake/conversation/" CONV_PENSION, NULL, NULL,
                                             "application/json", "{\"name\": \"DB transfer\"}");
  g_autoptr(Response) fault = request_full (f, "POST", "/_fake/faults", NULL, NULL, "application/json",
                                            "{\"method\": \"GET\", \"path\": \"/api/v1/me\", \"kind\": \"status\","
                                            " \"value\": 418, \"count\": 1}");
  g_autoptr(Response) faulted = api (f, "GET", "/api/v1/me", NULL);
  g_autoptr(Response) log = request_full (f, "GET", "/_fake/requests", NULL, NULL, NULL, NULL);
  g_autoptr(Response) clear = request_full (f, "DELETE", "/_fake/requests", NULL, NULL, NULL, NULL);
  g_autoptr(Response) dump = request_full (f, "GET", "/_fake/dump", NULL, NULL, NULL, NULL);
  g_autoptr(Response) nowhere = request_full (f, "GET", "/_fake/nowhere", NULL, NULL, NULL, NULL);
  g_autoptr(PlannrFake) copy = plannr_fake_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *react_body = NULL;
  JsonArray *entries;
  JsonObject *entry;
  const char *uuid;

  g_assert_cmpuint (posted->status, ==, 201);
  uuid = json_object_get_string_member (object (posted), "uuid");
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpuint (bad_author->status, ==, 404);
  g_assert_cmpstr (json_object_get_string_member (data_item (list, 0), "uuid"), ==, uuid);
  g_assert_cmpstr (json_object_get_string_member (data_item (list, 0), "contents"), ==, "From the web app");
  /* Margaret is a client without a login: no user. */
  g_assert_true (json_object_get_null_member (data_item (list, 0), "user"));

  path = g_strdup_printf ("/_fake/conversation/" CONV_REVIEW "/messages/%s", uuid);
  edit = request_full (f, "PUT", path, NULL, NULL, "application/json", "{\"contents\": \"Edited on the web\"}");
  g_assert_cmpuint (edit->status, ==, 200);
  g_assert_cmpstr (plannr_fake_get_message_contents (f->fake, uuid), ==, "Edited on the web");
  react_body = g_strdup_printf ("{\"message\": \"%s\", \"account\": \"" EL_TW "\", \"reaction\": \"like\"}", uuid);
  react = request_full (f, "POST", "/_fake/reaction", NULL, NULL, "application/json", react_body);
  g_assert_cmpuint (react->status, ==, 200);
  del = request_full (f, "DELETE", path, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (del->status, ==, 200);
  g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV_REVIEW, "Edited on the web"), ==, 0);

  g_assert_cmpuint (rename->status, ==, 200);
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV_PENSION), ==, "DB transfer");

  g_assert_cmpuint (fault->status, ==, 200);
  g_assert_cmpuint (faulted->status, ==, 418);

  g_assert_cmpuint (log->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (log->json));
  entries = json_node_get_array (log->json);
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  entry = json_array_get_object_element (entries, 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, "/api/v1/me");
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 418);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "headers"),
                                                  "x-plannr-account-uuid"), ==, EL_TW);
  g_assert_cmpuint (clear->status, ==, 200);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 0);

  g_assert_cmpuint (dump->status, ==, 200);
  g_assert_true (plannr_fake_load_data (copy, dump->body, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (plannr_fake_get_conversation_name (copy, CONV_PENSION), ==, "DB transfer");
  g_assert_cmpuint (nowhere->status, ==, 404);
}

/* --- response shapes ----------------------------------------------------- */

static void
test_shapes_spec (void)
{
  g_autoptr(PlannrFake) fake = plannr_fake_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *none = plannr_fake_get_shapes (fake);
  g_autofree char *all = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *some = NULL;
  static const char * const bad[] = {
    "wrap,wrpa", "clamp", "clamp=0", "clamp=501", "clamp=x", "time=local", "time=", "Laravel", NULL
  };

  g_assert_cmpstr (none, ==, "");
  g_assert_true (plannr_fake_set_shapes (fake, " wrap , ,charset,", &error));
  g_assert_no_error (error);
  some = plannr_fake_get_shapes (fake);
  g_assert_cmpstr (some, ==, "wrap,charset");

  g_assert_true (plannr_fake_set_shapes (fake, "laravel", &error));
  all = plannr_fake_get_shapes (fake);
  g_assert_cmpstr (all, ==, "wrap,clamp=15,empty-2xx,time=utc-micro,charset");

  /* A spec with a bad word changes nothing, not even its good words. */
  plannr_fake_set_clamp_per_page (fake, 0);
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *spec = g_strconcat ("clamp=7,", bad[i], NULL);

      g_assert_false (plannr_fake_set_shapes (fake, spec, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  kept = plannr_fake_get_shapes (fake);
  g_assert_cmpstr (kept, ==, "wrap,empty-2xx,time=utc-micro,charset");
}

static void
test_shapes_env (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(PlannrFake) fake = NULL;

      g_setenv ("PLANNR_FAKE_SHAPES", "wrap,empty2xx", TRUE);
      fake = plannr_fake_new ();
      return;
    }

  {
    g_autoptr(PlannrFake) fake = NULL;
    g_autofree char *spec = NULL;

    g_setenv ("PLANNR_FAKE_SHAPES", "time=utc-bare, clamp=20", TRUE);
    fake = plannr_fake_new ();
    g_unsetenv ("PLANNR_FAKE_SHAPES");
    spec = plannr_fake_get_shapes (fake);
    g_assert_cmpstr (spec, ==, "clamp=20,time=utc-bare");
  }

  /* A typo must stop the test run, not run it in the default shapes. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*PLANNR_FAKE_SHAPES*unknown shape \"empty2xx\"*");
}

static void
test_shapes_wrap (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(Response) conversation = NULL;
  g_autoptr(Response) renamed = NULL;
  g_autoptr(Response) pinned = NULL;
  g_autoptr(Response) created = NULL;
  g_autoptr(Response) posted = NULL;
  g_autoptr(Response) message = NULL;
  g_autoptr(Response) edited = NULL;
  g_autoptr(Response) reacted = NULL;
  g_autoptr(Response) me = NULL;
  g_autoptr(Response) list = NULL;
  g_autoptr(Response) logins = NULL;
  g_autoptr(Response) missing = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reaction = NULL;
  const char *uuid;

  plannr_fake_set_wrap_resources (f->fake, TRUE);
  conversation = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "?include=participants", NULL);
  g_assert_cmpuint (conversation->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (wrapped (conversation), "uuid"), ==, CONV_WELCOME);
  g_assert_true (json_object_has_member (wrapped (conversation), "participants"));
  renamed = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{\"name\": \"Wrapped\"}");
  g_assert_cmpuint (renamed->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (wrapped (renamed), "name"), ==, "Wrapped");
  pinned = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/pin", "{\"pin\": true}");
  g_assert_true (json_object_get_boolean_member (wrapped (pinned), "pinned"));
  created = api (f, "POST", "/api/v1/conversation", "{\"name\": \"New\"}");
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (wrapped (created), "name"), ==, "New");

  posted = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages", "{\"contents\": \"Hi\"}");
  g_assert_cmpuint (posted->status, ==, 201);
  uuid = json_object_get_string_member (wrapped (posted), "uuid");
  g_assert_true (g_uuid_string_is_valid (uuid));
  path = g_strdup_printf ("/api/v1/conversation/" CONV_WELCOME "/messages/%s", uuid);
  message = api (f, "GET", path, NULL);
  g_assert_cmpstr (json_object_get_string_member (wrapped (message), "contents"), ==, "Hi");
  edited = api (f, "PUT", path, "{\"contents\": \"Hello\"}");
  g_assert_true (json_object_get_boolean_member (wrapped (edited), "edited"));
  reaction = g_strdup_printf ("{\"reactable_type\": \"message\", \"reactable_uuid\": \"%s\", "
                              "\"reaction\": \"like\"}", uuid);
  reacted = api (f, "POST", "/api/v1/reaction", reaction);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (wrapped (reacted), "reactions")),
                    ==, 1);
  me = api (f, "GET", "/api/v1/me", NULL);
  g_assert_cmpstr (json_object_get_string_member (wrapped (me), "uuid"), ==, DEMO_USER);

  /* Lists are {"data": [...]} already; errors are never wrapped. */
  list = api (f, "GET", "/api/v1/conversation?per_page=2", NULL);
  g_assert_cmpuint (json_array_get_length (data (list)), ==, 2);
  g_assert_nonnull (meta (list));
  logins = api (f, "GET", "/api/v1/logins", NULL);
  g_assert_cmpuint (json_array_get_length (data (logins)), ==, 2);
  missing = api (f, "GET", "/api/v1/conversation/" CONV_FEES, NULL);
  assert_message (missing, 404, "No query results for model [App\\Models\\Conversation] " CONV_FEES);
}

static void
test_shapes_clamp (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(Response) big = NULL;
  g_autoptr(Response) next = NULL;
  g_autoptr(Response) huge = NULL;
  g_autoptr(Response) small = NULL;
  g_autoptr(Response) zero = NULL;
  g_autoptr(Response) messages = NULL;
  g_autoptr(Response) refused = api (f, "GET", "/api/v1/conversation?per_page=501", NULL);
  JsonObject *links;

  assert_invalid (refused, "per_page", "The per page field must not be greater than 500.");

  plannr_fake_set_clamp_per_page (f->fake, 4);
  big = api (f, "GET", "/api/v1/conversation?sort=created_at&per_page=100", NULL);
  g_assert_cmpuint (big->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (data (big)), ==, 4);
  g_assert_cmpint (json_object_get_int_member (meta (big), "per_page"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (meta (big), "to"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (meta (big), "last_page"), ==, (EL_TW_CONVERSATIONS + 3) / 4);
  g_assert_cmpint (json_object_get_int_member (meta (big), "total"), ==, EL_TW_CONVERSATIONS);
  links = json_object_get_object_member (object (big), "links");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (links, "next"),
                                   "/api/v1/conversation?sort=created_at&per_page=4&page=2"));
  next = api (f, "GET", json_object_get_string_member (links, "next"), NULL);
  g_assert_cmpint (json_object_get_int_member (meta (next), "from"), ==, 5);

  huge = api (f, "GET", "/api/v1/conversation?per_page=1000", NULL);
  g_assert_cmpuint (huge->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (meta (huge), "per_page"), ==, 4);
  small = api (f, "GET", "/api/v1/conversation?per_page=3", NULL);
  g_assert_cmpint (json_object_get_int_member (meta (small), "per_page"), ==, 3);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_object_get_object_member (object (small),
                                                                                                  "links"), "next"),
                                   "?per_page=3&page=2"));
  zero = api (f, "GET", "/api/v1/conversation?per_page=0", NULL);
  assert_invalid (zero, "per_page", "The per page field must be at least 1.");
  /* The default (30 for messages) is clamped too. */
  messages = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME "/messages", NULL);
  g_assert_cmpint (json_object_get_int_member (meta (messages), "per_page"), ==, 4);
  g_assert_cmpuint (json_array_get_length (data (messages)), <=, 4);
}

static void
assert_no_body (Response *r,
                guint     status)
{
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, status);
  g_assert_true (r->body == NULL || *r->body == '\0');
}

static void
test_shapes_empty (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(Response) posted = NULL;
  g_autoptr(Response) created = NULL;
  g_autoptr(Response) renamed = NULL;
  g_autoptr(Response) pinned = NULL;
  g_autoptr(Response) added = NULL;
  g_autoptr(Response) removed = NULL;
  g_autoptr(Response) got = NULL;
  g_autoptr(Response) invalid = NULL;
  g_autoptr(Response) forbidden = NULL;
  g_autoptr(Response) control = NULL;

  plannr_fake_set_empty_2xx (f->fake, TRUE);
  posted = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages", "{\"contents\": \"Quiet\"}");
  assert_no_body (posted, 201);
  g_assert_cmpstr (soup_message_headers_get_one (posted->headers, "Content-Type"), ==, "text/html; charset=UTF-8");
  g_assert_cmpint (soup_message_headers_get_content_length (posted->headers), ==, 0);
  g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV_WELCOME, "Quiet"), ==, 1);
  created = api (f, "POST", "/api/v1/conversation", "{\"name\": \"Silent\"}");
  assert_no_body (created, 201);

  renamed = api (f, "PUT", "/api/v1/conversation/" CONV_WELCOME, "{\"name\": \"Renamed quietly\"}");
  assert_no_body (renamed, 204);
  g_assert_null (soup_message_headers_get_one (renamed->headers, "Content-Type"));
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV_WELCOME), ==, "Renamed quietly");
  pinned = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/pin", "{\"pin\": true}");
  assert_no_body (pinned, 204);
  added = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/participants",
               "{\"participants\": [\"" JAMES "\"]}");
  assert_no_body (added, 204);
  removed = api (f, "DELETE", "/api/v1/conversation/" CONV_WELCOME "/participants",
                 "{\"participants\": [\"" JAMES "\"]}");
  assert_no_body (removed, 204);

  /* Reads and failures keep their bodies, and so do control routes. */
  got = api (f, "GET", "/api/v1/conversation/" CONV_WELCOME, NULL);
  g_assert_cmpstr (json_object_get_string_member (object (got), "name"), ==, "Renamed quietly");
  invalid = api (f, "POST", "/api/v1/conversation/" CONV_WELCOME "/messages", "{\"contents\": \"\"}");
  assert_invalid (invalid, "contents", "The contents field is required.");
  forbidden = api (f, "PUT", "/api/v1/conversation/" CONV_PENSION, "{\"name\": \"Mine\"}");
  assert_message (forbidden, 403, "This action is unauthorized.");
  control = request_full (f, "POST", "/_fake/conversation/" CONV_REVIEW "/messages", NULL, NULL,
                          "application/json", "{\"author\": \"" MARGARET "\", \"contents\": \"Web\"}");
  g_assert_cmpuint (control->status, ==, 201);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (object (control), "uuid")));
}

static void
test_shapes_time (Fixture       *f,
                  gconstpointer  user_data)
{
  static const struct
  {
    PlannrFakeTimeFormat format;
    const char *expected;
  } cases[] = {
    { PLANNR_FAKE_TIME_OFFSET, "2027-06-05T11:39:39+01:00" },
    { PLANNR_FAKE_TIME_UTC_MICRO, "2027-06-05T10:39:39.000000Z" },
    { PLANNR_FAKE_TIME_UTC_BARE, "2027-06-05T10:39:39" },
  };
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dump = NULL;

  plannr_fake_set_time (f->fake, "2027-06-05T10:39:39Z");
  uuid = plannr_fake_post_message (f->fake, CONV_WELCOME, EL_TW, "Timed");
  path = g_strdup_printf ("/api/v1/conversation/" CONV_WELCOME "/messages/%s", uuid);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) message = NULL;
      g_autoptr(Response) list = NULL;
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) parsed = NULL;
      const char *expected = cases[i].expected;

      /* UTC where the system has no tzdata. */
      if (cases[i].format == PLANNR_FAKE_TIME_OFFSET && london == NULL)
        expected = "2027-06-05T10:39:39+00:00";
      plannr_fake_set_time_format (f->fake, cases[i].format);
      message = api (f, "GET", path, NULL);
      g_assert_cmpstr (json_object_get_string_member (object (message), "created_at"), ==, expected);
      g_assert_cmpstr (json_object_get_string_member (object (message), "updated_at"), ==, expected);
      g_assert_true (json_object_get_null_member (object (message), "deleted_at"));
      list = api (f, "GET", "/api/v1/conversation?sort=-latest_message&per_page=1&include=latest_message", NULL);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (data_item (list, 0),
                                                                                      "latest_message"),
                                                      "created_at"), ==, expected);
      parsed = g_date_time_new_from_iso8601 (expected, utc);
      g_assert_cmpint (g_date_time_to_unix (parsed), ==, 1812191979);
    }

  /* The seed format keeps its offsets. */
  plannr_fake_set_time_format (f->fake, PLANNR_FAKE_TIME_UTC_BARE);
  dump = plannr_fake_dump (f->fake);
  g_assert_nonnull (strstr (dump, london != NULL ? "\"2027-06-05T11:39:39+01:00\"" : "\"2027-06-05T10:39:39+00:00\""));
}

static void
test_shapes_charset (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(Response) plain = api (f, "GET", "/api/v1/me", NULL);
  g_autoptr(Response) plain_control = request_full (f, "GET", "/_fake/shapes", NULL, NULL, NULL, NULL);
  g_autoptr(Response) me = NULL;
  g_autoptr(Response) missing = NULL;
  g_autoptr(Response) control = NULL;
  g_autoptr(Response) faulted = NULL;

  g_assert_cmpstr (soup_message_headers_get_one (plain->headers, "Content-Type"), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (plain_control->headers, "Content-Type"), ==, "application/json");

  plannr_fake_set_json_charset (f->fake, TRUE);
  plannr_fake_add_fault (f->fake, "GET", "/api/v1/logins", PLANNR_FAKE_FAULT_STATUS, 429, 1);
  me = api (f, "GET", "/api/v1/me", NULL);
  missing = api (f, "GET", "/api/v1/conversation/nowhere", NULL);
  control = request_full (f, "GET", "/_fake/shapes", NULL, NULL, NULL, NULL);
  faulted = api (f, "GET", "/api/v1/logins", NULL);
  {
    Response *answers[] = { me, missing, control, faulted };

    for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
      g_assert_cmpstr (soup_message_headers_get_one (answers[i]->headers, "Content-Type"), ==,
                       "application/json; charset=utf-8");
  }
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (faulted->status, ==, 429);
}

static void
test_shapes_control (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(Response) initial = request_full (f, "GET", "/_fake/shapes", NULL, NULL, NULL, NULL);
  g_autoptr(Response) laravel = request_full (f, "POST", "/_fake/shapes", NULL, NULL, "application/json",
                                              "{\"shapes\": \"laravel\"}");
  g_autoptr(Response) each = NULL;
  g_autoptr(Response) typo = NULL;
  g_autoptr(Response) bad_time = NULL;
  g_autoptr(Response) bad_spec = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) reset = NULL;
  g_autoptr(Response) me = NULL;
  g_autofree char *spec = NULL;

  g_assert_cmpuint (initial->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object (initial), "shapes"), ==, "");
  g_assert_false (json_object_get_boolean_member (object (initial), "wrap_resources"));
  g_assert_cmpint (json_object_get_int_member (object (initial), "clamp_per_page"), ==, 0);
  g_assert_false (json_object_get_boolean_member (object (initial), "empty_2xx"));
  g_assert_cmpstr (json_object_get_string_member (object (initial), "time_format"), ==, "offset");
  g_assert_false (json_object_get_boolean_member (object (initial), "json_charset"));

  g_assert_cmpuint (laravel->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object (laravel), "shapes"), ==,
                   "wrap,clamp=15,empty-2xx,time=utc-micro,charset");
  me = api (f, "GET", "/api/v1/me", NULL);
  g_assert_cmpstr (json_object_get_string_member (wrapped (me), "uuid"), ==, DEMO_USER);

  each = request_full (f, "POST", "/_fake/shapes", NULL, NULL, "application/json",
                       "{\"wrap_resources\": false, \"clamp_per_page\": 0, \"empty_2xx\": false,"
                       " \"time_format\": \"utc-bare\", \"json_charset\": false}");
  g_assert_cmpuint (each->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object (each), "shapes"), ==, "time=utc-bare");

  /* Nothing changes on a bad member, and the answer says what is known. */
  typo = request_full (f, "POST", "/_fake/shapes", NULL, NULL, "application/json",
                       "{\"json_charset\": true, \"wrap\": true}");
  g_assert_cmpuint (typo->status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (object (typo), "message"), "wrap_resources"));
  bad_time = request_full (f, "POST", "/_fake/shapes", NULL, NULL, "application/json",
                           "{\"time_format\": \"local\"}");
  g_assert_cmpuint (bad_time->status, ==, 400);
  bad_spec = request_full (f, "POST", "/_fake/shapes", NULL, NULL, "application/json",
                           "{\"shapes\": \"wrap,nope\"}");
  g_assert_cmpuint (bad_spec->status, ==, 400);
  after = request_full (f, "GET", "/_fake/shapes", NULL, NULL, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (object (after), "shapes"), ==, "time=utc-bare");

  reset = request_full (f, "DELETE", "/_fake/shapes", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (reset->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object (reset), "shapes"), ==, "");
  spec = plannr_fake_get_shapes (f->fake);
  g_assert_cmpstr (spec, ==, "");
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

static void
test_standalone (void)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "plannr-fake-server", NULL);
  g_autofree char *seed = seed_path ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autoptr(PlannrFake) dummy = plannr_fake_new ();
  Fixture f = { dummy, NULL };
  gboolean done = FALSE;

  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("plannr-fake-server not built next to the test");
      return;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program, "--port", "0", "--data", seed, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line1 = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  line2 = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line1, "base-url: http://127.0.0.1:"));
  g_assert_cmpstr (line2, ==, "token: " DEMO_TOKEN);

  f.session = soup_session_new ();
  {
    g_autofree char *url = g_strconcat (line1 + strlen ("base-url: "), "/api/v1/logins", NULL);
    g_autofree char *control = g_strconcat (line1 + strlen ("base-url: "), "/_fake/requests", NULL);
    g_autoptr(Response) r = request_full (&f, "GET", url, DEMO_TOKEN, NULL, NULL, NULL);
    g_autoptr(Response) log = request_full (&f, "GET", control, NULL, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (data (r)), ==, 2);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (log->json)), ==, 1);
  }
  g_object_unref (f.session);

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait_async (proc, NULL, wait_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

static void
test_shapes_standalone (void)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "plannr-fake-server", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocess) bad_env = NULL;
  g_autoptr(GSubprocess) bad_flag = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line1 = NULL;
  g_autofree char *err = NULL;
  g_autoptr(PlannrFake) dummy = plannr_fake_new ();
  Fixture f = { dummy, NULL };
  gboolean done = FALSE;

  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("plannr-fake-server not built next to the test");
      return;
    }

  /* The environment reaches the server, and the flags add to it. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "PLANNR_FAKE_SHAPES", "wrap", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, program, "--port", "0", "--clamp-per-page", "20",
                                      "--empty-2xx", "--time-format", "utc-bare", "--json-charset", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line1 = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line1, "base-url: http://127.0.0.1:"));

  f.session = soup_session_new ();
  {
    g_autofree char *url = g_strconcat (line1 + strlen ("base-url: "), "/_fake/shapes", NULL);
    g_autoptr(Response) r = request_full (&f, "GET", url, NULL, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==,
                     "application/json; charset=utf-8");
    g_assert_cmpstr (json_object_get_string_member (object (r), "shapes"), ==,
                     "wrap,clamp=20,empty-2xx,time=utc-bare,charset");
  }
  g_object_unref (f.session);
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait_async (proc, NULL, wait_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);

  /* A typo in either is fatal before the server says where it is. */
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "PLANNR_FAKE_SHAPES", "wrap,laravell", TRUE);
  bad_env = g_subprocess_launcher_spawn (launcher, &error, program, "--port", "0", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (bad_env, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_successful (bad_env));
  g_assert_nonnull (strstr (err, "unknown shape \"laravell\""));
  g_clear_pointer (&err, g_free);

  g_subprocess_launcher_unsetenv (launcher, "PLANNR_FAKE_SHAPES");
  bad_flag = g_subprocess_launcher_spawn (launcher, &error, program, "--port", "0", "--time-format", "local", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (bad_flag, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (bad_flag));
  g_assert_cmpint (g_subprocess_get_exit_status (bad_flag), ==, 2);
  g_assert_nonnull (strstr (err, "--time-format"));
}

int
main (int   argc,
      char *argv[])
{
  /* Loopback needs no proxy, and the desktop resolvers pull in GSettings
   * and libproxy, which upset valgrind.  No G_TEST_OPTION_ISOLATE_DIRS:
   * nothing here touches the user's dirs, and GLib leaks the isolated
   * paths, which would make LeakSanitizer fail the suite. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* These tests set the shapes they test themselves. */
  g_unsetenv ("PLANNR_FAKE_SHAPES");
  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, func) \
  g_test_add ("/fake/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define EMPTY_TEST(path, func) \
  g_test_add ("/fake/" path, Fixture, GINT_TO_POINTER (1), fixture_setup, func, fixture_teardown)

  g_test_add_func ("/fake/seed/load", test_seed_load);
  g_test_add_func ("/fake/store/api", test_store_api);
  FIXTURE_TEST ("auth/unauthenticated", test_auth_unauthenticated);
  FIXTURE_TEST ("auth/account-header", test_auth_account_header);
  FIXTURE_TEST ("identity", test_identity);
  FIXTURE_TEST ("conversation/paging", test_conversation_paging);
  EMPTY_TEST ("conversation/sort", test_conversation_sort);
  FIXTURE_TEST ("conversation/include", test_conversation_include);
  FIXTURE_TEST ("conversation/invisible", test_conversation_invisible);
  FIXTURE_TEST ("conversation/rename", test_conversation_rename);
  FIXTURE_TEST ("conversation/create", test_conversation_create);
  FIXTURE_TEST ("membership/participants", test_membership);
  FIXTURE_TEST ("membership/admin", test_membership_admin);
  FIXTURE_TEST ("people/employees", test_people_employees);
  FIXTURE_TEST ("people/accounts", test_people_accounts);
  FIXTURE_TEST ("message/post", test_message_post);
  FIXTURE_TEST ("message/edit", test_message_edit);
  FIXTURE_TEST ("message/deleted", test_message_deleted);
  FIXTURE_TEST ("message/order", test_message_order);
  FIXTURE_TEST ("message/reaction", test_message_reaction);
  FIXTURE_TEST ("message/reaction-everywhere", test_message_reaction_everywhere);
  FIXTURE_TEST ("message/inline", test_message_inline);
  FIXTURE_TEST ("files/inline-strict", test_files_inline_strict);
  FIXTURE_TEST ("files/download", test_files_download);
  FIXTURE_TEST ("files/storage", test_files_storage);
  FIXTURE_TEST ("files/redirect", test_files_redirect);
  FIXTURE_TEST ("files/control", test_files_control);
  FIXTURE_TEST ("files/documents", test_files_documents);
  FIXTURE_TEST ("unknown-route", test_unknown_route);
  FIXTURE_TEST ("time", test_time);
  FIXTURE_TEST ("rate-limit", test_rate_limit);
  FIXTURE_TEST ("fault/status", test_fault_status);
  FIXTURE_TEST ("fault/delay", test_fault_delay);
  g_test_add_func ("/fake/fault/delay-abandoned", test_fault_delay_abandoned);
  FIXTURE_TEST ("fault/drop", test_fault_drop);
  FIXTURE_TEST ("fault/malformed", test_fault_malformed);
  FIXTURE_TEST ("request-log", test_request_log);
  FIXTURE_TEST ("control", test_control);
  g_test_add_func ("/fake/standalone", test_standalone);
  g_test_add_func ("/fake/shapes/spec", test_shapes_spec);
  g_test_add_func ("/fake/shapes/env", test_shapes_env);
  FIXTURE_TEST ("shapes/wrap", test_shapes_wrap);
  FIXTURE_TEST ("shapes/clamp", test_shapes_clamp);
  FIXTURE_TEST ("shapes/empty-2xx", test_shapes_empty);
  FIXTURE_TEST ("shapes/time", test_shapes_time);
  FIXTURE_TEST ("shapes/charset", test_shapes_charset);
  FIXTURE_TEST ("shapes/control", test_shapes_control);
  g_test_add_func ("/fake/shapes/standalone", test_shapes_standalone);

  return g_test_run ();
}
