#!/usr/bin/env bash
# test_pack_atomic.sh: CONTRACT §3 "built in a temporary directory and
# renamed into place", end to end against atlas-sim:
#   - an existing pack of the same date without --force: exit 4, the pack
#     untouched (every file's path, mode and sha256 compared);
#   - with --force: replaced by the new audit (a drifted world, exit 1);
#   - a failing disk (the RA_TEST_FAIL_WRITES_AFTER seam of audit/cli.c:
#     every file write after the n-th fails with EIO) at several points of
#     the run, for a new date and with --force over the existing one:
#     exit 4, no pack of the new date, the existing pack untouched, and no
#     temporary directory left in the output root.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"
: "${RA_BIN:?RA_BIN must name residency-audit}"

export MONGODB_ATLAS_PUBLIC_API_KEY=demo-public
export MONGODB_ATLAS_PRIVATE_API_KEY=demo-private-key-0000
unset MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET \
    RA_TEST_FAIL_WRITES_AFTER || true

WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
OUT=$T/evidence

# The drifted world: data-eu-0 without PITR (one FAIL).
python3 - "$WORLD" "$T/drift.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
w["projects"][1]["clusters"][0]["pitEnabled"] = False
json.dump(w, open(sys.argv[2], "w"), indent=1)
PY

sim_start good --world "$WORLD"
GOOD=$BASE
sim_start drift --world "$T/drift.json"
DRIFT=$BASE

# run BASE DATE [args...]: one audit into $OUT; sets RC.
run() {
	local base=$1 date=$2
	shift 2
	set +e
	"$RA_BIN" run -q -i "$INV" -o "$OUT" --base-url "$base" \
	    --as-of "$date" --no-progress "$@" 2>"$T/stderr"
	RC=$?
	set -e
}

# tree DIR: path, type, mode and content digest of everything under DIR.
tree() {
	(cd "$1" && find . -printf '%y %m %p\n' | LC_ALL=C sort &&
	    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

# same_as_first: the 2026-11-29 pack is exactly the first one.
same_as_first() {
	tree "$OUT/2026-11-29" >"$T/now.tree"
	cmp -s "$T/now.tree" "$T/first.tree"
}

# only DATES...: the output root holds exactly these entries (no
# temporary directory, no half pack).
only() {
	local got want
	got=$(ls -A "$OUT" | LC_ALL=C sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "output root holds '$got', expected '$want'"
}

verdict() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' \
	    "$OUT/$1/residency-evidence-eu.json"
}

run "$GOOD" 2026-11-29
[ "$RC" = 0 ] || { cat "$T/stderr" >&2; fail "first run: exit $RC"; }
only 2026-11-29
(cd "$OUT/2026-11-29" && sha256sum -c --strict --quiet SHA256SUMS) ||
    fail "first pack: SHA256SUMS"
tree "$OUT/2026-11-29" >"$T/first.tree"
ok "first pack written"

# Same date, no --force: refused, untouched.
run "$DRIFT" 2026-11-29
[ "$RC" = 4 ] || { cat "$T/stderr" >&2; fail "existing pack: exit $RC, expected 4"; }
grep -q -- "--force" "$T/stderr" || fail "existing pack: message does not name --force"
same_as_first || fail "existing pack changed"
only 2026-11-29
ok "existing pack kept without --force (exit 4)"

# A failing disk at several points: early (raw evidence), middle, late
# (reports, SHA256SUMS). A new date must leave nothing; --force over the
# existing date must leave the old pack as it was.
nwrites=$(find "$OUT/2026-11-29" -type f | wc -l)
for n in 0 1 7 $((nwrites / 2)) $((nwrites - 4)) $((nwrites - 1)); do
	RA_TEST_FAIL_WRITES_AFTER=$n run "$GOOD" 2026-11-30
	[ "$RC" = 4 ] || { cat "$T/stderr" >&2; fail "failing disk after $n writes: exit $RC, expected 4"; }
	[ ! -e "$OUT/2026-11-30" ] || fail "failing disk after $n writes: a pack was left"
	only 2026-11-29
	RA_TEST_FAIL_WRITES_AFTER=$n run "$DRIFT" 2026-11-29 --force
	[ "$RC" = 4 ] || { cat "$T/stderr" >&2; fail "failing disk after $n writes, --force: exit $RC, expected 4"; }
	same_as_first ||
	    fail "failing disk after $n writes, --force: the existing pack changed"
	only 2026-11-29
done
ok "failing disk (n = 0 .. $((nwrites - 1)) of $nwrites writes): exit 4, nothing left, earlier pack intact"

# The seam must not be a no-op: with enough writes allowed the run works.
RA_TEST_FAIL_WRITES_AFTER=$((nwrites + 50)) run "$GOOD" 2026-11-30
[ "$RC" = 0 ] || { cat "$T/stderr" >&2; fail "seam with room to spare: exit $RC"; }
only 2026-11-29 2026-11-30
ok "seam with room to spare: pack written"

# --force replaces the pack with the new audit.
run "$DRIFT" 2026-11-29 --force
[ "$RC" = 1 ] || { cat "$T/stderr" >&2; fail "--force: exit $RC, expected 1"; }
[ "$(verdict 2026-11-29)" = non-compliant ] || fail "--force: pack not replaced"
(cd "$OUT/2026-11-29" && sha256sum -c --strict --quiet SHA256SUMS) ||
    fail "--force: SHA256SUMS"
same_as_first && fail "--force: tree unchanged"
[ "$(verdict 2026-11-30)" = compliant ] || fail "--force touched another date"
only 2026-11-29 2026-11-30
ok "--force replaces the pack atomically"

echo "test_pack_atomic: all passed"
