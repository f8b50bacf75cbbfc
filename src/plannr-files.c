/* plannr-files.c: sending and saving files
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "plannr-command-table.h"
#include "plannr-api-files.h"
#include "plannr-blist.h"
#include "plannr-chat.h"
#include "plannr-file-numbers.h"
#include "plannr-file-save.h"
#include "plannr-file-xfer.h"
#include "plannr-files.h"
#include "plannr-notice.h"
#include "plannr-text.h"


/* A file chooser, open.  Kept by the component, so
 * that closing the account with one open (libpurple then calls neither
 * callback) frees it. */
typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
} FileRequest;

typedef struct
{
  GPtrArray *requests;   /* FileRequest*, open ones */
} Files;

static Files *
files_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_files_component);
}

static void
file_request_free (FileRequest *request)
{
  g_free (request);
}

static FileRequest *
file_request_new (PlannrConnection *conn,
                  PlannrConvInfo   *info)
{
  FileRequest *request = g_new0 (FileRequest, 1);

  request->conn = conn;
  request->info = info;
  g_ptr_array_add (files_get (conn)->requests, request);
  return request;
}

/* Whether @request is still open: its account did not close meanwhile. */
static gboolean
file_request_is_open (FileRequest *request)
{
  for (GList *l = purple_connections_get_all (); l != NULL; l = l->next)
    {
      PlannrConnection *conn = plannr_connection_get (l->data);
      Files *files = conn != NULL ? files_get (conn) : NULL;

      if (files != NULL && g_ptr_array_find (files->requests, request, NULL))
        return TRUE;
    }
  return FALSE;
}

static void
file_request_done (FileRequest *request)
{
  g_ptr_array_remove (files_get (request->conn)->requests, request);
}

/* --- sending ------------------------------------------------------------- */

/* "“plan.pdf” was not sent: REASON.", and the text that was to go with
 * it, so that nothing typed is lost. */
static void
tell_not_sent (PlannrConnection *conn,
               PlannrConvInfo   *info,
               const char       *name,
               const char       *reason,
               const char       *text)
{
  g_autofree char *line = NULL;

  if (text != NULL)
    /* Translators: a file name, why it was not sent, and the message
     * that was to go with it. */
    line = g_strdup_printf (_("“%s” was not sent: %s. Your text was not sent either: %s"), name, reason, text);
  else
    /* Translators: a file name, then why it was not sent. */
    line = g_strdup_printf (_("“%s” was not sent: %s."), name, reason);
  plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
}

typedef struct
{
  PlannrFileXfer *xfer;
  char           *name;
  char           *text;
} Send;

static void
send_free (Send *send)
{
  plannr_file_xfer_unref (send->xfer);
  g_free (send->name);
  g_free (send->text);
  g_free (send);
}

static void
send_progress_cb (goffset  done,
                  goffset  total,
                  gpointer user_data)
{
  Send *send = user_data;

  plannr_file_xfer_progress (send->xfer, done, total);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;
  PlannrFileXfer *xfer = send->xfer;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = plannr_api_upload_file_finish (PLANNR_API (source), result, &error);
  PlannrConnection *conn;
  PlannrConvInfo *info;

  if (!plannr_file_xfer_is_live (xfer))
    {
      send_free (send);
      return;
    }
  conn = plannr_file_xfer_get_connection (xfer);
  info = plannr_file_xfer_get_info (xfer);

  if (message != NULL)
    {
      plannr_file_xfer_done (xfer);
      plannr_chat_show_sent (conn, info, message);
    }
  else if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    {
      /* Sent; what it became shows with the chat's next look. */
      plannr_file_xfer_done (xfer);
      plannr_chat_poll_soon (conn, info->uuid);
    }
  else if (plannr_file_xfer_cancelled_by_user (xfer))
    {
      g_autofree char *line = send->text != NULL
        /* Translators: a file name, then the message that was to go
         * with it. */
        ? g_strdup_printf (_("You cancelled sending “%s”; nothing was sent. Your text was not sent either: %s"),
                           send->name, send->text)
        : g_strdup_printf (_("You cancelled sending “%s”; nothing was sent."), send->name);

      plannr_file_xfer_fail (xfer);
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
    }
  else
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_SEND);

      plannr_file_xfer_fail (xfer);
      tell_not_sent (conn, info, send->name, reason, send->text);
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
        plannr_connection_fail (conn, error);
    }
  send_free (send);
}

