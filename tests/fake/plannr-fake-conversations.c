/* plannr-fake-conversations.c: the conversation routes, C1 to C9
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

typedef enum
{
  SORT_CREATED_AT,
  SORT_UPDATED_AT,
  SORT_LATEST_MESSAGE,
  SORT_PINNED,
} SortKey;

typedef struct
{
  SortKey key;
  gboolean descending;
  const char *acting;
} ConversationSort;

static void
conversation_sort_key (FakeConversation       *conv,
                       const ConversationSort *sort,
                       gint64                 *primary,
                       guint64                *secondary)
{
  FakeMessage *latest;

  switch (sort->key)
    {
    case SORT_CREATED_AT:
      *primary = conv->created_at;
      *secondary = conv->seq;
      break;
    case SORT_UPDATED_AT:
      *primary = conv->updated_at;
      *secondary = conv->updated_seq;
      break;
    case SORT_LATEST_MESSAGE:
      /* Conversations without messages count from their creation. */
      latest = fake_latest_message (conv);
      *primary = latest != NULL ? latest->created_at : conv->created_at;
      *secondary = latest != NULL ? latest->seq : conv->seq;
      break;
    case SORT_PINNED:
    default:
      *primary = fake_str_array_contains (conv->pinned_by, sort->acting);
      *secondary = conv->seq;
      break;
    }
}

static int
compare_conversations (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const ConversationSort *sort = user_data;
  FakeConversation *ca = *(FakeConversation **) a;
  FakeConversation *cb = *(FakeConversation **) b;
  gint64 pa, pb;
  guint64 sa, sb;
  int result;

  conversation_sort_key (ca, sort, &pa, &sa);
  conversation_sort_key (cb, sort, &pb, &sb);
  if (pa != pb)
    result = pa < pb ? -1 : 1;
  else if (sa != sb)
    result = sa < sb ? -1 : 1;
  else
    result = 0;
  return sort->descending ? -result : result;
}

void
fake_handle_conversation_list (Call *call)
{
  const char *sort_text = g_hash_table_lookup (call->query, "sort");
  const char *filter_uuid = g_hash_table_lookup (call->query, "filter[uuid]");
  const char *filter_archived = g_hash_table_lookup (call->query, "filter[archived]");
  ConversationSort sort = { SORT_LATEST_MESSAGE, FALSE, call->account->uuid };
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_auto(GStrv) uuids = NULL;
  GHashTableIter iter;
  gpointer key;
  guint includes, page, per_page;

  if (!fake_parse_includes (call, &includes))
    return;

  g_hash_table_iter_init (&iter, call->query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, "filter[") && strcmp (key, "filter[uuid]") != 0
        && strcmp (key, "filter[archived]") != 0)
      {
        g_autofree char *message = g_strdup_printf ("Requested filter(s) `%s` are not allowed. "
                                                    "Allowed filter(s) are `uuid, archived`.",
                                                    (const char *) key);

        fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
        return;
      }

  /* The documented default, fake_latest_message ascending, really is oldest
   * first; plannr-api.md tells clients to always send sort. */
  if (sort_text != NULL && *sort_text != '\0')
    {
      const char *name = sort_text;

      if (*name == '-')
        {
          sort.descending = TRUE;
          name++;
        }
      if (strcmp (name, "created_at") == 0)
        sort.key = SORT_CREATED_AT;
      else if (strcmp (name, "updated_at") == 0)
        sort.key = SORT_UPDATED_AT;
      else if (strcmp (name, "latest_message") == 0)
        sort.key = SORT_LATEST_MESSAGE;
      else if (strcmp (name, "pinned_conversations") == 0)
        sort.key = SORT_PINNED;
      else
        {
          g_autofree char *message = g_strdup_printf ("Requested sort(s) `%s` is not allowed. "
                                                      "Allowed sort(s) are `created_at, updated_at, "
                                                      "latest_message, pinned_conversations`.",
                                                      name);

          fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
    }

  if (!fake_parse_paging (call, 15, &page, &per_page))
    return;

  if (filter_uuid != NULL)
    uuids = g_strsplit (filter_uuid, ",", -1);

  /* Archived conversations are left out unless asked for ("with" or
   * "only"); "false" and no filter mean the same. */
  for (guint i = 0; i < call->self->conversations->len; i++)
    {
      FakeConversation *conv = g_ptr_array_index (call->self->conversations, i);

      if (!fake_str_array_contains (conv->participants, call->account->uuid))
        continue;
      if (g_strcmp0 (filter_archived, "with") != 0 &&
          conv->archived != (g_strcmp0 (filter_archived, "only") == 0))
        continue;
      if (uuids != NULL && !g_strv_contains ((const char * const *) uuids, conv->uuid))
        continue;
      g_ptr_array_add (items, conv);
    }

  g_ptr_array_sort_with_data (items, compare_conversations, &sort);
  fake_respond_page (call, items, page, per_page, fake_build_conversation_item, includes);
}

