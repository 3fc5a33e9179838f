#!/usr/bin/env bash
# The command line's contract (CONTRACT §1, §7): help and version, and
# every usage, inventory and credential error is exit 3 with one line on
# stderr, before anything is fetched (the base URL points at a closed
# port: reaching it would be a different error).
set -euo pipefail
bin=${RA_BIN:?}
src=${RA_SOURCE_DIR:?}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
inv="$src/examples/phase2.inventory.json"
closed="http://127.0.0.1:9"

expect() { # expect CODE PATTERN -- command...
  local code=$1 pat=$2; shift 3
  set +e; "$@" >out 2>err; local rc=$?; set -e
  if [ "$rc" != "$code" ]; then
    echo "FAIL: '$*' exit $rc, expected $code"; cat err; fails=$((fails+1)); return
  fi
  if [ -n "$pat" ] && ! grep -qE -- "$pat" out err; then
    echo "FAIL: '$*' output lacks /$pat/"; cat out err; fails=$((fails+1)); return
  fi
  if [ "$code" = 3 ] && [ "$(wc -l < err)" -gt 1 ]; then
    echo "FAIL: '$*' printed more than one line on stderr"; cat err; fails=$((fails+1)); return
  fi
  echo "ok: $*"
}

export MONGODB_ATLAS_PUBLIC_API_KEY=k MONGODB_ATLAS_PRIVATE_API_KEY=s
expect 0 "usage: residency-audit" -- "$bin" --help
expect 0 "^residency-audit [0-9]+\.[0-9]+\.[0-9]+" -- "$bin" --version
expect 3 "unknown command" -- "$bin" frobnicate
expect 3 "" -- "$bin"
expect 3 "unknown option --nope" -- "$bin" run --nope
expect 3 "needs a value" -- "$bin" run --inventory
expect 3 "--as-of" -- "$bin" run -i "$inv" --as-of 2026-02-30 --base-url "$closed"
expect 3 "--as-of" -- "$bin" run -i "$inv" --as-of yesterday --base-url "$closed"
expect 3 "--format" -- "$bin" run -i "$inv" --format md,pdf --base-url "$closed"
expect 3 "--concurrency" -- "$bin" run -i "$inv" --concurrency 0 --base-url "$closed"
expect 3 "--concurrency" -- "$bin" run -i "$inv" --concurrency 12x --base-url "$closed"
expect 3 "base-url" -- "$bin" run -i "$inv" --base-url http://example.com
expect 3 "base-url" -- "$bin" run -i "$inv" --base-url http://10.0.0.1:8080
expect 3 "residency.json" -- "$bin" run --base-url "$closed"
echo '{"orgId": "65def6ce0f722a1507105aa5", "jurisdictions": {"eu": {"regions": ["aws:mars-1"]}}, "projects": []}' > bad.json
expect 3 "regions\[0\]" -- "$bin" run -i bad.json --base-url "$closed"
echo '{ not json' > broken.json
expect 3 "invalid JSON" -- "$bin" run -i broken.json --base-url "$closed"
expect 3 "--waivers" -- "$bin" run -i "$inv" --waivers missing.json --base-url "$closed"
env -u MONGODB_ATLAS_PUBLIC_API_KEY -u MONGODB_ATLAS_PRIVATE_API_KEY \
  bash -c "cd '$work' && '$bin' run -i '$inv' --base-url '$closed'" >out 2>err && rc=0 || rc=$?
if [ "$rc" = 3 ] && grep -q MONGODB_ATLAS_CLIENT_ID err && grep -q MONGODB_ATLAS_PUBLIC_API_KEY err; then
  echo "ok: missing credentials name the variables"
else
  echo "FAIL: missing credentials: exit $rc"; cat err; fails=$((fails+1))
fi
[ ! -e evidence ] || { echo "FAIL: a usage error left ./evidence behind"; fails=$((fails+1)); }
expect 0 "cluster-region" -- "$bin" controls
expect 0 '"id": "tier-minimum"' -- "$bin" controls --json
expect 0 "aws:eu-west-1" -- "$bin" regions
expect 3 "unknown option" -- "$bin" regions --yaml
echo "cli usage: $((fails == 0 ? 1 : 0)) passed, $((fails > 0 ? 1 : 0)) failed"
[ "$fails" = 0 ]
