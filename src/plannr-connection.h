/* plannr-connection.h: one signed-in Plannr account inside libpurple
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The connection signs in (choosing the Plannr account when the user
 * has several), turns a GError into a PurpleConnectionError in one
 * place, and closes.  Everything else is a component: each owns its
 * state, and registers with the connection what to do when the account
 * signs in, fails and closes; the connection never calls a component by
 * name.
 */
#pragma once

#include <purple.h>

#include "plannr-api.h"
#include "plannr-conv-list.h"
#include "plannr-error.h"
#include "plannr-pace.h"

G_BEGIN_DECLS

#define PLANNR_PROTOCOL_ID "prpl-plannr"

/* Account setting keys: an interface, they are what accounts.xml holds. */
#define PLANNR_SETTING_BASE_URL           "base-url"
#define PLANNR_SETTING_ACCOUNT_UUID       "account-uuid"
#define PLANNR_SETTING_GROUP              "group"
#define PLANNR_SETTING_BLIST_DAYS         "blist-days"
#define PLANNR_SETTING_HISTORY_COUNT      "history-count"
#define PLANNR_SETTING_OPEN_ON_MESSAGE    "open-on-message"
#define PLANNR_SETTING_POLL_INTERVAL      "poll-interval"
#define PLANNR_SETTING_CHAT_POLL_INTERVAL "chat-poll-interval"

#define PLANNR_DEFAULT_GROUP              "Plannr"
#define PLANNR_DEFAULT_BLIST_DAYS         90
#define PLANNR_DEFAULT_HISTORY_COUNT      50
/* The pace while the user is active: plannr-pace.h says why. */
#define PLANNR_DEFAULT_POLL_INTERVAL      PLANNR_PACE_INBOX_S
#define PLANNR_DEFAULT_CHAT_POLL_INTERVAL PLANNR_PACE_CHAT_S

/* A transport failure of polling that lasts this long takes the account
 * offline with a network error, so that the client reconnects.  Shorter
 * outages only slow polling: every poll request is already retried
 * three times over about seven seconds by the api layer. */
#define PLANNR_OUTAGE_LIMIT_S 120

typedef struct _PlannrConnection PlannrConnection;

/* A part of the plugin with state of its own per account.  @create runs
 * at login (before any request), @start once signed in, @stop when the
 * account fails or closes (no timers or requests after it), @destroy
 * when it closes, after every request was cancelled.  Any may be NULL
 * but @create. */
typedef struct
{
  const char *name;
  gpointer  (*create)  (PlannrConnection *conn);
  void      (*start)   (gpointer          state);
  void      (*stop)    (gpointer          state);
  void      (*destroy) (gpointer          state);
} PlannrComponent;

/* @components, in order, are created and started in that order, and
 * stopped and destroyed in the reverse one. */
void              plannr_connection_login          (PurpleAccount            *account,
                                                    const PlannrComponent * const *components);
void              plannr_connection_close          (PurpleConnection         *pc);

/* NULL once the connection is gone (or for another protocol's). */
PlannrConnection *plannr_connection_get            (PurpleConnection *pc);
/* The signed-in connection of @account, or NULL. */
PlannrConnection *plannr_connection_for_account    (PurpleAccount    *account);
gpointer          plannr_connection_get_state      (PlannrConnection      *conn,
                                                    const PlannrComponent *component);

PurpleConnection *plannr_connection_get_pc         (PlannrConnection *conn);
PurpleAccount    *plannr_connection_get_account    (PlannrConnection *conn);
PlannrApi        *plannr_connection_get_api        (PlannrConnection *conn);
PlannrConvList   *plannr_connection_get_convs      (PlannrConnection *conn);
/* How often to look (plannr-pace). */
PlannrPace       *plannr_connection_get_pace       (PlannrConnection *conn);
/* libpurple's idle time or the account's status changed: idle or away
 * slows polling, available brings the fast pace back. */
void              plannr_connection_presence_changed (PlannrConnection *conn);
/* The user did something here (sent a message): the fast pace, now. */
void              plannr_connection_user_active    (PlannrConnection *conn);
/* The Plannr account the user acts as (lower case), and its name. */
const char       *plannr_connection_get_account_uuid (PlannrConnection *conn);
const char       *plannr_connection_get_my_name    (PlannrConnection *conn);
gboolean          plannr_connection_is_me          (PlannrConnection *conn,
                                                    const char       *account_uuid);
/* How long to wait before looking for a send whose answer was lost. */
guint             plannr_connection_get_verify_delay (PlannrConnection *conn);
int               plannr_connection_setting_int    (PlannrConnection *conn,
                                                    const char       *key,
                                                    int               fallback,
                                                    int               min,
                                                    int               max);

/* The one place that turns a GError into a connection error. */
void              plannr_connection_fail           (PlannrConnection *conn,
                                                    const GError     *error);
/* Polling results feed this: TRUE means the error was handled here
 * (cancelled, or fatal and reported) and the caller must stop. */
gboolean          plannr_connection_poll_failed    (PlannrConnection *conn,
                                                    const GError     *error);
void              plannr_connection_poll_succeeded (PlannrConnection *conn);

G_END_DECLS
