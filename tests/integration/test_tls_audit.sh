#!/bin/bash
# The audit over HTTPS, as against real Atlas: with --cacert naming the
# test CA the run is complete and verifies offline; without it every
# request is refused by certificate verification, recorded as a transport
# error in raw/, and the verdict is "incomplete" (exit 2), never
# compliant: verification is never turned off.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"
: "${RA_BIN:?RA_BIN must name the residency-audit binary}"

W="$RA_SOURCE_DIR/examples/worlds/phase0.json"
INV="$RA_SOURCE_DIR/examples/phase0.inventory.json"
bash "$RA_SOURCE_DIR/tests/sim-ca/make-ca.sh" "$T/ca" >/dev/null 2>&1
sim_start t --world "$W" --tls-cert "$T/ca/server.pem" \
	--tls-key "$T/ca/server.key"
export MONGODB_ATLAS_PUBLIC_API_KEY=demo-public
export MONGODB_ATLAS_PRIVATE_API_KEY=demo-private-key-0000
URL="https://127.0.0.1:$PORT"

rc=0
"$RA_BIN" run -q -i "$INV" -o "$T/ok" --base-url "$URL" \
	--cacert "$T/ca/ca.pem" --as-of 2026-11-29 2>"$T/ok.err" || rc=$?
[ "$rc" = 0 ] || { cat "$T/ok.err" >&2; fail "with --cacert: exit $rc"; }
P="$T/ok/2026-11-29"
pyjson "$P/residency-evidence-eu.json" 'j["verdict"] == "compliant" and j["summary"]["PASS"] > 0 and j["summary"]["ERROR"] == 0'
python3 - "$P/raw" <<'PY' || fail "raw metadata over https"
import glob, json, sys
metas = [json.load(open(f)) for f in glob.glob(sys.argv[1] + "/*.meta.json")]
assert metas
assert all(m["url"].startswith("https://127.0.0.1:") for m in metas)
# every request was answered over TLS (the world's two 404s included)
assert all(m["status"] > 0 and m["outcome"] != "transport-error"
           for m in metas)
assert sum(m["outcome"] == "ok" for m in metas) > 30
PY
"$RA_BIN" verify "$P" >"$T/verify.out" 2>&1 || { cat "$T/verify.out" >&2; fail "verify"; }
ok "https with the CA: complete, verified"

rc=0
"$RA_BIN" run -q -i "$INV" -o "$T/bad" --base-url "$URL" \
	--as-of 2026-11-29 2>"$T/bad.err" || rc=$?
[ "$rc" = 2 ] || { cat "$T/bad.err" >&2; fail "without --cacert: exit $rc, want 2"; }
P="$T/bad/2026-11-29"
pyjson "$P/residency-evidence-eu.json" 'j["verdict"] == "incomplete" and j["summary"]["PASS"] == 0 and j["summary"]["ERROR"] > 0'
python3 - "$P/raw" <<'PY' || fail "raw metadata of refused requests"
import glob, json, sys
metas = [json.load(open(f)) for f in glob.glob(sys.argv[1] + "/*.meta.json")]
assert metas and not glob.glob(sys.argv[1] + "/*[0-9].json")
for m in metas:
    assert m["outcome"] == "transport-error" and m["status"] == 0, m
    assert "certificate" in m["error"], m["error"]
PY
ok "https without the CA: refused, incomplete, nothing passes"
