/* test-bitlbee.c: what a libpurple UI other than Pidgin and Finch sees
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * BitlBee (bitlbee-libpurple 3.6) turns chats into IRC channels and
 * reads libpurple more literally than Pidgin and Finch: it knows the
 * user only as the account's username, shows a chat line only by its
 * flags and its ui op, runs no libpurple commands, finds its channel's
 * chat by the conversation's name, and counts room-list references.
 * tests/e2e/bitlbee-e2e drives the real BitlBee over IRC; these tests
 * pin down, in libpurple, what the plugin does for it, and that Pidgin
 * and Finch still get what they got.
 */
#include <string.h>

#include "plannr-harness.h"
#include "plannr-http.h"
#include "plannr-outbox.h"
#include "plannr-wait.h"
#include "plannr-world.h"

#define ME_USERNAME "ada@example.com"

/* Whether BitlBee 3.6 passes @line on to IRC (its write_chat and
 * write_conv ui ops in protocols/purple/purple.c): a line that came
 * through write_chat unless it is flagged as sent and neither delayed
 * nor remote (it takes those for the echo of what the IRC user typed);
 * one written straight to the conversation only when flagged as sent. */
static gboolean
bitlbee_shows (const PlannrHarnessLine *line)
{
  if (line->via_write_chat)
    return !(line->flags & PURPLE_MESSAGE_SEND) ||
           (line->flags & (PURPLE_MESSAGE_DELAYED | PURPLE_MESSAGE_REMOTE_SEND));
  return (line->flags & PURPLE_MESSAGE_SEND) != 0;
}

/* What Pidgin and Finch show as a system line: flagged SYSTEM, and
 * neither sent nor received (Finch prints a sender's name before lines
 * flagged as either). */
static void
assert_system_line (const PlannrHarnessLine *line)
{
  g_assert_true (line->flags & PURPLE_MESSAGE_SYSTEM);
  g_assert_false (line->flags & PURPLE_MESSAGE_SEND);
  g_assert_false (line->flags & PURPLE_MESSAGE_RECV);
}

static const PlannrHarnessLine *
wait_line (const char *substring)
{
  /* What the chat shows instead, in the log of a failed run. */
  if (!plannr_harness_wait_line (substring, WORLD_WAIT_MS))
    {
      GPtrArray *lines = plannr_harness_get_lines ();

      for (guint i = 0; i < lines->len; i++)
        g_printerr ("chat line: %s\n", ((PlannrHarnessLine *) g_ptr_array_index (lines, i))->message);
    }
  g_assert_true (plannr_harness_wait_line (substring, WORLD_WAIT_MS));
  return plannr_harness_find_line (substring);
}

static int
chat_id (PurpleConversation *conv)
{
  return purple_conv_chat_get_id (PURPLE_CONV_CHAT (conv));
}

/* --- me ---------------------------------------------------------------------- */

/* BitlBee adds the IRC user to the channel as the account's username and
 * counts a chat user as the IRC user only if it has that name: named by
 * the display name, I was in the channel twice. */
static void
test_own_nick (WorldFixture  *fx,
               gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");
  PurpleConvChat *chat = PURPLE_CONV_CHAT (conv);
  PurpleConvChatBuddy *me;
  g_autofree char *nick = g_strdup (purple_normalize (fx->account, ME_USERNAME));
  const PlannrHarnessLine *line;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;

  g_assert_cmpstr (purple_conv_chat_get_nick (chat), ==, nick);
  me = purple_conv_chat_cb_find (chat, ME_USERNAME);
  g_assert_nonnull (me);
  /* Pidgin and Finch show a chat user by its alias: my name. */
  g_assert_cmpstr (me->alias, ==, "Ada Adviser");
  g_assert_true (me->flags & PURPLE_CBFLAGS_OP);
  g_assert_null (purple_conv_chat_cb_find (chat, "Ada Adviser"));
  g_assert_cmpuint (g_list_length (purple_conv_chat_get_users (chat)), ==, 3);

  /* My name in someone's line still marks it for me, as my nick did. */
  m1 = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Ada Adviser, can you call me?");
  m2 = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Nothing for anyone");
  line = wait_line ("Nothing for anyone");
  g_assert_false (line->flags & PURPLE_MESSAGE_NICK);
  line = plannr_harness_find_line ("Ada Adviser, can you call me?");
  g_assert_nonnull (line);
  g_assert_true (line->flags & PURPLE_MESSAGE_NICK);
  g_assert_true (line->flags & PURPLE_MESSAGE_RECV);
  g_assert_cmpstr (line->who, ==, "Ben Client");
}

