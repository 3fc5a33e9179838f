/* dataplane.c: see dataplane.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dataplane.h"
#include "jsonutil.h"
#include "probe.h"
#include "raw.h"
#include "util.h"

static int
cmp_tenant(const void *a, const void *b)
{
	const struct ra_dp_tenant *x = a, *y = b;

	return strcmp(x->id, y->id);
}

/*
 * Reads the record of endpoint for plane `name`: returns the parsed
 * "result" object's document (caller frees *doc) with ev OK, or NULL with
 * ev set to the reason.
 */
static const cJSON *
read_rec(cJSON **doc, struct ra_ev *ev, const char *pack_dir,
    const struct ra_model *m, const char *endpoint, const char *name)
{
	const struct ra_raw_record *r = ra_model_record(m, endpoint, name);
	const cJSON *res;
	char *body = NULL, perr[160], *why;
	size_t len = 0;

	*doc = NULL;
	if (r == NULL) {
		why = ra_asprintf("no %s record in raw/", endpoint);
		ra_ev_set_record(ev, RA_EV_NOT_FETCHED, NULL, why);
		free(why);
		return NULL;
	}
	if (r->outcome == NULL || strcmp(r->outcome, "ok") != 0) {
		ra_ev_set_record(ev, RA_EV_FAILED, r,
		    r->error != NULL ? r->error :
		    r->outcome != NULL ? r->outcome : "no outcome");
		return NULL;
	}
	if (ra_raw_read_body(pack_dir, r, &body, &len) != 0 ||
	    (*doc = ra_json_parse(body, len, perr, sizeof(perr))) == NULL) {
		free(body);
		why = ra_asprintf("%s record unreadable", endpoint);
		ra_ev_set_record(ev, RA_EV_INVALID, r, why);
		free(why);
		return NULL;
	}
	free(body);
	if ((res = ra_json_obj(*doc, "result")) == NULL) {
		why = ra_asprintf("%s record without a result", endpoint);
		ra_ev_set_record(ev, RA_EV_INVALID, r, why);
		free(why);
		cJSON_Delete(*doc);
		*doc = NULL;
		return NULL;
	}
	ra_ev_set_record(ev, RA_EV_OK, r, NULL);
	return res;
}

/* Copies the strings of an array (other items are skipped). */
static char **
strings(const cJSON *arr, size_t *n)
{
	const cJSON *it;
	char **v;
	size_t k = 0;

	*n = 0;
	if (arr == NULL)
		return NULL;
	v = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*v));
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			v[k++] = ra_strdup(it->valuestring);
	*n = k;
	return v;
}

static void
add_unique(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	*v = ra_realloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = ra_strdup(s);
}

static void
load_hello(struct ra_dp_plane *p, const char *pack_dir,
    const struct ra_model *m)
{
	cJSON *doc = NULL;
	const cJSON *res, *it;
	const char *s;

	res = read_rec(&doc, &p->hello_ev, pack_dir, m, RA_PROBE_HELLO,
	    p->name);
	if (res == NULL)
		return;
	p->srv = ra_strdup(ra_json_str(doc, "srv"));
	if (p->srv == NULL)
		cJSON_ArrayForEach(it, ra_json_arr(doc, "uriHosts"))
			if (cJSON_IsString(it))
				add_unique(&p->servers, &p->nservers,
				    it->valuestring);
	cJSON_ArrayForEach(it, ra_json_arr(res, "hosts"))
		if (cJSON_IsString(it))
			add_unique(&p->servers, &p->nservers, it->valuestring);
	if ((s = ra_json_str(res, "me")) != NULL)
		add_unique(&p->servers, &p->nservers, s);
	cJSON_ArrayForEach(it, ra_json_arr(res, "connected"))
		if (cJSON_IsString(it))
			add_unique(&p->servers, &p->nservers, it->valuestring);
	if (p->nservers > 0)
		qsort(p->servers, p->nservers, sizeof(*p->servers), ra_strp_cmp);
	p->set_name = ra_strdup(ra_json_str(res, "setName"));
	cJSON_Delete(doc);
}

