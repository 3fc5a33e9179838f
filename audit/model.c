/*
 * model.c: builds the typed model from a pack's raw/ records (model.h).
 *
 * This file holds the part every area shares: grouping records into
 * requests, deciding each request's evidence state (the fail-closed
 * rules below), field readers that name the JSON path of a bad field,
 * statistics, lookups and freeing. The extractors per area live in
 * model_org.c, model_project.c and model_cluster.c.
 *
 * Evidence state of a group (ra_mb_decode):
 *   - no record at all                         FAILED "no response recorded"
 *   - first record not 2xx / not ok: 404 on an RA_EP_404_NONE endpoint is
 *     NONE, anything else FAILED with the status, the ApiError errorCode
 *     (or detail) and the attempts
 *   - a later page lost (including a body truncated in transfer), a gap
 *     in the pages, a loop cut or a next link not followed (that page's
 *     data is still read), listComplete not true on the last page, a next link left
 *     on the last page, or a result count unlike totalCount: PARTIAL
 *   - a body that does not parse, or of the wrong shape or field types:
 *     INVALID, the reason naming the field path
 *   When several apply the most severe wins: FAILED > INVALID > PARTIAL.
 *   Data of usable pages is extracted even when the whole is not OK; the
 *   piece's status tells controls not to trust it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "log.h"
#include "model_int.h"
#include "util.h"

static const char *const ev_names[] = {
	"ok", "none", "not-fetched", "failed", "partial", "invalid"
};

const char *
ra_ev_status_name(enum ra_ev_status s)
{
	return (unsigned)s < sizeof(ev_names) / sizeof(*ev_names) ?
	    ev_names[s] : "invalid";
}

int
ra_ev_usable(const struct ra_ev *ev)
{
	return ev != NULL && (ev->status == RA_EV_OK ||
	    ev->status == RA_EV_NONE);
}

void
ra_ev_set(struct ra_ev *ev, enum ra_ev_status s, const char *fmt, ...)
{
	va_list ap;
	char *p = NULL;

	ev->status = s;
	free(ev->reason);
	ev->reason = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&p, fmt, ap) < 0)
			abort();
		va_end(ap);
		ev->reason = p;
	}
}

void
ra_ev_add_ref(struct ra_ev *ev, const struct ra_raw_record *rec)
{
	const char *file = rec->body_file ? rec->body_file : rec->meta_file;
	const char *sha = rec->body_file ? rec->sha256 : rec->meta_sha256;

	if (file == NULL)
		return;
	for (size_t i = 0; i < ev->nrefs; i++)
		if (strcmp(ev->refs[i].file, file) == 0)
			return;
	ev->refs = ra_realloc(ev->refs, (ev->nrefs + 1) * sizeof(*ev->refs));
	ev->refs[ev->nrefs].file = ra_strdup(file);
	snprintf(ev->refs[ev->nrefs].sha256, RA_SHA256_HEX, "%s", sha);
	ev->nrefs++;
}

void
ra_ev_copy(struct ra_ev *dst, const struct ra_ev *src)
{
	dst->status = src->status;
	dst->reason = ra_strdup(src->reason);
	dst->nrefs = src->nrefs;
	dst->refs = src->nrefs ? ra_calloc(src->nrefs, sizeof(*dst->refs)) :
	    NULL;
	for (size_t i = 0; i < src->nrefs; i++) {
		dst->refs[i].file = ra_strdup(src->refs[i].file);
		memcpy(dst->refs[i].sha256, src->refs[i].sha256, RA_SHA256_HEX);
	}
}

const char *
ra_ev_reason(const struct ra_ev *ev)
{
	return ev->reason != NULL ? ev->reason : ra_ev_status_name(ev->status);
}

void
ra_ev_clear(struct ra_ev *ev)
{
	if (ev == NULL)
		return;
	for (size_t i = 0; i < ev->nrefs; i++)
		free(ev->refs[i].file);
	free(ev->refs);
	free(ev->reason);
	memset(ev, 0, sizeof(*ev));
}

/* --- field readers ---------------------------------------------------- */

void
ra_xt_fail(struct ra_xt *x, const char *fmt, ...)
{
	va_list ap;
	char msg[400];

	if (x->bad)
		return;
	x->bad = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(x->reason, sizeof(x->reason), "%s: %s",
	    x->label ? x->label : "body", msg);
}

