/* plannr-fake-store.c: the in-memory model, building it and reading it
 * back
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The store is plain structs in arrays (for order) and hash tables (for
 * lookup by uuid); everything else reads and changes it through the
 * helpers here and in plannr-fake-act.c.
 */

#include "plannr-fake-private.h"

/* --- freeing ------------------------------------------------------ */

void
fake_user_free (gpointer data)
{
  FakeUser *user = data;

  g_free (user->uuid);
  g_free (user->name);
  g_free (user->first_name);
  g_free (user->last_name);
  g_free (user->email);
  g_free (user->token);
  g_free (user->preferred_account);
  g_free (user);
}

void
fake_firm_free (gpointer data)
{
  FakeFirm *firm = data;

  g_free (firm->uuid);
  g_free (firm->name);
  g_free (firm);
}

void
fake_account_free (gpointer data)
{
  FakeAccount *account = data;

  g_free (account->uuid);
  g_free (account->user_uuid);
  g_free (account->firm_uuid);
  g_free (account->name);
  g_free (account->first_name);
  g_free (account->last_name);
  g_free (account->email);
  g_free (account->type);
  g_free (account->role);
  g_free (account);
}

static void
fake_tag_free (gpointer data)
{
  FakeTag *tag = data;

  g_free (tag->uuid);
  g_free (tag->name);
  g_free (tag->slug);
  g_free (tag->colour);
  g_free (tag);
}

void
fake_file_free (gpointer data)
{
  FakeFile *file = data;

  g_free (file->uuid);
  g_free (file->filename);
  g_free (file->type);
  g_free (file->download_url);
  g_clear_pointer (&file->data, g_bytes_unref);
  g_free (file);
}

void
fake_reaction_free (gpointer data)
{
  FakeReaction *reaction = data;

  g_free (reaction->uuid);
  g_free (reaction->reaction);
  g_free (reaction->account_uuid);
  g_free (reaction);
}

static void
fake_message_free (gpointer data)
{
  FakeMessage *message = data;

  g_free (message->uuid);
  g_free (message->author);
  g_free (message->contents);
  g_ptr_array_unref (message->files);
  g_ptr_array_unref (message->reactions);
  g_free (message);
}

void
fake_conversation_free (gpointer data)
{
  FakeConversation *conv = data;

  g_free (conv->uuid);
  g_free (conv->name);
  g_free (conv->slug);
  g_free (conv->case_uuid);
  g_free (conv->case_name);
  g_ptr_array_unref (conv->participants);
  g_ptr_array_unref (conv->admins);
  g_ptr_array_unref (conv->pinned_by);
  g_ptr_array_unref (conv->tags);
  g_ptr_array_unref (conv->messages);
  g_free (conv);
}

void
fake_fault_free (gpointer data)
{
  FakeFault *fault = data;

  g_free (fault->method);
  g_free (fault->pattern);
  g_free (fault);
}

void
fake_request_free (gpointer data)
{
  PlannrFakeRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_free (request->body);
  g_free (request);
}

void
fake_pending_free (gpointer data)
{
  FakePending *pending = data;

  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_source_unref (pending->source);
    }
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  g_object_unref (pending->msg);
  g_free (pending);
}

/* --- small helpers ------------------------------------------------ */

gboolean
fake_str_array_contains (GPtrArray  *array,
                         const char *value)
{
  return value != NULL
         && g_ptr_array_find_with_equal_func (array, value, g_str_equal, NULL);
}

void
fake_str_array_add_unique (GPtrArray  *array,
                           const char *value)
{
  if (!fake_str_array_contains (array, value))
    g_ptr_array_add (array, g_strdup (value));
}

gboolean
fake_str_array_remove (GPtrArray  *array,
                       const char *value)
{
  guint index;

  if (!g_ptr_array_find_with_equal_func (array, value, g_str_equal, &index))
    return FALSE;
  g_ptr_array_remove_index (array, index);
  return TRUE;
}

