/* plannr-files.h: sending and saving files
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "Send a file…" (the chat's buddy-list menu, which Pidgin also shows
 * under Conversation → More) and "/attach PATH [TEXT]" send a file as
 * a new message (M3); "Save a file…" and "/save N" save one the chat
 * shows as "File N: …" to a path the user chooses.  Both show in the
 * client's file-transfer window (plannr-file-xfer.h), where they can be
 * cancelled.  A file is checked before anything is sent: one that is
 * missing, unreadable, a folder or larger than the account's limit is
 * refused with a line in the chat that names it, and any text that was
 * to go with it is repeated there.
 */
#pragma once

#include <purple.h>

#include "plannr-connection.h"

G_BEGIN_DECLS

/* The account setting: the largest file to send, in MiB. */
#define PLANNR_SETTING_MAX_FILE_MIB "max-file-mib"
#define PLANNR_DEFAULT_MAX_FILE_MIB 50
#define PLANNR_MAX_FILE_MIB_LIMIT   2048

extern const PlannrComponent plannr_files_component;

/* /attach and /save, for the plugin's lifetime. */
void   plannr_files_register   (PurplePlugin     *plugin);
void   plannr_files_unregister (PurplePlugin     *plugin);

/* "Send a file…" and "Save a file…" for a chat's buddy-list menu. */
GList *plannr_files_menu       (void);

/* Sends the file at @path (a "~/" is the home folder; relative to it
 * otherwise) with @text (NULL: none) to @info. */
void   plannr_files_send       (PlannrConnection *conn,
                                PlannrConvInfo   *info,
                                const char       *path,
                                const char       *text);

G_END_DECLS