void
ra_xt_path(char *out, size_t outsz, const char *path, const char *key)
{
	if (path == NULL || path[0] == '\0')
		snprintf(out, outsz, "%s", key);
	else if (key[0] == '[')
		snprintf(out, outsz, "%s%s", path, key);
	else
		snprintf(out, outsz, "%s.%s", path, key);
}

/* The member, NULL when absent or JSON null. */
static const cJSON *
member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNull(v) ? NULL : v;
}

static void
xt_wrong(struct ra_xt *x, const char *path, const char *key, const char *what,
    int absent)
{
	char p[300];

	ra_xt_path(p, sizeof(p), path, key);
	ra_xt_fail(x, "%s %s", p, absent ? "is missing" : what);
}

char *
ra_xt_str(struct ra_xt *x, const cJSON *o, const char *path, const char *key,
    int req)
{
	const cJSON *v = member(o, key);

	if (v == NULL) {
		if (req)
			xt_wrong(x, path, key, NULL, 1);
		return NULL;
	}
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		xt_wrong(x, path, key, "is not a string", 0);
		return NULL;
	}
	return ra_strdup(v->valuestring);
}

int
ra_xt_tri(struct ra_xt *x, const cJSON *o, const char *path, const char *key)
{
	const cJSON *v = member(o, key);

	if (v == NULL)
		return RA_TRI_UNKNOWN;
	if (!cJSON_IsBool(v)) {
		xt_wrong(x, path, key, "is not a boolean", 0);
		return RA_TRI_UNKNOWN;
	}
	return cJSON_IsTrue(v) ? 1 : 0;
}

int
ra_xt_int(struct ra_xt *x, const cJSON *o, const char *path, const char *key,
    int req, long long *out)
{
	if (member(o, key) == NULL) {
		if (req)
			xt_wrong(x, path, key, NULL, 1);
		return -1;
	}
	if (ra_json_int(o, key, out) != 0) {
		xt_wrong(x, path, key, "is not an integer", 0);
		return -1;
	}
	return 0;
}

/* A member of the type `is` accepts, or NULL (failing when present with
 * another type, or absent and required). */
static const cJSON *
xt_typed(struct ra_xt *x, const cJSON *o, const char *path, const char *key,
    int req, cJSON_bool (*is)(const cJSON *), const char *wrong)
{
	const cJSON *v = member(o, key);

	if (v == NULL) {
		if (req)
			xt_wrong(x, path, key, NULL, 1);
		return NULL;
	}
	if (!is(v)) {
		xt_wrong(x, path, key, wrong, 0);
		return NULL;
	}
	return v;
}

const cJSON *
ra_xt_obj(struct ra_xt *x, const cJSON *o, const char *path, const char *key,
    int req)
{
	return xt_typed(x, o, path, key, req, cJSON_IsObject,
	    "is not an object");
}

const cJSON *
ra_xt_arr(struct ra_xt *x, const cJSON *o, const char *path, const char *key,
    int req)
{
	return xt_typed(x, o, path, key, req, cJSON_IsArray,
	    "is not an array");
}

int
ra_xt_need_object(struct ra_xt *x, const cJSON *it, const char *path)
{
	if (cJSON_IsObject(it))
		return 1;
	ra_xt_fail(x, "%s is not an object", path);
	return 0;
}

char **
ra_xt_strv(struct ra_xt *x, const cJSON *o, const char *path, const char *key,
    size_t *n)
{
	const cJSON *a = ra_xt_arr(x, o, path, key, 0), *e;
	char **v = NULL, p[300];
	size_t i = 0;

	*n = 0;
	if (a == NULL)
		return NULL;
	v = ra_calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v));
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsString(e)) {
			ra_xt_path(p, sizeof(p), path, key);
			ra_xt_fail(x, "%s[%zu] is not a string", p, i);
			break;
		}
		v[(*n)++] = ra_strdup(e->valuestring);
		i++;
	}
	return v;
}

/* --- groups ------------------------------------------------------------ */

