#!/usr/bin/env bash
# test_install.sh: `cmake --install` (issue 9). Installs the build into a
# temporary prefix and checks the layout (bin/residency-audit, every
# template under share/residency-audit/templates, the manual page under
# share/man/man1, `man` finds it there), then runs the installed binary
# from another working directory with no RESIDENCY_AUDIT_TEMPLATES: its
# Markdown comes from the templates of its own prefix (a marker put into
# the installed template shows up in the report), also after the whole
# prefix is moved; --template-dir and RESIDENCY_AUDIT_TEMPLATES pick other
# directories, --template-dir first; a missing template directory is
# exit 3 with nothing written.
set -euo pipefail
: "${RA_BUILD_DIR:?RA_BUILD_DIR must name the build directory}"
. "$(dirname "$0")/lib_sim.sh"
. "$(dirname "$0")/lib_ship.sh"

P=$T/prefix
cmake --install "$RA_BUILD_DIR" --prefix "$P" >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log" >&2; fail "cmake --install failed"; }
[ -x "$P/bin/residency-audit" ] || fail "bin/residency-audit not installed"
for f in "$RA_SOURCE_DIR"/templates/*; do
	cmp -s "$f" "$P/share/residency-audit/templates/$(basename "$f")" ||
		fail "template $(basename "$f") not installed"
done
cmp -s "$RA_SOURCE_DIR/docs/residency-audit.1" "$P/share/man/man1/residency-audit.1" ||
	fail "share/man/man1/residency-audit.1 not installed"
[ ! -e "$P/bin/atlas-sim" ] || fail "the simulator is installed"
if command -v man >/dev/null; then
	MANWIDTH=80 man -M "$P/share/man" residency-audit 2>/dev/null | grep_q 'EXIT STATUS' ||
		fail "man -M PREFIX/share/man residency-audit does not show the page"
fi
ok "layout: bin, share/residency-audit/templates, share/man/man1"

mkdir "$T/elsewhere"
cd "$T/elsewhere"
ver=$("$P/bin/residency-audit" --version)
[ "$ver" = "residency-audit $("$RA_BIN" --version | awk '{print $2}')" ] ||
	fail "installed --version says \"$ver\""

# marker DIR WORD: a template directory whose report ends with WORD
marker() {
	mkdir -p "$1"
	cp "$RA_SOURCE_DIR"/templates/* "$1/"
	printf '\n<!-- template: %s -->\n' "$2" >>"$1/residency-evidence.md.mustache"
}
marker "$P/share/residency-audit/templates" from-prefix
# md_marker OUT: the marker of OUT's eu report
md_marker() {
	grep -o '<!-- template: [a-z-]* -->' "$1/2026-11-29/residency-evidence-eu.md" |
		sed 's/<!-- template: //; s/ -->//'
}

ship_audit inst "$P/bin/residency-audit" "$T/out-inst"
[ "$RC" -eq 0 ] || { cat "$T/inst.stderr" >&2; fail "installed binary: exit $RC, want 0"; }
[ "$(md_marker "$T/out-inst")" = from-prefix ] ||
	fail "installed binary did not use its prefix's templates"
[ ! -e "$T/elsewhere/evidence" ] || fail "wrote into the working directory"
(cd "$T/out-inst/2026-11-29" && sha256sum -c --strict --quiet SHA256SUMS) ||
	fail "installed binary's pack does not verify"
ok "installed binary, another cwd, no env: exit 0, prefix templates, pack verifies"

# the prefix moved as a whole: still found relative to the executable
mv "$P" "$T/moved"
P=$T/moved
ship_audit moved "$P/bin/residency-audit" "$T/out-moved"
[ "$RC" -eq 0 ] || { cat "$T/moved.stderr" >&2; fail "moved prefix: exit $RC"; }
[ "$(md_marker "$T/out-moved")" = from-prefix ] || fail "moved prefix: templates not found"
ok "relocated prefix: templates found relative to the executable"

marker "$T/tpl-flag" from-flag
marker "$T/tpl-env" from-env
ship_audit flag "$P/bin/residency-audit" "$T/out-flag" --template-dir "$T/tpl-flag"
[ "$RC" -eq 0 ] && [ "$(md_marker "$T/out-flag")" = from-flag ] ||
	fail "--template-dir not used (exit $RC)"
RESIDENCY_AUDIT_TEMPLATES=$T/tpl-env ship_audit env "$P/bin/residency-audit" "$T/out-env"
[ "$RC" -eq 0 ] && [ "$(md_marker "$T/out-env")" = from-env ] ||
	fail "RESIDENCY_AUDIT_TEMPLATES not used (exit $RC)"
RESIDENCY_AUDIT_TEMPLATES=$T/tpl-env ship_audit both "$P/bin/residency-audit" "$T/out-both" \
	--template-dir "$T/tpl-flag"
[ "$RC" -eq 0 ] && [ "$(md_marker "$T/out-both")" = from-flag ] ||
	fail "--template-dir does not take precedence over the environment"
ok "--template-dir and RESIDENCY_AUDIT_TEMPLATES choose the templates, the flag first"

set +e
"$P/bin/residency-audit" run -q -i "$INV" -o "$T/out-none" --base-url http://127.0.0.1:9 \
	--template-dir "$T/no-such-dir" 2>"$T/none.stderr"
RC=$?
set -e
[ "$RC" -eq 3 ] || fail "missing --template-dir: exit $RC, want 3"
grep -q -- "--template-dir $T/no-such-dir" "$T/none.stderr" || fail "missing --template-dir not named"
[ ! -e "$T/out-none" ] || fail "missing --template-dir wrote something"
ok "missing --template-dir: exit 3, named, nothing written"
