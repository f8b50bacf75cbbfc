/* plannr-participants.c: who is in an open chat, by display name
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-names.h"
#include "plannr-notice.h"
#include "plannr-participants.h"
#include "plannr-text.h"

typedef struct
{
  PlannrConnection *conn;
  GHashTable       *nicks;   /* conversation uuid -> (account uuid -> chat user name) */
  GHashTable       *rosters; /* conversation uuid -> Roster* */
} Participants;

/* What an open chat shows of its participants, to tell what changed. */
typedef struct
{
  GPtrArray *people;       /* PlannrPerson, as last read, in order */
  GHashTable *admins;      /* account uuids shown as ops */
  gboolean    loading;     /* a read is on its way */
  gboolean    again;       /* and another was asked for meanwhile */
  gint64      changed_at;  /* monotonic µs our last change landed */
} Roster;

/* A read of a conversation's participants on its way. */
typedef struct
{
  PlannrConnection *conn;
  char             *uuid;
  gint64            started;   /* monotonic µs */
} Load;

static void
roster_free (Roster *roster)
{
  g_ptr_array_unref (roster->people);
  g_hash_table_unref (roster->admins);
  g_free (roster);
}

static Participants *
participants_get (PlannrConnection *conn)
{
  return plannr_connection_get_state (conn, &plannr_participants_component);
}

static void
load_free (Load *load)
{
  g_free (load->uuid);
  g_free (load);
}

const char *
plannr_participants_nick (PlannrConnection *conn,
                          const char       *uuid,
                          const char       *author_uuid,
                          const char       *fallback)
{
  Participants *parts = participants_get (conn);
  GHashTable *nicks = parts && uuid ? g_hash_table_lookup (parts->nicks, uuid) : NULL;
  const char *nick = NULL;

  if (plannr_connection_is_me (conn, author_uuid))
    return plannr_connection_get_my_name (conn);
  if (nicks != NULL && author_uuid != NULL)
    nick = g_hash_table_lookup (nicks, author_uuid);
  if (nick != NULL)
    return nick;
  /* Someone who shares my display name, in whatever case or Unicode
   * form, must not read as me. */
  if (fallback != NULL)
    {
      g_autofree char *theirs = plannr_text_name_key (fallback);
      g_autofree char *mine = plannr_text_name_key (plannr_connection_get_my_name (conn));

      if (g_strcmp0 (theirs, mine) == 0)
        return _("Unknown");
    }
  return fallback ? fallback : _("Unknown");
}

/* A chat user name for @person that no one in @taken (name keys) has:
 * chat user names must be unique, and two people may share a display
 * name: the second is told apart by e-mail, the next by number. */
static char *
unique_nick (GHashTable         *taken,
             const PlannrPerson *person)
{
  char *nick = g_strdup (person->name);

  for (int n = 2; ; n++)
    {
      g_autofree char *key = plannr_text_name_key (nick);

      if (!g_hash_table_contains (taken, key))
        break;
      g_free (nick);
      if (n == 2 && person->email != NULL)
        nick = g_strdup_printf ("%s (%s)", person->name, person->email);
      else
        nick = g_strdup_printf ("%s (%d)", person->name, n);
    }
  g_hash_table_add (taken, plannr_text_name_key (nick));
  return nick;
}

static gboolean
shows_as_admin (PlannrConnection   *conn,
                PlannrConversation *data,
                const PlannrPerson *person)
{
  /* My own admin status is documented (is_admin); others' only when
   * the participant carries it [assumed]. */
  return plannr_conversation_is_admin (data, person->uuid) ||
         (data->is_admin && plannr_connection_is_me (conn, person->uuid));
}

static Roster *
roster_new (PlannrConnection   *conn,
            PlannrConversation *data)
{
  Roster *roster = g_new0 (Roster, 1);

  roster->people = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
  roster->admins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < data->participants->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (data->participants, i);

      g_ptr_array_add (roster->people, plannr_person_copy (person));
      if (shows_as_admin (conn, data, person))
        g_hash_table_add (roster->admins, g_strdup (person->uuid));
    }
  return roster;
}

