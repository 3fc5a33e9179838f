/*
 * test_inventory.c: the inventory parser (CONTRACT §2) and the project
 * scopes built from it. Table-driven: each malformed inventory must fail
 * with a message naming its JSON path; valid ones must parse with presets
 * expanded and defaults applied.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "inventory.h"
#include "model_fixture.h"
#include "regions.h"

#define ORG	"65def6ce0f722a1507105aa5"

/* CONTRACT §2's example, with the optional sections of §5. */
static const char contract_example[] =
"{\n"
"  \"orgId\": \"65def6ce0f722a1507105aa5\",\n"
"  \"unlisted\": \"fail\",\n"
"  \"tagKey\": \"residency\",\n"
"  \"jurisdictions\": {\n"
"    \"eu\": { \"regions\": [\"aws:eu-west-1\", \"aws:eu-west-2\", \"aws:eu-central-1\"] },\n"
"    \"us\": { \"regions\": [\"@us\"] }\n"
"  },\n"
"  \"projects\": [\n"
"    { \"id\": \"6a793feb2c88faeba59bd8f6\", \"jurisdiction\": \"eu\", \"plane\": \"control\",\n"
"      \"regions\": [\"aws:eu-west-1\", \"aws:eu-central-1\"] },\n"
"    { \"name\": \"sv0-data-plane-us-prod\", \"jurisdiction\": \"us\", \"plane\": \"data\",\n"
"      \"regions\": [\"aws:us-east-1\"] }\n"
"  ],\n"
"  \"deployments\": [\n"
"    { \"name\": \"api-eu\", \"jurisdiction\": \"eu\", \"envFile\": \"deploy/eu/api.env\",\n"
"      \"variable\": \"GRAFANA_LOKI_URL\" } ],\n"
"  \"logEndpoints\": { \"eu\": [\"logs-prod-eu-west-0.grafana.net\"],\n"
"                    \"us\": [\"logs-prod-us-central1.grafana.net\"] },\n"
"  \"controlPlane\": { \"uriEnv\": \"MONGO_URI_CONTROL\", \"database\": \"control_plane\" },\n"
"  \"dataPlanes\": [\n"
"    { \"name\": \"eu\", \"jurisdiction\": \"eu\",\n"
"      \"uriEnv\": \"MONGO_URI_EU_DATA\", \"database\": \"tenant_data\",\n"
"      \"project\": \"sv0-data-plane-eu-prod\", \"cluster\": \"data-eu-0\",\n"
"      \"keyPrefix\": \"sv0_prod_eu_\", \"legacyKeys\": true } ]\n"
"}\n";

static struct ra_inventory *
parse_ok(const char *text)
{
	struct ra_inventory *inv = NULL;
	char err[512];

	if (ra_inventory_parse(&inv, text, strlen(text), "inv.json", "/tmp",
	    err, sizeof(err)) != 0)
		fail_msg("unexpected error: %s", err);
	return inv;
}

