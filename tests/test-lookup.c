/* test-lookup.c: unit tests of plannr_lookup_match, who a name means
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Inviting, removing and starting a conversation act on the one person
 * a typed name or e-mail address means.  Getting this wrong adds or
 * removes the wrong person, so every rule is a table row: the people
 * the search found, what was typed, and who (or how many) it must mean.
 */

#include "config.h"

#include "plannr-lookup.h"

static PlannrPerson *
person (const char *uuid,
        const char *name,
        const char *email)
{
  PlannrPerson *p = g_new0 (PlannrPerson, 1);

  p->uuid = g_strdup (uuid);
  p->name = g_strdup (name);
  p->email = g_strdup (email);
  return p;
}

/* David and Helen Carter, Clara, José (decomposed), two Sam Smiths,
 * and someone without an e-mail address. */
static GPtrArray *
people (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);

  g_ptr_array_add (list, person ("u-david", "David Carter", "david.carter@example.com"));
  g_ptr_array_add (list, person ("u-helen", "Helen Carter", "helen.carter@example.com"));
  g_ptr_array_add (list, person ("u-clara", "Clara Colleague", "Clara@Example.com"));
  g_ptr_array_add (list, person ("u-jose", "Jose\xcc\x81 Nu\xc3\xb1\x65z", "jose@example.com"));
  g_ptr_array_add (list, person ("u-sam1", "Sam Smith", "sam.smith@example.com"));
  g_ptr_array_add (list, person ("u-sam2", "Sam Smith", "s.smith@example.org"));
  g_ptr_array_add (list, person ("u-noemail", "Nobody Mailless", NULL));
  return list;
}

typedef struct
{
  const char         *query;
  PlannrLookupResult  result;
  const char         *uuids;   /* who it means, comma separated, in order */
} MatchCase;

static char *
joined_uuids (GPtrArray *matches)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < matches->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "",
                            ((PlannrPerson *) g_ptr_array_index (matches, i))->uuid);
  return g_string_free (text, FALSE);
}

static void
run_cases (const MatchCase *cases,
           guint            n,
           GPtrArray       *labels)
{
  g_autoptr(GPtrArray) list = people ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) matches = g_ptr_array_new ();
      PlannrLookupResult result = plannr_lookup_match (list, labels, cases[i].query, matches);
      g_autofree char *uuids = joined_uuids (matches);

      g_test_message ("%s", cases[i].query ? cases[i].query : "(null)");
      g_assert_cmpint (result, ==, cases[i].result);
      g_assert_cmpstr (uuids, ==, cases[i].uuids);
    }
}

static void
test_match_email (void)
{
  static const MatchCase cases[] = {
    { "david.carter@example.com", PLANNR_LOOKUP_FOUND, "u-david" },
    /* Addresses in any case, and trimmed. */
    { "  HELEN.CARTER@EXAMPLE.COM ", PLANNR_LOOKUP_FOUND, "u-helen" },
    { "clara@example.com", PLANNR_LOOKUP_FOUND, "u-clara" },
    /* An address means that address only, never a part of one. */
    { "carter@example.com", PLANNR_LOOKUP_NONE, "" },
    { "smith@example.com", PLANNR_LOOKUP_NONE, "" },
    { "nobody@example.com", PLANNR_LOOKUP_NONE, "" },
  };

  run_cases (cases, G_N_ELEMENTS (cases), NULL);
}

static void
test_match_name (void)
{
  static const MatchCase cases[] = {
    /* The whole name, in any case. */
    { "David Carter", PLANNR_LOOKUP_FOUND, "u-david" },
    { "helen carter", PLANNR_LOOKUP_FOUND, "u-helen" },
    /* A part that only one name has. */
    { "Clara", PLANNR_LOOKUP_FOUND, "u-clara" },
    { "helen", PLANNR_LOOKUP_FOUND, "u-helen" },
    /* A part that several have: ambiguous, all of them named. */
    { "Carter", PLANNR_LOOKUP_AMBIGUOUS, "u-david,u-helen" },
    { "a", PLANNR_LOOKUP_AMBIGUOUS, "u-david,u-helen,u-clara,u-sam1,u-sam2,u-noemail" },
    /* Two people with the very same name: no way to choose. */
    { "Sam Smith", PLANNR_LOOKUP_AMBIGUOUS, "u-sam1,u-sam2" },
    /* Another Unicode form of the same name (precomposed é). */
    { "Jos\xc3\xa9 Nu\xc3\xb1\x65z", PLANNR_LOOKUP_FOUND, "u-jose" },
    { "Zed", PLANNR_LOOKUP_NONE, "" },
    { "", PLANNR_LOOKUP_NONE, "" },
    { "   ", PLANNR_LOOKUP_NONE, "" },
    { NULL, PLANNR_LOOKUP_NONE, "" },
  };

  run_cases (cases, G_N_ELEMENTS (cases), NULL);
}

/* An exact name wins over people whose names only contain it. */
static void
test_match_exact_wins (void)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();

  g_ptr_array_add (list, person ("u-ann", "Ann Lee", NULL));
  g_ptr_array_add (list, person ("u-anne", "Ann Leeson", NULL));
  g_ptr_array_add (list, person ("u-joann", "Joann Lee", NULL));
  g_assert_cmpint (plannr_lookup_match (list, NULL, "ann lee", matches), ==, PLANNR_LOOKUP_FOUND);
  g_assert_cmpuint (matches->len, ==, 1);
  g_assert_cmpstr (((PlannrPerson *) g_ptr_array_index (matches, 0))->uuid, ==, "u-ann");
}

