/*
 * sim_digest.h: HTTP Digest (RFC 7616, qop=auth, MD5 or SHA-256) as Atlas
 * serves it for API keys. Implemented here rather than with
 * libmicrohttpd 0.9.75's checker, which binds each nonce to the URI it
 * was issued for: a client reusing a nonce for its next request (as
 * libcurl does on a kept handle, and as a careful client should, to
 * avoid paying the challenge on every request) would be refused there,
 * which real Atlas does not do.
 *
 * A nonce is valid for SIM_DIGEST_NONCE_TTL seconds on any URI; each use
 * must carry a larger nc than the last accepted one (replay guard).
 * Thread-safe.
 */
#ifndef SIM_DIGEST_H
#define SIM_DIGEST_H

#include <stddef.h>

#define SIM_DIGEST_NONCE_TTL	300

enum sim_digest_result {
	SIM_DIGEST_OK = 0,
	SIM_DIGEST_STALE,	/* unknown/expired nonce or nc not increasing */
	SIM_DIGEST_BAD		/* wrong user, response, realm or malformed */
};

/* The WWW-Authenticate value of a challenge with a fresh nonce. */
void	sim_digest_challenge(char *out, size_t outsz, const char *realm,
	    int sha256, int stale);

/* Checks an Authorization header value (after "Digest "). */
enum sim_digest_result sim_digest_check(const char *hdr, const char *method,
	    const char *realm, const char *user, const char *password);

#endif
