/* plannr-edit-dialog.c: "Edit a message…"
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-edit.h"
#include "plannr-edit-dialog.h"
#include "plannr-notice.h"
#include "plannr-render.h"
#include "plannr-text.h"

/* An open edit dialog's state.  Kept by the component, so that closing
 * the account with the dialog open (libpurple then calls neither
 * callback) frees it. */
typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
  GPtrArray        *uuids;     /* the messages offered, in the order shown */
  char             *uuid;      /* the message picked */
  char             *expected;  /* its text, as the second step showed it */
} EditDialog;

typedef struct
{
  GPtrArray *dialogs;        /* EditDialog*, open ones */
} Edits;

static Edits *
edits_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_edit_dialog_component);
}

static void
edit_dialog_free (EditDialog *dialog)
{
  g_clear_pointer (&dialog->uuids, g_ptr_array_unref);
  g_free (dialog->uuid);
  g_free (dialog->expected);
  g_free (dialog);
}

static EditDialog *
edit_dialog_new (PlannrConnection *conn,
                 PlannrConvInfo   *info)
{
  EditDialog *dialog = g_new0 (EditDialog, 1);

  dialog->conn = conn;
  dialog->info = info;
  g_ptr_array_add (edits_get (conn)->dialogs, dialog);
  return dialog;
}

static void
edit_dialog_done (EditDialog *dialog)
{
  g_ptr_array_remove (edits_get (dialog->conn)->dialogs, dialog);
}

static gboolean
edit_dialog_is_open (PlannrConnection *conn,
                     EditDialog       *dialog)
{
  return g_ptr_array_find (edits_get (conn)->dialogs, dialog, NULL);
}

static void
dialog_text_ok_cb (gpointer            user_data,
                   PurpleRequestFields *fields)
{
  EditDialog *dialog = user_data;
  const char *text = purple_request_fields_get_string (fields, "text");

  /* A string field is a plain text box in Pidgin (GtkTextView) and in
   * Finch: its value is the text as typed, not markup. */
  plannr_edit_message (dialog->conn, dialog->info, dialog->uuid, dialog->expected,
                       text != NULL ? text : "");
  edit_dialog_done (dialog);
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
  PlannrConnection *conn = dialog->conn;
  PlannrConvInfo *info = dialog->info;
  PurpleRequestFields *text_fields;
  PurpleRequestFieldGroup *group;
  PurpleRequestField *field;
  g_autofree char *when = plannr_render_time (message->created_at);
  g_autofree char *primary = g_strdup_printf (_("Edit your message from %s"), when);

  g_free (dialog->uuid);
  dialog->uuid = g_strdup (message->uuid);
  g_free (dialog->expected);
  dialog->expected = g_strdup (message->contents);

  text_fields = purple_request_fields_new ();
  group = purple_request_field_group_new (NULL);
  field = purple_request_field_string_new ("text", _("New text"), message->contents, TRUE);
  purple_request_field_set_required (field, TRUE);
  purple_request_field_group_add_field (group, field);
  purple_request_fields_add_group (text_fields, group);

  purple_request_fields (plannr_connection_get_pc (conn), _("Edit a message"), primary, NULL,
                         text_fields,
                         _("_Save"), G_CALLBACK (dialog_text_ok_cb),
                         _("_Cancel"), G_CALLBACK (dialog_cancel_cb),
                         plannr_connection_get_account (conn), NULL,
                         plannr_notice_window (conn, info->uuid), dialog);
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
  if ((message == NULL && plannr_error_is_cancelled (error)) ||
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
                                : plannr_error_describe (error, PLANNR_ACTION_EDIT);
      g_autofree char *line = g_strdup_printf (_("That message cannot be edited: %s"), reason);
      PlannrConnection *conn = dialog->conn;
      PlannrConvInfo *info = dialog->info;

      edit_dialog_done (dialog);
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      return;
    }

  plannr_message_log_refresh (plannr_conv_info_log (dialog->info), message);
  show_text_dialog (dialog, message);
}

