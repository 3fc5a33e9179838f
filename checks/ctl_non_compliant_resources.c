/*
 * ctl_non_compliant_resources.c: non-compliant-resources (CONTRACT §5;
 * ADR §6). Atlas's own list of resources that break a resource policy.
 *
 * What an entry matches (resource ids are Atlas ObjectIds, unique across
 * kinds, so the id alone decides when it is present):
 *   - with a resourceId: the project of that id, or the cluster of that id
 *     (dedicated, flex or serverless), whatever resourceType says;
 *   - without a resourceId: by resourceName, a PROJECT/DEPRECATED_PROJECT
 *     entry the project of that name, any other entry every cluster of
 *     that name (names are unique only within a project, so the same
 *     entry may match several projects).
 * Per scope: no entry matches the project or one of its clusters -> PASS;
 * else FAIL listing them. When nothing matches but some entry matches no
 * known project or cluster at all and the scope's cluster listings are
 * not usable, the entry might be one of its clusters: ERROR. Entries that
 * match nothing known -> one org-level FAIL listing them. Unusable
 * evidence -> ERROR per scope and one at org.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_project_common.h"

#define CTL	"non-compliant-resources"

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static int
is_project_type(const char *t)
{
	return streq(t, "PROJECT") || streq(t, "DEPRECATED_PROJECT");
}

/* 1 when entry e names project p or one of its clusters. */
static int
matches(const struct ra_noncompliant *e, const struct ra_project *p)
{
	int byid = e->resource_id != NULL && e->resource_id[0] != '\0';

	if (byid && streq(e->resource_id, p->id))
		return 1;
	if (!byid && is_project_type(e->resource_type))
		return streq(e->resource_name, p->name);
	for (size_t i = 0; i < p->nclusters; i++) {
		const struct ra_cluster *c = &p->clusters[i];

		if (byid ? streq(e->resource_id, c->id) :
		    streq(e->resource_name, c->name))
			return 1;
	}
	return 0;
}

static int
known(const struct ra_model *m, const struct ra_noncompliant *e)
{
	for (size_t i = 0; i < m->nprojects; i++)
		if (matches(e, &m->projects[i]))
			return 1;
	return 0;
}

/* "CLUSTER data-eu-0 (id 65..., policies: eu-only)" */
static void
describe(struct ra_buf *b, const struct ra_noncompliant *e)
{
	if (b->len > 0)
		ra_buf_adds(b, "; ");
	ra_buf_printf(b, "%s %s", e->resource_type != NULL ?
	    e->resource_type : "(no type)", e->resource_name != NULL ?
	    e->resource_name : "(no name)");
	if (e->resource_id != NULL && e->resource_id[0] != '\0')
		ra_buf_printf(b, " (id %s", e->resource_id);
	else
		ra_buf_adds(b, " (no id");
	ra_buf_adds(b, ", policies: ");
	for (size_t i = 0; i < e->npolicy_names; i++)
		ra_buf_printf(b, "%s%s", i > 0 ? ", " : "",
		    e->policy_names[i] != NULL ? e->policy_names[i] : "?");
	if (e->npolicy_names == 0)
		ra_buf_adds(b, "none named");
	ra_buf_adds(b, ")");
}

static int
listings_usable(const struct ra_project *p)
{
	return ra_ev_usable(&p->clusters_ev) && ra_ev_usable(&p->flex_ev) &&
	    ra_ev_usable(&p->serverless_ev);
}

static void
one_scope(const struct ra_ctx *ctx, const struct ra_scope *sc,
    size_t norphans, struct ra_findings *out)
{
	const struct ra_model *m = ctx->model;
	const struct ra_project *p = sc->project;
	struct ra_finding *f;
	struct ra_buf b;
	size_t n = 0;

	ra_buf_init(&b, 0);
	for (size_t i = 0; i < m->nnoncompliant; i++)
		if (matches(&m->noncompliant[i], p)) {
			describe(&b, &m->noncompliant[i]);
			n++;
		}
	if (n > 0) {
		f = ra_ctl_add(out, CTL, RA_FAIL, sc, "project");
		ra_finding_set_observed(f, "%zu non-compliant: %s", n,
		    ra_buf_cstr(&b));
		ra_finding_set_detail(f, "Atlas lists the project or its "
		    "clusters as breaking a resource policy");
	} else if (norphans > 0 && !listings_usable(p)) {
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, "project");
		ra_finding_set_observed(f, "%zu unattributed entr%s", norphans,
		    norphans == 1 ? "y" : "ies");
		ra_finding_set_detail(f, "the project's cluster listings are "
		    "incomplete, so entries that match no known cluster may "
		    "be its clusters");
		ra_finding_add_evrefs(f, p->clusters_ev.refs,
		    p->clusters_ev.nrefs);
		ra_finding_add_evrefs(f, p->flex_ev.refs, p->flex_ev.nrefs);
		ra_finding_add_evrefs(f, p->serverless_ev.refs,
		    p->serverless_ev.nrefs);
	} else {
		f = ra_ctl_add(out, CTL, RA_PASS, sc, "project");
		ra_finding_set_observed(f, "none");
		ra_finding_set_detail(f, "%zu entr%s in nonCompliantResources, "
		    "none for this project or its clusters",
		    m->nnoncompliant, m->nnoncompliant == 1 ? "y" : "ies");
	}
	ra_finding_set_expected(f, "none");
	ra_finding_add_evrefs(f, m->noncompliant_ev.refs,
	    m->noncompliant_ev.nrefs);
	ra_buf_free(&b);
}

void
ra_check_non_compliant_resources(const struct ra_ctx *ctx,
    struct ra_findings *out)
{
	const struct ra_model *m = ctx->model;
	struct ra_finding *f;
	struct ra_buf b;
	size_t norphans = 0;

	ra_buf_init(&b, 0);
	if (!ra_ev_usable(&m->noncompliant_ev)) {
		const char *t = ra_ctl_ep_title("non-compliant-resources");

		for (size_t i = 0; i < ctx->nscopes; i++)
			ra_ctl_error_ev(out, CTL, &ctx->scopes[i], "project", t,
			    &m->noncompliant_ev);
		ra_ctl_error_ev(out, CTL, NULL, "org", t, &m->noncompliant_ev);
		goto out;
	}
	for (size_t i = 0; i < m->nnoncompliant; i++)
		if (!known(m, &m->noncompliant[i])) {
			describe(&b, &m->noncompliant[i]);
			norphans++;
		}
	for (size_t i = 0; i < ctx->nscopes; i++)
		one_scope(ctx, &ctx->scopes[i], norphans, out);
	if (norphans > 0) {
		f = ra_ctl_add(out, CTL, RA_FAIL, NULL, "org");
		ra_finding_set_expected(f, "none");
		ra_finding_set_observed(f, "%zu non-compliant: %s", norphans,
		    ra_buf_cstr(&b));
		ra_finding_set_detail(f, "Atlas lists resources that break a "
		    "resource policy and match no known project or cluster%s",
		    ra_ev_usable(&m->projects_ev) ? "" :
		    " (the project listing is incomplete)");
		ra_finding_add_evrefs(f, m->noncompliant_ev.refs,
		    m->noncompliant_ev.nrefs);
	}
out:
	ra_buf_free(&b);
}
