/*
 * test_report_json.c: the report JSON of CONTRACT §4: key order, the
 * summary, the verdict rules, routing of findings by jurisdiction (those
 * without one in every report), null fields, waivers, drift, and the
 * writers (safe file names, a failing format not stopping the others).
 */
#include <dirent.h>
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

/* Writable copies: the inventory's types hold char *. */
static char *eu_regions[] = { rf_euw1, rf_euc1 };
static char k_bad[] = "../escape";

/* The shared report input, "eu" = aws:eu-west-1, aws:eu-central-1. */
static void
fixture_init(struct report_fixture *fx)
{
	report_fixture_init(fx, eu_regions, 2, NULL, NULL);
}

static struct ra_finding *
add(struct report_fixture *fx, const char *control, enum ra_status st,
    const char *pid, const char *pname, const char *j, const char *res)
{
	return ra_finding_add(&fx->fs, control, st, pid, pname, j, res);
}

static void
test_verdict_rules(void **state)
{
	static const struct {
		const char *statuses;	/* one letter per finding: P F E W S */
		const char *want;
	} cases[] = {
		{ "", "compliant" },
		{ "P", "compliant" },
		{ "PPS", "compliant" },
		{ "W", "compliant" },
		{ "S", "compliant" },
		{ "WS", "compliant" },
		{ "E", "incomplete" },
		{ "PE", "incomplete" },
		{ "EWS", "incomplete" },
		{ "F", "non-compliant" },
		{ "EF", "non-compliant" },
		{ "FE", "non-compliant" },
		{ "PSWF", "non-compliant" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ra_findings fs = { NULL, 0, 0 };

		for (const char *c = cases[i].statuses; *c; c++) {
			enum ra_status st = *c == 'P' ? RA_PASS :
			    *c == 'F' ? RA_FAIL : *c == 'E' ? RA_ERROR :
			    *c == 'W' ? RA_WAIVED : RA_SKIPPED;

			ra_finding_add(&fs, "cluster-region", st, "p1", "n1",
			    "eu", "cluster/c");
		}
		if (strcmp(ra_verdict(&fs, "eu"), cases[i].want) != 0)
			fail_msg("%s: got %s, want %s", cases[i].statuses,
			    ra_verdict(&fs, "eu"), cases[i].want);
		/* another jurisdiction's FAIL does not reach "us" */
		assert_string_equal(ra_verdict(&fs, "us"), "compliant");
		assert_string_equal(ra_verdict(&fs, NULL), cases[i].want);
		ra_findings_free(&fs);
	}
	/* a finding without jurisdiction counts everywhere */
	{
		struct ra_findings fs = { NULL, 0, 0 };

		ra_finding_add(&fs, "project-classified", RA_FAIL, "p9",
		    "stray", NULL, "project");
		assert_string_equal(ra_verdict(&fs, "eu"), "non-compliant");
		assert_string_equal(ra_verdict(&fs, "us"), "non-compliant");
		ra_findings_free(&fs);
	}
	assert_string_equal(ra_verdict(NULL, "eu"), "compliant");
}

static void
assert_keys(const cJSON *o, const char *const *want, size_t n)
{
	const cJSON *c = o->child;

	for (size_t i = 0; i < n; i++) {
		if (c == NULL)
			fail_msg("key %zu: missing, want %s", i, want[i]);
		if (strcmp(c->string, want[i]) != 0)
			fail_msg("key %zu: got %s, want %s", i, c->string,
			    want[i]);
		c = c->next;
	}
	if (c != NULL)
		fail_msg("unexpected key %s", c->string);
}

static void
test_key_order_and_fields(void **state)
{
	static const char *const top[] = { "schema", "jurisdiction",
	    "regions", "orgId", "asOf", "tool", "inventoryDigest", "verdict",
	    "summary", "findings" };
	static const char *const fkeys[] = { "control", "projectId",
	    "projectName", "resource", "status", "expected", "observed",
	    "detail", "evidence" };
	static const char *const wkeys[] = { "control", "projectId",
	    "projectName", "resource", "status", "expected", "observed",
	    "detail", "evidence", "waiver" };
	static const char *const skeys[] = { "PASS", "FAIL", "ERROR",
	    "WAIVED", "SKIPPED" };
	struct report_fixture fx;
	struct ra_finding *f;
	cJSON *r;
	const cJSON *fa, *f0, *f1, *ev;
	char *text, want[128];

	(void)state;
	fixture_init(&fx);
	add(&fx, "terraform-policy-drift", RA_SKIPPED, NULL, NULL, NULL,
	    "org");
	f = add(&fx, "backup-copy-region", RA_WAIVED, "p1", "data-eu", "eu",
	    "cluster/data-eu-0");
	ra_finding_set_expected(f, "%s", "aws:eu-west-1");
	ra_finding_set_observed(f, "%s", "copy to aws:us-east-1");
	ra_finding_add_evidence(f, "raw/00007.json", "ab12");
	ra_finding_add_evidence(f, "raw/00008.json", "cd34");
	f->waiver_json = ra_strdup("{\"reason\": \"DR copy\", "
	    "\"expires\": \"2027-03-31\"}");
	ra_findings_sort(&fx.fs);

	r = ra_report_json(&fx.in, &fx.j[0]);
	assert_non_null(r);
	assert_keys(r, top, sizeof(top) / sizeof(top[0]));
	assert_string_equal(ra_json_str(r, "schema"),
	    "residency-audit/report/v1");
	assert_string_equal(ra_json_str(r, "jurisdiction"), "eu");
	assert_string_equal(ra_json_str(r, "orgId"),
	    "65def6ce0f722a1507105aa5");
	assert_string_equal(ra_json_str(r, "asOf"), "2026-11-29T00:00:00Z");
	assert_string_equal(ra_json_str(ra_json_obj(r, "tool"), "name"),
	    "residency-audit");
	assert_string_equal(ra_json_str(ra_json_obj(r, "tool"), "version"),
	    RA_VERSION);
	snprintf(want, sizeof(want), "sha256:%s", fx.inv.digest);
	assert_string_equal(ra_json_str(r, "inventoryDigest"), want);
	/* regions sorted bytewise even when the input is not */
	{
		const cJSON *rg = ra_json_arr(r, "regions");

		assert_int_equal(cJSON_GetArraySize(rg), 2);
		assert_string_equal(cJSON_GetArrayItem(rg, 0)->valuestring,
		    "aws:eu-central-1");
		assert_string_equal(cJSON_GetArrayItem(rg, 1)->valuestring,
		    "aws:eu-west-1");
	}
	assert_keys(ra_json_obj(r, "summary"), skeys, 5);

	fa = ra_json_arr(r, "findings");
	assert_int_equal(cJSON_GetArraySize(fa), 2);
	f0 = cJSON_GetArrayItem(fa, 0);
	f1 = cJSON_GetArrayItem(fa, 1);
	/* org level first, every field present, null where unknown */
	assert_keys(f0, fkeys, sizeof(fkeys) / sizeof(fkeys[0]));
	assert_string_equal(ra_json_str(f0, "control"),
	    "terraform-policy-drift");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f0, "projectId")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f0, "projectName")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f0, "expected")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f0, "observed")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f0, "detail")));
	assert_int_equal(cJSON_GetArraySize(ra_json_arr(f0, "evidence")), 0);
	/* the waiver only on WAIVED, as the object given */
	assert_keys(f1, wkeys, sizeof(wkeys) / sizeof(wkeys[0]));
	assert_string_equal(ra_json_str(f1, "status"), "WAIVED");
	assert_string_equal(ra_json_str(ra_json_obj(f1, "waiver"), "reason"),
	    "DR copy");
	ev = ra_json_arr(f1, "evidence");
	assert_int_equal(cJSON_GetArraySize(ev), 2);
	assert_string_equal(ra_json_str(cJSON_GetArrayItem(ev, 1), "file"),
	    "raw/00008.json");
	assert_string_equal(ra_json_str(cJSON_GetArrayItem(ev, 1), "sha256"),
	    "cd34");
	/* WAIVED and SKIPPED alone: compliant */
	assert_string_equal(ra_json_str(r, "verdict"), "compliant");

	text = ra_json_print(r);
	assert_non_null(strstr(text, "{\n  \"schema\": "
	    "\"residency-audit/report/v1\",\n  \"jurisdiction\": \"eu\",\n"));
	assert_non_null(strstr(text, "\"projectId\": null,"));
	free(text);
	cJSON_Delete(r);
	report_fixture_free(&fx);
}

