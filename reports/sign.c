/*
 * sign.c: --sign and the signature half of verify, with OpenSSL 3 EVP
 * only. SHA256SUMS.sig is a raw signature over the SHA256SUMS bytes
 * (Ed25519: pure, 64 bytes; ECDSA P-256: SHA-256, DER) so that stock
 * `openssl pkeyutl -verify -rawin` / `openssl dgst -sha256 -verify`
 * check it. attestation.dsse.json is a DSSE envelope around an in-toto
 * Statement v1 over the same files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "evidence.h"
#include "jsonutil.h"
#include "pack.h"
#include "util.h"

#define KEY_MAX		((size_t)64 << 10)

/* ---- base64, PAE, SHA256SUMS ---- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
ra_base64(const void *data, size_t len)
{
	const unsigned char *p = data;
	char *out = ra_malloc(4 * ((len + 2) / 3) + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		*o++ = b64[p[i] >> 2];
		*o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*o++ = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		*o++ = b64[p[i + 2] & 63];
	}
	if (i < len) {
		*o++ = b64[p[i] >> 2];
		if (i + 1 < len) {
			*o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			*o++ = b64[(p[i + 1] & 15) << 2];
		} else {
			*o++ = b64[(p[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

static int
b64val(char c)
{
	const char *p = c != '\0' ? strchr(b64, c) : NULL;

	return p != NULL ? (int)(p - b64) : -1;
}

int
ra_unbase64(unsigned char **out, size_t *outlen, const char *s)
{
	size_t n = strlen(s), o = 0;
	unsigned char *r;
	int v[4];

	*out = NULL;
	*outlen = 0;
	if (n % 4 != 0)
		return -1;
	r = ra_malloc(n / 4 * 3 + 1);
	for (size_t i = 0; i < n; i += 4) {
		int last = i + 4 == n, pad = 0;

		for (int k = 0; k < 4; k++) {
			if (s[i + k] == '=' && last && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[k] = b64val(s[i + k])) < 0)
				goto bad;
		}
		if (pad == 1 && s[i + 2] == '=')
			goto bad;
		r[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			r[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (pad < 1)
			r[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	r[o] = '\0';
	*out = r;
	*outlen = o;
	return 0;
bad:
	free(r);
	return -1;
}

char *
ra_dsse_pae(const char *type, const void *body, size_t len, size_t *outlen)
{
	char head[64 + 32];
	size_t tl = strlen(type), hl;
	char *pae;
	int n;

	/* "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body */
	n = snprintf(head, sizeof(head), "DSSEv1 %zu ", tl);
	hl = (size_t)n;
	pae = ra_malloc(hl + tl + 32 + len + 1);
	memcpy(pae, head, hl);
	memcpy(pae + hl, type, tl);
	n = snprintf(pae + hl + tl, 32, " %zu ", len);
	hl += tl + (size_t)n;
	if (len > 0)
		memcpy(pae + hl, body, len);
	pae[hl + len] = '\0';
	*outlen = hl + len;
	return pae;
}

static int
is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

/* Every '/'-separated component safe. */
static int
safe_relpath(const char *p)
{
	char *c = ra_strdup(p), *save = NULL, *t;
	int ok = *p != '\0' && p[strlen(p) - 1] != '/' && *p != '/';

	for (t = strtok_r(c, "/", &save); ok && t != NULL;
	    t = strtok_r(NULL, "/", &save))
		ok = ra_is_safe_component(t);
	if (strstr(p, "//") != NULL)
		ok = 0;
	free(c);
	return ok;
}

void
ra_sums_free(struct ra_sum *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i].path);
	free(v);
}

/* A SHA256SUMS entry's path and its index (its line less one). */
struct sum_ref {
	const char	*path;
	size_t		 idx;
};

