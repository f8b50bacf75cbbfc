/* plannr-model.c: Plannr objects parsed from untrusted JSON
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-error.h"
#include "plannr-model.h"

gboolean
plannr_uuid_is_valid (const char *str)
{
  /* 8-4-4-4-12 hex digits.  Checked by hand rather than with
   * g_uuid_string_is_valid() so that any version (and upper case) that
   * a server may send is accepted, but nothing else. */
  static const int groups[] = { 8, 4, 4, 4, 12 };

  if (str == NULL)
    return FALSE;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      for (int i = 0; i < groups[g]; i++, str++)
        if (!g_ascii_isxdigit (*str))
          return FALSE;
      if (g + 1 < G_N_ELEMENTS (groups))
        {
          if (*str != '-')
            return FALSE;
          str++;
        }
    }

  return *str == '\0';
}

GDateTime *
plannr_parse_time (const char *str)
{
  if (str == NULL || *str == '\0')
    return NULL;

  /* Plannr always sends an offset; a bare time is read as UTC rather
   * than as this machine's local time. */
  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    return g_date_time_new_from_iso8601 (str, utc);
  }
}

/* Nesting depth of a JSON text, not counting brackets inside strings.
 *
 * This only protects json-glib's recursive parser if it reads the text
 * as json-glib does.  json-glib also accepts comments ("/" ... "/" and
 * slash-star ones) and single-quoted strings, where brackets or a '"'
 * would hide nesting from this count: a few closing brackets in a
 * comment made a 200000-deep array pass and overflow the stack
 * (tests/fuzz checks the depth of every tree this returns).  Strict
 * JSON has neither, so outside strings a '/' or a '\'' is refused, as
 * is a closing bracket without its opener. */
static gboolean
json_depth_ok (const char *data,
               gsize       length)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > PLANNR_MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        {
          if (--depth < 0)
            return FALSE;
        }
      else if (c == '/' || c == '\'')
        return FALSE;
    }

  return TRUE;
}

JsonNode *
plannr_json_parse (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *valid = NULL;
  g_autoptr(GError) local_error = NULL;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "empty response");
      return NULL;
    }

  if (!json_depth_ok (data, length))
    {
      g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                   "not strict JSON, or nested deeper than %d levels",
                   PLANNR_MAX_JSON_DEPTH);
      return NULL;
    }

  /* json-glib expects UTF-8; repair rather than refuse, since one bad
   * byte in one message must not hide a whole page. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      valid = g_utf8_make_valid (data, length);
      data = valid;
      length = strlen (valid);
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                   "response is not valid JSON: %s", local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "empty response");
      return NULL;
    }

  return json_node_copy (json_parser_get_root (parser));
}

/* --- member access that tolerates anything ------------------------- */

static JsonObject *
node_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonNode *
member (JsonObject *obj,
        const char *name)
{
  if (obj == NULL)
    return NULL;
  return json_object_get_member (obj, name);
}

/* A string member as valid, capped UTF-8; NULL when absent or not a
 * string.  Numbers are accepted too, as text. */
static char *
dup_string (JsonObject *obj,
            const char *name)
{
  JsonNode *node = member (obj, name);
  const char *str;
  gsize len;
  const char *end;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  str = json_node_get_string (node);
  len = strlen (str);
  if (len > PLANNR_MAX_STRING)
    len = PLANNR_MAX_STRING;
  if (!g_utf8_validate_len (str, len, &end))
    {
      /* Cut inside a character, or bad bytes: repair. */
      if ((gsize) (end - str) + 4 >= len && len == PLANNR_MAX_STRING)
        return g_strndup (str, end - str);
      return g_utf8_make_valid (str, len);
    }
  return g_strndup (str, len);
}

static gboolean
get_bool (JsonObject *obj,
          const char *name)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) != 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (node), "true") == 0;
  return FALSE;
}

static gint64
get_int (JsonObject *obj,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      guint64 v;

      if (g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64, &v, NULL))
        return (gint64) v;
    }
  return fallback;
}

static GDateTime *
get_time (JsonObject *obj,
          const char *name)
{
  g_autofree char *str = dup_string (obj, name);

  return plannr_parse_time (str);
}

static JsonArray *
get_array (JsonObject *obj,
           const char *name)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static char *
