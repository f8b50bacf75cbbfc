/* plannr-membership.h: who takes part in a conversation, changed by the user
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Inviting (Pidgin's "Invite…", which is the prpl's chat_invite, and
 * /invite NAME|E-MAIL), removing (/kick NAME, confirmed in a dialog
 * where the client can show one), leaving ("Leave conversation…",
 * /leave, confirmed: only an admin can add you back), making admins
 * (/op, /deop) and pinning (/pin, /unpin, "Pin"/"Unpin" on the buddy
 * list).  Each is exactly one request; the server's refusal is told in
 * the chat, never retried.  What others change shows through
 * plannr-participants.  plannr-membership.c makes the changes;
 * plannr-membership-commands.c is where the user asks for them.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* The open confirmations and changes on their way, per account. */
extern const PlannrComponent plannr_membership_component;

/* --- plannr-membership.c --- */


/* Adds @person to @info (C6) and says how it went in the chat. */
void   plannr_membership_invite_person (PlannrConnection   *conn,
                                        PlannrConvInfo     *info,
                                        const PlannrPerson *person);
/* Asks whether to leave @info, then leaves it (C7 with my uuid). */
void   plannr_membership_leave_dialog  (PlannrConnection   *conn,
                                        PlannrConvInfo     *info);
/* Asks whether to remove @account_uuid (@nick in the chat), then
 * removes them (C7); for myself, leaving. */
void   plannr_membership_remove_dialog (PlannrConnection   *conn,
                                        PlannrConvInfo     *info,
                                        const char         *account_uuid,
                                        const char         *nick);
/* Makes @account_uuid an admin of @info or not (C8, C9). */
void   plannr_membership_set_admin     (PlannrConnection   *conn,
                                        PlannrConvInfo     *info,
                                        const char         *account_uuid,
                                        const char         *nick,
                                        gboolean            admin);
/* Pins @info for me or not (C5). */
void   plannr_membership_pin           (PlannrConnection   *conn,
                                        PlannrConvInfo     *info,
                                        gboolean            pin);

/* --- plannr-membership-commands.c --- */

/* The chat commands, for the plugin's lifetime. */
void   plannr_membership_register      (PurplePlugin       *plugin);
/* "Pin"/"Unpin" and "Leave conversation…" for @info's buddy-list menu,
 * which Pidgin also shows in the chat window (Conversation > More). */
GList *plannr_membership_blist_menu    (PlannrConnection   *conn,
                                        PlannrConvInfo     *info);

/* prpl operation: Pidgin's Invite dialog, Finch's "Invite…", /invite. */
void   plannr_membership_chat_invite   (PurpleConnection   *pc,
                                        int                 id,
                                        const char         *message,
                                        const char         *who);

G_END_DECLS
