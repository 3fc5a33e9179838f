/*
 * cli.h: the command line of CONTRACT §1. Returns the process exit code
 * of CONTRACT §7 (0 compliant, 1 FAIL, 2 ERROR, 3 usage, 4 runtime).
 */
#ifndef RA_CLI_H
#define RA_CLI_H

enum ra_exit {
	RA_EXIT_OK = 0,
	RA_EXIT_FAIL = 1,
	RA_EXIT_INCOMPLETE = 2,
	RA_EXIT_USAGE = 3,
	RA_EXIT_RUNTIME = 4
};

int	ra_cli_main(int argc, char **argv);

#endif
