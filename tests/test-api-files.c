/* test-api-files.c: files and reactions in the api layer, against the fake
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * M3 uploads go as the exact multipart body Plannr wants, streamed: a
 * file larger than the answer cap goes through without the plugin ever
 * holding more than a little of it.  Downloads carry the account's
 * headers to the API's own origin only, never to a storage host and
 * never on a redirect.  M6 sends its exact body.  Every test starts a
 * fake on an ephemeral port and waits on this thread's main context.
 */
#include "config.h"

#include <string.h>

#include "plannr-api-files.h"
#include "plannr-api-reactions.h"
#include "plannr-error.h"
#include "plannr-fake.h"
#include "plannr-wait.h"

#define TOKEN "tok-ada"
#define USER "47eaa099-2cb6-416d-86dc-283cf0480ff9"
#define FIRM "5d32fe61-985f-44e7-aa09-5ee82bb29976"
#define ACCOUNT "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d"
#define BEN "3b041641-1788-44f2-a60d-f25453fe2e85"
#define CONV "36b8523d-2736-4864-ac6c-ef9839888e75"
#define INLINE_PATH "/api/v1/conversation/" CONV "/messages/inline"
#define WAIT_MS 20000

typedef struct
{
  PlannrFake   *fake;
  PlannrApi    *api;
  GAsyncResult *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *everyone[] = { ACCOUNT, BEN, NULL };
  const char *admins[] = { ACCOUNT, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *conv = NULL;

  f->fake = plannr_fake_new ();
  plannr_fake_add_user (f->fake, USER, "Ada Lovelace", "ada@example.com", TOKEN);
  plannr_fake_add_firm (f->fake, FIRM, "Thompson Wealth");
  plannr_fake_add_account (f->fake, ACCOUNT, USER, FIRM, "Ada Lovelace", "employee");
  plannr_fake_add_account (f->fake, BEN, NULL, FIRM, "Ben Client", "client");
  conv = plannr_fake_add_conversation (f->fake, CONV, "Annual Review", everyone, admins);
  g_assert_true (plannr_fake_listen (f->fake, 0, &error));
  g_assert_no_error (error);
  f->api = plannr_api_new (plannr_fake_get_base_url (f->fake), TOKEN, &error);
  g_assert_no_error (error);
  plannr_api_set_account_uuid (f->api, ACCOUNT);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  plannr_api_shutdown (f->api);
  plannr_wait_pending ();
  g_clear_object (&f->api);
  g_clear_object (&f->result);
  plannr_wait_pending ();
  plannr_fake_free (f->fake);
  plannr_wait_pending ();
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Fixture *) data)->result != NULL;
}

static void
wait_result (Fixture *f)
{
  g_assert_true (plannr_wait_until (has_result, f, WAIT_MS));
}

/* --- a source that makes its bytes as they are read --------------------- */

/* @size bytes of a pattern, none of them held: what was read and in what
 * pieces is counted (reads come from a worker thread). */
#define TEST_TYPE_PATTERN_STREAM (test_pattern_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestPatternStream, test_pattern_stream, TEST, PATTERN_STREAM, GInputStream)

struct _TestPatternStream
{
  GInputStream parent_instance;
  goffset      size;
  GMutex       lock;
  goffset      read;       /* under lock */
  gsize        max_read;   /* under lock: the largest single read */
};

G_DEFINE_FINAL_TYPE (TestPatternStream, test_pattern_stream, G_TYPE_INPUT_STREAM)

static guint8
pattern_byte (goffset i)
{
  return (guint8) ((i * 7 + i / 4099) % 251);
}

static gssize
test_pattern_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestPatternStream *self = TEST_PATTERN_STREAM (stream);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  gsize n = (gsize) MIN ((goffset) count, self->size - self->read);
  guint8 *out = buffer;

  for (gsize i = 0; i < n; i++)
    out[i] = pattern_byte (self->read + (goffset) i);
  self->read += (goffset) n;
  self->max_read = MAX (self->max_read, n);
  return (gssize) n;
}

