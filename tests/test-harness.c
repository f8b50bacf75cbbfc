/* test-harness.c: smoke test of the headless libpurple harness
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The first half drives the harness through libpurple's own APIs, so a
 * broken harness shows up here rather than as a puzzling plugin failure;
 * the second half checks that the real plugin is found and refuses plain
 * http to a non-loopback host.
 */

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <purple.h>

#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

/* Stands in for a plugin's or connection's handle in purple_request_*. */
static int test_handle;

/* The environment and the event loop */

static void
test_environment (void)
{
  const char *dir = plannr_harness_get_user_dir ();
  g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);

  g_assert_cmpstr (purple_user_dir (), ==, dir);

  /* Set early enough that GLib's cached copies agree. */
  g_assert_cmpstr (g_getenv ("TMPDIR"), ==, tmp);
  g_assert_cmpstr (g_get_tmp_dir (), ==, tmp);
  g_assert_cmpstr (g_get_user_cache_dir (), ==, cache);
  g_assert_cmpstr (g_get_user_config_dir (), ==, config);
  g_assert_cmpstr (g_getenv ("GIO_USE_PROXY_RESOLVER"), ==, "dummy");
  g_assert_true (g_str_has_prefix (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                   "unix:path="));
  g_assert_true (purple_network_is_available ());

  g_assert_cmpstr (purple_core_get_ui (), ==, PLANNR_HARNESS_UI);
  g_assert_true (purple_eventloop_get_ui_ops () != NULL);
}

static gboolean
count_timeout_cb (gpointer data)
{
  int *count = data;

  (*count)++;

  return *count < 3 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
reached_three_cb (gpointer data)
{
  return *(int *) data >= 3;
}

static void
test_eventloop_timeout (void)
{
  int count = 0;
  int seconds = 0;
  guint id;

  purple_timeout_add (5, count_timeout_cb, &count);
  g_assert_true (plannr_wait_until (reached_three_cb, &count, 2000));

  /* A removed timeout never fires. */
  id = purple_timeout_add (1, count_timeout_cb, &count);
  g_assert_true (purple_timeout_remove (id));
  plannr_wait_for_ms (20);
  g_assert_cmpint (count, ==, 3);

  /* Seconds timers may be rounded by up to a second, so only check that
   * one is serviced at all. */
  seconds = 2;
  purple_timeout_add_seconds (1, count_timeout_cb, &seconds);
  g_assert_true (plannr_wait_until (reached_three_cb, &seconds, 3000));
}

typedef struct {
  int fd;
  int calls;
  PurpleInputCondition cond;
  char byte;
} InputData;

static void
input_cb (gpointer             data,
          int                  fd,
          PurpleInputCondition cond)
{
  InputData *input = data;

  g_assert_cmpint (fd, ==, input->fd);
  input->calls++;
  input->cond = cond;
  if (cond & PURPLE_INPUT_READ)
    g_assert_cmpint (read (fd, &input->byte, 1), ==, 1);
}

static gboolean
input_called_cb (gpointer data)
{
  return ((InputData *) data)->calls > 0;
}

static void
test_eventloop_input (void)
{
  InputData reader = { 0, };
  InputData writer = { 0, };
  int fds[2];
  guint read_id;
  guint write_id;

  g_assert_cmpint (pipe (fds), ==, 0);
  reader.fd = fds[0];
  writer.fd = fds[1];

  read_id = purple_input_add (fds[0], PURPLE_INPUT_READ, input_cb, &reader);
  write_id = purple_input_add (fds[1], PURPLE_INPUT_WRITE, input_cb, &writer);

  /* An empty pipe is writable but not readable. */
  g_assert_true (plannr_wait_until (input_called_cb, &writer, 2000));
  g_assert_cmpint (writer.cond, ==, PURPLE_INPUT_WRITE);
  g_assert_cmpint (reader.calls, ==, 0);
  g_assert_true (purple_input_remove (write_id));

  g_assert_cmpint (write (fds[1], "x", 1), ==, 1);
  g_assert_true (plannr_wait_until (input_called_cb, &reader, 2000));
  g_assert_cmpint (reader.cond, ==, PURPLE_INPUT_READ);
  g_assert_cmpint (reader.byte, ==, 'x');
  g_assert_true (purple_input_remove (read_id));

  close (fds[0]);
  close (fds[1]);
}

/* What the UI shows */

static void
test_debug_log (void)
{
  plannr_harness_clear_debug_log ();
  purple_debug_info ("harness-test", "marker %d\n", 42);
  purple_debug_misc ("harness-test", "no newline");

  /* Captured although purple_debug_is_enabled() is FALSE. */
  g_assert_false (purple_debug_is_enabled ());
  g_assert_cmpstr (plannr_harness_get_debug_log (), ==,
                   "info harness-test: marker 42\n"
                   "misc harness-test: no newline\n");

  plannr_harness_clear_debug_log ();
  g_assert_cmpstr (plannr_harness_get_debug_log (), ==, "");
}

static void
test_notify (void)
{
  const PlannrHarnessNotice *notice;
  GPtrArray *notices;

  plannr_harness_clear_notices ();
  g_assert_false (plannr_harness_wait_notice ("Secondary", 0));

  g_assert_nonnull (purple_notify_message (&test_handle, PURPLE_NOTIFY_MSG_ERROR,
                                           "Title", "Primary text",
                                           "Secondary text", NULL, NULL));
  g_assert_true (plannr_harness_wait_notice ("Secondary", 0));

  notices = plannr_harness_get_notices ();
  g_assert_cmpuint (notices->len, ==, 1);
  notice = g_ptr_array_index (notices, 0);
  g_assert_cmpint (notice->kind, ==, PURPLE_NOTIFY_MESSAGE);
  g_assert_cmpint (notice->type, ==, PURPLE_NOTIFY_MSG_ERROR);
  g_assert_cmpstr (notice->title, ==, "Title");
  g_assert_cmpstr (notice->primary, ==, "Primary text");

  /* Closing it in libpurple leaves the record for the test. */
  purple_notify_close_with_handle (&test_handle);
  g_assert_cmpuint (notices->len, ==, 1);

  plannr_harness_clear_notices ();
  g_assert_cmpuint (plannr_harness_get_notices ()->len, ==, 0);
}

/* Requests, made through libpurple so its own bookkeeping is exercised */

typedef struct {
  int calls;
  char *text;
  int value;
  gboolean close_in_callback;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->text, g_free);
  memset (answer, 0, sizeof *answer);
}

