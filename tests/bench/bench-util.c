/* bench-util.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "bench-util.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MAX_STALLS 8

/* --- the generated world ---------------------------------------------- */

char *
bench_conversation_uuid (guint i)
{
  return g_strdup_printf ("0c000000-0000-4000-8000-%012x", i);
}

char *
bench_client_uuid (guint i)
{
  return g_strdup_printf ("0d000000-0000-4000-8000-%012x", i);
}

char *
bench_colleague_uuid (guint i)
{
  return g_strdup_printf ("0e000000-0000-4000-8000-%012x", i % BENCH_COLLEAGUES);
}

char *
bench_burst_contents (guint k,
                      guint total,
                      guint conversation)
{
  return g_strdup_printf ("Burst %04u of %u for file %05u: the transfer forms are back, "
                          "please check section %u before we send them on.",
                          k, total, conversation, k % 9 + 1);
}

int
bench_burst_index (const char *text)
{
  int index = 0;

  if (text == NULL || !g_str_has_prefix (text, "Burst "))
    return -1;
  text += strlen ("Burst ");
  for (int i = 0; i < 4; i++, text++)
    {
      if (!g_ascii_isdigit (*text))
        return -1;
      index = index * 10 + (*text - '0');
    }
  return *text == ' ' ? index : -1;
}

/* --- the stall probe -------------------------------------------------- */

static struct
{
  guint   id;
  gint64  due;        /* monotonic µs the next run is due */
  gint64  due_cpu;    /* the main thread's CPU time at the last run */
  gint64  max;        /* in the window */
  gint64  run_max;    /* since bench_probe_start() */
  gint64  max_busy;
  gint64  run_max_busy;
  GArray *stalls;     /* BenchStall, longest first, in the window */
  GArray *run_stalls;
  BenchExcludeFunc exclude;
  BenchStall own;     /* the longest less exclusions, in the window */
  BenchStall run_own;
} probe;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
note_stall (GArray *stalls,
            gint64  start,
            gint64  end,
            gint64  cpu,
            gint64  excluded)
{
  BenchStall stall = { start, end, cpu, excluded };
  guint i;

  for (i = 0; i < stalls->len; i++)
    {
      BenchStall *have = &g_array_index (stalls, BenchStall, i);

      if (end - start > have->end - have->start)
        break;
    }
  if (i >= MAX_STALLS)
    return;
  g_array_insert_val (stalls, i, stall);
  if (stalls->len > MAX_STALLS)
    g_array_set_size (stalls, MAX_STALLS);
}

static void
probe_tick (void)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu_now = thread_cpu_us ();
  gint64 late = now - probe.due;
  /* The CPU time since the last run, less the at most one interval the
   * probe was meant to sleep: what the loop did instead of sleeping. */
  gint64 busy = late > 0 ? MIN (cpu_now - probe.due_cpu, late) : 0;

  if (late > 0)
    {
      probe.max = MAX (probe.max, late);
      probe.run_max = MAX (probe.run_max, late);
      probe.max_busy = MAX (probe.max_busy, busy);
      probe.run_max_busy = MAX (probe.run_max_busy, busy);
    }
  if (late > 0)
    {
      gint64 excluded = probe.exclude != NULL && late > 1000 ? probe.exclude (probe.due, now) : 0;
      BenchStall stall = { probe.due, now, busy, excluded };

      if (late - excluded > probe.own.end - probe.own.start - probe.own.excluded)
        probe.own = stall;
      if (late - excluded > probe.run_own.end - probe.run_own.start - probe.run_own.excluded)
        probe.run_own = stall;
      if (late > BENCH_STALL_NOTE_US)
        {
          note_stall (probe.stalls, probe.due, now, busy, excluded);
          note_stall (probe.run_stalls, probe.due, now, busy, excluded);
        }
    }
  /* Due again from now, as it is after a run. */
  probe.due = now + BENCH_PROBE_MS * 1000;
  probe.due_cpu = cpu_now;
}

