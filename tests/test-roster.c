/* test-roster.c: unit tests of plannr-roster, who changed in a chat
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every reading of an open chat's participants is compared with the one
 * before: whoever came, went or became or stopped being an admin must be
 * found exactly once, and a reading asked for before one of our own
 * changes landed must be recognised as older than what is known.
 */

#include "config.h"

#include "plannr-roster.h"

#define ME    "a0000000-0000-4000-8000-000000000001"
#define BEN   "b0000000-0000-4000-8000-000000000001"
#define CLARA "c0000000-0000-4000-8000-000000000001"
#define DORA  "e0000000-0000-4000-8000-000000000001"

static PlannrPerson *
person (const char *uuid,
        const char *name)
{
  PlannrPerson *p = g_new0 (PlannrPerson, 1);

  p->uuid = g_strdup (uuid);
  p->name = g_strdup (name);
  return p;
}

/* A reading: "ME BEN* CLARA" is me, Ben as an admin, Clara; is_admin
 * is whether the reading says I administer it. */
static PlannrConversation *
reading (const char *const *uuids,
         const char *const *admins,
         gboolean           is_admin)
{
  PlannrConversation *conv = g_new0 (PlannrConversation, 1);

  conv->uuid = g_strdup ("d0000000-0000-4000-8000-000000000001");
  conv->name = g_strdup ("Annual Review");
  conv->tags = g_ptr_array_new_with_free_func (g_free);
  conv->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
  conv->admins = g_ptr_array_new_with_free_func (g_free);
  conv->is_admin = is_admin;
  for (guint i = 0; uuids[i] != NULL; i++)
    g_ptr_array_add (conv->participants, person (uuids[i], uuids[i]));
  for (guint i = 0; admins != NULL && admins[i] != NULL; i++)
    g_ptr_array_add (conv->admins, g_strdup (admins[i]));
  return conv;
}

static char *
uuids_of (GPtrArray *list,
          gboolean   people)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; list != NULL && i < list->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "",
                            people ? ((PlannrPerson *) g_ptr_array_index (list, i))->uuid
                                   : (const char *) g_ptr_array_index (list, i));
  return g_string_free (text, FALSE);
}

static void
assert_change (PlannrRosterChange *change,
               const char         *joined,
               const char         *left,
               const char         *promoted,
               const char         *demoted,
               gboolean            me_left)
{
  g_autofree char *j = uuids_of (change->joined, TRUE);
  g_autofree char *l = uuids_of (change->left, FALSE);
  g_autofree char *p = uuids_of (change->promoted, TRUE);
  g_autofree char *d = uuids_of (change->demoted, TRUE);

  g_assert_cmpstr (j, ==, joined);
  g_assert_cmpstr (l, ==, left);
  g_assert_cmpstr (p, ==, promoted);
  g_assert_cmpstr (d, ==, demoted);
  g_assert_cmpint (change->me_left, ==, me_left);
}

static void
test_first_reading (void)
{
  g_autoptr(PlannrRoster) roster = plannr_roster_new ();
  const char *all[] = { ME, BEN, CLARA, NULL };
  const char *admins[] = { BEN, NULL };
  g_autoptr(PlannrConversation) first = reading (all, admins, TRUE);
  PlannrRosterChange change;

  g_assert_false (plannr_roster_is_known (roster));
  plannr_roster_update (roster, first, ME, &change);
  /* Nothing to compare with: no change at all. */
  g_assert_null (change.joined);
  g_assert_null (change.left);
  g_assert_true (plannr_roster_is_known (roster));
  g_assert_cmpuint (plannr_roster_people (roster)->len, ==, 3);
  g_assert_true (plannr_roster_has (roster, CLARA));
  g_assert_true (plannr_roster_is_admin (roster, BEN));
  /* Mine from is_admin, in any case of the uuid. */
  g_assert_true (plannr_roster_is_admin (roster, "A0000000-0000-4000-8000-000000000001"));
  g_assert_false (plannr_roster_is_admin (roster, CLARA));
  plannr_roster_change_clear (&change);
}

