/* plannr-create.c: starting a conversation
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-blist.h"
#include "plannr-chat.h"
#include "plannr-create.h"
#include "plannr-lookup.h"
#include "plannr-participants.h"
#include "plannr-roomlist.h"
#include "plannr-text.h"

/* A conversation on its way, from the dialog or from "Join a Chat".
 * Kept by the component while a dialog or a confirmation is open
 * (libpurple calls none of their callbacks when the account closes). */
typedef struct
{
  PlannrConnection *conn;
  char             *name;
  char             *people_text;  /* as typed */
  GPtrArray        *presets;      /* PlannrPerson: people known already */
  GPtrArray        *lookups;      /* PlannrLookup, one per person named */
  GError           *lookup_error; /* the first lookup that failed */
  guint             pending;
  GHashTable       *components;   /* "Join a Chat": the join's, else NULL */
  gint64            started;      /* monotonic µs the POST was sent */
} Create;

typedef struct
{
  PlannrConnection *conn;
  GPtrArray        *open;         /* Create*, with a dialog open */
} Creates;

static void show_dialog (Create *create, const char *problem);

static Creates *
creates_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_create_component);
}

static void
create_free (Create *create)
{
  g_free (create->name);
  g_free (create->people_text);
  g_clear_pointer (&create->presets, g_ptr_array_unref);
  g_clear_pointer (&create->lookups, g_ptr_array_unref);
  g_clear_error (&create->lookup_error);
  g_clear_pointer (&create->components, g_hash_table_unref);
  g_free (create);
}

static Create *
create_new (PlannrConnection *conn)
{
  Create *create = g_new0 (Create, 1);

  create->conn = conn;
  create->presets = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
  create->lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_lookup_free);
  return create;
}

/* A dialog opened: the component owns @create until it answers. */
static void
hold (Create *create)
{
  g_ptr_array_add (creates_get (create->conn)->open, create);
}

static void
release (Create *create)
{
  GPtrArray *open = creates_get (create->conn)->open;
  guint index;

  if (g_ptr_array_find (open, create, &index))
    g_ptr_array_steal_index_fast (open, index);
}

/* Join a Chat gave up: libpurple and the client hear of it. */
static void
join_failed (Create *create)
{
  if (create->components != NULL)
    purple_serv_got_join_chat_failed (plannr_connection_get_pc (create->conn), create->components);
}

/* --- the answer --------------------------------------------------------------- */

static void
open_created (Create             *create,
              PlannrConversation *data)
{
  PlannrConnection *conn = create->conn;
  PlannrConvInfo *info;
  PlannrConvChange change;

  info = plannr_conv_list_get_or_add (plannr_connection_get_convs (conn), data->uuid, data->name);
  plannr_conv_info_update (info, data, create->started, &change);
  if (data->participants != NULL)
    info->is_admin = data->is_admin;
  if (plannr_blist_find (conn, info->uuid) == NULL)
    plannr_blist_add (conn, info);
  plannr_roomlist_add (conn, info);
  /* Joined by a name: the chat is known by that name, as any joined by
   * name is (plannr_join_get_name). */
  if (create->components != NULL)
    plannr_chat_join (conn, info, g_hash_table_lookup (create->components, "name"));
  else
    plannr_chat_open (conn, info, NULL);
}

static void
failed (Create     *create,
        const char *reason)
{
  /* Translators: the conversation's name, then why it failed. */
  g_autofree char *text = g_strdup_printf (_("The conversation “%s” was not created: %s"),
                                           create->name, reason);

  if (create->components != NULL)
    {
      purple_notify_error (plannr_connection_get_pc (create->conn), _("New conversation"),
                           _("The conversation was not created"), text);
      join_failed (create);
      create_free (create);
      return;
    }
  /* The dialog again, with what was typed and why it failed. */
  show_dialog (create, text);
}

/* A 2xx without the conversation (204, an empty body): the newest of
 * that name is ours. */
