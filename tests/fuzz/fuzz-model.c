/* fuzz-model.c: libFuzzer target for the JSON, model and text layers
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything in plannr-model.c and plannr-text.c reads what a server
 * (or a user) sent, so every parser gets the same bytes here.  Besides
 * the sanitizers' own checks (memory errors, leaks, undefined
 * behaviour), a few promises of plannr-model.h are checked on every
 * result: a violated one aborts, which libFuzzer reports as a crash.
 * Warnings and criticals are fatal too, as in the test suite: hostile
 * input must never make the plugin warn.
 *
 * Built two ways (tests/fuzz/meson.build): with clang and
 * -fsanitize=fuzzer as fuzz-model, and with any compiler, together
 * with fuzz-replay.c, as a test that runs the seed corpus.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plannr-error.h"
#include "plannr-model.h"
#include "plannr-text.h"

/* Longest input handed to the text functions.  They are linear, but
 * the user cannot send more than this and a page of messages is cut
 * per string anyway; longer inputs only slow the fuzzer down. */
#define FUZZ_MAX_TEXT (64 * 1024)

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define fuzz_check(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      fuzz_fail (__FILE__, __LINE__, #expr); \
  } G_STMT_END

G_NORETURN static void
fuzz_fail (const char *file,
           int         line,
           const char *expr)
{
  fprintf (stderr, "%s:%d: promise broken: %s\n", file, line, expr);
  abort ();
}

/* Deepest nesting of @node, counted as plannr_json_parse() counts it
 * (an array or object is one level), but never past @limit + 1, so a
 * tree that broke the limit is not walked to its bottom. */
static int
json_depth (JsonNode *node,
            int       limit)
{
  int deepest = 0;

  if (limit < 0)
    return 1;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          /* Not inside MAX(), which would evaluate it twice per level. */
          int depth = json_depth (json_array_get_element (array, i), limit - 1);

          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &value))
        {
          int depth = json_depth (value, limit - 1);

          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }

  return 0;
}

static void
check_string (const char *str)
{
  if (str == NULL)
    return;
  fuzz_check (g_utf8_validate (str, -1, NULL));
  /* Cut at PLANNR_MAX_STRING bytes, then repaired: each bad byte may
   * become a three-byte U+FFFD. */
  fuzz_check (strlen (str) <= 3 * PLANNR_MAX_STRING);
}

/* What may go into a URL path: a valid uuid, in lower case. */
static void
check_uuid (const char *uuid)
{
  fuzz_check (plannr_uuid_is_valid (uuid));
  for (const char *p = uuid; *p != '\0'; p++)
    fuzz_check (!g_ascii_isupper (*p));
}

static void
check_person (const PlannrPerson *person)
{
  check_uuid (person->uuid);
  fuzz_check (person->name != NULL && *person->name != '\0');
  check_string (person->name);
  check_string (person->email);
  check_string (person->type);
  check_string (person->role);
}

static void
check_message (const PlannrMessage *message)
{
  check_uuid (message->uuid);
  fuzz_check (message->created_at != NULL);
  fuzz_check (message->updated_at != NULL);
  fuzz_check (message->contents != NULL);
  check_string (message->contents);
  if (message->author != NULL)
    check_person (message->author);

  for (guint i = 0; i < message->files->len; i++)
    {
      const PlannrFile *file = g_ptr_array_index (message->files, i);

      fuzz_check (file->filename != NULL);
      check_string (file->filename);
      check_string (file->uuid);
      check_string (file->mime_type);
      check_string (file->download_url);
    }
  for (guint i = 0; i < message->reactions->len; i++)
    {
      const PlannrReaction *reaction = g_ptr_array_index (message->reactions, i);

      fuzz_check (reaction->reaction != NULL);
      check_string (reaction->reaction);
      check_string (reaction->account_uuid);
      check_string (reaction->account_name);
    }

  /* The copy is what the sync layer keeps; it must be complete. */
  {
    PlannrMessage *copy = plannr_message_copy (message);

    fuzz_check (g_strcmp0 (copy->uuid, message->uuid) == 0);
    fuzz_check (g_strcmp0 (copy->contents, message->contents) == 0);
    fuzz_check (copy->files->len == message->files->len);
    fuzz_check (copy->reactions->len == message->reactions->len);
    plannr_message_free (copy);
  }
}

