# shellcheck shell=bash
# lib_ship.sh: sourced by the packaging and example tests (issue 9) after
# lib_sim.sh. Exports the phase2 world's own fake service account (never
# real credentials; OAuth rather than the API key, see test_ci_formats.sh)
# and defines ship_audit.
WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
eval "$(python3 - "$WORLD" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["credentials"]
print("export MONGODB_ATLAS_CLIENT_ID=%s" % shlex.quote(c["clientId"]))
print("export MONGODB_ATLAS_CLIENT_SECRET=%s" % shlex.quote(c["clientSecret"]))
PY
)"
unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PRIVATE_API_KEY
unset MONGODB_ATLAS_BASE_URL RESIDENCY_AUDIT_TEMPLATES
# RC is read by the sourcing test.
# shellcheck disable=SC2034

# ship_audit NAME BIN OUT [options]: audits the phase2 world with BIN into
# OUT as of 2026-11-29 (the simulator runs only for this call); sets RC,
# stderr in $T/NAME.stderr.
ship_audit() {
	local name=$1 bin=$2 out=$3
	shift 3
	sim_start "$name" --world "$WORLD"
	set +e
	"$bin" run -q -i "$INV" -o "$out" --base-url "$BASE" --as-of 2026-11-29 \
		--no-progress "$@" 2>"$T/$name.stderr"
	RC=$?
	set -e
	sim_stop
}
