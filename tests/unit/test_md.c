/*
 * test_md.c: the Markdown procurement document rendered with the real
 * template (RA_SOURCE_DIR/templates) from a small model with hostile
 * Atlas names (pipes, backticks, HTML, newlines, ../): sections in
 * order, every table row with its header's number of cells, no raw
 * HTML, policy bodies inside a longer fence, the evidence index cap.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "checks.h"
#include "endpoints.h"
#include "jsonutil.h"
#include "mustache.h"
#include "report.h"
#include "report_fixture.h"
#include "utf8clean.h"
#include "util.h"

#define HOSTILE_P	"evil|`pipe`<script>alert(1)</script>\n../../etc\r\n| x |"
#define HOSTILE_C	"c|1``\n<img src=x onerror=alert(1)>"
#define HOSTILE_POL	"eu-only|\n# injected [link](http://x) *b* _i_ \\|"
#define BODY1 \
	"forbid (principal, action == ResourcePolicy::Action::\"cluster.modify\", resource)\n" \
	"unless { [ResourcePolicy::Region::\"aws:eu-west-1\"].containsAll(context.cluster.regions) };\n" \
	"// ``` a fence-like line:\n```\n| not | a | table |\n<script>x</script>"
#define BODY2	"````\n``````"

static char *eu_regions[] = { rf_euc1, rf_euw1 };

static struct ra_raw_record
record(unsigned seq, const char *endpoint, const char *group,
    const char *cluster)
{
	struct ra_raw_record r;

	memset(&r, 0, sizeof(r));
	r.seq = seq;
	r.endpoint = ra_strdup(endpoint);
	r.org_id = ra_strdup(rf_org);
	r.group_id = ra_strdup(group);
	r.cluster = ra_strdup(cluster);
	r.method = ra_strdup("GET");
	r.url = ra_strdup("https://cloud.mongodb.com/api/atlas/v2/orgs/x");
	r.status = 200;
	r.outcome = ra_strdup("ok");
	r.body_file = ra_asprintf("raw/%05u.json", seq);
	r.meta_file = ra_asprintf("raw/%05u.meta.json", seq);
	ra_sha256_hex(r.body_file, strlen(r.body_file), r.sha256);
	r.list_complete = -1;
	r.attempts = 1;
	return r;
}

static struct ra_model *
model_new(size_t nrecords)
{
	struct ra_model *m = ra_calloc(1, sizeof(*m));
	struct ra_project *p;
	struct ra_cluster *c;
	struct ra_region_config *rc;
	struct ra_resource_policy *pol;

	m->org_id = ra_strdup(rf_org);
	m->org_name = ra_strdup("Acme | <b>Org</b>");
	m->nprojects = 1;
	m->projects = p = ra_calloc(1, sizeof(*p));
	p->id = ra_strdup("6a793feb2c88faeba59bd8f6");
	p->name = ra_strdup(HOSTILE_P);
	p->nclusters = 2;
	p->clusters = c = ra_calloc(2, sizeof(*c));
	c[0].kind = RA_CLUSTER_DEDICATED;
	c[0].name = ra_strdup(HOSTILE_C);
	c[0].cluster_type = ra_strdup("REPLICASET");
	c[0].state = ra_strdup("IDLE");
	c[0].backup_enabled = 1;
	c[0].pit_enabled = 0;
	c[0].ear_provider = ra_strdup("AWS");
	c[0].nspecs = 1;
	c[0].specs = ra_calloc(1, sizeof(*c[0].specs));
	c[0].specs[0].nconfigs = 2;
	c[0].specs[0].configs = rc = ra_calloc(2, sizeof(*rc));
	rc[0].provider = ra_strdup("AWS");
	rc[0].region = ra_strdup("EU_WEST_1");
	rc[0].electable = 3;
	rc[0].instance_size = ra_strdup("M10");
	rc[1].provider = ra_strdup("AWS");
	rc[1].region = ra_strdup("US_EAST_1");
	rc[1].analytics = 1;
	c[1].kind = RA_CLUSTER_FLEX;
	c[1].name = ra_strdup("flex|two");
	c[1].backing_provider = ra_strdup("AWS");
	c[1].backing_region = ra_strdup("EU_WEST_1");
	c[1].backup_enabled = 1;
	c[1].pit_enabled = RA_TRI_UNKNOWN;

	m->npolicies = 1;
	m->policies = pol = ra_calloc(1, sizeof(*pol));
	pol->id = ra_strdup("pol-1");
	pol->name = ra_strdup(HOSTILE_POL);
	pol->description = ra_strdup("desc <i>x</i>\nsecond | line");
	pol->last_updated = ra_strdup("2026-05-03T10:00:00Z");
	pol->version = ra_strdup("v1");
	pol->npolicies = 2;
	pol->policies = ra_calloc(2, sizeof(*pol->policies));
	pol->policies[0].id = ra_strdup("body-1");
	pol->policies[0].body = ra_strdup(BODY1);
	pol->policies[1].id = ra_strdup("body-2");
	pol->policies[1].body = ra_strdup(BODY2);

	m->nstats = 1;
	m->stats = ra_calloc(1, sizeof(*m->stats));
	m->stats[0].endpoint = ra_endpoints[0].id;
	m->stats[0].requests = 2;
	m->stats[0].retried = 1;
	m->stats[0].pages = 2;
	m->requests = 7;
	m->failed = 1;
	m->retried = 1;
	m->pages = 2;
	m->rate_limited = 3;

	m->nrecords = nrecords;
	m->records = ra_calloc(nrecords + 1, sizeof(*m->records));
	for (size_t i = 0; i < nrecords; i++)
		m->records[i] = record((unsigned)i + 1, ra_endpoints[0].id,
		    i == 1 ? "grp|`x`<u>" : NULL, i == 1 ? HOSTILE_C : NULL);
	return m;
}

/* The shared report input with model_new's model and hostile findings. */
static void
fixture_init(struct report_fixture *fx, size_t nrecords)
{
	struct ra_finding *f;

	report_fixture_init(fx, eu_regions, 2, model_new(nrecords), NULL);
	f = ra_finding_add(&fx->fs, "terraform-policy-drift", RA_SKIPPED,
	    NULL, NULL, NULL, "org");
	ra_finding_set_detail(f, "%s", "no --terraform-state | given");
	f = ra_finding_add(&fx->fs, "cluster-region", RA_FAIL,
	    "6a793feb2c88faeba59bd8f6", HOSTILE_P, "eu", "cluster/" HOSTILE_C);
	ra_finding_set_expected(f, "%s", "aws:eu-central-1, aws:eu-west-1");
	ra_finding_set_observed(f, "%s",
	    "aws:eu-west-1 (3 electable), aws:us-east-1 (1 analytics)");
	ra_finding_set_detail(f, "%s", "analytics | node `outside`\n<b>x</b>");
	ra_finding_add_evidence(f, "raw/00001.json", "aa");
	ra_finding_add_evidence(f, "raw/00002.json", "bb");
	ra_finding_add(&fx->fs, "project-classified", RA_PASS,
	    "6a793feb2c88faeba59bd8f6", HOSTILE_P, "eu", "project");
	ra_finding_add(&fx->fs, "project-classified", RA_PASS, "p-us",
	    "us-only-project", "us", "project");
	ra_findings_sort(&fx->fs);
}

