/*
 * waivers.c: CONTRACT §6. A waiver turns one FAIL into WAIVED until the
 * day it expires; it never touches ERROR, PASS or SKIPPED. Every waiver
 * that did not apply is reported, so an auditor sees the stale and
 * expired ones beside the findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks.h"
#include "clock.h"
#include "evidence.h"
#include "jsonutil.h"
#include "log.h"
#include "util.h"

static const char *const waiver_keys[] = {
	"control", "projectId", "resource", "reason", "approvedBy", "expires"
};
#define NKEYS (sizeof(waiver_keys) / sizeof(waiver_keys[0]))

/* 1 when s is "YYYY-MM-DD" naming a real day. */
static int
is_date(const char *s)
{
	time_t t;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return ra_time_parse(s, &t) == 0;
}

/* Validates waiver i; 0 or -1 with err naming [i].key. */
static int
check_one(const cJSON *w, int i, const char *name, char *err, size_t errsz)
{
	const cJSON *m;
	const char *s;
	char key[64];
	size_t k;

	if (!cJSON_IsObject(w)) {
		snprintf(err, errsz, "%s: [%d]: not an object", name, i);
		return -1;
	}
	cJSON_ArrayForEach(m, w) {
		for (k = 0; k < NKEYS; k++)
			if (m->string != NULL &&
			    strcmp(m->string, waiver_keys[k]) == 0)
				break;
		if (k == NKEYS) {
			ra_sanitize_text(m->string != NULL ? m->string : "",
			    key, sizeof(key));
			snprintf(err, errsz, "%s: [%d].%s: unknown key", name,
			    i, key);
			return -1;
		}
	}
	for (k = 0; k < NKEYS; k++) {
		const char *kn = waiver_keys[k];
		int n = 0;

		/* a duplicate key would make the match ambiguous */
		cJSON_ArrayForEach(m, w)
			if (strcmp(m->string, kn) == 0)
				n++;
		if (n > 1) {
			snprintf(err, errsz, "%s: [%d].%s: duplicate key",
			    name, i, kn);
			return -1;
		}
		m = cJSON_GetObjectItemCaseSensitive(w, kn);
		if (strcmp(kn, "projectId") == 0) {
			if (m == NULL || cJSON_IsNull(m) ||
			    (cJSON_IsString(m) && *m->valuestring != '\0'))
				continue;
			snprintf(err, errsz, "%s: [%d].projectId: must be a "
			    "non-empty string or null", name, i);
			return -1;
		}
		if (m == NULL) {
			snprintf(err, errsz, "%s: [%d].%s: missing", name, i,
			    kn);
			return -1;
		}
		if (!cJSON_IsString(m) || *m->valuestring == '\0') {
			snprintf(err, errsz, "%s: [%d].%s: must be a non-empty "
			    "string", name, i, kn);
			return -1;
		}
	}
	s = ra_json_str(w, "control");
	if (ra_control_find(s) == NULL) {
		ra_sanitize_text(s, key, sizeof(key));
		snprintf(err, errsz, "%s: [%d].control: unknown control \"%s\"",
		    name, i, key);
		return -1;
	}
	if (!is_date(ra_json_str(w, "expires"))) {
		snprintf(err, errsz, "%s: [%d].expires: not a YYYY-MM-DD date",
		    name, i);
		return -1;
	}
	return 0;
}

cJSON *
ra_waivers_parse(const char *text, size_t len, const char *name, char *err,
    size_t errsz)
{
	cJSON *root, *w;
	char perr[256];
	int i = 0;

	if ((root = ra_json_parse(text, len, perr, sizeof(perr))) == NULL) {
		snprintf(err, errsz, "%s: not JSON: %s", name, perr);
		return NULL;
	}
	if (!cJSON_IsArray(root)) {
		snprintf(err, errsz, "%s: $: must be an array of waivers", name);
		goto bad;
	}
	cJSON_ArrayForEach(w, root) {
		if (check_one(w, i, name, err, errsz) != 0)
			goto bad;
		i++;
	}
	return root;
bad:
	cJSON_Delete(root);
	return NULL;
}

cJSON *
ra_evidence_load(const char *path, size_t max, ra_evidence_parse_fn parse,
    char *err, size_t errsz)
{
	char *text = NULL;
	size_t len = 0;
	cJSON *t = NULL;

	if (ra_file_read(&text, &len, path, max) != 0) {
		snprintf(err, errsz, "%s: cannot read (missing, unreadable or "
		    "larger than %zu bytes)", path, max);
		goto out;
	}
	t = parse(text, len, path, err, errsz);
out:
	free(text);
	return t;
}

cJSON *
ra_waivers_load(const char *path, char *err, size_t errsz)
{
	return ra_evidence_load(path, RA_WAIVERS_MAX, ra_waivers_parse, err,
	    errsz);
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
matches(const cJSON *w, const struct ra_finding *f)
{
	return same(ra_json_str(w, "control"), f->control) &&
	    same(ra_json_str(w, "projectId"), f->project_id) &&
	    same(ra_json_str(w, "resource"), f->resource);
}

cJSON *
ra_waivers_apply(const cJSON *waivers, struct ra_findings *fs,
    const char *today)
{
	cJSON *rep, *expired, *stale, *na, *x;
	const cJSON *w;

	rep = cJSON_CreateObject();
	expired = cJSON_AddArrayToObject(rep, "expired");
	stale = cJSON_AddArrayToObject(rep, "stale");
	na = cJSON_AddArrayToObject(rep, "notApplied");
	cJSON_ArrayForEach(w, waivers) {
		const char *exp = ra_json_str(w, "expires");
		const char *why = NULL;
		int matched = 0, applied = 0;

		if (exp == NULL || strcmp(exp, today) < 0) {
			cJSON_AddItemToArray(expired, cJSON_Duplicate(w, 1));
			continue;
		}
		for (size_t i = 0; i < fs->n; i++) {
			struct ra_finding *f = &fs->v[i];

			if (!matches(w, f))
				continue;
			matched = 1;
			if (f->status == RA_FAIL) {
				f->status = RA_WAIVED;
				free(f->waiver_json);
				f->waiver_json = cJSON_PrintUnformatted(w);
				applied = 1;
			} else if (f->status == RA_WAIVED)
				applied = 1;	/* an earlier waiver won */
			else if (f->status == RA_ERROR)
				why = "ERROR is never waived";
			else if (why == NULL)
				why = f->status == RA_PASS ?
				    "the finding is PASS: nothing to waive" :
				    "the finding is SKIPPED: nothing to waive";
		}
		if (!matched)
			cJSON_AddItemToArray(stale, cJSON_Duplicate(w, 1));
		else if (!applied) {
			x = cJSON_CreateObject();
			cJSON_AddItemToObject(x, "waiver",
			    cJSON_Duplicate(w, 1));
			cJSON_AddStringToObject(x, "reason", why);
			cJSON_AddItemToArray(na, x);
		}
	}
	return rep;
}
