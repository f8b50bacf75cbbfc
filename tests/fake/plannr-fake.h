/* plannr-fake.h: an in-memory fake of the Plannr CRM conversation API
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The fake follows ../shared/plannr-api.md: it is strict where the real
 * server would be (auth, account header, visibility, admin-only rename,
 * 422 bodies, rate limit) and implements the [assumed] paging and error
 * forms.  It runs in-process for GTest (everything on the thread-default
 * main context of the caller) and as the standalone plannr-fake-server.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _PlannrFake PlannrFake;

/* One request as the server saw it.  Owned by the fake. */
typedef struct
{
  char *method;              /* "GET", "PUT", ... */
  char *path;                /* "/api/v1/conversation/UUID" (no query) */
  char *query;               /* raw query string without '?', or NULL */
  SoupMessageHeaders *headers; /* request headers, a reference */
  char *body;                /* request body as text (may be "") */
  guint status;              /* the status the fake answered, 0 if dropped */
} PlannrFakeRequest;

typedef enum
{
  PLANNR_FAKE_FAULT_STATUS,     /* answer with @value as HTTP status, a JSON
                                 * {"message": ...} body (HTML for 5xx) and
                                 * Retry-After: 1 for 429 */
  PLANNR_FAKE_FAULT_DELAY,      /* wait @value ms, then answer normally */
  PLANNR_FAKE_FAULT_DROP,       /* close the connection without an answer */
  PLANNR_FAKE_FAULT_MALFORMED,  /* 200 with Content-Type json and a body
                                 * that is not JSON */
  PLANNR_FAKE_FAULT_DROP_AFTER, /* handle the request, then close the
                                 * connection without the answer */
} PlannrFakeFaultKind;

PlannrFake *plannr_fake_new                 (void);
void        plannr_fake_free                (PlannrFake *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrFake, plannr_fake_free)

/* Listens on 127.0.0.1, @port 0 = ephemeral.  Plain http unless
 * plannr_fake_set_tls_certificate() was called first. */
gboolean    plannr_fake_listen              (PlannrFake  *self,
                                             guint        port,
                                             GError     **error);
void        plannr_fake_set_tls_certificate (PlannrFake      *self,
                                             GTlsCertificate *cert);
/* "http://127.0.0.1:PORT" (no trailing slash); valid after listen. */
const char *plannr_fake_get_base_url        (PlannrFake *self);

/* Seed data: the format of tests/fake/seed.json.  Adds to the store. */
gboolean    plannr_fake_load_file           (PlannrFake  *self,
                                             const char  *path,
                                             GError     **error);
gboolean    plannr_fake_load_data           (PlannrFake  *self,
                                             const char  *json,
                                             GError     **error);

/* --- building the store -------------------------------------------- */
void  plannr_fake_add_user        (PlannrFake *self,
                                   const char *uuid,
                                   const char *name,     /* "Ada Lovelace" */
                                   const char *email,
                                   const char *token);   /* bearer token */
void  plannr_fake_add_firm        (PlannrFake *self,
                                   const char *uuid,
                                   const char *name);
/* @user_uuid may be NULL (an account without login, e.g. a client). */
void  plannr_fake_add_account     (PlannrFake *self,
                                   const char *uuid,
                                   const char *user_uuid,
                                   const char *firm_uuid,
                                   const char *name,     /* "Ada Lovelace" */
                                   const char *type);    /* "employee", "client" */
void  plannr_fake_set_preferred_account (PlannrFake *self,
                                         const char *user_uuid,
                                         const char *account_uuid);
/* Returns the uuid (newly allocated); @uuid NULL generates one.
 * @participants and @admins are NULL-terminated account uuid arrays. */
char *plannr_fake_add_conversation (PlannrFake         *self,
                                    const char         *uuid,
                                    const char         *name,
                                    const char * const *participants,
                                    const char * const *admins);

/* The clock used for created_at/updated_at.  By default the real time;
 * after set_time the fake's clock starts at @iso8601 and every new
 * timestamp is one second later than the previous one. */
void  plannr_fake_set_time        (PlannrFake *self,
                                   const char *iso8601);

/* --- acting as another participant (also the web app) ------------- */
/* Return the new message uuid (newly allocated) or NULL if the
 * conversation does not exist. */
char     *plannr_fake_post_message   (PlannrFake *self,
                                      const char *conversation_uuid,
                                      const char *author_account_uuid,
                                      const char *contents);
gboolean  plannr_fake_edit_message   (PlannrFake *self,
                                      const char *conversation_uuid,
                                      const char *message_uuid,
                                      const char *contents);
gboolean  plannr_fake_rename_conversation (PlannrFake *self,
                                           const char *conversation_uuid,
                                           const char *name);
