/*
 * endpoints.h: the one table of Atlas Admin API v2 endpoints the tool
 * reads (ARCHITECTURE: "One table of endpoints"). The collector walks it,
 * the model maps raw records back to it by `id`, the simulator and its
 * tests serve it, and the pack's method section lists it.
 *
 * Invariant: ids are unique, stable across versions (they are written
 * into raw/ metadata), and the table is in collection order.
 */
#ifndef RA_ENDPOINTS_H
#define RA_ENDPOINTS_H

#include <stddef.h>

enum ra_scope_kind {
	RA_SCOPE_ORG,		/* path has {orgId} */
	RA_SCOPE_PROJECT,	/* path has {groupId} */
	RA_SCOPE_CLUSTER	/* path has {groupId} and {clusterName} */
};

enum ra_shape {
	RA_SHAPE_OBJECT,	/* one JSON object */
	RA_SHAPE_PAGED,		/* {results, totalCount, links}; follow next */
	RA_SHAPE_ARRAY		/* a bare JSON array, no pagination */
};

/* Flags of an endpoint. */
#define RA_EP_404_NONE		0x01	/* 404 means "none configured", not an error */
#define RA_EP_NEEDS_BACKUP	0x02	/* only for clusters with backupEnabled */
#define RA_EP_DEDICATED		0x04	/* only for dedicated clusters */
#define RA_EP_REPLICASET	0x08	/* only for clusterType REPLICASET */
#define RA_EP_SHARDED		0x10	/* only for SHARDED and GEOSHARDED */

struct ra_endpoint {
	const char	*id;		/* stable key, e.g. "clusters" */
	enum ra_scope_kind scope;
	const char	*path;		/* template under /api/atlas/v2 */
	const char	*version;	/* media-type date, e.g. "2024-08-05" */
	enum ra_shape	 shape;
	unsigned	 flags;
	const char	*title;		/* human name for the method section */
};

extern const struct ra_endpoint	ra_endpoints[];
extern const size_t		ra_nendpoints;

/* NULL when unknown. */
const struct ra_endpoint *ra_endpoint_find(const char *id);
/* Index in ra_endpoints (collection and sort order), or -1. */
int	ra_endpoint_index(const char *id);

/*
 * Expands the endpoint's path with the ids given (each percent-encoded;
 * NULL where the scope has none) into "/api/atlas/v2/...". malloc'd.
 */
char	*ra_endpoint_path(const struct ra_endpoint *ep, const char *org_id,
	    const char *group_id, const char *cluster);

/* "application/vnd.atlas.<version>+json" into out (at least 48 bytes). */
void	ra_endpoint_accept(const struct ra_endpoint *ep, char *out, size_t outsz);

#endif
