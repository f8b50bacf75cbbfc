/* plannr-chat.h: the open chats
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A conversation opened as a libpurple chat: joining shows its history
 * (or catches up from the last message shown), lists its participants
 * by display name, reads its newest messages when the inbox saw a new
 * one and, slowly, for edits and deletions (plannr-pace), and shows
 * them.  The chat's state exists only while it is
 * open; what outlives it is in the conversation's PlannrConvInfo (its
 * message log) and in plannr-seen.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Messages per chat poll: recent enough to see edits and deletions of
 * what the user is looking at; more pages are read only after a gap. */
#define PLANNR_CHAT_PAGE_SIZE 20
/* Catching up reads at most this many pages of history-count. */
#define PLANNR_CATCHUP_MAX_PAGES 20

extern const PlannrComponent plannr_chat_component;

/* Opens @info's chat (known by the name it was last joined by), or
 * presents it when it is open.  @trigger is the message that opens it
 * (shown even with a history-count of 0). */
void                plannr_chat_open         (PlannrConnection    *conn,
                                              PlannrConvInfo      *info,
                                              const char          *trigger);
/* Opens @info's chat as the user asked, known by @name (NULL: by its
 * uuid; see plannr-window.h), or presents it when it is open. */
void                plannr_chat_join         (PlannrConnection    *conn,
                                              PlannrConvInfo      *info,
                                              const char          *name);
gboolean            plannr_chat_is_open      (PlannrConnection    *conn,
                                              const char          *uuid);
/* The conversation of the open chat @id, or NULL. */
PlannrConvInfo     *plannr_chat_info_for_id  (PlannrConnection    *conn,
                                              int                  id);
/* Reads the chat's newest messages soon (something changed). */
void                plannr_chat_poll_soon    (PlannrConnection    *conn,
                                              const char          *uuid);
/* The inbox found @message, the latest of @info's open chat, to be the
 * only one since @previous_uuid (plannr_conv_info_adds_one_message()):
 * shown without reading the chat, as its poll would show it.  FALSE,
 * and nothing done, when the chat must be read instead: not open,
 * joining or polling, or @previous_uuid not among what it knows. */
gboolean            plannr_chat_take_latest  (PlannrConnection    *conn,
                                              PlannrConvInfo      *info,
                                              const char          *previous_uuid,
                                              PlannrMessage       *message);
/* Someone joined or left @info (the inbox saw its participant count
 * change): an open chat reads who takes part again. */
void                plannr_chat_participants_changed (PlannrConnection *conn,
                                                      PlannrConvInfo   *info);
/* Every open chat catches up (after a reconnect). */
void                plannr_chat_poll_all     (PlannrConnection    *conn);
/* A message of the user's that the server has: shown once, in the chat
 * if it is open, else when it opens. */
void                plannr_chat_show_sent    (PlannrConnection    *conn,
                                              PlannrConvInfo      *info,
                                              const PlannrMessage *message);
/* prpl operation */
void                plannr_chat_leave        (PurpleConnection    *pc,
                                              int                  id);

G_END_DECLS
