/* test-model.c: unit tests of plannr-model
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The parsers take whatever a server sends.  The two documented examples
 * (seed 000 and 002, in tests/data/) must come out right, and the
 * hostile fixtures next to them must come out as GErrors or as objects
 * with the odd members read as absent: never a crash, never a
 * g_warning (the suite runs with G_DEBUG=fatal-warnings).
 */

#include "config.h"

#include <string.h>

#include "plannr-error.h"
#include "plannr-model.h"

/* --- helpers --------------------------------------------------------- */

static JsonNode *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  JsonNode *node;

  if (!g_file_get_contents (path, &data, &length, &error))
    g_error ("cannot read fixture %s: %s", path, error->message);
  node = plannr_json_parse (data, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static JsonNode *
parse_string (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = plannr_json_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  return node;
}

static void
assert_time (GDateTime  *time,
             const char *expected_utc)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (time);
  utc = g_date_time_to_utc (time);
  text = g_date_time_format_iso8601 (utc);
  g_assert_cmpstr (text, ==, expected_utc);
}

/* Seconds between @time and now, to recognise "now" fallbacks. */
static gint64
seconds_from_now (GDateTime *time)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return ABS (g_date_time_difference (now, time)) / G_USEC_PER_SEC;
}

/* --- uuids and times -------------------------------------------------- */

static void
test_uuid_valid (void)
{
  static const char * const valid[] = {
    "7c1c9d8f-5343-464c-b479-1f838710d546",
    "7C1C9D8F-5343-464C-B479-1F838710D546",
    "00000000-0000-0000-0000-000000000000",
    /* Any version, not just 4. */
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  };
  static const char * const invalid[] = {
    "",
    "7c1c9d8f-5343-464c-b479-1f838710d54",
    "7c1c9d8f-5343-464c-b479-1f838710d5466",
    "7c1c9d8f5343464cb4791f838710d546",
    "7c1c9d8f-5343-464c-b479_1f838710d546",
    "7c1c9d8g-5343-464c-b479-1f838710d546",
    "{7c1c9d8f-5343-464c-b479-1f838710d546}",
    " 7c1c9d8f-5343-464c-b479-1f838710d546",
    "7c1c9d8f-5343-464c-b479-1f838710d546\n",
    "7c1c9d8f-5343-464c-b479-1f838710d546/..",
    "../../x",
    "7c1c9d8f-5343-464c-b479-../../../../x",
    "7c1c9d8f-5343-464c-b479-1f838710%2F46",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (plannr_uuid_is_valid (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("%s", invalid[i]);
      g_assert_false (plannr_uuid_is_valid (invalid[i]));
    }
  g_assert_false (plannr_uuid_is_valid (NULL));
}

static void
test_parse_time (void)
{
  g_autoptr(GDateTime) offset = plannr_parse_time ("2025-06-05T11:39:39+01:00");
  g_autoptr(GDateTime) zulu = plannr_parse_time ("2025-06-05T10:39:39Z");
  g_autoptr(GDateTime) bare = plannr_parse_time ("2025-06-05T10:39:39");
  g_autoptr(GDateTime) fraction = plannr_parse_time ("2025-06-05T10:39:39.250000Z");

  assert_time (offset, "2025-06-05T10:39:39Z");
  assert_time (zulu, "2025-06-05T10:39:39Z");
  g_assert_cmpint (g_date_time_compare (offset, zulu), ==, 0);
  /* No offset: read as UTC, not as this machine's zone. */
  assert_time (bare, "2025-06-05T10:39:39Z");
  g_assert_cmpint (g_date_time_get_microsecond (fraction), ==, 250000);

  g_assert_null (plannr_parse_time (NULL));
  g_assert_null (plannr_parse_time (""));
  g_assert_null (plannr_parse_time ("yesterday"));
  g_assert_null (plannr_parse_time ("2025-13-45T99:99:99Z"));
  g_assert_null (plannr_parse_time ("1749120000"));
}

/* --- plannr_json_parse ------------------------------------------------ */

static void
test_json_parse_valid (void)
{
  g_autoptr(JsonNode) node = parse_string ("{\"a\": [1, 2, {\"b\": \"[[[{{{\"}]}");
  JsonObject *obj;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  obj = json_node_get_object (node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "a")), ==, 3);
}

static void
test_json_parse_not_json (void)
{
  static const char * const inputs[] = {
    "not json",
    "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
    "{\"data\": [{\"uuid\": \"truncated",
    "{\"a\": 1,}",
    "   ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = plannr_json_parse (inputs[i], strlen (inputs[i]), &error);

      g_test_message ("%s", inputs[i]);
      g_assert_null (node);
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
    }
}

static void
test_json_parse_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(JsonNode) node = plannr_json_parse ("", 0, &error);
  g_autoptr(JsonNode) node2 = plannr_json_parse (NULL, 0, &error2);

  g_assert_null (node);
  g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
  g_assert_null (node2);
  g_assert_error (error2, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
}

