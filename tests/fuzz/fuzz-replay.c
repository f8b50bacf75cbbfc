/* fuzz-replay.c: runs fuzz inputs through the fuzz target without libFuzzer
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The seed corpus (and any crash a fuzzer run left behind) becomes a
 * plain test this way: built with whatever compiler the build uses, so
 * it also runs under valgrind and the sanitizers of the ordinary test
 * setups.  Each argument is a file or a directory of files.  Prints TAP.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  /* g_ptr_array_sort() hands over pointers to the elements. */
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  /* Sorted, so that test numbers mean the same file on every run. */
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (files, g_build_filename (path, g_ptr_array_index (names, i), NULL));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  int failed = 0;

  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    collect (argv[i], files);

  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *data = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &data, &length, &error))
        {
          printf ("not ok %u %s # %s\n", i + 1, path, error->message);
          failed++;
          continue;
        }

      /* A crash, a broken promise or a fatal warning aborts the whole
       * run: meson reports it, and the last "# " line names the file. */
      printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *) data, length);
      printf ("ok %u %s\n", i + 1, path);
    }

  return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
