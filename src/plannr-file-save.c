/* plannr-file-save.c: saving a file a chat shows
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-api-files.h"
#include "plannr-file-numbers.h"
#include "plannr-file-save.h"
#include "plannr-file-xfer.h"
#include "plannr-notice.h"
#include "plannr-render.h"
#include "plannr-text.h"

/* The list of files or the file chooser, open.  Kept by the component, so
 * that closing the account with one open (libpurple then calls neither
 * callback) frees it. */
typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
  GPtrArray        *numbers;   /* the list: the file numbers offered */
  PlannrFileEntry  *entry;     /* the chooser: the file */
} SaveRequest;

typedef struct
{
  GPtrArray *requests;   /* SaveRequest*, open ones */
} Saves;

static Saves *
saves_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_file_save_component);
}

static void
save_request_free (SaveRequest *request)
{
  g_clear_pointer (&request->numbers, g_ptr_array_unref);
  plannr_file_entry_free (request->entry);
  g_free (request);
}

static SaveRequest *
save_request_new (PlannrConnection *conn,
                  PlannrConvInfo   *info)
{
  SaveRequest *request = g_new0 (SaveRequest, 1);

  request->conn = conn;
  request->info = info;
  g_ptr_array_add (saves_get (conn)->requests, request);
  return request;
}

/* Whether @request is still open: its account did not close meanwhile. */
static gboolean
save_request_is_open (SaveRequest *request)
{
  for (GList *l = purple_connections_get_all (); l != NULL; l = l->next)
    {
      PlannrConnection *conn = plannr_connection_get (l->data);
      Saves *saves = conn != NULL ? saves_get (conn) : NULL;

      if (saves != NULL && g_ptr_array_find (saves->requests, request, NULL))
        return TRUE;
    }
  return FALSE;
}

static void
save_request_done (SaveRequest *request)
{
  g_ptr_array_remove (saves_get (request->conn)->requests, request);
}

static void
request_cancel_cb (gpointer    user_data,
                   const char *path)
{
  SaveRequest *request = user_data;

  if (save_request_is_open (request))
    save_request_done (request);
}

typedef struct
{
  PlannrFileXfer  *xfer;
  PlannrFileEntry *entry;
  char            *path;
} Save;

static void
save_free (Save *save)
{
  plannr_file_xfer_unref (save->xfer);
  plannr_file_entry_free (save->entry);
  g_free (save->path);
  g_free (save);
}

static void
tell_not_saved (Save       *save,
                const char *reason)
{
  PlannrFileXfer *xfer = save->xfer;
  g_autofree char *line = NULL;

  if (plannr_file_xfer_cancelled_by_user (xfer))
    line = g_strdup_printf (_("You cancelled saving “%s”."), save->entry->filename);
  else
    /* Translators: a file name, then why it was not saved. */
    line = g_strdup_printf (_("“%s” was not saved: %s."), save->entry->filename, reason);
  plannr_file_xfer_fail (xfer);
  plannr_notice (plannr_file_xfer_get_connection (xfer), plannr_file_xfer_get_info (xfer),
                 plannr_file_xfer_cancelled_by_user (xfer) ? 0 : PURPLE_MESSAGE_ERROR, line);
}

static gboolean
save_sink_cb (GBytes   *chunk,
              goffset   total,
              gpointer  user_data,
              GError  **error)
{
  Save *save = user_data;

  return plannr_file_xfer_write (save->xfer, chunk, total, error);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Save *save = user_data;
  g_autoptr(GError) error = NULL;
  goffset received = plannr_api_download_file_finish (PLANNR_API (source), result, &error);

  if (!plannr_file_xfer_is_live (save->xfer))
    {
      save_free (save);
      return;
    }
  if (received >= 0)
    {
      g_autofree char *where = g_filename_display_name (save->path);
      /* Translators: a file name, then where it was saved. */
      g_autofree char *line = g_strdup_printf (_("Saved “%s” as %s."), save->entry->filename, where);

      plannr_file_xfer_done (save->xfer);
      plannr_notice (plannr_file_xfer_get_connection (save->xfer), plannr_file_xfer_get_info (save->xfer),
                     0, line);
    }
  else
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);

      tell_not_saved (save, reason);
    }
  save_free (save);
}

/* The message read again: download links may be signed for a while
 * only, so the one to use is the one the server gives now. */
