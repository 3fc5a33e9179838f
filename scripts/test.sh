#!/usr/bin/env bash
# The test command (README, .ci/run): install, build with -Werror, run
# every tier (unit, integration against the simulator, golden packs,
# fuzz corpora), then again under AddressSanitizer + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

status=0
echo "== build (warnings as errors)"
bash scripts/build.sh build -DRA_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== tests"
(cd build && ctest --output-on-failure -j2) || status=1

if [ "${RA_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== build (AddressSanitizer + UBSan)"
  bash scripts/build.sh build-asan -DRA_WERROR=ON -DRA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  echo "== tests under sanitizers"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j2) || status=1
fi
exit $status
