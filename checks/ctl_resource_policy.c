/*
 * ctl_resource_policy.c: resource-policy (CONTRACT §5 and its Cedar
 * paragraph; ADR §6). Per scope: do the org's resource policies (every
 * body of every policy) forbid creating or modifying a cluster of this
 * project with any region outside the project's jurisdiction? The
 * question is asked of the jurisdiction's regions, not of the project's
 * own pin (that is cluster-region's job).
 *   PROVEN      PASS; observed names the proving policies, detail notes
 *               bodies that did not parse (forbid-only: harmless)
 *   NOT_PROVEN  FAIL; observed "allowed: <witness>"
 *   UNKNOWN     ERROR naming the unparsed bodies and the witness
 */
#include <stdlib.h>
#include <string.h>

#include "cedar.h"
#include "ctl_project_common.h"

#define CTL	"resource-policy"

static void
one_scope(const struct ra_scope *sc, const struct ra_cedar_policy_src *src,
    size_t nsrc, const struct ra_ev *ev, struct ra_findings *out)
{
	struct ra_cedar_result res;
	struct ra_finding *f;
	char *jregions = NULL, *w = NULL, *names = NULL, *unp = NULL;

	memset(&res, 0, sizeof(res));
	jregions = ra_ctl_join(sc->jurisdiction_regions,
	    sc->njurisdiction_regions);
	if (ra_cedar_check_residency(src, nsrc, sc->project->id,
	    sc->jurisdiction_regions, sc->njurisdiction_regions, &res) != 0) {
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, "project");
		ra_finding_set_detail(f, "Cedar evaluation failed (out of "
		    "memory)");
		goto done;
	}
	w = ra_ctlp_witness(res.witness);
	names = ra_ctl_join((const char *const *)res.proving,
	    res.nproving);
	unp = ra_ctl_join_sep((const char *const *)res.unparsed,
	    res.nunparsed, "; ");
	switch (res.verdict) {
	case RA_CEDAR_PROVEN:
		f = ra_ctl_add(out, CTL, RA_PASS, sc, "project");
		ra_finding_set_observed(f, "forbidden by: %s", names);
		if (res.nunparsed > 0)
			ra_finding_set_detail(f, "proven by the policies that "
			    "parsed; %zu body(ies) did not parse and, being "
			    "forbid-only, can only add restrictions: %s",
			    res.nunparsed, unp);
		else
			ra_finding_set_detail(f, "every cluster change with a "
			    "region outside jurisdiction %s is forbidden",
			    sc->jurisdiction);
		break;
	case RA_CEDAR_NOT_PROVEN:
		f = ra_ctl_add(out, CTL, RA_FAIL, sc, "project");
		ra_finding_set_observed(f, "allowed: %s", w);
		ra_finding_set_detail(f, "the resource policies allow a cluster "
		    "of this project in %s, outside jurisdiction %s", w,
		    sc->jurisdiction);
		break;
	default:
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, "project");
		ra_finding_set_observed(f, "allowed: %s", w);
		ra_finding_set_detail(f, "not proven by the policies that "
		    "parsed (they allow %s), and %zu body(ies) did not parse: "
		    "%s", w, res.nunparsed, unp);
		break;
	}
done:
	ra_finding_set_expected(f, "clusters outside %s forbidden", jregions);
	ra_finding_add_evrefs(f, ev->refs, ev->nrefs);
	ra_cedar_result_free(&res);
	free(jregions);
	free(w);
	free(names);
	free(unp);
}

void
ra_check_resource_policy(const struct ra_ctx *ctx, struct ra_findings *out)
{
	const struct ra_model *m = ctx->model;
	struct ra_cedar_policy_src *src = NULL;
	size_t nsrc = 0, cap = 0;

	for (size_t i = 0; i < ctx->nscopes; i++)
		if (!ra_ev_usable(&m->policies_ev))
			ra_ctl_error_ev(out, CTL, &ctx->scopes[i], "project",
			    ra_ctl_ep_title("resource-policies"),
			    &m->policies_ev);
	if (!ra_ev_usable(&m->policies_ev))
		goto out;
	for (size_t i = 0; i < m->npolicies; i++)
		cap += m->policies[i].npolicies;
	src = ra_calloc(cap + 1, sizeof(*src));
	for (size_t i = 0; i < m->npolicies; i++) {
		const struct ra_resource_policy *rp = &m->policies[i];

		for (size_t j = 0; j < rp->npolicies; j++) {
			src[nsrc].policy_name = rp->name;
			src[nsrc].policy_id = rp->policies[j].id;
			src[nsrc].body = rp->policies[j].body != NULL ?
			    rp->policies[j].body : "";
			nsrc++;
		}
	}
	for (size_t i = 0; i < ctx->nscopes; i++)
		one_scope(&ctx->scopes[i], src, nsrc, &m->policies_ev, out);
out:
	free(src);
}
