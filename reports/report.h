/*
 * report.h: the pack's report renderers (CONTRACT §3, §4; ARCHITECTURE
 * "Renderers are a table too"). Every renderer writes its files into the
 * pack's temporary directory; the pack (pack.h) makes them visible
 * atomically. Renderers take everything from ra_report_input and never
 * touch the network or the clock.
 */
#ifndef RA_REPORT_H
#define RA_REPORT_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "finding.h"
#include "inventory.h"
#include "model.h"
#include "utf8clean.h"
#include "util.h"

#define RA_REPORT_SCHEMA	"residency-audit/report/v1"
#define RA_TOOL_NAME		"residency-audit"
#define RA_MD_TEMPLATE		"residency-evidence.md.mustache"
/* Rows of the Markdown evidence index; the rest are named by reference
 * to raw/ *.meta.json and SHA256SUMS. */
#define RA_MD_INDEX_MAX		500

/* ADR-020 §1, the customer-facing language for procurement. */
#define RA_DEFAULT_STATEMENT \
	"Operational metadata (user identities, tenant configuration, " \
	"billing) is processed in our EU control plane under Standard " \
	"Contractual Clauses and the EU-US Data Privacy Framework. " \
	"Customer security posture data \xe2\x80\x94 entities, findings, " \
	"evidence packs, audit trails \xe2\x80\x94 is residency-pinned to " \
	"the contracted region and never leaves it."

struct ra_report_input {
	const struct ra_model *model;	/* org, policies, non-compliant,
					   clusters, stats, records */
	const struct ra_inventory *inv;	/* jurisdictions (one report each),
					   digest */
	const struct ra_findings *findings; /* all findings, sorted
					   (ra_findings_sort) */
	time_t	 as_of;			/* ra_clock_now() */
	const char *template_dir;	/* holds RA_MD_TEMPLATE and partials */
	const char *statement;		/* override, or NULL: ADR §1 wording */
	/* NULL, or an object whose member named after a jurisdiction key is
	 * that jurisdiction's drift object (copied as "drift") */
	const cJSON *drift;
	/* NULL, or the expired/stale waiver lists (copied as "waivers" into
	 * every report) */
	const cJSON *waivers_report;
};

enum { RA_FMT_MD = 1, RA_FMT_JSON = 2, RA_FMT_JUNIT = 4, RA_FMT_SARIF = 8 };

/*
 * A renderer writes its files into dir (the pack's temporary directory)
 * and returns 0, or -1 after reporting the failure with ra_error naming
 * the file.
 */
typedef int (*ra_report_write_fn)(const char *dir,
	    const struct ra_report_input *in);

struct ra_renderer {
	unsigned	 fmt;		/* one RA_FMT_* bit */
	const char	*name;		/* "md", "json", as --format spells it */
	ra_report_write_fn write;
};

/* The table, in writing order (renderers.c). New formats add a row. */
extern const struct ra_renderer	ra_renderers[];
extern const size_t		ra_nrenderers;

/* The renderers of the table. */
int	ra_report_write_md(const char *dir, const struct ra_report_input *in);
int	ra_report_write_json(const char *dir, const struct ra_report_input *in);
/* residency-audit.junit.xml (junit.c) and residency-audit.sarif (sarif.c). */
int	ra_report_write_junit(const char *dir, const struct ra_report_input *in);
int	ra_report_write_sarif(const char *dir, const struct ra_report_input *in);

/*
 * Writes every requested format into dir, in table order. The first
 * format that fails is reported (ra_error with the file) and stops the
 * writing: the caller abandons the pack, so one reason is enough.
 * Returns -1 then, 0 otherwise.
 */
int	ra_reports_write(const char *dir, const struct ra_report_input *in,
	    unsigned formats);

/*
 * The report JSON of one jurisdiction (CONTRACT §4) as a cJSON tree the
 * caller frees: the findings whose jurisdiction is j->key plus those with
 * none, in the input's (sorted) order. NULL only on allocation failure.
 */
cJSON	*ra_report_json(const struct ra_report_input *in,
	    const struct ra_jurisdiction *j);

/*
 * "non-compliant" if any FAIL, else "incomplete" if any ERROR, else
 * "compliant", over the findings that go into the report of
 * `jurisdiction` (its own and those with none); jurisdiction NULL:
 * over every finding (the run's overall verdict).
 */
const char *ra_verdict(const struct ra_findings *fs, const char *jurisdiction);

/*
 * Writes dir/name (name must be a safe component) for a renderer;
 * reports a failure with ra_error naming the file. 0 or -1.
 */
int	ra_report_write_file(const char *dir, const char *name,
	    const void *data, size_t len);

/*
 * A report file written as it is produced: ra_report_stream_open
 * creates dir/name (a safe component) and points `b` at it through a
 * 64 KiB buffer (buf.h sink), with clean_utf8 through a
 * ra_utf8_stream (the file holds ra_utf8_clean of what was appended);
 * the renderer appends to `b`; ra_report_stream_close(s, ok) hands on
 * the rest and closes. A stream that failed (out of memory, the disk)
 * or that the renderer gave up on (ok 0) leaves no file behind. Both
 * report their own failures with ra_error naming the file and return 0
 * or -1; close always releases the stream and returns 0 only when the
 * whole file is written and ok is set.
 */
struct ra_report_stream {
	struct ra_buf		 b;
	struct ra_utf8_stream	 u;
	struct ra_wfile		 f;
	char			*path;
};

int	ra_report_stream_open(struct ra_report_stream *s, const char *dir,
	    const char *name, int clean_utf8);
int	ra_report_stream_close(struct ra_report_stream *s, int ok);

/* 1 when finding f goes into the report of jurisdiction key j. */
int	ra_report_includes(const struct ra_finding *f, const char *j);

/* The audited org id: the inventory's, else the model's, else NULL. */
const char *ra_report_org(const struct ra_report_input *in);

/*
 * The inventory digest as every format prints it, "sha256:<hex>",
 * written into buf; NULL when the input has no inventory digest.
 */
#define RA_REPORT_DIGEST_SZ	(RA_SHA256_HEX + 8)
const char *ra_report_digest(const struct ra_report_input *in,
	    char buf[RA_REPORT_DIGEST_SZ]);

/*
 * The file name of j's report, "residency-evidence-<key><suffix>"
 * (suffix ".md", ".json"), malloc'd; NULL after ra_error naming the
 * (sanitized) key when the key is not a safe file name component.
 */
char	*ra_report_file_name(const struct ra_jurisdiction *j,
	    const char *suffix);

/*
 * The Markdown view of one jurisdiction: the report JSON plus the
 * derived sections the template reads (documented in md.c). Caller frees.
 */
cJSON	*ra_md_view(const struct ra_report_input *in,
	    const struct ra_jurisdiction *j);

/*
 * Renders the Markdown of one jurisdiction with in->template_dir's
 * RA_MD_TEMPLATE (partials from the same directory), appending to out.
 * Returns 0, or -1 with one line in err.
 */
int	ra_md_render(struct ra_buf *out, const struct ra_report_input *in,
	    const struct ra_jurisdiction *j, char *err, size_t errsz);

/*
 * A backtick fence for a fenced code block holding `s`: one backtick
 * longer than the longest run of backticks in s, at least three.
 * malloc'd.
 */
char	*ra_md_fence(const char *s);

#endif
