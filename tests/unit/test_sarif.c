/*
 * test_sarif.c: residency-audit.sarif (sarif.c). The draft-04 validator
 * of jsonschema.h is tested on small schemas first (it must reject wrong
 * types, missing required members, bad enums ...), then proven to cover
 * every keyword of the official SARIF 2.1.0 schema; the generated log is
 * validated against that schema for phase2-like findings and hostile
 * names, and a deliberately broken log must fail. Content checks: one
 * rule per control, results only for FAIL/ERROR/WAIVED and each finding
 * once, levels, ruleIndex, fingerprints, suppressions, notifications,
 * executionSuccessful, UTF-8 validity, determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/xmlstring.h>

#include "checks.h"
#include "jsonschema.h"
#include "jsonutil.h"
#include "report.h"
#include "report_fixture.h"
#include "util.h"

#define SARIF_SCHEMA_FILE RA_SHARED_DIR "/schemas/sarif-schema-2.1.0.json"

static char *eu_regions[] = { rf_euw1 };

static cJSON *sarif_schema;

/* The shared report input, "eu" = aws:eu-west-1, in a fresh directory. */
static void
fixture_init(struct report_fixture *fx)
{
	report_fixture_init(fx, eu_regions, 1, NULL,
	    "/tmp/ra-test-sarif.XXXXXX");
}

/* Writes the SARIF and returns its text (caller frees). */
static char *
write_sarif(struct report_fixture *fx)
{
	char *path, *text = NULL;
	size_t len;

	assert_int_equal(ra_report_write_sarif(fx->dir, &fx->in), 0);
	path = ra_asprintf("%s/residency-audit.sarif", fx->dir);
	assert_int_equal(ra_file_read(&text, &len, path, 1 << 24), 0);
	assert_int_equal(strlen(text), len);
	free(path);
	return text;
}

static cJSON *
parse(const char *text)
{
	char err[256];
	cJSON *j = ra_json_parse(text, strlen(text), err, sizeof(err));

	if (j == NULL)
		fail_msg("SARIF does not parse: %s", err);
	return j;
}

static void
assert_valid(const cJSON *doc)
{
	char err[512];

	if (js_validate(sarif_schema, doc, err, sizeof(err)) != 0)
		fail_msg("SARIF invalid against the 2.1.0 schema: %s", err);
}

/* phase2-like findings: every status, org-level, no jurisdiction. */
static void
add_phase2(struct report_fixture *fx)
{
	struct ra_finding *f;

	f = ra_finding_add(&fx->fs, "terraform-policy-drift", RA_SKIPPED,
	    NULL, NULL, NULL, "org");
	ra_finding_set_detail(f, "--terraform-state not given");
	f = ra_finding_add(&fx->fs, "project-classified", RA_FAIL,
	    "6a793feb2c88faeba59bd999", "stray-project", NULL, "project");
	ra_finding_set_expected(f, "named in the inventory or tagged");
	ra_finding_set_observed(f, "no residency tag");
	ra_finding_set_detail(f, "project not classified");
	ra_finding_add_evidence(f, "raw/00002.json",
	    "00000000000000000000000000000000000000000000000000000000000000aa");
	f = ra_finding_add(&fx->fs, "cluster-region", RA_PASS,
	    "6a793feb2c88faeba59bd8f6", "sv0-control-plane", "eu",
	    "cluster/control-0");
	f = ra_finding_add(&fx->fs, "cluster-region", RA_FAIL,
	    "6a793feb2c88faeba59bd8f7", "sv0-data-plane-eu-prod", "eu",
	    "cluster/data-eu-0");
	ra_finding_set_expected(f, "aws:eu-west-1");
	ra_finding_set_observed(f, "aws:us-east-1 (3 electable)");
	ra_finding_set_detail(f, "electable nodes outside the allowed regions");
	ra_finding_add_evidence(f, "raw/00007.json",
	    "1111111111111111111111111111111111111111111111111111111111111111");
	ra_finding_add_evidence(f, "raw/00008.json",
	    "2222222222222222222222222222222222222222222222222222222222222222");
	f = ra_finding_add(&fx->fs, "backup-copy-region", RA_WAIVED,
	    "6a793feb2c88faeba59bd8f7", "sv0-data-plane-eu-prod", "eu",
	    "cluster/data-eu-0");
	ra_finding_set_detail(f, "copy to aws:us-east-1");
	f->waiver_json = ra_strdup("{\"control\":\"backup-copy-region\","
	    "\"reason\":\"DR copy approved by DPO, ticket SEC-112\","
	    "\"approvedBy\":\"dpo@example.com\",\"expires\":\"2027-03-31\"}");
	f = ra_finding_add(&fx->fs, "kms-region", RA_ERROR,
	    "6a793feb2c88faeba59bd8f8", "sv0-data-plane-us-prod", "us",
	    "cluster/data-us-0");
	ra_finding_set_detail(f, "encryptionAtRest: HTTP 500 after retries");
	ra_finding_add_evidence(f, "raw/00011.meta.json",
	    "3333333333333333333333333333333333333333333333333333333333333333");
	f = ra_finding_add(&fx->fs, "search-node-region", RA_SKIPPED,
	    "6a793feb2c88faeba59bd8f8", "sv0-data-plane-us-prod", "us",
	    "cluster/data-us-0");
	ra_finding_set_detail(f, "no dedicated search nodes");
}

