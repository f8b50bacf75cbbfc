/* test-chats.c: conversations as chats in headless libpurple
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"
#include "plannr-fake-colleague.h"

static gboolean
roomlist_done_cond (gpointer data)
{
  return !purple_roomlist_get_in_progress (data);
}

/* --- the list --------------------------------------------------------------- */

static void
test_blist (WorldFixture  *fx,
            gconstpointer  data)
{
  PurpleChat *chat;
  GHashTable *components;
  guint requests;

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV, WORLD_WAIT_MS));
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));

  chat = plannr_harness_find_blist_chat (fx->account, WORLD_CONV);
  g_assert_cmpstr (purple_chat_get_name (chat), ==, "Annual Review");
  g_assert_cmpstr (purple_group_get_name (purple_chat_get_group (chat)), ==, "Plannr");
  components = purple_chat_get_components (chat);
  g_assert_cmpstr (g_hash_table_lookup (components, "uuid"), ==, WORLD_CONV);
  g_assert_cmpstr (g_hash_table_lookup (components, "name"), ==, "Annual Review");

  /* Budget: the list in one page, no request per conversation. */
  requests = world_count (fx, "GET", "/api/v1/conversation/*");
  g_assert_cmpuint (requests, ==, 0);
  g_assert_cmpuint (world_count (fx, "GET", "/api/v1/conversation"), >=, 1);
  {
    const PlannrFakeRequest *list = plannr_fake_get_requests (fx->world->fake)->pdata[1];

    g_assert_cmpstr (list->path, ==, "/api/v1/conversation");
    g_assert_nonnull (strstr (list->query, "per_page=500"));
    g_assert_nonnull (strstr (list->query, "sort=created_at"));
  }
}

static gboolean
blist_count_cond (gpointer data)
{
  WorldFixture *fx = data;

  return plannr_harness_count_blist_chats (fx->account) == 2000;
}

static void
test_paging_budget (WorldFixture  *fx,
                    gconstpointer  data)
{
  const char *participants[] = { WORLD_ME, WORLD_BEN, NULL };
  const char *admins[] = { WORLD_ME, NULL };
  guint before, pages;

  /* 2,000 conversations in all (with the world's two): four pages. */
  for (guint i = 0; i < 1998; i++)
    {
      g_autofree char *name = g_strdup_printf ("Client file %04u", i);
      g_autofree char *uuid = plannr_fake_add_conversation (fx->world->fake, NULL, name,
                                                            participants, admins);
    }
  plannr_fake_clear_requests (fx->world->fake);
  world_sign_in (fx);

  /* The buddy list fills a slice at a time; wait for all of it.  With
   * the Laravel shapes' 15 a page that is 134 pages, one after another,
   * which under the sanitizers takes longer than a step's usual wait. */
  g_assert_true (plannr_wait_until (blist_count_cond, fx, WORLD_GIVE_UP_MS));
  before = plannr_fake_get_requests (fx->world->fake)->len;
  /* The budget: at most ceil(2000 / 500) + 3 requests; these are /me,
   * four pages and the pinned ones.  (A server that holds fewer per
   * page makes it more pages, and nothing else.) */
  pages = world_pages (fx->world, 2000, 500);
  g_assert_cmpuint (world_count (fx, "GET", "/api/v1/conversation"), ==, pages + 1);
  g_assert_cmpuint (before, <=, pages + 3);
  g_assert_cmpuint (plannr_harness_count_blist_chats (fx->account), ==, 2000);
  g_assert_cmpuint (world_count (fx, "GET", "/api/v1/conversation/*"), ==, 0);
}

static void
test_blist_days (WorldFixture  *fx,
                 gconstpointer  data)
{
  const char *participants[] = { WORLD_ME, WORLD_BEN, NULL };
  const char *admins[] = { WORLD_ME, NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) old = g_date_time_add_days (now, -200);
  g_autofree char *iso = g_date_time_format_iso8601 (old);
  g_autofree char *quiet = NULL;
  g_autofree char *pinned = NULL;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;

  plannr_fake_set_time (fx->world->fake, iso);
  quiet = plannr_fake_add_conversation (fx->world->fake, NULL, "Old quiet file", participants, admins);
  pinned = plannr_fake_add_conversation (fx->world->fake, NULL, "Old pinned file", participants, admins);
  m1 = plannr_fake_post_message (fx->world->fake, quiet, WORLD_BEN, "long ago");
  m2 = plannr_fake_post_message (fx->world->fake, pinned, WORLD_BEN, "long ago too");
  plannr_fake_set_pinned (fx->world->fake, pinned, WORLD_ME, TRUE);

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV, WORLD_WAIT_MS));
  g_assert_true (world_wait_listed (fx, pinned, WORLD_WAIT_MS));
  g_assert_null (plannr_harness_find_blist_chat (fx->account, quiet));

  /* blist-days = 0 lists everything, at the next sign-in. */
  plannr_harness_disconnect (fx->account);
  purple_account_set_int (fx->account, "blist-days", 0);
  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, quiet, WORLD_WAIT_MS));

  /* Back to 30 days: what the plugin added and went quiet leaves. */
  plannr_harness_disconnect (fx->account);
  purple_account_set_int (fx->account, "blist-days", 30);
  world_sign_in (fx);
  g_assert_true (world_wait_unlisted (fx, quiet, WORLD_WAIT_MS));
  g_assert_nonnull (plannr_harness_find_blist_chat (fx->account, pinned));
}

static void
test_new_and_vanished (WorldFixture  *fx,
                       gconstpointer  data)
{
  const char *participants[] = { WORLD_ME, WORLD_CLARA, NULL };
  const char *admins[] = { WORLD_CLARA, NULL };
  g_autofree char *fresh = NULL;
  PurpleRoomlist *list;

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));

  /* Created elsewhere: appears on the buddy list and in the room list. */
  fresh = plannr_fake_add_conversation (fx->world->fake, NULL, "Created on the web", participants, admins);
  g_assert_true (world_wait_listed (fx, fresh, WORLD_WAIT_MS));
  /* As Pidgin does: its own reference while the dialog shows the list. */
  list = purple_roomlist_get_list (purple_account_get_connection (fx->account));
  g_assert_nonnull (list);
  purple_roomlist_ref (list);
  g_assert_true (plannr_wait_until (roomlist_done_cond, list, WORLD_WAIT_MS));
  {
    gboolean found = FALSE;

    for (GList *l = list->rooms; l != NULL; l = l->next)
      if (g_strcmp0 (((PurpleRoomlistRoom *) l->data)->name, "Created on the web") == 0)
        found = TRUE;
    g_assert_true (found);
  }
  purple_roomlist_unref (list);

  /* Removed from a conversation while offline: gone at the next sign-in. */
  plannr_harness_disconnect (fx->account);
  plannr_fake_remove_participant (fx->world->fake, WORLD_CONV2, WORLD_ME);
  world_sign_in (fx);
  g_assert_true (world_wait_unlisted (fx, WORLD_CONV2, WORLD_WAIT_MS));
  g_assert_nonnull (plannr_harness_find_blist_chat (fx->account, WORLD_CONV));
}

