/* plannr-fake.c: an in-memory fake of the Plannr CRM conversation API
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Seed format, read by plannr_fake_load_data() (tests/fake/seed.json) and
 * written back by plannr_fake_dump().  Every section is optional; uuids
 * that are left out are generated; timestamps are ISO 8601 with an offset.
 *
 *   {
 *     "users": [ { "uuid", "name" ("Ada Lovelace"), "email",
 *                  "token" (bearer token, optional) } ],
 *     "firms": [ { "uuid", "name" } ],
 *     "accounts": [ { "uuid",
 *                     "user" (user uuid; absent or null for an account
 *                             without a login, e.g. most clients),
 *                     "firm" (firm uuid), "name",
 *                     "type" ("employee", "client", ...),
 *                     "role" (optional; "adviser" for employees and the
 *                             type otherwise),
 *                     "email" (optional; default: the user's, or one
 *                              made up from the name) } ],
 *     "preferred": { "<user uuid>": "<account uuid>" },
 *     "revoked_tokens": [ "<token>" ],
 *     "conversations": [ {
 *         "uuid", "name", "created_at",
 *         "updated_at" (optional; default: the latest message's time),
 *         "participants": [ account uuid ],
 *         "admins": [ account uuid ]       (each also a participant),
 *         "pinned_by": [ account uuid ]    (each also a participant),
 *         "case": { "uuid", "name" }       (optional),
 *         "tags": [ { "uuid", "name", "slug", "colour" } ] (optional),
 *         "messages": [ {                  (in insertion order)
 *             "uuid", "author" (account uuid), "contents", "created_at",
 *             "updated_at" (optional; default created_at),
 *             "edited" (optional; default false),
 *             "deleted_at" (optional; null = not deleted),
 *             "files": [ { "uuid", "filename", "type" (MIME),
 *                          "size" (number or string of bytes),
 *                          "data_base64" (optional: the bytes, whose
 *                                         length is then the size),
 *                          "storage" (optional, false: served by the
 *                                     storage listener, see Files),
 *                          "download_url" (optional: default the
 *                                          fake's own) } ],
 *             "reactions": [ { "uuid", "account" (account uuid),
 *                              "reaction", "created_at" } ] } ] } ]
 *   }
 *
 * Loading stops at the first error; whatever was added before it stays.
 *
 * Control routes (no auth, not logged, not rate limited, not faulted;
 * bodies are JSON, Content-Type not checked; answers are {"ok": true},
 * {"uuid": ...} or 404/400 {"message": ...}).  Each wraps the C function
 * of the same meaning:
 *
 *   POST   /_fake/conversation/{c}/messages      {"author", "contents"} -> 201 {"uuid"}
 *   PUT    /_fake/conversation/{c}/messages/{m}  {"contents"}
 *   DELETE /_fake/conversation/{c}/messages/{m}
 *   PUT    /_fake/conversation/{c}               {"name"}
 *   POST   /_fake/conversation                   {"name", "participants", "admins", "uuid"?} -> 201 {"uuid"}
 *   POST   /_fake/conversation/{c}/pin           {"account", "pinned"?: true}
 *   POST   /_fake/conversation/{c}/participants/{a}  {"admin"?: false}
 *   DELETE /_fake/conversation/{c}/participants/{a}
 *   POST   /_fake/conversation/{c}/admin/{a}     (a participant)
 *   DELETE /_fake/conversation/{c}/admin/{a}
 *   POST   /_fake/reaction                       {"message", "account", "reaction"}
 *   POST   /_fake/conversation/{c}/upload        {"author", "contents"?, "filename", "type"?,
 *                                                 "data" (text) | "data_base64", "storage"?: false}
 *                                                 -> 201 {"uuid" (the message), "file", "download_url"}
 *   POST   /_fake/file                           {"message", "filename", "type"?, "size" | "data" |
 *                                                 "data_base64", "download_url"?, "storage"?}
 *                                                 -> {"ok", "uuid" (the file), "download_url"}
 *   POST   /_fake/file/{f}/redirect              {"redirect"?: true}
 *   GET    /_fake/storage-requests               -> as /_fake/requests, for the storage listener
 *   DELETE /_fake/storage-requests
 *   GET    /_fake/requests                       -> [{method, path, query, headers{}, body, status}]
 *   DELETE /_fake/requests
 *   POST   /_fake/faults                         {"method"?, "path"? (glob),
 *                                                 "kind": "status|delay|drop|malformed",
 *                                                 "value", "count"?: 1 (-1 = until cleared)}
 *   DELETE /_fake/faults
 *   GET    /_fake/dump                           -> the store in the seed format
 *   POST   /_fake/load                           seed data, added to the store
 *   POST   /_fake/time                           {"time": ISO 8601}
 *   POST   /_fake/rate-limit                     {"per_minute", "window"? (seconds)}
 *   POST   /_fake/revoke                         {"token"}
 *   GET    /_fake/shapes                         -> {"shapes": spec, and each switch by name}
 *   POST   /_fake/shapes                         {"shapes"?: spec, "wrap_resources"?, "clamp_per_page"?,
 *                                                 "empty_2xx"?, "time_format"?, "json_charset"?}
 *                                                 -> as GET; an unknown member is a 400
 *   DELETE /_fake/shapes                         every switch off -> as GET
 *
 * Files.  plannr-api.md leaves the download URL's shape open, so these
 * are the fake's own:
 *
 *  - A file without a download_url of its own (uploaded with M3, or
 *    added by plannr_fake_add_file() without one) has
 *    BASE/api/v1/files/{uuid}/download, an API route like the others:
 *    401 without the token, 403 without the account header, rate limited,
 *    faulted and in the request log; 404 unless the file is on a message
 *    that is not deleted in a conversation the acting account takes part
 *    in.  It answers the bytes with the file's Content-Type, their
 *    Content-Length and Content-Disposition: attachment; filename=...  A
 *    file added without bytes is served as "size" made-up bytes.  With
 *    plannr_fake_set_file_redirect() (or /_fake/file/{f}/redirect) it
 *    answers 302 with the file's signed storage link instead.
 *  - A file added with storage set has a signed link on the storage
 *    listener as its download_url: a second SoupServer on 127.0.0.2 (a
 *    different host from the API's 127.0.0.1; another port of 127.0.0.1
 *    where that cannot be bound), GET /storage/{uuid}/{name}?expires=
 *    &signature= (an HMAC over the uuid and the expiry, an hour from when
 *    the link was written).  It wants no headers and, like S3, refuses a
 *    request that also carries an Authorization header (400
 *    InvalidArgument); a bad signature or an expired link is a 403, an
 *    unknown file a 404, all with S3's XML error bodies.  Every request it
 *    sees goes to a log of its own (plannr_fake_get_storage_requests(),
 *    /_fake/storage-requests), so a test can check that no token went
 *    there.  With TLS it uses the API's certificate, which does not name
 *    127.0.0.2.
 *
 * Response shapes (plannr-api.md, "Shapes the real server may use").  By
 * default the fake answers in the reference's bare shapes; each switch
 * below turns on one of Laravel's own, independently of the others.  Set
 * them with the C functions in plannr-fake.h, the /_fake/shapes route,
 * plannr-fake-server's flags, or $PLANNR_FAKE_SHAPES, read by
 * plannr_fake_new(): a comma list of the words in brackets, "laravel"
 * meaning all of wrap,clamp=15,empty-2xx,time=utc-micro,charset.  An
 * unknown word there aborts with a message, so a typo cannot quietly run
 * a test in the default shapes.
 *
 *  - wrap (--wrap-resources): every answer that is one resource rather
 *    than a list is wrapped as JsonResource does by default: {"data":
 *    {...}}.  That is the conversation of C2-C9, the message of M2-M5,
 *    the message M6 answers, the user of /me and C10's folder.  Lists and /logins are
 *    {"data": [...]} anyway; errors are never wrapped.
 *  - clamp=N (--clamp-per-page N): a per_page above N, the route's
 *    default included, is lowered to N without a word, as a controller
 *    doing min($request->per_page, N) would; meta.per_page says N and
 *    the links carry per_page=N.  per_page below 1 or not a number is
 *    still a 422, and above 500 it is clamped too rather than refused.
 *  - empty-2xx (--empty-2xx): a successful POST, PUT or DELETE under
 *    /api/ answers without a body.  Laravel answers 201 for a request
 *    that created a model (C2, M2, M3), and a controller that returns
 *    an empty response with it sends Content-Type: text/html;
 *    charset=UTF-8 and Content-Length: 0, so that is the answer here;
 *    every other success (C4, C5, C6, C7, M5, M6) is 204 No Content, as
 *    response()->noContent() sends it.  GETs and errors keep their bodies.
 *  - time=offset|utc-micro|utc-bare (--time-format): how timestamps in
 *    answers are written.  offset (the default) is UK local time with
 *    its offset, 2025-06-05T11:39:39+01:00, as the reference shows;
 *    utc-micro is Laravel's default serialisation,
 *    2025-06-05T10:39:39.000000Z; utc-bare is UTC with no zone at all,
 *    2025-06-05T10:39:39.  The seed format (dump, load) always has
 *    offsets.
 *  - charset (--json-charset): JSON answers say "application/json;
 *    charset=utf-8" instead of Laravel's "application/json".  Control
 *    routes and injected faults follow it too.
 *
 * Behaviour that plannr-api.md leaves open, decided here:
 *
 *  - Check order for /api/ requests: rate limit (per user when the bearer
 *    token is valid, else per client address), route (404/405), bearer
 *    token (401), X-PLANNR-ACCOUNT-UUID (403), then the route's own checks:
 *    model lookup (404), body (415/400), authorisation (403), validation
 *    (422), as Laravel runs route binding before form requests.
 *  - A missing or foreign X-PLANNR-ACCOUNT-UUID is a 403 "This action is
 *    unauthorized.": the token is fine, the account is simply not one the
 *    user may act as, which Laravel expresses as a failed authorisation.
 *    GET /me and GET /logins accept a missing header, since /logins is how
 *    a client learns which account uuids exist in the first place.
 *  - JSON routes answer 415 when a body's Content-Type is not
 *    application/json: a client sending form data would otherwise get a
 *    misleading 422 about a missing field.  A body that does not parse
 *    (or is not an object) is a 400.  No body at all counts as {}, with
 *    any Content-Type or none, so a DELETE without its JSON body fails
 *    validation (422) like any request missing a field.
 *  - C6 and C7 need an admin (403), except that anyone may remove
 *    themselves alone (leaving), as a policy that reads the input can
 *    allow.  Accounts added must exist and be of the acting account's
 *    firm (422 participants.N); removing someone who is not a participant
 *    does nothing.  Removing the last admin is allowed.
 *  - C8 and C9 need an admin (403) and take {"participant": uuid},
 *    {"participants": [uuid]} or both (the union); neither is a 422 on
 *    "participant", Laravel's required_without.  Each must be a
 *    participant (422).  An admin may step down, even the last one.
 *    Like C5-C7 they answer the conversation with participants.
 *  - Strings are trimmed before validation and storage, like Laravel's
 *    TrimStrings middleware.
 *  - Paging links keep the request's other query parameters (sort,
 *    include, per_page, filters) and replace page, so following
 *    links.next returns the same list.
 *  - Ties in every sort fall back to insertion order, reversed together
 *    with the main key for descending sorts, so newest-first lists are
 *    exactly the reverse of oldest-first ones.
 *  - C2 and C4 answer the conversation with everything included (as the
 *    reference's example does); C5, C6 and C7 answer it with participants
 *    included; M6 answers the message with its reactions.
 *  - M6 by an account that already gave the same reaction adds nothing.
 *  - sort=pinned_conversations puts the acting account's unpinned
 *    conversations first; -pinned_conversations its pinned ones.
 *  - GET /employee and GET /account list the accounts of the acting
 *    account's firm ("the accounts the user may see"), the acting account
 *    included; /employee only those of type employee.  filter[name] and
 *    filter[email] are Spatie partial filters (case-insensitive
 *    substrings; the name is "first last"), filter[uuid] and
 *    filter[type] exact comma lists; sort is first_name (default),
 *    last_name or email, "-" for descending.  /account documents no
 *    filter[email] and so refuses it like any unknown filter or sort
 *    (400, as on C1).  Both page like C1, 15 a page by default.
 *  - M3 wants multipart/form-data (415) with at least one "files[]"
 *    part (422 "files" required; a lone "files" part is 422 "must be an
 *    array", as PHP reads it as one file) and each of them a file, i.e.
 *    with a filename (422 "files.N must be a file"); "contents" is
 *    optional.  The bytes, file name and Content-Type of each file are
 *    kept (application/octet-stream without one), and the answer is the
 *    message with its files.
 *  - C10 lists the files of the conversation's messages that are not
 *    deleted, oldest first, with "folders" always empty; the wrap switch
 *    wraps it like a single resource.
 *  - A reaction changes nothing but the message's reactions: not its
 *    updated_at (the stricter case: a client cannot find new reactions by
 *    comparing updated_at), nor the conversation's.
 *  - Faults apply to /api/ requests only, before anything else; a
 *    delayed request is then answered normally, with the store as it is
 *    when the delay ends.
 */

#include "plannr-fake.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_RATE_LIMIT 500
#define DEFAULT_RATE_WINDOW 60
#define MAX_PER_PAGE 500
#define MAX_NAME_LENGTH 255
#define MAX_CONTENTS_LENGTH 65535
/* Without a charset: what Laravel's JsonResponse sends.  The charset
 * switch adds it once the answer is made (shape_answer). */
#define JSON_TYPE "application/json"
/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

/* --- the store ----------------------------------------------------- */

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
  char *download_url;         /* NULL: the fake's own (file_download_url) */
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

static void
fake_user_free (gpointer data)
{
  FakeUser *user = data;

  g_free (user->uuid);
  g_free (user->name);
  g_free (user->first_name);
  g_free (user->last_name);
  g_free (user->email);
  g_free (user->token);
  g_free (user->preferred_account);
  g_free (user);
}

static void
fake_firm_free (gpointer data)
{
  FakeFirm *firm = data;

  g_free (firm->uuid);
  g_free (firm->name);
  g_free (firm);
}

static void
fake_account_free (gpointer data)
{
  FakeAccount *account = data;

  g_free (account->uuid);
  g_free (account->user_uuid);
  g_free (account->firm_uuid);
  g_free (account->name);
  g_free (account->first_name);
  g_free (account->last_name);
  g_free (account->email);
  g_free (account->type);
  g_free (account->role);
  g_free (account);
}

static void
fake_tag_free (gpointer data)
{
  FakeTag *tag = data;

  g_free (tag->uuid);
  g_free (tag->name);
  g_free (tag->slug);
  g_free (tag->colour);
  g_free (tag);
}

static void
fake_file_free (gpointer data)
{
  FakeFile *file = data;

  g_free (file->uuid);
  g_free (file->filename);
  g_free (file->type);
  g_free (file->download_url);
  g_clear_pointer (&file->data, g_bytes_unref);
  g_free (file);
}

static void
fake_reaction_free (gpointer data)
{
  FakeReaction *reaction = data;

  g_free (reaction->uuid);
  g_free (reaction->reaction);
  g_free (reaction->account_uuid);
  g_free (reaction);
}

static void
fake_message_free (gpointer data)
{
  FakeMessage *message = data;

  g_free (message->uuid);
  g_free (message->author);
  g_free (message->contents);
  g_ptr_array_unref (message->files);
  g_ptr_array_unref (message->reactions);
  g_free (message);
}

static void
fake_conversation_free (gpointer data)
{
  FakeConversation *conv = data;

  g_free (conv->uuid);
  g_free (conv->name);
  g_free (conv->slug);
  g_free (conv->case_uuid);
  g_free (conv->case_name);
  g_ptr_array_unref (conv->participants);
  g_ptr_array_unref (conv->admins);
  g_ptr_array_unref (conv->pinned_by);
  g_ptr_array_unref (conv->tags);
  g_ptr_array_unref (conv->messages);
  g_free (conv);
}

static void
fake_fault_free (gpointer data)
{
  FakeFault *fault = data;

  g_free (fault->method);
  g_free (fault->pattern);
  g_free (fault);
}

static void
fake_request_free (gpointer data)
{
  PlannrFakeRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_free (request->body);
  g_free (request);
}

static void
fake_pending_free (gpointer data)
{
  FakePending *pending = data;

  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_source_unref (pending->source);
    }
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  g_object_unref (pending->msg);
  g_free (pending);
}

/* --- small helpers ------------------------------------------------- */

static gboolean
str_array_contains (GPtrArray  *array,
                    const char *value)
{
  return value != NULL
         && g_ptr_array_find_with_equal_func (array, value, g_str_equal, NULL);
}

static void
str_array_add_unique (GPtrArray  *array,
                      const char *value)
{
  if (!str_array_contains (array, value))
    g_ptr_array_add (array, g_strdup (value));
}

static gboolean
str_array_remove (GPtrArray  *array,
                  const char *value)
{
  guint index;

  if (!g_ptr_array_find_with_equal_func (array, value, g_str_equal, &index))
    return FALSE;
  g_ptr_array_remove_index (array, index);
  return TRUE;
}

static char *
make_slug (const char *name)
{
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }

  return g_string_free (slug, FALSE);
}

/* "Ada Lovelace" -> "Ada", "Lovelace"; everything after the first space is
 * the last name, which keeps "Mary Ann" style first names wrong but
 * "van der Berg" style last names right, the likelier case in the UK. */
static void
split_name (const char  *name,
            char       **first,
            char       **last)
{
  const char *space = strchr (name, ' ');

  if (space == NULL)
    {
      *first = g_strdup (name);
      *last = g_strdup ("");
      return;
    }
  *first = g_strndup (name, space - name);
  *last = g_strdup (space + 1);
}

static char *
photo_url (const char *name)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_auto(GStrv) parts = g_strsplit (escaped, "%20", -1);
  g_autofree char *joined = g_strjoinv ("+", parts);

  return g_strdup_printf ("https://eu.ui-avatars.com/api/?name=%s", joined);
}

