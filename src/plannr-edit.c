/* plannr-edit.c: editing the user's messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-edit.h"
#include "plannr-notice.h"
#include "plannr-render.h"
#include "plannr-send.h"
#include "plannr-text.h"

typedef enum
{
  EDIT_LATEST,       /* /edit TEXT */
  EDIT_AT_TIME,      /* /edit HH:MM TEXT */
  EDIT_SUBSTITUTE,   /* s/old/new/ */
  EDIT_UUID,         /* the dialog */
} EditKind;

typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
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
  PlannrOutbox *outbox = edit->queued ? plannr_send_outbox (edit->conn, edit->info) : NULL;

  edit_free (edit);
  if (outbox != NULL)
    plannr_outbox_write_done (outbox);
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
  plannr_notice (edit->conn, edit->info, PURPLE_MESSAGE_ERROR, line);
}

void
plannr_edit_load_recent_async (PlannrConnection    *conn,
                               PlannrConvInfo      *info,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  plannr_api_collect_messages_async (plannr_connection_get_api (conn), PLANNR_PRIORITY_USER, info->uuid,
                                     PLANNR_EDIT_LOAD_PAGE, PLANNR_EDIT_LOAD_PAGE,
                                     PLANNR_EDIT_LOAD_MAX_PAGES, NULL, NULL, callback, user_data);
}

gboolean
plannr_edit_load_recent_finish (PlannrConvInfo  *info,
                                GAsyncResult    *result,
                                GError         **error)
{
  /* A new reference, given back at once: the task holds its own. */
  g_autoptr(GObject) api = g_async_result_get_source_object (result);
  g_autoptr(PlannrPage) page = plannr_api_collect_messages_finish (PLANNR_API (api), result, error);

  if (page == NULL)
    return FALSE;
  /* Kept as loaded: known for edits, not shown (see the message log). */
  for (guint i = 0; i < page->items->len; i++)
    plannr_message_log_add_loaded (plannr_conv_info_log (info), g_ptr_array_index (page->items, i));
  info->history_loaded = TRUE;
  return TRUE;
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Edit *edit = user_data;
  g_autoptr(GError) error = NULL;

  if (!plannr_edit_load_recent_finish (edit->info, result, &error))
    {
      g_autofree char *reason = NULL;

      if (plannr_error_is_cancelled (error))
        {
          edit_free (edit);
          return;
        }
      reason = plannr_error_describe (error, PLANNR_ACTION_READ);
      edit_failed (edit, reason);
      edit_done (edit);
      return;
    }

  edit->loaded = TRUE;
  edit_run (edit);
}

/* The log may not hold the message yet: read the recent ones once. */
static gboolean
load_more (Edit *edit)
{
  if (edit->loaded || edit->info->history_loaded)
    return FALSE;
  edit->loaded = TRUE;
  plannr_edit_load_recent_async (edit->conn, edit->info, load_cb, edit);
  return TRUE;
}

static void
edit_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Edit *edit = user_data;
  PlannrConnection *conn = edit->conn;
  PlannrConvInfo *info = edit->info;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;

  message = plannr_api_edit_message_finish (PLANNR_API (source), result, &error);
  if (message == NULL && plannr_error_is_cancelled (error))
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
      plannr_message_log_write_finished (plannr_conv_info_log (info), edit->uuid, contents,
                                         message != NULL ? message->updated_at : NULL,
                                         g_get_monotonic_time ());
      plannr_notice (conn, info, 0, line);
    }
  else
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_EDIT);
      g_autofree char *line = g_strdup_printf (_("Your message from %s was not edited (%s): %s"),
                                               edit->when, reason, edit->text);

      plannr_message_log_write_finished (plannr_conv_info_log (info), edit->uuid, NULL, NULL, 0);
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
        plannr_connection_fail (conn, error);
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
  PlannrConnection *conn = edit->conn;
  PlannrConvInfo *info = edit->info;
  g_autoptr(GPtrArray) mine = plannr_message_log_by_author (plannr_conv_info_log (info), plannr_connection_get_account_uuid (conn), 0);
  PlannrKnownMessage *target = NULL;
  guint matches = 0;

  /* Once chosen (and read again), the target stays the same. */
  if (edit->fresh || edit->kind == EDIT_UUID)
    {
      target = plannr_message_log_lookup (plannr_conv_info_log (info), edit->uuid);
      if (target != NULL && (target->deleted ||
                             !plannr_connection_is_me (conn, target->author_uuid)))
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
          g_autofree char *when = plannr_render_time (target->created_at);
          g_autofree char *line = g_strdup_printf (_("%u of your messages are from %s; editing the newest of them."),
                                                   matches, when);

          plannr_notice (conn, info, 0, line);
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
  PlannrConvInfo *info = edit->info;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;

  message = plannr_api_get_message_finish (PLANNR_API (source), result, &error);
  if (message == NULL && plannr_error_is_cancelled (error))
    {
      edit_free (edit);
      return;
    }
  if (message == NULL || message->deleted_at != NULL)
    {
      g_autofree char *reason = message != NULL || g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND)
                                ? g_strdup (_("the message was deleted"))
                                : plannr_error_describe (error, PLANNR_ACTION_EDIT);

      edit_failed (edit, reason);
      edit_done (edit);
      return;
    }

  /* What the server holds now: an edit made elsewhere since the poll
   * last looked is kept, not undone. */
  plannr_message_log_refresh (plannr_conv_info_log (info), message);
  edit->fresh = TRUE;
  edit_run (edit);
}

