/* test-reactions.c: reacting to messages from Pidgin and Finch
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "/react KIND [HH:MM[:SS]]" and "React to a message…" become exactly
 * one POST /api/v1/reaction with M6's body, say so once, and are not
 * announced again by later polls.  Reactions others give later to a
 * message already shown are announced once, as a line, without showing
 * the message again, although a reaction changes nothing the inbox or
 * the message's updated_at would show.
 */
#include <string.h>

#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

#define REACTION_PATH "/api/v1/reaction"

/* The last M6 reacts with @reaction to @uuid: exactly the documented
 * body, with the four headers. */
static void
assert_reaction_request (WorldFixture *fx,
                         const char   *uuid,
                         const char   *reaction)
{
  const PlannrFakeRequest *request = plannr_fake_last_request (fx->world->fake, "POST", REACTION_PATH);
  g_autofree char *body = g_strdup_printf ("{\"reactable_type\":\"message\",\"reactable_uuid\":\"%s\","
                                           "\"reaction\":\"%s\"}", uuid, reaction);

  g_assert_nonnull (request);
  world_assert_headers (request);
  g_assert_null (request->query);
  g_assert_cmpstr (request->body, ==, body);
  g_assert_cmpuint (request->status / 100, ==, 2);
}

/* Sends @text as Ada and waits for the chat to show it. */
static void
send_mine (WorldFixture *fx,
           const char   *text)
{
  world_type_line (fx->conv, text);
  g_assert_true (world_wait_stored (fx, text, WORLD_WAIT_MS));
  g_assert_true (plannr_harness_wait_line (text, WORLD_WAIT_MS));
}

/* /react love: the newest message from someone else, not my own newer
 * one; said once, not again after polls. */
static void
test_react_latest (WorldFixture  *fx,
                   gconstpointer  data)
{
  g_autofree char *target = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  send_mine (fx, "Thanks Ben");
  target = world_message_uuid (fx, WORLD_CONV, "Message 3 from Ben");
  when = world_message_time (fx, WORLD_CONV, "Message 3 from Ben", "%H:%M");

  world_run_command (fx->conv, "react love");
  line = g_strdup_printf ("You reacted love to Ben Client&apos;s message from %s.", when);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "POST", REACTION_PATH), ==, 1);
  assert_reaction_request (fx, target, "love");

  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (plannr_harness_count_lines ("reacted love"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Message 3 from Ben"), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", REACTION_PATH), ==, 1);
}

/* /react like HH:MM[:SS]: the message from that time, mine too. */
static void
test_react_at_time (WorldFixture  *fx,
                    gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *hms = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  send_mine (fx, "A message of mine");
  first = world_message_uuid (fx, WORLD_CONV, "Message 1 from Ben");
  hms = world_message_time (fx, WORLD_CONV, "Message 1 from Ben", "%H:%M:%S");
  when = world_message_time (fx, WORLD_CONV, "Message 1 from Ben", "%H:%M");
  cmd = g_strdup_printf ("react Surprised %s", hms);
  world_run_command (fx->conv, cmd);
  line = g_strdup_printf ("You reacted surprised to Ben Client&apos;s message from %s.", when);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  assert_reaction_request (fx, first, "surprised");
  g_clear_pointer (&cmd, g_free);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&hms, g_free);
  g_clear_pointer (&when, g_free);

  mine = world_message_uuid (fx, WORLD_CONV, "A message of mine");
  hms = world_message_time (fx, WORLD_CONV, "A message of mine", "%H:%M:%S");
  when = world_message_time (fx, WORLD_CONV, "A message of mine", "%H:%M");
  cmd = g_strdup_printf ("react like %s", hms);
  world_run_command (fx->conv, cmd);
  line = g_strdup_printf ("You reacted like to your message from %s.", when);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  assert_reaction_request (fx, mine, "like");
}

/* What is not a reaction, or finds no message, sends nothing. */
static void
test_react_usage (WorldFixture  *fx,
                  gconstpointer  data)
{
  world_open_chat (fx, "Message 3 from Ben");
  world_run_command (fx->conv, "react angry");
  g_assert_true (plannr_harness_wait_line ("Usage: /react like|love|laughing|surprised [HH:MM[:SS]]",
                                           WORLD_WAIT_MS));
  world_run_command (fx->conv, "react");
  world_run_command (fx->conv, "react like 25:00");
  g_assert_cmpuint (plannr_harness_count_lines ("Usage: /react"), ==, 3);
  world_run_command (fx->conv, "react like 03:33:33");
  g_assert_true (plannr_harness_wait_line ("There is no message from 03:33:33 here to react to.", WORLD_WAIT_MS));
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
}

/* Only my own messages: nothing from someone else to react to. */
static void
test_react_nobody_else (WorldFixture  *fx,
                        gconstpointer  data)
{
  world_open_chat (fx, NULL);
  send_mine (fx, "Only me here");
  world_run_command (fx->conv, "react like");
  g_assert_true (plannr_harness_wait_line ("There is no message from someone else here to react to.",
                                           WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "POST", REACTION_PATH), ==, 0);
}

/* Others react later to messages the chat shows: one line each, once,
 * naming who, what and whose message from when; the messages are not
 * shown again. */