static gint64
fake_now (PlannrFake *self)
{
  if (self->clock_set)
    return self->clock_next++;
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
format_time_as (PlannrFake           *self,
                gint64                t,
                PlannrFakeTimeFormat  format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;
  switch (format)
    {
    case PLANNR_FAKE_TIME_UTC_MICRO:
      /* The fake's clock has whole seconds, like the database's. */
      return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000000Z");
    case PLANNR_FAKE_TIME_UTC_BARE:
      return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
    case PLANNR_FAKE_TIME_OFFSET:
    default:
      local = g_date_time_to_timezone (utc, self->tz);
      return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
    }
}

static char *
format_time (PlannrFake *self,
             gint64      t)
{
  return format_time_as (self, t, self->shapes.time);
}

static gboolean
parse_time (const char *text,
            gint64     *out)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static FakeAccount *
lookup_account (PlannrFake *self,
                const char *uuid)
{
  return uuid != NULL ? g_hash_table_lookup (self->accounts_by_uuid, uuid) : NULL;
}

static FakeConversation *
lookup_conversation (PlannrFake *self,
                     const char *uuid)
{
  return uuid != NULL ? g_hash_table_lookup (self->conversations_by_uuid, uuid) : NULL;
}

static FakeMessage *
lookup_message (PlannrFake *self,
                const char *conversation_uuid,
                const char *message_uuid)
{
  FakeMessage *message;

  if (message_uuid == NULL)
    return NULL;
  message = g_hash_table_lookup (self->messages_by_uuid, message_uuid);
  if (message == NULL)
    return NULL;
  if (conversation_uuid != NULL
      && strcmp (message->conversation->uuid, conversation_uuid) != 0)
    return NULL;
  return message;
}

/* The latest message that is not deleted, by (created_at, insertion). */
static FakeMessage *
latest_message (FakeConversation *conv)
{
  FakeMessage *latest = NULL;

  for (guint i = 0; i < conv->messages->len; i++)
    {
      FakeMessage *message = g_ptr_array_index (conv->messages, i);

      if (message->deleted_at != 0)
        continue;
      if (latest == NULL
          || message->created_at > latest->created_at
          || (message->created_at == latest->created_at && message->seq > latest->seq))
        latest = message;
    }

  return latest;
}

static void
touch_conversation (PlannrFake       *self,
                    FakeConversation *conv,
                    gint64            when)
{
  conv->updated_at = when;
  conv->updated_seq = self->next_seq++;
}

/* --- building the store -------------------------------------------- */

PlannrFake *
plannr_fake_new (void)
{
  PlannrFake *self = g_new0 (PlannrFake, 1);
  g_autoptr(GError) error = NULL;
  const char *spec;

  self->context = g_main_context_ref_thread_default ();
  /* UK local time like the real server; UTC when tzdata is missing. */
  self->tz = g_time_zone_new_identifier ("Europe/London");
  if (self->tz == NULL)
    self->tz = g_time_zone_new_utc ();

  self->users = g_ptr_array_new_with_free_func (fake_user_free);
  self->users_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  self->users_by_token = g_hash_table_new (g_str_hash, g_str_equal);
  self->revoked_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->firms = g_ptr_array_new_with_free_func (fake_firm_free);
  self->firms_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  self->accounts = g_ptr_array_new_with_free_func (fake_account_free);
  self->accounts_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  self->conversations = g_ptr_array_new_with_free_func (fake_conversation_free);
  self->conversations_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  self->messages_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  self->next_seq = 1;

  self->requests = g_ptr_array_new_with_free_func (fake_request_free);
  self->storage_requests = g_ptr_array_new_with_free_func (fake_request_free);
  self->storage_secret = g_uuid_string_random ();
  self->faults = g_ptr_array_new_with_free_func (fake_fault_free);
  self->pending = g_ptr_array_new_with_free_func (fake_pending_free);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->rate_limit = DEFAULT_RATE_LIMIT;
  self->rate_window = DEFAULT_RATE_WINDOW;

  /* A typo in a test's environment must not quietly run it in the
   * default shapes, so this is fatal rather than a warning. */
  spec = g_getenv ("PLANNR_FAKE_SHAPES");
  if (spec != NULL && !plannr_fake_set_shapes (self, spec, &error))
    {
      g_printerr ("plannr-fake: PLANNR_FAKE_SHAPES=\"%s\": %s\n", spec, error->message);
      abort ();
    }

  return self;
}

void
plannr_fake_free (PlannrFake *self)
{
  if (self == NULL)
    return;

  /* Delayed answers first: their timeouts must not fire into a freed
   * store, and their message references keep connections alive. */
  g_ptr_array_set_size (self->pending, 0);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_object_unref (self->server);
    }
  if (self->storage_server != NULL)
    {
      soup_server_disconnect (self->storage_server);
      g_object_unref (self->storage_server);
    }

  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->storage_requests);
  g_free (self->storage_secret);
  g_free (self->storage_url);
  g_ptr_array_unref (self->faults);
  g_hash_table_unref (self->buckets);

  g_hash_table_unref (self->messages_by_uuid);
  g_hash_table_unref (self->conversations_by_uuid);
  g_ptr_array_unref (self->conversations);
  g_hash_table_unref (self->accounts_by_uuid);
  g_ptr_array_unref (self->accounts);
  g_hash_table_unref (self->firms_by_uuid);
  g_ptr_array_unref (self->firms);
  g_hash_table_unref (self->revoked_tokens);
  g_hash_table_unref (self->users_by_token);
  g_hash_table_unref (self->users_by_uuid);
  g_ptr_array_unref (self->users);

  g_time_zone_unref (self->tz);
  g_free (self->base_url);
  g_main_context_unref (self->context);
  g_free (self);
}

void
plannr_fake_add_user (PlannrFake *self,
                      const char *uuid,
                      const char *name,
                      const char *email,
                      const char *token)
{
  FakeUser *user;

  g_return_if_fail (self != NULL);
  g_return_if_fail (uuid != NULL && name != NULL);
  g_return_if_fail (!g_hash_table_contains (self->users_by_uuid, uuid));
  g_return_if_fail (token == NULL || !g_hash_table_contains (self->users_by_token, token));

  user = g_new0 (FakeUser, 1);
  user->uuid = g_strdup (uuid);
  user->name = g_strdup (name);
  split_name (name, &user->first_name, &user->last_name);
  user->email = g_strdup (email);
  user->token = g_strdup (token);
  g_ptr_array_add (self->users, user);
  g_hash_table_insert (self->users_by_uuid, user->uuid, user);
  if (user->token != NULL)
    g_hash_table_insert (self->users_by_token, user->token, user);
}

void
plannr_fake_add_firm (PlannrFake *self,
                      const char *uuid,
                      const char *name)
{
  FakeFirm *firm;

  g_return_if_fail (self != NULL);
  g_return_if_fail (uuid != NULL && name != NULL);
  g_return_if_fail (!g_hash_table_contains (self->firms_by_uuid, uuid));

  firm = g_new0 (FakeFirm, 1);
  firm->uuid = g_strdup (uuid);
  firm->name = g_strdup (name);
  g_ptr_array_add (self->firms, firm);
  g_hash_table_insert (self->firms_by_uuid, firm->uuid, firm);
}

static FakeAccount *
add_account_full (PlannrFake *self,
                  const char *uuid,
                  const char *user_uuid,
                  const char *firm_uuid,
                  const char *name,
                  const char *type,
                  const char *role,
                  const char *email)
{
  FakeAccount *account = g_new0 (FakeAccount, 1);
  FakeUser *user = user_uuid != NULL ? g_hash_table_lookup (self->users_by_uuid, user_uuid) : NULL;

  account->uuid = g_strdup (uuid);
  account->user_uuid = g_strdup (user_uuid);
  account->firm_uuid = g_strdup (firm_uuid);
  account->name = g_strdup (name);
  split_name (name, &account->first_name, &account->last_name);
  account->type = g_strdup (type != NULL ? type : "employee");
  if (role != NULL)
    account->role = g_strdup (role);
  else if (g_strcmp0 (account->type, "employee") == 0)
    account->role = g_strdup ("adviser");
  else
    account->role = g_strdup (account->type);
  if (email != NULL)
    account->email = g_strdup (email);
  else if (user != NULL && user->email != NULL)
    account->email = g_strdup (user->email);
  else
    {
      g_autofree char *local = make_slug (name);

      g_strdelimit (local, "-", '.');
      account->email = g_strdup_printf ("%s@example.com", local);
    }

  g_ptr_array_add (self->accounts, account);
  g_hash_table_insert (self->accounts_by_uuid, account->uuid, account);
  return account;
}

void
plannr_fake_add_account (PlannrFake *self,
                         const char *uuid,
                         const char *user_uuid,
                         const char *firm_uuid,
                         const char *name,
                         const char *type)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (uuid != NULL && name != NULL);
  g_return_if_fail (!g_hash_table_contains (self->accounts_by_uuid, uuid));
  g_return_if_fail (user_uuid == NULL || g_hash_table_contains (self->users_by_uuid, user_uuid));
  g_return_if_fail (firm_uuid == NULL || g_hash_table_contains (self->firms_by_uuid, firm_uuid));

  add_account_full (self, uuid, user_uuid, firm_uuid, name, type, NULL, NULL);
}

void
plannr_fake_set_preferred_account (PlannrFake *self,
                                   const char *user_uuid,
                                   const char *account_uuid)
{
  FakeUser *user;

  g_return_if_fail (self != NULL && user_uuid != NULL);
  user = g_hash_table_lookup (self->users_by_uuid, user_uuid);
  g_return_if_fail (user != NULL);

  g_free (user->preferred_account);
  user->preferred_account = g_strdup (account_uuid);
}

static FakeConversation *
add_conversation_full (PlannrFake         *self,
                       const char         *uuid,
                       const char         *name,
                       const char * const *participants,
                       const char * const *admins,
                       gint64              created_at)
{
  FakeConversation *conv = g_new0 (FakeConversation, 1);

  conv->uuid = uuid != NULL ? g_strdup (uuid) : g_uuid_string_random ();
  conv->name = g_strdup (name);
  conv->slug = make_slug (name);
  conv->participants = g_ptr_array_new_with_free_func (g_free);
  conv->admins = g_ptr_array_new_with_free_func (g_free);
  conv->pinned_by = g_ptr_array_new_with_free_func (g_free);
  conv->tags = g_ptr_array_new_with_free_func (fake_tag_free);
  conv->messages = g_ptr_array_new_with_free_func (fake_message_free);
  for (guint i = 0; participants != NULL && participants[i] != NULL; i++)
    str_array_add_unique (conv->participants, participants[i]);
  /* An admin who is not a participant could never see the conversation. */
  for (guint i = 0; admins != NULL && admins[i] != NULL; i++)
    {
      str_array_add_unique (conv->participants, admins[i]);
      str_array_add_unique (conv->admins, admins[i]);
    }
  conv->created_at = created_at;
  conv->updated_at = created_at;
  conv->seq = self->next_seq++;
  conv->updated_seq = conv->seq;

  g_ptr_array_add (self->conversations, conv);
  g_hash_table_insert (self->conversations_by_uuid, conv->uuid, conv);
  return conv;
}

char *
plannr_fake_add_conversation (PlannrFake         *self,
                              const char         *uuid,
                              const char         *name,
                              const char * const *participants,
                              const char * const *admins)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL && name != NULL, NULL);
  g_return_val_if_fail (uuid == NULL || !g_hash_table_contains (self->conversations_by_uuid, uuid), NULL);

  conv = add_conversation_full (self, uuid, name, participants, admins, fake_now (self));
  return g_strdup (conv->uuid);
}

void
plannr_fake_set_time (PlannrFake *self,
                      const char *iso8601)
{
  gint64 t;

  g_return_if_fail (self != NULL);
  g_return_if_fail (parse_time (iso8601, &t));

  self->clock_set = TRUE;
  self->clock_next = t;
}

/* --- acting as another participant --------------------------------- */

static FakeMessage *
add_message_full (PlannrFake       *self,
                  FakeConversation *conv,
                  const char       *uuid,
                  const char       *author,
                  const char       *contents,
                  gint64            created_at)
{
  FakeMessage *message = g_new0 (FakeMessage, 1);

  message->uuid = uuid != NULL ? g_strdup (uuid) : g_uuid_string_random ();
  message->author = g_strdup (author);
  message->contents = g_strdup (contents);
  message->created_at = created_at;
  message->updated_at = created_at;
  message->seq = self->next_seq++;
  message->files = g_ptr_array_new_with_free_func (fake_file_free);
  message->reactions = g_ptr_array_new_with_free_func (fake_reaction_free);
  message->conversation = conv;

  g_ptr_array_add (conv->messages, message);
  g_hash_table_insert (self->messages_by_uuid, message->uuid, message);
  return message;
}

static FakeMessage *
post_message (PlannrFake       *self,
              FakeConversation *conv,
              const char       *author,
              const char       *contents)
{
  gint64 now = fake_now (self);
  FakeMessage *message = add_message_full (self, conv, NULL, author, contents, now);

  touch_conversation (self, conv, now);
  return message;
}

char *
plannr_fake_post_message (PlannrFake *self,
                          const char *conversation_uuid,
                          const char *author_account_uuid,
                          const char *contents)
{
  FakeConversation *conv;
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && contents != NULL, NULL);

  conv = lookup_conversation (self, conversation_uuid);
  if (conv == NULL || lookup_account (self, author_account_uuid) == NULL)
    return NULL;
  message = post_message (self, conv, author_account_uuid, contents);
  return g_strdup (message->uuid);
}

static void
edit_message (PlannrFake  *self,
              FakeMessage *message,
              const char  *contents)
{
  g_free (message->contents);
  message->contents = g_strdup (contents);
  message->edited = TRUE;
  /* Edits move the message's updated_at only, never the conversation's
   * latest activity (plannr-api.md, Lists and paging). */
  message->updated_at = fake_now (self);
}

gboolean
plannr_fake_edit_message (PlannrFake *self,
                          const char *conversation_uuid,
                          const char *message_uuid,
                          const char *contents)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && contents != NULL, FALSE);

  message = lookup_message (self, conversation_uuid, message_uuid);
  if (message == NULL || message->deleted_at != 0)
    return FALSE;
  edit_message (self, message, contents);
  return TRUE;
}

static void
rename_conversation (PlannrFake       *self,
                     FakeConversation *conv,
                     const char       *name)
{
  g_free (conv->name);
  conv->name = g_strdup (name);
  g_free (conv->slug);
  conv->slug = make_slug (name);
  touch_conversation (self, conv, fake_now (self));
}

gboolean
plannr_fake_rename_conversation (PlannrFake *self,
                                 const char *conversation_uuid,
                                 const char *name)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL && name != NULL, FALSE);

  conv = lookup_conversation (self, conversation_uuid);
  if (conv == NULL)
    return FALSE;
  rename_conversation (self, conv, name);
  return TRUE;
}

static FakeReaction *
add_reaction (PlannrFake  *self,
              FakeMessage *message,
              const char  *uuid,
              const char  *account_uuid,
              const char  *reaction,
              gint64       created_at)
{
  FakeReaction *r;

  for (guint i = 0; i < message->reactions->len; i++)
    {
      r = g_ptr_array_index (message->reactions, i);
      if (strcmp (r->account_uuid, account_uuid) == 0 && strcmp (r->reaction, reaction) == 0)
        return r;
    }

  r = g_new0 (FakeReaction, 1);
  r->uuid = uuid != NULL ? g_strdup (uuid) : g_uuid_string_random ();
  r->reaction = g_strdup (reaction);
  r->account_uuid = g_strdup (account_uuid);
  r->created_at = created_at;
  g_ptr_array_add (message->reactions, r);
  return r;
}

gboolean
plannr_fake_react (PlannrFake *self,
                   const char *message_uuid,
                   const char *account_uuid,
                   const char *reaction)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && reaction != NULL, FALSE);

  message = lookup_message (self, NULL, message_uuid);
  if (message == NULL || message->deleted_at != 0 || lookup_account (self, account_uuid) == NULL)
    return FALSE;
  add_reaction (self, message, NULL, account_uuid, reaction, fake_now (self));
  return TRUE;
}

gboolean
plannr_fake_delete_message (PlannrFake *self,
                            const char *conversation_uuid,
                            const char *message_uuid)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL, FALSE);

  message = lookup_message (self, conversation_uuid, message_uuid);
  if (message == NULL || message->deleted_at != 0)
    return FALSE;
  /* A soft delete, as Laravel does it: deleted_at and updated_at move,
   * the contents stay and M1 keeps listing the message. */
  message->deleted_at = fake_now (self);
  message->updated_at = message->deleted_at;
  return TRUE;
}

static FakeFile *
add_file (PlannrFake  *self,
          FakeMessage *message,
          const char  *uuid,
          const char  *filename,
          const char  *mime_type,
          guint64      size,
          const char  *download_url)
{
  FakeFile *file = g_new0 (FakeFile, 1);

  file->uuid = uuid != NULL ? g_strdup (uuid) : g_uuid_string_random ();
  file->filename = g_strdup (filename);
  file->type = g_strdup (mime_type != NULL && *mime_type != '\0' ? mime_type : "application/octet-stream");
  file->size = size;
  file->download_url = g_strdup (download_url);
  file->created_at = message->created_at;
  g_ptr_array_add (message->files, file);
  return file;
}

static FakeFile *
add_file_data (PlannrFake  *self,
               FakeMessage *message,
               const char  *uuid,
               const char  *filename,
               const char  *mime_type,
               GBytes      *data,
               gboolean     storage)
{
  FakeFile *file = add_file (self, message, uuid, filename, mime_type, g_bytes_get_size (data), NULL);

  file->data = g_bytes_ref (data);
  file->storage = storage;
  return file;
}

/* A file's bytes: the stored ones, or @size made up. */
static GBytes *
file_bytes (FakeFile *file)
{
  guint8 *filler;

  if (file->data != NULL)
    return g_bytes_ref (file->data);
  filler = g_malloc (MAX (file->size, 1));
  for (guint64 i = 0; i < file->size; i++)
    filler[i] = "plannr-fake "[i % 12];
  return g_bytes_new_take (filler, file->size);
}

/* The file a uuid names, in a message that is not deleted and, unless
 * @account is NULL, of a conversation @account takes part in.  M2 may
 * attach one file to several messages, so any of them will do. */
static FakeFile *
find_file (PlannrFake *self,
           const char *uuid,
           const char *account)
{
  GHashTableIter iter;
  gpointer value;

  if (uuid == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->messages_by_uuid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FakeMessage *message = value;

      if (message->deleted_at != 0
          || (account != NULL && !str_array_contains (message->conversation->participants, account)))
        continue;
      for (guint i = 0; i < message->files->len; i++)
        {
          FakeFile *file = g_ptr_array_index (message->files, i);

          if (strcmp (file->uuid, uuid) == 0)
            return file;
        }
    }
  return NULL;
}

/* What a signed link carries: an expiry and an HMAC over it and the
 * file, as S3 and Laravel's URL::temporarySignedRoute() do. */
static char *
storage_signature (PlannrFake *self,
                   const char *uuid,
                   const char *expires)
{
  g_autofree char *text = g_strconcat (uuid, ":", expires, NULL);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) self->storage_secret,
                                    strlen (self->storage_secret), text, -1);
}

static char *
storage_link (PlannrFake *self,
              FakeFile   *file)
{
  g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              g_get_real_time () / G_USEC_PER_SEC + 3600);
  g_autofree char *signature = storage_signature (self, file->uuid, expires);
  g_autofree char *name = g_uri_escape_string (file->filename, NULL, FALSE);

  return g_strdup_printf ("%s/storage/%s/%s?expires=%s&signature=%s",
                          self->storage_url != NULL ? self->storage_url : "http://127.0.0.2",
                          file->uuid, name, expires, signature);
}

static char *
file_download_url (PlannrFake *self,
                   FakeFile   *file)
{
  if (file->download_url != NULL)
    return g_strdup (file->download_url);
  if (file->storage)
    return storage_link (self, file);
  return g_strdup_printf ("%s/api/v1/files/%s/download",
                          self->base_url != NULL ? self->base_url : "http://127.0.0.1", file->uuid);
}

gboolean
plannr_fake_add_file (PlannrFake *self,
                      const char *message_uuid,
                      const char *filename,
                      const char *mime_type,
                      guint64     size,
                      const char *download_url)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && filename != NULL, FALSE);

  message = lookup_message (self, NULL, message_uuid);
  if (message == NULL)
    return FALSE;
  add_file (self, message, NULL, filename, mime_type, size, download_url);
  return TRUE;
}

char *
plannr_fake_add_file_data (PlannrFake *self,
                           const char *message_uuid,
                           const char *filename,
                           const char *mime_type,
                           GBytes     *contents,
                           gboolean    storage)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL && filename != NULL && contents != NULL, NULL);

  message = lookup_message (self, NULL, message_uuid);
  if (message == NULL)
    return NULL;
  return g_strdup (add_file_data (self, message, NULL, filename, mime_type, contents, storage)->uuid);
}

gboolean
plannr_fake_set_file_redirect (PlannrFake *self,
                               const char *file_uuid,
                               gboolean    redirect)
{
  FakeFile *file;
  GHashTableIter iter;
  gpointer value;
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  /* Every copy M2 made of it. */
  g_hash_table_iter_init (&iter, self->messages_by_uuid);
  while (file_uuid != NULL && g_hash_table_iter_next (&iter, NULL, &value))
    {
      FakeMessage *message = value;

      for (guint i = 0; i < message->files->len; i++)
        {
          file = g_ptr_array_index (message->files, i);
          if (strcmp (file->uuid, file_uuid) == 0)
            {
              file->redirect = redirect;
              found = TRUE;
            }
        }
    }
  return found;
}

