/* plannr-fake-files.c: files: attaching and finding them, their download
 * URLs, M3, the download route, C10, and the storage listener that serves
 * signed links
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

/* --- the files of messages ---------------------------------------- */

FakeFile *
fake_add_file (PlannrFake  *self,
               FakeMessage *message,
               const char  *uuid,
               const char  *filename,
               const char  *mime_type,
               guint64      size,
               const char  *download_url)
{
  FakeFile *file = g_new0 (FakeFile, 1);

  file->uuid = uuid != NULL ? g_strdup (uuid) : g_uuid_string_random ();
  file->filename = g_strdup (filename);
  file->type = g_strdup (mime_type != NULL && *mime_type != '\0' ? mime_type : "application/octet-stream");
  file->size = size;
  file->download_url = g_strdup (download_url);
  file->created_at = message->created_at;
  g_ptr_array_add (message->files, file);
  return file;
}

FakeFile *
fake_add_file_data (PlannrFake  *self,
                    FakeMessage *message,
                    const char  *uuid,
                    const char  *filename,
                    const char  *mime_type,
                    GBytes      *data,
                    gboolean     storage)
{
  FakeFile *file = fake_add_file (self, message, uuid, filename, mime_type, g_bytes_get_size (data), NULL);

  file->data = g_bytes_ref (data);
  file->storage = storage;
  return file;
}

/* A file's bytes: the stored ones, or @size made up. */
static GBytes *
file_bytes (FakeFile *file)
{
  guint8 *filler;

  if (file->data != NULL)
    return g_bytes_ref (file->data);
  filler = g_malloc (MAX (file->size, 1));
  for (guint64 i = 0; i < file->size; i++)
    filler[i] = "plannr-fake "[i % 12];
  return g_bytes_new_take (filler, file->size);
}

/* The file a uuid names, in a message that is not deleted and, unless
 * @account is NULL, of a conversation @account takes part in.  M2 may
 * attach one file to several messages, so any of them will do. */
static FakeFile *
find_file (PlannrFake *self,
           const char *uuid,
           const char *account)
{
  GHashTableIter iter;
  gpointer value;

  if (uuid == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->messages_by_uuid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FakeMessage *message = value;

      if (message->deleted_at != 0
          || (account != NULL && !fake_str_array_contains (message->conversation->participants, account)))
        continue;
      for (guint i = 0; i < message->files->len; i++)
        {
          FakeFile *file = g_ptr_array_index (message->files, i);

          if (strcmp (file->uuid, uuid) == 0)
            return file;
        }
    }
  return NULL;
}

/* What a signed link carries: an expiry and an HMAC over it and the
 * file, as S3 and Laravel's URL::temporarySignedRoute() do. */
static char *
storage_signature (PlannrFake *self,
                   const char *uuid,
                   const char *expires)
{
  g_autofree char *text = g_strconcat (uuid, ":", expires, NULL);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) self->storage_secret,
                                    strlen (self->storage_secret), text, -1);
}

static char *
storage_link (PlannrFake *self,
              FakeFile   *file)
{
  g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              g_get_real_time () / G_USEC_PER_SEC + 3600);
  g_autofree char *signature = storage_signature (self, file->uuid, expires);
  /* The name is for show (the uuid finds the file), and a "/" in it
   * would come back decoded as a path: a "../" one SoupServer refuses
   * outright with a 400. */
  g_autofree char *flat = g_strdelimit (g_strdup (file->filename), "/\\", '_');
  g_autofree char *name = g_uri_escape_string (flat, NULL, FALSE);

  return g_strdup_printf ("%s/storage/%s/%s?expires=%s&signature=%s",
                          self->storage_url != NULL ? self->storage_url : "http://127.0.0.2",
                          file->uuid, name, expires, signature);
}

