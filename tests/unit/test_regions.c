/*
 * test_regions.c: the region catalogue. Checks the generated table
 * against the shared catalogue and the API subset read at test time
 * (RA_SHARED_DIR), lookups under every naming scheme, round trips and
 * the presets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonutil.h"
#include "regions.h"
#include "util.h"

static cJSON *
load_json(const char *rel)
{
	char *path = ra_asprintf("%s/%s", RA_SHARED_DIR, rel);
	char *data = NULL, err[256];
	size_t len = 0;
	cJSON *root;

	assert_int_equal(ra_file_read(&data, &len, path, 16u << 20), 0);
	root = ra_json_parse(data, len, err, sizeof(err));
	if (root == NULL)
		fail_msg("%s: %s", path, err);
	free(data);
	free(path);
	return root;
}

static int
jflag(const cJSON *o, const char *key)
{
	int v;

	if (ra_json_bool(o, key, &v) != 0)
		return -1;
	return v;
}

static int
streq_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Every row of regions.json is in the table, field for field. */
static void
test_catalogue_matches_shared(void **state)
{
	cJSON *root = load_json("atlas-regions/regions.json");
	const cJSON *row;
	size_t n = 0;

	(void)state;
	cJSON_ArrayForEach(row, root) {
		const char *prov = ra_json_str(row, "provider");
		const char *atlas = ra_json_str(row, "atlas");
		const struct ra_region *r = ra_region_by_atlas(prov, atlas);

		if (r == NULL)
			fail_msg("%s %s: not in the table", prov, atlas);
		assert_true(streq_null(r->native, ra_json_str(row, "native")));
		assert_true(streq_null(r->cedar, ra_json_str(row, "cedar")));
		assert_true(streq_null(r->country, ra_json_str(row, "country")));
		assert_true(streq_null(r->location,
		    ra_json_str(row, "location")));
		assert_int_equal(r->eu, jflag(row, "eu"));
		assert_int_equal(r->eea, jflag(row, "eea"));
		assert_int_equal(r->gov, jflag(row, "gov"));
		/* Unconfirmed rows never carry a Cedar id. */
		if (jflag(row, "unconfirmed") == 1)
			assert_null(r->cedar);
		n++;
	}
	assert_int_equal(n, ra_nregions);
	cJSON_Delete(root);
}

/* Follows "A/b/0/c" from components.schemas. */
static const cJSON *
schema_at(const cJSON *schemas, const char *loc)
{
	char *copy = ra_strdup(loc), *save = NULL, *tok;
	const cJSON *node = schemas;

	for (tok = strtok_r(copy, "/", &save); tok != NULL && node != NULL;
	    tok = strtok_r(NULL, "/", &save)) {
		if (cJSON_IsArray(node))
			node = cJSON_GetArrayItem(node, atoi(tok));
		else
			node = cJSON_GetObjectItemCaseSensitive(node, tok);
	}
	free(copy);
	return node;
}

/*
 * Every enum value of every region enum location of the API subset (the
 * in_schemas locations of the catalogue) is known under the location's
 * provider, and the catalogue names exactly those values there.
 */
static void
test_every_subset_enum_maps(void **state)
{
	cJSON *cat = load_json("atlas-regions/regions.json");
	cJSON *api = load_json("atlas-api/atlas-admin-v2-residency-subset.json");
	const cJSON *schemas = ra_json_obj(ra_json_obj(api, "components"),
	    "schemas");
	const cJSON *row, *loc, *v;
	size_t nloc = 0, nval = 0;

	(void)state;
	assert_non_null(schemas);
	cJSON_ArrayForEach(row, cat) {
		cJSON_ArrayForEach(loc, ra_json_arr(row, "in_schemas")) {
			const char *where = cJSON_GetStringValue(loc);
			const cJSON *node = schema_at(schemas, where);
			const cJSON *en = ra_json_arr(node, "enum");
			const char *prov = ra_json_str(row, "provider");
			size_t listed = 0, rows = 0;
			const cJSON *r2, *l2;

			if (en == NULL)
				fail_msg("%s: no enum in the subset", where);
			cJSON_ArrayForEach(v, en) {
				const char *s = cJSON_GetStringValue(v);

				assert_non_null(s);
				if (ra_region_by_atlas(prov, s) == NULL)
					fail_msg("%s: %s %s unknown", where,
					    prov, s);
				listed++;
				nval++;
			}
			/* The catalogue lists the location on as many rows
			   as the enum has values. */
			cJSON_ArrayForEach(r2, cat)
				cJSON_ArrayForEach(l2, ra_json_arr(r2,
				    "in_schemas"))
					if (strcmp(cJSON_GetStringValue(l2),
					    where) == 0)
						rows++;
			assert_int_equal(listed, rows);
			nloc++;
		}
	}
	assert_true(nloc > 28);
	assert_true(nval > 1000);
	cJSON_Delete(api);
	cJSON_Delete(cat);
}

