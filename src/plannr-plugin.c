/* plannr-plugin.c: the libpurple protocol plugin "Plannr"
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
#include "plannr-connection.h"
#include "plannr-create.h"
#include "plannr-edit-dialog.h"
#include "plannr-file-save.h"
#include "plannr-file-xfer.h"
#include "plannr-files.h"
#include "plannr-inbox.h"
#include "plannr-info.h"
#include "plannr-join.h"
#include "plannr-membership.h"
#include "plannr-names.h"
#include "plannr-participants.h"
#include "plannr-people.h"
#include "plannr-reaction-watch.h"
#include "plannr-reactions.h"
#include "plannr-rename.h"
#include "plannr-roomlist.h"
#include "plannr-seen.h"
#include "plannr-send.h"
#include "plannr-signin.h"
#include "plannr-window.h"

static guint log_handler;

/* Pidgin 2 loads a protocol's icons from its own data dir only,
 * PLANNR_PIDGIN_PROTOCOL_ICONS/{16,22,48}/NAME.png with NAME from here
 * (pidgin_create_prpl_icon), and hands a missing file's NULL pixbuf on to
 * GTK: some hundred criticals a session.  Our icons are there when the
 * package or a --prefix=/usr install put them there; for a plugin copied
 * to ~/.purple/plugins alone, name an icon every Pidgin ships in all three
 * sizes: "irc", two speech bubbles, the least specific of them.  Finch
 * and other clients do not read the name. */
static const char *
plannr_list_icon (PurpleAccount *account,
                  PurpleBuddy   *buddy)
{
  static int own_icons = -1;

  if (own_icons < 0)
    {
      static const char *const sizes[] = { "16", "22", "48" };

      own_icons = TRUE;
      for (size_t i = 0; i < G_N_ELEMENTS (sizes); i++)
        {
          g_autofree char *path = g_build_filename (PLANNR_PIDGIN_PROTOCOL_ICONS, sizes[i],
                                                    "plannr.png", NULL);

          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            own_icons = FALSE;
        }
    }
  return own_icons ? "plannr" : "irc";
}

static GList *
plannr_status_types (PurpleAccount *account)
{
  GList *types = NULL;

  types = g_list_append (types, purple_status_type_new_full (PURPLE_STATUS_AVAILABLE, NULL, NULL,
                                                             TRUE, TRUE, FALSE));
  /* Plannr has no presence to set; away only slows polling down. */
  types = g_list_append (types, purple_status_type_new_full (PURPLE_STATUS_AWAY, NULL, NULL,
                                                             TRUE, TRUE, FALSE));
  types = g_list_append (types, purple_status_type_new_full (PURPLE_STATUS_OFFLINE, NULL, NULL,
                                                             TRUE, TRUE, FALSE));
  return types;
}

/* The parts with state of their own per account, in the order they
 * are made and started (stopped and freed in the reverse one): what
 * others use comes first. */
static const PlannrComponent * const components[] = {
  &plannr_window_component,
  &plannr_blist_component,
  &plannr_seen_component,
  &plannr_roomlist_component,
  &plannr_names_component,
  &plannr_participants_component,
  &plannr_reaction_watch_component,
  &plannr_chat_component,
  &plannr_send_component,
  &plannr_inbox_component,
  &plannr_signin_component,
  &plannr_rename_component,
  &plannr_edit_dialog_component,
  &plannr_file_xfer_component,
  &plannr_file_save_component,
  &plannr_files_component,
  &plannr_reactions_component,
  &plannr_commands_component,
  &plannr_people_component,
  &plannr_membership_component,
  &plannr_create_component,
  NULL
};

static void
plannr_login (PurpleAccount *account)
{
  plannr_connection_login (account, components);
}

static void
plannr_close (PurpleConnection *pc)
{
  plannr_connection_close (pc);
}

/* libpurple reports the user idle (idletime > 0) or back (0). */
static void
plannr_set_idle (PurpleConnection *pc,
                 int               idletime)
{
  PlannrConnection *conn = plannr_connection_get (pc);

  if (conn != NULL)
    plannr_connection_presence_changed (conn);
}

static void
plannr_set_status (PurpleAccount *account,
                   PurpleStatus  *status)
{
  PlannrConnection *conn = plannr_connection_for_account (account);

  if (conn != NULL)
    plannr_connection_presence_changed (conn);
}

/* Lower layers log with g_debug (no libpurple there); Pidgin's debug
 * window shows purple_debug output only, so forward it. */
static void
forward_log_cb (const char     *domain,
                GLogLevelFlags  level,
                const char     *message,
                gpointer        user_data)
{
  purple_debug_misc ("plannr", "%s\n", message);
}

static gboolean
plugin_load (PurplePlugin *plugin)
{
  /* /help first: the table lists the commands added after it. */
  plannr_command_table_init ();
  plannr_commands_register (plugin);
  plannr_people_register (plugin);
  plannr_membership_register (plugin);
  plannr_files_register (plugin);
  plannr_reactions_register (plugin);
  log_handler = g_log_set_handler (G_LOG_DOMAIN,
                                   G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE,
                                   forward_log_cb, NULL);
  return TRUE;
}

