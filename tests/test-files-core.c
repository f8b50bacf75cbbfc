/* test-files-core.c: unit tests of the file index, safe file names and
 * the reaction log
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The pure parts of sending and saving files and of reactions: each
 * file shown keeps its number; a server's file name never picks a
 * directory; a reaction is new once, and a message met for the first
 * time brings no news.
 */
#include "config.h"

#include <string.h>

#include "plannr-file-index.h"
#include "plannr-reaction-log.h"

#define MSG1 "10000000-0000-4000-8000-000000000001"
#define MSG2 "10000000-0000-4000-8000-000000000002"
#define BEN "b0000000-0000-4000-8000-000000000001"
#define ADA "a0000000-0000-4000-8000-000000000001"

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

static guint
number_at (GArray *numbers,
           guint   i)
{
  return g_array_index (numbers, guint, i);
}

static void
test_index_numbers (void)
{
  g_autoptr(PlannrFileIndex) index = plannr_file_index_new ();
  g_autoptr(PlannrMessage) first = message_from (
    "{\"uuid\": \"" MSG1 "\", \"created_at\": \"2026-11-21T09:15:00Z\", \"author\": {\"uuid\": \"" BEN "\", \"name\": \"Ben\"},"
    " \"files\": [{\"uuid\": \"f0000000-0000-4000-8000-000000000001\", \"filename\": \"a.pdf\", \"size\": \"3\","
    "              \"type\": \"application/pdf\", \"download_url\": \"https://x/a\"},"
    "             {\"filename\": \"b.txt\", \"size\": \"4\"}]}");
  g_autoptr(PlannrMessage) second = message_from (
    "{\"uuid\": \"" MSG2 "\", \"created_at\": \"2026-11-21T09:20:00Z\","
    " \"files\": [{\"uuid\": \"f0000000-0000-4000-8000-000000000003\", \"filename\": \"c.png\", \"size\": \"5\"}]}");
  g_autoptr(PlannrMessage) none = message_from ("{\"uuid\": \"" MSG2 "\", \"contents\": \"no files\"}");
  g_autoptr(GArray) n1 = plannr_file_index_add (index, first);
  g_autoptr(GArray) n2 = plannr_file_index_add (index, second);
  g_autoptr(GArray) again = plannr_file_index_add (index, first);
  g_autoptr(GArray) empty = plannr_file_index_add (index, none);
  g_autoptr(GPtrArray) recent = plannr_file_index_recent (index, 0);
  g_autoptr(GPtrArray) two = plannr_file_index_recent (index, 2);
  const PlannrFileEntry *entry;

  g_assert_cmpuint (n1->len, ==, 2);
  g_assert_cmpuint (number_at (n1, 0), ==, 1);
  g_assert_cmpuint (number_at (n1, 1), ==, 2);
  g_assert_cmpuint (number_at (n2, 0), ==, 3);
  /* Shown again (a reconnect), the same numbers. */
  g_assert_cmpuint (number_at (again, 0), ==, 1);
  g_assert_cmpuint (number_at (again, 1), ==, 2);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (plannr_file_index_size (index), ==, 3);

  entry = plannr_file_index_lookup (index, 1);
  g_assert_cmpstr (entry->filename, ==, "a.pdf");
  g_assert_cmpstr (entry->message_uuid, ==, MSG1);
  g_assert_cmpstr (entry->mime_type, ==, "application/pdf");
  g_assert_cmpstr (entry->author_name, ==, "Ben");
  g_assert_cmpuint (entry->size, ==, 3);
  g_assert_null (plannr_file_index_lookup (index, 0));
  g_assert_null (plannr_file_index_lookup (index, 4));

  /* Newest first: the later message, then the first one's files, last
   * numbered first. */
  g_assert_cmpuint (recent->len, ==, 3);
  g_assert_cmpuint (((PlannrFileEntry *) recent->pdata[0])->number, ==, 3);
  g_assert_cmpuint (((PlannrFileEntry *) recent->pdata[1])->number, ==, 2);
  g_assert_cmpuint (((PlannrFileEntry *) recent->pdata[2])->number, ==, 1);
  g_assert_cmpuint (two->len, ==, 2);

  /* Found again in the message as read later, by uuid or position. */
  g_assert_cmpstr (plannr_file_entry_find (plannr_file_index_lookup (index, 1), first)->filename, ==, "a.pdf");
  g_assert_cmpstr (plannr_file_entry_find (plannr_file_index_lookup (index, 2), first)->filename, ==, "b.txt");
  g_assert_null (plannr_file_entry_find (plannr_file_index_lookup (index, 1), none));
}

