/* plannr-lookup.c: who a name or an e-mail address means
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "plannr-error.h"
#include "plannr-lookup.h"
#include "plannr-text.h"

gboolean
plannr_lookup_is_email (const char *text)
{
  const char *at;

  if (text == NULL || strpbrk (text, " \t\r\n") != NULL)
    return FALSE;
  at = strchr (text, '@');
  return at != NULL && at != text && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}

static const char *
label_at (GPtrArray *labels,
          guint      i)
{
  return labels != NULL && i < labels->len ? g_ptr_array_index (labels, i) : NULL;
}

static gboolean
key_equal (const char *name,
           const char *key)
{
  g_autofree char *other = name != NULL ? plannr_text_name_key (name) : NULL;

  return other != NULL && strcmp (other, key) == 0;
}

static gboolean
key_contains (const char *name,
              const char *key)
{
  g_autofree char *other = name != NULL ? plannr_text_name_key (name) : NULL;

  return other != NULL && strstr (other, key) != NULL;
}

static PlannrLookupResult
outcome (GPtrArray *found,
         GPtrArray *matches)
{
  if (matches != NULL)
    for (guint i = 0; i < found->len; i++)
      g_ptr_array_add (matches, g_ptr_array_index (found, i));
  if (found->len == 0)
    return PLANNR_LOOKUP_NONE;
  return found->len == 1 ? PLANNR_LOOKUP_FOUND : PLANNR_LOOKUP_AMBIGUOUS;
}

PlannrLookupResult
plannr_lookup_match (GPtrArray  *people,
                     GPtrArray  *labels,
                     const char *query,
                     GPtrArray  *matches)
{
  g_autoptr(GPtrArray) exact = g_ptr_array_new ();
  g_autoptr(GPtrArray) partial = g_ptr_array_new ();
  g_autofree char *trimmed = plannr_text_trim (query);
  g_autofree char *key = NULL;

  if (trimmed == NULL || people == NULL)
    return PLANNR_LOOKUP_NONE;

  if (plannr_lookup_is_email (trimmed))
    {
      for (guint i = 0; i < people->len; i++)
        {
          PlannrPerson *person = g_ptr_array_index (people, i);

          /* Addresses are told apart without case, as mail systems do. */
          if (person->email != NULL && g_ascii_strcasecmp (person->email, trimmed) == 0 &&
              !g_ptr_array_find (exact, person, NULL))
            g_ptr_array_add (exact, person);
        }
      return outcome (exact, matches);
    }

  key = plannr_text_name_key (trimmed);
  for (guint i = 0; i < people->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (people, i);
      const char *label = label_at (labels, i);

      if (key_equal (person->name, key) || key_equal (label, key))
        g_ptr_array_add (exact, person);
      else if (key_contains (person->name, key) || key_contains (label, key))
        g_ptr_array_add (partial, person);
    }
  return outcome (exact->len > 0 ? exact : partial, matches);
}

GPtrArray *
plannr_lookup_merge (GPtrArray *first,
                     GPtrArray *second)
{
  GPtrArray *people = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *lists[] = { first, second };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      {
        PlannrPerson *person = g_ptr_array_index (lists[l], i);

        if (g_hash_table_add (seen, person->uuid))
          g_ptr_array_add (people, plannr_person_copy (person));
      }
  return people;
}

char *
plannr_lookup_describe (GPtrArray *people)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      PlannrPerson *person = g_ptr_array_index (people, i);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, person->name);
      if (person->email != NULL)
        g_string_append_printf (text, " <%s>", person->email);
    }
  return g_string_free (text, FALSE);
}

void
plannr_lookup_free (PlannrLookup *lookup)
{
  if (lookup == NULL)
    return;
  g_free (lookup->query);
  plannr_person_free (lookup->person);
  g_clear_pointer (&lookup->candidates, g_ptr_array_unref);
  g_free (lookup);
}

char *
plannr_lookup_explain (const PlannrLookup *lookup)
{
  g_autofree char *names = NULL;

  switch (lookup->result)
    {
    case PLANNR_LOOKUP_AMBIGUOUS:
      names = plannr_lookup_describe (lookup->candidates);
      /* Translators: what was typed, then the people it fits. */
      return g_strdup_printf (_("“%s” could mean several people: %s. Give the e-mail address."),
                              lookup->query, names);
    case PLANNR_LOOKUP_NONE:
      if (plannr_lookup_is_email (lookup->query))
        return g_strdup_printf (_("No employee has the e-mail address “%s”. Clients are found by name."),
                                lookup->query);
      return g_strdup_printf (_("No employee or client called “%s” was found."), lookup->query);
    case PLANNR_LOOKUP_FOUND:
    default:
      return NULL;
    }
}

