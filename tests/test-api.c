/* test-api.c: the api layer against the in-process fake Plannr
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every test starts a fake server on an ephemeral loopback port, points
 * a PlannrApi at it and drives this thread's main context until the
 * callbacks it waits for have run (at most 10 s each).  What went over
 * the wire is checked in the fake's request log.  A few answers the fake
 * cannot give (a list without paging members, an oversized chunked
 * body, HTML with status 200, a body that trickles in for seconds) come
 * from a bare SoupServer instead.
 */

#include "config.h"

#include <string.h>

#include "plannr-api.h"
#include "plannr-error.h"
#include "plannr-fake.h"
#include "plannr-wait.h"

#define TOKEN "tok-ada"
#define OTHER_TOKEN "tok-james"
#define USER "47eaa099-2cb6-416d-86dc-283cf0480ff9"
#define OTHER_USER "1509bb0a-9bf1-4331-8a11-8783593942a4"
#define FIRM "5d32fe61-985f-44e7-aa09-5ee82bb29976"
#define FIRM2 "9a1e40b4-5815-4a99-99e2-d15364c7a500"
/* Ada acts as ACCOUNT; ACCOUNT2 is her login in another firm. */
#define ACCOUNT "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d"
#define ACCOUNT2 "142c8364-7806-4577-93e7-83e7eb04b39b"
#define OTHER_ACCOUNT "3b041641-1788-44f2-a60d-f25453fe2e85"
#define CLIENT "dae775c4-9f9d-4545-a16a-34310712f355"
/* CONV has Ada as admin; in CONV_NOT_ADMIN she is a plain participant. */
#define CONV "36b8523d-2736-4864-ac6c-ef9839888e75"
#define CONV_NOT_ADMIN "5ed62656-7cce-473a-8421-1117e37cf3cc"
#define MISSING "a0ae608c-b9eb-40c0-99ed-b149efef4ff2"
#define EXTRA_CONVERSATIONS 5
#define USER_AGENT "purple-plannr/" PACKAGE_VERSION

/* --- waiting for callbacks -------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
  gint64        finished_at;   /* monotonic µs */
} Call;

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;

  g_assert_null (call->result);
  call->result = g_object_ref (result);
  call->finished_at = g_get_monotonic_time ();
}

static void
call_clear (Call *call)
{
  g_clear_object (&call->result);
  call->finished_at = 0;
}

/* Longer than any call here takes, even under valgrind: a test that
 * waits this long fails rather than hanging the suite. */
#define API_WAIT_MS 10000

static gboolean
call_done (gpointer data)
{
  return ((Call *) data)->result != NULL;
}

static void
wait_call (Call *call)
{
  g_assert_true (plannr_wait_until (call_done, call, API_WAIT_MS));
}

typedef struct
{
  Call  *calls;
  guint  n;
} Calls;

static gboolean
calls_done (gpointer data)
{
  Calls *c = data;

  for (guint i = 0; i < c->n; i++)
    if (c->calls[i].result == NULL)
      return FALSE;
  return TRUE;
}

static void
wait_calls (Call  *calls,
            guint  n)
{
  Calls c = { calls, n };

  g_assert_true (plannr_wait_until (calls_done, &c, API_WAIT_MS));
}

/* --- the fixture -------------------------------------------------------- */

typedef struct
{
  PlannrFake *fake;
  PlannrApi  *api;
} Fixture;

static void
seed (PlannrFake *fake)
{
  const char *both[] = { ACCOUNT, CLIENT, OTHER_ACCOUNT, NULL };
  const char *admins[] = { ACCOUNT, NULL };
  const char *pair[] = { ACCOUNT, OTHER_ACCOUNT, NULL };
  const char *other_admins[] = { OTHER_ACCOUNT, NULL };
  g_autofree char *conv = NULL;
  g_autofree char *conv2 = NULL;

  plannr_fake_set_time (fake, "2025-06-05T10:00:00+01:00");
  plannr_fake_add_user (fake, USER, "Ada Lovelace", "ada@example.com", TOKEN);
  plannr_fake_add_user (fake, OTHER_USER, "James Okafor", "james@example.com", OTHER_TOKEN);
  plannr_fake_add_firm (fake, FIRM, "Thompson Wealth");
  plannr_fake_add_firm (fake, FIRM2, "Northgate Financial Planning");
  plannr_fake_add_account (fake, ACCOUNT, USER, FIRM, "Ada Lovelace", "employee");
  plannr_fake_add_account (fake, ACCOUNT2, USER, FIRM2, "Ada Lovelace", "employee");
  plannr_fake_add_account (fake, OTHER_ACCOUNT, OTHER_USER, FIRM, "James Okafor", "employee");
  plannr_fake_add_account (fake, CLIENT, NULL, FIRM, "Gareth Thompson", "client");
  plannr_fake_set_preferred_account (fake, USER, ACCOUNT2);

  conv = plannr_fake_add_conversation (fake, CONV, "Welcome to Plannr", both, admins);
  conv2 = plannr_fake_add_conversation (fake, CONV_NOT_ADMIN, "James's conversation", pair, other_admins);
  g_assert_cmpstr (conv, ==, CONV);
  g_assert_cmpstr (conv2, ==, CONV_NOT_ADMIN);
  for (guint i = 0; i < EXTRA_CONVERSATIONS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Extra %u", i);
      g_autofree char *uuid = plannr_fake_add_conversation (fake, NULL, name, pair, admins);

      g_assert_nonnull (uuid);
    }
}

static PlannrApi *
api_for (PlannrFake *fake,
         const char *token)
{
  g_autoptr(GError) error = NULL;
  PlannrApi *api = plannr_api_new (plannr_fake_get_base_url (fake), token, &error);

  g_assert_no_error (error);
  g_assert_nonnull (api);
  plannr_api_set_account_uuid (api, ACCOUNT);
  /* Retries in milliseconds rather than seconds keep the suite fast. */
  plannr_api_set_retry_delay (api, 10);
  return api;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->fake = plannr_fake_new ();
  seed (f->fake);
  g_assert_true (plannr_fake_listen (f->fake, 0, &error));
  g_assert_no_error (error);
  f->api = api_for (f->fake, TOKEN);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->api != NULL)
    {
      plannr_api_shutdown (f->api);
      plannr_wait_pending ();
      g_clear_object (&f->api);
    }
  plannr_wait_pending ();
  plannr_fake_free (f->fake);
  plannr_wait_pending ();
}

