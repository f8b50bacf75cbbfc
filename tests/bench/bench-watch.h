/* bench-watch.h: what the benchmark sees of the plugin from outside it
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The benchmark loads the plugin as Pidgin does and reads nothing of
 * its code or structs.  What it needs beyond libpurple's signals and the
 * plugin's debug output it observes in the process around the plugin:
 *
 *  - HTTP: every request a SoupSession whose User-Agent starts with a
 *    given prefix hands to libsoup, with the monotonic times it was
 *    queued and finished and its response body size (libsoup's own
 *    message metrics).  An emission hook on SoupSession's
 *    request-queued and request-unqueued signals, public libsoup 3 API:
 *    it relies only on the plugin using libsoup 3 on the main thread.
 *    The fake's request log says which requests were made, but neither
 *    when nor how big their answers were.
 *  - libpurple's own timers: every purple_timeout_add*() callback runs
 *    wrapped (through the event loop UI ops, as any UI could), so that
 *    the time libpurple spends in them, and in particular saving
 *    blist.xml, can be told from the rest of a main-loop stall.  The
 *    plugin's own timers are GLib's and are not wrapped.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* --- HTTP ---------------------------------------------------------------- */

typedef enum
{
  BENCH_REQ_ME,
  BENCH_REQ_LIST,          /* GET /conversation: sign-in pages, inbox polls */
  BENCH_REQ_PINNED,        /* the same, sorted by pinned */
  BENCH_REQ_CONVERSATION,  /* GET /conversation/X[?include=...] */
  BENCH_REQ_MESSAGES,      /* GET /conversation/X/messages */
  BENCH_REQ_WRITE,         /* anything but a GET */
  BENCH_REQ_OTHER,
} BenchReqKind;

typedef struct
{
  gint64        queued;     /* monotonic µs handed to libsoup */
  gint64        finished;   /* monotonic µs done with, 0 while on its way */
  BenchReqKind  kind;
  char         *method;
  char         *path;
  char         *query;
  char         *conversation; /* the uuid in the path, or NULL */
  guint         status;
  guint64       body_bytes;
  gpointer      msg;        /* the SoupMessage while on its way */
} BenchRequest;

/* Starts watching sessions whose User-Agent starts with @agent_prefix. */
void          bench_watch_http_start      (const char *agent_prefix);
/* BenchRequest*, in the order queued, owned by the watch.  Call with
 * the main loop not running in another thread. */
GPtrArray    *bench_watch_requests        (void);
/* Requests queued since @since (monotonic µs). */
guint         bench_watch_count_since     (gint64      since);
/* Body bytes of requests finished since @since. */
guint64       bench_watch_bytes_since     (gint64      since);
/* Requests on their way now. */
guint         bench_watch_on_way          (void);
/* A window starts at @mark (monotonic µs): requests finished before
 * are forgotten. */
void          bench_watch_mark            (gint64      mark);
/* Forgets finished requests, keeping the window's totals: a long
 * window need not keep every request it made. */
void          bench_watch_compact         (void);
/* Requests queued, and body bytes received, in the window so far. */
guint         bench_watch_window_count    (void);
guint64       bench_watch_window_bytes    (void);

/* Is this a poll-like request: an inbox page (page 1 of a list sorted by
 * activity) or a page of messages of @conversation (NULL: of any)? */
gboolean      bench_request_is_inbox      (const BenchRequest *req);
gboolean      bench_request_is_messages   (const BenchRequest *req,
                                           const char         *conversation);

/* --- libpurple's timers --------------------------------------------------- */

/* Wraps libpurple's timers from now on; @blist_path is the blist.xml
 * whose rewriting marks a callback as libpurple's save of it. */
void          bench_watch_purple_start    (const char *blist_path);
/* µs of the interval [start, end] (monotonic µs) spent in libpurple's
 * saves of blist.xml, and in any of its timer callbacks. */
gint64        bench_watch_saves_within    (gint64      start,
                                           gint64      end);
gint64        bench_watch_purple_within   (gint64      start,
                                           gint64      end);
/* The longest save of blist.xml since @since, µs, and how many. */
gint64        bench_watch_longest_save    (gint64      since,
                                           guint      *count);

G_END_DECLS
