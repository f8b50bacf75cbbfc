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
 * Time is scaled by --scale (default 5): poll-interval 5 / F,
 * chat-poll-interval 120 / F and the fake's rate limit 500 * F per
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
#include <malloc.h>
#include <math.h>
#include <time.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "plannr-harness.h"

#include "bench-util.h"
#include "bench-watch.h"

/* What a UI knows of the plugin, as Pidgin does: its protocol id and
 * the account settings it keeps in accounts.xml (README.md).  Nothing
 * of src/ is included: the plugin is loaded as libpurple finds it. */
#define PROTOCOL_ID                "prpl-plannr"
#define SETTING_BLIST_DAYS         "blist-days"
#define SETTING_HISTORY_COUNT      "history-count"
#define SETTING_OPEN_ON_MESSAGE    "open-on-message"
#define SETTING_POLL_INTERVAL      "poll-interval"
#define SETTING_CHAT_POLL_INTERVAL "chat-poll-interval"
/* Their defaults, in seconds, which the time scale divides. */
#define DEFAULT_POLL_INTERVAL      5
#define DEFAULT_CHAT_POLL_INTERVAL 120

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
/* Latency and soak: the conversations written to that are not open lie
 * between the burst's 50 oldest and the 20 most recent. */
#define POOL_FIRST       BURST_CONVS
#define LATENCY_POOL     20
#define SOAK_POOL        27
/* A chat that opened on a message is closed this long (real time)
 * after the message showed: the user read it. */
#define LATENCY_CLOSE_S  5
/* The user reported idle in scenario 5b, and the soak's chat openings. */
#define IDLE_FOR_S       (15 * 60)
#define SOAK_OPEN_MAX    5

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
  char  *writer;
  char  *scenarios;        /* NULL: all */
  int    long_size;        /* where 5, 5b and the soak run */
  int    latency_minutes;  /* real minutes */
  int    latency_messages;
  int    soak_minutes;     /* real (scaled) minutes */
  int    seed;
} opt = {
  .scale = 5,
  .idle_seconds = 48,
  .long_size = 2000,
  .latency_minutes = 10,
  .latency_messages = 40,
  .soak_minutes = 30,
  .seed = 13,
};

static const char * const all_scenarios[] = { "1", "1b", "2", "3", "5", "5b", "4", "soak", NULL };

static gboolean
want (const char *id)
{
  g_auto(GStrv) list = NULL;

  if (opt.scenarios == NULL)
    return TRUE;
  list = g_strsplit (opt.scenarios, ",", -1);
  return g_strv_contains ((const char * const *) list, id);
}

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
  gint64  own_us;         /* the longest stall less libpurple's saves of blist.xml */
  gint64  save_us;        /* the longest of those saves */
  char   *check;
  GString *extra;         /* more fields, "\tkey=value" each */
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
  row->own_us = row->save_us = -1;
  row->extra = g_string_new (NULL);
}

static void G_GNUC_PRINTF (3, 4)
row_set (Row        *row,
         const char *key,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *value = NULL;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  g_strdelimit (value, "\t\n", ' ');
  g_string_append_printf (row->extra, "\t%s=%s", key, value);
}

static gboolean want (const char *id);

/* Prints the row if its scenario was asked for (the whole run's always). */
static void
row_print (Row *row)
{
  if (strcmp (row->id, "all") != 0 && !want (row->id))
    goto done;
  printf ("ROW\tid=%s\tname=%s\tn=%u\twall_us=%" G_GINT64_FORMAT "\tcpu_us=%" G_GINT64_FORMAT
          "\trequests=%" G_GINT64_FORMAT "\tbytes=%" G_GINT64_FORMAT
          "\tmaxrss_kib=%" G_GINT64_FORMAT "\trss_kib=%" G_GINT64_FORMAT
          "\tper_conv_b=%" G_GINT64_FORMAT "\tstall_us=%" G_GINT64_FORMAT
          "\tbusy_us=%" G_GINT64_FORMAT "\tf_busy_us=%" G_GINT64_FORMAT
          "\tf_wall_us=%" G_GINT64_FORMAT "\tf_cpu_us=%" G_GINT64_FORMAT
          "\tf_requests=%" G_GINT64_FORMAT "\tf_bytes=%" G_GINT64_FORMAT
          "\tf_maxrss_kib=%" G_GINT64_FORMAT "\tf_stall_us=%" G_GINT64_FORMAT
          "\trpm=%.2f\tf_rpm=%.2f\town_us=%" G_GINT64_FORMAT "\tsave_us=%" G_GINT64_FORMAT
          "%s\tcheck=%s\n",
          row->id, row->name, row->n, row->wall_us, row->cpu_us, row->requests, row->bytes,
          row->maxrss_kib, row->rss_kib, row->per_conv_b, row->stall_us,
          row->busy_us, row->f_busy_us,
          row->f_wall_us, row->f_cpu_us, row->f_requests, row->f_bytes,
          row->f_maxrss_kib, row->f_stall_us, row->rpm, row->f_rpm,
          row->own_us, row->save_us, row->extra->str, row->check ? row->check : "");
  fflush (stdout);
done:
  g_free (row->check);
  row->check = NULL;
  g_string_truncate (row->extra, 0);
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

/* The request log, in the order the server took them. */
static JsonNode *
server_log (Server *server)
{
  g_autoptr(GBytes) body = server_control (server, "GET", "/_fake/requests");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error))
    g_error ("the request log: %s", error->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    g_error ("the request log is not a list");
  return json_node_copy (root);
}

static gboolean
log_entry_is (JsonObject *request,
              const char *agent)
{
  JsonObject *headers = json_object_get_object_member (request, "headers");
  const char *ua = headers ? json_object_get_string_member_with_default (headers, "user-agent", "") : "";

  return agent == NULL || g_str_has_prefix (ua, agent);
}

/* The requests in the log whose User-Agent starts with @agent (NULL:
 * all of them), so that two clients can share a window. */
static LogCount
server_count_log (Server     *server,
                  const char *agent)
{
  g_autoptr(JsonNode) log = server_log (server);
  JsonArray *array = json_node_get_array (log);
  LogCount count = { 0 };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);
      const char *path = json_object_get_string_member_with_default (request, "path", "");
      const char *query = json_object_get_string_member_with_default (request, "query", "");

      if (!log_entry_is (request, agent))
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
  guint           debug_total;   /* lines logged, forgotten ones too */
  gint64          baseline_kib;
  double          loop_cpu_per_s; /* µs of CPU per s of an idle loop */

  /* A measured window. */
  gint64          wall0;
  gint64          cpu0;
  gint64          heap0;
  gint64          heap_signin;
  gint64          run0;          /* the whole run's start */
  gint64          run_cpu0;
  gint64          signin_stall;  /* the longest stall of sign-in, µs */
  gint64          signin_busy;

  /* Scenarios 3, 5, 5b and the soak: the chats kept open (their uuids);
   * any other chat that opens is closed again by the closer. */
  GPtrArray      *kept;
  GHashTable     *close_at;      /* PurpleConversation* -> gint64* µs */
  guint           closer_id;
  gint64          close_after;   /* latency: this long after its line showed */
  GRand          *soak_rand;     /* soak: chats close at random, seeded */
  guint           soak_opened;

  /* Messages of the writer ("TAG-kkkk: ..."), as the plugin shows them. */
  char           *tag;           /* "TAG-" */
  gint64         *tag_shown;     /* per k: monotonic µs first shown, or 0 */
  char          **tag_conv;      /* per k: the chat it showed in */
  guint           tag_count;
  guint           tag_twice;     /* lines that showed a message again */
  GArray         *chat_events;   /* ChatEvent: chats opening and closing */
} Bench;

typedef struct
{
  gint64    time;
  gboolean  opened;
  char     *uuid;
} ChatEvent;

static void
chat_event (Bench              *bench,
            PurpleConversation *conv,
            gboolean            opened)
{
  ChatEvent event = { g_get_monotonic_time (), opened, g_strdup (purple_conversation_get_name (conv)) };

  if (bench->chat_events != NULL)
    g_array_append_val (bench->chat_events, event);
}

typedef struct
{
  gint64 time;
  char  *text;
} DebugLine;

static void close_later (Bench *bench, PurpleConversation *conv, gint64 delay);

static gboolean
nothing_on_way_cb (gpointer user_data)
{
  return bench_watch_on_way () == 0;
}
static void keep_open (Bench *bench);
static void note_burst_requests (Bench *bench, JsonNode *log);

static Bench *the_bench;
static PurpleDebugUiOps *harness_debug_ops;
static PurpleDebugUiOps bench_debug_ops;
/* Empty: libpurple fills in its own saving of blist.xml, as it does for
 * Pidgin and Finch, whose buddy-list ops leave saving to it. */
static PurpleBlistUiOps bench_blist_ops;
static int bench_handle;

static void
bench_debug_print (PurpleDebugLevel  level,
                   const char       *category,
                   const char       *message)
{
  DebugLine line = { g_get_monotonic_time (), NULL };

  line.text = g_strdup_printf ("%s: %s", category ? category : "-", message ? message : "");
  g_strchomp (line.text);
  g_array_append_val (the_bench->debug, line);
  the_bench->debug_total++;
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

  if (purple_conversation_get_account (conv) != bench->account)
    return;
  g_ptr_array_add (bench->joined, conv);
  chat_event (bench, conv, TRUE);
  /* The soak's user reads a chat for a while, then closes it. */
  if (bench->soak_rand != NULL)
    close_later (bench, conv, (gint64) g_rand_int_range (bench->soak_rand, 3000, 15000) * 1000);
}

static gboolean
is_kept (Bench              *bench,
         PurpleConversation *conv)
{
  const char *name = purple_conversation_get_name (conv);

  for (guint i = 0; bench->kept != NULL && i < bench->kept->len; i++)
    if (g_ascii_strcasecmp (name, g_ptr_array_index (bench->kept, i)) == 0)
      return TRUE;
  return FALSE;
}

