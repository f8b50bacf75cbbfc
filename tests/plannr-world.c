/* plannr-world.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

World *
world_new (gboolean two_accounts,
           guint    messages)
{
  World *world = g_new0 (World, 1);
  const char *participants[] = { WORLD_ME, WORLD_BEN, WORLD_CLARA, NULL };
  const char *admins[] = { WORLD_ME, NULL };
  const char *admins2[] = { WORLD_CLARA, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *conv = NULL;
  g_autofree char *conv2 = NULL;

  world->fake = plannr_fake_new ();
  plannr_fake_add_user (world->fake, WORLD_USER, "Ada Adviser", "ada@example.com", WORLD_TOKEN);
  plannr_fake_add_firm (world->fake, WORLD_FIRM, "Thompson Wealth");
  plannr_fake_add_firm (world->fake, WORLD_FIRM2, "Northgate Planning");
  plannr_fake_add_account (world->fake, WORLD_ME, WORLD_USER, WORLD_FIRM, "Ada Adviser", "employee");
  if (two_accounts)
    plannr_fake_add_account (world->fake, WORLD_ME2, WORLD_USER, WORLD_FIRM2, "Ada Adviser", "employee");
  plannr_fake_add_account (world->fake, WORLD_BEN, NULL, WORLD_FIRM, "Ben Client", "client");
  plannr_fake_add_account (world->fake, WORLD_CLARA, NULL, WORLD_FIRM, "Clara Colleague", "employee");

  /* A fixed clock a day ago, one second per event: times are known. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) start = g_date_time_add_days (now, -1);
    g_autofree char *iso = g_date_time_format_iso8601 (start);

    plannr_fake_set_time (world->fake, iso);
  }

  conv = plannr_fake_add_conversation (world->fake, WORLD_CONV, "Annual Review", participants, admins);
  conv2 = plannr_fake_add_conversation (world->fake, WORLD_CONV2, "Pension transfer", participants, admins2);
  for (guint i = 0; i < messages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u from Ben", i + 1);
      g_autofree char *uuid = plannr_fake_post_message (world->fake, WORLD_CONV, WORLD_BEN, text);
    }

  if (!plannr_fake_listen (world->fake, 0, &error))
    g_error ("fake server: %s", error->message);
  world->base_url = g_strdup (plannr_fake_get_base_url (world->fake));
  plannr_fake_clear_requests (world->fake);
  return world;
}

void
world_add_people (World *world)
{
  plannr_fake_add_account (world->fake, WORLD_DORA, NULL, WORLD_FIRM, "Dora Client", "client");
  plannr_fake_add_account (world->fake, WORLD_ERIN, NULL, WORLD_FIRM, "Erin Employee", "employee");
  plannr_fake_add_account (world->fake, WORLD_DAVID, NULL, WORLD_FIRM, "David Carter", "client");
  plannr_fake_add_account (world->fake, WORLD_HELEN, NULL, WORLD_FIRM, "Helen Carter", "client");
  plannr_fake_add_account (world->fake, WORLD_PRIYA, NULL, WORLD_FIRM2, "Priya Natarajan", "employee");
}

guint
world_page_size (World *world,
                 guint  asked)
{
  g_autofree char *spec = plannr_fake_get_shapes (world->fake);
  g_auto(GStrv) words = g_strsplit (spec, ",", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint64 clamp;

      if (g_str_has_prefix (words[i], "clamp=") &&
          g_ascii_string_to_unsigned (words[i] + strlen ("clamp="), 10, 1, G_MAXUINT, &clamp, NULL))
        return MIN (asked, (guint) clamp);
    }
  return asked;
}

guint
world_pages (World *world,
             guint  items,
             guint  asked)
{
  guint size = world_page_size (world, asked);

  return MAX ((items + size - 1) / size, 1);
}

void
world_free (World *world)
{
  plannr_fake_free (world->fake);
  g_free (world->base_url);
  g_free (world);
}

PurpleAccount *
world_account_new (World      *world,
                   const char *username,
                   const char *token,
                   const char *account_uuid)
{
  PurpleAccount *account = plannr_harness_account_new (username, token, world->base_url,
                                                       account_uuid);

  purple_account_set_int (account, "poll-interval", 1);
  purple_account_set_int (account, "chat-poll-interval", 1);
  return account;
}

/* --- the fixture ------------------------------------------------------------ */

/* What an account was last shown is kept per user name and server
 * address.  Each test's fake listens on a port of its own, but a port
 * comes free with its test and may come again to a later one: that test
 * would then catch up from where an earlier one stopped, and show none
 * of its history. */