static char *
nested (const char *open,
        const char *middle,
        const char *close,
        guint       depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, middle);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_json_parse_deep (void)
{
  /* json-glib recurses once per level; 10,000 levels would be a stack
   * overflow in a thread with a small stack, so they must be refused
   * before json-glib sees them. */
  g_autofree char *arrays = nested ("[", "1", "]", 10000);
  g_autofree char *objects = nested ("{\"a\":", "1", "}", 10000);
  g_autofree char *unclosed = nested ("[", "", "", 10000);
  g_autofree char *at_limit = nested ("[", "1", "]", PLANNR_MAX_JSON_DEPTH);
  g_autofree char *over_limit = nested ("[", "1", "]", PLANNR_MAX_JSON_DEPTH + 1);
  /* json-glib reads comments and single-quoted strings that strict JSON
   * has not: brackets in them must not hide the nesting that follows. */
  g_autofree char *deep = nested ("[", "1", "]", 70);
  g_autofree char *comment = g_strconcat ("/*]]]]]]]]]]*/", deep, NULL);
  g_autofree char *line_comment = g_strconcat ("// ]]]]]]]]]]\n", deep, NULL);
  g_autofree char *quoted = g_strconcat ("['", "]]]]]]]]]]", "',", deep, "]", NULL);
  const char *refused[] = { arrays, objects, unclosed, over_limit, comment, line_comment, quoted };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = plannr_json_parse (refused[i], strlen (refused[i]), &error);

      g_assert_null (node);
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
    }

  {
    g_autoptr(JsonNode) node = parse_string (at_limit);

    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  }

  /* Brackets inside strings (with escaped quotes) are not nesting. */
  {
    g_autofree char *brackets = nested ("[", "", "", 10000);
    g_autofree char *json = g_strdup_printf ("{\"a\": \"\\\"%s\", \"b\": 1}", brackets);
    g_autoptr(JsonNode) node = parse_string (json);

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "b"), ==, 1);
  }
}

static void
test_json_parse_invalid_utf8 (void)
{
  /* A lone 0xFF and a truncated two-byte sequence. */
  static const char json[] = "{\"contents\": \"caf\xc3 \xff ok\", \"uuid\": \"7c1c9d8f-5343-464c-b479-1f838710d546\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = plannr_json_parse (json, strlen (json), &error);
  g_autoptr(PlannrMessage) message = NULL;
  const char *contents;

  g_assert_no_error (error);
  g_assert_nonnull (node);
  contents = json_object_get_string_member (json_node_get_object (node), "contents");
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  g_assert_true (g_str_has_prefix (contents, "caf"));
  g_assert_true (g_str_has_suffix (contents, " ok"));
  g_assert_nonnull (strstr (contents, "\xef\xbf\xbd"));

  /* The rest of the object survives the repair. */
  message = plannr_message_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->contents, ==, contents);
}

/* --- messages ---------------------------------------------------------- */