static void
close_later (Bench              *bench,
             PurpleConversation *conv,
             gint64              delay)
{
  gint64 *at;

  if (bench->close_at == NULL || is_kept (bench, conv) ||
      g_hash_table_contains (bench->close_at, conv))
    return;
  at = g_new (gint64, 1);
  *at = g_get_monotonic_time () + delay;
  g_hash_table_insert (bench->close_at, conv, at);
}

static void
deleting_conversation_cb (PurpleConversation *conv,
                          gpointer            user_data)
{
  Bench *bench = user_data;

  if (g_ptr_array_remove (bench->joined, conv))
    chat_event (bench, conv, FALSE);
  if (bench->close_at != NULL)
    g_hash_table_remove (bench->close_at, conv);
}

/* A user closing chats that opened on a message, once read. */
static gboolean
closer_cb (gpointer user_data)
{
  Bench *bench = user_data;
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, bench->close_at);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) value <= now)
      g_ptr_array_add (due, key);
  for (guint i = 0; i < due->len; i++)
    purple_conversation_destroy (g_ptr_array_index (due, i));
  return G_SOURCE_CONTINUE;
}

static void
closer_start (Bench *bench)
{
  bench->close_at = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  bench->closer_id = g_timeout_add (100, closer_cb, bench);
}

static void
closer_stop (Bench *bench)
{
  g_clear_handle_id (&bench->closer_id, g_source_remove);
  g_clear_pointer (&bench->close_at, g_hash_table_unref);
}

/* Every line libpurple wrote to a chat: the moment a writer's message
 * is shown to the user.  libpurple's own signal, after the UI's
 * write_conv op has written the line. */
static void
wrote_chat_cb (PurpleAccount      *account,
               const char         *who,
               const char         *message,
               PurpleConversation *conv,
               PurpleMessageFlags  flags,
               gpointer            user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();
  const char *at;
  guint k = 0;

  if (account != bench->account || bench->tag == NULL || (flags & PURPLE_MESSAGE_SYSTEM) ||
      message == NULL || (at = strstr (message, bench->tag)) == NULL)
    return;
  at += strlen (bench->tag);
  for (int i = 0; i < 4; i++, at++)
    {
      if (!g_ascii_isdigit (*at))
        return;
      k = k * 10 + (*at - '0');
    }
  /* "TAG-kkkk: ..." as written, or "TAG-kkkk edited as ...": a message
   * edited before the plugin first showed it is shown edited. */
  if ((*at != ':' && *at != ' ') || k >= bench->tag_count)
    return;
  if (bench->tag_shown[k] != 0)
    {
      bench->tag_twice++;
      return;
    }
  bench->tag_shown[k] = now;
  bench->tag_conv[k] = g_strdup (purple_conversation_get_name (conv));
  if (bench->soak_rand == NULL && bench->close_after > 0)
    close_later (bench, conv, bench->close_after);
}

static void
tags_begin (Bench      *bench,
            const char *tag,
            guint       count)
{
  bench->tag = g_strdup_printf ("%s-", tag);
  bench->tag_count = count;
  bench->tag_shown = g_new0 (gint64, count);
  bench->tag_conv = g_new0 (char *, count + 1);
  bench->tag_twice = 0;
}

static void
tags_end (Bench *bench)
{
  g_clear_pointer (&bench->tag, g_free);
  g_clear_pointer (&bench->tag_shown, g_free);
  g_clear_pointer (&bench->tag_conv, g_strfreev);
  bench->tag_count = 0;
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
  /* A request on its way now would reach the server's log after the
   * clear but not count as the window's in libsoup's: let it land. */
  plannr_harness_wait (nothing_on_way_cb, NULL, 10000);
  server_clear_log (bench->server);
  bench->heap0 = bench_heap_in_use ();
  bench->wall0 = g_get_monotonic_time ();
  bench_watch_mark (bench->wall0);
  bench->cpu0 = bench_cpu_us ();
  bench_probe_rearm ();
  bench_probe_window ();
}

/* A stall, with what libpurple and the plugin logged while the loop was
 * stuck in it, and how much of it libpurple spent in its own timers
 * (saving blist.xml, or anything else). */
static char *
describe_stall (Bench            *bench,
                const BenchStall *stall,
                gint64            origin)
{
  g_autoptr(GString) logged = g_string_new (NULL);
  gint64 saving = bench_watch_saves_within (stall->start, stall->end);
  gint64 timers = bench_watch_purple_within (stall->start, stall->end) - saving;
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
  return g_strdup_printf ("%.1f ms (%.1f ms of it on the CPU; %.1f ms libpurple saving "
                          "blist.xml, %.1f ms in its other timers) at +%.2f s; logged meanwhile: %s",
                          (stall->end - stall->start) / 1000.0, stall->cpu / 1000.0,
                          saving / 1000.0, timers / 1000.0, (stall->start - origin) / 1e6,
                          logged->len ? logged->str : "nothing");
}

/* The three longest stalls of the window or the run, and the longest
 * once libpurple's saves of blist.xml are taken out of each. */
static void
note_stalls (Bench      *bench,
             const char *scenario,
             gboolean    whole_run)
{
  g_autoptr(GArray) stalls = bench_probe_stalls (whole_run);
  gint64 origin = whole_run ? bench->run0 : bench->wall0;
  BenchStall own;
  gint64 own_us = bench_probe_max_own_us (whole_run, &own);

  gboolean own_noted = FALSE;

  for (guint i = 0; i < stalls->len && i < 3; i++)
    {
      BenchStall *stall = &g_array_index (stalls, BenchStall, i);
      g_autofree char *text = describe_stall (bench, stall, origin);

      note ("N=%u %s: stall of %s", bench->n, scenario, text);
      own_noted = own_noted || (stall->start == own.start && stall->excluded == 0);
    }
  if (own_us > BENCH_STALL_NOTE_US && !own_noted)
    {
      g_autofree char *text = describe_stall (bench, &own, origin);

      note ("N=%u %s: the longest stall less libpurple's saves of blist.xml is %.1f ms, "
            "in a stall of %s", bench->n, scenario, own_us / 1000.0, text);
    }
}

static LogCount
window_end (Bench      *bench,
            Row        *row,
            const char *scenario)
{
  LogCount count;
  g_autofree char *describe = NULL;
  guint watched;

  bench_probe_check ();
  row->wall_us = g_get_monotonic_time () - bench->wall0;
  row->cpu_us = bench_cpu_us () - bench->cpu0;
  row->stall_us = bench_probe_max_us (FALSE);
  row->busy_us = bench_probe_max_busy_us (FALSE);
  row->own_us = bench_probe_max_own_us (FALSE, NULL);
  {
    guint saves;

    row->save_us = bench_watch_longest_save (bench->wall0, &saves);
  }
  row->bytes = (gint64) bench_watch_window_bytes ();
  watched = bench_watch_window_count ();
  row->maxrss_kib = bench_peak_rss_kib ();
  row->rss_kib = bench_rss_kib ();
  count = server_count_log (bench->server, PLUGIN_AGENT);
  row->requests = count.total;
  describe = log_count_describe (&count);
  note ("N=%u %s: %s", bench->n, scenario, describe);
  if (watched != count.total)
    note ("N=%u %s: libsoup was handed %u requests by the plugin, the server logged %u",
          bench->n, scenario, watched, count.total);
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
                     const char *scenario,
                     gint64      done)
{
  gint64 page_max = 0, page_sum = 0, slice_max = 0;
  gint64 page_first = 0, page_last = 0, slice_first = 0, slice_last = 0;
  guint pages = 0, slices = 0;

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
          page_last = g_array_index (bench->debug, DebugLine, i).time - bench->wall0;
          if (page_first == 0)
            page_first = page_last;
        }
      else if (g_str_has_prefix (text, "plannr: buddy list: ") &&
               (at = strstr (text, " slice in ")) != NULL)
        {
          gint64 us = g_ascii_strtoll (at + strlen (" slice in "), NULL, 10);

          slice_max = MAX (slice_max, us);
          slices++;
          slice_last = g_array_index (bench->debug, DebugLine, i).time - bench->wall0;
          if (slice_first == 0)
            slice_first = slice_last;
        }
    }
  if (slices > 0)
    note ("N=%u %s: the plugin logged %u slices of updating the buddy list, the longest %.1f ms",
          bench->n, scenario, slices, slice_max / 1000.0);
  /* Where the time goes, by what the plugin logged when: the list's
   * pages (the floor's part), then the buddy list and the room list
   * a slice per idle, which the floor has no part of. */
  if (pages > 0 && slices > 0)
    note ("N=%u %s: the pages were in from +%.0f to +%.0f ms (the pinned list follows the last), "
          "the buddy list was updated from +%.0f to +%.0f ms, and the room list filled by +%.0f ms",
          bench->n, scenario, page_first / 1000.0, page_last / 1000.0, slice_first / 1000.0,
          slice_last / 1000.0, (done - bench->wall0) / 1000.0);
  if (pages > 0)
    note ("N=%u %s: the plugin logged %u conversation pages parsed into its list in "
          "%.1f ms each on average, %.1f ms at most", bench->n, scenario, pages,
          page_sum / 1000.0 / pages, page_max / 1000.0);
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
  bench->signin_stall = row.stall_us;
  bench->signin_busy = row.busy_us;
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
  note_plugin_timings (bench, "sign-in", bench->wall0 + row.wall_us);
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

/* Are the gaps between these poll times (monotonic µs, in order) no
 * longer changing: the last two the same within 5 %, and the poll after
 * the last not yet overdue?  That is what a backed-off poll looks like
 * from outside, whatever its intervals: today's plugin waits half as
 * long again after each poll that found nothing, up to its slowest, so
 * two equal gaps mean it has reached the slowest. */
static gboolean
steady_gaps (GArray *times,
             gint64  now)
{
  gint64 a, b, c, g1, g2;

  if (times->len < 3)
    return FALSE;
  a = g_array_index (times, gint64, times->len - 3);
  b = g_array_index (times, gint64, times->len - 2);
  c = g_array_index (times, gint64, times->len - 1);
  g1 = b - a;
  g2 = c - b;
  return ABS (g2 - g1) * 20 <= MAX (g1, g2) && now - c < 2 * g2;
}

