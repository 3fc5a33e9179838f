/*
 * test_atlas.c: the pure parts of the Atlas client: base URL policy,
 * Retry-After parsing, backoff bounds, next links and the same-origin
 * check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "atlas.h"

static void
test_url_policy(void **state)
{
	static const struct { const char *url; int ok; } cases[] = {
		{ "https://cloud.mongodb.com", 1 },
		{ "https://cloud.mongodb.com/", 1 },
		{ "https://example.com:8443", 1 },
		{ "HTTPS://Cloud.MongoDB.com", 1 },
		{ "http://127.0.0.1", 1 },
		{ "http://127.0.0.1:8080", 1 },
		{ "http://127.9.9.9:1", 1 },
		{ "http://[::1]:9000", 1 },
		{ "http://localhost", 1 },
		{ "http://LOCALHOST:80/", 1 },
		{ "http://10.0.0.1", 0 },
		{ "http://192.168.1.1", 0 },
		{ "http://128.0.0.1", 0 },
		{ "http://example.com", 0 },
		{ "http://127.0.0.1.evil.com", 0 },
		{ "http://localhost.evil.com", 0 },
		{ "http://[::2]", 0 },
		{ "http://user:pw@127.0.0.1", 0 },
		{ "https://user:pw@cloud.mongodb.com", 0 },
		{ "https://user@cloud.mongodb.com", 0 },
		{ "https://cloud.mongodb.com?x=1", 0 },
		{ "https://cloud.mongodb.com#frag", 0 },
		{ "ftp://cloud.mongodb.com", 0 },
		{ "file:///etc/passwd", 0 },
		{ "cloud.mongodb.com", 0 },
		{ "", 0 },
		{ "https://", 0 },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		int got = ra_atlas_url_allowed(cases[i].url, err, sizeof(err));

		if (got != cases[i].ok)
			fail_msg("%s: got %d, want %d (%s)", cases[i].url, got,
			    cases[i].ok, err);
		if (!got)
			assert_true(err[0] != '\0');
	}
	assert_int_equal(ra_atlas_url_allowed(NULL, err, sizeof(err)), 0);
	/* the refusal names the host, never echoes userinfo */
	assert_int_equal(ra_atlas_url_allowed("http://u:s3cret@10.0.0.1", err,
	    sizeof(err)), 0);
	assert_null(strstr(err, "s3cret"));
}

static void
test_retry_after(void **state)
{
	/* Sun, 06 Nov 1994 08:49:37 GMT */
	const time_t now = 784111777;
	static const struct { const char *v; int rc; long secs; } cases[] = {
		{ "2", 0, 2 },
		{ "0", 0, 0 },
		{ " 55 ", 0, 55 },
		{ "120", 0, 120 },
		{ "86400", 0, 86400 },
		{ "Sun, 06 Nov 1994 08:50:37 GMT", 0, 60 },
		{ "Sun, 06 Nov 1994 08:49:37 GMT", 0, 0 },
		{ "Sat, 05 Nov 1994 08:49:37 GMT", 0, 0 },	/* past */
		{ "Mon, 07 Nov 1994 08:49:37 GMT", 0, 86400 },
		{ "", -1, 0 },
		{ "soon", -1, 0 },
		{ "2s", -1, 0 },
		{ "-5", -1, 0 },
		{ "1.5", -1, 0 },
		{ "0x10", -1, 0 },
	};
	long s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = -42;
		int rc = ra_atlas_retry_after(cases[i].v, now, &s);

		if (rc != cases[i].rc || (rc == 0 && s != cases[i].secs))
			fail_msg("\"%s\": rc %d secs %ld, want rc %d secs %ld",
			    cases[i].v, rc, s, cases[i].rc, cases[i].secs);
	}
	assert_int_equal(ra_atlas_retry_after(NULL, now, &s), -1);
	/* a huge number stays huge and does not overflow into small */
	assert_int_equal(ra_atlas_retry_after("99999999999999999999999999",
	    now, &s), 0);
	assert_true(s > 86400);
}

