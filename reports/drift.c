/*
 * drift.c: --baseline. A baseline is one earlier report JSON, so it
 * speaks for one jurisdiction: drift is computed for the current report
 * of that jurisdiction only. Also the report JSON reader shared with
 * verify, and the Markdown view of drift and waivers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "jsonutil.h"
#include "log.h"
#include "report.h"
#include "util.h"

#define DASH	"\xe2\x80\x94"	/* — */

/* string, or null when allow_null; -1 otherwise */
static int
str_or_null(const cJSON *o, const char *k, int allow_null)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, k);

	if (m != NULL && cJSON_IsString(m))
		return 0;
	if (allow_null && m != NULL && cJSON_IsNull(m))
		return 0;
	return -1;
}

cJSON *
ra_report_parse(const char *text, size_t len, const char *name, char *err,
    size_t errsz)
{
	cJSON *r;
	const cJSON *t, *fa, *f;
	const char *schema;
	char perr[256], s[96];
	int i = 0;

	if ((r = ra_json_parse(text, len, perr, sizeof(perr))) == NULL) {
		snprintf(err, errsz, "%s: not JSON: %s", name, perr);
		return NULL;
	}
	if (!cJSON_IsObject(r)) {
		snprintf(err, errsz, "%s: $: not a report object", name);
		goto bad;
	}
	if ((schema = ra_json_str(r, "schema")) == NULL) {
		snprintf(err, errsz, "%s: $.schema: missing; not a %s report",
		    name, RA_REPORT_SCHEMA);
		goto bad;
	}
	if (strcmp(schema, RA_REPORT_SCHEMA) != 0) {
		ra_sanitize_text(schema, s, sizeof(s));
		snprintf(err, errsz, "%s: $.schema: \"%s\" is not %s", name, s,
		    RA_REPORT_SCHEMA);
		goto bad;
	}
	if (str_or_null(r, "jurisdiction", 0) != 0 ||
	    *ra_json_str(r, "jurisdiction") == '\0') {
		snprintf(err, errsz, "%s: $.jurisdiction: must be a non-empty "
		    "string", name);
		goto bad;
	}
	if (str_or_null(r, "asOf", 0) != 0) {
		snprintf(err, errsz, "%s: $.asOf: must be a string", name);
		goto bad;
	}
	if ((t = ra_json_obj(r, "tool")) == NULL ||
	    str_or_null(t, "name", 0) != 0 ||
	    str_or_null(t, "version", 0) != 0) {
		snprintf(err, errsz, "%s: $.tool: must be {name, version} "
		    "strings", name);
		goto bad;
	}
	if ((fa = ra_json_arr(r, "findings")) == NULL) {
		snprintf(err, errsz, "%s: $.findings: must be an array", name);
		goto bad;
	}
	cJSON_ArrayForEach(f, fa) {
		const char *st;

		if (!cJSON_IsObject(f)) {
			snprintf(err, errsz, "%s: $.findings[%d]: not an "
			    "object", name, i);
			goto bad;
		}
		if (str_or_null(f, "control", 0) != 0 ||
		    str_or_null(f, "resource", 0) != 0 ||
		    str_or_null(f, "projectId", 1) != 0 ||
		    str_or_null(f, "observed", 1) != 0) {
			snprintf(err, errsz, "%s: $.findings[%d]: control and "
			    "resource must be strings, projectId and observed "
			    "strings or null", name, i);
			goto bad;
		}
		st = ra_json_str(f, "status");
		if (st == NULL || ra_status_parse(st) < 0) {
			snprintf(err, errsz, "%s: $.findings[%d].status: not "
			    "a status", name, i);
			goto bad;
		}
		i++;
	}
	return r;
bad:
	cJSON_Delete(r);
	return NULL;
}

cJSON *
ra_report_load(const char *path, char *err, size_t errsz)
{
	return ra_evidence_load(path, RA_REPORT_MAX, ra_report_parse, err,
	    errsz);
}

struct key {
	char		*k;
	size_t		 idx;
};

/* control, projectId (or a marker for null), resource: never ambiguous
 * because no id contains the separators. */
static char *
make_key(const char *control, const char *project, const char *resource)
{
	return ra_asprintf("%s\x1f%s\x1f%s", control,
	    project != NULL ? project : "\x1e", resource);
}