dup_uuid (JsonObject  *obj,
          const char  *what,
          GError     **error)
{
  g_autofree char *uuid = dup_string (obj, "uuid");

  if (!plannr_uuid_is_valid (uuid))
    {
      g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                   "%s without a valid uuid", what);
      return NULL;
    }
  return g_ascii_strdown (uuid, -1);
}

/* --- person ---------------------------------------------------------- */

void
plannr_person_free (PlannrPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->uuid);
  g_free (person->name);
  g_free (person->email);
  g_free (person->type);
  g_free (person->role);
  g_free (person);
}

PlannrPerson *
plannr_person_copy (const PlannrPerson *person)
{
  PlannrPerson *copy;

  if (person == NULL)
    return NULL;

  copy = g_new0 (PlannrPerson, 1);
  copy->uuid = g_strdup (person->uuid);
  copy->name = g_strdup (person->name);
  copy->email = g_strdup (person->email);
  copy->type = g_strdup (person->type);
  copy->role = g_strdup (person->role);
  return copy;
}

PlannrPerson *
plannr_person_new_from_json (JsonNode  *node,
                             GError   **error)
{
  JsonObject *obj = node_object (node);
  g_autoptr(PlannrPerson) person = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (obj == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "account is not an object");
      return NULL;
    }

  person = g_new0 (PlannrPerson, 1);
  person->uuid = dup_uuid (obj, "account", error);
  if (person->uuid == NULL)
    return NULL;

  person->name = dup_string (obj, "name");
  first = dup_string (obj, "first_name");
  last = dup_string (obj, "last_name");
  if (person->name == NULL || *g_strstrip (person->name) == '\0')
    {
      g_free (person->name);
      if (first != NULL || last != NULL)
        person->name = g_strstrip (g_strdup_printf ("%s %s",
                                                    first ? first : "",
                                                    last ? last : ""));
      else
        person->name = NULL;
    }
  person->email = dup_string (obj, "email");
  if ((person->name == NULL || *person->name == '\0') && person->email != NULL)
    {
      g_free (person->name);
      person->name = g_strdup (person->email);
    }
  if (person->name == NULL || *person->name == '\0')
    {
      g_free (person->name);
      /* Never show a raw uuid as a name. */
      person->name = g_strdup (_("Unknown"));
    }
  person->type = dup_string (obj, "type");
  person->role = dup_string (obj, "role");

  return g_steal_pointer (&person);
}

/* --- message --------------------------------------------------------- */

static void
plannr_file_free (PlannrFile *file)
{
  g_free (file->uuid);
  g_free (file->filename);
  g_free (file->mime_type);
  g_free (file->download_url);
  g_free (file);
}

static void
plannr_reaction_free (PlannrReaction *reaction)
{
  g_free (reaction->reaction);
  g_free (reaction->account_uuid);
  g_free (reaction->account_name);
  g_free (reaction);
}

void
plannr_message_free (PlannrMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->uuid);
  g_clear_pointer (&message->created_at, g_date_time_unref);
  g_clear_pointer (&message->updated_at, g_date_time_unref);
  g_clear_pointer (&message->deleted_at, g_date_time_unref);
  g_free (message->contents);
  plannr_person_free (message->author);
  g_clear_pointer (&message->files, g_ptr_array_unref);
  g_clear_pointer (&message->reactions, g_ptr_array_unref);
  g_free (message);
}

PlannrMessage *
plannr_message_copy (const PlannrMessage *message)
{
  PlannrMessage *copy;

  if (message == NULL)
    return NULL;

  copy = g_new0 (PlannrMessage, 1);
  copy->uuid = g_strdup (message->uuid);
  copy->created_at = g_date_time_ref (message->created_at);
  copy->updated_at = g_date_time_ref (message->updated_at);
  copy->deleted_at = message->deleted_at ? g_date_time_ref (message->deleted_at) : NULL;
  copy->contents = g_strdup (message->contents);
  copy->edited = message->edited;
  copy->author = plannr_person_copy (message->author);
  copy->files = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_file_free);
  for (guint i = 0; i < message->files->len; i++)
    {
      const PlannrFile *f = g_ptr_array_index (message->files, i);
      PlannrFile *c = g_new0 (PlannrFile, 1);

      c->uuid = g_strdup (f->uuid);
      c->filename = g_strdup (f->filename);
      c->mime_type = g_strdup (f->mime_type);
      c->size = f->size;
      c->download_url = g_strdup (f->download_url);
      g_ptr_array_add (copy->files, c);
    }
  copy->reactions = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_reaction_free);
  for (guint i = 0; i < message->reactions->len; i++)
    {
      const PlannrReaction *r = g_ptr_array_index (message->reactions, i);
      PlannrReaction *c = g_new0 (PlannrReaction, 1);

      c->reaction = g_strdup (r->reaction);
      c->account_uuid = g_strdup (r->account_uuid);
      c->account_name = g_strdup (r->account_name);
      g_ptr_array_add (copy->reactions, c);
    }
  return copy;
}