/* Atlas -> Cedar -> native -> Atlas for every confirmed row. */
static void
test_round_trips(void **state)
{
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < ra_nregions; i++) {
		const struct ra_region *r = &ra_regions[i], *c, *nat;

		if (r->cedar == NULL) {
			assert_null(r->native);
			continue;
		}
		c = ra_region_by_cedar(r->cedar);
		assert_non_null(c);
		assert_string_equal(c->cedar, r->cedar);
		assert_string_equal(c->provider, r->provider);
		nat = ra_region_by_native(c->provider, c->native);
		assert_ptr_equal(nat, c);
		assert_ptr_equal(ra_region_by_atlas(nat->provider, nat->atlas),
		    nat);
		/* A twin (GCP *_AW) lands on the commercial row. */
		if (c != r) {
			assert_true(r->gov);
			assert_false(c->gov);
		}
		n++;
	}
	assert_int_equal(n, 141);
}

struct lookup_case {
	const char	*product;	/* NULL: by Atlas enum */
	const char	*provider;
	const char	*value;
	const char	*cedar;		/* expected; NULL: not found */
};

static const struct lookup_case lookups[] = {
	{ NULL, "AWS", "EU_WEST_1", "aws:eu-west-1" },
	{ NULL, "aws", "EU_WEST_1", "aws:eu-west-1" },
	{ NULL, "Azure", "EUROPE_WEST", "azure:westeurope" },
	{ NULL, "AWS", "US_EAST_2", "aws:us-east-2" },
	{ NULL, "AZURE", "US_EAST_2", "azure:eastus2" },
	{ NULL, "GCP", "US_WEST_2", "gcp:us-west2" },
	{ NULL, "AZURE", "US_WEST_3", "azure:westus3" },
	{ NULL, "GCP", "US_WEST_3", "gcp:us-west3" },
	{ NULL, "AZURE", "NEW_ZEALAND_NORTH", "azure:newzealandnorth" },
	{ NULL, "AZURE", "NEWZEALAND_NORTH", NULL },
	{ NULL, "AWS", "GLOBAL", NULL },	/* row without Cedar id */
	{ NULL, "TENANT", "EU_WEST_1", NULL },
	{ NULL, "FLEX", "EU_WEST_1", NULL },
	{ NULL, "aws", "eu-west-1", NULL },
	{ NULL, "aws", "EU_WEST_1 ", NULL },
	{ NULL, "", "", NULL },
	{ "data_federation", "aws", "VIRGINIA_USA", "aws:us-east-1" },
	{ "data_federation", "AZURE", "VIRGINIA_USA", "azure:eastus2" },
	{ "data_federation", "aws", "SAOPAULO_BRA", "aws:sa-east-1" },
	{ "data_federation", "azure", "SAOPAULO_BRA", "azure:brazilsouth" },
	{ "data_federation", "aws", "DUBLIN_IRL", "aws:eu-west-1" },
	{ "data_federation", "gcp", "BELGIUM_EU", "gcp:europe-west1" },
	{ "data_federation", "aws", "EU_WEST_1", "aws:eu-west-1" },
	{ "data_federation", "gcp", "DUBLIN_IRL", NULL },
	{ "streams", "azure", "westeurope", "azure:westeurope" },
	{ "streams", "AZURE", "eastus2", "azure:eastus2" },
	{ "streams", "gcp", "EUROPE_WEST1", "gcp:europe-west1" },
	{ "streams", "gcp", "EUROPE_WEST3", "gcp:europe-west3" },
	{ "streams", "gcp", "europe_west3", NULL },
	{ "streams", "aws", "PARIS_FRA", "aws:eu-west-3" },
	{ "streams", "aws", "ATLANTIS_XXX", NULL },
	{ "streams", "tenant", "DUBLIN_IRL", NULL },
};