static void
forget_what_was_shown (void)
{
  g_autofree char *dir = g_build_filename (purple_user_dir (), "plannr", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "seen-"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_assert_cmpint (g_unlink (path), ==, 0);
      }
}

void
world_fixture_setup (WorldFixture  *fx,
                     gconstpointer  data)
{
  forget_what_was_shown ();
  plannr_harness_clear_lines ();
  plannr_harness_clear_notices ();
  plannr_harness_clear_errors ();
  plannr_harness_clear_debug_log ();
  fx->world = world_new (FALSE, GPOINTER_TO_UINT (data));
  fx->account = world_account_new (fx->world, "ada@example.com", WORLD_TOKEN, WORLD_ME);
  fx->conv = NULL;
}

void
world_fixture_teardown (WorldFixture  *fx,
                        gconstpointer  data)
{
  PlannrHarnessRequest *req;

  /* A request a failed test left behind must not reach the next test. */
  while ((req = plannr_harness_wait_request (0)) != NULL)
    plannr_harness_cancel_request (req);

  plannr_harness_account_delete (fx->account);
  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL; )
    {
      PurpleBlistNode *next = purple_blist_node_get_sibling_next (node);

      purple_blist_remove_group ((PurpleGroup *) node);
      node = next;
    }
  g_clear_pointer (&fx->world, world_free);
}

/* --- waiting for the world -------------------------------------------------- */

typedef struct
{
  WorldFixture *fx;
  const char   *uuid;
} ListedQuery;

static gboolean
listed_cb (gpointer data)
{
  ListedQuery *query = data;

  return plannr_harness_find_blist_chat (query->fx->account, query->uuid) != NULL;
}

static gboolean
unlisted_cb (gpointer data)
{
  return !listed_cb (data);
}

gboolean
world_wait_listed (WorldFixture *fx,
                   const char   *uuid,
                   guint         timeout_ms)
{
  ListedQuery query = { fx, uuid };

  return plannr_wait_until (listed_cb, &query, timeout_ms);
}

gboolean
world_wait_unlisted (WorldFixture *fx,
                     const char   *uuid,
                     guint         timeout_ms)
{
  ListedQuery query = { fx, uuid };

  return plannr_wait_until (unlisted_cb, &query, timeout_ms);
}

typedef struct
{
  WorldFixture *fx;
  const char   *contents;
} StoredQuery;

static gboolean
stored_cb (gpointer data)
{
  StoredQuery *query = data;

  return plannr_fake_count_messages_with (query->fx->world->fake, WORLD_CONV, query->contents) > 0;
}

gboolean
world_wait_stored (WorldFixture *fx,
                   const char   *contents,
                   guint         timeout_ms)
{
  StoredQuery query = { fx, contents };

  return plannr_wait_until (stored_cb, &query, timeout_ms);
}

guint
world_count (WorldFixture *fx,
             const char   *method,
             const char   *glob)
{
  return plannr_fake_count_requests (fx->world->fake, method, glob);
}

typedef struct
{
  WorldFixture *fx;
  const char   *method;
  const char   *glob;
  guint         at_least;
} CountQuery;

static gboolean
counted_cb (gpointer data)
{
  CountQuery *query = data;

  return world_count (query->fx, query->method, query->glob) >= query->at_least;
}

gboolean
world_wait_count (WorldFixture *fx,
                  const char   *method,
                  const char   *glob,
                  guint         at_least,
                  guint         timeout_ms)
{
  CountQuery query = { fx, method, glob, at_least };

  return plannr_wait_until (counted_cb, &query, timeout_ms);
}

gboolean
world_find_message (WorldFixture *fx,
                    const char   *conversation_uuid,
                    const char   *contents,
                    char        **uuid,
                    GDateTime   **created_at)
{
  g_autofree char *dump = plannr_fake_dump (fx->world->fake);
  g_autoptr(JsonNode) root = json_from_string (dump, NULL);
  JsonArray *conversations;
  gboolean found = FALSE;

  g_assert_nonnull (root);
  conversations = json_object_get_array_member (json_node_get_object (root), "conversations");
  for (guint i = 0; i < json_array_get_length (conversations); i++)
    {
      JsonObject *conv = json_array_get_object_element (conversations, i);
      JsonArray *messages = json_object_get_array_member (conv, "messages");

      if (g_strcmp0 (json_object_get_string_member (conv, "uuid"), conversation_uuid) != 0)
        continue;
      for (guint j = 0; messages != NULL && j < json_array_get_length (messages); j++)
        {
          JsonObject *message = json_array_get_object_element (messages, j);

          if (g_strcmp0 (json_object_get_string_member (message, "contents"), contents) != 0)
            continue;
          if (uuid != NULL)
            {
              g_free (*uuid);
              *uuid = g_strdup (json_object_get_string_member (message, "uuid"));
            }
          if (created_at != NULL)
            {
              g_clear_pointer (created_at, g_date_time_unref);
              *created_at = g_date_time_new_from_iso8601 (json_object_get_string_member (message, "created_at"),
                                                          NULL);
              g_assert_nonnull (*created_at);
            }
          found = TRUE;
        }
    }
  return found;
}

