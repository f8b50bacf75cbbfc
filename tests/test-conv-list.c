/* test-conv-list.c: unit tests of plannr-conv-list
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The rules that decide whether what the server says of a conversation
 * may change what the plugin shows: answers older than what is known,
 * answers asked for before our own rename landed, renames on their way.
 */
#include "config.h"

#include <string.h>

#include "plannr-conv-list.h"

#define UUID_A "d0000000-0000-4000-8000-00000000000a"
#define UUID_B "d0000000-0000-4000-8000-00000000000b"
#define MSG_1  "e0000000-0000-4000-8000-000000000001"
#define MSG_2  "e0000000-0000-4000-8000-000000000002"
#define MSG_3  "e0000000-0000-4000-8000-000000000003"

/* A conversation as a list page carries it; @minutes after 10:00 for
 * its updated_at, @latest the uuid of its latest message or NULL. */
static PlannrConversation *
conversation (const char *uuid,
              const char *name,
              int         minutes,
              const char *latest)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  PlannrConversation *conv;

  json = g_strdup_printf ("{\"uuid\": \"%s\", \"name\": \"%s\", "
                          "\"created_at\": \"2026-11-21T09:00:00Z\", "
                          "\"updated_at\": \"2026-11-21T10:%02d:00Z\", "
                          "\"tags\": [{\"name\": \"ISA\"}, {\"name\": \"Pension\"}], "
                          "\"participants_count\": 3"
                          "%s%s%s}",
                          uuid, name, minutes,
                          latest ? ", \"latest_message\": {\"uuid\": \"" : "",
                          latest ? latest : "",
                          latest ? "\", \"created_at\": \"2026-11-21T10:30:00Z\", \"author\": "
                                   "{\"uuid\": \"b0000000-0000-4000-8000-000000000001\", "
                                   "\"name\": \"Ben Client\"}}" : "");
  node = plannr_json_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  conv = plannr_conversation_new_from_json (node, &error);
  g_assert_no_error (error);
  return conv;
}

static void
test_get_or_add (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, "D0000000-0000-4000-8000-00000000000A", "Annual");

  /* Kept in lower case; found in any case; added once. */
  g_assert_cmpstr (a->uuid, ==, UUID_A);
  g_assert_true (plannr_conv_list_lookup (list, UUID_A) == a);
  g_assert_true (plannr_conv_list_lookup (list, "D0000000-0000-4000-8000-00000000000A") == a);
  g_assert_true (plannr_conv_list_get_or_add (list, UUID_A, "Other") == a);
  g_assert_cmpstr (a->name, ==, "Annual");
  g_assert_cmpint (a->participants_count, ==, -1);
  g_assert_null (plannr_conv_list_lookup (list, UUID_B));
  g_assert_null (plannr_conv_list_lookup (list, NULL));
  g_assert_cmpuint (plannr_conv_list_size (list), ==, 1);
  /* The log is made when first asked for, once. */
  g_assert_null (a->log);
  g_assert_true (plannr_conv_info_log (a) == plannr_conv_info_log (a));
}

static void
test_update (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Annual");
  g_autoptr(PlannrConversation) first = conversation (UUID_A, "Annual", 10, MSG_1);
  g_autoptr(PlannrConversation) same = conversation (UUID_A, "Annual", 10, MSG_1);
  g_autoptr(PlannrConversation) message = conversation (UUID_A, "Annual", 11, MSG_2);
  g_autoptr(PlannrConversation) renamed = conversation (UUID_A, "Annual Review", 12, MSG_2);
  PlannrConvChange change;

  g_assert_true (plannr_conv_info_update (a, first, 1, &change));
  g_assert_true (change.new_message);
  g_assert_false (change.renamed);
  g_assert_cmpstr (a->latest_uuid, ==, MSG_1);
  g_assert_cmpstr (a->tags, ==, "ISA, Pension");
  g_assert_cmpint (a->participants_count, ==, 3);

  g_assert_false (plannr_conv_info_update (a, same, 2, &change));
  g_assert_false (change.changed);

  g_assert_true (plannr_conv_info_update (a, message, 3, &change));
  g_assert_true (change.new_message);
  g_assert_false (change.renamed);

  g_assert_true (plannr_conv_info_update (a, renamed, 4, &change));
  g_assert_true (change.renamed);
  g_assert_false (change.new_message);
  g_assert_cmpstr (a->name, ==, "Annual Review");
}

/* Someone joined or left: the participant count says so, even when
 * nothing else changed; a count not known before is no change. */
