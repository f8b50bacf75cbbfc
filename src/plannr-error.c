/* plannr-error.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

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
