/* test-membership.c: inviting, removing, leaving, admins and pinning
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each entry point (/invite and the prpl's chat_invite that Pidgin's
 * Invite dialog calls, /kick, /leave and the chat menu's "Leave
 * conversation…", /op and /deop, /pin, /unpin and the buddy list's
 * Pin/Unpin) must make exactly the documented request with its body,
 * once, after a confirmation where one is asked, and show the result;
 * refusals are told in the chat and never sent again.  What others
 * change (someone added, removed, made an admin; me removed) shows
 * within a chat poll as join and leave lines, once.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "plannr-api.h"
#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

#define PARTICIPANTS_PATH  WORLD_CONV_PATH "/participants"
#define PARTICIPANTS2_PATH WORLD_CONV2_PATH "/participants"
#define ADMIN_PATH         WORLD_CONV_PATH "/admin"
#define EMPLOYEES          "/api/v1/employee"
#define ACCOUNTS           "/api/v1/account"

/* Several chat polls at 1 s: what shows once must not show again. */
#define POLLS_MS 3500

static PurpleConversation *
open_with_people (WorldFixture *fx,
                  const char   *uuid,
                  const char   *title)
{
  world_add_people (fx->world);
  world_sign_in_listed (fx);
  world_join (fx, uuid, title, NULL);
  plannr_fake_clear_requests (fx->world->fake);
  plannr_harness_clear_lines ();
  return fx->conv;
}

static const PlannrFakeRequest *
only_request (WorldFixture *fx,
              const char   *method,
              const char   *path)
{
  g_assert_cmpuint (world_count (fx, method, path), ==, 1);
  return plannr_fake_last_request (fx->world->fake, method, path);
}

static gboolean
has_user (PurpleConversation *conv,
          const char         *nick)
{
  return purple_conv_chat_find_user (PURPLE_CONV_CHAT (conv), nick);
}

typedef struct
{
  PurpleConversation *conv;
  const char         *nick;
  gboolean            present;
} UserQuery;

static gboolean
user_cb (gpointer data)
{
  UserQuery *query = data;

  return has_user (query->conv, query->nick) == query->present;
}

static void
wait_user (PurpleConversation *conv,
           const char         *nick,
           gboolean            present)
{
  UserQuery query = { conv, nick, present };

  g_assert_true (plannr_wait_until (user_cb, &query, WORLD_WAIT_MS));
}

static gboolean
in_fake (WorldFixture *fx,
         const char   *conv,
         const char   *account)
{
  g_auto(GStrv) participants = plannr_fake_get_participants (fx->world->fake, conv);

  return participants != NULL && g_strv_contains ((const char * const *) participants, account);
}

static PlannrHarnessRequest *
wait_confirmation (const char *primary)
{
  PlannrHarnessRequest *req = plannr_harness_wait_request (WORLD_WAIT_MS);

  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_ACTION);
  g_assert_cmpstr (req->primary, ==, primary);
  return req;
}

/* --- inviting ------------------------------------------------------------------- */

static void
test_invite_command (WorldFixture  *fx,
                     gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");
  const PlannrFakeRequest *post;

  world_run_command (conv, "invite dora");
  wait_user (conv, "Dora Client", TRUE);
  post = only_request (fx, "POST", PARTICIPANTS_PATH);
  world_assert_headers (post);
  world_assert_body (post, "{\"participants\": [\"" WORLD_DORA "\"]}");
  g_assert_true (in_fake (fx, WORLD_CONV, WORLD_DORA));
  /* libpurple's join line, once, polls later too. */
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (plannr_harness_count_lines ("Dora Client entered the room"), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 1);
}

/* Pidgin's Invite dialog and Finch's "Invite…" end in the prpl's
 * chat_invite, with the name or address typed and a message. */
static void
test_invite_dialog (WorldFixture  *fx,
                    gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");

  serv_chat_invite (purple_conversation_get_gc (conv), purple_conv_chat_get_id (PURPLE_CONV_CHAT (conv)),
                    "Please join", "Erin.Employee@example.com");
  wait_user (conv, "Erin Employee", TRUE);
  /* Looked up by address: the employee search alone. */
  g_assert_cmpuint (world_count (fx, "GET", EMPLOYEES), ==, 1);
  g_assert_cmpuint (world_count (fx, "GET", ACCOUNTS), ==, 0);
  world_assert_body (only_request (fx, "POST", PARTICIPANTS_PATH),
                     "{\"participants\": [\"" WORLD_ERIN "\"]}");
}

