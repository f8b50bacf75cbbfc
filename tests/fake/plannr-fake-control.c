/* plannr-fake-control.c: the control routes under /_fake/ (listed in
 * plannr-fake.c), each a thin JSON wrapper over the C function of the same
 * meaning, so that end-to-end runs and GTests act alike
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "plannr-fake-private.h"

/* --- helpers ------------------------------------------------------ */

static void
build_request (JsonBuilder       *b,
               PlannrFakeRequest *request)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *body = g_utf8_make_valid (request->body, -1);

  json_builder_begin_object (b);
  fake_add_string (b, "method", request->method);
  fake_add_string (b, "path", request->path);
  fake_add_string (b, "query", request->query);
  json_builder_set_member_name (b, "headers");
  json_builder_begin_object (b);
  soup_message_headers_iter_init (&iter, request->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);
      const char *list;

      /* Repeated headers come out once, joined, as HTTP allows. */
      if (!g_hash_table_add (seen, g_strdup (lower)))
        continue;
      list = soup_message_headers_get_list (request->headers, name);
      fake_add_string (b, lower, list);
    }
  json_builder_end_object (b);
  fake_add_string (b, "body", body);
  fake_add_int (b, "status", request->status);
  json_builder_end_object (b);
}

static gboolean
parse_fault_kind (const char          *name,
                  PlannrFakeFaultKind *kind)
{
  static const char * const names[] = { "status", "delay", "drop", "malformed", "drop-after", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static void
respond_shapes (PlannrFake        *self,
                SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *spec = plannr_fake_get_shapes (self);

  json_builder_begin_object (b);
  fake_add_string (b, "shapes", spec);
  fake_add_bool (b, "wrap_resources", self->shapes.wrap);
  fake_add_int (b, "clamp_per_page", self->shapes.clamp);
  fake_add_bool (b, "empty_2xx", self->shapes.empty_2xx);
  fake_add_string (b, "time_format", fake_time_format_names[self->shapes.time]);
  fake_add_bool (b, "json_charset", self->shapes.charset);
  json_builder_end_object (b);
  fake_respond_builder (msg, SOUP_STATUS_OK, b);
}

static gboolean
member_is (JsonNode *node,
           GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* POST: "shapes" (a spec, applied first) and any of the switches by
 * name; a member that is unknown or of the wrong type changes nothing
 * and is a 400, so a typo cannot pass for the default. */
void
fake_control_shapes_post (Call *call)
{
  PlannrFake *self = call->self;
  SoupServerMessage *msg = call->msg;
  JsonObject *obj = call->body;
  g_autoptr(GList) members = json_object_get_members (obj);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean ok;

      node = json_object_get_member (obj, name);
      if (strcmp (name, "wrap_resources") == 0 || strcmp (name, "empty_2xx") == 0
          || strcmp (name, "json_charset") == 0)
        ok = member_is (node, G_TYPE_BOOLEAN);
      else if (strcmp (name, "clamp_per_page") == 0)
        ok = member_is (node, G_TYPE_INT64) && json_node_get_int (node) >= 0
             && json_node_get_int (node) <= MAX_PER_PAGE;
      else if (strcmp (name, "time_format") == 0)
        {
          PlannrFakeTimeFormat format;

          ok = member_is (node, G_TYPE_STRING) && fake_parse_time_format (json_node_get_string (node), &format);
        }
      else if (strcmp (name, "shapes") == 0)
        ok = member_is (node, G_TYPE_STRING);
      else
        ok = FALSE;
      if (!ok)
        {
          g_autofree char *text = g_strdup_printf ("Bad member \"%s\": use shapes (a spec), "
                                                   "wrap_resources, clamp_per_page (0..%d), "
                                                   "empty_2xx, time_format "
                                                   "(offset|utc-micro|utc-bare), json_charset.",
                                                   name, MAX_PER_PAGE);

          fake_respond_error (msg, SOUP_STATUS_BAD_REQUEST, text);
          return;
        }
    }

  node = json_object_get_member (obj, "shapes");
  if (node != NULL && !plannr_fake_set_shapes (self, json_node_get_string (node), &error))
    {
      fake_respond_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  self->shapes.wrap = json_object_get_boolean_member_with_default (obj, "wrap_resources",
                                                                   self->shapes.wrap);
  self->shapes.clamp = json_object_get_int_member_with_default (obj, "clamp_per_page",
                                                                self->shapes.clamp);
  self->shapes.empty_2xx = json_object_get_boolean_member_with_default (obj, "empty_2xx",
                                                                        self->shapes.empty_2xx);
  self->shapes.charset = json_object_get_boolean_member_with_default (obj, "json_charset",
                                                                      self->shapes.charset);
  if (json_object_has_member (obj, "time_format"))
    fake_parse_time_format (json_object_get_string_member (obj, "time_format"), &self->shapes.time);
  respond_shapes (self, msg);
}

/* "data" (text) or "data_base64" of a control body, or NULL. */
static GBytes *
control_file_data (JsonObject *obj)
{
  const char *text = fake_get_string (obj, "data");
  const char *encoded = fake_get_string (obj, "data_base64");
  gsize length = 0;
  guchar *decoded;

  if (text != NULL)
    return g_bytes_new (text, strlen (text));
  if (encoded == NULL)
    return NULL;
  decoded = g_base64_decode (encoded, &length);
  return g_bytes_new_take (decoded, length);
}

/* {"ok": true, "uuid": file, "download_url"} or, with @message, {"uuid":
 * message, "file": file, "download_url"}. */
static void
respond_file (PlannrFake        *self,
              SoupServerMessage *msg,
              guint              status,
              FakeMessage       *message,
              FakeFile          *file)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *url = fake_file_download_url (self, file);

  json_builder_begin_object (b);
  if (message != NULL)
    {
      fake_add_string (b, "uuid", message->uuid);
      fake_add_string (b, "file", file->uuid);
    }
  else
    {
      fake_add_bool (b, "ok", TRUE);
      fake_add_string (b, "uuid", file->uuid);
    }
  fake_add_string (b, "download_url", url);
  json_builder_end_object (b);
  fake_respond_builder (msg, status, b);
}

/* A route that needs a field the body lacks reads, like an unknown
 * one, as no route at all. */
void
fake_respond_no_control (Call *call)
{
  fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such control route, or a field is missing.");
}

static void
respond_request_log (Call      *call,
                     GPtrArray *log)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < log->len; i++)
    build_request (b, g_ptr_array_index (log, i));
  json_builder_end_array (b);
  fake_respond_builder (call->msg, SOUP_STATUS_OK, b);
}

