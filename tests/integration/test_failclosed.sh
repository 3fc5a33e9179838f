#!/usr/bin/env bash
# test_failclosed.sh: CONTRACT §4 fail closed, end to end. The phase2
# example world is served by atlas-sim with one fault at a time:
#   403       the EU data project's auditLog is refused
#   429       encryptionAtRest of the control plane answers 429 forever
#             (Retry-After: 1), so the client gives up after its attempts
#   truncated the data-eu-0 backup schedule body is cut in half
#   lost-page the EU data project holds 501 clusters; page 1 of its
#             cluster listing (500) is served, page 2 answers 503 forever
#   enum      data-eu-0's region config says EU_MARS_1
# Each run must exit 2 (ERROR, no FAIL), write a verifiable pack, and turn
# ERROR exactly the controls that needed that evidence: the set of
# (jurisdiction, control, project, resource) that is not PASS/SKIPPED is
# compared with the expected set, and every other finding keeps the status
# it has in an unfaulted run of the same world.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"
: "${RA_BIN:?RA_BIN must name residency-audit}"

WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
export MONGODB_ATLAS_PUBLIC_API_KEY=demo-public
export MONGODB_ATLAS_PRIVATE_API_KEY=demo-private-key-0000
unset MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET || true

CP=6a793feb2c88faeba59bd8f6	# sv0-control-plane
EU=6a793feb2c88faeba59bd8f7	# sv0-data-plane-eu-prod
API=/api/atlas/v2

# world NAME PYTHON: writes $T/NAME.world.json, the phase2 world after
# PYTHON ran with `w` bound to it.
world() {
	python3 - "$WORLD" "$T/$1.world.json" "$2" <<'PY'
import copy, json, sys
w = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(w, open(sys.argv[2], "w"), indent=1)
PY
}

# audit NAME: audits $T/NAME.world.json into $T/NAME.out; sets RC.
audit() {
	sim_start "$1" --world "$T/$1.world.json"
	set +e
	"$RA_BIN" run -q -i "$INV" -o "$T/$1.out" --base-url "$BASE" \
	    --as-of 2026-11-29 --no-progress 2>"$T/$1.stderr"
	RC=$?
	set -e
	sim_stop
}

# check NAME BASELINE EXPECTED DETAIL_RE: EXPECTED is a Python list of
# (jurisdiction, control, project name or None, resource) that must be
# ERROR, with a detail matching DETAIL_RE; nothing else may be other than
# PASS/SKIPPED, and findings of other keys keep BASELINE's status.
check() {
	local name=$1 base=$2 want=$3 re=$4 pack="$T/$1.out/2026-11-29"
	[ "$RC" = 2 ] || { cat "$T/$name.stderr" >&2; fail "$name: exit $RC, expected 2"; }
	[ -d "$pack" ] || fail "$name: no pack"
	(cd "$pack" && sha256sum -c --strict --quiet SHA256SUMS) ||
	    fail "$name: SHA256SUMS"
	python3 - "$pack" "$T/$base.out/2026-11-29" "$want" "$re" <<'PY' ||
import glob, json, re, sys
pack, base, want, detail_re = sys.argv[1], sys.argv[2], eval(sys.argv[3]), sys.argv[4]

def load(d):
    out = {}
    for p in sorted(glob.glob(d + "/residency-evidence-*.json")):
        r = json.load(open(p))
        for f in r["findings"]:
            k = (r["jurisdiction"], f["control"], f["projectName"], f["resource"])
            assert k not in out, "duplicate finding %r" % (k,)
            out[k] = f
        n = {s: 0 for s in ("PASS", "FAIL", "ERROR", "WAIVED", "SKIPPED")}
        for f in r["findings"]:
            n[f["status"]] += 1
        assert r["summary"] == n, "%s: summary %r, counted %r" % (p, r["summary"], n)
        want_v = "non-compliant" if n["FAIL"] else "incomplete" if n["ERROR"] else "compliant"
        assert r["verdict"] == want_v, "%s: verdict %s" % (p, r["verdict"])
    return out

got, ref = load(pack), load(base)
bad = {k: f["status"] for k, f in got.items() if f["status"] not in ("PASS", "SKIPPED")}
want = set(want)
errs = []
for k in sorted(set(bad) | want, key=repr):
    if k not in want:
        errs.append("unexpected %s %r: %s" % (bad[k], k, got[k].get("detail")))
    elif k not in bad:
        errs.append("expected ERROR %r, got %s" % (k, got[k]["status"] if k in got else "no finding"))
    elif bad[k] != "ERROR":
        errs.append("expected ERROR %r, got %s" % (k, bad[k]))
    elif not re.search(detail_re, got[k].get("detail") or ""):
        errs.append("%r: detail %r does not match %r" % (k, got[k].get("detail"), detail_re))
for k, f in got.items():
    if k in want or k not in ref:
        continue
    if f["status"] != ref[k]["status"]:
        errs.append("%r changed %s -> %s" % (k, ref[k]["status"], f["status"]))
# Findings that vanished must belong to the expected ERROR's project.
wanted_projects = {k[2] for k in want}
for k in ref:
    if k not in got and k[2] not in wanted_projects:
        errs.append("finding %r missing" % (k,))
if errs:
    sys.stderr.write("\n".join(errs) + "\n")
    sys.exit(1)
print("%d ERROR as expected, %d findings checked" % (len(want), len(got)))
PY
	fail "$name: findings"
	ok "$name"
}

