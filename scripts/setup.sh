#!/usr/bin/env bash
# Installs what residency-audit needs on Debian (idempotent): the build
# toolchain, the libraries it links, and the test tools. Runs apt-get only
# when something is missing. Also prepares the MongoDB wire-protocol test
# server (tests/mongo-server, npm ci) when Node.js is present.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libcurl4-openssl-dev libcjson-dev libssl-dev libxml2-dev libxml2-utils
  libcmocka-dev libmongoc-dev libbson-dev libmicrohttpd-dev
  curl openssl ca-certificates python3
  dpkg-dev groff-base man-db git
  time valgrind
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f tests/mongo-server/package.json ] && command -v npm >/dev/null 2>&1; then
  if [ ! -d tests/mongo-server/node_modules ] || [ tests/mongo-server/package-lock.json -nt tests/mongo-server/node_modules ]; then
    (cd tests/mongo-server && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  fi
fi