/* Chat user names (a participant told apart by e-mail) count as names. */
static void
test_match_labels (void)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  static const MatchCase cases[] = {
    { "Sam Smith (s.smith@example.org)", PLANNR_LOOKUP_FOUND, "u-sam2" },
    /* The plain name is still both of them. */
    { "Sam Smith", PLANNR_LOOKUP_AMBIGUOUS, "u-sam1,u-sam2" },
    { "Dave", PLANNR_LOOKUP_FOUND, "u-david" },
  };

  g_ptr_array_add (labels, "Dave");
  g_ptr_array_add (labels, NULL);
  g_ptr_array_add (labels, NULL);
  g_ptr_array_add (labels, NULL);
  g_ptr_array_add (labels, "Sam Smith");
  g_ptr_array_add (labels, "Sam Smith (s.smith@example.org)");
  g_ptr_array_add (labels, NULL);
  run_cases (cases, G_N_ELEMENTS (cases), labels);
}

static void
test_match_empty (void)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  g_assert_cmpint (plannr_lookup_match (none, NULL, "Clara", NULL), ==, PLANNR_LOOKUP_NONE);
  g_assert_cmpint (plannr_lookup_match (NULL, NULL, "Clara", NULL), ==, PLANNR_LOOKUP_NONE);
}

static void
test_is_email (void)
{
  g_assert_true (plannr_lookup_is_email ("a@b"));
  g_assert_true (plannr_lookup_is_email ("helen.carter@example.com"));
  g_assert_false (plannr_lookup_is_email ("Helen Carter"));
  g_assert_false (plannr_lookup_is_email ("@example.com"));
  g_assert_false (plannr_lookup_is_email ("helen@"));
  g_assert_false (plannr_lookup_is_email ("a@b@c"));
  g_assert_false (plannr_lookup_is_email ("helen carter@example.com"));
  g_assert_false (plannr_lookup_is_email (NULL));
}

static void
test_describe (void)
{
  g_autoptr(GPtrArray) list = people ();
  g_autoptr(GPtrArray) some = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;

  g_ptr_array_add (some, g_ptr_array_index (list, 0));
  g_ptr_array_add (some, g_ptr_array_index (list, 6));
  text = plannr_lookup_describe (some);
  g_assert_cmpstr (text, ==, "David Carter <david.carter@example.com>, Nobody Mailless");
  empty = plannr_lookup_describe (NULL);
  g_assert_cmpstr (empty, ==, "");
}

/* Employees, then clients; someone both searches found, once. */
static void
test_merge (void)
{
  g_autoptr(GPtrArray) list = people ();
  g_autoptr(GPtrArray) first = g_ptr_array_new ();
  g_autoptr(GPtrArray) second = g_ptr_array_new ();
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *uuids = NULL;

  g_ptr_array_add (first, g_ptr_array_index (list, 2));
  g_ptr_array_add (first, g_ptr_array_index (list, 0));
  g_ptr_array_add (second, g_ptr_array_index (list, 0));
  g_ptr_array_add (second, g_ptr_array_index (list, 1));
  merged = plannr_lookup_merge (first, second);
  uuids = joined_uuids (merged);
  g_assert_cmpstr (uuids, ==, "u-clara,u-david,u-helen");
  /* Copies: the lists may go. */
  g_assert_true (g_ptr_array_index (merged, 0) != g_ptr_array_index (list, 2));
  none = plannr_lookup_merge (NULL, NULL);
  g_assert_cmpuint (none->len, ==, 0);
}

/* What the user is told when a name does not say whom. */
static void
test_explain (void)
{
  g_autoptr(GPtrArray) list = people ();
  PlannrLookup lookup = { (char *) "Carter", PLANNR_LOOKUP_AMBIGUOUS, NULL, NULL };
  g_autofree char *ambiguous = NULL;
  g_autofree char *nobody = NULL;
  g_autofree char *address = NULL;

  lookup.candidates = g_ptr_array_new ();
  g_ptr_array_add (lookup.candidates, g_ptr_array_index (list, 0));
  g_ptr_array_add (lookup.candidates, g_ptr_array_index (list, 1));
  ambiguous = plannr_lookup_explain (&lookup);
  g_assert_cmpstr (ambiguous, ==, "“Carter” could mean several people: David Carter <david.carter@example.com>, "
                   "Helen Carter <helen.carter@example.com>. Give the e-mail address.");
  g_ptr_array_unref (lookup.candidates);
  lookup.candidates = NULL;

  lookup.result = PLANNR_LOOKUP_NONE;
  lookup.query = (char *) "Zed";
  nobody = plannr_lookup_explain (&lookup);
  g_assert_cmpstr (nobody, ==, "No employee or client called “Zed” was found.");
  lookup.query = (char *) "zed@example.com";
  address = plannr_lookup_explain (&lookup);
  g_assert_cmpstr (address, ==, "No employee has the e-mail address “zed@example.com”. Clients are found by name.");
  lookup.result = PLANNR_LOOKUP_FOUND;
  g_assert_null (plannr_lookup_explain (&lookup));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lookup/match/email", test_match_email);
  g_test_add_func ("/lookup/match/name", test_match_name);
  g_test_add_func ("/lookup/match/exact-wins", test_match_exact_wins);
  g_test_add_func ("/lookup/match/labels", test_match_labels);
  g_test_add_func ("/lookup/match/empty", test_match_empty);
  g_test_add_func ("/lookup/is-email", test_is_email);
  g_test_add_func ("/lookup/describe", test_describe);
  g_test_add_func ("/lookup/merge", test_merge);
  g_test_add_func ("/lookup/explain", test_explain);

  return g_test_run ();
}
