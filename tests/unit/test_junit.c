/*
 * test_junit.c: residency-audit.junit.xml (junit.c) and the text cleaner
 * it uses (utf8clean.c). Every generated file is parsed strictly and
 * validated with libxml2 against ../shared/schemas/JUnit.xsd; then the
 * structure is read back with XPath: one suite per jurisdiction holding
 * exactly that report's findings, counts, failure/error/skipped mapping,
 * waiver messages, properties. Hostile Atlas names (control characters,
 * "]]>", markup, invalid UTF-8) must neither break validity nor be lost
 * beyond the documented cleaning. Output is deterministic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include "jsonutil.h"
#include "report.h"
#include "report_fixture.h"
#include "utf8clean.h"
#include "util.h"

#define JUNIT_XSD	RA_SHARED_DIR "/schemas/JUnit.xsd"

static char *eu_regions[] = { rf_euw1 };

static xmlSchemaPtr schema;

/* The shared report input, "eu" = aws:eu-west-1, in a fresh directory. */
static void
fixture_init(struct report_fixture *fx)
{
	report_fixture_init(fx, eu_regions, 1, NULL,
	    "/tmp/ra-test-junit.XXXXXX");
}

static int
setup(void **state)
{
	xmlSchemaParserCtxtPtr pc;

	(void)state;
	pc = xmlSchemaNewParserCtxt(JUNIT_XSD);
	if (pc == NULL)
		return -1;
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	return schema != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	xmlSchemaFree(schema);
	xmlCleanupParser();
	return 0;
}

static char *
write_junit(struct report_fixture *fx, size_t *lenp)
{
	char *path, *text = NULL;
	size_t len;

	assert_int_equal(ra_report_write_junit(fx->dir, &fx->in), 0);
	path = ra_asprintf("%s/residency-audit.junit.xml", fx->dir);
	assert_int_equal(ra_file_read(&text, &len, path, 1 << 24), 0);
	free(path);
	if (lenp != NULL)
		*lenp = len;
	return text;
}

/* Strict parse (no recovery, no network) and XSD validation. */
static xmlDocPtr
parse_valid(const char *text, size_t len)
{
	xmlSchemaValidCtxtPtr vc;
	xmlDocPtr doc;
	int rc;

	doc = xmlReadMemory(text, (int)len, "junit.xml", NULL,
	    XML_PARSE_NONET);
	if (doc == NULL)
		fail_msg("JUnit XML is not well-formed");
	vc = xmlSchemaNewValidCtxt(schema);
	assert_non_null(vc);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	if (rc != 0)
		fail_msg("JUnit XML invalid against JUnit.xsd (%d)", rc);
	return doc;
}

/* The string value of an XPath expression ("" when empty). */
static char *
xp_str(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr c = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	xmlChar *s;
	char *r;

	assert_non_null(c);
	o = xmlXPathEvalExpression((const xmlChar *)expr, c);
	if (o == NULL)
		fail_msg("XPath %s does not evaluate", expr);
	s = xmlXPathCastToString(o);
	r = ra_strdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(c);
	return r;
}

