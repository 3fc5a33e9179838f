/*
 * test_raw_fast.c: the shortcuts of issue 7 change no byte and trust no
 * foreign file.
 *
 * - A meta file written by ra_raw_write (printed directly, not through a
 *   cJSON tree) is byte for byte what ra_json_print prints for the same
 *   object, for hostile field values (every control character, quotes,
 *   backslashes, DEL, invalid UTF-8, a 10,000-character URL, nulls,
 *   page/list_complete variants, huge byte counts).
 * - ra_raw_write_meta + a renamed body + ra_raw_trust loads back like
 *   ra_raw_write; ra_raw_trusted_digest returns the digest for that file
 *   only while it is unchanged; a body written by ra_raw_write is never
 *   trusted, so a byte flipped in place is still caught.
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

#include <cjson/cJSON.h>

#include "jsonutil.h"
#include "raw.h"
#include "util.h"

static char *
mkpack(void)
{
	char tmpl[] = "/tmp/ra-test-rawfast-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return ra_strdup(tmpl);
}

static void
add_sn(cJSON *o, const char *k, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

/* The meta object as raw.h documents it, printed by ra_json_print. */
static char *
expected_meta(const struct ra_raw_record *r)
{
	cJSON *o = cJSON_CreateObject(), *rl;
	char *t;

	cJSON_AddNumberToObject(o, "seq", r->seq);
	add_sn(o, "endpoint", r->endpoint);
	add_sn(o, "orgId", r->org_id);
	add_sn(o, "groupId", r->group_id);
	add_sn(o, "cluster", r->cluster);
	if (r->page >= 1)
		cJSON_AddNumberToObject(o, "page", r->page);
	else
		cJSON_AddNullToObject(o, "page");
	add_sn(o, "method", r->method);
	add_sn(o, "url", r->url);
	add_sn(o, "accept", r->accept);
	cJSON_AddNumberToObject(o, "status", r->status);
	add_sn(o, "contentType", r->content_type);
	rl = cJSON_AddObjectToObject(o, "rateLimit");
	add_sn(rl, "limit", r->ratelimit_limit);
	add_sn(rl, "remaining", r->ratelimit_remaining);
	add_sn(o, "retryAfter", r->retry_after);
	add_sn(o, "receivedAt", r->received_at);
	cJSON_AddNumberToObject(o, "attempts", r->attempts);
	add_sn(o, "outcome", r->outcome);
	add_sn(o, "error", r->error);
	add_sn(o, "body", r->body_file);
	cJSON_AddNumberToObject(o, "bytes", (double)r->bytes);
	add_sn(o, "sha256", r->body_file ? r->sha256 : NULL);
	if (r->list_complete < 0)
		cJSON_AddNullToObject(o, "listComplete");
	else
		cJSON_AddBoolToObject(o, "listComplete", r->list_complete);
	t = ra_json_print(o);
	cJSON_Delete(o);
	return t;
}

static char *
read_meta(const char *dir, unsigned seq)
{
	char path[512], *t = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/raw/%05u.meta.json", dir, seq);
	assert_int_equal(ra_file_read(&t, &len, path, 1 << 20), 0);
	return t;
}