GBytes *
plannr_fake_get_file_data (PlannrFake *self,
                           const char *file_uuid)
{
  FakeFile *file;

  g_return_val_if_fail (self != NULL, NULL);

  file = find_file (self, file_uuid, NULL);
  return file != NULL ? file_bytes (file) : NULL;
}

gboolean
plannr_fake_remove_participant (PlannrFake *self,
                                const char *conversation_uuid,
                                const char *account_uuid)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = lookup_conversation (self, conversation_uuid);
  if (conv == NULL || account_uuid == NULL || !str_array_remove (conv->participants, account_uuid))
    return FALSE;
  str_array_remove (conv->admins, account_uuid);
  str_array_remove (conv->pinned_by, account_uuid);
  return TRUE;
}

gboolean
plannr_fake_set_pinned (PlannrFake *self,
                        const char *conversation_uuid,
                        const char *account_uuid,
                        gboolean    pinned)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = lookup_conversation (self, conversation_uuid);
  if (conv == NULL || !str_array_contains (conv->participants, account_uuid))
    return FALSE;
  if (pinned)
    str_array_add_unique (conv->pinned_by, account_uuid);
  else
    str_array_remove (conv->pinned_by, account_uuid);
  return TRUE;
}

gboolean
plannr_fake_add_participant (PlannrFake *self,
                             const char *conversation_uuid,
                             const char *account_uuid,
                             gboolean    admin)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = lookup_conversation (self, conversation_uuid);
  if (conv == NULL || lookup_account (self, account_uuid) == NULL)
    return FALSE;
  str_array_add_unique (conv->participants, account_uuid);
  if (admin)
    str_array_add_unique (conv->admins, account_uuid);
  return TRUE;
}

gboolean
plannr_fake_set_admin (PlannrFake *self,
                       const char *conversation_uuid,
                       const char *account_uuid,
                       gboolean    admin)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = lookup_conversation (self, conversation_uuid);
  if (conv == NULL || !str_array_contains (conv->participants, account_uuid))
    return FALSE;
  if (admin)
    str_array_add_unique (conv->admins, account_uuid);
  else
    str_array_remove (conv->admins, account_uuid);
  return TRUE;
}

gboolean
plannr_fake_is_admin (PlannrFake *self,
                      const char *conversation_uuid,
                      const char *account_uuid)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, FALSE);

  conv = lookup_conversation (self, conversation_uuid);
  return conv != NULL && str_array_contains (conv->admins, account_uuid);
}

/* --- reading the store back ---------------------------------------- */

const char *
plannr_fake_get_conversation_name (PlannrFake *self,
                                   const char *conversation_uuid)
{
  FakeConversation *conv;

  g_return_val_if_fail (self != NULL, NULL);

  conv = lookup_conversation (self, conversation_uuid);
  return conv != NULL ? conv->name : NULL;
}

char **
plannr_fake_get_participants (PlannrFake *self,
                              const char *conversation_uuid)
{
  FakeConversation *conv;
  GStrvBuilder *builder;

  g_return_val_if_fail (self != NULL, NULL);

  conv = lookup_conversation (self, conversation_uuid);
  if (conv == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < conv->participants->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (conv->participants, i));
  {
    char **result = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return result;
  }
}

char **
plannr_fake_list_conversations (PlannrFake *self)
{
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (self != NULL, NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->conversations->len; i++)
    g_strv_builder_add (builder, ((FakeConversation *) g_ptr_array_index (self->conversations, i))->uuid);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

guint
plannr_fake_count_messages (PlannrFake *self,
                            const char *conversation_uuid)
{
  return plannr_fake_count_messages_with (self, conversation_uuid, NULL);
}

const char *
plannr_fake_get_message_contents (PlannrFake *self,
                                  const char *message_uuid)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL, NULL);

  message = lookup_message (self, NULL, message_uuid);
  return message != NULL ? message->contents : NULL;
}

/* @contents NULL counts every message that is not deleted. */
guint
plannr_fake_count_messages_with (PlannrFake *self,
                                 const char *conversation_uuid,
                                 const char *contents)
{
  FakeConversation *conv;
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  conv = lookup_conversation (self, conversation_uuid);
  if (conv == NULL)
    return 0;
  for (guint i = 0; i < conv->messages->len; i++)
    {
      FakeMessage *message = g_ptr_array_index (conv->messages, i);

      if (message->deleted_at == 0
          && (contents == NULL || strcmp (message->contents, contents) == 0))
        n++;
    }
  return n;
}

gboolean
plannr_fake_is_message_edited (PlannrFake *self,
                               const char *message_uuid)
{
  FakeMessage *message;

  g_return_val_if_fail (self != NULL, FALSE);

  message = lookup_message (self, NULL, message_uuid);
  return message != NULL && message->edited;
}

const char *
plannr_fake_get_user_token (PlannrFake *self,
                            guint       index)
{
  FakeUser *user;

  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->users->len)
    return NULL;
  user = g_ptr_array_index (self->users, index);
  return user->token;
}

/* --- JSON output --------------------------------------------------- */

static void
add_string (JsonBuilder *b,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (b, key);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b,
          const char  *key,
          gboolean     value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_boolean_value (b, value);
}

/* @t 0 is null. */
static void
add_time (PlannrFake  *self,
          JsonBuilder *b,
          const char  *key,
          gint64       t)
{
  g_autofree char *text = t != 0 ? format_time (self, t) : NULL;

  add_string (b, key, text);
}

static void
build_firm (PlannrFake  *self,
            JsonBuilder *b,
            const char  *firm_uuid)
{
  FakeFirm *firm = firm_uuid != NULL ? g_hash_table_lookup (self->firms_by_uuid, firm_uuid) : NULL;

  if (firm == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_string (b, "uuid", firm->uuid);
  add_string (b, "name", firm->name);
  json_builder_end_object (b);
}

static void
build_account (PlannrFake  *self,
               JsonBuilder *b,
               FakeAccount *account,
               int          is_admin)
{
  g_autofree char *photo = photo_url (account->name);

  json_builder_begin_object (b);
  add_string (b, "uuid", account->uuid);
  add_string (b, "name", account->name);
  add_string (b, "first_name", account->first_name);
  add_string (b, "last_name", account->last_name);
  add_string (b, "email", account->email);
  add_string (b, "type", account->type);
  add_string (b, "role", account->role);
  add_string (b, "photo_url", photo);
  add_bool (b, "with_login", account->user_uuid != NULL);
  json_builder_set_member_name (b, "firm");
  build_firm (self, b, account->firm_uuid);
  /* [assumed] a participant says whether it administers the
   * conversation; -1: not a participant listing. */
  if (is_admin >= 0)
    add_bool (b, "is_admin", is_admin);
  json_builder_end_object (b);
}

/* The short form /logins and /me use. */
static void
build_account_short (JsonBuilder *b,
                     FakeAccount *account)
{
  json_builder_begin_object (b);
  add_string (b, "uuid", account->uuid);
  add_string (b, "name", account->name);
  add_string (b, "type", account->type);
  add_string (b, "role", account->role);
  json_builder_end_object (b);
}

static void
build_user (JsonBuilder *b,
            FakeUser    *user)
{
  g_autofree char *photo = photo_url (user->name);

  json_builder_begin_object (b);
  add_string (b, "uuid", user->uuid);
  add_string (b, "name", user->name);
  add_string (b, "first_name", user->first_name);
  add_string (b, "last_name", user->last_name);
  add_string (b, "email", user->email);
  add_string (b, "type", "standard");
  add_string (b, "photo_url", photo);
  json_builder_end_object (b);
}

static void
build_file (PlannrFake  *self,
            JsonBuilder *b,
            FakeFile    *file)
{
  const char *dot = strrchr (file->filename, '.');
  g_autofree char *name = dot != NULL ? g_strndup (file->filename, dot - file->filename) : g_strdup (file->filename);
  g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT, file->size);
  g_autofree char *url = file_download_url (self, file);

  json_builder_begin_object (b);
  add_string (b, "uuid", file->uuid);
  add_string (b, "filename", file->filename);
  add_string (b, "name", name);
  add_string (b, "extension", dot != NULL ? dot + 1 : "");
  add_string (b, "type", file->type);
  add_string (b, "size", size);
  add_string (b, "status", "uploaded");
  add_string (b, "download_url", url);
  add_time (self, b, "created_at", file->created_at);
  add_time (self, b, "updated_at", file->created_at);
  json_builder_end_object (b);
}

static void
build_message (PlannrFake  *self,
               JsonBuilder *b,
               FakeMessage *message)
{
  FakeAccount *author = lookup_account (self, message->author);
  FakeUser *user = NULL;

  if (author != NULL && author->user_uuid != NULL)
    user = g_hash_table_lookup (self->users_by_uuid, author->user_uuid);

  json_builder_begin_object (b);
  add_string (b, "uuid", message->uuid);
  add_time (self, b, "created_at", message->created_at);
  add_time (self, b, "updated_at", message->updated_at);
  add_time (self, b, "deleted_at", message->deleted_at);
  add_string (b, "contents", message->contents);
  add_bool (b, "edited", message->edited);

  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < message->files->len; i++)
    build_file (self, b, g_ptr_array_index (message->files, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "author");
  if (author != NULL)
    build_account (self, b, author, -1);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "user");
  if (user != NULL)
    build_user (b, user);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "reactions");
  json_builder_begin_array (b);
  for (guint i = 0; i < message->reactions->len; i++)
    {
      FakeReaction *r = g_ptr_array_index (message->reactions, i);
      FakeAccount *account = lookup_account (self, r->account_uuid);

      json_builder_begin_object (b);
      add_string (b, "uuid", r->uuid);
      add_string (b, "reaction", r->reaction);
      add_string (b, "account_uuid", r->account_uuid);
      add_string (b, "account_name", account != NULL ? account->name : NULL);
      add_time (self, b, "created_at", r->created_at);
      add_time (self, b, "updated_at", r->created_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

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

static const char * const include_names[] = {
  "participants", "participants_count", "latest_message", "messages_count",
  "files_count", "case", "tags", NULL
};

static void
build_conversation (PlannrFake       *self,
                    JsonBuilder      *b,
                    FakeConversation *conv,
                    const char       *acting,
                    guint             includes)
{
  json_builder_begin_object (b);
  add_string (b, "uuid", conv->uuid);
  add_time (self, b, "created_at", conv->created_at);
  add_time (self, b, "updated_at", conv->updated_at);
  add_string (b, "name", conv->name);
  add_string (b, "slug", conv->slug);
  add_bool (b, "belongs_to_case", conv->case_uuid != NULL);

  if (includes & INCLUDE_CASE)
    {
      json_builder_set_member_name (b, "case");
      if (conv->case_uuid != NULL)
        {
          g_autofree char *slug = make_slug (conv->case_name);

          json_builder_begin_object (b);
          add_string (b, "uuid", conv->case_uuid);
          add_string (b, "name", conv->case_name);
          add_string (b, "slug", slug);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
    }

  if (includes & INCLUDE_PARTICIPANTS_COUNT)
    add_int (b, "participants_count", conv->participants->len);

  if (includes & INCLUDE_PARTICIPANTS)
    {
      json_builder_set_member_name (b, "participants");
      json_builder_begin_array (b);
      for (guint i = 0; i < conv->participants->len; i++)
        {
          FakeAccount *account = lookup_account (self, g_ptr_array_index (conv->participants, i));

          if (account != NULL)
            build_account (self, b, account,
                           str_array_contains (conv->admins, account->uuid));
        }
      json_builder_end_array (b);
      add_bool (b, "pinned", str_array_contains (conv->pinned_by, acting));
      add_bool (b, "is_admin", str_array_contains (conv->admins, acting));
    }

  if (includes & INCLUDE_LATEST_MESSAGE)
    {
      FakeMessage *latest = latest_message (conv);

      json_builder_set_member_name (b, "latest_message");
      if (latest != NULL)
        build_message (self, b, latest);
      else
        json_builder_add_null_value (b);
    }

  if (includes & (INCLUDE_MESSAGES_COUNT | INCLUDE_FILES_COUNT))
    {
      guint messages = 0;
      guint files = 0;

      for (guint i = 0; i < conv->messages->len; i++)
        {
          FakeMessage *message = g_ptr_array_index (conv->messages, i);

          if (message->deleted_at != 0)
            continue;
          messages++;
          files += message->files->len;
        }
      if (includes & INCLUDE_MESSAGES_COUNT)
        add_int (b, "messages_count", messages);
      if (includes & INCLUDE_FILES_COUNT)
        add_int (b, "files_count", files);
    }

  if (includes & INCLUDE_TAGS)
    {
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint i = 0; i < conv->tags->len; i++)
        {
          FakeTag *tag = g_ptr_array_index (conv->tags, i);

          json_builder_begin_object (b);
          add_string (b, "uuid", tag->uuid);
          add_string (b, "name", tag->name);
          add_string (b, "slug", tag->slug);
          add_string (b, "colour", tag->colour);
          add_time (self, b, "created_at", conv->created_at);
          add_time (self, b, "updated_at", conv->created_at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  json_builder_end_object (b);
}

static char *
node_to_string (JsonNode *root,
                gboolean  pretty)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, pretty);
  return json_generator_to_data (gen, NULL);
}

static char *
builder_to_string (JsonBuilder *b,
                   gboolean     pretty)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  return node_to_string (root, pretty);
}

/* --- the dump (seed format) ---------------------------------------- */

/* The seed format keeps offsets whatever the time-format switch says,
 * so that a dump reads the same in every mode. */
static void
add_seed_time (PlannrFake  *self,
               JsonBuilder *b,
               const char  *key,
               gint64       t)
{
  g_autofree char *text = t != 0 ? format_time_as (self, t, PLANNR_FAKE_TIME_OFFSET) : NULL;

  add_string (b, key, text);
}

static void
add_str_array (JsonBuilder *b,
               const char  *key,
               GPtrArray   *array)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; i < array->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (array, i));
  json_builder_end_array (b);
}

char *
plannr_fake_dump (PlannrFake *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);

  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->users->len; i++)
    {
      FakeUser *user = g_ptr_array_index (self->users, i);

      json_builder_begin_object (b);
      add_string (b, "uuid", user->uuid);
      add_string (b, "name", user->name);
      add_string (b, "email", user->email);
      add_string (b, "token", user->token);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "firms");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->firms->len; i++)
    build_firm (self, b, ((FakeFirm *) g_ptr_array_index (self->firms, i))->uuid);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "accounts");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (self->accounts, i);

      json_builder_begin_object (b);
      add_string (b, "uuid", account->uuid);
      add_string (b, "user", account->user_uuid);
      add_string (b, "firm", account->firm_uuid);
      add_string (b, "name", account->name);
      add_string (b, "type", account->type);
      add_string (b, "role", account->role);
      add_string (b, "email", account->email);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "preferred");
  json_builder_begin_object (b);
  for (guint i = 0; i < self->users->len; i++)
    {
      FakeUser *user = g_ptr_array_index (self->users, i);

      if (user->preferred_account != NULL)
        add_string (b, user->uuid, user->preferred_account);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "revoked_tokens");
  json_builder_begin_array (b);
  g_hash_table_iter_init (&iter, self->revoked_tokens);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    json_builder_add_string_value (b, key);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "conversations");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->conversations->len; i++)
    {
      FakeConversation *conv = g_ptr_array_index (self->conversations, i);

      json_builder_begin_object (b);
      add_string (b, "uuid", conv->uuid);
      add_string (b, "name", conv->name);
      add_seed_time (self, b, "created_at", conv->created_at);
      add_seed_time (self, b, "updated_at", conv->updated_at);
      add_str_array (b, "participants", conv->participants);
      add_str_array (b, "admins", conv->admins);
      add_str_array (b, "pinned_by", conv->pinned_by);
      if (conv->case_uuid != NULL)
        {
          json_builder_set_member_name (b, "case");
          json_builder_begin_object (b);
          add_string (b, "uuid", conv->case_uuid);
          add_string (b, "name", conv->case_name);
          json_builder_end_object (b);
        }
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint j = 0; j < conv->tags->len; j++)
        {
          FakeTag *tag = g_ptr_array_index (conv->tags, j);

          json_builder_begin_object (b);
          add_string (b, "uuid", tag->uuid);
          add_string (b, "name", tag->name);
          add_string (b, "slug", tag->slug);
          add_string (b, "colour", tag->colour);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);

      json_builder_set_member_name (b, "messages");
      json_builder_begin_array (b);
      for (guint j = 0; j < conv->messages->len; j++)
        {
          FakeMessage *message = g_ptr_array_index (conv->messages, j);

          json_builder_begin_object (b);
          add_string (b, "uuid", message->uuid);
          add_string (b, "author", message->author);
          add_string (b, "contents", message->contents);
          add_seed_time (self, b, "created_at", message->created_at);
          add_seed_time (self, b, "updated_at", message->updated_at);
          add_bool (b, "edited", message->edited);
          add_seed_time (self, b, "deleted_at", message->deleted_at);
          json_builder_set_member_name (b, "files");
          json_builder_begin_array (b);
          for (guint k = 0; k < message->files->len; k++)
            {
              FakeFile *file = g_ptr_array_index (message->files, k);

              json_builder_begin_object (b);
              add_string (b, "uuid", file->uuid);
              add_string (b, "filename", file->filename);
              add_string (b, "type", file->type);
              add_int (b, "size", file->size);
              if (file->download_url != NULL)
                add_string (b, "download_url", file->download_url);
              if (file->storage)
                add_bool (b, "storage", TRUE);
              if (file->data != NULL)
                {
                  g_autofree char *encoded = g_base64_encode (g_bytes_get_data (file->data, NULL),
                                                              g_bytes_get_size (file->data));

                  add_string (b, "data_base64", encoded);
                }
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_set_member_name (b, "reactions");
          json_builder_begin_array (b);
          for (guint k = 0; k < message->reactions->len; k++)
            {
              FakeReaction *r = g_ptr_array_index (message->reactions, k);

              json_builder_begin_object (b);
              add_string (b, "uuid", r->uuid);
              add_string (b, "account", r->account_uuid);
              add_string (b, "reaction", r->reaction);
              add_seed_time (self, b, "created_at", r->created_at);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return builder_to_string (b, TRUE);
}

/* --- loading seed data --------------------------------------------- */

static gboolean
seed_error (GError     **error,
            const char  *format,
            ...) G_GNUC_PRINTF (2, 3);

static gboolean
seed_error (GError     **error,
            const char  *format,
            ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, text);
  return FALSE;
}

/* A string member, or NULL when it is missing, null or not a string. */
static const char *
get_string (JsonObject *obj,
            const char *key)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The objects of array member @key; NULL when it is missing. */
static GList *
get_objects (JsonObject *obj,
             const char *key,
             const char *what,
             gboolean   *ok,
             GError    **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  JsonArray *array;
  GList *list;

  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      *ok = seed_error (error, "%s: \"%s\" is not an array", what, key);
      return NULL;
    }
  array = json_node_get_array (node);
  list = json_array_get_elements (array);
  for (GList *l = list; l != NULL; l = l->next)
    if (!JSON_NODE_HOLDS_OBJECT (l->data))
      {
        g_list_free (list);
        *ok = seed_error (error, "%s: \"%s\" holds something that is not an object", what, key);
        return NULL;
      }
  return list;
}

/* A NULL-terminated array of the strings in array member @key, each an
 * existing account. */
static char **
get_account_list (PlannrFake  *self,
                  JsonObject  *obj,
                  const char  *key,
                  const char  *what,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strv_builder_end (builder);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      seed_error (error, "%s: \"%s\" is not an array", what, key);
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *uuid = json_array_get_string_element (array, i);

      if (uuid == NULL || lookup_account (self, uuid) == NULL)
        {
          seed_error (error, "%s: \"%s\" names an unknown account %s", what, key,
                      uuid != NULL ? uuid : "(not a string)");
          return NULL;
        }
      g_strv_builder_add (builder, uuid);
    }
  return g_strv_builder_end (builder);
}

