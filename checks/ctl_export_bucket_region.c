/*
 * ctl_export_bucket_region.c: export-bucket-region (CONTRACT §5; ADR §6).
 * Per snapshot export bucket of the project: an AWS bucket's `region`
 * (a native code, us-east-1) resolved through the catalogue must be
 * allowed. Azure and GCP buckets carry no region: FAIL, their region
 * cannot be established. An AWS bucket without a region, an unknown
 * region or provider: ERROR naming the value. No buckets: one SKIPPED at
 * project; an unusable listing: ERROR at project.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_project_common.h"

#define CTL	"export-bucket-region"

static void
one_bucket(const struct ra_scope *sc, const struct ra_export_bucket *bk,
    const char *allowed, struct ra_findings *out)
{
	const struct ra_ev *ev = &sc->project->export_buckets_ev;
	const char *prov = ra_ctl_provider(bk->cloud_provider);
	const char *name = bk->bucket_name != NULL ? bk->bucket_name :
	    "(unnamed)";
	const struct ra_region *r;
	struct ra_finding *f;
	char *res = ra_asprintf("bucket/%s", bk->id != NULL ? bk->id : "");

	if (prov == NULL) {
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, res);
		ra_finding_set_detail(f, "bucket %s: unknown cloudProvider "
		    "\"%s\"", name, bk->cloud_provider != NULL ?
		    bk->cloud_provider : "(none)");
	} else if (strcmp(prov, "aws") != 0) {
		f = ra_ctl_add(out, CTL, RA_FAIL, sc, res);
		ra_finding_set_observed(f, "%s bucket %s, region unknown",
		    bk->cloud_provider, name);
		ra_finding_set_detail(f, "region cannot be established: Atlas "
		    "reports no region for %s export buckets",
		    bk->cloud_provider);
	} else if (bk->region == NULL) {
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, res);
		ra_finding_set_detail(f, "AWS bucket %s has no region in the "
		    "response", name);
	} else if ((r = ra_region_by_native("aws", bk->region)) == NULL ||
	    r->cedar == NULL) {
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, res);
		ra_finding_set_detail(f, "bucket %s: unknown region \"%s\" of "
		    "provider \"AWS\"", name, bk->region);
	} else {
		int ok = ra_ctl_allowed(sc, r->cedar);

		f = ra_ctl_add(out, CTL, ok ? RA_PASS : RA_FAIL, sc, res);
		ra_finding_set_observed(f, "%s", r->cedar);
		ra_finding_set_detail(f, "bucket %s is in %s%s", name, r->cedar,
		    ok ? "" : ", outside the allowed regions");
	}
	ra_finding_set_expected(f, "%s", allowed);
	ra_finding_add_evrefs(f, ev->refs, ev->nrefs);
	free(res);
}

void
ra_check_export_bucket_region(const struct ra_ctx *ctx,
    struct ra_findings *out)
{
	for (size_t i = 0; i < ctx->nscopes; i++) {
		const struct ra_scope *sc = &ctx->scopes[i];
		const struct ra_project *p = sc->project;
		struct ra_finding *f;
		char *allowed;

		if (!ra_ev_usable(&p->export_buckets_ev)) {
			ra_ctl_error_ev(out, CTL, sc, "project",
			    ra_ctl_ep_title("export-buckets"),
			    &p->export_buckets_ev);
			continue;
		}
		if (p->nexport_buckets == 0) {
			f = ra_ctl_add(out, CTL, RA_SKIPPED, sc, "project");
			ra_finding_set_detail(f, "no snapshot export buckets");
			ra_finding_add_evrefs(f, p->export_buckets_ev.refs,
			    p->export_buckets_ev.nrefs);
			continue;
		}
		allowed = ra_ctl_allowed_str(sc);
		for (size_t j = 0; j < p->nexport_buckets; j++)
			one_bucket(sc, &p->export_buckets[j], allowed, out);
		free(allowed);
	}
}