static void
input_answer_cb (gpointer    data,
                 const char *text)
{
  Answer *answer = data;

  answer->calls++;
  g_free (answer->text);
  answer->text = g_strdup (text);

  /* As a plugin might when the answer ends its connection. */
  if (answer->close_in_callback)
    purple_request_close_with_handle (&test_handle);
}

static void
int_answer_cb (gpointer data,
               int      value)
{
  Answer *answer = data;

  answer->calls++;
  answer->value = value;
}

static void
fields_answer_cb (gpointer             data,
                  PurpleRequestFields *fields)
{
  Answer *answer = data;

  answer->calls++;
  g_free (answer->text);
  answer->text = g_strdup (purple_request_fields_get_string (fields, "name"));
}

static void
test_request_input (void)
{
  PlannrHarnessRequest *req;
  Answer answer = { 0, };

  g_assert_null (plannr_harness_wait_request (0));

  purple_request_input (&test_handle, "Title", "Primary", "Secondary",
                        "default", FALSE, FALSE, NULL,
                        "OK", G_CALLBACK (input_answer_cb),
                        "Cancel", G_CALLBACK (input_answer_cb),
                        NULL, NULL, NULL, &answer);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 1);

  req = plannr_harness_wait_request (1000);
  g_assert_nonnull (req);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_INPUT);
  g_assert_cmpstr (req->title, ==, "Title");
  g_assert_cmpstr (req->primary, ==, "Primary");
  g_assert_cmpstr (req->secondary, ==, "Secondary");
  g_assert_cmpstr (req->default_value, ==, "default");
  g_assert_false (req->closed);

  plannr_harness_answer_input (req, "typed");
  g_assert_cmpint (answer.calls, ==, 1);
  g_assert_cmpstr (answer.text, ==, "typed");
  answer_clear (&answer);

  /* Cancel hands back the (unchanged) default, as Pidgin's dialog does. */
  purple_request_input (&test_handle, NULL, "Again", NULL, "default",
                        FALSE, FALSE, NULL,
                        "OK", G_CALLBACK (input_answer_cb),
                        "Cancel", G_CALLBACK (input_answer_cb),
                        NULL, NULL, NULL, &answer);
  plannr_harness_cancel_request (plannr_harness_wait_request (1000));
  g_assert_cmpint (answer.calls, ==, 1);
  g_assert_cmpstr (answer.text, ==, "default");
  answer_clear (&answer);

  /* A callback that closes its own request: still exactly one close. */
  answer.close_in_callback = TRUE;
  purple_request_input (&test_handle, NULL, "Closing", NULL, NULL,
                        FALSE, FALSE, NULL,
                        "OK", G_CALLBACK (input_answer_cb),
                        "Cancel", NULL, NULL, NULL, NULL, &answer);
  plannr_harness_answer_input (plannr_harness_wait_request (1000), "bye");
  g_assert_cmpint (answer.calls, ==, 1);
  answer_clear (&answer);

  /* Nothing of ours is left in libpurple's list to be closed again. */
  purple_request_close_with_handle (&test_handle);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);
}