static gboolean
get_time (JsonObject  *obj,
          const char  *key,
          const char  *what,
          gboolean     required,
          gint64      *out,
          GError     **error)
{
  const char *text = get_string (obj, key);

  if (text == NULL)
    {
      if (required)
        return seed_error (error, "%s: \"%s\" is missing", what, key);
      return TRUE;
    }
  if (!parse_time (text, out))
    return seed_error (error, "%s: \"%s\" is not an ISO 8601 time: %s", what, key, text);
  return TRUE;
}

static gboolean
load_message (PlannrFake        *self,
              FakeConversation  *conv,
              JsonObject        *obj,
              GError           **error)
{
  const char *uuid = get_string (obj, "uuid");
  const char *author = get_string (obj, "author");
  const char *contents = get_string (obj, "contents");
  g_autofree char *what = g_strdup_printf ("message %s in conversation %s",
                                           uuid != NULL ? uuid : "(no uuid)", conv->uuid);
  FakeMessage *message;
  gint64 created_at = 0;
  GList *list;
  gboolean ok;

  if (uuid != NULL && g_hash_table_contains (self->messages_by_uuid, uuid))
    return seed_error (error, "%s: duplicate uuid", what);
  if (lookup_account (self, author) == NULL)
    return seed_error (error, "%s: unknown author", what);
  if (contents == NULL)
    return seed_error (error, "%s: no contents", what);
  if (!get_time (obj, "created_at", what, TRUE, &created_at, error))
    return FALSE;

  message = add_message_full (self, conv, uuid, author, contents, created_at);
  message->edited = json_object_get_boolean_member_with_default (obj, "edited", FALSE);
  if (!get_time (obj, "updated_at", what, FALSE, &message->updated_at, error)
      || !get_time (obj, "deleted_at", what, FALSE, &message->deleted_at, error))
    return FALSE;

  list = get_objects (obj, "files", what, &ok, error);
  for (GList *l = list; l != NULL; l = l->next)
    {
      JsonObject *f = json_node_get_object (l->data);
      JsonNode *size_node = json_object_get_member (f, "size");
      guint64 size = 0;

      if (get_string (f, "filename") == NULL)
        {
          g_list_free (list);
          return seed_error (error, "%s: a file without a filename", what);
        }
      if (size_node != NULL && JSON_NODE_HOLDS_VALUE (size_node))
        {
          if (json_node_get_value_type (size_node) == G_TYPE_STRING)
            size = g_ascii_strtoull (json_node_get_string (size_node), NULL, 10);
          else
            size = json_node_get_int (size_node);
        }
      if (get_string (f, "data_base64") != NULL)
        {
          gsize length = 0;
          guchar *decoded = g_base64_decode (get_string (f, "data_base64"), &length);
          g_autoptr(GBytes) bytes = g_bytes_new_take (decoded, length);
          FakeFile *file = add_file_data (self, message, get_string (f, "uuid"), get_string (f, "filename"),
                                          get_string (f, "type"), bytes,
                                          json_object_get_boolean_member_with_default (f, "storage", FALSE));

          file->download_url = g_strdup (get_string (f, "download_url"));
        }
      else
        {
          FakeFile *file = add_file (self, message, get_string (f, "uuid"), get_string (f, "filename"),
                                     get_string (f, "type"), size, get_string (f, "download_url"));

          file->storage = json_object_get_boolean_member_with_default (f, "storage", FALSE);
        }
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  list = get_objects (obj, "reactions", what, &ok, error);
  for (GList *l = list; l != NULL; l = l->next)
    {
      JsonObject *r = json_node_get_object (l->data);
      const char *account = get_string (r, "account");
      const char *reaction = get_string (r, "reaction");
      gint64 reacted_at = created_at;

      if (lookup_account (self, account) == NULL || reaction == NULL
          || !get_time (r, "created_at", what, FALSE, &reacted_at, error))
        {
          g_list_free (list);
          if (error != NULL && *error != NULL)
            return FALSE;
          return seed_error (error, "%s: a reaction without a known account or a reaction", what);
        }
      add_reaction (self, message, get_string (r, "uuid"), account, reaction, reacted_at);
    }
  g_list_free (list);
  return ok;
}

static gboolean
load_conversation (PlannrFake  *self,
                   JsonObject  *obj,
                   GError     **error)
{
  const char *uuid = get_string (obj, "uuid");
  const char *name = get_string (obj, "name");
  g_autofree char *what = g_strdup_printf ("conversation %s", uuid != NULL ? uuid : "(no uuid)");
  g_auto(GStrv) participants = NULL;
  g_auto(GStrv) admins = NULL;
  g_auto(GStrv) pinned_by = NULL;
  FakeConversation *conv;
  JsonNode *case_node;
  gint64 created_at = 0;
  gint64 updated_at = 0;
  GList *list;
  gboolean ok;

  if (uuid != NULL && lookup_conversation (self, uuid) != NULL)
    return seed_error (error, "%s: duplicate uuid", what);
  if (name == NULL)
    return seed_error (error, "%s: no name", what);
  if (!get_time (obj, "created_at", what, FALSE, &created_at, error)
      || !get_time (obj, "updated_at", what, FALSE, &updated_at, error))
    return FALSE;
  if (created_at == 0)
    created_at = fake_now (self);
  participants = get_account_list (self, obj, "participants", what, error);
  if (participants == NULL)
    return FALSE;
  admins = get_account_list (self, obj, "admins", what, error);
  if (admins == NULL)
    return FALSE;
  pinned_by = get_account_list (self, obj, "pinned_by", what, error);
  if (pinned_by == NULL)
    return FALSE;
  for (guint i = 0; pinned_by[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) participants, pinned_by[i])
        && !g_strv_contains ((const char * const *) admins, pinned_by[i]))
      return seed_error (error, "%s: pinned by %s, who is not a participant", what, pinned_by[i]);

  conv = add_conversation_full (self, uuid, name, (const char * const *) participants,
                                (const char * const *) admins, created_at);
  for (guint i = 0; pinned_by[i] != NULL; i++)
    str_array_add_unique (conv->pinned_by, pinned_by[i]);

  case_node = json_object_get_member (obj, "case");
  if (case_node != NULL && JSON_NODE_HOLDS_OBJECT (case_node))
    {
      JsonObject *c = json_node_get_object (case_node);
      const char *case_uuid = get_string (c, "uuid");

      conv->case_uuid = case_uuid != NULL ? g_strdup (case_uuid) : g_uuid_string_random ();
      conv->case_name = g_strdup (get_string (c, "name") != NULL ? get_string (c, "name") : "Case");
    }

  list = get_objects (obj, "tags", what, &ok, error);
  for (GList *l = list; l != NULL; l = l->next)
    {
      JsonObject *t = json_node_get_object (l->data);
      FakeTag *tag = g_new0 (FakeTag, 1);
      const char *tag_name = get_string (t, "name") != NULL ? get_string (t, "name") : "Tag";

      tag->uuid = get_string (t, "uuid") != NULL ? g_strdup (get_string (t, "uuid")) : g_uuid_string_random ();
      tag->name = g_strdup (tag_name);
      tag->slug = get_string (t, "slug") != NULL ? g_strdup (get_string (t, "slug")) : make_slug (tag_name);
      tag->colour = g_strdup (get_string (t, "colour") != NULL ? get_string (t, "colour") : "#6b7280");
      g_ptr_array_add (conv->tags, tag);
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  list = get_objects (obj, "messages", what, &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    ok = load_message (self, conv, json_node_get_object (l->data), error);
  g_list_free (list);
  if (!ok)
    return FALSE;

  /* Without an explicit updated_at, the conversation was last touched by
   * its newest message, as it would have been on the real server. */
  if (updated_at == 0)
    {
      updated_at = conv->created_at;
      for (guint i = 0; i < conv->messages->len; i++)
        {
          FakeMessage *message = g_ptr_array_index (conv->messages, i);

          updated_at = MAX (updated_at, message->created_at);
        }
    }
  conv->updated_at = updated_at;
  return TRUE;
}

gboolean
plannr_fake_load_data (PlannrFake  *self,
                       const char  *json,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonNode *node;
  GList *list;
  gboolean ok;

  g_return_val_if_fail (self != NULL && json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return seed_error (error, "seed data is not a JSON object");
  root = json_node_get_object (json_parser_get_root (parser));

  list = get_objects (root, "users", "seed", &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    {
      JsonObject *u = json_node_get_object (l->data);
      const char *uuid = get_string (u, "uuid");
      const char *token = get_string (u, "token");
      g_autofree char *generated = uuid == NULL ? g_uuid_string_random () : NULL;

      if (get_string (u, "name") == NULL)
        ok = seed_error (error, "user %s: no name", uuid);
      else if (uuid != NULL && g_hash_table_contains (self->users_by_uuid, uuid))
        ok = seed_error (error, "user %s: duplicate uuid", uuid);
      else if (token != NULL && g_hash_table_contains (self->users_by_token, token))
        ok = seed_error (error, "user %s: duplicate token", uuid);
      else
        plannr_fake_add_user (self, uuid != NULL ? uuid : generated, get_string (u, "name"),
                              get_string (u, "email"), token);
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  list = get_objects (root, "firms", "seed", &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    {
      JsonObject *f = json_node_get_object (l->data);
      const char *uuid = get_string (f, "uuid");

      if (uuid == NULL || get_string (f, "name") == NULL)
        ok = seed_error (error, "a firm needs a uuid and a name");
      else if (g_hash_table_contains (self->firms_by_uuid, uuid))
        ok = seed_error (error, "firm %s: duplicate uuid", uuid);
      else
        plannr_fake_add_firm (self, uuid, get_string (f, "name"));
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  list = get_objects (root, "accounts", "seed", &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    {
      JsonObject *a = json_node_get_object (l->data);
      const char *uuid = get_string (a, "uuid");
      const char *user = get_string (a, "user");
      const char *firm = get_string (a, "firm");

      if (uuid == NULL || get_string (a, "name") == NULL)
        ok = seed_error (error, "an account needs a uuid and a name");
      else if (lookup_account (self, uuid) != NULL)
        ok = seed_error (error, "account %s: duplicate uuid", uuid);
      else if (user != NULL && !g_hash_table_contains (self->users_by_uuid, user))
        ok = seed_error (error, "account %s: unknown user %s", uuid, user);
      else if (firm != NULL && !g_hash_table_contains (self->firms_by_uuid, firm))
        ok = seed_error (error, "account %s: unknown firm %s", uuid, firm);
      else
        add_account_full (self, uuid, user, firm, get_string (a, "name"), get_string (a, "type"),
                          get_string (a, "role"), get_string (a, "email"));
    }
  g_list_free (list);
  if (!ok)
    return FALSE;

  node = json_object_get_member (root, "preferred");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *preferred = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (preferred);

      for (GList *l = members; l != NULL; l = l->next)
        {
          FakeUser *user = g_hash_table_lookup (self->users_by_uuid, l->data);
          const char *account_uuid = get_string (preferred, l->data);
          FakeAccount *account = lookup_account (self, account_uuid);

          if (user == NULL || account == NULL || g_strcmp0 (account->user_uuid, user->uuid) != 0)
            return seed_error (error, "preferred: %s is not an account of user %s",
                               account_uuid, (const char *) l->data);
          plannr_fake_set_preferred_account (self, user->uuid, account->uuid);
        }
    }

  node = json_object_get_member (root, "revoked_tokens");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (json_array_get_string_element (array, i) != NULL)
          plannr_fake_revoke_token (self, json_array_get_string_element (array, i));
    }

  list = get_objects (root, "conversations", "seed", &ok, error);
  for (GList *l = list; ok && l != NULL; l = l->next)
    ok = load_conversation (self, json_node_get_object (l->data), error);
  g_list_free (list);
  return ok;
}

gboolean
plannr_fake_load_file (PlannrFake  *self,
                       const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  if (!plannr_fake_load_data (self, contents, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

/* --- request log, faults, limits ----------------------------------- */

GPtrArray *
plannr_fake_get_requests (PlannrFake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->requests;
}

void
plannr_fake_clear_requests (PlannrFake *self)
{
  g_return_if_fail (self != NULL);

  /* Delayed requests would otherwise write their status into freed log
   * entries. */
  for (guint i = 0; i < self->pending->len; i++)
    ((FakePending *) g_ptr_array_index (self->pending, i))->request = NULL;
  g_ptr_array_set_size (self->requests, 0);
}

static gboolean
request_matches (const char *method,
                 const char *pattern,
                 const char *req_method,
                 const char *req_path)
{
  return (method == NULL || g_ascii_strcasecmp (method, req_method) == 0)
         && (pattern == NULL || g_pattern_match_simple (pattern, req_path));
}

guint
plannr_fake_count_requests (PlannrFake *self,
                            const char *method,
                            const char *path_pattern)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      PlannrFakeRequest *request = g_ptr_array_index (self->requests, i);

      if (request_matches (method, path_pattern, request->method, request->path))
        n++;
    }
  return n;
}

const PlannrFakeRequest *
plannr_fake_last_request (PlannrFake *self,
                          const char *method,
                          const char *path_pattern)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = self->requests->len; i > 0; i--)
    {
      PlannrFakeRequest *request = g_ptr_array_index (self->requests, i - 1);

      if (request_matches (method, path_pattern, request->method, request->path))
        return request;
    }
  return NULL;
}

void
plannr_fake_add_fault (PlannrFake          *self,
                       const char          *method,
                       const char          *path_pattern,
                       PlannrFakeFaultKind  kind,
                       guint                value,
                       int                  count)
{
  FakeFault *fault;

  g_return_if_fail (self != NULL);
  g_return_if_fail (kind <= PLANNR_FAKE_FAULT_DROP_AFTER);
  g_return_if_fail (count > 0 || count == -1);

  fault = g_new0 (FakeFault, 1);
  fault->method = g_strdup (method);
  fault->pattern = g_strdup (path_pattern);
  fault->kind = kind;
  fault->value = value;
  fault->count = count;
  g_ptr_array_add (self->faults, fault);
}

void
plannr_fake_clear_faults (PlannrFake *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->faults, 0);
}

/* Consumes one use of the first fault matching the request. */
static gboolean
take_fault (PlannrFake          *self,
            const char          *method,
            const char          *path,
            PlannrFakeFaultKind *kind,
            guint               *value)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      FakeFault *fault = g_ptr_array_index (self->faults, i);

      if (!request_matches (fault->method, fault->pattern, method, path))
        continue;
      *kind = fault->kind;
      *value = fault->value;
      if (fault->count > 0 && --fault->count == 0)
        g_ptr_array_remove_index (self->faults, i);
      return TRUE;
    }
  return FALSE;
}

void
plannr_fake_set_rate_limit (PlannrFake *self,
                            guint       per_minute)
{
  g_return_if_fail (self != NULL);
  self->rate_limit = per_minute;
  /* A new budget starts new windows, or a test that lowers the limit
   * would be stuck with what earlier requests used. */
  g_hash_table_remove_all (self->buckets);
}

void
plannr_fake_set_rate_window (PlannrFake *self,
                             guint       seconds)
{
  g_return_if_fail (self != NULL && seconds > 0);
  self->rate_window = seconds;
  g_hash_table_remove_all (self->buckets);
}

void
plannr_fake_revoke_token (PlannrFake *self,
                          const char *token)
{
  g_return_if_fail (self != NULL && token != NULL);
  g_hash_table_add (self->revoked_tokens, g_strdup (token));
}

/* --- response shapes ---------------------------------------------- */

static const char * const time_format_names[] = {
  [PLANNR_FAKE_TIME_OFFSET] = "offset",
  [PLANNR_FAKE_TIME_UTC_MICRO] = "utc-micro",
  [PLANNR_FAKE_TIME_UTC_BARE] = "utc-bare",
};

static gboolean
parse_time_format (const char           *name,
                   PlannrFakeTimeFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (time_format_names); i++)
    if (g_strcmp0 (name, time_format_names[i]) == 0)
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

void
plannr_fake_set_wrap_resources (PlannrFake *self,
                                gboolean    wrap)
{
  g_return_if_fail (self != NULL);
  self->shapes.wrap = wrap;
}

void
plannr_fake_set_clamp_per_page (PlannrFake *self,
                                guint       max)
{
  g_return_if_fail (self != NULL);
  self->shapes.clamp = max;
}

void
plannr_fake_set_empty_2xx (PlannrFake *self,
                           gboolean    empty)
{
  g_return_if_fail (self != NULL);
  self->shapes.empty_2xx = empty;
}

void
plannr_fake_set_time_format (PlannrFake           *self,
                             PlannrFakeTimeFormat  format)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (format <= PLANNR_FAKE_TIME_UTC_BARE);
  self->shapes.time = format;
}

void
plannr_fake_set_json_charset (PlannrFake *self,
                              gboolean    charset)
{
  g_return_if_fail (self != NULL);
  self->shapes.charset = charset;
}

gboolean
plannr_fake_set_shapes (PlannrFake  *self,
                        const char  *spec,
                        GError     **error)
{
  g_auto(GStrv) words = NULL;
  FakeShapes shapes;

  g_return_val_if_fail (self != NULL && spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* All or nothing: a spec with a typo changes nothing. */
  shapes = self->shapes;
  words = g_strsplit (spec, ",", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = g_strstrip (words[i]);
      guint64 n;

      if (*word == '\0')
        continue;
      if (strcmp (word, "laravel") == 0)
        {
          shapes.wrap = TRUE;
          shapes.clamp = 15;
          shapes.empty_2xx = TRUE;
          shapes.time = PLANNR_FAKE_TIME_UTC_MICRO;
          shapes.charset = TRUE;
        }
      else if (strcmp (word, "wrap") == 0)
        shapes.wrap = TRUE;
      else if (strcmp (word, "empty-2xx") == 0)
        shapes.empty_2xx = TRUE;
      else if (strcmp (word, "charset") == 0)
        shapes.charset = TRUE;
      else if (g_str_has_prefix (word, "clamp=")
               && g_ascii_string_to_unsigned (word + strlen ("clamp="), 10, 1, MAX_PER_PAGE, &n, NULL))
        shapes.clamp = n;
      else if (g_str_has_prefix (word, "time=")
               && parse_time_format (word + strlen ("time="), &shapes.time))
        ;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "unknown shape \"%s\" (known: laravel, wrap, clamp=1..%d, empty-2xx, "
                       "time=offset|utc-micro|utc-bare, charset)", word, MAX_PER_PAGE);
          return FALSE;
        }
    }
  self->shapes = shapes;
  return TRUE;
}

char *
plannr_fake_get_shapes (PlannrFake *self)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->shapes.wrap)
    g_strv_builder_add (words, "wrap");
  if (self->shapes.clamp > 0)
    {
      g_autofree char *word = g_strdup_printf ("clamp=%u", self->shapes.clamp);

      g_strv_builder_add (words, word);
    }
  if (self->shapes.empty_2xx)
    g_strv_builder_add (words, "empty-2xx");
  if (self->shapes.time != PLANNR_FAKE_TIME_OFFSET)
    {
      g_autofree char *word = g_strconcat ("time=", time_format_names[self->shapes.time], NULL);

      g_strv_builder_add (words, word);
    }
  if (self->shapes.charset)
    g_strv_builder_add (words, "charset");
  list = g_strv_builder_end (words);
  return g_strjoinv (",", list);
}

/* --- HTTP plumbing ------------------------------------------------- */

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
respond_builder (SoupServerMessage *msg,
                 guint              status,
                 JsonBuilder       *b)
{
  respond_text (msg, status, JSON_TYPE, builder_to_string (b, FALSE));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "message", message);
  json_builder_end_object (b);
  respond_builder (msg, status, b);
}

