/* plannr-file-save.h: saving a file a chat shows
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A file is saved by the number its chat shows beside it ("File 3: …",
 * plannr-file-numbers.h), to a path the user chooses in the client's
 * file chooser, which offers the file's name made safe: the server's
 * name never picks the folder.  The link is read afresh from the
 * message first (signed storage links expire), and the bytes go to the
 * chosen path and nowhere else, through the transfer window.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Files "Save a file…" offers. */
#define PLANNR_FILES_DIALOG_FILES 30

extern const PlannrComponent plannr_file_save_component;

/* "/save N": @args is what followed the command. */
void plannr_file_save_number (PlannrConnection *conn,
                              PlannrConvInfo   *info,
                              const char       *args);
/* "Save a file…": the files the chat shows, newest first, then where. */
void plannr_file_save_dialog (PlannrConnection *conn,
                              PlannrConvInfo   *info);

G_END_DECLS
