/* bench-watch.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "bench-watch.h"

#include <string.h>
#include <sys/stat.h>

#include <libsoup/soup.h>
#include <purple.h>

/* --- HTTP ---------------------------------------------------------------- */

static struct
{
  char       *agent;
  GPtrArray  *requests;   /* BenchRequest*, in the order queued */
  GHashTable *on_way;     /* SoupMessage* -> BenchRequest* */
  GMutex      lock;       /* should a session ever live in a thread */
  gint64      mark;       /* the window's start */
  guint       forgotten_count;  /* of the window, dropped by compact () */
  guint64     forgotten_bytes;
} http;

static void
request_free (BenchRequest *req)
{
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_free (req->conversation);
  g_free (req);
}

/* The length the server announced is the body's as read (nothing here
 * is compressed); libsoup's metrics are the fallback for a body without
 * one. */
static guint64
body_size (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  SoupMessageMetrics *metrics;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    return (guint64) soup_message_headers_get_content_length (headers);
  if ((metrics = soup_message_get_metrics (msg)) != NULL)
    return soup_message_metrics_get_response_body_size (metrics);
  return 0;
}

static BenchReqKind
classify (BenchRequest *req)
{
  const char *rest;

  if (strcmp (req->method, "GET") != 0)
    return BENCH_REQ_WRITE;
  if (g_str_has_suffix (req->path, "/me"))
    return BENCH_REQ_ME;
  if (g_str_has_suffix (req->path, "/conversation"))
    return req->query != NULL && strstr (req->query, "pinned") != NULL ? BENCH_REQ_PINNED : BENCH_REQ_LIST;
  rest = strstr (req->path, "/conversation/");
  if (rest == NULL)
    return BENCH_REQ_OTHER;
  rest += strlen ("/conversation/");
  req->conversation = g_strndup (rest, strcspn (rest, "/"));
  if (strchr (rest, '/') == NULL)
    return BENCH_REQ_CONVERSATION;
  if (g_str_has_suffix (rest, "/messages"))
    return BENCH_REQ_MESSAGES;
  return BENCH_REQ_OTHER;
}

static gboolean
watched (SoupSession *session)
{
  const char *agent = soup_session_get_user_agent (session);

  return agent != NULL && g_str_has_prefix (agent, http.agent);
}

static gboolean
queued_hook (GSignalInvocationHint *hint,
             guint                  n_values,
             const GValue          *values,
             gpointer               user_data)
{
  SoupSession *session = g_value_get_object (&values[0]);
  SoupMessage *msg = g_value_get_object (&values[1]);
  GUri *uri = soup_message_get_uri (msg);
  BenchRequest *req;

  if (!watched (session))
    return TRUE;
  /* Before any byte of it is sent: the metrics start with the fetch. */
  soup_message_add_flags (msg, SOUP_MESSAGE_COLLECT_METRICS);
  req = g_new0 (BenchRequest, 1);
  req->queued = g_get_monotonic_time ();
  req->method = g_strdup (soup_message_get_method (msg));
  req->path = g_strdup (g_uri_get_path (uri));
  req->query = g_strdup (g_uri_get_query (uri));
  req->kind = classify (req);
  req->msg = msg;
  g_mutex_lock (&http.lock);
  g_ptr_array_add (http.requests, req);
  g_hash_table_insert (http.on_way, msg, req);
  g_mutex_unlock (&http.lock);
  return TRUE;
}

static gboolean
unqueued_hook (GSignalInvocationHint *hint,
               guint                  n_values,
               const GValue          *values,
               gpointer               user_data)
{
  SoupMessage *msg = g_value_get_object (&values[1]);
  BenchRequest *req;

  g_mutex_lock (&http.lock);
  req = g_hash_table_lookup (http.on_way, msg);
  if (req != NULL)
    {
      g_hash_table_remove (http.on_way, msg);
      req->finished = g_get_monotonic_time ();
      req->status = soup_message_get_status (msg);
      req->body_bytes = body_size (msg);
      req->msg = NULL;
      if (g_getenv ("PLANNR_BENCH_DEBUG_HTTP") != NULL)
        g_printerr ("http: %s %s?%s: %u, %" G_GUINT64_FORMAT " bytes, %.1f ms\n", req->method,
                    req->path, req->query ? req->query : "", req->status, req->body_bytes,
                    (req->finished - req->queued) / 1000.0);
    }
  g_mutex_unlock (&http.lock);
  return TRUE;
}

