# lib_mongo.sh: sourced by tests/integration/test_dataplane*.sh after
# lib_sim.sh. Starts CongoDB test servers (tests/mongo-server/server.mjs)
# on free ports and stops them by pid on exit. Exits 0 with a reason when
# Node.js is not installed (the only condition under which these tests
# are skipped).
MONGO_DIR="$RA_SOURCE_DIR/tests/mongo-server"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "SKIP: node/npm not installed; the data-plane tests need the CongoDB test server"
	exit 0
fi
if [ ! -d "$MONGO_DIR/node_modules/@push.rocks/smartmongo" ]; then
	(cd "$MONGO_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
		fail "npm ci in tests/mongo-server failed"
fi
MONGO_PIDS=()
mongo_cleanup() {
	local p
	for p in "${MONGO_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	cleanup
}
trap mongo_cleanup EXIT

# mongo_start NAME: starts a server for user $MONGO_TEST_USER /
# $MONGO_TEST_PASSWORD; sets MPORT.
mongo_start() {
	local name=$1 pid
	rm -f "$T/$name.mport"
	node "$MONGO_DIR/server.mjs" 0 "$T/$name.mport" 2>"$T/$name.merr" &
	pid=$!
	MONGO_PIDS+=("$pid")
	for _ in $(seq 1 100); do
		[ -s "$T/$name.mport" ] && break
		kill -0 "$pid" 2>/dev/null || { cat "$T/$name.merr" >&2; fail "$name: mongo server exited"; }
		sleep 0.05
	done
	[ -s "$T/$name.mport" ] || fail "$name: no port file"
	MPORT=$(cat "$T/$name.mport")
}

# mongo_seed PORT SPEC.json
mongo_seed() {
	node "$MONGO_DIR/seed.mjs" "$1" "$2" >/dev/null || fail "seeding $2 into port $1"
}
