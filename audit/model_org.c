/*
 * model_org.c: the organization scope of the model: the org itself, its
 * project listing, resource policies (Cedar bodies kept verbatim) and
 * non-compliant resources. See model_int.h for the decoding contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "model_int.h"
#include "util.h"

static void
org_object(void *dst, const cJSON *o, struct ra_xt *x)
{
	struct ra_model *m = dst;

	free(m->org_name);
	m->org_name = ra_xt_str(x, o, "", "name", 1);
}

/* Projects always get a non-NULL id and name ("" when unreadable). */
static void
project_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_model *m = dst;
	struct ra_project *p;
	const cJSON *tags, *t;
	char tp[96];
	size_t i = 0;

	if (!ra_xt_need_object(x, it, path))
		return;
	/*
	 * A project listed twice (a repeated page under a pagination loop,
	 * or a server listing it on two pages) is one project: the first
	 * listing is kept, the page is added to its evidence.
	 */
	if ((t = cJSON_GetObjectItemCaseSensitive(it, "id")) != NULL &&
	    cJSON_IsString(t))
		for (size_t k = 0; k < m->nprojects; k++)
			if (strcmp(m->projects[k].id, t->valuestring) == 0) {
				ra_ev_add_ref(&m->projects[k].ev, x->rec);
				return;
			}
	p = RA_MB_GROW(m->projects, m->nprojects);
	p->id = ra_xt_str(x, it, path, "id", 1);
	p->name = ra_xt_str(x, it, path, "name", 1);
	p->org_id = ra_xt_str(x, it, path, "orgId", 0);
	if (p->id == NULL)
		p->id = ra_strdup("");
	if (p->name == NULL)
		p->name = ra_strdup("");
	ra_ev_add_ref(&p->ev, x->rec);
	if ((tags = ra_xt_arr(x, it, path, "tags", 0)) == NULL)
		return;
	p->tags = ra_calloc((size_t)cJSON_GetArraySize(tags) + 1,
	    sizeof(*p->tags));
	cJSON_ArrayForEach(t, tags) {
		snprintf(tp, sizeof(tp), "%s.tags[%zu]", path, i++);
		if (!ra_xt_need_object(x, t, tp))
			break;
		p->tags[p->ntags].key = ra_xt_str(x, t, tp, "key", 1);
		p->tags[p->ntags].value = ra_xt_str(x, t, tp, "value", 0);
		p->ntags++;
	}
}

static void
policy_item(void *dst, const cJSON *it, const char *path, struct ra_xt *x)
{
	struct ra_model *m = dst;
	struct ra_resource_policy *rp;
	const cJSON *pol, *e;
	char pp[96];
	size_t i = 0;

	if (!ra_xt_need_object(x, it, path))
		return;
	rp = RA_MB_GROW(m->policies, m->npolicies);
	rp->id = ra_xt_str(x, it, path, "id", 1);
	rp->name = ra_xt_str(x, it, path, "name", 0);
	rp->description = ra_xt_str(x, it, path, "description", 0);
	rp->version = ra_xt_str(x, it, path, "version", 0);
	rp->last_updated = ra_xt_str(x, it, path, "lastUpdatedDate", 0);
	if ((pol = ra_xt_arr(x, it, path, "policies", 1)) == NULL)
		return;
	rp->policies = ra_calloc((size_t)cJSON_GetArraySize(pol) + 1,
	    sizeof(*rp->policies));
	cJSON_ArrayForEach(e, pol) {
		snprintf(pp, sizeof(pp), "%s.policies[%zu]", path, i++);
		if (!ra_xt_need_object(x, e, pp))
			break;
		rp->policies[rp->npolicies].id = ra_xt_str(x, e, pp, "id", 0);
		rp->policies[rp->npolicies].body = ra_xt_str(x, e, pp, "body",
		    1);
		rp->npolicies++;
	}
}

static void
noncompliant_item(void *dst, const cJSON *it, const char *path,
    struct ra_xt *x)
{
	struct ra_model *m = dst;
	struct ra_noncompliant *nc;
	const cJSON *causes, *c;
	char cp[96];
	size_t i = 0;

	if (!ra_xt_need_object(x, it, path))
		return;
	nc = RA_MB_GROW(m->noncompliant, m->nnoncompliant);
	nc->resource_id = ra_xt_str(x, it, path, "resourceId", 1);
	nc->resource_name = ra_xt_str(x, it, path, "resourceName", 0);
	nc->resource_type = ra_xt_str(x, it, path, "resourceType", 0);
	nc->org_id = ra_xt_str(x, it, path, "orgId", 0);
	causes = ra_xt_arr(x, it, path, "resourcePoliciesCausingNonCompliance",
	    0);
	if (causes == NULL)
		return;
	nc->policy_names = ra_calloc((size_t)cJSON_GetArraySize(causes) + 1,
	    sizeof(*nc->policy_names));
	cJSON_ArrayForEach(c, causes) {
		char *name;

		snprintf(cp, sizeof(cp), "%s.resourcePoliciesCausing"
		    "NonCompliance[%zu]", path, i++);
		if (!ra_xt_need_object(x, c, cp))
			break;
		if ((name = ra_xt_str(x, c, cp, "resourcePolicyName", 0)) !=
		    NULL)
			nc->policy_names[nc->npolicy_names++] = name;
	}
}

