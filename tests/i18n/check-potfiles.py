#!/usr/bin/env python3
# Checks that po/POTFILES lists every source file with translatable strings,
# and nothing else.  Fails, naming the file, when
#   - a C file under src/ calls a gettext function (_(), N_(), C_(), ...)
#     and is not listed, or a metainfo/desktop template under data/ is not;
#   - a listed file does not exist, or is listed twice.
#
# Usage: check-potfiles.py SOURCE_ROOT
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import sys

# The keywords of meson's 'glib' xgettext preset (see po/meson.build) and
# the plain gettext family, as calls: not preceded by an identifier
# character, so g_set_error_literal (or my_gettext) does not count.
CALL = re.compile(r'(?<![A-Za-z0-9_])'
                  r'(?:_|N_|C_|NC_|Q_|'
                  r'g_dgettext|g_dcgettext|g_dngettext|g_dpgettext2?|'
                  r'gettext|dgettext|dcgettext|ngettext|dngettext|pgettext)'
                  r'\s*\(')
# Comments are dropped before looking; string literals are matched first so
# that a "//" or "/*" inside one does not start a comment.
TOKEN = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
SOURCE_SUFFIXES = ('.c', '.h')
DATA_SUFFIXES = ('.metainfo.xml.in', '.appdata.xml.in', '.desktop.in')


def read_potfiles(root):
    listed = []
    with open(os.path.join(root, 'po', 'POTFILES'), encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#') or line.startswith('['):
                continue
            listed.append((number, line))
    return listed


def walk(root, top, suffixes):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(suffixes):
                yield os.path.relpath(os.path.join(dirpath, name), root)


def has_translations(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        text = TOKEN.sub(lambda m: '' if m.group(0)[0] == '/' else m.group(0), f.read())
    return CALL.search(text) is not None


def main():
    if len(sys.argv) != 2:
        print('usage: check-potfiles.py SOURCE_ROOT', file=sys.stderr)
        return 2
    root = sys.argv[1]
    problems = []

    listed = read_potfiles(root)
    seen = set()
    for number, path in listed:
        if path in seen:
            problems.append('po/POTFILES:%d: %s is listed twice' % (number, path))
        seen.add(path)
        if not os.path.isfile(os.path.join(root, path)):
            problems.append('po/POTFILES:%d: %s does not exist' % (number, path))

    for path in walk(root, 'src', SOURCE_SUFFIXES):
        if path not in seen and has_translations(os.path.join(root, path)):
            problems.append('%s has translatable strings but is not in po/POTFILES' % path)

    for path in walk(root, 'data', DATA_SUFFIXES):
        if path not in seen:
            problems.append('%s is translatable data but is not in po/POTFILES' % path)

    for problem in problems:
        print(problem)
    if problems:
        print('FAIL: po/POTFILES needs %d change(s)' % len(problems))
        return 1
    print('ok: po/POTFILES lists all %d translatable files' % len(listed))
    return 0


if __name__ == '__main__':
    sys.exit(main())
