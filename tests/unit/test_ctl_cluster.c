/*
 * test_ctl_cluster.c: the per-cluster controls of CONTRACT §5 against
 * hand-built models (model_fixture.h). Table-driven: each case builds one
 * project, runs one control and checks status, resource, and the key
 * parts of observed/detail and the evidence list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "controls.h"
#include "ctl_common.h"
#include "model_fixture.h"

#define PID	"6a793feb2c88faeba59bd8f6"

/* Allowed sets, sorted. */
static const char *const EU3[] = { "aws:eu-central-1", "aws:eu-west-1",
	"aws:eu-west-2", "azure:westeurope", "gcp:europe-west1" };
static const char *const CP2[] = { "aws:eu-central-1", "aws:eu-west-1" };

typedef void (*setup_fn)(struct ra_project *p);

struct tcase {
	const char	*name;
	setup_fn	 setup;
	enum ra_plane	 plane;
	int		 cp2;		/* allowed = CP2 instead of EU3 */
	ra_check_fn	 fn;
	const char	*control;
	const char	*resource;
	enum ra_status	 status;
	const char	*obs;		/* substring of observed, or NULL */
	const char	*detail;	/* substring of detail, or NULL */
	const char	*ev;		/* an evidence file that must be listed */
	size_t		 nfindings;	/* 0: do not check */
};

/* ---- setups ---------------------------------------------------------- */

static struct ra_cluster *
rs_eu(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
	return c;
}

static void s_rs_eu(struct ra_project *p) { rs_eu(p); }

static void
s_analytics_us(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_rc(c, 0, "AWS", NULL, "US_EAST_1", 0, 0, 1, "M30");
}

static void
s_analytics_us_zero(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	/* nodeCount 0 everywhere in the US: no data there */
	fx_rc(c, 0, "AWS", NULL, "US_EAST_1", 0, 0, 0, "M30");
}

static void
s_geosharded(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	c->cluster_type = fx_str("GEOSHARDED");
	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
	fx_rc(c, 1, "AWS", NULL, "EU_CENTRAL_1", 2, 0, 0, "M30");
	fx_rc(c, 1, "AWS", NULL, "US_EAST_1", 0, 1, 0, "M30");
}

static void
s_tenant_eu(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "TENANT", "AWS", "EU_WEST_1", 3, 0, 0, "M0");
}

static void
s_tenant_us(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "TENANT", "AWS", "US_EAST_1", 3, 0, 0, "M0");
}

static void
s_flex_eu(struct ra_project *p)
{
	fx_backed(p, RA_CLUSTER_FLEX, "c0", "AWS", "EU_WEST_1");
}

static void
s_serverless_us(struct ra_project *p)
{
	fx_backed(p, RA_CLUSTER_SERVERLESS, "c0", "AWS", "US_EAST_1");
}

static void
s_unknown_region(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "AWS", NULL, "EU_WEST_9", 3, 0, 0, "M30");
}

static void
s_no_cedar_region(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "AWS", NULL, "CN_NORTH_1", 3, 0, 0, "M30");
}

static void
s_mars(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "MARS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
}

static void s_none(struct ra_project *p) { (void)p; }

static void
s_listing_failed(struct ra_project *p)
{
	rs_eu(p);
	fx_ev(&p->flex_ev, RA_EV_FAILED, "HTTP 403 after 1 attempt",
	    "raw/flex-403.meta.json");
}

static void
s_listing_partial(struct ra_project *p)
{
	fx_ev(&p->clusters_ev, RA_EV_PARTIAL, "page 2 lost",
	    "raw/clusters-p1.json");
}

static void
s_cp_3_2(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
	fx_rc(c, 0, "AWS", NULL, "EU_CENTRAL_1", 2, 0, 0, "M30");
}

static void
s_cp_one_region(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 5, 0, 0, "M30");
}

static void
s_cp_second_outside(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	/* eu-west-2 is in the jurisdiction, not in CP2: does not count */
	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
	fx_rc(c, 0, "AWS", NULL, "EU_WEST_2", 2, 0, 0, "M30");
}

static void
s_cp_readonly_second(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
	fx_rc(c, 0, "AWS", NULL, "EU_CENTRAL_1", 0, 2, 0, "M30");
}

static void
s_pitr_off(struct ra_project *p)
{
	rs_eu(p)->pit_enabled = 0;
}

static void
s_backup_off(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	c->backup_enabled = 0;
	c->pit_enabled = 0;
}

static void
s_pitr_unknown(struct ra_project *p)
{
	rs_eu(p)->pit_enabled = RA_TRI_UNKNOWN;
}

static void
s_copy_eu(struct ra_project *p)
{
	fx_copy(rs_eu(p), "AWS", "EU_CENTRAL_1");
}

static void
s_copy_us(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_copy(c, "AWS", "EU_CENTRAL_1");
	fx_copy(c, "AWS", "US_EAST_1");
}

static void
s_copy_unknown(struct ra_project *p)
{
	fx_copy(rs_eu(p), "AWS", "EU_NOWHERE_1");
}

static void
s_schedule_failed(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_ev(&c->schedule.ev, RA_EV_INVALID, "truncated JSON at byte 17",
	    "raw/schedule-bad.json");
}

static void
s_snap_us(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_snapshot(c, "snap1", "AWS", "EU_CENTRAL_1");
	fx_snapshot(c, "snap2", "AWS", "US_EAST_1");
}

static void
s_snap_eu(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_snapshot(c, "snap1", "AWS", "EU_CENTRAL_1");
	fx_snapshot(c, "snap2", "AWS", NULL);
}

