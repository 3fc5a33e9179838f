#!/usr/bin/env bash
# test_examples_cron.sh: examples/cron (issue 9). The systemd units pass
# `systemd-analyze verify` (when installed; a broken OnCalendar= is caught)
# and the timer fires at the start of each quarter; the crontab line runs
# quarterly; quarterly-evidence.sh, run as the crontab line runs it (sh,
# env file sourced with set -a) against the simulator in a temporary git
# checkout: the pack lands in docs/compliance/evidence/<today>/, verifies,
# and is committed alone (other changes of the work tree stay
# uncommitted); a second run the same day makes no commit and says why;
# a credential failure passes exit 3 through and commits nothing; a
# non-compliant world commits its pack with NON-COMPLIANT and exits 1.
set -euo pipefail
: "${RA_BIN:?RA_BIN must name residency-audit}"
. "$(dirname "$0")/lib_sim.sh"
. "$(dirname "$0")/lib_ship.sh"

EX=$RA_SOURCE_DIR/examples/cron
SCRIPT=$EX/quarterly-evidence.sh
for f in residency-audit.service residency-audit.timer crontab quarterly-evidence.sh; do
	[ -s "$EX/$f" ] || fail "examples/cron/$f missing"
done
[ -x "$SCRIPT" ] || fail "quarterly-evidence.sh is not executable"

# 1. the units
grep -qx 'Persistent=true' "$EX/residency-audit.timer" || fail "timer: Persistent=true missing"
for k in 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateTmp=yes' \
	'ReadWritePaths=/var/lib/residency-audit/compliance' 'EnvironmentFile=/etc/residency-audit/env' \
	'ExecStart=/usr/local/lib/residency-audit/quarterly-evidence.sh /var/lib/residency-audit/compliance'; do
	grep -qxF "$k" "$EX/residency-audit.service" || fail "service: $k missing"
done
cal=$(sed -n 's/^OnCalendar=//p' "$EX/residency-audit.timer")
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$T/units" "$T/man/man1"
	cp "$RA_SOURCE_DIR/docs/residency-audit.1" "$T/man/man1/"
	# ExecStart must exist for verify: point it at the script of the tree
	sed "s#/usr/local/lib/residency-audit/quarterly-evidence.sh#$SCRIPT#" \
		"$EX/residency-audit.service" >"$T/units/residency-audit.service"
	cp "$EX/residency-audit.timer" "$T/units/"
	MANPATH=$T/man systemd-analyze verify "$T/units/residency-audit.service" \
		"$T/units/residency-audit.timer" >"$T/verify.log" 2>&1 ||
		{ cat "$T/verify.log" >&2; fail "systemd-analyze verify"; }
	[ ! -s "$T/verify.log" ] || { cat "$T/verify.log" >&2; fail "systemd-analyze verify warns"; }
	# the check can fail: a broken calendar is refused
	sed -i 's/^OnCalendar=.*/OnCalendar=quarterly at three/' "$T/units/residency-audit.timer"
	! MANPATH=$T/man systemd-analyze verify "$T/units/residency-audit.timer" >/dev/null 2>&1 ||
		fail "systemd-analyze verify accepts a broken OnCalendar="
	systemd-analyze calendar --iterations 4 "$cal" >"$T/cal.txt" 2>&1 || fail "OnCalendar=$cal"
	grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC' "$T/cal.txt" | cut -c6- | sort >"$T/when"
	printf '%s\n' "01-01 03:00:00 UTC" "04-01 03:00:00 UTC" "07-01 03:00:00 UTC" \
		"10-01 03:00:00 UTC" | diff - "$T/when" >&2 || fail "the timer is not quarterly"
	ok "systemd-analyze verify: service and timer; OnCalendar fires on 01-01, 04-01, 07-01, 10-01 03:00 UTC"
else
	echo "skip: systemd-analyze not installed; units checked by grep only"
fi
line=$(grep -vE '^(#|[A-Z_]+=|$)' "$EX/crontab")
[ "$(echo "$line" | wc -l)" -eq 1 ] || fail "crontab: want exactly one job line"
[ "$(echo "$line" | awk '{print $1,$2,$3,$4,$5,$6}')" = "0 3 1 1,4,7,10 * residency-audit" ] ||
	fail "crontab: not the first day of each quarter at 03:00 as residency-audit"
grep -qx 'CRON_TZ=UTC' "$EX/crontab" || fail "crontab: CRON_TZ=UTC missing"
ok "crontab: one quarterly line"

# 2. the crontab's command against the simulator in a git checkout. The
#    command is taken from the crontab (fields 7-), with the install
#    paths replaced by the test's.
REPO=$T/compliance
git init -q "$REPO"
git -C "$REPO" config user.name "Compliance Bot"
git -C "$REPO" config user.email "bot@example.com"
cp "$INV" "$REPO/residency.json"
# the inventory's deployments[].envFile paths are relative to it
cp -R "$(dirname "$INV")/deploy" "$REPO/deploy"
echo "# compliance" >"$REPO/README.md"
git -C "$REPO" add residency.json README.md deploy
git -C "$REPO" commit -q -m "initial"
ENVF=$T/env
CMD=$(echo "$line" | cut -d' ' -f7- |
	sed "s#/etc/residency-audit/env#$ENVF#; s#/usr/local/lib/residency-audit/quarterly-evidence.sh#$SCRIPT#; s#/var/lib/residency-audit/compliance#$REPO#")
