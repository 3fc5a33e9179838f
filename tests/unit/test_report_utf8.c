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
		cmocka_unit_test(test_reports_are_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
