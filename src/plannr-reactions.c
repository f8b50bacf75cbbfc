/* plannr-reactions.c: reacting to messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-command-table.h"
#include "plannr-api-reactions.h"
#include "plannr-blist.h"
#include "plannr-chat.h"
#include "plannr-edit.h"
#include "plannr-notice.h"
#include "plannr-reaction-log.h"
#include "plannr-reaction-watch.h"
#include "plannr-reactions.h"
#include "plannr-render.h"
#include "plannr-text.h"


/* --- sending -------------------------------------------------------------- */

typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
  char             *message_uuid;
  char             *reaction;
  char             *when;          /* the message's time of day */
} React;

static void
react_free (React *react)
{
  g_free (react->message_uuid);
  g_free (react->reaction);
  g_free (react->when);
  g_free (react);
}

static void
react_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  React *react = user_data;
  PlannrConnection *conn = react->conn;
  PlannrConvInfo *info = react->info;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = plannr_api_react_finish (PLANNR_API (source), result, &error);

  /* The account is closing: nothing here may be touched. */
  if (message == NULL && plannr_error_is_cancelled (error))
    {
      react_free (react);
      return;
    }
  if (message != NULL || g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    {
      g_autofree char *line = NULL;

      plannr_reaction_watch_sent (conn, info, react->message_uuid, react->reaction);
      line = plannr_reaction_watch_line (conn, info, react->message_uuid,
                                         plannr_connection_get_account_uuid (conn), NULL, react->reaction);
      if (line != NULL)
        plannr_notice (conn, info, 0, line);
      /* What others gave meanwhile, as the answer lists it. */
      if (message != NULL && plannr_chat_is_open (conn, info->uuid))
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, message);
          plannr_reaction_watch_seen (conn, info, one);
        }
    }
  else
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_SEND);
      /* Translators: a reaction ("love"), a time of day ("14:02"), and
       * why it was not given. */
      g_autofree char *line = g_strdup_printf (_("Your reaction %s to the message from %s was not sent (%s)."),
                                               react->reaction, react->when, reason);

      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
        plannr_connection_fail (conn, error);
    }
  react_free (react);
}

static void
react_to (PlannrConnection   *conn,
          PlannrConvInfo     *info,
          PlannrKnownMessage *target,
          const char         *reaction)
{
  React *react = g_new0 (React, 1);

  react->conn = conn;
  react->info = info;
  react->message_uuid = g_strdup (target->uuid);
  react->reaction = g_strdup (reaction);
  react->when = plannr_render_time (target->created_at);
  plannr_api_react_async (plannr_connection_get_api (conn), target->uuid, reaction, react_cb, react);
}

/* --- /react --------------------------------------------------------------- */

static gboolean
time_matches (PlannrKnownMessage *known,
              int                 hour,
              int                 minute,
              int                 second)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (known->created_at);

  return local != NULL && g_date_time_get_hour (local) == hour && g_date_time_get_minute (local) == minute &&
         (second < 0 || g_date_time_get_second (local) == second);
}

/* /react KIND [HH:MM[:SS]] */
static void
react_command (PlannrConnection *conn,
               PlannrConvInfo   *info,
               const char       *name,
               const char       *args)
{
  g_autofree char *reaction = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  PlannrKnownMessage *target = NULL;
  guint matches = 0;
  int hour, minute, second;

  if (!plannr_reaction_parse_command (args, &reaction, &hour, &minute, &second))
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("Usage: /react like|love|laughing|surprised [HH:MM[:SS]]"));
      return;
    }
  recent = plannr_message_log_recent (plannr_conv_info_log (info), 0);
  for (guint i = 0; i < recent->len; i++)
    {
      PlannrKnownMessage *known = g_ptr_array_index (recent, i);

      if (hour < 0 ? plannr_connection_is_me (conn, known->author_uuid)
                   : !time_matches (known, hour, minute, second))
        continue;
      if (target == NULL)
        target = known;
      matches++;
      if (hour < 0)
        break;
    }
  if (target == NULL)
    {
      g_autofree char *when = second < 0 ? g_strdup_printf ("%02d:%02d", hour, minute)
                                         : g_strdup_printf ("%02d:%02d:%02d", hour, minute, second);
      g_autofree char *line = hour < 0
        ? g_strdup (_("There is no message from someone else here to react to."))
        : g_strdup_printf (_("There is no message from %s here to react to."), when);

      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      return;
    }
  if (matches > 1)
    {
      g_autofree char *when = plannr_render_time (target->created_at);
      g_autofree char *line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u message is from %s; reacting to the newest of them.",
                                                            "%u messages are from %s; reacting to the newest of them.",
                                                            matches),
                                               matches, when);

      plannr_notice (conn, info, 0, line);
    }
  react_to (conn, info, target, reaction);
}

void
plannr_reactions_register (PurplePlugin *plugin)
{
  plannr_command_table_add ("react", react_command,
                            _("react like|love|laughing|surprised [HH:MM[:SS]]: react to the "
                              "newest message from someone else, or to the message from that time."));
}

/* --- "React to a message…" ------------------------------------------------ */

/* An open dialog.  Kept by the component, so that closing the account
 * with it open (libpurple then calls neither callback) frees it. */
typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
  GPtrArray        *uuids;    /* the messages offered, in the order shown */
} Dialog;

typedef struct
{
  GPtrArray *dialogs;
} Reactions;

static Reactions *
reactions_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_reactions_component);
}

static void
dialog_free (Dialog *dialog)
{
  g_ptr_array_unref (dialog->uuids);
  g_free (dialog);
}

static void
dialog_done (Dialog *dialog)
{
  g_ptr_array_remove (reactions_get (dialog->conn)->dialogs, dialog);
}

