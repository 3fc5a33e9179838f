/*
 * inventory.c: the inventory of CONTRACT §2 (see inventory.h).
 *
 * Validation is strict on purpose. The inventory states what an audit
 * expects; a typo that were silently ignored ("region" for "regions", a
 * misspelt top-level "projetcs") would weaken the audit without anyone
 * noticing, so unknown keys are errors at every level of the document,
 * and so are duplicate keys (cJSON would keep both and we would read only
 * the first). Every error names the JSON path of the offending value.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "inventory.h"
#include "jsonutil.h"
#include "regions.h"
#include "util.h"

#define INV_MAX_BYTES	(4u * 1024 * 1024)
#define PATHSZ		512

struct pctx {
	const char	*name;
	char		*err;
	size_t		 errsz;
};

/* A value quoted for a one-line message: control bytes become '?',
 * long values are cut (with "..."). */
static void
quote(char *dst, size_t dstsz, const char *s)
{
	size_t i, k = 0;

	if (s == NULL)
		s = "";
	for (i = 0; s[i] != '\0' && k + 4 < dstsz; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (i >= 80) {
			dst[k++] = '.';
			dst[k++] = '.';
			dst[k++] = '.';
			break;
		}
		dst[k++] = (ch < 0x20 || ch == 0x7f || ch == '"') ? '?' :
		    (char)ch;
	}
	dst[k] = '\0';
}

static int
fail(struct pctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "<name>: <path>: <message>" into the caller's buffer; -1. */
static int
fail(struct pctx *c, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err != NULL && c->errsz > 0)
		snprintf(c->err, c->errsz, "%s: %s: %s", c->name, path, msg);
	return -1;
}

/* path + ".key" (or ["key"] when the key is not a plain identifier). */
static void
path_key(char *dst, const char *path, const char *key)
{
	char q[128];
	size_t i;
	int plain = key[0] != '\0';

	for (i = 0; key[i] != '\0'; i++)
		if (!isalnum((unsigned char)key[i]) && key[i] != '_' &&
		    key[i] != '-')
			plain = 0;
	if (plain && strlen(key) < 100) {
		snprintf(dst, PATHSZ, "%s.%s", path, key);
		return;
	}
	quote(q, sizeof(q), key);
	snprintf(dst, PATHSZ, "%s[\"%s\"]", path, q);
}

static void
path_idx(char *dst, const char *path, size_t i)
{
	/* a path too deep for PATHSZ is cut: it only names a place in a
	 * message */
	if (snprintf(dst, PATHSZ, "%s[%zu]", path, i) >= PATHSZ)
		dst[PATHSZ - 2] = '.';
}

static const char *
type_name(const cJSON *v)
{
	if (v == NULL)
		return "nothing";
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	return "an invalid value";
}

/*
 * Checks an object's keys: each must be in `known` (NULL-terminated;
 * known == NULL accepts any key) and appear once.
 */
static int
check_keys(struct pctx *c, const cJSON *obj, const char *path,
    const char *const *known)
{
	const cJSON *a, *b;
	char p[PATHSZ];
	size_t i;

	for (a = obj->child; a != NULL; a = a->next) {
		path_key(p, path, a->string);
		for (b = obj->child; b != a; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return fail(c, p, "duplicate key");
		if (known == NULL)
			continue;
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(a->string, known[i]) == 0)
				break;
		if (known[i] == NULL)
			return fail(c, p, "unknown key (a typo would "
			    "silently weaken the audit)");
	}
	return 0;
}

/* v is an object whose keys check_keys accepts. 0, or -1 (reported). */
static int
check_object(struct pctx *c, const cJSON *v, const char *path,
    const char *const *known)
{
	if (!cJSON_IsObject(v))
		return fail(c, path, "expected an object, got %s",
		    type_name(v));
	return check_keys(c, v, path, known);
}

/*
 * A string member. required: absent is an error; otherwise *out keeps
 * dflt (copied, may be NULL). Present values must be non-empty strings.
 */
