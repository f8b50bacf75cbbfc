/* plannr-membership.c: who takes part in a conversation, changed by the user
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-blist.h"
#include "plannr-membership.h"
#include "plannr-notice.h"
#include "plannr-participants.h"

typedef enum
{
  CHANGE_INVITE,
  CHANGE_REMOVE,
  CHANGE_LEAVE,
  CHANGE_OP,
  CHANGE_DEOP,
  CHANGE_PIN,
  CHANGE_UNPIN,
} ChangeKind;

/* One change, from the moment it is asked for (a confirmation may be
 * open) until its answer is shown.  A confirmation open when the account
 * closes gets no callback: the component frees it then. */
typedef struct
{
  PlannrConnection *conn;
  ChangeKind        kind;
  char             *uuid;      /* the conversation */
  char             *account;   /* whom it is about */
  char             *name;      /* how the chat calls them */
} Change;

typedef struct
{
  PlannrConnection *conn;
  GPtrArray        *asking;    /* Change*, confirmations open */
} Membership;

static Membership *
membership_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_membership_component);
}

static void
change_free (Change *change)
{
  g_free (change->uuid);
  g_free (change->account);
  g_free (change->name);
  g_free (change);
}

static Change *
change_new (PlannrConnection *conn,
            ChangeKind        kind,
            PlannrConvInfo   *info,
            const char       *account,
            const char       *name)
{
  Change *change = g_new0 (Change, 1);

  change->conn = conn;
  change->kind = kind;
  change->uuid = g_strdup (info->uuid);
  change->account = g_strdup (account);
  change->name = g_strdup (name);
  return change;
}

static PlannrConvInfo *
change_info (Change *change)
{
  return plannr_conv_list_lookup (plannr_connection_get_convs (change->conn), change->uuid);
}

/* --- the answers ------------------------------------------------------------------ */

static PlannrAction
change_action (ChangeKind kind)
{
  switch (kind)
    {
    case CHANGE_OP:
    case CHANGE_DEOP:
      return PLANNR_ACTION_ADMINS;
    case CHANGE_PIN:
    case CHANGE_UNPIN:
      return PLANNR_ACTION_PIN;
    default:
      return PLANNR_ACTION_MEMBERS;
    }
}

/* "Could not ...: REASON", one whole sentence per change. */
static char *
failure_line (Change     *change,
              const char *reason)
{
  switch (change->kind)
    {
    case CHANGE_INVITE:
      /* Translators: %s is a person's name, then why it failed. */
      return g_strdup_printf (_("%s could not be added to the conversation: %s"), change->name, reason);
    case CHANGE_REMOVE:
      return g_strdup_printf (_("%s could not be removed from the conversation: %s"), change->name, reason);
    case CHANGE_LEAVE:
      return g_strdup_printf (_("You could not leave the conversation: %s"), reason);
    case CHANGE_OP:
      return g_strdup_printf (_("%s could not be made an admin: %s"), change->name, reason);
    case CHANGE_DEOP:
      return g_strdup_printf (_("%s could not stop being an admin: %s"), change->name, reason);
    case CHANGE_PIN:
      return g_strdup_printf (_("The conversation could not be pinned: %s"), reason);
    case CHANGE_UNPIN:
    default:
      return g_strdup_printf (_("The conversation could not be unpinned: %s"), reason);
    }
}

static void
show_pinned (Change             *change,
             PlannrConvInfo     *info,
             PlannrConversation *data)
{
  gboolean pin = change->kind == CHANGE_PIN;

  /* "pinned" is only in answers with participants. */
  info->pinned = data != NULL && data->participants != NULL ? data->pinned : pin;
  /* Pinned conversations are on the buddy list whatever blist-days says. */
  if (info->pinned && plannr_blist_find (change->conn, info->uuid) == NULL)
    plannr_blist_add (change->conn, info);
  if (plannr_notice_window (change->conn, info->uuid) != NULL)
    plannr_notice (change->conn, info, 0,
                   info->pinned ? _("This conversation is pinned: it stays on your buddy list.")
                                : _("This conversation is no longer pinned."));
}

