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
  g_assert_cmpstr (world_prpl ()->info->summary, ==, "Unterhaltungen aus Plannr CRM als Chats");
}

static void
test_chat_line (WorldFixture  *fx,
                gconstpointer  data)
{
  PurpleConversation *conv = world_open_chat (fx, "Message 1 from Ben");

  plannr_harness_send_chat (conv, "   ");
  g_assert_true (plannr_harness_wait_line ("Leere Nachrichten werden nicht gesendet.", 5000));
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
  WORLD_TEST_ADD ("/locale/chat-line", test_chat_line, 1);
  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
