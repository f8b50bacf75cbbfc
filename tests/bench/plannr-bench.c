/* plannr-bench.c: the plugin against a big account, beside a floor
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   plannr-bench [--sizes 100,2000,10000] [--idle-seconds S] [--scale F]
 *                [--output FILE]
 *
 * Without --size this is the runner: it runs itself once per size, each
 * time in a fresh process (so that baselines and peaks are each size's
 * own), and prints one table of all of them.  With --size N it runs the
 * scenarios of BENCHMARKS.md for one account of N conversations:
 *
 *   generate the account      plannr-bench-gen, a process of its own
 *   start the fake server     plannr-fake-server --data, out of process,
 *                             so its CPU and memory are not the plugin's
 *   the floors of 1 and 2     plannr-bench-floor, before the plugin
 *                             signs in, so nothing else is on the wire
 *                             (median of three, after a warm-up)
 *   1  sign-in                until the buddy list has every
 *                             conversation and the room list (opened at
 *                             signed-on, as a user would) is complete
 *   1b settle                 what follows on its own: libpurple saves
 *                             blist.xml 5 s after a change, first polls
 *   2  open 20 chats          the 20 most recent, with 50 messages of
 *                             history and their participants
 *   3  idle                   3 chats open, once every poll has backed
 *                             off, for --idle-seconds; the floor idles
 *                             beside it in the same window
 *   4  burst                  plannr-bench-burst posts 1,000 messages to
 *                             50 conversations that are not open; the
 *                             inbox poll finds them, open-on-message
 *                             opens each, every one must show once
 *   the floor of 4            after the plugin signed off
 *
 * Time is scaled by --scale (default 5): poll-interval 15 / F,
 * chat-poll-interval 5 / F and the fake's rate limit 500 * F per
 * minute, so that idle and burst take a fifth of the time; their
 * request rates are converted back to real minutes.
 *
 * Each scenario prints a "ROW" line of key=value fields and "NOTE"
 * lines; the runner turns them into the table.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "plannr-harness.h"
/* Only to read the polls' backoff state, so that the idle scenario can
 * wait until it is reached; nothing of the plugin is called. */
#include "plannr-connection.h"

#include "bench-util.h"

#define OPEN_CHATS       20
#define IDLE_CHATS       3
#define BURST_CONVS      50
#define BURST_MESSAGES   1000
#define SIGNIN_TIMEOUT_MS (5 * 60 * 1000)
#define OPEN_TIMEOUT_MS  (60 * 1000)
#define BURST_TIMEOUT_MS (4 * 60 * 1000)
/* libpurple saves blist.xml 5 s after the first change. */
#define SETTLE_MS        7000
/* The plugin's User-Agent starts so (plannr_api_new). */
#define PLUGIN_AGENT     "purple-plannr/"

static struct
{
  char  *sizes;
  int    size;
  int    scale;
  int    idle_seconds;
  char  *output;
  char  *bindir;
  char  *fake_server;
  char  *floor;
  char  *gen;
  char  *burst;
} opt = {
  .scale = 5,
  .idle_seconds = 48,
};

/* --- rows --------------------------------------------------------------- */

typedef struct
{
  const char *id;
  const char *name;
  guint   n;
  gint64  wall_us;
  gint64  cpu_us;
  gint64  requests;
  gint64  bytes;
  gint64  maxrss_kib;
  gint64  rss_kib;
  gint64  per_conv_b;
  gint64  stall_us;
  gint64  busy_us;        /* of the stalls, the most CPU in one */
  gint64  f_wall_us;
  gint64  f_cpu_us;
  gint64  f_requests;
  gint64  f_bytes;
  gint64  f_maxrss_kib;
  gint64  f_stall_us;
  gint64  f_busy_us;
  double  rpm;            /* idle: requests per real minute */
  double  f_rpm;
  char   *check;
} Row;

static void
row_init (Row        *row,
          const char *id,
          const char *name,
          guint       n)
{
  memset (row, 0, sizeof (*row));
  row->id = id;
  row->name = name;
  row->n = n;
  row->wall_us = row->cpu_us = row->requests = row->bytes = -1;
  row->maxrss_kib = row->rss_kib = row->per_conv_b = row->stall_us = -1;
  row->f_wall_us = row->f_cpu_us = row->f_requests = row->f_bytes = -1;
  row->f_maxrss_kib = row->f_stall_us = -1;
  row->busy_us = row->f_busy_us = -1;
  row->rpm = row->f_rpm = -1;
}

static void
row_print (Row *row)
{
  printf ("ROW\tid=%s\tname=%s\tn=%u\twall_us=%" G_GINT64_FORMAT "\tcpu_us=%" G_GINT64_FORMAT
          "\trequests=%" G_GINT64_FORMAT "\tbytes=%" G_GINT64_FORMAT
          "\tmaxrss_kib=%" G_GINT64_FORMAT "\trss_kib=%" G_GINT64_FORMAT
          "\tper_conv_b=%" G_GINT64_FORMAT "\tstall_us=%" G_GINT64_FORMAT
          "\tbusy_us=%" G_GINT64_FORMAT "\tf_busy_us=%" G_GINT64_FORMAT
          "\tf_wall_us=%" G_GINT64_FORMAT "\tf_cpu_us=%" G_GINT64_FORMAT
          "\tf_requests=%" G_GINT64_FORMAT "\tf_bytes=%" G_GINT64_FORMAT
          "\tf_maxrss_kib=%" G_GINT64_FORMAT "\tf_stall_us=%" G_GINT64_FORMAT
          "\trpm=%.2f\tf_rpm=%.2f\tcheck=%s\n",
          row->id, row->name, row->n, row->wall_us, row->cpu_us, row->requests, row->bytes,
          row->maxrss_kib, row->rss_kib, row->per_conv_b, row->stall_us,
          row->busy_us, row->f_busy_us,
          row->f_wall_us, row->f_cpu_us, row->f_requests, row->f_bytes,
          row->f_maxrss_kib, row->f_stall_us, row->rpm, row->f_rpm,
          row->check ? row->check : "");
  fflush (stdout);
  g_free (row->check);
  row->check = NULL;
}

static void G_GNUC_PRINTF (1, 2)
note (const char *format,
      ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line each: the runner reads them line by line. */
  g_strdelimit (text, "\n\t", ' ');
  printf ("NOTE\t%s\n", text);
  fflush (stdout);
  g_printerr ("  %s\n", text);
}

/* --- the fake server ---------------------------------------------------- */

typedef struct
{
  GPid         pid;
  char        *base_url;
  SoupSession *control;
} Server;

typedef struct
{
  guint total;
  guint lists;        /* GET /conversation (sign-in pages, inbox polls) */
  guint pinned;       /* the same, sorted by pinned */
  guint messages;     /* GET /conversation/X/messages */
  guint conversation; /* GET /conversation/X */
  guint me;
  guint other;
  guint throttled;    /* answered 429 */
} LogCount;

/* In the server's process before exec: should the benchmark die, so
 * does its server. */
static void
server_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
server_start (Server     *server,
              const char *seed,
              guint       rate_limit)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rate = g_strdup_printf ("%u", rate_limit);
  const char *argv[] = { opt.fake_server, "--data", seed, "--rate-limit", rate, NULL };
  char line[1024];
  FILE *out;
  int out_fd;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 server_child_setup, NULL, &server->pid, NULL, &out_fd, NULL,
                                 &error))
    g_error ("starting %s: %s", opt.fake_server, error->message);

  /* Its first two lines are the base url and a token; it says nothing
   * more, so the pipe can be closed after them. */
  out = fdopen (out_fd, "r");
  for (int i = 0; i < 2; i++)
    {
      if (fgets (line, sizeof line, out) == NULL)
        g_error ("the fake server said nothing");
      g_strchomp (line);
      if (g_str_has_prefix (line, "base-url: "))
        server->base_url = g_strdup (line + strlen ("base-url: "));
    }
  fclose (out);
  if (server->base_url == NULL)
    g_error ("the fake server gave no base url");
  server->control = soup_session_new ();
}