static const struct ra_extractor ex_org = { NULL, org_object };
static const struct ra_extractor ex_projects = { project_item, NULL };
static const struct ra_extractor ex_policies = { policy_item, NULL };
static const struct ra_extractor ex_noncompliant = { noncompliant_item, NULL };

/* The org of the pack: the "org" record's, else the first org-scope one. */
static const char *
pick_org(const struct ra_model *m)
{
	const char *any = NULL;

	for (size_t i = 0; i < m->nrecords; i++) {
		const struct ra_raw_record *r = &m->records[i];
		const struct ra_endpoint *ep = ra_endpoint_find(r->endpoint);

		if (r->org_id == NULL)
			continue;
		if (strcmp(r->endpoint, "org") == 0)
			return r->org_id;
		if (any == NULL && ep != NULL && ep->scope == RA_SCOPE_ORG)
			any = r->org_id;
	}
	return any;
}

void
ra_mb_org(struct ra_mb *b)
{
	struct ra_model *m = b->m;
	const char **ids = NULL;	/* project ids, sorted */
	size_t i, j, nids = 0;

	m->org_id = ra_strdup(pick_org(m));
	ra_mb_decode(b, &m->org_ev, ra_mb_find(b, "org", m->org_id, NULL,
	    NULL), &ex_org, m);
	ra_mb_decode(b, &m->projects_ev, ra_mb_find(b, "org-projects",
	    m->org_id, NULL, NULL), &ex_projects, m);
	for (i = 0; i < m->nprojects; i++) {
		struct ra_project *p = &m->projects[i];

		p->ev.status = m->projects_ev.status;
		free(p->ev.reason);
		p->ev.reason = ra_strdup(m->projects_ev.reason);
	}
	ra_mb_decode(b, &m->policies_ev, ra_mb_find(b, "resource-policies",
	    m->org_id, NULL, NULL), &ex_policies, m);
	ra_mb_decode(b, &m->noncompliant_ev, ra_mb_find(b,
	    "non-compliant-resources", m->org_id, NULL, NULL),
	    &ex_noncompliant, m);

	/*
	 * Evidence for a project the listing does not name is not dropped:
	 * the project is added after the listed ones, marked INVALID, so
	 * its clusters still reach the controls (as ERROR).
	 */
	ids = ra_calloc(m->nprojects + 1, sizeof(*ids));
	for (i = 0; i < m->nprojects; i++)
		ids[nids++] = m->projects[i].id;
	if (nids > 1)
		qsort(ids, nids, sizeof(*ids), ra_strp_cmp);
	for (i = 0; i < b->ngroups; i++) {
		const struct ra_group *g = &b->groups[i];
		struct ra_project *p;
		size_t lo = 0, hi = nids;
		int c = 1;

		if (g->ep == NULL || g->ep->scope == RA_SCOPE_ORG ||
		    g->group_id == NULL)
			continue;
		while (lo < hi) {	/* lo: where group_id is or would be */
			j = lo + (hi - lo) / 2;
			if ((c = strcmp(ids[j], g->group_id)) == 0)
				break;
			if (c < 0)
				lo = j + 1;
			else
				hi = j;
		}
		if (c == 0)
			continue;
		p = RA_MB_GROW(m->projects, m->nprojects);
		p->id = ra_strdup(g->group_id);
		p->name = ra_strdup(g->group_id);
		if (m->projects_ev.status == RA_EV_OK)
			ra_ev_set(&p->ev, RA_EV_INVALID, "not in the "
			    "organization's project listing");
		else
			ra_ev_set(&p->ev, m->projects_ev.status, "not in the "
			    "project listing, which is %s: %s",
			    ra_ev_status_name(m->projects_ev.status),
			    m->projects_ev.reason ? m->projects_ev.reason : "");
		ids = ra_realloc(ids, (nids + 1) * sizeof(*ids));
		memmove(ids + lo + 1, ids + lo, (nids - lo) * sizeof(*ids));
		ids[lo] = p->id;
		nids++;
	}
	free(ids);
}

void
ra_model_org_clear(struct ra_model *m)
{
	free(m->org_id);
	free(m->org_name);
	ra_ev_clear(&m->org_ev);
	ra_ev_clear(&m->projects_ev);
	ra_ev_clear(&m->policies_ev);
	for (size_t i = 0; i < m->npolicies; i++) {
		struct ra_resource_policy *rp = &m->policies[i];

		free(rp->id);
		free(rp->name);
		free(rp->description);
		free(rp->version);
		free(rp->last_updated);
		for (size_t j = 0; j < rp->npolicies; j++) {
			free(rp->policies[j].id);
			free(rp->policies[j].body);
		}
		free(rp->policies);
	}
	free(m->policies);
	ra_ev_clear(&m->noncompliant_ev);
	for (size_t i = 0; i < m->nnoncompliant; i++) {
		struct ra_noncompliant *nc = &m->noncompliant[i];

		free(nc->resource_id);
		free(nc->resource_name);
		free(nc->resource_type);
		free(nc->org_id);
		for (size_t j = 0; j < nc->npolicy_names; j++)
			free(nc->policy_names[j]);
		free(nc->policy_names);
	}
	free(m->noncompliant);
}
