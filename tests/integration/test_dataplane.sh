#!/usr/bin/env bash
# test_dataplane.sh: the three data-plane controls (CONTRACT §5) end to
# end: atlas-sim serves the phase2 world with data-eu-0 / data-us-0
# pointing at CongoDB test servers, the inventory gains controlPlane and
# dataPlanes, and `residency-audit run` probes the servers with SCRAM
# credentials. Each scenario uses its own databases on the same servers.
set -euo pipefail
: "${RA_BIN:?}" "${RA_SIM:?}" "${RA_SOURCE_DIR:?}"
. "$RA_SOURCE_DIR/tests/integration/lib_sim.sh"
export MONGO_TEST_USER=auditor
export MONGO_TEST_PASSWORD='Pw-7f3e:secret@plane!'
PW_ENC='Pw-7f3e%3Asecret%40plane%21'
. "$RA_SOURCE_DIR/tests/integration/lib_mongo.sh"

mongo_start control; P_CP=$MPORT
mongo_start eu; P_EU=$MPORT
mongo_start us; P_US=$MPORT
mongo_start rogue; P_ROGUE=$MPORT
ok "four CongoDB servers: control $P_CP, eu $P_EU, us $P_US, rogue $P_ROGUE"

# Seed data. Key documents carry a hash field that must never reach the pack.
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
def keys(prefixes, tenant):
    return [{"tenant_id": tenant, "key_prefix": p, "key_hash": "HASHSECRET%02d%s" % (i, p)}
            for i, p in enumerate(prefixes)]
tenants = [{"tenant_id": "t-eu-1", "region": "eu"}, {"tenant_id": "t-eu-2", "region": "eu"},
           {"tenant_id": "t-us-1", "region": "us"}]
cp = [{"db": "cp", "coll": "tenants", "docs": tenants}]
def eu(db, extra_entities=(), extra_keys=()):
    return [
        {"db": db, "coll": "entities", "docs": [{"tenant_id": "t-eu-1", "v": 1}, {"tenant_id": "t-eu-2"},
                                                  {"tenant_id": None, "v": 2}] + list(extra_entities)},
        {"db": db, "coll": "events", "docs": [{"tenant_id": "t-eu-2", "e": "x"}]},
        {"db": db, "coll": "settings", "docs": [{"name": "global", "v": 1}]},
        {"db": db, "coll": "connector_instance_api_keys",
         "docs": keys(["sv0_prod_eu_", "sv0_prod_eu_", "sv0_prod_"], "t-eu-1") + list(extra_keys)}]
def us(db, extra_keys=()):
    return [
        {"db": db, "coll": "entities", "docs": [{"tenant_id": "t-us-1"}]},
        {"db": db, "coll": "connector_instance_api_keys",
         "docs": keys(["sv0_prod_us_"], "t-us-1") + list(extra_keys)}]
eu_spec = (eu("eu_ok") + eu("eu_ustenant", extra_entities=[{"tenant_id": "t-us-1"}])
           + eu("eu_unreg", extra_entities=[{"tenant_id": "t-ghost"}])
           + eu("eu_uskey", extra_keys=keys(["sv0_prod_us_"], "t-eu-1"))
           + eu("eu_nofield", extra_keys=[{"tenant_id": "t-eu-1", "key_hash": "HASHSECRETNOFIELD"}]))
us_spec = us("us_ok") + us("us_legacy", extra_keys=keys(["sv0_prod_"], "t-us-1"))
for name, spec in (("cp", cp), ("eu", eu_spec), ("us", us_spec), ("rogue", eu("eu_ok"))):
    json.dump(spec, open("%s/seed-%s.json" % (t, name), "w"))
PY
mongo_seed "$P_CP" "$T/seed-cp.json"
mongo_seed "$P_EU" "$T/seed-eu.json"
mongo_seed "$P_US" "$T/seed-us.json"
mongo_seed "$P_ROGUE" "$T/seed-rogue.json"
ok "seeded"

# The phase2 world with the data clusters' connection strings on CongoDB.
python3 - "$RA_SOURCE_DIR/examples/worlds/phase2.json" "$T/world.json" "$P_EU" "$P_US" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
ports = {"data-eu-0": sys.argv[3], "data-us-0": sys.argv[4]}
for p in w["projects"]:
    for c in p.get("clusters", []):
        if c.get("name") in ports:
            c["connectionStrings"] = {
                "standard": "mongodb://127.0.0.1:%s/?authSource=admin" % ports[c["name"]],
                "standardSrv": "mongodb+srv://%s.sv0.example.net" % c["name"]}
