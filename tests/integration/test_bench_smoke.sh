#!/bin/bash
# bench/run.sh --quick runs end to end with the built binaries and writes
# a results file with every scenario and a machine-readable twin. The
# benchmark's numbers are never asserted here (issue 7): only that each
# scenario ran, produced a complete pack and was rendered.
set -euo pipefail
T=$(mktemp -d "${TMPDIR:-/tmp}/ra-bench-smoke.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# two runs per scaling size: the median/range reduction is exercised
RA_BIN=$RA_BIN RA_SIM=$RA_SIM RA_BENCH_TMP=$T RA_BENCH_REPEAT=2 \
    bash "$RA_SOURCE_DIR/bench/run.sh" --quick --results "$T/r.md" \
    2>"$T/stderr" || { cat "$T/stderr" >&2; fail "run.sh --quick failed"; }
[ -s "$T/r.md" ] || fail "no results file"
[ -s "$T/r.jsonl" ] || fail "no runs file next to the results"
for h in "## Summary" "## 1. Latency-bound" "## 2. Against the sequential curl" \
    "## 3. Rate-limited" "## 4. CPU and memory scaling" "## Beyond one machine"; do
	grep -qF "$h" "$T/r.md" || fail "results lack '$h'"
done
grep -q "Quick smoke run" "$T/r.md" || fail "quick results not marked as such"
python3 - "$T/r.jsonl" <<'PY' || fail "runs file"
import json, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs[r["label"]] = r
want = {"s1", "s2", "s2-curl", "s3"} | \
    {"s4-%d-r%d" % (p, k) for p in (2, 5, 10) for k in (1, 2)}
missing = want - set(runs)
assert not missing, "missing runs: %s" % sorted(missing)
for k, r in runs.items():
    assert r["wall_s"] > 0, k
    if k == "s2-curl":
        assert r["failed"] == 0 and r["requests"] == runs["s2"]["requests"], r
        continue
    assert r["complete"] and r["exit"] == 0, (k, r)
    assert r["requests"] > 0 and r["sim_requests"] >= r["requests"], r
# the requests grow with the projects
assert runs["s4-2-r1"]["requests"] < runs["s4-5-r1"]["requests"] < \
    runs["s4-10-r1"]["requests"]
PY
# each size's row is one of its runs, with the range of both
grep -q "^Each size ran 2 time(s)" "$T/r.md" || fail "repeat count not shown"
python3 - "$T/r.md" "$T/r.jsonl" <<'PY' || fail "scaling rows"
import json, re, sys
md = open(sys.argv[1]).read()
runs = [json.loads(l) for l in open(sys.argv[2])]
for p in (2, 5, 10):
    cpus = sorted(r["cpu_s"] for r in runs
                  if r["label"].startswith("s4-%d-r" % p))
    row = re.search(r"^\| %d \| \d+ \|.*$" % p, md, re.M).group(0)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[6] == "%.2f-%.2f" % (cpus[0], cpus[-1]), (row, cpus)
    assert cells[5] in ["%.2f" % c for c in cpus], (row, cpus)
PY
# the scratch packs and worlds are removed
[ -z "$(ls -A "$T" | grep -v -e '^r\.md$' -e '^r\.jsonl$' -e '^stderr$')" ] ||
	fail "left behind: $(ls -A "$T")"
echo ok
