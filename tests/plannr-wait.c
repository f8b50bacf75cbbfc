/* plannr-wait.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "plannr-wait.h"

/* PLANNR_TEST_WAIT_SCALE (a whole number, default 1) stretches every wait
 * for a condition: tools/sanitize.sh sets it, since code under ASan and
 * UBSan runs several times slower.  Fixed waits (plannr_wait_for_ms) are
 * not stretched: they check that nothing happens. */
static guint
wait_scale (void)
{
  static guint scale;

  if (scale == 0)
    {
      const char *env = g_getenv ("PLANNR_TEST_WAIT_SCALE");
      guint64 value = 1;

      if (env == NULL || !g_ascii_string_to_unsigned (env, 10, 1, 20, &value, NULL))
        value = 1;
      scale = (guint) value;
    }
  return scale;
}

static gboolean
wait_timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (PlannrWaitCond cond,
            gpointer       data,
            guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_return_val_if_fail (cond != NULL, FALSE);

  if (cond (data))
    return TRUE;

  /* A timer rather than a deadline checked between iterations: a
   * blocking iteration must wake up when the time is over even if
   * nothing else happens. */
  timeout_id = g_timeout_add (timeout_ms, wait_timed_out_cb, &timed_out);
  while (!timed_out && !cond (data))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

  return cond (data);
}

gboolean
plannr_wait_until (PlannrWaitCond cond,
                   gpointer       data,
                   guint          timeout_ms)
{
  return wait_until (cond, data, timeout_ms * wait_scale ());
}

static gboolean
wait_never_cb (gpointer data)
{
  return FALSE;
}

void
plannr_wait_for_ms (guint ms)
{
  wait_until (wait_never_cb, NULL, ms);
}

void
plannr_wait_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
