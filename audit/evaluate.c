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

static const struct ra_raw_record *
find_local(const struct ra_model *m, const char *endpoint, const char *key)
{
	for (size_t i = 0; i < m->nrecords; i++) {
		const struct ra_raw_record *r = &m->records[i];

		if (strcmp(r->endpoint, endpoint) != 0)
			continue;
		if (key == NULL || (r->cluster != NULL && strcmp(r->cluster, key) == 0))
			return r;
	}
	return NULL;
}

static void
ev_set(struct ra_ev *ev, enum ra_ev_status st, const struct ra_raw_record *r,
    const char *reason)
{
	ev->status = st;
	ev->reason = ra_strdup(reason);
	if (r == NULL)
		return;
	ev->refs = ra_calloc(1, sizeof(*ev->refs));
	ev->nrefs = 1;
	ev->refs[0].file = ra_strdup(r->body_file ? r->body_file : r->meta_file);
	snprintf(ev->refs[0].sha256, RA_SHA256_HEX, "%s",
	    r->body_file ? r->sha256 : r->meta_sha256);
}

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
		r = find_local(ev->model, RA_LOCAL_ENV, inv->deployments[i].name);
		if (r == NULL) {
			ev_set(&e->ev, RA_EV_FAILED, NULL,
			    "no env-file record in raw/");
			continue;
		}
		if (ra_raw_read_body(pack_dir, r, &body, &len) != 0 ||
		    (doc = ra_json_parse(body, len, perr, sizeof(perr))) == NULL) {
			ev_set(&e->ev, RA_EV_INVALID, r, "env-file record unreadable");
			free(body);
			continue;
		}
		why = ra_json_str(doc, "error");
		v = ra_json_str(doc, "value");
		if (why != NULL)
			ev_set(&e->ev, RA_EV_FAILED, r, why);
		else {
			ev_set(&e->ev, RA_EV_OK, r, NULL);
			e->value = ra_strdup(v);	/* NULL: variable absent */
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

	if ((r = find_local(ev->model, RA_LOCAL_TFSTATE, NULL)) == NULL)
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
		free(ev->envs[i].ev.reason);
		for (size_t j = 0; j < ev->envs[i].ev.nrefs; j++)
			free(ev->envs[i].ev.refs[j].file);
		free(ev->envs[i].ev.refs);
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

/* Redacts userinfo in place of a URL value (log URLs may embed a token). */
static char *
redact_value(const char *v)
{
	char out[2048];

	ra_redact_url(v, out, sizeof(out));
	return ra_strdup(out);
}

static int
write_local(const char *pack_dir, unsigned seq, const char *endpoint,
    const char *key, const char *url, const char *body)
{
	struct ra_raw_record rec;
	char when[32], method[] = "READ", accept[] = "application/json",
	    outcome[] = "ok";
	int rc;

	memset(&rec, 0, sizeof(rec));
	ra_time_rfc3339(ra_clock_now(), when, sizeof(when));
	rec.seq = seq;
	rec.endpoint = ra_strdup(endpoint);
	rec.cluster = ra_strdup(key);
	rec.method = method;
	rec.url = ra_strdup(url);
	rec.accept = accept;
	rec.status = 0;
	rec.received_at = when;
	rec.attempts = 1;
	rec.outcome = outcome;
	rec.list_complete = -1;
	rc = ra_raw_write(pack_dir, &rec, body, strlen(body));
	free(rec.endpoint);
	free(rec.cluster);
	free(rec.url);
	free(rec.body_file);
	return rc;
}

int
ra_local_capture(const char *pack_dir, const struct ra_inventory *inv,
    const char *tfstate_path, unsigned first_seq, int *usage_error,
    char *err, size_t errsz)
{
	unsigned seq = first_seq;
	int rc = -1;

	*usage_error = 0;
	for (size_t i = 0; i < inv->ndeployments; i++) {
		const struct ra_deployment *d = &inv->deployments[i];
		char *path, *text = NULL, *value = NULL, *body, *url, perr[200];
		size_t len = 0;
		cJSON *doc = cJSON_CreateObject();
		int found;

		path = d->env_file[0] == '/' ? ra_strdup(d->env_file) :
		    ra_asprintf("%s/%s", inv->base_dir ? inv->base_dir : ".",
		    d->env_file);
		cJSON_AddStringToObject(doc, "deployment", d->name);
		cJSON_AddStringToObject(doc, "envFile", d->env_file);
		cJSON_AddStringToObject(doc, "variable", d->variable);
		if (ra_file_read(&text, &len, path, ENVFILE_MAX) != 0) {
			char *why = ra_asprintf("%s: %s", d->env_file,
			    strerror(errno));

			cJSON_AddNullToObject(doc, "value");
			cJSON_AddStringToObject(doc, "error", why);
			free(why);
		} else if ((found = ra_envfile_get(text, len, d->variable,
		    &value, perr, sizeof(perr))) < 0) {
			char *why = ra_asprintf("%s: %s", d->env_file, perr);

			cJSON_AddNullToObject(doc, "value");
			cJSON_AddStringToObject(doc, "error", why);
			free(why);
		} else {
			char *red = found ? redact_value(value) : NULL;

			if (red != NULL)
				cJSON_AddStringToObject(doc, "value", red);
			else
				cJSON_AddNullToObject(doc, "value");
			cJSON_AddNullToObject(doc, "error");
			free(red);
		}
		body = ra_json_print(doc);
		url = ra_asprintf("file:%s#%s", d->env_file, d->variable);
		rc = write_local(pack_dir, seq++, RA_LOCAL_ENV, d->name, url, body);
		free(url);
		free(body);
		free(value);
		free(text);
		free(path);
		cJSON_Delete(doc);
		if (rc != 0) {
			snprintf(err, errsz, "%s/raw: %s", pack_dir, strerror(errno));
			return -1;
		}
	}
	if (tfstate_path != NULL) {
		struct ra_tfstate *tf = NULL;
		cJSON *doc, *arr;
		char *body, *url;

		if (ra_tfstate_load(&tf, tfstate_path, err, errsz) != 0) {
			*usage_error = 1;
			return -1;
		}
		/* Only the policy bodies are kept: a state holds secrets. The
		 * record is itself a minimal state that tfstate.c re-reads. */
		doc = cJSON_CreateObject();
		cJSON_AddNumberToObject(doc, "version", 4);
		arr = cJSON_AddArrayToObject(doc, "resources");
		for (size_t i = 0; i < tf->n; i++) {
			cJSON *res = cJSON_CreateObject(), *insts, *inst, *attrs,
			    *pols;

			cJSON_AddStringToObject(res, "mode", "managed");
			cJSON_AddStringToObject(res, "type",
			    "mongodbatlas_resource_policy");
			cJSON_AddStringToObject(res, "name", "policy");
			insts = cJSON_AddArrayToObject(res, "instances");
			inst = cJSON_CreateObject();
			attrs = cJSON_AddObjectToObject(inst, "attributes");
			cJSON_AddStringToObject(attrs, "name", tf->v[i].name);
			pols = cJSON_AddArrayToObject(attrs, "policies");
			for (size_t j = 0; j < tf->v[i].nbodies; j++) {
				cJSON *p = cJSON_CreateObject();

				cJSON_AddStringToObject(p, "body", tf->v[i].bodies[j]);
				cJSON_AddItemToArray(pols, p);
			}
			cJSON_AddItemToArray(insts, inst);
			cJSON_AddItemToArray(arr, res);
		}
		body = ra_json_print(doc);
		url = ra_asprintf("file:%s", tfstate_path);
		rc = write_local(pack_dir, seq++, RA_LOCAL_TFSTATE, NULL, url, body);
		free(url);
		free(body);
		cJSON_Delete(doc);
		ra_tfstate_free(tf);
		if (rc != 0) {
			snprintf(err, errsz, "%s/raw: %s", pack_dir, strerror(errno));
			return -1;
		}
	}
	return 0;
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
				snprintf(err, errsz, "%s: %s", dst, strerror(errno));
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