static void
server_stop (Server *server)
{
  int status;

  g_clear_object (&server->control);
  if (server->pid > 0)
    {
      kill (server->pid, SIGTERM);
      waitpid (server->pid, &status, 0);
      g_spawn_close_pid (server->pid);
      server->pid = 0;
    }
  g_clear_pointer (&server->base_url, g_free);
}

/* A control call, blocking: only ever outside a measured window. */
static GBytes *
server_control (Server     *server,
                const char *method,
                const char *path)
{
  g_autofree char *url = g_strconcat (server->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  body = soup_session_send_and_read (server->control, msg, NULL, &error);
  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    g_error ("%s %s: %s", method, path, error ? error->message : soup_message_get_reason_phrase (msg));
  return body;
}

static void
server_clear_log (Server *server)
{
  g_autoptr(GBytes) body = server_control (server, "DELETE", "/_fake/requests");
}

/* The requests in the log whose User-Agent starts with @agent (NULL:
 * all of them), so that two clients can share a window. */
static LogCount
server_count_log (Server     *server,
                  const char *agent)
{
  g_autoptr(GBytes) body = server_control (server, "GET", "/_fake/requests");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  LogCount count = { 0 };
  JsonArray *array;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error))
    g_error ("the request log: %s", error->message);
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);
      const char *path = json_object_get_string_member_with_default (request, "path", "");
      const char *query = json_object_get_string_member_with_default (request, "query", "");
      JsonObject *headers = json_object_get_object_member (request, "headers");
      const char *ua = headers ? json_object_get_string_member_with_default (headers, "user-agent", "") : "";

      if (agent != NULL && !g_str_has_prefix (ua, agent))
        continue;
      count.total++;
      if (json_object_get_int_member_with_default (request, "status", 0) == 429)
        count.throttled++;
      if (strcmp (path, "/api/v1/me") == 0)
        count.me++;
      else if (strcmp (path, "/api/v1/conversation") == 0)
        {
          if (query != NULL && strstr (query, "pinned") != NULL)
            count.pinned++;
          else
            count.lists++;
        }
      else if (g_str_has_prefix (path, "/api/v1/conversation/") && g_str_has_suffix (path, "/messages"))
        count.messages++;
      else if (g_str_has_prefix (path, "/api/v1/conversation/"))
        count.conversation++;
      else
        count.other++;
    }
  return count;
}

static char *
log_count_describe (const LogCount *count)
{
  return g_strdup_printf ("%u requests: %u me, %u conversation lists, %u pinned lists, "
                          "%u conversations, %u message pages, %u other; %u answered 429",
                          count->total, count->me, count->lists, count->pinned,
                          count->conversation, count->messages, count->other, count->throttled);
}


/* --- the floor ---------------------------------------------------------- */

static gint64
field (const char *line,
       const char *key)
{
  g_autofree char *needle = g_strdup_printf (" %s=", key);
  const char *at = strstr (line, needle);

  return at ? g_ascii_strtoll (at + strlen (needle), NULL, 10) : -1;
}

static void floor_fields (Row *row, const char *out, guint requests);

/* Runs the floor in its own process; the server's request log is read
 * around it as it is around the plugin. */
static void
run_floor_once (Server     *server,
                Row        *row,
                const char *mode,
                const char *uuids,
                const char *extra1,
                const char *extra2)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *base = g_strdup_printf ("--base-url=%s", server->base_url);
  g_autofree char *mode_arg = g_strdup_printf ("--mode=%s", mode);
  g_autofree char *uuids_arg = g_strdup_printf ("--uuids=%s", uuids ? uuids : "");
  const char *argv[] = { opt.floor, base, mode_arg, uuids_arg, extra1, extra2, NULL };
  LogCount count;
  int status;

  server_clear_log (server);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, NULL, &status, &error))
    g_error ("running the floor: %s", error->message);
  count = server_count_log (server, NULL);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("the floor (%s) failed: %s", mode, error->message);
  if (row != NULL)
    floor_fields (row, out, count.total);
}

static void
floor_fields (Row        *row,
              const char *out,
              guint       requests)
{
  const char *line = out ? strstr (out, "FLOOR ") : NULL;

  if (line == NULL)
    g_error ("the floor said nothing");
  row->f_wall_us = field (line, "wall_us");
  row->f_cpu_us = field (line, "cpu_us");
  row->f_maxrss_kib = field (line, "maxrss_kib");
  row->f_stall_us = field (line, "stall_us");
  row->f_busy_us = field (line, "busy_us");
  row->f_requests = requests;
  row->f_bytes = field (line, "body_bytes");
}

static int
compare_floor_wall (const void *a,
                    const void *b)
{
  const Row *ra = a, *rb = b;

  return (ra->f_wall_us > rb->f_wall_us) - (ra->f_wall_us < rb->f_wall_us);
}

/* The median of three runs (by wall time), after a warm-up: the floor
 * is cheap, and the machine is shared. */
static void
run_floor (Server     *server,
           Row        *row,
           const char *mode,
           const char *uuids,
           const char *extra1,
           const char *extra2)
{
  Row tries[3];

  run_floor_once (server, NULL, mode, uuids, extra1, extra2);
  for (guint k = 0; k < G_N_ELEMENTS (tries); k++)
    {
      row_init (&tries[k], row->id, row->name, row->n);
      run_floor_once (server, &tries[k], mode, uuids, extra1, extra2);
    }
  qsort (tries, G_N_ELEMENTS (tries), sizeof (Row), compare_floor_wall);
  row->f_wall_us = tries[1].f_wall_us;
  row->f_cpu_us = tries[1].f_cpu_us;
  row->f_maxrss_kib = tries[1].f_maxrss_kib;
  row->f_stall_us = tries[1].f_stall_us;
  row->f_busy_us = tries[1].f_busy_us;
  row->f_requests = tries[1].f_requests;
  row->f_bytes = tries[1].f_bytes;
  note ("N=%u %s: the floor took %.0f, %.0f and %.0f ms", row->n, row->name,
        tries[0].f_wall_us / 1000.0, tries[1].f_wall_us / 1000.0, tries[2].f_wall_us / 1000.0);
}

/* --- the plugin's side -------------------------------------------------- */

typedef struct
{
  guint           n;
  guint           m;
  Server         *server;
  PurpleAccount  *account;
  PurpleRoomlist *roomlist;
  guint           blist_chats;
  GPtrArray      *joined;        /* PurpleConversation*, in join order */
  guint           lines_seen;    /* harness lines looked at so far */
  guint           message_lines; /* of them, not system lines */
  gint64          first_line;    /* monotonic µs of the first and */
  gint64          last_line;     /* the latest message line */
  guint          *burst;         /* times each burst message was shown */
  guint           burst_shown;   /* distinct burst messages shown */
  GHashTable     *shown;         /* "conv\nmessage" during the burst */
  guint           duplicates;
  gboolean        counting_burst;
  GArray         *debug;         /* DebugLine */
  gint64          baseline_kib;
  double          loop_cpu_per_s; /* µs of CPU per s of an idle loop */

  /* A measured window. */
  gint64          wall0;
  gint64          cpu0;
  gint64          bytes0;
  gint64          api_requests0;
  gint64          heap0;
  gint64          heap_signin;
  gint64          run0;          /* the whole run's start */
  gint64          run_cpu0;
} Bench;

