/* plannr-api-reactions.c: reacting to a message (M6)
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-api-private.h"
#include "plannr-api-reactions.h"
#include "plannr-error.h"

const char * const plannr_reaction_kinds[] = { "like", "love", "laughing", "surprised", NULL };

gboolean
plannr_reaction_kind_is_valid (const char *kind)
{
  return kind != NULL && g_strv_contains (plannr_reaction_kinds, kind);
}

void
plannr_api_react_async (PlannrApi           *self,
                        const char          *message_uuid,
                        const char          *reaction,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!plannr_api_check_uuid (self, message_uuid, plannr_api_react_async, callback, user_data))
    return;
  if (!plannr_reaction_kind_is_valid (reaction))
    {
      g_task_report_new_error (self, callback, user_data, plannr_api_react_async,
                               PLANNR_ERROR, PLANNR_ERROR_INVALID,
                               _("Not a reaction Plannr knows"));
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reactable_type");
  json_builder_add_string_value (builder, "message");
  json_builder_set_member_name (builder, "reactable_uuid");
  json_builder_add_string_value (builder, message_uuid);
  json_builder_set_member_name (builder, "reaction");
  json_builder_add_string_value (builder, reaction);
  json_builder_end_object (builder);

  plannr_api_request (self, "POST", PLANNR_PRIORITY_USER, g_strdup ("/api/v1/reaction"), NULL,
                      json_builder_get_root (builder),
                      (PlannrItemParser) plannr_message_new_from_json,
                      (GDestroyNotify) plannr_message_free, NULL, NULL, 0,
                      plannr_api_react_async, callback, user_data);
}

PlannrMessage *
plannr_api_react_finish (PlannrApi     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return plannr_api_request_finish (self, result, plannr_api_react_async, error);
}
