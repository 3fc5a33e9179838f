#!/bin/bash
# test_contract_cli.sh: CONTRACT §1 read sentence by sentence, for the
# parts no other test pins down; each case names the sentence it checks.
#  - render: "output is exactly the Mustache rendering": a partial that is
#    not found renders as the empty string (Mustache spec, partials,
#    "Failed Lookup"), exit 0, with a warning on stderr only.
#  - --as-of: "YYYY-MM-DD or RFC 3339 UTC instant": every RFC 3339 spelling
#    of a UTC instant (fractional seconds, lower-case t/z, +00:00/-00:00)
#    is accepted and written as asOf "YYYY-MM-DDThh:mm:ssZ"; other offsets,
#    local times and junk are exit 3 before anything is written.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -n "${RA_BIN:-}" ] || fail "RA_BIN not set"
[ -n "${RA_SOURCE_DIR:-}" ] || fail "RA_SOURCE_DIR not set"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# --- render: missing partial ---------------------------------------------
mkdir tpl
printf '{"x":"<v>"}' >data.json
printf 'A{{> nosuch}}B|{{x}}' >tpl/miss.mustache
"$RA_BIN" render --template tpl/miss.mustache data.json >out 2>err
rc=$?
[ "$rc" = 0 ] || fail "render, missing partial: exit $rc, want 0 ($(cat err))"
printf 'AB|&lt;v&gt;' >want
cmp -s out want || fail "render, missing partial: got '$(cat out)', want '$(cat want)'"
grep -q 'nosuch.mustache' err || fail "render, missing partial: no warning naming the file: $(cat err)"
# standalone missing partial: the whole line goes (spec: standalone tags)
printf 'a\n  {{> nosuch}}\nb' >tpl/alone.mustache
"$RA_BIN" render --template tpl/alone.mustache data.json >out 2>err ||
    fail "render, standalone missing partial: exit $? ($(cat err))"
printf 'a\nb' >want
cmp -s out want || fail "render, standalone missing partial: got '$(cat out)'"
# a partial that exists is still read from the template's directory
printf '[{{x}}]' >tpl/p.mustache
printf 'A{{> p}}B' >tpl/ok.mustache
"$RA_BIN" render --template tpl/ok.mustache data.json >out 2>err ||
    fail "render with partial: exit $?"
printf 'A[&lt;v&gt;]B' >want
cmp -s out want || fail "render with partial: got '$(cat out)'"
[ ! -s err ] || fail "render with partial: stderr not empty: $(cat err)"
# an unreadable partial (a directory) is still an error, not silence
mkdir tpl/dir.mustache
printf 'A{{> dir}}B' >tpl/dirp.mustache
"$RA_BIN" render --template tpl/dirp.mustache data.json >out 2>err
rc=$?
[ "$rc" = 3 ] || fail "render, unreadable partial: exit $rc, want 3"
[ ! -s out ] || fail "render, unreadable partial wrote stdout"

# --- --as-of: RFC 3339 UTC instants ---------------------------------------
# evaluate needs a pack: a minimal one, raw/ empty (every control that
# needs evidence is ERROR; we only read asOf and the pack's date).
pack=$work/evidence/2026-01-01
mkdir -p "$pack/raw"
cp "$RA_SOURCE_DIR/examples/phase0.inventory.json" "$pack/inventory.json"

# asof INPUT WANT_ASOF WANT_DIR
asof_ok() {
	local in=$1 want=$2 dir=$3 got
	rm -rf out-asof
	"$RA_BIN" evaluate "$pack" -q -o out-asof --format json --as-of "$in" \
	    >/dev/null 2>asof.err
	rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || [ "$rc" = 2 ] ||
	    fail "--as-of $in: exit $rc ($(cat asof.err))"
	[ -f "out-asof/$dir/residency-evidence-eu.json" ] ||
	    fail "--as-of $in: no pack under $dir: $(ls out-asof)"
	got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["asOf"])' \
	    "out-asof/$dir/residency-evidence-eu.json")
	[ "$got" = "$want" ] || fail "--as-of $in: asOf $got, want $want"
}
asof_bad() {
	rm -rf out-asof
	"$RA_BIN" evaluate "$pack" -q -o out-asof --format json --as-of "$1" \
	    >/dev/null 2>asof.err
	rc=$?
	[ "$rc" = 3 ] || fail "--as-of $1: exit $rc, want 3"
	grep -q -- '--as-of' asof.err || fail "--as-of $1: message: $(cat asof.err)"
	[ ! -e out-asof ] || fail "--as-of $1: wrote $(ls -R out-asof)"
}

asof_ok 2026-11-29 2026-11-29T00:00:00Z 2026-11-29
asof_ok 2026-11-29T10:11:12Z 2026-11-29T10:11:12Z 2026-11-29
asof_ok 2026-11-29T10:11:12.000Z 2026-11-29T10:11:12Z 2026-11-29
asof_ok 2026-11-29T23:59:59.999999Z 2026-11-29T23:59:59Z 2026-11-29
asof_ok 2026-11-29t10:11:12z 2026-11-29T10:11:12Z 2026-11-29
asof_ok 2026-11-29T10:11:12+00:00 2026-11-29T10:11:12Z 2026-11-29
asof_ok 2026-11-29T10:11:12.5-00:00 2026-11-29T10:11:12Z 2026-11-29
asof_ok 2028-02-29T00:00:00Z 2028-02-29T00:00:00Z 2028-02-29
asof_ok 2026-11-29T10:11:12.12345678901234567890Z 2026-11-29T10:11:12Z 2026-11-29

for bad in 2026-11-29T10:11:12+01:00 2026-11-29T10:11:12 2026-11-29T10:11Z \
    2026-11-29T10:11:12.Z 2026-11-29T10:11:12.5 '2026-11-29 10:11:12Z' \
    2026-11-29T10:11:12Z0 2026-11-29T10:11:12+0000 2026-11-29T10:11:12+00 \
    2026-02-29 2026-11-29T24:00:00Z 2026-13-01 +2026-11-29 2026-1-29 \
    2026-11-29T10:11:12.1a2Z 2026-11-29T10:11:12.-1Z x ''; do
	asof_bad "$bad"
done

echo "PASS: test_contract_cli"
