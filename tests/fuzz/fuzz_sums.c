/*
 * fuzz_sums.c: the SHA256SUMS parser used by verify, on arbitrary bytes.
 * An accepted file yields entries whose digests are 64 lowercase hex
 * digits and whose paths are made of safe components, without
 * duplicates; a rejected one yields no entries and a one-line reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
safe_path(const char *p)
{
	char *copy = ra_strdup(p), *save = NULL, *c;
	int ok = p[0] != '\0' && p[0] != '/' && p[strlen(p) - 1] != '/' &&
	    strstr(p, "//") == NULL;

	for (c = strtok_r(copy, "/", &save); ok && c != NULL;
	    c = strtok_r(NULL, "/", &save))
		ok = ra_is_safe_component(c);
	free(copy);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ra_sum *v = NULL;
	size_t n = 0;
	char err[256];

	err[0] = '\0';
	if (ra_sums_parse(&v, &n, (const char *)data, size, err,
	    sizeof(err)) != 0) {
		if (err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
		ra_sums_free(v, n);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (strlen(v[i].sha256) != 64 ||
		    strspn(v[i].sha256, "0123456789abcdef") != 64 ||
		    !safe_path(v[i].path))
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[i].path, v[j].path) == 0)
				abort();
	}
	ra_sums_free(v, n);
	return 0;
}
