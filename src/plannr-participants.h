/* plannr-participants.h: who is in an open chat, by display name
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An open chat lists the conversation's participants as chat users,
 * named by display name, never by uuid: two people of the same name are
 * told apart (by e-mail, then by number), no one may pass as the user
 * (see plannr_text_name_key), and admins get the op flag.  The user is
 * the chat user named by the account's username, which libpurple shows
 * by the display name (BitlBee knows the user only by the username).
 * Later readings (every re-read of the chat, and the answers to our own
 * changes) show who came and went as libpurple's join and leave lines,
 * once, and a line when someone becomes or stops being an admin
 * (plannr-roster tells what changed).
 */
#pragma once

#include "plannr-connection.h"
#include "plannr-lookup.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_participants_component;

/* Called once the participants of @uuid's chat are read, or could not
 * be (the chat then says why). */
typedef void (*PlannrParticipantsSettled) (PlannrConnection *conn,
                                           const char       *uuid);

/* Reads @info's participants into its open chat; @settled (or NULL) is
 * called when that is done, unless the chat closes first. */
void        plannr_participants_load   (PlannrConnection          *conn,
                                        PlannrConvInfo            *info,
                                        PlannrParticipantsSettled  settled);
/* Whether a read of @uuid's participants is still on its way: a chat's
 * history waits for it, to show each author by the name the chat's
 * user list has. */
gboolean    plannr_participants_loading (PlannrConnection *conn,
                                         const char       *uuid);
/* Reads them again (the chat's re-read): changes show as join and leave
 * lines.  Nothing before the first reading is in. */
void        plannr_participants_refresh (PlannrConnection   *conn,
                                         PlannrConvInfo     *info);
/* The answer to our own change of @info's participants or admins (C5 to
 * C9): shown as a reading newer than any on its way.  An answer without
 * participants (@data NULL, 204) has them read again. */
void        plannr_participants_apply  (PlannrConnection   *conn,
                                        PlannrConvInfo     *info,
                                        PlannrConversation *data);
/* Takes @account_uuid out of the open chat now, with @reason in the
 * leave line (NULL for none). */
void        plannr_participants_remove (PlannrConnection   *conn,
                                        PlannrConvInfo     *info,
                                        const char         *account_uuid,
                                        const char         *reason);
/* Shows @account_uuid as an admin (op) or not, now. */
void        plannr_participants_set_admin (PlannrConnection *conn,
                                           PlannrConvInfo   *info,
                                           const char       *account_uuid,
                                           gboolean          admin);
/* Which participant of the open chat @uuid @query (a chat user name, a
 * name or an e-mail address) means, as plannr_lookup_match(); @matches
 * gets borrowed PlannrPerson pointers. */
PlannrLookupResult  plannr_participants_find    (PlannrConnection *conn,
                                                 const char       *uuid,
                                                 const char       *query,
                                                 GPtrArray        *matches);
/* Whether the open chat @uuid lists @account_uuid. */
gboolean    plannr_participants_has    (PlannrConnection   *conn,
                                        const char         *uuid,
                                        const char         *account_uuid);
/* The participant of the open chat @uuid who goes by @nick, or NULL. */
const PlannrPerson *plannr_participants_by_nick (PlannrConnection *conn,
                                                 const char       *uuid,
                                                 const char       *nick);
/* Adds every participant of every open chat (borrowed PlannrPerson) to
 * @people: the people the user has seen. */
void        plannr_participants_known  (PlannrConnection   *conn,
                                        GPtrArray          *people);
/* The chat closed: its names are not needed. */
void        plannr_participants_forget (PlannrConnection *conn,
                                        const char       *uuid);
/* The user's own chat user name, and the chat's nick: the username. */
const char *plannr_participants_my_nick (PlannrConnection *conn);
/* The chat user name of @author_uuid in @uuid's chat, or @fallback (or
 * "Unknown" when @fallback would read as the user). */
const char *plannr_participants_nick   (PlannrConnection *conn,
                                        const char       *uuid,
                                        const char       *author_uuid,
                                        const char       *fallback);

G_END_DECLS
