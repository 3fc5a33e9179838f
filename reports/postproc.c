/*
 * postproc.c: waivers, baseline drift and signatures. Until they land
 * (issue 5), asking for them is refused rather than silently ignored.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "postproc.h"

int
ra_postproc_apply(struct ra_postproc *p, const struct ra_runopts *o,
    const struct ra_inventory *inv, struct ra_findings *fs, char *err,
    size_t errsz)
{
	(void)inv;
	(void)fs;
	memset(p, 0, sizeof(*p));
	if (o->waivers != NULL || o->baseline != NULL) {
		snprintf(err, errsz, "--waivers and --baseline are not "
		    "supported by this build");
		return -1;
	}
	return 0;
}

int
ra_postproc_sign(const struct ra_pack *pack, const struct ra_runopts *o,
    const struct ra_report_input *in, char *err, size_t errsz)
{
	(void)pack;
	(void)o;
	(void)in;
	snprintf(err, errsz, "--sign is not supported by this build");
	return -1;
}

void
ra_postproc_free(struct ra_postproc *p)
{
	cJSON_Delete(p->drift);
	cJSON_Delete(p->waivers_report);
	memset(p, 0, sizeof(*p));
}

int
ra_verify_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ra_error("verify: not supported by this build");
	return RA_EXIT_RUNTIME;
}