static void
save_fresh_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Save *save = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = plannr_api_get_message_finish (PLANNR_API (source), result, &error);
  const PlannrFile *file;

  if (!plannr_file_xfer_is_live (save->xfer))
    {
      save_free (save);
      return;
    }
  if (plannr_file_xfer_cancelled_by_user (save->xfer))
    {
      tell_not_saved (save, NULL);
      save_free (save);
      return;
    }
  if (message == NULL || message->deleted_at != NULL)
    {
      g_autofree char *reason = message != NULL ? g_strdup (_("its message was deleted"))
                                                : plannr_error_describe (error, PLANNR_ACTION_READ);

      tell_not_saved (save, reason);
      save_free (save);
      return;
    }
  file = plannr_file_entry_find (save->entry, message);
  if (file == NULL || file->download_url == NULL)
    {
      tell_not_saved (save, file == NULL ? _("it is no longer in its message")
                                         : _("Plannr gives no address to fetch it from"));
      save_free (save);
      return;
    }
  plannr_api_download_file_async (PLANNR_API (source), file->download_url, save_sink_cb, save,
                                  plannr_file_xfer_get_cancellable (save->xfer), save_done_cb, save);
}

static void
save_to (PlannrConnection      *conn,
         PlannrConvInfo        *info,
         const PlannrFileEntry *entry,
         const char            *path)
{
  g_autofree char *safe = plannr_file_safe_name (entry->filename);
  Save *save;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *where = g_filename_display_name (path);
      /* Translators: a folder's path, then a file name. */
      g_autofree char *line = g_strdup_printf (_("%s is a folder: choose a file name to save “%s” as."),
                                               where, entry->filename);

      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      return;
    }
  save = g_new0 (Save, 1);
  save->entry = plannr_file_entry_copy (entry);
  save->path = g_strdup (path);
  /* Nothing is written until the first bytes arrive, and then only to
   * @path, which libpurple opens. */
  save->xfer = plannr_file_xfer_new (conn, info, PURPLE_XFER_RECEIVE, safe, path, (goffset) entry->size);
  plannr_api_get_message_async (plannr_connection_get_api (conn), PLANNR_PRIORITY_USER, info->uuid,
                                entry->message_uuid, save_fresh_cb, save);
}

static void
save_chosen_cb (gpointer    user_data,
                const char *path)
{
  SaveRequest *request = user_data;

  if (!save_request_is_open (request))
    return;
  if (path != NULL && *path != '\0')
    save_to (request->conn, request->info, request->entry, path);
  save_request_done (request);
}

/* Asks where to save @entry: the file chooser, offering the file's
 * name made safe (the server's name never picks a folder). */
static void
ask_where (PlannrConnection      *conn,
           PlannrConvInfo        *info,
           const PlannrFileEntry *entry)
{
  SaveRequest *request = save_request_new (conn, info);
  g_autofree char *safe = plannr_file_safe_name (entry->filename);
  /* Translators: the title of the save dialog; %s is a file name. */
  g_autofree char *title = g_strdup_printf (_("Save “%s”"), entry->filename);

  request->entry = plannr_file_entry_copy (entry);
  purple_request_file (plannr_connection_get_pc (conn), title, safe, TRUE,
                       G_CALLBACK (save_chosen_cb), G_CALLBACK (request_cancel_cb),
                       plannr_connection_get_account (conn), NULL,
                       plannr_notice_window (conn, info->uuid), request);
}

static PlannrFileIndex *
shown_files (PlannrConnection *conn,
             PlannrConvInfo   *info)
{
  PlannrFileIndex *index = plannr_file_numbers_get (plannr_notice_window (conn, info->uuid));

  if (index == NULL || plannr_file_index_size (index) == 0)
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("This conversation shows no files: each file shown in its open chat "
                       "has a number (“File 3: …”) to save it by."));
      return NULL;
    }
  return index;
}

void
plannr_file_save_number (PlannrConnection *conn,
                         PlannrConvInfo   *info,
                         const char       *args)
{
  g_autofree char *word = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *path = NULL;
  g_autofree char *extra = NULL;
  PlannrFileIndex *index;
  const PlannrFileEntry *entry;
  guint64 number = 0;

  /* "N", or "N PATH" with the path quoted as /attach takes it. */
  if (!plannr_file_parse_attach (args, &word, &rest) ||
      !g_ascii_string_to_unsigned (word, 10, 1, G_MAXUINT, &number, NULL) ||
      (rest != NULL && (!plannr_file_parse_attach (rest, &path, &extra) || extra != NULL)))
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("Usage: /save N [PATH], where N is the number beside a file (“File 3: …”), "
                       "with the path in quotes if it has spaces."));
      return;
    }
  index = shown_files (conn, info);
  if (index == NULL)
    return;
  entry = plannr_file_index_lookup (index, (guint) number);
  if (entry == NULL)
    {
      g_autofree char *line = g_strdup_printf (_("There is no file %u in this conversation; the "
                                                 "numbers are those beside its files (“File 3: …”)."),
                                               (guint) number);

      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      return;
    }
  if (path != NULL)
    {
      g_autofree char *local = plannr_file_expand_path (path);

      /* A chooser asks before it replaces a file; a typed path does not. */
      if (g_file_test (local, G_FILE_TEST_EXISTS) && !g_file_test (local, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *where = g_filename_display_name (local);
          g_autofree char *line = g_strdup_printf (_("%s exists already: “%s” was not saved. Give "
                                                     "another path."),
                                                   where, entry->filename);

          plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
          return;
        }
      save_to (conn, info, entry, local);
    }
  else if (plannr_file_xfer_can_choose ())
    ask_where (conn, info, entry);
  else
    plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                   _("This client has no file chooser: say where to save the file, /save N PATH."));
}

