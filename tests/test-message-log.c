/* test-message-log.c: unit tests of plannr-message-log
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The message log is what keeps a message from being shown twice or
 * never: every merge rule gets a test that builds the pages a poll would
 * see and checks the events, their order and the log afterwards.
 */

#include "config.h"

#include <string.h>

#include "plannr-message-log.h"

#define ME "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d"
#define OTHER "dae775c4-9f9d-4545-a16a-34310712f355"

/* --- building messages --------------------------------------------- */

/* Message @n has a fixed uuid and was created @n minutes after 10:00. */
static char *
uuid_for (guint n)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012x", n);
}

static char *
time_for (guint minutes)
{
  g_autoptr(GDateTime) base = g_date_time_new_utc (2025, 6, 5, 10, 0, 0);
  g_autoptr(GDateTime) time = g_date_time_add_minutes (base, (int) minutes);

  return g_date_time_format_iso8601 (time);
}

typedef struct
{
  const char *contents;
  const char *author;       /* NULL: OTHER */
  int         updated;      /* minutes after 10:00; -1: as created */
  gboolean    edited;
  gboolean    deleted;
} Extra;

static PlannrMessage *
message_full (guint        n,
              const Extra *extra)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = uuid_for (n);
  g_autofree char *created = time_for (n);
  g_autofree char *updated = time_for (extra->updated >= 0 ? (guint) extra->updated : n);
  g_autofree char *default_contents = g_strdup_printf ("message %u", n);
  PlannrMessage *message;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, uuid);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "updated_at");
  json_builder_add_string_value (b, updated);
  json_builder_set_member_name (b, "deleted_at");
  if (extra->deleted)
    json_builder_add_string_value (b, updated);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "contents");
  json_builder_add_string_value (b, extra->contents ? extra->contents : default_contents);
  json_builder_set_member_name (b, "edited");
  json_builder_add_boolean_value (b, extra->edited);
  json_builder_set_member_name (b, "author");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, extra->author ? extra->author : OTHER);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, extra->author && strcmp (extra->author, ME) == 0
                                    ? "Eleanor Hart" : "Gareth Thompson");
  json_builder_end_object (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);

  message = plannr_message_new_from_json (node, &error);
  g_assert_no_error (error);
  return message;
}

static PlannrMessage *
message_new (guint n)
{
  Extra extra = { NULL, NULL, -1, FALSE, FALSE };

  return message_full (n, &extra);
}

static PlannrMessage *
message_edited (guint       n,
                const char *contents,
                int         updated)
{
  Extra extra = { contents, NULL, updated, TRUE, FALSE };

  return message_full (n, &extra);
}

static PlannrMessage *
message_deleted (guint n,
                 int   when)
{
  Extra extra = { NULL, NULL, when, FALSE, TRUE };

  return message_full (n, &extra);
}

static PlannrMessage *
message_by (guint       n,
            const char *author)
{
  Extra extra = { NULL, author, -1, FALSE, FALSE };

  return message_full (n, &extra);
}

/* A page as the server sends it: newest first.  Takes the messages. */
static GPtrArray *
page_of (PlannrMessage *first,
         ...)
{
  GPtrArray *page = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_message_free);
  va_list args;

  va_start (args, first);
  for (PlannrMessage *m = first; m != NULL; m = va_arg (args, PlannrMessage *))
    g_ptr_array_add (page, m);
  va_end (args);
  return page;
}

static void
log_add_new (PlannrMessageLog *log,
             guint             n,
             gboolean          shown)
{
  g_autoptr(PlannrMessage) message = message_new (n);

  plannr_message_log_add (log, message, shown);
}

static void
assert_event (GPtrArray       *events,
              guint            index,
              PlannrEventKind  kind,
              guint            n,
              const char      *old_contents)
{
  PlannrMessageEvent *event;
  g_autofree char *uuid = uuid_for (n);

  g_assert_cmpuint (index, <, events->len);
  event = g_ptr_array_index (events, index);
  g_assert_cmpint (event->kind, ==, kind);
  g_assert_cmpstr (event->message->uuid, ==, uuid);
  g_assert_cmpstr (event->old_contents, ==, old_contents);
}