static gboolean
has_user_starting (PurpleConvChat *chat,
                   const char     *prefix)
{
  for (GList *l = purple_conv_chat_get_users (chat); l != NULL; l = l->next)
    if (g_str_has_prefix (((PurpleConvChatBuddy *) l->data)->name, prefix))
      return TRUE;
  return FALSE;
}

/* Nobody passes as me or as the plugin's own lines, by any of the names
 * I go by. */
static void
test_names_taken (WorldFixture  *fx,
                  gconstpointer  data)
{
  const char *impostor = "e0000000-0000-4000-8000-000000000001";
  const char *sender = "e0000000-0000-4000-8000-000000000002";
  const char *participants[] = { WORLD_ME, WORLD_BEN, impostor, sender, NULL };
  const char *admins[] = { WORLD_ME, NULL };
  g_autofree char *conv_uuid = NULL;
  g_autofree char *posted = NULL;
  PurpleConversation *conv;
  PurpleConvChat *chat;
  PurpleConvChatBuddy *me;
  const PlannrHarnessLine *line;

  plannr_fake_add_account (fx->world->fake, impostor, NULL, WORLD_FIRM, "ADA@example.com", "client");
  plannr_fake_add_account (fx->world->fake, sender, NULL, WORLD_FIRM, "plannr", "client");
  conv_uuid = plannr_fake_add_conversation (fx->world->fake, NULL, "Names", participants, admins);
  posted = plannr_fake_post_message (fx->world->fake, conv_uuid, sender, "Written by the one called plannr");

  world_sign_in (fx);
  conv = world_join (fx, conv_uuid, "Names", "Written by the one called plannr");
  chat = PURPLE_CONV_CHAT (conv);

  me = purple_conv_chat_cb_find (chat, ME_USERNAME);
  g_assert_nonnull (me);
  g_assert_cmpstr (me->alias, ==, "Ada Adviser");
  /* Told apart, as two people of one name are. */
  g_assert_true (has_user_starting (chat, "ADA@example.com ("));
  g_assert_true (has_user_starting (chat, "plannr ("));
  g_assert_null (purple_conv_chat_cb_find (chat, "plannr"));
  g_assert_cmpuint (g_list_length (purple_conv_chat_get_users (chat)), ==, 4);

  line = plannr_harness_find_line ("Written by the one called plannr");
  g_assert_true (g_str_has_prefix (line->who, "plannr ("));
  g_assert_true (line->flags & PURPLE_MESSAGE_RECV);
}

/* --- my messages -------------------------------------------------------------- */

/* BitlBee drops a line flagged as sent unless it is also delayed or
 * remote: mine from elsewhere must say they are remote; what I typed
 * here must not (the IRC client shows it already). */
static void
test_remote_send (WorldFixture  *fx,
                  gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *phone = NULL;
  const PlannrHarnessLine *line;
  PurpleConversation *conv;

  before = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_ME, "Mine, written yesterday");
  conv = world_open_chat (fx, "Mine, written yesterday");

  line = plannr_harness_find_line ("Mine, written yesterday");
  g_assert_true (line->flags & PURPLE_MESSAGE_SEND);
  g_assert_true (line->flags & PURPLE_MESSAGE_DELAYED);
  g_assert_true (line->via_write_chat);
  g_assert_true (bitlbee_shows (line));

  phone = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_ME, "Written on my phone");
  line = wait_line ("Written on my phone");
  g_assert_true (line->flags & PURPLE_MESSAGE_SEND);
  g_assert_true (line->flags & PURPLE_MESSAGE_REMOTE_SEND);
  g_assert_false (line->flags & PURPLE_MESSAGE_DELAYED);
  g_assert_cmpstr (line->alias, ==, "Ada Adviser");
  g_assert_true (bitlbee_shows (line));

  world_type_line (conv, "Typed right here");
  line = wait_line ("Typed right here");
  g_assert_true (line->flags & PURPLE_MESSAGE_SEND);
  g_assert_false (line->flags & PURPLE_MESSAGE_REMOTE_SEND);
  g_assert_cmpstr (line->alias, ==, "Ada Adviser");
  g_assert_false (bitlbee_shows (line));
}

