/*
 * test_ctl_project.c: the org-level controls project-classified,
 * resource-policy (with the Cedar evaluator), non-compliant-resources and
 * terraform-policy-drift, on hand-built models. Hostile names (pipes,
 * newlines, "../", HTML) must reach findings verbatim.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "controls.h"
#include "model_fixture.h"
#include "ctl_project_fixture.h"

#define HOSTILE	"x|y\n<script>alert(1)</script>../../etc"

static struct ra_findings fs;

static int
teardown(void **state)
{
	(void)state;
	fx_reset(&fs);
	return 0;
}

/* ---- project-classified ---------------------------------------------- */

#define PC	"project-classified"

static void
test_classified(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_inventory *inv = fx_inv();
	struct ra_project *p;
	struct ra_ctx c;
	const struct ra_finding *f;

	(void)state;
	fx_project(m, "p-id", "by-id");
	fx_project(m, "p-name", "by-name");
	p = fx_project(m, "p-tag", "tagged");
	fx_tag(p, "env", "prod");
	fx_tag(p, "residency", "eu");
	p = fx_project(m, "p-badtag", "bad-tag");
	fx_tag(p, "residency", "mars");
	fx_project(m, "p-none", HOSTILE);
	p = fx_project(m, "p-both", "both");
	fx_tag(p, "residency", "us");
	fx_inv_project(inv, "p-id", NULL, "eu");
	fx_inv_project(inv, NULL, "by-name", "us");
	fx_inv_project(inv, "p-both", NULL, "eu");
	fx_inv_project(inv, "p-gone", NULL, "eu");
	fx_inv_project(inv, NULL, "gone-by-name", "us");
	/* an inventory name matching no project, though an id would */
	fx_inv_project(inv, NULL, "p-id", "us");
	c = fx_ctx(m, inv, NULL, 0);
	ra_check_project_classified(&c, &fs);

	f = FX_EXPECT(&fs, PC, "p-id", "project", RA_PASS);
	assert_string_equal(f->jurisdiction, "eu");
	assert_string_equal(f->detail, "named in inventory");
	assert_true(fx_has_ev(f, "raw/org-projects.json"));
	f = FX_EXPECT(&fs, PC, "p-name", "project", RA_PASS);
	assert_string_equal(f->jurisdiction, "us");
	f = FX_EXPECT(&fs, PC, "p-tag", "project", RA_PASS);
	assert_string_equal(f->jurisdiction, "eu");
	assert_string_equal(f->detail, "tagged residency=eu");
	/* the inventory wins over a conflicting tag, and says so */
	f = FX_EXPECT(&fs, PC, "p-both", "project", RA_PASS);
	assert_string_equal(f->jurisdiction, "eu");
	FX_CONTAINS(f->detail, "tag residency=us is overridden");
	/* a tag value that is not a jurisdiction classifies nothing */
	f = FX_EXPECT(&fs, PC, "p-badtag", "project", RA_FAIL);
	assert_null(f->jurisdiction);
	FX_CONTAINS(f->detail, "residency=mars is not a jurisdiction");
	FX_CONTAINS(f->detail, "eu, us");
	/* untagged and unlisted, with a hostile name kept verbatim */
	f = FX_EXPECT(&fs, PC, "p-none", "project", RA_FAIL);
	assert_null(f->jurisdiction);
	assert_string_equal(f->project_name, HOSTILE);
	FX_CONTAINS(f->detail, "no tag residency");
	/* inventory projects missing from the org */
	f = FX_EXPECT(&fs, PC, "p-gone", "project", RA_ERROR);
	assert_string_equal(f->jurisdiction, "eu");
	assert_null(f->project_name);
	assert_true(fx_has_ev(f, "raw/org-projects.json"));
	for (size_t i = 0, n = 0; i < fs.n; i++) {
		if (fs.v[i].status != RA_ERROR)
			continue;
		n++;
		if (fs.v[i].project_id == NULL) {
			assert_non_null(fs.v[i].project_name);
			assert_non_null(fs.v[i].jurisdiction);
			FX_CONTAINS(fs.v[i].detail, "is not a project of the "
			    "organization");
		}
		if (i + 1 == fs.n)
			assert_int_equal(n, 3);
	}
	/* 6 projects + 3 missing */
	assert_int_equal(fs.n, 9);
}

