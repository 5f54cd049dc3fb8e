#!/usr/bin/env bash
# The README's commands. Each step is idempotent and quick when nothing changed.
#   tools/dev.sh run    install what is missing, build, start the GUI on the bundled demo
#   tools/dev.sh test   install what is missing, build, run the whole test suite (ctest; GUI tests offscreen
#                       and under Xvfb)
#   tools/dev.sh build  install what is missing and build
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo), JOBS (default nproc).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
jobs="${JOBS:-$(nproc)}"

setup() { "$root/tools/setup.sh"; }

build() {
    if [[ ! -f "$build/CMakeCache.txt" ]]; then
        cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
    fi
    cmake --build "$build" -j"$jobs"
}

case "${1:-}" in
run)
    setup
    build
    shift
    args=("$@")
    # The bundled demo: a tiny model written at build time and the demo datasets.
    if [[ -d "$build/demo/model" ]]; then
        args=(--model "$build/demo/model" "${args[@]}")
    fi
    if [[ -f "$root/resources/demo/data/dataset_info.json" ]]; then
        # demo_alpaca preselected, so a new user can press Start at once.
        args=(--dataset-dir "$root/resources/demo/data" --dataset demo_alpaca "${args[@]}")
    fi
    if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
        echo "no display found: starting under xvfb-run (add --screenshot FILE to see it)" >&2
        exec xvfb-run -a -s "-screen 0 1600x1000x24" "$build/app/tunedesk" "${args[@]}"
    fi
    exec "$build/app/tunedesk" "${args[@]}"
    ;;
test)
    setup
    build
    cd "$build"
    # Benchmarks (label bench) are run on purpose, never as tests: ctest -L bench.
    ctest --output-on-failure -j"$jobs" --timeout 900 -LE bench
    ;;
build)
    setup
    build
    ;;
*)
    echo "usage: tools/dev.sh run|test|build" >&2
    exit 2
    ;;
esac