/* Typed here, but the send's answer was lost: the inbox poll finds the
 * message seconds before the plugin looks for it (5 retry delays
 * later).  It is still what I typed here, so BitlBee leaves it out (the
 * IRC client shows it already), and it is shown once.  Marked remote,
 * it reached IRC a second time. */
static void
test_typed_seen_by_poll_first (WorldFixture  *fx,
                               gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");
  const PlannrHarnessLine *line;
  gint64 typed;

  plannr_fake_add_fault (fx->world->fake, "POST", NULL, PLANNR_FAKE_FAULT_DROP_AFTER, 0, 1);
  typed = g_get_monotonic_time ();
  world_type_line (conv, "Typed, its answer lost");
  line = wait_line ("Typed, its answer lost");
  /* Shown by a poll (the inbox every second here, or the chat's own
   * re-read), before the plugin looked for it. */
  g_assert_cmpint (g_get_monotonic_time () - typed, <,
                   PLANNR_API_DEFAULT_RETRY_MS * PLANNR_VERIFY_DELAY_FACTOR * 1000);
  g_assert_true (line->flags & PURPLE_MESSAGE_SEND);
  g_assert_false (line->flags & PURPLE_MESSAGE_REMOTE_SEND);
  g_assert_false (bitlbee_shows (line));

  /* The lookup, when it comes, finds it shown: nothing more. */
  plannr_wait_for_ms (PLANNR_API_DEFAULT_RETRY_MS * PLANNR_VERIFY_DELAY_FACTOR + 1000);
  g_assert_cmpuint (plannr_harness_count_lines ("Typed, its answer lost"), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("was not sent"), ==, 0);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 1);
}

/* --- the plugin's own lines ------------------------------------------------------ */

/* Confirmations and refusals: system lines in Pidgin and Finch, and
 * lines BitlBee shows (it drops system lines written straight to the
 * conversation). */
static void
test_notices (WorldFixture  *fx,
              gconstpointer  data)
{
  PurpleConnection *pc;
  PurpleConversation *conv;
  PurpleConversation *conv2;
  const PlannrHarnessLine *line;

  conv = world_open_chat (fx, "Message 3 from Ben");
  pc = purple_account_get_connection (fx->account);

  world_prpl_info ()->set_chat_topic (pc, chat_id (conv), "Renamed from the topic");
  line = wait_line ("You renamed the conversation to");
  assert_system_line (line);
  g_assert_true (line->via_write_chat);
  g_assert_cmpstr (line->who, ==, "Plannr");
  g_assert_cmpstr (line->conv_name, ==, WORLD_CONV);
  g_assert_true (bitlbee_shows (line));

  /* Clara administers this one: refused, and said where it was asked. */
  conv2 = world_join (fx, WORLD_CONV2, "Pension transfer", NULL);
  world_prpl_info ()->set_chat_topic (pc, chat_id (conv2), "Not mine to rename");
  line = wait_line ("could not be renamed");
  assert_system_line (line);
  g_assert_true (line->flags & PURPLE_MESSAGE_ERROR);
  g_assert_cmpstr (line->conv_name, ==, WORLD_CONV2);
  g_assert_true (bitlbee_shows (line));

  /* A rename made on the server. */
  g_assert_true (plannr_fake_rename_conversation (fx->world->fake, WORLD_CONV, "Renamed on the web"));
  line = wait_line ("The conversation was renamed to Renamed on the web");
  assert_system_line (line);
  g_assert_true (bitlbee_shows (line));
}

/* --- commands typed as text ------------------------------------------------------ */

static void
send_as_bitlbee (PurpleConversation *conv,
                 const char         *typed)
{
  /* BitlBee escapes what arrives from IRC and calls
   * purple_conv_chat_send with it: no libpurple command runs. */
  g_autofree char *escaped = g_markup_escape_text (typed, -1);

  purple_conv_chat_send (PURPLE_CONV_CHAT (conv), escaped);
}

