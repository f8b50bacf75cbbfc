/* plannr-lookup.h: who a name or an e-mail address means
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Users name people the way they know them: "Clara", "Helen Carter",
 * "helen.carter@example.com".  Inviting, removing, starting a
 * conversation and Info all need exactly one account for that, and must
 * say so when a name fits several people or nobody, before anything is
 * sent.  The rule is pure (plannr_lookup_match) and tested on its own;
 * plannr_lookup_async() asks the server's people searches first.
 */
#pragma once

#include <gio/gio.h>

#include "plannr-api.h"
#include "plannr-model.h"

G_BEGIN_DECLS

typedef enum
{
  PLANNR_LOOKUP_FOUND,       /* exactly one person */
  PLANNR_LOOKUP_NONE,        /* nobody */
  PLANNR_LOOKUP_AMBIGUOUS,   /* several, and none stands out */
} PlannrLookupResult;

/* Something with an "@" between two non-empty parts and no space: what
 * is looked up by e-mail address rather than by name. */
gboolean           plannr_lookup_is_email  (const char *text);

/* Which of @people (PlannrPerson) @query means.  @labels, when not NULL,
 * holds another name for each person, at the same index (the chat user
 * name a participant goes by), which counts as much as the person's own.
 *
 * An e-mail address means the one person with that address, in any
 * case.  A name means the person whose name (or label) equals it, case
 * and Unicode form aside (plannr_text_name_key); several of those are
 * ambiguous.  Without an equal one, the people whose name or label
 * contains it, as the server's partial filter finds them; one of them
 * is the one meant, several are ambiguous.
 *
 * @matches (may be NULL) gets the person found, or the candidates when
 * ambiguous, as pointers borrowed from @people. */
PlannrLookupResult plannr_lookup_match     (GPtrArray  *people,
                                            GPtrArray  *labels,
                                            const char *query,
                                            GPtrArray  *matches);

/* @first's people, then those of @second that are not among them (an
 * account both searches found is listed once); copies.  Either may be
 * NULL. */
GPtrArray         *plannr_lookup_merge     (GPtrArray  *first,
                                            GPtrArray  *second);

/* "Name <e-mail>, Name <e-mail>" for a list of people (PlannrPerson),
 * to say whom a name could mean. */
char              *plannr_lookup_describe  (GPtrArray  *people);

/* The outcome of plannr_lookup_async(). */
typedef struct
{
  char               *query;
  PlannrLookupResult  result;
  PlannrPerson       *person;       /* FOUND: the one */
  GPtrArray          *candidates;   /* AMBIGUOUS: PlannrPerson, owned */
} PlannrLookup;

void               plannr_lookup_free      (PlannrLookup *lookup);
/* Why @lookup found no one person, as a sentence (NULL when it did). */
char              *plannr_lookup_explain   (const PlannrLookup *lookup);

/* Looks @query up: an e-mail address among @known (PlannrPerson, may be
 * NULL: people seen already) and then with the employee search by
 * e-mail (clients cannot be searched by e-mail); a name with the
 * employee and the client searches by name, both at once.  Then
 * plannr_lookup_match() decides.  Errors are the searches' own. */
void               plannr_lookup_async     (PlannrApi           *api,
                                            const char          *query,
                                            GPtrArray           *known,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
PlannrLookup      *plannr_lookup_finish    (PlannrApi           *api,
                                            GAsyncResult        *result,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrLookup, plannr_lookup_free)

G_END_DECLS