/* Polling has backed off: the inbox poll and the polls of each chat
 * open now, read from the requests the plugin hands to libsoup since
 * @since. */
static gboolean
backed_off_since (Bench  *bench,
                  gint64  since,
                  char  **why)
{
  GPtrArray *requests = bench_watch_requests ();
  g_autoptr(GArray) inbox = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 now = g_get_monotonic_time ();
  gboolean steady = TRUE;

  for (guint i = 0; i < requests->len; i++)
    {
      BenchRequest *req = requests->pdata[i];

      if (req->queued >= since && bench_request_is_inbox (req))
        g_array_append_val (inbox, req->queued);
    }
  if (!steady_gaps (inbox, now))
    {
      steady = FALSE;
      if (why != NULL)
        *why = g_strdup_printf ("the inbox poll (%u polls seen)", inbox->len);
    }
  for (guint j = 0; steady && j < bench->joined->len; j++)
    {
      const char *uuid = purple_conversation_get_name (g_ptr_array_index (bench->joined, j));
      g_autoptr(GArray) chat = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; i < requests->len; i++)
        {
          BenchRequest *req = requests->pdata[i];

          if (req->queued >= since && bench_request_is_messages (req, uuid))
            g_array_append_val (chat, req->queued);
        }
      if (!steady_gaps (chat, now))
        {
          steady = FALSE;
          if (why != NULL)
            *why = g_strdup_printf ("the poll of %s (%u polls seen)", uuid, chat->len);
        }
    }
  return steady;
}

typedef struct
{
  Bench  *bench;
  gint64  since;
} RampWait;



static gboolean
backed_off_cb (gpointer user_data)
{
  RampWait *wait = user_data;

  return backed_off_since (wait->bench, wait->since, NULL);
}

/* Waits until polling has backed off, counting from now: at most the
 * 5 real minutes in which any sensible backoff reaches its slowest. */
static void
wait_backed_off (Bench      *bench,
                 const char *scenario)
{
  RampWait wait = { bench, g_get_monotonic_time () };
  g_autofree char *why = NULL;

  if (!plannr_harness_wait (backed_off_cb, &wait, 300 * 1000 / opt.scale + 30000) &&
      !backed_off_since (bench, wait.since, &why))
    note ("N=%u %s: polling had not backed off within the ramp: %s", bench->n, scenario, why);
  note ("N=%u %s: polls backed off after %.1f s (scaled)", bench->n, scenario,
        (g_get_monotonic_time () - wait.since) / 1e6);
}

static void
scenario_idle (Bench      *bench,
               Row        *row,
               const char *uuids)
{
  double real_minutes = opt.idle_seconds * opt.scale / 60.0;
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
  keep_open (bench);
  wait_backed_off (bench, "idle");

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
                                /* The issue's target for an active user
                                 * with 3 chats open: 3 % of the budget. */
                                row->rpm <= 15.0 ? "ok" : "OVER", row->rpm,
                                count.lists, count.messages, real_minutes);
  {
    g_autofree char *why = NULL;

    if (!backed_off_since (bench, bench->wall0, &why))
      note ("N=%u idle: in the window, polling was not steady: %s", bench->n, why);
  }
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
  {
    g_autoptr(JsonNode) log = server_log (bench->server);

    note_burst_requests (bench, log);
    bench_probe_rearm ();
  }
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

/* --- chats kept open ------------------------------------------------------- */

static gboolean
kept_open_cb (gpointer user_data)
{
  Bench *bench = user_data;

  for (guint i = 0; i < bench->kept->len; i++)
    {
      PurpleConversation *conv = plannr_harness_find_chat (bench->account, g_ptr_array_index (bench->kept, i));

      if (conv == NULL || g_list_length (purple_conv_chat_get_users (PURPLE_CONV_CHAT (conv))) < 3)
        return FALSE;
    }
  return TRUE;
}

/* The three most recent conversations open, every other chat closed,
 * as a user leaves them after reading. */
static void
keep_open (Bench *bench)
{
  if (bench->kept == NULL)
    {
      bench->kept = g_ptr_array_new_with_free_func (g_free);
      for (guint k = 0; k < IDLE_CHATS; k++)
        g_ptr_array_add (bench->kept, bench_conversation_uuid (bench->n - 1 - k));
    }
  for (guint i = bench->joined->len; i > 0; i--)
    {
      PurpleConversation *conv = g_ptr_array_index (bench->joined, i - 1);

      if (!is_kept (bench, conv))
        purple_conversation_destroy (conv);
    }
  for (guint i = 0; i < bench->kept->len; i++)
    if (plannr_harness_find_chat (bench->account, g_ptr_array_index (bench->kept, i)) == NULL)
      plannr_harness_join_chat (bench->account, g_ptr_array_index (bench->kept, i));
  if (!plannr_harness_wait (kept_open_cb, bench, OPEN_TIMEOUT_MS))
    g_error ("N=%u: the %u chats to keep open did not open", bench->n, bench->kept->len);
}

/* @count conversation indices spread evenly over the pool: neither the
 * burst's nor the 20 most recent, comma separated. */
static char *
pool_list (guint n,
           guint count)
{
  GString *list = g_string_new (NULL);
  guint span = n - OPEN_CHATS - 1 - POOL_FIRST;

  for (guint i = 0; i < count; i++)
    g_string_append_printf (list, "%s%u", i ? "," : "", POOL_FIRST + (guint) ((guint64) i * span / count));
  return g_string_free (list, FALSE);
}

static char *
kept_list (Bench *bench)
{
  GString *list = g_string_new (NULL);

  for (guint k = 0; k < IDLE_CHATS; k++)
    g_string_append_printf (list, "%s%u", k ? "," : "", bench->n - 1 - k);
  return g_string_free (list, FALSE);
}

/* --- the writer's messages -------------------------------------------------- */

typedef struct
{
  guint     k;
  gboolean  open;
  char     *conv;       /* uuid */
  char     *uuid;       /* the message's */
  gint64    accepted;   /* monotonic µs the server took it */
  gint64    shown;      /* monotonic µs it showed, 0 never */
  double    latency;    /* real seconds, < 0 not shown */
  double    waited;     /* of it, real seconds waiting for a poll */
} LatMsg;

static void
lat_msg_free (LatMsg *msg)
{
  g_free (msg->conv);
  g_free (msg->uuid);
  g_free (msg);
}

/* The MSG lines of a writer's output; @counts gets how many events of
 * each kind (MSG, EDIT, RENAME) there were. */
static GPtrArray *
read_writer (const char *path,
             guint       counts[3])
{
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) lat_msg_free);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (counts != NULL)
    counts[0] = counts[1] = counts[2] = 0;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return msgs;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      LatMsg *msg;

      if (counts != NULL && f[0] != NULL)
        counts[0] += strcmp (f[0], "MSG") == 0, counts[1] += strcmp (f[0], "EDIT") == 0,
        counts[2] += strcmp (f[0], "RENAME") == 0;
      if (g_strv_length (f) != 7 || strcmp (f[0], "MSG") != 0)
        continue;
      msg = g_new0 (LatMsg, 1);
      msg->k = (guint) g_ascii_strtoull (f[1], NULL, 10);
      msg->open = strcmp (f[2], "open") == 0;
      msg->conv = g_strdup (f[4]);
      msg->uuid = g_strdup (f[5]);
      msg->accepted = g_ascii_strtoll (f[6], NULL, 10);
      msg->latency = -1;
      g_ptr_array_add (msgs, msg);
    }
  return msgs;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

/* Nearest-rank percentiles of the latencies of @msgs (open, closed or
 * either: @which 1, 0, -1), real seconds; p50, p95, max.  FALSE when
 * none was shown. */
static gboolean
latency_stats (GPtrArray *msgs,
               int        which,
               double     out[3])
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  const double at[] = { 0.50, 0.95, 1.0 };

  for (guint i = 0; i < msgs->len; i++)
    {
      LatMsg *msg = msgs->pdata[i];

      if (msg->latency >= 0 && (which < 0 || msg->open == (which == 1)))
        g_array_append_val (values, msg->latency);
    }
  if (values->len == 0)
    return FALSE;
  g_array_sort (values, compare_doubles);
  for (guint j = 0; j < 3; j++)
    {
      guint rank = (guint) ceil (at[j] * values->len);

      out[j] = g_array_index (values, double, MAX (rank, 1) - 1);
    }
  return TRUE;
}

/* Real seconds from acceptance to showing.  The time waiting for the
 * poll that found a message is scaled time: it is multiplied by the
 * scale; the requests and the work after it are not.  That poll is
 * taken to be the first request the plugin made after the message was
 * accepted that could have seen it: an inbox poll, or any request about
 * its conversation.  If there was none, all of it was work. */
static void
plugin_latency (Bench  *bench,
                LatMsg *msg)
{
  GPtrArray *requests = bench_watch_requests ();
  gint64 poll = 0;

  if (msg->shown == 0)
    return;
  for (guint i = 0; i < requests->len && poll == 0; i++)
    {
      BenchRequest *req = requests->pdata[i];

      if (req->queued < msg->accepted || req->queued > msg->shown)
        continue;
      if (bench_request_is_inbox (req) ||
          (req->conversation != NULL && g_ascii_strcasecmp (req->conversation, msg->conv) == 0))
        poll = req->queued;
    }
  if (poll == 0)
    {
      msg->waited = 0;
      msg->latency = (msg->shown - msg->accepted) / 1e6;
      return;
    }
  msg->waited = (poll - msg->accepted) * (double) opt.scale / 1e6;
  msg->latency = msg->waited + (msg->shown - poll) / 1e6;
}

typedef struct
{
  const char *id;
  const char *name;
  const char *tag;
  gboolean    idle;       /* 5b: the user reported idle */
  Row         row;
  gint64      duration;   /* µs of wall time */
  guint       requests;   /* the plugin's, in the duration */
  gint64      inbox_rtt;  /* median µs of the plugin's inbox polls */
  double      plugin[3][3]; /* open, closed, all: p50, p95, max */
  gboolean    have[3];
} Latency;

