#!/usr/bin/env bash
# curl-baseline.sh URLS OUTDIR: the sequential baseline of bench/run.sh,
# written the way teams script the Atlas Admin API today: one `curl`
# process per GET, HTTP Digest with the API key, one request at a time,
# following each listing's `next` link until there is none.
#
# URLS has one "accept<TAB>url" line per GET (bench/measure.py --urls
# writes it from an audit's raw/*.meta.json, so both clients make the
# same requests). Credentials come from MONGODB_ATLAS_PUBLIC_API_KEY and
# MONGODB_ATLAS_PRIVATE_API_KEY and reach curl through a config on a pipe,
# never the command line. Bodies go to OUTDIR/<n>.json. Prints
# "requests N failed M" and exits 1 when any GET failed.
set -euo pipefail
urls=$1 out=$2
mkdir -p "$out"
: "${MONGODB_ATLAS_PUBLIC_API_KEY:?}" "${MONGODB_ATLAS_PRIVATE_API_KEY:?}"

n=0 failed=0
get() {	# get ACCEPT URL: one GET, then its next pages
	local accept=$1 url=$2 code next
	while [ -n "$url" ]; do
		n=$((n + 1))
		code=$(printf 'user = "%s:%s"\n' "$MONGODB_ATLAS_PUBLIC_API_KEY" \
		    "$MONGODB_ATLAS_PRIVATE_API_KEY" |
		    curl -sS --digest -K - -H "Accept: $accept" \
		    -o "$out/$n.json" -w '%{http_code}' "$url") || code=000
		# Atlas answers 400/404 for resources a cluster does not have;
		# the audit records those too, so only transport errors and 5xx
		# count as failures here.
		case $code in
		000|5*) failed=$((failed + 1)); return ;;
		esac
		next=""
		if [ "$code" = 200 ]; then
			next=$(jq -r 'if type == "object" then
			    (.links // [])[] | select(.rel == "next") | .href
			    else empty end' "$out/$n.json" 2>/dev/null | head -n 1)
		fi
		url=$next
	done
}

while IFS=$'\t' read -r accept url; do
	[ -n "$url" ] || continue
	get "$accept" "$url"
done <"$urls"
echo "requests $n failed $failed"
[ "$failed" -eq 0 ]