char *
fake_make_slug (const char *name)
{
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }

  return g_string_free (slug, FALSE);
}

/* "Ada Lovelace" -> "Ada", "Lovelace"; everything after the first space is
 * the last name, which keeps "Mary Ann" style first names wrong but
 * "van der Berg" style last names right, the likelier case in the UK. */
static void
split_name (const char  *name,
            char       **first,
            char       **last)
{
  const char *space = strchr (name, ' ');

  if (space == NULL)
    {
      *first = g_strdup (name);
      *last = g_strdup ("");
      return;
    }
  *first = g_strndup (name, space - name);
  *last = g_strdup (space + 1);
}

char *
fake_photo_url (const char *name)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_auto(GStrv) parts = g_strsplit (escaped, "%20", -1);
  g_autofree char *joined = g_strjoinv ("+", parts);

  return g_strdup_printf ("https://eu.ui-avatars.com/api/?name=%s", joined);
}

gint64
fake_now (PlannrFake *self)
{
  if (self->clock_set)
    return self->clock_next++;
  return g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
fake_parse_time (const char *text,
                 gint64     *out)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

FakeAccount *
fake_lookup_account (PlannrFake *self,
                     const char *uuid)
{
  return uuid != NULL ? g_hash_table_lookup (self->accounts_by_uuid, uuid) : NULL;
}

FakeConversation *
fake_lookup_conversation (PlannrFake *self,
                          const char *uuid)
{
  return uuid != NULL ? g_hash_table_lookup (self->conversations_by_uuid, uuid) : NULL;
}

FakeMessage *
fake_lookup_message (PlannrFake *self,
                     const char *conversation_uuid,
                     const char *message_uuid)
{
  FakeMessage *message;

  if (message_uuid == NULL)
    return NULL;
  message = g_hash_table_lookup (self->messages_by_uuid, message_uuid);
  if (message == NULL)
    return NULL;
  if (conversation_uuid != NULL
      && strcmp (message->conversation->uuid, conversation_uuid) != 0)
    return NULL;
  return message;
}

/* The latest message that is not deleted, by (created_at, insertion). */
FakeMessage *
fake_latest_message (FakeConversation *conv)
{
  FakeMessage *latest = NULL;

  for (guint i = 0; i < conv->messages->len; i++)
    {
      FakeMessage *message = g_ptr_array_index (conv->messages, i);

      if (message->deleted_at != 0)
        continue;
      if (latest == NULL
          || message->created_at > latest->created_at
          || (message->created_at == latest->created_at && message->seq > latest->seq))
        latest = message;
    }

  return latest;
}

void
fake_touch_conversation (PlannrFake       *self,
                         FakeConversation *conv,
                         gint64            when)
{
  conv->updated_at = when;
  conv->updated_seq = self->next_seq++;
}

/* --- building the store ------------------------------------------- */

void
plannr_fake_add_user (PlannrFake *self,
                      const char *uuid,
                      const char *name,
                      const char *email,
                      const char *token)
{
  FakeUser *user;

  g_return_if_fail (self != NULL);
  g_return_if_fail (uuid != NULL && name != NULL);
  g_return_if_fail (!g_hash_table_contains (self->users_by_uuid, uuid));
  g_return_if_fail (token == NULL || !g_hash_table_contains (self->users_by_token, token));

  user = g_new0 (FakeUser, 1);
  user->uuid = g_strdup (uuid);
  user->name = g_strdup (name);
  split_name (name, &user->first_name, &user->last_name);
  user->email = g_strdup (email);
  user->token = g_strdup (token);
  g_ptr_array_add (self->users, user);
  g_hash_table_insert (self->users_by_uuid, user->uuid, user);
  if (user->token != NULL)
    g_hash_table_insert (self->users_by_token, user->token, user);
}

void
plannr_fake_add_firm (PlannrFake *self,
                      const char *uuid,
                      const char *name)
{
  FakeFirm *firm;

  g_return_if_fail (self != NULL);
  g_return_if_fail (uuid != NULL && name != NULL);
  g_return_if_fail (!g_hash_table_contains (self->firms_by_uuid, uuid));

  firm = g_new0 (FakeFirm, 1);
  firm->uuid = g_strdup (uuid);
  firm->name = g_strdup (name);
  g_ptr_array_add (self->firms, firm);
  g_hash_table_insert (self->firms_by_uuid, firm->uuid, firm);
}

FakeAccount *
fake_add_account_full (PlannrFake *self,
                       const char *uuid,
                       const char *user_uuid,
                       const char *firm_uuid,
                       const char *name,
                       const char *type,
                       const char *role,
                       const char *email)
{
  FakeAccount *account = g_new0 (FakeAccount, 1);
  FakeUser *user = user_uuid != NULL ? g_hash_table_lookup (self->users_by_uuid, user_uuid) : NULL;

  account->uuid = g_strdup (uuid);
  account->user_uuid = g_strdup (user_uuid);
  account->firm_uuid = g_strdup (firm_uuid);
  account->name = g_strdup (name);
  split_name (name, &account->first_name, &account->last_name);
  account->type = g_strdup (type != NULL ? type : "employee");
  if (role != NULL)
    account->role = g_strdup (role);
  else if (g_strcmp0 (account->type, "employee") == 0)
    account->role = g_strdup ("adviser");
  else
    account->role = g_strdup (account->type);
  if (email != NULL)
    account->email = g_strdup (email);
  else if (user != NULL && user->email != NULL)
    account->email = g_strdup (user->email);
  else
    {
      g_autofree char *local = fake_make_slug (name);

      g_strdelimit (local, "-", '.');
      account->email = g_strdup_printf ("%s@example.com", local);
    }

  g_ptr_array_add (self->accounts, account);
  g_hash_table_insert (self->accounts_by_uuid, account->uuid, account);
  return account;
}

void
plannr_fake_add_account (PlannrFake *self,
                         const char *uuid,
                         const char *user_uuid,
                         const char *firm_uuid,
                         const char *name,
                         const char *type)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (uuid != NULL && name != NULL);
  g_return_if_fail (!g_hash_table_contains (self->accounts_by_uuid, uuid));
  g_return_if_fail (user_uuid == NULL || g_hash_table_contains (self->users_by_uuid, user_uuid));
  g_return_if_fail (firm_uuid == NULL || g_hash_table_contains (self->firms_by_uuid, firm_uuid));

  fake_add_account_full (self, uuid, user_uuid, firm_uuid, name, type, NULL, NULL);
}