#define TEST(path, func) \
  g_test_add ("/api/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

static const PlannrFakeRequest *
request_at (PlannrFake *fake,
            guint       index)
{
  GPtrArray *requests = plannr_fake_get_requests (fake);

  g_assert_cmpuint (index, <, requests->len);
  return g_ptr_array_index (requests, index);
}

static const char *
header (const PlannrFakeRequest *request,
        const char             *name)
{
  return soup_message_headers_get_one (request->headers, name);
}

/* The request body as JSON, which must be an object with exactly the
 * one string member @name; returns its value. */
static char *
body_single_member (const PlannrFakeRequest *request,
                    const char              *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj;

  g_assert_true (json_parser_load_from_data (parser, request->body, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  obj = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (obj), ==, 1);
  g_assert_true (json_object_has_member (obj, name));
  return g_strdup (json_object_get_string_member (obj, name));
}

/* A query parameter of a logged request, or NULL. */
static char *
query_param (const PlannrFakeRequest *request,
             const char              *name)
{
  g_autoptr(GHashTable) form = NULL;

  if (request->query == NULL)
    return NULL;
  form = soup_form_decode (request->query);
  return g_strdup (g_hash_table_lookup (form, name));
}

static char *
post_as (PlannrFake *fake,
         const char *account,
         const char *contents)
{
  char *uuid = plannr_fake_post_message (fake, CONV, account, contents);

  g_assert_nonnull (uuid);
  return uuid;
}

/* --- headers and identity --------------------------------------------- */

static void
assert_common_headers (const PlannrFakeRequest *request)
{
  g_assert_cmpstr (header (request, "Authorization"), ==, "Bearer " TOKEN);
  g_assert_cmpstr (header (request, "Accept"), ==, "application/json");
  g_assert_cmpstr (header (request, "X-PLANNR-ACCOUNT-UUID"), ==, ACCOUNT);
  g_assert_cmpstr (header (request, "User-Agent"), ==, USER_AGENT);
}

static void
test_headers (Fixture       *f,
              gconstpointer  data)
{
  Call get = { 0 }, put = { 0 }, post = { 0 };
  g_autoptr(GError) error = NULL;
  const PlannrFakeRequest *request;

  plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_POLL, CONV, NULL, call_cb, &get);
  wait_call (&get);
  plannr_api_rename_conversation_async (f->api, CONV, "Renamed", call_cb, &put);
  wait_call (&put);
  plannr_api_send_message_async (f->api, CONV, "Hello", call_cb, &post);
  wait_call (&post);

  {
    g_autoptr(PlannrConversation) a = plannr_api_get_conversation_finish (f->api, get.result, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(PlannrConversation) b = plannr_api_rename_conversation_finish (f->api, put.result, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(PlannrMessage) c = plannr_api_send_message_finish (f->api, post.result, &error);
    g_assert_no_error (error);
  }

  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 3);

  request = request_at (f->fake, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  assert_common_headers (request);
  /* No body, so no Content-Type. */
  g_assert_null (header (request, "Content-Type"));

  request = request_at (f->fake, 1);
  g_assert_cmpstr (request->method, ==, "PUT");
  assert_common_headers (request);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/json");

  request = request_at (f->fake, 2);
  g_assert_cmpstr (request->method, ==, "POST");
  assert_common_headers (request);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/json");

  call_clear (&get);
  call_clear (&put);
  call_clear (&post);
}

static void
test_get_me (Fixture       *f,
             gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrUser) user = NULL;
  g_autoptr(PlannrApi) bare = api_for (f->fake, TOKEN);

  plannr_api_get_me_async (f->api, call_cb, &call);
  wait_call (&call);
  user = plannr_api_get_me_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->uuid, ==, USER);
  g_assert_cmpstr (user->name, ==, "Ada Lovelace");
  g_assert_cmpstr (user->email, ==, "ada@example.com");
  g_assert_cmpstr (user->current_account_uuid, ==, ACCOUNT);
  g_assert_cmpstr (request_at (f->fake, 0)->path, ==, "/api/v1/me");
  call_clear (&call);
  g_clear_pointer (&user, plannr_user_free);

  /* Before an account is chosen, no account header at all. */
  plannr_api_set_account_uuid (bare, NULL);
  g_assert_null (plannr_api_get_account_uuid (bare));
  plannr_api_get_me_async (bare, call_cb, &call);
  wait_call (&call);
  user = plannr_api_get_me_finish (bare, call.result, &error);
  g_assert_no_error (error);
  g_assert_null (header (request_at (f->fake, 1), "X-PLANNR-ACCOUNT-UUID"));
  g_assert_cmpstr (header (request_at (f->fake, 1), "Authorization"), ==, "Bearer " TOKEN);
  call_clear (&call);
  plannr_api_shutdown (bare);
}

static void
test_get_logins (Fixture       *f,
                 gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrLogins) logins = NULL;
  const PlannrLogin *login;

  plannr_api_get_logins_async (f->api, call_cb, &call);
  wait_call (&call);
  logins = plannr_api_get_logins_finish (f->api, call.result, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (request_at (f->fake, 0)->path, ==, "/api/v1/logins");
  g_assert_cmpstr (logins->preferred_account_uuid, ==, ACCOUNT2);
  g_assert_cmpuint (logins->logins->len, ==, 2);
  login = g_ptr_array_index (logins->logins, 0);
  g_assert_cmpstr (login->account_uuid, ==, ACCOUNT);
  g_assert_cmpstr (login->account_name, ==, "Ada Lovelace");
  g_assert_cmpstr (login->firm_name, ==, "Thompson Wealth");
  login = g_ptr_array_index (logins->logins, 1);
  g_assert_cmpstr (login->account_uuid, ==, ACCOUNT2);
  g_assert_cmpstr (login->firm_name, ==, "Northgate Financial Planning");
  call_clear (&call);
}

/* --- conversations ------------------------------------------------------ */

static PlannrPage *
list_conversations (Fixture    *f,
                    guint       page,
                    guint       per_page,
                    const char *sort,
                    const char *include)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  PlannrPage *result;

  plannr_api_list_conversations_async (f->api, PLANNR_PRIORITY_POLL, page, per_page, sort,
                                       include, call_cb, &call);
  wait_call (&call);
  result = plannr_api_list_conversations_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  call_clear (&call);
  return result;
}

static void
test_list_conversations_paging (Fixture       *f,
                                gconstpointer  data)
{
  guint total = 2 + EXTRA_CONVERSATIONS;
  guint per_page = 3;
  guint pages = (total + per_page - 1) / per_page;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const PlannrFakeRequest *request;

  for (guint n = 1; n <= pages; n++)
    {
      g_autoptr(PlannrPage) page = list_conversations (f, n, per_page, NULL,
                                                       "participants,latest_message");

      g_assert_cmpuint (page->current_page, ==, n);
      g_assert_cmpuint (page->last_page, ==, pages);
      g_assert_cmpuint (page->items->len, ==, n < pages ? per_page : total - per_page * (pages - 1));
      /* More pages until the last one. */
      g_assert_cmpint (page->has_next, ==, n < pages);
      for (guint i = 0; i < page->items->len; i++)
        {
          PlannrConversation *conv = g_ptr_array_index (page->items, i);

          /* The include reached the server. */
          g_assert_nonnull (conv->participants);
          g_assert_true (g_hash_table_add (seen, g_strdup (conv->uuid)));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, total);

  /* Explicit sort (newest first) even when the caller gave none. */
  request = request_at (f->fake, 0);
  g_assert_cmpstr (request->path, ==, "/api/v1/conversation");
  {
    g_autofree char *sort = query_param (request, "sort");
    g_autofree char *per = query_param (request, "per_page");
    g_autofree char *page = query_param (request, "page");
    g_autofree char *include = query_param (request, "include");

    g_assert_cmpstr (sort, ==, "-latest_message");
    g_assert_cmpstr (per, ==, "3");
    g_assert_cmpstr (page, ==, "1");
    g_assert_cmpstr (include, ==, "participants,latest_message");
  }
  {
    g_autofree char *page = query_param (request_at (f->fake, pages - 1), "page");
    g_autofree char *expected = g_strdup_printf ("%u", pages);

    g_assert_cmpstr (page, ==, expected);
  }
}

static void
test_list_conversations_sort (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(PlannrPage) oldest = list_conversations (f, 1, 50, "created_at", NULL);
  g_autoptr(PlannrPage) newest = list_conversations (f, 1, 50, "-created_at", NULL);
  guint n = oldest->items->len;

  {
    g_autofree char *sort = query_param (request_at (f->fake, 0), "sort");

    g_assert_cmpstr (sort, ==, "created_at");
  }
  {
    g_autofree char *sort = query_param (request_at (f->fake, 1), "sort");

    g_assert_cmpstr (sort, ==, "-created_at");
  }
  /* No include asked for, none sent. */
  g_assert_null (query_param (request_at (f->fake, 0), "include"));

  g_assert_cmpuint (n, ==, 2 + EXTRA_CONVERSATIONS);
  g_assert_cmpuint (newest->items->len, ==, n);
  g_assert_cmpstr (((PlannrConversation *) oldest->items->pdata[0])->uuid, ==, CONV);
  g_assert_cmpstr (((PlannrConversation *) newest->items->pdata[n - 1])->uuid, ==, CONV);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (((PlannrConversation *) oldest->items->pdata[i])->uuid, ==,
                     ((PlannrConversation *) newest->items->pdata[n - 1 - i])->uuid);
  g_assert_false (oldest->has_next);
}

static void
test_get_conversation (Fixture       *f,
                       gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;
  g_autofree char *message = post_as (f->fake, CLIENT, "Latest words");
  const PlannrFakeRequest *request;
  gboolean found_client = FALSE;

  plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, CONV,
                                     "participants,latest_message", call_cb, &call);
  wait_call (&call);
  conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
  g_assert_no_error (error);

  request = request_at (f->fake, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/api/v1/conversation/" CONV);
  g_assert_cmpstr (request->query, ==, "include=participants,latest_message");

  g_assert_cmpstr (conv->uuid, ==, CONV);
  g_assert_cmpstr (conv->name, ==, "Welcome to Plannr");
  g_assert_nonnull (conv->participants);
  g_assert_cmpuint (conv->participants->len, ==, 3);
  for (guint i = 0; i < conv->participants->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (conv->participants, i);

      if (g_strcmp0 (person->uuid, CLIENT) == 0)
        {
          g_assert_cmpstr (person->name, ==, "Gareth Thompson");
          found_client = TRUE;
        }
    }
  g_assert_true (found_client);
  /* Ada is an admin of CONV, as the acting account. */
  g_assert_true (conv->is_admin);
  g_assert_nonnull (conv->latest_message);
  g_assert_cmpstr (conv->latest_message->uuid, ==, message);
  g_assert_cmpstr (conv->latest_message->contents, ==, "Latest words");
  call_clear (&call);
}

static void
test_rename_conversation (Fixture       *f,
                          gconstpointer  data)
{
  /* Quotes, a backslash and non-ASCII must survive the JSON body. */
  static const char *name = "Annual Review \"Q3\" \\ caf\xc3\xa9 \xe2\x98\xba";
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;
  const PlannrFakeRequest *request;
  g_autofree char *sent = NULL;

  plannr_api_rename_conversation_async (f->api, CONV, "Annual Review", call_cb, &call);
  wait_call (&call);
  conv = plannr_api_rename_conversation_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  request = request_at (f->fake, 0);
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, "/api/v1/conversation/" CONV);
  /* Exactly the body of seed 000. */
  g_assert_cmpstr (request->body, ==, "{\"name\":\"Annual Review\"}");
  g_assert_cmpstr (conv->name, ==, "Annual Review");
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV), ==, "Annual Review");
  call_clear (&call);
  g_clear_pointer (&conv, plannr_conversation_free);

  plannr_api_rename_conversation_async (f->api, CONV, name, call_cb, &call);
  wait_call (&call);
  conv = plannr_api_rename_conversation_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  sent = body_single_member (request_at (f->fake, 1), "name");
  g_assert_cmpstr (sent, ==, name);
  g_assert_cmpstr (conv->name, ==, name);
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV), ==, name);
  call_clear (&call);
}