# Baselines: the unfaulted phase2 world, and phase2 with 501 clusters in
# the EU data project (the lost-page world without its fault).
CLUSTERS501='
p = w["projects"][1]
base = p["clusters"][0]
for i in range(1, 501):
    c = copy.deepcopy(base)
    c["name"] = "data-eu-%d" % i
    c["id"] = "6a7941%018x" % i
    c["_snapshots"] = []
    c["_onlineArchives"] = []
    p["clusters"].append(c)
p["clusterCount"] = len(p["clusters"])
'
world base 'pass'
audit base
[ "$RC" = 0 ] || { cat "$T/base.stderr" >&2; fail "baseline: exit $RC"; }
world base501 "$CLUSTERS501"
audit base501
[ "$RC" = 0 ] || { cat "$T/base501.stderr" >&2; fail "baseline 501: exit $RC"; }
pyjson "$T/base501.out/2026-11-29/residency-evidence-eu.json" \
    'sum(f["resource"].startswith("cluster/data-eu-") and f["control"] == "cluster-region" and f["status"] == "PASS" for f in j["findings"]) == 501'
ok "baselines compliant (501 clusters listed over two pages)"

# 403 on one project's auditLog: only that project's audit-log-local.
world f403 "w['faults'] = [{'path': '$API/groups/$EU/auditLog', 'status': 403}]"
audit f403
check f403 base "[('eu', 'audit-log-local', 'sv0-data-plane-eu-prod', 'project')]" \
    '403'

# 429 forever on encryptionAtRest: kms-region of that project's cluster.
world f429 "w['faults'] = [{'path': '$API/groups/$CP/encryptionAtRest',
    'status': 429, 'retryAfter': 1}]"
audit f429
check f429 base "[('eu', 'kms-region', 'sv0-control-plane', 'cluster/control-0')]" \
    '429 after [0-9]+ attempts'

# Truncated JSON on a backup schedule: the two controls that read it.
world trunc "w['faults'] = [{'path':
    '$API/groups/$EU/clusters/data-eu-0/backup/schedule', 'truncate': 'json'}]"
audit trunc
check trunc base "[
    ('eu', 'backup-copy-region', 'sv0-data-plane-eu-prod', 'cluster/data-eu-0'),
    ('eu', 'backup-snapshot-region', 'sv0-data-plane-eu-prod', 'cluster/data-eu-0')]" \
    'invalid JSON'

# A lost page: page 1 of the cluster listing is served (the first fault
# only adds no latency, once), page 2 answers 503 until the client gives
# up. Every control that needs the project's full cluster list is ERROR
# at the project; the project-level endpoints keep their verdicts.
world lostpage "$CLUSTERS501
path = '$API/groups/$EU/clusters'
w['faults'] = [{'path': path, 'times': 1, 'latencyMs': 0},
    {'path': path, 'status': 503}]"
audit lostpage
check lostpage base501 "[('eu', c, 'sv0-data-plane-eu-prod', 'project') for c in (
    'backup-copy-region', 'backup-pitr', 'backup-snapshot-region',
    'cluster-region', 'kms-region', 'online-archive-region',
    'private-endpoint', 'replica-members', 'search-node-region',
    'tier-minimum')]" \
    'page 2 of 2 lost'
pyjson "$T/lostpage.out/2026-11-29/residency-evidence-eu.json" \
    'not any(f["resource"].startswith("cluster/data-eu-") for f in j["findings"])'

# An unknown region enum: the controls that need the cluster's regions.
world enum "w['projects'][1]['clusters'][0]['replicationSpecs'][0]['regionConfigs'][0]['regionName'] = 'EU_MARS_1'"
audit enum
check enum base "[('eu', c, 'sv0-data-plane-eu-prod', 'cluster/data-eu-0') for c in (
    'cluster-region', 'kms-region', 'private-endpoint', 'replica-members')]" \
    'EU_MARS_1'

echo "test_failclosed: all passed"
