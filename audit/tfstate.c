/* tfstate.c: see tfstate.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "tfstate.h"
#include "util.h"

#define TF_TYPE		"mongodbatlas_resource_policy"

static const char *
json_type_name(const cJSON *v)
{
	if (v == NULL)
		return "absent";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

/* Sets err to "<name>: <path>: expected <what>, got <type>". */
static void
type_error(char *err, size_t errsz, const char *name, const char *path,
    const char *what, const cJSON *got)
{
	snprintf(err, errsz, "%s: %s: expected %s, got %s", name, path, what,
	    json_type_name(got));
}

static int
cmp_policy(const void *a, const void *b)
{
	return strcmp(((const struct ra_tf_policy *)a)->name,
	    ((const struct ra_tf_policy *)b)->name);
}

static void
policy_clear(struct ra_tf_policy *p)
{
	for (size_t i = 0; i < p->nbodies; i++)
		free(p->bodies[i]);
	free(p->bodies);
	free(p->name);
}

/*
 * Reads one instance's attributes into *p. Returns 0, or -1 with err set.
 * `path` is the instance's JSON path.
 */
static int
read_instance(struct ra_tf_policy *p, const cJSON *inst, const char *name,
    const char *path, char *err, size_t errsz)
{
	const cJSON *attrs, *v, *pols, *pol;
	char sub[256];
	size_t i = 0;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (!cJSON_IsObject(inst)) {
		type_error(err, errsz, name, path, "an object", inst);
		goto out;
	}
	attrs = cJSON_GetObjectItemCaseSensitive(inst, "attributes");
	if (!cJSON_IsObject(attrs)) {
		snprintf(sub, sizeof(sub), "%s.attributes", path);
		type_error(err, errsz, name, sub, "an object", attrs);
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(attrs, "name");
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		snprintf(sub, sizeof(sub), "%s.attributes.name", path);
		type_error(err, errsz, name, sub, "a non-empty string", v);
		goto out;
	}
	pols = cJSON_GetObjectItemCaseSensitive(attrs, "policies");
	if (!cJSON_IsArray(pols)) {
		snprintf(sub, sizeof(sub), "%s.attributes.policies", path);
		type_error(err, errsz, name, sub, "an array", pols);
		goto out;
	}
	p->name = ra_strdup(v->valuestring);
	p->bodies = ra_calloc((size_t)cJSON_GetArraySize(pols) + 1,
	    sizeof(*p->bodies));
	cJSON_ArrayForEach(pol, pols) {
		const cJSON *body;

		snprintf(sub, sizeof(sub), "%s.attributes.policies[%zu]", path,
		    i);
		if (!cJSON_IsObject(pol)) {
			type_error(err, errsz, name, sub, "an object", pol);
			goto out;
		}
		body = cJSON_GetObjectItemCaseSensitive(pol, "body");
		if (!cJSON_IsString(body)) {
			snprintf(sub, sizeof(sub),
			    "%s.attributes.policies[%zu].body", path, i);
			type_error(err, errsz, name, sub, "a string", body);
			goto out;
		}
		p->bodies[p->nbodies++] = ra_strdup(body->valuestring);
		i++;
	}
	rc = 0;
out:
	if (rc != 0)
		policy_clear(p);
	return rc;
}

