/*
 * junit.c: residency-audit.junit.xml (CONTRACT §3, `--format junit`), the
 * CI gate's view of the findings, written with libxml2's xmlwriter.
 *
 * Shape (valid against the Jenkins/GitLab JUnit.xsd in ../shared/schemas):
 *   <testsuites>                      the schema allows no attributes here;
 *                                     the run's totals are in a comment
 *     <testsuite name="residency-audit.<key>" package="residency-audit"
 *         id="<n>" tests failures errors skipped time="0"
 *         timestamp="<asOf without zone>" hostname="<org id or atlas>">
 *       <properties> orgId, asOf, tool, toolVersion, inventoryDigest,
 *         jurisdiction, verdict </properties>
 *       <testcase classname="<control id>" name="<project>/<resource>"
 *           time="0">                 one per finding of the report
 *         FAIL    <failure message type="<control id>">body</failure>
 *         ERROR   <error message type="evidence">body</error>
 *         SKIPPED <skipped message="<detail>"/>
 *         WAIVED  <skipped message="waived: <reason> (approved by <who>,
 *                  expires <date>)">body</skipped>
 *       </testcase>
 *       <system-out/> <system-err/>   required by the schema
 *     </testsuite>
 *   </testsuites>
 *
 * Each testsuite holds exactly the findings of that jurisdiction's report
 * (ra_report_includes), so a finding without jurisdiction is in every
 * suite, as it is in every report. The timestamp is asOf in UTC; the XSD
 * pattern forbids a zone designator, so "Z" is dropped there and kept in
 * the asOf property.
 *
 * Text from Atlas reaches the file only through ra_utf8_clean (XML 1.0
 * Char production; invalid UTF-8 becomes U+FFFD) and xmlwriter's
 * escaping, so no name can end an element or make the document invalid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "checks.h"
#include "clock.h"
#include "jsonutil.h"
#include "log.h"
#include "report.h"
#include "utf8clean.h"
#include "util.h"

#define JUNIT_FILE	"residency-audit.junit.xml"

/* The writer and its sticky error flag (STYLE 4). */
struct jw {
	xmlTextWriterPtr w;
	int		 err;
};

static void
jw_start(struct jw *jw, const char *name)
{
	if (!jw->err && xmlTextWriterStartElement(jw->w,
	    (const xmlChar *)name) < 0)
		jw->err = 1;
}

static void
jw_end(struct jw *jw)
{
	if (!jw->err && xmlTextWriterEndElement(jw->w) < 0)
		jw->err = 1;
}

/* An attribute whose value is cleaned text (NULL: ""). */
static void
jw_attr(struct jw *jw, const char *name, const char *value)
{
	char *v = ra_utf8_clean(value, RA_UTF8_XML);

	if (!jw->err && xmlTextWriterWriteAttribute(jw->w,
	    (const xmlChar *)name, (const xmlChar *)v) < 0)
		jw->err = 1;
	free(v);
}

static void
jw_attr_uint(struct jw *jw, const char *name, unsigned long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lu", v);
	jw_attr(jw, name, num);
}

/* Character data, cleaned and escaped. */
static void
jw_text(struct jw *jw, const char *s)
{
	char *v = ra_utf8_clean(s, RA_UTF8_XML);

	if (!jw->err && xmlTextWriterWriteString(jw->w,
	    (const xmlChar *)v) < 0)
		jw->err = 1;
	free(v);
}

static void
jw_property(struct jw *jw, const char *name, const char *value)
{
	if (value == NULL)
		return;
	jw_start(jw, "property");
	jw_attr(jw, "name", name);
	jw_attr(jw, "value", value);
	jw_end(jw);
}

/*
 * The testcase name: "<project name>/<resource>", the project id when it
 * has no name, the org id for org-level findings.
 */
static char *
case_name(const struct ra_report_input *in, const struct ra_finding *f)
{
	const char *who = f->project_name;

	if (who == NULL)
		who = f->project_id;
	if (who == NULL)
		who = ra_report_org(in);
	if (who == NULL)
		who = "org";
	return ra_asprintf("%s/%s", who,
	    f->resource != NULL ? f->resource : "");
}

/*
 * The parsed waiver's reason, approvedBy and expires for the skipped
 * message of a WAIVED finding; any of them may be missing.
 */
