/* plannr-conv-list.h: the conversations the account knows of
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * uuid → what the plugin knows of a conversation: its list data, the
 * rules that decide whether an answer from the server may change it
 * (stale answers, our own renames on their way), whether it belongs on
 * the buddy list, and its message log.  Pure: no libpurple, no network.
 */
#pragma once

#include <glib.h>

#include "plannr-message-log.h"
#include "plannr-model.h"

G_BEGIN_DECLS

typedef struct
{
  char             *uuid;              /* lower case */
  char             *name;              /* never NULL */
  char             *case_name;
  char             *tags;              /* comma separated, for the room list */
  int               participants_count; /* -1 when unknown */
  int               messages_count;     /* -1 when unknown */
  int               files_count;        /* -1 when unknown */
  gboolean          pinned;
  gboolean          is_admin;
  gboolean          gone;              /* no longer on the server's list */
  GDateTime        *updated_at;        /* the server's, for stale answers */
  GDateTime        *last_activity;     /* latest message, else created_at */
  char             *latest_uuid;       /* latest message uuid, if known */

  /* Our renames: how many are on their way, the name asked for while
   * one was, and when the last one landed (monotonic µs). */
  guint             renaming;
  char             *rename_next;
  gint64            name_landed;

  /* What is known of its messages; NULL until a chat, a send or an edit
   * needs it. */
  PlannrMessageLog *log;
  gboolean          history_loaded;    /* recent messages read for edits */

  /*< private >*/
  gboolean          seen_in_sync;
} PlannrConvInfo;

/* What an answer from the server changed. */
typedef struct
{
  gboolean changed;       /* anything that shows: new, renamed, message */
  gboolean renamed;       /* the name is the server's new one */
  gboolean new_message;   /* latest_message is one not seen before */
  gboolean participants_changed; /* participants_count, known before and now, differs */
} PlannrConvChange;

typedef struct _PlannrConvList PlannrConvList;

PlannrConvList *plannr_conv_list_new         (void);
void            plannr_conv_list_free        (PlannrConvList *list);
guint           plannr_conv_list_size        (PlannrConvList *list);

/* @uuid in any case. */
PlannrConvInfo *plannr_conv_list_lookup      (PlannrConvList *list,
                                              const char     *uuid);
/* The conversation @uuid, added with @name when it was not known. */
PlannrConvInfo *plannr_conv_list_get_or_add  (PlannrConvList *list,
                                              const char     *uuid,
                                              const char     *name);
/* The not gone ones, in no order; borrowed. */
GPtrArray      *plannr_conv_list_live        (PlannrConvList *list);
/* Every one, gone or not; borrowed. */
GPtrArray      *plannr_conv_list_all         (PlannrConvList *list);

/* The one named @name (case folded); of several, the most recently
 * active.  @matches says how many share it. */
PlannrConvInfo *plannr_conv_list_find_by_name (PlannrConvList *list,
                                               const char     *name,
                                               guint          *matches);

/* Reading the whole list: every conversation not seen between begin
 * and end is gone. */
void            plannr_conv_list_begin_sync  (PlannrConvList *list);
void            plannr_conv_list_seen        (PlannrConvInfo *info);
void            plannr_conv_list_end_sync    (PlannrConvList *list);

/* @uuid, the user's, was sent from here and is on the server: the
 * latest message, one more than the last page counted.  An inbox page
 * that then shows it as the latest with more than that count tells of
 * others' messages sent just before it (plannr_conv_info_update()). */
void            plannr_conv_info_add_mine    (PlannrConvInfo           *info,
                                              const char               *uuid);
/* Takes what the server says of a conversation, read by a request made
 * at @read_started (monotonic µs).  An answer older than what is known
 * changes nothing; while our rename is on its way, or when the answer
 * was asked for before our last rename landed, the name stays ours.
 * Says in @change what differs: a new message when the
 * latest one is new, or when there are more than known.  Returns @change->changed. */
gboolean        plannr_conv_info_update      (PlannrConvInfo           *info,
                                              const PlannrConversation *data,
                                              gint64                    read_started,
                                              PlannrConvChange         *change);
/* Whether @data, the conversation as the server has it now, differs
 * from @info (as read before) by exactly one new message: its latest,
 * with one more message than before, no more files, and the latest one
 * before known, and the latest one saying who wrote it and when.  That
 * message is then all there is to read, and the
 * latest message @data carries can stand for reading it (a message with
 * a file, or two at once, is read).  Ask before plannr_conv_info_update(). */
gboolean        plannr_conv_info_adds_one_message (const PlannrConvInfo     *info,
                                                   const PlannrConversation *data);
/* Whether a name the server gave at @read_started may replace ours. */
gboolean        plannr_conv_info_name_is_news (const PlannrConvInfo *info,
                                               const char           *name,
                                               gint64                read_started);
/* On the buddy list: pinned, open, or active within @days (0: always). */
gboolean        plannr_conv_info_should_list (const PlannrConvInfo *info,
                                              int                   days,
                                              gboolean              is_open,
                                              GDateTime            *now);
/* The message log, made when first asked for. */
PlannrMessageLog *plannr_conv_info_log       (PlannrConvInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlannrConvList, plannr_conv_list_free)

G_END_DECLS
