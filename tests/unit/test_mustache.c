/*
 * test_mustache.c: the Mustache engine. Runs every test of every
 * RA_SHARED_DIR/mustache-spec/<name>.json found at run time, then tables of
 * our own for the spec modules the shared folder lacks (partials with
 * standalone indentation and recursion, set delimiters), the Markdown
 * escape mode against hostile strings, number formatting, template
 * errors with their line and column, and the limits.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "jsonutil.h"
#include "mustache.h"
#include "util.h"

#define SPEC_DIR	RA_SHARED_DIR "/mustache-spec"

/* Partials come from a cJSON object {name: text}; a missing name is 1. */
static int
json_loader(void *ud, const char *name, char **text, size_t *len)
{
	const char *s = ra_json_str(ud, name);

	if (s == NULL)
		return 1;
	*text = ra_strdup(s);
	*len = strlen(s);
	return 0;
}

/*
 * Renders tmpl against the JSON text `data` (NULL: no data) with the
 * partials of the JSON object text `partials` (NULL: none). Returns the
 * malloc'd output, or NULL with err filled.
 */
static char *
render(const char *tmpl, const char *data, const char *partials,
    enum ra_escape mode, char *err, size_t errsz)
{
	struct ra_mustache_opts o;
	struct ra_buf b;
	cJSON *d = NULL, *p = NULL;
	char *r = NULL;