char *
fake_file_download_url (PlannrFake *self,
                        FakeFile   *file)
{
  if (file->download_url != NULL)
    return g_strdup (file->download_url);
  if (file->storage)
    return storage_link (self, file);
  return g_strdup_printf ("%s/api/v1/files/%s/download",
                          self->base_url != NULL ? self->base_url : "http://127.0.0.1", file->uuid);
}

gboolean
plannr_fake_add_file (PlannrFake *self,
                      const char *message_uuid,
                      const char *filename,
                      const char *mime_type,
                      guint64     size,
                      const char *download_url)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && filename != NULL, FALSE);

  message = fake_lookup_message (self, NULL, message_uuid);
  if (message == NULL)
    return FALSE;
  fake_add_file (self, message, NULL, filename, mime_type, size, download_url);
  return TRUE;
}

char *
plannr_fake_add_file_data (PlannrFake *self,
                           const char *message_uuid,
                           const char *filename,
                           const char *mime_type,
                           GBytes     *contents,
                           gboolean    storage)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && filename != NULL && contents != NULL, NULL);

  message = fake_lookup_message (self, NULL, message_uuid);
  if (message == NULL)
    return NULL;
  return g_strdup (fake_add_file_data (self, message, NULL, filename, mime_type, contents, storage)->uuid);
}

gboolean
plannr_fake_set_file_redirect (PlannrFake *self,
                               const char *file_uuid,
                               gboolean    redirect)
{
  FakeFile *file;
  GHashTableIter iter;
  gpointer value;
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  /* Every copy M2 made of it. */
  g_hash_table_iter_init (&iter, self->messages_by_uuid);
  while (file_uuid != NULL && g_hash_table_iter_next (&iter, NULL, &value))
    {
      FakeMessage *message = value;

      for (guint i = 0; i < message->files->len; i++)
        {
          file = g_ptr_array_index (message->files, i);
          if (strcmp (file->uuid, file_uuid) == 0)
            {
              file->redirect = redirect;
              found = TRUE;
            }
        }
    }
  return found;
}

GBytes *
plannr_fake_get_file_data (PlannrFake *self,
                           const char *file_uuid)
{
  FakeFile *file;

  g_return_val_if_fail (self != NULL, NULL);

  file = find_file (self, file_uuid, NULL);
  return file != NULL ? file_bytes (file) : NULL;
}

/* --- routes ------------------------------------------------------- */

/* C10: the conversation's folder, made of its messages' files. */
void
fake_handle_documents (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) messages = NULL;

  if (conv == NULL)
    return;
  messages = g_ptr_array_copy (conv->messages, NULL, NULL);
  g_ptr_array_set_free_func (messages, NULL);
  g_ptr_array_sort_with_data (messages, fake_compare_messages, GINT_TO_POINTER (FALSE));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < messages->len; i++)
    {
      FakeMessage *message = g_ptr_array_index (messages, i);

      if (message->deleted_at != 0)
        continue;
      for (guint j = 0; j < message->files->len; j++)
        fake_build_file (call->self, b, g_ptr_array_index (message->files, j));
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "folders");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  fake_respond_resource (call, SOUP_STATUS_OK, b);
}

typedef struct
{
  char *filename;
  char *type;
  GBytes *data;
} Upload;

static void
upload_free (gpointer data)
{
  Upload *upload = data;

  /* NULL stands for a files[] part that was no file. */
  if (upload == NULL)
    return;
  g_free (upload->filename);
  g_free (upload->type);
  g_bytes_unref (upload->data);
  g_free (upload);
}

/* M3: multipart/form-data with "files[]" parts (at least one, each a
 * file) and an optional "contents", validated as Laravel's
 * "files" => "required|array", "files.*" => "file" would. */