static void
dialog_choice_ok_cb (gpointer            user_data,
                     PurpleRequestFields *fields)
{
  EditDialog *dialog = user_data;
  PlannrConnection *conn = dialog->conn;
  PlannrConvInfo *info = dialog->info;
  int choice = purple_request_fields_get_choice (fields, "message");
  PlannrKnownMessage *known = NULL;
  DialogRead *read;

  /* By the uuid offered, not by position: the log may have changed
   * while the dialog was open. */
  if (choice >= 0 && (guint) choice < dialog->uuids->len)
    known = plannr_message_log_lookup (plannr_conv_info_log (info),
                                       g_ptr_array_index (dialog->uuids, choice));
  if (known == NULL || known->deleted)
    {
      edit_dialog_done (dialog);
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("That message can no longer be edited: it was deleted."));
      return;
    }
  g_clear_pointer (&dialog->uuids, g_ptr_array_unref);

  /* The text to start from is what the server holds now, not what this
   * client last saw. */
  read = g_new0 (DialogRead, 1);
  read->conn = conn;
  read->dialog = dialog;
  plannr_api_get_message_async (plannr_connection_get_api (conn), PLANNR_PRIORITY_USER, info->uuid,
                                known->uuid, dialog_fresh_cb, read);
}

static void
show_choice_dialog (PlannrConnection *conn,
                    PlannrConvInfo   *info)
{
  g_autoptr(GPtrArray) mine = plannr_message_log_by_author (plannr_conv_info_log (info),
                                                            plannr_connection_get_account_uuid (conn),
                                                            PLANNR_EDIT_DIALOG_MESSAGES);
  PurpleRequestFields *fields;
  PurpleRequestFieldGroup *group;
  PurpleRequestField *field;
  EditDialog *dialog;

  if (mine->len == 0)
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("You have no message in this conversation to edit."));
      return;
    }

  dialog = edit_dialog_new (conn, info);
  dialog->uuids = g_ptr_array_new_with_free_func (g_free);
  fields = purple_request_fields_new ();
  group = purple_request_field_group_new (NULL);
  field = purple_request_field_choice_new ("message", _("Message"), 0);
  for (guint i = 0; i < mine->len; i++)
    {
      PlannrKnownMessage *known = g_ptr_array_index (mine, i);
      g_autofree char *when = plannr_render_time (known->created_at);
      g_autofree char *summary = plannr_text_summary (known->contents, 40);
      g_autofree char *label = g_strdup_printf ("%s — %s", when, summary);

      purple_request_field_choice_add (field, label);
      g_ptr_array_add (dialog->uuids, g_strdup (known->uuid));
    }
  purple_request_field_group_add_field (group, field);
  purple_request_fields_add_group (fields, group);

  purple_request_fields (plannr_connection_get_pc (conn), _("Edit a message"),
                         _("Which of your messages do you want to edit?"), NULL, fields,
                         _("_Next"), G_CALLBACK (dialog_choice_ok_cb),
                         _("_Cancel"), G_CALLBACK (dialog_cancel_cb),
                         plannr_connection_get_account (conn), NULL,
                         plannr_notice_window (conn, info->uuid), dialog);
}

/* Loading the recent messages for the dialog. */
typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
} DialogLoad;

static void
dialog_load_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DialogLoad *load = user_data;
  g_autoptr(GError) error = NULL;

  if (!plannr_edit_load_recent_finish (load->info, result, &error))
    {
      if (plannr_error_is_cancelled (error))
        {
          g_free (load);
          return;
        }
      {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);
      g_autofree char *line = g_strdup_printf (_("Could not load your messages: %s"), reason);

      plannr_notice (load->conn, load->info, PURPLE_MESSAGE_ERROR, line);
      g_free (load);
      return;
      }
    }

  show_choice_dialog (load->conn, load->info);
  g_free (load);
}

void
plannr_edit_dialog_show (PlannrConnection *conn,
                         PlannrConvInfo   *info)
{
  if (!info->history_loaded &&
      plannr_message_log_size (plannr_conv_info_log (info)) < PLANNR_EDIT_LOAD_PAGE)
    {
      DialogLoad *load = g_new0 (DialogLoad, 1);

      load->conn = conn;
      load->info = info;
      plannr_edit_load_recent_async (conn, info, dialog_load_cb, load);
      return;
    }
  show_choice_dialog (conn, info);
}

/* --- the component ------------------------------------------------------- */

static gpointer
edit_create (PlannrConnection *conn)
{
  Edits *edits = g_new0 (Edits, 1);

  edits->dialogs = g_ptr_array_new_with_free_func ((GDestroyNotify) edit_dialog_free);
  return edits;
}

static void
edit_destroy (gpointer state)
{
  Edits *edits = state;

  g_ptr_array_unref (edits->dialogs);
  g_free (edits);
}

const PlannrComponent plannr_edit_dialog_component = {
  .name = "edit-dialog",
  .create = edit_create,
  .destroy = edit_destroy,
};