static const cJSON *
path_get(const cJSON *j, const char *const *keys)
{
	for (; *keys != NULL && j != NULL; keys++) {
		if (cJSON_IsArray(j))
			j = cJSON_GetArrayItem(j, atoi(*keys));
		else
			j = cJSON_GetObjectItemCaseSensitive(j, *keys);
	}
	return j;
}
#define GET(j, ...) path_get((j), (const char *const[]){ __VA_ARGS__, NULL })

static int
setup(void **state)
{
	char *text = NULL;
	size_t len;

	(void)state;
	if (ra_file_read(&text, &len, SARIF_SCHEMA_FILE, 1 << 22) != 0)
		return -1;
	sarif_schema = cJSON_Parse(text);
	free(text);
	return sarif_schema != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	cJSON_Delete(sarif_schema);
	return 0;
}

/* The validator itself, on small schemas. */
static void
test_validator(void **state)
{
	static const struct {
		const char *schema, *inst;
		int valid;
	} cases[] = {
		{ "{\"type\":\"string\"}", "\"x\"", 1 },
		{ "{\"type\":\"string\"}", "1", 0 },
		{ "{\"type\":[\"string\",\"null\"]}", "null", 1 },
		{ "{\"type\":[\"string\",\"null\"]}", "true", 0 },
		{ "{\"type\":\"integer\"}", "3", 1 },
		{ "{\"type\":\"integer\"}", "3.5", 0 },
		{ "{\"type\":\"object\",\"required\":[\"a\"]}", "{\"a\":1}", 1 },
		{ "{\"type\":\"object\",\"required\":[\"a\"]}", "{\"b\":1}", 0 },
		{ "{\"enum\":[\"error\",\"warning\"]}", "\"warning\"", 1 },
		{ "{\"enum\":[\"error\",\"warning\"]}", "\"fatal\"", 0 },
		{ "{\"enum\":[{\"a\":1}]}", "{\"a\":1}", 1 },
		{ "{\"properties\":{\"a\":{\"type\":\"number\"}}}",
		  "{\"a\":\"1\"}", 0 },
		{ "{\"properties\":{\"a\":{}},\"additionalProperties\":false}",
		  "{\"a\":1,\"b\":2}", 0 },
		{ "{\"properties\":{\"a\":{}},\"additionalProperties\":false}",
		  "{\"a\":1}", 1 },
		{ "{\"additionalProperties\":{\"type\":\"string\"}}",
		  "{\"x\":\"s\",\"y\":2}", 0 },
		{ "{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},"
		  "\"additionalProperties\":false}", "{\"x-a\":\"s\"}", 1 },
		{ "{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},"
		  "\"additionalProperties\":false}", "{\"y\":\"s\"}", 0 },
		{ "{\"items\":{\"type\":\"integer\"}}", "[1,2,3]", 1 },
		{ "{\"items\":{\"type\":\"integer\"}}", "[1,\"2\"]", 0 },
		{ "{\"minItems\":1}", "[]", 0 },
		{ "{\"maxItems\":1}", "[1,2]", 0 },
		{ "{\"uniqueItems\":true}", "[1,2,1]", 0 },
		{ "{\"uniqueItems\":true}", "[{\"a\":1},{\"a\":2}]", 1 },
		{ "{\"minimum\":0}", "-1", 0 },
		{ "{\"minimum\":0}", "0", 1 },
		{ "{\"minimum\":0,\"exclusiveMinimum\":true}", "0", 0 },
		{ "{\"maximum\":5}", "6", 0 },
		{ "{\"minLength\":2}", "\"\xc3\xa9\"", 0 },
		{ "{\"pattern\":\"[0-9]+(\\\\.[0-9]+){3}\"}", "\"1.2.3.4\"", 1 },
		{ "{\"pattern\":\"[0-9]+(\\\\.[0-9]+){3}\"}", "\"1.2.3\"", 0 },
		{ "{\"pattern\":\"^[a-z]{2}$\"}", "\"abc\"", 0 },
		/* unanchored search, as JSON Schema specifies */
		{ "{\"pattern\":\"[^/]+/.+\"}", "\"a/b\"", 1 },
		{ "{\"pattern\":\"[^/]+/.+\"}", "\"ab\"", 0 },
		{ "{\"definitions\":{\"n\":{\"type\":\"number\"}},"
		  "\"properties\":{\"a\":{\"$ref\":\"#/definitions/n\"}}}",
		  "{\"a\":\"x\"}", 0 },
		{ "{\"definitions\":{\"n\":{\"type\":\"number\"}},"
		  "\"properties\":{\"a\":{\"$ref\":\"#/definitions/n\"}}}",
		  "{\"a\":1}", 1 },
		{ "{\"properties\":{\"a\":{\"$ref\":\"#/definitions/none\"}}}",
		  "{\"a\":1}", 0 },
		/* recursive $ref to the root */
		{ "{\"type\":\"object\",\"properties\":{\"c\":{\"$ref\":\"#\"}},"
		  "\"additionalProperties\":false}", "{\"c\":{\"c\":{}}}", 1 },
		{ "{\"type\":\"object\",\"properties\":{\"c\":{\"$ref\":\"#\"}},"
		  "\"additionalProperties\":false}", "{\"c\":{\"d\":{}}}", 0 },
		{ "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"number\"}]}",
		  "1", 1 },
		{ "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"number\"}]}",
		  "true", 0 },
		{ "{\"oneOf\":[{\"type\":\"number\"},{\"type\":\"integer\"}]}",
		  "1", 0 },
		{ "{\"oneOf\":[{\"type\":\"number\"},{\"type\":\"integer\"}]}",
		  "1.5", 1 },
		{ "{\"allOf\":[{\"type\":\"number\"},{\"minimum\":2}]}", "1", 0 },
		{ "{\"not\":{\"type\":\"null\"}}", "null", 0 },
		{ "{\"dependencies\":{\"a\":[\"b\"]}}", "{\"a\":1}", 0 },
		{ "{\"dependencies\":{\"a\":[\"b\"]}}", "{\"a\":1,\"b\":1}", 1 },
		{ "{\"format\":\"uri\",\"default\":1}", "\"::not a uri\"", 1 },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *s = cJSON_Parse(cases[i].schema);
		cJSON *v = cJSON_Parse(cases[i].inst);
		int rc;

		assert_non_null(s);
		assert_non_null(v);
		rc = js_validate(s, v, err, sizeof(err));
		if ((rc == 0) != cases[i].valid)
			fail_msg("case %zu: %s on %s: got %s (%s)", i,
			    cases[i].schema, cases[i].inst,
			    rc == 0 ? "valid" : "invalid", err);
		if (rc != 0 && err[0] == '\0')
			fail_msg("case %zu: no reason given", i);
		cJSON_Delete(s);
		cJSON_Delete(v);
	}
}

