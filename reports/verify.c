/*
 * verify.c: `residency-audit verify PACK [--pubkey PEM]`. An auditor's
 * check that needs no trust in whoever produced the pack:
 *
 *   1. SHA256SUMS parses, every file it lists exists with that digest,
 *      and no other file is in the pack (but SHA256SUMS, its signature
 *      and the attestation);
 *   2. when signed: SHA256SUMS.sig and attestation.dsse.json verify
 *      with --pubkey, and the attestation's subjects are SHA256SUMS;
 *   3. raw/ is evaluated again under the pack's own inventory.json at the
 *      reports' asOf, the waivers recorded in the reports re-applied,
 *      and every report JSON's findings, summary and verdict must equal
 *      the re-derived ones.
 *
 * Exit: 0 verified, 1 verification failed (one line naming the file or
 * the finding), 3 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "clock.h"
#include "evaluate.h"
#include "evidence.h"
#include "inventory.h"
#include "jsonutil.h"
#include "log.h"
#include "pack.h"
#include "postproc.h"
#include "report.h"
#include "util.h"

static int
is_top_extra(const char *p)
{
	return strcmp(p, RA_PACK_SUMS) == 0 || strcmp(p, RA_PACK_SIG) == 0 ||
	    strcmp(p, RA_PACK_ATTESTATION) == 0;
}

/* Step 1. 0 or -1 with err naming the file. */
static int
check_digests(const char *pack, struct ra_sum **sumsp, size_t *nsumsp,
    char *err, size_t errsz)
{
	char *path, *text = NULL, hex[RA_SHA256_HEX], **files = NULL;
	const char **listed = NULL;
	size_t len = 0, n = 0, nfiles = 0;
	struct ra_sum *v = NULL;
	int rc = -1;

	path = ra_asprintf("%s/%s", pack, RA_PACK_SUMS);
	if (ra_file_read(&text, &len, path, RA_SUMS_MAX) != 0) {
		snprintf(err, errsz, "%s: missing or unreadable", RA_PACK_SUMS);
		goto out;
	}
	if (ra_sums_parse(&v, &n, text, len, err, errsz) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		free(path);
		path = ra_asprintf("%s/%s", pack, v[i].path);
		if (is_top_extra(v[i].path)) {
			snprintf(err, errsz, "%s: must not be listed in %s",
			    v[i].path, RA_PACK_SUMS);
			goto out;
		}
		if (ra_sha256_file(path, hex) != 0) {
			snprintf(err, errsz, "%s: listed in %s but missing",
			    v[i].path, RA_PACK_SUMS);
			goto out;
		}
		if (strcmp(hex, v[i].sha256) != 0) {
			snprintf(err, errsz, "%s: digest differs from %s",
			    v[i].path, RA_PACK_SUMS);
			goto out;
		}
	}
	if (ra_pack_files(&files, &nfiles, pack, 1, err, errsz) != 0)
		goto out;
	/* every file must be listed: a sorted index of the listed paths
	 * keeps this linear-logarithmic for packs of many thousand files */
	listed = ra_calloc(n, sizeof(*listed));
	for (size_t i = 0; i < n; i++)
		listed[i] = v[i].path;
	if (n > 0)
		qsort(listed, n, sizeof(*listed), ra_strp_cmp);
	for (size_t i = 0; i < nfiles; i++) {
		if (n == 0 || bsearch(&files[i], listed, n, sizeof(*listed),
		    ra_strp_cmp) == NULL) {
			char name[256];

			ra_sanitize_text(files[i], name, sizeof(name));
			snprintf(err, errsz, "%s: not listed in %s (an extra "
			    "file)", name, RA_PACK_SUMS);
			goto out;
		}
	}
	*sumsp = v;
	*nsumsp = n;
	v = NULL;
	rc = 0;
out:
	ra_sums_free(v, n);
	ra_pack_files_free(files, nfiles);
	free(listed);
	free(path);
	free(text);
	return rc;
}

static int
exists(const char *pack, const char *name)
{
	char *p = ra_asprintf("%s/%s", pack, name);
	struct stat st;
	int r = lstat(p, &st) == 0;

	free(p);
	return r;
}

/* A member's JSON text, "absent" when missing: for messages. */
static void
show(const cJSON *o, const char *k, char *out, size_t outsz)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, k);
	char *t = m != NULL ? cJSON_PrintUnformatted(m) : NULL;

	ra_sanitize_text(t != NULL ? t : "absent", out, outsz);
	free(t);
}

static const char *const finding_fields[] = {
	"control", "projectId", "projectName", "resource", "status",
	"expected", "observed", "detail", "evidence"
};

