#!/bin/bash
# Token buckets: a USER bucket of 5 refilling 0.5/s admits 5 requests, then
# answers 429 RATE_LIMITED_TOKEN_BUCKET with Retry-After and RateLimit-*
# headers, and admits again after a refill. GROUP buckets are per group.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

python3 - "$RA_SOURCE_DIR/examples/worlds/phase0.json" "$T/w.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
w["rateLimit"] = {"USER": {"capacity": 5, "refillPerSecond": 0.5},
                  "GROUP": {"capacity": 3, "refillPerSecond": 0.5}}
del w["credentials"]
json.dump(w, open(sys.argv[2], "w"))
PY
sim_start r --world "$T/w.json"
A=$(accept 2024-08-05)
G1=6a793feb2c88faeba59bd801
G2=6a793feb2c88faeba59bd802
hit() { curl -s -H "$A" -D "$T/hdr" -o "$T/body" -w '%{http_code}' "$BASE/api/atlas/v2/groups/$1/clusters" || true; }
hdr() { tr -d '\r' < "$T/hdr" | awk -v k="$1" 'tolower($1) == tolower(k) ":" { print $2 }'; }

# GROUP capacity 3: G1 three times, the fourth is refused by G1's bucket.
for i in 1 2 3; do
	[ "$(hit $G1)" = 200 ] || fail "G1 request $i"
	[ "$(hdr RateLimit-Limit)" = 3 ] || fail "RateLimit-Limit $(hdr RateLimit-Limit)"
	[ "$(hdr RateLimit-Remaining)" = $((3 - i)) ] || fail "RateLimit-Remaining $(hdr RateLimit-Remaining) after $i"
done
[ "$(hit $G1)" = 429 ] || fail "G1 over its bucket"
pyjson "$T/body" 'j["errorCode"] == "RATE_LIMITED_TOKEN_BUCKET" and j["error"] == 429 and j["detail"].startswith("Rate limit exceeded")'
ra=$(hdr Retry-After)
[ "$ra" -ge 1 ] && [ "$ra" -le 2 ] || fail "Retry-After $ra"
# USER has 5 - 3 = 2 tokens (the refused request spent none); G2 has 3.
[ "$(hit $G2)" = 200 ] || fail "G2 first"
[ "$(hit $G2)" = 200 ] || fail "G2 second"
c=$(hit $G2); [ "$c" = 429 ] || { cat "$T/hdr"; fail "USER bucket should be empty: $c"; }
[ "$(hdr RateLimit-Remaining)" = 0 ] || fail "remaining after USER empty"
sleep 2.1
[ "$(hit $G2)" = 200 ] || fail "after refill"
curl -s "$BASE/__sim/stats" -o "$T/stats"
pyjson "$T/stats" 'j["429s"] == 2 and j["byStatus"]["200"] == 6'
ok "token buckets"