static void
assert_xp(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xp_str(doc, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", expr, got, want);
	free(got);
}

static void
add_phase2(struct report_fixture *fx)
{
	struct ra_finding *f;

	f = ra_finding_add(&fx->fs, "terraform-policy-drift", RA_SKIPPED,
	    NULL, NULL, NULL, "org");
	ra_finding_set_detail(f, "--terraform-state not given");
	f = ra_finding_add(&fx->fs, "project-classified", RA_FAIL,
	    "6a793feb2c88faeba59bd999", "stray-project", NULL, "project");
	ra_finding_set_detail(f, "project not classified");
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
	f = ra_finding_add(&fx->fs, "search-node-region", RA_SKIPPED,
	    "6a793feb2c88faeba59bd8f8", "sv0-data-plane-us-prod", "us",
	    "cluster/data-us-0");
	ra_finding_set_detail(f, "no dedicated search nodes");
	ra_findings_sort(&fx->fs);
}

static void
test_utf8_clean(void **state)
{
	static const struct {
		const char *in, *xml, *json;
	} cases[] = {
		{ "plain", "plain", "plain" },
		{ "", "", "" },
		{ "tab\there\nnl\rcr", "tab\there\nnl\rcr",
		  "tab\there\nnl\rcr" },
		{ "a\x01" "b\x1b" "c\x7f" "d", "abc\x7f" "d",
		  "a\x01" "b\x1b" "c\x7f" "d" },
		{ "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9" },
		/* stray continuation, lone lead, overlong "/" */
		{ "x\x80y", "x\xef\xbf\xbdy", "x\xef\xbf\xbdy" },
		{ "\xff", "\xef\xbf\xbd", "\xef\xbf\xbd" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd",
		  "\xef\xbf\xbd\xef\xbf\xbd" },
		/* truncated 3-byte sequence at the end */
		{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd",
		  "\xef\xbf\xbd\xef\xbf\xbd" },
		/* UTF-16 surrogate encoded in UTF-8 */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		/* above U+10FFFF */
		{ "\xf4\x90\x80\x80",
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		/* U+FFFE, U+FFFF: valid UTF-8, not XML characters */
		{ "a\xef\xbf\xbe\xef\xbf\xbf" "b", "ab",
		  "a\xef\xbf\xbe\xef\xbf\xbf" "b" },
		/* U+10FFFF and an emoji are fine */
		{ "\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80",
		  "\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80",
		  "\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80" },
		{ "]]><&\"'", "]]><&\"'", "]]><&\"'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *x = ra_utf8_clean(cases[i].in, RA_UTF8_XML);
		char *j = ra_utf8_clean(cases[i].in, RA_UTF8_JSON);

		if (strcmp(x, cases[i].xml) != 0)
			fail_msg("case %zu: xml mode differs", i);
		if (strcmp(j, cases[i].json) != 0)
			fail_msg("case %zu: json mode differs", i);
		free(x);
		free(j);
	}
	{
		char *n = ra_utf8_clean(NULL, RA_UTF8_XML);

		assert_string_equal(n, "");
		free(n);
	}
}

static void
test_phase2_structure(void **state)
{
	struct report_fixture fx;
	xmlDocPtr doc;
	size_t len;
	char *text;

	(void)state;
	fixture_init(&fx);
	add_phase2(&fx);
	text = write_junit(&fx, &len);
	doc = parse_valid(text, len);

	assert_xp(doc, "count(/testsuites/testsuite)", "2");
	assert_xp(doc, "/testsuites/testsuite[1]/@name", "residency-audit.eu");
	assert_xp(doc, "/testsuites/testsuite[2]/@name", "residency-audit.us");
	assert_xp(doc, "/testsuites/testsuite[2]/@id", "1");
	assert_xp(doc, "/testsuites/testsuite[1]/@timestamp",
	    "2026-11-29T00:00:00");
	assert_xp(doc, "/testsuites/testsuite[1]/@hostname", rf_org);
	/* eu: 2 no-jurisdiction + 3 own; us: 2 + 2 */
	assert_xp(doc, "/testsuites/testsuite[1]/@tests", "5");
	assert_xp(doc, "count(/testsuites/testsuite[1]/testcase)", "5");
	assert_xp(doc, "/testsuites/testsuite[1]/@failures", "2");
	assert_xp(doc, "/testsuites/testsuite[1]/@errors", "0");
	assert_xp(doc, "/testsuites/testsuite[1]/@skipped", "2");
	assert_xp(doc, "/testsuites/testsuite[2]/@tests", "4");
	assert_xp(doc, "/testsuites/testsuite[2]/@failures", "1");
	assert_xp(doc, "/testsuites/testsuite[2]/@errors", "1");
	assert_xp(doc, "/testsuites/testsuite[2]/@skipped", "2");
	/* counts agree with the elements */
	assert_xp(doc, "count(//testsuite[1]/testcase/failure)", "2");
	assert_xp(doc, "count(//testsuite[2]/testcase/error)", "1");

	/* properties */
	assert_xp(doc, "//testsuite[1]/properties/property[@name='verdict']"
	    "/@value", "non-compliant");
	assert_xp(doc, "//testsuite[1]/properties/property[@name='asOf']"
	    "/@value", "2026-11-29T00:00:00Z");
	assert_xp(doc, "//testsuite[1]/properties/property[@name='orgId']"
	    "/@value", rf_org);
	assert_xp(doc, "//testsuite[1]/properties/property"
	    "[@name='toolVersion']/@value", RA_VERSION);
	assert_xp(doc, "//testsuite[1]/properties/property"
	    "[@name='inventoryDigest']/@value",
	    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");

	/* FAIL */
	assert_xp(doc, "//testsuite[1]/testcase[@classname='cluster-region' "
	    "and @name='sv0-data-plane-eu-prod/cluster/data-eu-0']"
	    "/failure/@type", "cluster-region");
	assert_xp(doc, "//testsuite[1]/testcase[@classname='cluster-region' "
	    "and @name='sv0-data-plane-eu-prod/cluster/data-eu-0']"
	    "/failure/@message", "electable nodes outside the allowed regions");
	assert_xp(doc, "contains(//testsuite[1]/testcase[failure/@type="
	    "'cluster-region']/failure, 'observed: aws:us-east-1 "
	    "(3 electable)')", "true");
	assert_xp(doc, "contains(//testsuite[1]/testcase[failure/@type="
	    "'cluster-region']/failure, 'ADR-020 \xc2\xa7" "2, \xc2\xa7" "6')",
	    "true");
	assert_xp(doc, "contains(//testsuite[1]/testcase[failure/@type="
	    "'cluster-region']/failure, 'raw/00007.json sha256:1111')", "true");
	/* PASS: a bare testcase */
	assert_xp(doc, "count(//testsuite[1]/testcase[@name='sv0-control-plane"
	    "/cluster/control-0']/*)", "0");
	/* WAIVED */
	assert_xp(doc, "//testsuite[1]/testcase[@classname="
	    "'backup-copy-region']/skipped/@message",
	    "waived: DR copy approved by DPO, ticket SEC-112 (approved by "
	    "dpo@example.com, expires 2027-03-31)");
	/* SKIPPED, org level: named after the org */
	assert_xp(doc, "//testsuite[2]/testcase[@classname="
	    "'terraform-policy-drift']/skipped/@message",
	    "--terraform-state not given");
	assert_xp(doc, "//testsuite[2]/testcase[@classname="
	    "'terraform-policy-drift']/@name", "65def6ce0f722a1507105aa5/org");
	/* ERROR */
	assert_xp(doc, "//testsuite[2]/testcase/error/@type", "evidence");
	assert_xp(doc, "//testsuite[2]/testcase[error]/@classname",
	    "kms-region");
	assert_xp(doc, "//testsuite[2]/testcase/error/@message",
	    "encryptionAtRest: HTTP 500 after retries");
	/* the unclassified project's FAIL is in both suites */
	assert_xp(doc, "count(//testcase[@classname='project-classified']"
	    "/failure)", "2");

	xmlFreeDoc(doc);
	free(text);
	report_fixture_free(&fx);
}

/* Whatever Atlas names are, the file stays well-formed and valid. */
static void
test_hostile_names(void **state)
{
	static const char *const names[] = {
		"ctl\x01\x02\x08\x0b\x0c\x1b[31m\x1f",
		"]]>",
		"<![CDATA[x]]>",
		"</testcase></testsuite><testsuite name=\"evil\">",
		"&amp; &#0; &#x1; &bogus;",
		"\"'",
		"bad\xff\xfeutf8\xc0\xaf\xed\xa0\x80\xe2\x82",
		"\xef\xbf\xbe\xef\xbf\xbf",
		"<!-- -- -->",
		"   ",
		"line\r\nbreak\ttab",
		"",
	};
	struct report_fixture fx;
	xmlDocPtr doc;
	size_t len, n = sizeof(names) / sizeof(names[0]);
	char *text, expr[128], *got, *want, *full;

	(void)state;
	fixture_init(&fx);
	for (size_t i = 0; i < n; i++) {
		struct ra_finding *f;
		char res[64];

		snprintf(res, sizeof(res), "cluster/c%02zu", i);
		f = ra_finding_add(&fx.fs, "cluster-region",
		    i % 3 == 0 ? RA_FAIL : i % 3 == 1 ? RA_ERROR : RA_WAIVED,
		    names[i], names[i], "eu", res);
		ra_finding_set_detail(f, "%s", names[i]);
		ra_finding_set_observed(f, "%s", names[i]);
		if (f->status == RA_WAIVED)
			f->waiver_json = ra_asprintf("{\"reason\":\"%s\"}",
			    names[i][0] == '"' ? "q" : names[i]);
	}
	/* a skipped one whose detail is hostile */
	ra_finding_set_detail(ra_finding_add(&fx.fs, "search-node-region",
	    RA_SKIPPED, "p", "p", "eu", "cluster/s"), "]]>\x01<&");
	text = write_junit(&fx, &len);
	/* no raw control characters at all, other than tab, LF, CR */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\t' &&
		    text[i] != '\n' && text[i] != '\r')
			fail_msg("raw control byte 0x%02x at %zu",
			    (unsigned char)text[i], i);
	doc = parse_valid(text, len);
	assert_xp(doc, "count(//testsuite)", "2");
	assert_xp(doc, "count(//testsuite[1]/testcase)", "13");
	/* each name reads back as its cleaned form */
	for (size_t i = 0; i < n; i++) {
		snprintf(expr, sizeof(expr),
		    "(//testsuite[1]/testcase)[%zu]/@name", i + 1);
		got = xp_str(doc, expr);
		want = ra_utf8_clean(names[i], RA_UTF8_XML);
		full = ra_asprintf("%s/cluster/c%02zu", want, i);
		/* tab, CR, LF are written as character references, so
		 * attribute normalisation keeps them */
		if (strcmp(got, full) != 0)
			fail_msg("name %zu: got \"%s\" want \"%s\"", i, got,
			    full);
		free(full);
		free(got);
		free(want);
	}
	assert_xp(doc, "//testcase[@name='p/cluster/s']/skipped/@message",
	    "]]><&");
	xmlFreeDoc(doc);
	free(text);
	report_fixture_free(&fx);
}

static void
test_empty_and_deterministic(void **state)
{
	struct report_fixture fx;
	xmlDocPtr doc;
	size_t la, lb;
	char *a, *b;

	(void)state;
	fixture_init(&fx);
	a = write_junit(&fx, &la);
	doc = parse_valid(a, la);
	assert_xp(doc, "/testsuites/testsuite[1]/@tests", "0");
	assert_xp(doc, "count(//testcase)", "0");
	assert_xp(doc, "//testsuite[1]/properties/property[@name='verdict']"
	    "/@value", "compliant");
	xmlFreeDoc(doc);
	free(a);

	add_phase2(&fx);
	a = write_junit(&fx, &la);
	b = write_junit(&fx, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);

	/* no org id anywhere: hostname falls back to "atlas" */
	fx.inv.org_id = NULL;
	fx.model.org_id = NULL;
	a = write_junit(&fx, &la);
	doc = parse_valid(a, la);
	assert_xp(doc, "/testsuites/testsuite[1]/@hostname", "atlas");
	assert_xp(doc, "//testcase[@classname='terraform-policy-drift']/@name",
	    "org/org");
	xmlFreeDoc(doc);
	free(a);

	assert_int_equal(ra_report_write_junit("/nonexistent/ra-junit-dir",
	    &fx.in), -1);
	report_fixture_free(&fx);
}

/*
 * The schema check is live: hand-written documents that break the XSD
 * in the ways a careless writer would are rejected, a minimal good one
 * is accepted.
 */
static void
test_schema_rejects(void **state)
{
#define SUITE_OPEN "<testsuite name=\"s\" package=\"p\" id=\"0\" " \
	"tests=\"1\" failures=\"0\" errors=\"0\" time=\"0\" " \
	"timestamp=\"2026-11-29T00:00:00\" hostname=\"h\">"
#define TAIL "<system-out/><system-err/></testsuite></testsuites>"
	static const struct {
		const char *xml;
		int	 valid;
	} cases[] = {
		{ "<testsuites>" SUITE_OPEN "<properties/>"
		  "<testcase name=\"n\" classname=\"c\" time=\"0\"/>" TAIL, 1 },
		/* totals on <testsuites>: not in the schema */
		{ "<testsuites tests=\"1\">" SUITE_OPEN "<properties/>" TAIL, 0 },
		/* no <properties> */
		{ "<testsuites>" SUITE_OPEN TAIL, 0 },
		/* zone designator in the timestamp */
		{ "<testsuites><testsuite name=\"s\" package=\"p\" id=\"0\" "
		  "tests=\"1\" failures=\"0\" errors=\"0\" time=\"0\" "
		  "timestamp=\"2026-11-29T00:00:00Z\" hostname=\"h\">"
		  "<properties/>" TAIL, 0 },
		/* failure without type */
		{ "<testsuites>" SUITE_OPEN "<properties/>"
		  "<testcase name=\"n\" classname=\"c\" time=\"0\">"
		  "<failure message=\"m\"/></testcase>" TAIL, 0 },
		/* no system-err */
		{ "<testsuites>" SUITE_OPEN "<properties/><system-out/>"
		  "</testsuite></testsuites>", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xmlDocPtr doc = xmlReadMemory(cases[i].xml,
		    (int)strlen(cases[i].xml), "case.xml", NULL,
		    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
		int rc;

		assert_non_null(doc);
		xmlSchemaSetValidErrors(vc, NULL, NULL, NULL);
		rc = xmlSchemaValidateDoc(vc, doc);
		if ((rc == 0) != cases[i].valid)
			fail_msg("case %zu: validation gave %d", i, rc);
		xmlSchemaFreeValidCtxt(vc);
		xmlFreeDoc(doc);
	}
#undef SUITE_OPEN
#undef TAIL
}

/* The table reaches both new renderers through ra_reports_write. */
static void
test_table_rows(void **state)
{
	struct report_fixture fx;
	char *p;

	(void)state;
	fixture_init(&fx);
	add_phase2(&fx);
	assert_int_equal(ra_reports_write(fx.dir, &fx.in,
	    RA_FMT_JUNIT | RA_FMT_SARIF), 0);
	p = ra_asprintf("%s/residency-audit.junit.xml", fx.dir);
	assert_int_equal(access(p, F_OK), 0);
	free(p);
	p = ra_asprintf("%s/residency-audit.sarif", fx.dir);
	assert_int_equal(access(p, F_OK), 0);
	free(p);
	p = ra_asprintf("%s/residency-evidence-eu.json", fx.dir);
	assert_int_not_equal(access(p, F_OK), 0);
	free(p);
	report_fixture_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_clean),
		cmocka_unit_test(test_schema_rejects),
		cmocka_unit_test(test_phase2_structure),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_empty_and_deterministic),
		cmocka_unit_test(test_table_rows),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
