/* test-files.c: sending and saving files from Pidgin and Finch
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "/attach PATH [TEXT]" and "Send a file…" become one M3 with the exact
 * multipart body, through the transfer window, where Cancel cancels the
 * request and nothing half sent is shown as sent; a file too large,
 * missing, a folder or unreadable is refused before anything is sent,
 * named, with the text repeated.  "/save N" and "Save a file…" write
 * the file to the chosen path and nowhere else (whatever the server
 * calls it), with the token on the API's origin only: not to a storage
 * link, not on a redirect.
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

#define INLINE_PATH WORLD_MESSAGES_PATH "/inline"
#define DOWNLOAD_GLOB "/api/v1/files/*/download"
#define MIB (1024 * 1024)

/* --- files on disk ---------------------------------------------------------- */

static char *
scratch_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("files-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static guint8
pattern_byte (gsize i)
{
  return (guint8) ((i * 13 + i / 1021) % 253);
}

static char *
write_pattern (const char *dir,
               const char *name,
               gsize       size)
{
  g_autofree guint8 *bytes = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    bytes[i] = pattern_byte (i);
  return write_file (dir, name, (const char *) bytes, (gssize) size);
}

/* The names in @dir, sorted, as one string "a,b". */
static char *
dir_listing (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* --- what the fake and the chat hold ----------------------------------------- */

static guint
stored_messages (WorldFixture *fx)
{
  return plannr_fake_count_messages (fx->world->fake, WORLD_CONV);
}

/* The last message the fake holds in WORLD_CONV (from its dump): its
 * first file's uuid, and the message's. */
static char *
last_file_uuid (WorldFixture *fx,
                char        **message_uuid)
{
  g_autofree char *dump = plannr_fake_dump (fx->world->fake);
  g_autoptr(JsonNode) root = json_from_string (dump, NULL);
  JsonArray *conversations = json_object_get_array_member (json_node_get_object (root), "conversations");

  for (guint i = 0; i < json_array_get_length (conversations); i++)
    {
      JsonObject *conv = json_array_get_object_element (conversations, i);
      JsonArray *messages = json_object_get_array_member (conv, "messages");
      JsonObject *last;
      JsonArray *files;

      if (g_strcmp0 (json_object_get_string_member (conv, "uuid"), WORLD_CONV) != 0)
        continue;
      last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);
      if (message_uuid != NULL)
        *message_uuid = g_strdup (json_object_get_string_member (last, "uuid"));
      files = json_object_get_array_member (last, "files");
      g_assert_nonnull (files);
      g_assert_cmpuint (json_array_get_length (files), >=, 1);
      return g_strdup (json_object_get_string_member (json_array_get_object_element (files, 0), "uuid"));
    }
  g_assert_not_reached ();
}

static gboolean
xfer_over_cb (gpointer data)
{
  PlannrHarnessXfer *record = data;

  return record->status == PURPLE_XFER_STATUS_DONE || record->cancelled_local || record->cancelled_remote;
}

static void
wait_xfer_over (PlannrHarnessXfer *record)
{
  g_assert_true (plannr_wait_until (xfer_over_cb, record, WORLD_WAIT_MS * 2));
}

/* --- sending ------------------------------------------------------------------ */

/* /attach PATH TEXT: one M3 with exactly the multipart body Plannr
 * wants, the four headers, a transfer that completes, and the message
 * shown once as mine with its numbered file. */
static void
test_attach_body (WorldFixture  *fx,
                  gconstpointer  data)
{
  static const char contents[] = "Retire at 60.\nSee page 2.";
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = write_file (dir, "plan.txt", contents, -1);
  g_autofree char *cmd = g_strdup_printf ("attach %s See the plan", path);
  g_autofree char *expected = NULL;
  g_autoptr(GHashTable) params = NULL;
  const PlannrFakeRequest *request;
  PlannrHarnessXfer *xfer;
  const char *boundary;
  guint before;

  world_open_chat (fx, "Message 3 from Ben");
  before = stored_messages (fx);
  plannr_harness_clear_xfers ();
  world_run_command (fx->conv, cmd);
  xfer = plannr_harness_wait_xfer (WORLD_WAIT_MS);
  g_assert_nonnull (xfer);
  g_assert_cmpint (xfer->type, ==, PURPLE_XFER_SEND);
  g_assert_cmpstr (xfer->filename, ==, "plan.txt");
  g_assert_cmpstr (xfer->local_filename, ==, path);
  wait_xfer_over (xfer);
  g_assert_cmpint (xfer->status, ==, PURPLE_XFER_STATUS_DONE);
  g_assert_cmpuint (xfer->size, ==, strlen (contents));
  g_assert_cmpuint (xfer->bytes_sent, ==, strlen (contents));

  g_assert_cmpuint (stored_messages (fx), ==, before + 1);
  g_assert_cmpuint (world_count (fx, "POST", INLINE_PATH), ==, 1);
  request = plannr_fake_last_request (fx->world->fake, "POST", INLINE_PATH);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer " WORLD_TOKEN);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-PLANNR-ACCOUNT-UUID"), ==, WORLD_ME);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept"), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, &params), ==, "multipart/form-data");
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
                              "--%s--\r\n", boundary, boundary, contents, boundary);
  g_assert_cmpstr (request->body, ==, expected);

  /* Shown as mine, with its number, once. */
  g_assert_true (plannr_harness_wait_line ("See the plan<br>File 1: plan.txt (25 bytes)", WORLD_WAIT_MS));
  g_assert_true (plannr_harness_find_line ("See the plan")->flags & PURPLE_MESSAGE_SEND);
  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (plannr_harness_count_lines ("See the plan"), ==, 1);
  remove_tree (dir);
}