static gboolean
tags_all_shown_cb (gpointer user_data)
{
  Bench *bench = user_data;

  for (guint k = 0; k < bench->tag_count; k++)
    if (bench->tag_shown[k] == 0)
      return FALSE;
  return TRUE;
}

static void
spawn (const char * const *argv,
       GPid               *pid)
{
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, pid, &error))
    g_error ("starting %s: %s", argv[0], error->message);
}

static gboolean
reap (GPid pid)
{
  g_autoptr(GError) error = NULL;
  int status;

  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  if (!g_spawn_check_wait_status (status, &error))
    {
      note ("a helper program failed: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 ia = *(const gint64 *) a, ib = *(const gint64 *) b;

  return (ia > ib) - (ia < ib);
}

/* Slowest first. */
static int
compare_latency (gconstpointer a,
                 gconstpointer b)
{
  const LatMsg *ma = *(LatMsg * const *) a, *mb = *(LatMsg * const *) b;

  return (ma->latency < mb->latency) - (ma->latency > mb->latency);
}

/* Scenarios 5 and 5b: other participants write at random moments into
 * the chats kept open and into conversations that are not open, while
 * polling has backed off; each message's latency, from the server's
 * acceptance to the line in the chat. */
static void
scenario_latency (Bench      *bench,
                  Latency    *lat,
                  const char *dir)
{
  g_autofree char *out = g_strdup_printf ("%s/writer-%s.txt", dir, lat->id);
  g_autofree char *base = g_strdup_printf ("--base-url=%s", bench->server->base_url);
  g_autofree char *out_arg = g_strdup_printf ("--output=%s", out);
  g_autofree char *seed_arg = g_strdup_printf ("--seed=%d", opt.seed);
  g_autofree char *duration_arg = NULL;
  g_autofree char *events_arg = g_strdup_printf ("--events=%d", opt.latency_messages);
  g_autofree char *tag_arg = g_strdup_printf ("--tag=%s", lat->tag);
  g_autofree char *kept = kept_list (bench);
  g_autofree char *pool = pool_list (bench->n, LATENCY_POOL);
  g_autofree char *open_arg = g_strdup_printf ("--open=%s", kept);
  g_autofree char *closed_arg = g_strdup_printf ("--closed=%s", pool);
  g_autoptr(GPtrArray) msgs = NULL;
  g_autoptr(GArray) rtts = g_array_new (FALSE, FALSE, sizeof (gint64));
  double real_minutes = opt.latency_minutes;
  guint shown = 0;
  LogCount count;
  gint64 end;
  GPid pid;

  lat->duration = (gint64) opt.latency_minutes * 60 * G_USEC_PER_SEC / opt.scale;
  duration_arg = g_strdup_printf ("--duration=%" G_GINT64_FORMAT, lat->duration / 1000);
  {
    const char *argv[] = { opt.writer, base, out_arg, seed_arg, duration_arg, events_arg, tag_arg,
                           open_arg, closed_arg, NULL };

    keep_open (bench);
    if (lat->idle)
      purple_presence_set_idle (purple_account_get_presence (bench->account), TRUE,
                                time (NULL) - IDLE_FOR_S);
    wait_backed_off (bench, lat->name);

    tags_begin (bench, lat->tag, opt.latency_messages);
    bench->close_after = (gint64) LATENCY_CLOSE_S * G_USEC_PER_SEC / opt.scale;
    closer_start (bench);
    window_begin (bench);
    spawn (argv, &pid);
  }
  plannr_harness_run_for (lat->duration / 1000);
  end = g_get_monotonic_time ();
  lat->requests = bench_watch_count_since (bench->wall0);
  /* A message written just before the end shows a poll later. */
  if (!plannr_harness_wait (tags_all_shown_cb, bench, 300 * 1000 / opt.scale + 10000))
    note ("N=%u %s: not every message showed within 5 real minutes of the window's end",
          bench->n, lat->name);
  reap (pid);
  count = window_end (bench, &lat->row, lat->name);
  closer_stop (bench);
  keep_open (bench);
  if (lat->idle)
    purple_presence_set_idle (purple_account_get_presence (bench->account), FALSE, 0);

  msgs = read_writer (out, NULL);
  for (guint i = 0; i < msgs->len; i++)
    {
      LatMsg *msg = msgs->pdata[i];

      if (msg->k < bench->tag_count && bench->tag_shown[msg->k] != 0)
        {
          msg->shown = bench->tag_shown[msg->k];
          shown++;
          if (g_ascii_strcasecmp (bench->tag_conv[msg->k], msg->conv) != 0)
            note ("N=%u %s: message %u showed in %s, not in %s", bench->n, lat->name, msg->k,
                  bench->tag_conv[msg->k], msg->conv);
        }
      plugin_latency (bench, msg);
    }
  for (int which = 0; which < 3; which++)
    lat->have[which] = latency_stats (msgs, which == 0 ? 1 : which == 1 ? 0 : -1, lat->plugin[which]);

  /* The plugin's own round trip of an inbox poll, for the floor's sake. */
  {
    GPtrArray *requests = bench_watch_requests ();

    for (guint i = 0; i < requests->len; i++)
      {
        BenchRequest *req = requests->pdata[i];

        if (req->queued >= bench->wall0 && req->finished > 0 && bench_request_is_inbox (req))
          {
            gint64 rtt = req->finished - req->queued;

            g_array_append_val (rtts, rtt);
          }
      }
    g_array_sort (rtts, (GCompareFunc) compare_gint64);
    lat->inbox_rtt = rtts->len ? g_array_index (rtts, gint64, rtts->len / 2) : -1;
  }

  lat->row.wall_us = end - bench->wall0;
  lat->row.requests = lat->requests;
  lat->row.rpm = lat->requests / real_minutes;
  note ("N=%u %s: %u requests in the %.0f s window (%.0f real minutes), %u in all until the last "
        "message showed, %.1f s later; the server logged %u", bench->n, lat->name, lat->requests,
        lat->duration / 1e6, real_minutes, bench_watch_count_since (bench->wall0),
        (g_get_monotonic_time () - end) / 1e6, count.total);
  {
    g_autofree char *describe = log_count_describe (&count);

    note ("N=%u %s: %s", bench->n, lat->name, describe);
  }
  /* The slowest three, to see where the time went. */
  {
    /* Borrowed: a copy would take over msgs' free function. */
    g_autoptr(GPtrArray) order = g_ptr_array_new ();

    for (guint i = 0; i < msgs->len; i++)
      g_ptr_array_add (order, msgs->pdata[i]);
    g_ptr_array_sort (order, compare_latency);
    for (guint i = 0; i < order->len && i < 3; i++)
      {
        LatMsg *msg = order->pdata[i];

        if (msg->latency >= 0)
          note ("N=%u %s: message %u (%s chat) took %.1f s, %.1f s of it waiting for a poll",
                bench->n, lat->name, msg->k, msg->open ? "an open" : "a closed", msg->latency,
                msg->waited);
      }
  }
  row_set (&lat->row, "shown", "%u", shown);
  row_set (&lat->row, "posted", "%u", msgs->len);
  row_set (&lat->row, "twice", "%u", bench->tag_twice);
  row_set (&lat->row, "inbox_rtt_us", "%" G_GINT64_FORMAT, lat->inbox_rtt);
  for (int which = 0; which < 3; which++)
    if (lat->have[which])
      row_set (&lat->row, which == 0 ? "open_s" : which == 1 ? "closed_s" : "all_s", "%.2f,%.2f,%.2f",
               lat->plugin[which][0], lat->plugin[which][1], lat->plugin[which][2]);
  lat->row.check = g_strdup_printf ("%s: %u of %u shown, %u twice", shown == msgs->len && msgs->len > 0 &&
                                    bench->tag_twice == 0 ? "ok" : "FAIL", shown, msgs->len,
                                    bench->tag_twice);
  tags_end (bench);
}

/* The floors of 5 and 5b, after the plugin signed off: the same
 * messages again (the same seed), and for each scenario an ideal poller
 * at the plugin's request rate, polling the inbox beside the others.
 * Computed too: an ideal poller at interval I waits I/2 on average, at
 * most I, plus one round trip (the floor's median). */
static void
run_latency_floors (Bench     *bench,
                    Latency  **lats,
                    guint      n_lats,
                    const char *dir)
{
  g_autofree char *out = g_strdup_printf ("%s/writer-floor.txt", dir);
  g_autofree char *base = g_strdup_printf ("--base-url=%s", bench->server->base_url);
  g_autofree char *out_arg = g_strdup_printf ("--output=%s", out);
  g_autofree char *seed_arg = g_strdup_printf ("--seed=%d", opt.seed);
  g_autofree char *duration_arg = NULL;
  g_autofree char *events_arg = g_strdup_printf ("--events=%d", opt.latency_messages);
  g_autofree char *kept = kept_list (bench);
  g_autofree char *pool = pool_list (bench->n, LATENCY_POOL);
  g_autofree char *open_arg = g_strdup_printf ("--open=%s", kept);
  g_autofree char *closed_arg = g_strdup_printf ("--closed=%s", pool);
  g_autoptr(GPtrArray) msgs = NULL;
  GPid writer, floors[4];
  gint64 duration = (gint64) opt.latency_minutes * 60 * G_USEC_PER_SEC / opt.scale;
  guint started = 0;

  duration_arg = g_strdup_printf ("--duration=%" G_GINT64_FORMAT, duration / 1000);
  {
    const char *argv[] = { opt.writer, base, out_arg, seed_arg, duration_arg, events_arg, "--tag=F",
                           open_arg, closed_arg, NULL };

    spawn (argv, &writer);
  }
  for (guint i = 0; i < n_lats && i < G_N_ELEMENTS (floors); i++)
    {
      g_autofree char *interval_arg = NULL;
      g_autofree char *polls_arg = g_strdup_printf ("--output=%s/floor-%s.txt", dir, lats[i]->id);
      g_autofree char *phase_arg = g_strdup_printf ("--seed=%d", opt.seed + 1 + (int) i);
      const char *argv[] = { opt.floor, base, "--mode=inbox", NULL, duration_arg, phase_arg, polls_arg, NULL };

      if (lats[i]->requests == 0)
        continue;
      /* The plugin's requests in the window, all spent on the inbox. */
      interval_arg = g_strdup_printf ("--interval=%" G_GINT64_FORMAT, duration / 1000 / lats[i]->requests);
      argv[3] = interval_arg;
      spawn (argv, &floors[i]);
      started |= 1u << i;
    }
  reap (writer);
  for (guint i = 0; i < n_lats && i < G_N_ELEMENTS (floors); i++)
    if (started & (1u << i))
      reap (floors[i]);

  msgs = read_writer (out, NULL);
  for (guint i = 0; i < n_lats && i < G_N_ELEMENTS (floors); i++)
    {
      Latency *lat = lats[i];
      g_autofree char *path = g_strdup_printf ("%s/floor-%s.txt", dir, lat->id);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      g_autoptr(GArray) rtts = g_array_new (FALSE, FALSE, sizeof (gint64));
      double real[3], interval_s, rtt_s;
      guint polls = 0, seen = 0;

      if (!(started & (1u << i)) || !g_file_get_contents (path, &text, NULL, NULL))
        continue;
      lines = g_strsplit (text, "\n", -1);
      for (guint m = 0; m < msgs->len; m++)
        ((LatMsg *) msgs->pdata[m])->latency = -1;
      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_auto(GStrv) f = g_strsplit (lines[l], " ", -1);
          gint64 start, done, rtt;

          if (g_strv_length (f) < 3 || strcmp (f[0], "POLL") != 0)
            continue;
          start = g_ascii_strtoll (f[1], NULL, 10);
          done = g_ascii_strtoll (f[2], NULL, 10);
          rtt = done - start;
          g_array_append_val (rtts, rtt);
          polls++;
          /* A message is seen by the first poll whose page lists its
           * conversation with it, or a later message of the writer's
           * there, as the latest. */
          for (guint m = 0; m < msgs->len; m++)
            {
              LatMsg *msg = msgs->pdata[m];

              if (msg->latency >= 0 || msg->accepted > done)
                continue;
              for (guint j = 3; f[j] != NULL; j++)
                {
                  const char *eq = strchr (f[j], '=');

                  if (eq == NULL || g_ascii_strncasecmp (f[j], msg->conv, eq - f[j]) != 0)
                    continue;
                  for (guint later = m; later < msgs->len; later++)
                    {
                      LatMsg *other = msgs->pdata[later];

                      if (g_ascii_strcasecmp (other->conv, msg->conv) == 0 &&
                          g_ascii_strcasecmp (other->uuid, eq + 1) == 0)
                        {
                          gint64 from = MAX (start, msg->accepted);

                          msg->waited = MAX (0, start - msg->accepted) * (double) opt.scale / 1e6;
                          msg->latency = msg->waited + (done - from) / 1e6;
                          seen++;
                          break;
                        }
                    }
                }
            }
        }
      g_array_sort (rtts, compare_gint64);
      rtt_s = rtts->len ? g_array_index (rtts, gint64, rtts->len / 2) / 1e6 : 0;
      interval_s = 60.0 / lat->row.rpm;
      lat->row.f_requests = polls;
      lat->row.f_rpm = polls / (double) opt.latency_minutes;
      row_set (&lat->row, "ideal_s", "%.2f,%.2f,%.2f", interval_s / 2 + rtt_s, 0.95 * interval_s + rtt_s,
               interval_s + rtt_s);
      row_set (&lat->row, "floor_rtt_us", "%.0f", rtt_s * 1e6);
      if (latency_stats (msgs, -1, real))
        row_set (&lat->row, "floor_s", "%.2f,%.2f,%.2f", real[0], real[1], real[2]);
      row_set (&lat->row, "floor_seen", "%u", seen);
      note ("N=%u %s: the ideal poller at the plugin's %.1f requests a minute polls every %.1f s "
            "(real); its round trip is %.1f ms (the plugin's inbox poll: %.1f ms); the floor program "
            "made %u polls and saw %u of %u messages", bench->n, lat->name, lat->row.rpm, interval_s,
            rtt_s * 1000, lat->inbox_rtt / 1000.0, polls, seen, msgs->len);
    }
}

/* --- the soak ------------------------------------------------------------------ */

typedef struct
{
  Bench   *bench;
  char   **pool;      /* uuids that open at random */
  gint64   next;      /* monotonic µs of the next opening */
} SoakOpener;

static gboolean
soak_open_cb (gpointer user_data)
{
  SoakOpener *opener = user_data;
  Bench *bench = opener->bench;
  gint64 now = g_get_monotonic_time ();
  guint open = 0;
  const char *uuid;

  if (now < opener->next)
    return G_SOURCE_CONTINUE;
  opener->next = now + (gint64) g_rand_int_range (bench->soak_rand, 2000, 8000) * 1000;
  for (guint i = 0; i < bench->joined->len; i++)
    open += !is_kept (bench, g_ptr_array_index (bench->joined, i));
  uuid = opener->pool[g_rand_int_range (bench->soak_rand, 0, g_strv_length (opener->pool))];
  if (open < SOAK_OPEN_MAX && plannr_harness_find_chat (bench->account, uuid) == NULL)
    {
      plannr_harness_join_chat (bench->account, uuid);
      bench->soak_opened++;
    }
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  gint64 rss_kib;
  gint64 arena;       /* mallinfo2 uordblks */
  gint64 mapped;      /* mallinfo2 hblkhd */
} MemSample;

static void
soak_forget (Bench *bench)
{
  bench_watch_compact ();
  forget_debug (bench);
  plannr_harness_clear_lines ();
  plannr_harness_clear_debug_log ();
  bench->lines_seen = 0;
}

static MemSample
mem_sample (void)
{
  MemSample sample = { bench_rss_kib (), bench_heap_uordblks (), bench_heap_mapped () };

  return sample;
}

/* Messages, edits and renames arriving at random, chats opening and
 * closing at random, for --soak-minutes of the account's (scaled)
 * time; memory at the start and the end of its second half. */
static void
scenario_soak (Bench      *bench,
               Row        *row,
               const char *dir)
{
  g_autofree char *out = g_strdup_printf ("%s/writer-soak.txt", dir);
  g_autofree char *base = g_strdup_printf ("--base-url=%s", bench->server->base_url);
  g_autofree char *out_arg = g_strdup_printf ("--output=%s", out);
  g_autofree char *seed_arg = g_strdup_printf ("--seed=%d", opt.seed + 100);
  gint64 duration = (gint64) opt.soak_minutes * 60 * G_USEC_PER_SEC / opt.scale;
  g_autofree char *duration_arg = g_strdup_printf ("--duration=%" G_GINT64_FORMAT, duration / 1000);
  /* One event every 10 real seconds. */
  int events = opt.soak_minutes * 6;
  g_autofree char *events_arg = g_strdup_printf ("--events=%d", events);
  g_autofree char *kept = kept_list (bench);
  g_autofree char *pool = pool_list (bench->n, SOAK_POOL);
  g_autofree char *open_arg = g_strdup_printf ("--open=%s,%s", kept, pool);
  const char *argv[] = { opt.writer, base, out_arg, seed_arg, duration_arg, events_arg, "--tag=S",
                         open_arg, "--soak", NULL };
  g_auto(GStrv) indices = g_strsplit (pool, ",", -1);
  SoakOpener opener = { bench, NULL, 0 };
  MemSample half, end;
  guint counts[3], opener_id, minutes, shown = 0;
  gint64 ended;
  g_autoptr(GPtrArray) msgs = NULL;
  GPid pid;

  opener.pool = g_new0 (char *, g_strv_length (indices) + 1);
  for (guint i = 0; indices[i] != NULL; i++)
    opener.pool[i] = bench_conversation_uuid ((guint) g_ascii_strtoull (indices[i], NULL, 10));

  keep_open (bench);
  bench->chat_events = g_array_new (FALSE, FALSE, sizeof (ChatEvent));
  bench->soak_rand = g_rand_new_with_seed ((guint32) opt.seed + 200);
  bench->soak_opened = 0;
  closer_start (bench);
  tags_begin (bench, "S", (guint) events);
  opener.next = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  opener_id = g_timeout_add (250, soak_open_cb, &opener);
  window_begin (bench);
  spawn (argv, &pid);

  /* A sample each (scaled) five minutes for the notes; the first half's
   * end and the whole's are the figures.  Before each, the benchmark's
   * own records (requests, debug lines, the harness's lines and log)
   * are let go of, so that they do not count as the plugin's growth. */
  minutes = 0;
  half = end = mem_sample ();
  while (minutes < (guint) opt.soak_minutes)
    {
      guint step = MIN (5, (guint) opt.soak_minutes - minutes);
      MemSample now;

      plannr_harness_run_for (step * 60 * 1000 / opt.scale);
      minutes += step;
      soak_forget (bench);
      now = mem_sample ();
      /* Letting go of thousands of records is the benchmark's stall. */
      bench_probe_rearm ();
      if (minutes * 2 <= (guint) opt.soak_minutes)
        half = now;
      end = now;
      note ("N=%u soak: at %u scaled min: RSS %" G_GINT64_FORMAT " KiB, malloc'd %" G_GINT64_FORMAT
            " KiB in the arenas and %" G_GINT64_FORMAT " KiB mapped, %u chats open", bench->n, minutes,
            now.rss_kib, now.arena / 1024, now.mapped / 1024, bench->joined->len);
    }
  ended = g_get_monotonic_time ();
  reap (pid);
  window_end (bench, row, "soak");
  g_source_remove (opener_id);
  closer_stop (bench);
  g_clear_pointer (&bench->soak_rand, g_rand_free);
  g_strfreev (opener.pool);

  /* How much of the RSS is memory malloc holds free: what it gives back
   * when asked (after the figures, which it would change). */
  malloc_trim (0);
  note ("N=%u soak: after malloc_trim (0), RSS %" G_GINT64_FORMAT " KiB (%" G_GINT64_FORMAT
        " KiB given back)", bench->n, bench_rss_kib (), end.rss_kib - bench_rss_kib ());

  /* A message written just before the end shows a poll later. */
  plannr_harness_wait (tags_all_shown_cb, bench, 300 * 1000 / opt.scale);
  msgs = read_writer (out, counts);
  for (guint i = 0; i < msgs->len; i++)
    {
      LatMsg *msg = msgs->pdata[i];

      g_autoptr(GString) chat = g_string_new (NULL);

      if (msg->k < bench->tag_count && bench->tag_shown[msg->k] != 0)
        {
          shown++;
          continue;
        }
      /* What its chat did around then: the likeliest cause. */
      for (guint e = 0; e < bench->chat_events->len; e++)
        {
          ChatEvent *event = &g_array_index (bench->chat_events, ChatEvent, e);

          if (g_ascii_strcasecmp (event->uuid, msg->conv) == 0 &&
              ABS (event->time - msg->accepted) < 20 * G_USEC_PER_SEC)
            g_string_append_printf (chat, " %s at %+.2f s;", event->opened ? "opened" : "closed",
                                    (event->time - msg->accepted) / 1e6);
        }
      note ("N=%u soak: message %u in %s, accepted %.1f s (wall) before the end, never showed; "
            "its chat, relative to the acceptance:%s", bench->n, msg->k, msg->conv,
            (ended - msg->accepted) / 1e6, chat->len ? chat->str : " neither opened nor closed within 20 s");
    }
  row_set (row, "rss_kib", "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, half.rss_kib, end.rss_kib);
  row_set (row, "arena", "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, half.arena, end.arena);
  row_set (row, "mapped", "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, half.mapped, end.mapped);
  row_set (row, "events", "%u,%u,%u,%u", counts[0], counts[1], counts[2], bench->soak_opened);
  row_set (row, "soak_min", "%d", opt.soak_minutes);
  row->rpm = row->requests / (double) opt.soak_minutes;
  {
    gint64 rss_growth = (end.rss_kib - half.rss_kib) * 1024;
    gint64 heap_growth = end.arena - half.arena;
    gboolean within = rss_growth <= 1024 * 1024 && heap_growth <= 1024 * 1024;

    row->check = g_strdup_printf ("%s: %u of %u messages shown, %u twice; growth over the second half: "
                                  "RSS %+.0f KiB, malloc'd %+.0f KiB",
                                  bench->tag_twice > 0 ? "FAIL" : within ? "ok" : "OVER",
                                  shown, counts[0], bench->tag_twice, rss_growth / 1024.0,
                                  heap_growth / 1024.0);
  }
  tags_end (bench);
  for (guint e = 0; e < bench->chat_events->len; e++)
    g_free (g_array_index (bench->chat_events, ChatEvent, e).uuid);
  g_clear_pointer (&bench->chat_events, g_array_unref);
  keep_open (bench);
  row_print (row);
}

/* --- what the numbers need explained -------------------------------------------- */

/* How long json-glib takes over a page of 500 conversations, as the
 * api layer parses it (json_parser_new_immutable(), load_from_data),
 * and a walk over every member the model reads: measured here, on a
 * page captured from the fake with the plugin's own query, outside
 * every window.  The plugin logs only its merge of the parsed page. */
static void
note_parse_cost (Bench *bench)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/conversation?sort=created_at&per_page=500&page=1"
                                          "&include=%s", bench->server->base_url, BENCH_LIST_INCLUDE);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GArray) parse = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) walk = g_array_new (FALSE, FALSE, sizeof (gint64));
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  guint items = 0;

  soup_message_headers_replace (headers, "Authorization", "Bearer " BENCH_TOKEN);
  soup_message_headers_replace (headers, "X-PLANNR-ACCOUNT-UUID", BENCH_ME);
  soup_message_headers_replace (headers, "Accept", "application/json");
  page = soup_session_send_and_read (bench->server->control, msg, NULL, NULL);
  if (page == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      note ("N=%u: could not capture a page of conversations to time its parsing", bench->n);
      return;
    }
  for (int r = 0; r < 7; r++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      gint64 t0 = g_get_monotonic_time (), t1, t2;
      JsonArray *data;

      g_utf8_validate_len (g_bytes_get_data (page, NULL), g_bytes_get_size (page), NULL);
      if (!json_parser_load_from_data (parser, g_bytes_get_data (page, NULL), g_bytes_get_size (page), NULL))
        return;
      t1 = g_get_monotonic_time ();
      data = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "data");
      items = json_array_get_length (data);
      for (guint i = 0; i < items; i++)
        {
          JsonObject *conv = json_array_get_object_element (data, i);
          GList *members = json_object_get_members (conv);

          /* Every member read once, nested objects and lists too. */
          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *node = json_object_get_member (conv, l->data);

              if (JSON_NODE_HOLDS_OBJECT (node))
                {
                  GList *inner = json_object_get_values (json_node_get_object (node));

                  g_list_free (inner);
                }
              else if (JSON_NODE_HOLDS_ARRAY (node))
                json_array_get_length (json_node_get_array (node));
              else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
                json_node_get_string (node);
            }
          g_list_free (members);
        }
      t2 = g_get_monotonic_time ();
      t1 -= t0;
      t2 -= t0;
      g_array_append_val (parse, t1);
      g_array_append_val (walk, t2);
    }
  bench_probe_rearm ();
  g_array_sort (parse, compare_gint64);
  g_array_sort (walk, compare_gint64);
  note ("N=%u: json-glib parses a page of %u conversations (%.0f KiB) in %.1f ms (median of 7; "
        "fastest %.1f ms), %.1f ms with a walk over every member; the plugin's longest stall in "
        "sign-in was %.1f ms (%.1f ms on the CPU): parsing, building the model and merging one page",
        bench->n, items, g_bytes_get_size (page) / 1024.0, g_array_index (parse, gint64, 3) / 1000.0,
        g_array_index (parse, gint64, 0) / 1000.0, g_array_index (walk, gint64, 3) / 1000.0,
        bench->signin_stall / 1000.0, bench->signin_busy / 1000.0);
}

