/* plannr-multipart.h: a multipart/form-data body streamed from a file
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * M3 wants a "contents" part and a "files[]" part per file.  libsoup's
 * SoupMultipart writes the framing (boundary, part headers, the closing
 * delimiter) but only from bytes in memory; a file of 50 MiB should not
 * be.  So SoupMultipart writes the body with the file's part empty, and
 * the body sent is that framing with the file's stream read in between,
 * as libsoup writes it to the wire.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GInputStream *stream;        /* the whole body */
  char         *content_type;  /* "multipart/form-data; boundary=..." */
  goffset       length;        /* of the whole body */
  goffset       head;          /* bytes of framing before the file's */
} PlannrMultipartBody;

/* A body of "contents" (@contents, left out when NULL) and one file
 * part named @field with @filename, @file_type (NULL: none) and the
 * @file_size bytes read from @file.  The body fails to read (a
 * G_IO_ERROR_PARTIAL_INPUT) if @file ends early, and never reads more
 * than @file_size from it, so Content-Length stays true.  NULL with
 * PLANNR_ERROR_FAILED if libsoup frames bodies in a way not foreseen. */
PlannrMultipartBody *plannr_multipart_body_new  (const char   *contents,
                                                 const char   *field,
                                                 const char   *filename,
                                                 const char   *file_type,
                                                 GInputStream *file,
                                                 goffset       file_size,
                                                 GError      **error);
void                 plannr_multipart_body_free (PlannrMultipartBody *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrMultipartBody, plannr_multipart_body_free)

G_END_DECLS
