/*
 * sarif.c: residency-audit.sarif (CONTRACT §3, `--format sarif`), a SARIF
 * 2.1.0 log for code-scanning UIs and CI gates, valid against the OASIS
 * schema (../shared/schemas/sarif-schema-2.1.0.json).
 *
 * One run for the whole audit, whatever the number of jurisdictions:
 *   tool.driver.rules   one per control of the registry, in registry order
 *                       (ruleIndex is the index into ra_controls[]);
 *   invocations[0]      executionSuccessful false when any finding is
 *                       ERROR, with one error notification per ERROR;
 *   results             one per FAIL, ERROR and WAIVED finding, each once
 *                       (a finding without jurisdiction is in every report
 *                       but is one result here), in the findings' order.
 *
 * PASS and SKIPPED are not results. SARIF would allow them as kind
 * "pass" / "notApplicable" with level "none", but GitHub code scanning
 * turns every uploaded result into an alert whatever its kind, so each
 * of the hundreds of passing checks would open a "note" alert; the
 * Markdown and JSON reports carry them instead.
 *
 * Levels: FAIL "error"; ERROR "warning" (the evidence is missing, not
 * known to be wrong); WAIVED "note" with an accepted external
 * suppression holding the waiver, which GitHub shows as dismissed.
 * kind is "fail" throughout: SARIF requires level "none" for any other
 * kind (§3.27.9).
 *
 * partialFingerprints["residencyFinding/v1"] = sha256(control "|"
 * projectId "|" resource) lets a code-scanning service track a finding
 * across runs; automationDetails.id is "residency-audit/<asOf date>",
 * i.e. the category "residency-audit/" (stable across runs, so alerts
 * close when fixed) and the date as the run's instance id.
 *
 * Built as a cJSON tree and printed with ra_json_print: deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "clock.h"
#include "jsonutil.h"
#include "log.h"
#include "report.h"
#include "utf8clean.h"
#include "util.h"

#define SARIF_FILE	"residency-audit.sarif"
#define SARIF_SCHEMA	"https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_BASE	"PACK"
#define SARIF_FP_KEY	"residencyFinding/v1"

static const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

static void
add_text(cJSON *o, const char *key, const char *text)
{
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, key), "text",
	    text != NULL ? text : "");
}

/* A string member, or null when s is NULL. */
static void
add_str(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* "cluster-region" -> "ClusterRegion": SARIF §3.49.7 wants an
 * identifier-like rule name; the title is the short description. */
static char *
rule_name(const char *id)
{
	char *s = ra_malloc(strlen(id) + 1), *o = s;
	int up = 1;

	for (; *id != '\0'; id++) {
		if (*id == '-' || *id == '_' || *id == '.') {
			up = 1;
			continue;
		}
		*o++ = up && *id >= 'a' && *id <= 'z' ? *id - 'a' + 'A' : *id;
		up = 0;
	}
	*o = '\0';
	return s;
}

static cJSON *
rules_json(void)
{
	cJSON *a = cJSON_CreateArray(), *r, *p;
	char *name, *help;

	for (size_t i = 0; i < ra_ncontrols; i++) {
		const struct ra_control *c = &ra_controls[i];

		r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "id", c->id);
		name = rule_name(c->id);
		cJSON_AddStringToObject(r, "name", name);
		free(name);
		add_text(r, "shortDescription", c->title);
		add_text(r, "fullDescription", c->pass_when != NULL ?
		    c->pass_when : c->title);
		help = ra_asprintf("ADR-020 %s: PASS when %s. Endpoints read: "
		    "%s.", or_dash(c->adr), or_dash(c->pass_when),
		    or_dash(c->endpoints));
		add_text(r, "help", help);
		free(help);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(r,
		    "defaultConfiguration"), "level", "error");
		p = cJSON_AddObjectToObject(r, "properties");
		add_str(p, "adr", c->adr);
		add_str(p, "resource", c->resource);
		add_str(p, "endpoints", c->endpoints);
		cJSON_AddItemToArray(a, r);
	}
	return a;
}