static int
cmp_ref(const void *a, const void *b)
{
	const struct sum_ref *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The index of the first entry of v (in order) whose path an earlier
 * entry has, or n when none: by sorting, as a large org's SHA256SUMS
 * holds tens of thousands of lines.
 */
static size_t
first_repeat(const struct ra_sum *v, size_t n)
{
	struct sum_ref *r;
	size_t first = n;

	if (n < 2)
		return n;
	r = ra_calloc(n, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		r[i].path = v[i].path;
		r[i].idx = i;
	}
	qsort(r, n, sizeof(*r), cmp_ref);
	for (size_t i = 1; i < n; i++)
		if (strcmp(r[i].path, r[i - 1].path) == 0 && r[i].idx < first)
			first = r[i].idx;
	free(r);
	return first;
}

int
ra_sums_parse(struct ra_sum **out, size_t *nout, const char *text,
    size_t len, char *err, size_t errsz)
{
	struct ra_sum *v = NULL;
	size_t n = 0, cap = 0, line = 0, i = 0, d;
	int bad = 0;

	*out = NULL;
	*nout = 0;
	while (i < len) {
		const char *l = text + i, *nl = memchr(l, '\n', len - i);
		size_t ll;
		char *path;

		line++;
		if (nl == NULL) {
			snprintf(err, errsz, "SHA256SUMS: line %zu: no final "
			    "newline", line);
			bad = 1;
			break;
		}
		ll = (size_t)(nl - l);
		i += ll + 1;
		if (ll < 67 || !is_hex64(l) || l[64] != ' ' || l[65] != ' ' ||
		    memchr(l, '\0', ll) != NULL) {
			snprintf(err, errsz, "SHA256SUMS: line %zu: not "
			    "\"<sha256>  <file>\"", line);
			bad = 1;
			break;
		}
		path = ra_malloc(ll - 66 + 1);
		memcpy(path, l + 66, ll - 66);
		path[ll - 66] = '\0';
		if (!safe_relpath(path)) {
			snprintf(err, errsz, "SHA256SUMS: line %zu: unsafe file "
			    "name", line);
			free(path);
			bad = 1;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = ra_realloc(v, cap * sizeof(*v));
		}
		v[n].path = path;
		memcpy(v[n].sha256, l, 64);
		v[n].sha256[64] = '\0';
		n++;
	}
	/* Entry k is line k + 1: a repeat comes before any bad line, and
	 * is the error a line-by-line check would have stopped at. */
	if ((d = first_repeat(v, n)) < n) {
		snprintf(err, errsz, "SHA256SUMS: line %zu: %s listed twice",
		    d + 1, v[d].path);
		bad = 1;
	}
	if (bad) {
		ra_sums_free(v, n);
		return -1;
	}
	*out = v;
	*nout = n;
	return 0;
}

/* ---- keys ---- */

static void
ossl_err(char *err, size_t errsz, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[160] = "";

	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	snprintf(err, errsz, "%s%s%s", what, *buf ? ": " : "", buf);
}

static int
no_passphrase(char *buf, int size, int rw, void *u)
{
	(void)buf;
	(void)size;
	(void)rw;
	(void)u;
	return -1;
}

/* 1 Ed25519, 2 ECDSA P-256, 0 anything else. */
static int
key_kind(EVP_PKEY *pk)
{
	char group[64];
	size_t gl = 0;

	if (EVP_PKEY_is_a(pk, "ED25519"))
		return 1;
	if (EVP_PKEY_is_a(pk, "EC") &&
	    EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof(group), &gl) == 1 &&
	    (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0))
		return 2;
	return 0;
}

static EVP_PKEY *
load_key(const char *path, int public, char *err, size_t errsz)
{
	char *text = NULL;
	size_t len = 0;
	BIO *bio = NULL;
	EVP_PKEY *pk = NULL;

	if (ra_file_read(&text, &len, path, KEY_MAX) != 0) {
		snprintf(err, errsz, "%s: cannot read the key", path);
		goto out;
	}
	bio = BIO_new_mem_buf(text, (int)len);
	pk = public ? PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL) :
	    PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	if (pk == NULL) {
		char what[512];

		snprintf(what, sizeof(what), "%s: not an unencrypted PEM %s "
		    "key", path, public ? "public" : "private");
		ossl_err(err, errsz, what);
		goto out;
	}
	if (key_kind(pk) == 0) {
		snprintf(err, errsz, "%s: unsupported key type %s (use Ed25519 "
		    "or ECDSA P-256)", path, EVP_PKEY_get0_type_name(pk) ?
		    EVP_PKEY_get0_type_name(pk) : "?");
		EVP_PKEY_free(pk);
		pk = NULL;
	}
out:
	BIO_free(bio);
	if (text != NULL)
		OPENSSL_cleanse(text, len);
	free(text);
	ERR_clear_error();
	return pk;
}

int
ra_sign_check_key(const char *path, char *err, size_t errsz)
{
	EVP_PKEY *pk = load_key(path, 0, err, errsz);

	if (pk == NULL)
		return -1;
	EVP_PKEY_free(pk);
	return 0;
}

