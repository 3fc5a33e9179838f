/*
 * model.h: the typed model of an org, built only from a pack's raw/
 * records (ARCHITECTURE: collect -> raw -> model). Controls read it and
 * nothing else from Atlas.
 *
 * Fail-closed contract: every piece of evidence carries a `struct ra_ev`.
 * A control may only use a piece's data when ev.status == RA_EV_OK (or
 * RA_EV_NONE, which means "Atlas says there is none", e.g. a 404 on an
 * endpoint flagged RA_EP_404_NONE). Any other status makes the control
 * ERROR with ev.reason. Strings copied from Atlas are kept as received
 * (UTF-8, possibly hostile): renderers escape them, file names never use
 * them raw.
 *
 * Regions are kept as Atlas wrote them (provider + Atlas enum or city
 * name); controls resolve them through regions.h, where an unknown name
 * is ERROR, never a guess.
 *
 * Tri-state booleans: RA_TRI_UNKNOWN (-1) when the field was absent or of
 * another type.
 */
#ifndef RA_MODEL_H
#define RA_MODEL_H

#include <stddef.h>

#include "finding.h"
#include "raw.h"

#define RA_TRI_UNKNOWN	(-1)

enum ra_ev_status {
	RA_EV_OK = 0,		/* fetched in full and understood */
	RA_EV_NONE,		/* Atlas answered that there is none (404-none) */
	RA_EV_NOT_FETCHED,	/* never requested (e.g. backup schedule of a
				   cluster without backup); see reason */
	RA_EV_FAILED,		/* refused or failed after retries (401, 403,
				   429, 5xx, transport) */
	RA_EV_PARTIAL,		/* a page of a listing was lost, a loop was
				   cut, or the count disagrees with totalCount */
	RA_EV_INVALID		/* unparseable or of the wrong shape */
};

struct ra_ev {
	enum ra_ev_status status;
	char		*reason;	/* one line when status is not OK/NONE */
	struct ra_evref	*refs;		/* the raw files behind this piece */
	size_t		 nrefs;
};

/* Name of an evidence status for messages ("ok", "failed", ...). */
const char *ra_ev_status_name(enum ra_ev_status s);
/* 1 when the data may be used (OK or NONE). */
int	ra_ev_usable(const struct ra_ev *ev);
/* Why the evidence is as it is: its reason, else its status's name. */
const char *ra_ev_reason(const struct ra_ev *ev);
/* A deep copy of src into dst (dst's old contents are not freed). */
void	ra_ev_copy(struct ra_ev *dst, const struct ra_ev *src);
/* Frees what ev holds and zeroes it (NULL-safe). */
void	ra_ev_clear(struct ra_ev *ev);

struct ra_tag {
	char	*key;
	char	*value;
};

/* One regionConfigs[] entry of a dedicated cluster. */
struct ra_region_config {
	char	*provider;		/* providerName: AWS|AZURE|GCP|TENANT */
	char	*backing_provider;	/* TENANT only, else NULL */
	char	*region;		/* regionName (Atlas enum), may be NULL */
	int	 priority;
	int	 electable;		/* nodeCount of electableSpecs, 0 if absent */
	int	 read_only;		/* readOnlySpecs.nodeCount */
	int	 analytics;		/* analyticsSpecs.nodeCount */
	char	*instance_size;		/* electableSpecs.instanceSize or NULL */
};

struct ra_replication_spec {
	char	*id;
	char	*zone_id;
	char	*zone_name;
	struct ra_region_config *configs;
	size_t	 nconfigs;
};

struct ra_copy_setting {
	char	*cloud_provider;	/* AWS|AZURE|GCP */
	char	*region;		/* regionName (Atlas enum) */
	char	*zone_id;
};

struct ra_backup_schedule {
	struct ra_ev ev;
	struct ra_copy_setting *copies;
	size_t	 ncopies;
	int	 auto_export;		/* tri-state */
	char	*export_bucket_id;	/* export.exportBucketId or NULL */
};

struct ra_snapshot {
	char	*id;
	char	*cloud_provider;
	char	**copy_regions;		/* Atlas enums */
	size_t	 ncopy_regions;
};

struct ra_snapshots {
	struct ra_ev ev;
	struct ra_snapshot *v;
	size_t	 n;
};

struct ra_online_archive {
	char	*id;
	char	*db_name;
	char	*coll_name;
	char	*dp_provider;		/* dataProcessRegion.cloudProvider */
	char	*dp_region;		/* dataProcessRegion.region */
};

