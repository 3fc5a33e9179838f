#!/usr/bin/env bash
# test_examples_ci.sh: examples/ci (issue 9). Both files parse as YAML
# (PyYAML when present, else a structural grep) and have the gate's shape:
# GitLab artifacts:when:always with reports:junit, GitHub
# security-events:write and upload-sarif of the gate's SARIF under
# always(). The gate's shell lines (GitLab's script, GitHub's "Drift gate"
# run) are extracted and run with bash, as the CI would, in a checkout
# holding the inventory, the Terraform state and a previous pack, against
# the simulator: compliant -> exit 0; drifted world -> exit 1, the JUnit
# and SARIF still produced for upload and carrying the failure;
# RA_SOFT_FAIL=1 -> exit 0. The baseline was used (a drift section).
set -euo pipefail
: "${RA_BIN:?RA_BIN must name residency-audit}"
. "$(dirname "$0")/lib_sim.sh"
. "$(dirname "$0")/lib_ship.sh"

GL=$RA_SOURCE_DIR/examples/ci/gitlab-ci.yml
GH=$RA_SOURCE_DIR/examples/ci/github-actions.yml
[ -s "$GL" ] && [ -s "$GH" ] || fail "examples/ci files missing"

# 1. parse, check the shape, extract the gate's shell lines
if python3 -c 'import yaml' 2>/dev/null; then
	python3 - "$GL" "$GH" "$T" <<'PY'
import sys, yaml
gl = yaml.safe_load(open(sys.argv[1]))
gh = yaml.safe_load(open(sys.argv[2]))
job = gl["residency-drift-gate"]
assert job["artifacts"]["when"] == "always", "gitlab: artifacts:when:always"
assert job["artifacts"]["reports"]["junit"] == "residency-audit.junit.xml", "gitlab: reports:junit"
assert "residency-audit.sarif" in job["artifacts"]["paths"], "gitlab: sarif artifact"
assert job["rules"][0]["changes"], "gitlab: rules:changes"
open(sys.argv[3] + "/gitlab.sh", "w").write("\n".join(job["script"]) + "\n")
on = gh.get("on", gh.get(True))
assert "pull_request" in on and on["pull_request"]["paths"], "github: on pull_request paths"
assert gh["permissions"]["security-events"] == "write", "github: security-events: write"
steps = gh["jobs"]["drift-gate"]["steps"]
gate = [s for s in steps if s.get("name") == "Drift gate"][0]
up = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
assert up and up[0]["with"]["sarif_file"] == "residency-audit.sarif", "github: upload-sarif"
assert "always()" in up[0]["if"], "github: SARIF uploaded also when the gate fails"
assert gate["env"]["MONGODB_ATLAS_CLIENT_SECRET"] == "${{ secrets.MONGODB_ATLAS_CLIENT_SECRET }}", "github: secret from secrets"
open(sys.argv[3] + "/github.sh", "w").write(gate["run"])
PY
	ok "both files parse (PyYAML); gate shape: junit report, SARIF upload under always()"
else
	grep -q '^    reports:$' "$GL" && grep -q '^      junit: residency-audit.junit.xml$' "$GL" &&
		grep -q '^    when: always$' "$GL" || fail "gitlab: artifacts shape"
	grep -q 'uses: github/codeql-action/upload-sarif@' "$GH" &&
		grep -q 'security-events: write' "$GH" || fail "github: SARIF upload shape"
	if grep -qP '\t' "$GL" "$GH"; then fail "tab in YAML"; fi
	sed -n '/^  script:$/,/^  [a-z]/p' "$GL" | sed -n 's/^    - //p' >"$T/gitlab.sh"
	awk '/- name: Drift gate/ { g = 1 } g && /^        run: \|/ { r = 1; next }
		r && /^          / { sub(/^          /, ""); print; next } r { exit }' "$GH" >"$T/github.sh"
	ok "both files have the gate's shape (grep; PyYAML not installed)"
fi
for f in gitlab github; do
	grep -q -- '--format md,json,junit,sarif' "$T/$f.sh" || fail "$f: gate lacks --format md,json,junit,sarif"
	grep -q -- '--baseline' "$T/$f.sh" || fail "$f: gate lacks --baseline"
	bash -n "$T/$f.sh" || fail "$f: gate is not valid shell"