gboolean  plannr_fake_react          (PlannrFake *self,
                                      const char *message_uuid,
                                      const char *account_uuid,
                                      const char *reaction);
gboolean  plannr_fake_delete_message (PlannrFake *self,
                                      const char *conversation_uuid,
                                      const char *message_uuid);
/* A file of @size made-up bytes; @download_url NULL: the fake's own
 * download route on the API host (plannr_fake_add_file_data()). */
gboolean  plannr_fake_add_file       (PlannrFake *self,
                                      const char *message_uuid,
                                      const char *filename,
                                      const char *mime_type,
                                      guint64     size,
                                      const char *download_url);
gboolean  plannr_fake_remove_participant (PlannrFake *self,
                                          const char *conversation_uuid,
                                          const char *account_uuid);
/* Archived conversations stay readable by uuid but leave the list
 * unless it asks for filter[archived]=with or only. */
gboolean  plannr_fake_set_archived   (PlannrFake *self,
                                      const char *conversation_uuid,
                                      gboolean    archived);
gboolean  plannr_fake_set_pinned     (PlannrFake *self,
                                      const char *conversation_uuid,
                                      const char *account_uuid,
                                      gboolean    pinned);

/* --- files ---------------------------------------------------------- */
/* Attaches a file with @contents to a message, as if its author had
 * uploaded it; returns the file uuid (newly allocated) or NULL when there
 * is no such message.  Its download_url is
 *   !@storage: BASE/api/v1/files/UUID/download on the API host, which
 *              wants the Authorization and X-PLANNR-ACCOUNT-UUID headers;
 *   @storage:  a signed link on the storage listener, another host, which
 *              wants no headers and refuses an Authorization header. */
char       *plannr_fake_add_file_data   (PlannrFake *self,
                                         const char *message_uuid,
                                         const char *filename,
                                         const char *mime_type,
                                         GBytes     *contents,
                                         gboolean    storage);
/* The API download route of the file then answers 302 with its signed
 * storage link, so a client can be caught following a redirect with its
 * token.  FALSE if there is no such file. */
gboolean    plannr_fake_set_file_redirect (PlannrFake *self,
                                           const char *file_uuid,
                                           gboolean    redirect);
/* A file's bytes as the download routes serve them, or NULL. */
GBytes     *plannr_fake_get_file_data   (PlannrFake *self,
                                         const char *file_uuid);
/* "http://127.0.0.2:PORT" (127.0.0.1 where 127.0.0.2 cannot be bound),
 * the storage listener; valid after listen. */
const char *plannr_fake_get_storage_url (PlannrFake *self);
/* PlannrFakeRequest* the storage listener saw, in arrival order, so a
 * test can check that no Authorization header went there. */
GPtrArray  *plannr_fake_get_storage_requests   (PlannrFake *self);
void        plannr_fake_clear_storage_requests (PlannrFake *self);

/* --- reading the store back --------------------------------------- */
const char *plannr_fake_get_conversation_name (PlannrFake *self,
                                               const char *conversation_uuid);
/* Account uuids (g_strfreev), NULL if there is no such conversation. */
char      **plannr_fake_get_participants      (PlannrFake *self,
                                               const char *conversation_uuid);
/* Every conversation's uuid, in the order they were added (g_strfreev). */
char      **plannr_fake_list_conversations    (PlannrFake *self);
/* The number of messages that are not deleted. */
guint       plannr_fake_count_messages        (PlannrFake *self,
                                               const char *conversation_uuid);
const char *plannr_fake_get_message_contents  (PlannrFake *self,
                                               const char *message_uuid);
/* Number of non-deleted messages in @conversation_uuid whose contents
 * equal @contents exactly. */
guint       plannr_fake_count_messages_with   (PlannrFake *self,
                                               const char *conversation_uuid,
                                               const char *contents);
/* The whole store in the seed format (for debugging and the demo). */
char       *plannr_fake_dump                  (PlannrFake *self);

/* --- request log ---------------------------------------------------- */
/* PlannrFakeRequest* in arrival order; only /api/ requests are logged. */
GPtrArray  *plannr_fake_get_requests  (PlannrFake *self);
void        plannr_fake_clear_requests (PlannrFake *self);
/* Count / find requests whose method equals @method (NULL = any) and
 * whose path matches the glob @path_pattern (g_pattern_match_simple,
 * NULL = any). */
guint       plannr_fake_count_requests (PlannrFake *self,
                                        const char *method,
                                        const char *path_pattern);
const PlannrFakeRequest *plannr_fake_last_request (PlannrFake *self,
                                                   const char *method,
                                                   const char *path_pattern);

/* --- faults and limits --------------------------------------------- */
/* Applies to the next @count matching requests (-1 = until cleared).
 * @method NULL = any; @path_pattern is a glob as above. */
