/*
 * runopts.h: the options of `run` and `evaluate` (CONTRACT §1), parsed
 * and validated before anything is read from the network. Every problem
 * is one line on stderr; the caller exits 3.
 */
#ifndef RA_RUNOPTS_H
#define RA_RUNOPTS_H

#include <stddef.h>

enum ra_runopts_mode { RA_RUNOPTS_RUN, RA_RUNOPTS_EVALUATE };

struct ra_runopts {
	const char	*inventory;	/* default ./residency.json */
	int		 inventory_given;
	const char	*out;		/* default ./evidence */
	const char	*base_url;	/* flag, env, or the Atlas default */
	unsigned	 formats;	/* RA_FMT_* bits */
	const char	*baseline;
	const char	*waivers;
	const char	*tfstate;
	int		 concurrency;	/* 0: the tool's default */
	const char	*cacert;
	const char	*sign;
	const char	*template_dir;
	const char	*statement_file;
	int		 soft_fail;
	int		 force;
	int		 progress;	/* -1 auto (tty), 0 off, 1 on */
	int		 help;
	const char	*pack;		/* evaluate: the PACK operand */
	char		*template_dir_owned;
};

/*
 * Parses argv (argv[0] is the command word). Sets verbosity and the
 * clock (--as-of) as side effects. Returns 0, or -1 after printing one
 * line.
 */
int	ra_runopts_parse(struct ra_runopts *o, enum ra_runopts_mode mode,
	    int argc, char **argv);
/* Checks that input files given exist and are readable (exit 3 if not). */
int	ra_runopts_check_inputs(const struct ra_runopts *o, char *err,
	    size_t errsz);
void	ra_runopts_free(struct ra_runopts *o);

/*
 * The default template directory: $RESIDENCY_AUDIT_TEMPLATES, else
 * <exe>/../share/residency-audit/templates when it exists (an installed
 * binary), else <exe>/../templates and <exe>/../../templates (a build
 * tree), else RA_DATADIR/templates. malloc'd.
 */
char	*ra_default_template_dir(void);

/* SIGINT/SIGTERM: set a flag that long loops poll (ra_interrupted). The
 * pack's temporary directory is removed by the normal exit path. */
void	ra_signals_watch(const char *tmp_dir);
/* The signal received (SIGINT, SIGTERM), or 0. */
int	ra_interrupted(void);

#endif
