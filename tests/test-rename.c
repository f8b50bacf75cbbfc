/* test-rename.c: renaming conversations from Pidgin and Finch
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every entry point (the topic box, /rename and /topic, the buddy-list
 * alias, the "Rename conversation…" menu action) must become exactly one
 * PUT /api/v1/conversation/{uuid} with {"name": NEW} and the four headers,
 * and the name the server returned must show in the alias, the window
 * title and the topic.  Failures put the old name back and say why;
 * renames made elsewhere show without ever being sent back.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "plannr-api.h"
#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

/* Long enough for the inbox poll (every 1 s, up to 4 s when idle) and
 * the chat poll to have run a few times; the shorter one for tests that
 * have the long wait checked elsewhere already. */
#define QUIET_MS 2500
#define SHORT_QUIET_MS 500

/* --- looking ------------------------------------------------------------ */

static const char *
blist_alias (WorldFixture *fx,
             const char   *uuid)
{
  PurpleChat *chat = plannr_harness_find_blist_chat (fx->account, uuid);

  g_assert_nonnull (chat);
  return chat->alias;
}

typedef struct
{
  WorldFixture       *fx;
  const char         *uuid;
  PurpleConversation *conv;   /* NULL: the chat is not open */
  const char         *name;
} NameQuery;

static gboolean
name_everywhere_cb (gpointer data)
{
  NameQuery *query = data;

  if (g_strcmp0 (blist_alias (query->fx, query->uuid), query->name) != 0)
    return FALSE;
  if (query->conv == NULL)
    return TRUE;
  return g_strcmp0 (purple_conversation_get_title (query->conv), query->name) == 0 &&
         g_strcmp0 (purple_conv_chat_get_topic (PURPLE_CONV_CHAT (query->conv)), query->name) == 0;
}

static void
assert_name_everywhere (WorldFixture       *fx,
                        const char         *uuid,
                        PurpleConversation *conv,
                        const char         *name)
{
  g_assert_cmpstr (blist_alias (fx, uuid), ==, name);
  if (conv != NULL)
    {
      g_assert_cmpstr (purple_conversation_get_title (conv), ==, name);
      g_assert_cmpstr (purple_conv_chat_get_topic (PURPLE_CONV_CHAT (conv)), ==, name);
    }
}

static void
wait_name_everywhere (WorldFixture       *fx,
                      const char         *uuid,
                      PurpleConversation *conv,
                      const char         *name,
                      guint               timeout_ms)
{
  NameQuery query = { fx, uuid, conv, name };

  plannr_wait_until (name_everywhere_cb, &query, timeout_ms);
  assert_name_everywhere (fx, uuid, conv, name);
}

typedef struct
{
  WorldFixture *fx;
  const char   *uuid;
  const char   *name;
} ServerQuery;

static gboolean
server_has_name_cb (gpointer data)
{
  ServerQuery *query = data;

  return g_strcmp0 (plannr_fake_get_conversation_name (query->fx->world->fake, query->uuid),
                    query->name) == 0;
}

/* The last PUT is the rename to @name of @path, exactly as seed 000 has
 * it; @puts PUTs in all were made since the log was cleared. */
static void
assert_rename_request (WorldFixture *fx,
                       const char   *path,
                       const char   *name,
                       guint         puts)
{
  const PlannrFakeRequest *request;

  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, puts);
  g_assert_cmpuint (world_count (fx, "PUT", path), ==, puts);
  request = plannr_fake_last_request (fx->world->fake, "PUT", NULL);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, path);
  g_assert_null (request->query);
  world_assert_headers (request);
  world_assert_json_body (request, "name", name);
}

/* Waits for the server to have @name and the client to show it. */
static void
wait_renamed (WorldFixture       *fx,
              const char         *uuid,
              PurpleConversation *conv,
              const char         *name)
{
  ServerQuery query = { fx, uuid, name };

  g_assert_true (plannr_wait_until (server_has_name_cb, &query, WORLD_WAIT_MS));
  wait_name_everywhere (fx, uuid, conv, name, WORLD_WAIT_MS);
}