static void
test_classified_ignore(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_inventory *inv = fx_inv();
	struct ra_project *p;
	struct ra_ctx c;

	(void)state;
	inv->unlisted = RA_UNLISTED_IGNORE;
	fx_project(m, "p-none", "untagged");
	p = fx_project(m, "p-bad", "bad");
	fx_tag(p, "residency", "EU");		/* keys are case-sensitive */
	p = fx_project(m, "p-tag", "tagged");
	fx_tag(p, "residency", "us");
	c = fx_ctx(m, inv, NULL, 0);
	ra_check_project_classified(&c, &fs);
	assert_int_equal(fs.n, 1);
	FX_EXPECT(&fs, PC, "p-tag", "project", RA_PASS);
}

/* A custom tag key. */
static void
test_classified_tag_key(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_inventory *inv = fx_inv();
	struct ra_project *p;
	struct ra_ctx c;
	const struct ra_finding *f;

	(void)state;
	inv->tag_key = fx_str("data-home");
	p = fx_project(m, "p1", "one");
	fx_tag(p, "residency", "eu");		/* the default key: ignored */
	p = fx_project(m, "p2", "two");
	fx_tag(p, "data-home", "us");
	c = fx_ctx(m, inv, NULL, 0);
	ra_check_project_classified(&c, &fs);
	f = FX_EXPECT(&fs, PC, "p1", "project", RA_FAIL);
	FX_CONTAINS(f->detail, "no tag data-home");
	f = FX_EXPECT(&fs, PC, "p2", "project", RA_PASS);
	assert_string_equal(f->detail, "tagged data-home=us");
}

static void
test_classified_listing_unusable(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_inventory *inv = fx_inv();
	struct ra_ctx c;
	const struct ra_finding *f;

	(void)state;
	fx_project(m, "p-id", "by-id");
	fx_inv_project(inv, "p-id", NULL, "eu");
	fx_inv_project(inv, "p-other", NULL, "eu");
	fx_ev(&m->projects_ev, RA_EV_PARTIAL, "page 2 lost",
	    "raw/00002.meta.json");
	c = fx_ctx(m, inv, NULL, 0);
	ra_check_project_classified(&c, &fs);
	assert_int_equal(fs.n, 1);
	f = FX_EXPECT(&fs, PC, NULL, "org", RA_ERROR);
	assert_null(f->jurisdiction);
	FX_CONTAINS(f->detail, "page 2 lost");
	assert_true(fx_has_ev(f, "raw/00002.meta.json"));
}

/* ---- resource-policy ----------------------------------------------- */

#define RPC	"resource-policy"

#define EU_ONLY \
	"forbid (principal, action == ResourcePolicy::Action::\"cluster.modify\", resource)\n" \
	"unless { [ResourcePolicy::Region::\"aws:eu-west-1\", ResourcePolicy::Region::\"aws:eu-west-2\",\n" \
	"          ResourcePolicy::Region::\"aws:eu-central-1\"].containsAll(context.cluster.regions) };"

#define EU_ONLY_EXEMPT \
	"forbid (principal, action == ResourcePolicy::Action::\"cluster.modify\", resource)\n" \
	"unless { [ResourcePolicy::Region::\"aws:eu-west-1\", ResourcePolicy::Region::\"aws:eu-west-2\",\n" \
	"          ResourcePolicy::Region::\"aws:eu-central-1\"].containsAll(context.cluster.regions) }\n" \
	"unless { resource in ResourcePolicy::Project::\"p-exempt\" };"

#define GARBAGE	"forbid (principal, action, resource) when { ??? };"

static struct ra_resource_policy *
add_policy(struct ra_model *m, const char *name, const char *const *bodies,
    size_t n)
{
	struct ra_resource_policy *rp;

	if (m->policies == NULL)
		m->policies = fx_alloc(FX_CAP * sizeof(*m->policies));
	assert(m->npolicies < FX_CAP);
	rp = &m->policies[m->npolicies++];
	rp->id = fx_str(name);
	rp->name = fx_str(name);
	rp->policies = fx_alloc((n + 1) * sizeof(*rp->policies));
	for (size_t i = 0; i < n; i++) {
		char id[32];

		snprintf(id, sizeof(id), "%s-%zu", name, i);
		rp->policies[i].id = fx_str(id);
		rp->policies[i].body = fx_str(bodies[i]);
	}
	rp->npolicies = n;
	return rp;
}

