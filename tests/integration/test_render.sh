#!/bin/bash
# test_render.sh: `residency-audit render` end to end (CONTRACT §1):
# exact output with no newline added, partials from the template's
# directory, both escape modes, stdin, and every failure path with its
# exit code (3 usage/template/JSON, 4 write failure) and a one-line
# message naming the file. Path traversal through a partial name must
# fail without reading the file outside.
set -u
grep_q() { local rc=0; grep -q "$@" || rc=$?; cat >/dev/null; return $rc; }
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -n "${RA_BIN:-}" ] || fail "RA_BIN not set"
help=$("$RA_BIN" render --help 2>&1)
if printf '%s' "$help" | grep_q -i 'unknown command'; then
	echo "SKIP: residency-audit does not dispatch render yet"
	exit 0
fi
printf '%s' "$help" | grep_q -- '--template' || fail "render --help: $help"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tpl" "$work/out"
cd "$work" || exit 1

# expect CODE OUTFILE ARGS...: run render, check the exit code, keep
# stdout in OUTFILE and stderr in OUTFILE.err.
expect() {
	local want=$1 of=$2 got
	shift 2
	"$RA_BIN" render "$@" >"$of" 2>"$of.err"
	got=$?
	[ "$got" = "$want" ] || fail "render $*: exit $got, want $want ($(cat "$of.err"))"
}

cat >report.json <<'JSON'
{ "org": "Acme <GmbH>", "verdict": "FAIL",
  "projects": [
    { "name": "a|b", "status": "PASS" },
    { "name": "evil`x`\n| injected | row |", "status": "FAIL" },
    { "name": "[x](javascript:alert(1))", "status": "ERROR" } ],
  "count": 3, "ratio": 0.25 }
JSON

printf '# {{org}}\n{{! a comment }}\nverdict {{verdict}} ({{count}}, {{ratio}})\n| name | status |\n|---|---|\n{{#projects}}\n{{> row}}\n{{/projects}}\nend' >tpl/main.mustache
printf '| {{name}} | {{status}} |\n' >tpl/row.mustache

# 1. HTML escaping (default): exact bytes, no newline added at the end.
expect 0 out/html --template tpl/main.mustache report.json
printf '# Acme &lt;GmbH&gt;\nverdict FAIL (3, 0.25)\n| name | status |\n|---|---|\n| a|b | PASS |\n| evil`x`\n| injected | row | | FAIL |\n| [x](javascript:alert(1)) | ERROR |\nend' >want.html
cmp out/html want.html || fail "html output differs: $(cat out/html)"
[ ! -s out/html.err ] || fail "stderr not empty: $(cat out/html.err)"

# 2. Markdown escaping: every row keeps exactly two cells.
expect 0 out/md --escape markdown --template=tpl/main.mustache report.json
printf '# Acme &lt;GmbH&gt;\nverdict FAIL (3, 0.25)\n| name | status |\n|---|---|\n| a\\|b | PASS |\n| evil\\`x\\` \\| injected \\| row \\| | FAIL |\n| \\[x\\](javascript:alert(1)) | ERROR |\nend' >want.md
cmp out/md want.md || fail "markdown output differs: $(cat out/md)"
rows=$(grep -c '^| ' out/md)
[ "$rows" = 4 ] || fail "markdown: $rows table lines, want 4"
while IFS= read -r line; do
	case $line in
	'| '*) cells=$(printf '%s' "$line" | sed 's/\\|//g' | tr -cd '|' | wc -c)
	       [ "$cells" = 3 ] || fail "markdown row broken: $line" ;;
	esac
done <out/md

# 3. JSON from stdin, option after the operand, "--".
expect 0 out/stdin --template tpl/row.mustache - <<<'{"name":"n","status":"s"}'
printf '| n | s |\n' | cmp - out/stdin || fail "stdin output: $(cat out/stdin)"
printf '{{.}}' >tpl/root.mustache
expect 0 out/dd --template tpl/root.mustache -- report.json
grep -q '"org":"Acme <GmbH>"' out/dd && fail "root object must be escaped"
grep -q '&quot;org&quot;:&quot;Acme &lt;GmbH&gt;&quot;' out/dd || fail "root as JSON: $(cat out/dd)"

