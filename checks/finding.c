/* finding.c: see finding.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "utf8clean.h"

static const char *const names[RA_NSTATUS] = {
	"PASS", "FAIL", "ERROR", "WAIVED", "SKIPPED"
};

const char *
ra_status_name(enum ra_status s)
{
	return (unsigned)s < RA_NSTATUS ? names[s] : "ERROR";
}

int
ra_status_parse(const char *s)
{
	for (int i = 0; s != NULL && i < RA_NSTATUS; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/*
 * Atlas text in a finding is made valid UTF-8 here (invalid bytes become
 * U+FFFD), so findings sort (CONTRACT §4, bytewise) on the very bytes the
 * reports print. NULL stays NULL.
 */
static char *
clean(const char *s)
{
	return s == NULL ? NULL : ra_utf8_clean(s, RA_UTF8_JSON);
}

struct ra_finding *
ra_finding_add(struct ra_findings *fs, const char *control,
    enum ra_status status, const char *project_id, const char *project_name,
    const char *jurisdiction, const char *resource)
{
	struct ra_finding *f;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->v = ra_realloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	f = &fs->v[fs->n++];
	memset(f, 0, sizeof(*f));
	f->control = control;
	f->status = status;
	f->project_id = clean(project_id);
	f->project_name = clean(project_name);
	f->jurisdiction = ra_strdup(jurisdiction);
	f->resource = clean(resource);
	return f;
}

static void
set(char **dst, const char *fmt, va_list ap)
{
	char *p = NULL;

	if (vasprintf(&p, fmt, ap) < 0)
		abort();
	free(*dst);
	*dst = clean(p);
	free(p);
}

void
ra_finding_set_expected(struct ra_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(&f->expected, fmt, ap);
	va_end(ap);
}

void
ra_finding_set_observed(struct ra_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(&f->observed, fmt, ap);
	va_end(ap);
}

void
ra_finding_set_detail(struct ra_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(&f->detail, fmt, ap);
	va_end(ap);
}

void
ra_finding_add_evidence(struct ra_finding *f, const char *file,
    const char *sha256)
{
	if (file == NULL)
		return;
	for (size_t i = 0; i < f->nevidence; i++)
		if (strcmp(f->evidence[i].file, file) == 0)
			return;
	f->evidence = ra_realloc(f->evidence,
	    (f->nevidence + 1) * sizeof(*f->evidence));
	f->evidence[f->nevidence].file = ra_strdup(file);
	snprintf(f->evidence[f->nevidence].sha256, RA_SHA256_HEX, "%s",
	    sha256 ? sha256 : "");
	f->nevidence++;
}

void
ra_finding_add_evrefs(struct ra_finding *f, const struct ra_evref *refs,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		ra_finding_add_evidence(f, refs[i].file, refs[i].sha256);
}

static int
cmp_nullfirst(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_finding(const void *pa, const void *pb)
{
	const struct ra_finding *a = pa, *b = pb;
	int c;

	if ((c = cmp_nullfirst(a->project_name, b->project_name)) != 0)
		return c;
	if ((c = strcmp(a->control, b->control)) != 0)
		return c;
	if ((c = cmp_nullfirst(a->resource, b->resource)) != 0)
		return c;
	return cmp_nullfirst(a->project_id, b->project_id);
}

void
ra_findings_sort(struct ra_findings *fs)
{
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof(*fs->v), cmp_finding);
}

void
ra_findings_free(struct ra_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct ra_finding *f = &fs->v[i];

		free(f->project_id);
		free(f->project_name);
		free(f->jurisdiction);
		free(f->resource);
		free(f->expected);
		free(f->observed);
		free(f->detail);
		for (size_t j = 0; j < f->nevidence; j++)
			free(f->evidence[j].file);
		free(f->evidence);
		free(f->waiver_json);
	}
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}