static int
do_sign(unsigned char **sig, size_t *siglen, EVP_PKEY *pk, const void *data,
    size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const EVP_MD *md = key_kind(pk) == 1 ? NULL : EVP_sha256();
	int rc = -1;

	*sig = NULL;
	if (ctx == NULL || EVP_DigestSignInit(ctx, NULL, md, NULL, pk) != 1 ||
	    EVP_DigestSign(ctx, NULL, siglen, data, len) != 1)
		goto out;
	*sig = ra_malloc(*siglen);
	if (EVP_DigestSign(ctx, *sig, siglen, data, len) != 1) {
		free(*sig);
		*sig = NULL;
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

/* 1 valid, 0 not. */
static int
do_verify(EVP_PKEY *pk, const unsigned char *sig, size_t siglen,
    const void *data, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const EVP_MD *md = key_kind(pk) == 1 ? NULL : EVP_sha256();
	int ok = 0;

	if (ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, md, NULL, pk) == 1)
		ok = EVP_DigestVerify(ctx, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

/* sha256 hex of the DER SubjectPublicKeyInfo. */
static int
key_id(EVP_PKEY *pk, char out[RA_SHA256_HEX])
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(pk, &der);

	if (n <= 0)
		return -1;
	ra_sha256_hex(der, (size_t)n, out);
	OPENSSL_free(der);
	return 0;
}

static cJSON *
statement(const struct ra_sum *sums, size_t n, const cJSON *predicate)
{
	cJSON *st, *subj, *s, *d;

	st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "_type", RA_INTOTO_STATEMENT);
	subj = cJSON_AddArrayToObject(st, "subject");
	for (size_t i = 0; i < n; i++) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "name", sums[i].path);
		d = cJSON_AddObjectToObject(s, "digest");
		cJSON_AddStringToObject(d, "sha256", sums[i].sha256);
		cJSON_AddItemToArray(subj, s);
	}
	cJSON_AddStringToObject(st, "predicateType", RA_PREDICATE_TYPE);
	cJSON_AddItemToObject(st, "predicate", predicate != NULL ?
	    cJSON_Duplicate(predicate, 1) : cJSON_CreateObject());
	return st;
}

static int
write_file(const char *dir, const char *name, const void *data, size_t len,
    char *err, size_t errsz)
{
	char *path = ra_asprintf("%s/%s", dir, name);
	int rc = ra_file_write(path, data, len);

	if (rc != 0)
		snprintf(err, errsz, "%s: cannot write", path);
	free(path);
	return rc;
}

int
ra_sign_pack(const char *dir, const char *keypath, const cJSON *predicate,
    char *err, size_t errsz)
{
	EVP_PKEY *pk = NULL;
	char *sums = NULL, *path = NULL, *stext = NULL, *payload = NULL;
	char *pae = NULL, *sigb64 = NULL, *etext = NULL;
	unsigned char *sig = NULL, *asig = NULL;
	size_t sumslen = 0, siglen = 0, asiglen = 0, paelen = 0, n = 0;
	struct ra_sum *v = NULL;
	char kid[RA_SHA256_HEX];
	cJSON *st = NULL, *env = NULL, *sa, *so;
	int rc = -1;

	if ((pk = load_key(keypath, 0, err, errsz)) == NULL)
		goto out;
	path = ra_asprintf("%s/%s", dir, RA_PACK_SUMS);
	if (ra_file_read(&sums, &sumslen, path, RA_SUMS_MAX) != 0) {
		snprintf(err, errsz, "%s: cannot read", path);
		goto out;
	}
	if (ra_sums_parse(&v, &n, sums, sumslen, err, errsz) != 0)
		goto out;
	if (do_sign(&sig, &siglen, pk, sums, sumslen) != 0 ||
	    key_id(pk, kid) != 0) {
		snprintf(err, errsz, "%s: signing failed", keypath);
		goto out;
	}
	if (write_file(dir, RA_PACK_SIG, sig, siglen, err, errsz) != 0)
		goto out;

	st = statement(v, n, predicate);
	stext = ra_json_print(st);
	pae = ra_dsse_pae(RA_DSSE_PAYLOAD_TYPE, stext, strlen(stext), &paelen);
	if (do_sign(&asig, &asiglen, pk, pae, paelen) != 0) {
		snprintf(err, errsz, "%s: signing failed", keypath);
		goto out;
	}
	payload = ra_base64(stext, strlen(stext));
	sigb64 = ra_base64(asig, asiglen);
	env = cJSON_CreateObject();
	cJSON_AddStringToObject(env, "payloadType", RA_DSSE_PAYLOAD_TYPE);
	cJSON_AddStringToObject(env, "payload", payload);
	sa = cJSON_AddArrayToObject(env, "signatures");
	so = cJSON_CreateObject();
	cJSON_AddStringToObject(so, "keyid", kid);
	cJSON_AddStringToObject(so, "sig", sigb64);
	cJSON_AddItemToArray(sa, so);
	etext = ra_json_print(env);
	if (write_file(dir, RA_PACK_ATTESTATION, etext, strlen(etext), err,
	    errsz) != 0)
		goto out;
	rc = 0;
out:
	EVP_PKEY_free(pk);
	ra_sums_free(v, n);
	cJSON_Delete(st);
	cJSON_Delete(env);
	free(sums);
	free(path);
	free(stext);
	free(payload);
	free(pae);
	free(sigb64);
	free(etext);
	free(sig);
	free(asig);
	return rc;
}