static struct ra_cluster *
export_to(struct ra_project *p, const char *id)
{
	struct ra_cluster *c = rs_eu(p);

	c->schedule.auto_export = 1;
	c->schedule.export_bucket_id = fx_str(id);
	return c;
}

static void
s_export_aws_eu(struct ra_project *p)
{
	export_to(p, "b1");
	fx_bucket(p, "b1", "AWS", "eu-west-1");
}

static void
s_export_aws_us(struct ra_project *p)
{
	export_to(p, "b1");
	fx_bucket(p, "b1", "AWS", "us-east-1");
}

static void
s_export_gcp(struct ra_project *p)
{
	export_to(p, "b2");
	fx_bucket(p, "b1", "AWS", "eu-west-1");
	fx_bucket(p, "b2", "GCP", NULL);
}

static void
s_export_azure(struct ra_project *p)
{
	export_to(p, "b2");
	fx_bucket(p, "b2", "AZURE", NULL);
}

static void
s_export_missing(struct ra_project *p)
{
	export_to(p, "b9");
	fx_bucket(p, "b1", "AWS", "eu-west-1");
}

static void
s_export_buckets_failed(struct ra_project *p)
{
	export_to(p, "b1");
	fx_ev(&p->export_buckets_ev, RA_EV_FAILED, "HTTP 429 after 5 attempts",
	    "raw/export-buckets-429.meta.json");
}

static void
s_export_unknown_native(struct ra_project *p)
{
	export_to(p, "b1");
	fx_bucket(p, "b1", "AWS", "eu-nowhere-3");
}

static void
s_snapshots_partial(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_ev(&c->snapshots.ev, RA_EV_PARTIAL, "page 3 lost",
	    "raw/snapshots-p2.json");
}

static void
s_auto_export_unknown(struct ra_project *p)
{
	rs_eu(p)->schedule.auto_export = RA_TRI_UNKNOWN;
}

static struct ra_cluster *
kms(struct ra_project *p, const char *provider)
{
	struct ra_cluster *c = rs_eu(p);

	c->ear_provider = fx_str(provider);
	return c;
}

static void
s_kms_aws_ok(struct ra_project *p)
{
	kms(p, "AWS");
	fx_key(p, "AWS", "arn:aws:kms:eu-west-1:123456789012:key/abcd",
	    "EU_WEST_1", 1, 1);
}

static void
s_kms_aws_uuid_ok(struct ra_project *p)
{
	kms(p, "AWS");
	fx_key(p, "AWS", "1234abcd-12ab-34cd-56ef-1234567890ab", "EU_WEST_1",
	    1, 1);
}

static void
s_kms_arn_mismatch(struct ra_project *p)
{
	kms(p, "AWS");
	fx_key(p, "AWS", "arn:aws:kms:us-east-1:123456789012:key/abcd",
	    "EU_WEST_1", 1, 1);
}

static void
s_kms_other_region(struct ra_project *p)
{
	/* allowed, but not the single-region cluster's own region */
	kms(p, "AWS");
	fx_key(p, "AWS", "k", "EU_CENTRAL_1", 1, 1);
}

static void
s_kms_us(struct ra_project *p)
{
	struct ra_cluster *c = kms(p, "AWS");

	fx_rc(c, 0, "AWS", NULL, "EU_CENTRAL_1", 2, 0, 0, "M30");
	fx_key(p, "AWS", "k", "US_EAST_1", 1, 1);
}

static void
s_kms_multi_ok(struct ra_project *p)
{
	struct ra_cluster *c = kms(p, "AWS");

	fx_rc(c, 0, "AWS", NULL, "EU_CENTRAL_1", 2, 0, 0, "M30");
	fx_key(p, "AWS", "k", "EU_CENTRAL_1", 1, 1);
}

static void
s_kms_none(struct ra_project *p)
{
	kms(p, "NONE");
}

static void
s_kms_absent(struct ra_project *p)
{
	rs_eu(p)->ear_provider = NULL;
}

static void
s_kms_foo(struct ra_project *p)
{
	kms(p, "FOO");
}

static void
s_kms_disabled(struct ra_project *p)
{
	kms(p, "AWS");
	fx_key(p, "AWS", "k", "EU_WEST_1", 0, 1);
}

static void
s_kms_invalid(struct ra_project *p)
{
	kms(p, "AWS");
	fx_key(p, "AWS", "k", "EU_WEST_1", 1, 0);
}

static void
s_kms_key_absent(struct ra_project *p)
{
	kms(p, "AWS");
}

static void
s_kms_ear_failed(struct ra_project *p)
{
	kms(p, "AWS");
	fx_ev(&p->ear.ev, RA_EV_FAILED, "HTTP 403 after 1 attempt",
	    "raw/ear-403.meta.json");
}

/* Cluster c0 with 3 electable nodes in provider's region, encrypted
 * with the enabled, valid key key_id (no key region: the id says it). */
static void
kms_one_region(struct ra_project *p, const char *provider,
    const char *region, const char *key_id)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	c->ear_provider = fx_str(provider);
	fx_rc(c, 0, provider, NULL, region, 3, 0, 0, "M30");
	fx_key(p, provider, key_id, NULL, 1, 1);
}

static void
s_kms_gcp_global(struct ra_project *p)
{
	kms_one_region(p, "GCP", "WESTERN_EUROPE", "projects/p1/locations/"
	    "global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1");
}

static void
s_kms_gcp_europe(struct ra_project *p)
{
	kms_one_region(p, "GCP", "WESTERN_EUROPE", "projects/p1/locations/"
	    "europe/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1");
}

