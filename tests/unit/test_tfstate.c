/*
 * test_tfstate.c: the Terraform state reader. A realistic v4 state with
 * modules, count instances, data sources and other resource types; then
 * a table of malformed states, each with the JSON path its error names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tfstate.h"
#include "util.h"

/* Written for this test from the state format's field names. */
static const char good[] =
"{\n"
"  \"version\": 4, \"terraform_version\": \"1.9.8\", \"serial\": 12,\n"
"  \"lineage\": \"3f1c\", \"outputs\": {},\n"
"  \"resources\": [\n"
"    { \"mode\": \"managed\", \"type\": \"mongodbatlas_project\",\n"
"      \"name\": \"p\", \"provider\": \"x\",\n"
"      \"instances\": [ { \"attributes\": { \"name\": \"proj\" } } ] },\n"
"    { \"mode\": \"managed\", \"type\": \"mongodbatlas_resource_policy\",\n"
"      \"name\": \"eu_only\", \"provider\": \"x\",\n"
"      \"instances\": [ { \"schema_version\": 0, \"attributes\": {\n"
"        \"id\": \"66e0\", \"org_id\": \"65de\", \"name\": \"zz-eu-only\",\n"
"        \"policies\": [\n"
"          { \"body\": \"forbid (principal, action, resource);\", \"id\": \"a\" },\n"
"          { \"body\": \"forbid\\n\\t(principal, action, resource)\\nwhen { true };\", \"id\": \"b\" } ] },\n"
"        \"sensitive_attributes\": [] } ] },\n"
"    { \"mode\": \"data\", \"type\": \"mongodbatlas_resource_policy\",\n"
"      \"name\": \"read\", \"provider\": \"x\",\n"
"      \"instances\": [ { \"attributes\": { \"name\": \"zz-eu-only\",\n"
"        \"policies\": [ { \"body\": \"other\" } ] } } ] },\n"
"    { \"module\": \"module.org\", \"mode\": \"managed\",\n"
"      \"type\": \"mongodbatlas_resource_policy\", \"name\": \"per\",\n"
"      \"provider\": \"x\", \"each\": \"list\",\n"
"      \"instances\": [\n"
"        { \"index_key\": 0, \"attributes\": { \"name\": \"b|<x>\\n../\",\n"
"          \"policies\": [] } },\n"
"        { \"index_key\": 1, \"attributes\": { \"name\": \"a-no-gcp\",\n"
"          \"policies\": [ { \"body\": \"g\" } ] } } ] }\n"
"  ]\n"
"}\n";

