/* test-outbox.c: plannr-outbox against the in-process fake Plannr
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A message is posted once and reported once, whatever the answer:
 * the server's message, a 2xx without one, an answer lost after the
 * message was stored, or before.  Edits wait for the sends before them
 * and for each other.
 */
#include "config.h"

#include <string.h>

#include "plannr-fake.h"
#include "plannr-outbox.h"

#define TOKEN "tok-ada"
#define USER "47eaa099-2cb6-416d-86dc-283cf0480ff9"
#define FIRM "5d32fe61-985f-44e7-aa09-5ee82bb29976"
#define ME "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d"
#define OTHER "3b041641-1788-44f2-a60d-f25453fe2e85"
#define CONV "36b8523d-2736-4864-ac6c-ef9839888e75"
#define POSTS "/api/v1/conversation/" CONV "/messages"

typedef struct
{
  PlannrFake       *fake;
  PlannrApi        *api;
  PlannrMessageLog *log;
  PlannrOutbox     *outbox;
  GPtrArray        *sent;       /* char*: uuid of each message reported sent */
  GPtrArray        *failed;     /* char*: "text|reason" of each failure */
  guint             look_again;
  GString          *order;      /* what ran, in order */
} Fixture;

static void
sent_cb (gpointer             user_data,
         const char          *uuid,
         const PlannrMessage *message)
{
  Fixture *f = user_data;

  g_assert_cmpstr (uuid, ==, CONV);
  g_ptr_array_add (f->sent, g_strdup (message->uuid));
  g_string_append_printf (f->order, "sent:%s;", message->contents);
}

static void
failed_cb (gpointer    user_data,
           const char *uuid,
           const char *text,
           const char *reason)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->failed, g_strdup_printf ("%s|%s", text, reason));
}

static void
look_again_cb (gpointer    user_data,
               const char *uuid)
{
  ((Fixture *) user_data)->look_again++;
}

static void
unauthorized_cb (gpointer      user_data,
                 const GError *error)
{
  g_assert_not_reached ();
}