/* --- messages ----------------------------------------------------------- */

static PlannrPage *
list_messages (Fixture *f,
               guint    page,
               guint    per_page)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  PlannrPage *result;

  plannr_api_list_messages_async (f->api, PLANNR_PRIORITY_POLL, CONV, page, per_page,
                                  call_cb, &call);
  wait_call (&call);
  result = plannr_api_list_messages_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  call_clear (&call);
  return result;
}

static void
test_list_messages (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *one = post_as (f->fake, CLIENT, "one");
  g_autofree char *two = post_as (f->fake, ACCOUNT, "two");
  g_autofree char *three = post_as (f->fake, CLIENT, "three");
  g_autoptr(PlannrPage) first = list_messages (f, 1, 2);
  g_autoptr(PlannrPage) second = list_messages (f, 2, 2);
  const PlannrFakeRequest *request = request_at (f->fake, 0);
  PlannrMessage *message;

  g_assert_cmpstr (request->path, ==, "/api/v1/conversation/" CONV "/messages");
  {
    g_autofree char *sort = query_param (request, "sort");
    g_autofree char *per_page = query_param (request, "per_page");

    g_assert_cmpstr (sort, ==, "-created_at");
    g_assert_cmpstr (per_page, ==, "2");
  }

  /* Newest first. */
  g_assert_cmpuint (first->items->len, ==, 2);
  g_assert_true (first->has_next);
  message = g_ptr_array_index (first->items, 0);
  g_assert_cmpstr (message->uuid, ==, three);
  g_assert_cmpstr (message->contents, ==, "three");
  g_assert_cmpstr (message->author->uuid, ==, CLIENT);
  g_assert_cmpstr (message->author->name, ==, "Gareth Thompson");
  message = g_ptr_array_index (first->items, 1);
  g_assert_cmpstr (message->uuid, ==, two);
  g_assert_cmpstr (message->author->uuid, ==, ACCOUNT);
  g_assert_cmpint (g_date_time_compare (((PlannrMessage *) first->items->pdata[0])->created_at,
                                        message->created_at), >, 0);

  g_assert_cmpuint (second->items->len, ==, 1);
  g_assert_false (second->has_next);
  g_assert_cmpstr (((PlannrMessage *) second->items->pdata[0])->uuid, ==, one);
}

static void
test_send_message (Fixture       *f,
                   gconstpointer  data)
{
  static const char *text = "Hello \"there\"\nsecond line <b>not markup</b>";
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;
  const PlannrFakeRequest *request;
  g_autofree char *sent = NULL;

  plannr_api_send_message_async (f->api, CONV, text, call_cb, &call);
  wait_call (&call);
  message = plannr_api_send_message_finish (f->api, call.result, &error);

  request = request_at (f->fake, 0);
  /* The fake, like Laravel, answers 201 Created: that is success. */
  g_assert_cmpuint (request->status, ==, 201);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/api/v1/conversation/" CONV "/messages");
  sent = body_single_member (request, "contents");
  g_assert_cmpstr (sent, ==, text);
  g_assert_true (plannr_uuid_is_valid (message->uuid));
  g_assert_cmpstr (message->contents, ==, text);
  g_assert_cmpstr (message->author->uuid, ==, ACCOUNT);
  g_assert_false (message->edited);
  g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV, text), ==, 1);
  g_assert_cmpstr (plannr_fake_get_message_contents (f->fake, message->uuid), ==, text);
  call_clear (&call);
}

static void
test_edit_message (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *uuid = post_as (f->fake, ACCOUNT, "Hello, welcome to Plannr");
  g_autofree char *path = g_strdup_printf ("/api/v1/conversation/%s/messages/%s", CONV, uuid);
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;
  const PlannrFakeRequest *request;

  g_assert_false (plannr_fake_is_message_edited (f->fake, uuid));
  plannr_api_edit_message_async (f->api, CONV, uuid, "Hello, welcome to Plannr.", call_cb, &call);
  wait_call (&call);
  message = plannr_api_edit_message_finish (f->api, call.result, &error);
  g_assert_no_error (error);

  request = request_at (f->fake, 0);
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, path);
  /* Exactly the body of seed 002. */
  g_assert_cmpstr (request->body, ==, "{\"contents\":\"Hello, welcome to Plannr.\"}");
  g_assert_cmpstr (message->uuid, ==, uuid);
  g_assert_cmpstr (message->contents, ==, "Hello, welcome to Plannr.");
  g_assert_true (message->edited);
  g_assert_true (plannr_fake_is_message_edited (f->fake, uuid));
  g_assert_cmpstr (plannr_fake_get_message_contents (f->fake, uuid), ==, "Hello, welcome to Plannr.");
  call_clear (&call);
}

/* --- status codes ------------------------------------------------------- */

static void
test_status_401 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(PlannrApi) api = api_for (f->fake, "not-a-token");
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrUser) user = NULL;

  plannr_api_get_me_async (api, call_cb, &call);
  wait_call (&call);
  user = plannr_api_get_me_finish (api, call.result, &error);
  g_assert_null (user);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 401);
  /* Not worth retrying, and not ambiguous. */
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
  g_assert_false (plannr_error_is_ambiguous (error));
  call_clear (&call);
  plannr_api_shutdown (api);
}

static void
test_status_403 (Fixture       *f,
                 gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;

  /* Only admins may rename. */
  plannr_api_rename_conversation_async (f->api, CONV_NOT_ADMIN, "Mine now", call_cb, &call);
  wait_call (&call);
  conv = plannr_api_rename_conversation_finish (f->api, call.result, &error);
  g_assert_null (conv);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "This action is unauthorized."));
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 403);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
  g_assert_cmpstr (plannr_fake_get_conversation_name (f->fake, CONV_NOT_ADMIN), ==,
                   "James's conversation");
  call_clear (&call);
}

static void
test_status_404 (Fixture       *f,
                 gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;

  plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, MISSING, NULL, call_cb, &call);
  wait_call (&call);
  conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
  g_assert_null (conv);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND);
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 404);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
  call_clear (&call);
}

static void
test_status_422 (Fixture       *f,
                 gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;

  /* Blank contents: the server trims them and refuses. */
  plannr_api_send_message_async (f->api, CONV, "   ", call_cb, &call);
  wait_call (&call);
  message = plannr_api_send_message_finish (f->api, call.result, &error);
  g_assert_null (message);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_INVALID);
  /* The server's own words reach the user. */
  g_assert_cmpstr (error->message, ==, "The contents field is required.");
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 422);
  /* A refusal is certain: nothing was stored. */
  g_assert_false (plannr_error_is_ambiguous (error));
  g_assert_cmpuint (plannr_fake_count_messages (f->fake, CONV), ==, 0);
  call_clear (&call);
}

static void
test_status_5xx (Fixture       *f,
                 gconstpointer  data)
{
  static const guint statuses[] = { 500, 502, 503, 504 };

  /* One attempt, so that the mapping is seen rather than the retry. */
  plannr_api_set_max_attempts (f->api, 1);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      Call call = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrConversation) conv = NULL;

      plannr_fake_clear_requests (f->fake);
      plannr_fake_add_fault (f->fake, "GET", "/api/v1/conversation/*",
                             PLANNR_FAKE_FAULT_STATUS, statuses[i], 1);
      plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, CONV, NULL, call_cb, &call);
      wait_call (&call);
      conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
      g_assert_null (conv);
      /* The body is HTML; that must not matter. */
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_SERVER);
      g_assert_true (plannr_error_is_ambiguous (error));
      g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
      g_assert_cmpuint (request_at (f->fake, 0)->status, ==, statuses[i]);
      call_clear (&call);
    }
}

/* --- base URL and ids -------------------------------------------------- */

