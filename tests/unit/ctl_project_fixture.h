/*
 * ctl_project_fixture.h: inventory builders and finding lookups for the
 * tests of the org- and project-level controls (test only; include after
 * model_fixture.h, whose pool owns every allocation).
 */
#ifndef RA_CTL_PROJECT_FIXTURE_H
#define RA_CTL_PROJECT_FIXTURE_H

#include "inventory.h"
#include "model_fixture.h"

/* Sorted: the allowed sets of the tests. */
static const char *const EU[] = {
	"aws:eu-central-1", "aws:eu-west-1", "aws:eu-west-2"
};
static const char *const US[] = { "aws:us-east-1" };
#define NEU	(sizeof(EU) / sizeof(EU[0]))
#define NUS	(sizeof(US) / sizeof(US[0]))

FX_STATIC char **
fx_strv(const char *const *v, size_t n)
{
	char **r = fx_alloc((n + 1) * sizeof(*r));

	for (size_t i = 0; i < n; i++)
		r[i] = fx_str(v[i]);
	return r;
}

/* An inventory with jurisdictions eu and us (sorted by key). */
FX_STATIC struct ra_inventory *
fx_inv(void)
{
	struct ra_inventory *inv = fx_alloc(sizeof(*inv));

	inv->org_id = fx_str("org-1");
	inv->tag_key = fx_str("residency");
	inv->unlisted = RA_UNLISTED_FAIL;
	inv->jurisdictions = fx_alloc(2 * sizeof(*inv->jurisdictions));
	inv->jurisdictions[0].key = fx_str("eu");
	inv->jurisdictions[0].regions = fx_strv(EU, NEU);
	inv->jurisdictions[0].nregions = NEU;
	inv->jurisdictions[1].key = fx_str("us");
	inv->jurisdictions[1].regions = fx_strv(US, NUS);
	inv->jurisdictions[1].nregions = NUS;
	inv->njurisdictions = 2;
	inv->projects = fx_alloc(FX_CAP * sizeof(*inv->projects));
	inv->deployments = fx_alloc(FX_CAP * sizeof(*inv->deployments));
	inv->log_endpoints = fx_alloc(FX_CAP * sizeof(*inv->log_endpoints));
	return inv;
}

FX_STATIC struct ra_inv_project *
fx_inv_project(struct ra_inventory *inv, const char *id, const char *name,
    const char *jurisdiction)
{
	struct ra_inv_project *ip;

	assert(inv->nprojects < FX_CAP);
	ip = &inv->projects[inv->nprojects++];
	ip->id = fx_str(id);
	ip->name = fx_str(name);
	ip->jurisdiction = fx_str(jurisdiction);
	if (strcmp(jurisdiction, "eu") == 0) {
		ip->regions = fx_strv(EU, NEU);
		ip->nregions = NEU;
	} else {
		ip->regions = fx_strv(US, NUS);
		ip->nregions = NUS;
	}
	return ip;
}

FX_STATIC struct ra_deployment *
fx_inv_deployment(struct ra_inventory *inv, const char *name,
    const char *jurisdiction, const char *env_file, const char *variable)
{
	struct ra_deployment *d;

	assert(inv->ndeployments < FX_CAP);
	d = &inv->deployments[inv->ndeployments++];
	d->name = fx_str(name);
	d->jurisdiction = fx_str(jurisdiction);
	d->env_file = fx_str(env_file);
	d->variable = fx_str(variable);
	return d;
}

FX_STATIC void
fx_inv_logs(struct ra_inventory *inv, const char *jurisdiction,
    const char *host)
{
	struct ra_log_endpoints *le;

	assert(inv->nlog_endpoints < FX_CAP);
	le = &inv->log_endpoints[inv->nlog_endpoints++];
	le->jurisdiction = fx_str(jurisdiction);
	le->hosts = fx_alloc(sizeof(*le->hosts));
	le->hosts[0] = fx_str(host);
	le->nhosts = 1;
}

/* The only finding of control for project id at resource, or NULL. */
FX_STATIC const struct ra_finding *
fx_find_p(const struct ra_findings *fs, const char *control,
    const char *project_id, const char *resource)
{
	const struct ra_finding *hit = NULL;

	for (size_t i = 0; i < fs->n; i++) {
		const struct ra_finding *f = &fs->v[i];

		if (strcmp(f->control, control) != 0 ||
		    strcmp(f->resource, resource) != 0)
			continue;
		if ((f->project_id == NULL) != (project_id == NULL) ||
		    (project_id != NULL && strcmp(f->project_id,
		    project_id) != 0))
			continue;
		if (hit != NULL)
			return NULL;
		hit = f;
	}
	return hit;
}

/* Asserts a finding exists with status st, and returns it. */
#define FX_EXPECT(fs, ctl, pid, res, st) \
	fx_expect((fs), (ctl), (pid), (res), (st), __FILE__, __LINE__)

FX_STATIC const struct ra_finding *
fx_expect(const struct ra_findings *fs, const char *control,
    const char *project_id, const char *resource, enum ra_status st,
    const char *file, int line)
{
	const struct ra_finding *f = fx_find_p(fs, control, project_id,
	    resource);

	if (f == NULL) {
		print_error("%s %s %s: no single finding\n", control,
		    project_id ? project_id : "(org)", resource);
		_fail(file, line);
		return NULL;
	}
	if (f->status != st) {
		print_error("%s %s: status %s, want %s (detail: %s)\n",
		    project_id ? project_id : "(org)", resource,
		    ra_status_name(f->status), ra_status_name(st),
		    f->detail ? f->detail : "");
		_fail(file, line);
	}
	return f;
}

/* Asserts that text (may be NULL) contains needle. */
#define FX_CONTAINS(text, needle) do {					\
	const char *t_ = (text);					\
	if (t_ == NULL || strstr(t_, (needle)) == NULL)			\
		fail_msg("[%s] lacks [%s]", t_ ? t_ : "(null)", (needle)); \
} while (0)

#endif
