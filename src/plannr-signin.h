/* plannr-signin.h: the first full list of conversations, and the buddy
 * list brought up to date with it
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Once signed in, every conversation is read (pages of the API's
 * maximum, by creation so that none slips between pages), then which
 * are pinned.  The buddy list then gets what is new and recent, loses
 * what the plugin added that went quiet or vanished, and shows the
 * server's names, a slice per idle callback.  Then the room list can
 * be filled, open chats catch up and the inbox poll starts.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Conversations per page at sign-in: the API's maximum, because every
 * request counts against the user's 500 per minute and one page of 500
 * parses in a few milliseconds. */
#define PLANNR_SIGNIN_PAGE_SIZE 500
/* A bound, should a server's paging never end: 500,000 conversations
 * at 500 a page, 50,000 at 50. */
#define PLANNR_SIGNIN_MAX_PAGES 1000
/* Pinned conversations read at sign-in per page; few people pin more. */
#define PLANNR_PINNED_PAGE_SIZE 50
#define PLANNR_PINNED_MAX_PAGES 5
/* Conversations handled per idle callback when the buddy list is
 * brought up to date: a slice of this size takes a few milliseconds, so
 * the client stays responsive with 10,000 of them. */
#define PLANNR_SYNC_SLICE 200

extern const PlannrComponent plannr_signin_component;

/* TRUE once the first full list is in and the buddy list reflects it. */
gboolean plannr_signin_is_done (PlannrConnection *conn);

G_END_DECLS
