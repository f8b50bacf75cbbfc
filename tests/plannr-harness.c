/* plannr-harness.c: libpurple 2 started headless for integration tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-harness.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#define PLANNR_PRPL_ID "prpl-plannr"

/* How long the harness itself waits for libpurple to finish tearing a
 * connection down; generous because valgrind is slow. */
#define HARNESS_TEARDOWN_MS 10000

typedef struct {
  PurpleConnectionError reason;
  char *description;
} HarnessError;

static struct {
  gboolean running;
  char *user_dir;
  gboolean keep_dir;
  gboolean debug_to_stderr;
  GPtrArray *lines;             /* PlannrHarnessLine */
  GPtrArray *notices;           /* PlannrHarnessNotice */
  GHashTable *open_results;     /* ui handle -> PurpleNotifySearchResults, until closed */
  GQueue pending;               /* PlannrHarnessRequest not yet taken */
  GHashTable *live;             /* every PlannrHarnessRequest not yet freed */
  GString *debug_log;
  GHashTable *errors;           /* PurpleAccount * -> HarnessError */
  GHashTable *ui_info;
  guint notify_seq;
  gboolean in_write_chat;       /* write_conv is called from write_chat */
  GPtrArray *xfers;             /* PlannrHarnessXfer */
} harness;

/* The address is the handle our libpurple signal connections hang on. */
static int harness_signal_handle;

/* Event loop
 *
 * libpurple 2 has no loop of its own: every timer and socket watch it (and
 * the plugin, through purple_timeout_add and purple_input_add) creates goes
 * through these ops, so they put everything on the default GMainContext
 * that the tests iterate. */

#define HARNESS_READ_COND  (G_IO_IN | G_IO_HUP | G_IO_ERR | G_IO_NVAL)
#define HARNESS_WRITE_COND (G_IO_OUT | G_IO_HUP | G_IO_ERR | G_IO_NVAL)

typedef struct {
  PurpleInputFunction func;
  gpointer user_data;
  PurpleInputCondition cond;
  int fd;
} HarnessInput;

static guint
harness_timeout_add (guint        interval,
                     GSourceFunc  function,
                     gpointer     data)
{
  return g_timeout_add (interval, function, data);
}

static guint
harness_timeout_add_seconds (guint        interval,
                             GSourceFunc  function,
                             gpointer     data)
{
  return g_timeout_add_seconds (interval, function, data);
}

static gboolean
harness_source_remove (guint handle)
{
  /* Like Pidgin: removing an id that is gone is a bug worth a critical. */
  return g_source_remove (handle);
}

static gboolean
harness_input_dispatch_cb (GIOChannel   *channel,
                           GIOCondition  condition,
                           gpointer      user_data)
{
  HarnessInput *input = user_data;
  PurpleInputCondition cond = 0;

  if (condition & HARNESS_READ_COND)
    cond |= PURPLE_INPUT_READ;
  if (condition & HARNESS_WRITE_COND)
    cond |= PURPLE_INPUT_WRITE;

  /* HUP and ERR belong to both sets; only report what was asked for, so a
   * write-only watch is never told it may read. */
  cond &= input->cond;
  if (cond != 0)
    input->func (input->user_data, input->fd, cond);

  return G_SOURCE_CONTINUE;
}

static guint
harness_input_add (int                   fd,
                   PurpleInputCondition  cond,
                   PurpleInputFunction   func,
                   gpointer              user_data)
{
  g_autoptr(GIOChannel) channel = NULL;
  HarnessInput *input;
  GIOCondition io_cond = 0;

  g_return_val_if_fail (fd >= 0, 0);
  g_return_val_if_fail (func != NULL, 0);

  /* NVAL is in both sets so a closed fd is reported instead of making
   * poll() return at once forever. */
  if (cond & PURPLE_INPUT_READ)
    io_cond |= HARNESS_READ_COND;
  if (cond & PURPLE_INPUT_WRITE)
    io_cond |= HARNESS_WRITE_COND;

  input = g_new0 (HarnessInput, 1);
  input->func = func;
  input->user_data = user_data;
  input->cond = cond;
  input->fd = fd;

  /* The channel does not own the fd (close_on_unref is off by default);
   * the watch keeps the channel alive. */
  channel = g_io_channel_unix_new (fd);

  return g_io_add_watch_full (channel, G_PRIORITY_DEFAULT, io_cond,
                              harness_input_dispatch_cb, input, g_free);
}

static PurpleEventLoopUiOps harness_eventloop_ops = {
  .timeout_add = harness_timeout_add,
  .timeout_remove = harness_source_remove,
  .input_add = harness_input_add,
  .input_remove = harness_source_remove,
  .input_get_error = NULL,      /* getsockopt() is right for plain sockets */
  .timeout_add_seconds = harness_timeout_add_seconds,
};

/* Core */

static GHashTable *
harness_get_ui_info (void)
{
  if (harness.ui_info == NULL)
    {
      harness.ui_info = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (harness.ui_info, "name", "Plannr test harness");
      g_hash_table_insert (harness.ui_info, "version", "0");
      g_hash_table_insert (harness.ui_info, "website", "https://example.invalid/");
      /* Behave like a desktop client towards the plugin. */
      g_hash_table_insert (harness.ui_info, "client_type", "pc");
    }

  return harness.ui_info;
}

static PurpleCoreUiOps harness_core_ops = {
  .get_ui_info = harness_get_ui_info,
};

/* Debug */

static const char *
harness_debug_level_name (PurpleDebugLevel level)
{
  switch (level)
    {
    case PURPLE_DEBUG_MISC:
      return "misc";
    case PURPLE_DEBUG_INFO:
      return "info";
    case PURPLE_DEBUG_WARNING:
      return "warning";
    case PURPLE_DEBUG_ERROR:
      return "error";
    case PURPLE_DEBUG_FATAL:
      return "fatal";
    case PURPLE_DEBUG_ALL:
    default:
      return "all";
    }
}

static void
harness_debug_print (PurpleDebugLevel  level,
                     const char       *category,
                     const char       *message)
{
  gsize start = harness.debug_log->len;

  g_string_append_printf (harness.debug_log, "%s %s: %s",
                          harness_debug_level_name (level),
                          category != NULL ? category : "-",
                          message != NULL ? message : "");
  if (harness.debug_log->len == 0
      || harness.debug_log->str[harness.debug_log->len - 1] != '\n')
    g_string_append_c (harness.debug_log, '\n');

  /* stderr, never stdout: stdout carries the TAP stream. */
  if (harness.debug_to_stderr)
    fputs (harness.debug_log->str + start, stderr);
}

static gboolean
harness_debug_is_enabled (PurpleDebugLevel  level,
                          const char       *category)
{
  /* Everything, so a test can assert on what would ever be logged. */
  return TRUE;
}

static PurpleDebugUiOps harness_debug_ops = {
  .print = harness_debug_print,
  .is_enabled = harness_debug_is_enabled,
};

/* Conversations */

static void
harness_line_free (gpointer data)
{
  PlannrHarnessLine *line = data;

  g_free (line->conv_name);
  g_free (line->conv_title);
  g_free (line->who);
  g_free (line->alias);
  g_free (line->message);
  g_free (line);
}

static void
harness_conv_create (PurpleConversation *conv)
{
}

/* Chat and IM lines go on to purple_conversation_write(), as in Pidgin, so
 * that logging, history and the wrote-*-msg signals happen exactly as in a
 * real client and every line is recorded once, in write_conv. */
