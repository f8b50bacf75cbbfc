/* plannr-edit.c: renaming conversations and editing messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-chats.h"
#include "plannr-edit.h"
#include "plannr-text.h"

/* --- rename ------------------------------------------------------------------ */

typedef struct
{
  PlannrConv *conv;
  char       *name;
} Rename;

static void send_rename (PlannrConv *conv, char *name);

static void
rename_free (Rename *rename)
{
  g_free (rename->name);
  g_free (rename);
}

static void
rename_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Rename *rename = user_data;
  PlannrConv *conv = rename->conv;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) data = NULL;
  g_autofree char *next = NULL;

  data = plannr_api_rename_conversation_finish (PLANNR_API (source), result, &error);
  if (data == NULL && plannr_is_cancelled (error))
    {
      rename_free (rename);
      return;
    }
  conv->renaming--;

  if (data != NULL || g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    {
      /* The server's name is the truth (it may have trimmed it); an
       * answer without one means the name asked for stands. */
      const char *name = data != NULL && *data->name != '\0' ? data->name : rename->name;
      g_autofree char *line = g_strdup_printf (_("You renamed the conversation to %s"), name);

      conv->name_landed = g_get_monotonic_time ();
      if (data != NULL && data->updated_at != NULL)
        {
          g_clear_pointer (&conv->updated_at, g_date_time_unref);
          conv->updated_at = g_date_time_ref (data->updated_at);
        }
      plannr_conv_apply_name (conv, name, line);
    }
  else
    {
      g_autofree char *reason = plannr_connection_describe_error (error);
      g_autofree char *line = g_strdup_printf (_("The conversation could not be renamed to “%s”: %s"),
                                               rename->name, reason);

      /* Put the old name back wherever the new one was typed. */
      plannr_conv_apply_name (conv, conv->name, NULL);
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
        plannr_connection_fail (conv->conn, error);
    }
  rename_free (rename);

  /* Renamed again meanwhile: the name asked for last is the one the
   * server ends up with, even when it is the name from before. */
  next = g_steal_pointer (&conv->rename_next);
  if (next == NULL)
    return;
  if (g_strcmp0 (next, conv->name) == 0)
    plannr_conv_apply_name (conv, conv->name, NULL);
  else
    send_rename (conv, g_steal_pointer (&next));
}

static void
send_rename (PlannrConv *conv,
             char       *name)
{
  Rename *rename = g_new0 (Rename, 1);

  rename->conv = conv;
  rename->name = name;
  conv->renaming++;
  plannr_api_rename_conversation_async (conv->conn->api, conv->uuid, rename->name,
                                        rename_cb, rename);
}

void
plannr_rename (PlannrConv *conv,
               const char *name)
{
  g_autofree char *trimmed = plannr_text_trim (name);

  if (trimmed == NULL)
    {
      plannr_conv_apply_name (conv, conv->name, NULL);
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR,
                          _("A conversation needs a name; the name was not changed."));
      return;
    }

  if (g_utf8_strlen (trimmed, -1) > PLANNR_MAX_NAME_CHARS)
    {
      g_autofree char *line = g_strdup_printf (_("A conversation name can have at most %d characters; "
                                                 "the name was not changed: %s"),
                                               PLANNR_MAX_NAME_CHARS, trimmed);

      plannr_conv_apply_name (conv, conv->name, NULL);
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
      return;
    }

  /* One rename at a time: a second one waits for the first (and its
   * retries), so that an older name never lands after a newer one. */
  if (conv->renaming > 0)
    {
      g_free (conv->rename_next);
      conv->rename_next = g_steal_pointer (&trimmed);
      return;
    }

  if (g_strcmp0 (trimmed, conv->name) == 0)
    {
      /* Nothing to send; undo stray whitespace the user typed. */
      plannr_conv_apply_name (conv, conv->name, NULL);
      return;
    }

  send_rename (conv, g_steal_pointer (&trimmed));
}

static void
rename_dialog_ok_cb (gpointer    user_data,
                     const char *name)
{
  plannr_rename (user_data, name);
}

void
plannr_rename_dialog (PlannrConv *conv)
{
  g_autofree char *primary = g_strdup_printf (_("Rename “%s”"), conv->name);

  purple_request_input (conv->conn->pc, _("Rename conversation"), primary,
                        _("The new name is seen by every participant."),
                        conv->name, FALSE, FALSE, NULL,
                        _("_Rename"), G_CALLBACK (rename_dialog_ok_cb),
                        _("_Cancel"), NULL,
                        conv->conn->account, NULL, plannr_conv_get_purple (conv),
                        conv);
}

