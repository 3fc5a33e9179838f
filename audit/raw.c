/*
 * raw.c: the raw evidence files of a pack (raw.h, CONTRACT §3).
 *
 * Writing: the body verbatim, then the metadata object printed with
 * ra_json_print in the documented key order. Loading is strict: every
 * file under raw/ must be <seq>.json or <seq>.meta.json with the seq
 * printed as "%05u", every meta field must have its documented type,
 * and each body must match the size and digest its meta names; anything
 * else means the pack is damaged and is an error naming the file.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "jsonutil.h"
#include "log.h"
#include "raw.h"
#include "util.h"

#define RAW_META_MAX	(64 * 1024)	/* bound on one meta file */
#define RAW_MAX_RECORDS	1000000u	/* bound on the records of a pack */
#define RAW_MAX_SEQ	99999u		/* 5 digits */

static const char *const raw_outcomes[] = {
	"ok", "http-error", "transport-error", "too-large", "truncated",
	"loop", "not-followed"
};

static int	is_hex64(const char *);

/*
 * The meta document, byte for byte what ra_json_print prints for the
 * object of the documented keys (two-space indent, the same escapes),
 * written directly: a cJSON tree per record cost more than the rest of
 * writing raw/ (issue 7).
 */
/* A JSON string exactly as ra_json_print writes it, or null. */
static void
meta_string(struct ra_buf *b, const char *s)
{
	if (s == NULL)
		ra_buf_adds(b, "null");
	else
		ra_json_print_string(b, s);
}

static void
meta_key_str(struct ra_buf *b, const char *indent, const char *key,
    const char *v)
{
	ra_buf_printf(b, "%s\"%s\": ", indent, key);
	meta_string(b, v);
	ra_buf_adds(b, ",\n");
}

/* Writes rec's meta document to raw/<seq>.meta.json (raw/ exists). */
static int
meta_write(const char *pack_dir, const struct ra_raw_record *rec)
{
	struct ra_buf b;
	char *mpath = NULL;
	int rc = -1, saved = 0;

	ra_buf_init(&b, 0);
	ra_buf_printf(&b, "{\n  \"seq\": %u,\n", rec->seq);
	meta_key_str(&b, "  ", "endpoint", rec->endpoint);
	meta_key_str(&b, "  ", "orgId", rec->org_id);
	meta_key_str(&b, "  ", "groupId", rec->group_id);
	meta_key_str(&b, "  ", "cluster", rec->cluster);
	if (rec->page >= 1)
		ra_buf_printf(&b, "  \"page\": %d,\n", rec->page);
	else
		ra_buf_adds(&b, "  \"page\": null,\n");
	meta_key_str(&b, "  ", "method", rec->method);
	meta_key_str(&b, "  ", "url", rec->url);
	meta_key_str(&b, "  ", "accept", rec->accept);
	ra_buf_printf(&b, "  \"status\": %d,\n", rec->status);
	meta_key_str(&b, "  ", "contentType", rec->content_type);
	ra_buf_adds(&b, "  \"rateLimit\": {\n    \"limit\": ");
	meta_string(&b, rec->ratelimit_limit);
	ra_buf_adds(&b, ",\n    \"remaining\": ");
	meta_string(&b, rec->ratelimit_remaining);
	ra_buf_adds(&b, "\n  },\n");
	meta_key_str(&b, "  ", "retryAfter", rec->retry_after);
	meta_key_str(&b, "  ", "receivedAt", rec->received_at);
	ra_buf_printf(&b, "  \"attempts\": %d,\n", rec->attempts);
	meta_key_str(&b, "  ", "outcome", rec->outcome);
	meta_key_str(&b, "  ", "error", rec->error);
	meta_key_str(&b, "  ", "body", rec->body_file);
	ra_buf_printf(&b, "  \"bytes\": %zu,\n", rec->bytes);
	meta_key_str(&b, "  ", "sha256", rec->body_file ? rec->sha256 : NULL);
	ra_buf_printf(&b, "  \"listComplete\": %s\n}\n",
	    rec->list_complete < 0 ? "null" : rec->list_complete ? "true" :
	    "false");
	if (b.err) {
		errno = ENOMEM;
		goto out;
	}
	mpath = ra_asprintf("%s/%s/%05u.meta.json", pack_dir, RA_RAW_DIR,
	    rec->seq);
	if (ra_file_write(mpath, b.data, b.len) != 0)
		goto out;
	rc = 0;
out:
	saved = errno;
	ra_buf_free(&b);
	free(mpath);
	errno = saved;
	return rc;
}

