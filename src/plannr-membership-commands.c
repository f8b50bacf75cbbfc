/* plannr-membership-commands.c: where the user changes who takes part
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The commands (/invite, /kick, /leave, /op, /deop, /pin, /unpin),
 * libpurple's chat_invite and the buddy list's menu (Pidgin shows it in
 * the chat window too); each hands a person it found to
 * plannr-membership.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-command-table.h"
#include "plannr-blist.h"
#include "plannr-chat.h"
#include "plannr-lookup.h"
#include "plannr-membership.h"
#include "plannr-notice.h"
#include "plannr-participants.h"
#include "plannr-text.h"


typedef struct
{
  PlannrConnection *conn;
  char             *uuid;
} InviteLookup;

static void
invite_lookup_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  InviteLookup *req = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrLookup) lookup = plannr_lookup_finish (PLANNR_API (source), result, &error);
  PlannrConvInfo *info;
  g_autofree char *line = NULL;

  if ((lookup == NULL && plannr_error_is_cancelled (error)) ||
      (info = plannr_conv_list_lookup (plannr_connection_get_convs (req->conn), req->uuid)) == NULL)
    goto out;

  if (lookup == NULL)
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);

      line = g_strdup_printf (_("Nobody was invited: looking the name up failed: %s"), reason);
    }
  else if (lookup->result == PLANNR_LOOKUP_FOUND)
    {
      plannr_membership_invite_person (req->conn, info, lookup->person);
      goto out;
    }
  else
    {
      g_autofree char *why = plannr_lookup_explain (lookup);

      /* Translators: %s says why: nobody or several people fit. */
      line = g_strdup_printf (_("Nobody was invited. %s"), why);
    }
  plannr_notice (req->conn, info, PURPLE_MESSAGE_ERROR, line);

out:
  g_free (req->uuid);
  g_free (req);
}

static void
invite (PlannrConnection *conn,
        PlannrConvInfo   *info,
        const char       *who)
{
  g_autofree char *trimmed = plannr_text_trim (who);
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  InviteLookup *req;

  if (trimmed == NULL)
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("Whom to invite? Give a name or an e-mail address."));
      return;
    }
  req = g_new0 (InviteLookup, 1);
  req->conn = conn;
  req->uuid = g_strdup (info->uuid);
  plannr_participants_known (conn, known);
  plannr_lookup_async (plannr_connection_get_api (conn), trimmed, known, invite_lookup_cb, req);
}

void
plannr_membership_chat_invite (PurpleConnection *pc,
                               int               id,
                               const char       *message,
                               const char       *who)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  PlannrConvInfo *info = conn != NULL ? plannr_chat_info_for_id (conn, id) : NULL;

  /* Plannr has no invitation message: the person is simply added. */
  if (info != NULL)
    invite (conn, info, who);
}

/* The participant @who means in @info's chat, or NULL after saying why
 * there is none. */
static const PlannrPerson *
find_participant (PlannrConnection *conn,
                  PlannrConvInfo   *info,
                  const char       *who)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autofree char *trimmed = plannr_text_trim (who);
  g_autofree char *line = NULL;
  g_autofree char *names = NULL;

  if (trimmed == NULL)
    {
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, _("Give the name of a participant."));
      return NULL;
    }
  switch (plannr_participants_find (conn, info->uuid, trimmed, matches))
    {
    case PLANNR_LOOKUP_FOUND:
      return g_ptr_array_index (matches, 0);
    case PLANNR_LOOKUP_AMBIGUOUS:
      names = plannr_lookup_describe (matches);
      /* Translators: what was typed, then the participants it fits. */
      line = g_strdup_printf (_("“%s” could mean several participants: %s. Give the whole name "
                                "or the e-mail address."), trimmed, names);
      break;
    case PLANNR_LOOKUP_NONE:
    default:
      line = g_strdup_printf (_("No participant of this conversation is called “%s”."), trimmed);
      break;
    }
  plannr_notice (conn, info, PURPLE_MESSAGE_ERROR, line);
  return NULL;
}

