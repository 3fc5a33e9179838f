#!/bin/bash
# Interrupted runs (docs/RELIABILITY.md): SIGINT and SIGTERM while the
# collection is in flight (a simulator answering every request after
# 500 ms, 12 projects: about 15 s of work). The process stops within 3 s
# with 128 + the signal (130, 143), leaves no pack and no temporary
# directory under --out, and an earlier pack (another date, and the same
# date under --force) is byte for byte intact.
set -euo pipefail
: "${RA_BIN:?RA_BIN must name residency-audit}"
. "$(dirname "$0")/lib_sim.sh"

WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
eval "$(python3 - "$WORLD" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["credentials"]
print("export MONGODB_ATLAS_CLIENT_ID=%s" % shlex.quote(c["clientId"]))
print("export MONGODB_ATLAS_CLIENT_SECRET=%s" % shlex.quote(c["clientSecret"]))
PY
)"
unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PRIVATE_API_KEY
OUT=$T/out

# sums: one line per file under $OUT (path and digest), dot-files included.
sums() {
	(cd "$OUT" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# The earlier packs, from a fast simulator: 2026-11-28 and 2026-11-29.
sim_start fast --world "$WORLD" --synth 12:2 --synth-inventory "$T/inv.json"
for d in 2026-11-28 2026-11-29; do
	set +e
	"$RA_BIN" run -q -i "$T/inv.json" -o "$OUT" --base-url "$BASE" \
		--as-of "$d" 2>"$T/first.err"
	rc=$?
	set -e
	[ "$rc" = 0 ] || [ "$rc" = 2 ] || { cat "$T/first.err" >&2; fail "earlier pack $d: exit $rc"; }
	[ -f "$OUT/$d/SHA256SUMS" ] || fail "earlier pack $d not written"
done
sim_stop
sums >"$T/before"
[ "$(wc -l <"$T/before")" -gt 20 ] || fail "earlier packs look empty"
ok "two earlier packs written"

sim_start slow --world "$WORLD" --synth 12:2 --latency-ms 500

# interrupt NAME SIGNAL WANT [run options]: starts a run, sends SIGNAL
# after 1 s, and checks exit code, promptness and what is left.
interrupt() {
	local name=$1 sig=$2 want=$3 pid rc t0 t1 ms
	shift 3
	"$RA_BIN" run -q -i "$T/inv.json" -o "$OUT" --base-url "$BASE" \
		"$@" 2>"$T/$name.err" &
	pid=$!
	sleep 1
	kill -0 "$pid" 2>/dev/null || fail "$name: the run ended before the signal"
	t0=$(date +%s%N)
	kill -"$sig" "$pid"
	set +e
	wait "$pid"
	rc=$?
	set -e
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	[ "$rc" = "$want" ] || { cat "$T/$name.err" >&2; fail "$name: exit $rc, want $want"; }
	[ "$ms" -lt 3000 ] || fail "$name: stopped after $ms ms (limit 3000)"
	[ "$(wc -l <"$T/$name.err")" = 1 ] || { cat "$T/$name.err" >&2; fail "$name: not one line on stderr"; }
	grep -q 'interrupted: no pack written' "$T/$name.err" || fail "$name: no reason given"
	if find "$OUT" -mindepth 1 -maxdepth 1 -name '.*' | grep_q .; then
		ls -la "$OUT" >&2
		fail "$name: temporary directory left under --out"
	fi
	[ ! -e "$OUT/2026-11-30" ] || fail "$name: a pack was written"
	sums >"$T/after"
	cmp -s "$T/before" "$T/after" || { diff "$T/before" "$T/after" >&2; fail "$name: earlier packs changed"; }
	ok "$name: exit $rc after $ms ms, nothing left, earlier packs intact"
}

interrupt sigint INT 130 --as-of 2026-11-30
interrupt sigterm TERM 143 --as-of 2026-11-30
# the same date as an earlier pack, with --force: the old pack stays
interrupt force-sigint INT 130 --as-of 2026-11-29 --force
interrupt force-sigterm TERM 143 --as-of 2026-11-29 --force