static void
parse_files (PlannrMessage *message,
             JsonArray     *files)
{
  guint n = files ? json_array_get_length (files) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = node_object (json_array_get_element (files, i));
      PlannrFile *file;
      gint64 size;

      if (obj == NULL)
        continue;

      file = g_new0 (PlannrFile, 1);
      file->uuid = dup_string (obj, "uuid");
      file->filename = dup_string (obj, "filename");
      if (file->filename == NULL)
        file->filename = dup_string (obj, "name");
      if (file->filename == NULL)
        file->filename = g_strdup ("file");
      file->mime_type = dup_string (obj, "type");
      size = get_int (obj, "size", 0);
      file->size = size > 0 ? (guint64) size : 0;
      file->download_url = dup_string (obj, "download_url");
      g_ptr_array_add (message->files, file);
    }
}

static void
parse_reactions (PlannrMessage *message,
                 JsonArray     *reactions)
{
  guint n = reactions ? json_array_get_length (reactions) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = node_object (json_array_get_element (reactions, i));
      PlannrReaction *reaction;
      g_autofree char *kind = dup_string (obj, "reaction");

      if (obj == NULL || kind == NULL || *kind == '\0')
        continue;

      reaction = g_new0 (PlannrReaction, 1);
      reaction->reaction = g_steal_pointer (&kind);
      reaction->account_uuid = dup_string (obj, "account_uuid");
      reaction->account_name = dup_string (obj, "account_name");
      g_ptr_array_add (message->reactions, reaction);
    }
}

PlannrMessage *
plannr_message_new_from_json (JsonNode  *node,
                              GError   **error)
{
  JsonObject *obj = node_object (node);
  g_autoptr(PlannrMessage) message = NULL;
  JsonNode *author;

  if (obj == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "message is not an object");
      return NULL;
    }

  message = g_new0 (PlannrMessage, 1);
  message->files = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_file_free);
  message->reactions = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_reaction_free);

  message->uuid = dup_uuid (obj, "message", error);
  if (message->uuid == NULL)
    return NULL;

  message->created_at = get_time (obj, "created_at");
  {
    /* A time far in the future (a skewed or hostile server) would hide
     * every later message from catch-up: no later than a day ahead. */
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) limit = g_date_time_add_days (now, 1);

    if (message->created_at == NULL || g_date_time_compare (message->created_at, limit) > 0)
      {
        g_clear_pointer (&message->created_at, g_date_time_unref);
        message->created_at = g_steal_pointer (&now);
      }
  }
  message->updated_at = get_time (obj, "updated_at");
  if (message->updated_at == NULL)
    message->updated_at = g_date_time_ref (message->created_at);
  message->deleted_at = get_time (obj, "deleted_at");
  message->contents = dup_string (obj, "contents");
  if (message->contents == NULL)
    message->contents = g_strdup ("");
  message->edited = get_bool (obj, "edited");

  author = member (obj, "author");
  if (author != NULL && JSON_NODE_HOLDS_OBJECT (author))
    message->author = plannr_person_new_from_json (author, NULL);

  parse_files (message, get_array (obj, "files"));
  parse_reactions (message, get_array (obj, "reactions"));

  return g_steal_pointer (&message);
}

/* --- conversation ---------------------------------------------------- */

void
plannr_conversation_free (PlannrConversation *conversation)
{
  if (conversation == NULL)
    return;
  g_free (conversation->uuid);
  g_free (conversation->name);
  g_clear_pointer (&conversation->created_at, g_date_time_unref);
  g_clear_pointer (&conversation->updated_at, g_date_time_unref);
  g_free (conversation->case_name);
  g_clear_pointer (&conversation->tags, g_ptr_array_unref);
  g_clear_pointer (&conversation->participants, g_ptr_array_unref);
  g_clear_pointer (&conversation->admins, g_ptr_array_unref);
  plannr_message_free (conversation->latest_message);
  g_free (conversation);
}

