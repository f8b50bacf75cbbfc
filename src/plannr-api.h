/* plannr-api.h: the Plannr REST API over one libsoup 3 session
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One PlannrApi per account.  Every call is asynchronous on the main
 * context it was made from, goes through one queue in which the user's
 * own actions overtake polling, waits out 429 answers without dropping
 * anything, and retries idempotent requests (GET, PUT) on transient
 * failures with exponential backoff and jitter.  POST is never retried
 * here: whether it arrived is for the caller to find out.
 *
 * plannr_api_shutdown() cancels everything; every pending callback then
 * gets G_IO_ERROR_CANCELLED and must not touch its user data.
 */
#pragma once

#include <gio/gio.h>

#include "plannr-http.h"
#include "plannr-model.h"

G_BEGIN_DECLS

#define PLANNR_TYPE_API (plannr_api_get_type ())
G_DECLARE_FINAL_TYPE (PlannrApi, plannr_api, PLANNR, API, GObject)

/* Checks @base_url (https, or http on a loopback address only) and
 * returns NULL with PLANNR_ERROR_CONFIG otherwise. */
PlannrApi  *plannr_api_new                (const char  *base_url,
                                           const char  *token,
                                           GError     **error);
gboolean    plannr_api_check_base_url     (const char  *base_url,
                                           GError     **error);
/* The transport, for its settings and figures (plannr-http.h). */
PlannrHttp *plannr_api_get_http           (PlannrApi   *self);

/* Shorthands for the transport's own calls, which most callers need. */
void        plannr_api_set_account_uuid   (PlannrApi   *self,
                                           const char  *account_uuid);
const char *plannr_api_get_account_uuid   (PlannrApi   *self);
void        plannr_api_set_proxy_resolver (PlannrApi      *self,
                                           GProxyResolver *resolver);
void        plannr_api_set_timeout        (PlannrApi   *self,
                                           guint        seconds);
void        plannr_api_set_retry_delay    (PlannrApi   *self,
                                           guint        milliseconds);
void        plannr_api_set_max_attempts   (PlannrApi   *self,
                                           guint        attempts);
void        plannr_api_shutdown           (PlannrApi   *self);
gboolean    plannr_api_is_shut_down       (PlannrApi   *self);
int         plannr_api_get_rate_remaining (PlannrApi   *self);
int         plannr_api_get_rate_limit     (PlannrApi   *self);
gboolean    plannr_api_is_rate_limited    (PlannrApi   *self);
guint64     plannr_api_get_request_count  (PlannrApi   *self);
guint64     plannr_api_get_bytes_received (PlannrApi   *self);