static void
test_message_seed002 (void)
{
  g_autoptr(JsonNode) node = load_fixture ("message-seed002.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = plannr_message_new_from_json (node, &error);
  const PlannrFile *file;
  const PlannrReaction *reaction;

  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (message->uuid, ==, "7c1c9d8f-5343-464c-b479-1f838710d546");
  g_assert_cmpstr (message->contents, ==, "Welcome to Plannr!");
  g_assert_true (message->edited);
  assert_time (message->created_at, "2025-05-21T12:38:01Z");
  assert_time (message->updated_at, "2025-05-21T12:38:01Z");
  /* The example really has deleted_at set. */
  assert_time (message->deleted_at, "2025-05-21T12:38:01Z");

  /* The author is the account, not the "user" next to it. */
  g_assert_nonnull (message->author);
  g_assert_cmpstr (message->author->uuid, ==, "c7ce2c48-8300-4e01-8cf5-456a543bef3c");
  g_assert_cmpstr (message->author->name, ==, "Gareth Thompson");
  g_assert_cmpstr (message->author->email, ==, "gareth@codepotato.co.uk");
  g_assert_cmpstr (message->author->type, ==, "client");
  g_assert_cmpstr (message->author->role, ==, "client");

  g_assert_cmpuint (message->files->len, ==, 1);
  file = g_ptr_array_index (message->files, 0);
  g_assert_cmpstr (file->uuid, ==, "06523a85-61f5-4df9-8519-f99db815af22");
  g_assert_cmpstr (file->filename, ==, "Welcome to Plannr.pdf");
  g_assert_cmpstr (file->mime_type, ==, "type");
  /* The size comes as a string of bytes. */
  g_assert_cmpuint (file->size, ==, 21691783);
  g_assert_cmpstr (file->download_url, ==,
                   "https://plannr.valet/file/521cf3d5-e565-4b9b-8d20-582ca1928256/download");

  g_assert_cmpuint (message->reactions->len, ==, 1);
  reaction = g_ptr_array_index (message->reactions, 0);
  g_assert_cmpstr (reaction->reaction, ==, "like");
  g_assert_cmpstr (reaction->account_uuid, ==, "453f07f6-0490-4aba-8859-6b87d6a31e57");
  g_assert_cmpstr (reaction->account_name, ==, "Gareth Thompson");
}

static void
test_message_copy (void)
{
  g_autoptr(JsonNode) node = load_fixture ("message-seed002.json");
  g_autoptr(PlannrMessage) message = plannr_message_new_from_json (node, NULL);
  g_autoptr(PlannrMessage) copy = plannr_message_copy (message);

  g_assert_true (copy != message);
  g_assert_cmpstr (copy->uuid, ==, message->uuid);
  g_assert_cmpstr (copy->contents, ==, message->contents);
  g_assert_cmpint (copy->edited, ==, message->edited);
  g_assert_true (g_date_time_equal (copy->created_at, message->created_at));
  g_assert_nonnull (copy->deleted_at);
  g_assert_true (copy->author != message->author);
  g_assert_cmpstr (copy->author->name, ==, "Gareth Thompson");
  g_assert_cmpuint (copy->files->len, ==, 1);
  g_assert_cmpuint (((PlannrFile *) g_ptr_array_index (copy->files, 0))->size, ==, 21691783);
  g_assert_cmpuint (copy->reactions->len, ==, 1);
  g_assert_cmpstr (((PlannrReaction *) g_ptr_array_index (copy->reactions, 0))->reaction, ==, "like");

  g_assert_null (plannr_message_copy (NULL));
}

static void
test_message_future_time (void)
{
  /* Far in the future: taken as now, so that catch-up, which remembers
   * the newest time shown, is not blinded by it. */
  g_autoptr(JsonNode) node = parse_string ("{\"uuid\": \"7c1c9d8f-5343-464c-b479-1f838710d546\", "
                                           "\"created_at\": \"2099-01-01T00:00:00+00:00\", "
                                           "\"contents\": \"from the future\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = plannr_message_new_from_json (node, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_difference (message->created_at, now), <, G_TIME_SPAN_DAY);
  g_assert_cmpint (g_date_time_get_year (message->created_at), <, 2099);
}

static void
test_message_missing_members (void)
{
  static const char * const fixtures[] = { "message-minimal.json", "message-nulls.json" };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(JsonNode) node = load_fixture (fixtures[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrMessage) message = plannr_message_new_from_json (node, &error);

      g_test_message ("%s", fixtures[i]);
      g_assert_no_error (error);
      g_assert_cmpstr (message->uuid, ==, "0f8b1a52-3c1e-4d7a-9b2c-5e6f7a8b9c0d");
      g_assert_cmpstr (message->contents, ==, "");
      g_assert_false (message->edited);
      g_assert_null (message->author);
      g_assert_null (message->deleted_at);
      g_assert_nonnull (message->files);
      g_assert_cmpuint (message->files->len, ==, 0);
      g_assert_nonnull (message->reactions);
      g_assert_cmpuint (message->reactions->len, ==, 0);
      /* Times are never NULL: now, and updated_at = created_at. */
      g_assert_cmpint (seconds_from_now (message->created_at), <, 60);
      g_assert_true (g_date_time_equal (message->updated_at, message->created_at));
    }
}

static void
test_message_wrong_types (void)
{
  g_autoptr(JsonNode) node = load_fixture ("message-wrong-types.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = plannr_message_new_from_json (node, &error);

  g_assert_no_error (error);
  /* Upper-case uuids are kept, in lower case, so lookups match. */
  g_assert_cmpstr (message->uuid, ==, "0f8b1a52-3c1e-4d7a-9b2c-5e6f7a8b9c0d");
  /* A number where a string belongs is read as its text. */
  g_assert_cmpstr (message->contents, ==, "42");
  g_assert_true (message->edited);
  g_assert_cmpint (seconds_from_now (message->created_at), <, 60);
  g_assert_true (g_date_time_equal (message->updated_at, message->created_at));
  g_assert_null (message->deleted_at);
  g_assert_null (message->author);
  g_assert_cmpuint (message->files->len, ==, 0);
  g_assert_cmpuint (message->reactions->len, ==, 0);
}

static void
test_message_odd_lists (void)
{
  g_autoptr(JsonNode) node = load_fixture ("message-odd-lists.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = plannr_message_new_from_json (node, &error);
  const PlannrFile *file;

  g_assert_no_error (error);
  /* An author without a valid uuid is no author. */
  g_assert_null (message->author);

  /* Non-objects are dropped; objects are kept with what is usable. */
  g_assert_cmpuint (message->files->len, ==, 4);
  file = g_ptr_array_index (message->files, 0);
  g_assert_cmpstr (file->filename, ==, "Named only");
  g_assert_cmpuint (file->size, ==, 12);
  file = g_ptr_array_index (message->files, 1);
  g_assert_cmpstr (file->filename, ==, "negative.txt");
  g_assert_cmpuint (file->size, ==, 0);
  file = g_ptr_array_index (message->files, 2);
  g_assert_cmpstr (file->filename, ==, "garbage.txt");
  g_assert_cmpuint (file->size, ==, 0);
  file = g_ptr_array_index (message->files, 3);
  g_assert_cmpstr (file->filename, ==, "file");
  g_assert_cmpuint (file->size, ==, 0);

  /* Reactions without a reaction are dropped. */
  g_assert_cmpuint (message->reactions->len, ==, 2);
  g_assert_cmpstr (((PlannrReaction *) g_ptr_array_index (message->reactions, 0))->reaction, ==, "like");
  g_assert_cmpstr (((PlannrReaction *) g_ptr_array_index (message->reactions, 1))->reaction, ==, "love");
  g_assert_null (((PlannrReaction *) g_ptr_array_index (message->reactions, 1))->account_uuid);
}

static void
test_message_bad_uuid (void)
{
  static const char * const fixtures[] = {
    "message-bad-uuid.json",
    "message-path-traversal.json",
    "message-uuid-number.json",
    "message-no-uuid.json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(JsonNode) node = load_fixture (fixtures[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrMessage) message = plannr_message_new_from_json (node, &error);

      g_test_message ("%s", fixtures[i]);
      g_assert_null (message);
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
    }
}

static void
test_message_not_object (void)
{
  static const char * const inputs[] = { "[]", "\"text\"", "42", "null", "true" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(JsonNode) node = parse_string (inputs[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrMessage) message = plannr_message_new_from_json (node, &error);
      g_autoptr(GError) error2 = NULL;
      g_autoptr(PlannrConversation) conv = plannr_conversation_new_from_json (node, &error2);
      g_autoptr(GError) error3 = NULL;
      g_autoptr(PlannrPerson) person = plannr_person_new_from_json (node, &error3);

      g_assert_null (message);
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
      g_assert_null (conv);
      g_assert_error (error2, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
      g_assert_null (person);
      g_assert_error (error3, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (plannr_message_new_from_json (NULL, &error));
    g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
  }
}

static void
test_message_huge_string (void)
{
  gsize big = PLANNR_MAX_STRING + 4096;
  g_autofree char *contents = g_malloc (big + 1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;

  memset (contents, 'x', big);
  contents[big] = '\0';
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uuid");
  json_builder_add_string_value (builder, "7c1c9d8f-5343-464c-b479-1f838710d546");
  json_builder_set_member_name (builder, "contents");
  json_builder_add_string_value (builder, contents);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  message = plannr_message_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (message->contents), ==, PLANNR_MAX_STRING);
  g_assert_true (message->contents[0] == 'x');
}

static void
test_message_huge_string_multibyte (void)
{
  /* One ASCII byte, then two-byte characters: the cap at an even byte
   * count falls inside a character, which must not be half kept. */
  gsize n = PLANNR_MAX_STRING / 2 + 100;
  GString *contents = g_string_new ("x");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrMessage) message = NULL;
  gsize len;

  for (gsize i = 0; i < n; i++)
    g_string_append (contents, "\xc3\xa9");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uuid");
  json_builder_add_string_value (builder, "7c1c9d8f-5343-464c-b479-1f838710d546");
  json_builder_set_member_name (builder, "contents");
  json_builder_add_string_value (builder, contents->str);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  g_string_free (contents, TRUE);

  message = plannr_message_new_from_json (node, &error);
  g_assert_no_error (error);
  len = strlen (message->contents);
  g_assert_cmpuint (len, <=, PLANNR_MAX_STRING);
  g_assert_cmpuint (len, >=, PLANNR_MAX_STRING - 4);
  g_assert_true (g_utf8_validate (message->contents, -1, NULL));
  /* Cut, not repaired: no replacement character at the end. */
  g_assert_true (g_str_has_suffix (message->contents, "\xc3\xa9"));
}

/* --- people ------------------------------------------------------------ */

static void
test_person_name_fallback (void)
{
  static const struct
  {
    const char *json;
    const char *name;
  } cases[] = {
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", \"name\": \"Gareth Thompson\", "
      "\"first_name\": \"G\", \"last_name\": \"T\"}", "Gareth Thompson" },
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", "
      "\"first_name\": \"Ada\", \"last_name\": \"Lovelace\"}", "Ada Lovelace" },
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", \"name\": null, "
      "\"first_name\": \"Ada\"}", "Ada" },
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", \"name\": \"   \", "
      "\"last_name\": \"Lovelace\"}", "Lovelace" },
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", \"name\": \"\", "
      "\"email\": \"ada@example.com\"}", "ada@example.com" },
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", \"first_name\": \"\", "
      "\"last_name\": \"\", \"email\": \"ada@example.com\"}", "ada@example.com" },
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\"}", "Unknown" },
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", \"name\": [\"x\"], "
      "\"first_name\": {}, \"email\": null}", "Unknown" },
    { "{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", \"name\": \"  Padded  \"}", "Padded" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_string (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrPerson) person = plannr_person_new_from_json (node, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_no_error (error);
      g_assert_cmpstr (person->name, ==, cases[i].name);
      /* Never the raw uuid in place of a name. */
      g_assert_cmpstr (person->name, !=, person->uuid);
      g_assert_null (strstr (person->name, "dae775c4"));
    }
}