/* The validator knows every keyword the official schema uses. */
static void
test_schema_coverage(void **state)
{
	char unknown[512] = "";

	(void)state;
	js_unknown_keywords(sarif_schema, unknown, sizeof(unknown));
	if (unknown[0] != '\0')
		fail_msg("keywords the validator does not implement: %s",
		    unknown);
	assert_string_equal(cJSON_GetObjectItem(sarif_schema,
	    "$schema")->valuestring, "http://json-schema.org/draft-04/schema#");
}

static size_t
count_status(const struct ra_findings *fs, enum ra_status st)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		n += fs->v[i].status == st;
	return n;
}

static void
test_phase2_valid_and_content(void **state)
{
	struct report_fixture fx;
	const cJSON *run, *rules, *results, *r, *inv, *notes;
	char *text, hex[RA_SHA256_HEX];
	cJSON *doc;
	size_t i;

	(void)state;
	fixture_init(&fx);
	add_phase2(&fx);
	ra_findings_sort(&fx.fs);
	text = write_sarif(&fx);
	doc = parse(text);
	assert_valid(doc);

	assert_string_equal(GET(doc, "version")->valuestring, "2.1.0");
	assert_string_equal(GET(doc, "$schema")->valuestring,
	    "https://json.schemastore.org/sarif-2.1.0.json");
	assert_int_equal(cJSON_GetArraySize(GET(doc, "runs")), 1);
	run = GET(doc, "runs", "0");
	assert_string_equal(GET(run, "tool", "driver", "name")->valuestring,
	    "residency-audit");
	assert_string_equal(GET(run, "tool", "driver", "version")->valuestring,
	    RA_VERSION);

	/* one rule per control, in registry order, with the ADR section */
	rules = GET(run, "tool", "driver", "rules");
	assert_int_equal(cJSON_GetArraySize(rules), ra_ncontrols);
	for (i = 0; i < ra_ncontrols; i++) {
		const cJSON *rule = cJSON_GetArrayItem(rules, (int)i);
		char *want;

		assert_string_equal(GET(rule, "id")->valuestring,
		    ra_controls[i].id);
		assert_string_equal(GET(rule, "shortDescription",
		    "text")->valuestring, ra_controls[i].title);
		want = ra_asprintf("ADR-020 %s: PASS when %s. Endpoints read: "
		    "%s.", ra_controls[i].adr, ra_controls[i].pass_when,
		    ra_controls[i].endpoints);
		assert_string_equal(GET(rule, "help", "text")->valuestring,
		    want);
		free(want);
		assert_string_equal(GET(rule, "properties",
		    "adr")->valuestring, ra_controls[i].adr);
	}

	/* results: FAIL, ERROR, WAIVED only, each once (the
	 * no-jurisdiction FAIL too), in the findings' order */
	results = GET(run, "results");
	assert_int_equal(cJSON_GetArraySize(results),
	    count_status(&fx.fs, RA_FAIL) + count_status(&fx.fs, RA_ERROR) +
	    count_status(&fx.fs, RA_WAIVED));
	assert_int_equal(cJSON_GetArraySize(results), 4);
	i = 0;
	for (size_t k = 0; k < fx.fs.n; k++) {
		const struct ra_finding *f = &fx.fs.v[k];
		const char *want_level;
		char *key;

		if (f->status == RA_PASS || f->status == RA_SKIPPED)
			continue;
		r = cJSON_GetArrayItem(results, (int)i++);
		assert_non_null(r);
		assert_string_equal(GET(r, "ruleId")->valuestring, f->control);
		/* ruleIndex points at the rule of the same id */
		assert_string_equal(GET(cJSON_GetArrayItem(rules,
		    GET(r, "ruleIndex")->valueint), "id")->valuestring,
		    f->control);
		want_level = f->status == RA_FAIL ? "error" :
		    f->status == RA_ERROR ? "warning" : "note";
		assert_string_equal(GET(r, "level")->valuestring, want_level);
		assert_string_equal(GET(r, "kind")->valuestring, "fail");
		assert_string_equal(GET(r, "properties", "status")->valuestring,
		    ra_status_name(f->status));
		key = ra_asprintf("%s|%s|%s", f->control,
		    f->project_id != NULL ? f->project_id : "", f->resource);
		ra_sha256_hex(key, strlen(key), hex);
		free(key);
		assert_string_equal(GET(r, "partialFingerprints",
		    "residencyFinding/v1")->valuestring, hex);
		assert_string_equal(GET(r, "locations", "0",
		    "physicalLocation", "artifactLocation",
		    "uriBaseId")->valuestring, "PACK");
		assert_string_equal(GET(r, "locations", "0",
		    "physicalLocation", "artifactLocation", "uri")->valuestring,
		    f->nevidence > 0 ? f->evidence[0].file : "inventory.json");
		assert_string_equal(GET(r, "locations", "0", "logicalLocations",
		    "0", "name")->valuestring, f->resource);
		if (f->status == RA_WAIVED) {
			assert_string_equal(GET(r, "suppressions", "0",
			    "kind")->valuestring, "external");
			assert_string_equal(GET(r, "suppressions", "0",
			    "status")->valuestring, "accepted");
			assert_string_equal(GET(r, "suppressions", "0",
			    "justification")->valuestring,
			    "DR copy approved by DPO, ticket SEC-112");
		} else
			assert_null(GET(r, "suppressions"));
	}

	/* the drifted cluster: message with observed/expected, FQN */
	r = NULL;
	for (i = 0; i < (size_t)cJSON_GetArraySize(results); i++)
		if (strcmp(GET(cJSON_GetArrayItem(results, (int)i),
		    "ruleId")->valuestring, "cluster-region") == 0)
			r = cJSON_GetArrayItem(results, (int)i);
	assert_non_null(r);
	assert_string_equal(GET(r, "message", "text")->valuestring,
	    "sv0-data-plane-eu-prod/cluster/data-eu-0: electable nodes "
	    "outside the allowed regions (observed: aws:us-east-1 "
	    "(3 electable); expected: aws:eu-west-1)");
	assert_string_equal(GET(r, "locations", "0", "logicalLocations", "0",
	    "fullyQualifiedName")->valuestring,
	    "65def6ce0f722a1507105aa5/6a793feb2c88faeba59bd8f7/"
	    "cluster/data-eu-0");
	assert_string_equal(GET(r, "properties", "jurisdiction")->valuestring,
	    "eu");

	/* an ERROR: not successful, one error notification for it */
	inv = GET(run, "invocations", "0");
	assert_true(cJSON_IsFalse(GET(inv, "executionSuccessful")));
	notes = GET(inv, "toolExecutionNotifications");
	assert_int_equal(cJSON_GetArraySize(notes), 1);
	assert_string_equal(GET(notes, "0", "level")->valuestring, "error");
	assert_string_equal(GET(notes, "0", "associatedRule",
	    "id")->valuestring, "kms-region");
	assert_non_null(strstr(GET(notes, "0", "message", "text")->valuestring,
	    "HTTP 500 after retries"));
	assert_string_equal(GET(run, "automationDetails", "id")->valuestring,
	    "residency-audit/2026-11-29");
	assert_string_equal(GET(run, "properties", "verdict")->valuestring,
	    "non-compliant");
	/* us has an ERROR of its own, but the unclassified project's FAIL
	 * (no jurisdiction) is in its report too */
	assert_string_equal(GET(run, "properties", "verdicts",
	    "us")->valuestring, "non-compliant");

	cJSON_Delete(doc);
	free(text);
	report_fixture_free(&fx);
}

