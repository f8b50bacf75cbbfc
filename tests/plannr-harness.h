/* plannr-harness.h: libpurple 2 started headless for integration tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One libpurple per test program, on the default GMainContext. The harness
 * plays the UI: it records what libpurple would have shown (conversation
 * lines, notifications, debug output, connection errors) and queues the
 * questions it would have asked (requests) so that a test can inspect and
 * answer them. Nothing is ever answered or reconnected behind a test's back.
 */

#pragma once

#include <time.h>

#include <glib.h>
#include <purple.h>

#include "plannr-wait.h"

G_BEGIN_DECLS

/* The UI id libpurple knows us by (purple_core_init, account enabling). */
#define PLANNR_HARNESS_UI "plannr-test"

/* Start and stop. init comes once per program, after g_test_init: it
 * points TMPDIR, XDG_CONFIG_HOME, XDG_CACHE_HOME and the D-Bus addresses
 * into a fresh temporary dir (which also becomes purple's user dir) and
 * loads the plugin from $PLANNR_PLUGIN_DIR or the build dir. shutdown
 * quits libpurple and removes the dir (kept if PLANNR_TEST_KEEP_DIR=1).
 * PLANNR_TEST_DEBUG=1 copies debug output, lines, notices and requests
 * to stderr. */

void                 plannr_harness_init                (void);
void                 plannr_harness_shutdown            (void);
const char          *plannr_harness_get_user_dir        (void);

/* Accounts and connections. account_new returns libpurple's existing
 * account for a username it knows, so use distinct ones. connect enables
 * the account for this UI with an available status, which signs it on;
 * disconnect disables it and waits until the connection is gone. */

PurpleAccount       *plannr_harness_account_new         (const char    *username,
                                                         const char    *token,
                                                         const char    *base_url,
                                                         const char    *account_uuid);
void                 plannr_harness_connect             (PurpleAccount *account);
void                 plannr_harness_disconnect          (PurpleAccount *account);
/* Disconnects @account and deletes it from libpurple. */
void                 plannr_harness_account_delete      (PurpleAccount *account);

/* The main loop: see plannr-wait.h.  plannr_harness_wait and
 * plannr_harness_run_for are the same as plannr_wait_until and
 * plannr_wait_for_ms, kept for the benchmarks (tests/bench/); tests use
 * plannr-wait.h. */

typedef PlannrWaitCond PlannrHarnessCond;

gboolean             plannr_harness_wait                (PlannrHarnessCond cond,
                                                         gpointer          data,
                                                         guint             timeout_ms);
void                 plannr_harness_run_for             (guint          ms);
gboolean             plannr_harness_wait_connected      (PurpleAccount *account,
                                                         guint          timeout_ms);

/* Connection errors ("connection-error" signal), last one per account.
 * plannr_harness_connect() forgets the account's previous error. */

gboolean             plannr_harness_wait_error          (PurpleAccount         *account,
                                                         guint                  timeout_ms,
                                                         PurpleConnectionError *reason,
                                                         char                 **description);
void                 plannr_harness_clear_errors        (void);

/* Conversation lines: everything that reached the conversation window. */

typedef struct {
  char *conv_name;
  char *conv_title;           /* the title at the time of writing */
  char *who;
  char *alias;
  char *message;              /* as given to the UI, i.e. HTML */
  PurpleMessageFlags flags;
  time_t mtime;
  /* It came through the write_chat ui op (serv_got_chat_in,
   * purple_conv_chat_write), not straight to purple_conversation_write:
   * a UI may treat the two differently (BitlBee does). */
  gboolean via_write_chat;
} PlannrHarnessLine;

GPtrArray               *plannr_harness_get_lines       (void);
void                     plannr_harness_clear_lines     (void);
guint                    plannr_harness_count_lines     (const char *substring);
const PlannrHarnessLine *plannr_harness_find_line       (const char *substring);
gboolean                 plannr_harness_wait_line       (const char *substring,
                                                         guint       timeout_ms);

/* Requests: queued as libpurple makes them. wait_request hands out the
 * oldest one (NULL on timeout); answering or cancelling it runs the
 * callback as Pidgin would, closes it in libpurple and frees it. Requests
 * that libpurple closes itself (connection teardown) leave the queue
 * without any callback. */

typedef enum {
  PLANNR_HARNESS_REQUEST_INPUT,
  PLANNR_HARNESS_REQUEST_CHOICE,
  PLANNR_HARNESS_REQUEST_ACTION,
  PLANNR_HARNESS_REQUEST_FIELDS,
  PLANNR_HARNESS_REQUEST_FILE,
} PlannrHarnessRequestType;

typedef struct {
  PlannrHarnessRequestType type;
  char *title;
  char *primary;
  char *secondary;
  char *default_value;          /* INPUT; FILE: the file name offered */
  int default_index;            /* CHOICE, ACTION: index into choices */
  GPtrArray *choices;           /* CHOICE, ACTION: char * labels, in order */
  PurpleRequestFields *fields;  /* FIELDS: edit it, then answer */
  gboolean save_dialog;         /* FILE: choosing where to save */
  PurpleAccount *account;
  char *who;
  PurpleConversation *conv;     /* may be gone by the time you look */

  /* TRUE once libpurple closed the request itself (for example because
   * the connection that asked went away); answering it then calls no
   * callback and only frees it. */
  gboolean closed;

  /*< private >*/
  GCallback ok_cb;
  GCallback cancel_cb;
  void *user_data;
  GArray *values;               /* CHOICE: int per choice */
  GPtrArray *action_cbs;        /* ACTION: GCallback per choice */
  gboolean taken;
  gboolean answering;
} PlannrHarnessRequest;