void
fake_handle_conversation_create (Call *call)
{
  PlannrFake *self = call->self;
  g_autoptr(JsonNode) body = fake_read_json_body (call->msg, TRUE);
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  const char *case_uuid = NULL;
  const char *case_name = NULL;
  FakeConversation *conv;
  JsonObject *obj;
  JsonNode *case_node;
  const char *admins[] = { call->account->uuid, NULL };

  if (body == NULL)
    return;
  obj = json_node_get_object (body);
  name = fake_require_string (call->msg, obj, "name", "name", MAX_NAME_LENGTH);
  if (name == NULL)
    return;
  participants = fake_require_accounts (self, call->msg, obj, "participants", FALSE);
  if (participants == NULL)
    return;

  /* Cases live elsewhere in Plannr; the fake knows the ones its
   * conversations belong to. */
  case_node = json_object_get_member (obj, "case");
  if (case_node != NULL && !JSON_NODE_HOLDS_NULL (case_node))
    {
      if (JSON_NODE_HOLDS_VALUE (case_node) && json_node_get_value_type (case_node) == G_TYPE_STRING)
        {
          case_uuid = json_node_get_string (case_node);
          for (guint i = 0; case_name == NULL && i < self->conversations->len; i++)
            {
              FakeConversation *other = g_ptr_array_index (self->conversations, i);

              if (g_strcmp0 (other->case_uuid, case_uuid) == 0)
                case_name = other->case_name;
            }
        }
      if (case_name == NULL)
        {
          fake_respond_invalid (call->msg, "case", "The selected case is invalid.");
          return;
        }
    }

  g_ptr_array_add (participants, NULL);
  conv = fake_add_conversation_full (self, NULL, name, (const char * const *) participants->pdata,
                                     admins, fake_now (self));
  if (case_name != NULL)
    {
      conv->case_uuid = g_strdup (case_uuid);
      conv->case_name = g_strdup (case_name);
    }
  fake_respond_conversation (call, SOUP_STATUS_CREATED, conv, INCLUDE_ALL);
}

void
fake_handle_conversation_get (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  guint includes;

  if (conv == NULL || !fake_parse_includes (call, &includes))
    return;
  fake_respond_conversation (call, SOUP_STATUS_OK, conv, includes);
}

void
fake_handle_conversation_rename (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *name = NULL;

  if (conv == NULL)
    return;
  body = fake_read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  if (!fake_str_array_contains (conv->admins, call->account->uuid))
    {
      fake_respond_error (call->msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }
  name = fake_require_string (call->msg, json_node_get_object (body), "name", "name", MAX_NAME_LENGTH);
  if (name == NULL)
    return;
  fake_rename_conversation (call->self, conv, name);
  fake_respond_conversation (call, SOUP_STATUS_OK, conv, INCLUDE_ALL);
}

void
fake_handle_conversation_pin (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  JsonNode *pin;

  if (conv == NULL)
    return;
  body = fake_read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  pin = json_object_get_member (json_node_get_object (body), "pin");
  if (pin == NULL || JSON_NODE_HOLDS_NULL (pin))
    {
      fake_respond_invalid (call->msg, "pin", "The pin field is required.");
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (pin) || json_node_get_value_type (pin) != G_TYPE_BOOLEAN)
    {
      fake_respond_invalid (call->msg, "pin", "The pin field must be true or false.");
      return;
    }
  plannr_fake_set_pinned (call->self, conv->uuid, call->account->uuid, json_node_get_boolean (pin));
  fake_respond_conversation (call, SOUP_STATUS_OK, conv, INCLUDE_PARTICIPANTS);
}

/* Whether @obj's "participants" is a non-empty array of @uuid alone:
 * someone leaving, which needs no admin. */
static gboolean
only_self (JsonObject *obj,
           const char *uuid)
{
  JsonNode *node = json_object_get_member (obj, "participants");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || g_strcmp0 (json_node_get_string (element), uuid) != 0)
        return FALSE;
    }
  return TRUE;
}

