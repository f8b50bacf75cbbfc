/* test-edit.c: editing messages from Pidgin and Finch
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every entry point (/edit, /edit HH:MM, s/old/new/ typed as a message,
 * the "Edit a message…" menu action) must become exactly one
 * PUT /api/v1/conversation/{cuuid}/messages/{uuid} with {"contents": NEW}
 * and the four headers, say so once in the chat, and never be announced
 * again by a later poll.  Failures say why and repeat the text; edits
 * made elsewhere are announced once.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "plannr-api.h"
#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

#define EDIT_GLOB      WORLD_MESSAGES_PATH "/*"
#define UNCHANGED_LINE "The message already reads like that; nothing was sent."

/* --- the fake's store ------------------------------------------------------ */

/* The fake's clock, so that messages get the times a test needs. */
static void
set_clock (WorldFixture *fx,
           GDateTime    *time)
{
  g_autofree char *iso = g_date_time_format_iso8601 (time);

  plannr_fake_set_time (fx->world->fake, iso);
}

/* A minute start safely after everything world_new() made, a day ago. */
static GDateTime *
quiet_minute (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 10 - 24 * 60);

  return g_date_time_new_local (g_date_time_get_year (later), g_date_time_get_month (later),
                                g_date_time_get_day_of_month (later),
                                g_date_time_get_hour (later), g_date_time_get_minute (later), 0);
}

/* --- sending and looking ---------------------------------------------------- */

/* Types @text (plain) into the chat as Pidgin would (markup) and waits
 * until the server has it and the chat shows it; returns its uuid. */
static char *
send_mine (WorldFixture *fx,
           const char   *text)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);

  /* The chat escapes like g_markup_escape_text, except ' (as &apos;). */
  g_assert_null (strchr (text, '\''));
  world_type_line (fx->conv, text);
  g_assert_true (world_wait_stored (fx, text, WORLD_WAIT_MS));
  g_assert_true (plannr_harness_wait_line (markup, WORLD_WAIT_MS));
  return world_message_uuid (fx, WORLD_CONV, text);
}

/* The last PUT is the edit of @uuid to @contents, as seed 002 has it,
 * and @puts PUTs were made since the log was cleared. */
static void
assert_edit_request (WorldFixture *fx,
                     const char   *uuid,
                     const char   *contents,
                     guint         puts)
{
  g_autofree char *path = g_strdup_printf (WORLD_MESSAGES_PATH "/%s", uuid);
  const PlannrFakeRequest *request;

  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, puts);
  request = plannr_fake_last_request (fx->world->fake, "PUT", NULL);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, path);
  g_assert_null (request->query);
  world_assert_headers (request);
  world_assert_json_body (request, "contents", contents);
}

typedef struct
{
  WorldFixture *fx;
  const char   *uuid;
  const char   *contents;
} EditQuery;

static gboolean
edited_cb (gpointer data)
{
  EditQuery *query = data;

  return g_strcmp0 (plannr_fake_get_message_contents (query->fx->world->fake, query->uuid),
                    query->contents) == 0;
}

/* Waits for the edit of @uuid to @contents to reach the server and the
 * chat to say so; checks the request (the @puts-th PUT). */
static void
assert_edited (WorldFixture *fx,
               const char   *uuid,
               const char   *when,
               const char   *contents,
               guint         puts)
{
  EditQuery query = { fx, uuid, contents };
  g_autofree char *escaped = g_markup_escape_text (contents, -1);
  g_autofree char *line = g_strdup_printf ("You edited your message from %s: %s", when, escaped);

  g_assert_true (plannr_wait_until (edited_cb, &query, WORLD_WAIT_MS));
  g_assert_true (plannr_fake_is_message_edited (fx->world->fake, uuid));
  assert_edit_request (fx, uuid, contents, puts);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  g_assert_cmpuint (plannr_harness_count_lines (line), ==, 1);
}

/* --- /edit ---------------------------------------------------------------- */

static void
test_edit_latest (WorldFixture  *fx,
                  gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *when = NULL;
  guint posts;

  world_open_chat (fx, "Message 3 from Ben");
  first = send_mine (fx, "First of mine");
  second = send_mine (fx, "Second of mine");
  when = world_message_time (fx, WORLD_CONV, "Second of mine", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);

  world_run_command (fx->conv, "/edit   Second of mine, corrected  ");
  assert_edited (fx, second, when, "Second of mine, corrected", 1);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, first), ==, "First of mine");
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);

  /* Later polls know it already: not announced again, not sent again. */
  posts = world_count (fx, "POST", NULL);
  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (plannr_harness_count_lines ("You edited your message"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("(was:"), ==, 0);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, posts);

  /* The next /edit starts from the edited text. */
  world_run_command (fx->conv, "/edit Second of mine, corrected");
  g_assert_true (plannr_harness_wait_line (UNCHANGED_LINE, WORLD_WAIT_MS));
  plannr_wait_for_ms (200);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 1);
}

