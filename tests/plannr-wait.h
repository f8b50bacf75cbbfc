/* plannr-wait.h: waiting on the main loop, the one way every test does
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything the tests drive (libsoup, the fake server, libpurple through
 * the harness's event loop, the plugin's timers) runs on the default
 * GMainContext, so a test waits by iterating it.  GLib only: the api,
 * fake and integration tests all use these.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*PlannrWaitCond) (gpointer data);

/* Iterates the default GMainContext until @cond holds or @timeout_ms
 * passed, and returns @cond's final value.  Does not iterate at all when
 * @cond already holds. */
gboolean plannr_wait_until   (PlannrWaitCond cond,
                              gpointer       data,
                              guint          timeout_ms);

/* Iterates for @ms whatever happens: to let something finish that has
 * nothing to wait on, or to see that nothing happens. */
void     plannr_wait_for_ms  (guint ms);

/* Dispatches whatever is ready now, without waiting for more: lets
 * callbacks already due (cancellations, idles) run. */
void     plannr_wait_pending (void);

G_END_DECLS
