#!/bin/bash
# 150 concurrent requests at 300 ms latency finish together, not one
# after another (150 x 0.3 s = 45 s serialised); the simulator's peak
# concurrency shows they were held at once.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

python3 - "$RA_SOURCE_DIR/examples/worlds/phase0.json" "$T/w.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
del w["credentials"]
json.dump(w, open(sys.argv[2], "w"))
PY
sim_start c --world "$T/w.json" --latency-ms 300
A=$(accept 2024-08-05)
start=$(date +%s.%N)
# One curl process with 150 parallel transfers, so the client side is
# not the bottleneck.
args=()
for i in $(seq 1 150); do
	args+=(-o "$T/c$i" "$BASE/api/atlas/v2/groups/6a793feb2c88faeba59bd801/clusters?i=$i")
done
curl -s --no-progress-meter -Z --parallel-immediate --parallel-max 150 -H "$A" --max-time 30 \
	-w '%{http_code}\n' "${args[@]}" > "$T/codes" || fail "curl failed"
end=$(date +%s.%N)
elapsed=$(python3 -c "print(round($end - $start, 2))")
[ "$(grep -c '^200$' "$T/codes")" = 150 ] || fail "not 150 x 200: $(sort "$T/codes" | uniq -c)"
python3 -c "import sys; sys.exit(0 if $elapsed < 10 else 1)" || fail "150 slow requests took ${elapsed}s"
curl -s "$BASE/__sim/stats" -o "$T/stats"
pyjson "$T/stats" 'j["peakConcurrent"] >= 100 and j["byStatus"]["200"] == 150'
curl -s "$BASE/__sim/requests" -o "$T/req"
pyjson "$T/req" 'all(r["finishedAt"] - r["startedAt"] >= 290 for r in j if "/clusters" in r["path"])'
ok "150 concurrent slow requests in ${elapsed}s"