static void
run_rp(struct ra_model *m, struct ra_scope *sc, size_t n)
{
	struct ra_ctx c = fx_ctx(m, fx_inv(), sc, n);

	ra_check_resource_policy(&c, &fs);
}

static void
test_rp_proven_and_exempt(void **state)
{
	struct ra_model *m = fx_model("org-1");
	const char *b1[] = { EU_ONLY_EXEMPT };
	struct ra_scope sc[2];
	const struct ra_finding *f;

	(void)state;
	sc[0] = fx_scope(fx_project(m, "p-ok", "ok"), "eu", RA_PLANE_DATA,
	    EU, NEU);
	sc[1] = fx_scope(fx_project(m, "p-exempt", HOSTILE), "eu",
	    RA_PLANE_DATA, EU, NEU);
	add_policy(m, "eu-only", b1, 1);
	run_rp(m, sc, 2);
	assert_int_equal(fs.n, 2);
	f = FX_EXPECT(&fs, RPC, "p-ok", "project", RA_PASS);
	FX_CONTAINS(f->observed, "eu-only");
	assert_string_equal(f->jurisdiction, "eu");
	FX_CONTAINS(f->expected, "aws:eu-central-1, aws:eu-west-1, "
	    "aws:eu-west-2");
	assert_true(fx_has_ev(f, "raw/resource-policies.json"));
	/* exempted project: FAIL with a witness outside the EU */
	f = FX_EXPECT(&fs, RPC, "p-exempt", "project", RA_FAIL);
	assert_string_equal(f->project_name, HOSTILE);
	assert_true(strncmp(f->observed, "allowed: ", 9) == 0);
	assert_null(strstr(f->observed, ",aws"));	/* ", " separated */
	FX_CONTAINS(f->detail, "outside jurisdiction eu");
}

/* The question is the jurisdiction, not the project's own pin. */
static void
test_rp_jurisdiction_not_pin(void **state)
{
	struct ra_model *m = fx_model("org-1");
	const char *b1[] = { EU_ONLY };
	static const char *const pin[] = { "aws:eu-west-1" };
	struct ra_scope sc;

	(void)state;
	sc = fx_scope(fx_project(m, "p1", "pinned"), "eu", RA_PLANE_DATA,
	    pin, 1);
	sc.jurisdiction_regions = EU;
	sc.njurisdiction_regions = NEU;
	add_policy(m, "eu-only", b1, 1);
	run_rp(m, &sc, 1);
	FX_EXPECT(&fs, RPC, "p1", "project", RA_PASS);
}

static void
test_rp_unparsed(void **state)
{
	struct ra_model *m = fx_model("org-1");
	const char *b1[] = { EU_ONLY };
	const char *b2[] = { GARBAGE };
	struct ra_scope sc;
	const struct ra_finding *f;

	(void)state;
	/* an unparsed body beside a proving one: PASS with a note */
	sc = fx_scope(fx_project(m, "p1", "one"), "eu", RA_PLANE_DATA, EU,
	    NEU);
	add_policy(m, "eu-only", b1, 1);
	add_policy(m, "broken", b2, 1);
	run_rp(m, &sc, 1);
	f = FX_EXPECT(&fs, RPC, "p1", "project", RA_PASS);
	FX_CONTAINS(f->detail, "did not parse");
	FX_CONTAINS(f->detail, "broken");
	teardown(NULL);

	/* alone: ERROR naming it and the witness */
	m = fx_model("org-1");
	sc = fx_scope(fx_project(m, "p1", "one"), "eu", RA_PLANE_DATA, EU,
	    NEU);
	add_policy(m, "broken", b2, 1);
	run_rp(m, &sc, 1);
	f = FX_EXPECT(&fs, RPC, "p1", "project", RA_ERROR);
	FX_CONTAINS(f->detail, "broken");
	FX_CONTAINS(f->observed, "allowed: ");
}

