/* plannr-commands.c: the user's entry points in Pidgin and Finch
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-chats.h"
#include "plannr-commands.h"
#include "plannr-edit.h"
#include "plannr-text.h"

static GSList *commands;

static PlannrConv *
conv_for (PurpleConversation *pconv)
{
  PurpleConnection *pc = purple_conversation_get_gc (pconv);
  PlannrConnection *conn;

  if (pc == NULL || purple_conversation_get_type (pconv) != PURPLE_CONV_TYPE_CHAT)
    return NULL;
  conn = plannr_connection_get (pc);
  if (conn == NULL)
    return NULL;
  return plannr_chats_find_by_id (conn, purple_conv_chat_get_id (PURPLE_CONV_CHAT (pconv)));
}

/* The commands take "s": libpurple hands over the rest of the line as
 * plain text (Pidgin's gtk_imhtml_get_text, Finch's entry), never markup,
 * so "<b>Q&A</b>" is meant literally and must not be decoded again. */
static char *
plain_args (char **args)
{
  return args != NULL && args[0] != NULL ? g_strdup (args[0]) : NULL;
}

static PurpleCmdRet
rename_cmd_cb (PurpleConversation  *pconv,
               const char          *cmd,
               char               **args,
               char               **error,
               void                *data)
{
  PlannrConv *conv = conv_for (pconv);
  g_autofree char *name = plain_args (args);

  if (conv == NULL)
    return PURPLE_CMD_RET_CONTINUE;
  plannr_rename (conv, name);
  return PURPLE_CMD_RET_OK;
}

static PurpleCmdRet
topic_cmd_cb (PurpleConversation  *pconv,
              const char          *cmd,
              char               **args,
              char               **error,
              void                *data)
{
  PlannrConv *conv = conv_for (pconv);
  g_autofree char *name = plain_args (args);
  g_autofree char *trimmed = plannr_text_trim (name);

  if (conv == NULL)
    return PURPLE_CMD_RET_CONTINUE;

  if (trimmed == NULL)
    {
      g_autofree char *line = g_strdup_printf (_("This conversation is called “%s”."), conv->name);

      plannr_conv_notice (conv, PURPLE_MESSAGE_NO_LOG, line);
      return PURPLE_CMD_RET_OK;
    }
  plannr_rename (conv, trimmed);
  return PURPLE_CMD_RET_OK;
}

static PurpleCmdRet
edit_cmd_cb (PurpleConversation  *pconv,
             const char          *cmd,
             char               **args,
             char               **error,
             void                *data)
{
  PlannrConv *conv = conv_for (pconv);
  g_autofree char *text = plain_args (args);

  if (conv == NULL)
    return PURPLE_CMD_RET_CONTINUE;
  plannr_edit_command (conv, text);
  return PURPLE_CMD_RET_OK;
}

static void
add_command (const char   *name,
             PurpleCmdFunc func,
             const char   *help)
{
  PurpleCmdId id = purple_cmd_register (name, "s", PURPLE_CMD_P_PRPL,
                                        PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_PRPL_ONLY |
                                        PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS,
                                        PLANNR_PROTOCOL_ID, func, help, NULL);

  commands = g_slist_prepend (commands, GUINT_TO_POINTER (id));
}

static void
chat_aliased_cb (PurpleBlistNode *node,
                 const char      *old_alias,
                 gpointer         data)
{
  /* Each signed-in account connects this once: only its own chats. */
  PlannrConnection *conn = data;
  PurpleChat *chat;
  PlannrConv *conv;
  const char *uuid;

  if (!PURPLE_BLIST_NODE_IS_CHAT (node))
    return;
  chat = PURPLE_CHAT (node);
  if (purple_chat_get_account (chat) != conn->account ||
      !PURPLE_CONNECTION_IS_CONNECTED (conn->pc))
    return;
  /* Names the plugin applies from the server never become a PUT. */
  if (conn == NULL || conn->applying_name)
    return;
  uuid = g_hash_table_lookup (purple_chat_get_components (chat), "uuid");
  conv = plannr_chats_find (conn, uuid);
  if (conv == NULL)
    return;

  plannr_rename (conv, chat->alias);
}

/* The conversation of a buddy-list chat node, looked up afresh: a menu
 * may stay open while the account disconnects and reconnects, so the
 * menu holds no pointer to it. */
static PlannrConv *
conv_for_node (PurpleBlistNode *node)
{
  PurpleChat *chat;
  PurpleConnection *pc;
  PlannrConnection *conn;

  if (node == NULL || !PURPLE_BLIST_NODE_IS_CHAT (node))
    return NULL;
  chat = PURPLE_CHAT (node);
  pc = purple_account_get_connection (purple_chat_get_account (chat));
  if (pc == NULL || !PURPLE_CONNECTION_IS_CONNECTED (pc) ||
      (conn = plannr_connection_get (pc)) == NULL)
    return NULL;
  return plannr_chats_find (conn, g_hash_table_lookup (purple_chat_get_components (chat), "uuid"));
}

static void
rename_action_cb (PurpleBlistNode *node,
                  gpointer         data)
{
  PlannrConv *conv = conv_for_node (node);

  if (conv != NULL)
    plannr_rename_dialog (conv);
}

static void
edit_action_cb (PurpleBlistNode *node,
                gpointer         data)
{
  PlannrConv *conv = conv_for_node (node);

  if (conv != NULL)
    plannr_edit_dialog (conv);
}

GList *
plannr_blist_node_menu (PurpleBlistNode *node)
{
  GList *actions = NULL;

  if (conv_for_node (node) == NULL)
    return NULL;

  actions = g_list_append (actions, purple_menu_action_new (_("Rename conversation…"),
                                                            PURPLE_CALLBACK (rename_action_cb),
                                                            NULL, NULL));
  actions = g_list_append (actions, purple_menu_action_new (_("Edit a message…"),
                                                            PURPLE_CALLBACK (edit_action_cb),
                                                            NULL, NULL));
  return actions;
}

void
plannr_set_chat_topic (PurpleConnection *pc,
                       int               id,
                       const char       *topic)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  PlannrConv *conv = conn ? plannr_chats_find_by_id (conn, id) : NULL;

  if (conv == NULL)
    return;
  /* Pidgin's topic box is a plain GtkEntry: its text is the name as
   * typed, not markup ("<b>Q&A</b>" means just that). */
  plannr_rename (conv, topic);
}

void
plannr_commands_register (PurplePlugin *plugin)
{
  add_command ("rename", rename_cmd_cb,
               _("rename &lt;new name&gt;: rename this conversation for every participant."));
  add_command ("topic", topic_cmd_cb,
               _("topic [&lt;new name&gt;]: without a name, show the conversation's name; "
                 "with one, rename the conversation."));
  add_command ("edit", edit_cmd_cb,
               _("edit [HH:MM] &lt;new text&gt;: replace the text of your latest message, or of "
                 "your message from that time. Typing s/old/new/ (or s/old/new/g) as a message "
                 "replaces text in your latest message that contains it."));
}

/* Not at plugin load: libpurple loads protocol plugins before the buddy
 * list registers its signals. */
void
plannr_commands_connect_signals (gpointer handle)
{
  purple_signal_connect (purple_blist_get_handle (), "blist-node-aliased", handle,
                         PURPLE_CALLBACK (chat_aliased_cb), handle);
}

void
plannr_commands_unregister (PurplePlugin *plugin)
{
  for (GSList *l = commands; l != NULL; l = l->next)
    purple_cmd_unregister (GPOINTER_TO_UINT (l->data));
  g_clear_pointer (&commands, g_slist_free);
}
