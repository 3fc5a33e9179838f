/*
 * regions_int.h: private to regions.c and the generated regions_data.c.
 * The Data Federation / Stream Processing values of city-regions.json:
 * each names, under one product and provider, the Atlas enum of the same
 * native region (the row of ra_regions that lookups return).
 */
#ifndef RA_REGIONS_INT_H
#define RA_REGIONS_INT_H

#include <stddef.h>

struct ra_city_region {
	const char	*product;	/* "data_federation", "streams" */
	const char	*provider;	/* "aws", "azure", "gcp" */
	const char	*value;		/* "DUBLIN_IRL", "westeurope" */
	const char	*atlas;		/* "EU_WEST_1" */
	const char	*native;	/* "eu-west-1" */
};

extern const struct ra_city_region	ra_city_regions[];
extern const size_t			ra_ncity_regions;

#endif
