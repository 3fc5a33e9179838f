/* sim_digest.c: see sim_digest.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sim_digest.h"

#define NONCES	4096	/* nonces remembered; the oldest is recycled */

struct nonce {
	char	 value[33];
	time_t	 issued;
	unsigned long last_nc;
};

static struct nonce	table[NONCES];
static size_t		next_slot;
static pthread_mutex_t	lock = PTHREAD_MUTEX_INITIALIZER;

static void
hexify(const unsigned char *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void
sim_digest_challenge(char *out, size_t outsz, const char *realm, int sha256,
    int stale)
{
	unsigned char rnd[16];
	struct nonce *n;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		abort();
	pthread_mutex_lock(&lock);
	n = &table[next_slot++ % NONCES];
	hexify(rnd, sizeof(rnd), n->value);
	n->issued = time(NULL);
	n->last_nc = 0;
	snprintf(out, outsz, "Digest realm=\"%s\", qop=\"auth\", "
	    "algorithm=%s, nonce=\"%s\", opaque=\"atlas-sim-opaque\"%s",
	    realm, sha256 ? "SHA-256" : "MD5", n->value,
	    stale ? ", stale=true" : "");
	pthread_mutex_unlock(&lock);
}

/* Copies the value of `key` (quoted or token) from a Digest header. */
static int
param(const char *h, const char *key, char *out, size_t outsz)
{
	size_t klen = strlen(key);
	const char *p = h;

	while (*p != '\0') {
		const char *start;
		size_t n = 0;
		int match;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		start = p;
		while (*p != '\0' && *p != '=' && *p != ',')
			p++;
		if (*p != '=')
			return -1;
		match = (size_t)(p - start) == klen &&
		    strncasecmp(start, key, klen) == 0;
		p++;
		if (*p == '"') {
			p++;
			while (*p != '\0' && *p != '"') {
				if (*p == '\\' && p[1] != '\0')
					p++;
				if (match && n + 1 < outsz)
					out[n++] = *p;
				p++;
			}
			if (*p != '"')
				return -1;
			p++;
		} else {
			while (*p != '\0' && *p != ',' && *p != ' ') {
				if (match && n + 1 < outsz)
					out[n++] = *p;
				p++;
			}
		}
		if (match) {
			out[n] = '\0';
			return 0;
		}
	}
	return -1;
}

static void
hash_hex(const EVP_MD *md, const char *s, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(s, strlen(s), d, &n, md, NULL);
	hexify(d, n, out);
}

enum sim_digest_result
sim_digest_check(const char *hdr, const char *method, const char *realm,
    const char *user, const char *password)
{
	char username[256], hrealm[128], nonce[64], uri[2048], response[130],
	    qop[16], nc[16], cnonce[256], alg[32], ha1[130], ha2[130],
	    want[130], buf[4096];
	const EVP_MD *md;
	unsigned long ncv;
	char *end;
	enum sim_digest_result res = SIM_DIGEST_STALE;

	if (param(hdr, "username", username, sizeof(username)) != 0 ||
	    param(hdr, "realm", hrealm, sizeof(hrealm)) != 0 ||
	    param(hdr, "nonce", nonce, sizeof(nonce)) != 0 ||
	    param(hdr, "uri", uri, sizeof(uri)) != 0 ||
	    param(hdr, "response", response, sizeof(response)) != 0 ||
	    param(hdr, "qop", qop, sizeof(qop)) != 0 ||
	    param(hdr, "nc", nc, sizeof(nc)) != 0 ||
	    param(hdr, "cnonce", cnonce, sizeof(cnonce)) != 0)
		return SIM_DIGEST_BAD;
	if (param(hdr, "algorithm", alg, sizeof(alg)) != 0)
		snprintf(alg, sizeof(alg), "MD5");
	if (strcasecmp(alg, "MD5") == 0)
		md = EVP_md5();
	else if (strcasecmp(alg, "SHA-256") == 0)
		md = EVP_sha256();
	else
		return SIM_DIGEST_BAD;
	if (strcmp(username, user) != 0 || strcmp(hrealm, realm) != 0 ||
	    strcmp(qop, "auth") != 0)
		return SIM_DIGEST_BAD;
	ncv = strtoul(nc, &end, 16);
	if (*end != '\0' || ncv == 0)
		return SIM_DIGEST_BAD;

	snprintf(buf, sizeof(buf), "%s:%s:%s", user, realm, password);
	hash_hex(md, buf, ha1);
	snprintf(buf, sizeof(buf), "%s:%s", method, uri);
	hash_hex(md, buf, ha2);
	snprintf(buf, sizeof(buf), "%s:%s:%s:%s:%s:%s", ha1, nonce, nc, cnonce,
	    qop, ha2);
	hash_hex(md, buf, want);
	if (strlen(want) != strlen(response) ||
	    CRYPTO_memcmp(want, response, strlen(want)) != 0)
		return SIM_DIGEST_BAD;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < NONCES; i++) {
		struct nonce *n = &table[i];

		if (strcmp(n->value, nonce) != 0)
			continue;
		if (time(NULL) - n->issued <= SIM_DIGEST_NONCE_TTL &&
		    ncv > n->last_nc) {
			n->last_nc = ncv;
			res = SIM_DIGEST_OK;
		}
		break;
	}
	pthread_mutex_unlock(&lock);
	return res;
}