static void
test_base_url (Fixture       *f,
               gconstpointer  data)
{
  static const char * const good[] = {
    "https://api.plannrcrm.com",
    "https://api.plannrcrm.com/",
    "HTTPS://api.plannrcrm.com",
    "https://10.0.0.1:8443",
    "http://127.0.0.1",
    "http://127.0.0.1:8080",
    "http://127.1.2.3:8080",
    "http://localhost",
    "http://localhost:8080/",
    "http://LOCALHOST:8080",
    "http://[::1]:8080",
  };
  static const char * const bad[] = {
    "http://example.com",
    "http://api.plannrcrm.com",
    "http://10.0.0.1",
    "http://localhost.example.com",
    "http://127.0.0.1.example.com",
    "ftp://127.0.0.1",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "api.plannrcrm.com",
    "https://",
    "garbage",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", good[i]);
      g_assert_true (plannr_api_check_base_url (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error2 = NULL;
      g_autoptr(PlannrApi) api = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (plannr_api_check_base_url (bad[i], &error));
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_CONFIG);
      api = plannr_api_new (bad[i], TOKEN, &error2);
      g_assert_null (api);
      g_assert_error (error2, PLANNR_ERROR, PLANNR_ERROR_CONFIG);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (plannr_api_check_base_url (NULL, &error));
    g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_CONFIG);
  }

  /* A refused address never leads to a request. */
  plannr_wait_pending ();
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 0);

  /* A trailing slash does not double the slash in request paths. */
  {
    g_autofree char *slashed = g_strconcat (plannr_fake_get_base_url (f->fake), "//", NULL);
    g_autoptr(PlannrApi) api = plannr_api_new (slashed, TOKEN, NULL);
    Call call = { 0 };
    g_autoptr(PlannrUser) user = NULL;
    g_autoptr(GError) error = NULL;

    plannr_api_get_me_async (api, call_cb, &call);
    wait_call (&call);
    user = plannr_api_get_me_finish (api, call.result, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (request_at (f->fake, 0)->path, ==, "/api/v1/me");
    call_clear (&call);
    plannr_api_shutdown (api);
  }
}

static void
test_bad_ids_never_sent (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const ids[] = {
    "../../x",
    "../me",
    CONV "/../../me",
    "36b8523d-2736-4864-ac6c-ef9839888e7?",
    "",
  };
  g_autofree char *message = post_as (f->fake, ACCOUNT, "mine");

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      Call calls[6] = { { 0 } };
      GError *errors[6] = { NULL };
      gpointer results[6] = { NULL };

      g_test_message ("%s", ids[i]);
      plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, ids[i], NULL, call_cb, &calls[0]);
      plannr_api_rename_conversation_async (f->api, ids[i], "x", call_cb, &calls[1]);
      plannr_api_list_messages_async (f->api, PLANNR_PRIORITY_POLL, ids[i], 1, 30, call_cb, &calls[2]);
      plannr_api_send_message_async (f->api, ids[i], "x", call_cb, &calls[3]);
      plannr_api_edit_message_async (f->api, ids[i], message, "x", call_cb, &calls[4]);
      plannr_api_edit_message_async (f->api, CONV, ids[i], "x", call_cb, &calls[5]);
      /* Errors arrive from the main loop, never inside the call. */
      for (guint j = 0; j < G_N_ELEMENTS (calls); j++)
        g_assert_null (calls[j].result);
      wait_calls (calls, G_N_ELEMENTS (calls));

      results[0] = plannr_api_get_conversation_finish (f->api, calls[0].result, &errors[0]);
      results[1] = plannr_api_rename_conversation_finish (f->api, calls[1].result, &errors[1]);
      results[2] = plannr_api_list_messages_finish (f->api, calls[2].result, &errors[2]);
      results[3] = plannr_api_send_message_finish (f->api, calls[3].result, &errors[3]);
      results[4] = plannr_api_edit_message_finish (f->api, calls[4].result, &errors[4]);
      results[5] = plannr_api_edit_message_finish (f->api, calls[5].result, &errors[5]);
      for (guint j = 0; j < G_N_ELEMENTS (calls); j++)
        {
          g_assert_null (results[j]);
          g_assert_error (errors[j], PLANNR_ERROR, PLANNR_ERROR_INVALID);
          g_clear_error (&errors[j]);
          call_clear (&calls[j]);
        }
    }

  /* NULL is no id either. */
  {
    Call call = { 0 };
    g_autoptr(GError) error = NULL;

    plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, NULL, NULL, call_cb, &call);
    wait_call (&call);
    g_assert_null (plannr_api_get_conversation_finish (f->api, call.result, &error));
    g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_INVALID);
    call_clear (&call);
  }

  plannr_wait_pending ();
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 0);
  g_assert_cmpuint (plannr_api_get_request_count (f->api), ==, 0);
}

/* --- retries ------------------------------------------------------------ */

static void
test_retry_get_after_503 (Fixture       *f,
                          gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;

  plannr_fake_add_fault (f->fake, "GET", "/api/v1/conversation/*", PLANNR_FAKE_FAULT_STATUS, 503, 1);
  plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_POLL, CONV, NULL, call_cb, &call);
  wait_call (&call);
  conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conv->name, ==, "Welcome to Plannr");
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", "/api/v1/conversation/*"), ==, 2);
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 503);
  g_assert_cmpuint (request_at (f->fake, 1)->status, ==, 200);
  g_assert_cmpuint (plannr_api_get_request_count (f->api), ==, 2);
  call_clear (&call);
}

static void
test_retry_get_after_drop (Fixture       *f,
                           gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;

  plannr_fake_add_fault (f->fake, "GET", "/api/v1/conversation", PLANNR_FAKE_FAULT_DROP, 0, 1);
  plannr_api_list_conversations_async (f->api, PLANNR_PRIORITY_POLL, 1, 15, NULL, NULL,
                                       call_cb, &call);
  wait_call (&call);
  page = plannr_api_list_conversations_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 2 + EXTRA_CONVERSATIONS);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", "/api/v1/conversation"), ==, 2);
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 0);
  g_assert_cmpuint (request_at (f->fake, 1)->status, ==, 200);
  /* Our retry, not one inside libsoup. */
  g_assert_cmpuint (plannr_api_get_request_count (f->api), ==, 2);
  call_clear (&call);
}

static void
test_post_not_retried (Fixture       *f,
                       gconstpointer  data)
{
  static const PlannrFakeFaultKind kinds[] = { PLANNR_FAKE_FAULT_STATUS, PLANNR_FAKE_FAULT_DROP };
  static const int codes[] = { PLANNR_ERROR_SERVER, PLANNR_ERROR_NETWORK };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      Call call = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrMessage) message = NULL;

      plannr_fake_clear_requests (f->fake);
      plannr_fake_add_fault (f->fake, "POST", "/api/v1/conversation/*/messages", kinds[i], 503, 1);
      plannr_api_send_message_async (f->api, CONV, "Once only", call_cb, &call);
      wait_call (&call);
      message = plannr_api_send_message_finish (f->api, call.result, &error);
      g_assert_null (message);
      g_assert_error (error, PLANNR_ERROR, codes[i]);
      /* It may or may not have arrived: the caller must find out. */
      g_assert_true (plannr_error_is_ambiguous (error));

      /* Give a retry time to happen, if there were one. */
      plannr_wait_for_ms (100);
      g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", NULL), ==, 1);
      g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV, "Once only"), ==, 0);
      call_clear (&call);
    }
}

static void
test_retry_put_after_drop (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *uuid = post_as (f->fake, ACCOUNT, "typo");
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;

  plannr_fake_add_fault (f->fake, "PUT", NULL, PLANNR_FAKE_FAULT_DROP, 0, 1);
  plannr_api_edit_message_async (f->api, CONV, uuid, "fixed", call_cb, &call);
  wait_call (&call);
  message = plannr_api_edit_message_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->contents, ==, "fixed");
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "PUT", NULL), ==, 2);
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 0);
  g_assert_cmpuint (plannr_api_get_request_count (f->api), ==, 2);
  g_assert_cmpstr (plannr_fake_get_message_contents (f->fake, uuid), ==, "fixed");
  call_clear (&call);
}

static void
test_retry_gives_up (Fixture       *f,
                     gconstpointer  data)
{
  static const guint attempts[] = { PLANNR_API_MAX_ATTEMPTS, 2 };

  plannr_fake_add_fault (f->fake, "GET", NULL, PLANNR_FAKE_FAULT_STATUS, 503, -1);
  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      Call call = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrConversation) conv = NULL;

      plannr_fake_clear_requests (f->fake);
      if (i > 0)
        plannr_api_set_max_attempts (f->api, attempts[i]);
      plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, CONV, NULL, call_cb, &call);
      wait_call (&call);
      conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
      g_assert_null (conv);
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_SERVER);
      plannr_wait_for_ms (100);
      g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, attempts[i]);
      call_clear (&call);
    }
}