/* "Send a file…" asks for a file in the client's chooser (open, not
 * save); Cancel there sends nothing. */
static void
test_send_menu (WorldFixture  *fx,
                gconstpointer  data)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = write_file (dir, "Fact find.pdf", "%PDF-1.4 fact find", -1);
  g_autofree char *file = NULL;
  g_autoptr(GBytes) stored = NULL;
  PlannrHarnessRequest *req;

  world_open_chat (fx, "Message 3 from Ben");
  world_run_menu_action (fx, WORLD_CONV, "Send a file…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FILE);
  g_assert_false (req->save_dialog);
  plannr_harness_cancel_request (req);
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "POST", INLINE_PATH), ==, 0);

  world_run_menu_action (fx, WORLD_CONV, "Send a file…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  plannr_harness_answer_file (req, path);
  g_assert_true (plannr_harness_wait_line ("File 1: Fact find.pdf (18 bytes)", WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "POST", INLINE_PATH), ==, 1);
  g_assert_nonnull (strstr (plannr_fake_last_request (fx->world->fake, "POST", INLINE_PATH)->body,
                            "filename=\"Fact find.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 fact find\r\n"));
  g_assert_null (strstr (plannr_fake_last_request (fx->world->fake, "POST", INLINE_PATH)->body,
                         "name=\"contents\""));
  file = last_file_uuid (fx, NULL);
  stored = plannr_fake_get_file_data (fx->world->fake, file);
  g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), "%PDF-1.4 fact find", 18);
  remove_tree (dir);
}

/* Larger than the 16 MiB any answer may be, within the 50 MiB a file
 * may be by default: sent whole, byte for byte, streamed (the api test
 * shows the source is never read far ahead of the wire). */
