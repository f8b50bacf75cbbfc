/* plannr-fake-routes.c: what the API routes share (looking up, paging,
 * validating, answering) and the small routes: /me, /logins, /employee,
 * /account and M6
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

/* --- validation --------------------------------------------------- */

/* Laravel's "required|string|max:@max" after TrimStrings: the trimmed
 * value, or NULL after answering 422. */
char *
fake_require_string (SoupServerMessage *msg,
                     JsonObject        *obj,
                     const char        *field,
                     const char        *label,
                     guint              max)
{
  JsonNode *node = json_object_get_member (obj, field);
  g_autofree char *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      fake_respond_invalid (msg, field, "The %s field is required.", label);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fake_respond_invalid (msg, field, "The %s field must be a string.", label);
      return NULL;
    }
  value = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*value == '\0')
    {
      fake_respond_invalid (msg, field, "The %s field is required.", label);
      return NULL;
    }
  if (max > 0 && g_utf8_strlen (value, -1) > max)
    {
      fake_respond_invalid (msg, field, "The %s field must not be greater than %u characters.", label, max);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* An array of existing account uuids, or NULL after answering 422. */
GPtrArray *
fake_require_accounts (PlannrFake        *self,
                       SoupServerMessage *msg,
                       JsonObject        *obj,
                       const char        *field,
                       gboolean           required)
{
  JsonNode *node = json_object_get_member (obj, field);
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return g_steal_pointer (&result);
      fake_respond_invalid (msg, field, "The %s field is required.", field);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fake_respond_invalid (msg, field, "The %s field must be an array.", field);
      return NULL;
    }
  array = json_node_get_array (node);
  if (required && json_array_get_length (array) == 0)
    {
      fake_respond_invalid (msg, field, "The %s field is required.", field);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *uuid = NULL;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        uuid = json_node_get_string (element);
      if (fake_lookup_account (self, uuid) == NULL)
        {
          g_autofree char *key = g_strdup_printf ("%s.%u", field, i);

          fake_respond_invalid (msg, key, "The selected %s is invalid.", key);
          return NULL;
        }
      g_ptr_array_add (result, g_strdup (uuid));
    }
  return g_steal_pointer (&result);
}

/* --- looking up and answering ------------------------------------- */

FakeConversation *
fake_visible_conversation (Call       *call,
                           const char *uuid)
{
  FakeConversation *conv = fake_lookup_conversation (call->self, uuid);

  if (conv == NULL || !fake_str_array_contains (conv->participants, call->account->uuid))
    {
      fake_respond_not_found (call->msg, "Conversation", uuid);
      return NULL;
    }
  return conv;
}

FakeMessage *
fake_conversation_message (Call             *call,
                           FakeConversation *conv,
                           const char       *uuid)
{
  FakeMessage *message = fake_lookup_message (call->self, conv->uuid, uuid);

  if (message == NULL)
    fake_respond_not_found (call->msg, "Message", uuid);
  return message;
}

/* One resource, bare or, with the wrap switch, as Laravel's JsonResource
 * sends it by default: {"data": {...}}. */
void
fake_respond_resource (Call        *call,
                       guint        status,
                       JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  if (call->self->shapes.wrap)
    {
      g_autoptr(JsonObject) wrapper = json_object_new ();

      json_object_set_member (wrapper, "data", g_steal_pointer (&root));
      root = json_node_init_object (json_node_alloc (), wrapper);
    }
  fake_respond_text (call->msg, status, JSON_TYPE, fake_node_to_string (root, FALSE));
}

void
fake_respond_conversation (Call             *call,
                           guint             status,
                           FakeConversation *conv,
                           guint             includes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  fake_build_conversation (call->self, b, conv, call->account->uuid, includes);
  fake_respond_resource (call, status, b);
}

void
fake_respond_message (Call        *call,
                      guint        status,
                      FakeMessage *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  fake_build_message (call->self, b, message);
  fake_respond_resource (call, status, b);
}

/* --- lists -------------------------------------------------------- */

/* Spatie's query builder answers unknown includes, sorts and filters
 * with 400 and this kind of message. */
