/* plannr-api-people.c: people, and who takes part in a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The searches of the People section (GET /employee, GET /account) and
 * the conversation calls that change who is in one: C2 (create), C5
 * (pin), C6 and C7 (participants), C8 and C9 (admins).  None of the
 * writes is retried here (POST and DELETE never are): whether one
 * arrived after a lost answer is for the caller to find out.
 */
#include "config.h"


#include "plannr-api-private.h"
#include "plannr-error.h"

/* --- bodies ---------------------------------------------------------------- */

static void
add_uuid_array (JsonBuilder        *builder,
                const char         *member,
                const char * const *uuids)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; uuids != NULL && uuids[i] != NULL; i++)
    json_builder_add_string_value (builder, uuids[i]);
  json_builder_end_array (builder);
}

/* {"participants": [uuid, ...]} */
static JsonNode *
participants_body (const char * const *uuids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_uuid_array (builder, "participants", uuids);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
check_uuids (PlannrApi           *self,
             const char * const  *uuids,
             gpointer             source_tag,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  for (guint i = 0; uuids != NULL && uuids[i] != NULL; i++)
    if (!plannr_api_check_uuid (self, uuids[i], source_tag, callback, user_data))
      return FALSE;
  return TRUE;
}

static void
conversation_request (PlannrApi           *self,
                      const char          *method,
                      char                *path,
                      JsonNode            *body,
                      gpointer             source_tag,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  plannr_api_request (self, method, PLANNR_PRIORITY_USER, path, NULL, body,
                      (PlannrItemParser) plannr_conversation_new_from_json,
                      (GDestroyNotify) plannr_conversation_free, NULL, NULL, 0,
                      source_tag, callback, user_data);
}

/* --- C2: a new conversation ------------------------------------------------- */

void
plannr_api_create_conversation_async (PlannrApi           *self,
                                      const char          *name,
                                      const char * const  *participants,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  if (!check_uuids (self, participants, plannr_api_create_conversation_async, callback, user_data))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  /* "participants" is optional: the creator takes part anyway. */
  if (participants != NULL && participants[0] != NULL)
    add_uuid_array (builder, "participants", participants);
  json_builder_end_object (builder);

  conversation_request (self, "POST", g_strdup ("/api/v1/conversation"),
                        json_builder_get_root (builder),
                        plannr_api_create_conversation_async, callback, user_data);
}

PlannrConversation *
plannr_api_create_conversation_finish (PlannrApi     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_create_conversation_async, error);
}

/* --- C5: pin ------------------------------------------------------------------ */

void
plannr_api_pin_conversation_async (PlannrApi           *self,
                                   const char          *uuid,
                                   gboolean             pin,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  if (!plannr_api_check_uuid (self, uuid, plannr_api_pin_conversation_async, callback, user_data))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pin");
  json_builder_add_boolean_value (builder, pin);
  json_builder_end_object (builder);
  conversation_request (self, "POST", g_strdup_printf ("/api/v1/conversation/%s/pin", uuid),
                        json_builder_get_root (builder),
                        plannr_api_pin_conversation_async, callback, user_data);
}

PlannrConversation *
plannr_api_pin_conversation_finish (PlannrApi     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_pin_conversation_async, error);
}

/* --- C6, C7: participants ----------------------------------------------------- */

void
plannr_api_change_participants_async (PlannrApi           *self,
                                      const char          *uuid,
                                      gboolean             add,
                                      const char * const  *accounts,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  if (!plannr_api_check_uuid (self, uuid, plannr_api_change_participants_async, callback, user_data) ||
      !check_uuids (self, accounts, plannr_api_change_participants_async, callback, user_data))
    return;

  /* C7 is a DELETE with a JSON body, as documented. */
  conversation_request (self, add ? "POST" : "DELETE",
                        g_strdup_printf ("/api/v1/conversation/%s/participants", uuid),
                        participants_body (accounts),
                        plannr_api_change_participants_async, callback, user_data);
}

PlannrConversation *
plannr_api_change_participants_finish (PlannrApi     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_change_participants_async, error);
}

/* --- C8, C9: admins -------------------------------------------------------------- */

