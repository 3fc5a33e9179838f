/*
 * test_cedar.c: the Cedar parser and the exact residency decision.
 * Table-driven: real bodies (FACTS.md §6, the ADR §6 sample) and
 * adversarial ones. For every NOT_PROVEN / UNKNOWN the witness is checked
 * independently of the search: it is sorted, made of catalogue regions,
 * holds a region outside J, and re-evaluating every parsed body on it
 * forbids nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "cedar.h"
#include "cedar_int.h"
#include "regions.h"
#include "util.h"

#define P_ID	"65f0aaaa0000000000000001"	/* the audited project */
#define Q_ID	"65f0bbbb0000000000000002"	/* another project */

#define ACT_MOD	"ResourcePolicy::Action::\"cluster.modify\""
#define R(x)	"ResourcePolicy::Region::\"" x "\""
#define CP(x)	"ResourcePolicy::CloudProvider::\"" x "\""
#define PRJ(x)	"ResourcePolicy::Project::\"" x "\""

/* Real bodies (FACTS.md §6, from the Atlas docs and TF fixtures). */
#define FACTS_ALLOW_LISTED \
	"forbid(principal, action == " ACT_MOD ", resource) unless { [" \
	R("aws:us-east-1") ", " R("azure:westeurope") \
	"].containsAll(context.cluster.regions) };"
#define FACTS_BLOCK_GCP \
	"forbid (principal, action == " ACT_MOD ", resource) when { " \
	"context.cluster.cloudProviders.contains(" CP("gcp") ") };"
#define FACTS_PROJECT_RULE \
	"forbid (principal, action == " ACT_MOD ", resource) when { " \
	"resource in " PRJ("6217f7fff7957854e2d09179") " && " \
	"context.cluster.cloudProviders == [" CP("gcp") "] };"
#define FACTS_SEARCH_EXEMPT \
	"forbid (principal, action == ResourcePolicy::Action::" \
	"\"search.index.modify\", resource) when { " \
	"context.search.index.isAutoEmbed } unless { resource in " \
	PRJ("p1") " || resource in " PRJ("p2") " };"
#define TF_FORBID_AWS \
	"forbid (\n\tprincipal,\n\taction == cloud::Action::" \
	"\"cluster.createEdit\",\n\tresource\n) when {\n\t" \
	"context.cluster.cloudProviders.containsAny(" \
	"[cloud::cloudProvider::\"aws\"])\n};"

/* ADR §6 sample (EU-only, org level), as laid out there. */
#define ADR_SAMPLE \
	"forbid (\nprincipal,\naction in [\n" \
	"ResourcePolicy::Action::\"cluster.create\",\n" \
	"ResourcePolicy::Action::\"cluster.modify\"\n],\nresource\n)\n" \
	"unless {\n[\n" R("aws:eu-west-1") ",\n" R("aws:eu-west-2") ",\n" \
	R("aws:eu-central-1") "\n].containsAll(context.cluster.regions)\n};"

#define EU2_ONLY \
	"forbid (principal, action == " ACT_MOD ", resource) unless { [" \
	R("aws:eu-west-1") ", " R("aws:eu-central-1") \
	"].containsAll(context.cluster.regions) };"

static const char *const J_EU2[] = { "aws:eu-west-1", "aws:eu-central-1" };
static const char *const J_ADR[] = { "aws:eu-west-1", "aws:eu-west-2",
	"aws:eu-central-1" };
static const char *const J_FACTS[] = { "aws:us-east-1", "azure:westeurope" };
static const char *const J_AWS_EU[] = { "aws:eu-central-1",
	"aws:eu-north-1", "aws:eu-south-1", "aws:eu-south-2", "aws:eu-west-1",
	"aws:eu-west-3" };

#define J(x)	x, sizeof(x) / sizeof(x[0])
#define MAXB	4

struct residency_case {
	const char		*name;
	const char		*bodies[MAXB];
	const char		*project;
	const char *const	*j;
	size_t			 nj;
	enum ra_cedar_verdict	 verdict;
	const char		*witness;	/* exact, when not NULL */
	int			 witness_len;	/* regions, when > 0 */
	const char		*witness_has;	/* region it must hold */
	size_t			 nunparsed;
	size_t			 nproving;	/* PROVEN: exact */
	const char		*witness_cluster; /* the escape needs it */
};