# 4. A partial name cannot leave the template's directory.
printf 'SECRET' >secret.mustache
for name in ../secret /etc/passwd .. 'a b'; do
	printf 'x {{> %s}}' "$name" >tpl/trav.mustache
	expect 3 out/trav --template tpl/trav.mustache report.json
	[ ! -s out/trav ] || fail "traversal '$name' wrote stdout: $(cat out/trav)"
	grep -q 'not a safe file name' out/trav.err || fail "traversal '$name': $(cat out/trav.err)"
	[ "$(wc -l <out/trav.err)" = 1 ] || fail "message not one line: $(cat out/trav.err)"
done

# 5. A missing partial renders empty (Mustache spec, "Failed Lookup"),
#    with a warning naming the file on stderr.
printf '<{{> nosuch}}>' >tpl/miss.mustache
expect 0 out/miss --template tpl/miss.mustache report.json
[ "$(cat out/miss)" = "<>" ] || fail "missing partial: output $(cat out/miss)"
grep -q 'nosuch.mustache' out/miss.err || fail "missing partial: $(cat out/miss.err)"

# 6. Bad template: message names the file, line and column.
printf 'ok\n{{#projects}}\n' >tpl/bad.mustache
expect 3 out/bad --template tpl/bad.mustache report.json
grep -q 'tpl/bad.mustache: line 2, column 1: unclosed section' out/bad.err || fail "bad template: $(cat out/bad.err)"
[ ! -s out/bad ] || fail "bad template wrote stdout"
printf 'a {{= x =}}' >tpl/delim.mustache
expect 3 out/delim --template tpl/delim.mustache report.json
grep -q 'line 1, column 3: bad delimiter' out/delim.err || fail "bad delimiter: $(cat out/delim.err)"

# 7. Bad or missing JSON, missing template.
printf '{"a": [1, 2' >bad.json
expect 3 out/bj --template tpl/main.mustache bad.json
grep -q 'bad.json: not valid JSON' out/bj.err || fail "bad json: $(cat out/bj.err)"
expect 3 out/nj --template tpl/main.mustache nosuch.json
grep -q 'nosuch.json: cannot read JSON' out/nj.err || fail "missing json: $(cat out/nj.err)"
expect 3 out/nt --template tpl/nosuch.mustache report.json
grep -q 'tpl/nosuch.mustache: cannot read template' out/nt.err || fail "missing template: $(cat out/nt.err)"

# 8. Usage errors.
expect 3 out/u1 report.json
expect 3 out/u2 --template tpl/main.mustache
expect 3 out/u3 --template tpl/main.mustache --escape latex report.json
expect 3 out/u4 --template tpl/main.mustache --bogus report.json
expect 3 out/u5 --template tpl/main.mustache report.json report.json
expect 3 out/u6 --template
for f in u1 u2 u3 u4 u5 u6; do [ ! -s out/$f ] || fail "$f wrote stdout"; done

# 9. Write failure is exit 4.
if [ -w /dev/full ]; then
	"$RA_BIN" render --template tpl/main.mustache report.json >/dev/full 2>out/full.err
	rc=$?
	[ "$rc" = 4 ] || fail "write to /dev/full: exit $rc"
	grep -q 'stdout: write failed' out/full.err || fail "full: $(cat out/full.err)"
fi

# 10. A template in the tree, when there is one, renders against a
# sample report without error.
for t in "${RA_SOURCE_DIR:-/nonexistent}"/templates/*.mustache; do
	[ -f "$t" ] || continue
	"$RA_BIN" render --escape markdown --template "$t" report.json >/dev/null 2>out/tree.err ||
		fail "$t: $(cat out/tree.err)"
done

echo "ok"