char *
world_message_uuid (WorldFixture *fx,
                    const char   *conversation_uuid,
                    const char   *contents)
{
  char *uuid = NULL;

  g_assert_true (world_find_message (fx, conversation_uuid, contents, &uuid, NULL));
  return uuid;
}

char *
world_message_time (WorldFixture *fx,
                    const char   *conversation_uuid,
                    const char   *contents,
                    const char   *format)
{
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_assert_true (world_find_message (fx, conversation_uuid, contents, NULL, &created));
  local = g_date_time_to_local (created);
  return g_date_time_format (local, format);
}

void
world_run_chat_polls (WorldFixture *fx,
                      guint         n)
{
  guint polls = world_count (fx, "GET", WORLD_MESSAGES_PATH);

  g_assert_true (world_wait_count (fx, "GET", WORLD_MESSAGES_PATH, polls + n, WORLD_POLL_WAIT_MS));
  plannr_wait_for_ms (300);
}

/* --- signing in and joining ------------------------------------------------- */

void
world_sign_in (WorldFixture *fx)
{
  plannr_harness_connect (fx->account);
  g_assert_true (plannr_harness_wait_connected (fx->account, WORLD_WAIT_MS));
}

void
world_sign_in_listed (WorldFixture *fx)
{
  world_sign_in (fx);
  g_assert_true (world_wait_listed (fx, WORLD_CONV, WORLD_WAIT_MS));
  g_assert_true (world_wait_listed (fx, WORLD_CONV2, WORLD_WAIT_MS));
}

static gboolean
has_users_cb (gpointer data)
{
  return purple_conv_chat_get_users (PURPLE_CONV_CHAT ((PurpleConversation *) data)) != NULL;
}

/* What a failed join saw, for the log of a run that cannot be repeated
 * at will: the requests and their answers, the chat's lines, and the
 * end of libpurple's debug log. */
void
world_print_requests (PlannrFake *fake,
                      guint       from,
                      const char *label)
{
  GPtrArray *requests = plannr_fake_get_requests (fake);

  for (guint i = from; i < requests->len; i++)
    {
      const PlannrFakeRequest *request = g_ptr_array_index (requests, i);

      g_printerr ("%s: %s %s%s%s -> %u\n", label, request->method, request->path,
                  request->query ? "?" : "", request->query ? request->query : "",
                  request->status);
    }
}

static void
report_join (PlannrFake *fake)
{
  GPtrArray *lines = plannr_harness_get_lines ();
  const char *debug = plannr_harness_get_debug_log ();
  gsize length = strlen (debug);

  if (fake != NULL)
    world_print_requests (fake, 0, "request");
  for (guint i = 0; i < lines->len; i++)
    g_printerr ("chat line: %s\n", ((PlannrHarnessLine *) g_ptr_array_index (lines, i))->message);
  g_printerr ("debug log, its end:\n%s\n", debug + (length > 8000 ? length - 8000 : 0));
}

static PurpleConversation *
join (PurpleAccount *account,
      PlannrFake    *fake,
      const char    *uuid,
      const char    *title,
      const char    *last_line)
{
  PurpleConversation *conv;
  gboolean ok;

  plannr_harness_join_chat (account, uuid);
  ok = plannr_harness_wait_chat (account, title, WORLD_WAIT_MS);
  conv = ok ? plannr_harness_find_chat (account, title) : NULL;
  ok = conv != NULL && plannr_wait_until (has_users_cb, conv, WORLD_WAIT_MS);
  ok = ok && (last_line == NULL || plannr_harness_wait_line (last_line, WORLD_WAIT_MS));
  if (!ok)
    {
      report_join (fake);
      g_error ("joining “%s” did not show %s with its participants%s%s", title,
               conv ? "the chat" : "a chat", last_line ? " and the line " : "",
               last_line ? last_line : "");
    }
  return conv;
}

PurpleConversation *
world_join_account (PurpleAccount *account,
                    const char    *uuid,
                    const char    *title,
                    const char    *last_line)
{
  return join (account, NULL, uuid, title, last_line);
}

PurpleConversation *
world_join (WorldFixture *fx,
            const char   *uuid,
            const char   *title,
            const char   *last_line)
{
  fx->conv = join (fx->account, fx->world->fake, uuid, title, last_line);
  return fx->conv;
}