static int
max_file_mib (PlannrConnection *conn)
{
  return plannr_connection_setting_int (conn, PLANNR_SETTING_MAX_FILE_MIB, PLANNR_DEFAULT_MAX_FILE_MIB,
                                        1, PLANNR_MAX_FILE_MIB_LIMIT);
}

/* Everything that can be known before sending: the file is there, a
 * file, readable, and not too large.  Returns its stream, or NULL with
 * @reason set. */
static GInputStream *
open_for_sending (PlannrConnection  *conn,
                  GFile             *file,
                  goffset           *size,
                  char             **mime_type,
                  char             **reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  int cap = max_file_mib (conn);
  const char *type;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    {
      *reason = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
                g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY)
                ? g_strdup (_("there is no such file"))
                : g_strdup_printf (_("it cannot be read (%s)"), error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      *reason = g_strdup (_("it is a folder"));
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      *reason = g_strdup (_("it is not a regular file"));
      return NULL;
    }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      *reason = g_strdup (_("you are not allowed to read it"));
      return NULL;
    }
  *size = g_file_info_get_size (info);
  if (*size > (goffset) cap * 1024 * 1024)
    {
      g_autofree char *actual = g_format_size ((guint64) *size);

      /* Translators: the first %s is a file's size ("63.2 MB"); the
       * number is the account's "Largest file to send" setting. */
      *reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "it is %s, larger than the %d MiB the account allows (its setting “Largest file to send”)",
                                              "it is %s, larger than the %d MiB the account allows (its setting “Largest file to send”)",
                                              cap),
                                 actual, cap);
      return NULL;
    }
  stream = g_file_read (file, NULL, &error);
  if (stream == NULL)
    {
      *reason = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
                ? g_strdup (_("you are not allowed to read it"))
                : g_strdup_printf (_("it cannot be read (%s)"), error->message);
      return NULL;
    }
  type = g_file_info_get_content_type (info);
  *mime_type = type != NULL ? g_content_type_get_mime_type (type) : NULL;
  if (*mime_type == NULL)
    *mime_type = g_strdup ("application/octet-stream");
  return G_INPUT_STREAM (g_steal_pointer (&stream));
}

void
plannr_files_send (PlannrConnection *conn,
                   PlannrConvInfo   *info,
                   const char       *path,
                   const char       *text)
{
  g_autofree char *local = plannr_file_expand_path (path);
  g_autoptr(GFile) file = g_file_new_for_path (local);
  g_autofree char *name = g_filename_display_basename (local);
  g_autofree char *reason = NULL;
  g_autofree char *mime_type = NULL;
  g_autoptr(GInputStream) stream = NULL;
  goffset size = 0;
  Send *send;

  stream = open_for_sending (conn, file, &size, &mime_type, &reason);
  if (stream == NULL)
    {
      tell_not_sent (conn, info, name, reason, text);
      return;
    }

  send = g_new0 (Send, 1);
  send->name = g_strdup (name);
  send->text = g_strdup (text);
  send->xfer = plannr_file_xfer_new (conn, info, PURPLE_XFER_SEND, name, local, size);
  if (!plannr_file_xfer_start (send->xfer))
    {
      /* libpurple could not open it after all, and has said why. */
      tell_not_sent (conn, info, name, _("it cannot be read"), text);
      plannr_file_xfer_fail (send->xfer);
      send_free (send);
      return;
    }
  plannr_api_upload_file_async (plannr_connection_get_api (conn), info->uuid, text, name, mime_type,
                                stream, size, send_progress_cb, send,
                                plannr_file_xfer_get_cancellable (send->xfer), send_cb, send);
}

