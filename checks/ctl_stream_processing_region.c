/*
 * ctl_stream_processing_region.c: stream-processing-region (CONTRACT §5,
 * "beyond" the ADR). Per Stream Processing workspace (stream/<name>):
 * dataProcessRegion and every failover region, resolved under their
 * providers (ra_region_by_city "streams": city names, Azure native
 * names, GCP upper-case forms), must be allowed. A null
 * dataProcessRegion or a known region outside the allowed set FAILs; else
 * any unknown provider or region ERRORs naming it. None: one SKIPPED at
 * project; an unusable listing: ERROR at project.
 */
#include <stdlib.h>

#include "buf.h"
#include "ctl_project_common.h"

#define CTL	"stream-processing-region"

/* Resolves one region into obs/bad/unknown. */
static void
region(const struct ra_scope *sc, const struct ra_region_ref *rr,
    const char *what, struct ra_buf *obs, struct ra_buf *bad,
    struct ra_buf *unk)
{
	const char *cedar;
	char why[256];

	cedar = ra_ctl_city_cedar("streams", rr->provider, rr->region, why,
	    sizeof(why));
	if (cedar == NULL) {
		ra_buf_printf(unk, "%s%s: %s", unk->len ? "; " : "", what, why);
		ra_buf_printf(obs, "%s%s ?", obs->len ? ", " : "", what);
		return;
	}
	ra_buf_printf(obs, "%s%s %s", obs->len ? ", " : "", what, cedar);
	if (!ra_ctl_allowed(sc, cedar))
		ra_buf_printf(bad, "%s%s %s", bad->len ? ", " : "", what,
		    cedar);
}

static void
one(const struct ra_scope *sc, const struct ra_stream *s, const char *allowed,
    struct ra_findings *out)
{
	const struct ra_ev *ev = &sc->project->streams.ev;
	struct ra_buf obs, bad, unk;
	struct ra_finding *f;
	char *res;

	ra_buf_init(&obs, 0);
	ra_buf_init(&bad, 0);
	ra_buf_init(&unk, 0);
	res = ra_asprintf("stream/%s", s->name != NULL ? s->name : "");
	if (s->has_dp_region)
		region(sc, &s->dp, "processing", &obs, &bad, &unk);
	else
		ra_buf_adds(&obs, "processing null");
	for (size_t i = 0; i < s->nfailover; i++)
		region(sc, &s->failover[i], "failover", &obs, &bad, &unk);
	if (!s->has_dp_region) {
		f = ra_ctl_add(out, CTL, RA_FAIL, sc, res);
		ra_finding_set_detail(f, "dataProcessRegion is null: the "
		    "workspace may process data in any region%s%s",
		    bad.len ? "; outside the allowed regions: " : "",
		    ra_buf_cstr(&bad));
	} else if (bad.len > 0) {
		f = ra_ctl_add(out, CTL, RA_FAIL, sc, res);
		ra_finding_set_detail(f, "outside the allowed regions: %s",
		    ra_buf_cstr(&bad));
	} else if (unk.len > 0) {
		f = ra_ctl_add(out, CTL, RA_ERROR, sc, res);
		ra_finding_set_detail(f, "%s", ra_buf_cstr(&unk));
	} else {
		f = ra_ctl_add(out, CTL, RA_PASS, sc, res);
		ra_finding_set_detail(f, "processing and %zu failover "
		    "region(s) allowed", s->nfailover);
	}
	ra_finding_set_observed(f, "%s", ra_buf_cstr(&obs));
	ra_finding_set_expected(f, "%s", allowed);
	ra_finding_add_evrefs(f, ev->refs, ev->nrefs);
	free(res);
	ra_buf_free(&obs);
	ra_buf_free(&bad);
	ra_buf_free(&unk);
}

void
ra_check_stream_processing_region(const struct ra_ctx *ctx,
    struct ra_findings *out)
{
	for (size_t i = 0; i < ctx->nscopes; i++) {
		const struct ra_scope *sc = &ctx->scopes[i];
		const struct ra_streams *ss = &sc->project->streams;
		struct ra_finding *f;
		char *allowed;

		if (!ra_ev_usable(&ss->ev)) {
			ra_ctl_error_ev(out, CTL, sc, "project",
			    ra_ctl_ep_title("streams"), &ss->ev);
			continue;
		}
		if (ss->n == 0) {
			f = ra_ctl_add(out, CTL, RA_SKIPPED, sc, "project");
			ra_finding_set_detail(f, "no Stream Processing "
			    "workspaces");
			ra_finding_add_evrefs(f, ss->ev.refs, ss->ev.nrefs);
			continue;
		}
		allowed = ra_ctl_allowed_str(sc);
		for (size_t j = 0; j < ss->n; j++)
			one(sc, &ss->v[j], allowed, out);
		free(allowed);
	}
}
