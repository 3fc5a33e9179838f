/*
 * inventory.h: the inventory of CONTRACT §2, parsed and validated.
 * Regions are Cedar ids ("aws:eu-west-1"); presets (@eu, @eea, @us) are
 * expanded from the region catalogue; every region list is sorted
 * (bytewise) and free of duplicates. A malformed inventory is reported
 * with the JSON path of the offending value, e.g.
 *   "inventory.json: $.projects[1].regions[0]: unknown region \"aws:mars-1\""
 */
#ifndef RA_INVENTORY_H
#define RA_INVENTORY_H

#include <stddef.h>

#include "util.h"

enum ra_plane { RA_PLANE_DATA = 0, RA_PLANE_CONTROL, RA_PLANE_SHARED };
enum ra_unlisted { RA_UNLISTED_FAIL = 0, RA_UNLISTED_IGNORE };

struct ra_jurisdiction {
	char	*key;			/* "eu" */
	char	**regions;		/* Cedar ids, sorted, unique */
	size_t	 nregions;
};

struct ra_inv_project {
	char	*id;			/* either id or name is set (or both) */
	char	*name;
	char	*jurisdiction;		/* a key of jurisdictions */
	enum ra_plane plane;
	char	**regions;		/* allowed: own regions, else the
					   jurisdiction's; sorted, unique */
	size_t	 nregions;
	int	 own_regions;		/* 1 when "regions" was given */
};

struct ra_deployment {
	char	*name;
	char	*jurisdiction;
	char	*env_file;		/* relative to the inventory's directory */
	char	*variable;
};

struct ra_log_endpoints {
	char	*jurisdiction;
	char	**hosts;
	size_t	 nhosts;
};

struct ra_control_plane {
	char	*uri_env;
	char	*database;		/* default "control_plane" */
	char	*tenants_collection;	/* default "tenants" */
};

struct ra_data_plane {
	char	*name;
	char	*jurisdiction;
	char	*uri_env;
	char	*database;		/* default "tenant_data" */
	char	*project;		/* project name (or id) of the plane */
	char	*cluster;		/* Atlas cluster name */
	char	*key_prefix;		/* "sv0_prod_eu_" */
	int	 legacy_keys;
	char	*key_prefix_field;	/* default "key_prefix" */
	char	*keys_collection;	/* default "connector_instance_api_keys" */
	char	**collections;		/* NULL: every collection */
	size_t	 ncollections;
};

struct ra_inventory {
	char	*org_id;
	enum ra_unlisted unlisted;
	char	*tag_key;		/* default "residency" */
	struct ra_jurisdiction *jurisdictions;	/* sorted by key */
	size_t	 njurisdictions;
	struct ra_inv_project *projects;	/* in file order */
	size_t	 nprojects;
	struct ra_deployment *deployments;
	size_t	 ndeployments;
	struct ra_log_endpoints *log_endpoints;
	size_t	 nlog_endpoints;
	int	 has_control_plane;
	struct ra_control_plane control_plane;
	struct ra_data_plane *data_planes;
	size_t	 ndata_planes;

	char	*text;			/* the file, verbatim (NUL-terminated) */
	size_t	 textlen;
	char	 digest[RA_SHA256_HEX];	/* sha256 of text */
	char	*base_dir;		/* directory of the file, for envFile */
};

/*
 * Parses and validates. `name` is used in messages ("inventory.json").
 * Returns 0, or -1 with one line in err naming the JSON path.
 */
int	ra_inventory_parse(struct ra_inventory **out, const char *text,
	    size_t len, const char *name, const char *base_dir,
	    char *err, size_t errsz);
/* Reads the file (at most 4 MiB) and parses it. */
int	ra_inventory_load(struct ra_inventory **out, const char *path,
	    char *err, size_t errsz);
void	ra_inventory_free(struct ra_inventory *inv);

const struct ra_jurisdiction *ra_inventory_jurisdiction(
	    const struct ra_inventory *inv, const char *key);
const char *ra_plane_name(enum ra_plane p);

#endif
