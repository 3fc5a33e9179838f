/*
 * fuzz_report.c: the report JSON reader used by verify, evaluate and
 * --baseline, then drift against a fixed finding set and the Markdown
 * view of the result.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "evidence.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ra_findings fs = { 0 };
	char err[256];
	cJSON *r, *view;

	r = ra_report_parse((const char *)data, size, "fuzz", err,
	    sizeof(err));
	if (r == NULL)
		return 0;
	ra_finding_add(&fs, "cluster-region", RA_FAIL, "p1", "n", "eu",
	    "cluster/a");
	ra_finding_add(&fs, "resource-policy", RA_PASS, NULL, NULL, NULL,
	    "org");
	view = cJSON_CreateObject();
	cJSON_AddItemToObject(view, "drift", ra_drift_compute(r, &fs));
	ra_md_add_postproc(view);
	cJSON_Delete(view);
	ra_findings_free(&fs);
	cJSON_Delete(r);
	return 0;
}