static char *
render(struct report_fixture *fx, int jur)
{
	struct ra_buf b;
	char err[512];

	ra_buf_init(&b, 0);
	if (ra_md_render(&b, &fx->in, &fx->j[jur], err, sizeof(err)) != 0)
		fail_msg("render: %s", err);
	assert_false(b.err);
	/* RA_MD_DUMP=file keeps the last rendering for a human to read */
	if (getenv("RA_MD_DUMP") != NULL)
		(void)ra_file_write(getenv("RA_MD_DUMP"), b.data, b.len);
	return ra_buf_steal(&b);
}

/* Pipes not escaped by a backslash (an odd run of them before it). */
static int
cells(const char *line, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++) {
		size_t bs = 0;

		if (line[i] != '|')
			continue;
		while (bs < i && line[i - 1 - bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			n++;
	}
	return n;
}

/* Length of a line's leading backtick run when it is a fence line. */
static size_t
fence_len(const char *line, size_t len)
{
	size_t n = 0;

	while (n < len && line[n] == '`')
		n++;
	return n >= 3 ? n : 0;
}

/*
 * Walks the document outside fenced code blocks: every table row has
 * the unescaped-pipe count of its table's header and starts and ends
 * with a pipe; a table ends at a blank line only; no line outside code
 * holds '<' (all HTML escaped). Returns the number of table rows seen.
 */
static int
check_tables(const char *doc)
{
	const char *p = doc, *nl;
	size_t open = 0;
	int want = -1, rows = 0;

	for (; *p; p = nl + 1) {
		size_t len;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		len = (size_t)(nl - p);
		if (open > 0) {
			size_t f = fence_len(p, len);

			/* a closing fence is backticks only, at least as long */
			if (f >= open && f == len)
				open = 0;
		} else if (fence_len(p, len) > 0) {
			if (want >= 0)
				fail_msg("fence inside a table: %.*s",
				    (int)len, p);
			open = fence_len(p, len);
		} else if (len > 0 && p[0] == '|') {
			int n = cells(p, len);

			if (want < 0)
				want = n;
			else if (n != want)
				fail_msg("row with %d cells, header %d: %.*s",
				    n, want, (int)len, p);
			if (p[len - 1] != '|' || (len >= 2 && p[len - 2] ==
			    '\\' && cells(p + len - 1, 1) == 0))
				fail_msg("row not closed: %.*s", (int)len, p);
			rows++;
		} else {
			if (want >= 0 && len > 0)
				fail_msg("table broken by: %.*s", (int)len, p);
			want = -1;
		}
		if (open == 0 && memchr(p, '<', len) != NULL)
			fail_msg("raw '<' outside code: %.*s", (int)len, p);
		if (*nl == '\0')
			break;
	}
	if (open != 0)
		fail_msg("unclosed fence");
	return rows;
}

static void
test_fence(void **state)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
		{ NULL, "```" },
		{ "", "```" },
		{ "a`b``c", "```" },
		{ "```", "````" },
		{ "x\n````\ny", "`````" },
		{ "``````````", "```````````" },
		{ BODY1, "````" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *f = ra_md_fence(cases[i].in);

		assert_string_equal(f, cases[i].want);
		free(f);
	}
}

