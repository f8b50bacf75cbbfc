/* test-faults.c: outages, hostile answers, secrets and transport
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

/* Longer than WORLD_WAIT_MS: retries and 429s stretch what a fault
 * test waits for. */
#define FAULT_WAIT_MS 15000

/* --- secrets ----------------------------------------------------------------- */

static gboolean
text_has_token (const char *text)
{
  return text != NULL && strstr (text, WORLD_TOKEN) != NULL;
}

static void
test_token_never_shown (WorldFixture  *fx,
                        gconstpointer  data)
{
  PurpleConversation *conv;
  PurpleConnectionError reason;
  g_autofree char *description = NULL;
  GPtrArray *lines, *notices;

  /* Everything: sign-in with the account lookup, sync, join, send,
   * rename, edit, a failure, and a revoked token at the end. */
  purple_account_set_string (fx->account, "account-uuid", "");
  conv = world_open_chat (fx, "Message 3 from Ben");
  plannr_harness_send_chat (conv, "A message for the log test");
  g_assert_true (world_wait_stored (fx, "A message for the log test", FAULT_WAIT_MS));
  world_run_command (conv, "rename Annual Review 2026");
  g_assert_true (plannr_harness_wait_line ("You renamed the conversation", FAULT_WAIT_MS));
  world_run_command (conv, "edit A message for the token test");
  g_assert_true (plannr_harness_wait_line ("You edited your message", FAULT_WAIT_MS));
  plannr_fake_add_fault (fx->world->fake, "POST", NULL, PLANNR_FAKE_FAULT_STATUS, 422, 1);
  plannr_harness_send_chat (conv, "This one fails");
  g_assert_true (plannr_harness_wait_line ("was not sent", FAULT_WAIT_MS));
  plannr_fake_revoke_token (fx->world->fake, WORLD_TOKEN);
  g_assert_true (plannr_harness_wait_error (fx->account, FAULT_WAIT_MS, &reason, &description));

  g_assert_false (text_has_token (description));
  g_assert_cmpuint (strlen (plannr_harness_get_debug_log ()), >, 0);
  g_assert_nonnull (strstr (plannr_harness_get_debug_log (), "plannr"));
  g_assert_false (text_has_token (plannr_harness_get_debug_log ()));
  lines = plannr_harness_get_lines ();
  for (guint i = 0; i < lines->len; i++)
    g_assert_false (text_has_token (((PlannrHarnessLine *) g_ptr_array_index (lines, i))->message));
  notices = plannr_harness_get_notices ();
  for (guint i = 0; i < notices->len; i++)
    {
      PlannrHarnessNotice *notice = g_ptr_array_index (notices, i);

      g_assert_false (text_has_token (notice->primary));
      g_assert_false (text_has_token (notice->secondary));
    }
}

static void
test_tls_unverified (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = g_test_build_filename (G_TEST_DIST, "data", "self-signed.pem", NULL);
  g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_file (pem, &error);
  g_autoptr(PlannrFake) fake = plannr_fake_new ();
  PurpleAccount *account;
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  g_assert_no_error (error);
  plannr_fake_add_user (fake, WORLD_USER, "Ada Adviser", "ada@example.com", WORLD_TOKEN);
  plannr_fake_add_firm (fake, WORLD_FIRM, "Thompson Wealth");
  plannr_fake_add_account (fake, WORLD_ME, WORLD_USER, WORLD_FIRM, "Ada Adviser", "employee");
  plannr_fake_set_tls_certificate (fake, cert);
  g_assert_true (plannr_fake_listen (fake, 0, &error));
  g_assert_true (g_str_has_prefix (plannr_fake_get_base_url (fake), "https://"));

  plannr_harness_clear_errors ();
  account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN,
                                        plannr_fake_get_base_url (fake), WORLD_ME);
  /* The handshake, not a timeout, is what this is about: the other
   * tests' one second is too short for it beside seven other tests
   * under the sanitizers.  The connection reads it when it starts. */
  {
    g_autofree char *timeout = g_strdup (g_getenv ("PLANNR_TIMEOUT_S"));

    g_setenv ("PLANNR_TIMEOUT_S", "10", TRUE);
    plannr_harness_connect (account);
    if (timeout != NULL)
      g_setenv ("PLANNR_TIMEOUT_S", timeout, TRUE);
    else
      g_unsetenv ("PLANNR_TIMEOUT_S");
  }
  g_assert_true (plannr_harness_wait_error (account, FAULT_WAIT_MS, &reason, &description));
  g_test_message ("the account's error: %d, %s", reason, description);
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_CERT_OTHER_ERROR);
  g_assert_nonnull (strstr (description, "not secure"));
  /* The handshake failed: no request got through to the handler. */
  g_assert_cmpuint (plannr_fake_get_requests (fake)->len, ==, 0);

  plannr_harness_account_delete (account);
}

