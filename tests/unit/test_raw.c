/*
 * test_raw.c: raw evidence files. A record written with ra_raw_write
 * loads back field for field; a damaged pack (flipped byte, wrong size,
 * stray file, mistyped or unknown meta field, duplicate seq, missing or
 * orphan body) is an error naming the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "raw.h"
#include "util.h"

static char *
mkpack(void)
{
	char tmpl[] = "/tmp/ra-test-raw-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return ra_strdup(tmpl);
}

static void
full_record(struct ra_raw_record *r, unsigned seq)
{
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->endpoint = ra_strdup("clusters");
	r->org_id = ra_strdup("org|1\n../x");
	r->group_id = ra_strdup("g\xff\xfe");
	r->cluster = ra_strdup("c\"1\\");
	r->page = 3;
	r->method = ra_strdup("GET");
	r->url = ra_strdup("https://127.0.0.1:1/api/atlas/v2/groups/g/clusters"
	    "?pageNum=3&itemsPerPage=500");
	r->accept = ra_strdup("application/vnd.atlas.2024-08-05+json");
	r->status = 200;
	r->content_type = ra_strdup("application/vnd.atlas.2024-08-05+json;"
	    "charset=utf-8");
	r->ratelimit_limit = ra_strdup("100");
	r->ratelimit_remaining = ra_strdup("99");
	r->retry_after = ra_strdup("55");
	r->received_at = ra_strdup("2026-09-01T10:00:00Z");
	r->attempts = 2;
	r->outcome = ra_strdup("ok");
	r->error = ra_strdup("one line");
	r->list_complete = 1;
}

static void
test_round_trip(void **state)
{
	struct ra_raw_record w[2], *v = NULL;
	size_t n = 0;
	char *dir = mkpack(), err[256], want[RA_SHA256_HEX];
	const char body[] = "{\"results\":[],\"totalCount\":0}\n";

	(void)state;
	full_record(&w[0], 7);
	memset(&w[1], 0, sizeof(w[1]));
	w[1].seq = 2;
	w[1].endpoint = ra_strdup("probe:eu");
	w[1].method = ra_strdup("GET");
	w[1].url = ra_strdup("mongodb://***@h");
	w[1].accept = ra_strdup("*/*");
	w[1].received_at = ra_strdup("2026-09-01T10:00:01Z");
	w[1].attempts = 1;
	w[1].outcome = ra_strdup("transport-error");
	w[1].list_complete = -1;
	assert_int_equal(ra_raw_write(dir, &w[0], body, strlen(body)), 0);
	assert_int_equal(ra_raw_write(dir, &w[1], NULL, 0), 0);
	assert_string_equal(w[0].body_file, "raw/00007.json");
	assert_int_equal(w[0].bytes, strlen(body));
	ra_sha256_hex(body, strlen(body), want);
	assert_string_equal(w[0].sha256, want);
	assert_null(w[1].body_file);

	assert_int_equal(ra_raw_load(dir, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	/* sorted by seq */
	assert_int_equal(v[0].seq, 2);
	assert_int_equal(v[1].seq, 7);
	assert_string_equal(v[0].endpoint, "probe:eu");
	assert_null(v[0].org_id);
	assert_null(v[0].group_id);
	assert_null(v[0].cluster);
	assert_int_equal(v[0].page, 0);
	assert_int_equal(v[0].status, 0);
	assert_null(v[0].content_type);
	assert_null(v[0].ratelimit_limit);
	assert_null(v[0].retry_after);
	assert_null(v[0].error);
	assert_null(v[0].body_file);
	assert_string_equal(v[0].sha256, "");
	assert_int_equal(v[0].list_complete, -1);
	assert_string_equal(v[0].meta_file, "raw/00002.meta.json");
	assert_string_equal(v[0].outcome, "transport-error");

	assert_string_equal(v[1].endpoint, w[0].endpoint);
	assert_string_equal(v[1].org_id, w[0].org_id);
	assert_string_equal(v[1].group_id, w[0].group_id);
	assert_string_equal(v[1].cluster, w[0].cluster);
	assert_int_equal(v[1].page, 3);
	assert_string_equal(v[1].method, "GET");
	assert_string_equal(v[1].url, w[0].url);
	assert_string_equal(v[1].accept, w[0].accept);
	assert_int_equal(v[1].status, 200);
	assert_string_equal(v[1].content_type, w[0].content_type);
	assert_string_equal(v[1].ratelimit_limit, "100");
	assert_string_equal(v[1].ratelimit_remaining, "99");
	assert_string_equal(v[1].retry_after, "55");
	assert_string_equal(v[1].received_at, w[0].received_at);
	assert_int_equal(v[1].attempts, 2);
	assert_string_equal(v[1].outcome, "ok");
	assert_string_equal(v[1].error, "one line");
	assert_string_equal(v[1].body_file, "raw/00007.json");
	assert_int_equal(v[1].bytes, strlen(body));
	assert_string_equal(v[1].sha256, want);
	assert_int_equal(v[1].list_complete, 1);
	assert_string_equal(v[1].meta_file, "raw/00007.meta.json");
	{
		char path[512], got[RA_SHA256_HEX];
		char *b = NULL;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/raw/00007.meta.json", dir);
		assert_int_equal(ra_sha256_file(path, got), 0);
		assert_string_equal(v[1].meta_sha256, got);
		assert_int_equal(ra_raw_read_body(dir, &v[1], &b, &len), 0);
		assert_int_equal(len, strlen(body));
		assert_memory_equal(b, body, len);
		free(b);
	}
	/* metadata key order is the documented one */
	{
		char path[512], *t = NULL;
		const char *keys[] = { "\"seq\"", "\"endpoint\"", "\"orgId\"",
		    "\"groupId\"", "\"cluster\"", "\"page\"", "\"method\"",
		    "\"url\"", "\"accept\"", "\"status\"", "\"contentType\"",
		    "\"rateLimit\"", "\"retryAfter\"", "\"receivedAt\"",
		    "\"attempts\"", "\"outcome\"", "\"error\"", "\"body\"",
		    "\"bytes\"", "\"sha256\"", "\"listComplete\"" };
		const char *prev;

		snprintf(path, sizeof(path), "%s/raw/00007.meta.json", dir);
		assert_int_equal(ra_file_read(&t, NULL, path, 1 << 16), 0);
		prev = t;
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
			const char *p = strstr(t, keys[i]);

			assert_non_null(p);
			assert_true(p >= prev);
			prev = p;
		}
		free(t);
	}
	ra_raw_records_free(v, n);
	ra_raw_record_clear(&w[0]);
	ra_raw_record_clear(&w[1]);
	ra_rm_rf(dir);
	free(dir);
}