static void
test_edit_usage (WorldFixture  *fx,
                 gconstpointer  data)
{
  world_open_chat (fx, "Message 3 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  world_run_command (fx->conv, "/edit");
  g_assert_cmpuint (plannr_harness_count_lines ("Usage: /edit NEW TEXT"), ==, 1);
  world_run_command (fx->conv, "/edit     ");
  g_assert_cmpuint (plannr_harness_count_lines ("Usage: /edit NEW TEXT"), ==, 2);

  /* None of mine here: said, with the text, after looking further back. */
  world_run_command (fx->conv, "/edit Hello again");
  g_assert_true (plannr_harness_wait_line ("Nothing was edited (you have no message in this "
                                           "conversation to edit): Hello again", WORLD_WAIT_MS));

  /* /help edit explains it. */
  {
    GList *help = purple_cmd_help (fx->conv, "edit");

    g_assert_nonnull (help);
    g_assert_nonnull (strstr (help->data, "s/old/new/"));
    g_list_free (help);
  }

  plannr_wait_for_ms (200);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
}

static void
test_edit_at_time (WorldFixture  *fx,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) minute = quiet_minute ();
  g_autoptr(GDateTime) t1 = g_date_time_add_seconds (minute, 30);
  g_autoptr(GDateTime) t2 = g_date_time_add_seconds (minute, 125);
  g_autoptr(GDateTime) t3 = g_date_time_add_seconds (minute, 160);
  g_autoptr(GDateTime) empty = g_date_time_add_minutes (minute, 1);
  g_autofree char *hm1 = NULL;
  g_autofree char *hm2 = NULL;
  g_autofree char *hms2 = NULL;
  g_autofree char *hm_empty = g_date_time_format (empty, "%H:%M");
  g_autofree char *hms_empty = g_date_time_format (t3, "%H:%M:01");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *line = NULL;
  g_autofree char *several = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  /* A at MM:30, B and C in the minute two later, nothing in between. */
  set_clock (fx, t1);
  a = send_mine (fx, "Alpha of mine");
  set_clock (fx, t2);
  b = send_mine (fx, "Bravo of mine");
  set_clock (fx, t3);
  c = send_mine (fx, "Charlie of mine");
  hm1 = world_message_time (fx, WORLD_CONV, "Alpha of mine", "%H:%M");
  hm2 = world_message_time (fx, WORLD_CONV, "Bravo of mine", "%H:%M");
  hms2 = world_message_time (fx, WORLD_CONV, "Bravo of mine", "%H:%M:%S");
  /* The fake's clock did as told: B and C share a minute, A does not. */
  {
    g_autofree char *hm3 = world_message_time (fx, WORLD_CONV, "Charlie of mine", "%H:%M");
    g_autofree char *hm_t1 = g_date_time_format (t1, "%H:%M");
    g_autofree char *hm_t2 = g_date_time_format (t2, "%H:%M");

    g_assert_cmpstr (hm1, ==, hm_t1);
    g_assert_cmpstr (hm2, ==, hm_t2);
    g_assert_cmpstr (hm3, ==, hm2);
  }
  plannr_fake_clear_requests (fx->world->fake);

  /* HH:MM, one match: the older message, not the latest. */
  cmd = g_strdup_printf ("/edit %s Alpha, corrected", hm1);
  world_run_command (fx->conv, cmd);
  assert_edited (fx, a, hm1, "Alpha, corrected", 1);
  g_assert_cmpuint (plannr_harness_count_lines ("of your messages are from"), ==, 0);

  /* HH:MM:SS picks one of two in the same minute. */
  g_free (cmd);
  cmd = g_strdup_printf ("/edit %s Bravo, corrected", hms2);
  world_run_command (fx->conv, cmd);
  assert_edited (fx, b, hm2, "Bravo, corrected", 2);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, c), ==, "Charlie of mine");

  /* HH:MM with two: the newest, and the user is told. */
  g_free (cmd);
  cmd = g_strdup_printf ("/edit %s Charlie, corrected", hm2);
  world_run_command (fx->conv, cmd);
  assert_edited (fx, c, hm2, "Charlie, corrected", 3);
  several = g_strdup_printf ("2 of your messages are from %s; editing the newest of them.", hm2);
  g_assert_cmpuint (plannr_harness_count_lines (several), ==, 1);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, b), ==, "Bravo, corrected");

  /* None at that time: said, with the text; nothing sent. */
  g_free (cmd);
  cmd = g_strdup_printf ("/edit %s Nobody home", hm_empty);
  world_run_command (fx->conv, cmd);
  line = g_strdup_printf ("Nothing was edited (none of your messages is from %s): Nobody home", hm_empty);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  g_free (cmd);
  g_free (line);
  cmd = g_strdup_printf ("/edit %s Nobody home either", hms_empty);
  world_run_command (fx->conv, cmd);
  line = g_strdup_printf ("Nothing was edited (none of your messages is from %s): Nobody home either",
                          hms_empty);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));

  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 3);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
}

/* My message written elsewhere (the web app): known by its uuid too. */
static void
test_edit_mine_from_elsewhere (WorldFixture  *fx,
                               gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_ME, "Typed on the web");
  g_assert_true (plannr_harness_wait_line ("Typed on the web", WORLD_POLL_WAIT_MS));
  g_assert_true (plannr_harness_find_line ("Typed on the web")->flags & PURPLE_MESSAGE_SEND);
  when = world_message_time (fx, WORLD_CONV, "Typed on the web", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);

  world_run_command (fx->conv, "/edit Typed on the web, then fixed here");
  assert_edited (fx, uuid, when, "Typed on the web, then fixed here", 1);
}