static void
respond_ok (SoupServerMessage *msg)
{
  respond_text (msg, SOUP_STATUS_OK, JSON_TYPE, g_strdup ("{\"ok\":true}"));
}

/* Laravel's validation failure: 422 with the message repeated per field. */
static void
respond_invalid (SoupServerMessage *msg,
                 const char        *field,
                 const char        *format,
                 ...) G_GNUC_PRINTF (3, 4);

static void
respond_invalid (SoupServerMessage *msg,
                 const char        *field,
                 const char        *format,
                 ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (b);
  add_string (b, "message", message);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, field);
  json_builder_begin_array (b);
  json_builder_add_string_value (b, message);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  respond_builder (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, b);
}

static void
respond_not_found (SoupServerMessage *msg,
                   const char        *model,
                   const char        *uuid)
{
  g_autofree char *text = g_strdup_printf ("No query results for model [App\\Models\\%s] %s", model, uuid);

  respond_error (msg, SOUP_STATUS_NOT_FOUND, text);
}

static void
set_header_uint (SoupServerMessage *msg,
                 const char        *name,
                 guint              value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), name, text);
}

static FakeUser *
user_for_request (PlannrFake        *self,
                  SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  FakeUser *user;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  auth += 7;
  while (*auth == ' ')
    auth++;
  if (g_hash_table_contains (self->revoked_tokens, auth))
    return NULL;
  user = g_hash_table_lookup (self->users_by_token, auth);
  return user;
}

static FakeBucket *
bucket_for_request (PlannrFake        *self,
                    SoupServerMessage *msg,
                    FakeUser          *user)
{
  g_autofree char *key = NULL;
  FakeBucket *bucket;
  gint64 now = g_get_monotonic_time ();

  /* Per user, like Laravel's throttle:api; anonymous callers share one
   * budget per client address. */
  if (user != NULL)
    key = g_strconcat ("user:", user->uuid, NULL);
  else
    key = g_strconcat ("ip:", soup_server_message_get_remote_host (msg), NULL);

  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      bucket = g_new0 (FakeBucket, 1);
      bucket->window_start = now;
      g_hash_table_insert (self->buckets, g_steal_pointer (&key), bucket);
    }
  /* A fixed window that starts with the first request after the previous
   * one ended, as Laravel's RateLimiter does. */
  if (now >= bucket->window_start + (gint64) self->rate_window * G_USEC_PER_SEC)
    {
      bucket->window_start = now;
      bucket->used = 0;
    }
  return bucket;
}

/* Counts the request; FALSE (after answering 429) when over budget. */
static gboolean
rate_check (PlannrFake        *self,
            SoupServerMessage *msg,
            FakeUser          *user,
            gboolean           count)
{
  FakeBucket *bucket = bucket_for_request (self, msg, user);

  if (bucket->used >= self->rate_limit)
    {
      gint64 end = bucket->window_start + (gint64) self->rate_window * G_USEC_PER_SEC;
      gint64 left = (end - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      set_header_uint (msg, "X-Ratelimit-Limit", self->rate_limit);
      set_header_uint (msg, "X-Ratelimit-Remaining", 0);
      set_header_uint (msg, "Retry-After", CLAMP (left, 1, (gint64) self->rate_window));
      if (count)
        respond_error (msg, STATUS_TOO_MANY_REQUESTS, "Too Many Attempts.");
      return FALSE;
    }
  if (count)
    bucket->used++;
  set_header_uint (msg, "X-Ratelimit-Limit", self->rate_limit);
  set_header_uint (msg, "X-Ratelimit-Remaining", self->rate_limit - bucket->used);
  return TRUE;
}

/* The request body as a JSON object, or NULL after answering 415/400. */
static JsonNode *
read_json_body (SoupServerMessage *msg,
                gboolean           strict)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  /* No body is {} whatever the (usually absent) Content-Type, so that a
   * DELETE without its body fails validation like any missing field. */
  if (size == 0)
    return json_node_init_object (json_node_alloc (), json_object_new ());
  if (strict && (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0))
    {
      respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                     "Unsupported Media Type: send the body as Content-Type: application/json.");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, NULL))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body is not valid JSON.");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "The request body must be a JSON object.");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

/* Laravel's "required|string|max:@max" after TrimStrings: the trimmed
 * value, or NULL after answering 422. */
static char *
require_string (SoupServerMessage *msg,
                JsonObject        *obj,
                const char        *field,
                const char        *label,
                guint              max)
{
  JsonNode *node = json_object_get_member (obj, field);
  g_autofree char *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      respond_invalid (msg, field, "The %s field is required.", label);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      respond_invalid (msg, field, "The %s field must be a string.", label);
      return NULL;
    }
  value = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*value == '\0')
    {
      respond_invalid (msg, field, "The %s field is required.", label);
      return NULL;
    }
  if (max > 0 && g_utf8_strlen (value, -1) > max)
    {
      respond_invalid (msg, field, "The %s field must not be greater than %u characters.", label, max);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* An array of existing account uuids, or NULL after answering 422. */
static GPtrArray *
require_accounts (PlannrFake        *self,
                  SoupServerMessage *msg,
                  JsonObject        *obj,
                  const char        *field,
                  gboolean           required)
{
  JsonNode *node = json_object_get_member (obj, field);
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return g_steal_pointer (&result);
      respond_invalid (msg, field, "The %s field is required.", field);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      respond_invalid (msg, field, "The %s field must be an array.", field);
      return NULL;
    }
  array = json_node_get_array (node);
  if (required && json_array_get_length (array) == 0)
    {
      respond_invalid (msg, field, "The %s field is required.", field);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *uuid = NULL;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        uuid = json_node_get_string (element);
      if (lookup_account (self, uuid) == NULL)
        {
          g_autofree char *key = g_strdup_printf ("%s.%u", field, i);

          respond_invalid (msg, key, "The selected %s is invalid.", key);
          return NULL;
        }
      g_ptr_array_add (result, g_strdup (uuid));
    }
  return g_steal_pointer (&result);
}

/* --- the API routes ------------------------------------------------ */

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

static FakeConversation *
visible_conversation (Call       *call,
                      const char *uuid)
{
  FakeConversation *conv = lookup_conversation (call->self, uuid);

  if (conv == NULL || !str_array_contains (conv->participants, call->account->uuid))
    {
      respond_not_found (call->msg, "Conversation", uuid);
      return NULL;
    }
  return conv;
}

static FakeMessage *
conversation_message (Call             *call,
                      FakeConversation *conv,
                      const char       *uuid)
{
  FakeMessage *message = lookup_message (call->self, conv->uuid, uuid);

  if (message == NULL)
    respond_not_found (call->msg, "Message", uuid);
  return message;
}

/* One resource, bare or, with the wrap switch, as Laravel's JsonResource
 * sends it by default: {"data": {...}}. */
static void
respond_resource (Call        *call,
                  guint        status,
                  JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  if (call->self->shapes.wrap)
    {
      g_autoptr(JsonObject) wrapper = json_object_new ();

      json_object_set_member (wrapper, "data", g_steal_pointer (&root));
      root = json_node_init_object (json_node_alloc (), wrapper);
    }
  respond_text (call->msg, status, JSON_TYPE, node_to_string (root, FALSE));
}

static void
respond_conversation (Call             *call,
                      guint             status,
                      FakeConversation *conv,
                      guint             includes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_conversation (call->self, b, conv, call->account->uuid, includes);
  respond_resource (call, status, b);
}

static void
respond_message (Call        *call,
                 guint        status,
                 FakeMessage *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  build_message (call->self, b, message);
  respond_resource (call, status, b);
}

/* Spatie's query builder answers unknown includes, sorts and filters
 * with 400 and this kind of message. */