static void
test_safe_names (void)
{
  struct { const char *in, *out; } cases[] = {
    { "report.pdf", "report.pdf" },
    { "../../etc/passwd", "passwd" },
    { "..\\..\\windows\\system.ini", "system.ini" },
    { "/absolute/path/plan.pdf", "plan.pdf" },
    { "dir/", "file" },
    { "..", "file" },
    { "...hidden", "hidden" },
    { " .bashrc", "bashrc" },
    { "name. ", "name" },
    { "tab\there\nnew", "tabherenew" },
    { "", "file" },
    { NULL, "file" },
    { "Fact-find für Müller.pdf", "Fact-find für Müller.pdf" },
  };
  g_autofree char *long_name = g_strnfill (300, 'a');
  g_autofree char *long_safe = plannr_file_safe_name (long_name);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *safe = plannr_file_safe_name (cases[i].in);

      g_assert_cmpstr (safe, ==, cases[i].out);
      g_assert_null (strchr (safe, '/'));
      g_assert_null (strchr (safe, '\\'));
    }
  g_assert_cmpuint (strlen (long_safe), ==, 200);
}

static void
test_parse_attach (void)
{
  struct { const char *in, *path, *text; } cases[] = {
    { "plan.pdf", "plan.pdf", NULL },
    { "  ~/plan.pdf   Here it is  ", "~/plan.pdf", "Here it is" },
    { "\"My Documents/plan 2.pdf\" The signed one", "My Documents/plan 2.pdf", "The signed one" },
    { "'it''s.pdf'", "it", "'s.pdf'" },
    { "My\\ Documents/plan.pdf text", "My Documents/plan.pdf", "text" },
    { "\"a \\\" b.txt\"", "a \" b.txt", NULL },
    { "\"unclosed quote.pdf", "unclosed quote.pdf", NULL },
  };
  char *path = NULL;
  char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (plannr_file_parse_attach (cases[i].in, &path, &text));
      g_assert_cmpstr (path, ==, cases[i].path);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&text, g_free);
    }
  g_assert_false (plannr_file_parse_attach ("", &path, &text));
  g_assert_false (plannr_file_parse_attach ("   ", &path, &text));
  g_assert_false (plannr_file_parse_attach ("\"\" text", &path, &text));
  g_assert_false (plannr_file_parse_attach (NULL, &path, &text));
  g_assert_null (path);
  g_assert_null (text);
}