static char *
waived_message(const struct ra_finding *f)
{
	const char *reason = NULL, *by = NULL, *exp = NULL;
	cJSON *w = NULL;
	char *msg;

	if (f->waiver_json != NULL)
		w = ra_json_parse(f->waiver_json, strlen(f->waiver_json),
		    NULL, 0);
	reason = ra_json_str(w, "reason");
	by = ra_json_str(w, "approvedBy");
	exp = ra_json_str(w, "expires");
	msg = ra_asprintf("waived: %s (approved by %s, expires %s)",
	    reason != NULL ? reason : "no reason given",
	    by != NULL ? by : "unknown", exp != NULL ? exp : "unknown");
	cJSON_Delete(w);
	return msg;
}

/*
 * The text of a failure, error or waived skip: what the report JSON
 * holds for the finding, one field a line, plus the ADR section of the
 * control.
 */
static char *
finding_body(const struct ra_finding *f)
{
	const struct ra_control *c = ra_control_find(f->control);
	struct ra_buf b;
	char *s;

	ra_buf_init(&b, 0);
	ra_buf_printf(&b, "\ncontrol: %s", f->control);
	if (c != NULL)
		ra_buf_printf(&b, " (ADR-020 %s): %s", c->adr, c->title);
	ra_buf_printf(&b, "\nproject: %s (%s)\nresource: %s\n",
	    f->project_name != NULL ? f->project_name : "-",
	    f->project_id != NULL ? f->project_id : "org level",
	    f->resource != NULL ? f->resource : "-");
	ra_buf_printf(&b, "expected: %s\nobserved: %s\ndetail: %s\n",
	    f->expected != NULL ? f->expected : "-",
	    f->observed != NULL ? f->observed : "-",
	    f->detail != NULL ? f->detail : "-");
	if (f->nevidence > 0)
		ra_buf_adds(&b, "evidence:\n");
	for (size_t i = 0; i < f->nevidence; i++)
		ra_buf_printf(&b, "  %s sha256:%s\n", f->evidence[i].file,
		    f->evidence[i].sha256);
	s = ra_buf_steal(&b);
	ra_buf_free(&b);
	return s != NULL ? s : ra_strdup("");
}

/* The message attribute of a failure or error: the detail, or a line
 * built from observed/expected when there is none. */
static char *
finding_message(const struct ra_finding *f)
{
	if (f->detail != NULL && f->detail[0] != '\0')
		return ra_strdup(f->detail);
	return ra_asprintf("observed: %s; expected: %s",
	    f->observed != NULL ? f->observed : "-",
	    f->expected != NULL ? f->expected : "-");
}

static void
write_testcase(struct jw *jw, const struct ra_report_input *in,
    const struct ra_finding *f)
{
	char *name = case_name(in, f), *msg = NULL, *body = NULL;

	jw_start(jw, "testcase");
	jw_attr(jw, "name", name);
	jw_attr(jw, "classname", f->control);
	jw_attr(jw, "time", "0");
	switch (f->status) {
	case RA_FAIL:
	case RA_ERROR:
		msg = finding_message(f);
		body = finding_body(f);
		jw_start(jw, f->status == RA_FAIL ? "failure" : "error");
		jw_attr(jw, "message", msg);
		jw_attr(jw, "type", f->status == RA_FAIL ? f->control :
		    "evidence");
		jw_text(jw, body);
		jw_end(jw);
		break;
	case RA_SKIPPED:
		jw_start(jw, "skipped");
		jw_attr(jw, "message", f->detail != NULL ? f->detail :
		    "skipped");
		jw_end(jw);
		break;
	case RA_WAIVED:
		msg = waived_message(f);
		body = finding_body(f);
		jw_start(jw, "skipped");
		jw_attr(jw, "message", msg);
		jw_text(jw, body);
		jw_end(jw);
		break;
	case RA_PASS:
	default:
		break;
	}
	jw_end(jw);
	free(name);
	free(msg);
	free(body);
}

/* Counts of one report's findings, by status. */
static void
count_findings(const struct ra_findings *fs, const char *key,
    unsigned long counts[RA_NSTATUS], unsigned long *total)
{
	memset(counts, 0, sizeof(unsigned long) * RA_NSTATUS);
	*total = 0;
	for (size_t i = 0; fs != NULL && i < fs->n; i++) {
		if (!ra_report_includes(&fs->v[i], key))
			continue;
		(*total)++;
		if ((unsigned)fs->v[i].status < RA_NSTATUS)
			counts[fs->v[i].status]++;
	}
}