static Roster *
roster_get (Participants *parts,
            const char   *uuid)
{
  return uuid != NULL ? g_hash_table_lookup (parts->rosters, uuid) : NULL;
}

static void
set_participants (Participants       *parts,
                  PlannrConvInfo     *info,
                  PlannrConversation *data)
{
  PlannrConnection *conn = parts->conn;
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  GHashTable *nicks;
  const char *my_name = plannr_connection_get_my_name (conn);
  PurpleConvChat *chat;
  GList *names = NULL, *flags = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (pconv == NULL || data->participants == NULL)
    return;
  chat = PURPLE_CONV_CHAT (pconv);

  nicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (parts->nicks, g_strdup (info->uuid), nicks);
  g_hash_table_replace (parts->rosters, g_strdup (info->uuid), roster_new (conn, data));
  /* Names are told apart by plannr_text_name_key(), which equates every
   * pair libpurple's own comparison does: a participant whose name only
   * differs from mine in case or Unicode form must not pass as me. */
  g_hash_table_add (taken, plannr_text_name_key (my_name));

  purple_conv_chat_clear_users (chat);
  for (guint i = 0; i < data->participants->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (data->participants, i);
      gboolean me = plannr_connection_is_me (conn, person->uuid);
      g_autofree char *nick = NULL;
      PurpleConvChatBuddyFlags flag = PURPLE_CBFLAGS_NONE;

      if (me)
        nick = g_strdup (my_name);
      else
        nick = unique_nick (taken, person);
      g_hash_table_insert (nicks, g_strdup (person->uuid), g_strdup (nick));

      if (shows_as_admin (conn, data, person))
        flag = PURPLE_CBFLAGS_OP;
      names = g_list_prepend (names, g_steal_pointer (&nick));
      flags = g_list_prepend (flags, GINT_TO_POINTER (flag));
    }

  names = g_list_reverse (names);
  flags = g_list_reverse (flags);
  purple_conv_chat_add_users (chat, names, NULL, flags, FALSE);
  g_list_free_full (names, g_free);
  g_list_free (flags);
}

/* Someone was made an admin or stopped being one: the op flag, and a
 * line, since libpurple has none for it. */
static void
show_admin_change (PlannrConnection *conn,
                   PlannrConvInfo   *info,
                   PurpleConvChat   *chat,
                   const char       *nick,
                   gboolean          admin,
                   gboolean          me)
{
  g_autofree char *line = NULL;

  purple_conv_chat_user_set_flags (chat, nick, admin ? PURPLE_CBFLAGS_OP : PURPLE_CBFLAGS_NONE);
  if (me)
    line = g_strdup (admin ? _("You are now an admin of this conversation.")
                           : _("You are no longer an admin of this conversation."));
  else
    /* Translators: %s is a participant's name. */
    line = g_strdup_printf (admin ? _("%s is now an admin of this conversation.")
                                  : _("%s is no longer an admin of this conversation."), nick);
  plannr_notice (conn, info, 0, line);
}

/* A later reading of an open chat's participants: those who came and
 * went show as libpurple's join and leave lines, once; everyone keeps
 * the name they go by. */
