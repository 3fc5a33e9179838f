/*
 * fuzz_inventory.c: ra_inventory_parse on arbitrary bytes. Either it
 * parses (and the result is freed) or it fails with a one-line message
 * that starts with the inventory's name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ra_inventory *inv = NULL;
	char err[512];

	if (ra_inventory_parse(&inv, (const char *)data, size, "fuzz.json",
	    ".", err, sizeof(err)) == 0) {
		if (inv == NULL || inv->njurisdictions == 0)
			abort();
		ra_inventory_free(inv);
	} else if (inv != NULL || strncmp(err, "fuzz.json: ", 11) != 0 ||
	    strchr(err, '\n') != NULL)
		abort();
	return 0;
}
