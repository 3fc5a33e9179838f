/*
 * evidence.h: the pieces behind postproc.h (issue 5): waivers (CONTRACT
 * §6), baseline drift, pack signatures with an in-toto attestation, and
 * the report JSON reader that verify, evaluate and --baseline share.
 * Everything here is pure over its inputs except the file readers and
 * the signing and verifying of a pack directory.
 */
#ifndef RA_EVIDENCE_H
#define RA_EVIDENCE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "finding.h"

#define RA_WAIVERS_MAX		((size_t)4 << 20)	/* bytes */
#define RA_REPORT_MAX		((size_t)256 << 20)	/* bytes */
#define RA_SUMS_MAX		((size_t)256 << 20)	/* SHA256SUMS, bytes */
#define RA_DSSE_PAYLOAD_TYPE	"application/vnd.in-toto+json"
#define RA_INTOTO_STATEMENT	"https://in-toto.io/Statement/v1"
#define RA_PREDICATE_TYPE	"https://residency-audit.dev/evidence-pack/v1"

/* ---- waivers.c ---- */

/* A text parser of this header: ra_waivers_parse, ra_report_parse. */
typedef cJSON *(*ra_evidence_parse_fn)(const char *text, size_t len,
	    const char *name, char *err, size_t errsz);

/*
 * Reads path (at most max bytes) and returns parse(text, len, path, ...):
 * the tree (caller frees), or NULL with one line naming path in err.
 */
cJSON	*ra_evidence_load(const char *path, size_t max,
	    ra_evidence_parse_fn parse, char *err, size_t errsz);

/*
 * Parses and validates a waiver file's text: a JSON array of objects
 * {control, projectId (string, null or absent), resource, reason,
 * approvedBy, expires "YYYY-MM-DD"}, strictly typed, no other keys, every
 * control id known to the registry. `name` prefixes messages. Returns
 * the array (caller frees), or NULL with one line naming the JSON path
 * in err.
 */
cJSON	*ra_waivers_parse(const char *text, size_t len, const char *name,
	    char *err, size_t errsz);
/* ra_waivers_parse of a file (at most RA_WAIVERS_MAX bytes). */
cJSON	*ra_waivers_load(const char *path, char *err, size_t errsz);

/*
 * Applies validated waivers to fs on audit date `today` ("YYYY-MM-DD"):
 * a FAIL whose control, projectId and resource equal an unexpired
 * waiver's (expires >= today) becomes WAIVED with waiver_json set to the
 * waiver's text; the first such waiver wins. Returns the waiver report
 * {"expired": [waiver...], "stale": [waiver...], "notApplied":
 * [{"waiver": w, "reason": text}...]}: expired waivers (never applied),
 * waivers matching no finding, and unexpired ones that match only
 * findings that are not FAIL (ERROR is never waived). Caller frees.
 */
cJSON	*ra_waivers_apply(const cJSON *waivers, struct ra_findings *fs,
	    const char *today);

/* ---- drift.c ---- */

/*
 * Parses a report JSON (CONTRACT §4) of any tool version of schema
 * RA_REPORT_SCHEMA, checking what drift and verify read: jurisdiction,
 * asOf, tool {name, version}, findings[] {control, projectId|null,
 * resource, status (a status name), observed string|null}. Returns the
 * tree (caller frees) or NULL with one line (naming the JSON path, or
 * the schema found) in err; `name` prefixes messages.
 */
cJSON	*ra_report_parse(const char *text, size_t len, const char *name,
	    char *err, size_t errsz);
/* ra_report_parse of a file (at most RA_REPORT_MAX bytes). */
cJSON	*ra_report_load(const char *path, char *err, size_t errsz);

/*
 * The drift of the current findings against a parsed baseline report,
 * over the findings that go into the report of the baseline's
 * jurisdiction (ra_report_includes). Finding key: control, projectId,
 * resource. Returns {"baseline": {"asOf", "tool"}, "new": [...],
 * "resolved": [...], "changed": [...]}, each entry {control, projectId,
 * resource, before, after} with before/after {status, observed} or null
 * (new: before null; resolved: after null). "new" and "changed" follow
 * the order of fs, "resolved" the baseline's. Caller frees.
 */
cJSON	*ra_drift_compute(const cJSON *baseline, const struct ra_findings *fs);

/*
 * Adds to a Markdown view (md.c) the cell-ready sections the template's
 * drift and waiver parts read, from the view's own "drift" and
 * "waivers" members: hasDrift, driftBaselineAsOf, driftBaselineTool,
 * driftNone, driftRows[] {dKind, dControl, dProject, dResource, dBefore,
 * dAfter}; hasWaivers, waiverRows[] {wKind, wControl, wProject,
 * wResource, wExpires, wApprovedBy, wReason, wNote}, waiversNone.
 */
void	ra_md_add_postproc(cJSON *view);

/* ---- sign.c ---- */

/*
 * Checks that path holds an unencrypted Ed25519 or ECDSA P-256 private
 * key in PEM. 0, or -1 with one line in err (the caller exits 3).
 */
int	ra_sign_check_key(const char *path, char *err, size_t errsz);

/*
 * Signs the pack in dir (SHA256SUMS already written): writes
 * dir/SHA256SUMS.sig (raw signature over the SHA256SUMS bytes; Ed25519
 * pure, ECDSA over SHA-256 in DER) and dir/attestation.dsse.json (a DSSE
 * envelope around an in-toto Statement v1 whose subjects are the
 * entries of SHA256SUMS and whose predicate is `predicate`). 0 or -1
 * with err set.
 */
int	ra_sign_pack(const char *dir, const char *keypath,
	    const cJSON *predicate, char *err, size_t errsz);

/*
 * Verifies dir/SHA256SUMS.sig and dir/attestation.dsse.json with the
 * public key PEM at pubpath: both signatures, the payload type, the
 * statement type and that the subjects equal SHA256SUMS entry for entry.
 * 0, or -1 with one line naming the file in err; *usage set when the
 * public key itself cannot be used.
 */
int	ra_sign_verify_pack(const char *dir, const char *pubpath, int *usage,
	    char *err, size_t errsz);

/* One line of SHA256SUMS. */
struct ra_sum {
	char	*path;
	char	 sha256[RA_SHA256_HEX];
};

/*
 * Parses SHA256SUMS text ("<64 lowercase hex>  <relpath>\n" lines, each
 * relpath made of safe components, no duplicates). 0, or -1 with the
 * line number in err.
 */
int	ra_sums_parse(struct ra_sum **out, size_t *nout, const char *text,
	    size_t len, char *err, size_t errsz);
void	ra_sums_free(struct ra_sum *v, size_t n);

/* Standard base64 with padding; malloc'd. */
char	*ra_base64(const void *data, size_t len);
/* Decodes standard base64 (padding required); 0 or -1. *out malloc'd
 * and NUL-terminated. */
int	ra_unbase64(unsigned char **out, size_t *outlen, const char *s);
/* DSSE v1 pre-authentication encoding; malloc'd, length in *outlen. */
char	*ra_dsse_pae(const char *type, const void *body, size_t len,
	    size_t *outlen);

#endif