static void
test_commands_as_text (WorldFixture  *fx,
                       gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");
  const PlannrFakeRequest *put;

  send_as_bitlbee (conv, "Fish and chips");
  g_assert_true (world_wait_stored (fx, "Fish and chips", WORLD_WAIT_MS));
  wait_line ("Fish and chips");
  plannr_fake_clear_requests (fx->world->fake);

  send_as_bitlbee (conv, "/edit Fish & chips, corrected");
  g_assert_true (world_wait_stored (fx, "Fish & chips, corrected", WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "PUT", WORLD_MESSAGES_PATH "/*"), ==, 1);

  send_as_bitlbee (conv, "/rename Renamed with <b>text</b>");
  g_assert_true (world_wait_count (fx, "PUT", WORLD_CONV_PATH, 1, WORLD_WAIT_MS));
  put = plannr_fake_last_request (fx->world->fake, "PUT", WORLD_CONV_PATH);
  world_assert_json_body (put, "name", "Renamed with <b>text</b>");

  send_as_bitlbee (conv, "/topic");
  wait_line ("This conversation is called");

  send_as_bitlbee (conv, "/topic Renamed again");
  g_assert_true (world_wait_count (fx, "PUT", WORLD_CONV_PATH, 2, WORLD_WAIT_MS));
  put = plannr_fake_last_request (fx->world->fake, "PUT", WORLD_CONV_PATH);
  world_assert_json_body (put, "name", "Renamed again");

  /* None of that was posted. */
  plannr_wait_for_ms (1000);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 3);

  /* What is not a command of ours, as libpurple reads one, is posted:
   * a leading space is how to post a line that starts like one. */
  send_as_bitlbee (conv, " /rename is a command of the plugin");
  g_assert_true (world_wait_stored (fx, "/rename is a command of the plugin", WORLD_WAIT_MS));
  send_as_bitlbee (conv, "/Rename is not");
  g_assert_true (world_wait_stored (fx, "/Rename is not", WORLD_WAIT_MS));
  send_as_bitlbee (conv, "/renamed neither");
  g_assert_true (world_wait_stored (fx, "/renamed neither", WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 3);
}

/* Every command of the plugin, typed in an IRC channel, runs and is never
 * posted: each line here would otherwise be a message for everyone in
 * the conversation to read.  And /help, which BitlBee does not pass on
 * for a channel, lists them and explains one. */
static void
test_every_command_as_text (WorldFixture  *fx,
                            gconstpointer  data)
{
  static const char * const lines[] = {
    "/people", "/info", "/invite", "/kick", "/op", "/deop", "/pin", "/unpin",
    "/react meh", "/save 99", "/attach /nonexistent/report.pdf", "/leave",
    "/topic", "/edit", "/rename",
  };
  static const char * const listed[] = {
    "/attach", "/deop", "/edit", "/info", "/invite", "/kick", "/leave", "/op",
    "/people", "/pin", "/react", "/rename", "/save", "/topic", "/unpin",
  };
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");
  const PlannrHarnessLine *line;

  plannr_fake_clear_requests (fx->world->fake);
  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    send_as_bitlbee (conv, lines[i]);
  plannr_wait_for_ms (1000);
  g_assert_cmpuint (world_count (fx, "POST", WORLD_MESSAGES_PATH), ==, 0);
  g_assert_cmpuint (world_count (fx, "POST", WORLD_MESSAGES_PATH "/*"), ==, 0);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);

  send_as_bitlbee (conv, "/help");
  line = wait_line ("Plannr&apos;s commands here:");
  g_assert_true (bitlbee_shows (line));
  for (gsize i = 0; i < G_N_ELEMENTS (listed); i++)
    {
      g_autofree char *item = g_strconcat (listed[i], i + 1 < G_N_ELEMENTS (listed) ? "," : ".", NULL);

      g_assert_nonnull (strstr (line->message, item));
    }
  g_assert_nonnull (strstr (line->message, "s/old/new/"));

  send_as_bitlbee (conv, "/help rename");
  line = wait_line ("rename &lt;new name&gt;: rename this conversation");
  g_assert_true (bitlbee_shows (line));
  send_as_bitlbee (conv, "/help /edit");
  wait_line ("edit [HH:MM] &lt;new text&gt;: replace the text");
  send_as_bitlbee (conv, "/help nosuch");
  line = wait_line ("No Plannr command is called “nosuch”");
  g_assert_nonnull (strstr (line->message, "/unpin."));

  plannr_wait_for_ms (500);
  g_assert_cmpuint (world_count (fx, "POST", WORLD_MESSAGES_PATH), ==, 0);
}

