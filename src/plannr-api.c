/* plannr-api.c: the Plannr REST API, one call per endpoint
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-api-private.h"
#include "plannr-error.h"

struct _PlannrApi
{
  GObject     parent_instance;
  PlannrHttp *http;
};

G_DEFINE_FINAL_TYPE (PlannrApi, plannr_api, G_TYPE_OBJECT)

static void
plannr_api_dispose (GObject *object)
{
  PlannrApi *self = PLANNR_API (object);

  if (self->http != NULL)
    plannr_http_shutdown (self->http);
  g_clear_pointer (&self->http, plannr_http_unref);

  G_OBJECT_CLASS (plannr_api_parent_class)->dispose (object);
}

static void
plannr_api_class_init (PlannrApiClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = plannr_api_dispose;
}

static void
plannr_api_init (PlannrApi *self)
{
}

gboolean
plannr_api_check_base_url (const char  *base_url,
                           GError     **error)
{
  return plannr_http_check_base_url (base_url, error);
}

PlannrApi *
plannr_api_new (const char  *base_url,
                const char  *token,
                GError     **error)
{
  PlannrHttp *http = plannr_http_new (base_url, token, error);
  PlannrApi *self;

  if (http == NULL)
    return NULL;
  self = g_object_new (PLANNR_TYPE_API, NULL);
  self->http = http;
  return self;
}

PlannrHttp *
plannr_api_get_http (PlannrApi *self)
{
  g_return_val_if_fail (PLANNR_IS_API (self), NULL);
  return self->http;
}

#define FORWARD_SET(name, type) \
  void plannr_api_set_ ## name (PlannrApi *self, type value) \
  { \
    g_return_if_fail (PLANNR_IS_API (self)); \
    plannr_http_set_ ## name (self->http, value); \
  }

FORWARD_SET (account_uuid, const char *)
FORWARD_SET (proxy_resolver, GProxyResolver *)
FORWARD_SET (timeout, guint)
FORWARD_SET (retry_delay, guint)
FORWARD_SET (max_attempts, guint)

#define FORWARD_GET(type, name) \
  type plannr_api_ ## name (PlannrApi *self) \
  { \
    return plannr_http_ ## name (self->http); \
  }

FORWARD_GET (const char *, get_account_uuid)
FORWARD_GET (gboolean, is_shut_down)
FORWARD_GET (int, get_rate_remaining)
FORWARD_GET (int, get_rate_limit)
FORWARD_GET (gboolean, is_rate_limited)
FORWARD_GET (guint64, get_request_count)
FORWARD_GET (guint64, get_bytes_received)

void
plannr_api_shutdown (PlannrApi *self)
{
  g_return_if_fail (PLANNR_IS_API (self));
  plannr_http_shutdown (self->http);
}

/* --- typed calls ---------------------------------------------------------- */

/* Chains a request to a parser: the outer task carries the typed result. */
typedef struct
{
  PlannrItemParser parse;
  GDestroyNotify   free_result;
  PlannrItemParser parse_item;   /* for pages */
  GDestroyNotify   free_item;
  guint            per_page;     /* the page size asked for, 0 if none */
  gboolean         write;        /* not a GET: a 2xx means it took effect */
} Parse;

/* A list answer with neither links.next nor page numbers: the page size
 * we asked for is all there is to go on, and a full page may have a
 * successor (plannr-api.md: "stop when a page is shorter than
 * per_page").  The page parser cannot know that size; we do. */
static void
guess_has_next (PlannrPage *page,
                JsonNode   *node,
                guint       per_page)
{
  JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *links = obj ? json_object_get_member (obj, "links") : NULL;

  if (per_page == 0 || page->per_page != 0 ||
      (page->current_page > 0 && page->last_page > 0))
    return;
  if (links != NULL && JSON_NODE_HOLDS_OBJECT (links) &&
      json_object_has_member (json_node_get_object (links), "next"))
    return;
  page->per_page = per_page;
  page->has_next = page->items->len + page->skipped >= per_page;
}

/* Makes the typed value from a 2xx answer: a page, or a single
 * resource bare or wrapped.  It runs in a worker thread for large
 * answers (plannr-http.h), so it touches only its arguments. */
static gpointer
typed_parse (JsonNode  *node,
             gpointer   parse_data,
             GError   **error)
{
  Parse *parse = parse_data;
  g_autoptr(GError) local_error = NULL;
  gpointer value;

  if (parse->parse_item != NULL)
    {
      value = plannr_page_new_from_json (node, parse->parse_item, parse->free_item, &local_error);
      if (value != NULL)
        guess_has_next (value, node, parse->per_page);
    }
  else
    value = parse->parse (plannr_json_resource (node), &local_error);

  if (value == NULL && parse->write)
    /* 204, an empty body, or one that holds no resource: the server
     * did what was asked, and the caller must not take it for a
     * failure (plannr-api.md, "Shapes the real server may use"). */
    g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED, "%s (%s)",
                 _("The Plannr server accepted the request but its answer could not be read"),
                 local_error->message);
  else if (value == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return value;
}

