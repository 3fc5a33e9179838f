#!/usr/bin/env bash
# bench/run.sh [--quick] [--results FILE]: the performance benchmark of
# issue 7. Builds a Release build (build-bench/), then measures, in one
# run on this machine, residency-audit against atlas-sim worlds of
# N projects x M clusters (every endpoint populated):
#   1. 500 x 5, 50 ms latency, no rate limit, default concurrency
#   2. 50 x 5, 20 ms latency, against bench/curl-baseline.sh
#   3. a world rate-limited at 100 requests/s (USER bucket 100, 100/s)
#   4. CPU and peak RSS at 50, 100, 250, 500, 1000 x 5
# and writes bench/RESULTS.md (bench/README.md explains every number).
# --quick runs tiny versions (a smoke check, seconds) and writes
# bench/work/RESULTS-quick.md unless --results says otherwise.
#
# Environment: RA_BIN and RA_SIM use prebuilt binaries (no build);
# RA_BENCH_TMP is where packs are written (default /dev/shm, a tmpfs: see
# README.md "Where packs are written"); RA_BENCH_DISK=1 adds scenario 1
# again with the pack on the disk under bench/work/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
results=""
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--results) results=$2; shift ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/run.sh: $1: unknown option" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$results" ]; then
	if [ "$quick" = 1 ]; then
		mkdir -p bench/work
		results=bench/work/RESULTS-quick.md
	else
		results=bench/RESULTS.md
	fi
fi

[ -x /usr/bin/time ] || bash scripts/setup.sh
if [ -z "${RA_BIN:-}" ] || [ -z "${RA_SIM:-}" ]; then
	echo "bench: building Release into build-bench/" >&2
	RA_BUILD_TARGETS="residency-audit atlas-sim" bash scripts/build.sh \
	    build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	RA_BIN=$root/build-bench/residency-audit
	RA_SIM=$root/build-bench/atlas-sim
fi
export RA_SIM

tmpbase=${RA_BENCH_TMP:-/dev/shm}
[ -d "$tmpbase" ] && [ -w "$tmpbase" ] || tmpbase=${TMPDIR:-/tmp}
work=$(mktemp -d "$tmpbase/ra-bench.XXXXXX")
. scripts/sim-env.sh
cleanup() {
	sim_stop
	rm -rf "$work"
}
trap cleanup EXIT

# The simulator's world: credentials only (--synth adds the org and the
# projects); a second one adds the USER token bucket of scenario 3.
cat >"$work/world.json" <<'EOF'
{ "credentials": { "publicKey": "bench-public",
    "privateKey": "bench-private-key-0000",
    "clientId": "mdb_sa_id_bench", "clientSecret": "mdb_sa_sk_bench-secret" },
  "orgs": [], "projects": [] }
EOF
jq '. + {rateLimit: {USER: {capacity: 100, refillPerSecond: 100}}}' \
    "$work/world.json" >"$work/world-rl.json"
# the audit authenticates as a service account (OAuth, the preferred
# credential); the curl baseline uses the API key (Digest)
export MONGODB_ATLAS_CLIENT_ID=mdb_sa_id_bench
export MONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_bench-secret
export MONGODB_ATLAS_PUBLIC_API_KEY=bench-public
export MONGODB_ATLAS_PRIVATE_API_KEY=bench-private-key-0000

default_conc=$(sed -n 's/^#define RA_ATLAS_DEFAULT_CONCURRENCY[[:space:]]*\([0-9]*\).*/\1/p' audit/atlas.h)
: >"$work/runs.jsonl"

sim_cpu() {	# user+sys seconds of the running simulator
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
	    "/proc/$SIM_PID/stat"
}

# audit LABEL WORLD PROJECTS CLUSTERS LATENCY_MS [CONCURRENCY] [PACKBASE]
# Starts the simulator, audits it under /usr/bin/time -v and appends the
# run's numbers to runs.jsonl. Leaves the simulator running (the caller
# stops it) so the baseline can reuse it.
audit() {
	local label=$1 world=$2 p=$3 c=$4 lat=$5 conc=${6:-} base=${7:-$work}
	local inv=$work/$label.inventory.json pack=$base/$label.pack
	local copt=() cpu0 cpu1
	sim_start "$world" 0 --synth "$p:$c" --synth-inventory "$inv" \
	    --latency-ms "$lat"
	[ -n "$conc" ] && copt=(--concurrency "$conc")
	rm -rf "$pack"
	cpu0=$(sim_cpu)
	echo "bench: $label: $p x $c, ${lat} ms${conc:+, concurrency $conc}" >&2
	/usr/bin/time -v -o "$work/$label.time" "$RA_BIN" run -i "$inv" \
	    -o "$pack" --base-url "$SIM_URL" --force -q --no-progress \
	    "${copt[@]}" 2>"$work/$label.stderr" || true
	cpu1=$(sim_cpu)
	curl -sS "$SIM_URL/__sim/stats" >"$work/$label.stats.json"
	python3 bench/measure.py --label "$label" --pack "$pack" \
	    --time "$work/$label.time" --stats "$work/$label.stats.json" \
	    --sim-cpu "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')" \
	    --urls "$work/$label.urls" \
	    --set "projects_n=$p" --set "clusters_n=$c" \
	    --set "latency_ms=$lat" \
	    --set "concurrency=${conc:-$default_conc}" \
	    --set "concurrency_default=$([ -z "$conc" ] && echo true || echo false)" \
	    >>"$work/runs.jsonl"
	if ! python3 -c 'import json,sys; sys.exit(0 if json.loads(open(sys.argv[1]).readlines()[-1])["complete"] else 1)' "$work/runs.jsonl"; then
		echo "bench: $label: the pack is not complete; stderr:" >&2
		sed 's/^/  /' "$work/$label.stderr" | head -20 >&2
	fi
	rm -rf "$pack"
}