struct ra_online_archives {
	struct ra_ev ev;
	struct ra_online_archive *v;
	size_t	 n;
};

struct ra_search_spec {
	char	*cloud_provider;
	char	*region;
	char	*instance_size;
	int	 node_count;
};

struct ra_search_deployment {
	struct ra_ev ev;		/* {} from 2025-03-12 means none: OK, n = 0 */
	char	*state;
	struct ra_search_spec *v;
	size_t	 n;
};

enum ra_cluster_kind {
	RA_CLUSTER_DEDICATED = 0,
	RA_CLUSTER_FLEX,
	RA_CLUSTER_SERVERLESS
};

struct ra_cluster {
	enum ra_cluster_kind kind;
	char	*id;
	char	*name;
	char	*cluster_type;		/* REPLICASET|SHARDED|GEOSHARDED (dedicated) */
	char	*state;			/* stateName */
	int	 paused;		/* tri-state */
	int	 backup_enabled;	/* tri-state; flex: backupSettings.enabled;
					   serverless: serverlessContinuousBackupEnabled */
	int	 pit_enabled;		/* tri-state (dedicated) */
	char	*ear_provider;		/* encryptionAtRestProvider or NULL */
	char	*mongodb_version;
	/* dedicated clusters */
	struct ra_replication_spec *specs;
	size_t	 nspecs;
	/* flex and serverless: providerSettings */
	char	*backing_provider;	/* AWS|AZURE|GCP */
	char	*backing_region;	/* regionName (Atlas enum) */
	/* connectionStrings */
	char	*cs_standard;
	char	*cs_standard_srv;
	char	*cs_private_srv;
	/* where this cluster was read: the listing page record */
	struct ra_ev ev;
	/* per-cluster endpoints (dedicated only; NOT_FETCHED otherwise) */
	struct ra_backup_schedule	schedule;
	struct ra_snapshots		snapshots;
	struct ra_online_archives	archives;
	struct ra_search_deployment	search;
};

struct ra_export_bucket {
	char	*id;			/* _id */
	char	*cloud_provider;	/* AWS|AZURE|GCP */
	char	*bucket_name;
	char	*region;		/* AWS: native code (us-east-1); else NULL */
	char	*service_url;		/* Azure */
};

struct ra_kms_key {
	int	 present;		/* the provider's object was in the response */
	int	 enabled;		/* tri-state */
	int	 valid;			/* tri-state */
	char	*key_id;		/* AWS customerMasterKeyID, Azure keyIdentifier,
					   GCP keyVersionResourceID */
	char	*region;		/* AWS: region (Atlas enum); else NULL */
	char	*key_vault_name;	/* Azure */
	char	*azure_environment;	/* Azure */
};

struct ra_encryption_at_rest {
	struct ra_ev ev;
	struct ra_kms_key aws;
	struct ra_kms_key azure;
	struct ra_kms_key gcp;
};

struct ra_audit_log {
	struct ra_ev ev;
	int	 enabled;		/* tri-state */
	char	*configuration_type;
};

struct ra_push_export {
	struct ra_ev ev;		/* NONE when 404 */
	char	*state;			/* UNCONFIGURED|ACTIVE|... or NULL */
	char	*bucket_name;
};

struct ra_log_integration {
	char	*id;
	char	*type;
	char	**log_types;
	size_t	 nlog_types;
	char	*bucket_name;
};

struct ra_log_integrations {
	struct ra_ev ev;
	struct ra_log_integration *v;
	size_t	 n;
};

struct ra_region_ref {
	char	*provider;
	char	*region;
};

struct ra_federation {
	char	*name;
	int	 has_dp_region;		/* 0 when dataProcessRegion is null/absent */
	struct ra_region_ref dp;
};

struct ra_federations {
	struct ra_ev ev;
	struct ra_federation *v;
	size_t	 n;
};

struct ra_stream {
	char	*name;
	int	 has_dp_region;
	struct ra_region_ref dp;
	struct ra_region_ref *failover;
	size_t	 nfailover;
};

struct ra_streams {
	struct ra_ev ev;
	struct ra_stream *v;
	size_t	 n;
};

struct ra_pe_service {
	char	*id;
	char	*cloud_provider;
	char	*region;		/* regionName (Atlas enum) */
	char	*status;		/* AVAILABLE|... */
};

enum { RA_PE_AWS = 0, RA_PE_AZURE, RA_PE_GCP, RA_PE_NPROVIDERS };