static int
cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->k, y->k);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static const struct key *
find_key(const struct key *v, size_t n, const char *k)
{
	size_t lo = 0, hi = n;

	/* the first entry with this key (duplicates: earliest wins) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].k, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(v[lo].k, k) == 0 ? &v[lo] : NULL;
}

static cJSON *
side(const char *status, const char *observed)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "status", status);
	if (observed != NULL)
		cJSON_AddStringToObject(o, "observed", observed);
	else
		cJSON_AddNullToObject(o, "observed");
	return o;
}

static cJSON *
entry(const char *control, const char *project, const char *resource,
    cJSON *before, cJSON *after)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "control", control);
	if (project != NULL)
		cJSON_AddStringToObject(e, "projectId", project);
	else
		cJSON_AddNullToObject(e, "projectId");
	cJSON_AddStringToObject(e, "resource", resource);
	cJSON_AddItemToObject(e, "before", before != NULL ? before :
	    cJSON_CreateNull());
	cJSON_AddItemToObject(e, "after", after != NULL ? after :
	    cJSON_CreateNull());
	return e;
}

static void
keys_free(struct key *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].k);
	free(v);
}

cJSON *
ra_drift_compute(const cJSON *baseline, const struct ra_findings *fs)
{
	const char *j = ra_json_str(baseline, "jurisdiction");
	const cJSON *fa = ra_json_arr(baseline, "findings"), *f;
	const cJSON **bf = NULL;
	struct key *bk = NULL, *ck = NULL;
	size_t nb = 0, nc = 0;
	cJSON *d, *o, *nw, *rs, *ch;

	nb = (size_t)cJSON_GetArraySize(fa);
	bk = ra_calloc(nb + 1, sizeof(*bk));
	bf = ra_calloc(nb + 1, sizeof(*bf));
	nb = 0;
	cJSON_ArrayForEach(f, fa) {
		bf[nb] = f;
		bk[nb].k = make_key(ra_json_str(f, "control"),
		    ra_json_str(f, "projectId"), ra_json_str(f, "resource"));
		bk[nb].idx = nb;
		nb++;
	}
	qsort(bk, nb, sizeof(*bk), cmp_key);
	ck = ra_calloc(fs->n + 1, sizeof(*ck));
	for (size_t i = 0; i < fs->n; i++) {
		const struct ra_finding *c = &fs->v[i];

		if (!ra_report_includes(c, j))
			continue;
		ck[nc].k = make_key(c->control, c->project_id, c->resource);
		ck[nc].idx = i;
		nc++;
	}

	d = cJSON_CreateObject();
	o = cJSON_AddObjectToObject(d, "baseline");
	cJSON_AddStringToObject(o, "asOf", ra_json_str(baseline, "asOf"));
	cJSON_AddItemToObject(o, "tool", cJSON_Duplicate(ra_json_obj(baseline,
	    "tool"), 1));
	nw = cJSON_AddArrayToObject(d, "new");
	rs = cJSON_AddArrayToObject(d, "resolved");
	ch = cJSON_AddArrayToObject(d, "changed");
	for (size_t i = 0; i < nc; i++) {
		const struct ra_finding *c = &fs->v[ck[i].idx];
		const struct key *b = find_key(bk, nb, ck[i].k);
		const char *bst;

		if (b == NULL) {
			cJSON_AddItemToArray(nw, entry(c->control,
			    c->project_id, c->resource, NULL,
			    side(ra_status_name(c->status), c->observed)));
			continue;
		}
		bst = ra_json_str(bf[b->idx], "status");
		if (strcmp(bst, ra_status_name(c->status)) != 0)
			cJSON_AddItemToArray(ch, entry(c->control,
			    c->project_id, c->resource,
			    side(bst, ra_json_str(bf[b->idx], "observed")),
			    side(ra_status_name(c->status), c->observed)));
	}
	qsort(ck, nc, sizeof(*ck), cmp_key);
	for (size_t i = 0; i < nb; i++) {
		const cJSON *b = bf[i];
		char *k = make_key(ra_json_str(b, "control"),
		    ra_json_str(b, "projectId"), ra_json_str(b, "resource"));

		if (find_key(ck, nc, k) == NULL)
			cJSON_AddItemToArray(rs, entry(ra_json_str(b,
			    "control"), ra_json_str(b, "projectId"),
			    ra_json_str(b, "resource"), side(ra_json_str(b,
			    "status"), ra_json_str(b, "observed")), NULL));
		free(k);
	}
	keys_free(bk, nb);
	keys_free(ck, nc);
	free(bf);
	return d;
}

/* ---- Markdown view ---- */

static const char *
cell(const char *s)
{
	return s != NULL && *s != '\0' ? s : DASH;
}

static char *
side_text(const cJSON *s)
{
	const char *obs;

	if (s == NULL || !cJSON_IsObject(s))
		return ra_strdup(DASH);
	obs = ra_json_str(s, "observed");
	if (obs == NULL || *obs == '\0')
		return ra_strdup(cell(ra_json_str(s, "status")));
	return ra_asprintf("%s: %s", cell(ra_json_str(s, "status")), obs);
}

static void
drift_rows(cJSON *rows, const cJSON *d, const char *member, const char *kind)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, ra_json_arr(d, member)) {
		cJSON *r = cJSON_CreateObject();
		char *t;

		cJSON_AddStringToObject(r, "dKind", kind);
		cJSON_AddStringToObject(r, "dControl",
		    cell(ra_json_str(e, "control")));
		cJSON_AddStringToObject(r, "dProject",
		    ra_json_str(e, "projectId") != NULL ?
		    ra_json_str(e, "projectId") : "(organisation)");
		cJSON_AddStringToObject(r, "dResource",
		    cell(ra_json_str(e, "resource")));
		t = side_text(ra_json_obj(e, "before"));
		cJSON_AddStringToObject(r, "dBefore", t);
		free(t);
		t = side_text(ra_json_obj(e, "after"));
		cJSON_AddStringToObject(r, "dAfter", t);
		free(t);
		cJSON_AddItemToArray(rows, r);
	}
}

