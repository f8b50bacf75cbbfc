/* test-signin.c: signing in to Plannr in headless libpurple
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "plannr-harness.h"
#include "plannr-world.h"

static void
test_signin_good_token (void)
{
  g_autoptr(World) world = world_new (FALSE, 0);
  PurpleAccount *account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN,
                                                       world->base_url, WORLD_ME);
  const PlannrFakeRequest *me;
  PurpleConnection *pc;

  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_connected (account, WORLD_WAIT_MS));

  pc = purple_account_get_connection (account);
  g_assert_cmpstr (purple_connection_get_display_name (pc), ==, "Ada Adviser");

  me = plannr_fake_last_request (world->fake, "GET", "/api/v1/me");
  g_assert_nonnull (me);
  g_assert_cmpstr (soup_message_headers_get_one (me->headers, "Authorization"), ==,
                   "Bearer " WORLD_TOKEN);
  g_assert_cmpstr (soup_message_headers_get_one (me->headers, "Accept"), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (me->headers, "X-PLANNR-ACCOUNT-UUID"), ==, WORLD_ME);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (me->headers, "User-Agent"),
                                   "purple-plannr/"));
  /* The uuid was set: no need to ask which accounts there are. */
  g_assert_cmpuint (plannr_fake_count_requests (world->fake, "GET", "/api/v1/logins"), ==, 0);

  plannr_harness_account_delete (account);
}

static void
test_signin_bad_token (void)
{
  g_autoptr(World) world = world_new (FALSE, 0);
  PurpleAccount *account = plannr_harness_account_new ("ada@example.com", "wrong-token",
                                                       world->base_url, WORLD_ME);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  plannr_harness_clear_errors ();
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_error (account, WORLD_WAIT_MS, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (description, "token"));
  /* Fatal errors make the client stop, not retry in a loop. */
  g_assert_true (purple_connection_error_is_fatal (reason));

  plannr_harness_account_delete (account);
}

static void
test_signin_one_account_saved (void)
{
  g_autoptr(World) world = world_new (FALSE, 0);
  PurpleAccount *account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN,
                                                       world->base_url, NULL);

  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_connected (account, WORLD_WAIT_MS));
  g_assert_cmpstr (purple_account_get_string (account, "account-uuid", ""), ==, WORLD_ME);
  g_assert_cmpuint (plannr_fake_count_requests (world->fake, "GET", "/api/v1/logins"), ==, 1);
  /* Later requests act as that account. */
  g_assert_cmpstr (soup_message_headers_get_one (plannr_fake_last_request (world->fake, "GET", "/api/v1/me")->headers,
                                                 "X-PLANNR-ACCOUNT-UUID"), ==, WORLD_ME);

  plannr_harness_account_delete (account);
}

static void
test_signin_choice_saved (void)
{
  g_autoptr(World) world = world_new (TRUE, 0);
  PurpleAccount *account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN,
                                                       world->base_url, NULL);
  PlannrHarnessRequest *req;
  PurpleRequestField *field;
  GList *labels;
  int second = -1;
  int i = 0;

  plannr_harness_connect (account);
  req = plannr_harness_wait_request (WORLD_WAIT_MS);
  g_assert_nonnull (req);
  g_assert_cmpint (req->type, ==, PLANNR_HARNESS_REQUEST_FIELDS);
  field = purple_request_fields_get_field (req->fields, "account");
  g_assert_nonnull (field);
  labels = purple_request_field_choice_get_labels (field);
  g_assert_cmpuint (g_list_length (labels), ==, 2);
  for (GList *l = labels; l != NULL; l = l->next, i++)
    {
      if (g_strcmp0 (l->data, "Ada Adviser — Northgate Planning") == 0)
        second = i;
      else
        g_assert_cmpstr (l->data, ==, "Ada Adviser — Thompson Wealth");
    }
  g_assert_cmpint (second, >=, 0);
  g_assert_false (purple_account_is_connected (account));

  purple_request_field_choice_set_value (field, second);
  plannr_harness_answer_fields (req);
  g_assert_true (plannr_harness_wait_connected (account, WORLD_WAIT_MS));
  g_assert_cmpstr (purple_account_get_string (account, "account-uuid", ""), ==, WORLD_ME2);

  plannr_harness_account_delete (account);
}

static void
test_signin_preferred (void)
{
  g_autoptr(World) world = world_new (TRUE, 0);
  PurpleAccount *account;

  plannr_fake_set_preferred_account (world->fake, WORLD_USER, WORLD_ME2);
  account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN, world->base_url, NULL);
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_connected (account, WORLD_WAIT_MS));
  g_assert_cmpstr (purple_account_get_string (account, "account-uuid", ""), ==, WORLD_ME2);
  g_assert_cmpuint (plannr_harness_count_requests (), ==, 0);

  plannr_harness_account_delete (account);
}

static void
test_signin_server_down (void)
{
  g_autoptr(World) world = world_new (FALSE, 0);
  g_autofree char *url = g_strdup (world->base_url);
  PurpleAccount *account;
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  /* Nothing listens there any more. */
  g_clear_pointer (&world->fake, plannr_fake_free);
  world->fake = plannr_fake_new ();

  account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN, url, WORLD_ME);
  plannr_harness_clear_errors ();
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_error (account, 20000, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
  g_assert_false (purple_connection_error_is_fatal (reason));
  g_assert_nonnull (strstr (description, "Could not reach"));

  plannr_harness_account_delete (account);
}

