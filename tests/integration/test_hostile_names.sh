#!/usr/bin/env bash
# test_hostile_names.sh: CONTRACT §3/§4 on hostile Atlas text, end to end.
# The phase2 world is served with organisation, project, cluster and
# policy names (and a policy description and body) holding pipes,
# backticks, <script>, CR/LF, `../../etc` and `%2F`, plus an unclassified
# project whose name forges table rows; the simulator's badUtf8 fault
# prepends invalid UTF-8 to every name of the project listing and of one
# cluster listing. The run writes md, json, junit and sarif. Then:
#   - every Markdown table row has its header's number of cells (split on
#     unescaped '|'), outside fenced code;
#   - no raw `<script`/`<img` in the Markdown outside fences, none in JUnit;
#   - policy bodies sit in a fence longer than any backtick run in them;
#   - every report file is valid UTF-8 and the JSON parses;
#   - nothing is written outside the pack: listings of the output root and
#     of its parent are the same before and after, apart from the pack;
#   - every path component in the pack matches [A-Za-z0-9._-]+;
#   - SHA256SUMS verifies.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"
: "${RA_BIN:?RA_BIN must name residency-audit}"

export MONGODB_ATLAS_PUBLIC_API_KEY=demo-public
export MONGODB_ATLAS_PRIVATE_API_KEY=demo-private-key-0000
unset MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET || true

# world OUT BADUTF8(0|1)
world() {
python3 - "$RA_SOURCE_DIR/examples/worlds/phase2.json" "$1" "$2" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
org = w["orgs"][0]
org["name"] = "Sec|urity `V0` <script>alert('org')</script>"
cp, eu, us = w["projects"]
cp["name"] = "sv0|control\nplane <script>alert('cp')</script>"
eu["name"] = "../../etc/passwd"
us["name"] = "sv0-us ``` | `x|y` \\| <img src=x onerror=alert(1)>\r\n| forged | row |"
cp["clusters"][0]["name"] = "ctl|0`<b>`\n| c |"
eu["clusters"][0]["name"] = "..%2F..%2Fetc"
pol = org["resourcePolicies"]
pol[0]["name"] = "eu|only\n<script>alert('pol')</script>"
pol[0]["description"] = "```\n</details><script>x</script> | a | b |\n```"
pol[1]["name"] = "../../../tmp/us-only"
pol[1]["policies"][0]["body"] = ("// ```` <script>alert('body')</script> | x |\n"
    + pol[1]["policies"][0]["body"])
w["projects"].append({"id": "6a793feb2c88faeba59bd8f9",
    "name": "| evil | row |\n| injected | row |\n<script>alert(4)</script>",
    "orgId": org["id"], "created": "2026-06-01T09:30:00Z",
    "clusterCount": 0, "tags": [], "clusters": []})
if sys.argv[3] == "1":
    w["faults"] = [
        {"path": "/api/atlas/v2/orgs/*/groups", "badUtf8": True},
        {"path": "/api/atlas/v2/groups/6a793feb2c88faeba59bd8f8/clusters",
         "badUtf8": True}]
json.dump(w, open(sys.argv[2], "w"), indent=1)
PY
}

# listing DIR: every path under DIR but the pack, sorted.
listing() { (cd "$1" && find . -path ./out/2026-11-29 -prune -o -print | LC_ALL=C sort); }

# check_run NAME BADUTF8: audits the hostile world into $T/NAME/out and
# checks the pack.
check_run() {
# The output root sits in its own directory, next to a decoy file, so a
# write through ../ would show up in one of the two listings.
mkdir -p "$T/$1/out"
echo decoy >"$T/$1/decoy"
listing "$T/$1" >"$T/$1.before"

world "$T/$1.world.json" "$2"
sim_start "$1" --world "$T/$1.world.json"
set +e
"$RA_BIN" run -q -i "$RA_SOURCE_DIR/examples/phase2.inventory.json" \
    -o "$T/$1/out" --base-url "$BASE" --as-of 2026-11-29 --no-progress \
    --format md,json,junit,sarif 2>"$T/$1.stderr"
rc=$?
set -e
sim_stop
case $rc in 0|1|2) ;; *) cat "$T/$1.stderr" >&2; fail "run exit $rc";; esac
ok "$1: run exit $rc"
PACK=$T/$1/out/2026-11-29
[ -d "$PACK" ] || fail "no pack"

listing "$T/$1" >"$T/$1.after"
diff -u "$T/$1.before" "$T/$1.after" || fail "files appeared or vanished outside the pack"
[ "$(ls -A "$T/$1/out")" = 2026-11-29 ] || fail "output root holds more than the pack"
[ "$(cat "$T/$1/decoy")" = decoy ] || fail "decoy changed"
ok "$1: nothing written outside the pack"

