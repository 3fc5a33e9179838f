#!/bin/bash
# make-ca.sh DIR: a throwaway test CA and a server certificate for
# 127.0.0.1 / localhost, generated at test time (no key is ever committed).
# Writes DIR/ca.pem, DIR/ca.key, DIR/server.pem, DIR/server.key.
set -euo pipefail
dir=${1:?usage: make-ca.sh DIR}
mkdir -p "$dir"
cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout ca.key -out ca.pem -days 2 -subj "/CN=atlas-sim test CA" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	"basicConstraints=CA:FALSE" "keyUsage=digitalSignature" \
	"extendedKeyUsage=serverAuth" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
	-out server.pem -days 2 -extfile server.ext 2>/dev/null
rm -f server.csr server.ext ca.srl
chmod 600 ca.key server.key
