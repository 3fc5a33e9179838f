/*
 * model_cluster.c: the clusters of a project (dedicated, flex,
 * serverless) and the per-cluster endpoints of dedicated clusters
 * (backup schedule, snapshots, online archives, search nodes).
 *
 * A cluster's ev is the listing page it was read from, with the status
 * of the whole listing. Which per-cluster endpoints must exist follows
 * the collector's rules (endpoints.h flags): every dedicated cluster has
 * online-archives and search-deployment; backup endpoints exist when
 * backupEnabled is not false (unknown counts as on: fail closed), the
 * snapshot listing of its type (replica set or sharded). A needed one
 * without a record is FAILED "no response recorded"; NOT_FETCHED only
 * where the endpoint was legitimately not requested.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "model_int.h"
#include "util.h"

/* Appends a cluster of kind k read at x->rec; name never NULL. */
static struct ra_cluster *
cluster_new(struct ra_project *p, enum ra_cluster_kind k, const cJSON *it,
    const char *path, struct ra_xt *x)
{
	struct ra_cluster *c = RA_MB_GROW(p->clusters, p->nclusters);
	const cJSON *cs;
	char cp[300];

	c->kind = k;
	c->paused = c->backup_enabled = c->pit_enabled = RA_TRI_UNKNOWN;
	ra_ev_add_ref(&c->ev, x->rec);
	c->id = ra_xt_str(x, it, path, "id", 0);
	c->name = ra_xt_str(x, it, path, "name", 1);
	if (c->name == NULL)
		c->name = ra_strdup("");
	c->cluster_type = ra_xt_str(x, it, path, "clusterType", 0);
	c->state = ra_xt_str(x, it, path, "stateName", 0);
	c->mongodb_version = ra_xt_str(x, it, path, "mongoDBVersion", 0);
	if ((cs = ra_xt_obj(x, it, path, "connectionStrings", 0)) != NULL) {
		ra_xt_path(cp, sizeof(cp), path, "connectionStrings");
		c->cs_standard = ra_xt_str(x, cs, cp, "standard", 0);
		c->cs_standard_srv = ra_xt_str(x, cs, cp, "standardSrv", 0);
		c->cs_private_srv = ra_xt_str(x, cs, cp, "privateSrv", 0);
	}
	return c;
}

/* electableSpecs-like {nodeCount, instanceSize}; 0 nodes when absent. */
static int
node_spec(struct ra_xt *x, const cJSON *rc, const char *path, const char *key,
    char **instance_size)
{
	const cJSON *s = ra_xt_obj(x, rc, path, key, 0);
	long long n = 0;
	char p[300];

	if (s == NULL)
		return 0;
	ra_xt_path(p, sizeof(p), path, key);
	if (ra_xt_int(x, s, p, "nodeCount", 0, &n) == 0 &&
	    (n < 0 || n > 1000)) {
		ra_xt_fail(x, "%s.nodeCount is out of range", p);
		n = 0;
	}
	if (instance_size != NULL)
		*instance_size = ra_xt_str(x, s, p, "instanceSize", 0);
	else {
		char *tmp = ra_xt_str(x, s, p, "instanceSize", 0);

		free(tmp);
	}
	return (int)n;
}

static void
region_config(struct ra_xt *x, const cJSON *rc, const char *path,
    struct ra_region_config *r)
{
	long long prio = 0;

	r->provider = ra_xt_str(x, rc, path, "providerName", 1);
	r->backing_provider = ra_xt_str(x, rc, path, "backingProviderName", 0);
	r->region = ra_xt_str(x, rc, path, "regionName", 0);
	if (ra_xt_int(x, rc, path, "priority", 0, &prio) == 0 &&
	    (prio < 0 || prio > 7)) {
		ra_xt_fail(x, "%s.priority is out of range", path);
		prio = 0;
	}
	r->priority = (int)prio;
	r->electable = node_spec(x, rc, path, "electableSpecs",
	    &r->instance_size);
	r->read_only = node_spec(x, rc, path, "readOnlySpecs", NULL);
	r->analytics = node_spec(x, rc, path, "analyticsSpecs", NULL);
}

