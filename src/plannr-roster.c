/* plannr-roster.c: who takes part in a conversation, and who changed
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "plannr-roster.h"

struct _PlannrRoster
{
  gboolean    known;
  GPtrArray  *people;      /* PlannrPerson, owned */
  GHashTable *admins;      /* account uuids (owned) */
  gint64      changed_at;  /* monotonic µs our last change landed */
};

PlannrRoster *
plannr_roster_new (void)
{
  PlannrRoster *roster = g_new0 (PlannrRoster, 1);

  roster->people = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
  roster->admins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return roster;
}

void
plannr_roster_free (PlannrRoster *roster)
{
  if (roster == NULL)
    return;
  g_ptr_array_unref (roster->people);
  g_hash_table_unref (roster->admins);
  g_free (roster);
}

static gboolean
same (const char *a,
      const char *b)
{
  return a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0;
}

static PlannrPerson *
find (GPtrArray  *people,
      const char *uuid)
{
  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (people, i);

      if (same (person->uuid, uuid))
        return person;
    }
  return NULL;
}

void
plannr_roster_update (PlannrRoster             *roster,
                      const PlannrConversation *data,
                      const char               *me,
                      PlannrRosterChange       *change)
{
  GPtrArray *next = data->participants;
  g_autoptr(GHashTable) admins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (change != NULL)
    memset (change, 0, sizeof *change);

  for (guint i = 0; next != NULL && i < next->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (next, i);

      /* My own admin status is documented (is_admin); others' only
       * when the participant carries it [assumed]. */
      if (plannr_conversation_is_admin (data, person->uuid) || (data->is_admin && same (person->uuid, me)))
        g_hash_table_add (admins, g_ascii_strdown (person->uuid, -1));
    }

  if (change != NULL && roster->known)
    {
      change->joined = g_ptr_array_new ();
      change->left = g_ptr_array_new_with_free_func (g_free);
      change->promoted = g_ptr_array_new ();
      change->demoted = g_ptr_array_new ();
      for (guint i = 0; i < roster->people->len; i++)
        {
          PlannrPerson *before = g_ptr_array_index (roster->people, i);

          if (find (next, before->uuid) != NULL)
            continue;
          if (same (before->uuid, me))
            change->me_left = TRUE;
          else
            g_ptr_array_add (change->left, g_strdup (before->uuid));
        }
      for (guint i = 0; next != NULL && i < next->len; i++)
        {
          PlannrPerson *person = g_ptr_array_index (next, i);
          g_autofree char *key = g_ascii_strdown (person->uuid, -1);
          gboolean admin = g_hash_table_contains (admins, key);

          if (find (roster->people, person->uuid) == NULL)
            g_ptr_array_add (change->joined, person);
          else if (admin && !g_hash_table_contains (roster->admins, key))
            g_ptr_array_add (change->promoted, person);
          else if (!admin && g_hash_table_contains (roster->admins, key))
            g_ptr_array_add (change->demoted, person);
        }
    }

  g_ptr_array_set_size (roster->people, 0);
  for (guint i = 0; next != NULL && i < next->len; i++)
    g_ptr_array_add (roster->people, plannr_person_copy (g_ptr_array_index (next, i)));
  g_hash_table_unref (roster->admins);
  roster->admins = g_steal_pointer (&admins);
  roster->known = TRUE;
}

void
plannr_roster_change_clear (PlannrRosterChange *change)
{
  g_clear_pointer (&change->joined, g_ptr_array_unref);
  g_clear_pointer (&change->left, g_ptr_array_unref);
  g_clear_pointer (&change->promoted, g_ptr_array_unref);
  g_clear_pointer (&change->demoted, g_ptr_array_unref);
  change->me_left = FALSE;
}

gboolean
plannr_roster_is_known (PlannrRoster *roster)
{
  return roster->known;
}

GPtrArray *
plannr_roster_people (PlannrRoster *roster)
{
  return roster->people;
}

gboolean
plannr_roster_has (PlannrRoster *roster,
                   const char   *account_uuid)
{
  return find (roster->people, account_uuid) != NULL;
}

gboolean
plannr_roster_is_admin (PlannrRoster *roster,
                        const char   *account_uuid)
{
  g_autofree char *key = account_uuid != NULL ? g_ascii_strdown (account_uuid, -1) : NULL;

  return key != NULL && g_hash_table_contains (roster->admins, key);
}

PlannrLookupResult
plannr_roster_find (PlannrRoster *roster,
                    GHashTable   *labels,
                    const char   *query,
                    GPtrArray    *matches)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < roster->people->len; i++)
    g_ptr_array_add (names, labels != NULL ? g_hash_table_lookup (labels, ((PlannrPerson *) g_ptr_array_index (roster->people, i))->uuid)
                                           : NULL);
  return plannr_lookup_match (roster->people, names, query, matches);
}

const PlannrPerson *
plannr_roster_by_label (PlannrRoster *roster,
                        GHashTable   *labels,
                        const char   *label)
{
  for (guint i = 0; labels != NULL && label != NULL && i < roster->people->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (roster->people, i);

      if (g_strcmp0 (g_hash_table_lookup (labels, person->uuid), label) == 0)
        return person;
    }
  return NULL;
}

void
plannr_roster_remove (PlannrRoster *roster,
                      const char   *account_uuid,
                      gint64        now)
{
  PlannrPerson *person = find (roster->people, account_uuid);
  g_autofree char *key = g_ascii_strdown (account_uuid, -1);

  if (person != NULL)
    g_ptr_array_remove (roster->people, person);
  g_hash_table_remove (roster->admins, key);
  roster->changed_at = now;
}

void
plannr_roster_set_admin (PlannrRoster *roster,
                         const char   *account_uuid,
                         gboolean      admin,
                         gint64        now)
{
  g_autofree char *key = g_ascii_strdown (account_uuid, -1);

  if (admin)
    g_hash_table_add (roster->admins, g_steal_pointer (&key));
  else
    g_hash_table_remove (roster->admins, key);
  roster->changed_at = now;
}

void
plannr_roster_changed (PlannrRoster *roster,
                       gint64        now)
{
  roster->changed_at = now;
}

gboolean
plannr_roster_is_current (PlannrRoster *roster,
                          gint64        started)
{
  return started >= roster->changed_at;
}