static void
test_person_copy (void)
{
  g_autoptr(JsonNode) node = parse_string ("{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", "
                                           "\"name\": \"Gareth\", \"email\": \"g@example.com\", "
                                           "\"type\": \"client\", \"role\": \"client\"}");
  g_autoptr(PlannrPerson) person = plannr_person_new_from_json (node, NULL);
  g_autoptr(PlannrPerson) copy = plannr_person_copy (person);

  g_assert_cmpstr (copy->uuid, ==, person->uuid);
  g_assert_cmpstr (copy->name, ==, "Gareth");
  g_assert_cmpstr (copy->email, ==, "g@example.com");
  g_assert_cmpstr (copy->type, ==, "client");
  g_assert_cmpstr (copy->role, ==, "client");
  g_assert_true (copy->name != person->name);
  g_assert_null (plannr_person_copy (NULL));
}

/* What Info shows: the photo's address and the firm, when the answer
 * has them, in whatever shape it has them. */
static void
test_person_photo_firm (void)
{
  g_autoptr(JsonNode) full = parse_string ("{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", "
                                           "\"name\": \"Gareth\", "
                                           "\"photo_url\": \"https://eu.ui-avatars.com/api/?name=Gareth\", "
                                           "\"firm\": {\"uuid\": \"5d32fe61-985f-44e7-aa09-5ee82bb29976\", "
                                           "\"name\": \"Thompson Wealth\"}}");
  g_autoptr(JsonNode) odd = parse_string ("{\"uuid\": \"dae775c4-9f9d-4545-a16a-34310712f355\", "
                                          "\"name\": \"Gareth\", \"photo_url\": null, "
                                          "\"firm\": \"Thompson Wealth\"}");
  g_autoptr(PlannrPerson) person = plannr_person_new_from_json (full, NULL);
  g_autoptr(PlannrPerson) copy = plannr_person_copy (person);
  g_autoptr(PlannrPerson) bare = plannr_person_new_from_json (odd, NULL);

  g_assert_cmpstr (person->photo_url, ==, "https://eu.ui-avatars.com/api/?name=Gareth");
  g_assert_cmpstr (person->firm_name, ==, "Thompson Wealth");
  g_assert_cmpstr (copy->photo_url, ==, person->photo_url);
  g_assert_cmpstr (copy->firm_name, ==, "Thompson Wealth");
  /* A firm that is not an object says no name. */
  g_assert_nonnull (bare);
  g_assert_null (bare->photo_url);
  g_assert_null (bare->firm_name);
}

/* --- conversations ----------------------------------------------------- */