static void
dedicated_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_project *p = dst;
	struct ra_cluster *c;
	const cJSON *specs, *s, *rcs, *rc;
	char sp[300], rp[340];
	size_t i = 0, j;

	if (!ra_xt_need_object(x, it, path))
		return;
	c = cluster_new(p, RA_CLUSTER_DEDICATED, it, path, x);
	c->paused = ra_xt_tri(x, it, path, "paused");
	c->backup_enabled = ra_xt_tri(x, it, path, "backupEnabled");
	c->pit_enabled = ra_xt_tri(x, it, path, "pitEnabled");
	c->ear_provider = ra_xt_str(x, it, path, "encryptionAtRestProvider", 0);
	if ((specs = ra_xt_arr(x, it, path, "replicationSpecs", 1)) == NULL)
		return;
	c->specs = ra_calloc((size_t)cJSON_GetArraySize(specs) + 1,
	    sizeof(*c->specs));
	cJSON_ArrayForEach(s, specs) {
		struct ra_replication_spec *r;

		snprintf(sp, sizeof(sp), "%s.replicationSpecs[%zu]", path, i++);
		if (!ra_xt_need_object(x, s, sp))
			return;
		r = &c->specs[c->nspecs++];
		r->id = ra_xt_str(x, s, sp, "id", 0);
		r->zone_id = ra_xt_str(x, s, sp, "zoneId", 0);
		r->zone_name = ra_xt_str(x, s, sp, "zoneName", 0);
		if ((rcs = ra_xt_arr(x, s, sp, "regionConfigs", 1)) == NULL)
			return;
		r->configs = ra_calloc((size_t)cJSON_GetArraySize(rcs) + 1,
		    sizeof(*r->configs));
		j = 0;
		cJSON_ArrayForEach(rc, rcs) {
			snprintf(rp, sizeof(rp), "%s.regionConfigs[%zu]", sp,
			    j++);
			if (!ra_xt_need_object(x, rc, rp))
				return;
			region_config(x, rc, rp, &r->configs[r->nconfigs++]);
		}
	}
}

/* providerSettings of flex and serverless. */
static void
provider_settings(struct ra_xt *x, const cJSON *it, const char *path,
    struct ra_cluster *c)
{
	const cJSON *ps = ra_xt_obj(x, it, path, "providerSettings", 1);
	char p[300];

	if (ps == NULL)
		return;
	ra_xt_path(p, sizeof(p), path, "providerSettings");
	c->backing_provider = ra_xt_str(x, ps, p, "backingProviderName", 0);
	c->backing_region = ra_xt_str(x, ps, p, "regionName", 0);
}

static void
flex_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_cluster *c;
	const cJSON *bs;
	char p[300];

	if (!ra_xt_need_object(x, it, path))
		return;
	c = cluster_new(dst, RA_CLUSTER_FLEX, it, path, x);
	provider_settings(x, it, path, c);
	if ((bs = ra_xt_obj(x, it, path, "backupSettings", 0)) != NULL) {
		ra_xt_path(p, sizeof(p), path, "backupSettings");
		c->backup_enabled = ra_xt_tri(x, bs, p, "enabled");
	}
}

static void
serverless_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_cluster *c;
	const cJSON *bo;
	char p[300];

	if (!ra_xt_need_object(x, it, path))
		return;
	c = cluster_new(dst, RA_CLUSTER_SERVERLESS, it, path, x);
	provider_settings(x, it, path, c);
	if ((bo = ra_xt_obj(x, it, path, "serverlessBackupOptions", 0)) !=
	    NULL) {
		ra_xt_path(p, sizeof(p), path, "serverlessBackupOptions");
		c->backup_enabled = ra_xt_tri(x, bo, p,
		    "serverlessContinuousBackupEnabled");
	}
}

static void
schedule_object(void *dst, const cJSON *o, struct ra_xt *x)
{
	struct ra_backup_schedule *s = dst;
	const cJSON *cs, *e, *ex;
	char p[64];
	size_t i = 0;

	s->auto_export = ra_xt_tri(x, o, "", "autoExportEnabled");
	if ((ex = ra_xt_obj(x, o, "", "export", 0)) != NULL)
		s->export_bucket_id = ra_xt_str(x, ex, "export",
		    "exportBucketId", 0);
	if ((cs = ra_xt_arr(x, o, "", "copySettings", 0)) == NULL)
		return;
	s->copies = ra_calloc((size_t)cJSON_GetArraySize(cs) + 1,
	    sizeof(*s->copies));
	cJSON_ArrayForEach(e, cs) {
		struct ra_copy_setting *c;

		snprintf(p, sizeof(p), "copySettings[%zu]", i++);
		if (!ra_xt_need_object(x, e, p))
			return;
		c = &s->copies[s->ncopies++];
		c->cloud_provider = ra_xt_str(x, e, p, "cloudProvider", 1);
		c->region = ra_xt_str(x, e, p, "regionName", 1);
		c->zone_id = ra_xt_str(x, e, p, "zoneId", 0);
	}
}

static void
snapshot_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_snapshots *s = dst;
	struct ra_snapshot *e;

	if (!ra_xt_need_object(x, it, path))
		return;
	e = RA_MB_GROW(s->v, s->n);
	e->id = ra_xt_str(x, it, path, "id", 0);
	e->cloud_provider = ra_xt_str(x, it, path, "cloudProvider", 0);
	e->copy_regions = ra_xt_strv(x, it, path, "copyRegions",
	    &e->ncopy_regions);
}