static void
test_changes (void)
{
  g_autoptr(PlannrRoster) roster = plannr_roster_new ();
  const char *before[] = { ME, BEN, CLARA, NULL };
  const char *after[] = { ME, CLARA, DORA, NULL };
  const char *admins_before[] = { BEN, NULL };
  const char *admins_after[] = { CLARA, NULL };
  g_autoptr(PlannrConversation) first = reading (before, admins_before, TRUE);
  g_autoptr(PlannrConversation) second = reading (after, admins_after, FALSE);
  g_autoptr(PlannrConversation) third = reading (after, admins_after, FALSE);
  PlannrRosterChange change;

  plannr_roster_update (roster, first, ME, NULL);
  plannr_roster_update (roster, second, ME, &change);
  /* Dora came, Ben went, Clara became an admin and I stopped. */
  assert_change (&change, DORA, BEN, CLARA, ME, FALSE);
  plannr_roster_change_clear (&change);

  /* The same again: nothing, once said it is not said twice. */
  plannr_roster_update (roster, third, ME, &change);
  assert_change (&change, "", "", "", "", FALSE);
  plannr_roster_change_clear (&change);
}

static void
test_me_left (void)
{
  g_autoptr(PlannrRoster) roster = plannr_roster_new ();
  const char *before[] = { ME, BEN, NULL };
  const char *after[] = { BEN, NULL };
  g_autoptr(PlannrConversation) first = reading (before, NULL, FALSE);
  g_autoptr(PlannrConversation) second = reading (after, NULL, FALSE);
  PlannrRosterChange change;

  plannr_roster_update (roster, first, ME, NULL);
  plannr_roster_update (roster, second, ME, &change);
  /* Not among those who left: the user is said apart. */
  assert_change (&change, "", "", "", "", TRUE);
  plannr_roster_change_clear (&change);
}

/* Our own changes land before a reading that may not show them. */
static void
test_own_changes (void)
{
  g_autoptr(PlannrRoster) roster = plannr_roster_new ();
  const char *all[] = { ME, BEN, CLARA, NULL };
  const char *gone[] = { ME, CLARA, NULL };
  g_autoptr(PlannrConversation) first = reading (all, NULL, TRUE);
  g_autoptr(PlannrConversation) later = reading (gone, NULL, TRUE);
  PlannrRosterChange change;

  plannr_roster_update (roster, first, ME, NULL);
  g_assert_true (plannr_roster_is_current (roster, 100));
  plannr_roster_remove (roster, BEN, 200);
  g_assert_false (plannr_roster_has (roster, BEN));
  /* A reading asked for before the removal landed is older. */
  g_assert_false (plannr_roster_is_current (roster, 150));
  g_assert_true (plannr_roster_is_current (roster, 200));

  /* The server's answer agrees: Ben's leaving is not found again. */
  plannr_roster_update (roster, later, ME, &change);
  assert_change (&change, "", "", "", "", FALSE);
  plannr_roster_change_clear (&change);

  plannr_roster_set_admin (roster, CLARA, TRUE, 300);
  g_assert_true (plannr_roster_is_admin (roster, CLARA));
  g_assert_false (plannr_roster_is_current (roster, 250));
  plannr_roster_set_admin (roster, CLARA, FALSE, 400);
  g_assert_false (plannr_roster_is_admin (roster, CLARA));
  plannr_roster_changed (roster, 500);
  g_assert_false (plannr_roster_is_current (roster, 450));
}

/* Participants by the name the chat shows them by. */
static void
test_labels (void)
{
  g_autoptr(PlannrRoster) roster = plannr_roster_new ();
  const char *all[] = { ME, BEN, CLARA, NULL };
  g_autoptr(PlannrConversation) first = reading (all, NULL, TRUE);
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();

  plannr_roster_update (roster, first, ME, NULL);
  g_hash_table_insert (labels, (gpointer) BEN, (gpointer) "Ben Client");
  g_hash_table_insert (labels, (gpointer) CLARA, (gpointer) "Clara Colleague");
  g_assert_cmpstr (plannr_roster_by_label (roster, labels, "Ben Client")->uuid, ==, BEN);
  g_assert_null (plannr_roster_by_label (roster, labels, "Ben"));
  g_assert_null (plannr_roster_by_label (roster, NULL, "Ben Client"));
  g_assert_cmpint (plannr_roster_find (roster, labels, "clara", matches), ==, PLANNR_LOOKUP_FOUND);
  g_assert_cmpstr (((PlannrPerson *) g_ptr_array_index (matches, 0))->uuid, ==, CLARA);
  g_assert_cmpint (plannr_roster_find (roster, labels, "Zed", NULL), ==, PLANNR_LOOKUP_NONE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/roster/first-reading", test_first_reading);
  g_test_add_func ("/roster/changes", test_changes);
  g_test_add_func ("/roster/me-left", test_me_left);
  g_test_add_func ("/roster/own-changes", test_own_changes);
  g_test_add_func ("/roster/labels", test_labels);

  return g_test_run ();
}
