#!/usr/bin/env bash
# test_deb.sh: the Debian package (issue 9). `cpack -G DEB` on the build
# directory (package written to a scratch directory, never installed on
# the system): the control fields (name, version, section, maintainer),
# Depends computed by dpkg-shlibdeps naming the Debian runtime library
# package of every shared library the binary links, each of them
# installed here; apt-get resolves the package's dependencies in a
# simulation (-s, no change to the system); the contents are exactly the
# binary, the templates and the manual page under /usr. Then the package
# is unpacked with `dpkg -x` into a scratch root and its binary prints its
# version and audits the simulator with the templates of that root.
set -euo pipefail
: "${RA_BUILD_DIR:?RA_BUILD_DIR must name the build directory}"
. "$(dirname "$0")/lib_sim.sh"
. "$(dirname "$0")/lib_ship.sh"

for t in cpack dpkg-deb dpkg dpkg-shlibdeps; do
	command -v "$t" >/dev/null || fail "$t missing (scripts/setup.sh installs dpkg-dev and cmake)"
done
ver=$("$RA_BIN" --version | awk '{print $2}')
cpack --config "$RA_BUILD_DIR/CPackConfig.cmake" -G DEB -B "$T/pkg" >"$T/cpack.log" 2>&1 ||
	{ cat "$T/cpack.log" >&2; fail "cpack -G DEB failed"; }
DEB=$(ls "$T"/pkg/residency-audit_"$ver"_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || fail "no residency-audit_${ver}_<arch>.deb in $(ls "$T/pkg")"
arch=$(dpkg --print-architecture)
[ "$(basename "$DEB")" = "residency-audit_${ver}_$arch.deb" ] || fail "file name $(basename "$DEB")"

field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = residency-audit ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$ver" ] || fail "Version: $(field Version), want $ver"
[ "$(field Section)" = utils ] || fail "Section: $(field Section)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
field Maintainer | grep_q -E '^[^<]+ <[^>]+@[^>]+>$' || fail "Maintainer: $(field Maintainer)"
field Description | grep_q 'MongoDB Atlas' || fail "Description: $(field Description)"
dpkg-deb -I "$DEB" | grep_q '^ Depends: ' || fail "dpkg-deb -I shows no Depends"
DEPENDS=$(field Depends)
echo "Depends: $DEPENDS"
ok "control: residency-audit $ver $arch, section utils"

# Depends: the package owning each linked library (as dpkg -S says), and
# nothing else; every one installed here; no -dev package.
deps=$(echo "$DEPENDS" | tr ',' '\n' | sed -E 's/^ *//; s/ *\(.*//; s/:.*//' | sort -u)
ldd "$RA_BIN" | awk '/=> \//{print $3}' | while read -r lib; do
	real=$(readlink -f "$lib")
	owner=$(dpkg -S "$real" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true)
	owner=${owner%%:*}
	[ -n "$owner" ] || continue
	echo "$owner"
done | sort -u >"$T/owners"
# the direct links are what dpkg-shlibdeps reads (NEEDED entries)
readelf -d "$RA_BIN" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort -u >"$T/needed"
while read -r so; do
	lib=$(ldd "$RA_BIN" | awk -v s="$so" '$1 == s {print $3}')
	[ -n "$lib" ] || fail "ldd does not resolve $so"
	owner=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib")
	owner=${owner%%:*}
	echo "$deps" | grep_q -x "$owner" || fail "links $so (package $owner) but Depends lacks $owner"
done <"$T/needed"
for p in libcurl4 libcjson1 libssl3 libxml2 libmongoc-1.0-0 libbson-1.0-0 libc6; do
	# t64 renames (Debian 13) count as the same library
	echo "$deps" | grep_q -E "^$p(t64)?\$" || fail "Depends lacks $p"
done
echo "$deps" | grep_q -- '-dev$' && fail "Depends names a -dev package"
while read -r p; do
	grep -qx "$p" "$T/owners" || fail "Depends names $p, which owns no linked library"
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep_q "install ok installed" ||
		fail "dependency $p is not installed here"
done <<<"$deps"
ok "Depends: $(echo "$deps" | tr '\n' ' ')= the owners of the linked libraries"

if command -v apt-get >/dev/null; then
	apt-get -s -o Debug::NoLocking=1 install "$DEB" >"$T/apt.log" 2>&1 ||
		{ cat "$T/apt.log" >&2; fail "apt-get -s install ./…deb cannot resolve the package"; }
	grep -qE '^Inst residency-audit ' "$T/apt.log" ||
		{ cat "$T/apt.log" >&2; fail "apt-get -s would not install residency-audit"; }
	ok "apt-get -s install ./$(basename "$DEB") resolves (simulated, nothing installed)"
fi

# contents: exactly these files
dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ {print $6}' | sort >"$T/files"
{
	echo ./usr/bin/residency-audit
	echo ./usr/share/man/man1/residency-audit.1
	for f in "$RA_SOURCE_DIR"/templates/*; do
		echo "./usr/share/residency-audit/templates/$(basename "$f")"
	done
} | sort | diff - "$T/files" >&2 || fail "unexpected package contents"
dpkg-deb -c "$DEB" | awk '$2 != "root/root" {exit 1}' || fail "files not owned by root/root"
ok "contents: the binary, the templates and the manual page under /usr, root-owned"

# unpacked into a scratch root: --version and an audit from there
R=$T/root
dpkg -x "$DEB" "$R"
mkdir "$T/cwd"
cd "$T/cwd"
[ "$("$R/usr/bin/residency-audit" --version)" = "residency-audit $ver" ] ||
	fail "unpacked --version"
if command -v man >/dev/null; then
	MANWIDTH=80 man -M "$R/usr/share/man" residency-audit 2>/dev/null | grep_q '^NAME' ||
		fail "man does not show the packaged page"
fi
printf '\n<!-- packaged template -->\n' >>"$R/usr/share/residency-audit/templates/residency-evidence.md.mustache"
ship_audit deb "$R/usr/bin/residency-audit" "$T/out" --format md,json,junit,sarif
[ "$RC" -eq 0 ] || { cat "$T/deb.stderr" >&2; fail "unpacked binary: exit $RC, want 0"; }
P=$T/out/2026-11-29
for f in residency-evidence-eu.md residency-evidence-us.json residency-audit.junit.xml \
	residency-audit.sarif SHA256SUMS; do
	[ -s "$P/$f" ] || fail "unpacked binary's pack lacks $f"
done
grep -q '<!-- packaged template -->' "$P/residency-evidence-eu.md" ||
	fail "unpacked binary did not use the package's templates"
(cd "$P" && sha256sum -c --strict --quiet SHA256SUMS) || fail "pack does not verify"
"$R/usr/bin/residency-audit" verify "$P" >"$T/verify.out" 2>&1 ||
	{ cat "$T/verify.out" >&2; fail "unpacked binary cannot verify its own pack"; }
ok "dpkg -x: --version, audit (exit 0, package templates), verify"
