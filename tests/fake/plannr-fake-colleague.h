/* plannr-fake-colleague.h: a simulated colleague for the demo
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Makes the fake server feel inhabited: another participant answers what
 * the user writes, now and then edits an answer or renames the
 * conversation, and writes unprompted once in a while.
 */
#pragma once

#include "plannr-fake.h"

G_BEGIN_DECLS

typedef struct _PlannrFakeColleague PlannrFakeColleague;

/* @pace_ms scales every delay: 1000 is the demo's pace (answers within
 * seconds, an unprompted message about every minute); tests use less. */
PlannrFakeColleague *plannr_fake_colleague_new  (PlannrFake *fake,
                                                 guint       pace_ms);
void                 plannr_fake_colleague_free (PlannrFakeColleague *self);
/* What the colleague did so far: answers, edits, renames, unprompted. */
void                 plannr_fake_colleague_get_counts (PlannrFakeColleague *self,
                                                       guint *answers,
                                                       guint *edits,
                                                       guint *renames,
                                                       guint *unprompted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrFakeColleague, plannr_fake_colleague_free)

G_END_DECLS
