/*
 * renderers.c: the table of report formats (STYLE 3). Each row writes
 * its files into the pack's temporary directory; the first failing row
 * is reported by its renderer and ends the writing (the pack is then
 * abandoned, so one reason is all a user needs).
 *
 * Invariant: one row per RA_FMT_* bit, in the order the files are
 * written. A new format (junit, sarif) is one more row and one extern
 * function in report.h.
 */
#include <stddef.h>

#include "log.h"
#include "report.h"

const struct ra_renderer ra_renderers[] = {
	{ RA_FMT_MD,	"md",	ra_report_write_md },
	{ RA_FMT_JSON,	"json",	ra_report_write_json },
	{ RA_FMT_JUNIT,	"junit", ra_report_write_junit },
	{ RA_FMT_SARIF,	"sarif", ra_report_write_sarif },
};
const size_t ra_nrenderers = sizeof(ra_renderers) / sizeof(ra_renderers[0]);

int
ra_reports_write(const char *dir, const struct ra_report_input *in,
    unsigned formats)
{
	int rc = 0;

	if (in == NULL || in->inv == NULL) {
		ra_error("%s: reports: no inventory to report on", dir);
		return -1;
	}
	/* stops at the first failure: one reason, the pack is abandoned */
	for (size_t i = 0; rc == 0 && i < ra_nrenderers; i++) {
		if ((formats & ra_renderers[i].fmt) == 0)
			continue;
		if (ra_renderers[i].write(dir, in) != 0)
			rc = -1;
	}
	return rc;
}
