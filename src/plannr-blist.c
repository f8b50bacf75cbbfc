/* plannr-blist.c: conversations on the buddy list
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "plannr-blist.h"
#include "plannr-window.h"

/* Buddy-list node setting: the plugin added this chat. */
#define NODE_AUTO "plannr-auto"

typedef struct
{
  PlannrConnection *conn;
  GHashTable       *chats;   /* lower-case uuid -> PurpleChat*, made on first use */
} Blist;

const char *
plannr_blist_node_uuid (PurpleBlistNode *node,
                        PurpleAccount   *account)
{
  if (node == NULL || !PURPLE_BLIST_NODE_IS_CHAT (node) ||
      purple_chat_get_account (PURPLE_CHAT (node)) != account)
    return NULL;
  return g_hash_table_lookup (purple_chat_get_components (PURPLE_CHAT (node)), "uuid");
}

PlannrConvInfo *
plannr_blist_node_info (PurpleBlistNode   *node,
                        PlannrConnection **conn)
{
  const char *uuid;

  *conn = NULL;
  if (node == NULL || !PURPLE_BLIST_NODE_IS_CHAT (node))
    return NULL;
  *conn = plannr_connection_for_account (purple_chat_get_account (PURPLE_CHAT (node)));
  uuid = *conn ? plannr_blist_node_uuid (node, plannr_connection_get_account (*conn)) : NULL;
  return uuid ? plannr_conv_list_lookup (plannr_connection_get_convs (*conn), uuid) : NULL;
}

GHashTable *
plannr_blist_snapshot (PlannrConnection *conn)
{
  PurpleAccount *account = plannr_connection_get_account (conn);
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL;
       node = purple_blist_node_next (node, FALSE))
    {
      const char *uuid = plannr_blist_node_uuid (node, account);

      if (uuid != NULL)
        g_hash_table_insert (table, g_ascii_strdown (uuid, -1), node);
    }
  return table;
}

static Blist *
blist_get (PlannrConnection *conn)
{
  Blist *blist = plannr_connection_get_state (conn, &plannr_blist_component);

  if (blist != NULL && blist->chats == NULL)
    blist->chats = plannr_blist_snapshot (conn);
  return blist;
}

static void
node_added_cb (PurpleBlistNode *node,
               gpointer         user_data)
{
  Blist *blist = user_data;
  const char *uuid = plannr_blist_node_uuid (node, plannr_connection_get_account (blist->conn));

  if (uuid != NULL && blist->chats != NULL)
    g_hash_table_insert (blist->chats, g_ascii_strdown (uuid, -1), node);
}

static void
node_removed_cb (PurpleBlistNode *node,
                 gpointer         user_data)
{
  Blist *blist = user_data;
  const char *uuid = plannr_blist_node_uuid (node, plannr_connection_get_account (blist->conn));
  g_autofree char *lower = NULL;

  if (uuid == NULL || blist->chats == NULL)
    return;
  lower = g_ascii_strdown (uuid, -1);
  if (g_hash_table_lookup (blist->chats, lower) == node)
    g_hash_table_remove (blist->chats, lower);
}

PurpleChat *
plannr_blist_find (PlannrConnection *conn,
                   const char       *uuid)
{
  Blist *blist = blist_get (conn);
  g_autofree char *lower = NULL;

  if (blist == NULL || uuid == NULL)
    return NULL;
  lower = g_ascii_strdown (uuid, -1);
  return g_hash_table_lookup (blist->chats, lower);
}

/* libpurple asks by the name a chat is known by (plannr-window.h): its
 * uuid, or the name it was joined by. */
PurpleChat *
plannr_blist_find_chat (PurpleAccount *account,
                        const char    *name)
{
  PlannrConnection *conn = plannr_connection_get (purple_account_get_connection (account));

  if (name == NULL)
    return NULL;
  if (conn != NULL && blist_get (conn) != NULL)
    {
      g_autofree char *uuid = plannr_window_uuid (conn, name);

      return uuid != NULL ? plannr_blist_find (conn, uuid) : NULL;
    }

  /* Signed off: walk the list, for the uuid or, failing that, the name
   * it had when it was joined. */
  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL;
       node = purple_blist_node_next (node, TRUE))
    {
      const char *have = plannr_blist_node_uuid (node, account);

      if (have != NULL && g_ascii_strcasecmp (have, name) == 0)
        return PURPLE_CHAT (node);
    }
  for (PurpleBlistNode *node = purple_blist_get_root (); node != NULL;
       node = purple_blist_node_next (node, TRUE))
    if (plannr_blist_node_uuid (node, account) != NULL &&
        g_strcmp0 (g_hash_table_lookup (purple_chat_get_components (PURPLE_CHAT (node)), "name"), name) == 0)
      return PURPLE_CHAT (node);
  return NULL;
}

static PurpleGroup *
account_group (PlannrConnection *conn)
{
  const char *name = purple_account_get_string (plannr_connection_get_account (conn),
                                                PLANNR_SETTING_GROUP, PLANNR_DEFAULT_GROUP);
  PurpleGroup *group;

  if (name == NULL || *name == '\0')
    name = PLANNR_DEFAULT_GROUP;
  group = purple_find_group (name);
  if (group == NULL)
    {
      group = purple_group_new (name);
      purple_blist_add_group (group, NULL);
    }
  return group;
}

PurpleChat *
plannr_blist_add (PlannrConnection *conn,
                  PlannrConvInfo   *info)
{
  GHashTable *components = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  PurpleChat *chat;

  g_hash_table_insert (components, g_strdup ("uuid"), g_strdup (info->uuid));
  g_hash_table_insert (components, g_strdup ("name"), g_strdup (info->name));
  chat = purple_chat_new (plannr_connection_get_account (conn), info->name, components);
  purple_blist_node_set_bool (PURPLE_BLIST_NODE (chat), NODE_AUTO, TRUE);
  purple_blist_add_chat (chat, account_group (conn), NULL);
  return chat;
}

gboolean
plannr_blist_is_automatic (PurpleChat *chat)
{
  return purple_blist_node_get_bool (PURPLE_BLIST_NODE (chat), NODE_AUTO);
}

/* --- the component ------------------------------------------------------- */

static gpointer
blist_create (PlannrConnection *conn)
{
  Blist *blist = g_new0 (Blist, 1);

  blist->conn = conn;
  purple_signal_connect (purple_blist_get_handle (), "blist-node-added", blist,
                         PURPLE_CALLBACK (node_added_cb), blist);
  purple_signal_connect (purple_blist_get_handle (), "blist-node-removed", blist,
                         PURPLE_CALLBACK (node_removed_cb), blist);
  return blist;
}

static void
blist_destroy (gpointer state)
{
  Blist *blist = state;

  purple_signals_disconnect_by_handle (blist);
  g_clear_pointer (&blist->chats, g_hash_table_unref);
  g_free (blist);
}

const PlannrComponent plannr_blist_component = {
  .name = "blist",
  .create = blist_create,
  .destroy = blist_destroy,
};
