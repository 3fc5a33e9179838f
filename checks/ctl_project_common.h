/*
 * ctl_project_common.h: helpers of the org- and project-level controls
 * (project-classified ... app-log-destination) that ctl_common.h lacks.
 * Strings returned as `char *` are malloc'd and owned by the caller.
 */
#ifndef RA_CTL_PROJECT_COMMON_H
#define RA_CTL_PROJECT_COMMON_H

#include <stddef.h>

#include "ctl_common.h"

/*
 * A Cedar witness ("aws:eu-west-1,aws:us-east-1", with or without
 * blanks) re-joined as "aws:eu-west-1, aws:us-east-1". NULL in: "(none)".
 */
char	*ra_ctlp_witness(const char *witness);

/*
 * The host of a URL "scheme://[userinfo@]host[:port][/?#...]": the
 * scheme must be letters, digits, '+', '-', '.' and start with a letter;
 * userinfo is everything up to the last '@' of the authority; an IPv6
 * literal keeps its brackets. Returns 0 with the host in host[hostsz],
 * or -1 (no scheme, empty host, a host longer than hostsz - 1, or
 * a bad port).
 */
int	ra_ctlp_url_host(const char *url, char *host, size_t hostsz);

/* A finding for a project of the model that may have no scope:
 * carries its id and name and the jurisdiction given (may be NULL). */
struct ra_finding *ra_ctlp_add_project(struct ra_findings *out,
	    const char *control, enum ra_status status,
	    const struct ra_project *p, const char *jurisdiction,
	    const char *resource);

#endif
