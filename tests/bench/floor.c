/* floor.c: the cheapest client doing a scenario's HTTP work
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   plannr-bench-floor --base-url URL --mode MODE [--uuids U,U,...]
 *                      [--inbox K] [--chat L] [--duration MS] [--parse]
 *                      [--interval MS --seed S --output FILE]
 *
 * One libsoup 3 session on a GLib main loop, the same headers as the
 * plugin, and nothing else: bodies are read in 64 KiB chunks and thrown
 * away.  The modes are the minimal request sets of the scenarios:
 *
 *   signin  GET /me, then the conversation list in pages of 500
 *           (sort=-latest_message, the plugin's include list), one
 *           after another until the page whose links.next is null
 *   open    for each uuid: the conversation with participants and the
 *           newest 50 messages; at most 4 requests at once
 *   idle    for --duration ms, K inbox polls (page 1 of 20,
 *           sort=-updated_at) and L polls of each uuid's newest 20
 *           messages, evenly spread, as a client that polls no more than
 *           the plugin does once backed off; it runs beside the plugin
 *   burst   the 50 most recent conversations, then each uuid's newest
 *           20 messages; at most 4 at once
 *   inbox   the floor of the latency scenarios: the ideal poller, which
 *           spends every request on the inbox page (page 1 of 20,
 *           sort=-updated_at) and sees each conversation's latest
 *           message in it.  It polls every --interval ms, the first
 *           time at a phase drawn from --seed, for --duration ms, parses
 *           each page and writes to --output one line per poll:
 *             POLL start-µs end-µs conv-uuid=latest-uuid ...
 *           (monotonic clock), from which the benchmark tells when it
 *           would have shown each message.
 *
 * With --parse it also parses every body with json-glib, as any client
 * of this API must: the floor of a client that reads what it gets.
 *
 * It prints one line: FLOOR wall_us=... cpu_us=... maxrss_kib=...
 * stall_us=... busy_us=... requests=... body_bytes=..., measured with
 * the same stall probe as the benchmark, and exits 1 if any request
 * failed.
 */
#include "bench-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define CHUNK (64 * 1024)
#define BENCH_AUTH "Bearer " BENCH_TOKEN
#define TAIL  2048
#define MAX_IN_FLIGHT 4    /* PLANNR_API_MAX_IN_FLIGHT */

typedef struct
{
  SoupSession *session;
  GMainLoop   *loop;
  const char  *base_url;
  GQueue       queue;          /* char *: path?query still to fetch */
  guint        in_flight;
  guint        max_in_flight;
  GPtrArray   *later;          /* char *: after the queue ran dry */
  gboolean     paging;         /* signin: the list pages follow /me */
  guint        page;
  guint        requests;
  guint64      body_bytes;
  gboolean     failed;
  gboolean     running;        /* idle: until the duration is over */
  gboolean     parse;
  char       **uuids;
} Floor;

typedef struct
{
  Floor        *floor;
  SoupMessage  *msg;
  GInputStream *stream;
  char         *buffer;
  GString      *tail;          /* the end of the body, for links.next */
  GByteArray   *body;          /* --parse: all of it */
  gboolean      list_page;
} Fetch;

static void start_next (Floor *floor);

static void
set_headers (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", BENCH_AUTH);
  soup_message_headers_replace (headers, "X-PLANNR-ACCOUNT-UUID", BENCH_ME);
  soup_message_headers_replace (headers, "Accept", "application/json");
}

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->stream);
  g_free (fetch->buffer);
  g_string_free (fetch->tail, TRUE);
  if (fetch->body != NULL)
    g_byte_array_unref (fetch->body);
  g_free (fetch);
}

static char *
list_page_path (guint page)
{
  return g_strdup_printf ("/api/v1/conversation?sort=-latest_message&per_page=500&page=%u&include=%s",
                          page, BENCH_LIST_INCLUDE);
}