static void
test_sections_in_order(void **state)
{
	static const char *const sections[] = {
		"# Data residency evidence: eu\n",
		"| Organisation | Acme \\| &lt;b&gt;Org&lt;/b&gt; |",
		"| Organisation id | 65def6ce0f722a1507105aa5 |",
		"| Audit date | 2026-11-29T00:00:00Z |",
		"| Tool | residency-audit " RA_VERSION " |",
		"| Inventory digest | sha256:",
		"## Verdict\n",
		"**Non-compliant** (non-compliant)",
		"| 1 | 1 | 0 | 0 | 1 |",
		"## Residency statement\n",
		"> Operational metadata (user identities, tenant configuration,"
		    " billing) is processed in our EU control plane under "
		    "Standard Contractual Clauses and the EU-US Data Privacy "
		    "Framework. Customer security posture data \xe2\x80\x94 "
		    "entities, findings, evidence packs, audit trails "
		    "\xe2\x80\x94 is residency-pinned to the contracted region "
		    "and never leaves it.\n",
		"## Control set\n",
		"### Organisation\n",
		"### Project evil\\|",
		"## Resource policies\n",
		"### Policy eu-only\\| \\# injected \\[link\\]",
		"- Last updated: 2026-05-03T10:00:00Z",
		"````cedar\n" BODY1 "\n````\n",
		"```````cedar\n" BODY2 "\n```````\n",
		"## Non-compliant resources\n",
		"Empty \xe2\x80\x94 as ADR-020 \xc2\xa7" "6 requires.",
		"## Topology\n",
		"#### Cluster c\\|1\\`\\` &lt;img",
		"| 1 | AWS | EU\\_WEST\\_1 | aws:eu-west-1 | 3 | 0 | 0 |",
		"| 1 | AWS | US\\_EAST\\_1 | aws:us-east-1 | 0 | 0 | 1 |",
		"#### Cluster flex\\|two",
		"## Method\n",
		"https://cloud.mongodb.com",
		"Requests\nmade: 7; failed: 1; retried: 1;",
		"## Evidence index\n",
		"| raw/00001.json |",
		"| raw/00002.json |",
		"## How to verify this pack\n",
		"sha256sum -c --strict SHA256SUMS\n",
	};
	struct report_fixture fx;
	const char *at;
	char *doc, *s;

	(void)state;
	fixture_init(&fx, 3);
	doc = render(&fx, 0);
	/* the template's comment leaves nothing before the title */
	assert_int_equal(strncmp(doc, "# Data residency evidence: eu\n\n",
	    31), 0);
	at = doc;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const char *hit = strstr(at, sections[i]);

		if (hit == NULL)
			fail_msg("missing or out of order: \"%s\"\n---\n%s",
			    sections[i], doc);
		at = hit + strlen(sections[i]);
	}
	/* the control title from the registry, with its ADR section */
	s = ra_asprintf("| %s (ADR ", ra_control_find("cluster-region")->title);
	assert_non_null(strstr(doc, s));
	free(s);
	/* method: the endpoint with its API version */
	s = ra_asprintf("| %s |", ra_endpoints[0].version);
	assert_non_null(strstr(doc, s));
	free(s);
	/* the other jurisdiction's project stays out */
	assert_null(strstr(doc, "us-only-project"));
	assert_null(strstr(doc, "Only the first"));
	assert_true(check_tables(doc) > 10);
	free(doc);

	doc = render(&fx, 1);
	assert_non_null(strstr(doc, "# Data residency evidence: us\n"));
	assert_non_null(strstr(doc, "us-only-project"));
	assert_null(strstr(doc, "### Project evil"));
	/* org-level findings are in every report */
	assert_non_null(strstr(doc, "### Organisation\n"));
	assert_non_null(strstr(doc, "| org | no --terraform-state \\| given |"));
	check_tables(doc);
	free(doc);
	report_fixture_free(&fx);
}