static void
test_attach_large (WorldFixture  *fx,
                   gconstpointer  data)
{
  const gsize size = 17 * MIB + 3;
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = write_pattern (dir, "statement.bin", size);
  g_autofree char *cmd = g_strdup_printf ("attach \"%s\"", path);
  g_autofree char *file = NULL;
  g_autoptr(GBytes) stored = NULL;
  PlannrHarnessXfer *xfer;
  const guint8 *bytes;
  gsize stored_size;

  world_open_chat (fx, "Message 3 from Ben");
  plannr_harness_clear_xfers ();
  world_run_command (fx->conv, cmd);
  xfer = plannr_harness_wait_xfer (WORLD_WAIT_MS);
  g_assert_nonnull (xfer);
  wait_xfer_over (xfer);
  g_assert_cmpint (xfer->status, ==, PURPLE_XFER_STATUS_DONE);
  g_assert_cmpuint (xfer->updates, >=, 1);
  g_assert_true (plannr_harness_wait_line ("File 1: statement.bin", WORLD_WAIT_MS));
  file = last_file_uuid (fx, NULL);
  stored = plannr_fake_get_file_data (fx->world->fake, file);
  bytes = g_bytes_get_data (stored, &stored_size);
  g_assert_cmpuint (stored_size, ==, size);
  for (gsize i = 0; i < size; i += 997)
    g_assert_cmpuint (bytes[i], ==, pattern_byte (i));
  g_assert_cmpuint (bytes[size - 1], ==, pattern_byte (size - 1));
  remove_tree (dir);
}

/* Over the account's limit: refused before anything is sent, with the
 * name, the sizes and the text. */
static void
test_attach_cap (WorldFixture  *fx,
                 gconstpointer  data)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = write_pattern (dir, "scan.tiff", MIB + 1);
  g_autofree char *small = write_file (dir, "ok.txt", "fits", -1);
  g_autofree char *cmd = g_strdup_printf ("attach %s Here is the scan", path);
  g_autofree char *fits = g_strdup_printf ("attach %s", small);

  purple_account_set_int (fx->account, "max-file-mib", 1);
  world_open_chat (fx, "Message 3 from Ben");
  plannr_harness_clear_xfers ();
  world_run_command (fx->conv, cmd);
  g_assert_true (plannr_harness_wait_line ("“scan.tiff” was not sent: it is 1.0\u00a0MB, larger than the 1 MiB "
                                           "the account allows (its setting “Largest file to send”). Your text "
                                           "was not sent either: Here is the scan", WORLD_WAIT_MS));
  g_assert_true (plannr_harness_find_line ("“scan.tiff” was not sent")->flags & PURPLE_MESSAGE_ERROR);
  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
  g_assert_cmpuint (plannr_harness_get_xfers ()->len, ==, 0);

  /* Within it, sent. */
  world_run_command (fx->conv, fits);
  g_assert_true (plannr_harness_wait_line ("File 1: ok.txt", WORLD_WAIT_MS));
  g_assert_cmpuint (world_count (fx, "POST", INLINE_PATH), ==, 1);
  remove_tree (dir);
}

/* Missing, a folder, unreadable: each named in the chat, nothing sent. */
static void
test_attach_refused (WorldFixture  *fx,
                     gconstpointer  data)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *missing = g_build_filename (dir, "nope.pdf", NULL);
  g_autofree char *secret = write_file (dir, "secret.txt", "private", -1);
  g_autofree char *cmd = NULL;
  const char *unreadable = secret;

  world_open_chat (fx, "Message 3 from Ben");
  plannr_harness_clear_xfers ();

  cmd = g_strdup_printf ("attach %s Ben, the report", missing);
  world_run_command (fx->conv, cmd);
  g_assert_true (plannr_harness_wait_line ("“nope.pdf” was not sent: there is no such file. Your text was not "
                                           "sent either: Ben, the report", WORLD_WAIT_MS));
  g_clear_pointer (&cmd, g_free);

  cmd = g_strdup_printf ("attach %s", dir);
  world_run_command (fx->conv, cmd);
  g_assert_true (plannr_harness_wait_line ("was not sent: it is a folder.", WORLD_WAIT_MS));
  g_clear_pointer (&cmd, g_free);

  /* root reads any file whatever its mode; not this one. */
  if (geteuid () == 0)
    unreadable = "/proc/sys/vm/drop_caches";
  else
    g_assert_cmpint (g_chmod (secret, 0), ==, 0);
  if (access (unreadable, R_OK) == 0)
    g_test_message ("no unreadable file to try here");
  else
    {
      g_autofree char *name = g_path_get_basename (unreadable);
      g_autofree char *line = g_strdup_printf ("“%s” was not sent: you are not allowed to read it.", name);

      cmd = g_strdup_printf ("attach %s", unreadable);
      world_run_command (fx->conv, cmd);
      g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
    }

  /* No path at all. */
  world_run_command (fx->conv, "attach");
  g_assert_true (plannr_harness_wait_line ("Usage: /attach PATH [TEXT]", WORLD_WAIT_MS));

  plannr_wait_for_ms (300);
  g_assert_cmpuint (world_count (fx, "POST", NULL), ==, 0);
  g_assert_cmpuint (plannr_harness_get_xfers ()->len, ==, 0);
  g_chmod (secret, 0600);
  remove_tree (dir);
}

