/* envfile.c: see envfile.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "envfile.h"
#include "util.h"

struct lex {
	const char	*p;
	const char	*end;
	size_t		 line;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_key_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int
is_key_char(char c)
{
	return is_key_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static void
skip_blanks(struct lex *lx)
{
	while (lx->p < lx->end && is_blank(*lx->p))
		lx->p++;
}

/* At a line end (LF, CRLF) or the end of the text. */
static int
at_eol(const struct lex *lx)
{
	return lx->p == lx->end || *lx->p == '\n' ||
	    (*lx->p == '\r' && lx->p + 1 < lx->end && lx->p[1] == '\n');
}

/* Moves past the current line end, if any. */
static void
next_line(struct lex *lx)
{
	if (lx->p < lx->end && *lx->p == '\r')
		lx->p++;
	if (lx->p < lx->end && *lx->p == '\n') {
		lx->p++;
		lx->line++;
	}
}

static void
skip_comment(struct lex *lx)
{
	while (!at_eol(lx))
		lx->p++;
}

/* After a closing quote: blanks, an optional comment, the line end. */
static int
rest_of_line(struct lex *lx, char *err, size_t errsz)
{
	skip_blanks(lx);
	if (lx->p < lx->end && *lx->p == '#')
		skip_comment(lx);
	if (!at_eol(lx)) {
		snprintf(err, errsz, "line %zu: unexpected text after the "
		    "closing quote", lx->line);
		return -1;
	}
	return 0;
}

static int
value_single(struct lex *lx, struct ra_buf *v, char *err, size_t errsz)
{
	size_t start = lx->line;

	lx->p++;
	for (; lx->p < lx->end && *lx->p != '\''; lx->p++) {
		if (*lx->p == '\n')
			lx->line++;
		ra_buf_addc(v, *lx->p);
	}
	if (lx->p == lx->end) {
		snprintf(err, errsz, "line %zu: unterminated single quote",
		    start);
		return -1;
	}
	lx->p++;
	return rest_of_line(lx, err, errsz);
}

static int
value_double(struct lex *lx, struct ra_buf *v, char *err, size_t errsz)
{
	size_t start = lx->line;

	lx->p++;
	while (lx->p < lx->end && *lx->p != '"') {
		char c = *lx->p++;

		if (c == '\n')
			lx->line++;
		if (c != '\\' || lx->p == lx->end) {
			ra_buf_addc(v, c);
			continue;
		}
		c = *lx->p++;
		switch (c) {
		case 'n':
			ra_buf_addc(v, '\n');
			break;
		case 'r':
			ra_buf_addc(v, '\r');
			break;
		case 't':
			ra_buf_addc(v, '\t');
			break;
		case '"':
		case '\\':
		case '\'':
		case '$':
			ra_buf_addc(v, c);
			break;
		default:
			if (c == '\n')
				lx->line++;
			ra_buf_addc(v, '\\');
			ra_buf_addc(v, c);
			break;
		}
	}
	if (lx->p == lx->end) {
		snprintf(err, errsz, "line %zu: unterminated double quote",
		    start);
		return -1;
	}
	lx->p++;
	return rest_of_line(lx, err, errsz);
}

/* Unquoted: up to the line end or a comment that follows a blank. */
static void
value_plain(struct lex *lx, struct ra_buf *v)
{
	const char *s = lx->p, *e;

	/* lx->p > text: at least "K=" precedes the value */
	while (!at_eol(lx) && !(*lx->p == '#' && is_blank(lx->p[-1])))
		lx->p++;
	e = lx->p;
	while (e > s && is_blank(e[-1]))
		e--;
	ra_buf_add(v, s, (size_t)(e - s));
	skip_comment(lx);
}

int
ra_envfile_get(const char *text, size_t len, const char *variable,
    char **value, char *err, size_t errsz)
{
	struct lex lx = { text, text + len, 1 };
	struct ra_buf v;
	char *found = NULL;
	size_t vlen;
	int rc = -1;

	*value = NULL;
	ra_buf_init(&v, len + 1);
	vlen = variable ? strlen(variable) : 0;
	if (vlen == 0 || !is_key_start(variable[0])) {
		snprintf(err, errsz, "invalid variable name");
		goto out;
	}
	for (size_t i = 1; i < vlen; i++)
		if (!is_key_char(variable[i])) {
			snprintf(err, errsz, "invalid variable name");
			goto out;
		}
	if (text == NULL && len > 0) {
		snprintf(err, errsz, "no text");
		goto out;
	}
	if (len > 0 && memchr(text, '\0', len) != NULL) {
		const char *nul = memchr(text, '\0', len);
		size_t line = 1;

		for (const char *q = text; q < nul; q++)
			line += *q == '\n';
		snprintf(err, errsz, "line %zu: NUL byte", line);
		goto out;
	}
	while (lx.p < lx.end) {
		const char *key;
		size_t klen;
		int r = 0;

		skip_blanks(&lx);
		if (at_eol(&lx)) {
			next_line(&lx);
			continue;
		}
		if (*lx.p == '#') {
			skip_comment(&lx);
			next_line(&lx);
			continue;
		}
		if ((size_t)(lx.end - lx.p) > 6 &&
		    strncmp(lx.p, "export", 6) == 0 && is_blank(lx.p[6])) {
			lx.p += 6;
			skip_blanks(&lx);
		}
		key = lx.p;
		if (lx.p == lx.end || !is_key_start(*lx.p)) {
			snprintf(err, errsz, "line %zu: expected a variable "
			    "name", lx.line);
			goto out;
		}
		while (lx.p < lx.end && is_key_char(*lx.p))
			lx.p++;
		klen = (size_t)(lx.p - key);
		skip_blanks(&lx);
		if (lx.p == lx.end || *lx.p != '=') {
			snprintf(err, errsz, "line %zu: expected '=' after "
			    "the variable name", lx.line);
			goto out;
		}
		lx.p++;
		skip_blanks(&lx);
		ra_buf_reset(&v);
		if (lx.p < lx.end && *lx.p == '\'')
			r = value_single(&lx, &v, err, errsz);
		else if (lx.p < lx.end && *lx.p == '"')
			r = value_double(&lx, &v, err, errsz);
		else
			value_plain(&lx, &v);
		if (r != 0)
			goto out;
		if (v.err) {
			snprintf(err, errsz, "line %zu: value too large",
			    lx.line);
			goto out;
		}
		if (klen == vlen && memcmp(key, variable, vlen) == 0) {
			free(found);
			found = ra_strdup(ra_buf_cstr(&v));
		}
		next_line(&lx);
	}
	*value = found;
	found = NULL;
	rc = *value != NULL;
out:
	free(found);
	ra_buf_free(&v);
	return rc;
}