static void
test_hostile_names_escaped(void **state)
{
	struct report_fixture fx;
	char *doc;

	(void)state;
	fixture_init(&fx, 3);
	doc = render(&fx, 0);
	/* the only '<' is the policy body's, inside its fence (check_tables
	 * below fails on any '<' outside code) */
	assert_null(strstr(doc, "<script>alert"));
	assert_null(strstr(doc, "<img"));
	assert_null(strstr(doc, "<b>"));
	assert_non_null(strstr(doc, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	/* newlines in names do not start lines of their own */
	assert_null(strstr(doc, "\n../../etc"));
	assert_null(strstr(doc, "\n| x |"));
	assert_null(strstr(doc, "\n# injected"));
	/* backticks cannot open code spans */
	assert_non_null(strstr(doc, "\\`pipe\\`"));
	/* raw cells: the hostile cluster row keeps its six cells */
	assert_non_null(strstr(doc, "| cluster/c\\|1\\`\\` &lt;img"));
	/* HTML in a policy body is verbatim, but only inside its fence */
	assert_non_null(strstr(doc, "\n<script>x</script>\n````\n"));
	check_tables(doc);
	free(doc);
	report_fixture_free(&fx);
}

static void
test_statement_override_and_noncompliant(void **state)
{
	struct report_fixture fx;
	struct ra_noncompliant *nc;
	char *doc;

	(void)state;
	fixture_init(&fx, 3);
	fx.in.statement = "All data | stays\nin the <EU>.";
	fx.built->nnoncompliant = 1;
	fx.built->noncompliant = nc = ra_calloc(1, sizeof(*nc));
	nc->resource_type = ra_strdup("CLUSTER");
	nc->resource_name = ra_strdup("bad|cl\n<x>");
	nc->resource_id = ra_strdup("id-1");
	nc->npolicy_names = 2;
	nc->policy_names = ra_calloc(2, sizeof(char *));
	nc->policy_names[0] = ra_strdup("eu-only");
	nc->policy_names[1] = ra_strdup("p|2");
	doc = render(&fx, 0);
	assert_non_null(strstr(doc,
	    "> All data \\| stays in the &lt;EU&gt;.\n"));
	assert_null(strstr(doc, "Standard Contractual Clauses"));
	assert_null(strstr(doc, "as ADR-020"));
	assert_non_null(strstr(doc,
	    "| CLUSTER | bad\\|cl &lt;x&gt; | id-1 | eu-only, p\\|2 |"));
	check_tables(doc);
	free(doc);

	/* evidence that could not be read is said so, never "empty" */
	fx.built->noncompliant_ev.status = RA_EV_FAILED;
	fx.built->noncompliant_ev.reason = ra_strdup("HTTP 403 | denied");
	fx.built->policies_ev.status = RA_EV_PARTIAL;
	fx.built->policies_ev.reason = ra_strdup("page 2 lost");
	doc = render(&fx, 0);
	assert_non_null(strstr(doc,
	    "The snapshot could not be read: HTTP 403 \\| denied"));
	assert_non_null(strstr(doc,
	    "The resource policies could not be read: page 2 lost"));
	assert_null(strstr(doc, "as ADR-020"));
	assert_null(strstr(doc, "### Policy"));
	check_tables(doc);
	free(doc);
	report_fixture_free(&fx);
}

static int
count(const char *doc, const char *needle)
{
	int n = 0;

	for (const char *p = doc; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
test_index_cap(void **state)
{
	struct report_fixture fx;
	char *doc, *s;

	(void)state;
	fixture_init(&fx, RA_MD_INDEX_MAX + 100);
	doc = render(&fx, 0);
	/* every index row names its endpoint; nothing else has ".json | " */
	assert_int_equal(count(doc, ".json | "), RA_MD_INDEX_MAX);
	s = ra_asprintf("| raw/%05u.json |", RA_MD_INDEX_MAX);
	assert_non_null(strstr(doc, s));
	free(s);
	s = ra_asprintf("| raw/%05u.json |", RA_MD_INDEX_MAX + 1);
	assert_null(strstr(doc, s));
	free(s);
	s = ra_asprintf("Only the first %d of %d records", RA_MD_INDEX_MAX,
	    RA_MD_INDEX_MAX + 100);
	assert_non_null(strstr(doc, s));
	free(s);
	assert_non_null(strstr(doc, "`raw/*.meta.json`"));
	check_tables(doc);
	free(doc);
	report_fixture_free(&fx);
}

static void
test_view_and_writer(void **state)
{
	struct report_fixture fx;
	cJSON *v, *r;
	const cJSON *g, *c;
	char tmpl[] = "/tmp/ra-test-md-XXXXXX", *s;
	DIR *d;
	struct dirent *e;
	int n = 0;

	(void)state;
	fixture_init(&fx, 3);
	v = ra_md_view(&fx.in, &fx.j[0]);
	/* the report keys first, then the derived sections */
	assert_string_equal(v->child->string, "schema");
	g = ra_json_arr(v, "groups");
	assert_int_equal(cJSON_GetArraySize(g), 2);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 0),
	    "isOrg")));
	assert_int_equal(cJSON_GetArraySize(ra_json_arr(cJSON_GetArrayItem(g,
	    1), "rows")), 2);
	/* the report keys are the report's, built lazily or not */
	r = ra_report_json(&fx.in, &fx.j[0]);
	assert_true(cJSON_GetArraySize(ra_json_arr(r, "findings")) > 0);
	for (c = r->child; c != NULL; c = c->next)
		if (!cJSON_Compare(c, cJSON_GetObjectItemCaseSensitive(v,
		    c->string), 1))
			fail_msg("view key %s differs from the report",
			    c->string);
	cJSON_Delete(r);
	cJSON_Delete(v);

	assert_non_null(mkdtemp(tmpl));
	assert_int_equal(ra_reports_write(tmpl, &fx.in, RA_FMT_MD), 0);
	assert_non_null(d = opendir(tmpl));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		assert_true(strcmp(e->d_name, "residency-evidence-eu.md") == 0 ||
		    strcmp(e->d_name, "residency-evidence-us.md") == 0);
		n++;
	}
	closedir(d);
	assert_int_equal(n, 2);
	s = ra_asprintf("%s/residency-evidence-eu.md", tmpl);
	{
		char *data = NULL, *want = render(&fx, 0);
		size_t len;

		assert_int_equal(ra_file_read(&data, &len, s, 1 << 24), 0);
		assert_string_equal(data, want);
		free(data);
		free(want);
	}
	free(s);
	assert_int_equal(ra_rm_rf(tmpl), 0);
	report_fixture_free(&fx);
}