static void
test_roomlist (WorldFixture  *fx,
               gconstpointer  data)
{
  PurpleRoomlist *list;
  guint rooms = 0;
  PurpleRoomlistRoom *annual = NULL;
  GList *fields;
  guint before;

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV, WORLD_WAIT_MS));
  before = plannr_fake_get_requests (fx->world->fake)->len;
  list = purple_roomlist_get_list (purple_account_get_connection (fx->account));
  purple_roomlist_ref (list);
  /* Filled a slice per idle, from what is known. */
  g_assert_true (plannr_wait_until (roomlist_done_cond, list, WORLD_WAIT_MS));

  fields = purple_roomlist_get_fields (list);
  g_assert_cmpuint (g_list_length (fields), ==, 8);
  for (GList *l = list->rooms; l != NULL; l = l->next, rooms++)
    if (g_strcmp0 (((PurpleRoomlistRoom *) l->data)->name, "Annual Review") == 0)
      annual = l->data;
  g_assert_cmpuint (rooms, ==, 2);
  g_assert_nonnull (annual);
  /* name, id, participants, messages, ... */
  g_assert_cmpstr (g_list_nth_data (annual->fields, 1), ==, WORLD_CONV);
  g_assert_cmpint (GPOINTER_TO_INT (g_list_nth_data (annual->fields, 2)), ==, 3);
  g_assert_cmpint (GPOINTER_TO_INT (g_list_nth_data (annual->fields, 3)), ==, 3);
  /* From what is known: no request. */
  g_assert_cmpuint (plannr_fake_get_requests (fx->world->fake)->len, <=, before + 1);

  purple_roomlist_room_join (list, annual);
  g_assert_true (plannr_harness_wait_chat (fx->account, "Annual Review", WORLD_WAIT_MS));
  purple_roomlist_unref (list);
}

/* --- joining ------------------------------------------------------------------ */

/* history-count 20 from a server that holds 15 a page, whatever this run's
 * shapes: the newest 20, in two pages, not 15 and not 30. */
static void
test_history_small_pages (WorldFixture  *fx,
                          gconstpointer  data)
{
  PurpleConversation *conv;
  GPtrArray *lines;
  guint shown = 0;

  plannr_fake_set_clamp_per_page (fx->world->fake, 15);
  purple_account_set_int (fx->account, "history-count", 20);
  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV, WORLD_WAIT_MS));
  plannr_fake_clear_requests (fx->world->fake);
  conv = world_join (fx, WORLD_CONV, "Annual Review", NULL);
  g_assert_nonnull (conv);
  g_assert_true (plannr_harness_wait_line ("Message 60 from Ben", WORLD_WAIT_MS));
  plannr_wait_for_ms (500);
  lines = plannr_harness_get_lines ();
  for (guint i = 0; i < lines->len; i++)
    {
      PlannrHarnessLine *line = g_ptr_array_index (lines, i);

      if (!g_str_has_prefix (line->message, "Message "))
        continue;
      /* The oldest of the newest 20 first. */
      if (shown == 0)
        g_assert_cmpstr (line->message, ==, "Message 41 from Ben");
      shown++;
    }
  g_assert_cmpuint (shown, ==, 20);
  g_assert_cmpuint (world_count (fx, "GET", "/api/v1/conversation/*/messages"), ==, 2);
}

static void
test_history (WorldFixture  *fx,
              gconstpointer  data)
{
  PurpleConversation *conv;
  GPtrArray *lines;
  guint shown = 0;
  int first = -1;
  PurpleConvChatBuddy *me, *ben;

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV, WORLD_WAIT_MS));
  plannr_fake_clear_requests (fx->world->fake);
  conv = world_join (fx, WORLD_CONV, "Annual Review", NULL);
  g_assert_cmpstr (purple_conversation_get_name (conv), ==, WORLD_CONV);
  g_assert_cmpstr (purple_conv_chat_get_topic (PURPLE_CONV_CHAT (conv)), ==, "Annual Review");

  /* The last 50 of 60, oldest first, delayed, by display name. */
  g_assert_true (plannr_harness_wait_line ("Message 60 from Ben", WORLD_WAIT_MS));
  lines = plannr_harness_get_lines ();
  for (guint i = 0; i < lines->len; i++)
    {
      PlannrHarnessLine *line = g_ptr_array_index (lines, i);

      if (!g_str_has_prefix (line->message, "Message "))
        continue;
      if (first < 0)
        {
          first = (int) i;
          g_assert_cmpstr (line->message, ==, "Message 11 from Ben");
        }
      g_assert_cmpstr (line->who, ==, "Ben Client");
      g_assert_true (line->flags & PURPLE_MESSAGE_DELAYED);
      g_assert_true (line->flags & PURPLE_MESSAGE_RECV);
      /* The fake's clock: one second per message, a day ago. */
      g_assert_cmpint (line->mtime, <, time (NULL) - 3600);
      if (i > (guint) first)
        g_assert_cmpint (line->mtime, >=, ((PlannrHarnessLine *) g_ptr_array_index (lines, i - 1))->mtime);
      shown++;
    }
  g_assert_cmpuint (shown, ==, 50);
  /* One request, or as many pages as a server that holds fewer needs. */
  g_assert_cmpuint (world_count (fx, "GET", "/api/v1/conversation/*/messages"), ==,
                    world_pages (fx->world, 50, 50));

  /* Participants by display name, the admin with the op flag. */
  g_assert_true (plannr_harness_wait_line ("Message 60", WORLD_WAIT_MS));
  plannr_wait_for_ms (300);
  me = purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "ada@example.com");
  ben = purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "Ben Client");
  g_assert_nonnull (me);
  g_assert_nonnull (ben);
  g_assert_true (me->flags & PURPLE_CBFLAGS_OP);
  g_assert_false (ben->flags & PURPLE_CBFLAGS_OP);
  g_assert_nonnull (purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "Clara Colleague"));
  g_assert_null (purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), WORLD_BEN));
}

/* The history waits for the participants, so that each line names its
 * author as the chat's user list does, however late the names come. */
static void
test_names_before_history (WorldFixture  *fx,
                           gconstpointer  data)
{
  PurpleConversation *conv;

  /* No inbox poll meanwhile: the delay is the participants' alone. */
  purple_account_set_int (fx->account, "poll-interval", 3600);
  world_sign_in_listed (fx);
  plannr_wait_for_ms (300);
  plannr_fake_add_fault (fx->world->fake, "GET", "/api/v1/conversation",
                         PLANNR_FAKE_FAULT_DELAY, 1500, 1);
  plannr_harness_join_chat (fx->account, WORLD_CONV);
  g_assert_true (plannr_harness_wait_chat (fx->account, "Annual Review", WORLD_WAIT_MS));
  conv = plannr_harness_find_chat (fx->account, "Annual Review");
  g_assert_true (plannr_harness_wait_line ("Message 3 from Ben", WORLD_WAIT_MS));
  g_assert_nonnull (purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "Ben Client"));
  g_assert_cmpstr (plannr_harness_find_line ("Message 3 from Ben")->who, ==, "Ben Client");
}

/* Participants that cannot be read: the chat says so, and the history
 * still shows. */
static void
test_names_failed (WorldFixture  *fx,
                   gconstpointer  data)
{
  g_autofree char *single = g_strdup_printf ("/api/v1/conversation/%s", WORLD_CONV);
  PurpleConversation *conv;

  purple_account_set_int (fx->account, "poll-interval", 3600);
  world_sign_in_listed (fx);
  plannr_wait_for_ms (300);
  plannr_fake_add_fault (fx->world->fake, "GET", "/api/v1/conversation",
                         PLANNR_FAKE_FAULT_STATUS, 422, 1);
  plannr_fake_add_fault (fx->world->fake, "GET", single, PLANNR_FAKE_FAULT_STATUS, 404, 1);
  plannr_harness_join_chat (fx->account, WORLD_CONV);
  g_assert_true (plannr_harness_wait_chat (fx->account, "Annual Review", WORLD_WAIT_MS));
  conv = plannr_harness_find_chat (fx->account, "Annual Review");
  g_assert_true (plannr_harness_wait_line ("Could not load the participants", WORLD_WAIT_MS));
  g_assert_true (plannr_harness_wait_line ("Message 3 from Ben", WORLD_WAIT_MS));
  g_assert_cmpstr (plannr_harness_find_line ("Message 3 from Ben")->who, ==, "Ben Client");
  g_assert_null (purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "Ben Client"));
}

