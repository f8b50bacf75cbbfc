/* plannr-send.c: the user's messages on their way
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-chat.h"
#include "plannr-notice.h"
#include "plannr-send.h"

typedef struct
{
  PlannrConnection *conn;
  GHashTable       *outboxes;   /* conversation uuid -> PlannrOutbox* */
} Send;

static Send *
send_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_send_component);
}

static PlannrConvInfo *
info_for (Send       *send,
          const char *uuid)
{
  return plannr_conv_list_lookup (plannr_connection_get_convs (send->conn), uuid);
}

static void
sent_cb (gpointer             user_data,
         const char          *uuid,
         const PlannrMessage *message)
{
  Send *send = user_data;
  PlannrConvInfo *info = info_for (send, uuid);

  if (info != NULL)
    plannr_chat_show_sent (send->conn, info, message);
}

static void
failed_cb (gpointer    user_data,
           const char *uuid,
           const char *text,
           const char *reason)
{
  Send *send = user_data;
  PlannrConvInfo *info = info_for (send, uuid);
  g_autofree char *line = g_strdup_printf (_("Your message was not sent (%s): %s"), reason, text);

  if (info != NULL)
    plannr_notice (send->conn, info, PURPLE_MESSAGE_ERROR, line);
}

static void
look_again_cb (gpointer    user_data,
               const char *uuid)
{
  Send *send = user_data;

  plannr_chat_poll_soon (send->conn, uuid);
}

static void
unauthorized_cb (gpointer      user_data,
                 const GError *error)
{
  Send *send = user_data;

  plannr_connection_fail (send->conn, error);
}

static const PlannrOutboxCallbacks callbacks = {
  .sent = sent_cb,
  .failed = failed_cb,
  .look_again = look_again_cb,
  .unauthorized = unauthorized_cb,
};

PlannrOutbox *
plannr_send_outbox (PlannrConnection *conn,
                    PlannrConvInfo   *info)
{
  Send *send = send_get (conn);
  PlannrOutbox *outbox = g_hash_table_lookup (send->outboxes, info->uuid);

  if (outbox == NULL)
    {
      outbox = plannr_outbox_new (plannr_connection_get_api (conn), info->uuid,
                                  plannr_connection_get_account_uuid (conn),
                                  plannr_conv_info_log (info),
                                  plannr_connection_get_verify_delay (conn), &callbacks, send);
      g_hash_table_insert (send->outboxes, g_strdup (info->uuid), outbox);
    }
  return outbox;
}

void
plannr_send_text (PlannrConnection *conn,
                  PlannrConvInfo   *info,
                  const char       *text)
{
  if (info->gone)
    {
      failed_cb (send_get (conn), info->uuid, text,
                 _("you are no longer a participant of this conversation"));
      return;
    }
  plannr_outbox_send (plannr_send_outbox (conn, info), text);
}

/* --- the component ------------------------------------------------------- */

static gpointer
send_create (PlannrConnection *conn)
{
  Send *send = g_new0 (Send, 1);

  send->conn = conn;
  send->outboxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) plannr_outbox_free);
  return send;
}

static void
send_stop (gpointer state)
{
  Send *send = state;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, send->outboxes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    plannr_outbox_stop (value);
}

static void
send_destroy (gpointer state)
{
  Send *send = state;

  g_hash_table_unref (send->outboxes);
  g_free (send);
}

const PlannrComponent plannr_send_component = {
  .name = "send",
  .create = send_create,
  .stop = send_stop,
  .destroy = send_destroy,
};
