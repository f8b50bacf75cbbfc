/* plannr-fake-server.c: the fake Plannr server as a program
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   plannr-fake-server [--port N] [--data FILE] [--rate-limit N] [--time ISO]
 *                      [--colleague] [--shapes SPEC] [--wrap-resources]
 *                      [--clamp-per-page N] [--empty-2xx]
 *                      [--time-format offset|utc-micro|utc-bare] [--json-charset]
 *
 * The shape switches (plannr-fake.h) add to $PLANNR_FAKE_SHAPES, which
 * plannr_fake_new() reads; --shapes takes the same comma list.
 *
 * Prints "base-url: URL" and "token: TOKEN" (the first seeded user's, empty
 * without data) as its first two lines, so that scripts can read them
 * before they talk to it, then serves until SIGINT or SIGTERM.  The
 * control routes under /_fake/ are described in plannr-fake.c.
 */

#include "plannr-fake.h"
#include "plannr-fake-colleague.h"

#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a fake Plannr CRM API server");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrFake) fake = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *data = NULL;
  g_autofree char *time = NULL;
  int port = 0;
  int rate_limit = -1;
  gboolean colleague = FALSE;
  g_autofree char *shapes = NULL;
  gboolean wrap = FALSE;
  int clamp = 0;
  gboolean empty = FALSE;
  g_autofree char *time_format = NULL;
  gboolean charset = FALSE;
  g_autoptr(PlannrFakeColleague) sim = NULL;
  guint sigint_id, sigterm_id;
  const char *token;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free one)", "N" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, "Seed data (the format of seed.json)", "FILE" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate_limit, "Requests per minute per user (default 500)", "N" },
    { "time", 0, 0, G_OPTION_ARG_STRING, &time, "Start the fake clock at this ISO 8601 time", "TIME" },
    { "colleague", 0, 0, G_OPTION_ARG_NONE, &colleague,
      "Simulate a colleague who answers, edits and renames now and then", NULL },
    { "shapes", 0, 0, G_OPTION_ARG_STRING, &shapes,
      "Laravel shapes, as PLANNR_FAKE_SHAPES (e.g. laravel, or wrap,clamp=15)", "SPEC" },
    { "wrap-resources", 0, 0, G_OPTION_ARG_NONE, &wrap, "Answer single resources as {\"data\": {...}}", NULL },
    { "clamp-per-page", 0, 0, G_OPTION_ARG_INT, &clamp, "Lower a larger per_page to N silently", "N" },
    { "empty-2xx", 0, 0, G_OPTION_ARG_NONE, &empty,
      "Answer successful writes without a body (201, 204)", NULL },
    { "time-format", 0, 0, G_OPTION_ARG_STRING, &time_format,
      "Write times as offset (default), utc-micro or utc-bare", "FORMAT" },
    { "json-charset", 0, 0, G_OPTION_ARG_NONE, &charset,
      "Send Content-Type: application/json; charset=utf-8", NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("%s: --port must be 0..65535\n", g_get_prgname ());
      return 2;
    }

  /* The parent reads the two first lines through a pipe, where stdout
   * would otherwise be fully buffered. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  fake = plannr_fake_new ();
  if (data != NULL && !plannr_fake_load_file (fake, data, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  if (time != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (time, NULL);

      if (dt == NULL)
        {
          g_printerr ("%s: --time needs an ISO 8601 time with an offset\n", g_get_prgname ());
          return 2;
        }
      plannr_fake_set_time (fake, time);
    }
  if (rate_limit >= 0)
    plannr_fake_set_rate_limit (fake, rate_limit);
  if (shapes != NULL && !plannr_fake_set_shapes (fake, shapes, &error))
    {
      g_printerr ("%s: --shapes: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (wrap)
    plannr_fake_set_wrap_resources (fake, TRUE);
  if (clamp < 0 || clamp > 500)
    {
      g_printerr ("%s: --clamp-per-page must be 1..500 (0: off)\n", g_get_prgname ());
      return 2;
    }
  if (clamp > 0)
    plannr_fake_set_clamp_per_page (fake, clamp);
  if (empty)
    plannr_fake_set_empty_2xx (fake, TRUE);
  if (time_format != NULL)
    {
      g_autofree char *word = g_strconcat ("time=", time_format, NULL);

      if (!plannr_fake_set_shapes (fake, word, NULL))
        {
          g_printerr ("%s: --time-format must be offset, utc-micro or utc-bare\n", g_get_prgname ());
          return 2;
        }
    }
  if (charset)
    plannr_fake_set_json_charset (fake, TRUE);
  if (!plannr_fake_listen (fake, port, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }

  token = plannr_fake_get_user_token (fake, 0);
  printf ("base-url: %s\n", plannr_fake_get_base_url (fake));
  printf ("token: %s\n", token != NULL ? token : "");
  fflush (stdout);

  if (colleague)
    sim = plannr_fake_colleague_new (fake, 1000);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return EXIT_SUCCESS;
}