static gboolean
parse_includes (Call  *call,
                guint *includes)
{
  const char *text = g_hash_table_lookup (call->query, "include");
  g_auto(GStrv) names = NULL;

  *includes = 0;
  if (text == NULL)
    return TRUE;
  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gboolean known = FALSE;

      if (*name == '\0')
        continue;
      for (guint j = 0; include_names[j] != NULL; j++)
        if (strcmp (name, include_names[j]) == 0)
          {
            *includes |= 1 << j;
            known = TRUE;
          }
      if (!known)
        {
          g_autofree char *message = g_strdup_printf ("Requested include(s) `%s` are not allowed. "
                                                      "Allowed include(s) are `participants, "
                                                      "participants_count, latest_message, "
                                                      "messages_count, files_count, case, tags`.",
                                                      name);

          respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_positive (const char *text,
                guint      *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
parse_paging (Call  *call,
              guint  default_per_page,
              guint *page,
              guint *per_page)
{
  const char *page_text = g_hash_table_lookup (call->query, "page");
  const char *per_page_text = g_hash_table_lookup (call->query, "per_page");

  /* Laravel's paginator treats a page it cannot read as page 1. */
  if (page_text == NULL || !parse_positive (page_text, page))
    *page = 1;

  *per_page = default_per_page;
  if (per_page_text != NULL)
    {
      gint64 value;

      if (!g_ascii_string_to_signed (per_page_text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        {
          respond_invalid (call->msg, "per_page", "The per page field must be an integer.");
          return FALSE;
        }
      if (value < 1)
        {
          respond_invalid (call->msg, "per_page", "The per page field must be at least 1.");
          return FALSE;
        }
      if (value > MAX_PER_PAGE && call->self->shapes.clamp == 0)
        {
          respond_invalid (call->msg, "per_page", "The per page field must not be greater than %d.",
                           MAX_PER_PAGE);
          return FALSE;
        }
      *per_page = MIN (value, G_MAXUINT);
    }
  /* min($request->per_page, N) in a controller: the default too. */
  if (call->self->shapes.clamp > 0 && *per_page > call->self->shapes.clamp)
    {
      *per_page = call->self->shapes.clamp;
      call->clamped_per_page = *per_page;
    }
  return TRUE;
}

/* An absolute link to @page of the current list with the other query
 * parameters kept in their order. */
static char *
page_url (Call  *call,
          guint  page)
{
  GUri *uri = soup_server_message_get_uri (call->msg);
  const char *query = g_uri_get_query (uri);
  GString *url = g_string_new (call->self->base_url);

  g_string_append (url, g_uri_get_path (uri));
  g_string_append_c (url, '?');
  if (query != NULL)
    {
      g_auto(GStrv) params = g_strsplit (query, "&", -1);

      for (guint i = 0; params[i] != NULL; i++)
        {
          if (*params[i] == '\0' || strcmp (params[i], "page") == 0
              || g_str_has_prefix (params[i], "page="))
            continue;
          /* A clamped size is the one the links ask for. */
          if (call->clamped_per_page > 0
              && (strcmp (params[i], "per_page") == 0 || g_str_has_prefix (params[i], "per_page=")))
            g_string_append_printf (url, "per_page=%u", call->clamped_per_page);
          else
            g_string_append (url, params[i]);
          g_string_append_c (url, '&');
        }
    }
  g_string_append_printf (url, "page=%u", page);
  return g_string_free (url, FALSE);
}

typedef void (*BuildItemFunc) (Call        *call,
                               JsonBuilder *b,
                               gpointer     item,
                               guint        includes);

static void
respond_page (Call          *call,
              GPtrArray     *items,
              guint          page,
              guint          per_page,
              BuildItemFunc  build,
              guint          includes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint total = items->len;
  guint last_page = MAX (1, (total + per_page - 1) / per_page);
  guint64 first = (guint64) (page - 1) * per_page;
  guint64 end = MIN ((guint64) total, first + per_page);
  g_autofree char *first_url = page_url (call, 1);
  g_autofree char *last_url = page_url (call, last_page);
  g_autofree char *prev_url = page > 1 ? page_url (call, page - 1) : NULL;
  g_autofree char *next_url = page < last_page ? page_url (call, page + 1) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (guint64 i = first; i < end; i++)
    build (call, b, g_ptr_array_index (items, i), includes);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "links");
  json_builder_begin_object (b);
  add_string (b, "first", first_url);
  add_string (b, "last", last_url);
  add_string (b, "prev", prev_url);
  add_string (b, "next", next_url);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "meta");
  json_builder_begin_object (b);
  add_int (b, "current_page", page);
  json_builder_set_member_name (b, "from");
  if (first < end)
    json_builder_add_int_value (b, first + 1);
  else
    json_builder_add_null_value (b);
  add_int (b, "last_page", last_page);
  {
    g_autofree char *path = g_strconcat (call->self->base_url,
                                         g_uri_get_path (soup_server_message_get_uri (call->msg)),
                                         NULL);

    add_string (b, "path", path);
  }
  add_int (b, "per_page", per_page);
  json_builder_set_member_name (b, "to");
  if (first < end)
    json_builder_add_int_value (b, end);
  else
    json_builder_add_null_value (b);
  add_int (b, "total", total);
  json_builder_end_object (b);
  json_builder_end_object (b);

  respond_builder (call->msg, SOUP_STATUS_OK, b);
}

static void
build_conversation_item (Call        *call,
                         JsonBuilder *b,
                         gpointer     item,
                         guint        includes)
{
  build_conversation (call->self, b, item, call->account->uuid, includes);
}

static void
build_message_item (Call        *call,
                    JsonBuilder *b,
                    gpointer     item,
                    guint        includes)
{
  build_message (call->self, b, item);
}

static void
build_account_item (Call        *call,
                    JsonBuilder *b,
                    gpointer     item,
                    guint        includes)
{
  build_account (call->self, b, item, -1);
}

/* Spatie's query builder refuses filters it was not told about; @allowed
 * is a comma list as its message shows it. */
static gboolean
check_filters (Call       *call,
               const char *allowed)
{
  g_auto(GStrv) names = g_strsplit (allowed, ", ", -1);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, call->query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *name = key;
      g_autofree char *inner = NULL;

      if (!g_str_has_prefix (name, "filter[") || !g_str_has_suffix (name, "]"))
        continue;
      inner = g_strndup (name + strlen ("filter["), strlen (name) - strlen ("filter[]"));
      if (!g_strv_contains ((const char * const *) names, inner))
        {
          g_autofree char *message = g_strdup_printf ("Requested filter(s) `%s` are not allowed. "
                                                      "Allowed filter(s) are `%s`.", inner, allowed);

          respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Spatie's partial filter: a case-insensitive substring (LIKE %x%). */
static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack != NULL ? haystack : "", -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

typedef enum
{
  PEOPLE_FIRST_NAME,
  PEOPLE_LAST_NAME,
  PEOPLE_EMAIL,
} PeopleSortKey;

typedef struct
{
  PeopleSortKey key;
  gboolean descending;
  GPtrArray *order;           /* the store's accounts, for ties */
} PeopleSort;

static int
compare_people (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const PeopleSort *sort = user_data;
  FakeAccount *pa = *(FakeAccount **) a;
  FakeAccount *pb = *(FakeAccount **) b;
  const char *ka, *kb;
  int result;

  switch (sort->key)
    {
    case PEOPLE_LAST_NAME:
      ka = pa->last_name;
      kb = pb->last_name;
      break;
    case PEOPLE_EMAIL:
      ka = pa->email;
      kb = pb->email;
      break;
    case PEOPLE_FIRST_NAME:
    default:
      ka = pa->first_name;
      kb = pb->first_name;
      break;
    }
  result = g_strcmp0 (ka, kb);
  if (result == 0)
    {
      guint ia = 0, ib = 0;

      g_ptr_array_find (sort->order, pa, &ia);
      g_ptr_array_find (sort->order, pb, &ib);
      result = ia < ib ? -1 : (ia > ib ? 1 : 0);
    }
  return sort->descending ? -result : result;
}

/* GET /employee (arg TRUE) and GET /account: the accounts of the
 * acting account's firm, the employees only or every type. */
static void
handle_people (Call *call)
{
  gboolean employees = call->arg;
  const char *sort_text = g_hash_table_lookup (call->query, "sort");
  const char *name = g_hash_table_lookup (call->query, "filter[name]");
  const char *email = g_hash_table_lookup (call->query, "filter[email]");
  const char *uuid = g_hash_table_lookup (call->query, "filter[uuid]");
  const char *type = g_hash_table_lookup (call->query, "filter[type]");
  PeopleSort sort = { PEOPLE_FIRST_NAME, FALSE, call->self->accounts };
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_auto(GStrv) uuids = uuid != NULL ? g_strsplit (uuid, ",", -1) : NULL;
  g_auto(GStrv) types = type != NULL ? g_strsplit (type, ",", -1) : NULL;
  guint page, per_page;

  if (!check_filters (call, employees ? "name, email, uuid" : "type, name, uuid"))
    return;
  if (sort_text != NULL && *sort_text != '\0')
    {
      const char *key = sort_text;

      if (*key == '-')
        {
          sort.descending = TRUE;
          key++;
        }
      if (strcmp (key, "first_name") == 0)
        sort.key = PEOPLE_FIRST_NAME;
      else if (strcmp (key, "last_name") == 0)
        sort.key = PEOPLE_LAST_NAME;
      else if (strcmp (key, "email") == 0)
        sort.key = PEOPLE_EMAIL;
      else
        {
          g_autofree char *message = g_strdup_printf ("Requested sort(s) `%s` is not allowed. "
                                                      "Allowed sort(s) are `first_name, last_name, "
                                                      "email`.", key);

          respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
    }
  if (!parse_paging (call, 15, &page, &per_page))
    return;

  for (guint i = 0; i < call->self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (call->self->accounts, i);
      g_autofree char *full = g_strconcat (account->first_name, " ", account->last_name, NULL);

      if (account->firm_uuid == NULL || g_strcmp0 (account->firm_uuid, call->account->firm_uuid) != 0)
        continue;
      if (employees && g_strcmp0 (account->type, "employee") != 0)
        continue;
      if (types != NULL && !g_strv_contains ((const char * const *) types, account->type))
        continue;
      if (uuids != NULL && !g_strv_contains ((const char * const *) uuids, account->uuid))
        continue;
      if (name != NULL && !contains_folded (full, name))
        continue;
      if (email != NULL && !contains_folded (account->email, email))
        continue;
      g_ptr_array_add (items, account);
    }
  g_ptr_array_sort_with_data (items, compare_people, &sort);
  respond_page (call, items, page, per_page, build_account_item, 0);
}

static void
handle_me (Call *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  FakeAccount *current = call->account;
  g_autofree char *photo = photo_url (call->user->name);

  if (current == NULL)
    current = lookup_account (call->self, call->user->preferred_account);
  for (guint i = 0; current == NULL && i < call->self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (call->self->accounts, i);

      if (g_strcmp0 (account->user_uuid, call->user->uuid) == 0)
        current = account;
    }

  json_builder_begin_object (b);
  add_string (b, "uuid", call->user->uuid);
  add_string (b, "name", call->user->name);
  add_string (b, "first_name", call->user->first_name);
  add_string (b, "last_name", call->user->last_name);
  add_string (b, "email", call->user->email);
  add_string (b, "type", "standard");
  add_string (b, "photo_url", photo);
  json_builder_set_member_name (b, "current_account");
  if (current != NULL)
    build_account_short (b, current);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  respond_resource (call, SOUP_STATUS_OK, b);
}

static void
handle_logins (Call *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (guint i = 0; i < call->self->accounts->len; i++)
    {
      FakeAccount *account = g_ptr_array_index (call->self->accounts, i);

      if (g_strcmp0 (account->user_uuid, call->user->uuid) != 0)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "account");
      build_account_short (b, account);
      json_builder_set_member_name (b, "firm");
      build_firm (call->self, b, account->firm_uuid);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (call->user->preferred_account != NULL)
    add_string (b, "preferred_account_uuid", call->user->preferred_account);
  json_builder_end_object (b);
  respond_builder (call->msg, SOUP_STATUS_OK, b);
}

typedef enum
{
  SORT_CREATED_AT,
  SORT_UPDATED_AT,
  SORT_LATEST_MESSAGE,
  SORT_PINNED,
} SortKey;

typedef struct
{
  SortKey key;
  gboolean descending;
  const char *acting;
} ConversationSort;

static void
conversation_sort_key (FakeConversation       *conv,
                       const ConversationSort *sort,
                       gint64                 *primary,
                       guint64                *secondary)
{
  FakeMessage *latest;

  switch (sort->key)
    {
    case SORT_CREATED_AT:
      *primary = conv->created_at;
      *secondary = conv->seq;
      break;
    case SORT_UPDATED_AT:
      *primary = conv->updated_at;
      *secondary = conv->updated_seq;
      break;
    case SORT_LATEST_MESSAGE:
      /* Conversations without messages count from their creation. */
      latest = latest_message (conv);
      *primary = latest != NULL ? latest->created_at : conv->created_at;
      *secondary = latest != NULL ? latest->seq : conv->seq;
      break;
    case SORT_PINNED:
    default:
      *primary = str_array_contains (conv->pinned_by, sort->acting);
      *secondary = conv->seq;
      break;
    }
}

static int
compare_conversations (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const ConversationSort *sort = user_data;
  FakeConversation *ca = *(FakeConversation **) a;
  FakeConversation *cb = *(FakeConversation **) b;
  gint64 pa, pb;
  guint64 sa, sb;
  int result;

  conversation_sort_key (ca, sort, &pa, &sa);
  conversation_sort_key (cb, sort, &pb, &sb);
  if (pa != pb)
    result = pa < pb ? -1 : 1;
  else if (sa != sb)
    result = sa < sb ? -1 : 1;
  else
    result = 0;
  return sort->descending ? -result : result;
}

static void
handle_conversation_list (Call *call)
{
  const char *sort_text = g_hash_table_lookup (call->query, "sort");
  const char *filter_uuid = g_hash_table_lookup (call->query, "filter[uuid]");
  const char *filter_archived = g_hash_table_lookup (call->query, "filter[archived]");
  ConversationSort sort = { SORT_LATEST_MESSAGE, FALSE, call->account->uuid };
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_auto(GStrv) uuids = NULL;
  GHashTableIter iter;
  gpointer key;
  guint includes, page, per_page;

  if (!parse_includes (call, &includes))
    return;

  g_hash_table_iter_init (&iter, call->query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, "filter[") && strcmp (key, "filter[uuid]") != 0
        && strcmp (key, "filter[archived]") != 0)
      {
        g_autofree char *message = g_strdup_printf ("Requested filter(s) `%s` are not allowed. "
                                                    "Allowed filter(s) are `uuid, archived`.",
                                                    (const char *) key);

        respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
        return;
      }

  /* The documented default, latest_message ascending, really is oldest
   * first; plannr-api.md tells clients to always send sort. */
  if (sort_text != NULL && *sort_text != '\0')
    {
      const char *name = sort_text;

      if (*name == '-')
        {
          sort.descending = TRUE;
          name++;
        }
      if (strcmp (name, "created_at") == 0)
        sort.key = SORT_CREATED_AT;
      else if (strcmp (name, "updated_at") == 0)
        sort.key = SORT_UPDATED_AT;
      else if (strcmp (name, "latest_message") == 0)
        sort.key = SORT_LATEST_MESSAGE;
      else if (strcmp (name, "pinned_conversations") == 0)
        sort.key = SORT_PINNED;
      else
        {
          g_autofree char *message = g_strdup_printf ("Requested sort(s) `%s` is not allowed. "
                                                      "Allowed sort(s) are `created_at, updated_at, "
                                                      "latest_message, pinned_conversations`.",
                                                      name);

          respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
    }

  if (!parse_paging (call, 15, &page, &per_page))
    return;

  if (filter_uuid != NULL)
    uuids = g_strsplit (filter_uuid, ",", -1);

  /* There is no archive here, so "only archived" is always empty. */
  if (g_strcmp0 (filter_archived, "only") != 0)
    for (guint i = 0; i < call->self->conversations->len; i++)
      {
        FakeConversation *conv = g_ptr_array_index (call->self->conversations, i);

        if (!str_array_contains (conv->participants, call->account->uuid))
          continue;
        if (uuids != NULL && !g_strv_contains ((const char * const *) uuids, conv->uuid))
          continue;
        g_ptr_array_add (items, conv);
      }

  g_ptr_array_sort_with_data (items, compare_conversations, &sort);
  respond_page (call, items, page, per_page, build_conversation_item, includes);
}

static void
handle_conversation_create (Call *call)
{
  PlannrFake *self = call->self;
  g_autoptr(JsonNode) body = read_json_body (call->msg, TRUE);
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  const char *case_uuid = NULL;
  const char *case_name = NULL;
  FakeConversation *conv;
  JsonObject *obj;
  JsonNode *case_node;
  const char *admins[] = { call->account->uuid, NULL };

  if (body == NULL)
    return;
  obj = json_node_get_object (body);
  name = require_string (call->msg, obj, "name", "name", MAX_NAME_LENGTH);
  if (name == NULL)
    return;
  participants = require_accounts (self, call->msg, obj, "participants", FALSE);
  if (participants == NULL)
    return;

  /* Cases live elsewhere in Plannr; the fake knows the ones its
   * conversations belong to. */
  case_node = json_object_get_member (obj, "case");
  if (case_node != NULL && !JSON_NODE_HOLDS_NULL (case_node))
    {
      if (JSON_NODE_HOLDS_VALUE (case_node) && json_node_get_value_type (case_node) == G_TYPE_STRING)
        {
          case_uuid = json_node_get_string (case_node);
          for (guint i = 0; case_name == NULL && i < self->conversations->len; i++)
            {
              FakeConversation *other = g_ptr_array_index (self->conversations, i);

              if (g_strcmp0 (other->case_uuid, case_uuid) == 0)
                case_name = other->case_name;
            }
        }
      if (case_name == NULL)
        {
          respond_invalid (call->msg, "case", "The selected case is invalid.");
          return;
        }
    }

  g_ptr_array_add (participants, NULL);
  conv = add_conversation_full (self, NULL, name, (const char * const *) participants->pdata,
                                admins, fake_now (self));
  if (case_name != NULL)
    {
      conv->case_uuid = g_strdup (case_uuid);
      conv->case_name = g_strdup (case_name);
    }
  respond_conversation (call, SOUP_STATUS_CREATED, conv, INCLUDE_ALL);
}

static void
handle_conversation_get (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = visible_conversation (call, uuid);
  guint includes;

  if (conv == NULL || !parse_includes (call, &includes))
    return;
  respond_conversation (call, SOUP_STATUS_OK, conv, includes);
}

static void
handle_conversation_rename (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *name = NULL;

  if (conv == NULL)
    return;
  body = read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  if (!str_array_contains (conv->admins, call->account->uuid))
    {
      respond_error (call->msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }
  name = require_string (call->msg, json_node_get_object (body), "name", "name", MAX_NAME_LENGTH);
  if (name == NULL)
    return;
  rename_conversation (call->self, conv, name);
  respond_conversation (call, SOUP_STATUS_OK, conv, INCLUDE_ALL);
}

static void
handle_conversation_pin (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  JsonNode *pin;

  if (conv == NULL)
    return;
  body = read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  pin = json_object_get_member (json_node_get_object (body), "pin");
  if (pin == NULL || JSON_NODE_HOLDS_NULL (pin))
    {
      respond_invalid (call->msg, "pin", "The pin field is required.");
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (pin) || json_node_get_value_type (pin) != G_TYPE_BOOLEAN)
    {
      respond_invalid (call->msg, "pin", "The pin field must be true or false.");
      return;
    }
  plannr_fake_set_pinned (call->self, conv->uuid, call->account->uuid, json_node_get_boolean (pin));
  respond_conversation (call, SOUP_STATUS_OK, conv, INCLUDE_PARTICIPANTS);
}

/* Whether @obj's "participants" is a non-empty array of @uuid alone:
 * someone leaving, which needs no admin. */
static gboolean
only_self (JsonObject *obj,
           const char *uuid)
{
  JsonNode *node = json_object_get_member (obj, "participants");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || g_strcmp0 (json_node_get_string (element), uuid) != 0)
        return FALSE;
    }
  return TRUE;
}

/* C6 (arg TRUE: add) and C7. */
static void
handle_participants (Call *call)
{
  const char *uuid = call->params[0];
  gboolean add = call->arg;
  FakeConversation *conv = visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  JsonObject *obj;

  if (conv == NULL)
    return;
  body = read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  obj = json_node_get_object (body);
  /* A policy may read the input: anyone may take themselves out. */
  if (!str_array_contains (conv->admins, call->account->uuid)
      && (add || !only_self (obj, call->account->uuid)))
    {
      respond_error (call->msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }
  accounts = require_accounts (call->self, call->msg, obj, "participants", TRUE);
  if (accounts == NULL)
    return;
  /* Only people the adder may see: accounts of the same firm. */
  for (guint i = 0; add && i < accounts->len; i++)
    {
      FakeAccount *account = lookup_account (call->self, g_ptr_array_index (accounts, i));

      if (account == NULL || account->firm_uuid == NULL
          || g_strcmp0 (account->firm_uuid, call->account->firm_uuid) != 0)
        {
          g_autofree char *key = g_strdup_printf ("participants.%u", i);

          respond_invalid (call->msg, key, "The selected %s is invalid.", key);
          return;
        }
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      if (add)
        str_array_add_unique (conv->participants, g_ptr_array_index (accounts, i));
      else
        plannr_fake_remove_participant (call->self, conv->uuid, g_ptr_array_index (accounts, i));
    }
  /* Removing yourself is allowed, and then the answer can no longer show
   * you as a participant; that is what the real server would do too. */
  respond_conversation (call, SOUP_STATUS_OK, conv, INCLUDE_PARTICIPANTS);
}

/* C8 (arg TRUE: add) and C9.  The reference disagrees on the body, so either
 * key is accepted, or both (their union). */
static void
handle_admin (Call *call)
{
  const char *uuid = call->params[0];
  gboolean add = call->arg;
  FakeConversation *conv = visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = NULL;
  JsonObject *obj;
  JsonNode *one;
  JsonNode *many;

  if (conv == NULL)
    return;
  body = read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  if (!str_array_contains (conv->admins, call->account->uuid))
    {
      respond_error (call->msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }
  obj = json_node_get_object (body);
  one = json_object_get_member (obj, "participant");
  many = json_object_get_member (obj, "participants");
  if ((one == NULL || JSON_NODE_HOLDS_NULL (one)) && (many == NULL || JSON_NODE_HOLDS_NULL (many)))
    {
      respond_invalid (call->msg, "participant",
                       "The participant field is required when participants is not present.");
      return;
    }
  if (one != NULL && !JSON_NODE_HOLDS_NULL (one))
    {
      if (!JSON_NODE_HOLDS_VALUE (one) || json_node_get_value_type (one) != G_TYPE_STRING
          || !str_array_contains (conv->participants, json_node_get_string (one)))
        {
          respond_invalid (call->msg, "participant", "The selected participant is invalid.");
          return;
        }
      g_ptr_array_add (accounts, g_strdup (json_node_get_string (one)));
    }
  if (many != NULL && !JSON_NODE_HOLDS_NULL (many))
    {
      list = require_accounts (call->self, call->msg, obj, "participants", TRUE);
      if (list == NULL)
        return;
      for (guint i = 0; i < list->len; i++)
        {
          const char *account = g_ptr_array_index (list, i);

          if (!str_array_contains (conv->participants, account))
            {
              g_autofree char *key = g_strdup_printf ("participants.%u", i);

              respond_invalid (call->msg, key, "The selected %s is invalid.", key);
              return;
            }
          g_ptr_array_add (accounts, g_strdup (account));
        }
    }
  for (guint i = 0; i < accounts->len; i++)
    plannr_fake_set_admin (call->self, conv->uuid, g_ptr_array_index (accounts, i), add);
  respond_conversation (call, SOUP_STATUS_OK, conv, INCLUDE_PARTICIPANTS);
}

static int
compare_messages (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  FakeMessage *ma = *(FakeMessage **) a;
  FakeMessage *mb = *(FakeMessage **) b;
  gboolean descending = GPOINTER_TO_INT (user_data);
  int result;

  if (ma->created_at != mb->created_at)
    result = ma->created_at < mb->created_at ? -1 : 1;
  else
    result = ma->seq < mb->seq ? -1 : (ma->seq > mb->seq ? 1 : 0);
  return descending ? -result : result;
}

/* C10: the conversation's folder, made of its messages' files. */
static void
handle_documents (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = visible_conversation (call, uuid);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) messages = NULL;

  if (conv == NULL)
    return;
  messages = g_ptr_array_copy (conv->messages, NULL, NULL);
  g_ptr_array_set_free_func (messages, NULL);
  g_ptr_array_sort_with_data (messages, compare_messages, GINT_TO_POINTER (FALSE));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < messages->len; i++)
    {
      FakeMessage *message = g_ptr_array_index (messages, i);

      if (message->deleted_at != 0)
        continue;
      for (guint j = 0; j < message->files->len; j++)
        build_file (call->self, b, g_ptr_array_index (message->files, j));
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "folders");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  respond_resource (call, SOUP_STATUS_OK, b);
}

static void
handle_message_list (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = visible_conversation (call, uuid);
  const char *sort = g_hash_table_lookup (call->query, "sort");
  g_autoptr(GPtrArray) items = NULL;
  gboolean descending = TRUE;
  guint page, per_page;

  if (conv == NULL)
    return;
  if (sort != NULL && *sort != '\0')
    {
      if (strcmp (sort, "created_at") == 0)
        descending = FALSE;
      else if (strcmp (sort, "-created_at") != 0)
        {
          g_autofree char *message = g_strdup_printf ("Requested sort(s) `%s` is not allowed. "
                                                      "Allowed sort(s) are `created_at`.", sort);

          respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, message);
          return;
        }
    }
  if (!parse_paging (call, 30, &page, &per_page))
    return;

  /* Deleted messages stay in the list with deleted_at set. */
  items = g_ptr_array_copy (conv->messages, NULL, NULL);
  /* The copy inherits the free function, but the store owns these. */
  g_ptr_array_set_free_func (items, NULL);
  g_ptr_array_sort_with_data (items, compare_messages, GINT_TO_POINTER (descending));
  respond_page (call, items, page, per_page, build_message_item, 0);
}

/* Resolves M2's "files": uuids of files already known to the store. */
static gboolean
attach_known_files (Call        *call,
                    JsonObject  *obj,
                    FakeMessage *message,
                    gboolean     apply)
{
  JsonNode *node = json_object_get_member (obj, "files");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      respond_invalid (call->msg, "files", "The files field must be an array.");
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *uuid = NULL;
      FakeFile *found = NULL;
      GHashTableIter iter;
      gpointer value;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        uuid = json_node_get_string (element);
      g_hash_table_iter_init (&iter, call->self->messages_by_uuid);
      while (uuid != NULL && found == NULL && g_hash_table_iter_next (&iter, NULL, &value))
        {
          FakeMessage *other = value;

          for (guint j = 0; found == NULL && j < other->files->len; j++)
            if (strcmp (((FakeFile *) g_ptr_array_index (other->files, j))->uuid, uuid) == 0)
              found = g_ptr_array_index (other->files, j);
        }
      if (found == NULL)
        {
          g_autofree char *key = g_strdup_printf ("files.%u", i);

          respond_invalid (call->msg, key, "The selected %s is invalid.", key);
          return FALSE;
        }
      if (apply)
        add_file (call->self, message, found->uuid, found->filename, found->type, found->size,
                  found->download_url);
    }
  return TRUE;
}

static void
handle_message_post (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = visible_conversation (call, uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *contents = NULL;
  FakeMessage *message;

  if (conv == NULL)
    return;
  body = read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  contents = require_string (call->msg, json_node_get_object (body), "contents", "contents",
                             MAX_CONTENTS_LENGTH);
  if (contents == NULL || !attach_known_files (call, json_node_get_object (body), NULL, FALSE))
    return;
  message = post_message (call->self, conv, call->account->uuid, contents);
  attach_known_files (call, json_node_get_object (body), message, TRUE);
  respond_message (call, SOUP_STATUS_CREATED, message);
}

typedef struct
{
  char *filename;
  char *type;
  GBytes *data;
} Upload;

static void
upload_free (gpointer data)
{
  Upload *upload = data;

  g_free (upload->filename);
  g_free (upload->type);
  g_bytes_unref (upload->data);
  g_free (upload);
}

/* M3: multipart/form-data with "files[]" parts (at least one, each a
 * file) and an optional "contents", validated as Laravel's
 * "files" => "required|array", "files.*" => "file" would. */
static void
handle_message_inline (Call *call)
{
  const char *uuid = call->params[0];
  FakeConversation *conv = visible_conversation (call, uuid);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (call->msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  g_autofree char *contents = NULL;
  SoupMultipart *multipart;
  gboolean files_not_array = FALSE;
  int not_a_file = -1;
  FakeMessage *message;

  if (conv == NULL)
    return;
  if (type == NULL || g_ascii_strcasecmp (type, "multipart/form-data") != 0)
    {
      respond_error (call->msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                     "Unsupported Media Type: send the body as multipart/form-data.");
      return;
    }
  bytes = soup_message_body_flatten (soup_server_message_get_request_body (call->msg));
  multipart = soup_multipart_new_from_message (headers, bytes);
  if (multipart == NULL)
    {
      respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, "The multipart body could not be read.");
      return;
    }

  uploads = g_ptr_array_new_with_free_func (upload_free);
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autoptr(GHashTable) params = NULL;
      const char *name;
      const char *filename;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body)
          || !soup_message_headers_get_content_disposition (part_headers, NULL, &params))
        continue;
      name = g_hash_table_lookup (params, "name");
      filename = g_hash_table_lookup (params, "filename");
      if (g_strcmp0 (name, "contents") == 0)
        {
          g_free (contents);
          contents = g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
          g_strstrip (contents);
        }
      else if (g_strcmp0 (name, "files[]") == 0)
        {
          Upload *upload;
          const char *part_type = soup_message_headers_get_content_type (part_headers, NULL);

          /* A plain field where a file belongs (no filename). */
          if (filename == NULL)
            {
              if (not_a_file < 0)
                not_a_file = uploads->len;
              g_ptr_array_add (uploads, NULL);
              continue;
            }
          upload = g_new0 (Upload, 1);
          upload->filename = g_strdup (filename);
          upload->type = g_strdup (part_type);
          upload->data = g_bytes_ref (part_body);
          g_ptr_array_add (uploads, upload);
        }
      else if (g_strcmp0 (name, "files") == 0)
        /* PHP reads a lone "files" as one file, not a list of them. */
        files_not_array = TRUE;
    }
  soup_multipart_free (multipart);

  if (files_not_array && uploads->len == 0)
    {
      respond_invalid (call->msg, "files", "The files field must be an array.");
      return;
    }
  if (uploads->len == 0)
    {
      respond_invalid (call->msg, "files", "The files field is required.");
      return;
    }
  if (not_a_file >= 0)
    {
      g_autofree char *key = g_strdup_printf ("files.%d", not_a_file);

      respond_invalid (call->msg, key, "The %s field must be a file.", key);
      return;
    }
  if (contents != NULL && !g_utf8_validate (contents, -1, NULL))
    {
      respond_invalid (call->msg, "contents", "The contents field must be a string.");
      return;
    }
  if (contents != NULL && g_utf8_strlen (contents, -1) > MAX_CONTENTS_LENGTH)
    {
      respond_invalid (call->msg, "contents", "The contents field must not be greater than %d characters.",
                       MAX_CONTENTS_LENGTH);
      return;
    }

  message = post_message (call->self, conv, call->account->uuid, contents != NULL ? contents : "");
  for (guint i = 0; i < uploads->len; i++)
    {
      Upload *upload = g_ptr_array_index (uploads, i);

      add_file_data (call->self, message, NULL, upload->filename, upload->type, upload->data, FALSE);
    }
  respond_message (call, SOUP_STATUS_CREATED, message);
}

/* The fake's own download route (plannr-api.md leaves the real URL
 * shape open). */
static void
handle_file_download (Call *call)
{
  const char *uuid = call->params[0];
  FakeFile *file = find_file (call->self, uuid, call->account->uuid);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  if (file == NULL)
    {
      respond_not_found (call->msg, "File", uuid);
      return;
    }
  if (file->redirect)
    {
      g_autofree char *link = storage_link (call->self, file);

      soup_server_message_set_redirect (call->msg, SOUP_STATUS_FOUND, link);
      return;
    }
  bytes = file_bytes (file);
  g_hash_table_insert (params, "filename", file->filename);
  soup_message_headers_set_content_disposition (headers, "attachment", params);
  soup_server_message_set_status (call->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (call->msg, file->type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
handle_message_get (Call *call)
{
  const char *conversation_uuid = call->params[0];
  const char *uuid = call->params[1];
  FakeConversation *conv = visible_conversation (call, conversation_uuid);
  FakeMessage *message;

  if (conv == NULL)
    return;
  message = conversation_message (call, conv, uuid);
  if (message == NULL)
    return;
  respond_message (call, SOUP_STATUS_OK, message);
}

static void
handle_message_edit (Call *call)
{
  const char *conversation_uuid = call->params[0];
  const char *uuid = call->params[1];
  FakeConversation *conv = visible_conversation (call, conversation_uuid);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *contents = NULL;
  FakeMessage *message;

  if (conv == NULL)
    return;
  message = conversation_message (call, conv, uuid);
  if (message == NULL)
    return;
  /* Soft-deleted models are out of reach of route binding: 404. */
  if (message->deleted_at != 0)
    {
      respond_not_found (call->msg, "Message", uuid);
      return;
    }
  body = read_json_body (call->msg, TRUE);
  if (body == NULL)
    return;
  if (strcmp (message->author, call->account->uuid) != 0)
    {
      respond_error (call->msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }
  contents = require_string (call->msg, json_node_get_object (body), "contents", "contents",
                             MAX_CONTENTS_LENGTH);
  if (contents == NULL)
    return;
  edit_message (call->self, message, contents);
  respond_message (call, SOUP_STATUS_OK, message);
}

static void
handle_reaction (Call *call)
{
  static const char * const reactions[] = { "like", "love", "laughing", "surprised", NULL };
  g_autoptr(JsonNode) body = read_json_body (call->msg, TRUE);
  g_autofree char *type = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *reaction = NULL;
  FakeMessage *message;
  JsonObject *obj;

  if (body == NULL)
    return;
  obj = json_node_get_object (body);
  type = require_string (call->msg, obj, "reactable_type", "reactable type", 0);
  if (type == NULL)
    return;
  if (strcmp (type, "message") != 0)
    {
      respond_invalid (call->msg, "reactable_type", "The selected reactable type is invalid.");
      return;
    }
  uuid = require_string (call->msg, obj, "reactable_uuid", "reactable uuid", 0);
  if (uuid == NULL)
    return;
  reaction = require_string (call->msg, obj, "reaction", "reaction", 0);
  if (reaction == NULL)
    return;
  if (!g_strv_contains (reactions, reaction))
    {
      respond_invalid (call->msg, "reaction", "The selected reaction is invalid.");
      return;
    }
  message = lookup_message (call->self, NULL, uuid);
  if (message == NULL || message->deleted_at != 0
      || !str_array_contains (message->conversation->participants, call->account->uuid))
    {
      respond_not_found (call->msg, "Message", uuid);
      return;
    }
  add_reaction (call->self, message, NULL, call->account->uuid, reaction, fake_now (call->self));
  respond_message (call, SOUP_STATUS_OK, message);
}

/* The switches that act on a finished answer rather than on how its
 * contents are built: empty-2xx (@api: only for answers of the API
 * itself, not injected faults or control routes) and charset. */
static void
shape_answer (PlannrFake        *self,
              SoupServerMessage *msg,
              gboolean           api)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  guint status = soup_server_message_get_status (msg);
  const char *type;

  if (api && self->shapes.empty_2xx && SOUP_STATUS_IS_SUCCESSFUL (status)
      && (strcmp (method, "POST") == 0 || strcmp (method, "PUT") == 0
          || strcmp (method, "DELETE") == 0))
    {
      /* NULL clears both the body and its Content-Type. */
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
      if (status == SOUP_STATUS_CREATED)
        soup_server_message_set_response (msg, "text/html; charset=UTF-8", SOUP_MEMORY_STATIC, "", 0);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  type = soup_message_headers_get_content_type (headers, NULL);
  if (type != NULL && g_ascii_strcasecmp (type, JSON_TYPE) == 0)
    soup_message_headers_replace (headers, "Content-Type",
                                  self->shapes.charset ? JSON_TYPE "; charset=utf-8" : JSON_TYPE);
}

static void handle_api (PlannrFake        *self,
                        SoupServerMessage *msg);

/* --- faults -------------------------------------------------------- */

static void
respond_fault_status (PlannrFake        *self,
                      SoupServerMessage *msg,
                      guint              status)
{
  FakeBucket *bucket = bucket_for_request (self, msg, user_for_request (self, msg));

  set_header_uint (msg, "X-Ratelimit-Limit", self->rate_limit);
  set_header_uint (msg, "X-Ratelimit-Remaining",
                   status == STATUS_TOO_MANY_REQUESTS ? 0 : self->rate_limit - MIN (bucket->used, self->rate_limit));
  if (status == STATUS_TOO_MANY_REQUESTS)
    set_header_uint (msg, "Retry-After", 1);

  /* Proxies and load balancers in front of Laravel answer 5xx in HTML,
   * which is exactly what a client must survive. */
  if (status >= 500)
    respond_text (msg, status, "text/html; charset=utf-8",
                  g_strdup_printf ("<!DOCTYPE html>\n<html><head><title>%u %s</title></head>"
                                   "<body><h1>%u %s</h1><p>Injected by the fake.</p></body></html>\n",
                                   status, soup_status_get_phrase (status),
                                   status, soup_status_get_phrase (status)));
  else
    {
      g_autofree char *text = g_strdup_printf ("%s (injected by the fake).",
                                               soup_status_get_phrase (status) != NULL
                                               ? soup_status_get_phrase (status) : "Error");

      respond_error (msg, status, status == STATUS_TOO_MANY_REQUESTS ? "Too Many Attempts." : text);
    }
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
finish_request (PlannrFakeRequest *request,
                SoupServerMessage *msg)
{
  if (request != NULL)
    request->status = soup_server_message_get_status (msg);
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  FakePending *pending = user_data;
  PlannrFake *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  PlannrFakeRequest *request = pending->request;

  g_ptr_array_remove (self->pending, pending);
  handle_api (self, msg);
  finish_request (request, msg);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* The client gave up while the answer was delayed: nothing left to say. */
static void
pending_disconnected_cb (SoupServerMessage *msg,
                         gpointer           user_data)
{
  FakePending *pending = user_data;

  g_ptr_array_remove (pending->self->pending, pending);
}

static void
delay_request (PlannrFake        *self,
               SoupServerMessage *msg,
               PlannrFakeRequest *request,
               guint              ms)
{
  FakePending *pending = g_new0 (FakePending, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->request = request;
  pending->source = g_timeout_source_new (ms);
  g_source_set_callback (pending->source, pending_timeout_cb, pending, NULL);
  g_source_attach (pending->source, self->context);
  pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (pending_disconnected_cb), pending);
  g_ptr_array_add (self->pending, pending);
  soup_server_message_pause (msg);
}

/* --- the control routes under /_fake/ ------------------------------ */

static void
build_request (JsonBuilder       *b,
               PlannrFakeRequest *request)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *body = g_utf8_make_valid (request->body, -1);

  json_builder_begin_object (b);
  add_string (b, "method", request->method);
  add_string (b, "path", request->path);
  add_string (b, "query", request->query);
  json_builder_set_member_name (b, "headers");
  json_builder_begin_object (b);
  soup_message_headers_iter_init (&iter, request->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);
      const char *list;

      /* Repeated headers come out once, joined, as HTTP allows. */
      if (!g_hash_table_add (seen, g_strdup (lower)))
        continue;
      list = soup_message_headers_get_list (request->headers, name);
      add_string (b, lower, list);
    }
  json_builder_end_object (b);
  add_string (b, "body", body);
  add_int (b, "status", request->status);
  json_builder_end_object (b);
}

static gboolean
parse_fault_kind (const char          *name,
                  PlannrFakeFaultKind *kind)
{
  static const char * const names[] = { "status", "delay", "drop", "malformed", "drop-after", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static void
respond_shapes (PlannrFake        *self,
                SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *spec = plannr_fake_get_shapes (self);

  json_builder_begin_object (b);
  add_string (b, "shapes", spec);
  add_bool (b, "wrap_resources", self->shapes.wrap);
  add_int (b, "clamp_per_page", self->shapes.clamp);
  add_bool (b, "empty_2xx", self->shapes.empty_2xx);
  add_string (b, "time_format", time_format_names[self->shapes.time]);
  add_bool (b, "json_charset", self->shapes.charset);
  json_builder_end_object (b);
  respond_builder (msg, SOUP_STATUS_OK, b);
}

static gboolean
member_is (JsonNode *node,
           GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* POST: "shapes" (a spec, applied first) and any of the switches by
 * name; a member that is unknown or of the wrong type changes nothing
 * and is a 400, so a typo cannot pass for the default. */
static void
control_shapes_post (Call *call)
{
  PlannrFake *self = call->self;
  SoupServerMessage *msg = call->msg;
  JsonObject *obj = call->body;
  g_autoptr(GList) members = json_object_get_members (obj);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean ok;

      node = json_object_get_member (obj, name);
      if (strcmp (name, "wrap_resources") == 0 || strcmp (name, "empty_2xx") == 0
          || strcmp (name, "json_charset") == 0)
        ok = member_is (node, G_TYPE_BOOLEAN);
      else if (strcmp (name, "clamp_per_page") == 0)
        ok = member_is (node, G_TYPE_INT64) && json_node_get_int (node) >= 0
             && json_node_get_int (node) <= MAX_PER_PAGE;
      else if (strcmp (name, "time_format") == 0)
        {
          PlannrFakeTimeFormat format;

          ok = member_is (node, G_TYPE_STRING) && parse_time_format (json_node_get_string (node), &format);
        }
      else if (strcmp (name, "shapes") == 0)
        ok = member_is (node, G_TYPE_STRING);
      else
        ok = FALSE;
      if (!ok)
        {
          g_autofree char *text = g_strdup_printf ("Bad member \"%s\": use shapes (a spec), "
                                                   "wrap_resources, clamp_per_page (0..%d), "
                                                   "empty_2xx, time_format "
                                                   "(offset|utc-micro|utc-bare), json_charset.",
                                                   name, MAX_PER_PAGE);

          respond_error (msg, SOUP_STATUS_BAD_REQUEST, text);
          return;
        }
    }

  node = json_object_get_member (obj, "shapes");
  if (node != NULL && !plannr_fake_set_shapes (self, json_node_get_string (node), &error))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  self->shapes.wrap = json_object_get_boolean_member_with_default (obj, "wrap_resources",
                                                                   self->shapes.wrap);
  self->shapes.clamp = json_object_get_int_member_with_default (obj, "clamp_per_page",
                                                                self->shapes.clamp);
  self->shapes.empty_2xx = json_object_get_boolean_member_with_default (obj, "empty_2xx",
                                                                        self->shapes.empty_2xx);
  self->shapes.charset = json_object_get_boolean_member_with_default (obj, "json_charset",
                                                                      self->shapes.charset);
  if (json_object_has_member (obj, "time_format"))
    parse_time_format (json_object_get_string_member (obj, "time_format"), &self->shapes.time);
  respond_shapes (self, msg);
}

/* "data" (text) or "data_base64" of a control body, or NULL. */
static GBytes *
control_file_data (JsonObject *obj)
{
  const char *text = get_string (obj, "data");
  const char *encoded = get_string (obj, "data_base64");
  gsize length = 0;
  guchar *decoded;

  if (text != NULL)
    return g_bytes_new (text, strlen (text));
  if (encoded == NULL)
    return NULL;
  decoded = g_base64_decode (encoded, &length);
  return g_bytes_new_take (decoded, length);
}

/* {"ok": true, "uuid": file, "download_url"} or, with @message, {"uuid":
 * message, "file": file, "download_url"}. */
static void
respond_file (PlannrFake        *self,
              SoupServerMessage *msg,
              guint              status,
              FakeMessage       *message,
              FakeFile          *file)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *url = file_download_url (self, file);

  json_builder_begin_object (b);
  if (message != NULL)
    {
      add_string (b, "uuid", message->uuid);
      add_string (b, "file", file->uuid);
    }
  else
    {
      add_bool (b, "ok", TRUE);
      add_string (b, "uuid", file->uuid);
    }
  add_string (b, "download_url", url);
  json_builder_end_object (b);
  respond_builder (msg, status, b);
}

/* A route that needs a field the body lacks reads, like an unknown
 * one, as no route at all. */
static void
respond_no_control (Call *call)
{
  respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such control route, or a field is missing.");
}

static void
respond_request_log (Call      *call,
                     GPtrArray *log)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < log->len; i++)
    build_request (b, g_ptr_array_index (log, i));
  json_builder_end_array (b);
  respond_builder (call->msg, SOUP_STATUS_OK, b);
}

static void
control_requests_get (Call *call)
{
  respond_request_log (call, call->self->requests);
}

static void
control_requests_delete (Call *call)
{
  plannr_fake_clear_requests (call->self);
  respond_ok (call->msg);
}

static void
control_storage_requests_get (Call *call)
{
  respond_request_log (call, call->self->storage_requests);
}

static void
control_storage_requests_delete (Call *call)
{
  plannr_fake_clear_storage_requests (call->self);
  respond_ok (call->msg);
}

static void
control_faults_post (Call *call)
{
  JsonObject *obj = call->body;
  gint64 count = json_object_get_int_member_with_default (obj, "count", 1);
  PlannrFakeFaultKind kind;

  if (!parse_fault_kind (get_string (obj, "kind"), &kind) || (count < 1 && count != -1))
    {
      respond_error (call->msg, SOUP_STATUS_BAD_REQUEST,
                     "Need kind status|delay|drop|malformed and count >= 1 or -1.");
      return;
    }
  plannr_fake_add_fault (call->self, get_string (obj, "method"), get_string (obj, "path"), kind,
                         json_object_get_int_member_with_default (obj, "value", 0), count);
  respond_ok (call->msg);
}

static void
control_faults_delete (Call *call)
{
  plannr_fake_clear_faults (call->self);
  respond_ok (call->msg);
}

static void
control_shapes_get (Call *call)
{
  respond_shapes (call->self, call->msg);
}

static void
control_shapes_delete (Call *call)
{
  call->self->shapes = (FakeShapes) { FALSE, 0, FALSE, PLANNR_FAKE_TIME_OFFSET, FALSE };
  respond_shapes (call->self, call->msg);
}

static void
control_dump (Call *call)
{
  respond_text (call->msg, SOUP_STATUS_OK, JSON_TYPE, plannr_fake_dump (call->self));
}

static void
control_load (Call *call)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), call->body);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  if (!plannr_fake_load_data (call->self, text, &error))
    respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, error->message);
  else
    respond_ok (call->msg);
}

