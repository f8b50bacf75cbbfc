/* test-pace.c: unit tests of plannr-pace
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The pace of polling: fast and fixed while the user is active, slower
 * while idle or away, back at once, and slower still when the server
 * says the rate budget runs low.
 */
#include "config.h"

#include "plannr-pace.h"

static void
count_cb (gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_active_and_idle (void)
{
  g_autoptr(PlannrPace) pace = plannr_pace_new (5, 120);
  guint changes = 0;

  plannr_pace_add_listener (pace, count_cb, &changes);
  g_assert_false (plannr_pace_is_idle (pace));
  /* Fixed while active: no growth however long nothing happens. */
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (plannr_pace_inbox_ms (pace, -1, -1), ==, 5000);
  g_assert_cmpuint (plannr_pace_chat_ms (pace, -1, -1), ==, 120000);

  plannr_pace_set_idle (pace, TRUE);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, -1, -1), ==, 5000 * PLANNR_PACE_IDLE_INBOX);
  g_assert_cmpuint (plannr_pace_chat_ms (pace, -1, -1), ==, 120000 * PLANNR_PACE_IDLE_CHAT);
  /* Told once per change. */
  plannr_pace_set_idle (pace, TRUE);
  g_assert_cmpuint (changes, ==, 1);

  plannr_pace_set_idle (pace, FALSE);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, -1, -1), ==, 5000);

  plannr_pace_remove_listener (pace, &changes);
  plannr_pace_set_idle (pace, TRUE);
  g_assert_cmpuint (changes, ==, 2);
}

/* The targets the defaults were chosen for (plannr-pace.h). */
static void
test_defaults_budget (void)
{
  g_autoptr(PlannrPace) pace = plannr_pace_new (PLANNR_PACE_INBOX_S, PLANNR_PACE_CHAT_S);
  double per_minute;

  /* Active, three chats open: at most 15 requests a minute before any
   * message arrives (3 % of 500), and a new message within ~5 s. */
  per_minute = 60000.0 / plannr_pace_inbox_ms (pace, -1, -1) +
               3 * 60000.0 / plannr_pace_chat_ms (pace, -1, -1);
  g_assert_cmpfloat (per_minute, <=, 14.0);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, -1, -1), <=, 5000);
  /* Idle: at most 6 a minute, a message within ~20 s. */
  plannr_pace_set_idle (pace, TRUE);
  per_minute = 60000.0 / plannr_pace_inbox_ms (pace, -1, -1) +
               3 * 60000.0 / plannr_pace_chat_ms (pace, -1, -1);
  g_assert_cmpfloat (per_minute, <=, 6.0);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, -1, -1), <=, 25000);
}

static void
test_rate_budget (void)
{
  g_autoptr(PlannrPace) pace = plannr_pace_new (4, 60);

  /* Unknown budget: no change. */
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, -1, 500), ==, 4000);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, 10, -1), ==, 4000);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, 10, 0), ==, 4000);
  /* Plenty left. */
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, 500, 500), ==, 4000);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, 125, 500), ==, 4000);
  /* Below a quarter: twice as long; below a tenth: four times. */
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, 124, 500), ==, 8000);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, 50, 500), ==, 8000);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, 49, 500), ==, 16000);
  g_assert_cmpuint (plannr_pace_chat_ms (pace, 0, 500), ==, 240000);
  /* A hostile header does not overflow into a slow-down. */
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, G_MAXINT, 500), ==, 4000);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, G_MAXINT / 3, G_MAXINT), ==, 4000);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, G_MAXINT / 5, G_MAXINT), ==, 8000);
  /* On top of idle, without overflow for the longest intervals. */
  plannr_pace_set_idle (pace, TRUE);
  g_assert_cmpuint (plannr_pace_inbox_ms (pace, 0, 500), ==, 4000 * PLANNR_PACE_IDLE_INBOX * 4);
  {
    g_autoptr(PlannrPace) slow = plannr_pace_new (G_MAXUINT / 1000, G_MAXUINT / 1000);

    plannr_pace_set_idle (slow, TRUE);
    g_assert_cmpuint (plannr_pace_chat_ms (slow, 0, 500), ==, G_MAXUINT);
  }
  /* At least a second, whatever the setting. */
  {
    g_autoptr(PlannrPace) zero = plannr_pace_new (0, 0);

    g_assert_cmpuint (plannr_pace_inbox_ms (zero, -1, -1), ==, 1000);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pace/active-and-idle", test_active_and_idle);
  g_test_add_func ("/pace/defaults-budget", test_defaults_budget);
  g_test_add_func ("/pace/rate-budget", test_rate_budget);

  return g_test_run ();
}
