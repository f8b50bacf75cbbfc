/* test-soak.c: a flaky server and a busy conversation, for a while
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * For a bounded time the fake answers some requests with 5xx, drops,
 * delays and 429s, while other participants post, edit and rename and
 * the user sends.  Afterwards: every message was shown exactly once,
 * every edit and rename was shown, and every message the user sent is on
 * the server exactly once.  PLANNR_SOAK_SECONDS sets the time (default 30).
 */
#include <string.h>

#include "plannr-harness.h"
#include "plannr-wait.h"
#include "plannr-world.h"

typedef struct
{
  WorldFixture   fx;
  GRand         *rand;
  GPtrArray     *posted;      /* char*: contents posted by others */
  GPtrArray     *posted_ids;  /* char*: their uuids */
  GPtrArray     *edits;       /* char*: new contents of edited messages */
  GHashTable    *edited;      /* posted index -> edit index, both + 1 */
  GPtrArray     *renames;     /* char*: names given */
  GPtrArray     *sent;        /* char*: what the user sent */
  guint          faults;
  guint          ticks;
  gint64         next_rename; /* monotonic µs */
} Soak;

static void
inject_fault (Soak *soak)
{
  static const char *methods[] = { "GET", "GET", "GET", "POST", "PUT" };
  const char *method = methods[g_rand_int_range (soak->rand, 0, G_N_ELEMENTS (methods))];
  PlannrFakeFaultKind kind;
  guint value = 0;

  switch (g_rand_int_range (soak->rand, 0, 6))
    {
    case 0:
      kind = PLANNR_FAKE_FAULT_STATUS;
      value = 500 + g_rand_int_range (soak->rand, 0, 4);
      break;
    case 1:
      kind = PLANNR_FAKE_FAULT_DROP;
      break;
    case 2:
      kind = PLANNR_FAKE_FAULT_DROP_AFTER;
      break;
    case 3:
      kind = PLANNR_FAKE_FAULT_DELAY;
      value = g_rand_int_range (soak->rand, 50, 600);
      break;
    case 4:
      kind = PLANNR_FAKE_FAULT_STATUS;
      value = 429;
      break;
    default:
      kind = PLANNR_FAKE_FAULT_STATUS;
      value = 503;
      break;
    }
  plannr_fake_add_fault (soak->fx.world->fake, method, NULL, kind, value, 1);
  soak->faults++;
}

static gboolean
tick_cb (gpointer user_data)
{
  Soak *soak = user_data;
  guint what = g_rand_int_range (soak->rand, 0, 10);

  soak->ticks++;
  if (g_rand_int_range (soak->rand, 0, 3) == 0)
    inject_fault (soak);

  if (what < 5)
    {
      /* Ben or Clara writes. */
      g_autofree char *text = g_strdup_printf ("soak message %u <&>", soak->posted->len + 1);
      char *uuid = plannr_fake_post_message (soak->fx.world->fake, WORLD_CONV,
                                             what % 2 ? WORLD_BEN : WORLD_CLARA, text);

      g_ptr_array_add (soak->posted, g_steal_pointer (&text));
      g_ptr_array_add (soak->posted_ids, uuid);
    }
  else if (what < 7 && soak->posted_ids->len > soak->edits->len + 3)
    {
      /* Someone edits one of the recent messages, each at most once. */
      guint index = soak->edits->len + 3 > soak->posted_ids->len ? 0 : soak->posted_ids->len - 2;
      const char *uuid = g_ptr_array_index (soak->posted_ids, index);
      char *text = g_strdup_printf ("soak edit %u", soak->edits->len + 1);

      if (plannr_fake_get_message_contents (soak->fx.world->fake, uuid) != NULL &&
          !g_str_has_prefix (plannr_fake_get_message_contents (soak->fx.world->fake, uuid), "soak edit"))
        {
          plannr_fake_edit_message (soak->fx.world->fake, WORLD_CONV, uuid, text);
          g_ptr_array_add (soak->edits, text);
          g_hash_table_insert (soak->edited, GUINT_TO_POINTER (index + 1),
                               GUINT_TO_POINTER (soak->edits->len));
        }
      else
        g_free (text);
    }
  else if (what < 9)
    {
      /* The user sends. */
      g_autofree char *text = g_strdup_printf ("my soak message %u", soak->sent->len + 1);

      plannr_harness_send_chat (soak->fx.conv, text);
      g_ptr_array_add (soak->sent, g_steal_pointer (&text));
    }
  else if (g_get_monotonic_time () >= soak->next_rename)
    {
      /* Renames far enough apart for every one to be seen. */
      char *name = g_strdup_printf ("Soak review %u", soak->renames->len + 1);

      plannr_fake_rename_conversation (soak->fx.world->fake, WORLD_CONV, name);
      g_ptr_array_add (soak->renames, name);
      soak->next_rename = g_get_monotonic_time () + 4 * G_USEC_PER_SEC;
    }
  return G_SOURCE_CONTINUE;
}

