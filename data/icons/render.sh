#!/bin/sh
# Renders the protocol icon plannr.svg into the PNG sizes Pidgin looks for
# (pixmaps/pidgin/protocols/{16,22,48}/plannr.png).  The PNGs are kept in
# git, so building needs no SVG renderer; run this after changing the SVG:
#
#   data/icons/render.sh
#
# Needs rsvg-convert (Debian: librsvg2-bin) and, if present, uses optipng.
# It records the SVG's checksum in rendered.sha256; the 'data' test suite
# fails when the SVG changed and the PNGs were not rendered again.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
svg="$here/plannr.svg"

command -v rsvg-convert >/dev/null 2>&1 || {
  echo "render.sh: rsvg-convert not found (apt-get install librsvg2-bin)" >&2
  exit 1
}

for size in 16 22 48; do
  mkdir -p "$here/$size"
  rsvg-convert --width "$size" --height "$size" --format png \
    --output "$here/$size/plannr.png" "$svg"
  if command -v optipng >/dev/null 2>&1; then
    optipng -quiet -o7 -strip all "$here/$size/plannr.png"
  fi
  echo "wrote data/icons/$size/plannr.png"
done

(cd "$here" && sha256sum plannr.svg > rendered.sha256)
echo "wrote data/icons/rendered.sha256"
