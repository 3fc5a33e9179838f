/*
 * fuzz_waivers.c: the waiver file parser and the waiver pass over a
 * small fixed set of findings; any accepted input must apply cleanly.
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
	cJSON *w, *rep;

	w = ra_waivers_parse((const char *)data, size, "fuzz", err,
	    sizeof(err));
	if (w == NULL)
		return 0;
	ra_finding_add(&fs, "cluster-region", RA_FAIL, "p1", "n", "eu",
	    "cluster/a");
	ra_finding_add(&fs, "cluster-region", RA_ERROR, "p1", "n", "eu",
	    "cluster/b");
	ra_finding_add(&fs, "resource-policy", RA_FAIL, NULL, NULL, NULL,
	    "org");
	rep = ra_waivers_apply(w, &fs, "2026-11-29");
	cJSON_Delete(rep);
	ra_findings_free(&fs);
	cJSON_Delete(w);
	return 0;
}
