/*
 * test_pack.c: the pack writer (CONTRACT §3): layout, SHA256SUMS that
 * `sha256sum -c --strict` accepts, refusal to replace without --force,
 * atomic replacement with it, abort leaving nothing, unsafe paths and
 * a disk that fails midway.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "pack.h"
#include "util.h"

/* 2026-11-29T12:00:00Z */
#define AS_OF		((time_t)1795953600)
#define AS_OF_DATE	"2026-11-29"

static char *
mkroot(void)
{
	char tmpl[] = "/tmp/ra-test-pack-XXXXXX";
	char *base;

	assert_non_null(mkdtemp(tmpl));
	base = ra_strdup(tmpl);
	return base;
}

/* Entries of dir (excluding . and ..), newline-joined in sorted order. */
static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *v[256], *out;
	size_t n = 0, len = 1;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		assert_true(n < 256);
		v[n++] = ra_strdup(e->d_name);
	}
	closedir(d);
	qsort(v, n, sizeof(v[0]), cmpstr);
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	out = ra_calloc(1, len);
	for (size_t i = 0; i < n; i++) {
		strcat(out, v[i]);
		strcat(out, "\n");
		free(v[i]);
	}
	return out;
}

static char *
slurp(const char *dir, const char *rel)
{
	char *path = ra_asprintf("%s/%s", dir, rel), *data = NULL;
	size_t len;

	if (ra_file_read(&data, &len, path, 1 << 20) != 0)
		data = NULL;
	free(path);
	return data;
}

static void
put(struct ra_pack *p, const char *rel, const char *text)
{
	assert_int_equal(ra_pack_write_file(p, rel, text, strlen(text)), 0);
}

static int
have_sha256sum(void)
{
	return system("command -v sha256sum >/dev/null 2>&1") == 0;
}

static int
run_in(const char *dir, const char *cmd)
{
	char *c = ra_asprintf("cd '%s' && %s >/dev/null 2>&1", dir, cmd);
	int rc = system(c);

	free(c);
	return rc;
}

/* Builds a committed pack under root with one marker file. */
static void
make_pack(const char *root, time_t t, const char *marker, int force)
{
	struct ra_pack p;
	char err[256];

	assert_int_equal(ra_pack_begin(&p, root, t, force, err, sizeof(err)),
	    0);
	put(&p, "inventory.json", "{\"orgId\": \"x\"}\n");
	put(&p, marker, marker);
	assert_int_equal(ra_pack_write_sums(&p, err, sizeof(err)), 0);
	assert_int_equal(ra_pack_commit(&p, force, err, sizeof(err)), 0);
	ra_pack_free(&p);
}

static void
test_layout_and_sums(void **state)
{
	struct ra_pack p;
	char err[256], *root = mkroot(), *s, *top, hex[RA_SHA256_HEX];

	(void)state;
	assert_int_equal(ra_pack_begin(&p, root, AS_OF, 0, err, sizeof(err)),
	    0);
	assert_string_equal(p.date, AS_OF_DATE);
	assert_non_null(p.tmp_dir);
	/* beside its final place, hidden, with raw/ inside */
	assert_int_equal(strncmp(p.tmp_dir, root, strlen(root)), 0);
	assert_int_equal(strncmp(p.tmp_dir + strlen(root), "/." AS_OF_DATE
	    ".tmp-", strlen("/." AS_OF_DATE ".tmp-")), 0);
	s = entries(p.tmp_dir);
	assert_string_equal(s, "raw\n");
	free(s);

	put(&p, "inventory.json", "{}\n");
	put(&p, "residency-evidence-eu.json", "{\"a\": 1}\n");
	put(&p, "raw/00002.json", "[2]");
	put(&p, "raw/00001.json", "[1]");
	put(&p, "raw/00001.meta.json", "{}");
	/* written after the sums and never listed in them */
	put(&p, "attestation.dsse.json", "{}");
	assert_int_equal(ra_pack_write_sums(&p, err, sizeof(err)), 0);
	put(&p, "SHA256SUMS.sig", "sig");

	/* nothing is visible under the final name before the commit */
	top = entries(root);
	assert_null(strstr(top, AS_OF_DATE "\n"));
	free(top);
	assert_int_equal(ra_pack_commit(&p, 0, err, sizeof(err)), 0);
	assert_null(p.tmp_dir);
	top = entries(root);
	assert_string_equal(top, AS_OF_DATE "\n");
	free(top);

	s = slurp(p.final_dir, "SHA256SUMS");
	assert_non_null(s);
	ra_sha256_hex("[1]", 3, hex);
	/* sorted bytewise: "inventory.json" < "raw/..." < "residency-..." */
	{
		const char *order[] = { "inventory.json", "raw/00001.json",
		    "raw/00001.meta.json", "raw/00002.json",
		    "residency-evidence-eu.json" };
		const char *q = s;

		for (size_t i = 0; i < 5; i++) {
			char line[256];
			const char *nl = strchr(q, '\n');
			char *path, fh[RA_SHA256_HEX];

			assert_non_null(nl);
			path = ra_asprintf("%s/%s", p.final_dir, order[i]);
			assert_int_equal(ra_sha256_file(path, fh), 0);
			snprintf(line, sizeof(line), "%s  %s", fh, order[i]);
			assert_int_equal((size_t)(nl - q), strlen(line));
			assert_memory_equal(q, line, strlen(line));
			free(path);
			q = nl + 1;
		}
		assert_string_equal(q, "");
	}
	assert_non_null(strstr(s, hex));
	free(s);

	if (have_sha256sum()) {
		assert_int_equal(run_in(p.final_dir,
		    "sha256sum -c --strict SHA256SUMS"), 0);
		/* one changed byte and the same check fails */
		s = ra_asprintf("%s/raw/00002.json", p.final_dir);
		assert_int_equal(ra_file_write(s, "[3]", 3), 0);
		free(s);
		assert_int_not_equal(run_in(p.final_dir,
		    "sha256sum -c --strict SHA256SUMS"), 0);
	}
	ra_pack_free(&p);
	assert_int_equal(ra_rm_rf(root), 0);
	free(root);
}

