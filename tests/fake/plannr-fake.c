/* plannr-fake.c: an in-memory fake of the Plannr CRM conversation API
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The fake is one library in files by concern:
 *
 *   plannr-fake.c                this comment, making and freeing the fake,
 *                                and the one table of routes, API and control
 *   plannr-fake-private.h        the types and functions the files share
 *   plannr-fake-store.c          the in-memory model: building and reading it
 *   plannr-fake-act.c            acting as other participants
 *   plannr-fake-seed.c           the seed format: dump and load
 *   plannr-fake-json.c           JSON answers and the response shapes
 *   plannr-fake-http.c           the SoupServer plumbing: dispatch, auth, rate
 *                                limit, faults, delays, the request log
 *   plannr-fake-routes.c         what the API routes share; /me, /logins,
 *                                /employee, /account, M6
 *   plannr-fake-conversations.c  C1 to C9
 *   plannr-fake-messages.c       M1, M2, M4, M5
 *   plannr-fake-files.c          files: M3, C10, downloads, the storage listener
 *   plannr-fake-control.c        the control routes under /_fake/
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

#include "plannr-fake-private.h"

#include <stdlib.h>

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

/* --- the route table ---------------------------------------------- */

/* Every route, the API's and the controls', in the order they are tried.
 * A path that some routes match but none for its method is a 405 listing
 * their methods in this order. */
static const Route routes[] = {
  { "GET", "/api/v1/me", ROUTE_NO_ACCOUNT, fake_handle_me, 0 },
  { "GET", "/api/v1/logins", ROUTE_NO_ACCOUNT, fake_handle_logins, 0 },
  { "GET", "/api/v1/conversation", ROUTE_API, fake_handle_conversation_list, 0 },
  { "POST", "/api/v1/conversation", ROUTE_API, fake_handle_conversation_create, 0 },
  { "GET", "/api/v1/conversation/{}", ROUTE_API, fake_handle_conversation_get, 0 },
  { "PUT", "/api/v1/conversation/{}", ROUTE_API, fake_handle_conversation_rename, 0 },
  { "POST", "/api/v1/conversation/{}/pin", ROUTE_API, fake_handle_conversation_pin, 0 },
  { "POST", "/api/v1/conversation/{}/participants", ROUTE_API, fake_handle_participants, TRUE },
  { "DELETE", "/api/v1/conversation/{}/participants", ROUTE_API, fake_handle_participants, FALSE },
  { "POST", "/api/v1/conversation/{}/admin", ROUTE_API, fake_handle_admin, TRUE },
  { "DELETE", "/api/v1/conversation/{}/admin", ROUTE_API, fake_handle_admin, FALSE },
  { "GET", "/api/v1/conversation/{}/documents", ROUTE_API, fake_handle_documents, 0 },
  { "GET", "/api/v1/conversation/{}/messages", ROUTE_API, fake_handle_message_list, 0 },
  { "POST", "/api/v1/conversation/{}/messages", ROUTE_API, fake_handle_message_post, 0 },
  /* Otherwise "inline" reads as a message uuid, which is then not found. */
  { "POST", "/api/v1/conversation/{}/messages/inline", ROUTE_THIS_METHOD, fake_handle_message_inline, 0 },
  { "GET", "/api/v1/conversation/{}/messages/{}", ROUTE_API, fake_handle_message_get, 0 },
  { "PUT", "/api/v1/conversation/{}/messages/{}", ROUTE_API, fake_handle_message_edit, 0 },
  { "POST", "/api/v1/reaction", ROUTE_API, fake_handle_reaction, 0 },
  { "GET", "/api/v1/employee", ROUTE_API, fake_handle_people, TRUE },
  { "GET", "/api/v1/account", ROUTE_API, fake_handle_people, FALSE },
  { "GET", "/api/v1/files/{}/download", ROUTE_API, fake_handle_file_download, 0 },

  { "GET", "/_fake/requests", ROUTE_CONTROL, fake_control_requests_get, 0 },
  { "DELETE", "/_fake/requests", ROUTE_CONTROL, fake_control_requests_delete, 0 },
  { "GET", "/_fake/storage-requests", ROUTE_CONTROL, fake_control_storage_requests_get, 0 },
  { "DELETE", "/_fake/storage-requests", ROUTE_CONTROL, fake_control_storage_requests_delete, 0 },
  { "POST", "/_fake/faults", ROUTE_CONTROL, fake_control_faults_post, 0 },
  { "DELETE", "/_fake/faults", ROUTE_CONTROL, fake_control_faults_delete, 0 },
  { "GET", "/_fake/shapes", ROUTE_CONTROL, fake_control_shapes_get, 0 },
  { "POST", "/_fake/shapes", ROUTE_CONTROL, fake_control_shapes_post, 0 },
  { "DELETE", "/_fake/shapes", ROUTE_CONTROL, fake_control_shapes_delete, 0 },
  { "GET", "/_fake/dump", ROUTE_CONTROL, fake_control_dump, 0 },
  { "POST", "/_fake/load", ROUTE_CONTROL, fake_control_load, 0 },
  { "POST", "/_fake/time", ROUTE_CONTROL, fake_control_time, 0 },
  { "POST", "/_fake/rate-limit", ROUTE_CONTROL, fake_control_rate_limit, 0 },
  { "POST", "/_fake/revoke", ROUTE_CONTROL, fake_control_revoke, 0 },
  { "POST", "/_fake/reaction", ROUTE_CONTROL, fake_control_reaction, 0 },
  { "POST", "/_fake/file", ROUTE_CONTROL, fake_control_file, 0 },
  { "POST", "/_fake/file/{}/redirect", ROUTE_CONTROL, fake_control_file_redirect, 0 },
  { "POST", "/_fake/conversation", ROUTE_CONTROL, fake_control_conversation_create, 0 },
  { "PUT", "/_fake/conversation/{}", ROUTE_CONTROL, fake_control_conversation_rename, 0 },
  { "POST", "/_fake/conversation/{}/messages", ROUTE_CONTROL, fake_control_message_post, 0 },
  { "POST", "/_fake/conversation/{}/upload", ROUTE_CONTROL, fake_control_upload, 0 },
  { "PUT", "/_fake/conversation/{}/messages/{}", ROUTE_CONTROL, fake_control_message_edit, 0 },
  { "DELETE", "/_fake/conversation/{}/messages/{}", ROUTE_CONTROL, fake_control_message_delete, 0 },
  { "POST", "/_fake/conversation/{}/pin", ROUTE_CONTROL, fake_control_pin, 0 },
  { "POST", "/_fake/conversation/{}/participants/{}", ROUTE_CONTROL, fake_control_participant, TRUE },
  { "DELETE", "/_fake/conversation/{}/participants/{}", ROUTE_CONTROL, fake_control_participant, FALSE },
  { "POST", "/_fake/conversation/{}/admin/{}", ROUTE_CONTROL, fake_control_admin, TRUE },
  { "DELETE", "/_fake/conversation/{}/admin/{}", ROUTE_CONTROL, fake_control_admin, FALSE },
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
const Route *
fake_find_route (const char  *method,
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
char **
fake_split_path (const char *path,
                 gboolean    control)
{
  g_autofree char *copy = g_strdup (path);

  if (!control && g_str_has_suffix (copy, "/") && copy[1] != '\0')
    copy[strlen (copy) - 1] = '\0';
  return g_strsplit (copy, "/", -1);
}
