/*
 * model_fixture.h: builders for hand-made models in unit tests (test
 * only; include from one test source). Every allocation goes into a pool
 * that fx_free_all() releases, so tests never depend on ra_model_free's
 * idea of ownership. Arrays have fixed capacities (FX_CAP) so pointers
 * returned by the builders stay valid while more is added.
 *
 * Defaults: every ra_ev is RA_EV_OK with one ref "raw/<what>.json"
 * (sha256 "00..."); a dedicated cluster is a REPLICASET with backup and
 * PITR on, encryptionAtRestProvider "NONE", an empty OK schedule
 * (autoExportEnabled false), OK empty snapshots and an OK empty search
 * deployment.
 */
#ifndef RA_MODEL_FIXTURE_H
#define RA_MODEL_FIXTURE_H

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "model.h"
#include "util.h"

#define FX_CAP	16
/* Builders a test does not use are not warnings. */
#define FX_STATIC static __attribute__((unused))

static void	**fx_pool;
static size_t	  fx_npool;

FX_STATIC void *
fx_alloc(size_t n)
{
	void *p = ra_calloc(1, n ? n : 1);

	fx_pool = ra_realloc(fx_pool, (fx_npool + 1) * sizeof(*fx_pool));
	fx_pool[fx_npool++] = p;
	return p;
}

FX_STATIC char *
fx_str(const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = fx_alloc(strlen(s) + 1);
	memcpy(p, s, strlen(s) + 1);
	return p;
}

FX_STATIC void
fx_free_all(void)
{
	for (size_t i = 0; i < fx_npool; i++)
		free(fx_pool[i]);
	free(fx_pool);
	fx_pool = NULL;
	fx_npool = 0;
}

/* After a test: empties the findings fs and releases the pool. */
FX_STATIC void
fx_reset(struct ra_findings *fs)
{
	ra_findings_free(fs);
	memset(fs, 0, sizeof(*fs));
	fx_free_all();
}

/* Sets an evidence piece: status, reason and one raw file ref. */
FX_STATIC void
fx_ev(struct ra_ev *ev, enum ra_ev_status st, const char *reason,
    const char *file)
{
	ev->status = st;
	ev->reason = fx_str(reason);
	ev->refs = NULL;
	ev->nrefs = 0;
	if (file != NULL) {
		ev->refs = fx_alloc(sizeof(*ev->refs));
		ev->refs[0].file = fx_str(file);
		memset(ev->refs[0].sha256, '0', RA_SHA256_HEX - 1);
		ev->refs[0].sha256[RA_SHA256_HEX - 1] = '\0';
		ev->nrefs = 1;
	}
}

FX_STATIC void
fx_ev_ok(struct ra_ev *ev, const char *what)
{
	char file[256];

	snprintf(file, sizeof(file), "raw/%s.json", what);
	fx_ev(ev, RA_EV_OK, NULL, file);
}

FX_STATIC struct ra_model *
fx_model(const char *org_id)
{
	struct ra_model *m = fx_alloc(sizeof(*m));

	m->org_id = fx_str(org_id);
	fx_ev_ok(&m->org_ev, "org");
	fx_ev_ok(&m->projects_ev, "org-projects");
	fx_ev_ok(&m->policies_ev, "resource-policies");
	fx_ev_ok(&m->noncompliant_ev, "non-compliant-resources");
	m->projects = fx_alloc(FX_CAP * sizeof(*m->projects));
	return m;
}

FX_STATIC struct ra_project *
fx_project(struct ra_model *m, const char *id, const char *name)
{
	struct ra_project *p;

	assert(m->nprojects < FX_CAP);
	p = &m->projects[m->nprojects++];
	p->id = fx_str(id);
	p->name = fx_str(name);
	p->org_id = fx_str(m->org_id);
	p->audited = 1;
	p->tags = fx_alloc(FX_CAP * sizeof(*p->tags));
	p->clusters = fx_alloc(FX_CAP * sizeof(*p->clusters));
	p->export_buckets = fx_alloc(FX_CAP * sizeof(*p->export_buckets));
	fx_ev_ok(&p->ev, "org-projects");
	fx_ev_ok(&p->clusters_ev, "clusters");
	fx_ev_ok(&p->flex_ev, "flex-clusters");
	fx_ev_ok(&p->serverless_ev, "serverless");
	fx_ev_ok(&p->export_buckets_ev, "export-buckets");
	fx_ev_ok(&p->ear.ev, "encryption-at-rest");
	fx_ev_ok(&p->audit_log.ev, "audit-log");
	fx_ev(&p->push_export.ev, RA_EV_NONE, NULL, "raw/push-log-export.json");
	fx_ev_ok(&p->log_integrations.ev, "log-integrations");
	fx_ev_ok(&p->federations.ev, "data-federation");
	fx_ev_ok(&p->streams.ev, "streams");
	fx_ev(&p->backup_compliance.ev, RA_EV_NONE, NULL,
	    "raw/backup-compliance-policy.json");
	for (int k = 0; k < RA_PE_NPROVIDERS; k++) {
		static const char *const n[] = { "private-endpoints-aws",
		    "private-endpoints-azure", "private-endpoints-gcp" };

		fx_ev_ok(&p->pe[k].ev, n[k]);
		p->pe[k].v = fx_alloc(FX_CAP * sizeof(*p->pe[k].v));
	}
	return p;
}

