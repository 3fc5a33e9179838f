#!/bin/bash
# Hostile server (docs/RELIABILITY.md, fault matrix): one audit of the
# phase2 world with a hostile fault on each of several endpoints at once,
# bounded in wall time and peak memory (/usr/bin/time -v). Each fault must
# end as ERROR for the controls that depend on that endpoint (asserted on
# the report JSON, with the detail naming the cause), the run exits 2, the
# pack is whole (SHA256SUMS), every report (JSON, Markdown, JUnit, SARIF)
# is strict UTF-8 (raw/ keeps what the server sent), and no finding is
# listed twice (a repeated page of projects is one set of projects).
set -euo pipefail
: "${RA_BIN:?RA_BIN must name residency-audit}"
. "$(dirname "$0")/lib_sim.sh"

WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
[ -x /usr/bin/time ] || fail "/usr/bin/time missing (scripts/setup.sh installs it)"
eval "$(python3 - "$WORLD" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["credentials"]
print("export MONGODB_ATLAS_CLIENT_ID=%s" % shlex.quote(c["clientId"]))
print("export MONGODB_ATLAS_CLIENT_SECRET=%s" % shlex.quote(c["clientSecret"]))
PY
)"
unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PRIVATE_API_KEY

# Projects of phase2: C control plane (eu), E data plane eu, U data plane
# us; every cluster is on AWS.
C=6a793feb2c88faeba59bd8f6
E=6a793feb2c88faeba59bd8f7
U=6a793feb2c88faeba59bd8f8
python3 - "$WORLD" "$T/w.json" "$C" "$E" "$U" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
C, E, U = sys.argv[3:6]
g = "/api/atlas/v2/groups/"
w["faults"] = [
    {"path": g + E + "/privateEndpoint/AWS/endpointService", "endless": True},
    {"path": g + C + "/privateEndpoint/AWS/endpointService", "hang": True},
    {"path": g + E + "/dataFederation", "hugeBytes": 100000000},
    {"path": g + U + "/dataFederation", "nestDepth": 10000},
    {"path": "/api/atlas/v2/orgs/*/groups", "nextLoop": True},
    {"path": g + E + "/clusters/*/onlineArchives", "nextHost": "http://203.0.113.1:1"},
    {"path": g + C + "/auditLog", "status": 429, "retryAfter": "86400"},
    {"path": g + U + "/clusters", "badUtf8": True},
]
json.dump(w, open(sys.argv[2], "w"))
PY

sim_start hostile --world "$T/w.json" --log "$T/sim.log"
set +e
/usr/bin/time -v -o "$T/time" "$RA_BIN" run -v -i "$INV" -o "$T/out" \
	--base-url "$BASE" --as-of 2026-11-29 --format md,json,junit,sarif \
	2>"$T/run.err"
RC=$?
set -e
sim_stop
PACK=$T/out/2026-11-29
[ "$RC" = 2 ] || { cat "$T/run.err" >&2; fail "exit $RC, want 2 (ERROR, no FAIL)"; }
[ -d "$PACK" ] || fail "no pack"

# Bounds. The hang and the never-ending body end at the client's low-speed
# limit (20 s, not retried); the 100 MB body is cut at the 32 MiB cap.
# Peak RSS: about 20 MB normally; sanitizer builds carry shadow memory.
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print int(s) }' "$T/time")
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/time")
rss_max=100000
LIBS=$(ldd "$RA_BIN" 2>/dev/null || true)	# not piped: pipefail and grep -q
if grep -q 'libasan' <<<"$LIBS"; then rss_max=400000; fi
[ "$secs" -lt 50 ] || fail "took $secs s (limit 50)"
[ "$rss" -lt "$rss_max" ] || fail "peak RSS $rss kB (limit $rss_max kB)"
ok "bounded: $secs s, peak RSS $rss kB (limit $rss_max kB)"