/*
 * A URI reference for a pack-relative file name: bytes outside RFC 3986
 * unreserved characters and "/" are percent-encoded (the tool's own
 * names never need it; this keeps the URI valid whatever they are).
 */
static char *
uri_ref(const char *file)
{
	static const char hex[] = "0123456789ABCDEF";
	struct ra_buf b;
	char *s;

	ra_buf_init(&b, 0);
	for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			ra_buf_addc(&b, (char)*p);
		else {
			ra_buf_addc(&b, '%');
			ra_buf_addc(&b, hex[*p >> 4]);
			ra_buf_addc(&b, hex[*p & 15]);
		}
	}
	s = ra_buf_steal(&b);
	ra_buf_free(&b);
	return s != NULL ? s : ra_strdup("");
}

/*
 * The location of a finding: the first evidence file under the PACK base
 * (the inventory when the finding rests on no raw file: the expectation
 * always comes from it), and the logical resource.
 */
static cJSON *
location_json(const struct ra_report_input *in, const struct ra_finding *f)
{
	cJSON *locs = cJSON_CreateArray(), *loc, *pl, *al, *ll, *l;
	const char *org = ra_report_org(in);
	char *uri, *fqn;

	loc = cJSON_CreateObject();
	pl = cJSON_AddObjectToObject(loc, "physicalLocation");
	al = cJSON_AddObjectToObject(pl, "artifactLocation");
	uri = uri_ref(f->nevidence > 0 ? f->evidence[0].file :
	    "inventory.json");
	cJSON_AddStringToObject(al, "uri", uri);
	cJSON_AddStringToObject(al, "uriBaseId", SARIF_BASE);
	free(uri);
	ll = cJSON_AddArrayToObject(loc, "logicalLocations");
	l = cJSON_CreateObject();
	cJSON_AddStringToObject(l, "name", or_dash(f->resource));
	if (f->project_id != NULL)
		fqn = ra_asprintf("%s/%s/%s", or_dash(org), f->project_id,
		    or_dash(f->resource));
	else
		fqn = ra_asprintf("%s/%s", or_dash(org), or_dash(f->resource));
	cJSON_AddStringToObject(l, "fullyQualifiedName", fqn);
	free(fqn);
	cJSON_AddStringToObject(l, "kind", "resource");
	cJSON_AddItemToArray(ll, l);
	cJSON_AddItemToArray(locs, loc);
	return locs;
}

/* "<project>/<resource>: <detail> (observed: …; expected: …)" */
static char *
result_text(const struct ra_report_input *in, const struct ra_finding *f)
{
	const char *who = f->project_name;

	if (who == NULL)
		who = f->project_id;
	if (who == NULL)
		who = or_dash(ra_report_org(in));
	return ra_asprintf("%s/%s: %s (observed: %s; expected: %s)", who,
	    or_dash(f->resource), or_dash(f->detail), or_dash(f->observed),
	    or_dash(f->expected));
}

static cJSON *
fingerprints_json(const struct ra_finding *f)
{
	char hex[RA_SHA256_HEX], *key;
	cJSON *o = cJSON_CreateObject();

	key = ra_asprintf("%s|%s|%s", f->control,
	    f->project_id != NULL ? f->project_id : "",
	    f->resource != NULL ? f->resource : "");
	ra_sha256_hex(key, strlen(key), hex);
	cJSON_AddStringToObject(o, SARIF_FP_KEY, hex);
	free(key);
	return o;
}

/* The suppression of a WAIVED finding: the waiver, accepted. */
static cJSON *
suppressions_json(const struct ra_finding *f)
{
	cJSON *a = cJSON_CreateArray(), *s, *w = NULL, *p;
	const char *reason, *by, *exp;

	if (f->waiver_json != NULL)
		w = ra_json_parse(f->waiver_json, strlen(f->waiver_json),
		    NULL, 0);
	reason = ra_json_str(w, "reason");
	by = ra_json_str(w, "approvedBy");
	exp = ra_json_str(w, "expires");
	s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "kind", "external");
	cJSON_AddStringToObject(s, "status", "accepted");
	if (reason != NULL)
		cJSON_AddStringToObject(s, "justification", reason);
	p = cJSON_AddObjectToObject(s, "properties");
	add_str(p, "approvedBy", by);
	add_str(p, "expires", exp);
	cJSON_AddItemToArray(a, s);
	cJSON_Delete(w);
	return a;
}