/* A message of mine older than what the chat loaded is looked up. */
static void
test_edit_loads_older (WorldFixture  *fx,
                       gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;
  g_autofree char *cmd = NULL;

  /* Mine first, then 25 of Ben's; the chat loads and shows only 5. */
  uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_ME, "An early note");
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *text = g_strdup_printf ("Later %u from Ben", i + 1);
      g_autofree char *id = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, text);
    }
  purple_account_set_int (fx->account, "history-count", 5);
  world_open_chat (fx, "Later 25 from Ben");
  g_assert_null (plannr_harness_find_line ("An early note"));
  when = world_message_time (fx, WORLD_CONV, "An early note", "%H:%M:%S");
  plannr_fake_clear_requests (fx->world->fake);

  cmd = g_strdup_printf ("/edit %s An early note, revised", when);
  world_run_command (fx->conv, cmd);
  g_free (when);
  when = world_message_time (fx, WORLD_CONV, "An early note", "%H:%M");
  assert_edited (fx, uuid, when, "An early note, revised", 1);
  /* It took one look further back. */
  {
    GPtrArray *requests = plannr_fake_get_requests (fx->world->fake);
    guint deep = 0;

    for (guint i = 0; i < requests->len; i++)
      {
        const PlannrFakeRequest *request = g_ptr_array_index (requests, i);

        if (g_strcmp0 (request->path, WORLD_MESSAGES_PATH) == 0 && request->query != NULL &&
            strstr (request->query, "per_page=200") != NULL)
          deep++;
      }
    /* 29 messages in all: one page, unless the server holds fewer. */
    g_assert_cmpuint (deep, ==, world_pages (fx->world, 29, 200));
  }
}

/* --- s/old/new/ ------------------------------------------------------------ */

/* Substitutions are never messages: nothing was posted, nothing stored. */
static void
assert_not_sent (WorldFixture *fx,
                 const char   *typed,
                 guint         posts)
{
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, posts);
  g_assert_cmpuint (plannr_fake_count_messages_with (fx->world->fake, WORLD_CONV, typed), ==, 0);
}

static void
test_edit_substitute (WorldFixture  *fx,
                      gconstpointer  data)
{
  g_autofree char *meeting = NULL;
  g_autofree char *papers = NULL;
  g_autofree char *when_meeting = NULL;
  g_autofree char *when_papers = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  meeting = send_mine (fx, "The meeting is on Tuesday");
  papers = send_mine (fx, "Bring the Tuesday papers");
  g_free (send_mine (fx, "See you then"));
  when_meeting = world_message_time (fx, WORLD_CONV, "The meeting is on Tuesday", "%H:%M");
  when_papers = world_message_time (fx, WORLD_CONV, "Bring the Tuesday papers", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);

  /* My most recent message that contains it, not simply the last. */
  world_type_line (fx->conv, "s/Tuesday/Wednesday/");
  assert_edited (fx, papers, when_papers, "Bring the Wednesday papers", 1);
  assert_not_sent (fx, "s/Tuesday/Wednesday/", 0);

  /* Now only the older one has it. */
  world_type_line (fx->conv, "s/Tuesday/Thursday/ ");
  assert_edited (fx, meeting, when_meeting, "The meeting is on Thursday", 2);
  assert_not_sent (fx, "s/Tuesday/Thursday/", 0);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, papers), ==,
                   "Bring the Wednesday papers");
}

static void
test_edit_substitute_global (WorldFixture  *fx,
                             gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  uuid = send_mine (fx, "a cat, a cat and a cat");
  when = world_message_time (fx, WORLD_CONV, "a cat, a cat and a cat", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);

  /* Without g, the first one only. */
  world_type_line (fx->conv, "s/cat/dog/");
  assert_edited (fx, uuid, when, "a dog, a cat and a cat", 1);
  world_type_line (fx->conv, "s/cat/bird/g");
  assert_edited (fx, uuid, when, "a dog, a bird and a bird", 2);
  assert_not_sent (fx, "s/cat/bird/g", 0);
}

static void
test_edit_substitute_no_match (WorldFixture  *fx,
                               gconstpointer  data)
{
  world_open_chat (fx, "Message 3 from Ben");
  g_free (send_mine (fx, "Nothing striped here"));
  plannr_fake_clear_requests (fx->world->fake);

  world_type_line (fx->conv, "s/zebra/horse/");
  g_assert_true (plannr_harness_wait_line ("Nothing was edited (none of your recent messages "
                                           "contains “zebra”): s/zebra/horse/", WORLD_WAIT_MS));
  /* Ben's messages are not mine to edit. */
  world_type_line (fx->conv, "s/Ben/Benjamin/g");
  g_assert_true (plannr_harness_wait_line ("Nothing was edited (none of your recent messages "
                                           "contains “Ben”): s/Ben/Benjamin/g", WORLD_WAIT_MS));
  assert_not_sent (fx, "s/zebra/horse/", 0);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
}

static void
test_edit_substitute_escaped_slash (WorldFixture  *fx,
                                    gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  uuid = send_mine (fx, "see a/b now");
  when = world_message_time (fx, WORLD_CONV, "see a/b now", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);

  world_type_line (fx->conv, "s/a\\/b/c\\/d/");
  assert_edited (fx, uuid, when, "see c/d now", 1);
  assert_not_sent (fx, "s/a\\/b/c\\/d/", 0);
}