(cd "$PACK" && sha256sum -c --strict --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"

# The pack is clean text: every .json parses as strict UTF-8 JSON, the
# Markdown decodes as UTF-8, no finding appears twice.
python3 - "$PACK" <<'PY' || fail "pack text"
import json, os, sys
pack = sys.argv[1]
for root, _, files in os.walk(pack):
    for f in files:
        p = os.path.join(root, f)
        rel = os.path.relpath(p, pack)
        data = open(p, "rb").read()
        if rel.startswith("raw/"):
            continue            # evidence, kept as received (bytes)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            sys.exit("%s: not UTF-8: %s" % (rel, e))
        if f.endswith(".json"):
            json.loads(text)
for j in ("eu", "us"):
    r = json.load(open(os.path.join(pack, "residency-evidence-%s.json" % j)))
    keys = [json.dumps(f, sort_keys=True) for f in r["findings"]]
    if len(keys) != len(set(keys)):
        sys.exit("%s: %d findings listed twice" % (j, len(keys) - len(set(keys))))
PY
ok "pack verifies; JSON and Markdown are strict UTF-8; no duplicate finding"

# error FAULT JURISDICTION CONTROL PROJECT DETAIL-FRAGMENT: an ERROR finding.
error() {
	python3 - "$PACK/residency-evidence-$2.json" "$3" "$4" "$5" <<'PY' || fail "$1: no ERROR $3 for ${4: -3} naming '$5'"
import json, sys
r = json.load(open(sys.argv[1]))
ctl, proj, frag = sys.argv[2:5]
hits = [f for f in r["findings"] if f["control"] == ctl and
        (f["projectId"] or "") == proj]
if not hits:
    sys.exit("no %s finding for %s" % (ctl, proj))
bad = [f for f in hits if f["status"] != "ERROR" or frag not in (f["detail"] or "")]
for f in bad:
    sys.stderr.write("%s %s: %s\n" % (f["status"], f["resource"], f["detail"]))
if bad:
    sys.exit(1)
PY
	ok "$1: $3 ERROR ($5)"
}
# meta ENDPOINT PROJECT EXPR: the raw record of that endpoint satisfies EXPR.
meta() {
	python3 - "$PACK" "$1" "$2" "$3" <<'PY' || fail "raw record of $1 for ${2: -3}: $3"
import glob, json, sys
pack, ep, proj, expr = sys.argv[1:5]
ms = [json.loads(open(p, "rb").read().decode("utf-8", "surrogateescape"))
      for p in sorted(glob.glob(pack + "/raw/*.meta.json"))]
ms = [m for m in ms if m["endpoint"] == ep and (m["groupId"] or "") == proj]
if not ms or not all(eval(expr) for m in ms):
    sys.stderr.write(json.dumps(ms, indent=1) + "\n")
    sys.exit(1)
PY
}

error endless eu private-endpoint "$E" "Private endpoint services"
meta private-endpoints-aws "$E" 'm["outcome"] == "transport-error" and m["attempts"] == 1'
error hang eu private-endpoint "$C" "Private endpoint services"
meta private-endpoints-aws "$C" 'm["outcome"] == "transport-error" and m["attempts"] == 1'
error huge-body eu data-federation-region "$E" "too large"
meta data-federation "$E" 'm["outcome"] == "too-large" and m["body"] is None'
error nest-10000 us data-federation-region "$U" "nested deeper"
error next-loop eu project-classified "" "pagination loop"
error next-loop us project-classified "" "pagination loop"
meta org-projects "" 'len([1 for x in ms if x["outcome"] == "loop"]) == 1'
error next-host eu online-archive-region "$E" "not followed"
meta online-archives "$E" 'm["outcome"] == "not-followed"'
error retry-after-day eu audit-log-local "$C" "429"
meta audit-log "$C" 'm["attempts"] == 1 and m["retryAfter"] == "86400"'
# an invalid UTF-8 name: raw/ keeps the bytes as received (evidence), the
# reports carry U+FFFD in their place, and the cluster is judged on its
# regions like any other (the name is not the compliance question)
grep -qa $'\xff' "$PACK"/raw/*.json || fail "bad-utf8: raw/ does not keep the bytes as received"
python3 - "$PACK" <<'PY' || fail "bad-utf8: the name is not in the reports as U+FFFD"
import json, sys
pack = sys.argv[1]
r = json.load(open(pack + "/residency-evidence-us.json"))
hits = [f for f in r["findings"] if f["control"] == "cluster-region" and
        "\ufffd" in f["resource"] and "data-us-0" in f["resource"]]
if not hits or any(f["status"] not in ("PASS", "FAIL", "ERROR") for f in hits):
    sys.exit(1)
md = open(pack + "/residency-evidence-us.md", encoding="utf-8").read()
if "\ufffd" not in md:
    sys.exit("no U+FFFD in the Markdown")
PY
ok "bad-utf8: bytes kept in raw/, U+FFFD in the reports"
# the foreign origin was never asked: -v logs every request the client
# makes ("GET <url>: ..."), and none goes to 203.0.113.1
grep -q 'GET http://127.0.0.1:[0-9]*/api/atlas/v2/groups/' "$T/run.err" || fail "no request log under -v"
! grep -q 'GET [a-z]*://203\.0\.113\.1' "$T/run.err" || fail "next-host: the foreign origin was asked"
ok "next-host: the foreign origin was never asked"
