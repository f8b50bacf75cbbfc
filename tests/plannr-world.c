/* plannr-world.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "plannr-harness.h"
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

void
world_fixture_setup (WorldFixture *fx,
                     guint         messages)
{
  plannr_harness_clear_lines ();
  plannr_harness_clear_notices ();
  plannr_harness_clear_errors ();
  plannr_harness_clear_debug_log ();
  fx->world = world_new (FALSE, messages);
  fx->account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN,
                                            fx->world->base_url, WORLD_ME);
  purple_account_set_int (fx->account, "poll-interval", 1);
  purple_account_set_int (fx->account, "chat-poll-interval", 1);
  fx->conv = NULL;
}

void
world_fixture_teardown (WorldFixture *fx)
{
  PlannrHarnessRequest *req;

  /* A request a failed test left behind must not reach the next test. */
  while ((req = plannr_harness_wait_request (0)) != NULL)
    plannr_harness_cancel_request (req);

  plannr_harness_disconnect (fx->account);
  purple_accounts_delete (fx->account);
  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL; )
    {
      PurpleBlistNode *next = purple_blist_node_get_sibling_next (node);

      purple_blist_remove_group ((PurpleGroup *) node);
      node = next;
    }
  g_clear_pointer (&fx->world, world_free);
}

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
