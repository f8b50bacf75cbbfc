/* plannr-world.h: a small Plannr world in the fake server for tests
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <purple.h>

#include "plannr-fake.h"

G_BEGIN_DECLS

#define WORLD_TOKEN       "ada-secret-token-0123456789"
#define WORLD_USER        "9b2f1c9e-6d1a-4c55-9a63-0c9f5a6e1a01"
#define WORLD_FIRM        "4d1e8d0b-2d5e-4b7f-8f7a-6a3c2b1e0f02"
#define WORLD_FIRM2       "4d1e8d0b-2d5e-4b7f-8f7a-6a3c2b1e0f03"
#define WORLD_ME          "a0000000-0000-4000-8000-000000000001"  /* Ada Adviser */
#define WORLD_ME2         "a0000000-0000-4000-8000-000000000002"  /* Ada, 2nd firm */
#define WORLD_BEN         "b0000000-0000-4000-8000-000000000001"  /* Ben Client */
#define WORLD_CLARA       "c0000000-0000-4000-8000-000000000001"  /* Clara Colleague */
#define WORLD_CONV        "d0000000-0000-4000-8000-000000000001"  /* "Annual Review", I am admin */
#define WORLD_CONV2       "d0000000-0000-4000-8000-000000000002"  /* "Pension transfer", Clara admin */

typedef struct
{
  PlannrFake *fake;
  char       *base_url;
} World;

/* Ada (one account unless @two_accounts) in a conversation with Ben and
 * Clara; @messages messages from Ben in WORLD_CONV. */
World *world_new  (gboolean two_accounts,
                   guint    messages);
void   world_free (World *world);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (World, world_free)

/* How many items a page holds when @asked are asked for: fewer when the
 * fake answers in Laravel's shapes with per_page clamped
 * (PLANNR_FAKE_SHAPES), so that request budgets follow the shape. */
guint  world_page_size (World *world,
                        guint  asked);
/* The number of pages @items take at world_page_size (@asked). */
guint  world_pages     (World *world,
                        guint  items,
                        guint  asked);

/* The integration tests' fixture: a world with @messages messages from
 * Ben, and Ada's account on it polling every second (not connected). */
typedef struct
{
  World              *world;
  PurpleAccount      *account;
  PurpleConversation *conv;     /* for the test's own use */
} WorldFixture;

void world_fixture_setup    (WorldFixture *fx,
                             guint         messages);
/* Cancels requests left open, signs off, and empties the buddy list,
 * which outlives accounts in libpurple. */
void world_fixture_teardown (WorldFixture *fx);

/* @request carries the four headers of every Plannr request, with a
 * JSON body. */
void world_assert_headers   (const PlannrFakeRequest *request);
/* @request's body is a JSON object with exactly @member, a string equal
 * to @value. */
void world_assert_json_body (const PlannrFakeRequest *request,
                             const char              *member,
                             const char              *value);

G_END_DECLS
