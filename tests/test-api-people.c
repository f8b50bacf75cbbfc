/* test-api-people.c: the people searches and the membership calls of the
 * api layer against the in-process fake Plannr
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each call must be exactly the documented request, with its body as the
 * reference gives it (C7 and C9 with a JSON body on DELETE, C8 and C9
 * with both spellings of the member), and read every answer shape the
 * real server may use.  plannr_lookup_async() must ask no more than it
 * needs: nothing for an address it knows, one search for an address,
 * two for a name.
 */

#include "config.h"

#include <string.h>

#include "plannr-api.h"
#include "plannr-error.h"
#include "plannr-fake.h"
#include "plannr-lookup.h"
#include "plannr-wait.h"

#define TOKEN "tok-ada"
#define USER "47eaa099-2cb6-416d-86dc-283cf0480ff9"
#define FIRM "5d32fe61-985f-44e7-aa09-5ee82bb29976"
#define FIRM2 "9a1e40b4-5815-4a99-99e2-d15364c7a500"
#define ADA "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d"
#define JAMES "3b041641-1788-44f2-a60d-f25453fe2e85"
#define DAVID "de1b1471-320a-48ea-b7a7-88d106762832"
#define HELEN "4350cc17-21e5-4f21-acd5-52a09ddbef12"
#define PRIYA "00a154d8-5ed8-4bcc-b5c7-19c2add9ca88"
/* Ada is the admin of CONV; in CONV2 James is. */
#define CONV "bdbcda98-9672-4e1a-bfed-0bb9a92fa271"
#define CONV2 "a0ae608c-b9eb-40c0-99ed-b149efef4ff2"
#define CONV_PATH "/api/v1/conversation/" CONV
#define CONV2_PATH "/api/v1/conversation/" CONV2

#define API_WAIT_MS 10000

