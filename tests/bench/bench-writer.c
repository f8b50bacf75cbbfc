/* bench-writer.c: other participants write at random moments
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   plannr-bench-writer --base-url URL --output FILE --seed S --duration MS
 *                       --events K --tag T --open I,I,... [--closed I,I,...]
 *                       [--soak]
 *
 * Posts K events at moments drawn from a PRNG seeded with S, spread
 * uniformly over MS milliseconds of wall time, through the fake's
 * control routes (not rate limited, not in the request log), each by
 * the conversation's client.  The schedule (times, conversations,
 * kinds) depends only on S, K, MS and the lists, never on timing, so
 * two runs with the same arguments write the same.
 *
 * Latency (default): half the messages go to the conversations of
 * --open, half to those of --closed, in a seeded order; message k reads
 * "T-kkkk: ...".  --soak: every conversation is in --open; 60 % of the
 * events are messages, 25 % edits of a message posted before (by this
 * writer), 15 % renames.
 *
 * Each event becomes one line of FILE, written when the server has
 * accepted it (the control call returned):
 *
 *   MSG k open|closed conv-index conv-uuid message-uuid accepted-µs
 *   EDIT k conv-index conv-uuid message-uuid accepted-µs
 *   RENAME k conv-index conv-uuid - accepted-µs
 *
 * with accepted-µs on the monotonic clock, which every process of the
 * machine shares.  A process of its own, so that the benchmark's CPU
 * time is the plugin's alone.
 */
#include "bench-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

typedef enum
{
  EVENT_MESSAGE,
  EVENT_EDIT,
  EVENT_RENAME,
} EventKind;

typedef struct
{
  gint64     at;        /* µs after the start */
  EventKind  kind;
  gboolean   open;      /* latency: into a conversation of --open */
  guint      conv;      /* conversation index */
  int        target;    /* edit: the event whose message it edits */
} Event;

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *ea = a, *eb = b;

  return (ea->at > eb->at) - (ea->at < eb->at);
}

static GArray *
parse_indices (const char *list)
{
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) parts = g_strsplit (list ? list : "", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      {
        guint index = (guint) g_ascii_strtoull (parts[i], NULL, 10);

        g_array_append_val (indices, index);
      }
  return indices;
}

