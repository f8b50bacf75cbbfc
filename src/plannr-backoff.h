/* plannr-backoff.h: how long to wait before the next poll
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Plannr has no push, so the plugin polls; this decides the interval
 * from what happened and from the rate budget the server reports.  It
 * knows nothing of libpurple.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint base_ms;      /* the configured interval */
  guint max_ms;       /* the slowest we go while nothing changes */
  guint current_ms;
} PlannrBackoff;

/* While nothing changes, each poll waits half as long again as the one
 * before, up to @max_ms; any change brings it back to @base_ms. */
void     plannr_backoff_init      (PlannrBackoff *backoff,
                                   guint          base_ms,
                                   guint          max_ms);
void     plannr_backoff_activity  (PlannrBackoff *backoff);
void     plannr_backoff_idle      (PlannrBackoff *backoff);
/* The delay before the next poll.  When the server says less than a
 * quarter of the rate budget is left, polls slow down (twice as long
 * below 25 %, four times below 10 %), so that the user's own actions
 * and other clients of the same user still get through. */
guint    plannr_backoff_delay     (const PlannrBackoff *backoff,
                                   int                  rate_remaining,
                                   int                  rate_limit);

G_END_DECLS
