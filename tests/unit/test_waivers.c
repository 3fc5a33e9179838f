/*
 * test_waivers.c: CONTRACT §6. Validation (every malformed shape names
 * its JSON path), matching on control + projectId + resource exactly,
 * expiry against the audit date (the last day still applies), stale
 * waivers, ERROR/PASS/SKIPPED never waived, the first of two matching
 * waivers wins, and hostile text kept verbatim.
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

static cJSON *
parse_ok(const char *text)
{
	char err[256] = "";
	cJSON *w = ra_waivers_parse(text, strlen(text), "w.json", err,
	    sizeof(err));

	if (w == NULL)
		fail_msg("unexpected error: %s", err);
	return w;
}

static void
test_malformed(void **state)
{
	static const struct {
		const char *text, *want;
	} t[] = {
		{ "", "w.json: not JSON" },
		{ "{}", "w.json: $: must be an array" },
		{ "[1]", "[0]: not an object" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"r\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\"}]",
		    "[0].expires: missing" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"r\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-13-01\"}]", "[0].expires: not a YYYY-MM-DD" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"r\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-1-01\"}]", "[0].expires: not a YYYY-MM-DD" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"r\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-01-01T00:00:00Z\"}]", "[0].expires: not a" },
		{ "[{\"control\":\"nope\",\"resource\":\"r\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-01-01\"}]", "[0].control: unknown control \"nope\"" },
		{ "[{\"control\":1,\"resource\":\"r\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-01-01\"}]", "[0].control: must be a non-empty" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-01-01\"}]", "[0].resource: must be a non-empty" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"r\","
		    "\"reason\":[],\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-01-01\"}]", "[0].reason: must be" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"r\","
		    "\"projectId\":false,\"reason\":\"x\",\"approvedBy\":\"y\","
		    "\"expires\":\"2027-01-01\"}]", "[0].projectId: must be" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"r\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-01-01\",\"resource\":\"s\"}]",
		    "[0].resource: duplicate key" },
		{ "[{\"control\":\"cluster-region\",\"resource\":\"r\","
		    "\"reason\":\"x\",\"approvedBy\":\"y\",\"expires\":"
		    "\"2027-01-01\"},{\"control\":\"cluster-region\","
		    "\"resource\":\"r\",\"reason\":\"x\",\"approvedBy\":\"y\","
		    "\"expires\":\"2027-01-01\",\"a\\nb\":1}]",
		    "[1].a?b: unknown key" },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cJSON *w;

		err[0] = '\0';
		w = ra_waivers_parse(t[i].text, strlen(t[i].text), "w.json",
		    err, sizeof(err));
		if (w != NULL)
			fail_msg("case %zu accepted", i);
		if (strstr(err, t[i].want) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err,
			    t[i].want);
		assert_non_null(strchr(err, '\n') == NULL ? err : NULL);
	}
}

static const char waivers_text[] =
"[\n"
" {\"control\":\"cluster-region\",\"projectId\":\"p1\",\"resource\":"
"\"cluster/a\",\"reason\":\"old\",\"approvedBy\":\"dpo\",\"expires\":"
"\"2026-11-28\"},\n"
" {\"control\":\"cluster-region\",\"projectId\":\"p1\",\"resource\":"
"\"cluster/a\",\"reason\":\"ok |<b>\",\"approvedBy\":\"dpo\",\"expires\":"
"\"2026-11-29\"},\n"
" {\"control\":\"cluster-region\",\"projectId\":\"p1\",\"resource\":"
"\"cluster/a\",\"reason\":\"second\",\"approvedBy\":\"dpo\",\"expires\":"
"\"2030-01-01\"},\n"
" {\"control\":\"cluster-region\",\"projectId\":\"p2\",\"resource\":"
"\"cluster/a\",\"reason\":\"other project: stale\",\"approvedBy\":\"x\","
"\"expires\":\"2030-01-01\"},\n"
" {\"control\":\"cluster-region\",\"projectId\":\"p1\",\"resource\":"
"\"cluster/err\",\"reason\":\"error\",\"approvedBy\":\"x\","
"\"expires\":\"2030-01-01\"},\n"
" {\"control\":\"cluster-region\",\"projectId\":\"p1\",\"resource\":"
"\"cluster/pass\",\"reason\":\"pass\",\"approvedBy\":\"x\","
"\"expires\":\"2030-01-01\"},\n"
" {\"control\":\"resource-policy\",\"resource\":\"org\",\"reason\":"
"\"org level\",\"approvedBy\":\"x\",\"expires\":\"2030-01-01\"},\n"
" {\"control\":\"resource-policy\",\"projectId\":\"p1\",\"resource\":"
"\"org\",\"reason\":\"project given, finding is org: stale\","
"\"approvedBy\":\"x\",\"expires\":\"2030-01-01\"}\n"
"]";

static void
test_apply(void **state)
{
	struct ra_findings fs = { 0 };
	struct ra_finding *a, *e, *p, *o, *u;
	cJSON *w, *rep, *fw;
	const cJSON *x;
	char *s;

	(void)state;
	a = ra_finding_add(&fs, "cluster-region", RA_FAIL, "p1", "one", "eu",
	    "cluster/a");
	e = ra_finding_add(&fs, "cluster-region", RA_ERROR, "p1", "one", "eu",
	    "cluster/err");
	p = ra_finding_add(&fs, "cluster-region", RA_PASS, "p1", "one", "eu",
	    "cluster/pass");
	o = ra_finding_add(&fs, "resource-policy", RA_FAIL, NULL, NULL, NULL,
	    "org");
	u = ra_finding_add(&fs, "cluster-region", RA_FAIL, "p1", "one", "eu",
	    "cluster/A");	/* case differs: never matched */
	(void)e;
	(void)p;
	w = parse_ok(waivers_text);
	rep = ra_waivers_apply(w, &fs, "2026-11-29");

	/* the waiver expiring today applies; the older one is expired */
	assert_int_equal(fs.v[0].status, RA_WAIVED);
	a = &fs.v[0];
	fw = ra_json_parse(a->waiver_json, strlen(a->waiver_json), NULL, 0);
	assert_non_null(fw);
	assert_string_equal(ra_json_str(fw, "reason"), "ok |<b>");
	assert_string_equal(ra_json_str(fw, "expires"), "2026-11-29");
	cJSON_Delete(fw);
	assert_int_equal(fs.v[1].status, RA_ERROR);
	assert_null(fs.v[1].waiver_json);
	assert_int_equal(fs.v[2].status, RA_PASS);
	o = &fs.v[3];
	assert_int_equal(o->status, RA_WAIVED);
	assert_non_null(strstr(o->waiver_json, "org level"));
	u = &fs.v[4];
	assert_int_equal(u->status, RA_FAIL);
	assert_null(u->waiver_json);

	x = ra_json_arr(rep, "expired");
	assert_int_equal(cJSON_GetArraySize(x), 1);
	assert_string_equal(ra_json_str(x->child, "expires"), "2026-11-28");
	x = ra_json_arr(rep, "stale");
	assert_int_equal(cJSON_GetArraySize(x), 2);
	assert_string_equal(ra_json_str(x->child, "projectId"), "p2");
	assert_string_equal(ra_json_str(x->child->next, "reason"),
	    "project given, finding is org: stale");
	x = ra_json_arr(rep, "notApplied");
	assert_int_equal(cJSON_GetArraySize(x), 2);
	assert_string_equal(ra_json_str(ra_json_obj(x->child, "waiver"),
	    "resource"), "cluster/err");
	assert_string_equal(ra_json_str(x->child, "reason"),
	    "ERROR is never waived");
	assert_string_equal(ra_json_str(ra_json_obj(x->child->next, "waiver"),
	    "resource"), "cluster/pass");
	assert_non_null(strstr(ra_json_str(x->child->next, "reason"), "PASS"));

	/* a day later the applying waiver has expired too */
	cJSON_Delete(rep);
	ra_findings_free(&fs);
	memset(&fs, 0, sizeof(fs));
	ra_finding_add(&fs, "cluster-region", RA_FAIL, "p1", "one", "eu",
	    "cluster/a");
	rep = ra_waivers_apply(w, &fs, "2026-11-30");
	assert_int_equal(fs.v[0].status, RA_WAIVED);
	assert_non_null(strstr(fs.v[0].waiver_json, "second"));
	assert_int_equal(cJSON_GetArraySize(ra_json_arr(rep, "expired")), 2);
	cJSON_Delete(rep);
	rep = ra_waivers_apply(w, &fs, "2031-01-01");
	assert_int_equal(cJSON_GetArraySize(ra_json_arr(rep, "expired")), 8);
	s = ra_json_print(rep);
	assert_non_null(s);
	free(s);
	cJSON_Delete(rep);
	ra_findings_free(&fs);
	cJSON_Delete(w);
}

static void
test_empty_and_load(void **state)
{
	struct ra_findings fs = { 0 };
	cJSON *w, *rep;
	char err[256];

	(void)state;
	w = parse_ok("[]");
	ra_finding_add(&fs, "cluster-region", RA_FAIL, "p", "n", NULL, "r");
	rep = ra_waivers_apply(w, &fs, "2026-01-01");
	assert_int_equal(fs.v[0].status, RA_FAIL);
	assert_int_equal(cJSON_GetArraySize(ra_json_arr(rep, "stale")), 0);
	cJSON_Delete(rep);
	cJSON_Delete(w);
	ra_findings_free(&fs);
	assert_null(ra_waivers_load("/nonexistent/w.json", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/w.json"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_empty_and_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