FX_STATIC void
fx_tag(struct ra_project *p, const char *key, const char *value)
{
	assert(p->ntags < FX_CAP);
	p->tags[p->ntags].key = fx_str(key);
	p->tags[p->ntags].value = fx_str(value);
	p->ntags++;
}

FX_STATIC struct ra_cluster *
fx_cluster(struct ra_project *p, enum ra_cluster_kind kind, const char *name)
{
	struct ra_cluster *c;
	char what[256];

	assert(p->nclusters < FX_CAP);
	c = &p->clusters[p->nclusters++];
	c->kind = kind;
	c->name = fx_str(name);
	c->id = fx_str(name);
	c->state = fx_str("IDLE");
	c->paused = 0;
	snprintf(what, sizeof(what), "cluster-%s", name);
	fx_ev_ok(&c->ev, what);
	if (kind != RA_CLUSTER_DEDICATED) {
		c->backup_enabled = 1;
		c->pit_enabled = RA_TRI_UNKNOWN;
		fx_ev(&c->schedule.ev, RA_EV_NOT_FETCHED, "not dedicated",
		    NULL);
		fx_ev(&c->snapshots.ev, RA_EV_NOT_FETCHED, "not dedicated",
		    NULL);
		fx_ev(&c->archives.ev, RA_EV_NOT_FETCHED, "not dedicated",
		    NULL);
		fx_ev(&c->search.ev, RA_EV_NOT_FETCHED, "not dedicated", NULL);
		return c;
	}
	c->cluster_type = fx_str("REPLICASET");
	c->backup_enabled = 1;
	c->pit_enabled = 1;
	c->ear_provider = fx_str("NONE");
	c->specs = fx_alloc(FX_CAP * sizeof(*c->specs));
	snprintf(what, sizeof(what), "backup-schedule-%s", name);
	fx_ev_ok(&c->schedule.ev, what);
	c->schedule.auto_export = 0;
	c->schedule.copies = fx_alloc(FX_CAP * sizeof(*c->schedule.copies));
	snprintf(what, sizeof(what), "backup-snapshots-%s", name);
	fx_ev_ok(&c->snapshots.ev, what);
	c->snapshots.v = fx_alloc(FX_CAP * sizeof(*c->snapshots.v));
	snprintf(what, sizeof(what), "online-archives-%s", name);
	fx_ev_ok(&c->archives.ev, what);
	c->archives.v = fx_alloc(FX_CAP * sizeof(*c->archives.v));
	snprintf(what, sizeof(what), "search-deployment-%s", name);
	fx_ev_ok(&c->search.ev, what);
	c->search.v = fx_alloc(FX_CAP * sizeof(*c->search.v));
	return c;
}

FX_STATIC struct ra_cluster *
fx_dedicated(struct ra_project *p, const char *name)
{
	return fx_cluster(p, RA_CLUSTER_DEDICATED, name);
}

/* Flex or serverless with providerSettings backing provider/region. */
FX_STATIC struct ra_cluster *
fx_backed(struct ra_project *p, enum ra_cluster_kind kind, const char *name,
    const char *provider, const char *region)
{
	struct ra_cluster *c = fx_cluster(p, kind, name);

	c->backing_provider = fx_str(provider);
	c->backing_region = fx_str(region);
	return c;
}

/*
 * Adds a region config to replicationSpecs[shard] (created as needed,
 * in order). provider "TENANT" takes backing from `backing`.
 */
FX_STATIC struct ra_region_config *
fx_rc(struct ra_cluster *c, size_t shard, const char *provider,
    const char *backing, const char *region, int electable, int read_only,
    int analytics, const char *size)
{
	struct ra_replication_spec *s;
	struct ra_region_config *rc;

	assert(shard < FX_CAP);
	while (c->nspecs <= shard) {
		s = &c->specs[c->nspecs++];
		s->configs = fx_alloc(FX_CAP * sizeof(*s->configs));
	}
	s = &c->specs[shard];
	assert(s->nconfigs < FX_CAP);
	rc = &s->configs[s->nconfigs++];
	rc->provider = fx_str(provider);
	rc->backing_provider = fx_str(backing);
	rc->region = fx_str(region);
	rc->priority = 7 - (int)s->nconfigs + 1;
	rc->electable = electable;
	rc->read_only = read_only;
	rc->analytics = analytics;
	rc->instance_size = fx_str(size);
	return rc;
}

