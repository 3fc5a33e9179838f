/*
 * sim_state.c: the simulator's mutable state: fault counters, token
 * buckets, OAuth tokens and the request log behind /__sim/. Every
 * function takes sim.lock itself; callers hold no lock.
 */
#include <fnmatch.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "buf.h"
#include "util.h"
#include "sim.h"

double
sim_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
sim_sleep_ms(long ms)
{
	double end = sim_now() + (double)ms / 1000.0;

	while (!sim_stopping) {
		double left = end - sim_now();
		struct timespec ts;

		if (left <= 0)
			break;
		if (left > 0.05)
			left = 0.05;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
}

/*
 * The first fault whose method and path match and whose `times` is not
 * used up; its counter is spent. NULL when none applies.
 */
struct sim_fault *
sim_fault_take(const char *method, const char *path)
{
	struct sim_fault *hit = NULL;

	pthread_mutex_lock(&sim.lock);
	for (size_t i = 0; i < sim.nfaults; i++) {
		struct sim_fault *f = &sim.faults[i];

		if (f->times == 0)
			continue;
		if (f->method != NULL && strcmp(f->method, method) != 0)
			continue;
		if (strcmp(f->path, path) != 0 &&
		    fnmatch(f->path, path, 0) != 0)
			continue;
		if (f->times > 0)
			f->times--;
		hit = f;
		break;
	}
	pthread_mutex_unlock(&sim.lock);
	return hit;
}

static size_t
sim_index_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return (size_t)h;
}

/* The slot of key k (klen bytes): its own, or the empty one where it
 * goes. The index has at least one empty slot. */
static struct sim_islot *
sim_index_slot(const struct sim_index *ix, const char *k, size_t klen)
{
	size_t mask = ix->nslots - 1, i = sim_index_hash(k, klen) & mask;
	struct sim_islot *s;

	for (; (s = &ix->slots[i])->key != NULL; i = (i + 1) & mask)
		if (s->klen == klen && memcmp(s->key, k, klen) == 0)
			break;
	return s;
}

int
sim_index_find(const struct sim_index *ix, const char *k, size_t klen,
    size_t *i)
{
	const struct sim_islot *s;

	if (ix->n == 0)
		return -1;
	s = sim_index_slot(ix, k, klen);
	if (s->key == NULL)
		return -1;
	*i = s->i;
	return 0;
}

void
sim_index_add(struct sim_index *ix, const char *k, size_t klen, size_t i)
{
	struct sim_islot *s;

	if (2 * (ix->n + 1) > ix->nslots) {
		struct sim_islot *old = ix->slots;
		size_t nold = ix->nslots;

		ix->nslots = nold ? nold * 2 : 256;
		ix->slots = ra_calloc(ix->nslots, sizeof(*ix->slots));
		for (size_t j = 0; j < nold; j++)
			if (old[j].key != NULL)
				*sim_index_slot(ix, old[j].key, old[j].klen) =
				    old[j];
		free(old);
	}
	s = sim_index_slot(ix, k, klen);
	s->key = k;
	s->klen = klen;
	s->i = i;
	ix->n++;
}

void
sim_index_free(struct sim_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}

const char *const sim_limit_names[SIM_LIM_N] = {
	"USER", "ORGANIZATION", "GROUP"
};

/* Index of the bucket (created full when new); indexes survive realloc.
 * sim.lock held. */
static size_t
bucket_get(int kind, const char *id, double now)
{
	const char *name = sim_limit_names[kind];
	char *key;
	size_t i;
	struct sim_bucket *b;

	key = id ? ra_asprintf("%s:%s", name, id) : ra_strdup(name);
	if (sim_index_find(&sim.bucket_index, key, strlen(key), &i) == 0) {
		free(key);
		return i;
	}
	sim.buckets = ra_realloc(sim.buckets,
	    (sim.nbuckets + 1) * sizeof(*sim.buckets));
	b = &sim.buckets[sim.nbuckets];
	b->key = key;
	b->capacity = sim.limits[kind].capacity;
	b->refill = sim.limits[kind].refill;
	b->tokens = b->capacity;
	b->last = now;
	sim_index_add(&sim.bucket_index, key, strlen(key), sim.nbuckets);
	return sim.nbuckets++;
}