typedef struct
{
  gint64 time;
  char  *text;
} DebugLine;

static Bench *the_bench;
static PurpleDebugUiOps *harness_debug_ops;
static PurpleDebugUiOps bench_debug_ops;
/* Empty: libpurple fills in its own saving of blist.xml, as it does for
 * Pidgin and Finch, whose buddy-list ops leave saving to it. */
static PurpleBlistUiOps bench_blist_ops;
static int bench_handle;

/* The api layer counts its requests and the body bytes it received;
 * the module exports both, so they are read where they are, without a
 * line of the plugin changed or linked in. */
typedef guint64 (*ApiCounter) (gpointer api);
static ApiCounter api_bytes_received;
static ApiCounter api_request_count;

static void
find_api_counters (void)
{
  PurplePlugin *prpl = purple_find_prpl (PLANNR_PROTOCOL_ID);

  if (prpl == NULL || prpl->handle == NULL ||
      !g_module_symbol (prpl->handle, "plannr_api_get_bytes_received", (gpointer *) &api_bytes_received) ||
      !g_module_symbol (prpl->handle, "plannr_api_get_request_count", (gpointer *) &api_request_count))
    {
      api_bytes_received = NULL;
      api_request_count = NULL;
      note ("the plugin module exports no api counters: bytes are not measured");
    }
}

static gpointer
plugin_api (Bench *bench)
{
  PurpleConnection *gc = purple_account_get_connection (bench->account);
  PlannrConnection *conn = gc ? purple_connection_get_protocol_data (gc) : NULL;

  return conn ? conn->api : NULL;
}

/* 0 before the connection exists: its counters start with it. */
static gint64
plugin_counter (Bench      *bench,
                ApiCounter  counter)
{
  gpointer api = plugin_api (bench);

  if (counter == NULL)
    return -1;
  return api ? (gint64) counter (api) : 0;
}

static void
bench_debug_print (PurpleDebugLevel  level,
                   const char       *category,
                   const char       *message)
{
  DebugLine line = { g_get_monotonic_time (), NULL };

  line.text = g_strdup_printf ("%s: %s", category ? category : "-", message ? message : "");
  g_strchomp (line.text);
  g_array_append_val (the_bench->debug, line);
  harness_debug_ops->print (level, category, message);
}

static void
signed_on_cb (PurpleConnection *gc,
              gpointer          user_data)
{
  Bench *bench = user_data;

  /* The user opens the room list as soon as the account is online;
   * like Pidgin's dialog, the bench holds a reference of its own. */
  if (purple_connection_get_account (gc) == bench->account && bench->roomlist == NULL)
    {
      bench->roomlist = purple_roomlist_get_list (gc);
      if (bench->roomlist != NULL)
        purple_roomlist_ref (bench->roomlist);
    }
}

static void
node_added_cb (PurpleBlistNode *node,
               gpointer         user_data)
{
  Bench *bench = user_data;

  if (PURPLE_BLIST_NODE_IS_CHAT (node) && purple_chat_get_account (PURPLE_CHAT (node)) == bench->account)
    bench->blist_chats++;
}

static void
node_removed_cb (PurpleBlistNode *node,
                 gpointer         user_data)
{
  Bench *bench = user_data;

  if (PURPLE_BLIST_NODE_IS_CHAT (node) && purple_chat_get_account (PURPLE_CHAT (node)) == bench->account)
    bench->blist_chats--;
}

static void
chat_joined_cb (PurpleConversation *conv,
                gpointer            user_data)
{
  Bench *bench = user_data;

  if (purple_conversation_get_account (conv) == bench->account)
    g_ptr_array_add (bench->joined, conv);
}

static void
deleting_conversation_cb (PurpleConversation *conv,
                          gpointer            user_data)
{
  Bench *bench = user_data;

  g_ptr_array_remove (bench->joined, conv);
}

/* Looks at the lines written since the last call: O(new lines), so
 * that the waits cost the plugin's process next to nothing. */
static void
scan_lines (Bench *bench)
{
  GPtrArray *lines = plannr_harness_get_lines ();

  for (; bench->lines_seen < lines->len; bench->lines_seen++)
    {
      const PlannrHarnessLine *line = g_ptr_array_index (lines, bench->lines_seen);
      int k;

      if (line->flags & PURPLE_MESSAGE_SYSTEM)
        continue;
      if (bench->message_lines++ == 0)
        bench->first_line = g_get_monotonic_time ();
      bench->last_line = g_get_monotonic_time ();
      if (!bench->counting_burst)
        continue;

      {
        char *key = g_strconcat (line->conv_name, "\n", line->message, NULL);

        if (!g_hash_table_add (bench->shown, key) && bench->duplicates++ < 3)
          note ("N=%u burst: shown again in %s: %s", bench->n, line->conv_name, line->message);
      }
      k = bench_burst_index (line->message);
      if (k >= 0 && k < BURST_MESSAGES && bench->burst[k]++ == 0)
        bench->burst_shown++;
    }
}

/* The probe runs from sign-in to sign-off; a window only marks where
 * a scenario's figures start.  The blocking control calls to the fake
 * are the bench's own stalls, so the probe is rearmed after them. */
static void
window_begin (Bench *bench)
{
  server_clear_log (bench->server);
  bench->bytes0 = plugin_counter (bench, api_bytes_received);
  bench->api_requests0 = plugin_counter (bench, api_request_count);
  bench->heap0 = bench_heap_in_use ();
  bench->wall0 = g_get_monotonic_time ();
  bench->cpu0 = bench_cpu_us ();
  bench_probe_rearm ();
  bench_probe_window ();
}

/* The stalls of the window, with what libpurple and the plugin logged
 * while the loop was stuck in them. */
static void
note_stalls (Bench      *bench,
             const char *scenario,
             gboolean    whole_run)
{
  g_autoptr(GArray) stalls = bench_probe_stalls (whole_run);
  gint64 origin = whole_run ? bench->run0 : bench->wall0;

  for (guint i = 0; i < stalls->len && i < 3; i++)
    {
      BenchStall *stall = &g_array_index (stalls, BenchStall, i);
      g_autoptr(GString) logged = g_string_new (NULL);
      guint shown = 0;

      for (guint j = 0; j < bench->debug->len; j++)
        {
          DebugLine *line = &g_array_index (bench->debug, DebugLine, j);

          if (line->time < stall->start || line->time > stall->end)
            continue;
          if (shown++ < 4)
            g_string_append_printf (logged, "%s[%s]", logged->len ? " " : "", line->text);
        }
      if (shown > 4)
        g_string_append_printf (logged, " and %u more", shown - 4);
      note ("N=%u %s: stall of %.1f ms (%.1f ms of it on the CPU) at +%.2f s; logged "
            "meanwhile: %s", bench->n, scenario, (stall->end - stall->start) / 1000.0,
            stall->cpu / 1000.0, (stall->start - origin) / 1e6, logged->len ? logged->str : "nothing");
    }
}

