/*
 * ctl_common.h: helpers every control uses (the conventions of
 * controls.h in one place). Pure functions of their arguments; strings
 * returned as `char *` are malloc'd and owned by the caller, `const char *`
 * results point into the region catalogue (static) or the arguments.
 */
#ifndef RA_CTL_COMMON_H
#define RA_CTL_COMMON_H

#include <stddef.h>

#include "checks.h"
#include "controls.h"
#include "regions.h"

/*
 * Resolves an Atlas region (provider as Atlas writes it: "AWS", "AZURE",
 * "GCP", any case; region as the Atlas enum) to its Cedar id, a static
 * string of the catalogue. NULL when the provider is absent or unknown,
 * the region is absent, the pair is not in the catalogue or the row has
 * no Cedar id: then, when why != NULL, a one-line reason naming the value
 * is written there, e.g.
 *   unknown region "EU_WEST_9" of provider "AWS"
 * Callers turn NULL into ERROR (controls.h), never into a guess.
 */
const char *ra_ctl_cedar(const char *provider, const char *region,
	    char *why, size_t whysz);

/*
 * ra_ctl_cedar for a Data Federation or Streams region value (city name,
 * Azure native name, GCP upper-case form, or Atlas enum), resolved
 * through ra_region_by_city(product, ...); same NULL cases and reasons.
 */
const char *ra_ctl_city_cedar(const char *product, const char *provider,
	    const char *region, char *why, size_t whysz);

/* Lower-case Cedar provider ("aws", "azure", "gcp") of an Atlas provider
 * name (any case), or NULL when it is not one of those three. */
const char *ra_ctl_provider(const char *atlas_provider);

/* 1 when cedar is in the sorted list v[n] (bytewise), else 0. */
int	ra_ctl_in_list(const char *const *v, size_t n, const char *cedar);
/* 1 when cedar is one of the scope's allowed regions. */
int	ra_ctl_allowed(const struct ra_scope *sc, const char *cedar);

/* The n strings of v joined with sep, in the order given (a NULL entry
 * as "", "" when n == 0). malloc'd. */
char	*ra_ctl_join_sep(const char *const *v, size_t n, const char *sep);
/* ra_ctl_join_sep with ", ". */
char	*ra_ctl_join(const char *const *v, size_t n);
/* The scope's allowed regions joined with ", " (for `expected`). */
char	*ra_ctl_allowed_str(const struct ra_scope *sc);

/*
 * Appends a finding carrying the scope's project id, name and
 * jurisdiction; sc == NULL gives an org-level finding (all NULL).
 */
struct ra_finding *ra_ctl_add(struct ra_findings *out, const char *control,
	    enum ra_status status, const struct ra_scope *sc,
	    const char *resource);

/*
 * The standard ERROR for evidence that is not usable: detail
 * "<endpoint_title>: <ev reason or status name>", evidence = ev's refs.
 * Returns the finding so a caller may add further refs (e.g. the
 * cluster's).
 */
struct ra_finding *ra_ctl_error_ev(struct ra_findings *out,
	    const char *control, const struct ra_scope *sc,
	    const char *resource, const char *endpoint_title,
	    const struct ra_ev *ev);

/* "cluster/<name>" (name as received). malloc'd. */
char	*ra_ctl_cluster_resource(const struct ra_cluster *c);

/*
 * Node placement of one cluster, per Cedar region, summed over every
 * replicationSpec (shard) and region config; only nodeCount > 0 counts.
 * TENANT configs count under backingProviderName; flex and serverless
 * clusters count one `other` node in their backing provider and region.
 * Sorted by Cedar id.
 */
struct ra_ctl_place {
	const char	*cedar;		/* static, from the catalogue */
	int		 electable;
	int		 read_only;
	int		 analytics;
	int		 other;		/* flex/serverless backing region */
};

struct ra_ctl_nodes {
	struct ra_ctl_place *v;
	size_t		 n;
};

/*
 * Fills `out` for cluster c. Returns 0, or -1 with a one-line reason in
 * why naming the first value that could not be resolved (unknown provider
 * or region: the control ERRORs; out is emptied).
 */
int	ra_ctl_nodes(struct ra_ctl_nodes *out, const struct ra_cluster *c,
	    char *why, size_t whysz);
void	ra_ctl_nodes_free(struct ra_ctl_nodes *n);
/* "aws:eu-west-1 (3 electable, 1 analytics), aws:us-east-1 (1 read-only)";
 * flex/serverless regions print "(flex)" / "(serverless)" per kind. */
char	*ra_ctl_nodes_str(const struct ra_ctl_nodes *n,
	    enum ra_cluster_kind kind);

/* Endpoint title for an endpoint id (from the endpoint table), or the id
 * itself when unknown. */
const char *ra_ctl_ep_title(const char *endpoint_id);

/*
 * A finding on one cluster: the scope's project, resource
 * "cluster/<name>", and the cluster's own evidence refs (its listing
 * page); callers add the refs of the endpoint they read.
 */
struct ra_finding *ra_ctl_cluster_add(struct ra_findings *out,
	    const char *control, enum ra_status status,
	    const struct ra_scope *sc, const struct ra_cluster *c);

/*
 * ra_ctl_error_ev for one cluster: resource "cluster/<name>", detail
 * "<title of endpoint_id>: <reason>", evidence = the cluster's refs and
 * ev's refs.
 */
struct ra_finding *ra_ctl_cluster_error_ev(struct ra_findings *out,
	    const char *control, const struct ra_scope *sc,
	    const struct ra_cluster *c, const char *endpoint_id,
	    const struct ra_ev *ev);

/*
 * The gate of the controls that read a cluster's cloud backup: a cluster
 * that is not dedicated is SKIPPED ("<kind> cluster: <none>"), an unknown
 * backupEnabled is an ERROR, backup off is SKIPPED ("cloud backup is
 * off: <off>"). Returns 1 after adding that finding, 0 (nothing added)
 * when backup is on and the control goes on.
 */
int	ra_ctl_backup_gate(struct ra_findings *out, const char *control,
	    const struct ra_scope *sc, const struct ra_cluster *c,
	    const char *none, const char *off);

/*
 * Drives a per-cluster control: for every scope whose cluster listings
 * (dedicated, flex, serverless) are all usable and list at least one
 * cluster, fn for every cluster of the project. Otherwise one finding at
 * resource "project": ERROR naming the first unusable listing, or SKIPPED
 * with detail "no clusters".
 */
typedef void (*ra_ctl_cluster_fn)(struct ra_findings *out,
	    const char *control, const struct ra_scope *sc,
	    const struct ra_cluster *c);
void	ra_ctl_each_cluster(const struct ra_ctx *ctx, struct ra_findings *out,
	    const char *control, ra_ctl_cluster_fn fn);

/* "flex", "serverless" or "dedicated". */
const char *ra_ctl_kind_name(enum ra_cluster_kind kind);

#endif