/* One control call; the answer's "uuid", if any. */
static gboolean
control (SoupSession *session,
         const char  *method,
         const char  *url,
         const char  *json,
         char       **uuid,
         GError     **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) answer = NULL;
  guint status;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, NULL, error);
  if (answer == NULL)
    return FALSE;
  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s answered %u", method, url, status);
      return FALSE;
    }
  if (uuid != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      *uuid = NULL;
      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                      g_bytes_get_size (answer), NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        *uuid = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                      "uuid", NULL));
      if (*uuid == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: no uuid in the answer", method, url);
          return FALSE;
        }
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- other participants write");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *output = NULL;
  g_autofree char *open_list = NULL;
  g_autofree char *closed_list = NULL;
  g_autofree char *tag = NULL;
  g_autoptr(GArray) open = NULL;
  g_autoptr(GArray) closed = NULL;
  g_autoptr(GArray) events = NULL;
  g_autoptr(GPtrArray) uuids = NULL;   /* event k -> message uuid, or NULL */
  g_autoptr(GRand) rand = NULL;
  int seed = 1, duration = 60000, count = 40;
  gboolean soak = FALSE;
  gint64 start;
  FILE *out;
  GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, "The fake server", "URL" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Where the lines go", "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "The PRNG's seed", "S" },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, "Over how long, ms of wall time", "MS" },
    { "events", 0, 0, G_OPTION_ARG_INT, &count, "How many events", "K" },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, "What messages start with", "T" },
    { "open", 0, 0, G_OPTION_ARG_STRING, &open_list, "Conversations open in the client", "I,I" },
    { "closed", 0, 0, G_OPTION_ARG_STRING, &closed_list, "Conversations not open", "I,I" },
    { "soak", 0, 0, G_OPTION_ARG_NONE, &soak, "Messages, edits and renames", NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  open = parse_indices (open_list);
  closed = parse_indices (closed_list);
  if (base_url == NULL || output == NULL || tag == NULL || open->len == 0 ||
      (!soak && closed->len == 0) || count < 1 || count > 9999 || duration < 1)
    {
      g_printerr ("%s: need --base-url, --output, --tag, --open (and --closed without --soak), "
                  "1 <= K <= 9999\n", g_get_prgname ());
      return 2;
    }

  /* The whole schedule first, from the seed alone. */
  rand = g_rand_new_with_seed ((guint32) seed);
  events = g_array_new (FALSE, TRUE, sizeof (Event));
  for (int k = 0; k < count; k++)
    {
      Event event = { 0 };

      event.at = (gint64) (g_rand_double (rand) * duration * 1000);
      event.target = -1;
      if (soak)
        {
          double kind = g_rand_double (rand);

          event.kind = kind < 0.60 ? EVENT_MESSAGE : kind < 0.85 ? EVENT_EDIT : EVENT_RENAME;
          event.open = TRUE;
          event.conv = g_array_index (open, guint, g_rand_int_range (rand, 0, open->len));
        }
      else
        {
          /* Exactly half and half, in a seeded order (below). */
          event.kind = EVENT_MESSAGE;
          event.open = k % 2 == 0;
        }
      g_array_append_val (events, event);
    }
  g_array_sort (events, compare_events);
  for (guint k = 0; k < events->len; k++)
    {
      Event *event = &g_array_index (events, Event, k);

      if (!soak)
        {
          /* Shuffle the kinds over the sorted times. */
          guint other = (guint) g_rand_int_range (rand, (gint32) k, (gint32) events->len);
          gboolean swap = g_array_index (events, Event, other).open;

          g_array_index (events, Event, other).open = event->open;
          event->open = swap;
          event->conv = event->open
            ? g_array_index (open, guint, g_rand_int_range (rand, 0, open->len))
            : g_array_index (closed, guint, g_rand_int_range (rand, 0, closed->len));
        }
      else if (event->kind == EVENT_EDIT)
        {
          /* A message posted before, by this writer; else a message. */
          guint messages = 0;

          for (guint j = 0; j < k; j++)
            messages += g_array_index (events, Event, j).kind == EVENT_MESSAGE;
          if (messages == 0)
            event->kind = EVENT_MESSAGE;
          else
            {
              guint pick = (guint) g_rand_int_range (rand, 0, messages);

              for (guint j = 0; j < k; j++)
                if (g_array_index (events, Event, j).kind == EVENT_MESSAGE && pick-- == 0)
                  {
                    event->target = (int) j;
                    event->conv = g_array_index (events, Event, j).conv;
                    break;
                  }
            }
        }
    }

  out = fopen (output, "w");
  if (out == NULL)
    {
      g_printerr ("%s: cannot write %s\n", g_get_prgname (), output);
      return 1;
    }
  uuids = g_ptr_array_new_with_free_func (g_free);
  session = soup_session_new ();
  start = g_get_monotonic_time ();
  for (guint k = 0; k < events->len; k++)
    {
      Event *event = &g_array_index (events, Event, k);
      g_autofree char *conv_uuid = bench_conversation_uuid (event->conv);
      g_autofree char *author = bench_client_uuid (event->conv);
      g_autofree char *url = NULL;
      g_autofree char *json = NULL;
      g_autofree char *uuid = NULL;
      gint64 wait = start + event->at - g_get_monotonic_time ();
      gint64 accepted;
      gboolean ok;

      if (wait > 0)
        g_usleep (wait);
      switch (event->kind)
        {
        case EVENT_MESSAGE:
          url = g_strdup_printf ("%s/_fake/conversation/%s/messages", base_url, conv_uuid);
          json = g_strdup_printf ("{\"author\": \"%s\", \"contents\": \"%s-%04u: a message "
                                  "written at a random moment, about the file.\"}", author, tag, k);
          ok = control (session, "POST", url, json, &uuid, &error);
          break;
        case EVENT_EDIT:
          uuid = g_strdup (g_ptr_array_index (uuids, event->target));
          url = g_strdup_printf ("%s/_fake/conversation/%s/messages/%s", base_url, conv_uuid, uuid);
          json = g_strdup_printf ("{\"contents\": \"%s-%04d edited as %s-%04u: the corrected "
                                  "text.\"}", tag, event->target, tag, k);
          ok = control (session, "PUT", url, json, NULL, &error);
          break;
        case EVENT_RENAME:
        default:
          url = g_strdup_printf ("%s/_fake/conversation/%s", base_url, conv_uuid);
          json = g_strdup_printf ("{\"name\": \"File %05u, renamed %s-%04u\"}", event->conv, tag, k);
          ok = control (session, "PUT", url, json, NULL, &error);
          break;
        }
      accepted = g_get_monotonic_time ();
      if (!ok)
        {
          g_printerr ("%s: event %u: %s\n", g_get_prgname (), k, error->message);
          fclose (out);
          return 1;
        }
      if (event->kind == EVENT_MESSAGE)
        fprintf (out, "MSG %u %s %u %s %s %" G_GINT64_FORMAT "\n", k,
                 event->open ? "open" : "closed", event->conv, conv_uuid, uuid, accepted);
      else if (event->kind == EVENT_EDIT)
        fprintf (out, "EDIT %u %u %s %s %" G_GINT64_FORMAT "\n", k, event->conv, conv_uuid,
                 uuid, accepted);
      else
        fprintf (out, "RENAME %u %u %s - %" G_GINT64_FORMAT "\n", k, event->conv, conv_uuid, accepted);
      fflush (out);
      g_ptr_array_add (uuids, event->kind == EVENT_MESSAGE ? g_steal_pointer (&uuid) : NULL);
    }
  /* The events are spread over the whole duration: wait for its end. */
  {
    gint64 wait = start + (gint64) duration * 1000 - g_get_monotonic_time ();

    if (wait > 0)
      g_usleep (wait);
  }
  fclose (out);
  return EXIT_SUCCESS;
}