void
fake_handle_message_inline (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = fake_visible_conversation (call, uuid);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (call->msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  g_autofree char *contents = NULL;
  SoupMultipart *multipart;
  gboolean files_not_array = FALSE;
  int not_a_file = -1;
  FakeMessage *message;

  if (conv == NULL)
    return;
  if (type == NULL || g_ascii_strcasecmp (type, "multipart/form-data") != 0)
    {
      fake_respond_error (call->msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                          "Unsupported Media Type: send the body as multipart/form-data.");
      return;
    }
  bytes = soup_message_body_flatten (soup_server_message_get_request_body (call->msg));
  multipart = soup_multipart_new_from_message (headers, bytes);
  if (multipart == NULL)
    {
      fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, "The multipart body could not be read.");
      return;
    }

  uploads = g_ptr_array_new_with_free_func (upload_free);
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autoptr(GHashTable) params = NULL;
      const char *name;
      const char *filename;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body)
          || !soup_message_headers_get_content_disposition (part_headers, NULL, &params))
        continue;
      name = g_hash_table_lookup (params, "name");
      filename = g_hash_table_lookup (params, "filename");
      if (g_strcmp0 (name, "contents") == 0)
        {
          g_free (contents);
          contents = g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
          g_strstrip (contents);
        }
      else if (g_strcmp0 (name, "files[]") == 0)
        {
          Upload *upload;
          const char *part_type = soup_message_headers_get_content_type (part_headers, NULL);

          /* A plain field where a file belongs (no filename). */
          if (filename == NULL)
            {
              if (not_a_file < 0)
                not_a_file = uploads->len;
              g_ptr_array_add (uploads, NULL);
              continue;
            }
          upload = g_new0 (Upload, 1);
          upload->filename = g_strdup (filename);
          upload->type = g_strdup (part_type);
          upload->data = g_bytes_ref (part_body);
          g_ptr_array_add (uploads, upload);
        }
      else if (g_strcmp0 (name, "files") == 0)
        /* PHP reads a lone "files" as one file, not a list of them. */
        files_not_array = TRUE;
    }
  soup_multipart_free (multipart);

  if (files_not_array && uploads->len == 0)
    {
      fake_respond_invalid (call->msg, "files", "The files field must be an array.");
      return;
    }
  if (uploads->len == 0)
    {
      fake_respond_invalid (call->msg, "files", "The files field is required.");
      return;
    }
  if (not_a_file >= 0)
    {
      g_autofree char *key = g_strdup_printf ("files.%d", not_a_file);

      fake_respond_invalid (call->msg, key, "The %s field must be a file.", key);
      return;
    }
  if (contents != NULL && !g_utf8_validate (contents, -1, NULL))
    {
      fake_respond_invalid (call->msg, "contents", "The contents field must be a string.");
      return;
    }
  if (contents != NULL && g_utf8_strlen (contents, -1) > MAX_CONTENTS_LENGTH)
    {
      fake_respond_invalid (call->msg, "contents", "The contents field must not be greater than %d characters.",
                            MAX_CONTENTS_LENGTH);
      return;
    }

  message = fake_post_message (call->self, conv, call->account->uuid, contents != NULL ? contents : "");
  for (guint i = 0; i < uploads->len; i++)
    {
      Upload *upload = g_ptr_array_index (uploads, i);

      fake_add_file_data (call->self, message, NULL, upload->filename, upload->type, upload->data, FALSE);
    }
  fake_respond_message (call, SOUP_STATUS_CREATED, message);
}

/* The fake's own download route (plannr-api.md leaves the real URL
 * shape open). */
