/*
 * finding.h: what a control returns (CONTRACT §4 "findings"). Findings
 * own their strings; ra_findings_free releases everything.
 */
#ifndef RA_FINDING_H
#define RA_FINDING_H

#include <stddef.h>

#include "util.h"

enum ra_status {
	RA_PASS = 0,
	RA_FAIL,
	RA_ERROR,
	RA_WAIVED,
	RA_SKIPPED
};
#define RA_NSTATUS 5

/* "PASS", "FAIL", ... */
const char *ra_status_name(enum ra_status s);
/* -1 when not a status name. */
int	ra_status_parse(const char *s);

/* One raw evidence file a finding rests on. */
struct ra_evref {
	char	*file;			/* "raw/00007.json" (or .meta.json when no body) */
	char	 sha256[RA_SHA256_HEX];
};

struct ra_finding {
	const char	*control;	/* static id from the registry */
	char		*project_id;	/* NULL at org level */
	char		*project_name;	/* NULL at org level */
	char		*jurisdiction;	/* NULL: goes into every report */
	char		*resource;	/* "project", "cluster/<name>", ... */
	enum ra_status	 status;
	char		*expected;
	char		*observed;
	char		*detail;
	struct ra_evref	*evidence;
	size_t		 nevidence;
	/* Set by the waiver pass when status is WAIVED: a JSON object text
	 * (the waiver as given), owned. */
	char		*waiver_json;
};

struct ra_findings {
	struct ra_finding *v;
	size_t		 n;
	size_t		 cap;
};

/*
 * Appends a finding and returns it for the caller to fill (strings are
 * copied by the setters below). `control` must be a static string.
 */
struct ra_finding *ra_finding_add(struct ra_findings *fs, const char *control,
	    enum ra_status status, const char *project_id,
	    const char *project_name, const char *jurisdiction,
	    const char *resource);
void	ra_finding_set_expected(struct ra_finding *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	ra_finding_set_observed(struct ra_finding *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	ra_finding_set_detail(struct ra_finding *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Adds an evidence file once (duplicates by file name are ignored). */
void	ra_finding_add_evidence(struct ra_finding *f, const char *file,
	    const char *sha256);
/* Adds every evidence ref of an array. */
void	ra_finding_add_evrefs(struct ra_finding *f, const struct ra_evref *refs,
	    size_t n);

/*
 * Sorts CONTRACT §4: by project name (NULL first), then control id, then
 * resource, comparing bytes; ties keep a stable order by projectId.
 */
void	ra_findings_sort(struct ra_findings *fs);
void	ra_findings_free(struct ra_findings *fs);

#endif
