#!/bin/bash
# The integration tier under valgrind memcheck (docs/RELIABILITY.md): a
# full audit of the phase2 world (OAuth, every format, a Retry-After and a
# 503 retried, a next link not followed), an evaluate of that pack, a
# verify, a refused write
# (RA_TEST_FAIL_WRITES_AFTER) and an interrupted run (SIGTERM), each under
#   valgrind --error-exitcode=99 --leak-check=full
#            --errors-for-leak-kinds=definite
# must end with its own exit code, never 99, and a clean summary.
# Sanitizer builds (ASan cannot run under valgrind) skip with a note: the
# plain build of scripts/test.sh's first pass runs this.
set -euo pipefail
: "${RA_BIN:?RA_BIN must name residency-audit}"
. "$(dirname "$0")/lib_sim.sh"

# (ldd's output first: under pipefail, grep -q closing the pipe early
# would fail the pipeline and the check)
LIBS=$(ldd "$RA_BIN" 2>/dev/null || true)
if grep -q 'libasan\|libubsan' <<<"$LIBS"; then
	echo "skipped: $RA_BIN is a sanitizer build (valgrind cannot run it)"
	exit 0
fi
command -v valgrind >/dev/null || fail "valgrind missing (scripts/setup.sh installs it)"

WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
eval "$(python3 - "$WORLD" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["credentials"]
print("export MONGODB_ATLAS_CLIENT_ID=%s" % shlex.quote(c["clientId"]))
print("export MONGODB_ATLAS_CLIENT_SECRET=%s" % shlex.quote(c["clientSecret"]))
PY
)"
unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PRIVATE_API_KEY RA_TEST_FAIL_WRITES_AFTER

python3 - "$WORLD" "$T/w.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
g = "/api/atlas/v2/groups/6a793feb2c88faeba59bd8f7"
w["faults"] = [
    {"path": g + "/auditLog", "status": 429, "retryAfter": "1", "times": 1},
    {"path": g + "/streams", "status": 503, "times": 1},
    {"path": g + "/clusters/*/onlineArchives", "nextHost": "http://203.0.113.1:1"},
]
json.dump(w, open(sys.argv[2], "w"))
PY

VG=(valgrind -q --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
	--track-fds=no --num-callers=30)

# vg NAME WANT CMD...: runs CMD under memcheck; exit must be WANT.
vg() {
	local name=$1 want=$2 rc
	shift 2
	set +e
	"${VG[@]}" --log-file="$T/$name.vg" "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	set -e
	if [ -s "$T/$name.vg" ]; then
		cat "$T/$name.vg" >&2
		fail "$name: valgrind reported errors (exit $rc)"
	fi
	[ "$rc" = "$want" ] || { cat "$T/$name.err" >&2; fail "$name: exit $rc, want $want"; }
	ok "$name: exit $rc, memcheck clean"
}

sim_start w --world "$T/w.json"
vg run 2 "$RA_BIN" run -v -i "$INV" -o "$T/out" --base-url "$BASE" \
	--as-of 2026-11-29 --format md,json,junit,sarif
[ -f "$T/out/2026-11-29/SHA256SUMS" ] || fail "run: no pack"
vg evaluate 2 "$RA_BIN" evaluate -q "$T/out/2026-11-29" -i "$INV" \
	-o "$T/eval" --as-of 2026-11-29 --format md,json,junit,sarif
cmp -s "$T/out/2026-11-29/residency-evidence-eu.json" \
	"$T/eval/2026-11-29/residency-evidence-eu.json" || fail "evaluate: a different report"
vg verify 0 "$RA_BIN" verify "$T/out/2026-11-29"
RA_TEST_FAIL_WRITES_AFTER=5 vg fail-write 4 "$RA_BIN" run -q -i "$INV" \
	-o "$T/failing" --base-url "$BASE" --as-of 2026-11-29
sim_stop

# SIGTERM mid-collection (the slow simulator keeps the run in flight;
# SIGTERM because a non-interactive shell starts background jobs with
# SIGINT ignored, and valgrind keeps that disposition).
# Definite leaks are errors here too: the collector frees the jobs of
# the requests an aborted ra_atlas_run drops (4a2d64b).
sim_start slow --world "$WORLD" --synth 12:2 --synth-inventory "$T/inv.json" \
	--latency-ms 500
set +e
"${VG[@]}" --log-file="$T/int.vg" "$RA_BIN" run -q -i "$T/inv.json" -o "$T/int" \
	--base-url "$BASE" --as-of 2026-11-29 >/dev/null 2>"$T/int.err" &
pid=$!
sleep 4		# valgrind's start-up is slow
kill -0 "$pid" 2>/dev/null || fail "interrupt: the run ended before the signal"
kill -TERM "$pid"
wait "$pid"
rc=$?
set -e
[ "$rc" != 99 ] || { cat "$T/int.vg" >&2; fail "interrupt: valgrind reported memory errors or leaks"; }
[ "$rc" = 143 ] || { cat "$T/int.err" >&2; fail "interrupt: exit $rc, want 143"; }
ok "interrupt: exit 143, no memory error, no definite leak"
