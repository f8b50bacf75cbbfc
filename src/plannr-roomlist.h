/* plannr-roomlist.h: the conversations in libpurple's room list
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pidgin's and Finch's "Room List" shows every conversation, most
 * recently active first, with its participants, messages, case, tags,
 * whether it is pinned and when it was last active.  As libpurple's own
 * protocols do, the plugin holds the list only while it fills it (a
 * slice per idle callback, so that thousands do not freeze the UI);
 * the UI holds its own reference for as long as it shows it.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Rooms added per idle callback: a few milliseconds' work. */
#define PLANNR_ROOMLIST_SLICE 200

extern const PlannrComponent plannr_roomlist_component;

/* The conversation list is complete: a list asked for before is filled. */
void            plannr_roomlist_ready     (PlannrConnection *conn);
/* @info is new: a list being filled gets it too. */
void            plannr_roomlist_add       (PlannrConnection *conn,
                                           PlannrConvInfo   *info);
/* @info was renamed: a list being filled shows the new name. */
void            plannr_roomlist_rename    (PlannrConnection *conn,
                                           PlannrConvInfo   *info);

/* prpl operations */
PurpleRoomlist *plannr_roomlist_get_list  (PurpleConnection *pc);
void            plannr_roomlist_cancel    (PurpleRoomlist   *list);

G_END_DECLS