/* --- asking the server ------------------------------------------------------ */

typedef struct
{
  char      *query;
  guint      pending;     /* searches on their way */
  GPtrArray *employees;   /* PlannrPerson, owned */
  GPtrArray *clients;
  GError    *error;       /* the first search's failure */
} Search;

static void
search_free (Search *search)
{
  g_free (search->query);
  g_clear_pointer (&search->employees, g_ptr_array_unref);
  g_clear_pointer (&search->clients, g_ptr_array_unref);
  g_clear_error (&search->error);
  g_free (search);
}

static PlannrLookup *
decide (const char *query,
        GPtrArray  *people)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  PlannrLookup *lookup = g_new0 (PlannrLookup, 1);

  lookup->query = g_strdup (query);
  lookup->result = plannr_lookup_match (people, NULL, query, matches);
  if (lookup->result == PLANNR_LOOKUP_FOUND)
    lookup->person = plannr_person_copy (g_ptr_array_index (matches, 0));
  else if (lookup->result == PLANNR_LOOKUP_AMBIGUOUS)
    {
      lookup->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) plannr_person_free);
      for (guint i = 0; i < matches->len; i++)
        g_ptr_array_add (lookup->candidates, plannr_person_copy (g_ptr_array_index (matches, i)));
    }
  return lookup;
}

static void
search_done (GTask        *task,
             PlannrApi    *api,
             GAsyncResult *result,
             gboolean      employees)
{
  Search *search = g_task_get_task_data (task);
  g_autoptr(PlannrPage) page = NULL;
  g_autoptr(GPtrArray) people = NULL;
  GError *error = NULL;

  page = plannr_api_search_people_finish (api, result, &error);
  if (page == NULL)
    {
      if (search->error == NULL)
        search->error = error;
      else
        g_error_free (error);
    }
  else if (employees)
    search->employees = g_ptr_array_ref (page->items);
  else
    search->clients = g_ptr_array_ref (page->items);

  if (--search->pending > 0)
    return;

  if (search->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&search->error));
      g_object_unref (task);
      return;
    }
  /* Employees, then clients; an account in both lists once. */
  people = plannr_lookup_merge (search->employees, search->clients);
  g_task_return_pointer (task, decide (search->query, people), (GDestroyNotify) plannr_lookup_free);
  g_object_unref (task);
}

static void
employees_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  search_done (user_data, PLANNR_API (source), result, TRUE);
}

static void
clients_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  search_done (user_data, PLANNR_API (source), result, FALSE);
}

void
plannr_lookup_async (PlannrApi           *api,
                     const char          *query,
                     GPtrArray           *known,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  /* Cancelled with everything else when the account closes. */
  GTask *task = g_task_new (api, plannr_http_get_cancellable (plannr_api_get_http (api)),
                            callback, user_data);
  Search *search = g_new0 (Search, 1);
  g_autofree char *trimmed = plannr_text_trim (query);

  g_task_set_source_tag (task, plannr_lookup_async);
  search->query = g_strdup (trimmed ? trimmed : "");
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);

  if (trimmed == NULL)
    {
      g_task_return_pointer (task, decide ("", NULL), (GDestroyNotify) plannr_lookup_free);
      g_object_unref (task);
      return;
    }

  if (plannr_lookup_is_email (trimmed))
    {
      /* Someone seen already needs no search. */
      if (plannr_lookup_match (known, NULL, trimmed, NULL) == PLANNR_LOOKUP_FOUND)
        {
          g_task_return_pointer (task, decide (trimmed, known), (GDestroyNotify) plannr_lookup_free);
          g_object_unref (task);
          return;
        }
      search->pending = 1;
      plannr_api_search_people_async (api, PLANNR_PEOPLE_EMPLOYEES, "email", trimmed,
                                      PLANNR_PEOPLE_PAGE_SIZE, employees_cb, task);
      return;
    }

  search->pending = 2;
  plannr_api_search_people_async (api, PLANNR_PEOPLE_EMPLOYEES, "name", trimmed,
                                  PLANNR_PEOPLE_PAGE_SIZE, employees_cb, task);
  plannr_api_search_people_async (api, PLANNR_PEOPLE_CLIENTS, "name", trimmed,
                                  PLANNR_PEOPLE_PAGE_SIZE, clients_cb, task);
}

PlannrLookup *
plannr_lookup_finish (PlannrApi     *api,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, api), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
