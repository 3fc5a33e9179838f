/*
 * test_envfile.c: the dotenv reader. Table-driven: each row is a file
 * text, a variable, the expected return and value (or error fragment).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "envfile.h"

struct row {
	const char	*text;
	const char	*var;
	int		 rc;
	const char	*want;		/* value (rc 1) or error fragment (-1) */
};

static const struct row rows[] = {
	/* plain forms */
	{ "URL=https://a.example/x\n", "URL", 1, "https://a.example/x" },
	{ "URL=https://a.example/x", "URL", 1, "https://a.example/x" },
	{ "export URL=v\n", "URL", 1, "v" },
	{ "export\tURL=v\n", "URL", 1, "v" },
	{ "  URL = v  \n", "URL", 1, "v" },
	{ "URL=\n", "URL", 1, "" },
	{ "URL=a b c\n", "URL", 1, "a b c" },
	{ "URL=v\r\nB=w\r\n", "URL", 1, "v" },
	{ "A=1\nURL=v\nB=2\n", "URL", 1, "v" },
	/* absent */
	{ "", "URL", 0, NULL },
	{ "URLX=1\nXURL=2\n# URL=3\n", "URL", 0, NULL },
	{ "url=lower\n", "URL", 0, NULL },
	/* last assignment wins */
	{ "URL=first\nURL=second\n", "URL", 1, "second" },
	{ "URL=first\nexport URL='third'\n", "URL", 1, "third" },
	/* comments */
	{ "# c\n\n   \n#URL=no\nURL=yes # trailing\n", "URL", 1, "yes" },
	{ "URL=https://h/p#frag\n", "URL", 1, "https://h/p#frag" },
	{ "URL=#notcomment\n", "URL", 1, "#notcomment" },
	{ "URL= # only a comment\n", "URL", 1, "" },
	/* single quotes: literal */
	{ "URL='a \\n $HOME \"q\"'\n", "URL", 1, "a \\n $HOME \"q\"" },
	{ "URL='x' # c\n", "URL", 1, "x" },
	{ "URL='line1\nline2'\nB=1\n", "URL", 1, "line1\nline2" },
	/* double quotes: escapes, no interpolation */
	{ "URL=\"a\\nb\\t\\\"c\\\\ \\$d\"\n", "URL", 1, "a\nb\t\"c\\ $d" },
	{ "URL=\"${HOME}/x\"\n", "URL", 1, "${HOME}/x" },
	{ "URL=\"keep \\q\"\n", "URL", 1, "keep \\q" },
	{ "URL=\"a # b\"\n", "URL", 1, "a # b" },
	{ "URL=$OTHER\n", "URL", 1, "$OTHER" },
	/* key forms */
	{ "export=1\n", "export", 1, "1" },
	{ "A.B_c9=v\n", "A.B_c9", 1, "v" },
	/* malformed */
	{ "JUSTAWORD\n", "URL", -1, "line 1: expected '='" },
	{ "A=1\n9X=2\n", "URL", -1, "line 2: expected a variable name" },
	{ "URL=\"open\n", "URL", -1, "line 1: unterminated double quote" },
	{ "A=1\nURL='open\n", "URL", -1, "line 2: unterminated single quote" },
	{ "URL=\"x\" y\n", "URL", -1, "line 1: unexpected text" },
	{ "URL='x'y\n", "URL", -1, "line 1: unexpected text" },
	{ "A=\"multi\nline\"\nB C\n", "URL", -1, "line 3: expected '='" },
	{ "=v\n", "URL", -1, "line 1: expected a variable name" },
	{ "URL=v\n", "1BAD", -1, "invalid variable name" },
	{ "URL=v\n", "", -1, "invalid variable name" },
	{ "URL=v\n", "A B", -1, "invalid variable name" },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		char err[256] = "", unset[] = "unset", *v = unset;
		int rc;

		rc = ra_envfile_get(r->text, strlen(r->text), r->var, &v, err,
		    sizeof(err));
		if (rc != r->rc)
			fail_msg("row %zu: rc %d, want %d (%s)", i, rc, r->rc,
			    err);
		if (rc == 1) {
			if (strcmp(v, r->want) != 0)
				fail_msg("row %zu: value [%s], want [%s]", i, v,
				    r->want);
		} else {
			assert_null(v);
			if (rc == -1 && strstr(err, r->want) == NULL)
				fail_msg("row %zu: error [%s] lacks [%s]", i,
				    err, r->want);
		}
		free(v);
	}
}

/* Errors never quote the file's values (they may be secrets). */
static void
test_error_hides_values(void **state)
{
	const char *text = "TOKEN=\"s3cr3t-value\n";
	char err[256], *v = NULL;

	(void)state;
	assert_int_equal(ra_envfile_get(text, strlen(text), "TOKEN", &v, err,
	    sizeof(err)), -1);
	assert_null(strstr(err, "s3cr3t"));
}

/* A NUL byte anywhere makes the file malformed (with its line). */
static void
test_nul_byte(void **state)
{
	const char text[] = "A=1\nURL=ab\0cd\n";
	char err[256], *v = NULL;

	(void)state;
	assert_int_equal(ra_envfile_get(text, sizeof(text) - 1, "URL", &v, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "line 2: NUL"));
	assert_null(v);
}

/* Length is honoured: bytes beyond len are not read. */
static void
test_length_bound(void **state)
{
	const char *text = "URL=short\nURL=long";
	char err[256], *v = NULL;

	(void)state;
	assert_int_equal(ra_envfile_get(text, 10, "URL", &v, err,
	    sizeof(err)), 1);
	assert_string_equal(v, "short");
	free(v);
}

/* A large file with many assignments and a long value. */
static void
test_large(void **state)
{
	size_t n = 20000, len = 0;
	char *text = malloc(n * 16 + 300000), err[256], *v = NULL;

	(void)state;
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "K%zu=v%zu\n", i, i);
	len += (size_t)sprintf(text + len, "URL=");
	memset(text + len, 'x', 200000);
	len += 200000;
	assert_int_equal(ra_envfile_get(text, len, "K19999", &v, err,
	    sizeof(err)), 1);
	assert_string_equal(v, "v19999");
	free(v);
	assert_int_equal(ra_envfile_get(text, len, "URL", &v, err,
	    sizeof(err)), 1);
	assert_int_equal(strlen(v), 200000);
	free(v);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_error_hides_values),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_length_bound),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
