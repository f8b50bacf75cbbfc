#!/bin/bash
# tools/sanitize.sh: build with ASan and UBSan and run the test suites
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: tools/sanitize.sh [MESON TEST ARGS...]
#
# Configures _build-asan (or $SANITIZE_BUILDDIR) with
# -Db_sanitize=address,undefined, builds it, and runs every suite but
# e2e.  Extra arguments go to meson test (a test name, --suite ...).
#
# -Db_lundef=false: the plugin is a shared module whose ASan symbols
# come from the executable that loads it, so it cannot be linked with
# --no-undefined.  That works because the test programs are built in
# the same build, instrumented: libasan comes first in each of them, and
# libpurple's dlopen() of the instrumented libplannr.so finds it there.
#
# The e2e suite is left out on purpose: its scripts run Debian's Finch
# and Pidgin, which are not instrumented, and an ASan module needs
# libasan preloaded into them (LD_PRELOAD), which is fragile (GTK,
# GStreamer and their plugins then run under ASan too) and reports
# their leaks rather than ours.  The integration suite covers the same
# plugin code in headless libpurple, instrumented.

set -euo pipefail

srcdir="$(cd "$(dirname "$0")/.." && pwd)"
builddir="${SANITIZE_BUILDDIR:-$srcdir/_build-asan}"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$srcdir" \
    -Dtests=true \
    -Db_sanitize=address,undefined \
    -Db_lundef=false \
    -Dc_args=-fno-omit-frame-pointer
fi
ninja -C "$builddir"

# Leaks are errors; the first report of either sanitizer ends the test
# with a stack, which meson shows with --print-errorlogs.  The LSan
# suppressions only cover libpurple's, GStreamer's and libsoup's own
# leaks: see the comments in that file.
# fast_unwind_on_malloc=0: GLib, libsoup and libpurple are built without
# frame pointers, and the suppressions need whole allocation stacks.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$srcdir/tests/sanitizer/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# GSlice would hide use-after-free and leaks from ASan.
export G_SLICE=always-malloc
# The tests' waits for something to happen, three times as long: the
# sanitizers slow the code several times (tests/plannr-wait.c).
export PLANNR_TEST_WAIT_SCALE=3
# Eight tests at once, as run-tests does: they mostly wait.
export MESON_TESTTHREADS="${MESON_TESTTHREADS:-8}"
# libpurple 2 then keeps plugin modules mapped at exit, so that a leak
# allocated in libplannr.so still has its symbols when LSan reports it
# (otherwise its frames read "<unknown module>").
export PURPLE_LEAKCHECK_HELP=1

# The real clients (e2e, e2e-laravel, bitlbee) are not instrumented: a
# plugin built with ASan cannot be loaded into them.
if [ $# -eq 0 ]; then
  set -- --no-suite e2e --no-suite e2e-laravel --no-suite bitlbee
fi

# ASan roughly doubles the time; the integration tests wait on timers.
exec meson test -C "$builddir" --print-errorlogs --timeout-multiplier 3 "$@"