static void
test_retry_after_timeout (Fixture       *f,
                          gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;

  /* A timed-out GET is a transient failure like any other. */
  plannr_api_set_timeout (f->api, 1);
  plannr_fake_add_fault (f->fake, "GET", NULL, PLANNR_FAKE_FAULT_DELAY, 3000, 1);
  plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, CONV, NULL, call_cb, &call);
  wait_call (&call);
  conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conv->uuid, ==, CONV);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", NULL), ==, 2);
  call_clear (&call);
}

/* --- the rate limit ----------------------------------------------------- */

static void
test_rate_limit_retry_after (Fixture       *f,
                             gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The fault answers 429 with Retry-After: 1. */
  plannr_fake_add_fault (f->fake, "GET", NULL, PLANNR_FAKE_FAULT_STATUS, 429, 1);
  plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_POLL, CONV, NULL, call_cb, &call);
  wait_call (&call);
  conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conv->uuid, ==, CONV);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 2);
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 429);
  g_assert_cmpuint (request_at (f->fake, 1)->status, ==, 200);
  /* It waited for Retry-After, not for the retry delay. */
  g_assert_cmpint (call.finished_at - start, >=, 950 * 1000);
  g_assert_false (plannr_api_is_rate_limited (f->api));
  call_clear (&call);
}

static void
test_rate_limit_not_an_attempt (Fixture       *f,
                                gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;

  /* Two attempts: a 429 uses none of them, so the 503 after it still
   * gets its retry. */
  plannr_api_set_max_attempts (f->api, 2);
  plannr_fake_add_fault (f->fake, "GET", NULL, PLANNR_FAKE_FAULT_STATUS, 429, 1);
  plannr_fake_add_fault (f->fake, "GET", NULL, PLANNR_FAKE_FAULT_STATUS, 503, 1);
  plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, CONV, NULL, call_cb, &call);
  wait_call (&call);
  conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 3);
  g_assert_cmpuint (request_at (f->fake, 0)->status, ==, 429);
  g_assert_cmpuint (request_at (f->fake, 1)->status, ==, 503);
  g_assert_cmpuint (request_at (f->fake, 2)->status, ==, 200);
  call_clear (&call);
}

static gboolean
fake_answered_429 (gpointer data)
{
  Fixture *f = data;
  GPtrArray *requests = plannr_fake_get_requests (f->fake);

  return requests->len > 0 &&
         ((PlannrFakeRequest *) g_ptr_array_index (requests, 0))->status == 429 &&
         plannr_api_is_rate_limited (f->api);
}

static void
test_rate_limit_priority (Fixture       *f,
                          gconstpointer  data)
{
  Call held = { 0 };
  Call polls[3] = { { 0 } };
  Call users[PLANNR_API_MAX_IN_FLIGHT] = { { 0 } };
  GPtrArray *requests;

  plannr_fake_add_fault (f->fake, "GET", "/api/v1/conversation", PLANNR_FAKE_FAULT_STATUS, 429, 1);
  /* The user requests stay on the wire a while, so that all of them
   * reach the server before any poll could start. */
  plannr_fake_add_fault (f->fake, "GET", "/api/v1/me", PLANNR_FAKE_FAULT_DELAY, 200, -1);

  plannr_api_list_conversations_async (f->api, PLANNR_PRIORITY_POLL, 1, 15, NULL, NULL,
                                       call_cb, &held);
  g_assert_true (plannr_wait_until (fake_answered_429, f, API_WAIT_MS));

  /* Queued during the hold: polls first, then the user's actions. */
  for (guint i = 0; i < G_N_ELEMENTS (polls); i++)
    plannr_api_list_messages_async (f->api, PLANNR_PRIORITY_POLL, CONV, 1, 30, call_cb, &polls[i]);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    plannr_api_get_me_async (f->api, call_cb, &users[i]);

  /* Nothing goes out while the queue is held. */
  plannr_wait_for_ms (300);
  g_assert_true (plannr_api_is_rate_limited (f->api));
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);

  wait_call (&held);
  wait_calls (polls, G_N_ELEMENTS (polls));
  wait_calls (users, G_N_ELEMENTS (users));

  requests = plannr_fake_get_requests (f->fake);
  g_assert_cmpuint (requests->len, ==, 1 + 1 + G_N_ELEMENTS (polls) + G_N_ELEMENTS (users));
  /* After the hold, the user's requests go first... */
  for (guint i = 1; i <= G_N_ELEMENTS (users); i++)
    g_assert_cmpstr (request_at (f->fake, i)->path, ==, "/api/v1/me");
  /* ...then the polls, the held one among them (they start together
   * as the user's requests finish, so their order on arrival is the
   * network's). */
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", "/api/v1/conversation"), ==, 2);
  for (guint i = G_N_ELEMENTS (users) + 1; i < requests->len; i++)
    g_assert_true (g_str_has_prefix (request_at (f->fake, i)->path, "/api/v1/conversation"));

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrUser) user = plannr_api_get_me_finish (f->api, users[i].result, &error);

      g_assert_no_error (error);
      call_clear (&users[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (polls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrPage) page = plannr_api_list_messages_finish (f->api, polls[i].result, &error);

      g_assert_no_error (error);
      call_clear (&polls[i]);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrPage) page = plannr_api_list_conversations_finish (f->api, held.result, &error);

    g_assert_no_error (error);
    call_clear (&held);
  }
}

static void
test_rate_limit_fake_window (Fixture       *f,
                             gconstpointer  data)
{
  Call calls[4] = { { 0 } };
  guint limited = 0;
  GPtrArray *requests;

  /* Three requests a second: the fourth meets a real 429, whose
   * Retry-After says when the window ends. */
  plannr_fake_set_rate_limit (f->fake, 3);
  plannr_fake_set_rate_window (f->fake, 1);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_POLL, CONV, NULL, call_cb, &calls[i]);
  wait_calls (calls, G_N_ELEMENTS (calls));

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrConversation) conv = plannr_api_get_conversation_finish (f->api, calls[i].result, &error);

      g_assert_no_error (error);
      call_clear (&calls[i]);
    }
  requests = plannr_fake_get_requests (f->fake);
  for (guint i = 0; i < requests->len; i++)
    if (((PlannrFakeRequest *) g_ptr_array_index (requests, i))->status == 429)
      limited++;
  g_assert_cmpuint (limited, >=, 1);
  g_assert_cmpuint (requests->len, ==, G_N_ELEMENTS (calls) + limited);
}

static void
test_rate_remaining (Fixture       *f,
                     gconstpointer  data)
{
  plannr_fake_set_rate_limit (f->fake, 100);
  g_assert_cmpint (plannr_api_get_rate_remaining (f->api), ==, -1);
  g_assert_cmpint (plannr_api_get_rate_limit (f->api), ==, -1);

  for (guint i = 1; i <= 3; i++)
    {
      Call call = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrUser) user = NULL;

      plannr_api_get_me_async (f->api, call_cb, &call);
      wait_call (&call);
      user = plannr_api_get_me_finish (f->api, call.result, &error);
      g_assert_no_error (error);
      g_assert_cmpint (plannr_api_get_rate_remaining (f->api), ==, 100 - (int) i);
      g_assert_cmpint (plannr_api_get_rate_limit (f->api), ==, 100);
      call_clear (&call);
    }
}

/* --- failures of the answer --------------------------------------------- */

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = NULL;
  gint64 start = g_get_monotonic_time ();

  plannr_api_set_timeout (f->api, 1);
  plannr_api_set_max_attempts (f->api, 1);
  plannr_fake_add_fault (f->fake, "GET", NULL, PLANNR_FAKE_FAULT_DELAY, 3000, 1);
  plannr_api_get_conversation_async (f->api, PLANNR_PRIORITY_USER, CONV, NULL, call_cb, &call);
  wait_call (&call);
  conv = plannr_api_get_conversation_finish (f->api, call.result, &error);
  g_assert_null (conv);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_TIMEOUT);
  g_assert_true (plannr_error_is_ambiguous (error));
  /* Given up after the timeout, long before the answer.  The timer is
   * a g_timeout_add_seconds(), which may fire up to a quarter second
   * early to coalesce wake-ups. */
  g_assert_cmpint (call.finished_at - start, >=, 700 * 1000);
  g_assert_cmpint (call.finished_at - start, <, 2500 * 1000);
  call_clear (&call);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;

  plannr_fake_add_fault (f->fake, "GET", NULL, PLANNR_FAKE_FAULT_MALFORMED, 0, 1);
  plannr_api_list_messages_async (f->api, PLANNR_PRIORITY_POLL, CONV, 1, 30, call_cb, &call);
  wait_call (&call);
  page = plannr_api_list_messages_finish (f->api, call.result, &error);
  g_assert_null (page);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
  /* The same answer would come again: no retry. */
  plannr_wait_for_ms (100);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
  call_clear (&call);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  gsize size = PLANNR_API_MAX_RESPONSE + 1024 * 1024;
  g_autofree char *huge = g_malloc (size + 1);
  g_autofree char *uuid = NULL;
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  gint64 start;

  memset (huge, 'x', size);
  huge[size] = '\0';
  uuid = post_as (f->fake, CLIENT, huge);
  g_clear_pointer (&huge, g_free);

  start = g_get_monotonic_time ();
  plannr_api_list_messages_async (f->api, PLANNR_PRIORITY_POLL, CONV, 1, 30, call_cb, &call);
  wait_call (&call);
  page = plannr_api_list_messages_finish (f->api, call.result, &error);
  g_assert_null (page);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_TOO_LARGE);
  g_assert_cmpint (call.finished_at - start, <, 5 * G_USEC_PER_SEC);
  /* Not retried: the next answer would be as large. */
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
  /* The Content-Length said it all: the body was not even read. */
  g_assert_cmpuint (plannr_api_get_bytes_received (f->api), <, 1024 * 1024);
  call_clear (&call);
}

