/*
 * collect.h: the collector (ARCHITECTURE: collect). Walks the endpoint
 * table for the org and every project in scope and writes each exchange
 * into <pack_dir>/raw/ per raw.h:
 *
 *   org scope      every RA_SCOPE_ORG endpoint
 *   project scope  every RA_SCOPE_PROJECT endpoint, for each project of
 *                  the org listing named by the inventory (id or name) or
 *                  tagged <tagKey>: <a jurisdiction key>; inventory
 *                  projects absent from the listing are not fetched (the
 *                  model reports them)
 *   cluster scope  for each cluster of a project's dedicated "clusters"
 *                  listing, every RA_SCOPE_CLUSTER endpoint whose flags
 *                  fit (backupEnabled, clusterType)
 *
 * Work starts as soon as the page that names it arrives, not level by
 * level. Listings are paged (itemsPerPage=500, includeCount=true,
 * pageNum=N) and follow same-origin `next` links, with loop guards.
 * Bodies are spooled to <pack_dir>/.spool as they arrive (memory holds
 * only the in-flight bodies and the small metadata); at the end records
 * get canonical sequence numbers (raw.h) from 1 and are written with
 * ra_raw_write. A failed request is a record like any other; the run
 * goes on.
 */
#ifndef RA_COLLECT_H
#define RA_COLLECT_H

#include "atlas.h"
#include "inventory.h"

struct ra_collect_opts {
	struct ra_atlas_opts	 atlas;		/* base URL, auth, limits */
	const struct ra_inventory *inv;
	int			 progress;	/* -1 auto, 0 off, 1 on */
};

struct ra_collect_result {
	unsigned long	 requests;	/* records written */
	unsigned long	 failed;	/* records whose outcome is not ok */
	unsigned long	 retried;	/* extra attempts */
	unsigned long	 r429;		/* 429 answers seen */
	unsigned long	 incomplete;	/* listings not fully fetched */
	unsigned	 next_seq;	/* first sequence number not used */
	int		 auth_failed;	/* credentials refused: exit 3 */
	char		 auth_error[256];
};

/*
 * Collects into pack_dir (which exists). Returns 0 when raw/ was
 * written (whatever the HTTP outcomes; see res->auth_failed), -1 with a
 * one-line reason in err on a local failure (client setup, spool or raw/
 * write).
 */
int	ra_collect(struct ra_collect_result *res,
	    const struct ra_collect_opts *o, const char *pack_dir,
	    char *err, size_t errsz);

#endif
