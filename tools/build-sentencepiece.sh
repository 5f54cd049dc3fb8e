#!/usr/bin/env bash
# Builds SentencePiece from Debian's own source package as static libraries against the system protobuf.
#
# Why: Debian's libsentencepiece.so.0 embeds protobuf 3.14 while libtorch links the system protobuf 3.21;
# loading both in one process crashes at start-up (duplicate descriptor registration). A static build with
# -DSPM_USE_BUILTIN_PROTOBUF=OFF uses the one system protobuf that torch already loads.
#
# The result goes to a cache outside the repository (default ~/.cache/tunedesk/sentencepiece-<ver>), so the
# repository vendors nothing and a rebuild of TuneDesk never repeats this step. Idempotent: exits at once when
# the cache already holds the libraries.
set -euo pipefail

SPM_VERSION="${SPM_VERSION:-0.1.97}"
CACHE_ROOT="${TD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tunedesk}"
PREFIX="${1:-$CACHE_ROOT/sentencepiece-$SPM_VERSION}"

if [[ -f "$PREFIX/lib/libsentencepiece.a" && -f "$PREFIX/lib/libsentencepiece_train.a" \
      && -f "$PREFIX/include/sentencepiece_processor.h" ]]; then
    echo "sentencepiece: cached at $PREFIX"
    exit 0
fi

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"

# apt-get source needs a deb-src entry; add one for bookworm if the machine has none.
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "sentencepiece: enabling Debian source packages (deb-src)"
    $SUDO tee /etc/apt/sources.list.d/tunedesk-deb-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    $SUDO apt-get update -qq
fi

WORK="$CACHE_ROOT/sentencepiece-src"
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
# --download-only + dpkg-source avoids needing the package's build dependencies.
apt-get source --download-only -qq "sentencepiece=${SPM_VERSION}*" >/dev/null 2>&1 \
    || apt-get source --download-only -qq sentencepiece >/dev/null 2>&1
dsc=$(ls sentencepiece_*.dsc | head -n1)
dpkg-source --no-check -x "$dsc" src >/dev/null
# Debian patches the static libraries out; we want exactly those, so undo that one patch.
if [[ -f src/debian/patches/disable-static-library.patch ]]; then
    patch -d src -R -p1 -s < src/debian/patches/disable-static-library.patch
fi
# Remove the bundled protobuf copy so that no header or object of it can slip into the build.
# (init.h from a Debian patch names that copy's header directly; point it at the system protobuf.)
rm -rf src/third_party/protobuf-lite
sed -i 's|"third_party/protobuf-lite/google/protobuf/message_lite.h"|<google/protobuf/message_lite.h>|' src/src/init.h

cmake -S src -B build -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DSPM_ENABLE_SHARED=OFF \
    -DSPM_USE_BUILTIN_PROTOBUF=OFF \
    -DSPM_ENABLE_TCMALLOC=OFF \
    -DSPM_BUILD_TEST=OFF > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$(nproc)" >> build.log 2>&1 || { tail -n 40 build.log; exit 1; }
cmake --install build >> build.log 2>&1 || { tail -n 20 build.log; exit 1; }
rm -rf "$WORK"
echo "sentencepiece: built $SPM_VERSION into $PREFIX"