static void
test_backoff_bounds(void **state)
{
	uint32_t x = 12345;
	long maxseen[12] = { 0 };

	(void)state;
	for (int f = 1; f <= 11; f++) {
		long ceil_ms = 500;

		for (int k = 1; k < f; k++)
			ceil_ms = ceil_ms * 2 > 30000 ? 30000 : ceil_ms * 2;
		for (int i = 0; i < 2000; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			long b = ra_atlas_backoff_ms(f, x, 500, 30000);

			assert_true(b >= 0);
			assert_true(b <= ceil_ms);
			if (b > maxseen[f])
				maxseen[f] = b;
		}
		/* full jitter: the draws spread over the whole range */
		assert_true(maxseen[f] > ceil_ms / 2);
	}
	/* the extremes of rnd */
	assert_int_equal(ra_atlas_backoff_ms(1, 0, 500, 30000), 0);
	assert_int_equal(ra_atlas_backoff_ms(1, 500, 500, 30000), 500);
	assert_int_equal(ra_atlas_backoff_ms(1, 501, 500, 30000), 0);
	assert_true(ra_atlas_backoff_ms(60, UINT32_MAX, 500, 30000) <= 30000);
	assert_true(ra_atlas_backoff_ms(0, 400, 500, 30000) <= 500);
}

