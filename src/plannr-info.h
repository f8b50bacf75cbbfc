/* plannr-info.h: Info on a person
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A person's name, e-mail address, type, role, firm and photo (as a
 * link) in libpurple's user info, which Pidgin and Finch show in a
 * window of their own.  Pidgin's Info on a chat participant asks
 * get_cb_real_name for the person's address and then get_info with it;
 * in Finch, /info NAME does (plannr-people).  A participant of an open
 * chat is shown as the chat knows them, anyone else is looked up.
 */
#pragma once

#include "plannr-connection.h"

G_BEGIN_DECLS

/* Shows @person's details as Info about @who (the window's title). */
void        plannr_info_show             (PlannrConnection   *conn,
                                          const PlannrPerson *person,
                                          const char         *who);
/* "Employee", "Client", ... for an account's type. */
const char *plannr_info_type_label       (const char         *type);

/* prpl operations */
void        plannr_info_get_info         (PurpleConnection   *pc,
                                          const char         *who);
char       *plannr_info_get_cb_real_name (PurpleConnection   *pc,
                                          int                 id,
                                          const char         *who);

G_END_DECLS