static void
show_done (Change             *change,
           PlannrConvInfo     *info,
           PlannrConversation *data)
{
  PlannrConnection *conn = change->conn;
  g_autofree char *line = NULL;

  switch (change->kind)
    {
    case CHANGE_INVITE:
      /* The join line says it, as for anyone who joins. */
      plannr_participants_apply (conn, info, data);
      break;
    case CHANGE_REMOVE:
      /* Translators: why someone left the chat, in libpurple's line
       * "NAME left the room (REASON)." */
      plannr_participants_remove (conn, info, change->account, _("removed by you"));
      plannr_participants_apply (conn, info, data);
      break;
    case CHANGE_LEAVE:
      info->gone = TRUE;
      plannr_notice (conn, info, 0,
                     _("You left this conversation. Only an admin of the conversation can add you back."));
      break;
    case CHANGE_OP:
    case CHANGE_DEOP:
      plannr_participants_set_admin (conn, info, change->account, change->kind == CHANGE_OP);
      if (plannr_connection_is_me (conn, change->account))
        line = g_strdup (change->kind == CHANGE_OP ? _("You are now an admin of this conversation.")
                                                   : _("You are no longer an admin of this conversation."));
      else
        /* Translators: %s is a participant's name. */
        line = g_strdup_printf (change->kind == CHANGE_OP ? _("You made %s an admin of this conversation.")
                                                          : _("%s is no longer an admin of this conversation."),
                                change->name);
      plannr_notice (conn, info, 0, line);
      plannr_participants_apply (conn, info, data);
      break;
    case CHANGE_PIN:
    case CHANGE_UNPIN:
    default:
      show_pinned (change, info, data);
      break;
    }
}

static void
change_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Change *change = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) data = NULL;
  PlannrConvInfo *info;

  switch (change->kind)
    {
    case CHANGE_INVITE:
    case CHANGE_REMOVE:
    case CHANGE_LEAVE:
      data = plannr_api_change_participants_finish (PLANNR_API (source), result, &error);
      break;
    case CHANGE_OP:
    case CHANGE_DEOP:
      data = plannr_api_set_admin_finish (PLANNR_API (source), result, &error);
      break;
    case CHANGE_PIN:
    case CHANGE_UNPIN:
    default:
      data = plannr_api_pin_conversation_finish (PLANNR_API (source), result, &error);
      break;
    }
  if ((data == NULL && plannr_error_is_cancelled (error)) || (info = change_info (change)) == NULL)
    {
      change_free (change);
      return;
    }

  if (data != NULL || g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_ACCEPTED))
    show_done (change, info, data);
  else if (plannr_error_is_ambiguous (error))
    {
      g_autofree char *reason = plannr_error_describe (error, change_action (change->kind));
      g_autofree char *line = g_strdup_printf (_("Whether this took effect is not known (%s); "
                                                 "it is not tried again."), reason);

      plannr_notice (change->conn, info, PURPLE_MESSAGE_ERROR, line);
      plannr_participants_apply (change->conn, info, NULL);
    }
  else
    {
      g_autofree char *reason = plannr_error_describe (error, change_action (change->kind));
      g_autofree char *line = failure_line (change, reason);

      plannr_notice (change->conn, info, PURPLE_MESSAGE_ERROR, line);
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED))
        plannr_connection_fail (change->conn, error);
    }
  change_free (change);
}

/* Sends @change: exactly one request, never retried. */
static void
send_change (Change *change)
{
  PlannrApi *api = plannr_connection_get_api (change->conn);
  PlannrConvInfo *info = change_info (change);
  const char *accounts[] = { change->account, NULL };

  if (info == NULL || info->gone)
    {
      if (info != NULL)
        {
          g_autofree char *line = failure_line (change, _("you are no longer a participant of this conversation"));

          plannr_notice (change->conn, info, PURPLE_MESSAGE_ERROR, line);
        }
      change_free (change);
      return;
    }

  switch (change->kind)
    {
    case CHANGE_INVITE:
    case CHANGE_REMOVE:
    case CHANGE_LEAVE:
      plannr_api_change_participants_async (api, change->uuid, change->kind == CHANGE_INVITE, accounts,
                                            change_cb, change);
      break;
    case CHANGE_OP:
    case CHANGE_DEOP:
      plannr_api_set_admin_async (api, change->uuid, change->account, change->kind == CHANGE_OP,
                                  change_cb, change);
      break;
    case CHANGE_PIN:
    case CHANGE_UNPIN:
    default:
      plannr_api_pin_conversation_async (api, change->uuid, change->kind == CHANGE_PIN, change_cb, change);
      break;
    }
}

/* --- confirming ------------------------------------------------------------------- */

static void
confirm_done (Change *change)
{
  Membership *membership = membership_get (change->conn);
  guint index;

  if (g_ptr_array_find (membership->asking, change, &index))
    g_ptr_array_steal_index_fast (membership->asking, index);
}

static void
confirm_yes_cb (gpointer user_data,
                int      action)
{
  Change *change = user_data;

  confirm_done (change);
  send_change (change);
}