static void
harness_conv_write_chat (PurpleConversation *conv,
                         const char         *who,
                         const char         *message,
                         PurpleMessageFlags  flags,
                         time_t              mtime)
{
  gboolean outer = harness.in_write_chat;

  harness.in_write_chat = TRUE;
  purple_conversation_write (conv, who, message, flags, mtime);
  harness.in_write_chat = outer;
}

static void
harness_conv_write_im (PurpleConversation *conv,
                       const char         *who,
                       const char         *message,
                       PurpleMessageFlags  flags,
                       time_t              mtime)
{
  purple_conversation_write (conv, who, message, flags, mtime);
}

static void
harness_conv_write_conv (PurpleConversation *conv,
                         const char         *name,
                         const char         *alias,
                         const char         *message,
                         PurpleMessageFlags  flags,
                         time_t              mtime)
{
  PlannrHarnessLine *line = g_new0 (PlannrHarnessLine, 1);

  line->conv_name = g_strdup (purple_conversation_get_name (conv));
  line->conv_title = g_strdup (purple_conversation_get_title (conv));
  line->who = g_strdup (name);
  line->alias = g_strdup (alias);
  line->message = g_strdup (message);
  line->flags = flags;
  line->mtime = mtime;
  line->via_write_chat = harness.in_write_chat;
  g_ptr_array_add (harness.lines, line);

  if (harness.debug_to_stderr)
    g_printerr ("[line] %s (%s) <%s> %s\n", line->conv_title,
                line->conv_name, line->who, line->message);
}

/* The user lists live in libpurple (purple_conv_chat_get_users); tests ask
 * it directly, so the UI side keeps nothing. */
static void
harness_chat_add_users (PurpleConversation *conv,
                        GList              *cbuddies,
                        gboolean            new_arrivals)
{
}

static void
harness_chat_rename_user (PurpleConversation *conv,
                          const char         *old_name,
                          const char         *new_name,
                          const char         *new_alias)
{
}

static void
harness_chat_remove_users (PurpleConversation *conv,
                           GList              *users)
{
}

static void
harness_chat_update_user (PurpleConversation *conv,
                          const char         *user)
{
}

static gboolean
harness_conv_has_focus (PurpleConversation *conv)
{
  return FALSE;
}

static PurpleConversationUiOps harness_conv_ops = {
  .create_conversation = harness_conv_create,
  .write_chat = harness_conv_write_chat,
  .write_im = harness_conv_write_im,
  .write_conv = harness_conv_write_conv,
  .chat_add_users = harness_chat_add_users,
  .chat_rename_user = harness_chat_rename_user,
  .chat_remove_users = harness_chat_remove_users,
  .chat_update_user = harness_chat_update_user,
  .has_focus = harness_conv_has_focus,
  /* No send_confirm: libpurple then asks through purple_request_action,
   * which lands in the request queue. */
};

/* Requests
 *
 * libpurple's bookkeeping (request.c): the op returns a ui handle, and
 * libpurple only then appends {type, handle, ui handle} to its list. When
 * the UI is done it calls purple_request_close (type, ui_handle), which
 * finds that entry, drops it and calls our close_request op; and
 * purple_request_close_with_handle (e.g. on connection teardown) does the
 * same for every request of a handle without any callback. So close_request
 * is the one place a request is freed (also the fields: the UI owns them),
 * unless a test still holds it: then it is only marked closed and the
 * test's answer frees it. */

static PurpleRequestType
harness_request_purple_type (PlannrHarnessRequestType type)
{
  switch (type)
    {
    case PLANNR_HARNESS_REQUEST_INPUT:
      return PURPLE_REQUEST_INPUT;
    case PLANNR_HARNESS_REQUEST_CHOICE:
      return PURPLE_REQUEST_CHOICE;
    case PLANNR_HARNESS_REQUEST_ACTION:
      return PURPLE_REQUEST_ACTION;
    case PLANNR_HARNESS_REQUEST_FILE:
      return PURPLE_REQUEST_FILE;
    case PLANNR_HARNESS_REQUEST_FIELDS:
    default:
      return PURPLE_REQUEST_FIELDS;
    }
}

static PlannrHarnessRequest *
harness_request_new (PlannrHarnessRequestType  type,
                     const char               *title,
                     const char               *primary,
                     const char               *secondary,
                     PurpleAccount            *account,
                     const char               *who,
                     PurpleConversation       *conv,
                     void                     *user_data)
{
  PlannrHarnessRequest *req = g_new0 (PlannrHarnessRequest, 1);

  req->type = type;
  req->title = g_strdup (title);
  req->primary = g_strdup (primary);
  req->secondary = g_strdup (secondary);
  req->choices = g_ptr_array_new_with_free_func (g_free);
  req->account = account;
  req->who = g_strdup (who);
  req->conv = conv;
  req->user_data = user_data;

  g_queue_push_tail (&harness.pending, req);
  g_hash_table_add (harness.live, req);

  if (harness.debug_to_stderr)
    g_printerr ("[request] %s / %s / %s\n", title, primary, secondary);

  return req;
}

static void
harness_request_free (PlannrHarnessRequest *req)
{
  g_queue_remove (&harness.pending, req);
  g_hash_table_remove (harness.live, req);

  g_free (req->title);
  g_free (req->primary);
  g_free (req->secondary);
  g_free (req->default_value);
  g_free (req->who);
  g_ptr_array_unref (req->choices);
  if (req->values != NULL)
    g_array_unref (req->values);
  if (req->action_cbs != NULL)
    g_ptr_array_unref (req->action_cbs);
  if (req->fields != NULL)
    purple_request_fields_destroy (req->fields);
  g_free (req);
}

static void *
harness_request_input (const char         *title,
                       const char         *primary,
                       const char         *secondary,
                       const char         *default_value,
                       gboolean            multiline,
                       gboolean            masked,
                       char               *hint,
                       const char         *ok_text,
                       GCallback           ok_cb,
                       const char         *cancel_text,
                       GCallback           cancel_cb,
                       PurpleAccount      *account,
                       const char         *who,
                       PurpleConversation *conv,
                       void               *user_data)
{
  PlannrHarnessRequest *req;

  req = harness_request_new (PLANNR_HARNESS_REQUEST_INPUT, title, primary,
                             secondary, account, who, conv, user_data);
  req->default_value = g_strdup (default_value);
  req->ok_cb = ok_cb;
  req->cancel_cb = cancel_cb;

  return req;
}

static void *
harness_request_choice (const char         *title,
                        const char         *primary,
                        const char         *secondary,
                        int                 default_value,
                        const char         *ok_text,
                        GCallback           ok_cb,
                        const char         *cancel_text,
                        GCallback           cancel_cb,
                        PurpleAccount      *account,
                        const char         *who,
                        PurpleConversation *conv,
                        void               *user_data,
                        va_list             choices)
{
  PlannrHarnessRequest *req;
  const char *label;

  req = harness_request_new (PLANNR_HARNESS_REQUEST_CHOICE, title, primary,
                             secondary, account, who, conv, user_data);
  req->ok_cb = ok_cb;
  req->cancel_cb = cancel_cb;
  req->values = g_array_new (FALSE, FALSE, sizeof (int));
  req->default_index = -1;

  /* Pairs of (const char *label, int value), NULL-terminated; the
   * callbacks get the value, not the position. */
  while ((label = va_arg (choices, const char *)) != NULL)
    {
      int value = va_arg (choices, int);

      if (value == default_value && req->default_index < 0)
        req->default_index = req->values->len;
      g_ptr_array_add (req->choices, g_strdup (label));
      g_array_append_val (req->values, value);
    }

  if (req->default_index < 0)
    req->default_index = 0;

  return req;
}

