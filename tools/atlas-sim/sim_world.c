/*
 * sim_world.c: loads a world (docs/SIMULATOR.md) or synthesises one for
 * the benchmark, and looks resources up in it. The tree is read-only after
 * loading, so request threads share it without locking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonutil.h"
#include "log.h"
#include "util.h"
#include "sim.h"

#define WORLD_MAX	(512UL * 1024 * 1024)

static char *
dup_str(const cJSON *o, const char *key)
{
	const char *s = ra_json_str(o, key);

	return s ? ra_strdup(s) : NULL;
}

static long
get_long(const cJSON *o, const char *key, long dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (long)v->valuedouble : dflt;
}

static int
get_flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static int
parse_faults(const char *path)
{
	const cJSON *arr = ra_json_arr(sim.world, "faults"), *f;
	size_t i = 0;
	int rc = -1;

	sim_faults_free();
	if (arr == NULL) {
		rc = 0;
		goto out;
	}
	sim.faults = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*sim.faults));
	cJSON_ArrayForEach(f, arr) {
		struct sim_fault *x = &sim.faults[i];
		const cJSON *ra = cJSON_GetObjectItemCaseSensitive(f, "retryAfter");
		const char *tr = ra_json_str(f, "truncate");

		if (ra_json_str(f, "path") == NULL) {
			ra_error("%s: $.faults[%zu]: \"path\" missing", path, i);
			goto out;
		}
		x->path = dup_str(f, "path");
		x->method = dup_str(f, "method");
		x->status = (int)get_long(f, "status", 0);
		x->error_code = dup_str(f, "errorCode");
		x->times = get_long(f, "times", -1);
		if (cJSON_IsString(ra))
			x->retry_after = ra_strdup(ra->valuestring);
		else if (cJSON_IsNumber(ra))
			x->retry_after = ra_asprintf("%ld", (long)ra->valuedouble);
		x->latency_ms = get_long(f, "latencyMs", 0);
		if (tr != NULL && strcmp(tr, "close") == 0)
			x->truncate = SIM_TRUNC_CLOSE;
		else if (tr != NULL && strcmp(tr, "json") == 0)
			x->truncate = SIM_TRUNC_JSON;
		else if (tr != NULL) {
			ra_error("%s: $.faults[%zu].truncate: \"close\" or "
			    "\"json\" expected", path, i);
			goto out;
		}
		x->malformed = get_flag(f, "malformed");
		x->drop = get_flag(f, "drop");
		x->huge_bytes = get_long(f, "hugeBytes", 0);
		x->nest_depth = get_long(f, "nestDepth", 0);
		x->next_loop = get_flag(f, "nextLoop");
		x->next_host = dup_str(f, "nextHost");
		x->hang = get_flag(f, "hang");
		x->endless = get_flag(f, "endless");
		x->bad_utf8 = get_flag(f, "badUtf8");
		i++;
		sim.nfaults = i;
	}
	rc = 0;
out:
	return rc;
}

static void
parse_limits(void)
{
	const cJSON *rl = ra_json_obj(sim.world, "rateLimit");

	for (int k = 0; k < SIM_LIM_N; k++) {
		const cJSON *o = ra_json_obj(rl, sim_limit_names[k]);
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "capacity");
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(o,
		    "refillPerSecond");

		if (!cJSON_IsNumber(c))
			continue;
		sim.limits[k].on = 1;
		sim.limits[k].capacity = c->valuedouble;
		sim.limits[k].refill = cJSON_IsNumber(r) ? r->valuedouble : 0;
	}
}

/* Picks up the parts of the world every mode uses (again when --synth
 * has rebuilt it). */
