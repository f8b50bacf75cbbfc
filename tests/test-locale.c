/* test-locale.c: the plugin speaks the user's language
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "plannr-harness.h"
#include "plannr-world.h"

static void
test_plugin_info (void)
{
  PurplePlugin *prpl = purple_find_prpl ("prpl-plannr");

  g_assert_nonnull (prpl);
  g_assert_cmpstr (prpl->info->summary, ==, "Unterhaltungen aus Plannr CRM als Chats");
}

static void
test_chat_line (void)
{
  g_autoptr(World) world = world_new (FALSE, 1);
  PurpleAccount *account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN,
                                                       world->base_url, WORLD_ME);
  PurpleConversation *conv;

  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_connected (account, 10000));
  plannr_harness_join_chat (account, WORLD_CONV);
  g_assert_true (plannr_harness_wait_chat (account, "Annual Review", 10000));
  conv = plannr_harness_find_chat (account, "Annual Review");
  plannr_harness_send_chat (conv, "   ");
  g_assert_true (plannr_harness_wait_line ("Leere Nachrichten werden nicht gesendet.", 5000));

  plannr_harness_disconnect (account);
  purple_accounts_delete (account);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* German through LANGUAGE; C.UTF-8 is a locale every Debian has, and
   * gettext honours LANGUAGE with it (not with plain "C"). */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (setlocale (LC_ALL, "") == NULL)
    {
      g_test_skip ("the C.UTF-8 locale is not available, so gettext cannot be tested");
      return g_test_run ();
    }
  plannr_harness_init ();
  g_test_add_func ("/locale/plugin-info", test_plugin_info);
  g_test_add_func ("/locale/chat-line", test_chat_line);
  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