static PlannrKnownMessage *
lookup (PlannrMessageLog *log,
        guint             n)
{
  g_autofree char *uuid = uuid_for (n);

  return plannr_message_log_lookup (log, uuid);
}

/* --- the message log: adding ------------------------------------------ */

static void
test_log_add_lookup (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(PlannrMessage) mine = message_by (2, ME);
  PlannrKnownMessage *known;

  g_assert_true (plannr_message_log_is_empty (log));
  g_assert_cmpuint (plannr_message_log_size (log), ==, 0);
  g_assert_null (plannr_message_log_newest (log));
  g_assert_null (lookup (log, 1));

  log_add_new (log, 1, FALSE);
  plannr_message_log_add (log, mine, TRUE);
  g_assert_false (plannr_message_log_is_empty (log));
  g_assert_cmpuint (plannr_message_log_size (log), ==, 2);

  known = lookup (log, 2);
  g_assert_nonnull (known);
  g_assert_cmpstr (known->contents, ==, "message 2");
  g_assert_cmpstr (known->author_uuid, ==, ME);
  g_assert_cmpstr (known->author_name, ==, "Eleanor Hart");
  g_assert_true (known->shown);
  g_assert_false (known->deleted);
  g_assert_true (g_date_time_equal (known->created_at, mine->created_at));
  g_assert_false (lookup (log, 1)->shown);

  /* Adding a known message again adds nothing, but can mark it shown. */
  log_add_new (log, 1, TRUE);
  g_assert_cmpuint (plannr_message_log_size (log), ==, 2);
  g_assert_true (lookup (log, 1)->shown);
  log_add_new (log, 1, FALSE);
  g_assert_true (lookup (log, 1)->shown);
}

static void
test_log_newest (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autofree char *uuid5 = uuid_for (5);

  /* Added out of order, kept in time order. */
  log_add_new (log, 5, TRUE);
  log_add_new (log, 1, TRUE);
  log_add_new (log, 3, TRUE);
  g_assert_cmpstr (plannr_message_log_newest (log)->uuid, ==, uuid5);
}

/* --- the message log: merging ----------------------------------------- */

static void
test_merge_first_page (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = page_of (message_new (3), message_new (2), message_new (1), NULL);
  g_autoptr(GPtrArray) events = NULL;
  gboolean reached_known = TRUE;

  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), &reached_known);
  g_assert_false (reached_known);
  /* Newest first in, oldest first out. */
  g_assert_cmpuint (events->len, ==, 3);
  assert_event (events, 0, PLANNR_EVENT_NEW, 1, NULL);
  assert_event (events, 1, PLANNR_EVENT_NEW, 2, NULL);
  assert_event (events, 2, PLANNR_EVENT_NEW, 3, NULL);
  g_assert_cmpuint (plannr_message_log_size (log), ==, 3);
  g_assert_true (lookup (log, 1)->shown);

  /* The same page again: nothing new. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), &reached_known);
  g_assert_true (reached_known);
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_merge_new_after_known (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gboolean reached_known = FALSE;

  log_add_new (log, 1, TRUE);
  log_add_new (log, 2, TRUE);
  page = page_of (message_new (5), message_new (4), message_new (3), message_new (2),
                  message_new (1), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), &reached_known);

  g_assert_true (reached_known);
  g_assert_cmpuint (events->len, ==, 3);
  assert_event (events, 0, PLANNR_EVENT_NEW, 3, NULL);
  assert_event (events, 1, PLANNR_EVENT_NEW, 4, NULL);
  assert_event (events, 2, PLANNR_EVENT_NEW, 5, NULL);
  g_assert_cmpuint (plannr_message_log_size (log), ==, 5);
  g_assert_cmpstr (plannr_message_log_newest (log)->uuid, ==, ((PlannrMessage *) g_ptr_array_index (page, 0))->uuid);
}

static void
test_merge_reached_known (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gboolean reached_known = TRUE;

  log_add_new (log, 1, TRUE);
  /* A page of only newer messages: the caller must read further. */
  page = page_of (message_new (4), message_new (3), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), &reached_known);
  g_assert_false (reached_known);
  g_assert_cmpuint (events->len, ==, 2);

  /* NULL is allowed for the flag. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_merge_older_unknown_silent (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gboolean reached_known = FALSE;

  log_add_new (log, 5, TRUE);
  /* 3 and 2 are older than what was shown and were never loaded. */
  page = page_of (message_new (6), message_new (5), message_new (3), message_new (2), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), &reached_known);

  g_assert_true (reached_known);
  g_assert_cmpuint (events->len, ==, 1);
  assert_event (events, 0, PLANNR_EVENT_NEW, 6, NULL);
  g_assert_nonnull (lookup (log, 3));
  g_assert_false (lookup (log, 3)->shown);
  g_assert_nonnull (lookup (log, 2));
  g_assert_false (lookup (log, 2)->shown);
  g_assert_cmpuint (plannr_message_log_size (log), ==, 4);
}

