/* test-people.c: finding people, Info, and starting conversations
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "Find people…" and /people search the employees and the clients and
 * show libpurple's search results with their buttons; Info comes from
 * Pidgin's Info on a chat participant (get_cb_real_name, get_info), the
 * search results and /info; "New conversation…", the results' "Start a
 * conversation" and "Join a Chat" with a new name each make exactly one
 * POST /api/v1/conversation with the people looked up first, and say
 * before sending anything when a name fits several people or nobody.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "plannr-api.h"
#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

#define EMPLOYEES "/api/v1/employee"
#define ACCOUNTS  "/api/v1/account"
#define CREATE    "/api/v1/conversation"

/* The query a name search sends, for each kind. */
#define EMPLOYEE_QUERY(text) "filter%5Bname%5D=" text "&per_page=50&page=1"
#define CLIENT_QUERY(text)   "filter%5Btype%5D=client&filter%5Bname%5D=" text "&per_page=50&page=1"

static void
sign_in_with_people (WorldFixture *fx)
{
  world_add_people (fx->world);
  world_sign_in_listed (fx);
  plannr_fake_clear_requests (fx->world->fake);
  plannr_harness_clear_notices ();
}

/* The one request of @method to @path since the log was cleared. */
static const PlannrFakeRequest *
only_request (WorldFixture *fx,
              const char   *method,
              const char   *path)
{
  g_assert_cmpuint (world_count (fx, method, path), ==, 1);
  return plannr_fake_last_request (fx->world->fake, method, path);
}

static void
assert_searched (WorldFixture *fx,
                 const char   *employee_query,
                 const char   *client_query)
{
  const PlannrFakeRequest *request = only_request (fx, "GET", EMPLOYEES);

  g_assert_cmpstr (request->query, ==, employee_query);
  if (client_query == NULL)
    g_assert_cmpuint (world_count (fx, "GET", ACCOUNTS), ==, 0);
  else
    g_assert_cmpstr (only_request (fx, "GET", ACCOUNTS)->query, ==, client_query);
}

static gboolean
has_button (PlannrHarnessNotice *notice,
            const char          *label)
{
  for (GList *b = notice->results->buttons; b != NULL; b = b->next)
    {
      PurpleNotifySearchButton *button = b->data;

      if (button->type == PURPLE_NOTIFY_BUTTON_LABELED && g_strcmp0 (button->label, label) == 0)
        return TRUE;
      if (button->type == PURPLE_NOTIFY_BUTTON_INFO && g_strcmp0 ("Info", label) == 0)
        return TRUE;
    }
  return FALSE;
}

/* --- finding people ------------------------------------------------------------- */