/* --- edit ----------------------------------------------------------------- */

typedef enum
{
  EDIT_LATEST,       /* /edit TEXT */
  EDIT_AT_TIME,      /* /edit HH:MM TEXT */
  EDIT_SUBSTITUTE,   /* s/old/new/ */
  EDIT_UUID,         /* the dialog */
} EditKind;

typedef struct
{
  PlannrConv *conv;
  EditKind    kind;
  char       *text;       /* the new text; for s///, the new part */
  char       *old_text;   /* s/// */
  gboolean    global;     /* s///g */
  int         hour, minute, second;
  char       *uuid;       /* EDIT_UUID, and the target once found */
  char       *expected;   /* EDIT_UUID: the text the dialog showed */
  char       *when;       /* "14:02" of the target */
  gboolean    loaded;     /* older messages were fetched for it */
  gboolean    fresh;      /* the target's text was just read (M4) */
  gboolean    queued;     /* holds its conversation's write turn */
} Edit;

static void
edit_free (Edit *edit)
{
  g_free (edit->text);
  g_free (edit->old_text);
  g_free (edit->uuid);
  g_free (edit->expected);
  g_free (edit->when);
  g_free (edit);
}

/* Ends an edit, whatever became of it, and lets the next one go. */
static void
edit_done (Edit *edit)
{
  PlannrConv *conv = edit->conv;
  gboolean queued = edit->queued;

  edit_free (edit);
  if (queued)
    plannr_conv_write_done (conv);
}

static void edit_run (Edit *edit);

static void
edit_failed (Edit       *edit,
             const char *reason)
{
  g_autofree char *line = NULL;

  if (edit->kind == EDIT_SUBSTITUTE)
    line = g_strdup_printf (_("Nothing was edited (%s): s/%s/%s/%s"), reason,
                            edit->old_text, edit->text, edit->global ? "g" : "");
  else
    line = g_strdup_printf (_("Nothing was edited (%s): %s"), reason, edit->text);
  plannr_conv_notice (edit->conv, PURPLE_MESSAGE_ERROR, line);
}

/* The recent messages read for an edit (by /edit, s///, the dialog). */
static void
remember_loaded (PlannrConv *conv,
                 PlannrPage *page)
{
  for (guint i = 0; i < page->items->len; i++)
    plannr_message_log_add_loaded (conv->log, g_ptr_array_index (page->items, i));
  conv->history_loaded = TRUE;
}

static void
load_recent (PlannrConv          *conv,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  plannr_api_collect_messages_async (conv->conn->api, PLANNR_PRIORITY_USER, conv->uuid,
                                     PLANNR_EDIT_LOAD_PAGE, PLANNR_EDIT_LOAD_PAGE,
                                     PLANNR_CATCHUP_MAX_PAGES, NULL, NULL, callback, user_data);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Edit *edit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;

  page = plannr_api_collect_messages_finish (PLANNR_API (source), result, &error);
  if (page == NULL && plannr_is_cancelled (error))
    {
      edit_free (edit);
      return;
    }
  if (page == NULL)
    {
      g_autofree char *reason = plannr_connection_describe_error (error);

      edit_failed (edit, reason);
      edit_done (edit);
      return;
    }

  remember_loaded (edit->conv, page);
  edit->loaded = TRUE;
  edit_run (edit);
}

/* The log may not hold the message yet: read the recent ones once. */
static gboolean
load_more (Edit *edit)
{
  if (edit->loaded || edit->conv->history_loaded)
    return FALSE;
  edit->loaded = TRUE;
  load_recent (edit->conv, load_cb, edit);
  return TRUE;
}

static void
edit_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Edit *edit = user_data;
  PlannrConv *conv = edit->conv;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;

  message = plannr_api_edit_message_finish (PLANNR_API (source), result, &error);
  if (message == NULL && plannr_is_cancelled (error))
    {
      edit_free (edit);
      return;
    }

  if (message != NULL || g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    {
      /* Without an answer to read, the text asked for stands. */
      const char *contents = message != NULL ? message->contents : edit->text;
      g_autofree char *line = g_strdup_printf (_("You edited your message from %s: %s"),
                                               edit->when, contents);

      /* Remembered, so the next poll does not announce it again. */
      plannr_message_log_write_finished (conv->log, edit->uuid, contents,
                                         message != NULL ? message->updated_at : NULL,
                                         g_get_monotonic_time ());
      plannr_conv_notice (conv, 0, line);
    }
  else
    {
      g_autofree char *reason = plannr_connection_describe_error (error);
      g_autofree char *line = g_strdup_printf (_("Your message from %s was not edited (%s): %s"),
                                               edit->when, reason, edit->text);

      plannr_message_log_write_finished (conv->log, edit->uuid, NULL, NULL, 0);
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
        plannr_connection_fail (conv->conn, error);
    }
  edit_done (edit);
}

