#!/usr/bin/env bash
# test_dataplane_scale.sh: 100,000 tenant documents across 20 collections
# (plus 20,000 connector keys) are checked with bounded memory. Peak RSS
# of `residency-audit run` (/usr/bin/time -v) is measured at 10,000 and at
# 100,000 documents; ten times the data may not cost more than 16 MiB more
# (the probe streams cursors and keeps distinct ids only). The numbers are
# printed for docs/DATAPLANE.md.
set -euo pipefail
: "${RA_BIN:?}" "${RA_SIM:?}" "${RA_SOURCE_DIR:?}"
. "$RA_SOURCE_DIR/tests/integration/lib_sim.sh"
export MONGO_TEST_USER=auditor MONGO_TEST_PASSWORD='scale-Pw:1'
. "$RA_SOURCE_DIR/tests/integration/lib_mongo.sh"
[ -x /usr/bin/time ] || fail "/usr/bin/time is needed to measure peak RSS"

mongo_start cp; P_CP=$MPORT
mongo_start eu; P_EU=$MPORT
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
tenants = ["tenant-%04d" % i for i in range(500)]
json.dump([{"db": "cp", "coll": "tenants",
            "docs": [{"tenant_id": x, "region": "eu"} for x in tenants]}], open(t + "/cp.json", "w"))
for db, per in (("small", 500), ("big", 5000)):
    spec = [{"db": db, "coll": "coll%02d" % c,
             "generate": {"count": per, "tenants": tenants, "pad": 200}} for c in range(20)]
    spec.append({"db": db, "coll": "connector_instance_api_keys",
                 "generate": {"count": per * 4, "tenants": ["sv0_prod_eu_"], "field": "key_prefix"}})
    json.dump(spec, open("%s/%s.json" % (t, db), "w"))
PY
mongo_seed "$P_CP" "$T/cp.json"
mongo_seed "$P_EU" "$T/small.json"
mongo_seed "$P_EU" "$T/big.json"
ok "seeded 10,000 + 100,000 tenant documents in 20 collections each"

python3 - "$RA_SOURCE_DIR/examples/worlds/phase2.json" "$T/world.json" "$P_EU" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
for p in w["projects"]:
    for c in p.get("clusters", []):
        if c.get("name") == "data-eu-0":
            c["connectionStrings"] = {"standard": "mongodb://127.0.0.1:%s/" % sys.argv[3]}
json.dump(w, open(sys.argv[2], "w"))
PY
sim_start sim --world "$T/world.json"
export MONGODB_ATLAS_CLIENT_ID=mdb_sa_id_demo MONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_demo-secret
export MONGO_URI_CONTROL="mongodb://auditor:scale-Pw%3A1@127.0.0.1:$P_CP/"
export MONGO_URI_EU_DATA="mongodb://auditor:scale-Pw%3A1@127.0.0.1:$P_EU/"

measure() {
	local db=$1
	python3 - "$RA_SOURCE_DIR/examples/phase2.inventory.json" "$T/$db.inv.json" "$db" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
inv["controlPlane"] = {"uriEnv": "MONGO_URI_CONTROL", "database": "cp"}
inv["dataPlanes"] = [{"name": "eu", "jurisdiction": "eu", "uriEnv": "MONGO_URI_EU_DATA",
    "database": sys.argv[3], "project": "sv0-data-plane-eu-prod", "cluster": "data-eu-0",
    "keyPrefix": "sv0_prod_eu_"}]
json.dump(inv, open(sys.argv[2], "w"))
PY
	/usr/bin/time -v -o "$T/$db.time" "$RA_BIN" run -q -i "$T/$db.inv.json" -o "$T/$db.out" \
		--base-url "$BASE" --as-of 2026-11-29 --soft-fail >/dev/null 2>"$T/$db.err" ||
		{ cat "$T/$db.err" >&2; fail "$db: run failed"; }
	pyjson "$T/$db.out/2026-11-29/residency-evidence-eu.json" \
		'[f["status"] for f in j["findings"] if f["resource"] == "dataplane/eu"] == ["PASS"] * 3'
	RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$T/$db.time")
	WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$T/$db.time")
}
measure small; RSS_SMALL=$RSS; ok "10,000 documents: peak RSS ${RSS} KiB, ${WALL} wall"
measure big; RSS_BIG=$RSS; ok "100,000 documents (20 collections, 20,000 keys): peak RSS ${RSS} KiB, ${WALL} wall"
[ $((RSS_BIG - RSS_SMALL)) -lt 16384 ] || fail "peak RSS grew by $((RSS_BIG - RSS_SMALL)) KiB for ten times the data"
TID=$(grep -l '"endpoint": "probe:tenant-ids"' "$T"/big.out/2026-11-29/raw/*.meta.json | head -1)
pyjson "${TID%.meta.json}.json" \
	'len(j["result"]["collections"]) == 21 and sum(len(c["tenantIds"]) for c in j["result"]["collections"]) == 20 * 500'
ok "tenant-ids record: 20 tenant collections x 500 distinct ids (keys collection has none)"
