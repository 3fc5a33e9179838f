/*
 * md.c: the Markdown procurement document, residency-evidence-<j>.md
 * (issue 4 "The pack"). The document is a Mustache template
 * (templates/residency-evidence.md.mustache, or a user's own) rendered
 * with RA_ESCAPE_MARKDOWN against a view: the report JSON of the
 * jurisdiction (report_json.c) plus the derived sections below. Every
 * value a template interpolates with {{x}} is then table-safe: no Atlas
 * name can add a cell, break a row, open code or pass HTML. The only raw
 * values ({{{x}}}) the default template uses are `fence` and the policy
 * bodies inside fenced blocks of that fence, which is longer than any
 * backtick run of the body.
 *
 * View, beyond the report keys (every string already cell-ready: never
 * null, "—" where nothing is known):
 *   org              {id, name}
 *   asOfDate         "YYYY-MM-DD"
 *   regionsText      "aws:eu-central-1, aws:eu-west-1"
 *   statement        the residency statement (ADR §1 wording by default)
 *   verdictLabel     "Compliant" | "Non-compliant" | "Incomplete"
 *   groups[]         one per project in report order, org level first:
 *                    {groupTitle, groupId, isOrg, rows[]}; a row is
 *                    {knob, control, adr, required, resource, observed,
 *                     status, evidenceText}
 *   policiesError    why the resource policies could not be read, or null
 *   noPolicies       true when the org has none
 *   policies[]       {policyName, policyId, lastUpdated, version,
 *                     description, bodies[] {bodyId, body, fence}}
 *   noncompliantError, noncompliantEmpty, hasNoncompliant,
 *   noncompliant[]   {ncType, ncName, ncId, ncPolicies}
 *   topology[]       per project of this jurisdiction: {projName, projId,
 *                    projError, clusters[] {clName, clKind, clType, clTier,
 *                    clState, clBackup, clPitr, clKms, clError,
 *                    configs[] {shard, provider, region, cedar, electable,
 *                    readOnly, analytics}}}
 *   method           {base, requests, failed, retried, pages, rateLimited,
 *                     endpoints[] {epId, epTitle, epVersion, epRequests,
 *                     epFailed, epRetried, epPages}}
 *   index            {total, shown, truncated, rows[] {file, endpoint,
 *                     scope, httpStatus, sha256}}
 * A group's rows and the report's findings are placeholders (mustache.h):
 * built only when a template looks them up and freed when that tag or
 * section ends, so the default template holds one group's rows at a time
 * and never the findings; ra_md_view() returns the view fully built.
 * Names differ per nesting level on purpose: a Mustache lookup that
 * misses walks up the context stack, and must not find a parent's value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "checks.h"
#include "endpoints.h"
#include "evidence.h"
#include "jsonutil.h"
#include "log.h"
#include "mustache.h"
#include "regions.h"
#include "report.h"
#include "utf8clean.h"
#include "util.h"

#define DASH		"\xe2\x80\x94"	/* — */
/* what the Markdown report may add per finding to the renderer's caps */
#define MD_OUTPUT_PER_FINDING	((size_t)4096)
#define MD_STEPS_PER_FINDING	((size_t)256)
#define MAX_TEMPLATE	((size_t)4 << 20)