static void
test_participants_changed (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Annual");
  g_autoptr(PlannrConversation) first = conversation (UUID_A, "Annual", 10, MSG_1);
  g_autoptr(PlannrConversation) joined = conversation (UUID_A, "Annual", 10, MSG_1);
  PlannrConvChange change;

  g_assert_true (plannr_conv_info_update (a, first, 1, &change));
  g_assert_false (change.participants_changed);

  joined->participants_count = 4;
  g_assert_true (plannr_conv_info_update (a, joined, 2, &change));
  g_assert_true (change.participants_changed);
  g_assert_false (change.new_message);
  g_assert_cmpint (a->participants_count, ==, 4);

  g_assert_false (plannr_conv_info_update (a, joined, 3, &change));
  g_assert_false (change.participants_changed);

  /* Unknown in an answer: nothing changes, the count known stays. */
  joined->participants_count = -1;
  g_assert_false (plannr_conv_info_update (a, joined, 4, &change));
  g_assert_cmpint (a->participants_count, ==, 4);
}

/* The inbox page's latest message stands for reading the chat only when
 * it is the one message added: one more message, no more files, the
 * latest one before known; anything else, or anything unknown, is read. */
static void
test_adds_one_message (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Annual");
  g_autoptr(PlannrConversation) first = conversation (UUID_A, "Annual", 10, MSG_1);
  g_autoptr(PlannrConversation) next = conversation (UUID_A, "Annual", 11, MSG_2);
  PlannrConvChange change;

  /* Nothing known before: read. */
  first->messages_count = 5;
  first->files_count = 1;
  g_assert_false (plannr_conv_info_adds_one_message (a, first));
  plannr_conv_info_update (a, first, 1, &change);

  next->messages_count = 6;
  next->files_count = 1;
  g_assert_true (plannr_conv_info_adds_one_message (a, next));
  next->messages_count = 7;       /* two at once */
  g_assert_false (plannr_conv_info_adds_one_message (a, next));
  next->messages_count = 6;
  next->files_count = 2;          /* it has a file */
  g_assert_false (plannr_conv_info_adds_one_message (a, next));
  next->files_count = -1;         /* files not counted */
  g_assert_false (plannr_conv_info_adds_one_message (a, next));
  next->files_count = 1;
  next->messages_count = -1;      /* messages not counted */
  g_assert_false (plannr_conv_info_adds_one_message (a, next));
  next->messages_count = 6;
  g_assert_false (plannr_conv_info_adds_one_message (a, first));  /* the same latest */
  g_assert_true (plannr_conv_info_adds_one_message (a, next));
  /* Who wrote it unknown (the server's example has a class name there). */
  g_clear_pointer (&next->latest_message->author, plannr_person_free);
  g_assert_false (plannr_conv_info_adds_one_message (a, next));
  next->latest_message->deleted_at = g_date_time_new_now_utc ();
  g_assert_false (plannr_conv_info_adds_one_message (a, next));
}

/* Mine, sent from here, is the latest: no news when a page says so,
 * unless the page counts more messages than that, which are others'
 * sent just before mine, that no page has shown yet. */
static void
test_add_mine (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Annual");
  g_autoptr(PlannrConversation) first = conversation (UUID_A, "Annual", 10, MSG_1);
  g_autoptr(PlannrConversation) mine = conversation (UUID_A, "Annual", 11, MSG_2);
  g_autoptr(PlannrConversation) next = conversation (UUID_A, "Annual", 12, MSG_3);
  PlannrConvChange change;

  first->messages_count = 5;
  plannr_conv_info_update (a, first, 1, &change);

  /* Sent from here, nothing else came: the page that shows it is no
   * news. */
  plannr_conv_info_add_mine (a, MSG_2);
  g_assert_cmpint (a->messages_count, ==, 6);
  mine->messages_count = 6;
  plannr_conv_info_update (a, mine, 2, &change);
  g_assert_false (change.new_message);

  /* Told again (a poll found it first): counted once. */
  plannr_conv_info_add_mine (a, MSG_2);
  g_assert_cmpint (a->messages_count, ==, 6);

  /* Someone wrote just before my next one: the page's latest is mine,
   * and it counts one more than that. */
  plannr_conv_info_add_mine (a, MSG_3);
  next->messages_count = 8;
  plannr_conv_info_update (a, next, 3, &change);
  g_assert_true (change.new_message);
  g_assert_true (change.changed);
  g_assert_cmpint (a->messages_count, ==, 8);
  /* The same page again: nothing new. */
  plannr_conv_info_update (a, next, 4, &change);
  g_assert_false (change.new_message);

  /* Uncounted (the server said no count): the latest alone decides. */
  a->messages_count = -1;
  plannr_conv_info_add_mine (a, MSG_1);
  g_assert_cmpint (a->messages_count, ==, -1);
}

/* A page read before a newer one cannot bring an old name back. */
static void
test_stale_answer (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Annual");
  g_autoptr(PlannrConversation) newer = conversation (UUID_A, "New name", 20, NULL);
  g_autoptr(PlannrConversation) older = conversation (UUID_A, "Annual", 10, NULL);
  PlannrConvChange change;

  g_assert_true (plannr_conv_info_update (a, newer, 1, &change));
  g_assert_false (plannr_conv_info_update (a, older, 2, &change));
  g_assert_false (change.renamed);
  g_assert_cmpstr (a->name, ==, "New name");
}