static void *
harness_request_action (const char         *title,
                        const char         *primary,
                        const char         *secondary,
                        int                 default_action,
                        PurpleAccount      *account,
                        const char         *who,
                        PurpleConversation *conv,
                        void               *user_data,
                        size_t              action_count,
                        va_list             actions)
{
  PlannrHarnessRequest *req;

  req = harness_request_new (PLANNR_HARNESS_REQUEST_ACTION, title, primary,
                             secondary, account, who, conv, user_data);
  req->default_index = default_action;
  req->action_cbs = g_ptr_array_new ();

  /* action_count pairs of (const char *label, PurpleRequestActionCb). */
  for (size_t i = 0; i < action_count; i++)
    {
      const char *label = va_arg (actions, const char *);
      GCallback cb = va_arg (actions, GCallback);

      g_ptr_array_add (req->choices, g_strdup (label));
      g_ptr_array_add (req->action_cbs, (gpointer) cb);
    }

  return req;
}

static void *
harness_request_fields (const char          *title,
                        const char          *primary,
                        const char          *secondary,
                        PurpleRequestFields *fields,
                        const char          *ok_text,
                        GCallback            ok_cb,
                        const char          *cancel_text,
                        GCallback            cancel_cb,
                        PurpleAccount       *account,
                        const char          *who,
                        PurpleConversation  *conv,
                        void                *user_data)
{
  PlannrHarnessRequest *req;

  req = harness_request_new (PLANNR_HARNESS_REQUEST_FIELDS, title, primary,
                             secondary, account, who, conv, user_data);
  req->fields = fields;         /* ours now, destroyed when freed */
  req->ok_cb = ok_cb;
  req->cancel_cb = cancel_cb;

  return req;
}

static void *
harness_request_file (const char         *title,
                      const char         *filename,
                      gboolean            savedialog,
                      GCallback           ok_cb,
                      GCallback           cancel_cb,
                      PurpleAccount      *account,
                      const char         *who,
                      PurpleConversation *conv,
                      void               *user_data)
{
  PlannrHarnessRequest *req;

  req = harness_request_new (PLANNR_HARNESS_REQUEST_FILE, title, NULL, NULL,
                             account, who, conv, user_data);
  req->default_value = g_strdup (filename);
  req->save_dialog = savedialog;
  req->ok_cb = ok_cb;
  req->cancel_cb = cancel_cb;

  return req;
}

static void
harness_close_request (PurpleRequestType  type,
                       void              *ui_handle)
{
  PlannrHarnessRequest *req = ui_handle;

  if (!g_hash_table_contains (harness.live, req))
    return;

  req->closed = TRUE;

  /* Whoever holds it (a test, or an answer in progress) frees it. */
  if (req->taken || req->answering)
    return;

  harness_request_free (req);
}

static PurpleRequestUiOps harness_request_ops = {
  .request_input = harness_request_input,
  .request_choice = harness_request_choice,
  .request_action = harness_request_action,
  .request_fields = harness_request_fields,
  .close_request = harness_close_request,
  .request_file = harness_request_file,
  /* No request_action_with_icon: libpurple falls back to request_action. */
};

typedef void (*HarnessRequestInvoke) (PlannrHarnessRequest *req,
                                      gconstpointer         data);

/* The answer protocol of a real UI: run the callback, then tell libpurple
 * the dialog is gone with purple_request_close, which comes back to
 * close_request. The callback itself may close the request (e.g. by
 * disconnecting), so both steps check `closed`, and only here is it freed. */
static void
harness_request_finish (PlannrHarnessRequest *req,
                        HarnessRequestInvoke  invoke,
                        gconstpointer         data)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (g_hash_table_contains (harness.live, req));

  if (!req->closed)
    {
      req->answering = TRUE;

      if (invoke != NULL)
        invoke (req, data);

      if (!req->closed)
        purple_request_close (harness_request_purple_type (req->type), req);

      req->answering = FALSE;
    }

  harness_request_free (req);
}

static void
harness_invoke_input_ok (PlannrHarnessRequest *req,
                         gconstpointer         data)
{
  if (req->ok_cb != NULL)
    ((PurpleRequestInputCb) req->ok_cb) (req->user_data, data);
}

static void
harness_invoke_choice_ok (PlannrHarnessRequest *req,
                          gconstpointer         data)
{
  int index = GPOINTER_TO_INT (data);

  if (req->ok_cb != NULL)
    ((PurpleRequestChoiceCb) req->ok_cb) (req->user_data,
                                          g_array_index (req->values, int, index));
}

static void
harness_invoke_action (PlannrHarnessRequest *req,
                       gconstpointer         data)
{
  int index = GPOINTER_TO_INT (data);
  GCallback cb = (GCallback) g_ptr_array_index (req->action_cbs, index);

  if (cb != NULL)
    ((PurpleRequestActionCb) cb) (req->user_data, index);
}

static void
harness_invoke_file_ok (PlannrHarnessRequest *req,
                        gconstpointer         data)
{
  if (req->ok_cb != NULL)
    ((PurpleRequestFileCb) req->ok_cb) (req->user_data, data);
}

static void
harness_invoke_fields_ok (PlannrHarnessRequest *req,
                          gconstpointer         data)
{
  if (req->ok_cb != NULL)
    ((PurpleRequestFieldsCb) req->ok_cb) (req->user_data, req->fields);
}

/* What Pidgin does on Cancel: the same callback types as OK, with the
 * dialog's current (here: default) value; an action dialog that is closed
 * without a button runs nothing. */
static void
harness_invoke_cancel (PlannrHarnessRequest *req,
                       gconstpointer         data)
{
  if (req->cancel_cb == NULL)
    return;

  switch (req->type)
    {
    case PLANNR_HARNESS_REQUEST_INPUT:
      ((PurpleRequestInputCb) req->cancel_cb) (req->user_data,
                                               req->default_value);
      break;
    case PLANNR_HARNESS_REQUEST_CHOICE:
      ((PurpleRequestChoiceCb) req->cancel_cb) (
          req->user_data,
          req->values->len > 0
            ? g_array_index (req->values, int, req->default_index) : 0);
      break;
    case PLANNR_HARNESS_REQUEST_FIELDS:
      ((PurpleRequestFieldsCb) req->cancel_cb) (req->user_data, req->fields);
      break;
    case PLANNR_HARNESS_REQUEST_FILE:
      /* Pidgin's chooser: the cancel callback, without a file. */
      ((PurpleRequestFileCb) req->cancel_cb) (req->user_data, NULL);
      break;
    case PLANNR_HARNESS_REQUEST_ACTION:
    default:
      break;
    }
}

static gboolean
harness_has_request_cb (gpointer data)
{
  return !g_queue_is_empty (&harness.pending);
}

PlannrHarnessRequest *
plannr_harness_wait_request (guint timeout_ms)
{
  PlannrHarnessRequest *req;

  if (!plannr_wait_until (harness_has_request_cb, NULL, timeout_ms))
    return NULL;

  req = g_queue_pop_head (&harness.pending);
  req->taken = TRUE;

  return req;
}

guint
plannr_harness_count_requests (void)
{
  return g_queue_get_length (&harness.pending);
}

void
plannr_harness_answer_input (PlannrHarnessRequest *req,
                             const char           *text)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (req->type == PLANNR_HARNESS_REQUEST_INPUT);

  harness_request_finish (req, harness_invoke_input_ok, text);
}

