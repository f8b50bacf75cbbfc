/* plannr-world.h: a small Plannr world in the fake server for tests
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The world (Ada, Ben and Clara in two conversations), the integration
 * tests' one fixture, and what those tests all do with it: sign in, join,
 * wait for the buddy list or the server, count requests, and reach the
 * plugin the ways a user does.  A helper two test files would write
 * belongs here; one only its own file needs stays there.
 */
#pragma once

#include <purple.h>

#include "plannr-fake.h"
#include "plannr-harness.h"

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

/* More people of the firm, in no conversation: world_add_people(). */
#define WORLD_DORA        "e0000000-0000-4000-8000-000000000001"  /* Dora Client */
#define WORLD_ERIN        "e0000000-0000-4000-8000-000000000002"  /* Erin Employee */
#define WORLD_DAVID       "e0000000-0000-4000-8000-000000000003"  /* David Carter, client */
#define WORLD_HELEN       "e0000000-0000-4000-8000-000000000004"  /* Helen Carter, client */
#define WORLD_PRIYA       "e0000000-0000-4000-8000-000000000005"  /* Priya, another firm */

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

/* Adds Dora Client, Erin Employee, David and Helen Carter (clients) to
 * Ada's firm and Priya to another, in no conversation: people to find,
 * invite and start conversations with. */
void   world_add_people (World *world);

/* How many items a page holds when @asked are asked for: fewer when the
 * fake answers in Laravel's shapes with per_page clamped
 * (PLANNR_FAKE_SHAPES), so that request budgets follow the shape. */
guint  world_page_size (World *world,
                        guint  asked);
/* The number of pages @items take at world_page_size (@asked). */
guint  world_pages     (World *world,
                        guint  items,
                        guint  asked);

/* How long a test waits for what should happen soon (a sign-in, a line,
 * a request); generous because valgrind is slow. */
#define WORLD_WAIT_MS     10000
/* Long enough for a few reads of a chat at the tests' poll pace. */
#define WORLD_POLL_WAIT_MS 15000
/* Long enough for the api layer to give up on a PUT: it retries three
 * times over up to about 10 s. */
#define WORLD_GIVE_UP_MS  40000

#define WORLD_CONV_PATH     "/api/v1/conversation/" WORLD_CONV
#define WORLD_CONV2_PATH    "/api/v1/conversation/" WORLD_CONV2
#define WORLD_MESSAGES_PATH WORLD_CONV_PATH "/messages"

/* A name or text with markup in it, and how the chat shows it. */
#define WORLD_MARKUP         "<b>Q&A</b> \"x\""
#define WORLD_MARKUP_ESCAPED "&lt;b&gt;Q&amp;A&lt;/b&gt; &quot;x&quot;"

/* An account on @world that polls every second, its inbox and its open
 * chats; not connected. */
PurpleAccount *world_account_new (World      *world,
                                  const char *username,
                                  const char *token,
                                  const char *account_uuid);

/* The integration tests' fixture: a world with GPOINTER_TO_UINT (@data)
 * messages from Ben, and Ada's account on it from world_account_new()
 * (not connected).  Add tests with WORLD_TEST_ADD. */
typedef struct
{
  World              *world;
  PurpleAccount      *account;
  PurpleConversation *conv;     /* the chat world_join() joined last */
} WorldFixture;

void world_fixture_setup    (WorldFixture  *fx,
                             gconstpointer  data);
/* Cancels requests left open, signs off, and empties the buddy list,
 * which outlives accounts in libpurple. */
void world_fixture_teardown (WorldFixture  *fx,
                             gconstpointer  data);

#define WORLD_TEST_ADD(path, func, messages) \
  g_test_add ((path), WorldFixture, GUINT_TO_POINTER (messages), \
              world_fixture_setup, (func), world_fixture_teardown)

/* Signing in and joining.  These assert, waiting WORLD_WAIT_MS at most
 * for each step. */

/* Connects Ada's account and waits until it is signed in. */
void                world_sign_in        (WorldFixture *fx);
/* The same, then waits until both the world's conversations are on the
 * buddy list. */
void                world_sign_in_listed (WorldFixture *fx);
/* Opens the chat @uuid, titled @title, and waits until joining is over:
 * the participants are shown and so, unless NULL, is @last_line (the
 * newest history), so that nothing of the join lands in the middle of a
 * test.  Returns the chat and sets fx->conv to it. */
PurpleConversation *world_join           (WorldFixture *fx,
                                          const char   *uuid,
                                          const char   *title,
                                          const char   *last_line);
