/* plannr-text.c
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "plannr-text.h"

static const struct
{
  const char *name;
  gunichar    ch;
} entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
  { "apos", '\'' }, { "nbsp", 0xA0 },
};

/* Decodes the entity at @p (just after '&'); returns the characters
 * consumed, or 0 if it is not an entity we know. */
static gsize
decode_entity (const char *p,
               GString    *out)
{
  const char *semi = strchr (p, ';');
  gsize len;

  if (semi == NULL || semi - p > 10 || semi == p)
    return 0;
  len = semi - p;

  if (*p == '#')
    {
      guint64 code;
      const char *digits = p + 1;
      guint base = 10;

      if (*digits == 'x' || *digits == 'X')
        {
          digits++;
          base = 16;
        }
      {
        g_autofree char *num = g_strndup (digits, semi - digits);

        if (!g_ascii_string_to_unsigned (num, base, 1, 0x10FFFF, &code, NULL) ||
            !g_unichar_validate ((gunichar) code))
          return 0;
      }
      g_string_append_unichar (out, (gunichar) code);
      return len + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (strlen (entities[i].name) == len && strncmp (p, entities[i].name, len) == 0)
      {
        g_string_append_unichar (out, entities[i].ch);
        return len + 1;
      }

  return 0;
}

char *
plannr_text_from_html (const char *html)
{
  GString *out;
  const char *p;

  if (html == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (html));
  for (p = html; *p != '\0'; )
    {
      if (*p == '<')
        {
          const char *end = strchr (p, '>');

          if (end == NULL)
            {
              /* Not a tag: a lone '<' the user typed. */
              g_string_append_c (out, *p++);
              continue;
            }
          if (g_ascii_strncasecmp (p, "<br", 3) == 0 &&
              (p[3] == '>' || p[3] == '/' || g_ascii_isspace (p[3])))
            g_string_append_c (out, '\n');
          p = end + 1;
        }
      else if (*p == '&')
        {
          gsize used = decode_entity (p + 1, out);

          if (used == 0)
            g_string_append_c (out, '&');
          p += 1 + used;
        }
      else
        g_string_append_c (out, *p++);
    }

  /* Non-breaking spaces are what Pidgin uses for repeated spaces. */
  {
    g_autofree char *text = g_string_free (out, FALSE);
    g_auto(GStrv) parts = g_strsplit (text, "\xc2\xa0", -1);

    return g_strjoinv (" ", parts);
  }
}

static gboolean
is_url_char (char c)
{
  return c > ' ' && c != '<' && c != '>' && c != '"' && c != '\'' &&
         (unsigned char) c < 0x7f;
}

char *
plannr_text_to_html (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text) + 16);
  for (p = text; *p != '\0'; )
    {
      gsize scheme = 0;

      if (g_ascii_strncasecmp (p, "https://", 8) == 0)
        scheme = 8;
      else if (g_ascii_strncasecmp (p, "http://", 7) == 0)
        scheme = 7;

      if (scheme > 0 && is_url_char (p[scheme]) &&
          (p == text || !g_ascii_isalnum (p[-1])))
        {
          gsize len = scheme;
          g_autofree char *url = NULL;
          g_autofree char *escaped = NULL;

          while (is_url_char (p[len]))
            len++;
          /* Trailing punctuation belongs to the sentence, not the URL. */
          while (len > scheme && strchr (".,;:!?)]", p[len - 1]) != NULL)
            len--;

          url = g_strndup (p, len);
          escaped = g_markup_escape_text (url, -1);
          g_string_append_printf (out, "<a href=\"%s\">%s</a>", escaped, escaped);
          p += len;
          continue;
        }

      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&apos;"); break;
        case '\n': g_string_append (out, "<br>"); break;
        case '\r': break;
        default: g_string_append_c (out, *p);
        }
      p++;
    }

  return g_string_free (out, FALSE);
}

char *
plannr_text_name_key (const char *name)
{
  g_autofree char *folded = NULL;

  if (name == NULL)
    return NULL;
  folded = g_utf8_casefold (name, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_ALL);
}

char *
plannr_text_trim (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;

  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    {
      g_free (copy);
      return NULL;
    }
  return copy;
}

