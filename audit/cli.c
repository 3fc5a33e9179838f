/*
 * cli.c: the command line of CONTRACT §1 and the exit codes of §7.
 * Thin by design (STYLE 1): it parses and validates options, reads the
 * environment, and calls the library: collect (run only) -> evaluate ->
 * reports -> pack. Only this file decides exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atlas.h"
#include "cli.h"
#include "clock.h"
#include "collect.h"
#include "evaluate.h"
#include "inventory.h"
#include "log.h"
#include "pack.h"
#include "probe.h"
#include "raw.h"
#include "regions.h"
#include "postproc.h"
#include "render.h"
#include "report.h"
#include "runopts.h"
#include "util.h"

static const char usage_text[] =
"usage: residency-audit <command> [options]\n"
"\n"
"Proves where MongoDB Atlas data lives: audits every project of an\n"
"organization against its jurisdiction and writes a dated evidence pack.\n"
"\n"
"commands:\n"
"  run      [options]              audit Atlas, write a dated pack\n"
"  evaluate PACK [options]         re-evaluate PACK's raw evidence offline,\n"
"                                  write a new pack\n"
"  verify   PACK [--pubkey PEM]    check digests and signature, re-evaluate,\n"
"                                  confirm every verdict\n"
"  render   --template FILE REPORT.json\n"
"                                  render a Mustache template to stdout\n"
"  controls [--json]               list the controls\n"
"  regions  [--json]               print the region catalogue\n"
"  --help | --version\n"
"\n"
"run options:\n"
"  -i, --inventory FILE     the inventory (default ./residency.json)\n"
"  -o, --out DIR            root of the packs (default ./evidence)\n"
"      --base-url URL       Atlas base URL (env MONGODB_ATLAS_BASE_URL;\n"
"                           default https://cloud.mongodb.com)\n"
"      --as-of T            audit date YYYY-MM-DD or an RFC 3339 UTC instant\n"
"                           (YYYY-MM-DDThh:mm:ss[.frac]Z; default now);\n"
"                           makes packs reproducible\n"
"      --format LIST        comma list of md,json,junit,sarif (default md,json)\n"
"      --baseline FILE      a previous report JSON: adds a drift section\n"
"      --waivers FILE       waivers (JSON)\n"
"      --terraform-state F  terraform.tfstate to compare resource policies\n"
"      --concurrency N      requests in flight (default 64, 1..512)\n"
"      --cacert FILE        CA bundle for TLS (default: system store)\n"
"      --sign KEY.pem       Ed25519 or ECDSA P-256 key: signs the pack\n"
"      --template-dir DIR   Markdown templates (default: installed ones)\n"
"      --statement-file F   customer-facing residency statement for the\n"
"                           Markdown (default: the ADR-020 §1 wording)\n"
"      --soft-fail          exit 0 on FAIL/ERROR; the pack still records them\n"
"      --force              replace an existing pack of the same date\n"
"  -q, --quiet              errors only\n"
"  -v, --verbose            debug log (never secrets)\n"
"      --progress, --no-progress\n"
"                           progress bar (default: on a terminal)\n"
"\n"
"evaluate takes run's output options and --inventory (default: the pack's\n"
"own inventory.json); it reads nothing from the network.\n"
"\n"
"credentials (environment only):\n"
"  MONGODB_ATLAS_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET   service account\n"
"  MONGODB_ATLAS_PUBLIC_API_KEY, MONGODB_ATLAS_PRIVATE_API_KEY  API key\n"
"\n"
"exit status: 0 compliant, 1 non-compliant (FAIL), 2 incomplete (ERROR),\n"
"3 usage, inventory or credential error, 4 runtime failure (no pack).\n";

static void
usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("residency-audit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see residency-audit --help)\n", stderr);
}

/* Exit code from findings (CONTRACT §7). */
static int
exit_for(const struct ra_findings *fs, int soft_fail)
{
	int fail = 0, error = 0;

	for (size_t i = 0; i < fs->n; i++) {
		if (fs->v[i].status == RA_FAIL)
			fail = 1;
		else if (fs->v[i].status == RA_ERROR)
			error = 1;
	}
	if (soft_fail)
		return RA_EXIT_OK;
	return fail ? RA_EXIT_FAIL : error ? RA_EXIT_INCOMPLETE : RA_EXIT_OK;
}

