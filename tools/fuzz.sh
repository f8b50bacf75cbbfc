#!/bin/bash
# tools/fuzz.sh: fuzz the JSON, model and text layers for a bounded time
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: tools/fuzz.sh [SECONDS]          (default 60, or $FUZZ_SECONDS)
#
# Builds tests/fuzz/fuzz-model with clang (libFuzzer, ASan, UBSan) in
# its own build dir, _build-fuzz (or $FUZZ_BUILDDIR), and runs it on a
# copy of the seed corpus, so that the inputs it finds do not end up in
# the source tree.  Prints libFuzzer's "Done N runs in S second(s)" and
# exits non-zero on a crash, a leak, a timeout or a broken promise;
# the input that did it is kept and its path printed.  To turn a crash
# into a regression test, copy that file into tests/fuzz/corpus/: the
# fuzz-corpus test of the unit suite replays every file there.
#
# Needs clang and libclang-rt-14-dev (libFuzzer and the sanitizer
# runtimes).

set -euo pipefail

seconds="${1:-${FUZZ_SECONDS:-60}}"
srcdir="$(cd "$(dirname "$0")/.." && pwd)"
builddir="${FUZZ_BUILDDIR:-$srcdir/_build-fuzz}"
workdir="${FUZZ_WORKDIR:-$builddir/fuzz-run}"

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "fuzz.sh: SECONDS must be a positive number, not '$seconds'" >&2
  exit 2
fi

if ! command -v clang >/dev/null; then
  echo "fuzz.sh: clang is missing (apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" "$srcdir" -Dtests=true -Dbuildtype=debugoptimized
else
  # Regenerates if a meson.build changed since the last run.
  ninja -C "$builddir" build.ninja
fi
if ! meson introspect --targets "$builddir" | grep -q '"name": "fuzz-model"'; then
  echo "fuzz.sh: $builddir has no fuzz-model target: is it a clang build," \
       "and does tests/meson.build have subdir('fuzz')?" >&2
  exit 2
fi
ninja -C "$builddir" tests/fuzz/fuzz-model

rm -rf "$workdir"
mkdir -p "$workdir/corpus" "$workdir/artifacts"
cp "$srcdir"/tests/fuzz/corpus/* "$workdir/corpus/"

# Leaks count as crashes (LeakSanitizer runs after every input that
# leaked); UBSan stops at the first report (-fno-sanitize-recover).
# -timeout catches an input that makes a parser spin; -rss_limit_mb an
# input that makes it eat memory.  -max_len leaves room for deep and
# long inputs beyond the largest seed.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

log="$workdir/fuzz.log"
set +e
"$builddir/tests/fuzz/fuzz-model" \
  -max_total_time="$seconds" \
  -max_len=65536 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -dict="$srcdir/tests/fuzz/json.dict" \
  -artifact_prefix="$workdir/artifacts/" \
  "$workdir/corpus" 2>&1 | tee "$log" |
  # Progress lines and the dictionary it recommends are in the log.
  awk '/^###### Recommended dictionary/ { skip = 1 }
       !skip && !/^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)/ { print }
       /^###### End of recommended dictionary/ { skip = 0 }'
status=${PIPESTATUS[0]}
set -e

echo
grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" || true
grep -E '^stat::number_of_executed_units' "$log" || true
echo "fuzz.sh: corpus grew from $(ls "$srcdir"/tests/fuzz/corpus | wc -l)" \
     "to $(ls "$workdir/corpus" | wc -l) inputs"

artifacts=$(find "$workdir/artifacts" -type f)
if [ "$status" -ne 0 ] || [ -n "$artifacts" ]; then
  echo "fuzz.sh: FAILED (libFuzzer exit status $status)" >&2
  for a in $artifacts; do
    echo "fuzz.sh: crash artifact: $a" >&2
  done
  echo "fuzz.sh: replay with: $builddir/tests/fuzz/fuzz-model FILE" >&2
  exit 1
fi

echo "fuzz.sh: no crash in $seconds s"
