/* plannr-multipart.c: a multipart/form-data body streamed from a file
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "plannr-error.h"
#include "plannr-multipart.h"

/* --- a stream of streams, each of a known length --------------------- */

typedef struct
{
  GInputStream *stream;
  goffset       remaining;
} Piece;

#define PLANNR_TYPE_PIECES_STREAM (plannr_pieces_stream_get_type ())
G_DECLARE_FINAL_TYPE (PlannrPiecesStream, plannr_pieces_stream, PLANNR, PIECES_STREAM, GInputStream)

struct _PlannrPiecesStream
{
  GInputStream parent_instance;
  GArray      *pieces;   /* Piece */
  guint        current;
};

G_DEFINE_FINAL_TYPE (PlannrPiecesStream, plannr_pieces_stream, G_TYPE_INPUT_STREAM)

static void
piece_clear (Piece *piece)
{
  g_clear_object (&piece->stream);
}

/* Runs in a worker thread (GInputStream's own read_async), one read at
 * a time; touches nothing but the stream. */
static gssize
plannr_pieces_stream_read (GInputStream  *stream,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  PlannrPiecesStream *self = PLANNR_PIECES_STREAM (stream);

  while (self->current < self->pieces->len)
    {
      Piece *piece = &g_array_index (self->pieces, Piece, self->current);
      gssize n;

      if (piece->remaining == 0)
        {
          self->current++;
          continue;
        }
      n = g_input_stream_read (piece->stream, buffer, (gsize) MIN ((goffset) count, piece->remaining),
                               cancellable, error);
      if (n < 0)
        return -1;
      if (n == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                               _("The file became shorter while it was being sent."));
          return -1;
        }
      piece->remaining -= n;
      return n;
    }
  return 0;
}

static gboolean
plannr_pieces_stream_close (GInputStream  *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  PlannrPiecesStream *self = PLANNR_PIECES_STREAM (stream);
  gboolean ok = TRUE;

  for (guint i = 0; i < self->pieces->len; i++)
    {
      Piece *piece = &g_array_index (self->pieces, Piece, i);

      /* Every piece is closed; the first failure is the one told. */
      if (!g_input_stream_close (piece->stream, cancellable, ok ? error : NULL))
        ok = FALSE;
    }
  return ok;
}

static void
plannr_pieces_stream_finalize (GObject *object)
{
  PlannrPiecesStream *self = PLANNR_PIECES_STREAM (object);

  g_array_unref (self->pieces);
  G_OBJECT_CLASS (plannr_pieces_stream_parent_class)->finalize (object);
}

static void
plannr_pieces_stream_class_init (PlannrPiecesStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = plannr_pieces_stream_finalize;
  stream_class->read_fn = plannr_pieces_stream_read;
  stream_class->close_fn = plannr_pieces_stream_close;
}

static void
plannr_pieces_stream_init (PlannrPiecesStream *self)
{
  self->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  g_array_set_clear_func (self->pieces, (GDestroyNotify) piece_clear);
}

static void
pieces_add (PlannrPiecesStream *self,
            GInputStream       *stream,
            goffset             length)
{
  Piece piece = { g_object_ref (stream), length };

  g_array_append_val (self->pieces, piece);
}

static void
pieces_add_bytes (PlannrPiecesStream *self,
                  GBytes             *bytes)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  pieces_add (self, stream, (goffset) g_bytes_get_size (bytes));
}

/* --- the body ----------------------------------------------------------- */

void
plannr_multipart_body_free (PlannrMultipartBody *body)
{
  if (body == NULL)
    return;
  g_clear_object (&body->stream);
  g_free (body->content_type);
  g_free (body);
}

PlannrMultipartBody *
plannr_multipart_body_new (const char   *contents,
                           const char   *field,
                           const char   *filename,
                           const char   *file_type,
                           GInputStream *file,
                           goffset       file_size,
                           GError      **error)
{
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) framing = NULL;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *closing = NULL;
  PlannrPiecesStream *stream;
  PlannrMultipartBody *body;
  const char *data;
  gsize size;
  gsize closing_len;

  if (contents != NULL)
    soup_multipart_append_form_string (multipart, "contents", contents);
  /* Last, so that everything after its (empty) body is the closing
   * delimiter. */
  soup_multipart_append_form_file (multipart, field, filename, file_type, empty);
  soup_multipart_to_message (multipart, headers, &framing);
  soup_multipart_free (multipart);

  soup_message_headers_get_content_type (headers, &params);
  closing = g_strdup_printf ("\r\n--%s--\r\n", (const char *) g_hash_table_lookup (params, "boundary"));
  closing_len = strlen (closing);
  data = g_bytes_get_data (framing, &size);
  /* What soup_multipart_to_message() writes (libsoup 3); should that
   * change, this fails rather than send a broken body. */
  if (size < closing_len || memcmp (data + size - closing_len, closing, closing_len) != 0)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_FAILED,
                           _("This version of libsoup writes multipart bodies in a way the plugin does not know."));
      return NULL;
    }

  head = g_bytes_new_from_bytes (framing, 0, size - closing_len);
  tail = g_bytes_new_from_bytes (framing, size - closing_len, closing_len);
  stream = g_object_new (PLANNR_TYPE_PIECES_STREAM, NULL);
  pieces_add_bytes (stream, head);
  pieces_add (stream, file, file_size);
  pieces_add_bytes (stream, tail);

  body = g_new0 (PlannrMultipartBody, 1);
  body->stream = G_INPUT_STREAM (stream);
  body->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  body->head = (goffset) g_bytes_get_size (head);
  body->length = body->head + file_size + (goffset) closing_len;
  return body;
}
