/*
 * controls.h: one function per control of CONTRACT §5, each in its own
 * file checks/ctl_<id with '_' for '-'>.c. The registry (registry.c)
 * lists them in CONTRACT order.
 *
 * Common conventions for every control:
 * - Findings carry the scope's project id, name and jurisdiction
 *   (NULL jurisdiction: org level or unclassified, goes into every report).
 * - Evidence that is not usable (ra_ev_usable false) gives ERROR with
 *   detail "<endpoint title>: <ev.reason>" and the ev's refs as evidence;
 *   never PASS.
 * - A region name the catalogue does not know (or knows without a Cedar
 *   id) gives ERROR naming the value.
 * - expected/observed are short and human: regions as Cedar ids, sorted,
 *   ", "-separated; node counts by type, e.g.
 *   "aws:eu-west-1 (3 electable), aws:us-east-1 (1 analytics)".
 */
#ifndef RA_CONTROLS_H
#define RA_CONTROLS_H

#include "checks.h"

void ra_check_project_classified(const struct ra_ctx *, struct ra_findings *);
void ra_check_resource_policy(const struct ra_ctx *, struct ra_findings *);
void ra_check_non_compliant_resources(const struct ra_ctx *, struct ra_findings *);
void ra_check_terraform_policy_drift(const struct ra_ctx *, struct ra_findings *);
void ra_check_cluster_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_replica_members(const struct ra_ctx *, struct ra_findings *);
void ra_check_backup_pitr(const struct ra_ctx *, struct ra_findings *);
void ra_check_backup_copy_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_backup_snapshot_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_export_bucket_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_kms_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_audit_log_local(const struct ra_ctx *, struct ra_findings *);
void ra_check_search_node_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_online_archive_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_data_federation_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_stream_processing_region(const struct ra_ctx *, struct ra_findings *);
void ra_check_private_endpoint(const struct ra_ctx *, struct ra_findings *);
void ra_check_tier_minimum(const struct ra_ctx *, struct ra_findings *);
void ra_check_app_log_destination(const struct ra_ctx *, struct ra_findings *);
void ra_check_data_plane_endpoint(const struct ra_ctx *, struct ra_findings *);
void ra_check_tenant_placement(const struct ra_ctx *, struct ra_findings *);
void ra_check_connector_key_region(const struct ra_ctx *, struct ra_findings *);

#endif