void
plannr_api_set_admin_async (PlannrApi           *self,
                            const char          *uuid,
                            const char          *account,
                            gboolean             admin,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char *accounts[] = { account, NULL };

  if (!plannr_api_check_uuid (self, uuid, plannr_api_set_admin_async, callback, user_data) ||
      !plannr_api_check_uuid (self, account, plannr_api_set_admin_async, callback, user_data))
    return;

  /* The reference names the member "participant" in one place and
   * "participants" in another: both, meaning the same one account,
   * satisfy either reading. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "participant");
  json_builder_add_string_value (builder, account);
  add_uuid_array (builder, "participants", accounts);
  json_builder_end_object (builder);
  conversation_request (self, admin ? "POST" : "DELETE",
                        g_strdup_printf ("/api/v1/conversation/%s/admin", uuid),
                        json_builder_get_root (builder),
                        plannr_api_set_admin_async, callback, user_data);
}

PlannrConversation *
plannr_api_set_admin_finish (PlannrApi     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_set_admin_async, error);
}

/* --- people ------------------------------------------------------------------- */

static const char *
people_path (PlannrPeopleKind kind)
{
  return kind == PLANNR_PEOPLE_EMPLOYEES ? "/api/v1/employee" : "/api/v1/account";
}

/* The query of one page: filter[FIELD]=TEXT, escaped, and for /account
 * the type wanted. */
static char *
people_query (PlannrPeopleKind  kind,
              const char       *field,
              const char       *text,
              guint             page,
              guint             per_page)
{
  g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);
  GString *query = g_string_new (NULL);

  if (kind == PLANNR_PEOPLE_CLIENTS)
    g_string_append (query, "filter%5Btype%5D=client&");
  g_string_append_printf (query, "filter%%5B%s%%5D=%s&per_page=%u&page=%u",
                          field, escaped, per_page, MAX (page, 1));
  return g_string_free (query, FALSE);
}

typedef struct
{
  PlannrPeopleKind  kind;
  char             *field;
  char             *text;
  guint             max;
  guint             page;        /* the last page asked for */
  PlannrPage       *result;
  GHashTable       *seen;        /* uuids in result (borrowed) */
} Search;

static void
search_free (Search *search)
{
  g_free (search->field);
  g_free (search->text);
  g_clear_pointer (&search->seen, g_hash_table_unref);
  g_clear_pointer (&search->result, plannr_page_free);
  g_free (search);
}

static void search_page_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
search_next (GTask *task)
{
  PlannrApi *self = g_task_get_source_object (task);
  Search *search = g_task_get_task_data (task);

  search->page++;
  plannr_api_request (self, "GET", PLANNR_PRIORITY_USER, g_strdup (people_path (search->kind)),
                      people_query (search->kind, search->field, search->text, search->page,
                                    PLANNR_PEOPLE_PAGE_SIZE),
                      NULL, NULL, (GDestroyNotify) plannr_page_free,
                      (PlannrItemParser) plannr_person_new_from_json,
                      (GDestroyNotify) plannr_person_free, PLANNR_PEOPLE_PAGE_SIZE,
                      search_next, search_page_cb, task);
}

static void
search_page_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Search *search = g_task_get_task_data (task);
  g_autoptr(PlannrPage) page = NULL;
  GError *error = NULL;
  gboolean cut = FALSE;

  page = plannr_api_request_finish (PLANNR_API (source), result, search_next, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* Pages shift when people are added between them: each one once. */
  for (guint i = 0; i < page->items->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (page->items, i);

      if (search->result->items->len >= search->max)
        {
          cut = TRUE;
          break;
        }
      if (!g_hash_table_add (search->seen, person->uuid))
        continue;
      g_ptr_array_add (search->result->items, person);
      page->items->pdata[i] = NULL;
    }
  search->result->skipped += page->skipped;

  if (search->result->items->len < search->max && page->has_next && page->items->len > 0 &&
      search->page < PLANNR_PEOPLE_MAX_PAGES)
    {
      search_next (task);
      return;
    }
  /* There are more than were read: the caller says so. */
  search->result->has_next = page->has_next || cut;
  g_task_return_pointer (task, g_steal_pointer (&search->result), (GDestroyNotify) plannr_page_free);
  g_object_unref (task);
}

void
plannr_api_search_people_async (PlannrApi           *self,
                                PlannrPeopleKind     kind,
                                const char          *field,
                                const char          *text,
                                guint                max,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (self, plannr_http_get_cancellable (plannr_api_get_http (self)),
                            callback, user_data);
  Search *search = g_new0 (Search, 1);

  g_task_set_source_tag (task, plannr_api_search_people_async);
  search->kind = kind;
  search->field = g_strdup (field);
  search->text = g_strdup (text);
  search->max = MAX (max, 1);
  search->result = g_new0 (PlannrPage, 1);
  search->result->items = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
  /* Keys point into the people of result, which outlives them. */
  search->seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);
  search_next (task);
}

PlannrPage *
plannr_api_search_people_finish (PlannrApi     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_search_people_async, error);
}
