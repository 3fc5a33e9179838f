/*
 * collect.c: see collect.h. The scheduler is the atlas client's queue:
 * a listing page's completion queues the work it names (projects,
 * clusters, the next page) at once, so the pipe stays full across the
 * dependency graph. Each completion appends a small metadata record and
 * spools the body to <pack>/.spool/<n>, hashing it once as it arrives;
 * write_raw() sorts the records into the canonical order of raw.h,
 * renames each body to raw/<seq>.json and writes its meta with
 * ra_raw_write_meta.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atlas.h"
#include "clock.h"
#include "collect.h"
#include "endpoints.h"
#include "jsonutil.h"
#include "log.h"
#include "progress.h"
#include "raw.h"
#include "util.h"

#define PAGE_ITEMS	500
#define PAGE_QUERY	"itemsPerPage=500&includeCount=true&pageNum="

struct strset {			/* open addressing, never shrinks */
	char	**v;
	size_t	  cap, n;
};

struct rec {
	struct ra_raw_record r;	/* seq, body_file, sha256 set at the end */
	int		 ep;	/* endpoint index: the first sort key */
	char		*spool;	/* spooled body, or NULL */
};

struct listing {		/* one paged listing in progress */
	long long	 total;	/* totalCount of the first page, -1 */
	long long	 items;	/* results received so far */
	char		**urls;	/* pages requested, for the loop guard */
	size_t		 nurls;
};

struct collector;

struct job {
	struct collector *c;
	const struct ra_endpoint *ep;
	char		*group_id;
	char		*cluster;
	int		 page;	/* 0: not paged */
	struct listing	*l;	/* owned: the listing's latest page */
	char		 accept[64];
	struct job	*prev, *next;	/* in collector.jobs */
};

struct collector {
	const struct ra_collect_opts *o;
	const char	*pack_dir;
	const char	*org_id;
	char		*spool_dir;
	struct ra_atlas	*a;
	/*
	 * Every job whose completion has not run. An aborted run (a
	 * completion returned -1, an interrupt) drops its requests without
	 * calling their completions; ra_collect frees what is left here.
	 */
	struct job	*jobs;
	struct rec	*recs;
	size_t		 nrecs, caprecs;
	struct strset	 projects;	/* group ids started */
	struct strset	 clusters;	/* "<groupId>/<cluster>" started */
	unsigned long	 planned, done, incomplete;
	struct ra_progress prog;
	int		 io_failed;
	char		 err[512];
};

/* ------------------------------------------------------------------ */

static unsigned long
hash(const char *s)
{
	unsigned long h = 1469598103934665603UL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return h;
}

/* Adds s; returns 1 when it was new, 0 when already there. */
static int
strset_add(struct strset *s, const char *str)
{
	size_t i;

	if (s->n * 2 >= s->cap) {
		struct strset g = { NULL, s->cap ? s->cap * 2 : 64, 0 };

		g.v = ra_calloc(g.cap, sizeof(char *));
		for (i = 0; i < s->cap; i++) {
			if (s->v[i] == NULL)
				continue;
			size_t k = hash(s->v[i]) & (g.cap - 1);

			while (g.v[k] != NULL)
				k = (k + 1) & (g.cap - 1);
			g.v[k] = s->v[i];
			g.n++;
		}
		free(s->v);
		*s = g;
	}
	i = hash(str) & (s->cap - 1);
	while (s->v[i] != NULL) {
		if (strcmp(s->v[i], str) == 0)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = ra_strdup(str);
	s->n++;
	return 1;
}

static void
strset_free(struct strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void
listing_free(struct listing *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nurls; i++)
		free(l->urls[i]);
	free(l->urls);
	free(l);
}

static struct job *
job_new(struct collector *c)
{
	struct job *j = ra_calloc(1, sizeof(*j));

	j->c = c;
	j->next = c->jobs;
	if (c->jobs != NULL)
		c->jobs->prev = j;
	c->jobs = j;
	return j;
}

/* Unlinks and frees j with the listing it owns. */
static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		j->c->jobs = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	listing_free(j->l);
	free(j->group_id);
	free(j->cluster);
	free(j);
}

/* ------------------------------------------------------------------ */
/* Queueing                                                            */

static int	on_done(void *arg, const struct ra_atlas_resp *r);

