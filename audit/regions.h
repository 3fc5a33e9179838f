/*
 * regions.h: the region catalogue (../shared/atlas-regions, embedded as a
 * generated table in regions_data.c by tools/gen-regions.py). Lookups key
 * on the provider as well as the name, because the same string names
 * different places under different providers (US_EAST_2).
 *
 * A region is "known" only when it has a Cedar id; rows that the catalogue
 * lists without a confirmed native code (cedar == NULL) must be treated by
 * controls like unknown names: ERROR naming the value, never allowed.
 */
#ifndef RA_REGIONS_H
#define RA_REGIONS_H

#include <stdio.h>
#include <stddef.h>

struct ra_region {
	const char	*provider;	/* "aws", "azure", "gcp" */
	const char	*atlas;		/* Atlas enum, e.g. "EU_WEST_1" */
	const char	*native;	/* "eu-west-1", or NULL (unconfirmed) */
	const char	*cedar;		/* "aws:eu-west-1", or NULL */
	const char	*location;	/* "Ireland" */
	const char	*country;	/* ISO 3166-1 alpha-2 */
	int		 eu;		/* 1/0; -1 for GLOBAL */
	int		 eea;
	int		 gov;
};

extern const struct ra_region	ra_regions[];
extern const size_t		ra_nregions;

/*
 * Atlas enum for a provider. `provider` is compared case-insensitively
 * ("AWS", "aws"); "TENANT", "FLEX" and "SERVERLESS" are not providers.
 * NULL when the pair is not in the catalogue.
 */
const struct ra_region *ra_region_by_atlas(const char *provider,
	    const char *atlas);
/* Cedar id "aws:eu-west-1" (exact). */
const struct ra_region *ra_region_by_cedar(const char *cedar);
/* Native code for a provider ("aws", "eu-west-1"); AWS export buckets. */
const struct ra_region *ra_region_by_native(const char *provider,
	    const char *native);
/*
 * Data Federation / Stream Processing values: city names (DUBLIN_IRL),
 * Azure native names used by Streams (westeurope), GCP upper-case forms
 * (EUROPE_WEST1), each under its provider; falls back to the Atlas enum
 * table. `product` is "data_federation" or "streams".
 */
const struct ra_region *ra_region_by_city(const char *product,
	    const char *provider, const char *value);

/*
 * Expands a preset ("@eu", "@eea", "@us": US excludes government
 * regions) into Cedar ids, sorted and unique. Returns 0 with a malloc'd
 * array of static strings (free only the array), -1 for an unknown
 * preset.
 */
int	ra_region_preset(const char *preset, const char ***out, size_t *n);

/* `residency-audit regions [--json]`. */
void	ra_regions_print(FILE *f, int json);

#endif
