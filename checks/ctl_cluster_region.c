/*
 * ctl_cluster_region.c: cluster-region (CONTRACT §5, ADR §2, §6). Every
 * region holding a node of the cluster (electable, read-only or
 * analytics with nodeCount > 0, in every shard; TENANT configs by their
 * backing provider; flex and serverless by backing provider and region)
 * is one of the project's allowed regions.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_common.h"

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	struct ra_ctl_nodes nodes = { NULL, 0 };
	struct ra_finding *f;
	struct ra_buf types;
	char why[256], *obs = NULL, *exp = NULL;
	const char *names[4];
	int e = 0, r = 0, a = 0, o = 0, total;
	size_t i, k = 0;

	ra_buf_init(&types, 0);
	exp = ra_ctl_allowed_str(sc);
	if (ra_ctl_nodes(&nodes, c, why, sizeof(why)) != 0) {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_set_expected(f, "%s", exp);
		ra_finding_set_detail(f, "%s", why);
		goto out;
	}
	obs = ra_ctl_nodes_str(&nodes, c->kind);
	if (nodes.n == 0) {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_set_expected(f, "%s", exp);
		ra_finding_set_observed(f, "%s", obs);
		ra_finding_set_detail(f, "no node with nodeCount > 0: where "
		    "the data lives cannot be established");
		goto out;
	}
	for (i = 0; i < nodes.n; i++) {
		if (ra_ctl_allowed(sc, nodes.v[i].cedar))
			continue;
		e += nodes.v[i].electable;
		r += nodes.v[i].read_only;
		a += nodes.v[i].analytics;
		o += nodes.v[i].other;
	}
	total = e + r + a + o;
	f = ra_ctl_cluster_add(out, control, total == 0 ? RA_PASS : RA_FAIL,
	    sc, c);
	ra_finding_set_expected(f, "%s", exp);
	ra_finding_set_observed(f, "%s", obs);
	if (total == 0)
		goto out;
	/* "analytics node outside the allowed regions",
	   "electable and read-only nodes outside ..." */
	if (e > 0)
		names[k++] = "electable";
	if (r > 0)
		names[k++] = "read-only";
	if (a > 0)
		names[k++] = "analytics";
	if (o > 0)
		names[k++] = ra_ctl_kind_name(c->kind);
	for (i = 0; i < k; i++)
		ra_buf_printf(&types, "%s%s", i == 0 ? "" :
		    (i + 1 == k ? " and " : ", "), names[i]);
	ra_finding_set_detail(f, "%s node%s outside the allowed regions",
	    ra_buf_cstr(&types), total > 1 ? "s" : "");
out:
	ra_buf_free(&types);
	ra_ctl_nodes_free(&nodes);
	free(obs);
	free(exp);
}

void
ra_check_cluster_region(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "cluster-region", one);
}
