/*
 * ctl_private_endpoint.c: private-endpoint (CONTRACT §5, ADR §0, §3). An
 * AVAILABLE private endpoint service of the cluster's provider exists in
 * a region the cluster occupies; a multi-provider cluster passes with any
 * provider/region pair it occupies. The listing of each provider the
 * cluster uses is needed: when no pair matches and one of those listings
 * is unusable, the answer is ERROR, not FAIL. Flex and serverless
 * clusters cannot use private endpoints and FAIL.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_common.h"

static const char *const pe_provider[RA_PE_NPROVIDERS] = {
	"AWS", "AZURE", "GCP"
};
static const char *const pe_endpoint[RA_PE_NPROVIDERS] = {
	"private-endpoints-aws", "private-endpoints-azure",
	"private-endpoints-gcp"
};

/* RA_PE_* of a Cedar id's provider prefix, or -1. */
static int
pe_index(const char *cedar)
{
	if (strncmp(cedar, "aws:", 4) == 0)
		return RA_PE_AWS;
	if (strncmp(cedar, "azure:", 6) == 0)
		return RA_PE_AZURE;
	if (strncmp(cedar, "gcp:", 4) == 0)
		return RA_PE_GCP;
	return -1;
}

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	const struct ra_project *p = sc->project;
	struct ra_ctl_nodes nodes = { NULL, 0 };
	struct ra_finding *f;
	struct ra_buf obs, errs;
	char why[256], *exp = NULL, *match = NULL;
	int needed[RA_PE_NPROVIDERS] = { 0, 0, 0 };
	int bad_ev = -1, k;
	size_t i, j;

	ra_buf_init(&obs, 0);
	ra_buf_init(&errs, 0);
	if (c->kind != RA_CLUSTER_DEDICATED) {
		f = ra_ctl_cluster_add(out, control, RA_FAIL, sc, c);
		ra_finding_set_expected(f, "an AVAILABLE private endpoint "
		    "service in the cluster's region");
		ra_finding_set_observed(f, "%s cluster",
		    ra_ctl_kind_name(c->kind));
		ra_finding_set_detail(f, "%s clusters cannot use private "
		    "endpoints", ra_ctl_kind_name(c->kind));
		goto out;
	}
	if (ra_ctl_nodes(&nodes, c, why, sizeof(why)) != 0) {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_set_detail(f, "%s", why);
		goto out;
	}
	{
		const char **v = ra_calloc(nodes.n + 1, sizeof(*v));

		for (i = 0; i < nodes.n; i++)
			v[i] = nodes.v[i].cedar;
		exp = ra_ctl_join(v, nodes.n);
		free(v);
	}
	for (i = 0; i < nodes.n && match == NULL; i++) {
		k = pe_index(nodes.v[i].cedar);
		if (k < 0)
			continue;
		needed[k] = 1;
		if (!ra_ev_usable(&p->pe[k].ev)) {
			if (bad_ev < 0)
				bad_ev = k;
			continue;
		}
		for (j = 0; j < p->pe[k].n; j++) {
			const struct ra_pe_service *s = &p->pe[k].v[j];
			const char *cedar;

			cedar = ra_ctl_cedar(pe_provider[k], s->region, why,
			    sizeof(why));
			if (cedar == NULL) {
				if (errs.len == 0)
					ra_buf_printf(&errs, "endpoint service "
					    "%s: %s", s->id ? s->id : "(no id)",
					    why);
				continue;
			}
			if (strcmp(cedar, nodes.v[i].cedar) != 0)
				continue;
			ra_buf_printf(&obs, "%s%s %s (%s)", obs.len ? ", " : "",
			    pe_provider[k], s->id ? s->id : "(no id)", cedar);
			if (s->status != NULL &&
			    strcmp(s->status, "AVAILABLE") == 0) {
				match = ra_asprintf("%s endpoint service %s "
				    "AVAILABLE in %s", pe_provider[k],
				    s->id ? s->id : "(no id)", cedar);
				break;
			}
			ra_buf_printf(&obs, " %s", s->status != NULL ?
			    s->status : "no status");
		}
	}
	if (match == NULL && bad_ev >= 0) {
		f = ra_ctl_cluster_error_ev(out, control, sc, c,
		    pe_endpoint[bad_ev], &p->pe[bad_ev].ev);
		ra_finding_set_expected(f, "an AVAILABLE private endpoint "
		    "service in %s", exp);
		goto out;
	}
	f = ra_ctl_cluster_add(out, control, match != NULL ? RA_PASS :
	    errs.len ? RA_ERROR : RA_FAIL, sc, c);
	for (k = 0; k < RA_PE_NPROVIDERS; k++)
		if (needed[k])
			ra_finding_add_evrefs(f, p->pe[k].ev.refs,
			    p->pe[k].ev.nrefs);
	ra_finding_set_expected(f, "an AVAILABLE private endpoint service in "
	    "%s", exp);
	if (match != NULL)
		ra_finding_set_observed(f, "%s", match);
	else {
		ra_finding_set_observed(f, "%s", obs.len ? ra_buf_cstr(&obs) :
		    "no endpoint service in the cluster's regions");
		ra_finding_set_detail(f, "%s", errs.len ? ra_buf_cstr(&errs) :
		    "no AVAILABLE private endpoint service in a region the "
		    "cluster occupies");
	}
out:
	ra_ctl_nodes_free(&nodes);
	ra_buf_free(&obs);
	ra_buf_free(&errs);
	free(match);
	free(exp);
}

void
ra_check_private_endpoint(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "private-endpoint", one);
}