/* --- shutting down -------------------------------------------------------- */

static gboolean
fake_has_requests (gpointer data)
{
  Fixture *f = data;

  return plannr_fake_get_requests (f->fake)->len >= PLANNR_API_MAX_IN_FLIGHT + 1;
}

static void
test_shutdown (Fixture       *f,
               gconstpointer  data)
{
  Call calls[PLANNR_API_MAX_IN_FLIGHT + 3] = { { 0 } };
  Call waiting = { 0 };
  Call late = { 0 };
  PlannrApi *weak = f->api;
  guint n = G_N_ELEMENTS (calls);

  /* One request waiting to be retried (in 0.75 to 2.25 s)... */
  plannr_api_set_retry_delay (f->api, 1500);
  plannr_fake_add_fault (f->fake, "GET", "/api/v1/me", PLANNR_FAKE_FAULT_STATUS, 503, 1);
  plannr_api_get_me_async (f->api, call_cb, &waiting);
  /* ...some on the wire, held there by the fake, and more queued. */
  plannr_fake_add_fault (f->fake, "GET", "/api/v1/conversation/*", PLANNR_FAKE_FAULT_DELAY, 5000, -1);
  for (guint i = 0; i < n; i++)
    plannr_api_get_conversation_async (f->api, i % 2 ? PLANNR_PRIORITY_USER : PLANNR_PRIORITY_POLL,
                                       CONV, NULL, call_cb, &calls[i]);
  g_assert_true (plannr_wait_until (fake_has_requests, f, API_WAIT_MS));
  g_assert_null (waiting.result);
  for (guint i = 0; i < n; i++)
    g_assert_null (calls[i].result);

  plannr_api_shutdown (f->api);
  g_assert_true (plannr_api_is_shut_down (f->api));
  wait_call (&waiting);
  wait_calls (calls, n);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrUser) user = plannr_api_get_me_finish (f->api, waiting.result, &error);

    g_assert_null (user);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    call_clear (&waiting);
  }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrConversation) conv = plannr_api_get_conversation_finish (f->api, calls[i].result, &error);

      g_assert_null (conv);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      call_clear (&calls[i]);
    }

  /* Calls after the shutdown end at once, cancelled, on the wire never. */
  plannr_api_send_message_async (f->api, CONV, "too late", call_cb, &late);
  wait_call (&late);
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (plannr_api_send_message_finish (f->api, late.result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    call_clear (&late);
  }
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", NULL), ==, 0);

  /* The retry that was waiting does not come back from the dead. */
  plannr_wait_for_ms (2300);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", "/api/v1/me"), ==, 1);

  /* Nothing keeps the api alive once the callbacks have run. */
  plannr_wait_pending ();
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  g_clear_object (&f->api);
  g_assert_null (weak);
}

/* --- the shared seed ------------------------------------------------------ */

static void
test_seed_json (void)
{
  /* The seed the demo and the end-to-end runs use; its first user's
   * token and preferred account. */
  const char *path = g_test_get_filename (G_TEST_DIST, "fake", "seed.json", NULL);
  g_autoptr(PlannrFake) fake = plannr_fake_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrApi) api = NULL;
  g_autoptr(PlannrLogins) logins = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Call call = { 0 };
  guint page_number = 0;
  gboolean more = TRUE;

  g_assert_true (plannr_fake_load_file (fake, path, &error));
  g_assert_no_error (error);
  g_assert_true (plannr_fake_listen (fake, 0, &error));
  api = plannr_api_new (plannr_fake_get_base_url (fake), plannr_fake_get_user_token (fake, 0), &error);
  g_assert_no_error (error);

  /* Sign-on as the plugin does it: the account from /logins... */
  plannr_api_get_logins_async (api, call_cb, &call);
  wait_call (&call);
  logins = plannr_api_get_logins_finish (api, call.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (logins->preferred_account_uuid);
  g_assert_cmpuint (logins->logins->len, >=, 1);
  plannr_api_set_account_uuid (api, logins->preferred_account_uuid);
  call_clear (&call);

  /* ...then every conversation, following has_next. */
  while (more)
    {
      g_autoptr(PlannrPage) page = NULL;

      plannr_api_list_conversations_async (api, PLANNR_PRIORITY_POLL, ++page_number, 4, NULL,
                                           "participants,latest_message", call_cb, &call);
      wait_call (&call);
      page = plannr_api_list_conversations_finish (api, call.result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->skipped, ==, 0);
      for (guint i = 0; i < page->items->len; i++)
        {
          PlannrConversation *conv = g_ptr_array_index (page->items, i);

          g_assert_true (g_hash_table_add (seen, g_strdup (conv->uuid)));
          g_assert_cmpstr (conv->name, !=, "");
          for (guint j = 0; j < conv->participants->len; j++)
            g_assert_false (plannr_uuid_is_valid (((PlannrPerson *) conv->participants->pdata[j])->name));
        }
      more = page->has_next;
      call_clear (&call);
      g_assert_cmpuint (page_number, <, 100);
    }
  /* The preferred account of seed.json's first user is in ten
   * conversations (see test-fake.c): pages of 4, 4 and 2. */
  g_assert_cmpstr (logins->preferred_account_uuid, ==, "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d");
  g_assert_cmpuint (g_hash_table_size (seen), ==, 10);
  g_assert_cmpuint (page_number, ==, 3);
  plannr_api_shutdown (api);
  plannr_wait_pending ();
}

/* --- answers only a bare server gives ----------------------------------- */

typedef struct
{
  SoupServer        *server;
  char              *base_url;
  guint              status;
  const char        *content_type;
  GBytes            *body;
  gboolean           chunked;
  /* Trickle mode: the body, then one more byte every 300 ms. */
  guint              trickle_left;
  guint              trickle_id;
  SoupServerMessage *trickle_msg;
  gulong             trickle_handler;
  const char        *location;      /* a Location header, or NULL */
  guint              requests;      /* answered so far */
  char              *authorization; /* of the last request */
} RawServer;

static void
raw_trickle_stop (RawServer *raw)
{
  g_clear_handle_id (&raw->trickle_id, g_source_remove);
  if (raw->trickle_msg != NULL)
    {
      g_clear_signal_handler (&raw->trickle_handler, raw->trickle_msg);
      g_clear_object (&raw->trickle_msg);
    }
}

static void
raw_trickle_disconnected_cb (SoupServerMessage *msg,
                             gpointer           user_data)
{
  raw_trickle_stop (user_data);
}

static gboolean
raw_trickle_cb (gpointer user_data)
{
  RawServer *raw = user_data;
  SoupServerMessage *msg = raw->trickle_msg;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (--raw->trickle_left > 0)
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, " ", 1);
      soup_server_message_unpause (msg);
      return G_SOURCE_CONTINUE;
    }
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "]}", 2);
  soup_message_body_complete (body);
  soup_server_message_unpause (msg);
  raw->trickle_id = 0;
  raw_trickle_stop (raw);
  return G_SOURCE_REMOVE;
}

static void
raw_server_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  RawServer *raw = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  raw->requests++;
  g_free (raw->authorization);
  raw->authorization = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                               "Authorization"));
  soup_server_message_set_status (msg, raw->status, NULL);
  if (raw->location != NULL)
    soup_message_headers_replace (headers, "Location", raw->location);
  if (raw->content_type != NULL)
    soup_message_headers_set_content_type (headers, raw->content_type, NULL);
  if (raw->chunked || raw->trickle_left > 0)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  if (g_bytes_get_size (raw->body) > 0)
    soup_message_body_append_bytes (body, raw->body);
  if (raw->trickle_left > 0)
    {
      raw_trickle_stop (raw);
      raw->trickle_msg = g_object_ref (msg);
      raw->trickle_handler = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (raw_trickle_disconnected_cb), raw);
      raw->trickle_id = g_timeout_add (300, raw_trickle_cb, raw);
      soup_server_message_pause (msg);
      return;
    }
  soup_message_body_complete (body);
}

