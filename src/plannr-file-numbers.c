/* plannr-file-numbers.c: the numbers of the files a chat window shows
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-file-numbers.h"
#include "plannr-notice.h"

#define INDEX_KEY "plannr-file-index"

static int handle;
static gboolean connected;

static void deleting_conversation_cb (PurpleConversation *pconv, gpointer data);

PlannrFileIndex *
plannr_file_numbers_get (PurpleConversation *pconv)
{
  return pconv != NULL ? purple_conversation_get_data (pconv, INDEX_KEY) : NULL;
}

GArray *
plannr_file_numbers_add (PlannrConnection    *conn,
                         const char          *uuid,
                         const PlannrMessage *message)
{
  PurpleConversation *pconv = plannr_notice_window (conn, uuid);
  PlannrFileIndex *index;

  if (pconv == NULL || message->files->len == 0)
    return NULL;
  index = plannr_file_numbers_get (pconv);
  if (index == NULL)
    {
      /* Not at plugin load: libpurple loads protocol plugins before the
       * conversations register their signals. */
      if (!connected)
        connected = purple_signal_connect (purple_conversations_get_handle (), "deleting-conversation",
                                           &handle, PURPLE_CALLBACK (deleting_conversation_cb), NULL) != 0;
      index = plannr_file_index_new ();
      purple_conversation_set_data (pconv, INDEX_KEY, index);
    }
  return plannr_file_index_add (index, message);
}

static void
forget (PurpleConversation *pconv)
{
  PlannrFileIndex *index = plannr_file_numbers_get (pconv);

  if (index == NULL)
    return;
  purple_conversation_set_data (pconv, INDEX_KEY, NULL);
  plannr_file_index_free (index);
}

static void
deleting_conversation_cb (PurpleConversation *pconv,
                          gpointer            data)
{
  forget (pconv);
}

void
plannr_file_numbers_unregister (PurplePlugin *plugin)
{
  purple_signals_disconnect_by_handle (&handle);
  connected = FALSE;
  for (GList *l = purple_get_chats (); l != NULL; l = l->next)
    forget (l->data);
}