static int
get_str(struct pctx *c, char **out, const cJSON *obj, const char *path,
    const char *key, int required, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[PATHSZ];

	path_key(p, path, key);
	if (v == NULL) {
		if (required)
			return fail(c, p, "required");
		*out = ra_strdup(dflt);
		return 0;
	}
	if (!cJSON_IsString(v))
		return fail(c, p, "expected a string, got %s", type_name(v));
	if (v->valuestring[0] == '\0')
		return fail(c, p, "must not be empty");
	*out = ra_strdup(v->valuestring);
	return 0;
}

static int
is_hex24(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return i == 24;
}

static int
is_env_name(const char *s)
{
	size_t i;

	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

static int
in_sorted(char *const *v, size_t n, const char *s)
{
	return bsearch(&s, v, n, sizeof(*v), ra_strp_cmp) != NULL;
}

/*
 * A region list: Cedar ids of the catalogue or presets, expanded, sorted
 * and unique into *out (owned strings). With `within` set, every region
 * must lie in within (jurisdiction `jkey`).
 */
static int
parse_regions(struct pctx *c, char ***out, size_t *nout, const cJSON *arr,
    const char *path, const struct ra_jurisdiction *within)
{
	char **v = NULL;
	size_t n = 0, cap = 0, i, j, k;
	const cJSON *e;
	char p[PATHSZ], q[128];
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if (!cJSON_IsArray(arr)) {
		fail(c, path, "expected an array of regions, got %s",
		    type_name(arr));
		goto out;
	}
	i = 0;
	cJSON_ArrayForEach(e, arr) {
		const char **pre = NULL;
		const char *one[1];
		const char *const *add;
		size_t nadd;

		path_idx(p, path, i++);
		if (!cJSON_IsString(e)) {
			fail(c, p, "expected a string, got %s", type_name(e));
			goto out;
		}
		quote(q, sizeof(q), e->valuestring);
		if (e->valuestring[0] == '@') {
			if (ra_region_preset(e->valuestring, &pre, &nadd) != 0) {
				fail(c, p, "unknown preset \"%s\" (known: @eu, "
				    "@eea, @us)", q);
				goto out;
			}
			add = pre;
		} else {
			if (ra_region_by_cedar(e->valuestring) == NULL) {
				fail(c, p, "region \"%s\" is not in the "
				    "catalogue", q);
				goto out;
			}
			one[0] = e->valuestring;
			add = one;
			nadd = 1;
		}
		for (j = 0; j < nadd; j++) {
			if (within != NULL && !in_sorted(within->regions,
			    within->nregions, add[j])) {
				quote(q, sizeof(q), add[j]);
				fail(c, p, "region \"%s\" is not in "
				    "jurisdiction \"%s\"", q, within->key);
				free(pre);
				goto out;
			}
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				v = ra_realloc(v, cap * sizeof(*v));
			}
			v[n++] = ra_strdup(add[j]);
		}
		free(pre);
	}
	if (n == 0) {
		fail(c, path, "empty region list");
		goto out;
	}
	qsort(v, n, sizeof(*v), ra_strp_cmp);
	for (j = 0, k = 0; j < n; j++) {
		if (k > 0 && strcmp(v[k - 1], v[j]) == 0) {
			free(v[j]);
			continue;
		}
		v[k++] = v[j];
	}
	*out = v;
	*nout = k;
	v = NULL;
	n = 0;
	rc = 0;
out:
	free_strv(v, n);
	return rc;
}

/* A list of non-empty strings (hosts, collections) into *out. */
static int
parse_strv(struct pctx *c, char ***out, size_t *nout, const cJSON *arr,
    const char *path, const char *what)
{
	char **v = NULL;
	size_t n = 0;
	const cJSON *e;
	char p[PATHSZ];
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if (!cJSON_IsArray(arr)) {
		fail(c, path, "expected an array of %s, got %s", what,
		    type_name(arr));
		goto out;
	}
	v = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*v));
	cJSON_ArrayForEach(e, arr) {
		path_idx(p, path, n);
		if (!cJSON_IsString(e) || e->valuestring[0] == '\0') {
			fail(c, p, "expected a non-empty string, got %s",
			    type_name(e));
			goto out;
		}
		v[n++] = ra_strdup(e->valuestring);
	}
	if (n == 0) {
		fail(c, path, "empty list of %s", what);
		goto out;
	}
	*out = v;
	*nout = n;
	v = NULL;
	n = 0;
	rc = 0;