static int
world_index(const char *path)
{
	const cJSON *cred = ra_json_obj(sim.world, "credentials"), *p;
	size_t n = 0, i;
	int rc = -1;

	sim.orgs = ra_json_arr(sim.world, "orgs");
	sim.projects = ra_json_arr(sim.world, "projects");
	if (sim.orgs == NULL) {
		ra_error("%s: $.orgs: array expected", path);
		goto out;
	}
	/* sim_find_project is on every group request: 1,000 projects */
	sim_index_free(&sim.project_index);
	free(sim.project_list);
	sim.project_list = ra_calloc((size_t)cJSON_GetArraySize(sim.projects) +
	    1, sizeof(*sim.project_list));
	cJSON_ArrayForEach(p, sim.projects) {
		const char *id = ra_json_str(p, "id");

		if (id == NULL || sim_index_find(&sim.project_index, id,
		    strlen(id), &i) == 0)
			continue;
		sim.project_list[n] = p;
		sim_index_add(&sim.project_index, id, strlen(id), n++);
	}
	/* indexed again after --synth rebuilt the world */
	free(sim.public_key);
	free(sim.private_key);
	free(sim.client_id);
	free(sim.client_secret);
	sim.public_key = dup_str(cred, "publicKey");
	sim.private_key = dup_str(cred, "privateKey");
	sim.client_id = dup_str(cred, "clientId");
	sim.client_secret = dup_str(cred, "clientSecret");
	if (sim.latency_ms == 0)
		sim.latency_ms = get_long(sim.world, "latencyMs", 0);
	parse_limits();
	rc = parse_faults(path);
out:
	return rc;
}

int
sim_world_load(const char *path)
{
	char *data = NULL, err[256];
	size_t len;
	int rc = -1;

	if (ra_file_read(&data, &len, path, WORLD_MAX) == -1) {
		ra_error("%s: cannot read the world", path);
		goto out;
	}
	sim.world = ra_json_parse(data, len, err, sizeof(err));
	if (sim.world == NULL || !cJSON_IsObject(sim.world)) {
		ra_error("%s: not a JSON object: %s", path, err);
		goto out;
	}
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(sim.world,
	    "projects")))
		cJSON_AddItemToObject(sim.world, "projects",
		    cJSON_CreateArray());
	rc = world_index(path);
out:
	free(data);
	return rc;
}

static cJSON *
parse_tmpl(char *text)
{
	cJSON *j = cJSON_Parse(text);

	if (j == NULL) {
		fprintf(stderr, "atlas-sim: internal template error: %s\n", text);
		abort();
	}
	free(text);
	return j;
}

#define EU_POLICY \
	"forbid (\\n  principal,\\n  action in [\\n" \
	"    ResourcePolicy::Action::\\\"cluster.create\\\",\\n" \
	"    ResourcePolicy::Action::\\\"cluster.modify\\\"\\n  ],\\n" \
	"  resource\\n)\\nunless {\\n  [\\n" \
	"    ResourcePolicy::Region::\\\"aws:eu-west-1\\\",\\n" \
	"    ResourcePolicy::Region::\\\"aws:eu-west-2\\\",\\n" \
	"    ResourcePolicy::Region::\\\"aws:eu-central-1\\\"\\n" \
	"  ].containsAll(context.cluster.regions)\\n};"