/* Where the burst's requests went: the request log of its window
 * grouped by method, path (conversations as {c}) and query, and for
 * each of the burst's conversations the sequence of requests about it. */
static void
note_burst_requests (Bench    *bench,
                     JsonNode *log)
{
  JsonArray *array = json_node_get_array (log);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) per_conv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) sequences = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) lists = g_string_new (NULL);
  g_autoptr(GList) keys = NULL;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);
      const char *method = json_object_get_string_member_with_default (request, "method", "?");
      const char *path = json_object_get_string_member_with_default (request, "path", "");
      const char *query = json_object_get_string_member_with_default (request, "query", NULL);
      const char *conv = strstr (path, "/conversation/");
      g_autofree char *uuid = NULL;
      g_autofree char *shape = NULL;
      char *group;

      if (!log_entry_is (request, PLUGIN_AGENT))
        continue;
      if (conv != NULL)
        {
          conv += strlen ("/conversation/");
          uuid = g_strndup (conv, strcspn (conv, "/"));
          shape = g_strdup_printf ("%.*s{c}%s", (int) (conv - path), path, conv + strlen (uuid));
        }
      else
        shape = g_strdup (path);
      group = g_strdup_printf ("%s %s%s%s", method, shape, query ? "?" : "", query ? query : "");
      g_hash_table_insert (groups, g_strdup (group),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (groups, group)) + 1));
      if (uuid != NULL)
        {
          GPtrArray *seq = g_hash_table_lookup (per_conv, uuid);

          if (seq == NULL)
            {
              seq = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (per_conv, g_strdup (uuid), seq);
            }
          g_ptr_array_add (seq, g_strdup_printf ("%s%s%s", shape + strlen ("/api/v1/conversation/{c}"),
                                                 query ? "?" : "", query ? query : ""));
        }
      else
        g_string_append_printf (lists, "%s[%u] %s", lists->len ? ", " : "", i, group);
      g_free (group);
    }

  keys = g_hash_table_get_keys (groups);
  for (GList *l = keys; l != NULL; l = l->next)
    note ("N=%u burst, requests by kind: %u × %s", bench->n,
          GPOINTER_TO_UINT (g_hash_table_lookup (groups, l->data)), (const char *) l->data);
  note ("N=%u burst: the requests not about one conversation, by position in the log: %s",
        bench->n, lists->str);
  g_hash_table_iter_init (&iter, per_conv);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *seq = value;
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < seq->len; i++)
        g_string_append_printf (text, "%s%s", i ? " | " : "", (char *) seq->pdata[i]);
      g_hash_table_insert (sequences, g_strdup (text->str),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (sequences, text->str)) + 1));
    }
  g_hash_table_iter_init (&iter, sequences);
  while (g_hash_table_iter_next (&iter, &key, &value))
    note ("N=%u burst: %u conversations had, in order: %s", bench->n, GPOINTER_TO_UINT (value),
          (const char *) key);
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
  Row open_row, idle_row, burst_row, soak_row;
  Latency lat5 = { 0 }, lat5b = { 0 };
  Latency *lats[2];
  guint n_lats = 0;
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
  row_init (&soak_row, "soak", "long session", n);
  row_init (&lat5.row, "5", "latency, 3 chats open", n);
  row_init (&lat5b.row, "5b", "latency, user idle 15 min", n);
  open_uuids = uuid_list (n - 1, MIN (OPEN_CHATS, n), TRUE);
  idle_uuids = uuid_list (n - 1, IDLE_CHATS, TRUE);
  burst_uuids = uuid_list (0, BURST_CONVS, FALSE);
  /* Their pools lie between the burst's and the 20 most recent. */
  if ((want ("5") || want ("5b") || want ("soak")) &&
      n < POOL_FIRST + OPEN_CHATS + 1 + MAX (LATENCY_POOL, SOAK_POOL))
    g_error ("N=%u: the latency scenarios and the soak need at least %u conversations", n,
             POOL_FIRST + OPEN_CHATS + 1 + MAX (LATENCY_POOL, SOAK_POOL));

  if (want ("1"))
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
        printf ("FLOOR1P\tp_wall_us=%" G_GINT64_FORMAT "\tp_cpu_us=%" G_GINT64_FORMAT "\n",
                parsing.f_wall_us, parsing.f_cpu_us);
      }
      printf ("FLOOR1\tf_wall_us=%" G_GINT64_FORMAT "\tf_cpu_us=%" G_GINT64_FORMAT
              "\tf_requests=%" G_GINT64_FORMAT "\tf_bytes=%" G_GINT64_FORMAT
              "\tf_maxrss_kib=%" G_GINT64_FORMAT "\tf_stall_us=%" G_GINT64_FORMAT
              "\tf_busy_us=%" G_GINT64_FORMAT "\n",
              signin_floor.f_wall_us, signin_floor.f_cpu_us, signin_floor.f_requests,
              signin_floor.f_bytes, signin_floor.f_maxrss_kib, signin_floor.f_stall_us,
              signin_floor.f_busy_us);
      fflush (stdout);
    }
  if (want ("2"))
    run_floor (&server, &open_row, "open", open_uuids, NULL, NULL);

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
  bench_watch_http_start (PLUGIN_AGENT);
  {
    g_autofree char *blist = g_build_filename (plannr_harness_get_user_dir (), "blist.xml", NULL);

    bench_watch_purple_start (blist);
    bench_probe_set_exclude (bench_watch_saves_within);
  }

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
  purple_signal_connect (purple_conversations_get_handle (), "wrote-chat-msg", &bench_handle,
                         PURPLE_CALLBACK (wrote_chat_cb), &bench);

  bench.account = plannr_harness_account_new ("eleanor.hart@example.com", BENCH_TOKEN,
                                              server.base_url, BENCH_ME);
  purple_account_set_int (bench.account, SETTING_BLIST_DAYS, 0);
  purple_account_set_int (bench.account, SETTING_HISTORY_COUNT, 50);
  purple_account_set_bool (bench.account, SETTING_OPEN_ON_MESSAGE, TRUE);
  purple_account_set_int (bench.account, SETTING_POLL_INTERVAL, DEFAULT_POLL_INTERVAL / opt.scale);
  purple_account_set_int (bench.account, SETTING_CHAT_POLL_INTERVAL,
                          DEFAULT_CHAT_POLL_INTERVAL / opt.scale);

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

  /* Sign-in and settling come first whichever scenarios were asked
   * for; the others each set up what they need (chats kept open,
   * polling backed off). */
  bench.run0 = g_get_monotonic_time ();
  bench.run_cpu0 = bench_cpu_us ();
  bench_probe_start ();
  scenario_signin (&bench);
  scenario_settle (&bench);
  if (want ("1"))
    note_parse_cost (&bench);
  if (want ("2"))
    scenario_open (&bench, &open_row);
  if (want ("3"))
    scenario_idle (&bench, &idle_row, idle_uuids);
  if (want ("5"))
    {
      lat5.id = "5";
      lat5.name = "latency";
      lat5.tag = "L5";
      scenario_latency (&bench, &lat5, dir);
      lats[n_lats++] = &lat5;
    }
  if (want ("5b"))
    {
      lat5b.id = "5b";
      lat5b.name = "latency, user idle";
      lat5b.tag = "L5b";
      lat5b.idle = TRUE;
      scenario_latency (&bench, &lat5b, dir);
      lats[n_lats++] = &lat5b;
    }
  if (want ("4"))
    {
      /* As after the idle scenario: three chats open, polling backed
       * off, so that the burst waits for a backed-off inbox poll. */
      keep_open (&bench);
      wait_backed_off (&bench, "burst");
      scenario_burst (&bench, &burst_row);
    }
  if (want ("soak"))
    scenario_soak (&bench, &soak_row, dir);
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
    all.own_us = bench_probe_max_own_us (TRUE, NULL);
    {
      guint saves;

      all.save_us = bench_watch_longest_save (bench.run0, &saves);
      note ("N=%u whole run: libpurple saved blist.xml %u times, the longest save %.1f ms",
            n, saves, all.save_us / 1000.0);
    }
    all.maxrss_kib = bench_peak_rss_kib ();
    all.check = g_strdup_printf ("%u debug lines logged", bench.debug_total);
    bench.wall0 = bench.run0;
    note_stalls (&bench, "whole run", TRUE);
    row_print (&all);
  }

  /* The user closes the room list before signing off. */
  if (bench.roomlist != NULL)
    purple_roomlist_unref (g_steal_pointer (&bench.roomlist));
  plannr_harness_disconnect (bench.account);
  if (want ("4"))
    {
      run_floor (&server, &burst_row, "burst", burst_uuids, NULL, NULL);
      row_print (&burst_row);
    }
  if (n_lats > 0)
    {
      run_latency_floors (&bench, lats, n_lats, dir);
      for (guint i = 0; i < n_lats; i++)
        row_print (&lats[i]->row);
    }

  purple_signals_disconnect_by_handle (&bench_handle);
  purple_debug_set_ui_ops (harness_debug_ops);
  plannr_harness_shutdown ();
  forget_debug (&bench);
  g_array_unref (bench.debug);
  g_ptr_array_unref (bench.joined);
  g_clear_pointer (&bench.kept, g_ptr_array_unref);

  server_stop (&server);
  {
    g_autoptr(GDir) entries = g_dir_open (dir, 0, NULL);
    const char *name;

    while (entries != NULL && (name = g_dir_read_name (entries)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
  }
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
  /* Fixed windows: their length, not a ratio, and requests per real
   * minute beside the counts. */
  gboolean window = g_strcmp0 (id, "3") == 0 || g_strcmp0 (id, "5") == 0 ||
                    g_strcmp0 (id, "5b") == 0 || g_strcmp0 (id, "soak") == 0;
  gint64 per_conv = get_int (row, "per_conv_b");
  gint64 own = get_int (row, "own_us");
  gint64 save = get_int (row, "save_us");
  g_autofree char *wall = NULL;
  g_autofree char *cpu = pair_ms (get_int (row, "cpu_us"), get_int (row, "f_cpu_us"));
  g_autofree char *requests = NULL;
  g_autofree char *bytes = pair_kib (get_int (row, "bytes"), get_int (row, "f_bytes"));
  g_autofree char *rss = pair_mib (get_int (row, "maxrss_kib"), get_int (row, "f_maxrss_kib"));
  g_autofree char *stall = pair_stall (get_int (row, "stall_us"), get_int (row, "busy_us"),
                                       get_int (row, "f_stall_us"), get_int (row, "f_busy_us"));
  g_autofree char *split = own < 0 ? g_strdup ("–")
                           : save > 0 ? g_strdup_printf ("%.0f (%.0f)", own / 1000.0, save / 1000.0)
                           : g_strdup_printf ("%.0f", own / 1000.0);
  g_autofree char *conv = per_conv >= 0 && (g_strcmp0 (id, "1") == 0 || g_strcmp0 (id, "1b") == 0)
                          ? g_strdup_printf ("%.2f", per_conv / 1024.0) : g_strdup ("");

  if (window)
    {
      wall = g_strdup_printf ("%.0f s window (≙ %.0f min)", get_int (row, "wall_us") / 1e6,
                              get_int (row, "wall_us") / 1e6 * opt.scale / 60.0);
      if (get_int (row, "f_requests") >= 0)
        requests = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " (%.1f / %.1f per min)",
                                    get_int (row, "requests"), get_int (row, "f_requests"),
                                    get_double (row, "rpm"), get_double (row, "f_rpm"));
      else
        requests = g_strdup_printf ("%" G_GINT64_FORMAT " (%.1f per min)", get_int (row, "requests"),
                                    get_double (row, "rpm"));
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

  g_string_append_printf (out, "| %s %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                          id, (const char *) g_hash_table_lookup (row, "name"),
                          (const char *) g_hash_table_lookup (row, "n"),
                          wall, cpu, requests, bytes, rss, conv, stall, split,
                          (const char *) g_hash_table_lookup (row, "check"));
}

/* "p50 / p95 / max" of a field "a,b,c" in seconds. */
static char *
triple (GHashTable *row,
        const char *key)
{
  const char *value = g_hash_table_lookup (row, key);
  g_auto(GStrv) parts = value ? g_strsplit (value, ",", 3) : NULL;

  if (parts == NULL || g_strv_length (parts) != 3)
    return g_strdup ("–");
  return g_strdup_printf ("%.1f / %.1f / %.1f", g_ascii_strtod (parts[0], NULL),
                          g_ascii_strtod (parts[1], NULL), g_ascii_strtod (parts[2], NULL));
}

static double
part (GHashTable *row,
      const char *key,
      guint       index)
{
  const char *value = g_hash_table_lookup (row, key);
  g_auto(GStrv) parts = value ? g_strsplit (value, ",", -1) : NULL;

  if (parts == NULL || g_strv_length (parts) <= index)
    return -1;
  return g_ascii_strtod (parts[index], NULL);
}

static void
latency_row (GString    *out,
             GHashTable *row)
{
  const char *id = g_hash_table_lookup (row, "id");
  gboolean idle = g_strcmp0 (id, "5b") == 0;
  g_autofree char *open = triple (row, "open_s");
  g_autofree char *closed = triple (row, "closed_s");
  g_autofree char *ideal = triple (row, "ideal_s");
  g_autofree char *floor = triple (row, "floor_s");
  double rpm = get_double (row, "rpm");
  double p95 = MAX (part (row, "open_s", 1), part (row, "closed_s", 1));
  double max = MAX (part (row, "open_s", 2), part (row, "closed_s", 2));
  g_autofree char *target = NULL;

  /* The issue's targets: active, p95 <= 6 s, max <= 8 s at <= 15 a
   * minute; idle, p95 <= 30 s at <= 6 a minute. */
  if (idle)
    target = g_strdup_printf ("%s (≤ 6/min, p95 ≤ 30 s)",
                              rpm <= 6 && p95 >= 0 && p95 <= 30 ? "met" : "missed");
  else
    target = g_strdup_printf ("%s (≤ 15/min, p95 ≤ 6 s, max ≤ 8 s)",
                              rpm <= 15 && p95 >= 0 && p95 <= 6 && max <= 8 ? "met" : "missed");
  g_string_append_printf (out, "| %s %s | %s | %.1f / %.1f | %s | %s | %s | %s | %.0f / %.0f | %s | %s |\n",
                          id, (const char *) g_hash_table_lookup (row, "name"),
                          (const char *) g_hash_table_lookup (row, "n"), rpm, get_double (row, "f_rpm"),
                          open, closed, ideal, floor, get_double (row, "floor_rtt_us") / 1000.0,
                          get_double (row, "inbox_rtt_us") / 1000.0, target,
                          (const char *) g_hash_table_lookup (row, "check"));
}

static void
soak_row (GString    *out,
          GHashTable *row)
{
  double rss0 = part (row, "rss_kib", 0), rss1 = part (row, "rss_kib", 1);
  double heap0 = part (row, "arena", 0) / 1024, heap1 = part (row, "arena", 1) / 1024;
  double map0 = part (row, "mapped", 0) / 1024, map1 = part (row, "mapped", 1) / 1024;

  g_string_append_printf (out, "| %s | %s min (%.0f s) | %.0f / %.0f / %.0f / %.0f | %.0f → %.0f (%+.0f) "
                          "| %.0f → %.0f (%+.0f) | %.0f → %.0f (%+.0f) | %s |\n",
                          (const char *) g_hash_table_lookup (row, "n"),
                          (const char *) g_hash_table_lookup (row, "soak_min"),
                          get_int (row, "wall_us") / 1e6,
                          part (row, "events", 0), part (row, "events", 1), part (row, "events", 2),
                          part (row, "events", 3), rss0, rss1, rss1 - rss0, heap0, heap1, heap1 - heap0,
                          map0, map1, map1 - map0, (const char *) g_hash_table_lookup (row, "check"));
}

/* The sizes' runs: 5, 5b and the soak in one of them only. */
static char *
scenarios_for (const char *size,
               const char *long_size)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; all_scenarios[i] != NULL; i++)
    {
      const char *id = all_scenarios[i];
      gboolean long_one = strcmp (id, "5") == 0 || strcmp (id, "5b") == 0 || strcmp (id, "soak") == 0;

      if (!want (id) || (long_one && strcmp (size, long_size) != 0))
        continue;
      g_string_append_printf (list, "%s%s", list->len ? "," : "", id);
    }
  return g_string_free (list, FALSE);
}