/*
 * A custom template still sees the report's findings (built only when
 * asked for) and whole values print as the full view would.
 */
static void
test_custom_template_findings(void **state)
{
	struct report_fixture fx;
	char dir[] = "/tmp/ra-test-md-XXXXXX", *path, *out, *want_s;
	const char *t = "{{#findings}}{{{control}}}/{{{status}}};{{/findings}}"
	    "|{{{groups.0.rows.0.control}}}|{{#groups}}{{#rows}}x{{/rows}}"
	    "{{/groups}}|{{{groups}}}";
	struct ra_buf want;
	cJSON *r, *v;
	const cJSON *f;
	char *gj;

	(void)state;
	fixture_init(&fx, 3);
	assert_non_null(mkdtemp(dir));
	path = ra_asprintf("%s/%s", dir, RA_MD_TEMPLATE);
	assert_int_equal(ra_file_write(path, t, strlen(t)), 0);
	fx.in.template_dir = dir;
	out = render(&fx, 0);

	r = ra_report_json(&fx.in, &fx.j[0]);
	v = ra_md_view(&fx.in, &fx.j[0]);
	ra_buf_init(&want, 0);
	cJSON_ArrayForEach(f, ra_json_arr(r, "findings"))
		ra_buf_printf(&want, "%s/%s;", ra_json_str(f, "control"),
		    ra_json_str(f, "status"));
	/* dotted names do not index arrays: groups.0 misses */
	ra_buf_adds(&want, "||");
	cJSON_ArrayForEach(f, ra_json_arr(r, "findings"))
		ra_buf_adds(&want, "x");
	gj = cJSON_PrintUnformatted(ra_json_arr(v, "groups"));
	ra_buf_printf(&want, "|%s", gj);
	want_s = ra_buf_steal(&want);
	assert_string_equal(out, want_s);
	assert_non_null(strstr(out, "\"rows\":[{"));

	cJSON_free(gj);
	free(want_s);
	cJSON_Delete(v);
	cJSON_Delete(r);
	free(out);
	(void)unlink(path);
	(void)rmdir(dir);
	free(path);
	report_fixture_free(&fx);
}