static RawServer *
raw_server_new (guint       status,
                const char *content_type,
                GBytes     *body,
                gboolean    chunked)
{
  RawServer *raw = g_new0 (RawServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  raw->status = status;
  raw->content_type = content_type;
  raw->body = body;
  raw->chunked = chunked;
  raw->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (raw->server, NULL, raw_server_cb, raw, NULL);
  g_assert_true (soup_server_listen_local (raw->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (raw->server);
  raw->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return raw;
}

static void
raw_server_free (RawServer *raw)
{
  raw_trickle_stop (raw);
  soup_server_disconnect (raw->server);
  g_object_unref (raw->server);
  g_bytes_unref (raw->body);
  g_free (raw->base_url);
  g_free (raw->authorization);
  g_free (raw);
  /* Let the closed connections go before the next test. */
  plannr_wait_pending ();
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawServer, raw_server_free)

static PlannrPage *
raw_list_messages (RawServer  *raw,
                   guint       per_page,
                   guint       timeout,
                   GError    **error)
{
  PlannrApi *api = plannr_api_new (raw->base_url, TOKEN, NULL);
  Call call = { 0 };
  PlannrPage *page;

  plannr_api_set_max_attempts (api, 1);
  if (timeout > 0)
    plannr_api_set_timeout (api, timeout);
  plannr_api_list_messages_async (api, PLANNR_PRIORITY_POLL, CONV, 1, per_page, call_cb, &call);
  wait_call (&call);
  page = plannr_api_list_messages_finish (api, call.result, error);
  call_clear (&call);
  plannr_api_shutdown (api);
  g_object_unref (api);
  plannr_wait_pending ();
  return page;
}

static void
test_page_without_paging (void)
{
  static const char json[] =
    "{\"data\": ["
    "{\"uuid\": \"7c1c9d8f-5343-464c-b479-1f838710d546\", \"contents\": \"a\"},"
    "{\"uuid\": \"c30461fd-6e03-4b79-8c08-abe49e670369\", \"contents\": \"b\"},"
    "{\"uuid\": \"not-a-uuid\", \"contents\": \"c\"}]}";
  g_autoptr(RawServer) raw = raw_server_new (200, "application/json",
                                             g_bytes_new_static (json, strlen (json)), FALSE);

  /* No links and no meta: the page size asked for decides.  Three
   * items (one unusable) fill a page of three... */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrPage) page = raw_list_messages (raw, 3, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (page->items->len, ==, 2);
    g_assert_cmpuint (page->skipped, ==, 1);
    g_assert_true (page->has_next);
  }
  /* ...but not a page of five. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrPage) page = raw_list_messages (raw, 5, 0, &error);

    g_assert_no_error (error);
    g_assert_false (page->has_next);
  }
}

static void
test_too_large_chunked (void)
{
  /* Without a Content-Length the cap applies while reading. */
  gsize size = PLANNR_API_MAX_RESPONSE + 1024 * 1024;
  char *huge = g_malloc (size);
  g_autoptr(RawServer) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  gint64 start = g_get_monotonic_time ();

  memset (huge, ' ', size);
  huge[0] = '{';
  huge[size - 1] = '}';
  raw = raw_server_new (200, "application/json", g_bytes_new_take (huge, size), TRUE);
  page = raw_list_messages (raw, 30, 0, &error);
  g_assert_null (page);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_TOO_LARGE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_timeout_trickle (void)
{
  /* A server that never falls silent long enough for libsoup's idle
   * timeout, but takes 3 s for the whole answer: the timeout covers
   * the attempt from start to last byte. */
  static const char start[] = "{\"data\": [";
  g_autoptr(RawServer) raw = raw_server_new (200, "application/json",
                                             g_bytes_new_static (start, strlen (start)), TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;
  gint64 begin = g_get_monotonic_time ();

  raw->trickle_left = 10;
  page = raw_list_messages (raw, 30, 1, &error);
  g_assert_null (page);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - begin, <, 2500 * 1000);

  /* Given the time, the same trickle is a good answer. */
  g_clear_error (&error);
  raw->trickle_left = 3;
  page = raw_list_messages (raw, 30, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 0);
}

static void
test_not_json (void)
{
  static const char html[] = "<html><body>Maintenance</body></html>";
  g_autoptr(RawServer) raw = raw_server_new (200, "text/html",
                                             g_bytes_new_static (html, strlen (html)), FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = raw_list_messages (raw, 30, 0, &error);

  /* A 200 that is not JSON is no list, and says so without a warning. */
  g_assert_null (page);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
}

/* --- parsing off the main loop ------------------------------------------- */

static gpointer
thread_parse (JsonNode  *node,
              gpointer   parse_data,
              GError   **error)
{
  /* Which thread parsed it: the test's (the main loop's) or another. */
  *(GThread **) parse_data = g_thread_self ();
  return json_node_ref (node);
}

/* A page of 500 conversations (about 1 MiB) is parsed in a worker
 * thread, a small answer on the main loop; the value comes back to the
 * main loop either way. */
static void
test_parse_in_worker (void)
{
  GString *big = g_string_new ("{\"data\": [");
  g_autoptr(RawServer) raw = NULL;
  g_autoptr(PlannrHttp) http = NULL;
  GThread *parsed_in = NULL;
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (big, "%s{\"uuid\": \"00000000-0000-4000-8000-%012u\", \"name\": \"%0200u\"}",
                            i > 0 ? "," : "", i, i);
  g_string_append (big, "]}");
  g_assert_cmpuint (big->len, >=, PLANNR_HTTP_WORKER_BYTES);
  raw = raw_server_new (200, "application/json", g_string_free_to_bytes (big), FALSE);
  http = plannr_http_new (raw->base_url, TOKEN, &error);
  g_assert_no_error (error);

  plannr_http_request_async (http, NULL, "GET", PLANNR_PRIORITY_POLL, g_strdup ("/x"), NULL, NULL,
                             thread_parse, &parsed_in, (GDestroyNotify) json_node_unref,
                             call_cb, &call);
  wait_call (&call);
  node = plannr_http_request_finish (call.result, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_nonnull (parsed_in);
  g_assert_true (parsed_in != g_thread_self ());
  call_clear (&call);
  g_clear_pointer (&node, json_node_unref);

  /* Small: parsed where it arrived. */
  g_bytes_unref (raw->body);
  raw->body = g_bytes_new_static ("{\"data\": []}", 12);
  parsed_in = NULL;
  plannr_http_request_async (http, NULL, "GET", PLANNR_PRIORITY_POLL, g_strdup ("/x"), NULL, NULL,
                             thread_parse, &parsed_in, (GDestroyNotify) json_node_unref,
                             call_cb, &call);
  wait_call (&call);
  node = plannr_http_request_finish (call.result, &error);
  g_assert_no_error (error);
  g_assert_true (parsed_in == g_thread_self ());
  call_clear (&call);
  plannr_http_shutdown (http);
  plannr_wait_pending ();
}

/* --- shapes of answers, redirects ---------------------------------------- */

static PlannrApi *
raw_api (RawServer *raw)
{
  PlannrApi *api = plannr_api_new (raw->base_url, TOKEN, NULL);

  plannr_api_set_account_uuid (api, ACCOUNT);
  plannr_api_set_max_attempts (api, 1);
  return api;
}

static void
raw_api_free (PlannrApi *api)
{
  plannr_api_shutdown (api);
  plannr_wait_pending ();
  g_object_unref (api);
}

/* A 3xx is never followed: the token and the account header would go
 * wherever it points (here: another server, by plain http).  The
 * caller learns where it pointed. */
static void
test_redirect_not_followed (void)
{
  static const char json[] = "{\"uuid\": \"" USER "\", \"name\": \"Elsewhere\"}";
  g_autoptr(RawServer) elsewhere = raw_server_new (200, "application/json",
                                                   g_bytes_new_static (json, strlen (json)), FALSE);
  g_autoptr(RawServer) raw = raw_server_new (302, "text/html", g_bytes_new_static ("", 0), FALSE);
  g_autofree char *target = g_strdup_printf ("%s/api/v1/me?token=x", elsewhere->base_url);
  g_autofree char *shown = g_strdup_printf ("%s/api/v1/me", elsewhere->base_url);
  PlannrApi *api;
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrUser) user = NULL;

  raw->location = target;
  api = raw_api (raw);
  plannr_api_get_me_async (api, call_cb, &call);
  wait_call (&call);
  user = plannr_api_get_me_finish (api, call.result, &error);
  g_assert_null (user);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_REDIRECT);
  g_assert_nonnull (strstr (error->message, shown));
  /* The query (which may hold a secret) is not repeated. */
  g_assert_null (strstr (error->message, "token=x"));
  g_assert_cmpuint (raw->requests, ==, 1);
  g_assert_cmpuint (elsewhere->requests, ==, 0);
  call_clear (&call);
  g_clear_error (&error);

  /* Not retried either, not even for an idempotent request. */
  raw->status = 301;
  plannr_api_set_max_attempts (api, 4);
  plannr_api_rename_conversation_async (api, CONV, "x", call_cb, &call);
  wait_call (&call);
  g_assert_null (plannr_api_rename_conversation_finish (api, call.result, &error));
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_REDIRECT);
  g_assert_cmpuint (raw->requests, ==, 2);
  g_assert_cmpuint (elsewhere->requests, ==, 0);
  call_clear (&call);
  raw_api_free (api);
}

/* A token pasted with a trailing newline or spaces still works. */
static void
test_token_trimmed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PlannrApi) api = api_for (f->fake, "  " TOKEN "\r\n");
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrUser) user = NULL;

  plannr_api_get_me_async (api, call_cb, &call);
  wait_call (&call);
  user = plannr_api_get_me_finish (api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->uuid, ==, USER);
  g_assert_cmpstr (header (request_at (f->fake, 0), "Authorization"), ==, "Bearer " TOKEN);
  call_clear (&call);
  plannr_api_shutdown (api);
}