static void
dialog_ok_cb (gpointer             user_data,
              PurpleRequestFields *fields)
{
  Dialog *dialog = user_data;
  int choice = purple_request_fields_get_choice (fields, "message");
  int kind = purple_request_fields_get_choice (fields, "reaction");
  PlannrKnownMessage *known = NULL;

  /* By the uuid offered: the log may have changed meanwhile. */
  if (choice >= 0 && (guint) choice < dialog->uuids->len)
    known = plannr_message_log_lookup (plannr_conv_info_log (dialog->info),
                                       g_ptr_array_index (dialog->uuids, choice));
  if (known == NULL || known->deleted)
    plannr_notice (dialog->conn, dialog->info, PURPLE_MESSAGE_ERROR,
                   _("That message can no longer be reacted to: it was deleted."));
  else if (kind >= 0 && (guint) kind < g_strv_length ((char **) plannr_reaction_kinds))
    react_to (dialog->conn, dialog->info, known, plannr_reaction_kinds[kind]);
  dialog_done (dialog);
}

static void
dialog_cancel_cb (gpointer             user_data,
                  PurpleRequestFields *fields)
{
  dialog_done (user_data);
}

static void
show_dialog (PlannrConnection *conn,
             PlannrConvInfo   *info)
{
  g_autoptr(GPtrArray) recent = plannr_message_log_recent (plannr_conv_info_log (info),
                                                           PLANNR_REACT_DIALOG_MESSAGES);
  PurpleRequestFields *fields;
  PurpleRequestFieldGroup *group;
  PurpleRequestField *messages;
  PurpleRequestField *kinds;
  Dialog *dialog;

  if (recent->len == 0)
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, _("This conversation has no message to react to."));
      return;
    }
  dialog = g_new0 (Dialog, 1);
  dialog->conn = conn;
  dialog->info = info;
  dialog->uuids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (reactions_get (conn)->dialogs, dialog);

  fields = purple_request_fields_new ();
  group = purple_request_field_group_new (NULL);
  messages = purple_request_field_choice_new ("message", _("Message"), 0);
  for (guint i = 0; i < recent->len; i++)
    {
      PlannrKnownMessage *known = g_ptr_array_index (recent, i);
      g_autofree char *when = plannr_render_time (known->created_at);
      g_autofree char *summary = plannr_text_summary (known->contents, 40);
      const char *who = plannr_connection_is_me (conn, known->author_uuid) ? _("You") : known->author_name;
      /* Translators: a message in the list "React to a message…"
       * offers: its time, its author, the start of its text. */
      g_autofree char *label = g_strdup_printf (_("%s — %s: %s"), when, who, summary);

      purple_request_field_choice_add (messages, label);
      g_ptr_array_add (dialog->uuids, g_strdup (known->uuid));
    }
  purple_request_field_group_add_field (group, messages);
  kinds = purple_request_field_choice_new ("reaction", _("Reaction"), 0);
  /* Plannr's own words for them, as /react takes them. */
  for (guint i = 0; plannr_reaction_kinds[i] != NULL; i++)
    purple_request_field_choice_add (kinds, plannr_reaction_kinds[i]);
  purple_request_field_group_add_field (group, kinds);
  purple_request_fields_add_group (fields, group);

  purple_request_fields (plannr_connection_get_pc (conn), _("React to a message"),
                         _("Which message, and which reaction?"), NULL, fields,
                         _("_React"), G_CALLBACK (dialog_ok_cb),
                         _("_Cancel"), G_CALLBACK (dialog_cancel_cb),
                         plannr_connection_get_account (conn), NULL,
                         plannr_notice_window (conn, info->uuid), dialog);
}

typedef struct
{
  PlannrConnection *conn;
  PlannrConvInfo   *info;
} Load;

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;

  if (!plannr_edit_load_recent_finish (load->info, result, &error))
    {
      if (!plannr_error_is_cancelled (error))
        {
          g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);
          g_autofree char *line = g_strdup_printf (_("Could not load the messages: %s"), reason);

          plannr_notice (load->conn, load->info, PURPLE_MESSAGE_ERROR, line);
        }
      g_free (load);
      return;
    }
  show_dialog (load->conn, load->info);
  g_free (load);
}

static void
react_action_cb (PurpleBlistNode *node,
                 gpointer         data)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = plannr_blist_node_info (node, &conn);
  Load *load;

  if (info == NULL)
    return;
  /* A chat never opened knows no messages yet. */
  if (info->history_loaded || !plannr_message_log_is_empty (plannr_conv_info_log (info)))
    {
      show_dialog (conn, info);
      return;
    }
  load = g_new0 (Load, 1);
  load->conn = conn;
  load->info = info;
  plannr_edit_load_recent_async (conn, info, load_cb, load);
}

GList *
plannr_reactions_menu (void)
{
  return g_list_append (NULL, purple_menu_action_new (_("React to a message…"), PURPLE_CALLBACK (react_action_cb),
                                                      NULL, NULL));
}

/* --- the component ------------------------------------------------------- */

static gpointer
reactions_create (PlannrConnection *conn)
{
  Reactions *reactions = g_new0 (Reactions, 1);

  reactions->dialogs = g_ptr_array_new_with_free_func ((GDestroyNotify) dialog_free);
  return reactions;
}

static void
reactions_destroy (gpointer state)
{
  Reactions *reactions = state;

  g_ptr_array_unref (reactions->dialogs);
  g_free (reactions);
}

const PlannrComponent plannr_reactions_component = {
  .name = "reactions",
  .create = reactions_create,
  .destroy = reactions_destroy,
};