FX_STATIC void
fx_copy(struct ra_cluster *c, const char *provider, const char *region)
{
	struct ra_copy_setting *cs;

	assert(c->schedule.ncopies < FX_CAP);
	cs = &c->schedule.copies[c->schedule.ncopies++];
	cs->cloud_provider = fx_str(provider);
	cs->region = fx_str(region);
	cs->zone_id = fx_str("zone-1");
}

FX_STATIC struct ra_snapshot *
fx_snapshot(struct ra_cluster *c, const char *id, const char *provider,
    const char *copy_region)
{
	struct ra_snapshot *s;

	assert(c->snapshots.n < FX_CAP);
	s = &c->snapshots.v[c->snapshots.n++];
	s->id = fx_str(id);
	s->cloud_provider = fx_str(provider);
	if (copy_region != NULL) {
		s->copy_regions = fx_alloc(sizeof(*s->copy_regions));
		s->copy_regions[0] = fx_str(copy_region);
		s->ncopy_regions = 1;
	}
	return s;
}

FX_STATIC struct ra_export_bucket *
fx_bucket(struct ra_project *p, const char *id, const char *provider,
    const char *region)
{
	struct ra_export_bucket *b;

	assert(p->nexport_buckets < FX_CAP);
	b = &p->export_buckets[p->nexport_buckets++];
	b->id = fx_str(id);
	b->cloud_provider = fx_str(provider);
	b->bucket_name = fx_str("bucket");
	b->region = fx_str(region);
	return b;
}

FX_STATIC void
fx_search(struct ra_cluster *c, const char *provider, const char *region,
    int nodes)
{
	struct ra_search_spec *s;

	assert(c->search.n < FX_CAP);
	s = &c->search.v[c->search.n++];
	s->cloud_provider = fx_str(provider);
	s->region = fx_str(region);
	s->instance_size = fx_str("S30_LOWCPU_NVME");
	s->node_count = nodes;
}

/* pe: RA_PE_AWS, RA_PE_AZURE or RA_PE_GCP. */
FX_STATIC void
fx_pe(struct ra_project *p, int pe, const char *id, const char *region,
    const char *status)
{
	static const char *const prov[] = { "AWS", "AZURE", "GCP" };
	struct ra_pe_service *s;

	assert(p->pe[pe].n < FX_CAP);
	s = &p->pe[pe].v[p->pe[pe].n++];
	s->id = fx_str(id);
	s->cloud_provider = fx_str(prov[pe]);
	s->region = fx_str(region);
	s->status = fx_str(status);
}

/* Sets the project's key for provider ("AWS", "AZURE", "GCP"). */
FX_STATIC struct ra_kms_key *
fx_key(struct ra_project *p, const char *provider, const char *key_id,
    const char *region, int enabled, int valid)
{
	struct ra_kms_key *k = strcmp(provider, "AWS") == 0 ? &p->ear.aws :
	    strcmp(provider, "AZURE") == 0 ? &p->ear.azure : &p->ear.gcp;

	k->present = 1;
	k->enabled = enabled;
	k->valid = valid;
	k->key_id = fx_str(key_id);
	k->region = fx_str(region);
	return k;
}

/* A scope for project p (allowed regions must be sorted). */
FX_STATIC struct ra_scope
fx_scope(const struct ra_project *p, const char *jurisdiction,
    enum ra_plane plane, const char *const *allowed, size_t nallowed)
{
	struct ra_scope s;

	memset(&s, 0, sizeof(s));
	s.project = p;
	s.jurisdiction = jurisdiction;
	s.plane = plane;
	s.allowed = allowed;
	s.nallowed = nallowed;
	s.jurisdiction_regions = allowed;
	s.njurisdiction_regions = nallowed;
	return s;
}

/* A control's context: model m, inventory inv (may be NULL), scopes
 * sc[0..nsc); everything else empty. */
FX_STATIC struct ra_ctx
fx_ctx(const struct ra_model *m, const struct ra_inventory *inv,
    const struct ra_scope *sc, size_t nsc)
{
	struct ra_ctx c;

	memset(&c, 0, sizeof(c));
	c.model = m;
	c.inv = inv;
	c.scopes = sc;
	c.nscopes = nsc;
	return c;
}

/* The only finding of control at resource, or NULL (also when > 1). */
FX_STATIC const struct ra_finding *
fx_find(const struct ra_findings *fs, const char *control,
    const char *resource)
{
	const struct ra_finding *hit = NULL;

	for (size_t i = 0; i < fs->n; i++) {
		if (strcmp(fs->v[i].control, control) != 0 ||
		    strcmp(fs->v[i].resource, resource) != 0)
			continue;
		if (hit != NULL)
			return NULL;
		hit = &fs->v[i];
	}
	return hit;
}

/* 1 when the finding lists evidence file `file`. */
FX_STATIC int
fx_has_ev(const struct ra_finding *f, const char *file)
{
	for (size_t i = 0; f != NULL && i < f->nevidence; i++)
		if (strcmp(f->evidence[i].file, file) == 0)
			return 1;
	return 0;
}

#endif