struct ra_pe_services {
	struct ra_ev ev;
	struct ra_pe_service *v;
	size_t	 n;
};

struct ra_backup_compliance {
	struct ra_ev ev;		/* NONE when 404 */
	int	 pit_enabled;
	int	 copy_protection;
	int	 encryption_at_rest;
	char	*state;
};

struct ra_project {
	char	*id;
	char	*name;
	char	*org_id;
	struct ra_tag *tags;
	size_t	 ntags;
	struct ra_ev ev;		/* the org-projects page it was listed on */
	int	 audited;		/* 1 when project-scope endpoints were fetched */

	/* clusters of all kinds; dedicated first, then flex, then serverless,
	   each in the order listed */
	struct ra_cluster *clusters;
	size_t	 nclusters;
	struct ra_ev clusters_ev;	/* the dedicated listing */
	struct ra_ev flex_ev;
	struct ra_ev serverless_ev;

	struct ra_ev export_buckets_ev;
	struct ra_export_bucket *export_buckets;
	size_t	 nexport_buckets;

	struct ra_encryption_at_rest	ear;
	struct ra_audit_log		audit_log;
	struct ra_push_export		push_export;
	struct ra_log_integrations	log_integrations;
	struct ra_federations		federations;
	struct ra_streams		streams;
	struct ra_pe_services		pe[RA_PE_NPROVIDERS];
	struct ra_backup_compliance	backup_compliance;
};

struct ra_policy_body {
	char	*id;
	char	*body;			/* Cedar text, verbatim */
};

struct ra_resource_policy {
	char	*id;
	char	*name;
	char	*description;
	char	*version;
	char	*last_updated;
	struct ra_policy_body *policies;
	size_t	 npolicies;
};

struct ra_noncompliant {
	char	*resource_id;
	char	*resource_name;
	char	*resource_type;		/* PROJECT|CLUSTER|DEPRECATED_... */
	char	*org_id;
	char	**policy_names;		/* resourcePolicyName of each cause */
	size_t	 npolicy_names;
};

/* Request statistics for the pack's method section, from raw/ metadata. */
struct ra_endpoint_stats {
	const char *endpoint;		/* id from the endpoint table */
	unsigned requests;
	unsigned failed;		/* final outcome not ok */
	unsigned retried;		/* records with attempts > 1 */
	unsigned pages;			/* records with page >= 1 */
};

struct ra_model {
	char	*org_id;
	char	*org_name;
	struct ra_ev org_ev;
	struct ra_ev projects_ev;	/* the org-projects listing as a whole */
	struct ra_project *projects;	/* in listing order */
	size_t	 nprojects;

	struct ra_ev policies_ev;
	struct ra_resource_policy *policies;
	size_t	 npolicies;

	struct ra_ev noncompliant_ev;
	struct ra_noncompliant *noncompliant;
	size_t	 nnoncompliant;

	/* statistics, one row per endpoint id present in raw/ */
	struct ra_endpoint_stats *stats;
	size_t	 nstats;
	unsigned requests, failed, retried, pages, rate_limited;

	/* the raw records, as loaded (for evidence indexes and verify) */
	struct ra_raw_record *records;
	size_t	 nrecords;
};

/*
 * Builds the model from the raw records of pack_dir. Failing to read the
 * pack itself (a damaged meta file) is -1 with err set; evidence that is
 * missing or bad is NOT an error here: it is recorded in the pieces' ev.
 */
int	ra_model_load(struct ra_model **out, const char *pack_dir,
	    char *err, size_t errsz);
void	ra_model_free(struct ra_model *m);

/*
 * The last raw record of `endpoint` whose `cluster` field equals `key`
 * (any record of it when key is NULL): local and probe evidence is keyed
 * by deployment or plane name there. NULL when none.
 */
const struct ra_raw_record *ra_model_record(const struct ra_model *m,
	    const char *endpoint, const char *key);
/* Sets ev's status and reason, with r's file (its body, or its meta file
 * when it has none) as the one reference; r may be NULL. */
void	ra_ev_set_record(struct ra_ev *ev, enum ra_ev_status st,
	    const struct ra_raw_record *r, const char *reason);

/* Lookups; NULL when absent. */
const struct ra_project *ra_model_project_by_id(const struct ra_model *m,
	    const char *id);
const struct ra_project *ra_model_project_by_name(const struct ra_model *m,
	    const char *name);
/* The value of tag `key` or NULL. */
const char *ra_project_tag(const struct ra_project *p, const char *key);

#endif
