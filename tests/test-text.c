/* test-text.c: unit tests of plannr-text
 *
 * Copyright 2026 The purple-plannr developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The text functions are pure, so every case is a table row: input and
 * the exact output expected.  Exact outputs matter here: the difference
 * between "&lt;b&gt;" and "<b>" is the difference between a message and
 * markup injected into the user's chat window.
 */

#include "config.h"

#include <string.h>

#include "plannr-text.h"

typedef struct
{
  const char *in;
  const char *out;
} TextCase;

/* --- plannr_text_from_html --------------------------------------------- */

static void
test_from_html_tags (void)
{
  static const TextCase cases[] = {
    { "<b>bold</b> and <i>it</i>", "bold and it" },
    { "<font color=\"#ff0000\">red</font>", "red" },
    { "<a href=\"https://example.com\">link</a>", "link" },
    { "plain", "plain" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = plannr_text_from_html (cases[i].in);

      g_assert_cmpstr (text, ==, cases[i].out);
    }

  /* NULL is what an empty Pidgin entry may give. */
  {
    g_autofree char *text = plannr_text_from_html (NULL);

    g_assert_cmpstr (text, ==, "");
  }
}

static void
test_from_html_br (void)
{
  static const TextCase cases[] = {
    { "one<br>two", "one\ntwo" },
    { "one<BR>two", "one\ntwo" },
    { "one<br/>two", "one\ntwo" },
    { "one<br />two", "one\ntwo" },
    { "a<br><br>b", "a\n\nb" },
    /* Not a <br>, just a tag that starts the same way. */
    { "a<bridge>b", "ab" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = plannr_text_from_html (cases[i].in);

      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

static void
test_from_html_entities (void)
{
  static const TextCase cases[] = {
    { "Tom &amp; Jerry", "Tom & Jerry" },
    { "1 &lt; 2 &gt; 0", "1 < 2 > 0" },
    { "it&#39;s", "it's" },
    { "&quot;q&quot; &apos;a&apos;", "\"q\" 'a'" },
    { "smile &#x263A;", "smile \xe2\x98\xba" },
    { "smile &#X263a;", "smile \xe2\x98\xba" },
    { "smile &#9786;", "smile \xe2\x98\xba" },
    /* Pidgin sends repeated spaces as &nbsp;; they are plain spaces. */
    { "a&nbsp;&nbsp;b", "a  b" },
    { "a\xc2\xa0" "b", "a b" },
    /* Tags stripped and entities decoded together. */
    { "<b>&lt;b&gt;</b>", "<b>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = plannr_text_from_html (cases[i].in);

      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

static void
test_from_html_lone_lt (void)
{
  g_autofree char *a = plannr_text_from_html ("1 < 2");
  g_autofree char *b = plannr_text_from_html ("<");
  g_autofree char *c = plannr_text_from_html ("x <3");

  g_assert_cmpstr (a, ==, "1 < 2");
  g_assert_cmpstr (b, ==, "<");
  g_assert_cmpstr (c, ==, "x <3");
}

static void
test_from_html_unknown_entity (void)
{
  static const TextCase cases[] = {
    { "&bogus;", "&bogus;" },
    { "AT&T", "AT&T" },
    { "a & b", "a & b" },
    { "&amp", "&amp" },
    { "&;", "&;" },
    /* Code points that are not characters stay as typed. */
    { "&#0;", "&#0;" },
    { "&#xD800;", "&#xD800;" },
    { "&#1114112;", "&#1114112;" },
    { "&#xZZ;", "&#xZZ;" },
    { "&#;", "&#;" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = plannr_text_from_html (cases[i].in);

      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

/* --- plannr_text_to_html ----------------------------------------------- */

static void
test_to_html_escape (void)
{
  static const TextCase cases[] = {
    { "<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;" },
    { "Tom & Jerry", "Tom &amp; Jerry" },
    { "say \"hi\" it's", "say &quot;hi&quot; it&apos;s" },
    { "&amp;", "&amp;amp;" },
    { "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *html = plannr_text_to_html (cases[i].in);

      g_assert_cmpstr (html, ==, cases[i].out);
    }

  {
    g_autofree char *html = plannr_text_to_html (NULL);

    g_assert_cmpstr (html, ==, "");
  }
}

static void
test_to_html_newlines (void)
{
  g_autofree char *a = plannr_text_to_html ("one\ntwo");
  g_autofree char *b = plannr_text_to_html ("one\r\ntwo\n");

  g_assert_cmpstr (a, ==, "one<br>two");
  g_assert_cmpstr (b, ==, "one<br>two<br>");
}

static void
test_to_html_links (void)
{
  static const TextCase cases[] = {
    { "see https://example.com/a",
      "see <a href=\"https://example.com/a\">https://example.com/a</a>" },
    { "http://example.com",
      "<a href=\"http://example.com\">http://example.com</a>" },
    { "HTTPS://EXAMPLE.COM",
      "<a href=\"HTTPS://EXAMPLE.COM\">HTTPS://EXAMPLE.COM</a>" },
    /* The query's '&' is escaped inside and outside the attribute. */
    { "https://example.com/?a=1&b=2",
      "<a href=\"https://example.com/?a=1&amp;b=2\">https://example.com/?a=1&amp;b=2</a>" },
    /* Trailing punctuation ends the sentence, not the URL. */
    { "Go to https://example.com/x.",
      "Go to <a href=\"https://example.com/x\">https://example.com/x</a>." },
    { "(https://example.com/x)",
      "(<a href=\"https://example.com/x\">https://example.com/x</a>)" },
    { "https://example.com/x?!,;:",
      "<a href=\"https://example.com/x\">https://example.com/x</a>?!,;:" },
    { "a https://x.org\nb",
      "a <a href=\"https://x.org\">https://x.org</a><br>b" },
    /* Just a scheme, or a scheme glued to a word, is not a link. */
    { "http:// nothing", "http:// nothing" },
    { "xhttp://example.com", "xhttp://example.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *html = plannr_text_to_html (cases[i].in);

      g_assert_cmpstr (html, ==, cases[i].out);
    }
}

static void
test_to_html_no_dangerous_links (void)
{
  static const TextCase cases[] = {
    { "javascript:alert(1)", "javascript:alert(1)" },
    { "data:text/html,<script>x</script>",
      "data:text/html,&lt;script&gt;x&lt;/script&gt;" },
    { "<a href=\"javascript:alert(1)\">x</a>",
      "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;" },
    { "ftp://example.com/file", "ftp://example.com/file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *html = plannr_text_to_html (cases[i].in);

      g_assert_cmpstr (html, ==, cases[i].out);
      g_assert_null (strstr (html, "<a"));
    }
}

/* Counts the '"' characters inside the tags of @html: each attribute
 * value opens and closes, so an even count per tag means nothing broke
 * out of its quotes. */
static void
assert_tags_well_formed (const char *html)
{
  const char *p = html;

  while ((p = strchr (p, '<')) != NULL)
    {
      const char *end = strchr (p, '>');
      guint quotes = 0;

      g_assert_nonnull (end);
      for (const char *q = p; q < end; q++)
        {
          g_assert_cmpint (*q, !=, '\'');
          g_assert_false (q > p && *q == '<');
          if (*q == '"')
            quotes++;
        }
      g_assert_cmpuint (quotes % 2, ==, 0);
      /* Only the tags the function makes. */
      g_assert_true (g_str_has_prefix (p, "<a href=\"") ||
                     g_str_has_prefix (p, "</a>") ||
                     g_str_has_prefix (p, "<br>"));
      p = end + 1;
    }
}

static void
test_to_html_href_breakout (void)
{
  static const char * const inputs[] = {
    "https://evil.example/\"onmouseover=\"alert(1)",
    "https://evil.example/'onmouseover='alert(1)",
    "https://evil.example/<script>alert(1)</script>",
    "https://evil.example/\"><img src=x onerror=alert(1)>",
    "https://evil.example/&quot;onmouseover=&quot;alert(1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *html = plannr_text_to_html (inputs[i]);
      const char *href = strstr (html, "href=\"");
      const char *close;

      assert_tags_well_formed (html);
      /* The link stops at the first character that could end the
       * attribute; what follows is escaped text. */
      g_assert_nonnull (href);
      close = strchr (href + 6, '"');
      g_assert_nonnull (close);
      g_assert_true (g_str_has_prefix (close, "\">"));
      g_assert_null (strstr (html, "<script"));
      g_assert_null (strstr (html, "<img"));
      g_assert_null (strstr (html, "\"onmouseover"));
    }

  /* The exact form of one of them, to see where the link ends. */
  {
    g_autofree char *html = plannr_text_to_html (inputs[0]);

    g_assert_cmpstr (html, ==,
                     "<a href=\"https://evil.example/\">https://evil.example/</a>"
                     "&quot;onmouseover=&quot;alert(1)");
  }
  /* An entity in the text stays text: its '&' is escaped again (and
   * the closing parenthesis is taken for punctuation). */
  {
    g_autofree char *html = plannr_text_to_html (inputs[4]);

    g_assert_nonnull (strstr (html, "href=\"https://evil.example/&amp;quot;onmouseover=&amp;quot;alert(1\">"));
  }
}

/* --- trim and summary ---------------------------------------------- */

static void
test_trim (void)
{
  g_autofree char *a = plannr_text_trim ("  hello world \n\t");
  g_autofree char *b = plannr_text_trim ("x");
  g_autofree char *c = plannr_text_trim (" \n\t ");
  g_autofree char *d = plannr_text_trim ("");
  g_autofree char *e = plannr_text_trim (NULL);

  g_assert_cmpstr (a, ==, "hello world");
  g_assert_cmpstr (b, ==, "x");
  g_assert_null (c);
  g_assert_null (d);
  g_assert_null (e);
}

static void
test_summary (void)
{
  static const struct
  {
    const char *in;
    guint max;
    const char *out;
  } cases[] = {
    { "short", 10, "short" },
    { "exactly10!", 10, "exactly10!" },
    { "hello world", 5, "hello…" },
    { "first line\nsecond line", 40, "first line…" },
    { "long first line\nsecond", 4, "long…" },
    /* Characters, not bytes: a cut never splits one. */
    { "h\xc3\xa9llo w\xc3\xb6rld", 4, "h\xc3\xa9ll…" },
    { "", 5, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = plannr_text_summary (cases[i].in, cases[i].max);

      g_assert_cmpstr (text, ==, cases[i].out);
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }

  {
    g_autofree char *text = plannr_text_summary (NULL, 5);

    g_assert_cmpstr (text, ==, "");
  }
}

/* --- s/old/new/ ------------------------------------------------------ */

static void
test_parse_substitution_valid (void)
{
  static const struct
  {
    const char *in;
    const char *old_text;
    const char *new_text;
    gboolean global;
  } cases[] = {
    { "s/a/b/", "a", "b", FALSE },
    { "s/a/b/g", "a", "b", TRUE },
    { "s/teh/the/", "teh", "the", FALSE },
    { "s/hello world/bye/", "hello world", "bye", FALSE },
    /* "\/" is a slash, "\\" a backslash, anything else literal. */
    { "s/a\\/b/c/", "a/b", "c", FALSE },
    { "s/a/b\\/c/", "a", "b/c", FALSE },
    { "s/a\\\\b/c/", "a\\b", "c", FALSE },
    { "s/a\\nb/c/", "a\\nb", "c", FALSE },
    /* No regular expressions: special characters are themselves. */
    { "s/a.b*/x/", "a.b*", "x", FALSE },
    { "s/^(x|y)$/[z]/", "^(x|y)$", "[z]", FALSE },
    /* An empty replacement deletes. */
    { "s/word//", "word", "", FALSE },
    /* Trailing blanks are what a quick typist leaves. */
    { "s/a/b/  ", "a", "b", FALSE },
    { "s/a/b/g ", "a", "b", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *old_text = NULL;
      g_autofree char *new_text = NULL;
      gboolean global = !cases[i].global;

      g_test_message ("%s", cases[i].in);
      g_assert_true (plannr_text_parse_substitution (cases[i].in, &old_text, &new_text, &global));
      g_assert_cmpstr (old_text, ==, cases[i].old_text);
      g_assert_cmpstr (new_text, ==, cases[i].new_text);
      g_assert_cmpint (global, ==, cases[i].global);
    }
}

static void
test_parse_substitution_invalid (void)
{
  static const char * const cases[] = {
    "s//x/",          /* empty old text */
    "s//x/g",
    "s/a/b",          /* missing final slash */
    "s/a",
    "s/",
    "s/a/b/ and more", /* a message that happens to start with s/ */
    "s/a/b/gg",
    "s/a/b/x",
    "s/a/b/c/",
    "S/a/b/",
    " s/a/b/",
    "hello",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *old_text = NULL;
      g_autofree char *new_text = NULL;
      gboolean global = FALSE;

      g_test_message ("%s", cases[i]);
      g_assert_false (plannr_text_parse_substitution (cases[i], &old_text, &new_text, &global));
      /* Nothing handed out on failure. */
      g_assert_null (old_text);
      g_assert_null (new_text);
    }

  {
    g_autofree char *old_text = NULL;
    g_autofree char *new_text = NULL;
    gboolean global = FALSE;

    g_assert_false (plannr_text_parse_substitution (NULL, &old_text, &new_text, &global));
  }
}

/* Command lines in text the plugin is asked to send (BitlBee runs no
 * libpurple commands), read as libpurple reads a command line. */
static void
test_split_command (void)
{
  static const struct
  {
    const char *in;
    const char *name;
    const char *args;
  } cases[] = {
    { "/rename New name", "rename", "New name" },
    { "/rename", "rename", NULL },
    { "/rename ", "rename", NULL },
    { "/rename  two spaces", "rename", " two spaces" },
    { "/topic Q&A <b>", "topic", "Q&A <b>" },
    { "/edit 09:30 Fixed", "edit", "09:30 Fixed" },
    /* The name as typed: the table has no "Rename" or "rename\tx". */
    { "/Rename x", "Rename", "x" },
    { "/rename\tx", "rename\tx", NULL },
    { "/me waves", "me", "waves" },
    /* Not a command line: posted as it is. */
    { " /rename x", NULL, NULL },
    { "rename x", NULL, NULL },
    { "//rename x", NULL, NULL },
    { "/ rename", NULL, NULL },
    { "/", NULL, NULL },
    { "s/a/b/", NULL, NULL },
    { "", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = NULL;
      const char *args = "unset";

      g_test_message ("%s", cases[i].in);
      g_assert_cmpint (plannr_text_split_command (cases[i].in, &name, &args), ==, cases[i].name != NULL);
      g_assert_cmpstr (name, ==, cases[i].name);
      g_assert_cmpstr (args, ==, cases[i].args);
    }

  {
    g_autofree char *name = NULL;
    const char *args = "unset";

    g_assert_false (plannr_text_split_command (NULL, &name, &args));
    g_assert_null (name);
    g_assert_null (args);
  }
}

static void
test_substitute (void)
{
  static const struct
  {
    const char *contents;
    const char *old_text;
    const char *new_text;
    gboolean global;
    const char *out;
  } cases[] = {
    { "aaa", "a", "b", FALSE, "baa" },
    { "aaa", "a", "b", TRUE, "bbb" },
    { "teh cat and teh dog", "teh", "the", FALSE, "the cat and teh dog" },
    { "teh cat and teh dog", "teh", "the", TRUE, "the cat and the dog" },
    { "aaaa", "aa", "b", TRUE, "bb" },
    { "abc", "b", "", FALSE, "ac" },
    /* Special characters on both sides are literal. */
    { "1+1=2.", "1+1", "two", FALSE, "two=2." },
    { "a.b a.b", ".", "!", TRUE, "a!b a!b" },
    { "axb a.b", "a.b", "X", FALSE, "axb X" },
    { "price", "price", "$0 \\1 &", FALSE, "$0 \\1 &" },
    { "f(x)", "(x)", "[y]", FALSE, "f[y]" },
    /* The replacement is not searched again. */
    { "ab", "a", "aa", TRUE, "aab" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = plannr_text_substitute (cases[i].contents, cases[i].old_text,
                                                      cases[i].new_text, cases[i].global);

      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

static void
test_substitute_no_match (void)
{
  g_autofree char *a = plannr_text_substitute ("hello", "x", "y", FALSE);
  g_autofree char *b = plannr_text_substitute ("hello", "x", "y", TRUE);
  /* "." matches nothing in a text without a dot: no regex. */
  g_autofree char *c = plannr_text_substitute ("hello", ".", "y", TRUE);
  g_autofree char *d = plannr_text_substitute ("hello", "h.llo", "y", FALSE);
  g_autofree char *e = plannr_text_substitute (NULL, "x", "y", FALSE);

  g_assert_null (a);
  g_assert_null (b);
  g_assert_null (c);
  g_assert_null (d);
  g_assert_null (e);
}

/* --- /edit HH:MM ------------------------------------------------------ */

static void
test_parse_edit_time_valid (void)
{
  static const struct
  {
    const char *in;
    int hour, minute, second;
    const char *rest;
  } cases[] = {
    { "12:34 new text", 12, 34, -1, "new text" },
    { "09:05 x", 9, 5, -1, "x" },
    { "9:05 x", 9, 5, -1, "x" },
    { "00:00 midnight", 0, 0, -1, "midnight" },
    { "23:59:59 last", 23, 59, 59, "last" },
    { "12:34:56 a b  c", 12, 34, 56, "a b  c" },
    { "12:34   spaced", 12, 34, -1, "spaced" },
    { "12:34\ttab", 12, 34, -1, "tab" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int hour = -2, minute = -2, second = -2;
      const char *rest = NULL;

      g_test_message ("%s", cases[i].in);
      g_assert_true (plannr_text_parse_edit_time (cases[i].in, &hour, &minute, &second, &rest));
      g_assert_cmpint (hour, ==, cases[i].hour);
      g_assert_cmpint (minute, ==, cases[i].minute);
      g_assert_cmpint (second, ==, cases[i].second);
      g_assert_cmpstr (rest, ==, cases[i].rest);
    }
}

static void
test_parse_edit_time_invalid (void)
{
  static const char * const cases[] = {
    "24:00 x",       /* hour out of range */
    "99:00 x",
    "12:60 x",       /* minute out of range */
    "12:30:60 x",    /* second out of range */
    "12:30",         /* no text after the time */
    "12:30 ",
    "12:30   \t",
    "12:30:15",
    "12:3 x",
    "123:45 x",
    "12:345 x",
    "12-30 x",
    "ab:cd x",
    ":30 x",
    "12:30x",
    "hello",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int hour = -2, minute = -2, second = -2;
      const char *rest = NULL;

      g_test_message ("%s", cases[i]);
      g_assert_false (plannr_text_parse_edit_time (cases[i], &hour, &minute, &second, &rest));
      g_assert_null (rest);
    }

  {
    int hour, minute, second;
    const char *rest = NULL;

    g_assert_false (plannr_text_parse_edit_time (NULL, &hour, &minute, &second, &rest));
  }
}

/* Names libpurple would take for the same nick share a key. */
static void
test_name_key (void)
{
  const char *precomposed = "Jos\u00e9 \u00c1lvarez";
  const char *decomposed = "Jose\u0301 A\u0301lvarez";
  g_autofree char *a = plannr_text_name_key (precomposed);
  g_autofree char *b = plannr_text_name_key (decomposed);
  g_autofree char *c = plannr_text_name_key ("JOS\u00c9 \u00c1LVAREZ");
  g_autofree char *d = plannr_text_name_key ("Jose Alvarez");
  g_autofree char *nfd = g_utf8_normalize (precomposed, -1, G_NORMALIZE_DEFAULT);
  g_autofree char *nfd2 = g_utf8_normalize (decomposed, -1, G_NORMALIZE_DEFAULT);

  /* The two forms differ byte for byte, but not to libpurple (NFD)... */
  g_assert_cmpstr (precomposed, !=, decomposed);
  g_assert_cmpstr (nfd, ==, nfd2);
  /* ...nor to the key, which also ignores case... */
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, c);
  /* ...but keeps accents apart. */
  g_assert_cmpstr (a, !=, d);
  g_assert_null (plannr_text_name_key (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/name-key", test_name_key);
  g_test_add_func ("/text/from-html/tags", test_from_html_tags);
  g_test_add_func ("/text/from-html/br", test_from_html_br);
  g_test_add_func ("/text/from-html/entities", test_from_html_entities);
  g_test_add_func ("/text/from-html/lone-lt", test_from_html_lone_lt);
  g_test_add_func ("/text/from-html/unknown-entity", test_from_html_unknown_entity);
  g_test_add_func ("/text/to-html/escape", test_to_html_escape);
  g_test_add_func ("/text/to-html/newlines", test_to_html_newlines);
  g_test_add_func ("/text/to-html/links", test_to_html_links);
  g_test_add_func ("/text/to-html/no-dangerous-links", test_to_html_no_dangerous_links);
  g_test_add_func ("/text/to-html/href-breakout", test_to_html_href_breakout);
  g_test_add_func ("/text/trim", test_trim);
  g_test_add_func ("/text/summary", test_summary);
  g_test_add_func ("/text/substitution/parse", test_parse_substitution_valid);
  g_test_add_func ("/text/substitution/parse-invalid", test_parse_substitution_invalid);
  g_test_add_func ("/text/command/split", test_split_command);
  g_test_add_func ("/text/substitution/apply", test_substitute);
  g_test_add_func ("/text/substitution/no-match", test_substitute_no_match);
  g_test_add_func ("/text/edit-time/valid", test_parse_edit_time_valid);
  g_test_add_func ("/text/edit-time/invalid", test_parse_edit_time_invalid);

  return g_test_run ();
}
