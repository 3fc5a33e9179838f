#!/bin/bash
# Fault injection per path: status codes with `times`, 429 headers,
# truncation (close and json), malformed, dropped connections, huge and
# deeply nested bodies, looping and foreign next links, invalid UTF-8,
# hanging and never-ending responses; hostile names served as JSON.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

G=6a793feb2c88faeba59bd801
python3 - "$RA_SOURCE_DIR/examples/worlds/phase0.json" "$T/w.json" "$G" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
g = sys.argv[3]
del w["credentials"]
p = "/api/atlas/v2/groups/" + g
w["faults"] = [
  {"path": p + "/auditLog", "status": 429, "retryAfter": "2", "times": 1},
  {"path": p + "/encryptionAtRest", "status": 503, "times": 2},
  {"path": p + "/backup/exportBuckets", "status": 403, "times": -1},
  {"path": p + "/streams", "truncate": "close"},
  {"path": p + "/logIntegrations", "truncate": "json"},
  {"path": p + "/flexClusters", "malformed": True},
  {"path": p + "/serverless", "drop": True, "times": 1},
  {"path": p + "/dataFederation", "hugeBytes": 3000000},
  {"path": p + "/pushBasedLogExport", "nestDepth": 5000},
  {"path": "/api/atlas/v2/orgs/*/groups", "nextLoop": True},
  {"path": p + "/clusters/*/onlineArchives", "nextHost": "http://203.0.113.1:1"},
  {"path": p + "/clusters", "badUtf8": True, "latencyMs": 200},
  {"path": p + "/privateEndpoint/GCP/endpointService", "hang": True},
  {"path": p + "/privateEndpoint/AZURE/endpointService", "endless": True},
  {"path": p + "/backupCompliancePolicy", "status": 429, "retryAfter": "86400"},
]
w["projects"][1]["name"] = "evil | <b>x</b>\n../../etc/passwd \"q\""
json.dump(w, open(sys.argv[2], "w"))
PY
sim_start f --world "$T/w.json"
U="$BASE/api/atlas/v2/groups/$G"
req() { # req VERSION PATH [curl args]: sets CODE and RC
	local v=$1 p=$2
	shift 2
	RC=0
	CODE=$(curl -s -H "$(accept "$v")" -D "$T/hdr" -o "$T/body" -w '%{http_code}' "$@" "$U$p") || RC=$?
}
hdr() { tr -d '\r' < "$T/hdr" | awk -v k="$1" 'tolower($1) == tolower(k) ":" { print $2 }'; }

req 2023-01-01 /auditLog
[ "$CODE" = 429 ] && [ "$(hdr Retry-After)" = 2 ] || fail "429 fault: $CODE"
[ -n "$(hdr RateLimit-Limit)" ] && [ "$(hdr RateLimit-Remaining)" = 0 ] || fail "429 without RateLimit-*"
pyjson "$T/body" 'j["error"] == 429'
req 2023-01-01 /auditLog
[ "$CODE" = 200 ] || fail "times 1: second auditLog $CODE"
req 2023-01-01 /encryptionAtRest; [ "$CODE" = 503 ] || fail "503 #1"
req 2023-01-01 /encryptionAtRest; [ "$CODE" = 503 ] || fail "503 #2"
req 2023-01-01 /encryptionAtRest; [ "$CODE" = 200 ] || fail "503 times 2 then 200: $CODE"
for i in 1 2 3; do req 2024-05-30 /backup/exportBuckets; [ "$CODE" = 403 ] || fail "403 always"; done
pyjson "$T/body" 'j["error"] == 403 and j["reason"] == "Forbidden"'
req 2023-10-01 /backupCompliancePolicy
[ "$(hdr Retry-After)" = 86400 ] || fail "a day of Retry-After"
ok "status faults"

req 2023-02-01 /streams
[ "$RC" = 18 ] || fail "truncate close: curl rc $RC"
req 2025-03-12 /logIntegrations
[ "$RC" = 0 ] && [ "$CODE" = 200 ] || fail "truncate json: $RC $CODE"
[ "$(hdr Content-Length)" = "$(stat -c %s "$T/body")" ] || fail "truncate json: length"
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/body" 2>/dev/null; then fail "truncated json parses"; fi
req 2024-11-13 /flexClusters
[ "$CODE" = 200 ] || fail "malformed: $CODE"
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/body" 2>/dev/null; then fail "malformed parses"; fi
req 2023-01-01 /serverless
[ "$RC" = 52 ] || fail "drop: curl rc $RC"
req 2023-01-01 /serverless
[ "$CODE" = 200 ] || fail "drop times 1: $CODE"
req 2023-01-01 /dataFederation
[ "$CODE" = 200 ] && [ "$(stat -c %s "$T/body")" = 3000000 ] || fail "huge body"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert len(j[0]) == 2999996' "$T/body" || fail "huge body not JSON"
req 2023-01-01 /pushBasedLogExport
python3 -c 'import sys; b=open(sys.argv[1]).read(); assert b == "["*5000 + "]"*5000' "$T/body" || fail "nesting"
ok "body faults"

RC=0; CODE=$(curl -s -H "$(accept 2023-01-01)" -o "$T/body" -w '%{http_code}' \
	"$BASE/api/atlas/v2/orgs/65f1c0a2e4b0d81a2c3e4f50/groups?itemsPerPage=500") || RC=$?
pyjson "$T/body" 'j["links"][1]["rel"] == "next" and j["links"][1]["href"] == j["links"][0]["href"]'
req 2023-01-01 /clusters/prod-0/onlineArchives
pyjson "$T/body" 'j["links"][1]["href"].startswith("http://203.0.113.1:1/api/atlas/v2/groups/")'
start=$(date +%s%N)
req 2024-08-05 /clusters
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -ge 190 ] || fail "latency fault: ${elapsed}ms"
python3 -c 'import sys; b=open(sys.argv[1],"rb").read(); assert b"\xff\xfe" in b
try:
    b.decode("utf-8"); sys.exit(1)
except UnicodeDecodeError: pass' "$T/body" || fail "invalid UTF-8 names"
ok "links, latency, invalid UTF-8"

req 2023-01-01 /privateEndpoint/GCP/endpointService --max-time 1
[ "$RC" = 28 ] || fail "hang: rc $RC"
req 2023-01-01 /privateEndpoint/AZURE/endpointService --max-time 1
[ "$RC" = 28 ] && [ "$(stat -c %s "$T/body")" -gt 12 ] || fail "endless: rc $RC"
curl -s "$BASE/__sim/stats" -o "$T/stats"
pyjson "$T/stats" 'j["concurrent"] <= 2'
ok "hang and endless"

# hostile names come back as JSON strings, verbatim
RC=0; curl -s -H "$(accept 2023-01-01)" -o "$T/body" "$BASE/api/atlas/v2/orgs/65f1c0a2e4b0d81a2c3e4f50/groups?itemsPerPage=5&pageNum=1" || RC=$?
pyjson "$T/body" 'j["results"][1]["name"] == "evil | <b>x</b>\n../../etc/passwd \"q\""'
ok "hostile names"
