/* plannr-edit-dialog.h: "Edit a message…"
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Two steps through purple_request_fields (a dialog in Pidgin and in
 * Finch): pick one of my recent messages, then change its text, which
 * starts from what the server holds when it is picked.  A save is
 * refused, with the typed text shown, when the message was changed
 * elsewhere while the dialog was open.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_edit_dialog_component;

void plannr_edit_dialog_show (PlannrConnection *conn,
                              PlannrConvInfo   *info);

G_END_DECLS