char *
plannr_text_summary (const char *text,
                     guint       max_chars)
{
  g_autofree char *line = NULL;
  const char *nl;

  if (text == NULL)
    return g_strdup ("");

  nl = strchr (text, '\n');
  line = nl ? g_strndup (text, nl - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) > max_chars || nl != NULL)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, MIN (max_chars, g_utf8_strlen (line, -1)));

      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&line);
}

/* Reads up to the next unescaped '/', unescaping as it goes. */
static const char *
read_part (const char *p,
           GString    *out)
{
  while (*p != '\0' && *p != '/')
    {
      if (*p == '\\' && (p[1] == '/' || p[1] == '\\'))
        p++;
      g_string_append_c (out, *p++);
    }
  return *p == '/' ? p : NULL;
}

gboolean
plannr_text_parse_substitution (const char  *text,
                                char       **old_text,
                                char       **new_text,
                                gboolean    *global)
{
  g_autoptr(GString) old_part = g_string_new (NULL);
  g_autoptr(GString) new_part = g_string_new (NULL);
  const char *p;

  if (text == NULL || text[0] != 's' || text[1] != '/')
    return FALSE;

  p = read_part (text + 2, old_part);
  if (p == NULL || old_part->len == 0)
    return FALSE;
  p = read_part (p + 1, new_part);
  if (p == NULL)
    return FALSE;
  p++;

  if (*p == 'g')
    {
      *global = TRUE;
      p++;
    }
  else
    *global = FALSE;

  /* Trailing spaces are what a quick typist leaves; anything else means
   * this was a message that happens to start with "s/". */
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0')
    return FALSE;

  *old_text = g_string_free (g_steal_pointer (&old_part), FALSE);
  *new_text = g_string_free (g_steal_pointer (&new_part), FALSE);
  return TRUE;
}

gboolean
plannr_text_split_command (const char  *text,
                           char       **name,
                           const char **args)
{
  const char *end;

  *name = NULL;
  *args = NULL;
  if (text == NULL || text[0] != '/' || text[1] == '/' || text[1] == ' ' || text[1] == '\0')
    return FALSE;
  end = strchr (text, ' ');
  *name = end != NULL ? g_strndup (text + 1, (gsize) (end - text - 1)) : g_strdup (text + 1);
  if (end != NULL && end[1] != '\0')
    *args = end + 1;
  return TRUE;
}

char *
plannr_text_substitute (const char *contents,
                        const char *old_text,
                        const char *new_text,
                        gboolean    global)
{
  GString *out;
  const char *p;
  const char *hit;
  gsize old_len;

  g_return_val_if_fail (old_text != NULL && *old_text != '\0', NULL);

  if (contents == NULL || strstr (contents, old_text) == NULL)
    return NULL;

  old_len = strlen (old_text);
  out = g_string_new (NULL);
  p = contents;
  while ((hit = strstr (p, old_text)) != NULL)
    {
      g_string_append_len (out, p, hit - p);
      g_string_append (out, new_text);
      p = hit + old_len;
      if (!global)
        break;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

static gboolean
read_two_digits (const char *p,
                 int        *value,
                 int         max)
{
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
    return FALSE;
  *value = (p[0] - '0') * 10 + (p[1] - '0');
  return *value <= max;
}

gboolean
plannr_text_parse_edit_time (const char  *arg,
                             int         *hour,
                             int         *minute,
                             int         *second,
                             const char **rest)
{
  const char *p = arg;
  int h, m, s = -1;

  if (arg == NULL)
    return FALSE;

  /* "9:05" is as natural as "09:05". */
  if (g_ascii_isdigit (p[0]) && p[1] == ':')
    {
      h = p[0] - '0';
      p += 1;
    }
  else if (read_two_digits (p, &h, 23))
    p += 2;
  else
    return FALSE;

  if (*p != ':' || !read_two_digits (p + 1, &m, 59))
    return FALSE;
  p += 3;
  if (*p == ':')
    {
      if (!read_two_digits (p + 1, &s, 59))
        return FALSE;
      p += 3;
    }
  if (*p != ' ' && *p != '\t')
    return FALSE;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0')
    return FALSE;

  *hour = h;
  *minute = m;
  *second = s;
  *rest = p;
  return TRUE;
}
