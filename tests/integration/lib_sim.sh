# lib_sim.sh: sourced by tests/integration/test_sim_*.sh. Starts atlas-sim
# on a free port (--port 0 --port-file) and kills it by pid on exit.
# Needs RA_SIM and RA_SOURCE_DIR from ctest (or the caller's environment).
: "${RA_SIM:?RA_SIM must name the atlas-sim binary}"
: "${RA_SOURCE_DIR:?RA_SOURCE_DIR must name the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/ra-sim-test.XXXXXX")
SIM_PIDS=()
# A simulator must stop cleanly on SIGTERM (exit 0): under ASan/LSan a
# non-zero status is a memory error or leak in it, which fails the test.
cleanup() {
	local p rc=$? st bad=0
	for p in "${SIM_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		st=0
		wait "$p" 2>/dev/null || st=$?
		# 127: already reaped by sim_stop
		if [ "$st" != 0 ] && [ "$st" != 127 ]; then
			echo "FAIL: simulator $p exited $st" >&2
			cat "$T"/*.err >&2 2>/dev/null || true
			bad=1
		fi
	done
	rm -rf "$T"
	[ "$bad" = 0 ] || exit 1
	exit "$rc"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# sim_start NAME ARGS...: starts the simulator, sets PORT and BASE.
sim_start() {
	local name=$1
	shift
	rm -f "$T/$name.port"
	"$RA_SIM" --port 0 --port-file "$T/$name.port" "$@" \
		2>"$T/$name.err" &
	SIM_PIDS+=($!)
	SIM_PID=$!
	for _ in $(seq 1 100); do
		[ -s "$T/$name.port" ] && break
		kill -0 "$SIM_PID" 2>/dev/null || { cat "$T/$name.err" >&2; fail "$name: simulator exited"; }
		sleep 0.05
	done
	[ -s "$T/$name.port" ] || fail "$name: no port file"
	PORT=$(cat "$T/$name.port")
	BASE="http://127.0.0.1:$PORT"
}

# sim_stop: stops the last simulator started, by its pid; fails unless
# it exits cleanly.
sim_stop() {
	local st=0
	kill "$SIM_PID" 2>/dev/null || true
	wait "$SIM_PID" 2>/dev/null || st=$?
	[ "$st" = 0 ] || { cat "$T"/*.err >&2 2>/dev/null; fail "simulator exited $st"; }
}

# pyjson FILE EXPR: evaluates EXPR with j = the parsed file; fails when falsy.
pyjson() {
	python3 - "$1" "$2" <<'PY' || fail "json check $2 on $1"
import json, sys
with open(sys.argv[1], 'rb') as f:
    j = json.loads(f.read())
if not eval(sys.argv[2]):
    sys.stderr.write("assertion failed: %s\n" % sys.argv[2])
    sys.exit(1)
PY
}

DIGEST=(--digest -u "demo-public:demo-private-key-0000")
accept() { echo "Accept: application/vnd.atlas.$1+json"; }

# grep -q that drains its input, so the writer of a pipe never dies of
# SIGPIPE (which `set -o pipefail` would turn into a failure).
grep_q() { local rc=0; grep -q "$@" || rc=$?; cat >/dev/null; return $rc; }
