/* ctl_dp_common.c: see ctl_dp_common.h. */
#include <stdlib.h>
#include <string.h>

#include "ctl_dp_common.h"
#include "probe.h"

const struct ra_project *
ra_dp_project(const struct ra_ctx *ctx, const struct ra_data_plane *dp)
{
	const struct ra_project *p;

	p = ra_model_project_by_name(ctx->model, dp->project);
	if (p == NULL)
		p = ra_model_project_by_id(ctx->model, dp->project);
	return p;
}

struct ra_finding *
ra_dp_add(struct ra_findings *out, const char *control, enum ra_status status,
    const struct ra_ctx *ctx, const struct ra_data_plane *dp)
{
	const struct ra_project *p = ra_dp_project(ctx, dp);
	struct ra_finding *f;
	char *res;

	res = ra_asprintf("dataplane/%s", dp->name);
	f = ra_finding_add(out, control, status, p != NULL ? p->id : NULL,
	    p != NULL ? p->name : dp->project, dp->jurisdiction, res);
	free(res);
	return f;
}

struct ra_finding *
ra_dp_error_ev(struct ra_findings *out, const char *control,
    const struct ra_ctx *ctx, const struct ra_data_plane *dp,
    const char *what, const struct ra_ev *ev)
{
	struct ra_finding *f = ra_dp_add(out, control, RA_ERROR, ctx, dp);

	ra_finding_set_detail(f, "%s: %s", what, ra_ev_reason(ev));
	ra_finding_add_evrefs(f, ev->refs, ev->nrefs);
	return f;
}

void
ra_dp_each(const struct ra_ctx *ctx, struct ra_findings *out,
    const char *control, ra_dp_fn fn)
{
	const struct ra_inventory *inv = ctx->inv;
	const struct ra_dataplane *d = ctx->dataplane;
	struct ra_finding *f;

	if (inv == NULL || inv->ndata_planes == 0) {
		f = ra_finding_add(out, control, RA_SKIPPED, NULL, NULL, NULL,
		    "org");
		ra_finding_set_detail(f, "inventory has no dataPlanes section");
		return;
	}
	for (size_t i = 0; i < inv->ndata_planes; i++) {
		const struct ra_data_plane *dp = &inv->data_planes[i];
		const struct ra_dp_plane *p = ra_dataplane_plane(d, dp);

		if (p == NULL) {
			f = ra_dp_add(out, control, RA_ERROR, ctx, dp);
			ra_finding_set_detail(f, "no probe evidence in raw/");
			continue;
		}
		if (!ra_ev_usable(&p->hello_ev)) {
			ra_dp_error_ev(out, control, ctx, dp, "data plane "
			    "unreachable (" RA_PROBE_HELLO ")", &p->hello_ev);
			continue;
		}
		fn(ctx, out, control, dp, p);
	}
}