static void
send_chosen_cb (gpointer    user_data,
                const char *path)
{
  FileRequest *request = user_data;

  if (!file_request_is_open (request))
    return;
  if (path != NULL && *path != '\0')
    plannr_files_send (request->conn, request->info, path, NULL);
  file_request_done (request);
}

static void
request_cancel_cb (gpointer    user_data,
                   const char *path)
{
  FileRequest *request = user_data;

  if (file_request_is_open (request))
    file_request_done (request);
}

static void
send_dialog (PlannrConnection *conn,
             PlannrConvInfo   *info)
{
  FileRequest *request;
  g_autofree char *title = NULL;

  if (!plannr_file_xfer_can_choose ())
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("This client has no file chooser: give the file's path, /attach PATH [TEXT]."));
      return;
    }
  request = file_request_new (conn, info);
  /* Translators: the title of the file chooser; %s is the conversation. */
  title = g_strdup_printf (_("Send a file to “%s”"), info->name);
  purple_request_file (plannr_connection_get_pc (conn), title, NULL, FALSE,
                       G_CALLBACK (send_chosen_cb), G_CALLBACK (request_cancel_cb),
                       plannr_connection_get_account (conn), NULL,
                       plannr_notice_window (conn, info->uuid), request);
}

/* --- commands and the menu ----------------------------------------------- */

static void
attach_command (PlannrConnection *conn,
                PlannrConvInfo   *info,
                const char       *name,
                const char       *args)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (!plannr_file_parse_attach (args, &path, &text))
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("Usage: /attach PATH [TEXT], with the path in quotes if it has spaces."));
      return;
    }
  if (text != NULL && g_utf8_strlen (text, -1) > PLANNR_MAX_MESSAGE_CHARS)
    {
      g_autofree char *line = g_strdup_printf (_("Your message is longer than %d characters and was not sent: %s"),
                                               PLANNR_MAX_MESSAGE_CHARS, text);

      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      return;
    }
  plannr_files_send (conn, info, path, text);
}

static void
save_command (PlannrConnection *conn,
              PlannrConvInfo   *info,
              const char       *name,
              const char       *args)
{
  plannr_file_save_number (conn, info, args);
}

void
plannr_files_register (PurplePlugin *plugin)
{
  plannr_command_table_add ("attach", attach_command,
                            _("attach &lt;path&gt; [text]: send a file (in quotes if its path has spaces), "
                 "with text if you like. The account's “Largest file to send” setting limits its size."));
  plannr_command_table_add ("save", save_command,
                            _("save &lt;number&gt; [path]: save the file shown as “File &lt;number&gt;: …” in "
                              "this chat, where you choose, or as that path."));
}

void
plannr_files_unregister (PurplePlugin *plugin)
{
  plannr_file_numbers_unregister (plugin);
}

static void
send_action_cb (PurpleBlistNode *node,
                gpointer         data)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = plannr_blist_node_info (node, &conn);

  if (info != NULL)
    send_dialog (conn, info);
}

static void
save_action_cb (PurpleBlistNode *node,
                gpointer         data)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = plannr_blist_node_info (node, &conn);

  if (info != NULL)
    plannr_file_save_dialog (conn, info);
}

GList *
plannr_files_menu (void)
{
  GList *actions = NULL;

  actions = g_list_append (actions, purple_menu_action_new (_("Send a file…"), PURPLE_CALLBACK (send_action_cb),
                                                            NULL, NULL));
  actions = g_list_append (actions, purple_menu_action_new (_("Save a file…"), PURPLE_CALLBACK (save_action_cb),
                                                            NULL, NULL));
  return actions;
}

/* --- the component ------------------------------------------------------- */

static gpointer
files_create (PlannrConnection *conn)
{
  Files *files = g_new0 (Files, 1);

  files->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) file_request_free);
  return files;
}

static void
files_destroy (gpointer state)
{
  Files *files = state;

  g_ptr_array_unref (files->requests);
  g_free (files);
}

const PlannrComponent plannr_files_component = {
  .name = "files",
  .create = files_create,
  .destroy = files_destroy,
};
