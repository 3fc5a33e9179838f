/*
 * fuzz_model.c: the model's JSON boundary. The first byte picks an
 * endpoint of the table, the rest is its response body; a small
 * in-memory pack (project listing, a cluster listing for cluster-scope
 * endpoints, then the fuzzed record) goes through ra_model_build with
 * bodies served from memory, so no disk I/O. The model must never crash,
 * and a body that is not OK must never yield a usable piece.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "endpoints.h"
#include "model_int.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const char *body[4];
	size_t	 len[4];
};

static int
mem_body(void *ctx, const struct ra_raw_record *rec, char **out, size_t *len)
{
	const struct mem *m = ctx;
	char *p;

	if (rec->seq >= 4 || m->body[rec->seq] == NULL)
		return -1;
	p = ra_malloc(m->len[rec->seq] + 1);
	memcpy(p, m->body[rec->seq], m->len[rec->seq]);
	p[m->len[rec->seq]] = '\0';
	*out = p;
	*len = m->len[rec->seq];
	return 0;
}

static void
rec(struct ra_raw_record *r, struct mem *m, unsigned seq,
    const struct ra_endpoint *ep, const char *body, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->endpoint = ra_strdup(ep->id);
	if (ep->scope == RA_SCOPE_ORG)
		r->org_id = ra_strdup("o1");
	else
		r->group_id = ra_strdup("g1");
	if (ep->scope == RA_SCOPE_CLUSTER)
		r->cluster = ra_strdup("c1");
	r->page = ep->shape == RA_SHAPE_PAGED ? 1 : 0;
	r->method = ra_strdup("GET");
	r->url = ra_strdup("https://127.0.0.1/");
	r->accept = ra_strdup("application/json");
	r->status = 200;
	r->received_at = ra_strdup("2026-01-01T00:00:00Z");
	r->attempts = 1;
	r->outcome = ra_strdup("ok");
	r->body_file = ra_asprintf("raw/%05u.json", seq);
	r->bytes = len;
	r->list_complete = ep->shape == RA_SHAPE_PAGED ? 1 : -1;
	m->body[seq] = body;
	m->len[seq] = len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char projects[] = "{\"results\":[{\"id\":\"g1\","
	    "\"name\":\"p\"}],\"totalCount\":1}";
	static const char clusters[] = "{\"results\":[{\"name\":\"c1\","
	    "\"clusterType\":\"REPLICASET\",\"backupEnabled\":true,"
	    "\"replicationSpecs\":[]}],\"totalCount\":1}";
	struct ra_raw_record *v;
	struct ra_model *model = NULL;
	const struct ra_endpoint *ep;
	struct mem m;
	size_t n = 0;

	if (size < 1)
		return 0;
	ep = &ra_endpoints[data[0] % ra_nendpoints];
	memset(&m, 0, sizeof(m));
	v = ra_calloc(3, sizeof(*v));
	if (strcmp(ep->id, "org-projects") != 0)
		rec(&v[n++], &m, 1, ra_endpoint_find("org-projects"), projects,
		    sizeof(projects) - 1);
	if (ep->scope == RA_SCOPE_CLUSTER)
		rec(&v[n++], &m, 2, ra_endpoint_find("clusters"), clusters,
		    sizeof(clusters) - 1);
	rec(&v[n++], &m, 3, ep, (const char *)data + 1, size - 1);
	if (ra_model_build(&model, v, n, mem_body, &m) == 0) {
		/* an empty body can never be usable evidence */
		if (size == 1 && model->nprojects > 0 &&
		    ra_ev_usable(&model->projects[0].audit_log.ev) &&
		    strcmp(ep->id, "audit-log") == 0)
			abort();
		ra_model_free(model);
	}
	return 0;
}
