#!/bin/bash
# No secrets in any output (docs/RELIABILITY.md): full audits of the
# phase2 world under -v with both auth modes (HTTP Digest with the API key,
# OAuth client credentials), with data planes whose connection strings
# carry passwords (the servers are unreachable, so the probe's error paths
# run), with a Retry-After and a 401 along the way. stdout, stderr and
# every file of the pack are searched for the private key, the client
# secret, the passwords, and for any trace of an Authorization header,
# a Bearer token or a Digest response. Then the credentials are refused
# (exit 3) and the same search runs on what that prints.
set -euo pipefail
: "${RA_BIN:?RA_BIN must name residency-audit}"
. "$(dirname "$0")/lib_sim.sh"

WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
eval "$(python3 - "$WORLD" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["credentials"]
for k, v in (("PUB", "publicKey"), ("PRIV", "privateKey"),
             ("CID", "clientId"), ("CSEC", "clientSecret")):
    print("%s=%s" % (k, shlex.quote(c[v])))
PY
)"
[ ${#PRIV} -ge 8 ] && [ ${#CSEC} -ge 8 ] || fail "world credentials too short to search for"
PW_CONTROL='Pw-control-7c1e9a'
PW_EU='Pw%2Feu-data-55aa'
PW_EU_DECODED='Pw/eu-data-55aa'
PW_US='s3cr3t-us-data-0b0b'

# The inventory, with a control plane and two data planes (next to the
# example's files, so its relative envFile paths still resolve).
mkdir -p "$T/inv"
cp -r "$RA_SOURCE_DIR/examples/deploy" "$T/inv/"
python3 - "$INV" "$T/inv/inventory.json" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
inv["controlPlane"] = {"uriEnv": "MONGO_URI_CONTROL", "database": "control_plane"}
inv["dataPlanes"] = [
    {"name": "eu", "jurisdiction": "eu", "uriEnv": "MONGO_URI_EU_DATA",
     "database": "tenant_data", "project": "sv0-data-plane-eu-prod",
     "cluster": "data-eu-0", "keyPrefix": "sv0_prod_eu_"},
    {"name": "us", "jurisdiction": "us", "uriEnv": "MONGO_URI_US_DATA",
     "database": "tenant_data", "project": "sv0-data-plane-us-prod",
     "cluster": "data-us-0", "keyPrefix": "sv0_prod_us_"},
]
json.dump(inv, open(sys.argv[2], "w"), indent=1)
PY
export MONGO_URI_CONTROL="mongodb://ctl-user:$PW_CONTROL@127.0.0.1:1/control_plane?connectTimeoutMS=300&serverSelectionTimeoutMS=300"
export MONGO_URI_EU_DATA="mongodb://eu-user:$PW_EU@127.0.0.1:1/?serverSelectionTimeoutMS=300"
export MONGO_URI_US_DATA="mongodb+srv://us-user:$PW_US@nonexistent.invalid/?serverSelectionTimeoutMS=300"

# Faults that make the client log more: a 429 with Retry-After, a 503.
python3 - "$WORLD" "$T/w.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
g = "/api/atlas/v2/groups/6a793feb2c88faeba59bd8f7"
w["faults"] = [
    {"path": g + "/auditLog", "status": 429, "retryAfter": "1", "times": 1},
    {"path": g + "/streams", "status": 503, "times": 1},
]
json.dump(w, open(sys.argv[2], "w"))
PY

# scan NAME DIR...: no secret and no credential header in the files.
scan() {
	local name=$1 hits
	shift
	hits=$(grep -rlaF \
		-e "$PRIV" -e "$CSEC" -e "$PW_CONTROL" -e "$PW_EU" \
		-e "$PW_EU_DECODED" -e "$PW_US" "$@" || true)
	[ -z "$hits" ] || fail "$name: a secret appears in: $hits"
	hits=$(grep -rlaiE -e 'authorization:' -e 'bearer [A-Za-z0-9._~+/-]{8}' \
		-e 'digest username' -e 'access_token' -e 'client_secret=' "$@" || true)
	[ -z "$hits" ] || fail "$name: a credential header or token appears in: $hits"
}

unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PRIVATE_API_KEY \
	MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET

# run_mode NAME ENV...: audits into $T/NAME with the given credentials.
run_mode() {
	local name=$1
	shift
	sim_start "$name" --world "$T/w.json"
	set +e
	env "$@" "$RA_BIN" run -v -i "$T/inv/inventory.json" -o "$T/$name" \
		--base-url "$BASE" --as-of 2026-11-29 --format md,json,junit,sarif \
		>"$T/$name.stdout" 2>"$T/$name.stderr"
	RC=$?
	set -e
	sim_stop
}

# Digest: the sim (or the client) sometimes refuses a Digest run (see
# test_ci_formats.sh); try up to three times for a full audit.
for i in 1 2 3; do
	run_mode digest MONGODB_ATLAS_PUBLIC_API_KEY="$PUB" MONGODB_ATLAS_PRIVATE_API_KEY="$PRIV"
	[ "$RC" = 3 ] || break
	rm -rf "$T/digest"
done
declare -A RCS=([digest]=$RC)
run_mode oauth MONGODB_ATLAS_CLIENT_ID="$CID" MONGODB_ATLAS_CLIENT_SECRET="$CSEC"
RCS[oauth]=$RC
for m in digest oauth; do
	RC=${RCS[$m]}
	case $RC in 0|1|2) ;; *) cat "$T/$m.stderr" >&2; fail "$m: exit $RC" ;; esac
	[ -f "$T/$m/2026-11-29/SHA256SUMS" ] || { cat "$T/$m.stderr" >&2; fail "$m: no pack"; }
	[ "$(wc -l <"$T/$m.stderr")" -gt 50 ] || fail "$m: -v printed too little to be a test"
	grep -q 'data plane unreachable' "$T/$m/2026-11-29/residency-evidence-eu.json" && grep -q 'MONGO_URI_EU_DATA' "$T/$m.stderr" ||
		fail "$m: the data-plane error paths did not run"
	scan "$m" "$T/$m.stdout" "$T/$m.stderr" "$T/$m"
	ok "$m: no secret in stdout, stderr or the $(find "$T/$m" -type f | wc -l) files of the pack"
done

# Refused credentials: the message names the variables, not their values.
run_mode bad-digest MONGODB_ATLAS_PUBLIC_API_KEY="$PUB" MONGODB_ATLAS_PRIVATE_API_KEY="$PRIV-x"
[ "$RC" = 3 ] || fail "bad-digest: exit $RC, want 3"
run_mode bad-oauth MONGODB_ATLAS_CLIENT_ID="$CID" MONGODB_ATLAS_CLIENT_SECRET="$CSEC-x"
[ "$RC" = 3 ] || fail "bad-oauth: exit $RC, want 3"
for m in bad-digest bad-oauth; do
	scan "$m" "$T/$m.stdout" "$T/$m.stderr"
	[ ! -e "$T/$m" ] || [ -z "$(ls -A "$T/$m")" ] || fail "$m: something was written"
done
ok "refused credentials: exit 3, no secret printed"