out:
	free_strv(v, n);
	return rc;
}

static int
cmp_jur(const void *a, const void *b)
{
	return strcmp(((const struct ra_jurisdiction *)a)->key,
	    ((const struct ra_jurisdiction *)b)->key);
}

static int
parse_jurisdictions(struct pctx *c, struct ra_inventory *inv,
    const cJSON *obj)
{
	static const char *const keys[] = { "regions", NULL };
	const cJSON *e;
	char p[PATHSZ], q[128];

	if (obj == NULL)
		return fail(c, "$.jurisdictions", "required");
	if (check_object(c, obj, "$.jurisdictions", NULL) != 0)
		return -1;
	inv->jurisdictions = ra_calloc((size_t)cJSON_GetArraySize(obj) + 1,
	    sizeof(*inv->jurisdictions));
	cJSON_ArrayForEach(e, obj) {
		struct ra_jurisdiction *j =
		    &inv->jurisdictions[inv->njurisdictions];
		char rp[PATHSZ];

		path_key(p, "$.jurisdictions", e->string);
		/* The key names report files: it must be a safe component. */
		if (!ra_is_safe_component(e->string)) {
			quote(q, sizeof(q), e->string);
			return fail(c, p, "jurisdiction key \"%s\" must match "
			    "[A-Za-z0-9._-]+", q);
		}
		if (check_object(c, e, p, keys) != 0)
			return -1;
		j->key = ra_strdup(e->string);
		inv->njurisdictions++;
		path_key(rp, p, "regions");
		if (cJSON_GetObjectItemCaseSensitive(e, "regions") == NULL)
			return fail(c, rp, "required");
		if (parse_regions(c, &j->regions, &j->nregions,
		    cJSON_GetObjectItemCaseSensitive(e, "regions"), rp,
		    NULL) != 0)
			return -1;
	}
	if (inv->njurisdictions == 0)
		return fail(c, "$.jurisdictions", "no jurisdiction declared");
	qsort(inv->jurisdictions, inv->njurisdictions,
	    sizeof(*inv->jurisdictions), cmp_jur);
	return 0;
}

/* The jurisdiction member of obj at path, which must be declared. */
static int
get_jurisdiction(struct pctx *c, char **out,
    const struct ra_jurisdiction **jout, const struct ra_inventory *inv,
    const cJSON *obj, const char *path)
{
	const struct ra_jurisdiction *j;
	char p[PATHSZ], q[128];

	if (get_str(c, out, obj, path, "jurisdiction", 1, NULL) != 0)
		return -1;
	j = ra_inventory_jurisdiction(inv, *out);
	if (j == NULL) {
		path_key(p, path, "jurisdiction");
		quote(q, sizeof(q), *out);
		return fail(c, p, "unknown jurisdiction \"%s\"", q);
	}
	if (jout != NULL)
		*jout = j;
	return 0;
}

