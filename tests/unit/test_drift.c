/*
 * test_drift.c: the report reader (schema, shapes, JSON paths) and the
 * drift of findings against a baseline: new, resolved, changed with
 * before/after, unchanged ones absent, org-level (null projectId) keys,
 * findings of other jurisdictions ignored, and the Markdown view rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence.h"
#include "jsonutil.h"

static const char base[] =
"{\"schema\":\"residency-audit/report/v1\",\"jurisdiction\":\"eu\","
"\"asOf\":\"2026-08-01T00:00:00Z\",\"tool\":{\"name\":\"residency-audit\","
"\"version\":\"0.0.9\"},\"findings\":["
"{\"control\":\"resource-policy\",\"projectId\":null,\"resource\":\"org\","
"\"status\":\"PASS\",\"observed\":null},"
"{\"control\":\"cluster-region\",\"projectId\":\"p1\",\"resource\":"
"\"cluster/a\",\"status\":\"PASS\",\"observed\":\"aws:eu-west-1\"},"
"{\"control\":\"cluster-region\",\"projectId\":\"p1\",\"resource\":"
"\"cluster/gone\",\"status\":\"FAIL\",\"observed\":\"x\"},"
"{\"control\":\"cluster-region\",\"projectId\":\"p1\",\"resource\":"
"\"cluster/same\",\"status\":\"PASS\",\"observed\":\"old text\"}]}";

static void
test_parse(void **state)
{
	static const struct { const char *text, *want; } t[] = {
		{ "[]", "$: not a report" },
		{ "{}", "$.schema: missing" },
		{ "{\"schema\":\"residency-audit/report/v2\"}",
		    "\"residency-audit/report/v2\" is not residency-audit/report/v1" },
		{ "{\"schema\":\"residency-audit/report/v1\"}", "$.jurisdiction" },
		{ "{\"schema\":\"residency-audit/report/v1\",\"jurisdiction\":"
		    "\"eu\",\"asOf\":\"t\",\"tool\":{\"name\":\"n\"}}", "$.tool" },
		{ "{\"schema\":\"residency-audit/report/v1\",\"jurisdiction\":"
		    "\"eu\",\"asOf\":\"t\",\"tool\":{\"name\":\"n\",\"version\":"
		    "\"v\"},\"findings\":{}}", "$.findings: must be an array" },
		{ "{\"schema\":\"residency-audit/report/v1\",\"jurisdiction\":"
		    "\"eu\",\"asOf\":\"t\",\"tool\":{\"name\":\"n\",\"version\":"
		    "\"v\"},\"findings\":[{\"control\":\"c\",\"projectId\":null,"
		    "\"resource\":\"r\",\"observed\":null,\"status\":\"MAYBE\"}]}",
		    "$.findings[0].status" },
		{ "{\"schema\":\"residency-audit/report/v1\",\"jurisdiction\":"
		    "\"eu\",\"asOf\":\"t\",\"tool\":{\"name\":\"n\",\"version\":"
		    "\"v\"},\"findings\":[{\"control\":\"c\",\"projectId\":3,"
		    "\"resource\":\"r\",\"status\":\"PASS\"}]}",
		    "$.findings[0]: control" },
	};
	char err[256];
	cJSON *r;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err[0] = '\0';
		r = ra_report_parse(t[i].text, strlen(t[i].text), "b.json",
		    err, sizeof(err));
		if (r != NULL)
			fail_msg("case %zu accepted", i);
		if (strstr(err, t[i].want) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err,
			    t[i].want);
	}
	r = ra_report_parse(base, strlen(base), "b.json", err, sizeof(err));
	assert_non_null(r);
	cJSON_Delete(r);
}

static void
test_drift(void **state)
{
	struct ra_findings fs = { 0 };
	char err[256];
	cJSON *b, *d, *view;
	const cJSON *x;

	(void)state;
	b = ra_report_parse(base, strlen(base), "b.json", err, sizeof(err));
	assert_non_null(b);
	ra_finding_add(&fs, "resource-policy", RA_PASS, NULL, NULL, NULL,
	    "org");
	ra_finding_set_observed(ra_finding_add(&fs, "cluster-region", RA_FAIL,
	    "p1", "one", "eu", "cluster/a"), "aws:us-east-1");
	ra_finding_set_observed(ra_finding_add(&fs, "cluster-region", RA_PASS,
	    "p1", "one", "eu", "cluster/same"), "new text");
	ra_finding_add(&fs, "cluster-region", RA_ERROR, "p1", "one", "eu",
	    "cluster/new");
	/* another jurisdiction's finding: not in the eu report */
	ra_finding_add(&fs, "cluster-region", RA_FAIL, "p9", "us", "us",
	    "cluster/a");
	d = ra_drift_compute(b, &fs);

	x = ra_json_obj(d, "baseline");
	assert_string_equal(ra_json_str(x, "asOf"), "2026-08-01T00:00:00Z");
	assert_string_equal(ra_json_str(ra_json_obj(x, "tool"), "version"),
	    "0.0.9");
	x = ra_json_arr(d, "changed");
	assert_int_equal(cJSON_GetArraySize(x), 1);
	assert_string_equal(ra_json_str(x->child, "resource"), "cluster/a");
	assert_string_equal(ra_json_str(ra_json_obj(x->child, "before"),
	    "status"), "PASS");
	assert_string_equal(ra_json_str(ra_json_obj(x->child, "before"),
	    "observed"), "aws:eu-west-1");
	assert_string_equal(ra_json_str(ra_json_obj(x->child, "after"),
	    "status"), "FAIL");
	assert_string_equal(ra_json_str(ra_json_obj(x->child, "after"),
	    "observed"), "aws:us-east-1");
	x = ra_json_arr(d, "new");
	assert_int_equal(cJSON_GetArraySize(x), 1);
	assert_string_equal(ra_json_str(x->child, "resource"), "cluster/new");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(x->child, "before")));
	x = ra_json_arr(d, "resolved");
	assert_int_equal(cJSON_GetArraySize(x), 1);
	assert_string_equal(ra_json_str(x->child, "resource"), "cluster/gone");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(x->child, "after")));

	/* the Markdown view: one row per entry, cell-ready */
	view = cJSON_CreateObject();
	cJSON_AddItemToObject(view, "drift", d);
	ra_md_add_postproc(view);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(view, "hasDrift")));
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(view, "hasWaivers")));
	x = ra_json_arr(view, "driftRows");
	assert_int_equal(cJSON_GetArraySize(x), 3);
	assert_string_equal(ra_json_str(x->child, "dKind"), "new");
	assert_string_equal(ra_json_str(x->child, "dBefore"), "\xe2\x80\x94");
	assert_string_equal(ra_json_str(x->child->next->next, "dBefore"),
	    "PASS: aws:eu-west-1");
	cJSON_Delete(view);
	ra_findings_free(&fs);

	/* identical findings: no drift at all */
	memset(&fs, 0, sizeof(fs));
	ra_finding_add(&fs, "resource-policy", RA_PASS, NULL, NULL, NULL,
	    "org");
	d = ra_drift_compute(b, &fs);
	assert_int_equal(cJSON_GetArraySize(ra_json_arr(d, "new")), 0);
	assert_int_equal(cJSON_GetArraySize(ra_json_arr(d, "changed")), 0);
	assert_int_equal(cJSON_GetArraySize(ra_json_arr(d, "resolved")), 3);
	cJSON_Delete(d);
	ra_findings_free(&fs);
	cJSON_Delete(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_drift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
