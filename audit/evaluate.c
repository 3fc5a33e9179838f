/* evaluate.c: see evaluate.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dataplane.h"
#include "envfile.h"
#include "evaluate.h"
#include "jsonutil.h"
#include "log.h"
#include "raw.h"
#include "tfstate.h"
#include "util.h"

#define ENVFILE_MAX	(1u << 20)

/* Builds ctx envs from the "local:env" records (keyed by deployment name
 * in the record's `cluster` field). */
static void
load_envs(struct ra_evaluation *ev, const char *pack_dir,
    const struct ra_inventory *inv)
{
	ev->nenvs = inv->ndeployments;
	ev->envs = ra_calloc(inv->ndeployments, sizeof(*ev->envs));
	for (size_t i = 0; i < inv->ndeployments; i++) {
		struct ra_local_env *e = &ev->envs[i];
		const struct ra_raw_record *r;
		char *body = NULL, perr[160];
		size_t len = 0;
		cJSON *doc = NULL;
		const char *v, *why;

		e->deployment = &inv->deployments[i];
		r = ra_model_record(ev->model, RA_LOCAL_ENV,
		    inv->deployments[i].name);
		if (r == NULL) {
			ra_ev_set_record(&e->ev, RA_EV_FAILED, NULL,
			    "no env-file record in raw/");
			continue;
		}
		if (ra_raw_read_body(pack_dir, r, &body, &len) != 0 ||
		    (doc = ra_json_parse(body, len, perr,
		    sizeof(perr))) == NULL) {
			ra_ev_set_record(&e->ev, RA_EV_INVALID, r,
			    "env-file record unreadable");
			free(body);
			continue;
		}
		why = ra_json_str(doc, "error");
		v = ra_json_str(doc, "value");
		if (why != NULL)
			ra_ev_set_record(&e->ev, RA_EV_FAILED, r, why);
		else {
			ra_ev_set_record(&e->ev, RA_EV_OK, r, NULL);
			e->value = ra_strdup(v); /* NULL: variable absent */
		}
		cJSON_Delete(doc);
		free(body);
	}
}

static int
load_tf(struct ra_evaluation *ev, const char *pack_dir, char *err,
    size_t errsz)
{
	const struct ra_raw_record *r;
	char *body = NULL;
	size_t len = 0;
	int rc = -1;

	if ((r = ra_model_record(ev->model, RA_LOCAL_TFSTATE, NULL)) == NULL)
		return 0;
	if (ra_raw_read_body(pack_dir, r, &body, &len) != 0) {
		snprintf(err, errsz, "%s: cannot read", r->meta_file);
		goto out;
	}
	if (ra_tfstate_parse(&ev->tf, body, len, r->body_file, err, errsz) != 0)
		goto out;
	ev->tf->ref.file = ra_strdup(r->body_file);
	snprintf(ev->tf->ref.sha256, RA_SHA256_HEX, "%s", r->sha256);
	rc = 0;
out:
	free(body);
	return rc;
}

int
ra_evaluate(struct ra_evaluation *ev, const char *pack_dir,
    const struct ra_inventory *inv, char *err, size_t errsz)
{
	struct ra_ctx ctx;

	memset(ev, 0, sizeof(*ev));
	if (ra_model_load(&ev->model, pack_dir, err, errsz) != 0)
		return -1;
	if (ra_scopes_build(&ev->scopes, &ev->nscopes, ev->model, inv) != 0) {
		snprintf(err, errsz, "cannot classify projects");
		return -1;
	}
	load_envs(ev, pack_dir, inv);
	if (load_tf(ev, pack_dir, err, errsz) != 0)
		return -1;

	memset(&ctx, 0, sizeof(ctx));
	ctx.model = ev->model;
	ctx.inv = inv;
	ctx.scopes = ev->scopes;
	ctx.nscopes = ev->nscopes;
	ctx.envs = ev->envs;
	ctx.nenvs = ev->nenvs;
	ctx.tf = ev->tf;
	ra_dataplane_load(&ev->dataplane, pack_dir, ev->model, inv);
	ctx.dataplane = ev->dataplane;
	ra_checks_run(&ctx, &ev->findings);
	return 0;
}

