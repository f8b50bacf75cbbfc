/* plannr-rename.h: renaming a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every entry point (the topic box, /rename, /topic, the buddy-list
 * alias, the menu's dialog) ends here, in exactly one
 * PUT /api/v1/conversation/{uuid} {"name"}.  One rename at a time per
 * conversation: the name asked for last is the one the server keeps.
 * A failure puts the old name back and says why.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_rename_component;

/* Renames to @name (plain text; trimmed here).  Empty or over-long
 * names are refused with a message, an unchanged one sends nothing. */
void plannr_rename        (PlannrConnection *conn,
                           PlannrConvInfo   *info,
                           const char       *name);
/* Asks for the new name, prefilled with the old one. */
void plannr_rename_dialog (PlannrConnection *conn,
                           PlannrConvInfo   *info);

G_END_DECLS
