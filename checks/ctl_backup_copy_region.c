/*
 * ctl_backup_copy_region.c: backup-copy-region (CONTRACT §5, ADR §6).
 * Every copySettings target of the backup schedule (cloudProvider +
 * regionName) is an allowed region; a schedule without copies passes.
 * SKIPPED when cloud backup is off (there is no schedule) and for flex
 * and serverless clusters (they have no copy settings).
 */
#include <stdlib.h>

#include "buf.h"
#include "ctl_common.h"

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	const struct ra_backup_schedule *s = &c->schedule;
	struct ra_finding *f;
	struct ra_buf obs, bad;
	char why[256], *exp = ra_ctl_allowed_str(sc);
	size_t i;

	ra_buf_init(&obs, 0);
	ra_buf_init(&bad, 0);
	if (ra_ctl_backup_gate(out, control, sc, c, "no backup copy settings",
	    "no copy settings"))
		goto out;
	if (!ra_ev_usable(&s->ev)) {
		ra_ctl_cluster_error_ev(out, control, sc, c, "backup-schedule",
		    &s->ev);
		goto out;
	}
	for (i = 0; i < s->ncopies; i++) {
		const char *cedar = ra_ctl_cedar(s->copies[i].cloud_provider,
		    s->copies[i].region, why, sizeof(why));

		if (cedar == NULL) {
			f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
			ra_finding_add_evrefs(f, s->ev.refs, s->ev.nrefs);
			ra_finding_set_expected(f, "%s", exp);
			ra_finding_set_detail(f, "copySettings[%zu]: %s", i, why);
			goto out;
		}
		ra_buf_printf(&obs, "%s%s", obs.len ? ", " : "", cedar);
		if (!ra_ctl_allowed(sc, cedar))
			ra_buf_printf(&bad, "%s%s", bad.len ? ", " : "", cedar);
	}
	f = ra_ctl_cluster_add(out, control, bad.len ? RA_FAIL : RA_PASS, sc,
	    c);
	ra_finding_add_evrefs(f, s->ev.refs, s->ev.nrefs);
	ra_finding_set_expected(f, "%s", exp);
	ra_finding_set_observed(f, "%s", s->ncopies ? ra_buf_cstr(&obs) :
	    "no copy settings");
	if (bad.len)
		ra_finding_set_detail(f, "backup copies to a region outside "
		    "the allowed regions: %s", ra_buf_cstr(&bad));
out:
	ra_buf_free(&obs);
	ra_buf_free(&bad);
	free(exp);
}

void
ra_check_backup_copy_region(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "backup-copy-region", one);
}
