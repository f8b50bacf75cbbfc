/* bench-burst.c: the other participants write a burst of messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   plannr-bench-burst --base-url URL --first I --conversations C --messages K
 *
 * Posts K messages, as fast as the fake server takes them, round robin
 * over the conversations I .. I + C - 1 of the generated world, each by
 * that conversation's client, through the fake's control route (so they
 * count against no one's rate limit and are not in the request log).
 * Message k reads bench_burst_contents (k, K, conversation).  A process
 * of its own, so that the benchmark's CPU time is the plugin's alone.
 */
#include "bench-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsoup/soup.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a burst of messages");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *base_url = NULL;
  int first = 0, conversations = 50, messages = 1000;
  gint64 started;
  GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, "The fake server", "URL" },
    { "first", 0, 0, G_OPTION_ARG_INT, &first, "First conversation index", "I" },
    { "conversations", 0, 0, G_OPTION_ARG_INT, &conversations, "Conversations (default 50)", "C" },
    { "messages", 0, 0, G_OPTION_ARG_INT, &messages, "Messages in all (default 1000)", "K" },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (base_url == NULL || first < 0 || conversations < 1 || messages < 0 || messages > 9999)
    {
      g_printerr ("%s: need --base-url, C >= 1 and 0 <= K <= 9999\n", g_get_prgname ());
      return 2;
    }

  session = soup_session_new ();
  started = g_get_monotonic_time ();
  for (guint k = 0; k < (guint) messages; k++)
    {
      guint conversation = first + k % conversations;
      g_autofree char *uuid = bench_conversation_uuid (conversation);
      g_autofree char *author = bench_client_uuid (conversation);
      g_autofree char *contents = bench_burst_contents (k, messages, conversation);
      g_autofree char *url = g_strdup_printf ("%s/_fake/conversation/%s/messages", base_url, uuid);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autofree char *json = NULL;
      g_autofree char *escaped = g_strescape (contents, NULL);

      /* The contents are plain ASCII: g_strescape is JSON enough. */
      json = g_strdup_printf ("{\"author\": \"%s\", \"contents\": \"%s\"}", author, escaped);
      body = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      answer = soup_session_send_and_read (session, msg, NULL, &error);
      if (answer == NULL || soup_message_get_status (msg) != SOUP_STATUS_CREATED)
        {
          g_printerr ("%s: posting message %u: %s\n", g_get_prgname (), k,
                      error ? error->message : soup_message_get_reason_phrase (msg));
          return 1;
        }
    }
  printf ("BURST posted=%d wall_us=%" G_GINT64_FORMAT "\n", messages,
          g_get_monotonic_time () - started);
  return EXIT_SUCCESS;
}