/* The statement's subjects equal the SHA256SUMS entries, in order. */
static int
subjects_match(const cJSON *st, const struct ra_sum *v, size_t n)
{
	const cJSON *subj = ra_json_arr(st, "subject"), *s;
	size_t i = 0;

	if (subj == NULL || (size_t)cJSON_GetArraySize(subj) != n)
		return 0;
	cJSON_ArrayForEach(s, subj) {
		const char *name = ra_json_str(s, "name");
		const char *d = ra_json_str(ra_json_obj(s, "digest"), "sha256");

		if (name == NULL || d == NULL || strcmp(name, v[i].path) != 0 ||
		    strcmp(d, v[i].sha256) != 0)
			return 0;
		i++;
	}
	return 1;
}

int
ra_sign_verify_pack(const char *dir, const char *pubpath, int *usage,
    char *err, size_t errsz)
{
	EVP_PKEY *pk = NULL;
	char *sums = NULL, *sig = NULL, *env = NULL, *path = NULL, *pae = NULL;
	unsigned char *payload = NULL, *asig = NULL;
	size_t sumslen = 0, siglen = 0, envlen = 0, plen = 0, alen = 0;
	size_t paelen = 0, n = 0;
	struct ra_sum *v = NULL;
	cJSON *e = NULL, *st = NULL;
	const cJSON *s;
	const char *pt;
	int rc = -1, ok = 0;

	*usage = 0;
	if ((pk = load_key(pubpath, 1, err, errsz)) == NULL) {
		*usage = 1;
		goto out;
	}
#define READ(var, lenvar, name) do {					\
	free(path);							\
	path = ra_asprintf("%s/%s", dir, name);				\
	if (ra_file_read(&var, &lenvar, path, RA_SUMS_MAX) != 0) {	\
		snprintf(err, errsz, "%s: missing or unreadable", name);\
		goto out;						\
	}								\
} while (0)
	READ(sums, sumslen, RA_PACK_SUMS);
	READ(sig, siglen, RA_PACK_SIG);
	READ(env, envlen, RA_PACK_ATTESTATION);
#undef READ
	if (!do_verify(pk, (unsigned char *)sig, siglen, sums, sumslen)) {
		snprintf(err, errsz, "%s: signature does not verify over %s "
		    "with %s", RA_PACK_SIG, RA_PACK_SUMS, pubpath);
		goto out;
	}
	if (ra_sums_parse(&v, &n, sums, sumslen, err, errsz) != 0)
		goto out;
	if ((e = ra_json_parse(env, envlen, NULL, 0)) == NULL ||
	    (pt = ra_json_str(e, "payloadType")) == NULL ||
	    strcmp(pt, RA_DSSE_PAYLOAD_TYPE) != 0 ||
	    ra_json_str(e, "payload") == NULL ||
	    ra_unbase64(&payload, &plen, ra_json_str(e, "payload")) != 0) {
		snprintf(err, errsz, "%s: not a DSSE envelope of %s",
		    RA_PACK_ATTESTATION, RA_DSSE_PAYLOAD_TYPE);
		goto out;
	}
	pae = ra_dsse_pae(pt, payload, plen, &paelen);
	cJSON_ArrayForEach(s, ra_json_arr(e, "signatures")) {
		const char *sb = ra_json_str(s, "sig");

		if (sb == NULL || ra_unbase64(&asig, &alen, sb) != 0)
			continue;
		ok = do_verify(pk, asig, alen, pae, paelen);
		free(asig);
		asig = NULL;
		if (ok)
			break;
	}
	if (!ok) {
		snprintf(err, errsz, "%s: no signature verifies with %s",
		    RA_PACK_ATTESTATION, pubpath);
		goto out;
	}
	if ((st = ra_json_parse((char *)payload, plen, NULL, 0)) == NULL ||
	    ra_json_str(st, "_type") == NULL ||
	    strcmp(ra_json_str(st, "_type"), RA_INTOTO_STATEMENT) != 0 ||
	    ra_json_str(st, "predicateType") == NULL ||
	    strcmp(ra_json_str(st, "predicateType"), RA_PREDICATE_TYPE) != 0) {
		snprintf(err, errsz, "%s: payload is not an in-toto Statement "
		    "v1 of %s", RA_PACK_ATTESTATION, RA_PREDICATE_TYPE);
		goto out;
	}
	if (!subjects_match(st, v, n)) {
		snprintf(err, errsz, "%s: subjects differ from %s",
		    RA_PACK_ATTESTATION, RA_PACK_SUMS);
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_free(pk);
	ra_sums_free(v, n);
	cJSON_Delete(e);
	cJSON_Delete(st);
	free(sums);
	free(sig);
	free(env);
	free(path);
	free(pae);
	free(payload);
	free(asig);
	return rc;
}
