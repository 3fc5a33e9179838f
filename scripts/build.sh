#!/usr/bin/env bash
# build.sh [DIR] [cmake options...]: configure and build into DIR (default
# build/). Used by demo.sh, test.sh and bench/. RA_BUILD_TARGETS (space
# separated) limits the build to those targets.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" "${gen[@]}" "$@" >/dev/null
else
  cmake -S . -B "$dir" "$@" >/dev/null
fi
targets=()
for t in ${RA_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$dir" -j"$(nproc)" "${targets[@]}"