static cJSON *
synth_cluster(unsigned long p, unsigned long c, const char *gid)
{
	char id[48], name[32];

	snprintf(id, sizeof(id), "6c%010lx%012lx", p, c);
	snprintf(name, sizeof(name), "c%lu", c);
	return parse_tmpl(ra_asprintf(
	    "{\"id\":\"%s\",\"name\":\"%s\",\"groupId\":\"%s\","
	    "\"clusterType\":\"REPLICASET\",\"mongoDBMajorVersion\":\"8.0\","
	    "\"mongoDBVersion\":\"8.0.4\",\"backupEnabled\":true,"
	    "\"pitEnabled\":true,\"encryptionAtRestProvider\":\"AWS\","
	    "\"stateName\":\"IDLE\",\"paused\":false,"
	    "\"createDate\":\"2026-01-15T10:00:00Z\","
	    "\"connectionStrings\":{\"standard\":\"mongodb://%s-shard-00-00.p%lu.mongodb.net:27017,%s-shard-00-01.p%lu.mongodb.net:27017,%s-shard-00-02.p%lu.mongodb.net:27017/?ssl=true\","
	    "\"standardSrv\":\"mongodb+srv://%s.p%lu.mongodb.net\"},"
	    "\"replicationSpecs\":[{\"id\":\"6d%010lx%012lx\","
	    "\"zoneId\":\"6e%010lx%012lx\",\"zoneName\":\"Zone 1\","
	    "\"regionConfigs\":[{\"providerName\":\"AWS\","
	    "\"regionName\":\"EU_WEST_1\",\"priority\":7,"
	    "\"electableSpecs\":{\"instanceSize\":\"M10\",\"nodeCount\":3,\"diskSizeGB\":10},"
	    "\"readOnlySpecs\":{\"instanceSize\":\"M10\",\"nodeCount\":0},"
	    "\"analyticsSpecs\":{\"instanceSize\":\"M10\",\"nodeCount\":0}}]}],"
	    "\"_backupSchedule\":{\"clusterId\":\"%s\",\"clusterName\":\"%s\","
	    "\"autoExportEnabled\":false,\"copySettings\":[],"
	    "\"policies\":[{\"id\":\"6f%010lx%012lx\",\"policyItems\":[{"
	    "\"frequencyInterval\":6,\"frequencyType\":\"hourly\","
	    "\"retentionUnit\":\"days\",\"retentionValue\":7}]}],"
	    "\"referenceHourOfDay\":3,\"referenceMinuteOfHour\":0,"
	    "\"restoreWindowDays\":7},"
	    "\"_snapshots\":[{\"id\":\"70%010lx%012lx\",\"cloudProvider\":\"AWS\","
	    "\"copyRegions\":[],\"createdAt\":\"2026-11-28T03:00:00Z\","
	    "\"expiresAt\":\"2026-12-05T03:00:00Z\",\"mongodVersion\":\"8.0.4\","
	    "\"replicaSetName\":\"%s\",\"snapshotType\":\"scheduled\","
	    "\"status\":\"completed\",\"storageSizeBytes\":1048576,"
	    "\"type\":\"replicaSet\"}],"
	    "\"_onlineArchives\":[{\"_id\":\"71%010lx%012lx\",\"clusterName\":\"%s\","
	    "\"collName\":\"events\",\"dbName\":\"tenant_data\",\"groupId\":\"%s\","
	    "\"dataProcessRegion\":{\"cloudProvider\":\"AWS\",\"region\":\"EU_WEST_1\"},"
	    "\"state\":\"ACTIVE\"}],"
	    "\"_searchDeployment\":{\"id\":\"72%010lx%012lx\",\"groupId\":\"%s\","
	    "\"stateName\":\"IDLE\",\"encryptionAtRestProvider\":\"AWS\","
	    "\"effectiveSpecs\":[{\"cloudProvider\":\"AWS\",\"regionName\":\"EU_WEST_1\","
	    "\"instanceSize\":\"S30_LOWCPU_NVME\",\"nodeCount\":2}]}}",
	    id, name, gid,
	    name, p, name, p, name, p, name, p,
	    p, c, p, c, id, name, p, c, p, c, name, p, c, name, gid,
	    p, c, gid));
}