static guint
count_exact (const char *html)
{
  GPtrArray *lines = plannr_harness_get_lines ();
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    if (g_strcmp0 (((PlannrHarnessLine *) g_ptr_array_index (lines, i))->message, html) == 0)
      n++;
  return n;
}

static guint
count_announced (const char *edit_text)
{
  g_autofree char *needle = g_strdup_printf (": %s", edit_text);
  GPtrArray *lines = plannr_harness_get_lines ();
  guint announced = 0;

  for (guint j = 0; j < lines->len; j++)
    {
      const char *message = ((PlannrHarnessLine *) g_ptr_array_index (lines, j))->message;
      const char *at = strstr (message, needle);

      /* "soak edit 1" must not match "soak edit 12". */
      if (strstr (message, "edited their message") != NULL && at != NULL &&
          (at[strlen (needle)] == '\0' || at[strlen (needle)] == ' '))
        announced++;
    }
  return announced;
}

static guint
count_failed (const char *text)
{
  g_autofree char *failed = g_strdup_printf ("): %s", text);
  GPtrArray *lines = plannr_harness_get_lines ();
  guint failures = 0;

  for (guint j = 0; j < lines->len; j++)
    {
      const char *message = ((PlannrHarnessLine *) g_ptr_array_index (lines, j))->message;

      if (strstr (message, "was not sent") != NULL && g_str_has_suffix (message, failed))
        failures++;
    }
  return failures;
}

static const char *
edit_of (Soak  *soak,
         guint  posted)
{
  guint edit = GPOINTER_TO_UINT (g_hash_table_lookup (soak->edited, GUINT_TO_POINTER (posted + 1)));

  return edit > 0 ? g_ptr_array_index (soak->edits, edit - 1) : NULL;
}

/* Everything has come through: each message of others shown (and its
 * edit announced when it was shown before it), each of mine on the
 * server and shown, or said not sent, and the last name in the title.
 * How often is checked afterwards. */
static gboolean
settled_cb (gpointer user_data)
{
  Soak *soak = user_data;

  for (guint i = 0; i < soak->posted->len; i++)
    {
      g_autofree char *html = g_markup_escape_text (g_ptr_array_index (soak->posted, i), -1);
      const char *edit_text = edit_of (soak, i);

      if (count_exact (html) + (edit_text ? count_exact (edit_text) : 0) == 0)
        return FALSE;
      if (edit_text != NULL && count_exact (html) > 0 && count_announced (edit_text) == 0)
        return FALSE;
    }
  for (guint i = 0; i < soak->sent->len; i++)
    {
      const char *text = g_ptr_array_index (soak->sent, i);

      if (count_exact (text) == 0 && count_failed (text) == 0)
        return FALSE;
    }
  return soak->renames->len == 0 ||
         g_strcmp0 (purple_conversation_get_title (soak->fx.conv),
                    g_ptr_array_index (soak->renames, soak->renames->len - 1)) == 0;
}

