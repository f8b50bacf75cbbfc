/* plannr-connection.c: signing in, errors, and closing
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-connection.h"
#include "plannr-error.h"
#include "plannr-outbox.h"

struct _PlannrConnection
{
  PurpleConnection              *pc;
  PurpleAccount                 *account;
  PlannrApi                     *api;
  char                          *account_uuid;
  char                          *my_name;       /* the account's display name */
  PlannrConvList                *convs;
  PlannrPace                    *pace;

  const PlannrComponent * const *components;    /* NULL-terminated */
  gpointer                      *states;        /* one per component */
  gboolean                       stopped;

  gint64                         failing_since; /* monotonic µs of the first failure */
  guint                          outage_limit_s;
  guint                          verify_delay_ms;
  GPtrArray                     *choice;        /* account uuids offered at sign-in */
};

static void get_me (PlannrConnection *conn);

PlannrConnection *
plannr_connection_get (PurpleConnection *pc)
{
  PurplePlugin *prpl;

  if (pc == NULL)
    return NULL;
  prpl = purple_connection_get_prpl (pc);
  if (prpl == NULL || g_strcmp0 (purple_plugin_get_id (prpl), PLANNR_PROTOCOL_ID) != 0)
    return NULL;
  return purple_connection_get_protocol_data (pc);
}

PlannrConnection *
plannr_connection_for_account (PurpleAccount *account)
{
  PurpleConnection *pc = account ? purple_account_get_connection (account) : NULL;

  if (pc == NULL || !PURPLE_CONNECTION_IS_CONNECTED (pc))
    return NULL;
  return plannr_connection_get (pc);
}

gpointer
plannr_connection_get_state (PlannrConnection      *conn,
                             const PlannrComponent *component)
{
  /* None when the settings stopped the login before any was made. */
  if (conn->states == NULL)
    return NULL;
  for (guint i = 0; conn->components[i] != NULL; i++)
    if (conn->components[i] == component)
      return conn->states[i];
  g_return_val_if_reached (NULL);
}

PurpleConnection *
plannr_connection_get_pc (PlannrConnection *conn)
{
  return conn->pc;
}

PurpleAccount *
plannr_connection_get_account (PlannrConnection *conn)
{
  return conn->account;
}

PlannrApi *
plannr_connection_get_api (PlannrConnection *conn)
{
  return conn->api;
}

PlannrConvList *
plannr_connection_get_convs (PlannrConnection *conn)
{
  return conn->convs;
}

PlannrPace *
plannr_connection_get_pace (PlannrConnection *conn)
{
  return conn->pace;
}

void
plannr_connection_presence_changed (PlannrConnection *conn)
{
  PurplePresence *presence = purple_account_get_presence (conn->account);

  /* Idle (no input for a while, as libpurple measures it) or a status
   * other than available (away): nobody is looking. */
  plannr_pace_set_idle (conn->pace, purple_presence_is_idle (presence) ||
                                    !purple_presence_is_available (presence));
}

void
plannr_connection_user_active (PlannrConnection *conn)
{
  plannr_pace_set_idle (conn->pace, FALSE);
}

const char *
plannr_connection_get_account_uuid (PlannrConnection *conn)
{
  return conn->account_uuid;
}

const char *
plannr_connection_get_my_name (PlannrConnection *conn)
{
  return conn->my_name;
}

gboolean
plannr_connection_is_me (PlannrConnection *conn,
                         const char       *account_uuid)
{
  return account_uuid != NULL && conn->account_uuid != NULL &&
         g_ascii_strcasecmp (account_uuid, conn->account_uuid) == 0;
}

guint
plannr_connection_get_verify_delay (PlannrConnection *conn)
{
  return conn->verify_delay_ms;
}

int
plannr_connection_setting_int (PlannrConnection *conn,
                               const char       *key,
                               int               fallback,
                               int               min,
                               int               max)
{
  int value = purple_account_get_int (conn->account, key, fallback);

  return CLAMP (value, min, max);
}

/* --- components ------------------------------------------------------------ */

static void
create_components (PlannrConnection               *conn,
                   const PlannrComponent * const *components)
{
  guint n = 0;

  while (components[n] != NULL)
    n++;
  conn->components = components;
  conn->states = g_new0 (gpointer, n + 1);
  for (guint i = 0; i < n; i++)
    conn->states[i] = components[i]->create (conn);
}

