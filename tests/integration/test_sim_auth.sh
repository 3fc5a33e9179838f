#!/bin/bash
# Both auth modes: Digest (MD5, and SHA-256 when asked) with the API key,
# OAuth client credentials with Bearer tokens that expire; wrong
# credentials are 401 ApiErrors; the request log records which auth
# succeeded and the --log file holds no secret.
set -euo pipefail
. "$(dirname "$0")/lib_sim.sh"

W="$RA_SOURCE_DIR/examples/worlds/phase0.json"
URL=/api/atlas/v2/groups/6a793feb2c88faeba59bd801/clusters
A=$(accept 2024-08-05)
# A token lives 3 s: long enough for the steps below on a loaded machine
# (python3 starts between issuing and using it), short enough to expire.
sim_start a --world "$W" --token-ttl 3 --log "$T/sim.log"

code=$(curl -s "${DIGEST[@]}" -H "$A" -o "$T/body" -w '%{http_code}' "$BASE$URL")
[ "$code" = 200 ] || fail "digest: $code"
pyjson "$T/body" 'j["results"][0]["name"] == "prod-0"'
code=$(curl -s --digest -u demo-public:wrong-private -H "$A" -o "$T/body" -w '%{http_code}' "$BASE$URL")
[ "$code" = 401 ] || fail "digest with a wrong password: $code"
pyjson "$T/body" 'j["error"] == 401 and j["reason"] == "Unauthorized"'
code=$(curl -s --digest -u someone-else:demo-private-key-0000 -H "$A" -o /dev/null -w '%{http_code}' "$BASE$URL")
[ "$code" = 401 ] || fail "digest with a wrong user: $code"
code=$(curl -s -u demo-public:demo-private-key-0000 -H "$A" -o /dev/null -w '%{http_code}' "$BASE$URL")
[ "$code" = 401 ] || fail "basic auth on the API: $code"
code=$(curl -s -H "$A" -D "$T/hdr" -o /dev/null -w '%{http_code}' "$BASE$URL")
[ "$code" = 401 ] || fail "no auth: $code"
grep -qi '^www-authenticate: Digest realm=' "$T/hdr" || fail "no digest challenge"
ok "digest"

# OAuth client credentials
tok() {
	curl -s -u "$1" -H 'Content-Type: application/x-www-form-urlencoded' \
		-H 'Accept: application/json' -d grant_type=client_credentials \
		-o "$T/tok" -w '%{http_code}' "$BASE/api/oauth/token"
}
[ "$(tok mdb_sa_id_demo:mdb_sa_sk_demo-secret)" = 200 ] || fail "token"
pyjson "$T/tok" 'j["token_type"] == "Bearer" and j["expires_in"] == 3 and len(j["access_token"]) >= 32'
TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$T/tok")
code=$(curl -s -H "Authorization: Bearer $TOKEN" -H "$A" -o "$T/body" -w '%{http_code}' "$BASE$URL")
[ "$code" = 200 ] || fail "bearer: $code"
[ "$(tok mdb_sa_id_demo:mdb_sa_sk_demo-secret)" = 200 ]
TOKEN2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$T/tok")
[ "$TOKEN" != "$TOKEN2" ] || fail "tokens are not random"
[ "$(tok mdb_sa_id_demo:wrong)" = 401 ] || fail "token with a wrong secret"
pyjson "$T/tok" 'j["error"] == 401'
code=$(curl -s -u mdb_sa_id_demo:mdb_sa_sk_demo-secret -d grant_type=password -o /dev/null -w '%{http_code}' "$BASE/api/oauth/token")
[ "$code" = 400 ] || fail "grant_type=password: $code"
code=$(curl -s -H "Authorization: Bearer not-a-token" -H "$A" -o "$T/body" -w '%{http_code}' "$BASE$URL")
[ "$code" = 401 ] || fail "unknown token: $code"
sleep 3.3
code=$(curl -s -H "Authorization: Bearer $TOKEN" -H "$A" -o /dev/null -w '%{http_code}' "$BASE$URL")
[ "$code" = 401 ] || fail "expired token: $code"
ok "oauth and expiry"

curl -s "$BASE/__sim/requests" -o "$T/req"
pyjson "$T/req" '[r["auth"] for r in j if r["status"] == 200 and r["path"].endswith("/clusters")] == ["digest", "bearer"]'
pyjson "$T/req" 'all(r["finishedAt"] >= r["startedAt"] for r in j)'
pyjson "$T/req" '[r["auth"] for r in j if r["path"] == "/api/oauth/token" and r["status"] == 200] == ["basic", "basic"]'
for secret in demo-private-key-0000 mdb_sa_sk_demo-secret "$TOKEN" "$TOKEN2"; do
	if grep -qF -- "$secret" "$T/sim.log" "$T/a.err" "$T/req"; then
		fail "a secret reached the simulator's output"
	fi
done
ok "request log and no secrets"

# SHA-256 digest when the simulator asks for it.
sim_stop
sim_start s --world "$W" --digest-alg sha256
code=$(curl -s -H "$A" -D "$T/hdr" -o /dev/null -w '%{http_code}' "$BASE$URL")
grep -qi 'algorithm=SHA-256' "$T/hdr" || fail "no SHA-256 challenge"
code=$(curl -s "${DIGEST[@]}" -H "$A" -o /dev/null -w '%{http_code}' "$BASE$URL")
[ "$code" = 200 ] || fail "digest SHA-256: $code"
ok "digest SHA-256"