static void
archive_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_online_archives *a = dst;
	struct ra_online_archive *e;
	const cJSON *dp;
	char p[300];

	if (!ra_xt_need_object(x, it, path))
		return;
	e = RA_MB_GROW(a->v, a->n);
	e->id = ra_xt_str(x, it, path, "_id", 0);
	if (e->id == NULL)
		e->id = ra_xt_str(x, it, path, "id", 0);
	e->db_name = ra_xt_str(x, it, path, "dbName", 0);
	e->coll_name = ra_xt_str(x, it, path, "collName", 0);
	if ((dp = ra_xt_obj(x, it, path, "dataProcessRegion", 0)) != NULL) {
		ra_xt_path(p, sizeof(p), path, "dataProcessRegion");
		e->dp_provider = ra_xt_str(x, dp, p, "cloudProvider", 0);
		e->dp_region = ra_xt_str(x, dp, p, "region", 0);
	}
}

/* {} (2025-03-12: no search nodes) is OK with n == 0. */
static void
search_object(void *dst, const cJSON *o, struct ra_xt *x)
{
	struct ra_search_deployment *s = dst;
	const cJSON *specs, *e;
	const char *key = "effectiveSpecs";
	char p[64];
	size_t i = 0;

	s->state = ra_xt_str(x, o, "", "stateName", 0);
	if ((specs = ra_xt_arr(x, o, "", key, 0)) == NULL && !x->bad) {
		key = "specs";
		specs = ra_xt_arr(x, o, "", key, 0);
	}
	if (specs == NULL)
		return;
	s->v = ra_calloc((size_t)cJSON_GetArraySize(specs) + 1, sizeof(*s->v));
	cJSON_ArrayForEach(e, specs) {
		struct ra_search_spec *sp;
		long long n = 0;

		snprintf(p, sizeof(p), "%s[%zu]", key, i++);
		if (!ra_xt_need_object(x, e, p))
			return;
		sp = &s->v[s->n++];
		sp->cloud_provider = ra_xt_str(x, e, p, "cloudProvider", 1);
		sp->region = ra_xt_str(x, e, p, "regionName", 1);
		sp->instance_size = ra_xt_str(x, e, p, "instanceSize", 0);
		if (ra_xt_int(x, e, p, "nodeCount", 0, &n) == 0 &&
		    (n < 0 || n > 1000))
			ra_xt_fail(x, "%s.nodeCount is out of range", p);
		else
			sp->node_count = (int)n;
	}
}

static const struct ra_extractor ex_dedicated = { dedicated_item, NULL };
static const struct ra_extractor ex_flex = { flex_item, NULL };
static const struct ra_extractor ex_serverless = { serverless_item, NULL };
static const struct ra_extractor ex_schedule = { NULL, schedule_object };
static const struct ra_extractor ex_snapshots = { snapshot_item, NULL };
static const struct ra_extractor ex_archives = { archive_item, NULL };
static const struct ra_extractor ex_search = { NULL, search_object };

/* Gives clusters [from, p->nclusters) the status of their listing. */
static void
listing_status(struct ra_project *p, size_t from, const struct ra_ev *ev)
{
	for (size_t i = from; i < p->nclusters; i++) {
		p->clusters[i].ev.status = ev->status;
		free(p->clusters[i].ev.reason);
		p->clusters[i].ev.reason = ra_strdup(ev->reason);
	}
}

