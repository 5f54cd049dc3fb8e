#!/usr/bin/env bash
# Builds TuneDesk-<version>-x86_64.AppImage from a configured build folder. Runs on the release runner
# (.github/workflows/packages.yml): linuxdeploy and its Qt plugin are AppImages themselves and are not
# Debian packages, so this script is not part of the local build or the tests.
#   packaging/appimage/build-appimage.sh BUILD_DIR [LINUXDEPLOY_DIR]
# LINUXDEPLOY_DIR must hold linuxdeploy-x86_64.AppImage and linuxdeploy-plugin-qt-x86_64.AppImage.
set -euo pipefail
build="$(cd "${1:?usage: build-appimage.sh BUILD_DIR [LINUXDEPLOY_DIR]}" && pwd)"
tools="${2:-$PWD}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
appdir="$build/AppDir"

rm -rf "$appdir"
DESTDIR="$appdir" cmake --install "$build" --prefix /usr --strip
chmod +x "$tools"/linuxdeploy-*.AppImage
# The Qt plugin bundles Qt's libraries and the xcb, svg and image-format plugins; linuxdeploy copies every
# shared library the executables need (libtorch, OpenBLAS, spdlog, yaml-cpp) except the glibc base set.
export QMAKE="${QMAKE:-$(command -v qmake6 || command -v qmake)}"
export EXTRA_QT_PLUGINS="svg"
export LINUXDEPLOY_OUTPUT_VERSION="$(grep -oP 'project\(TuneDesk VERSION \K[0-9.]+' "$root/CMakeLists.txt")"
"$tools/linuxdeploy-x86_64.AppImage" --appdir "$appdir" \
    --executable "$appdir/usr/bin/tunedesk" --executable "$appdir/usr/bin/tunedesk-cli" \
    --desktop-file "$appdir/usr/share/applications/io.github.tunedesk.TuneDesk.desktop" \
    --icon-file "$appdir/usr/share/icons/hicolor/256x256/apps/tunedesk.png" \
    --plugin qt --output appimage