void
plannr_harness_answer_choice (PlannrHarnessRequest *req,
                              int                   index)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (req->type == PLANNR_HARNESS_REQUEST_CHOICE);
  g_return_if_fail (index >= 0 && (guint) index < req->values->len);

  harness_request_finish (req, harness_invoke_choice_ok,
                          GINT_TO_POINTER (index));
}

void
plannr_harness_answer_action (PlannrHarnessRequest *req,
                              int                   index)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (req->type == PLANNR_HARNESS_REQUEST_ACTION);
  g_return_if_fail (index >= 0 && (guint) index < req->action_cbs->len);

  harness_request_finish (req, harness_invoke_action, GINT_TO_POINTER (index));
}

void
plannr_harness_answer_fields (PlannrHarnessRequest *req)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (req->type == PLANNR_HARNESS_REQUEST_FIELDS);

  harness_request_finish (req, harness_invoke_fields_ok, NULL);
}

void
plannr_harness_answer_file (PlannrHarnessRequest *req,
                            const char           *path)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (req->type == PLANNR_HARNESS_REQUEST_FILE);

  harness_request_finish (req, harness_invoke_file_ok, path);
}

void
plannr_harness_cancel_request (PlannrHarnessRequest *req)
{
  g_return_if_fail (req != NULL);

  harness_request_finish (req, harness_invoke_cancel, NULL);
}

/* Notifications
 *
 * Each notification gets a distinct, non-NULL ui handle like a real dialog
 * that nobody has dismissed yet: libpurple then keeps it (and its close
 * callback) until purple_notify_close*, exactly as in Pidgin, and plugin
 * code that closes its own notifications never sees a NULL handle. The
 * record itself stays in our list until a test clears it. */

static void
harness_notice_free (gpointer data)
{
  PlannrHarnessNotice *notice = data;

  g_free (notice->title);
  g_free (notice->primary);
  g_free (notice->secondary);
  g_free (notice->text);
  g_free (notice);
}

static void *
harness_notice_add (PurpleNotifyType     kind,
                    PurpleNotifyMsgType  type,
                    const char          *title,
                    const char          *primary,
                    const char          *secondary,
                    char                *text)
{
  PlannrHarnessNotice *notice = g_new0 (PlannrHarnessNotice, 1);

  notice->kind = kind;
  notice->type = type;
  notice->title = g_strdup (title);
  notice->primary = g_strdup (primary);
  notice->secondary = g_strdup (secondary);
  notice->text = text;
  g_ptr_array_add (harness.notices, notice);

  if (harness.debug_to_stderr)
    g_printerr ("[notice] %s / %s / %s\n", title, primary, secondary);

  return GUINT_TO_POINTER (++harness.notify_seq);
}

static void *
harness_notify_message (PurpleNotifyMsgType  type,
                        const char          *title,
                        const char          *primary,
                        const char          *secondary)
{
  return harness_notice_add (PURPLE_NOTIFY_MESSAGE, type, title, primary,
                             secondary, NULL);
}

static void *
harness_notify_email (PurpleConnection *gc,
                      const char       *subject,
                      const char       *from,
                      const char       *to,
                      const char       *url)
{
  return harness_notice_add (PURPLE_NOTIFY_EMAIL, PURPLE_NOTIFY_MSG_INFO,
                             NULL, subject, from, NULL);
}

static void *
harness_notify_emails (PurpleConnection  *gc,
                       size_t             count,
                       gboolean           detailed,
                       const char       **subjects,
                       const char       **froms,
                       const char       **tos,
                       const char       **urls)
{
  return harness_notice_add (PURPLE_NOTIFY_EMAILS, PURPLE_NOTIFY_MSG_INFO,
                             NULL,
                             subjects != NULL ? subjects[0] : NULL,
                             froms != NULL ? froms[0] : NULL, NULL);
}

static void *
harness_notify_formatted (const char *title,
                          const char *primary,
                          const char *secondary,
                          const char *text)
{
  return harness_notice_add (PURPLE_NOTIFY_FORMATTED, PURPLE_NOTIFY_MSG_INFO,
                             title, primary, secondary, g_strdup (text));
}

static void *
harness_notify_userinfo (PurpleConnection     *gc,
                         const char           *who,
                         PurpleNotifyUserInfo *user_info)
{
  return harness_notice_add (PURPLE_NOTIFY_USERINFO, PURPLE_NOTIFY_MSG_INFO,
                             who, NULL, NULL,
                             purple_notify_user_info_get_text_with_newline (user_info, "\n"));
}

static const char *
harness_button_label (PurpleNotifySearchButton *button)
{
  switch (button->type)
    {
    case PURPLE_NOTIFY_BUTTON_LABELED:
      return button->label;
    case PURPLE_NOTIFY_BUTTON_CONTINUE:
      return "Continue";
    case PURPLE_NOTIFY_BUTTON_ADD:
      return "Add";
    case PURPLE_NOTIFY_BUTTON_INFO:
      return "Info";
    case PURPLE_NOTIFY_BUTTON_IM:
      return "IM";
    case PURPLE_NOTIFY_BUTTON_JOIN:
      return "Join";
    case PURPLE_NOTIFY_BUTTON_INVITE:
      return "Invite";
    default:
      return NULL;
    }
}

static void *
harness_notify_searchresults (PurpleConnection          *gc,
                              const char                *title,
                              const char                *primary,
                              const char                *secondary,
                              PurpleNotifySearchResults *results,
                              gpointer                   user_data)
{
  GString *text = g_string_new (NULL);
  PlannrHarnessNotice *notice;
  void *handle;

  for (GList *c = results->columns; c != NULL; c = c->next)
    g_string_append_printf (text, "%s%s", c == results->columns ? "" : " | ",
                            ((PurpleNotifySearchColumn *) c->data)->title);
  for (GList *r = results->rows; r != NULL; r = r->next)
    {
      g_string_append_c (text, '\n');
      for (GList *cell = r->data; cell != NULL; cell = cell->next)
        g_string_append_printf (text, "%s%s", cell == r->data ? "" : " | ",
                                cell->data != NULL ? (const char *) cell->data : "");
    }
  handle = harness_notice_add (PURPLE_NOTIFY_SEARCHRESULTS, PURPLE_NOTIFY_MSG_INFO, title, primary,
                               secondary, g_string_free (text, FALSE));
  notice = g_ptr_array_index (harness.notices, harness.notices->len - 1);
  notice->results = results;
  g_hash_table_insert (harness.open_results, handle, results);
  notice->gc = gc;
  notice->user_data = user_data;
  notice->handle = GPOINTER_TO_UINT (handle);
  return handle;
}

static void
harness_close_notify (PurpleNotifyType  type,
                      void             *ui_handle)
{
  /* The handle is a number and the record, if a test kept it, stays.
   * Search results are the UI's to free when their window closes
   * (Pidgin's and Finch's close_notify free them); libpurple frees only
   * its own record. */
  for (guint i = 0; i < harness.notices->len; i++)
    {
      PlannrHarnessNotice *notice = g_ptr_array_index (harness.notices, i);

      if (notice->handle != 0 && notice->handle == GPOINTER_TO_UINT (ui_handle))
        {
          notice->closed = TRUE;
          notice->results = NULL;
        }
    }
  g_hash_table_remove (harness.open_results, ui_handle);
}

static PurpleNotifyUiOps harness_notify_ops = {
  .notify_message = harness_notify_message,
  .notify_email = harness_notify_email,
  .notify_emails = harness_notify_emails,
  .notify_formatted = harness_notify_formatted,
  .notify_userinfo = harness_notify_userinfo,
  .notify_searchresults = harness_notify_searchresults,
  .close_notify = harness_close_notify,
};