gboolean
fake_parse_includes (Call  *call,
                     guint *includes)
{
  const char *text = g_hash_table_lookup (call->query, "include");
  g_auto(GStrv) names = NULL;

  *includes = 0;
  if (text == NULL)
    return TRUE;
  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gboolean known = FALSE;

      if (*name == '\0')
        continue;
      for (guint j = 0; fake_include_names[j] != NULL; j++)
        if (strcmp (name, fake_include_names[j]) == 0)
          {
            *includes |= 1 << j;
            known = TRUE;
          }
      if (!known)
        {
          g_autofree char *message = g_strdup_printf ("Requested include(s) `%s` are not allowed. "
                                                      "Allowed include(s) are `participants, "
                                                      "participants_count, latest_message, "
                                                      "messages_count, files_count, case, tags`.",
                                                      name);

          fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_positive (const char *text,
                guint      *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}

gboolean
fake_parse_paging (Call  *call,
                   guint  default_per_page,
                   guint *page,
                   guint *per_page)
{
  const char *page_text = g_hash_table_lookup (call->query, "page");
  const char *per_page_text = g_hash_table_lookup (call->query, "per_page");

  /* Laravel's paginator treats a page it cannot read as page 1. */
  if (page_text == NULL || !parse_positive (page_text, page))
    *page = 1;

  *per_page = default_per_page;
  if (per_page_text != NULL)
    {
      gint64 value;

      if (!g_ascii_string_to_signed (per_page_text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        {
          fake_respond_invalid (call->msg, "per_page", "The per page field must be an integer.");
          return FALSE;
        }
      if (value < 1)
        {
          fake_respond_invalid (call->msg, "per_page", "The per page field must be at least 1.");
          return FALSE;
        }
      if (value > MAX_PER_PAGE && call->self->shapes.clamp == 0)
        {
          fake_respond_invalid (call->msg, "per_page", "The per page field must not be greater than %d.",
                                MAX_PER_PAGE);
          return FALSE;
        }
      *per_page = MIN (value, G_MAXUINT);
    }
  /* min($request->per_page, N) in a controller: the default too. */
  if (call->self->shapes.clamp > 0 && *per_page > call->self->shapes.clamp)
    {
      *per_page = call->self->shapes.clamp;
      call->clamped_per_page = *per_page;
    }
  return TRUE;
}

/* An absolute link to @page of the current list with the other query
 * parameters kept in their order. */
static char *
page_url (Call  *call,
          guint  page)
{
  GUri *uri = soup_server_message_get_uri (call->msg);
  const char *query = g_uri_get_query (uri);
  GString *url = g_string_new (call->self->base_url);

  g_string_append (url, g_uri_get_path (uri));
  g_string_append_c (url, '?');
  if (query != NULL)
    {
      g_auto(GStrv) params = g_strsplit (query, "&", -1);

      for (guint i = 0; params[i] != NULL; i++)
        {
          if (*params[i] == '\0' || strcmp (params[i], "page") == 0
              || g_str_has_prefix (params[i], "page="))
            continue;
          /* A clamped size is the one the links ask for. */
          if (call->clamped_per_page > 0
              && (strcmp (params[i], "per_page") == 0 || g_str_has_prefix (params[i], "per_page=")))
            g_string_append_printf (url, "per_page=%u", call->clamped_per_page);
          else
            g_string_append (url, params[i]);
          g_string_append_c (url, '&');
        }
    }
  g_string_append_printf (url, "page=%u", page);
  return g_string_free (url, FALSE);
}

void
fake_respond_page (Call          *call,
                   GPtrArray     *items,
                   guint          page,
                   guint          per_page,
                   BuildItemFunc  build,
                   guint          includes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint total = items->len;
  guint last_page = MAX (1, (total + per_page - 1) / per_page);
  guint64 first = (guint64) (page - 1) * per_page;
  guint64 end = MIN ((guint64) total, first + per_page);
  g_autofree char *first_url = page_url (call, 1);
  g_autofree char *last_url = page_url (call, last_page);
  g_autofree char *prev_url = page > 1 ? page_url (call, page - 1) : NULL;
  g_autofree char *next_url = page < last_page ? page_url (call, page + 1) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (guint64 i = first; i < end; i++)
    build (call, b, g_ptr_array_index (items, i), includes);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "links");
  json_builder_begin_object (b);
  fake_add_string (b, "first", first_url);
  fake_add_string (b, "last", last_url);
  fake_add_string (b, "prev", prev_url);
  fake_add_string (b, "next", next_url);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "meta");
  json_builder_begin_object (b);
  fake_add_int (b, "current_page", page);
  json_builder_set_member_name (b, "from");
  if (first < end)
    json_builder_add_int_value (b, first + 1);
  else
    json_builder_add_null_value (b);
  fake_add_int (b, "last_page", last_page);
  {
    g_autofree char *path = g_strconcat (call->self->base_url,
                                         g_uri_get_path (soup_server_message_get_uri (call->msg)),
                                         NULL);

    fake_add_string (b, "path", path);
  }
  fake_add_int (b, "per_page", per_page);
  json_builder_set_member_name (b, "to");
  if (first < end)
    json_builder_add_int_value (b, end);
  else
    json_builder_add_null_value (b);
  fake_add_int (b, "total", total);
  json_builder_end_object (b);
  json_builder_end_object (b);

  fake_respond_builder (call->msg, SOUP_STATUS_OK, b);
}

void
fake_build_conversation_item (Call        *call,
                              JsonBuilder *b,
                              gpointer     item,
                              guint        includes)
{
  fake_build_conversation (call->self, b, item, call->account->uuid, includes);
}

void
fake_build_message_item (Call        *call,
                         JsonBuilder *b,
                         gpointer     item,
                         guint        includes)
{
  fake_build_message (call->self, b, item);
}

static void
build_account_item (Call        *call,
                    JsonBuilder *b,
                    gpointer     item,
                    guint        includes)
{
  fake_build_account (call->self, b, item, -1);
}

/* --- people ------------------------------------------------------- */

/* Spatie's query builder refuses filters it was not told about; @allowed
 * is a comma list as its message shows it. */
static gboolean
check_filters (Call       *call,
               const char *allowed)
{
  g_auto(GStrv) names = g_strsplit (allowed, ", ", -1);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, call->query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *name = key;
      g_autofree char *inner = NULL;

      if (!g_str_has_prefix (name, "filter[") || !g_str_has_suffix (name, "]"))
        continue;
      inner = g_strndup (name + strlen ("filter["), strlen (name) - strlen ("filter[]"));
      if (!g_strv_contains ((const char * const *) names, inner))
        {
          g_autofree char *message = g_strdup_printf ("Requested filter(s) `%s` are not allowed. "
                                                      "Allowed filter(s) are `%s`.", inner, allowed);

          fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Spatie's partial filter: a case-insensitive substring (LIKE %x%). */
static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack != NULL ? haystack : "", -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

typedef enum
{
  PEOPLE_FIRST_NAME,
  PEOPLE_LAST_NAME,
  PEOPLE_EMAIL,
} PeopleSortKey;

typedef struct
{
  PeopleSortKey key;
  gboolean descending;
  GPtrArray *order;           /* the store's accounts, for ties */
} PeopleSort;

static int
compare_people (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const PeopleSort *sort = user_data;
  FakeAccount *pa = *(FakeAccount **) a;
  FakeAccount *pb = *(FakeAccount **) b;
  const char *ka, *kb;
  int result;

  switch (sort->key)
    {
    case PEOPLE_LAST_NAME:
      ka = pa->last_name;
      kb = pb->last_name;
      break;
    case PEOPLE_EMAIL:
      ka = pa->email;
      kb = pb->email;
      break;
    case PEOPLE_FIRST_NAME:
    default:
      ka = pa->first_name;
      kb = pb->first_name;
      break;
    }
  result = g_strcmp0 (ka, kb);
  if (result == 0)
    {
      guint ia = 0, ib = 0;

      g_ptr_array_find (sort->order, pa, &ia);
      g_ptr_array_find (sort->order, pb, &ib);
      result = ia < ib ? -1 : (ia > ib ? 1 : 0);
    }
  return sort->descending ? -result : result;
}

/* GET /employee (arg TRUE) and GET /account: the accounts of the
 * acting account's firm, the employees only or every type. */
void
fake_handle_people (Call *call)
{
  gboolean employees = call->arg;
  const char *sort_text = g_hash_table_lookup (call->query, "sort");
  const char *name = g_hash_table_lookup (call->query, "filter[name]");
  const char *email = g_hash_table_lookup (call->query, "filter[email]");
  const char *uuid = g_hash_table_lookup (call->query, "filter[uuid]");
  const char *type = g_hash_table_lookup (call->query, "filter[type]");
  PeopleSort sort = { PEOPLE_FIRST_NAME, FALSE, call->self->accounts };
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_auto(GStrv) uuids = uuid != NULL ? g_strsplit (uuid, ",", -1) : NULL;
  g_auto(GStrv) types = type != NULL ? g_strsplit (type, ",", -1) : NULL;
  guint page, per_page;

  if (!check_filters (call, employees ? "name, email, uuid" : "type, name, uuid"))
    return;
  if (sort_text != NULL && *sort_text != '\0')
    {
      const char *key = sort_text;

      if (*key == '-')
        {
          sort.descending = TRUE;
          key++;
        }
      if (strcmp (key, "first_name") == 0)
        sort.key = PEOPLE_FIRST_NAME;
      else if (strcmp (key, "last_name") == 0)
        sort.key = PEOPLE_LAST_NAME;
      else if (strcmp (key, "email") == 0)
        sort.key = PEOPLE_EMAIL;
      else
        {
          g_autofree char *message = g_strdup_printf ("Requested sort(s) `%s` is not allowed. "
                                                      "Allowed sort(s) are `first_name, last_name, "
                                                      "email`.", key);

          fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
    }
  if (!fake_parse_paging (call, 15, &page, &per_page))
    return;

  for (guint i = 0; i < call->self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (call->self->accounts, i);
      g_autofree char *full = g_strconcat (account->first_name, " ", account->last_name, NULL);

      if (account->firm_uuid == NULL || g_strcmp0 (account->firm_uuid, call->account->firm_uuid) != 0)
        continue;
      if (employees && g_strcmp0 (account->type, "employee") != 0)
        continue;
      if (types != NULL && !g_strv_contains ((const char * const *) types, account->type))
        continue;
      if (uuids != NULL && !g_strv_contains ((const char * const *) uuids, account->uuid))
        continue;
      if (name != NULL && !contains_folded (full, name))
        continue;
      if (email != NULL && !contains_folded (account->email, email))
        continue;
      g_ptr_array_add (items, account);
    }
  g_ptr_array_sort_with_data (items, compare_people, &sort);
  fake_respond_page (call, items, page, per_page, build_account_item, 0);
}

/* --- identity ----------------------------------------------------- */

void
fake_handle_me (Call *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  FakeAccount *current = call->account;
  g_autofree char *photo = fake_photo_url (call->user->name);

  if (current == NULL)
    current = fake_lookup_account (call->self, call->user->preferred_account);
  for (guint i = 0; current == NULL && i < call->self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (call->self->accounts, i);

      if (g_strcmp0 (account->user_uuid, call->user->uuid) == 0)
        current = account;
    }

  json_builder_begin_object (b);
  fake_add_string (b, "uuid", call->user->uuid);
  fake_add_string (b, "name", call->user->name);
  fake_add_string (b, "first_name", call->user->first_name);
  fake_add_string (b, "last_name", call->user->last_name);
  fake_add_string (b, "email", call->user->email);
  fake_add_string (b, "type", "standard");
  fake_add_string (b, "photo_url", photo);
  json_builder_set_member_name (b, "current_account");
  if (current != NULL)
    fake_build_account_short (b, current);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  fake_respond_resource (call, SOUP_STATUS_OK, b);
}

void
fake_handle_logins (Call *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (guint i = 0; i < call->self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (call->self->accounts, i);

      if (g_strcmp0 (account->user_uuid, call->user->uuid) != 0)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "account");
      fake_build_account_short (b, account);
      json_builder_set_member_name (b, "firm");
      fake_build_firm (call->self, b, account->firm_uuid);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (call->user->preferred_account != NULL)
    fake_add_string (b, "preferred_account_uuid", call->user->preferred_account);
  json_builder_end_object (b);
  fake_respond_builder (call->msg, SOUP_STATUS_OK, b);
}

/* --- reactions ---------------------------------------------------- */

void
fake_handle_reaction (Call *call)
{
  static const char * const reactions[] = { "like", "love", "laughing", "surprised", NULL };
  g_autoptr(JsonNode) body = fake_read_json_body (call->msg, TRUE);
  g_autofree char *type = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *reaction = NULL;
  FakeMessage *message;
  JsonObject *obj;

  if (body == NULL)
    return;
  obj = json_node_get_object (body);
  type = fake_require_string (call->msg, obj, "reactable_type", "reactable type", 0);
  if (type == NULL)
    return;
  if (strcmp (type, "message") != 0)
    {
      fake_respond_invalid (call->msg, "reactable_type", "The selected reactable type is invalid.");
      return;
    }
  uuid = fake_require_string (call->msg, obj, "reactable_uuid", "reactable uuid", 0);
  if (uuid == NULL)
    return;
  reaction = fake_require_string (call->msg, obj, "reaction", "reaction", 0);
  if (reaction == NULL)
    return;
  if (!g_strv_contains (reactions, reaction))
    {
      fake_respond_invalid (call->msg, "reaction", "The selected reaction is invalid.");
      return;
    }
  message = fake_lookup_message (call->self, NULL, uuid);
  if (message == NULL || message->deleted_at != 0
      || !fake_str_array_contains (message->conversation->participants, call->account->uuid))
    {
      fake_respond_not_found (call->msg, "Message", uuid);
      return;
    }
  fake_add_reaction (call->self, message, NULL, call->account->uuid, reaction, fake_now (call->self));
  fake_respond_message (call, SOUP_STATUS_OK, message);
}