today=$(date -u +%Y-%m-%d)
PACKDIR=$REPO/docs/compliance/evidence/$today
commits() { git -C "$REPO" rev-list --count HEAD; }

# cronrun NAME WORLD [extra env lines]: the env file as an operator writes
# it, then the crontab command under sh; sets RC, output in $T/NAME.out.
cronrun() {
	local name=$1 world=$2
	shift 2
	sim_start "$name" --world "$world"
	{
		echo "MONGODB_ATLAS_CLIENT_ID=$MONGODB_ATLAS_CLIENT_ID"
		echo "MONGODB_ATLAS_CLIENT_SECRET=$MONGODB_ATLAS_CLIENT_SECRET"
		echo "MONGODB_ATLAS_BASE_URL=$BASE"
		echo "RESIDENCY_AUDIT=$RA_BIN"
		printf '%s\n' "$@"
	} >"$ENVF"
	set +e
	env -i PATH="$PATH" HOME="$T" sh -c "$CMD" >"$T/$name.out" 2>&1
	RC=$?
	set -e
	sim_stop
}

echo "uncommitted change" >>"$REPO/README.md"
n0=$(commits)
cronrun first "$WORLD"
[ "$RC" -eq 0 ] || { cat "$T/first.out" >&2; fail "first run: exit $RC, want 0"; }
[ -s "$PACKDIR/SHA256SUMS" ] || fail "no pack at docs/compliance/evidence/$today"
(cd "$PACKDIR" && sha256sum -c --strict --quiet SHA256SUMS) || fail "committed pack does not verify"
[ "$(commits)" -eq $((n0 + 1)) ] || fail "first run: $(($(commits) - n0)) commits, want 1"
git -C "$REPO" log -1 --format=%s | grep_q -x "Residency evidence $today: compliant" ||
	fail "commit subject: $(git -C "$REPO" log -1 --format=%s)"
git -C "$REPO" log -1 --format=%b | grep_q -x 'eu: compliant' || fail "commit body lacks eu: compliant"
git -C "$REPO" show --name-only --format= HEAD | grep -v "^docs/compliance/evidence/$today/" &&
	fail "the commit holds files outside the pack"
[ -z "$(git -C "$REPO" status --porcelain -- docs)" ] || fail "pack left uncommitted files"
git -C "$REPO" status --porcelain -- README.md | grep_q '^ M' ||
	fail "the unrelated README change was committed or lost"
# via a file: under pipefail, grep -q quitting early fails git with SIGPIPE
git -C "$REPO" ls-files "docs/compliance/evidence/$today" >"$T/ls-files"
grep -q '^docs/compliance/evidence/.*/raw/' "$T/ls-files" ||
	fail "raw/ not committed"
ok "crontab command: pack in docs/compliance/evidence/$today, verified, committed alone"

cronrun second "$WORLD"
[ "$RC" -eq 0 ] || { cat "$T/second.out" >&2; fail "second run: exit $RC, want 0"; }
[ "$(commits)" -eq $((n0 + 1)) ] || fail "second run the same day made a commit"
grep -q "already committed" "$T/second.out" || { cat "$T/second.out" >&2; fail "second run does not say why"; }
ok "second run the same day: no commit, says \"$(head -1 "$T/second.out")\""

# 3. a failed run (bad credentials, exit 3): exit passed through, no commit
cronrun badcreds "$WORLD" "RA_EVIDENCE_DIR=docs/other" "MONGODB_ATLAS_CLIENT_ID=" \
	"MONGODB_ATLAS_CLIENT_SECRET="
[ "$RC" -eq 3 ] || { cat "$T/badcreds.out" >&2; fail "no credentials: exit $RC, want 3"; }
[ "$(commits)" -eq $((n0 + 1)) ] || fail "a failed run committed"
[ -z "$(ls -A "$REPO/docs/other" 2>/dev/null)" ] || fail "a failed run left files"
grep -q "nothing committed" "$T/badcreds.out" || fail "failed run does not say nothing was committed"
ok "failed run: exit 3 passed through, nothing committed"

# 4. a non-compliant world, another date: committed, flagged, exit 1
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
CMD="$CMD --as-of 2026-10-01"
cronrun drift "$T/drifted.json"
[ "$RC" -eq 1 ] || { cat "$T/drift.out" >&2; fail "non-compliant run: exit $RC, want 1"; }
[ "$(commits)" -eq $((n0 + 2)) ] || fail "non-compliant pack not committed"
git -C "$REPO" log -1 --format=%s | grep_q -x "Residency evidence 2026-10-01: NON-COMPLIANT" ||
	fail "commit subject: $(git -C "$REPO" log -1 --format=%s)"
git -C "$REPO" log -1 --format=%b | grep_q -x 'eu: non-compliant' || fail "commit body lacks eu: non-compliant"
ok "non-compliant: pack committed as NON-COMPLIANT, exit 1 passed through"