static int
parse_projects(struct pctx *c, struct ra_inventory *inv, const cJSON *arr)
{
	static const char *const keys[] = { "id", "name", "jurisdiction",
	    "plane", "regions", NULL };
	const cJSON *e;
	char p[PATHSZ], kp[PATHSZ], q[128];
	size_t i, k;

	if (arr == NULL)
		return 0;
	if (!cJSON_IsArray(arr))
		return fail(c, "$.projects", "expected an array, got %s",
		    type_name(arr));
	inv->projects = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*inv->projects));
	cJSON_ArrayForEach(e, arr) {
		struct ra_inv_project *pr = &inv->projects[inv->nprojects];
		const struct ra_jurisdiction *j = NULL;
		const cJSON *regs;
		char *plane = NULL;

		i = inv->nprojects;
		path_idx(p, "$.projects", i);
		if (check_object(c, e, p, keys) != 0)
			return -1;
		inv->nprojects++;
		if (get_str(c, &pr->id, e, p, "id", 0, NULL) != 0 ||
		    get_str(c, &pr->name, e, p, "name", 0, NULL) != 0)
			return -1;
		if (pr->id == NULL && pr->name == NULL)
			return fail(c, p, "a project needs an \"id\" or a "
			    "\"name\"");
		if (pr->id != NULL && !is_hex24(pr->id)) {
			path_key(kp, p, "id");
			quote(q, sizeof(q), pr->id);
			return fail(c, kp, "project id \"%s\" is not 24 hex "
			    "digits", q);
		}
		for (k = 0; k < i; k++) {
			const struct ra_inv_project *o = &inv->projects[k];

			if (pr->id != NULL && o->id != NULL &&
			    strcmp(pr->id, o->id) == 0) {
				path_key(kp, p, "id");
				return fail(c, kp, "duplicate project id (also "
				    "$.projects[%zu])", k);
			}
			if (pr->name != NULL && o->name != NULL &&
			    strcmp(pr->name, o->name) == 0) {
				path_key(kp, p, "name");
				return fail(c, kp, "duplicate project name "
				    "(also $.projects[%zu])", k);
			}
		}
		if (get_jurisdiction(c, &pr->jurisdiction, &j, inv, e, p) != 0)
			return -1;
		if (get_str(c, &plane, e, p, "plane", 0, "data") != 0)
			return -1;
		if (strcmp(plane, "data") == 0)
			pr->plane = RA_PLANE_DATA;
		else if (strcmp(plane, "control") == 0)
			pr->plane = RA_PLANE_CONTROL;
		else if (strcmp(plane, "shared") == 0)
			pr->plane = RA_PLANE_SHARED;
		else {
			path_key(kp, p, "plane");
			quote(q, sizeof(q), plane);
			free(plane);
			return fail(c, kp, "unknown plane \"%s\" (data, "
			    "control or shared)", q);
		}
		free(plane);
		regs = cJSON_GetObjectItemCaseSensitive(e, "regions");
		if (regs != NULL) {
			path_key(kp, p, "regions");
			if (parse_regions(c, &pr->regions, &pr->nregions, regs,
			    kp, j) != 0)
				return -1;
			pr->own_regions = 1;
		} else {
			pr->regions = ra_calloc(j->nregions + 1,
			    sizeof(*pr->regions));
			for (k = 0; k < j->nregions; k++)
				pr->regions[k] = ra_strdup(j->regions[k]);
			pr->nregions = j->nregions;
		}
	}
	return 0;
}

static int
parse_deployments(struct pctx *c, struct ra_inventory *inv,
    const cJSON *arr)
{
	static const char *const keys[] = { "name", "jurisdiction",
	    "envFile", "variable", NULL };
	const cJSON *e;
	char p[PATHSZ], kp[PATHSZ], q[128];
	size_t k;

	if (arr == NULL)
		return 0;
	if (!cJSON_IsArray(arr))
		return fail(c, "$.deployments", "expected an array, got %s",
		    type_name(arr));
	inv->deployments = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*inv->deployments));
	cJSON_ArrayForEach(e, arr) {
		struct ra_deployment *d =
		    &inv->deployments[inv->ndeployments];

		path_idx(p, "$.deployments", inv->ndeployments);
		if (check_object(c, e, p, keys) != 0)
			return -1;
		inv->ndeployments++;
		if (get_str(c, &d->name, e, p, "name", 1, NULL) != 0 ||
		    get_jurisdiction(c, &d->jurisdiction, NULL, inv, e,
		    p) != 0 ||
		    get_str(c, &d->env_file, e, p, "envFile", 1, NULL) != 0 ||
		    get_str(c, &d->variable, e, p, "variable", 1, NULL) != 0)
			return -1;
		if (!is_env_name(d->variable)) {
			path_key(kp, p, "variable");
			quote(q, sizeof(q), d->variable);
			return fail(c, kp, "\"%s\" is not a variable name", q);
		}
		for (k = 0; k + 1 < inv->ndeployments; k++)
			if (strcmp(inv->deployments[k].name, d->name) == 0) {
				path_key(kp, p, "name");
				return fail(c, kp, "duplicate deployment name "
				    "(also $.deployments[%zu])", k);
			}
	}
	return 0;
}