static cJSON *
synth_project(unsigned long p, long nclusters, const char *org_id)
{
	char gid[48];
	cJSON *proj, *clusters;

	snprintf(gid, sizeof(gid), "6b%022lx", p);
	proj = parse_tmpl(ra_asprintf(
	    "{\"id\":\"%s\",\"name\":\"bench-p%04lu\",\"orgId\":\"%s\","
	    "\"created\":\"2026-01-10T09:00:00Z\",\"clusterCount\":%ld,"
	    "\"tags\":[{\"key\":\"residency\",\"value\":\"eu\"}],"
	    "\"withDefaultAlertsSettings\":true,"
	    "\"exportBuckets\":[{\"_id\":\"73%022lx\",\"bucketName\":\"bench-export-%lu\","
	    "\"cloudProvider\":\"AWS\",\"iamRoleId\":\"74%022lx\",\"region\":\"eu-west-1\","
	    "\"requirePrivateNetworking\":false}],"
	    "\"backupCompliancePolicy\":{\"projectId\":\"%s\",\"copyProtectionEnabled\":false,"
	    "\"encryptionAtRestEnabled\":true,\"pitEnabled\":true,\"restoreWindowDays\":7,"
	    "\"scheduledPolicyItems\":[{\"frequencyInterval\":6,\"frequencyType\":\"hourly\","
	    "\"retentionUnit\":\"days\",\"retentionValue\":7}],\"state\":\"ACTIVE\","
	    "\"deletable\":false,\"updatedDate\":\"2026-02-01T00:00:00Z\"},"
	    "\"encryptionAtRest\":{\"awsKms\":{\"enabled\":true,"
	    "\"customerMasterKeyID\":\"arn:aws:kms:eu-west-1:210987654321:key/0b7c%04lx-12ab-34cd-56ef-1234567890ab\","
	    "\"region\":\"EU_WEST_1\",\"roleId\":\"74%022lx\",\"requirePrivateNetworking\":false,"
	    "\"valid\":true},\"azureKeyVault\":{\"enabled\":false},"
	    "\"googleCloudKms\":{\"enabled\":false},\"enabledForSearchNodes\":true},"
	    "\"auditLog\":{\"enabled\":true,\"auditAuthorizationSuccess\":false,"
	    "\"auditFilter\":\"{}\",\"configurationType\":\"FILTER_JSON\"},"
	    "\"pushBasedLogExport\":{\"state\":\"UNCONFIGURED\"},"
	    "\"logIntegrations\":[{\"id\":\"75%022lx\",\"type\":\"S3_LOG_EXPORT\","
	    "\"logTypes\":[\"MONGOD\"],\"bucketName\":\"bench-logs-%lu\","
	    "\"iamRoleId\":\"74%022lx\",\"prefixPath\":\"mongod/\"}],"
	    "\"dataFederation\":[{\"name\":\"fed-%lu\",\"groupId\":\"%s\",\"state\":\"ACTIVE\","
	    "\"dataProcessRegion\":{\"cloudProvider\":\"AWS\",\"region\":\"DUBLIN_IRL\"},"
	    "\"cloudProviderConfig\":{\"aws\":{\"roleId\":\"74%022lx\"}},"
	    "\"hostnames\":[\"fed-%lu.a.query.mongodb.net\"]}],"
	    "\"streams\":[{\"_id\":\"76%022lx\",\"name\":\"stream-%lu\",\"groupId\":\"%s\","
	    "\"dataProcessRegion\":{\"cloudProvider\":\"AWS\",\"region\":\"DUBLIN_IRL\"},"
	    "\"failoverRegions\":[],\"streamConfig\":{\"tier\":\"SP30\"},\"hostnames\":[]}],"
	    "\"privateEndpointServices\":{\"AWS\":[{\"id\":\"77%022lx\","
	    "\"cloudProvider\":\"AWS\",\"regionName\":\"EU_WEST_1\",\"status\":\"AVAILABLE\","
	    "\"endpointServiceName\":\"com.amazonaws.vpce.eu-west-1.vpce-svc-%017lx\","
	    "\"interfaceEndpoints\":[],\"errorMessage\":null}],\"AZURE\":[],\"GCP\":[]}}",
	    gid, p, org_id, nclusters, p, p, p, gid, p, p, p, p, p, p, gid, p, p,
	    p, p, gid, p, p));
	clusters = cJSON_AddArrayToObject(proj, "clusters");
	for (long c = 0; c < nclusters; c++)
		cJSON_AddItemToArray(clusters,
		    synth_cluster(p, (unsigned long)c, gid));
	cJSON_AddArrayToObject(proj, "flexClusters");
	cJSON_AddArrayToObject(proj, "serverless");
	return proj;
}

/*
 * Replaces the world's projects by nprojects x nclusters compliant ones
 * in aws:eu-west-1 (deterministic ids). Without a world (sim.world NULL)
 * starts from an empty one; an org without policies gets the ADR's
 * EU-only policy.
 */