static void
test_request_choice (void)
{
  PlannrHarnessRequest *req;
  Answer answer = { 0, };

  purple_request_choice (&test_handle, "Choose", "Pick one", NULL, 20,
                         "OK", G_CALLBACK (int_answer_cb),
                         "Cancel", G_CALLBACK (int_answer_cb),
                         NULL, NULL, NULL, &answer,
                         "ten", 10, "twenty", 20, "thirty", 30, NULL);

  req = plannr_harness_wait_request (1000);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_CHOICE);
  g_assert_cmpuint (req->choices->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (req->choices, 0), ==, "ten");
  g_assert_cmpstr (g_ptr_array_index (req->choices, 2), ==, "thirty");
  g_assert_cmpint (req->default_index, ==, 1);

  /* The callback gets the value that goes with the label. */
  plannr_harness_answer_choice (req, 2);
  g_assert_cmpint (answer.calls, ==, 1);
  g_assert_cmpint (answer.value, ==, 30);
  answer_clear (&answer);

  purple_request_choice (&test_handle, NULL, "Again", NULL, 20,
                         "OK", G_CALLBACK (int_answer_cb),
                         "Cancel", G_CALLBACK (int_answer_cb),
                         NULL, NULL, NULL, &answer,
                         "ten", 10, "twenty", 20, NULL);
  plannr_harness_cancel_request (plannr_harness_wait_request (1000));
  g_assert_cmpint (answer.calls, ==, 1);
  g_assert_cmpint (answer.value, ==, 20);
}

static void
test_request_action (void)
{
  PlannrHarnessRequest *req;
  Answer yes = { 0, };
  Answer no = { 0, };

  /* Both buttons share user_data, so tell them apart by callback. */
  purple_request_action (&test_handle, "Sure?", "Really?", NULL, 0,
                         NULL, NULL, NULL, &yes, 2,
                         "_Yes", G_CALLBACK (int_answer_cb),
                         "_No", NULL);

  req = plannr_harness_wait_request (1000);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_ACTION);
  g_assert_cmpuint (req->choices->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (req->choices, 1), ==, "_No");

  plannr_harness_answer_action (req, 0);
  g_assert_cmpint (yes.calls, ==, 1);
  g_assert_cmpint (yes.value, ==, 0);

  /* A button without a callback, and a dismissed dialog, run nothing. */
  purple_request_action (&test_handle, NULL, "Again?", NULL, 0,
                         NULL, NULL, NULL, &no, 2,
                         "_Yes", G_CALLBACK (int_answer_cb),
                         "_No", NULL);
  plannr_harness_answer_action (plannr_harness_wait_request (1000), 1);
  purple_request_action (&test_handle, NULL, "And again?", NULL, 0,
                         NULL, NULL, NULL, &no, 1,
                         "_Yes", G_CALLBACK (int_answer_cb));
  plannr_harness_cancel_request (plannr_harness_wait_request (1000));
  g_assert_cmpint (no.calls, ==, 0);
}

static void
test_request_fields (void)
{
  PurpleRequestFields *fields;
  PurpleRequestFieldGroup *group;
  PurpleRequestField *field;
  PlannrHarnessRequest *req;
  Answer answer = { 0, };

  fields = purple_request_fields_new ();
  group = purple_request_field_group_new (NULL);
  purple_request_fields_add_group (fields, group);
  purple_request_field_group_add_field (group,
      purple_request_field_string_new ("name", "Name", "old name", FALSE));

  purple_request_fields (&test_handle, "Rename", "Rename it", NULL, fields,
                         "OK", G_CALLBACK (fields_answer_cb),
                         "Cancel", G_CALLBACK (fields_answer_cb),
                         NULL, NULL, NULL, &answer);

  req = plannr_harness_wait_request (1000);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FIELDS);
  g_assert_true (req->fields == fields);

  field = purple_request_fields_get_field (req->fields, "name");
  g_assert_nonnull (field);
  purple_request_field_string_set_value (field, "new name");

  /* Answering frees the fields too; the UI owns them in libpurple 2. */
  plannr_harness_answer_fields (req);
  g_assert_cmpint (answer.calls, ==, 1);
  g_assert_cmpstr (answer.text, ==, "new name");
  answer_clear (&answer);
}