	memset(&o, 0, sizeof(o));
	if (data != NULL) {
		d = ra_json_parse(data, strlen(data), err, errsz);
		if (d == NULL)
			fail_msg("test data: %s: %s", data, err);
	}
	if (partials != NULL) {
		p = ra_json_parse(partials, strlen(partials), err, errsz);
		if (p == NULL)
			fail_msg("test partials: %s", err);
		o.load_partial = json_loader;
		o.ud = p;
	}
	o.escape = mode;
	ra_buf_init(&b, 0);
	if (ra_mustache_render(&b, tmpl, strlen(tmpl), d, &o, err, errsz) == 0)
		r = ra_strdup(ra_buf_cstr(&b));
	else
		assert_int_equal(b.len, 0);	/* cut back on failure */
	ra_buf_free(&b);
	cJSON_Delete(d);
	cJSON_Delete(p);
	return r;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every test of every spec file; the count is printed and must be > 0. */
static void
test_spec_files(void **state)
{
	DIR *d = opendir(SPEC_DIR);
	struct dirent *e;
	char *names[64];
	size_t nnames = 0;
	int total = 0, passed = 0;

	(void)state;
	if (d == NULL)
		fail_msg("%s: cannot open", SPEC_DIR);
	while ((e = readdir(d)) != NULL && nnames < 64) {
		size_t n = strlen(e->d_name);

		if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
			names[nnames++] = ra_strdup(e->d_name);
	}
	closedir(d);
	qsort(names, nnames, sizeof(*names), cmp_names);
	assert_true(nnames >= 4);
	for (size_t f = 0; f < nnames; f++) {
		char *path = ra_asprintf("%s/%s", SPEC_DIR, names[f]);
		char *text = NULL, err[512];
		size_t len = 0;
		cJSON *root;
		const cJSON *tests, *t;
		int ftotal = 0, fpassed = 0;

		assert_int_equal(ra_file_read(&text, &len, path, 4u << 20), 0);
		root = ra_json_parse(text, len, err, sizeof(err));
		if (root == NULL)
			fail_msg("%s: %s", path, err);
		tests = ra_json_arr(root, "tests");
		assert_non_null(tests);
		cJSON_ArrayForEach(t, tests) {
			const char *tmpl = ra_json_str(t, "template");
			const char *want = ra_json_str(t, "expected");
			const char *name = ra_json_str(t, "name");
			struct ra_mustache_opts o;
			struct ra_buf b;

			assert_non_null(tmpl);
			assert_non_null(want);
			memset(&o, 0, sizeof(o));
			if (ra_json_obj(t, "partials") != NULL) {
				o.load_partial = json_loader;
				o.ud = cJSON_GetObjectItemCaseSensitive(t,
				    "partials");
			}
			ra_buf_init(&b, 0);
			ftotal++;
			if (ra_mustache_render(&b, tmpl, strlen(tmpl),
			    cJSON_GetObjectItemCaseSensitive(t, "data"), &o,
			    err, sizeof(err)) != 0)
				print_error("%s: %s: error: %s\n", names[f],
				    name, err);
			else if (strcmp(ra_buf_cstr(&b), want) != 0)
				print_error("%s: %s: got [%s] want [%s]\n",
				    names[f], name, ra_buf_cstr(&b), want);
			else
				fpassed++;
			ra_buf_free(&b);
		}
		print_message("mustache spec %s: %d/%d passed\n", names[f],
		    fpassed, ftotal);
		total += ftotal;
		passed += fpassed;
		cJSON_Delete(root);
		free(text);
		free(path);
		free(names[f]);
	}
	print_message("mustache spec: %d/%d passed\n", passed, total);
	assert_true(total > 0);
	assert_int_equal(passed, total);
}

struct case_ {
	const char	*name;
	const char	*tmpl;
	const char	*data;		/* JSON text or NULL */
	const char	*partials;	/* JSON object text or NULL */
	const char	*want;
};

static void
run_cases(const struct case_ *c, size_t n, enum ra_escape mode)
{
	for (size_t i = 0; i < n; i++) {
		char err[512], *got;

		got = render(c[i].tmpl, c[i].data, c[i].partials, mode, err,
		    sizeof(err));
		if (got == NULL)
			fail_msg("%s: error: %s", c[i].name, err);
		if (strcmp(got, c[i].want) != 0)
			fail_msg("%s: got [%s] want [%s]", c[i].name, got,
			    c[i].want);
		free(got);
	}
}

/* The partials module of the specification, written out afresh. */
static const struct case_ partial_cases[] = {
	{ "basic", "\"{{>text}}\"", "{}", "{\"text\":\"from partial\"}",
	  "\"from partial\"" },
	{ "failed lookup", "\"{{>text}}\"", "{}", "{}", "\"\"" },
	{ "no loader", "\"{{>text}}\"", "{}", NULL, "\"\"" },
	{ "context", "\"{{>p}}\"", "{\"text\":\"content\"}",
	  "{\"p\":\"*{{text}}*\"}", "\"*content*\"" },
	{ "recursion", "{{>node}}",
	  "{\"content\":\"X\",\"nodes\":[{\"content\":\"Y\",\"nodes\":"
	  "[{\"content\":\"Z\",\"nodes\":[]}]}]}",
	  "{\"node\":\"{{content}}<{{#nodes}}{{>node}}{{/nodes}}>\"}",
	  "X<Y<Z<>>>" },
	{ "nested", "{{>outer}}", "{\"a\":\"hello\",\"b\":\"world\"}",
	  "{\"outer\":\"*{{a}} {{>inner}}*\",\"inner\":\"{{b}}!\"}",
	  "*hello world!*" },
	{ "surrounding whitespace", "| {{>p}} |", "{}",
	  "{\"p\":\"\\t|\\t\"}", "| \t|\t |" },
	{ "inline indentation", "  {{data}}  {{> p}}\n",
	  "{\"data\":\"|\"}", "{\"p\":\">\\n>\"}", "  |  >\n>\n" },
	{ "standalone line endings", "|\r\n{{>p}}\r\n|", "{}",
	  "{\"p\":\">\"}", "|\r\n>|" },
	{ "standalone without previous line", "  {{>p}}\n>", "{}",
	  "{\"p\":\">\\n>\"}", "  >\n  >>" },
	{ "standalone without newline", ">\n  {{>p}}", "{}",
	  "{\"p\":\">\\n>\"}", ">\n  >\n  >" },
	{ "standalone indentation", "\\\n {{>p}}\n/\n",
	  "{\"content\":\"<\\n->\"}",
	  "{\"p\":\"|\\n{{{content}}}\\n|\\n\"}",
	  "\\\n |\n <\n->\n |\n/\n" },
	{ "nested standalone indentation", "x\n  {{>a}}\ny\n", "{}",
	  "{\"a\":\"a1\\n  {{>b}}\\na2\\n\",\"b\":\"b1\\nb2\\n\"}",
	  "x\n  a1\n    b1\n    b2\n  a2\ny\n" },
	{ "same partial, two indents", " {{>p}}\n  {{>p}}\n", "{}",
	  "{\"p\":\"1\\n2\\n\"}", " 1\n 2\n  1\n  2\n" },
	{ "padding whitespace", "|{{> p }}|", "{\"boolean\":true}",
	  "{\"p\":\"[]\"}", "|[]|" },
	{ "partial keeps default delimiters", "{{=<% %>=}}<%> p%>", "{\"x\":1}",
	  "{\"p\":\"{{x}}<%x%>\"}", "1<%x%>" },
	{ "partial inside list", "{{#l}}{{>p}},{{/l}}",
	  "{\"l\":[{\"v\":1},{\"v\":2}]}", "{\"p\":\"[{{v}}]\"}",
	  "[1],[2]," },
};

/* The delimiters module of the specification, written out afresh. */
static const struct case_ delim_cases[] = {
	{ "pair behavior", "{{=<% %>=}}(<%text%>)", "{\"text\":\"Hey!\"}",
	  NULL, "(Hey!)" },
	{ "special characters", "({{=[ ]=}}[text])",
	  "{\"text\":\"It worked!\"}", NULL, "(It worked!)" },
	{ "sections",
	  "[\n{{#section}}\n  {{data}}\n  |data|\n{{/section}}\n\n"
	  "{{= | | =}}\n|#section|\n  {{data}}\n  |data|\n|/section|\n]\n",
	  "{\"section\":true,\"data\":\"I got interpolated.\"}", NULL,
	  "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n"
	  "  I got interpolated.\n]\n" },
	{ "inverted sections",
	  "[\n{{^section}}\n  {{data}}\n  |data|\n{{/section}}\n\n"
	  "{{= | | =}}\n|^section|\n  {{data}}\n  |data|\n|/section|\n]\n",
	  "{\"section\":false,\"data\":\"I got interpolated.\"}", NULL,
	  "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n"
	  "  I got interpolated.\n]\n" },
	{ "partial inheritance", "[ {{>include}} ]\n{{= | | =}}\n"
	  "[ |>include| ]\n", "{\"value\":\"yes\"}",
	  "{\"include\":\".{{value}}.\"}", "[ .yes. ]\n[ .yes. ]\n" },
	{ "post-partial behavior", "[ {{>include}} ]\n"
	  "[ .{{value}}.  .|value|. ]\n", "{\"value\":\"yes\"}",
	  "{\"include\":\".{{value}}. {{= | | =}} .|value|.\"}",
	  "[ .yes.  .yes. ]\n[ .yes.  .|value|. ]\n" },
	{ "surrounding whitespace", "| {{=@ @=}} |", "{}", NULL, "|  |" },
	{ "outlying whitespace", " | {{=@ @=}}\n", "{}", NULL, " | \n" },
	{ "standalone tag", "Begin.\n{{=@ @=}}\nEnd.\n", "{}", NULL,
	  "Begin.\nEnd.\n" },
	{ "indented standalone tag", "Begin.\n  {{=@ @=}}\nEnd.\n", "{}",
	  NULL, "Begin.\nEnd.\n" },
	{ "standalone line endings", "|\r\n{{= @ @ =}}\r\n|", "{}", NULL,
	  "|\r\n|" },
	{ "standalone without previous line", "  {{=@ @=}}\n=", "{}", NULL,
	  "=" },
	{ "standalone without newline", "=\n  {{=@ @=}}", "{}", NULL,
	  "=\n" },
	{ "pair with padding", "|{{= @   @ =}}|", "{}", NULL, "||" },
	{ "triple with custom delimiters", "{{=<% %>=}}<%{x}%><%&x%><%x%>",
	  "{\"x\":\"<\"}", NULL, "<<&lt;" },
	{ "long delimiters", "{{=[[[ ]]]=}}[[[#a]]][[[.]]][[[/a]]]{{a}}",
	  "{\"a\":[1,2]}", NULL, "12{{a}}" },
	{ "switch back", "{{=| |=}}|x||={{ }}=|{{x}}", "{\"x\":7}", NULL,
	  "77" },
};

/* Behaviour the spec folder leaves open but the reports rely on. */
static const struct case_ misc_cases[] = {
	{ "object as JSON", "{{{o}}}", "{\"o\":{\"a\":[1,true,null]}}", NULL,
	  "{\"a\":[1,true,null]}" },
	{ "booleans", "{{t}} {{f}}", "{\"t\":true,\"f\":false}", NULL,
	  "true false" },
	{ "zero and empty string are truthy", "{{#z}}z{{/z}}{{#s}}s{{/s}}",
	  "{\"z\":0,\"s\":\"\"}", NULL, "zs" },
	{ "empty object is truthy", "{{#o}}o{{/o}}{{^o}}n{{/o}}",
	  "{\"o\":{}}", NULL, "o" },
	{ "no data", "a{{x}}{{#x}}b{{/x}}{{^x}}c{{/x}}", NULL, NULL, "ac" },
	{ "NUL-free key match is exact", "{{Name}}{{name}}",
	  "{\"name\":\"n\"}", NULL, "n" },
	{ "apostrophe", "{{q}}", "{\"q\":\"it's\"}", NULL, "it&#39;s" },
	{ "numbers", "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
	  "{\"a\":0.1,\"b\":-3.5,\"c\":123456789012,\"d\":1e20,"
	  "\"e\":-0.0,\"f\":1e-7,\"g\":2.5e-3}", NULL,
	  "0.1 -3.5 123456789012 1e+20 0 1e-07 0.0025" },
	{ "comment with delimiters inside", "a{{! {{x}} }b", "{}", NULL,
	  "a }b" },
};

static void
test_partials(void **state)
{
	(void)state;
	run_cases(partial_cases, sizeof(partial_cases) /
	    sizeof(partial_cases[0]), RA_ESCAPE_HTML);
}

static void
test_delimiters(void **state)
{
	(void)state;
	run_cases(delim_cases, sizeof(delim_cases) / sizeof(delim_cases[0]),
	    RA_ESCAPE_HTML);
}

static void
test_misc(void **state)
{
	(void)state;
	run_cases(misc_cases, sizeof(misc_cases) / sizeof(misc_cases[0]),
	    RA_ESCAPE_HTML);
}

/* ra_mustache_escape in Markdown mode, byte for byte. */
static void
test_markdown_escape_table(void **state)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "plain text 123", "plain text 123" },
		{ "a|b", "a\\|b" },
		{ "`code`", "\\`code\\`" },
		{ "**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_" },
		{ "[x](javascript:alert(1))",
		  "\\[x\\](javascript:alert(1))" },
		{ "# head", "\\# head" },
		{ "back\\slash", "back\\\\slash" },
		{ "<script>alert(\"x\")</script>",
		  "&lt;script&gt;alert(\"x\")&lt;/script&gt;" },
		{ "it's \"quoted\"", "it's \"quoted\"" },
		{ "a\nb", "a b" },
		{ "a\r\nb", "a b" },
		{ "a\n\nb", "a  b" },
		{ "a\rb\tc\x01" "d\x7f", "a b c d " },
		{ "| x |\n|---|", "\\| x \\| \\|---\\|" },
		{ "&amp;", "&amp;amp;" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ra_buf b;

		ra_buf_init(&b, 0);
		ra_mustache_escape(&b, t[i].in, strlen(t[i].in),
		    RA_ESCAPE_MARKDOWN);
		if (strcmp(ra_buf_cstr(&b), t[i].want) != 0)
			fail_msg("markdown escape of [%s]: got [%s] want [%s]",
			    t[i].in, ra_buf_cstr(&b), t[i].want);
		ra_buf_free(&b);
		/* HTML mode leaves Markdown characters alone. */
		ra_buf_init(&b, 0);
		ra_mustache_escape(&b, "|`*\n", 4, RA_ESCAPE_HTML);
		assert_string_equal(ra_buf_cstr(&b), "|`*\n");
		ra_buf_free(&b);
	}
}