static void
test_invite_ambiguous_unknown (WorldFixture  *fx,
                               gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");

  world_run_command (conv, "invite carter");
  g_assert_true (plannr_harness_wait_line ("Nobody was invited. “carter” could mean several people: "
                                           "David Carter &lt;david.carter@example.com&gt;, Helen Carter "
                                           "&lt;helen.carter@example.com&gt;. Give the e-mail address.",
                                           WORLD_WAIT_MS));
  world_run_command (conv, "invite Zebedee");
  g_assert_true (plannr_harness_wait_line ("Nobody was invited. No employee or client called “Zebedee” "
                                           "was found.", WORLD_WAIT_MS));
  /* Already here: nothing to send. */
  world_run_command (conv, "invite clara.colleague@example.com");
  g_assert_true (plannr_harness_wait_line ("Clara Colleague already takes part in this conversation.",
                                           WORLD_WAIT_MS));
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
}

/* Not an admin, another firm: the server says no; said once, not sent
 * again. */
static void
test_invite_refused (WorldFixture  *fx,
                     gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV2, "Pension transfer");

  world_run_command (conv, "invite dora");
  g_assert_true (plannr_harness_wait_line ("Dora Client could not be added to the conversation: only "
                                           "admins of the conversation may add or remove participants",
                                           WORLD_WAIT_MS));
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 1);
  g_assert_false (has_user (conv, "Dora Client"));
  g_assert_false (in_fake (fx, WORLD_CONV2, WORLD_DORA));
}

static void
test_invite_from_results (WorldFixture  *fx,
                          gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");
  PlannrHarnessNotice *results;

  world_run_command (conv, "people helen");
  results = plannr_harness_wait_search_results (WORLD_WAIT_MS);
  g_assert_nonnull (results);
  plannr_harness_press_search_button (results, 0, "Invite to this conversation");
  wait_user (conv, "Helen Carter", TRUE);
  world_assert_body (only_request (fx, "POST", PARTICIPANTS_PATH),
                     "{\"participants\": [\"" WORLD_HELEN "\"]}");
}

/* --- removing and leaving ------------------------------------------------------------ */

static void
test_kick (WorldFixture  *fx,
           gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");
  PlannrHarnessRequest *req;
  const PlannrFakeRequest *del;

  /* Declined: nothing sent. */
  world_run_command (conv, "kick clara");
  req = wait_confirmation ("Remove Clara Colleague from “Annual Review”?");
  plannr_harness_answer_action (req, 1);
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "DELETE", NULL), ==, 0);

  world_run_command (conv, "kick Clara Colleague");
  req = wait_confirmation ("Remove Clara Colleague from “Annual Review”?");
  g_assert_cmpuint (world_count (fx, "DELETE", NULL), ==, 0);
  plannr_harness_answer_action (req, 0);
  wait_user (conv, "Clara Colleague", FALSE);
  del = only_request (fx, "DELETE", PARTICIPANTS_PATH);
  world_assert_headers (del);
  /* C7: a DELETE with its JSON body. */
  world_assert_body (del, "{\"participants\": [\"" WORLD_CLARA "\"]}");
  g_assert_false (in_fake (fx, WORLD_CONV, WORLD_CLARA));
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (plannr_harness_count_lines ("Clara Colleague left the room (removed by you)"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Clara Colleague left the room"), ==, 1);
  g_assert_cmpuint (world_count (fx, "DELETE", NULL), ==, 1);
}

static void
test_kick_unknown_and_refused (WorldFixture  *fx,
                               gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV2, "Pension transfer");

  world_run_command (conv, "kick Zebedee");
  g_assert_true (plannr_harness_wait_line ("No participant of this conversation is called “Zebedee”.",
                                           WORLD_WAIT_MS));
  world_run_command (conv, "kick c");
  g_assert_true (plannr_harness_wait_line ("“c” could mean several participants: ", WORLD_WAIT_MS));
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);

  /* Clara administers this one, not me. */
  world_run_command (conv, "kick ben");
  plannr_harness_answer_action (wait_confirmation ("Remove Ben Client from “Pension transfer”?"), 0);
  g_assert_true (plannr_harness_wait_line ("Ben Client could not be removed from the conversation: only "
                                           "admins of the conversation may add or remove participants",
                                           WORLD_WAIT_MS));
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (world_count (fx, "DELETE", NULL), ==, 1);
  g_assert_true (has_user (conv, "Ben Client"));
}

