/*
 * cedar_int.h: internals of cedar.c exposed for the unit tests, which
 * re-evaluate the parsed policies on a reported witness.
 */
#ifndef RA_CEDAR_INT_H
#define RA_CEDAR_INT_H

#include <stddef.h>

/* Cluster-change actions: a request for any of them is "the" cluster
   change (create and edit are one action in the legacy dialect). */
#define RA_CEDAR_MAX_DEPTH	64

/*
 * Evaluates every policy of `body` for one concrete request: a cluster
 * change (cluster.create / cluster.modify / cluster.createEdit) of the
 * cluster `cluster_id` (NULL: a new cluster that no policy names) of
 * project `project_id` whose regions are the Cedar ids
 * `regions` (n > 0; providers derived from the ids), by a principal that
 * no policy names. Sets *forbidden to 1 when some forbid policy surely
 * applies, 0 when none does, and *undecided to 1 when some policy's
 * condition could not be decided (unknown attribute). Returns 0, or -1
 * when the body does not parse (message in err).
 */
int	ra_cedar_eval_request(const char *body, const char *project_id,
	    const char *cluster_id, const char *const *regions, size_t n, int *forbidden,
	    int *undecided, char *err, size_t errsz);

#endif
