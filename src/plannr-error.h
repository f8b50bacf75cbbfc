/* plannr-error.h: the one error domain of purple-plannr
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PLANNR_ERROR (plannr_error_quark ())

typedef enum
{
  PLANNR_ERROR_FAILED,        /* anything else */
  PLANNR_ERROR_CONFIG,        /* account settings that cannot work */
  PLANNR_ERROR_UNAUTHORIZED,  /* 401: the token was rejected */
  PLANNR_ERROR_FORBIDDEN,     /* 403 */
  PLANNR_ERROR_NOT_FOUND,     /* 404 */
  PLANNR_ERROR_INVALID,       /* 400, 422: the server refused the input */
  PLANNR_ERROR_RATE_LIMITED,  /* 429 that outlasted our patience */
  PLANNR_ERROR_SERVER,        /* 5xx */
  PLANNR_ERROR_NETWORK,       /* transport: refused, reset, DNS, ... */
  PLANNR_ERROR_TIMEOUT,       /* no complete answer in time */
  PLANNR_ERROR_TOO_LARGE,     /* response over the size cap */
  PLANNR_ERROR_MALFORMED,     /* not JSON, or not the JSON we expect */
  PLANNR_ERROR_TLS,           /* certificate did not verify */
  PLANNR_ERROR_REDIRECT,      /* a 3xx: never followed with the token */
  PLANNR_ERROR_ACCEPTED,      /* a write answered 2xx without a readable
                               * resource (204, an empty or odd body): it
                               * took effect, what it made is unknown */
} PlannrError;

/* What the user was doing when an error came: a refusal (403) means a
 * different rule for each. */
typedef enum
{
  PLANNR_ACTION_READ,     /* loading messages or participants */
  PLANNR_ACTION_SEND,
  PLANNR_ACTION_RENAME,
  PLANNR_ACTION_EDIT,
  PLANNR_ACTION_MEMBERS,  /* adding or removing participants */
  PLANNR_ACTION_ADMINS,   /* making or unmaking admins */
  PLANNR_ACTION_PIN,
  PLANNR_ACTION_CREATE,   /* starting a conversation */
} PlannrAction;

GQuark   plannr_error_quark          (void);

/* TRUE when the callback must not touch its user data: the account is
 * closing and everything was cancelled. */
gboolean plannr_error_is_cancelled   (const GError *error);

/* The user-facing words for @error of @action, to stand inside a
 * sentence ("Your message was not sent (%s): ...").  The one table of
 * such phrases, so that translators see each once. */
char    *plannr_error_describe       (const GError *error,
                                      PlannrAction  action);

/* TRUE for errors after which the request may or may not have reached
 * the server: transport failures, timeouts and 5xx answers. */
gboolean plannr_error_is_ambiguous   (const GError *error);
/* TRUE for errors worth retrying for an idempotent request. */
gboolean plannr_error_is_transient   (const GError *error);

G_END_DECLS