void
fake_handle_file_download (Call *call)
{
  const char *uuid = call->params[0];
  FakeFile *file = find_file (call->self, uuid, call->account->uuid);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  if (file == NULL)
    {
      fake_respond_not_found (call->msg, "File", uuid);
      return;
    }
  if (file->redirect)
    {
      g_autofree char *link = storage_link (call->self, file);

      soup_server_message_set_redirect (call->msg, SOUP_STATUS_FOUND, link);
      return;
    }
  bytes = file_bytes (file);
  g_hash_table_insert (params, "filename", file->filename);
  soup_message_headers_set_content_disposition (headers, "attachment", params);
  soup_server_message_set_status (call->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (call->msg, file->type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* --- the storage listener ----------------------------------------- */

static void
respond_storage_error (SoupServerMessage *msg,
                       guint              status,
                       const char        *code,
                       const char        *message)
{
  fake_respond_text (msg, status, "application/xml",
                     g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                      "<Error><Code>%s</Code><Message>%s</Message></Error>\n",
                                      code, message));
}

/* Signed links, as an object store serves them: the link is the
 * credential, and a second one in an Authorization header is refused the
 * way S3 refuses it, so a client that leaks its token here fails. */
static void
storage_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PlannrFake *self = user_data;
  PlannrFakeRequest *request = fake_log_request (self->storage_requests, msg);
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  const char *expires = query != NULL ? g_hash_table_lookup (query, "expires") : NULL;
  const char *signature = query != NULL ? g_hash_table_lookup (query, "signature") : NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GBytes) bytes = NULL;
  FakeFile *file = NULL;
  gint64 until = 0;

  /* "", "storage", uuid, name */
  if (g_strv_length (parts) == 4 && strcmp (parts[1], "storage") == 0)
    file = find_file (self, parts[2], NULL);

  if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
    respond_storage_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed",
                           "The specified method is not allowed against this resource.");
  else if (soup_message_headers_get_one (headers, "Authorization") != NULL)
    respond_storage_error (msg, SOUP_STATUS_BAD_REQUEST, "InvalidArgument",
                           "Only one auth mechanism allowed; only the signature query string "
                           "parameter or the Authorization header should be specified.");
  else if (file == NULL)
    respond_storage_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchKey", "The specified key does not exist.");
  else if (expires == NULL || signature == NULL
           || !g_ascii_string_to_signed (expires, 10, 0, G_MAXINT64, &until, NULL)
           || strcmp (signature, (expected = storage_signature (self, file->uuid, expires))) != 0)
    respond_storage_error (msg, SOUP_STATUS_FORBIDDEN, "SignatureDoesNotMatch",
                           "The request signature we calculated does not match the signature you provided.");
  else if (until < g_get_real_time () / G_USEC_PER_SEC)
    respond_storage_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied", "Request has expired");
  else
    {
      bytes = file_bytes (file);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, file->type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  request->status = soup_server_message_get_status (msg);
}

/* On 127.0.0.2, another host than the API's 127.0.0.1 (a client that
 * compares hosts and one that compares origins both see it as foreign);
 * on another port of 127.0.0.1 where that address cannot be bound. */
gboolean
fake_listen_storage (PlannrFake  *self,
                     gboolean     tls,
                     GError     **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string ("127.0.0.2");
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, 0);
  SoupServerListenOptions options = tls ? SOUP_SERVER_LISTEN_HTTPS : 0;
  GSList *uris;

  if (tls)
    self->storage_server = soup_server_new ("server-header", "plannr-fake-storage ", "tls-certificate",
                                            soup_server_get_tls_certificate (self->server), NULL);
  else
    self->storage_server = soup_server_new ("server-header", "plannr-fake-storage ", NULL);
  soup_server_add_handler (self->storage_server, NULL, storage_cb, self, NULL);
  if (!soup_server_listen (self->storage_server, socket_address, options, NULL)
      && !soup_server_listen_local (self->storage_server, 0, options | SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (self->storage_server);
  g_return_val_if_fail (uris != NULL, FALSE);
  self->storage_url = g_strdup_printf ("%s://%s:%d", tls ? "https" : "http",
                                       g_uri_get_host (uris->data), g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

const char *
plannr_fake_get_storage_url (PlannrFake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->storage_url;
}

GPtrArray *
plannr_fake_get_storage_requests (PlannrFake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->storage_requests;
}

void
plannr_fake_clear_storage_requests (PlannrFake *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->storage_requests, 0);
}
