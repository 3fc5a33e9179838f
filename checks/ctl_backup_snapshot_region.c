/*
 * ctl_backup_snapshot_region.c: backup-snapshot-region (CONTRACT §5,
 * ADR §6). No snapshot lists a copy region outside the allowed set (each
 * region read under the snapshot's cloudProvider), and when the backup
 * schedule exports snapshots automatically (autoExportEnabled), the
 * export bucket named by export.exportBucketId is one of the project's
 * export buckets and lies in an allowed region. Only AWS buckets state a
 * region (native code); an Azure or GCP bucket's region cannot be
 * established and FAILs. SKIPPED without cloud backup.
 *
 * A definite violation (FAIL) outranks a value that could not be
 * understood (ERROR); both are named in the detail.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "ctl_common.h"

struct acc {
	struct ra_buf	 fails;
	struct ra_buf	 errors;
	struct ra_buf	 obs;
};

static void
note(struct ra_buf *b, const char *s)
{
	ra_buf_printf(b, "%s%s", b->len ? "; " : "", s);
}

/* The export bucket check; adds to a. */
static void
export_check(struct acc *a, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	const struct ra_project *p = sc->project;
	const struct ra_export_bucket *b = NULL;
	const struct ra_region *r;
	char *msg = NULL;
	const char *id = c->schedule.export_bucket_id;
	size_t i;

	if (id == NULL) {
		note(&a->fails, "auto-export is on but names no export bucket");
		ra_buf_printf(&a->obs, "; auto-export on (no bucket)");
		goto out;
	}
	for (i = 0; i < p->nexport_buckets; i++)
		if (p->export_buckets[i].id != NULL &&
		    strcmp(p->export_buckets[i].id, id) == 0)
			b = &p->export_buckets[i];
	if (b == NULL) {
		msg = ra_asprintf("auto-export bucket %s is not among the "
		    "project's export buckets", id);
		note(&a->fails, msg);
		ra_buf_printf(&a->obs, "; auto-export to bucket %s (unknown)",
		    id);
		goto out;
	}
	if (ra_ctl_provider(b->cloud_provider) == NULL) {
		msg = ra_asprintf("export bucket %s: unknown provider \"%s\"",
		    id, b->cloud_provider ? b->cloud_provider : "(none)");
		note(&a->errors, msg);
		ra_buf_printf(&a->obs, "; auto-export to bucket %s", id);
		goto out;
	}
	if (strcasecmp(b->cloud_provider, "AWS") != 0 || b->region == NULL) {
		msg = ra_asprintf("export bucket %s (%s): its region cannot be "
		    "established", id, b->cloud_provider);
		note(&a->fails, msg);
		ra_buf_printf(&a->obs, "; auto-export to bucket %s (%s, region "
		    "unknown)", id, b->cloud_provider);
		goto out;
	}
	r = ra_region_by_native("aws", b->region);
	if (r == NULL || r->cedar == NULL) {
		msg = ra_asprintf("export bucket %s: unknown region \"%s\" of "
		    "provider \"AWS\"", id, b->region);
		note(&a->errors, msg);
		ra_buf_printf(&a->obs, "; auto-export to bucket %s", id);
		goto out;
	}
	ra_buf_printf(&a->obs, "; auto-export to bucket %s (%s)", id,
	    r->cedar);
	if (!ra_ctl_allowed(sc, r->cedar)) {
		msg = ra_asprintf("auto-export bucket %s is in %s, outside the "
		    "allowed regions", id, r->cedar);
		note(&a->fails, msg);
	}
out:
	free(msg);
}

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	const struct ra_snapshots *snaps = &c->snapshots;
	const struct ra_backup_schedule *s = &c->schedule;
	const struct ra_project *p = sc->project;
	const char *snap_ep;
	struct ra_finding *f;
	struct acc a;
	struct ra_buf copies;
	char why[256], *exp = ra_ctl_allowed_str(sc), *msg = NULL;
	enum ra_status st;
	size_t i, j;
	const char **seen = NULL;
	size_t nseen = 0;
	int used_buckets = 0;

	ra_buf_init(&a.fails, 0);
	ra_buf_init(&a.errors, 0);
	ra_buf_init(&a.obs, 0);
	ra_buf_init(&copies, 0);
	snap_ep = c->cluster_type != NULL &&
	    strcmp(c->cluster_type, "REPLICASET") != 0 ?
	    "backup-snapshots-sharded" : "backup-snapshots";
	if (ra_ctl_backup_gate(out, control, sc, c, "no snapshot copy regions "
	    "or auto-export", "no snapshots"))
		goto out;
	if (!ra_ev_usable(&snaps->ev)) {
		ra_ctl_cluster_error_ev(out, control, sc, c, snap_ep,
		    &snaps->ev);
		goto out;
	}
	if (!ra_ev_usable(&s->ev)) {
		ra_ctl_cluster_error_ev(out, control, sc, c, "backup-schedule",
		    &s->ev);
		goto out;
	}
	for (i = 0; i < snaps->n; i++) {
		const struct ra_snapshot *sn = &snaps->v[i];

		for (j = 0; j < sn->ncopy_regions; j++) {
			const char *cedar = ra_ctl_cedar(sn->cloud_provider,
			    sn->copy_regions[j], why, sizeof(why));

			free(msg);
			msg = NULL;
			if (cedar == NULL) {
				msg = ra_asprintf("snapshot %s: %s",
				    sn->id ? sn->id : "(no id)", why);
				note(&a.errors, msg);
				continue;
			}
			if (!ra_ctl_allowed(sc, cedar)) {
				msg = ra_asprintf("snapshot %s is copied to "
				    "%s, outside the allowed regions",
				    sn->id ? sn->id : "(no id)", cedar);
				note(&a.fails, msg);
			}
			seen = ra_realloc(seen, (nseen + 1) * sizeof(*seen));
			seen[nseen++] = cedar;
		}
	}
	if (nseen > 0)
		qsort(seen, nseen, sizeof(*seen), ra_strp_cmp);
	for (i = 0; i < nseen; i++)
		if (i == 0 || strcmp(seen[i - 1], seen[i]) != 0)
			ra_buf_printf(&copies, "%s%s", copies.len ? ", " : "",
			    seen[i]);
	ra_buf_printf(&a.obs, "%zu snapshot%s, copy regions: %s", snaps->n,
	    snaps->n == 1 ? "" : "s", copies.len ? ra_buf_cstr(&copies) :
	    "none");
	if (s->auto_export == RA_TRI_UNKNOWN)
		note(&a.errors, "autoExportEnabled not stated in the backup "
		    "schedule");
	else if (s->auto_export) {
		if (!ra_ev_usable(&p->export_buckets_ev)) {
			f = ra_ctl_cluster_error_ev(out, control, sc, c,
			    "export-buckets", &p->export_buckets_ev);
			ra_finding_add_evrefs(f, s->ev.refs, s->ev.nrefs);
			goto out;
		}
		used_buckets = 1;
		export_check(&a, sc, c);
	} else
		ra_buf_adds(&a.obs, "; auto-export off");
	st = a.fails.len ? RA_FAIL : a.errors.len ? RA_ERROR : RA_PASS;
	f = ra_ctl_cluster_add(out, control, st, sc, c);
	ra_finding_add_evrefs(f, snaps->ev.refs, snaps->ev.nrefs);
	ra_finding_add_evrefs(f, s->ev.refs, s->ev.nrefs);
	if (used_buckets)
		ra_finding_add_evrefs(f, p->export_buckets_ev.refs,
		    p->export_buckets_ev.nrefs);
	ra_finding_set_expected(f, "%s", exp);
	ra_finding_set_observed(f, "%s", ra_buf_cstr(&a.obs));
	if (a.fails.len && a.errors.len)
		ra_finding_set_detail(f, "%s; also: %s", ra_buf_cstr(&a.fails),
		    ra_buf_cstr(&a.errors));
	else if (st != RA_PASS)
		ra_finding_set_detail(f, "%s", a.fails.len ?
		    ra_buf_cstr(&a.fails) : ra_buf_cstr(&a.errors));
out:
	ra_buf_free(&a.fails);
	ra_buf_free(&a.errors);
	ra_buf_free(&a.obs);
	ra_buf_free(&copies);
	free(seen);
	free(msg);
	free(exp);
}

void
ra_check_backup_snapshot_region(const struct ra_ctx *ctx,
    struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "backup-snapshot-region", one);
}
