/*
 * ctl_dp_common.h: what the three data-plane controls share
 * (data-plane-endpoint, tenant-placement, connector-key-region; CONTRACT
 * §5). Their evidence is ctx->dataplane (audit/dataplane.h).
 */
#ifndef RA_CTL_DP_COMMON_H
#define RA_CTL_DP_COMMON_H

#include "checks.h"
#include "controls.h"
#include "dataplane.h"

#define RA_DP_LIST_MAX	20	/* ids listed in a finding; the rest counted */

/* The project of the model that plane dp names (by name, then by id), or
 * NULL: none, or no model. */
const struct ra_project *ra_dp_project(const struct ra_ctx *ctx,
	    const struct ra_data_plane *dp);

/*
 * A finding on plane dp: resource "dataplane/<name>", the plane's
 * jurisdiction, and the project the plane names (looked up in the model
 * by name, then by id; when absent, the name as given and a null id).
 */
struct ra_finding *ra_dp_add(struct ra_findings *out, const char *control,
	    enum ra_status status, const struct ra_ctx *ctx,
	    const struct ra_data_plane *dp);

/* ERROR on plane dp naming the unusable evidence: "<what>: <reason>". */
struct ra_finding *ra_dp_error_ev(struct ra_findings *out,
	    const char *control, const struct ra_ctx *ctx,
	    const struct ra_data_plane *dp, const char *what,
	    const struct ra_ev *ev);

/*
 * Drives a data-plane control: without dataPlanes one SKIPPED at "org"
 * ("inventory has no dataPlanes section"); otherwise per plane, ERROR
 * when the plane was not probed or its hello failed (unreachable,
 * refused, variable unset), else fn.
 */
typedef void (*ra_dp_fn)(const struct ra_ctx *ctx, struct ra_findings *out,
	    const char *control, const struct ra_data_plane *dp,
	    const struct ra_dp_plane *p);
void	ra_dp_each(const struct ra_ctx *ctx, struct ra_findings *out,
	    const char *control, ra_dp_fn fn);

#endif