static void
check_conversation (const PlannrConversation *conv)
{
  check_uuid (conv->uuid);
  fuzz_check (conv->name != NULL);
  check_string (conv->name);
  check_string (conv->case_name);
  fuzz_check (conv->participants_count >= -1);
  fuzz_check (conv->messages_count >= -1);
  for (guint i = 0; i < conv->tags->len; i++)
    check_string (g_ptr_array_index (conv->tags, i));
  if (conv->participants != NULL)
    for (guint i = 0; i < conv->participants->len; i++)
      check_person (g_ptr_array_index (conv->participants, i));
  if (conv->admins != NULL)
    for (guint i = 0; i < conv->admins->len; i++)
      {
        check_uuid (g_ptr_array_index (conv->admins, i));
        fuzz_check (plannr_conversation_is_admin (conv, g_ptr_array_index (conv->admins, i)));
      }
  if (conv->latest_message != NULL)
    check_message (conv->latest_message);
}

static void
fuzz_json (const char *data,
           gsize       size)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  root = plannr_json_parse (data, size, &error);
  if (root == NULL)
    {
      fuzz_check (error != NULL);
      fuzz_check (error->domain == PLANNR_ERROR);
      return;
    }
  fuzz_check (error == NULL);

  /* The depth check must hold for whatever json-glib accepted: deeper
   * trees overflow the stack in json-glib's recursive parser. */
  fuzz_check (json_depth (root, PLANNR_MAX_JSON_DEPTH) <= PLANNR_MAX_JSON_DEPTH);

  {
    g_autoptr(GError) item_error = NULL;
    g_autoptr(PlannrMessage) message = plannr_message_new_from_json (root, &item_error);

    fuzz_check ((message == NULL) == (item_error != NULL));
    if (message != NULL)
      check_message (message);
  }

  {
    g_autoptr(GError) item_error = NULL;
    g_autoptr(PlannrConversation) conv = plannr_conversation_new_from_json (root, &item_error);

    fuzz_check ((conv == NULL) == (item_error != NULL));
    if (conv != NULL)
      check_conversation (conv);
  }

  {
    g_autoptr(GError) item_error = NULL;
    g_autoptr(PlannrPerson) person = plannr_person_new_from_json (root, &item_error);

    fuzz_check ((person == NULL) == (item_error != NULL));
    if (person != NULL)
      {
        g_autoptr(PlannrPerson) copy = plannr_person_copy (person);

        check_person (person);
        check_person (copy);
      }
  }

  {
    g_autoptr(GError) item_error = NULL;
    g_autoptr(PlannrLogins) logins = plannr_logins_new_from_json (root, &item_error);

    fuzz_check ((logins == NULL) == (item_error != NULL));
    if (logins != NULL)
      {
        if (logins->preferred_account_uuid != NULL)
          fuzz_check (plannr_uuid_is_valid (logins->preferred_account_uuid));
        for (guint i = 0; i < logins->logins->len; i++)
          {
            const PlannrLogin *login = g_ptr_array_index (logins->logins, i);

            check_uuid (login->account_uuid);
            fuzz_check (login->account_name != NULL);
            check_string (login->account_name);
            check_string (login->firm_name);
          }
      }
  }

  {
    g_autoptr(GError) item_error = NULL;
    g_autoptr(PlannrUser) user = plannr_user_new_from_json (root, &item_error);

    fuzz_check ((user == NULL) == (item_error != NULL));
    if (user != NULL)
      {
        check_uuid (user->uuid);
        check_string (user->name);
        check_string (user->email);
        if (user->current_account_uuid != NULL)
          check_uuid (user->current_account_uuid);
      }
  }

  {
    g_autoptr(GError) item_error = NULL;
    g_autoptr(PlannrPage) page = NULL;

    page = plannr_page_new_from_json (root,
                                      (PlannrItemParser) plannr_conversation_new_from_json,
                                      (GDestroyNotify) plannr_conversation_free,
                                      &item_error);
    fuzz_check ((page == NULL) == (item_error != NULL));
    if (page != NULL)
      for (guint i = 0; i < page->items->len; i++)
        check_conversation (g_ptr_array_index (page->items, i));
  }

  {
    g_autoptr(GError) item_error = NULL;
    g_autoptr(PlannrPage) page = NULL;

    page = plannr_page_new_from_json (root,
                                      (PlannrItemParser) plannr_message_new_from_json,
                                      (GDestroyNotify) plannr_message_free,
                                      &item_error);
    fuzz_check ((page == NULL) == (item_error != NULL));
    if (page != NULL)
      for (guint i = 0; i < page->items->len; i++)
        check_message (g_ptr_array_index (page->items, i));
  }

  {
    g_autofree char *message = plannr_error_message_from_json (root);

    check_string (message);
    if (message != NULL)
      fuzz_check (g_utf8_strlen (message, -1) <= 300);
  }

  json_node_unref (root);
}

