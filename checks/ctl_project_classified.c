/*
 * ctl_project_classified.c: project-classified (CONTRACT §2, §5; ADR §6).
 *
 * Every project of the org listing is classified: named in the inventory
 * (by id when the inventory entry has one, else by name) or tagged
 * `<tagKey>: <jurisdiction key>` -> PASS with that jurisdiction. Otherwise
 * it is unclassified: FAIL under "unlisted": "fail" (jurisdiction NULL, so
 * it goes into every report), nothing under "ignore". A tag whose value
 * is not a jurisdiction key classifies nothing. An inventory project that
 * the org does not list is ERROR in its jurisdiction. An unusable org
 * listing gives one ERROR at org and nothing else.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_project_common.h"

#define CTL	"project-classified"

/* 1 when inventory entry ip names project p. */
static int
names(const struct ra_inv_project *ip, const struct ra_project *p)
{
	if (ip->id != NULL)
		return p->id != NULL && strcmp(ip->id, p->id) == 0;
	return ip->name != NULL && p->name != NULL &&
	    strcmp(ip->name, p->name) == 0;
}

static const struct ra_inv_project *
inv_for(const struct ra_inventory *inv, const struct ra_project *p)
{
	for (size_t i = 0; i < inv->nprojects; i++)
		if (names(&inv->projects[i], p))
			return &inv->projects[i];
	return NULL;
}

static int
in_org(const struct ra_model *m, const struct ra_inv_project *ip)
{
	for (size_t i = 0; i < m->nprojects; i++)
		if (names(ip, &m->projects[i]))
			return 1;
	return 0;
}

/* "eu, us": the inventory's jurisdiction keys. malloc'd. */
static char *
jurisdiction_keys(const struct ra_inventory *inv)
{
	const char **v;
	char *s;

	v = ra_calloc(inv->njurisdictions + 1, sizeof(*v));
	for (size_t i = 0; i < inv->njurisdictions; i++)
		v[i] = inv->jurisdictions[i].key;
	s = ra_ctl_join(v, inv->njurisdictions);
	free(v);
	return s;
}

static void
classify(const struct ra_ctx *ctx, const struct ra_project *p,
    const char *keys, struct ra_findings *out)
{
	const struct ra_inventory *inv = ctx->inv;
	const struct ra_inv_project *ip = inv_for(inv, p);
	const char *tag = ra_project_tag(p, inv->tag_key);
	struct ra_finding *f;

	if (ip != NULL) {
		f = ra_ctlp_add_project(out, CTL, RA_PASS, p, ip->jurisdiction,
		    "project");
		ra_finding_set_observed(f, "named in inventory (%s)",
		    ip->jurisdiction);
		if (tag != NULL && strcmp(tag, ip->jurisdiction) != 0)
			ra_finding_set_detail(f, "named in inventory; tag "
			    "%s=%s is overridden by the inventory",
			    inv->tag_key, tag);
		else
			ra_finding_set_detail(f, "named in inventory");
	} else if (tag != NULL && ra_inventory_jurisdiction(inv, tag) != NULL) {
		f = ra_ctlp_add_project(out, CTL, RA_PASS, p, tag, "project");
		ra_finding_set_observed(f, "tagged %s=%s", inv->tag_key, tag);
		ra_finding_set_detail(f, "tagged %s=%s", inv->tag_key, tag);
	} else if (inv->unlisted == RA_UNLISTED_IGNORE) {
		return;
	} else {
		f = ra_ctlp_add_project(out, CTL, RA_FAIL, p, NULL, "project");
		if (tag != NULL) {
			ra_finding_set_observed(f, "tagged %s=%s",
			    inv->tag_key, tag);
			ra_finding_set_detail(f, "unclassified: tag %s=%s is "
			    "not a jurisdiction of the inventory (%s), and "
			    "the inventory does not name the project",
			    inv->tag_key, tag, keys);
		} else {
			ra_finding_set_observed(f, "not in inventory, no tag "
			    "%s", inv->tag_key);
			ra_finding_set_detail(f, "unclassified: not named in "
			    "the inventory and no tag %s: <jurisdiction> "
			    "(one of %s)", inv->tag_key, keys);
		}
	}
	ra_finding_set_expected(f, "named in inventory or tagged %s: one of "
	    "%s", inv->tag_key, keys);
	ra_finding_add_evrefs(f, p->ev.refs, p->ev.nrefs);
}

void
ra_check_project_classified(const struct ra_ctx *ctx, struct ra_findings *out)
{
	const struct ra_model *m = ctx->model;
	const struct ra_inventory *inv = ctx->inv;
	struct ra_finding *f;
	char *keys = NULL;

	if (!ra_ev_usable(&m->projects_ev)) {
		ra_ctl_error_ev(out, CTL, NULL, "org",
		    ra_ctl_ep_title("org-projects"), &m->projects_ev);
		goto out;
	}
	keys = jurisdiction_keys(inv);
	for (size_t i = 0; i < m->nprojects; i++)
		classify(ctx, &m->projects[i], keys, out);
	for (size_t i = 0; i < inv->nprojects; i++) {
		const struct ra_inv_project *ip = &inv->projects[i];

		if (in_org(m, ip))
			continue;
		f = ra_finding_add(out, CTL, RA_ERROR, ip->id, ip->name,
		    ip->jurisdiction, "project");
		ra_finding_set_expected(f, "listed in org %s",
		    m->org_id != NULL ? m->org_id : inv->org_id);
		ra_finding_set_observed(f, "not listed");
		ra_finding_set_detail(f, "inventory project %s \"%s\" is not "
		    "a project of the organization",
		    ip->id != NULL ? "id" : "name",
		    ip->id != NULL ? ip->id : ip->name);
		ra_finding_add_evrefs(f, m->projects_ev.refs,
		    m->projects_ev.nrefs);
	}
out:
	free(keys);
}
