#!/usr/bin/env bash
# test_verify_sign.sh: a pack signed with Ed25519 (run --sign) and one
# signed with ECDSA P-256 (evaluate --sign) verify with stock openssl and
# sha256sum alone, and with `residency-audit verify --pubkey`; one
# flipped byte in a raw file, a report, SHA256SUMS, the signature or the
# attestation, an extra file and a missing file each make verify fail
# (exit 1) naming the file; usage errors are exit 3.
set -euo pipefail
: "${RA_BIN:?}"
. "$RA_SOURCE_DIR/tests/integration/lib_sim.sh"
WORLD=$RA_SOURCE_DIR/examples/worlds/phase2.json
INV=$RA_SOURCE_DIR/examples/phase2.inventory.json
export MONGODB_ATLAS_PUBLIC_API_KEY=demo-public
export MONGODB_ATLAS_PRIVATE_API_KEY=demo-private-key-0000
unset MONGODB_ATLAS_CLIENT_ID MONGODB_ATLAS_CLIENT_SECRET
# --concurrency 4: under heavy load, many concurrent HTTP Digest requests
# intermittently got a 401 (digest nonce) at the default concurrency;
# that is the collector's and simulator's subject, not this test's.

openssl genpkey -algorithm ed25519 -out "$T/ed.pem" 2>/dev/null
openssl pkey -in "$T/ed.pem" -pubout -out "$T/ed.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/p256.pem" 2>/dev/null
openssl pkey -in "$T/p256.pem" -pubout -out "$T/p256.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$T/p384.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$T/rsa.pem" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub"

# Unusable keys are exit 3 before any network I/O (no simulator running).
for k in p384 rsa; do
	set +e
	"$RA_BIN" run -q -i "$INV" -o "$T/nokey" --base-url http://127.0.0.1:9 \
		--as-of 2026-11-29 --sign "$T/$k.pem" 2>"$T/err"
	rc=$?
	set -e
	[ "$rc" = 3 ] || fail "$k key: exit $rc, want 3"
	grep -q "unsupported key type" "$T/err" || fail "$k key: $(cat "$T/err")"
	[ ! -e "$T/nokey" ] || fail "$k key: a pack directory was created"
done
echo garbage >"$T/garbage.pem"
set +e
"$RA_BIN" run -q -i "$INV" -o "$T/nokey" --base-url http://127.0.0.1:9 \
	--sign "$T/garbage.pem" 2>"$T/err"
rc=$?
set -e
[ "$rc" = 3 ] && grep -q "garbage.pem: not an unencrypted PEM private key" "$T/err" \
	|| fail "garbage key: exit $rc: $(cat "$T/err")"
ok "unusable keys refused with exit 3"

sim_start sim --world "$WORLD"
set +e
"$RA_BIN" run -q -i "$INV" -o "$T/out" --base-url "$BASE" --concurrency 4 --as-of 2026-11-29 \
	--sign "$T/ed.pem" 2>"$T/run.err"
rc=$?
set -e
[ "$rc" -le 2 ] || fail "run --sign: exit $rc: $(cat "$T/run.err") $(tail -5 "$T/sim.err")"
sim_stop
P=$T/out/2026-11-29
[ -s "$P/SHA256SUMS.sig" ] && [ -s "$P/attestation.dsse.json" ] || fail "no signature files"
[ "$(stat -c %s "$P/SHA256SUMS.sig")" = 64 ] || fail "Ed25519 signature is not 64 bytes"

