#!/bin/bash
# TLS with a CA generated at test time: curl --cacert succeeds, without it
# verification fails; links in envelopes say https.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

bash "$RA_SOURCE_DIR/tests/sim-ca/make-ca.sh" "$T/ca"
sim_start t --world "$RA_SOURCE_DIR/examples/worlds/phase0.json" \
	--tls-cert "$T/ca/server.pem" --tls-key "$T/ca/server.key"
URL="https://127.0.0.1:$PORT/api/atlas/v2/groups/6a793feb2c88faeba59bd801/clusters"
code=$(curl -s --cacert "$T/ca/ca.pem" "${DIGEST[@]}" -H "$(accept 2024-08-05)" -o "$T/body" -w '%{http_code}' "$URL")
[ "$code" = 200 ] || fail "with the CA: $code"
pyjson "$T/body" 'j["links"][0]["href"].startswith("https://127.0.0.1:")'
rc=0
curl -s "${DIGEST[@]}" -H "$(accept 2024-08-05)" -o /dev/null "$URL" || rc=$?
[ "$rc" = 60 ] || fail "without the CA curl exited $rc, want 60 (certificate problem)"
rc=0
curl -s --cacert "$T/ca/ca.pem" -o /dev/null "http://127.0.0.1:$PORT/" || rc=$?
[ "$rc" != 0 ] || fail "plain http answered on the TLS port"
ok "TLS with the test CA"