/* --- the entry points ---------------------------------------------------- */

/* What Pidgin does when the user edits the topic box: the entry's text,
 * plain, straight to the prpl. */
static void
set_topic (PurpleConversation *conv,
           const char         *topic)
{
  PurplePluginProtocolInfo *info = world_prpl_info ();

  g_assert_nonnull (info->set_chat_topic);
  info->set_chat_topic (purple_conversation_get_gc (conv),
                        purple_conv_chat_get_id (PURPLE_CONV_CHAT (conv)), topic);
}

/* Pidgin's Alias and Finch's rename on the buddy list. */
static void
alias_chat (WorldFixture *fx,
            const char   *uuid,
            const char   *alias)
{
  purple_blist_alias_chat (plannr_harness_find_blist_chat (fx->account, uuid), alias);
}

/* The menu action's dialog: asks for the name, prefilled with the old. */
static void
answer_rename_dialog (WorldFixture *fx,
                      const char   *uuid,
                      const char   *old_name,
                      const char   *answer)
{
  PlannrHarnessRequest *req;

  world_run_menu_action (fx, uuid, "Rename conversation…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_INPUT);
  g_assert_cmpstr (req->default_value, ==, old_name);
  g_assert_true (req->account == fx->account);
  plannr_harness_answer_input (req, answer);
}

/* Runs until the inbox poll asked @n more times, then @ms more for the
 * answer and what follows from it. */
static void
run_polls (WorldFixture *fx,
           guint         n,
           guint         ms)
{
  guint polls = world_count (fx, "GET", "/api/v1/conversation");

  g_assert_true (world_wait_count (fx, "GET", "/api/v1/conversation", polls + n, WORLD_WAIT_MS));
  plannr_wait_for_ms (ms);
}

/* Checks what a successful rename left behind, then that nothing is sent
 * again, nor announced as a rename by someone else, while polls run. */
static void
assert_renamed_once (WorldFixture       *fx,
                     PurpleConversation *conv,
                     const char         *name,
                     const char         *escaped,
                     guint               quiet_ms)
{

  g_autofree char *mine = g_strdup_printf ("You renamed the conversation to %s", escaped);
  g_autofree char *theirs = g_strdup_printf ("The conversation was renamed to %s", escaped);

  wait_renamed (fx, WORLD_CONV, conv, name);
  assert_rename_request (fx, WORLD_CONV_PATH, name, 1);
  if (conv != NULL)
    g_assert_true (plannr_harness_wait_line (mine, WORLD_WAIT_MS));

  /* The inbox poll looks again, and finds nothing to send back. */
  run_polls (fx, 1, quiet_ms);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines (theirs), ==, 0);
  g_assert_cmpuint (plannr_harness_count_lines (mine), ==, conv != NULL ? 1 : 0);
  assert_name_everywhere (fx, WORLD_CONV, conv, name);
}

static void
test_rename_topic_box (WorldFixture  *fx,
                       gconstpointer  data)
{
  PurpleConversation *conv;

  conv = world_open_chat (fx, "Message 2 from Ben");
  assert_name_everywhere (fx, WORLD_CONV, conv, "Annual Review");
  plannr_fake_clear_requests (fx->world->fake);

  set_topic (conv, "Annual Review 2026");
  assert_renamed_once (fx, conv, "Annual Review 2026", "Annual Review 2026", QUIET_MS);
}

static void
test_rename_command_rename (WorldFixture  *fx,
                            gconstpointer  data)
{
  PurpleConversation *conv;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  /* Surrounding whitespace is trimmed before it is sent. */
  world_run_command (conv, "/rename   Annual Review 2026  ");
  assert_renamed_once (fx, conv, "Annual Review 2026", "Annual Review 2026", SHORT_QUIET_MS);
}

