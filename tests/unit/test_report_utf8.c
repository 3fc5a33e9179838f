/*
 * test_report_utf8.c: Atlas names holding invalid UTF-8 (the simulator's
 * badUtf8 fault, a real API's unchecked bytes) must not make the report
 * JSON invalid JSON or the Markdown invalid text: every report file is
 * valid UTF-8 (checked by an independent validator here), the bad bytes
 * read back as U+FFFD, and the valid rest of the name is kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonutil.h"
#include "report.h"
#include "report_fixture.h"
#include "utf8clean.h"
#include "util.h"

static char *eu_regions[] = { rf_euw1 };

/* Strict UTF-8 (RFC 3629): shortest forms, no surrogates, <= U+10FFFF. */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], need, min, cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			min = 0x80;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			min = 0x800;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			min = 0x10000;
			cp = c & 0x07;
		} else
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static void
test_validator(void **state)
{
	static const struct {
		const char *s;
		int ok;
	} t[] = {
		{ "plain", 1 },
		{ "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", 1 },
		{ "\xff\xfe", 0 },
		{ "\xc3", 0 },			/* truncated */
		{ "\xc0\xaf", 0 },		/* overlong '/' */
		{ "\xed\xa0\x80", 0 },		/* surrogate */
		{ "\xf4\x90\x80\x80", 0 },	/* > U+10FFFF */
		{ "a\x80z", 0 },		/* stray continuation */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(valid_utf8((const unsigned char *)t[i].s,
		    strlen(t[i].s)), t[i].ok);
}

/* ra_utf8_valid is the independent validator's answer, NUL aside. */
static void
test_ra_utf8_valid(void **state)
{
	static const char *const t[] = {
		"plain", "caf\xc3\xa9", "\xff", "\xc3", "\xc0\xaf",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x80z",
		"\xe0\xa0\x80", "\xf0\x90\x80\x80", "\xef\xbf\xbf",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(ra_utf8_valid(t[i], strlen(t[i])),
		    valid_utf8((const unsigned char *)t[i], strlen(t[i])));
	assert_int_equal(ra_utf8_valid("a\0b", 3), 0);
	assert_int_equal(ra_utf8_valid("", 0), 1);
}

static int
collect(void *ud, const void *p, size_t n)
{
	return ra_buf_add(ud, p, n);
}

/* Bytes that exercise the decoder: ASCII, continuation bytes, every
 * kind of lead, invalid leads and (rarely) NUL. */
static unsigned char
hostile_byte(unsigned *seed)
{
	static const unsigned char pick[] = {
		'a', 'z', ' ', 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xc3, 0xdf,
		0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x8f, 0x90,
	};

	*seed = *seed * 1103515245u + 12345u;
	if ((*seed >> 16) % 97 == 0)
		return 0;
	return pick[(*seed >> 16) % sizeof(pick)];
}

/*
 * The stream gives exactly ra_utf8_clean of the whole text, however the
 * text is cut into pieces: sequences cut at a piece's end, invalid bytes
 * on either side of a cut, a NUL ending the text.
 */
static void
test_stream_equals_whole(void **state)
{
	unsigned seed = 20261129;

	(void)state;
	for (int iter = 0; iter < 3000; iter++) {
		unsigned char text[260];
		size_t n = 1 + (size_t)(iter % 256), off = 0;
		struct ra_buf got;
		struct ra_utf8_stream u;
		char *want;

		for (size_t i = 0; i < n; i++)
			text[i] = hostile_byte(&seed);
		/* some runs valid multi-byte text, to cut inside sequences */
		if (iter % 3 == 0)
			for (size_t i = 0; i + 4 <= n; i += 7)
				memcpy(text + i, "\xf0\x9f\x98\x80", 4);
		text[n] = '\0';
		ra_buf_init(&got, 0);
		memset(&u, 0, sizeof(u));
		u.out = collect;
		u.out_ud = &got;
		while (off < n) {
			size_t k;

			seed = seed * 1103515245u + 12345u;
			k = (seed >> 16) % 6;	/* pieces of 0..5 bytes */
			if (k > n - off)
				k = n - off;
			assert_int_equal(ra_utf8_stream_sink(&u, text + off, k),
			    0);
			off += k;
		}
		assert_int_equal(ra_utf8_stream_end(&u), 0);
		want = ra_utf8_clean((const char *)text, RA_UTF8_JSON);
		if (strlen(want) != got.len ||
		    memcmp(want, ra_buf_cstr(&got), got.len) != 0)
			fail_msg("iteration %d: the stream differs from the "
			    "whole text's cleaning", iter);
		assert_true(valid_utf8((const unsigned char *)ra_buf_cstr(&got),
		    got.len));
		free(want);
		ra_buf_free(&got);
	}
}

static void
check_file(const char *dir, const char *name, const char *want)
{
	char *path = ra_asprintf("%s/%s", dir, name), *text = NULL;
	size_t len = 0;

	assert_int_equal(ra_file_read(&text, &len, path, 1 << 22), 0);
	if (!valid_utf8((const unsigned char *)text, len))
		fail_msg("%s is not valid UTF-8", name);
	if (strstr(text, want) == NULL)
		fail_msg("%s lacks %s", name, want);
	free(text);
	free(path);
}

static void
test_reports_are_utf8(void **state)
{
	struct report_fixture fx;
	struct ra_finding *f;
	char *dir, tmpl[] = "/tmp/ra-utf8.XXXXXX", *text = NULL, *path;
	size_t len;
	cJSON *r;

	(void)state;
	report_fixture_init(&fx, eu_regions, 1, NULL, NULL);
	fx.inv.njurisdictions = 1;	/* "eu" only */

	f = ra_finding_add(&fx.fs, "cluster-region", RA_FAIL, "p1",
	    "\xff\xfe\xc3prod-eu", "eu", "cluster/\xc0\xafgo");
	ra_finding_set_observed(f, "aws:us-east-1 \xed\xa0\x80");
	ra_finding_set_detail(f, "tail byte \xe2\x80");
	ra_finding_add(&fx.fs, "project-classified", RA_PASS, "p2",
	    "caf\xc3\xa9-\xe2\x80\x94", "eu", "project");
	ra_findings_sort(&fx.fs);

	assert_non_null(dir = mkdtemp(tmpl));
	assert_int_equal(ra_reports_write(dir, &fx.in, RA_FMT_MD | RA_FMT_JSON),
	    0);
	/* the valid part survives; each bad byte is one U+FFFD */
	check_file(dir, "residency-evidence-eu.json",
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdprod-eu\"");
	check_file(dir, "residency-evidence-eu.json",
	    "caf\xc3\xa9-\xe2\x80\x94");
	check_file(dir, "residency-evidence-eu.md",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdprod-eu");
	check_file(dir, "residency-evidence-eu.md", "caf\xc3\xa9-\xe2\x80\x94");

	/* and the JSON still parses, with the cleaned values */
	path = ra_asprintf("%s/residency-evidence-eu.json", dir);
	assert_int_equal(ra_file_read(&text, &len, path, 1 << 22), 0);
	assert_non_null(r = ra_json_parse(text, len, NULL, 0));
	assert_string_equal(ra_json_str(r, "verdict"), "non-compliant");
	cJSON_Delete(r);
	free(text);
	free(path);

	report_fixture_free(&fx);
	assert_int_equal(ra_rm_rf(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator),
		cmocka_unit_test(test_ra_utf8_valid),
		cmocka_unit_test(test_stream_equals_whole),
		cmocka_unit_test(test_reports_are_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