static gboolean
xfer_moving_cb (gpointer data)
{
  PlannrHarnessXfer *record = data;

  return record->updates > 0 && record->bytes_sent > 0;
}

/* Cancel in the transfer window while the body is on its way: the
 * request is cancelled, the chat says nothing was sent, and no message
 * appears, now or after the next polls. */
static void
test_attach_cancel (WorldFixture  *fx,
                    gconstpointer  data)
{
  const gsize size = 48 * MIB;
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = write_pattern (dir, "big.bin", size);
  g_autofree char *cmd = g_strdup_printf ("attach %s All of it", path);
  PlannrHarnessXfer *xfer;
  guint before;
  gsize at;

  world_open_chat (fx, "Message 3 from Ben");
  before = stored_messages (fx);
  plannr_harness_clear_xfers ();
  world_run_command (fx->conv, cmd);
  xfer = plannr_harness_wait_xfer (WORLD_WAIT_MS);
  g_assert_nonnull (xfer);
  g_assert_true (plannr_wait_until (xfer_moving_cb, xfer, WORLD_WAIT_MS));
  at = xfer->bytes_sent;
  g_assert_cmpuint (at, <, size);
  g_test_message ("cancelled after %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes", at, size);
  plannr_harness_cancel_xfer (xfer);
  g_assert_true (xfer->cancelled_local);

  g_assert_true (plannr_harness_wait_line ("You cancelled sending “big.bin”; nothing was sent. Your text was "
                                           "not sent either: All of it", WORLD_WAIT_MS));
  world_run_chat_polls (fx, 2);
  g_assert_cmpuint (stored_messages (fx), ==, before);
  g_assert_cmpuint (plannr_harness_count_lines ("big.bin"), ==, 1);
  g_assert_null (plannr_harness_find_line ("All of it<br>"));
  /* The server never had the whole request. */
  g_assert_cmpuint (world_count (fx, "POST", INLINE_PATH), ==, 0);
  remove_tree (dir);
}

/* --- saving --------------------------------------------------------------------- */

/* Ben posts a file whose name tries to climb out of any folder. */
static char *
post_file (WorldFixture *fx,
           const char   *name,
           const char   *contents,
           gboolean      storage)
{
  g_autofree char *message = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "The report");
  g_autoptr(GBytes) bytes = g_bytes_new (contents, strlen (contents));

  return plannr_fake_add_file_data (fx->world->fake, message, name, "text/plain", bytes, storage);
}

/* Waits for the save dialog, checks what it offers, answers @path. */
static void
answer_save (const char *offered,
             const char *path)
{
  PlannrHarnessRequest *req = plannr_harness_wait_request (WORLD_WAIT_MS);

  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FILE);
  g_assert_true (req->save_dialog);
  g_assert_cmpstr (req->default_value, ==, offered);
  plannr_harness_answer_file (req, path);
}

static void
assert_file (const char *path,
             const char *contents)
{
  g_autofree char *read = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &read, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read, ==, contents);
}

/* /save N on the API's own download route: with the four headers, into
 * the chosen path, and nowhere else; the server's "../" and "/" pick
 * nothing. */