static void
test_rename_command_topic (WorldFixture  *fx,
                           gconstpointer  data)
{
  PurpleConversation *conv;
  GList *help;
  gboolean explained = FALSE;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  /* /topic alone says what the conversation is called, and sends nothing. */
  world_run_command (conv, "/topic");
  g_assert_true (plannr_harness_wait_line ("This conversation is called “Annual Review”.", WORLD_WAIT_MS));
  world_run_command (conv, "/topic    ");
  g_assert_cmpuint (plannr_harness_count_lines ("This conversation is called “Annual Review”."), ==, 2);
  plannr_wait_for_ms (200);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);

  /* /help rename explains the command. */
  help = purple_cmd_help (conv, "rename");
  g_assert_nonnull (help);
  for (GList *l = help; l != NULL; l = l->next)
    if (l->data != NULL && strstr (l->data, "rename") != NULL && strlen (l->data) > strlen ("rename"))
      explained = TRUE;
  g_list_free (help);
  g_assert_true (explained);
  help = purple_cmd_help (conv, "topic");
  g_assert_nonnull (help);
  g_list_free (help);

  world_run_command (conv, "/topic Annual Review 2026");
  assert_renamed_once (fx, conv, "Annual Review 2026", "Annual Review 2026", SHORT_QUIET_MS);

  /* And /topic now tells the new name. */
  world_run_command (conv, "/topic");
  g_assert_true (plannr_harness_wait_line ("This conversation is called “Annual Review 2026”.", WORLD_WAIT_MS));
}

static void
test_rename_blist_alias (WorldFixture  *fx,
                         gconstpointer  data)
{
  PurpleConversation *conv;
  PurpleConnection *gc;
  PurpleRoomlist *list;
  gboolean listed = FALSE;

  conv = world_open_chat (fx, "Message 2 from Ben");
  gc = purple_account_get_connection (fx->account);
  list = purple_roomlist_get_list (gc);
  g_assert_nonnull (list);
  /* As Pidgin's room list dialog does: a reference of its own. */
  purple_roomlist_ref (list);
  plannr_fake_clear_requests (fx->world->fake);

  alias_chat (fx, WORLD_CONV, "Annual Review 2026");
  assert_renamed_once (fx, conv, "Annual Review 2026", "Annual Review 2026", SHORT_QUIET_MS);

  /* The room list shows it too. */
  for (GList *l = list->rooms; l != NULL; l = l->next)
    {
      PurpleRoomlistRoom *room = l->data;
      GList *fields = purple_roomlist_room_get_fields (room);

      if (fields == NULL || fields->next == NULL ||
          g_strcmp0 (fields->next->data, WORLD_CONV) != 0)
        continue;
      g_assert_cmpstr (purple_roomlist_room_get_name (room), ==, "Annual Review 2026");
      g_assert_cmpstr (fields->data, ==, "Annual Review 2026");
      listed = TRUE;
    }
  g_assert_true (listed);
  purple_roomlist_unref (list);
}

static void
test_rename_blist_alias_closed (WorldFixture  *fx,
                                gconstpointer  data)
{
  world_sign_in_listed (fx);
  plannr_fake_clear_requests (fx->world->fake);

  /* The chat need not be open: the buddy list is enough. */
  alias_chat (fx, WORLD_CONV, "Annual Review 2026");
  assert_renamed_once (fx, NULL, "Annual Review 2026", "Annual Review 2026", QUIET_MS);
  g_assert_null (plannr_harness_find_chat (fx->account, WORLD_CONV));
  g_assert_cmpuint (plannr_harness_get_notices ()->len, ==, 0);
}

static void
test_rename_menu_action (WorldFixture  *fx,
                         gconstpointer  data)
{
  PurpleConversation *conv;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  answer_rename_dialog (fx, WORLD_CONV, "Annual Review", "Annual Review 2026");
  assert_renamed_once (fx, conv, "Annual Review 2026", "Annual Review 2026", SHORT_QUIET_MS);
}

