#!/bin/bash
# Pagination as Atlas: 600 synthetic projects, itemsPerPage 500 gives two
# pages with a next link on the first only (absolute, using the request's
# Host); default 100; itemsPerPage above 500 or malformed is 400;
# includeCount=false drops totalCount; --synth-inventory matches.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

sim_start p --world "$RA_SOURCE_DIR/examples/worlds/phase0.json" \
	--synth 600:1 --synth-inventory "$T/inv.json"
ORG=65f1c0a2e4b0d81a2c3e4f50
U="/api/atlas/v2/orgs/$ORG/groups"
A=$(accept 2023-01-01)
get() { curl -s "${DIGEST[@]}" -H "$A" -o "$T/body" -w '%{http_code}' "$BASE$1" || true; }

[ "$(get "$U?itemsPerPage=500")" = 200 ] || fail "page 1"
pyjson "$T/body" 'len(j["results"]) == 500 and j["totalCount"] == 600'
pyjson "$T/body" '[l["rel"] for l in j["links"]] == ["self", "next"]'
pyjson "$T/body" 'j["links"][1]["href"] == "http://127.0.0.1:'$PORT$U'?includeCount=true&itemsPerPage=500&pageNum=2"'
NEXT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["links"][1]["href"])' "$T/body")
FIRST=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["id"])' "$T/body")
code=$(curl -s "${DIGEST[@]}" -H "$A" -o "$T/body" -w '%{http_code}' "$NEXT")
[ "$code" = 200 ] || fail "page 2: $code"
pyjson "$T/body" 'len(j["results"]) == 100 and [l["rel"] for l in j["links"]] == ["self"]'
pyjson "$T/body" '"'$FIRST'" not in [r["id"] for r in j["results"]]'
[ "$(get "$U?itemsPerPage=500&pageNum=3")" = 200 ]
pyjson "$T/body" 'j["results"] == [] and j["totalCount"] == 600'
[ "$(get "$U")" = 200 ]
pyjson "$T/body" 'len(j["results"]) == 100 and j["links"][1]["href"].endswith("itemsPerPage=100&pageNum=2")'
[ "$(get "$U?itemsPerPage=600")" = 400 ] || fail "itemsPerPage 600 accepted"
pyjson "$T/body" 'j["error"] == 400'
[ "$(get "$U?itemsPerPage=abc")" = 400 ] || fail "itemsPerPage abc accepted"
[ "$(get "$U?pageNum=0")" = 400 ] || fail "pageNum 0 accepted"
[ "$(get "$U?includeCount=false&itemsPerPage=10")" = 200 ]
pyjson "$T/body" '"totalCount" not in j and len(j["results"]) == 10'
code=$(curl -s "${DIGEST[@]}" -H "$A" -H "Host: atlas.example.test:8443" -o "$T/body" -w '%{http_code}' "$BASE$U?itemsPerPage=1")
pyjson "$T/body" 'j["links"][0]["href"].startswith("http://atlas.example.test:8443/api/atlas/v2/")'
ok "paging 600 projects"

# the synthetic world: every endpoint populated, inventory matches
pyjson "$T/inv.json" 'len(j["projects"]) == 600 and j["orgId"] == "'$ORG'" and all(p["regions"] == ["aws:eu-west-1"] for p in j["projects"])'
G=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["projects"][599]["id"])' "$T/inv.json")
for spec in "2024-08-05 clusters" "2024-05-30 backup/exportBuckets" "2023-01-01 privateEndpoint/AWS/endpointService" \
	"2023-01-01 encryptionAtRest" "2024-08-05 clusters/c0/backup/schedule" "2023-01-01 clusters/c0/backup/snapshots" \
	"2025-03-12 clusters/c0/search/deployment" "2023-02-01 streams" "2023-01-01 dataFederation"; do
	set -- $spec
	code=$(curl -s "${DIGEST[@]}" -H "$(accept "$1")" -o "$T/body" -w '%{http_code}' "$BASE/api/atlas/v2/groups/$G/$2")
	[ "$code" = 200 ] || fail "synth $2: $code"
	pyjson "$T/body" 'len(j.get("results", j) if isinstance(j, dict) else j) > 0'
done
ok "synthetic world populated"

# the per-path request counters (hash-indexed): one entry per distinct
# path, whatever the query, summing to every request served (each Digest
# GET is two: the 401 challenge and the answer); 600 more distinct paths
# here, one of them already asked for above
python3 - "$T/inv.json" "$BASE" >"$T/urls.cfg" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1]))["projects"]:
    print('url = "%s/api/atlas/v2/groups/%s/streams"' % (sys.argv[2], p["id"]))
    print("output = /dev/null")
PY
curl -s "${DIGEST[@]}" -H "$(accept 2023-02-01)" -K "$T/urls.cfg"
curl -s "$BASE/__sim/stats" -o "$T/stats.json"
pyjson "$T/stats.json" 'sum(j["paths"].values()) == j["requests"]'
pyjson "$T/stats.json" 'j["paths"]["'$U'"] == 18'
pyjson "$T/stats.json" 'sum(1 for k in j["paths"] if k.endswith("/streams")) == 600'
pyjson "$T/stats.json" 'j["paths"]["/api/atlas/v2/groups/'$G'/streams"] == 4'
ok "per-path counters"