void        plannr_fake_add_fault     (PlannrFake          *self,
                                       const char          *method,
                                       const char          *path_pattern,
                                       PlannrFakeFaultKind  kind,
                                       guint                value,
                                       int                  count);
void        plannr_fake_clear_faults  (PlannrFake *self);
/* Requests per minute per user; default 500.  Every response carries
 * X-Ratelimit-Limit and X-Ratelimit-Remaining; beyond it 429 with
 * Retry-After (seconds to the end of the current minute window). */
void        plannr_fake_set_rate_limit (PlannrFake *self,
                                        guint       per_minute);
/* Revokes a token: later requests with it get 401. */
void        plannr_fake_revoke_token  (PlannrFake *self,
                                       const char *token);

/* --- response shapes ------------------------------------------------ */
/* The real server is a Laravel application and may answer in Laravel's
 * shapes rather than the bare ones of the reference (plannr-api.md,
 * "Shapes the real server may use").  Each switch is independent and
 * off by default; plannr_fake_new() applies $PLANNR_FAKE_SHAPES (a spec
 * as for plannr_fake_set_shapes(); an unknown word aborts). */
typedef enum
{
  PLANNR_FAKE_TIME_OFFSET,      /* 2025-06-05T11:39:39+01:00, UK local (default) */
  PLANNR_FAKE_TIME_UTC_MICRO,   /* 2025-06-05T10:39:39.000000Z, Laravel's own */
  PLANNR_FAKE_TIME_UTC_BARE,    /* 2025-06-05T10:39:39, UTC without a zone */
} PlannrFakeTimeFormat;

/* Single resources (a conversation, a message, /me, reaction and C10
 * answers) as {"data": {...}}.  Lists are always {"data": [...]}. */
void        plannr_fake_set_wrap_resources (PlannrFake *self,
                                            gboolean    wrap);
/* A per_page above @max (the default one included) is lowered to @max
 * silently instead of refused; meta.per_page and the links say the size
 * used.  0: off (per_page above 500 is a 422). */
void        plannr_fake_set_clamp_per_page (PlannrFake *self,
                                            guint       max);
/* Successful POST, PUT and DELETE on /api/ answer without a body: a 201
 * stays 201 with an empty text/html body, any other 2xx becomes 204. */
void        plannr_fake_set_empty_2xx      (PlannrFake *self,
                                            gboolean    empty);
/* How every timestamp in an answer is written (the dump keeps offsets). */
void        plannr_fake_set_time_format    (PlannrFake           *self,
                                            PlannrFakeTimeFormat  format);
/* JSON answers say "application/json; charset=utf-8" instead of
 * "application/json". */
void        plannr_fake_set_json_charset   (PlannrFake *self,
                                            gboolean    charset);
/* Turns switches on from a comma list: "wrap", "clamp=N", "empty-2xx",
 * "time=offset|utc-micro|utc-bare", "charset", and "laravel" for
 * wrap,clamp=15,empty-2xx,time=utc-micro,charset.  Spaces and empty
 * words are ignored.  On an unknown word nothing changes and FALSE is
 * returned with G_IO_ERROR_INVALID_ARGUMENT. */
gboolean    plannr_fake_set_shapes         (PlannrFake  *self,
                                            const char  *spec,
                                            GError     **error);
/* The switches now on, as a spec ("" when none). */
char       *plannr_fake_get_shapes         (PlannrFake *self);

/* --- additions ------------------------------------------------------ */
/* The window the rate limit counts in, in seconds (default 60), so a
 * test can watch a window end.  Like set_rate_limit, starts new
 * windows for everyone. */
void        plannr_fake_set_rate_window (PlannrFake *self,
                                         guint       seconds);
/* Adds @account_uuid (an existing account) to the conversation, as an
 * admin too when @admin.  FALSE if either does not exist. */
gboolean    plannr_fake_add_participant (PlannrFake *self,
                                         const char *conversation_uuid,
                                         const char *account_uuid,
                                         gboolean    admin);
/* Makes a participant an admin of the conversation or not.  FALSE if
 * there is no such conversation or @account_uuid is not a participant. */
gboolean    plannr_fake_set_admin (PlannrFake *self,
                                   const char *conversation_uuid,
                                   const char *account_uuid,
                                   gboolean    admin);
gboolean    plannr_fake_is_admin  (PlannrFake *self,
                                   const char *conversation_uuid,
                                   const char *account_uuid);
/* Whether the message exists and has been edited. */
gboolean    plannr_fake_is_message_edited (PlannrFake *self,
                                           const char *message_uuid);
/* The bearer token of the @index-th user added (seed order), or NULL. */
const char *plannr_fake_get_user_token (PlannrFake *self,
                                        guint       index);

G_END_DECLS
