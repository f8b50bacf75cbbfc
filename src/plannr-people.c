/* plannr-people.c: finding people, and Info on one
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-command-table.h"
#include "plannr-chat.h"
#include "plannr-create.h"
#include "plannr-info.h"
#include "plannr-lookup.h"
#include "plannr-membership.h"
#include "plannr-notice.h"
#include "plannr-participants.h"
#include "plannr-people.h"
#include "plannr-text.h"


/* An open "Find people" dialog; kept by the component, so that closing
 * the account with it open (libpurple then calls no callback) frees it. */
typedef struct
{
  PlannrConnection *conn;
  char             *chat_uuid;   /* asked from this chat, or NULL */
} FindDialog;

typedef struct
{
  PlannrConnection *conn;
  GPtrArray        *dialogs;     /* FindDialog*, open ones */
} People;

static People *
people_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_people_component);
}

static void
find_dialog_free (FindDialog *dialog)
{
  g_free (dialog->chat_uuid);
  g_free (dialog);
}

/* The chat @uuid of @conn, if it is still open. */
static PlannrConvInfo *
open_chat (PlannrConnection *conn,
           const char       *uuid)
{
  if (uuid == NULL || !plannr_chat_is_open (conn, uuid))
    return NULL;
  return plannr_conv_list_lookup (plannr_connection_get_convs (conn), uuid);
}

/* A line in the chat it was asked from, else a dialog. */
static void
tell (PlannrConnection *conn,
      PlannrConvInfo   *info,
      gboolean          error,
      const char       *primary,
      const char       *text)
{
  if (info != NULL && plannr_notice_window (conn, info->uuid) != NULL)
    {
      plannr_notice (conn, info, error ? PURPLE_MESSAGE_ERROR : PURPLE_MESSAGE_NO_LOG, text);
      return;
    }
  purple_notify_message (plannr_connection_get_pc (conn),
                         error ? PURPLE_NOTIFY_MSG_ERROR : PURPLE_NOTIFY_MSG_INFO,
                         _("Find people"), primary, text, NULL, NULL);
}

/* --- search results --------------------------------------------------------- */

/* What an open search results window needs for its buttons. */
typedef struct
{
  PlannrConnection *conn;
  char             *chat_uuid;   /* searched from this chat, or NULL */
  GPtrArray        *people;      /* PlannrPerson, the rows in order */
} Results;

static void
results_free (gpointer data)
{
  Results *results = data;

  g_free (results->chat_uuid);
  g_ptr_array_unref (results->people);
  g_free (results);
}

/* The person of a row as the client hands it back: its texts (a copy,
 * in Pidgin), matched against what each row showed. */
static PlannrPerson *
row_person (Results *results,
            GList   *row)
{
  const char *name = g_list_nth_data (row, 0);
  const char *email = g_list_nth_data (row, 1);

  for (guint i = 0; row != NULL && i < results->people->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (results->people, i);

      if (g_strcmp0 (person->name, name) == 0 &&
          g_strcmp0 (person->email != NULL ? person->email : "", email) == 0)
        return person;
    }
  return NULL;
}

static void
start_button_cb (PurpleConnection *pc,
                 GList            *row,
                 gpointer          user_data)
{
  Results *results = user_data;
  PlannrPerson *person = row_person (results, row);

  if (person != NULL && plannr_connection_get (pc) == results->conn)
    plannr_create_dialog (results->conn, person);
}

static void
info_button_cb (PurpleConnection *pc,
                GList            *row,
                gpointer          user_data)
{
  Results *results = user_data;
  PlannrPerson *person = row_person (results, row);

  if (person != NULL && plannr_connection_get (pc) == results->conn)
    plannr_info_show (results->conn, person, person->email != NULL ? person->email : person->name);
}

static void
invite_button_cb (PurpleConnection *pc,
                  GList            *row,
                  gpointer          user_data)
{
  Results *results = user_data;
  PlannrPerson *person = row_person (results, row);
  PlannrConvInfo *info;

  if (person == NULL || plannr_connection_get (pc) != results->conn)
    return;
  info = open_chat (results->conn, results->chat_uuid);
  if (info == NULL)
    {
      purple_notify_error (pc, _("Find people"), _("Cannot invite"),
                           _("The conversation these people were searched from is no longer open."));
      return;
    }
  plannr_membership_invite_person (results->conn, info, person);
}