static void
test_merge_older_unknown_edited (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  PlannrMessageEvent *event;

  /* The horizon is 10:05; message 2 (10:02) was edited at 10:07, after
   * it, message 3 (10:03) at 10:04, before it. */
  log_add_new (log, 5, TRUE);
  page = page_of (message_new (5), message_edited (3, "early edit", 4),
                  message_edited (2, "late edit", 7), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);

  g_assert_cmpuint (events->len, ==, 1);
  /* Never shown, so there is no old text to show. */
  assert_event (events, 0, PLANNR_EVENT_EDITED, 2, NULL);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->message->contents, ==, "late edit");
  g_assert_cmpstr (lookup (log, 2)->contents, ==, "late edit");
  g_assert_false (lookup (log, 2)->shown);
  g_assert_nonnull (lookup (log, 3));

  /* Reported once: the next poll knows it. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_merge_known_edited (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  PlannrMessageEvent *event;

  log_add_new (log, 1, TRUE);
  log_add_new (log, 2, FALSE);
  log_add_new (log, 3, TRUE);
  page = page_of (message_new (3), message_edited (2, "two, edited", 9),
                  message_edited (1, "one, edited", 8), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);

  g_assert_cmpuint (events->len, ==, 2);
  /* Shown: the old text comes along.  Not shown: there is none. */
  assert_event (events, 0, PLANNR_EVENT_EDITED, 2, NULL);
  assert_event (events, 1, PLANNR_EVENT_EDITED, 1, "message 1");
  event = g_ptr_array_index (events, 1);
  g_assert_cmpstr (event->message->contents, ==, "one, edited");
  g_assert_true (event->message->edited);
  g_assert_cmpstr (lookup (log, 1)->contents, ==, "one, edited");
  g_assert_cmpstr (lookup (log, 2)->contents, ==, "two, edited");

  /* Unchanged text is no edit, even with a new updated_at. */
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = page_of (message_edited (3, "message 3", 20), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 0);

  /* A second edit reports the first edit's text as old. */
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = page_of (message_edited (1, "one, again", 21), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 1);
  assert_event (events, 0, PLANNR_EVENT_EDITED, 1, "one, edited");
}