static void
test_contract_example(void **state)
{
	struct ra_inventory *inv = parse_ok(contract_example);
	const struct ra_jurisdiction *eu, *us;
	char digest[RA_SHA256_HEX];

	(void)state;
	assert_string_equal(inv->org_id, ORG);
	assert_int_equal(inv->unlisted, RA_UNLISTED_FAIL);
	assert_string_equal(inv->tag_key, "residency");
	assert_int_equal(inv->njurisdictions, 2);
	assert_string_equal(inv->jurisdictions[0].key, "eu");
	assert_string_equal(inv->jurisdictions[1].key, "us");
	eu = ra_inventory_jurisdiction(inv, "eu");
	assert_non_null(eu);
	assert_int_equal(eu->nregions, 3);
	/* sorted */
	assert_string_equal(eu->regions[0], "aws:eu-central-1");
	assert_string_equal(eu->regions[1], "aws:eu-west-1");
	assert_string_equal(eu->regions[2], "aws:eu-west-2");
	us = ra_inventory_jurisdiction(inv, "us");
	assert_true(us->nregions > 10);
	assert_null(ra_inventory_jurisdiction(inv, "asia"));

	assert_int_equal(inv->nprojects, 2);
	assert_string_equal(inv->projects[0].id, "6a793feb2c88faeba59bd8f6");
	assert_null(inv->projects[0].name);
	assert_int_equal(inv->projects[0].plane, RA_PLANE_CONTROL);
	assert_int_equal(inv->projects[0].own_regions, 1);
	assert_int_equal(inv->projects[0].nregions, 2);
	assert_string_equal(inv->projects[0].regions[0], "aws:eu-central-1");
	assert_string_equal(inv->projects[1].name, "sv0-data-plane-us-prod");
	assert_int_equal(inv->projects[1].plane, RA_PLANE_DATA);

	assert_int_equal(inv->ndeployments, 1);
	assert_string_equal(inv->deployments[0].env_file, "deploy/eu/api.env");
	assert_string_equal(inv->deployments[0].variable, "GRAFANA_LOKI_URL");
	assert_int_equal(inv->nlog_endpoints, 2);
	assert_string_equal(inv->log_endpoints[1].hosts[0],
	    "logs-prod-us-central1.grafana.net");
	assert_true(inv->has_control_plane);
	assert_string_equal(inv->control_plane.uri_env, "MONGO_URI_CONTROL");
	assert_string_equal(inv->control_plane.tenants_collection, "tenants");
	assert_int_equal(inv->ndata_planes, 1);
	assert_true(inv->data_planes[0].legacy_keys);
	assert_string_equal(inv->data_planes[0].key_prefix_field, "key_prefix");
	assert_string_equal(inv->data_planes[0].keys_collection,
	    "connector_instance_api_keys");
	assert_null(inv->data_planes[0].collections);

	/* verbatim text and its digest */
	assert_int_equal(inv->textlen, strlen(contract_example));
	assert_memory_equal(inv->text, contract_example, inv->textlen);
	ra_sha256_hex(contract_example, strlen(contract_example), digest);
	assert_string_equal(inv->digest, digest);
	assert_string_equal(inv->base_dir, "/tmp");
	assert_string_equal(ra_plane_name(RA_PLANE_SHARED), "shared");
	ra_inventory_free(inv);
}

static void
test_defaults_and_presets(void **state)
{
	struct ra_inventory *inv;
	const char **eu = NULL, **eea = NULL;
	size_t neu = 0, neea = 0;
	const struct ra_jurisdiction *j;

	(void)state;
	inv = parse_ok("{\"orgId\":\"" ORG "\",\"jurisdictions\":{"
	    "\"eu\":{\"regions\":[\"@eu\",\"aws:eu-west-1\"]},"
	    "\"eea\":{\"regions\":[\"@eea\",\"@eu\"]}},"
	    "\"projects\":[{\"name\":\"p\",\"jurisdiction\":\"eu\"}],"
	    "\"controlPlane\":{\"uriEnv\":\"U\"},"
	    "\"dataPlanes\":[{\"name\":\"d\",\"jurisdiction\":\"eu\","
	    "\"uriEnv\":\"V\",\"project\":\"p\",\"cluster\":\"c\","
	    "\"keyPrefix\":\"k_\",\"collections\":[\"a\",\"b\"]}]}");
	assert_int_equal(inv->unlisted, RA_UNLISTED_FAIL);
	assert_string_equal(inv->tag_key, "residency");
	assert_int_equal(ra_region_preset("@eu", &eu, &neu), 0);
	assert_int_equal(ra_region_preset("@eea", &eea, &neea), 0);
	j = ra_inventory_jurisdiction(inv, "eu");
	/* @eu plus a member of @eu: exactly the preset, deduplicated */
	assert_int_equal(j->nregions, neu);
	for (size_t i = 0; i < neu; i++)
		assert_string_equal(j->regions[i], eu[i]);
	for (size_t i = 1; i < j->nregions; i++)
		assert_true(strcmp(j->regions[i - 1], j->regions[i]) < 0);
	j = ra_inventory_jurisdiction(inv, "eea");
	assert_true(j->nregions >= neea);
	/* the project inherits its jurisdiction's regions */
	assert_int_equal(inv->projects[0].plane, RA_PLANE_DATA);
	assert_int_equal(inv->projects[0].own_regions, 0);
	assert_int_equal(inv->projects[0].nregions, neu);
	assert_string_equal(inv->control_plane.database, "control_plane");
	assert_string_equal(inv->control_plane.tenants_collection, "tenants");
	assert_string_equal(inv->data_planes[0].database, "tenant_data");
	assert_false(inv->data_planes[0].legacy_keys);
	assert_string_equal(inv->data_planes[0].key_prefix_field, "key_prefix");
	assert_int_equal(inv->data_planes[0].ncollections, 2);
	assert_int_equal(inv->ndeployments, 0);
	free(eu);
	free(eea);
	ra_inventory_free(inv);

	inv = parse_ok("{\"orgId\":\"" ORG "\",\"unlisted\":\"ignore\","
	    "\"tagKey\":\"geo\",\"jurisdictions\":{\"us\":{\"regions\":"
	    "[\"@us\"]}}}");
	assert_int_equal(inv->unlisted, RA_UNLISTED_IGNORE);
	assert_string_equal(inv->tag_key, "geo");
	assert_int_equal(inv->nprojects, 0);
	assert_false(inv->has_control_plane);
	/* @us excludes government regions */
	j = ra_inventory_jurisdiction(inv, "us");
	for (size_t i = 0; i < j->nregions; i++) {
		const struct ra_region *r = ra_region_by_cedar(j->regions[i]);

		assert_non_null(r);
		assert_false(r->gov);
		assert_string_equal(r->country, "US");
	}
	ra_inventory_free(inv);
}