static void
start_components (PlannrConnection *conn)
{
  for (guint i = 0; conn->components[i] != NULL; i++)
    if (conn->components[i]->start != NULL)
      conn->components[i]->start (conn->states[i]);
}

/* Once: after it, no component has a timer or starts a request. */
static void
stop_components (PlannrConnection *conn)
{
  guint n = 0;

  if (conn->stopped)
    return;
  conn->stopped = TRUE;
  while (conn->components[n] != NULL)
    n++;
  for (guint i = n; i > 0; i--)
    if (conn->components[i - 1]->stop != NULL)
      conn->components[i - 1]->stop (conn->states[i - 1]);
}

void
plannr_connection_fail (PlannrConnection *conn,
                        const GError     *error)
{
  PurpleConnectionError reason;
  g_autofree char *message = NULL;

  if (plannr_error_is_cancelled (error))
    return;

  if (error->domain != PLANNR_ERROR)
    {
      reason = PURPLE_CONNECTION_ERROR_OTHER_ERROR;
      message = g_strdup (error->message);
    }
  else
    switch ((PlannrError) error->code)
      {
      case PLANNR_ERROR_UNAUTHORIZED:
        /* Fatal, so that the client does not retry with the same token. */
        reason = PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED;
        message = g_strdup (_("Plannr rejected the API token. Put a valid personal access "
                              "token or OAuth access token in the account's password field."));
        break;
      case PLANNR_ERROR_FORBIDDEN:
        reason = PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED;
        message = g_strdup_printf (_("Plannr refused access with this account (%s). "
                                     "Check the account uuid in the account settings."),
                                   error->message);
        break;
      case PLANNR_ERROR_CONFIG:
      case PLANNR_ERROR_REDIRECT:
        /* A redirect is not followed: most likely the server address
         * is not the API's (a web page, http instead of https). */
        reason = PURPLE_CONNECTION_ERROR_INVALID_SETTINGS;
        message = g_strdup (error->message);
        break;
      case PLANNR_ERROR_TLS:
        reason = PURPLE_CONNECTION_ERROR_CERT_OTHER_ERROR;
        message = g_strdup_printf (_("The connection to Plannr is not secure: %s"), error->message);
        break;
      case PLANNR_ERROR_MALFORMED:
        reason = PURPLE_CONNECTION_ERROR_NETWORK_ERROR;
        message = g_strdup_printf (_("The Plannr server sent an answer that could not be read (%s)."),
                                   error->message);
        break;
      default:
        /* Network, timeout, 5xx, 429: worth trying again later. */
        reason = PURPLE_CONNECTION_ERROR_NETWORK_ERROR;
        message = g_strdup (error->message);
        break;
      }

  purple_debug_error ("plannr", "connection error: %s\n", message);
  stop_components (conn);
  purple_connection_error_reason (conn->pc, reason, message);
}

gboolean
plannr_connection_poll_failed (PlannrConnection *conn,
                               const GError     *error)
{
  gint64 now = g_get_monotonic_time ();

  if (plannr_error_is_cancelled (error))
    return TRUE;

  if (!plannr_error_is_transient (error) &&
      !g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_RATE_LIMITED) &&
      !g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_MALFORMED))
    {
      /* 401 and the like do not get better by waiting. */
      if (g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, PLANNR_ERROR, PLANNR_ERROR_TLS))
        {
          plannr_connection_fail (conn, error);
          return TRUE;
        }
      return FALSE;
    }

  if (conn->failing_since == 0)
    conn->failing_since = now;
  purple_debug_warning ("plannr", "poll failed: %s\n", error->message);

  if (now - conn->failing_since >= (gint64) conn->outage_limit_s * G_USEC_PER_SEC)
    {
      plannr_connection_fail (conn, error);
      return TRUE;
    }
  return FALSE;
}

void
plannr_connection_poll_succeeded (PlannrConnection *conn)
{
  conn->failing_since = 0;
}

/* --- proxy ------------------------------------------------------------------- */