/* In Pidgin and Finch the same lines run as libpurple commands and never
 * reach the prpl's chat_send; run that way they still do one thing. */
static void
test_commands_run (WorldFixture  *fx,
                   gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");

  plannr_fake_clear_requests (fx->world->fake);
  world_run_command (conv, "rename Renamed by command");
  g_assert_true (world_wait_count (fx, "PUT", WORLD_CONV_PATH, 1, WORLD_WAIT_MS));
  plannr_wait_for_ms (1000);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 1);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
}

/* Pidgin's and Finch's own /help (registered by the UI at the default
 * priority), standing in: it notes whether the plugin's line came first. */
static PurpleCmdRet
ui_help_cb (PurpleConversation  *conv,
            const char          *cmd,
            char               **args,
            char               **error,
            void                *data)
{
  int *seen = data;

  *seen = plannr_harness_find_line ("Plannr&apos;s commands here:") != NULL ? 1 : -1;
  return PURPLE_CMD_RET_OK;
}

/* /help in a Plannr chat of Pidgin or Finch: the plugin's commands, on a
 * line of their own, then the UI's list of everything it knows; /help
 * COMMAND goes straight to the UI, which explains the command from the
 * help it was registered with. */
static void
test_help_first (WorldFixture  *fx,
                 gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 3 from Ben");
  int seen = 0;
  PurpleCmdId ui_help = purple_cmd_register ("help", "s", PURPLE_CMD_P_DEFAULT,
                                             PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_IM |
                                             PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS,
                                             NULL, ui_help_cb, "help: the UI's", &seen);
  g_autofree char *error = NULL;

  plannr_harness_clear_lines ();
  world_run_command (conv, "help");
  g_assert_cmpint (seen, ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("Plannr&apos;s commands here:"), ==, 1);
  g_assert_nonnull (plannr_harness_find_line ("/react, /rename, /save, /topic, /unpin."));

  plannr_harness_clear_lines ();
  seen = 0;
  world_run_command (conv, "help rename");
  g_assert_cmpint (seen, ==, -1);
  g_assert_cmpuint (plannr_harness_count_lines ("Plannr&apos;s commands here:"), ==, 0);

  purple_cmd_unregister (ui_help);
  /* Without a UI's /help the plugin's line still shows; libpurple then
   * reports the command as failed, as it would any /help in that UI. */
  plannr_harness_clear_lines ();
  g_assert_false (plannr_harness_do_command (conv, "help", &error));
  g_assert_cmpuint (plannr_harness_count_lines ("Plannr&apos;s commands here:"), ==, 1);
}

/* --- joining by name ------------------------------------------------------------- */

static void
join_by_name (WorldFixture *fx,
              const char   *name)
{
  GHashTable *components = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *chat_name = NULL;

  g_hash_table_insert (components, "name", (gpointer) name);
  chat_name = world_prpl_info ()->get_chat_name (components);
  g_assert_cmpstr (chat_name, ==, name);
  serv_join_chat (purple_account_get_connection (fx->account), components);
  g_hash_table_unref (components);
}

static PurpleConversation *
find_conversation (WorldFixture *fx,
                   const char   *name)
{
  return purple_find_conversation_with_account (PURPLE_CONV_TYPE_CHAT, name, fx->account);
}

static gboolean
conversation_open_cb (gpointer data)
{
  void **query = data;
  PurpleConversation *conv = find_conversation (query[0], query[1]);

  return conv != NULL && !purple_conv_chat_has_left (PURPLE_CONV_CHAT (conv)) &&
         purple_conv_chat_get_users (PURPLE_CONV_CHAT (conv)) != NULL;
}

static PurpleConversation *
wait_conversation (WorldFixture *fx,
                   const char   *name)
{
  void *query[] = { fx, (void *) name };

  g_assert_true (plannr_wait_until (conversation_open_cb, query, WORLD_WAIT_MS));
  return find_conversation (fx, name);
}

/* BitlBee's "chat add plannr NAME #channel" (and "!N", the room list's
 * name) joins with the name only, and finds its channel's chat by a
 * conversation of exactly that name. */
