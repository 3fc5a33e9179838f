#!/bin/bash
# Failing disk (docs/RELIABILITY.md): the pack directory cannot be
# created, a write fails midway (the RA_TEST_FAIL_WRITES_AFTER seam of
# audit/util.h: root ignores file permissions), the final name is taken
# by a regular file. Each: exit 4, one line on stderr naming what failed,
# no pack and no temporary directory left, the earlier pack intact. For
# run and evaluate.
set -euo pipefail
: "${RA_BIN:?RA_BIN must name residency-audit}"
. "$(dirname "$0")/lib_sim.sh"

WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
eval "$(python3 - "$WORLD" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["credentials"]
print("export MONGODB_ATLAS_CLIENT_ID=%s" % shlex.quote(c["clientId"]))
print("export MONGODB_ATLAS_CLIENT_SECRET=%s" % shlex.quote(c["clientSecret"]))
PY
)"
unset MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PRIVATE_API_KEY RA_TEST_FAIL_WRITES_AFTER
OUT=$T/out
sim_start w --world "$WORLD"

sums() {
	(cd "$OUT" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# audit NAME OUTDIR [options]: a run into OUTDIR; sets RC, stderr in $T/NAME.err.
audit() {
	local name=$1 out=$2
	shift 2
	set +e
	"$RA_BIN" run -q -i "$INV" -o "$out" --base-url "$BASE" "$@" \
		2>"$T/$name.err" >"$T/$name.out"
	RC=$?
	set -e
}

# refused NAME DATE: exit 4, one line, nothing of DATE, no dot-dirs, the
# earlier pack as it was.
refused() {
	local name=$1 date=$2
	[ "$RC" = 4 ] || { cat "$T/$name.err" >&2; fail "$name: exit $RC, want 4"; }
	[ "$(wc -l <"$T/$name.err")" = 1 ] || { cat "$T/$name.err" >&2; fail "$name: stderr is not one line"; }
	if [ -n "$date" ] && [ -e "$OUT/$date" ]; then
		fail "$name: $OUT/$date left behind"
	fi
	if find "$OUT" -mindepth 1 -maxdepth 1 -name '.*' | grep_q .; then
		ls -la "$OUT" >&2
		fail "$name: temporary directory left under --out"
	fi
	sums >"$T/after"
	cmp -s "$T/before" "$T/after" || { diff "$T/before" "$T/after" >&2; fail "$name: earlier pack changed"; }
	ok "$name: exit 4: $(cat "$T/$name.err")"
}

audit first "$OUT" --as-of 2026-11-28
[ "$RC" = 0 ] || { cat "$T/first.err" >&2; fail "earlier pack: exit $RC"; }
sums >"$T/before"
NFILES=$(find "$OUT/2026-11-28" -type f | wc -l)
[ "$NFILES" -gt 10 ] || fail "earlier pack has only $NFILES files"

# 1. --out under a regular file: the pack directory cannot be created.
: >"$T/plainfile"
audit under-file "$T/plainfile/out" --as-of 2026-11-29
refused under-file ""
[ -f "$T/plainfile" ] && [ ! -s "$T/plainfile" ] || fail "under-file: the file was touched"
grep -q 'plainfile' "$T/under-file.err" || fail "under-file: the path is not named"

NRAW=$(find "$OUT/2026-11-28/raw" -type f | wc -l)

# 2. writes failing midway. Every file of a pack goes through
# ra_file_write(), so a pack of NFILES files takes NFILES writes: failing
# after 0 (the first raw record), 1, half, NRAW (inventory.json, after
# raw/), NRAW+1 (the first report: every later report fails too, and
# still one line), NFILES-2 (the last report) and NFILES-1 (SHA256SUMS,
# written last) must all be refused; NFILES writes succeed (the boundary
# is where the seam says).
for n in 0 1 $((NFILES / 2)) "$NRAW" $((NRAW + 1)) $((NFILES - 2)) $((NFILES - 1)); do
	RA_TEST_FAIL_WRITES_AFTER=$n audit "fail-after-$n" "$OUT" --as-of 2026-11-29
	refused "fail-after-$n" 2026-11-29
	grep -qi 'input/output error' "$T/fail-after-$n.err" || fail "fail-after-$n: the reason is not the I/O error"
done
RA_TEST_FAIL_WRITES_AFTER=$((NFILES - 1)) audit sums-last "$OUT" --as-of 2026-11-29
grep -q 'SHA256SUMS' "$T/sums-last.err" || fail "the last write is not SHA256SUMS: $(cat "$T/sums-last.err")"
rm -rf "$OUT/2026-11-29"
RA_TEST_FAIL_WRITES_AFTER=$NFILES audit fail-after-all "$OUT" --as-of 2026-11-29
[ "$RC" = 0 ] || { cat "$T/fail-after-all.err" >&2; fail "NFILES writes allowed: exit $RC"; }
[ "$(find "$OUT/2026-11-29" -type f | wc -l)" = "$NFILES" ] || fail "pack with NFILES writes is not whole"
rm -rf "$OUT/2026-11-29"
ok "a pack takes exactly $NFILES writes"

# the same under --force over the earlier pack of the same date
for n in 0 $((NFILES - 1)); do
	RA_TEST_FAIL_WRITES_AFTER=$n audit "force-fail-after-$n" "$OUT" --as-of 2026-11-28 --force
	refused "force-fail-after-$n" ""
done

# 3. the final name is taken by a regular file: with and without --force
: >"$OUT/2026-11-29"
sums >"$T/before"
audit taken "$OUT" --as-of 2026-11-29 --force
refused taken ""
[ -f "$OUT/2026-11-29" ] && [ ! -s "$OUT/2026-11-29" ] || fail "taken: the file was replaced"
audit taken-noforce "$OUT" --as-of 2026-11-29
refused taken-noforce ""
rm -f "$OUT/2026-11-29"
sums >"$T/before"

# 4. evaluate: the same seam while re-deriving a pack from the earlier one
for n in 0 $((NFILES / 2)) $((NFILES - 1)); do
	set +e
	RA_TEST_FAIL_WRITES_AFTER=$n "$RA_BIN" evaluate -q "$OUT/2026-11-28" -i "$INV" \
		-o "$OUT" --as-of 2026-11-30 2>"$T/eval-$n.err" >/dev/null
	RC=$?
	set -e
	refused "eval-$n" 2026-11-30
done
