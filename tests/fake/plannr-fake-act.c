/* plannr-fake-act.c: acting as other participants (posting, editing,
 * renaming, reacting, deleting, membership) for tests, the control routes
 * and the colleague
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

FakeMessage *
fake_add_message_full (PlannrFake       *self,
                       FakeConversation *conv,
                       const char       *uuid,
                       const char       *author,
                       const char       *contents,
                       gint64            created_at)
{
  FakeMessage *message = g_new0 (FakeMessage, 1);

  message->uuid = uuid != NULL ? g_strdup (uuid) : g_uuid_string_random ();
  message->author = g_strdup (author);
  message->contents = g_strdup (contents);
  message->created_at = created_at;
  message->updated_at = created_at;
  message->seq = self->next_seq++;
  message->files = g_ptr_array_new_with_free_func (fake_file_free);
  message->reactions = g_ptr_array_new_with_free_func (fake_reaction_free);
  message->conversation = conv;

  g_ptr_array_add (conv->messages, message);
  g_hash_table_insert (self->messages_by_uuid, message->uuid, message);
  return message;
}

FakeMessage *
fake_post_message (PlannrFake       *self,
                   FakeConversation *conv,
                   const char       *author,
                   const char       *contents)
{
  gint64 now = fake_now (self);
  FakeMessage *message = fake_add_message_full (self, conv, NULL, author, contents, now);

  fake_touch_conversation (self, conv, now);
  return message;
}

char *
plannr_fake_post_message (PlannrFake *self,
                          const char *conversation_uuid,
                          const char *author_account_uuid,
                          const char *contents)
{
  FakeConversation *conv;
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && contents != NULL, NULL);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL || fake_lookup_account (self, author_account_uuid) == NULL)
    return NULL;
  message = fake_post_message (self, conv, author_account_uuid, contents);
  return g_strdup (message->uuid);
}

void
fake_edit_message (PlannrFake  *self,
                   FakeMessage *message,
                   const char  *contents)
{
  g_free (message->contents);
  message->contents = g_strdup (contents);
  message->edited = TRUE;
  /* Edits move the message's updated_at only, never the conversation's
   * latest activity (plannr-api.md, Lists and paging). */
  message->updated_at = fake_now (self);
}

gboolean
plannr_fake_edit_message (PlannrFake *self,
                          const char *conversation_uuid,
                          const char *message_uuid,
                          const char *contents)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && contents != NULL, FALSE);

  message = fake_lookup_message (self, conversation_uuid, message_uuid);
  if (message == NULL || message->deleted_at != 0)
    return FALSE;
  fake_edit_message (self, message, contents);
  return TRUE;
}

void
fake_rename_conversation (PlannrFake       *self,
                          FakeConversation *conv,
                          const char       *name)
{
  g_free (conv->name);
  conv->name = g_strdup (name);
  g_free (conv->slug);
  conv->slug = fake_make_slug (name);
  fake_touch_conversation (self, conv, fake_now (self));
}

gboolean
plannr_fake_rename_conversation (PlannrFake *self,
                                 const char *conversation_uuid,
                                 const char *name)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL && name != NULL, FALSE);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL)
    return FALSE;
  fake_rename_conversation (self, conv, name);
  return TRUE;
}

FakeReaction *
fake_add_reaction (PlannrFake  *self,
                   FakeMessage *message,
                   const char  *uuid,
                   const char  *account_uuid,
                   const char  *reaction,
                   gint64       created_at)
{
  FakeReaction *r;

  for (guint i = 0; i < message->reactions->len; i++)
    {
      r = g_ptr_array_index (message->reactions, i);
      if (strcmp (r->account_uuid, account_uuid) == 0 && strcmp (r->reaction, reaction) == 0)
        return r;
    }

  r = g_new0 (FakeReaction, 1);
  r->uuid = uuid != NULL ? g_strdup (uuid) : g_uuid_string_random ();
  r->reaction = g_strdup (reaction);
  r->account_uuid = g_strdup (account_uuid);
  r->created_at = created_at;
  g_ptr_array_add (message->reactions, r);
  return r;
}

gboolean
plannr_fake_react (PlannrFake *self,
                   const char *message_uuid,
                   const char *account_uuid,
                   const char *reaction)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && reaction != NULL, FALSE);

  message = fake_lookup_message (self, NULL, message_uuid);
  if (message == NULL || message->deleted_at != 0 || fake_lookup_account (self, account_uuid) == NULL)
    return FALSE;
  fake_add_reaction (self, message, NULL, account_uuid, reaction, fake_now (self));
  return TRUE;
}

gboolean
plannr_fake_delete_message (PlannrFake *self,
                            const char *conversation_uuid,
                            const char *message_uuid)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL, FALSE);

  message = fake_lookup_message (self, conversation_uuid, message_uuid);
  if (message == NULL || message->deleted_at != 0)
    return FALSE;
  /* A soft delete, as Laravel does it: deleted_at and updated_at move,
   * the contents stay and M1 keeps listing the message. */
  message->deleted_at = fake_now (self);
  message->updated_at = message->deleted_at;
  return TRUE;
}

gboolean
plannr_fake_remove_participant (PlannrFake *self,
                                const char *conversation_uuid,
                                const char *account_uuid)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL || account_uuid == NULL || !fake_str_array_remove (conv->participants, account_uuid))
    return FALSE;
  fake_str_array_remove (conv->admins, account_uuid);
  fake_str_array_remove (conv->pinned_by, account_uuid);
  return TRUE;
}

gboolean
plannr_fake_set_archived (PlannrFake *self,
                          const char *conversation_uuid,
                          gboolean    archived)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL)
    return FALSE;
  conv->archived = archived;
  return TRUE;
}

gboolean
plannr_fake_set_pinned (PlannrFake *self,
                        const char *conversation_uuid,
                        const char *account_uuid,
                        gboolean    pinned)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL || !fake_str_array_contains (conv->participants, account_uuid))
    return FALSE;
  if (pinned)
    fake_str_array_add_unique (conv->pinned_by, account_uuid);
  else
    fake_str_array_remove (conv->pinned_by, account_uuid);
  return TRUE;
}

gboolean
plannr_fake_add_participant (PlannrFake *self,
                             const char *conversation_uuid,
                             const char *account_uuid,
                             gboolean    admin)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL || fake_lookup_account (self, account_uuid) == NULL)
    return FALSE;
  fake_str_array_add_unique (conv->participants, account_uuid);
  if (admin)
    fake_str_array_add_unique (conv->admins, account_uuid);
  return TRUE;
}

gboolean
plannr_fake_set_admin (PlannrFake *self,
                       const char *conversation_uuid,
                       const char *account_uuid,
                       gboolean    admin)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = fake_lookup_conversation (self, conversation_uuid);
  if (conv == NULL || !fake_str_array_contains (conv->participants, account_uuid))
    return FALSE;
  if (admin)
    fake_str_array_add_unique (conv->admins, account_uuid);
  else
    fake_str_array_remove (conv->admins, account_uuid);
  return TRUE;
}

gboolean
plannr_fake_is_admin (PlannrFake *self,
                      const char *conversation_uuid,
                      const char *account_uuid)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = fake_lookup_conversation (self, conversation_uuid);
  return conv != NULL && fake_str_array_contains (conv->admins, account_uuid);
}
