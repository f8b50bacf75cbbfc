/* plannr-text.h: text in and out of the chat window
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Plannr speaks plain text; libpurple speaks HTML.  These functions sit
 * between the two and are pure, so they are tested on their own.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest text the plugin sends as a message or name, in characters.
 * Plannr refuses longer contents ([assumed]: 65535, the size of a MySQL
 * TEXT column); names are capped at 255 as Laravel's string rule does. */
#define PLANNR_MAX_MESSAGE_CHARS 65535
#define PLANNR_MAX_NAME_CHARS 255

/* What the user typed (Pidgin sends HTML) as plain text: tags dropped,
 * <br> as newlines, entities decoded. */
char     *plannr_text_from_html        (const char *html);

/* Untrusted plain text as inert HTML: markup escaped, newlines as <br>,
 * and only http:// and https:// URLs turned into links. */
char     *plannr_text_to_html          (const char *text);

/* What two display names must not share to be told apart in a chat:
 * case folded and in one Unicode normal form (NFKD).  libpurple takes a
 * chat line for the user's own when its author's name equals the user's
 * nick after purple_normalize() (NFD), so "José" written precomposed and
 * decomposed must count as the same name here; this key equates at
 * least every pair libpurple does. */
char     *plannr_text_name_key         (const char *name);

/* Whitespace trimmed at both ends; NULL if nothing is left. */
char     *plannr_text_trim             (const char *text);

/* The first line of @text, cut to @max_chars with an ellipsis. */
char     *plannr_text_summary          (const char *text,
                                        guint       max_chars);

/* Parses "s/old/new/" or "s/old/new/g"; "\/" stands for a slash and
 * "\\" for a backslash.  Everything is literal: no regular expressions.
 * Returns FALSE if @text is not of that form or old is empty. */
gboolean  plannr_text_parse_substitution (const char  *text,
                                          char       **old_text,
                                          char       **new_text,
                                          gboolean    *global);

/* Whether @text (plain, as sent) is a command line, read the way
 * purple_cmd_do_command() reads one: a "/" at the very start, then the
 * command's name up to the first space or the end, in that case.  Sets
 * @name to the name and @args to what follows the first space (NULL
 * when nothing does).  A text that starts with a space or "//" is never
 * a command. */
gboolean  plannr_text_split_command    (const char  *text,
                                        char       **name,
                                        const char **args);

/* @contents with the first (or every) @old_text replaced by @new_text;
 * NULL when @old_text does not occur. */
char     *plannr_text_substitute       (const char *contents,
                                        const char *old_text,
                                        const char *new_text,
                                        gboolean    global);

/* Splits "HH:MM rest" or "HH:MM:SS rest".  On success sets the time
 * (@second -1 when not given) and @rest to the text after the space. */
gboolean  plannr_text_parse_edit_time  (const char  *arg,
                                        int         *hour,
                                        int         *minute,
                                        int         *second,
                                        const char **rest);

G_END_DECLS