/* The scope ids that identify a request of endpoint ep. */
static void
norm_key(const struct ra_endpoint *ep, const char **org, const char **grp,
    const char **cl)
{
	if (ep == NULL)
		return;
	switch (ep->scope) {
	case RA_SCOPE_ORG:
		*grp = *cl = NULL;
		break;
	case RA_SCOPE_PROJECT:
		*org = *cl = NULL;
		break;
	case RA_SCOPE_CLUSTER:
		*org = NULL;
		break;
	}
}

static int
cmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_key(const char *e1, const char *o1, const char *g1, const char *c1,
    const char *e2, const char *o2, const char *g2, const char *c2)
{
	int c;

	if ((c = cmp_null(e1, e2)) != 0 || (c = cmp_null(o1, o2)) != 0 ||
	    (c = cmp_null(g1, g2)) != 0)
		return c;
	return cmp_null(c1, c2);
}

/* A record with its endpoint and scope ids looked up once, for sorting. */
struct keyed {
	struct ra_raw_record	*r;
	const struct ra_endpoint *ep;
	const char		*org, *grp, *cl;	/* after norm_key */
};

static int
cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c;

	if ((c = cmp_key(a->r->endpoint, a->org, a->grp, a->cl,
	    b->r->endpoint, b->org, b->grp, b->cl)) != 0)
		return c;
	if (a->r->page != b->r->page)
		return a->r->page < b->r->page ? -1 : 1;
	return (a->r->seq > b->r->seq) - (a->r->seq < b->r->seq);
}

static void
build_groups(struct ra_mb *b)
{
	struct ra_model *m = b->m;
	struct keyed *v;
	size_t i, j, k;

	if (m->nrecords == 0)
		return;
	v = ra_calloc(m->nrecords, sizeof(*v));
	for (i = 0; i < m->nrecords; i++) {
		struct keyed *e = &v[i];

		e->r = &m->records[i];
		e->ep = ra_endpoint_find(e->r->endpoint);
		e->org = e->r->org_id;
		e->grp = e->r->group_id;
		e->cl = e->r->cluster;
		norm_key(e->ep, &e->org, &e->grp, &e->cl);
	}
	qsort(v, m->nrecords, sizeof(*v), cmp_keyed);
	b->groups = ra_calloc(m->nrecords, sizeof(*b->groups));
	for (i = 0; i < m->nrecords; i = j) {
		struct ra_group *g = &b->groups[b->ngroups++];

		g->ep = v[i].ep;
		g->endpoint = v[i].r->endpoint;
		g->org_id = v[i].org;
		g->group_id = v[i].grp;
		g->cluster = v[i].cl;
		for (j = i + 1; j < m->nrecords && cmp_key(g->endpoint,
		    g->org_id, g->group_id, g->cluster, v[j].r->endpoint,
		    v[j].org, v[j].grp, v[j].cl) == 0; j++)
			;
		g->n = j - i;
		g->recs = ra_calloc(g->n, sizeof(*g->recs));
		for (k = 0; k < g->n; k++)
			g->recs[k] = v[i + k].r;
	}
	free(v);
}

/* The group ids of every project- or cluster-scope group, sorted. */
static void
build_audited(struct ra_mb *b)
{
	if (b->ngroups == 0)
		return;
	b->audited = ra_calloc(b->ngroups, sizeof(*b->audited));
	for (size_t i = 0; i < b->ngroups; i++)
		if (b->groups[i].ep != NULL &&
		    b->groups[i].ep->scope != RA_SCOPE_ORG &&
		    b->groups[i].group_id != NULL)
			b->audited[b->naudited++] = b->groups[i].group_id;
	if (b->naudited > 1)
		qsort(b->audited, b->naudited, sizeof(*b->audited), ra_strp_cmp);
}

int
ra_mb_audited(const struct ra_mb *b, const char *group_id)
{
	return group_id != NULL && b->naudited > 0 && bsearch(&group_id,
	    b->audited, b->naudited, sizeof(*b->audited), ra_strp_cmp) != NULL;
}