static void
test_exists_without_force(void **state)
{
	struct ra_pack p;
	char err[256], *root = mkroot(), *s, *dir;

	(void)state;
	make_pack(root, AS_OF, "old-marker", 0);
	err[0] = '\0';
	assert_int_equal(ra_pack_begin(&p, root, AS_OF, 0, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "exists (use --force to replace it)"));
	assert_non_null(strstr(err, AS_OF_DATE));
	assert_null(p.tmp_dir);
	s = entries(root);
	assert_string_equal(s, AS_OF_DATE "\n");
	free(s);
	dir = ra_asprintf("%s/%s", root, AS_OF_DATE);
	s = slurp(dir, "old-marker");
	assert_non_null(s);
	assert_string_equal(s, "old-marker");
	free(s);

	/* a pack that appears between begin and commit is not replaced */
	assert_int_equal(ra_rm_rf(dir), 0);
	assert_int_equal(ra_pack_begin(&p, root, AS_OF, 0, err, sizeof(err)),
	    0);
	put(&p, "new-marker", "new");
	make_pack(root, AS_OF, "racer", 0);
	assert_int_equal(ra_pack_commit(&p, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "exists"));
	ra_pack_abort(&p);
	ra_pack_free(&p);
	s = entries(dir);
	assert_string_equal(s, "SHA256SUMS\ninventory.json\nracer\nraw\n");
	free(s);
	s = entries(root);
	assert_string_equal(s, AS_OF_DATE "\n");
	free(s);
	free(dir);
	assert_int_equal(ra_rm_rf(root), 0);
	free(root);
}

static void
test_force_replaces(void **state)
{
	char *root = mkroot(), *s, *dir;

	(void)state;
	make_pack(root, AS_OF, "old-marker", 0);
	make_pack(root, AS_OF, "new-marker", 1);
	dir = ra_asprintf("%s/%s", root, AS_OF_DATE);
	s = entries(dir);
	assert_string_equal(s, "SHA256SUMS\ninventory.json\nnew-marker\nraw\n");
	free(s);
	/* neither the temporary nor the old tree is left behind */
	s = entries(root);
	assert_string_equal(s, AS_OF_DATE "\n");
	free(s);
	if (have_sha256sum())
		assert_int_equal(run_in(dir, "sha256sum -c --strict SHA256SUMS"),
		    0);
	free(dir);
	assert_int_equal(ra_rm_rf(root), 0);
	free(root);
}

static void
test_abort_leaves_nothing(void **state)
{
	struct ra_pack p;
	char err[256], *root = mkroot(), *s, *dir;

	(void)state;
	make_pack(root, AS_OF - 86400, "earlier", 0);
	assert_int_equal(ra_pack_begin(&p, root, AS_OF, 0, err, sizeof(err)),
	    0);
	put(&p, "raw/00001.json", "{}");
	put(&p, "inventory.json", "{}");
	ra_pack_abort(&p);
	assert_null(p.tmp_dir);
	ra_pack_abort(&p);		/* twice is harmless */
	ra_pack_free(&p);
	ra_pack_free(NULL);
	s = entries(root);
	assert_string_equal(s, "2026-11-28\n");
	free(s);
	dir = ra_asprintf("%s/2026-11-28", root);
	s = slurp(dir, "earlier");
	assert_string_equal(s, "earlier");
	free(s);
	if (have_sha256sum())
		assert_int_equal(run_in(dir, "sha256sum -c --strict SHA256SUMS"),
		    0);
	free(dir);
	assert_int_equal(ra_rm_rf(root), 0);
	free(root);
}