static const PlannrOutboxCallbacks callbacks = {
  sent_cb, failed_cb, look_again_cb, unauthorized_cb,
};

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  const char *both[] = { ME, OTHER, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *conv = NULL;

  f->fake = plannr_fake_new ();
  plannr_fake_add_user (f->fake, USER, "Ada Lovelace", "ada@example.com", TOKEN);
  plannr_fake_add_firm (f->fake, FIRM, "Thompson Wealth");
  plannr_fake_add_account (f->fake, ME, USER, FIRM, "Ada Lovelace", "employee");
  plannr_fake_add_account (f->fake, OTHER, NULL, FIRM, "Ben Client", "client");
  conv = plannr_fake_add_conversation (f->fake, CONV, "Welcome", both, both);
  g_assert_true (plannr_fake_listen (f->fake, 0, &error));
  f->api = plannr_api_new (plannr_fake_get_base_url (f->fake), TOKEN, &error);
  g_assert_no_error (error);
  plannr_api_set_account_uuid (f->api, ME);
  plannr_api_set_retry_delay (f->api, 10);
  f->log = plannr_message_log_new ();
  /* Looks for a lost send 50 ms later. */
  f->outbox = plannr_outbox_new (f->api, CONV, ME, f->log, 50, &callbacks, f);
  f->sent = g_ptr_array_new_with_free_func (g_free);
  f->failed = g_ptr_array_new_with_free_func (g_free);
  f->order = g_string_new (NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  plannr_api_shutdown (f->api);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  plannr_outbox_free (f->outbox);
  plannr_message_log_free (f->log);
  g_object_unref (f->api);
  plannr_fake_free (f->fake);
  g_ptr_array_unref (f->sent);
  g_ptr_array_unref (f->failed);
  g_string_free (f->order, TRUE);
}

static gboolean
expired_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @n messages were reported (sent or failed). */
static void
wait_reports (Fixture *f,
              guint    n)
{
  gboolean expired = FALSE;
  guint guard = g_timeout_add_seconds (10, expired_cb, &expired);

  while (f->sent->len + f->failed->len < n && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (guard);
  /* And a little longer, to see nothing more happens. */
  expired = FALSE;
  g_timeout_add (300, expired_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

static void
assert_stored_once (Fixture    *f,
                    const char *text)
{
  g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV, text), ==, 1);
}

static void
test_sent (Fixture       *f,
           gconstpointer  data)
{
  plannr_outbox_send (f->outbox, "Hello");
  g_assert_true (plannr_outbox_is_pending (f->outbox));
  wait_reports (f, 1);
  g_assert_false (plannr_outbox_is_pending (f->outbox));
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", POSTS), ==, 1);
  assert_stored_once (f, "Hello");
}

/* A 201 without a body (Laravel's shapes): found on the server at
 * once, never reported as failed, never posted again. */
static void
test_accepted (Fixture       *f,
               gconstpointer  data)
{
  plannr_fake_set_empty_2xx (f->fake, TRUE);
  plannr_outbox_send (f->outbox, "Hello");
  /* Until it is found, the log knows it is on its way from here. */
  g_assert_true (plannr_message_log_is_sending (f->log, "Hello"));
  wait_reports (f, 1);
  g_assert_false (plannr_message_log_is_sending (f->log, "Hello"));
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (f->failed->len, ==, 0);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", POSTS), ==, 1);
  assert_stored_once (f, "Hello");
}

/* The same where the server allows only 15 a page, in a busy
 * conversation: the send is on the newest page, and that one page is
 * all it reads (not the 50 a lost send is looked for in). */
static void
test_accepted_one_page (Fixture       *f,
                        gconstpointer  data)
{
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *text = g_strdup_printf ("earlier %u", i);

      g_free (plannr_fake_post_message (f->fake, CONV, OTHER, text));
    }
  plannr_fake_set_empty_2xx (f->fake, TRUE);
  plannr_fake_set_clamp_per_page (f->fake, 15);
  plannr_fake_clear_requests (f->fake);
  plannr_outbox_send (f->outbox, "Hello");
  wait_reports (f, 1);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (f->failed->len, ==, 0);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", POSTS), ==, 1);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "GET", POSTS), ==, 1);
  assert_stored_once (f, "Hello");
}

/* Stored, then the connection dropped: found, not posted again. */
static void
test_lost_answer (Fixture       *f,
                  gconstpointer  data)
{
  plannr_fake_add_fault (f->fake, "POST", POSTS, PLANNR_FAKE_FAULT_DROP_AFTER, 0, 1);
  plannr_outbox_send (f->outbox, "Hello");
  wait_reports (f, 1);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", POSTS), ==, 1);
  assert_stored_once (f, "Hello");
}

/* Dropped before it was stored: known not to have arrived, posted
 * again, reported once. */
static void
test_lost_request (Fixture       *f,
                   gconstpointer  data)
{
  plannr_fake_add_fault (f->fake, "POST", POSTS, PLANNR_FAKE_FAULT_DROP, 0, 1);
  plannr_outbox_send (f->outbox, "Hello");
  wait_reports (f, 1);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", POSTS), ==, 2);
  assert_stored_once (f, "Hello");
}

/* The same text sent before is not taken for this one. */
static void
test_same_text_before (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *earlier = plannr_fake_post_message (f->fake, CONV, ME, "OK");
  g_autoptr(PlannrPage) page = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* The log knows the earlier "OK" (a poll showed it). */
  {
    g_autofree char *json = g_strdup_printf ("{\"uuid\": \"%s\", \"contents\": \"OK\", "
                                             "\"created_at\": \"2026-11-21T09:00:00Z\", "
                                             "\"author\": {\"uuid\": \"%s\", \"name\": \"Ada\"}}",
                                             earlier, ME);
    g_autoptr(PlannrMessage) message = NULL;

    node = plannr_json_parse (json, strlen (json), NULL);
    message = plannr_message_new_from_json (node, NULL);
    plannr_message_log_add (f->log, message, TRUE);
  }
  plannr_fake_add_fault (f->fake, "POST", POSTS, PLANNR_FAKE_FAULT_DROP, 0, 1);
  plannr_outbox_send (f->outbox, "OK");
  wait_reports (f, 1);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->sent, 0), !=, earlier);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", POSTS), ==, 2);
  g_assert_cmpuint (plannr_fake_count_messages_with (f->fake, CONV, "OK"), ==, 2);
}

