/* plannr-command-table.c: the plugin's chat commands, wherever they are typed
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-chat.h"
#include "plannr-command-table.h"
#include "plannr-notice.h"
#include "plannr-text.h"

typedef struct
{
  char              *name;
  PlannrCommandFunc  func;
  char              *help;
  PurpleCmdId        id;
} Command;

static GPtrArray *table;       /* Command*, in the order added */
static PurpleCmdId help_id;

static void
command_free (Command *command)
{
  purple_cmd_unregister (command->id);
  g_free (command->name);
  g_free (command->help);
  g_free (command);
}

static Command *
lookup (const char *name)
{
  for (guint i = 0; table != NULL && i < table->len; i++)
    {
      Command *command = g_ptr_array_index (table, i);

      if (g_strcmp0 (command->name, name) == 0)
        return command;
    }
  return NULL;
}

/* The conversation of @pconv, when it is an open Plannr chat. */
static PlannrConvInfo *
info_for_conversation (PurpleConversation  *pconv,
                       PlannrConnection   **conn)
{
  *conn = NULL;
  if (purple_conversation_get_type (pconv) != PURPLE_CONV_TYPE_CHAT)
    return NULL;
  *conn = plannr_connection_get (purple_conversation_get_gc (pconv));
  return *conn != NULL ? plannr_chat_info_for_id (*conn, purple_conv_chat_get_id (PURPLE_CONV_CHAT (pconv)))
                       : NULL;
}

/* Every command takes "s": libpurple hands over the rest of the line as
 * plain text (Pidgin's gtk_imhtml_get_text, Finch's entry), never
 * markup, so "<b>Q&A</b>" is meant literally and is not decoded again. */
static PurpleCmdRet
command_cb (PurpleConversation  *pconv,
            const char          *cmd,
            char               **args,
            char               **error,
            void                *data)
{
  Command *command = data;
  PlannrConnection *conn;
  PlannrConvInfo *info = info_for_conversation (pconv, &conn);

  if (info == NULL)
    return PURPLE_CMD_RET_CONTINUE;
  command->func (conn, info, command->name, args != NULL ? args[0] : NULL);
  return PURPLE_CMD_RET_OK;
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* "/attach, /deop, …", in alphabetical order, as /help lists commands. */
static char *
command_list (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *list = g_string_new (NULL);

  for (guint i = 0; table != NULL && i < table->len; i++)
    g_ptr_array_add (names, g_strconcat ("/", ((Command *) g_ptr_array_index (table, i))->name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", (const char *) g_ptr_array_index (names, i));
  return g_string_free (list, FALSE);
}

/* /help alone: the plugin's commands, as a line of their own, before
 * the UI's list of every command it knows. */
static void
show_help (PlannrConnection *conn,
           PlannrConvInfo   *info)
{
  g_autofree char *list = command_list ();
  /* Translators: %s is the list of the plugin's commands ("/attach,
   * /deop, /edit, …"). */
  g_autofree char *line = g_strdup_printf (_("Plannr's commands here: %s. Typing s/old/new/ corrects "
                                             "your latest message. /help COMMAND explains one."),
                                           list);

  plannr_notice (conn, info, PURPLE_MESSAGE_NO_LOG, line);
}

/* /help COMMAND, where no UI explains it (BitlBee). */
static void
explain (PlannrConnection *conn,
         PlannrConvInfo   *info,
         const char       *name)
{
  Command *command = lookup (name[0] == '/' ? name + 1 : name);
  g_autofree char *line = NULL;

  if (command == NULL)
    {
      g_autofree char *list = command_list ();

      line = g_strdup_printf (_("No Plannr command is called “%s”. Plannr's commands here: %s."),
                              name, list);
      plannr_notice (conn, info, PURPLE_MESSAGE_NO_LOG, line);
      return;
    }
  /* The help is markup for libpurple's /help; a notice is plain text. */
  line = purple_unescape_html (command->help);
  plannr_notice (conn, info, PURPLE_MESSAGE_NO_LOG, line);
}

static PurpleCmdRet
help_cb (PurpleConversation  *pconv,
         const char          *cmd,
         char               **args,
         char               **error,
         void                *data)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = info_for_conversation (pconv, &conn);
  g_autofree char *topic = plannr_text_trim (args != NULL ? args[0] : NULL);

  if (info != NULL && topic == NULL)
    show_help (conn, info);
  /* On to the UI's /help, which lists its commands or explains one (the
   * plugin's too: they are registered with their help). */
  return PURPLE_CMD_RET_CONTINUE;
}

void
plannr_command_table_init (void)
{
  if (table == NULL)
    table = g_ptr_array_new_with_free_func ((GDestroyNotify) command_free);
  /* PURPLE_CMD_P_PRPL is above the UI's own /help (PURPLE_CMD_P_DEFAULT):
   * this runs first, then hands on. */
  if (help_id == 0)
    help_id = purple_cmd_register ("help", "s", PURPLE_CMD_P_PRPL,
                                   PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_PRPL_ONLY |
                                   PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS,
                                   PLANNR_PROTOCOL_ID, help_cb, NULL, NULL);
}

void
plannr_command_table_add (const char        *name,
                          PlannrCommandFunc  func,
                          const char        *help)
{
  Command *command = g_new0 (Command, 1);

  g_return_if_fail (table != NULL && lookup (name) == NULL);

  command->name = g_strdup (name);
  command->func = func;
  command->help = g_strdup (help);
  command->id = purple_cmd_register (name, "s", PURPLE_CMD_P_PRPL,
                                     PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_PRPL_ONLY |
                                     PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS,
                                     PLANNR_PROTOCOL_ID, command_cb, help, command);
  g_ptr_array_add (table, command);
}

void
plannr_command_table_clear (void)
{
  g_clear_pointer (&table, g_ptr_array_unref);
  if (help_id != 0)
    purple_cmd_unregister (help_id);
  help_id = 0;
}

gboolean
plannr_command_table_run_text (PlannrConnection *conn,
                               PlannrConvInfo   *info,
                               const char       *text)
{
  g_autofree char *name = NULL;
  g_autofree char *topic = NULL;
  const char *args;
  Command *command;

  if (!plannr_text_split_command (text, &name, &args))
    return FALSE;
  if (g_strcmp0 (name, "help") == 0)
    {
      topic = plannr_text_trim (args);
      if (topic == NULL)
        show_help (conn, info);
      else
        explain (conn, info, topic);
      return TRUE;
    }
  command = lookup (name);
  if (command == NULL)
    return FALSE;
  command->func (conn, info, command->name, args);
  return TRUE;
}