static void
print_summary(const struct ra_pack *pack, const struct ra_inventory *inv,
    const struct ra_findings *fs)
{
	for (size_t j = 0; j < inv->njurisdictions; j++) {
		unsigned c[RA_NSTATUS] = { 0 };
		const char *key = inv->jurisdictions[j].key;

		for (size_t i = 0; i < fs->n; i++)
			if (ra_report_includes(&fs->v[i], key))
				c[fs->v[i].status]++;
		ra_info("%s: %s (PASS %u, FAIL %u, ERROR %u, WAIVED %u, "
		    "SKIPPED %u)", key, ra_verdict(fs, key), c[RA_PASS],
		    c[RA_FAIL], c[RA_ERROR], c[RA_WAIVED], c[RA_SKIPPED]);
	}
	if (ra_log_verbosity() >= RA_NORMAL)
		printf("%s\n", pack->final_dir);
}

/*
 * Shared tail of run and evaluate: evaluate the pack's raw/, write
 * reports and SHA256SUMS, sign, commit. Returns the exit code.
 */
static int
finish_pack(struct ra_pack *pack, const struct ra_inventory *inv,
    const struct ra_runopts *o)
{
	struct ra_evaluation ev;
	struct ra_report_input in;
	struct ra_postproc post;
	char err[512], *statement = NULL;
	int rc = RA_EXIT_RUNTIME, ec;

	memset(&post, 0, sizeof(post));
	if (ra_evaluate(&ev, pack->tmp_dir, inv, err, sizeof(err)) != 0) {
		ra_error("%s", err);
		goto out;
	}
	if (ra_pack_write_file(pack, "inventory.json", inv->text,
	    inv->textlen) != 0) {
		ra_error("%s/inventory.json: %s", pack->tmp_dir, strerror(errno));
		goto out;
	}
	if (ra_postproc_apply(&post, o, inv, &ev.findings, err,
	    sizeof(err)) != 0) {
		ra_error("%s", err);
		rc = RA_EXIT_USAGE;
		goto out;
	}
	if (o->statement_file != NULL && ra_file_read(&statement, NULL,
	    o->statement_file, 64 * 1024) != 0) {
		ra_error("--statement-file %s: %s", o->statement_file,
		    errno == EFBIG ? "larger than 64 KiB" : strerror(errno));
		rc = RA_EXIT_USAGE;
		goto out;
	}
	if (statement != NULL) {
		size_t n = strlen(statement);

		while (n > 0 && (statement[n - 1] == '\n' ||
		    statement[n - 1] == '\r' || statement[n - 1] == ' '))
			statement[--n] = '\0';
	}
	memset(&in, 0, sizeof(in));
	in.statement = statement;
	in.model = ev.model;
	in.inv = inv;
	in.findings = &ev.findings;
	in.as_of = ra_clock_now();
	in.template_dir = o->template_dir;
	in.drift = post.drift;
	in.waivers_report = post.waivers_report;
	if (ra_reports_write(pack->tmp_dir, &in, o->formats) != 0)
		goto out;
	if (ra_pack_write_sums(pack, err, sizeof(err)) != 0) {
		ra_error("%s", err);
		goto out;
	}
	if (o->sign != NULL && ra_postproc_sign(pack, o, &in, err,
	    sizeof(err)) != 0) {
		ra_error("%s", err);
		goto out;
	}
	ec = exit_for(&ev.findings, o->soft_fail);
	if (ra_interrupted())
		goto out;	/* never commit after SIGINT/SIGTERM */
	if (ra_pack_commit(pack, o->force, err, sizeof(err)) != 0) {
		ra_error("%s", err);
		goto out;
	}
	print_summary(pack, inv, &ev.findings);
	rc = ec;
out:
	free(statement);
	ra_postproc_free(&post);
	ra_evaluation_free(&ev);
	return rc;
}

static int
read_credentials(struct ra_atlas_auth *auth)
{
	const char *cid = getenv("MONGODB_ATLAS_CLIENT_ID");
	const char *csec = getenv("MONGODB_ATLAS_CLIENT_SECRET");
	const char *pub = getenv("MONGODB_ATLAS_PUBLIC_API_KEY");
	const char *priv = getenv("MONGODB_ATLAS_PRIVATE_API_KEY");

	memset(auth, 0, sizeof(*auth));
	if (cid != NULL && *cid != '\0' && csec != NULL && *csec != '\0') {
		auth->kind = RA_AUTH_OAUTH;
		auth->id = cid;
		auth->secret = csec;
		return 0;
	}
	if (pub != NULL && *pub != '\0' && priv != NULL && *priv != '\0') {
		auth->kind = RA_AUTH_DIGEST;
		auth->id = pub;
		auth->secret = priv;
		return 0;
	}
	ra_error("no Atlas credentials: set MONGODB_ATLAS_CLIENT_ID and "
	    "MONGODB_ATLAS_CLIENT_SECRET (service account) or "
	    "MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY "
	    "(API key)");
	return -1;
}

