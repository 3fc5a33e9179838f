/*
 * test_finding.c: findings carry valid UTF-8 and sort (CONTRACT §4) on the
 * bytes the reports print: by project name (org level first), control,
 * resource.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "finding.h"

static void
test_sort_order(void **state)
{
	struct ra_findings fs = { 0 };

	(void)state;
	ra_finding_add(&fs, "tier-minimum", RA_PASS, "p2", "beta", "eu",
	    "cluster/a");
	ra_finding_add(&fs, "cluster-region", RA_PASS, "p2", "beta", "eu",
	    "cluster/b");
	ra_finding_add(&fs, "cluster-region", RA_PASS, "p2", "beta", "eu",
	    "cluster/a");
	ra_finding_add(&fs, "resource-policy", RA_FAIL, NULL, NULL, NULL, "org");
	ra_finding_add(&fs, "backup-pitr", RA_PASS, "p1", "Alpha", "eu",
	    "cluster/z");
	ra_findings_sort(&fs);
	assert_int_equal(fs.n, 5);
	assert_null(fs.v[0].project_name);		/* org level first */
	assert_string_equal(fs.v[1].project_name, "Alpha");	/* 'A' < 'b' */
	assert_string_equal(fs.v[2].control, "cluster-region");
	assert_string_equal(fs.v[2].resource, "cluster/a");
	assert_string_equal(fs.v[3].resource, "cluster/b");
	assert_string_equal(fs.v[4].control, "tier-minimum");
	ra_findings_free(&fs);
}

/*
 * A name with an invalid byte is carried as U+FFFD (EF BF BD), so it sorts
 * before an emoji (F0 ...), as it is printed; sorting the raw 0xFF would
 * put it last.
 */
static void
test_invalid_utf8_sorts_as_printed(void **state)
{
	struct ra_findings fs = { 0 };

	(void)state;
	ra_finding_add(&fs, "cluster-region", RA_PASS, "p1",
	    "\xf0\x9f\x98\x80-emoji", "eu", "cluster/a");
	ra_finding_add(&fs, "cluster-region", RA_PASS, "p2", "\xff-bad", "eu",
	    "cluster/\xc3");
	ra_finding_set_observed(&fs.v[1], "observed %s", "\xfe");
	ra_findings_sort(&fs);
	assert_string_equal(fs.v[0].project_name, "\xef\xbf\xbd-bad");
	assert_string_equal(fs.v[0].resource, "cluster/\xef\xbf\xbd");
	assert_string_equal(fs.v[0].observed, "observed \xef\xbf\xbd");
	assert_string_equal(fs.v[1].project_name, "\xf0\x9f\x98\x80-emoji");
	ra_findings_free(&fs);
}

static void
test_evidence_once(void **state)
{
	struct ra_findings fs = { 0 };
	struct ra_finding *f;

	(void)state;
	f = ra_finding_add(&fs, "kms-region", RA_ERROR, "p", "n", "eu",
	    "cluster/c");
	ra_finding_add_evidence(f, "raw/00001.json", "aa");
	ra_finding_add_evidence(f, "raw/00002.json", "bb");
	ra_finding_add_evidence(f, "raw/00001.json", "aa");
	assert_int_equal(f->nevidence, 2);
	assert_string_equal(ra_status_name(RA_WAIVED), "WAIVED");
	assert_int_equal(ra_status_parse("SKIPPED"), RA_SKIPPED);
	assert_int_equal(ra_status_parse("pass"), -1);
	ra_findings_free(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_order),
		cmocka_unit_test(test_invalid_utf8_sorts_as_printed),
		cmocka_unit_test(test_evidence_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
