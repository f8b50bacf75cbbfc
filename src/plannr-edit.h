/* plannr-edit.h: editing the user's messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every entry point (/edit, /edit HH:MM, s/old/new/ typed as a message,
 * the "Edit a message…" dialog) ends here, in exactly one
 * PUT /api/v1/conversation/{cuuid}/messages/{uuid} {"contents"}.  Edits
 * of a conversation run one at a time, after the messages sent before
 * them have their uuids; new text made from old text starts from what
 * the server holds (read with GET …/messages/{uuid} first).
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* My messages offered by the edit dialog, and loaded on demand. */
#define PLANNR_EDIT_DIALOG_MESSAGES 20
#define PLANNR_EDIT_LOAD_PAGE 200
/* Pages read at most for that (a server may hold fewer per page). */
#define PLANNR_EDIT_LOAD_MAX_PAGES 20

/* "/edit TEXT" or "/edit HH:MM[:SS] TEXT" (plain text). */
void     plannr_edit_command          (PlannrConnection *conn,
                                       PlannrConvInfo   *info,
                                       const char       *args);
/* Handles "s/old/new/[g]" typed as a message; FALSE if @text is not
 * of that form (then it is an ordinary message). */
gboolean plannr_edit_try_substitution (PlannrConnection *conn,
                                       PlannrConvInfo   *info,
                                       const char       *text);
/* The message @uuid gets @text, unless the server's text is no longer
 * @expected (it was edited elsewhere meanwhile). */
void     plannr_edit_message          (PlannrConnection *conn,
                                       PlannrConvInfo   *info,
                                       const char       *uuid,
                                       const char       *expected,
                                       const char       *text);
/* Reads @info's recent messages into its log (known, not shown), so
 * that older messages of mine can be found. */
void     plannr_edit_load_recent_async  (PlannrConnection    *conn,
                                         PlannrConvInfo      *info,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean plannr_edit_load_recent_finish (PlannrConvInfo      *info,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