/*
 * Checks the input files named by options (before any network I/O: a bad
 * waiver file or signing key is a usage error, exit 3). Returns 0 or -1
 * after printing one line.
 */
static int
check_inputs(const struct ra_runopts *o)
{
	char err[512];

	if (ra_runopts_check_inputs(o, err, sizeof(err)) != 0 ||
	    ra_postproc_check(o, err, sizeof(err)) != 0) {
		ra_error("%s", err);
		return -1;
	}
	return 0;
}

/* Starts the pack's temporary directory and watches for signals. */
static int
begin_pack(struct ra_pack *pack, const struct ra_runopts *o)
{
	char err[512];

	if (ra_pack_begin(pack, o->out, ra_clock_now(), o->force, err,
	    sizeof(err)) != 0) {
		ra_error("%s", err);
		return -1;
	}
	ra_signals_watch(pack->tmp_dir);
	return 0;
}

/*
 * The common exit path of run and evaluate: an interrupted run is
 * 128 + signal; a pack not committed is removed (earlier packs are never
 * touched). Returns the exit code.
 */
static int
end_pack(struct ra_pack *pack, int rc)
{
	if (ra_interrupted() && pack->tmp_dir != NULL) {
		ra_error("interrupted: no pack written");
		rc = 128 + ra_interrupted();
	}
	ra_signals_watch(NULL);
	if (pack->tmp_dir != NULL)
		ra_pack_abort(pack);
	ra_pack_free(pack);
	return rc;
}

static int
cmd_run(int argc, char **argv)
{
	struct ra_runopts o;
	struct ra_inventory *inv = NULL;
	struct ra_pack pack;
	struct ra_collect_opts co;
	struct ra_collect_result cr;
	char err[512];
	int rc = RA_EXIT_USAGE, usage = 0;

	memset(&pack, 0, sizeof(pack));
	if (ra_runopts_parse(&o, RA_RUNOPTS_RUN, argc, argv) != 0)
		return RA_EXIT_USAGE;
	if (o.help) {
		fputs(usage_text, stdout);
		return RA_EXIT_OK;
	}
	if (ra_atlas_url_allowed(o.base_url, err, sizeof(err)) != 1) {
		ra_error("--base-url %s", err);
		goto out;
	}
	if (ra_inventory_load(&inv, o.inventory, err, sizeof(err)) != 0) {
		ra_error("%s", err);
		goto out;
	}
	if (check_inputs(&o) != 0)
		goto out;
	memset(&co, 0, sizeof(co));
	ra_atlas_opts_default(&co.atlas);
	if (read_credentials(&co.atlas.auth) != 0)
		goto out;
	co.atlas.base_url = o.base_url;
	co.atlas.cacert = o.cacert;
	if (o.concurrency > 0)
		co.atlas.concurrency = o.concurrency;
	co.inv = inv;
	co.progress = o.progress;

	if (begin_pack(&pack, &o) != 0) {
		rc = RA_EXIT_RUNTIME;
		goto out;
	}
	memset(&cr, 0, sizeof(cr));
	if (ra_collect(&cr, &co, pack.tmp_dir, err, sizeof(err)) != 0) {
		if (!ra_interrupted())
			ra_error("%s", err);
		rc = cr.auth_failed ? RA_EXIT_USAGE : RA_EXIT_RUNTIME;
		goto out;
	}
	if (cr.auth_failed) {
		ra_error("Atlas refused the credentials: %s", cr.auth_error);
		rc = RA_EXIT_USAGE;
		goto out;
	}
	if (ra_probe_run(pack.tmp_dir, inv, cr.next_seq, &cr.next_seq, err,
	    sizeof(err)) != 0) {
		ra_error("%s", err);
		rc = RA_EXIT_RUNTIME;
		goto out;
	}
	if (ra_local_capture(pack.tmp_dir, inv, o.tfstate, cr.next_seq, &usage,
	    err, sizeof(err)) != 0) {
		ra_error("%s", err);
		rc = usage ? RA_EXIT_USAGE : RA_EXIT_RUNTIME;
		goto out;
	}
	rc = finish_pack(&pack, inv, &o);
out:
	rc = end_pack(&pack, rc);
	ra_inventory_free(inv);
	ra_runopts_free(&o);
	return rc;
}