/* Counts '|' not preceded by a backslash: the table cell separators. */
static int
count_cell_pipes(const char *s)
{
	int n = 0;

	for (size_t i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0') {
			i++;
			continue;
		}
		if (s[i] == '|')
			n++;
	}
	return n;
}

/*
 * A table row filled with hostile names stays one row of two cells: no
 * newline, exactly three cell pipes, no raw '<' and no unescaped
 * backtick or bracket.
 */
static void
test_markdown_table_row(void **state)
{
	static const char *hostile[] = {
		"a|b|c", "x\n| injected | row |", "`rm -rf /`",
		"<script>alert(1)</script>", "[click](javascript:alert(1))",
		"line1\r\nline2", "\\|", "\\", "``` fence", "<img src=x>",
		"tab\there", "../../etc/passwd", "*_#[]", "\x1b[31mred",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		cJSON *d = cJSON_CreateObject();
		struct ra_mustache_opts o;
		struct ra_buf b;
		const char *tmpl = "| {{name}} | {{#l}}{{.}}{{/l}} |\n";
		char err[256];
		const char *s;

		cJSON_AddStringToObject(d, "name", hostile[i]);
		cJSON_AddItemToObject(d, "l", cJSON_CreateStringArray(
		    &hostile[i], 1));
		memset(&o, 0, sizeof(o));
		o.escape = RA_ESCAPE_MARKDOWN;
		ra_buf_init(&b, 0);
		assert_int_equal(ra_mustache_render(&b, tmpl, strlen(tmpl), d,
		    &o, err, sizeof(err)), 0);
		s = ra_buf_cstr(&b);
		if (count_cell_pipes(s) != 3)
			fail_msg("[%s] breaks the row: %s", hostile[i], s);
		assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
		assert_null(strchr(s, '\r'));
		assert_null(strchr(s, '<'));
		for (size_t k = 0; s[k] != '\0'; k++) {
			if (s[k] == '\\') {
				k++;
				continue;
			}
			if (s[k] == '`' || s[k] == '[' || s[k] == ']' ||
			    (unsigned char)s[k] < 0x20 || s[k] == 0x7f)
				if (s[k] != '\n' || s[k + 1] != '\0')
					fail_msg("[%s] leaks 0x%02x: %s",
					    hostile[i], (unsigned char)s[k], s);
		}
		ra_buf_free(&b);
		cJSON_Delete(d);
	}
}

