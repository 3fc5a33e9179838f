/*
 * regions.c: lookups over the generated catalogue (regions_data.c). All
 * lookups are linear scans of small static tables: 151 + 40 rows, called
 * a few hundred times per run at most.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "jsonutil.h"
#include "regions.h"
#include "regions_int.h"
#include "util.h"

/* Canonical provider name for "AWS", "aws", ...; NULL if not one. */
static const char *
provider_canon(const char *provider)
{
	static const char *const names[] = { "aws", "azure", "gcp" };
	size_t i;

	if (provider == NULL)
		return NULL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(provider, names[i]) == 0)
			return names[i];
	return NULL;
}

const struct ra_region *
ra_region_by_atlas(const char *provider, const char *atlas)
{
	const char *p = provider_canon(provider);
	size_t i;

	if (p == NULL || atlas == NULL)
		return NULL;
	for (i = 0; i < ra_nregions; i++)
		if (strcmp(ra_regions[i].provider, p) == 0 &&
		    strcmp(ra_regions[i].atlas, atlas) == 0)
			return &ra_regions[i];
	return NULL;
}

/*
 * Several Atlas enums can share one native region (GCP CENTRAL_US and
 * its Assured Workloads twin CENTRAL_US_AW): the commercial row wins, so
 * that Cedar -> Atlas round trips land on the ordinary enum.
 */
static const struct ra_region *
pick(const struct ra_region *best, const struct ra_region *r)
{
	if (best == NULL || (best->gov && !r->gov))
		return r;
	return best;
}

const struct ra_region *
ra_region_by_cedar(const char *cedar)
{
	const struct ra_region *best = NULL;
	size_t i;

	if (cedar == NULL)
		return NULL;
	for (i = 0; i < ra_nregions; i++)
		if (ra_regions[i].cedar != NULL &&
		    strcmp(ra_regions[i].cedar, cedar) == 0)
			best = pick(best, &ra_regions[i]);
	return best;
}

const struct ra_region *
ra_region_by_native(const char *provider, const char *native)
{
	const struct ra_region *best = NULL;
	const char *p = provider_canon(provider);
	size_t i;

	if (p == NULL || native == NULL)
		return NULL;
	for (i = 0; i < ra_nregions; i++)
		if (ra_regions[i].native != NULL &&
		    strcmp(ra_regions[i].provider, p) == 0 &&
		    strcmp(ra_regions[i].native, native) == 0)
			best = pick(best, &ra_regions[i]);
	return best;
}

/*
 * Lookup order: the product's own value table (city names, Azure native
 * names, GCP upper-case forms as listed), then the Atlas enum table, then
 * the provider's native code, then the GCP upper-case form of a native
 * code (EUROPE_WEST1 -> europe-west1) for values the table does not list.
 */
const struct ra_region *
ra_region_by_city(const char *product, const char *provider,
    const char *value)
{
	const struct ra_region *r = NULL;
	const char *p = provider_canon(provider);
	char form[64];
	size_t i, len;

	if (product == NULL || p == NULL || value == NULL)
		goto out;
	for (i = 0; i < ra_ncity_regions; i++) {
		if (strcmp(ra_city_regions[i].product, product) == 0 &&
		    strcmp(ra_city_regions[i].provider, p) == 0 &&
		    strcmp(ra_city_regions[i].value, value) == 0) {
			r = ra_region_by_atlas(p, ra_city_regions[i].atlas);
			goto out;
		}
	}
	if ((r = ra_region_by_atlas(p, value)) != NULL)
		goto out;
	if ((r = ra_region_by_native(p, value)) != NULL)
		goto out;
	len = strlen(value);
	if (strcmp(p, "gcp") == 0 && len < sizeof(form)) {
		for (i = 0; i <= len; i++) {
			char c = value[i];

			if (c == '_')
				c = '-';
			else if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			else if (c >= 'a' && c <= 'z')
				goto out;	/* not the upper-case form */
			form[i] = c;
		}
		r = ra_region_by_native(p, form);
	}
out:
	return r;
}