void
bench_watch_http_start (const char *agent_prefix)
{
  GTypeClass *klass;

  g_return_if_fail (http.requests == NULL);
  http.agent = g_strdup (agent_prefix);
  http.requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  http.on_way = g_hash_table_new (NULL, NULL);
  /* The signals exist once the class does; it stays for the program. */
  klass = g_type_class_ref (SOUP_TYPE_SESSION);
  g_signal_add_emission_hook (g_signal_lookup ("request-queued", SOUP_TYPE_SESSION), 0,
                              queued_hook, NULL, NULL);
  g_signal_add_emission_hook (g_signal_lookup ("request-unqueued", SOUP_TYPE_SESSION), 0,
                              unqueued_hook, NULL, NULL);
  (void) klass;
}

GPtrArray *
bench_watch_requests (void)
{
  return http.requests;
}

guint
bench_watch_count_since (gint64 since)
{
  guint count = 0;

  for (guint i = 0; http.requests != NULL && i < http.requests->len; i++)
    count += ((BenchRequest *) http.requests->pdata[i])->queued >= since;
  return count;
}

guint64
bench_watch_bytes_since (gint64 since)
{
  guint64 bytes = 0;

  for (guint i = 0; http.requests != NULL && i < http.requests->len; i++)
    {
      BenchRequest *req = http.requests->pdata[i];

      if (req->finished >= since)
        bytes += req->body_bytes;
      /* libsoup lets go of a message only after the plugin's callback
       * that read its body returned: one whose answer is in counts. */
      else if (req->finished == 0 && req->msg != NULL &&
               soup_message_get_status (req->msg) != SOUP_STATUS_NONE)
        bytes += body_size (req->msg);
    }
  return bytes;
}

guint
bench_watch_on_way (void)
{
  return http.on_way != NULL ? g_hash_table_size (http.on_way) : 0;
}

/* Drops finished requests, counting those of the window. */
static void
compact (gboolean count)
{
  guint kept = 0;

  g_mutex_lock (&http.lock);
  for (guint i = 0; i < http.requests->len; i++)
    {
      BenchRequest *req = http.requests->pdata[i];

      if (req->finished == 0)
        {
          http.requests->pdata[kept++] = req;
          continue;
        }
      if (count && req->queued >= http.mark)
        http.forgotten_count++;
      if (count && req->finished >= http.mark)
        http.forgotten_bytes += req->body_bytes;
      request_free (req);
    }
  /* The dropped ones are freed already. */
  http.requests->len = kept;
  g_mutex_unlock (&http.lock);
}

void
bench_watch_mark (gint64 mark)
{
  if (http.requests == NULL)
    return;
  compact (FALSE);
  http.mark = mark;
  http.forgotten_count = 0;
  http.forgotten_bytes = 0;
}

void
bench_watch_compact (void)
{
  if (http.requests != NULL)
    compact (TRUE);
}

guint
bench_watch_window_count (void)
{
  return http.forgotten_count + bench_watch_count_since (http.mark);
}

guint64
bench_watch_window_bytes (void)
{
  return http.forgotten_bytes + bench_watch_bytes_since (http.mark);
}

gboolean
bench_request_is_inbox (const BenchRequest *req)
{
  /* Page 1 of a list by activity; the sign-in reads by creation. */
  return req->kind == BENCH_REQ_LIST && req->query != NULL &&
         (strstr (req->query, "sort=-updated_at") != NULL ||
          strstr (req->query, "sort=-latest_message") != NULL) &&
         (strstr (req->query, "page=1&") != NULL || g_str_has_suffix (req->query, "page=1"));
}