static gboolean
time_matches (Edit               *edit,
              PlannrKnownMessage *known)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (known->created_at);

  if (local == NULL)
    return FALSE;
  return g_date_time_get_hour (local) == edit->hour &&
         g_date_time_get_minute (local) == edit->minute &&
         (edit->second < 0 || g_date_time_get_second (local) == edit->second);
}

/* Finds the message to edit, or NULL. */
static PlannrKnownMessage *
edit_target (Edit *edit)
{
  PlannrConv *conv = edit->conv;
  g_autoptr(GPtrArray) mine = plannr_message_log_by_author (conv->log, conv->conn->account_uuid, 0);
  PlannrKnownMessage *target = NULL;
  guint matches = 0;

  /* Once chosen (and read again), the target stays the same. */
  if (edit->fresh || edit->kind == EDIT_UUID)
    {
      target = plannr_message_log_lookup (conv->log, edit->uuid);
      if (target != NULL && (target->deleted ||
                             !plannr_conv_is_mine (conv, target->author_uuid)))
        target = NULL;
      return target;
    }

  switch (edit->kind)
    {
    case EDIT_LATEST:
      target = mine->len > 0 ? g_ptr_array_index (mine, 0) : NULL;
      break;

    case EDIT_AT_TIME:
      for (guint i = 0; i < mine->len; i++)
        if (time_matches (edit, g_ptr_array_index (mine, i)))
          {
            if (target == NULL)
              target = g_ptr_array_index (mine, i);
            matches++;
          }
      if (matches > 1)
        {
          g_autofree char *when = plannr_format_time (target->created_at);
          g_autofree char *line = g_strdup_printf (_("%u of your messages are from %s; editing the newest of them."),
                                                   matches, when);

          plannr_conv_notice (conv, 0, line);
        }
      break;

    case EDIT_SUBSTITUTE:
      for (guint i = 0; i < mine->len && target == NULL; i++)
        {
          PlannrKnownMessage *known = g_ptr_array_index (mine, i);

          if (strstr (known->contents, edit->old_text) != NULL)
            target = known;
        }
      break;

    case EDIT_UUID:
    default:
      g_assert_not_reached ();
    }

  return target;
}

static void
fresh_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Edit *edit = user_data;
  PlannrConv *conv = edit->conv;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;

  message = plannr_api_get_message_finish (PLANNR_API (source), result, &error);
  if (message == NULL && plannr_is_cancelled (error))
    {
      edit_free (edit);
      return;
    }
  if (message == NULL || message->deleted_at != NULL)
    {
      g_autofree char *reason = message != NULL || g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND)
                                ? g_strdup (_("the message was deleted"))
                                : plannr_connection_describe_error (error);

      edit_failed (edit, reason);
      edit_done (edit);
      return;
    }

  /* What the server holds now: an edit made elsewhere since the poll
   * last looked is kept, not undone. */
  plannr_message_log_refresh (conv->log, message);
  edit->fresh = TRUE;
  edit_run (edit);
}