static void
assert_left (WorldFixture       *fx,
             PurpleConversation *conv,
             const char         *path,
             const char         *uuid)
{
  g_assert_true (plannr_harness_wait_line ("You left this conversation. Only an admin of the conversation "
                                           "can add you back.", WORLD_WAIT_MS));
  world_assert_body (only_request (fx, "DELETE", path), "{\"participants\": [\"" WORLD_ME "\"]}");
  g_assert_false (in_fake (fx, uuid, WORLD_ME));
  /* The window stays; writing there says why it cannot. */
  world_type_line (conv, "Anyone there?");
  g_assert_true (plannr_harness_wait_line ("Your message was not sent (you are no longer a participant of "
                                           "this conversation): Anyone there?", WORLD_WAIT_MS));
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
  g_assert_cmpuint (plannr_harness_count_lines ("no longer a participant of this conversation: you were "
                                                "removed"), ==, 0);
}

/* Leaving needs no admin: Clara administers this one. */
static void
test_leave_command (WorldFixture  *fx,
                    gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV2, "Pension transfer");
  PlannrHarnessRequest *req;

  world_run_command (conv, "leave");
  req = wait_confirmation ("Leave “Pension transfer”?");
  g_assert_nonnull (strstr (req->secondary, "Only an admin of the conversation can add you back."));
  plannr_harness_answer_action (req, 0);
  assert_left (fx, conv, PARTICIPANTS2_PATH, WORLD_CONV2);
}

static void
test_leave_menu (WorldFixture  *fx,
                 gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");

  /* The chat's buddy-list menu, which Pidgin shows as Conversation >
   * More in the chat window. */
  world_run_menu_action (fx, WORLD_CONV, "Leave conversation…");
  plannr_harness_answer_action (wait_confirmation ("Leave “Annual Review”?"), 0);
  assert_left (fx, conv, PARTICIPANTS_PATH, WORLD_CONV);
}

/* --- admins ------------------------------------------------------------------------ */

static gboolean
is_op (PurpleConversation *conv,
       const char         *nick)
{
  return purple_conv_chat_user_get_flags (PURPLE_CONV_CHAT (conv), nick) & PURPLE_CBFLAGS_OP;
}

static void
test_op_deop (WorldFixture  *fx,
              gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");
  const PlannrFakeRequest *request;

  g_assert_false (is_op (conv, "Ben Client"));
  world_run_command (conv, "op ben");
  g_assert_true (plannr_harness_wait_line ("You made Ben Client an admin of this conversation.", WORLD_WAIT_MS));
  request = only_request (fx, "POST", ADMIN_PATH);
  world_assert_headers (request);
  /* Both spellings of the reference, for the same one person. */
  world_assert_body (request, "{\"participant\": \"" WORLD_BEN "\", \"participants\": [\"" WORLD_BEN "\"]}");
  g_assert_true (is_op (conv, "Ben Client"));
  g_assert_true (plannr_fake_is_admin (fx->world->fake, WORLD_CONV, WORLD_BEN));

  world_run_command (conv, "deop Ben Client");
  g_assert_true (plannr_harness_wait_line ("Ben Client is no longer an admin of this conversation.",
                                           WORLD_WAIT_MS));
  request = only_request (fx, "DELETE", ADMIN_PATH);
  world_assert_body (request, "{\"participant\": \"" WORLD_BEN "\", \"participants\": [\"" WORLD_BEN "\"]}");
  g_assert_false (is_op (conv, "Ben Client"));
  g_assert_false (plannr_fake_is_admin (fx->world->fake, WORLD_CONV, WORLD_BEN));

  /* Our own changes are not shown again as someone else's. */
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (plannr_harness_count_lines ("Ben Client is now an admin"), ==, 0);
  g_assert_cmpuint (plannr_harness_count_lines ("Ben Client is no longer an admin"), ==, 1);
}

static void
test_op_refused (WorldFixture  *fx,
                 gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV2, "Pension transfer");

  world_run_command (conv, "op ben");
  g_assert_true (plannr_harness_wait_line ("Ben Client could not be made an admin: only admins of the "
                                           "conversation may make others admins or stop them being admins",
                                           WORLD_WAIT_MS));
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 1);
  g_assert_false (is_op (conv, "Ben Client"));
}

