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
  g_free (person->photo_url);
  g_free (person->firm_name);
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
  copy->photo_url = g_strdup (person->photo_url);
  copy->firm_name = g_strdup (person->firm_name);
  return copy;
}

PlannrPerson *
plannr_person_new_from_json (JsonNode  *node,
                             GError   **error)
{
  JsonObject *obj = plannr_json_object (node);
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
  person->uuid = plannr_json_dup_uuid (obj, "account", error);
  if (person->uuid == NULL)
    return NULL;

  person->name = plannr_json_dup_string (obj, "name");
  first = plannr_json_dup_string (obj, "first_name");
  last = plannr_json_dup_string (obj, "last_name");
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
  person->email = plannr_json_dup_string (obj, "email");
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
  person->type = plannr_json_dup_string (obj, "type");
  person->role = plannr_json_dup_string (obj, "role");
  person->photo_url = plannr_json_dup_string (obj, "photo_url");
  person->firm_name = plannr_json_dup_string (plannr_json_object (plannr_json_member (obj, "firm")),
                                              "name");

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
      JsonObject *obj = plannr_json_object (json_array_get_element (files, i));
      PlannrFile *file;
      gint64 size;

      if (obj == NULL)
        continue;

      file = g_new0 (PlannrFile, 1);
      file->uuid = plannr_json_dup_string (obj, "uuid");
      file->filename = plannr_json_dup_string (obj, "filename");
      if (file->filename == NULL)
        file->filename = plannr_json_dup_string (obj, "name");
      if (file->filename == NULL)
        file->filename = g_strdup ("file");
      file->mime_type = plannr_json_dup_string (obj, "type");
      size = plannr_json_get_int (obj, "size", 0);
      file->size = size > 0 ? (guint64) size : 0;
      file->download_url = plannr_json_dup_string (obj, "download_url");
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
      JsonObject *obj = plannr_json_object (json_array_get_element (reactions, i));
      PlannrReaction *reaction;
      g_autofree char *kind = plannr_json_dup_string (obj, "reaction");

      if (obj == NULL || kind == NULL || *kind == '\0')
        continue;

      reaction = g_new0 (PlannrReaction, 1);
      reaction->reaction = g_steal_pointer (&kind);
      reaction->account_uuid = plannr_json_dup_string (obj, "account_uuid");
      reaction->account_name = plannr_json_dup_string (obj, "account_name");
      g_ptr_array_add (message->reactions, reaction);
    }
}