static void
per_cluster(struct ra_mb *b, struct ra_project *p, struct ra_cluster *c)
{
	const char *g = p->id, *n = c->name, *snap_ep;
	const struct ra_group *sg;
	int sharded = -1;

	if (c->kind != RA_CLUSTER_DEDICATED) {
		const char *why = c->kind == RA_CLUSTER_FLEX ?
		    "not fetched for flex clusters" :
		    "not fetched for serverless instances";

		ra_ev_set(&c->schedule.ev, RA_EV_NOT_FETCHED, "%s", why);
		ra_ev_set(&c->snapshots.ev, RA_EV_NOT_FETCHED, "%s", why);
		ra_ev_set(&c->archives.ev, RA_EV_NOT_FETCHED, "%s", why);
		ra_ev_set(&c->search.ev, RA_EV_NOT_FETCHED, "%s", why);
		return;
	}
	c->schedule.auto_export = RA_TRI_UNKNOWN;
	ra_mb_decode(b, &c->archives.ev, ra_mb_find(b, "online-archives", NULL,
	    g, n), &ex_archives, &c->archives);
	ra_mb_decode(b, &c->search.ev, ra_mb_find(b, "search-deployment", NULL,
	    g, n), &ex_search, &c->search);

	if (c->cluster_type != NULL)
		sharded = strcmp(c->cluster_type, "REPLICASET") != 0;
	snap_ep = sharded == 1 ? "backup-snapshots-sharded" :
	    "backup-snapshots";
	sg = ra_mb_find(b, snap_ep, NULL, g, n);
	if (sg == NULL && sharded == -1) {
		snap_ep = "backup-snapshots-sharded";
		sg = ra_mb_find(b, snap_ep, NULL, g, n);
	}
	if (c->backup_enabled == 0 &&
	    ra_mb_find(b, "backup-schedule", NULL, g, n) == NULL)
		ra_ev_set(&c->schedule.ev, RA_EV_NOT_FETCHED,
		    "cloud backup is off");
	else
		ra_mb_decode(b, &c->schedule.ev, ra_mb_find(b,
		    "backup-schedule", NULL, g, n), &ex_schedule, &c->schedule);
	if (c->backup_enabled == 0 && sg == NULL)
		ra_ev_set(&c->snapshots.ev, RA_EV_NOT_FETCHED,
		    "cloud backup is off");
	else
		ra_mb_decode(b, &c->snapshots.ev, sg, &ex_snapshots,
		    &c->snapshots);
}

void
ra_mb_clusters(struct ra_mb *b, struct ra_project *p)
{
	size_t from;

	from = p->nclusters;
	ra_mb_decode(b, &p->clusters_ev, ra_mb_find(b, "clusters", NULL, p->id,
	    NULL), &ex_dedicated, p);
	listing_status(p, from, &p->clusters_ev);
	from = p->nclusters;
	ra_mb_decode(b, &p->flex_ev, ra_mb_find(b, "flex-clusters", NULL,
	    p->id, NULL), &ex_flex, p);
	listing_status(p, from, &p->flex_ev);
	from = p->nclusters;
	ra_mb_decode(b, &p->serverless_ev, ra_mb_find(b, "serverless", NULL,
	    p->id, NULL), &ex_serverless, p);
	listing_status(p, from, &p->serverless_ev);
	for (size_t i = 0; i < p->nclusters; i++)
		per_cluster(b, p, &p->clusters[i]);
}

void
ra_cluster_clear(struct ra_cluster *c)
{
	size_t i, j;

	free(c->id);
	free(c->name);
	free(c->cluster_type);
	free(c->state);
	free(c->ear_provider);
	free(c->mongodb_version);
	for (i = 0; i < c->nspecs; i++) {
		struct ra_replication_spec *r = &c->specs[i];

		free(r->id);
		free(r->zone_id);
		free(r->zone_name);
		for (j = 0; j < r->nconfigs; j++) {
			free(r->configs[j].provider);
			free(r->configs[j].backing_provider);
			free(r->configs[j].region);
			free(r->configs[j].instance_size);
		}
		free(r->configs);
	}
	free(c->specs);
	free(c->backing_provider);
	free(c->backing_region);
	free(c->cs_standard);
	free(c->cs_standard_srv);
	free(c->cs_private_srv);
	ra_ev_clear(&c->ev);
	ra_ev_clear(&c->schedule.ev);
	for (i = 0; i < c->schedule.ncopies; i++) {
		free(c->schedule.copies[i].cloud_provider);
		free(c->schedule.copies[i].region);
		free(c->schedule.copies[i].zone_id);
	}
	free(c->schedule.copies);
	free(c->schedule.export_bucket_id);
	ra_ev_clear(&c->snapshots.ev);
	for (i = 0; i < c->snapshots.n; i++) {
		free(c->snapshots.v[i].id);
		free(c->snapshots.v[i].cloud_provider);
		for (j = 0; j < c->snapshots.v[i].ncopy_regions; j++)
			free(c->snapshots.v[i].copy_regions[j]);
		free(c->snapshots.v[i].copy_regions);
	}
	free(c->snapshots.v);
	ra_ev_clear(&c->archives.ev);
	for (i = 0; i < c->archives.n; i++) {
		free(c->archives.v[i].id);
		free(c->archives.v[i].db_name);
		free(c->archives.v[i].coll_name);
		free(c->archives.v[i].dp_provider);
		free(c->archives.v[i].dp_region);
	}
	free(c->archives.v);
	ra_ev_clear(&c->search.ev);
	free(c->search.state);
	for (i = 0; i < c->search.n; i++) {
		free(c->search.v[i].cloud_provider);
		free(c->search.v[i].region);
		free(c->search.v[i].instance_size);
	}
	free(c->search.v);
	memset(c, 0, sizeof(*c));
}