static void
edit_run (Edit *edit)
{
  PlannrConv *conv = edit->conv;
  PlannrKnownMessage *target;
  g_autofree char *contents = NULL;
  g_autofree char *trimmed = NULL;

  target = edit_target (edit);
  if (target == NULL)
    {
      if (!edit->fresh && edit->kind != EDIT_UUID && load_more (edit))
        return;

      switch (edit->kind)
        {
        case EDIT_SUBSTITUTE:
          {
            g_autofree char *reason = g_strdup_printf (_("none of your recent messages contains “%s”"),
                                                       edit->old_text);

            edit_failed (edit, reason);
          }
          break;
        case EDIT_AT_TIME:
          {
            g_autofree char *reason = edit->second >= 0
              ? g_strdup_printf (_("none of your messages is from %02d:%02d:%02d"),
                                 edit->hour, edit->minute, edit->second)
              : g_strdup_printf (_("none of your messages is from %02d:%02d"),
                                 edit->hour, edit->minute);

            edit_failed (edit, reason);
          }
          break;
        case EDIT_UUID:
          edit_failed (edit, _("the message was deleted"));
          break;
        default:
          edit_failed (edit, _("you have no message in this conversation to edit"));
          break;
        }
      edit_done (edit);
      return;
    }

  g_free (edit->uuid);
  edit->uuid = g_strdup (target->uuid);
  g_free (edit->when);
  edit->when = plannr_format_time (target->created_at);

  /* New text made from the old (s///), or typed over the old one in the
   * dialog: read what the server holds first, so that an edit made
   * elsewhere meanwhile is neither undone nor built on stale text. */
  if (!edit->fresh && (edit->kind == EDIT_SUBSTITUTE || edit->kind == EDIT_UUID))
    {
      plannr_api_get_message_async (conv->conn->api, PLANNR_PRIORITY_USER, conv->uuid,
                                    edit->uuid, fresh_cb, edit);
      return;
    }

  if (edit->kind == EDIT_SUBSTITUTE)
    {
      contents = plannr_text_substitute (target->contents, edit->old_text, edit->text, edit->global);
      if (contents == NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("your message from %s no longer contains “%s”"),
                                                     edit->when, edit->old_text);

          edit_failed (edit, reason);
          edit_done (edit);
          return;
        }
    }
  else
    contents = g_strdup (edit->text);

  if (edit->kind == EDIT_UUID && g_strcmp0 (target->contents, edit->expected) != 0)
    {
      g_autofree char *reason = g_strdup_printf (_("your message from %s was changed elsewhere while "
                                                   "you edited it; it now reads: %s"),
                                                 edit->when, target->contents);

      edit_failed (edit, reason);
      edit_done (edit);
      return;
    }

  trimmed = plannr_text_trim (contents);
  if (trimmed == NULL)
    {
      edit_failed (edit, _("a message cannot be made empty"));
      edit_done (edit);
      return;
    }
  if (g_utf8_strlen (contents, -1) > PLANNR_MAX_MESSAGE_CHARS)
    {
      g_autofree char *reason = g_strdup_printf (_("longer than %d characters"), PLANNR_MAX_MESSAGE_CHARS);

      edit_failed (edit, reason);
      edit_done (edit);
      return;
    }
  if (g_strcmp0 (trimmed, target->contents) == 0)
    {
      plannr_conv_notice (conv, 0, _("The message already reads like that; nothing was sent."));
      edit_done (edit);
      return;
    }

  g_free (edit->text);
  edit->text = g_steal_pointer (&trimmed);
  plannr_message_log_write_started (conv->log, edit->uuid);
  plannr_api_edit_message_async (conv->conn->api, conv->uuid, edit->uuid, edit->text,
                                 edit_cb, edit);
}

static void
edit_turn_cb (gpointer data)
{
  Edit *edit = data;

  edit->queued = TRUE;
  edit_run (edit);
}

/* Every edit waits its turn (plannr_conv_queue_write). */
static void
edit_start (Edit *edit)
{
  plannr_conv_queue_write (edit->conv, edit_turn_cb, edit, (GDestroyNotify) edit_free);
}

static Edit *
edit_new (PlannrConv *conv,
          EditKind    kind)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->conv = conv;
  edit->kind = kind;
  edit->second = -1;
  if (conv->log == NULL)
    conv->log = plannr_message_log_new ();
  return edit;
}

void
plannr_edit_command (PlannrConv *conv,
                     const char *args)
{
  g_autofree char *trimmed = plannr_text_trim (args);
  const char *rest;
  int hour, minute, second;
  Edit *edit;

  if (trimmed == NULL)
    {
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR,
                          _("Usage: /edit NEW TEXT, or /edit HH:MM NEW TEXT"));
      return;
    }

  if (plannr_text_parse_edit_time (trimmed, &hour, &minute, &second, &rest))
    {
      edit = edit_new (conv, EDIT_AT_TIME);
      edit->hour = hour;
      edit->minute = minute;
      edit->second = second;
      edit->text = g_strdup (rest);
    }
  else
    {
      edit = edit_new (conv, EDIT_LATEST);
      edit->text = g_steal_pointer (&trimmed);
    }
  edit_start (edit);
}