static void
test_rename_menu_action_cancelled (WorldFixture  *fx,
                                   gconstpointer  data)
{
  PurpleConversation *conv;
  PlannrHarnessRequest *req;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  world_run_menu_action (fx, WORLD_CONV, "Rename conversation…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  plannr_harness_cancel_request (req);
  plannr_wait_for_ms (500);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  assert_name_everywhere (fx, WORLD_CONV, conv, "Annual Review");
}

/* --- failures -------------------------------------------------------------- */

/* Renames WORLD_CONV (or @uuid) through the buddy-list alias, which shows
 * the new name at once, so that putting the old one back is visible. */
static void
check_failure (WorldFixture       *fx,
               const char         *uuid,
               PurpleConversation *conv,
               const char         *old_name,
               const char         *reason,
               guint               timeout_ms)
{
  g_autofree char *line = g_strdup_printf ("The conversation could not be renamed to “Renamed”: %s",
                                           reason);

  alias_chat (fx, uuid, "Renamed");
  g_assert_cmpstr (blist_alias (fx, uuid), ==, "Renamed");

  if (conv != NULL)
    g_assert_true (plannr_harness_wait_line (line, timeout_ms));
  else
    g_assert_true (plannr_harness_wait_notice (line, timeout_ms));

  wait_name_everywhere (fx, uuid, conv, old_name, WORLD_WAIT_MS);
  g_assert_cmpstr (plannr_fake_get_conversation_name (fx->world->fake, uuid), ==, old_name);
  g_assert_cmpuint (plannr_harness_count_lines ("You renamed the conversation"), ==, 0);

  /* The error reached the user once, and the account stays online. */
  if (conv != NULL)
    g_assert_cmpuint (plannr_harness_count_lines (line), ==, 1);
  g_assert_true (purple_account_is_connected (fx->account));
}

static void
test_rename_forbidden (WorldFixture  *fx,
                       gconstpointer  data)
{
  PurpleConversation *conv;

  world_sign_in_listed (fx);
  conv = world_join (fx, WORLD_CONV2, "Pension transfer", NULL);
  plannr_fake_clear_requests (fx->world->fake);

  /* Clara is the admin of this one; the fake answers 403 by itself. */
  check_failure (fx, WORLD_CONV2, conv, "Pension transfer",
                 "only admins of the conversation may rename it", WORLD_WAIT_MS);
  /* The rule of the action refused, not the edit's as well. */
  g_assert_null (plannr_harness_find_line ("author"));
  assert_rename_request (fx, WORLD_CONV2_PATH, "Renamed", 1);
  g_assert_cmpuint (plannr_fake_last_request (fx->world->fake, "PUT", NULL)->status, ==, 403);
}

static void
test_rename_forbidden_closed (WorldFixture  *fx,
                              gconstpointer  data)
{
  const PlannrHarnessNotice *notice;

  world_sign_in_listed (fx);
  plannr_fake_clear_requests (fx->world->fake);

  /* Not open: the reason comes as a notification naming the chat. */
  check_failure (fx, WORLD_CONV2, NULL, "Pension transfer",
                 "only admins of the conversation may rename it", WORLD_WAIT_MS);
  assert_rename_request (fx, WORLD_CONV2_PATH, "Renamed", 1);
  g_assert_cmpuint (plannr_harness_get_notices ()->len, ==, 1);
  notice = g_ptr_array_index (plannr_harness_get_notices (), 0);
  g_assert_cmpint (notice->type, ==, PURPLE_NOTIFY_MSG_ERROR);
  g_assert_cmpstr (notice->primary, ==, "Pension transfer");
  g_assert_null (plannr_harness_find_chat (fx->account, WORLD_CONV2));
}

static void
test_rename_not_found (WorldFixture  *fx,
                       gconstpointer  data)
{
  PurpleConversation *conv;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);
  plannr_fake_add_fault (fx->world->fake, "PUT", WORLD_CONV_PATH, PLANNR_FAKE_FAULT_STATUS, 404, 1);

  check_failure (fx, WORLD_CONV, conv, "Annual Review",
                 "it no longer exists, or you are no longer a participant", WORLD_WAIT_MS);
  assert_rename_request (fx, WORLD_CONV_PATH, "Renamed", 1);
}

