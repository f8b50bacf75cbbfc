/* plannr-rename.c: renaming a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-names.h"
#include "plannr-notice.h"
#include "plannr-rename.h"
#include "plannr-text.h"

typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
  char             *name;
} Rename;

static void send_rename (PlannrConnection *conn, PlannrConvInfo *info, char *name);

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
  PlannrConnection *conn = rename->conn;
  PlannrConvInfo *info = rename->info;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) data = NULL;
  g_autofree char *next = NULL;

  data = plannr_api_rename_conversation_finish (PLANNR_API (source), result, &error);
  if (data == NULL && plannr_error_is_cancelled (error))
    {
      rename_free (rename);
      return;
    }
  info->renaming--;

  if (data != NULL || g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    {
      /* The server's name is the truth (it may have trimmed it); an
       * answer without one means the name asked for stands. */
      const char *name = data != NULL && *data->name != '\0' ? data->name : rename->name;
      g_autofree char *line = g_strdup_printf (_("You renamed the conversation to %s"), name);

      info->name_landed = g_get_monotonic_time ();
      if (data != NULL && data->updated_at != NULL)
        {
          g_clear_pointer (&info->updated_at, g_date_time_unref);
          info->updated_at = g_date_time_ref (data->updated_at);
        }
      g_free (info->name);
      info->name = g_strdup (name);
      plannr_names_show (conn, info);
      /* Said in the chat; a rename from the buddy list shows there. */
      if (plannr_notice_window (conn, info->uuid) != NULL)
        plannr_notice (conn, info, 0, line);
    }
  else
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_RENAME);
      g_autofree char *line = g_strdup_printf (_("The conversation could not be renamed to “%s”: %s"),
                                               rename->name, reason);

      /* Put the old name back wherever the new one was typed. */
      plannr_names_show (conn, info);
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
        plannr_connection_fail (conn, error);
    }
  rename_free (rename);

  /* Renamed again meanwhile: the name asked for last is the one the
   * server ends up with, even when it is the name from before. */
  next = g_steal_pointer (&info->rename_next);
  if (next == NULL)
    return;
  if (g_strcmp0 (next, info->name) == 0)
    plannr_names_show (conn, info);
  else
    send_rename (conn, info, g_steal_pointer (&next));
}

static void
send_rename (PlannrConnection *conn,
             PlannrConvInfo   *info,
             char             *name)
{
  Rename *rename = g_new0 (Rename, 1);

  rename->conn = conn;
  rename->info = info;
  rename->name = name;
  info->renaming++;
  plannr_api_rename_conversation_async (plannr_connection_get_api (conn), info->uuid, rename->name,
                                        rename_cb, rename);
}

void
plannr_rename (PlannrConnection *conn,
               PlannrConvInfo   *info,
               const char       *name)
{
  g_autofree char *trimmed = plannr_text_trim (name);

  if (trimmed == NULL)
    {
      plannr_names_show (conn, info);
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("A conversation needs a name; the name was not changed."));
      return;
    }

  if (g_utf8_strlen (trimmed, -1) > PLANNR_MAX_NAME_CHARS)
    {
      g_autofree char *line = g_strdup_printf (_("A conversation name can have at most %d characters; "
                                                 "the name was not changed: %s"),
                                               PLANNR_MAX_NAME_CHARS, trimmed);

      plannr_names_show (conn, info);
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      return;
    }

  /* One rename at a time: a second one waits for the first (and its
   * retries), so that an older name never lands after a newer one. */
  if (info->renaming > 0)
    {
      g_free (info->rename_next);
      info->rename_next = g_steal_pointer (&trimmed);
      return;
    }

  if (g_strcmp0 (trimmed, info->name) == 0)
    {
      /* Nothing to send; undo stray whitespace the user typed. */
      plannr_names_show (conn, info);
      return;
    }

  send_rename (conn, info, g_steal_pointer (&trimmed));
}

/* --- the dialog --------------------------------------------------------------- */

/* An open rename dialog: the connection and the conversation outlive
 * it.  Kept by the component, so that closing the account with the
 * dialog open (libpurple then calls no callback) frees it. */
typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
} RenameDialog;

typedef struct
{
  GPtrArray *dialogs;   /* RenameDialog*, open ones */
} Renames;

static void
dialog_done (RenameDialog *dialog)
{
  Renames *renames = plannr_connection_get_state (dialog->conn, &plannr_rename_component);

  g_ptr_array_remove (renames->dialogs, dialog);
}

static void
dialog_ok_cb (gpointer    user_data,
              const char *name)
{
  RenameDialog *dialog = user_data;
  PlannrConnection *conn = dialog->conn;
  PlannrConvInfo *info = dialog->info;

  dialog_done (dialog);
  plannr_rename (conn, info, name);
}

static void
dialog_cancel_cb (gpointer    user_data,
                  const char *name)
{
  dialog_done (user_data);
}

void
plannr_rename_dialog (PlannrConnection *conn,
                      PlannrConvInfo   *info)
{
  Renames *renames = plannr_connection_get_state (conn, &plannr_rename_component);
  RenameDialog *dialog = g_new0 (RenameDialog, 1);
  g_autofree char *primary = g_strdup_printf (_("Rename “%s”"), info->name);

  dialog->conn = conn;
  dialog->info = info;
  g_ptr_array_add (renames->dialogs, dialog);
  purple_request_input (plannr_connection_get_pc (conn), _("Rename conversation"), primary,
                        _("The new name is seen by every participant."),
                        info->name, FALSE, FALSE, NULL,
                        _("_Rename"), G_CALLBACK (dialog_ok_cb),
                        _("_Cancel"), G_CALLBACK (dialog_cancel_cb),
                        plannr_connection_get_account (conn), NULL,
                        plannr_notice_window (conn, info->uuid), dialog);
}

/* --- the component ------------------------------------------------------- */

static gpointer
rename_create (PlannrConnection *conn)
{
  Renames *renames = g_new0 (Renames, 1);

  renames->dialogs = g_ptr_array_new_with_free_func (g_free);
  return renames;
}

static void
rename_destroy (gpointer state)
{
  Renames *renames = state;

  g_ptr_array_unref (renames->dialogs);
  g_free (renames);
}

const PlannrComponent plannr_rename_component = {
  .name = "rename",
  .create = rename_create,
  .destroy = rename_destroy,
};
