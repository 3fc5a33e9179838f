/* ctl_common.c: see ctl_common.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "ctl_common.h"
#include "endpoints.h"
#include "util.h"

const char *
ra_ctl_provider(const char *atlas_provider)
{
	static const char *const names[] = { "aws", "azure", "gcp" };
	size_t i;

	if (atlas_provider == NULL)
		return NULL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(atlas_provider, names[i]) == 0)
			return names[i];
	return NULL;
}

/*
 * ra_ctl_cedar and ra_ctl_city_cedar: the region is read as an Atlas enum
 * when product is NULL, else through ra_region_by_city(product, ...).
 */
static const char *
cedar_of(const char *product, const char *provider, const char *region,
    char *why, size_t whysz)
{
	const struct ra_region *r;
	const char *cedar = NULL;

	if (ra_ctl_provider(provider) == NULL) {
		if (why != NULL)
			snprintf(why, whysz, "unknown provider \"%s\"",
			    provider != NULL ? provider : "(none)");
		goto out;
	}
	if (region == NULL) {
		if (why != NULL)
			snprintf(why, whysz, "no region given for provider "
			    "\"%s\"", provider);
		goto out;
	}
	r = product == NULL ? ra_region_by_atlas(provider, region) :
	    ra_region_by_city(product, provider, region);
	if (r == NULL || r->cedar == NULL) {
		if (why != NULL)
			snprintf(why, whysz, "unknown region \"%s\" of "
			    "provider \"%s\"", region, provider);
		goto out;
	}
	cedar = r->cedar;
out:
	return cedar;
}

const char *
ra_ctl_cedar(const char *provider, const char *region, char *why,
    size_t whysz)
{
	return cedar_of(NULL, provider, region, why, whysz);
}

const char *
ra_ctl_city_cedar(const char *product, const char *provider,
    const char *region, char *why, size_t whysz)
{
	return cedar_of(product, provider, region, why, whysz);
}

int
ra_ctl_in_list(const char *const *v, size_t n, const char *cedar)
{
	size_t lo = 0, hi = n;

	if (cedar == NULL)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid], cedar);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
ra_ctl_allowed(const struct ra_scope *sc, const char *cedar)
{
	return ra_ctl_in_list(sc->allowed, sc->nallowed, cedar);
}

char *
ra_ctl_join_sep(const char *const *v, size_t n, const char *sep)
{
	struct ra_buf b;
	char *s;
	size_t i;

	ra_buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			ra_buf_adds(&b, sep);
		ra_buf_adds(&b, v[i] != NULL ? v[i] : "");
	}
	s = ra_strdup(ra_buf_cstr(&b));
	ra_buf_free(&b);
	return s;
}

char *
ra_ctl_join(const char *const *v, size_t n)
{
	return ra_ctl_join_sep(v, n, ", ");
}

char *
ra_ctl_allowed_str(const struct ra_scope *sc)
{
	return ra_ctl_join(sc->allowed, sc->nallowed);
}

struct ra_finding *
ra_ctl_add(struct ra_findings *out, const char *control,
    enum ra_status status, const struct ra_scope *sc, const char *resource)
{
	if (sc == NULL)
		return ra_finding_add(out, control, status, NULL, NULL, NULL,
		    resource);
	return ra_finding_add(out, control, status, sc->project->id,
	    sc->project->name, sc->jurisdiction, resource);
}

struct ra_finding *
ra_ctl_error_ev(struct ra_findings *out, const char *control,
    const struct ra_scope *sc, const char *resource,
    const char *endpoint_title, const struct ra_ev *ev)
{
	struct ra_finding *f;

	f = ra_ctl_add(out, control, RA_ERROR, sc, resource);
	ra_finding_set_detail(f, "%s: %s", endpoint_title, ra_ev_reason(ev));
	ra_finding_add_evrefs(f, ev->refs, ev->nrefs);
	return f;
}

char *
ra_ctl_cluster_resource(const struct ra_cluster *c)
{
	return ra_asprintf("cluster/%s", c->name != NULL ? c->name : "");
}

