/* plannr-command-table.h: the plugin's chat commands, wherever they are typed
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each /command of the plugin is added here, once.  The table registers
 * it with libpurple, for Pidgin and Finch, which run a command line
 * before it reaches the plugin as text; and it runs the command from a
 * chat's text when the UI runs no libpurple commands (BitlBee hands
 * every line of an IRC channel to chat_send).  Either way the command
 * gets the chat's conversation and the rest of the line as plain text.
 * The table also answers /help in a Plannr chat: the plugin's commands
 * first, then the UI's own list.
 */
#pragma once

#include <purple.h>

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Runs the command @name in @info's open chat; @args is the rest of the
 * line after the first space, plain text, or NULL. */
typedef void (*PlannrCommandFunc) (PlannrConnection *conn,
                                   PlannrConvInfo   *info,
                                   const char       *name,
                                   const char       *args);

/* /help first, then the commands; cleared when the plugin unloads. */
void     plannr_command_table_init     (void);
/* Adds /@name, explained by @help (markup, as libpurple shows it). */
void     plannr_command_table_add      (const char        *name,
                                        PlannrCommandFunc  func,
                                        const char        *help);
void     plannr_command_table_clear    (void);
/* Runs @text (plain, as sent) if it is one of the table's command lines
 * (plannr_text_split_command()); FALSE when it is not one. */
gboolean plannr_command_table_run_text (PlannrConnection *conn,
                                        PlannrConvInfo   *info,
                                        const char       *text);

G_END_DECLS