static void
test_conversation_seed000 (void)
{
  g_autoptr(JsonNode) node = load_fixture ("conversation-seed000.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = plannr_conversation_new_from_json (node, &error);
  const PlannrPerson *person;

  g_assert_no_error (error);
  g_assert_cmpstr (conv->uuid, ==, "36b8523d-2736-4864-ac6c-ef9839888e75");
  g_assert_cmpstr (conv->name, ==, "Welcome to Plannr");
  g_assert_cmpstr (conv->case_name, ==, "finance");
  assert_time (conv->created_at, "2025-06-05T10:39:39Z");
  assert_time (conv->updated_at, "2025-06-05T10:39:39Z");

  g_assert_cmpuint (conv->tags->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (conv->tags, 0), ==, "Mortgage");

  g_assert_nonnull (conv->participants);
  g_assert_cmpuint (conv->participants->len, ==, 1);
  person = g_ptr_array_index (conv->participants, 0);
  g_assert_cmpstr (person->uuid, ==, "dae775c4-9f9d-4545-a16a-34310712f355");
  g_assert_cmpstr (person->name, ==, "Gareth Thompson");
  g_assert_cmpstr (person->type, ==, "client");

  /* The server's count wins over the length of the list it sent. */
  g_assert_cmpint (conv->participants_count, ==, 3);
  g_assert_cmpint (conv->messages_count, ==, 30);
  g_assert_cmpint (conv->files_count, ==, 2);
  g_assert_true (conv->pinned);
  g_assert_false (conv->is_admin);

  /* latest_message in the example has resource class names where the
   * author, files and reactions belong: read as absent. */
  g_assert_nonnull (conv->latest_message);
  g_assert_cmpstr (conv->latest_message->uuid, ==, "c30461fd-6e03-4b79-8c08-abe49e670369");
  g_assert_cmpstr (conv->latest_message->contents, ==, "Welcome to Plannr!");
  g_assert_true (conv->latest_message->edited);
  g_assert_nonnull (conv->latest_message->deleted_at);
  g_assert_null (conv->latest_message->author);
  g_assert_cmpuint (conv->latest_message->files->len, ==, 0);
  g_assert_cmpuint (conv->latest_message->reactions->len, ==, 0);
}

static void
test_conversation_wrong_types (void)
{
  g_autoptr(JsonNode) node = load_fixture ("conversation-wrong-types.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = plannr_conversation_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (conv->name, ==, "2025");
  g_assert_null (conv->created_at);
  g_assert_null (conv->updated_at);
  g_assert_null (conv->case_name);
  g_assert_nonnull (conv->tags);
  g_assert_cmpuint (conv->tags->len, ==, 0);
  /* An object where the list belongs: not included. */
  g_assert_null (conv->participants);
  g_assert_false (plannr_conversation_is_admin (conv, "dae775c4-9f9d-4545-a16a-34310712f355"));
  g_assert_cmpint (conv->participants_count, ==, 7);
  g_assert_cmpint (conv->messages_count, ==, -1);
  g_assert_cmpint (conv->files_count, ==, -1);
  g_assert_false (conv->pinned);
  g_assert_true (conv->is_admin);
  g_assert_null (conv->latest_message);
}

static void
test_conversation_nulls (void)
{
  g_autoptr(JsonNode) node = load_fixture ("conversation-nulls.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = plannr_conversation_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (conv->name, ==, "");
  g_assert_null (conv->created_at);
  g_assert_null (conv->case_name);
  g_assert_cmpuint (conv->tags->len, ==, 0);
  g_assert_null (conv->participants);
  g_assert_cmpint (conv->participants_count, ==, -1);
  g_assert_cmpint (conv->messages_count, ==, -1);
  g_assert_false (conv->pinned);
  g_assert_false (conv->is_admin);
  g_assert_null (conv->latest_message);
}

static void
test_conversation_mixed_lists (void)
{
  g_autoptr(JsonNode) node = load_fixture ("conversation-mixed-lists.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) conv = plannr_conversation_new_from_json (node, &error);
  const PlannrPerson *person;

  g_assert_no_error (error);
  g_assert_null (conv->case_name);

  g_assert_cmpuint (conv->tags->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (conv->tags, 0), ==, "Pension");
  g_assert_cmpstr (g_ptr_array_index (conv->tags, 1), ==, "5");

  /* The participant with a path for a uuid, and the non-objects, are
   * dropped; the count follows the list when the server gave none. */
  g_assert_cmpuint (conv->participants->len, ==, 2);
  g_assert_cmpint (conv->participants_count, ==, 2);
  person = g_ptr_array_index (conv->participants, 0);
  g_assert_cmpstr (person->name, ==, "Gareth Thompson");
  person = g_ptr_array_index (conv->participants, 1);
  g_assert_cmpstr (person->uuid, ==, "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d");
  g_assert_cmpstr (person->name, ==, "Eleanor Hart");
  for (guint i = 0; i < conv->participants->len; i++)
    g_assert_null (strstr (((PlannrPerson *) g_ptr_array_index (conv->participants, i))->name, "Traversal"));

  g_assert_true (plannr_conversation_is_admin (conv, "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d"));
  g_assert_true (plannr_conversation_is_admin (conv, "68B4AEF7-3EAA-4E17-9D8A-4EACE693AE2D"));
  g_assert_false (plannr_conversation_is_admin (conv, "dae775c4-9f9d-4545-a16a-34310712f355"));
  g_assert_false (plannr_conversation_is_admin (conv, NULL));

  /* A latest message that does not parse is left out, not fatal. */
  g_assert_null (conv->latest_message);
}

static void
test_conversation_bad_uuid (void)
{
  static const char * const inputs[] = {
    "{\"uuid\": \"../../x\", \"name\": \"Escape\"}",
    "{\"uuid\": \"36b8523d-2736-4864-ac6c-ef9839888e75/../../me\", \"name\": \"Escape\"}",
    "{\"uuid\": null, \"name\": \"Null\"}",
    "{\"uuid\": 36, \"name\": \"Number\"}",
    "{\"name\": \"Missing\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(JsonNode) node = parse_string (inputs[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrConversation) conv = plannr_conversation_new_from_json (node, &error);
      g_autoptr(GError) error2 = NULL;
      g_autoptr(PlannrPerson) person = plannr_person_new_from_json (node, &error2);

      g_test_message ("%s", inputs[i]);
      g_assert_null (conv);
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
      g_assert_null (person);
      g_assert_error (error2, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
    }
}

/* --- identity -------------------------------------------------------- */

static void
test_logins (void)
{
  g_autoptr(JsonNode) node = load_fixture ("logins.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrLogins) logins = plannr_logins_new_from_json (node, &error);
  const PlannrLogin *login;

  g_assert_no_error (error);
  g_assert_cmpstr (logins->preferred_account_uuid, ==, "142c8364-7806-4577-93e7-83e7eb04b39b");
  /* The hostile and empty entries are dropped. */
  g_assert_cmpuint (logins->logins->len, ==, 2);
  login = g_ptr_array_index (logins->logins, 0);
  g_assert_cmpstr (login->account_uuid, ==, "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d");
  g_assert_cmpstr (login->account_name, ==, "Eleanor Hart");
  g_assert_cmpstr (login->firm_name, ==, "Thompson Wealth");
  login = g_ptr_array_index (logins->logins, 1);
  g_assert_cmpstr (login->account_uuid, ==, "142c8364-7806-4577-93e7-83e7eb04b39b");
  g_assert_null (login->firm_name);
}

static void
test_logins_odd (void)
{
  {
    g_autoptr(JsonNode) node = load_fixture ("logins-bad-preferred.json");
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrLogins) logins = plannr_logins_new_from_json (node, &error);

    g_assert_no_error (error);
    /* A preferred uuid that is not a uuid is no preference. */
    g_assert_null (logins->preferred_account_uuid);
    g_assert_cmpuint (logins->logins->len, ==, 1);
  }
  {
    g_autoptr(JsonNode) node = load_fixture ("logins-array.json");
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrLogins) logins = plannr_logins_new_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_null (logins->preferred_account_uuid);
    g_assert_cmpuint (logins->logins->len, ==, 1);
    g_assert_cmpstr (((PlannrLogin *) g_ptr_array_index (logins->logins, 0))->firm_name, ==,
                     "Thompson Wealth");
  }
  {
    g_autoptr(JsonNode) node = parse_string ("{\"data\": {\"account\": {}}}");
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrLogins) logins = plannr_logins_new_from_json (node, &error);

    g_assert_null (logins);
    g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
  }
}

static void
test_user (void)
{
  {
    g_autoptr(JsonNode) node = load_fixture ("user-me.json");
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrUser) user = plannr_user_new_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (user->uuid, ==, "47eaa099-2cb6-416d-86dc-283cf0480ff9");
    g_assert_cmpstr (user->name, ==, "Eleanor Hart");
    g_assert_cmpstr (user->email, ==, "eleanor.hart@thompsonwealth.co.uk");
    g_assert_cmpstr (user->current_account_uuid, ==, "68b4aef7-3eaa-4e17-9d8a-4eace693ae2d");
  }
  {
    g_autoptr(JsonNode) node = load_fixture ("user-wrapped.json");
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrUser) user = plannr_user_new_from_json (plannr_json_resource (node), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (user->uuid, ==, "47eaa099-2cb6-416d-86dc-283cf0480ff9");
    g_assert_cmpstr (user->name, ==, "Eleanor Hart");
    g_assert_null (user->current_account_uuid);
  }
  {
    g_autoptr(JsonNode) node = parse_string ("{\"uuid\": \"../../x\", \"name\": \"x\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(PlannrUser) user = plannr_user_new_from_json (node, &error);

    g_assert_null (user);
    g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
  }
}

/* Laravel's JsonResource wraps a single resource in "data"; the
 * reference shows it bare.  One function takes either, for every kind
 * of resource, and leaves everything else alone. */
static void
test_resource_shapes (void)
{
  static const char *resources[] = {
    "{\"uuid\": \"47eaa099-2cb6-416d-86dc-283cf0480ff9\", \"name\": \"Annual Review\", "
      "\"contents\": \"Hello\", \"created_at\": \"2026-11-21T09:15:00.000000Z\"}",
  };
  g_autoptr(JsonNode) bare = parse_string (resources[0]);
  g_autofree char *wrapped_text = g_strdup_printf ("{\"data\": %s}", resources[0]);
  g_autoptr(JsonNode) wrapped = parse_string (wrapped_text);
  g_autofree char *extra_text = g_strdup_printf ("{\"data\": %s, \"meta\": {}, \"links\": {}}", resources[0]);
  g_autoptr(JsonNode) extra = parse_string (extra_text);
  g_autoptr(JsonNode) list = parse_string ("{\"data\": [], \"meta\": {}}");
  g_autoptr(JsonNode) own_data = parse_string ("{\"uuid\": \"47eaa099-2cb6-416d-86dc-283cf0480ff9\", "
                                               "\"data\": {\"uuid\": \"00000000-0000-4000-8000-000000000000\"}}");
  g_autoptr(JsonNode) null_data = parse_string ("{\"data\": null}");
  g_autoptr(JsonNode) array = parse_string ("[1, 2]");

  /* Bare and wrapped give the same objects, whatever is parsed. */
  g_assert_true (plannr_json_resource (bare) == bare);
  g_assert_true (json_node_equal (plannr_json_resource (wrapped), bare));
  g_assert_true (json_node_equal (plannr_json_resource (extra), bare));
  {
    g_autoptr(PlannrConversation) a = plannr_conversation_new_from_json (plannr_json_resource (bare), NULL);
    g_autoptr(PlannrConversation) b = plannr_conversation_new_from_json (plannr_json_resource (wrapped), NULL);
    g_autoptr(PlannrMessage) m = plannr_message_new_from_json (plannr_json_resource (wrapped), NULL);
    g_autoptr(PlannrUser) u = plannr_user_new_from_json (plannr_json_resource (extra), NULL);
    g_autoptr(GDateTime) expected = g_date_time_new_utc (2026, 11, 21, 9, 15, 0);

    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_cmpstr (a->uuid, ==, b->uuid);
    g_assert_cmpstr (a->name, ==, "Annual Review");
    g_assert_cmpstr (b->name, ==, "Annual Review");
    g_assert_nonnull (m);
    g_assert_cmpstr (m->contents, ==, "Hello");
    /* Laravel's default time format: fractional seconds and Z. */
    g_assert_true (g_date_time_equal (m->created_at, expected));
    g_assert_nonnull (u);
    g_assert_cmpstr (u->name, ==, "Annual Review");
  }

  /* Not a wrapped resource: left as it is. */
  g_assert_true (plannr_json_resource (list) == list);
  g_assert_true (plannr_json_resource (own_data) == own_data);
  g_assert_true (plannr_json_resource (null_data) == null_data);
  g_assert_true (plannr_json_resource (array) == array);
  g_assert_null (plannr_json_resource (NULL));
}

/* Every time format the real server may use (plannr-api.md, "Shapes the
 * real server may use") reads as the same instant. */
static void
test_time_formats (void)
{
  static const char *same[] = {
    "2026-11-21T09:15:00+00:00",
    "2026-11-21T10:15:00+01:00",
    "2026-11-21T09:15:00Z",
    "2026-11-21T09:15:00.000000Z",
    "2026-11-21T09:15:00.000Z",
    "2026-11-21T09:15:00",          /* no zone: UTC, not local time */
    "2026-11-21T10:15:00.000000+01:00",
  };
  g_autoptr(GDateTime) expected = g_date_time_new_utc (2026, 11, 21, 9, 15, 0);

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autoptr(GDateTime) time = plannr_parse_time (same[i]);

      g_test_message ("%s", same[i]);
      g_assert_nonnull (time);
      g_assert_true (g_date_time_equal (time, expected));
    }
  {
    g_autoptr(GDateTime) micro = plannr_parse_time ("2026-11-21T09:15:00.250000Z");

    g_assert_cmpint (g_date_time_get_microsecond (micro), ==, 250000);
  }
  g_assert_null (plannr_parse_time ("21/11/2026 09:15"));
  g_assert_null (plannr_parse_time (""));
}

/* --- pages ------------------------------------------------------------- */

static PlannrPage *
load_message_page (const char  *fixture,
                   GError     **error)
{
  g_autoptr(JsonNode) node = load_fixture (fixture);

  return plannr_page_new_from_json (node, (PlannrItemParser) plannr_message_new_from_json,
                                    (GDestroyNotify) plannr_message_free, error);
}

static void
test_page_links_next (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = load_message_page ("page-links-next.json", &error);
  g_autoptr(PlannrPage) last = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 2);
  g_assert_cmpuint (page->skipped, ==, 0);
  g_assert_cmpstr (((PlannrMessage *) g_ptr_array_index (page->items, 0))->contents, ==, "newest");
  g_assert_cmpuint (page->current_page, ==, 1);
  g_assert_cmpuint (page->last_page, ==, 9);
  g_assert_cmpuint (page->per_page, ==, 2);
  g_assert_true (page->has_next);

  last = load_message_page ("page-links-last.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last->current_page, ==, 9);
  g_assert_false (last->has_next);
}

static void
test_page_links_decide (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) only = load_message_page ("page-links-only.json", &error);
  g_autoptr(PlannrPage) null_next = NULL;

  /* links.next alone is enough, however short the page... */
  g_assert_no_error (error);
  g_assert_cmpuint (only->items->len, ==, 1);
  g_assert_true (only->has_next);

  /* ...and a null links.next ends the list whatever meta says. */
  null_next = load_message_page ("page-links-null-meta-more.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (null_next->current_page, ==, 1);
  g_assert_cmpuint (null_next->last_page, ==, 3);
  g_assert_false (null_next->has_next);
}

static void
test_page_meta_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = load_message_page ("page-meta-only.json", &error);
  g_autoptr(PlannrPage) last = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 1);
  /* Page 1 of 2, though far from full: the numbers decide. */
  g_assert_true (page->has_next);

  /* Numbers as strings are read too. */
  last = load_message_page ("page-meta-only-last.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last->current_page, ==, 2);
  g_assert_cmpuint (last->last_page, ==, 2);
  g_assert_cmpuint (last->per_page, ==, 15);
  g_assert_false (last->has_next);
}

static void
test_page_neither (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) full = load_message_page ("page-per-page-only.json", &error);
  g_autoptr(PlannrPage) bare = NULL;

  /* No links.next and no page numbers: a full page may have a
   * successor.  The item that failed still took a place on the page. */
  g_assert_no_error (error);
  g_assert_cmpuint (full->items->len, ==, 2);
  g_assert_cmpuint (full->skipped, ==, 1);
  g_assert_cmpuint (full->per_page, ==, 3);
  g_assert_true (full->has_next);

  /* No links, no meta: the page cannot know how full it is, so it says
   * so (per_page 0) and leaves the decision to the caller, who knows
   * what page size it asked for (see test-api). */
  bare = load_message_page ("page-neither.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bare->items->len, ==, 2);
  g_assert_cmpuint (bare->per_page, ==, 0);
  g_assert_cmpuint (bare->current_page, ==, 0);
  g_assert_cmpuint (bare->last_page, ==, 0);
  g_assert_false (bare->has_next);
}

static void
test_page_bad_items (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = load_message_page ("page-bad-items.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 2);
  g_assert_cmpuint (page->skipped, ==, 6);
  g_assert_cmpstr (((PlannrMessage *) g_ptr_array_index (page->items, 0))->contents, ==, "good one");
  g_assert_cmpstr (((PlannrMessage *) g_ptr_array_index (page->items, 1))->contents, ==, "good two");
  g_assert_false (page->has_next);
}

static void
test_page_not_a_list (void)
{
  static const char * const inputs[] = {
    "{\"data\": {\"uuid\": \"7c1c9d8f-5343-464c-b479-1f838710d546\"}}",
    "{\"data\": null}",
    "{\"items\": []}",
    "[]",
    "null",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(JsonNode) node = parse_string (inputs[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(PlannrPage) page = plannr_page_new_from_json (node,
                                                              (PlannrItemParser) plannr_conversation_new_from_json,
                                                              (GDestroyNotify) plannr_conversation_free,
                                                              &error);

      g_test_message ("%s", inputs[i]);
      g_assert_null (page);
      g_assert_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED);
    }
}

/* --- error bodies ------------------------------------------------------ */

static void
test_error_message (void)
{
  g_autoptr(JsonNode) node = load_fixture ("error-422.json");
  g_autofree char *message = plannr_error_message_from_json (node);
  static const char * const no_message[] = {
    "{\"message\": \"   \"}",
    "{\"message\": null}",
    "{\"error\": \"x\"}",
    "[\"message\"]",
    "\"message\"",
  };

  g_assert_cmpstr (message, ==, "The contents field is required.");

  for (guint i = 0; i < G_N_ELEMENTS (no_message); i++)
    {
      g_autoptr(JsonNode) other = parse_string (no_message[i]);
      g_autofree char *text = plannr_error_message_from_json (other);

      g_test_message ("%s", no_message[i]);
      g_assert_null (text);
    }
  g_assert_null (plannr_error_message_from_json (NULL));

  /* Trimmed, and kept short enough for a dialog. */
  {
    g_autoptr(JsonNode) padded = parse_string ("{\"message\": \"  Too Many Attempts.  \"}");
    g_autofree char *text = plannr_error_message_from_json (padded);

    g_assert_cmpstr (text, ==, "Too Many Attempts.");
  }
  {
    g_autofree char *long_text = g_strnfill (1000, 'e');
    g_autofree char *json = g_strdup_printf ("{\"message\": \"%s\"}", long_text);
    g_autoptr(JsonNode) long_node = parse_string (json);
    g_autofree char *text = plannr_error_message_from_json (long_node);

    g_assert_cmpuint (g_utf8_strlen (text, -1), ==, 300);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/uuid/valid", test_uuid_valid);
  g_test_add_func ("/model/time/parse", test_parse_time);
  g_test_add_func ("/model/json/valid", test_json_parse_valid);
  g_test_add_func ("/model/json/not-json", test_json_parse_not_json);
  g_test_add_func ("/model/json/empty", test_json_parse_empty);
  g_test_add_func ("/model/json/deep", test_json_parse_deep);
  g_test_add_func ("/model/json/invalid-utf8", test_json_parse_invalid_utf8);
  g_test_add_func ("/model/message/seed002", test_message_seed002);
  g_test_add_func ("/model/message/copy", test_message_copy);
  g_test_add_func ("/model/message/missing-members", test_message_missing_members);
  g_test_add_func ("/model/message/future-time", test_message_future_time);
  g_test_add_func ("/model/message/wrong-types", test_message_wrong_types);
  g_test_add_func ("/model/message/odd-lists", test_message_odd_lists);
  g_test_add_func ("/model/message/bad-uuid", test_message_bad_uuid);
  g_test_add_func ("/model/message/not-object", test_message_not_object);
  g_test_add_func ("/model/message/huge-string", test_message_huge_string);
  g_test_add_func ("/model/message/huge-string-multibyte", test_message_huge_string_multibyte);
  g_test_add_func ("/model/person/name-fallback", test_person_name_fallback);
  g_test_add_func ("/model/person/copy", test_person_copy);
  g_test_add_func ("/model/person/photo-firm", test_person_photo_firm);
  g_test_add_func ("/model/conversation/seed000", test_conversation_seed000);
  g_test_add_func ("/model/conversation/wrong-types", test_conversation_wrong_types);
  g_test_add_func ("/model/conversation/nulls", test_conversation_nulls);
  g_test_add_func ("/model/conversation/mixed-lists", test_conversation_mixed_lists);
  g_test_add_func ("/model/conversation/bad-uuid", test_conversation_bad_uuid);
  g_test_add_func ("/model/logins/preferred", test_logins);
  g_test_add_func ("/model/logins/odd", test_logins_odd);
  g_test_add_func ("/model/user", test_user);
  g_test_add_func ("/model/resource-shapes", test_resource_shapes);
  g_test_add_func ("/model/time-formats", test_time_formats);
  g_test_add_func ("/model/page/links-next", test_page_links_next);
  g_test_add_func ("/model/page/links-decide", test_page_links_decide);
  g_test_add_func ("/model/page/meta-only", test_page_meta_only);
  g_test_add_func ("/model/page/neither", test_page_neither);
  g_test_add_func ("/model/page/bad-items", test_page_bad_items);
  g_test_add_func ("/model/page/not-a-list", test_page_not_a_list);
  g_test_add_func ("/model/error-message", test_error_message);

  return g_test_run ();
}
