#!/usr/bin/env bash
# Installs what TuneDesk needs on Debian 12 (bookworm) and is missing, then builds the static SentencePiece
# into the cache. Idempotent: with everything present it only checks and returns (about a second).
#   tools/setup.sh            # as root, or as a user with sudo
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# One package per line: why it is needed is in docs/dependencies.md.
packages=(
    build-essential cmake ninja-build ccache pkg-config git
    libtorch-dev libopenblas0-openmp libgloo-dev
    qt6-base-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev qt6-charts-dev
    qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    nlohmann-json3-dev libspdlog-dev libfmt-dev libpcre2-dev libyaml-cpp-dev libexpected-dev libicu-dev
    python3-jieba
    libprotobuf-dev protobuf-compiler
    libgtest-dev
    xvfb xauth fonts-wqy-microhei libqt6svg6
    dpkg-dev patch
    desktop-file-utils appstream rpm
)
# Extra packages a later step asks for (one per line in tools/packages-extra.txt, '#' comments allowed).
if [[ -f "$here/packages-extra.txt" ]]; then
    while read -r p; do
        [[ -n "$p" ]] && packages+=("$p")
    done < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/packages-extra.txt")
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]})); then
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
        SUDO="sudo"
    fi
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# libtorch's fp32 matmul needs OpenBLAS behind libblas.so.3 (the generic BLAS is ~30x slower).
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
if [[ -n "$blas" && "$blas" != *openblas* ]]; then
    echo "warning: libblas.so.3 points to $blas, not OpenBLAS; run: update-alternatives --config libblas.so.3-x86_64-linux-gnu" >&2
fi

"$here/build-sentencepiece.sh"