static void
test_save_api (WorldFixture  *fx,
               gconstpointer  data)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *inner = g_build_filename (dir, "chosen", NULL);
  g_autofree char *path = g_build_filename (inner, "kept.txt", NULL);
  g_autofree char *file = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *outer = NULL;
  g_autofree char *line = NULL;
  const PlannrFakeRequest *request;
  PlannrHarnessXfer *xfer;

  g_assert_cmpint (g_mkdir (inner, 0700), ==, 0);
  world_open_chat (fx, "Message 3 from Ben");
  file = post_file (fx, "../../evil/report.txt", "quarterly figures", FALSE);
  g_assert_true (plannr_harness_wait_line ("The report<br>File 1: ../../evil/report.txt (17 bytes)", WORLD_POLL_WAIT_MS));

  plannr_harness_clear_xfers ();
  world_run_command (fx->conv, "save 1");
  answer_save ("report.txt", path);
  xfer = plannr_harness_wait_xfer (WORLD_WAIT_MS);
  g_assert_nonnull (xfer);
  g_assert_cmpint (xfer->type, ==, PURPLE_XFER_RECEIVE);
  g_assert_cmpstr (xfer->filename, ==, "report.txt");
  wait_xfer_over (xfer);
  g_assert_cmpint (xfer->status, ==, PURPLE_XFER_STATUS_DONE);
  g_assert_cmpstr (xfer->local_filename, ==, path);
  line = g_strdup_printf ("Saved “../../evil/report.txt” as %s.", path);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));

  assert_file (path, "quarterly figures");
  listing = dir_listing (inner);
  g_assert_cmpstr (listing, ==, "kept.txt");
  g_clear_pointer (&listing, g_free);
  listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "chosen");
  outer = g_build_filename (dir, "..", "evil", NULL);
  g_assert_false (g_file_test (outer, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("report.txt", G_FILE_TEST_EXISTS));

  request = plannr_fake_last_request (fx->world->fake, "GET", DOWNLOAD_GLOB);
  g_assert_nonnull (request);
  g_assert_cmpuint (request->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer " WORLD_TOKEN);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-PLANNR-ACCOUNT-UUID"), ==, WORLD_ME);
  remove_tree (dir);
}

/* "Save a file…" lists the files shown; a signed storage link on
 * another host is fetched without the token. */
static void
test_save_storage (WorldFixture  *fx,
                   gconstpointer  data)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "statement.csv", NULL);
  g_autofree char *file = NULL;
  PlannrHarnessRequest *req;
  PurpleRequestField *field;
  GPtrArray *log;
  guint api_downloads;

  world_open_chat (fx, "Message 3 from Ben");
  file = post_file (fx, "statement.csv", "date,amount\n", TRUE);
  g_assert_true (plannr_harness_wait_line ("File 1: statement.csv", WORLD_POLL_WAIT_MS));
  plannr_fake_clear_storage_requests (fx->world->fake);
  api_downloads = world_count (fx, "GET", DOWNLOAD_GLOB);

  world_run_menu_action (fx, WORLD_CONV, "Save a file…");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FIELDS);
  field = purple_request_fields_get_field (req->fields, "file");
  g_assert_nonnull (field);
  g_assert_cmpuint (g_list_length (purple_request_field_choice_get_labels (field)), ==, 1);
  g_assert_nonnull (strstr (purple_request_field_choice_get_labels (field)->data, "1 — statement.csv"));
  g_assert_nonnull (strstr (purple_request_field_choice_get_labels (field)->data, "Ben Client"));
  plannr_harness_answer_fields (req);
  answer_save ("statement.csv", path);
  g_assert_true (plannr_harness_wait_line ("Saved “statement.csv”", WORLD_WAIT_MS));
  assert_file (path, "date,amount\n");

  log = plannr_fake_get_storage_requests (fx->world->fake);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_null (soup_message_headers_get_one (((PlannrFakeRequest *) log->pdata[0])->headers, "Authorization"));
  g_assert_null (soup_message_headers_get_one (((PlannrFakeRequest *) log->pdata[0])->headers,
                                               "X-PLANNR-ACCOUNT-UUID"));
  g_assert_cmpuint (((PlannrFakeRequest *) log->pdata[0])->status, ==, 200);
  g_assert_cmpuint (world_count (fx, "GET", DOWNLOAD_GLOB), ==, api_downloads);
  remove_tree (dir);
}

