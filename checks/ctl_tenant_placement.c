/*
 * ctl_tenant_placement.c: tenant-placement (CONTRACT §5; ADR-020 §1).
 * Per data plane, at "dataplane/<name>": every distinct non-null
 * tenant_id found in the plane's collections (probe:tenant-ids; a
 * collection without any is not tenant data) must be registered in the
 * control plane's tenants (probe:tenants) with region == the plane's
 * jurisdiction key, in every registration of it. FAIL lists tenants
 * registered elsewhere ("id (region)") and tenants not registered at all,
 * ids only, at most RA_DP_LIST_MAX each with counts. ERROR when either
 * piece of evidence is unusable or a collection's id list was truncated.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_dp_common.h"

#define CTL	"tenant-placement"

static void
one_plane(const struct ra_ctx *ctx, struct ra_findings *out,
    const char *control, const struct ra_data_plane *dp,
    const struct ra_dp_plane *pl)
{
	const struct ra_dataplane *d = ctx->dataplane;
	struct ra_finding *f;
	char **all = NULL, **elsewhere = NULL, **unreg = NULL;
	size_t nall = 0, nu = 0, ne = 0, ncolls = 0, k;
	char *le = NULL, *lu = NULL;

	if (!ra_ev_usable(&pl->tenant_ids_ev)) {
		ra_dp_error_ev(out, control, ctx, dp, "tenant ids of the plane",
		    &pl->tenant_ids_ev);
		return;
	}
	if (!ra_ev_usable(&d->tenants_ev)) {
		f = ra_dp_error_ev(out, control, ctx, dp, "control-plane "
		    "tenant registry", &d->tenants_ev);
		ra_finding_add_evrefs(f, pl->tenant_ids_ev.refs,
		    pl->tenant_ids_ev.nrefs);
		return;
	}
	for (size_t i = 0; i < pl->ncolls; i++) {
		if (pl->colls[i].truncated) {
			f = ra_dp_add(out, control, RA_ERROR, ctx, dp);
			ra_finding_set_detail(f, "collection %s holds more "
			    "distinct tenant ids than the probe keeps",
			    pl->colls[i].name);
			ra_finding_add_evrefs(f, pl->tenant_ids_ev.refs,
			    pl->tenant_ids_ev.nrefs);
			goto out;
		}
		if (pl->colls[i].nids > 0)
			ncolls++;
		for (size_t j = 0; j < pl->colls[i].nids; j++) {
			all = ra_realloc(all, (nall + 1) * sizeof(*all));
			all[nall++] = pl->colls[i].ids[j];
		}
	}
	if (nall > 0)
		qsort(all, nall, sizeof(*all), ra_strp_cmp);
	elsewhere = ra_calloc(nall + 1, sizeof(*elsewhere));
	unreg = ra_calloc(nall + 1, sizeof(*unreg));
	k = 0;
	for (size_t i = 0; i < nall; i++) {
		const struct ra_dp_tenant *t;
		size_t n;
		int bad = 0;

		if (i > 0 && strcmp(all[i], all[i - 1]) == 0)
			continue;
		k++;
		n = ra_dataplane_tenant(d, all[i], &t);
		if (n == 0) {
			unreg[nu++] = ra_strdup(all[i]);
			continue;
		}
		for (size_t j = 0; j < n; j++)
			if (t[j].region == NULL ||
			    strcmp(t[j].region, dp->jurisdiction) != 0)
				bad = 1;
		if (bad) {
			struct ra_buf b;

			ra_buf_init(&b, 0);
			ra_buf_printf(&b, "%s (", all[i]);
			for (size_t j = 0; j < n; j++)
				ra_buf_printf(&b, "%s%s", j ? ", " : "",
				    t[j].region ? t[j].region : "no region");
			ra_buf_addc(&b, ')');
			elsewhere[ne++] = ra_buf_steal(&b);
		}
	}
	f = ra_dp_add(out, control, ne + nu > 0 ? RA_FAIL : RA_PASS, ctx, dp);
	ra_finding_set_expected(f, "every tenant holding data registered with "
	    "region %s", dp->jurisdiction);
	ra_finding_set_observed(f, "%zu tenant(s) in %zu collection(s); %zu "
	    "registered elsewhere, %zu not registered", k, ncolls, ne, nu);
	le = ra_dp_list((const char *const *)elsewhere, ne, RA_DP_LIST_MAX);
	lu = ra_dp_list((const char *const *)unreg, nu, RA_DP_LIST_MAX);
	if (ne > 0 && nu > 0)
		ra_finding_set_detail(f, "%zu tenant(s) registered elsewhere: "
		    "%s; %zu tenant(s) not registered: %s", ne, le, nu, lu);
	else if (ne > 0)
		ra_finding_set_detail(f, "%zu tenant(s) registered elsewhere: "
		    "%s", ne, le);
	else if (nu > 0)
		ra_finding_set_detail(f, "%zu tenant(s) not registered: %s",
		    nu, lu);
	else
		ra_finding_set_detail(f, "every tenant in the plane is "
		    "registered in %s", dp->jurisdiction);
	ra_finding_add_evrefs(f, pl->tenant_ids_ev.refs,
	    pl->tenant_ids_ev.nrefs);
	ra_finding_add_evrefs(f, d->tenants_ev.refs, d->tenants_ev.nrefs);
out:
	for (size_t i = 0; i < ne; i++)
		free(elsewhere[i]);
	for (size_t i = 0; i < nu; i++)
		free(unreg[i]);
	free(elsewhere);
	free(unreg);
	free(all);
	free(le);
	free(lu);
}

void
ra_check_tenant_placement(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_dp_each(ctx, out, CTL, one_plane);
}
