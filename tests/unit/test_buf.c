/*
 * test_buf.c: the streaming path of the report writers. A ra_buf with a
 * sink hands on every 64 KiB and keeps counting; a sink's failure is
 * sticky; ra_wfile counts as one write for the failure seam; a report
 * stream that fails (a full disk) or that its renderer gives up on
 * leaves no file behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "report.h"
#include "util.h"

/* A sink that collects what it is handed, failing after `fail_after`
 * calls when that is >= 0. */
struct collect {
	struct ra_buf	all;
	int		calls;
	size_t		largest;
	int		fail_after;
};

static int
collect_sink(void *ud, const void *p, size_t n)
{
	struct collect *c = ud;

	if (c->fail_after >= 0 && c->calls >= c->fail_after)
		return -1;
	c->calls++;
	if (n > c->largest)
		c->largest = n;
	return ra_buf_add(&c->all, p, n);
}

static void
test_sink_hands_on_everything(void **state)
{
	struct collect c = { .fail_after = -1 };
	struct ra_buf b;
	size_t want = 0;

	(void)state;
	ra_buf_init(&c.all, 0);
	ra_buf_init(&b, 0);
	ra_buf_set_sink(&b, collect_sink, &c);
	for (int i = 0; i < 20000; i++) {
		ra_buf_printf(&b, "line %d\n", i);
		want += (size_t)snprintf(NULL, 0, "line %d\n", i);
		/* never more than one threshold and one append held */
		assert_true(b.len < RA_BUF_SINK_AT);
	}
	assert_true(c.calls >= 2);
	assert_int_equal(ra_buf_total(&b), want);
	assert_int_equal(ra_buf_flush(&b), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(c.all.len, want);
	assert_int_equal(ra_buf_total(&b), want);
	/* the bytes arrive in order, none twice */
	assert_memory_equal(c.all.data, "line 0\nline 1\n", 14);
	assert_non_null(strstr(c.all.data, "line 19999\n"));
	assert_null(strstr(c.all.data + c.all.len - 11, "line 19998"));
	ra_buf_free(&b);
	ra_buf_free(&c.all);
}

static void
test_sink_failure_is_sticky(void **state)
{
	struct collect c = { .fail_after = 1 };
	struct ra_buf b;
	char block[RA_BUF_SINK_AT];

	(void)state;
	memset(block, 'x', sizeof(block));
	ra_buf_init(&c.all, 0);
	ra_buf_init(&b, 0);
	ra_buf_set_sink(&b, collect_sink, &c);
	assert_int_equal(ra_buf_add(&b, block, sizeof(block)), 0);
	assert_int_equal(c.calls, 1);
	assert_int_equal(ra_buf_add(&b, block, sizeof(block)), -1);
	assert_true(b.err);
	/* later appends and the final flush fail too: nothing is lost
	 * silently */
	assert_int_equal(ra_buf_adds(&b, "more"), -1);
	assert_int_equal(ra_buf_flush(&b), -1);
	assert_int_equal(c.all.len, sizeof(block));
	ra_buf_free(&b);
	ra_buf_free(&c.all);
}

static void
test_max_caps_the_total(void **state)
{
	struct collect c = { .fail_after = -1 };
	struct ra_buf b;
	char block[RA_BUF_SINK_AT];

	(void)state;
	memset(block, 'y', sizeof(block));
	ra_buf_init(&c.all, 0);
	ra_buf_init(&b, 3 * RA_BUF_SINK_AT / 2);
	ra_buf_set_sink(&b, collect_sink, &c);
	assert_int_equal(ra_buf_add(&b, block, sizeof(block)), 0);
	assert_int_equal(b.len, 0);	/* handed on */
	/* the cap counts what was handed on, not only what is held */
	assert_int_equal(ra_buf_add(&b, block, sizeof(block)), -1);
	assert_true(b.err);
	ra_buf_free(&b);
	ra_buf_free(&c.all);
}

static void
test_no_sink_flush(void **state)
{
	struct ra_buf b;

	(void)state;
	ra_buf_init(&b, 0);
	ra_buf_adds(&b, "kept");
	assert_int_equal(ra_buf_flush(&b), 0);
	assert_string_equal(ra_buf_cstr(&b), "kept");
	assert_int_equal(ra_buf_total(&b), 4);
	ra_buf_free(&b);
}

static char *
tmpdir(void)
{
	char t[] = "/tmp/ra-test-buf-XXXXXX";

	assert_non_null(mkdtemp(t));
	return ra_strdup(t);
}

static void
test_wfile_and_seam(void **state)
{
	struct ra_wfile f;
	char *dir = tmpdir(), *p = ra_asprintf("%s/a", dir), *got = NULL;
	size_t len;

	(void)state;
	assert_int_equal(ra_wfile_open(&f, p), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(ra_wfile_sink(&f, "abc", 3), 0);
	assert_int_equal(ra_wfile_close(&f), 0);
	assert_int_equal(ra_file_read(&got, &len, p, 100), 0);
	assert_string_equal(got, "abcabcabc");
	free(got);

	/* a streamed file is one write for the seam, however many pieces */
	ra_util_fail_writes_after(1);
	assert_int_equal(ra_wfile_open(&f, p), 0);
	assert_int_equal(ra_wfile_sink(&f, "x", 1), 0);
	assert_int_equal(ra_wfile_sink(&f, "y", 1), 0);
	assert_int_equal(ra_wfile_close(&f), 0);
	assert_int_equal(ra_wfile_open(&f, p), -1);
	assert_int_equal(ra_wfile_sink(&f, "z", 1), -1);
	assert_int_equal(ra_wfile_close(&f), -1);
	ra_util_fail_writes_after(-1);

	/* a full disk: every write fails and the close says so */
	assert_int_equal(ra_wfile_open(&f, "/dev/full"), 0);
	assert_int_equal(ra_wfile_sink(&f, "abc", 3), -1);
	assert_int_equal(ra_wfile_close(&f), -1);
	free(p);
	assert_int_equal(ra_rm_rf(dir), 0);
	free(dir);
}

/*
 * A report stream whose disk fills up (a file size limit: writes past it
 * fail with EFBIG) fails, tells its renderer through the sticky error,
 * and leaves no partial file.
 */
static void
test_report_stream_disk_full(void **state)
{
	struct ra_report_stream s;
	struct rlimit old, lim;
	struct stat st;
	char *dir = tmpdir(), *p = ra_asprintf("%s/r.json", dir);
	char block[1000];
	void (*oldsig)(int);

	(void)state;
	memset(block, 'z', sizeof(block));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 3 * RA_BUF_SINK_AT / 2;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);

	/* mid-way: a 64 KiB hand-over fails while the renderer appends */
	assert_int_equal(ra_report_stream_open(&s, dir, "r.json", 0), 0);
	for (int i = 0; i < 200 && !s.b.err; i++)
		ra_buf_add(&s.b, block, sizeof(block));
	assert_true(s.b.err);
	assert_true(s.f.err != 0);
	assert_int_equal(ra_report_stream_close(&s, 1), -1);
	assert_int_equal(stat(p, &st), -1);

	/* at the end: the last hand-over (in close) is the one that fails */
	assert_int_equal(ra_report_stream_open(&s, dir, "r.json", 1), 0);
	for (int i = 0; i < 65; i++)
		ra_buf_add(&s.b, block, sizeof(block));
	assert_false(s.b.err);
	for (int i = 0; i < 60; i++)
		ra_buf_add(&s.b, block, sizeof(block));
	assert_false(s.b.err);
	assert_int_equal(ra_report_stream_close(&s, 1), -1);
	assert_int_equal(stat(p, &st), -1);

	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	free(p);
	assert_int_equal(ra_rm_rf(dir), 0);
	free(dir);
}

static void
test_report_stream_leaves_no_partial_file(void **state)
{
	struct ra_report_stream s;
	struct stat st;
	char *dir = tmpdir(), *p = ra_asprintf("%s/r.md", dir), *got = NULL;
	char block[RA_BUF_SINK_AT];
	size_t len;

	(void)state;
	memset(block, 'm', sizeof(block));
	/* the renderer gives up after part of the file went to disk */
	assert_int_equal(ra_report_stream_open(&s, dir, "r.md", 1), 0);
	assert_int_equal(ra_buf_add(&s.b, block, sizeof(block)), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal((size_t)st.st_size, sizeof(block));
	assert_int_equal(ra_report_stream_close(&s, 0), -1);
	assert_int_equal(stat(p, &st), -1);

	/* an unsafe name is refused and nothing is created */
	assert_int_equal(ra_report_stream_open(&s, dir, "../r.md", 0), -1);
	assert_int_equal(ra_report_stream_close(&s, 1), -1);

	/* a whole one is there, byte for byte */
	assert_int_equal(ra_report_stream_open(&s, dir, "r.md", 1), 0);
	assert_int_equal(ra_buf_add(&s.b, block, sizeof(block)), 0);
	assert_int_equal(ra_buf_adds(&s.b, "\xc3\xa9nd"), 0);
	assert_int_equal(ra_report_stream_close(&s, 1), 0);
	assert_int_equal(ra_file_read(&got, &len, p, 1 << 20), 0);
	assert_int_equal(len, sizeof(block) + 4);
	assert_memory_equal(got + sizeof(block), "\xc3\xa9nd", 4);
	free(got);
	free(p);
	assert_int_equal(ra_rm_rf(dir), 0);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sink_hands_on_everything),
		cmocka_unit_test(test_sink_failure_is_sticky),
		cmocka_unit_test(test_max_caps_the_total),
		cmocka_unit_test(test_no_sink_flush),
		cmocka_unit_test(test_wfile_and_seam),
		cmocka_unit_test(test_report_stream_disk_full),
		cmocka_unit_test(test_report_stream_leaves_no_partial_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
