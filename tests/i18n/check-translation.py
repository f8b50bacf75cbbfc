#!/usr/bin/env python3
# Checks one translation, po/LANG.po:
#   - it compiles: msgfmt --check (format strings, header, mnemonics);
#   - with --complete, it translates every message of a template made fresh
#     from the sources listed in po/POTFILES, with nothing fuzzy.  Missing
#     and fuzzy messages are named with the place they come from.
# The fresh template uses the xgettext arguments of meson's 'glib' preset
# (po/meson.build), so it is the template purple-plannr-pot would write.
#
# Usage: check-translation.py SOURCE_ROOT LANG [--complete]
# Exit status: 0 pass, 1 fail, 77 skip (a gettext tool is missing).
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import subprocess
import sys
import tempfile

# meson's i18n PRESET_ARGS['glib'] (mesonbuild/modules/i18n.py).
GLIB_PRESET = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

TOOLS = ('msgfmt', 'xgettext', 'msgmerge', 'msgattrib')


def run(argv, **kwargs):
    """Runs a gettext tool; its messages go to our output."""
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, **kwargs)
    if result.stdout:
        sys.stdout.write(result.stdout)
    return result.returncode


def unquote(text):
    """The value of a PO string literal (without its quotes)."""
    out = []
    i = 0
    escapes = {'n': '\n', 't': '\t', '"': '"', '\\': '\\', 'r': '\r'}
    while i < len(text):
        c = text[i]
        if c == '\\' and i + 1 < len(text):
            out.append(escapes.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def read_po(path):
    """The entries of a PO file as dicts: msgctxt, msgid, refs."""
    entries = []
    entry = {'refs': []}
    field = None

    def finish():
        if 'msgid' in entry:
            entries.append(dict(entry))
        entry.clear()
        entry['refs'] = []

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip():
                finish()
                field = None
            elif line.startswith('#:'):
                entry['refs'].extend(line[2:].split())
            elif line.startswith('#'):
                continue
            elif line.startswith('"') and field is not None:
                entry[field] += unquote(line.strip()[1:-1])
            else:
                keyword, _, rest = line.partition(' ')
                field = keyword.split('[')[0]
                entry[field] = entry.get(field, '') + unquote(rest.strip()[1:-1])
    finish()
    return [e for e in entries if e['msgid'] != '']


def describe(entry):
    where = ' '.join(entry['refs'][:3]) or '?'
    if len(entry['refs']) > 3:
        where += ' ...'
    text = entry['msgid'].replace('\n', '\\n')
    if entry.get('msgctxt'):
        text = entry['msgctxt'] + '|' + text
    return '%s: "%s"' % (where, text)


def check_complete(root, lang, po, tmp):
    pot = os.path.join(tmp, 'fresh.pot')
    merged = os.path.join(tmp, lang + '.po')
    if run(['xgettext'] + GLIB_PRESET +
           ['--package-name=purple-plannr',
            '--directory=' + root,
            '--files-from=' + os.path.join(root, 'po', 'POTFILES'),
            '--output=' + pot]) != 0:
        print('FAIL: xgettext could not make a template from po/POTFILES')
        return False
    if not os.path.exists(pot):
        print('FAIL: po/POTFILES names no file with translatable strings')
        return False
    if run(['msgmerge', '--quiet', '--output-file=' + merged, po, pot]) != 0:
        print('FAIL: msgmerge could not merge po/%s.po with the template' % lang)
        return False
    # The merged file carries the template's format flags, so this sees a
    # translation whose placeholders no longer match its changed source.
    if run(['msgfmt', '--check', '--output-file=' + os.devnull, merged]) != 0:
        print('FAIL: po/%s.po does not compile against the current sources' % lang)
        return False

    lists = {}
    for kind, flags in (('untranslated', ['--untranslated', '--no-obsolete']),
                        ('fuzzy', ['--only-fuzzy', '--no-obsolete']),
                        ('obsolete', ['--only-obsolete'])):
        out = os.path.join(tmp, kind + '.po')
        if run(['msgattrib', '--force-po'] + flags + ['--output-file=' + out, merged]) != 0:
            print('FAIL: msgattrib %s failed' % flags[0])
            return False
        lists[kind] = read_po(out)

    total = len(read_po(pot))
    with open(os.path.join(tmp, 'obsolete.po'), encoding='utf-8') as f:
        obsolete = sum(1 for line in f if line.startswith('#~ msgid '))
    if obsolete:
        print('note: po/%s.po has %d message(s) the sources no longer use; '
              'purple-plannr-update-po marks them obsolete' % (lang, obsolete))
    for entry in lists['untranslated']:
        print('untranslated: ' + describe(entry))
    for entry in lists['fuzzy']:
        print('fuzzy (source text changed or guessed): ' + describe(entry))
    missing = len(lists['untranslated']) + len(lists['fuzzy'])
    if missing:
        print('FAIL: po/%s.po lacks %d of %d messages (%d untranslated, %d fuzzy).'
              % (lang, missing, total, len(lists['untranslated']), len(lists['fuzzy'])))
        print('To complete it: meson compile -C BUILDDIR purple-plannr-pot '
              'purple-plannr-update-po, then translate the messages above in '
              'po/%s.po and remove their "fuzzy" flags.' % lang)
        return False
    print('ok: po/%s.po translates all %d messages of the current sources' % (lang, total))
    return True


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    complete = '--complete' in sys.argv[1:]
    if len(args) != 2:
        print('usage: check-translation.py SOURCE_ROOT LANG [--complete]', file=sys.stderr)
        return 2
    root, lang = args
    po = os.path.join(root, 'po', lang + '.po')

    for tool in TOOLS:
        if shutil.which(tool) is None:
            print('SKIP: %s not found (Debian: apt-get install gettext)' % tool)
            return 77
    if not os.path.isfile(po):
        print('FAIL: po/LINGUAS names %s, but there is no po/%s.po' % (lang, lang))
        return 1

    # Plain C messages from the tools, whatever the test's locale.
    os.environ['LC_ALL'] = 'C'
    if run(['msgfmt', '--check', '--statistics', '--output-file=' + os.devnull, po]) != 0:
        print('FAIL: msgfmt --check rejects po/%s.po' % lang)
        return 1
    if not complete:
        return 0
    with tempfile.TemporaryDirectory(prefix='plannr-i18n-') as tmp:
        return 0 if check_complete(root, lang, po, tmp) else 1


if __name__ == '__main__':
    sys.exit(main())