static void
test_join_by_name (WorldFixture  *fx,
                   gconstpointer  data)
{
  PurpleConnection *pc;
  PurpleConversation *conv;
  const PlannrHarnessLine *line;
  g_autofree char *news = NULL;
  GHashTable *components;

  world_sign_in_listed (fx);
  pc = purple_account_get_connection (fx->account);

  join_by_name (fx, "Pension transfer");
  conv = wait_conversation (fx, "Pension transfer");
  g_assert_cmpstr (purple_conversation_get_name (conv), ==, "Pension transfer");
  g_assert_cmpstr (purple_conversation_get_title (conv), ==, "Pension transfer");
  g_assert_null (find_conversation (fx, WORLD_CONV2));
  /* libpurple finds its buddy-list chat (logging, Pidgin's menus). */
  g_assert_true (purple_blist_find_chat (fx->account, "Pension transfer") ==
                 plannr_harness_find_blist_chat (fx->account, WORLD_CONV2));
  g_assert_nonnull (purple_conv_chat_cb_find (PURPLE_CONV_CHAT (conv), "Clara Colleague"));

  /* Messages, and the plugin's own lines, land in it. */
  news = plannr_fake_post_message (fx->world->fake, WORLD_CONV2, WORLD_BEN, "Into the chat joined by name");
  line = wait_line ("Into the chat joined by name");
  g_assert_cmpstr (line->conv_name, ==, "Pension transfer");
  world_prpl_info ()->set_chat_topic (pc, chat_id (conv), "Not mine to rename");
  line = wait_line ("could not be renamed");
  g_assert_cmpstr (line->conv_name, ==, "Pension transfer");

  /* Left, and joined again as typed in another case: named as typed. */
  purple_conversation_destroy (conv);
  join_by_name (fx, "pension TRANSFER");
  conv = wait_conversation (fx, "pension TRANSFER");
  g_assert_cmpstr (purple_conversation_get_title (conv), ==, "Pension transfer");

  /* Left, then opened by a message: in the chat it was joined as. */
  purple_conversation_destroy (conv);
  plannr_harness_clear_lines ();
  g_free (news);
  news = plannr_fake_post_message (fx->world->fake, WORLD_CONV2, WORLD_BEN, "Opens it again");
  line = wait_line ("Opens it again");
  g_assert_cmpstr (line->conv_name, ==, "pension TRANSFER");

  /* Asked for by its uuid while open: that chat, not a second one. */
  components = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (components, "uuid", WORLD_CONV2);
  serv_join_chat (pc, components);
  g_hash_table_unref (components);
  plannr_wait_for_ms (500);
  g_assert_null (find_conversation (fx, WORLD_CONV2));
}

/* "chat add plannr UUID #channel" typed in capitals: named as typed. */
static void
test_join_by_uuid_as_typed (WorldFixture  *fx,
                            gconstpointer  data)
{
  g_autofree char *upper = g_ascii_strup (WORLD_CONV, -1);
  GHashTable *defaults;
  PurpleConversation *conv;

  world_sign_in_listed (fx);
  defaults = world_prpl_info ()->chat_info_defaults (purple_account_get_connection (fx->account), upper);
  g_assert_cmpstr (g_hash_table_lookup (defaults, "uuid"), ==, upper);
  g_assert_cmpstr (g_hash_table_lookup (defaults, "name"), ==, "Annual Review");
  serv_join_chat (purple_account_get_connection (fx->account), defaults);
  g_hash_table_unref (defaults);

  conv = wait_conversation (fx, upper);
  g_assert_cmpstr (purple_conversation_get_title (conv), ==, "Annual Review");
  g_assert_true (purple_blist_find_chat (fx->account, upper) ==
                 plannr_harness_find_blist_chat (fx->account, WORLD_CONV));
}

/* --- signing in ----------------------------------------------------------------- */

/* BitlBee has no request_fields ui op: purple_request_fields answers
 * NULL and never calls back.  With several Plannr accounts and none
 * preferred, signing in waited for ever; it must say what to set. */
static void
test_account_choice_without_dialog (void)
{
  g_autoptr(World) world = world_new (TRUE, 0);
  PurpleRequestUiOps *harness_ops = purple_request_get_ui_ops ();
  static PurpleRequestUiOps no_fields;
  PurpleAccount *account;
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  no_fields = *harness_ops;
  no_fields.request_fields = NULL;
  purple_request_set_ui_ops (&no_fields);

  account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN, world->base_url, NULL);
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_error (account, WORLD_WAIT_MS, &reason, &description));
  purple_request_set_ui_ops (harness_ops);

  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (description, "account-uuid"));
  g_assert_nonnull (strstr (description, "Ada Adviser — Thompson Wealth: " WORLD_ME));
  g_assert_nonnull (strstr (description, "Ada Adviser — Northgate Planning: " WORLD_ME2));
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);

  plannr_harness_account_delete (account);
}