static void
fetch_done (Fetch *fetch)
{
  Floor *floor = fetch->floor;

  floor->in_flight--;
  /* A page says whether another follows in its links; a page that is
   * not the last has "next" pointing somewhere. */
  if (fetch->list_page && !floor->failed &&
      strstr (fetch->tail->str, "\"next\":null") == NULL &&
      strstr (fetch->tail->str, "\"next\": null") == NULL)
    g_queue_push_tail (&floor->queue, list_page_path (++floor->page));
  else if (floor->paging && !fetch->list_page && floor->page == 0)
    g_queue_push_tail (&floor->queue, list_page_path (++floor->page));
  fetch_free (fetch);
  start_next (floor);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      g_printerr ("floor: reading a body: %s\n", error->message);
      fetch->floor->failed = TRUE;
      fetch_done (fetch);
      return;
    }
  if (n == 0)
    {
      g_input_stream_close (fetch->stream, NULL, NULL);
      if (fetch->body != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) parse_error = NULL;

          if (!json_parser_load_from_data (parser, (const char *) fetch->body->data,
                                           fetch->body->len, &parse_error))
            {
              g_printerr ("floor: %s\n", parse_error->message);
              fetch->floor->failed = TRUE;
            }
        }
      fetch_done (fetch);
      return;
    }

  fetch->floor->body_bytes += n;
  if (fetch->body != NULL)
    g_byte_array_append (fetch->body, (const guint8 *) fetch->buffer, n);
  if (fetch->list_page)
    {
      g_string_append_len (fetch->tail, fetch->buffer, n);
      if (fetch->tail->len > TAIL)
        g_string_erase (fetch->tail, 0, fetch->tail->len - TAIL);
    }
  g_input_stream_read_async (fetch->stream, fetch->buffer, CHUNK, G_PRIORITY_DEFAULT,
                             NULL, read_cb, fetch);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  guint status;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (fetch->stream == NULL)
    {
      g_printerr ("floor: %s\n", error->message);
      fetch->floor->failed = TRUE;
      fetch_done (fetch);
      return;
    }
  status = soup_message_get_status (fetch->msg);
  if (status != SOUP_STATUS_OK)
    {
      g_printerr ("floor: %s answered %u\n",
                  g_uri_get_path (soup_message_get_uri (fetch->msg)), status);
      fetch->floor->failed = TRUE;
    }
  fetch->buffer = g_malloc (CHUNK);
  g_input_stream_read_async (fetch->stream, fetch->buffer, CHUNK, G_PRIORITY_DEFAULT,
                             NULL, read_cb, fetch);
}

static void
start_next (Floor *floor)
{
  while (floor->in_flight < floor->max_in_flight)
    {
      g_autofree char *path = g_queue_pop_head (&floor->queue);
      g_autofree char *url = NULL;
      Fetch *fetch;

      if (path == NULL && floor->in_flight == 0 && floor->later != NULL && floor->later->len > 0)
        {
          /* The next stage starts when the previous one is done. */
          for (guint i = 0; i < floor->later->len; i++)
            g_queue_push_tail (&floor->queue, g_strdup (g_ptr_array_index (floor->later, i)));
          g_ptr_array_set_size (floor->later, 0);
          path = g_queue_pop_head (&floor->queue);
        }
      if (path == NULL)
        break;

      url = g_strconcat (floor->base_url, path, NULL);
      fetch = g_new0 (Fetch, 1);
      fetch->floor = floor;
      fetch->tail = g_string_new (NULL);
      if (floor->parse)
        fetch->body = g_byte_array_new ();
      fetch->list_page = floor->paging && g_str_has_prefix (path, "/api/v1/conversation?");
      fetch->msg = soup_message_new ("GET", url);
      set_headers (fetch->msg);
      floor->in_flight++;
      floor->requests++;
      soup_session_send_async (floor->session, fetch->msg, G_PRIORITY_DEFAULT, NULL,
                               send_cb, fetch);
    }

  if (floor->in_flight == 0 && g_queue_is_empty (&floor->queue) && !floor->running)
    g_main_loop_quit (floor->loop);
}

static char *
inbox_path (void)
{
  return g_strdup_printf ("/api/v1/conversation?sort=-updated_at&per_page=20&page=1&include=%s",
                          BENCH_LIST_INCLUDE);
}