done

# 2. a checkout as the CI sees it, with a previous pack as baseline
CO=$T/checkout
mkdir -p "$CO/terraform" "$CO/bin"
cp "$INV" "$CO/residency.json"
cp -R "$(dirname "$INV")/deploy" "$CO/deploy"
cp "$RA_SOURCE_DIR/examples/terraform/terraform.tfstate" "$CO/terraform/"
ln -s "$RA_BIN" "$CO/bin/residency-audit"
ship_audit prev "$RA_BIN" "$CO/docs/compliance/evidence" --as-of 2026-10-01
[ "$RC" -eq 0 ] || { cat "$T/prev.stderr" >&2; fail "previous pack: exit $RC"; }

python3 - "$WORLD" "$T/drifted.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
for p in w["projects"]:
    for c in p.get("clusters", []):
        if c.get("name") == "data-eu-0":
            for s in c["replicationSpecs"]:
                for r in s["regionConfigs"]:
                    r["regionName"] = "US_EAST_1"
json.dump(w, open(sys.argv[2], "w"))
PY

# gate CI NAME WORLD [env...]: runs CI's gate lines in a fresh copy of the
# checkout with the env a CI job has (PATH with the tool, credentials, the
# base URL); sets RC and D (the job's directory).
gate() {
	local ci=$1 name=$2 world=$3
	shift 3
	D=$T/job-$ci-$name
	cp -R "$CO" "$D"
	sim_start "$ci-$name" --world "$world"
	set +e
	(cd "$D" && env -i PATH="$D/bin:/usr/bin:/bin" HOME="$T" CI=true \
		MONGODB_ATLAS_CLIENT_ID="$MONGODB_ATLAS_CLIENT_ID" \
		MONGODB_ATLAS_CLIENT_SECRET="$MONGODB_ATLAS_CLIENT_SECRET" \
		MONGODB_ATLAS_BASE_URL="$BASE" "$@" \
		bash -e "$T/$ci.sh") >"$T/$ci-$name.out" 2>&1
	RC=$?
	set -e
	sim_stop
}

for ci in gitlab github; do
	gate "$ci" clean "$WORLD"
	[ "$RC" -eq 0 ] || { cat "$T/$ci-clean.out" >&2; fail "$ci: compliant gate exit $RC, want 0"; }
	for f in residency-audit.junit.xml residency-audit.sarif; do
		[ -s "$D/$f" ] || fail "$ci: $f not at the upload path"
	done
	xmllint --noout "$D/residency-audit.junit.xml" || fail "$ci: JUnit is not XML"
	pyjson "$D/residency-audit.sarif" 'j["version"] == "2.1.0" and j["runs"][0]["results"] == []'
	grep -q '^## Drift since the baseline' "$D"/out/*/residency-evidence-eu.md || fail "$ci: no drift section: baseline unused"

	gate "$ci" drift "$T/drifted.json"
	[ "$RC" -eq 1 ] || { cat "$T/$ci-drift.out" >&2; fail "$ci: drifted gate exit $RC, want 1"; }
	[ -s "$D/residency-audit.junit.xml" ] && [ -s "$D/residency-audit.sarif" ] ||
		fail "$ci: failing gate left no JUnit/SARIF to upload"
	[ "$(xmllint --xpath 'count(//failure)' "$D/residency-audit.junit.xml")" -ge 1 ] ||
		fail "$ci: JUnit of the failing gate has no failure"
	pyjson "$D/residency-audit.sarif" \
		'any(r["ruleId"] == "cluster-region" and r["level"] == "error" for r in j["runs"][0]["results"])'

	gate "$ci" soft "$T/drifted.json" RA_SOFT_FAIL=1
	[ "$RC" -eq 0 ] || { cat "$T/$ci-soft.out" >&2; fail "$ci: RA_SOFT_FAIL=1 exit $RC, want 0"; }
	[ "$(xmllint --xpath 'count(//failure)' "$D/residency-audit.junit.xml")" -ge 1 ] ||
		fail "$ci: soft-fail JUnit lost the failure"
	ok "$ci gate: compliant 0, drifted 1 with JUnit failure and SARIF error, RA_SOFT_FAIL=1 0"
done