static void
test_merge_deleted (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) mine = NULL;

  log_add_new (log, 1, TRUE);
  log_add_new (log, 2, FALSE);
  log_add_new (log, 3, TRUE);
  page = page_of (message_new (3), message_deleted (2, 10), message_deleted (1, 11), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);

  /* Only the shown one is announced. */
  g_assert_cmpuint (events->len, ==, 1);
  assert_event (events, 0, PLANNR_EVENT_DELETED, 1, "message 1");
  g_assert_nonnull (((PlannrMessageEvent *) g_ptr_array_index (events, 0))->message->deleted_at);
  g_assert_true (lookup (log, 1)->deleted);
  g_assert_true (lookup (log, 2)->deleted);

  /* Once, not on every poll that still lists it. */
  g_clear_pointer (&events, g_ptr_array_unref);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 0);

  /* Deleted messages are nothing to edit. */
  mine = plannr_message_log_by_author (log, OTHER, 0);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_true (mine->pdata[0] == lookup (log, 3));
}

static void
test_merge_new_deleted (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;

  log_add_new (log, 1, TRUE);
  /* Posted and deleted between two polls: nothing to show. */
  page = page_of (message_new (3), message_deleted (2, 2), message_new (1), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 1);
  assert_event (events, 0, PLANNR_EVENT_NEW, 3, NULL);
  g_assert_nonnull (lookup (log, 2));
  g_assert_true (lookup (log, 2)->deleted);
  g_assert_false (lookup (log, 2)->shown);
}

static void
test_merge_duplicates (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;

  /* Two pages read while message 4 arrived: page 1 was 4, 3 and page 2
   * (shifted by one) starts with 3 again.  3 is shown once. */
  log_add_new (log, 1, TRUE);
  page = page_of (message_new (4), message_new (3), message_new (3), message_new (2),
                  message_new (1), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);

  g_assert_cmpuint (events->len, ==, 3);
  assert_event (events, 0, PLANNR_EVENT_NEW, 2, NULL);
  assert_event (events, 1, PLANNR_EVENT_NEW, 3, NULL);
  assert_event (events, 2, PLANNR_EVENT_NEW, 4, NULL);
  g_assert_cmpuint (plannr_message_log_size (log), ==, 4);
}

static void
test_write_finished (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2025, 6, 5, 10, 30, 0);

  log_add_new (log, 1, TRUE);
  /* Our own edit, recorded when the PUT succeeded... */
  plannr_message_log_write_started (log, lookup (log, 1)->uuid);
  plannr_message_log_write_finished (log, lookup (log, 1)->uuid, "fixed", when,
                                     g_get_monotonic_time ());
  g_assert_cmpstr (lookup (log, 1)->contents, ==, "fixed");
  g_assert_true (g_date_time_equal (lookup (log, 1)->updated_at, when));
  g_assert_cmpuint (lookup (log, 1)->writes, ==, 0);

  /* ...is not reported back as someone's edit by the next poll. */
  page = page_of (message_edited (1, "fixed", 30), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 0);

  /* A later edit elsewhere is, with our text as the old one. */
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = page_of (message_edited (1, "fixed again", 31), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 1);
  assert_event (events, 0, PLANNR_EVENT_EDITED, 1, "fixed");

  /* Unknown uuids and a failed write are harmless. */
  plannr_message_log_write_finished (log, "00000000-0000-4000-8000-ffffffffffff", "x", NULL, 1);
  plannr_message_log_write_started (log, lookup (log, 1)->uuid);
  plannr_message_log_write_finished (log, lookup (log, 1)->uuid, NULL, NULL, 1);
  g_assert_cmpstr (lookup (log, 1)->contents, ==, "fixed again");
  g_assert_cmpuint (lookup (log, 1)->writes, ==, 0);
  g_assert_cmpuint (plannr_message_log_size (log), ==, 1);
}

/* A poll that reads our edit while the PUT is still on its way must
 * not announce it: the PUT's answer does ("You edited..." once). */
static void
test_write_in_flight (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2025, 6, 5, 10, 30, 0);

  log_add_new (log, 1, TRUE);
  plannr_message_log_write_started (log, lookup (log, 1)->uuid);
  page = page_of (message_edited (1, "fixed", 30), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 0);
  g_assert_cmpstr (lookup (log, 1)->contents, ==, "message 1");

  plannr_message_log_write_finished (log, lookup (log, 1)->uuid, "fixed", when,
                                     g_get_monotonic_time ());
  g_clear_pointer (&events, g_ptr_array_unref);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 0);
  g_assert_cmpstr (lookup (log, 1)->contents, ==, "fixed");
}