static char *
messages_path (const char *uuid,
               guint       per_page)
{
  return g_strdup_printf ("/api/v1/conversation/%s/messages?sort=-created_at&per_page=%u&page=1",
                          uuid, per_page);
}

static gboolean
inbox_cb (gpointer user_data)
{
  Floor *floor = user_data;

  g_queue_push_tail (&floor->queue, inbox_path ());
  start_next (floor);
  return G_SOURCE_REMOVE;
}

static gboolean
chats_cb (gpointer user_data)
{
  Floor *floor = user_data;

  for (guint i = 0; floor->uuids[i] != NULL && *floor->uuids[i] != '\0'; i++)
    g_queue_push_tail (&floor->queue, messages_path (floor->uuids[i], 20));
  start_next (floor);
  return G_SOURCE_REMOVE;
}

static gboolean
over_cb (gpointer user_data)
{
  Floor *floor = user_data;

  floor->running = FALSE;
  start_next (floor);
  return G_SOURCE_REMOVE;
}

static char *inbox_path (void);

/* The ideal poller: one request per interval, each the inbox page. */
static int
run_inbox (const char *base_url,
           int         interval_ms,
           int         duration_ms,
           int         seed,
           const char *output)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("user-agent", "plannr-bench-floor", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) seed);
  g_autofree char *path = inbox_path ();
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  gint64 start = g_get_monotonic_time ();
  gint64 next = start + (gint64) (g_rand_double (rand) * interval_ms * 1000);
  guint polls = 0;
  FILE *out;

  if (interval_ms < 1 || output == NULL || (out = fopen (output, "w")) == NULL)
    {
      g_printerr ("floor: inbox needs --interval and a writable --output\n");
      return 2;
    }
  while (next < start + (gint64) duration_ms * 1000)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      gint64 wait = next - g_get_monotonic_time ();
      gint64 sent, done;
      JsonNode *root;

      if (wait > 0)
        g_usleep (wait);
      set_headers (msg);
      sent = g_get_monotonic_time ();
      body = soup_session_send_and_read (session, msg, NULL, &error);
      done = g_get_monotonic_time ();
      polls++;
      /* Never two at once: the next is due an interval after this one
       * was, or now if this one took longer. */
      next = MAX (next + (gint64) interval_ms * 1000, done);
      if (body == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
        {
          g_printerr ("floor: inbox poll: %s\n", error ? error->message : soup_message_get_reason_phrase (msg));
          continue;
        }
      fprintf (out, "POLL %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, sent, done);
      if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *top = json_node_get_object (root);
          JsonArray *items = json_object_has_member (top, "data") &&
                             JSON_NODE_HOLDS_ARRAY (json_object_get_member (top, "data"))
                             ? json_object_get_array_member (top, "data") : NULL;

          for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
            {
              JsonNode *item = json_array_get_element (items, i);
              JsonObject *conv = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
              JsonNode *latest = conv ? json_object_get_member (conv, "latest_message") : NULL;

              if (conv == NULL || latest == NULL || !JSON_NODE_HOLDS_OBJECT (latest))
                continue;
              fprintf (out, " %s=%s", json_object_get_string_member_with_default (conv, "uuid", "-"),
                       json_object_get_string_member_with_default (json_node_get_object (latest), "uuid", "-"));
            }
        }
      fputc ('\n', out);
    }
  fclose (out);
  printf ("FLOOR polls=%u\n", polls);
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the floor for the benchmarks");
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *uuid_list = NULL;
  g_auto(GStrv) uuids = NULL;
  int inbox = 0, chat = 0, duration = 0, interval = 0, seed = 1;
  g_autofree char *output = NULL;
  gboolean parse = FALSE;
  Floor floor = { 0 };
  gint64 wall, cpu;
  GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, "The fake server", "URL" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "signin, open, idle or burst", "MODE" },
    { "uuids", 0, 0, G_OPTION_ARG_STRING, &uuid_list, "Conversations, comma separated", "U,U" },
    { "inbox", 0, 0, G_OPTION_ARG_INT, &inbox, "idle: inbox polls", "K" },
    { "chat", 0, 0, G_OPTION_ARG_INT, &chat, "idle: polls of each conversation", "L" },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, "idle: how long, ms", "MS" },
    { "parse", 0, 0, G_OPTION_ARG_NONE, &parse, "Parse every body with json-glib", NULL },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, "inbox: ms between polls", "MS" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "inbox: the seed of the first poll's phase", "S" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "inbox: where the polls are written", "FILE" },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (base_url == NULL || mode == NULL)
    {
      g_printerr ("%s: need --base-url and --mode\n", g_get_prgname ());
      return 2;
    }
  if (strcmp (mode, "inbox") == 0)
    return run_inbox (base_url, interval, duration, seed, output);

  uuids = g_strsplit (uuid_list ? uuid_list : "", ",", -1);
  floor.uuids = uuids;
  floor.parse = parse;

  g_queue_init (&floor.queue);
  floor.base_url = base_url;
  floor.max_in_flight = MAX_IN_FLIGHT;
  floor.later = g_ptr_array_new_with_free_func (g_free);
  floor.loop = g_main_loop_new (NULL, FALSE);

  if (strcmp (mode, "signin") == 0)
    {
      floor.paging = TRUE;
      floor.max_in_flight = 1;
      g_queue_push_tail (&floor.queue, g_strdup ("/api/v1/me"));
    }
  else if (strcmp (mode, "open") == 0)
    {
      for (guint i = 0; uuids[i] != NULL && *uuids[i] != '\0'; i++)
        {
          g_queue_push_tail (&floor.queue,
                             g_strdup_printf ("/api/v1/conversation/%s?include=participants", uuids[i]));
          g_queue_push_tail (&floor.queue, messages_path (uuids[i], 50));
        }
    }
  else if (strcmp (mode, "idle") == 0)
    {
      /* Each poll in the middle of its share of the window. */
      floor.running = TRUE;
      for (int k = 0; k < inbox; k++)
        g_timeout_add ((guint) ((k + 0.5) * duration / inbox), inbox_cb, &floor);
      for (int l = 0; l < chat; l++)
        g_timeout_add ((guint) ((l + 0.5) * duration / chat), chats_cb, &floor);
      g_timeout_add (MAX (duration, 1), over_cb, &floor);
    }
  else if (strcmp (mode, "burst") == 0)
    {
      g_queue_push_tail (&floor.queue,
                         g_strdup_printf ("/api/v1/conversation?sort=-latest_message&per_page=50&page=1&include=%s",
                                          BENCH_LIST_INCLUDE));
      for (guint i = 0; uuids[i] != NULL && *uuids[i] != '\0'; i++)
        g_ptr_array_add (floor.later, messages_path (uuids[i], 20));
    }
  else
    {
      g_printerr ("%s: unknown mode %s\n", g_get_prgname (), mode);
      return 2;
    }

  /* Measured from the session's creation, as the plugin's sign-in is. */
  wall = g_get_monotonic_time ();
  cpu = bench_cpu_us ();
  bench_probe_start ();
  floor.session = soup_session_new_with_options ("user-agent", "plannr-bench-floor",
                                                 "max-conns-per-host", MAX_IN_FLIGHT,
                                                 NULL);
  start_next (&floor);
  if (floor.in_flight > 0 || floor.running)
    g_main_loop_run (floor.loop);
  bench_probe_stop ();
  wall = g_get_monotonic_time () - wall;
  cpu = bench_cpu_us () - cpu;

  printf ("FLOOR wall_us=%" G_GINT64_FORMAT " cpu_us=%" G_GINT64_FORMAT
          " maxrss_kib=%" G_GINT64_FORMAT " stall_us=%" G_GINT64_FORMAT
          " busy_us=%" G_GINT64_FORMAT " requests=%u body_bytes=%" G_GUINT64_FORMAT "\n",
          wall, cpu, bench_peak_rss_kib (), bench_probe_max_us (FALSE),
          bench_probe_max_busy_us (FALSE), floor.requests, floor.body_bytes);

  g_object_unref (floor.session);
  g_main_loop_unref (floor.loop);
  g_ptr_array_unref (floor.later);
  return floor.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
