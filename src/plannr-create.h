/* plannr-create.h: starting a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "New conversation…" (an account action, and the search results'
 * "Start a conversation") asks for a name and the people, by name or
 * e-mail address; each is looked up before anything is sent, and a name
 * that fits several people or nobody is explained in the dialog, shown
 * again.  Then one POST /api/v1/conversation, and the chat opens.
 * "Join a Chat" with a name that no conversation has offers to create
 * one of that name.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* The open dialogs and creations on their way, per account. */
extern const PlannrComponent plannr_create_component;

/* "New conversation…" for the account's actions. */
PurplePluginAction *plannr_create_action (void);

/* The dialog, with @person (may be NULL) among the people already. */
void                plannr_create_dialog (PlannrConnection   *conn,
                                          const PlannrPerson *person);
/* "Join a Chat" found no conversation named @name: asks whether to
 * create one.  FALSE when the client cannot ask (the caller then says
 * that there is none); @components are the join's, copied. */
gboolean            plannr_create_offer  (PlannrConnection   *conn,
                                          const char         *name,
                                          GHashTable         *components);

G_END_DECLS