static void
test_lookups(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		const struct lookup_case *c = &lookups[i];
		const struct ra_region *r;

		if (c->product == NULL)
			r = ra_region_by_atlas(c->provider, c->value);
		else
			r = ra_region_by_city(c->product, c->provider,
			    c->value);
		if (c->cedar == NULL) {
			if (r != NULL && r->cedar != NULL)
				fail_msg("case %zu %s: unexpected %s", i,
				    c->value, r->cedar);
			continue;
		}
		if (r == NULL || r->cedar == NULL)
			fail_msg("case %zu %s/%s: not found", i, c->provider,
			    c->value);
		assert_string_equal(r->cedar, c->cedar);
	}
	assert_null(ra_region_by_cedar("aws:nowhere-1"));
	assert_null(ra_region_by_cedar(NULL));
	assert_null(ra_region_by_native("aws", NULL));
	assert_string_equal(ra_region_by_native("AWS", "us-gov-west-1")->atlas,
	    "US_GOV_WEST_1");
}

/* Every city-regions.json row resolves to its Cedar id. */
static void
test_every_city_value(void **state)
{
	cJSON *root = load_json("atlas-regions/city-regions.json");
	const cJSON *row;
	size_t n = 0;

	(void)state;
	cJSON_ArrayForEach(row, root) {
		const struct ra_region *r = ra_region_by_city(
		    ra_json_str(row, "product"), ra_json_str(row, "provider"),
		    ra_json_str(row, "value"));

		assert_non_null(r);
		assert_string_equal(r->cedar, ra_json_str(row, "cedar"));
		n++;
	}
	assert_int_equal(n, 40);
	cJSON_Delete(root);
}

static int
has(const char **v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return 1;
	return 0;
}

/* Counts of distinct Cedar ids over the rows a preset should take. */
static size_t
expected_count(int which)
{
	const char *seen[256];
	size_t i, n = 0;

	for (i = 0; i < ra_nregions; i++) {
		const struct ra_region *r = &ra_regions[i];
		int in;

		if (r->cedar == NULL)
			continue;
		in = which == 0 ? r->eu == 1 : which == 1 ? r->eea == 1 :
		    (strcmp(r->country, "US") == 0 && !r->gov);
		if (in && !has(seen, n, r->cedar))
			seen[n++] = r->cedar;
	}
	return n;
}

