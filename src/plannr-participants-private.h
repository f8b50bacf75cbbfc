/* plannr-participants-private.h: what the participants' files share
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * plannr-participants.c reads an open chat's participants and shows
 * them; plannr-participants-changes.c shows our own changes and answers
 * lookups.  Nothing else includes this.
 */
#pragma once

#include "plannr-participants.h"
#include "plannr-roster.h"

G_BEGIN_DECLS

typedef struct
{
  PlannrConnection *conn;
  GHashTable       *nicks;    /* conversation uuid -> (account uuid -> chat user name) */
  GHashTable       *rosters;  /* conversation uuid -> PlannrRoster*, what was read */
  GHashTable       *reading;  /* conversation uuid -> whether to read again, while
                               * a later reading is on its way: one at a time,
                               * so that an older answer never lands last */
  GPtrArray        *pending;  /* conversation uuids to read, in order */
  GHashTable       *loading;  /* conversation uuid -> Waiter */
  guint             flush_id;
} Participants;

Participants *plannr_participants_state        (PlannrConnection   *conn);
/* What @uuid's open chat last read, or NULL before the first reading. */
PlannrRoster *plannr_participants_roster       (Participants       *parts,
                                                const char         *uuid);
/* Reads @uuid's participants again, one reading at a time. */
void          plannr_participants_read_later   (Participants       *parts,
                                                const char         *uuid);
/* Shows what the server said of @info's participants, read at @started. */
void          plannr_participants_take_reading (Participants       *parts,
                                                PlannrConvInfo     *info,
                                                PlannrConversation *data,
                                                gint64              started);

G_END_DECLS