/* Every refusal in the chat: 404 and 422 with the server's words. */
static void
test_refusals (WorldFixture  *fx,
               gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");

  plannr_fake_add_fault (fx->world->fake, "POST", PARTICIPANTS_PATH, PLANNR_FAKE_FAULT_STATUS, 404, 1);
  world_run_command (conv, "invite dora");
  g_assert_true (plannr_harness_wait_line ("Dora Client could not be added to the conversation: it no "
                                           "longer exists, or you are no longer a participant",
                                           WORLD_WAIT_MS));
  plannr_fake_add_fault (fx->world->fake, "POST", ADMIN_PATH, PLANNR_FAKE_FAULT_STATUS, 422, 1);
  world_run_command (conv, "op clara");
  g_assert_true (plannr_harness_wait_line ("Clara Colleague could not be made an admin: Unprocessable "
                                           "Entity (injected by the fake).", WORLD_WAIT_MS));
  plannr_fake_add_fault (fx->world->fake, "POST", WORLD_CONV_PATH "/pin", PLANNR_FAKE_FAULT_STATUS, 403, 1);
  world_run_command (conv, "pin");
  g_assert_true (plannr_harness_wait_line ("The conversation could not be pinned: you may not pin this "
                                           "conversation", WORLD_WAIT_MS));
  plannr_wait_for_ms (POLLS_MS);
  /* One request each, none sent again. */
  g_assert_cmpuint (world_count (fx, "POST", PARTICIPANTS_PATH), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", ADMIN_PATH), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", WORLD_CONV_PATH "/pin"), ==, 1);
  g_assert_false (has_user (conv, "Dora Client"));
  g_assert_false (is_op (conv, "Clara Colleague"));
}

/* --- pinning ------------------------------------------------------------------------ */

static gboolean
roomlist_done_cb (gpointer data)
{
  return !purple_roomlist_get_in_progress (data);
}

/* The room list's Pinned column for the conversation named @name. */
static char *
room_pinned (WorldFixture *fx,
             const char   *name)
{
  PurpleRoomlist *list = purple_roomlist_get_list (purple_account_get_connection (fx->account));
  char *pinned = NULL;

  g_assert_nonnull (list);
  purple_roomlist_ref (list);
  g_assert_true (plannr_wait_until (roomlist_done_cb, list, WORLD_WAIT_MS));
  for (GList *l = list->rooms; l != NULL; l = l->next)
    if (g_strcmp0 (((PurpleRoomlistRoom *) l->data)->name, name) == 0)
      pinned = g_strdup (g_list_nth_data (((PurpleRoomlistRoom *) l->data)->fields, 6));
  purple_roomlist_unref (list);
  g_assert_nonnull (pinned);
  return pinned;
}

static gboolean
unpin_offered_cb (gpointer data)
{
  return world_has_menu_action (data, WORLD_CONV2, "Unpin");
}

static void
test_pin (WorldFixture  *fx,
          gconstpointer  data)
{
  PurpleConversation *conv;

  world_sign_in_listed (fx);
  plannr_fake_clear_requests (fx->world->fake);
  g_assert_true (world_has_menu_action (fx, WORLD_CONV2, "Pin"));
  world_run_menu_action (fx, WORLD_CONV2, "Pin");
  g_assert_true (world_wait_count (fx, "POST", WORLD_CONV2_PATH "/pin", 1, WORLD_WAIT_MS));
  world_assert_body (only_request (fx, "POST", WORLD_CONV2_PATH "/pin"), "{\"pin\": true}");
  /* The menu follows. */
  g_assert_true (plannr_wait_until (unpin_offered_cb, fx, WORLD_WAIT_MS));
  g_assert_false (world_has_menu_action (fx, WORLD_CONV2, "Pin"));

  conv = world_join (fx, WORLD_CONV2, "Pension transfer", NULL);
  plannr_fake_clear_requests (fx->world->fake);
  world_run_command (conv, "unpin");
  g_assert_true (plannr_harness_wait_line ("This conversation is no longer pinned.", WORLD_WAIT_MS));
  world_assert_body (only_request (fx, "POST", WORLD_CONV2_PATH "/pin"), "{\"pin\": false}");
  g_assert_true (world_has_menu_action (fx, WORLD_CONV2, "Pin"));
  {
    g_autofree char *pinned = room_pinned (fx, "Pension transfer");

    g_assert_cmpstr (pinned, ==, "");
  }

  /* Pinned is on the buddy list, whatever else would keep it off. */
  purple_blist_remove_chat (plannr_harness_find_blist_chat (fx->account, WORLD_CONV2));
  world_run_command (conv, "pin");
  g_assert_true (plannr_harness_wait_line ("This conversation is pinned: it stays on your buddy list.",
                                           WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "POST", WORLD_CONV2_PATH "/pin"), ==, 2);
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));
  /* The room list's column follows. */
  {
    g_autofree char *pinned = room_pinned (fx, "Pension transfer");
    g_autofree char *other = room_pinned (fx, "Annual Review");

    g_assert_cmpstr (pinned, ==, "Pinned");
    g_assert_cmpstr (other, ==, "");
  }
}