static void
test_summary_and_routing(void **state)
{
	struct report_fixture fx;
	cJSON *eu, *us;
	const cJSON *s, *fa;
	/* org level (name NULL) first, then by project name bytewise:
	 * "alpha" < "beta" < "beta-stray" */
	static const char *const eu_order[] = { "org-a", "cluster-region",
	    "kms-region", "tier-minimum", "project-classified" };
	static const char *const us_order[] = { "org-a", "project-classified",
	    "cluster-region" };

	(void)state;
	fixture_init(&fx);
	add(&fx, "cluster-region", RA_PASS, "p1", "alpha", "eu", "cluster/a");
	add(&fx, "kms-region", RA_FAIL, "p1", "alpha", "eu", "cluster/a");
	add(&fx, "tier-minimum", RA_ERROR, "p2", "beta", "eu", "cluster/b");
	add(&fx, "cluster-region", RA_SKIPPED, "p3", "gamma", "us",
	    "cluster/c");
	add(&fx, "project-classified", RA_FAIL, "p4", "beta-stray", NULL,
	    "project");
	add(&fx, "org-a", RA_WAIVED, NULL, NULL, NULL, "org");
	ra_findings_sort(&fx.fs);

	eu = ra_report_json(&fx.in, &fx.j[0]);
	us = ra_report_json(&fx.in, &fx.j[1]);

	s = ra_json_obj(eu, "summary");
	assert_int_equal(cJSON_GetObjectItem(s, "PASS")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(s, "FAIL")->valueint, 2);
	assert_int_equal(cJSON_GetObjectItem(s, "ERROR")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(s, "WAIVED")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(s, "SKIPPED")->valueint, 0);
	assert_string_equal(ra_json_str(eu, "verdict"), "non-compliant");
	fa = ra_json_arr(eu, "findings");
	assert_int_equal(cJSON_GetArraySize(fa), 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(ra_json_str(cJSON_GetArrayItem(fa, (int)i),
		    "control"), eu_order[i]);

	s = ra_json_obj(us, "summary");
	assert_int_equal(cJSON_GetObjectItem(s, "PASS")->valueint, 0);
	assert_int_equal(cJSON_GetObjectItem(s, "FAIL")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(s, "ERROR")->valueint, 0);
	assert_int_equal(cJSON_GetObjectItem(s, "WAIVED")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(s, "SKIPPED")->valueint, 1);
	fa = ra_json_arr(us, "findings");
	assert_int_equal(cJSON_GetArraySize(fa), 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(ra_json_str(cJSON_GetArrayItem(fa, (int)i),
		    "control"), us_order[i]);
	/* the unclassified project keeps its id in both */
	assert_string_equal(ra_json_str(cJSON_GetArrayItem(fa, 1),
	    "projectId"), "p4");
	cJSON_Delete(eu);
	cJSON_Delete(us);

	/* no findings: every summary key still there, zero */
	report_fixture_free(&fx);
	eu = ra_report_json(&fx.in, &fx.j[0]);
	s = ra_json_obj(eu, "summary");
	assert_int_equal(cJSON_GetArraySize(s), 5);
	for (const cJSON *c = s->child; c != NULL; c = c->next)
		assert_int_equal(c->valueint, 0);
	assert_string_equal(ra_json_str(eu, "verdict"), "compliant");
	cJSON_Delete(eu);
}

static void
test_drift_and_waivers(void **state)
{
	struct report_fixture fx;
	cJSON *drift, *w, *eu, *us;
	const cJSON *last;

	(void)state;
	fixture_init(&fx);
	drift = cJSON_Parse("{\"eu\": {\"new\": [1]}}");
	w = cJSON_Parse("{\"expired\": [], \"stale\": []}");
	fx.in.drift = drift;
	fx.in.waivers_report = w;
	eu = ra_report_json(&fx.in, &fx.j[0]);
	us = ra_report_json(&fx.in, &fx.j[1]);
	/* drift of its own jurisdiction only, after findings */
	last = cJSON_GetObjectItem(eu, "findings")->next;
	assert_non_null(last);
	assert_string_equal(last->string, "drift");
	assert_non_null(ra_json_arr(last, "new"));
	assert_string_equal(last->next->string, "waivers");
	assert_null(cJSON_GetObjectItem(us, "drift"));
	assert_non_null(cJSON_GetObjectItem(us, "waivers"));
	cJSON_Delete(eu);
	cJSON_Delete(us);
	cJSON_Delete(drift);
	cJSON_Delete(w);
}

static char *
mkroot(void)
{
	char tmpl[] = "/tmp/ra-test-rj-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return ra_strdup(tmpl);
}

static int
exists(const char *dir, const char *name)
{
	char *p = ra_asprintf("%s/%s", dir, name), *d = NULL;
	size_t n;
	int ok = ra_file_read(&d, &n, p, 1 << 24) == 0;

	free(d);
	free(p);
	return ok;
}

static void
test_writers(void **state)
{
	struct report_fixture fx;
	char *dir = mkroot(), *parent, *text = NULL;
	size_t len;
	cJSON *r;

	(void)state;
	fixture_init(&fx);
	add(&fx, "cluster-region", RA_PASS, "p1", "alpha", "eu", "cluster/a");
	assert_int_equal(ra_reports_write(dir, &fx.in, RA_FMT_JSON), 0);
	assert_true(exists(dir, "residency-evidence-eu.json"));
	assert_true(exists(dir, "residency-evidence-us.json"));
	assert_false(exists(dir, "residency-evidence-eu.md"));
	parent = ra_asprintf("%s/residency-evidence-eu.json", dir);
	assert_int_equal(ra_file_read(&text, &len, parent, 1 << 20), 0);
	r = ra_json_parse(text, len, NULL, 0);
	assert_non_null(r);
	assert_string_equal(ra_json_str(r, "verdict"), "compliant");
	/* byte for byte what ra_json_print gives for the tree */
	{
		cJSON *t = ra_report_json(&fx.in, &fx.j[0]);
		char *p = ra_json_print(t);

		assert_string_equal(p, text);
		free(p);
		cJSON_Delete(t);
	}
	cJSON_Delete(r);
	free(text);
	free(parent);

	/* an unsafe jurisdiction key is refused, the others still written */
	fx.j[0].key = k_bad;
	assert_int_equal(ra_report_write_json(dir, &fx.in), -1);
	parent = ra_asprintf("%s/..", dir);
	assert_false(exists(parent, "escape.json"));
	assert_false(exists(dir, "residency-evidence-...json"));
	free(parent);
	fx.j[0].key = rf_k_eu;

	/* a failing format stops the writing (one reason; the caller
	 * abandons the pack) and is reported as a failure */
	assert_int_equal(ra_rm_rf(dir), 0);
	assert_int_equal(ra_mkdir_p(dir), 0);
	fx.in.template_dir = "/nonexistent/templates";
	assert_int_equal(ra_reports_write(dir, &fx.in,
	    RA_FMT_MD | RA_FMT_JSON), -1);
	assert_false(exists(dir, "residency-evidence-eu.md"));
	assert_false(exists(dir, "residency-evidence-eu.json"));
	/* the same formats with a template succeed */
	fx.in.template_dir = RA_SOURCE_DIR "/templates";
	assert_int_equal(ra_reports_write(dir, &fx.in,
	    RA_FMT_MD | RA_FMT_JSON), 0);
	assert_true(exists(dir, "residency-evidence-eu.md"));
	assert_true(exists(dir, "residency-evidence-us.json"));

	report_fixture_free(&fx);
	assert_int_equal(ra_rm_rf(dir), 0);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_rules),
		cmocka_unit_test(test_key_order_and_fields),
		cmocka_unit_test(test_summary_and_routing),
		cmocka_unit_test(test_drift_and_waivers),
		cmocka_unit_test(test_writers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
