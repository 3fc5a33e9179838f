/*
 * scope.c: which projects of the org are audited, and against what
 * (checks.h). A scope exists for every project of the model's listing
 * that the inventory names (by id; by name only for entries without an
 * id, so an id always wins) or, failing that, whose tag <tagKey> holds a
 * declared jurisdiction key (plane data, allowed = that jurisdiction's
 * regions). Unlisted and untagged projects, and inventory projects
 * missing from the org, get no scope: project-classified reports them.
 *
 * Scopes borrow everything from the model and the inventory; both must
 * outlive them.
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "util.h"

static const struct ra_inv_project *
inv_match(const struct ra_inventory *inv, const struct ra_project *p)
{
	size_t i;

	for (i = 0; p->id != NULL && i < inv->nprojects; i++)
		if (inv->projects[i].id != NULL &&
		    strcmp(inv->projects[i].id, p->id) == 0)
			return &inv->projects[i];
	for (i = 0; p->name != NULL && i < inv->nprojects; i++)
		if (inv->projects[i].id == NULL &&
		    inv->projects[i].name != NULL &&
		    strcmp(inv->projects[i].name, p->name) == 0)
			return &inv->projects[i];
	return NULL;
}

static int
cmp_scope(const void *a, const void *b)
{
	const struct ra_scope *x = a, *y = b;
	const char *xn = x->project->name, *yn = y->project->name;
	const char *xi = x->project->id, *yi = y->project->id;
	int c;

	c = strcmp(xn != NULL ? xn : "", yn != NULL ? yn : "");
	if (c == 0)
		c = strcmp(xi != NULL ? xi : "", yi != NULL ? yi : "");
	return c;
}

int
ra_scopes_build(struct ra_scope **out, size_t *nout,
    const struct ra_model *m, const struct ra_inventory *inv)
{
	struct ra_scope *v = NULL;
	size_t i, n = 0;

	*out = NULL;
	*nout = 0;
	if (m == NULL || inv == NULL || m->nprojects == 0)
		return 0;
	v = ra_calloc(m->nprojects, sizeof(*v));
	for (i = 0; i < m->nprojects; i++) {
		const struct ra_project *p = &m->projects[i];
		const struct ra_inv_project *ip = inv_match(inv, p);
		const struct ra_jurisdiction *j;
		struct ra_scope *s;

		if (ip != NULL) {
			j = ra_inventory_jurisdiction(inv, ip->jurisdiction);
			if (j == NULL)	/* the parser guarantees it exists */
				continue;
			s = &v[n++];
			s->project = p;
			s->inv = ip;
			s->jurisdiction = j->key;
			s->plane = ip->plane;
			s->allowed = (const char *const *)ip->regions;
			s->nallowed = ip->nregions;
		} else {
			j = ra_inventory_jurisdiction(inv,
			    ra_project_tag(p, inv->tag_key));
			if (j == NULL)
				continue;
			s = &v[n++];
			s->project = p;
			s->inv = NULL;
			s->jurisdiction = j->key;
			s->plane = RA_PLANE_DATA;
			s->allowed = (const char *const *)j->regions;
			s->nallowed = j->nregions;
		}
		s->jurisdiction_regions = (const char *const *)j->regions;
		s->njurisdiction_regions = j->nregions;
	}
	qsort(v, n, sizeof(*v), cmp_scope);
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*nout = n;
	return 0;
}

void
ra_scopes_free(struct ra_scope *v, size_t n)
{
	(void)n;
	free(v);
}
