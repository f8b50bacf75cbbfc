/* plannr-fake-colleague.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "plannr-fake-colleague.h"

static const char * const answers[] = {
  "Thanks, I'll take a look this afternoon.",
  "Good point. I've added it to the file notes.",
  "Can we go through this at the next review?",
  "Agreed. I'll send the client the updated illustration.",
  "Noted. The provider confirmed the transfer value this morning.",
  "I've checked the fact find; nothing else is outstanding.",
};

static const char * const unprompted[] = {
  "Quick heads-up: the valuation statement is in.",
  "Reminder: compliance wants the suitability letter by Friday.",
  "The client called, happy with the proposal so far.",
  "I've uploaded the signed authority to the case.",
};

static const char * const new_names[] = {
  "Annual Review 2026",
  "Pension transfer – final checks",
  "ISA top-up (April)",
  "Remortgage options – shortlist",
};

struct _PlannrFakeColleague
{
  PlannrFake *fake;
  guint       pace_ms;
  guint       scan_id;
  guint       unprompted_id;
  guint       seen_requests;
  GRand      *rand;
  GList      *pending;        /* Action*, scheduled */
  guint       answers, edits, renames, unprompted;
};

typedef enum
{
  ACTION_ANSWER,
  ACTION_EDIT,
  ACTION_RENAME,
} ActionKind;

typedef struct
{
  PlannrFakeColleague *self;
  ActionKind           kind;
  char                *conversation;
  char                *author;     /* who acts */
  char                *message;    /* ACTION_EDIT: what to edit */
  guint                source;
} Action;

static void
action_free (Action *action)
{
  g_clear_handle_id (&action->source, g_source_remove);
  g_free (action->conversation);
  g_free (action->author);
  g_free (action->message);
  g_free (action);
}

static void schedule (PlannrFakeColleague *self, ActionKind kind, const char *conversation,
                      const char *author, const char *message, guint delay_ms);

