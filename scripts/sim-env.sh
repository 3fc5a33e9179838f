# sim-env.sh: sourced by demo, tests and bench. Starts atlas-sim on a
# loopback port and exports SIM_URL, SIM_PID; `sim_stop` stops it.
#   sim_start WORLD [PORT] [extra atlas-sim options...]
# PORT 0 (default) lets the simulator pick a free port.
sim_start() {
  local world=$1 port=${2:-0}
  shift 2 || shift $#
  local sim=${RA_SIM:-${RA_BUILD_DIR:-build}/atlas-sim}
  SIM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ra-sim.XXXXXX")
  "$sim" --world "$world" --port "$port" --port-file "$SIM_DIR/port" "$@" \
    >"$SIM_DIR/log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$SIM_DIR/port" ] && break
    kill -0 "$SIM_PID" 2>/dev/null || { cat "$SIM_DIR/log" >&2; return 1; }
    sleep 0.05
  done
  [ -s "$SIM_DIR/port" ] || { echo "atlas-sim did not start" >&2; return 1; }
  SIM_PORT=$(cat "$SIM_DIR/port")
  SIM_URL="http://127.0.0.1:$SIM_PORT"
  export SIM_URL SIM_PID SIM_PORT SIM_DIR
}

# sim_stop: stops the simulator; returns 1 (after printing its log) unless
# it exits cleanly on SIGTERM (under ASan/LSan: a memory error or leak).
sim_stop() {
  local st=0
  if [ -n "${SIM_PID:-}" ]; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || st=$?
    SIM_PID=
  fi
  if [ "$st" != 0 ] && [ -n "${SIM_DIR:-}" ]; then
    echo "atlas-sim exited $st:" >&2
    cat "$SIM_DIR/log" >&2
  fi
  [ -n "${SIM_DIR:-}" ] && rm -rf "$SIM_DIR"
  SIM_DIR=
  [ "$st" = 0 ]
}

# Exports the API-key credentials of a world file (the demo and tests use
# the world's own fake credentials; never real ones).
sim_credentials() {
  local world=$1
  eval "$(python3 - "$world" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1])).get("credentials", {})
print("export MONGODB_ATLAS_PUBLIC_API_KEY=%s" % shlex.quote(c.get("publicKey", "")))
print("export MONGODB_ATLAS_PRIVATE_API_KEY=%s" % shlex.quote(c.get("privateKey", "")))
PY
)"
}