static int
parse_log_endpoints(struct pctx *c, struct ra_inventory *inv,
    const cJSON *obj)
{
	const cJSON *e;
	char p[PATHSZ], q[128];

	if (obj == NULL)
		return 0;
	if (check_object(c, obj, "$.logEndpoints", NULL) != 0)
		return -1;
	inv->log_endpoints = ra_calloc((size_t)cJSON_GetArraySize(obj) + 1,
	    sizeof(*inv->log_endpoints));
	cJSON_ArrayForEach(e, obj) {
		struct ra_log_endpoints *l =
		    &inv->log_endpoints[inv->nlog_endpoints];

		path_key(p, "$.logEndpoints", e->string);
		if (ra_inventory_jurisdiction(inv, e->string) == NULL) {
			quote(q, sizeof(q), e->string);
			return fail(c, p, "unknown jurisdiction \"%s\"", q);
		}
		l->jurisdiction = ra_strdup(e->string);
		inv->nlog_endpoints++;
		if (parse_strv(c, &l->hosts, &l->nhosts, e, p, "hosts") != 0)
			return -1;
	}
	return 0;
}

static int
get_env_name(struct pctx *c, char **out, const cJSON *obj, const char *path)
{
	char kp[PATHSZ], q[128];

	if (get_str(c, out, obj, path, "uriEnv", 1, NULL) != 0)
		return -1;
	if (!is_env_name(*out)) {
		path_key(kp, path, "uriEnv");
		quote(q, sizeof(q), *out);
		return fail(c, kp, "\"%s\" is not an environment variable "
		    "name", q);
	}
	return 0;
}

static int
parse_control_plane(struct pctx *c, struct ra_inventory *inv,
    const cJSON *obj)
{
	static const char *const keys[] = { "uriEnv", "database",
	    "tenantsCollection", NULL };
	const char *p = "$.controlPlane";
	struct ra_control_plane *cp = &inv->control_plane;

	if (obj == NULL)
		return 0;
	if (check_object(c, obj, p, keys) != 0)
		return -1;
	inv->has_control_plane = 1;
	if (get_env_name(c, &cp->uri_env, obj, p) != 0 ||
	    get_str(c, &cp->database, obj, p, "database", 0,
	    "control_plane") != 0 ||
	    get_str(c, &cp->tenants_collection, obj, p, "tenantsCollection",
	    0, "tenants") != 0)
		return -1;
	return 0;
}

static int
parse_data_planes(struct pctx *c, struct ra_inventory *inv,
    const cJSON *arr)
{
	static const char *const keys[] = { "name", "jurisdiction", "uriEnv",
	    "database", "project", "cluster", "keyPrefix", "legacyKeys",
	    "keyPrefixField", "keysCollection", "collections", NULL };
	const cJSON *e, *v;
	char p[PATHSZ], kp[PATHSZ];
	size_t k;

	if (arr == NULL)
		return 0;
	if (!cJSON_IsArray(arr))
		return fail(c, "$.dataPlanes", "expected an array, got %s",
		    type_name(arr));
	inv->data_planes = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*inv->data_planes));
	cJSON_ArrayForEach(e, arr) {
		struct ra_data_plane *d =
		    &inv->data_planes[inv->ndata_planes];

		path_idx(p, "$.dataPlanes", inv->ndata_planes);
		if (check_object(c, e, p, keys) != 0)
			return -1;
		inv->ndata_planes++;
		if (get_str(c, &d->name, e, p, "name", 1, NULL) != 0 ||
		    get_jurisdiction(c, &d->jurisdiction, NULL, inv, e,
		    p) != 0 ||
		    get_env_name(c, &d->uri_env, e, p) != 0 ||
		    get_str(c, &d->database, e, p, "database", 0,
		    "tenant_data") != 0 ||
		    get_str(c, &d->project, e, p, "project", 1, NULL) != 0 ||
		    get_str(c, &d->cluster, e, p, "cluster", 1, NULL) != 0 ||
		    get_str(c, &d->key_prefix, e, p, "keyPrefix", 1,
		    NULL) != 0 ||
		    get_str(c, &d->key_prefix_field, e, p, "keyPrefixField", 0,
		    "key_prefix") != 0 ||
		    get_str(c, &d->keys_collection, e, p, "keysCollection", 0,
		    "connector_instance_api_keys") != 0)
			return -1;
		v = cJSON_GetObjectItemCaseSensitive(e, "legacyKeys");
		if (v != NULL && !cJSON_IsBool(v)) {
			path_key(kp, p, "legacyKeys");
			return fail(c, kp, "expected a boolean, got %s",
			    type_name(v));
		}
		d->legacy_keys = v != NULL && cJSON_IsTrue(v);
		v = cJSON_GetObjectItemCaseSensitive(e, "collections");
		if (v != NULL) {
			path_key(kp, p, "collections");
			if (parse_strv(c, &d->collections, &d->ncollections, v,
			    kp, "collections") != 0)
				return -1;
		}
		/* The plane name keys its probe evidence in raw/, where
		 * "control" is the control plane's; names are also used in
		 * resources ("dataplane/<name>"). */
		if (strcmp(d->name, "control") == 0 ||
		    !ra_is_safe_component(d->name)) {
			path_key(kp, p, "name");
			return fail(c, kp, "data plane name must match "
			    "[A-Za-z0-9._-]+ and not be \"control\"");
		}
		for (k = 0; k + 1 < inv->ndata_planes; k++)
			if (strcmp(inv->data_planes[k].name, d->name) == 0) {
				path_key(kp, p, "name");
				return fail(c, kp, "duplicate data plane name "
				    "(also $.dataPlanes[%zu])", k);
			}
	}
	return 0;
}