static void
test_edit_substitute_literal (WorldFixture  *fx,
                              gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  uuid = send_mine (fx, "costs 1.5* more (approx.) [$]");
  when = world_message_time (fx, WORLD_CONV, "costs 1.5* more (approx.) [$]", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);

  /* As a regular expression "1.5*" would match "1." too; here it is text. */
  world_type_line (fx->conv, "s/1.5*/2/");
  assert_edited (fx, uuid, when, "costs 2 more (approx.) [$]", 1);
  world_type_line (fx->conv, "s/(approx.) [$]/^$/");
  assert_edited (fx, uuid, when, "costs 2 more ^$", 2);
  /* ".*" is two characters, which the message does not contain. */
  world_type_line (fx->conv, "s/.*/everything/");
  g_assert_true (plannr_harness_wait_line ("Nothing was edited (none of your recent messages "
                                           "contains “.*”): s/.*/everything/", WORLD_WAIT_MS));
  assert_not_sent (fx, "s/.*/everything/", 0);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 2);
}

/* --- the menu action ------------------------------------------------------ */

/* Opens the dialog, checks the offered messages (@labels, newest first),
 * picks @index and returns the second dialog, prefilled with @prefill. */
static PlannrHarnessRequest *
pick_in_dialog (WorldFixture       *fx,
                const char * const *labels,
                int                 index,
                const char         *prefill)
{
  PlannrHarnessRequest *req;
  PurpleRequestField *field;
  GList *offered;
  guint n = 0;

  world_run_menu_action (fx, WORLD_CONV, "Edit a message…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FIELDS);
  g_assert_true (req->account == fx->account);
  field = purple_request_fields_get_field (req->fields, "message");
  g_assert_nonnull (field);
  g_assert_cmpint (purple_request_field_get_type (field), ==, PURPLE_REQUEST_FIELD_CHOICE);
  offered = purple_request_field_choice_get_labels (field);
  for (GList *l = offered; l != NULL; l = l->next, n++)
    {
      g_assert_nonnull (labels[n]);
      g_assert_cmpstr (l->data, ==, labels[n]);
    }
  g_assert_null (labels[n]);
  purple_request_field_choice_set_value (field, index);
  plannr_harness_answer_fields (req);

  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FIELDS);
  field = purple_request_fields_get_field (req->fields, "text");
  g_assert_nonnull (field);
  g_assert_cmpint (purple_request_field_get_type (field), ==, PURPLE_REQUEST_FIELD_STRING);
  g_assert_cmpstr (purple_request_field_string_get_default_value (field), ==, prefill);
  g_assert_cmpstr (purple_request_field_string_get_value (field), ==, prefill);
  return req;
}

static void
test_edit_dialog (WorldFixture  *fx,
                  gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *hm1 = NULL;
  g_autofree char *hm2 = NULL;
  g_autofree char *label1 = NULL;
  g_autofree char *label2_after = NULL;
  g_autofree char *long_text = g_strnfill (60, 'x');
  g_autofree char *label_long = NULL;
  PlannrHarnessRequest *req;

  world_open_chat (fx, "Message 3 from Ben");
  first = send_mine (fx, "The first of mine");
  second = send_mine (fx, long_text);
  hm1 = world_message_time (fx, WORLD_CONV, "The first of mine", "%H:%M");
  hm2 = world_message_time (fx, WORLD_CONV, long_text, "%H:%M");
  label1 = g_strdup_printf ("%s — The first of mine", hm1);
  /* The start of the text: 40 characters and an ellipsis. */
  label_long = g_strdup_printf ("%s — %.40s…", hm2, long_text);
  plannr_fake_clear_requests (fx->world->fake);

  {
    const char *labels[] = { label_long, label1, NULL };

    /* The older one, to see that the choice is what counts. */
    req = pick_in_dialog (fx, labels, 1, "The first of mine");
  }
  purple_request_field_string_set_value (purple_request_fields_get_field (req->fields, "text"),
                                         "The first of mine, edited in a dialog");
  plannr_harness_answer_fields (req);
  assert_edited (fx, first, hm1, "The first of mine, edited in a dialog", 1);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, second), ==, long_text);

  /* Again: the list shows the new text; cancelling sends nothing. */
  label2_after = g_strdup_printf ("%s — The first of mine, edited in a dialog", hm1);
  {
    const char *labels[] = { label_long, label2_after, NULL };

    req = pick_in_dialog (fx, labels, 0, long_text);
  }
  plannr_harness_cancel_request (req);
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 1);

  /* Cancelling the first dialog sends nothing either. */
  world_run_menu_action (fx, WORLD_CONV, "Edit a message…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  plannr_harness_cancel_request (req);
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 1);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);
}

/* The log changes while the dialog is open (a message of mine arrives
 * from another device): the message picked is still the one edited. */