/* --- the routes --------------------------------------------------- */

void
fake_control_requests_get (Call *call)
{
  respond_request_log (call, call->self->requests);
}

void
fake_control_requests_delete (Call *call)
{
  plannr_fake_clear_requests (call->self);
  fake_respond_ok (call->msg);
}

void
fake_control_storage_requests_get (Call *call)
{
  respond_request_log (call, call->self->storage_requests);
}

void
fake_control_storage_requests_delete (Call *call)
{
  plannr_fake_clear_storage_requests (call->self);
  fake_respond_ok (call->msg);
}

void
fake_control_faults_post (Call *call)
{
  JsonObject *obj = call->body;
  gint64 count = json_object_get_int_member_with_default (obj, "count", 1);
  PlannrFakeFaultKind kind;

  if (!parse_fault_kind (fake_get_string (obj, "kind"), &kind) || (count < 1 && count != -1))
    {
      fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST,
                          "Need kind status|delay|drop|malformed and count >= 1 or -1.");
      return;
    }
  plannr_fake_add_fault (call->self, fake_get_string (obj, "method"), fake_get_string (obj, "path"), kind,
                         json_object_get_int_member_with_default (obj, "value", 0), count);
  fake_respond_ok (call->msg);
}

void
fake_control_faults_delete (Call *call)
{
  plannr_fake_clear_faults (call->self);
  fake_respond_ok (call->msg);
}

void
fake_control_shapes_get (Call *call)
{
  respond_shapes (call->self, call->msg);
}

