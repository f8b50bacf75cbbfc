#!/bin/sh
# Validates the built AppStream metainfo with appstreamcli, offline, and
# checks that the given languages were merged into it.
#
# Usage: validate-metainfo.sh APPSTREAMCLI METAINFO [LANG...]
# APPSTREAMCLI is empty when meson did not find it: the test is skipped.
# Exit status: 0 pass, 1 fail, 77 skip.
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

appstreamcli=$1
metainfo=$2
shift 2

if [ -z "$appstreamcli" ]; then
  echo "SKIP: appstreamcli not found (Debian: apt-get install appstream)"
  exit 77
fi
if [ ! -f "$metainfo" ]; then
  echo "FAIL: $metainfo was not built"
  exit 1
fi

status=0
"$appstreamcli" validate --no-net --explain "$metainfo" || status=1

# The summary is translated in every complete language, so a missing one
# means merge_file did not find the translations.
for lang in "$@"; do
  if ! grep -q "<summary xml:lang=\"$lang\">" "$metainfo"; then
    echo "FAIL: $(basename "$metainfo") has no summary in \"$lang\""
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "ok: $(basename "$metainfo") is valid"
exit "$status"