void
ra_evaluation_free(struct ra_evaluation *ev)
{
	if (ev == NULL)
		return;
	for (size_t i = 0; i < ev->nenvs; i++) {
		ra_ev_clear(&ev->envs[i].ev);
		free(ev->envs[i].value);
	}
	free(ev->envs);
	ra_scopes_free(ev->scopes, ev->nscopes);
	ra_tfstate_free(ev->tf);
	ra_dataplane_free(ev->dataplane);
	ra_findings_free(&ev->findings);
	ra_model_free(ev->model);
	memset(ev, 0, sizeof(*ev));
}

static int
write_local(const char *pack_dir, unsigned seq, const char *endpoint,
    const char *key, const char *url, const cJSON *doc)
{
	struct ra_raw_record rec;
	char when[32], method[] = "READ", accept[] = "application/json",
	    outcome[] = "ok", *body = ra_json_print(doc);
	int rc;

	memset(&rec, 0, sizeof(rec));
	ra_time_rfc3339(ra_clock_now(), when, sizeof(when));
	rec.seq = seq;
	rec.endpoint = ra_strdup(endpoint);
	rec.cluster = ra_strdup(key);
	rec.method = method;
	rec.url = ra_strdup(url);
	rec.accept = accept;
	rec.received_at = when;
	rec.attempts = 1;
	rec.outcome = outcome;
	rec.list_complete = -1;
	rc = ra_raw_write(pack_dir, &rec, body, strlen(body));
	free(rec.endpoint);
	free(rec.cluster);
	free(rec.url);
	free(rec.body_file);
	free(body);
	return rc;
}

/*
 * The "local:env" record of one deployment: {deployment, envFile,
 * variable, value (userinfo redacted, null when unassigned), error
 * (null, or why the file could not be read)}. Only that one value is
 * kept: the rest of an env file is secrets.
 */
static cJSON *
env_evidence(const struct ra_deployment *d, const char *base_dir)
{
	cJSON *doc = cJSON_CreateObject();
	char *path, *text = NULL, *value = NULL, *why = NULL, perr[200],
	    red[2048];
	size_t len = 0;
	int found = 0;

	path = d->env_file[0] == '/' ? ra_strdup(d->env_file) :
	    ra_asprintf("%s/%s", base_dir ? base_dir : ".", d->env_file);
	if (ra_file_read(&text, &len, path, ENVFILE_MAX) != 0)
		why = ra_asprintf("%s: %s", d->env_file, strerror(errno));
	else if ((found = ra_envfile_get(text, len, d->variable, &value, perr,
	    sizeof(perr))) < 0)
		why = ra_asprintf("%s: %s", d->env_file, perr);
	cJSON_AddStringToObject(doc, "deployment", d->name);
	cJSON_AddStringToObject(doc, "envFile", d->env_file);
	cJSON_AddStringToObject(doc, "variable", d->variable);
	if (found > 0) {
		ra_redact_url(value, red, sizeof(red));
		cJSON_AddStringToObject(doc, "value", red);
	} else
		cJSON_AddNullToObject(doc, "value");
	if (why != NULL)
		cJSON_AddStringToObject(doc, "error", why);
	else
		cJSON_AddNullToObject(doc, "error");
	free(why);
	free(value);
	free(text);
	free(path);
	return doc;
}

/*
 * The "local:terraform-state" record: a minimal state holding only the
 * resource-policy names and bodies (a state holds secrets), which
 * tfstate.c reads back like the original.
 */