gboolean
plannr_edit_try_substitution (PlannrConv *conv,
                              const char *text)
{
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  gboolean global;
  Edit *edit;

  if (!plannr_text_parse_substitution (text, &old_text, &new_text, &global))
    return FALSE;

  edit = edit_new (conv, EDIT_SUBSTITUTE);
  edit->old_text = g_steal_pointer (&old_text);
  edit->text = g_steal_pointer (&new_text);
  edit->global = global;
  edit_start (edit);
  return TRUE;
}

/* --- the edit dialog --------------------------------------------------------- */

/* An open edit dialog's state.  Kept on the connection, so that closing
 * the account with the dialog open (libpurple then calls neither
 * callback) frees it. */
typedef struct
{
  PlannrConv *conv;
  GPtrArray  *uuids;   /* the messages offered, in the order shown */
  Edit       *edit;    /* the second step */
} EditDialog;

static void
edit_dialog_free (EditDialog *dialog)
{
  g_clear_pointer (&dialog->uuids, g_ptr_array_unref);
  g_clear_pointer (&dialog->edit, edit_free);
  g_free (dialog);
}

static EditDialog *
edit_dialog_new (PlannrConv *conv)
{
  PlannrConnection *conn = conv->conn;
  EditDialog *dialog = g_new0 (EditDialog, 1);

  dialog->conv = conv;
  if (conn->edit_dialogs == NULL)
    conn->edit_dialogs = g_ptr_array_new_with_free_func ((GDestroyNotify) edit_dialog_free);
  g_ptr_array_add (conn->edit_dialogs, dialog);
  return dialog;
}

static void
edit_dialog_done (EditDialog *dialog)
{
  g_ptr_array_remove (dialog->conv->conn->edit_dialogs, dialog);
}

static gboolean
edit_dialog_is_open (PlannrConnection *conn,
                     EditDialog       *dialog)
{
  return conn->edit_dialogs != NULL &&
         g_ptr_array_find (conn->edit_dialogs, dialog, NULL);
}

static void
dialog_text_ok_cb (gpointer            user_data,
                   PurpleRequestFields *fields)
{
  EditDialog *dialog = user_data;
  Edit *edit = g_steal_pointer (&dialog->edit);
  const char *text = purple_request_fields_get_string (fields, "text");

  edit_dialog_done (dialog);
  /* A string field is a plain text box in Pidgin (GtkTextView) and in
   * Finch: its value is the text as typed, not markup. */
  g_free (edit->text);
  edit->text = g_strdup (text != NULL ? text : "");
  edit_start (edit);
}

static void
dialog_cancel_cb (gpointer            user_data,
                  PurpleRequestFields *fields)
{
  edit_dialog_done (user_data);
}

/* The second step, with the text as the server holds it now. */
static void
show_text_dialog (EditDialog          *dialog,
                  const PlannrMessage *message)
{
  PlannrConv *conv = dialog->conv;
  PurpleRequestFields *text_fields;
  PurpleRequestFieldGroup *group;
  PurpleRequestField *field;
  g_autofree char *when = plannr_format_time (message->created_at);
  g_autofree char *primary = g_strdup_printf (_("Edit your message from %s"), when);

  dialog->edit = edit_new (conv, EDIT_UUID);
  dialog->edit->uuid = g_strdup (message->uuid);
  dialog->edit->expected = g_strdup (message->contents);

  text_fields = purple_request_fields_new ();
  group = purple_request_field_group_new (NULL);
  field = purple_request_field_string_new ("text", _("New text"), message->contents, TRUE);
  purple_request_field_set_required (field, TRUE);
  purple_request_field_group_add_field (group, field);
  purple_request_fields_add_group (text_fields, group);

  purple_request_fields (conv->conn->pc, _("Edit a message"), primary, NULL, text_fields,
                         _("_Save"), G_CALLBACK (dialog_text_ok_cb),
                         _("_Cancel"), G_CALLBACK (dialog_cancel_cb),
                         conv->conn->account, NULL, plannr_conv_get_purple (conv), dialog);
}

typedef struct
{
  PlannrConnection *conn;
  EditDialog       *dialog;
} DialogRead;

