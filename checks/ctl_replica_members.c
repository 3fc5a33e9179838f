/*
 * ctl_replica_members.c: replica-members (CONTRACT §5, ADR §3, §6).
 * Plane data or shared: every node of the cluster in one region (the
 * ADR pins a tenant data plane to one region). Plane control: electable
 * nodes in at least two allowed regions, so that automatic failover
 * stays inside the jurisdiction. Flex and serverless clusters are
 * single-region by construction and pass.
 */
#include <stdlib.h>

#include "ctl_common.h"

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	struct ra_ctl_nodes nodes = { NULL, 0 };
	struct ra_finding *f;
	char why[256], *obs = NULL;
	size_t i, n = 0;

	if (ra_ctl_nodes(&nodes, c, why, sizeof(why)) != 0) {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_set_detail(f, "%s", why);
		goto out;
	}
	obs = ra_ctl_nodes_str(&nodes, c->kind);
	if (c->kind != RA_CLUSTER_DEDICATED) {
		f = ra_ctl_cluster_add(out, control, RA_PASS, sc, c);
		ra_finding_set_expected(f, "%s", sc->plane == RA_PLANE_CONTROL ?
		    "electable nodes in at least two allowed regions" :
		    "all nodes in one region");
		ra_finding_set_observed(f, "%s", obs);
		ra_finding_set_detail(f, "%s cluster: single-region by "
		    "construction", ra_ctl_kind_name(c->kind));
		goto out;
	}
	if (nodes.n == 0) {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_set_observed(f, "%s", obs);
		ra_finding_set_detail(f, "no node with nodeCount > 0");
		goto out;
	}
	if (sc->plane == RA_PLANE_CONTROL) {
		for (i = 0; i < nodes.n; i++)
			if (nodes.v[i].electable > 0 &&
			    ra_ctl_allowed(sc, nodes.v[i].cedar))
				n++;
		f = ra_ctl_cluster_add(out, control, n >= 2 ? RA_PASS : RA_FAIL,
		    sc, c);
		ra_finding_set_expected(f, "electable nodes in at least two "
		    "allowed regions");
		ra_finding_set_observed(f, "%s", obs);
		if (n < 2)
			ra_finding_set_detail(f, "control plane: electable "
			    "nodes in %zu allowed region%s; failover cannot "
			    "stay inside the jurisdiction", n,
			    n == 1 ? "" : "s");
		goto out;
	}
	f = ra_ctl_cluster_add(out, control, nodes.n == 1 ? RA_PASS : RA_FAIL,
	    sc, c);
	ra_finding_set_expected(f, "all nodes in one region");
	ra_finding_set_observed(f, "%s", obs);
	if (nodes.n != 1)
		ra_finding_set_detail(f, "%s plane: nodes in %zu regions",
		    ra_plane_name(sc->plane), nodes.n);
out:
	ra_ctl_nodes_free(&nodes);
	free(obs);
}

void
ra_check_replica_members(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "replica-members", one);
}