#define J	"\"jurisdictions\":{\"eu\":{\"regions\":[\"aws:eu-west-1\"," \
		"\"aws:eu-central-1\"]}}"
#define H	"{\"orgId\":\"" ORG "\"," J

static const struct {
	const char *text;
	const char *want;	/* substring of the error, after "inv.json: " */
} bad[] = {
	{ "{\"orgId\": ", "invalid JSON at byte" },
	{ "", "invalid JSON at byte 0" },
	{ "{} x", "$: invalid JSON at byte 3" },
	/* CONTRACT §2: bad JSON too is named by its JSON path */
	{ "{\"orgId\": ", "$.orgId: invalid JSON at byte" },
	{ H ",\"projects\":[{\"name\":\"a\"},{\"name\": }]}",
	  "$.projects[1].name: invalid JSON at byte" },
	{ H ",\"projects\":[{\"name\":\"a,}]\\\"\",\"x\" 1}]}",
	  "$.projects[0].x: invalid JSON at byte" },
	{ "{\"jurisdictions\":{\"e u\":{\"regions\":[\"a\" \"b\"]}}}",
	  "$.jurisdictions[\"e u\"].regions[0]: invalid JSON at byte" },
	{ "[1,2,,3]", "$[2]: invalid JSON at byte 5" },
	{ "[]", "$: expected an object" },
	{ "{\"orgId\":\"" ORG "\"}", "$.jurisdictions: required" },
	{ "{" J "}", "$.orgId: required" },
	{ "{\"orgId\":\"65def6ce0f722a1507105aaZ\"," J "}",
	  "$.orgId: \"65def6ce0f722a1507105aaZ\" is not 24 hex digits" },
	{ "{\"orgId\":42," J "}", "$.orgId: expected a string, got a number" },
	{ H ",\"projetcs\":[]}", "$.projetcs: unknown key" },
	{ H ",\"unlisted\":\"warn\"}", "$.unlisted: \"warn\" is neither" },
	{ H ",\"tagKey\":\"\"}", "$.tagKey: must not be empty" },
	{ H ",\"orgId\":\"" ORG "\"}", "$.orgId: duplicate key" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{}}",
	  "$.jurisdictions: no jurisdiction declared" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"eu\":{\"regions\":[]}}}",
	  "$.jurisdictions.eu.regions: empty region list" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"eu\":{}}}",
	  "$.jurisdictions.eu.regions: required" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"eu\":{\"regions\":"
	  "[\"aws:eu-west-1\",\"aws:eu-west-9\"]}}}",
	  "$.jurisdictions.eu.regions[1]: region \"aws:eu-west-9\" is not in "
	  "the catalogue" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"eu\":{\"regions\":"
	  "[\"@asia\"]}}}", "$.jurisdictions.eu.regions[0]: unknown preset" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"eu\":{\"regions\":"
	  "[\"EU_WEST_1\"]}}}", "regions[0]: region \"EU_WEST_1\" is not in" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"eu\":{\"regions\":"
	  "[7]}}}", "$.jurisdictions.eu.regions[0]: expected a string" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"eu\":{\"regions\":"
	  "\"aws:eu-west-1\"}}}", "$.jurisdictions.eu.regions: expected an array" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"../x\":{\"regions\":"
	  "[\"@eu\"]}}}", "$.jurisdictions[\"../x\"]: jurisdiction key" },
	{ "{\"orgId\":\"" ORG "\",\"jurisdictions\":{\"eu\":{\"regions\":"
	  "[\"@eu\"],\"region\":[]}}}", "$.jurisdictions.eu.region: unknown key" },
	{ H ",\"projects\":{}}", "$.projects: expected an array" },
	{ H ",\"projects\":[{\"jurisdiction\":\"eu\"}]}",
	  "$.projects[0]: a project needs an \"id\" or a \"name\"" },
	{ H ",\"projects\":[{\"name\":\"a\",\"jurisdiction\":\"eu\"},"
	  "{\"name\":\"b\",\"jurisdiction\":\"asia\"}]}",
	  "$.projects[1].jurisdiction: unknown jurisdiction \"asia\"" },
	{ H ",\"projects\":[{\"name\":\"a\"}]}",
	  "$.projects[0].jurisdiction: required" },
	{ H ",\"projects\":[{\"name\":\"a\",\"jurisdiction\":\"eu\","
	  "\"plane\":\"edge\"}]}", "$.projects[0].plane: unknown plane" },
	{ H ",\"projects\":[{\"name\":\"a\",\"jurisdiction\":\"eu\"},"
	  "{\"name\":\"b\",\"jurisdiction\":\"eu\",\"regions\":"
	  "[\"aws:eu-west-9\"]}]}",
	  "$.projects[1].regions[0]: region \"aws:eu-west-9\" is not in the "
	  "catalogue" },
	{ H ",\"projects\":[{\"name\":\"a\",\"jurisdiction\":\"eu\","
	  "\"regions\":[\"aws:eu-west-1\",\"aws:us-east-1\"]}]}",
	  "$.projects[0].regions[1]: region \"aws:us-east-1\" is not in "
	  "jurisdiction \"eu\"" },
	{ H ",\"projects\":[{\"name\":\"a\",\"jurisdiction\":\"eu\","
	  "\"regions\":[\"@eu\"]}]}",
	  "$.projects[0].regions[0]: region" },
	{ H ",\"projects\":[{\"name\":\"a\",\"jurisdiction\":\"eu\","
	  "\"regions\":[]}]}", "$.projects[0].regions: empty region list" },
	{ H ",\"projects\":[{\"name\":\"a\",\"jurisdiction\":\"eu\"},"
	  "{\"name\":\"a\",\"jurisdiction\":\"eu\"}]}",
	  "$.projects[1].name: duplicate project name" },
	{ H ",\"projects\":[{\"id\":\"6a793feb2c88faeba59bd8f6\","
	  "\"jurisdiction\":\"eu\"},{\"id\":\"6a793feb2c88faeba59bd8f6\","
	  "\"name\":\"x\",\"jurisdiction\":\"eu\"}]}",
	  "$.projects[1].id: duplicate project id" },
	{ H ",\"projects\":[{\"id\":\"abc\",\"jurisdiction\":\"eu\"}]}",
	  "$.projects[0].id: project id \"abc\" is not 24 hex digits" },
	{ H ",\"projects\":[{\"name\":\"a\",\"jurisdiction\":\"eu\","
	  "\"region\":[\"aws:eu-west-1\"]}]}",
	  "$.projects[0].region: unknown key" },
	{ H ",\"projects\":[\"a\"]}", "$.projects[0]: expected an object" },
	{ H ",\"deployments\":[{\"name\":\"d\",\"jurisdiction\":\"eu\","
	  "\"envFile\":\"e\"}]}", "$.deployments[0].variable: required" },
	{ H ",\"deployments\":[{\"name\":\"d\",\"jurisdiction\":\"us\","
	  "\"envFile\":\"e\",\"variable\":\"V\"}]}",
	  "$.deployments[0].jurisdiction: unknown jurisdiction" },
	{ H ",\"deployments\":[{\"name\":\"d\",\"jurisdiction\":\"eu\","
	  "\"envFile\":\"e\",\"variable\":\"V\"},{\"name\":\"d\","
	  "\"jurisdiction\":\"eu\",\"envFile\":\"e\",\"variable\":\"V\"}]}",
	  "$.deployments[1].name: duplicate deployment name" },
	{ H ",\"logEndpoints\":{\"us\":[\"h\"]}}",
	  "$.logEndpoints.us: unknown jurisdiction" },
	{ H ",\"logEndpoints\":{\"eu\":[\"h\",\"\"]}}",
	  "$.logEndpoints.eu[1]: expected a non-empty string" },
	{ H ",\"logEndpoints\":{\"eu\":[]}}",
	  "$.logEndpoints.eu: empty list of hosts" },
	{ H ",\"controlPlane\":{\"database\":\"x\"}}",
	  "$.controlPlane.uriEnv: required" },
	{ H ",\"controlPlane\":{\"uriEnv\":\"MONGO URI\"}}",
	  "$.controlPlane.uriEnv: \"MONGO URI\" is not an environment" },
	{ H ",\"dataPlanes\":[{\"name\":\"d\",\"jurisdiction\":\"eu\","
	  "\"uriEnv\":\"U\",\"project\":\"p\",\"cluster\":\"c\"}]}",
	  "$.dataPlanes[0].keyPrefix: required" },
	{ H ",\"dataPlanes\":[{\"name\":\"d\",\"jurisdiction\":\"eu\","
	  "\"uriEnv\":\"U\",\"project\":\"p\",\"cluster\":\"c\","
	  "\"keyPrefix\":\"k\",\"legacyKeys\":\"yes\"}]}",
	  "$.dataPlanes[0].legacyKeys: expected a boolean" },
	{ H ",\"dataPlanes\":[{\"name\":\"control\",\"jurisdiction\":\"eu\","
	  "\"uriEnv\":\"U\",\"project\":\"p\",\"cluster\":\"c\","
	  "\"keyPrefix\":\"k\"}]}",
	  "$.dataPlanes[0].name: data plane name must match" },
	{ H ",\"dataPlanes\":[{\"name\":\"../eu\",\"jurisdiction\":\"eu\","
	  "\"uriEnv\":\"U\",\"project\":\"p\",\"cluster\":\"c\","
	  "\"keyPrefix\":\"k\"}]}",
	  "$.dataPlanes[0].name: data plane name must match" },
	{ H ",\"dataPlanes\":[{\"name\":\"d\",\"jurisdiction\":\"eu\","
	  "\"uriEnv\":\"U\",\"project\":\"p\",\"cluster\":\"c\","
	  "\"keyPrefix\":\"k\",\"collections\":[1]}]}",
	  "$.dataPlanes[0].collections[0]: expected a non-empty string" },
	{ H ",\"dataPlanes\":[{\"name\":\"d\",\"jurisdiction\":\"eu\","
	  "\"uriEnv\":\"U\",\"project\":\"p\",\"cluster\":\"c\","
	  "\"keyPrefix\":\"k\",\"keyprefix\":\"k\"}]}",
	  "$.dataPlanes[0].keyprefix: unknown key" },
	{ H ",\"projects\":[{\"name\":\"a\\nb\",\"jurisdiction\":\"e\\u0000\"}]}",
	  "$.projects[0].jurisdiction: unknown jurisdiction" },
};

