/* plannr-file-xfer.c: a file on its way, in the client's transfer window
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "plannr-file-xfer.h"

/* The window redraws on every update: at most this often, in µs. */
#define PROGRESS_INTERVAL_US (100 * 1000)

struct _PlannrFileXfer
{
  guint             ref;
  PlannrConnection *conn;          /* NULL once the account closed */
  PlannrConvInfo   *info;
  PurpleXfer       *xfer;          /* a reference of ours */
  GCancellable     *cancellable;
  char             *local_path;
  gboolean          by_user;       /* cancelled in the window */
  gboolean          starting;      /* inside purple_xfer_start() */
  gboolean          start_failed;
  gboolean          started;
  gboolean          over;
  goffset           received;
  gint64            shown_at;      /* monotonic µs of the last update */
};

/* The account's transfers under way, each a reference. */
typedef struct
{
  GPtrArray *xfers;
} Xfers;

static Xfers *
xfers_get (PlannrConnection *conn)
{
  return conn != NULL ? plannr_connection_get_state (conn, &plannr_file_xfer_component) : NULL;
}

PlannrFileXfer *
plannr_file_xfer_ref (PlannrFileXfer *x)
{
  x->ref++;
  return x;
}

void
plannr_file_xfer_unref (PlannrFileXfer *x)
{
  if (x == NULL || --x->ref > 0)
    return;
  /* The window may outlive us: its Cancel must find nothing. */
  x->xfer->data = NULL;
  purple_xfer_unref (x->xfer);
  g_object_unref (x->cancellable);
  g_free (x->local_path);
  g_free (x);
}

GCancellable *
plannr_file_xfer_get_cancellable (PlannrFileXfer *x)
{
  return x->cancellable;
}

gboolean
plannr_file_xfer_is_live (PlannrFileXfer *x)
{
  return x->conn != NULL;
}

PlannrConnection *
plannr_file_xfer_get_connection (PlannrFileXfer *x)
{
  return x->conn;
}

PlannrConvInfo *
plannr_file_xfer_get_info (PlannrFileXfer *x)
{
  return x->info;
}

gboolean
plannr_file_xfer_cancelled_by_user (PlannrFileXfer *x)
{
  return x->by_user;
}

PurpleXfer *
plannr_file_xfer_get_purple (PlannrFileXfer *x)
{
  return x->xfer;
}

/* Only for purple_xfer_request(), which the plugin does not use; set
 * because libpurple expects every transfer to have one. */
static void
xfer_init_cb (PurpleXfer *xfer)
{
}

/* Cancel in the window, or libpurple giving up on the local file. */
static void
xfer_cancel_cb (PurpleXfer *xfer)
{
  PlannrFileXfer *x = xfer->data;

  if (x == NULL || x->over)
    return;
  if (x->starting)
    x->start_failed = TRUE;
  else
    x->by_user = TRUE;
  g_cancellable_cancel (x->cancellable);
}

PlannrFileXfer *
plannr_file_xfer_new (PlannrConnection *conn,
                      PlannrConvInfo   *info,
                      PurpleXferType    type,
                      const char       *name,
                      const char       *local_path,
                      goffset           size)
{
  PlannrFileXfer *x = g_new0 (PlannrFileXfer, 1);

  x->ref = 1;
  x->conn = conn;
  x->info = info;
  x->cancellable = g_cancellable_new ();
  x->local_path = g_strdup (local_path);
  /* The window names the other side: here, the conversation. */
  x->xfer = purple_xfer_new (plannr_connection_get_account (conn), type, info->name);
  purple_xfer_ref (x->xfer);
  x->xfer->data = x;
  purple_xfer_set_init_fnc (x->xfer, xfer_init_cb);
  if (type == PURPLE_XFER_SEND)
    purple_xfer_set_cancel_send_fnc (x->xfer, xfer_cancel_cb);
  else
    purple_xfer_set_cancel_recv_fnc (x->xfer, xfer_cancel_cb);
  purple_xfer_set_filename (x->xfer, name);
  purple_xfer_set_local_filename (x->xfer, local_path);
  purple_xfer_set_size (x->xfer, (size_t) MAX (size, 0));
  purple_xfer_add (x->xfer);
  g_ptr_array_add (((Xfers *) plannr_connection_get_state (conn, &plannr_file_xfer_component))->xfers,
                   plannr_file_xfer_ref (x));
  return x;
}

gboolean
plannr_file_xfer_start (PlannrFileXfer *x)
{
  if (x->started || x->over)
    return x->started;
  /* libpurple opens the local file here; should it fail, it says so
   * and cancels, which is then not the user's doing. */
  x->starting = TRUE;
  purple_xfer_start (x->xfer, -1, NULL, 0);
  x->starting = FALSE;
  if (x->start_failed || purple_xfer_is_canceled (x->xfer))
    {
      x->start_failed = TRUE;
      x->over = TRUE;
      return FALSE;
    }
  x->started = TRUE;
  /* The first bytes show at once: the window should move. */
  x->shown_at = 0;
  return TRUE;
}

