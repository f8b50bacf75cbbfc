/* plannr-model.h: Plannr objects parsed from untrusted JSON
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every parser here takes whatever the server sent.  Missing members,
 * nulls and members of the wrong type read as absent; strings are made
 * valid UTF-8 and capped in length; an object without a valid uuid is an
 * error, so that no other id ever reaches a URL path.  Nothing here
 * warns: a bad object becomes a GError and the caller skips it.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "plannr-json.h"

G_BEGIN_DECLS

typedef struct
{
  char *uuid;
  char *name;         /* display name, never NULL: falls back to "Unknown" */
  char *email;
  char *type;         /* client, employee, ... */
  char *role;
  char *photo_url;    /* may be NULL */
  char *firm_name;    /* "firm": {"name"} when the answer has it, else NULL */
} PlannrPerson;

typedef struct
{
  char   *uuid;
  char   *filename;
  char   *mime_type;
  guint64 size;       /* bytes; the API sends a string */
  char   *download_url;
} PlannrFile;

typedef struct
{
  char *reaction;
  char *account_uuid;
  char *account_name;
} PlannrReaction;

typedef struct
{
  char         *uuid;
  GDateTime    *created_at;   /* never NULL: now if it did not parse */
  GDateTime    *updated_at;   /* never NULL: created_at if absent */
  GDateTime    *deleted_at;   /* NULL unless deleted */
  char         *contents;     /* plain text, never NULL */
  gboolean      edited;
  PlannrPerson *author;       /* may be NULL */
  GPtrArray    *files;        /* PlannrFile */
  GPtrArray    *reactions;    /* PlannrReaction */
} PlannrMessage;

typedef struct
{
  char          *uuid;
  char          *name;              /* never NULL */
  GDateTime     *created_at;        /* may be NULL */
  GDateTime     *updated_at;        /* may be NULL */
  char          *case_name;         /* NULL unless included and set */
  GPtrArray     *tags;              /* char*: tag names */
  GPtrArray     *participants;      /* PlannrPerson, NULL when not included */
  GPtrArray     *admins;            /* char*: admin account uuids if known */
  int            participants_count; /* -1 when unknown */
  int            messages_count;     /* -1 when unknown */
  int            files_count;        /* -1 when unknown */
  gboolean       pinned;
  gboolean       is_admin;
  PlannrMessage *latest_message;    /* NULL when none or not included */
} PlannrConversation;

typedef struct
{
  char *account_uuid;
  char *account_name;
  char *firm_name;     /* may be NULL */
} PlannrLogin;

typedef struct
{
  GPtrArray *logins;                  /* PlannrLogin */
  char      *preferred_account_uuid;  /* may be NULL */
} PlannrLogins;

typedef struct
{
  char *uuid;
  char *name;
  char *email;
  char *current_account_uuid;
} PlannrUser;

/* A page of a Laravel-paginated list. */
typedef struct
{
  GPtrArray *items;         /* PlannrConversation or PlannrMessage */
  guint      skipped;       /* items dropped because they did not parse */
  guint      current_page;  /* 0 when the server did not say */
  guint      last_page;     /* 0 when the server did not say */
  guint      per_page;      /* 0 when the server did not say */
  gboolean   has_next;      /* links.next, else a full page */
} PlannrPage;

void                plannr_person_free            (PlannrPerson *person);
PlannrPerson       *plannr_person_copy            (const PlannrPerson *person);
PlannrPerson       *plannr_person_new_from_json   (JsonNode  *node,
                                                   GError   **error);

void                plannr_message_free           (PlannrMessage *message);
PlannrMessage      *plannr_message_copy           (const PlannrMessage *message);
PlannrMessage      *plannr_message_new_from_json  (JsonNode  *node,
                                                   GError   **error);

void                plannr_conversation_free      (PlannrConversation *conversation);
PlannrConversation *plannr_conversation_new_from_json (JsonNode  *node,
                                                       GError   **error);
gboolean            plannr_conversation_is_admin  (const PlannrConversation *conversation,
                                                   const char               *account_uuid);

void                plannr_logins_free            (PlannrLogins *logins);
PlannrLogins       *plannr_logins_new_from_json   (JsonNode  *node,
                                                   GError   **error);

void                plannr_user_free              (PlannrUser *user);
PlannrUser         *plannr_user_new_from_json     (JsonNode  *node,
                                                   GError   **error);

typedef gpointer (*PlannrItemParser) (JsonNode *node, GError **error);

void                plannr_page_free              (PlannrPage *page);
PlannrPage         *plannr_page_new_from_json     (JsonNode         *node,
                                                   PlannrItemParser  parse_item,
                                                   GDestroyNotify    free_item,
                                                   GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrPerson, plannr_person_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrMessage, plannr_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrConversation, plannr_conversation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrLogins, plannr_logins_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrUser, plannr_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrPage, plannr_page_free)

G_END_DECLS