/* File transfers
 *
 * What a transfer window shows, kept per transfer.  No ui_read or
 * ui_write: like Pidgin and Finch, libpurple reads and writes the local
 * file itself. */

static PlannrHarnessXfer *
harness_xfer_find (PurpleXfer *xfer)
{
  for (guint i = 0; harness.xfers != NULL && i < harness.xfers->len; i++)
    {
      PlannrHarnessXfer *record = g_ptr_array_index (harness.xfers, i);

      if (record->xfer == xfer)
        return record;
    }
  return NULL;
}

static PlannrHarnessXfer *
harness_xfer_note (PurpleXfer *xfer)
{
  PlannrHarnessXfer *record = harness_xfer_find (xfer);

  if (record == NULL)
    {
      record = g_new0 (PlannrHarnessXfer, 1);
      record->xfer = xfer;
      record->type = purple_xfer_get_type (xfer);
      g_ptr_array_add (harness.xfers, record);
    }
  g_free (record->filename);
  record->filename = g_strdup (purple_xfer_get_filename (xfer));
  g_free (record->local_filename);
  record->local_filename = g_strdup (purple_xfer_get_local_filename (xfer));
  record->size = purple_xfer_get_size (xfer);
  record->bytes_sent = purple_xfer_get_bytes_sent (xfer);
  record->status = purple_xfer_get_status (xfer);
  return record;
}

static void
harness_xfer_free (gpointer data)
{
  PlannrHarnessXfer *record = data;

  g_free (record->filename);
  g_free (record->local_filename);
  g_free (record);
}

static void
harness_new_xfer (PurpleXfer *xfer)
{
  harness_xfer_note (xfer);
}

static void
harness_add_xfer (PurpleXfer *xfer)
{
  PlannrHarnessXfer *record = harness_xfer_note (xfer);

  record->added = TRUE;
  if (harness.debug_to_stderr)
    g_printerr ("[xfer] added %s (%s)\n", record->filename, record->local_filename);
}

static void
harness_update_xfer_progress (PurpleXfer *xfer,
                              double      percent)
{
  PlannrHarnessXfer *record = harness_xfer_note (xfer);

  record->progress = percent;
  record->updates++;
}

static void
harness_cancel_xfer_local (PurpleXfer *xfer)
{
  harness_xfer_note (xfer)->cancelled_local = TRUE;
}

static void
harness_cancel_xfer_remote (PurpleXfer *xfer)
{
  harness_xfer_note (xfer)->cancelled_remote = TRUE;
}

static void
harness_destroy_xfer (PurpleXfer *xfer)
{
  PlannrHarnessXfer *record = harness_xfer_find (xfer);

  if (record != NULL)
    {
      harness_xfer_note (xfer);
      record->xfer = NULL;
    }
}

static PurpleXferUiOps harness_xfer_ops = {
  .new_xfer = harness_new_xfer,
  .destroy = harness_destroy_xfer,
  .add_xfer = harness_add_xfer,
  .update_progress = harness_update_xfer_progress,
  .cancel_local = harness_cancel_xfer_local,
  .cancel_remote = harness_cancel_xfer_remote,
};

GPtrArray *
plannr_harness_get_xfers (void)
{
  return harness.xfers;
}

void
plannr_harness_clear_xfers (void)
{
  g_ptr_array_set_size (harness.xfers, 0);
}

static gboolean
harness_has_added_xfer_cb (gpointer data)
{
  for (guint i = 0; i < harness.xfers->len; i++)
    if (((PlannrHarnessXfer *) g_ptr_array_index (harness.xfers, i))->added)
      return TRUE;
  return FALSE;
}

PlannrHarnessXfer *
plannr_harness_wait_xfer (guint timeout_ms)
{
  if (!plannr_wait_until (harness_has_added_xfer_cb, NULL, timeout_ms))
    return NULL;
  for (guint i = harness.xfers->len; i > 0; i--)
    {
      PlannrHarnessXfer *record = g_ptr_array_index (harness.xfers, i - 1);

      if (record->added)
        return record;
    }
  return NULL;
}

void
plannr_harness_cancel_xfer (PlannrHarnessXfer *record)
{
  g_return_if_fail (record != NULL && record->xfer != NULL);

  purple_xfer_cancel_local (record->xfer);
}

/* Accounts and connections: no ops at all, on purpose. In Pidgin and Finch
 * the automatic reconnect lives in the UI (network_connected and their
 * connection-error handling); without it nothing ever signs on again behind
 * a test's back. */

static PurpleAccountUiOps harness_account_ops;
static PurpleConnectionUiOps harness_connection_ops;

static void
harness_error_free (gpointer data)
{
  HarnessError *error = data;

  g_free (error->description);
  g_free (error);
}

static void
harness_connection_error_cb (PurpleConnection      *gc,
                             PurpleConnectionError  reason,
                             const char            *description,
                             gpointer               user_data)
{
  HarnessError *error = g_new0 (HarnessError, 1);

  error->reason = reason;
  error->description = g_strdup (description);
  g_hash_table_replace (harness.errors, purple_connection_get_account (gc),
                        error);

  if (harness.debug_to_stderr)
    g_printerr ("[connection-error] %d %s\n", reason, description);
}

static void
harness_account_destroying_cb (PurpleAccount *account,
                               gpointer       user_data)
{
  g_hash_table_remove (harness.errors, account);
}

/* Start and stop */

/* Not g_dir_make_tmp: that caches g_get_tmp_dir() before we point TMPDIR at
 * our scratch dir, and GLib would then keep handing out the real /tmp. */
static char *
harness_make_temp_dir (void)
{
  const char *base = g_getenv ("TMPDIR");
  g_autofree char *template = NULL;

  if (base == NULL || *base == '\0')
    base = "/tmp";

  template = g_build_filename (base, "plannr-test-XXXXXX", NULL);
  if (g_mkdtemp (template) == NULL)
    g_error ("plannr-harness: cannot create a temporary dir in %s: %s",
             base, g_strerror (errno));

  return g_steal_pointer (&template);
}

static void
harness_remove_tree (const char *path)
{
  GStatBuf st;

  /* lstat, so a symlink is removed, never followed. */
  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          harness_remove_tree (child);
        }

      if (g_rmdir (path) != 0)
        g_test_message ("plannr-harness: could not remove %s: %s",
                        path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0)
    {
      g_test_message ("plannr-harness: could not remove %s: %s",
                      path, g_strerror (errno));
    }
}

static const char *
harness_plugin_dir (void)
{
  const char *dir = g_getenv ("PLANNR_PLUGIN_DIR");

  if (dir != NULL && *dir != '\0')
    return dir;

#ifdef PLANNR_PLUGIN_DIR
  return PLANNR_PLUGIN_DIR;
#else
  g_error ("plannr-harness: no plugin dir: build with -DPLANNR_PLUGIN_DIR=... "
           "or set PLANNR_PLUGIN_DIR");
  return NULL;
#endif
}

static gboolean
harness_env_flag (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' && g_strcmp0 (value, "0") != 0;
}

static PurpleSavedStatus *
harness_available_status (void)
{
  PurpleSavedStatus *saved;

  saved = purple_savedstatus_find_transient_by_type_and_message (PURPLE_STATUS_AVAILABLE,
                                                                 NULL);
  if (saved == NULL)
    saved = purple_savedstatus_new (NULL, PURPLE_STATUS_AVAILABLE);

  return saved;
}

static char *
harness_make_subdir (const char *dir,
                     const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (g_mkdir (path, 0700) != 0)
    g_error ("plannr-harness: cannot create %s: %s", path, g_strerror (errno));

  return g_steal_pointer (&path);
}