typedef struct
{
  PlannrFake   *fake;
  PlannrApi    *api;
  GAsyncResult *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *conv[] = { ADA, DAVID, NULL };
  const char *conv2[] = { ADA, JAMES, NULL };
  const char *ada[] = { ADA, NULL };
  const char *james[] = { JAMES, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *uuid2 = NULL;

  f->fake = plannr_fake_new ();
  plannr_fake_add_user (f->fake, USER, "Ada Lovelace", "ada@example.com", TOKEN);
  plannr_fake_add_firm (f->fake, FIRM, "Thompson Wealth");
  plannr_fake_add_firm (f->fake, FIRM2, "Northgate Financial Planning");
  plannr_fake_add_account (f->fake, ADA, USER, FIRM, "Ada Lovelace", "employee");
  plannr_fake_add_account (f->fake, JAMES, NULL, FIRM, "James Okafor", "employee");
  plannr_fake_add_account (f->fake, DAVID, NULL, FIRM, "David Carter", "client");
  plannr_fake_add_account (f->fake, HELEN, NULL, FIRM, "Helen Carter", "client");
  plannr_fake_add_account (f->fake, PRIYA, NULL, FIRM2, "Priya Natarajan", "employee");
  uuid = plannr_fake_add_conversation (f->fake, CONV, "Welcome to Plannr", conv, ada);
  uuid2 = plannr_fake_add_conversation (f->fake, CONV2, "Pension transfer", conv2, james);
  g_assert_true (plannr_fake_listen (f->fake, 0, &error));

  f->api = plannr_api_new (plannr_fake_get_base_url (f->fake), TOKEN, &error);
  g_assert_no_error (error);
  plannr_api_set_account_uuid (f->api, ADA);
  plannr_api_set_retry_delay (f->api, 10);
  /* The shapes the environment asks for are the test's own business. */
  plannr_fake_set_shapes (f->fake, "", NULL);
  g_assert_true (plannr_fake_set_shapes (f->fake, data != NULL ? data : "", &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  plannr_api_shutdown (f->api);
  plannr_wait_pending ();
  g_clear_object (&f->api);
  plannr_fake_free (f->fake);
  plannr_wait_pending ();
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static gboolean
done (gpointer data)
{
  return ((Fixture *) data)->result != NULL;
}

/* Waits for the call and hands its result over (the fixture forgets it). */
static GAsyncResult *
wait_result (Fixture *f)
{
  g_assert_true (plannr_wait_until (done, f, API_WAIT_MS));
  return g_steal_pointer (&f->result);
}

/* The only request logged: @method @path?@query with @body exactly. */
static void
assert_one_request (Fixture    *f,
                    const char *method,
                    const char *path,
                    const char *query,
                    const char *body)
{
  GPtrArray *requests = plannr_fake_get_requests (f->fake);
  const PlannrFakeRequest *request;

  g_assert_cmpuint (requests->len, ==, 1);
  request = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (request->method, ==, method);
  g_assert_cmpstr (request->path, ==, path);
  g_assert_cmpstr (request->query, ==, query);
  g_assert_cmpstr (request->body, ==, body);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-PLANNR-ACCOUNT-UUID"), ==, ADA);
  if (body != NULL && *body != '\0')
    g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Content-Type"), ==,
                     "application/json");
}

#define TEST(path, func, shapes) \
  g_test_add ("/api-people/" path, Fixture, shapes, fixture_setup, func, fixture_teardown)

/* --- searches ---------------------------------------------------------------- */

static void
test_search_employees (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PlannrPage) page = NULL;
  g_autoptr(GError) error = NULL;
  PlannrPerson *james;

  plannr_api_search_people_async (f->api, PLANNR_PEOPLE_EMPLOYEES, "name", "james ok", 50, done_cb, f);
  result = wait_result (f);
  page = plannr_api_search_people_finish (f->api, result, &error);
  g_assert_no_error (error);
  assert_one_request (f, "GET", "/api/v1/employee", "filter%5Bname%5D=james%20ok&per_page=50&page=1", "");
  g_assert_cmpuint (page->items->len, ==, 1);
  g_assert_false (page->has_next);
  james = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (james->uuid, ==, JAMES);
  g_assert_cmpstr (james->name, ==, "James Okafor");
  g_assert_cmpstr (james->type, ==, "employee");
  g_assert_cmpstr (james->role, ==, "adviser");
  g_assert_cmpstr (james->firm_name, ==, "Thompson Wealth");
  g_assert_nonnull (james->email);
  g_assert_true (g_str_has_prefix (james->photo_url, "https://"));
}

static void
test_search_clients (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PlannrPage) page = NULL;
  g_autoptr(GError) error = NULL;

  plannr_api_search_people_async (f->api, PLANNR_PEOPLE_CLIENTS, "name", "Carter & Co?", 50, done_cb, f);
  result = wait_result (f);
  page = plannr_api_search_people_finish (f->api, result, &error);
  g_assert_no_error (error);
  /* The text escaped as a query value; the type filter first. */
  assert_one_request (f, "GET", "/api/v1/account",
                      "filter%5Btype%5D=client&filter%5Bname%5D=Carter%20%26%20Co%3F&per_page=50&page=1", "");
  g_assert_cmpuint (page->items->len, ==, 0);
  g_clear_object (&result);
  g_clear_pointer (&page, plannr_page_free);

  plannr_fake_clear_requests (f->fake);
  plannr_api_search_people_async (f->api, PLANNR_PEOPLE_CLIENTS, "name", "carter", 50, done_cb, f);
  result = wait_result (f);
  page = plannr_api_search_people_finish (f->api, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 2);
  for (guint i = 0; i < page->items->len; i++)
    g_assert_cmpstr (((PlannrPerson *) g_ptr_array_index (page->items, i))->type, ==, "client");
}

static void
test_search_email (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PlannrPage) page = NULL;
  g_autoptr(GError) error = NULL;

  plannr_api_search_people_async (f->api, PLANNR_PEOPLE_EMPLOYEES, "email", "ada@example.com", 50,
                                  done_cb, f);
  result = wait_result (f);
  page = plannr_api_search_people_finish (f->api, result, &error);
  g_assert_no_error (error);
  assert_one_request (f, "GET", "/api/v1/employee",
                      "filter%5Bemail%5D=ada%40example.com&per_page=50&page=1", "");
  g_assert_cmpuint (page->items->len, ==, 1);
  g_assert_cmpstr (((PlannrPerson *) g_ptr_array_index (page->items, 0))->uuid, ==, ADA);
}

/* Pages of one person each (a clamped per_page): followed until @max,
 * and has_next says there were more; else to the last page. */