static void
test_rename_invalid (WorldFixture  *fx,
                     gconstpointer  data)
{
  PurpleConversation *conv;
  g_autofree char *too_long = NULL;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);
  plannr_fake_add_fault (fx->world->fake, "PUT", WORLD_CONV_PATH, PLANNR_FAKE_FAULT_STATUS, 422, 1);

  /* 422: the server's own words. */
  check_failure (fx, WORLD_CONV, conv, "Annual Review",
                 "Unprocessable Entity (injected by the fake).", WORLD_WAIT_MS);
  assert_rename_request (fx, WORLD_CONV_PATH, "Renamed", 1);

  /* A name longer than the server takes is refused before sending. */
  plannr_fake_clear_requests (fx->world->fake);
  too_long = g_strnfill (256, 'n');
  alias_chat (fx, WORLD_CONV, too_long);
  g_assert_true (plannr_harness_wait_line ("A conversation name can have at most 255 characters", WORLD_WAIT_MS));
  wait_name_everywhere (fx, WORLD_CONV, conv, "Annual Review", WORLD_WAIT_MS);
  plannr_wait_for_ms (200);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
}

static void
test_rename_network (WorldFixture  *fx,
                     gconstpointer  data)
{
  PurpleConversation *conv;
  GPtrArray *requests;
  guint puts = 0;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);
  /* Every attempt dropped: the api layer retries, then gives up. */
  plannr_fake_add_fault (fx->world->fake, "PUT", WORLD_CONV_PATH, PLANNR_FAKE_FAULT_DROP, 0, -1);

  check_failure (fx, WORLD_CONV, conv, "Annual Review",
                 "the Plannr server could not be reached", WORLD_GIVE_UP_MS);

  /* The api layer's attempts, each the whole request again (libsoup on
   * its own would resend a dropped PUT without its body). */
  requests = plannr_fake_get_requests (fx->world->fake);
  for (guint i = 0; i < requests->len; i++)
    {
      const PlannrFakeRequest *request = g_ptr_array_index (requests, i);

      if (g_strcmp0 (request->method, "PUT") != 0)
        continue;
      puts++;
      g_assert_cmpstr (request->path, ==, WORLD_CONV_PATH);
      g_assert_cmpuint (request->status, ==, 0);
      world_assert_headers (request);
      world_assert_json_body (request, "name", "Renamed");
    }
  g_assert_cmpuint (puts, ==, PLANNR_API_MAX_ATTEMPTS);
}

static void
test_rename_server_error (WorldFixture  *fx,
                          gconstpointer  data)
{
  PurpleConversation *conv;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);
  /* 503 with an HTML body, every time: retried, then given up. */
  plannr_fake_add_fault (fx->world->fake, "PUT", WORLD_CONV_PATH, PLANNR_FAKE_FAULT_STATUS, 503, -1);

  check_failure (fx, WORLD_CONV, conv, "Annual Review",
                 "the Plannr server had a problem", WORLD_GIVE_UP_MS);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, PLANNR_API_MAX_ATTEMPTS);
  assert_rename_request (fx, WORLD_CONV_PATH, "Renamed", PLANNR_API_MAX_ATTEMPTS);
}

/* --- names that are not sent ------------------------------------------------ */

#define NEEDS_A_NAME "A conversation needs a name; the name was not changed."