/* C6 (arg TRUE: add) and C7. */
void
fake_handle_participants (Call *call)
{
  const char *uuid = call->params[0];
  gboolean add = call->arg;
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  JsonObject *obj;

  if (conv == NULL)
    return;
  body = fake_read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  obj = json_node_get_object (body);
  /* A policy may read the input: anyone may take themselves out. */
  if (!fake_str_array_contains (conv->admins, call->account->uuid)
      && (add || !only_self (obj, call->account->uuid)))
    {
      fake_respond_error (call->msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }
  accounts = fake_require_accounts (call->self, call->msg, obj, "participants", TRUE);
  if (accounts == NULL)
    return;
  /* Only people the adder may see: accounts of the same firm. */
  for (guint i = 0; add && i < accounts->len; i++)
    {
      FakeAccount *account = fake_lookup_account (call->self, g_ptr_array_index (accounts, i));

      if (account == NULL || account->firm_uuid == NULL
          || g_strcmp0 (account->firm_uuid, call->account->firm_uuid) != 0)
        {
          g_autofree char *key = g_strdup_printf ("participants.%u", i);

          fake_respond_invalid (call->msg, key, "The selected %s is invalid.", key);
          return;
        }
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      if (add)
        fake_str_array_add_unique (conv->participants, g_ptr_array_index (accounts, i));
      else
        plannr_fake_remove_participant (call->self, conv->uuid, g_ptr_array_index (accounts, i));
    }
  /* Removing yourself is allowed, and then the answer can no longer show
   * you as a participant; that is what the real server would do too. */
  fake_respond_conversation (call, SOUP_STATUS_OK, conv, INCLUDE_PARTICIPANTS);
}

/* C8 (arg TRUE: add) and C9.  The reference disagrees on the body, so either
 * key is accepted, or both (their union). */
void
fake_handle_admin (Call *call)
{
  const char *uuid = call->params[0];
  gboolean add = call->arg;
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = NULL;
  JsonObject *obj;
  JsonNode *one;
  JsonNode *many;

  if (conv == NULL)
    return;
  body = fake_read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  if (!fake_str_array_contains (conv->admins, call->account->uuid))
    {
      fake_respond_error (call->msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }
  obj = json_node_get_object (body);
  one = json_object_get_member (obj, "participant");
  many = json_object_get_member (obj, "participants");
  if ((one == NULL || JSON_NODE_HOLDS_NULL (one)) && (many == NULL || JSON_NODE_HOLDS_NULL (many)))
    {
      fake_respond_invalid (call->msg, "participant",
                            "The participant field is required when participants is not present.");
      return;
    }
  if (one != NULL && !JSON_NODE_HOLDS_NULL (one))
    {
      if (!JSON_NODE_HOLDS_VALUE (one) || json_node_get_value_type (one) != G_TYPE_STRING
          || !fake_str_array_contains (conv->participants, json_node_get_string (one)))
        {
          fake_respond_invalid (call->msg, "participant", "The selected participant is invalid.");
          return;
        }
      g_ptr_array_add (accounts, g_strdup (json_node_get_string (one)));
    }
  if (many != NULL && !JSON_NODE_HOLDS_NULL (many))
    {
      list = fake_require_accounts (call->self, call->msg, obj, "participants", TRUE);
      if (list == NULL)
        return;
      for (guint i = 0; i < list->len; i++)
        {
          const char *account = g_ptr_array_index (list, i);

          if (!fake_str_array_contains (conv->participants, account))
            {
              g_autofree char *key = g_strdup_printf ("participants.%u", i);

              fake_respond_invalid (call->msg, key, "The selected %s is invalid.", key);
              return;
            }
          g_ptr_array_add (accounts, g_strdup (account));
        }
    }
  for (guint i = 0; i < accounts->len; i++)
    plannr_fake_set_admin (call->self, conv->uuid, g_ptr_array_index (accounts, i), add);
  fake_respond_conversation (call, SOUP_STATUS_OK, conv, INCLUDE_PARTICIPANTS);
}