static void
find_created_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Create *create = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrPage) page = plannr_api_list_conversations_finish (PLANNR_API (source), result, &error);

  if (page == NULL && plannr_error_is_cancelled (error))
    {
      create_free (create);
      return;
    }
  for (guint i = 0; page != NULL && i < page->items->len; i++)
    {
      PlannrConversation *data = g_ptr_array_index (page->items, i);

      if (strcmp (data->name, create->name) == 0)
        {
          open_created (create, data);
          create_free (create);
          return;
        }
    }
  purple_notify_info (plannr_connection_get_pc (create->conn), _("New conversation"),
                      _("The conversation was created"),
                      _("It could not be opened yet; it will show on the buddy list shortly."));
  create_free (create);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Create *create = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) data = plannr_api_create_conversation_finish (PLANNR_API (source),
                                                                               result, &error);

  if (data == NULL && plannr_error_is_cancelled (error))
    {
      create_free (create);
      return;
    }
  if (data != NULL)
    {
      open_created (create, data);
      create_free (create);
      return;
    }
  if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    {
      plannr_api_list_conversations_async (PLANNR_API (source), PLANNR_PRIORITY_USER, 1, 10,
                                           "-created_at", "participants", find_created_cb, create);
      return;
    }
  if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
    plannr_connection_fail (create->conn, error);
  {
    g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_CREATE);

    /* Never sent again by itself: a lost answer may hide a success. */
    if (plannr_error_is_ambiguous (error))
      {
        g_autofree char *text = g_strdup_printf (_("Whether the conversation “%s” was created is not "
                                                   "known (%s); look on the buddy list before trying "
                                                   "again."), create->name, reason);

        purple_notify_error (plannr_connection_get_pc (create->conn), _("New conversation"),
                             _("No answer from Plannr"), text);
        join_failed (create);
        create_free (create);
        return;
      }
    failed (create, reason);
  }
}

static void
send_create (Create *create)
{
  PlannrConnection *conn = create->conn;
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();

  for (guint i = 0; i < create->lookups->len; i++)
    {
      PlannrLookup *lookup = g_ptr_array_index (create->lookups, i);
      const char *uuid = lookup->person->uuid;
      gboolean seen = FALSE;

      /* The creator takes part anyway. */
      if (plannr_connection_is_me (conn, uuid))
        continue;
      for (guint j = 0; j < uuids->len && !seen; j++)
        seen = g_ascii_strcasecmp (g_ptr_array_index (uuids, j), uuid) == 0;
      if (!seen)
        g_ptr_array_add (uuids, (gpointer) uuid);
    }
  g_ptr_array_add (uuids, NULL);
  create->started = g_get_monotonic_time ();
  plannr_api_create_conversation_async (plannr_connection_get_api (conn), create->name,
                                        (const char * const *) uuids->pdata, created_cb, create);
}

/* --- looking the people up -------------------------------------------------------- */

static char *
problems (Create *create)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < create->lookups->len; i++)
    {
      g_autofree char *line = plannr_lookup_explain (g_ptr_array_index (create->lookups, i));

      if (line != NULL)
        g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", line);
    }
  if (text->len == 0)
    return g_string_free (text, TRUE);
  return g_string_free (text, FALSE);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Create *create = user_data;
  GError *error = NULL;
  PlannrLookup *lookup = plannr_lookup_finish (PLANNR_API (source), result, &error);
  g_autofree char *trouble = NULL;

  if (lookup != NULL)
    g_ptr_array_add (create->lookups, lookup);
  else if (create->lookup_error == NULL)
    create->lookup_error = error;
  else
    g_error_free (error);
  if (--create->pending > 0)
    return;

  if (plannr_error_is_cancelled (create->lookup_error))
    {
      create_free (create);
      return;
    }
  if (create->lookup_error != NULL)
    {
      g_autofree char *reason = plannr_error_describe (create->lookup_error, PLANNR_ACTION_READ);
      g_autofree char *text = g_strdup_printf (_("The people could not be looked up: %s"), reason);

      g_clear_error (&create->lookup_error);
      g_ptr_array_set_size (create->lookups, 0);
      show_dialog (create, text);
      return;
    }
  /* Anyone ambiguous or unknown: explained, and nothing is sent. */
  trouble = problems (create);
  if (trouble != NULL)
    {
      g_ptr_array_set_size (create->lookups, 0);
      show_dialog (create, trouble);
      return;
    }
  send_create (create);
}

/* The entries of "people": separated by commas, semicolons or lines. */
static GPtrArray *
split_people (const char *text)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit_set (text != NULL ? text : "", ",;\n", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *entry = plannr_text_trim (parts[i]);

      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  return entries;
}

static void
start (Create *create)
{
  g_autoptr(GPtrArray) entries = split_people (create->people_text);
  g_autoptr(GPtrArray) known = g_ptr_array_new ();

  /* Only the people named this time: the dialog may be on its second
   * round, after a refusal, with someone taken out. */
  g_ptr_array_set_size (create->lookups, 0);
  if (entries->len == 0)
    {
      send_create (create);
      return;
    }
  plannr_participants_known (create->conn, known);
  for (guint i = 0; i < create->presets->len; i++)
    g_ptr_array_add (known, g_ptr_array_index (create->presets, i));
  create->pending = entries->len;
  for (guint i = 0; i < entries->len; i++)
    plannr_lookup_async (plannr_connection_get_api (create->conn), g_ptr_array_index (entries, i),
                         known, lookup_cb, create);
}

/* --- the dialog ------------------------------------------------------------------ */