/* --- what others change ------------------------------------------------------------------ */

static void
test_others_change (WorldFixture  *fx,
                    gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");

  g_assert_true (plannr_fake_add_participant (fx->world->fake, WORLD_CONV, WORLD_DORA, FALSE));
  wait_user (conv, "Dora Client", TRUE);
  g_assert_true (plannr_fake_remove_participant (fx->world->fake, WORLD_CONV, WORLD_BEN));
  wait_user (conv, "Ben Client", FALSE);
  g_assert_true (plannr_fake_set_admin (fx->world->fake, WORLD_CONV, WORLD_CLARA, TRUE));
  g_assert_true (plannr_harness_wait_line ("Clara Colleague is now an admin of this conversation.",
                                           WORLD_WAIT_MS));
  g_assert_true (is_op (conv, "Clara Colleague"));

  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (plannr_harness_count_lines ("Dora Client entered the room"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Ben Client left the room"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Clara Colleague is now an admin"), ==, 1);
  /* Nothing was asked of the server but reading. */
  g_assert_cmpuint (world_count (fx, "POST", NULL) + world_count (fx, "DELETE", NULL)
                    + world_count (fx, "PUT", NULL), ==, 0);
}

/* Someone with the same name as someone here is told apart, and keeps
 * that name when the other leaves. */
static void
test_others_same_name (WorldFixture  *fx,
                       gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");
  const char *twin = "e0000000-0000-4000-8000-0000000000aa";

  plannr_fake_add_account (fx->world->fake, twin, NULL, WORLD_FIRM, "Ben Client", "client");
  g_assert_true (plannr_fake_add_participant (fx->world->fake, WORLD_CONV, twin, FALSE));
  wait_user (conv, "Ben Client (ben.client@example.com)", TRUE);
  g_assert_true (has_user (conv, "Ben Client"));
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (plannr_harness_count_lines ("entered the room"), ==, 1);
}

static void
test_me_removed (WorldFixture  *fx,
                 gconstpointer  data)
{
  PurpleConversation *conv = open_with_people (fx, WORLD_CONV, "Annual Review");

  g_assert_true (plannr_fake_remove_participant (fx->world->fake, WORLD_CONV, WORLD_ME));
  g_assert_true (plannr_harness_wait_line ("You are no longer a participant of this conversation: you were "
                                           "removed from it, or it was deleted. Only an admin of the "
                                           "conversation can add you back.", WORLD_WAIT_MS));
  /* Nothing closes; writing there explains. */
  g_assert_true (purple_find_conversation_with_account (PURPLE_CONV_TYPE_CHAT, WORLD_CONV, fx->account) == conv);
  world_type_line (conv, "Hello?");
  g_assert_true (plannr_harness_wait_line ("Your message was not sent (you are no longer a participant of "
                                           "this conversation): Hello?", WORLD_WAIT_MS));
  plannr_wait_for_ms (POLLS_MS);
  g_assert_cmpuint (plannr_harness_count_lines ("You are no longer a participant"), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);

  /* Added back, and joined again: it works again. */
  g_assert_true (plannr_fake_add_participant (fx->world->fake, WORLD_CONV, WORLD_ME, FALSE));
  plannr_harness_join_chat (fx->account, WORLD_CONV);
  plannr_wait_for_ms (1500);
  world_type_line (conv, "Back again");
  g_assert_true (world_wait_stored (fx, "Back again", WORLD_WAIT_MS));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func) WORLD_TEST_ADD ("/membership/" path, func, 0)

  ADD ("invite/command", test_invite_command);
  ADD ("invite/dialog", test_invite_dialog);
  ADD ("invite/ambiguous-unknown", test_invite_ambiguous_unknown);
  ADD ("invite/refused", test_invite_refused);
  ADD ("invite/from-results", test_invite_from_results);
  ADD ("kick", test_kick);
  ADD ("kick/unknown-refused", test_kick_unknown_and_refused);
  ADD ("leave/command", test_leave_command);
  ADD ("leave/menu", test_leave_menu);
  ADD ("op-deop", test_op_deop);
  ADD ("op/refused", test_op_refused);
  ADD ("refusals", test_refusals);
  ADD ("pin", test_pin);
  ADD ("others/change", test_others_change);
  ADD ("others/same-name", test_others_same_name);
  ADD ("others/me-removed", test_me_removed);

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