/*
 * The Markdown file is streamed (64 KiB at a time) and cleaned as it
 * streams; a template that brings invalid UTF-8, sequences cut by tags
 * and a NUL byte gives the very bytes the whole rendering cleaned at
 * once gives, across many hand-overs.
 */
static void
test_streamed_file_is_whole_cleaning(void **state)
{
	struct report_fixture fx;
	struct ra_buf t, whole;
	char dir[] = "/tmp/ra-test-md-XXXXXX", *path, *out = NULL, *want;
	char err[512];
	size_t len;

	(void)state;
	fixture_init(&fx, 3);
	ra_buf_init(&t, 0);
	for (int i = 0; i < 4000; i++) {
		/* a sequence cut by a section, a stray byte, valid text */
		ra_buf_adds(&t, "\xe2\x82{{#groups}}{{#rows}}\xac{{{control}}}"
		    "{{/rows}}{{/groups}}\xff caf\xc3\xa9 \xf0\x9f");
		ra_buf_adds(&t, i % 2 ? "\x98\x80\n" : "{{{verdict}}}\n");
		if (i == 3000)
			ra_buf_add(&t, "\0", 1);	/* the end of the text */
	}
	assert_false(t.err);
	assert_non_null(mkdtemp(dir));
	path = ra_asprintf("%s/%s", dir, RA_MD_TEMPLATE);
	assert_int_equal(ra_file_write(path, t.data, t.len), 0);
	free(path);
	fx.in.template_dir = dir;

	ra_buf_init(&whole, 0);
	if (ra_md_render(&whole, &fx.in, &fx.j[0], err, sizeof(err)) != 0)
		fail_msg("render: %s", err);
	assert_true(whole.len > 4 * RA_BUF_SINK_AT);
	want = ra_utf8_clean(ra_buf_cstr(&whole), RA_UTF8_JSON);

	assert_int_equal(ra_reports_write(dir, &fx.in, RA_FMT_MD), 0);
	path = ra_asprintf("%s/residency-evidence-eu.md", dir);
	assert_int_equal(ra_file_read(&out, &len, path, 1 << 26), 0);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len);
	/* the NUL ended it: less than the whole rendering */
	assert_true(len < whole.len);
	assert_true(len > 2 * RA_BUF_SINK_AT);

	free(out);
	free(path);
	free(want);
	ra_buf_free(&whole);
	ra_buf_free(&t);
	assert_int_equal(ra_rm_rf(dir), 0);
	report_fixture_free(&fx);
}

/*
 * The renderer's output cap stops a runaway template but grows with the
 * org: a report larger than the fixed 64 MiB renders when the findings
 * account for it (a 10,000-project org's report is ~70 MiB), while a
 * template that blows a handful of findings up past it is refused and
 * leaves no file.
 */
static void
test_output_cap_grows_with_the_org(void **state)
{
	struct report_fixture fx;
	char dir[] = "/tmp/ra-test-md-XXXXXX", *path, *md;
	struct ra_buf t;
	struct stat st;
	const size_t per = 3500, n = 20000;	/* 70 MB of rows */

	(void)state;
	fixture_init(&fx, 3);
	for (size_t i = 0; i < n; i++)
		ra_finding_add(&fx.fs, "project-classified", RA_PASS, "p-many",
		    "many", "eu", "project");
	ra_findings_sort(&fx.fs);
	assert_non_null(mkdtemp(dir));
	path = ra_asprintf("%s/%s", dir, RA_MD_TEMPLATE);
	md = ra_asprintf("%s/residency-evidence-eu.md", dir);
	ra_buf_init(&t, 0);
	ra_buf_adds(&t, "{{#findings}}");
	for (size_t i = 0; i < per; i++)
		ra_buf_addc(&t, 'x');
	ra_buf_adds(&t, "{{/findings}}");
	assert_int_equal(ra_file_write(path, t.data, t.len), 0);
	fx.in.template_dir = dir;
	assert_int_equal(ra_reports_write(dir, &fx.in, RA_FMT_MD), 0);
	assert_int_equal(stat(md, &st), 0);
	assert_true((size_t)st.st_size > RA_MUSTACHE_MAX_OUTPUT);
	assert_true((size_t)st.st_size >= n * per);
	assert_int_equal(unlink(md), 0);
	report_fixture_free(&fx);

	/* the three findings of "eu", three nested loops over them: 27
	 * copies of 3.5 MiB, 94 MiB */
	fixture_init(&fx, 3);
	fx.in.template_dir = dir;
	ra_buf_reset(&t);
	for (int i = 0; i < 3; i++)
		ra_buf_adds(&t, "{{#findings}}");
	for (size_t i = 0; i < ((size_t)7 << 19); i++)
		ra_buf_addc(&t, 'y');
	for (int i = 0; i < 3; i++)
		ra_buf_adds(&t, "{{/findings}}");
	assert_int_equal(ra_file_write(path, t.data, t.len), 0);
	assert_int_equal(ra_reports_write(dir, &fx.in, RA_FMT_MD), -1);
	assert_int_equal(stat(md, &st), -1);

	report_fixture_free(&fx);
	ra_buf_free(&t);
	free(path);
	free(md);
	assert_int_equal(ra_rm_rf(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fence),
		cmocka_unit_test(test_sections_in_order),
		cmocka_unit_test(test_hostile_names_escaped),
		cmocka_unit_test(test_statement_override_and_noncompliant),
		cmocka_unit_test(test_index_cap),
		cmocka_unit_test(test_view_and_writer),
		cmocka_unit_test(test_custom_template_findings),
		cmocka_unit_test(test_streamed_file_is_whole_cleaning),
		cmocka_unit_test(test_output_cap_grows_with_the_org),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