static void
test_search_pages (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PlannrPage) page = NULL;
  g_autoptr(GError) error = NULL;

  plannr_api_search_people_async (f->api, PLANNR_PEOPLE_EMPLOYEES, "name", "a", 1, done_cb, f);
  result = wait_result (f);
  page = plannr_api_search_people_finish (f->api, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 1);
  g_assert_true (page->has_next);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", "/api/v1/employee"), ==, 1);
  g_clear_object (&result);
  g_clear_pointer (&page, plannr_page_free);

  /* Enough room: every page, then no more. */
  plannr_fake_clear_requests (f->fake);
  plannr_api_search_people_async (f->api, PLANNR_PEOPLE_EMPLOYEES, "name", "a", 50, done_cb, f);
  result = wait_result (f);
  page = plannr_api_search_people_finish (f->api, result, &error);
  g_assert_no_error (error);
  /* Ada and James of her firm; Priya is in another. */
  g_assert_cmpuint (page->items->len, ==, 2);
  g_assert_false (page->has_next);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", "/api/v1/employee"), ==, 2);
}

/* --- writes -------------------------------------------------------------------- */

static PlannrConversation *
finish_conversation (Fixture            *f,
                     PlannrConversation *(*finish) (PlannrApi *, GAsyncResult *, GError **),
                     GError            **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return finish (f->api, result, error);
}

/* With the empty-2xx shape a write answers 204 or an empty 201: that is
 * success, said as PLANNR_ERROR_ACCEPTED. */
static gboolean
empty_shape (gconstpointer data)
{
  return data != NULL && strstr (data, "laravel") != NULL;
}

static void
assert_took_effect (gconstpointer        data,
                    PlannrConversation  *conv,
                    GError              *error)
{
  if (empty_shape (data))
    {
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED);
      g_assert_null (conv);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_nonnull (conv);
    }
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  const char *people[] = { JAMES, DAVID, NULL };
  g_autoptr(PlannrConversation) conv = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) convs = NULL;

  plannr_api_create_conversation_async (f->api, "Quarterly review", people, done_cb, f);
  conv = finish_conversation (f, plannr_api_create_conversation_finish, &error);
  assert_one_request (f, "POST", "/api/v1/conversation", NULL,
                      "{\"name\":\"Quarterly review\",\"participants\":[\"" JAMES "\",\"" DAVID "\"]}");
  assert_took_effect (data, conv, error);
  if (conv != NULL)
    {
      g_assert_cmpstr (conv->name, ==, "Quarterly review");
      g_assert_cmpuint (conv->participants->len, ==, 3);
      g_assert_true (conv->is_admin);
    }
  convs = plannr_fake_list_conversations (f->fake);
  g_assert_cmpuint (g_strv_length (convs), ==, 3);
}

static void
test_create_alone (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PlannrConversation) conv = NULL;
  g_autoptr(GError) error = NULL;

  /* Nobody else: no "participants" at all. */
  plannr_api_create_conversation_async (f->api, "Notes", NULL, done_cb, f);
  conv = finish_conversation (f, plannr_api_create_conversation_finish, &error);
  assert_one_request (f, "POST", "/api/v1/conversation", NULL, "{\"name\":\"Notes\"}");
  assert_took_effect (data, conv, error);
}

static void
test_participants (Fixture       *f,
                   gconstpointer  data)
{
  const char *helen[] = { HELEN, NULL };
  g_autoptr(PlannrConversation) conv = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) after_add = NULL;
  g_auto(GStrv) after_remove = NULL;

  plannr_api_change_participants_async (f->api, CONV, TRUE, helen, done_cb, f);
  conv = finish_conversation (f, plannr_api_change_participants_finish, &error);
  assert_one_request (f, "POST", CONV_PATH "/participants", NULL,
                      "{\"participants\":[\"" HELEN "\"]}");
  assert_took_effect (data, conv, error);
  after_add = plannr_fake_get_participants (f->fake, CONV);
  g_assert_true (g_strv_contains ((const char * const *) after_add, HELEN));
  g_clear_pointer (&conv, plannr_conversation_free);
  g_clear_error (&error);

  plannr_fake_clear_requests (f->fake);
  plannr_api_change_participants_async (f->api, CONV, FALSE, helen, done_cb, f);
  conv = finish_conversation (f, plannr_api_change_participants_finish, &error);
  /* C7: a DELETE, and its JSON body. */
  assert_one_request (f, "DELETE", CONV_PATH "/participants", NULL,
                      "{\"participants\":[\"" HELEN "\"]}");
  assert_took_effect (data, conv, error);
  after_remove = plannr_fake_get_participants (f->fake, CONV);
  g_assert_false (g_strv_contains ((const char * const *) after_remove, HELEN));
}

