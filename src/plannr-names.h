/* plannr-names.h: a conversation's name, wherever it shows
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The name shows as the buddy-list alias (and the chat's "name"
 * component), the open chat's title and topic, and in a room list being
 * filled.  Whoever changes it (a rename, the server) shows it here.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_names_component;

/* Shows @info->name everywhere. */
void     plannr_names_show      (PlannrConnection *conn,
                                 PlannrConvInfo   *info);
/* TRUE while the plugin sets an alias itself: a "blist-node-aliased"
 * signal then is not the user's rename. */
gboolean plannr_names_applying  (PlannrConnection *conn);

G_END_DECLS
