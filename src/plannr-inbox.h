/* plannr-inbox.h: noticing what changed in the account's conversations
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Plannr has no push: a small page of conversations, most recently
 * changed first, is read again and again, at the pace plannr-pace
 * decides (why that pace: the comment there).  It stops at the first
 * conversation it knows unchanged, and what changed (new, renamed, a
 * new message) is handed on: to the buddy list, the room list, the
 * open chat, or a chat opened for a message from someone else.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Conversations per inbox poll: the poll stops at the first unchanged
 * one, so a small page is enough; a busier inbox reads further pages. */
#define PLANNR_INBOX_PAGE_SIZE 20
#define PLANNR_INBOX_MAX_PAGES 5

/* What the list reads asks the server to include. */
#define PLANNR_LIST_INCLUDE "latest_message,participants_count,messages_count,files_count,case,tags"

extern const PlannrComponent plannr_inbox_component;

/* The first full list is in: polling starts. */
void plannr_inbox_start (PlannrConnection *conn);

G_END_DECLS