/* The API's route answers with a redirect to storage: followed, but
 * never with the token. */
static void
test_save_redirect (WorldFixture  *fx,
                    gconstpointer  data)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "moved.txt", NULL);
  g_autofree char *file = NULL;
  const PlannrFakeRequest *request;
  GPtrArray *log;

  world_open_chat (fx, "Message 3 from Ben");
  file = post_file (fx, "moved.txt", "moved bytes", FALSE);
  g_assert_true (plannr_fake_set_file_redirect (fx->world->fake, file, TRUE));
  g_assert_true (plannr_harness_wait_line ("File 1: moved.txt", WORLD_POLL_WAIT_MS));
  plannr_fake_clear_storage_requests (fx->world->fake);

  world_run_command (fx->conv, "save 1");
  answer_save ("moved.txt", path);
  g_assert_true (plannr_harness_wait_line ("Saved “moved.txt”", WORLD_WAIT_MS));
  assert_file (path, "moved bytes");

  request = plannr_fake_last_request (fx->world->fake, "GET", DOWNLOAD_GLOB);
  g_assert_cmpuint (request->status, ==, 302);
  g_assert_nonnull (soup_message_headers_get_one (request->headers, "Authorization"));
  log = plannr_fake_get_storage_requests (fx->world->fake);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_null (soup_message_headers_get_one (((PlannrFakeRequest *) log->pdata[0])->headers, "Authorization"));
  g_assert_cmpuint (((PlannrFakeRequest *) log->pdata[0])->status, ==, 200);
  remove_tree (dir);
}

/* A save cancelled in the window, or one that fails, leaves no file. */
static void
test_save_cancel (WorldFixture  *fx,
                  gconstpointer  data)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.bin", NULL);
  g_autofree char *gone = g_build_filename (dir, "gone.txt", NULL);
  g_autofree char *message = NULL;
  g_autofree char *listing = NULL;
  PlannrHarnessXfer *xfer;

  world_open_chat (fx, "Message 3 from Ben");
  message = plannr_fake_post_message (fx->world->fake, WORLD_CONV, WORLD_BEN, "Everything");
  g_assert_true (plannr_fake_add_file (fx->world->fake, message, "huge.bin", NULL, 64 * MIB, NULL));
  g_assert_true (plannr_harness_wait_line ("File 1: huge.bin", WORLD_POLL_WAIT_MS));

  plannr_harness_clear_xfers ();
  world_run_command (fx->conv, "save 1");
  answer_save ("huge.bin", path);
  xfer = plannr_harness_wait_xfer (WORLD_WAIT_MS);
  g_assert_true (plannr_wait_until (xfer_moving_cb, xfer, WORLD_WAIT_MS));
  g_assert_cmpuint (xfer->bytes_sent, <, 64 * MIB);
  g_test_message ("cancelled after %" G_GSIZE_FORMAT " bytes", xfer->bytes_sent);
  plannr_harness_cancel_xfer (xfer);
  g_assert_true (plannr_harness_wait_line ("You cancelled saving “huge.bin”.", WORLD_WAIT_MS));
  plannr_wait_for_ms (200);
  listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "");

  /* The file's message is deleted before the save: said, nothing written. */
  g_assert_true (plannr_fake_delete_message (fx->world->fake, WORLD_CONV, message));
  world_run_command (fx->conv, "save 1");
  answer_save ("huge.bin", gone);
  g_assert_true (plannr_harness_wait_line ("“huge.bin” was not saved:", WORLD_WAIT_MS));
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