static void
typed_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value = plannr_http_request_finish (result, &error);

  if (value == NULL)
    {
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
        g_debug ("a write succeeded without a readable answer: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, value, ((Parse *) g_task_get_task_data (task))->free_result);
}

void
plannr_api_request (PlannrApi           *self,
                    const char          *method,
                    PlannrPriority       priority,
                    char                *path,
                    char                *query,
                    JsonNode            *body,
                    PlannrItemParser     parse,
                    GDestroyNotify       free_result,
                    PlannrItemParser     parse_item,
                    GDestroyNotify       free_item,
                    guint                per_page,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, plannr_http_get_cancellable (self->http), callback, user_data);
  Parse *p = g_new0 (Parse, 1);

  g_task_set_source_tag (task, source_tag);
  p->parse = parse;
  p->free_result = free_result;
  p->parse_item = parse_item;
  p->free_item = free_item;
  p->per_page = per_page;
  p->write = strcmp (method, "GET") != 0;
  g_task_set_task_data (task, p, g_free);
  /* The parse data lives with the task, which outlives the request. */
  plannr_http_request_async (self->http, self, method, priority, path, query, body,
                             typed_parse, p, free_result, typed_cb, task);
}

static void
typed_request (PlannrApi           *self,
               const char          *method,
               PlannrPriority       priority,
               char                *path,
               char                *query,
               JsonNode            *body,
               PlannrItemParser     parse,
               GDestroyNotify       free_result,
               PlannrItemParser     parse_item,
               GDestroyNotify       free_item,
               gpointer             source_tag,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  plannr_api_request (self, method, priority, path, query, body, parse, free_result,
                      parse_item, free_item, 0, source_tag, callback, user_data);
}

gpointer
plannr_api_request_finish (PlannrApi     *self,
                           GAsyncResult  *result,
                           gpointer       source_tag,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
plannr_api_object_body (const char *member,
                        const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Uuids reach a URL path only here, and only when they are uuids. */
static gboolean
check_uuid (const char  *uuid,
            GError     **error)
{
  if (plannr_uuid_is_valid (uuid))
    return TRUE;
  g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_INVALID,
                       _("Not a valid Plannr id"));
  return FALSE;
}

gboolean
plannr_api_check_uuid (PlannrApi           *self,
                       const char          *uuid,
                       gpointer             source_tag,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GError *error = NULL;

  if (check_uuid (uuid, &error))
    return TRUE;
  g_task_report_error (self, callback, user_data, source_tag, error);
  return FALSE;
}

void
plannr_api_get_me_async (PlannrApi           *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  typed_request (self, "GET", PLANNR_PRIORITY_USER, g_strdup ("/api/v1/me"), NULL, NULL,
                 (PlannrItemParser) plannr_user_new_from_json,
                 (GDestroyNotify) plannr_user_free, NULL, NULL,
                 plannr_api_get_me_async, callback, user_data);
}

PlannrUser *
plannr_api_get_me_finish (PlannrApi     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_get_me_async, error);
}

void
plannr_api_get_logins_async (PlannrApi           *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  typed_request (self, "GET", PLANNR_PRIORITY_USER, g_strdup ("/api/v1/logins"), NULL, NULL,
                 (PlannrItemParser) plannr_logins_new_from_json,
                 (GDestroyNotify) plannr_logins_free, NULL, NULL,
                 plannr_api_get_logins_async, callback, user_data);
}

PlannrLogins *
plannr_api_get_logins_finish (PlannrApi     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_get_logins_async, error);
}

void
plannr_api_list_conversations_async (PlannrApi           *self,
                                     PlannrPriority       priority,
                                     guint                page,
                                     guint                per_page,
                                     const char          *sort,
                                     const char          *include,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GString *query = g_string_new (NULL);

  /* Always an explicit sort: the documented default reads oldest first. */
  g_string_append_printf (query, "sort=%s&per_page=%u&page=%u",
                          sort ? sort : "-latest_message", per_page, MAX (page, 1));
  if (include != NULL && *include != '\0')
    g_string_append_printf (query, "&include=%s", include);

  plannr_api_request (self, "GET", priority, g_strdup ("/api/v1/conversation"),
                      g_string_free (query, FALSE), NULL,
                      NULL, (GDestroyNotify) plannr_page_free,
                      (PlannrItemParser) plannr_conversation_new_from_json,
                      (GDestroyNotify) plannr_conversation_free, per_page,
                      plannr_api_list_conversations_async, callback, user_data);
}

PlannrPage *
plannr_api_list_conversations_finish (PlannrApi     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_list_conversations_async, error);
}