static void
test_rp_none_and_unusable(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_scope sc[2];
	const struct ra_finding *f;

	(void)state;
	sc[0] = fx_scope(fx_project(m, "p1", "one"), "eu", RA_PLANE_DATA, EU,
	    NEU);
	sc[1] = fx_scope(fx_project(m, "p2", "two"), "us", RA_PLANE_DATA, US,
	    NUS);
	run_rp(m, sc, 2);
	FX_EXPECT(&fs, RPC, "p1", "project", RA_FAIL);
	FX_EXPECT(&fs, RPC, "p2", "project", RA_FAIL);
	teardown(NULL);

	m = fx_model("org-1");
	sc[0] = fx_scope(fx_project(m, "p1", "one"), "eu", RA_PLANE_DATA, EU,
	    NEU);
	sc[1] = fx_scope(fx_project(m, "p2", "two"), "us", RA_PLANE_DATA, US,
	    NUS);
	fx_ev(&m->policies_ev, RA_EV_FAILED, "HTTP 403", "raw/00003.json");
	run_rp(m, sc, 2);
	assert_int_equal(fs.n, 2);
	f = FX_EXPECT(&fs, RPC, "p1", "project", RA_ERROR);
	FX_CONTAINS(f->detail, "HTTP 403");
	assert_true(fx_has_ev(f, "raw/00003.json"));
	FX_EXPECT(&fs, RPC, "p2", "project", RA_ERROR);
}

/* ---- non-compliant-resources --------------------------------------- */

#define NC	"non-compliant-resources"

static void
add_nc(struct ra_model *m, const char *id, const char *name,
    const char *type, const char *policy)
{
	struct ra_noncompliant *e;

	if (m->noncompliant == NULL)
		m->noncompliant = fx_alloc(FX_CAP * sizeof(*m->noncompliant));
	assert(m->nnoncompliant < FX_CAP);
	e = &m->noncompliant[m->nnoncompliant++];
	e->resource_id = fx_str(id);
	e->resource_name = fx_str(name);
	e->resource_type = fx_str(type);
	e->org_id = fx_str("org-1");
	if (policy != NULL) {
		e->policy_names = fx_alloc(sizeof(*e->policy_names));
		e->policy_names[0] = fx_str(policy);
		e->npolicy_names = 1;
	}
}

static void
test_nc(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_project *p1, *p2, *p3, *p4;
	struct ra_scope sc[4];
	struct ra_ctx c;
	const struct ra_finding *f;

	(void)state;
	p1 = fx_project(m, "p1", "clean");
	fx_dedicated(p1, "c-clean");
	p2 = fx_project(m, "p2", "bad-cluster");
	fx_dedicated(p2, "data-eu-0")->id = fx_str("cid-1");
	p3 = fx_project(m, "p3", "bad-project");
	p4 = fx_project(m, "p4", "by-name");
	fx_dedicated(p4, HOSTILE)->id = fx_str("cid-4");
	sc[0] = fx_scope(p1, "eu", RA_PLANE_DATA, EU, NEU);
	sc[1] = fx_scope(p2, "eu", RA_PLANE_DATA, EU, NEU);
	sc[2] = fx_scope(p3, "us", RA_PLANE_DATA, US, NUS);
	sc[3] = fx_scope(p4, "eu", RA_PLANE_DATA, EU, NEU);
	add_nc(m, "cid-1", "data-eu-0", "CLUSTER", "eu-only");
	add_nc(m, "p3", "bad-project", "PROJECT", "no-gcp");
	add_nc(m, NULL, HOSTILE, "CLUSTER", "eu-only");
	add_nc(m, "cid-orphan", "ghost|<b>", "DEPRECATED_CLUSTER", "eu-only");
	c = fx_ctx(m, fx_inv(), sc, 4);
	ra_check_non_compliant_resources(&c, &fs);

	f = FX_EXPECT(&fs, NC, "p1", "project", RA_PASS);
	assert_string_equal(f->observed, "none");
	assert_true(fx_has_ev(f, "raw/non-compliant-resources.json"));
	f = FX_EXPECT(&fs, NC, "p2", "project", RA_FAIL);
	FX_CONTAINS(f->observed, "CLUSTER data-eu-0 (id cid-1, policies: "
	    "eu-only)");
	assert_null(strstr(f->observed, "ghost"));
	f = FX_EXPECT(&fs, NC, "p3", "project", RA_FAIL);
	FX_CONTAINS(f->observed, "PROJECT bad-project");
	FX_CONTAINS(f->observed, "no-gcp");
	assert_string_equal(f->jurisdiction, "us");
	/* no id: matched by the cluster name within the project */
	f = FX_EXPECT(&fs, NC, "p4", "project", RA_FAIL);
	FX_CONTAINS(f->observed, HOSTILE " (no id");
	/* the orphan: one org-level FAIL */
	f = FX_EXPECT(&fs, NC, NULL, "org", RA_FAIL);
	assert_null(f->project_name);
	assert_null(f->jurisdiction);
	FX_CONTAINS(f->observed, "1 non-compliant: DEPRECATED_CLUSTER "
	    "ghost|<b> (id cid-orphan");
	assert_int_equal(fs.n, 5);
}