static void
test_presets(void **state)
{
	const char **eu = NULL, **eea = NULL, **us = NULL, **bad = NULL;
	size_t neu, neea, nus, nbad = 7, i;

	(void)state;
	assert_int_equal(ra_region_preset("@eu", &eu, &neu), 0);
	assert_int_equal(ra_region_preset("@eea", &eea, &neea), 0);
	assert_int_equal(ra_region_preset("@us", &us, &nus), 0);
	assert_int_equal(ra_region_preset("@EU", &bad, &nbad), -1);
	assert_null(bad);
	assert_int_equal(nbad, 0);
	assert_int_equal(ra_region_preset("@mars", &bad, &nbad), -1);

	assert_true(has(eu, neu, "aws:eu-west-1"));	/* Ireland */
	assert_true(has(eu, neu, "aws:eu-central-1"));	/* Frankfurt */
	assert_true(has(eea, neea, "aws:eu-west-1"));
	assert_true(has(eea, neea, "aws:eu-central-1"));
	/* London and Zurich are in neither. */
	assert_false(has(eu, neu, "aws:eu-west-2"));
	assert_false(has(eea, neea, "aws:eu-west-2"));
	assert_false(has(eu, neu, "aws:eu-central-2"));
	assert_false(has(eea, neea, "aws:eu-central-2"));
	assert_false(has(eu, neu, "gcp:europe-west6"));
	assert_false(has(eea, neea, "gcp:europe-west6"));
	assert_false(has(eu, neu, "azure:switzerlandnorth"));
	assert_false(has(eea, neea, "azure:switzerlandnorth"));
	assert_false(has(eea, neea, "azure:switzerlandwest"));
	/* Norway: EEA, not EU. */
	assert_true(has(eea, neea, "azure:norwayeast"));
	assert_false(has(eu, neu, "azure:norwayeast"));
	/* US without government regions. */
	assert_true(has(us, nus, "aws:us-east-1"));
	assert_true(has(us, nus, "gcp:us-central1"));
	assert_false(has(us, nus, "aws:us-gov-west-1"));
	assert_false(has(us, nus, "aws:us-gov-east-1"));
	assert_false(has(us, nus, "aws:eu-west-1"));

	assert_int_equal(neu, expected_count(0));
	assert_int_equal(neea, expected_count(1));
	assert_int_equal(nus, expected_count(2));
	assert_int_equal(neea, neu + 2);
	/* Sorted and unique, each a catalogue region in the right place. */
	for (i = 0; i < neu; i++) {
		assert_int_equal(ra_region_by_cedar(eu[i])->eu, 1);
		if (i > 0)
			assert_true(strcmp(eu[i - 1], eu[i]) < 0);
	}
	for (i = 1; i < nus; i++)
		assert_true(strcmp(us[i - 1], us[i]) < 0);
	free(eu);
	free(eea);
	free(us);
}

static char *
slurp_stream(FILE *f)
{
	size_t cap = 1 << 16, len = 0, n;
	char *b = ra_malloc(cap);

	while ((n = fread(b + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 4096)
			b = ra_realloc(b, cap *= 2);
	}
	b[len] = '\0';
	return b;
}

/* Print: the table names every Atlas enum, the JSON is a full array. */
static void
test_print(void **state)
{
	char *text = NULL, err[128];
	size_t len = 0;
	FILE *f;
	cJSON *root;

	(void)state;
	assert_non_null(f = open_memstream(&text, &len));
	ra_regions_print(f, 0);
	fclose(f);
	assert_non_null(strstr(text, "EU_WEST_1"));
	assert_non_null(strstr(text, "aws:eu-west-1"));
	assert_non_null(strstr(text, "Ireland"));
	assert_non_null(strstr(text, "(unconfirmed)"));
	free(text);

	text = NULL;
	assert_non_null(f = open_memstream(&text, &len));
	ra_regions_print(f, 1);
	fclose(f);
	assert_non_null(root = ra_json_parse(text, len, err, sizeof(err)));
	assert_int_equal((size_t)cJSON_GetArraySize(root), ra_nregions);
	assert_string_equal(ra_json_str(cJSON_GetArrayItem(root, 0),
	    "provider"), "aws");
	cJSON_Delete(root);
	free(text);
}

/* The committed table is what the generator writes (when python3 is). */
static void
test_generated_is_current(void **state)
{
	char *cmd, *want = NULL, *got;
	char *path = ra_asprintf("%s/audit/regions_data.c", RA_SOURCE_DIR);
	size_t len;
	FILE *p;

	(void)state;
	if (system("command -v python3 >/dev/null 2>&1") != 0) {
		free(path);
		skip();
	}
	cmd = ra_asprintf("python3 '%s/tools/gen-regions.py' '%s' -",
	    RA_SOURCE_DIR, RA_SHARED_DIR);
	assert_non_null(p = popen(cmd, "r"));
	got = slurp_stream(p);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(ra_file_read(&want, &len, path, 1u << 20), 0);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(cmd);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_matches_shared),
		cmocka_unit_test(test_every_subset_enum_maps),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_every_city_value),
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_generated_is_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