static GProxyResolver *
proxy_resolver_for (PurpleAccount *account)
{
  PurpleProxyInfo *info = purple_proxy_get_setup (account);
  const char *scheme;
  const char *host;
  g_autofree char *uri = NULL;
  g_autofree char *user = NULL;
  g_autofree char *pass = NULL;

  if (info == NULL)
    return NULL;

  switch (purple_proxy_info_get_type (info))
    {
    case PURPLE_PROXY_NONE:
      /* Explicitly none, even if the environment names one. */
      return g_simple_proxy_resolver_new ("direct://", NULL);
    case PURPLE_PROXY_HTTP:
      scheme = "http";
      break;
    case PURPLE_PROXY_SOCKS4:
      scheme = "socks4";
      break;
    case PURPLE_PROXY_SOCKS5:
    case PURPLE_PROXY_TOR:
      scheme = "socks5";
      break;
    case PURPLE_PROXY_USE_ENVVAR:
    case PURPLE_PROXY_USE_GLOBAL:
    default:
      /* GIO's default resolver reads the environment and desktop. */
      return NULL;
    }

  host = purple_proxy_info_get_host (info);
  if (host == NULL || *host == '\0')
    return NULL;

  if (purple_proxy_info_get_username (info) != NULL && *purple_proxy_info_get_username (info) != '\0')
    {
      user = g_uri_escape_string (purple_proxy_info_get_username (info), NULL, FALSE);
      pass = g_uri_escape_string (purple_proxy_info_get_password (info)
                                  ? purple_proxy_info_get_password (info) : "", NULL, FALSE);
      uri = g_strdup_printf ("%s://%s:%s@%s:%d", scheme, user, pass, host,
                             purple_proxy_info_get_port (info));
    }
  else
    uri = g_strdup_printf ("%s://%s:%d", scheme, host, purple_proxy_info_get_port (info));

  return g_simple_proxy_resolver_new (uri, NULL);
}

/* --- test knobs ------------------------------------------------------------ */

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);
  guint64 n;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &n, NULL))
    return (guint) n;
  return fallback;
}

/* The fault tests shorten the waits built into the plugin so that they
 * run in seconds; nobody else has a reason to set these. */
static void
apply_test_knobs (PlannrConnection *conn)
{
  guint retry_ms = env_uint ("PLANNR_RETRY_MS", PLANNR_API_DEFAULT_RETRY_MS);

  conn->outage_limit_s = env_uint ("PLANNR_OUTAGE_LIMIT_S", PLANNR_OUTAGE_LIMIT_S);
  conn->verify_delay_ms = retry_ms * PLANNR_VERIFY_DELAY_FACTOR;
  plannr_api_set_retry_delay (conn->api, retry_ms);
  plannr_api_set_timeout (conn->api, env_uint ("PLANNR_TIMEOUT_S", PLANNR_API_DEFAULT_TIMEOUT));
}

/* --- signing in ----------------------------------------------------------- */

static void
signed_in (PlannrConnection *conn)
{
  purple_connection_set_state (conn->pc, PURPLE_CONNECTED);
  /* Signed in already idle or away: start slow. */
  plannr_connection_presence_changed (conn);
  start_components (conn);
}

static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  PlannrConnection *conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrUser) user = NULL;

  user = plannr_api_get_me_finish (PLANNR_API (source), result, &error);
  if (user == NULL)
    {
      if (!plannr_error_is_cancelled (error))
        plannr_connection_fail (conn, error);
      return;
    }

  g_free (conn->my_name);
  conn->my_name = g_strdup (user->name && *user->name ? user->name
                                                       : purple_account_get_username (conn->account));
  purple_connection_set_display_name (conn->pc, conn->my_name);
  purple_debug_info ("plannr", "signed in as %s\n", conn->my_name);
  signed_in (conn);
}

static void
get_me (PlannrConnection *conn)
{
  purple_connection_update_progress (conn->pc, _("Signing in"), 2, 3);
  plannr_api_get_me_async (conn->api, me_cb, conn);
}

static void
use_account (PlannrConnection *conn,
             const char       *uuid)
{
  g_free (conn->account_uuid);
  conn->account_uuid = g_ascii_strdown (uuid, -1);
  plannr_api_set_account_uuid (conn->api, conn->account_uuid);
  /* Saved, so the choice is made once. */
  purple_account_set_string (conn->account, PLANNR_SETTING_ACCOUNT_UUID, conn->account_uuid);
  get_me (conn);
}