/* Numbers: each file its own, in the order shown; unknown ones refused. */
static void
test_save_numbers (WorldFixture  *fx,
                   gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  PlannrHarnessRequest *req;

  world_open_chat (fx, "Message 3 from Ben");
  world_run_command (fx->conv, "save 1");
  g_assert_true (plannr_harness_wait_line ("This conversation shows no files", WORLD_WAIT_MS));

  a = post_file (fx, "a.txt", "A", FALSE);
  g_assert_true (plannr_harness_wait_line ("File 1: a.txt", WORLD_POLL_WAIT_MS));
  b = post_file (fx, "b.txt", "B", FALSE);
  g_assert_true (plannr_harness_wait_line ("File 2: b.txt", WORLD_POLL_WAIT_MS));

  world_run_command (fx->conv, "save 3");
  g_assert_true (plannr_harness_wait_line ("There is no file 3 in this conversation", WORLD_WAIT_MS));
  world_run_command (fx->conv, "save two");
  g_assert_true (plannr_harness_wait_line ("Usage: /save N", WORLD_WAIT_MS));
  world_run_command (fx->conv, "save 2");
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpstr (req->default_value, ==, "b.txt");
  plannr_harness_cancel_request (req);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);
}

/* /save N PATH, for clients without a file chooser (BitlBee): saved
 * there without a dialog; a file already there is never replaced; a
 * client without a chooser is told to give the path, for /attach too. */
static void
test_save_to_path (WorldFixture  *fx,
                   gconstpointer  data)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "my copy.txt", NULL);
  g_autofree char *cmd = g_strdup_printf ("save 1 \"%s\"", path);
  g_autofree char *file = NULL;
  g_autofree char *line = NULL;
  PurpleRequestUiOps *ops = purple_request_get_ui_ops ();
  PurpleRequestUiOps without_chooser = *ops;
  PlannrHarnessXfer *xfer;

  world_open_chat (fx, "Message 3 from Ben");
  file = post_file (fx, "figures.txt", "year end", FALSE);
  g_assert_true (plannr_harness_wait_line ("File 1: figures.txt", WORLD_POLL_WAIT_MS));

  plannr_harness_clear_xfers ();
  world_run_command (fx->conv, cmd);
  xfer = plannr_harness_wait_xfer (WORLD_WAIT_MS);
  g_assert_nonnull (xfer);
  wait_xfer_over (xfer);
  g_assert_cmpint (xfer->status, ==, PURPLE_XFER_STATUS_DONE);
  assert_file (path, "year end");
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);

  /* Again to the same path: refused, the first copy kept. */
  g_assert_true (g_file_set_contents (path, "mine", -1, NULL));
  world_run_command (fx->conv, cmd);
  line = g_strdup_printf ("%s exists already: “figures.txt” was not saved.", path);
  g_assert_true (plannr_harness_wait_line (line, WORLD_WAIT_MS));
  assert_file (path, "mine");

  world_run_command (fx->conv, "save 1 a b");
  g_assert_true (plannr_harness_wait_line ("Usage: /save N [PATH]", WORLD_WAIT_MS));

  without_chooser.request_file = NULL;
  purple_request_set_ui_ops (&without_chooser);
  world_run_command (fx->conv, "save 1");
  g_assert_true (plannr_harness_wait_line ("This client has no file chooser: say where to save the file, "
                                           "/save N PATH.", WORLD_WAIT_MS));
  world_run_menu_action (fx, WORLD_CONV, "Send a file…");
  g_assert_true (plannr_harness_wait_line ("This client has no file chooser: give the file&apos;s path",
                                           WORLD_WAIT_MS));
  purple_request_set_ui_ops (ops);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

#define ADD(path, func) WORLD_TEST_ADD ("/files/" path, func, 3)

  ADD ("attach/body", test_attach_body);
  ADD ("save/to-path", test_save_to_path);
  ADD ("attach/menu", test_send_menu);
  ADD ("attach/large", test_attach_large);
  ADD ("attach/cap", test_attach_cap);
  ADD ("attach/refused", test_attach_refused);
  ADD ("attach/cancel", test_attach_cancel);
  ADD ("save/api", test_save_api);
  ADD ("save/storage", test_save_storage);
  ADD ("save/redirect", test_save_redirect);
  ADD ("save/cancel", test_save_cancel);
  ADD ("save/numbers", test_save_numbers);

#undef ADD

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
