/*
 * ctl_search_node_region.c: search-node-region (CONTRACT §5, ADR §6).
 * Every dedicated search node spec with nodeCount > 0 lies in an allowed
 * region; a cluster without search nodes is SKIPPED, as are flex and
 * serverless clusters (they cannot have any).
 */
#include <stdlib.h>

#include "buf.h"
#include "ctl_common.h"

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	const struct ra_search_deployment *sd = &c->search;
	struct ra_finding *f;
	struct ra_buf obs, bad;
	char why[256], *exp = ra_ctl_allowed_str(sc);
	size_t i, n = 0;

	ra_buf_init(&obs, 0);
	ra_buf_init(&bad, 0);
	if (c->kind != RA_CLUSTER_DEDICATED) {
		f = ra_ctl_cluster_add(out, control, RA_SKIPPED, sc, c);
		ra_finding_set_detail(f, "%s cluster: no dedicated search "
		    "nodes", ra_ctl_kind_name(c->kind));
		goto out;
	}
	if (!ra_ev_usable(&sd->ev)) {
		ra_ctl_cluster_error_ev(out, control, sc, c,
		    "search-deployment", &sd->ev);
		goto out;
	}
	for (i = 0; i < sd->n; i++) {
		const struct ra_search_spec *s = &sd->v[i];
		const char *cedar;

		if (s->node_count <= 0)
			continue;
		cedar = ra_ctl_cedar(s->cloud_provider, s->region, why,
		    sizeof(why));
		if (cedar == NULL) {
			f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
			ra_finding_add_evrefs(f, sd->ev.refs, sd->ev.nrefs);
			ra_finding_set_expected(f, "%s", exp);
			ra_finding_set_detail(f, "search node spec %zu: %s",
			    i, why);
			goto out;
		}
		n++;
		ra_buf_printf(&obs, "%s%s (%d search)", obs.len ? ", " : "",
		    cedar, s->node_count);
		if (!ra_ctl_allowed(sc, cedar))
			ra_buf_printf(&bad, "%s%s", bad.len ? ", " : "", cedar);
	}
	if (n == 0) {
		f = ra_ctl_cluster_add(out, control, RA_SKIPPED, sc, c);
		ra_finding_add_evrefs(f, sd->ev.refs, sd->ev.nrefs);
		ra_finding_set_detail(f, "no dedicated search nodes");
		goto out;
	}
	f = ra_ctl_cluster_add(out, control, bad.len ? RA_FAIL : RA_PASS, sc,
	    c);
	ra_finding_add_evrefs(f, sd->ev.refs, sd->ev.nrefs);
	ra_finding_set_expected(f, "%s", exp);
	ra_finding_set_observed(f, "%s", ra_buf_cstr(&obs));
	if (bad.len)
		ra_finding_set_detail(f, "search nodes outside the allowed "
		    "regions: %s", ra_buf_cstr(&bad));
out:
	ra_buf_free(&obs);
	ra_buf_free(&bad);
	free(exp);
}

void
ra_check_search_node_region(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "search-node-region", one);
}