gboolean
plannr_conversation_is_admin (const PlannrConversation *conversation,
                              const char               *account_uuid)
{
  if (conversation->admins == NULL || account_uuid == NULL)
    return FALSE;
  for (guint i = 0; i < conversation->admins->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (conversation->admins, i), account_uuid) == 0)
      return TRUE;
  return FALSE;
}

PlannrConversation *
plannr_conversation_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  JsonObject *obj = node_object (node);
  g_autoptr(PlannrConversation) conv = NULL;
  JsonArray *array;
  JsonNode *latest;

  if (obj == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "conversation is not an object");
      return NULL;
    }

  conv = g_new0 (PlannrConversation, 1);
  conv->tags = g_ptr_array_new_with_free_func (g_free);
  conv->uuid = dup_uuid (obj, "conversation", error);
  if (conv->uuid == NULL)
    return NULL;

  conv->name = dup_string (obj, "name");
  if (conv->name == NULL)
    conv->name = g_strdup ("");
  conv->created_at = get_time (obj, "created_at");
  conv->updated_at = get_time (obj, "updated_at");
  conv->participants_count = (int) CLAMP (get_int (obj, "participants_count", -1), -1, G_MAXINT);
  conv->messages_count = (int) CLAMP (get_int (obj, "messages_count", -1), -1, G_MAXINT);
  conv->pinned = get_bool (obj, "pinned");
  conv->is_admin = get_bool (obj, "is_admin");

  {
    JsonObject *case_obj = node_object (member (obj, "case"));

    if (case_obj != NULL)
      conv->case_name = dup_string (case_obj, "name");
  }

  array = get_array (obj, "tags");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      char *tag = dup_string (node_object (json_array_get_element (array, i)), "name");

      if (tag != NULL)
        g_ptr_array_add (conv->tags, tag);
    }

  array = get_array (obj, "participants");
  if (array != NULL)
    {
      conv->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
      conv->admins = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          PlannrPerson *person = plannr_person_new_from_json (element, NULL);

          if (person == NULL)
            continue;
          /* [assumed] an admin participant carries is_admin: true. */
          if (get_bool (node_object (element), "is_admin"))
            g_ptr_array_add (conv->admins, g_strdup (person->uuid));
          g_ptr_array_add (conv->participants, person);
        }
      if (conv->participants_count < 0)
        conv->participants_count = (int) conv->participants->len;
    }

  latest = member (obj, "latest_message");
  if (latest != NULL && JSON_NODE_HOLDS_OBJECT (latest))
    conv->latest_message = plannr_message_new_from_json (latest, NULL);

  return g_steal_pointer (&conv);
}

/* --- identity -------------------------------------------------------- */

void
plannr_logins_free (PlannrLogins *logins)
{
  if (logins == NULL)
    return;
  g_clear_pointer (&logins->logins, g_ptr_array_unref);
  g_free (logins->preferred_account_uuid);
  g_free (logins);
}

static void
plannr_login_free (PlannrLogin *login)
{
  g_free (login->account_uuid);
  g_free (login->account_name);
  g_free (login->firm_name);
  g_free (login);
}

PlannrLogins *
plannr_logins_new_from_json (JsonNode  *node,
                             GError   **error)
{
  JsonObject *obj = node_object (node);
  g_autoptr(PlannrLogins) logins = NULL;
  JsonArray *data;

  data = get_array (obj, "data");
  if (data == NULL && node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    data = json_node_get_array (node);
  if (data == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "logins response without a data list");
      return NULL;
    }

  logins = g_new0 (PlannrLogins, 1);
  logins->logins = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_login_free);
  logins->preferred_account_uuid = dup_string (obj, "preferred_account_uuid");
  if (!plannr_uuid_is_valid (logins->preferred_account_uuid))
    g_clear_pointer (&logins->preferred_account_uuid, g_free);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *login = node_object (json_array_get_element (data, i));
      JsonObject *account = node_object (member (login, "account"));
      JsonObject *firm = node_object (member (login, "firm"));
      g_autofree char *uuid = dup_string (account, "uuid");
      PlannrLogin *entry;

      if (!plannr_uuid_is_valid (uuid))
        continue;

      entry = g_new0 (PlannrLogin, 1);
      entry->account_uuid = g_ascii_strdown (uuid, -1);
      entry->account_name = dup_string (account, "name");
      if (entry->account_name == NULL)
        entry->account_name = g_strdup (entry->account_uuid);
      entry->firm_name = dup_string (firm, "name");
      g_ptr_array_add (logins->logins, entry);
    }

  return g_steal_pointer (&logins);
}