int
ra_tfstate_parse(struct ra_tfstate **out, const char *text, size_t len,
    const char *name, char *err, size_t errsz)
{
	struct ra_tfstate *tf = NULL;
	cJSON *root = NULL;
	const cJSON *v, *res, *r;
	char jerr[200], path[128];
	long long version;
	size_t ri = 0, cap = 0;
	int rc = -1;

	*out = NULL;
	if (name == NULL)
		name = "terraform state";
	if (len > RA_TFSTATE_MAX) {
		snprintf(err, errsz, "%s: larger than %u bytes", name,
		    RA_TFSTATE_MAX);
		goto out;
	}
	if ((root = ra_json_parse(text, len, jerr, sizeof(jerr))) == NULL) {
		snprintf(err, errsz, "%s: not JSON: %s", name, jerr);
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		type_error(err, errsz, name, "$", "an object", root);
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (ra_json_int(root, "version", &version) != 0) {
		type_error(err, errsz, name, "$.version", "an integer", v);
		goto out;
	}
	if (version != 4) {
		snprintf(err, errsz, "%s: $.version: state format %lld is not "
		    "supported (4 is)", name, version);
		goto out;
	}
	res = cJSON_GetObjectItemCaseSensitive(root, "resources");
	if (!cJSON_IsArray(res)) {
		type_error(err, errsz, name, "$.resources", "an array", res);
		goto out;
	}
	tf = ra_calloc(1, sizeof(*tf));
	cJSON_ArrayForEach(r, res) {
		const cJSON *type, *mode, *insts, *inst;
		size_t ii = 0;

		snprintf(path, sizeof(path), "$.resources[%zu]", ri);
		if (!cJSON_IsObject(r)) {
			type_error(err, errsz, name, path, "an object", r);
			goto out;
		}
		type = cJSON_GetObjectItemCaseSensitive(r, "type");
		mode = cJSON_GetObjectItemCaseSensitive(r, "mode");
		if (!cJSON_IsString(type)) {
			snprintf(path, sizeof(path), "$.resources[%zu].type", ri);
			type_error(err, errsz, name, path, "a string", type);
			goto out;
		}
		if (!cJSON_IsString(mode)) {
			snprintf(path, sizeof(path), "$.resources[%zu].mode", ri);
			type_error(err, errsz, name, path, "a string", mode);
			goto out;
		}
		ri++;
		if (strcmp(type->valuestring, TF_TYPE) != 0 ||
		    strcmp(mode->valuestring, "managed") != 0)
			continue;
		insts = cJSON_GetObjectItemCaseSensitive(r, "instances");
		if (!cJSON_IsArray(insts)) {
			snprintf(path, sizeof(path), "$.resources[%zu].instances",
			    ri - 1);
			type_error(err, errsz, name, path, "an array", insts);
			goto out;
		}
		cJSON_ArrayForEach(inst, insts) {
			snprintf(path, sizeof(path),
			    "$.resources[%zu].instances[%zu]", ri - 1, ii++);
			if (tf->n == RA_TFSTATE_MAX_POLICIES) {
				snprintf(err, errsz, "%s: %s: more than %d "
				    "resource policies", name, path,
				    RA_TFSTATE_MAX_POLICIES);
				goto out;
			}
			if (tf->n == cap) {
				cap = cap ? cap * 2 : 8;
				tf->v = ra_realloc(tf->v, cap * sizeof(*tf->v));
			}
			if (read_instance(&tf->v[tf->n], inst, name, path, err,
			    errsz) != 0)
				goto out;
			if (ra_tfstate_find(tf, tf->v[tf->n].name) != NULL) {
				snprintf(err, errsz, "%s: %s.attributes.name: "
				    "a policy of that name is already defined "
				    "earlier in the state", name, path);
				policy_clear(&tf->v[tf->n]);
				goto out;
			}
			tf->n++;
		}
	}
	if (tf->n > 1)
		qsort(tf->v, tf->n, sizeof(*tf->v), cmp_policy);
	*out = tf;
	tf = NULL;
	rc = 0;
out:
	ra_tfstate_free(tf);
	cJSON_Delete(root);
	return rc;
}

int
ra_tfstate_load(struct ra_tfstate **out, const char *path, char *err,
    size_t errsz)
{
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	*out = NULL;
	if (ra_file_read(&text, &len, path, RA_TFSTATE_MAX) != 0) {
		snprintf(err, errsz, "%s: cannot read: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = ra_tfstate_parse(out, text, len, path, err, errsz);
out:
	free(text);
	return rc;
}

/* Linear: the state is unsorted while it is being read. */
const struct ra_tf_policy *
ra_tfstate_find(const struct ra_tfstate *tf, const char *name)
{
	if (tf == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < tf->n; i++)
		if (strcmp(tf->v[i].name, name) == 0)
			return &tf->v[i];
	return NULL;
}

void
ra_tfstate_free(struct ra_tfstate *tf)
{
	if (tf == NULL)
		return;
	for (size_t i = 0; i < tf->n; i++)
		policy_clear(&tf->v[i]);
	free(tf->v);
	free(tf->ref.file);
	free(tf);
}