static void
test_good(void **state)
{
	struct ra_tfstate *tf = NULL;
	const struct ra_tf_policy *p;
	char err[512];

	(void)state;
	if (ra_tfstate_parse(&tf, good, strlen(good), "tf", err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	/* three managed policies, sorted by name; the data source skipped */
	assert_int_equal(tf->n, 3);
	assert_string_equal(tf->v[0].name, "a-no-gcp");
	assert_string_equal(tf->v[1].name, "b|<x>\n../");
	assert_string_equal(tf->v[2].name, "zz-eu-only");
	p = ra_tfstate_find(tf, "zz-eu-only");
	assert_ptr_equal(p, &tf->v[2]);
	assert_int_equal(p->nbodies, 2);
	assert_string_equal(p->bodies[0],
	    "forbid (principal, action, resource);");
	assert_string_equal(p->bodies[1],
	    "forbid\n\t(principal, action, resource)\nwhen { true };");
	assert_int_equal(tf->v[1].nbodies, 0);
	assert_null(ra_tfstate_find(tf, "missing"));
	assert_null(tf->ref.file);
	ra_tfstate_free(tf);
	ra_tfstate_free(NULL);
}

static void
test_empty_state(void **state)
{
	const char *t = "{\"version\":4,\"resources\":[]}";
	struct ra_tfstate *tf = NULL;
	char err[256];

	(void)state;
	assert_int_equal(ra_tfstate_parse(&tf, t, strlen(t), "tf", err,
	    sizeof(err)), 0);
	assert_int_equal(tf->n, 0);
	ra_tfstate_free(tf);
}

#define RP	"\"mode\":\"managed\",\"type\":\"mongodbatlas_resource_policy\""

struct bad {
	const char	*text;
	const char	*want;	/* fragment of the error */
};

static const struct bad bads[] = {
	{ "", "tf: not JSON" },
	{ "{\"version\":4,\"resources\":[]", "tf: not JSON" },
	{ "[]", "tf: $: expected an object, got an array" },
	{ "{\"resources\":[]}", "tf: $.version: expected an integer, got absent" },
	{ "{\"version\":\"4\",\"resources\":[]}", "$.version: expected an integer, got a string" },
	{ "{\"version\":3,\"modules\":[]}", "$.version: state format 3 is not supported" },
	{ "{\"version\":4}", "$.resources: expected an array, got absent" },
	{ "{\"version\":4,\"resources\":{}}", "$.resources: expected an array, got an object" },
	{ "{\"version\":4,\"resources\":[1]}", "$.resources[0]: expected an object, got a number" },
	{ "{\"version\":4,\"resources\":[{\"mode\":\"managed\"}]}", "$.resources[0].type: expected a string, got absent" },
	{ "{\"version\":4,\"resources\":[{\"type\":\"x\",\"mode\":null}]}", "$.resources[0].mode: expected a string, got null" },
	{ "{\"version\":4,\"resources\":[{\"type\":\"x\",\"mode\":\"managed\"},{" RP "}]}", "$.resources[1].instances: expected an array, got absent" },
	{ "{\"version\":4,\"resources\":[{" RP ",\"instances\":[true]}]}", "$.resources[0].instances[0]: expected an object, got a boolean" },
	{ "{\"version\":4,\"resources\":[{" RP ",\"instances\":[{}]}]}", "$.resources[0].instances[0].attributes: expected an object, got absent" },
	{ "{\"version\":4,\"resources\":[{" RP ",\"instances\":[{\"attributes\":{\"policies\":[]}}]}]}", "$.resources[0].instances[0].attributes.name: expected a non-empty string, got absent" },
	{ "{\"version\":4,\"resources\":[{" RP ",\"instances\":[{\"attributes\":{\"name\":\"\",\"policies\":[]}}]}]}", "attributes.name: expected a non-empty string, got a string" },
	{ "{\"version\":4,\"resources\":[{" RP ",\"instances\":[{\"attributes\":{\"name\":\"n\",\"policies\":null}}]}]}", "$.resources[0].instances[0].attributes.policies: expected an array, got null" },
	{ "{\"version\":4,\"resources\":[{" RP ",\"instances\":[{\"attributes\":{\"name\":\"n\",\"policies\":[\"x\"]}}]}]}", "attributes.policies[0]: expected an object, got a string" },
	{ "{\"version\":4,\"resources\":[{" RP ",\"instances\":[{\"attributes\":{\"name\":\"n\",\"policies\":[{\"body\":\"a\"},{\"body\":7}]}}]}]}", "$.resources[0].instances[0].attributes.policies[1].body: expected a string, got a number" },
	{ "{\"version\":4,\"resources\":[{" RP ",\"instances\":[{\"attributes\":{\"name\":\"dup\",\"policies\":[]}}]},{" RP ",\"instances\":[{\"attributes\":{\"name\":\"dup\",\"policies\":[]}}]}]}", "$.resources[1].instances[0].attributes.name: a policy of that name is already defined" },
};

static void
test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct ra_tfstate *tf = (struct ra_tfstate *)&tf;
		char err[512] = "";

		if (ra_tfstate_parse(&tf, bads[i].text, strlen(bads[i].text),
		    "tf", err, sizeof(err)) != -1)
			fail_msg("row %zu: accepted", i);
		assert_null(tf);
		if (strstr(err, bads[i].want) == NULL)
			fail_msg("row %zu: [%s] lacks [%s]", i, err,
			    bads[i].want);
	}
}

/* Errors never quote values of the state (states hold secrets). */
static void
test_error_hides_values(void **state)
{
	const char *t = "{\"version\":4,\"resources\":[{" RP ",\"instances\":"
	    "[{\"attributes\":{\"name\":\"n\",\"password\":\"hunter2\","
	    "\"policies\":[{\"body\":[\"hunter3\"]}]}}]}]}";
	struct ra_tfstate *tf = NULL;
	char err[512];

	(void)state;
	assert_int_equal(ra_tfstate_parse(&tf, t, strlen(t), "tf", err,
	    sizeof(err)), -1);
	assert_null(strstr(err, "hunter"));
}

/* Deep nesting and oversize input fail cleanly. */
static void
test_bounds(void **state)
{
	size_t n = 100000;
	char *t = malloc(2 * n + 1), err[512];
	struct ra_tfstate *tf = NULL;

	(void)state;
	memset(t, '[', n);
	memset(t + n, ']', n);
	t[2 * n] = '\0';
	assert_int_equal(ra_tfstate_parse(&tf, t, 2 * n, "tf", err,
	    sizeof(err)), -1);
	assert_null(tf);
	assert_int_equal(ra_tfstate_parse(&tf, t, (size_t)RA_TFSTATE_MAX + 1,
	    "tf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than"));
	free(t);
}

static void
test_load(void **state)
{
	char path[] = "/tmp/ra-tfstate-XXXXXX", err[512];
	struct ra_tfstate *tf = NULL;
	int fd;

	(void)state;
	assert_int_equal(ra_tfstate_load(&tf, "/nonexistent/terraform.tfstate",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/terraform.tfstate: cannot "
	    "read"));
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(ra_file_write(path, good, strlen(good)), 0);
	assert_int_equal(ra_tfstate_load(&tf, path, err, sizeof(err)), 0);
	assert_int_equal(tf->n, 3);
	ra_tfstate_free(tf);
	close(fd);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_empty_state),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_error_hides_values),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