static void
test_pattern_stream_finalize (GObject *object)
{
  g_mutex_clear (&TEST_PATTERN_STREAM (object)->lock);
  G_OBJECT_CLASS (test_pattern_stream_parent_class)->finalize (object);
}

static void
test_pattern_stream_class_init (TestPatternStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_pattern_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_pattern_stream_read;
}

static void
test_pattern_stream_init (TestPatternStream *self)
{
  g_mutex_init (&self->lock);
}

static goffset
pattern_read (TestPatternStream *stream)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&stream->lock);

  return stream->read;
}

/* --- uploads -------------------------------------------------------------- */

static PlannrMessage *
upload_finish (Fixture  *f,
               GError  **error)
{
  PlannrMessage *message;

  wait_result (f);
  message = plannr_api_upload_file_finish (f->api, f->result, error);
  g_clear_object (&f->result);
  return message;
}

/* The body at the fake is exactly M3's: the contents part, then the file
 * part with its name, type and bytes, framed by the boundary of the
 * Content-Type, with a Content-Length that is true. */
static void
test_upload_body (Fixture       *f,
                  gconstpointer  data)
{
  static const char bytes[] = "Plan: retire at 60.\r\n--not-a-boundary\r\n";
  g_autoptr(GInputStream) file = g_memory_input_stream_new_from_data (bytes, sizeof bytes - 1, NULL);
  g_autoptr(PlannrMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *expected = NULL;
  const PlannrFakeRequest *request;
  const char *type;
  const char *boundary;
  PlannrFile *sent;

  plannr_api_upload_file_async (f->api, CONV, "See the plan", "plan.txt", "text/plain", file,
                                sizeof bytes - 1, NULL, NULL, NULL, result_cb, f);
  message = upload_finish (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);

  request = plannr_fake_last_request (f->fake, "POST", INLINE_PATH);
  g_assert_nonnull (request);
  g_assert_cmpuint (request->status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer " TOKEN);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-PLANNR-ACCOUNT-UUID"), ==, ACCOUNT);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept"), ==, "application/json");
  type = soup_message_headers_get_content_type (request->headers, &params);
  g_assert_cmpstr (type, ==, "multipart/form-data");
  boundary = g_hash_table_lookup (params, "boundary");
  g_assert_nonnull (boundary);
  expected = g_strdup_printf ("--%s\r\n"
                              "Content-Disposition: form-data; name=\"contents\"\r\n"
                              "\r\n"
                              "See the plan\r\n"
                              "--%s\r\n"
                              "Content-Disposition: form-data; name=\"files[]\"; filename=\"plan.txt\"\r\n"
                              "Content-Type: text/plain\r\n"
                              "\r\n"
                              "%s\r\n"
                              "--%s--\r\n", boundary, boundary, bytes, boundary);
  g_assert_cmpstr (request->body, ==, expected);
  g_assert_cmpint (soup_message_headers_get_content_length (request->headers), ==, (goffset) strlen (expected));

  /* What the answer says, and what the fake keeps. */
  g_assert_cmpstr (message->contents, ==, "See the plan");
  g_assert_nonnull (message->author);
  g_assert_cmpstr (message->author->uuid, ==, ACCOUNT);
  g_assert_cmpuint (message->files->len, ==, 1);
  sent = g_ptr_array_index (message->files, 0);
  g_assert_cmpstr (sent->filename, ==, "plan.txt");
  g_assert_cmpstr (sent->mime_type, ==, "text/plain");
  g_assert_cmpuint (sent->size, ==, sizeof bytes - 1);
  stored = plannr_fake_get_file_data (f->fake, sent->uuid);
  g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), bytes, sizeof bytes - 1);
  g_assert_cmpuint (plannr_fake_count_messages (f->fake, CONV), ==, 1);
}