/* A write whose answer did not say when (204, an empty body): a page
 * asked for before it landed still holds the old text and must not
 * bring it back; one asked for afterwards is believed. */
static void
test_write_without_time (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) stale = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 asked_before, landed;

  log_add_new (log, 1, TRUE);
  plannr_message_log_write_started (log, lookup (log, 1)->uuid);
  asked_before = g_get_monotonic_time ();
  g_usleep (1000);
  landed = g_get_monotonic_time ();
  plannr_message_log_write_finished (log, lookup (log, 1)->uuid, "fixed", NULL, landed);
  g_assert_cmpstr (lookup (log, 1)->contents, ==, "fixed");

  stale = page_of (message_new (1), NULL);
  events = plannr_message_log_merge (log, stale, asked_before, NULL);
  g_assert_cmpuint (events->len, ==, 0);
  g_assert_cmpstr (lookup (log, 1)->contents, ==, "fixed");
  g_clear_pointer (&events, g_ptr_array_unref);
  events = plannr_message_log_merge (log, stale, landed, NULL);
  g_assert_cmpuint (events->len, ==, 0);

  /* Someone edits it afterwards: that is news. */
  later = page_of (message_edited (1, "fixed by Ben", 31), NULL);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = plannr_message_log_merge (log, later, landed + 1, NULL);
  g_assert_cmpuint (events->len, ==, 1);
  assert_event (events, 0, PLANNR_EVENT_EDITED, 1, "fixed");
}

/* A message sent while its chat was closed is known but not shown, even
 * when it lands beyond the log's cap (it is then simply not kept). */
static void
test_add_sent (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(PlannrMessage) sent = message_by (2, ME);
  g_autoptr(PlannrMessage) old = message_by (1, ME);

  plannr_message_log_add_sent (log, sent, FALSE);
  g_assert_nonnull (lookup (log, 2));
  g_assert_false (lookup (log, 2)->shown);
  g_assert_false (lookup (log, 2)->from_page);

  for (guint n = 10; n < 10 + PLANNR_MESSAGE_LOG_SIZE; n++)
    log_add_new (log, n, TRUE);
  g_assert_null (lookup (log, 2));
  plannr_message_log_add_sent (log, old, TRUE);
  g_assert_null (lookup (log, 1));
  g_assert_cmpuint (plannr_message_log_size (log), ==, PLANNR_MESSAGE_LOG_SIZE);
}

static void
test_by_author (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GPtrArray) upper = NULL;
  g_autoptr(GPtrArray) nobody = NULL;
  static const guint mine[] = { 1, 3, 4, 6 };

  for (guint n = 1; n <= 6; n++)
    {
      gboolean is_mine = n == 1 || n == 3 || n == 4 || n == 6;
      g_autoptr(PlannrMessage) message = message_by (n, is_mine ? ME : OTHER);

      plannr_message_log_add (log, message, TRUE);
    }

  all = plannr_message_log_by_author (log, ME, 0);
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (mine));
  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *uuid = uuid_for (mine[G_N_ELEMENTS (mine) - 1 - i]);

      g_assert_cmpstr (((PlannrKnownMessage *) all->pdata[i])->uuid, ==, uuid);
    }

  two = plannr_message_log_by_author (log, ME, 2);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_true (two->pdata[0] == all->pdata[0]);
  g_assert_true (two->pdata[1] == all->pdata[1]);

  /* The account uuid from a setting may be in upper case. */
  upper = plannr_message_log_by_author (log, "68B4AEF7-3EAA-4E17-9D8A-4EACE693AE2D", 0);
  g_assert_cmpuint (upper->len, ==, 4);

  nobody = plannr_message_log_by_author (log, "00000000-0000-4000-8000-000000000000", 0);
  g_assert_cmpuint (nobody->len, ==, 0);
}