static unsigned long
count_of(const cJSON *o, const char *key)
{
	long long v;

	return ra_json_int(o, key, &v) == 0 && v >= 0 ? (unsigned long)v : 0;
}

static void
load_data(struct ra_dp_plane *p, const char *pack_dir,
    const struct ra_model *m)
{
	cJSON *doc = NULL;
	const cJSON *res, *it;
	size_t k;

	if (!ra_ev_usable(&p->hello_ev)) {
		ra_ev_copy(&p->tenant_ids_ev, &p->hello_ev);
		ra_ev_copy(&p->keys_ev, &p->hello_ev);
		return;
	}
	res = read_rec(&doc, &p->tenant_ids_ev, pack_dir, m,
	    RA_PROBE_TENANT_IDS, p->name);
	if (res != NULL) {
		const cJSON *arr = ra_json_arr(res, "collections");

		p->colls = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1,
		    sizeof(*p->colls));
		k = 0;
		cJSON_ArrayForEach(it, arr) {
			struct ra_dp_coll *c = &p->colls[k];
			int b = 0;

			if (ra_json_str(it, "name") == NULL)
				continue;
			c->name = ra_strdup(ra_json_str(it, "name"));
			c->truncated = ra_json_bool(it, "truncated", &b) == 0 &&
			    b;
			c->ids = strings(ra_json_arr(it, "tenantIds"),
			    &c->nids);
			k++;
		}
		p->ncolls = k;
	}
	cJSON_Delete(doc);

	res = read_rec(&doc, &p->keys_ev, pack_dir, m, RA_PROBE_KEYS, p->name);
	if (res != NULL) {
		const cJSON *arr = ra_json_arr(res, "prefixes"), *mi;
		int b;

		p->keys_total = count_of(res, "total");
		p->prefixes = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1,
		    sizeof(*p->prefixes));
		k = 0;
		cJSON_ArrayForEach(it, arr) {
			struct ra_dp_prefix *x = &p->prefixes[k];

			if (ra_json_str(it, "value") == NULL)
				continue;
			x->value = ra_strdup(ra_json_str(it, "value"));
			x->count = count_of(it, "count");
			b = 0;
			x->ids_recorded = ra_json_bool(it, "idsRecorded",
			    &b) == 0 && b;
			b = 0;
			x->ids_truncated = ra_json_bool(it, "idsTruncated",
			    &b) == 0 && b;
			x->ids = strings(ra_json_arr(it, "ids"), &x->nids);
			k++;
		}
		p->nprefixes = k;
		if ((mi = ra_json_obj(res, "missing")) != NULL) {
			p->missing = count_of(mi, "count");
			b = 0;
			p->missing_truncated = ra_json_bool(mi,
			    "idsTruncated", &b) == 0 && b;
			p->missing_ids = strings(ra_json_arr(mi, "ids"),
			    &p->nmissing_ids);
		}
	}
	cJSON_Delete(doc);
}

static void
load_tenants(struct ra_dataplane *d, const char *pack_dir,
    const struct ra_model *m)
{
	cJSON *doc = NULL;
	const cJSON *res, *arr, *it;
	size_t k = 0;

	if (!ra_ev_usable(&d->control.hello_ev)) {
		ra_ev_copy(&d->tenants_ev, &d->control.hello_ev);
		return;
	}
	res = read_rec(&doc, &d->tenants_ev, pack_dir, m, RA_PROBE_TENANTS,
	    RA_PROBE_CONTROL);
	if (res == NULL)
		return;
	arr = ra_json_arr(res, "tenants");
	d->tenants = ra_calloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*d->tenants));
	cJSON_ArrayForEach(it, arr) {
		if (ra_json_str(it, "tenant_id") == NULL)
			continue;
		d->tenants[k].id = ra_strdup(ra_json_str(it, "tenant_id"));
		d->tenants[k].region = ra_strdup(ra_json_str(it, "region"));
		k++;
	}
	d->ntenants = k;
	if (k > 0)
		qsort(d->tenants, k, sizeof(*d->tenants), cmp_tenant);
	cJSON_Delete(doc);
}

