/* plannr-file-index.c: the files a chat has shown, by number
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "plannr-file-index.h"

/* Longest file name offered, in bytes: common file systems take 255. */
#define SAFE_NAME_MAX 200

struct _PlannrFileIndex
{
  GPtrArray  *entries;   /* PlannrFileEntry*, by number - 1 */
  GHashTable *by_key;    /* "message/position" -> entry (borrowed) */
};

void
plannr_file_entry_free (PlannrFileEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->message_uuid);
  g_free (entry->uuid);
  g_free (entry->filename);
  g_free (entry->mime_type);
  g_free (entry->download_url);
  g_free (entry->author_name);
  g_clear_pointer (&entry->time, g_date_time_unref);
  g_free (entry);
}

PlannrFileEntry *
plannr_file_entry_copy (const PlannrFileEntry *entry)
{
  PlannrFileEntry *copy = g_new0 (PlannrFileEntry, 1);

  copy->number = entry->number;
  copy->message_uuid = g_strdup (entry->message_uuid);
  copy->position = entry->position;
  copy->uuid = g_strdup (entry->uuid);
  copy->filename = g_strdup (entry->filename);
  copy->mime_type = g_strdup (entry->mime_type);
  copy->size = entry->size;
  copy->download_url = g_strdup (entry->download_url);
  copy->author_name = g_strdup (entry->author_name);
  copy->time = g_date_time_ref (entry->time);
  return copy;
}

PlannrFileIndex *
plannr_file_index_new (void)
{
  PlannrFileIndex *index = g_new0 (PlannrFileIndex, 1);

  index->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_file_entry_free);
  index->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return index;
}

void
plannr_file_index_free (PlannrFileIndex *index)
{
  if (index == NULL)
    return;
  g_hash_table_unref (index->by_key);
  g_ptr_array_unref (index->entries);
  g_free (index);
}

guint
plannr_file_index_size (PlannrFileIndex *index)
{
  return index->entries->len;
}

GArray *
plannr_file_index_add (PlannrFileIndex     *index,
                       const PlannrMessage *message)
{
  GArray *numbers = g_array_sized_new (FALSE, FALSE, sizeof (guint), message->files->len);

  for (guint i = 0; i < message->files->len; i++)
    {
      const PlannrFile *file = g_ptr_array_index (message->files, i);
      g_autofree char *key = g_strdup_printf ("%s/%u", message->uuid, i);
      PlannrFileEntry *entry = g_hash_table_lookup (index->by_key, key);

      if (entry == NULL)
        {
          entry = g_new0 (PlannrFileEntry, 1);
          entry->number = index->entries->len + 1;
          entry->message_uuid = g_strdup (message->uuid);
          entry->position = i;
          entry->uuid = g_strdup (file->uuid);
          entry->filename = g_strdup (file->filename);
          entry->mime_type = g_strdup (file->mime_type);
          entry->size = file->size;
          entry->download_url = g_strdup (file->download_url);
          entry->author_name = message->author ? g_strdup (message->author->name) : NULL;
          entry->time = g_date_time_ref (message->created_at);
          g_ptr_array_add (index->entries, entry);
          g_hash_table_insert (index->by_key, g_steal_pointer (&key), entry);
        }
      g_array_append_val (numbers, entry->number);
    }
  return numbers;
}

const PlannrFileEntry *
plannr_file_index_lookup (PlannrFileIndex *index,
                          guint            number)
{
  if (number == 0 || number > index->entries->len)
    return NULL;
  return g_ptr_array_index (index->entries, number - 1);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const PlannrFileEntry *x = *(PlannrFileEntry * const *) a;
  const PlannrFileEntry *y = *(PlannrFileEntry * const *) b;
  int by_time = g_date_time_compare (y->time, x->time);

  if (by_time != 0)
    return by_time;
  return y->number > x->number ? 1 : y->number < x->number ? -1 : 0;
}

GPtrArray *
plannr_file_index_recent (PlannrFileIndex *index,
                          guint            max)
{
  GPtrArray *recent = g_ptr_array_copy (index->entries, NULL, NULL);

  g_ptr_array_set_free_func (recent, NULL);
  g_ptr_array_sort (recent, newest_first);
  if (max > 0 && recent->len > max)
    g_ptr_array_set_size (recent, max);
  return recent;
}

const PlannrFile *
plannr_file_entry_find (const PlannrFileEntry *entry,
                        const PlannrMessage   *message)
{
  for (guint i = 0; entry->uuid != NULL && i < message->files->len; i++)
    {
      const PlannrFile *file = g_ptr_array_index (message->files, i);

      if (g_strcmp0 (file->uuid, entry->uuid) == 0)
        return file;
    }
  if (entry->position < message->files->len)
    {
      const PlannrFile *file = g_ptr_array_index (message->files, entry->position);

      if ((entry->uuid == NULL || file->uuid == NULL) &&
          g_strcmp0 (file->filename, entry->filename) == 0)
        return file;
    }
  return NULL;
}

char *
plannr_file_safe_name (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name ? name : "", -1);
  const char *base = valid;
  GString *safe = g_string_new (NULL);

  /* The last part of a path, whichever separator it used. */
  for (const char *p = valid; *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;
  /* Leading dots would hide it ("..", ".bashrc"), leading spaces are
   * unseen. */
  while (*base == '.' || *base == ' ')
    base++;

  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (g_unichar_iscntrl (c) || c == 0x7f)
        continue;
      if (safe->len + (gsize) (next - p) > SAFE_NAME_MAX)
        break;
      g_string_append_len (safe, p, next - p);
    }
  /* Trailing spaces and dots are unseen too, and Windows drops them. */
  while (safe->len > 0 && (safe->str[safe->len - 1] == ' ' || safe->str[safe->len - 1] == '.'))
    g_string_truncate (safe, safe->len - 1);
  if (safe->len == 0)
    g_string_assign (safe, "file");
  return g_string_free (safe, FALSE);
}

gboolean
plannr_file_parse_attach (const char  *args,
                          char       **path,
                          char       **text)
{
  g_autoptr(GString) word = g_string_new (NULL);
  const char *p = args != NULL ? args : "";
  char quote = 0;

  *path = NULL;
  *text = NULL;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '"' || *p == '\'')
    quote = *p++;
  for (; *p != '\0'; p++)
    {
      if (quote != 0 && *p == quote)
        {
          p++;
          quote = 0;
          break;
        }
      if (quote == 0 && g_ascii_isspace (*p))
        break;
      if (*p == '\\' && p[1] != '\0' && (quote == 0 || p[1] == quote || p[1] == '\\'))
        p++;
      g_string_append_c (word, *p);
    }
  /* An unclosed quote: the path is what the user meant to quote. */
  if (word->len == 0)
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  *path = g_strdup (word->str);
  *text = *p != '\0' ? g_strchomp (g_strdup (p)) : NULL;
  return TRUE;
}

char *
plannr_file_expand_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (g_str_equal (path, "~"))
    return g_strdup (g_get_home_dir ());
  if (g_str_has_prefix (path, "~/"))
    return g_build_filename (g_get_home_dir (), path + 2, NULL);
  /* A client's working directory means nothing to its user. */
  return g_canonicalize_filename (path, g_get_home_dir ());
}