static void
test_rename_empty (WorldFixture  *fx,
                   gconstpointer  data)
{
  PurpleConversation *conv;
  guint expected = 0;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  set_topic (conv, "");
  g_assert_cmpuint (plannr_harness_count_lines (NEEDS_A_NAME), ==, ++expected);
  set_topic (conv, " \t  ");
  g_assert_cmpuint (plannr_harness_count_lines (NEEDS_A_NAME), ==, ++expected);
  world_run_command (conv, "/rename     ");
  g_assert_cmpuint (plannr_harness_count_lines (NEEDS_A_NAME), ==, ++expected);
  world_run_command (conv, "/rename");
  g_assert_cmpuint (plannr_harness_count_lines (NEEDS_A_NAME), ==, ++expected);

  /* Clearing the alias on the buddy list puts the name back. */
  alias_chat (fx, WORLD_CONV, "   ");
  g_assert_cmpuint (plannr_harness_count_lines (NEEDS_A_NAME), ==, ++expected);
  assert_name_everywhere (fx, WORLD_CONV, conv, "Annual Review");
  alias_chat (fx, WORLD_CONV, NULL);
  g_assert_cmpuint (plannr_harness_count_lines (NEEDS_A_NAME), ==, ++expected);
  assert_name_everywhere (fx, WORLD_CONV, conv, "Annual Review");

  answer_rename_dialog (fx, WORLD_CONV, "Annual Review", "  ");
  g_assert_cmpuint (plannr_harness_count_lines (NEEDS_A_NAME), ==, ++expected);

  plannr_wait_for_ms (500);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  assert_name_everywhere (fx, WORLD_CONV, conv, "Annual Review");
  g_assert_cmpstr (plannr_fake_get_conversation_name (fx->world->fake, WORLD_CONV), ==, "Annual Review");
}

static void
test_rename_unchanged (WorldFixture  *fx,
                       gconstpointer  data)
{
  PurpleConversation *conv;
  guint lines;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);
  lines = plannr_harness_get_lines ()->len;

  set_topic (conv, "Annual Review");
  set_topic (conv, "  Annual Review ");
  world_run_command (conv, "/rename Annual Review");
  world_run_command (conv, "/topic  Annual Review  ");
  alias_chat (fx, WORLD_CONV, " Annual Review ");
  assert_name_everywhere (fx, WORLD_CONV, conv, "Annual Review");
  answer_rename_dialog (fx, WORLD_CONV, "Annual Review", "Annual Review");

  plannr_wait_for_ms (500);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  assert_name_everywhere (fx, WORLD_CONV, conv, "Annual Review");
  /* Nothing to say either. */
  g_assert_cmpuint (plannr_harness_get_lines ()->len, ==, lines);
  g_assert_cmpuint (plannr_harness_get_notices ()->len, ==, 0);
}

/* --- markup ------------------------------------------------------------- */

static void
check_markup_rename (WorldFixture       *fx,
                     PurpleConversation *conv,
                     const char         *name,
                     guint               puts)
{
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *line = g_strdup_printf ("You renamed the conversation to %s", escaped);

  wait_renamed (fx, WORLD_CONV, conv, name);
  assert_rename_request (fx, WORLD_CONV_PATH, name, puts);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  g_assert_null (plannr_harness_find_line ("<b>"));
}

static void
test_rename_markup (WorldFixture  *fx,
                    gconstpointer  data)
{
  PurpleConversation *conv;
  g_autofree char *typed = NULL;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);

  /* Pidgin's topic box hands over the entry's plain text. */
  set_topic (conv, WORLD_MARKUP " 1");
  check_markup_rename (fx, conv, WORLD_MARKUP " 1", 1);

  /* A command arrives as the markup of what was typed. */
  typed = g_strdup ("/rename " WORLD_MARKUP " 2");
  world_run_command (conv, typed);
  check_markup_rename (fx, conv, WORLD_MARKUP " 2", 2);

  alias_chat (fx, WORLD_CONV, WORLD_MARKUP " 3");
  check_markup_rename (fx, conv, WORLD_MARKUP " 3", 3);

  answer_rename_dialog (fx, WORLD_CONV, WORLD_MARKUP " 3", WORLD_MARKUP " 4");
  check_markup_rename (fx, conv, WORLD_MARKUP " 4", 4);

  /* Text, not markup, in the window too. */
  g_assert_nonnull (plannr_harness_find_line (WORLD_MARKUP_ESCAPED " 4"));
}

/* --- renames made elsewhere ------------------------------------------------ */