const char *
ra_ctl_ep_title(const char *endpoint_id)
{
	const struct ra_endpoint *ep = ra_endpoint_find(endpoint_id);

	return ep != NULL ? ep->title : endpoint_id;
}

/* Adds counts for one Cedar region, keeping the array sorted. */
static void
nodes_add(struct ra_ctl_nodes *n, const char *cedar, int e, int r, int a,
    int o)
{
	size_t i;

	for (i = 0; i < n->n; i++) {
		int c = strcmp(n->v[i].cedar, cedar);

		if (c == 0)
			goto found;
		if (c > 0)
			break;
	}
	n->v = ra_realloc(n->v, (n->n + 1) * sizeof(*n->v));
	memmove(&n->v[i + 1], &n->v[i], (n->n - i) * sizeof(*n->v));
	memset(&n->v[i], 0, sizeof(n->v[i]));
	n->v[i].cedar = cedar;
	n->n++;
found:
	n->v[i].electable += e;
	n->v[i].read_only += r;
	n->v[i].analytics += a;
	n->v[i].other += o;
}

void
ra_ctl_nodes_free(struct ra_ctl_nodes *n)
{
	if (n == NULL)
		return;
	free(n->v);
	n->v = NULL;
	n->n = 0;
}

int
ra_ctl_nodes(struct ra_ctl_nodes *out, const struct ra_cluster *c,
    char *why, size_t whysz)
{
	const char *cedar;
	size_t i, j;
	int rc = -1;

	out->v = NULL;
	out->n = 0;
	if (c->kind != RA_CLUSTER_DEDICATED) {
		cedar = ra_ctl_cedar(c->backing_provider, c->backing_region,
		    why, whysz);
		if (cedar == NULL)
			goto out;
		nodes_add(out, cedar, 0, 0, 0, 1);
		rc = 0;
		goto out;
	}
	for (i = 0; i < c->nspecs; i++) {
		const struct ra_replication_spec *s = &c->specs[i];

		for (j = 0; j < s->nconfigs; j++) {
			const struct ra_region_config *rc_ = &s->configs[j];
			const char *prov = rc_->provider;
			int e = rc_->electable > 0 ? rc_->electable : 0;
			int r = rc_->read_only > 0 ? rc_->read_only : 0;
			int a = rc_->analytics > 0 ? rc_->analytics : 0;

			if (e == 0 && r == 0 && a == 0)
				continue;
			if (prov != NULL && strcasecmp(prov, "TENANT") == 0)
				prov = rc_->backing_provider;
			cedar = ra_ctl_cedar(prov, rc_->region, why, whysz);
			if (cedar == NULL)
				goto out;
			nodes_add(out, cedar, e, r, a, 0);
		}
	}
	rc = 0;
out:
	if (rc != 0)
		ra_ctl_nodes_free(out);
	return rc;
}

char *
ra_ctl_nodes_str(const struct ra_ctl_nodes *n, enum ra_cluster_kind kind)
{
	struct ra_buf b;
	char *s;
	size_t i;

	ra_buf_init(&b, 0);
	for (i = 0; i < n->n; i++) {
		const struct ra_ctl_place *p = &n->v[i];
		const char *sep = "";

		if (i > 0)
			ra_buf_adds(&b, ", ");
		ra_buf_printf(&b, "%s (", p->cedar);
		if (p->electable > 0) {
			ra_buf_printf(&b, "%d electable", p->electable);
			sep = ", ";
		}
		if (p->read_only > 0) {
			ra_buf_printf(&b, "%s%d read-only", sep, p->read_only);
			sep = ", ";
		}
		if (p->analytics > 0) {
			ra_buf_printf(&b, "%s%d analytics", sep, p->analytics);
			sep = ", ";
		}
		if (p->other > 0)
			ra_buf_printf(&b, "%s%s", sep,
			    kind == RA_CLUSTER_FLEX ? "flex" :
			    kind == RA_CLUSTER_SERVERLESS ? "serverless" :
			    "nodes");
		ra_buf_addc(&b, ')');
	}
	s = ra_strdup(n->n == 0 ? "no nodes" : ra_buf_cstr(&b));
	ra_buf_free(&b);
	return s;
}

