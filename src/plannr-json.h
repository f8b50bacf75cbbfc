/* plannr-json.h: reading JSON that is not ours
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The server's answers are untrusted: parsing checks the nesting depth
 * first, and members are read by accessors that take anything (absent,
 * null, the wrong type) without a warning.  Used by the model and the
 * api; nothing above them reads JSON.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Longest string kept from a response; the rest is cut.  Plannr caps a
 * message at far less, so only a hostile server reaches this. */
#define PLANNR_MAX_STRING (256 * 1024)
/* Deepest JSON nesting accepted before parsing (json-glib recurses). */
#define PLANNR_MAX_JSON_DEPTH 64

gboolean    plannr_uuid_is_valid            (const char *str);
/* Parses ISO 8601 with an offset, "Z", fractional seconds or no zone
 * at all (UTC); NULL if absent or it does not parse. */
GDateTime  *plannr_parse_time               (const char *str);

/* Parses @data as JSON after checking its nesting depth. */
JsonNode   *plannr_json_parse               (const char  *data,
                                             gsize        length,
                                             GError     **error);

/* The resource a single-resource answer carries: Laravel's JsonResource
 * wraps it as {"data": {...}}, the reference shows it bare.  Returns the
 * inner object for the wrapped form and @node itself otherwise (never a
 * new reference).  Every single resource the api reads goes through this
 * one function. */
JsonNode   *plannr_json_resource            (JsonNode *node);

/* The "message" member of an error body, or NULL. */
char       *plannr_error_message_from_json  (JsonNode *node);

/* Member access that tolerates anything.  Strings come back as valid,
 * capped UTF-8 (numbers as text); NULL when absent or of another type. */
JsonObject *plannr_json_object              (JsonNode   *node);
JsonNode   *plannr_json_member              (JsonObject *obj,
                                             const char *name);
char       *plannr_json_dup_string          (JsonObject *obj,
                                             const char *name);
gboolean    plannr_json_get_bool            (JsonObject *obj,
                                             const char *name);
gint64      plannr_json_get_int             (JsonObject *obj,
                                             const char *name,
                                             gint64      fallback);
GDateTime  *plannr_json_get_time            (JsonObject *obj,
                                             const char *name);
JsonArray  *plannr_json_get_array           (JsonObject *obj,
                                             const char *name);
/* The "uuid" member in lower case, or NULL with PLANNR_ERROR_MALFORMED
 * naming @what when it is not a uuid. */
char       *plannr_json_dup_uuid            (JsonObject  *obj,
                                             const char  *what,
                                             GError     **error);

G_END_DECLS