/* Not an admin: the server's refusal, and nothing is retried. */
static void
test_participants_refused (Fixture       *f,
                           gconstpointer  data)
{
  const char *helen[] = { HELEN, NULL };
  const char *priya[] = { PRIYA, NULL };
  g_autoptr(PlannrConversation) conv = NULL;
  g_autoptr(GError) error = NULL;

  plannr_api_change_participants_async (f->api, CONV2, TRUE, helen, done_cb, f);
  conv = finish_conversation (f, plannr_api_change_participants_finish, &error);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "This action is unauthorized."));
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
  g_clear_error (&error);

  /* Someone of another firm: 422 with the server's words. */
  plannr_fake_clear_requests (f->fake);
  plannr_api_change_participants_async (f->api, CONV, TRUE, priya, done_cb, f);
  conv = finish_conversation (f, plannr_api_change_participants_finish, &error);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The selected participants.0 is invalid.");
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
}

/* Leaving is C7 with one's own uuid, which needs no admin. */
static void
test_leave (Fixture       *f,
            gconstpointer  data)
{
  const char *me[] = { ADA, NULL };
  g_autoptr(PlannrConversation) conv = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) after = NULL;

  plannr_api_change_participants_async (f->api, CONV2, FALSE, me, done_cb, f);
  conv = finish_conversation (f, plannr_api_change_participants_finish, &error);
  assert_one_request (f, "DELETE", CONV2_PATH "/participants", NULL, "{\"participants\":[\"" ADA "\"]}");
  /* The answer may not show a conversation one left; the call worked. */
  if (error != NULL)
    g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED);
  after = plannr_fake_get_participants (f->fake, CONV2);
  g_assert_false (g_strv_contains ((const char * const *) after, ADA));
}

static void
test_admin (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PlannrConversation) conv = NULL;
  g_autoptr(GError) error = NULL;

  plannr_api_set_admin_async (f->api, CONV, DAVID, TRUE, done_cb, f);
  conv = finish_conversation (f, plannr_api_set_admin_finish, &error);
  /* Both spellings of the reference, meaning the same one account. */
  assert_one_request (f, "POST", CONV_PATH "/admin", NULL,
                      "{\"participant\":\"" DAVID "\",\"participants\":[\"" DAVID "\"]}");
  assert_took_effect (data, conv, error);
  g_assert_true (plannr_fake_is_admin (f->fake, CONV, DAVID));
  if (conv != NULL)
    g_assert_true (plannr_conversation_is_admin (conv, DAVID));
  g_clear_pointer (&conv, plannr_conversation_free);
  g_clear_error (&error);

  plannr_fake_clear_requests (f->fake);
  plannr_api_set_admin_async (f->api, CONV, DAVID, FALSE, done_cb, f);
  conv = finish_conversation (f, plannr_api_set_admin_finish, &error);
  assert_one_request (f, "DELETE", CONV_PATH "/admin", NULL,
                      "{\"participant\":\"" DAVID "\",\"participants\":[\"" DAVID "\"]}");
  assert_took_effect (data, conv, error);
  g_assert_false (plannr_fake_is_admin (f->fake, CONV, DAVID));
}

static void
test_pin (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(PlannrConversation) conv = NULL;
  g_autoptr(GError) error = NULL;

  plannr_api_pin_conversation_async (f->api, CONV2, TRUE, done_cb, f);
  conv = finish_conversation (f, plannr_api_pin_conversation_finish, &error);
  assert_one_request (f, "POST", CONV2_PATH "/pin", NULL, "{\"pin\":true}");
  assert_took_effect (data, conv, error);
  if (conv != NULL)
    g_assert_true (conv->pinned);
  g_clear_pointer (&conv, plannr_conversation_free);
  g_clear_error (&error);

  plannr_fake_clear_requests (f->fake);
  plannr_api_pin_conversation_async (f->api, CONV2, FALSE, done_cb, f);
  conv = finish_conversation (f, plannr_api_pin_conversation_finish, &error);
  assert_one_request (f, "POST", CONV2_PATH "/pin", NULL, "{\"pin\":false}");
  assert_took_effect (data, conv, error);
  if (conv != NULL)
    g_assert_false (conv->pinned);
}