static void
test_request_closed_by_libpurple (void)
{
  PlannrHarnessRequest *req;
  Answer answer = { 0, };

  /* Closed while still queued: gone from the queue, nothing called. */
  purple_request_input (&test_handle, NULL, "Queued", NULL, NULL,
                        FALSE, FALSE, NULL,
                        "OK", G_CALLBACK (input_answer_cb),
                        "Cancel", G_CALLBACK (input_answer_cb),
                        NULL, NULL, NULL, &answer);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 1);
  purple_request_close_with_handle (&test_handle);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);

  /* Closed while a test holds it: marked, and answering runs nothing. */
  purple_request_input (&test_handle, NULL, "Held", NULL, NULL,
                        FALSE, FALSE, NULL,
                        "OK", G_CALLBACK (input_answer_cb),
                        "Cancel", G_CALLBACK (input_answer_cb),
                        NULL, NULL, NULL, &answer);
  req = plannr_harness_wait_request (1000);
  g_assert_nonnull (req);
  purple_request_close_with_handle (&test_handle);
  g_assert_true (req->closed);
  plannr_harness_answer_input (req, "too late");

  g_assert_cmpint (answer.calls, ==, 0);
}

/* The plugin */

static void
test_plugin_loaded (void)
{
  PurplePlugin *prpl = world_prpl ();

  g_assert_true (PURPLE_IS_PROTOCOL_PLUGIN (prpl));
  g_assert_true (purple_plugin_is_loaded (prpl));
  g_assert_cmpstr (purple_plugin_get_id (prpl), ==, "prpl-plannr");
}

static gboolean
has_option (PurplePluginProtocolInfo *prpl_info,
            const char               *setting)
{
  for (GList *l = prpl_info->protocol_options; l != NULL; l = l->next)
    {
      PurpleAccountOption *option = l->data;

      if (g_strcmp0 (purple_account_option_get_setting (option), setting) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_plugin_account_options (void)
{
  PurplePluginProtocolInfo *prpl_info = world_prpl_info ();

  g_assert_true (has_option (prpl_info, "base-url"));
  g_assert_true (has_option (prpl_info, "account-uuid"));
}

static gboolean
connection_gone_cb (gpointer data)
{
  return purple_account_get_connection (data) == NULL;
}

static void
test_plugin_insecure_base_url (void)
{
  PurpleConnectionError reason = PURPLE_CONNECTION_ERROR_OTHER_ERROR;
  g_autofree char *description = NULL;
  PurpleAccount *account;

  account = plannr_harness_account_new ("insecure@example.com",
                                        "not-a-real-token",
                                        "http://example.com", NULL);
  plannr_harness_connect (account);

  g_assert_true (plannr_harness_wait_error (account, 2000, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (description);
  g_test_message ("refused with: %s", description);

  /* libpurple tears the connection down from a timeout, and then nothing
   * may sign on again: the reconnect logic of real clients is theirs. */
  g_assert_true (plannr_wait_until (connection_gone_cb, account, 2000));
  plannr_wait_for_ms (200);
  g_assert_true (purple_account_is_disconnected (account));

  plannr_harness_account_delete (account);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

  g_test_add_func ("/harness/environment", test_environment);
  g_test_add_func ("/harness/eventloop/timeout", test_eventloop_timeout);
  g_test_add_func ("/harness/eventloop/input", test_eventloop_input);
  g_test_add_func ("/harness/debug-log", test_debug_log);
  g_test_add_func ("/harness/notify", test_notify);
  g_test_add_func ("/harness/request/input", test_request_input);
  g_test_add_func ("/harness/request/choice", test_request_choice);
  g_test_add_func ("/harness/request/action", test_request_action);
  g_test_add_func ("/harness/request/fields", test_request_fields);
  g_test_add_func ("/harness/request/closed-by-libpurple",
                   test_request_closed_by_libpurple);
  g_test_add_func ("/harness/plugin/loaded", test_plugin_loaded);
  g_test_add_func ("/harness/plugin/account-options",
                   test_plugin_account_options);
  g_test_add_func ("/harness/plugin/insecure-base-url",
                   test_plugin_insecure_base_url);

  ret = g_test_run ();

  plannr_harness_shutdown ();

  return ret;
}