static void
show_results (PlannrConnection *conn,
              PlannrConvInfo   *info,
              const char       *text,
              GPtrArray        *people,
              gboolean          more)
{
  PurpleNotifySearchResults *results = purple_notify_searchresults_new ();
  Results *data = g_new0 (Results, 1);
  g_autofree char *primary = NULL;
  g_autofree char *secondary = NULL;

  data->conn = conn;
  data->chat_uuid = info != NULL ? g_strdup (info->uuid) : NULL;
  data->people = g_ptr_array_ref (people);

  purple_notify_searchresults_column_add (results, purple_notify_searchresults_column_new (_("Name")));
  purple_notify_searchresults_column_add (results, purple_notify_searchresults_column_new (_("E-mail")));
  purple_notify_searchresults_column_add (results, purple_notify_searchresults_column_new (_("Type")));
  purple_notify_searchresults_column_add (results, purple_notify_searchresults_column_new (_("Role")));
  for (guint i = 0; i < people->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (people, i);
      GList *row = NULL;

      /* Cells are text, not markup, in Pidgin and Finch. */
      row = g_list_append (row, g_strdup (person->name));
      row = g_list_append (row, g_strdup (person->email != NULL ? person->email : ""));
      row = g_list_append (row, g_strdup (plannr_info_type_label (person->type)));
      row = g_list_append (row, g_strdup (person->role != NULL ? person->role : ""));
      purple_notify_searchresults_row_add (results, row);
    }
  purple_notify_searchresults_button_add_labeled (results, _("Start a conversation"), start_button_cb);
  purple_notify_searchresults_button_add (results, PURPLE_NOTIFY_BUTTON_INFO, info_button_cb);
  if (info != NULL)
    purple_notify_searchresults_button_add_labeled (results, _("Invite to this conversation"),
                                                    invite_button_cb);

  primary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person matches “%s”",
                                          "%u people match “%s”", people->len),
                             people->len, text);
  if (more)
    secondary = g_strdup_printf (_("Only the first %u of each kind are shown; search for more of "
                                   "the name to narrow it down."), PLANNR_PEOPLE_SHOWN);
  purple_notify_searchresults (plannr_connection_get_pc (conn), _("Find people"), primary, secondary,
                               results, results_free, data);
}

/* --- searching ------------------------------------------------------------------ */

typedef struct
{
  PlannrConnection *conn;
  char             *text;
  char             *chat_uuid;
  guint             pending;
  GPtrArray        *employees;
  GPtrArray        *clients;
  gboolean          more;
  GError           *error;
} Search;

static void
search_free (Search *search)
{
  g_free (search->text);
  g_free (search->chat_uuid);
  g_clear_pointer (&search->employees, g_ptr_array_unref);
  g_clear_pointer (&search->clients, g_ptr_array_unref);
  g_clear_error (&search->error);
  g_free (search);
}

static void
search_finished (Search *search)
{
  PlannrConnection *conn = search->conn;
  PlannrConvInfo *info = open_chat (conn, search->chat_uuid);
  g_autoptr(GPtrArray) people = NULL;

  if (search->error != NULL)
    {
      g_autofree char *reason = plannr_error_describe (search->error, PLANNR_ACTION_READ);
      g_autofree char *text = g_strdup_printf (_("The search for “%s” failed: %s"), search->text, reason);

      tell (conn, info, TRUE, _("The search failed"), text);
      return;
    }
  people = plannr_lookup_merge (search->employees, search->clients);
  if (people->len == 0)
    {
      g_autofree char *text = plannr_lookup_is_email (search->text)
        ? g_strdup_printf (_("No employee has an e-mail address like “%s”. Clients are found by name."),
                           search->text)
        : g_strdup_printf (_("No employee or client matches “%s”."), search->text);

      tell (conn, info, FALSE, _("Nobody found"), text);
      return;
    }
  show_results (conn, info, search->text, people, search->more);
}

static void
search_done (Search       *search,
             PlannrApi    *api,
             GAsyncResult *result,
             GPtrArray   **slot)
{
  g_autoptr(PlannrPage) page = NULL;
  GError *error = NULL;

  page = plannr_api_search_people_finish (api, result, &error);
  if (page == NULL && search->error == NULL)
    search->error = error;
  else if (page == NULL)
    g_error_free (error);
  else
    {
      *slot = g_ptr_array_ref (page->items);
      search->more = search->more || page->has_next;
    }

  if (--search->pending > 0)
    return;
  if (!plannr_error_is_cancelled (search->error))
    search_finished (search);
  search_free (search);
}

static void
employees_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Search *search = user_data;

  search_done (search, PLANNR_API (source), result, &search->employees);
}

static void
clients_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Search *search = user_data;

  search_done (search, PLANNR_API (source), result, &search->clients);
}

