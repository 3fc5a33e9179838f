/*
 * registry.c: the one table of controls (ARCHITECTURE: "One table of
 * controls"). `controls`, the report, JUnit and SARIF take ids, titles and
 * ADR sections from here.
 *
 * Invariant: CONTRACT §5 order; ids unique and never renamed (reports,
 * waivers and baselines key on them); `endpoints` names ids of
 * audit/endpoints.c (or "inventory", "terraform-state", "probe:*" for
 * evidence that is not an Atlas endpoint).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controls.h"
#include "jsonutil.h"
#include "util.h"

const struct ra_control ra_controls[] = {
	{ "project-classified", "Project classified by jurisdiction", "§6",
	  "project", "org-projects",
	  "the project is named in the inventory or tagged with its jurisdiction",
	  ra_check_project_classified },
	{ "resource-policy", "Resource policy forbids out-of-jurisdiction clusters",
	  "§6", "project", "resource-policies",
	  "the org's Cedar resource policies forbid creating or modifying a "
	  "cluster of this project with any region outside its jurisdiction",
	  ra_check_resource_policy },
	{ "non-compliant-resources", "No non-compliant resources", "§6",
	  "project", "non-compliant-resources",
	  "nonCompliantResources names neither the project nor its clusters",
	  ra_check_non_compliant_resources },
	{ "terraform-policy-drift", "Resource policies match Terraform", "§6",
	  "policy", "resource-policies,terraform-state",
	  "every live policy body equals its Terraform state body byte for byte",
	  ra_check_terraform_policy_drift },
	{ "cluster-region", "Cluster nodes in allowed regions", "§2, §6",
	  "cluster", "clusters,flex-clusters,serverless",
	  "every region holding a node (electable, read-only, analytics; every "
	  "shard) is allowed",
	  ra_check_cluster_region },
	{ "replica-members", "Replica set members", "§3, §6", "cluster",
	  "clusters,flex-clusters,serverless",
	  "data plane: all nodes in one region; control plane: electable nodes "
	  "in at least two allowed regions",
	  ra_check_replica_members },
	{ "backup-pitr", "Cloud backup with point-in-time recovery", "§0, §3",
	  "cluster", "clusters,flex-clusters,serverless",
	  "cloud backup and continuous backup (PITR) are both on",
	  ra_check_backup_pitr },
	{ "backup-copy-region", "Backup copies stay in allowed regions", "§6",
	  "cluster", "backup-schedule",
	  "every backup copySettings target is allowed (none at all passes)",
	  ra_check_backup_copy_region },
	{ "backup-snapshot-region", "Snapshots and exports stay in allowed regions",
	  "§6", "cluster",
	  "backup-snapshots,backup-snapshots-sharded,backup-schedule,export-buckets",
	  "no snapshot copy region outside the allowed set; auto-export goes to "
	  "a bucket in an allowed region",
	  ra_check_backup_snapshot_region },
	{ "export-bucket-region", "Snapshot export buckets in allowed regions",
	  "§6", "bucket", "export-buckets",
	  "the export bucket's region is allowed (Azure/GCP buckets cannot be "
	  "placed and fail)",
	  ra_check_export_bucket_region },
	{ "kms-region", "Customer-managed key in the cluster's region", "§6",
	  "cluster", "clusters,encryption-at-rest",
	  "customer keys on, key enabled and valid, key region allowed and the "
	  "cluster's own region",
	  ra_check_kms_region },
	{ "audit-log-local", "Database audit log stays cluster-local", "§6, §7",
	  "project", "audit-log,push-log-export,log-integrations",
	  "auditing on; no push-based log export; no integration ships audit logs",
	  ra_check_audit_log_local },
	{ "search-node-region", "Search nodes in allowed regions", "§6",
	  "cluster", "search-deployment",
	  "dedicated search nodes are in allowed regions",
	  ra_check_search_node_region },
	{ "online-archive-region", "Online Archive processing region", "beyond",
	  "archive", "online-archives",
	  "the archive's dataProcessRegion is allowed",
	  ra_check_online_archive_region },
	{ "data-federation-region", "Data Federation processing region", "beyond",
	  "federation", "data-federation",
	  "dataProcessRegion is set and allowed",
	  ra_check_data_federation_region },
	{ "stream-processing-region", "Stream Processing regions", "beyond",
	  "stream", "streams",
	  "dataProcessRegion and every failover region are allowed",
	  ra_check_stream_processing_region },
	{ "private-endpoint", "Private endpoint in the cluster's region", "§0, §3",
	  "cluster",
	  "private-endpoints-aws,private-endpoints-azure,private-endpoints-gcp",
	  "an AVAILABLE private endpoint service of the cluster's provider exists "
	  "in a region the cluster occupies",
	  ra_check_private_endpoint },
	{ "tier-minimum", "Dedicated tier M10 or above", "§3", "cluster",
	  "clusters,flex-clusters,serverless",
	  "a dedicated tier of M10 or above",
	  ra_check_tier_minimum },
	{ "app-log-destination", "Application logs go to the jurisdiction's endpoint",
	  "§7", "deployment", "inventory",
	  "each deployment's log URL variable points at a log endpoint of its "
	  "jurisdiction",
	  ra_check_app_log_destination },
	{ "data-plane-endpoint", "Data plane reaches its declared cluster",
	  "§1, §2", "dataplane", "probe:hello,clusters",
	  "the plane's connection string reaches servers of its declared Atlas "
	  "cluster, which lies in the plane's jurisdiction",
	  ra_check_data_plane_endpoint },
	{ "tenant-placement", "Tenants' data in their registered region", "§1",
	  "dataplane", "probe:tenants,probe:tenant-ids",
	  "every tenant id holding data in the plane is registered with that "
	  "plane's region",
	  ra_check_tenant_placement },
	{ "connector-key-region", "Connector API keys carry the plane's prefix",
	  "§4", "dataplane", "probe:keys",
	  "every stored connector key carries the plane's keyPrefix (legacy "
	  "keys only where allowed)",
	  ra_check_connector_key_region },
};

const size_t ra_ncontrols = sizeof(ra_controls) / sizeof(ra_controls[0]);

const struct ra_control *
ra_control_find(const char *id)
{
	for (size_t i = 0; id != NULL && i < ra_ncontrols; i++)
		if (strcmp(ra_controls[i].id, id) == 0)
			return &ra_controls[i];
	return NULL;
}

void
ra_checks_run(const struct ra_ctx *ctx, struct ra_findings *out)
{
	for (size_t i = 0; i < ra_ncontrols; i++)
		ra_controls[i].fn(ctx, out);
	ra_findings_sort(out);
}

/* Prints s left-aligned in `width` columns, counting UTF-8 characters
 * ("§" is two bytes, one column). */