if [ "$quick" = 1 ]; then
	s1=(10 5 50) s2=(1 2 20) s3=(5 5 0) scale=(2 5 10)
else
	s1=(500 5 50) s2=(50 5 20) s3=(120 5 0) scale=(50 100 250 500 1000)
fi

# 1. the latency-bound org
audit s1 "$work/world.json" "${s1[@]}"
sim_stop
if [ "${RA_BENCH_DISK:-0}" = 1 ]; then
	mkdir -p bench/work
	audit s1-disk "$work/world.json" "${s1[@]}" "" "$root/bench/work"
	sim_stop
fi

# 2. against the sequential curl baseline, same simulator, same GETs
audit s2 "$work/world.json" "${s2[@]}"
echo "bench: s2: curl baseline ($(wc -l <"$work/s2.urls") GETs, one at a time)" >&2
curl -sS "$SIM_URL/__sim/stats" >"$work/s2b.before.json"
/usr/bin/time -v -o "$work/s2b.time" bash bench/curl-baseline.sh \
    "$work/s2.urls" "$work/s2b.out" >"$work/s2b.log" 2>&1 || true
curl -sS "$SIM_URL/__sim/stats" >"$work/s2b.after.json"
python3 - "$work" >>"$work/runs.jsonl" <<'PY'
import json, sys, subprocess
w = sys.argv[1]
sys.path.insert(0, "bench")
from measure import parse_time
m = {"label": "s2-curl"}
m.update(parse_time(w + "/s2b.time"))
m["cpu_s"] = round(m.get("user_s", 0) + m.get("sys_s", 0), 3)
b = json.load(open(w + "/s2b.before.json"))
a = json.load(open(w + "/s2b.after.json"))
m["sim_requests"] = a["requests"] - b["requests"]
m["sim_401"] = a["byStatus"].get("401", 0) - b["byStatus"].get("401", 0)
log = open(w + "/s2b.log").read().split()
if len(log) >= 4 and log[-4] == "requests":
    m["requests"] = int(log[-3]); m["failed"] = int(log[-1])
print(json.dumps(m, sort_keys=True))
PY
sim_stop

# 3. rate-limited at 100 requests/s
audit s3 "$work/world-rl.json" "${s3[@]}"
sim_stop

# 4. CPU and memory scaling: each size RA_BENCH_REPEAT times (default 3;
# (--quick: 1); report.py keeps the median run by CPU and shows the
# range: CPU time on a shared 2-core machine varies by 10-20 % from run to
# run)
repeat=${RA_BENCH_REPEAT:-3}
[ "$quick" = 1 ] && repeat=${RA_BENCH_REPEAT:-1}
for p in "${scale[@]}"; do
	for k in $(seq 1 "$repeat"); do
		audit "s4-$p-r$k" "$work/world.json" "$p" 5 0
		sim_stop
	done
done

machine=$(python3 - <<'PY'
import os, platform
model = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        model = line.split(":", 1)[1].strip(); break
mem = "?"
for line in open("/proc/meminfo"):
    if line.startswith("MemTotal"):
        mem = "%.1f GiB" % (int(line.split()[1]) / 1048576); break
print("%d cores (nproc), %s, %s RAM, Linux %s" % (os.cpu_count(), model, mem,
      platform.release()))
PY
)
python3 bench/report.py --runs "$work/runs.jsonl" --quick "$quick" \
    --machine "$machine" --tmpfs "$tmpbase" \
    --command "bash bench/run.sh${quick:+$([ "$quick" = 1 ] && echo ' --quick')}" \
    --facts "${RA_SHARED_DIR:-$root/../shared}/atlas-api/FACTS.md" \
    >"$results.tmp"
mv "$results.tmp" "$results"
cp "$work/runs.jsonl" "${results%.md}.jsonl"
echo "bench: results in $results" >&2