PlannrMessage *
plannr_message_new_from_json (JsonNode  *node,
                              GError   **error)
{
  JsonObject *obj = plannr_json_object (node);
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

  message->uuid = plannr_json_dup_uuid (obj, "message", error);
  if (message->uuid == NULL)
    return NULL;

  message->created_at = plannr_json_get_time (obj, "created_at");
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
  message->updated_at = plannr_json_get_time (obj, "updated_at");
  if (message->updated_at == NULL)
    message->updated_at = g_date_time_ref (message->created_at);
  message->deleted_at = plannr_json_get_time (obj, "deleted_at");
  message->contents = plannr_json_dup_string (obj, "contents");
  if (message->contents == NULL)
    message->contents = g_strdup ("");
  message->edited = plannr_json_get_bool (obj, "edited");

  author = plannr_json_member (obj, "author");
  if (author != NULL && JSON_NODE_HOLDS_OBJECT (author))
    message->author = plannr_person_new_from_json (author, NULL);

  parse_files (message, plannr_json_get_array (obj, "files"));
  parse_reactions (message, plannr_json_get_array (obj, "reactions"));

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
  JsonObject *obj = plannr_json_object (node);
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
  conv->uuid = plannr_json_dup_uuid (obj, "conversation", error);
  if (conv->uuid == NULL)
    return NULL;

  conv->name = plannr_json_dup_string (obj, "name");
  if (conv->name == NULL)
    conv->name = g_strdup ("");
  conv->created_at = plannr_json_get_time (obj, "created_at");
  conv->updated_at = plannr_json_get_time (obj, "updated_at");
  conv->participants_count = (int) CLAMP (plannr_json_get_int (obj, "participants_count", -1), -1, G_MAXINT);
  conv->messages_count = (int) CLAMP (plannr_json_get_int (obj, "messages_count", -1), -1, G_MAXINT);
  conv->files_count = (int) CLAMP (plannr_json_get_int (obj, "files_count", -1), -1, G_MAXINT);
  conv->pinned = plannr_json_get_bool (obj, "pinned");
  conv->is_admin = plannr_json_get_bool (obj, "is_admin");

  {
    JsonObject *case_obj = plannr_json_object (plannr_json_member (obj, "case"));

    if (case_obj != NULL)
      conv->case_name = plannr_json_dup_string (case_obj, "name");
  }

  array = plannr_json_get_array (obj, "tags");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      char *tag = plannr_json_dup_string (plannr_json_object (json_array_get_element (array, i)), "name");

      if (tag != NULL)
        g_ptr_array_add (conv->tags, tag);
    }

  array = plannr_json_get_array (obj, "participants");
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
          if (plannr_json_get_bool (plannr_json_object (element), "is_admin"))
            g_ptr_array_add (conv->admins, g_strdup (person->uuid));
          g_ptr_array_add (conv->participants, person);
        }
      if (conv->participants_count < 0)
        conv->participants_count = (int) conv->participants->len;
    }

  latest = plannr_json_member (obj, "latest_message");
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
  JsonObject *obj = plannr_json_object (node);
  g_autoptr(PlannrLogins) logins = NULL;
  JsonArray *data;

  data = plannr_json_get_array (obj, "data");
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
  logins->preferred_account_uuid = plannr_json_dup_string (obj, "preferred_account_uuid");
  if (!plannr_uuid_is_valid (logins->preferred_account_uuid))
    g_clear_pointer (&logins->preferred_account_uuid, g_free);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *login = plannr_json_object (json_array_get_element (data, i));
      JsonObject *account = plannr_json_object (plannr_json_member (login, "account"));
      JsonObject *firm = plannr_json_object (plannr_json_member (login, "firm"));
      g_autofree char *uuid = plannr_json_dup_string (account, "uuid");
      PlannrLogin *entry;

      if (!plannr_uuid_is_valid (uuid))
        continue;

      entry = g_new0 (PlannrLogin, 1);
      entry->account_uuid = g_ascii_strdown (uuid, -1);
      entry->account_name = plannr_json_dup_string (account, "name");
      if (entry->account_name == NULL)
        entry->account_name = g_strdup (entry->account_uuid);
      entry->firm_name = plannr_json_dup_string (firm, "name");
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
  JsonObject *obj = plannr_json_object (node);
  g_autoptr(PlannrUser) user = NULL;

  if (obj == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "user is not an object");
      return NULL;
    }

  user = g_new0 (PlannrUser, 1);
  user->uuid = plannr_json_dup_uuid (obj, "user", error);
  if (user->uuid == NULL)
    return NULL;
  user->name = plannr_json_dup_string (obj, "name");
  user->email = plannr_json_dup_string (obj, "email");
  if (user->name == NULL || *user->name == '\0')
    {
      g_autofree char *first = plannr_json_dup_string (obj, "first_name");
      g_autofree char *last = plannr_json_dup_string (obj, "last_name");

      g_free (user->name);
      user->name = g_strstrip (g_strdup_printf ("%s %s",
                                                first ? first : "",
                                                last ? last : ""));
    }
  {
    JsonObject *current = plannr_json_object (plannr_json_member (obj, "current_account"));
    g_autofree char *uuid = plannr_json_dup_string (current, "uuid");

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
  JsonObject *obj = plannr_json_object (node);
  JsonObject *meta = plannr_json_object (plannr_json_member (obj, "meta"));
  JsonObject *links = plannr_json_object (plannr_json_member (obj, "links"));
  JsonArray *data = plannr_json_get_array (obj, "data");
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

      /* Counted, not logged: pages may be parsed in a worker thread,
       * where nothing may reach libpurple's debug log. */
      if (item == NULL)
        {
          page->skipped++;
          continue;
        }
      g_ptr_array_add (page->items, item);
    }

  page->current_page = (guint) CLAMP (plannr_json_get_int (meta, "current_page", 0), 0, G_MAXINT);
  page->last_page = (guint) CLAMP (plannr_json_get_int (meta, "last_page", 0), 0, G_MAXINT);
  page->per_page = (guint) CLAMP (plannr_json_get_int (meta, "per_page", 0), 0, G_MAXINT);

  next = plannr_json_dup_string (links, "next");
  if (links != NULL && plannr_json_member (links, "next") != NULL)
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