static void
test_success_and_empty(void **state)
{
	static const struct {
		const char *statuses;	/* P F E W S */
		int	 success;
		int	 nresults;
	} cases[] = {
		{ "", 1, 0 },
		{ "PPS", 1, 0 },
		{ "W", 1, 1 },
		{ "F", 1, 1 },
		{ "EE", 0, 2 },
		{ "PFEWS", 0, 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report_fixture fx;
		const cJSON *inv;
		char *text;
		cJSON *doc;
		int n = 0;

		fixture_init(&fx);
		for (const char *c = cases[i].statuses; *c; c++) {
			enum ra_status st = *c == 'P' ? RA_PASS :
			    *c == 'F' ? RA_FAIL : *c == 'E' ? RA_ERROR :
			    *c == 'W' ? RA_WAIVED : RA_SKIPPED;
			char res[32];

			snprintf(res, sizeof(res), "cluster/c%d", n++);
			ra_finding_add(&fx.fs, "cluster-region", st, "p1",
			    "n1", "eu", res);
		}
		text = write_sarif(&fx);
		doc = parse(text);
		assert_valid(doc);
		inv = GET(doc, "runs", "0", "invocations", "0");
		if (cJSON_IsTrue(GET(inv, "executionSuccessful")) !=
		    cases[i].success)
			fail_msg("%s: executionSuccessful", cases[i].statuses);
		assert_int_equal(cJSON_GetArraySize(GET(inv,
		    "toolExecutionNotifications")), cases[i].success ? 0 :
		    (int)count_status(&fx.fs, RA_ERROR));
		assert_int_equal(cJSON_GetArraySize(GET(doc, "runs", "0",
		    "results")), cases[i].nresults);
		cJSON_Delete(doc);
		free(text);
		report_fixture_free(&fx);
	}
}

/* Hostile Atlas names: still valid UTF-8 and valid SARIF. */
static void
test_hostile(void **state)
{
	struct report_fixture fx;
	struct ra_finding *f;
	const cJSON *r;
	char *text;
	cJSON *doc;

	(void)state;
	fixture_init(&fx);
	f = ra_finding_add(&fx.fs, "cluster-region", RA_FAIL,
	    "p\"1\\", "bad\xff\xfe name \xc0\xaf \xed\xa0\x80 \x01\x1b[31m",
	    "eu", "cluster/\"</x>]]>\r\n\t\xf4\x90\x80\x80");
	ra_finding_set_detail(f, "trunc \xe2\x82");
	ra_finding_set_observed(f, "%s", "\x7f del");
	ra_finding_add_evidence(f, "raw/we ird#?.json",
	    "4444444444444444444444444444444444444444444444444444444444444444");
	/* a control not in the registry: ruleId but no ruleIndex */
	f = ra_finding_add(&fx.fs, "no-such-control", RA_ERROR, NULL, NULL,
	    NULL, "org");
	f = ra_finding_add(&fx.fs, "backup-copy-region", RA_WAIVED, "p2",
	    "n2", "us", "cluster/x");
	f->waiver_json = ra_strdup("not json at all");
	text = write_sarif(&fx);
	if (!xmlCheckUTF8((const xmlChar *)text))
		fail_msg("SARIF is not valid UTF-8");
	doc = parse(text);
	assert_valid(doc);
	r = GET(doc, "runs", "0", "results", "0");
	assert_string_equal(GET(r, "properties", "projectName")->valuestring,
	    "bad\xef\xbf\xbd\xef\xbf\xbd name \xef\xbf\xbd\xef\xbf\xbd "
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \x01\x1b[31m");
	assert_string_equal(GET(r, "locations", "0", "physicalLocation",
	    "artifactLocation", "uri")->valuestring, "raw/we%20ird%23%3F.json");
	r = GET(doc, "runs", "0", "results", "1");
	assert_string_equal(GET(r, "ruleId")->valuestring, "no-such-control");
	assert_null(GET(r, "ruleIndex"));
	assert_string_equal(GET(r, "locations", "0", "physicalLocation",
	    "artifactLocation", "uri")->valuestring, "inventory.json");
	/* an unparseable waiver: still suppressed, no justification */
	r = GET(doc, "runs", "0", "results", "2");
	assert_string_equal(GET(r, "suppressions", "0", "status")->valuestring,
	    "accepted");
	assert_null(GET(r, "suppressions", "0", "justification"));
	cJSON_Delete(doc);
	free(text);
	report_fixture_free(&fx);
}

/* A broken log fails: the validator does reject SARIF faults. */
static void
test_broken_rejected(void **state)
{
	static const char *const breaks[] = {
		"level fatal", "no version", "version 2.0.0", "runs object",
		"no driver name", "negative ruleIndex", "suppression kind",
		"extra top-level member", "empty locations",
	};
	struct report_fixture fx;
	char *text, err[512];

	(void)state;
	fixture_init(&fx);
	add_phase2(&fx);
	ra_findings_sort(&fx.fs);
	text = write_sarif(&fx);
	for (size_t i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
		cJSON *doc = parse(text), *run, *r0, *sup;

		assert_valid(doc);
		run = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0);
		r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(run, "results"), 0);
		switch (i) {
		case 0:
			cJSON_ReplaceItemInObject(r0, "level",
			    cJSON_CreateString("fatal"));
			break;
		case 1:
			cJSON_DeleteItemFromObject(doc, "version");
			break;
		case 2:
			cJSON_ReplaceItemInObject(doc, "version",
			    cJSON_CreateString("2.0.0"));
			break;
		case 3:
			cJSON_ReplaceItemInObject(doc, "runs",
			    cJSON_CreateObject());
			break;
		case 4:
			cJSON_DeleteItemFromObject(cJSON_GetObjectItem(
			    cJSON_GetObjectItem(run, "tool"), "driver"), "name");
			break;
		case 5:
			cJSON_ReplaceItemInObject(r0, "ruleIndex",
			    cJSON_CreateNumber(-5));
			break;
		case 6:
			for (int k = 0; k < cJSON_GetArraySize(
			    cJSON_GetObjectItem(run, "results")); k++) {
				cJSON *r = cJSON_GetArrayItem(
				    cJSON_GetObjectItem(run, "results"), k);

				sup = cJSON_GetArrayItem(cJSON_GetObjectItem(r,
				    "suppressions"), 0);
				if (sup != NULL)
					cJSON_ReplaceItemInObject(sup, "kind",
					    cJSON_CreateString("waived"));
			}
			break;
		case 7:
			cJSON_AddStringToObject(doc, "extra", "x");
			break;
		case 8:
			cJSON_ReplaceItemInObject(r0, "locations",
			    cJSON_CreateArray());
			cJSON_AddItemToArray(cJSON_GetObjectItem(r0,
			    "locations"), cJSON_CreateString("x"));
			break;
		}
		if (js_validate(sarif_schema, doc, err, sizeof(err)) == 0)
			fail_msg("%s: broken SARIF accepted", breaks[i]);
		cJSON_Delete(doc);
	}
	free(text);
	report_fixture_free(&fx);
}

static void
test_deterministic_and_failing_dir(void **state)
{
	struct report_fixture fx;
	char *a, *b;

	(void)state;
	fixture_init(&fx);
	add_phase2(&fx);
	ra_findings_sort(&fx.fs);
	a = write_sarif(&fx);
	b = write_sarif(&fx);
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(ra_report_write_sarif("/nonexistent/ra-sarif-dir",
	    &fx.in), -1);
	report_fixture_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator),
		cmocka_unit_test(test_schema_coverage),
		cmocka_unit_test(test_phase2_valid_and_content),
		cmocka_unit_test(test_success_and_empty),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_broken_rejected),
		cmocka_unit_test(test_deterministic_and_failing_dir),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
