/* bench-gen.c: a big Plannr account as seed data for the fake server
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   plannr-bench-gen --conversations N --messages M --output FILE
 *
 * One adviser (BENCH_ME, token BENCH_TOKEN) with N conversations, each
 * with three participants: the adviser, a client of their own and one
 * of BENCH_COLLEAGUES colleagues (who is its admin, the adviser too).
 * Each conversation has M messages by all three in turn, of a length
 * typical for a CRM (one or two sentences).  Conversation 0 is the
 * oldest, n - 1 the most recent; all of it happened during the last
 * day, one event per second, so whatever the buddy-list horizon is, the
 * whole account is recent.  The uuids follow bench-util.h, the text is
 * made with a fixed seed: two runs write the same file (but for the
 * times).
 *
 * It is a program of its own so that building the store (tens of MiB
 * for 10,000 conversations) never counts in a benchmark's memory.
 */
#include "plannr-fake.h"
#include "bench-util.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const first_names[] = {
  "Margaret", "David", "Helen", "Tom", "Aisha", "Robert", "Sofia", "James",
  "Priya", "George", "Olivia", "Samuel", "Grace", "Mohammed", "Charlotte",
  "Daniel", "Fatima", "William", "Chloe", "Arthur", "Isla", "Oliver", "Zara",
  "Henry", "Emily", "Jack", "Ruth", "Kwame", "Niamh", "Lucas", "Hannah",
};

static const char *const last_names[] = {
  "Ellison", "Carter", "Whitfield", "Okafor", "Natarajan", "Thompson",
  "Hughes", "Patel", "Morgan", "Kowalski", "Byrne", "Fraser", "Ahmed",
  "Campbell", "Reid", "Lindqvist", "Osei", "Murray", "Dubois", "Price",
  "Chen", "Walsh", "Ferreira", "Evans", "Singh", "Hall", "MacLeod",
};

static const char *const topics[] = {
  "Annual review", "Pension transfer", "ISA top-up", "Protection review",
  "Mortgage advice", "Retirement planning", "Inheritance tax planning",
  "Onboarding", "Investment switch", "Drawdown income", "Cashflow model",
  "Fact find", "Trust set-up", "Bond surrender", "Critical illness cover",
};

static const char *const openers[] = {
  "Thanks for sending this over.", "Just a quick update on the file.",
  "I have had a look at the figures.", "Following our call this morning,",
  "Could you confirm the details below?", "The provider came back to us today.",
  "Good news on the application.", "Sorry for the slow reply.",
  "As discussed at the meeting,", "A reminder about the outstanding items:",
};

static const char *const bodies[] = {
  "the valuation is attached and the fund switch went through on Tuesday",
  "we still need a signed copy of the letter of authority",
  "the illustration assumes contributions of 400 a month until age 67",
  "the transfer value is guaranteed until the end of next month",
  "please upload the last three payslips and a recent bank statement",
  "the risk questionnaire puts you at a balanced profile, as before",
  "the underwriter asked for a GP report, which can take a few weeks",
  "I have booked the review for the first week of next month",
  "the suitability report is ready for you to read through",
  "the platform fee drops once the two accounts are merged",
  "your partner's pension statement would help us complete the picture",
  "the tax year ends soon, so it would be good to use this year's allowance",
};

static const char *const closers[] = {
  "Let me know if anything is unclear.", "Speak soon.", "Thanks again.",
  "Happy to go through it on a call.", "No rush on this one.", "",
  "I will chase them again on Friday.", "Kind regards.",
};

static char *
person_name (guint i)
{
  return g_strdup_printf ("%s %s", first_names[i % G_N_ELEMENTS (first_names)],
                          last_names[(i / G_N_ELEMENTS (first_names) + i) % G_N_ELEMENTS (last_names)]);
}

/* Texts repeat, as they do; the reference at the end keeps every
 * message of the account distinct, so that a message shown twice can
 * be told from two messages that say the same. */
