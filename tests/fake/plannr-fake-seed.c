/* plannr-fake-seed.c: the seed format, plannr_fake_dump() and
 * plannr_fake_load_data() (the format is described in plannr-fake.c)
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

/* --- the dump ----------------------------------------------------- */

/* The seed format keeps offsets whatever the time-format switch says,
 * so that a dump reads the same in every mode. */
static void
add_seed_time (PlannrFake  *self,
               JsonBuilder *b,
               const char  *key,
               gint64       t)
{
  g_autofree char *text = t != 0 ? fake_format_time_as (self, t, PLANNR_FAKE_TIME_OFFSET) : NULL;

  fake_add_string (b, key, text);
}

static void
add_str_array (JsonBuilder *b,
               const char  *key,
               GPtrArray   *array)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; i < array->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (array, i));
  json_builder_end_array (b);
}

char *
plannr_fake_dump (PlannrFake *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);

  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->users->len; i++)
    {
      FakeUser *user = g_ptr_array_index (self->users, i);

      json_builder_begin_object (b);
      fake_add_string (b, "uuid", user->uuid);
      fake_add_string (b, "name", user->name);
      fake_add_string (b, "email", user->email);
      fake_add_string (b, "token", user->token);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "firms");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->firms->len; i++)
    fake_build_firm (self, b, ((FakeFirm *) g_ptr_array_index (self->firms, i))->uuid);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "accounts");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (self->accounts, i);

      json_builder_begin_object (b);
      fake_add_string (b, "uuid", account->uuid);
      fake_add_string (b, "user", account->user_uuid);
      fake_add_string (b, "firm", account->firm_uuid);
      fake_add_string (b, "name", account->name);
      fake_add_string (b, "type", account->type);
      fake_add_string (b, "role", account->role);
      fake_add_string (b, "email", account->email);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "preferred");
  json_builder_begin_object (b);
  for (guint i = 0; i < self->users->len; i++)
    {
      FakeUser *user = g_ptr_array_index (self->users, i);

      if (user->preferred_account != NULL)
        fake_add_string (b, user->uuid, user->preferred_account);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "revoked_tokens");
  json_builder_begin_array (b);
  g_hash_table_iter_init (&iter, self->revoked_tokens);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    json_builder_add_string_value (b, key);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "conversations");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->conversations->len; i++)
    {
      FakeConversation *conv = g_ptr_array_index (self->conversations, i);

      json_builder_begin_object (b);
      fake_add_string (b, "uuid", conv->uuid);
      fake_add_string (b, "name", conv->name);
      add_seed_time (self, b, "created_at", conv->created_at);
      add_seed_time (self, b, "updated_at", conv->updated_at);
      add_str_array (b, "participants", conv->participants);
      add_str_array (b, "admins", conv->admins);
      add_str_array (b, "pinned_by", conv->pinned_by);
      if (conv->case_uuid != NULL)
        {
          json_builder_set_member_name (b, "case");
          json_builder_begin_object (b);
          fake_add_string (b, "uuid", conv->case_uuid);
          fake_add_string (b, "name", conv->case_name);
          json_builder_end_object (b);
        }
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint j = 0; j < conv->tags->len; j++)
        {
          FakeTag *tag = g_ptr_array_index (conv->tags, j);

          json_builder_begin_object (b);
          fake_add_string (b, "uuid", tag->uuid);
          fake_add_string (b, "name", tag->name);
          fake_add_string (b, "slug", tag->slug);
          fake_add_string (b, "colour", tag->colour);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);

      json_builder_set_member_name (b, "messages");
      json_builder_begin_array (b);
      for (guint j = 0; j < conv->messages->len; j++)
        {
          FakeMessage *message = g_ptr_array_index (conv->messages, j);

          json_builder_begin_object (b);
          fake_add_string (b, "uuid", message->uuid);
          fake_add_string (b, "author", message->author);
          fake_add_string (b, "contents", message->contents);
          add_seed_time (self, b, "created_at", message->created_at);
          add_seed_time (self, b, "updated_at", message->updated_at);
          fake_add_bool (b, "edited", message->edited);
          add_seed_time (self, b, "deleted_at", message->deleted_at);
          json_builder_set_member_name (b, "files");
          json_builder_begin_array (b);
          for (guint k = 0; k < message->files->len; k++)
            {
              FakeFile *file = g_ptr_array_index (message->files, k);

              json_builder_begin_object (b);
              fake_add_string (b, "uuid", file->uuid);
              fake_add_string (b, "filename", file->filename);
              fake_add_string (b, "type", file->type);
              fake_add_int (b, "size", file->size);
              if (file->download_url != NULL)
                fake_add_string (b, "download_url", file->download_url);
              if (file->storage)
                fake_add_bool (b, "storage", TRUE);
              if (file->data != NULL)
                {
                  g_autofree char *encoded = g_base64_encode (g_bytes_get_data (file->data, NULL),
                                                              g_bytes_get_size (file->data));

                  fake_add_string (b, "data_base64", encoded);
                }
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_set_member_name (b, "reactions");
          json_builder_begin_array (b);
          for (guint k = 0; k < message->reactions->len; k++)
            {
              FakeReaction *r = g_ptr_array_index (message->reactions, k);

              json_builder_begin_object (b);
              fake_add_string (b, "uuid", r->uuid);
              fake_add_string (b, "account", r->account_uuid);
              fake_add_string (b, "reaction", r->reaction);
              add_seed_time (self, b, "created_at", r->created_at);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return fake_builder_to_string (b, TRUE);
}

/* --- loading ------------------------------------------------------ */

static gboolean
seed_error (GError     **error,
            const char  *format,
            ...) G_GNUC_PRINTF (2, 3);

static gboolean
seed_error (GError     **error,
            const char  *format,
            ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, text);
  return FALSE;
}

/* A string member, or NULL when it is missing, null or not a string. */
const char *
fake_get_string (JsonObject *obj,
                 const char *key)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The objects of array member @key; NULL when it is missing. */
static GList *
get_objects (JsonObject *obj,
             const char *key,
             const char *what,
             gboolean   *ok,
             GError    **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  JsonArray *array;
  GList *list;

  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      *ok = seed_error (error, "%s: \"%s\" is not an array", what, key);
      return NULL;
    }
  array = json_node_get_array (node);
  list = json_array_get_elements (array);
  for (GList *l = list; l != NULL; l = l->next)
    if (!JSON_NODE_HOLDS_OBJECT (l->data))
      {
        g_list_free (list);
        *ok = seed_error (error, "%s: \"%s\" holds something that is not an object", what, key);
        return NULL;
      }
  return list;
}