/* Checks that every link plannr_text_to_html() made is http or https:
 * everything else the server sent must stay inert text. */
static void
check_links (const char *html)
{
  static const char anchor[] = "<a href=\"";

  for (const char *p = strstr (html, anchor); p != NULL; p = strstr (p + 1, anchor))
    {
      const char *url = p + strlen (anchor);

      fuzz_check (g_ascii_strncasecmp (url, "http://", 7) == 0 ||
                  g_ascii_strncasecmp (url, "https://", 8) == 0);
    }
}

static void
fuzz_text (const char *text)
{
  g_autofree char *html = plannr_text_to_html (text);
  g_autofree char *plain = plannr_text_from_html (text);
  g_autofree char *trimmed = plannr_text_trim (text);
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  gboolean global = FALSE;
  int hour, minute, second;
  const char *rest = NULL;

  fuzz_check (html != NULL);
  fuzz_check (plain != NULL);
  if (trimmed != NULL)
    fuzz_check (*trimmed != '\0' && !g_ascii_isspace (*trimmed));
  check_links (html);

  /* Whatever markup came in, none of it may come out unescaped.  The
   * only tags this function writes are <a href> and <br>. */
  for (const char *p = strchr (html, '<'); p != NULL; p = strchr (p + 1, '<'))
    fuzz_check (g_str_has_prefix (p, "<a href=\"") ||
                g_str_has_prefix (p, "</a>") ||
                g_str_has_prefix (p, "<br>"));

  if (g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *summary = plannr_text_summary (text, 40);

      fuzz_check (g_utf8_validate (summary, -1, NULL));
    }

  if (plannr_text_parse_substitution (text, &old_text, &new_text, &global))
    {
      g_autofree char *replaced = NULL;

      fuzz_check (old_text != NULL && *old_text != '\0');
      fuzz_check (new_text != NULL);
      /* The command applied to itself, as /edit would to a message. */
      replaced = plannr_text_substitute (text, old_text, new_text, global);
      (void) replaced;
    }

  if (plannr_text_parse_edit_time (text, &hour, &minute, &second, &rest))
    {
      fuzz_check (hour >= 0 && hour <= 23);
      fuzz_check (minute >= 0 && minute <= 59);
      fuzz_check (second >= -1 && second <= 59);
      fuzz_check (rest != NULL && *rest != '\0');
    }

  if (plannr_uuid_is_valid (text))
    fuzz_check (strlen (text) == 36);

  {
    g_autoptr(GDateTime) time = plannr_parse_time (text);

    (void) time;
  }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* The test suite runs with G_DEBUG=fatal-warnings; so does this. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_json ((const char *) data, size);

  if (size <= FUZZ_MAX_TEXT)
    {
      /* The text functions take C strings: a NUL-terminated copy,
       * which ends at the first NUL of the input like a C string. */
      g_autofree char *text = g_strndup ((const char *) data, size);

      fuzz_text (text);
    }

  return 0;
}