static void
test_meta_bytes(void **state)
{
	char ctl[64], big[10001];
	size_t k = 0;

	(void)state;
	for (int c = 1; c < 0x20; c++)
		ctl[k++] = (char)c;
	ctl[k++] = 0x7f;
	ctl[k++] = '"';
	ctl[k++] = '\\';
	ctl[k++] = '/';
	ctl[k] = '\0';
	memset(big, 'u', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';

	const struct {
		const char *name, *str, *url, *err;
		int page, status, lc, attempts, body;
		size_t bytes;
	} cases[] = {
		{ "plain", "clusters", "https://h/x?a=1&b=2", NULL, 1, 200, 1,
		    1, 1, 0 },
		{ "controls", ctl, ctl, ctl, 0, 0, -1, 3, 0, 0 },
		{ "bad utf-8", "g\xff\xfe\xc3", "https://h/\xe2\x82", "\xc0",
		    7, 429, 0, 1000, 1, 0 },
		{ "long url", "e", big, "why: \"quoted\"", 99999, 999, 1, 1, 1,
		    0 },
		{ "nulls", NULL, "u", NULL, 0, 503, -1, 2, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ra_raw_record r;
		char *dir = mkpack(), *got, *want;
		const char *body = "{\"x\":1}";

		memset(&r, 0, sizeof(r));
		r.seq = (unsigned)i + 1;
		r.endpoint = ra_strdup(cases[i].str ? cases[i].str : "e");
		r.org_id = ra_strdup(cases[i].str);
		r.group_id = ra_strdup(cases[i].str);
		r.cluster = ra_strdup(cases[i].str);
		r.page = cases[i].page;
		r.method = ra_strdup("GET");
		r.url = ra_strdup(cases[i].url);
		r.accept = ra_strdup(cases[i].str);
		r.status = cases[i].status;
		r.content_type = ra_strdup(cases[i].str);
		r.ratelimit_limit = ra_strdup(cases[i].str);
		r.ratelimit_remaining = ra_strdup(cases[i].err);
		r.retry_after = ra_strdup(cases[i].err);
		r.received_at = ra_strdup("2026-11-29T00:00:00Z");
		r.attempts = cases[i].attempts;
		r.outcome = ra_strdup("ok");
		r.error = ra_strdup(cases[i].err);
		r.list_complete = cases[i].lc;
		assert_int_equal(ra_raw_write(dir, &r, cases[i].body ? body :
		    NULL, strlen(body)), 0);
		got = read_meta(dir, r.seq);
		want = expected_meta(&r);
		if (strcmp(got, want) != 0)
			fail_msg("%s: meta differs from ra_json_print:\n%s\n"
			    "---\n%s", cases[i].name, got, want);
		free(got);
		free(want);

		/* huge byte counts print as integers, as cJSON's would */
		r.bytes = ((size_t)1 << 40) - 1;
		assert_int_equal(ra_raw_write_meta(dir, &r), 0);
		got = read_meta(dir, r.seq);
		want = expected_meta(&r);
		assert_string_equal(got, want);
		free(got);
		free(want);
		ra_raw_record_clear(&r);
		assert_int_equal(ra_rm_rf(dir), 0);
		free(dir);
	}
}

static void
test_trust(void **state)
{
	struct ra_raw_record r, *v = NULL;
	char *dir = mkpack(), path[512], hex[RA_SHA256_HEX], err[256] = "";
	char spool[512];
	const char *body = "{\"name\":\"eu\"}";
	size_t n = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.seq = 1;
	r.endpoint = ra_strdup("org");
	r.method = ra_strdup("GET");
	r.url = ra_strdup("https://h/org");
	r.accept = ra_strdup("application/json");
	r.status = 200;
	r.received_at = ra_strdup("2026-11-29T00:00:00Z");
	r.attempts = 1;
	r.outcome = ra_strdup("ok");
	r.list_complete = -1;

	/* the collector's way: spool, rename into raw/, trust, write meta */
	snprintf(path, sizeof(path), "%s/raw", dir);
	assert_int_equal(ra_mkdir_p(path), 0);
	snprintf(spool, sizeof(spool), "%s/spool-0", dir);
	assert_int_equal(ra_file_write(spool, body, strlen(body)), 0);
	snprintf(path, sizeof(path), "%s/raw/00001.json", dir);
	assert_int_equal(rename(spool, path), 0);
	r.body_file = ra_strdup("raw/00001.json");
	r.bytes = strlen(body);
	ra_sha256_hex(body, strlen(body), r.sha256);
	assert_int_equal(ra_raw_trusted_digest(path, hex), 0);
	ra_raw_trust(path, r.sha256);
	assert_int_equal(ra_raw_write_meta(dir, &r), 0);
	assert_int_equal(ra_raw_trusted_digest(path, hex), 1);
	assert_string_equal(hex, r.sha256);
	assert_int_equal(ra_raw_load(dir, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].sha256, r.sha256);
	assert_string_equal(v[0].body_file, "raw/00001.json");
	ra_raw_records_free(v, n);

	/* replaced by rename (another inode, same size): hashed again */
	assert_int_equal(ra_file_write(spool, "{\"name\":\"eU\"}",
	    strlen(body)), 0);
	assert_int_equal(rename(spool, path), 0);
	assert_int_equal(ra_raw_trusted_digest(path, hex), 0);
	v = NULL;
	assert_int_not_equal(ra_raw_load(dir, &v, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "sha256"));
	assert_null(v);

	/* ra_raw_write never trusts: a byte flipped in place is caught */
	ra_raw_record_clear(&r);
	memset(&r, 0, sizeof(r));
	r.seq = 2;
	r.endpoint = ra_strdup("org");
	r.method = ra_strdup("GET");
	r.url = ra_strdup("https://h/org");
	r.accept = ra_strdup("application/json");
	r.received_at = ra_strdup("2026-11-29T00:00:00Z");
	r.attempts = 1;
	r.outcome = ra_strdup("ok");
	r.list_complete = -1;
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/raw/00001.meta.json", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(ra_raw_write(dir, &r, body, strlen(body)), 0);
	snprintf(path, sizeof(path), "%s/raw/00002.json", dir);
	assert_int_equal(ra_raw_trusted_digest(path, hex), 0);
	assert_int_equal(ra_file_write(path, "{\"name\":\"eU\"}",
	    strlen(body)), 0);
	assert_int_not_equal(ra_raw_load(dir, &v, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "sha256"));

	/* a bad digest is not remembered; clear forgets everything */
	ra_raw_trust(path, "not-hex");
	assert_int_equal(ra_raw_trusted_digest(path, hex), 0);
	ra_raw_trust(path, r.sha256);
	assert_int_equal(ra_raw_trusted_digest(path, hex), 1);
	ra_raw_trust_clear();
	assert_int_equal(ra_raw_trusted_digest(path, hex), 0);

	ra_raw_record_clear(&r);
	assert_int_equal(ra_rm_rf(dir), 0);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meta_bytes),
		cmocka_unit_test(test_trust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
