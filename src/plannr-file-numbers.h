/* plannr-file-numbers.h: the numbers of the files a chat window shows
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "/save 3" means the file shown as "File 3: …" in that window, so the
 * numbers (a PlannrFileIndex) live with the window: they outlast a
 * reconnect, which keeps the window and its lines, and go when it
 * closes, with the lines they name.
 */
#pragma once

#include <purple.h>

#include "plannr-connection.h"
#include "plannr-file-index.h"

G_BEGIN_DECLS

/* At plugin unload: every window forgets its numbers. */
void             plannr_file_numbers_unregister (PurplePlugin       *plugin);

/* The numbers of the files of @message as the open chat @uuid shows
 * them (newly numbered when first shown), or NULL when no window is
 * open. */
GArray          *plannr_file_numbers_add        (PlannrConnection    *conn,
                                                 const char          *uuid,
                                                 const PlannrMessage *message);
/* The window's index, or NULL when it has shown no file. */
PlannrFileIndex *plannr_file_numbers_get        (PurpleConversation  *pconv);

G_END_DECLS