static void
test_soak (void)
{
  Soak soak = { 0 };
  guint seconds = 30;
  guint tick;
  guint requests;
  guint calm_from;
  gint64 calm;
  const char *env = g_getenv ("PLANNR_SOAK_SECONDS");

  if (env != NULL)
    seconds = (guint) g_ascii_strtoull (env, NULL, 10);

  world_fixture_setup (&soak.fx, GUINT_TO_POINTER (3));
  soak.rand = g_rand_new_with_seed (20261121);
  soak.posted = g_ptr_array_new_with_free_func (g_free);
  soak.posted_ids = g_ptr_array_new_with_free_func (g_free);
  soak.edits = g_ptr_array_new_with_free_func (g_free);
  soak.edited = g_hash_table_new (g_direct_hash, g_direct_equal);
  soak.renames = g_ptr_array_new_with_free_func (g_free);
  soak.sent = g_ptr_array_new_with_free_func (g_free);

  world_open_chat (&soak.fx, "Message 3 from Ben");
  plannr_harness_clear_lines ();
  plannr_fake_clear_requests (soak.fx.world->fake);

  tick = g_timeout_add (150, tick_cb, &soak);
  plannr_wait_for_ms (seconds * 1000);
  g_source_remove (tick);

  /* Calm: every retry, verification and poll finishes.  Backed off by
   * the faults, and slowed by the sanitizers beside other tests, that
   * may take a while: the time it took is in the log.  Then a little
   * longer, for anything shown twice. */
  plannr_fake_clear_faults (soak.fx.world->fake);
  calm_from = plannr_fake_get_requests (soak.fx.world->fake)->len;
  calm = g_get_monotonic_time ();
  if (!plannr_wait_until (settled_cb, &soak, 30000))
    world_print_requests (soak.fx.world->fake, calm_from, "calm request");
  g_test_message ("soak: settled %.1f s after the faults stopped",
                  (g_get_monotonic_time () - calm) / (double) G_USEC_PER_SEC);
  plannr_wait_for_ms (2000);
  g_assert_true (purple_account_is_connected (soak.fx.account));

  requests = plannr_fake_get_requests (soak.fx.world->fake)->len;
  g_test_message ("soak: %u s, %u ticks, %u requests, %u faults injected, %u posted, %u edits, "
                  "%u renames, %u sent", seconds, soak.ticks, requests, soak.faults,
                  soak.posted->len, soak.edits->len, soak.renames->len, soak.sent->len);

  /* Others' messages: each shown exactly once, with the text it had when
   * the plugin first saw it; an edit seen after that is announced once. */
  for (guint i = 0; i < soak.posted->len; i++)
    {
      g_autofree char *html = g_markup_escape_text (g_ptr_array_index (soak.posted, i), -1);
      const char *edit_text = edit_of (&soak, i);
      guint shown = count_exact (html) + (edit_text ? count_exact (edit_text) : 0);
      guint announced;

      if (shown != 1)
        g_error ("“%s” shown %u times", html, shown);
      if (edit_text == NULL)
        continue;
      announced = count_announced (edit_text);
      /* Shown before the edit: announced once; shown edited: not at all. */
      if (announced != (guint) count_exact (html))
        g_error ("edit “%s” announced %u times", edit_text, announced);
    }
  /* Every rename shown. */
  for (guint i = 0; i < soak.renames->len; i++)
    {
      g_autofree char *line = g_strdup_printf ("The conversation was renamed to %s",
                                               (char *) g_ptr_array_index (soak.renames, i));

      g_assert_cmpuint (plannr_harness_count_lines (line), >=, 1);
    }
  if (soak.renames->len > 0)
    g_assert_cmpstr (purple_conversation_get_title (soak.fx.conv), ==,
                     g_ptr_array_index (soak.renames, soak.renames->len - 1));
  /* Mine: on the server exactly once, shown once, or said not sent. */
  for (guint i = 0; i < soak.sent->len; i++)
    {
      const char *text = g_ptr_array_index (soak.sent, i);
      guint on_server = plannr_fake_count_messages_with (soak.fx.world->fake, WORLD_CONV, text);
      guint failures = count_failed (text);

      if (on_server > 1)
        g_error ("“%s” is on the server %u times", text, on_server);
      if (on_server == 0 && failures == 0)
        g_error ("“%s” was lost without a word", text);
      if (on_server == 1)
        g_assert_cmpuint (count_exact (text), ==, 1);
    }
  g_assert_cmpuint (soak.posted->len, >, 20);
  g_assert_cmpuint (soak.sent->len, >, 10);
  g_assert_cmpuint (soak.faults, >, 10);

  g_ptr_array_unref (soak.posted);
  g_ptr_array_unref (soak.posted_ids);
  g_ptr_array_unref (soak.edits);
  g_hash_table_unref (soak.edited);
  g_ptr_array_unref (soak.renames);
  g_ptr_array_unref (soak.sent);
  g_rand_free (soak.rand);
  world_fixture_teardown (&soak.fx, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_setenv ("PLANNR_RETRY_MS", "50", TRUE);
  g_setenv ("PLANNR_TIMEOUT_S", "5", TRUE);

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();
  g_test_add_func ("/soak/flaky-server", test_soak);
  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
