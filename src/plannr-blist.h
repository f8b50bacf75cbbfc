/* plannr-blist.h: conversations on the buddy list
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each conversation on the buddy list is a PurpleChat with the
 * components "uuid" and "name", in the account's group.  This finds
 * them quickly (a uuid → chat table kept up to date by libpurple's
 * signals: a lookup happens for every message shown), adds them and
 * says whether the plugin or the user put one there.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_blist_component;

/* The conversation uuid of @node when it is a chat of @account's, in
 * the case it was stored; else NULL. */
const char *plannr_blist_node_uuid   (PurpleBlistNode  *node,
                                      PurpleAccount    *account);
/* The conversation of a buddy-list chat node of a signed-in account,
 * looked up afresh (a menu may stay open while the account reconnects),
 * and its connection; NULL when there is none. */
PlannrConvInfo *plannr_blist_node_info (PurpleBlistNode   *node,
                                        PlannrConnection **conn);
PurpleChat *plannr_blist_find        (PlannrConnection *conn,
                                      const char       *uuid);
/* Adds @info in the account's group, marked as added by the plugin. */
PurpleChat *plannr_blist_add         (PlannrConnection *conn,
                                      PlannrConvInfo   *info);
/* TRUE for a chat the plugin added, FALSE for one the user did. */
gboolean    plannr_blist_is_automatic (PurpleChat      *chat);
/* The account's chats on the buddy list, uuid → PurpleChat*, a new
 * table (one walk of the list instead of one per conversation). */
GHashTable *plannr_blist_snapshot    (PlannrConnection *conn);

/* prpl operation: libpurple's own lookup compares the first chat_info
 * entry, which is the name; a chat is found by the name its chat is
 * known by instead (the uuid, or the name it was joined by). */
PurpleChat *plannr_blist_find_chat   (PurpleAccount    *account,
                                      const char       *name);

G_END_DECLS