static void
test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ra_inventory *inv = (void *)1;
		char err[512], want[512];

		memset(err, 0, sizeof(err));
		if (ra_inventory_parse(&inv, bad[i].text, strlen(bad[i].text),
		    "inv.json", ".", err, sizeof(err)) == 0)
			fail_msg("case %zu parsed: %s", i, bad[i].text);
		assert_null(inv);
		snprintf(want, sizeof(want), "inv.json: %s", bad[i].want);
		if (strncmp(err, "inv.json: ", 10) != 0 ||
		    strstr(err, bad[i].want) == NULL)
			fail_msg("case %zu: error \"%s\" lacks \"%s\"", i, err,
			    want);
		/* one line, always */
		assert_null(strchr(err, '\n'));
	}
}

/* A hostile value in an error message stays on one line. */
static void
test_hostile_values(void **state)
{
	static const char text[] = H ",\"projects\":[{\"name\":\"a\","
	    "\"jurisdiction\":\"e\\nu\\r\\u001b[31m\"}]}";
	static const char nul[] = "{\"orgId\":\0}";
	struct ra_inventory *inv = NULL;
	char err[512];

	(void)state;
	assert_int_equal(ra_inventory_parse(&inv, text, strlen(text), "inv.json",
	    ".", err, sizeof(err)), -1);
	assert_null(strchr(err, '\n'));
	assert_null(strchr(err, '\r'));
	assert_null(strchr(err, '\033'));
	assert_int_equal(ra_inventory_parse(&inv, nul, sizeof(nul) - 1,
	    "inv.json", ".", err, sizeof(err)), -1);
	assert_string_equal(err, "inv.json: $.orgId: invalid JSON at byte 9 "
	    "(NUL byte)");
	/* a tiny error buffer is never overrun */
	assert_int_equal(ra_inventory_parse(&inv, text, strlen(text), "inv.json",
	    ".", err, 8), -1);
	assert_int_equal(strlen(err), 7);
}