void
plannr_user_free (PlannrUser *user)
{
  if (user == NULL)
    return;
  g_free (user->uuid);
  g_free (user->name);
  g_free (user->email);
  g_free (user->current_account_uuid);
  g_free (user);
}

PlannrUser *
plannr_user_new_from_json (JsonNode  *node,
                           GError   **error)
{
  JsonObject *obj = node_object (node);
  g_autoptr(PlannrUser) user = NULL;

  if (obj == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "user is not an object");
      return NULL;
    }

  user = g_new0 (PlannrUser, 1);
  user->uuid = dup_uuid (obj, "user", error);
  if (user->uuid == NULL)
    return NULL;
  user->name = dup_string (obj, "name");
  user->email = dup_string (obj, "email");
  if (user->name == NULL || *user->name == '\0')
    {
      g_autofree char *first = dup_string (obj, "first_name");
      g_autofree char *last = dup_string (obj, "last_name");

      g_free (user->name);
      user->name = g_strstrip (g_strdup_printf ("%s %s",
                                                first ? first : "",
                                                last ? last : ""));
    }
  {
    JsonObject *current = node_object (member (obj, "current_account"));
    g_autofree char *uuid = dup_string (current, "uuid");

    if (plannr_uuid_is_valid (uuid))
      user->current_account_uuid = g_ascii_strdown (uuid, -1);
  }
  return g_steal_pointer (&user);
}

/* --- pages ----------------------------------------------------------- */

void
plannr_page_free (PlannrPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

PlannrPage *
plannr_page_new_from_json (JsonNode         *node,
                           PlannrItemParser  parse_item,
                           GDestroyNotify    free_item,
                           GError          **error)
{
  JsonObject *obj = node_object (node);
  JsonObject *meta = node_object (member (obj, "meta"));
  JsonObject *links = node_object (member (obj, "links"));
  JsonArray *data = get_array (obj, "data");
  g_autoptr(PlannrPage) page = NULL;
  g_autofree char *next = NULL;

  if (data == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "list response without a data list");
      return NULL;
    }

  page = g_new0 (PlannrPage, 1);
  page->items = g_ptr_array_new_with_free_func (free_item);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      g_autoptr(GError) item_error = NULL;
      gpointer item = parse_item (json_array_get_element (data, i), &item_error);

      if (item == NULL)
        {
          g_debug ("skipping list item %u: %s", i, item_error->message);
          page->skipped++;
          continue;
        }
      g_ptr_array_add (page->items, item);
    }

  page->current_page = (guint) CLAMP (get_int (meta, "current_page", 0), 0, G_MAXINT);
  page->last_page = (guint) CLAMP (get_int (meta, "last_page", 0), 0, G_MAXINT);
  page->per_page = (guint) CLAMP (get_int (meta, "per_page", 0), 0, G_MAXINT);

  next = dup_string (links, "next");
  if (links != NULL && member (links, "next") != NULL)
    page->has_next = next != NULL && *next != '\0';
  else if (page->last_page > 0 && page->current_page > 0)
    page->has_next = page->current_page < page->last_page;
  else
    /* No links.next, no page numbers: a full page may have a successor.
     * Without meta.per_page this cannot be told here; the api, which
     * knows the page size it asked for, decides then. */
    page->has_next = page->per_page > 0 &&
                     json_array_get_length (data) >= page->per_page;

  return g_steal_pointer (&page);
}

JsonNode *
plannr_json_resource (JsonNode *node)
{
  JsonObject *obj = node_object (node);
  JsonNode *data = member (obj, "data");

  /* Wrapped: a "data" object and nothing that belongs to a resource
   * beside it (a bare resource has a uuid of its own; Laravel may add
   * "meta" or "links" next to "data"). */
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data) && member (obj, "uuid") == NULL)
    return data;
  return node;
}

char *
plannr_error_message_from_json (JsonNode *node)
{
  JsonObject *obj = node_object (node);
  char *message = dup_string (obj, "message");

  if (message != NULL && *g_strstrip (message) == '\0')
    g_clear_pointer (&message, g_free);
  if (message != NULL && g_utf8_strlen (message, -1) > 300)
    {
      /* Keep error text readable in a dialog. */
      char *cut = g_utf8_substring (message, 0, 300);

      g_free (message);
      message = cut;
    }
  return message;
}