/* Account uuids in the order of the choice the user is offered; owned
 * by the connection, so that closing it with the dialog open frees it. */
static void
choice_ok_cb (gpointer             user_data,
              PurpleRequestFields *fields)
{
  PlannrConnection *conn = user_data;
  int index = purple_request_fields_get_choice (fields, "account");
  g_autoptr(GPtrArray) uuids = g_steal_pointer (&conn->choice);

  if (uuids != NULL && index >= 0 && (guint) index < uuids->len)
    use_account (conn, g_ptr_array_index (uuids, index));
}

static void
choice_cancel_cb (gpointer             user_data,
                  PurpleRequestFields *fields)
{
  PlannrConnection *conn = user_data;

  g_clear_pointer (&conn->choice, g_ptr_array_unref);
  purple_connection_error_reason (conn->pc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
                                  _("No Plannr account was chosen. Choose one when signing in, "
                                    "or set the account uuid in the account settings."));
}

static void
ask_for_account (PlannrConnection *conn,
                 PlannrLogins     *logins)
{
  PurpleRequestFields *fields = purple_request_fields_new ();
  PurpleRequestFieldGroup *group = purple_request_field_group_new (NULL);
  PurpleRequestField *field = purple_request_field_choice_new ("account", _("Account"), 0);
  g_autoptr(GString) listed = g_string_new (NULL);
  g_autofree char *message = NULL;

  g_clear_pointer (&conn->choice, g_ptr_array_unref);
  conn->choice = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < logins->logins->len; i++)
    {
      PlannrLogin *login = g_ptr_array_index (logins->logins, i);
      g_autofree char *label = login->firm_name
        ? g_strdup_printf ("%s — %s", login->account_name, login->firm_name)
        : g_strdup (login->account_name);

      purple_request_field_choice_add (field, label);
      g_ptr_array_add (conn->choice, g_strdup (login->account_uuid));
      g_string_append_printf (listed, "%s%s: %s", i > 0 ? "; " : "", label, login->account_uuid);
    }
  purple_request_field_group_add_field (group, field);
  purple_request_fields_add_group (fields, group);

  if (purple_request_fields (conn->pc, _("Plannr account"),
                             _("Which Plannr account do you want to use?"),
                             _("Your login has several accounts. The choice is saved in the "
                               "account settings (Account uuid)."),
                             fields,
                             _("_Use this account"), G_CALLBACK (choice_ok_cb),
                             _("_Cancel"), G_CALLBACK (choice_cancel_cb),
                             conn->account, NULL, NULL, conn) != NULL)
    return;

  /* A UI that cannot show the dialog (BitlBee has no request_fields)
   * answers nothing, ever: say what to set instead of waiting. */
  purple_request_fields_destroy (fields);
  g_clear_pointer (&conn->choice, g_ptr_array_unref);
  /* Translators: %s lists the accounts, "Name — Firm: uuid", separated
   * by semicolons; "account-uuid" is the setting's key, as BitlBee's
   * "account … set" takes it. */
  message = g_strdup_printf (_("Your login has several Plannr accounts, and this program cannot "
                               "ask which one to use. Set the account uuid (account-uuid) in "
                               "the account settings to one of these: %s"), listed->str);
  purple_connection_error_reason (conn->pc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS, message);
}

static void logins_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
logins_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PlannrConnection *conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlannrLogins) logins = NULL;

  logins = plannr_api_get_logins_finish (PLANNR_API (source), result, &error);
  if (logins == NULL)
    {
      if (!plannr_error_is_cancelled (error))
        plannr_connection_fail (conn, error);
      return;
    }

  if (logins->preferred_account_uuid != NULL)
    {
      use_account (conn, logins->preferred_account_uuid);
      return;
    }
  if (logins->logins->len == 1)
    {
      PlannrLogin *only = g_ptr_array_index (logins->logins, 0);

      use_account (conn, only->account_uuid);
      return;
    }
  if (logins->logins->len == 0)
    {
      purple_connection_error_reason (conn->pc, PURPLE_CONNECTION_ERROR_AUTHENTICATION_IMPOSSIBLE,
                                      _("This Plannr login has no account to act as."));
      return;
    }

  ask_for_account (conn, logins);
}