/* Raw tags stay raw in Markdown mode (the template author's choice). */
static void
test_markdown_raw_tags(void **state)
{
	char err[256], *got;

	(void)state;
	got = render("{{x}}|{{{x}}}|{{&x}}", "{\"x\":\"a|<b>\"}", NULL,
	    RA_ESCAPE_MARKDOWN, err, sizeof(err));
	assert_non_null(got);
	assert_string_equal(got, "a\\|&lt;b&gt;|a|<b>|a|<b>");
	free(got);
}

/* Template errors: message text with line and column. */
static void
test_errors(void **state)
{
	static const struct {
		const char *tmpl, *partials, *want;
	} t[] = {
		{ "ab\n  {{x", NULL,
		  "line 2, column 3: unclosed tag: no closing delimiter" },
		{ "{{{x}}", NULL,
		  "line 1, column 1: unclosed tag: no closing delimiter" },
		{ "x\n{{=<% %>=}}\n <%y", NULL,
		  "line 3, column 2: unclosed tag: no closing delimiter" },
		{ "{{#a}}\nx", NULL, "line 1, column 1: unclosed section 'a'" },
		{ "{{#a}}\n {{/b}}", NULL,
		  "line 2, column 2: mismatched close tag 'b': section 'a' "
		  "opened at line 1, column 1" },
		{ "x{{/a}}", NULL,
		  "line 1, column 2: close tag 'a' without an open section" },
		{ "\n\n   {{=a=}}", NULL,
		  "line 3, column 4: bad delimiter tag: want {{=OPEN CLOSE=}}, "
		  "two words without spaces or '='" },
		{ "{{= a b c =}}", NULL,
		  "line 1, column 1: bad delimiter tag: want {{=OPEN CLOSE=}}, "
		  "two words without spaces or '='" },
		{ "{{=a= b=}}", NULL,
		  "line 1, column 1: bad delimiter tag: want {{=OPEN CLOSE=}}, "
		  "two words without spaces or '='" },
		{ "a {{ }}", NULL, "line 1, column 3: empty tag name" },
		{ "{{#}}{{/}}", NULL, "line 1, column 1: empty tag name" },
		{ "ok {{>p}}", "{\"p\":\"1\\n2 {{#x}}\"}",
		  "partial 'p': line 2, column 3: unclosed section 'x'" },
		{ "{{>p}}", "{\"p\":\"{{>p}}\"}",
		  "partial 'p': line 1, column 1: partial 'p': partials "
		  "nested deeper than 32" },
		{ "{{#a}}{{/a\tb}}", NULL,
		  "line 1, column 7: mismatched close tag 'a?b'"
		  ": section 'a' opened at line 1, column 1" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char err[512], *got;

		got = render(t[i].tmpl, "{}", t[i].partials, RA_ESCAPE_HTML,
		    err, sizeof(err));
		if (got != NULL)
			fail_msg("[%s] rendered [%s], want error", t[i].tmpl,
			    got);
		if (strcmp(err, t[i].want) != 0)
			fail_msg("[%s]: got [%s] want [%s]", t[i].tmpl, err,
			    t[i].want);
	}
}

static int
failing_loader(void *ud, const char *name, char **text, size_t *len)
{
	(void)ud;
	(void)name;
	(void)text;
	(void)len;
	return -1;
}

/* A loader failure fails the render, with the partial's name. */
static void
test_loader_failure(void **state)
{
	struct ra_mustache_opts o;
	struct ra_buf b;
	char err[256];

	(void)state;
	memset(&o, 0, sizeof(o));
	o.load_partial = failing_loader;
	ra_buf_init(&b, 0);
	ra_buf_adds(&b, "keep");
	assert_int_equal(ra_mustache_render(&b, "x\n {{> ../etc }}", 16,
	    NULL, &o, err, sizeof(err)), -1);
	assert_string_equal(err, "line 2, column 2: partial '../etc' cannot "
	    "be loaded");
	assert_string_equal(ra_buf_cstr(&b), "keep");	/* cut back */
	ra_buf_free(&b);
}

/* Limits end in errors: output size, work, partial depth. */
static void
test_limits(void **state)
{
	struct ra_mustache_opts o;
	struct ra_buf b;
	cJSON *d, *p;
	char err[256];
	const char *t;

	(void)state;
	t = "{\"l\":[1,2,3,4,5,6,7,8,9,10]}";
	d = ra_json_parse(t, strlen(t), err, sizeof(err));
	assert_non_null(d);
	memset(&o, 0, sizeof(o));

	/* 10^4 = 10000 bytes over a 1000-byte limit. */
	o.max_output = 1000;
	t = "{{#l}}{{#l}}{{#l}}{{#l}}x{{/l}}{{/l}}{{/l}}{{/l}}";
	ra_buf_init(&b, 0);
	assert_int_equal(ra_mustache_render(&b, t, strlen(t), d, &o, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "output exceeds 1000 bytes");
	assert_int_equal(b.len, 0);
	ra_buf_free(&b);

	/* Silent nested loops: 10^8 steps, no output, stopped by steps. */
	o.max_output = 0;
	o.max_steps = 100000;
	t = "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}"
	    "{{! nothing }}"
	    "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}";
	ra_buf_init(&b, 0);
	assert_int_equal(ra_mustache_render(&b, t, strlen(t), d, &o, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 100000 steps"));
	ra_buf_free(&b);

	/* Self-recursion that the data ends after 8 levels but that
	 * fans out tenfold per level: 10^8 calls, stopped by steps. */
	{
		cJSON *dd, *n;

		t = "{\"p\":\"{{#l}}{{#n}}{{>p}}{{/n}}{{/l}}\"}";
		p = ra_json_parse(t, strlen(t), err, sizeof(err));
		assert_non_null(p);
		/* The leaf says n: false, or the lookup would fall back
		 * to its parent's n and recurse to the depth limit. */
		dd = cJSON_Duplicate(d, 1);
		n = cJSON_CreateObject();
		cJSON_AddFalseToObject(n, "n");
		for (int i = 0; i < 8; i++) {
			cJSON *up = cJSON_CreateObject();

			cJSON_AddItemToObject(up, "n", n);
			n = up;
		}
		cJSON_AddItemToObject(dd, "n", cJSON_DetachItemFromObject(n,
		    "n"));
		cJSON_Delete(n);
		o.load_partial = json_loader;
		o.ud = p;
		o.max_steps = 0;
		t = "{{>p}}";
		ra_buf_init(&b, 0);
		assert_int_equal(ra_mustache_render(&b, t, strlen(t), dd, &o,
		    err, sizeof(err)), -1);
		assert_non_null(strstr(err, "more than 16777216 steps"));
		ra_buf_free(&b);
		/* The same with 3 levels is 10^3 calls and succeeds. */
		cJSON_DeleteItemFromObject(dd, "n");
		n = cJSON_CreateObject();
		cJSON_AddItemToObject(n, "n", cJSON_CreateObject());
		cJSON_AddFalseToObject(cJSON_GetObjectItem(n, "n"), "n");
		cJSON_AddItemToObject(dd, "n", n);
		ra_buf_init(&b, 0);
		assert_int_equal(ra_mustache_render(&b, t, strlen(t), dd, &o,
		    err, sizeof(err)), 0);
		assert_int_equal(b.len, 0);
		ra_buf_free(&b);
		cJSON_Delete(dd);
	}

	/* A smaller depth limit is honoured. */
	o.max_partial_depth = 3;
	cJSON_Delete(p);
	t = "{\"p\":\"x{{>p}}\"}";
	p = ra_json_parse(t, strlen(t), err, sizeof(err));
	t = "{{>p}}";
	o.ud = p;
	ra_buf_init(&b, 0);
	assert_int_equal(ra_mustache_render(&b, t, strlen(t), d, &o, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "nested deeper than 3"));
	ra_buf_free(&b);

	/* Section nesting is bounded before rendering recurses. */
	{
		struct ra_buf deep;

		ra_buf_init(&deep, 0);
		for (int i = 0; i < 200; i++)
			ra_buf_adds(&deep, "{{#l}}");
		ra_buf_init(&b, 0);
		assert_int_equal(ra_mustache_render(&b, deep.data, deep.len,
		    d, NULL, err, sizeof(err)), -1);
		assert_string_equal(err, "line 1, column 601: sections "
		    "nested deeper than 100");
		ra_buf_free(&b);
		ra_buf_free(&deep);
	}
	cJSON_Delete(p);
	cJSON_Delete(d);
}

/* Text with NUL bytes and no tags passes through unchanged. */
static void
test_binary_text(void **state)
{
	struct ra_buf b;
	char err[64];
	const char t[] = "a\0b{{x}}\0";

	(void)state;
	ra_buf_init(&b, 0);
	assert_int_equal(ra_mustache_render(&b, t, sizeof(t) - 1, NULL, NULL,
	    err, sizeof(err)), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "a\0b\0", 4);
	ra_buf_free(&b);
}

/* ---- placeholders (opts.expand) ---- */

/* The values placeholders stand for: "@name" in test data is name's. */
static const char *ph_table = "{\"rows\": [{\"a\": 1}, {\"a\": \"<2>\"}],"
    " \"empty\": [], \"obj\": {\"x\": \"@inner\", \"z\": [\"@inner\"]},"
    " \"inner\": {\"y\": 5}, \"no\": false, \"self\": \"@self\"}";

struct ph_ud {
	cJSON	*table;
	int	 calls;
};

/* Strings "@name" of v become placeholders (cJSON_Raw) named "name". */
static void
rawify(cJSON *v)
{
	for (; v != NULL; v = v->next) {
		if (cJSON_IsString(v) && v->valuestring[0] == '@') {
			memmove(v->valuestring, v->valuestring + 1,
			    strlen(v->valuestring));
			v->type = cJSON_Raw;
		}
		rawify(v->child);
	}
}

static cJSON *
ph_expand(void *ud, const cJSON *ph)
{
	struct ph_ud *u = ud;
	const cJSON *v;
	cJSON *r;

	u->calls++;
	v = cJSON_GetObjectItemCaseSensitive(u->table, ph->valuestring);
	if (v == NULL)
		return NULL;
	r = cJSON_Duplicate(v, 1);
	rawify(r);
	return r;
}

static void
test_placeholders(void **state)
{
	static const struct {
		const char	*tmpl, *data, *want;
		int		 calls;	/* expansions by the lazy render */
	} t[] = {
		{ "{{#rows}}{{a}},{{/rows}}", "{\"rows\":\"@rows\"}",
		    "1,&lt;2&gt;,", 1 },
		{ "{{^rows}}none{{/rows}}", "{\"rows\":\"@empty\"}", "none", 1 },
		{ "{{^rows}}none{{/rows}}", "{\"rows\":\"@rows\"}", "", 1 },
		{ "{{#n}}yes{{/n}}", "{\"n\":\"@no\"}", "", 1 },
		{ "{{o.x.y}}", "{\"o\":\"@obj\"}", "5", 2 },
		{ "{{#o.z}}{{y}}{{/o.z}}", "{\"o\":\"@obj\"}", "5", 2 },
		{ "{{#list}}{{y}}{{/list}}", "{\"list\":[\"@inner\","
		    "\"@inner\"]}", "55", 2 },
		{ "{{#g}}{{#rows}}{{a}}{{/rows}};{{/g}}", "{\"g\":["
		    "{\"rows\":\"@rows\"},{\"rows\":\"@empty\"}]}",
		    "1&lt;2&gt;;;", 2 },
		/* whole values print as the fully built data would */
		{ "{{{.}}}", "{\"a\":\"@obj\",\"b\":1}",
		    "{\"a\":{\"x\":{\"y\":5},\"z\":[{\"y\":5}]},\"b\":1}", 3 },
		{ "{{{g}}}", "{\"g\":[{\"rows\":\"@empty\"}]}",
		    "[{\"rows\":[]}]", 1 },
		/* never looked up, never built */
		{ "{{a}}{{#b}}{{/b}}", "{\"a\":1,\"rows\":\"@rows\"}", "1", 0 },
		/* a lookup that misses walks up past a built value */
		{ "{{#o}}{{#inner}}{{b}}{{/inner}}{{/o}}",
		    "{\"o\":\"@obj\",\"b\":7,\"inner\":\"@inner\"}", "7", 2 },
	};
	struct ph_ud u;
	struct ra_mustache_opts o;
	struct ra_buf b, e;
	char err[256];
	cJSON *d, *full;

	(void)state;
	memset(&u, 0, sizeof(u));
	u.table = ra_json_parse(ph_table, strlen(ph_table), err, sizeof(err));
	assert_non_null(u.table);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		d = ra_json_parse(t[i].data, strlen(t[i].data), err,
		    sizeof(err));
		assert_non_null(d);
		rawify(d);
		memset(&o, 0, sizeof(o));
		o.expand = ph_expand;
		o.expand_ud = &u;
		u.calls = 0;
		ra_buf_init(&b, 0);
		if (ra_mustache_render(&b, t[i].tmpl, strlen(t[i].tmpl), d,
		    &o, err, sizeof(err)) != 0)
			fail_msg("placeholder case %zu: %s", i, err);
		if (strcmp(ra_buf_cstr(&b), t[i].want) != 0)
			fail_msg("placeholder case %zu: got '%s', want '%s'",
			    i, ra_buf_cstr(&b), t[i].want);
		if (u.calls != t[i].calls)
			fail_msg("placeholder case %zu: %d expansions, want %d",
			    i, u.calls, t[i].calls);
		/* the same bytes as the eagerly built data */
		full = ra_mustache_materialise(d, &o);
		assert_non_null(full);
		ra_buf_init(&e, 0);
		assert_int_equal(ra_mustache_render(&e, t[i].tmpl,
		    strlen(t[i].tmpl), full, NULL, err, sizeof(err)), 0);
		assert_string_equal(ra_buf_cstr(&e), ra_buf_cstr(&b));
		ra_buf_free(&e);
		ra_buf_free(&b);
		cJSON_Delete(full);
		cJSON_Delete(d);
	}

	/* a placeholder that cannot be built fails the render */
	d = ra_json_parse("{\"x\":\"@nosuch\"}", 15, err, sizeof(err));
	assert_non_null(d);
	rawify(d);
	ra_buf_init(&b, 0);
	ra_buf_adds(&b, "kept");
	assert_int_equal(ra_mustache_render(&b, "a{{x}}b", 7, d, &o, err,
	    sizeof(err)), -1);
	assert_string_equal(ra_buf_cstr(&b), "kept");
	assert_non_null(strstr(err, "line 1, column 2"));
	assert_non_null(strstr(err, "placeholder"));
	assert_int_equal(ra_mustache_render(&b, "{{{.}}}", 7, d, &o, err,
	    sizeof(err)), -1);
	assert_null(ra_mustache_materialise(d, &o));
	cJSON_Delete(d);

	/* one that builds itself forever is bounded */
	d = ra_json_parse("{\"x\":\"@self\"}", 13, err, sizeof(err));
	rawify(d);
	assert_int_equal(ra_mustache_render(&b, "{{x}}", 5, d, &o, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "too deep"));
	assert_null(ra_mustache_materialise(d, &o));

	/* without an expander a placeholder is truthy and prints nothing */
	assert_int_equal(ra_mustache_render(&b, "{{#x}}T{{/x}}[{{x}}]", 20, d,
	    NULL, err, sizeof(err)), 0);
	assert_string_equal(ra_buf_cstr(&b), "keptT[]");
	full = ra_mustache_materialise(d, NULL);
	assert_true(cJSON_Compare(full, d, 1));
	cJSON_Delete(full);
	cJSON_Delete(d);
	ra_buf_free(&b);
	cJSON_Delete(u.table);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_files),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_markdown_escape_table),
		cmocka_unit_test(test_markdown_table_row),
		cmocka_unit_test(test_markdown_raw_tags),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_loader_failure),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_binary_text),
		cmocka_unit_test(test_placeholders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