static int
run_all (void)
{
  g_auto(GStrv) sizes = g_strsplit (opt.sizes, ",", -1);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *long_size = g_strdup_printf ("%d", opt.long_size);
  const char *order[] = { "1", "1b", "2", "3", "5", "5b", "4", "soak", "all" };
  gint64 started = g_get_monotonic_time ();
  gboolean failed = FALSE;
  g_autofree char *load_before = NULL;

  /* The machine may be shared: say how busy it was. */
  g_file_get_contents ("/proc/loadavg", &load_before, NULL, NULL);
  if (!g_strv_contains ((const char * const *) sizes, long_size))
    {
      g_free (long_size);
      long_size = g_strdup (sizes[0]);
    }

  for (guint s = 0; sizes[s] != NULL; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out_text = NULL;
      g_autofree char *size_arg = g_strdup_printf ("--size=%s", sizes[s]);
      g_autofree char *scale_arg = g_strdup_printf ("--scale=%d", opt.scale);
      g_autofree char *idle_arg = g_strdup_printf ("--idle-seconds=%d", opt.idle_seconds);
      g_autofree char *bindir_arg = g_strdup_printf ("--bindir=%s", opt.bindir);
      g_autofree char *fake_arg = g_strdup_printf ("--fake-server=%s", opt.fake_server);
      g_autofree char *list = scenarios_for (sizes[s], long_size);
      g_autofree char *scenarios_arg = g_strdup_printf ("--scenarios=%s", list);
      g_autofree char *minutes_arg = g_strdup_printf ("--latency-minutes=%d", opt.latency_minutes);
      g_autofree char *messages_arg = g_strdup_printf ("--latency-messages=%d", opt.latency_messages);
      g_autofree char *soak_arg = g_strdup_printf ("--soak-minutes=%d", opt.soak_minutes);
      g_autofree char *seed_arg = g_strdup_printf ("--seed=%d", opt.seed);
      const char *argv[] = { self, size_arg, scale_arg, idle_arg, bindir_arg, fake_arg, scenarios_arg,
                             minutes_arg, messages_arg, soak_arg, seed_arg, NULL };
      g_auto(GStrv) lines = NULL;
      GHashTable *floor1 = NULL;
      GHashTable *floor1p = NULL;
      int status;

      if (*list == '\0')
        continue;
      g_printerr ("plannr-bench: %s conversations: %s\n", sizes[s], list);
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
          else if (g_str_has_prefix (lines[i], "FLOOR1P\t"))
            floor1p = parse_fields (lines[i]);
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
                  if (floor1p != NULL)
                    {
                      gint64 wall = get_int (row, "wall_us"), f = get_int (row, "f_wall_us");
                      gint64 p = get_int (floor1p, "p_wall_us");

                      /* How much of the gap to the floor parsing alone
                       * explains. */
                      g_ptr_array_add (notes, g_strdup_printf ("N=%s sign-in: %.2f× the floor, %.2f× the "
                                                               "floor that parses (%.0f ms); parsing is %.0f %% "
                                                               "of the gap to the floor (%.0f of %.0f ms)",
                                                               sizes[s], (double) wall / f, (double) wall / p,
                                                               p / 1000.0, 100.0 * (p - f) / MAX (wall - f, 1),
                                                               (p - f) / 1000.0, (wall - f) / 1000.0));
                    }
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
      g_clear_pointer (&floor1p, g_hash_table_unref);
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
                          "| Longest stall ms (on CPU): plugin / floor "
                          "| Longest stall less libpurple's blist.xml saves ms (longest save) | Check |\n");
  g_string_append (out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    for (guint i = 0; i < rows->len; i++)
      if (g_strcmp0 (g_hash_table_lookup (rows->pdata[i], "id"), order[o]) == 0)
        table_row (out, rows->pdata[i]);

  {
    gboolean header = FALSE;

    for (guint i = 0; i < rows->len; i++)
      {
        const char *id = g_hash_table_lookup (rows->pdata[i], "id");

        if (g_strcmp0 (id, "5") != 0 && g_strcmp0 (id, "5b") != 0)
          continue;
        if (!header)
          {
            g_string_append_printf (out, "\nLatency, real seconds from the server's acceptance to the "
                                    "line in the chat (%d messages at random over %d real minutes, "
                                    "half into the 3 open chats):\n\n",
                                    opt.latency_messages, opt.latency_minutes);
            g_string_append (out, "| Scenario | N | Requests per real min: plugin / floor "
                             "| Open chats s: p50 / p95 / max | Closed s: p50 / p95 / max "
                             "| Ideal poller, computed s: I/2 / 0.95 I / I, + RTT "
                             "| Floor program s: p50 / p95 / max | RTT ms: floor / plugin's inbox poll "
                             "| Target | Check |\n");
            g_string_append (out, "|---|--:|--:|--:|--:|--:|--:|--:|---|---|\n");
            header = TRUE;
          }
        latency_row (out, rows->pdata[i]);
      }
  }
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (g_hash_table_lookup (rows->pdata[i], "id"), "soak") == 0)
      {
        g_string_append (out, "\nSoak, memory at the start and the end of its second half:\n\n"
                         "| N | Scaled time (wall) | Messages / edits / renames / chats opened "
                         "| RSS KiB | malloc'd KiB (uordblks) | mapped KiB (hblkhd) | Check |\n"
                         "|--:|--:|--:|--:|--:|--:|---|\n");
        soak_row (out, rows->pdata[i]);
      }

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
    { "scenarios", 0, 0, G_OPTION_ARG_STRING, &opt.scenarios,
      "Run only these (of 1,1b,2,3,4,5,5b,soak; default all)", "S,S" },
    { "long-size", 0, 0, G_OPTION_ARG_INT, &opt.long_size,
      "The size whose run has 5, 5b and the soak (default 2000, else the first size)", "N" },
    { "size", 0, 0, G_OPTION_ARG_INT, &opt.size, "Run one size (what the runner calls)", "N" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &opt.scale, "Divide poll intervals by this: 1 or 5 (default 5)", "F" },
    { "idle-seconds", 0, 0, G_OPTION_ARG_INT, &opt.idle_seconds, "Idle window, scaled seconds (default 48)", "S" },
    { "latency-minutes", 0, 0, G_OPTION_ARG_INT, &opt.latency_minutes,
      "Window of 5 and 5b, real minutes (default 10)", "M" },
    { "latency-messages", 0, 0, G_OPTION_ARG_INT, &opt.latency_messages,
      "Messages written in it (default 40)", "K" },
    { "soak-minutes", 0, 0, G_OPTION_ARG_INT, &opt.soak_minutes, "The soak, real minutes (default 30)", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &opt.seed, "Seed of the random moments (default 13)", "S" },
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
  if (opt.latency_minutes < 1 || opt.latency_messages < 2 || opt.soak_minutes < 2)
    {
      g_printerr ("%s: --latency-minutes >= 1, --latency-messages >= 2, --soak-minutes >= 2\n",
                  g_get_prgname ());
      return 2;
    }
  if (opt.scenarios != NULL)
    {
      g_auto(GStrv) list = g_strsplit (opt.scenarios, ",", -1);

      for (guint i = 0; list[i] != NULL; i++)
        if (*list[i] != '\0' && !g_strv_contains (all_scenarios, list[i]))
          {
            g_printerr ("%s: no scenario %s (there are 1,1b,2,3,4,5,5b,soak)\n", g_get_prgname (), list[i]);
            return 2;
          }
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
  opt.writer = g_build_filename (opt.bindir, "plannr-bench-writer", NULL);

  if (opt.size <= 0)
    return run_all ();

  return run_size (opt.size);
}
