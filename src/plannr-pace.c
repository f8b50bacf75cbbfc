/* plannr-pace.c: how often to look, from whether anyone is looking
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-pace.h"

typedef struct
{
  PlannrPaceChanged callback;
  gpointer          user_data;
} Listener;

struct _PlannrPace
{
  guint    inbox_ms;
  guint    chat_ms;
  gboolean idle;
  GArray  *listeners;   /* Listener */
};

PlannrPace *
plannr_pace_new (guint inbox_s,
                 guint chat_s)
{
  PlannrPace *pace = g_new0 (PlannrPace, 1);

  pace->inbox_ms = MAX (inbox_s, 1) * 1000;
  pace->chat_ms = MAX (chat_s, 1) * 1000;
  pace->listeners = g_array_new (FALSE, FALSE, sizeof (Listener));
  return pace;
}

void
plannr_pace_free (PlannrPace *pace)
{
  if (pace == NULL)
    return;
  g_array_unref (pace->listeners);
  g_free (pace);
}

void
plannr_pace_add_listener (PlannrPace        *pace,
                          PlannrPaceChanged  callback,
                          gpointer           user_data)
{
  Listener listener = { callback, user_data };

  g_array_append_val (pace->listeners, listener);
}

void
plannr_pace_remove_listener (PlannrPace *pace,
                             gpointer    user_data)
{
  for (guint i = pace->listeners->len; i > 0; i--)
    if (g_array_index (pace->listeners, Listener, i - 1).user_data == user_data)
      g_array_remove_index (pace->listeners, i - 1);
}

void
plannr_pace_set_idle (PlannrPace *pace,
                      gboolean    idle)
{
  if (pace->idle == !!idle)
    return;
  pace->idle = !!idle;
  /* A copy: a listener may remove itself. */
  {
    g_autoptr(GArray) listeners = g_array_copy (pace->listeners);

    for (guint i = 0; i < listeners->len; i++)
      {
        Listener *listener = &g_array_index (listeners, Listener, i);

        listener->callback (listener->user_data);
      }
  }
}

gboolean
plannr_pace_is_idle (const PlannrPace *pace)
{
  return pace->idle;
}

static guint
rate_factor (int rate_remaining,
             int rate_limit)
{
  /* In 64 bits: the headers are the server's, any int may come. */
  if (rate_remaining < 0 || rate_limit <= 0)
    return 1;
  if ((gint64) rate_remaining * 10 < rate_limit)
    return 4;
  if ((gint64) rate_remaining * 4 < rate_limit)
    return 2;
  return 1;
}

guint
plannr_pace_inbox_ms (const PlannrPace *pace,
                      int               rate_remaining,
                      int               rate_limit)
{
  guint64 ms = (guint64) pace->inbox_ms * (pace->idle ? PLANNR_PACE_IDLE_INBOX : 1) *
               rate_factor (rate_remaining, rate_limit);

  return (guint) MIN (ms, G_MAXUINT);
}

guint
plannr_pace_chat_ms (const PlannrPace *pace,
                     int               rate_remaining,
                     int               rate_limit)
{
  guint64 ms = (guint64) pace->chat_ms * (pace->idle ? PLANNR_PACE_IDLE_CHAT : 1) *
               rate_factor (rate_remaining, rate_limit);

  return (guint) MIN (ms, G_MAXUINT);
}
