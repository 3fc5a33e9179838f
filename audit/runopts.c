/* runopts.c: see runopts.h. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atlas.h"
#include "clock.h"
#include "log.h"
#include "report.h"
#include "runopts.h"
#include "util.h"

#define DEFAULT_BASE	"https://cloud.mongodb.com"

enum {
	OPT_BASE_URL = 256, OPT_AS_OF, OPT_FORMAT, OPT_BASELINE, OPT_WAIVERS,
	OPT_TFSTATE, OPT_CONCURRENCY, OPT_CACERT, OPT_SIGN, OPT_SOFT_FAIL,
	OPT_FORCE, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_TEMPLATE_DIR,
	OPT_STATEMENT
};

static const struct option longopts[] = {
	{ "inventory",		required_argument, NULL, 'i' },
	{ "out",		required_argument, NULL, 'o' },
	{ "base-url",		required_argument, NULL, OPT_BASE_URL },
	{ "as-of",		required_argument, NULL, OPT_AS_OF },
	{ "format",		required_argument, NULL, OPT_FORMAT },
	{ "baseline",		required_argument, NULL, OPT_BASELINE },
	{ "waivers",		required_argument, NULL, OPT_WAIVERS },
	{ "terraform-state",	required_argument, NULL, OPT_TFSTATE },
	{ "concurrency",	required_argument, NULL, OPT_CONCURRENCY },
	{ "cacert",		required_argument, NULL, OPT_CACERT },
	{ "sign",		required_argument, NULL, OPT_SIGN },
	{ "template-dir",	required_argument, NULL, OPT_TEMPLATE_DIR },
	{ "statement-file",	required_argument, NULL, OPT_STATEMENT },
	{ "soft-fail",		no_argument,	   NULL, OPT_SOFT_FAIL },
	{ "force",		no_argument,	   NULL, OPT_FORCE },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "progress",		no_argument,	   NULL, OPT_PROGRESS },
	{ "no-progress",	no_argument,	   NULL, OPT_NO_PROGRESS },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
bad(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
bad(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "residency-audit %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see residency-audit --help)\n", stderr);
	return -1;
}

static int
parse_formats(const char *list, unsigned *out)
{
	char *copy = ra_strdup(list), *save = NULL, *tok;
	unsigned f = 0;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "md") == 0)
			f |= RA_FMT_MD;
		else if (strcmp(tok, "json") == 0)
			f |= RA_FMT_JSON;
		else if (strcmp(tok, "junit") == 0)
			f |= RA_FMT_JUNIT;
		else if (strcmp(tok, "sarif") == 0)
			f |= RA_FMT_SARIF;
		else
			rc = -1;
	}
	free(copy);
	if (f == 0)
		rc = -1;
	*out = f;
	return rc;
}

int
ra_runopts_parse(struct ra_runopts *o, enum ra_runopts_mode mode, int argc,
    char **argv)
{
	const char *cmd = mode == RA_RUNOPTS_RUN ? "run" : "evaluate";
	const char *env;
	int c, verbose = 0, quiet = 0;
	long n;
	char *end;
	time_t t;

	memset(o, 0, sizeof(*o));
	o->inventory = "./residency.json";
	o->out = "./evidence";
	o->formats = RA_FMT_MD | RA_FMT_JSON;
	o->progress = -1;
	env = getenv("MONGODB_ATLAS_BASE_URL");
	o->base_url = env != NULL && *env != '\0' ? env : DEFAULT_BASE;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->inventory = optarg;
			o->inventory_given = 1;
			break;
		case 'o':
			o->out = optarg;
			break;
		case OPT_BASE_URL:
			if (mode != RA_RUNOPTS_RUN)
				return bad(cmd, "--base-url: evaluate reads no network");
			o->base_url = optarg;
			break;
		case OPT_AS_OF:
			if (ra_time_parse(optarg, &t) != 0)
				return bad(cmd, "--as-of \"%.40s\": expected "
				    "YYYY-MM-DD or an RFC 3339 UTC instant "
				    "(YYYY-MM-DDThh:mm:ss[.frac]Z)", optarg);
			ra_clock_set(t);
			break;
		case OPT_FORMAT:
			if (parse_formats(optarg, &o->formats) != 0)
				return bad(cmd, "--format \"%.60s\": expected a "
				    "comma list of md,json,junit,sarif", optarg);
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_WAIVERS:
			o->waivers = optarg;
			break;
		case OPT_TFSTATE:
			o->tfstate = optarg;
			break;
		case OPT_CONCURRENCY:
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg || n < 1 ||
			    n > RA_ATLAS_MAX_CONCURRENCY)
				return bad(cmd, "--concurrency \"%.20s\": expected "
				    "1..%d", optarg, RA_ATLAS_MAX_CONCURRENCY);
			if (mode != RA_RUNOPTS_RUN)
				return bad(cmd, "--concurrency: evaluate reads no network");
			o->concurrency = (int)n;
			break;
		case OPT_CACERT:
			o->cacert = optarg;
			break;
		case OPT_SIGN:
			o->sign = optarg;
			break;
		case OPT_TEMPLATE_DIR:
			o->template_dir = optarg;
			break;
		case OPT_STATEMENT:
			o->statement_file = optarg;
			break;
		case OPT_SOFT_FAIL:
			o->soft_fail = 1;
			break;
		case OPT_FORCE:
			o->force = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_PROGRESS:
			o->progress = 1;
			break;
		case OPT_NO_PROGRESS:
			o->progress = 0;
			break;
		case 'h':
			o->help = 1;
			return 0;
		case ':':
			return bad(cmd, "option %s needs a value",
			    argv[optind - 1]);
		default:
			return bad(cmd, "unknown option %s", argv[optind - 1]);
		}
	}
	if (quiet && verbose)
		return bad(cmd, "-q and -v exclude each other");
	ra_log_set_verbosity(quiet ? RA_QUIET : verbose ? RA_VERBOSE : RA_NORMAL);
	if (quiet && o->progress < 0)
		o->progress = 0;
	if (mode == RA_RUNOPTS_EVALUATE && optind < argc)
		o->pack = argv[optind++];
	if (optind < argc)
		return bad(cmd, "unexpected argument \"%.60s\"", argv[optind]);
	if (o->template_dir == NULL)
		o->template_dir = o->template_dir_owned =
		    ra_default_template_dir();
	return 0;
}

static int
readable(const char *what, const char *path, char *err, size_t errsz)
{
	struct stat st;

	if (path == NULL)
		return 0;
	if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
		snprintf(err, errsz, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "%s %s: is a directory", what, path);
		return -1;
	}
	return 0;
}

int
ra_runopts_check_inputs(const struct ra_runopts *o, char *err, size_t errsz)
{
	struct stat st;

	if (readable("--baseline", o->baseline, err, errsz) != 0 ||
	    readable("--waivers", o->waivers, err, errsz) != 0 ||
	    readable("--terraform-state", o->tfstate, err, errsz) != 0 ||
	    readable("--cacert", o->cacert, err, errsz) != 0 ||
	    readable("--sign", o->sign, err, errsz) != 0 ||
	    readable("--statement-file", o->statement_file, err, errsz) != 0)
		return -1;
	if ((o->formats & RA_FMT_MD) && (stat(o->template_dir, &st) != 0 ||
	    !S_ISDIR(st.st_mode))) {
		snprintf(err, errsz, "--template-dir %s: not a directory",
		    o->template_dir);
		return -1;
	}
	return 0;
}

void
ra_runopts_free(struct ra_runopts *o)
{
	free(o->template_dir_owned);
	o->template_dir_owned = NULL;
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
ra_default_template_dir(void)
{
	static const char *const rel[] = {
		"../share/residency-audit/templates", "../templates",
		"../../templates"
	};
	const char *env = getenv("RESIDENCY_AUDIT_TEMPLATES");
	char exe[PATH_MAX];
	ssize_t n;

	if (env != NULL && *env != '\0')
		return ra_strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			char *p = ra_asprintf("%s/%s", exe, rel[i]);

			if (is_dir(p))
				return p;
			free(p);
		}
	}
	return ra_strdup(RA_DATADIR "/templates");
}

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

void
ra_signals_watch(const char *tmp_dir)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tmp_dir != NULL ? on_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
ra_interrupted(void)
{
	return (int)got_signal;
}