int
ra_raw_write(const char *pack_dir, struct ra_raw_record *rec,
    const void *body, size_t len)
{
	char *dir = NULL, *bpath = NULL;
	int rc = -1, saved = 0;

	dir = ra_asprintf("%s/%s", pack_dir, RA_RAW_DIR);
	if (ra_mkdir_p(dir) != 0)
		goto out;
	free(rec->body_file);
	rec->body_file = NULL;
	rec->bytes = 0;
	rec->sha256[0] = '\0';
	if (body != NULL) {
		rec->body_file = ra_asprintf("%s/%05u.json", RA_RAW_DIR,
		    rec->seq);
		bpath = ra_asprintf("%s/%s", pack_dir, rec->body_file);
		if (ra_file_write(bpath, body, len) != 0)
			goto out;
		rec->bytes = len;
		ra_sha256_hex(body, len, rec->sha256);
	}
	if (meta_write(pack_dir, rec) != 0)
		goto out;
	rc = 0;
out:
	saved = errno;
	free(bpath);
	free(dir);
	errno = saved;
	return rc;
}

int
ra_raw_write_meta(const char *pack_dir, const struct ra_raw_record *rec)
{
	char *dir = NULL;
	int rc = -1, saved = 0;

	if (meta_write(pack_dir, rec) == 0) {
		rc = 0;
		goto out;
	}
	if (errno != ENOENT)
		goto out;
	dir = ra_asprintf("%s/%s", pack_dir, RA_RAW_DIR);
	if (ra_mkdir_p(dir) != 0 || meta_write(pack_dir, rec) != 0)
		goto out;
	rc = 0;
out:
	saved = errno;
	free(dir);
	errno = saved;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Digests of files this process wrote (raw.h: ra_raw_trust)           */

struct trusted {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 ctim;		/* any write or rename changes it */
	size_t		 order;		/* insertion: the latest one wins */
	unsigned char	 md[32];
};

/* Appended by ra_raw_trust, sorted (dev, ino) at the first lookup. */
static struct {
	struct trusted	*v;
	size_t		 cap, n, next;
	int		 sorted, atexit_done;
} trust;

static int
cmp_trusted(const void *pa, const void *pb)
{
	const struct trusted *a = pa, *b = pb;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return (a->order < b->order) - (a->order > b->order); /* latest first */
}

static int
unhex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c - 'a' + 10;
}