static void
test_parse_react (void)
{
  struct { const char *in; gboolean ok; const char *kind; int hour, minute, second; } cases[] = {
    { "love", TRUE, "love", -1, -1, -1 },
    { "  Laughing  ", TRUE, "laughing", -1, -1, -1 },
    { "like 14:02", TRUE, "like", 14, 2, -1 },
    { "surprised 9:05:33", TRUE, "surprised", 9, 5, 33 },
    { "like 24:00", FALSE, NULL, -1, -1, -1 },
    { "like 14:2", FALSE, NULL, -1, -1, -1 },
    { "like 14:02:7", FALSE, NULL, -1, -1, -1 },
    { "like 14:02 extra", FALSE, NULL, -1, -1, -1 },
    { "angry", FALSE, NULL, -1, -1, -1 },
    { "", FALSE, NULL, -1, -1, -1 },
    { NULL, FALSE, NULL, -1, -1, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *kind = NULL;
      int hour, minute, second;

      g_assert_cmpint (plannr_reaction_parse_command (cases[i].in, &kind, &hour, &minute, &second), ==, cases[i].ok);
      g_assert_cmpstr (kind, ==, cases[i].kind);
      if (cases[i].ok)
        {
          g_assert_cmpint (hour, ==, cases[i].hour);
          g_assert_cmpint (minute, ==, cases[i].minute);
          g_assert_cmpint (second, ==, cases[i].second);
        }
    }
}

static GPtrArray *
page_of (PlannrMessage *message)
{
  GPtrArray *page = g_ptr_array_new ();

  g_ptr_array_add (page, message);
  return page;
}

static void
test_reaction_log (void)
{
  g_autoptr(PlannrReactionLog) log = plannr_reaction_log_new ();
  g_autoptr(PlannrMessage) before = message_from (
    "{\"uuid\": \"" MSG1 "\", \"reactions\": [{\"reaction\": \"like\", \"account_uuid\": \"" BEN "\","
    " \"account_name\": \"Ben\"}]}");
  g_autoptr(PlannrMessage) after = message_from (
    "{\"uuid\": \"" MSG1 "\", \"reactions\": [{\"reaction\": \"like\", \"account_uuid\": \"" BEN "\"},"
    " {\"reaction\": \"love\", \"account_uuid\": \"" BEN "\", \"account_name\": \"Ben\"},"
    " {\"reaction\": \"love\", \"account_uuid\": \"" ADA "\", \"account_name\": \"Ada\"}]}");
  g_autoptr(PlannrMessage) taken_back = message_from ("{\"uuid\": \"" MSG1 "\", \"reactions\": []}");
  g_autoptr(GPtrArray) p_before = page_of (before);
  g_autoptr(GPtrArray) p_after = page_of (after);
  g_autoptr(GPtrArray) p_back = page_of (taken_back);
  g_autoptr(GPtrArray) events = NULL;
  PlannrReactionEvent *event;

  /* First seen: no news, whatever it carries; my own note on an unknown
   * message is no news either. */
  plannr_reaction_log_note (log, MSG1, ADA, "love");
  g_assert_false (plannr_reaction_log_knows (log, MSG1));
  events = plannr_reaction_log_merge (log, p_before);
  g_assert_cmpuint (events->len, ==, 0);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_true (plannr_reaction_log_knows (log, MSG1));

  /* Mine was sent from here and noted: only Ben's love is new. */
  plannr_reaction_log_note (log, MSG1, ADA, "love");
  events = plannr_reaction_log_merge (log, p_after);
  g_assert_cmpuint (events->len, ==, 1);
  event = events->pdata[0];
  g_assert_cmpstr (event->message_uuid, ==, MSG1);
  g_assert_cmpstr (event->account_uuid, ==, BEN);
  g_assert_cmpstr (event->account_name, ==, "Ben");
  g_assert_cmpstr (event->reaction, ==, "love");
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Read again: announced once only. */
  events = plannr_reaction_log_merge (log, p_after);
  g_assert_cmpuint (events->len, ==, 0);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Taken back and given again: new again (mine too). */
  events = plannr_reaction_log_merge (log, p_back);
  g_assert_cmpuint (events->len, ==, 0);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = plannr_reaction_log_merge (log, p_after);
  g_assert_cmpuint (events->len, ==, 3);
}

/* The log forgets the oldest messages beyond its size, and a forgotten
 * message is met for the first time again: no news. */
static void
test_reaction_log_size (void)
{
  g_autoptr(PlannrReactionLog) log = plannr_reaction_log_new ();

  for (guint i = 0; i <= PLANNR_REACTION_LOG_SIZE; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"uuid\": \"20000000-0000-4000-8000-%012u\"}", i);
      g_autoptr(PlannrMessage) message = message_from (json);
      g_autoptr(GPtrArray) page = page_of (message);
      g_autoptr(GPtrArray) events = plannr_reaction_log_merge (log, page);

      g_assert_cmpuint (events->len, ==, 0);
    }
  g_assert_false (plannr_reaction_log_knows (log, "20000000-0000-4000-8000-000000000000"));
  g_assert_true (plannr_reaction_log_knows (log, "20000000-0000-4000-8000-000000000001"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/files-core/index-numbers", test_index_numbers);
  g_test_add_func ("/files-core/safe-names", test_safe_names);
  g_test_add_func ("/files-core/parse-attach", test_parse_attach);
  g_test_add_func ("/files-core/parse-react", test_parse_react);
  g_test_add_func ("/files-core/reaction-log", test_reaction_log);
  g_test_add_func ("/files-core/reaction-log-size", test_reaction_log_size);

  return g_test_run ();
}
