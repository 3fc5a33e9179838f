#!/usr/bin/env bash
# test_manpage.sh: docs/residency-audit.1 (issue 9). The page renders
# without a warning (groff -ww, man --warnings, mandoc -Tlint when
# installed), whatis can read its NAME line, it has every section a
# manual page of a command needs, its version is the binary's, and its
# OPTIONS are exactly the long options of the --help texts (residency-audit
# --help and each command's --help): none missing on either side. Every
# option of run's getopt table (audit/runopts.c) is documented.
set -euo pipefail
# grep -q that drains its input, so the writer of a pipe never dies of
# SIGPIPE (which `set -o pipefail` would turn into a failure).
grep_q() { local rc=0; grep -q "$@" || rc=$?; cat >/dev/null; return $rc; }
: "${RA_BIN:?RA_BIN must name residency-audit}"
: "${RA_SOURCE_DIR:?RA_SOURCE_DIR must name the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/ra-man.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

PAGE=$RA_SOURCE_DIR/docs/residency-audit.1
[ -s "$PAGE" ] || fail "docs/residency-audit.1 missing"
export LC_ALL=C.UTF-8 MANWIDTH=80

# 1. renders without warnings
command -v groff >/dev/null || fail "groff missing (scripts/setup.sh installs groff-base)"
groff -man -Tutf8 -ww -z "$PAGE" 2>"$T/groff.err"
[ ! -s "$T/groff.err" ] || { cat "$T/groff.err" >&2; fail "groff warns"; }
if command -v man >/dev/null; then
	man --warnings -E UTF-8 -l "$PAGE" >"$T/page.txt" 2>"$T/man.err"
	[ ! -s "$T/man.err" ] || { cat "$T/man.err" >&2; fail "man -l warns"; }
	ok "man -l and groff -ww render without warnings"
else
	groff -man -Tutf8 "$PAGE" | col -bx >"$T/page.txt"
	ok "groff -ww renders without warnings (man not installed)"
fi
if command -v mandoc >/dev/null; then
	mandoc -Tlint -Wwarning "$PAGE" >"$T/mandoc.err" 2>&1 ||
		{ cat "$T/mandoc.err" >&2; fail "mandoc -Tlint warns"; }
	ok "mandoc -Tlint clean"
fi
if command -v lexgrog >/dev/null; then
	lexgrog "$PAGE" | grep_q ': "residency-audit - ' ||
		fail "lexgrog cannot read the NAME line (whatis/apropos would miss it)"
fi

# 2. sections, version, exit codes, environment
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS ENVIRONMENT FILES \
	"EXIT STATUS" EXAMPLES "SEE ALSO"; do
	grep -qx "\.SH \"\?$s\"\?" "$PAGE" || fail "section $s missing"
done
ver=$("$RA_BIN" --version | awk '{print $2}')
grep -q "^\.TH RESIDENCY-AUDIT 1 [0-9-]* \"residency-audit $ver\"" "$PAGE" ||
	fail "the .TH line does not carry version $ver of residency-audit --version"
# section text as rendered: lines between the heading and the next heading
section() { awk -v s="$1" '/^[A-Z]/ { on = ($0 == s) } on' "$T/page.txt"; }
for c in 0 1 2 3 4 130 143; do
	section "EXIT STATUS" | grep_q -E "^ +([0-9]+, )*$c(,|\$| )" || fail "EXIT STATUS lacks $c"
done
for v in MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET \
	MONGODB_ATLAS_PUBLIC_API_KEY MONGODB_ATLAS_PRIVATE_API_KEY \
	MONGODB_ATLAS_BASE_URL RESIDENCY_AUDIT_TEMPLATES; do
	section ENVIRONMENT | grep_q "$v" || fail "ENVIRONMENT lacks $v"
done
for c in run evaluate verify render controls regions; do
	section COMMANDS | grep_q -E "^       $c( |\$)" || fail "COMMANDS lacks $c"
done
for f in SHA256SUMS inventory.json raw/ residency-audit.junit.xml residency-audit.sarif \
	attestation.dsse.json residency.json; do
	section FILES | grep_q -F "$f" || fail "FILES lacks $f"
done
section EXAMPLES | grep_q 'sha256sum -c --strict SHA256SUMS' || fail "EXAMPLES: no sha256sum check"
section EXAMPLES | grep_q 'openssl' || fail "EXAMPLES: no openssl check"
section EXAMPLES | grep_q -- '--format md,json,junit,sarif' || fail "EXAMPLES: no CI gate"
section EXAMPLES | grep_q -E '^ +0 3 1 1,4,7,10 \*' || fail "EXAMPLES: no cron line"
ok "sections, version $ver, exit codes, environment, files, examples"

# 3. the options: the OPTIONS section's tags against the --help texts
longopts() { grep -oE -- '--[a-z][a-z-]*[a-z]' | sort -u; }
awk '/^\.SH OPTIONS/ { on = 1; next } /^\.SH / { on = 0 }
	on && tp { print; tp = 0 } on && /^\.TP/ { tp = 1 }' "$PAGE" |
	sed 's/\\-/-/g' | longopts >"$T/man.opts"
{
	"$RA_BIN" --help
	"$RA_BIN" run --help
	for c in verify render controls regions; do "$RA_BIN" "$c" --help; done
} | longopts >"$T/help.opts"
[ "$(wc -l <"$T/help.opts")" -ge 20 ] || fail "only $(wc -l <"$T/help.opts") options in --help"
# Options the getopt table accepts but --help does not list yet. Each must
# be in the table and absent from --help: when --help gains it, this list
# must shrink (the check below fails until it does).
KNOWN_HELP_GAPS=()
sed -n '/longopts\[\] = {/,/^};/p' "$RA_SOURCE_DIR/audit/runopts.c" |
	grep -oE '\{ "[a-z-]+"' | sed 's/{ "/--/; s/"//' | sort -u >"$T/getopt.opts"
[ "$(wc -l <"$T/getopt.opts")" -ge 15 ] || fail "could not read runopts.c's longopts"
for g in "${KNOWN_HELP_GAPS[@]}"; do
	grep -qx -- "$g" "$T/getopt.opts" || fail "$g is in KNOWN_HELP_GAPS but not an option"
	! grep -qx -- "$g" "$T/help.opts" ||
		fail "$g is in --help now: remove it from KNOWN_HELP_GAPS"
	echo "note: $g is accepted and documented in the man page but missing from --help"
done
comm -23 "$T/help.opts" "$T/man.opts" >"$T/missing"
[ ! -s "$T/missing" ] || fail "in --help but not in the man page's OPTIONS: $(tr '\n' ' ' <"$T/missing")"
comm -13 "$T/help.opts" "$T/man.opts" | grep -vxF -f <(printf '%s\n' "${KNOWN_HELP_GAPS[@]}") \
	>"$T/extra" || true
[ ! -s "$T/extra" ] || fail "in the man page's OPTIONS but not in any --help: $(tr '\n' ' ' <"$T/extra")"
comm -23 "$T/getopt.opts" "$T/man.opts" >"$T/undoc"
[ ! -s "$T/undoc" ] || fail "accepted by run but not documented: $(tr '\n' ' ' <"$T/undoc")"
ok "man page OPTIONS = --help options ($(wc -l <"$T/man.opts") long options); every getopt option documented"
