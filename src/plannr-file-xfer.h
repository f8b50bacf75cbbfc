/* plannr-file-xfer.h: a file on its way, in the client's transfer window
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Sending and saving a file run over HTTP, not over a socket libpurple
 * could watch, so the plugin drives a PurpleXfer itself: it adds it to
 * the transfer window, starts it without a socket (fd -1), moves its
 * progress, and completes or cancels it.  Cancel in the window cancels
 * the request.  libpurple opens the local file itself when the transfer
 * starts: for sending, to read (the plugin reads it separately); for
 * saving, at the path the user chose, and every byte received is
 * written there, nowhere else.  A save that does not finish leaves no
 * file behind.
 *
 * Each transfer belongs to the signed-in account: when it closes, every
 * transfer is cancelled and its requests' callbacks must only let go of
 * it (plannr_file_xfer_is_live() is FALSE).
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

extern const PlannrComponent plannr_file_xfer_component;

typedef struct _PlannrFileXfer PlannrFileXfer;

/* A transfer of @name (for showing) to or from @local_path, @size bytes
 * (0: unknown), for the conversation @info; in the window, not started.
 * The caller holds the reference returned. */
PlannrFileXfer *plannr_file_xfer_new            (PlannrConnection *conn,
                                                 PlannrConvInfo   *info,
                                                 PurpleXferType    type,
                                                 const char       *name,
                                                 const char       *local_path,
                                                 goffset           size);
/* Whether the client can show a file chooser (purple_request_file):
 * Pidgin and Finch can, BitlBee cannot, and would answer nothing. */
gboolean        plannr_file_xfer_can_choose     (void);
PlannrFileXfer *plannr_file_xfer_ref            (PlannrFileXfer   *xfer);
void            plannr_file_xfer_unref          (PlannrFileXfer   *xfer);

/* Cancelled when the user cancels in the window or the account closes. */
GCancellable   *plannr_file_xfer_get_cancellable (PlannrFileXfer  *xfer);
/* FALSE once the account closed: then touch nothing but the xfer. */
gboolean        plannr_file_xfer_is_live        (PlannrFileXfer   *xfer);
PlannrConnection *plannr_file_xfer_get_connection (PlannrFileXfer *xfer);
PlannrConvInfo *plannr_file_xfer_get_info       (PlannrFileXfer   *xfer);
/* The user cancelled it in the transfer window. */
gboolean        plannr_file_xfer_cancelled_by_user (PlannrFileXfer *xfer);
PurpleXfer     *plannr_file_xfer_get_purple     (PlannrFileXfer   *xfer);

/* Starts it (the window then shows progress).  FALSE when libpurple
 * could not open the local file; it has told the user why. */
gboolean        plannr_file_xfer_start          (PlannrFileXfer   *xfer);
/* @done of @total bytes (-1: the size given). */
void            plannr_file_xfer_progress       (PlannrFileXfer   *xfer,
                                                 goffset           done,
                                                 goffset           total);
/* Saving: writes @chunk to the chosen file (starting the transfer if
 * need be).  FALSE with @error when it cannot. */
gboolean        plannr_file_xfer_write          (PlannrFileXfer   *xfer,
                                                 GBytes           *chunk,
                                                 goffset           total,
                                                 GError          **error);
/* It is over: done, or not (failed or cancelled; a save's file is
 * removed).  Either may be called once; later calls do nothing. */
void            plannr_file_xfer_done           (PlannrFileXfer   *xfer);
void            plannr_file_xfer_fail           (PlannrFileXfer   *xfer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrFileXfer, plannr_file_xfer_unref)

G_END_DECLS