static void
test_load(void **state)
{
	char dir[] = "/tmp/ra-inv-XXXXXX", path[256], err[512];
	struct ra_inventory *inv = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/residency.json", dir);
	assert_int_equal(ra_file_write(path, contract_example,
	    strlen(contract_example)), 0);
	assert_int_equal(ra_inventory_load(&inv, path, err, sizeof(err)), 0);
	assert_string_equal(inv->base_dir, dir);
	ra_inventory_free(inv);
	inv = NULL;
	unlink(path);
	assert_int_equal(ra_inventory_load(&inv, path, err, sizeof(err)), -1);
	assert_null(inv);
	assert_non_null(strstr(err, path));
	rmdir(dir);
	ra_inventory_free(NULL);
}

/* ---- scopes ----------------------------------------------------------- */

static void
test_scopes(void **state)
{
	struct ra_inventory *inv = parse_ok("{\"orgId\":\"" ORG "\","
	    "\"jurisdictions\":{\"eu\":{\"regions\":[\"aws:eu-west-1\","
	    "\"aws:eu-central-1\",\"aws:eu-west-2\"]},\"us\":{\"regions\":"
	    "[\"aws:us-east-1\",\"aws:us-west-2\"]}},"
	    "\"projects\":["
	    "{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"name\":\"zeta\","
	    "\"jurisdiction\":\"eu\",\"plane\":\"control\",\"regions\":"
	    "[\"aws:eu-west-1\",\"aws:eu-central-1\"]},"
	    "{\"name\":\"beta\",\"jurisdiction\":\"us\"},"
	    "{\"name\":\"missing\",\"jurisdiction\":\"us\"},"
	    "{\"id\":\"cccccccccccccccccccccccc\",\"name\":\"renamed\","
	    "\"jurisdiction\":\"eu\"}]}");
	struct ra_model *m = fx_model(ORG);
	struct ra_project *p;
	struct ra_scope *sc = NULL;
	size_t n = 0;

	(void)state;
	/* named by id (the inventory's name differs: the id wins) */
	fx_project(m, "aaaaaaaaaaaaaaaaaaaaaaaa", "alpha");
	/* named by name */
	fx_project(m, "bbbbbbbbbbbbbbbbbbbbbbbb", "beta");
	/* tagged eu */
	p = fx_project(m, "dddddddddddddddddddddddd", "delta");
	fx_tag(p, "residency", "eu");
	/* tagged with an unknown jurisdiction: no scope */
	p = fx_project(m, "eeeeeeeeeeeeeeeeeeeeeeee", "epsilon");
	fx_tag(p, "residency", "asia");
	/* untagged: no scope */
	fx_project(m, "ffffffffffffffffffffffff", "phi");
	/* has the name of an id-only entry "renamed"? no: matched by id */
	fx_project(m, "cccccccccccccccccccccccc", "gamma");
	/* shares the name "zeta" of an entry that has an id: not matched */
	fx_project(m, "999999999999999999999999", "zeta");
	/* tag key is residency; another key is ignored */
	p = fx_project(m, "111111111111111111111111", "omega");
	fx_tag(p, "region", "eu");

	assert_int_equal(ra_scopes_build(&sc, &n, m, inv), 0);
	assert_int_equal(n, 4);
	/* sorted by project name */
	assert_string_equal(sc[0].project->name, "alpha");
	assert_string_equal(sc[1].project->name, "beta");
	assert_string_equal(sc[2].project->name, "delta");
	assert_string_equal(sc[3].project->name, "gamma");

	assert_ptr_equal(sc[0].inv, &inv->projects[0]);
	assert_int_equal(sc[0].plane, RA_PLANE_CONTROL);
	assert_string_equal(sc[0].jurisdiction, "eu");
	assert_int_equal(sc[0].nallowed, 2);
	assert_string_equal(sc[0].allowed[0], "aws:eu-central-1");
	assert_int_equal(sc[0].njurisdiction_regions, 3);

	assert_ptr_equal(sc[1].inv, &inv->projects[1]);
	assert_string_equal(sc[1].jurisdiction, "us");
	assert_int_equal(sc[1].nallowed, 2);

	assert_null(sc[2].inv);
	assert_int_equal(sc[2].plane, RA_PLANE_DATA);
	assert_string_equal(sc[2].jurisdiction, "eu");
	assert_int_equal(sc[2].nallowed, 3);
	assert_string_equal(sc[2].allowed[2], "aws:eu-west-2");

	assert_ptr_equal(sc[3].inv, &inv->projects[3]);
	ra_scopes_free(sc, n);

	/* no projects at all */
	m->nprojects = 0;
	assert_int_equal(ra_scopes_build(&sc, &n, m, inv), 0);
	assert_int_equal(n, 0);
	assert_null(sc);
	ra_scopes_free(NULL, 0);
	fx_free_all();
	ra_inventory_free(inv);
}

/* The same name in two places sorts by id. */
static void
test_scopes_tie(void **state)
{
	struct ra_inventory *inv = parse_ok("{\"orgId\":\"" ORG "\","
	    "\"jurisdictions\":{\"eu\":{\"regions\":[\"@eu\"]}}}");
	struct ra_model *m = fx_model(ORG);
	struct ra_scope *sc = NULL;
	size_t n = 0;

	(void)state;
	fx_tag(fx_project(m, "222222222222222222222222", "same"),
	    "residency", "eu");
	fx_tag(fx_project(m, "111111111111111111111111", "same"),
	    "residency", "eu");
	assert_int_equal(ra_scopes_build(&sc, &n, m, inv), 0);
	assert_int_equal(n, 2);
	assert_string_equal(sc[0].project->id, "111111111111111111111111");
	ra_scopes_free(sc, n);
	fx_free_all();
	ra_inventory_free(inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract_example),
		cmocka_unit_test(test_defaults_and_presets),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_hostile_values),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_scopes_tie),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