void
plannr_connection_login (PurpleAccount                  *account,
                         const PlannrComponent * const *components)
{
  PurpleConnection *pc = purple_account_get_connection (account);
  PlannrConnection *conn;
  const char *base_url = purple_account_get_string (account, PLANNR_SETTING_BASE_URL,
                                                    PLANNR_DEFAULT_BASE_URL);
  const char *account_uuid = purple_account_get_string (account, PLANNR_SETTING_ACCOUNT_UUID, "");
  g_autofree char *token = g_strstrip (g_strdup (purple_connection_get_password (pc)
                                                 ? purple_connection_get_password (pc) : ""));
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;

  conn = g_new0 (PlannrConnection, 1);
  conn->pc = pc;
  conn->account = account;
  conn->convs = plannr_conv_list_new ();
  conn->pace = plannr_pace_new (plannr_connection_setting_int (conn, PLANNR_SETTING_POLL_INTERVAL,
                                                               PLANNR_DEFAULT_POLL_INTERVAL, 1, 3600),
                                plannr_connection_setting_int (conn, PLANNR_SETTING_CHAT_POLL_INTERVAL,
                                                               PLANNR_DEFAULT_CHAT_POLL_INTERVAL, 1, 3600));
  conn->my_name = g_strdup (purple_account_get_username (account));
  conn->outage_limit_s = PLANNR_OUTAGE_LIMIT_S;
  purple_connection_set_protocol_data (pc, conn);
  /* Messages are plain text with our own escaping; no HTML from Pidgin
   * beyond what plannr_text_from_html removes. */
  pc->flags |= PURPLE_CONNECTION_NO_BGCOLOR | PURPLE_CONNECTION_NO_FONTSIZE |
               PURPLE_CONNECTION_NO_URLDESC | PURPLE_CONNECTION_NO_IMAGES;

  if (*token == '\0')
    {
      purple_connection_error_reason (pc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
                                      _("Enter your Plannr API token as the password."));
      return;
    }

  conn->api = plannr_api_new (base_url, token, &error);
  if (conn->api == NULL)
    {
      /* Refused before any request is made. */
      purple_connection_error_reason (pc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS, error->message);
      return;
    }

  apply_test_knobs (conn);
  create_components (conn, components);

  resolver = proxy_resolver_for (account);
  if (resolver != NULL)
    plannr_api_set_proxy_resolver (conn->api, resolver);

  purple_connection_update_progress (pc, _("Connecting"), 1, 3);

  if (account_uuid != NULL && *account_uuid != '\0')
    {
      if (!plannr_uuid_is_valid (account_uuid))
        {
          purple_connection_error_reason (pc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
                                          _("The account uuid in the account settings is not a "
                                            "valid uuid. Clear it to have it found automatically."));
          return;
        }
      conn->account_uuid = g_ascii_strdown (account_uuid, -1);
      plannr_api_set_account_uuid (conn->api, conn->account_uuid);
      get_me (conn);
      return;
    }

  plannr_api_get_logins_async (conn->api, logins_cb, conn);
}

void
plannr_connection_close (PurpleConnection *pc)
{
  PlannrConnection *conn = plannr_connection_get (pc);

  if (conn == NULL)
    return;

  purple_request_close_with_handle (pc);
  if (conn->states != NULL)
    stop_components (conn);
  if (conn->api != NULL)
    {
      /* Every callback still pending now sees G_IO_ERROR_CANCELLED. */
      plannr_api_shutdown (conn->api);
    }
  if (conn->states != NULL)
    {
      guint n = 0;

      while (conn->components[n] != NULL)
        n++;
      for (guint i = n; i > 0; i--)
        if (conn->components[i - 1]->destroy != NULL)
          conn->components[i - 1]->destroy (conn->states[i - 1]);
      g_free (conn->states);
    }
  g_clear_object (&conn->api);
  g_clear_pointer (&conn->choice, g_ptr_array_unref);
  plannr_conv_list_free (conn->convs);
  plannr_pace_free (conn->pace);
  g_free (conn->account_uuid);
  g_free (conn->my_name);
  g_free (conn);
  purple_connection_set_protocol_data (pc, NULL);
}
