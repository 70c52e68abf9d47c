#!/bin/sh
# Re-renders the committed protocol icon PNGs from hipchat.svg (needs
# rsvg-convert from Debian's librsvg2-bin). Run after editing the SVG.
set -eu
cd "$(dirname "$0")"
for size in 16 22 48; do
    rsvg-convert --width "$size" --height "$size" --output "hipchat-$size.png" hipchat.svg
done