static int
submit(struct collector *c, struct job *j, const char *url)
{
	if (ra_atlas_get(c->a, url, j->accept, on_done, j) != 0)
		return -1;
	c->planned++;
	ra_progress_update(&c->prog, c->done, c->planned);
	return 0;
}

static void
queue_endpoint(struct collector *c, const struct ra_endpoint *ep,
    const char *group_id, const char *cluster)
{
	struct job *j = job_new(c);
	char *path, *url;

	j->ep = ep;
	j->group_id = ra_strdup(group_id);
	j->cluster = ra_strdup(cluster);
	ra_endpoint_accept(ep, j->accept, sizeof(j->accept));
	path = ra_endpoint_path(ep, c->org_id, group_id, cluster);
	if (ep->shape == RA_SHAPE_PAGED) {
		j->page = 1;
		j->l = ra_calloc(1, sizeof(*j->l));
		j->l->total = -1;
		url = ra_asprintf("%s?%s1", path, PAGE_QUERY);
		j->l->urls = ra_calloc(1, sizeof(char *));
		j->l->urls[0] = ra_asprintf("%s%s", ra_atlas_base(c->a), url);
		j->l->nurls = 1;
	} else
		url = ra_strdup(path);
	/* a path under the base is always accepted */
	if (submit(c, j, url) != 0)
		job_free(j);
	free(url);
	free(path);
}

static int
cluster_fits(const struct ra_endpoint *ep, int backup, const char *type)
{
	if (ep->scope != RA_SCOPE_CLUSTER)
		return 0;
	if ((ep->flags & RA_EP_NEEDS_BACKUP) && !backup)
		return 0;
	if ((ep->flags & RA_EP_REPLICASET) &&
	    (type == NULL || strcmp(type, "REPLICASET") != 0))
		return 0;
	if ((ep->flags & RA_EP_SHARDED) && (type == NULL ||
	    (strcmp(type, "SHARDED") != 0 && strcmp(type, "GEOSHARDED") != 0)))
		return 0;
	return 1;
}

static void
start_cluster(struct collector *c, const char *group_id, const cJSON *cl)
{
	const char *name = ra_json_str(cl, "name");
	const char *type = ra_json_str(cl, "clusterType");
	int backup = 0;
	char *key;

	if (name == NULL || *name == '\0')
		return;
	key = ra_asprintf("%s/%s", group_id, name);
	if (strset_add(&c->clusters, key)) {
		if (ra_json_bool(cl, "backupEnabled", &backup) != 0)
			backup = 0;
		for (size_t i = 0; i < ra_nendpoints; i++)
			if (cluster_fits(&ra_endpoints[i], backup, type))
				queue_endpoint(c, &ra_endpoints[i], group_id,
				    name);
	}
	free(key);
}

/* The project is named by the inventory, or tagged with a jurisdiction. */
static int
project_in_scope(const struct ra_inventory *inv, const cJSON *p)
{
	const char *id = ra_json_str(p, "id");
	const char *name = ra_json_str(p, "name");
	const char *tagkey = inv->tag_key ? inv->tag_key : "residency";
	const cJSON *t;

	for (size_t i = 0; i < inv->nprojects; i++) {
		const struct ra_inv_project *ip = &inv->projects[i];

		if ((ip->id != NULL && id != NULL && strcmp(ip->id, id) == 0) ||
		    (ip->name != NULL && name != NULL &&
		    strcmp(ip->name, name) == 0))
			return 1;
	}
	cJSON_ArrayForEach(t, ra_json_arr(p, "tags")) {
		const char *k = ra_json_str(t, "key");
		const char *v = ra_json_str(t, "value");

		if (k != NULL && v != NULL && strcmp(k, tagkey) == 0 &&
		    ra_inventory_jurisdiction(inv, v) != NULL)
			return 1;
	}
	return 0;
}

static void
start_project(struct collector *c, const cJSON *p)
{
	const char *id = ra_json_str(p, "id");

	if (id == NULL || *id == '\0' || !project_in_scope(c->o->inv, p))
		return;
	if (!strset_add(&c->projects, id))
		return;
	for (size_t i = 0; i < ra_nendpoints; i++)
		if (ra_endpoints[i].scope == RA_SCOPE_PROJECT)
			queue_endpoint(c, &ra_endpoints[i], id, NULL);
}