static void
update_participants (Participants       *parts,
                     PlannrConvInfo     *info,
                     PlannrConversation *data,
                     Roster             *roster)
{
  PlannrConnection *conn = parts->conn;
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  GHashTable *nicks = g_hash_table_lookup (parts->nicks, info->uuid);
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  gboolean was_in = FALSE, still_in = FALSE;
  PurpleConvChat *chat;
  Roster *next;

  if (pconv == NULL || nicks == NULL)
    return;
  chat = PURPLE_CONV_CHAT (pconv);

  for (guint i = 0; i < data->participants->len; i++)
    g_hash_table_add (present, ((PlannrPerson *) g_ptr_array_index (data->participants, i))->uuid);
  g_hash_table_iter_init (&iter, nicks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_add (taken, plannr_text_name_key (value));

  /* Who left. */
  g_hash_table_iter_init (&iter, nicks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (plannr_connection_is_me (conn, key))
        {
          was_in = TRUE;
          continue;
        }
      if (g_hash_table_contains (present, key))
        continue;
      purple_conv_chat_remove_user (chat, value, NULL);
      g_ptr_array_add (gone, g_strdup (key));
    }
  for (guint i = 0; i < gone->len; i++)
    g_hash_table_remove (nicks, g_ptr_array_index (gone, i));

  /* Who came, and whose admin status changed. */
  next = roster_new (conn, data);
  for (guint i = 0; i < data->participants->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (data->participants, i);
      gboolean me = plannr_connection_is_me (conn, person->uuid);
      gboolean admin = g_hash_table_contains (next->admins, person->uuid);
      const char *nick = g_hash_table_lookup (nicks, person->uuid);

      if (me)
        still_in = TRUE;
      if (nick == NULL && !me)
        {
          g_autofree char *fresh = unique_nick (taken, person);

          purple_conv_chat_add_user (chat, fresh, NULL, admin ? PURPLE_CBFLAGS_OP : PURPLE_CBFLAGS_NONE,
                                     TRUE);
          g_hash_table_insert (nicks, g_strdup (person->uuid), g_steal_pointer (&fresh));
        }
      else if (nick != NULL && admin != g_hash_table_contains (roster->admins, person->uuid))
        show_admin_change (conn, info, chat, nick, admin, me);
    }
  /* In place: a reading on its way, and when our change landed, stay. */
  g_ptr_array_unref (roster->people);
  g_hash_table_unref (roster->admins);
  roster->people = g_steal_pointer (&next->people);
  roster->admins = g_steal_pointer (&next->admins);
  g_free (next);

  /* A server that still shows a conversation to someone it no longer
   * has as a participant: removed all the same. */
  if (was_in && !still_in && !info->gone)
    {
      info->gone = TRUE;
      plannr_notice (conn, info, PURPLE_MESSAGE_ERROR,
                     _("You were removed from this conversation. Only an admin of the conversation "
                       "can add you back."));
    }
}

static void
show_participants (Participants       *parts,
                   PlannrConvInfo     *info,
                   PlannrConversation *data)
{
  Roster *roster = roster_get (parts, info->uuid);

  if (data->participants == NULL)
    return;
  if (roster != NULL)
    update_participants (parts, info, data, roster);
  else
    set_participants (parts, info, data);
}

static void read_participants (PlannrConnection *conn, PlannrConvInfo *info);

static void
participants_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Load *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrConversation) data = NULL;
  Participants *parts;
  PlannrConvInfo *info;
  Roster *roster;
  gboolean again = FALSE;

  data = plannr_api_get_conversation_finish (PLANNR_API (source), result, &error);
  if (data == NULL && plannr_error_is_cancelled (error))
    {
      load_free (load);
      return;
    }
  parts = participants_get (load->conn);
  roster = roster_get (parts, load->uuid);
  if (roster != NULL)
    {
      roster->loading = FALSE;
      again = roster->again;
      roster->again = FALSE;
    }
  if ((info = plannr_conv_list_lookup (plannr_connection_get_convs (load->conn), load->uuid)) == NULL ||
      plannr_notice_window (load->conn, load->uuid) == NULL)
    {
      load_free (load);
      return;
    }

  if (data == NULL)
    {
      g_autofree char *reason = plannr_error_describe (error, PLANNR_ACTION_READ);
      g_autofree char *line = g_strdup_printf (_("Could not load the participants: %s"), reason);

      /* A later reading failing is the chat poll's to tell (it reads the
       * same conversation); only the first one is said here. */
      if (roster == NULL)
        plannr_notice (load->conn, info, PURPLE_MESSAGE_ERROR, line);
      load_free (load);
      return;
    }

  /* Read before our last change landed: it may not show it. */
  if (roster != NULL && load->started < roster->changed_at)
    again = TRUE;
  else
    {
      info->is_admin = data->is_admin;
      /* Renames by others are the inbox's to find and to say; a later
       * reading here leaves the name alone. */
      if (roster == NULL && plannr_conv_info_name_is_news (info, data->name, load->started))
        {
          g_free (info->name);
          info->name = g_strdup (data->name);
          plannr_names_show (load->conn, info);
        }
      show_participants (parts, info, data);
    }
  load_free (load);
  if (again)
    read_participants (parts->conn, info);
}