json.dump(w, open(sys.argv[2], "w"))
PY
sim_start sim --world "$T/world.json"
export MONGODB_ATLAS_CLIENT_ID=mdb_sa_id_demo MONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_demo-secret

# inventory NAME EU_DB US_DB: writes $T/NAME.inv.json
inventory() {
	python3 - "$RA_SOURCE_DIR/examples/phase2.inventory.json" "$T/$1.inv.json" "$2" "$3" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
inv["controlPlane"] = {"uriEnv": "MONGO_URI_CONTROL", "database": "cp"}
inv["dataPlanes"] = [
    {"name": "eu", "jurisdiction": "eu", "uriEnv": "MONGO_URI_EU_DATA", "database": sys.argv[3],
     "project": "sv0-data-plane-eu-prod", "cluster": "data-eu-0",
     "keyPrefix": "sv0_prod_eu_", "legacyKeys": True},
    {"name": "us", "jurisdiction": "us", "uriEnv": "MONGO_URI_US_DATA", "database": sys.argv[4],
     "project": "sv0-data-plane-us-prod", "cluster": "data-us-0",
     "keyPrefix": "sv0_prod_us_"}]
json.dump(inv, open(sys.argv[2], "w"), indent=1)
PY
}

uri() { echo "mongodb://$MONGO_TEST_USER:$PW_ENC@127.0.0.1:$1/?authSource=admin${2:-}"; }
export MONGO_URI_CONTROL MONGO_URI_EU_DATA MONGO_URI_US_DATA
MONGO_URI_CONTROL=$(uri "$P_CP")

# audit NAME: run against the sim; keeps stdout/stderr; PACK is set.
audit() {
	local name=$1 rc=0
	"$RA_BIN" run -v -i "$T/$name.inv.json" -o "$T/$name.out" --base-url "$BASE" \
		--as-of 2026-11-29 --format md,json,junit,sarif --soft-fail \
		>"$T/$name.stdout" 2>"$T/$name.stderr" || rc=$?
	[ "$rc" -eq 0 ] || { cat "$T/$name.stderr" >&2; fail "$name: run exited $rc"; }
	PACK="$T/$name.out/2026-11-29"
	[ -f "$PACK/residency-evidence-eu.json" ] || fail "$name: no eu report"
}

# expect PACK PLANE JURISDICTION CONTROL STATUS [DETAIL-SUBSTRING]
expect() {
	python3 - "$@" <<'PY' || fail "$*"
import json, sys
pack, plane, jur, ctl, st = sys.argv[1:6]
sub = sys.argv[6] if len(sys.argv) > 6 else None
rep = json.load(open("%s/residency-evidence-%s.json" % (pack, jur)))
fs = [f for f in rep["findings"] if f["control"] == ctl and f["resource"] == "dataplane/" + plane]
if len(fs) != 1:
    sys.exit("expected one %s finding for dataplane/%s, got %d" % (ctl, plane, len(fs)))
f = fs[0]
if f["status"] != st:
    sys.exit("%s dataplane/%s: %s, expected %s (%s)" % (ctl, plane, f["status"], st, f.get("detail")))
if sub is not None and sub not in (f.get("detail") or ""):
    sys.exit("%s dataplane/%s: detail %r lacks %r" % (ctl, plane, f.get("detail"), sub))
want_name = "sv0-data-plane-%s-prod" % plane
if f["projectName"] != want_name or not f["evidence"]:
    sys.exit("%s dataplane/%s: project %r, evidence %r" % (ctl, plane, f["projectName"], f["evidence"]))
PY
}

# expect_all PACK EU-ENDPOINT EU-TENANT EU-KEYS US-ENDPOINT US-TENANT US-KEYS
expect_all() {
	local p=$1
	expect "$p" eu eu data-plane-endpoint "$2"
	expect "$p" eu eu tenant-placement "$3"
	expect "$p" eu eu connector-key-region "$4"
	expect "$p" us us data-plane-endpoint "$5"
	expect "$p" us us tenant-placement "$6"
	expect "$p" us us connector-key-region "$7"
}

# no_secret NAME: the password (plain and encoded) and key hashes appear
# nowhere: stdout, stderr (-v) and every file of the pack.
no_secret() {
	local name=$1 s
	for s in "$MONGO_TEST_PASSWORD" "$PW_ENC" "secret@plane" "HASHSECRET"; do
		if grep -rlF -- "$s" "$T/$name.stdout" "$T/$name.stderr" "$T/$name.out" >/dev/null 2>&1; then
			grep -rlF -- "$s" "$T/$name.stdout" "$T/$name.stderr" "$T/$name.out" >&2
			fail "$name: \"$s\" leaked"
		fi
	done
}