static void
confirm_no_cb (gpointer user_data,
               int      action)
{
  Change *change = user_data;

  confirm_done (change);
  change_free (change);
}

/* Asks before @change where the client can ask; sends it right away
 * where it cannot (the user typed the command after all). */
static void
confirm (Change     *change,
         const char *title,
         const char *primary,
         const char *secondary,
         const char *yes)
{
  PurpleRequestUiOps *ops = purple_request_get_ui_ops ();
  PurpleConnection *pc = plannr_connection_get_pc (change->conn);

  if (ops == NULL || ops->request_action == NULL)
    {
      send_change (change);
      return;
    }
  /* BitlBee asks in its &bitlbee channel, and its "yes" runs the action
   * whose label contains "Accept" or "OK", in English whatever the
   * locale (prplcb_request_action in its purple.c): give it that one. */
  if (g_strcmp0 (purple_core_get_ui (), "BitlBee") == 0)
    yes = "OK";
  /* Owned by the list until the dialog answers. */
  g_ptr_array_add (membership_get (change->conn)->asking, change);
  purple_request_action (pc, title, primary, secondary, 0,
                         plannr_connection_get_account (change->conn), NULL,
                         plannr_notice_window (change->conn, change->uuid), change, 2,
                         yes, G_CALLBACK (confirm_yes_cb),
                         _("_Cancel"), G_CALLBACK (confirm_no_cb));
}

/* --- the entry points ---------------------------------------------------------------- */

void
plannr_membership_invite_person (PlannrConnection   *conn,
                                 PlannrConvInfo     *info,
                                 const PlannrPerson *person)
{
  if (plannr_participants_has (conn, info->uuid, person->uuid))
    {
      /* Translators: %s is a person's name. */
      g_autofree char *line = g_strdup_printf (_("%s already takes part in this conversation."),
                                               person->name);

      plannr_notice (conn, info, PURPLE_MESSAGE_NO_LOG, line);
      return;
    }
  send_change (change_new (conn, CHANGE_INVITE, info, person->uuid, person->name));
}

void
plannr_membership_leave_dialog (PlannrConnection *conn,
                                PlannrConvInfo   *info)
{
  Change *change = change_new (conn, CHANGE_LEAVE, info, plannr_connection_get_account_uuid (conn),
                               plannr_connection_get_my_name (conn));
  /* Translators: %s is the conversation's name. */
  g_autofree char *primary = g_strdup_printf (_("Leave “%s”?"), info->name);

  confirm (change, _("Leave conversation"), primary,
           _("You will no longer see its messages or write in it. Only an admin of the "
             "conversation can add you back."),
           _("_Leave"));
}

void
plannr_membership_remove_dialog (PlannrConnection *conn,
                                 PlannrConvInfo   *info,
                                 const char       *account_uuid,
                                 const char       *nick)
{
  Change *change;
  g_autofree char *primary = NULL;

  if (plannr_connection_is_me (conn, account_uuid))
    {
      plannr_membership_leave_dialog (conn, info);
      return;
    }
  change = change_new (conn, CHANGE_REMOVE, info, account_uuid, nick);
  /* Translators: a participant's name, then the conversation's. */
  primary = g_strdup_printf (_("Remove %s from “%s”?"), nick, info->name);
  confirm (change, _("Remove a participant"), primary,
           _("They will no longer see its messages or write in it."), _("_Remove"));
}

void
plannr_membership_set_admin (PlannrConnection *conn,
                             PlannrConvInfo   *info,
                             const char       *account_uuid,
                             const char       *nick,
                             gboolean          admin)
{
  send_change (change_new (conn, admin ? CHANGE_OP : CHANGE_DEOP, info, account_uuid, nick));
}

void
plannr_membership_pin (PlannrConnection *conn,
                       PlannrConvInfo   *info,
                       gboolean          pin)
{
  send_change (change_new (conn, pin ? CHANGE_PIN : CHANGE_UNPIN, info, NULL, NULL));
}

/* --- the component ------------------------------------------------------- */

static gpointer
membership_create (PlannrConnection *conn)
{
  Membership *membership = g_new0 (Membership, 1);

  membership->conn = conn;
  membership->asking = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  return membership;
}

static void
membership_destroy (gpointer state)
{
  Membership *membership = state;

  g_ptr_array_unref (membership->asking);
  g_free (membership);
}

const PlannrComponent plannr_membership_component = {
  .name = "membership",
  .create = membership_create,
  .destroy = membership_destroy,
};
