/*
 * fuzz_envfile.c: the dotenv reader on arbitrary bytes, looked up for a
 * few variables. Properties: the return is -1, 0 or 1; a value is a C
 * string no longer than the text; malformedness is a property of the
 * file, so either every lookup fails or none does; an error is one
 * non-empty line and leaves *value NULL.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "envfile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const vars[] = { "URL", "A", "export", "A.B_c9", "_" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		char err[256], *value = (char *)1;
		int rc;

		err[0] = '\0';
		rc = ra_envfile_get((const char *)data, size, vars[i], &value,
		    err, sizeof(err));
		if (rc == -1) {
			if (value != NULL || err[0] == '\0' ||
			    strchr(err, '\n') != NULL || (i > 0 && !failed))
				abort();
			failed = 1;
		} else if (rc == 0) {
			if (value != NULL || failed)
				abort();
		} else if (rc == 1) {
			if (value == NULL || failed ||
			    strlen(value) > size)
				abort();
			free(value);
		} else
			abort();
	}
	return 0;
}