static gboolean
action_cb (gpointer user_data)
{
  Action *action = user_data;
  PlannrFakeColleague *self = action->self;

  action->source = 0;
  self->pending = g_list_remove (self->pending, action);

  switch (action->kind)
    {
    case ACTION_ANSWER:
      {
        const char *text = answers[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (answers))];
        g_autofree char *uuid = plannr_fake_post_message (self->fake, action->conversation,
                                                          action->author, text);

        if (uuid == NULL)
          break;
        self->answers++;
        /* Now and then a second thought, or a better name. */
        if (self->answers % 3 == 1)
          schedule (self, ACTION_EDIT, action->conversation, action->author, uuid,
                    8 * self->pace_ms);
        if (self->answers % 4 == 2)
          schedule (self, ACTION_RENAME, action->conversation, action->author, NULL,
                    12 * self->pace_ms);
      }
      break;

    case ACTION_EDIT:
      {
        const char *old = plannr_fake_get_message_contents (self->fake, action->message);
        g_autofree char *text = NULL;

        if (old == NULL)
          break;
        text = g_strdup_printf ("%s (I've double-checked the figures.)", old);
        if (plannr_fake_edit_message (self->fake, action->conversation, action->message, text))
          self->edits++;
      }
      break;

    case ACTION_RENAME:
      {
        const char *name = new_names[self->renames % G_N_ELEMENTS (new_names)];

        if (plannr_fake_rename_conversation (self->fake, action->conversation, name))
          self->renames++;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  action_free (action);
  return G_SOURCE_REMOVE;
}

static void
schedule (PlannrFakeColleague *self,
          ActionKind           kind,
          const char          *conversation,
          const char          *author,
          const char          *message,
          guint                delay_ms)
{
  Action *action = g_new0 (Action, 1);

  action->self = self;
  action->kind = kind;
  action->conversation = g_strdup (conversation);
  action->author = g_strdup (author);
  action->message = g_strdup (message);
  action->source = g_timeout_add (MAX (delay_ms, 1), action_cb, action);
  self->pending = g_list_prepend (self->pending, action);
}

/* Someone else in @conversation than @not_account, or NULL. */
static char *
other_participant (PlannrFakeColleague *self,
                   const char          *conversation,
                   const char          *not_account)
{
  g_auto(GStrv) participants = plannr_fake_get_participants (self->fake, conversation);

  for (guint i = 0; participants != NULL && participants[i] != NULL; i++)
    if (g_strcmp0 (participants[i], not_account) != 0)
      return g_strdup (participants[i]);
  return NULL;
}

/* Answers every message the user posted through the API. */
static gboolean
scan_cb (gpointer user_data)
{
  PlannrFakeColleague *self = user_data;
  GPtrArray *requests = plannr_fake_get_requests (self->fake);

  if (self->seen_requests > requests->len)
    self->seen_requests = 0;   /* the log was cleared */

  for (; self->seen_requests < requests->len; self->seen_requests++)
    {
      PlannrFakeRequest *req = g_ptr_array_index (requests, self->seen_requests);
      g_auto(GStrv) parts = NULL;
      g_autofree char *colleague = NULL;
      const char *author;

      if (g_strcmp0 (req->method, "POST") != 0 || req->status != 201 ||
          !g_pattern_match_simple ("/api/v1/conversation/*/messages", req->path))
        continue;
      parts = g_strsplit (req->path, "/", -1);   /* "", api, v1, conversation, UUID, messages */
      if (g_strv_length (parts) != 6)
        continue;
      author = soup_message_headers_get_one (req->headers, "X-PLANNR-ACCOUNT-UUID");
      colleague = other_participant (self, parts[4], author);
      if (colleague != NULL)
        schedule (self, ACTION_ANSWER, parts[4], colleague, NULL,
                  (guint) g_rand_int_range (self->rand, 2, 5) * self->pace_ms);
    }
  return G_SOURCE_CONTINUE;
}

/* Once in a while, without being asked. */
static gboolean
unprompted_cb (gpointer user_data)
{
  PlannrFakeColleague *self = user_data;
  g_auto(GStrv) conversations = plannr_fake_list_conversations (self->fake);
  guint n = conversations ? g_strv_length (conversations) : 0;
  const char *conversation;
  g_auto(GStrv) participants = NULL;
  g_autofree char *uuid = NULL;

  if (n == 0)
    return G_SOURCE_CONTINUE;
  conversation = conversations[g_rand_int_range (self->rand, 0, (int) n)];
  participants = plannr_fake_get_participants (self->fake, conversation);
  if (participants == NULL || participants[0] == NULL)
    return G_SOURCE_CONTINUE;
  uuid = plannr_fake_post_message (self->fake, conversation,
                                   participants[g_rand_int_range (self->rand, 0, (int) g_strv_length (participants))],
                                   unprompted[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (unprompted))]);
  if (uuid != NULL)
    self->unprompted++;
  return G_SOURCE_CONTINUE;
}

PlannrFakeColleague *
plannr_fake_colleague_new (PlannrFake *fake,
                           guint       pace_ms)
{
  PlannrFakeColleague *self = g_new0 (PlannrFakeColleague, 1);

  self->fake = fake;
  self->pace_ms = MAX (pace_ms, 1);
  self->rand = g_rand_new ();
  self->seen_requests = plannr_fake_get_requests (fake)->len;
  self->scan_id = g_timeout_add (MAX (self->pace_ms / 2, 1), scan_cb, self);
  self->unprompted_id = g_timeout_add (60 * self->pace_ms, unprompted_cb, self);
  return self;
}

void
plannr_fake_colleague_get_counts (PlannrFakeColleague *self,
                                  guint               *n_answers,
                                  guint               *n_edits,
                                  guint               *n_renames,
                                  guint               *n_unprompted)
{
  *n_answers = self->answers;
  *n_edits = self->edits;
  *n_renames = self->renames;
  *n_unprompted = self->unprompted;
}

void
plannr_fake_colleague_free (PlannrFakeColleague *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->scan_id, g_source_remove);
  g_clear_handle_id (&self->unprompted_id, g_source_remove);
  g_list_free_full (self->pending, (GDestroyNotify) action_free);
  g_rand_free (self->rand);
  g_free (self);
}