static void
read_participants (PlannrConnection *conn,
                   PlannrConvInfo   *info)
{
  Roster *roster = roster_get (participants_get (conn), info->uuid);
  Load *load;

  if (roster != NULL && roster->loading)
    {
      roster->again = TRUE;
      return;
    }
  if (roster != NULL)
    roster->loading = TRUE;
  load = g_new0 (Load, 1);
  load->conn = conn;
  load->uuid = g_strdup (info->uuid);
  load->started = g_get_monotonic_time ();
  plannr_api_get_conversation_async (plannr_connection_get_api (conn),
                                     roster != NULL ? PLANNR_PRIORITY_POLL : PLANNR_PRIORITY_USER,
                                     info->uuid, "participants", participants_cb, load);
}

void
plannr_participants_load (PlannrConnection *conn,
                          PlannrConvInfo   *info)
{
  Participants *parts = participants_get (conn);

  /* Joining again: everyone is listed afresh. */
  g_hash_table_remove (parts->rosters, info->uuid);
  read_participants (conn, info);
}

void
plannr_participants_refresh (PlannrConnection *conn,
                             PlannrConvInfo   *info)
{
  /* Before the first reading is in, that one will do. */
  if (roster_get (participants_get (conn), info->uuid) == NULL || info->gone)
    return;
  read_participants (conn, info);
}

void
plannr_participants_apply (PlannrConnection   *conn,
                           PlannrConvInfo     *info,
                           PlannrConversation *data)
{
  Participants *parts = participants_get (conn);
  Roster *roster = roster_get (parts, info->uuid);

  if (roster == NULL)
    return;
  roster->changed_at = g_get_monotonic_time ();
  if (data == NULL || data->participants == NULL)
    {
      /* An answer without the list (204, an empty body): read it. */
      read_participants (conn, info);
      return;
    }
  info->is_admin = data->is_admin;
  show_participants (parts, info, data);
}

void
plannr_participants_remove (PlannrConnection *conn,
                            PlannrConvInfo   *info,
                            const char       *account_uuid,
                            const char       *reason)
{
  Participants *parts = participants_get (conn);
  GHashTable *nicks = g_hash_table_lookup (parts->nicks, info->uuid);
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  Roster *roster = roster_get (parts, info->uuid);
  const char *nick = nicks != NULL ? g_hash_table_lookup (nicks, account_uuid) : NULL;

  if (roster != NULL)
    {
      roster->changed_at = g_get_monotonic_time ();
      g_hash_table_remove (roster->admins, account_uuid);
      for (guint i = 0; i < roster->people->len; i++)
        if (g_strcmp0 (((PlannrPerson *) g_ptr_array_index (roster->people, i))->uuid, account_uuid) == 0)
          {
            g_ptr_array_remove_index (roster->people, i);
            break;
          }
    }
  if (pconv == NULL || nick == NULL)
    return;
  purple_conv_chat_remove_user (PURPLE_CONV_CHAT (pconv), nick, reason);
  g_hash_table_remove (nicks, account_uuid);
}

