/* plannr-render.c: messages and events as the chat shows them
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "plannr-render.h"
#include "plannr-text.h"

char *
plannr_render_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* NULL for times beyond what the local zone can show. */
  return g_date_time_format (local ? local : time, "%H:%M");
}

static void
append_files (GString             *html,
              const PlannrMessage *message,
              GArray              *numbers)
{
  for (guint i = 0; i < message->files->len; i++)
    {
      const PlannrFile *file = g_ptr_array_index (message->files, i);
      g_autofree char *name = g_markup_escape_text (file->filename, -1);
      g_autofree char *size = g_format_size (file->size);
      const char *url = file->download_url;

      guint number = numbers != NULL && i < numbers->len ? g_array_index (numbers, guint, i) : 0;

      if (number > 0)
        {
          /* Translators: a file in a chat, with the number that /save
           * takes for it ("File 3: plan.pdf (1.2 MB)"). */
          g_autofree char *label = g_strdup_printf (_("File %u:"), number);

          g_string_append_printf (html, "<br>%s %s (%s)", label, name, size);
        }
      else
        g_string_append_printf (html, "<br>%s %s (%s)", _("File:"), name, size);
      /* Only web links become links; anything else is not shown. */
      if (url != NULL && (g_ascii_strncasecmp (url, "https://", 8) == 0 ||
                          g_ascii_strncasecmp (url, "http://", 7) == 0))
        {
          g_autofree char *link = plannr_text_to_html (url);

          g_string_append_printf (html, " %s", link);
        }
    }
}

static void
append_reactions (GString             *html,
                  const PlannrMessage *message)
{
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GString) text = NULL;
  g_autofree char *escaped = NULL;

  if (message->reactions->len == 0)
    return;

  counts = g_hash_table_new (g_str_hash, g_str_equal);
  order = g_ptr_array_new ();
  text = g_string_new (NULL);
  for (guint i = 0; i < message->reactions->len; i++)
    {
      const PlannrReaction *r = g_ptr_array_index (message->reactions, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, r->reaction));

      if (n == 0)
        g_ptr_array_add (order, r->reaction);
      g_hash_table_insert (counts, r->reaction, GUINT_TO_POINTER (n + 1));
    }
  for (guint i = 0; i < order->len; i++)
    {
      const char *kind = g_ptr_array_index (order, i);

      g_string_append_printf (text, "%s%s ×%u", i > 0 ? ", " : "", kind,
                              GPOINTER_TO_UINT (g_hash_table_lookup (counts, kind)));
    }
  escaped = plannr_text_to_html (text->str);
  g_string_append_printf (html, "<br>%s %s", _("Reactions:"), escaped);
}

char *
plannr_render_message (const PlannrMessage *message)
{
  return plannr_render_message_numbered (message, NULL);
}

char *
plannr_render_message_numbered (const PlannrMessage *message,
                                GArray              *numbers)
{
  g_autofree char *body = plannr_text_to_html (message->contents);
  GString *html = g_string_new (body);

  append_files (html, message, numbers);
  append_reactions (html, message);
  return g_string_free (html, FALSE);
}

char *
plannr_render_reaction_line (const char *who,
                             const char *reaction,
                             const char *author,
                             gboolean    own,
                             GDateTime  *time)
{
  g_autofree char *when = plannr_render_time (time);

  if (who == NULL && author == NULL)
    /* Translators: a reaction ("like", "love", "laughing" or
     * "surprised", as Plannr and /react name them), then a time of day
     * ("14:02"). */
    return g_strdup_printf (_("You reacted %s to your message from %s."), reaction, when);
  if (who == NULL)
    /* Translators: a reaction ("love"), a person's name, a time of
     * day ("14:02"). */
    return g_strdup_printf (_("You reacted %s to %s's message from %s."), reaction, author, when);
  if (author == NULL)
    /* Translators: a person's name, a reaction ("love"), a time of day
     * ("14:02"). */
    return g_strdup_printf (_("%s reacted %s to your message from %s."), who, reaction, when);
  if (own)
    /* Translators: a person's name, a reaction ("love"), a time of day
     * ("14:02"): they reacted to a message of their own. */
    return g_strdup_printf (_("%s reacted %s to their own message from %s."), who, reaction, when);
  /* Translators: a person's name, a reaction ("love"), another
   * person's name, a time of day ("14:02"). */
  return g_strdup_printf (_("%s reacted %s to %s's message from %s."), who, reaction, author, when);
}

char *
plannr_render_event_line (const PlannrMessageEvent *event,
                          const char               *who)
{
  const PlannrMessage *message = event->message;
  g_autofree char *when = plannr_render_time (message->created_at);

  switch (event->kind)
    {
    case PLANNR_EVENT_EDITED:
      if (who == NULL)
        return event->old_contents
          ? g_strdup_printf (_("You edited your message from %s: %s (was: %s)"),
                             when, message->contents, event->old_contents)
          : g_strdup_printf (_("You edited your message from %s: %s"),
                             when, message->contents);
      /* Translators: the first %s is a person's name, the second the
       * time of day of their message ("14:02"). */
      return event->old_contents
        ? g_strdup_printf (_("%s edited their message from %s: %s (was: %s)"),
                           who, when, message->contents, event->old_contents)
        : g_strdup_printf (_("%s edited their message from %s: %s"),
                           who, when, message->contents);

    case PLANNR_EVENT_DELETED:
      if (who == NULL)
        return g_strdup_printf (_("You deleted your message from %s."), when);
      /* Translators: a person's name, then a time of day ("14:02"). */
      return g_strdup_printf (_("%s deleted their message from %s."), who, when);

    case PLANNR_EVENT_NEW:
    default:
      g_return_val_if_reached (NULL);
    }
}