static void
test_admins (WorldFixture  *fx,
             gconstpointer  data)
{
  PurpleConversation *conv;
  PurpleConvChatBuddy *me, *clara, *ben;

  world_sign_in (fx);
  conv = world_join (fx, WORLD_CONV2, "Pension transfer", NULL);
  /* Clara administers this one, I do not. */
  me = purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "ada@example.com");
  clara = purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "Clara Colleague");
  ben = purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "Ben Client");
  g_assert_nonnull (me);
  g_assert_nonnull (clara);
  g_assert_nonnull (ben);
  g_assert_true (clara->flags & PURPLE_CBFLAGS_OP);
  g_assert_false (me->flags & PURPLE_CBFLAGS_OP);
  g_assert_false (ben->flags & PURPLE_CBFLAGS_OP);
}

static void
test_join_by_name (WorldFixture  *fx,
                   gconstpointer  data)
{
  GHashTable *components = g_hash_table_new (g_str_hash, g_str_equal);

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));
  g_hash_table_insert (components, "name", "pension TRANSFER");
  serv_join_chat (purple_account_get_connection (fx->account), components);
  g_hash_table_unref (components);
  g_assert_true (plannr_harness_wait_chat (fx->account, "Pension transfer", WORLD_WAIT_MS));

  /* A name that does not exist offers to create it (test-people.c);
   * declined, nothing is created. */
  components = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (components, "name", "No such thing");
  serv_join_chat (purple_account_get_connection (fx->account), components);
  g_hash_table_unref (components);
  {
    PlannrHarnessRequest *req = plannr_harness_wait_request (WORLD_WAIT_MS);

    g_assert_nonnull (req);
    g_assert_nonnull (strstr (req->primary, "No such thing"));
    plannr_harness_answer_action (req, 1);
  }
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
}

/* --- receiving ---------------------------------------------------------------- */

static void
test_receive (WorldFixture  *fx,
              gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *mine = NULL;
  const PlannrHarnessLine *line;
  gint64 start;

  world_sign_in (fx);
  world_join (fx, WORLD_CONV, "Annual Review", "Message 3 from Ben");

  start = g_get_monotonic_time ();
  uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Are we still on for Tuesday?");
  g_assert_true (plannr_harness_wait_line ("Are we still on for Tuesday?", WORLD_WAIT_MS));
  /* Within chat-poll-interval (1 s) + 1 s. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  line = plannr_harness_find_line ("Are we still on for Tuesday?");
  g_assert_cmpstr (line->who, ==, "Ben Client");
  g_assert_false (line->flags & PURPLE_MESSAGE_DELAYED);

  /* Mine, from the web app: shown as sent by me (by my name). */
  mine = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_ME, "Written on my phone");
  g_assert_true (plannr_harness_wait_line ("Written on my phone", WORLD_WAIT_MS));
  line = plannr_harness_find_line ("Written on my phone");
  g_assert_cmpstr (line->alias, ==, "Ada Adviser");
  g_assert_true (line->flags & PURPLE_MESSAGE_SEND);

  /* Once, ever. */
  plannr_wait_for_ms (2500);
  g_assert_cmpuint (plannr_harness_count_lines ("Are we still on for Tuesday?"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Written on my phone"), ==, 1);
}

static void
test_open_on_message (WorldFixture  *fx,
                      gconstpointer  data)
{
  g_autofree char *uuid = NULL;

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));
  plannr_wait_for_ms (1500);
  g_assert_null (plannr_harness_find_chat (fx->account, "Pension transfer"));

  uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV2, WORLD_CLARA, "Transfer form is signed");
  g_assert_true (plannr_harness_wait_chat (fx->account, "Pension transfer", WORLD_WAIT_MS));
  g_assert_true (plannr_harness_wait_line ("Transfer form is signed", WORLD_WAIT_MS));
  plannr_wait_for_ms (1500);
  g_assert_cmpuint (plannr_harness_count_lines ("Transfer form is signed"), ==, 1);
}

static void
test_open_on_message_no_history (WorldFixture  *fx,
                                 gconstpointer  data)
{
  g_autofree char *uuid = NULL;

  /* No history, but the message that opens the chat is shown. */
  purple_account_set_int (fx->account, "history-count", 0);
  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));
  uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV2, WORLD_CLARA, "Why the chat opened");
  g_assert_true (plannr_harness_wait_chat (fx->account, "Pension transfer", WORLD_WAIT_MS));
  g_assert_true (plannr_harness_wait_line ("Why the chat opened", WORLD_WAIT_MS));
  plannr_wait_for_ms (1500);
  g_assert_cmpuint (plannr_harness_count_lines ("Why the chat opened"), ==, 1);
}

static void
test_open_on_message_off (WorldFixture  *fx,
                          gconstpointer  data)
{
  g_autofree char *uuid = NULL;

  purple_account_set_bool (fx->account, "open-on-message", FALSE);
  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));
  uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV2, WORLD_CLARA, "Not opened for this");
  plannr_wait_for_ms (3000);
  g_assert_null (plannr_harness_find_chat (fx->account, "Pension transfer"));

  /* Opening it by hand shows it, once. */
  world_join (fx, WORLD_CONV2, "Pension transfer", "Not opened for this");
  plannr_wait_for_ms (1500);
  g_assert_cmpuint (plannr_harness_count_lines ("Not opened for this"), ==, 1);
}

static void
test_files_reactions_deletions (WorldFixture  *fx,
                                gconstpointer  data)
{
  g_autofree char *uuid = NULL;
  const PlannrHarnessLine *line;
  char *deleted_text;

  uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Here is the report");
  plannr_fake_add_file (fx->world->fake, uuid, "report.pdf", "application/pdf", 1200000,
                        "https://files.example.com/report.pdf");
  plannr_fake_add_file (fx->world->fake, uuid, "<b>evil</b>.txt", "text/plain", 10,
                        "javascript:alert(1)");
  plannr_fake_react (fx->world->fake, uuid, WORLD_ME, "like");
  plannr_fake_react (fx->world->fake, uuid, WORLD_CLARA, "like");
  plannr_fake_react (fx->world->fake, uuid, WORLD_CLARA, "love");

  world_sign_in (fx);
  world_join (fx, WORLD_CONV, "Annual Review", "Here is the report");
  line = plannr_harness_find_line ("Here is the report");
  g_test_message ("line: %s", line->message);
  /* g_format_size() puts a no-break space before the unit. */
  g_assert_nonnull (strstr (line->message, "report.pdf (1.2"));
  g_assert_nonnull (strstr (line->message, "MB) <a"));
  g_assert_nonnull (strstr (line->message, "<a href=\"https://files.example.com/report.pdf\">"));
  g_assert_nonnull (strstr (line->message, "&lt;b&gt;evil&lt;/b&gt;.txt"));
  g_assert_null (strstr (line->message, "javascript:"));
  g_assert_nonnull (strstr (line->message, "like ×2"));
  g_assert_nonnull (strstr (line->message, "love ×1"));

  /* Deleting a message that was shown says so, once. */
  deleted_text = g_strdup ("Message 2 from Ben");
  g_assert_true (plannr_fake_delete_message (fx->world->fake, WORLD_CONV, uuid));
  g_assert_true (plannr_harness_wait_line ("Ben Client deleted their message", WORLD_WAIT_MS));
  plannr_wait_for_ms (2500);
  g_assert_cmpuint (plannr_harness_count_lines ("deleted their message"), ==, 1);
  g_free (deleted_text);
}