(cd "$PACK" && find . -mindepth 1) | python3 -c '
import re, sys
bad = [p for p in sys.stdin.read().splitlines()
       if not all(re.fullmatch(r"[A-Za-z0-9._-]+", c) and c not in (".", "..")
                  for c in p[2:].split("/"))]
if bad:
    sys.exit("unsafe pack paths: %r" % bad[:5])
' || fail "pack path components"
ok "$1: every pack path component is [A-Za-z0-9._-]+"

(cd "$PACK" && sha256sum -c --strict --quiet SHA256SUMS) || fail "SHA256SUMS"
ok "$1: SHA256SUMS verifies"

python3 - "$PACK" "$2" <<'PY' || fail "$1: report content"
import glob, json, re, sys
pack, badutf8 = sys.argv[1], sys.argv[2] == "1"
errs = []
# Report files: valid UTF-8, JSON parses, and the hostile names made it
# into the reports (the test would prove nothing if they were dropped).
for p in sorted(glob.glob(pack + "/residency-*")):
    b = open(p, "rb").read()
    try:
        t = b.decode("utf-8")
    except UnicodeDecodeError as e:
        errs.append("%s: invalid UTF-8 at byte %d" % (p, e.start))
        continue
    if p.endswith(".json") or p.endswith(".sarif"):
        json.loads(t)
    if p.endswith(".xml") and re.search(r"<(script|img)", t, re.I):
        errs.append("%s: raw HTML tag" % p)
names, utf8_errors = set(), 0
for p in sorted(glob.glob(pack + "/residency-evidence-*.json")):
    for f in json.load(open(p, encoding="utf-8"))["findings"]:
        names.add(f["projectName"])
        names.add(f["resource"])
        if f["status"] == "ERROR" and "UTF-8" in (f["detail"] or ""):
            utf8_errors += 1
if not badutf8:
    for want in ("evil", "passwd", "forged", "ctl|0", "..%2F..%2Fetc"):
        if not any(want in (n or "") for n in names):
            errs.append("no finding names %r: hostile input not exercised" % want)
elif not utf8_errors and not any("\ufffd" in (n or "") for n in names):
    # Invalid UTF-8 in a body either fails closed (ERROR naming it) or
    # reaches the reports as U+FFFD; silently passing is neither.
    errs.append("invalid UTF-8 neither an ERROR nor U+FFFD in a name")

unescaped = re.compile(r"(?<!\\)(?:\\\\)*\|")
def cells(row):
    # Split on '|' not escaped by an odd number of backslashes.
    n, i, bs = 0, 0, 0
    for ch in row:
        if ch == "\\":
            bs += 1
            continue
        if ch == "|" and bs % 2 == 0:
            n += 1
        bs = 0
    return n

for p in sorted(glob.glob(pack + "/residency-evidence-*.md")):
    lines = open(p, encoding="utf-8").read().split("\n")
    fence = None
    header = None
    ntables = nrows = 0
    for no, line in enumerate(lines, 1):
        m = re.match(r"^(`{3,}|~{3,})", line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and line.strip() == m.group(1):
                fence = None
            continue
        if m:
            fence = m.group(1)
            # The fence must be longer than any backtick run of its body.
            body = []
            for l2 in lines[no:]:
                if l2.strip() == fence:
                    break
                body.append(l2)
            run = max((len(r) for r in re.findall(r"`+", "\n".join(body))), default=0)
            if run >= len(fence):
                errs.append("%s:%d: fence %s closed early by a run of %d" % (p, no, fence, run))
            continue
        if re.search(r"<\s*(script|img|/?details|b>)", line, re.I):
            errs.append("%s:%d: raw HTML: %r" % (p, no, line[:120]))
        if line.startswith("|"):
            if header is None:
                header = cells(line)
                ntables += 1
            elif cells(line) != header:
                errs.append("%s:%d: %d cells, header has %d: %r"
                            % (p, no, cells(line), header, line[:160]))
            nrows += 1
            if not line.rstrip().endswith("|") or line.rstrip().endswith("\\|"):
                errs.append("%s:%d: row does not end with a cell border" % (p, no))
        else:
            if header is not None and line.strip() and not line.startswith("|"):
                # A table ends at a blank line; a text line right after a
                # row is a row broken by a raw newline.
                errs.append("%s:%d: table row continued by %r" % (p, no, line[:80]))
            header = None if not line.startswith("|") else header
    if not badutf8 and (ntables < 5 or nrows < 40):
        errs.append("%s: only %d tables, %d rows" % (p, ntables, nrows))
    if fence is not None:
        errs.append("%s: unterminated fence" % p)
if errs:
    sys.stderr.write("\n".join(errs[:40]) + "\n")
    sys.exit(1)
PY
ok "$1: every Markdown table row well formed, no raw HTML, valid UTF-8"

}

check_run names 0
check_run badutf8 1
echo "test_hostile_names: all passed"
