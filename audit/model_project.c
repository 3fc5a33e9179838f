/*
 * model_project.c: the project scope of the model: export buckets,
 * encryption at rest, auditing, log export, Data Federation, Stream
 * Processing, private endpoint services and the backup compliance
 * policy. A project is audited when any project- or cluster-scope record
 * names it; then every endpoint here must have a response, and a missing
 * one is FAILED "no response recorded" (a lost request is never OK).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "model_int.h"
#include "util.h"

static void
bucket_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_project *p = dst;
	struct ra_export_bucket *e;

	if (!ra_xt_need_object(x, it, path))
		return;
	e = RA_MB_GROW(p->export_buckets, p->nexport_buckets);
	e->id = ra_xt_str(x, it, path, "_id", 1);
	e->cloud_provider = ra_xt_str(x, it, path, "cloudProvider", 1);
	e->bucket_name = ra_xt_str(x, it, path, "bucketName", 0);
	e->region = ra_xt_str(x, it, path, "region", 0);
	e->service_url = ra_xt_str(x, it, path, "serviceUrl", 0);
}

static void
kms(struct ra_xt *x, const cJSON *o, const char *key, const char *idkey,
    struct ra_kms_key *k)
{
	const cJSON *v = ra_xt_obj(x, o, "", key, 0);

	if (v == NULL)
		return;
	k->present = 1;
	k->enabled = ra_xt_tri(x, v, key, "enabled");
	k->valid = ra_xt_tri(x, v, key, "valid");
	k->key_id = ra_xt_str(x, v, key, idkey, 0);
	if (strcmp(key, "awsKms") == 0)
		k->region = ra_xt_str(x, v, key, "region", 0);
	if (strcmp(key, "azureKeyVault") == 0) {
		k->key_vault_name = ra_xt_str(x, v, key, "keyVaultName", 0);
		k->azure_environment = ra_xt_str(x, v, key,
		    "azureEnvironment", 0);
	}
}

static void
ear_object(void *dst, const cJSON *o, struct ra_xt *x)
{
	struct ra_encryption_at_rest *e = dst;

	kms(x, o, "awsKms", "customerMasterKeyID", &e->aws);
	kms(x, o, "azureKeyVault", "keyIdentifier", &e->azure);
	kms(x, o, "googleCloudKms", "keyVersionResourceID", &e->gcp);
}

static void
audit_object(void *dst, const cJSON *o, struct ra_xt *x)
{
	struct ra_audit_log *a = dst;

	a->enabled = ra_xt_tri(x, o, "", "enabled");
	a->configuration_type = ra_xt_str(x, o, "", "configurationType", 0);
}

static void
push_object(void *dst, const cJSON *o, struct ra_xt *x)
{
	struct ra_push_export *pe = dst;

	pe->state = ra_xt_str(x, o, "", "state", 0);
	pe->bucket_name = ra_xt_str(x, o, "", "bucketName", 0);
}

static void
logint_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_log_integrations *li = dst;
	struct ra_log_integration *e;

	if (!ra_xt_need_object(x, it, path))
		return;
	e = RA_MB_GROW(li->v, li->n);
	e->id = ra_xt_str(x, it, path, "id", 0);
	e->type = ra_xt_str(x, it, path, "type", 1);
	e->log_types = ra_xt_strv(x, it, path, "logTypes", &e->nlog_types);
	e->bucket_name = ra_xt_str(x, it, path, "bucketName", 0);
}

/* dataProcessRegion-like {cloudProvider, region}; 0 when null/absent. */
static int
region_ref(struct ra_xt *x, const cJSON *o, const char *path, const char *key,
    struct ra_region_ref *r)
{
	const cJSON *v = ra_xt_obj(x, o, path, key, 0);
	char p[300];

	if (v == NULL)
		return 0;
	ra_xt_path(p, sizeof(p), path, key);
	r->provider = ra_xt_str(x, v, p, "cloudProvider", 1);
	r->region = ra_xt_str(x, v, p, "region", 1);
	return 1;
}

static void
federation_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_federations *f = dst;
	struct ra_federation *e;

	if (!ra_xt_need_object(x, it, path))
		return;
	e = RA_MB_GROW(f->v, f->n);
	e->name = ra_xt_str(x, it, path, "name", 1);
	e->has_dp_region = region_ref(x, it, path, "dataProcessRegion", &e->dp);
}