const struct ra_group *
ra_mb_find(const struct ra_mb *b, const char *endpoint, const char *org_id,
    const char *group_id, const char *cluster)
{
	size_t lo = 0, hi = b->ngroups;

	norm_key(ra_endpoint_find(endpoint), &org_id, &group_id, &cluster);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ra_group *g = &b->groups[mid];
		int c = cmp_key(endpoint, org_id, group_id, cluster,
		    g->endpoint, g->org_id, g->group_id, g->cluster);

		if (c == 0)
			return g;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* --- evidence state ---------------------------------------------------- */

static int
severity(enum ra_ev_status s)
{
	switch (s) {
	case RA_EV_PARTIAL:
		return 1;
	case RA_EV_INVALID:
		return 2;
	case RA_EV_FAILED:
		return 3;
	default:
		return 0;
	}
}

/* Raises ev to s with the reason unless it already is as severe. */
static void
ev_raise(struct ra_ev *ev, enum ra_ev_status s, const char *reason)
{
	if (severity(s) > severity(ev->status))
		ra_ev_set(ev, s, "%s", reason);
}

static int
is_2xx(const struct ra_raw_record *r)
{
	return r->status >= 200 && r->status <= 299;
}

/*
 * The record carries a usable response: 2xx and a data outcome. The
 * collector marks "loop" and "not-followed" on a page it received in
 * full whose next link it did not follow, so that page's data is real;
 * "truncated" is a body cut in transfer and is a failure.
 */
static int
rec_has_data(const struct ra_raw_record *r)
{
	return is_2xx(r) && r->outcome != NULL &&
	    (strcmp(r->outcome, "ok") == 0 ||
	    strcmp(r->outcome, "not-followed") == 0 ||
	    strcmp(r->outcome, "loop") == 0);
}

/*
 * One-line description of a failed record: "HTTP 403 USER_UNAUTHORIZED
 * after 1 attempt", "refused: HTTP 429 after 6 attempts", "transport
 * error: <error> after 3 attempts". Server text is sanitized and short.
 */
static void
describe_failure(struct ra_mb *b, const struct ra_raw_record *r, char *out,
    size_t outsz)
{
	char code[72] = "", err[128] = "", *body = NULL;
	const char *plural = r->attempts == 1 ? "" : "s";
	size_t len = 0;
	cJSON *root = NULL;

	if (r->body_file != NULL && r->bytes > 0 && r->bytes <= 64 * 1024 &&
	    b->read_body(b->ctx, r, &body, &len) == 0 &&
	    (root = ra_json_parse(body, len, NULL, 0)) != NULL) {
		const char *c = ra_json_str(root, "errorCode");

		if (c == NULL)
			c = ra_json_str(root, "detail");
		if (c != NULL) {
			code[0] = ' ';
			ra_sanitize_text(c, code + 1, sizeof(code) - 1);
		}
	}
	if (r->error != NULL)
		ra_sanitize_text(r->error, err, sizeof(err));
	if (r->outcome != NULL && strcmp(r->outcome, "transport-error") == 0)
		snprintf(out, outsz, "transport error%s%s after %d attempt%s",
		    err[0] ? ": " : "", err, r->attempts, plural);
	else if (r->outcome != NULL && strcmp(r->outcome, "truncated") == 0)
		snprintf(out, outsz, "response truncated%s%s after %d "
		    "attempt%s", err[0] ? ": " : "", err, r->attempts, plural);
	else if (r->outcome != NULL && strcmp(r->outcome, "too-large") == 0)
		snprintf(out, outsz, "response too large%s%s after %d "
		    "attempt%s", err[0] ? ": " : "", err, r->attempts, plural);
	else if (r->status == 429)
		snprintf(out, outsz, "refused: HTTP 429 after %d attempt%s",
		    r->attempts, plural);
	else if (r->status == 0)
		snprintf(out, outsz, "no HTTP response (%s)%s%s after %d "
		    "attempt%s", r->outcome ? r->outcome : "?",
		    err[0] ? ": " : "", err, r->attempts, plural);
	else if (is_2xx(r))
		snprintf(out, outsz, "HTTP %d but outcome %s", r->status,
		    r->outcome ? r->outcome : "?");
	else
		snprintf(out, outsz, "HTTP %d%s after %d attempt%s", r->status,
		    code, r->attempts, plural);
	cJSON_Delete(root);
	free(body);
}

/* Feeds every element of array a to ex->item. */
static size_t
extract_items(const struct ra_extractor *ex, void *dst, const cJSON *a,
    const char *prefix, struct ra_xt *x)
{
	const cJSON *it;
	size_t i = 0;
	char path[64];

	cJSON_ArrayForEach(it, a) {
		snprintf(path, sizeof(path), "%s[%zu]", prefix, i);
		if (ex != NULL && ex->item != NULL && !x->bad)
			ex->item(dst, it, path, x);
		i++;
	}
	return i;
}

/* Does a page's links carry rel "next"? */
static int
has_next_link(const cJSON *root)
{
	const cJSON *links = ra_json_arr(root, "links"), *l;

	cJSON_ArrayForEach(l, links) {
		const char *rel = ra_json_str(l, "rel");

		if (rel != NULL && strcmp(rel, "next") == 0)
			return 1;
	}
	return 0;
}

enum ra_ev_status
ra_mb_decode(struct ra_mb *b, struct ra_ev *ev, const struct ra_group *g,
    const struct ra_extractor *ex, void *dst)
{
	const struct ra_endpoint *ep;
	long long total = -1, tc;
	size_t count = 0, count1 = 0;
	int paged, expect = 1, last_next = 0, last_pg = 0;
	char why[600], desc[300], label[96], perr[160];

	ra_ev_set(ev, RA_EV_OK, NULL);
	if (g == NULL || g->n == 0) {
		ra_ev_set(ev, RA_EV_FAILED, "no response recorded");
		goto out;
	}
	for (size_t i = 0; i < g->n; i++)
		ra_ev_add_ref(ev, g->recs[i]);
	ep = g->ep;
	paged = ep != NULL && ep->shape == RA_SHAPE_PAGED;
	if (!paged && g->n > 1) {
		ra_ev_set(ev, RA_EV_INVALID, "%s: %zu records for one request",
		    g->endpoint, g->n);
		goto out;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct ra_raw_record *r = g->recs[i];
		struct ra_xt x;
		char *body = NULL;
		size_t len = 0;
		cJSON *root = NULL;
		const cJSON *arr = NULL;

		if (paged) {
			char of[32] = "";

			if (r->page < 1 || r->page < expect) {
				snprintf(why, sizeof(why), "%s: record %05u has "
				    "%s page number", g->endpoint, r->seq,
				    r->page < 1 ? "no" : "a repeated");
				ev_raise(ev, RA_EV_INVALID, why);
				break;
			}
			if (total >= 0 && count1 > 0)
				snprintf(of, sizeof(of), " of %lld",
				    (total + (long long)count1 - 1) /
				    (long long)count1);
			if (r->page > expect) {
				snprintf(why, sizeof(why), "page %d%s lost: no "
				    "response recorded", expect, of);
				ev_raise(ev, RA_EV_PARTIAL, why);
			}
			expect = r->page + 1;
			last_pg = r->page;
			last_next = 0;
			if (!rec_has_data(r) && i > 0) {
				describe_failure(b, r, desc, sizeof(desc));
				snprintf(why, sizeof(why), "page %d%s lost: %s",
				    r->page, of, desc);
				ev_raise(ev, RA_EV_PARTIAL, why);
				continue;
			}
		}
		if (!rec_has_data(r)) {
			if (r->status == 404 && ep != NULL &&
			    (ep->flags & RA_EP_404_NONE) && g->n == 1) {
				ra_ev_set(ev, RA_EV_NONE, NULL);
				goto out;
			}
			describe_failure(b, r, desc, sizeof(desc));
			ra_ev_set(ev, RA_EV_FAILED, "%s", desc);
			goto out;
		}
		if (r->outcome != NULL && strcmp(r->outcome, "ok") != 0) {
			snprintf(why, sizeof(why), "%s: %s after page %d",
			    g->endpoint, strcmp(r->outcome, "loop") == 0 ?
			    "pagination loop cut" : "next link not followed",
			    r->page);
			ev_raise(ev, RA_EV_PARTIAL, why);
		}
		if (paged)
			snprintf(label, sizeof(label), "%s page %d", g->endpoint,
			    r->page);
		else
			snprintf(label, sizeof(label), "%s", g->endpoint);
		memset(&x, 0, sizeof(x));
		x.label = label;
		x.rec = r;
		if (r->body_file == NULL) {
			ra_xt_fail(&x, "no body recorded");
			goto page_done;
		}
		if (b->read_body(b->ctx, r, &body, &len) != 0) {
			ra_xt_fail(&x, "%s cannot be read: %s", r->body_file,
			    strerror(errno));
			goto page_done;
		}
		if ((root = ra_json_parse(body, len, perr, sizeof(perr))) ==
		    NULL) {
			ra_xt_fail(&x, "%s", perr);
			goto page_done;
		}
		free(body);
		body = NULL;
		if (ep == NULL || ep->shape == RA_SHAPE_OBJECT) {
			if (!cJSON_IsObject(root))
				ra_xt_fail(&x, "body is not an object");
			else if (ex != NULL && ex->object != NULL)
				ex->object(dst, root, &x);
		} else if (ep->shape == RA_SHAPE_ARRAY) {
			if (!cJSON_IsArray(root))
				ra_xt_fail(&x, "body is not an array");
			else
				extract_items(ex, dst, root, "", &x);
		} else {
			size_t k;

			if (!cJSON_IsObject(root)) {
				ra_xt_fail(&x, "body is not an object");
				goto page_done;
			}
			if ((arr = ra_json_arr(root, "results")) == NULL) {
				ra_xt_fail(&x, "results is %s",
				    member(root, "results") ? "not an array" :
				    "missing");
				goto page_done;
			}
			if (member(root, "totalCount") != NULL) {
				if (ra_json_int(root, "totalCount", &tc) != 0 ||
				    tc < 0) {
					ra_xt_fail(&x, "totalCount is not an "
					    "integer");
					goto page_done;
				}
				total = tc;
			}
			if (member(root, "links") != NULL &&
			    ra_json_arr(root, "links") == NULL) {
				ra_xt_fail(&x, "links is not an array");
				goto page_done;
			}
			last_next = has_next_link(root);
			k = extract_items(ex, dst, arr, "results", &x);
			if (r->page == 1)
				count1 = k;
			count += k;
		}
page_done:
		if (x.bad)
			ev_raise(ev, RA_EV_INVALID, x.reason);
		cJSON_Delete(root);
		free(body);
	}
	if (paged && ev->status != RA_EV_FAILED) {
		const struct ra_raw_record *last = g->recs[g->n - 1];

		if (last->list_complete != 1) {
			snprintf(why, sizeof(why), "%s listing %s after page %d",
			    g->endpoint, last->list_complete == 0 ?
			    "incomplete" : "not marked complete", last_pg);
			ev_raise(ev, RA_EV_PARTIAL, why);
		}
		if (last_next) {
			snprintf(why, sizeof(why), "page %d has a next link that "
			    "was not followed", last_pg);
			ev_raise(ev, RA_EV_PARTIAL, why);
		}
		if (total >= 0 && (long long)count != total) {
			snprintf(why, sizeof(why), "%s: %zu results but "
			    "totalCount %lld", g->endpoint, count, total);
			ev_raise(ev, RA_EV_PARTIAL, why);
		}
	}
out:
	return ev->status;
}

/* --- statistics -------------------------------------------------------- */

/*
 * Counts, per endpoint id in first-seen (seq) order and in total:
 * requests (records), failed (final outcome not "ok"), retried (attempts
 * > 1), pages (records with a page number) and rate_limited: records
 * whose final status is 429 or whose final attempt carried Retry-After.
 * A 429 on an earlier attempt that later succeeded is not visible in the
 * metadata; it shows only in `retried`.
 */
static void
build_stats(struct ra_model *m)
{
	for (size_t i = 0; i < m->nrecords; i++) {
		const struct ra_raw_record *r = &m->records[i];
		struct ra_endpoint_stats *s = NULL;
		const char *id = r->endpoint ? r->endpoint : "";

		for (size_t j = 0; j < m->nstats; j++)
			if (strcmp(m->stats[j].endpoint, id) == 0)
				s = &m->stats[j];
		if (s == NULL) {
			const struct ra_endpoint *ep = ra_endpoint_find(id);

			m->stats = ra_realloc(m->stats,
			    (m->nstats + 1) * sizeof(*m->stats));
			s = &m->stats[m->nstats++];
			memset(s, 0, sizeof(*s));
			s->endpoint = ep != NULL ? ep->id : id;
		}
		s->requests++;
		m->requests++;
		if (r->outcome == NULL || strcmp(r->outcome, "ok") != 0) {
			s->failed++;
			m->failed++;
		}
		if (r->attempts > 1) {
			s->retried++;
			m->retried++;
		}
		if (r->page >= 1) {
			s->pages++;
			m->pages++;
		}
		if (r->status == 429 || r->retry_after != NULL)
			m->rate_limited++;
	}
}

/* --- build, load, free ------------------------------------------------- */

struct disk_ctx {
	const char *pack_dir;
};

static int
disk_body(void *ctx, const struct ra_raw_record *rec, char **out, size_t *len)
{
	const struct disk_ctx *d = ctx;

	return ra_raw_read_body(d->pack_dir, rec, out, len);
}

int
ra_model_build(struct ra_model **out, struct ra_raw_record *recs,
    size_t nrecs, ra_body_fn read_body, void *ctx)
{
	struct ra_mb b;
	struct ra_model *m;

	memset(&b, 0, sizeof(b));
	m = ra_calloc(1, sizeof(*m));
	m->records = recs;
	m->nrecords = nrecs;
	b.m = m;
	b.read_body = read_body;
	b.ctx = ctx;
	build_stats(m);
	build_groups(&b);
	build_audited(&b);
	ra_mb_org(&b);
	for (size_t i = 0; i < m->nprojects; i++)
		ra_mb_project(&b, &m->projects[i]);
	for (size_t i = 0; i < b.ngroups; i++)
		free(b.groups[i].recs);
	free(b.groups);
	free(b.audited);
	*out = m;
	return 0;
}

int
ra_model_load(struct ra_model **out, const char *pack_dir, char *err,
    size_t errsz)
{
	struct ra_raw_record *recs = NULL;
	struct disk_ctx d = { pack_dir };
	size_t n = 0;
	int rc = -1;

	*out = NULL;
	if (ra_raw_load(pack_dir, &recs, &n, err, errsz) != 0)
		goto out;
	rc = ra_model_build(out, recs, n, disk_body, &d);
out:
	return rc;
}

void
ra_model_free(struct ra_model *m)
{
	if (m == NULL)
		return;
	ra_model_org_clear(m);
	for (size_t i = 0; i < m->nprojects; i++)
		ra_project_clear(&m->projects[i]);
	free(m->projects);
	free(m->stats);
	ra_raw_records_free(m->records, m->nrecords);
	free(m);
}

const struct ra_project *
ra_model_project_by_id(const struct ra_model *m, const char *id)
{
	for (size_t i = 0; m != NULL && id != NULL && i < m->nprojects; i++)
		if (m->projects[i].id != NULL &&
		    strcmp(m->projects[i].id, id) == 0)
			return &m->projects[i];
	return NULL;
}

const struct ra_project *
ra_model_project_by_name(const struct ra_model *m, const char *name)
{
	for (size_t i = 0; m != NULL && name != NULL && i < m->nprojects; i++)
		if (m->projects[i].name != NULL &&
		    strcmp(m->projects[i].name, name) == 0)
			return &m->projects[i];
	return NULL;
}

const char *
ra_project_tag(const struct ra_project *p, const char *key)
{
	for (size_t i = 0; p != NULL && key != NULL && i < p->ntags; i++)
		if (p->tags[i].key != NULL && strcmp(p->tags[i].key, key) == 0)
			return p->tags[i].value;
	return NULL;
}

const struct ra_raw_record *
ra_model_record(const struct ra_model *m, const char *endpoint,
    const char *key)
{
	const struct ra_raw_record *found = NULL;

	for (size_t i = 0; i < m->nrecords; i++) {
		const struct ra_raw_record *r = &m->records[i];

		if (r->endpoint == NULL || strcmp(r->endpoint, endpoint) != 0)
			continue;
		if (key == NULL || (r->cluster != NULL &&
		    strcmp(r->cluster, key) == 0))
			found = r;
	}
	return found;
}

void
ra_ev_set_record(struct ra_ev *ev, enum ra_ev_status st,
    const struct ra_raw_record *r, const char *reason)
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