static gboolean
plugin_unload (PurplePlugin *plugin)
{
  plannr_command_table_clear ();
  plannr_files_unregister (plugin);
  if (log_handler != 0)
    g_log_remove_handler (G_LOG_DOMAIN, log_handler);
  log_handler = 0;
  return TRUE;
}

static PurplePluginProtocolInfo prpl_info = {
  /* Chats have topics: Pidgin then offers its editable topic box. */
  .options = OPT_PROTO_CHAT_TOPIC,
  .icon_spec = NO_BUDDY_ICONS,
  .list_icon = plannr_list_icon,
  .status_types = plannr_status_types,
  .blist_node_menu = plannr_commands_blist_menu,
  .chat_info = plannr_join_chat_info,
  .chat_info_defaults = plannr_join_info_defaults,
  .login = plannr_login,
  .close = plannr_close,
  .set_status = plannr_set_status,
  .set_idle = plannr_set_idle,
  .join_chat = plannr_join,
  .get_chat_name = plannr_join_get_name,
  .chat_invite = plannr_membership_chat_invite,
  .chat_leave = plannr_chat_leave,
  .chat_send = plannr_commands_chat_send,
  .set_chat_topic = plannr_commands_set_topic,
  .roomlist_get_list = plannr_roomlist_get_list,
  .roomlist_cancel = plannr_roomlist_cancel,
  .find_blist_chat = plannr_blist_find_chat,
  .get_info = plannr_info_get_info,
  .get_cb_real_name = plannr_info_get_cb_real_name,
  .struct_size = sizeof (PurplePluginProtocolInfo),
};

/* The account's actions (Pidgin: Accounts > ACCOUNT; Finch: the buddy
 * list's Accounts menu). */
static GList *
plannr_actions (PurplePlugin *plugin,
                gpointer      context)
{
  GList *actions = NULL;

  actions = g_list_append (actions, plannr_people_action ());
  actions = g_list_append (actions, plannr_create_action ());
  return actions;
}

static PurplePluginInfo info = {
  .magic = PURPLE_PLUGIN_MAGIC,
  .major_version = PURPLE_MAJOR_VERSION,
  .minor_version = PURPLE_MINOR_VERSION,
  .type = PURPLE_PLUGIN_PROTOCOL,
  .priority = PURPLE_PRIORITY_DEFAULT,
  .id = PLANNR_PROTOCOL_ID,
  .name = "Plannr",
  .version = PACKAGE_VERSION,
  .homepage = "https://github.com/purple-plannr/purple-plannr",
  .load = plugin_load,
  .unload = plugin_unload,
  .extra_info = &prpl_info,
  .actions = plannr_actions,
};

static void
add_string_option (const char *label,
                   const char *key,
                   const char *value)
{
  prpl_info.protocol_options = g_list_append (prpl_info.protocol_options,
                                              purple_account_option_string_new (label, key, value));
}

static void
add_int_option (const char *label,
                const char *key,
                int         value)
{
  prpl_info.protocol_options = g_list_append (prpl_info.protocol_options,
                                              purple_account_option_int_new (label, key, value));
}

static void
init_plugin (PurplePlugin *plugin)
{
  /* Our strings live in our own domain, not libpurple's. */
  /* PLANNR_LOCALEDIR lets the test suite use the translations in the
   * build tree. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PLANNR_LOCALEDIR") ? g_getenv ("PLANNR_LOCALEDIR")
                                                                 : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  info.summary = _("Plannr CRM conversations as chats");
  info.description = _("Brings the conversations of Plannr CRM into Pidgin and Finch: "
                       "read and answer them, start new ones with colleagues and clients, "
                       "choose who takes part, rename conversations, edit your messages, "
                       "send and save files and react to messages.");
  info.author = _("The purple-plannr developers");

  add_string_option (_("Server address"), PLANNR_SETTING_BASE_URL, PLANNR_DEFAULT_BASE_URL);
  add_string_option (_("Account uuid (empty: found automatically)"), PLANNR_SETTING_ACCOUNT_UUID, "");
  add_string_option (_("Buddy list group"), PLANNR_SETTING_GROUP, PLANNR_DEFAULT_GROUP);
  add_int_option (_("Days of activity to list conversations (0: all)"), PLANNR_SETTING_BLIST_DAYS,
                  PLANNR_DEFAULT_BLIST_DAYS);
  add_int_option (_("Messages of history when joining"), PLANNR_SETTING_HISTORY_COUNT,
                  PLANNR_DEFAULT_HISTORY_COUNT);
  prpl_info.protocol_options = g_list_append (prpl_info.protocol_options,
                                              purple_account_option_bool_new (_("Open a conversation when a message arrives"),
                                                                              PLANNR_SETTING_OPEN_ON_MESSAGE, TRUE));
  add_int_option (_("Seconds between checks for new messages (while you are active)"),
                  PLANNR_SETTING_POLL_INTERVAL, PLANNR_DEFAULT_POLL_INTERVAL);
  add_int_option (_("Seconds between re-reads of an open conversation, for edits"),
                  PLANNR_SETTING_CHAT_POLL_INTERVAL, PLANNR_DEFAULT_CHAT_POLL_INTERVAL);
  add_int_option (_("Largest file to send, in MiB"), PLANNR_SETTING_MAX_FILE_MIB,
                  PLANNR_DEFAULT_MAX_FILE_MIB);
}

PURPLE_INIT_PLUGIN (plannr, init_plugin, info)