static void
test_edit_dialog_log_changes (WorldFixture  *fx,
                              gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *newer = NULL;
  PlannrHarnessRequest *req;
  PurpleRequestField *field;

  world_open_chat (fx, "Message 3 from Ben");
  first = send_mine (fx, "Picked in the dialog");
  plannr_fake_clear_requests (fx->world->fake);

  world_run_menu_action (fx, WORLD_CONV, "Edit a message…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FIELDS);

  /* Meanwhile, from my phone: the newest of mine is now another one. */
  newer = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_ME, "Written on the phone");
  g_assert_true (plannr_harness_wait_line ("Written on the phone", WORLD_WAIT_MS));

  field = purple_request_fields_get_field (req->fields, "message");
  purple_request_field_choice_set_value (field, 0);
  plannr_harness_answer_fields (req);
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpstr (purple_request_fields_get_string (req->fields, "text"), ==, "Picked in the dialog");
  purple_request_field_string_set_value (purple_request_fields_get_field (req->fields, "text"),
                                         "Picked, and edited");
  plannr_harness_answer_fields (req);
  g_assert_true (plannr_harness_wait_line ("You edited your message", WORLD_WAIT_MS));
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, first), ==, "Picked, and edited");
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, newer), ==, "Written on the phone");
}

static void
test_edit_dialog_none (WorldFixture  *fx,
                       gconstpointer  data)
{
  world_open_chat (fx, "Message 3 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  world_run_menu_action (fx, WORLD_CONV, "Edit a message…");
  g_assert_true (plannr_harness_wait_line ("You have no message in this conversation to edit.", WORLD_WAIT_MS));
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
}

/* --- failures -------------------------------------------------------------- */

static void
check_failure (WorldFixture *fx,
               guint         status,     /* 0: the connection is dropped */
               const char   *reason,
               guint         timeout_ms)
{
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;
  const char *text = "Please read this first";

  world_open_chat (fx, "Message 3 from Ben");
  uuid = send_mine (fx, "Please read this");
  when = world_message_time (fx, WORLD_CONV, "Please read this", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);
  if (status != 0)
    plannr_fake_add_fault (fx->world->fake, "PUT", EDIT_GLOB, PLANNR_FAKE_FAULT_STATUS, status, 1);
  else
    plannr_fake_add_fault (fx->world->fake, "PUT", EDIT_GLOB, PLANNR_FAKE_FAULT_DROP, 0, -1);

  world_run_command (fx->conv, "/edit Please read this first");
  /* Why, and the text that did not go through. */
  line = g_strdup_printf ("Your message from %s was not edited (%s): %s", when, reason, text);
  g_assert_true (plannr_harness_wait_line (line, timeout_ms));
  g_assert_cmpuint (plannr_harness_count_lines (line), ==, 1);
  g_assert_true (plannr_harness_find_line (line)->flags & PURPLE_MESSAGE_ERROR);
  g_assert_cmpuint (plannr_harness_count_lines ("You edited"), ==, 0);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, uuid), ==, "Please read this");
  g_assert_false (plannr_fake_is_message_edited (fx->world->fake, uuid));
  g_assert_true (purple_account_is_connected (fx->account));

  if (status != 0)
    assert_edit_request (fx, uuid, text, 1);
  else
    {
      GPtrArray *requests = plannr_fake_get_requests (fx->world->fake);
      g_autofree char *path = g_strdup_printf (WORLD_MESSAGES_PATH "/%s", uuid);
      guint puts = 0;

      /* The api layer's own attempts, each the whole request. */
      for (guint i = 0; i < requests->len; i++)
        {
          const PlannrFakeRequest *request = g_ptr_array_index (requests, i);

          if (g_strcmp0 (request->method, "PUT") != 0)
            continue;
          puts++;
          g_assert_cmpstr (request->path, ==, path);
          world_assert_headers (request);
          world_assert_json_body (request, "contents", text);
        }
      g_assert_cmpuint (puts, ==, PLANNR_API_MAX_ATTEMPTS);
    }

  /* The old text stays what the plugin knows: a later poll is quiet. */
  plannr_fake_clear_faults (fx->world->fake);
  world_run_chat_polls (fx, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("You edited"), ==, 0);
  g_assert_cmpuint (plannr_harness_count_lines ("edited their"), ==, 0);
}

static void
test_edit_forbidden (WorldFixture  *fx,
                     gconstpointer  data)
{
  /* The entry points only pick my own messages, so the server's 403 can
   * only be injected. */
  check_failure (fx, 403, "only the author of a message may edit it", WORLD_WAIT_MS);
}

static void
test_edit_not_found (WorldFixture  *fx,
                     gconstpointer  data)
{
  check_failure (fx, 404, "it no longer exists, or you are no longer a participant", WORLD_WAIT_MS);
}

static void
test_edit_invalid (WorldFixture  *fx,
                   gconstpointer  data)
{
  /* 422: the server's own words. */
  check_failure (fx, 422, "Unprocessable Entity (injected by the fake).", WORLD_WAIT_MS);
}

static void
test_edit_network (WorldFixture  *fx,
                   gconstpointer  data)
{
  check_failure (fx, 0, "the Plannr server could not be reached", WORLD_GIVE_UP_MS);
}

/* --- markup ------------------------------------------------------------- */