static void
control_time (Call *call)
{
  const char *time = get_string (call->body, "time");
  gint64 t;

  if (!parse_time (time, &t))
    {
      respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, "Need \"time\", ISO 8601.");
      return;
    }
  plannr_fake_set_time (call->self, time);
  respond_ok (call->msg);
}

static void
control_rate_limit (Call *call)
{
  gint64 per_minute = json_object_get_int_member_with_default (call->body, "per_minute", DEFAULT_RATE_LIMIT);
  gint64 window = json_object_get_int_member_with_default (call->body, "window", call->self->rate_window);

  if (per_minute < 0 || window < 1 || per_minute > G_MAXUINT || window > G_MAXUINT)
    {
      respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, "Need per_minute >= 0 and window >= 1.");
      return;
    }
  plannr_fake_set_rate_limit (call->self, per_minute);
  plannr_fake_set_rate_window (call->self, window);
  respond_ok (call->msg);
}

static void
control_revoke (Call *call)
{
  const char *token = get_string (call->body, "token");

  if (token == NULL)
    {
      respond_no_control (call);
      return;
    }
  plannr_fake_revoke_token (call->self, token);
  respond_ok (call->msg);
}

static void
control_reaction (Call *call)
{
  const char *reaction = get_string (call->body, "reaction");

  if (!plannr_fake_react (call->self, get_string (call->body, "message"), get_string (call->body, "account"),
                          reaction != NULL ? reaction : "like"))
    respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such message or account.");
  else
    respond_ok (call->msg);
}

static void
control_file (Call *call)
{
  JsonObject *obj = call->body;
  g_autoptr(GBytes) data = control_file_data (obj);
  FakeMessage *message = lookup_message (call->self, NULL, get_string (obj, "message"));
  FakeFile *file;

  if (get_string (obj, "filename") == NULL || message == NULL)
    {
      respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such message, or no filename.");
      return;
    }
  if (data != NULL)
    file = add_file_data (call->self, message, NULL, get_string (obj, "filename"), get_string (obj, "type"),
                          data, json_object_get_boolean_member_with_default (obj, "storage", FALSE));
  else
    file = add_file (call->self, message, NULL, get_string (obj, "filename"), get_string (obj, "type"),
                     json_object_get_int_member_with_default (obj, "size", 0),
                     get_string (obj, "download_url"));
  respond_file (call->self, call->msg, SOUP_STATUS_OK, NULL, file);
}

static void
control_file_redirect (Call *call)
{
  if (plannr_fake_set_file_redirect (call->self, call->params[0],
                                     json_object_get_boolean_member_with_default (call->body, "redirect", TRUE)))
    respond_ok (call->msg);
  else
    respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such file.");
}

static void
respond_uuid (Call       *call,
              const char *uuid)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "uuid", uuid);
  json_builder_end_object (b);
  respond_builder (call->msg, SOUP_STATUS_CREATED, b);
}

static void
control_conversation_create (Call *call)
{
  JsonObject *obj = call->body;
  g_auto(GStrv) participants = get_account_list (call->self, obj, "participants", "participants", NULL);
  g_auto(GStrv) admins = get_account_list (call->self, obj, "admins", "admins", NULL);
  const char *uuid = get_string (obj, "uuid");
  g_autofree char *created = NULL;

  if (get_string (obj, "name") == NULL || participants == NULL || admins == NULL
      || (uuid != NULL && lookup_conversation (call->self, uuid) != NULL))
    {
      respond_error (call->msg, SOUP_STATUS_BAD_REQUEST,
                     "Need a name, known participants and admins, and a new uuid.");
      return;
    }
  created = plannr_fake_add_conversation (call->self, uuid, get_string (obj, "name"),
                                          (const char * const *) participants,
                                          (const char * const *) admins);
  respond_uuid (call, created);
}

static void
control_conversation_rename (Call *call)
{
  const char *name = get_string (call->body, "name");

  if (name == NULL)
    respond_no_control (call);
  else if (plannr_fake_rename_conversation (call->self, call->params[0], name))
    respond_ok (call->msg);
  else
    respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation.");
}