static int
cmd_evaluate(int argc, char **argv)
{
	struct ra_runopts o;
	struct ra_inventory *inv = NULL;
	struct ra_pack pack;
	char err[512], *path = NULL;
	int rc = RA_EXIT_USAGE, usage = 0;
	unsigned next_seq = 0;

	memset(&pack, 0, sizeof(pack));
	if (ra_runopts_parse(&o, RA_RUNOPTS_EVALUATE, argc, argv) != 0)
		return RA_EXIT_USAGE;
	if (o.help) {
		fputs(usage_text, stdout);
		return RA_EXIT_OK;
	}
	if (o.pack == NULL) {
		usage_error("evaluate: missing PACK");
		goto out;
	}
	path = o.inventory_given ? ra_strdup(o.inventory) :
	    ra_asprintf("%s/inventory.json", o.pack);
	if (ra_inventory_load(&inv, path, err, sizeof(err)) != 0) {
		ra_error("%s", err);
		goto out;
	}
	if (check_inputs(&o) != 0)
		goto out;
	if (begin_pack(&pack, &o) != 0) {
		rc = RA_EXIT_RUNTIME;
		goto out;
	}
	if (ra_raw_copy(o.pack, pack.tmp_dir, o.tfstate != NULL, &next_seq, err,
	    sizeof(err)) != 0) {
		ra_error("%s", err);
		rc = RA_EXIT_RUNTIME;
		goto out;
	}
	if (o.tfstate != NULL && ra_local_capture(pack.tmp_dir,
	    &(struct ra_inventory){ .base_dir = inv->base_dir }, o.tfstate,
	    next_seq, &usage, err, sizeof(err)) != 0) {
		ra_error("%s", err);
		rc = usage ? RA_EXIT_USAGE : RA_EXIT_RUNTIME;
		goto out;
	}
	rc = finish_pack(&pack, inv, &o);
out:
	rc = end_pack(&pack, rc);
	ra_inventory_free(inv);
	ra_runopts_free(&o);
	free(path);
	return rc;
}

static int
cmd_list(int argc, char **argv, int regions)
{
	int json = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			printf("usage: residency-audit %s [--json]\n",
			    regions ? "regions" : "controls");
			return RA_EXIT_OK;
		} else {
			usage_error("%s: unknown option %s",
			    regions ? "regions" : "controls", argv[i]);
			return RA_EXIT_USAGE;
		}
	}
	if (regions)
		ra_regions_print(stdout, json);
	else
		ra_controls_print(stdout, json);
	return fflush(stdout) == 0 ? RA_EXIT_OK : RA_EXIT_RUNTIME;
}

int
ra_cli_main(int argc, char **argv)
{
	const char *cmd, *seam;

	/*
	 * Test seam (tests/integration/test_failing_disk.sh): with
	 * RA_TEST_FAIL_WRITES_AFTER=n every ra_file_write() after the n-th
	 * fails with EIO. Not an option: it is not part of the interface.
	 */
	if ((seam = getenv("RA_TEST_FAIL_WRITES_AFTER")) != NULL &&
	    seam[0] != '\0') {
		char *end;
		long n;

		errno = 0;
		n = strtol(seam, &end, 10);
		if (errno == 0 && *end == '\0' && n >= 0)
			ra_util_fail_writes_after(n);
	}
	if (argc < 2) {
		usage_error("missing command: run, evaluate, verify, render, "
		    "controls or regions");
		return RA_EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return RA_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("residency-audit %s\n", RA_VERSION);
		return RA_EXIT_OK;
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "evaluate") == 0)
		return cmd_evaluate(argc - 1, argv + 1);
	if (strcmp(cmd, "verify") == 0)
		return ra_verify_main(argc - 1, argv + 1);
	if (strcmp(cmd, "render") == 0)
		return ra_render_main(argc - 1, argv + 1);
	if (strcmp(cmd, "controls") == 0)
		return cmd_list(argc - 1, argv + 1, 0);
	if (strcmp(cmd, "regions") == 0)
		return cmd_list(argc - 1, argv + 1, 1);
	usage_error("unknown command \"%.40s\"", cmd);
	return RA_EXIT_USAGE;
}
