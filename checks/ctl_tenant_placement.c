/*
 * ctl_tenant_placement.c: tenant-placement (CONTRACT §5; ADR-020 §1, §4).
 * First version: without dataPlanes one SKIPPED at "org"; otherwise one
 * ERROR per plane until the probe's evidence is read.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_common.h"

#define CTL	"tenant-placement"

void
ra_check_tenant_placement(const struct ra_ctx *ctx, struct ra_findings *out)
{
	const struct ra_inventory *inv = ctx->inv;
	struct ra_finding *f;

	if (inv == NULL || inv->ndata_planes == 0) {
		f = ra_ctl_add(out, CTL, RA_SKIPPED, NULL, "org");
		ra_finding_set_detail(f, "inventory has no dataPlanes section");
		return;
	}
	for (size_t i = 0; i < inv->ndata_planes; i++) {
		const struct ra_data_plane *dp = &inv->data_planes[i];
		const struct ra_project *p = NULL;
		char *res;

		if (ctx->model != NULL && dp->project != NULL) {
			p = ra_model_project_by_name(ctx->model, dp->project);
			if (p == NULL)
				p = ra_model_project_by_id(ctx->model,
				    dp->project);
		}
		res = ra_asprintf("dataplane/%s", dp->name);
		f = ra_finding_add(out, CTL, RA_ERROR,
		    p != NULL ? p->id : NULL, p != NULL ? p->name : NULL,
		    dp->jurisdiction, res);
		ra_finding_set_detail(f, "no probe evidence in raw/");
		free(res);
	}
}