# Stock tools only, from the pack directory (docs/VERIFYING.md).
stock_verify() { # DIR PUB KIND
	local d=$1 pub=$2 kind=$3 pt=application/vnd.in-toto+json
	(cd "$d" && sha256sum -c --strict --quiet SHA256SUMS) || return 1
	if [ "$kind" = ed25519 ]; then
		openssl pkeyutl -verify -pubin -inkey "$pub" -rawin \
			-in "$d/SHA256SUMS" -sigfile "$d/SHA256SUMS.sig" >/dev/null || return 1
	else
		openssl dgst -sha256 -verify "$pub" -signature "$d/SHA256SUMS.sig" \
			"$d/SHA256SUMS" >/dev/null || return 1
	fi
	python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["payload"])' \
		"$d/attestation.dsse.json" | base64 -d >"$T/stmt.json"
	python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["signatures"][0]["sig"])' \
		"$d/attestation.dsse.json" | base64 -d >"$T/att.sig"
	{ printf 'DSSEv1 %d %s %d ' ${#pt} "$pt" "$(wc -c <"$T/stmt.json")"; cat "$T/stmt.json"; } >"$T/pae.bin"
	if [ "$kind" = ed25519 ]; then
		openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -in "$T/pae.bin" \
			-sigfile "$T/att.sig" >/dev/null || return 1
	else
		openssl dgst -sha256 -verify "$pub" -signature "$T/att.sig" \
			"$T/pae.bin" >/dev/null || return 1
	fi
	# subjects == SHA256SUMS, keyid == sha256 of the public key DER
	python3 - "$T/stmt.json" "$d/SHA256SUMS" <<'PY' || return 1
import json, sys
st = json.load(open(sys.argv[1]))
assert st["_type"] == "https://in-toto.io/Statement/v1"
assert st["predicateType"] == "https://residency-audit.dev/evidence-pack/v1"
sums = [(l[66:], l[:64]) for l in open(sys.argv[2]).read().splitlines()]
subj = [(s["name"], s["digest"]["sha256"]) for s in st["subject"]]
assert subj == sums, "subjects differ from SHA256SUMS"
p = st["predicate"]
assert p["tool"]["name"] == "residency-audit"
assert p["asOf"] == "2026-11-29T00:00:00Z"
assert p["orgId"] == "65f1c0a2e4b0d81a2c3e4f50"
assert p["inventoryDigest"].startswith("sha256:")
assert any(e["id"] == "clusters" and e["version"] for e in p["endpoints"])
PY
	local kid
	kid=$(openssl pkey -pubin -in "$pub" -outform DER | sha256sum | cut -c1-64)
	grep -q "\"keyid\": \"$kid\"" "$d/attestation.dsse.json" || return 1
}
stock_verify "$P" "$T/ed.pub" ed25519 || fail "Ed25519 pack: stock verification failed"
ok "Ed25519 pack verifies with openssl and sha256sum"

out=$("$RA_BIN" verify "$P" --pubkey "$T/ed.pub") || fail "verify: exit $?"
echo "$out" | grep -Eq '^verified: [0-9]+ files, [1-9][0-9]* findings re-derived, signature ok$' \
	|| fail "verify output: $out"
ok "residency-audit verify: $out"

# ECDSA P-256 through evaluate --sign (offline, from the same raw/).
"$RA_BIN" evaluate -q "$P" -o "$T/ec" --as-of 2026-11-29 --sign "$T/p256.pem" || [ $? -le 2 ] \
	|| fail "evaluate --sign"
E=$T/ec/2026-11-29
stock_verify "$E" "$T/p256.pub" ecdsa || fail "P-256 pack: stock verification failed"
"$RA_BIN" verify "$E" --pubkey "$T/p256.pub" >/dev/null || fail "verify P-256 pack"
ok "P-256 pack verifies with openssl, sha256sum and verify"

# expect_fail PACK WANT [verify args...]: exit 1 and a message naming WANT.
expect_fail() {
	local d=$1 want=$2 rc
	shift 2
	set +e
	"$RA_BIN" verify "$d" "$@" >"$T/vout" 2>"$T/verr"
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "$want: verify exit $rc, want 1: $(cat "$T/verr")"
	grep -qF -- "$want" "$T/verr" || fail "$want: message does not name it: $(cat "$T/verr")"
	[ ! -s "$T/vout" ] || fail "$want: verify printed on stdout"
}

# fresh: a pristine copy of the signed pack in $T/c
fresh() { rm -rf "$T/c"; cp -a "$P" "$T/c"; }
flip() { # FILE OFFSET: xor one byte
	python3 - "$1" "$2" <<'PY'
import sys
p, off = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, 'rb').read())
off = off % len(b)
b[off] ^= 0x01
open(p, 'wb').write(bytes(b))
PY
}

# One flipped byte in each raw file (body and meta), in turn.
n=0
for f in $(cd "$P" && ls raw | head -n 40); do
	fresh
	flip "$T/c/raw/$f" 7
	expect_fail "$T/c" "raw/$f" --pubkey "$T/ed.pub"
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "too few raw files ($n)"
ok "a flipped byte in each of $n raw files is caught and named"

for f in residency-evidence-eu.json residency-evidence-us.md inventory.json; do
	fresh
	flip "$T/c/$f" 100
	expect_fail "$T/c" "$f" --pubkey "$T/ed.pub"
done
fresh; flip "$T/c/SHA256SUMS" 3; expect_fail "$T/c" "SHA256SUMS" --pubkey "$T/ed.pub"
fresh; flip "$T/c/SHA256SUMS.sig" 10; expect_fail "$T/c" "SHA256SUMS.sig" --pubkey "$T/ed.pub"
fresh; flip "$T/c/attestation.dsse.json" 200; expect_fail "$T/c" "attestation.dsse.json" --pubkey "$T/ed.pub"
fresh; expect_fail "$T/c" "SHA256SUMS.sig" --pubkey "$T/other.pub"
ok "reports, inventory, SHA256SUMS, signature and attestation tampering caught"

fresh; echo extra >"$T/c/raw/99999.json"; expect_fail "$T/c" "raw/99999.json" --pubkey "$T/ed.pub"
fresh; echo extra >"$T/c/notes.txt"; expect_fail "$T/c" "notes.txt" --pubkey "$T/ed.pub"
fresh; rm "$T/c/raw/00001.meta.json"; expect_fail "$T/c" "raw/00001.meta.json" --pubkey "$T/ed.pub"
fresh; rm "$T/c/SHA256SUMS.sig"; expect_fail "$T/c" "SHA256SUMS.sig" --pubkey "$T/ed.pub"
ok "extra and missing files caught"

# A report whose finding was edited and whose digests were recomputed
# (no signature): the re-evaluation catches it and names the finding.
fresh
rm "$T/c/SHA256SUMS.sig" "$T/c/attestation.dsse.json"
python3 - "$T/c/residency-evidence-eu.json" <<'PY'
import json, sys
p = sys.argv[1]
r = json.load(open(p))
for f in r["findings"]:
    if f["control"] == "cluster-region" and f["status"] == "PASS":
        f["observed"] = "aws:eu-west-1 (edited)"
        break
else:
    raise SystemExit("no PASS cluster-region finding")
open(p, "w").write(json.dumps(r, indent=2) + "\n")
PY
(cd "$T/c" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort \
	| xargs sha256sum >SHA256SUMS)
expect_fail "$T/c" "residency-evidence-eu.json: finding"
grep -q "cluster-region.*observed" "$T/verr" || fail "edited finding not named: $(cat "$T/verr")"
ok "an edited finding with recomputed digests is caught by re-evaluation"

# Usage: signed pack without --pubkey, no PACK, unknown option: exit 3.
for args in "$P" "" "--bogus $P"; do
	set +e
	# shellcheck disable=SC2086
	"$RA_BIN" verify $args >/dev/null 2>"$T/err"
	rc=$?
	set -e
	[ "$rc" = 3 ] || fail "verify $args: exit $rc, want 3"
done
ok "verify usage errors are exit 3"
