/* plannr-json.c: reading JSON that is not ours
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "plannr-error.h"
#include "plannr-json.h"

gboolean
plannr_uuid_is_valid (const char *str)
{
  /* 8-4-4-4-12 hex digits.  Checked by hand rather than with
   * g_uuid_string_is_valid() so that any version (and upper case) that
   * a server may send is accepted, but nothing else. */
  static const int groups[] = { 8, 4, 4, 4, 12 };

  if (str == NULL)
    return FALSE;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      for (int i = 0; i < groups[g]; i++, str++)
        if (!g_ascii_isxdigit (*str))
          return FALSE;
      if (g + 1 < G_N_ELEMENTS (groups))
        {
          if (*str != '-')
            return FALSE;
          str++;
        }
    }

  return *str == '\0';
}

GDateTime *
plannr_parse_time (const char *str)
{
  if (str == NULL || *str == '\0')
    return NULL;

  /* Plannr always sends an offset; a bare time is read as UTC rather
   * than as this machine's local time. */
  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    return g_date_time_new_from_iso8601 (str, utc);
  }
}

/* Nesting depth of a JSON text, not counting brackets inside strings.
 *
 * This only protects json-glib's recursive parser if it reads the text
 * as json-glib does.  json-glib also accepts comments ("/" ... "/" and
 * slash-star ones) and single-quoted strings, where brackets or a '"'
 * would hide nesting from this count: a few closing brackets in a
 * comment made a 200000-deep array pass and overflow the stack
 * (tests/fuzz checks the depth of every tree this returns).  Strict
 * JSON has neither, so outside strings a '/' or a '\'' is refused, as
 * is a closing bracket without its opener. */
static gboolean
json_depth_ok (const char *data,
               gsize       length)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > PLANNR_MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        {
          if (--depth < 0)
            return FALSE;
        }
      else if (c == '/' || c == '\'')
        return FALSE;
    }

  return TRUE;
}

JsonNode *
plannr_json_parse (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *valid = NULL;
  g_autoptr(GError) local_error = NULL;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "empty response");
      return NULL;
    }

  if (!json_depth_ok (data, length))
    {
      g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                   "not strict JSON, or nested deeper than %d levels",
                   PLANNR_MAX_JSON_DEPTH);
      return NULL;
    }

  /* json-glib expects UTF-8; repair rather than refuse, since one bad
   * byte in one message must not hide a whole page. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      valid = g_utf8_make_valid (data, length);
      data = valid;
      length = strlen (valid);
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                   "response is not valid JSON: %s", local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                           "empty response");
      return NULL;
    }

  return json_node_copy (json_parser_get_root (parser));
}

/* --- member access that tolerates anything ------------------------- */

JsonObject *
plannr_json_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonNode *
plannr_json_member (JsonObject *obj,
                    const char *name)
{
  if (obj == NULL)
    return NULL;
  return json_object_get_member (obj, name);
}

/* A string member as valid, capped UTF-8; NULL when absent or not a
 * string.  Numbers are accepted too, as text. */
char *
plannr_json_dup_string (JsonObject *obj,
                        const char *name)
{
  JsonNode *node = plannr_json_member (obj, name);
  const char *str;
  gsize len;
  const char *end;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  str = json_node_get_string (node);
  len = strlen (str);
  if (len > PLANNR_MAX_STRING)
    len = PLANNR_MAX_STRING;
  if (!g_utf8_validate_len (str, len, &end))
    {
      /* Cut inside a character, or bad bytes: repair. */
      if ((gsize) (end - str) + 4 >= len && len == PLANNR_MAX_STRING)
        return g_strndup (str, end - str);
      return g_utf8_make_valid (str, len);
    }
  return g_strndup (str, len);
}

gboolean
plannr_json_get_bool (JsonObject *obj,
                      const char *name)
{
  JsonNode *node = plannr_json_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) != 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (node), "true") == 0;
  return FALSE;
}

gint64
plannr_json_get_int (JsonObject *obj,
                     const char *name,
                     gint64      fallback)
{
  JsonNode *node = plannr_json_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      guint64 v;

      if (g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64, &v, NULL))
        return (gint64) v;
    }
  return fallback;
}

GDateTime *
plannr_json_get_time (JsonObject *obj,
                      const char *name)
{
  g_autofree char *str = plannr_json_dup_string (obj, name);

  return plannr_parse_time (str);
}

JsonArray *
plannr_json_get_array (JsonObject *obj,
                       const char *name)
{
  JsonNode *node = plannr_json_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

char *
plannr_json_dup_uuid (JsonObject  *obj,
                      const char  *what,
                      GError     **error)
{
  g_autofree char *uuid = plannr_json_dup_string (obj, "uuid");

  if (!plannr_uuid_is_valid (uuid))
    {
      g_set_error (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED,
                   "%s without a valid uuid", what);
      return NULL;
    }
  return g_ascii_strdown (uuid, -1);
}

JsonNode *
plannr_json_resource (JsonNode *node)
{
  JsonObject *obj = plannr_json_object (node);
  JsonNode *data = plannr_json_member (obj, "data");

  /* Wrapped: a "data" object and nothing that belongs to a resource
   * beside it (a bare resource has a uuid of its own; Laravel may add
   * "meta" or "links" next to "data"). */
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data) && plannr_json_member (obj, "uuid") == NULL)
    return data;
  return node;
}

char *
plannr_error_message_from_json (JsonNode *node)
{
  JsonObject *obj = plannr_json_object (node);
  char *message = plannr_json_dup_string (obj, "message");

  if (message != NULL && *g_strstrip (message) == '\0')
    g_clear_pointer (&message, g_free);
  if (message != NULL && g_utf8_strlen (message, -1) > 300)
    {
      /* Keep error text readable in a dialog. */
      char *cut = g_utf8_substring (message, 0, 300);

      g_free (message);
      message = cut;
    }
  return message;
}