void
plannr_fake_set_preferred_account (PlannrFake *self,
                                   const char *user_uuid,
                                   const char *account_uuid)
{
  FakeUser *user;

  g_return_if_fail (self != NULL && user_uuid != NULL);
  user = g_hash_table_lookup (self->users_by_uuid, user_uuid);
  g_return_if_fail (user != NULL);

  g_free (user->preferred_account);
  user->preferred_account = g_strdup (account_uuid);
}

FakeConversation *
fake_add_conversation_full (PlannrFake         *self,
                            const char         *uuid,
                            const char         *name,
                            const char * const *participants,
                            const char * const *admins,
                            gint64              created_at)
{
  FakeConversation *conv = g_new0 (FakeConversation, 1);

  conv->uuid = uuid != NULL ? g_strdup (uuid) : g_uuid_string_random ();
  conv->name = g_strdup (name);
  conv->slug = fake_make_slug (name);
  conv->participants = g_ptr_array_new_with_free_func (g_free);
  conv->admins = g_ptr_array_new_with_free_func (g_free);
  conv->pinned_by = g_ptr_array_new_with_free_func (g_free);
  conv->tags = g_ptr_array_new_with_free_func (fake_tag_free);
  conv->messages = g_ptr_array_new_with_free_func (fake_message_free);
  for (guint i = 0; participants != NULL && participants[i] != NULL; i++)
    fake_str_array_add_unique (conv->participants, participants[i]);
  /* An admin who is not a participant could never see the conversation. */
  for (guint i = 0; admins != NULL && admins[i] != NULL; i++)
    {
      fake_str_array_add_unique (conv->participants, admins[i]);
      fake_str_array_add_unique (conv->admins, admins[i]);
    }
  conv->created_at = created_at;
  conv->updated_at = created_at;
  conv->seq = self->next_seq++;
  conv->updated_seq = conv->seq;

  g_ptr_array_add (self->conversations, conv);
  g_hash_table_insert (self->conversations_by_uuid, conv->uuid, conv);
  return conv;
}