/* A NULL-terminated array of the strings in array member @key, each an
 * existing account. */
char **
fake_get_account_list (PlannrFake  *self,
                       JsonObject  *obj,
                       const char  *key,
                       const char  *what,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strv_builder_end (builder);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      seed_error (error, "%s: \"%s\" is not an array", what, key);
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *uuid = json_array_get_string_element (array, i);

      if (uuid == NULL || fake_lookup_account (self, uuid) == NULL)
        {
          seed_error (error, "%s: \"%s\" names an unknown account %s", what, key,
                      uuid != NULL ? uuid : "(not a string)");
          return NULL;
        }
      g_strv_builder_add (builder, uuid);
    }
  return g_strv_builder_end (builder);
}

static gboolean
get_time (JsonObject  *obj,
          const char  *key,
          const char  *what,
          gboolean     required,
          gint64      *out,
          GError     **error)
{
  const char *text = fake_get_string (obj, key);

  if (text == NULL)
    {
      if (required)
        return seed_error (error, "%s: \"%s\" is missing", what, key);
      return TRUE;
    }
  if (!fake_parse_time (text, out))
    return seed_error (error, "%s: \"%s\" is not an ISO 8601 time: %s", what, key, text);
  return TRUE;
}

static gboolean
load_message (PlannrFake        *self,
              FakeConversation  *conv,
              JsonObject        *obj,
              GError           **error)
{
  const char *uuid = fake_get_string (obj, "uuid");
  const char *author = fake_get_string (obj, "author");
  const char *contents = fake_get_string (obj, "contents");
  g_autofree char *what = g_strdup_printf ("message %s in conversation %s",
                                           uuid != NULL ? uuid : "(no uuid)", conv->uuid);
  FakeMessage *message;
  gint64 created_at = 0;
  GList *list;
  gboolean ok;

  if (uuid != NULL && g_hash_table_contains (self->messages_by_uuid, uuid))
    return seed_error (error, "%s: duplicate uuid", what);
  if (fake_lookup_account (self, author) == NULL)
    return seed_error (error, "%s: unknown author", what);
  if (contents == NULL)
    return seed_error (error, "%s: no contents", what);
  if (!get_time (obj, "created_at", what, TRUE, &created_at, error))
    return FALSE;

  message = fake_add_message_full (self, conv, uuid, author, contents, created_at);
  message->edited = json_object_get_boolean_member_with_default (obj, "edited", FALSE);
  if (!get_time (obj, "updated_at", what, FALSE, &message->updated_at, error)
      || !get_time (obj, "deleted_at", what, FALSE, &message->deleted_at, error))
    return FALSE;

  list = get_objects (obj, "files", what, &ok, error);
  for (GList *l = list; l != NULL; l = l->next)
    {
      JsonObject *f = json_node_get_object (l->data);
      JsonNode *size_node = json_object_get_member (f, "size");
      gboolean storage = json_object_get_boolean_member_with_default (f, "storage", FALSE);
      guint64 size = 0;

      if (fake_get_string (f, "filename") == NULL)
        {
          g_list_free (list);
          return seed_error (error, "%s: a file without a filename", what);
        }
      if (size_node != NULL && JSON_NODE_HOLDS_VALUE (size_node))
        {
          if (json_node_get_value_type (size_node) == G_TYPE_STRING)
            size = g_ascii_strtoull (json_node_get_string (size_node), NULL, 10);
          else
            size = json_node_get_int (size_node);
        }
      if (fake_get_string (f, "data_base64") != NULL)
        {
          gsize length = 0;
          guchar *decoded = g_base64_decode (fake_get_string (f, "data_base64"), &length);
          g_autoptr(GBytes) bytes = g_bytes_new_take (decoded, length);
          FakeFile *file = fake_add_file_data (self, message, fake_get_string (f, "uuid"),
                                               fake_get_string (f, "filename"), fake_get_string (f, "type"),
                                               bytes, storage);

          file->download_url = g_strdup (fake_get_string (f, "download_url"));
        }
      else
        {
          FakeFile *file = fake_add_file (self, message, fake_get_string (f, "uuid"),
                                          fake_get_string (f, "filename"), fake_get_string (f, "type"), size,
                                          fake_get_string (f, "download_url"));

          file->storage = storage;
        }
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  list = get_objects (obj, "reactions", what, &ok, error);
  for (GList *l = list; l != NULL; l = l->next)
    {
      JsonObject *r = json_node_get_object (l->data);
      const char *account = fake_get_string (r, "account");
      const char *reaction = fake_get_string (r, "reaction");
      gint64 reacted_at = created_at;

      if (fake_lookup_account (self, account) == NULL || reaction == NULL
          || !get_time (r, "created_at", what, FALSE, &reacted_at, error))
        {
          g_list_free (list);
          if (error != NULL && *error != NULL)
            return FALSE;
          return seed_error (error, "%s: a reaction without a known account or a reaction", what);
        }
      fake_add_reaction (self, message, fake_get_string (r, "uuid"), account, reaction, reacted_at);
    }
  g_list_free (list);
  return ok;
}

static gboolean
load_conversation (PlannrFake  *self,
                   JsonObject  *obj,
                   GError     **error)
{
  const char *uuid = fake_get_string (obj, "uuid");
  const char *name = fake_get_string (obj, "name");
  g_autofree char *what = g_strdup_printf ("conversation %s", uuid != NULL ? uuid : "(no uuid)");
  g_auto(GStrv) participants = NULL;
  g_auto(GStrv) admins = NULL;
  g_auto(GStrv) pinned_by = NULL;
  FakeConversation *conv;
  JsonNode *case_node;
  gint64 created_at = 0;
  gint64 updated_at = 0;
  GList *list;
  gboolean ok;

  if (uuid != NULL && fake_lookup_conversation (self, uuid) != NULL)
    return seed_error (error, "%s: duplicate uuid", what);
  if (name == NULL)
    return seed_error (error, "%s: no name", what);
  if (!get_time (obj, "created_at", what, FALSE, &created_at, error)
      || !get_time (obj, "updated_at", what, FALSE, &updated_at, error))
    return FALSE;
  if (created_at == 0)
    created_at = fake_now (self);
  participants = fake_get_account_list (self, obj, "participants", what, error);
  if (participants == NULL)
    return FALSE;
  admins = fake_get_account_list (self, obj, "admins", what, error);
  if (admins == NULL)
    return FALSE;
  pinned_by = fake_get_account_list (self, obj, "pinned_by", what, error);
  if (pinned_by == NULL)
    return FALSE;
  for (guint i = 0; pinned_by[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) participants, pinned_by[i])
        && !g_strv_contains ((const char * const *) admins, pinned_by[i]))
      return seed_error (error, "%s: pinned by %s, who is not a participant", what, pinned_by[i]);

  conv = fake_add_conversation_full (self, uuid, name, (const char * const *) participants,
                                     (const char * const *) admins, created_at);
  for (guint i = 0; pinned_by[i] != NULL; i++)
    fake_str_array_add_unique (conv->pinned_by, pinned_by[i]);

  case_node = json_object_get_member (obj, "case");
  if (case_node != NULL && JSON_NODE_HOLDS_OBJECT (case_node))
    {
      JsonObject *c = json_node_get_object (case_node);
      const char *case_uuid = fake_get_string (c, "uuid");

      conv->case_uuid = case_uuid != NULL ? g_strdup (case_uuid) : g_uuid_string_random ();
      conv->case_name = g_strdup (fake_get_string (c, "name") != NULL ? fake_get_string (c, "name") : "Case");
    }

  list = get_objects (obj, "tags", what, &ok, error);
  for (GList *l = list; l != NULL; l = l->next)
    {
      JsonObject *t = json_node_get_object (l->data);
      FakeTag *tag = g_new0 (FakeTag, 1);
      const char *tag_name = fake_get_string (t, "name") != NULL ? fake_get_string (t, "name") : "Tag";
      const char *tag_uuid = fake_get_string (t, "uuid");
      const char *slug = fake_get_string (t, "slug");
      const char *colour = fake_get_string (t, "colour");

      tag->uuid = tag_uuid != NULL ? g_strdup (tag_uuid) : g_uuid_string_random ();
      tag->name = g_strdup (tag_name);
      tag->slug = slug != NULL ? g_strdup (slug) : fake_make_slug (tag_name);
      tag->colour = g_strdup (colour != NULL ? colour : "#6b7280");
      g_ptr_array_add (conv->tags, tag);
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  list = get_objects (obj, "messages", what, &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    ok = load_message (self, conv, json_node_get_object (l->data), error);
  g_list_free (list);
  if (!ok)
    return FALSE;

  /* Without an explicit updated_at, the conversation was last touched by
   * its newest message, as it would have been on the real server. */
  if (updated_at == 0)
    {
      updated_at = conv->created_at;
      for (guint i = 0; i < conv->messages->len; i++)
        {
          FakeMessage *message = g_ptr_array_index (conv->messages, i);

          updated_at = MAX (updated_at, message->created_at);
        }
    }
  conv->updated_at = updated_at;
  return TRUE;
}

gboolean
plannr_fake_load_data (PlannrFake  *self,
                       const char  *json,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonNode *node;
  GList *list;
  gboolean ok;

  g_return_val_if_fail (self != NULL && json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return seed_error (error, "seed data is not a JSON object");
  root = json_node_get_object (json_parser_get_root (parser));

  list = get_objects (root, "users", "seed", &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    {
      JsonObject *u = json_node_get_object (l->data);
      const char *uuid = fake_get_string (u, "uuid");
      const char *token = fake_get_string (u, "token");
      g_autofree char *generated = uuid == NULL ? g_uuid_string_random () : NULL;

      if (fake_get_string (u, "name") == NULL)
        ok = seed_error (error, "user %s: no name", uuid);
      else if (uuid != NULL && g_hash_table_contains (self->users_by_uuid, uuid))
        ok = seed_error (error, "user %s: duplicate uuid", uuid);
      else if (token != NULL && g_hash_table_contains (self->users_by_token, token))
        ok = seed_error (error, "user %s: duplicate token", uuid);
      else
        plannr_fake_add_user (self, uuid != NULL ? uuid : generated, fake_get_string (u, "name"),
                              fake_get_string (u, "email"), token);
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  list = get_objects (root, "firms", "seed", &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    {
      JsonObject *f = json_node_get_object (l->data);
      const char *uuid = fake_get_string (f, "uuid");

      if (uuid == NULL || fake_get_string (f, "name") == NULL)
        ok = seed_error (error, "a firm needs a uuid and a name");
      else if (g_hash_table_contains (self->firms_by_uuid, uuid))
        ok = seed_error (error, "firm %s: duplicate uuid", uuid);
      else
        plannr_fake_add_firm (self, uuid, fake_get_string (f, "name"));
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  list = get_objects (root, "accounts", "seed", &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    {
      JsonObject *a = json_node_get_object (l->data);
      const char *uuid = fake_get_string (a, "uuid");
      const char *user = fake_get_string (a, "user");
      const char *firm = fake_get_string (a, "firm");

      if (uuid == NULL || fake_get_string (a, "name") == NULL)
        ok = seed_error (error, "an account needs a uuid and a name");
      else if (fake_lookup_account (self, uuid) != NULL)
        ok = seed_error (error, "account %s: duplicate uuid", uuid);
      else if (user != NULL && !g_hash_table_contains (self->users_by_uuid, user))
        ok = seed_error (error, "account %s: unknown user %s", uuid, user);
      else if (firm != NULL && !g_hash_table_contains (self->firms_by_uuid, firm))
        ok = seed_error (error, "account %s: unknown firm %s", uuid, firm);
      else
        fake_add_account_full (self, uuid, user, firm, fake_get_string (a, "name"), fake_get_string (a, "type"),
                               fake_get_string (a, "role"), fake_get_string (a, "email"));
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  node = json_object_get_member (root, "preferred");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *preferred = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (preferred);

      for (GList *l = members; l != NULL; l = l->next)
        {
          FakeUser *user = g_hash_table_lookup (self->users_by_uuid, l->data);
          const char *account_uuid = fake_get_string (preferred, l->data);
          FakeAccount *account = fake_lookup_account (self, account_uuid);

          if (user == NULL || account == NULL || g_strcmp0 (account->user_uuid, user->uuid) != 0)
            return seed_error (error, "preferred: %s is not an account of user %s",
                               account_uuid, (const char *) l->data);
          plannr_fake_set_preferred_account (self, user->uuid, account->uuid);
        }
    }

  node = json_object_get_member (root, "revoked_tokens");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (json_array_get_string_element (array, i) != NULL)
          plannr_fake_revoke_token (self, json_array_get_string_element (array, i));
    }

  list = get_objects (root, "conversations", "seed", &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    ok = load_conversation (self, json_node_get_object (l->data), error);
  g_list_free (list);
  return ok;
}

gboolean
plannr_fake_load_file (PlannrFake  *self,
                       const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  if (!plannr_fake_load_data (self, contents, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}
