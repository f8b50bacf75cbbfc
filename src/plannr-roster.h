/* plannr-roster.h: who takes part in a conversation, and who changed
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What an open chat last read of its participants and admins, and what
 * a newer reading changes: who came, who went, who became or stopped
 * being an admin, and whether the user is no longer among them.  Our
 * own changes are taken in as they land, so that a reading that left
 * before one of them (and may not show it) can be told apart and none
 * is shown twice.  Pure: no libpurple, no network.
 */
#pragma once

#include <glib.h>

#include "plannr-lookup.h"
#include "plannr-model.h"

G_BEGIN_DECLS

typedef struct _PlannrRoster PlannrRoster;

/* What a reading changed. */
typedef struct
{
  GPtrArray *joined;    /* PlannrPerson, borrowed from the reading */
  GPtrArray *left;      /* char *, account uuids, owned */
  GPtrArray *promoted;  /* PlannrPerson, borrowed: now an admin */
  GPtrArray *demoted;   /* PlannrPerson, borrowed: no longer one */
  gboolean   me_left;   /* the user was there and is not any more */
} PlannrRosterChange;

PlannrRoster *plannr_roster_new           (void);
void          plannr_roster_free          (PlannrRoster *roster);

/* Takes @data's participants (none when it has no list) as what is
 * known.  Admins are the participants that say so, and @me when @data
 * says I administer it.  @change (may be NULL) gets the differences
 * from what was known before; the first reading changes nothing. */
void          plannr_roster_update        (PlannrRoster             *roster,
                                           const PlannrConversation *data,
                                           const char               *me,
                                           PlannrRosterChange       *change);
void          plannr_roster_change_clear  (PlannrRosterChange       *change);

/* Whether any reading was taken in yet. */
gboolean      plannr_roster_is_known      (PlannrRoster *roster);
/* The participants, in the order last read (PlannrPerson, borrowed). */
GPtrArray    *plannr_roster_people        (PlannrRoster *roster);
gboolean      plannr_roster_has           (PlannrRoster *roster,
                                           const char   *account_uuid);
gboolean      plannr_roster_is_admin      (PlannrRoster *roster,
                                           const char   *account_uuid);

/* Which participant @query (a name, an e-mail address, or one of
 * @labels: account uuid -> the name the chat shows, may be NULL) means,
 * as plannr_lookup_match(). */
PlannrLookupResult  plannr_roster_find     (PlannrRoster *roster,
                                            GHashTable   *labels,
                                            const char   *query,
                                            GPtrArray    *matches);
/* The participant whose label is exactly @label, or NULL. */
const PlannrPerson *plannr_roster_by_label (PlannrRoster *roster,
                                            GHashTable   *labels,
                                            const char   *label);

/* Our own changes, as they land (@now: monotonic µs). */
void          plannr_roster_remove        (PlannrRoster *roster,
                                           const char   *account_uuid,
                                           gint64        now);
void          plannr_roster_set_admin     (PlannrRoster *roster,
                                           const char   *account_uuid,
                                           gboolean      admin,
                                           gint64        now);
void          plannr_roster_changed       (PlannrRoster *roster,
                                           gint64        now);
/* Whether a reading asked for at @started may hold what is known
 * now: FALSE when one of our changes landed after it was asked for. */
gboolean      plannr_roster_is_current    (PlannrRoster *roster,
                                           gint64        started);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrRoster, plannr_roster_free)

G_END_DECLS