int
sim_bucket_take(const char *org_id, const char *group_id, long *limit,
    long *remaining, long *retry_after)
{
	struct sim_bucket *use[SIM_LIM_N];
	size_t idx[SIM_LIM_N], n = 0;
	double now = sim_now(), wait = 0;
	int rc = 0;

	*limit = *remaining = -1;
	*retry_after = 0;
	pthread_mutex_lock(&sim.lock);
	if (sim.limits[SIM_LIM_USER].on)
		idx[n++] = bucket_get(SIM_LIM_USER, NULL, now);
	if (sim.limits[SIM_LIM_ORG].on && org_id != NULL)
		idx[n++] = bucket_get(SIM_LIM_ORG, org_id, now);
	if (sim.limits[SIM_LIM_GROUP].on && group_id != NULL)
		idx[n++] = bucket_get(SIM_LIM_GROUP, group_id, now);
	for (size_t i = 0; i < n; i++)
		use[i] = &sim.buckets[idx[i]];
	for (size_t i = 0; i < n; i++) {
		struct sim_bucket *b = use[i];

		b->tokens += (now - b->last) * b->refill;
		if (b->tokens > b->capacity)
			b->tokens = b->capacity;
		b->last = now;
		if (b->tokens < 1.0) {
			double w = b->refill > 0 ?
			    (1.0 - b->tokens) / b->refill : 86400.0;
			if (w > wait)
				wait = w;
			rc = -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			use[i]->tokens -= 1.0;
		if (*remaining < 0 || (long)use[i]->tokens < *remaining) {
			*remaining = (long)floor(use[i]->tokens);
			*limit = (long)use[i]->capacity;
		}
	}
	if (*remaining < 0 && n > 0)
		*remaining = 0;
	if (rc != 0) {
		*retry_after = (long)ceil(wait);
		if (*retry_after < 1)
			*retry_after = 1;
	}
	pthread_mutex_unlock(&sim.lock);
	return rc;
}

void
sim_token_new(char out[65])
{
	unsigned char rnd[32];
	static const char hex[] = "0123456789abcdef";

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		abort();	/* no randomness: refuse to issue a guessable token */
	for (size_t i = 0; i < sizeof(rnd); i++) {
		out[2 * i] = hex[rnd[i] >> 4];
		out[2 * i + 1] = hex[rnd[i] & 15];
	}
	out[64] = '\0';
	pthread_mutex_lock(&sim.lock);
	sim.tokens = ra_realloc(sim.tokens,
	    (sim.ntokens + 1) * sizeof(*sim.tokens));
	memcpy(sim.tokens[sim.ntokens].value, out, 65);
	sim.tokens[sim.ntokens].expires = sim_now() + (double)sim.token_ttl;
	sim.ntokens++;
	pthread_mutex_unlock(&sim.lock);
}

int
sim_token_check(const char *value)
{
	int ok = 0;
	double now = sim_now();

	pthread_mutex_lock(&sim.lock);
	for (size_t i = 0; i < sim.ntokens; i++)
		if (strcmp(sim.tokens[i].value, value) == 0 &&
		    sim.tokens[i].expires > now) {
			ok = 1;
			break;
		}
	pthread_mutex_unlock(&sim.lock);
	return ok;
}

void
sim_record_begin(void)
{
	pthread_mutex_lock(&sim.lock);
	sim.concurrent++;
	if (sim.concurrent > sim.peak)
		sim.peak = sim.concurrent;
	pthread_mutex_unlock(&sim.lock);
}

static const char *
path_only(const char *uri, size_t *len)
{
	const char *q = strchr(uri, '?');

	*len = q ? (size_t)(q - uri) : strlen(uri);
	return uri;
}

/*
 * The request counter of path p (plen bytes), created on its first
 * request; sim.lock held. Found through a hash index: a synthetic org of
 * 1,000 projects has 34,000 distinct paths, and a scan per request made
 * the simulator quadratic.
 */
static struct sim_count *
path_count(const char *p, size_t plen)
{
	struct sim_count *c;
	size_t i;

	if (sim_index_find(&sim.path_index, p, plen, &i) == 0)
		return &sim.paths[i];
	if (sim.npaths == sim.cpaths) {
		sim.cpaths = sim.cpaths ? sim.cpaths * 2 : 256;
		sim.paths = ra_realloc(sim.paths,
		    sim.cpaths * sizeof(*sim.paths));
	}
	c = &sim.paths[sim.npaths];
	c->key = ra_malloc(plen + 1);
	memcpy(c->key, p, plen);
	c->key[plen] = '\0';
	c->n = 0;
	sim_index_add(&sim.path_index, c->key, plen, sim.npaths++);
	return c;
}

/* Takes ownership of r's strings. */
void
sim_record_end(struct sim_record *r)
{
	size_t plen;
	const char *p = path_only(r->uri ? r->uri : "", &plen);

	pthread_mutex_lock(&sim.lock);
	sim.concurrent--;
	sim.requests++;
	if (r->status >= 0 && r->status < 600)
		sim.status_counts[r->status]++;
	path_count(p, plen)->n++;
	if (sim.nrecords == sim.crecords) {
		sim.crecords = sim.crecords ? 2 * sim.crecords : 256;
		sim.records = ra_realloc(sim.records,
		    sim.crecords * sizeof(*sim.records));
	}
	sim.records[sim.nrecords++] = *r;
	if (sim.log != NULL) {
		fprintf(sim.log, "%.3f %s %s %d auth=%s %.1fms\n",
		    r->started / 1000.0, r->method ? r->method : "-",
		    r->uri ? r->uri : "-", r->status, r->auth,
		    r->finished - r->started);
		fflush(sim.log);
	}
	pthread_mutex_unlock(&sim.lock);
	memset(r, 0, sizeof(*r));
}

char *
sim_stats_json(void)
{
	cJSON *root = cJSON_CreateObject(), *by, *paths;
	char *s, key[8];

	pthread_mutex_lock(&sim.lock);
	cJSON_AddNumberToObject(root, "requests", (double)sim.requests);
	by = cJSON_AddObjectToObject(root, "byStatus");
	for (int i = 0; i < 600; i++)
		if (sim.status_counts[i] > 0) {
			snprintf(key, sizeof(key), "%d", i);
			cJSON_AddNumberToObject(by, key,
			    (double)sim.status_counts[i]);
		}
	cJSON_AddNumberToObject(root, "429s", (double)sim.status_counts[429]);
	cJSON_AddNumberToObject(root, "peakConcurrent", (double)sim.peak);
	cJSON_AddNumberToObject(root, "concurrent", (double)sim.concurrent);
	paths = cJSON_AddObjectToObject(root, "paths");
	for (size_t i = 0; i < sim.npaths; i++)
		cJSON_AddNumberToObject(paths, sim.paths[i].key,
		    (double)sim.paths[i].n);
	pthread_mutex_unlock(&sim.lock);
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

char *
sim_requests_json(void)
{
	cJSON *root = cJSON_CreateArray();
	char *s;

	pthread_mutex_lock(&sim.lock);
	for (size_t i = 0; i < sim.nrecords; i++) {
		const struct sim_record *r = &sim.records[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "method", r->method ? r->method : "");
		cJSON_AddStringToObject(o, "path", r->uri ? r->uri : "");
		if (r->accept)
			cJSON_AddStringToObject(o, "accept", r->accept);
		else
			cJSON_AddNullToObject(o, "accept");
		cJSON_AddStringToObject(o, "auth", r->auth);
		cJSON_AddNumberToObject(o, "status", r->status);
		cJSON_AddNumberToObject(o, "startedAt",
		    floor(r->started * 10) / 10);
		cJSON_AddNumberToObject(o, "finishedAt",
		    floor(r->finished * 10) / 10);
		cJSON_AddItemToArray(root, o);
	}
	pthread_mutex_unlock(&sim.lock);
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

void
sim_state_free(void)
{
	for (size_t i = 0; i < sim.nbuckets; i++)
		free(sim.buckets[i].key);
	free(sim.buckets);
	sim_index_free(&sim.bucket_index);
	free(sim.tokens);
	for (size_t i = 0; i < sim.nrecords; i++) {
		free(sim.records[i].method);
		free(sim.records[i].uri);
		free(sim.records[i].accept);
	}
	free(sim.records);
	for (size_t i = 0; i < sim.npaths; i++)
		free(sim.paths[i].key);
	free(sim.paths);
	sim_index_free(&sim.path_index);
	sim_faults_free();
}

void
sim_faults_free(void)
{
	for (size_t i = 0; i < sim.nfaults; i++) {
		free(sim.faults[i].path);
		free(sim.faults[i].method);
		free(sim.faults[i].error_code);
		free(sim.faults[i].retry_after);
		free(sim.faults[i].next_host);
	}
	free(sim.faults);
	sim.faults = NULL;
	sim.nfaults = 0;
}
