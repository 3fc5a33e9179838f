/* cli.c: placeholder until the command line lands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int
ra_cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("residency-audit %s\n", RA_VERSION);
		return RA_EXIT_OK;
	}
	fprintf(stderr, "residency-audit: usage: residency-audit run [options]\n");
	return RA_EXIT_USAGE;
}