void
plannr_people_search (PlannrConnection *conn,
                      const char       *text,
                      PlannrConvInfo   *info)
{
  PlannrApi *api = plannr_connection_get_api (conn);
  g_autofree char *trimmed = plannr_text_trim (text);
  Search *search;

  if (trimmed == NULL)
    {
      tell (conn, info, TRUE, _("Nothing to search for"),
            _("Give a name, part of one, or an e-mail address to search for."));
      return;
    }

  search = g_new0 (Search, 1);
  search->conn = conn;
  search->text = g_steal_pointer (&trimmed);
  search->chat_uuid = info != NULL ? g_strdup (info->uuid) : NULL;
  /* Clients cannot be searched by e-mail (/account has no such
   * filter): an address searches the employees only. */
  if (plannr_lookup_is_email (search->text))
    {
      search->pending = 1;
      plannr_api_search_people_async (api, PLANNR_PEOPLE_EMPLOYEES, "email", search->text,
                                      PLANNR_PEOPLE_SHOWN, employees_cb, search);
      return;
    }
  search->pending = 2;
  plannr_api_search_people_async (api, PLANNR_PEOPLE_EMPLOYEES, "name", search->text,
                                  PLANNR_PEOPLE_SHOWN, employees_cb, search);
  plannr_api_search_people_async (api, PLANNR_PEOPLE_CLIENTS, "name", search->text,
                                  PLANNR_PEOPLE_SHOWN, clients_cb, search);
}

/* --- the dialog, the action and the commands ---------------------------------- */

static void
find_dialog_done (FindDialog *dialog)
{
  g_ptr_array_remove (people_get (dialog->conn)->dialogs, dialog);
}

static void
find_ok_cb (gpointer    user_data,
            const char *text)
{
  FindDialog *dialog = user_data;
  PlannrConnection *conn = dialog->conn;
  PlannrConvInfo *info = open_chat (conn, dialog->chat_uuid);

  plannr_people_search (conn, text, info);
  find_dialog_done (dialog);
}

static void
find_cancel_cb (gpointer    user_data,
                const char *text)
{
  find_dialog_done (user_data);
}

static void
find_dialog (PlannrConnection *conn,
             PlannrConvInfo   *info)
{
  FindDialog *dialog = g_new0 (FindDialog, 1);

  dialog->conn = conn;
  dialog->chat_uuid = info != NULL ? g_strdup (info->uuid) : NULL;
  g_ptr_array_add (people_get (conn)->dialogs, dialog);
  purple_request_input (plannr_connection_get_pc (conn), _("Find people"),
                        _("Find colleagues and clients"),
                        _("A name, part of one, or an employee's e-mail address."),
                        NULL, FALSE, FALSE, NULL,
                        _("_Search"), G_CALLBACK (find_ok_cb),
                        _("_Cancel"), G_CALLBACK (find_cancel_cb),
                        plannr_connection_get_account (conn), NULL, NULL, dialog);
}

static void
find_action_cb (PurplePluginAction *action)
{
  PlannrConnection *conn = plannr_connection_get (action->context);

  if (conn != NULL)
    find_dialog (conn, NULL);
}

PurplePluginAction *
plannr_people_action (void)
{
  return purple_plugin_action_new (_("Find people…"), find_action_cb);
}

static void
people_command (PlannrConnection *conn,
                PlannrConvInfo   *info,
                const char       *name,
                const char       *args)
{
  g_autofree char *text = plannr_text_trim (args);

  if (text == NULL)
    find_dialog (conn, info);
  else
    plannr_people_search (conn, text, info);
}

static void
info_command (PlannrConnection *conn,
              PlannrConvInfo   *info,
              const char       *name,
              const char       *args)
{
  g_autofree char *text = plannr_text_trim (args);
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  PlannrPerson *person;

  if (text == NULL)
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("Whose details? Give a participant's name or someone's e-mail address."));
      return;
    }
  /* A participant of this chat by the name the chat shows. */
  if (plannr_participants_find (conn, info->uuid, text, matches) == PLANNR_LOOKUP_FOUND)
    {
      person = g_ptr_array_index (matches, 0);
      plannr_info_show (conn, person, person->email != NULL ? person->email : person->name);
      return;
    }
  plannr_info_get_info (plannr_connection_get_pc (conn), text);
}

void
plannr_people_register (PurplePlugin *plugin)
{
  plannr_command_table_add ("people", people_command,
                            _("people [&lt;name or e-mail&gt;]: find colleagues and clients, to start a "
                 "conversation with them, see their details or invite them here."));
  plannr_command_table_add ("info", info_command,
                            _("info &lt;name or e-mail&gt;: show the details of a participant or of anyone "
                 "in your firm: e-mail, type, role, firm and photo."));
}

/* --- the component ------------------------------------------------------- */

static gpointer
people_create (PlannrConnection *conn)
{
  People *people = g_new0 (People, 1);

  people->conn = conn;
  people->dialogs = g_ptr_array_new_with_free_func ((GDestroyNotify) find_dialog_free);
  return people;
}

static void
people_destroy (gpointer state)
{
  People *people = state;

  g_ptr_array_unref (people->dialogs);
  g_free (people);
}

const PlannrComponent plannr_people_component = {
  .name = "people",
  .create = people_create,
  .destroy = people_destroy,
};
