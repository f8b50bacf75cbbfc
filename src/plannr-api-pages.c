/* plannr-api-pages.c: reading page after page of a list
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A server may hold fewer items per page than asked for (plannr-api.md:
 * per_page may be clamped silently): these follow links and meta until
 * the caller has what it needs, and hand back one page.
 */
#include "config.h"

#include <string.h>

#include "plannr-api-private.h"

typedef struct
{
  char               *conversation_uuid;
  PlannrPriority      priority;
  guint               per_page;
  guint               want;
  guint               max_pages;
  PlannrPageStopFunc  stop;
  gpointer            stop_data;
  guint               page;        /* the last page asked for */
  PlannrPage         *result;
  GHashTable         *seen;        /* uuids in result (borrowed) */
} Collect;

static void
collect_free (Collect *collect)
{
  g_free (collect->conversation_uuid);
  g_clear_pointer (&collect->seen, g_hash_table_unref);
  g_clear_pointer (&collect->result, plannr_page_free);
  g_free (collect);
}

static void collect_page_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
collect_next (GTask *task)
{
  PlannrApi *self = g_task_get_source_object (task);
  Collect *collect = g_task_get_task_data (task);

  collect->page++;
  plannr_api_list_messages_async (self, collect->priority, collect->conversation_uuid,
                                  collect->page, collect->per_page, collect_page_cb, task);
}

static void
collect_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Collect *collect = g_task_get_task_data (task);
  g_autoptr(PlannrPage) page = NULL;
  GError *error = NULL;
  guint collected;
  gboolean done;

  page = plannr_api_list_messages_finish (PLANNR_API (source), result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  collected = collect->result->items->len + page->items->len;
  if (collect->stop != NULL)
    done = collect->stop (page, collected, collect->stop_data);
  else
    done = collected >= collect->want;
  done = done || !page->has_next || page->items->len == 0 ||
         collect->page >= collect->max_pages;

  /* Pages read one after another overlap when messages arrive between
   * them: keep each message once. */
  for (guint i = 0; i < page->items->len; i++)
    {
      PlannrMessage *message = g_ptr_array_index (page->items, i);

      if (!g_hash_table_add (collect->seen, message->uuid))
        continue;
      g_ptr_array_add (collect->result->items, message);
      page->items->pdata[i] = NULL;
    }
  collect->result->skipped += page->skipped;
  collect->result->current_page = page->current_page ? page->current_page : collect->page;
  collect->result->last_page = page->last_page;
  collect->result->per_page = page->per_page;
  collect->result->has_next = page->has_next;

  if (!done)
    {
      collect_next (task);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&collect->result), (GDestroyNotify) plannr_page_free);
  g_object_unref (task);
}

void
plannr_api_collect_messages_async (PlannrApi           *self,
                                   PlannrPriority       priority,
                                   const char          *conversation_uuid,
                                   guint                per_page,
                                   guint                want,
                                   guint                max_pages,
                                   PlannrPageStopFunc   stop,
                                   gpointer             stop_data,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (self, plannr_http_get_cancellable (plannr_api_get_http (self)), callback, user_data);
  Collect *collect = g_new0 (Collect, 1);

  g_task_set_source_tag (task, plannr_api_collect_messages_async);
  collect->conversation_uuid = g_strdup (conversation_uuid);
  collect->priority = priority;
  collect->per_page = CLAMP (per_page, 1, 500);
  collect->want = want;
  collect->max_pages = MAX (max_pages, 1);
  collect->stop = stop;
  collect->stop_data = stop_data;
  collect->result = g_new0 (PlannrPage, 1);
  collect->result->items = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_message_free);
  /* Keys point into the messages of result, which outlives them. */
  collect->seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_task_set_task_data (task, collect, (GDestroyNotify) collect_free);
  collect_next (task);
}

PlannrPage *
plannr_api_collect_messages_finish (PlannrApi     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_collect_messages_async, error);
}


/* --- conversations by uuid ------------------------------------------------- */

typedef struct
{
  PlannrPriority  priority;
  char           *filter;     /* "a,b,c" */
  char           *include;
  guint           per_page;
  guint           page;
  PlannrPage     *result;
} ByUuid;

static void
by_uuid_free (ByUuid *by)
{
  g_free (by->filter);
  g_free (by->include);
  g_clear_pointer (&by->result, plannr_page_free);
  g_free (by);
}

static void by_uuid_page_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
by_uuid_next (GTask *task)
{
  PlannrApi *self = g_task_get_source_object (task);
  ByUuid *by = g_task_get_task_data (task);
  g_autofree char *query = NULL;

  by->page++;
  /* Archived ones too: a chat may be open on one. */
  query = g_strdup_printf ("filter[uuid]=%s&filter[archived]=with&sort=created_at&per_page=%u&page=%u%s%s",
                           by->filter, by->per_page, by->page,
                           by->include ? "&include=" : "", by->include ? by->include : "");
  plannr_api_request (self, "GET", by->priority, g_strdup ("/api/v1/conversation"),
                      g_steal_pointer (&query), NULL,
                      NULL, (GDestroyNotify) plannr_page_free,
                      (PlannrItemParser) plannr_conversation_new_from_json,
                      (GDestroyNotify) plannr_conversation_free, by->per_page,
                      by_uuid_next, by_uuid_page_cb, task);
}

static void
by_uuid_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ByUuid *by = g_task_get_task_data (task);
  g_autoptr(PlannrPage) page = NULL;
  GError *error = NULL;

  page = plannr_api_request_finish (PLANNR_API (source), result, by_uuid_next, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_ptr_array_extend_and_steal (by->result->items, g_steal_pointer (&page->items));
  if (page->has_next && by->page < by->per_page)
    {
      by_uuid_next (task);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&by->result), (GDestroyNotify) plannr_page_free);
  g_object_unref (task);
}

void
plannr_api_get_conversations_async (PlannrApi           *self,
                                    PlannrPriority       priority,
                                    const char * const  *uuids,
                                    const char          *include,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  ByUuid *by;
  guint n = 0;

  for (; uuids[n] != NULL; n++)
    if (!plannr_api_check_uuid (self, uuids[n], plannr_api_get_conversations_async, callback, user_data))
      return;

  task = g_task_new (self, plannr_http_get_cancellable (plannr_api_get_http (self)), callback, user_data);
  g_task_set_source_tag (task, plannr_api_get_conversations_async);
  by = g_new0 (ByUuid, 1);
  by->priority = priority;
  by->filter = g_strjoinv (",", (char **) uuids);
  by->include = g_strdup (include);
  by->per_page = MAX (n, 1);
  by->result = g_new0 (PlannrPage, 1);
  by->result->items = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_conversation_free);
  g_task_set_task_data (task, by, (GDestroyNotify) by_uuid_free);
  by_uuid_next (task);
}

PlannrPage *
plannr_api_get_conversations_finish (PlannrApi     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_get_conversations_async, error);
}