static void
dialog_ok_cb (gpointer             user_data,
              PurpleRequestFields *fields)
{
  Create *create = user_data;
  g_autofree char *name = plannr_text_trim (purple_request_fields_get_string (fields, "name"));

  release (create);
  g_free (create->people_text);
  create->people_text = g_strdup (purple_request_fields_get_string (fields, "people"));
  g_free (create->name);
  create->name = g_strdup (name);

  if (name == NULL)
    {
      show_dialog (create, _("A conversation needs a name."));
      return;
    }
  if (g_utf8_strlen (name, -1) > PLANNR_MAX_NAME_CHARS)
    {
      g_autofree char *text = g_strdup_printf (_("A conversation name can have at most %d characters."),
                                               PLANNR_MAX_NAME_CHARS);

      show_dialog (create, text);
      return;
    }
  start (create);
}

static void
dialog_cancel_cb (gpointer             user_data,
                  PurpleRequestFields *fields)
{
  Create *create = user_data;

  release (create);
  create_free (create);
}

static void
show_dialog (Create     *create,
             const char *problem)
{
  PurpleRequestFields *fields = purple_request_fields_new ();
  PurpleRequestFieldGroup *group = purple_request_field_group_new (NULL);
  PurpleRequestField *field;

  field = purple_request_field_string_new ("name", _("_Name"), create->name, FALSE);
  purple_request_field_set_required (field, TRUE);
  purple_request_field_group_add_field (group, field);
  field = purple_request_field_string_new ("people", _("_People"), create->people_text, FALSE);
  purple_request_field_group_add_field (group, field);
  purple_request_fields_add_group (fields, group);

  hold (create);
  purple_request_fields (plannr_connection_get_pc (create->conn), _("New conversation"),
                         _("Start a conversation"),
                         problem != NULL ? problem
                                         : _("People by name or e-mail address, separated by commas. "
                                             "You take part anyway."),
                         fields, _("_Start"), G_CALLBACK (dialog_ok_cb),
                         _("_Cancel"), G_CALLBACK (dialog_cancel_cb),
                         plannr_connection_get_account (create->conn), NULL, NULL, create);
}

void
plannr_create_dialog (PlannrConnection   *conn,
                      const PlannrPerson *person)
{
  Create *create = create_new (conn);

  if (person != NULL)
    {
      g_ptr_array_add (create->presets, plannr_person_copy (person));
      /* The address says exactly whom; a name may not. */
      create->people_text = g_strdup (person->email != NULL ? person->email : person->name);
    }
  show_dialog (create, NULL);
}

static void
action_cb (PurplePluginAction *action)
{
  PlannrConnection *conn = plannr_connection_get (action->context);

  if (conn != NULL)
    plannr_create_dialog (conn, NULL);
}

PurplePluginAction *
plannr_create_action (void)
{
  return purple_plugin_action_new (_("New conversation…"), action_cb);
}

/* --- "Join a Chat" with a new name ------------------------------------------------ */

static void
offer_yes_cb (gpointer user_data,
              int      action)
{
  Create *create = user_data;

  release (create);
  send_create (create);
}

static void
offer_no_cb (gpointer user_data,
             int      action)
{
  Create *create = user_data;

  release (create);
  join_failed (create);
  create_free (create);
}

static GHashTable *
copy_components (GHashTable *components)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, components);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}

gboolean
plannr_create_offer (PlannrConnection *conn,
                     const char       *name,
                     GHashTable       *components)
{
  PurpleRequestUiOps *ops = purple_request_get_ui_ops ();
  g_autofree char *primary = NULL;
  Create *create;

  /* Nothing is created unasked. */
  if (ops == NULL || ops->request_action == NULL || g_utf8_strlen (name, -1) > PLANNR_MAX_NAME_CHARS)
    return FALSE;

  create = create_new (conn);
  create->name = g_strdup (name);
  create->components = copy_components (components);
  /* Translators: %s is the name typed in "Join a Chat". */
  primary = g_strdup_printf (_("Create a conversation named “%s”?"), name);
  hold (create);
  purple_request_action (plannr_connection_get_pc (conn), _("Join a Chat"), primary,
                         _("There is no conversation of that name in this Plannr account. You can "
                           "add people to a new one with /invite."),
                         0, plannr_connection_get_account (conn), NULL, NULL, create, 2,
                         _("C_reate"), G_CALLBACK (offer_yes_cb),
                         _("_Cancel"), G_CALLBACK (offer_no_cb));
  return TRUE;
}

/* --- the component ------------------------------------------------------- */

static gpointer
create_create (PlannrConnection *conn)
{
  Creates *creates = g_new0 (Creates, 1);

  creates->conn = conn;
  creates->open = g_ptr_array_new_with_free_func ((GDestroyNotify) create_free);
  return creates;
}

static void
create_destroy (gpointer state)
{
  Creates *creates = state;

  g_ptr_array_unref (creates->open);
  g_free (creates);
}

const PlannrComponent plannr_create_component = {
  .name = "create",
  .create = create_create,
  .destroy = create_destroy,
};
