#!/usr/bin/env bash
# test_examples_terraform.sh: examples/terraform (issue 9). The Cedar bodies
# of the two mongodbatlas_resource_policy resources in main.tf, of the
# example terraform.tfstate and of the phase2 simulator world agree byte
# for byte (main.tf read twice: by a heredoc reader here and, when
# terraform is installed, by terraform itself on the locals block, which
# needs no provider and no network); a run with --terraform-state gives
# terraform-policy-drift PASS for every policy and exit 0; a state with one
# byte changed, or with a policy missing, gives FAIL and exit 1.
set -euo pipefail
: "${RA_BIN:?RA_BIN must name residency-audit}"
. "$(dirname "$0")/lib_sim.sh"

EX=$RA_SOURCE_DIR/examples/terraform
WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
[ -s "$EX/main.tf" ] || fail "examples/terraform/main.tf missing"
[ -s "$EX/terraform.tfstate" ] || fail "examples/terraform/terraform.tfstate missing"
[ -s "$EX/README.md" ] || fail "examples/terraform/README.md missing"

# 1. main.tf read as Terraform reads a chomp(<<-EOT ...) heredoc: the
#    smallest indentation of the non-blank lines is removed from every
#    line, then the final newline. Written to $T/tf-bodies.json as
#    {policy name: [bodies]} through each resource's name and local.
python3 - "$EX/main.tf" "$T/tf-bodies.json" <<'PY'
import json, re, sys
src = open(sys.argv[1], encoding="utf-8").read()
locs = {}
for m in re.finditer(r'^\s*(\w+)\s*=\s*chomp\(<<-(\w+)\n(.*?)\n\s*\2\n\s*\)',
        src, re.S | re.M):
    lines = m.group(3).split("\n")
    ind = min(len(l) - len(l.lstrip(" ")) for l in lines if l.strip())
    body = "\n".join(l[ind:] for l in lines)
    if "${" in body or "%{" in body:
        sys.exit("main.tf: %s interpolates; the example keeps literal text" % m.group(1))
    locs[m.group(1)] = body
out = {}
for m in re.finditer(r'^resource "mongodbatlas_resource_policy" "(\w+)" \{\n(.*?)^\}',
        src, re.S | re.M):
    blk = m.group(2)
    name = re.search(r'^\s*name\s*=\s*"([^"]+)"', blk, re.M).group(1)
    refs = re.findall(r'\{\s*body\s*=\s*local\.(\w+)\s*\}', blk)
    if not refs:
        sys.exit("main.tf: resource %s has no body = local.X" % m.group(1))
    out[name] = [locs[r] for r in refs]
if sorted(out) != ["eu-only", "us-only"]:
    sys.exit("main.tf: policies %s, want eu-only and us-only" % sorted(out))
json.dump(out, open(sys.argv[2], "w"))
PY
ok "main.tf: eu-only and us-only read from their heredocs"

# 2. the three sources agree byte for byte
python3 - "$T/tf-bodies.json" "$EX/terraform.tfstate" "$WORLD" <<'PY'
import json, sys
tf = json.load(open(sys.argv[1]))
st = json.load(open(sys.argv[2]))
w = json.load(open(sys.argv[3]))
if st.get("version") != 4:
    sys.exit("terraform.tfstate: version %r, want 4" % st.get("version"))
state = {}
for r in st["resources"]:
    if r["mode"] == "managed" and r["type"] == "mongodbatlas_resource_policy":
        for i in r["instances"]:
            a = i["attributes"]
            state[a["name"]] = [p["body"] for p in a["policies"]]
world = {}
for o in w["orgs"]:
    for rp in o.get("resourcePolicies", []):
        world[rp["name"]] = [p["body"] for p in rp["policies"]]
for what, other in (("terraform.tfstate", state), ("phase2.json", world)):
    if sorted(other) != sorted(tf):
        sys.exit("%s names %s, main.tf %s" % (what, sorted(other), sorted(tf)))
    for n in tf:
        if [b.encode() for b in other[n]] != [b.encode() for b in tf[n]]:
            sys.exit("%s: %s body differs from main.tf" % (what, n))
for n in tf:
    for b in tf[n]:
        if b.endswith("\n") or "cluster.regions" not in b:
            sys.exit("%s: body is not the Cedar text Atlas stores" % n)
PY
ok "main.tf, terraform.tfstate and phase2.json bodies are byte-identical"

# 3. terraform itself (when installed): fmt, and the locals evaluated
if command -v terraform >/dev/null 2>&1; then
	export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
	terraform fmt -check -no-color "$EX/main.tf" >/dev/null 2>&1 ||
		fail "main.tf is not terraform fmt clean"
	mkdir "$T/tf"
	python3 - "$EX/main.tf" "$T/tf/locals.tf" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