static void
pad_utf8(FILE *f, const char *s, int width)
{
	int cols = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			cols++;
	fputs(s, f);
	for (; cols < width; cols++)
		fputc(' ', f);
}

void
ra_controls_print(FILE *f, int json)
{
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		char *text;

		for (size_t i = 0; i < ra_ncontrols; i++) {
			const struct ra_control *c = &ra_controls[i];
			cJSON *o = cJSON_CreateObject(), *eps;
			char *list = ra_strdup(c->endpoints), *save = NULL, *tok;

			cJSON_AddStringToObject(o, "id", c->id);
			cJSON_AddStringToObject(o, "title", c->title);
			cJSON_AddStringToObject(o, "adr", c->adr);
			cJSON_AddStringToObject(o, "resource", c->resource);
			cJSON_AddStringToObject(o, "passWhen", c->pass_when);
			eps = cJSON_AddArrayToObject(o, "endpoints");
			for (tok = strtok_r(list, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save))
				cJSON_AddItemToArray(eps, cJSON_CreateString(tok));
			free(list);
			cJSON_AddItemToArray(arr, o);
		}
		text = ra_json_print(arr);
		fputs(text, f);
		free(text);
		cJSON_Delete(arr);
		return;
	}
	fprintf(f, "%-26s %-10s %-11s %s\n", "CONTROL", "ADR", "RESOURCE",
	    "TITLE / ENDPOINTS READ");
	for (size_t i = 0; i < ra_ncontrols; i++) {
		const struct ra_control *c = &ra_controls[i];

		fprintf(f, "%-26s ", c->id);
		pad_utf8(f, c->adr, 10);
		fprintf(f, " %-11s %s\n", c->resource, c->title);
		fprintf(f, "%-26s %-10s %-11s   reads: %s\n", "", "", "",
		    c->endpoints);
	}
}
