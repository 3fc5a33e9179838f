/*
 * test_model.c: the typed model built from raw/ records. A complete org
 * is written with ra_raw_write (fixtures written here from the field
 * names in FACTS.md) and checked field by field; then each fail-closed
 * case overrides one request and must change the evidence state of
 * exactly the affected pieces, every other piece staying as in the
 * complete pack.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

#define HOSTILE_PROJECT	"eu|prod\n../x\xff\xfe"
#define HOSTILE_PROJECT_JSON "eu|prod\\n../x\xff\xfe"
#define HOSTILE_CLUSTER	"../rs|0\n\xc3\x28"
#define HOSTILE_CLUSTER_JSON "../rs|0\\n\xc3\x28"

/* One request of the pack replaced (or omitted) by a test case. */
struct ov {
	const char *ep, *grp, *cl;
	int	 page;			/* 0: not paged */
	int	 omit;
	int	 status;
	const char *outcome;
	int	 attempts;
	int	 lc;			/* listComplete: -1, 0, 1 */
	const char *retry;
	const char *body;
};

struct pk {
	char	*dir;
	unsigned seq;
	const struct ov *ovs;
	size_t	 novs;
};

static int
eqn(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
put(struct pk *p, const char *ep, const char *org, const char *grp,
    const char *cl, int page, int lc, int status, const char *body)
{
	struct ra_raw_record r;
	const char *outcome = status >= 200 && status < 300 ? "ok" :
	    "http-error";
	int attempts = 1;
	const char *retry = NULL;

	for (size_t i = 0; i < p->novs; i++) {
		const struct ov *o = &p->ovs[i];

		if (strcmp(o->ep, ep) != 0 || !eqn(o->grp, grp) ||
		    !eqn(o->cl, cl) || o->page != page)
			continue;
		if (o->omit)
			return;
		status = o->status;
		outcome = o->outcome;
		attempts = o->attempts;
		lc = o->lc;
		retry = o->retry;
		body = o->body;
	}
	memset(&r, 0, sizeof(r));
	r.seq = ++p->seq;
	r.endpoint = ra_strdup(ep);
	r.org_id = ra_strdup(org);
	r.group_id = ra_strdup(grp);
	r.cluster = ra_strdup(cl);
	r.page = page;
	r.method = ra_strdup("GET");
	r.url = ra_strdup("https://127.0.0.1:1/api/atlas/v2/x");
	r.accept = ra_strdup("application/vnd.atlas.2023-01-01+json");
	r.status = status;
	r.retry_after = ra_strdup(retry);
	r.received_at = ra_strdup("2026-09-01T10:00:00Z");
	r.attempts = attempts;
	r.outcome = ra_strdup(outcome);
	r.list_complete = lc;
	assert_int_equal(ra_raw_write(p->dir, &r, body,
	    body ? strlen(body) : 0), 0);
	ra_raw_record_clear(&r);
}

#define PG(ep, g, c, body)	put(p, ep, NULL, g, c, 1, 1, 200, body)
#define OBJ(ep, g, c, body)	put(p, ep, NULL, g, c, 0, -1, 200, body)

static const char CLUSTERS_P1[] =
    "{\"links\":[{\"href\":\"https://x/?pageNum=1\",\"rel\":\"self\"},"
    "{\"href\":\"https://x/?pageNum=2\",\"rel\":\"next\"}],"
    "\"results\":[{\"id\":\"c1\",\"name\":\"" HOSTILE_CLUSTER_JSON "\","
    "\"clusterType\":\"REPLICASET\",\"backupEnabled\":true,"
    "\"pitEnabled\":true,\"paused\":false,\"stateName\":\"IDLE\","
    "\"encryptionAtRestProvider\":\"AWS\",\"mongoDBVersion\":\"8.0.4\","
    "\"connectionStrings\":{\"standardSrv\":\"mongodb+srv://rs0.x.net\","
    "\"standard\":\"mongodb://a:27017,b:27017\"},"
    "\"replicationSpecs\":[{\"id\":\"s1\",\"zoneId\":\"z1\","
    "\"zoneName\":\"Zone 1\",\"regionConfigs\":["
    "{\"providerName\":\"AWS\",\"regionName\":\"EU_WEST_1\",\"priority\":7,"
    "\"electableSpecs\":{\"instanceSize\":\"M30\",\"nodeCount\":3},"
    "\"readOnlySpecs\":{\"instanceSize\":\"M30\",\"nodeCount\":0},"
    "\"analyticsSpecs\":{\"instanceSize\":\"M30\",\"nodeCount\":1}},"
    "{\"providerName\":\"AWS\",\"regionName\":\"EU_CENTRAL_1\","
    "\"priority\":6,\"electableSpecs\":{\"instanceSize\":\"M30\","
    "\"nodeCount\":2}}]}]}],\"totalCount\":2}";

static const char CLUSTERS_P2[] =
    "{\"links\":[{\"href\":\"https://x/?pageNum=2\",\"rel\":\"self\"}],"
    "\"results\":[{\"id\":\"c2\",\"name\":\"geo\","
    "\"clusterType\":\"GEOSHARDED\",\"backupEnabled\":false,"
    "\"pitEnabled\":false,\"paused\":false,\"stateName\":\"IDLE\","
    "\"replicationSpecs\":["
    "{\"zoneName\":\"EU\",\"regionConfigs\":[{\"providerName\":\"AZURE\","
    "\"regionName\":\"EUROPE_WEST\",\"priority\":7,\"electableSpecs\":"
    "{\"instanceSize\":\"M40\",\"nodeCount\":3},\"analyticsSpecs\":"
    "{\"instanceSize\":\"M40\",\"nodeCount\":0}}]},"
    "{\"zoneName\":\"EU2\",\"regionConfigs\":[{\"providerName\":\"GCP\","
    "\"regionName\":\"WESTERN_EUROPE\",\"priority\":7,\"electableSpecs\":"
    "{\"instanceSize\":\"M40\",\"nodeCount\":3}}]},"
    "{\"zoneName\":\"EU3\",\"regionConfigs\":[{\"providerName\":\"TENANT\","
    "\"backingProviderName\":\"AWS\",\"regionName\":\"EU_WEST_3\","
    "\"priority\":7,\"electableSpecs\":{\"instanceSize\":\"M40\","
    "\"nodeCount\":0},\"readOnlySpecs\":{\"nodeCount\":2}}]}]}],"
    "\"totalCount\":2}";

/* The complete org, with the test's overrides applied. */
static void
write_org(struct pk *p)
{
	const char *g = "p1";
	const char *c = HOSTILE_CLUSTER;

	put(p, "org", "o1", NULL, NULL, 0, -1, 200,
	    "{\"id\":\"o1\",\"name\":\"Acme|Org\",\"isDeleted\":false}");
	put(p, "org-projects", "o1", NULL, NULL, 1, -1, 200,
	    "{\"links\":[{\"rel\":\"next\",\"href\":\"h\"}],\"results\":["
	    "{\"id\":\"p1\",\"name\":\"" HOSTILE_PROJECT_JSON "\","
	    "\"orgId\":\"o1\",\"tags\":[{\"key\":\"env\",\"value\":\"prod\"},"
	    "{\"key\":\"residency\",\"value\":\"eu\"}]},"
	    "{\"id\":\"p2\",\"name\":\"us\",\"orgId\":\"o1\",\"tags\":[]}],"
	    "\"totalCount\":3}");
	put(p, "org-projects", "o1", NULL, NULL, 2, 1, 200,
	    "{\"links\":[],\"results\":[{\"id\":\"p3\",\"name\":\"sandbox\","
	    "\"orgId\":\"o1\"}],\"totalCount\":3}");
	put(p, "resource-policies", "o1", NULL, NULL, 0, -1, 200,
	    "[{\"id\":\"rp1\",\"name\":\"eu-only\",\"description\":null,"
	    "\"version\":\"v1\",\"lastUpdatedDate\":\"2026-01-01T00:00:00Z\","
	    "\"policies\":[{\"id\":\"b1\",\"body\":\"forbid (principal, "
	    "action == ResourcePolicy::Action::\\\"cluster.modify\\\", "
	    "resource) unless {\\n\\t[ResourcePolicy::Region::"
	    "\\\"aws:eu-west-1\\\"].containsAll(context.cluster.regions) };\"}"
	    "]}]");
	put(p, "non-compliant-resources", "o1", NULL, NULL, 0, -1, 200,
	    "[{\"orgId\":\"o1\",\"resourceId\":\"c9\",\"resourceName\":\"old\","
	    "\"resourceType\":\"CLUSTER\",\"resourcePoliciesCausingNon"
	    "Compliance\":[{\"resourcePolicyId\":\"rp1\",\"resourcePolicyName\":"
	    "\"eu-only\",\"policiesCausingNonCompliance\":[{\"policyId\":"
	    "\"b1\"}]}]}]");

	/* project p1: everything */
	put(p, "clusters", NULL, g, NULL, 1, -1, 200, CLUSTERS_P1);
	put(p, "clusters", NULL, g, NULL, 2, 1, 200, CLUSTERS_P2);
	PG("flex-clusters", g, NULL,
	    "{\"results\":[{\"id\":\"f1\",\"name\":\"fx\",\"clusterType\":"
	    "\"REPLICASET\",\"providerSettings\":{\"providerName\":\"FLEX\","
	    "\"backingProviderName\":\"AWS\",\"regionName\":\"EU_WEST_1\","
	    "\"diskSizeGB\":5.0},\"backupSettings\":{\"enabled\":true},"
	    "\"stateName\":\"IDLE\"}],\"totalCount\":1}");
	PG("serverless", g, NULL,
	    "{\"results\":[{\"id\":\"s1\",\"name\":\"sl\",\"providerSettings\":"
	    "{\"providerName\":\"SERVERLESS\",\"backingProviderName\":\"GCP\","
	    "\"regionName\":\"WESTERN_EUROPE\"},\"serverlessBackupOptions\":"
	    "{\"serverlessContinuousBackupEnabled\":false}}],\"totalCount\":1}");
	PG("export-buckets", g, NULL,
	    "{\"results\":[{\"_id\":\"eb1\",\"cloudProvider\":\"AWS\","
	    "\"bucketName\":\"snap-eu\",\"region\":\"eu-west-1\","
	    "\"iamRoleId\":\"r\"},{\"_id\":\"eb2\",\"cloudProvider\":\"AZURE\","
	    "\"serviceUrl\":\"https://acct.blob.core.windows.net\","
	    "\"roleId\":\"r2\"}],\"totalCount\":2}");
	put(p, "backup-compliance-policy", NULL, g, NULL, 0, -1, 404,
	    "{\"error\":404,\"errorCode\":\"RESOURCE_NOT_FOUND\"}");
	OBJ("encryption-at-rest", g, NULL,
	    "{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"k-1\","
	    "\"region\":\"EU_WEST_1\",\"valid\":true},\"azureKeyVault\":"
	    "{\"enabled\":false},\"enabledForSearchNodes\":false}");
	OBJ("audit-log", g, NULL,
	    "{\"enabled\":true,\"auditAuthorizationSuccess\":false,"
	    "\"configurationType\":\"FILTER_JSON\"}");
	OBJ("push-log-export", g, NULL,
	    "{\"bucketName\":\"logs-eu\",\"state\":\"ACTIVE\"}");
	PG("log-integrations", g, NULL,
	    "{\"results\":[{\"id\":\"li1\",\"type\":\"S3_LOG_EXPORT\","
	    "\"logTypes\":[\"MONGOD\",\"MONGOD_AUDIT\"],\"bucketName\":"
	    "\"logs-eu\"}],\"totalCount\":1}");
	OBJ("data-federation", g, NULL,
	    "[{\"name\":\"df0\",\"dataProcessRegion\":null,\"state\":\"ACTIVE\"},"
	    "{\"name\":\"df1\",\"dataProcessRegion\":{\"cloudProvider\":\"AWS\","
	    "\"region\":\"DUBLIN_IRL\"}}]");
	PG("streams", g, NULL,
	    "{\"results\":[{\"name\":\"sp0\",\"dataProcessRegion\":"
	    "{\"cloudProvider\":\"AWS\",\"region\":\"FRANKFURT_DEU\"},"
	    "\"failoverRegions\":[{\"cloudProvider\":\"AWS\",\"region\":"
	    "\"DUBLIN_IRL\"}],\"streamConfig\":{\"tier\":\"SP30\"}}]}");
	OBJ("private-endpoints-aws", g, NULL,
	    "[{\"id\":\"pe1\",\"cloudProvider\":\"AWS\",\"regionName\":"
	    "\"EU_WEST_1\",\"status\":\"AVAILABLE\",\"interfaceEndpoints\":[]}]");
	OBJ("private-endpoints-azure", g, NULL, "[]");
	OBJ("private-endpoints-gcp", g, NULL, "[]");
	/* per-cluster: rs0 (backup on), geo (backup off) */
	OBJ("backup-schedule", g, c,
	    "{\"autoExportEnabled\":true,\"export\":{\"exportBucketId\":\"eb1\","
	    "\"frequencyType\":\"monthly\"},\"copySettings\":[{\"cloudProvider\":"
	    "\"AWS\",\"regionName\":\"EU_CENTRAL_1\",\"zoneId\":\"z1\","
	    "\"shouldCopyOplogs\":true,\"copyPolicyItems\":[]}],"
	    "\"restoreWindowDays\":7}");
	PG("backup-snapshots", g, c,
	    "{\"results\":[{\"id\":\"sn1\",\"cloudProvider\":\"AWS\","
	    "\"copyRegions\":[\"EU_CENTRAL_1\"],\"status\":\"completed\"}],"
	    "\"totalCount\":1}");
	PG("online-archives", g, c,
	    "{\"results\":[{\"_id\":\"oa1\",\"dbName\":\"db\",\"collName\":"
	    "\"coll\",\"dataProcessRegion\":{\"cloudProvider\":\"AWS\","
	    "\"region\":\"EU_WEST_1\"}}],\"totalCount\":1}");
	OBJ("search-deployment", g, c,
	    "{\"effectiveSpecs\":[{\"cloudProvider\":\"AWS\",\"instanceSize\":"
	    "\"S30_LOWCPU_NVME\",\"nodeCount\":2,\"regionName\":\"EU_WEST_1\"}],"
	    "\"specs\":[{\"cloudProvider\":\"AWS\",\"instanceSize\":\"S20\","
	    "\"nodeCount\":9,\"regionName\":\"US_EAST_1\"}],"
	    "\"stateName\":\"IDLE\"}");
	PG("online-archives", g, "geo", "{\"results\":[],\"totalCount\":0}");
	OBJ("search-deployment", g, "geo", "{}");

	/* project p2: audited, nothing configured */
	g = "p2";
	PG("clusters", g, NULL, "{\"results\":[],\"totalCount\":0}");
	PG("flex-clusters", g, NULL, "{\"results\":[],\"totalCount\":0}");
	PG("serverless", g, NULL, "{\"results\":[],\"totalCount\":0}");
	PG("export-buckets", g, NULL, "{\"results\":[],\"totalCount\":0}");
	OBJ("backup-compliance-policy", g, NULL,
	    "{\"pitEnabled\":true,\"copyProtectionEnabled\":false,"
	    "\"encryptionAtRestEnabled\":true,\"state\":\"ACTIVE\"}");
	OBJ("encryption-at-rest", g, NULL, "{}");
	OBJ("audit-log", g, NULL, "{\"enabled\":false}");
	put(p, "push-log-export", NULL, g, NULL, 0, -1, 404, NULL);
	PG("log-integrations", g, NULL, "{\"results\":[],\"totalCount\":0}");
	OBJ("data-federation", g, NULL, "[]");
	PG("streams", g, NULL, "{\"results\":[]}");
	OBJ("private-endpoints-aws", g, NULL, "[]");
	OBJ("private-endpoints-azure", g, NULL, "[]");
	OBJ("private-endpoints-gcp", g, NULL, "[]");
	/* p3 is listed but not audited: no records */
}

static struct ra_model *
build(const struct ov *ovs, size_t n, char **dirp)
{
	char tmpl[] = "/tmp/ra-test-model-XXXXXX", err[256] = "";
	struct pk p;
	struct ra_model *m = NULL;

	assert_non_null(mkdtemp(tmpl));
	memset(&p, 0, sizeof(p));
	p.dir = tmpl;
	p.ovs = ovs;
	p.novs = n;
	write_org(&p);
	if (ra_model_load(&m, tmpl, err, sizeof(err)) != 0)
		fail_msg("model load: %s", err);
	*dirp = ra_strdup(tmpl);
	return m;
}

static void
drop(struct ra_model *m, char *dir)
{
	ra_model_free(m);
	ra_rm_rf(dir);
	free(dir);
}

static const struct ra_cluster *
cluster(const struct ra_project *p, const char *name)
{
	for (size_t i = 0; i < p->nclusters; i++)
		if (strcmp(p->clusters[i].name, name) == 0)
			return &p->clusters[i];
	return NULL;
}

/* --- the complete org ------------------------------------------------ */

static void
test_complete(void **state)
{
	char *dir;
	struct ra_model *m = build(NULL, 0, &dir);
	const struct ra_project *p, *p2, *p3;
	const struct ra_cluster *rs, *geo, *fx, *sl;

	(void)state;
	assert_string_equal(m->org_id, "o1");
	assert_string_equal(m->org_name, "Acme|Org");
	assert_int_equal(m->org_ev.status, RA_EV_OK);
	assert_int_equal(m->projects_ev.status, RA_EV_OK);
	assert_int_equal(m->projects_ev.nrefs, 2);
	assert_int_equal(m->nprojects, 3);
	p = &m->projects[0];
	assert_string_equal(p->name, HOSTILE_PROJECT);
	assert_ptr_equal(ra_model_project_by_name(m, HOSTILE_PROJECT), p);
	assert_ptr_equal(ra_model_project_by_id(m, "p1"), p);
	assert_null(ra_model_project_by_id(m, "p9"));
	assert_string_equal(ra_project_tag(p, "residency"), "eu");
	assert_null(ra_project_tag(p, "none"));
	assert_int_equal(p->ev.status, RA_EV_OK);
	assert_int_equal(p->ev.nrefs, 1);
	assert_string_equal(p->ev.refs[0].file, "raw/00002.json");
	assert_int_equal(strlen(p->ev.refs[0].sha256), 64);
	p2 = ra_model_project_by_id(m, "p2");
	p3 = ra_model_project_by_id(m, "p3");
	assert_non_null(p2);
	assert_non_null(p3);
	assert_true(p->audited && p2->audited && !p3->audited);
	assert_string_equal(p3->ev.refs[0].file, "raw/00003.json");
	assert_int_equal(p3->audit_log.ev.status, RA_EV_NOT_FETCHED);
	assert_int_equal(p3->clusters_ev.status, RA_EV_NOT_FETCHED);

	/* org scope */
	assert_int_equal(m->policies_ev.status, RA_EV_OK);
	assert_int_equal(m->npolicies, 1);
	assert_null(m->policies[0].description);
	assert_string_equal(m->policies[0].version, "v1");
	assert_int_equal(m->policies[0].npolicies, 1);
	assert_non_null(strstr(m->policies[0].policies[0].body,
	    "unless {\n\t[ResourcePolicy::Region::\"aws:eu-west-1\"]"));
	assert_int_equal(m->nnoncompliant, 1);
	assert_string_equal(m->noncompliant[0].resource_type, "CLUSTER");
	assert_int_equal(m->noncompliant[0].npolicy_names, 1);
	assert_string_equal(m->noncompliant[0].policy_names[0], "eu-only");

	/* clusters: dedicated first in listing order, then flex, serverless */
	assert_int_equal(p->nclusters, 4);
	assert_int_equal(p->clusters_ev.status, RA_EV_OK);
	assert_int_equal(p->clusters_ev.nrefs, 2);
	rs = &p->clusters[0];
	geo = &p->clusters[1];
	fx = &p->clusters[2];
	sl = &p->clusters[3];
	assert_string_equal(rs->name, HOSTILE_CLUSTER);
	assert_string_equal(geo->name, "geo");
	assert_int_equal(fx->kind, RA_CLUSTER_FLEX);
	assert_int_equal(sl->kind, RA_CLUSTER_SERVERLESS);
	assert_int_equal(rs->ev.nrefs, 1);
	assert_int_equal(geo->ev.nrefs, 1);
	assert_string_not_equal(rs->ev.refs[0].file, geo->ev.refs[0].file);
	assert_int_equal(rs->backup_enabled, 1);
	assert_int_equal(rs->pit_enabled, 1);
	assert_int_equal(rs->paused, 0);
	assert_string_equal(rs->ear_provider, "AWS");
	assert_string_equal(rs->cs_standard_srv, "mongodb+srv://rs0.x.net");
	assert_null(rs->cs_private_srv);
	assert_int_equal(rs->nspecs, 1);
	assert_string_equal(rs->specs[0].zone_name, "Zone 1");
	assert_int_equal(rs->specs[0].nconfigs, 2);
	assert_string_equal(rs->specs[0].configs[0].region, "EU_WEST_1");
	assert_int_equal(rs->specs[0].configs[0].electable, 3);
	assert_int_equal(rs->specs[0].configs[0].read_only, 0);
	assert_int_equal(rs->specs[0].configs[0].analytics, 1);
	assert_string_equal(rs->specs[0].configs[0].instance_size, "M30");
	assert_int_equal(rs->specs[0].configs[1].priority, 6);
	assert_int_equal(rs->specs[0].configs[1].read_only, 0);
	assert_string_equal(geo->cluster_type, "GEOSHARDED");
	assert_int_equal(geo->nspecs, 3);
	assert_string_equal(geo->specs[0].configs[0].provider, "AZURE");
	assert_int_equal(geo->specs[0].configs[0].analytics, 0);
	assert_string_equal(geo->specs[1].configs[0].region, "WESTERN_EUROPE");
	assert_string_equal(geo->specs[2].configs[0].provider, "TENANT");
	assert_string_equal(geo->specs[2].configs[0].backing_provider, "AWS");
	assert_int_equal(geo->specs[2].configs[0].electable, 0);
	assert_int_equal(geo->specs[2].configs[0].read_only, 2);
	assert_string_equal(geo->specs[2].configs[0].instance_size, "M40");
	assert_string_equal(fx->backing_provider, "AWS");
	assert_string_equal(fx->backing_region, "EU_WEST_1");
	assert_int_equal(fx->backup_enabled, 1);
	assert_string_equal(sl->backing_provider, "GCP");
	assert_int_equal(sl->backup_enabled, 0);
	assert_int_equal(fx->schedule.ev.status, RA_EV_NOT_FETCHED);
	assert_int_equal(sl->search.ev.status, RA_EV_NOT_FETCHED);

	/* per-cluster endpoints */
	assert_int_equal(rs->schedule.ev.status, RA_EV_OK);
	assert_int_equal(rs->schedule.ncopies, 1);
	assert_string_equal(rs->schedule.copies[0].region, "EU_CENTRAL_1");
	assert_int_equal(rs->schedule.auto_export, 1);
	assert_string_equal(rs->schedule.export_bucket_id, "eb1");
	assert_int_equal(rs->snapshots.n, 1);
	assert_string_equal(rs->snapshots.v[0].copy_regions[0],
	    "EU_CENTRAL_1");
	assert_int_equal(rs->archives.n, 1);
	assert_string_equal(rs->archives.v[0].id, "oa1");
	assert_string_equal(rs->archives.v[0].dp_region, "EU_WEST_1");
	assert_int_equal(rs->search.n, 1);
	assert_string_equal(rs->search.v[0].instance_size, "S30_LOWCPU_NVME");
	assert_int_equal(rs->search.v[0].node_count, 2);
	assert_int_equal(geo->schedule.ev.status, RA_EV_NOT_FETCHED);
	assert_string_equal(geo->schedule.ev.reason, "cloud backup is off");
	assert_int_equal(geo->snapshots.ev.status, RA_EV_NOT_FETCHED);
	assert_int_equal(geo->search.ev.status, RA_EV_OK);
	assert_int_equal(geo->search.n, 0);
	assert_int_equal(geo->archives.ev.status, RA_EV_OK);

	/* project endpoints */
	assert_int_equal(p->nexport_buckets, 2);
	assert_string_equal(p->export_buckets[0].region, "eu-west-1");
	assert_null(p->export_buckets[1].region);
	assert_string_equal(p->export_buckets[1].service_url,
	    "https://acct.blob.core.windows.net");
	assert_int_equal(p->backup_compliance.ev.status, RA_EV_NONE);
	assert_true(ra_ev_usable(&p->backup_compliance.ev));
	assert_int_equal(p2->backup_compliance.ev.status, RA_EV_OK);
	assert_int_equal(p2->backup_compliance.copy_protection, 0);
	assert_int_equal(p2->backup_compliance.encryption_at_rest, 1);
	assert_int_equal(p->ear.aws.present, 1);
	assert_int_equal(p->ear.aws.enabled, 1);
	assert_int_equal(p->ear.aws.valid, 1);
	assert_string_equal(p->ear.aws.key_id, "k-1");
	assert_string_equal(p->ear.aws.region, "EU_WEST_1");
	assert_int_equal(p->ear.azure.present, 1);
	assert_int_equal(p->ear.azure.valid, RA_TRI_UNKNOWN);
	assert_int_equal(p->ear.gcp.present, 0);
	assert_int_equal(p->audit_log.enabled, 1);
	assert_string_equal(p->audit_log.configuration_type, "FILTER_JSON");
	assert_int_equal(p2->audit_log.enabled, 0);
	assert_string_equal(p->push_export.state, "ACTIVE");
	assert_int_equal(p2->push_export.ev.status, RA_EV_NONE);
	assert_int_equal(p->log_integrations.n, 1);
	assert_int_equal(p->log_integrations.v[0].nlog_types, 2);
	assert_int_equal(p->federations.n, 2);
	assert_int_equal(p->federations.v[0].has_dp_region, 0);
	assert_int_equal(p->federations.v[1].has_dp_region, 1);
	assert_string_equal(p->federations.v[1].dp.region, "DUBLIN_IRL");
	assert_int_equal(p->streams.ev.status, RA_EV_OK);
	assert_string_equal(p->streams.v[0].dp.region, "FRANKFURT_DEU");
	assert_int_equal(p->streams.v[0].nfailover, 1);
	assert_int_equal(p->pe[RA_PE_AWS].n, 1);
	assert_string_equal(p->pe[RA_PE_AWS].v[0].status, "AVAILABLE");
	assert_int_equal(p->pe[RA_PE_GCP].ev.status, RA_EV_OK);
	assert_int_equal(p2->nclusters, 0);
	assert_int_equal(p2->clusters_ev.status, RA_EV_OK);

	/* statistics */
	assert_int_equal(m->requests, m->nrecords);
	assert_int_equal(m->failed, 2);		/* the two 404s */
	assert_int_equal(m->retried, 0);
	assert_int_equal(m->rate_limited, 0);
	assert_true(m->nstats > 10);
	assert_string_equal(m->stats[0].endpoint, "org");
	for (size_t i = 0; i < m->nstats; i++)
		if (strcmp(m->stats[i].endpoint, "clusters") == 0) {
			assert_int_equal(m->stats[i].requests, 3);
			assert_int_equal(m->stats[i].pages, 3);
		}
	drop(m, dir);
}

/* --- fail-closed cases ------------------------------------------------ */

struct named {
	char	 name[96];
	const struct ra_ev *ev;
};

static void
add(struct named *v, size_t *n, const char *name, const struct ra_ev *ev)
{
	assert_true(*n < 128);
	snprintf(v[*n].name, sizeof(v[*n].name), "%s", name);
	v[(*n)++].ev = ev;
}

/* Every piece of evidence of the model, by a stable name. */
static size_t
collect(const struct ra_model *m, struct named *v)
{
	size_t n = 0;
	char nm[96];

	add(v, &n, "org", &m->org_ev);
	add(v, &n, "projects", &m->projects_ev);
	add(v, &n, "policies", &m->policies_ev);
	add(v, &n, "noncompliant", &m->noncompliant_ev);
	for (size_t i = 0; i < m->nprojects; i++) {
		const struct ra_project *p = &m->projects[i];
#define P(f) do { snprintf(nm, sizeof(nm), "%s.%s", p->id, #f); \
	add(v, &n, nm, &p->f); } while (0)
		P(ev); P(clusters_ev); P(flex_ev); P(serverless_ev);
		P(export_buckets_ev); P(ear.ev); P(audit_log.ev);
		P(push_export.ev); P(log_integrations.ev); P(federations.ev);
		P(streams.ev); P(pe[0].ev); P(pe[1].ev); P(pe[2].ev);
		P(backup_compliance.ev);
#undef P
		for (size_t j = 0; j < p->nclusters; j++) {
			const struct ra_cluster *c = &p->clusters[j];
			const char *cn = j == 0 ? "rs" : c->name;
#define C(f) do { snprintf(nm, sizeof(nm), "%s.c.%s.%s", p->id, cn, #f); \
	add(v, &n, nm, &c->f); } while (0)
			C(ev); C(schedule.ev); C(snapshots.ev); C(archives.ev);
			C(search.ev);
#undef C
		}
	}
	return n;
}

