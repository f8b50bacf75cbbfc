#!/usr/bin/env python3
# Checks the protocol icons that data/meson.build installs for Pidgin:
#   - data/icons/plannr.svg is well-formed SVG with a square viewBox;
#   - data/icons/SIZE/plannr.png is a SIZE x SIZE PNG with an alpha channel
#     for each SIZE Pidgin uses (16, 22, 48);
#   - the PNGs were rendered from the SVG as it is now: render.sh records
#     the SVG's checksum in data/icons/rendered.sha256.
#
# Usage: check-icons.py SOURCE_ROOT
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later

import hashlib
import os
import struct
import sys
import xml.etree.ElementTree as ET

SIZES = (16, 22, 48)
PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'
COLOUR_TYPES_WITH_ALPHA = (4, 6)


def check_svg(path, problems):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        problems.append('%s: not readable as XML: %s' % (path, e))
        return
    if root.tag != '{http://www.w3.org/2000/svg}svg':
        problems.append('%s: the root element is not an SVG <svg>' % path)
        return
    box = root.get('viewBox', '').replace(',', ' ').split()
    if len(box) != 4 or box[2] != box[3]:
        problems.append('%s: needs a square viewBox, has "%s"' % (path, root.get('viewBox')))


def check_png(path, size, problems):
    try:
        with open(path, 'rb') as f:
            head = f.read(33)
    except OSError as e:
        problems.append('%s: missing (%s); run data/icons/render.sh' % (path, e.strerror))
        return
    if len(head) < 33 or head[:8] != PNG_SIGNATURE or head[12:16] != b'IHDR':
        problems.append('%s: not a PNG file' % path)
        return
    width, height, depth, colour = struct.unpack('>IIBB', head[16:26])
    if (width, height) != (size, size):
        problems.append('%s: is %dx%d, Pidgin wants %dx%d' % (path, width, height, size, size))
    if colour not in COLOUR_TYPES_WITH_ALPHA:
        problems.append('%s: has no alpha channel' % path)


def check_stamp(icons, problems):
    stamp = os.path.join(icons, 'rendered.sha256')
    try:
        with open(stamp, encoding='utf-8') as f:
            recorded = f.read().split()[0]
    except (OSError, IndexError):
        problems.append('%s: missing; run data/icons/render.sh' % stamp)
        return
    with open(os.path.join(icons, 'plannr.svg'), 'rb') as f:
        actual = hashlib.sha256(f.read()).hexdigest()
    if recorded != actual:
        problems.append('data/icons/plannr.svg changed after the PNGs were rendered; '
                        'run data/icons/render.sh')


def main():
    if len(sys.argv) != 2:
        print('usage: check-icons.py SOURCE_ROOT', file=sys.stderr)
        return 2
    icons = os.path.join(sys.argv[1], 'data', 'icons')
    problems = []

    svg = os.path.join(icons, 'plannr.svg')
    check_svg(svg, problems)
    for size in SIZES:
        check_png(os.path.join(icons, str(size), 'plannr.png'), size, problems)
    if os.path.exists(svg):
        check_stamp(icons, problems)

    for problem in problems:
        print(problem)
    if problems:
        print('FAIL: %d problem(s) with the protocol icons' % len(problems))
        return 1
    print('ok: plannr.svg and its %s px renderings' % ', '.join(map(str, SIZES)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
