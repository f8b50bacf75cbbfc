/* test-render.c: unit tests of plannr-render and of the error phrases
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What the chat shows of a message, its files and reactions, and the
 * lines for edits, deletions and refusals: untrusted text stays text.
 */
#include "config.h"

#include <string.h>

#include "plannr-error.h"
#include "plannr-render.h"

#define ME "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d"

static PlannrMessage *
message_from (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  PlannrMessage *message;

  node = plannr_json_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  message = plannr_message_new_from_json (node, &error);
  g_assert_no_error (error);
  return message;
}

static void
test_message (void)
{
  g_autoptr(PlannrMessage) message = message_from (
    "{\"uuid\": \"7c1c9d8f-5343-464c-b479-1f838710d546\", "
    "\"created_at\": \"2026-11-21T09:15:00Z\", "
    "\"contents\": \"<b>Q&A</b> see https://example.com/x?a=1&b=2\", "
    "\"files\": [{\"uuid\": \"f0000000-0000-4000-8000-000000000001\", \"filename\": \"<fact>find.pdf\", "
    "             \"size\": \"2048\", \"download_url\": \"https://files.example.com/f\"},"
    "            {\"uuid\": \"f0000000-0000-4000-8000-000000000002\", \"filename\": \"x.js\", "
    "             \"size\": \"10\", \"download_url\": \"javascript:alert(1)\"}], "
    "\"reactions\": [{\"reaction\": \"like\"}, {\"reaction\": \"love\"}, {\"reaction\": \"like\"}]}");
  g_autofree char *html = plannr_render_message (message);

  /* Markup in the text is text; the web link is a link. */
  g_assert_nonnull (strstr (html, "&lt;b&gt;Q&amp;A&lt;/b&gt;"));
  g_assert_nonnull (strstr (html, "<a href=\"https://example.com/x?a=1&amp;b=2\">"));
  /* Files: name escaped, size, a link only for web addresses. */
  g_assert_nonnull (strstr (html, "File: &lt;fact&gt;find.pdf (2.0\u00a0kB)"));
  g_assert_nonnull (strstr (html, "https://files.example.com/f"));
  g_assert_null (strstr (html, "javascript"));
  /* Reactions counted, in the order first given. */
  g_assert_nonnull (strstr (html, "Reactions: like ×2, love ×1"));
}

static void
test_event_lines (void)
{
  g_autoptr(PlannrMessage) message = message_from (
    "{\"uuid\": \"7c1c9d8f-5343-464c-b479-1f838710d546\", "
    "\"created_at\": \"2026-11-21T09:15:00Z\", \"contents\": \"New text\"}");
  g_autofree char *when = plannr_render_time (message->created_at);
  PlannrMessageEvent edited = { PLANNR_EVENT_EDITED, message, (char *) "Old text" };
  PlannrMessageEvent unseen = { PLANNR_EVENT_EDITED, message, NULL };
  PlannrMessageEvent deleted = { PLANNR_EVENT_DELETED, message, NULL };
  g_autofree char *expected = NULL;
  g_autofree char *line = NULL;

  line = plannr_render_event_line (&edited, "Ben Client");
  expected = g_strdup_printf ("Ben Client edited their message from %s: New text (was: Old text)", when);
  g_assert_cmpstr (line, ==, expected);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&expected, g_free);

  line = plannr_render_event_line (&unseen, NULL);
  expected = g_strdup_printf ("You edited your message from %s: New text", when);
  g_assert_cmpstr (line, ==, expected);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&expected, g_free);

  line = plannr_render_event_line (&deleted, "Ben Client");
  expected = g_strdup_printf ("Ben Client deleted their message from %s.", when);
  g_assert_cmpstr (line, ==, expected);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&expected, g_free);

  line = plannr_render_event_line (&deleted, NULL);
  expected = g_strdup_printf ("You deleted your message from %s.", when);
  g_assert_cmpstr (line, ==, expected);

  /* The time of day, as the chat shows it. */
  g_assert_cmpuint (strlen (when), ==, 5);
  g_assert_cmpint (when[2], ==, ':');
}

