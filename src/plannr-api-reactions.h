/* plannr-api-reactions.h: reacting to a message (M6)
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "plannr-api.h"

G_BEGIN_DECLS

/* The reactions Plannr knows, in the order the plugin offers them. */
extern const char * const plannr_reaction_kinds[];

/* Whether @kind is one of plannr_reaction_kinds (exactly, lower case). */
gboolean       plannr_reaction_kind_is_valid (const char          *kind);

/* POST /api/v1/reaction {"reactable_type": "message", "reactable_uuid",
 * "reaction"}.  The message with its reactions, or
 * PLANNR_ERROR_ACCEPTED when the server answered without it. */
void           plannr_api_react_async        (PlannrApi           *self,
                                              const char          *message_uuid,
                                              const char          *reaction,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
PlannrMessage *plannr_api_react_finish       (PlannrApi           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