static void
stream_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_streams *s = dst;
	struct ra_stream *e;
	const cJSON *fo, *r;
	char p[300];
	size_t i = 0;

	if (!ra_xt_need_object(x, it, path))
		return;
	e = RA_MB_GROW(s->v, s->n);
	e->name = ra_xt_str(x, it, path, "name", 1);
	e->has_dp_region = region_ref(x, it, path, "dataProcessRegion", &e->dp);
	if ((fo = ra_xt_arr(x, it, path, "failoverRegions", 0)) == NULL)
		return;
	e->failover = ra_calloc((size_t)cJSON_GetArraySize(fo) + 1,
	    sizeof(*e->failover));
	cJSON_ArrayForEach(r, fo) {
		snprintf(p, sizeof(p), "%s.failoverRegions[%zu]", path, i++);
		if (!ra_xt_need_object(x, r, p))
			break;
		e->failover[e->nfailover].provider = ra_xt_str(x, r, p,
		    "cloudProvider", 1);
		e->failover[e->nfailover].region = ra_xt_str(x, r, p, "region",
		    1);
		e->nfailover++;
	}
}

static void
pe_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_pe_services *s = dst;
	struct ra_pe_service *e;

	if (!ra_xt_need_object(x, it, path))
		return;
	e = RA_MB_GROW(s->v, s->n);
	e->id = ra_xt_str(x, it, path, "id", 0);
	e->cloud_provider = ra_xt_str(x, it, path, "cloudProvider", 0);
	e->region = ra_xt_str(x, it, path, "regionName", 0);
	e->status = ra_xt_str(x, it, path, "status", 0);
}

static void
compliance_object(void *dst, const cJSON *o, struct ra_xt *x)
{
	struct ra_backup_compliance *c = dst;

	c->pit_enabled = ra_xt_tri(x, o, "", "pitEnabled");
	c->copy_protection = ra_xt_tri(x, o, "", "copyProtectionEnabled");
	c->encryption_at_rest = ra_xt_tri(x, o, "", "encryptionAtRestEnabled");
	c->state = ra_xt_str(x, o, "", "state", 0);
}

static const struct ra_extractor ex_buckets = { bucket_item, NULL };
static const struct ra_extractor ex_ear = { NULL, ear_object };
static const struct ra_extractor ex_audit = { NULL, audit_object };
static const struct ra_extractor ex_push = { NULL, push_object };
static const struct ra_extractor ex_logint = { logint_item, NULL };
static const struct ra_extractor ex_fed = { federation_item, NULL };
static const struct ra_extractor ex_streams = { stream_item, NULL };
static const struct ra_extractor ex_pe = { pe_item, NULL };
static const struct ra_extractor ex_compliance = { NULL, compliance_object };

static const char *const pe_endpoints[RA_PE_NPROVIDERS] = {
	"private-endpoints-aws", "private-endpoints-azure",
	"private-endpoints-gcp"
};

static void
init_tri(struct ra_project *p)
{
	struct ra_kms_key *keys[] = { &p->ear.aws, &p->ear.azure, &p->ear.gcp };

	for (size_t i = 0; i < 3; i++)
		keys[i]->enabled = keys[i]->valid = RA_TRI_UNKNOWN;
	p->audit_log.enabled = RA_TRI_UNKNOWN;
	p->backup_compliance.pit_enabled = RA_TRI_UNKNOWN;
	p->backup_compliance.copy_protection = RA_TRI_UNKNOWN;
	p->backup_compliance.encryption_at_rest = RA_TRI_UNKNOWN;
}

void
ra_mb_project(struct ra_mb *b, struct ra_project *p)
{
	struct ra_ev *evs[] = {
		&p->clusters_ev, &p->flex_ev, &p->serverless_ev,
		&p->export_buckets_ev, &p->ear.ev, &p->audit_log.ev,
		&p->push_export.ev, &p->log_integrations.ev,
		&p->federations.ev, &p->streams.ev, &p->pe[0].ev,
		&p->pe[1].ev, &p->pe[2].ev, &p->backup_compliance.ev
	};
	const char *g = p->id;

	init_tri(p);
	p->audited = ra_mb_audited(b, g);
	if (!p->audited) {
		for (size_t i = 0; i < sizeof(evs) / sizeof(*evs); i++)
			ra_ev_set(evs[i], RA_EV_NOT_FETCHED,
			    "project not audited");
		return;
	}
	ra_mb_decode(b, &p->export_buckets_ev,
	    ra_mb_find(b, "export-buckets", NULL, g, NULL), &ex_buckets, p);
	ra_mb_decode(b, &p->backup_compliance.ev,
	    ra_mb_find(b, "backup-compliance-policy", NULL, g, NULL),
	    &ex_compliance, &p->backup_compliance);
	ra_mb_decode(b, &p->ear.ev,
	    ra_mb_find(b, "encryption-at-rest", NULL, g, NULL), &ex_ear,
	    &p->ear);
	ra_mb_decode(b, &p->audit_log.ev,
	    ra_mb_find(b, "audit-log", NULL, g, NULL), &ex_audit,
	    &p->audit_log);
	ra_mb_decode(b, &p->push_export.ev,
	    ra_mb_find(b, "push-log-export", NULL, g, NULL), &ex_push,
	    &p->push_export);
	ra_mb_decode(b, &p->log_integrations.ev,
	    ra_mb_find(b, "log-integrations", NULL, g, NULL), &ex_logint,
	    &p->log_integrations);
	ra_mb_decode(b, &p->federations.ev,
	    ra_mb_find(b, "data-federation", NULL, g, NULL), &ex_fed,
	    &p->federations);
	ra_mb_decode(b, &p->streams.ev,
	    ra_mb_find(b, "streams", NULL, g, NULL), &ex_streams, &p->streams);
	for (size_t i = 0; i < RA_PE_NPROVIDERS; i++)
		ra_mb_decode(b, &p->pe[i].ev,
		    ra_mb_find(b, pe_endpoints[i], NULL, g, NULL), &ex_pe,
		    &p->pe[i]);
	ra_mb_clusters(b, p);
}