/* While our rename is on its way, and for answers asked for before it
 * landed, the name stays ours; afterwards the server's is news again. */
static void
test_rename_in_flight (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Mine");
  g_autoptr(PlannrConversation) old = conversation (UUID_A, "Theirs", 10, NULL);
  g_autoptr(PlannrConversation) later = conversation (UUID_A, "Theirs", 11, NULL);
  PlannrConvChange change;

  a->renaming = 1;
  plannr_conv_info_update (a, old, 100, &change);
  g_assert_false (change.renamed);
  g_assert_cmpstr (a->name, ==, "Mine");

  /* Landed at 200 without an updated_at to compare with (a 204). */
  a->renaming = 0;
  a->name_landed = 200;
  g_assert_false (plannr_conv_info_name_is_news (a, "Theirs", 150));
  g_assert_false (plannr_conv_info_name_is_news (a, "Theirs", 200));
  g_assert_true (plannr_conv_info_name_is_news (a, "Theirs", 201));
  g_assert_false (plannr_conv_info_name_is_news (a, "Mine", 300));
  g_assert_false (plannr_conv_info_name_is_news (a, "", 300));
  plannr_conv_info_update (a, later, 300, &change);
  g_assert_true (change.renamed);
  g_assert_cmpstr (a->name, ==, "Theirs");
}

static void
test_should_list (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Annual");
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 1, 12, 0, 0);

  /* Never active: only when everything is listed, pinned or open. */
  g_assert_false (plannr_conv_info_should_list (a, 90, FALSE, now));
  g_assert_true (plannr_conv_info_should_list (a, 0, FALSE, now));
  g_assert_true (plannr_conv_info_should_list (a, 90, TRUE, now));
  a->pinned = TRUE;
  g_assert_true (plannr_conv_info_should_list (a, 90, FALSE, now));
  a->pinned = FALSE;

  a->last_activity = g_date_time_add_days (now, -90);
  g_assert_true (plannr_conv_info_should_list (a, 90, FALSE, now));
  g_date_time_unref (a->last_activity);
  a->last_activity = g_date_time_add_days (now, -91);
  g_assert_false (plannr_conv_info_should_list (a, 90, FALSE, now));
}

static void
test_find_by_name (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Annual Review");
  PlannrConvInfo *b = plannr_conv_list_get_or_add (list, UUID_B, "annual review");
  guint matches;

  a->last_activity = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  b->last_activity = g_date_time_new_utc (2026, 11, 2, 0, 0, 0);
  /* Case folded; of equal names, the most recently active. */
  g_assert_true (plannr_conv_list_find_by_name (list, "ANNUAL REVIEW", &matches) == b);
  g_assert_cmpuint (matches, ==, 2);
  b->gone = TRUE;
  g_assert_true (plannr_conv_list_find_by_name (list, "Annual review", &matches) == a);
  g_assert_cmpuint (matches, ==, 1);
  g_assert_null (plannr_conv_list_find_by_name (list, "Annual", &matches));
  g_assert_cmpuint (matches, ==, 0);
  g_assert_null (plannr_conv_list_find_by_name (list, NULL, &matches));
}

/* Reading the whole list: what it did not hold is gone. */
static void
test_sync (void)
{
  g_autoptr(PlannrConvList) list = plannr_conv_list_new ();
  PlannrConvInfo *a = plannr_conv_list_get_or_add (list, UUID_A, "Annual");
  PlannrConvInfo *b = plannr_conv_list_get_or_add (list, UUID_B, "Pension");
  g_autoptr(GPtrArray) live = NULL;

  plannr_conv_list_begin_sync (list);
  plannr_conv_list_seen (a);
  plannr_conv_list_end_sync (list);
  g_assert_false (a->gone);
  g_assert_true (b->gone);
  live = plannr_conv_list_live (list);
  g_assert_cmpuint (live->len, ==, 1);
  g_assert_true (g_ptr_array_index (live, 0) == a);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conv-list/get-or-add", test_get_or_add);
  g_test_add_func ("/conv-list/update", test_update);
  g_test_add_func ("/conv-list/participants-changed", test_participants_changed);
  g_test_add_func ("/conv-list/adds-one-message", test_adds_one_message);
  g_test_add_func ("/conv-list/add-mine", test_add_mine);
  g_test_add_func ("/conv-list/stale-answer", test_stale_answer);
  g_test_add_func ("/conv-list/rename-in-flight", test_rename_in_flight);
  g_test_add_func ("/conv-list/should-list", test_should_list);
  g_test_add_func ("/conv-list/find-by-name", test_find_by_name);
  g_test_add_func ("/conv-list/sync", test_sync);

  return g_test_run ();
}