static void
s_kms_gcp_ok(struct ra_project *p)
{
	kms_one_region(p, "GCP", "WESTERN_EUROPE", "projects/p1/locations/"
	    "europe-west1/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1");
}

static void
s_kms_azure(struct ra_project *p)
{
	kms_one_region(p, "AZURE", "EUROPE_WEST",
	    "https://v.vault.azure.net/keys/k/1");
}

static void
s_search_eu(struct ra_project *p)
{
	fx_search(rs_eu(p), "AWS", "EU_WEST_1", 2);
}

static void
s_search_us(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_search(c, "AWS", "EU_WEST_1", 2);
	fx_search(c, "AWS", "US_EAST_1", 2);
}

static void
s_search_us_zero(struct ra_project *p)
{
	fx_search(rs_eu(p), "AWS", "US_EAST_1", 0);
}

static void
s_search_failed(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_ev(&c->search.ev, RA_EV_FAILED, "HTTP 500 after 3 attempts",
	    "raw/search-500.meta.json");
}

static void
s_pe_ok(struct ra_project *p)
{
	rs_eu(p);
	fx_pe(p, RA_PE_AWS, "pe1", "EU_WEST_1", "AVAILABLE");
}

static void
s_pe_other_region(struct ra_project *p)
{
	rs_eu(p);
	fx_pe(p, RA_PE_AWS, "pe1", "EU_CENTRAL_1", "AVAILABLE");
}

static void
s_pe_initiating(struct ra_project *p)
{
	rs_eu(p);
	fx_pe(p, RA_PE_AWS, "pe1", "EU_WEST_1", "INITIATING");
}

static void
s_pe_wrong_provider(struct ra_project *p)
{
	rs_eu(p);
	fx_pe(p, RA_PE_GCP, "pe1", "WESTERN_EUROPE", "AVAILABLE");
}

static void
s_pe_aws_failed(struct ra_project *p)
{
	rs_eu(p);
	fx_ev(&p->pe[RA_PE_AWS].ev, RA_EV_FAILED, "HTTP 403 after 1 attempt",
	    "raw/pe-aws-403.meta.json");
}

static void
s_pe_gcp_failed_unneeded(struct ra_project *p)
{
	rs_eu(p);
	fx_pe(p, RA_PE_AWS, "pe1", "EU_WEST_1", "AVAILABLE");
	fx_ev(&p->pe[RA_PE_GCP].ev, RA_EV_FAILED, "HTTP 403 after 1 attempt",
	    "raw/pe-gcp-403.meta.json");
}

static void
s_pe_multi_provider(struct ra_project *p)
{
	struct ra_cluster *c = rs_eu(p);

	fx_rc(c, 0, "GCP", NULL, "WESTERN_EUROPE", 2, 0, 0, "M30");
	fx_pe(p, RA_PE_GCP, "pe9", "WESTERN_EUROPE", "AVAILABLE");
}

static void
s_tier(struct ra_project *p, const char *size)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, size);
}

static void s_tier_m10(struct ra_project *p) { s_tier(p, "M10"); }
static void s_tier_r40(struct ra_project *p) { s_tier(p, "R40"); }
static void s_tier_nvme(struct ra_project *p) { s_tier(p, "M40_NVME"); }
static void s_tier_lowcpu(struct ra_project *p) { s_tier(p, "M200_LOWCPU"); }
static void s_tier_m5(struct ra_project *p) { s_tier(p, "M5"); }
static void s_tier_bad(struct ra_project *p) { s_tier(p, "X10"); }
static void s_tier_bad2(struct ra_project *p) { s_tier(p, "M10_"); }
static void s_tier_null(struct ra_project *p) { s_tier(p, NULL); }