static void
test_markup (WorldFixture  *fx,
             gconstpointer  data)
{
  const char *participants[] = { WORLD_ME, WORLD_BEN, NULL };
  const char *admins[] = { WORLD_ME, NULL };
  g_autofree char *conv = plannr_fake_add_conversation (fx->world->fake, NULL, "<b>Q&A</b>",
                                                        participants, admins);
  g_autofree char *m = plannr_fake_post_message (fx->world->fake, conv, WORLD_BEN,
                                                 "<script>alert(1)</script> see https://example.com/a?b=1&c=2 or javascript:alert(2)");
  const PlannrHarnessLine *line;

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, conv, WORLD_WAIT_MS));
  g_assert_cmpstr (purple_chat_get_name (plannr_harness_find_blist_chat (fx->account, conv)), ==, "<b>Q&A</b>");
  world_join (fx, conv, "<b>Q&A</b>", "alert(1)");
  line = plannr_harness_find_line ("alert(1)");
  g_assert_null (strstr (line->message, "<script>"));
  g_assert_nonnull (strstr (line->message, "&lt;script&gt;"));
  g_assert_nonnull (strstr (line->message, "<a href=\"https://example.com/a?b=1&amp;c=2\">"));
  g_assert_null (strstr (line->message, "href=\"javascript"));
}

/* --- catching up ----------------------------------------------------------------- */

static void
test_catch_up (WorldFixture  *fx,
               gconstpointer  data)
{
  PurpleConversation *conv;
  GPtrArray *lines;

  purple_account_set_int (fx->account, "history-count", 20);
  world_sign_in (fx);
  conv = world_join (fx, WORLD_CONV, "Annual Review", "Message 5 from Ben");
  g_assert_cmpuint (plannr_harness_count_lines ("from Ben"), ==, 5);

  /* Close the client (the window and the account), miss 45 messages:
   * more than two pages of history-count. */
  purple_conversation_destroy (conv);
  plannr_harness_disconnect (fx->account);
  /* Kept in the plugin's own file, not on the buddy-list node: a node
   * write makes libpurple save the whole blist.xml on the main loop. */
  g_assert_null (purple_blist_node_get_string (PURPLE_BLIST_NODE (plannr_harness_find_blist_chat (fx->account, WORLD_CONV)),
                                               "plannr-last-uuid"));
  {
    g_autofree char *dir = g_build_filename (plannr_harness_get_user_dir (), "plannr", NULL);
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;
    gboolean found = FALSE;

    g_assert_nonnull (listing);
    while ((name = g_dir_read_name (listing)) != NULL)
      found = found || (g_str_has_prefix (name, "seen-") && g_str_has_suffix (name, ".json"));
    g_assert_true (found);
  }
  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *text = g_strdup_printf ("While away %u", i + 1);
      g_autofree char *uuid = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, text);
    }
  plannr_harness_clear_lines ();
  plannr_fake_clear_requests (fx->world->fake);

  world_sign_in (fx);
  world_join (fx, WORLD_CONV, "Annual Review", "While away 45");
  plannr_wait_for_ms (2500);

  lines = plannr_harness_get_lines ();
  for (guint i = 1; i <= 45; i++)
    {
      g_autofree char *text = g_strdup_printf ("While away %u", i);
      guint n = 0;

      for (guint j = 0; j < lines->len; j++)
        if (g_strcmp0 (((PlannrHarnessLine *) g_ptr_array_index (lines, j))->message, text) == 0)
          n++;
      g_assert_cmpuint (n, ==, 1);
    }
  /* Nothing from before is shown again. */
  g_assert_cmpuint (plannr_harness_count_lines ("from Ben"), ==, 0);
  /* Three pages of 20 to reach the last message shown. */
  g_assert_cmpuint (world_count (fx, "GET", "/api/v1/conversation/*/messages"), >=, 3);
}

static void
test_catch_up_off_blist (WorldFixture  *fx,
                         gconstpointer  data)
{
  const char *participants[] = { WORLD_ME, WORLD_BEN, NULL };
  const char *admins[] = { WORLD_ME, NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) old = g_date_time_add_days (now, -200);
  g_autofree char *iso = g_date_time_format_iso8601 (old);
  g_autofree char *quiet = NULL;
  PurpleConversation *conv;

  /* A quiet old conversation: not on the buddy list, opened by id. */
  plannr_fake_set_time (fx->world->fake, iso);
  quiet = plannr_fake_add_conversation (fx->world->fake, NULL, "Old file", participants, admins);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("Old news %u", i);
      g_autofree char *uuid = plannr_fake_post_message (fx->world->fake, quiet, WORLD_BEN, text);
    }
  purple_account_set_int (fx->account, "blist-days", 30);
  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV, WORLD_WAIT_MS));
  conv = world_join (fx, quiet, "Old file", "Old news 3");
  g_assert_null (plannr_harness_find_blist_chat (fx->account, quiet));

  purple_conversation_destroy (conv);
  plannr_harness_disconnect (fx->account);
  {
    g_autofree char *uuid = plannr_fake_post_message (fx->world->fake, quiet, WORLD_BEN, "Written while away");
  }
  plannr_harness_clear_lines ();

  world_sign_in (fx);
  world_join (fx, quiet, "Old file", "Written while away");
  plannr_wait_for_ms (1500);
  g_assert_cmpuint (plannr_harness_count_lines ("Old news"), ==, 0);
  g_assert_cmpuint (plannr_harness_count_lines ("Written while away"), ==, 1);
}

/* --- sending ---------------------------------------------------------------- */