/* Compares a report with the re-derived one; -1 with err on the first
 * difference. *nfound counts the findings compared. */
static int
compare_report(const char *name, const cJSON *got, const cJSON *want,
    size_t *nfound, char *err, size_t errsz)
{
	const cJSON *ga = ra_json_arr(got, "findings");
	const cJSON *wa = ra_json_arr(want, "findings");
	const cJSON *g, *w;
	char a[160], b[160], c[96], r[160];
	int i = 0;

	for (g = ga->child, w = wa->child; g != NULL && w != NULL;
	    g = g->next, w = w->next, i++) {
		for (size_t k = 0; k < sizeof(finding_fields) /
		    sizeof(finding_fields[0]); k++) {
			const char *fk = finding_fields[k];

			if (cJSON_Compare(cJSON_GetObjectItemCaseSensitive(g,
			    fk), cJSON_GetObjectItemCaseSensitive(w, fk),
			    1))
				continue;
			show(w, "control", c, sizeof(c));
			show(w, "resource", r, sizeof(r));
			show(g, fk, a, sizeof(a));
			show(w, fk, b, sizeof(b));
			snprintf(err, errsz, "%s: finding %d (%s %s): %s is %s "
			    "in the report, %s re-derived", name, i, c, r, fk,
			    a, b);
			return -1;
		}
	}
	if (g != NULL || w != NULL) {
		snprintf(err, errsz, "%s: %d findings in the report, %d "
		    "re-derived", name, cJSON_GetArraySize(ga),
		    cJSON_GetArraySize(wa));
		return -1;
	}
	for (size_t k = 0; k < 4; k++) {
		static const char *const top[] = { "verdict", "summary",
		    "orgId", "inventoryDigest" };

		if (!cJSON_Compare(cJSON_GetObjectItemCaseSensitive(got,
		    top[k]), cJSON_GetObjectItemCaseSensitive(want, top[k]),
		    1)) {
			show(got, top[k], a, sizeof(a));
			show(want, top[k], b, sizeof(b));
			snprintf(err, errsz, "%s: %s is %s in the report, %s "
			    "re-derived", name, top[k], a, b);
			return -1;
		}
	}
	*nfound += (size_t)i;
	return 0;
}

/* Step 3. */
static int
rederive(const char *pack, size_t *nfound, char *err, size_t errsz)
{
	struct ra_inventory *inv = NULL;
	struct ra_evaluation ev;
	struct ra_report_input in;
	cJSON **reps = NULL, *waivers = NULL, *wr = NULL, *mine = NULL;
	char *path = NULL, today[16];
	const char *asof = NULL;
	time_t t = 0;
	int rc = -1, evok = 0;
	size_t nj = 0;

	memset(&ev, 0, sizeof(ev));
	path = ra_asprintf("%s/inventory.json", pack);
	if (ra_inventory_load(&inv, path, err, errsz) != 0)
		goto out;
	nj = inv->njurisdictions;
	reps = ra_calloc(nj + 1, sizeof(*reps));
	waivers = cJSON_CreateArray();
	for (size_t i = 0; i < nj; i++) {
		const char *key = inv->jurisdictions[i].key;
		const cJSON *f;
		char *name;

		/* checked first: ra_report_file_name reports unsafe keys */
		if (!ra_is_safe_component(key))
			continue;
		name = ra_report_file_name(&inv->jurisdictions[i], ".json");
		if (!exists(pack, name)) {
			free(name);
			continue;
		}
		free(path);
		path = ra_asprintf("%s/%s", pack, name);
		reps[i] = ra_report_load(path, err, errsz);
		if (reps[i] == NULL) {
			free(name);
			goto out;
		}
		if (strcmp(ra_json_str(reps[i], "jurisdiction"), key) != 0) {
			snprintf(err, errsz, "%s: jurisdiction is not \"%s\"",
			    name, key);
			free(name);
			goto out;
		}
		if (asof == NULL)
			asof = ra_json_str(reps[i], "asOf");
		else if (strcmp(asof, ra_json_str(reps[i], "asOf")) != 0) {
			snprintf(err, errsz, "%s: asOf differs from the other "
			    "reports", name);
			free(name);
			goto out;
		}
		free(name);
		cJSON_ArrayForEach(f, ra_json_arr(reps[i], "findings")) {
			const cJSON *w = ra_json_obj(f, "waiver");

			if (w != NULL)
				cJSON_AddItemToArray(waivers,
				    cJSON_Duplicate(w, 1));
		}
	}
	if (asof == NULL) {
		rc = 0;		/* no report JSON: digests are all we have */
		goto out;
	}
	if (ra_time_parse(asof, &t) != 0) {
		snprintf(err, errsz, "report asOf \"%.40s\" is not a time",
		    asof);
		goto out;
	}
	ra_clock_set(t);
	if (ra_evaluate(&ev, pack, inv, err, errsz) != 0)
		goto out;
	evok = 1;
	ra_time_date(t, today, sizeof(today));
	wr = ra_waivers_apply(waivers, &ev.findings, today);
	memset(&in, 0, sizeof(in));
	in.model = ev.model;
	in.inv = inv;
	in.findings = &ev.findings;
	in.as_of = t;
	for (size_t i = 0; i < nj; i++) {
		char *name;
		int c;

		if (reps[i] == NULL)
			continue;
		mine = ra_report_json(&in, &inv->jurisdictions[i]);
		name = ra_report_file_name(&inv->jurisdictions[i], ".json");
		c = compare_report(name, reps[i], mine, nfound, err, errsz);
		free(name);
		cJSON_Delete(mine);
		mine = NULL;
		if (c != 0)
			goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; reps != NULL && i < nj; i++)
		cJSON_Delete(reps[i]);
	free(reps);
	cJSON_Delete(waivers);
	cJSON_Delete(wr);
	cJSON_Delete(mine);
	if (evok)
		ra_evaluation_free(&ev);
	ra_inventory_free(inv);
	free(path);
	return rc;
}