static void
test_announced_once (WorldFixture  *fx,
                     gconstpointer  data)
{
  g_autofree char *mine = NULL;
  g_autofree char *bens = NULL;
  g_autofree char *when_mine = NULL;
  g_autofree char *when_bens = NULL;
  g_autofree char *to_me = NULL;
  g_autofree char *to_ben = NULL;
  g_autofree char *own = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  send_mine (fx, "Your plan is ready");
  mine = world_message_uuid (fx, WORLD_CONV, "Your plan is ready");
  bens = world_message_uuid (fx, WORLD_CONV, "Message 2 from Ben");
  when_mine = world_message_time (fx, WORLD_CONV, "Your plan is ready", "%H:%M");
  when_bens = world_message_time (fx, WORLD_CONV, "Message 2 from Ben", "%H:%M");
  world_run_chat_polls (fx, 1);

  g_assert_true (plannr_fake_react (fx->world->fake, mine, WORLD_BEN, "love"));
  to_me = g_strdup_printf ("Ben Client reacted love to your message from %s.", when_mine);
  g_assert_true (plannr_harness_wait_line (to_me, WORLD_POLL_WAIT_MS));

  g_assert_true (plannr_fake_react (fx->world->fake, bens, WORLD_CLARA, "laughing"));
  g_assert_true (plannr_fake_react (fx->world->fake, bens, WORLD_BEN, "like"));
  to_ben = g_strdup_printf ("Clara Colleague reacted laughing to Ben Client&apos;s message from %s.", when_bens);
  own = g_strdup_printf ("Ben Client reacted like to their own message from %s.", when_bens);
  g_assert_true (plannr_harness_wait_line (to_ben, WORLD_POLL_WAIT_MS));
  g_assert_true (plannr_harness_wait_line (own, WORLD_POLL_WAIT_MS));

  world_run_chat_polls (fx, 3);
  g_assert_cmpuint (plannr_harness_count_lines (to_me), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines (to_ben), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines (own), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Your plan is ready"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Message 2 from Ben"), ==, 1);
  /* The reaction is the only news: no reaction, no line, no request. */
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 1);
}

/* Reactions a message already had when first shown are part of it
 * ("Reactions: …"), not news. */
static void
test_old_reactions_not_news (WorldFixture  *fx,
                             gconstpointer  data)
{
  g_autofree char *first = NULL;

  first = world_message_uuid (fx, WORLD_CONV, "Message 1 from Ben");
  g_assert_true (plannr_fake_react (fx->world->fake, first, WORLD_CLARA, "love"));
  world_open_chat (fx, "Message 3 from Ben");
  g_assert_nonnull (plannr_harness_find_line ("Message 1 from Ben<br>Reactions: love ×1"));
  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (plannr_harness_count_lines ("reacted"), ==, 0);
}

/* "React to a message…": pick the message and the reaction. */
static void
test_react_dialog (WorldFixture  *fx,
                   gconstpointer  data)
{
  g_autofree char *target = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;
  PlannrHarnessRequest *req;
  PurpleRequestField *messages;
  PurpleRequestField *kinds;
  GList *labels;

  world_open_chat (fx, "Message 3 from Ben");
  target = world_message_uuid (fx, WORLD_CONV, "Message 2 from Ben");
  when = world_message_time (fx, WORLD_CONV, "Message 2 from Ben", "%H:%M");
  world_run_menu_action (fx, WORLD_CONV, "React to a message…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FIELDS);
  messages = purple_request_fields_get_field (req->fields, "message");
  kinds = purple_request_fields_get_field (req->fields, "reaction");
  labels = purple_request_field_choice_get_labels (messages);
  g_assert_cmpuint (g_list_length (labels), ==, 3);
  /* Newest first. */
  g_assert_nonnull (strstr (labels->data, "Ben Client: Message 3 from Ben"));
  g_assert_nonnull (strstr (labels->next->data, "Message 2 from Ben"));
  labels = purple_request_field_choice_get_labels (kinds);
  g_assert_cmpuint (g_list_length (labels), ==, 4);
  g_assert_cmpstr (g_list_nth_data (labels, 2), ==, "laughing");
  purple_request_field_choice_set_value (messages, 1);
  purple_request_field_choice_set_value (kinds, 2);
  plannr_harness_answer_fields (req);

  line = g_strdup_printf ("You reacted laughing to Ben Client&apos;s message from %s.", when);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  assert_reaction_request (fx, target, "laughing");
}

/* Refused: the chat says why, and the reaction is not taken as given. */
static void
test_react_refused (WorldFixture  *fx,
                    gconstpointer  data)
{
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;

  world_open_chat (fx, "Message 3 from Ben");
  when = world_message_time (fx, WORLD_CONV, "Message 3 from Ben", "%H:%M");
  plannr_fake_add_fault (fx->world->fake, "POST", REACTION_PATH, PLANNR_FAKE_FAULT_STATUS, 403, 1);
  world_run_command (fx->conv, "react like");
  line = g_strdup_printf ("Your reaction like to the message from %s was not sent (you may not write in "
                          "this conversation).", when);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  g_assert_true (plannr_harness_find_line (line)->flags & PURPLE_MESSAGE_ERROR);
  g_assert_cmpuint (plannr_harness_count_lines ("You reacted"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func) WORLD_TEST_ADD ("/reactions/" path, func, 3)

  ADD ("react/latest", test_react_latest);
  ADD ("react/at-time", test_react_at_time);
  ADD ("react/usage", test_react_usage);
  WORLD_TEST_ADD ("/reactions/react/nobody-else", test_react_nobody_else, 0);
  ADD ("react/dialog", test_react_dialog);
  ADD ("react/refused", test_react_refused);
  ADD ("others/announced-once", test_announced_once);
  ADD ("others/old-not-news", test_old_reactions_not_news);

#undef ADD

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