static void
test_send (WorldFixture  *fx,
           gconstpointer  data)
{
  PurpleConversation *conv;
  const PlannrFakeRequest *post;
  const PlannrHarnessLine *line;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;

  world_sign_in (fx);
  conv = world_join (fx, WORLD_CONV, "Annual Review", "Message 3 from Ben");

  plannr_harness_send_chat (conv, "Hello <b>world</b> &amp; &lt;friends&gt;");
  g_assert_true (world_wait_stored (fx, "Hello world & <friends>", WORLD_WAIT_MS));
  post = plannr_fake_last_request (fx->world->fake, "POST", "/api/v1/conversation/*/messages");
  g_assert_cmpstr (post->path, ==, WORLD_MESSAGES_PATH);
  g_assert_cmpstr (soup_message_headers_get_content_type (post->headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (post->headers, "X-PLANNR-ACCOUNT-UUID"), ==, WORLD_ME);
  g_assert_true (json_parser_load_from_data (parser, post->body, -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (body), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (body, "contents"), ==, "Hello world & <friends>");

  g_assert_true (plannr_harness_wait_line ("Hello world &amp; &lt;friends&gt;", WORLD_WAIT_MS));
  line = plannr_harness_find_line ("Hello world &amp; &lt;friends&gt;");
  g_assert_true (line->flags & PURPLE_MESSAGE_SEND);
  g_assert_cmpstr (line->alias, ==, "Ada Adviser");
  /* Shown once, not again when polls see it; sent once, and never
   * reported as failed (in Laravel's shapes the POST's 201 has no body,
   * and the message is found on the server instead). */
  plannr_wait_for_ms (3000);
  g_assert_cmpuint (plannr_harness_count_lines ("Hello world &amp;"), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 1);
  g_assert_cmpuint (plannr_fake_count_messages_with (fx->world->fake, WORLD_CONV, "Hello world & <friends>"), ==, 1);
  g_assert_null (plannr_harness_find_line ("was not sent"));
}

static void
test_send_failure (WorldFixture  *fx,
                   gconstpointer  data)
{
  PurpleConversation *conv;

  world_sign_in (fx);
  conv = world_join (fx, WORLD_CONV, "Annual Review", "Message 3 from Ben");

  plannr_fake_add_fault (fx->world->fake, "POST", "/api/v1/conversation/*/messages",
                         PLANNR_FAKE_FAULT_STATUS, 422, 1);
  plannr_harness_send_chat (conv, "Please keep this text");
  g_assert_true (plannr_harness_wait_line ("was not sent", WORLD_WAIT_MS));
  g_assert_nonnull (strstr (plannr_harness_find_line ("was not sent")->message, "Please keep this text"));
  g_assert_cmpuint (plannr_fake_count_messages_with (fx->world->fake, WORLD_CONV, "Please keep this text"), ==, 0);

  /* Beyond the cap: refused with the reason, the text stays visible. */
  {
    g_autofree char *long_text = g_strnfill (65536, 'x');

    plannr_fake_clear_requests (fx->world->fake);
    plannr_harness_send_chat (conv, long_text);
    g_assert_true (plannr_harness_wait_line ("longer than 65535 characters", WORLD_WAIT_MS));
    g_assert_nonnull (strstr (plannr_harness_find_line ("longer than 65535")->message, long_text));
    g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
  }

  /* Whitespace only: refused, nothing sent. */
  plannr_fake_clear_requests (fx->world->fake);
  plannr_harness_send_chat (conv, "   ");
  g_assert_true (plannr_harness_wait_line ("Empty messages are not sent", WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
}

static void
test_send_order (WorldFixture  *fx,
                 gconstpointer  data)
{
  PurpleConversation *conv;
  GPtrArray *requests;
  guint n = 0;

  world_sign_in (fx);
  conv = world_join (fx, WORLD_CONV, "Annual Review", "Message 3 from Ben");

  /* A slow server must not reorder them. */
  plannr_fake_add_fault (fx->world->fake, "POST", NULL, PLANNR_FAKE_FAULT_DELAY, 200, 2);
  for (guint i = 1; i <= 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("Rapid %u", i);

      plannr_harness_send_chat (conv, text);
    }
  g_assert_true (world_wait_stored (fx, "Rapid 8", WORLD_WAIT_MS));
  requests = plannr_fake_get_requests (fx->world->fake);
  for (guint i = 0; i < requests->len; i++)
    {
      PlannrFakeRequest *req = g_ptr_array_index (requests, i);
      g_autofree char *expected = NULL;

      if (g_strcmp0 (req->method, "POST") != 0)
        continue;
      expected = g_strdup_printf ("{\"contents\":\"Rapid %u\"}", ++n);
      g_assert_cmpstr (req->body, ==, expected);
    }
  g_assert_cmpuint (n, ==, 8);
}

/* --- the demo's colleague ------------------------------------------------------ */

static void
test_colleague (WorldFixture  *fx,
                gconstpointer  data)
{
  g_autoptr(PlannrFakeColleague) colleague = plannr_fake_colleague_new (fx->world->fake, 400);
  PurpleConversation *conv;
  guint answers, edits, renames, unprompted;

  world_sign_in (fx);
  conv = world_join (fx, WORLD_CONV, "Annual Review", "Message 3 from Ben");

  plannr_harness_send_chat (conv, "Could you check the transfer value?");
  plannr_wait_for_ms (700);
  plannr_harness_send_chat (conv, "And the fees, please.");
  /* Answers, an edit of the first and a rename after the second. */
  g_assert_true (plannr_harness_wait_line ("edited their message", WORLD_WAIT_MS));
  g_assert_true (plannr_harness_wait_line ("The conversation was renamed to", WORLD_WAIT_MS));
  plannr_fake_colleague_get_counts (colleague, &answers, &edits, &renames, &unprompted);
  g_assert_cmpuint (answers, ==, 2);
  g_assert_cmpuint (edits, ==, 1);
  g_assert_cmpuint (renames, ==, 1);
  g_assert_cmpstr (purple_conversation_get_title (conv), ==,
                   plannr_fake_get_conversation_name (fx->world->fake, WORLD_CONV));
}

/* --- budgets ------------------------------------------------------------------- */

/* Requests since @since (a request log length) of @method on @glob. */
static guint
count_since (WorldFixture *fx,
             guint         since,
             const char   *method,
             const char   *glob)
{
  GPtrArray *requests = plannr_fake_get_requests (fx->world->fake);
  guint n = 0;

  for (guint i = since; i < requests->len; i++)
    {
      const PlannrFakeRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->method, method) == 0 && g_pattern_match_simple (glob, request->path))
        n++;
    }
  return n;
}

typedef struct
{
  WorldFixture *fx;
  guint         mark;
} PollSince;

static gboolean
polled_since_cond (gpointer data)
{
  PollSince *since = data;

  return count_since (since->fx, since->mark, "GET", "/api/v1/conversation") > 0;
}

static void
set_idle (PurpleAccount *account,
          gboolean       idle)
{
  purple_presence_set_idle (purple_account_get_presence (account), idle,
                            idle ? time (NULL) - 600 : 0);
}

/* The poll schedule (plannr-pace): while the user is active the inbox is
 * read at its interval, fixed, however long nothing happens, and each
 * open chat is re-read at its own slower one; idle or away, both slow
 * down (four and three times), and activity brings the fast pace back
 * at once.  Here the intervals are 1 s and 4 s. */
static void
test_pace (WorldFixture  *fx,
           gconstpointer  data)
{
  const char *participants[] = { WORLD_ME, WORLD_BEN, NULL };
  const char *admins[] = { WORLD_ME, NULL };
  g_autofree char *third = plannr_fake_add_conversation (fx->world->fake, NULL, "Third", participants, admins);
  GPtrArray *log = plannr_fake_get_requests (fx->world->fake);
  guint mark, inbox, chats, members, first_half;
  gint64 back;

  purple_account_set_int (fx->account, "chat-poll-interval", 4);
  world_sign_in (fx);
  world_join (fx, WORLD_CONV, "Annual Review", NULL);
  world_join (fx, WORLD_CONV2, "Pension transfer", NULL);
  world_join (fx, third, "Third", NULL);
  plannr_wait_for_ms (1500);

  /* Active, 12 s: about 12 inbox polls, 3 re-reads of each chat; the
   * second half as busy as the first (no backing off). */
  plannr_fake_clear_requests (fx->world->fake);
  plannr_wait_for_ms (6000);
  first_half = count_since (fx, 0, "GET", "/api/v1/conversation");
  plannr_wait_for_ms (6000);
  inbox = count_since (fx, 0, "GET", "/api/v1/conversation");
  chats = count_since (fx, 0, "GET", "/api/v1/conversation/*/messages");
  g_test_message ("active 12 s: %u inbox (%u in the first 6 s), %u chat reads", inbox, first_half, chats);
  g_assert_cmpuint (inbox, >=, 10);
  g_assert_cmpuint (inbox, <=, 13);
  g_assert_cmpuint (inbox - first_half, >=, 5);
  g_assert_cmpuint (chats, >=, 6);
  g_assert_cmpuint (chats, <=, 12);
  /* Each re-read of a chat reads its participants too (membership). */
  members = count_since (fx, 0, "GET", "/api/v1/conversation/*") - chats;
  g_assert_cmpuint (members, <=, chats + 3);
  g_assert_cmpuint (log->len, ==, inbox + chats + members);

  /* Idle (libpurple's idle time, through the prpl's set_idle): the
   * inbox every 4 s, each chat every 12 s. */
  set_idle (fx->account, TRUE);
  plannr_wait_for_ms (1000);
  mark = log->len;
  plannr_wait_for_ms (12000);
  inbox = count_since (fx, mark, "GET", "/api/v1/conversation");
  chats = count_since (fx, mark, "GET", "/api/v1/conversation/*/messages");
  g_test_message ("idle 12 s: %u inbox, %u chat reads", inbox, chats);
  g_assert_cmpuint (inbox, >=, 2);
  g_assert_cmpuint (inbox, <=, 4);
  g_assert_cmpuint (chats, <=, 4);

  /* Back: the next inbox poll comes at once, not up to 4 s later. */
  mark = log->len;
  back = g_get_monotonic_time ();
  set_idle (fx->account, FALSE);
  {
    PollSince since = { fx, mark };

    g_assert_true (plannr_wait_until (polled_since_cond, &since, 1500));
  }
  g_test_message ("back: polled after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - back) / 1000);

  /* Away (a status): slow too; available again: fast. */
  purple_account_set_status (fx->account, "away", TRUE, NULL);
  plannr_wait_for_ms (1000);
  mark = log->len;
  plannr_wait_for_ms (8000);
  inbox = count_since (fx, mark, "GET", "/api/v1/conversation");
  g_test_message ("away 8 s: %u inbox", inbox);
  g_assert_cmpuint (inbox, <=, 3);
  purple_account_set_status (fx->account, "available", TRUE, NULL);
  mark = log->len;
  plannr_wait_for_ms (4000);
  g_assert_cmpuint (count_since (fx, mark, "GET", "/api/v1/conversation"), >=, 3);

  /* Idle, then the user sends a message: fast again. */
  set_idle (fx->account, TRUE);
  plannr_wait_for_ms (5000);
  world_type_line (plannr_harness_find_chat (fx->account, "Annual Review"), "Back at my desk");
  g_assert_true (world_wait_stored (fx, "Back at my desk", WORLD_WAIT_MS));
  mark = log->len;
  plannr_wait_for_ms (4000);
  g_assert_cmpuint (count_since (fx, mark, "GET", "/api/v1/conversation"), >=, 3);
}

/* One cheap request finds every change: a message in an open chat is
 * found by the inbox poll and read at once (one read of the chat), not
 * by the chat's own slow re-read; one in a closed conversation opens
 * it.  Both show within an inbox interval and a little. */
static gboolean
erin_joined_cb (gpointer data)
{
  WorldFixture *fx = data;
  PurpleConversation *conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_CHAT, WORLD_CONV,
                                                                    fx->account);

  return conv != NULL && purple_conv_chat_find_user (PURPLE_CONV_CHAT (conv), "Erin Employee");
}

/* Someone writes, and I send before the inbox looked: the inbox's next
 * page has mine as the latest message, and one more message than I
 * knew of.  That one is read at once, not at the chat's slow re-read
 * (before, it waited for that, up to two minutes). */
static void
test_inbox_sees_before_mine (WorldFixture  *fx,
                             gconstpointer  data)
{
  g_autofree char *posted = NULL;
  PollSince since = { fx, 0 };

  purple_account_set_int (fx->account, "poll-interval", 3);
  purple_account_set_int (fx->account, "chat-poll-interval", 600);
  world_sign_in (fx);
  world_join (fx, WORLD_CONV, "Annual Review", "Message 3 from Ben");

  /* Just after an inbox poll: the next one is 3 s away. */
  since.mark = plannr_fake_get_requests (fx->world->fake)->len;
  g_assert_true (plannr_wait_until (polled_since_cond, &since, 5000));
  posted = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Written just before mine");
  world_type_line (fx->conv, "Mine, right after");
  g_assert_true (plannr_harness_wait_line ("Mine, right after", WORLD_WAIT_MS));
  g_assert_null (plannr_harness_find_line ("Written just before mine"));

  g_assert_true (plannr_harness_wait_line ("Written just before mine", 8000));
  g_assert_cmpuint (plannr_harness_count_lines ("Written just before mine"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Mine, right after"), ==, 1);
}

static void
test_inbox_drives (WorldFixture  *fx,
                   gconstpointer  data)
{
  GPtrArray *log = plannr_fake_get_requests (fx->world->fake);
  g_autofree char *posted = NULL;
  gint64 start;
  guint mark;

  purple_account_set_int (fx->account, "poll-interval", 2);
  purple_account_set_int (fx->account, "chat-poll-interval", 600);
  world_add_people (fx->world);
  world_sign_in (fx);
  world_join (fx, WORLD_CONV, "Annual Review", "Message 3 from Ben");
  plannr_wait_for_ms (2500);

  mark = log->len;
  start = g_get_monotonic_time ();
  posted = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Found by the inbox");
  g_assert_true (plannr_harness_wait_line ("Found by the inbox", 3500));
  g_test_message ("open chat: shown after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  /* One new message, carried by the inbox page: the chat is not read,
   * and a new message says nothing of who takes part either. */
  g_assert_cmpuint (count_since (fx, mark, "GET", "/api/v1/conversation/" WORLD_CONV "/messages"), ==, 0);
  g_assert_cmpuint (count_since (fx, mark, "GET", "/api/v1/conversation/" WORLD_CONV), ==, 0);
  g_assert_cmpuint (plannr_harness_count_lines ("Found by the inbox"), ==, 1);
  /* Shown that way, it is known to the reaction watch like any message
   * a poll read: a reaction given to it later is announced, at the next
   * read (the one below). */
  g_assert_true (plannr_fake_react (fx->world->fake, posted, WORLD_BEN, "like"));

  /* Two at once: the page carries the latest only, so the chat is read,
   * and both show, in order. */
  mark = log->len;
  g_clear_pointer (&posted, g_free);
  posted = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "First of two");
  g_clear_pointer (&posted, g_free);
  posted = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Second of two");
  g_assert_true (plannr_harness_wait_line ("Second of two", 3500));
  g_assert_nonnull (plannr_harness_find_line ("First of two"));
  g_assert_cmpuint (count_since (fx, mark, "GET", "/api/v1/conversation/" WORLD_CONV "/messages"), ==, 1);
  g_assert_true (plannr_harness_wait_line ("Ben Client reacted like to their own message", 3500));
  g_assert_cmpuint (plannr_harness_count_lines ("Ben Client reacted like"), ==, 1);

  /* One with a file: read, for the file the page may not carry. */
  mark = log->len;
  g_clear_pointer (&posted, g_free);
  posted = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "With a file");
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
    g_autofree char *file = plannr_fake_add_file_data (fx->world->fake, posted, "notes.txt", "text/plain",
                                                       bytes, FALSE);
  }
  g_assert_true (plannr_harness_wait_line ("notes.txt", 3500));
  g_assert_cmpuint (count_since (fx, mark, "GET", "/api/v1/conversation/" WORLD_CONV "/messages"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("With a file"), ==, 1);

  /* Someone joins: the inbox's participant count shows it, and the open
   * chat reads who takes part, once, without waiting for its re-read
   * (600 s here); a server need not touch updated_at for it. */
  mark = log->len;
  g_assert_true (plannr_fake_add_participant (fx->world->fake, WORLD_CONV, WORLD_ERIN, FALSE));
  g_assert_true (plannr_wait_until (erin_joined_cb, fx, 3500));
  plannr_wait_for_ms (500);
  g_assert_cmpuint (count_since (fx, mark, "GET", "/api/v1/conversation/" WORLD_CONV), ==, 1);
  g_assert_cmpuint (count_since (fx, mark, "GET", "/api/v1/conversation/" WORLD_CONV "/messages"), ==, 0);

  g_clear_pointer (&posted, g_free);
  start = g_get_monotonic_time ();
  posted = plannr_fake_post_message (fx->world->fake, WORLD_CONV2, WORLD_CLARA, "Opens its chat");
  g_assert_true (plannr_harness_wait_line ("Opens its chat", 3500));
  g_test_message ("closed conversation: shown after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
}

/* A burst of messages into closed conversations opens their chats; the
 * requests stay near what any client must make: one read of each
 * conversation's messages, and their participants in one request for
 * all, not one each (issue: 59 extra requests in the burst benchmark). */
static void
test_burst_budget (WorldFixture  *fx,
                   gconstpointer  data)
{
  const char *participants[] = { WORLD_ME, WORLD_BEN, NULL };
  const char *admins[] = { WORLD_ME, NULL };
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *log = plannr_fake_get_requests (fx->world->fake);
  guint lists = 0, singles = 0, histories = 0, batches = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Burst %u", i);

      g_ptr_array_add (uuids, plannr_fake_add_conversation (fx->world->fake, NULL, name,
                                                            participants, admins));
    }
  world_sign_in (fx);
  for (guint i = 0; i < uuids->len; i++)
    g_assert_true (world_wait_listed (fx, g_ptr_array_index (uuids, i), WORLD_WAIT_MS));
  plannr_wait_for_ms (500);
  plannr_fake_clear_requests (fx->world->fake);

  for (guint i = 0; i < uuids->len; i++)
    {
      g_autofree char *text = g_strdup_printf ("Burst message %u", i);
      g_autofree char *uuid = plannr_fake_post_message (fx->world->fake, g_ptr_array_index (uuids, i),
                                                        WORLD_BEN, text);
    }
  for (guint i = 0; i < uuids->len; i++)
    {
      g_autofree char *text = g_strdup_printf ("Burst message %u", i);

      g_assert_true (plannr_harness_wait_line (text, WORLD_WAIT_MS));
    }
  plannr_wait_for_ms (500);

  for (guint i = 0; i < log->len; i++)
    {
      const PlannrFakeRequest *request = g_ptr_array_index (log, i);

      if (g_str_has_suffix (request->path, "/messages"))
        histories++;
      else if (g_str_equal (request->path, "/api/v1/conversation") && request->query != NULL &&
               strstr (request->query, "filter[uuid]=") != NULL)
        {
          batches++;
          for (guint j = 0; j < uuids->len; j++)
            g_assert_nonnull (strstr (request->query, g_ptr_array_index (uuids, j)));
          g_assert_nonnull (strstr (request->query, "include=participants"));
        }
      else if (g_str_equal (request->path, "/api/v1/conversation"))
        lists++;
      else if (g_str_has_prefix (request->path, "/api/v1/conversation/"))
        singles++;
    }
  g_test_message ("burst into 5 closed conversations: %u inbox, %u participants, %u single, %u message reads",
                  lists, batches, singles, histories);
  g_assert_cmpuint (batches, ==, world_pages (fx->world, 5, 5));
  g_assert_cmpuint (singles, ==, 0);
  g_assert_cmpuint (histories, ==, 5);
}

/* --- the room list's reference ------------------------------------------- */

/* As libpurple's own protocols do, the plugin holds the room list only
 * while it fills it: once filled (or cancelled), only the UI's own
 * reference is left, and a conversation that arrives later never
 * touches a list the UI may already have let go (Pidgin frees its
 * model when the window closes). */
static void
test_roomlist_released (WorldFixture  *fx,
                        gconstpointer  data)
{
  const char *participants[] = { WORLD_ME, WORLD_CLARA, NULL };
  g_autofree char *later = NULL;
  g_autofree char *after_close = NULL;
  PurpleRoomlist *list;
  guint rooms;

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));

  list = purple_roomlist_get_list (purple_account_get_connection (fx->account));
  g_assert_nonnull (list);
  purple_roomlist_ref (list);
  g_assert_true (plannr_wait_until (roomlist_done_cond, list, WORLD_WAIT_MS));
  g_assert_cmpint (list->ref, ==, 1);
  rooms = g_list_length (list->rooms);
  g_assert_cmpuint (rooms, ==, 2);

  later = plannr_fake_add_conversation (fx->world->fake, NULL, "Arrived after the list", participants, NULL);
  g_assert_true (world_wait_listed (fx, later, WORLD_WAIT_MS));
  g_assert_cmpuint (g_list_length (list->rooms), ==, rooms);

  /* The window closes: the list is gone, and nothing reaches it. */
  purple_roomlist_unref (list);
  after_close = plannr_fake_add_conversation (fx->world->fake, NULL, "Arrived after closing", participants, NULL);
  g_assert_true (world_wait_listed (fx, after_close, WORLD_WAIT_MS));

  /* Asked for again, then cancelled by the UI while filling. */
  list = purple_roomlist_get_list (purple_account_get_connection (fx->account));
  purple_roomlist_ref (list);
  purple_roomlist_cancel_get_list (list);
  g_assert_false (purple_roomlist_get_in_progress (list));
  g_assert_cmpint (list->ref, ==, 1);
  purple_roomlist_unref (list);

  /* A third time, filled with everything known now. */
  list = purple_roomlist_get_list (purple_account_get_connection (fx->account));
  purple_roomlist_ref (list);
  g_assert_true (plannr_wait_until (roomlist_done_cond, list, WORLD_WAIT_MS));
  g_assert_cmpuint (g_list_length (list->rooms), ==, 4);
  g_assert_cmpint (list->ref, ==, 1);
  purple_roomlist_unref (list);
}

/* --- names in another Unicode form ----------------------------------------- */

#define JOSE_TOKEN "jose-secret-token-0123456789"
#define JOSE_USER  "9b2f1c9e-6d1a-4c55-9a63-0c9f5a6e1a09"
#define JOSE_ME    "e0000000-0000-4000-8000-000000000001"
#define JOSE_TWIN  "e0000000-0000-4000-8000-000000000002"
#define JOSE_CONV  "e0000000-0000-4000-8000-0000000000c1"

/* Signed in as "José Álvarez" (precomposed), in a conversation with a
 * client of the same name written decomposed: libpurple's own check
 * (purple_normalize, NFD) would take the client's lines for mine.  The
 * client gets a name of their own and their lines are received ones. */
static void
test_name_forms (WorldFixture  *fx,
                 gconstpointer  data)
{
  const char *precomposed = "Jos\u00e9 \u00c1lvarez";
  const char *decomposed = "Jose\u0301 A\u0301lvarez";
  const char *participants[] = { JOSE_ME, JOSE_TWIN, NULL };
  const char *admins[] = { JOSE_ME, NULL };
  g_autofree char *conv = NULL;
  g_autofree char *posted = NULL;
  PlannrFake *fake = fx->world->fake;
  PurpleAccount *account;
  PurpleConversation *pconv;
  const PlannrHarnessLine *line;
  GList *users;

  plannr_fake_add_user (fake, JOSE_USER, precomposed, "jose@example.com", JOSE_TOKEN);
  plannr_fake_add_account (fake, JOSE_ME, JOSE_USER, WORLD_FIRM, precomposed, "employee");
  plannr_fake_add_account (fake, JOSE_TWIN, NULL, WORLD_FIRM, decomposed, "client");
  conv = plannr_fake_add_conversation (fake, JOSE_CONV, "Namesakes", participants, admins);
  posted = plannr_fake_post_message (fake, JOSE_CONV, JOSE_TWIN, "Written by the other one");

  account = world_account_new (fx->world, "jose@example.com", JOSE_TOKEN, JOSE_ME);
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_connected (account, WORLD_WAIT_MS));

  pconv = world_join_account (account, JOSE_CONV, "Namesakes", "Written by the other one");

  line = plannr_harness_find_line ("Written by the other one");
  g_assert_false (line->flags & PURPLE_MESSAGE_SEND);
  g_assert_true (line->flags & PURPLE_MESSAGE_RECV);
  {
    /* purple_normalize() answers in one static buffer. */
    g_autofree char *theirs = g_strdup (purple_normalize (account, line->who));
    g_autofree char *mine = g_strdup (purple_normalize (account, purple_conv_chat_get_nick (PURPLE_CONV_CHAT (pconv))));

    g_assert_cmpstr (theirs, !=, mine);
  }

  /* Two chat users, neither name taken for the other. */
  users = purple_conv_chat_get_users (PURPLE_CONV_CHAT (pconv));
  g_assert_cmpuint (g_list_length (users), ==, 2);

  plannr_harness_account_delete (account);
}