void
plannr_participants_set_admin (PlannrConnection *conn,
                               PlannrConvInfo   *info,
                               const char       *account_uuid,
                               gboolean          admin)
{
  Participants *parts = participants_get (conn);
  GHashTable *nicks = g_hash_table_lookup (parts->nicks, info->uuid);
  PurpleConversation *pconv = plannr_notice_window (conn, info->uuid);
  Roster *roster = roster_get (parts, info->uuid);
  const char *nick = nicks != NULL ? g_hash_table_lookup (nicks, account_uuid) : NULL;

  if (plannr_connection_is_me (conn, account_uuid))
    info->is_admin = admin;
  if (roster == NULL || pconv == NULL || nick == NULL)
    return;
  roster->changed_at = g_get_monotonic_time ();
  if (admin)
    g_hash_table_add (roster->admins, g_strdup (account_uuid));
  else
    g_hash_table_remove (roster->admins, account_uuid);
  purple_conv_chat_user_set_flags (PURPLE_CONV_CHAT (pconv), nick,
                                   admin ? PURPLE_CBFLAGS_OP : PURPLE_CBFLAGS_NONE);
}

PlannrLookupResult
plannr_participants_find (PlannrConnection *conn,
                          const char       *uuid,
                          const char       *query,
                          GPtrArray        *matches)
{
  Participants *parts = participants_get (conn);
  Roster *roster = roster_get (parts, uuid);
  GHashTable *nicks = g_hash_table_lookup (parts->nicks, uuid);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  if (roster == NULL)
    return PLANNR_LOOKUP_NONE;
  for (guint i = 0; i < roster->people->len; i++)
    g_ptr_array_add (labels, nicks != NULL ? g_hash_table_lookup (nicks, ((PlannrPerson *) g_ptr_array_index (roster->people, i))->uuid)
                                           : NULL);
  return plannr_lookup_match (roster->people, labels, query, matches);
}

gboolean
plannr_participants_has (PlannrConnection *conn,
                         const char       *uuid,
                         const char       *account_uuid)
{
  GHashTable *nicks = g_hash_table_lookup (participants_get (conn)->nicks, uuid);

  return nicks != NULL && account_uuid != NULL && g_hash_table_contains (nicks, account_uuid);
}

const PlannrPerson *
plannr_participants_by_nick (PlannrConnection *conn,
                             const char       *uuid,
                             const char       *nick)
{
  Participants *parts = participants_get (conn);
  Roster *roster = roster_get (parts, uuid);
  GHashTable *nicks = g_hash_table_lookup (parts->nicks, uuid);

  for (guint i = 0; roster != NULL && nicks != NULL && i < roster->people->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (roster->people, i);

      if (g_strcmp0 (g_hash_table_lookup (nicks, person->uuid), nick) == 0)
        return person;
    }
  return NULL;
}

void
plannr_participants_known (PlannrConnection *conn,
                           GPtrArray        *people)
{
  Participants *parts = participants_get (conn);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, parts->rosters);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Roster *roster = value;

      for (guint i = 0; i < roster->people->len; i++)
        g_ptr_array_add (people, g_ptr_array_index (roster->people, i));
    }
}

void
plannr_participants_forget (PlannrConnection *conn,
                            const char       *uuid)
{
  Participants *parts = participants_get (conn);

  if (parts == NULL)
    return;
  g_hash_table_remove (parts->nicks, uuid);
  g_hash_table_remove (parts->rosters, uuid);
}

/* --- the component ------------------------------------------------------- */

static gpointer
participants_create (PlannrConnection *conn)
{
  Participants *parts = g_new0 (Participants, 1);

  parts->conn = conn;
  parts->nicks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_hash_table_unref);
  parts->rosters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) roster_free);
  return parts;
}

static void
participants_destroy (gpointer state)
{
  Participants *parts = state;

  g_hash_table_unref (parts->rosters);
  g_hash_table_unref (parts->nicks);
  g_free (parts);
}

const PlannrComponent plannr_participants_component = {
  .name = "participants",
  .create = participants_create,
  .destroy = participants_destroy,
};
