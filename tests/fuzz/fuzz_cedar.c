/*
 * fuzz_cedar.c: libFuzzer target for the Cedar parser and the residency
 * decision. Input bytes become one NUL-terminated body (bytes after an
 * embedded NUL are ignored by the parser, as they would be in a C
 * string); the body is parse-checked and then decided for a fixed
 * project and jurisdiction. Only LLVMFuzzerTestOneInput is defined (the
 * standalone driver supplies main for the gcc corpus replay).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cedar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const j[] = { "aws:eu-west-1", "aws:eu-central-1",
		"azure:westeurope" };
	struct ra_cedar_policy_src src[2];
	struct ra_cedar_result r;
	char err[256], *body;

	if (size > 64 * 1024)
		return 0;
	if ((body = malloc(size + 1)) == NULL)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';
	(void)ra_cedar_parse_check(body, err, sizeof(err));
	src[0].policy_name = "fuzz";
	src[0].policy_id = "p0";
	src[0].body = body;
	/* A second, fixed body so that combinations are exercised too. */
	src[1].policy_name = "fixed";
	src[1].policy_id = "p1";
	src[1].body = "forbid (principal, action, resource) when { "
	    "context.cluster.cloudProviders.contains("
	    "ResourcePolicy::CloudProvider::\"gcp\") };";
	if (ra_cedar_check_residency(src, 2, "65f0aaaa0000000000000001", j,
	    3, &r) == 0)
		ra_cedar_result_free(&r);
	free(body);
	return 0;
}