static void
test_log_cap (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();
  guint extra = 10;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) events = NULL;

  for (guint n = 1; n <= PLANNR_MESSAGE_LOG_SIZE + extra; n++)
    log_add_new (log, n, TRUE);

  g_assert_cmpuint (plannr_message_log_size (log), ==, PLANNR_MESSAGE_LOG_SIZE);
  /* The oldest went, the newest stayed. */
  for (guint n = 1; n <= extra; n++)
    g_assert_null (lookup (log, n));
  g_assert_nonnull (lookup (log, extra + 1));
  g_assert_nonnull (lookup (log, PLANNR_MESSAGE_LOG_SIZE + extra));

  /* A merge that goes over the cap keeps it too. */
  page = page_of (message_new (PLANNR_MESSAGE_LOG_SIZE + extra + 2),
                  message_new (PLANNR_MESSAGE_LOG_SIZE + extra + 1),
                  message_new (PLANNR_MESSAGE_LOG_SIZE + extra), NULL);
  events = plannr_message_log_merge (log, page, g_get_monotonic_time (), NULL);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpuint (plannr_message_log_size (log), ==, PLANNR_MESSAGE_LOG_SIZE);
  g_assert_null (lookup (log, extra + 2));
  g_assert_nonnull (lookup (log, extra + 3));
}

/* Texts being sent from here: each send counts, so that two sends of
 * "OK" leave one behind when the first is over. */
static void
test_sending (void)
{
  g_autoptr(PlannrMessageLog) log = plannr_message_log_new ();

  g_assert_false (plannr_message_log_is_sending (log, "OK"));
  g_assert_false (plannr_message_log_is_sending (log, NULL));
  plannr_message_log_set_sending (log, "OK", TRUE);
  plannr_message_log_set_sending (log, "OK", TRUE);
  g_assert_true (plannr_message_log_is_sending (log, "OK"));
  g_assert_false (plannr_message_log_is_sending (log, "ok"));
  plannr_message_log_set_sending (log, "OK", FALSE);
  g_assert_true (plannr_message_log_is_sending (log, "OK"));
  plannr_message_log_set_sending (log, "OK", FALSE);
  g_assert_false (plannr_message_log_is_sending (log, "OK"));
  /* Over without having begun: nothing to forget. */
  plannr_message_log_set_sending (log, "OK", FALSE);
  g_assert_false (plannr_message_log_is_sending (log, "OK"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/message-log/add-lookup", test_log_add_lookup);
  g_test_add_func ("/message-log/newest", test_log_newest);
  g_test_add_func ("/message-log/cap", test_log_cap);
  g_test_add_func ("/message-log/by-author", test_by_author);
  g_test_add_func ("/message-log/write-finished", test_write_finished);
  g_test_add_func ("/message-log/write-in-flight", test_write_in_flight);
  g_test_add_func ("/message-log/write-without-time", test_write_without_time);
  g_test_add_func ("/message-log/add-sent", test_add_sent);
  g_test_add_func ("/message-log/merge/first-page", test_merge_first_page);
  g_test_add_func ("/message-log/merge/new-after-known", test_merge_new_after_known);
  g_test_add_func ("/message-log/merge/reached-known", test_merge_reached_known);
  g_test_add_func ("/message-log/merge/older-unknown-silent", test_merge_older_unknown_silent);
  g_test_add_func ("/message-log/merge/older-unknown-edited", test_merge_older_unknown_edited);
  g_test_add_func ("/message-log/merge/known-edited", test_merge_known_edited);
  g_test_add_func ("/message-log/merge/deleted", test_merge_deleted);
  g_test_add_func ("/message-log/merge/new-deleted", test_merge_new_deleted);
  g_test_add_func ("/message-log/merge/duplicates", test_merge_duplicates);
  g_test_add_func ("/message-log/sending", test_sending);

  return g_test_run ();
}