/* --- outages -------------------------------------------------------------------- */

static void
test_revoked_token (WorldFixture  *fx,
                    gconstpointer  data)
{
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;
  guint after;

  world_open_chat (fx, "Message 3 from Ben");
  plannr_fake_revoke_token (fx->world->fake, WORLD_TOKEN);
  g_assert_true (plannr_harness_wait_error (fx->account, FAULT_WAIT_MS, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (description, "token"));

  /* Polling stopped. */
  plannr_wait_for_ms (500);
  after = plannr_fake_get_requests (fx->world->fake)->len;
  plannr_wait_for_ms (3000);
  g_assert_cmpuint (plannr_fake_get_requests (fx->world->fake)->len, ==, after);
}

static void
test_short_outage (WorldFixture  *fx,
                   gconstpointer  data)
{
  g_autofree char *uuid = NULL;

  world_open_chat (fx, "Message 3 from Ben");

  /* Every read fails for a while; a message arrives meanwhile. */
  plannr_fake_add_fault (fx->world->fake, "GET", NULL, PLANNR_FAKE_FAULT_STATUS, 503, 12);
  uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Sent during the outage");
  plannr_wait_for_ms (2000);
  g_assert_true (purple_account_is_connected (fx->account));

  g_assert_true (plannr_harness_wait_line ("Sent during the outage", FAULT_WAIT_MS));
  plannr_wait_for_ms (2000);
  g_assert_true (purple_account_is_connected (fx->account));
  g_assert_cmpuint (plannr_harness_count_lines ("Sent during the outage"), ==, 1);
}

static void
test_sustained_outage (WorldFixture  *fx,
                       gconstpointer  data)
{
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  plannr_fake_add_fault (fx->world->fake, "GET", NULL, PLANNR_FAKE_FAULT_DROP, 0, -1);
  g_assert_true (plannr_harness_wait_error (fx->account, 30000, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
  g_assert_false (purple_connection_error_is_fatal (reason));
}

static void
test_timeout (WorldFixture  *fx,
              gconstpointer  data)
{
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  plannr_fake_add_fault (fx->world->fake, "GET", "/api/v1/me", PLANNR_FAKE_FAULT_DELAY, 3000, -1);
  plannr_harness_connect (fx->account);
  g_assert_true (plannr_harness_wait_error (fx->account, 30000, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
  g_assert_nonnull (strstr (description, "did not answer"));
}

/* --- sending is never doubled, never lost ------------------------------------- */

static void
test_send_ambiguous_arrived (WorldFixture  *fx,
                             gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");

  /* The server stores it, the answer is lost on the way back. */
  plannr_fake_add_fault (fx->world->fake, "POST", NULL, PLANNR_FAKE_FAULT_DROP_AFTER, 0, 1);
  plannr_harness_send_chat (conv, "Did this arrive?");
  g_assert_true (plannr_harness_wait_line ("Did this arrive?", FAULT_WAIT_MS));
  plannr_wait_for_ms (2500);

  g_assert_cmpuint (plannr_fake_count_messages_with (fx->world->fake, WORLD_CONV, "Did this arrive?"), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Did this arrive?"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("was not sent"), ==, 0);
}

static void
test_send_ambiguous_lost (WorldFixture  *fx,
                          gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");

  /* Dropped before the server saw it: looked for, not found, sent again. */
  plannr_fake_add_fault (fx->world->fake, "POST", NULL, PLANNR_FAKE_FAULT_DROP, 0, 1);
  plannr_harness_send_chat (conv, "Lost on the way");
  g_assert_true (plannr_harness_wait_line ("Lost on the way", FAULT_WAIT_MS));
  plannr_wait_for_ms (2000);
  g_assert_cmpuint (plannr_fake_count_messages_with (fx->world->fake, WORLD_CONV, "Lost on the way"), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 2);
  g_assert_cmpuint (plannr_harness_count_lines ("Lost on the way"), ==, 1);

  /* Never arriving: given up after three tries, and said so with the text. */
  plannr_fake_add_fault (fx->world->fake, "POST", NULL, PLANNR_FAKE_FAULT_DROP, 0, -1);
  plannr_fake_clear_requests (fx->world->fake);
  plannr_harness_send_chat (conv, "Never gets there");
  g_assert_true (plannr_harness_wait_line ("was not sent", FAULT_WAIT_MS));
  g_assert_nonnull (strstr (plannr_harness_find_line ("was not sent")->message, "Never gets there"));
  g_assert_cmpuint (plannr_fake_count_messages_with (fx->world->fake, WORLD_CONV, "Never gets there"), ==, 0);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 3);
}

static void
test_put_retried (WorldFixture  *fx,
                  gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");

  /* PUT is idempotent: a dropped connection is tried again. */
  plannr_fake_add_fault (fx->world->fake, "PUT", NULL, PLANNR_FAKE_FAULT_DROP, 0, 1);
  world_run_command (conv, "rename Retried name");
  g_assert_true (plannr_harness_wait_line ("You renamed the conversation to Retried name", FAULT_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 2);
  /* Both with the body: libsoup must not resend it empty. */
  g_assert_cmpstr (plannr_fake_last_request (fx->world->fake, "PUT", NULL)->body, ==,
                   "{\"name\":\"Retried name\"}");
  g_assert_cmpstr (plannr_fake_get_conversation_name (fx->world->fake, WORLD_CONV), ==, "Retried name");
}

static void
test_rate_limited (WorldFixture  *fx,
                   gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");

  /* Two requests a window: polls and the send hit 429s. */
  plannr_fake_set_rate_window (fx->world->fake, 2);
  plannr_fake_set_rate_limit (fx->world->fake, 2);
  plannr_wait_for_ms (500);
  plannr_harness_send_chat (conv, "Queued behind a 429");
  g_assert_true (world_wait_stored (fx, "Queued behind a 429", FAULT_WAIT_MS));
  g_assert_true (plannr_harness_wait_line ("Queued behind a 429", FAULT_WAIT_MS));
  g_assert_true (purple_account_is_connected (fx->account));
  g_assert_cmpuint (plannr_harness_count_lines ("was not sent"), ==, 0);
  g_assert_cmpuint (plannr_fake_count_messages_with (fx->world->fake, WORLD_CONV, "Queued behind a 429"), ==, 1);
}

static void
test_close_in_flight (WorldFixture  *fx,
                      gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");

  /* Everything slow, then the account goes away mid-flight. */
  plannr_fake_add_fault (fx->world->fake, NULL, NULL, PLANNR_FAKE_FAULT_DELAY, 1500, -1);
  plannr_harness_send_chat (conv, "In flight");
  world_run_command (conv, "rename In flight too");
  world_run_command (conv, "edit In flight three");
  plannr_wait_for_ms (200);
  plannr_harness_disconnect (fx->account);
  /* The answers arrive after the connection is gone: nothing happens. */
  plannr_wait_for_ms (2500);
  g_assert_false (purple_account_is_connected (fx->account));
  plannr_fake_clear_faults (fx->world->fake);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Seconds, not minutes: see apply_test_knobs() in the plugin. */
  g_setenv ("PLANNR_RETRY_MS", "100", TRUE);
  g_setenv ("PLANNR_OUTAGE_LIMIT_S", "3", TRUE);
  g_setenv ("PLANNR_TIMEOUT_S", "1", TRUE);

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func) WORLD_TEST_ADD ("/faults/" path, func, 3)

  ADD ("token-never-shown", test_token_never_shown);
  g_test_add_func ("/faults/tls-unverified", test_tls_unverified);
  ADD ("revoked-token", test_revoked_token);
  ADD ("short-outage", test_short_outage);
  ADD ("sustained-outage", test_sustained_outage);
  ADD ("timeout", test_timeout);
  ADD ("send-ambiguous-arrived", test_send_ambiguous_arrived);
  ADD ("send-ambiguous-lost", test_send_ambiguous_lost);
  ADD ("put-retried", test_put_retried);
  ADD ("rate-limited", test_rate_limited);
  ADD ("close-in-flight", test_close_in_flight);

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
