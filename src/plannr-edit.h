/* plannr-edit.h: renaming conversations and editing messages
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every entry point (topic, commands, buddy-list alias, menu actions)
 * ends here, in exactly one PUT each.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* My messages offered by the edit dialog, and loaded on demand. */
#define PLANNR_EDIT_DIALOG_MESSAGES 20
#define PLANNR_EDIT_LOAD_PAGE 200

/* Renames to @name (plain text; trimmed here).  Empty or over-long
 * names are refused with a message, an unchanged one sends nothing. */
void     plannr_rename                  (PlannrConv *conv,
                                         const char *name);
void     plannr_rename_dialog           (PlannrConv *conv);

/* "/edit TEXT" or "/edit HH:MM[:SS] TEXT" (plain text). */
void     plannr_edit_command            (PlannrConv *conv,
                                         const char *args);
/* Handles "s/old/new/[g]" typed as a message; FALSE if @text is not
 * of that form (then it is an ordinary message). */
gboolean plannr_edit_try_substitution   (PlannrConv *conv,
                                         const char *text);
void     plannr_edit_dialog             (PlannrConv *conv);

G_END_DECLS