void
ra_dataplane_load(struct ra_dataplane **out, const char *pack_dir,
    const struct ra_model *m, const struct ra_inventory *inv)
{
	struct ra_dataplane *d;

	*out = NULL;
	if (!inv->has_control_plane && inv->ndata_planes == 0)
		return;
	d = ra_calloc(1, sizeof(*d));
	d->has_control = inv->has_control_plane;
	d->control.name = RA_PROBE_CONTROL;
	if (d->has_control) {
		load_hello(&d->control, pack_dir, m);
		load_tenants(d, pack_dir, m);
	} else
		ra_ev_set_record(&d->tenants_ev, RA_EV_NOT_FETCHED, NULL,
		    "inventory has no controlPlane section");
	d->nplanes = inv->ndata_planes;
	d->planes = ra_calloc(d->nplanes + 1, sizeof(*d->planes));
	for (size_t i = 0; i < d->nplanes; i++) {
		struct ra_dp_plane *p = &d->planes[i];

		p->inv = &inv->data_planes[i];
		p->name = p->inv->name;
		load_hello(p, pack_dir, m);
		load_data(p, pack_dir, m);
	}
	*out = d;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
plane_free(struct ra_dp_plane *p)
{
	ra_ev_clear(&p->hello_ev);
	free(p->srv);
	free_strv(p->servers, p->nservers);
	free(p->set_name);
	ra_ev_clear(&p->tenant_ids_ev);
	for (size_t i = 0; i < p->ncolls; i++) {
		free(p->colls[i].name);
		free_strv(p->colls[i].ids, p->colls[i].nids);
	}
	free(p->colls);
	ra_ev_clear(&p->keys_ev);
	for (size_t i = 0; i < p->nprefixes; i++) {
		free(p->prefixes[i].value);
		free_strv(p->prefixes[i].ids, p->prefixes[i].nids);
	}
	free(p->prefixes);
	free_strv(p->missing_ids, p->nmissing_ids);
}

void
ra_dataplane_free(struct ra_dataplane *d)
{
	if (d == NULL)
		return;
	plane_free(&d->control);
	ra_ev_clear(&d->tenants_ev);
	for (size_t i = 0; i < d->ntenants; i++) {
		free(d->tenants[i].id);
		free(d->tenants[i].region);
	}
	free(d->tenants);
	for (size_t i = 0; i < d->nplanes; i++)
		plane_free(&d->planes[i]);
	free(d->planes);
	free(d);
}

const struct ra_dp_plane *
ra_dataplane_plane(const struct ra_dataplane *d,
    const struct ra_data_plane *inv)
{
	for (size_t i = 0; d != NULL && i < d->nplanes; i++)
		if (d->planes[i].inv == inv)
			return &d->planes[i];
	return NULL;
}

size_t
ra_dataplane_tenant(const struct ra_dataplane *d, const char *id,
    const struct ra_dp_tenant **first)
{
	size_t lo = 0, hi = d->ntenants, n = 0;

	*first = NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(d->tenants[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < d->ntenants && strcmp(d->tenants[lo + n].id, id) == 0)
		n++;
	if (n > 0)
		*first = &d->tenants[lo];
	return n;
}

char *
ra_dp_list(const char *const *v, size_t n, size_t max)
{
	struct ra_buf b;

	ra_buf_init(&b, 0);
	for (size_t i = 0; i < n && i < max; i++) {
		if (i > 0)
			ra_buf_adds(&b, ", ");
		ra_buf_adds(&b, v[i]);
	}
	if (n > max)
		ra_buf_printf(&b, " (+%zu more)", n - max);
	return ra_buf_steal(&b);
}