/* A refusal is told with the text; nothing is posted again. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  plannr_fake_add_fault (f->fake, "POST", POSTS, PLANNR_FAKE_FAULT_STATUS, 422, 1);
  plannr_outbox_send (f->outbox, "Keep me");
  plannr_outbox_send (f->outbox, "And me");
  wait_reports (f, 2);
  g_assert_cmpuint (f->failed->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->failed, 0), "Keep me|"));
  /* The next one still goes, in its turn. */
  g_assert_cmpuint (f->sent->len, ==, 1);
  assert_stored_once (f, "And me");
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, "POST", POSTS), ==, 2);
}

typedef struct
{
  Fixture    *f;
  const char *name;
} Write;

static void
write_cb (gpointer data)
{
  Write *write = data;

  g_string_append_printf (write->f->order, "write:%s;", write->name);
  /* Not done yet: the next write must wait for this one. */
  g_assert_false (plannr_outbox_is_pending (write->f->outbox));
}

/* Edits run once every message sent before them has its uuid, and one
 * at a time. */
static void
test_writes_wait (Fixture       *f,
                  gconstpointer  data)
{
  Write first = { f, "first" };
  Write second = { f, "second" };

  plannr_fake_add_fault (f->fake, "POST", POSTS, PLANNR_FAKE_FAULT_DELAY, 300, 1);
  plannr_outbox_send (f->outbox, "Slow");
  plannr_outbox_queue_write (f->outbox, write_cb, &first, NULL);
  plannr_outbox_queue_write (f->outbox, write_cb, &second, NULL);
  g_assert_cmpstr (f->order->str, ==, "");
  wait_reports (f, 1);
  g_assert_cmpstr (f->order->str, ==, "sent:Slow;write:first;");
  plannr_outbox_write_done (f->outbox);
  g_assert_cmpstr (f->order->str, ==, "sent:Slow;write:first;write:second;");
  plannr_outbox_write_done (f->outbox);
  /* With nothing pending, a write runs at once. */
  plannr_outbox_queue_write (f->outbox, write_cb, &first, NULL);
  g_assert_cmpstr (f->order->str, ==, "sent:Slow;write:first;write:second;write:first;");
}

static void
test_find_sent (void)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_message_free);
  const char *before[] = { "00000000-0000-4000-8000-000000000001", NULL };
  static const char *json[] = {
    "{\"uuid\": \"00000000-0000-4000-8000-000000000003\", \"contents\": \"Hi\", \"author\": {\"uuid\": \"" OTHER "\"}}",
    "{\"uuid\": \"00000000-0000-4000-8000-000000000002\", \"contents\": \"Hi\", \"author\": {\"uuid\": \"" ME "\"}, \"deleted_at\": \"2026-11-21T09:00:00Z\"}",
    "{\"uuid\": \"00000000-0000-4000-8000-000000000001\", \"contents\": \"Hi\", \"author\": {\"uuid\": \"" ME "\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (json); i++)
    {
      g_autoptr(JsonNode) node = plannr_json_parse (json[i], strlen (json[i]), NULL);

      g_ptr_array_add (messages, plannr_message_new_from_json (node, NULL));
    }
  /* Someone else's, a deleted one, and one from before: none is it. */
  g_assert_null (plannr_outbox_find_sent (messages, ME, "Hi", before));
  /* Without the one from before, that one is it (upper-case uuid too). */
  g_assert_true (plannr_outbox_find_sent (messages, "68B4AEF7-3EAA-4E17-9D8A-4EACE693AE2D", "Hi", NULL) ==
                 g_ptr_array_index (messages, 2));
  g_assert_null (plannr_outbox_find_sent (messages, ME, "Hello", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/outbox/" path, Fixture, NULL, setup, func, teardown)

  ADD ("sent", test_sent);
  ADD ("accepted", test_accepted);
  ADD ("accepted-one-page", test_accepted_one_page);
  ADD ("lost-answer", test_lost_answer);
  ADD ("lost-request", test_lost_request);
  ADD ("same-text-before", test_same_text_before);
  ADD ("refused", test_refused);
  ADD ("writes-wait", test_writes_wait);
  g_test_add_func ("/outbox/find-sent", test_find_sent);

#undef ADD

  return g_test_run ();
}