/* A file line carries the number /save takes; a file without one (0)
 * keeps the plain label. */
static void
test_numbered_files (void)
{
  g_autoptr(PlannrMessage) message = message_from (
    "{\"uuid\": \"7c1c9d8f-5343-464c-b479-1f838710d546\", "
    "\"created_at\": \"2026-11-21T09:15:00Z\", \"contents\": \"Two files\", "
    "\"files\": [{\"filename\": \"plan.pdf\", \"size\": \"2048\"},"
    "            {\"filename\": \"x.txt\", \"size\": \"10\"}]}");
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  guint twelve = 12, none = 0;
  g_autofree char *html = NULL;
  g_autofree char *plain = plannr_render_message (message);

  g_array_append_val (numbers, twelve);
  g_array_append_val (numbers, none);
  html = plannr_render_message_numbered (message, numbers);
  g_assert_nonnull (strstr (html, "<br>File 12: plan.pdf (2.0\u00a0kB)"));
  g_assert_nonnull (strstr (html, "<br>File: x.txt (10 bytes)"));
  g_assert_null (strstr (plain, "File 1"));
  g_assert_nonnull (strstr (plain, "<br>File: plan.pdf"));
}

static void
test_reaction_lines (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 ("2026-11-21T09:15:00Z", NULL);
  g_autofree char *when = plannr_render_time (time);
  struct { const char *who, *author; gboolean own; const char *expected; } cases[] = {
    { "Ben Client", NULL, FALSE, "Ben Client reacted love to your message from " },
    { "Ben Client", "Clara", FALSE, "Ben Client reacted love to Clara's message from " },
    { "Ben Client", "Ben Client", TRUE, "Ben Client reacted love to their own message from " },
    { NULL, "Ben Client", FALSE, "You reacted love to Ben Client's message from " },
    { NULL, NULL, FALSE, "You reacted love to your message from " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = plannr_render_reaction_line (cases[i].who, "love", cases[i].author,
                                                           cases[i].own, time);
      g_autofree char *expected = g_strconcat (cases[i].expected, when, ".", NULL);

      g_assert_cmpstr (line, ==, expected);
    }
}

/* A refusal names the rule of the action refused, and only that one. */
static void
test_error_phrases (void)
{
  g_autoptr(GError) forbidden = g_error_new_literal (PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN, "x");
  g_autoptr(GError) invalid = g_error_new_literal (PLANNR_ERROR, PLANNR_ERROR_INVALID,
                                                   "The name field is required.");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "elsewhere");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "closing");
  g_autofree char *rename = plannr_error_describe (forbidden, PLANNR_ACTION_RENAME);
  g_autofree char *edit = plannr_error_describe (forbidden, PLANNR_ACTION_EDIT);
  g_autofree char *send = plannr_error_describe (forbidden, PLANNR_ACTION_SEND);
  g_autofree char *words = plannr_error_describe (invalid, PLANNR_ACTION_RENAME);
  g_autofree char *foreign = plannr_error_describe (other, PLANNR_ACTION_READ);

  g_assert_nonnull (strstr (rename, "rename"));
  g_assert_null (strstr (rename, "author"));
  g_assert_nonnull (strstr (edit, "author"));
  g_assert_null (strstr (edit, "rename"));
  g_assert_cmpstr (send, !=, rename);
  /* A 422 is told in the server's own words. */
  g_assert_cmpstr (words, ==, "The name field is required.");
  g_assert_cmpstr (foreign, ==, "elsewhere");
  g_assert_true (plannr_error_is_cancelled (cancelled));
  g_assert_false (plannr_error_is_cancelled (other));
  g_assert_false (plannr_error_is_cancelled (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/message", test_message);
  g_test_add_func ("/render/event-lines", test_event_lines);
  g_test_add_func ("/render/error-phrases", test_error_phrases);
  g_test_add_func ("/render/numbered-files", test_numbered_files);
  g_test_add_func ("/render/reaction-lines", test_reaction_lines);

  return g_test_run ();
}