struct fcase {
	const char *name;
	struct ov ov[2];
	size_t	 nov;
	const char *target;		/* the named piece that must change */
	enum ra_ev_status status;
	const char *reason;		/* substring of its reason */
	const char *also;		/* prefixes (space-separated) of
					   further pieces allowed to change
					   or vanish */
};

#define RS HOSTILE_CLUSTER
static const struct fcase fcases[] = {
	{ "403 on audit-log",
	  { { "audit-log", "p1", NULL, 0, 0, 403, "http-error", 1, -1, NULL,
	      "{\"detail\":\"no\\n|x\",\"error\":403,\"errorCode\":"
	      "\"USER_UNAUTHORIZED\",\"reason\":\"Forbidden\"}" } }, 1,
	  "p1.audit_log.ev", RA_EV_FAILED,
	  "HTTP 403 USER_UNAUTHORIZED after 1 attempt", NULL },
	{ "429 after retries",
	  { { "encryption-at-rest", "p1", NULL, 0, 0, 429, "http-error", 6, -1,
	      "55", "{\"error\":429,\"errorCode\":"
	      "\"RATE_LIMITED_TOKEN_BUCKET\"}" } }, 1,
	  "p1.ear.ev", RA_EV_FAILED, "refused: HTTP 429 after 6 attempts",
	  NULL },
	{ "transport error",
	  { { "data-federation", "p1", NULL, 0, 0, 0, "transport-error", 3, -1,
	      NULL, NULL } }, 1,
	  "p1.federations.ev", RA_EV_FAILED, "transport error after 3 attempts",
	  NULL },
	{ "truncated JSON",
	  { { "push-log-export", "p1", NULL, 0, 0, 200, "ok", 1, -1, NULL,
	      "{\"bucketName\":\"logs-eu\",\"sta" } }, 1,
	  "p1.push_export.ev", RA_EV_INVALID, "push-log-export: invalid JSON "
	  "at byte", NULL },
	{ "lost page 2 of clusters",
	  { { "clusters", "p1", NULL, 2, 0, 500, "http-error", 3, 0, NULL,
	      "{\"error\":500,\"errorCode\":\"UNEXPECTED_ERROR\"}" } }, 1,
	  "p1.clusters_ev", RA_EV_PARTIAL, "page 2 of 2 lost: HTTP 500", 
	  "p1.c." },
	{ "page 2 never recorded",
	  { { "clusters", "p1", NULL, 2, 1, 0, NULL, 0, 0, NULL, NULL },
	    { "clusters", "p1", NULL, 1, 0, 200, "ok", 1, 0, NULL,
	      CLUSTERS_P1 } }, 2,
	  "p1.clusters_ev", RA_EV_PARTIAL, "listing incomplete", "p1.c." },
	{ "count mismatch",
	  { { "export-buckets", "p1", NULL, 1, 0, 200, "ok", 1, 1, NULL,
	      "{\"results\":[{\"_id\":\"a\",\"cloudProvider\":\"GCP\"}],"
	      "\"totalCount\":5}" } }, 1,
	  "p1.export_buckets_ev", RA_EV_PARTIAL, "1 results but totalCount 5",
	  NULL },
	{ "next link left on the last page",
	  { { "log-integrations", "p1", NULL, 1, 0, 200, "ok", 1, 1, NULL,
	      "{\"results\":[],\"links\":[{\"rel\":\"next\",\"href\":\"h\"}]}"
	  } }, 1,
	  "p1.log_integrations.ev", RA_EV_PARTIAL, "not followed", NULL },
	{ "missing record of an audited project",
	  { { "streams", "p1", NULL, 1, 1, 0, NULL, 0, 0, NULL, NULL } }, 1,
	  "p1.streams.ev", RA_EV_FAILED, "no response recorded", NULL },
	{ "missing backup schedule with backup on",
	  { { "backup-schedule", "p1", RS, 0, 1, 0, NULL, 0, 0, NULL, NULL } },
	  1, "p1.c.rs.schedule.ev", RA_EV_FAILED, "no response recorded",
	  NULL },
	{ "wrong-typed nodeCount",
	  { { "clusters", "p1", NULL, 2, 0, 200, "ok", 1, 1, NULL,
	      "{\"results\":[{\"name\":\"geo\",\"clusterType\":\"GEOSHARDED\","
	      "\"backupEnabled\":false,\"replicationSpecs\":[{\"regionConfigs\":"
	      "[{\"providerName\":\"AWS\",\"regionName\":\"EU_WEST_1\"}]},"
	      "{\"regionConfigs\":[{\"providerName\":\"AWS\"},{\"providerName\":"
	      "\"AWS\",\"electableSpecs\":{\"nodeCount\":\"3\"}}]}]}],"
	      "\"totalCount\":2}" } }, 1,
	  "p1.clusters_ev", RA_EV_INVALID, "clusters page 2: results[0]."
	  "replicationSpecs[1].regionConfigs[1].electableSpecs.nodeCount is "
	  "not an integer", "p1.c." },
	{ "results not an array",
	  { { "log-integrations", "p1", NULL, 1, 0, 200, "ok", 1, 1, NULL,
	      "{\"results\":{},\"totalCount\":0}" } }, 1,
	  "p1.log_integrations.ev", RA_EV_INVALID, "results is not an array",
	  NULL },
	{ "object where an array is due",
	  { { "private-endpoints-gcp", "p1", NULL, 0, 0, 200, "ok", 1, -1,
	      NULL, "{\"results\":[]}" } }, 1,
	  "p1.pe[2].ev", RA_EV_INVALID, "body is not an array", NULL },
	{ "404 on an endpoint without 404-none",
	  { { "audit-log", "p2", NULL, 0, 0, 404, "http-error", 1, -1, NULL,
	      NULL } }, 1,
	  "p2.audit_log.ev", RA_EV_FAILED, "HTTP 404 after 1 attempt", NULL },
	{ "search deployment of the wrong type",
	  { { "search-deployment", "p1", "geo", 0, 0, 200, "ok", 1, -1, NULL,
	      "{\"effectiveSpecs\":[{\"cloudProvider\":\"AWS\",\"regionName\":"
	      "7}]}" } }, 1,
	  "p1.c.geo.search.ev", RA_EV_INVALID,
	  "effectiveSpecs[0].regionName is not a string", NULL },
	{ "pagination loop cut after page 2",
	  { { "clusters", "p1", NULL, 2, 0, 200, "loop", 1, 0, NULL,
	      CLUSTERS_P2 } }, 1,
	  "p1.clusters_ev", RA_EV_PARTIAL, "clusters: pagination loop cut "
	  "after page 2", "p1.c." },
	{ "body truncated in transfer",
	  { { "audit-log", "p2", NULL, 0, 0, 200, "truncated", 2, -1, NULL,
	      "{\"enab" } }, 1,
	  "p2.audit_log.ev", RA_EV_FAILED, "response truncated after 2 "
	  "attempts", NULL },
	{ "not-followed next link on page 1",
	  { { "org-projects", NULL, NULL, 2, 1, 0, NULL, 0, 0, NULL, NULL },
	    { "org-projects", NULL, NULL, 1, 0, 200, "not-followed", 1, 0,
	      NULL, "{\"links\":[{\"rel\":\"next\",\"href\":\"h\"}],"
	      "\"results\":[{\"id\":\"p1\",\"name\":\"" HOSTILE_PROJECT_JSON
	      "\"},{\"id\":\"p2\",\"name\":\"us\"}],\"totalCount\":3}" } },
	  2, "projects", RA_EV_PARTIAL, "org-projects: next link not followed "
	  "after page 1", "p1.ev p2.ev p3." },
};

