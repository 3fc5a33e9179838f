/*
 * raw.h: the raw evidence of a pack (CONTRACT §3). Every HTTP exchange
 * (and every data-plane probe read) is one record:
 *
 *   raw/<seq>.json        the response body, byte for byte (absent when
 *                         no body was received)
 *   raw/<seq>.meta.json   the record's metadata, below
 *
 * <seq> is a zero-padded 5-digit decimal ("00007"). Sequence numbers are
 * assigned after collection in a canonical order (endpoint table order,
 * then orgId, groupId, cluster, page, all compared bytewise), so the same
 * world audited twice under the same --as-of gives the same files.
 *
 * Metadata (one JSON object, written with ra_json_print):
 *   seq            integer
 *   endpoint       endpoint id (endpoints.h), or "probe:<name>" for the
 *                  data-plane probe
 *   orgId, groupId, cluster   strings or null, the scope of the request
 *   page           integer >= 1 for paged listings, else null
 *   method         "GET"
 *   url            the full URL, no credentials (query included)
 *   accept         the media type sent
 *   status         HTTP status of the final attempt, 0 when none
 *   contentType    response Content-Type or null
 *   rateLimit      {"limit": str|null, "remaining": str|null}
 *   retryAfter     the Retry-After header of the final attempt or null
 *   receivedAt     RFC 3339 UTC from the injectable clock
 *   attempts       integer >= 1 (retries + 1)
 *   outcome        "ok" | "http-error" | "transport-error" | "too-large"
 *                  | "truncated" | "loop" | "not-followed"
 *   error          one line (no secrets) or null
 *   body           "raw/<seq>.json" or null
 *   bytes          body length
 *   sha256         body digest (hex) or null
 *   listComplete   on paged listings, in the record of the LAST page
 *                  fetched: true when every page was fetched, false
 *                  otherwise; null elsewhere
 *
 * The model is built only from these files (ARCHITECTURE: live and
 * offline share one path), so a verdict can be re-derived from a pack.
 */
#ifndef RA_RAW_H
#define RA_RAW_H

#include <stddef.h>

#include "util.h"

#define RA_RAW_DIR	"raw"

struct ra_raw_record {
	unsigned	 seq;
	char		*endpoint;
	char		*org_id;	/* NULL when not applicable */
	char		*group_id;
	char		*cluster;
	int		 page;		/* 0 when not paged */
	char		*method;
	char		*url;
	char		*accept;
	int		 status;	/* 0: no HTTP response */
	char		*content_type;
	char		*ratelimit_limit;
	char		*ratelimit_remaining;
	char		*retry_after;
	char		*received_at;
	int		 attempts;
	char		*outcome;
	char		*error;
	char		*body_file;	/* "raw/00007.json" or NULL */
	size_t		 bytes;
	char		 sha256[RA_SHA256_HEX];	/* "" when no body */
	int		 list_complete;	/* -1 n/a, 0 false, 1 true */
	/* filled by ra_raw_load only: */
	char		*meta_file;	/* "raw/00007.meta.json" */
	char		 meta_sha256[RA_SHA256_HEX];
	/* set by ra_raw_load: every string member above points into this
	 * one block (an org's records are tens of thousands; one block
	 * each instead of fifteen strings) and is freed with it */
	char		*strings;
};

/*
 * Writes raw/<seq>.json (when body != NULL) and raw/<seq>.meta.json under
 * pack_dir, setting rec->body_file, bytes and sha256 from the body.
 * Returns 0, or -1 with errno (the caller reports the path).
 */
int	ra_raw_write(const char *pack_dir, struct ra_raw_record *rec,
	    const void *body, size_t len);

/*
 * Writes raw/<seq>.meta.json only: the body, when rec->body_file is set,
 * is already in place under pack_dir with rec->bytes and rec->sha256 set
 * by the caller (the collector renames its spooled bodies there rather
 * than copying them). Returns 0, or -1 with errno.
 */
int	ra_raw_write_meta(const char *pack_dir,
	    const struct ra_raw_record *rec);

/*
 * Digests this process computed from bytes it wrote itself. ra_raw_trust
 * remembers the file at path as it is now (device, inode, size,
 * modification and change times) with its sha256 hex digest; the
 * collector calls it for each body it renames into raw/. ra_raw_load
 * does not hash such a body again while the file is unchanged (it still
 * checks the size and that the meta names that digest), and
 * ra_raw_trusted_digest returns 1 with the digest for it (SHA256SUMS),
 * else 0. Nothing else is trusted: a pack from elsewhere, or a body
 * written by ra_raw_write, is always hashed. The identity check does not
 * notice a same-size rewrite in place within the file system's timestamp
 * granularity: only fresh files in the pack directory of this very run
 * are trusted, from their writing to SHA256SUMS. Process-local;
 * ra_raw_trust_clear forgets everything (also run at exit).
 */
void	ra_raw_trust(const char *path, const char *hex);
int	ra_raw_trusted_digest(const char *path, char hex[RA_SHA256_HEX]);
void	ra_raw_trust_clear(void);

/*
 * Loads every raw/<seq>.meta.json of pack_dir, sorted by seq. A meta file
 * that does not parse, or a missing body it names, is an error (the pack
 * is damaged). Returns 0 or -1 with a one-line reason in err.
 */
int	ra_raw_load(const char *pack_dir, struct ra_raw_record **out,
	    size_t *nout, char *err, size_t errsz);

/* Reads a record's body (NUL-terminated copy) from pack_dir. */
int	ra_raw_read_body(const char *pack_dir, const struct ra_raw_record *rec,
	    char **out, size_t *len);

void	ra_raw_record_clear(struct ra_raw_record *rec);
void	ra_raw_records_free(struct ra_raw_record *v, size_t n);

#endif