static char *
message_text (GRand *rand,
              guint  conversation,
              guint  index)
{
  const char *opener = openers[g_rand_int_range (rand, 0, G_N_ELEMENTS (openers))];
  const char *body = bodies[g_rand_int_range (rand, 0, G_N_ELEMENTS (bodies))];
  const char *closer = closers[g_rand_int_range (rand, 0, G_N_ELEMENTS (closers))];

  /* A third of the messages are two sentences long. */
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      const char *more = bodies[g_rand_int_range (rand, 0, G_N_ELEMENTS (bodies))];

      return g_strdup_printf ("%s %s, and %s. %s (ref %05u-%02u)", opener, body, more, closer,
                              conversation, index);
    }
  return g_strdup_printf ("%s %s. %s (ref %05u-%02u)", opener, body, closer, conversation, index);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- seed data for the benchmarks");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrFake) fake = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, -1);
  g_autofree char *iso = g_date_time_format_iso8601 (start);
  g_autofree char *output = NULL;
  g_autofree char *dump = NULL;
  int conversations = 100;
  int messages = 20;
  GOptionEntry entries[] = {
    { "conversations", 'n', 0, G_OPTION_ARG_INT, &conversations, "Conversations (default 100)", "N" },
    { "messages", 'm', 0, G_OPTION_ARG_INT, &messages, "Messages per conversation (default 20)", "M" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Seed file to write", "FILE" },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  /* One event per second during the last day. */
  if (output == NULL || conversations < 1 || messages < 0 ||
      (gint64) conversations * (messages + 1) > 80000)
    {
      g_printerr ("%s: need --output, 1 <= N and N * (M + 1) <= 80000\n", g_get_prgname ());
      return 2;
    }

  fake = plannr_fake_new ();
  plannr_fake_add_user (fake, BENCH_USER, BENCH_MY_NAME, "eleanor.hart@example.com", BENCH_TOKEN);
  plannr_fake_add_firm (fake, BENCH_FIRM, "Thompson Wealth");
  plannr_fake_add_account (fake, BENCH_ME, BENCH_USER, BENCH_FIRM, BENCH_MY_NAME, "employee");
  plannr_fake_set_preferred_account (fake, BENCH_USER, BENCH_ME);
  for (guint c = 0; c < BENCH_COLLEAGUES; c++)
    {
      g_autofree char *uuid = bench_colleague_uuid (c);
      g_autofree char *name = person_name (c * 7 + 3);

      plannr_fake_add_account (fake, uuid, NULL, BENCH_FIRM, name, "employee");
    }

  plannr_fake_set_time (fake, iso);
  for (guint i = 0; i < (guint) conversations; i++)
    {
      g_autofree char *uuid = bench_conversation_uuid (i);
      g_autofree char *client = bench_client_uuid (i);
      g_autofree char *colleague = bench_colleague_uuid (i);
      g_autofree char *client_name = person_name (i);
      g_autofree char *name = g_strdup_printf ("%s — %s", topics[i % G_N_ELEMENTS (topics)],
                                               client_name);
      g_autofree char *made = NULL;
      const char *participants[] = { BENCH_ME, client, colleague, NULL };
      const char *admins[] = { BENCH_ME, colleague, NULL };
      const char *authors[] = { client, BENCH_ME, colleague };

      plannr_fake_add_account (fake, client, NULL, BENCH_FIRM, client_name, "client");
      made = plannr_fake_add_conversation (fake, uuid, name, participants, admins);
      for (guint m = 0; m < (guint) messages; m++)
        {
          g_autofree char *text = message_text (rand, i, m);
          /* The client has the last word, as a new message would. */
          g_autofree char *message = plannr_fake_post_message (fake, uuid,
                                                               authors[(messages - 1 - m) % 3],
                                                               text);
        }
    }

  dump = plannr_fake_dump (fake);
  if (!g_file_set_contents (output, dump, -1, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  return EXIT_SUCCESS;
}