gboolean
bench_request_is_messages (const BenchRequest *req,
                           const char         *conversation)
{
  return req->kind == BENCH_REQ_MESSAGES &&
         (conversation == NULL || g_ascii_strcasecmp (req->conversation, conversation) == 0);
}

/* --- libpurple's timers --------------------------------------------------- */

typedef struct
{
  gint64   start;
  gint64   end;
  gboolean save;
} Span;

typedef struct
{
  GSourceFunc func;
  gpointer    data;
} Timer;

static struct
{
  PurpleEventLoopUiOps  ops;
  PurpleEventLoopUiOps *inner;
  char                 *blist_path;
  struct timespec       blist_mtime;
  GArray               *spans;     /* Span, callbacks over 1 ms */
} purple;

/* Has blist.xml been written since we last looked? */
static gboolean
blist_rewritten (void)
{
  struct stat st;
  gboolean changed;

  if (stat (purple.blist_path, &st) != 0)
    return FALSE;
  changed = st.st_mtim.tv_sec != purple.blist_mtime.tv_sec ||
            st.st_mtim.tv_nsec != purple.blist_mtime.tv_nsec;
  purple.blist_mtime = st.st_mtim;
  return changed;
}

static gboolean
timer_cb (gpointer user_data)
{
  Timer *timer = user_data;
  gint64 start = g_get_monotonic_time ();
  gboolean again = timer->func (timer->data);
  gint64 end = g_get_monotonic_time ();

  if (end - start > 1000)
    {
      Span span = { start, end, blist_rewritten () };

      g_array_append_val (purple.spans, span);
    }
  return again;
}

static guint
wrapped_timeout_add (guint        interval,
                     GSourceFunc  function,
                     gpointer     data)
{
  Timer *timer = g_new0 (Timer, 1);

  timer->func = function;
  timer->data = data;
  return g_timeout_add_full (G_PRIORITY_DEFAULT, interval, timer_cb, timer, g_free);
}

static guint
wrapped_timeout_add_seconds (guint        interval,
                             GSourceFunc  function,
                             gpointer     data)
{
  Timer *timer = g_new0 (Timer, 1);

  timer->func = function;
  timer->data = data;
  return g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, interval, timer_cb, timer, g_free);
}

void
bench_watch_purple_start (const char *blist_path)
{
  g_return_if_fail (purple.inner == NULL);
  purple.inner = purple_eventloop_get_ui_ops ();
  purple.ops = *purple.inner;
  /* Removing goes by the GSource id either way. */
  purple.ops.timeout_add = wrapped_timeout_add;
  purple.ops.timeout_add_seconds = wrapped_timeout_add_seconds;
  purple.blist_path = g_strdup (blist_path);
  purple.spans = g_array_new (FALSE, FALSE, sizeof (Span));
  blist_rewritten ();
  purple_eventloop_set_ui_ops (&purple.ops);
}

static gint64
within (gint64   start,
        gint64   end,
        gboolean saves_only)
{
  gint64 total = 0;

  for (guint i = 0; purple.spans != NULL && i < purple.spans->len; i++)
    {
      Span *span = &g_array_index (purple.spans, Span, i);

      if (saves_only && !span->save)
        continue;
      if (span->end > start && span->start < end)
        total += MIN (span->end, end) - MAX (span->start, start);
    }
  return total;
}

gint64
bench_watch_saves_within (gint64 start,
                          gint64 end)
{
  return within (start, end, TRUE);
}

gint64
bench_watch_purple_within (gint64 start,
                           gint64 end)
{
  return within (start, end, FALSE);
}

gint64
bench_watch_longest_save (gint64  since,
                          guint  *count)
{
  gint64 longest = 0;

  *count = 0;
  for (guint i = 0; purple.spans != NULL && i < purple.spans->len; i++)
    {
      Span *span = &g_array_index (purple.spans, Span, i);

      if (!span->save || span->start < since)
        continue;
      (*count)++;
      longest = MAX (longest, span->end - span->start);
    }
  return longest;
}