static const char verify_usage[] =
"usage: residency-audit verify PACK [--pubkey PEM]\n"
"\n"
"Checks every digest of SHA256SUMS, that no file is missing or extra,\n"
"the signature and attestation when the pack is signed (--pubkey), and\n"
"re-evaluates raw/ to confirm every finding of the report JSON.\n"
"exit status: 0 verified, 1 verification failed, 3 usage.\n";

int
ra_verify_main(int argc, char **argv)
{
	const char *pack = NULL, *pub = NULL;
	struct ra_sum *sums = NULL;
	size_t nsums = 0, nfound = 0;
	char err[1024];
	int rc = RA_EXIT_USAGE, sig, att, usage = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			fputs(verify_usage, stdout);
			return RA_EXIT_OK;
		} else if (strcmp(argv[i], "--pubkey") == 0 && i + 1 < argc)
			pub = argv[++i];
		else if (strncmp(argv[i], "--pubkey=", 9) == 0)
			pub = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "residency-audit: verify: unknown or "
			    "incomplete option %.40s (see residency-audit "
			    "verify --help)\n", argv[i]);
			return RA_EXIT_USAGE;
		} else if (pack == NULL)
			pack = argv[i];
		else {
			fputs("residency-audit: verify: one PACK only (see "
			    "residency-audit verify --help)\n", stderr);
			return RA_EXIT_USAGE;
		}
	}
	if (pack == NULL) {
		fputs("residency-audit: verify: missing PACK (see "
		    "residency-audit verify --help)\n", stderr);
		return RA_EXIT_USAGE;
	}
	rc = RA_EXIT_FAIL;
	if (check_digests(pack, &sums, &nsums, err, sizeof(err)) != 0) {
		ra_error("verify: %s", err);
		goto out;
	}
	sig = exists(pack, RA_PACK_SIG);
	att = exists(pack, RA_PACK_ATTESTATION);
	if ((sig || att) && pub == NULL) {
		ra_error("verify: %s: the pack is signed: give the signer's "
		    "public key with --pubkey PEM", pack);
		rc = RA_EXIT_USAGE;
		goto out;
	}
	if (pub != NULL && (!sig || !att)) {
		ra_error("verify: %s: missing (--pubkey given but the pack is "
		    "not fully signed)", sig ? RA_PACK_ATTESTATION :
		    RA_PACK_SIG);
		goto out;
	}
	if (pub != NULL && ra_sign_verify_pack(pack, pub, &usage, err,
	    sizeof(err)) != 0) {
		ra_error("verify: %s", err);
		if (usage)
			rc = RA_EXIT_USAGE;
		goto out;
	}
	if (rederive(pack, &nfound, err, sizeof(err)) != 0) {
		ra_error("verify: %s", err);
		goto out;
	}
	printf("verified: %zu files, %zu findings re-derived, signature %s\n",
	    nsums, nfound, pub != NULL ? "ok" : "absent");
	rc = fflush(stdout) == 0 ? RA_EXIT_OK : RA_EXIT_RUNTIME;
out:
	ra_sums_free(sums, nsums);
	return rc;
}
