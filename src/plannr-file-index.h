/* plannr-file-index.h: the files a chat has shown, by number
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each file line in a chat carries a number ("File 3: plan.pdf"), so
 * that "/save 3" and "Save a file…" can name it.  The index gives each
 * file of each message shown its number, the next one up, and keeps it
 * for that file; it also turns a name the server gives a file into one
 * that is safe to offer as a file name.  It knows nothing of libpurple.
 */
#pragma once

#include <glib.h>

#include "plannr-model.h"

G_BEGIN_DECLS

typedef struct
{
  guint      number;
  char      *message_uuid;
  guint      position;      /* in the message's files */
  char      *uuid;          /* the file's, may be NULL */
  char      *filename;      /* as the server names it, for showing */
  char      *mime_type;     /* may be NULL */
  guint64    size;
  char      *download_url;  /* as first read, may be NULL or stale */
  char      *author_name;   /* may be NULL */
  GDateTime *time;          /* the message's */
} PlannrFileEntry;

typedef struct _PlannrFileIndex PlannrFileIndex;

PlannrFileIndex       *plannr_file_index_new         (void);
void                   plannr_file_index_free        (PlannrFileIndex     *index);
guint                  plannr_file_index_size        (PlannrFileIndex     *index);

/* Numbers the files of @message, one each in the order listed (a file
 * numbered before keeps its number).  Returns the numbers, one guint
 * per file (an empty array for none). */
GArray                *plannr_file_index_add        (PlannrFileIndex     *index,
                                                      const PlannrMessage *message);
/* The file numbered @number, or NULL. */
const PlannrFileEntry *plannr_file_index_lookup      (PlannrFileIndex     *index,
                                                      guint                number);
/* Newest first (by the message's time, then number), at most @max
 * (0: all); PlannrFileEntry* owned by the index. */
GPtrArray             *plannr_file_index_recent      (PlannrFileIndex     *index,
                                                      guint                max);
PlannrFileEntry       *plannr_file_entry_copy        (const PlannrFileEntry *entry);
void                   plannr_file_entry_free        (PlannrFileEntry     *entry);
/* The file of @message (as read again) that @entry stands for: the same
 * uuid, else the same position and name; NULL when it is gone. */
const PlannrFile      *plannr_file_entry_find        (const PlannrFileEntry *entry,
                                                      const PlannrMessage   *message);

/* A server's name for a file as a name to offer in a save dialog: the
 * last part of any path ("/" and "\" both), without control characters
 * or leading dots and spaces, at most 200 bytes of UTF-8; "file" when
 * nothing is left.  Never a directory of its own. */
char                  *plannr_file_safe_name         (const char          *name);

/* Splits what follows /attach: a path, quoted with " or ' when it has
 * spaces (or with its spaces escaped by a backslash), then the text to
 * send with it (NULL when none).  FALSE when there is no path. */
gboolean               plannr_file_parse_attach      (const char          *args,
                                                      char               **path,
                                                      char               **text);

/* A path the user typed, as a full path: "~" and "~/…" in the home
 * folder, and a relative path from there too (a client's working folder
 * means nothing to its user). */
char                  *plannr_file_expand_path       (const char          *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrFileIndex, plannr_file_index_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrFileEntry, plannr_file_entry_free)

G_END_DECLS