/* Without text the body has no contents part at all. */
static void
test_upload_no_text (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GInputStream) file = g_memory_input_stream_new_from_data ("%PDF-1.7", 8, NULL);
  g_autoptr(PlannrMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  const PlannrFakeRequest *request;

  plannr_api_upload_file_async (f->api, CONV, NULL, "Fact find.pdf", "application/pdf", file, 8,
                                NULL, NULL, NULL, result_cb, f);
  message = upload_finish (f, &error);
  g_assert_no_error (error);
  request = plannr_fake_last_request (f->fake, "POST", INLINE_PATH);
  g_assert_null (strstr (request->body, "name=\"contents\""));
  g_assert_nonnull (strstr (request->body, "name=\"files[]\"; filename=\"Fact find.pdf\"\r\n"
                                           "Content-Type: application/pdf\r\n\r\n%PDF-1.7\r\n"));
  g_assert_cmpstr (message->contents, ==, "");
}

typedef struct
{
  TestPatternStream *source;
  goffset            reported;
  goffset            total;
  goffset            most_ahead;   /* read from the source, not yet on the wire */
  guint              calls;
} Watch;

static void
watch_progress_cb (goffset  done,
                   goffset  total,
                   gpointer user_data)
{
  Watch *watch = user_data;

  g_assert_cmpint (done, >=, watch->reported);
  g_assert_cmpint (done, <=, total);
  watch->reported = done;
  watch->total = total;
  watch->most_ahead = MAX (watch->most_ahead, pattern_read (watch->source) - done);
  watch->calls++;
}

/* A file larger than the 16 MiB every answer is capped at goes through
 * in pieces: the source is read as the body goes out, never more than a
 * little ahead of it, and never whole. */
static void
test_upload_streams (Fixture       *f,
                     gconstpointer  data)
{
  const goffset size = PLANNR_API_MAX_RESPONSE + 4 * 1024 * 1024 + 17;
  g_autoptr(TestPatternStream) source = g_object_new (TEST_TYPE_PATTERN_STREAM, NULL);
  g_autoptr(PlannrMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stored = NULL;
  Watch watch = { source, 0, 0, 0, 0 };
  const guint8 *data_stored;
  gsize stored_size;

  source->size = size;
  plannr_api_upload_file_async (f->api, CONV, "Big", "big.bin", "application/octet-stream",
                                G_INPUT_STREAM (source), size, watch_progress_cb, &watch, NULL,
                                result_cb, f);
  message = upload_finish (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);

  g_assert_cmpint (pattern_read (source), ==, size);
  g_assert_cmpint (watch.reported, ==, size);
  g_assert_cmpint (watch.total, ==, size);
  g_assert_cmpuint (watch.calls, >, 100);
  /* Streamed: the plugin read at most a few chunks ahead of the wire. */
  g_assert_cmpint (watch.most_ahead, <=, 1024 * 1024);
  g_assert_cmpuint (source->max_read, <=, 1024 * 1024);

  stored = plannr_fake_get_file_data (f->fake, ((PlannrFile *) message->files->pdata[0])->uuid);
  data_stored = g_bytes_get_data (stored, &stored_size);
  g_assert_cmpuint (stored_size, ==, size);
  for (goffset i = 0; i < size; i += 4093)
    g_assert_cmpuint (data_stored[i], ==, pattern_byte (i));
  g_assert_cmpuint (data_stored[size - 1], ==, pattern_byte (size - 1));
}

typedef struct
{
  GCancellable *cancellable;
  goffset       at;
} Canceller;

static void
cancel_progress_cb (goffset  done,
                    goffset  total,
                    gpointer user_data)
{
  Canceller *c = user_data;

  if (done > 0 && c->at == 0)
    {
      c->at = done;
      g_cancellable_cancel (c->cancellable);
    }
}

/* Cancelled on its way: the caller hears so, the server made nothing. */
static void
test_upload_cancel (Fixture       *f,
                    gconstpointer  data)
{
  const goffset size = 8 * 1024 * 1024;
  g_autoptr(TestPatternStream) source = g_object_new (TEST_TYPE_PATTERN_STREAM, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PlannrMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  Canceller c = { cancellable, 0 };

  source->size = size;
  plannr_api_upload_file_async (f->api, CONV, "Half", "half.bin", NULL, G_INPUT_STREAM (source), size,
                                cancel_progress_cb, &c, cancellable, result_cb, f);
  message = upload_finish (f, &error);
  g_assert_null (message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (c.at, >, 0);
  g_assert_cmpint (c.at, <, size);
  g_assert_cmpint (pattern_read (source), <, size);
  plannr_wait_for_ms (200);
  g_assert_cmpuint (plannr_fake_count_messages (f->fake, CONV), ==, 0);
  g_assert_false (plannr_api_is_shut_down (f->api));
}

/* A file that ends before its size (it changed meanwhile) fails rather
 * than send a body shorter than its Content-Length. */
static void
test_upload_short_file (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GInputStream) file = g_memory_input_stream_new_from_data ("short", 5, NULL);
  g_autoptr(PlannrMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  plannr_api_upload_file_async (f->api, CONV, NULL, "short.txt", "text/plain", file, 50,
                                NULL, NULL, NULL, result_cb, f);
  message = upload_finish (f, &error);
  g_assert_null (message);
  g_assert_nonnull (error);
  plannr_wait_for_ms (100);
  g_assert_cmpuint (plannr_fake_count_messages (f->fake, CONV), ==, 0);
}

/* Laravel's shapes: a wrapped answer is read; an empty 201 is
 * "accepted", not a failure. */
static void
test_upload_shapes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GInputStream) one = g_memory_input_stream_new_from_data ("one", 3, NULL);
  g_autoptr(GInputStream) two = g_memory_input_stream_new_from_data ("two", 3, NULL);
  g_autoptr(PlannrMessage) wrapped = NULL;
  g_autoptr(PlannrMessage) empty = NULL;
  g_autoptr(GError) error = NULL;

  plannr_fake_set_wrap_resources (f->fake, TRUE);
  plannr_api_upload_file_async (f->api, CONV, NULL, "one.txt", NULL, one, 3, NULL, NULL, NULL, result_cb, f);
  wrapped = upload_finish (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wrapped->files->len, ==, 1);

  plannr_fake_set_empty_2xx (f->fake, TRUE);
  plannr_api_upload_file_async (f->api, CONV, NULL, "two.txt", NULL, two, 3, NULL, NULL, NULL, result_cb, f);
  empty = upload_finish (f, &error);
  g_assert_null (empty);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED);
  g_assert_cmpuint (plannr_fake_count_messages (f->fake, CONV), ==, 2);
}