static cJSON *
result_json(const struct ra_report_input *in, const struct ra_finding *f)
{
	const struct ra_control *c = ra_control_find(f->control);
	cJSON *r = cJSON_CreateObject(), *p, *ev, *e;
	const char *level;
	char *text;

	level = f->status == RA_FAIL ? "error" :
	    f->status == RA_ERROR ? "warning" : "note";
	cJSON_AddStringToObject(r, "ruleId", f->control);
	if (c != NULL)
		cJSON_AddNumberToObject(r, "ruleIndex",
		    (double)(c - ra_controls));
	cJSON_AddStringToObject(r, "kind", "fail");
	cJSON_AddStringToObject(r, "level", level);
	text = result_text(in, f);
	add_text(r, "message", text);
	free(text);
	cJSON_AddItemToObject(r, "locations", location_json(in, f));
	cJSON_AddItemToObject(r, "partialFingerprints", fingerprints_json(f));
	if (f->status == RA_WAIVED)
		cJSON_AddItemToObject(r, "suppressions", suppressions_json(f));
	p = cJSON_AddObjectToObject(r, "properties");
	add_str(p, "jurisdiction", f->jurisdiction);
	add_str(p, "projectId", f->project_id);
	add_str(p, "projectName", f->project_name);
	add_str(p, "status", ra_status_name(f->status));
	ev = cJSON_AddArrayToObject(p, "evidence");
	for (size_t i = 0; i < f->nevidence; i++) {
		e = cJSON_CreateObject();
		add_str(e, "file", f->evidence[i].file);
		add_str(e, "sha256", f->evidence[i].sha256);
		cJSON_AddItemToArray(ev, e);
	}
	return r;
}

/* The tool notification of an ERROR finding. */
static cJSON *
notification_json(const struct ra_report_input *in,
    const struct ra_finding *f)
{
	const struct ra_control *c = ra_control_find(f->control);
	cJSON *n = cJSON_CreateObject(), *ar;
	char *text, *msg;

	text = result_text(in, f);
	msg = ra_asprintf("%s: evidence could not be obtained or "
	    "understood: %s", f->control, text);
	cJSON_AddItemToObject(n, "locations", location_json(in, f));
	add_text(n, "message", msg);
	cJSON_AddStringToObject(n, "level", "error");
	/* the control is a rule, so associatedRule (§3.58.6), not
	 * descriptor, which names a notification descriptor */
	ar = cJSON_AddObjectToObject(n, "associatedRule");
	cJSON_AddStringToObject(ar, "id", f->control);
	if (c != NULL)
		cJSON_AddNumberToObject(ar, "index", (double)(c - ra_controls));
	free(text);
	free(msg);
	return n;
}

/*
 * Makes every string of the tree valid UTF-8 (JSON consumers reject
 * anything else; cJSON and ra_json_print pass bytes through). Member
 * names come from the tool or from jurisdiction keys and are cleaned too.
 */
static int
clean_tree(cJSON *item)
{
	char *s;
	int rc = 0;

	for (; item != NULL && rc == 0; item = item->next) {
		/* a valid string (nearly all) is left as it is, uncopied */
		if (item->string != NULL &&
		    (item->type & cJSON_StringIsConst) == 0 &&
		    !ra_utf8_valid(item->string, strlen(item->string))) {
			s = ra_utf8_clean(item->string, RA_UTF8_JSON);
			cJSON_free(item->string);
			if ((item->string = cJSON_malloc(strlen(s) + 1)) ==
			    NULL)
				rc = -1;
			else
				memcpy(item->string, s, strlen(s) + 1);
			free(s);
		}
		if (rc == 0 && cJSON_IsString(item) &&
		    !ra_utf8_valid(item->valuestring,
		    strlen(item->valuestring))) {
			s = ra_utf8_clean(item->valuestring, RA_UTF8_JSON);
			if (cJSON_SetValuestring(item, s) == NULL)
				rc = -1;
			free(s);
		}
		if (rc == 0 && item->child != NULL)
			rc = clean_tree(item->child);
	}
	return rc;
}

