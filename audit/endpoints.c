/*
 * endpoints.c: the endpoint table. Versions are the current non-sunset
 * media types (../shared/atlas-api/FACTS.md): a sunset version answers
 * 410 and an unknown one 406, so a wrong entry here is caught by the
 * simulator tests, which serve exactly these versions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "endpoints.h"
#include "util.h"

const struct ra_endpoint ra_endpoints[] = {
	/* org scope */
	{ "org", RA_SCOPE_ORG, "/orgs/{orgId}", "2023-01-01",
	  RA_SHAPE_OBJECT, 0, "Organization" },
	{ "org-projects", RA_SCOPE_ORG, "/orgs/{orgId}/groups", "2023-01-01",
	  RA_SHAPE_PAGED, 0, "Projects of the organization" },
	{ "resource-policies", RA_SCOPE_ORG, "/orgs/{orgId}/resourcePolicies",
	  "2024-08-05", RA_SHAPE_ARRAY, 0, "Resource policies (Cedar)" },
	{ "non-compliant-resources", RA_SCOPE_ORG,
	  "/orgs/{orgId}/nonCompliantResources", "2024-08-05",
	  RA_SHAPE_ARRAY, 0, "Non-compliant resources" },

	/* project scope */
	{ "clusters", RA_SCOPE_PROJECT, "/groups/{groupId}/clusters",
	  "2024-08-05", RA_SHAPE_PAGED, 0, "Clusters" },
	{ "flex-clusters", RA_SCOPE_PROJECT, "/groups/{groupId}/flexClusters",
	  "2024-11-13", RA_SHAPE_PAGED, 0, "Flex clusters" },
	{ "serverless", RA_SCOPE_PROJECT, "/groups/{groupId}/serverless",
	  "2023-01-01", RA_SHAPE_PAGED, 0, "Serverless instances" },
	{ "export-buckets", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/backup/exportBuckets", "2024-05-30",
	  RA_SHAPE_PAGED, 0, "Snapshot export buckets" },
	{ "backup-compliance-policy", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/backupCompliancePolicy", "2023-10-01",
	  RA_SHAPE_OBJECT, RA_EP_404_NONE, "Backup compliance policy" },
	{ "encryption-at-rest", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/encryptionAtRest", "2023-01-01",
	  RA_SHAPE_OBJECT, 0, "Encryption at rest (customer keys)" },
	{ "audit-log", RA_SCOPE_PROJECT, "/groups/{groupId}/auditLog",
	  "2023-01-01", RA_SHAPE_OBJECT, 0, "Database auditing" },
	{ "push-log-export", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/pushBasedLogExport", "2023-01-01",
	  RA_SHAPE_OBJECT, RA_EP_404_NONE, "Push-based log export" },
	{ "log-integrations", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/logIntegrations", "2025-03-12",
	  RA_SHAPE_PAGED, 0, "Log integrations" },
	{ "data-federation", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/dataFederation", "2023-01-01",
	  RA_SHAPE_ARRAY, 0, "Data Federation" },
	{ "streams", RA_SCOPE_PROJECT, "/groups/{groupId}/streams",
	  "2023-02-01", RA_SHAPE_PAGED, 0, "Stream Processing workspaces" },
	{ "private-endpoints-aws", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/privateEndpoint/AWS/endpointService", "2023-01-01",
	  RA_SHAPE_ARRAY, 0, "Private endpoint services (AWS)" },
	{ "private-endpoints-azure", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/privateEndpoint/AZURE/endpointService", "2023-01-01",
	  RA_SHAPE_ARRAY, 0, "Private endpoint services (Azure)" },
	{ "private-endpoints-gcp", RA_SCOPE_PROJECT,
	  "/groups/{groupId}/privateEndpoint/GCP/endpointService", "2023-01-01",
	  RA_SHAPE_ARRAY, 0, "Private endpoint services (GCP)" },

	/* cluster scope (dedicated clusters) */
	{ "backup-schedule", RA_SCOPE_CLUSTER,
	  "/groups/{groupId}/clusters/{clusterName}/backup/schedule",
	  "2024-08-05", RA_SHAPE_OBJECT, RA_EP_NEEDS_BACKUP | RA_EP_DEDICATED,
	  "Backup schedule" },
	{ "backup-snapshots", RA_SCOPE_CLUSTER,
	  "/groups/{groupId}/clusters/{clusterName}/backup/snapshots",
	  "2023-01-01", RA_SHAPE_PAGED,
	  RA_EP_NEEDS_BACKUP | RA_EP_DEDICATED | RA_EP_REPLICASET,
	  "Backup snapshots" },
	{ "backup-snapshots-sharded", RA_SCOPE_CLUSTER,
	  "/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters",
	  "2023-01-01", RA_SHAPE_PAGED,
	  RA_EP_NEEDS_BACKUP | RA_EP_DEDICATED | RA_EP_SHARDED,
	  "Backup snapshots (sharded clusters)" },
	{ "online-archives", RA_SCOPE_CLUSTER,
	  "/groups/{groupId}/clusters/{clusterName}/onlineArchives",
	  "2023-01-01", RA_SHAPE_PAGED, RA_EP_DEDICATED, "Online archives" },
	{ "search-deployment", RA_SCOPE_CLUSTER,
	  "/groups/{groupId}/clusters/{clusterName}/search/deployment",
	  "2025-03-12", RA_SHAPE_OBJECT, RA_EP_DEDICATED,
	  "Dedicated search nodes" },
};

const size_t ra_nendpoints = sizeof(ra_endpoints) / sizeof(ra_endpoints[0]);

const struct ra_endpoint *
ra_endpoint_find(const char *id)
{
	int i = ra_endpoint_index(id);

	return i < 0 ? NULL : &ra_endpoints[i];
}

int
ra_endpoint_index(const char *id)
{
	if (id == NULL)
		return -1;
	for (size_t i = 0; i < ra_nendpoints; i++)
		if (strcmp(ra_endpoints[i].id, id) == 0)
			return (int)i;
	return -1;
}

static void
add_encoded(struct ra_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~')
			ra_buf_addc(b, (char)*p);
		else
			ra_buf_printf(b, "%%%02X", *p);
	}
}

char *
ra_endpoint_path(const struct ra_endpoint *ep, const char *org_id,
    const char *group_id, const char *cluster)
{
	struct ra_buf b;
	const char *p = ep->path;

	ra_buf_init(&b, 0);
	ra_buf_adds(&b, "/api/atlas/v2");
	while (*p != '\0') {
		if (strncmp(p, "{orgId}", 7) == 0) {
			add_encoded(&b, org_id ? org_id : "");
			p += 7;
		} else if (strncmp(p, "{groupId}", 9) == 0) {
			add_encoded(&b, group_id ? group_id : "");
			p += 9;
		} else if (strncmp(p, "{clusterName}", 13) == 0) {
			add_encoded(&b, cluster ? cluster : "");
			p += 13;
		} else
			ra_buf_addc(&b, *p++);
	}
	return ra_buf_steal(&b);
}

void
ra_endpoint_accept(const struct ra_endpoint *ep, char *out, size_t outsz)
{
	snprintf(out, outsz, "application/vnd.atlas.%s+json", ep->version);
}