static void
edit_run (Edit *edit)
{
  PlannrConnection *conn = edit->conn;
  PlannrConvInfo *info = edit->info;
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
  edit->when = plannr_render_time (target->created_at);

  /* New text made from the old (s///), or typed over the old one in the
   * dialog: read what the server holds first, so that an edit made
   * elsewhere meanwhile is neither undone nor built on stale text. */
  if (!edit->fresh && (edit->kind == EDIT_SUBSTITUTE || edit->kind == EDIT_UUID))
    {
      plannr_api_get_message_async (plannr_connection_get_api (conn), PLANNR_PRIORITY_USER, info->uuid,
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
      plannr_notice (conn, info, 0, _("The message already reads like that; nothing was sent."));
      edit_done (edit);
      return;
    }

  g_free (edit->text);
  edit->text = g_steal_pointer (&trimmed);
  plannr_message_log_write_started (plannr_conv_info_log (info), edit->uuid);
  plannr_api_edit_message_async (plannr_connection_get_api (conn), info->uuid, edit->uuid, edit->text,
                                 edit_cb, edit);
}

static void
edit_turn_cb (gpointer data)
{
  Edit *edit = data;

  edit->queued = TRUE;
  edit_run (edit);
}

/* Every edit waits its turn in the conversation's outbox. */
static void
edit_start (Edit *edit)
{
  plannr_outbox_queue_write (plannr_send_outbox (edit->conn, edit->info), edit_turn_cb, edit,
                             (GDestroyNotify) edit_free);
}

static Edit *
edit_new (PlannrConnection *conn,
          PlannrConvInfo   *info,
          EditKind          kind)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->conn = conn;
  edit->info = info;
  edit->kind = kind;
  edit->second = -1;
  return edit;
}

void
plannr_edit_command (PlannrConnection *conn,
                     PlannrConvInfo   *info,
                     const char       *args)
{
  g_autofree char *trimmed = plannr_text_trim (args);
  const char *rest;
  int hour, minute, second;
  Edit *edit;

  if (trimmed == NULL)
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("Usage: /edit NEW TEXT, or /edit HH:MM NEW TEXT"));
      return;
    }

  if (plannr_text_parse_edit_time (trimmed, &hour, &minute, &second, &rest))
    {
      edit = edit_new (conn, info, EDIT_AT_TIME);
      edit->hour = hour;
      edit->minute = minute;
      edit->second = second;
      edit->text = g_strdup (rest);
    }
  else
    {
      edit = edit_new (conn, info, EDIT_LATEST);
      edit->text = g_steal_pointer (&trimmed);
    }
  edit_start (edit);
}

gboolean
plannr_edit_try_substitution (PlannrConnection *conn,
                              PlannrConvInfo   *info,
                              const char       *text)
{
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  gboolean global;
  Edit *edit;

  if (!plannr_text_parse_substitution (text, &old_text, &new_text, &global))
    return FALSE;

  edit = edit_new (conn, info, EDIT_SUBSTITUTE);
  edit->old_text = g_steal_pointer (&old_text);
  edit->text = g_steal_pointer (&new_text);
  edit->global = global;
  edit_start (edit);
  return TRUE;
}

void
plannr_edit_message (PlannrConnection *conn,
                     PlannrConvInfo   *info,
                     const char       *uuid,
                     const char       *expected,
                     const char       *text)
{
  Edit *edit = edit_new (conn, info, EDIT_UUID);

  edit->uuid = g_strdup (uuid);
  edit->expected = g_strdup (expected);
  edit->text = g_strdup (text);
  edit_start (edit);
}