static int
parse_root(struct pctx *c, struct ra_inventory *inv, const cJSON *root)
{
	/* "$schema" lets editors validate the file; it is not read. */
	static const char *const keys[] = { "$schema", "orgId", "unlisted",
	    "tagKey", "jurisdictions", "projects", "deployments",
	    "logEndpoints", "controlPlane", "dataPlanes", NULL };
	char *unlisted = NULL, q[128];
	int rc = -1;

	if (check_object(c, root, "$", keys) != 0)
		goto out;
	if (get_str(c, &inv->org_id, root, "$", "orgId", 1, NULL) != 0)
		goto out;
	if (!is_hex24(inv->org_id)) {
		quote(q, sizeof(q), inv->org_id);
		fail(c, "$.orgId", "\"%s\" is not 24 hex digits", q);
		goto out;
	}
	if (get_str(c, &unlisted, root, "$", "unlisted", 0, "fail") != 0)
		goto out;
	if (strcmp(unlisted, "fail") == 0)
		inv->unlisted = RA_UNLISTED_FAIL;
	else if (strcmp(unlisted, "ignore") == 0)
		inv->unlisted = RA_UNLISTED_IGNORE;
	else {
		quote(q, sizeof(q), unlisted);
		fail(c, "$.unlisted", "\"%s\" is neither \"fail\" nor "
		    "\"ignore\"", q);
		goto out;
	}
	if (get_str(c, &inv->tag_key, root, "$", "tagKey", 0,
	    "residency") != 0)
		goto out;
	/* Jurisdictions first: everything else refers to them. */
	if (parse_jurisdictions(c, inv,
	    cJSON_GetObjectItemCaseSensitive(root, "jurisdictions")) != 0 ||
	    parse_projects(c, inv,
	    cJSON_GetObjectItemCaseSensitive(root, "projects")) != 0 ||
	    parse_deployments(c, inv,
	    cJSON_GetObjectItemCaseSensitive(root, "deployments")) != 0 ||
	    parse_log_endpoints(c, inv,
	    cJSON_GetObjectItemCaseSensitive(root, "logEndpoints")) != 0 ||
	    parse_control_plane(c, inv,
	    cJSON_GetObjectItemCaseSensitive(root, "controlPlane")) != 0 ||
	    parse_data_planes(c, inv,
	    cJSON_GetObjectItemCaseSensitive(root, "dataPlanes")) != 0)
		goto out;
	rc = 0;
out:
	free(unlisted);
	return rc;
}

/*
 * The JSON path of the value being read at byte `off` of text, for a
 * syntax error there (CONTRACT §2: every inventory error names its JSON
 * path). A scan of the bytes before `off` that tracks the open objects
 * and arrays, the key last read in each object and the index in each
 * array; it trusts nothing (the text is malformed by definition) and
 * stops at `off`.
 */