int
sim_world_synth(long nprojects, long nclusters)
{
	cJSON *orgs, *org, *projs;
	const char *org_id;

	if (sim.world == NULL)
		sim.world = cJSON_CreateObject();
	orgs = cJSON_GetObjectItemCaseSensitive(sim.world, "orgs");
	if (!cJSON_IsArray(orgs) || cJSON_GetArraySize(orgs) == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(sim.world, "orgs");
		orgs = cJSON_AddArrayToObject(sim.world, "orgs");
		cJSON_AddItemToArray(orgs, parse_tmpl(ra_strdup(
		    "{\"id\":\"6a0000000000000000000001\",\"name\":\"bench-org\","
		    "\"isDeleted\":false,\"skipDefaultAlertsSettings\":false}")));
	}
	org = cJSON_GetArrayItem(orgs, 0);
	org_id = ra_json_str(org, "id");
	if (org_id == NULL)
		return -1;
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(org,
	    "resourcePolicies"))) {
		cJSON_DeleteItemFromObjectCaseSensitive(org, "resourcePolicies");
		cJSON_AddItemToObject(org, "resourcePolicies", parse_tmpl(
		    ra_asprintf("[{\"id\":\"6a0000000000000000000002\","
		    "\"orgId\":\"%s\",\"name\":\"eu-only\",\"version\":\"v1\","
		    "\"description\":\"Clusters only in the EU (ADR-020 6)\","
		    "\"createdDate\":\"2026-01-05T12:00:00Z\","
		    "\"lastUpdatedDate\":\"2026-01-05T12:00:00Z\","
		    "\"policies\":[{\"id\":\"6a0000000000000000000003\","
		    "\"body\":\"" EU_POLICY "\"}]}]", org_id)));
	}
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(org,
	    "nonCompliantResources"))) {
		cJSON_DeleteItemFromObjectCaseSensitive(org,
		    "nonCompliantResources");
		cJSON_AddArrayToObject(org, "nonCompliantResources");
	}
	cJSON_DeleteItemFromObjectCaseSensitive(sim.world, "projects");
	projs = cJSON_AddArrayToObject(sim.world, "projects");
	for (long p = 1; p <= nprojects; p++)
		cJSON_AddItemToArray(projs,
		    synth_project((unsigned long)p, nclusters, org_id));
	return world_index("--synth");
}

/* The CONTRACT §2 inventory matching the world: every project in eu. */
int
sim_world_write_inventory(const char *path)
{
	cJSON *inv = cJSON_CreateObject(), *j, *eu, *regs, *projs, *p;
	const char *eu_regions[] = { "aws:eu-west-1", "aws:eu-west-2",
	    "aws:eu-central-1" };
	char *text = NULL;
	int rc = -1;

	cJSON_AddStringToObject(inv, "orgId",
	    ra_json_str(cJSON_GetArrayItem(sim.orgs, 0), "id"));
	cJSON_AddStringToObject(inv, "unlisted", "fail");
	cJSON_AddStringToObject(inv, "tagKey", "residency");
	j = cJSON_AddObjectToObject(inv, "jurisdictions");
	eu = cJSON_AddObjectToObject(j, "eu");
	regs = cJSON_AddArrayToObject(eu, "regions");
	for (size_t i = 0; i < 3; i++)
		cJSON_AddItemToArray(regs, cJSON_CreateString(eu_regions[i]));
	projs = cJSON_AddArrayToObject(inv, "projects");
	cJSON_ArrayForEach(p, sim.projects) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "id", ra_json_str(p, "id"));
		cJSON_AddStringToObject(e, "name", ra_json_str(p, "name"));
		cJSON_AddStringToObject(e, "jurisdiction", "eu");
		cJSON_AddStringToObject(e, "plane", "data");
		regs = cJSON_AddArrayToObject(e, "regions");
		cJSON_AddItemToArray(regs, cJSON_CreateString("aws:eu-west-1"));
		cJSON_AddItemToArray(projs, e);
	}
	text = ra_json_print(inv);
	if (text == NULL || ra_file_write(path, text, strlen(text)) == -1) {
		ra_error("%s: cannot write the inventory", path);
		goto out;
	}
	rc = 0;
out:
	free(text);
	cJSON_Delete(inv);
	return rc;
}

const cJSON *
sim_find_org(const char *id)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, sim.orgs) {
		const char *s = ra_json_str(o, "id");

		if (s != NULL && strcmp(s, id) == 0)
			return o;
	}
	return NULL;
}

const cJSON *
sim_find_project(const char *id)
{
	size_t i;

	if (sim_index_find(&sim.project_index, id, strlen(id), &i) == -1)
		return NULL;
	return sim.project_list[i];
}

const cJSON *
sim_find_cluster(const cJSON *project, const char *name)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, ra_json_arr(project, "clusters")) {
		const char *s = ra_json_str(o, "name");

		if (s != NULL && strcmp(s, name) == 0)
			return o;
	}
	return NULL;
}

void
sim_world_free(void)
{
	cJSON_Delete(sim.world);
	sim.world = NULL;
	sim_index_free(&sim.project_index);
	free(sim.project_list);
	sim.project_list = NULL;
	free(sim.public_key);
	free(sim.private_key);
	free(sim.client_id);
	free(sim.client_secret);
}