static void
test_find_action (WorldFixture  *fx,
                  gconstpointer  data)
{
  PlannrHarnessRequest *req;
  PlannrHarnessNotice *results;

  sign_in_with_people (fx);
  world_run_account_action (fx, "Find people…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_INPUT);
  plannr_harness_answer_input (req, "  clara ");

  results = plannr_harness_wait_search_results (WORLD_WAIT_MS);
  g_assert_nonnull (results);
  /* The employees by name, the clients by name: one request each. */
  assert_searched (fx, EMPLOYEE_QUERY ("clara"), CLIENT_QUERY ("clara"));
  g_assert_cmpstr (results->text, ==, "Name | E-mail | Type | Role\n"
                   "Clara Colleague | clara.colleague@example.com | Employee | adviser");
  g_assert_nonnull (strstr (results->primary, "1 person matches"));
  g_assert_true (has_button (results, "Start a conversation"));
  g_assert_true (has_button (results, "Info"));
  /* From the account, there is no chat to invite to. */
  g_assert_false (has_button (results, "Invite to this conversation"));
}

static void
test_find_command (WorldFixture  *fx,
                   gconstpointer  data)
{
  PlannrHarnessNotice *results;

  sign_in_with_people (fx);
  world_join (fx, WORLD_CONV, "Annual Review", NULL);
  plannr_fake_clear_requests (fx->world->fake);
  world_run_command (fx->conv, "people carter");
  results = plannr_harness_wait_search_results (WORLD_WAIT_MS);
  g_assert_nonnull (results);
  assert_searched (fx, EMPLOYEE_QUERY ("carter"), CLIENT_QUERY ("carter"));
  g_assert_cmpuint (plannr_harness_search_rows (results), ==, 2);
  g_assert_cmpstr (plannr_harness_search_cell (results, 0, 0), ==, "David Carter");
  g_assert_cmpstr (plannr_harness_search_cell (results, 0, 2), ==, "Client");
  g_assert_cmpstr (plannr_harness_search_cell (results, 1, 1), ==, "helen.carter@example.com");
  g_assert_nonnull (strstr (results->primary, "2 people match"));
  g_assert_true (has_button (results, "Invite to this conversation"));
}

/* An address searches the employees by e-mail only: /account has no
 * such filter. */
static void
test_find_email (WorldFixture  *fx,
                 gconstpointer  data)
{
  PlannrHarnessNotice *results;

  sign_in_with_people (fx);
  world_join (fx, WORLD_CONV, "Annual Review", NULL);
  plannr_fake_clear_requests (fx->world->fake);
  world_run_command (fx->conv, "people erin.employee@example.com");
  results = plannr_harness_wait_search_results (WORLD_WAIT_MS);
  g_assert_nonnull (results);
  assert_searched (fx, "filter%5Bemail%5D=erin.employee%40example.com&per_page=50&page=1", NULL);
  g_assert_cmpstr (plannr_harness_search_cell (results, 0, 0), ==, "Erin Employee");
}

/* Nobody, and a refusal: said in the chat; no results window. */
static void
test_find_empty_and_error (WorldFixture  *fx,
                           gconstpointer  data)
{
  PlannrHarnessRequest *req;

  sign_in_with_people (fx);
  world_join (fx, WORLD_CONV, "Annual Review", NULL);
  world_run_command (fx->conv, "people zebedee");
  g_assert_true (plannr_harness_wait_line ("No employee or client matches “zebedee”.", WORLD_WAIT_MS));

  plannr_fake_add_fault (fx->world->fake, "GET", EMPLOYEES, PLANNR_FAKE_FAULT_STATUS, 403, 1);
  world_run_command (fx->conv, "people clara");
  g_assert_true (plannr_harness_wait_line ("The search for “clara” failed: you are not allowed to see this",
                                           WORLD_WAIT_MS));
  g_assert_null (plannr_harness_wait_search_results (0));

  /* From the account, in a dialog. */
  world_run_account_action (fx, "Find people…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  plannr_harness_answer_input (req, "nobody at all");
  g_assert_true (plannr_harness_wait_notice ("No employee or client matches “nobody at all”.", WORLD_WAIT_MS));
}

/* --- Info ----------------------------------------------------------------------- */

static const PlannrHarnessNotice *
last_userinfo (void)
{
  GPtrArray *notices = plannr_harness_get_notices ();

  for (guint i = notices->len; i > 0; i--)
    {
      const PlannrHarnessNotice *notice = g_ptr_array_index (notices, i - 1);

      if (notice->kind == PURPLE_NOTIFY_USERINFO)
        return notice;
    }
  return NULL;
}

static gboolean
has_userinfo_cb (gpointer data)
{
  return last_userinfo () != NULL;
}

static const PlannrHarnessNotice *
wait_userinfo (void)
{
  plannr_wait_until (has_userinfo_cb, NULL, WORLD_WAIT_MS);
  g_assert_nonnull (last_userinfo ());
  return last_userinfo ();
}

static void
assert_clara_info (const PlannrHarnessNotice *info)
{
  g_assert_nonnull (strstr (info->text, "<b>Name</b>: Clara Colleague"));
  g_assert_nonnull (strstr (info->text, "<b>E-mail</b>: clara.colleague@example.com"));
  g_assert_nonnull (strstr (info->text, "<b>Type</b>: Employee"));
  g_assert_nonnull (strstr (info->text, "<b>Role</b>: adviser"));
  g_assert_nonnull (strstr (info->text, "<b>Firm</b>: Thompson Wealth"));
  /* The photo as a link. */
  g_assert_nonnull (strstr (info->text, "<b>Photo</b>: <a href=\"https://eu.ui-avatars.com/api/?name=Clara+Colleague\">"));
}

/* What Pidgin does for Info on a chat user: the real name, then
 * get_info with it, under which the window is titled. */
static void
test_info_participant (WorldFixture  *fx,
                       gconstpointer  data)
{
  PurplePluginProtocolInfo *prpl = world_prpl_info ();
  PurpleConnection *gc;
  int id;
  g_autofree char *real = NULL;
  const PlannrHarnessNotice *info;

  world_open_chat (fx, NULL);
  gc = purple_conversation_get_gc (fx->conv);
  id = purple_conv_chat_get_id (PURPLE_CONV_CHAT (fx->conv));
  plannr_fake_clear_requests (fx->world->fake);
  plannr_harness_clear_notices ();

  g_assert_nonnull (prpl->get_cb_real_name);
  real = prpl->get_cb_real_name (gc, id, "Clara Colleague");
  g_assert_cmpstr (real, ==, "clara.colleague@example.com");
  g_assert_null (prpl->get_cb_real_name (gc, id, "Nobody Here"));
  serv_get_info (gc, real);
  info = wait_userinfo ();
  g_assert_cmpstr (info->title, ==, "clara.colleague@example.com");
  assert_clara_info (info);
  /* The chat knows its participants: nothing to ask the server. */
  g_assert_cmpuint (world_count (fx, NULL, NULL), ==, 0);
}

static void
test_info_button_and_command (WorldFixture  *fx,
                              gconstpointer  data)
{
  PlannrHarnessNotice *results;
  const PlannrHarnessNotice *info;

  sign_in_with_people (fx);
  world_join (fx, WORLD_CONV, "Annual Review", NULL);
  world_run_command (fx->conv, "people clara");
  results = plannr_harness_wait_search_results (WORLD_WAIT_MS);
  g_assert_nonnull (results);
  plannr_harness_press_search_button (results, 0, "Info");
  info = wait_userinfo ();
  assert_clara_info (info);

  /* /info with a participant's name, and with someone of the firm. */
  plannr_harness_clear_notices ();
  world_run_command (fx->conv, "info ben");
  info = wait_userinfo ();
  g_assert_nonnull (strstr (info->text, "<b>Name</b>: Ben Client"));
  g_assert_nonnull (strstr (info->text, "<b>Type</b>: Client"));
  plannr_harness_clear_notices ();
  plannr_fake_clear_requests (fx->world->fake);
  world_run_command (fx->conv, "info Helen Carter");
  info = wait_userinfo ();
  g_assert_nonnull (strstr (info->text, "<b>E-mail</b>: helen.carter@example.com"));
  g_assert_cmpuint (world_count (fx, "GET", EMPLOYEES), ==, 1);
  g_assert_cmpuint (world_count (fx, "GET", ACCOUNTS), ==, 1);
}

static void
test_info_unknown (WorldFixture  *fx,
                   gconstpointer  data)
{
  const PlannrHarnessNotice *info;

  sign_in_with_people (fx);
  serv_get_info (purple_account_get_connection (fx->account), "Carter");
  info = wait_userinfo ();
  g_assert_cmpstr (info->title, ==, "Carter");
  /* Text, escaped as libpurple shows it. */
  g_assert_nonnull (strstr (info->text, "“Carter” could mean several people: David Carter "
                                        "&lt;david.carter@example.com&gt;, Helen Carter"));
  plannr_harness_clear_notices ();
  serv_get_info (purple_account_get_connection (fx->account), "Nobody Here");
  info = wait_userinfo ();
  g_assert_nonnull (strstr (info->text, "No employee or client called “Nobody Here” was found."));
}

/* --- starting a conversation ------------------------------------------------------ */

static PlannrHarnessRequest *
wait_fields (void)
{
  PlannrHarnessRequest *req = plannr_harness_wait_request (WORLD_WAIT_MS);

  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FIELDS);
  return req;
}

static void
fill (PlannrHarnessRequest *req,
      const char           *name,
      const char           *people)
{
  g_assert_nonnull (purple_request_fields_get_field (req->fields, "name"));
  purple_request_field_string_set_value (purple_request_fields_get_field (req->fields, "name"), name);
  purple_request_field_string_set_value (purple_request_fields_get_field (req->fields, "people"), people);
  plannr_harness_answer_fields (req);
}

static PurpleConversation *
wait_opened (WorldFixture *fx,
             const char   *title)
{
  PurpleConversation *conv;

  g_assert_true (plannr_harness_wait_chat (fx->account, title, WORLD_WAIT_MS));
  conv = plannr_harness_find_chat (fx->account, title);
  g_assert_nonnull (conv);
  return conv;
}

static gboolean
has_user_cb (gpointer data)
{
  gpointer *args = data;

  return purple_conv_chat_find_user (PURPLE_CONV_CHAT (args[0]), args[1]);
}

static void
wait_user (PurpleConversation *conv,
           const char         *nick)
{
  gpointer args[] = { conv, (gpointer) nick };

  g_assert_true (plannr_wait_until (has_user_cb, args, WORLD_WAIT_MS));
}

static void
test_create_dialog (WorldFixture  *fx,
                    gconstpointer  data)
{
  PlannrHarnessRequest *req;
  PurpleConversation *conv;
  const PlannrFakeRequest *post;

  sign_in_with_people (fx);
  world_run_account_action (fx, "New conversation…");
  req = wait_fields ();
  g_assert_cmpstr (req->title, ==, "New conversation");
  fill (req, "  Quarterly review ", "Clara, dora;erin.employee@example.com");

  conv = wait_opened (fx, "Quarterly review");
  post = only_request (fx, "POST", CREATE);
  world_assert_headers (post);
  world_assert_body (post, "{\"name\": \"Quarterly review\", \"participants\": [\"" WORLD_CLARA "\", \""
                     WORLD_DORA "\", \"" WORLD_ERIN "\"]}");
  /* Names were looked up by name, the address by address. */
  g_assert_cmpuint (world_count (fx, "GET", EMPLOYEES), ==, 3);
  g_assert_cmpuint (world_count (fx, "GET", ACCOUNTS), ==, 2);
  wait_user (conv, "Dora Client");
  wait_user (conv, "Clara Colleague");
  wait_user (conv, "Erin Employee");
  /* I created it: its admin (my chat user is named by the username). */
  g_assert_true (purple_conv_chat_user_get_flags (PURPLE_CONV_CHAT (conv),
                                                  purple_account_get_username (fx->account)) & PURPLE_CBFLAGS_OP);
  /* On the buddy list, by its uuid. */
  {
    g_auto(GStrv) convs = plannr_fake_list_conversations (fx->world->fake);

    g_assert_cmpuint (g_strv_length (convs), ==, 3);
    g_assert_true (world_wait_listed (fx, convs[2], WORLD_WAIT_MS));
    g_assert_cmpstr (purple_conversation_get_name (conv), ==, convs[2]);
  }
}

/* Several people of a name, or nobody: explained in the dialog, shown
 * again with what was typed; nothing is sent until it is right. */
static void
test_create_ambiguous (WorldFixture  *fx,
                       gconstpointer  data)
{
  PlannrHarnessRequest *req;

  sign_in_with_people (fx);
  world_run_account_action (fx, "New conversation…");
  fill (wait_fields (), "Mortgage", "Carter, Zebedee");

  req = wait_fields ();
  g_assert_nonnull (strstr (req->secondary, "“Carter” could mean several people: David Carter "
                                            "<david.carter@example.com>, Helen Carter "
                                            "<helen.carter@example.com>. Give the e-mail address."));
  g_assert_nonnull (strstr (req->secondary, "No employee or client called “Zebedee” was found."));
  g_assert_cmpstr (purple_request_fields_get_string (req->fields, "name"), ==, "Mortgage");
  g_assert_cmpstr (purple_request_fields_get_string (req->fields, "people"), ==, "Carter, Zebedee");
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);

  /* A client's address is not searchable: said so. */
  fill (req, "Mortgage", "helen.carter@example.com");
  req = wait_fields ();
  g_assert_nonnull (strstr (req->secondary, "No employee has the e-mail address “helen.carter@example.com”. "
                                            "Clients are found by name."));
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);

  fill (req, "Mortgage", "Helen Carter");
  wait_opened (fx, "Mortgage");
  world_assert_body (only_request (fx, "POST", CREATE),
                     "{\"name\": \"Mortgage\", \"participants\": [\"" WORLD_HELEN "\"]}");
}