static const struct named *
find_named(const struct named *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* Does name start with one of the space-separated prefixes? */
static int
allowed(const char *name, const char *prefixes)
{
	const char *p = prefixes;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, " ");

		if (n > 0 && strncmp(name, p, n) == 0)
			return 1;
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

static void
test_fail_closed(void **state)
{
	char *bdir, *dir;
	struct ra_model *base = build(NULL, 0, &bdir);
	struct named bv[128], cv[128];
	size_t nb = collect(base, bv);

	(void)state;
	for (size_t k = 0; k < sizeof(fcases) / sizeof(*fcases); k++) {
		const struct fcase *fc = &fcases[k];
		struct ra_model *m = build(fc->ov, fc->nov, &dir);
		size_t nc = collect(m, cv);
		const struct named *t = find_named(cv, nc, fc->target);

		if (t == NULL) {
			fail_msg("%s: no piece %s", fc->name, fc->target);
			return;
		}
		if (t->ev->status != fc->status || t->ev->reason == NULL ||
		    strstr(t->ev->reason, fc->reason) == NULL)
			fail_msg("%s: %s is %s \"%s\", want %s \"%s\"", fc->name,
			    fc->target, ra_ev_status_name(t->ev->status),
			    t->ev->reason ? t->ev->reason : "",
			    ra_ev_status_name(fc->status), fc->reason);
		assert_false(ra_ev_usable(t->ev));
		assert_true(t->ev->status == RA_EV_FAILED &&
		    strcmp(fc->reason, "no response recorded") == 0 ?
		    t->ev->nrefs == 0 : t->ev->nrefs >= 1);
		/* every other piece is as in the complete pack */
		for (size_t i = 0; i < nb; i++) {
			const struct named *c;

			if (strcmp(bv[i].name, fc->target) == 0 ||
			    allowed(bv[i].name, fc->also))
				continue;
			c = find_named(cv, nc, bv[i].name);
			if (c == NULL || c->ev->status != bv[i].ev->status)
				fail_msg("%s: %s changed to %s", fc->name,
				    bv[i].name, c ? ra_ev_status_name(
				    c->ev->status) : "(gone)");
		}
		/* the dedicated clusters carry their listing's status */
		if (fc->also != NULL && strcmp(fc->also, "p1.c.") == 0) {
			const char *dn[] = { "p1.c.rs.ev", "p1.c.geo.ev" };

			for (size_t i = 0; i < 2; i++) {
				const struct named *c = find_named(cv, nc,
				    dn[i]);

				if (c != NULL && c->ev->status != fc->status)
					fail_msg("%s: %s is %s", fc->name, dn[i],
					    ra_ev_status_name(c->ev->status));
			}
		}
		if (strcmp(fc->target, "projects") == 0) {
			assert_int_equal(m->nprojects, 2);
			assert_int_equal(m->projects[0].ev.status,
			    RA_EV_PARTIAL);
			assert_string_equal(m->projects[0].name,
			    HOSTILE_PROJECT);
		}
		if (strcmp(fc->name, "429 after retries") == 0)
			assert_int_equal(m->rate_limited, 1);
		if (strcmp(fc->name, "lost page 2 of clusters") == 0) {
			const struct ra_project *p = &m->projects[0];
			const struct ra_cluster *c = cluster(p, RS);

			assert_null(cluster(p, "geo"));
			if (c == NULL)
				fail_msg("rs cluster lost");
			else
				assert_int_equal(c->ev.status, RA_EV_PARTIAL);
			assert_int_equal(p->clusters_ev.nrefs, 2);
			assert_int_equal(m->retried, 1);
		}
		drop(m, dir);
	}
	drop(base, bdir);
}

/* A project-scope record for a project the listing lacks is not lost. */
static void
test_unlisted_project(void **state)
{
	static const struct ov ovs[] = {
		{ "org-projects", NULL, NULL, 2, 1, 0, NULL, 0, 0, NULL, NULL },
		{ "org-projects", NULL, NULL, 1, 0, 200, "ok", 1, 1, NULL,
		  "{\"results\":[{\"id\":\"p1\",\"name\":\"a\"}],"
		  "\"totalCount\":1}" },
	};
	char *dir;
	struct ra_model *m;
	const struct ra_project *p2;

	(void)state;
	m = build(ovs, 2, &dir);
	assert_int_equal(m->projects_ev.status, RA_EV_OK);
	assert_int_equal(m->nprojects, 2);
	p2 = ra_model_project_by_id(m, "p2");
	assert_non_null(p2);
	assert_int_equal(p2->ev.status, RA_EV_INVALID);
	assert_string_equal(p2->ev.reason,
	    "not in the organization's project listing");
	assert_true(p2->audited);
	assert_int_equal(p2->audit_log.ev.status, RA_EV_OK);
	assert_null(ra_model_project_by_id(m, "p3"));
	drop(m, dir);
}

static void
test_free_null(void **state)
{
	(void)state;
	ra_model_free(NULL);
	assert_string_equal(ra_ev_status_name(RA_EV_PARTIAL), "partial");
	assert_false(ra_ev_usable(NULL));
	assert_null(ra_project_tag(NULL, "x"));
	assert_null(ra_model_project_by_id(NULL, "x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_unlisted_project),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
