/*
 * cedar.h: a parser and exact evaluator for the Cedar subset that Atlas
 * resource policies use (both dialects: ResourcePolicy:: and the older
 * cloud::), answering the question of the resource-policy control.
 */
#ifndef RA_CEDAR_H
#define RA_CEDAR_H

#include <stddef.h>

struct ra_cedar_policy_src {
	const char	*policy_name;	/* resource policy name (for messages) */
	const char	*policy_id;	/* policies[].id */
	const char	*body;		/* Cedar text */
};

enum ra_cedar_verdict {
	RA_CEDAR_PROVEN = 0,	/* every out-of-jurisdiction cluster change
				   of the project is forbidden */
	RA_CEDAR_NOT_PROVEN,	/* some region set escapes: see witness */
	RA_CEDAR_UNKNOWN	/* not proven by what parsed, and some policy
				   did not parse (forbid-only: it might) */
};

struct ra_cedar_result {
	enum ra_cedar_verdict verdict;
	/* NOT_PROVEN/UNKNOWN: a concrete region set (Cedar ids, sorted,
	   comma-separated) that the parsed policies allow although it
	   holds a region outside the jurisdiction. malloc'd, else NULL. */
	char	*witness;
	/* Policies that did not parse: "name/id: line L col C: message",
	   malloc'd array of malloc'd strings. */
	char	**unparsed;
	size_t	 nunparsed;
	/* Names of the policies that take part in the proof (PROVEN). */
	char	**proving;
	size_t	 nproving;
};

/*
 * For project `project_id` whose jurisdiction has the Cedar regions
 * `allowed` (n of them): is every cluster create/modify whose region set
 * S contains at least one region outside `allowed` forbidden by some
 * policy? S ranges over all non-empty sets of catalogue regions (with
 * their providers as context.cluster.cloudProviders). Returns 0 and
 * fills *out (free with ra_cedar_result_free), -1 on allocation failure.
 */
int	ra_cedar_check_residency(const struct ra_cedar_policy_src *pols,
	    size_t npols, const char *project_id, const char *const *allowed,
	    size_t nallowed, struct ra_cedar_result *out);
void	ra_cedar_result_free(struct ra_cedar_result *r);

/*
 * Parses one body; 0 when it parses, -1 with "line L col C: message" in
 * err. (For tests, fuzzing and the pack's policy section.)
 */
int	ra_cedar_parse_check(const char *body, char *err, size_t errsz);

#endif