static void
test_signin_plain_http_refused (void)
{
  g_autoptr(World) world = world_new (FALSE, 0);
  PurpleAccount *account;
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;
  g_autofree char *url = NULL;
  guint port = 0;

  /* The fake's own port, on a name that is not a loopback address. */
  g_assert_cmpint (sscanf (world->base_url, "http://127.0.0.1:%u", &port), ==, 1);
  url = g_strdup_printf ("http://plannr.example.com:%u", port);
  account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN, url, WORLD_ME);
  plannr_harness_clear_errors ();
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_error (account, WORLD_WAIT_MS, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (description, "https://"));
  g_assert_cmpuint (plannr_fake_get_requests (world->fake)->len, ==, 0);

  plannr_harness_account_delete (account);
}

static void
test_signin_malformed (void)
{
  g_autoptr(World) world = world_new (FALSE, 0);
  PurpleAccount *account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN,
                                                       world->base_url, WORLD_ME);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  plannr_fake_add_fault (world->fake, "GET", "/api/v1/me", PLANNR_FAKE_FAULT_MALFORMED, 0, -1);
  plannr_harness_clear_errors ();
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_error (account, 20000, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
  g_assert_nonnull (strstr (description, "could not be read"));

  plannr_harness_account_delete (account);
}

static void
redirect_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  guint *count = user_data;

  (*count)++;
  soup_server_message_set_redirect (msg, 302, "https://app.plannrcrm.com/login");
}

/* The server address points at something that redirects (the web app,
 * or http where the API wants https): the plugin neither follows it
 * with the token nor retries; the account says why and which setting. */
static void
test_signin_redirect (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  PurpleAccount *account;
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;
  GSList *uris;
  guint count = 0;

  soup_server_add_handler (server, NULL, redirect_cb, &count, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  account = plannr_harness_account_new ("redirected@example.com", WORLD_TOKEN, base_url, WORLD_ME);
  plannr_harness_clear_errors ();
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_error (account, WORLD_WAIT_MS, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (description, "https://app.plannrcrm.com/login"));
  g_assert_nonnull (strstr (description, "server address"));
  g_assert_cmpuint (count, ==, 1);

  plannr_harness_account_delete (account);
}

/* A token of spaces is no token: said so, nothing sent. */
static void
test_signin_blank_token (void)
{
  g_autoptr(World) world = world_new (FALSE, 0);
  PurpleAccount *account = plannr_harness_account_new ("blank@example.com", " \n",
                                                       world->base_url, WORLD_ME);
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  plannr_harness_clear_errors ();
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_error (account, WORLD_WAIT_MS, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
  g_assert_nonnull (strstr (description, "token"));
  g_assert_cmpuint (plannr_fake_get_requests (world->fake)->len, ==, 0);

  plannr_harness_account_delete (account);
}

/* A stand-in HTTP proxy: remembers what it was asked for, says 401. */
static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  GPtrArray *seen = user_data;
  static const char body[] = "{\"message\": \"Unauthenticated.\"}";

  g_ptr_array_add (seen, g_uri_to_string (soup_server_message_get_uri (msg)));
  soup_server_message_set_status (msg, 401, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
test_signin_proxy (void)
{
  g_autoptr(SoupServer) proxy = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint port;
  PurpleAccount *account;
  PurpleProxyInfo *info;
  PurpleConnectionError reason = 0;
  g_autofree char *description = NULL;

  soup_server_add_handler (proxy, NULL, proxy_cb, seen, NULL);
  g_assert_true (soup_server_listen_local (proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (proxy);
  port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* Nothing listens at the base URL: only the proxy can answer. */
  account = plannr_harness_account_new ("ada@example.com", WORLD_TOKEN, "http://127.0.0.1:9", WORLD_ME);
  info = purple_proxy_info_new ();
  purple_proxy_info_set_type (info, PURPLE_PROXY_HTTP);
  purple_proxy_info_set_host (info, "127.0.0.1");
  purple_proxy_info_set_port (info, (int) port);
  purple_account_set_proxy_info (account, info);

  plannr_harness_clear_errors ();
  plannr_harness_connect (account);
  g_assert_true (plannr_harness_wait_error (account, WORLD_WAIT_MS, &reason, &description));
  g_assert_cmpint (reason, ==, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpuint (seen->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "http://127.0.0.1:9/api/v1/me");

  plannr_harness_account_delete (account);
  soup_server_disconnect (proxy);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  plannr_harness_init ();

  g_test_add_func ("/signin/good-token", test_signin_good_token);
  g_test_add_func ("/signin/bad-token", test_signin_bad_token);
  g_test_add_func ("/signin/one-account-saved", test_signin_one_account_saved);
  g_test_add_func ("/signin/choice-saved", test_signin_choice_saved);
  g_test_add_func ("/signin/preferred", test_signin_preferred);
  g_test_add_func ("/signin/server-down", test_signin_server_down);
  g_test_add_func ("/signin/plain-http-refused", test_signin_plain_http_refused);
  g_test_add_func ("/signin/malformed", test_signin_malformed);
  g_test_add_func ("/signin/proxy", test_signin_proxy);
  g_test_add_func ("/signin/redirect", test_signin_redirect);
  g_test_add_func ("/signin/blank-token", test_signin_blank_token);

  ret = g_test_run ();
  plannr_harness_shutdown ();
  return ret;
}