static void
control_upload (Call *call)
{
  JsonObject *obj = call->body;
  g_autoptr(GBytes) data = control_file_data (obj);
  const char *contents = get_string (obj, "contents");
  g_autofree char *uuid = NULL;
  FakeMessage *message;
  FakeFile *file;

  if (data == NULL || get_string (obj, "filename") == NULL)
    {
      respond_error (call->msg, SOUP_STATUS_BAD_REQUEST,
                     "Need \"author\", \"filename\" and \"data\" or \"data_base64\".");
      return;
    }
  uuid = plannr_fake_post_message (call->self, call->params[0], get_string (obj, "author"),
                                   contents != NULL ? contents : "");
  message = lookup_message (call->self, NULL, uuid);
  if (message == NULL)
    {
      respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or author.");
      return;
    }
  file = add_file_data (call->self, message, NULL, get_string (obj, "filename"), get_string (obj, "type"),
                        data, json_object_get_boolean_member_with_default (obj, "storage", FALSE));
  respond_file (call->self, call->msg, SOUP_STATUS_CREATED, message, file);
}

static void
control_message_post (Call *call)
{
  g_autofree char *uuid = NULL;

  if (get_string (call->body, "contents") == NULL)
    {
      respond_error (call->msg, SOUP_STATUS_BAD_REQUEST, "Need \"author\" and \"contents\".");
      return;
    }
  uuid = plannr_fake_post_message (call->self, call->params[0], get_string (call->body, "author"),
                                   get_string (call->body, "contents"));
  if (uuid == NULL)
    {
      respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or author.");
      return;
    }
  respond_uuid (call, uuid);
}

static void
control_message_edit (Call *call)
{
  const char *contents = get_string (call->body, "contents");

  if (contents == NULL)
    respond_no_control (call);
  else if (plannr_fake_edit_message (call->self, call->params[0], call->params[1], contents))
    respond_ok (call->msg);
  else
    respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such message.");
}

static void
control_message_delete (Call *call)
{
  if (plannr_fake_delete_message (call->self, call->params[0], call->params[1]))
    respond_ok (call->msg);
  else
    respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such message.");
}

static void
control_pin (Call *call)
{
  if (plannr_fake_set_pinned (call->self, call->params[0], get_string (call->body, "account"),
                              json_object_get_boolean_member_with_default (call->body, "pinned", TRUE)))
    respond_ok (call->msg);
  else
    respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or participant.");
}

/* arg TRUE: make an admin. */
static void
control_admin (Call *call)
{
  if (plannr_fake_set_admin (call->self, call->params[0], call->params[1], call->arg))
    respond_ok (call->msg);
  else
    respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or participant.");
}

/* arg TRUE: add. */
static void
control_participant (Call *call)
{
  gboolean ok;

  if (call->arg)
    ok = plannr_fake_add_participant (call->self, call->params[0], call->params[1],
                                      json_object_get_boolean_member_with_default (call->body, "admin", FALSE));
  else
    ok = plannr_fake_remove_participant (call->self, call->params[0], call->params[1]);
  if (ok)
    respond_ok (call->msg);
  else
    respond_error (call->msg, SOUP_STATUS_NOT_FOUND, "No such conversation or participant.");
}

/* --- the route table ----------------------------------------------- */

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

/* Every route, the API's and the controls', in the order they are tried.
 * A path that some routes match but none for its method is a 405 listing
 * their methods in this order. */
static const Route routes[] = {
  { "GET", "/api/v1/me", ROUTE_NO_ACCOUNT, handle_me, 0 },
  { "GET", "/api/v1/logins", ROUTE_NO_ACCOUNT, handle_logins, 0 },
  { "GET", "/api/v1/conversation", ROUTE_API, handle_conversation_list, 0 },
  { "POST", "/api/v1/conversation", ROUTE_API, handle_conversation_create, 0 },
  { "GET", "/api/v1/conversation/{}", ROUTE_API, handle_conversation_get, 0 },
  { "PUT", "/api/v1/conversation/{}", ROUTE_API, handle_conversation_rename, 0 },
  { "POST", "/api/v1/conversation/{}/pin", ROUTE_API, handle_conversation_pin, 0 },
  { "POST", "/api/v1/conversation/{}/participants", ROUTE_API, handle_participants, TRUE },
  { "DELETE", "/api/v1/conversation/{}/participants", ROUTE_API, handle_participants, FALSE },
  { "POST", "/api/v1/conversation/{}/admin", ROUTE_API, handle_admin, TRUE },
  { "DELETE", "/api/v1/conversation/{}/admin", ROUTE_API, handle_admin, FALSE },
  { "GET", "/api/v1/conversation/{}/documents", ROUTE_API, handle_documents, 0 },
  { "GET", "/api/v1/conversation/{}/messages", ROUTE_API, handle_message_list, 0 },
  { "POST", "/api/v1/conversation/{}/messages", ROUTE_API, handle_message_post, 0 },
  /* Otherwise "inline" reads as a message uuid, which is then not found. */
  { "POST", "/api/v1/conversation/{}/messages/inline", ROUTE_THIS_METHOD, handle_message_inline, 0 },
  { "GET", "/api/v1/conversation/{}/messages/{}", ROUTE_API, handle_message_get, 0 },
  { "PUT", "/api/v1/conversation/{}/messages/{}", ROUTE_API, handle_message_edit, 0 },
  { "POST", "/api/v1/reaction", ROUTE_API, handle_reaction, 0 },
  { "GET", "/api/v1/employee", ROUTE_API, handle_people, TRUE },
  { "GET", "/api/v1/account", ROUTE_API, handle_people, FALSE },
  { "GET", "/api/v1/files/{}/download", ROUTE_API, handle_file_download, 0 },

  { "GET", "/_fake/requests", ROUTE_CONTROL, control_requests_get, 0 },
  { "DELETE", "/_fake/requests", ROUTE_CONTROL, control_requests_delete, 0 },
  { "GET", "/_fake/storage-requests", ROUTE_CONTROL, control_storage_requests_get, 0 },
  { "DELETE", "/_fake/storage-requests", ROUTE_CONTROL, control_storage_requests_delete, 0 },
  { "POST", "/_fake/faults", ROUTE_CONTROL, control_faults_post, 0 },
  { "DELETE", "/_fake/faults", ROUTE_CONTROL, control_faults_delete, 0 },
  { "GET", "/_fake/shapes", ROUTE_CONTROL, control_shapes_get, 0 },
  { "POST", "/_fake/shapes", ROUTE_CONTROL, control_shapes_post, 0 },
  { "DELETE", "/_fake/shapes", ROUTE_CONTROL, control_shapes_delete, 0 },
  { "GET", "/_fake/dump", ROUTE_CONTROL, control_dump, 0 },
  { "POST", "/_fake/load", ROUTE_CONTROL, control_load, 0 },
  { "POST", "/_fake/time", ROUTE_CONTROL, control_time, 0 },
  { "POST", "/_fake/rate-limit", ROUTE_CONTROL, control_rate_limit, 0 },
  { "POST", "/_fake/revoke", ROUTE_CONTROL, control_revoke, 0 },
  { "POST", "/_fake/reaction", ROUTE_CONTROL, control_reaction, 0 },
  { "POST", "/_fake/file", ROUTE_CONTROL, control_file, 0 },
  { "POST", "/_fake/file/{}/redirect", ROUTE_CONTROL, control_file_redirect, 0 },
  { "POST", "/_fake/conversation", ROUTE_CONTROL, control_conversation_create, 0 },
  { "PUT", "/_fake/conversation/{}", ROUTE_CONTROL, control_conversation_rename, 0 },
  { "POST", "/_fake/conversation/{}/messages", ROUTE_CONTROL, control_message_post, 0 },
  { "POST", "/_fake/conversation/{}/upload", ROUTE_CONTROL, control_upload, 0 },
  { "PUT", "/_fake/conversation/{}/messages/{}", ROUTE_CONTROL, control_message_edit, 0 },
  { "DELETE", "/_fake/conversation/{}/messages/{}", ROUTE_CONTROL, control_message_delete, 0 },
  { "POST", "/_fake/conversation/{}/pin", ROUTE_CONTROL, control_pin, 0 },
  { "POST", "/_fake/conversation/{}/participants/{}", ROUTE_CONTROL, control_participant, TRUE },
  { "DELETE", "/_fake/conversation/{}/participants/{}", ROUTE_CONTROL, control_participant, FALSE },
  { "POST", "/_fake/conversation/{}/admin/{}", ROUTE_CONTROL, control_admin, TRUE },
  { "DELETE", "/_fake/conversation/{}/admin/{}", ROUTE_CONTROL, control_admin, FALSE },
};

/* Whether @segments (a path split at "/", its leading "" included) fit
 * @pattern; the segments "{}" stands for go to @params. */
static gboolean
route_matches (const Route  *route,
               char        **segments,
               const char  **params)
{
  g_auto(GStrv) parts = g_strsplit (route->pattern, "/", -1);
  guint n = 0;
  guint i;

  for (i = 0; parts[i] != NULL && segments[i] != NULL; i++)
    {
      /* Empty segments ("a//b") match nothing. */
      if (i > 0 && *segments[i] == '\0')
        return FALSE;
      if (strcmp (parts[i], "{}") == 0)
        {
          if (n < G_N_ELEMENTS (((Call *) NULL)->params))
            params[n++] = segments[i];
        }
      else if (strcmp (parts[i], segments[i]) != 0)
        return FALSE;
    }
  return parts[i] == NULL && segments[i] == NULL;
}

/* The route for @method on @path among the API's (or the controls')
 * routes, filling @call's params; NULL otherwise, with @allowed holding
 * the methods the path does have ("" when it has none). */
static const Route *
find_route (const char  *method,
            char       **segments,
            gboolean     control,
            Call        *call,
            GString     *allowed)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const Route *route = &routes[i];
      const char *params[G_N_ELEMENTS (call->params)] = { NULL, };

      if (((route->flags & ROUTE_CONTROL) != 0) != control
          || !route_matches (route, segments, params))
        continue;
      if (strcmp (route->method, method) == 0)
        {
          memcpy (call->params, params, sizeof params);
          call->arg = route->arg;
          return route;
        }
      if (route->flags & ROUTE_THIS_METHOD)
        continue;
      if (allowed->len > 0)
        g_string_append_c (allowed, ',');
      g_string_append (allowed, route->method);
    }
  return NULL;
}

/* @path split for matching; an API path loses one trailing slash, which
 * Laravel ignores. */
static char **
split_path (const char *path,
            gboolean    control)
{
  g_autofree char *copy = g_strdup (path);

  if (!control && g_str_has_suffix (copy, "/") && copy[1] != '\0')
    copy[strlen (copy) - 1] = '\0';
  return g_strsplit (copy, "/", -1);
}

static void
route_api (PlannrFake        *self,
           SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = g_uri_get_path (uri);
  const char *query = g_uri_get_query (uri);
  const char *account_uuid;
  g_auto(GStrv) segments = split_path (path, FALSE);
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autoptr(GHashTable) form = NULL;
  Call call = { self, msg, NULL, NULL, NULL, 0, { NULL, }, 0, NULL };
  const Route *route;

  call.user = user_for_request (self, msg);
  if (!rate_check (self, msg, call.user, TRUE))
    return;

  route = find_route (method, segments, FALSE, &call, allowed);
  if (route == NULL && allowed->len == 0)
    {
      g_autofree char *text = g_strdup_printf ("The route %s could not be found.", path + 1);

      respond_error (msg, SOUP_STATUS_NOT_FOUND, text);
      return;
    }
  if (route == NULL)
    {
      g_autofree char *text = g_strdup_printf ("The %s method is not supported for route %s. "
                                               "Supported methods: %s.", method, path + 1,
                                               allowed->str);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    allowed->str);
      respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, text);
      return;
    }
  if (call.user == NULL)
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "Unauthenticated.");
      return;
    }

  /* A missing or foreign account header is an authorisation failure, not
   * an authentication one: the token is valid, the account is not one
   * this user may act as.  /me and /logins work without it, since
   * /logins is how a client finds its account uuids. */
  account_uuid = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                               "X-PLANNR-ACCOUNT-UUID");
  if (account_uuid != NULL)
    {
      FakeAccount *account = lookup_account (self, account_uuid);

      if (account == NULL || g_strcmp0 (account->user_uuid, call.user->uuid) != 0)
        {
          respond_error (msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
          return;
        }
      call.account = account;
    }
  else if (!(route->flags & ROUTE_NO_ACCOUNT))
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN, "This action is unauthorized.");
      return;
    }

  form = query != NULL ? soup_form_decode (query) : NULL;
  call.query = form != NULL ? form : g_hash_table_new (g_str_hash, g_str_equal);
  if (form == NULL)
    form = call.query;
  route->handler (&call);
}

static void
handle_api (PlannrFake        *self,
            SoupServerMessage *msg)
{
  route_api (self, msg);
  shape_answer (self, msg, TRUE);
}

/* Each control route is a thin JSON wrapper over the C function of the
 * same meaning, so that end-to-end runs and GTests act alike. */
static void
handle_control (PlannrFake        *self,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) segments = split_path (path, TRUE);
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autoptr(JsonNode) body = NULL;
  Call call = { self, msg, NULL, NULL, NULL, 0, { NULL, }, 0, NULL };
  const Route *route;

  if (strcmp (method, "POST") == 0 || strcmp (method, "PUT") == 0)
    {
      body = read_json_body (msg, FALSE);
      if (body == NULL)
        return;
      call.body = json_node_get_object (body);
    }
  route = find_route (method, segments, TRUE, &call, allowed);
  if (route == NULL)
    respond_no_control (&call);
  else
    route->handler (&call);
}

/* --- the server ---------------------------------------------------- */

static PlannrFakeRequest *
log_request (GPtrArray         *log,
             SoupServerMessage *msg)
{
  PlannrFakeRequest *request = g_new0 (PlannrFakeRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  request->body = g_bytes_get_size (bytes) > 0
                  ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : g_strdup ("");
  g_ptr_array_add (log, request);
  return request;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  PlannrFake *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  PlannrFakeRequest *request = NULL;
  PlannrFakeFaultKind kind;
  guint value;

  if (g_str_has_prefix (path, "/_fake/"))
    {
      handle_control (self, msg, path);
      shape_answer (self, msg, FALSE);
      return;
    }
  if (!g_str_has_prefix (path, "/api/"))
    {
      handle_api (self, msg);
      return;
    }

  request = log_request (self->requests, msg);
  if (take_fault (self, method, path, &kind, &value))
    {
      switch (kind)
        {
        case PLANNR_FAKE_FAULT_STATUS:
          respond_fault_status (self, msg, value);
          break;
        case PLANNR_FAKE_FAULT_DELAY:
          delay_request (self, msg, request, value);
          return;
        case PLANNR_FAKE_FAULT_DROP:
          drop_connection (msg);
          request->status = 0;
          return;
        case PLANNR_FAKE_FAULT_DROP_AFTER:
          /* The request takes effect, the answer is lost: what a client
           * sees when a connection breaks after the server committed. */
          handle_api (self, msg);
          drop_connection (msg);
          request->status = 0;
          return;
        case PLANNR_FAKE_FAULT_MALFORMED:
        default:
          respond_text (msg, SOUP_STATUS_OK, JSON_TYPE,
                        g_strdup ("{\"data\": [{\"uuid\": \"truncated"));
          break;
        }
      shape_answer (self, msg, FALSE);
      finish_request (request, msg);
      return;
    }

  handle_api (self, msg);
  finish_request (request, msg);
}

/* --- the storage listener ------------------------------------------ */

static void
respond_storage_error (SoupServerMessage *msg,
                       guint              status,
                       const char        *code,
                       const char        *message)
{
  respond_text (msg, status, "application/xml",
                g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                 "<Error><Code>%s</Code><Message>%s</Message></Error>\n",
                                 code, message));
}

/* Signed links, as an object store serves them: the link is the
 * credential, and a second one in an Authorization header is refused the
 * way S3 refuses it, so a client that leaks its token here fails. */
static void
storage_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PlannrFake *self = user_data;
  PlannrFakeRequest *request = log_request (self->storage_requests, msg);
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  const char *expires = query != NULL ? g_hash_table_lookup (query, "expires") : NULL;
  const char *signature = query != NULL ? g_hash_table_lookup (query, "signature") : NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GBytes) bytes = NULL;
  FakeFile *file = NULL;
  gint64 until = 0;

  /* "", "storage", uuid, name */
  if (g_strv_length (parts) == 4 && strcmp (parts[1], "storage") == 0)
    file = find_file (self, parts[2], NULL);

  if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
    respond_storage_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed",
                           "The specified method is not allowed against this resource.");
  else if (soup_message_headers_get_one (headers, "Authorization") != NULL)
    respond_storage_error (msg, SOUP_STATUS_BAD_REQUEST, "InvalidArgument",
                           "Only one auth mechanism allowed; only the signature query string "
                           "parameter or the Authorization header should be specified.");
  else if (file == NULL)
    respond_storage_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchKey", "The specified key does not exist.");
  else if (expires == NULL || signature == NULL
           || !g_ascii_string_to_signed (expires, 10, 0, G_MAXINT64, &until, NULL)
           || strcmp (signature, (expected = storage_signature (self, file->uuid, expires))) != 0)
    respond_storage_error (msg, SOUP_STATUS_FORBIDDEN, "SignatureDoesNotMatch",
                           "The request signature we calculated does not match the signature you provided.");
  else if (until < g_get_real_time () / G_USEC_PER_SEC)
    respond_storage_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied", "Request has expired");
  else
    {
      bytes = file_bytes (file);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, file->type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  request->status = soup_server_message_get_status (msg);
}

/* On 127.0.0.2, another host than the API's 127.0.0.1 (a client that
 * compares hosts and one that compares origins both see it as foreign);
 * on another port of 127.0.0.1 where that address cannot be bound. */
static gboolean
listen_storage (PlannrFake  *self,
                gboolean     tls,
                GError     **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string ("127.0.0.2");
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, 0);
  SoupServerListenOptions options = tls ? SOUP_SERVER_LISTEN_HTTPS : 0;
  GSList *uris;

  if (tls)
    self->storage_server = soup_server_new ("server-header", "plannr-fake-storage ", "tls-certificate",
                                            soup_server_get_tls_certificate (self->server), NULL);
  else
    self->storage_server = soup_server_new ("server-header", "plannr-fake-storage ", NULL);
  soup_server_add_handler (self->storage_server, NULL, storage_cb, self, NULL);
  if (!soup_server_listen (self->storage_server, socket_address, options, NULL)
      && !soup_server_listen_local (self->storage_server, 0, options | SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (self->storage_server);
  g_return_val_if_fail (uris != NULL, FALSE);
  self->storage_url = g_strdup_printf ("%s://%s:%d", tls ? "https" : "http",
                                       g_uri_get_host (uris->data), g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

const char *
plannr_fake_get_storage_url (PlannrFake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->storage_url;
}

GPtrArray *
plannr_fake_get_storage_requests (PlannrFake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->storage_requests;
}

void
plannr_fake_clear_storage_requests (PlannrFake *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->storage_requests, 0);
}

void
plannr_fake_set_tls_certificate (PlannrFake      *self,
                                 GTlsCertificate *cert)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->server == NULL);

  self->server = soup_server_new ("server-header", "plannr-fake ", "tls-certificate", cert, NULL);
}

gboolean
plannr_fake_listen (PlannrFake  *self,
                    guint        port,
                    GError     **error)
{
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  GSList *uris;
  gboolean tls;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->base_url == NULL, FALSE);

  if (self->server == NULL)
    self->server = soup_server_new ("server-header", "plannr-fake ", NULL);
  tls = soup_server_get_tls_certificate (self->server) != NULL;
  if (tls)
    options |= SOUP_SERVER_LISTEN_HTTPS;

  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  if (!soup_server_listen_local (self->server, port, options, error))
    {
      soup_server_remove_handler (self->server, NULL);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  g_return_val_if_fail (uris != NULL, FALSE);
  self->base_url = g_strdup_printf ("%s://127.0.0.1:%d", tls ? "https" : "http",
                                    g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return listen_storage (self, tls, error);
}

const char *
plannr_fake_get_base_url (PlannrFake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->base_url;
}