/* An orphan may belong to a project whose cluster listing is broken. */
static void
test_nc_incomplete_listing(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_project *p1, *p2;
	struct ra_scope sc[2];
	struct ra_ctx c;
	const struct ra_finding *f;

	(void)state;
	p1 = fx_project(m, "p1", "ok");
	p2 = fx_project(m, "p2", "broken");
	fx_ev(&p2->flex_ev, RA_EV_FAILED, "HTTP 500", "raw/00009.json");
	sc[0] = fx_scope(p1, "eu", RA_PLANE_DATA, EU, NEU);
	sc[1] = fx_scope(p2, "eu", RA_PLANE_DATA, EU, NEU);
	add_nc(m, "cid-x", "x", "CLUSTER", "eu-only");
	c = fx_ctx(m, fx_inv(), sc, 2);
	ra_check_non_compliant_resources(&c, &fs);
	FX_EXPECT(&fs, NC, "p1", "project", RA_PASS);
	f = FX_EXPECT(&fs, NC, "p2", "project", RA_ERROR);
	assert_true(fx_has_ev(f, "raw/00009.json"));
	FX_EXPECT(&fs, NC, NULL, "org", RA_FAIL);
	teardown(NULL);

	/* without orphans the broken listing does not matter */
	m = fx_model("org-1");
	p2 = fx_project(m, "p2", "broken");
	fx_ev(&p2->clusters_ev, RA_EV_FAILED, "HTTP 500", "raw/00009.json");
	sc[0] = fx_scope(p2, "eu", RA_PLANE_DATA, EU, NEU);
	c = fx_ctx(m, fx_inv(), sc, 1);
	ra_check_non_compliant_resources(&c, &fs);
	FX_EXPECT(&fs, NC, "p2", "project", RA_PASS);
	assert_int_equal(fs.n, 1);
}

static void
test_nc_unusable(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_scope sc[2];
	struct ra_ctx c;
	const struct ra_finding *f;

	(void)state;
	sc[0] = fx_scope(fx_project(m, "p1", "a"), "eu", RA_PLANE_DATA, EU,
	    NEU);
	sc[1] = fx_scope(fx_project(m, "p2", "b"), "us", RA_PLANE_DATA, US,
	    NUS);
	fx_ev(&m->noncompliant_ev, RA_EV_INVALID, "not a JSON array",
	    "raw/00004.json");
	c = fx_ctx(m, fx_inv(), sc, 2);
	ra_check_non_compliant_resources(&c, &fs);
	assert_int_equal(fs.n, 3);
	FX_EXPECT(&fs, NC, "p1", "project", RA_ERROR);
	FX_EXPECT(&fs, NC, "p2", "project", RA_ERROR);
	f = FX_EXPECT(&fs, NC, NULL, "org", RA_ERROR);
	FX_CONTAINS(f->detail, "Non-compliant resources: not a JSON array");
}

/* ---- terraform-policy-drift ---------------------------------------- */

#define TD	"terraform-policy-drift"

static struct ra_tfstate *
tf_new(void)
{
	struct ra_tfstate *tf = fx_alloc(sizeof(*tf));

	tf->v = fx_alloc(FX_CAP * sizeof(*tf->v));
	tf->ref.file = fx_str("raw/terraform.tfstate.json");
	return tf;
}

static void
tf_add(struct ra_tfstate *tf, const char *name, const char *const *bodies,
    size_t n)
{
	struct ra_tf_policy *p = &tf->v[tf->n++];

	p->name = fx_str(name);
	p->bodies = fx_strv(bodies, n);
	p->nbodies = n;
}