/* Everything here must happen before GLib, GIO, GStreamer, libdbus or
 * libpurple first read the variable, as several of them cache it. What the
 * process leaves behind then stays inside the temporary dir, and nothing
 * depends on (or talks to) the desktop session the tests run in. */
static void
harness_isolate_environment (const char *dir)
{
  g_autofree char *tmp = harness_make_subdir (dir, "tmp");
  g_autofree char *config = harness_make_subdir (dir, "config");
  g_autofree char *cache = harness_make_subdir (dir, "cache");
  g_autofree char *gst_plugins = harness_make_subdir (dir, "gst-plugins");
  g_autofree char *no_bus = NULL;

  /* Media init leaves files in TMPDIR, PulseAudio's cookie in
   * XDG_CONFIG_HOME and the GStreamer registry in XDG_CACHE_HOME. */
  g_setenv ("TMPDIR", tmp, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  /* libpurple's media manager probes every GStreamer device at some
   * point, which connects to the user's PulseAudio and X server; with no
   * GStreamer plugins it finds none. The plugin has no media. */
  g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", gst_plugins, TRUE);
  g_unsetenv ("GST_PLUGIN_PATH_1_0");
  g_unsetenv ("GST_PLUGIN_PATH");

  /* libproxy, GIO's default proxy resolver, upsets valgrind. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  /* libpurple built with D-Bus exports itself on the session bus (or,
   * without one but with $DISPLAY, runs dbus-launch to autolaunch one) and
   * follows NetworkManager on the system bus. A bus address that cannot
   * work makes both fail at once, which libpurple only logs. */
  no_bus = g_strdup_printf ("unix:path=%s/no-such-bus", dir);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", no_bus, TRUE);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", no_bus, TRUE);
  g_unsetenv ("DBUS_STARTER_ADDRESS");
  g_unsetenv ("DBUS_STARTER_BUS_TYPE");
}

/* libpurple says why a module would not load only in its debug output,
 * so quote what it said about our dir. */
static void G_GNUC_NORETURN
harness_fail_no_plugin (const char *plugin_dir)
{
  g_auto(GStrv) log_lines = g_strsplit (harness.debug_log->str, "\n", -1);
  g_autoptr(GString) said = g_string_new (NULL);

  for (char **l = log_lines; *l != NULL; l++)
    if (strstr (*l, plugin_dir) != NULL)
      g_string_append_printf (said, "\n  %s", *l);

  if (!harness.keep_dir)
    harness_remove_tree (harness.user_dir);

  g_error ("plannr-harness: libpurple found no %s plugin in %s; is "
           "libplannr%s built there? (PLANNR_PLUGIN_DIR overrides the dir)%s",
           PLANNR_PRPL_ID, plugin_dir, "." G_MODULE_SUFFIX,
           said->len > 0 ? said->str : "\n  (libpurple said nothing about it)");
}

void
plannr_harness_init (void)
{
  const char *plugin_dir;
  PurplePlugin *prpl;

  g_assert_false (harness.running);

  harness.debug_to_stderr = harness_env_flag ("PLANNR_TEST_DEBUG");
  harness.keep_dir = harness_env_flag ("PLANNR_TEST_KEEP_DIR");

  harness.user_dir = harness_make_temp_dir ();
  harness_isolate_environment (harness.user_dir);

  if (harness.keep_dir || harness.debug_to_stderr)
    g_test_message ("plannr-harness: user dir %s", harness.user_dir);

  harness.lines = g_ptr_array_new_with_free_func (harness_line_free);
  harness.notices = g_ptr_array_new_with_free_func (harness_notice_free);
  harness.open_results = g_hash_table_new_full (NULL, NULL, NULL,
                                                (GDestroyNotify) purple_notify_searchresults_free);
  g_queue_init (&harness.pending);
  harness.live = g_hash_table_new (NULL, NULL);
  harness.debug_log = g_string_new (NULL);
  harness.errors = g_hash_table_new_full (NULL, NULL, NULL, harness_error_free);
  harness.xfers = g_ptr_array_new_with_free_func (harness_xfer_free);

  purple_util_set_user_dir (harness.user_dir);

  /* Never on: libpurple's own console output goes to stdout, which is the
   * TAP stream. Our print op sees everything anyway (is_enabled is TRUE)
   * and copies it to stderr under PLANNR_TEST_DEBUG. */
  purple_debug_set_enabled (FALSE);

  purple_core_set_ui_ops (&harness_core_ops);
  purple_eventloop_set_ui_ops (&harness_eventloop_ops);
  purple_debug_set_ui_ops (&harness_debug_ops);
  purple_conversations_set_ui_ops (&harness_conv_ops);
  purple_request_set_ui_ops (&harness_request_ops);
  purple_notify_set_ui_ops (&harness_notify_ops);
  purple_accounts_set_ui_ops (&harness_account_ops);
  purple_connections_set_ui_ops (&harness_connection_ops);
  purple_xfers_set_ui_ops (&harness_xfer_ops);

  /* Before purple_core_init: that is when libpurple probes for plugins. */
  plugin_dir = harness_plugin_dir ();
  purple_plugins_add_search_path (plugin_dir);

  if (!purple_core_init (PLANNR_HARNESS_UI))
    g_error ("plannr-harness: purple_core_init failed");
  harness.running = TRUE;

  /* Tests talk to loopback servers: whatever the host's network state,
   * libpurple must not hold back sign-ons (its switch for offline tests). */
  purple_network_force_online ();

  purple_set_blist (purple_blist_new ());
  purple_blist_load ();
  purple_prefs_load ();

  /* Nothing may happen on its own during a test: no auto-away, no idle
   * reporting (both change account statuses), no logs. */
  purple_prefs_set_bool ("/purple/away/away_when_idle", FALSE);
  purple_prefs_set_string ("/purple/away/idle_reporting", "none");
  purple_prefs_set_bool ("/purple/logging/log_ims", FALSE);
  purple_prefs_set_bool ("/purple/logging/log_chats", FALSE);
  purple_prefs_set_bool ("/purple/logging/log_system", FALSE);

  purple_signal_connect (purple_connections_get_handle (), "connection-error",
                         &harness_signal_handle,
                         PURPLE_CALLBACK (harness_connection_error_cb), NULL);
  purple_signal_connect (purple_accounts_get_handle (), "account-destroying",
                         &harness_signal_handle,
                         PURPLE_CALLBACK (harness_account_destroying_cb), NULL);

  /* The global status every UI starts with; there are no accounts yet, so
   * this signs nothing on. */
  purple_savedstatus_activate (harness_available_status ());

  prpl = purple_find_prpl (PLANNR_PRPL_ID);
  if (prpl == NULL)
    {
      purple_plugins_probe (G_MODULE_SUFFIX);
      prpl = purple_find_prpl (PLANNR_PRPL_ID);
    }
  if (prpl == NULL)
    harness_fail_no_plugin (plugin_dir);
}

