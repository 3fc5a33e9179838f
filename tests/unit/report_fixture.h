/*
 * report_fixture.h: the report input the report tests share (test only;
 * include from one test source): an inventory of org RF_ORG with the
 * jurisdictions "eu" (the regions the test passes) and "us"
 * (aws:us-east-1), digest sha256("{}"), an empty finding list the test
 * fills, a bare model (org id only) unless the test gives one, the real
 * templates and the clock at RF_AS_OF. Strings are writable copies: the
 * inventory's types hold char *. Include after <cmocka.h>.
 */
#ifndef RA_REPORT_FIXTURE_H
#define RA_REPORT_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "util.h"

/* Builders and names a test does not use are not warnings. */
#define RF_STATIC static __attribute__((unused))

#define RF_AS_OF	((time_t)1795910400)	/* 2026-11-29T00:00:00Z */
#define RF_ORG		"65def6ce0f722a1507105aa5"
#define RF_TEMPLATES	RA_SOURCE_DIR "/templates"

RF_STATIC char rf_euw1[] = "aws:eu-west-1";
RF_STATIC char rf_euc1[] = "aws:eu-central-1";
RF_STATIC char rf_use1[] = "aws:us-east-1";
RF_STATIC char *rf_us_regions[] = { rf_use1 };
RF_STATIC char rf_k_eu[] = "eu";
RF_STATIC char rf_k_us[] = "us";
RF_STATIC char rf_org[] = RF_ORG;

struct report_fixture {
	struct ra_inventory	 inv;
	struct ra_jurisdiction	 j[2];		/* eu, us */
	struct ra_model		 model;		/* bare: org_id only */
	struct ra_model		*built;		/* the test's model, or NULL */
	struct ra_findings	 fs;
	struct ra_report_input	 in;
	char			 dir[64];	/* a fresh directory, or "" */
};

/*
 * Fills fx. eu/neu: the regions of "eu" (the test's order is kept).
 * built: a model from ra_calloc that in.model points to instead of the
 * bare one; the fixture owns it (ra_model_free). dirtmpl: a mkdtemp
 * template ("/tmp/ra-test-x.XXXXXX") for fx->dir, or NULL for none.
 */
RF_STATIC void
report_fixture_init(struct report_fixture *fx, char **eu, size_t neu,
    struct ra_model *built, const char *dirtmpl)
{
	memset(fx, 0, sizeof(*fx));
	fx->j[0].key = rf_k_eu;
	fx->j[0].regions = eu;
	fx->j[0].nregions = neu;
	fx->j[1].key = rf_k_us;
	fx->j[1].regions = rf_us_regions;
	fx->j[1].nregions = 1;
	fx->inv.org_id = rf_org;
	fx->inv.jurisdictions = fx->j;
	fx->inv.njurisdictions = 2;
	ra_sha256_hex("{}", 2, fx->inv.digest);
	fx->model.org_id = rf_org;
	fx->built = built;
	fx->in.model = built != NULL ? built : &fx->model;
	fx->in.inv = &fx->inv;
	fx->in.findings = &fx->fs;
	fx->in.as_of = RF_AS_OF;
	fx->in.template_dir = RF_TEMPLATES;
	if (dirtmpl != NULL) {
		snprintf(fx->dir, sizeof(fx->dir), "%s", dirtmpl);
		assert_non_null(mkdtemp(fx->dir));
	}
}

/* Frees the findings and the built model, removes fx->dir. */
RF_STATIC void
report_fixture_free(struct report_fixture *fx)
{
	ra_findings_free(&fx->fs);
	ra_model_free(fx->built);
	fx->built = NULL;
	if (fx->dir[0] != '\0')
		ra_rm_rf(fx->dir);
}

#endif