static cJSON *
sarif_json(const struct ra_report_input *in)
{
	const struct ra_findings *fs = in->findings;
	cJSON *root, *runs, *run, *drv, *inv, *notes, *res, *p, *v;
	char asof[32], date[16], digest[RA_REPORT_DIGEST_SZ], *id;
	int errors = 0;

	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
	cJSON_AddStringToObject(root, "version", "2.1.0");
	runs = cJSON_AddArrayToObject(root, "runs");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);

	drv = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"),
	    "driver");
	cJSON_AddStringToObject(drv, "name", RA_TOOL_NAME);
	cJSON_AddStringToObject(drv, "version", RA_VERSION);
	cJSON_AddStringToObject(drv, "semanticVersion", RA_VERSION);
	cJSON_AddItemToObject(drv, "rules", rules_json());

	notes = cJSON_CreateArray();
	res = cJSON_CreateArray();
	for (size_t i = 0; fs != NULL && i < fs->n; i++) {
		const struct ra_finding *f = &fs->v[i];

		if (f->status == RA_ERROR) {
			errors++;
			cJSON_AddItemToArray(notes, notification_json(in, f));
		}
		if (f->status == RA_FAIL || f->status == RA_ERROR ||
		    f->status == RA_WAIVED)
			cJSON_AddItemToArray(res, result_json(in, f));
	}
	ra_time_rfc3339(in->as_of, asof, sizeof(asof));
	ra_time_date(in->as_of, date, sizeof(date));
	inv = cJSON_CreateObject();
	cJSON_AddBoolToObject(inv, "executionSuccessful", errors == 0);
	cJSON_AddStringToObject(inv, "endTimeUtc", asof);
	if (errors > 0)
		cJSON_AddItemToObject(inv, "toolExecutionNotifications", notes);
	else
		cJSON_Delete(notes);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"), inv);
	cJSON_AddItemToObject(run, "results", res);

	/* PACK is the pack's root directory (where SHA256SUMS is); its
	 * absolute location is not known when the log is written, which
	 * SARIF §3.14.14 expresses by an entry without "uri". */
	add_text(cJSON_AddObjectToObject(cJSON_AddObjectToObject(run,
	    "originalUriBaseIds"), SARIF_BASE), "description",
	    "the root of the residency evidence pack (the directory holding "
	    "SHA256SUMS)");
	id = ra_asprintf("%s/%s", RA_TOOL_NAME, date);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(run,
	    "automationDetails"), "id", id);
	free(id);

	p = cJSON_AddObjectToObject(run, "properties");
	add_str(p, "orgId", ra_report_org(in));
	cJSON_AddStringToObject(p, "asOf", asof);
	add_str(p, "inventoryDigest", ra_report_digest(in, digest));
	cJSON_AddStringToObject(p, "verdict", ra_verdict(fs, NULL));
	v = cJSON_AddObjectToObject(p, "verdicts");
	for (size_t i = 0; in->inv != NULL && i < in->inv->njurisdictions;
	    i++) {
		const char *key = in->inv->jurisdictions[i].key;

		cJSON_AddStringToObject(v, key, ra_verdict(fs, key));
	}
	return root;
}

int
ra_report_write_sarif(const char *dir, const struct ra_report_input *in)
{
	cJSON *root;
	char *text = NULL;
	int rc = -1;

	root = sarif_json(in);
	if (root != NULL && clean_tree(root) == 0)
		text = ra_json_print(root);
	if (text == NULL) {
		ra_error("%s/%s: out of memory", dir, SARIF_FILE);
		goto out;
	}
	if (ra_report_write_file(dir, SARIF_FILE, text, strlen(text)) != 0)
		goto out;
	rc = 0;
out:
	free(text);
	cJSON_Delete(root);
	return rc;
}