void
plannr_harness_shutdown (void)
{
  PlannrHarnessRequest *req;

  g_return_if_fail (harness.running);

  /* Tears down connections (closing their requests) and saves all the
   * XML, which therefore must still find the user dir. */
  purple_signals_disconnect_by_handle (&harness_signal_handle);
  purple_core_quit ();
  harness.running = FALSE;

  /* Requests nobody answered: with libpurple gone nothing can close them
   * any more, so free them, whether queued or held by a test. */
  while (g_hash_table_size (harness.live) > 0)
    {
      GHashTableIter iter;

      g_hash_table_iter_init (&iter, harness.live);
      g_hash_table_iter_next (&iter, (gpointer *) &req, NULL);
      harness_request_free (req);
    }
  g_clear_pointer (&harness.live, g_hash_table_unref);

  g_clear_pointer (&harness.lines, g_ptr_array_unref);
  g_clear_pointer (&harness.notices, g_ptr_array_unref);
  g_clear_pointer (&harness.open_results, g_hash_table_unref);
  g_clear_pointer (&harness.xfers, g_ptr_array_unref);
  g_clear_pointer (&harness.errors, g_hash_table_unref);
  g_clear_pointer (&harness.ui_info, g_hash_table_unref);
  if (harness.debug_log != NULL)
    g_string_free (g_steal_pointer (&harness.debug_log), TRUE);

  if (harness.keep_dir)
    g_printerr ("plannr-harness: kept %s\n", harness.user_dir);
  else
    harness_remove_tree (harness.user_dir);
  g_clear_pointer (&harness.user_dir, g_free);
}

const char *
plannr_harness_get_user_dir (void)
{
  return harness.user_dir;
}

/* Accounts */

PurpleAccount *
plannr_harness_account_new (const char *username,
                            const char *token,
                            const char *base_url,
                            const char *account_uuid)
{
  PurpleAccount *account;

  g_return_val_if_fail (username != NULL, NULL);

  /* purple_account_new returns the existing account for a known
   * username, so tests must use distinct ones. */
  account = purple_account_new (username, PLANNR_PRPL_ID);
  purple_account_set_password (account, token);
  purple_account_set_remember_password (account, TRUE);
  if (base_url != NULL)
    purple_account_set_string (account, "base-url", base_url);
  if (account_uuid != NULL)
    purple_account_set_string (account, "account-uuid", account_uuid);
  purple_accounts_add (account);

  return account;
}

static gboolean
harness_connection_dying_cb (gpointer data)
{
  PurpleConnection *gc = purple_account_get_connection (data);

  return gc == NULL || !gc->wants_to_die;
}

static gboolean
harness_connection_gone_cb (gpointer data)
{
  return purple_account_get_connection (data) == NULL;
}

void
plannr_harness_connect (PurpleAccount *account)
{
  g_return_if_fail (account != NULL);

  /* A failed connection is only torn down from a timeout, and until then
   * libpurple ignores enabling the account; let it finish dying first. */
  if (!plannr_wait_until (harness_connection_dying_cb, account,
                          HARNESS_TEARDOWN_MS))
    g_test_fail_printf ("plannr-harness: the failed connection of %s "
                        "was not torn down",
                        purple_account_get_username (account));

  g_hash_table_remove (harness.errors, account);

  /* Just this account: activating the saved status globally would also
   * sign on every other enabled account that is offline. Then enabling it
   * signs it on, as the status is online. */
  purple_savedstatus_activate_for_account (harness_available_status (),
                                           account);
  purple_account_set_enabled (account, PLANNR_HARNESS_UI, TRUE);

  if (purple_account_is_disconnected (account))
    purple_account_connect (account);
}

void
plannr_harness_disconnect (PurpleAccount *account)
{
  g_return_if_fail (account != NULL);

  purple_account_set_enabled (account, PLANNR_HARNESS_UI, FALSE);

  if (!plannr_wait_until (harness_connection_gone_cb, account,
                          HARNESS_TEARDOWN_MS))
    g_test_fail_printf ("plannr-harness: %s did not disconnect",
                        purple_account_get_username (account));
}

void
plannr_harness_account_delete (PurpleAccount *account)
{
  g_return_if_fail (account != NULL);

  plannr_harness_disconnect (account);
  purple_accounts_delete (account);
}

/* The main loop */

gboolean
plannr_harness_wait (PlannrHarnessCond cond,
                     gpointer          data,
                     guint             timeout_ms)
{
  return plannr_wait_until (cond, data, timeout_ms);
}

void
plannr_harness_run_for (guint ms)
{
  plannr_wait_for_ms (ms);
}

static gboolean
harness_connected_cb (gpointer data)
{
  return purple_account_is_connected (data);
}

gboolean
plannr_harness_wait_connected (PurpleAccount *account,
                               guint          timeout_ms)
{
  g_return_val_if_fail (account != NULL, FALSE);

  return plannr_wait_until (harness_connected_cb, account, timeout_ms);
}

/* Connection errors */

static gboolean
harness_has_error_cb (gpointer data)
{
  return g_hash_table_contains (harness.errors, data);
}

gboolean
plannr_harness_wait_error (PurpleAccount          *account,
                           guint                   timeout_ms,
                           PurpleConnectionError  *reason,
                           char                  **description)
{
  HarnessError *error;

  g_return_val_if_fail (account != NULL, FALSE);

  if (!plannr_wait_until (harness_has_error_cb, account, timeout_ms))
    return FALSE;

  error = g_hash_table_lookup (harness.errors, account);
  if (reason != NULL)
    *reason = error->reason;
  if (description != NULL)
    *description = g_strdup (error->description);

  return TRUE;
}

void
plannr_harness_clear_errors (void)
{
  g_hash_table_remove_all (harness.errors);
}

/* Lines */

GPtrArray *
plannr_harness_get_lines (void)
{
  return harness.lines;
}

void
plannr_harness_clear_lines (void)
{
  g_ptr_array_set_size (harness.lines, 0);
}

static gboolean
harness_line_matches (const PlannrHarnessLine *line,
                      const char              *substring)
{
  return substring == NULL
         || (line->message != NULL && strstr (line->message, substring) != NULL);
}

guint
plannr_harness_count_lines (const char *substring)
{
  guint count = 0;

  for (guint i = 0; i < harness.lines->len; i++)
    if (harness_line_matches (g_ptr_array_index (harness.lines, i), substring))
      count++;

  return count;
}

const PlannrHarnessLine *
plannr_harness_find_line (const char *substring)
{
  for (guint i = 0; i < harness.lines->len; i++)
    {
      const PlannrHarnessLine *line = g_ptr_array_index (harness.lines, i);

      if (harness_line_matches (line, substring))
        return line;
    }

  return NULL;
}

static gboolean
harness_has_line_cb (gpointer data)
{
  return plannr_harness_find_line (data) != NULL;
}

gboolean
plannr_harness_wait_line (const char *substring,
                          guint       timeout_ms)
{
  return plannr_wait_until (harness_has_line_cb, (gpointer) substring,
                            timeout_ms);
}

/* Notices */

GPtrArray *
plannr_harness_get_notices (void)
{
  return harness.notices;
}

void
plannr_harness_clear_notices (void)
{
  g_ptr_array_set_size (harness.notices, 0);
}

