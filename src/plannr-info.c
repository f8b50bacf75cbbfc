/* plannr-info.c: Info on a person
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-chat.h"
#include "plannr-info.h"
#include "plannr-lookup.h"
#include "plannr-participants.h"

const char *
plannr_info_type_label (const char *type)
{
  if (g_strcmp0 (type, "employee") == 0)
    return _("Employee");
  if (g_strcmp0 (type, "client") == 0)
    return _("Client");
  if (g_strcmp0 (type, "external") == 0)
    return _("External");
  return type != NULL ? type : "";
}

void
plannr_info_show (PlannrConnection   *conn,
                  const PlannrPerson *person,
                  const char         *who)
{
  PurpleNotifyUserInfo *user_info = purple_notify_user_info_new ();

  purple_notify_user_info_add_pair_plaintext (user_info, _("Name"), person->name);
  if (person->email != NULL)
    purple_notify_user_info_add_pair_plaintext (user_info, _("E-mail"), person->email);
  if (person->type != NULL)
    purple_notify_user_info_add_pair_plaintext (user_info, _("Type"), plannr_info_type_label (person->type));
  if (person->role != NULL)
    purple_notify_user_info_add_pair_plaintext (user_info, _("Role"), person->role);
  if (person->firm_name != NULL)
    purple_notify_user_info_add_pair_plaintext (user_info, _("Firm"), person->firm_name);
  /* A link only to a web address; anything else is text. */
  if (person->photo_url != NULL &&
      (g_str_has_prefix (person->photo_url, "https://") || g_str_has_prefix (person->photo_url, "http://")))
    {
      g_autofree char *escaped = g_markup_escape_text (person->photo_url, -1);
      g_autofree char *link = g_strdup_printf ("<a href=\"%s\">%s</a>", escaped, escaped);

      purple_notify_user_info_add_pair (user_info, _("Photo"), link);
    }
  else if (person->photo_url != NULL)
    purple_notify_user_info_add_pair_plaintext (user_info, _("Photo"), person->photo_url);

  /* Which window showed whom, for the end-to-end tests and bug reports. */
  purple_debug_info ("plannr", "Info for %s\n", who);
  purple_notify_userinfo (plannr_connection_get_pc (conn), who, user_info, NULL, NULL);
  purple_notify_user_info_destroy (user_info);
}

/* Info that says why there is none, in the window Pidgin opened for it. */
static void
show_info_text (PlannrConnection *conn,
                const char       *who,
                const char       *text)
{
  PurpleNotifyUserInfo *user_info = purple_notify_user_info_new ();

  purple_notify_user_info_add_pair_plaintext (user_info, NULL, text);
  purple_notify_userinfo (plannr_connection_get_pc (conn), who, user_info, NULL, NULL);
  purple_notify_user_info_destroy (user_info);
}

typedef struct
{
  PlannrConnection *conn;
  char             *who;
} InfoLookup;

static void
info_lookup_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  InfoLookup *req = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrLookup) lookup = plannr_lookup_finish (PLANNR_API (source), result, &error);

  if (lookup == NULL && plannr_error_is_cancelled (error))
    ;
  else if (lookup == NULL)
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);
      g_autofree char *text = g_strdup_printf (_("Could not look this person up: %s"), reason);

      show_info_text (req->conn, req->who, text);
    }
  else if (lookup->result == PLANNR_LOOKUP_FOUND)
    plannr_info_show (req->conn, lookup->person, req->who);
  else
    {
      g_autofree char *text = plannr_lookup_explain (lookup);

      show_info_text (req->conn, req->who, text);
    }
  g_free (req->who);
  g_free (req);
}

void
plannr_info_get_info (PurpleConnection *pc,
                      const char       *who)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  InfoLookup *req;

  if (conn == NULL || who == NULL)
    return;

  /* Someone in an open chat (get_cb_real_name gives their address, or
   * their uuid when they have none) is shown as the chat knows them. */
  plannr_participants_known (conn, known);
  for (guint i = 0; i < known->len; i++)
    if (g_ascii_strcasecmp (((PlannrPerson *) g_ptr_array_index (known, i))->uuid, who) == 0)
      {
        plannr_info_show (conn, g_ptr_array_index (known, i), who);
        return;
      }
  if (plannr_lookup_is_email (who) &&
      plannr_lookup_match (known, NULL, who, matches) == PLANNR_LOOKUP_FOUND)
    {
      plannr_info_show (conn, g_ptr_array_index (matches, 0), who);
      return;
    }

  req = g_new0 (InfoLookup, 1);
  req->conn = conn;
  req->who = g_strdup (who);
  plannr_lookup_async (plannr_connection_get_api (conn), who, known, info_lookup_cb, req);
}

char *
plannr_info_get_cb_real_name (PurpleConnection *pc,
                              int               id,
                              const char       *who)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  PlannrConvInfo *info = conn != NULL ? plannr_chat_info_for_id (conn, id) : NULL;
  const PlannrPerson *person;

  if (info == NULL || who == NULL)
    return NULL;
  person = plannr_participants_by_nick (conn, info->uuid, who);
  if (person == NULL)
    return NULL;
  /* What Info opens, and so the window's title: the address when there
   * is one, which is readable and names one account. */
  return g_strdup (person->email != NULL ? person->email : person->uuid);
}