static LogCount
window_end (Bench      *bench,
            Row        *row,
            const char *scenario)
{
  LogCount count;
  g_autofree char *describe = NULL;
  gint64 api_requests;

  bench_probe_check ();
  row->wall_us = g_get_monotonic_time () - bench->wall0;
  row->cpu_us = bench_cpu_us () - bench->cpu0;
  row->stall_us = bench_probe_max_us (FALSE);
  row->busy_us = bench_probe_max_busy_us (FALSE);
  row->bytes = bench->bytes0 < 0 ? -1 : plugin_counter (bench, api_bytes_received) - bench->bytes0;
  api_requests = plugin_counter (bench, api_request_count) - bench->api_requests0;
  row->maxrss_kib = bench_peak_rss_kib ();
  row->rss_kib = bench_rss_kib ();
  count = server_count_log (bench->server, PLUGIN_AGENT);
  row->requests = count.total;
  describe = log_count_describe (&count);
  note ("N=%u %s: %s", bench->n, scenario, describe);
  if (api_request_count != NULL && api_requests != (gint64) count.total)
    note ("N=%u %s: the plugin's api layer counted %" G_GINT64_FORMAT " requests, the server %u",
          bench->n, scenario, api_requests, count.total);
  note_stalls (bench, scenario, FALSE);
  bench_probe_rearm ();
  return count;
}

static void
forget_debug (Bench *bench)
{
  for (guint i = 0; i < bench->debug->len; i++)
    g_free (g_array_index (bench->debug, DebugLine, i).text);
  g_array_set_size (bench->debug, 0);
}

/* Lines the plugin logs about its own timing ("... in N µs"). */
static void
note_plugin_timings (Bench      *bench,
                     const char *scenario)
{
  gint64 page_max = 0, page_sum = 0;
  guint pages = 0;

  for (guint i = 0; i < bench->debug->len; i++)
    {
      const char *text = g_array_index (bench->debug, DebugLine, i).text;
      const char *at;

      if (g_array_index (bench->debug, DebugLine, i).time < bench->wall0)
        continue;

      if (g_str_has_prefix (text, "plannr: conversation page ") &&
          (at = strstr (text, " in ")) != NULL)
        {
          gint64 us = g_ascii_strtoll (at + 4, NULL, 10);

          page_max = MAX (page_max, us);
          page_sum += us;
          pages++;
        }
      else if (g_str_has_prefix (text, "plannr: buddy list for "))
        {
          gint64 logged = g_array_index (bench->debug, DebugLine, i).time;
          g_autoptr(GArray) stalls = bench_probe_stalls (FALSE);

          note ("N=%u %s: the plugin logged: %s", bench->n, scenario, text);
          /* The rest of that callback is filling the room list. */
          for (guint k = 0; k < stalls->len; k++)
            {
              BenchStall *stall = &g_array_index (stalls, BenchStall, k);

              if (stall->start <= logged && logged <= stall->end)
                note ("N=%u %s: after the buddy list, the rest of that callback (the room "
                      "list's %u rooms) took %.1f ms more", bench->n, scenario, bench->n,
                      (stall->end - logged) / 1000.0);
            }
        }
    }
  if (pages > 0)
    note ("N=%u %s: the plugin logged %u conversation pages parsed into its list in "
          "%.1f ms each on average, %.1f ms at most", bench->n, scenario, pages,
          page_sum / 1000.0 / pages, page_max / 1000.0);
}

/* What plannr_chats_find_blist_chat() costs on this buddy list: it is
 * called for every message shown (remember_shown), and walks the list.
 * Timed outside every window, through the module's own symbol. */
static void
note_blist_lookup (Bench *bench)
{
  PurpleChat *(*find) (PurpleAccount *, const char *) = NULL;
  PurplePlugin *prpl = purple_find_prpl (PLANNR_PROTOCOL_ID);
  guint tries = MIN (bench->n, 200);
  guint found = 0;
  gint64 t;

  if (prpl == NULL || prpl->handle == NULL ||
      !g_module_symbol (prpl->handle, "plannr_chats_find_blist_chat", (gpointer *) &find))
    return;
  t = g_get_monotonic_time ();
  for (guint k = 0; k < tries; k++)
    {
      g_autofree char *uuid = bench_conversation_uuid ((guint) ((guint64) k * bench->n / tries));

      found += find (bench->account, uuid) != NULL;
    }
  t = g_get_monotonic_time () - t;
  bench_probe_rearm ();
  note ("N=%u: one plannr_chats_find_blist_chat() takes %.0f µs on average (%u lookups, "
        "%u found): a full walk of the buddy list", bench->n, (double) t / tries, tries, found);
}

static gboolean
signin_done_cb (gpointer user_data)
{
  Bench *bench = user_data;

  return bench->roomlist != NULL && !purple_roomlist_get_in_progress (bench->roomlist) &&
         bench->blist_chats >= bench->n;
}

static void
scenario_signin (Bench *bench)
{
  Row row;
  guint rooms, listed;

  row_init (&row, "1", "sign-in", bench->n);
  window_begin (bench);
  bench->heap_signin = bench->heap0;
  plannr_harness_connect (bench->account);
  if (!plannr_harness_wait (signin_done_cb, bench, SIGNIN_TIMEOUT_MS))
    g_error ("N=%u: sign-in did not complete (%u chats on the buddy list)", bench->n, bench->blist_chats);
  window_end (bench, &row, "sign-in");
  row.per_conv_b = (row.rss_kib - bench->baseline_kib) * 1024 / bench->n;
  note ("N=%u sign-in: malloc'd memory in use grew by %.2f KiB per conversation "
        "(RSS: %.2f KiB)", bench->n, (bench_heap_in_use () - bench->heap0) / 1024.0 / bench->n,
        row.per_conv_b / 1024.0);

  /* Checked once, after the window: walking 10,000 nodes is not free. */
  listed = plannr_harness_count_blist_chats (bench->account);
  rooms = g_list_length (bench->roomlist->rooms);
  bench_probe_rearm ();
  row.check = g_strdup_printf ("%s: %u chats, %u rooms", listed == bench->n && rooms == bench->n ? "ok" : "FAIL",
                               listed, rooms);
  note_plugin_timings (bench, "sign-in");
  note_blist_lookup (bench);
  note ("N=%u sign-in: RSS %" G_GINT64_FORMAT " KiB after, %" G_GINT64_FORMAT " KiB before sign-in",
        bench->n, row.rss_kib, bench->baseline_kib);
  row_print (&row);
}

static void
scenario_settle (Bench *bench)
{
  Row row;

  row_init (&row, "1b", "settle", bench->n);
  window_begin (bench);
  plannr_harness_run_for (SETTLE_MS);
  window_end (bench, &row, "settle");
  row.per_conv_b = (row.rss_kib - bench->baseline_kib) * 1024 / bench->n;
  note ("N=%u settle: RSS %.2f KiB per conversation beyond the baseline; malloc'd memory "
        "in use %.2f KiB per conversation beyond sign-in's start", bench->n, row.per_conv_b / 1024.0,
        (bench_heap_in_use () - bench->heap_signin) / 1024.0 / bench->n);
  row.check = g_strdup_printf ("%.0f s after sign-in", SETTLE_MS / 1000.0);
  {
    g_autofree char *path = g_build_filename (plannr_harness_get_user_dir (), "blist.xml", NULL);
    GStatBuf st;

    if (g_stat (path, &st) == 0)
      note ("N=%u settle: libpurple's blist.xml is %.1f MiB", bench->n, st.st_size / 1048576.0);
  }
  row_print (&row);
}