/* --- menus that outlive a connection ---------------------------------------- */

static gboolean
inbox_polled_cond (gpointer data)
{
  WorldFixture *fx = data;
  GPtrArray *requests = plannr_fake_get_requests (fx->world->fake);

  for (guint i = 0; i < requests->len; i++)
    {
      const PlannrFakeRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->path, "/api/v1/conversation") && request->query != NULL &&
          strstr (request->query, "sort=-updated_at") != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A buddy-list menu built before the account reconnected is clicked
 * afterwards: the action finds the conversation again from the node,
 * and does not touch what the old connection freed. */
static void
test_menu_after_reconnect (WorldFixture  *fx,
                           gconstpointer  data)
{
  PurpleBlistNode *node;
  GList *actions;
  PlannrHarnessRequest *req;
  gboolean found = FALSE;

  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV, WORLD_WAIT_MS));
  node = PURPLE_BLIST_NODE (plannr_harness_find_blist_chat (fx->account, WORLD_CONV));
  actions = world_prpl_info ()->blist_node_menu (node);
  g_assert_nonnull (actions);

  plannr_harness_disconnect (fx->account);
  plannr_fake_clear_requests (fx->world->fake);
  world_sign_in (fx);
  /* The list of conversations is read again: the sign-in is over once
   * the inbox poll starts. */
  g_assert_true (plannr_wait_until (inbox_polled_cond, fx, WORLD_WAIT_MS));
  node = PURPLE_BLIST_NODE (plannr_harness_find_blist_chat (fx->account, WORLD_CONV));

  for (GList *l = actions; l != NULL; l = l->next)
    {
      PurpleMenuAction *action = l->data;

      if (action == NULL || g_strcmp0 (action->label, "Rename conversation…") != 0)
        continue;
      ((void (*) (PurpleBlistNode *, gpointer)) action->callback) (node, action->data);
      found = TRUE;
    }
  g_list_free_full (actions, (GDestroyNotify) purple_menu_action_free);
  g_assert_true (found);

  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_INPUT);
  g_assert_cmpstr (req->default_value, ==, "Annual Review");
  plannr_harness_cancel_request (req);
}