static void
kick (PlannrConnection *conn,
      PlannrConvInfo   *info,
      const char       *who)
{
  const PlannrPerson *person = find_participant (conn, info, who);

  if (person != NULL)
    plannr_membership_remove_dialog (conn, info, person->uuid,
                                     plannr_participants_nick (conn, info->uuid, person->uuid,
                                                               person->name));
}

static void
set_admin (PlannrConnection *conn,
           PlannrConvInfo   *info,
           const char       *who,
           gboolean          admin)
{
  const PlannrPerson *person = find_participant (conn, info, who);

  if (person != NULL)
    plannr_membership_set_admin (conn, info, person->uuid,
                                 plannr_participants_nick (conn, info->uuid, person->uuid, person->name),
                                 admin);
}

/* --- commands and menus ---------------------------------------------------------------- */

static void
membership_command (PlannrConnection *conn,
                    PlannrConvInfo   *info,
                    const char       *cmd,
                    const char       *arg)
{
  if (g_strcmp0 (cmd, "invite") == 0)
    invite (conn, info, arg);
  else if (g_strcmp0 (cmd, "kick") == 0)
    kick (conn, info, arg);
  else if (g_strcmp0 (cmd, "op") == 0 || g_strcmp0 (cmd, "deop") == 0)
    set_admin (conn, info, arg, g_strcmp0 (cmd, "op") == 0);
  else if (g_strcmp0 (cmd, "pin") == 0 || g_strcmp0 (cmd, "unpin") == 0)
    plannr_membership_pin (conn, info, g_strcmp0 (cmd, "pin") == 0);
  else if (g_strcmp0 (cmd, "leave") == 0)
    plannr_membership_leave_dialog (conn, info);
}

static void
add_command (const char *name,
             const char *help)
{
  plannr_command_table_add (name, membership_command, help);
}

static void
pin_node_cb (PurpleBlistNode *node,
             gpointer         data)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = plannr_blist_node_info (node, &conn);

  if (info != NULL)
    plannr_membership_pin (conn, info, GPOINTER_TO_INT (data));
}

static void
leave_node_cb (PurpleBlistNode *node,
               gpointer         data)
{
  PlannrConnection *conn;
  PlannrConvInfo *info = plannr_blist_node_info (node, &conn);

  if (info != NULL)
    plannr_membership_leave_dialog (conn, info);
}

GList *
plannr_membership_blist_menu (PlannrConnection *conn,
                              PlannrConvInfo   *info)
{
  GList *actions = NULL;

  if (info->pinned)
    actions = g_list_append (actions, purple_menu_action_new (_("Unpin"), PURPLE_CALLBACK (pin_node_cb),
                                                              GINT_TO_POINTER (FALSE), NULL));
  else
    actions = g_list_append (actions, purple_menu_action_new (_("Pin"), PURPLE_CALLBACK (pin_node_cb),
                                                              GINT_TO_POINTER (TRUE), NULL));
  actions = g_list_append (actions, purple_menu_action_new (_("Leave conversation…"),
                                                            PURPLE_CALLBACK (leave_node_cb), NULL, NULL));
  return actions;
}

/* --- registering ------------------------------------------------------------------------ */

void
plannr_membership_register (PurplePlugin *plugin)
{
  add_command ("invite", _("invite &lt;name or e-mail&gt;: add a colleague or a client to this "
                           "conversation."));
  add_command ("kick", _("kick &lt;name&gt;: remove a participant from this conversation (admins "
                         "only; you are asked first)."));
  add_command ("leave", _("leave: leave this conversation for good; only an admin can add you back "
                          "(you are asked first)."));
  add_command ("op", _("op &lt;name&gt;: make a participant an admin of this conversation (admins only)."));
  add_command ("deop", _("deop &lt;name&gt;: make an admin of this conversation a plain participant "
                         "(admins only; also yourself)."));
  add_command ("pin", _("pin: pin this conversation, for you: it stays on your buddy list."));
  add_command ("unpin", _("unpin: stop pinning this conversation."));
}
