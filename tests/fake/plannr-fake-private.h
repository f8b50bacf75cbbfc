/* plannr-fake-private.h: what the parts of the fake Plannr server share
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The fake is one library in several files by concern (plannr-fake.c
 * lists them); this header is for them alone, not for tests.
 */
#pragma once

#include "plannr-fake.h"

#include <string.h>

G_BEGIN_DECLS

#define DEFAULT_RATE_LIMIT 500
#define DEFAULT_RATE_WINDOW 60
#define MAX_PER_PAGE 500
#define MAX_NAME_LENGTH 255
#define MAX_CONTENTS_LENGTH 65535
/* Without a charset: what Laravel's JsonResponse sends.  The charset
 * switch adds it once the answer is made (fake_shape_answer). */
#define JSON_TYPE "application/json"
/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

/* --- the store ---------------------------------------------------- */

typedef struct
{
  char *uuid;
  char *name;
  char *first_name;
  char *last_name;
  char *email;
  char *token;
  char *preferred_account;
} FakeUser;

typedef struct
{
  char *uuid;
  char *name;
} FakeFirm;

typedef struct
{
  char *uuid;
  char *user_uuid;
  char *firm_uuid;
  char *name;
  char *first_name;
  char *last_name;
  char *email;
  char *type;
  char *role;
} FakeAccount;

typedef struct
{
  char *uuid;
  char *name;
  char *slug;
  char *colour;
} FakeTag;

typedef struct
{
  char *uuid;
  char *filename;
  char *type;
  char *download_url;         /* NULL: the fake's own (fake_file_download_url) */
  GBytes *data;               /* NULL: @size bytes made up when served */
  guint64 size;
  gint64 created_at;
  gboolean storage;           /* download_url is a signed storage link */
  gboolean redirect;          /* the API route answers 302 to storage */
} FakeFile;

typedef struct
{
  char *uuid;
  char *reaction;
  char *account_uuid;
  gint64 created_at;
} FakeReaction;

typedef struct _FakeConversation FakeConversation;

typedef struct
{
  char *uuid;
  char *author;
  char *contents;
  gint64 created_at;
  gint64 updated_at;
  gint64 deleted_at;          /* 0: not deleted */
  gboolean edited;
  guint64 seq;
  GPtrArray *files;           /* FakeFile */
  GPtrArray *reactions;       /* FakeReaction */
  FakeConversation *conversation;
} FakeMessage;

struct _FakeConversation
{
  char *uuid;
  char *name;
  char *slug;
  char *case_uuid;            /* NULL: not part of a case */
  char *case_name;
  GPtrArray *participants;    /* account uuids */
  GPtrArray *admins;
  GPtrArray *pinned_by;
  GPtrArray *tags;            /* FakeTag */
  GPtrArray *messages;        /* FakeMessage, insertion order */
  gint64 created_at;
  gint64 updated_at;
  gboolean archived;          /* left out of lists unless asked for */
  /* Insertion order for tie-breaking; updated_seq moves with updated_at
   * so that two updates in one second still sort in the order they
   * happened. */
  guint64 seq;
  guint64 updated_seq;
};

typedef struct
{
  char *method;
  char *pattern;
  PlannrFakeFaultKind kind;
  guint value;
  int count;
} FakeFault;

typedef struct
{
  gint64 window_start;        /* monotonic, µs */
  guint used;
} FakeBucket;

typedef struct
{
  PlannrFake *self;
  SoupServerMessage *msg;
  PlannrFakeRequest *request; /* NULL once the log was cleared */
  GSource *source;
  gulong disconnected_id;
} FakePending;

typedef struct
{
  gboolean wrap;
  guint clamp;                /* 0: off */
  gboolean empty_2xx;
  PlannrFakeTimeFormat time;
  gboolean charset;
} FakeShapes;

struct _PlannrFake
{
  GMainContext *context;
  SoupServer *server;
  char *base_url;
  GTimeZone *tz;

  /* Signed links to stored files, on another host. */
  SoupServer *storage_server;
  char *storage_url;
  char *storage_secret;
  GPtrArray *storage_requests;

  gboolean clock_set;
  gint64 clock_next;