static void
list_chosen_cb (gpointer             user_data,
                PurpleRequestFields *fields)
{
  SaveRequest *request = user_data;
  int choice = purple_request_fields_get_choice (fields, "file");
  PlannrFileIndex *index;
  const PlannrFileEntry *entry = NULL;

  if (!save_request_is_open (request))
    return;
  index = plannr_file_numbers_get (plannr_notice_window (request->conn, request->info->uuid));
  if (index != NULL && choice >= 0 && (guint) choice < request->numbers->len)
    entry = plannr_file_index_lookup (index, GPOINTER_TO_UINT (g_ptr_array_index (request->numbers, choice)));
  if (entry != NULL)
    ask_where (request->conn, request->info, entry);
  else
    plannr_notice (request->conn, request->info, PURPLE_MESSAGE_ERROR,
                   _("That file is no longer shown: its chat was closed."));
  save_request_done (request);
}

static void
list_cancel_cb (gpointer             user_data,
                PurpleRequestFields *fields)
{
  SaveRequest *request = user_data;

  if (save_request_is_open (request))
    save_request_done (request);
}

void
plannr_file_save_dialog (PlannrConnection *conn,
             PlannrConvInfo   *info)
{
  PlannrFileIndex *index = shown_files (conn, info);
  g_autoptr(GPtrArray) recent = NULL;
  PurpleRequestFields *fields;
  PurpleRequestFieldGroup *group;
  PurpleRequestField *field;
  SaveRequest *request;

  if (index == NULL)
    return;
  recent = plannr_file_index_recent (index, PLANNR_FILES_DIALOG_FILES);
  request = save_request_new (conn, info);
  request->numbers = g_ptr_array_new ();
  fields = purple_request_fields_new ();
  group = purple_request_field_group_new (NULL);
  field = purple_request_field_choice_new ("file", _("File"), 0);
  for (guint i = 0; i < recent->len; i++)
    {
      const PlannrFileEntry *entry = g_ptr_array_index (recent, i);
      g_autofree char *when = plannr_render_time (entry->time);
      g_autofree char *size = g_format_size (entry->size);
      /* Translators: a file in the list "Save a file…" offers: its
       * number, name, size, who sent it and when ("3 — plan.pdf
       * (1.2 MB), Ben Client, 14:02"). */
      g_autofree char *label = g_strdup_printf (_("%u — %s (%s), %s, %s"), entry->number, entry->filename,
                                                size, entry->author_name ? entry->author_name : _("Unknown"),
                                                when);

      purple_request_field_choice_add (field, label);
      g_ptr_array_add (request->numbers, GUINT_TO_POINTER (entry->number));
    }
  purple_request_field_group_add_field (group, field);
  purple_request_fields_add_group (fields, group);
  purple_request_fields (plannr_connection_get_pc (conn), _("Save a file"),
                         _("Which file do you want to save?"), NULL, fields,
                         _("_Next"), G_CALLBACK (list_chosen_cb),
                         _("_Cancel"), G_CALLBACK (list_cancel_cb),
                         plannr_connection_get_account (conn), NULL,
                         plannr_notice_window (conn, info->uuid), request);
}

/* --- the component ------------------------------------------------------- */

static gpointer
saves_create (PlannrConnection *conn)
{
  Saves *saves = g_new0 (Saves, 1);

  saves->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) save_request_free);
  return saves;
}

static void
saves_destroy (gpointer state)
{
  Saves *saves = state;

  g_ptr_array_unref (saves->requests);
  g_free (saves);
}

const PlannrComponent plannr_file_save_component = {
  .name = "file-save",
  .create = saves_create,
  .destroy = saves_destroy,
};