void
plannr_api_get_conversation_async (PlannrApi           *self,
                                   PlannrPriority       priority,
                                   const char          *uuid,
                                   const char          *include,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  if (!plannr_api_check_uuid (self, uuid, plannr_api_get_conversation_async, callback, user_data))
    return;

  typed_request (self, "GET", priority,
                 g_strdup_printf ("/api/v1/conversation/%s", uuid),
                 include ? g_strdup_printf ("include=%s", include) : NULL, NULL,
                 (PlannrItemParser) plannr_conversation_new_from_json,
                 (GDestroyNotify) plannr_conversation_free, NULL, NULL,
                 plannr_api_get_conversation_async, callback, user_data);
}

PlannrConversation *
plannr_api_get_conversation_finish (PlannrApi     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_get_conversation_async, error);
}

void
plannr_api_rename_conversation_async (PlannrApi           *self,
                                      const char          *uuid,
                                      const char          *name,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  if (!plannr_api_check_uuid (self, uuid, plannr_api_rename_conversation_async, callback, user_data))
    return;

  typed_request (self, "PUT", PLANNR_PRIORITY_USER,
                 g_strdup_printf ("/api/v1/conversation/%s", uuid), NULL,
                 plannr_api_object_body ("name", name),
                 (PlannrItemParser) plannr_conversation_new_from_json,
                 (GDestroyNotify) plannr_conversation_free, NULL, NULL,
                 plannr_api_rename_conversation_async, callback, user_data);
}

PlannrConversation *
plannr_api_rename_conversation_finish (PlannrApi     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_rename_conversation_async, error);
}

void
plannr_api_list_messages_async (PlannrApi           *self,
                                PlannrPriority       priority,
                                const char          *conversation_uuid,
                                guint                page,
                                guint                per_page,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  if (!plannr_api_check_uuid (self, conversation_uuid, plannr_api_list_messages_async, callback, user_data))
    return;

  plannr_api_request (self, "GET", priority,
                      g_strdup_printf ("/api/v1/conversation/%s/messages", conversation_uuid),
                      g_strdup_printf ("sort=-created_at&per_page=%u&page=%u", per_page, MAX (page, 1)),
                      NULL, NULL, (GDestroyNotify) plannr_page_free,
                      (PlannrItemParser) plannr_message_new_from_json,
                      (GDestroyNotify) plannr_message_free, per_page,
                      plannr_api_list_messages_async, callback, user_data);
}

PlannrPage *
plannr_api_list_messages_finish (PlannrApi     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_list_messages_async, error);
}

void
plannr_api_get_message_async (PlannrApi           *self,
                              PlannrPriority       priority,
                              const char          *conversation_uuid,
                              const char          *message_uuid,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  if (!plannr_api_check_uuid (self, conversation_uuid, plannr_api_get_message_async, callback, user_data) ||
      !plannr_api_check_uuid (self, message_uuid, plannr_api_get_message_async, callback, user_data))
    return;

  typed_request (self, "GET", priority,
                 g_strdup_printf ("/api/v1/conversation/%s/messages/%s",
                                  conversation_uuid, message_uuid), NULL, NULL,
                 (PlannrItemParser) plannr_message_new_from_json,
                 (GDestroyNotify) plannr_message_free, NULL, NULL,
                 plannr_api_get_message_async, callback, user_data);
}

PlannrMessage *
plannr_api_get_message_finish (PlannrApi     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_get_message_async, error);
}

void
plannr_api_send_message_async (PlannrApi           *self,
                               const char          *conversation_uuid,
                               const char          *contents,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  if (!plannr_api_check_uuid (self, conversation_uuid, plannr_api_send_message_async, callback, user_data))
    return;

  typed_request (self, "POST", PLANNR_PRIORITY_USER,
                 g_strdup_printf ("/api/v1/conversation/%s/messages", conversation_uuid), NULL,
                 plannr_api_object_body ("contents", contents),
                 (PlannrItemParser) plannr_message_new_from_json,
                 (GDestroyNotify) plannr_message_free, NULL, NULL,
                 plannr_api_send_message_async, callback, user_data);
}

PlannrMessage *
plannr_api_send_message_finish (PlannrApi     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_send_message_async, error);
}

void
plannr_api_edit_message_async (PlannrApi           *self,
                               const char          *conversation_uuid,
                               const char          *message_uuid,
                               const char          *contents,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  if (!plannr_api_check_uuid (self, conversation_uuid, plannr_api_edit_message_async, callback, user_data) ||
      !plannr_api_check_uuid (self, message_uuid, plannr_api_edit_message_async, callback, user_data))
    return;

  typed_request (self, "PUT", PLANNR_PRIORITY_USER,
                 g_strdup_printf ("/api/v1/conversation/%s/messages/%s",
                                  conversation_uuid, message_uuid), NULL,
                 plannr_api_object_body ("contents", contents),
                 (PlannrItemParser) plannr_message_new_from_json,
                 (GDestroyNotify) plannr_message_free, NULL, NULL,
                 plannr_api_edit_message_async, callback, user_data);
}

PlannrMessage *
plannr_api_edit_message_finish (PlannrApi     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_edit_message_async, error);
}
