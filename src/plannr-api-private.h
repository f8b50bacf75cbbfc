/* plannr-api-private.h: what the files of the api share
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The api's endpoints live in files by resource (plannr-api.c for
 * conversations and messages, further ones beside it); each endpoint is
 * one plannr_api_request() with a parser, and its _finish one
 * plannr_api_request_finish().  Nothing outside the api includes this.
 */
#pragma once

#include "plannr-api.h"

G_BEGIN_DECLS

/* Queues @method @path?@query (both taken) with a JSON @body (taken,
 * may be NULL).  The answer is parsed by @parse (a single resource, bare
 * or wrapped in "data") or, when @parse_item is given, as a page of
 * items (@per_page: the page size asked for, 0 if none).  A write (not
 * a GET) answered 2xx without a readable resource ends in
 * PLANNR_ERROR_ACCEPTED. */
void      plannr_api_request        (PlannrApi           *self,
                                     const char          *method,
                                     PlannrPriority       priority,
                                     char                *path,
                                     char                *query,
                                     JsonNode            *body,
                                     PlannrItemParser     parse,
                                     GDestroyNotify       free_result,
                                     PlannrItemParser     parse_item,
                                     GDestroyNotify       free_item,
                                     guint                per_page,
                                     gpointer             source_tag,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gpointer  plannr_api_request_finish (PlannrApi           *self,
                                     GAsyncResult        *result,
                                     gpointer             source_tag,
                                     GError             **error);
/* {"@member": "@value"} */
JsonNode *plannr_api_object_body    (const char          *member,
                                     const char          *value);
/* Uuids reach a URL path only when they are uuids: otherwise @callback
 * gets PLANNR_ERROR_INVALID (FALSE is returned). */
gboolean  plannr_api_check_uuid     (PlannrApi           *self,
                                     const char          *uuid,
                                     gpointer             source_tag,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);

G_END_DECLS