/* A refusal with the server's words, in the dialog; not sent again. */
static void
test_create_refused (WorldFixture  *fx,
                     gconstpointer  data)
{
  PlannrHarnessRequest *req;

  sign_in_with_people (fx);
  plannr_fake_add_fault (fx->world->fake, "POST", CREATE, PLANNR_FAKE_FAULT_STATUS, 422, 1);
  world_run_account_action (fx, "New conversation…");
  fill (wait_fields (), "Notes", "Clara");
  req = wait_fields ();
  /* The server's words. */
  g_assert_cmpstr (req->secondary, ==, "The conversation “Notes” was not created: "
                   "Unprocessable Entity (injected by the fake).");
  g_assert_cmpuint (world_count (fx, "POST", CREATE), ==, 1);
  plannr_wait_for_ms (500);
  g_assert_cmpuint (world_count (fx, "POST", CREATE), ==, 1);

  g_assert_cmpstr (purple_request_fields_get_string (req->fields, "people"), ==, "Clara");
  world_assert_body (plannr_fake_last_request (fx->world->fake, "POST", CREATE),
                     "{\"name\": \"Notes\", \"participants\": [\"" WORLD_CLARA "\"]}");

  /* Clara taken out again: alone, no participants at all. */
  fill (req, "Notes", " ");
  wait_opened (fx, "Notes");
  g_assert_cmpuint (world_count (fx, "POST", CREATE), ==, 2);
  world_assert_body (plannr_fake_last_request (fx->world->fake, "POST", CREATE), "{\"name\": \"Notes\"}");
}