/* The digest remembered for the file st describes, if it is unchanged. */
static const char *
trust_match(const struct stat *st, char hex[RA_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	struct trusted key, *t;
	size_t k;

	if (trust.n == 0)
		return NULL;
	if (!trust.sorted) {
		qsort(trust.v, trust.n, sizeof(*trust.v), cmp_trusted);
		for (size_t i = k = 0; i < trust.n; i++)	/* keep latest */
			if (k == 0 || trust.v[i].dev != trust.v[k - 1].dev ||
			    trust.v[i].ino != trust.v[k - 1].ino)
				trust.v[k++] = trust.v[i];
		trust.n = k;
		trust.sorted = 1;
	}
	key.dev = st->st_dev;
	key.ino = st->st_ino;
	for (size_t lo = 0, hi = trust.n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		t = &trust.v[mid];
		if (t->dev == key.dev && t->ino == key.ino) {
			if (t->size != st->st_size ||
			    t->ctim.tv_sec != st->st_ctim.tv_sec ||
			    t->ctim.tv_nsec != st->st_ctim.tv_nsec)
				return NULL;
			for (k = 0; k < 32; k++) {
				hex[2 * k] = digits[t->md[k] >> 4];
				hex[2 * k + 1] = digits[t->md[k] & 15];
			}
			hex[64] = '\0';
			return hex;
		}
		if (t->dev < key.dev || (t->dev == key.dev && t->ino < key.ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
ra_raw_trust(const char *path, const char *hex)
{
	struct stat st;
	struct trusted *t;

	if (stat(path, &st) != 0 || !is_hex64(hex))
		return;		/* not remembered: it will be hashed */
	if (!trust.atexit_done) {
		atexit(ra_raw_trust_clear);
		trust.atexit_done = 1;
	}
	if (trust.n == trust.cap) {
		trust.cap = trust.cap ? trust.cap * 2 : 1024;
		trust.v = ra_realloc(trust.v, trust.cap * sizeof(*trust.v));
	}
	t = &trust.v[trust.n++];
	memset(t, 0, sizeof(*t));
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->size = st.st_size;
	t->ctim = st.st_ctim;
	t->order = trust.next++;
	for (size_t k = 0; k < 32; k++)
		t->md[k] = (unsigned char)(unhex(hex[2 * k]) << 4 |
		    unhex(hex[2 * k + 1]));
	trust.sorted = 0;
}

int
ra_raw_trusted_digest(const char *path, char hex[RA_SHA256_HEX])
{
	struct stat st;
	char h[RA_SHA256_HEX];

	if (trust.n == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    trust_match(&st, h) == NULL)
		return 0;
	memcpy(hex, h, RA_SHA256_HEX);
	return 1;
}

void
ra_raw_trust_clear(void)
{
	free(trust.v);
	trust.v = NULL;
	trust.cap = trust.n = 0;
	trust.sorted = 0;
}

/*
 * Classifies a directory entry name: 1 for "<seq>.meta.json", 2 for
 * "<seq>.json" (seq printed exactly as "%05u"), 0 for anything else.
 */
static int
classify_name(const char *name, unsigned *seq)
{
	char want[64];
	unsigned long v;
	char *end = NULL;
	int kind = 0;

	if (name[0] < '0' || name[0] > '9')
		return 0;
	errno = 0;
	v = strtoul(name, &end, 10);
	if (errno != 0 || v > RAW_MAX_SEQ)
		return 0;
	if (strcmp(end, ".meta.json") == 0)
		kind = 1;
	else if (strcmp(end, ".json") == 0)
		kind = 2;
	else
		return 0;
	snprintf(want, sizeof(want), "%05lu%s", v, end);
	if (strcmp(want, name) != 0)
		return 0;
	*seq = (unsigned)v;
	return kind;
}

/* Strict field readers: -1 with a message naming the key on mismatch. */
static int
meta_strnull(const cJSON *o, const char *key, char **out, int nullable,
    char *why, size_t whysz)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (v == NULL) {
		snprintf(why, whysz, "%s is missing", key);
		return -1;
	}
	if (cJSON_IsNull(v) && nullable)
		return 0;
	if (!cJSON_IsString(v)) {
		snprintf(why, whysz, "%s is not a string%s", key,
		    nullable ? " or null" : "");
		return -1;
	}
	*out = ra_strdup(v->valuestring);
	return 0;
}

static int
meta_int(const cJSON *o, const char *key, long long lo, long long hi,
    int nullable, long long *out, int *isnull, char *why, size_t whysz)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (isnull != NULL)
		*isnull = 0;
	if (v == NULL) {
		snprintf(why, whysz, "%s is missing", key);
		return -1;
	}
	if (cJSON_IsNull(v) && nullable) {
		*isnull = 1;
		return 0;
	}
	if (ra_json_int(o, key, out) != 0 || *out < lo || *out > hi) {
		snprintf(why, whysz, "%s is not an integer in [%lld, %lld]",
		    key, lo, hi);
		return -1;
	}
	return 0;
}

static int
is_hex64(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

/* Every string member of a record (offsets into the struct). */
static const size_t raw_strings[] = {
	offsetof(struct ra_raw_record, endpoint),
	offsetof(struct ra_raw_record, org_id),
	offsetof(struct ra_raw_record, group_id),
	offsetof(struct ra_raw_record, cluster),
	offsetof(struct ra_raw_record, method),
	offsetof(struct ra_raw_record, url),
	offsetof(struct ra_raw_record, accept),
	offsetof(struct ra_raw_record, content_type),
	offsetof(struct ra_raw_record, ratelimit_limit),
	offsetof(struct ra_raw_record, ratelimit_remaining),
	offsetof(struct ra_raw_record, retry_after),
	offsetof(struct ra_raw_record, received_at),
	offsetof(struct ra_raw_record, outcome),
	offsetof(struct ra_raw_record, error),
	offsetof(struct ra_raw_record, body_file),
	offsetof(struct ra_raw_record, meta_file),
};
#define NRAW_STRINGS	(sizeof(raw_strings) / sizeof(*raw_strings))

static char **
raw_string(struct ra_raw_record *rec, size_t i)
{
	return (char **)(void *)((char *)rec + raw_strings[i]);
}

/* Moves every string member of rec into one block (rec->strings). */
static void
pack_strings(struct ra_raw_record *rec)
{
	size_t total = 0, len;
	char *block, *p, **s;

	for (size_t i = 0; i < NRAW_STRINGS; i++)
		if (*(s = raw_string(rec, i)) != NULL)
			total += strlen(*s) + 1;
	p = block = ra_malloc(total ? total : 1);
	for (size_t i = 0; i < NRAW_STRINGS; i++) {
		if (*(s = raw_string(rec, i)) == NULL)
			continue;
		len = strlen(*s) + 1;
		memcpy(p, *s, len);
		free(*s);
		*s = p;
		p += len;
	}
	rec->strings = block;
}

/* The keys of a meta document, sorted (strcmp) for bsearch. */
static const char *const meta_keys[] = {
	"accept", "attempts", "body", "bytes", "cluster", "contentType",
	"endpoint", "error", "groupId", "listComplete", "method", "orgId",
	"outcome", "page", "rateLimit", "receivedAt", "retryAfter", "seq",
	"sha256", "status", "url"
};

static int
cmp_key(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

/* Parses one meta document into rec; why gets the reason on failure. */
static int
meta_parse(struct ra_raw_record *rec, unsigned name_seq, const char *text,
    size_t len, char *why, size_t whysz)
{
	cJSON *root = NULL;
	const cJSON *c, *rl;
	char *sha = NULL, *tmp = NULL;
	long long v;
	int isnull, rc = -1, found;
	char perr[128];

	if ((root = ra_json_parse(text, len, perr, sizeof(perr))) == NULL) {
		snprintf(why, whysz, "%s", perr);
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		snprintf(why, whysz, "not a JSON object");
		goto out;
	}
	for (c = root->child; c != NULL; c = c->next) {
		if (bsearch(c->string, meta_keys, sizeof(meta_keys) /
		    sizeof(*meta_keys), sizeof(*meta_keys), cmp_key) == NULL) {
			char k[64];

			ra_sanitize_text(c->string, k, sizeof(k));
			snprintf(why, whysz, "unknown key \"%s\"", k);
			goto out;
		}
	}
	if (meta_int(root, "seq", 0, RAW_MAX_SEQ, 0, &v, NULL, why, whysz))
		goto out;
	if ((unsigned)v != name_seq) {
		snprintf(why, whysz, "seq %lld does not match the file name", v);
		goto out;
	}
	rec->seq = (unsigned)v;
	if (meta_strnull(root, "endpoint", &rec->endpoint, 0, why, whysz) ||
	    meta_strnull(root, "orgId", &rec->org_id, 1, why, whysz) ||
	    meta_strnull(root, "groupId", &rec->group_id, 1, why, whysz) ||
	    meta_strnull(root, "cluster", &rec->cluster, 1, why, whysz))
		goto out;
	if (meta_int(root, "page", 1, INT_MAX, 1, &v, &isnull, why, whysz))
		goto out;
	rec->page = isnull ? 0 : (int)v;
	if (meta_strnull(root, "method", &rec->method, 0, why, whysz) ||
	    meta_strnull(root, "url", &rec->url, 0, why, whysz) ||
	    meta_strnull(root, "accept", &rec->accept, 0, why, whysz))
		goto out;
	if (meta_int(root, "status", 0, 999, 0, &v, NULL, why, whysz))
		goto out;
	rec->status = (int)v;
	if (meta_strnull(root, "contentType", &rec->content_type, 1, why,
	    whysz))
		goto out;
	if ((rl = ra_json_obj(root, "rateLimit")) == NULL) {
		snprintf(why, whysz, "rateLimit is not an object");
		goto out;
	}
	for (c = rl->child; c != NULL; c = c->next)
		if (strcmp(c->string, "limit") != 0 &&
		    strcmp(c->string, "remaining") != 0) {
			snprintf(why, whysz, "rateLimit has an unknown key");
			goto out;
		}
	if (meta_strnull(rl, "limit", &rec->ratelimit_limit, 1, why, whysz) ||
	    meta_strnull(rl, "remaining", &rec->ratelimit_remaining, 1, why,
	    whysz) ||
	    meta_strnull(root, "retryAfter", &rec->retry_after, 1, why,
	    whysz) ||
	    meta_strnull(root, "receivedAt", &rec->received_at, 0, why, whysz))
		goto out;
	if (meta_int(root, "attempts", 1, 1000, 0, &v, NULL, why, whysz))
		goto out;
	rec->attempts = (int)v;
	if (meta_strnull(root, "outcome", &rec->outcome, 0, why, whysz))
		goto out;
	found = 0;
	for (size_t i = 0; i < sizeof(raw_outcomes) / sizeof(*raw_outcomes);
	    i++)
		if (strcmp(rec->outcome, raw_outcomes[i]) == 0)
			found = 1;
	if (!found) {
		snprintf(why, whysz, "outcome is not a known outcome");
		goto out;
	}
	if (meta_strnull(root, "error", &rec->error, 1, why, whysz) ||
	    meta_strnull(root, "body", &rec->body_file, 1, why, whysz))
		goto out;
	if (meta_int(root, "bytes", 0, (long long)1 << 40, 0, &v, NULL, why,
	    whysz))
		goto out;
	rec->bytes = (size_t)v;
	if (meta_strnull(root, "sha256", &sha, 1, why, whysz))
		goto out;
	if (rec->body_file != NULL) {
		tmp = ra_asprintf("%s/%05u.json", RA_RAW_DIR, rec->seq);
		if (strcmp(tmp, rec->body_file) != 0) {
			snprintf(why, whysz, "body is not \"%s\"", tmp);
			goto out;
		}
		if (sha == NULL || !is_hex64(sha)) {
			snprintf(why, whysz, "sha256 is not 64 lowercase hex "
			    "digits");
			goto out;
		}
		memcpy(rec->sha256, sha, RA_SHA256_HEX);
	} else if (sha != NULL || rec->bytes != 0) {
		snprintf(why, whysz, "body is null but sha256 or bytes is set");
		goto out;
	}
	c = cJSON_GetObjectItemCaseSensitive(root, "listComplete");
	if (c == NULL) {
		snprintf(why, whysz, "listComplete is missing");
		goto out;
	}
	if (cJSON_IsNull(c))
		rec->list_complete = -1;
	else if (cJSON_IsBool(c))
		rec->list_complete = cJSON_IsTrue(c);
	else {
		snprintf(why, whysz, "listComplete is not a boolean or null");
		goto out;
	}
	rc = 0;
out:
	free(sha);
	free(tmp);
	cJSON_Delete(root);
	return rc;
}

struct raw_name {
	unsigned seq;
	int	 kind;
	int	 used;
};

/* By kind, then seq: bodies are found by bsearch, not a scan per meta. */
static int
cmp_name(const void *pa, const void *pb)
{
	const struct raw_name *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return 0;
}

int
ra_raw_load(const char *pack_dir, struct ra_raw_record **out, size_t *nout,
    char *err, size_t errsz)
{
	struct ra_raw_record *v = NULL;
	struct raw_name *names = NULL;
	size_t n = 0, nnames = 0, capn = 0;
	char *dir = NULL, *path = NULL, *text = NULL;
	DIR *d = NULL;
	struct dirent *e;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	dir = ra_asprintf("%s/%s", pack_dir, RA_RAW_DIR);
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errsz, "%s/: cannot open: %s", RA_RAW_DIR,
		    strerror(errno));
		goto out;
	}
	while ((e = readdir(d)) != NULL) {
		unsigned seq = 0;
		int kind;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		kind = classify_name(e->d_name, &seq);
		free(path);
		path = ra_asprintf("%s/%s", dir, e->d_name);
		if (kind == 0 || !S_ISREG(ra_dirent_type(path, e))) {
			char safe[96];

			ra_sanitize_text(e->d_name, safe, sizeof(safe));
			snprintf(err, errsz, "%s/%s: unexpected file", RA_RAW_DIR,
			    safe);
			goto out;
		}
		if (nnames == RAW_MAX_RECORDS * 2) {
			snprintf(err, errsz, "%s/: too many files", RA_RAW_DIR);
			goto out;
		}
		if (nnames == capn) {
			capn = capn ? capn * 2 : 64;
			names = ra_realloc(names, capn * sizeof(*names));
		}
		names[nnames].seq = seq;
		names[nnames].kind = kind;
		names[nnames].used = 0;
		nnames++;
	}
	closedir(d);
	d = NULL;
	if (nnames > 1)
		qsort(names, nnames, sizeof(*names), cmp_name);

	{
		size_t nmeta = 0;

		/* one record per meta (bodies are about as many again) */
		for (size_t i = 0; i < nnames; i++)
			nmeta += names[i].kind == 1;
		v = ra_calloc(nmeta ? nmeta : 1, sizeof(*v));
	}
	for (size_t i = 0; i < nnames; i++) {
		struct ra_raw_record *rec;
		char why[192], got[RA_SHA256_HEX];
		struct stat st;
		size_t len = 0;

		if (names[i].kind != 1)
			continue;
		rec = &v[n++];
		rec->list_complete = -1;
		rec->meta_file = ra_asprintf("%s/%05u.meta.json", RA_RAW_DIR,
		    names[i].seq);
		free(path);
		path = ra_asprintf("%s/%s", pack_dir, rec->meta_file);
		free(text);
		text = NULL;
		if (ra_file_read(&text, &len, path, RAW_META_MAX) != 0) {
			snprintf(err, errsz, "%s: cannot read: %s",
			    rec->meta_file, errno == EFBIG ? "too large" :
			    strerror(errno));
			goto out;
		}
		ra_sha256_hex(text, len, rec->meta_sha256);
		if (meta_parse(rec, names[i].seq, text, len, why,
		    sizeof(why)) != 0) {
			snprintf(err, errsz, "%s: %s", rec->meta_file, why);
			goto out;
		}
		pack_strings(rec);
		if (rec->body_file == NULL)
			continue;
		{
			struct raw_name key = { rec->seq, 2, 0 }, *hit;

			hit = nnames ? bsearch(&key, names, nnames,
			    sizeof(*names), cmp_name) : NULL;
			if (hit != NULL)
				hit->used = 1;
		}
		free(path);
		path = ra_asprintf("%s/%s", pack_dir, rec->body_file);
		if (stat(path, &st) != 0) {
			snprintf(err, errsz, "%s: missing (named by %s)",
			    rec->body_file, rec->meta_file);
			goto out;
		}
		if ((size_t)st.st_size != rec->bytes) {
			snprintf(err, errsz, "%s: %lld bytes, %s says %zu: the "
			    "pack is damaged", rec->body_file,
			    (long long)st.st_size, rec->meta_file, rec->bytes);
			goto out;
		}
		/* a body this process wrote and hashed is not read again */
		if (trust_match(&st, got) == NULL &&
		    ra_sha256_file(path, got) != 0) {
			snprintf(err, errsz, "%s: cannot read: %s",
			    rec->body_file, strerror(errno));
			goto out;
		}
		if (strcmp(got, rec->sha256) != 0) {
			snprintf(err, errsz, "%s: sha256 does not match %s: the "
			    "pack is damaged", rec->body_file, rec->meta_file);
			goto out;
		}
	}
	for (size_t j = 0; j < nnames; j++)
		if (names[j].kind == 2 && !names[j].used) {
			snprintf(err, errsz, "%s/%05u.json: unexpected file (no "
			    "metadata names it)", RA_RAW_DIR, names[j].seq);
			goto out;
		}
	/* v is in seq order already: names are sorted by (kind, seq) */
	for (size_t i = 1; i < n; i++)
		if (v[i].seq == v[i - 1].seq) {
			snprintf(err, errsz, "%s: duplicate seq %u",
			    v[i].meta_file, v[i].seq);
			goto out;
		}
	*out = v;
	*nout = n;
	v = NULL;
	n = 0;
	rc = 0;
out:
	if (d != NULL)
		closedir(d);
	ra_raw_records_free(v, n);
	free(names);
	free(text);
	free(path);
	free(dir);
	return rc;
}

int
ra_raw_read_body(const char *pack_dir, const struct ra_raw_record *rec,
    char **out, size_t *len)
{
	char *path = NULL, want[64];
	int rc = -1;

	*out = NULL;
	if (len != NULL)
		*len = 0;
	snprintf(want, sizeof(want), "%s/%05u.json", RA_RAW_DIR, rec->seq);
	if (rec->body_file == NULL || strcmp(rec->body_file, want) != 0) {
		errno = ENOENT;
		goto out;
	}
	path = ra_asprintf("%s/%s", pack_dir, rec->body_file);
	rc = ra_file_read(out, len, path, rec->bytes);
out:
	free(path);
	return rc;
}

void
ra_raw_record_clear(struct ra_raw_record *rec)
{
	if (rec == NULL)
		return;
	if (rec->strings != NULL)
		free(rec->strings);
	else
		for (size_t i = 0; i < NRAW_STRINGS; i++)
			free(*raw_string(rec, i));
	memset(rec, 0, sizeof(*rec));
	rec->list_complete = -1;
}

void
ra_raw_records_free(struct ra_raw_record *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		ra_raw_record_clear(&v[i]);
	free(v);
}
