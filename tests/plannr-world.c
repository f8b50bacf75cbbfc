/* plannr-world.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
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
world_free (World *world)
{
  plannr_fake_free (world->fake);
  g_free (world->base_url);
  g_free (world);
}