PlannrHarnessRequest *plannr_harness_wait_request       (guint                 timeout_ms);
guint                 plannr_harness_count_requests     (void);
void                  plannr_harness_answer_input       (PlannrHarnessRequest *req,
                                                         const char           *text);
void                  plannr_harness_answer_choice      (PlannrHarnessRequest *req,
                                                         int                   index);
void                  plannr_harness_answer_action      (PlannrHarnessRequest *req,
                                                         int                   index);
void                  plannr_harness_answer_fields      (PlannrHarnessRequest *req);
/* FILE: the user chose @path (Pidgin's chooser gives a full path). */
void                  plannr_harness_answer_file        (PlannrHarnessRequest *req,
                                                         const char           *path);
void                  plannr_harness_cancel_request     (PlannrHarnessRequest *req);

/* File transfers: every PurpleXfer libpurple shows, as the transfer
 * window would, in the order they were added.  The record outlives the
 * transfer (xfer is NULL once libpurple destroyed it). */

typedef struct {
  PurpleXfer *xfer;             /* NULL once destroyed */
  PurpleXferType type;
  char *filename;
  char *local_filename;
  size_t size;
  size_t bytes_sent;            /* at the last update */
  double progress;              /* the last update_progress */
  guint updates;                /* update_progress calls */
  PurpleXferStatusType status;  /* at the last op */
  gboolean added;               /* add_xfer: shown in the window */
  gboolean cancelled_local;
  gboolean cancelled_remote;
} PlannrHarnessXfer;

GPtrArray           *plannr_harness_get_xfers           (void);
void                 plannr_harness_clear_xfers         (void);
/* The newest transfer added, waiting up to @timeout_ms for one. */
PlannrHarnessXfer   *plannr_harness_wait_xfer           (guint timeout_ms);
/* The window's Cancel: purple_xfer_cancel_local(), as Pidgin and Finch
 * call it. */
void                 plannr_harness_cancel_xfer         (PlannrHarnessXfer *xfer);

/* Notifications */

typedef struct {
  PurpleNotifyType kind;        /* MESSAGE, FORMATTED, USERINFO, EMAIL(S),
                                 * SEARCHRESULTS */
  PurpleNotifyMsgType type;     /* for MESSAGE; INFO otherwise */
  char *title;                  /* USERINFO: who */
  char *primary;
  char *secondary;
  char *text;                   /* FORMATTED and USERINFO; SEARCHRESULTS:
                                 * the columns' titles and each row, one
                                 * line each, cells joined by " | " */

  /* SEARCHRESULTS: libpurple's results, valid until libpurple closes
   * them (closed is then TRUE), for plannr_harness_press_search_button. */
  PurpleNotifySearchResults *results;
  PurpleConnection *gc;
  gpointer user_data;
  gboolean closed;
  guint handle;
} PlannrHarnessNotice;

GPtrArray           *plannr_harness_get_notices         (void);
void                 plannr_harness_clear_notices       (void);
gboolean             plannr_harness_wait_notice         (const char *substring,
                                                         guint       timeout_ms);
/* The newest search results still open (purple_notify_searchresults),
 * waiting @timeout_ms at most; NULL if none came. */
PlannrHarnessNotice *plannr_harness_wait_search_results (guint       timeout_ms);
/* Rows of search results, and the cells of one. */
guint                plannr_harness_search_rows         (PlannrHarnessNotice *notice);
const char          *plannr_harness_search_cell         (PlannrHarnessNotice *notice,
                                                         guint                row,
                                                         guint                column);
/* Presses the button labelled @label ("Info", "Invite", "IM", "Join",
 * "Add", "Continue" for libpurple's own kinds) with row @row selected,
 * as Pidgin and Finch do: the callback gets a fresh list of the row's
 * texts.  Asserts that there is such a button. */
void                 plannr_harness_press_search_button (PlannrHarnessNotice *notice,
                                                         guint                row,
                                                         const char          *label);

/* Debug output: every purple_debug_* line as "level category: message". */

const char          *plannr_harness_get_debug_log       (void);
void                 plannr_harness_clear_debug_log     (void);

/* Chats and the buddy list. join_chat needs a connection; send_chat takes
 * the markup Pidgin's entry would produce (escape plain text first);
 * do_command takes what follows the "/" (a leading "/" is dropped) and
 * returns TRUE on PURPLE_CMD_STATUS_OK, else sets *error. */

PurpleConversation  *plannr_harness_find_chat           (PurpleAccount      *account,
                                                         const char         *name_or_title);
gboolean             plannr_harness_wait_chat           (PurpleAccount      *account,
                                                         const char         *name_or_title,
                                                         guint               timeout_ms);
PurpleChat          *plannr_harness_find_blist_chat     (PurpleAccount      *account,
                                                         const char         *uuid);
guint                plannr_harness_count_blist_chats   (PurpleAccount      *account);
void                 plannr_harness_join_chat           (PurpleAccount      *account,
                                                         const char         *uuid);
void                 plannr_harness_send_chat           (PurpleConversation *conv,
                                                         const char         *markup);
gboolean             plannr_harness_do_command          (PurpleConversation *conv,
                                                         const char         *cmdline,
                                                         char              **error);

G_END_DECLS