void
bench_probe_check (void)
{
  if (probe.id != 0)
    probe_tick ();
}

static gboolean
probe_cb (gpointer user_data)
{
  probe_tick ();
  return G_SOURCE_CONTINUE;
}

void
bench_probe_window (void)
{
  probe.max = 0;
  probe.max_busy = 0;
  memset (&probe.own, 0, sizeof probe.own);
  g_array_set_size (probe.stalls, 0);
}

void
bench_probe_start (void)
{
  bench_probe_stop ();
  if (probe.stalls == NULL)
    {
      probe.stalls = g_array_new (FALSE, FALSE, sizeof (BenchStall));
      probe.run_stalls = g_array_new (FALSE, FALSE, sizeof (BenchStall));
    }
  bench_probe_window ();
  probe.run_max = 0;
  probe.run_max_busy = 0;
  memset (&probe.run_own, 0, sizeof probe.run_own);
  g_array_set_size (probe.run_stalls, 0);
  /* The priority of a toolkit's input events: a stall of this probe is
   * a stall of the user interface. */
  probe.id = g_timeout_add_full (G_PRIORITY_DEFAULT, BENCH_PROBE_MS, probe_cb, NULL, NULL);
  probe.due = g_get_monotonic_time () + BENCH_PROBE_MS * 1000;
  probe.due_cpu = thread_cpu_us ();
}

void
bench_probe_stop (void)
{
  g_clear_handle_id (&probe.id, g_source_remove);
}

void
bench_probe_rearm (void)
{
  if (probe.id == 0)
    return;
  /* A new source, so that GLib's own due time is reset as well. */
  g_source_remove (probe.id);
  probe.id = g_timeout_add_full (G_PRIORITY_DEFAULT, BENCH_PROBE_MS, probe_cb, NULL, NULL);
  probe.due = g_get_monotonic_time () + BENCH_PROBE_MS * 1000;
  probe.due_cpu = thread_cpu_us ();
}

gint64
bench_probe_max_us (gboolean whole_run)
{
  return whole_run ? probe.run_max : probe.max;
}

gint64
bench_probe_max_busy_us (gboolean whole_run)
{
  return whole_run ? probe.run_max_busy : probe.max_busy;
}

GArray *
bench_probe_stalls (gboolean whole_run)
{
  GArray *copy = g_array_new (FALSE, FALSE, sizeof (BenchStall));
  GArray *stalls = whole_run ? probe.run_stalls : probe.stalls;

  if (stalls != NULL)
    g_array_append_vals (copy, stalls->data, stalls->len);
  return copy;
}

void
bench_probe_set_exclude (BenchExcludeFunc func)
{
  probe.exclude = func;
}

gint64
bench_probe_max_own_us (gboolean    whole_run,
                        BenchStall *stall)
{
  BenchStall *own = whole_run ? &probe.run_own : &probe.own;

  if (stall != NULL)
    *stall = *own;
  return own->end - own->start - own->excluded;
}

/* --- process figures -------------------------------------------------- */

gint64
bench_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

gint64
bench_peak_rss_kib (void)
{
  g_autofree char *text = NULL;
  const char *at;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) ||
      (at = strstr (text, "\nVmHWM:")) == NULL)
    return -1;
  return g_ascii_strtoll (at + strlen ("\nVmHWM:"), NULL, 10);
}

gint64
bench_heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (gint64) (info.uordblks + info.hblkhd);
}

gint64
bench_heap_uordblks (void)
{
  return (gint64) mallinfo2 ().uordblks;
}

gint64
bench_heap_mapped (void)
{
  return (gint64) mallinfo2 ().hblkhd;
}

gint64
bench_rss_kib (void)
{
  g_autofree char *text = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL) ||
      sscanf (text, "%lu %lu", &size, &resident) != 2)
    return -1;
  return (gint64) resident * (sysconf (_SC_PAGESIZE) / 1024);
}