  GPtrArray *users;
  GHashTable *users_by_uuid;
  GHashTable *users_by_token;
  GHashTable *revoked_tokens;
  GPtrArray *firms;
  GHashTable *firms_by_uuid;
  GPtrArray *accounts;
  GHashTable *accounts_by_uuid;
  GPtrArray *conversations;
  GHashTable *conversations_by_uuid;
  GHashTable *messages_by_uuid;
  guint64 next_seq;

  GPtrArray *requests;
  GPtrArray *faults;
  GPtrArray *pending;
  GHashTable *buckets;
  guint rate_limit;
  guint rate_window;

  FakeShapes shapes;
};

/* --- answering ---------------------------------------------------- */

/* The includes of C1 and C3, in the order of fake_include_names. */
typedef enum
{
  INCLUDE_PARTICIPANTS = 1 << 0,
  INCLUDE_PARTICIPANTS_COUNT = 1 << 1,
  INCLUDE_LATEST_MESSAGE = 1 << 2,
  INCLUDE_MESSAGES_COUNT = 1 << 3,
  INCLUDE_FILES_COUNT = 1 << 4,
  INCLUDE_CASE = 1 << 5,
  INCLUDE_TAGS = 1 << 6,
  INCLUDE_ALL = (1 << 7) - 1,
} Include;

/* One request to an API or control route being answered. */
typedef struct
{
  PlannrFake *self;
  SoupServerMessage *msg;
  GHashTable *query;          /* decoded, never NULL */
  FakeUser *user;
  FakeAccount *account;       /* the acting account; NULL only on /me, /logins */
  guint clamped_per_page;     /* 0 unless the clamp switch lowered per_page */
  const char *params[2];      /* the path segments the route's {} matched */
  int arg;                    /* the route's own argument */
  JsonObject *body;           /* control routes: the JSON body of a POST or PUT */
} Call;

typedef void (*BuildItemFunc) (Call        *call,
                               JsonBuilder *b,
                               gpointer     item,
                               guint        includes);

/* The route table (plannr-fake.c). */
typedef void (*RouteHandler) (Call *call);

typedef enum
{
  ROUTE_API = 0,
  ROUTE_CONTROL = 1 << 0,     /* under /_fake/: no auth, log, limit, faults */
  ROUTE_NO_ACCOUNT = 1 << 1,  /* works without X-PLANNR-ACCOUNT-UUID */
  ROUTE_THIS_METHOD = 1 << 2, /* the path is this route for its method only */
} RouteFlags;

typedef struct
{
  const char *method;
  const char *pattern;        /* "{}" stands for one path segment */
  RouteFlags flags;
  RouteHandler handler;
  int arg;                    /* Call.arg */
} Route;

/* --- functions, by the file they are in --------------------------- */

/* plannr-fake-store.c */
void fake_user_free (gpointer data);
void fake_firm_free (gpointer data);
void fake_account_free (gpointer data);
void fake_file_free (gpointer data);
void fake_reaction_free (gpointer data);
void fake_conversation_free (gpointer data);
void fake_fault_free (gpointer data);
void fake_request_free (gpointer data);
void fake_pending_free (gpointer data);
gboolean fake_str_array_contains (GPtrArray  *array,
                                  const char *value);
void fake_str_array_add_unique (GPtrArray  *array,
                                const char *value);
gboolean fake_str_array_remove (GPtrArray  *array,
                                const char *value);
char *fake_make_slug (const char *name);
char *fake_photo_url (const char *name);
gint64 fake_now (PlannrFake *self);
gboolean fake_parse_time (const char *text,
                          gint64     *out);
FakeAccount *fake_lookup_account (PlannrFake *self,
                                  const char *uuid);
FakeConversation *fake_lookup_conversation (PlannrFake *self,
                                            const char *uuid);
FakeMessage *fake_lookup_message (PlannrFake *self,
                                  const char *conversation_uuid,
                                  const char *message_uuid);
FakeMessage *fake_latest_message (FakeConversation *conv);
void fake_touch_conversation (PlannrFake       *self,
                              FakeConversation *conv,
                              gint64            when);
FakeAccount *fake_add_account_full (PlannrFake *self,
                                    const char *uuid,
                                    const char *user_uuid,
                                    const char *firm_uuid,
                                    const char *name,
                                    const char *type,
                                    const char *role,
                                    const char *email);
