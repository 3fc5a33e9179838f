/*
 * test_sign.c: base64 (RFC 4648 vectors, bad input), the DSSE PAE
 * (the spec's example), SHA256SUMS parsing (hostile lines), and key
 * checks (Ed25519 and P-256 accepted; P-384, RSA, encrypted, garbage
 * refused), generated with OpenSSL at test time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "evidence.h"
#include "util.h"

static void
test_base64(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	static const char *const bad[] = { "Zg=", "Z===", "Zg==Zg==", "Zm9v!",
	    "=Zm9", "Zm=v" };
	unsigned char *d;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *e = ra_base64(t[i].in, strlen(t[i].in));

		assert_string_equal(e, t[i].out);
		assert_int_equal(ra_unbase64(&d, &n, e), 0);
		assert_int_equal(n, strlen(t[i].in));
		assert_memory_equal(d, t[i].in, n);
		free(d);
		free(e);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ra_unbase64(&d, &n, bad[i]) == 0)
			fail_msg("accepted %s", bad[i]);
		assert_null(d);
	}
}

static void
test_pae(void **state)
{
	size_t n;
	char *p;

	(void)state;
	/* the DSSE protocol's example */
	p = ra_dsse_pae("http://example.com/HelloWorld", "hello world", 11, &n);
	assert_string_equal(p, "DSSEv1 29 http://example.com/HelloWorld 11 "
	    "hello world");
	assert_int_equal(n, strlen(p));
	free(p);
	p = ra_dsse_pae("t", "", 0, &n);
	assert_string_equal(p, "DSSEv1 1 t 0 ");
	free(p);
}

#define H "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
test_sums(void **state)
{
	static const char *const bad[] = {
		H "  a",				/* no newline */
		H " a\n",				/* one space */
		H "  ../a\n", H "  /a\n", H "  a//b\n", H "  a/\n",
		H "  a b\n", H "  a\n" H "  a\n",	/* duplicate */
		"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855  a\n",
		"xyz  a\n", H "  \n",
	};
	struct ra_sum *v;
	size_t n;
	char err[256];
	const char *good = H "  inventory.json\n" H "  raw/00001.json\n";

	(void)state;
	assert_int_equal(ra_sums_parse(&v, &n, good, strlen(good), err,
	    sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].path, "raw/00001.json");
	assert_string_equal(v[1].sha256, H);
	ra_sums_free(v, n);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ra_sums_parse(&v, &n, bad[i], strlen(bad[i]), err,
		    sizeof(err)) == 0)
			fail_msg("accepted case %zu", i);
		assert_non_null(strstr(err, "SHA256SUMS: line"));
	}
	/* the first error in line order, duplicates included */
	{
		static const struct {
			const char *text, *msg;
		} order[] = {
			{ H "  a\n" H "  b\n" H "  a\n" "x\n",
			  "SHA256SUMS: line 3: a listed twice" },
			{ H "  a\n" "x\n" H "  a\n",
			  "SHA256SUMS: line 2: not \"<sha256>  <file>\"" },
			{ H "  b\n" H "  a\n" H "  b\n" H "  a\n" H "  b\n",
			  "SHA256SUMS: line 3: b listed twice" },
			{ H "  b\n" H "  a\n" H "  c\n" H "  a\n" H "  b\n",
			  "SHA256SUMS: line 4: a listed twice" },
		};

		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]);
		    i++) {
			assert_int_equal(ra_sums_parse(&v, &n, order[i].text,
			    strlen(order[i].text), err, sizeof(err)), -1);
			assert_string_equal(err, order[i].msg);
		}
	}
}

static void
write_key(const char *path, EVP_PKEY *pk, int encrypt)
{
	static unsigned char pw[] = "pw";
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, pk, encrypt ?
	    EVP_aes_128_cbc() : NULL, encrypt ? pw : NULL,
	    encrypt ? 2 : 0, NULL, NULL), 1);
	fclose(f);
	EVP_PKEY_free(pk);
}

static void
test_keys(void **state)
{
	char dir[] = "/tmp/ra-test-sign.XXXXXX", p[128], err[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/ed.pem", dir);
	write_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), 0);
	assert_int_equal(ra_sign_check_key(p, err, sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/p256.pem", dir);
	write_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), 0);
	assert_int_equal(ra_sign_check_key(p, err, sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/p384.pem", dir);
	write_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"), 0);
	assert_int_equal(ra_sign_check_key(p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unsupported key type"));
	snprintf(p, sizeof(p), "%s/x448.pem", dir);
	write_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "X25519"), 0);
	assert_int_equal(ra_sign_check_key(p, err, sizeof(err)), -1);
	snprintf(p, sizeof(p), "%s/enc.pem", dir);
	write_key(p, EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"), 1);
	assert_int_equal(ra_sign_check_key(p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an unencrypted PEM private key"));
	snprintf(p, sizeof(p), "%s/none.pem", dir);
	assert_int_equal(ra_sign_check_key(p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "none.pem"));
	assert_int_equal(ra_rm_rf(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_pae),
		cmocka_unit_test(test_sums),
		cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
