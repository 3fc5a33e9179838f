/*
 * fuzz_tfstate.c: the Terraform state reader on arbitrary bytes. Either
 * a state comes back whose every name and body is a C string, or an
 * error line that names the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tfstate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ra_tfstate *tf = NULL;
	char err[512];
	size_t total = 0;

	if (ra_tfstate_parse(&tf, (const char *)data, size, "fuzz", err,
	    sizeof(err)) != 0) {
		if (tf != NULL || strncmp(err, "fuzz: ", 6) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < tf->n; i++) {
		if (i > 0 && strcmp(tf->v[i - 1].name, tf->v[i].name) >= 0)
			abort();	/* sorted and unique */
		total += strlen(tf->v[i].name);
		for (size_t j = 0; j < tf->v[i].nbodies; j++)
			total += strlen(tf->v[i].bodies[j]);
		if (ra_tfstate_find(tf, tf->v[i].name) != &tf->v[i])
			abort();
	}
	ra_tfstate_free(tf);
	return total == (size_t)-1;
}
