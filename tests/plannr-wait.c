/* plannr-wait.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "plannr-wait.h"

static gboolean
wait_timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
plannr_wait_until (PlannrWaitCond cond,
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

static gboolean
wait_never_cb (gpointer data)
{
  return FALSE;
}

void
plannr_wait_for_ms (guint ms)
{
  plannr_wait_until (wait_never_cb, NULL, ms);
}

void
plannr_wait_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
