/* bench-util.h: what the benchmark programs share
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The generated world (fixed uuids, so that every program knows them
 * without reading the seed file), the stall probe, and the process
 * figures: CPU time, resident and peak memory.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* --- the generated world ---------------------------------------------- */

#define BENCH_TOKEN      "bench-token-7f3a9c1e5b2d4086"
#define BENCH_USER       "0b000000-0000-4000-8000-000000000001"
#define BENCH_FIRM       "0f000000-0000-4000-8000-000000000001"
#define BENCH_ME         "0a000000-0000-4000-8000-000000000001"
#define BENCH_MY_NAME    "Eleanor Hart"
#define BENCH_COLLEAGUES 12

/* What the plugin asks for in its conversation lists (LIST_INCLUDE in
 * src/plannr-chats.c); the floor asks for the same. */
#define BENCH_LIST_INCLUDE "latest_message,participants_count,messages_count,files_count,case,tags"

/* Conversation @i (0 is the oldest, n - 1 the most recent), its client
 * (one per conversation) and the colleague on it.  Newly allocated. */
char     *bench_conversation_uuid (guint i);
char     *bench_client_uuid       (guint i);
char     *bench_colleague_uuid    (guint i);

/* The contents of burst message @k (0-based) of @total. */
char     *bench_burst_contents    (guint k,
                                   guint total,
                                   guint conversation);
/* -1 unless @text starts like bench_burst_contents() (HTML or not). */
int       bench_burst_index       (const char *text);

/* --- the stall probe -------------------------------------------------- */

/* A timeout every BENCH_PROBE_MS on the default main context that
 * notes how much later than due it runs: the longest time the loop
 * was busy with something else, which is what a user sees as a frozen
 * window.  Stalls longer than BENCH_STALL_NOTE_US are kept with their
 * start and end (monotonic µs) for attributing them afterwards, and
 * with the CPU time the main thread had meanwhile: a long stall with
 * little CPU is the machine's (another process had the core), not the
 * program's. */
#define BENCH_PROBE_MS       10
#define BENCH_STALL_NOTE_US  16000

typedef struct
{
  gint64 start;
  gint64 end;
  gint64 cpu;         /* CPU time of the main thread during it, µs */
  gint64 excluded;    /* of it, what the exclusion function took out */
} BenchStall;

/* What of the interval [start, end] (monotonic µs) is not to count as
 * the program's own: the benchmark takes out libpurple's saves of
 * blist.xml, to tell the plugin's stalls from libpurple's. */
typedef gint64 (*BenchExcludeFunc) (gint64 start,
                                    gint64 end);

void          bench_probe_start   (void);
void          bench_probe_stop    (void);
/* Forget the time since the last run (after a deliberate block). */
void          bench_probe_rearm   (void);
/* Counts a stall that has just ended as if the probe had run now: a
 * wait returns as soon as its condition holds, before the probe's next
 * turn, so the last stall of a window would otherwise go unseen. */
void          bench_probe_check   (void);
/* A window within the run: max_us and stalls count from here on. */
void          bench_probe_window  (void);
gint64        bench_probe_max_us  (gboolean whole_run);
/* The most CPU time the main thread spent within one stall. */
gint64        bench_probe_max_busy_us (gboolean whole_run);
/* BenchStall, longest first, at most 8, of the window or the run. */
GArray       *bench_probe_stalls  (gboolean whole_run);
/* From now on, stalls are also measured less what @func excludes. */
void          bench_probe_set_exclude (BenchExcludeFunc func);
/* The longest stall less what was excluded from it, and that stall. */
gint64        bench_probe_max_own_us  (gboolean    whole_run,
                                       BenchStall *stall);

/* --- process figures -------------------------------------------------- */

/* User + system CPU time of this process (all threads), µs. */
gint64        bench_cpu_us        (void);
/* Peak resident set so far (VmHWM of /proc/self/status), KiB.  Not
 * getrusage's ru_maxrss: Linux carries that across exec, so a program
 * spawned by a big one would report its parent's size. */
gint64        bench_peak_rss_kib  (void);
/* Resident set now (/proc/self/statm), KiB. */
gint64        bench_rss_kib       (void);
/* Bytes malloc has handed out and not got back (mallinfo2), so live
 * data can be told from freed memory the heap keeps. */
gint64        bench_heap_in_use   (void);
/* Of it, mallinfo2's uordblks alone (the heap arenas) and hblkhd (the
 * large blocks malloc maps on their own). */
gint64        bench_heap_uordblks (void);
gint64        bench_heap_mapped   (void);

G_END_DECLS