char *
plannr_fake_add_conversation (PlannrFake         *self,
                              const char         *uuid,
                              const char         *name,
                              const char * const *participants,
                              const char * const *admins)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL && name != NULL, NULL);
  g_return_val_if_fail (uuid == NULL || !g_hash_table_contains (self->conversations_by_uuid, uuid), NULL);

  conv = fake_add_conversation_full (self, uuid, name, participants, admins, fake_now (self));
  return g_strdup (conv->uuid);
}

void
plannr_fake_set_time (PlannrFake *self,
                      const char *iso8601)
{
  gint64 t;

  g_return_if_fail (self != NULL);
  g_return_if_fail (fake_parse_time (iso8601, &t));

  self->clock_set = TRUE;
  self->clock_next = t;
}

/* --- reading the store back --------------------------------------- */

const char *
plannr_fake_get_conversation_name (PlannrFake *self,
                                   const char *conversation_uuid)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, NULL);

  conv = fake_lookup_conversation (self, conversation_uuid);
  return conv != NULL ? conv->name : NULL;
}

char **
plannr_fake_get_participants (PlannrFake *self,
                              const char *conversation_uuid)
{
  FakeConversation *conv;
  GStrvBuilder *builder;

  g_return_val_if_fail (self != NULL, NULL);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < conv->participants->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (conv->participants, i));
  {
    char **result = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return result;
  }
}

char **
plannr_fake_list_conversations (PlannrFake *self)
{
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (self != NULL, NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->conversations->len; i++)
    g_strv_builder_add (builder, ((FakeConversation *) g_ptr_array_index (self->conversations, i))->uuid);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

guint
plannr_fake_count_messages (PlannrFake *self,
                            const char *conversation_uuid)
{
  return plannr_fake_count_messages_with (self, conversation_uuid, NULL);
}

const char *
plannr_fake_get_message_contents (PlannrFake *self,
                                  const char *message_uuid)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL, NULL);

  message = fake_lookup_message (self, NULL, message_uuid);
  return message != NULL ? message->contents : NULL;
}

/* @contents NULL counts every message that is not deleted. */
guint
plannr_fake_count_messages_with (PlannrFake *self,
                                 const char *conversation_uuid,
                                 const char *contents)
{
  FakeConversation *conv;
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL)
    return 0;
  for (guint i = 0; i < conv->messages->len; i++)
    {
      FakeMessage *message = g_ptr_array_index (conv->messages, i);

      if (message->deleted_at == 0
          && (contents == NULL || strcmp (message->contents, contents) == 0))
        n++;
    }
  return n;
}

gboolean
plannr_fake_is_message_edited (PlannrFake *self,
                               const char *message_uuid)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL, FALSE);

  message = fake_lookup_message (self, NULL, message_uuid);
  return message != NULL && message->edited;
}

const char *
plannr_fake_get_user_token (PlannrFake *self,
                            guint       index)
{
  FakeUser *user;

  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->users->len)
    return NULL;
  user = g_ptr_array_index (self->users, index);
  return user->token;
}