void
plannr_file_xfer_progress (PlannrFileXfer *x,
                           goffset         done,
                           goffset         total)
{
  gint64 now = g_get_monotonic_time ();

  if (!x->started || x->over)
    return;
  if (total > 0 && (size_t) total != purple_xfer_get_size (x->xfer))
    purple_xfer_set_size (x->xfer, (size_t) total);
  if (done > (goffset) purple_xfer_get_size (x->xfer))
    purple_xfer_set_size (x->xfer, (size_t) done);
  purple_xfer_set_bytes_sent (x->xfer, (size_t) done);
  if (now - x->shown_at < PROGRESS_INTERVAL_US && done < (goffset) purple_xfer_get_size (x->xfer))
    return;
  x->shown_at = now;
  purple_xfer_update_progress (x->xfer);
}

gboolean
plannr_file_xfer_write (PlannrFileXfer  *x,
                        GBytes          *chunk,
                        goffset          total,
                        GError         **error)
{
  PurpleXferUiOps *ops = purple_xfer_get_ui_ops (x->xfer);
  gsize size;
  const guchar *data = g_bytes_get_data (chunk, &size);
  gssize written = -1;
  int saved_errno = 0;

  if (!x->started && !plannr_file_xfer_start (x))
    {
      g_autofree char *name = g_filename_display_name (x->local_path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("“%s” could not be written."), name);
      return FALSE;
    }
  /* A UI that takes the bytes itself (BitlBee passes them on), else the
   * file libpurple opened at the chosen path. */
  if (ops != NULL && ops->ui_write != NULL)
    written = ops->ui_write (x->xfer, data, (gssize) size);
  else if (x->xfer->dest_fp != NULL)
    {
      errno = 0;
      written = (gssize) fwrite (data, 1, size, x->xfer->dest_fp);
      saved_errno = errno;
    }
  if (written < 0 || (gsize) written != size)
    {
      g_autofree char *name = g_filename_display_name (x->local_path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("“%s” could not be written: %s"), name,
                   g_strerror (saved_errno != 0 ? saved_errno : EIO));
      return FALSE;
    }
  x->received += (goffset) size;
  plannr_file_xfer_progress (x, x->received, total);
  return TRUE;
}

static void
forget (PlannrFileXfer *x)
{
  Xfers *xfers = xfers_get (x->conn);

  if (xfers != NULL)
    g_ptr_array_remove (xfers->xfers, x);
}

void
plannr_file_xfer_done (PlannrFileXfer *x)
{
  if (x->over)
    return;
  if (!x->started && !plannr_file_xfer_start (x))
    {
      plannr_file_xfer_fail (x);
      return;
    }
  x->over = TRUE;
  if (purple_xfer_get_type (x->xfer) == PURPLE_XFER_RECEIVE)
    purple_xfer_set_size (x->xfer, (size_t) x->received);
  purple_xfer_set_bytes_sent (x->xfer, purple_xfer_get_size (x->xfer));
  purple_xfer_set_completed (x->xfer, TRUE);
  purple_xfer_end (x->xfer);
  forget (x);
}

void
plannr_file_xfer_fail (PlannrFileXfer *x)
{
  gboolean was_over = x->over;

  x->over = TRUE;
  if (!was_over && !purple_xfer_is_canceled (x->xfer) && !purple_xfer_is_completed (x->xfer))
    purple_xfer_cancel_local (x->xfer);
  /* A save that did not finish: what was written is not the file. */
  if (x->started && purple_xfer_get_type (x->xfer) == PURPLE_XFER_RECEIVE &&
      !purple_xfer_is_completed (x->xfer))
    {
      x->started = FALSE;
      if (g_unlink (x->local_path) != 0 && errno != ENOENT)
        g_debug ("could not remove the unfinished %s: %s", x->local_path, g_strerror (errno));
    }
  forget (x);
}

/* --- the component ------------------------------------------------------- */

static gpointer
xfers_create (PlannrConnection *conn)
{
  Xfers *xfers = g_new0 (Xfers, 1);

  xfers->xfers = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_file_xfer_unref);
  return xfers;
}

/* The account is closing: every transfer ends, its requests cancelled. */
static void
xfers_stop (gpointer state)
{
  Xfers *xfers = state;
  g_autoptr(GPtrArray) all = g_steal_pointer (&xfers->xfers);

  xfers->xfers = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_file_xfer_unref);
  for (guint i = 0; i < all->len; i++)
    {
      PlannrFileXfer *x = g_ptr_array_index (all, i);

      x->conn = NULL;
      g_cancellable_cancel (x->cancellable);
      plannr_file_xfer_fail (x);
    }
}

static void
xfers_destroy (gpointer state)
{
  Xfers *xfers = state;

  g_ptr_array_unref (xfers->xfers);
  g_free (xfers);
}

const PlannrComponent plannr_file_xfer_component = {
  .name = "file-xfer",
  .create = xfers_create,
  .stop = xfers_stop,
  .destroy = xfers_destroy,
};

gboolean
plannr_file_xfer_can_choose (void)
{
  PurpleRequestUiOps *ops = purple_request_get_ui_ops ();

  return ops != NULL && ops->request_file != NULL;
}
