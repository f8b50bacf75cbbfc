/* plannr-roomlist.c: the conversations in libpurple's room list
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-roomlist.h"

typedef struct
{
  PlannrConnection *conn;
  gboolean          ready;      /* the conversation list is complete */
  PurpleRoomlist   *list;       /* ours while filling it, else NULL */
  GPtrArray        *fill;       /* PlannrConvInfo* to add, borrowed */
  guint             fill_index;
  guint             fill_id;
} Roomlist;

static Roomlist *
roomlist_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_roomlist_component);
}

/* Lets go of the list: filled, or cancelled by the UI. */
static void
release (Roomlist *rl)
{
  PurpleRoomlist *list = g_steal_pointer (&rl->list);

  g_clear_handle_id (&rl->fill_id, g_source_remove);
  g_clear_pointer (&rl->fill, g_ptr_array_unref);
  if (list == NULL)
    return;
  purple_roomlist_set_in_progress (list, FALSE);
  purple_roomlist_unref (list);
}

static void
add_room (PurpleRoomlist *list,
          PlannrConvInfo *info)
{
  PurpleRoomlistRoom *room = purple_roomlist_room_new (PURPLE_ROOMLIST_ROOMTYPE_ROOM, info->name, NULL);
  g_autofree char *activity = NULL;

  if (info->last_activity != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (info->last_activity);

      activity = g_date_time_format (local ? local : info->last_activity, "%Y-%m-%d %H:%M");
    }

  /* Same order as the fields in plannr_roomlist_get_list(). */
  purple_roomlist_room_add_field (list, room, info->name);
  purple_roomlist_room_add_field (list, room, info->uuid);
  purple_roomlist_room_add_field (list, room, GINT_TO_POINTER (MAX (info->participants_count, 0)));
  purple_roomlist_room_add_field (list, room, GINT_TO_POINTER (MAX (info->messages_count, 0)));
  purple_roomlist_room_add_field (list, room, info->case_name ? info->case_name : "");
  purple_roomlist_room_add_field (list, room, info->tags ? info->tags : "");
  /* Translators: the room list's Pinned column for a pinned conversation
   * (empty for the others). */
  purple_roomlist_room_add_field (list, room, info->pinned ? _("Pinned") : "");
  purple_roomlist_room_add_field (list, room, activity ? activity : "");
  purple_roomlist_room_add (list, room);
}

static gboolean
fill_cb (gpointer user_data)
{
  Roomlist *rl = user_data;
  guint end = MIN (rl->fill_index + PLANNR_ROOMLIST_SLICE, rl->fill->len);

  for (; rl->fill_index < end; rl->fill_index++)
    add_room (rl->list, g_ptr_array_index (rl->fill, rl->fill_index));

  if (rl->fill_index < rl->fill->len)
    return G_SOURCE_CONTINUE;

  rl->fill_id = 0;
  release (rl);
  return G_SOURCE_REMOVE;
}

/* Most recently active first; those never active last, by name. */
static gint
by_activity (gconstpointer a,
             gconstpointer b)
{
  const PlannrConvInfo *x = *(const PlannrConvInfo **) a;
  const PlannrConvInfo *y = *(const PlannrConvInfo **) b;

  if (x->last_activity != NULL && y->last_activity != NULL)
    {
      int order = g_date_time_compare (y->last_activity, x->last_activity);

      if (order != 0)
        return order;
    }
  else if (x->last_activity != NULL || y->last_activity != NULL)
    return x->last_activity != NULL ? -1 : 1;
  return g_utf8_collate (x->name, y->name);
}

static void
start_fill (Roomlist *rl)
{
  g_clear_handle_id (&rl->fill_id, g_source_remove);
  g_clear_pointer (&rl->fill, g_ptr_array_unref);
  purple_roomlist_set_in_progress (rl->list, TRUE);
  rl->fill = plannr_conv_list_live (plannr_connection_get_convs (rl->conn));
  g_ptr_array_sort (rl->fill, by_activity);
  rl->fill_index = 0;
  rl->fill_id = g_idle_add (fill_cb, rl);
}

void
plannr_roomlist_ready (PlannrConnection *conn)
{
  Roomlist *rl = roomlist_get (conn);

  rl->ready = TRUE;
  if (rl->list != NULL)
    start_fill (rl);
}

void
plannr_roomlist_add (PlannrConnection *conn,
                     PlannrConvInfo   *info)
{
  Roomlist *rl = roomlist_get (conn);

  /* A list filled already is the UI's alone; "Get List" shows it. */
  if (rl->fill != NULL && !g_ptr_array_find (rl->fill, info, NULL))
    g_ptr_array_add (rl->fill, info);
}

void
plannr_roomlist_rename (PlannrConnection *conn,
                        PlannrConvInfo   *info)
{
  Roomlist *rl = roomlist_get (conn);

  if (rl->list == NULL)
    return;
  /* libpurple 2 has no call to update a room, but its fields are public;
   * the name is what a join or "Add Chat" from the list uses. */
  for (GList *l = rl->list->rooms; l != NULL; l = l->next)
    {
      PurpleRoomlistRoom *room = l->data;
      GList *field = purple_roomlist_room_get_fields (room);

      if (field == NULL || field->next == NULL || g_strcmp0 (field->next->data, info->uuid) != 0)
        continue;
      g_free (room->name);
      room->name = g_strdup (info->name);
      g_free (field->data);
      field->data = g_strdup (info->name);
    }
}

PurpleRoomlist *
plannr_roomlist_get_list (PurpleConnection *pc)
{
  PlannrConnection *conn = plannr_connection_get (pc);
  Roomlist *rl = roomlist_get (conn);
  PurpleRoomlist *list;
  GList *fields = NULL;

  /* A list asked for earlier and still being filled is dropped. */
  release (rl);

  list = purple_roomlist_new (plannr_connection_get_account (conn));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Name"), "name", TRUE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Id"), "uuid", TRUE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_INT, _("Participants"), "participants", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_INT, _("Messages"), "messages", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Case"), "case", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Tags"), "tags", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Pinned"), "pinned", FALSE));
  fields = g_list_append (fields, purple_roomlist_field_new (PURPLE_ROOMLIST_FIELD_STRING, _("Last activity"), "activity", FALSE));
  purple_roomlist_set_fields (list, fields);

  /* The first reference is ours until the list is filled; the UI takes
   * one of its own. */
  rl->list = list;
  if (rl->ready)
    start_fill (rl);
  else
    /* The sign-in's list is on its way; plannr_roomlist_ready fills it. */
    purple_roomlist_set_in_progress (list, TRUE);
  return list;
}

void
plannr_roomlist_cancel (PurpleRoomlist *list)
{
  PlannrConnection *conn = plannr_connection_get (purple_account_get_connection (list->account));
  Roomlist *rl = conn ? roomlist_get (conn) : NULL;

  if (rl != NULL && rl->list == list)
    release (rl);
  else
    purple_roomlist_set_in_progress (list, FALSE);
}

/* --- the component ------------------------------------------------------- */

static gpointer
roomlist_create (PlannrConnection *conn)
{
  Roomlist *rl = g_new0 (Roomlist, 1);

  rl->conn = conn;
  return rl;
}

static void
roomlist_stop (gpointer state)
{
  release (state);
}

static void
roomlist_destroy (gpointer state)
{
  release (state);
  g_free (state);
}

const PlannrComponent plannr_roomlist_component = {
  .name = "roomlist",
  .create = roomlist_create,
  .stop = roomlist_stop,
  .destroy = roomlist_destroy,
};