static gboolean
open_done_cb (gpointer user_data)
{
  Bench *bench = user_data;
  guint want = MIN (OPEN_CHATS, bench->n);

  scan_lines (bench);
  if (bench->joined->len < want || bench->message_lines < want * bench->m)
    return FALSE;
  for (guint i = 0; i < bench->joined->len; i++)
    if (g_list_length (purple_conv_chat_get_users (PURPLE_CONV_CHAT (g_ptr_array_index (bench->joined, i)))) < 3)
      return FALSE;
  return TRUE;
}

static char *
uuid_list (guint first,
           guint count,
           gboolean descending)
{
  GString *list = g_string_new (NULL);

  for (guint k = 0; k < count; k++)
    {
      g_autofree char *uuid = bench_conversation_uuid (descending ? first - k : first + k);

      g_string_append_printf (list, "%s%s", k ? "," : "", uuid);
    }
  return g_string_free (list, FALSE);
}

static void
scenario_open (Bench *bench,
               Row   *row)
{
  guint want = MIN (OPEN_CHATS, bench->n);

  bench->lines_seen = plannr_harness_get_lines ()->len;
  bench->message_lines = 0;
  window_begin (bench);
  for (guint k = 0; k < want; k++)
    {
      g_autofree char *uuid = bench_conversation_uuid (bench->n - 1 - k);

      plannr_harness_join_chat (bench->account, uuid);
    }
  if (!plannr_harness_wait (open_done_cb, bench, OPEN_TIMEOUT_MS))
    g_error ("N=%u: the chats did not open (%u joined, %u lines)", bench->n,
             bench->joined->len, bench->message_lines);
  window_end (bench, row, "open 20 chats");
  note ("N=%u open 20 chats: first message shown after %.1f ms, the last after %.1f ms",
        bench->n, (bench->first_line - bench->wall0) / 1000.0,
        (bench->last_line - bench->wall0) / 1000.0);
  row->check = g_strdup_printf ("ok: %u chats, %u lines", bench->joined->len, bench->message_lines);
  row_print (row);
}

static gboolean
backed_off (Bench *bench)
{
  PurpleConnection *gc = purple_account_get_connection (bench->account);
  PlannrConnection *conn = gc ? purple_connection_get_protocol_data (gc) : NULL;
  GHashTableIter iter;
  gpointer value;

  if (conn == NULL || conn->inbox_backoff.current_ms < conn->inbox_backoff.max_ms)
    return FALSE;
  g_hash_table_iter_init (&iter, conn->chats);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PlannrConv *conv = value;

      if (conv->backoff.current_ms < conv->backoff.max_ms)
        return FALSE;
    }
  return TRUE;
}

static gboolean
backed_off_cb (gpointer user_data)
{
  return backed_off (user_data);
}

static void
scenario_idle (Bench      *bench,
               Row        *row,
               const char *uuids)
{
  double real_minutes = opt.idle_seconds * opt.scale / 60.0;
  gint64 ramp = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_strdup_printf ("--base-url=%s", bench->server->base_url);
  g_autofree char *uuids_arg = g_strdup_printf ("--uuids=%s", uuids);
  /* What a client at the slowest polling does in the same real time:
   * the inbox once a minute (15 s x 4), each chat twice (5 s x 6). */
  g_autofree char *inbox_arg = g_strdup_printf ("--inbox=%d", (int) (real_minutes + 0.5));
  g_autofree char *chat_arg = g_strdup_printf ("--chat=%d", (int) (real_minutes * 2 + 0.5));
  g_autofree char *duration_arg = g_strdup_printf ("--duration=%d", opt.idle_seconds * 1000);
  const char *argv[] = { opt.floor, base, "--mode=idle", uuids_arg, inbox_arg, chat_arg,
                         duration_arg, NULL };
  char out[1024] = "";
  LogCount count, floor_count;
  GPid pid;
  int out_fd, status;
  FILE *pipe;

  /* Close all but three, as a user would. */
  while (bench->joined->len > IDLE_CHATS)
    purple_conversation_destroy (g_ptr_array_index (bench->joined, bench->joined->len - 1));

  if (!plannr_harness_wait (backed_off_cb, bench, 120 * 1000 / opt.scale + 30000))
    note ("N=%u idle: the polls did not back off fully within the ramp", bench->n);
  note ("N=%u idle: polls backed off after %.1f s (scaled)", bench->n,
        (g_get_monotonic_time () - ramp) / 1e6);

  /* The floor idles beside the plugin, in the same window: the same
   * machine, the same probe, its requests told apart by User-Agent. */
  window_begin (bench);
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &pid, NULL, &out_fd, NULL, &error))
    g_error ("starting the idle floor: %s", error->message);
  plannr_harness_run_for (opt.idle_seconds * 1000);
  count = window_end (bench, row, "idle");

  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  pipe = fdopen (out_fd, "r");
  if (fgets (out, sizeof out, pipe) == NULL || !g_spawn_check_wait_status (status, &error))
    g_error ("the idle floor failed: %s", error ? error->message : "no output");
  fclose (pipe);
  floor_count = server_count_log (bench->server, "plannr-bench-floor");
  bench_probe_rearm ();
  floor_fields (row, out, floor_count.total);
  row->f_rpm = floor_count.total / real_minutes;
  note ("N=%u idle: CPU %.1f ms in the window (the idle loop with the probe alone would "
        "be about %.0f ms of it), the floor's %.1f ms", bench->n, row->cpu_us / 1000.0,
        bench->loop_cpu_per_s * row->wall_us / 1e9, row->f_cpu_us / 1000.0);
  row->rpm = count.total / real_minutes;
  row->check = g_strdup_printf ("%s: %.1f req/min (%u inbox, %u chat polls in %.1f real min)",
                                row->rpm <= 10.0 ? "ok" : "OVER", row->rpm,
                                count.lists, count.messages, real_minutes);
  if (!backed_off (bench))
    note ("N=%u idle: the polls were no longer backed off at the end of the window", bench->n);
  row_print (row);
}

static gboolean
burst_done_cb (gpointer user_data)
{
  Bench *bench = user_data;

  scan_lines (bench);
  return bench->burst_shown >= BURST_MESSAGES;
}

static void
scenario_burst (Bench *bench,
                Row   *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_strdup_printf ("--base-url=%s", bench->server->base_url);
  g_autofree char *count_arg = g_strdup_printf ("--messages=%d", BURST_MESSAGES);
  g_autofree char *convs_arg = g_strdup_printf ("--conversations=%d", BURST_CONVS);
  const char *argv[] = { opt.burst, base, "--first=0", convs_arg, count_arg, NULL };
  guint missing = 0, twice = 0;
  GPid pid;
  int status;

  bench->burst = g_new0 (guint, BURST_MESSAGES);
  bench->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  bench->counting_burst = TRUE;
  bench->lines_seen = plannr_harness_get_lines ()->len;

  window_begin (bench);
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error))
    g_error ("starting the burst: %s", error->message);
  if (!plannr_harness_wait (burst_done_cb, bench, BURST_TIMEOUT_MS))
    note ("N=%u burst: only %u of %d messages were shown within %d s", bench->n,
          bench->burst_shown, BURST_MESSAGES, BURST_TIMEOUT_MS / 1000);
  window_end (bench, row, "burst");
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("the burst failed: %s", error->message);

  /* Late duplicates would come from the next polls: give them time,
   * and see what 53 open chats cost meanwhile. */
  {
    gint64 t = g_get_monotonic_time ();
    LogCount after;

    server_clear_log (bench->server);
    bench_probe_rearm ();
    plannr_harness_run_for (60 * 1000 / opt.scale);
    t = g_get_monotonic_time () - t;
    after = server_count_log (bench->server, PLUGIN_AGENT);
    bench_probe_rearm ();
    note ("N=%u burst: in the minute after it (real time), with %u chats open: %.0f requests "
          "per minute (%u message pages, %u lists, %u answered 429)", bench->n,
          bench->joined->len, after.total / (t / 1e6 * opt.scale / 60.0), after.messages,
          after.lists, after.throttled);
  }
  scan_lines (bench);
  for (guint k = 0; k < BURST_MESSAGES; k++)
    {
      if (bench->burst[k] == 0)
        missing++;
      else if (bench->burst[k] > 1)
        twice++;
    }
  row->check = g_strdup_printf ("%s: %u of %d shown, %u more than once, %u duplicate lines, %u chats open",
                                missing == 0 && twice == 0 && bench->duplicates == 0 ? "ok" : "FAIL",
                                bench->burst_shown, BURST_MESSAGES, twice, bench->duplicates,
                                bench->joined->len);
  bench->counting_burst = FALSE;
  g_clear_pointer (&bench->burst, g_free);
  g_clear_pointer (&bench->shown, g_hash_table_unref);
}