static void
dialog_fresh_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DialogRead *read = user_data;
  EditDialog *dialog = read->dialog;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;

  message = plannr_api_get_message_finish (PLANNR_API (source), result, &error);
  if ((message == NULL && plannr_is_cancelled (error)) ||
      !edit_dialog_is_open (read->conn, dialog))
    {
      g_free (read);
      return;
    }
  g_free (read);

  if (message == NULL || message->deleted_at != NULL)
    {
      g_autofree char *reason = message != NULL || g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND)
                                ? g_strdup (_("it was deleted"))
                                : plannr_connection_describe_error (error);
      g_autofree char *line = g_strdup_printf (_("That message cannot be edited: %s"), reason);
      PlannrConv *conv = dialog->conv;

      edit_dialog_done (dialog);
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
      return;
    }

  plannr_message_log_refresh (dialog->conv->log, message);
  show_text_dialog (dialog, message);
}

static void
dialog_choice_ok_cb (gpointer            user_data,
                     PurpleRequestFields *fields)
{
  EditDialog *dialog = user_data;
  PlannrConv *conv = dialog->conv;
  int choice = purple_request_fields_get_choice (fields, "message");
  PlannrKnownMessage *known = NULL;
  DialogRead *read;

  /* By the uuid offered, not by position: the log may have changed
   * while the dialog was open. */
  if (choice >= 0 && (guint) choice < dialog->uuids->len)
    known = plannr_message_log_lookup (conv->log, g_ptr_array_index (dialog->uuids, choice));
  if (known == NULL || known->deleted)
    {
      edit_dialog_done (dialog);
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR,
                          _("That message can no longer be edited: it was deleted."));
      return;
    }
  g_clear_pointer (&dialog->uuids, g_ptr_array_unref);

  /* The text to start from is what the server holds now, not what this
   * client last saw. */
  read = g_new0 (DialogRead, 1);
  read->conn = conv->conn;
  read->dialog = dialog;
  plannr_api_get_message_async (conv->conn->api, PLANNR_PRIORITY_USER, conv->uuid,
                                known->uuid, dialog_fresh_cb, read);
}

static void
show_choice_dialog (PlannrConv *conv)
{
  g_autoptr(GPtrArray) mine = plannr_message_log_by_author (conv->log, conv->conn->account_uuid,
                                                            PLANNR_EDIT_DIALOG_MESSAGES);
  PurpleRequestFields *fields;
  PurpleRequestFieldGroup *group;
  PurpleRequestField *field;
  EditDialog *dialog;

  if (mine->len == 0)
    {
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR,
                          _("You have no message in this conversation to edit."));
      return;
    }

  dialog = edit_dialog_new (conv);
  dialog->uuids = g_ptr_array_new_with_free_func (g_free);
  fields = purple_request_fields_new ();
  group = purple_request_field_group_new (NULL);
  field = purple_request_field_choice_new ("message", _("Message"), 0);
  for (guint i = 0; i < mine->len; i++)
    {
      PlannrKnownMessage *known = g_ptr_array_index (mine, i);
      g_autofree char *when = plannr_format_time (known->created_at);
      g_autofree char *summary = plannr_text_summary (known->contents, 40);
      g_autofree char *label = g_strdup_printf ("%s — %s", when, summary);

      purple_request_field_choice_add (field, label);
      g_ptr_array_add (dialog->uuids, g_strdup (known->uuid));
    }
  purple_request_field_group_add_field (group, field);
  purple_request_fields_add_group (fields, group);

  purple_request_fields (conv->conn->pc, _("Edit a message"),
                         _("Which of your messages do you want to edit?"), NULL, fields,
                         _("_Next"), G_CALLBACK (dialog_choice_ok_cb),
                         _("_Cancel"), G_CALLBACK (dialog_cancel_cb),
                         conv->conn->account, NULL, plannr_conv_get_purple (conv), dialog);
}

static void
dialog_load_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PlannrConv *conv = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = NULL;

  page = plannr_api_collect_messages_finish (PLANNR_API (source), result, &error);
  if (page == NULL)
    {
      g_autofree char *reason = NULL;
      g_autofree char *line = NULL;

      if (plannr_is_cancelled (error))
        return;
      reason = plannr_connection_describe_error (error);
      line = g_strdup_printf (_("Could not load your messages: %s"), reason);
      plannr_conv_notice (conv, PURPLE_MESSAGE_ERROR, line);
      return;
    }

  remember_loaded (conv, page);
  show_choice_dialog (conv);
}

void
plannr_edit_dialog (PlannrConv *conv)
{
  if (conv->log == NULL)
    conv->log = plannr_message_log_new ();

  if (!conv->history_loaded &&
      plannr_message_log_size (conv->log) < PLANNR_EDIT_LOAD_PAGE)
    {
      load_recent (conv, dialog_load_cb, conv);
      return;
    }
  show_choice_dialog (conv);
}