static void
test_same_origin(void **state)
{
	static const struct { const char *base, *url; int same; } cases[] = {
		{ "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/x?p=2", 1 },
		{ "http://127.0.0.1:8080", "HTTP://127.0.0.1:8080/a", 1 },
		{ "https://cloud.mongodb.com", "https://cloud.mongodb.com:443/a", 1 },
		{ "https://cloud.mongodb.com", "https://CLOUD.mongodb.com/a", 1 },
		{ "http://127.0.0.1:8080", "http://127.0.0.1:8081/a", 0 },
		{ "http://127.0.0.1:8080", "https://127.0.0.1:8080/a", 0 },
		{ "http://127.0.0.1:8080", "http://127.0.0.2:8080/a", 0 },
		{ "https://cloud.mongodb.com", "http://cloud.mongodb.com/a", 0 },
		{ "https://cloud.mongodb.com", "https://evil.com/a", 0 },
		{ "https://cloud.mongodb.com",
		  "https://cloud.mongodb.com.evil.com/a", 0 },
		{ "https://cloud.mongodb.com",
		  "https://u:p@cloud.mongodb.com/a", 0 },
		{ "https://cloud.mongodb.com", "/api/atlas/v2/x", 0 },
		{ "https://cloud.mongodb.com", "//evil.com/a", 0 },
		{ "https://cloud.mongodb.com", "javascript:alert(1)", 0 },
		{ "https://cloud.mongodb.com", "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (ra_atlas_same_origin(cases[i].base, cases[i].url) !=
		    cases[i].same)
			fail_msg("%s vs %s: want %d", cases[i].base,
			    cases[i].url, cases[i].same);
	assert_int_equal(ra_atlas_same_origin(NULL, "http://a/"), 0);
	assert_int_equal(ra_atlas_same_origin("http://a/", NULL), 0);
}

static void
test_next_link(void **state)
{
	static const struct { const char *json, *next; } cases[] = {
		{ "{\"links\":[{\"href\":\"http://h/a?pageNum=1\",\"rel\":\"self\"},"
		  "{\"href\":\"http://h/a?pageNum=2\",\"rel\":\"next\"}],"
		  "\"results\":[],\"totalCount\":600}", "http://h/a?pageNum=2" },
		{ "{\"links\":[{\"href\":\"http://h/a\",\"rel\":\"self\"}],"
		  "\"results\":[]}", NULL },
		{ "{\"links\":[{\"rel\":\"next\"}]}", NULL },
		{ "{\"links\":[{\"href\":\"\",\"rel\":\"next\"}]}", NULL },
		{ "{\"links\":[{\"href\":7,\"rel\":\"next\"}]}", NULL },
		{ "{\"links\":[{\"href\":\"x\",\"rel\":\"NEXT\"}]}", NULL },
		{ "{\"links\":{\"href\":\"x\",\"rel\":\"next\"}}", NULL },
		{ "[{\"href\":\"x\",\"rel\":\"next\"}]", NULL },
		{ "{\"links\":[", NULL },
		{ "", NULL },
		{ "{\"links\":[{\"rel\":\"next\",\"href\":\"/p?pageNum=3\"}]}",
		  "/p?pageNum=3" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = ra_atlas_next_link(cases[i].json,
		    strlen(cases[i].json));

		if (cases[i].next == NULL) {
			if (got != NULL)
				fail_msg("%s: got %s", cases[i].json, got);
		} else {
			if (got == NULL || strcmp(got, cases[i].next) != 0)
				fail_msg("%s: got %s", cases[i].json,
				    got ? got : "(null)");
		}
		free(got);
	}
	assert_null(ra_atlas_next_link(NULL, 0));
}

static void
test_client_setup(void **state)
{
	struct ra_atlas_opts o;
	struct ra_atlas *a = NULL;
	char err[256];

	(void)state;
	ra_atlas_opts_default(&o);
	assert_int_equal(o.concurrency, RA_ATLAS_DEFAULT_CONCURRENCY);
	assert_int_equal(o.max_attempts, 6);
	assert_true(o.max_wait_ms >= 60000);	/* Atlas asks up to a minute */
	o.base_url = "http://10.1.2.3";
	assert_int_equal(ra_atlas_new(&a, &o, err, sizeof(err)), -1);
	assert_null(a);
	o.base_url = "http://127.0.0.1:1/";
	o.auth.kind = RA_AUTH_DIGEST;
	assert_int_equal(ra_atlas_new(&a, &o, err, sizeof(err)), -1);
	o.auth.id = "pub";
	o.auth.secret = "priv";
	assert_int_equal(ra_atlas_new(&a, &o, err, sizeof(err)), 0);
	assert_string_equal(ra_atlas_base(a), "http://127.0.0.1:1");
	/* only paths and same-origin URLs are queued */
	assert_int_equal(ra_atlas_get(a, "https://evil.com/x", "a/b", NULL,
	    NULL), -1);
	assert_int_equal(ra_atlas_pending(a), 0);
	ra_atlas_free(a);
	ra_atlas_free(NULL);
}

/* A request to a closed port ends as a transport error after retries
 * bounded by max_attempts, and its completion runs exactly once. */
static int ncalls;
static char outcome[32];
static int attempts;

static int
done_cb(void *arg, const struct ra_atlas_resp *r)
{
	(void)arg;
	ncalls++;
	snprintf(outcome, sizeof(outcome), "%s", r->outcome);
	attempts = r->attempts;
	return 0;
}

static void
test_closed_port_retries(void **state)
{
	struct ra_atlas_opts o;
	struct ra_atlas *a = NULL;
	struct ra_atlas_stats st;
	char err[256];

	(void)state;
	ra_atlas_opts_default(&o);
	o.base_url = "http://127.0.0.1:1";
	o.max_attempts = 3;
	o.backoff_base_ms = 10;
	o.backoff_cap_ms = 40;
	assert_int_equal(ra_atlas_new(&a, &o, err, sizeof(err)), 0);
	assert_int_equal(ra_atlas_get(a, "/api/atlas/v2/orgs/x",
	    "application/vnd.atlas.2023-01-01+json", done_cb, NULL), 0);
	assert_int_equal(ra_atlas_run(a), 0);
	assert_int_equal(ncalls, 1);
	assert_string_equal(outcome, "transport-error");
	assert_int_equal(attempts, 3);
	ra_atlas_get_stats(a, &st);
	assert_int_equal(st.requests, 1);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.retried, 2);
	assert_int_equal(st.auth_failed, 0);
	ra_atlas_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_policy),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_backoff_bounds),
		cmocka_unit_test(test_same_origin),
		cmocka_unit_test(test_next_link),
		cmocka_unit_test(test_client_setup),
		cmocka_unit_test(test_closed_port_retries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
