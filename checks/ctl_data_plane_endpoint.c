/*
 * ctl_data_plane_endpoint.c: data-plane-endpoint (CONTRACT §5; ADR-020
 * §1, §2). Per data plane, at "dataplane/<name>":
 *   - the servers the plane's connection string reached (the URI's seeds
 *     unless SRV, hello's hosts and me, the servers the driver connected
 *     to; host:port, lower case) are all hosts of the declared Atlas
 *     cluster's connectionStrings.standard, and an SRV name equals the
 *     host of its standardSrv; otherwise FAIL naming the strangers;
 *   - that cluster's nodes all lie in the plane's jurisdiction (Cedar
 *     ids through ctl_common); otherwise FAIL naming the regions.
 * ERROR: unreachable plane, the plane's project or its cluster listings
 * missing from the Atlas evidence, no connection strings, a region the
 * catalogue does not know. A declared cluster absent from a complete
 * listing FAILs (the plane cannot reach servers of a cluster that does
 * not exist).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_common.h"
#include "ctl_dp_common.h"

#define CTL	"data-plane-endpoint"

/* Appends the host:port list of a mongodb:// string (default port 27017,
 * lower case) to *v; returns the SRV host of a mongodb+srv:// string
 * (malloc'd) or NULL. */
static char *
parse_cs(const char *cs, char ***v, size_t *n)
{
	const char *p, *end;
	int srv;

	if (cs == NULL || (p = strstr(cs, "://")) == NULL)
		return NULL;
	srv = strncmp(cs, "mongodb+srv://", 14) == 0;
	p += 3;
	if ((end = strchr(p, '@')) != NULL && end < p + strcspn(p, "/?"))
		p = end + 1;
	end = p + strcspn(p, "/?");
	while (p < end) {
		size_t len = strcspn(p, ",/?");
		char *h;

		if (p + len > end)
			len = (size_t)(end - p);
		if (len > 0) {
			h = memchr(p, ':', len) != NULL || srv ?
			    ra_asprintf("%.*s", (int)len, p) :
			    ra_asprintf("%.*s:27017", (int)len, p);
			for (char *c = h; *c != '\0'; c++)
				*c = (char)tolower((unsigned char)*c);
			if (srv)
				return h;
			*v = ra_realloc(*v, (*n + 1) * sizeof(**v));
			(*v)[(*n)++] = h;
		}
		p += len;
		if (p < end)
			p++;
	}
	return NULL;
}