static void
s_tier_shard2_m2(struct ra_project *p)
{
	struct ra_cluster *c = fx_dedicated(p, "c0");

	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
	fx_rc(c, 1, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M2");
}

static void
s_two_clusters(struct ra_project *p)
{
	rs_eu(p);
	fx_backed(p, RA_CLUSTER_FLEX, "f1", "AWS", "US_EAST_1");
}

#define CR	ra_check_cluster_region, "cluster-region"
#define RM	ra_check_replica_members, "replica-members"
#define BP	ra_check_backup_pitr, "backup-pitr"
#define BC	ra_check_backup_copy_region, "backup-copy-region"
#define BS	ra_check_backup_snapshot_region, "backup-snapshot-region"
#define KR	ra_check_kms_region, "kms-region"
#define SN	ra_check_search_node_region, "search-node-region"
#define PE	ra_check_private_endpoint, "private-endpoint"
#define TM	ra_check_tier_minimum, "tier-minimum"
#define D	RA_PLANE_DATA
#define C	RA_PLANE_CONTROL
#define S	RA_PLANE_SHARED

static const struct tcase cases[] = {
	/* cluster-region */
	{ "cr pass", s_rs_eu, D, 0, CR, "cluster/c0", RA_PASS,
	  "aws:eu-west-1 (3 electable)", NULL, "raw/cluster-c0.json", 1 },
	{ "cr analytics us", s_analytics_us, D, 0, CR, "cluster/c0", RA_FAIL,
	  "aws:eu-west-1 (3 electable), aws:us-east-1 (1 analytics)",
	  "analytics node outside the allowed regions", NULL, 1 },
	{ "cr analytics us nodeCount 0", s_analytics_us_zero, D, 0, CR,
	  "cluster/c0", RA_PASS, "aws:eu-west-1 (3 electable)", NULL, NULL,
	  1 },
	{ "cr geosharded shard 2 us", s_geosharded, D, 0, CR, "cluster/c0",
	  RA_FAIL, "aws:us-east-1 (1 read-only)", "read-only node outside",
	  NULL, 1 },
	{ "cr tenant eu", s_tenant_eu, D, 0, CR, "cluster/c0", RA_PASS,
	  "aws:eu-west-1 (3 electable)", NULL, NULL, 1 },
	{ "cr tenant us", s_tenant_us, D, 0, CR, "cluster/c0", RA_FAIL,
	  "aws:us-east-1", "electable nodes outside", NULL, 1 },
	{ "cr flex eu", s_flex_eu, D, 0, CR, "cluster/c0", RA_PASS,
	  "aws:eu-west-1 (flex)", NULL, NULL, 1 },
	{ "cr serverless us", s_serverless_us, D, 0, CR, "cluster/c0",
	  RA_FAIL, "aws:us-east-1 (serverless)", "serverless node outside",
	  NULL, 1 },
	{ "cr unknown region", s_unknown_region, D, 0, CR, "cluster/c0",
	  RA_ERROR, NULL, "\"EU_WEST_9\"", "raw/cluster-c0.json", 1 },
	{ "cr region without cedar", s_no_cedar_region, D, 0, CR,
	  "cluster/c0", RA_ERROR, NULL, "\"CN_NORTH_1\"", NULL, 1 },
	{ "cr unknown provider", s_mars, D, 0, CR, "cluster/c0", RA_ERROR,
	  NULL, "unknown provider \"MARS\"", NULL, 1 },
	{ "cr no clusters", s_none, D, 0, CR, "project", RA_SKIPPED, NULL,
	  "no clusters", NULL, 1 },
	{ "cr flex listing failed", s_listing_failed, D, 0, CR, "project",
	  RA_ERROR, NULL, "Flex clusters: HTTP 403",
	  "raw/flex-403.meta.json", 1 },
	{ "cr listing partial", s_listing_partial, D, 0, CR, "project",
	  RA_ERROR, NULL, "Clusters: page 2 lost", "raw/clusters-p1.json", 1 },
	{ "cr two clusters", s_two_clusters, D, 0, CR, "cluster/f1", RA_FAIL,
	  "aws:us-east-1 (flex)", NULL, NULL, 2 },

	/* replica-members */
	{ "rm control 3+2", s_cp_3_2, C, 1, RM, "cluster/c0", RA_PASS,
	  "aws:eu-central-1 (2 electable), aws:eu-west-1 (3 electable)", NULL,
	  NULL, 1 },
	{ "rm control one region", s_cp_one_region, C, 1, RM, "cluster/c0",
	  RA_FAIL, NULL, "1 allowed region", NULL, 1 },
	{ "rm control second outside", s_cp_second_outside, C, 1, RM,
	  "cluster/c0", RA_FAIL, NULL, "1 allowed region", NULL, 1 },
	{ "rm control read-only second", s_cp_readonly_second, C, 1, RM,
	  "cluster/c0", RA_FAIL, NULL, "1 allowed region", NULL, 1 },
	{ "rm data one region", s_rs_eu, D, 0, RM, "cluster/c0", RA_PASS,
	  NULL, NULL, NULL, 1 },
	{ "rm data two regions", s_cp_3_2, D, 0, RM, "cluster/c0", RA_FAIL,
	  NULL, "data plane: nodes in 2 regions", NULL, 1 },
	{ "rm shared two regions", s_cp_3_2, S, 0, RM, "cluster/c0", RA_FAIL,
	  NULL, "shared plane", NULL, 1 },
	{ "rm data analytics elsewhere", s_analytics_us, D, 0, RM,
	  "cluster/c0", RA_FAIL, NULL, "2 regions", NULL, 1 },
	{ "rm flex", s_flex_eu, D, 0, RM, "cluster/c0", RA_PASS, NULL,
	  "single-region by construction", NULL, 1 },
	{ "rm serverless control", s_serverless_us, C, 1, RM, "cluster/c0",
	  RA_PASS, NULL, "single-region by construction", NULL, 1 },
	{ "rm unknown region", s_unknown_region, D, 0, RM, "cluster/c0",
	  RA_ERROR, NULL, "EU_WEST_9", NULL, 1 },

	/* backup-pitr */
	{ "bp on", s_rs_eu, D, 0, BP, "cluster/c0", RA_PASS,
	  "cloud backup on, PITR on", NULL, NULL, 1 },
	{ "bp pitr off", s_pitr_off, D, 0, BP, "cluster/c0", RA_FAIL,
	  "PITR off", "PITR", NULL, 1 },
	{ "bp backup off", s_backup_off, D, 0, BP, "cluster/c0", RA_FAIL,
	  "cloud backup off", "cloud backup is off", NULL, 1 },
	{ "bp unknown", s_pitr_unknown, D, 0, BP, "cluster/c0", RA_ERROR,
	  NULL, "pitEnabled", NULL, 1 },
	{ "bp flex", s_flex_eu, D, 0, BP, "cluster/c0", RA_FAIL, NULL,
	  "lack continuous backup (PITR)", NULL, 1 },
	{ "bp serverless", s_serverless_us, D, 0, BP, "cluster/c0", RA_FAIL,
	  NULL, "serverless clusters lack", NULL, 1 },

	/* backup-copy-region */
	{ "bc none", s_rs_eu, D, 0, BC, "cluster/c0", RA_PASS,
	  "no copy settings", NULL, "raw/backup-schedule-c0.json", 1 },
	{ "bc eu", s_copy_eu, D, 0, BC, "cluster/c0", RA_PASS,
	  "aws:eu-central-1", NULL, NULL, 1 },
	{ "bc us", s_copy_us, D, 0, BC, "cluster/c0", RA_FAIL,
	  "aws:eu-central-1, aws:us-east-1", "aws:us-east-1", NULL, 1 },
	{ "bc unknown", s_copy_unknown, D, 0, BC, "cluster/c0", RA_ERROR,
	  NULL, "EU_NOWHERE_1", NULL, 1 },
	{ "bc backup off", s_backup_off, D, 0, BC, "cluster/c0", RA_SKIPPED,
	  NULL, "cloud backup is off", NULL, 1 },
	{ "bc schedule bad", s_schedule_failed, D, 0, BC, "cluster/c0",
	  RA_ERROR, NULL, "Backup schedule: truncated JSON",
	  "raw/schedule-bad.json", 1 },
	{ "bc flex", s_flex_eu, D, 0, BC, "cluster/c0", RA_SKIPPED, NULL,
	  "no backup copy settings", NULL, 1 },

	/* backup-snapshot-region */
	{ "bs none", s_rs_eu, D, 0, BS, "cluster/c0", RA_PASS,
	  "copy regions: none; auto-export off", NULL,
	  "raw/backup-snapshots-c0.json", 1 },
	{ "bs eu", s_snap_eu, D, 0, BS, "cluster/c0", RA_PASS,
	  "2 snapshots, copy regions: aws:eu-central-1", NULL, NULL, 1 },
	{ "bs us", s_snap_us, D, 0, BS, "cluster/c0", RA_FAIL,
	  "aws:eu-central-1, aws:us-east-1", "snapshot snap2 is copied to "
	  "aws:us-east-1", NULL, 1 },
	{ "bs backup off", s_backup_off, D, 0, BS, "cluster/c0", RA_SKIPPED,
	  NULL, "cloud backup is off", NULL, 1 },
	{ "bs export aws eu", s_export_aws_eu, D, 0, BS, "cluster/c0",
	  RA_PASS, "auto-export to bucket b1 (aws:eu-west-1)", NULL,
	  "raw/export-buckets.json", 1 },
	{ "bs export aws us", s_export_aws_us, D, 0, BS, "cluster/c0",
	  RA_FAIL, "(aws:us-east-1)", "outside the allowed regions", NULL, 1 },
	{ "bs export gcp", s_export_gcp, D, 0, BS, "cluster/c0", RA_FAIL,
	  NULL, "(GCP): its region cannot be established", NULL, 1 },
	{ "bs export azure", s_export_azure, D, 0, BS, "cluster/c0", RA_FAIL,
	  NULL, "(AZURE): its region cannot be established", NULL, 1 },
	{ "bs export missing", s_export_missing, D, 0, BS, "cluster/c0",
	  RA_FAIL, NULL, "b9 is not among the project's export buckets",
	  NULL, 1 },
	{ "bs export buckets failed", s_export_buckets_failed, D, 0, BS,
	  "cluster/c0", RA_ERROR, NULL, "Snapshot export buckets: HTTP 429",
	  "raw/export-buckets-429.meta.json", 1 },
	{ "bs export native unknown", s_export_unknown_native, D, 0, BS,
	  "cluster/c0", RA_ERROR, NULL, "\"eu-nowhere-3\"", NULL, 1 },
	{ "bs snapshots partial", s_snapshots_partial, D, 0, BS, "cluster/c0",
	  RA_ERROR, NULL, "Backup snapshots: page 3 lost",
	  "raw/snapshots-p2.json", 1 },
	{ "bs auto-export unknown", s_auto_export_unknown, D, 0, BS,
	  "cluster/c0", RA_ERROR, NULL, "autoExportEnabled", NULL, 1 },
	{ "bs schedule bad", s_schedule_failed, D, 0, BS, "cluster/c0",
	  RA_ERROR, NULL, "Backup schedule", NULL, 1 },
	{ "bs flex", s_flex_eu, D, 0, BS, "cluster/c0", RA_SKIPPED, NULL,
	  "flex cluster", NULL, 1 },

	/* kms-region */
	{ "kms aws arn ok", s_kms_aws_ok, D, 0, KR, "cluster/c0", RA_PASS,
	  "aws:eu-west-1", NULL, "raw/encryption-at-rest.json", 1 },
	{ "kms aws uuid ok", s_kms_aws_uuid_ok, D, 0, KR, "cluster/c0",
	  RA_PASS, "enabled, valid", NULL, NULL, 1 },
	{ "kms arn mismatch", s_kms_arn_mismatch, D, 0, KR, "cluster/c0",
	  RA_FAIL, NULL, "ARN names region us-east-1 but awsKms.region is "
	  "EU_WEST_1", NULL, 1 },
	{ "kms not own region", s_kms_other_region, D, 0, KR, "cluster/c0",
	  RA_FAIL, NULL, "not in the cluster's region aws:eu-west-1", NULL,
	  1 },
	{ "kms us", s_kms_us, D, 0, KR, "cluster/c0", RA_FAIL, NULL,
	  "aws:us-east-1, outside the allowed regions", NULL, 1 },
	{ "kms multi-region ok", s_kms_multi_ok, D, 0, KR, "cluster/c0",
	  RA_PASS, NULL, NULL, NULL, 1 },
	{ "kms none", s_kms_none, D, 0, KR, "cluster/c0", RA_FAIL, NULL,
	  "no customer-managed key", NULL, 1 },
	{ "kms absent", s_kms_absent, D, 0, KR, "cluster/c0", RA_FAIL, NULL,
	  "no customer-managed key", NULL, 1 },
	{ "kms FOO", s_kms_foo, D, 0, KR, "cluster/c0", RA_ERROR, NULL,
	  "unknown encryptionAtRestProvider \"FOO\"", NULL, 1 },
	{ "kms disabled", s_kms_disabled, D, 0, KR, "cluster/c0", RA_FAIL,
	  NULL, "disabled", NULL, 1 },
	{ "kms invalid", s_kms_invalid, D, 0, KR, "cluster/c0", RA_FAIL, NULL,
	  "not valid", NULL, 1 },
	{ "kms key absent", s_kms_key_absent, D, 0, KR, "cluster/c0", RA_FAIL,
	  NULL, "no AWS KMS key configured", NULL, 1 },
	{ "kms ear failed", s_kms_ear_failed, D, 0, KR, "cluster/c0",
	  RA_ERROR, NULL, "Encryption at rest (customer keys): HTTP 403",
	  "raw/ear-403.meta.json", 1 },
	{ "kms gcp global", s_kms_gcp_global, D, 0, KR, "cluster/c0", RA_FAIL,
	  NULL, "location \"global\" cannot be established", NULL, 1 },
	{ "kms gcp europe", s_kms_gcp_europe, D, 0, KR, "cluster/c0",
	  RA_FAIL, NULL, "location \"europe\"", NULL, 1 },
	{ "kms gcp ok", s_kms_gcp_ok, D, 0, KR, "cluster/c0", RA_PASS,
	  "gcp:europe-west1", NULL, NULL, 1 },
	{ "kms azure", s_kms_azure, D, 0, KR, "cluster/c0", RA_FAIL, NULL,
	  "region cannot be established", NULL, 1 },
	{ "kms flex", s_flex_eu, D, 0, KR, "cluster/c0", RA_FAIL, NULL,
	  "cannot use customer keys", NULL, 1 },
	{ "kms unknown cluster region", s_unknown_region, D, 0, KR,
	  "cluster/c0", RA_FAIL, NULL, "no customer-managed key", NULL, 1 },

	/* search-node-region */
	{ "sn eu", s_search_eu, D, 0, SN, "cluster/c0", RA_PASS,
	  "aws:eu-west-1 (2 search)", NULL, "raw/search-deployment-c0.json",
	  1 },
	{ "sn us", s_search_us, D, 0, SN, "cluster/c0", RA_FAIL, NULL,
	  "aws:us-east-1", NULL, 1 },
	{ "sn none", s_rs_eu, D, 0, SN, "cluster/c0", RA_SKIPPED, NULL,
	  "no dedicated search nodes", NULL, 1 },
	{ "sn us nodeCount 0", s_search_us_zero, D, 0, SN, "cluster/c0",
	  RA_SKIPPED, NULL, "no dedicated search nodes", NULL, 1 },
	{ "sn failed", s_search_failed, D, 0, SN, "cluster/c0", RA_ERROR,
	  NULL, "Dedicated search nodes: HTTP 500", "raw/search-500.meta.json",
	  1 },
	{ "sn flex", s_flex_eu, D, 0, SN, "cluster/c0", RA_SKIPPED, NULL,
	  "flex cluster", NULL, 1 },

	/* private-endpoint */
	{ "pe ok", s_pe_ok, D, 0, PE, "cluster/c0", RA_PASS, "pe1", NULL,
	  "raw/private-endpoints-aws.json", 1 },
	{ "pe other region", s_pe_other_region, D, 0, PE, "cluster/c0",
	  RA_FAIL, NULL, "no AVAILABLE private endpoint", NULL, 1 },
	{ "pe initiating", s_pe_initiating, D, 0, PE, "cluster/c0", RA_FAIL,
	  "INITIATING", NULL, NULL, 1 },
	{ "pe wrong provider", s_pe_wrong_provider, D, 0, PE, "cluster/c0",
	  RA_FAIL, NULL, NULL, NULL, 1 },
	{ "pe aws failed", s_pe_aws_failed, D, 0, PE, "cluster/c0", RA_ERROR,
	  NULL, "Private endpoint services (AWS): HTTP 403",
	  "raw/pe-aws-403.meta.json", 1 },
	{ "pe gcp failed, not needed", s_pe_gcp_failed_unneeded, D, 0, PE,
	  "cluster/c0", RA_PASS, NULL, NULL, NULL, 1 },
	{ "pe multi-provider", s_pe_multi_provider, D, 0, PE, "cluster/c0",
	  RA_PASS, "GCP endpoint service pe9", NULL, NULL, 1 },
	{ "pe serverless", s_serverless_us, D, 0, PE, "cluster/c0", RA_FAIL,
	  NULL, "cannot use private endpoints", NULL, 1 },
	{ "pe unknown region", s_unknown_region, D, 0, PE, "cluster/c0",
	  RA_ERROR, NULL, "EU_WEST_9", NULL, 1 },

	/* tier-minimum */
	{ "tm M10", s_tier_m10, D, 0, TM, "cluster/c0", RA_PASS, "M10", NULL,
	  "raw/cluster-c0.json", 1 },
	{ "tm M30", s_rs_eu, D, 0, TM, "cluster/c0", RA_PASS, "M30", NULL,
	  NULL, 1 },
	{ "tm R40", s_tier_r40, D, 0, TM, "cluster/c0", RA_PASS, "R40", NULL,
	  NULL, 1 },
	{ "tm M40_NVME", s_tier_nvme, D, 0, TM, "cluster/c0", RA_PASS, NULL,
	  NULL, NULL, 1 },
	{ "tm M200_LOWCPU", s_tier_lowcpu, D, 0, TM, "cluster/c0", RA_PASS,
	  NULL, NULL, NULL, 1 },
	{ "tm M5", s_tier_m5, D, 0, TM, "cluster/c0", RA_FAIL, "M5", "M5",
	  NULL, 1 },
	{ "tm tenant M0", s_tenant_eu, D, 0, TM, "cluster/c0", RA_FAIL, "M0",
	  NULL, NULL, 1 },
	{ "tm shard 2 M2", s_tier_shard2_m2, D, 0, TM, "cluster/c0", RA_FAIL,
	  "M30, M2", "M2", NULL, 1 },
	{ "tm X10", s_tier_bad, D, 0, TM, "cluster/c0", RA_ERROR, NULL,
	  "\"X10\"", NULL, 1 },
	{ "tm M10_", s_tier_bad2, D, 0, TM, "cluster/c0", RA_ERROR, NULL,
	  "\"M10_\"", NULL, 1 },
	{ "tm absent", s_tier_null, D, 0, TM, "cluster/c0", RA_ERROR, NULL,
	  "(absent)", NULL, 1 },
	{ "tm flex", s_flex_eu, D, 0, TM, "cluster/c0", RA_FAIL, NULL,
	  "not a dedicated tier", NULL, 1 },
	{ "tm no clusters", s_none, D, 0, TM, "project", RA_SKIPPED, NULL,
	  "no clusters", NULL, 1 },
};

static void
run_case(const struct tcase *tc)
{
	struct ra_model *m = fx_model("65def6ce0f722a1507105aa5");
	struct ra_project *p = fx_project(m, PID, "sv0-data-plane-eu-prod");
	struct ra_scope sc;
	struct ra_ctx ctx;
	struct ra_findings fs = { NULL, 0, 0 };
	const struct ra_finding *f;

	tc->setup(p);
	sc = tc->cp2 ? fx_scope(p, "eu", tc->plane, CP2, 2) :
	    fx_scope(p, "eu", tc->plane, EU3, 5);
	ctx = fx_ctx(m, NULL, &sc, 1);
	tc->fn(&ctx, &fs);
	f = fx_find(&fs, tc->control, tc->resource);
	if (f == NULL)
		fail_msg("%s: no single %s finding at %s (%zu findings)",
		    tc->name, tc->control, tc->resource, fs.n);
	if (tc->nfindings != 0 && fs.n != tc->nfindings)
		fail_msg("%s: %zu findings, expected %zu", tc->name, fs.n,
		    tc->nfindings);
	if (f->status != tc->status)
		fail_msg("%s: status %s, expected %s (detail: %s)", tc->name,
		    ra_status_name(f->status), ra_status_name(tc->status),
		    f->detail ? f->detail : "(none)");
	if (tc->obs != NULL && (f->observed == NULL ||
	    strstr(f->observed, tc->obs) == NULL))
		fail_msg("%s: observed \"%s\" lacks \"%s\"", tc->name,
		    f->observed ? f->observed : "(null)", tc->obs);
	if (tc->detail != NULL && (f->detail == NULL ||
	    strstr(f->detail, tc->detail) == NULL))
		fail_msg("%s: detail \"%s\" lacks \"%s\"", tc->name,
		    f->detail ? f->detail : "(null)", tc->detail);
	if (tc->ev != NULL && !fx_has_ev(f, tc->ev))
		fail_msg("%s: evidence lacks %s", tc->name, tc->ev);
	/* Every finding carries the scope's project and jurisdiction. */
	for (size_t i = 0; i < fs.n; i++) {
		assert_string_equal(fs.v[i].project_id, PID);
		assert_string_equal(fs.v[i].jurisdiction, "eu");
		assert_true(fs.v[i].nevidence > 0);
		if (fs.v[i].status != RA_PASS && fs.v[i].status != RA_SKIPPED)
			assert_non_null(fs.v[i].detail);
	}
	ra_findings_free(&fs);
	fx_free_all();
}

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* The same unusable piece of evidence: ERROR for exactly the controls
 * that read it, PASS/SKIPPED for the others. */
static void
test_error_only_where_needed(void **state)
{
	static const struct {
		ra_check_fn fn;
		const char *id;
	} all[] = { { CR }, { RM }, { BP }, { BC }, { BS }, { KR }, { SN },
	    { PE }, { TM } };
	static const struct {
		const char *what;
		const char *needed_by;	/* space-separated control ids */
	} pieces[] = {
		{ "schedule", " backup-copy-region backup-snapshot-region " },
		{ "snapshots", " backup-snapshot-region " },
		{ "search", " search-node-region " },
		{ "ear", " kms-region " },
		{ "pe-aws", " private-endpoint " },
		{ "clusters", " cluster-region replica-members backup-pitr "
		  "backup-copy-region backup-snapshot-region kms-region "
		  "search-node-region private-endpoint tier-minimum " },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		for (size_t j = 0; j < sizeof(all) / sizeof(all[0]); j++) {
			struct ra_model *m = fx_model("65def6ce0f722a1507105aa5");
			struct ra_project *p = fx_project(m, PID, "x");
			struct ra_cluster *c;
			struct ra_findings fs = { NULL, 0, 0 };
			struct ra_scope sc;
			struct ra_ctx ctx;
			struct ra_ev *ev = NULL;
			char needle[64];
			int need;

			c = rs_eu(p);
			c->ear_provider = fx_str("AWS");
			fx_key(p, "AWS", "k", "EU_WEST_1", 1, 1);
			fx_pe(p, RA_PE_AWS, "pe1", "EU_WEST_1", "AVAILABLE");
			fx_search(c, "AWS", "EU_WEST_1", 2);
			if (strcmp(pieces[i].what, "schedule") == 0)
				ev = &c->schedule.ev;
			else if (strcmp(pieces[i].what, "snapshots") == 0)
				ev = &c->snapshots.ev;
			else if (strcmp(pieces[i].what, "search") == 0)
				ev = &c->search.ev;
			else if (strcmp(pieces[i].what, "ear") == 0)
				ev = &p->ear.ev;
			else if (strcmp(pieces[i].what, "pe-aws") == 0)
				ev = &p->pe[RA_PE_AWS].ev;
			else
				ev = &p->clusters_ev;
			fx_ev(ev, RA_EV_FAILED, "HTTP 403", "raw/x.meta.json");
			sc = fx_scope(p, "eu", RA_PLANE_DATA, EU3, 5);
			ctx = fx_ctx(m, NULL, &sc, 1);
			all[j].fn(&ctx, &fs);
			snprintf(needle, sizeof(needle), " %s ", all[j].id);
			need = strstr(pieces[i].needed_by, needle) != NULL;
			assert_int_equal(fs.n, 1);
			if (need) {
				if (fs.v[0].status != RA_ERROR)
					fail_msg("%s unusable: %s is %s", pieces[i].what,
					    all[j].id, ra_status_name(fs.v[0].status));
				assert_true(fx_has_ev(&fs.v[0], "raw/x.meta.json"));
			} else if (fs.v[0].status != RA_PASS)
				fail_msg("%s unusable: %s is %s (%s)",
				    pieces[i].what, all[j].id,
				    ra_status_name(fs.v[0].status),
				    fs.v[0].detail ? fs.v[0].detail : "");
			ra_findings_free(&fs);
			fx_free_all();
		}
	}
}

/* ctl_common: resolution, lookups and formatting. */
static void
test_common(void **state)
{
	char why[128];
	struct ra_model *m = fx_model("65def6ce0f722a1507105aa5");
	struct ra_project *p = fx_project(m, PID, "x");
	struct ra_scope sc = fx_scope(p, "eu", RA_PLANE_DATA, EU3, 5);
	char *s;

	(void)state;
	assert_string_equal(ra_ctl_cedar("aws", "EU_WEST_1", why,
	    sizeof(why)), "aws:eu-west-1");
	assert_string_equal(ra_ctl_cedar("GCP", "WESTERN_EUROPE", why,
	    sizeof(why)), "gcp:europe-west1");
	assert_null(ra_ctl_cedar("TENANT", "EU_WEST_1", why, sizeof(why)));
	assert_non_null(strstr(why, "\"TENANT\""));
	assert_null(ra_ctl_cedar("AWS", NULL, why, sizeof(why)));
	assert_null(ra_ctl_cedar("AWS", "CN_NORTH_1", why, sizeof(why)));
	assert_non_null(strstr(why, "CN_NORTH_1"));
	assert_true(ra_ctl_allowed(&sc, "aws:eu-west-2"));
	assert_false(ra_ctl_allowed(&sc, "aws:eu-west-3"));
	assert_false(ra_ctl_allowed(&sc, ""));
	assert_false(ra_ctl_allowed(&sc, NULL));
	s = ra_ctl_allowed_str(&sc);
	assert_string_equal(s, "aws:eu-central-1, aws:eu-west-1, "
	    "aws:eu-west-2, azure:westeurope, gcp:europe-west1");
	free(s);
	s = ra_ctl_join(NULL, 0);
	assert_string_equal(s, "");
	free(s);
	fx_free_all();
}

/* Node counts are summed over shards and sorted by region. */
static void
test_nodes_sum(void **state)
{
	struct ra_model *m = fx_model("65def6ce0f722a1507105aa5");
	struct ra_project *p = fx_project(m, PID, "x");
	struct ra_cluster *c = fx_dedicated(p, "c0");
	struct ra_ctl_nodes n;
	char why[128], *s;

	(void)state;
	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 1, 0, "M30");
	fx_rc(c, 1, "AWS", NULL, "EU_WEST_1", 3, 0, 2, "M30");
	fx_rc(c, 1, "AWS", NULL, "EU_CENTRAL_1", 0, 0, 0, "M30");
	fx_rc(c, 2, "AWS", NULL, "EU_CENTRAL_1", 2, 0, 0, "M30");
	assert_int_equal(ra_ctl_nodes(&n, c, why, sizeof(why)), 0);
	s = ra_ctl_nodes_str(&n, c->kind);
	assert_string_equal(s, "aws:eu-central-1 (2 electable), "
	    "aws:eu-west-1 (6 electable, 1 read-only, 2 analytics)");
	free(s);
	ra_ctl_nodes_free(&n);
	fx_free_all();
}

/* Hostile cluster names stay verbatim in the resource (escaping is the
 * renderer's job) and never crash the controls. */
static void
test_hostile_name(void **state)
{
	struct ra_model *m = fx_model("65def6ce0f722a1507105aa5");
	struct ra_project *p = fx_project(m, PID, "x|<b>");
	struct ra_cluster *c = fx_dedicated(p, "../a|b`\n<script>");
	struct ra_findings fs = { NULL, 0, 0 };
	struct ra_scope sc = fx_scope(p, "eu", RA_PLANE_DATA, EU3, 5);
	struct ra_ctx ctx;

	(void)state;
	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
	ctx = fx_ctx(NULL, NULL, &sc, 1);
	ra_check_cluster_region(&ctx, &fs);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.v[0].resource, "cluster/../a|b`\n<script>");
	assert_string_equal(fs.v[0].project_name, "x|<b>");
	ra_findings_free(&fs);
	fx_free_all();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_error_only_where_needed),
		cmocka_unit_test(test_common),
		cmocka_unit_test(test_nodes_sum),
		cmocka_unit_test(test_hostile_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
