/* plannr-fake-json.c: JSON answers: resources built with JsonBuilder, the
 * basic responses, and the response shapes (plannr-fake.c explains them)
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

/* --- times -------------------------------------------------------- */

char *
fake_format_time_as (PlannrFake           *self,
                     gint64                t,
                     PlannrFakeTimeFormat  format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;
  switch (format)
    {
    case PLANNR_FAKE_TIME_UTC_MICRO:
      /* The fake's clock has whole seconds, like the database's. */
      return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000000Z");
    case PLANNR_FAKE_TIME_UTC_BARE:
      return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
    case PLANNR_FAKE_TIME_OFFSET:
    default:
      local = g_date_time_to_timezone (utc, self->tz);
      return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
    }
}

static char *
format_time (PlannrFake *self,
             gint64      t)
{
  return fake_format_time_as (self, t, self->shapes.time);
}

/* --- resources ---------------------------------------------------- */

void
fake_add_string (JsonBuilder *b,
                 const char  *key,
                 const char  *value)
{
  json_builder_set_member_name (b, key);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
fake_add_int (JsonBuilder *b,
              const char  *key,
              gint64       value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

void
fake_add_bool (JsonBuilder *b,
               const char  *key,
               gboolean     value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_boolean_value (b, value);
}

/* @t 0 is null. */
static void
add_time (PlannrFake  *self,
          JsonBuilder *b,
          const char  *key,
          gint64       t)
{
  g_autofree char *text = t != 0 ? format_time (self, t) : NULL;

  fake_add_string (b, key, text);
}

void
fake_build_firm (PlannrFake  *self,
                 JsonBuilder *b,
                 const char  *firm_uuid)
{
  FakeFirm *firm = firm_uuid != NULL ? g_hash_table_lookup (self->firms_by_uuid, firm_uuid) : NULL;

  if (firm == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  fake_add_string (b, "uuid", firm->uuid);
  fake_add_string (b, "name", firm->name);
  json_builder_end_object (b);
}

void
fake_build_account (PlannrFake  *self,
                    JsonBuilder *b,
                    FakeAccount *account,
                    int          is_admin)
{
  g_autofree char *photo = fake_photo_url (account->name);

  json_builder_begin_object (b);
  fake_add_string (b, "uuid", account->uuid);
  fake_add_string (b, "name", account->name);
  fake_add_string (b, "first_name", account->first_name);
  fake_add_string (b, "last_name", account->last_name);
  fake_add_string (b, "email", account->email);
  fake_add_string (b, "type", account->type);
  fake_add_string (b, "role", account->role);
  fake_add_string (b, "photo_url", photo);
  fake_add_bool (b, "with_login", account->user_uuid != NULL);
  json_builder_set_member_name (b, "firm");
  fake_build_firm (self, b, account->firm_uuid);
  /* [assumed] a participant says whether it administers the
   * conversation; -1: not a participant listing. */
  if (is_admin >= 0)
    fake_add_bool (b, "is_admin", is_admin);
  json_builder_end_object (b);
}

/* The short form /logins and /me use. */
void
fake_build_account_short (JsonBuilder *b,
                          FakeAccount *account)
{
  json_builder_begin_object (b);
  fake_add_string (b, "uuid", account->uuid);
  fake_add_string (b, "name", account->name);
  fake_add_string (b, "type", account->type);
  fake_add_string (b, "role", account->role);
  json_builder_end_object (b);
}

static void
build_user (JsonBuilder *b,
            FakeUser    *user)
{
  g_autofree char *photo = fake_photo_url (user->name);

  json_builder_begin_object (b);
  fake_add_string (b, "uuid", user->uuid);
  fake_add_string (b, "name", user->name);
  fake_add_string (b, "first_name", user->first_name);
  fake_add_string (b, "last_name", user->last_name);
  fake_add_string (b, "email", user->email);
  fake_add_string (b, "type", "standard");
  fake_add_string (b, "photo_url", photo);
  json_builder_end_object (b);
}

void
fake_build_file (PlannrFake  *self,
                 JsonBuilder *b,
                 FakeFile    *file)
{
  const char *dot = strrchr (file->filename, '.');
  g_autofree char *name = dot != NULL
                          ? g_strndup (file->filename, dot - file->filename) : g_strdup (file->filename);
  g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT, file->size);
  g_autofree char *url = fake_file_download_url (self, file);

  json_builder_begin_object (b);
  fake_add_string (b, "uuid", file->uuid);
  fake_add_string (b, "filename", file->filename);
  fake_add_string (b, "name", name);
  fake_add_string (b, "extension", dot != NULL ? dot + 1 : "");
  fake_add_string (b, "type", file->type);
  fake_add_string (b, "size", size);
  fake_add_string (b, "status", "uploaded");
  fake_add_string (b, "download_url", url);
  add_time (self, b, "created_at", file->created_at);
  add_time (self, b, "updated_at", file->created_at);
  json_builder_end_object (b);
}

void
fake_build_message (PlannrFake  *self,
                    JsonBuilder *b,
                    FakeMessage *message)
{
  FakeAccount *author = fake_lookup_account (self, message->author);
  FakeUser *user = NULL;

  if (author != NULL && author->user_uuid != NULL)
    user = g_hash_table_lookup (self->users_by_uuid, author->user_uuid);

  json_builder_begin_object (b);
  fake_add_string (b, "uuid", message->uuid);
  add_time (self, b, "created_at", message->created_at);
  add_time (self, b, "updated_at", message->updated_at);
  add_time (self, b, "deleted_at", message->deleted_at);
  fake_add_string (b, "contents", message->contents);
  fake_add_bool (b, "edited", message->edited);

  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < message->files->len; i++)
    fake_build_file (self, b, g_ptr_array_index (message->files, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "author");
  if (author != NULL)
    fake_build_account (self, b, author, -1);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "user");
  if (user != NULL)
    build_user (b, user);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "reactions");
  json_builder_begin_array (b);
  for (guint i = 0; i < message->reactions->len; i++)
    {
      FakeReaction *r = g_ptr_array_index (message->reactions, i);
      FakeAccount *account = fake_lookup_account (self, r->account_uuid);

      json_builder_begin_object (b);
      fake_add_string (b, "uuid", r->uuid);
      fake_add_string (b, "reaction", r->reaction);
      fake_add_string (b, "account_uuid", r->account_uuid);
      fake_add_string (b, "account_name", account != NULL ? account->name : NULL);
      add_time (self, b, "created_at", r->created_at);
      add_time (self, b, "updated_at", r->created_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

const char * const fake_include_names[] = {
  "participants", "participants_count", "latest_message", "messages_count",
  "files_count", "case", "tags", NULL
};

void
fake_build_conversation (PlannrFake       *self,
                         JsonBuilder      *b,
                         FakeConversation *conv,
                         const char       *acting,
                         guint             includes)
{
  json_builder_begin_object (b);
  fake_add_string (b, "uuid", conv->uuid);
  add_time (self, b, "created_at", conv->created_at);
  add_time (self, b, "updated_at", conv->updated_at);
  fake_add_string (b, "name", conv->name);
  fake_add_string (b, "slug", conv->slug);
  fake_add_bool (b, "belongs_to_case", conv->case_uuid != NULL);

  if (includes & INCLUDE_CASE)
    {
      json_builder_set_member_name (b, "case");
      if (conv->case_uuid != NULL)
        {
          g_autofree char *slug = fake_make_slug (conv->case_name);

          json_builder_begin_object (b);
          fake_add_string (b, "uuid", conv->case_uuid);
          fake_add_string (b, "name", conv->case_name);
          fake_add_string (b, "slug", slug);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
    }

  if (includes & INCLUDE_PARTICIPANTS_COUNT)
    fake_add_int (b, "participants_count", conv->participants->len);

  if (includes & INCLUDE_PARTICIPANTS)
    {
      json_builder_set_member_name (b, "participants");
      json_builder_begin_array (b);
      for (guint i = 0; i < conv->participants->len; i++)
        {
          FakeAccount *account = fake_lookup_account (self, g_ptr_array_index (conv->participants, i));

          if (account != NULL)
            fake_build_account (self, b, account,
                                fake_str_array_contains (conv->admins, account->uuid));
        }
      json_builder_end_array (b);
      fake_add_bool (b, "pinned", fake_str_array_contains (conv->pinned_by, acting));
      fake_add_bool (b, "is_admin", fake_str_array_contains (conv->admins, acting));
    }

  if (includes & INCLUDE_LATEST_MESSAGE)
    {
      FakeMessage *latest = fake_latest_message (conv);

      json_builder_set_member_name (b, "latest_message");
      if (latest != NULL)
        fake_build_message (self, b, latest);
      else
        json_builder_add_null_value (b);
    }

  if (includes & (INCLUDE_MESSAGES_COUNT | INCLUDE_FILES_COUNT))
    {
      guint messages = 0;
      guint files = 0;

      for (guint i = 0; i < conv->messages->len; i++)
        {
          FakeMessage *message = g_ptr_array_index (conv->messages, i);

          if (message->deleted_at != 0)
            continue;
          messages++;
          files += message->files->len;
        }
      if (includes & INCLUDE_MESSAGES_COUNT)
        fake_add_int (b, "messages_count", messages);
      if (includes & INCLUDE_FILES_COUNT)
        fake_add_int (b, "files_count", files);
    }

  if (includes & INCLUDE_TAGS)
    {
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint i = 0; i < conv->tags->len; i++)
        {
          FakeTag *tag = g_ptr_array_index (conv->tags, i);

          json_builder_begin_object (b);
          fake_add_string (b, "uuid", tag->uuid);
          fake_add_string (b, "name", tag->name);
          fake_add_string (b, "slug", tag->slug);
          fake_add_string (b, "colour", tag->colour);
          add_time (self, b, "created_at", conv->created_at);
          add_time (self, b, "updated_at", conv->created_at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  json_builder_end_object (b);
}

char *
fake_node_to_string (JsonNode *root,
                     gboolean  pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, pretty);
  return json_generator_to_data (gen, NULL);
}

char *
fake_builder_to_string (JsonBuilder *b,
                        gboolean     pretty)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  return fake_node_to_string (root, pretty);
}

/* --- response shapes ---------------------------------------------- */

const char * const fake_time_format_names[] = {
  [PLANNR_FAKE_TIME_OFFSET] = "offset",
  [PLANNR_FAKE_TIME_UTC_MICRO] = "utc-micro",
  [PLANNR_FAKE_TIME_UTC_BARE] = "utc-bare",
};

gboolean
fake_parse_time_format (const char           *name,
                        PlannrFakeTimeFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (fake_time_format_names); i++)
    if (g_strcmp0 (name, fake_time_format_names[i]) == 0)
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

void
plannr_fake_set_wrap_resources (PlannrFake *self,
                                gboolean    wrap)
{
  g_return_if_fail (self != NULL);
  self->shapes.wrap = wrap;
}

void
plannr_fake_set_clamp_per_page (PlannrFake *self,
                                guint       max)
{
  g_return_if_fail (self != NULL);
  self->shapes.clamp = max;
}

void
plannr_fake_set_empty_2xx (PlannrFake *self,
                           gboolean    empty)
{
  g_return_if_fail (self != NULL);
  self->shapes.empty_2xx = empty;
}

void
plannr_fake_set_time_format (PlannrFake           *self,
                             PlannrFakeTimeFormat  format)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (format <= PLANNR_FAKE_TIME_UTC_BARE);
  self->shapes.time = format;
}

void
plannr_fake_set_json_charset (PlannrFake *self,
                              gboolean    charset)
{
  g_return_if_fail (self != NULL);
  self->shapes.charset = charset;
}

gboolean
plannr_fake_set_shapes (PlannrFake  *self,
                        const char  *spec,
                        GError     **error)
{
  g_auto(GStrv) words = NULL;
  FakeShapes shapes;

  g_return_val_if_fail (self != NULL && spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* All or nothing: a spec with a typo changes nothing. */
  shapes = self->shapes;
  words = g_strsplit (spec, ",", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = g_strstrip (words[i]);
      guint64 n;

      if (*word == '\0')
        continue;
      if (strcmp (word, "laravel") == 0)
        {
          shapes.wrap = TRUE;
          shapes.clamp = 15;
          shapes.empty_2xx = TRUE;
          shapes.time = PLANNR_FAKE_TIME_UTC_MICRO;
          shapes.charset = TRUE;
        }
      else if (strcmp (word, "wrap") == 0)
        shapes.wrap = TRUE;
      else if (strcmp (word, "empty-2xx") == 0)
        shapes.empty_2xx = TRUE;
      else if (strcmp (word, "charset") == 0)
        shapes.charset = TRUE;
      else if (g_str_has_prefix (word, "clamp=")
               && g_ascii_string_to_unsigned (word + strlen ("clamp="), 10, 1, MAX_PER_PAGE, &n, NULL))
        shapes.clamp = n;
      else if (g_str_has_prefix (word, "time=")
               && fake_parse_time_format (word + strlen ("time="), &shapes.time))
        ;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "unknown shape \"%s\" (known: laravel, wrap, clamp=1..%d, empty-2xx, "
                       "time=offset|utc-micro|utc-bare, charset)", word, MAX_PER_PAGE);
          return FALSE;
        }
    }
  self->shapes = shapes;
  return TRUE;
}

char *
plannr_fake_get_shapes (PlannrFake *self)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->shapes.wrap)
    g_strv_builder_add (words, "wrap");
  if (self->shapes.clamp > 0)
    {
      g_autofree char *word = g_strdup_printf ("clamp=%u", self->shapes.clamp);

      g_strv_builder_add (words, word);
    }
  if (self->shapes.empty_2xx)
    g_strv_builder_add (words, "empty-2xx");
  if (self->shapes.time != PLANNR_FAKE_TIME_OFFSET)
    {
      g_autofree char *word = g_strconcat ("time=", fake_time_format_names[self->shapes.time], NULL);

      g_strv_builder_add (words, word);
    }
  if (self->shapes.charset)
    g_strv_builder_add (words, "charset");
  list = g_strv_builder_end (words);
  return g_strjoinv (",", list);
}

