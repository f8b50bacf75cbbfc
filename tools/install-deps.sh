#!/bin/bash
# install-deps.sh: install what building, testing and the demo need
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One list of Debian 12 packages, used by ./run-tests, ./run-demo and
# .ci/run.  Idempotent: asks dpkg what is missing and runs apt-get only
# for that (apt-get update first), as root or through sudo.
#
#   tools/install-deps.sh          install what is missing
#   tools/install-deps.sh --check  list what is missing, exit 1 if any
#   tools/install-deps.sh --list   print the package list
#
# Sourced, it defines plannr_install_deps and PLANNR_PACKAGES.

PLANNR_PACKAGES=(
  # build
  build-essential meson ninja-build pkg-config gettext
  libpurple-dev libglib2.0-dev libjson-glib-dev libsoup-3.0-dev
  # run time: HTTPS for GIO
  glib-networking
  # test tools: sanitizers, valgrind, data and translation checks
  clang libclang-rt-14-dev llvm valgrind appstream librsvg2-bin
  # the Debian package, built, checked and tested with autopkgtest by CI
  debhelper dpkg-dev fakeroot lintian autopkgtest
  # the end-to-end tests and the demo: real clients, scripted over D-Bus
  finch pidgin tmux dbus dbus-x11 python3 python3-dbus
  xvfb xauth x11-utils xdotool imagemagick
  # the BitlBee end-to-end test: libpurple behind an IRC gateway
  bitlbee-libpurple
  # fonts and icons, so Pidgin's screenshots show text
  fonts-dejavu-core adwaita-icon-theme
  ca-certificates
)

plannr_missing_packages () {
  local pkg status
  for pkg in "${PLANNR_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    case "$status" in
      ii*) ;;
      *) printf '%s\n' "$pkg" ;;
    esac
  done
}

plannr_install_deps () {
  local missing sudo=()
  mapfile -t missing < <(plannr_missing_packages)
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "${#sudo[@]}" -gt 0 ] && ! command -v sudo >/dev/null 2>&1; then
      echo "install-deps: missing packages and no sudo: ${missing[*]}" >&2
      return 1
    fi
    echo "install-deps: installing ${missing[*]}" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
  # A session bus needs a machine id; container images may lack one
  # (dbus-daemon's postinst makes it only when the package is installed).
  if [ ! -s /etc/machine-id ] && [ ! -s /var/lib/dbus/machine-id ]; then
    "${sudo[@]}" dbus-uuidgen --ensure
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    --list)
      printf '%s\n' "${PLANNR_PACKAGES[@]}"
      ;;
    --check)
      missing=$(plannr_missing_packages)
      if [ -n "$missing" ]; then
        printf '%s\n' "$missing"
        exit 1
      fi
      ;;
    "")
      plannr_install_deps
      ;;
    *)
      echo "usage: $0 [--check | --list]" >&2
      exit 2
      ;;
  esac
fi