static int
run_size (guint n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("plannr-bench-XXXXXX", &error);
  g_autofree char *seed = NULL;
  g_autofree char *n_arg = g_strdup_printf ("--conversations=%u", n);
  g_autofree char *m_arg = NULL;
  g_autofree char *out_arg = NULL;
  g_autofree char *open_uuids = NULL;
  g_autofree char *idle_uuids = NULL;
  g_autofree char *burst_uuids = NULL;
  Server server = { 0 };
  Bench bench = { 0 };
  Row open_row, idle_row, burst_row;
  gint64 t;
  int status;

  if (dir == NULL)
    g_error ("a temporary dir: %s", error->message);
  bench.n = n;
  /* Fewer messages for the big account keep its setup quick. */
  bench.m = n >= 10000 ? 5 : 20;
  bench.server = &server;
  seed = g_build_filename (dir, "seed.json", NULL);
  m_arg = g_strdup_printf ("--messages=%u", bench.m);
  out_arg = g_strdup_printf ("--output=%s", seed);

  g_printerr ("N=%u: generating %u conversations of %u messages\n", n, n, bench.m);
  t = g_get_monotonic_time ();
  {
    const char *argv[] = { opt.gen, n_arg, m_arg, out_arg, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                       &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      g_error ("generating the account: %s", error->message);
  }
  note ("N=%u: %u conversations with %u messages each and 3 participants; generated in %.1f s",
        n, n, bench.m, (g_get_monotonic_time () - t) / 1e6);

  t = g_get_monotonic_time ();
  server_start (&server, seed, 500 * opt.scale);
  note ("N=%u: the fake server loaded the account in %.1f s", n, (g_get_monotonic_time () - t) / 1e6);

  /* --- the floors, with nothing else talking to the server ---------- */
  row_init (&open_row, "2", "open 20 chats", n);
  row_init (&idle_row, "3", "idle, 3 chats open", n);
  row_init (&burst_row, "4", "burst of 1,000", n);
  open_uuids = uuid_list (n - 1, MIN (OPEN_CHATS, n), TRUE);
  idle_uuids = uuid_list (n - 1, IDLE_CHATS, TRUE);
  burst_uuids = uuid_list (0, BURST_CONVS, FALSE);

  {
    Row signin_floor;

    row_init (&signin_floor, "1", "sign-in", n);
    run_floor (&server, &signin_floor, "signin", NULL, NULL, NULL);
    {
      Row parsing;

      /* Not in the table: how much of the gap any json-glib client has. */
      row_init (&parsing, "1", "sign-in, floor that parses", n);
      run_floor (&server, &parsing, "signin", NULL, "--parse", NULL);
      note ("N=%u sign-in: a floor that also parses every page with json-glib takes %.0f ms "
            "and %.0f ms of CPU", n, parsing.f_wall_us / 1000.0, parsing.f_cpu_us / 1000.0);
    }
    run_floor (&server, &open_row, "open", open_uuids, NULL, NULL);
    printf ("FLOOR1\tf_wall_us=%" G_GINT64_FORMAT "\tf_cpu_us=%" G_GINT64_FORMAT
            "\tf_requests=%" G_GINT64_FORMAT "\tf_bytes=%" G_GINT64_FORMAT
            "\tf_maxrss_kib=%" G_GINT64_FORMAT "\tf_stall_us=%" G_GINT64_FORMAT
            "\tf_busy_us=%" G_GINT64_FORMAT "\n",
            signin_floor.f_wall_us, signin_floor.f_cpu_us, signin_floor.f_requests,
            signin_floor.f_bytes, signin_floor.f_maxrss_kib, signin_floor.f_stall_us,
            signin_floor.f_busy_us);
    fflush (stdout);
  }

  /* --- the plugin ------------------------------------------------------ */
  plannr_harness_init ();
  purple_blist_set_ui_ops (&bench_blist_ops);
  the_bench = &bench;
  bench.debug = g_array_new (FALSE, FALSE, sizeof (DebugLine));
  bench.joined = g_ptr_array_new ();
  harness_debug_ops = purple_debug_get_ui_ops ();
  bench_debug_ops = *harness_debug_ops;
  bench_debug_ops.print = bench_debug_print;
  purple_debug_set_ui_ops (&bench_debug_ops);
  find_api_counters ();

  purple_signal_connect (purple_connections_get_handle (), "signed-on", &bench_handle,
                         PURPLE_CALLBACK (signed_on_cb), &bench);
  purple_signal_connect (purple_blist_get_handle (), "blist-node-added", &bench_handle,
                         PURPLE_CALLBACK (node_added_cb), &bench);
  purple_signal_connect (purple_blist_get_handle (), "blist-node-removed", &bench_handle,
                         PURPLE_CALLBACK (node_removed_cb), &bench);
  purple_signal_connect (purple_conversations_get_handle (), "chat-joined", &bench_handle,
                         PURPLE_CALLBACK (chat_joined_cb), &bench);
  purple_signal_connect (purple_conversations_get_handle (), "deleting-conversation", &bench_handle,
                         PURPLE_CALLBACK (deleting_conversation_cb), &bench);

  bench.account = plannr_harness_account_new ("eleanor.hart@example.com", BENCH_TOKEN,
                                              server.base_url, BENCH_ME);
  purple_account_set_int (bench.account, PLANNR_SETTING_BLIST_DAYS, 0);
  purple_account_set_int (bench.account, PLANNR_SETTING_HISTORY_COUNT, 50);
  purple_account_set_bool (bench.account, PLANNR_SETTING_OPEN_ON_MESSAGE, TRUE);
  purple_account_set_int (bench.account, PLANNR_SETTING_POLL_INTERVAL,
                          PLANNR_DEFAULT_POLL_INTERVAL / opt.scale);
  purple_account_set_int (bench.account, PLANNR_SETTING_CHAT_POLL_INTERVAL,
                          PLANNR_DEFAULT_CHAT_POLL_INTERVAL / opt.scale);

  /* The baseline: libpurple up, the account configured, an idle loop
   * with the probe running (which has a cost of its own). */
  {
    gint64 cpu = bench_cpu_us ();
    gint64 wall = g_get_monotonic_time ();

    bench_probe_start ();
    plannr_harness_run_for (3000);
    bench_probe_stop ();
    bench.loop_cpu_per_s = (bench_cpu_us () - cpu) / ((g_get_monotonic_time () - wall) / 1e6);
    bench.baseline_kib = bench_rss_kib ();
    note ("N=%u: baseline before sign-in: RSS %" G_GINT64_FORMAT " KiB; the idle loop with "
          "the probe costs %.2f ms CPU per second", n, bench.baseline_kib,
          bench.loop_cpu_per_s / 1000.0);
  }

  bench.run0 = g_get_monotonic_time ();
  bench.run_cpu0 = bench_cpu_us ();
  bench_probe_start ();
  scenario_signin (&bench);
  scenario_settle (&bench);
  scenario_open (&bench, &open_row);
  scenario_idle (&bench, &idle_row, idle_uuids);
  scenario_burst (&bench, &burst_row);
  bench_probe_stop ();
  {
    Row all;

    /* Everything from sign-in to here, the ramps and waits between
     * the scenarios too: a stall there is one the user sees as well. */
    row_init (&all, "all", "whole run", n);
    all.wall_us = g_get_monotonic_time () - bench.run0;
    all.cpu_us = bench_cpu_us () - bench.run_cpu0;
    all.stall_us = bench_probe_max_us (TRUE);
    all.busy_us = bench_probe_max_busy_us (TRUE);
    all.maxrss_kib = bench_peak_rss_kib ();
    all.check = g_strdup_printf ("%u debug lines logged", bench.debug->len);
    bench.wall0 = bench.run0;
    note_stalls (&bench, "whole run", TRUE);
    row_print (&all);
  }

  /* The user closes the room list before signing off. */
  if (bench.roomlist != NULL)
    purple_roomlist_unref (g_steal_pointer (&bench.roomlist));
  plannr_harness_disconnect (bench.account);
  run_floor (&server, &burst_row, "burst", burst_uuids, NULL, NULL);
  row_print (&burst_row);

  purple_signals_disconnect_by_handle (&bench_handle);
  purple_debug_set_ui_ops (harness_debug_ops);
  plannr_harness_shutdown ();
  forget_debug (&bench);
  g_array_unref (bench.debug);
  g_ptr_array_unref (bench.joined);

  server_stop (&server);
  g_unlink (seed);
  g_rmdir (dir);
  return EXIT_SUCCESS;
}

/* --- the runner ------------------------------------------------------------ */

typedef struct
{
  GHashTable *fields;   /* key -> value, both owned */
} Result;

static GHashTable *
parse_fields (const char *line)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) parts = g_strsplit (line, "\t", -1);

  for (guint i = 1; parts[i] != NULL; i++)
    {
      char *eq = strchr (parts[i], '=');

      if (eq != NULL)
        g_hash_table_insert (fields, g_strndup (parts[i], eq - parts[i]), g_strdup (eq + 1));
    }
  return fields;
}