static void
waiver_row(cJSON *rows, const char *kind, const cJSON *w, const char *note)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "wKind", kind);
	cJSON_AddStringToObject(r, "wControl", cell(ra_json_str(w, "control")));
	cJSON_AddStringToObject(r, "wProject", ra_json_str(w, "projectId") !=
	    NULL ? ra_json_str(w, "projectId") : "(organisation)");
	cJSON_AddStringToObject(r, "wResource",
	    cell(ra_json_str(w, "resource")));
	cJSON_AddStringToObject(r, "wExpires", cell(ra_json_str(w, "expires")));
	cJSON_AddStringToObject(r, "wApprovedBy",
	    cell(ra_json_str(w, "approvedBy")));
	cJSON_AddStringToObject(r, "wReason", cell(ra_json_str(w, "reason")));
	cJSON_AddStringToObject(r, "wNote", cell(note));
	cJSON_AddItemToArray(rows, r);
}

void
ra_md_add_postproc(cJSON *view)
{
	const cJSON *d = ra_json_obj(view, "drift");
	const cJSON *w = ra_json_obj(view, "waivers"), *e, *f;
	cJSON *rows;

	cJSON_AddBoolToObject(view, "hasDrift", d != NULL);
	if (d != NULL) {
		const cJSON *b = ra_json_obj(d, "baseline");
		const cJSON *t = ra_json_obj(b, "tool");
		char *tool;

		cJSON_AddStringToObject(view, "driftBaselineAsOf",
		    cell(ra_json_str(b, "asOf")));
		tool = ra_asprintf("%s %s", cell(ra_json_str(t, "name")),
		    cell(ra_json_str(t, "version")));
		cJSON_AddStringToObject(view, "driftBaselineTool", tool);
		free(tool);
		rows = cJSON_AddArrayToObject(view, "driftRows");
		drift_rows(rows, d, "new", "new");
		drift_rows(rows, d, "resolved", "resolved");
		drift_rows(rows, d, "changed", "changed");
		cJSON_AddBoolToObject(view, "driftNone",
		    cJSON_GetArraySize(rows) == 0);
	}
	cJSON_AddBoolToObject(view, "hasWaivers", w != NULL);
	if (w == NULL)
		return;
	rows = cJSON_AddArrayToObject(view, "waiverRows");
	/* applied ones first, from the findings of this report */
	cJSON_ArrayForEach(f, ra_json_arr(view, "findings")) {
		const cJSON *fw = ra_json_obj(f, "waiver");

		if (fw != NULL)
			waiver_row(rows, "applied", fw, "FAIL waived");
	}
	cJSON_ArrayForEach(e, ra_json_arr(w, "expired"))
		waiver_row(rows, "expired", e, "expired: not applied");
	cJSON_ArrayForEach(e, ra_json_arr(w, "stale"))
		waiver_row(rows, "stale", e, "matches no finding");
	cJSON_ArrayForEach(e, ra_json_arr(w, "notApplied"))
		waiver_row(rows, "not applied", ra_json_obj(e, "waiver"),
		    ra_json_str(e, "reason"));
	cJSON_AddBoolToObject(view, "waiversNone",
	    cJSON_GetArraySize(rows) == 0);
}