static cJSON *
tfstate_evidence(const struct ra_tfstate *tf)
{
	cJSON *doc = cJSON_CreateObject(), *arr;

	cJSON_AddNumberToObject(doc, "version", 4);
	arr = cJSON_AddArrayToObject(doc, "resources");
	for (size_t i = 0; i < tf->n; i++) {
		cJSON *res = cJSON_CreateObject(), *inst = cJSON_CreateObject(),
		    *attrs, *pols;

		cJSON_AddStringToObject(res, "mode", "managed");
		cJSON_AddStringToObject(res, "type",
		    "mongodbatlas_resource_policy");
		cJSON_AddStringToObject(res, "name", "policy");
		attrs = cJSON_AddObjectToObject(inst, "attributes");
		cJSON_AddStringToObject(attrs, "name", tf->v[i].name);
		pols = cJSON_AddArrayToObject(attrs, "policies");
		for (size_t j = 0; j < tf->v[i].nbodies; j++) {
			cJSON *b = cJSON_CreateObject();

			cJSON_AddStringToObject(b, "body", tf->v[i].bodies[j]);
			cJSON_AddItemToArray(pols, b);
		}
		cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "instances"),
		    inst);
		cJSON_AddItemToArray(arr, res);
	}
	return doc;
}

int
ra_local_capture(const char *pack_dir, const struct ra_inventory *inv,
    const char *tfstate_path, unsigned first_seq, int *usage_error,
    char *err, size_t errsz)
{
	struct ra_tfstate *tf = NULL;
	unsigned seq = first_seq;
	cJSON *doc = NULL;
	char *url = NULL;
	int rc = -1;

	*usage_error = 0;
	for (size_t i = 0; i < inv->ndeployments; i++) {
		const struct ra_deployment *d = &inv->deployments[i];

		doc = env_evidence(d, inv->base_dir);
		url = ra_asprintf("file:%s#%s", d->env_file, d->variable);
		if (write_local(pack_dir, seq++, RA_LOCAL_ENV, d->name, url,
		    doc) != 0)
			goto write_failed;
		cJSON_Delete(doc);
		free(url);
		doc = NULL;
		url = NULL;
	}
	if (tfstate_path != NULL) {
		if (ra_tfstate_load(&tf, tfstate_path, err, errsz) != 0) {
			*usage_error = 1;
			goto out;
		}
		doc = tfstate_evidence(tf);
		url = ra_asprintf("file:%s", tfstate_path);
		if (write_local(pack_dir, seq++, RA_LOCAL_TFSTATE, NULL, url,
		    doc) != 0)
			goto write_failed;
	}
	rc = 0;
	goto out;
write_failed:
	snprintf(err, errsz, "%s/raw: %s", pack_dir, strerror(errno));
out:
	ra_tfstate_free(tf);
	cJSON_Delete(doc);
	free(url);
	return rc;
}

static int
copy_file(const char *src, const char *dst)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (ra_file_read(&data, &len, src, (size_t)1 << 31) != 0)
		return -1;
	rc = ra_file_write(dst, data, len);
	free(data);
	return rc;
}

int
ra_raw_copy(const char *src_pack, const char *dst_dir, int drop_tfstate,
    unsigned *next_seq, char *err, size_t errsz)
{
	struct ra_raw_record *recs = NULL;
	size_t n = 0;
	char *dir = ra_asprintf("%s/%s", dst_dir, RA_RAW_DIR);
	int rc = -1;

	*next_seq = 1;
	if (ra_raw_load(src_pack, &recs, &n, err, errsz) != 0)
		goto out;
	if (ra_mkdir_p(dir) != 0) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ra_raw_record *r = &recs[i];
		const char *files[2] = { r->meta_file, r->body_file };

		if (r->seq >= *next_seq)
			*next_seq = r->seq + 1;
		if (drop_tfstate && strcmp(r->endpoint, RA_LOCAL_TFSTATE) == 0)
			continue;
		for (int k = 0; k < 2; k++) {
			char *src, *dst;
			int c;

			if (files[k] == NULL)
				continue;
			src = ra_asprintf("%s/%s", src_pack, files[k]);
			dst = ra_asprintf("%s/%s", dst_dir, files[k]);
			c = copy_file(src, dst);
			if (c != 0)
				snprintf(err, errsz, "%s: %s", dst,
				    strerror(errno));
			free(src);
			free(dst);
			if (c != 0)
				goto out;
		}
	}
	rc = 0;
out:
	ra_raw_records_free(recs, n);
	free(dir);
	return rc;
}
