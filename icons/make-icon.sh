#!/usr/bin/env sh
# Draws icons/icon.png (512×512 RGBA): a speech bubble in ocean blue with a
# raspberry-red dot, the popup colours. Shapes only, so no font is needed.
# Needs imagemagick (installed by scripts/bootstrap.sh).
set -eu
cd "$(dirname "$0")"
convert -size 512x512 xc:none \
  -fill '#1d6fa5' -draw 'roundrectangle 48,64 464,384 72,72' \
  -draw 'polygon 128,370 128,470 232,380' \
  -fill white -draw 'roundrectangle 120,150 392,182 16,16' \
  -draw 'roundrectangle 120,230 330,262 16,16' \
  -fill '#c2185b' -draw 'circle 420,96 420,40' \
  -define png:color-type=6 PNG32:icon.png