/* world_join() for another @account than the fixture's. */
PurpleConversation *world_join_account   (PurpleAccount *account,
                                          const char    *uuid,
                                          const char    *title,
                                          const char    *last_line);
/* world_sign_in_listed(), then world_join() of "Annual Review"
 * (WORLD_CONV). */
PurpleConversation *world_open_chat      (WorldFixture *fx,
                                          const char   *last_line);

/* Waiting for the world to change: each waits @timeout_ms at most and
 * returns whether it happened. */

/* The chat @uuid is on (or is not on) the buddy list of fx's account. */
gboolean world_wait_listed   (WorldFixture *fx,
                              const char   *uuid,
                              guint         timeout_ms);
gboolean world_wait_unlisted (WorldFixture *fx,
                              const char   *uuid,
                              guint         timeout_ms);
/* The fake holds a message in WORLD_CONV reading exactly @contents. */
gboolean world_wait_stored   (WorldFixture *fx,
                              const char   *contents,
                              guint         timeout_ms);
/* world_count (@method, @glob) reached @at_least. */
gboolean world_wait_count    (WorldFixture *fx,
                              const char   *method,
                              const char   *glob,
                              guint         at_least,
                              guint         timeout_ms);

/* The newest message in @conversation_uuid reading exactly @contents,
 * from the fake's own dump: its uuid and creation time (either may be
 * NULL).  FALSE when there is none. */
gboolean world_find_message  (WorldFixture *fx,
                              const char   *conversation_uuid,
                              const char   *contents,
                              char        **uuid,
                              GDateTime   **created_at);

/* world_find_message()'s uuid, or its creation time shown as the chat
 * shows times, in @format ("%H:%M" or "%H:%M:%S"); the message must
 * exist. */
char    *world_message_uuid  (WorldFixture *fx,
                              const char   *conversation_uuid,
                              const char   *contents);
char    *world_message_time  (WorldFixture *fx,
                              const char   *conversation_uuid,
                              const char   *contents,
                              const char   *format);
/* Lets @n more reads of WORLD_CONV's messages happen (within
 * WORLD_POLL_WAIT_MS) and their answers be shown. */
void     world_run_chat_polls (WorldFixture *fx,
                               guint         n);

/* The requests the fake logged since it was last cleared whose method is
 * @method and whose path matches @glob (either NULL for any), as
 * plannr_fake_count_requests(). */
guint    world_count         (WorldFixture *fx,
                              const char   *method,
                              const char   *glob);

/* For the log of a failed run: each request the fake logged from the
 * @from'th on, with the status it answered, on stderr after @label. */
void     world_print_requests (PlannrFake *fake,
                               guint       from,
                               const char *label);

/* The user's entry points, as Pidgin and Finch reach the plugin: through
 * libpurple and the plugin's prpl table. */

/* The loaded plugin and its prpl table (asserted to be there). */
PurplePlugin             *world_prpl      (void);
PurplePluginProtocolInfo *world_prpl_info (void);

/* Types @typed (plain text) into @conv's entry and sends it: the markup
 * Pidgin would make of it goes to the prpl. */
void world_type_line       (PurpleConversation *conv,
                            const char         *typed);
/* Runs the command @cmdline (a leading "/" is optional) in @conv and
 * asserts that it was accepted. */
void world_run_command     (PurpleConversation *conv,
                            const char         *cmdline);
/* Runs the buddy-list menu action labelled @label of the chat @uuid on
 * fx's account; asserts that there is one. */
void world_run_menu_action (WorldFixture *fx,
                            const char   *uuid,
                            const char   *label);

/* Runs the account action labelled @label of fx's connection (Pidgin:
 * Accounts > the account; Finch: the buddy list's Accounts menu);
 * asserts that there is one. */
void world_run_account_action (WorldFixture       *fx,
                               const char         *label);
/* Whether @uuid's buddy-list menu has an item labelled @label. */
gboolean world_has_menu_action (WorldFixture      *fx,
                                const char        *uuid,
                                const char        *label);

/* @request carries the four headers of every Plannr request, with a
 * JSON body. */
void world_assert_headers   (const PlannrFakeRequest *request);
/* @request's body is the JSON @json, members in any order. */
void world_assert_body      (const PlannrFakeRequest *request,
                             const char              *json);
/* @request's body is a JSON object with exactly @member, a string equal
 * to @value. */
void world_assert_json_body (const PlannrFakeRequest *request,
                             const char              *member,
                             const char              *value);

G_END_DECLS