static gint64
get_int (GHashTable *fields,
         const char *key)
{
  const char *value = g_hash_table_lookup (fields, key);

  return value ? g_ascii_strtoll (value, NULL, 10) : -1;
}

static double
get_double (GHashTable *fields,
            const char *key)
{
  const char *value = g_hash_table_lookup (fields, key);

  return value ? g_ascii_strtod (value, NULL) : -1;
}

/* "plugin / floor (ratio×)" of two figures in µs, shown in ms. */
static char *
pair_ms (gint64 plugin,
         gint64 floor)
{
  if (plugin < 0)
    return g_strdup ("–");
  if (floor <= 0)
    return g_strdup_printf ("%.0f", plugin / 1000.0);
  return g_strdup_printf ("%.0f / %.0f (%.2f×)", plugin / 1000.0, floor / 1000.0,
                          (double) plugin / floor);
}

static char *
pair_int (gint64 plugin,
          gint64 floor)
{
  if (plugin < 0)
    return g_strdup ("–");
  if (floor < 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, plugin);
  return g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT, plugin, floor);
}

static char *
pair_kib (gint64 plugin,
          gint64 floor)
{
  if (plugin < 0)
    return g_strdup ("–");
  if (floor < 0)
    return g_strdup_printf ("%.0f", plugin / 1024.0);
  return g_strdup_printf ("%.0f / %.0f", plugin / 1024.0, floor / 1024.0);
}

static char *
pair_mib (gint64 plugin_kib,
          gint64 floor_kib)
{
  if (plugin_kib < 0)
    return g_strdup ("–");
  if (floor_kib < 0)
    return g_strdup_printf ("%.1f", plugin_kib / 1024.0);
  return g_strdup_printf ("%.1f / %.1f", plugin_kib / 1024.0, floor_kib / 1024.0);
}

/* "wall (busy) / floor wall (busy)" of the longest stalls, in ms. */
static char *
pair_stall (gint64 plugin,
            gint64 plugin_busy,
            gint64 floor,
            gint64 floor_busy)
{
  if (plugin < 0)
    return g_strdup ("–");
  if (floor < 0)
    return g_strdup_printf ("%.0f (%.0f)", plugin / 1000.0, plugin_busy / 1000.0);
  return g_strdup_printf ("%.0f (%.0f) / %.0f (%.0f)", plugin / 1000.0, plugin_busy / 1000.0,
                          floor / 1000.0, floor_busy / 1000.0);
}

static void
table_row (GString    *out,
           GHashTable *row)
{
  const char *id = g_hash_table_lookup (row, "id");
  gboolean idle = g_strcmp0 (id, "3") == 0;
  gint64 per_conv = get_int (row, "per_conv_b");
  g_autofree char *wall = NULL;
  g_autofree char *cpu = pair_ms (get_int (row, "cpu_us"), get_int (row, "f_cpu_us"));
  g_autofree char *requests = NULL;
  g_autofree char *bytes = pair_kib (get_int (row, "bytes"), get_int (row, "f_bytes"));
  g_autofree char *rss = pair_mib (get_int (row, "maxrss_kib"), get_int (row, "f_maxrss_kib"));
  g_autofree char *stall = pair_stall (get_int (row, "stall_us"), get_int (row, "busy_us"),
                                       get_int (row, "f_stall_us"), get_int (row, "f_busy_us"));
  g_autofree char *conv = per_conv >= 0 && (g_strcmp0 (id, "1") == 0 || g_strcmp0 (id, "1b") == 0)
                          ? g_strdup_printf ("%.2f", per_conv / 1024.0) : g_strdup ("");

  if (idle)
    {
      /* A fixed window: its length, not a ratio, and requests per
       * real minute beside the counts. */
      wall = g_strdup_printf ("%.0f s window (≙ %.0f min)", get_int (row, "wall_us") / 1e6,
                              get_int (row, "wall_us") / 1e6 * opt.scale / 60.0);
      requests = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " (%.1f / %.1f per min)",
                                  get_int (row, "requests"), get_int (row, "f_requests"),
                                  get_double (row, "rpm"), get_double (row, "f_rpm"));
    }
  else if (g_strcmp0 (id, "4") == 0)
    {
      /* The plugin's time is mostly waiting for its next inbox poll;
       * the floor starts when the messages are there: no ratio. */
      wall = g_strdup_printf ("%.0f / %.0f", get_int (row, "wall_us") / 1000.0,
                              get_int (row, "f_wall_us") / 1000.0);
      requests = pair_int (get_int (row, "requests"), get_int (row, "f_requests"));
    }
  else
    {
      wall = pair_ms (get_int (row, "wall_us"), get_int (row, "f_wall_us"));
      requests = pair_int (get_int (row, "requests"), get_int (row, "f_requests"));
    }

  g_string_append_printf (out, "| %s %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                          id, (const char *) g_hash_table_lookup (row, "name"),
                          (const char *) g_hash_table_lookup (row, "n"),
                          wall, cpu, requests, bytes, rss, conv, stall,
                          (const char *) g_hash_table_lookup (row, "check"));
}