char *
ra_md_fence(const char *s)
{
	size_t run = 0, best = 0, n;
	char *f;

	for (; s != NULL && *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	n = best + 1 < 3 ? 3 : best + 1;
	f = ra_malloc(n + 1);
	memset(f, '`', n);
	f[n] = '\0';
	return f;
}

static const char *
orDash(const char *s)
{
	return s != NULL && *s != '\0' ? s : DASH;
}

static const char *
tri(int v)
{
	return v == RA_TRI_UNKNOWN ? "unknown" : v ? "on" : "off";
}

static void
add_s(cJSON *o, const char *key, const char *s)
{
	cJSON_AddStringToObject(o, key, orDash(s));
}

/* Adds an owned string and frees it. */
static void
add_own(cJSON *o, const char *key, char *s)
{
	add_s(o, key, s);
	free(s);
}

/*
 * Makes every string value of the tree valid UTF-8 in place, as
 * ra_utf8_clean(RA_UTF8_JSON) does: model strings from Atlas (names,
 * policy bodies) are not validated upstream, and the rendered document
 * is written as it comes when it is valid (keys, which only a template
 * printing a whole object shows, are left to the writer's fallback).
 */
static void
clean_tree(cJSON *v)
{
	char *c;

	for (; v != NULL; v = v->next) {
		if (cJSON_IsString(v) &&
		    v->valuestring != NULL &&
		    !ra_utf8_valid(v->valuestring, strlen(v->valuestring))) {
			c = ra_utf8_clean(v->valuestring, RA_UTF8_JSON);
			cJSON_SetValuestring(v, c);
			free(c);
		}
		if (cJSON_IsObject(v) || cJSON_IsArray(v))
			clean_tree(v->child);
	}
}

static const char *
verdict_label(const char *v)
{
	if (strcmp(v, "compliant") == 0)
		return "Compliant";
	if (strcmp(v, "non-compliant") == 0)
		return "Non-compliant";
	return "Incomplete";
}

static char *
join_regions(const struct ra_jurisdiction *j)
{
	struct ra_buf b;

	ra_buf_init(&b, 0);
	for (size_t i = 0; i < j->nregions; i++)
		ra_buf_printf(&b, "%s%s", i ? ", " : "", j->regions[i]);
	return ra_buf_steal(&b);
}

static cJSON *
row_json(const struct ra_finding *f)
{
	const struct ra_control *c = ra_control_find(f->control);
	struct ra_buf b;
	cJSON *o = cJSON_CreateObject();

	add_s(o, "knob", c != NULL ? c->title : f->control);
	add_s(o, "control", f->control);
	add_s(o, "adr", c != NULL ? c->adr : NULL);
	add_s(o, "required", f->expected != NULL ? f->expected :
	    c != NULL ? c->pass_when : NULL);
	add_s(o, "resource", f->resource);
	ra_buf_init(&b, 0);
	if (f->observed != NULL && *f->observed != '\0')
		ra_buf_adds(&b, f->observed);
	if (f->detail != NULL && *f->detail != '\0')
		ra_buf_printf(&b, "%s%s", b.len ? " " DASH " " : "", f->detail);
	add_own(o, "observed", ra_buf_steal(&b));
	add_s(o, "status", ra_status_name(f->status));
	ra_buf_init(&b, 0);
	for (size_t i = 0; i < f->nevidence; i++)
		ra_buf_printf(&b, "%s%s", i ? ", " : "", f->evidence[i].file);
	add_own(o, "evidenceText", ra_buf_steal(&b));
	return o;
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
same_group(const struct ra_finding *a, const struct ra_finding *b)
{
	return same(a->project_id, b->project_id) &&
	    same(a->project_name, b->project_name);
}

/*
 * Placeholders of the view (cJSON_Raw nodes, see mustache.h): "findings"
 * for the report's findings, "rows <i>" for the rows of the group whose
 * first finding is fs->v[i], "project <i>" for the topology of the
 * model's projects[i]. Built by expand() only when a template looks
 * them up, so the default template holds one group's rows or one
 * project's clusters at a time and never the findings.
 */
struct lazy {
	const struct ra_report_input *in;
	const struct ra_jurisdiction *j;
};

/*
 * The rows of the group whose first included finding is fs->v[first].
 * Findings are sorted by project name first (ra_findings_sort), so a
 * group's findings all lie in the run of its name: the scan stops there
 * (linear in the run, not in all findings).
 */
static cJSON *
rows_json(const struct ra_findings *fs, const char *jkey, size_t first)
{
	cJSON *rows = cJSON_CreateArray();
	const char *name = fs->v[first].project_name;

	for (size_t i = first; i < fs->n && same(fs->v[i].project_name, name);
	    i++)
		if (ra_report_includes(&fs->v[i], jkey) &&
		    same_group(&fs->v[first], &fs->v[i]))
			cJSON_AddItemToArray(rows, row_json(&fs->v[i]));
	return rows;
}

/* One group per (projectId, projectName), in first-appearance order of
 * the sorted findings: org-level (name NULL) first. Rows are
 * placeholders. */
static cJSON *
groups_json(const struct ra_findings *fs, const char *jkey)
{
	cJSON *groups = cJSON_CreateArray(), *g;
	size_t ng = 0, run = 0, *firsts = NULL;
	char key[48];

	if (fs == NULL)
		return groups;
	firsts = ra_calloc(fs->n + 1, sizeof(*firsts));
	for (size_t i = 0; i < fs->n; i++) {
		const struct ra_finding *f = &fs->v[i];
		size_t k;

		if (!ra_report_includes(f, jkey))
			continue;
		/* groups of another name cannot match: findings are sorted
		 * by name, so only those begun in this name's run are tried */
		if (ng > 0 && !same(fs->v[firsts[ng - 1]].project_name,
		    f->project_name))
			run = ng;
		for (k = run; k < ng; k++)
			if (same_group(&fs->v[firsts[k]], f))
				break;
		if (k == ng) {
			firsts[ng++] = i;
			g = cJSON_CreateObject();
			if (f->project_id == NULL && f->project_name == NULL) {
				add_s(g, "groupTitle", "Organisation");
				cJSON_AddBoolToObject(g, "isOrg", 1);
			} else {
				add_own(g, "groupTitle", ra_asprintf(
				    "Project %s", f->project_name != NULL ?
				    f->project_name : orDash(f->project_id)));
				cJSON_AddBoolToObject(g, "isOrg", 0);
			}
			add_s(g, "groupId", f->project_id);
			snprintf(key, sizeof(key), "rows %zu", i);
			cJSON_AddItemToObject(g, "rows", cJSON_CreateRaw(key));
			cJSON_AddItemToArray(groups, g);
		}
	}
	free(firsts);
	return groups;
}

static void
policies_json(cJSON *view, const struct ra_model *m)
{
	cJSON *arr = cJSON_CreateArray(), *o, *bodies, *b;

	if (m == NULL || !ra_ev_usable(&m->policies_ev)) {
		add_s(view, "policiesError", m == NULL ? "no model" :
		    ra_ev_reason(&m->policies_ev));
		cJSON_AddBoolToObject(view, "noPolicies", 0);
	} else {
		cJSON_AddNullToObject(view, "policiesError");
		cJSON_AddBoolToObject(view, "noPolicies", m->npolicies == 0);
		for (size_t i = 0; i < m->npolicies; i++) {
			const struct ra_resource_policy *p = &m->policies[i];

			o = cJSON_CreateObject();
			add_s(o, "policyName", p->name);
			add_s(o, "policyId", p->id);
			add_s(o, "lastUpdated", p->last_updated);
			add_s(o, "version", p->version);
			add_s(o, "description", p->description);
			bodies = cJSON_AddArrayToObject(o, "bodies");
			for (size_t k = 0; k < p->npolicies; k++) {
				const char *body = p->policies[k].body;

				b = cJSON_CreateObject();
				add_s(b, "bodyId", p->policies[k].id);
				cJSON_AddStringToObject(b, "body",
				    body != NULL ? body : "");
				add_own(b, "fence", ra_md_fence(body));
				cJSON_AddItemToArray(bodies, b);
			}
			cJSON_AddItemToArray(arr, o);
		}
	}
	cJSON_AddItemToObject(view, "policies", arr);
}

static void
noncompliant_json(cJSON *view, const struct ra_model *m)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	struct ra_buf b;
	int usable = m != NULL && ra_ev_usable(&m->noncompliant_ev);

	if (!usable)
		add_s(view, "noncompliantError", m == NULL ? "no model" :
		    ra_ev_reason(&m->noncompliant_ev));
	else
		cJSON_AddNullToObject(view, "noncompliantError");
	cJSON_AddBoolToObject(view, "noncompliantEmpty",
	    usable && m->nnoncompliant == 0);
	cJSON_AddBoolToObject(view, "hasNoncompliant",
	    usable && m->nnoncompliant > 0);
	for (size_t i = 0; usable && i < m->nnoncompliant; i++) {
		const struct ra_noncompliant *n = &m->noncompliant[i];

		o = cJSON_CreateObject();
		add_s(o, "ncType", n->resource_type);
		add_s(o, "ncName", n->resource_name);
		add_s(o, "ncId", n->resource_id);
		ra_buf_init(&b, 0);
		for (size_t k = 0; k < n->npolicy_names; k++)
			ra_buf_printf(&b, "%s%s", k ? ", " : "",
			    n->policy_names[k]);
		add_own(o, "ncPolicies", ra_buf_steal(&b));
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddItemToObject(view, "noncompliant", arr);
}

static const char *
kind_name(enum ra_cluster_kind k)
{
	switch (k) {
	case RA_CLUSTER_FLEX:
		return "flex";
	case RA_CLUSTER_SERVERLESS:
		return "serverless";
	default:
		return "dedicated";
	}
}

static const char *
cedar_of(const char *provider, const char *region)
{
	const struct ra_region *r;

	if (provider == NULL || region == NULL)
		return NULL;
	r = ra_region_by_atlas(provider, region);
	return r != NULL && r->cedar != NULL ? r->cedar : "unknown";
}

static void
add_int(cJSON *o, const char *key, int v)
{
	cJSON_AddNumberToObject(o, key, v);
}

static cJSON *
config_json(const char *shard, const struct ra_region_config *rc)
{
	cJSON *o = cJSON_CreateObject();
	const char *prov = rc->provider;

	add_s(o, "shard", shard);
	if (prov != NULL && strcmp(prov, "TENANT") == 0 &&
	    rc->backing_provider != NULL) {
		add_own(o, "provider", ra_asprintf("%s (TENANT)",
		    rc->backing_provider));
		prov = rc->backing_provider;
	} else
		add_s(o, "provider", prov);
	add_s(o, "region", rc->region);
	add_s(o, "cedar", cedar_of(prov, rc->region));
	add_int(o, "electable", rc->electable);
	add_int(o, "readOnly", rc->read_only);
	add_int(o, "analytics", rc->analytics);
	return o;
}

static cJSON *
cluster_json(const struct ra_cluster *c)
{
	cJSON *o = cJSON_CreateObject(), *cfgs, *x;
	const char *tier = NULL;

	add_s(o, "clName", c->name);
	add_s(o, "clKind", kind_name(c->kind));
	add_s(o, "clType", c->cluster_type);
	add_s(o, "clState", c->state);
	add_s(o, "clBackup", tri(c->backup_enabled));
	add_s(o, "clPitr", c->kind == RA_CLUSTER_DEDICATED ?
	    tri(c->pit_enabled) : "not available");
	add_s(o, "clKms", c->ear_provider != NULL ? c->ear_provider :
	    c->kind == RA_CLUSTER_DEDICATED ? "unknown" : "not available");
	if (!ra_ev_usable(&c->ev))
		add_s(o, "clError", ra_ev_reason(&c->ev));
	else
		cJSON_AddNullToObject(o, "clError");
	cfgs = cJSON_CreateArray();
	if (c->kind == RA_CLUSTER_DEDICATED) {
		for (size_t s = 0; s < c->nspecs; s++) {
			const struct ra_replication_spec *sp = &c->specs[s];
			char *shard;

			shard = sp->zone_name != NULL ?
			    ra_asprintf("%zu (%s)", s + 1, sp->zone_name) :
			    ra_asprintf("%zu", s + 1);
			for (size_t k = 0; k < sp->nconfigs; k++) {
				if (tier == NULL)
					tier = sp->configs[k].instance_size;
				cJSON_AddItemToArray(cfgs,
				    config_json(shard, &sp->configs[k]));
			}
			free(shard);
		}
	} else {
		x = cJSON_CreateObject();
		add_s(x, "shard", "1");
		add_s(x, "provider", c->backing_provider);
		add_s(x, "region", c->backing_region);
		add_s(x, "cedar", cedar_of(c->backing_provider,
		    c->backing_region));
		add_s(x, "electable", "managed");
		add_s(x, "readOnly", "managed");
		add_s(x, "analytics", "managed");
		cJSON_AddItemToArray(cfgs, x);
		tier = c->kind == RA_CLUSTER_FLEX ? "FLEX" : "SERVERLESS";
	}
	add_s(o, "clTier", tier);
	cJSON_AddItemToObject(o, "configs", cfgs);
	return o;
}

/* The projects of jurisdiction jkey: those a finding of that
 * jurisdiction names, in report order. */
static cJSON *
topology_json(const struct ra_report_input *in, const char *jkey)
{
	const struct ra_findings *fs = in->findings;
	const struct ra_model *m = in->model;
	cJSON *arr = cJSON_CreateArray();
	const char **seen = NULL;
	const struct ra_finding *prev = NULL;
	size_t nseen = 0, run = 0;
	char key[48];

	if (fs == NULL || m == NULL)
		return arr;
	seen = ra_calloc(fs->n + 1, sizeof(*seen));
	for (size_t i = 0; i < fs->n; i++) {
		const struct ra_finding *f = &fs->v[i];
		const struct ra_project *p;
		size_t k;

		if (f->jurisdiction == NULL || f->project_id == NULL ||
		    strcmp(f->jurisdiction, jkey) != 0)
			continue;
		/* a project has one name and findings are sorted by name:
		 * only ids first seen in this name's run can repeat */
		if (prev != NULL && !same(prev->project_name, f->project_name))
			run = nseen;
		prev = f;
		for (k = run; k < nseen; k++)
			if (strcmp(seen[k], f->project_id) == 0)
				break;
		if (k < nseen)
			continue;
		seen[nseen++] = f->project_id;
		if ((p = ra_model_project_by_id(m, f->project_id)) == NULL)
			continue;
		snprintf(key, sizeof(key), "project %zu",
		    (size_t)(p - m->projects));
		cJSON_AddItemToArray(arr, cJSON_CreateRaw(key));
	}
	free(seen);
	return arr;
}

/* One project of the topology (placeholder "project <i>"). */
static cJSON *
project_json(const struct ra_project *p)
{
	cJSON *o = cJSON_CreateObject(), *cl;

	add_s(o, "projName", p->name);
	add_s(o, "projId", p->id);
	if (!ra_ev_usable(&p->clusters_ev))
		add_s(o, "projError", ra_ev_reason(&p->clusters_ev));
	else
		cJSON_AddNullToObject(o, "projError");
	cl = cJSON_AddArrayToObject(o, "clusters");
	for (size_t c = 0; c < p->nclusters; c++)
		cJSON_AddItemToArray(cl, cluster_json(&p->clusters[c]));
	return o;
}

/* "https://cloud.mongodb.com" from the first record's URL. */
static char *
base_url(const struct ra_model *m)
{
	char buf[512];
	const char *u, *api;

	for (size_t i = 0; i < m->nrecords; i++) {
		if ((u = m->records[i].url) == NULL ||
		    (api = strstr(u, "/api/")) == NULL)
			continue;
		ra_redact_url(u, buf, sizeof(buf));
		if ((size_t)(api - u) < sizeof(buf))
			buf[api - u] = '\0';
		return ra_strdup(buf);
	}
	return NULL;
}

static cJSON *
method_json(const struct ra_model *m)
{
	cJSON *o = cJSON_CreateObject(), *eps, *e;

	if (m == NULL) {
		add_s(o, "base", NULL);
		cJSON_AddArrayToObject(o, "endpoints");
		return o;
	}
	add_own(o, "base", base_url(m));
	cJSON_AddNumberToObject(o, "requests", m->requests);
	cJSON_AddNumberToObject(o, "failed", m->failed);
	cJSON_AddNumberToObject(o, "retried", m->retried);
	cJSON_AddNumberToObject(o, "pages", m->pages);
	cJSON_AddNumberToObject(o, "rateLimited", m->rate_limited);
	eps = cJSON_AddArrayToObject(o, "endpoints");
	for (size_t i = 0; i < m->nstats; i++) {
		const struct ra_endpoint_stats *s = &m->stats[i];
		const struct ra_endpoint *ep = ra_endpoint_find(s->endpoint);

		e = cJSON_CreateObject();
		add_s(e, "epId", s->endpoint);
		add_s(e, "epTitle", ep != NULL ? ep->title : NULL);
		add_s(e, "epVersion", ep != NULL ? ep->version : NULL);
		cJSON_AddNumberToObject(e, "epRequests", s->requests);
		cJSON_AddNumberToObject(e, "epFailed", s->failed);
		cJSON_AddNumberToObject(e, "epRetried", s->retried);
		cJSON_AddNumberToObject(e, "epPages", s->pages);
		cJSON_AddItemToArray(eps, e);
	}
	return o;
}

static char *
scope_text(const struct ra_raw_record *r)
{
	struct ra_buf b;

	ra_buf_init(&b, 0);
	if (r->group_id != NULL && r->cluster != NULL)
		ra_buf_printf(&b, "cluster %s/%s", r->group_id, r->cluster);
	else if (r->group_id != NULL)
		ra_buf_printf(&b, "project %s", r->group_id);
	else if (r->org_id != NULL)
		ra_buf_printf(&b, "org %s", r->org_id);
	if (r->page > 0)
		ra_buf_printf(&b, "%spage %d", b.len ? ", " : "", r->page);
	return ra_buf_steal(&b);
}

static cJSON *
index_json(const struct ra_model *m)
{
	cJSON *o = cJSON_CreateObject(), *rows, *x;
	size_t n = m != NULL ? m->nrecords : 0;
	size_t shown = n < RA_MD_INDEX_MAX ? n : RA_MD_INDEX_MAX;

	cJSON_AddNumberToObject(o, "total", (double)n);
	cJSON_AddNumberToObject(o, "shown", (double)shown);
	cJSON_AddBoolToObject(o, "truncated", shown < n);
	rows = cJSON_AddArrayToObject(o, "rows");
	for (size_t i = 0; i < shown; i++) {
		const struct ra_raw_record *r = &m->records[i];
		int body = r->body_file != NULL;

		x = cJSON_CreateObject();
		add_s(x, "file", body ? r->body_file : r->meta_file);
		add_s(x, "endpoint", r->endpoint);
		add_own(x, "scope", scope_text(r));
		add_own(x, "httpStatus", r->status > 0 ?
		    ra_asprintf("%d %s", r->status, orDash(r->outcome)) :
		    ra_strdup(orDash(r->outcome)));
		add_s(x, "sha256", body ? r->sha256 : r->meta_sha256);
		cJSON_AddItemToArray(rows, x);
	}
	return o;
}

/* Builds a placeholder of the view (see struct lazy). */
static cJSON *
expand(void *ud, const cJSON *ph)
{
	const struct lazy *lz = ud;
	const struct ra_findings *fs = lz->in->findings;
	const char *key = ph->valuestring;
	cJSON *r, *v = NULL;
	char *end;
	unsigned long long i;

	if (key == NULL)
		goto out;
	if (strcmp(key, "findings") == 0) {
		if ((r = ra_report_json(lz->in, lz->j)) != NULL) {
			v = cJSON_DetachItemFromObjectCaseSensitive(r,
			    "findings");
			cJSON_Delete(r);
		}
	} else if (strncmp(key, "rows ", 5) == 0 && fs != NULL) {
		errno = 0;
		i = strtoull(key + 5, &end, 10);
		if (errno == 0 && *end == '\0' && i < fs->n)
			v = rows_json(fs, lz->j->key, (size_t)i);
	} else if (strncmp(key, "project ", 8) == 0 && lz->in->model != NULL) {
		errno = 0;
		i = strtoull(key + 8, &end, 10);
		if (errno == 0 && *end == '\0' && i < lz->in->model->nprojects)
			v = project_json(&lz->in->model->projects[i]);
	}
	if (v != NULL)
		clean_tree(v);
out:
	return v;
}

/*
 * The report keys of ra_report_json(in, j) with "findings" a
 * placeholder: the report is built from the WAIVED findings alone (the
 * waiver rows of ra_md_add_postproc read those), then its verdict and
 * summary are set from every finding, as report_json.c counts them.
 */
static cJSON *
report_head(const struct ra_report_input *in,
    const struct ra_jurisdiction *j)
{
	struct ra_report_input sub = *in;
	struct ra_findings waived = { NULL, 0, 0 };
	const struct ra_findings *fs = in->findings;
	unsigned counts[RA_NSTATUS] = { 0 };
	cJSON *r, *sum;

	if (fs != NULL) {
		for (size_t i = 0; i < fs->n; i++) {
			const struct ra_finding *f = &fs->v[i];

			if (!ra_report_includes(f, j->key))
				continue;
			if ((unsigned)f->status < RA_NSTATUS)
				counts[f->status]++;
		}
		/* room for the waived ones only (usually none of tens of
		 * thousands) */
		waived.v = ra_calloc(counts[RA_WAIVED] + 1, sizeof(*waived.v));
		for (size_t i = 0; i < fs->n; i++)
			if (fs->v[i].status == RA_WAIVED &&
			    ra_report_includes(&fs->v[i], j->key))
				waived.v[waived.n++] = fs->v[i];	/* shallow */
		sub.findings = &waived;
	}
	if ((r = ra_report_json(&sub, j)) == NULL)
		goto out;
	cJSON_ReplaceItemInObjectCaseSensitive(r, "verdict",
	    cJSON_CreateString(ra_verdict(fs, j->key)));
	sum = cJSON_CreateObject();
	for (int s = 0; s < RA_NSTATUS; s++)
		cJSON_AddNumberToObject(sum, ra_status_name((enum ra_status)s),
		    counts[s]);
	cJSON_ReplaceItemInObjectCaseSensitive(r, "summary", sum);
out:
	free(waived.v);
	return r;
}

/*
 * The view with placeholders (opts.expand = expand, ud a struct lazy);
 * ra_md_view() is it fully built.
 */
static cJSON *
lazy_view(const struct ra_report_input *in, const struct ra_jurisdiction *j)
{
	cJSON *v, *org;
	char date[16];

	if ((v = report_head(in, j)) == NULL)
		return NULL;
	org = cJSON_AddObjectToObject(v, "org");
	add_s(org, "id", ra_json_str(v, "orgId"));
	add_s(org, "name", in->model != NULL ? in->model->org_name : NULL);
	ra_time_date(in->as_of, date, sizeof(date));
	add_s(v, "asOfDate", date);
	add_own(v, "regionsText", join_regions(j));
	add_s(v, "statement", in->statement != NULL ? in->statement :
	    RA_DEFAULT_STATEMENT);
	/* report_head set it from every finding */
	add_s(v, "verdictLabel", verdict_label(ra_json_str(v, "verdict")));
	cJSON_AddItemToObject(v, "groups", groups_json(in->findings, j->key));
	policies_json(v, in->model);
	noncompliant_json(v, in->model);
	cJSON_AddItemToObject(v, "topology", topology_json(in, j->key));
	cJSON_AddItemToObject(v, "method", method_json(in->model));
	cJSON_AddItemToObject(v, "index", index_json(in->model));
	ra_md_add_postproc(v);
	cJSON_ReplaceItemInObjectCaseSensitive(v, "findings",
	    cJSON_CreateRaw("findings"));
	clean_tree(v);
	return v;
}

cJSON *
ra_md_view(const struct ra_report_input *in, const struct ra_jurisdiction *j)
{
	struct lazy lz = { in, j };
	struct ra_mustache_opts opts;
	cJSON *lazy, *v;

	memset(&opts, 0, sizeof(opts));
	opts.expand = expand;
	opts.expand_ud = &lz;
	lazy = lazy_view(in, j);
	v = ra_mustache_materialise(lazy, &opts);
	cJSON_Delete(lazy);
	return v;
}

/* Partials come from the template's directory, by safe name only. */
static int
load_partial(void *ud, const char *name, char **text, size_t *len)
{
	const char *dir = ud;
	char *path;
	int rc;

	*text = NULL;
	*len = 0;
	if (!ra_is_safe_component(name))
		return -1;
	path = ra_asprintf("%s/%s.mustache", dir, name);
	rc = ra_file_read(text, len, path, MAX_TEMPLATE) == 0 ? 0 : -1;
	free(path);
	return rc;
}

int
ra_md_render(struct ra_buf *out, const struct ra_report_input *in,
    const struct ra_jurisdiction *j, char *err, size_t errsz)
{
	struct ra_mustache_opts opts;
	struct lazy lz = { in, j };
	char *path = NULL, *tmpl = NULL, *dir = NULL, merr[256];
	size_t len, nf;
	cJSON *view = NULL;
	int rc = -1;

	dir = ra_strdup(in->template_dir != NULL ? in->template_dir : ".");
	path = ra_asprintf("%s/%s", dir, RA_MD_TEMPLATE);
	if (ra_file_read(&tmpl, &len, path, MAX_TEMPLATE) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((view = lazy_view(in, j)) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		goto out;
	}
	memset(&opts, 0, sizeof(opts));
	opts.load_partial = load_partial;
	opts.ud = dir;
	opts.escape = RA_ESCAPE_MARKDOWN;
	opts.expand = expand;
	opts.expand_ud = &lz;
	/* The caps stop a runaway template; the report itself grows with
	 * the org (the default template: ~215 bytes and a few tags per
	 * finding), so they grow with it and a 10,000-project org renders. */
	nf = in->findings != NULL ? in->findings->n : 0;
	opts.max_output = RA_MUSTACHE_MAX_OUTPUT + nf * MD_OUTPUT_PER_FINDING;
	opts.max_steps = RA_MUSTACHE_MAX_STEPS + nf * MD_STEPS_PER_FINDING;
	if (ra_mustache_render(out, tmpl, len, view, &opts, merr,
	    sizeof(merr)) != 0) {
		snprintf(err, errsz, "%s: %s", path, merr);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(view);
	free(tmpl);
	free(path);
	free(dir);
	return rc;
}

int
ra_report_write_md(const char *dir, const struct ra_report_input *in)
{
	struct ra_report_stream s;
	char err[512], *name;
	int rc = 0;

	/* stops at the first failure: one reason, the pack is abandoned */
	for (size_t i = 0; rc == 0 && i < in->inv->njurisdictions; i++) {
		const struct ra_jurisdiction *j = &in->inv->jurisdictions[i];

		if ((name = ra_report_file_name(j, ".md")) == NULL) {
			rc = -1;
			continue;
		}
		/* The view's strings are clean (clean_tree); a template or
		 * partial may bring invalid UTF-8 or a NUL byte, so the
		 * output is cleaned as a whole, as it streams. */
		if (ra_report_stream_open(&s, dir, name, 1) != 0)
			rc = -1;
		else if (ra_md_render(&s.b, in, j, err, sizeof(err)) != 0) {
			/* the disk's reason when writing it was the failure */
			ra_error("%s/%s: %s", dir, name, s.f.err != 0 ?
			    strerror(s.f.err) : err);
			rc = -1;
		}
		if (ra_report_stream_close(&s, rc == 0) != 0)
			rc = -1;
		free(name);
	}
	return rc;
}
