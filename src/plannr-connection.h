/* plannr-connection.h: one signed-in Plannr account inside libpurple
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <purple.h>

#include "plannr-api.h"
#include "plannr-error.h"
#include "plannr-sync.h"

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
#define PLANNR_DEFAULT_POLL_INTERVAL      15
#define PLANNR_DEFAULT_CHAT_POLL_INTERVAL 5

/* A transport failure of polling that lasts this long takes the account
 * offline with a network error, so that the client reconnects.  Shorter
 * outages only slow polling: every poll request is already retried
 * three times over about seven seconds by the api layer. */
#define PLANNR_OUTAGE_LIMIT_S 120

typedef struct _PlannrConnection PlannrConnection;
typedef struct _PlannrConv PlannrConv;

/* A message typed by the user, waiting for its turn to be sent. */
typedef struct
{
  char   *text;        /* plain text */
  guint   attempts;    /* POSTs made for it */
  GPtrArray *before;   /* NULL-terminated uuids of my messages with this
                        * text when the send started */
} PlannrOutgoing;

struct _PlannrConv
{
  PlannrConnection *conn;
  char             *uuid;
  char             *name;
  char             *case_name;
  char             *tags;            /* comma separated, for the room list */
  int               participants_count;
  int               messages_count;
  gboolean          pinned;
  gboolean          is_admin;
  gboolean          gone;            /* no longer on the server's list */
  GDateTime        *updated_at;      /* server's, for change detection */
  GDateTime        *last_activity;   /* latest message, else created_at */
  char             *latest_uuid;     /* latest message uuid, if known */

  /* While the chat is open. */
  int               chat_id;         /* 0 when not open */
  gboolean          joining;
  PlannrMessageLog *log;
  GHashTable       *nicks;           /* account uuid -> chat user name */
  guint             poll_id;
  gboolean          polling;
  gboolean          poll_again;      /* something asked for a poll meanwhile */
  PlannrBackoff     backoff;

  /* Sends, in order, one at a time. */
  GQueue            outgoing;        /* PlannrOutgoing* */
  gboolean          sending;
  GQueue            writes;          /* edits waiting, see plannr_conv_queue_write */
  gboolean          writing;         /* one of them is on its way */

  guint             renaming;        /* our renames on their way */
  char             *rename_next;     /* asked for while one was on its way */
  gint64            name_landed;     /* monotonic µs our last rename landed */
  gint64            participants_asked; /* monotonic µs of the last read */
  char             *open_trigger;    /* the message that opened the chat */
  guint             verify_id;       /* looking for a send after a failure */
  gpointer          verify;          /* its state until the request starts */

  /* The newest message shown, also kept on the buddy-list node. */
  char             *last_shown;
  GDateTime        *last_shown_time;
  gboolean          seen_in_sync;    /* on the list being read */
  gboolean          history_loaded;  /* the edit code read recent messages */
  gboolean          shown_dirty;     /* last_shown not yet on the node */
};

struct _PlannrConnection
{
  PurpleConnection *pc;
  PurpleAccount    *account;
  PlannrApi        *api;
  char             *account_uuid;
  char             *my_name;         /* the account's display name */

  GHashTable       *convs;           /* uuid -> PlannrConv* */
  GHashTable       *chats;           /* chat id -> PlannrConv* (borrowed) */
  int               next_chat_id;
  gboolean          synced;          /* the first full list arrived */
  guint             signin_page;
  guint             pinned_page;
  gint64            list_started;    /* monotonic µs the last list read began */

  guint             inbox_id;
  gboolean          inbox_busy;
  guint             inbox_polls;
  guint             inbox_page;
  gboolean          inbox_changed;
  const char       *inbox_sort;
  PlannrBackoff     inbox_backoff;
  gint64            failing_since;   /* monotonic µs of the first failure */
  guint             outage_limit_s;
  guint             verify_delay_ms;

  PurpleRoomlist   *roomlist;
  GHashTable       *blist_cache;     /* uuid -> PurpleChat*, see plannr-chats.c */
  guint             remember_id;     /* writes what was shown to the nodes */
  GHashTable       *seen;            /* uuid -> "message time", chats without nodes */
  gboolean          seen_dirty;

  /* The sign-in's buddy-list and room-list work, a slice per idle. */
  GPtrArray        *reconcile;       /* PlannrConv*, borrowed */
  GHashTable       *reconcile_existing;
  guint             reconcile_index;
  guint             reconcile_id;
  GPtrArray        *room_fill;       /* PlannrConv*, borrowed */
  guint             room_fill_index;
  guint             room_fill_id;
  GPtrArray        *choice;          /* account uuids offered at sign-in */
  GPtrArray        *edit_dialogs;    /* open edit dialogs, see plannr-edit.c */
  /* Applying a name from the server: a rename signal is not the user's. */
  gboolean          applying_name;
};

void              plannr_outgoing_free             (PlannrOutgoing   *out);

PlannrConnection *plannr_connection_get            (PurpleConnection *pc);
void              plannr_connection_login          (PurpleAccount    *account);
void              plannr_connection_close          (PurpleConnection *pc);

/* The one place that turns a GError into a connection error. */
void              plannr_connection_fail           (PlannrConnection *conn,
                                                    const GError     *error);
/* Polling results feed this: TRUE means the error was handled here
 * (cancelled, or fatal and reported) and the caller must stop. */
gboolean          plannr_connection_poll_failed    (PlannrConnection *conn,
                                                    const GError     *error);
void              plannr_connection_poll_succeeded (PlannrConnection *conn);

/* The user-facing words for an error of an action (rename, edit, send). */
char             *plannr_connection_describe_error (const GError     *error);

int               plannr_setting_int               (PlannrConnection *conn,
                                                    const char       *key,
                                                    int               fallback,
                                                    int               min,
                                                    int               max);

/* TRUE when the callback must not touch @conn: the account is closing. */
gboolean          plannr_is_cancelled              (const GError     *error);

G_END_DECLS