/*
 * Guard of ra_ctl_each_cluster: 1 when the project's cluster listings
 * are all usable and list a cluster, else 0 after adding the ERROR or
 * SKIPPED finding at "project".
 */
static int
clusters_ok(struct ra_findings *out, const char *control,
    const struct ra_scope *sc)
{
	const struct ra_project *p = sc->project;
	struct ra_finding *f;
	const struct {
		const struct ra_ev *ev;
		const char *endpoint;
	} listings[] = {
		{ &p->clusters_ev, "clusters" },
		{ &p->flex_ev, "flex-clusters" },
		{ &p->serverless_ev, "serverless" },
	};
	size_t i;

	for (i = 0; i < sizeof(listings) / sizeof(listings[0]); i++) {
		if (!ra_ev_usable(listings[i].ev)) {
			ra_ctl_error_ev(out, control, sc, "project",
			    ra_ctl_ep_title(listings[i].endpoint),
			    listings[i].ev);
			return 0;
		}
	}
	if (p->nclusters == 0) {
		f = ra_ctl_add(out, control, RA_SKIPPED, sc, "project");
		ra_finding_set_detail(f, "no clusters");
		for (i = 0; i < sizeof(listings) / sizeof(listings[0]); i++)
			ra_finding_add_evrefs(f, listings[i].ev->refs,
			    listings[i].ev->nrefs);
		return 0;
	}
	return 1;
}

struct ra_finding *
ra_ctl_cluster_add(struct ra_findings *out, const char *control,
    enum ra_status status, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	struct ra_finding *f;
	char *res = ra_ctl_cluster_resource(c);

	f = ra_ctl_add(out, control, status, sc, res);
	ra_finding_add_evrefs(f, c->ev.refs, c->ev.nrefs);
	free(res);
	return f;
}

void
ra_ctl_each_cluster(const struct ra_ctx *ctx, struct ra_findings *out,
    const char *control, ra_ctl_cluster_fn fn)
{
	size_t i, j;

	for (i = 0; i < ctx->nscopes; i++) {
		const struct ra_scope *sc = &ctx->scopes[i];

		if (!clusters_ok(out, control, sc))
			continue;
		for (j = 0; j < sc->project->nclusters; j++)
			fn(out, control, sc, &sc->project->clusters[j]);
	}
}

const char *
ra_ctl_kind_name(enum ra_cluster_kind kind)
{
	switch (kind) {
	case RA_CLUSTER_FLEX:
		return "flex";
	case RA_CLUSTER_SERVERLESS:
		return "serverless";
	case RA_CLUSTER_DEDICATED:
	default:
		return "dedicated";
	}
}

int
ra_ctl_backup_gate(struct ra_findings *out, const char *control,
    const struct ra_scope *sc, const struct ra_cluster *c, const char *none,
    const char *off)
{
	struct ra_finding *f;

	if (c->kind != RA_CLUSTER_DEDICATED) {
		f = ra_ctl_cluster_add(out, control, RA_SKIPPED, sc, c);
		ra_finding_set_detail(f, "%s cluster: %s",
		    ra_ctl_kind_name(c->kind), none);
		return 1;
	}
	if (c->backup_enabled == RA_TRI_UNKNOWN) {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_set_detail(f, "backupEnabled not stated in the "
		    "cluster description");
		return 1;
	}
	if (!c->backup_enabled) {
		f = ra_ctl_cluster_add(out, control, RA_SKIPPED, sc, c);
		ra_finding_set_detail(f, "cloud backup is off: %s", off);
		return 1;
	}
	return 0;
}

struct ra_finding *
ra_ctl_cluster_error_ev(struct ra_findings *out, const char *control,
    const struct ra_scope *sc, const struct ra_cluster *c,
    const char *endpoint_id, const struct ra_ev *ev)
{
	struct ra_finding *f;
	char *res = ra_ctl_cluster_resource(c);

	f = ra_ctl_error_ev(out, control, sc, res,
	    ra_ctl_ep_title(endpoint_id), ev);
	ra_finding_add_evrefs(f, c->ev.refs, c->ev.nrefs);
	free(res);
	return f;
}