static gboolean
harness_contains (const char *haystack,
                  const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

static gboolean
harness_has_notice_cb (gpointer data)
{
  const char *substring = data;

  for (guint i = 0; i < harness.notices->len; i++)
    {
      const PlannrHarnessNotice *notice = g_ptr_array_index (harness.notices, i);

      if (substring == NULL
          || harness_contains (notice->primary, substring)
          || harness_contains (notice->secondary, substring)
          || harness_contains (notice->text, substring))
        return TRUE;
    }

  return FALSE;
}

gboolean
plannr_harness_wait_notice (const char *substring,
                            guint       timeout_ms)
{
  return plannr_wait_until (harness_has_notice_cb, (gpointer) substring,
                            timeout_ms);
}

static PlannrHarnessNotice *
harness_last_search_results (void)
{
  for (guint i = harness.notices->len; i > 0; i--)
    {
      PlannrHarnessNotice *notice = g_ptr_array_index (harness.notices, i - 1);

      if (notice->kind == PURPLE_NOTIFY_SEARCHRESULTS && !notice->closed)
        return notice;
    }
  return NULL;
}

static gboolean
harness_has_search_results_cb (gpointer data)
{
  return harness_last_search_results () != NULL;
}

PlannrHarnessNotice *
plannr_harness_wait_search_results (guint timeout_ms)
{
  plannr_wait_until (harness_has_search_results_cb, NULL, timeout_ms);
  return harness_last_search_results ();
}

guint
plannr_harness_search_rows (PlannrHarnessNotice *notice)
{
  g_assert_nonnull (notice->results);
  return g_list_length (notice->results->rows);
}

const char *
plannr_harness_search_cell (PlannrHarnessNotice *notice,
                            guint                row,
                            guint                column)
{
  GList *cells;

  g_assert_nonnull (notice->results);
  cells = g_list_nth_data (notice->results->rows, row);
  g_assert_nonnull (cells);
  return g_list_nth_data (cells, column);
}

void
plannr_harness_press_search_button (PlannrHarnessNotice *notice,
                                    guint                row,
                                    const char          *label)
{
  PurpleNotifySearchButton *found = NULL;
  GList *cells;
  GList *copy = NULL;

  g_assert_false (notice->closed);
  g_assert_nonnull (notice->results);
  for (GList *b = notice->results->buttons; b != NULL && found == NULL; b = b->next)
    if (g_strcmp0 (harness_button_label (b->data), label) == 0)
      found = b->data;
  if (found == NULL)
    g_error ("no search results button labelled %s", label);
  cells = g_list_nth_data (notice->results->rows, row);
  g_assert_nonnull (cells);
  /* As Pidgin does: the texts of the selected row, copied. */
  for (GList *cell = cells; cell != NULL; cell = cell->next)
    copy = g_list_append (copy, g_strdup (cell->data));
  found->callback (notice->gc, copy, notice->user_data);
  g_list_free_full (copy, g_free);
}

/* Debug */

const char *
plannr_harness_get_debug_log (void)
{
  return harness.debug_log->str;
}

void
plannr_harness_clear_debug_log (void)
{
  g_string_truncate (harness.debug_log, 0);
}

/* Chats and the buddy list */

PurpleConversation *
plannr_harness_find_chat (PurpleAccount *account,
                          const char    *name_or_title)
{
  PurpleConversation *conv;

  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (name_or_title != NULL, NULL);

  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_CHAT,
                                                name_or_title, account);
  if (conv != NULL)
    return conv;

  for (GList *l = purple_get_chats (); l != NULL; l = l->next)
    {
      conv = l->data;

      if (purple_conversation_get_account (conv) == account
          && g_strcmp0 (purple_conversation_get_title (conv), name_or_title) == 0)
        return conv;
    }

  return NULL;
}

typedef struct {
  PurpleAccount *account;
  const char *name_or_title;
} HarnessChatQuery;

static gboolean
harness_has_chat_cb (gpointer data)
{
  HarnessChatQuery *query = data;

  return plannr_harness_find_chat (query->account, query->name_or_title) != NULL;
}

gboolean
plannr_harness_wait_chat (PurpleAccount *account,
                          const char    *name_or_title,
                          guint          timeout_ms)
{
  HarnessChatQuery query = { account, name_or_title };

  return plannr_wait_until (harness_has_chat_cb, &query, timeout_ms);
}

/* Every PurpleChat of the account, whatever group it is in; offline
 * accounts' nodes included, so this works before and after a connection. */
static PurpleChat *
harness_blist_chat_next (PurpleBlistNode *node,
                         PurpleAccount   *account)
{
  for (; node != NULL; node = purple_blist_node_next (node, TRUE))
    {
      if (PURPLE_BLIST_NODE_IS_CHAT (node)
          && purple_chat_get_account (PURPLE_CHAT (node)) == account)
        return PURPLE_CHAT (node);
    }

  return NULL;
}

PurpleChat *
plannr_harness_find_blist_chat (PurpleAccount *account,
                                const char    *uuid)
{
  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  for (PurpleChat *chat = harness_blist_chat_next (purple_blist_get_root (), account);
       chat != NULL;
       chat = harness_blist_chat_next (purple_blist_node_next (PURPLE_BLIST_NODE (chat), TRUE),
                                       account))
    {
      GHashTable *components = purple_chat_get_components (chat);

      if (components != NULL
          && g_strcmp0 (g_hash_table_lookup (components, "uuid"), uuid) == 0)
        return chat;
    }

  return NULL;
}

guint
plannr_harness_count_blist_chats (PurpleAccount *account)
{
  guint count = 0;

  g_return_val_if_fail (account != NULL, 0);

  for (PurpleChat *chat = harness_blist_chat_next (purple_blist_get_root (), account);
       chat != NULL;
       chat = harness_blist_chat_next (purple_blist_node_next (PURPLE_BLIST_NODE (chat), TRUE),
                                       account))
    count++;

  return count;
}

void
plannr_harness_join_chat (PurpleAccount *account,
                          const char    *uuid)
{
  g_autoptr(GHashTable) components = NULL;
  PurpleConnection *gc;

  g_return_if_fail (account != NULL);
  g_return_if_fail (uuid != NULL);

  gc = purple_account_get_connection (account);
  g_assert_nonnull (gc);

  /* What Pidgin builds from the "Join a Chat" dialog or a buddy-list chat. */
  components = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (components, g_strdup ("uuid"), g_strdup (uuid));

  serv_join_chat (gc, components);
}

void
plannr_harness_send_chat (PurpleConversation *conv,
                          const char         *markup)
{
  g_return_if_fail (conv != NULL);
  g_return_if_fail (purple_conversation_get_type (conv) == PURPLE_CONV_TYPE_CHAT);
  g_return_if_fail (markup != NULL);

  purple_conv_chat_send (PURPLE_CONV_CHAT (conv), markup);
}

static const char *
harness_cmd_status_text (PurpleCmdStatus status)
{
  switch (status)
    {
    case PURPLE_CMD_STATUS_OK:
      return "ok";
    case PURPLE_CMD_STATUS_FAILED:
      return "command failed";
    case PURPLE_CMD_STATUS_NOT_FOUND:
      return "no such command";
    case PURPLE_CMD_STATUS_WRONG_ARGS:
      return "wrong arguments";
    case PURPLE_CMD_STATUS_WRONG_PRPL:
      return "command of another protocol";
    case PURPLE_CMD_STATUS_WRONG_TYPE:
      return "command not for this kind of conversation";
    default:
      return "unknown command status";
    }
}

gboolean
plannr_harness_do_command (PurpleConversation  *conv,
                           const char          *cmdline,
                           char               **error)
{
  g_autofree char *markup = NULL;
  g_autofree char *purple_error = NULL;
  PurpleCmdStatus status;

  g_return_val_if_fail (conv != NULL, FALSE);
  g_return_val_if_fail (cmdline != NULL, FALSE);

  /* Pidgin passes the entry's text after the "/" as cmdline, and the same
   * range as markup. */
  if (*cmdline == '/')
    cmdline++;
  markup = g_markup_escape_text (cmdline, -1);

  status = purple_cmd_do_command (conv, cmdline, markup, &purple_error);

  if (error != NULL)
    {
      if (status == PURPLE_CMD_STATUS_OK)
        *error = NULL;
      else if (purple_error != NULL)
        *error = g_steal_pointer (&purple_error);
      else
        *error = g_strdup (harness_cmd_status_text (status));
    }

  return status == PURPLE_CMD_STATUS_OK;
}
