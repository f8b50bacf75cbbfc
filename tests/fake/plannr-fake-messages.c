/* plannr-fake-messages.c: the message routes M1, M2, M4 and M5
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

int
fake_compare_messages (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  FakeMessage *ma = *(FakeMessage **) a;
  FakeMessage *mb = *(FakeMessage **) b;
  gboolean descending = GPOINTER_TO_INT (user_data);
  int result;

  if (ma->created_at != mb->created_at)
    result = ma->created_at < mb->created_at ? -1 : 1;
  else
    result = ma->seq < mb->seq ? -1 : (ma->seq > mb->seq ? 1 : 0);
  return descending ? -result : result;
}

void
fake_handle_message_list (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  const char *sort = g_hash_table_lookup (call->query, "sort");
  g_autoptr(GPtrArray) items = NULL;
  gboolean descending = TRUE;
  guint page, per_page;

  if (conv == NULL)
    return;
  if (sort != NULL && *sort != '\0')
    {
      if (strcmp (sort, "created_at") == 0)
        descending = FALSE;
      else if (strcmp (sort, "-created_at") != 0)
        {
          g_autofree char *message = g_strdup_printf ("Requested sort(s) `%s` is not allowed. "
                                                      "Allowed sort(s) are `created_at`.", sort);

          fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
    }
  if (!fake_parse_paging (call, 30, &page, &per_page))
    return;

  /* Deleted messages stay in the list with deleted_at set. */
  items = g_ptr_array_copy (conv->messages, NULL, NULL);
  /* The copy inherits the free function, but the store owns these. */
  g_ptr_array_set_free_func (items, NULL);
  g_ptr_array_sort_with_data (items, fake_compare_messages, GINT_TO_POINTER (descending));
  fake_respond_page (call, items, page, per_page, fake_build_message_item, 0);
}

/* Resolves M2's "files": uuids of files already known to the store. */
static gboolean
attach_known_files (Call        *call,
                    JsonObject  *obj,
                    FakeMessage *message,
                    gboolean     apply)
{
  JsonNode *node = json_object_get_member (obj, "files");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fake_respond_invalid (call->msg, "files", "The files field must be an array.");
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *uuid = NULL;
      FakeFile *found = NULL;
      GHashTableIter iter;
      gpointer value;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        uuid = json_node_get_string (element);
      g_hash_table_iter_init (&iter, call->self->messages_by_uuid);
      while (uuid != NULL && found == NULL && g_hash_table_iter_next (&iter, NULL, &value))
        {
          FakeMessage *other = value;

          for (guint j = 0; found == NULL && j < other->files->len; j++)
            if (strcmp (((FakeFile *) g_ptr_array_index (other->files, j))->uuid, uuid) == 0)
              found = g_ptr_array_index (other->files, j);
        }
      if (found == NULL)
        {
          g_autofree char *key = g_strdup_printf ("files.%u", i);

          fake_respond_invalid (call->msg, key, "The selected %s is invalid.", key);
          return FALSE;
        }
      if (apply)
        fake_add_file (call->self, message, found->uuid, found->filename, found->type, found->size,
                       found->download_url);
    }
  return TRUE;
}

void
fake_handle_message_post (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *contents = NULL;
  FakeMessage *message;

  if (conv == NULL)
    return;
  body = fake_read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  contents = fake_require_string (call->msg, json_node_get_object (body), "contents", "contents",
                                  MAX_CONTENTS_LENGTH);
  if (contents == NULL || !attach_known_files (call, json_node_get_object (body), NULL, FALSE))
    return;
  message = fake_post_message (call->self, conv, call->account->uuid, contents);
  attach_known_files (call, json_node_get_object (body), message, TRUE);
  fake_respond_message (call, SOUP_STATUS_CREATED, message);
}

void
fake_handle_message_get (Call *call)
{
  const char *conversation_uuid = call->params[0];
  const char *uuid = call->params[1];
  FakeConversation *conv = fake_visible_conversation (call, conversation_uuid);
  FakeMessage *message;

  if (conv == NULL)
    return;
  message = fake_conversation_message (call, conv, uuid);
  if (message == NULL)
    return;
  fake_respond_message (call, SOUP_STATUS_OK, message);
}

void
fake_handle_message_edit (Call *call)
{
  const char *conversation_uuid = call->params[0];
  const char *uuid = call->params[1];
  FakeConversation *conv = fake_visible_conversation (call, conversation_uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *contents = NULL;
  FakeMessage *message;

  if (conv == NULL)
    return;
  message = fake_conversation_message (call, conv, uuid);
  if (message == NULL)
    return;
  /* Soft-deleted models are out of reach of route binding: 404. */
  if (message->deleted_at != 0)
    {
      fake_respond_not_found (call->msg, "Message", uuid);
      return;
    }
  body = fake_read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  if (strcmp (message->author, call->account->uuid) != 0)
    {
      fake_respond_error (call->msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }
  contents = fake_require_string (call->msg, json_node_get_object (body), "contents", "contents",
                                  MAX_CONTENTS_LENGTH);
  if (contents == NULL)
    return;
  fake_edit_message (call->self, message, contents);
  fake_respond_message (call, SOUP_STATUS_OK, message);
}