static void
test_create_from_results (WorldFixture  *fx,
                          gconstpointer  data)
{
  PlannrHarnessNotice *results;
  PlannrHarnessRequest *req;

  sign_in_with_people (fx);
  world_run_account_action (fx, "Find people…");
  plannr_harness_answer_input (plannr_harness_wait_request (WORLD_WAIT_MS), "erin");
  results = plannr_harness_wait_search_results (WORLD_WAIT_MS);
  g_assert_nonnull (results);
  plannr_harness_press_search_button (results, 0, "Start a conversation");

  req = wait_fields ();
  g_assert_cmpstr (purple_request_fields_get_string (req->fields, "people"), ==,
                   "erin.employee@example.com");
  plannr_fake_clear_requests (fx->world->fake);
  fill (req, "Erin and me", "erin.employee@example.com");
  wait_opened (fx, "Erin and me");
  /* Known from the results: no search again. */
  g_assert_cmpuint (world_count (fx, "GET", EMPLOYEES), ==, 0);
  world_assert_body (only_request (fx, "POST", CREATE),
                     "{\"name\": \"Erin and me\", \"participants\": [\"" WORLD_ERIN "\"]}");
}

static void
join_by_name (WorldFixture *fx,
              const char   *name)
{
  GHashTable *components = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (components, "name", (gpointer) name);
  serv_join_chat (purple_account_get_connection (fx->account), components);
  g_hash_table_unref (components);
}