FakeConversation *fake_add_conversation_full (PlannrFake         *self,
                                              const char         *uuid,
                                              const char         *name,
                                              const char * const *participants,
                                              const char * const *admins,
                                              gint64              created_at);

/* plannr-fake-act.c */
FakeMessage *fake_add_message_full (PlannrFake       *self,
                                    FakeConversation *conv,
                                    const char       *uuid,
                                    const char       *author,
                                    const char       *contents,
                                    gint64            created_at);
FakeMessage *fake_post_message (PlannrFake       *self,
                                FakeConversation *conv,
                                const char       *author,
                                const char       *contents);
void fake_edit_message (PlannrFake  *self,
                        FakeMessage *message,
                        const char  *contents);
void fake_rename_conversation (PlannrFake       *self,
                               FakeConversation *conv,
                               const char       *name);
FakeReaction *fake_add_reaction (PlannrFake  *self,
                                 FakeMessage *message,
                                 const char  *uuid,
                                 const char  *account_uuid,
                                 const char  *reaction,
                                 gint64       created_at);

/* plannr-fake-json.c */
char *fake_format_time_as (PlannrFake           *self,
                           gint64                t,
                           PlannrFakeTimeFormat  format);
void fake_add_string (JsonBuilder *b,
                      const char  *key,
                      const char  *value);
void fake_add_int (JsonBuilder *b,
                   const char  *key,
                   gint64       value);
void fake_add_bool (JsonBuilder *b,
                    const char  *key,
                    gboolean     value);
void fake_build_firm (PlannrFake  *self,
                      JsonBuilder *b,
                      const char  *firm_uuid);
void fake_build_account (PlannrFake  *self,
                         JsonBuilder *b,
                         FakeAccount *account,
                         int          is_admin);
void fake_build_account_short (JsonBuilder *b,
                               FakeAccount *account);
void fake_build_file (PlannrFake  *self,
                      JsonBuilder *b,
                      FakeFile    *file);
void fake_build_message (PlannrFake  *self,
                         JsonBuilder *b,
                         FakeMessage *message);
extern const char * const fake_include_names[];
void fake_build_conversation (PlannrFake       *self,
                              JsonBuilder      *b,
                              FakeConversation *conv,
                              const char       *acting,
                              guint             includes);
char *fake_node_to_string (JsonNode *root,
                           gboolean  pretty);
char *fake_builder_to_string (JsonBuilder *b,
                              gboolean     pretty);
extern const char * const fake_time_format_names[];
gboolean fake_parse_time_format (const char           *name,
                                 PlannrFakeTimeFormat *format);
void fake_respond_text (SoupServerMessage *msg,
                        guint              status,
                        const char        *content_type,
                        char              *body);
void fake_respond_builder (SoupServerMessage *msg,
                           guint              status,
                           JsonBuilder       *b);
void fake_respond_error (SoupServerMessage *msg,
                         guint              status,
                         const char        *message);
void fake_respond_ok (SoupServerMessage *msg);
void fake_respond_invalid (SoupServerMessage *msg,
                           const char        *field,
                           const char        *format,
                           ...) G_GNUC_PRINTF (3, 4);
void fake_respond_not_found (SoupServerMessage *msg,
                             const char        *model,
                             const char        *uuid);
void fake_shape_answer (PlannrFake        *self,
                        SoupServerMessage *msg,
                        gboolean           api);

/* plannr-fake-seed.c */
const char *fake_get_string (JsonObject *obj,
                             const char *key);
char **fake_get_account_list (PlannrFake  *self,
                              JsonObject  *obj,
                              const char  *key,
                              const char  *what,
                              GError     **error);

/* plannr-fake-routes.c */
char *fake_require_string (SoupServerMessage *msg,
                           JsonObject        *obj,
                           const char        *field,
                           const char        *label,
                           guint              max);
GPtrArray *fake_require_accounts (PlannrFake        *self,
                                  SoupServerMessage *msg,
                                  JsonObject        *obj,
                                  const char        *field,
                                  gboolean           required);
FakeConversation *fake_visible_conversation (Call       *call,
                                             const char *uuid);
FakeMessage *fake_conversation_message (Call             *call,
                                        FakeConversation *conv,
                                        const char       *uuid);