void          plannr_api_get_me_async        (PlannrApi           *self,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
PlannrUser   *plannr_api_get_me_finish       (PlannrApi           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

void          plannr_api_get_logins_async    (PlannrApi           *self,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
PlannrLogins *plannr_api_get_logins_finish   (PlannrApi           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* @sort as in the API ("-updated_at"), @include a comma list or NULL. */
void          plannr_api_list_conversations_async  (PlannrApi           *self,
                                                    PlannrPriority       priority,
                                                    guint                page,
                                                    guint                per_page,
                                                    const char          *sort,
                                                    const char          *include,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PlannrPage   *plannr_api_list_conversations_finish (PlannrApi           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void          plannr_api_get_conversation_async    (PlannrApi           *self,
                                                    PlannrPriority       priority,
                                                    const char          *uuid,
                                                    const char          *include,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PlannrConversation *plannr_api_get_conversation_finish (PlannrApi     *self,
                                                        GAsyncResult  *result,
                                                        GError       **error);

void          plannr_api_rename_conversation_async (PlannrApi           *self,
                                                    const char          *uuid,
                                                    const char          *name,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PlannrConversation *plannr_api_rename_conversation_finish (PlannrApi     *self,
                                                           GAsyncResult  *result,
                                                           GError       **error);

/* Newest first (sort=-created_at), always. */
void          plannr_api_list_messages_async  (PlannrApi           *self,
                                               PlannrPriority       priority,
                                               const char          *conversation_uuid,
                                               guint                page,
                                               guint                per_page,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PlannrPage   *plannr_api_list_messages_finish (PlannrApi           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Reads page after page of a conversation's messages (newest first) and
 * returns them as one page, each message once.  A server may hold
 * fewer messages per page than asked for (plannr-api.md: per_page may
 * be clamped silently), so callers say what they need and this follows
 * the pages: it stops when there is no next page, after @max_pages,
 * or when @stop returns TRUE for the page just read (@collected counts
 * every message so far); without @stop, once @want messages are read. */
typedef gboolean (*PlannrPageStopFunc) (PlannrPage *page,
                                        guint       collected,
                                        gpointer    user_data);

void          plannr_api_collect_messages_async  (PlannrApi           *self,
                                                  PlannrPriority       priority,
                                                  const char          *conversation_uuid,
                                                  guint                per_page,
                                                  guint                want,
                                                  guint                max_pages,
                                                  PlannrPageStopFunc   stop,
                                                  gpointer             stop_data,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
PlannrPage   *plannr_api_collect_messages_finish (PlannrApi           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The conversations @uuids (NULL-terminated; archived ones too), with
 * @include, in one request when the server's pages allow (they are
 * followed otherwise).  Ones the account cannot see are missing from
 * the result. */
void          plannr_api_get_conversations_async  (PlannrApi           *self,
                                                   PlannrPriority       priority,
                                                   const char * const  *uuids,
                                                   const char          *include,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
PlannrPage   *plannr_api_get_conversations_finish (PlannrApi           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

void          plannr_api_get_message_async    (PlannrApi           *self,
                                               PlannrPriority       priority,
                                               const char          *conversation_uuid,
                                               const char          *message_uuid,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PlannrMessage *plannr_api_get_message_finish  (PlannrApi           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

void          plannr_api_send_message_async   (PlannrApi           *self,
                                               const char          *conversation_uuid,
                                               const char          *contents,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PlannrMessage *plannr_api_send_message_finish (PlannrApi           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

void          plannr_api_edit_message_async   (PlannrApi           *self,
                                               const char          *conversation_uuid,
                                               const char          *message_uuid,
                                               const char          *contents,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PlannrMessage *plannr_api_edit_message_finish (PlannrApi           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* --- people, and who takes part (plannr-api-people.c) --------------------- */

/* People read per page of a search, and at most how many pages. */
#define PLANNR_PEOPLE_PAGE_SIZE 50
#define PLANNR_PEOPLE_MAX_PAGES 4

typedef enum
{
  PLANNR_PEOPLE_EMPLOYEES,  /* GET /api/v1/employee: the firm's employees */
  PLANNR_PEOPLE_CLIENTS,    /* GET /api/v1/account?filter[type]=client */
} PlannrPeopleKind;

/* Searches @kind with filter[@field]=@text (@field "name", or "email" for
 * employees only: /account has no such filter) and reads pages until
 * @max people are read or no page follows.  The result's items are
 * PlannrPerson, each once; has_next says that there were more. */
void          plannr_api_search_people_async       (PlannrApi           *self,
                                                    PlannrPeopleKind     kind,
                                                    const char          *field,
                                                    const char          *text,
                                                    guint                max,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PlannrPage   *plannr_api_search_people_finish      (PlannrApi           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* C2: {"name", "participants"} (the latter only when @participants, a
 * NULL-terminated list of account uuids, has any). */
void          plannr_api_create_conversation_async (PlannrApi           *self,
                                                    const char          *name,
                                                    const char * const  *participants,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PlannrConversation *plannr_api_create_conversation_finish (PlannrApi     *self,
                                                           GAsyncResult  *result,
                                                           GError       **error);

/* C5: {"pin": @pin}, for the account acting. */
void          plannr_api_pin_conversation_async    (PlannrApi           *self,
                                                    const char          *uuid,
                                                    gboolean             pin,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PlannrConversation *plannr_api_pin_conversation_finish (PlannrApi     *self,
                                                        GAsyncResult  *result,
                                                        GError       **error);

/* C6 (@add) or C7 (a DELETE with the same JSON body):
 * {"participants": [@accounts]}.  Leaving is C7 with one's own uuid. */
void          plannr_api_change_participants_async (PlannrApi           *self,
                                                    const char          *uuid,
                                                    gboolean             add,
                                                    const char * const  *accounts,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PlannrConversation *plannr_api_change_participants_finish (PlannrApi     *self,
                                                           GAsyncResult  *result,
                                                           GError       **error);

/* C8 (@admin) or C9: {"participant": @account, "participants": [@account]},
 * which satisfies both readings of the reference. */
void          plannr_api_set_admin_async           (PlannrApi           *self,
                                                    const char          *uuid,
                                                    const char          *account,
                                                    gboolean             admin,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
PlannrConversation *plannr_api_set_admin_finish    (PlannrApi           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS

