/*
 * report_json.c: the report JSON of CONTRACT §4, one per jurisdiction,
 * and the verdict rules. Key order is the contract's; the tree is
 * printed with ra_json_print, so equal inputs give equal bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "jsonutil.h"
#include "log.h"
#include "report.h"
#include "utf8clean.h"
#include "util.h"

int
ra_report_includes(const struct ra_finding *f, const char *j)
{
	return j == NULL || f->jurisdiction == NULL ||
	    strcmp(f->jurisdiction, j) == 0;
}

const char *
ra_report_org(const struct ra_report_input *in)
{
	if (in->inv != NULL && in->inv->org_id != NULL)
		return in->inv->org_id;
	if (in->model != NULL)
		return in->model->org_id;
	return NULL;
}

const char *
ra_report_digest(const struct ra_report_input *in,
    char buf[RA_REPORT_DIGEST_SZ])
{
	if (in->inv == NULL || in->inv->digest[0] == '\0')
		return NULL;
	snprintf(buf, RA_REPORT_DIGEST_SZ, "sha256:%s", in->inv->digest);
	return buf;
}

char *
ra_report_file_name(const struct ra_jurisdiction *j, const char *suffix)
{
	char key[128];

	if (!ra_is_safe_component(j->key)) {
		ra_sanitize_text(j->key, key, sizeof(key));
		ra_error("%s: jurisdiction key is not a safe file name "
		    "component; report not written", key);
		return NULL;
	}
	return ra_asprintf("residency-evidence-%s%s", j->key, suffix);
}

const char *
ra_verdict(const struct ra_findings *fs, const char *jurisdiction)
{
	int fail = 0, error = 0;

	for (size_t i = 0; fs != NULL && i < fs->n; i++) {
		if (!ra_report_includes(&fs->v[i], jurisdiction))
			continue;
		if (fs->v[i].status == RA_FAIL)
			fail = 1;
		else if (fs->v[i].status == RA_ERROR)
			error = 1;
	}
	if (fail)
		return "non-compliant";
	if (error)
		return "incomplete";
	return "compliant";
}

/*
 * A string member, or null when s is NULL. Text from Atlas may hold
 * invalid UTF-8 (names are not validated upstream); JSON must be UTF-8
 * (RFC 8259 §8.1), so each bad byte becomes U+FFFD.
 */
static void
add_str(cJSON *o, const char *key, const char *s)
{
	char *clean;

	if (s == NULL) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	clean = ra_utf8_clean(s, RA_UTF8_JSON);
	cJSON_AddStringToObject(o, key, clean);
	free(clean);
}

static cJSON *
finding_json(const struct ra_finding *f)
{
	cJSON *o, *ev, *e, *w;

	o = cJSON_CreateObject();
	add_str(o, "control", f->control);
	add_str(o, "projectId", f->project_id);
	add_str(o, "projectName", f->project_name);
	add_str(o, "resource", f->resource);
	add_str(o, "status", ra_status_name(f->status));
	add_str(o, "expected", f->expected);
	add_str(o, "observed", f->observed);
	add_str(o, "detail", f->detail);
	ev = cJSON_AddArrayToObject(o, "evidence");
	for (size_t i = 0; i < f->nevidence; i++) {
		e = cJSON_CreateObject();
		add_str(e, "file", f->evidence[i].file);
		add_str(e, "sha256", f->evidence[i].sha256);
		cJSON_AddItemToArray(ev, e);
	}
	if (f->status == RA_WAIVED) {
		w = NULL;
		if (f->waiver_json != NULL)
			w = ra_json_parse(f->waiver_json,
			    strlen(f->waiver_json), NULL, 0);
		if (w == NULL && f->waiver_json != NULL)
			w = cJSON_CreateString(f->waiver_json);
		if (w == NULL)
			w = cJSON_CreateNull();
		cJSON_AddItemToObject(o, "waiver", w);
	}
	return o;
}

/*
 * The report of jurisdiction j; with_findings 0 leaves "findings" an
 * empty array for the caller to print finding by finding.
 */
static cJSON *
report_tree(const struct ra_report_input *in,
    const struct ra_jurisdiction *j, int with_findings)
{
	const struct ra_findings *fs = in->findings;
	unsigned counts[RA_NSTATUS] = { 0 };
	char asof[32], digest[RA_REPORT_DIGEST_SZ];
	const char **regions = NULL;
	cJSON *r, *a, *o, *fa;

	r = cJSON_CreateObject();
	add_str(r, "schema", RA_REPORT_SCHEMA);
	add_str(r, "jurisdiction", j->key);

	a = cJSON_AddArrayToObject(r, "regions");
	if (j->nregions > 0) {
		regions = ra_calloc(j->nregions, sizeof(*regions));
		for (size_t i = 0; i < j->nregions; i++)
			regions[i] = j->regions[i];
		qsort(regions, j->nregions, sizeof(*regions), ra_strp_cmp);
		for (size_t i = 0; i < j->nregions; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(regions[i]));
	}

	add_str(r, "orgId", ra_report_org(in));
	ra_time_rfc3339(in->as_of, asof, sizeof(asof));
	add_str(r, "asOf", asof);
	o = cJSON_AddObjectToObject(r, "tool");
	add_str(o, "name", RA_TOOL_NAME);
	add_str(o, "version", RA_VERSION);
	add_str(r, "inventoryDigest", ra_report_digest(in, digest));
	add_str(r, "verdict", ra_verdict(fs, j->key));

	fa = cJSON_CreateArray();
	for (size_t i = 0; fs != NULL && i < fs->n; i++) {
		const struct ra_finding *f = &fs->v[i];

		if (!ra_report_includes(f, j->key))
			continue;
		if ((unsigned)f->status < RA_NSTATUS)
			counts[f->status]++;
		if (with_findings)
			cJSON_AddItemToArray(fa, finding_json(f));
	}
	o = cJSON_AddObjectToObject(r, "summary");
	for (int s = 0; s < RA_NSTATUS; s++)
		cJSON_AddNumberToObject(o, ra_status_name((enum ra_status)s),
		    counts[s]);
	cJSON_AddItemToObject(r, "findings", fa);

	if (in->drift != NULL) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(in->drift,
		    j->key);

		if (d != NULL)
			cJSON_AddItemToObject(r, "drift",
			    cJSON_Duplicate(d, 1));
	}
	if (in->waivers_report != NULL)
		cJSON_AddItemToObject(r, "waivers",
		    cJSON_Duplicate(in->waivers_report, 1));
	free(regions);
	return r;
}

cJSON *
ra_report_json(const struct ra_report_input *in,
    const struct ra_jurisdiction *j)
{
	return report_tree(in, j, 1);
}

/* The index of the first finding of jurisdiction j at or after i. */
static size_t
next_included(const struct ra_findings *fs, size_t i, const char *j)
{
	while (i < fs->n && !ra_report_includes(&fs->v[i], j))
		i++;
	return i;
}

/*
 * Appends the report of jurisdiction j to b: the bytes
 * ra_json_print(ra_report_json(in, j)) gives, without holding a tree of
 * every finding (one finding's tree at a time: the findings are most of
 * a large org's report).
 */
static void
report_print(struct ra_buf *b, const struct ra_report_input *in,
    const struct ra_jurisdiction *j)
{
	const struct ra_findings *fs = in->findings;
	cJSON *r, *f;
	const cJSON *c;
	size_t i, n = fs != NULL ? fs->n : 0;

	r = report_tree(in, j, 0);
	ra_buf_adds(b, "{\n");
	for (c = r->child; c != NULL; c = c->next) {
		ra_json_indent(b, 1);
		ra_json_print_string(b, c->string);
		ra_buf_adds(b, ": ");
		if (strcmp(c->string, "findings") != 0) {
			ra_json_print_to(b, c, 1);
		} else if ((i = fs != NULL ? next_included(fs, 0, j->key) :
		    n) == n) {
			ra_buf_adds(b, "[]");
		} else {
			ra_buf_adds(b, "[\n");
			while (i < n) {
				f = finding_json(&fs->v[i]);
				ra_json_indent(b, 2);
				ra_json_print_to(b, f, 2);
				cJSON_Delete(f);
				i = next_included(fs, i + 1, j->key);
				ra_buf_adds(b, i < n ? ",\n" : "\n");
			}
			ra_json_indent(b, 1);
			ra_buf_addc(b, ']');
		}
		ra_buf_adds(b, c->next != NULL ? ",\n" : "\n");
	}
	ra_buf_adds(b, "}\n");
	cJSON_Delete(r);
}

int
ra_report_write_file(const char *dir, const char *name, const void *data,
    size_t len)
{
	char *path;
	int rc = -1;

	path = ra_asprintf("%s/%s", dir, name);
	if (!ra_is_safe_component(name)) {
		ra_error("%s: unsafe file name, not written", path);
		goto out;
	}
	if (ra_file_write(path, data, len) != 0) {
		ra_error("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

int
ra_report_stream_open(struct ra_report_stream *s, const char *dir,
    const char *name, int clean_utf8)
{
	ra_buf_init(&s->b, 0);
	memset(&s->u, 0, sizeof(s->u));
	s->u.out = ra_wfile_sink;
	s->u.out_ud = &s->f;
	s->path = ra_asprintf("%s/%s", dir, name);
	s->f.fd = -1;
	s->f.err = 0;
	if (!ra_is_safe_component(name)) {
		ra_error("%s: unsafe file name, not written", s->path);
		s->b.err = 1;
		return -1;
	}
	if (ra_wfile_open(&s->f, s->path) != 0) {
		ra_error("%s: %s", s->path, strerror(s->f.err));
		s->b.err = 1;
		return -1;
	}
	if (clean_utf8)
		ra_buf_set_sink(&s->b, ra_utf8_stream_sink, &s->u);
	else
		ra_buf_set_sink(&s->b, ra_wfile_sink, &s->f);
	return 0;
}

int
ra_report_stream_close(struct ra_report_stream *s, int ok)
{
	int opened = s->f.fd >= 0;

	if (opened && ok) {
		/* the buffer failed on its own (memory) or through the sink
		 * (the disk: then f.err says why) */
		if (ra_buf_flush(&s->b) != 0 || (s->b.sink ==
		    ra_utf8_stream_sink && ra_utf8_stream_end(&s->u) != 0) ||
		    ra_wfile_close(&s->f) != 0) {
			ra_error("%s: %s", s->path, s->f.err != 0 ?
			    strerror(s->f.err) : "out of memory");
			ok = 0;
		}
	}
	ra_wfile_close(&s->f);
	if (opened && !ok)
		(void)unlink(s->path);
	ra_buf_free(&s->b);
	free(s->path);
	s->path = NULL;
	return opened && ok ? 0 : -1;
}

int
ra_report_write_json(const char *dir, const struct ra_report_input *in)
{
	struct ra_report_stream s;
	char *name;
	int rc = 0;

	/* stops at the first failure: one reason, the pack is abandoned */
	for (size_t i = 0; rc == 0 && i < in->inv->njurisdictions; i++) {
		const struct ra_jurisdiction *j = &in->inv->jurisdictions[i];

		if ((name = ra_report_file_name(j, ".json")) == NULL) {
			rc = -1;
			continue;
		}
		if (ra_report_stream_open(&s, dir, name, 0) == 0)
			report_print(&s.b, in, j);
		if (ra_report_stream_close(&s, 1) != 0)
			rc = -1;
		free(name);
	}
	return rc;
}
