/* plannr-backoff.c: how long to wait before the next poll
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-backoff.h"

void
plannr_backoff_init (PlannrBackoff *backoff,
                     guint          base_ms,
                     guint          max_ms)
{
  backoff->base_ms = MAX (base_ms, 100);
  backoff->max_ms = MAX (max_ms, backoff->base_ms);
  backoff->current_ms = backoff->base_ms;
}

void
plannr_backoff_activity (PlannrBackoff *backoff)
{
  backoff->current_ms = backoff->base_ms;
}

void
plannr_backoff_idle (PlannrBackoff *backoff)
{
  guint64 next = (guint64) backoff->current_ms * 3 / 2;

  backoff->current_ms = (guint) MIN (next, (guint64) backoff->max_ms);
}

guint
plannr_backoff_delay (const PlannrBackoff *backoff,
                      int                  rate_remaining,
                      int                  rate_limit)
{
  guint delay = backoff->current_ms;

  if (rate_remaining >= 0 && rate_limit > 0)
    {
      /* In 64 bits: the header is the server's, any int may come. */
      if ((gint64) rate_remaining * 10 < rate_limit)
        delay *= 4;
      else if ((gint64) rate_remaining * 4 < rate_limit)
        delay *= 2;
    }
  return delay;
}