static void
test_drift(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_tfstate *tf = tf_new();
	struct ra_ctx c;
	const struct ra_finding *f;
	const char *same[] = { EU_ONLY, "forbid (principal, action, resource);" };
	const char *ws[] = { "forbid (principal, action, resource) ;" };
	const char *ws_live[] = { "forbid (principal, action, resource);" };
	const char *two[] = { "a", "b" };
	const char *one[] = { "a" };

	(void)state;
	add_policy(m, "same", same, 2);
	add_policy(m, "whitespace", ws_live, 1);
	add_policy(m, "count", one, 1);
	add_policy(m, "live-only", one, 1);
	add_policy(m, HOSTILE, one, 1);
	tf_add(tf, "same", same, 2);
	tf_add(tf, "whitespace", ws, 1);
	tf_add(tf, "count", two, 2);
	tf_add(tf, "state-only", one, 1);
	tf_add(tf, HOSTILE, one, 1);
	c = fx_ctx(m, fx_inv(), NULL, 0);
	c.tf = tf;
	ra_check_terraform_policy_drift(&c, &fs);

	f = FX_EXPECT(&fs, TD, NULL, "policy/same", RA_PASS);
	assert_null(f->jurisdiction);
	assert_true(fx_has_ev(f, "raw/resource-policies.json"));
	assert_true(fx_has_ev(f, "raw/terraform.tfstate.json"));
	f = FX_EXPECT(&fs, TD, NULL, "policy/whitespace", RA_FAIL);
	FX_CONTAINS(f->observed, "body 1 differs at offset 36");
	f = FX_EXPECT(&fs, TD, NULL, "policy/count", RA_FAIL);
	FX_CONTAINS(f->observed, "1 live body(ies), 2 in state");
	f = FX_EXPECT(&fs, TD, NULL, "policy/live-only", RA_FAIL);
	FX_CONTAINS(f->detail, "Terraform state lacks");
	f = FX_EXPECT(&fs, TD, NULL, "policy/state-only", RA_FAIL);
	FX_CONTAINS(f->detail, "Atlas lacks");
	FX_EXPECT(&fs, TD, NULL, "policy/" HOSTILE, RA_PASS);
	assert_int_equal(fs.n, 6);
}

/* Bodies are compared in order, not as sets. */
static void
test_drift_order(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_tfstate *tf = tf_new();
	struct ra_ctx c;
	const char *ab[] = { "a", "b" }, *ba[] = { "b", "a" };

	(void)state;
	add_policy(m, "p", ab, 2);
	tf_add(tf, "p", ba, 2);
	c = fx_ctx(m, fx_inv(), NULL, 0);
	c.tf = tf;
	ra_check_terraform_policy_drift(&c, &fs);
	FX_EXPECT(&fs, TD, NULL, "policy/p", RA_FAIL);
}

static void
test_drift_skip_and_error(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_tfstate *tf;
	struct ra_ctx c;
	const struct ra_finding *f;
	const char *one[] = { "a" };

	(void)state;
	add_policy(m, "p", one, 1);
	c = fx_ctx(m, fx_inv(), NULL, 0);
	ra_check_terraform_policy_drift(&c, &fs);
	assert_int_equal(fs.n, 1);
	f = FX_EXPECT(&fs, TD, NULL, "org", RA_SKIPPED);
	assert_string_equal(f->detail, "--terraform-state not given");
	teardown(NULL);

	m = fx_model("org-1");
	fx_ev(&m->policies_ev, RA_EV_FAILED, "HTTP 429 after 5 attempts",
	    "raw/00003.meta.json");
	c = fx_ctx(m, fx_inv(), NULL, 0);
	tf = tf_new();
	tf_add(tf, "p", one, 1);
	c.tf = tf;
	ra_check_terraform_policy_drift(&c, &fs);
	assert_int_equal(fs.n, 1);
	f = FX_EXPECT(&fs, TD, NULL, "org", RA_ERROR);
	FX_CONTAINS(f->detail, "HTTP 429");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_classified, teardown),
		cmocka_unit_test_teardown(test_classified_ignore, teardown),
		cmocka_unit_test_teardown(test_classified_tag_key, teardown),
		cmocka_unit_test_teardown(test_classified_listing_unusable,
		    teardown),
		cmocka_unit_test_teardown(test_rp_proven_and_exempt, teardown),
		cmocka_unit_test_teardown(test_rp_jurisdiction_not_pin,
		    teardown),
		cmocka_unit_test_teardown(test_rp_unparsed, teardown),
		cmocka_unit_test_teardown(test_rp_none_and_unusable, teardown),
		cmocka_unit_test_teardown(test_nc, teardown),
		cmocka_unit_test_teardown(test_nc_incomplete_listing, teardown),
		cmocka_unit_test_teardown(test_nc_unusable, teardown),
		cmocka_unit_test_teardown(test_drift, teardown),
		cmocka_unit_test_teardown(test_drift_order, teardown),
		cmocka_unit_test_teardown(test_drift_skip_and_error, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