static void
test_edit_markup (WorldFixture  *fx,
                  gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;
  PlannrHarnessRequest *req;

  world_open_chat (fx, "Message 3 from Ben");
  uuid = send_mine (fx, "Plain for now");
  when = world_message_time (fx, WORLD_CONV, "Plain for now", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);

  /* /edit: the command line is plain text. */
  world_run_command (fx->conv, "/edit " WORLD_MARKUP);
  assert_edited (fx, uuid, when, WORLD_MARKUP, 1);
  g_assert_null (plannr_harness_find_line ("<b>"));

  /* s///: typed in Pidgin's entry, so it arrives as markup. */
  world_type_line (fx->conv, "s/Q&A/<i>R&D<\\/i>/");
  assert_edited (fx, uuid, when, "<b><i>R&D</i></b> \"x\"", 2);
  assert_not_sent (fx, "s/Q&A/<i>R&D<\\/i>/", 0);

  /* The dialog's text box is plain text as well. */
  {
    g_autofree char *label = g_strdup_printf ("%s — <b><i>R&D</i></b> \"x\"", when);
    const char *labels[] = { label, NULL };

    req = pick_in_dialog (fx, labels, 0, "<b><i>R&D</i></b> \"x\"");
  }
  purple_request_field_string_set_value (purple_request_fields_get_field (req->fields, "text"),
                                         "a < b && c > d");
  plannr_harness_answer_fields (req);
  assert_edited (fx, uuid, when, "a < b && c > d", 3);
  g_assert_nonnull (plannr_harness_find_line ("a &lt; b &amp;&amp; c &gt; d"));
  g_assert_null (plannr_harness_find_line ("<i>"));
}

/* --- edits made elsewhere ---------------------------------------------------- */

static void
test_edit_remote_other (WorldFixture  *fx,
                        gconstpointer  data)
{
  g_autofree char *uuid = world_message_uuid (fx, WORLD_CONV, "Message 3 from Ben");
  g_autofree char *when = world_message_time (fx, WORLD_CONV, "Message 3 from Ben", "%H:%M");
  g_autofree char *line = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, uuid, "Message 3, <edited>"));
  line = g_strdup_printf ("Ben Client edited their message from %s: Message 3, &lt;edited&gt; "
                          "(was: Message 3 from Ben)", when);
  g_assert_true (plannr_harness_wait_line (line, WORLD_POLL_WAIT_MS));

  /* Once, however many polls follow; nothing sent. */
  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (plannr_harness_count_lines ("edited their message"), ==, 1);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);

  /* A second edit of the same message is a new edit. */
  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, uuid, "Message 3, final"));
  g_free (line);
  line = g_strdup_printf ("Ben Client edited their message from %s: Message 3, final "
                          "(was: Message 3, &lt;edited&gt;)", when);
  g_assert_true (plannr_harness_wait_line (line, WORLD_POLL_WAIT_MS));
  world_run_chat_polls (fx, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("edited their message"), ==, 2);
}

static void
test_edit_remote_mine (WorldFixture  *fx,
                       gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  uuid = send_mine (fx, "Sent from Pidgin");
  when = world_message_time (fx, WORLD_CONV, "Sent from Pidgin", "%H:%M");
  plannr_fake_clear_requests (fx->world->fake);

  /* Edited on my phone: mine, not "Ada Adviser edited their...". */
  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, uuid,
                                           "Sent from Pidgin, fixed on the phone"));
  line = g_strdup_printf ("You edited your message from %s: Sent from Pidgin, fixed on the phone "
                          "(was: Sent from Pidgin)", when);
  g_assert_true (plannr_harness_wait_line (line, WORLD_POLL_WAIT_MS));
  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (plannr_harness_count_lines ("You edited your message"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("edited their message"), ==, 0);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);

  /* And /edit now starts from the phone's text. */
  world_run_command (fx->conv, "/edit Sent from Pidgin, fixed on the phone");
  g_assert_true (plannr_harness_wait_line (UNCHANGED_LINE, WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
}

static void
test_edit_remote_older (WorldFixture  *fx,
                        gconstpointer  data)
{
  g_autofree char *uuid30 = world_message_uuid (fx, WORLD_CONV, "Message 30 from Ben");
  g_autofree char *uuid1 = world_message_uuid (fx, WORLD_CONV, "Message 1 from Ben");
  g_autofree char *when30 = world_message_time (fx, WORLD_CONV, "Message 30 from Ben", "%H:%M");
  g_autofree char *line = NULL;

  /* 45 messages; only the newest 5 are shown (41 to 45). */
  purple_account_set_int (fx->account, "history-count", 5);
  world_open_chat (fx, "Message 45 from Ben");
  g_assert_null (plannr_harness_find_line ("Message 40 from Ben"));
  plannr_fake_clear_requests (fx->world->fake);

  /* Within what the chat poll reads (the newest 20) but never shown:
   * the edit is announced once, without an old text the user never
   * saw. */
  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, uuid30, "Message 30, edited"));
  line = g_strdup_printf ("Ben Client edited their message from %s: Message 30, edited", when30);
  g_assert_true (plannr_harness_wait_line (line, WORLD_POLL_WAIT_MS));
  g_assert_null (plannr_harness_find_line ("(was:"));

  /* Older than that (also than the 30 a server with pages of 15 gives
   * in two pages): the poll does not read so far back (by design,
   * plannr-chats.c reads PLANNR_CHAT_PAGE_SIZE to see edits), so this
   * one goes unannounced. */
  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, uuid1, "Message 1, edited"));
  world_run_chat_polls (fx, 2);
  g_assert_null (plannr_harness_find_line ("Message 1, edited"));
  g_assert_cmpuint (plannr_harness_count_lines ("edited their message"), ==, 1);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
}

/* --- what the server holds, and in what order -------------------------------- */

/* The chat polls rarely: what the chat knows of a message goes stale
 * when it is edited elsewhere (the web app, the phone). */