/* --- answering ---------------------------------------------------- */

void
fake_respond_text (SoupServerMessage *msg,
                   guint              status,
                   const char        *content_type,
                   char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

void
fake_respond_builder (SoupServerMessage *msg,
                      guint              status,
                      JsonBuilder       *b)
{
  fake_respond_text (msg, status, JSON_TYPE, fake_builder_to_string (b, FALSE));
}

void
fake_respond_error (SoupServerMessage *msg,
                    guint              status,
                    const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  fake_add_string (b, "message", message);
  json_builder_end_object (b);
  fake_respond_builder (msg, status, b);
}

void
fake_respond_ok (SoupServerMessage *msg)
{
  fake_respond_text (msg, SOUP_STATUS_OK, JSON_TYPE, g_strdup ("{\"ok\":true}"));
}

void
fake_respond_invalid (SoupServerMessage *msg,
                      const char        *field,
                      const char        *format,
                      ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (b);
  fake_add_string (b, "message", message);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, field);
  json_builder_begin_array (b);
  json_builder_add_string_value (b, message);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  fake_respond_builder (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, b);
}

void
fake_respond_not_found (SoupServerMessage *msg,
                        const char        *model,
                        const char        *uuid)
{
  g_autofree char *text = g_strdup_printf ("No query results for model [App\\Models\\%s] %s", model, uuid);

  fake_respond_error (msg, SOUP_STATUS_NOT_FOUND, text);
}

/* The switches that act on a finished answer rather than on how its
 * contents are built: empty-2xx (@api: only for answers of the API
 * itself, not injected faults or control routes) and charset. */
void
fake_shape_answer (PlannrFake        *self,
                   SoupServerMessage *msg,
                   gboolean           api)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  guint status = soup_server_message_get_status (msg);
  const char *type;

  if (api && self->shapes.empty_2xx && SOUP_STATUS_IS_SUCCESSFUL (status)
      && (strcmp (method, "POST") == 0 || strcmp (method, "PUT") == 0
          || strcmp (method, "DELETE") == 0))
    {
      /* NULL clears both the body and its Content-Type. */
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
      if (status == SOUP_STATUS_CREATED)
        soup_server_message_set_response (msg, "text/html; charset=UTF-8", SOUP_MEMORY_STATIC, "", 0);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  type = soup_message_headers_get_content_type (headers, NULL);
  if (type != NULL && g_ascii_strcasecmp (type, JSON_TYPE) == 0)
    soup_message_headers_replace (headers, "Content-Type",
                                  self->shapes.charset ? JSON_TYPE "; charset=utf-8" : JSON_TYPE);
}