static void
write_suite(struct jw *jw, const struct ra_report_input *in, size_t idx)
{
	const struct ra_jurisdiction *j = &in->inv->jurisdictions[idx];
	const struct ra_findings *fs = in->findings;
	unsigned long c[RA_NSTATUS], total;
	char asof[32], stamp[32], digest[RA_REPORT_DIGEST_SZ];
	const char *org = ra_report_org(in), *host = "atlas";
	char *name;

	count_findings(fs, j->key, c, &total);
	ra_time_rfc3339(in->as_of, asof, sizeof(asof));
	/* JUnit.xsd: [0-9]{4}-...T[0-9]{2}:[0-9]{2}:[0-9]{2}, no zone */
	snprintf(stamp, sizeof(stamp), "%.19s", asof);
	/* hostname is an xs:token of at least one character */
	if (org != NULL && ra_is_safe_component(org))
		host = org;
	name = ra_asprintf("%s.%s", RA_TOOL_NAME, j->key);

	jw_start(jw, "testsuite");
	jw_attr(jw, "name", name);
	jw_attr(jw, "package", RA_TOOL_NAME);
	jw_attr_uint(jw, "id", idx);
	jw_attr_uint(jw, "tests", total);
	jw_attr_uint(jw, "failures", c[RA_FAIL]);
	jw_attr_uint(jw, "errors", c[RA_ERROR]);
	jw_attr_uint(jw, "skipped", c[RA_SKIPPED] + c[RA_WAIVED]);
	jw_attr(jw, "time", "0");
	jw_attr(jw, "timestamp", stamp);
	jw_attr(jw, "hostname", host);

	jw_start(jw, "properties");
	jw_property(jw, "orgId", org);
	jw_property(jw, "asOf", asof);
	jw_property(jw, "jurisdiction", j->key);
	jw_property(jw, "tool", RA_TOOL_NAME);
	jw_property(jw, "toolVersion", RA_VERSION);
	jw_property(jw, "inventoryDigest", ra_report_digest(in, digest));
	jw_property(jw, "verdict", ra_verdict(fs, j->key));
	jw_end(jw);

	for (size_t i = 0; fs != NULL && i < fs->n; i++)
		if (ra_report_includes(&fs->v[i], j->key))
			write_testcase(jw, in, &fs->v[i]);

	jw_start(jw, "system-out");
	jw_end(jw);
	jw_start(jw, "system-err");
	jw_end(jw);
	jw_end(jw);
	free(name);
}

int
ra_report_write_junit(const char *dir, const struct ra_report_input *in)
{
	struct jw jw = { NULL, 0 };
	xmlBufferPtr buf = NULL;
	unsigned long c[RA_NSTATUS], total;
	char *comment = NULL;
	int rc = -1;

	buf = xmlBufferCreate();
	if (buf != NULL)
		jw.w = xmlNewTextWriterMemory(buf, 0);
	if (jw.w == NULL) {
		ra_error("%s/%s: out of memory", dir, JUNIT_FILE);
		goto out;
	}
	if (xmlTextWriterSetIndent(jw.w, 1) < 0 ||
	    xmlTextWriterSetIndentString(jw.w, (const xmlChar *)"  ") < 0 ||
	    xmlTextWriterStartDocument(jw.w, "1.0", "UTF-8", NULL) < 0)
		jw.err = 1;

	/* JUnit.xsd declares no attributes on <testsuites>: totals over
	 * every finding go into a comment (digits only, no "--"). */
	count_findings(in->findings, NULL, c, &total);
	comment = ra_asprintf(" %s %s: tests=%lu failures=%lu errors=%lu "
	    "skipped=%lu verdict=%s ", RA_TOOL_NAME, RA_VERSION, total,
	    c[RA_FAIL], c[RA_ERROR], c[RA_SKIPPED] + c[RA_WAIVED],
	    ra_verdict(in->findings, NULL));
	if (!jw.err && xmlTextWriterWriteComment(jw.w,
	    (const xmlChar *)comment) < 0)
		jw.err = 1;

	jw_start(&jw, "testsuites");
	for (size_t i = 0; i < in->inv->njurisdictions; i++)
		write_suite(&jw, in, i);
	jw_end(&jw);
	if (!jw.err && xmlTextWriterEndDocument(jw.w) < 0)
		jw.err = 1;
	/* flushes the writer into buf */
	xmlFreeTextWriter(jw.w);
	jw.w = NULL;
	if (jw.err) {
		ra_error("%s/%s: XML writer failed", dir, JUNIT_FILE);
		goto out;
	}
	if (ra_report_write_file(dir, JUNIT_FILE, xmlBufferContent(buf),
	    (size_t)xmlBufferLength(buf)) != 0)
		goto out;
	rc = 0;
out:
	if (jw.w != NULL)
		xmlFreeTextWriter(jw.w);
	if (buf != NULL)
		xmlBufferFree(buf);
	free(comment);
	return rc;
}