static void
test_rename_remote (WorldFixture  *fx,
                    gconstpointer  data)
{
  PurpleConversation *conv;
  const char *line = "The conversation was renamed to Clara&apos;s review";
  NameQuery query = { fx, WORLD_CONV, NULL, "Clara's review" };

  conv = world_open_chat (fx, "Message 2 from Ben");
  query.conv = conv;
  plannr_fake_clear_requests (fx->world->fake);

  g_assert_true (plannr_fake_rename_conversation (fx->world->fake, WORLD_CONV, "Clara's review"));
  /* Within a few inbox polls (1 s, backing off to 4 s while idle). */
  g_assert_true (plannr_wait_until (name_everywhere_cb, &query, WORLD_WAIT_MS));
  assert_name_everywhere (fx, WORLD_CONV, conv, "Clara's review");
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));

  /* Not sent back, nor announced twice, however many polls follow. */
  run_polls (fx, 3, SHORT_QUIET_MS);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  g_assert_cmpuint (plannr_harness_count_lines (line), ==, 1);
  g_assert_cmpuint (plannr_harness_count_lines ("You renamed"), ==, 0);
  assert_name_everywhere (fx, WORLD_CONV, conv, "Clara's review");

  /* Markup from the server is text. */
  g_assert_true (plannr_fake_rename_conversation (fx->world->fake, WORLD_CONV, WORLD_MARKUP));
  wait_name_everywhere (fx, WORLD_CONV, conv, WORLD_MARKUP, WORLD_WAIT_MS);
  g_assert_true (plannr_harness_wait_line ("The conversation was renamed to " WORLD_MARKUP_ESCAPED, WORLD_WAIT_MS));
  g_assert_null (plannr_harness_find_line ("<b>"));

  /* A chat that is not open is renamed on the buddy list. */
  g_assert_true (plannr_fake_rename_conversation (fx->world->fake, WORLD_CONV2, "Pension transfer (done)"));
  wait_name_everywhere (fx, WORLD_CONV2, NULL, "Pension transfer (done)", WORLD_WAIT_MS);

  run_polls (fx, 3, SHORT_QUIET_MS);
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 0);
  g_assert_cmpuint (plannr_harness_count_lines ("The conversation was renamed to " WORLD_MARKUP_ESCAPED), ==, 1);
}

/* Two Plannr accounts signed in: renaming one's chat on the buddy list
 * sends one PUT, as that account, not one per account. */
static void
test_rename_two_accounts (WorldFixture  *fx,
                          gconstpointer  data)
{
  static const char bob_user[] = "9b2f1c9e-6d1a-4c55-9a63-0c9f5a6e1a09";
  static const char bob[] = "b0000000-0000-4000-8000-000000000009";
  PurpleAccount *second;
  PurpleChat *chat;
  const PlannrFakeRequest *put;

  plannr_fake_add_user (fx->world->fake, bob_user, "Bob Partner", "bob@example.com", "bob-token");
  plannr_fake_add_account (fx->world->fake, bob, bob_user, WORLD_FIRM, "Bob Partner", "employee");
  g_assert_true (plannr_fake_add_participant (fx->world->fake, WORLD_CONV, bob, FALSE));
  second = plannr_harness_account_new ("bob@example.com", "bob-token", fx->world->base_url, bob);
  purple_account_set_int (second, "poll-interval", 1);

  world_sign_in_listed (fx);
  plannr_harness_connect (second);
  g_assert_true (plannr_harness_wait_connected (second, WORLD_WAIT_MS));
  plannr_wait_for_ms (1000);
  plannr_fake_clear_requests (fx->world->fake);

  chat = plannr_harness_find_blist_chat (fx->account, WORLD_CONV);
  g_assert_nonnull (chat);
  purple_blist_alias_chat (chat, "Renamed once");
  plannr_wait_for_ms (QUIET_MS);

  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 1);
  put = plannr_fake_last_request (fx->world->fake, "PUT", NULL);
  g_assert_cmpstr (put->path, ==, WORLD_CONV_PATH);
  world_assert_headers (put);
  world_assert_json_body (put, "name", "Renamed once");

  plannr_harness_account_delete (second);
}

/* --- renames in a row -------------------------------------------------------- */

typedef struct
{
  WorldFixture *fx;
  const char   *name;
  guint         puts;
} ServerNameQuery;

