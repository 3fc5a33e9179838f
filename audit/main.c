/* main.c: thin entry point; the CLI lives in cli.c (STYLE 1). */
#include "cli.h"

int
main(int argc, char **argv)
{
	return ra_cli_main(argc, argv);
}
