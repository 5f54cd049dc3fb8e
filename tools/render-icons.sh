#!/usr/bin/env bash
# Renders the application icon (resources/icons/tunedesk.svg) into the raster files the platforms need:
# hicolor PNGs (16..512), a Windows .ico and a macOS .icns. Run by hand after editing the SVG; the outputs
# are committed (they are small) so builds need none of these tools.
# Needs: librsvg2-bin (rsvg-convert), icoutils (icotool), icnsutils (png2icns).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/resources/icons/tunedesk.svg"
out="$root/resources/icons"
sizes=(16 22 24 32 48 64 128 256 512)
for s in "${sizes[@]}"; do
    mkdir -p "$out/hicolor/${s}x${s}/apps"
    rsvg-convert -w "$s" -h "$s" "$src" -o "$out/hicolor/${s}x${s}/apps/tunedesk.png"
done
mkdir -p "$root/packaging/windows" "$root/packaging/macos"
icotool -c -o "$root/packaging/windows/tunedesk.ico" \
    "$out"/hicolor/{16x16,24x24,32x32,48x48,64x64,128x128,256x256}/apps/tunedesk.png
png2icns "$root/packaging/macos/tunedesk.icns" \
    "$out"/hicolor/{16x16,32x32,128x128,256x256,512x512}/apps/tunedesk.png >/dev/null
echo "icons rendered"