int
ra_region_preset(const char *preset, const char ***out, size_t *n)
{
	const char **v = NULL;
	size_t i, k = 0, j;
	int which, rc = -1;

	*out = NULL;
	*n = 0;
	if (preset == NULL)
		goto out;
	if (strcmp(preset, "@eu") == 0)
		which = 0;
	else if (strcmp(preset, "@eea") == 0)
		which = 1;
	else if (strcmp(preset, "@us") == 0)
		which = 2;
	else
		goto out;
	v = ra_calloc(ra_nregions + 1, sizeof(*v));
	for (i = 0; i < ra_nregions; i++) {
		const struct ra_region *r = &ra_regions[i];
		int in;

		if (r->cedar == NULL)
			continue;
		if (which == 0)
			in = r->eu == 1;
		else if (which == 1)
			in = r->eea == 1;
		else
			in = r->country != NULL &&
			    strcmp(r->country, "US") == 0 && !r->gov;
		if (in)
			v[k++] = r->cedar;
	}
	qsort(v, k, sizeof(*v), ra_strp_cmp);
	/* Unique: Assured Workloads twins share a Cedar id. */
	for (i = 0, j = 0; i < k; i++)
		if (j == 0 || strcmp(v[j - 1], v[i]) != 0)
			v[j++] = v[i];
	*out = v;
	*n = j;
	v = NULL;
	rc = 0;
out:
	free(v);
	return rc;
}

static const char *
flagstr(int f)
{
	return f < 0 ? "-" : (f ? "yes" : "no");
}

static cJSON *
flagjson(int f)
{
	return f < 0 ? cJSON_CreateNull() : cJSON_CreateBool(f);
}

static cJSON *
strjson(const char *s)
{
	return s == NULL ? cJSON_CreateNull() : cJSON_CreateString(s);
}

/*
 * The table is printed in catalogue order (provider, Atlas enum). JSON:
 * an array of objects with the fields of struct ra_region, null where
 * the catalogue has none.
 */
void
ra_regions_print(FILE *f, int json)
{
	cJSON *arr = NULL;
	char *text = NULL;
	size_t i;

	if (!json) {
		fprintf(f, "%-6s %-26s %-26s %-36s %-7s %-3s %-3s %s\n",
		    "PROV", "ATLAS", "CEDAR", "LOCATION", "COUNTRY", "EU",
		    "EEA", "GOV");
		for (i = 0; i < ra_nregions; i++) {
			const struct ra_region *r = &ra_regions[i];

			fprintf(f, "%-6s %-26s %-26s %-36s %-7s %-3s %-3s %s\n",
			    r->provider, r->atlas,
			    r->cedar ? r->cedar : "(unconfirmed)",
			    r->location ? r->location : "-",
			    r->country ? r->country : "-", flagstr(r->eu),
			    flagstr(r->eea), flagstr(r->gov));
		}
		goto out;
	}
	if ((arr = cJSON_CreateArray()) == NULL)
		goto out;
	for (i = 0; i < ra_nregions; i++) {
		const struct ra_region *r = &ra_regions[i];
		cJSON *o = cJSON_CreateObject();

		if (o == NULL)
			goto out;
		cJSON_AddItemToArray(arr, o);
		cJSON_AddItemToObject(o, "provider", strjson(r->provider));
		cJSON_AddItemToObject(o, "atlas", strjson(r->atlas));
		cJSON_AddItemToObject(o, "native", strjson(r->native));
		cJSON_AddItemToObject(o, "cedar", strjson(r->cedar));
		cJSON_AddItemToObject(o, "location", strjson(r->location));
		cJSON_AddItemToObject(o, "country", strjson(r->country));
		cJSON_AddItemToObject(o, "eu", flagjson(r->eu));
		cJSON_AddItemToObject(o, "eea", flagjson(r->eea));
		cJSON_AddItemToObject(o, "gov", flagjson(r->gov));
	}
	text = ra_json_print(arr);
	fputs(text, f);
out:
	free(text);
	cJSON_Delete(arr);
}