void
fake_control_shapes_delete (Call *call)
{
  call->self->shapes = (FakeShapes) { FALSE, 0, FALSE, PLANNR_FAKE_TIME_OFFSET, FALSE };
  respond_shapes (call->self, call->msg);
}

void
fake_control_dump (Call *call)
{
  fake_respond_text (call->msg, SOUP_STATUS_OK, JSON_TYPE, plannr_fake_dump (call->self));
}

void
fake_control_load (Call *call)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), call->body);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  if (!plannr_fake_load_data (call->self, text, &error))
    fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, error->message);
  else
    fake_respond_ok (call->msg);
}

void
fake_control_time (Call *call)
{
  const char *time = fake_get_string (call->body, "time");
  gint64 t;

  if (!fake_parse_time (time, &t))
    {
      fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, "Need \"time\", ISO 8601.");
      return;
    }
  plannr_fake_set_time (call->self, time);
  fake_respond_ok (call->msg);
}

void
fake_control_rate_limit (Call *call)
{
  gint64 per_minute = json_object_get_int_member_with_default (call->body, "per_minute", DEFAULT_RATE_LIMIT);
  gint64 window = json_object_get_int_member_with_default (call->body, "window", call->self->rate_window);

  if (per_minute < 0 || window < 1 || per_minute > G_MAXUINT || window > G_MAXUINT)
    {
      fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, "Need per_minute >= 0 and window >= 1.");
      return;
    }
  plannr_fake_set_rate_limit (call->self, per_minute);
  plannr_fake_set_rate_window (call->self, window);
  fake_respond_ok (call->msg);
}

void
fake_control_revoke (Call *call)
{
  const char *token = fake_get_string (call->body, "token");

  if (token == NULL)
    {
      fake_respond_no_control (call);
      return;
    }
  plannr_fake_revoke_token (call->self, token);
  fake_respond_ok (call->msg);
}

void
fake_control_reaction (Call *call)
{
  const char *reaction = fake_get_string (call->body, "reaction");

  if (!plannr_fake_react (call->self, fake_get_string (call->body, "message"),
                          fake_get_string (call->body, "account"), reaction != NULL ? reaction : "like"))
    fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such message or account.");
  else
    fake_respond_ok (call->msg);
}

void
fake_control_file (Call *call)
{
  JsonObject *obj = call->body;
  g_autoptr(GBytes) data = control_file_data (obj);
  FakeMessage *message = fake_lookup_message (call->self, NULL, fake_get_string (obj, "message"));
  const char *filename = fake_get_string (obj, "filename");
  const char *type = fake_get_string (obj, "type");
  FakeFile *file;

  if (filename == NULL || message == NULL)
    {
      fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such message, or no filename.");
      return;
    }
  if (data != NULL)
    file = fake_add_file_data (call->self, message, NULL, filename, type, data,
                               json_object_get_boolean_member_with_default (obj, "storage", FALSE));
  else
    file = fake_add_file (call->self, message, NULL, filename, type,
                          json_object_get_int_member_with_default (obj, "size", 0),
                          fake_get_string (obj, "download_url"));
  respond_file (call->self, call->msg, SOUP_STATUS_OK, NULL, file);
}

void
fake_control_file_redirect (Call *call)
{
  gboolean redirect = json_object_get_boolean_member_with_default (call->body, "redirect", TRUE);

  if (plannr_fake_set_file_redirect (call->self, call->params[0], redirect))
    fake_respond_ok (call->msg);
  else
    fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such file.");
}

static void
respond_uuid (Call       *call,
              const char *uuid)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  fake_add_string (b, "uuid", uuid);
  json_builder_end_object (b);
  fake_respond_builder (call->msg, SOUP_STATUS_CREATED, b);
}