static void
open_chat_polling_rarely (WorldFixture *fx,
                          const char   *last_line)
{
  purple_account_set_int (fx->account, "chat-poll-interval", 600);
  world_open_chat (fx, last_line);
}

/* s/old/new/ starts from the text the server holds now (read with M4
 * first), so an edit made on the phone since the chat last looked is
 * kept, not undone. */
static void
test_edit_substitute_fresh (WorldFixture  *fx,
                            gconstpointer  data)
{
  g_autofree char *mine = NULL;
  g_autofree char *when = NULL;
  g_autofree char *get_path = NULL;
  GPtrArray *requests;
  int get_index = -1, put_index = -1;

  open_chat_polling_rarely (fx, "Message 3 from Ben");
  mine = send_mine (fx, "See you at the offcie");
  when = world_message_time (fx, WORLD_CONV, "See you at the offcie", "%H:%M");
  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, mine,
                                           "See you at the offcie at ten"));
  plannr_fake_clear_requests (fx->world->fake);

  world_type_line (fx->conv, "s/offcie/office/");
  assert_edited (fx, mine, when, "See you at the office at ten", 1);

  /* The message was read on its own, before the PUT. */
  get_path = g_strdup_printf (WORLD_MESSAGES_PATH "/%s", mine);
  requests = plannr_fake_get_requests (fx->world->fake);
  for (guint i = 0; i < requests->len; i++)
    {
      const PlannrFakeRequest *request = g_ptr_array_index (requests, i);

      if (get_index < 0 && g_str_equal (request->method, "GET") && g_str_equal (request->path, get_path))
        get_index = (int) i;
      if (put_index < 0 && g_str_equal (request->method, "PUT"))
        put_index = (int) i;
    }
  g_assert_cmpint (get_index, >=, 0);
  g_assert_cmpint (get_index, <, put_index);
}

/* Edited elsewhere so that old text is gone: told, nothing sent. */
static void
test_edit_substitute_gone (WorldFixture  *fx,
                           gconstpointer  data)
{
  g_autofree char *mine = NULL;

  open_chat_polling_rarely (fx, "Message 3 from Ben");
  mine = send_mine (fx, "Lunch on Fridya");
  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, mine, "Lunch on Friday"));
  plannr_fake_clear_requests (fx->world->fake);

  world_type_line (fx->conv, "s/Fridya/Friday/");
  g_assert_true (plannr_harness_wait_line ("no longer contains “Fridya”", WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, mine), ==, "Lunch on Friday");
}

/* The dialog's text is what the server holds when the message is
 * picked; a change elsewhere while the dialog is open is not overwritten:
 * the save is refused, saying what the message reads now, and the text
 * typed is shown so nothing is lost. */
static void
test_edit_dialog_fresh (WorldFixture  *fx,
                        gconstpointer  data)
{
  g_autofree char *mine = NULL;
  g_autofree char *hm = NULL;
  g_autofree char *label = NULL;
  PlannrHarnessRequest *req;

  open_chat_polling_rarely (fx, "Message 3 from Ben");
  mine = send_mine (fx, "Drafted on the desktop");
  hm = world_message_time (fx, WORLD_CONV, "Drafted on the desktop", "%H:%M");
  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, mine,
                                           "Drafted on the desktop, finished on the phone"));
  plannr_fake_clear_requests (fx->world->fake);

  /* The list still shows what the chat saw; the text is the server's. */
  label = g_strdup_printf ("%s — Drafted on the desktop", hm);
  {
    const char *labels[] = { label, NULL };

    req = pick_in_dialog (fx, labels, 0, "Drafted on the desktop, finished on the phone");
  }

  g_assert_true (plannr_fake_edit_message (fx->world->fake, WORLD_CONV, mine, "Rewritten on the phone"));
  purple_request_field_string_set_value (purple_request_fields_get_field (req->fields, "text"),
                                         "Typed in the dialog");
  plannr_harness_answer_fields (req);
  g_assert_true (plannr_harness_wait_line ("was changed elsewhere while you edited it", WORLD_WAIT_MS));
  g_assert_nonnull (strstr (plannr_harness_find_line ("was changed elsewhere")->message,
                            "it now reads: Rewritten on the phone"));
  g_assert_nonnull (strstr (plannr_harness_find_line ("was changed elsewhere")->message,
                            "Typed in the dialog"));
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, mine), ==, "Rewritten on the phone");
}

/* s/old/new/ typed right after a message, while its POST is still on
 * its way: "my last message" is that one, not an older one that also
 * has the typo. */
static void
test_edit_right_after_send (WorldFixture  *fx,
                            gconstpointer  data)
{
  g_autofree char *older = NULL;
  g_autofree char *newer = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  older = send_mine (fx, "Meet at the offcie");
  plannr_fake_clear_requests (fx->world->fake);

  plannr_fake_add_fault (fx->world->fake, "POST", WORLD_MESSAGES_PATH, PLANNR_FAKE_FAULT_DELAY, 1500, 1);
  world_type_line (fx->conv, "Sent from the offcie");
  world_type_line (fx->conv, "s/offcie/office/");
  g_assert_true (world_wait_stored (fx, "Sent from the office", WORLD_WAIT_MS));
  newer = world_message_uuid (fx, WORLD_CONV, "Sent from the office");
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 1);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 1);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, older), ==, "Meet at the offcie");
  g_assert_true (plannr_harness_wait_line ("You edited your message from", WORLD_WAIT_MS));
}

