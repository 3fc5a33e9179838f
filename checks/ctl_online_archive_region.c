/*
 * ctl_online_archive_region.c: online-archive-region (CONTRACT §5,
 * "beyond" the ADR). Per online archive of the project's dedicated
 * clusters: dataProcessRegion (cloudProvider + Atlas enum) must be an
 * allowed region -> PASS/FAIL at archive/<id>; unknown provider or region
 * -> ERROR naming it. A cluster whose archive listing is unusable ->
 * ERROR at cluster/<name> (never a PASS for it); an unusable dedicated
 * cluster listing -> ERROR at project; no archive anywhere and nothing
 * unusable -> one SKIPPED at project.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_project_common.h"

#define CTL	"online-archive-region"

static void
one_archive(const struct ra_scope *sc, const struct ra_cluster *c,
    const struct ra_online_archive *a, const char *allowed,
    struct ra_findings *out)
{
	const char *cedar;
	struct ra_finding *f;
	char why[256], *res;

	if (a->id != NULL)
		res = ra_asprintf("archive/%s", a->id);
	else
		res = ra_asprintf("archive/%s.%s", a->db_name ? a->db_name : "",
		    a->coll_name ? a->coll_name : "");
	cedar = ra_ctl_cedar(a->dp_provider, a->dp_region, why, sizeof(why));
	if (cedar == NULL) {
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, res);
		ra_finding_set_detail(f, "cluster %s, archive of %s.%s: "
		    "dataProcessRegion: %s", c->name ? c->name : "",
		    a->db_name ? a->db_name : "", a->coll_name ? a->coll_name :
		    "", why);
	} else {
		int ok = ra_ctl_allowed(sc, cedar);

		f = ra_ctl_add(out, CTL, ok ? RA_PASS : RA_FAIL, sc, res);
		ra_finding_set_observed(f, "%s", cedar);
		ra_finding_set_detail(f, "cluster %s, archive of %s.%s "
		    "processes data in %s%s", c->name ? c->name : "",
		    a->db_name ? a->db_name : "", a->coll_name ? a->coll_name :
		    "", cedar, ok ? "" : ", outside the allowed regions");
	}
	ra_finding_set_expected(f, "%s", allowed);
	ra_finding_add_evrefs(f, c->archives.ev.refs, c->archives.ev.nrefs);
	free(res);
}

static void
one_scope(const struct ra_scope *sc, struct ra_findings *out)
{
	const struct ra_project *p = sc->project;
	struct ra_finding *f;
	char *allowed = NULL;
	size_t narchives = 0, nerr = 0;

	if (!ra_ev_usable(&p->clusters_ev)) {
		ra_ctl_error_ev(out, CTL, sc, "project",
		    ra_ctl_ep_title("clusters"), &p->clusters_ev);
		goto out;
	}
	allowed = ra_ctl_allowed_str(sc);
	for (size_t i = 0; i < p->nclusters; i++) {
		const struct ra_cluster *c = &p->clusters[i];
		char *res;

		if (c->kind != RA_CLUSTER_DEDICATED)
			continue;
		if (!ra_ev_usable(&c->archives.ev)) {
			res = ra_ctl_cluster_resource(c);
			ra_ctl_error_ev(out, CTL, sc, res, ra_ctl_ep_title(
			    "online-archives"), &c->archives.ev);
			free(res);
			nerr++;
			continue;
		}
		for (size_t j = 0; j < c->archives.n; j++) {
			one_archive(sc, c, &c->archives.v[j], allowed, out);
			narchives++;
		}
	}
	if (narchives == 0 && nerr == 0) {
		f = ra_ctl_add(out, CTL, RA_SKIPPED, sc, "project");
		ra_finding_set_detail(f, "no online archives");
		ra_finding_add_evrefs(f, p->clusters_ev.refs,
		    p->clusters_ev.nrefs);
		for (size_t i = 0; i < p->nclusters; i++)
			ra_finding_add_evrefs(f, p->clusters[i].archives.ev.refs,
			    p->clusters[i].archives.ev.nrefs);
	}
out:
	free(allowed);
}

void
ra_check_online_archive_region(const struct ra_ctx *ctx,
    struct ra_findings *out)
{
	for (size_t i = 0; i < ctx->nscopes; i++)
		one_scope(&ctx->scopes[i], out);
}
