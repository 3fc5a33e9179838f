#!/bin/sh
# quarterly-evidence.sh: the quarterly residency run (ADR-020: "refresh
# quarterly"). Audits Atlas, writes the evidence pack into a git checkout
# under docs/compliance/evidence/<YYYY-MM-DD>/ and commits it.
#
#   quarterly-evidence.sh CHECKOUT [residency-audit run options...]
#
# CHECKOUT is a git work tree holding the inventory (residency.json).
# Credentials and settings come from the environment (the systemd unit's
# EnvironmentFile, or the crontab line's `. env`):
#   MONGODB_ATLAS_CLIENT_ID/_SECRET or MONGODB_ATLAS_PUBLIC/PRIVATE_API_KEY
#   RESIDENCY_AUDIT      the binary (default: residency-audit on PATH)
#   RA_INVENTORY         the inventory, relative to CHECKOUT (residency.json)
#   RA_EVIDENCE_DIR      where packs go, relative to CHECKOUT
#                        (docs/compliance/evidence)
#
# Contract:
# - Exit status is residency-audit's (0 compliant, 1 non-compliant,
#   2 incomplete, 3 usage/credentials, 4 runtime, 130/143 interrupted), so
#   the unit or cron mail shows a failed audit; 4 also when the checkout is
#   unusable or git cannot commit.
# - A pack is committed when residency-audit wrote one (0, 1, 2): a
#   non-compliant pack is evidence too, and its commit subject says so.
#   Nothing is committed when no pack was written (3, 4, signals) or when
#   the pack does not verify with sha256sum.
# - Only the pack's directory is staged and committed; the rest of the
#   work tree and the index are left alone.
# - A pack of that date that is already committed is not audited again:
#   the script says so and exits 0. --force replaces it (a new commit,
#   if anything changed).
set -u

die() {
	echo "quarterly-evidence: $*" >&2
	exit 4
}

[ $# -ge 1 ] || die "usage: quarterly-evidence.sh CHECKOUT [residency-audit run options...]"
checkout=$1
shift
ra=${RESIDENCY_AUDIT:-residency-audit}
inventory=${RA_INVENTORY:-residency.json}
evdir=${RA_EVIDENCE_DIR:-docs/compliance/evidence}

cd "$checkout" 2>/dev/null || die "$checkout: no such directory"
top=$(git rev-parse --show-toplevel 2>/dev/null) || die "$checkout: not a git work tree"
cd "$top" || die "$top: cannot enter"
[ -f "$inventory" ] || die "$top/$inventory: no inventory"

# The pack's date: --as-of's date if given, else today (UTC), as the tool.
date=$(date -u +%Y-%m-%d)
force=0
prev=
for a in "$@"; do
	case $prev in --as-of) date=$(printf '%s' "$a" | cut -c1-10) ;; esac
	case $a in
	--as-of=*) date=$(printf '%s' "${a#--as-of=}" | cut -c1-10) ;;
	--force) force=1 ;;
	esac
	prev=$a
done
pack=$evdir/$date

# One run at a time per checkout.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$(git rev-parse --git-dir)/residency-audit.lock" || die "cannot create the lock file"
	flock -n 9 || die "$top: another run holds the lock"
fi

if [ -e "$pack" ] && [ "$force" -eq 0 ]; then
	if [ -n "$(git ls-files -- "$pack")" ] &&
	    [ -z "$(git status --porcelain -- "$pack")" ]; then
		echo "quarterly-evidence: $pack is already committed" \
		    "($(git log -1 --format=%h -- "$pack")); nothing to do" \
		    "(--force replaces it)"
		exit 0
	fi
	die "$pack exists but is not committed as is; inspect it, or pass --force"
fi

mkdir -p "$evdir" || die "$evdir: cannot create"
"$ra" run -i "$inventory" -o "$evdir" --no-progress "$@"
rc=$?
case $rc in
0) verdict="compliant" ;;
1) verdict="NON-COMPLIANT" ;;
2) verdict="INCOMPLETE" ;;
*)
	echo "quarterly-evidence: residency-audit exited $rc; no pack, nothing committed" >&2
	exit "$rc"
	;;
esac
[ -f "$pack/SHA256SUMS" ] || die "exit $rc but no pack at $pack; nothing committed"
(cd "$pack" && sha256sum -c --strict --quiet SHA256SUMS) ||
	die "$pack does not verify; nothing committed"

# The commit message: the verdict and each jurisdiction's summary line.
body=$(for f in "$pack"/residency-evidence-*.json; do
	j=${f##*/residency-evidence-}
	v=$(sed -n 's/^  "verdict": "\(.*\)",$/\1/p' "$f")
	printf '%s: %s\n' "${j%.json}" "$v"
done)
git add -A -- "$pack" || die "git add $pack failed"
if git diff --cached --quiet -- "$pack"; then
	echo "quarterly-evidence: $pack is unchanged; nothing to commit"
	exit "$rc"
fi
name=$(git config user.name || echo residency-audit)
email=$(git config user.email || echo residency-audit@localhost)
git -c user.name="$name" -c user.email="$email" commit -q \
    -m "Residency evidence $date: $verdict" \
    -m "$body" \
    -m "Written by residency-audit $("$ra" --version | cut -d' ' -f2) (exit $rc); verify with: (cd $pack && sha256sum -c --strict SHA256SUMS)" \
    -- "$pack" || die "git commit failed; the pack is staged in $top"
echo "quarterly-evidence: committed $pack ($verdict): $(git log -1 --format=%h)"
exit "$rc"