/* The PUT's answer is lost and it is sent again; meanwhile a poll reads
 * the edited text.  The chat says "You edited…" once, not twice. */
static void
test_edit_announced_once (WorldFixture  *fx,
                          gconstpointer  data)
{
  g_autofree char *mine = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;
  guint polls;

  world_open_chat (fx, "Message 3 from Ben");
  mine = send_mine (fx, "Typo hree");
  when = world_message_time (fx, WORLD_CONV, "Typo hree", "%H:%M");
  line = g_strdup_printf ("You edited your message from %s: Typo here", when);
  plannr_fake_clear_requests (fx->world->fake);

  /* Stored, answer lost; the retry is held long enough for polls. */
  plannr_fake_add_fault (fx->world->fake, "PUT", EDIT_GLOB, PLANNR_FAKE_FAULT_DROP_AFTER, 0, 1);
  plannr_fake_add_fault (fx->world->fake, "PUT", EDIT_GLOB, PLANNR_FAKE_FAULT_DELAY, 4000, 1);
  world_run_command (fx->conv, "edit Typo here");
  {
    EditQuery query = { fx, mine, "Typo here" };

    g_assert_true (plannr_wait_until (edited_cb, &query, WORLD_WAIT_MS));
  }
  polls = world_count (fx, "GET", WORLD_MESSAGES_PATH);
  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (world_count (fx, "GET", WORLD_MESSAGES_PATH), >, polls);
  g_assert_true (plannr_harness_wait_line (line, WORLD_GIVE_UP_MS));
  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 2);
  g_assert_cmpuint (plannr_harness_count_lines ("You edited your message"), ==, 1);
}

/* An edit whose PUT failed and is being retried, then a newer edit of
 * the same message: the text asked for last is what the server keeps. */
static void
test_edit_newest_wins (WorldFixture  *fx,
                       gconstpointer  data)
{
  g_autofree char *mine = NULL;
  g_autofree char *when = NULL;
  EditQuery query = { fx, NULL, "Version three" };

  world_open_chat (fx, "Message 3 from Ben");
  mine = send_mine (fx, "Version one");
  when = world_message_time (fx, WORLD_CONV, "Version one", "%H:%M");
  query.uuid = mine;
  /* Once, so that the recent messages are loaded and both edits below
   * go straight to their PUT. */
  world_run_command (fx->conv, "edit Version one and a half");
  assert_edited (fx, mine, when, "Version one and a half", 1);
  plannr_fake_clear_requests (fx->world->fake);

  plannr_fake_add_fault (fx->world->fake, "PUT", EDIT_GLOB, PLANNR_FAKE_FAULT_STATUS, 503, 1);
  world_run_command (fx->conv, "edit Version two");
  /* Refused once; its retry waits at least half a second. */
  g_assert_true (world_wait_count (fx, "PUT", NULL, 1, WORLD_WAIT_MS));
  world_run_command (fx->conv, "edit Version three");
  g_assert_true (plannr_wait_until (edited_cb, &query, WORLD_GIVE_UP_MS));
  g_assert_true (plannr_harness_wait_line ("Version three", WORLD_WAIT_MS));
  /* Nothing older lands afterwards. */
  plannr_wait_for_ms (4000);
  g_assert_cmpstr (plannr_fake_get_message_contents (fx->world->fake, mine), ==, "Version three");
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func) WORLD_TEST_ADD ("/edit/" path, func, 3)
#define ADD_N(path, func, n) WORLD_TEST_ADD ("/edit/" path, func, n)

  ADD ("command/latest", test_edit_latest);
  ADD ("command/usage", test_edit_usage);
  ADD ("command/at-time", test_edit_at_time);
  ADD ("command/mine-from-elsewhere", test_edit_mine_from_elsewhere);
  ADD ("command/loads-older", test_edit_loads_older);
  ADD ("substitute/basic", test_edit_substitute);
  ADD ("substitute/global", test_edit_substitute_global);
  ADD ("substitute/no-match", test_edit_substitute_no_match);
  ADD ("substitute/escaped-slash", test_edit_substitute_escaped_slash);
  ADD ("substitute/literal", test_edit_substitute_literal);
  ADD ("dialog/edit", test_edit_dialog);
  ADD ("dialog/none", test_edit_dialog_none);
  ADD ("dialog/log-changes", test_edit_dialog_log_changes);
  ADD ("fail/forbidden", test_edit_forbidden);
  ADD ("fail/not-found", test_edit_not_found);
  ADD ("fail/invalid", test_edit_invalid);
  ADD ("fail/network", test_edit_network);
  ADD ("markup", test_edit_markup);
  ADD ("remote/other", test_edit_remote_other);
  ADD ("remote/mine", test_edit_remote_mine);
  ADD_N ("remote/older", test_edit_remote_older, 45);
  ADD ("fresh/substitute", test_edit_substitute_fresh);
  ADD ("fresh/substitute-gone", test_edit_substitute_gone);
  ADD ("fresh/dialog", test_edit_dialog_fresh);
  ADD ("order/right-after-send", test_edit_right_after_send);
  ADD ("order/announced-once", test_edit_announced_once);
  ADD ("order/newest-wins", test_edit_newest_wins);

#undef ADD_N
#undef ADD

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