/* Single resources bare or wrapped in "data", Content-Type with a
 * charset: read alike. */
static void
test_wrapped_resource (void)
{
  static const char json[] = "{\"data\": {\"uuid\": \"" USER "\", \"name\": \"Ada Lovelace\"}}";
  g_autoptr(RawServer) raw = raw_server_new (200, "application/json; charset=utf-8",
                                             g_bytes_new_static (json, strlen (json)), FALSE);
  PlannrApi *api = raw_api (raw);
  Call call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrUser) user = NULL;
  g_autoptr(PlannrConversation) conv = NULL;

  plannr_api_get_me_async (api, call_cb, &call);
  wait_call (&call);
  user = plannr_api_get_me_finish (api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->name, ==, "Ada Lovelace");
  call_clear (&call);

  plannr_api_get_conversation_async (api, PLANNR_PRIORITY_USER, CONV, "participants", call_cb, &call);
  wait_call (&call);
  conv = plannr_api_get_conversation_finish (api, call.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conv->uuid, ==, USER);
  call_clear (&call);
  raw_api_free (api);
}

/* A write answered 2xx with nothing readable took effect: the caller
 * gets PLANNR_ERROR_ACCEPTED, never a failure it would report or send
 * again.  A read answered so is malformed. */
static void
test_write_without_answer (void)
{
  static const struct
  {
    guint       status;
    const char *type;
    const char *body;
  } answers[] = {
    { 204, NULL, "" },
    { 201, "application/json", "" },
    { 200, "text/plain", "OK" },
    { 200, "application/json", "{\"ok\": true}" },
    { 200, "application/json", "{\"data\": null}" },
    { 202, "application/json", "not json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(RawServer) raw = raw_server_new (answers[i].status, answers[i].type,
                                                 g_bytes_new_static (answers[i].body,
                                                                     strlen (answers[i].body)),
                                                 FALSE);
      PlannrApi *api = raw_api (raw);
      Call call = { 0 };

      g_test_message ("%u %s", answers[i].status, answers[i].body);
      plannr_api_set_max_attempts (api, 4);
      plannr_api_send_message_async (api, CONV, "Hello", call_cb, &call);
      wait_call (&call);
      {
        g_autoptr(GError) error = NULL;

        g_assert_null (plannr_api_send_message_finish (api, call.result, &error));
        g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED);
      }
      call_clear (&call);
      plannr_api_edit_message_async (api, CONV, MISSING, "Hello", call_cb, &call);
      wait_call (&call);
      {
        g_autoptr(GError) error = NULL;

        g_assert_null (plannr_api_edit_message_finish (api, call.result, &error));
        g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED);
      }
      call_clear (&call);
      /* Each once: a write that took effect is not sent again. */
      g_assert_cmpuint (raw->requests, ==, 2);

      plannr_api_set_max_attempts (api, 1);
      plannr_api_get_message_async (api, PLANNR_PRIORITY_USER, CONV, MISSING, call_cb, &call);
      wait_call (&call);
      {
        g_autoptr(GError) error = NULL;

        g_assert_null (plannr_api_get_message_finish (api, call.result, &error));
        g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
      }
      call_clear (&call);
      raw_api_free (api);
    }
}

typedef struct
{
  PlannrFake *fake;
  guint       before;
} MeQuery;

static gboolean
me_requested (gpointer data)
{
  MeQuery *query = data;

  return plannr_fake_count_requests (query->fake, "GET", "/api/v1/me") > query->before;
}

/* A 429 whose answer is read only after the shutdown is not put back in
 * a queue nobody empties: every call ends, cancelled, and the api goes.
 * Which iteration the answer lands in is up to the sockets, so the
 * shutdown comes after 0 to 9 iterations of the main context. */
static void
test_rate_limit_after_shutdown (Fixture       *f,
                                gconstpointer  data)
{
  for (guint i = 0; i < 40; i++)
    {
      PlannrApi *api = api_for (f->fake, TOKEN);
      PlannrApi *weak = api;
      Call call = { 0 };
      MeQuery query = { f->fake, plannr_fake_count_requests (f->fake, "GET", "/api/v1/me") };
      g_autoptr(GError) error = NULL;

      plannr_fake_add_fault (f->fake, "GET", "/api/v1/me", PLANNR_FAKE_FAULT_STATUS, 429, 1);
      plannr_api_get_me_async (api, call_cb, &call);
      g_assert_true (plannr_wait_until (me_requested, &query, API_WAIT_MS));
      /* Single steps, not a wait: where the shutdown lands matters. */
      for (guint n = 0; n < i % 10; n++)
        g_main_context_iteration (NULL, FALSE);
      plannr_api_shutdown (api);
      wait_call (&call);
      g_assert_null (plannr_api_get_me_finish (api, call.result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      call_clear (&call);
      plannr_wait_pending ();
      g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
      g_object_unref (api);
      g_assert_null (weak);
      plannr_fake_clear_faults (f->fake);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("headers", test_headers);
  TEST ("get-me", test_get_me);
  TEST ("get-logins", test_get_logins);
  TEST ("conversations/paging", test_list_conversations_paging);
  TEST ("conversations/sort", test_list_conversations_sort);
  TEST ("conversations/get", test_get_conversation);
  TEST ("conversations/rename", test_rename_conversation);
  TEST ("messages/list", test_list_messages);
  TEST ("messages/send", test_send_message);
  TEST ("messages/edit", test_edit_message);
  TEST ("status/401", test_status_401);
  TEST ("status/403", test_status_403);
  TEST ("status/404", test_status_404);
  TEST ("status/422", test_status_422);
  TEST ("status/5xx", test_status_5xx);
  TEST ("base-url", test_base_url);
  TEST ("bad-ids-never-sent", test_bad_ids_never_sent);
  TEST ("retry/get-after-503", test_retry_get_after_503);
  TEST ("retry/get-after-drop", test_retry_get_after_drop);
  TEST ("retry/post-not-retried", test_post_not_retried);
  TEST ("retry/put-after-drop", test_retry_put_after_drop);
  TEST ("retry/gives-up", test_retry_gives_up);
  TEST ("retry/after-timeout", test_retry_after_timeout);
  TEST ("rate-limit/retry-after", test_rate_limit_retry_after);
  TEST ("rate-limit/user-first", test_rate_limit_priority);
  TEST ("rate-limit/not-an-attempt", test_rate_limit_not_an_attempt);
  TEST ("rate-limit/fake-window", test_rate_limit_fake_window);
  TEST ("rate-limit/remaining", test_rate_remaining);
  TEST ("timeout", test_timeout);
  TEST ("malformed", test_malformed);
  TEST ("too-large", test_too_large);
  TEST ("shutdown", test_shutdown);
  TEST ("token-trimmed", test_token_trimmed);
  TEST ("rate-limit/after-shutdown", test_rate_limit_after_shutdown);
  g_test_add_func ("/api/raw/redirect-not-followed", test_redirect_not_followed);
  g_test_add_func ("/api/raw/wrapped-resource", test_wrapped_resource);
  g_test_add_func ("/api/raw/write-without-answer", test_write_without_answer);
  g_test_add_func ("/api/seed-json", test_seed_json);
  g_test_add_func ("/api/raw/page-without-paging", test_page_without_paging);
  g_test_add_func ("/api/raw/too-large-chunked", test_too_large_chunked);
  g_test_add_func ("/api/raw/not-json", test_not_json);
  g_test_add_func ("/api/raw/parse-in-worker", test_parse_in_worker);
  g_test_add_func ("/api/raw/timeout-trickle", test_timeout_trickle);

  return g_test_run ();
}