static void
test_unsafe_relpath(void **state)
{
	static const char *bad[] = {
		"../evil", "/tmp/evil", "raw/../../evil", "a/../evil", "",
		"a//b", "raw/", "/", ".", "..", "raw/.", "a b", "evil\n",
		"we|rd", "x\\y", "caf\xc3\xa9", ".hidden/../../evil",
	};
	struct ra_pack p;
	char err[256], *root = mkroot(), *s;

	(void)state;
	assert_int_equal(ra_pack_begin(&p, root, AS_OF, 0, err, sizeof(err)),
	    0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ra_pack_write_file(&p, bad[i], "x", 1) != -1)
			fail_msg("relpath \"%s\" accepted", bad[i]);
	}
	assert_int_equal(ra_pack_write_file(&p, NULL, "x", 1), -1);
	/* nothing was written anywhere */
	s = entries(p.tmp_dir);
	assert_string_equal(s, "raw\n");
	free(s);
	s = entries(root);
	assert_null(strstr(s, "evil"));
	free(s);
	/* a safe nested path creates its directories */
	put(&p, "a/b.c/d_e-1.json", "{}");
	s = entries(p.tmp_dir);
	assert_string_equal(s, "a\nraw\n");
	free(s);
	ra_pack_abort(&p);
	ra_pack_free(&p);
	assert_int_equal(ra_rm_rf(root), 0);
	free(root);
}

static void
test_sums_refuse_odd_files(void **state)
{
	struct ra_pack p;
	char err[256], *root = mkroot(), *path;

	(void)state;
	assert_int_equal(ra_pack_begin(&p, root, AS_OF, 0, err, sizeof(err)),
	    0);
	put(&p, "inventory.json", "{}");
	/* a name sha256sum would need escaping for */
	path = ra_asprintf("%s/raw/bad name", p.tmp_dir);
	assert_int_equal(ra_file_write(path, "x", 1), 0);
	assert_int_equal(ra_pack_write_sums(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unsafe"));
	assert_int_equal(unlink(path), 0);
	free(path);
	/* a symlink is not a regular file */
	path = ra_asprintf("%s/raw/link", p.tmp_dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(ra_pack_write_sums(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	free(path);
	ra_pack_abort(&p);
	ra_pack_free(&p);
	assert_int_equal(ra_rm_rf(root), 0);
	free(root);
}

static void
test_write_failure_midway(void **state)
{
	struct ra_pack p;
	char err[256], *root = mkroot(), *s;

	(void)state;
	make_pack(root, AS_OF - 86400, "earlier", 0);
	assert_int_equal(ra_pack_begin(&p, root, AS_OF, 0, err, sizeof(err)),
	    0);
	ra_util_fail_writes_after(2);
	put(&p, "raw/00001.json", "{}");
	put(&p, "raw/00001.meta.json", "{}");
	assert_int_equal(ra_pack_write_file(&p, "inventory.json", "{}", 2),
	    -1);
	/* the sums cannot be written either */
	assert_int_equal(ra_pack_write_sums(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "SHA256SUMS"));
	ra_util_fail_writes_after(-1);
	ra_pack_abort(&p);
	ra_pack_free(&p);
	s = entries(root);
	assert_string_equal(s, "2026-11-28\n");
	free(s);
	assert_int_equal(ra_rm_rf(root), 0);
	free(root);
}

static void
test_begin_errors(void **state)
{
	struct ra_pack p;
	char err[256], *root = mkroot(), *file;

	(void)state;
	assert_int_equal(ra_pack_begin(&p, "", AS_OF, 0, err, sizeof(err)),
	    -1);
	/* the output root is a regular file */
	file = ra_asprintf("%s/plain", root);
	assert_int_equal(ra_file_write(file, "x", 1), 0);
	assert_int_equal(ra_pack_begin(&p, file, AS_OF, 0, err, sizeof(err)),
	    -1);
	assert_null(p.tmp_dir);
	assert_int_equal(ra_pack_commit(&p, 0, err, sizeof(err)), -1);
	free(file);
	assert_int_equal(ra_rm_rf(root), 0);
	free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_sums),
		cmocka_unit_test(test_exists_without_force),
		cmocka_unit_test(test_force_replaces),
		cmocka_unit_test(test_abort_leaves_nothing),
		cmocka_unit_test(test_unsafe_relpath),
		cmocka_unit_test(test_sums_refuse_odd_files),
		cmocka_unit_test(test_write_failure_midway),
		cmocka_unit_test(test_begin_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