static void
path_at(char *dst, const char *text, size_t len, size_t off)
{
	struct frame {
		int	 arr;		/* 1: array, 0: object */
		size_t	 idx;		/* array index */
		int	 want_key;	/* object: the next string is a key */
		char	 key[100];	/* object: the last key, "" if none */
	} st[32];
	char p[PATHSZ / 2], tmp[PATHSZ];	/* p + one step fits tmp */
	size_t depth = 0, i, k, n;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		char ch = text[i];

		if (ch == '{' || ch == '[') {
			if (depth < sizeof(st) / sizeof(st[0])) {
				memset(&st[depth], 0, sizeof(st[depth]));
				st[depth].arr = ch == '[';
				st[depth].want_key = ch == '{';
			}
			depth++;
		} else if ((ch == '}' || ch == ']') && depth > 0) {
			depth--;
		} else if (ch == ',' && depth > 0 &&
		    depth <= sizeof(st) / sizeof(st[0])) {
			if (st[depth - 1].arr)
				st[depth - 1].idx++;
			else {
				st[depth - 1].want_key = 1;
				st[depth - 1].key[0] = '\0';
			}
		} else if (ch == '"') {
			struct frame *f = depth > 0 && depth <= sizeof(st) /
			    sizeof(st[0]) ? &st[depth - 1] : NULL;
			int key = f != NULL && !f->arr && f->want_key;

			for (i++, n = 0; i < off && text[i] != '"'; i++) {
				if (text[i] == '\\' && i + 1 < off)
					i++;
				if (key && n + 1 < sizeof(f->key))
					f->key[n++] = text[i];
			}
			if (key) {
				f->key[n] = '\0';
				f->want_key = 0;
			}
		}
	}
	snprintf(p, sizeof(p), "$");
	for (k = 0; k < depth && k < sizeof(st) / sizeof(st[0]); k++) {
		if (st[k].arr)
			path_idx(tmp, p, st[k].idx);
		else if (st[k].key[0] != '\0' || !st[k].want_key)
			path_key(tmp, p, st[k].key);
		else
			break;	/* between members: the object itself */
		n = strnlen(tmp, sizeof(p) - 1);
		memcpy(p, tmp, n);
		p[n] = '\0';	/* a very deep path is cut, never overrun */
	}
	snprintf(dst, PATHSZ, "%s", p);
}

/*
 * Every JSON-level failure reads "<name>: <path>: invalid JSON at byte
 * N", with the parser's reason in parentheses when it is not plain
 * syntax.
 */
static void
json_error(struct pctx *c, const char *text, size_t len, const char *jerr)
{
	const char *nul, *at = strstr(jerr, "at byte ");
	unsigned long long off = 0;
	const char *why = "";
	char path[PATHSZ];

	if (at != NULL)
		off = strtoull(at + 8, NULL, 10);
	if (len == 0)
		why = " (empty)";
	else if ((nul = memchr(text, '\0', len)) != NULL) {
		off = (unsigned long long)(nul - text);
		why = " (NUL byte)";
	} else if (strstr(jerr, "nested") != NULL)
		why = " (nested too deep)";
	else if (strstr(jerr, "trailing") != NULL)
		why = " (trailing data)";
	path_at(path, text, len, (size_t)off);
	if (c->err != NULL && c->errsz > 0)
		snprintf(c->err, c->errsz, "%s: %s: invalid JSON at byte "
		    "%llu%s", c->name, path, off, why);
}