PurpleConversation *
world_open_chat (WorldFixture *fx,
                 const char   *last_line)
{
  world_sign_in_listed (fx);
  return world_join (fx, WORLD_CONV, "Annual Review", last_line);
}

/* --- the user's entry points ------------------------------------------------ */

PurplePlugin *
world_prpl (void)
{
  PurplePlugin *prpl = purple_find_prpl ("prpl-plannr");

  g_assert_nonnull (prpl);
  return prpl;
}

PurplePluginProtocolInfo *
world_prpl_info (void)
{
  return PURPLE_PLUGIN_PROTOCOL_INFO (world_prpl ());
}

void
world_type_line (PurpleConversation *conv,
                 const char         *typed)
{
  g_autofree char *markup = g_markup_escape_text (typed, -1);

  plannr_harness_send_chat (conv, markup);
}

void
world_run_command (PurpleConversation *conv,
                   const char         *cmdline)
{
  g_autofree char *error = NULL;
  gboolean ok = plannr_harness_do_command (conv, cmdline, &error);

  g_assert_null (error);
  g_assert_true (ok);
}

void
world_run_menu_action (WorldFixture *fx,
                       const char   *uuid,
                       const char   *label)
{
  PurpleBlistNode *node = PURPLE_BLIST_NODE (plannr_harness_find_blist_chat (fx->account, uuid));
  PurplePluginProtocolInfo *info = world_prpl_info ();
  GList *actions;
  gboolean found = FALSE;

  g_assert_nonnull (node);
  g_assert_nonnull (info->blist_node_menu);
  actions = info->blist_node_menu (node);
  for (GList *l = actions; l != NULL; l = l->next)
    {
      PurpleMenuAction *action = l->data;

      if (action == NULL || g_strcmp0 (action->label, label) != 0)
        continue;
      g_assert_nonnull (action->callback);
      ((void (*) (PurpleBlistNode *, gpointer)) action->callback) (node, action->data);
      found = TRUE;
      break;
    }
  g_list_free_full (actions, (GDestroyNotify) purple_menu_action_free);
  g_assert_true (found);
}

void
world_run_account_action (WorldFixture *fx,
                          const char   *label)
{
  PurplePlugin *plugin = world_prpl ();
  PurpleConnection *gc = purple_account_get_connection (fx->account);
  GList *actions;
  gboolean found = FALSE;

  g_assert_nonnull (gc);
  g_assert_true (PURPLE_PLUGIN_HAS_ACTIONS (plugin));
  actions = PURPLE_PLUGIN_ACTIONS (plugin, gc);
  for (GList *l = actions; l != NULL; l = l->next)
    {
      PurplePluginAction *action = l->data;

      if (found || action == NULL || g_strcmp0 (action->label, label) != 0)
        continue;
      /* As Pidgin and Finch fill it in before calling. */
      action->plugin = plugin;
      action->context = gc;
      action->callback (action);
      found = TRUE;
    }
  g_list_free_full (actions, (GDestroyNotify) purple_plugin_action_free);
  g_assert_true (found);
}

gboolean
world_has_menu_action (WorldFixture *fx,
                       const char   *uuid,
                       const char   *label)
{
  PurpleBlistNode *node = PURPLE_BLIST_NODE (plannr_harness_find_blist_chat (fx->account, uuid));
  GList *actions;
  gboolean found = FALSE;

  g_assert_nonnull (node);
  actions = world_prpl_info ()->blist_node_menu (node);
  for (GList *l = actions; l != NULL; l = l->next)
    found = found || (l->data != NULL && g_strcmp0 (((PurpleMenuAction *) l->data)->label, label) == 0);
  g_list_free_full (actions, (GDestroyNotify) purple_menu_action_free);
  return found;
}

/* --- what the server was sent ------------------------------------------------ */

void
world_assert_headers (const PlannrFakeRequest *request)
{
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                   "Bearer " WORLD_TOKEN);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept"), ==,
                   "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Content-Type"), ==,
                   "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-PLANNR-ACCOUNT-UUID"), ==,
                   WORLD_ME);
}

void
world_assert_body (const PlannrFakeRequest *request,
                   const char              *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) got = json_from_string (request->body, &error);
  g_autoptr(JsonNode) want = json_from_string (json, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_nonnull (want);
  if (!json_node_equal (got, want))
    g_error ("%s %s: body %s, expected %s", request->method, request->path, request->body, json);
}

void
world_assert_json_body (const PlannrFakeRequest *request,
                        const char              *member,
                        const char              *value)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *node;

  json_parser_load_from_data (parser, request->body, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  /* That member and nothing else. */
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  node = json_object_get_member (object, member);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, value);
}