static gboolean
server_name_cb (gpointer data)
{
  ServerNameQuery *query = data;

  return world_count (query->fx, "PUT", NULL) >= query->puts &&
         g_strcmp0 (plannr_fake_get_conversation_name (query->fx->world->fake, WORLD_CONV),
                    query->name) == 0;
}

/* A rename that failed with a 503 is being retried when the user renames
 * again: the retry of the older name must not land after the newer one.
 * The name asked for last is the one the server keeps. */
static void
test_rename_newest_wins (WorldFixture  *fx,
                         gconstpointer  data)
{
  ServerNameQuery query = { fx, "Beta", 3 };
  PurpleConversation *conv;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);
  plannr_fake_add_fault (fx->world->fake, "PUT", WORLD_CONV_PATH, PLANNR_FAKE_FAULT_STATUS, 503, 1);

  world_run_command (conv, "rename Alpha");
  /* Refused once; its retry waits at least half a second. */
  g_assert_true (world_wait_count (fx, "PUT", NULL, 1, WORLD_WAIT_MS));
  world_run_command (conv, "rename Beta");
  g_assert_true (plannr_wait_until (server_name_cb, &query, WORLD_GIVE_UP_MS));
  /* Nothing older lands afterwards. */
  plannr_wait_for_ms (4000);
  g_assert_cmpstr (plannr_fake_get_conversation_name (fx->world->fake, WORLD_CONV), ==, "Beta");
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 3);
  assert_name_everywhere (fx, WORLD_CONV, conv, "Beta");
}

/* Renamed, and renamed back to the old name while the first is still on
 * its way: the second is not dropped as "unchanged". */
static void
test_rename_back_in_flight (WorldFixture  *fx,
                            gconstpointer  data)
{
  ServerNameQuery query = { fx, "Annual Review", 2 };
  PurpleConversation *conv;

  conv = world_open_chat (fx, "Message 2 from Ben");
  plannr_fake_clear_requests (fx->world->fake);
  plannr_fake_add_fault (fx->world->fake, "PUT", WORLD_CONV_PATH, PLANNR_FAKE_FAULT_DELAY, 1500, 1);

  world_run_command (conv, "rename Renamed by mistake");
  world_run_command (conv, "rename Annual Review");
  g_assert_true (plannr_wait_until (server_name_cb, &query, WORLD_WAIT_MS));
  plannr_wait_for_ms (QUIET_MS);
  g_assert_cmpstr (plannr_fake_get_conversation_name (fx->world->fake, WORLD_CONV), ==, "Annual Review");
  g_assert_cmpuint (world_count (fx, "PUT", NULL), ==, 2);
  assert_name_everywhere (fx, WORLD_CONV, conv, "Annual Review");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func) WORLD_TEST_ADD ("/rename/" path, func, 2)

  ADD ("topic-box", test_rename_topic_box);
  ADD ("command/rename", test_rename_command_rename);
  ADD ("command/topic", test_rename_command_topic);
  ADD ("blist-alias", test_rename_blist_alias);
  ADD ("blist-alias-closed", test_rename_blist_alias_closed);
  ADD ("menu-action", test_rename_menu_action);
  ADD ("menu-action-cancelled", test_rename_menu_action_cancelled);
  ADD ("fail/forbidden", test_rename_forbidden);
  ADD ("fail/forbidden-closed", test_rename_forbidden_closed);
  ADD ("fail/not-found", test_rename_not_found);
  ADD ("fail/invalid", test_rename_invalid);
  ADD ("fail/network", test_rename_network);
  ADD ("fail/server-error", test_rename_server_error);
  ADD ("empty", test_rename_empty);
  ADD ("unchanged", test_rename_unchanged);
  ADD ("markup", test_rename_markup);
  ADD ("remote", test_rename_remote);
  ADD ("two-accounts", test_rename_two_accounts);
  ADD ("order/newest-wins", test_rename_newest_wins);
  ADD ("order/back-in-flight", test_rename_back_in_flight);

#undef ADD

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