/* ------------------------------------------------------------------ */
/* Completion                                                          */

/*
 * Through ra_file_write like every file of a pack: the spool file is the
 * body's raw/<seq>.json once renamed (one write per pack file).
 */
static int
spool(struct collector *c, struct rec *rc, const char *body, size_t len)
{
	rc->spool = ra_asprintf("%s/%zu", c->spool_dir, c->nrecs);
	if (ra_file_write(rc->spool, body, len) != 0) {
		snprintf(c->err, sizeof(c->err), "%s: %s", rc->spool,
		    strerror(errno));
		c->io_failed = 1;
		return -1;
	}
	return 0;
}

static struct rec *
add_record(struct collector *c, const struct job *j,
    const struct ra_atlas_resp *r)
{
	struct rec *rc;
	char when[32];

	if (c->nrecs == c->caprecs) {
		c->caprecs = c->caprecs ? c->caprecs * 2 : 256;
		c->recs = ra_realloc(c->recs, c->caprecs * sizeof(*c->recs));
	}
	rc = &c->recs[c->nrecs];
	memset(rc, 0, sizeof(*rc));
	rc->ep = ra_endpoint_index(j->ep->id);
	rc->r.endpoint = ra_strdup(j->ep->id);
	rc->r.org_id = ra_strdup(c->org_id);
	rc->r.group_id = ra_strdup(j->group_id);
	rc->r.cluster = ra_strdup(j->cluster);
	rc->r.page = j->page;
	rc->r.method = ra_strdup("GET");
	rc->r.url = ra_strdup(r->url);
	rc->r.accept = ra_strdup(j->accept);
	rc->r.status = r->status;
	rc->r.content_type = ra_strdup(r->content_type);
	rc->r.ratelimit_limit = ra_strdup(r->ratelimit_limit);
	rc->r.ratelimit_remaining = ra_strdup(r->ratelimit_remaining);
	rc->r.retry_after = ra_strdup(r->retry_after);
	ra_time_rfc3339(ra_clock_now(), when, sizeof(when));
	rc->r.received_at = ra_strdup(when);
	rc->r.attempts = r->attempts > 0 ? r->attempts : 1;
	rc->r.outcome = ra_strdup(r->outcome);
	rc->r.error = ra_strdup(r->error);
	rc->r.list_complete = -1;
	if (r->body != NULL) {
		if (spool(c, rc, r->body, r->len) != 0) {
			ra_raw_record_clear(&rc->r);
			free(rc->spool);
			return NULL;
		}
		/* hashed once, here: raw/ gets this very file (renamed) */
		rc->r.bytes = r->len;
		ra_sha256_hex(r->body, r->len, rc->r.sha256);
	}
	c->nrecs++;
	return rc;
}

static void
set_outcome(struct rec *rc, const char *outcome, const char *error)
{
	free(rc->r.outcome);
	free(rc->r.error);
	rc->r.outcome = ra_strdup(outcome);
	rc->r.error = ra_strdup(error);
}

/*
 * A page arrived: discover the work it names, then decide whether the
 * listing goes on (next link, or pageNum+1 while totalCount says more)
 * or ends here, recording listComplete on this, its last page.
 */