/* --- archived conversations ---------------------------------------------------- */

/* The server's list leaves archived conversations out.  One the plugin
 * added itself leaves the buddy list with it; one the user added by
 * hand stays while the server still has it, and goes once it does not. */
static void
test_archived (WorldFixture  *fx,
               gconstpointer  data)
{
  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));
  /* "Pension transfer" was added by hand (Buddies → Add Chat). */
  purple_blist_node_set_bool (PURPLE_BLIST_NODE (plannr_harness_find_blist_chat (fx->account, WORLD_CONV2)),
                              "plannr-auto", FALSE);
  plannr_harness_disconnect (fx->account);

  g_assert_true (plannr_fake_set_archived (fx->world->fake, WORLD_CONV, TRUE));
  g_assert_true (plannr_fake_set_archived (fx->world->fake, WORLD_CONV2, TRUE));
  plannr_fake_clear_requests (fx->world->fake);
  world_sign_in (fx);
  g_assert_true (world_wait_unlisted (fx, WORLD_CONV, WORLD_WAIT_MS));
  g_assert_true (world_wait_count (fx, "GET", WORLD_CONV2_PATH, 1, WORLD_WAIT_MS));
  plannr_wait_for_ms (1000);
  g_assert_nonnull (plannr_harness_find_blist_chat (fx->account, WORLD_CONV2));

  /* Removed from it while offline: now it goes. */
  plannr_harness_disconnect (fx->account);
  plannr_fake_remove_participant (fx->world->fake, WORLD_CONV2, WORLD_ME);
  world_sign_in (fx);
  g_assert_true (world_wait_unlisted (fx, WORLD_CONV2, WORLD_WAIT_MS));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func, messages) WORLD_TEST_ADD ("/chats/" path, func, messages)

  ADD ("blist", test_blist, 0);
  ADD ("paging-budget", test_paging_budget, 0);
  ADD ("blist-days", test_blist_days, 3);
  ADD ("new-and-vanished", test_new_and_vanished, 0);
  ADD ("roomlist", test_roomlist, 3);
  ADD ("history", test_history, 60);
  ADD ("history/small-pages", test_history_small_pages, 60);
  ADD ("admins", test_admins, 0);
  ADD ("join-by-name", test_join_by_name, 0);
  ADD ("receive", test_receive, 3);
  ADD ("open-on-message", test_open_on_message, 0);
  ADD ("open-on-message-off", test_open_on_message_off, 0);
  ADD ("open-on-message-no-history", test_open_on_message_no_history, 0);
  ADD ("files-reactions-deletions", test_files_reactions_deletions, 2);
  ADD ("markup", test_markup, 0);
  ADD ("catch-up", test_catch_up, 5);
  ADD ("catch-up-off-blist", test_catch_up_off_blist, 0);
  ADD ("send", test_send, 3);
  ADD ("send-failure", test_send_failure, 3);
  ADD ("send-order", test_send_order, 3);
  ADD ("colleague", test_colleague, 3);
  ADD ("pace", test_pace, 3);
  ADD ("inbox-drives", test_inbox_drives, 3);
  ADD ("inbox-sees-before-mine", test_inbox_sees_before_mine, 3);
  ADD ("burst-budget", test_burst_budget, 0);
  ADD ("roomlist-released", test_roomlist_released, 0);
  ADD ("name-forms", test_name_forms, 0);
  ADD ("menu-after-reconnect", test_menu_after_reconnect, 0);
  ADD ("archived", test_archived, 0);
  ADD ("names-before-history", test_names_before_history, 3);
  ADD ("names-failed", test_names_failed, 3);

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