static const struct residency_case cases[] = {
	/* FACTS §6 bodies. */
	{ "facts allow-listed, J = its list", { FACTS_ALLOW_LISTED }, P_ID,
	  J(J_FACTS), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "facts allow-listed, J = EU", { FACTS_ALLOW_LISTED }, P_ID,
	  J(J_EU2), RA_CEDAR_NOT_PROVEN, "aws:us-east-1", 1, NULL, 0, 0, NULL },
	{ "facts block gcp", { FACTS_BLOCK_GCP }, P_ID, J(J_EU2),
	  RA_CEDAR_NOT_PROVEN, "aws:af-south-1", 1, NULL, 0, 0, NULL },
	{ "facts project rule, that project", { FACTS_PROJECT_RULE },
	  "6217f7fff7957854e2d09179", J(J_EU2), RA_CEDAR_NOT_PROVEN,
	  "aws:af-south-1", 1, NULL, 0, 0, NULL },
	{ "facts search exemption is irrelevant", { FACTS_SEARCH_EXEMPT },
	  "p1", J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0, NULL },
	/* ADR §6 sample. */
	{ "adr sample, J = its list", { ADR_SAMPLE }, P_ID, J(J_ADR),
	  RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "adr sample lets London in", { ADR_SAMPLE }, P_ID, J(J_EU2),
	  RA_CEDAR_NOT_PROVEN, "aws:eu-west-2", 1, NULL, 0, 0, NULL },
	{ "eu2 only", { EU2_ONLY }, P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL,
	  0, NULL, 0, 1, NULL },
	/* Exemptions and scoping. */
	{ "exemption of exactly this project",
	  { "forbid (principal, action == " ACT_MOD ", resource) unless { ["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions) || resource in "
	    PRJ(P_ID) " };" }, P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN,
	  "aws:af-south-1", 1, NULL, 0, 0, NULL },
	{ "exemption of another project",
	  { "forbid (principal, action == " ACT_MOD ", resource) unless { ["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions) || resource in "
	    PRJ(Q_ID) " };" }, P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0,
	  NULL, 0, 1, NULL },
	{ "rule scoped to another project",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "resource in " PRJ(Q_ID) " } unless { [" R("aws:eu-west-1") ", "
	    R("aws:eu-central-1") "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, "aws:af-south-1", 1, NULL, 0,
	  0, NULL },
	{ "scope resource in this project",
	  { "forbid (principal, action == " ACT_MOD ", resource in "
	    PRJ(P_ID) ") unless { [" R("aws:eu-west-1") ", "
	    R("aws:eu-central-1") "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "scope resource in another project",
	  { "forbid (principal, action == " ACT_MOD ", resource in "
	    PRJ(Q_ID) ") unless { [" R("aws:eu-west-1") ", "
	    R("aws:eu-central-1") "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0, NULL },
	{ "scope to one cluster never proves",
	  { "forbid (principal, action == " ACT_MOD ", resource == "
	    "ResourcePolicy::Cluster::\"c1\") unless { [" R("aws:eu-west-1")
	    ", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0, NULL },
	{ "unless one cluster: that cluster escapes",
	  { "forbid (principal, action == " ACT_MOD ", resource) unless { ["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions) || resource == "
	    "ResourcePolicy::Cluster::\"legacy\" };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0,
	  "legacy" },
	{ "TF docs: project and list together",
	  { "forbid (principal, action == " ACT_MOD ", resource) unless { "
	    "resource in " PRJ(P_ID) " && [" R("aws:eu-west-1") ", "
	    R("aws:eu-central-1") "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	/* Provider-only policies. */
	{ "forbid aws vs a jurisdiction of aws regions", { TF_FORBID_AWS },
	  P_ID, J(J_AWS_EU), RA_CEDAR_NOT_PROVEN, "azure:australiacentral",
	  1, NULL, 0, 0, NULL },
	{ "forbid every provider",
	  { TF_FORBID_AWS, FACTS_BLOCK_GCP,
	    "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.cloudProviders.contains(" CP("azure") ") };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 3, NULL },
	{ "provider set equality is a singleton trick",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.cloudProviders == [" CP("azure") ", "
	    CP("gcp") "] || context.cluster.cloudProviders == [" CP("azure")
	    "] || context.cluster.cloudProviders == [" CP("gcp") "] };",
	    "forbid (principal, action == " ACT_MOD ", resource) unless { ["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions) || context.cluster."
	    "cloudProviders.containsAny([" CP("azure") ", " CP("gcp")
	    "]) };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN,
	  "aws:af-south-1,azure:australiacentral", 2, NULL, 0, 0, NULL },
	/* Too broad. */
	{ "allowed list includes a US region",
	  { "forbid (principal, action == " ACT_MOD ", resource) unless { ["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1") ", "
	    R("aws:us-east-1") "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, "aws:us-east-1", 1, NULL, 0,
	  0, NULL },
	{ "@eu jurisdiction vs the ADR list", { ADR_SAMPLE }, P_ID, NULL, 0,
	  RA_CEDAR_NOT_PROVEN, "aws:eu-west-2", 1, NULL, 0, 0, NULL },
	/* Singleton equality: single-region US is forbidden, mixed is not. */
	{ "singleton equality lets a mixed set through",
	  { "forbid (principal, action == " ACT_MOD ", resource) unless { ["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1") ", "
	    R("aws:us-east-1") "].containsAll(context.cluster.regions) };",
	    "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.regions == [" R("aws:us-east-1") "] };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN,
	  "aws:eu-central-1,aws:us-east-1", 2, "aws:us-east-1", 0, 0, NULL },
	{ "containsAny of some US regions",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.regions.containsAny([" R("aws:us-east-1") ", "
	    R("aws:us-west-2") "]) };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, "aws:af-south-1", 1, NULL, 0,
	  0, NULL },
	{ "negated containsAll proves",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { !(["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions)) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "every region listed but one",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.regions.contains(" R("aws:us-east-1") ") || "
	    "context.cluster.cloudProviders.containsAny([" CP("azure") ", "
	    CP("gcp") "]) };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, "aws:af-south-1", 1, NULL, 0,
	  0, NULL },
	/* Legacy dialect. */
	{ "legacy dialect proves",
	  { "forbid (principal, action == cloud::Action::\"cluster.createEdit"
	    "\", resource) unless { [cloud::region::\"aws:eu-west-1\", "
	    "cloud::region::\"aws:eu-central-1\"].containsAll("
	    "context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "legacy project exemption",
	  { "forbid (principal, action == cloud::Action::\"cluster.createEdit"
	    "\", resource) unless { [cloud::region::\"aws:eu-west-1\", "
	    "cloud::region::\"aws:eu-central-1\"].containsAll("
	    "context.cluster.regions) || resource in cloud::project::\""
	    P_ID "\" };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0, NULL },
	/* Comments and odd whitespace. */
	{ "comments, tabs, CRLF",
	  { "// EU only\r\nforbid\t(  principal ,// who\r\n action\n==\n"
	    "ResourcePolicy :: Action :: \"cluster.modify\" , resource\n)\n"
	    "\tunless{[ResourcePolicy::Region::\"aws:eu-west-1\"//x\n,"
	    "ResourcePolicy::Region::\"aws:eu-central-1\",]\n. containsAll ("
	    "context . cluster . regions ) } ; // end" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "annotations and escapes",
	  { "@id(\"eu\\u{2d}only\") forbid (principal, action == " ACT_MOD
	    ", resource) unless { [ResourcePolicy::Region::\"aws:eu\\u{2D}"
	    "west-1\", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	/* Several policies that only together prove it. */
	{ "together: aws list + other providers",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.cloudProviders.contains(" CP("aws") ") && !(["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1") ", "
	    R("azure:westeurope") "].containsAll(context.cluster.regions)) };",
	    "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.cloudProviders.containsAny([" CP("azure") ", "
	    CP("gcp") "]) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 2, NULL },
	{ "together, first alone",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.cloudProviders.contains(" CP("aws") ") && !(["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1") ", "
	    R("azure:westeurope") "].containsAll(context.cluster.regions)) };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, "azure:australiacentral", 1,
	  NULL, 0, 0, NULL },
	{ "several statements in one body",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.cloudProviders.containsAny([" CP("azure") ", "
	    CP("gcp") "]) };\n" EU2_ONLY },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	/* Actions. */
	{ "action in [cluster.create] alone is a cluster change",
	  { "forbid (principal, action in [ResourcePolicy::Action::"
	    "\"cluster.create\"], resource) unless { [" R("aws:eu-west-1")
	    ", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "other actions are ignored",
	  { "forbid (principal, action == ResourcePolicy::Action::"
	    "\"project.ipAccessList.modify\", resource);",
	    "forbid (principal, action in [ResourcePolicy::Action::"
	    "\"search.deployment.modify\", ResourcePolicy::Action::"
	    "\"project.vpcPeering.modify\"], resource);" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, "aws:af-south-1", 1, NULL, 0,
	  0, NULL },
	{ "unconstrained action forbids everything",
	  { "forbid (principal, action, resource);" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "action test in the condition",
	  { "forbid (principal, action, resource) when { action == "
	    ACT_MOD " } unless { [" R("aws:eu-west-1") ", "
	    R("aws:eu-central-1") "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "principal constraint leaves other principals",
	  { "forbid (principal == ResourcePolicy::User::\"u1\", action, "
	    "resource);" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0, NULL },
	{ "permit never forbids",
	  { "permit (principal, action, resource);" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0, NULL },
	/* Unparsed and undecided. */
	{ "garbage plus a proving body",
	  { "forbid (principal, action, resource) when { ???", EU2_ONLY },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 1, 1, NULL },
	{ "garbage alone",
	  { "this is not cedar" },
	  P_ID, J(J_EU2), RA_CEDAR_UNKNOWN, "aws:af-south-1", 1, NULL, 1, 0, NULL },
	{ "unknown attribute is undecided",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.tier == \"M10\" };" },
	  P_ID, J(J_EU2), RA_CEDAR_UNKNOWN, NULL, 1, NULL, 1, 0, NULL },
	{ "has on a known path",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context has cluster && context.cluster has regions } unless { ["
	    R("aws:eu-west-1") ", " R("aws:eu-central-1")
	    "].containsAll(context.cluster.regions) };" },
	  P_ID, J(J_EU2), RA_CEDAR_PROVEN, NULL, 0, NULL, 0, 1, NULL },
	{ "undecided left of || is not a proof",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.foo || true };" },
	  P_ID, J(J_EU2), RA_CEDAR_UNKNOWN, NULL, 1, NULL, 1, 0, NULL },
	{ "false && undecided is decided",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "false && context.foo };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0, NULL },
	{ "type error does not forbid",
	  { "forbid (principal, action == " ACT_MOD ", resource) when { "
	    "context.cluster.regions && true };" },
	  P_ID, J(J_EU2), RA_CEDAR_NOT_PROVEN, NULL, 1, NULL, 0, 0, NULL },
	{ "no policies at all", { NULL }, P_ID, J(J_EU2),
	  RA_CEDAR_NOT_PROVEN, "aws:af-south-1", 1, NULL, 0, 0, NULL },
};

static size_t
nbodies(const struct residency_case *c)
{
	size_t n = 0;

	while (n < MAXB && c->bodies[n] != NULL)
		n++;
	return n;
}

static int
in_j(const char *const *j, size_t nj, const char *id)
{
	size_t i;

	for (i = 0; i < nj; i++)
		if (strcmp(j[i], id) == 0)
			return 1;
	return 0;
}

/* The witness really is allowed and really leaves J. */
static void
check_witness(const struct residency_case *c, const char *const *j,
    size_t nj, const char *witness)
{
	char *copy = ra_strdup(witness), *save = NULL, *tok;
	const char *ids[256];
	size_t n = 0, b;
	int outside = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		assert_true(n < 256);
		if (ra_region_by_cedar(tok) == NULL)
			fail_msg("%s: witness region %s unknown", c->name, tok);
		if (n > 0 && strcmp(ids[n - 1], tok) >= 0)
			fail_msg("%s: witness not sorted: %s", c->name,
			    witness);
		if (!in_j(j, nj, tok))
			outside = 1;
		ids[n++] = tok;
	}
	if (n == 0 || !outside)
		fail_msg("%s: witness %s has no region outside J", c->name,
		    witness);
	if (c->witness_len > 0 && (int)n != c->witness_len)
		fail_msg("%s: witness %s: %zu regions, want %d", c->name,
		    witness, n, c->witness_len);
	if (c->witness_has != NULL && !in_j(ids, n, c->witness_has))
		fail_msg("%s: witness %s lacks %s", c->name, witness,
		    c->witness_has);
	for (b = 0; b < nbodies(c); b++) {
		int forb = 0, und = 0;
		char err[200];

		if (ra_cedar_eval_request(c->bodies[b], c->project,
		    c->witness_cluster, ids, n,
		    &forb, &und, err, sizeof(err)) != 0)
			continue;	/* unparsed: not evaluated */
		if (forb)
			fail_msg("%s: witness %s is forbidden by body %zu",
			    c->name, witness, b);
	}
	free(copy);
}

static void
test_residency_table(void **state)
{
	size_t i, b;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct residency_case *c = &cases[i];
		struct ra_cedar_policy_src src[MAXB];
		struct ra_cedar_result r;
		const char **eu = NULL;
		const char *const *j = c->j;
		size_t nj = c->nj, nb = nbodies(c);
		char ids[MAXB][24];	/* "pol" + any size_t + NUL */

		if (j == NULL) {
			assert_int_equal(ra_region_preset("@eu", &eu, &nj), 0);
			j = eu;
		}
		for (b = 0; b < nb; b++) {
			snprintf(ids[b], sizeof(ids[b]), "pol%zu", b);
			src[b].policy_name = "rp";
			src[b].policy_id = ids[b];
			src[b].body = c->bodies[b];
		}
		assert_int_equal(ra_cedar_check_residency(src, nb, c->project,
		    j, nj, &r), 0);
		if (r.verdict != c->verdict)
			fail_msg("%s: verdict %d, want %d (witness %s, %s)",
			    c->name, r.verdict, c->verdict,
			    r.witness ? r.witness : "-",
			    r.nunparsed ? r.unparsed[0] : "-");
		assert_int_equal(r.nunparsed, c->nunparsed);
		for (b = 0; b < r.nunparsed; b++)
			assert_non_null(strstr(r.unparsed[b], "line "));
		if (c->verdict == RA_CEDAR_PROVEN) {
			assert_null(r.witness);
			if (r.nproving != c->nproving)
				fail_msg("%s: %zu proving, want %zu", c->name,
				    r.nproving, c->nproving);
			for (b = 0; b < r.nproving; b++)
				assert_non_null(strstr(r.proving[b], "rp/pol"));
		} else {
			assert_non_null(r.witness);
			assert_int_equal(r.nproving, 0);
			if (c->witness != NULL &&
			    strcmp(c->witness, r.witness) != 0)
				fail_msg("%s: witness %s, want %s", c->name,
				    r.witness, c->witness);
			check_witness(c, j, nj, r.witness);
		}
		ra_cedar_result_free(&r);
		assert_null(r.witness);
		free(eu);
	}
}

struct parse_case {
	const char	*body;
	int		 ok;
	const char	*err;	/* substring of the message */
};

static const struct parse_case parses[] = {
	{ FACTS_ALLOW_LISTED, 1, NULL },
	{ FACTS_BLOCK_GCP, 1, NULL },
	{ FACTS_PROJECT_RULE, 1, NULL },
	{ FACTS_SEARCH_EXEMPT, 1, NULL },
	{ TF_FORBID_AWS, 1, NULL },
	{ ADR_SAMPLE, 1, NULL },
	{ "forbid (principal, action, resource) when { \"a\\\"b\\n\" == "
	  "\"x\" && 12 == 12 && [] == [] && context[\"cluster\"] has regions "
	  "&& ResourcePolicy::Region::\"aws:eu-west-1\" in "
	  "context.cluster.regions && action != " ACT_MOD " };", 1, NULL },
	{ "", 0, "line 1 col 1: no policy" },
	{ "   // only a comment\n", 0, "line 2 col 1: no policy" },
	{ "forbid (principal, action, resource)", 0,
	  "line 1 col 37: expected ';'" },
	{ "forbid (principal,\n  action ==, resource);", 0,
	  "line 2 col 12: expected an action" },
	{ "forbid (principal, action, resource) when { \"abc };", 0,
	  "line 1 col 45: unterminated string" },
	{ "forbid (principal, action, resource) when { \"\\q\" };", 0,
	  "unknown escape" },
	{ "forbid (principal, action, resource) when { \"\\u{0}\" };", 0,
	  "bad \\u escape value" },
	{ "forbid (principal, action, resource) when { \"\\u{110000}\" };", 0,
	  "bad \\u escape value" },
	{ "forbid (principal, action, resource) when { x };", 0,
	  "unsupported identifier 'x'" },
	{ "forbid (principal, action, resource) when { context.a.lessThan(1)"
	  " };", 0, "unsupported method 'lessThan'" },
	{ "forbid (principal, action, resource) when { context.a like \"*\" "
	  "};", 0, "unsupported operator 'like'" },
	{ "forbid (principal, action, resource) when { if true then true "
	  "else false };", 0, "if-then-else" },
	{ "forbid (principal, action, resource) when { true } foo;", 0,
	  "expected ';' or a when/unless clause" },
	{ "forbid (principal, action, resource); forbid (", 0,
	  "line 1 col 47: expected 'principal'" },
	{ "allow (principal, action, resource);", 0,
	  "expected 'forbid' or 'permit'" },
	{ "forbid (principal, action in [" ACT_MOD " " ACT_MOD "], resource);",
	  0, "expected ',' or ']'" },
	{ "forbid (principal, action, resource) when { 1 = 1 };", 0,
	  "unexpected character '='" },
	{ "forbid (principal, action, resource) when { 1 == 1 }; \x01", 0,
	  "unexpected character '?'" },
	{ "forbid (principal, action, resource) when { context.x("
	  "1) };", 0, "unsupported method 'x'" },
	{ "forbid (principal, action, resource) when { 1234567890123456789 "
	  "};", 0, "integer too long" },
};

static void
test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parses) / sizeof(parses[0]); i++) {
		char err[200];
		int rc = ra_cedar_parse_check(parses[i].body, err,
		    sizeof(err));

		if (parses[i].ok && rc != 0)
			fail_msg("parse case %zu: unexpected error %s", i, err);
		if (!parses[i].ok) {
			if (rc == 0)
				fail_msg("parse case %zu: parsed", i);
			if (strstr(err, parses[i].err) == NULL)
				fail_msg("parse case %zu: '%s' lacks '%s'", i,
				    err, parses[i].err);
		}
	}
	assert_int_equal(ra_cedar_parse_check(NULL, NULL, 0), -1);
}

static char *
repeat(const char *pre, const char *unit, size_t n, const char *post)
{
	struct ra_buf b;
	size_t i;

	ra_buf_init(&b, 0);
	ra_buf_adds(&b, pre);
	for (i = 0; i < n; i++)
		ra_buf_adds(&b, unit);
	ra_buf_adds(&b, post);
	return ra_buf_steal(&b);
}

/* Hostile nesting is a parse error, never a crash; long flat chains
   (n-ary && / ||, long set literals) are fine. */
static void
test_hostile(void **state)
{
	static const struct { const char *unit, *close; size_t n; int ok; }
	    deep[] = {
		{ "(", ")", 20, 1 },
		{ "(", ")", 70, 0 },
		{ "(", ")", 100000, 0 },
		{ "!", "", 30, 1 },
		{ "!", "", 100000, 0 },
		{ "[", "]", 100000, 0 },
		{ "context.cluster.regions.contains(", ")", 100000, 0 },
	};
	size_t i;
	char err[200];

	(void)state;
	for (i = 0; i < sizeof(deep) / sizeof(deep[0]); i++) {
		char *open = repeat("forbid (principal, action, resource) "
		    "when { ", deep[i].unit, deep[i].n, "true");
		char *body = repeat(open, deep[i].close, deep[i].n, " };");
		int rc = ra_cedar_parse_check(body, err, sizeof(err));

		if (deep[i].ok)
			assert_int_equal(rc, 0);
		else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err, "nesting deeper than 64"));
		}
		free(open);
		free(body);
	}
	{
		char *attrs = repeat("forbid (principal, action, resource) "
		    "when { context", ".a", 100000, " };");

		assert_int_equal(ra_cedar_parse_check(attrs, err,
		    sizeof(err)), -1);
		assert_non_null(strstr(err, "nesting"));
		free(attrs);
	}
	{
		/* A flat chain of 20000 conjuncts parses and evaluates. */
		char *chain = repeat("forbid (principal, action, resource) "
		    "when { true", " && context.cluster.regions.contains("
		    R("aws:us-east-1") ")", 20000, " };");
		const char *reg[] = { "aws:us-east-1" };
		int forb = -1, und = -1;

		assert_int_equal(ra_cedar_eval_request(chain, P_ID, NULL, reg, 1,
		    &forb, &und, err, sizeof(err)), 0);
		assert_int_equal(forb, 1);
		assert_int_equal(und, 0);
		free(chain);
	}
}

/* Too many separately mentioned regions: UNKNOWN, said so, not a hang. */
static void
test_too_many_classes(void **state)
{
	struct ra_buf b;
	struct ra_cedar_policy_src src;
	struct ra_cedar_result r;
	size_t i, k = 0;
	char *body;

	(void)state;
	ra_buf_init(&b, 0);
	ra_buf_adds(&b, "forbid (principal, action, resource) when { false");
	for (i = 0; i < ra_nregions && k < 24; i++)
		if (ra_regions[i].cedar != NULL &&
		    strcmp(ra_regions[i].provider, "azure") == 0) {
			ra_buf_printf(&b, " || context.cluster.regions.contains("
			    "ResourcePolicy::Region::\"%s\")",
			    ra_regions[i].cedar);
			k++;
		}
	ra_buf_adds(&b, " };");
	body = ra_buf_steal(&b);
	src.policy_name = "many";
	src.policy_id = "p";
	src.body = body;
	assert_int_equal(ra_cedar_check_residency(&src, 1, P_ID, J(J_EU2),
	    &r), 0);
	assert_int_equal(r.verdict, RA_CEDAR_UNKNOWN);
	assert_int_equal(r.nunparsed, 1);
	assert_non_null(strstr(r.unparsed[0], "too many distinct region"));
	ra_cedar_result_free(&r);
	free(body);
}

/* The internal evaluator on its own: concrete requests. */
static void
test_eval_request(void **state)
{
	const char *mixed[] = { "aws:eu-west-1", "aws:us-east-1" };
	const char *us[] = { "aws:us-east-1" };
	const char *eu[] = { "aws:eu-west-1" };
	const char *body = "forbid (principal, action == " ACT_MOD
	    ", resource) when { context.cluster.regions == ["
	    R("aws:us-east-1") "] };";
	int forb, und;
	char err[200];

	(void)state;
	assert_int_equal(ra_cedar_eval_request(body, P_ID, NULL, us, 1, &forb,
	    &und, err, sizeof(err)), 0);
	assert_int_equal(forb, 1);
	assert_int_equal(ra_cedar_eval_request(body, P_ID, NULL, mixed, 2, &forb,
	    &und, err, sizeof(err)), 0);
	assert_int_equal(forb, 0);
	assert_int_equal(ra_cedar_eval_request(FACTS_PROJECT_RULE,
	    "6217f7fff7957854e2d09179", NULL, (const char *[]){ "gcp:us-east1" },
	    1, &forb, &und, err, sizeof(err)), 0);
	assert_int_equal(forb, 1);
	assert_int_equal(ra_cedar_eval_request(FACTS_PROJECT_RULE, P_ID, NULL,
	    (const char *[]){ "gcp:us-east1" }, 1, &forb, &und, err,
	    sizeof(err)), 0);
	assert_int_equal(forb, 0);
	assert_int_equal(ra_cedar_eval_request(TF_FORBID_AWS, P_ID, NULL, eu, 1,
	    &forb, &und, err, sizeof(err)), 0);
	assert_int_equal(forb, 1);
	assert_int_equal(ra_cedar_eval_request("forbid (", P_ID, NULL, eu, 1,
	    &forb, &und, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 1 col 9"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_residency_table),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_eval_request),
		cmocka_unit_test(test_too_many_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