/* Refused by the server: its words. */
static void
test_upload_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GInputStream) file = g_memory_input_stream_new_from_data ("x", 1, NULL);
  g_autoptr(PlannrMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  plannr_fake_add_fault (f->fake, "POST", INLINE_PATH, PLANNR_FAKE_FAULT_STATUS, 403, 1);
  plannr_api_upload_file_async (f->api, CONV, NULL, "x.txt", NULL, file, 1, NULL, NULL, NULL, result_cb, f);
  message = upload_finish (f, &error);
  g_assert_null (message);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_FORBIDDEN);
}

/* --- downloads ------------------------------------------------------------- */

typedef struct
{
  GByteArray *bytes;
  goffset     total;
  guint       chunks;
} Sink;

static gboolean
sink_cb (GBytes   *chunk,
         goffset   total,
         gpointer  user_data,
         GError  **error)
{
  Sink *sink = user_data;

  g_byte_array_append (sink->bytes, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  sink->total = total;
  sink->chunks++;
  return TRUE;
}

static goffset
download (Fixture     *f,
          const char  *url,
          Sink        *sink,
          GError     **error)
{
  goffset received;

  sink->bytes = g_byte_array_new ();
  plannr_api_download_file_async (f->api, url, sink_cb, sink, NULL, result_cb, f);
  wait_result (f);
  received = plannr_api_download_file_finish (f->api, f->result, error);
  g_clear_object (&f->result);
  return received;
}

static char *
file_url (Fixture    *f,
          const char *file_uuid)
{
  return g_strdup_printf ("%s/api/v1/files/%s/download", plannr_fake_get_base_url (f->fake), file_uuid);
}

static char *
add_file (Fixture     *f,
          const char  *contents,
          gboolean     storage,
          char       **message)
{
  g_autofree char *posted = plannr_fake_post_message (f->fake, CONV, BEN, "A file");
  g_autoptr(GBytes) bytes = g_bytes_new (contents, strlen (contents));
  char *file = plannr_fake_add_file_data (f->fake, posted, "../../etc/report.txt", "text/plain", bytes, storage);

  if (message != NULL)
    *message = g_steal_pointer (&posted);
  return file;
}

/* On the API's origin, with the account's headers. */
static void
test_download_api (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *file = add_file (f, "api bytes", FALSE, NULL);
  g_autofree char *url = file_url (f, file);
  g_autoptr(GError) error = NULL;
  Sink sink = { 0 };
  const PlannrFakeRequest *request;

  g_assert_true (plannr_http_is_api_origin (plannr_api_get_http (f->api), url));
  g_assert_cmpint (download (f, url, &sink, &error), ==, 9);
  g_assert_no_error (error);
  g_assert_cmpmem (sink.bytes->data, sink.bytes->len, "api bytes", 9);
  g_assert_cmpint (sink.total, ==, 9);
  request = plannr_fake_last_request (f->fake, "GET", "/api/v1/files/*/download");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer " TOKEN);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-PLANNR-ACCOUNT-UUID"), ==, ACCOUNT);
  g_assert_cmpuint (request->status, ==, 200);
  g_byte_array_unref (sink.bytes);
}