static int
in_strv(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static const struct ra_cluster *
find_cluster(const struct ra_project *p, const char *name)
{
	for (size_t i = 0; i < p->nclusters; i++)
		if (p->clusters[i].name != NULL &&
		    strcmp(p->clusters[i].name, name) == 0)
			return &p->clusters[i];
	return NULL;
}

static void
one_plane(const struct ra_ctx *ctx, struct ra_findings *out,
    const char *control, const struct ra_data_plane *dp,
    const struct ra_dp_plane *pl)
{
	const struct ra_project *p;
	const struct ra_cluster *c;
	const struct ra_jurisdiction *j;
	const struct ra_ev *lists[3];
	struct ra_ctl_nodes nodes;
	struct ra_finding *f = NULL;
	struct ra_buf strangers, outside;
	char **atlas = NULL, *atlas_srv = NULL, *seen = NULL, *nstr = NULL;
	char why[256];
	size_t natlas = 0;

	memset(&nodes, 0, sizeof(nodes));
	ra_buf_init(&strangers, 0);
	ra_buf_init(&outside, 0);
	if ((p = ra_dp_project(ctx, dp)) == NULL) {
		f = ra_dp_add(out, control, RA_ERROR, ctx, dp);
		ra_finding_set_detail(f, "project \"%s\" of the plane is not in "
		    "the Atlas evidence", dp->project);
		ra_finding_add_evrefs(f, ctx->model->projects_ev.refs,
		    ctx->model->projects_ev.nrefs);
		goto out;
	}
	lists[0] = &p->clusters_ev;
	lists[1] = &p->flex_ev;
	lists[2] = &p->serverless_ev;
	if ((c = find_cluster(p, dp->cluster)) == NULL) {
		for (int k = 0; k < 3; k++)
			if (!ra_ev_usable(lists[k])) {
				f = ra_dp_error_ev(out, control, ctx, dp,
				    "cluster listing", lists[k]);
				goto out;
			}
		f = ra_dp_add(out, control, RA_FAIL, ctx, dp);
		ra_finding_set_expected(f, "servers of cluster %s",
		    dp->cluster);
		ra_finding_set_detail(f, "cluster \"%s\" does not exist in "
		    "project %s", dp->cluster, p->name ? p->name : "");
		ra_finding_add_evrefs(f, p->clusters_ev.refs,
		    p->clusters_ev.nrefs);
		goto out;
	}
	atlas_srv = parse_cs(c->cs_standard_srv, &atlas, &natlas);
	free(parse_cs(c->cs_standard, &atlas, &natlas));
	if (natlas == 0 && atlas_srv == NULL) {
		f = ra_dp_add(out, control, RA_ERROR, ctx, dp);
		ra_finding_set_detail(f, "cluster %s has no connectionStrings "
		    "in the Atlas evidence", dp->cluster);
		goto out;
	}
	if (pl->srv != NULL && (atlas_srv == NULL ||
	    strcasecmp(pl->srv, atlas_srv) != 0))
		ra_buf_printf(&strangers, "SRV name %s", pl->srv);
	for (size_t i = 0; i < pl->nservers; i++)
		if (!in_strv(atlas, natlas, pl->servers[i])) {
			if (strangers.len > 0)
				ra_buf_adds(&strangers, ", ");
			ra_buf_adds(&strangers, pl->servers[i]);
		}
	if (pl->nservers == 0 && pl->srv == NULL) {
		f = ra_dp_add(out, control, RA_ERROR, ctx, dp);
		ra_finding_set_detail(f, "the probe recorded no server of the "
		    "plane");
		goto out;
	}
	seen = ra_dp_list((const char *const *)pl->servers, pl->nservers,
	    RA_DP_LIST_MAX);
	if (ra_ctl_nodes(&nodes, c, why, sizeof(why)) != 0) {
		f = ra_dp_add(out, control, RA_ERROR, ctx, dp);
		ra_finding_set_detail(f, "cluster %s: %s", dp->cluster, why);
		goto out;
	}
	j = ra_inventory_jurisdiction(ctx->inv, dp->jurisdiction);
	for (size_t i = 0; i < nodes.n; i++)
		if (j == NULL || !ra_ctl_in_list((const char *const *)j->regions,
		    j->nregions, nodes.v[i].cedar)) {
			if (outside.len > 0)
				ra_buf_adds(&outside, ", ");
			ra_buf_adds(&outside, nodes.v[i].cedar);
		}
	nstr = ra_ctl_nodes_str(&nodes, c->kind);
	f = ra_dp_add(out, control, strangers.len > 0 || outside.len > 0 ||
	    nodes.n == 0 ? RA_FAIL : RA_PASS, ctx, dp);
	ra_finding_set_expected(f, "servers of cluster %s (%s), nodes in "
	    "jurisdiction %s", dp->cluster, atlas_srv != NULL && natlas == 0 ?
	    atlas_srv : "its connectionStrings", dp->jurisdiction);
	ra_finding_set_observed(f, "servers: %s%s%s%s; cluster nodes: %s",
	    pl->srv != NULL ? "SRV " : "", pl->srv != NULL ? pl->srv : "",
	    pl->srv != NULL && pl->nservers > 0 ? ", " : "", seen,
	    nstr != NULL ? nstr : "");
	if (strangers.len > 0 && outside.len > 0)
		ra_finding_set_detail(f, "servers not of cluster %s: %s; and "
		    "the cluster has nodes outside %s: %s", dp->cluster,
		    ra_buf_cstr(&strangers), dp->jurisdiction,
		    ra_buf_cstr(&outside));
	else if (strangers.len > 0)
		ra_finding_set_detail(f, "servers not of cluster %s: %s",
		    dp->cluster, ra_buf_cstr(&strangers));
	else if (outside.len > 0)
		ra_finding_set_detail(f, "cluster %s has nodes outside "
		    "jurisdiction %s: %s", dp->cluster, dp->jurisdiction,
		    ra_buf_cstr(&outside));
	else if (nodes.n == 0)
		ra_finding_set_detail(f, "cluster %s has no nodes",
		    dp->cluster);
	else
		ra_finding_set_detail(f, "the plane reaches cluster %s, which "
		    "lies in %s", dp->cluster, dp->jurisdiction);
	ra_finding_add_evrefs(f, c->ev.refs, c->ev.nrefs);
out:
	if (f != NULL)
		ra_finding_add_evrefs(f, pl->hello_ev.refs, pl->hello_ev.nrefs);
	for (size_t i = 0; i < natlas; i++)
		free(atlas[i]);
	free(atlas);
	free(atlas_srv);
	free(seen);
	free(nstr);
	ra_ctl_nodes_free(&nodes);
	ra_buf_free(&strangers);
	ra_buf_free(&outside);
}

void
ra_check_data_plane_endpoint(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_dp_each(ctx, out, CTL, one_plane);
}