void
fake_control_conversation_create (Call *call)
{
  JsonObject *obj = call->body;
  g_auto(GStrv) participants = fake_get_account_list (call->self, obj, "participants", "participants", NULL);
  g_auto(GStrv) admins = fake_get_account_list (call->self, obj, "admins", "admins", NULL);
  const char *uuid = fake_get_string (obj, "uuid");
  g_autofree char *created = NULL;

  if (fake_get_string (obj, "name") == NULL || participants == NULL || admins == NULL
      || (uuid != NULL && fake_lookup_conversation (call->self, uuid) != NULL))
    {
      fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST,
                          "Need a name, known participants and admins, and a new uuid.");
      return;
    }
  created = plannr_fake_add_conversation (call->self, uuid, fake_get_string (obj, "name"),
                                          (const char * const *) participants,
                                          (const char * const *) admins);
  respond_uuid (call, created);
}

void
fake_control_conversation_rename (Call *call)
{
  const char *name = fake_get_string (call->body, "name");

  if (name == NULL)
    fake_respond_no_control (call);
  else if (plannr_fake_rename_conversation (call->self, call->params[0], name))
    fake_respond_ok (call->msg);
  else
    fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation.");
}

void
fake_control_upload (Call *call)
{
  JsonObject *obj = call->body;
  g_autoptr(GBytes) data = control_file_data (obj);
  const char *contents = fake_get_string (obj, "contents");
  g_autofree char *uuid = NULL;
  FakeMessage *message;
  FakeFile *file;

  if (data == NULL || fake_get_string (obj, "filename") == NULL)
    {
      fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST,
                          "Need \"author\", \"filename\" and \"data\" or \"data_base64\".");
      return;
    }
  uuid = plannr_fake_post_message (call->self, call->params[0], fake_get_string (obj, "author"),
                                   contents != NULL ? contents : "");
  message = fake_lookup_message (call->self, NULL, uuid);
  if (message == NULL)
    {
      fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or author.");
      return;
    }
  file = fake_add_file_data (call->self, message, NULL, fake_get_string (obj, "filename"),
                             fake_get_string (obj, "type"), data,
                             json_object_get_boolean_member_with_default (obj, "storage", FALSE));
  respond_file (call->self, call->msg, SOUP_STATUS_CREATED, message, file);
}

void
fake_control_message_post (Call *call)
{
  g_autofree char *uuid = NULL;

  if (fake_get_string (call->body, "contents") == NULL)
    {
      fake_respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, "Need \"author\" and \"contents\".");
      return;
    }
  uuid = plannr_fake_post_message (call->self, call->params[0], fake_get_string (call->body, "author"),
                                   fake_get_string (call->body, "contents"));
  if (uuid == NULL)
    {
      fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or author.");
      return;
    }
  respond_uuid (call, uuid);
}

void
fake_control_message_edit (Call *call)
{
  const char *contents = fake_get_string (call->body, "contents");

  if (contents == NULL)
    fake_respond_no_control (call);
  else if (plannr_fake_edit_message (call->self, call->params[0], call->params[1], contents))
    fake_respond_ok (call->msg);
  else
    fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such message.");
}

void
fake_control_message_delete (Call *call)
{
  if (plannr_fake_delete_message (call->self, call->params[0], call->params[1]))
    fake_respond_ok (call->msg);
  else
    fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such message.");
}

void
fake_control_pin (Call *call)
{
  if (plannr_fake_set_pinned (call->self, call->params[0], fake_get_string (call->body, "account"),
                              json_object_get_boolean_member_with_default (call->body, "pinned", TRUE)))
    fake_respond_ok (call->msg);
  else
    fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or participant.");
}

/* arg TRUE: make an admin. */
void
fake_control_admin (Call *call)
{
  if (plannr_fake_set_admin (call->self, call->params[0], call->params[1], call->arg))
    fake_respond_ok (call->msg);
  else
    fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or participant.");
}

/* arg TRUE: add. */
void
fake_control_participant (Call *call)
{
  gboolean ok;

  if (call->arg)
    ok = plannr_fake_add_participant (call->self, call->params[0], call->params[1],
                                      json_object_get_boolean_member_with_default (call->body, "admin", FALSE));
  else
    ok = plannr_fake_remove_participant (call->self, call->params[0], call->params[1]);
  if (ok)
    fake_respond_ok (call->msg);
  else
    fake_respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or participant.");
}
