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
 */
#pragma once

#include "plannr-connection.h"

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
