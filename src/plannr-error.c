/* plannr-error.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "plannr-error.h"

G_DEFINE_QUARK (plannr-error-quark, plannr_error)

gboolean
plannr_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != PLANNR_ERROR)
    return FALSE;

  switch ((PlannrError) error->code)
    {
    case PLANNR_ERROR_SERVER:
    case PLANNR_ERROR_NETWORK:
    case PLANNR_ERROR_TIMEOUT:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
plannr_error_is_ambiguous (const GError *error)
{
  return plannr_error_is_transient (error);
}

gboolean
plannr_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static const char *
forbidden_phrase (PlannrAction action)
{
  switch (action)
    {
    case PLANNR_ACTION_RENAME:
      return _("only admins of the conversation may rename it");
    case PLANNR_ACTION_EDIT:
      return _("only the author of a message may edit it");
    case PLANNR_ACTION_SEND:
      return _("you may not write in this conversation");
    case PLANNR_ACTION_MEMBERS:
      return _("only admins of the conversation may add or remove participants");
    case PLANNR_ACTION_ADMINS:
      return _("only admins of the conversation may make others admins or stop them being admins");
    case PLANNR_ACTION_PIN:
      return _("you may not pin this conversation");
    case PLANNR_ACTION_CREATE:
      return _("you may not start conversations");
    case PLANNR_ACTION_READ:
    default:
      return _("you are not allowed to see this");
    }
}

char *
plannr_error_describe (const GError *error,
                       PlannrAction  action)
{
  if (error->domain != PLANNR_ERROR)
    return g_strdup (error->message);

  switch ((PlannrError) error->code)
    {
    case PLANNR_ERROR_FORBIDDEN:
      return g_strdup (forbidden_phrase (action));
    case PLANNR_ERROR_NOT_FOUND:
      return g_strdup (_("it no longer exists, or you are no longer a participant"));
    case PLANNR_ERROR_NETWORK:
      return g_strdup (_("the Plannr server could not be reached"));
    case PLANNR_ERROR_TIMEOUT:
      return g_strdup (_("the Plannr server did not answer in time"));
    case PLANNR_ERROR_SERVER:
      return g_strdup (_("the Plannr server had a problem"));
    case PLANNR_ERROR_RATE_LIMITED:
      return g_strdup (_("too many requests; Plannr asked to slow down"));
    case PLANNR_ERROR_INVALID:      /* 422: the server's own words say it best */
    case PLANNR_ERROR_UNAUTHORIZED: /* the api's own words, said once */
    default:
      return g_strdup (error->message);
    }
}