static void
page_done(struct collector *c, struct job *j, struct rec *rc,
    const struct ra_atlas_resp *r)
{
	struct listing *l = j->l;
	cJSON *root = NULL;
	const cJSON *results, *it;
	char perr[160], *next = NULL, *msg = NULL;
	long long total, max_pages, n = 0;
	int complete = 0;

	if (strcmp(r->outcome, "ok") != 0 || r->body == NULL)
		goto last;
	if ((root = ra_json_parse(r->body, r->len, perr, sizeof(perr))) ==
	    NULL || (results = ra_json_arr(root, "results")) == NULL)
		goto last;
	if (j->page == 1 && ra_json_int(root, "totalCount", &total) == 0 &&
	    total >= 0)
		l->total = total;
	cJSON_ArrayForEach(it, results) {
		n++;
		if (!cJSON_IsObject(it))
			continue;
		if (strcmp(j->ep->id, "org-projects") == 0)
			start_project(c, it);
		else if (strcmp(j->ep->id, "clusters") == 0)
			start_cluster(c, j->group_id, it);
	}
	l->items += n;
	next = ra_atlas_next_link(r->body, r->len);
	if (next != NULL && next[0] == '/') {
		char *abs = ra_asprintf("%s%s", ra_atlas_base(c->a), next);

		free(next);
		next = abs;
	}
	if (next == NULL && l->total >= 0 && l->items < l->total && n > 0) {
		/* no link, yet the count says more: ask for the next page */
		char *path = ra_endpoint_path(j->ep, c->org_id, j->group_id,
		    j->cluster);

		next = ra_asprintf("%s%s?%s%d", ra_atlas_base(c->a), path,
		    PAGE_QUERY, j->page + 1);
		free(path);
	}
	if (next == NULL) {
		complete = l->total < 0 || l->items >= l->total;
		goto last;
	}
	if (!ra_atlas_same_origin(ra_atlas_base(c->a), next)) {
		set_outcome(rc, "not-followed", "next link leaves the base "
		    "URL's origin; not followed");
		goto last;
	}
	for (size_t i = 0; i < l->nurls; i++)
		if (strcmp(l->urls[i], next) == 0) {
			msg = ra_asprintf("next link repeats page %zu; listing "
			    "stopped", i + 1);
			set_outcome(rc, "loop", msg);
			goto last;
		}
	max_pages = l->total >= 0 ? (l->total + PAGE_ITEMS - 1) / PAGE_ITEMS
	    + 1 : 10000;
	if (j->page + 1 > max_pages) {
		msg = ra_asprintf("more pages than totalCount %lld allows; "
		    "listing stopped", l->total);
		set_outcome(rc, "loop", msg);
		goto last;
	}
	{
		struct job *nj = job_new(c);

		nj->ep = j->ep;
		nj->group_id = ra_strdup(j->group_id);
		nj->cluster = ra_strdup(j->cluster);
		nj->page = j->page + 1;
		memcpy(nj->accept, j->accept, sizeof(nj->accept));
		l->urls = ra_realloc(l->urls, (l->nurls + 1) * sizeof(char *));
		l->urls[l->nurls++] = ra_strdup(next);
		nj->l = l;	/* the listing moves on with the next page */
		j->l = NULL;
		if (submit(c, nj, next) != 0) {
			j->l = l;
			nj->l = NULL;
			job_free(nj);
			set_outcome(rc, "not-followed", "next link refused");
			goto last;
		}
	}
	goto out;
 last:
	rc->r.list_complete = complete;
	if (!complete)
		c->incomplete++;
 out:
	free(msg);
	free(next);
	cJSON_Delete(root);
}

