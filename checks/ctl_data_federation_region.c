/*
 * ctl_data_federation_region.c: data-federation-region (CONTRACT §5,
 * "beyond" the ADR). Per Data Federation instance (federation/<name>):
 * dataProcessRegion must be set (null FAILs: queries may run in any
 * region) and, resolved from its city name under its provider
 * (ra_region_by_city "data_federation"), allowed. Unknown provider or
 * region: ERROR naming it. None: one SKIPPED at project; an unusable
 * listing: ERROR at project.
 */
#include <stdlib.h>

#include "ctl_project_common.h"

#define CTL	"data-federation-region"

static void
one(const struct ra_scope *sc, const struct ra_federation *fd,
    const char *allowed, struct ra_findings *out)
{
	const struct ra_ev *ev = &sc->project->federations.ev;
	const char *cedar;
	struct ra_finding *f;
	char why[256], *res;

	res = ra_asprintf("federation/%s", fd->name != NULL ? fd->name : "");
	if (!fd->has_dp_region) {
		f = ra_ctl_add(out, CTL, RA_FAIL, sc, res);
		ra_finding_set_observed(f, "dataProcessRegion null");
		ra_finding_set_detail(f, "dataProcessRegion is null: queries "
		    "may run in any region");
	} else if ((cedar = ra_ctl_city_cedar("data_federation",
	    fd->dp.provider, fd->dp.region, why, sizeof(why))) == NULL) {
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, res);
		ra_finding_set_detail(f, "dataProcessRegion: %s", why);
	} else {
		int ok = ra_ctl_allowed(sc, cedar);

		f = ra_ctl_add(out, CTL, ok ? RA_PASS : RA_FAIL, sc, res);
		ra_finding_set_observed(f, "%s", cedar);
		ra_finding_set_detail(f, "queries are processed in %s (%s %s)%s",
		    cedar, fd->dp.provider, fd->dp.region, ok ? "" :
		    ", outside the allowed regions");
	}
	ra_finding_set_expected(f, "%s", allowed);
	ra_finding_add_evrefs(f, ev->refs, ev->nrefs);
	free(res);
}

void
ra_check_data_federation_region(const struct ra_ctx *ctx,
    struct ra_findings *out)
{
	for (size_t i = 0; i < ctx->nscopes; i++) {
		const struct ra_scope *sc = &ctx->scopes[i];
		const struct ra_federations *fs = &sc->project->federations;
		struct ra_finding *f;
		char *allowed;

		if (!ra_ev_usable(&fs->ev)) {
			ra_ctl_error_ev(out, CTL, sc, "project",
			    ra_ctl_ep_title("data-federation"), &fs->ev);
			continue;
		}
		if (fs->n == 0) {
			f = ra_ctl_add(out, CTL, RA_SKIPPED, sc, "project");
			ra_finding_set_detail(f, "no Data Federation instances");
			ra_finding_add_evrefs(f, fs->ev.refs, fs->ev.nrefs);
			continue;
		}
		allowed = ra_ctl_allowed_str(sc);
		for (size_t j = 0; j < fs->n; j++)
			one(sc, &fs->v[j], allowed, out);
		free(allowed);
	}
}