/* --- damaged packs ---------------------------------------------------- */

static void
put_file(const char *dir, const char *name, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(ra_file_write(path, text, strlen(text)), 0);
}

/* Replaces the first occurrence of `from` in a pack file by `to`. */
static void
edit_file(const char *dir, const char *name, const char *from, const char *to)
{
	char path[512], *t = NULL, *p, *n;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(ra_file_read(&t, &len, path, 1 << 20), 0);
	assert_non_null(p = strstr(t, from));
	n = ra_asprintf("%.*s%s%s", (int)(p - t), t, to, p + strlen(from));
	assert_int_equal(ra_file_write(path, n, strlen(n)), 0);
	free(n);
	free(t);
}

static void
dmg_flip(const char *d)
{
	edit_file(d, "raw/00001.json", "eu", "eU");
}

static void
dmg_grow(const char *d)
{
	edit_file(d, "raw/00001.json", "eu", "eu ");
}

static void
dmg_stray(const char *d)
{
	put_file(d, "raw/notes.txt", "x");
}

static void
dmg_stray_padding(const char *d)
{
	put_file(d, "raw/0001.meta.json", "{}");
}

static void
dmg_subdir(const char *d)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/raw/00009.json", d);
	assert_int_equal(ra_mkdir_p(p), 0);
}

static void
dmg_type(const char *d)
{
	edit_file(d, "raw/00001.meta.json", "\"status\": 200",
	    "\"status\": \"200\"");
}

static void
dmg_attempts(const char *d)
{
	edit_file(d, "raw/00001.meta.json", "\"attempts\": 1",
	    "\"attempts\": 0");
}