m = re.search(r'^locals \{\n.*?^\}\n', src, re.S | re.M)
names = re.findall(r'^  (\w+)\s*=\s*chomp\(', m.group(0), re.M)
outs = ", ".join("%s = local.%s" % (n, n) for n in names)
open(sys.argv[2], "w").write(m.group(0) + '\noutput "bodies" {\n  value = { %s }\n}\n' % outs)
PY
	(cd "$T/tf" && terraform init -input=false -no-color >"$T/tf.log" 2>&1 &&
		terraform apply -auto-approve -input=false -no-color >>"$T/tf.log" 2>&1 &&
		terraform output -json bodies >"$T/tf-eval.json" 2>>"$T/tf.log") ||
		{ cat "$T/tf.log" >&2; fail "terraform could not evaluate main.tf's locals"; }
	python3 - "$T/tf-eval.json" "$T/tf-bodies.json" "$EX/main.tf" <<'PY'
import json, re, sys
ev = json.load(open(sys.argv[1]))
mine = json.load(open(sys.argv[2]))
src = open(sys.argv[3]).read()
for m in re.finditer(r'"(\w+)" \{\n(.*?)^\}', src, re.S | re.M):
    name = re.search(r'^\s*name\s*=\s*"([^"]+)"', m.group(2), re.M)
    for ref in re.findall(r'body\s*=\s*local\.(\w+)', m.group(2)):
        if ev[ref] != mine[name.group(1)][0]:
            sys.exit("terraform evaluates %s differently" % ref)
PY
	ok "terraform $(terraform version -json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])') evaluates the same bodies; fmt clean"
else
	echo "skip: terraform not installed (the heredoc reader above still ran)"
fi

# 4. the drift control on the simulator
eval "$(python3 - "$WORLD" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["credentials"]
print("export MONGODB_ATLAS_CLIENT_ID=%s" % shlex.quote(c["clientId"]))
print("export MONGODB_ATLAS_CLIENT_SECRET=%s" % shlex.quote(c["clientSecret"]))
PY
)"
unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PRIVATE_API_KEY

# drift NAME STATE: runs an audit with --terraform-state STATE; sets RC and
# writes NAME.drift (one "status resource" line per drift finding, sorted).
drift() {
	local name=$1 state=$2
	sim_start "$name" --world "$WORLD"
	set +e
	"$RA_BIN" run -q -i "$INV" -o "$T/$name" --base-url "$BASE" \
		--as-of 2026-11-29 --terraform-state "$state" 2>"$T/$name.stderr"
	RC=$?
	set -e
	sim_stop
	python3 - "$T/$name/2026-11-29" >"$T/$name.drift" <<'PY'
import glob, json, sys
seen = set()
for f in glob.glob(sys.argv[1] + "/residency-evidence-*.json"):
    for x in json.load(open(f))["findings"]:
        if x["control"] == "terraform-policy-drift":
            seen.add("%s %s" % (x["status"], x["resource"]))
print("\n".join(sorted(seen)))
PY
}

drift pass "$EX/terraform.tfstate"
[ "$RC" -eq 0 ] || { cat "$T/pass.stderr" >&2; fail "run with the example state exited $RC, want 0"; }
printf 'PASS policy/eu-only\nPASS policy/us-only\n' | diff - "$T/pass.drift" >&2 ||
	fail "example state: want PASS for eu-only and us-only"
ok "--terraform-state examples/terraform/terraform.tfstate: PASS for every policy, exit 0"

# one byte of us-only changed (us-east-1 -> us-east-2), eu-only dropped
python3 - "$EX/terraform.tfstate" "$T/byte.tfstate" "$T/missing.tfstate" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
b = json.loads(json.dumps(st))
for r in b["resources"]:
    a = r["instances"][0]["attributes"]
    if a["name"] == "us-only":
        a["policies"][0]["body"] = a["policies"][0]["body"].replace("us-east-1", "us-east-2")
json.dump(b, open(sys.argv[2], "w"))
st["resources"] = [r for r in st["resources"]
                   if r["instances"][0]["attributes"]["name"] != "eu-only"]
json.dump(st, open(sys.argv[3], "w"))
PY
drift byte "$T/byte.tfstate"
[ "$RC" -eq 1 ] || fail "changed body: exit $RC, want 1"
printf 'FAIL policy/us-only\nPASS policy/eu-only\n' | diff - "$T/byte.drift" >&2 ||
	fail "changed body: want FAIL us-only, PASS eu-only"
drift missing "$T/missing.tfstate"
[ "$RC" -eq 1 ] || fail "missing policy: exit $RC, want 1"
grep -qx 'FAIL policy/eu-only' "$T/missing.drift" || fail "missing policy: no FAIL for eu-only"
ok "a one-byte change and a missing policy are FAIL, exit 1"