# 1. compliant two-plane setup
inventory ok eu_ok us_ok
MONGO_URI_EU_DATA=$(uri "$P_EU"); MONGO_URI_US_DATA=$(uri "$P_US")
start=$(date +%s%N)
audit ok
BASE_MS=$(( ($(date +%s%N) - start) / 1000000 ))	# a run without waiting
expect_all "$PACK" PASS PASS PASS PASS PASS PASS
no_secret ok
OKPACK=$PACK
ok "compliant: all three controls PASS on both planes"
grep -q "probe:hello" "$PACK"/raw/*.meta.json || fail "no probe records"
grep -l '"endpoint": "probe:tenant-ids"' "$PACK"/raw/*.meta.json >/dev/null || fail "no tenant-ids record"
(cd "$PACK" && sha256sum -c --strict --quiet SHA256SUMS) || fail "SHA256SUMS"
ok "probe records in raw/ and covered by SHA256SUMS"

# offline: evaluate re-derives the verdicts from raw/ alone (servers unused)
"$RA_BIN" evaluate "$OKPACK" -o "$T/ok.eval" --as-of 2026-11-29 --soft-fail -q \
	>"$T/ok.eval.stdout" 2>&1 || fail "evaluate"
expect_all "$T/ok.eval/2026-11-29" PASS PASS PASS PASS PASS PASS
ok "evaluate reproduces the data-plane verdicts offline"

# 2. a US tenant's documents in the EU plane
inventory ustenant eu_ustenant us_ok
audit ustenant
expect_all "$PACK" PASS FAIL PASS PASS PASS PASS
expect "$PACK" eu eu tenant-placement FAIL "t-us-1 (us)"
no_secret ustenant
ok "US tenant in the EU plane: tenant-placement FAIL only"

# 3. an unregistered tenant
inventory unreg eu_unreg us_ok
audit unreg
expect_all "$PACK" PASS FAIL PASS PASS PASS PASS
expect "$PACK" eu eu tenant-placement FAIL "not registered: t-ghost"
ok "unregistered tenant: tenant-placement FAIL only"

# 4. a US-prefixed key in the EU plane
inventory uskey eu_uskey us_ok
audit uskey
expect_all "$PACK" PASS PASS FAIL PASS PASS PASS
expect "$PACK" eu eu connector-key-region FAIL "prefix sv0_prod_us_ of plane us"
no_secret uskey
ok "US key in the EU plane: connector-key-region FAIL only"

# 5. a legacy key in the US plane (legacyKeys not set there)
inventory legacy eu_ok us_legacy
audit legacy
expect_all "$PACK" PASS PASS PASS PASS PASS FAIL
expect "$PACK" us us connector-key-region FAIL "legacy key"
ok "legacy key in the US plane: connector-key-region FAIL only"

# 6. the EU URI points at another server (same, compliant data)
inventory wrong eu_ok us_ok
MONGO_URI_EU_DATA=$(uri "$P_ROGUE")
audit wrong
expect_all "$PACK" FAIL PASS PASS PASS PASS PASS
expect "$PACK" eu eu data-plane-endpoint FAIL "127.0.0.1:$P_ROGUE"
no_secret wrong
ok "URI at the wrong cluster: data-plane-endpoint FAIL only"

# 7. a key without the prefix field: ERROR for that key
inventory nofield eu_nofield us_ok
MONGO_URI_EU_DATA=$(uri "$P_EU")
audit nofield
expect "$PACK" eu eu connector-key-region ERROR "without the key_prefix field"
no_secret nofield
ok "key without the prefix field: connector-key-region ERROR"

# 8. a dead port: ERROR for all three within the configured timeout
DEAD=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
inventory dead eu_ok us_ok
MONGO_URI_EU_DATA=$(uri "$DEAD" "&serverSelectionTimeoutMS=3000&connectTimeoutMS=3000")
start=$(date +%s%N)
audit dead
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_all "$PACK" ERROR ERROR ERROR PASS PASS PASS
expect "$PACK" eu eu tenant-placement ERROR "unreachable"
[ $((ms - BASE_MS)) -lt 5000 ] || fail "dead port: run took ${ms} ms (baseline ${BASE_MS} ms)"
no_secret dead
ok "dead port: ERROR on all three EU controls; run ${ms} ms against ${BASE_MS} ms (3000 ms configured)"

# 8b. a server that accepts and never answers: ERROR once the URI's own
# timeout expires, and never later than the tool's 10 s cap when the URI
# asks for a minute
rm -f "$T/silent.port"
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' "$T/silent.port" &
MONGO_PIDS+=("$!")
for _ in $(seq 1 100); do [ -s "$T/silent.port" ] && break; sleep 0.05; done
SILENT=$(cat "$T/silent.port")
timed() {	# timed NAME URI-OPTIONS: sets ms
	local start
	MONGO_URI_EU_DATA=$(uri "$SILENT" "$2")
	inventory "$1" eu_ok us_ok
	start=$(date +%s%N)
	audit "$1"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	expect_all "$PACK" ERROR ERROR ERROR PASS PASS PASS
	no_secret "$1"
}
timed silent1 "&connectTimeoutMS=1500&serverSelectionTimeoutMS=1500&socketTimeoutMS=1500"
[ "$ms" -ge 1500 ] && [ $((ms - BASE_MS)) -lt 6000 ] || fail "silent server, 1.5 s configured: run took ${ms} ms (baseline ${BASE_MS} ms)"
ok "silent server, 1.5 s configured: ERROR; run ${ms} ms against ${BASE_MS} ms without waiting"
timed silent60 "&connectTimeoutMS=60000&serverSelectionTimeoutMS=60000&socketTimeoutMS=60000"
[ "$ms" -ge 9000 ] && [ $((ms - BASE_MS)) -lt 13000 ] || fail "silent server, 60 s asked: run took ${ms} ms (baseline ${BASE_MS} ms; cap 10 s)"
ok "silent server, 60 s asked: ERROR; run ${ms} ms against ${BASE_MS} ms without waiting (probe cap 10 s)"
MONGO_URI_EU_DATA=$(uri "$P_EU")

# 9. wrong password: refused (code 18) -> ERROR, never PASS
inventory badpw eu_ok us_ok
MONGO_URI_EU_DATA="mongodb://$MONGO_TEST_USER:Not-The-Password@127.0.0.1:$P_EU/?authSource=admin"
audit badpw
expect_all "$PACK" ERROR ERROR ERROR PASS PASS PASS
grep -rqF "Not-The-Password" "$T/badpw.stdout" "$T/badpw.stderr" "$T/badpw.out" && fail "bad password leaked"
ok "wrong password: ERROR on all three EU controls, password not printed"

# 10. the variable unset: ERROR naming it
inventory unset eu_ok us_ok
unset MONGO_URI_US_DATA
MONGO_URI_EU_DATA=$(uri "$P_EU")
audit unset
expect_all "$PACK" PASS PASS PASS ERROR ERROR ERROR
expect "$PACK" us us data-plane-endpoint ERROR "MONGO_URI_US_DATA is not set"
ok "unset variable: ERROR naming it"

# 10b. a connection string the driver cannot parse: ERROR, and its
# password appears nowhere (not even in the parser's message)
inventory badparse eu_ok us_ok
MONGO_URI_US_DATA=$(uri "$P_US")
MONGO_URI_EU_DATA="mongodb://$MONGO_TEST_USER:Leak%ZZpw@127.0.0.1:$P_EU/?authSource=admin"
audit badparse
expect "$PACK" eu eu data-plane-endpoint ERROR "not a usable connection string"
grep -rqF "Leak%ZZpw" "$T/badparse.stdout" "$T/badparse.stderr" "$T/badparse.out" && fail "unparsable URI's password leaked"
ok "unparsable URI: ERROR, password not printed"

# 11. without the sections: one SKIPPED each at org
"$RA_BIN" run -q -i "$RA_SOURCE_DIR/examples/phase2.inventory.json" -o "$T/none.out" \
	--base-url "$BASE" --as-of 2026-11-29 --soft-fail >/dev/null 2>&1 || fail "run without sections"
pyjson "$T/none.out/2026-11-29/residency-evidence-eu.json" \
	'sorted((f["control"], f["resource"], f["status"]) for f in j["findings"] if f["control"] in ("data-plane-endpoint","tenant-placement","connector-key-region")) == [("connector-key-region","org","SKIPPED"),("data-plane-endpoint","org","SKIPPED"),("tenant-placement","org","SKIPPED")]'
ok "no dataPlanes: one SKIPPED each at org"