static void
region_ref_clear(struct ra_region_ref *r)
{
	free(r->provider);
	free(r->region);
}

static void
kms_clear(struct ra_kms_key *k)
{
	free(k->key_id);
	free(k->region);
	free(k->key_vault_name);
	free(k->azure_environment);
}

/* Frees the cluster-independent parts; clusters in model_cluster.c. */
void
ra_project_clear(struct ra_project *p)
{
	size_t i, j;

	free(p->id);
	free(p->name);
	free(p->org_id);
	for (i = 0; i < p->ntags; i++) {
		free(p->tags[i].key);
		free(p->tags[i].value);
	}
	free(p->tags);
	ra_ev_clear(&p->ev);
	for (i = 0; i < p->nclusters; i++)
		ra_cluster_clear(&p->clusters[i]);
	free(p->clusters);
	ra_ev_clear(&p->clusters_ev);
	ra_ev_clear(&p->flex_ev);
	ra_ev_clear(&p->serverless_ev);
	ra_ev_clear(&p->export_buckets_ev);
	for (i = 0; i < p->nexport_buckets; i++) {
		struct ra_export_bucket *e = &p->export_buckets[i];

		free(e->id);
		free(e->cloud_provider);
		free(e->bucket_name);
		free(e->region);
		free(e->service_url);
	}
	free(p->export_buckets);
	ra_ev_clear(&p->ear.ev);
	kms_clear(&p->ear.aws);
	kms_clear(&p->ear.azure);
	kms_clear(&p->ear.gcp);
	ra_ev_clear(&p->audit_log.ev);
	free(p->audit_log.configuration_type);
	ra_ev_clear(&p->push_export.ev);
	free(p->push_export.state);
	free(p->push_export.bucket_name);
	ra_ev_clear(&p->log_integrations.ev);
	for (i = 0; i < p->log_integrations.n; i++) {
		struct ra_log_integration *e = &p->log_integrations.v[i];

		free(e->id);
		free(e->type);
		for (j = 0; j < e->nlog_types; j++)
			free(e->log_types[j]);
		free(e->log_types);
		free(e->bucket_name);
	}
	free(p->log_integrations.v);
	ra_ev_clear(&p->federations.ev);
	for (i = 0; i < p->federations.n; i++) {
		free(p->federations.v[i].name);
		region_ref_clear(&p->federations.v[i].dp);
	}
	free(p->federations.v);
	ra_ev_clear(&p->streams.ev);
	for (i = 0; i < p->streams.n; i++) {
		struct ra_stream *s = &p->streams.v[i];

		free(s->name);
		region_ref_clear(&s->dp);
		for (j = 0; j < s->nfailover; j++)
			region_ref_clear(&s->failover[j]);
		free(s->failover);
	}
	free(p->streams.v);
	for (i = 0; i < RA_PE_NPROVIDERS; i++) {
		ra_ev_clear(&p->pe[i].ev);
		for (j = 0; j < p->pe[i].n; j++) {
			free(p->pe[i].v[j].id);
			free(p->pe[i].v[j].cloud_provider);
			free(p->pe[i].v[j].region);
			free(p->pe[i].v[j].status);
		}
		free(p->pe[i].v);
	}
	ra_ev_clear(&p->backup_compliance.ev);
	free(p->backup_compliance.state);
	memset(p, 0, sizeof(*p));
}
