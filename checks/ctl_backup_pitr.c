/*
 * ctl_backup_pitr.c: backup-pitr (CONTRACT §5, ADR §0, §3). Cloud backup
 * and continuous backup (PITR) are both on. A flag the listing did not
 * state is ERROR, never assumed; flex and serverless clusters lack PITR
 * and FAIL.
 */
#include "ctl_common.h"

static const char *
onoff(int v)
{
	return v == RA_TRI_UNKNOWN ? "unknown" : (v ? "on" : "off");
}

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	struct ra_finding *f;
	enum ra_status st;

	if (c->kind != RA_CLUSTER_DEDICATED) {
		f = ra_ctl_cluster_add(out, control, RA_FAIL, sc, c);
		ra_finding_set_expected(f, "cloud backup on, PITR on");
		ra_finding_set_observed(f, "%s cluster", ra_ctl_kind_name(c->kind));
		ra_finding_set_detail(f, "%s clusters lack continuous backup "
		    "(PITR)", ra_ctl_kind_name(c->kind));
		return;
	}
	if (c->backup_enabled == RA_TRI_UNKNOWN ||
	    c->pit_enabled == RA_TRI_UNKNOWN)
		st = RA_ERROR;
	else if (c->backup_enabled && c->pit_enabled)
		st = RA_PASS;
	else
		st = RA_FAIL;
	f = ra_ctl_cluster_add(out, control, st, sc, c);
	ra_finding_set_expected(f, "cloud backup on, PITR on");
	ra_finding_set_observed(f, "cloud backup %s, PITR %s",
	    onoff(c->backup_enabled), onoff(c->pit_enabled));
	if (st == RA_ERROR)
		ra_finding_set_detail(f, "%s not stated in the cluster "
		    "description", c->backup_enabled == RA_TRI_UNKNOWN ?
		    "backupEnabled" : "pitEnabled");
	else if (st == RA_FAIL)
		ra_finding_set_detail(f, "%s is off",
		    !c->backup_enabled ? "cloud backup" : "continuous backup "
		    "(PITR)");
}

void
ra_check_backup_pitr(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "backup-pitr", one);
}