/* A signed link on another host: no token goes there. */
static void
test_download_storage (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *posted = NULL;
  g_autofree char *file = add_file (f, "stored bytes", TRUE, &posted);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;
  GPtrArray *log;
  Sink sink = { 0 };
  const char *url;
  guint api_requests;

  /* The link as the API lists it. */
  plannr_api_get_message_async (f->api, PLANNR_PRIORITY_USER, CONV, posted, result_cb, f);
  wait_result (f);
  message = plannr_api_get_message_finish (f->api, f->result, &error);
  g_clear_object (&f->result);
  g_assert_no_error (error);
  url = ((PlannrFile *) message->files->pdata[0])->download_url;
  g_assert_true (g_str_has_prefix (url, plannr_fake_get_storage_url (f->fake)));
  g_assert_false (plannr_http_is_api_origin (plannr_api_get_http (f->api), url));

  api_requests = plannr_fake_get_requests (f->fake)->len;
  download (f, url, &sink, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sink.bytes->len, ==, 12);
  g_assert_no_error (error);
  g_assert_cmpmem (sink.bytes->data, sink.bytes->len, "stored bytes", 12);
  log = plannr_fake_get_storage_requests (f->fake);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_null (soup_message_headers_get_one (((PlannrFakeRequest *) log->pdata[0])->headers, "Authorization"));
  g_assert_null (soup_message_headers_get_one (((PlannrFakeRequest *) log->pdata[0])->headers,
                                               "X-PLANNR-ACCOUNT-UUID"));
  g_assert_cmpuint (((PlannrFakeRequest *) log->pdata[0])->status, ==, 200);
  g_assert_cmpuint (plannr_fake_get_requests (f->fake)->len, ==, api_requests);
  g_byte_array_unref (sink.bytes);
}

/* The API sends the client on to storage: followed, without the token. */
static void
test_download_redirect (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *file = add_file (f, "moved bytes", FALSE, NULL);
  g_autofree char *url = file_url (f, file);
  g_autoptr(GError) error = NULL;
  const PlannrFakeRequest *request;
  GPtrArray *log;
  Sink sink = { 0 };

  g_assert_true (plannr_fake_set_file_redirect (f->fake, file, TRUE));
  g_assert_cmpint (download (f, url, &sink, &error), ==, 11);
  g_assert_no_error (error);
  g_assert_cmpmem (sink.bytes->data, sink.bytes->len, "moved bytes", 11);
  request = plannr_fake_last_request (f->fake, "GET", "/api/v1/files/*/download");
  g_assert_cmpuint (request->status, ==, 302);
  g_assert_nonnull (soup_message_headers_get_one (request->headers, "Authorization"));
  log = plannr_fake_get_storage_requests (f->fake);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_null (soup_message_headers_get_one (((PlannrFakeRequest *) log->pdata[0])->headers, "Authorization"));
  g_assert_cmpuint (((PlannrFakeRequest *) log->pdata[0])->status, ==, 200);
  g_byte_array_unref (sink.bytes);
}