/* Only uuids reach a path or a body. */
static void
test_not_uuids (Fixture       *f,
                gconstpointer  data)
{
  const char *bad[] = { JAMES, "../../me", NULL };
  g_autoptr(PlannrConversation) conv = NULL;
  g_autoptr(GError) error = NULL;

  plannr_api_change_participants_async (f->api, CONV, TRUE, bad, done_cb, f);
  conv = finish_conversation (f, plannr_api_change_participants_finish, &error);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_INVALID);
  g_clear_error (&error);
  plannr_api_set_admin_async (f->api, "x/y", JAMES, TRUE, done_cb, f);
  conv = finish_conversation (f, plannr_api_set_admin_finish, &error);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_INVALID);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 0);
}

/* --- looking people up ----------------------------------------------------------- */

static PlannrLookup *
lookup (Fixture    *f,
        const char *query,
        GPtrArray  *known)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PlannrLookup *found;

  plannr_lookup_async (f->api, query, known, done_cb, f);
  result = wait_result (f);
  found = plannr_lookup_finish (f->api, result, &error);
  g_assert_no_error (error);
  return found;
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PlannrLookup) james = NULL;
  g_autoptr(PlannrLookup) carter = NULL;
  g_autoptr(PlannrLookup) nobody = NULL;
  g_autoptr(PlannrLookup) by_mail = NULL;

  /* A name: employees and clients, one search each. */
  james = lookup (f, "James", NULL);
  g_assert_cmpint (james->result, ==, PLANNR_LOOKUP_FOUND);
  g_assert_cmpstr (james->person->uuid, ==, JAMES);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", "/api/v1/employee"), ==, 1);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", "/api/v1/account"), ==, 1);

  carter = lookup (f, "carter", NULL);
  g_assert_cmpint (carter->result, ==, PLANNR_LOOKUP_AMBIGUOUS);
  g_assert_cmpuint (carter->candidates->len, ==, 2);

  nobody = lookup (f, "Priya", NULL);
  g_assert_cmpint (nobody->result, ==, PLANNR_LOOKUP_NONE);

  /* An address: the employee search by e-mail only. */
  plannr_fake_clear_requests (f->fake);
  by_mail = lookup (f, "ADA@example.com", NULL);
  g_assert_cmpint (by_mail->result, ==, PLANNR_LOOKUP_FOUND);
  g_assert_cmpstr (by_mail->person->uuid, ==, ADA);
  assert_one_request (f, "GET", "/api/v1/employee",
                      "filter%5Bemail%5D=ADA%40example.com&per_page=50&page=1", "");
}

/* Someone seen already is found by address without a request. */
static void
test_lookup_known (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
  PlannrPerson *helen = g_new0 (PlannrPerson, 1);
  g_autoptr(PlannrLookup) found = NULL;
  g_autoptr(PlannrLookup) unknown = NULL;

  helen->uuid = g_strdup (HELEN);
  helen->name = g_strdup ("Helen Carter");
  helen->email = g_strdup ("helen.carter@example.com");
  g_ptr_array_add (known, helen);

  found = lookup (f, "Helen.Carter@example.com", known);
  g_assert_cmpint (found->result, ==, PLANNR_LOOKUP_FOUND);
  g_assert_cmpstr (found->person->uuid, ==, HELEN);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 0);

  /* A client's address nobody saw: employees have no such person. */
  unknown = lookup (f, "david.carter@example.com", known);
  g_assert_cmpint (unknown->result, ==, PLANNR_LOOKUP_NONE);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("search/employees", test_search_employees, NULL);
  TEST ("search/clients", test_search_clients, NULL);
  TEST ("search/email", test_search_email, NULL);
  TEST ("search/pages", test_search_pages, "clamp=1");
  TEST ("create", test_create, NULL);
  TEST ("create/laravel", test_create, "laravel");
  TEST ("create/alone", test_create_alone, NULL);
  TEST ("create/alone/wrapped", test_create_alone, "wrap");
  TEST ("participants", test_participants, NULL);
  TEST ("participants/laravel", test_participants, "laravel");
  TEST ("participants/refused", test_participants_refused, NULL);
  TEST ("participants/leave", test_leave, NULL);
  TEST ("participants/leave/laravel", test_leave, "laravel");
  TEST ("admin", test_admin, NULL);
  TEST ("admin/laravel", test_admin, "laravel");
  TEST ("pin", test_pin, NULL);
  TEST ("pin/laravel", test_pin, "laravel");
  TEST ("not-uuids", test_not_uuids, NULL);
  TEST ("lookup", test_lookup, NULL);
  TEST ("lookup/known", test_lookup_known, NULL);

  return g_test_run ();
}
