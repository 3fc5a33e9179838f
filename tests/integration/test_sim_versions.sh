#!/bin/bash
# Every endpoint of the table (atlas-sim --list-endpoints) answers 200 with
# exactly its media-type version, echoes it in Content-Type, and answers
# 406 INVALID_VERSION_DATE to a missing or different version; unknown
# paths, groups and clusters are 404 ApiErrors.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

ORG=65f1c0a2e4b0d81a2c3e4f50
GROUP=6a793feb2c88faeba59bd801
CLUSTER=prod-0
sim_start v --world "$RA_SOURCE_DIR/examples/worlds/phase0.json"

n=0
while IFS=$'\t' read -r id scope path version; do
	url=${path//\{orgId\}/$ORG}
	url=${url//\{groupId\}/$GROUP}
	url=${url//\{clusterName\}/$CLUSTER}
	want=200
	# Phase 0 has no backup compliance policy: Atlas answers 404 there.
	[ "$id" = backup-compliance-policy ] && want=404
	code=$(curl -s "${DIGEST[@]}" -H "$(accept "$version")" \
		-o "$T/body" -D "$T/hdr" -w '%{http_code}' "$BASE$url")
	[ "$code" = "$want" ] || fail "$id: $code with version $version"
	if [ "$want" = 200 ]; then
		grep -qi "^content-type: application/vnd.atlas.$version+json;charset=utf-8" "$T/hdr" ||
			fail "$id: content type does not echo $version"
	fi
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/body" ||
		fail "$id: body is not JSON"
	code=$(curl -s "${DIGEST[@]}" -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$BASE$url")
	[ "$code" = 406 ] || fail "$id: $code without Accept"
	pyjson "$T/body" 'j["error"] == 406 and j["errorCode"] == "INVALID_VERSION_DATE" and j["reason"] == "Not Acceptable"'
	grep -qi '^content-type: application/json' "$T/hdr" || fail "$id: 406 not application/json"
	for other in 1999-01-01 2023-01-01 2024-08-05 2025-03-12; do
		[ "$other" = "$version" ] && continue
		code=$(curl -s "${DIGEST[@]}" -H "$(accept "$other")" -o /dev/null -w '%{http_code}' "$BASE$url")
		[ "$code" = 406 ] || fail "$id: $code with wrong version $other"
	done
	n=$((n + 1))
done < <("$RA_SIM" --list-endpoints)
[ "$n" -ge 20 ] || fail "only $n endpoints listed"
ok "$n endpoints: 200 on their version, 406 otherwise"

# Shapes: bare arrays and envelopes.
get() { curl -s "${DIGEST[@]}" -H "$(accept "$1")" -o "$T/body" -w '%{http_code}' "$BASE$2"; }
[ "$(get 2024-08-05 /api/atlas/v2/orgs/$ORG/resourcePolicies)" = 200 ]
pyjson "$T/body" 'isinstance(j, list) and "containsAll" in j[0]["policies"][0]["body"]'
[ "$(get 2023-01-01 /api/atlas/v2/groups/$GROUP/privateEndpoint/AWS/endpointService)" = 200 ]
pyjson "$T/body" 'isinstance(j, list) and j[0]["status"] == "AVAILABLE" and j[0]["regionName"] == "EU_WEST_1"'
[ "$(get 2024-08-05 /api/atlas/v2/groups/$GROUP/clusters)" = 200 ]
pyjson "$T/body" 'j["totalCount"] == 1 and j["results"][0]["name"] == "prod-0" and not any(k.startswith("_") for k in j["results"][0]) and [l["rel"] for l in j["links"]] == ["self"]'
[ "$(get 2023-01-01 /api/atlas/v2/groups/$GROUP/pushBasedLogExport)" = 200 ]
pyjson "$T/body" 'j == {"state": "UNCONFIGURED"}'
[ "$(get 2025-03-12 /api/atlas/v2/groups/$GROUP/clusters/$CLUSTER/search/deployment)" = 200 ]
pyjson "$T/body" 'j == {}'
[ "$(get 2023-10-01 /api/atlas/v2/groups/$GROUP/backupCompliancePolicy)" = 404 ]
pyjson "$T/body" 'j["errorCode"] == "BACKUP_COMPLIANCE_POLICY_NOT_FOUND"'
[ "$(get 2023-01-01 /api/atlas/v2/orgs)" = 200 ]
pyjson "$T/body" 'j["results"][0]["id"] == "'$ORG'" and "resourcePolicies" not in j["results"][0]'
[ "$(get 2023-01-01 /api/atlas/v2/groups/$GROUP)" = 200 ]
pyjson "$T/body" 'j["name"] == "sv0-prod" and j["clusterCount"] == 1 and "clusters" not in j'
ok "shapes"

# 404s
[ "$(get 2024-08-05 /api/atlas/v2/groups/ffffffffffffffffffffffff/clusters)" = 404 ]
pyjson "$T/body" 'j["errorCode"] == "GROUP_NOT_FOUND" and j["error"] == 404'
[ "$(get 2024-08-05 /api/atlas/v2/groups/$GROUP/clusters/nope/backup/schedule)" = 404 ]
pyjson "$T/body" 'j["errorCode"] == "CLUSTER_NOT_FOUND" and j["parameters"] == ["nope", "'$GROUP'"]'
[ "$(get 2023-01-01 /api/atlas/v2/orgs/ffffffffffffffffffffffff)" = 404 ]
pyjson "$T/body" 'j["errorCode"] == "ORG_NOT_FOUND"'
[ "$(get 2023-01-01 /api/atlas/v2/nothing/here)" = 404 ]
pyjson "$T/body" 'j["errorCode"] == "RESOURCE_NOT_FOUND"'
[ "$(get 2023-01-01 /not/the/api)" = 404 ]
ok "404 ApiErrors"

# Phase 2 world: the US project is served with its own region.
sim_stop
sim_start v2 --world "$RA_SOURCE_DIR/examples/worlds/phase2.json"
[ "$(get 2024-08-05 /api/atlas/v2/groups/6a793feb2c88faeba59bd8f8/clusters)" = 200 ]
pyjson "$T/body" 'j["results"][0]["replicationSpecs"][0]["regionConfigs"][0]["regionName"] == "US_EAST_1"'
[ "$(get 2024-08-05 /api/atlas/v2/groups/6a793feb2c88faeba59bd8f6/clusters)" = 200 ]
pyjson "$T/body" 'sorted((r["regionName"], r["priority"], r["electableSpecs"]["nodeCount"]) for r in j["results"][0]["replicationSpecs"][0]["regionConfigs"]) == [("EU_CENTRAL_1", 6, 2), ("EU_WEST_1", 7, 3)]'
ok "phase2 world"