static int
on_done(void *arg, const struct ra_atlas_resp *r)
{
	struct job *j = arg;
	struct collector *c = j->c;
	struct rec *rc;
	int ret = -1;

	c->done++;
	if ((rc = add_record(c, j, r)) == NULL)
		goto out;
	if (j->ep->shape == RA_SHAPE_PAGED)
		page_done(c, j, rc, r);
	ra_progress_update(&c->prog, c->done, c->planned);
	ret = 0;
 out:
	job_free(j);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Canonical order and raw/                                            */

static int
cmpnull(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
rec_cmp(const void *pa, const void *pb)
{
	const struct rec *a = pa, *b = pb;
	int d;

	if (a->ep != b->ep)
		return a->ep < b->ep ? -1 : 1;
	if ((d = cmpnull(a->r.org_id, b->r.org_id)) != 0 ||
	    (d = cmpnull(a->r.group_id, b->r.group_id)) != 0 ||
	    (d = cmpnull(a->r.cluster, b->r.cluster)) != 0)
		return d;
	if (a->r.page != b->r.page)
		return a->r.page < b->r.page ? -1 : 1;
	return cmpnull(a->r.url, b->r.url);
}

/*
 * Numbers the records canonically and moves each spooled body to its
 * raw/<seq>.json by rename (the bytes hashed when they arrived are the
 * bytes that land there: ra_raw_trust), then writes its meta.
 */
static int
write_raw(struct collector *c, unsigned *next_seq)
{
	char *dir = NULL, *path = NULL;
	int rc = -1;

	dir = ra_asprintf("%s/%s", c->pack_dir, RA_RAW_DIR);
	if (ra_mkdir_p(dir) != 0) {
		snprintf(c->err, sizeof(c->err), "%s: %s", dir,
		    strerror(errno));
		goto out;
	}
	qsort(c->recs, c->nrecs, sizeof(*c->recs), rec_cmp);
	for (size_t i = 0; i < c->nrecs; i++) {
		struct rec *r = &c->recs[i];

		r->r.seq = (unsigned)i + 1;
		free(r->r.body_file);
		r->r.body_file = NULL;
		if (r->spool != NULL) {
			r->r.body_file = ra_asprintf("%s/%05u.json",
			    RA_RAW_DIR, r->r.seq);
			free(path);
			path = ra_asprintf("%s/%s", c->pack_dir,
			    r->r.body_file);
			if (rename(r->spool, path) != 0) {
				snprintf(c->err, sizeof(c->err), "%s: %s",
				    path, strerror(errno));
				goto out;
			}
			free(r->spool);
			r->spool = NULL;
			ra_raw_trust(path, r->r.sha256);
		}
		if (ra_raw_write_meta(c->pack_dir, &r->r) != 0) {
			snprintf(c->err, sizeof(c->err), "%s/%s/%05u: %s",
			    c->pack_dir, RA_RAW_DIR, r->r.seq, strerror(errno));
			goto out;
		}
	}
	*next_seq = (unsigned)c->nrecs + 1;
	rc = 0;
 out:
	free(path);
	free(dir);
	return rc;
}

int
ra_collect(struct ra_collect_result *res, const struct ra_collect_opts *o,
    const char *pack_dir, char *err, size_t errsz)
{
	struct collector c;
	struct ra_atlas_stats st;
	int rc = -1, ran;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.pack_dir = pack_dir;
	c.org_id = o->inv->org_id;
	if (ra_atlas_new(&c.a, &o->atlas, c.err, sizeof(c.err)) != 0)
		goto out;
	c.spool_dir = ra_asprintf("%s/.spool", pack_dir);
	if (ra_mkdir_p(c.spool_dir) != 0) {
		snprintf(c.err, sizeof(c.err), "%s: %s", c.spool_dir,
		    strerror(errno));
		goto out;
	}
	ra_progress_init(&c.prog, ra_progress_wanted(o->progress));
	for (size_t i = 0; i < ra_nendpoints; i++)
		if (ra_endpoints[i].scope == RA_SCOPE_ORG)
			queue_endpoint(&c, &ra_endpoints[i], NULL, NULL);
	ran = ra_atlas_run(c.a);
	ra_progress_end(&c.prog);
	if (ran != 0 || c.io_failed) {
		if (c.err[0] == '\0')
			snprintf(c.err, sizeof(c.err), "collection aborted");
		goto out;
	}
	ra_atlas_get_stats(c.a, &st);
	res->retried = st.retried;
	res->r429 = st.r429;
	res->auth_failed = st.auth_failed;
	snprintf(res->auth_error, sizeof(res->auth_error), "%s",
	    st.auth_error);
	res->incomplete = c.incomplete;
	if (write_raw(&c, &res->next_seq) != 0)
		goto out;
	res->requests = c.nrecs;
	for (size_t i = 0; i < c.nrecs; i++)
		if (strcmp(c.recs[i].r.outcome, "ok") != 0)
			res->failed++;
	ra_debug("collect: %lu requests, %lu failed, %lu retried, %lu "
	    "answered 429, %lu listings incomplete", res->requests,
	    res->failed, res->retried, res->r429, res->incomplete);
	rc = 0;
 out:
	if (rc != 0 && err != NULL && errsz > 0)
		snprintf(err, errsz, "%s", c.err[0] ? c.err : "collect failed");
	ra_atlas_free(c.a);
	while (c.jobs != NULL)		/* dropped by an aborted run */
		job_free(c.jobs);
	if (c.spool_dir != NULL)
		ra_rm_rf(c.spool_dir);
	for (size_t i = 0; i < c.nrecs; i++) {
		ra_raw_record_clear(&c.recs[i].r);
		free(c.recs[i].spool);
	}
	free(c.recs);
	free(c.spool_dir);
	strset_free(&c.projects);
	strset_free(&c.clusters);
	return rc;
}