/* Plain http elsewhere than this computer is not fetched at all; a
 * missing file is the API's 404. */
static void
test_download_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) insecure = NULL;
  g_autoptr(GError) missing = NULL;
  g_autofree char *gone = file_url (f, "f0000000-0000-4000-8000-00000000dead");
  Sink sink = { 0 };

  g_assert_cmpint (download (f, "http://files.example.com/x", &sink, &insecure), ==, -1);
  g_assert_error (insecure, PLANNR_ERROR, PLANNR_ERROR_INVALID);
  g_assert_cmpuint (sink.chunks, ==, 0);
  g_byte_array_unref (sink.bytes);
  g_assert_cmpint (download (f, gone, &sink, &missing), ==, -1);
  g_assert_error (missing, PLANNR_ERROR, PLANNR_ERROR_NOT_FOUND);
  g_byte_array_unref (sink.bytes);
}

/* --- reactions --------------------------------------------------------------- */

static void
test_react (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *theirs = plannr_fake_post_message (f->fake, CONV, BEN, "Thanks!");
  g_autofree char *body = NULL;
  g_autoptr(PlannrMessage) message = NULL;
  g_autoptr(PlannrMessage) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) invalid = NULL;
  const PlannrFakeRequest *request;
  PlannrReaction *reaction;

  plannr_api_react_async (f->api, theirs, "love", result_cb, f);
  wait_result (f);
  message = plannr_api_react_finish (f->api, f->result, &error);
  g_clear_object (&f->result);
  g_assert_no_error (error);
  request = plannr_fake_last_request (f->fake, "POST", "/api/v1/reaction");
  body = g_strdup_printf ("{\"reactable_type\":\"message\",\"reactable_uuid\":\"%s\",\"reaction\":\"love\"}",
                          theirs);
  g_assert_cmpstr (request->body, ==, body);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==, "application/json");
  g_assert_cmpuint (message->reactions->len, ==, 1);
  reaction = g_ptr_array_index (message->reactions, 0);
  g_assert_cmpstr (reaction->reaction, ==, "love");
  g_assert_cmpstr (reaction->account_uuid, ==, ACCOUNT);

  /* Not one of Plannr's four: refused here, nothing sent. */
  plannr_fake_clear_requests (f->fake);
  plannr_api_react_async (f->api, theirs, "angry", result_cb, f);
  wait_result (f);
  bad = plannr_api_react_finish (f->api, f->result, &invalid);
  g_assert_error (invalid, PLANNR_ERROR, PLANNR_ERROR_INVALID);
  g_assert_cmpuint (plannr_fake_count_requests (f->fake, NULL, NULL), ==, 0);
  g_assert_true (plannr_reaction_kind_is_valid ("surprised"));
  g_assert_false (plannr_reaction_kind_is_valid ("Love"));
}

static void
test_react_empty_answer (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *theirs = plannr_fake_post_message (f->fake, CONV, BEN, "Thanks!");
  g_autoptr(PlannrMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  plannr_fake_set_empty_2xx (f->fake, TRUE);
  plannr_api_react_async (f->api, theirs, "like", result_cb, f);
  wait_result (f);
  message = plannr_api_react_finish (f->api, f->result, &error);
  g_assert_null (message);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED);
  g_assert_cmpuint (plannr_fake_last_request (f->fake, "POST", "/api/v1/reaction")->status, ==, 204);
}

#define TEST(path, func) \
  g_test_add ("/api-files/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("upload/body", test_upload_body);
  TEST ("upload/no-text", test_upload_no_text);
  TEST ("upload/streams", test_upload_streams);
  TEST ("upload/cancel", test_upload_cancel);
  TEST ("upload/short-file", test_upload_short_file);
  TEST ("upload/shapes", test_upload_shapes);
  TEST ("upload/refused", test_upload_refused);
  TEST ("download/api", test_download_api);
  TEST ("download/storage", test_download_storage);
  TEST ("download/redirect", test_download_redirect);
  TEST ("download/refused", test_download_refused);
  TEST ("react", test_react);
  TEST ("react/empty-answer", test_react_empty_answer);

  return g_test_run ();
}