static int
run_all (void)
{
  g_auto(GStrv) sizes = g_strsplit (opt.sizes, ",", -1);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  const char *order[] = { "1", "1b", "2", "3", "4", "all" };
  gint64 started = g_get_monotonic_time ();
  gboolean failed = FALSE;
  g_autofree char *load_before = NULL;

  /* The machine may be shared: say how busy it was. */
  g_file_get_contents ("/proc/loadavg", &load_before, NULL, NULL);

  for (guint s = 0; sizes[s] != NULL; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out_text = NULL;
      g_autofree char *size_arg = g_strdup_printf ("--size=%s", sizes[s]);
      g_autofree char *scale_arg = g_strdup_printf ("--scale=%d", opt.scale);
      g_autofree char *idle_arg = g_strdup_printf ("--idle-seconds=%d", opt.idle_seconds);
      g_autofree char *bindir_arg = g_strdup_printf ("--bindir=%s", opt.bindir);
      g_autofree char *fake_arg = g_strdup_printf ("--fake-server=%s", opt.fake_server);
      const char *argv[] = { self, size_arg, scale_arg, idle_arg, bindir_arg, fake_arg, NULL };
      g_auto(GStrv) lines = NULL;
      GHashTable *floor1 = NULL;
      int status;

      g_printerr ("plannr-bench: %s conversations\n", sizes[s]);
      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                         &out_text, NULL, &status, &error))
        g_error ("running %s: %s", self, error->message);
      if (!g_spawn_check_wait_status (status, &error))
        {
          g_printerr ("plannr-bench: the run for %s conversations failed: %s\n", sizes[s], error->message);
          failed = TRUE;
        }

      lines = g_strsplit (out_text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (g_str_has_prefix (lines[i], "FLOOR1\t"))
            floor1 = parse_fields (lines[i]);
          else if (g_str_has_prefix (lines[i], "ROW\t"))
            {
              GHashTable *row = parse_fields (lines[i]);
              const char *check;

              /* The sign-in floor ran before the plugin's row existed. */
              if (g_strcmp0 (g_hash_table_lookup (row, "id"), "1") == 0 && floor1 != NULL)
                {
                  GHashTableIter iter;
                  gpointer key, value;

                  g_hash_table_iter_init (&iter, floor1);
                  while (g_hash_table_iter_next (&iter, &key, &value))
                    g_hash_table_replace (row, g_strdup (key), g_strdup (value));
                }
              check = g_hash_table_lookup (row, "check");
              /* A correctness failure fails the benchmark; a missed
               * performance target is for the table to show. */
              if (check != NULL && g_str_has_prefix (check, "FAIL"))
                failed = TRUE;
              g_ptr_array_add (rows, row);
            }
          else if (g_str_has_prefix (lines[i], "NOTE\t"))
            g_ptr_array_add (notes, g_strdup (lines[i] + strlen ("NOTE\t")));
        }
      g_clear_pointer (&floor1, g_hash_table_unref);
    }

  /* Per conversation at the margin: fixed costs drop out. */
  {
    GHashTable *small = NULL, *big = NULL;

    for (guint i = 0; i < rows->len; i++)
      {
        GHashTable *row = rows->pdata[i];

        if (g_strcmp0 (g_hash_table_lookup (row, "id"), "1") != 0)
          continue;
        if (small == NULL || get_int (row, "n") < get_int (small, "n"))
          small = row;
        if (big == NULL || get_int (row, "n") > get_int (big, "n"))
          big = row;
      }
    if (small != NULL && big != NULL && get_int (big, "n") > get_int (small, "n"))
      g_ptr_array_insert (notes, 0,
                          g_strdup_printf ("RSS after sign-in grows by %.2f KiB per conversation "
                                           "from N=%" G_GINT64_FORMAT " to N=%" G_GINT64_FORMAT,
                                           (double) (get_int (big, "rss_kib") - get_int (small, "rss_kib")) /
                                           (get_int (big, "n") - get_int (small, "n")),
                                           get_int (small, "n"), get_int (big, "n")));
  }

  g_string_append_printf (out, "| Scenario | N | Wall ms: plugin / floor (×) | CPU ms: plugin / floor (×) "
                          "| Requests: plugin / floor | KiB received: plugin / floor "
                          "| Peak RSS MiB: plugin / floor | RSS per conv. KiB "
                          "| Longest stall ms (on CPU): plugin / floor | Check |\n");
  g_string_append (out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    for (guint i = 0; i < rows->len; i++)
      if (g_strcmp0 (g_hash_table_lookup (rows->pdata[i], "id"), order[o]) == 0)
        table_row (out, rows->pdata[i]);

  {
    g_autofree char *load = NULL;

    g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
    g_string_append_printf (out, "\nTime scaled by %d: idle window %d s; whole run %.0f s; "
                            "%u CPUs; load average before %s, after %s.\n\nNotes:\n\n",
                            opt.scale, opt.idle_seconds, (g_get_monotonic_time () - started) / 1e6,
                            g_get_num_processors (), load_before ? g_strchomp (load_before) : "?",
                            load ? g_strchomp (load) : "?");
  }
  for (guint i = 0; i < notes->len; i++)
    g_string_append_printf (out, "- %s\n", (const char *) notes->pdata[i]);

  fputs (out->str, stdout);
  if (opt.output != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (opt.output, out->str, -1, &error))
        g_printerr ("plannr-bench: %s\n", error->message);
    }
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- benchmarks of the Plannr plugin");
  g_autoptr(GError) error = NULL;
  g_autofree char *self = NULL;
  GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &opt.sizes, "Conversations per run (default 100,2000,10000)", "N,N" },
    { "size", 0, 0, G_OPTION_ARG_INT, &opt.size, "Run one size (what the runner calls)", "N" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &opt.scale, "Divide poll intervals by this: 1 or 5 (default 5)", "F" },
    { "idle-seconds", 0, 0, G_OPTION_ARG_INT, &opt.idle_seconds, "Idle window, scaled seconds (default 48)", "S" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt.output, "Also write the table here", "FILE" },
    { "bindir", 0, 0, G_OPTION_ARG_FILENAME, &opt.bindir, "Where the helper programs are", "DIR" },
    { "fake-server", 0, 0, G_OPTION_ARG_FILENAME, &opt.fake_server, "plannr-fake-server", "PATH" },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (opt.scale != 1 && opt.scale != 5)
    {
      g_printerr ("%s: --scale must be 1 or 5 (the intervals 15 s and 5 s divide by it)\n",
                  g_get_prgname ());
      return 2;
    }
  if (opt.idle_seconds < 10)
    {
      g_printerr ("%s: --idle-seconds must be at least 10\n", g_get_prgname ());
      return 2;
    }
  if (opt.sizes == NULL)
    opt.sizes = g_strdup ("100,2000,10000");

  self = g_file_read_link ("/proc/self/exe", NULL);
  if (opt.bindir == NULL)
    opt.bindir = g_path_get_dirname (self);
  if (opt.fake_server == NULL)
    opt.fake_server = g_build_filename (opt.bindir, "..", "fake", "plannr-fake-server", NULL);
  opt.floor = g_build_filename (opt.bindir, "plannr-bench-floor", NULL);
  opt.gen = g_build_filename (opt.bindir, "plannr-bench-gen", NULL);
  opt.burst = g_build_filename (opt.bindir, "plannr-bench-burst", NULL);

  if (opt.size <= 0)
    return run_all ();

  return run_size (opt.size);
}