static void
dmg_unknown_key(const char *d)
{
	edit_file(d, "raw/00001.meta.json", "\"seq\"", "\"extra\": 1,\n  \"seq\"");
}

static void
dmg_outcome(const char *d)
{
	edit_file(d, "raw/00001.meta.json", "\"ok\"", "\"fine\"");
}

static void
dmg_dup(const char *d)
{
	char *t = NULL, path[512];
	size_t len;

	snprintf(path, sizeof(path), "%s/raw/00001.meta.json", d);
	assert_int_equal(ra_file_read(&t, &len, path, 1 << 16), 0);
	snprintf(path, sizeof(path), "%s/raw/00002.meta.json", d);
	assert_int_equal(ra_file_write(path, t, len), 0);
	free(t);
}

static void
dmg_missing_body(const char *d)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/raw/00001.json", d);
	assert_int_equal(unlink(path), 0);
}

static void
dmg_orphan_body(const char *d)
{
	put_file(d, "raw/00003.json", "{}");
}

static void
dmg_bad_json(const char *d)
{
	put_file(d, "raw/00001.meta.json", "{\"seq\": 1,");
}

static void
dmg_body_path(const char *d)
{
	edit_file(d, "raw/00001.meta.json", "\"raw/00001.json\"",
	    "\"raw/../00001.json\"");
}

static const struct {
	const char *name;
	void (*damage)(const char *);
	const char *want1, *want2;
} damages[] = {
	{ "flipped byte", dmg_flip, "raw/00001.json", "sha256" },
	{ "size changed", dmg_grow, "raw/00001.json", "bytes" },
	{ "stray file", dmg_stray, "raw/notes.txt", "unexpected file" },
	{ "unpadded seq", dmg_stray_padding, "raw/0001.meta.json",
	    "unexpected file" },
	{ "directory", dmg_subdir, "raw/00009.json", "unexpected file" },
	{ "status a string", dmg_type, "raw/00001.meta.json", "status" },
	{ "attempts 0", dmg_attempts, "raw/00001.meta.json", "attempts" },
	{ "unknown key", dmg_unknown_key, "raw/00001.meta.json", "extra" },
	{ "unknown outcome", dmg_outcome, "raw/00001.meta.json", "outcome" },
	{ "duplicate seq", dmg_dup, "raw/00002.meta.json", "seq" },
	{ "missing body", dmg_missing_body, "raw/00001.json", "missing" },
	{ "orphan body", dmg_orphan_body, "raw/00003.json", "unexpected" },
	{ "bad meta JSON", dmg_bad_json, "raw/00001.meta.json", "JSON" },
	{ "body path", dmg_body_path, "raw/00001.meta.json", "body" },
};

static void
test_damaged(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(damages) / sizeof(*damages); i++) {
		struct ra_raw_record r, *v = NULL;
		size_t n = 99;
		char *dir = mkpack(), err[256] = "";
		const char *body = "{\"name\":\"eu\"}";

		full_record(&r, 1);
		r.attempts = 1;
		assert_int_equal(ra_raw_write(dir, &r, body, strlen(body)), 0);
		/* an intact pack loads */
		assert_int_equal(ra_raw_load(dir, &v, &n, err, sizeof(err)), 0);
		ra_raw_records_free(v, n);
		damages[i].damage(dir);
		v = NULL;
		if (ra_raw_load(dir, &v, &n, err, sizeof(err)) == 0)
			fail_msg("%s: damaged pack loaded", damages[i].name);
		assert_null(v);
		assert_int_equal(n, 0);
		if (strstr(err, damages[i].want1) == NULL ||
		    strstr(err, damages[i].want2) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"/\"%s\"",
			    damages[i].name, err, damages[i].want1,
			    damages[i].want2);
		ra_raw_record_clear(&r);
		ra_rm_rf(dir);
		free(dir);
	}
}

static void
test_missing_raw_dir(void **state)
{
	struct ra_raw_record *v = NULL;
	size_t n = 0;
	char *dir = mkpack(), err[256] = "";

	(void)state;
	assert_int_equal(ra_raw_load(dir, &v, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "raw/"));
	ra_rm_rf(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_missing_raw_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
