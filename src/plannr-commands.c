/* plannr-commands.c: the user's entry points in Pidgin and Finch
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-blist.h"
#include "plannr-chat.h"
#include "plannr-command-table.h"
#include "plannr-commands.h"
#include "plannr-edit.h"
#include "plannr-edit-dialog.h"
#include "plannr-files.h"
#include "plannr-membership.h"
#include "plannr-names.h"
#include "plannr-notice.h"
#include "plannr-reactions.h"
#include "plannr-rename.h"
#include "plannr-send.h"
#include "plannr-text.h"

/* The conversation of the open chat @id of @pc, and its connection. */
static PlannrConvInfo *
info_for_chat (PurpleConnection  *pc,
               int                id,
               PlannrConnection **conn)
{
  *conn = plannr_connection_get (pc);
  return *conn != NULL ? plannr_chat_info_for_id (*conn, id) : NULL;
}

/* --- the commands ------------------------------------------------------------- */

static void
rename_command (PlannrConnection *conn,
                PlannrConvInfo   *info,
                const char       *name,
                const char       *args)
{
  plannr_rename (conn, info, args);
}

/* /topic alone says the name; with a name, it renames. */
static void
topic_command (PlannrConnection *conn,
               PlannrConvInfo   *info,
               const char       *name,
               const char       *args)
{
  g_autofree char *trimmed = plannr_text_trim (args);

  if (trimmed == NULL)
    {
      g_autofree char *line = g_strdup_printf (_("This conversation is called “%s”."), info->name);

      plannr_notice (conn, info, PURPLE_MESSAGE_NO_LOG, line);
    }
  else
    plannr_rename (conn, info, trimmed);
}

static void
edit_command (PlannrConnection *conn,
              PlannrConvInfo   *info,
              const char       *name,
              const char       *args)
{
  plannr_edit_command (conn, info, args);
}

void
plannr_commands_register (PurplePlugin *plugin)
{
  plannr_command_table_add ("rename", rename_command,
                            _("rename &lt;new name&gt;: rename this conversation for every participant."));
  plannr_command_table_add ("topic", topic_command,
                            _("topic [&lt;new name&gt;]: without a name, show the conversation's name; "
                              "with one, rename the conversation."));
  plannr_command_table_add ("edit", edit_command,
                            _("edit [HH:MM] &lt;new text&gt;: replace the text of your latest message, or of "
                              "your message from that time. Typing s/old/new/ (or s/old/new/g) as a message "
                              "replaces text in your latest message that contains it."));
}

/* --- typed in the chat ------------------------------------------------------ */

int
plannr_commands_chat_send (PurpleConnection   *pc,
                           int                 id,
                           const char         *message,
                           PurpleMessageFlags  flags)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = info_for_chat (pc, id, &conn);
  g_autofree char *text = NULL;
  g_autofree char *trimmed = NULL;

  if (info == NULL)
    return -EINVAL;

  text = plannr_text_from_html (message);

  /* The plugin's commands, when the UI ran no libpurple commands:
   * BitlBee hands every line of an IRC channel to purple_conv_chat_send
   * (HTML-escaped), so "/invite x" would be posted for everyone to read.
   * Recognising them here is safe in every UI.  In Pidgin and Finch such
   * a line never gets here: libpurple runs it as the command first
   * (purple_cmd_do_command takes the word up to the first space, case
   * and all, as plannr_text_split_command does), and passes a line on as
   * text only when its first word is no command ("/Rename", "/renamed"),
   * which is no command of the table either.  What can still get here
   * is a line sent as text on purpose ("/say /rename x"); it runs rather
   * than being posted, which errs on the safe side.  A line that starts
   * with a space is never a command: that is how to post one that looks
   * like it. */
  if (plannr_command_table_run_text (conn, info, text))
    return 0;

  trimmed = plannr_text_trim (text);
  if (trimmed == NULL)
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, _("Empty messages are not sent."));
      return 0;
    }

  if (plannr_edit_try_substitution (conn, info, trimmed))
    return 0;

  if (g_utf8_strlen (text, -1) > PLANNR_MAX_MESSAGE_CHARS)
    {
      g_autofree char *line = g_strdup_printf (_("Your message is longer than %d characters and was not sent: %s"),
                                               PLANNR_MAX_MESSAGE_CHARS, text);

      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
      return 0;
    }

  /* Someone is writing: look for answers at the fast pace. */
  plannr_connection_user_active (conn);
  /* Plannr keeps leading spaces out of it; send what the user sees. */
  plannr_send_text (conn, info, trimmed);
  return 0;
}

/* --- the topic box, the buddy list ------------------------------------------- */

void
plannr_commands_set_topic (PurpleConnection *pc,
                           int               id,
                           const char       *topic)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = info_for_chat (pc, id, &conn);

  /* Pidgin's topic box is a plain GtkEntry: its text is the name as
   * typed, not markup ("<b>Q&A</b>" means just that). */
  if (info != NULL)
    plannr_rename (conn, info, topic);
}

static void
rename_action_cb (PurpleBlistNode *node,
                  gpointer         data)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = plannr_blist_node_info (node, &conn);

  if (info != NULL)
    plannr_rename_dialog (conn, info);
}

static void
edit_action_cb (PurpleBlistNode *node,
                gpointer         data)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = plannr_blist_node_info (node, &conn);

  if (info != NULL)
    plannr_edit_dialog_show (conn, info);
}

GList *
plannr_commands_blist_menu (PurpleBlistNode *node)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = plannr_blist_node_info (node, &conn);
  GList *actions = NULL;

  if (info == NULL)
    return NULL;

  actions = g_list_append (actions, purple_menu_action_new (_("Rename conversation…"),
                                                            PURPLE_CALLBACK (rename_action_cb),
                                                            NULL, NULL));
  actions = g_list_append (actions, purple_menu_action_new (_("Edit a message…"),
                                                            PURPLE_CALLBACK (edit_action_cb),
                                                            NULL, NULL));
  actions = g_list_concat (actions, plannr_files_menu ());
  actions = g_list_concat (actions, plannr_reactions_menu ());
  actions = g_list_concat (actions, plannr_membership_blist_menu (conn, info));
  return actions;
}

/* The user renamed a buddy-list chat (Alias). */
static void
chat_aliased_cb (PurpleBlistNode *node,
                 const char      *old_alias,
                 gpointer         data)
{
  /* Each signed-in account connects this once: only its own chats. */
  PlannrConnection *conn = data;
  const char *uuid = plannr_blist_node_uuid (node, plannr_connection_get_account (conn));
  PlannrConvInfo *info;

  if (uuid == NULL || !PURPLE_CONNECTION_IS_CONNECTED (plannr_connection_get_pc (conn)))
    return;
  /* Names the plugin applies from the server never become a PUT. */
  if (plannr_names_applying (conn))
    return;
  info = plannr_conv_list_lookup (plannr_connection_get_convs (conn), uuid);
  if (info != NULL)
    plannr_rename (conn, info, PURPLE_CHAT (node)->alias);
}

/* --- the component ------------------------------------------------------- */

/* Not at plugin load: libpurple loads protocol plugins before the buddy
 * list registers its signals. */
static gpointer
commands_create (PlannrConnection *conn)
{
  purple_signal_connect (purple_blist_get_handle (), "blist-node-aliased", conn,
                         PURPLE_CALLBACK (chat_aliased_cb), conn);
  return conn;
}

static void
commands_destroy (gpointer state)
{
  purple_signals_disconnect_by_handle (state);
}

const PlannrComponent plannr_commands_component = {
  .name = "commands",
  .create = commands_create,
  .destroy = commands_destroy,
};