/* --- the room list ------------------------------------------------------------------ */

/* BitlBee takes a reference to the list once roomlist_get_list returned
 * and drops one each time it is told the list is no longer in progress:
 * that must happen once per list, and not before it was returned.  (A
 * second report drops a reference that is not there: libpurple's
 * critical, fatal here, or a list used after it was freed.) */
typedef struct
{
  gboolean returned;
  guint    finished;
} ListReport;

static struct
{
  guint destroyed;
  guint finished_early;
  guint finished_not_once;
} lists;

static void
report_create (PurpleRoomlist *list)
{
  list->ui_data = g_new0 (ListReport, 1);
}

static void
report_in_progress (PurpleRoomlist *list,
                    gboolean        in_progress)
{
  ListReport *report = list->ui_data;

  if (in_progress)
    return;
  report->finished++;
  if (!report->returned)
    lists.finished_early++;
  else
    purple_roomlist_unref (list);
}

static void
report_destroy (PurpleRoomlist *list)
{
  ListReport *report = list->ui_data;

  if (report->finished != 1)
    lists.finished_not_once++;
  g_free (report);
  list->ui_data = NULL;
  lists.destroyed++;
}

static PurpleRoomlistUiOps report_ops = {
  .create = report_create,
  .in_progress = report_in_progress,
  .destroy = report_destroy,
};

static void
ask_for_list (WorldFixture *fx)
{
  PurpleRoomlist *list = purple_roomlist_get_list (purple_account_get_connection (fx->account));
  ListReport *report;

  g_assert_nonnull (list);
  report = list->ui_data;
  g_assert_cmpuint (report->finished, ==, 0);
  report->returned = TRUE;
  purple_roomlist_ref (list);
}

static gboolean
lists_destroyed_cb (gpointer data)
{
  return lists.destroyed >= GPOINTER_TO_UINT (data);
}

static void
test_roomlist_references (WorldFixture  *fx,
                          gconstpointer  data)
{
  purple_roomlist_set_ui_ops (&report_ops);
  memset (&lists, 0, sizeof lists);
  world_sign_in_listed (fx);

  /* Asked for and filled: let go by the UI's one reference. */
  ask_for_list (fx);
  g_assert_true (plannr_wait_until (lists_destroyed_cb, GUINT_TO_POINTER (1), WORLD_WAIT_MS));

  /* Asked for twice in a row (the second drops the first while it
   * fills), then once more: each reported once, each gone. */
  ask_for_list (fx);
  ask_for_list (fx);
  ask_for_list (fx);
  g_assert_true (plannr_wait_until (lists_destroyed_cb, GUINT_TO_POINTER (4), WORLD_WAIT_MS));
  plannr_wait_for_ms (500);
  g_assert_cmpuint (lists.destroyed, ==, 4);
  g_assert_cmpuint (lists.finished_early, ==, 0);
  g_assert_cmpuint (lists.finished_not_once, ==, 0);

  purple_roomlist_set_ui_ops (NULL);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func, messages) WORLD_TEST_ADD ("/bitlbee/" path, func, messages)

  ADD ("own-nick", test_own_nick, 3);
  ADD ("names-taken", test_names_taken, 0);
  ADD ("remote-send", test_remote_send, 3);
  ADD ("typed-seen-by-poll-first", test_typed_seen_by_poll_first, 3);
  ADD ("notices", test_notices, 3);
  ADD ("commands-as-text", test_commands_as_text, 3);
  ADD ("every-command-as-text", test_every_command_as_text, 3);
  ADD ("commands-run", test_commands_run, 3);
  ADD ("help-first", test_help_first, 3);
  ADD ("join-by-name", test_join_by_name, 0);
  ADD ("join-by-uuid-as-typed", test_join_by_uuid_as_typed, 0);
  ADD ("roomlist-references", test_roomlist_references, 0);
  g_test_add_func ("/bitlbee/account-choice-without-dialog", test_account_choice_without_dialog);

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