void fake_respond_resource (Call        *call,
                            guint        status,
                            JsonBuilder *b);
void fake_respond_conversation (Call             *call,
                                guint             status,
                                FakeConversation *conv,
                                guint             includes);
void fake_respond_message (Call        *call,
                           guint        status,
                           FakeMessage *message);
gboolean fake_parse_includes (Call  *call,
                              guint *includes);
gboolean fake_parse_paging (Call  *call,
                            guint  default_per_page,
                            guint *page,
                            guint *per_page);
void fake_respond_page (Call          *call,
                        GPtrArray     *items,
                        guint          page,
                        guint          per_page,
                        BuildItemFunc  build,
                        guint          includes);
void fake_build_conversation_item (Call        *call,
                                   JsonBuilder *b,
                                   gpointer     item,
                                   guint        includes);
void fake_build_message_item (Call        *call,
                              JsonBuilder *b,
                              gpointer     item,
                              guint        includes);
void fake_handle_people (Call *call);
void fake_handle_me (Call *call);
void fake_handle_logins (Call *call);
void fake_handle_reaction (Call *call);

/* plannr-fake-conversations.c */
void fake_handle_conversation_list (Call *call);
void fake_handle_conversation_create (Call *call);
void fake_handle_conversation_get (Call *call);
void fake_handle_conversation_rename (Call *call);
void fake_handle_conversation_pin (Call *call);
void fake_handle_participants (Call *call);
void fake_handle_admin (Call *call);

/* plannr-fake-messages.c */
int fake_compare_messages (gconstpointer a,
                           gconstpointer b,
                           gpointer      user_data);
void fake_handle_message_list (Call *call);
void fake_handle_message_post (Call *call);
void fake_handle_message_get (Call *call);
void fake_handle_message_edit (Call *call);

/* plannr-fake-files.c */
FakeFile *fake_add_file (PlannrFake  *self,
                         FakeMessage *message,
                         const char  *uuid,
                         const char  *filename,
                         const char  *mime_type,
                         guint64      size,
                         const char  *download_url);
FakeFile *fake_add_file_data (PlannrFake  *self,
                              FakeMessage *message,
                              const char  *uuid,
                              const char  *filename,
                              const char  *mime_type,
                              GBytes      *data,
                              gboolean     storage);
char *fake_file_download_url (PlannrFake *self,
                              FakeFile   *file);
void fake_handle_documents (Call *call);
void fake_handle_message_inline (Call *call);
void fake_handle_file_download (Call *call);
gboolean fake_listen_storage (PlannrFake  *self,
                              gboolean     tls,
                              GError     **error);

/* plannr-fake-control.c */
void fake_control_shapes_post (Call *call);
void fake_respond_no_control (Call *call);
void fake_control_requests_get (Call *call);
void fake_control_requests_delete (Call *call);
void fake_control_storage_requests_get (Call *call);
void fake_control_storage_requests_delete (Call *call);
void fake_control_faults_post (Call *call);
void fake_control_faults_delete (Call *call);
void fake_control_shapes_get (Call *call);
void fake_control_shapes_delete (Call *call);
void fake_control_dump (Call *call);
void fake_control_load (Call *call);
void fake_control_time (Call *call);
void fake_control_rate_limit (Call *call);
void fake_control_revoke (Call *call);
void fake_control_reaction (Call *call);
void fake_control_file (Call *call);
void fake_control_file_redirect (Call *call);
void fake_control_conversation_create (Call *call);
void fake_control_conversation_rename (Call *call);
void fake_control_upload (Call *call);
void fake_control_message_post (Call *call);
void fake_control_message_edit (Call *call);
void fake_control_message_delete (Call *call);
void fake_control_pin (Call *call);
void fake_control_admin (Call *call);
void fake_control_participant (Call *call);

/* plannr-fake-http.c */
JsonNode *fake_read_json_body (SoupServerMessage *msg,
                               gboolean           strict);
PlannrFakeRequest *fake_log_request (GPtrArray         *log,
                                     SoupServerMessage *msg);

/* plannr-fake.c */
const Route *fake_find_route (const char  *method,
                              char       **segments,
                              gboolean     control,
                              Call        *call,
                              GString     *allowed);
char **fake_split_path (const char *path,
                        gboolean    control);

G_END_DECLS
