/*
 * postproc.c: the thin dispatcher of postproc.h over waivers.c,
 * drift.c and sign.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "endpoints.h"
#include "evidence.h"
#include "log.h"
#include "postproc.h"
#include "util.h"

int
ra_postproc_check(const struct ra_runopts *o, char *err, size_t errsz)
{
	cJSON *x;

	if (o->sign != NULL && ra_sign_check_key(o->sign, err, errsz) != 0)
		return -1;
	if (o->waivers != NULL) {
		if ((x = ra_waivers_load(o->waivers, err, errsz)) == NULL)
			return -1;
		cJSON_Delete(x);
	}
	if (o->baseline != NULL) {
		if ((x = ra_report_load(o->baseline, err, errsz)) == NULL)
			return -1;
		cJSON_Delete(x);
	}
	return 0;
}

int
ra_postproc_apply(struct ra_postproc *p, const struct ra_runopts *o,
    const struct ra_inventory *inv, struct ra_findings *fs, char *err,
    size_t errsz)
{
	cJSON *w = NULL, *b = NULL;
	char today[16], key[96];
	const char *j;
	size_t i;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (o->waivers != NULL) {
		if ((w = ra_waivers_load(o->waivers, err, errsz)) == NULL)
			goto out;
		ra_time_date(ra_clock_now(), today, sizeof(today));
		p->waivers_report = ra_waivers_apply(w, fs, today);
	}
	if (o->baseline != NULL) {
		if ((b = ra_report_load(o->baseline, err, errsz)) == NULL)
			goto out;
		j = cJSON_GetObjectItemCaseSensitive(b,
		    "jurisdiction")->valuestring;
		for (i = 0; i < inv->njurisdictions; i++)
			if (strcmp(inv->jurisdictions[i].key, j) == 0)
				break;
		if (i == inv->njurisdictions) {
			ra_sanitize_text(j, key, sizeof(key));
			snprintf(err, errsz, "%s: baseline jurisdiction \"%s\" "
			    "is not in the inventory", o->baseline, key);
			goto out;
		}
		p->drift = cJSON_CreateObject();
		cJSON_AddItemToObject(p->drift, j, ra_drift_compute(b, fs));
	}
	rc = 0;
out:
	cJSON_Delete(w);
	cJSON_Delete(b);
	if (rc != 0)
		ra_postproc_free(p);
	return rc;
}

/* The attestation's predicate: what was audited, how and when. */
static cJSON *
predicate(const struct ra_report_input *in)
{
	cJSON *p, *t, *eps, *e;
	char asof[32], digest[RA_REPORT_DIGEST_SZ];
	const char *org = NULL, *d;

	p = cJSON_CreateObject();
	t = cJSON_AddObjectToObject(p, "tool");
	cJSON_AddStringToObject(t, "name", RA_TOOL_NAME);
	cJSON_AddStringToObject(t, "version", RA_VERSION);
	if ((d = ra_report_digest(in, digest)) != NULL)
		cJSON_AddStringToObject(p, "inventoryDigest", d);
	else
		cJSON_AddNullToObject(p, "inventoryDigest");
	ra_time_rfc3339(in->as_of, asof, sizeof(asof));
	cJSON_AddStringToObject(p, "asOf", asof);
	if ((org = ra_report_org(in)) != NULL)
		cJSON_AddStringToObject(p, "orgId", org);
	else
		cJSON_AddNullToObject(p, "orgId");
	eps = cJSON_AddArrayToObject(p, "endpoints");
	/* table order: the endpoints that have records in raw/ */
	for (size_t i = 0; i < ra_nendpoints; i++) {
		const struct ra_endpoint *ep = &ra_endpoints[i];
		int used = 0;

		for (size_t k = 0; in->model != NULL && k < in->model->nstats;
		    k++)
			if (strcmp(in->model->stats[k].endpoint, ep->id) == 0 &&
			    in->model->stats[k].requests > 0)
				used = 1;
		if (!used)
			continue;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "id", ep->id);
		cJSON_AddStringToObject(e, "path", ep->path);
		cJSON_AddStringToObject(e, "version", ep->version);
		cJSON_AddItemToArray(eps, e);
	}
	return p;
}

int
ra_postproc_sign(const struct ra_pack *pack, const struct ra_runopts *o,
    const struct ra_report_input *in, char *err, size_t errsz)
{
	cJSON *p = predicate(in);
	int rc;

	rc = ra_sign_pack(pack->tmp_dir, o->sign, p, err, errsz);
	cJSON_Delete(p);
	return rc;
}

void
ra_postproc_free(struct ra_postproc *p)
{
	if (p == NULL)
		return;
	cJSON_Delete(p->drift);
	cJSON_Delete(p->waivers_report);
	memset(p, 0, sizeof(*p));
}