static void
test_create_join_a_chat (WorldFixture  *fx,
                         gconstpointer  data)
{
  PlannrHarnessRequest *req;

  sign_in_with_people (fx);
  join_by_name (fx, "Brand new idea");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_ACTION);
  g_assert_cmpstr (req->primary, ==, "Create a conversation named “Brand new idea”?");
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
  plannr_harness_answer_action (req, 0);

  wait_opened (fx, "Brand new idea");
  world_assert_body (only_request (fx, "POST", CREATE), "{\"name\": \"Brand new idea\"}");

  /* An existing name just opens it. */
  join_by_name (fx, "pension transfer");
  g_assert_true (plannr_harness_wait_chat (fx->account, "Pension transfer", WORLD_WAIT_MS));
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);
}

/* /help lists every command of the plugin, each with its words. */
static void
test_help (WorldFixture  *fx,
           gconstpointer  data)
{
  static const char *const names[] = { "people", "info", "invite", "kick", "leave", "op", "deop",
                                       "pin", "unpin", NULL };
  GList *list;

  world_open_chat (fx, NULL);
  list = purple_cmd_list (fx->conv);
  for (guint i = 0; names[i] != NULL; i++)
    {
      GList *help = purple_cmd_help (fx->conv, names[i]);

      g_assert_nonnull (g_list_find_custom (list, names[i], (GCompareFunc) g_strcmp0));
      g_assert_nonnull (help);
      g_assert_true (g_str_has_prefix (help->data, names[i]));
      g_list_free (help);
    }
  g_list_free (list);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func) WORLD_TEST_ADD ("/people/" path, func, 0)

  ADD ("find/action", test_find_action);
  ADD ("find/command", test_find_command);
  ADD ("find/email", test_find_email);
  ADD ("find/empty-and-error", test_find_empty_and_error);
  ADD ("info/participant", test_info_participant);
  ADD ("info/button-and-command", test_info_button_and_command);
  ADD ("info/unknown", test_info_unknown);
  ADD ("create/dialog", test_create_dialog);
  ADD ("create/ambiguous", test_create_ambiguous);
  ADD ("create/refused", test_create_refused);
  ADD ("create/from-results", test_create_from_results);
  ADD ("create/join-a-chat", test_create_join_a_chat);
  ADD ("help", test_help);

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