int
ra_inventory_parse(struct ra_inventory **out, const char *text, size_t len,
    const char *name, const char *base_dir, char *err, size_t errsz)
{
	struct ra_inventory *inv = NULL;
	struct pctx c;
	cJSON *root = NULL;
	char jerr[256];
	int rc = -1;

	*out = NULL;
	c.name = name != NULL ? name : "inventory";
	c.err = err;
	c.errsz = errsz;
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (text == NULL)
		len = 0;
	if (len > INV_MAX_BYTES) {
		fail(&c, "$", "larger than %u bytes", INV_MAX_BYTES);
		goto out;
	}
	root = ra_json_parse(text, len, jerr, sizeof(jerr));
	if (root == NULL) {
		json_error(&c, text, len, jerr);
		goto out;
	}
	inv = ra_calloc(1, sizeof(*inv));
	if (parse_root(&c, inv, root) != 0)
		goto out;
	inv->text = ra_malloc(len + 1);
	memcpy(inv->text, text, len);
	inv->text[len] = '\0';
	inv->textlen = len;
	ra_sha256_hex(text, len, inv->digest);
	inv->base_dir = ra_strdup(base_dir != NULL ? base_dir : ".");
	*out = inv;
	inv = NULL;
	rc = 0;
out:
	cJSON_Delete(root);
	ra_inventory_free(inv);
	return rc;
}

int
ra_inventory_load(struct ra_inventory **out, const char *path, char *err,
    size_t errsz)
{
	char *text = NULL, *copy = NULL;
	size_t len = 0;
	int rc = -1;

	*out = NULL;
	if (ra_file_read(&text, &len, path, INV_MAX_BYTES) != 0) {
		snprintf(err, errsz, "%s: cannot read (at most %u bytes): %s",
		    path, INV_MAX_BYTES, strerror(errno));
		goto out;
	}
	copy = ra_strdup(path);
	rc = ra_inventory_parse(out, text, len, path, dirname(copy), err,
	    errsz);
out:
	free(copy);
	free(text);
	return rc;
}

void
ra_inventory_free(struct ra_inventory *inv)
{
	size_t i;

	if (inv == NULL)
		return;
	free(inv->org_id);
	free(inv->tag_key);
	for (i = 0; i < inv->njurisdictions; i++) {
		free(inv->jurisdictions[i].key);
		free_strv(inv->jurisdictions[i].regions,
		    inv->jurisdictions[i].nregions);
	}
	free(inv->jurisdictions);
	for (i = 0; i < inv->nprojects; i++) {
		free(inv->projects[i].id);
		free(inv->projects[i].name);
		free(inv->projects[i].jurisdiction);
		free_strv(inv->projects[i].regions, inv->projects[i].nregions);
	}
	free(inv->projects);
	for (i = 0; i < inv->ndeployments; i++) {
		free(inv->deployments[i].name);
		free(inv->deployments[i].jurisdiction);
		free(inv->deployments[i].env_file);
		free(inv->deployments[i].variable);
	}
	free(inv->deployments);
	for (i = 0; i < inv->nlog_endpoints; i++) {
		free(inv->log_endpoints[i].jurisdiction);
		free_strv(inv->log_endpoints[i].hosts,
		    inv->log_endpoints[i].nhosts);
	}
	free(inv->log_endpoints);
	free(inv->control_plane.uri_env);
	free(inv->control_plane.database);
	free(inv->control_plane.tenants_collection);
	for (i = 0; i < inv->ndata_planes; i++) {
		struct ra_data_plane *d = &inv->data_planes[i];

		free(d->name);
		free(d->jurisdiction);
		free(d->uri_env);
		free(d->database);
		free(d->project);
		free(d->cluster);
		free(d->key_prefix);
		free(d->key_prefix_field);
		free(d->keys_collection);
		free_strv(d->collections, d->ncollections);
	}
	free(inv->data_planes);
	free(inv->text);
	free(inv->base_dir);
	free(inv);
}

const struct ra_jurisdiction *
ra_inventory_jurisdiction(const struct ra_inventory *inv, const char *key)
{
	size_t i;

	if (inv == NULL || key == NULL)
		return NULL;
	/* Linear: jurisdictions are sorted only once parsing is done. */
	for (i = 0; i < inv->njurisdictions; i++)
		if (inv->jurisdictions[i].key != NULL &&
		    strcmp(inv->jurisdictions[i].key, key) == 0)
			return &inv->jurisdictions[i];
	return NULL;
}

const char *
ra_plane_name(enum ra_plane p)
{
	switch (p) {
	case RA_PLANE_CONTROL:
		return "control";
	case RA_PLANE_SHARED:
		return "shared";
	case RA_PLANE_DATA:
	default:
		return "data";
	}
}
