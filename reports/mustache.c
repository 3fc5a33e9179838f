/*
 * mustache.c: see mustache.h.
 *
 * A template is first cut into a flat token array (text split after
 * every newline, tags with their sigil, name, line and column; set
 * delimiters take effect as the scan goes). A second pass applies the
 * standalone rule line by line: a line holding exactly one section,
 * inverted, close, comment, partial or delimiter tag and otherwise only
 * spaces and tabs loses its whitespace and line ending (a partial keeps
 * the leading whitespace as its indentation). A third pass pairs each
 * section with its close, storing the close's index in the opener, so
 * rendering walks index ranges and needs no tree.
 *
 * Placeholders (opts->expand): a lookup that lands on one builds its
 * value and keeps it on a stack of built values; each tag notes the
 * stack's height before it looks anything up and frees what it built
 * when it ends (a section after its last pass), so a placeholder's value
 * lives exactly as long as the tag or section that asked for it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "mustache.h"
#include "util.h"

enum tok_type {
	T_TEXT,
	T_VAR,		/* {{x}} escaped */
	T_RAW,		/* {{{x}}} and {{&x}} */
	T_SECTION,	/* {{#x}} */
	T_INVERTED,	/* {{^x}} */
	T_CLOSE,	/* {{/x}} */
	T_PARTIAL,	/* {{>x}} */
	T_COMMENT,	/* {{!x}} */
	T_DELIM		/* {{=a b=}} */
};

struct tok {
	enum tok_type	 type;
	const char	*s;		/* text, or the trimmed name */
	size_t		 n;
	const char	*indent;	/* standalone partial indentation */
	size_t		 indentn;
	size_t		 line, col;	/* 1-based, of the tag's opening */
	size_t		 end;		/* sections: index of their close */
	int		 removed;	/* standalone whitespace */
};

struct tmpl {
	struct tok	*toks;
	size_t		 ntoks, cap;
};

/* A loaded partial, keyed by name and indentation. */
struct partial {
	char		*name;
	char		*indent;
	char		*text;		/* owned; tokens point into it */
	size_t		 len;
	int		 missing;
	struct tmpl	 t;
	struct partial	*next;
};

struct state {
	struct ra_buf	*out;
	size_t		 out_start;
	size_t		 max_output;
	size_t		 steps, max_steps;
	int		 depth, max_depth;
	enum ra_escape	 escape;
	ra_mustache_loader load;
	void		*ud;
	const cJSON	**ctx;		/* context stack, [0] the root */
	size_t		 nctx, capctx;
	struct partial	*partials;
	const char	*where;		/* current partial name or NULL */
	char		*err;
	size_t		 errsz;
	int		 failed;
	ra_mustache_expander expand;
	void		*expand_ud;
	cJSON		**temps;	/* built placeholder values */
	size_t		 ntemps, captemps;
};

#define MAX_TEMPS	4096	/* built values alive at once */

static void	fail(struct state *, size_t, size_t, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

/*
 * Records the first error only; later ones are consequences. line 0
 * means the message has no template position.
 */
static void
fail(struct state *st, size_t line, size_t col, const char *fmt, ...)
{
	char msg[256], where[96], clean[64];
	va_list ap;

	if (st->failed)
		return;
	st->failed = 1;
	if (st->err == NULL || st->errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where[0] = '\0';
	if (st->where != NULL) {
		ra_sanitize_text(st->where, clean, sizeof(clean));
		snprintf(where, sizeof(where), "partial '%s': ", clean);
	}
	if (line > 0)
		snprintf(st->err, st->errsz, "%sline %zu, column %zu: %s",
		    where, line, col, msg);
	else
		snprintf(st->err, st->errsz, "%s%s", where, msg);
}

/* A printable, bounded copy of a tag name for messages. */
static void
name_for_msg(char *dst, size_t dstsz, const char *s, size_t n)
{
	char tmp[64];

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (tmp[i] == '\0')
			tmp[i] = '?';
	ra_sanitize_text(tmp, dst, dstsz);
}

static void
tmpl_free(struct tmpl *t)
{
	free(t->toks);
	t->toks = NULL;
	t->ntoks = t->cap = 0;
}

static struct tok *
tmpl_push(struct tmpl *t, enum tok_type type, const char *s, size_t n,
    size_t line, size_t col)
{
	struct tok *k;

	if (t->ntoks == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->toks = ra_realloc(t->toks, t->cap * sizeof(*t->toks));
	}
	k = &t->toks[t->ntoks++];
	memset(k, 0, sizeof(*k));
	k->type = type;
	k->s = s;
	k->n = n;
	k->line = line;
	k->col = col;
	return k;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Advances the line/column position over [p, q). */
static void
advance(size_t *line, const char **linestart, const char *p, const char *q)
{
	const char *nl;

	while (p < q && (nl = memchr(p, '\n', (size_t)(q - p))) != NULL) {
		(*line)++;
		*linestart = nl + 1;
		p = nl + 1;
	}
}

/* Emits [p, q) as text tokens, each ending after a newline or at q. */
static void
push_text(struct tmpl *t, const char *p, const char *q, size_t *line,
    const char **linestart)
{
	while (p < q) {
		const char *nl = memchr(p, '\n', (size_t)(q - p));
		const char *e = nl != NULL ? nl + 1 : q;

		tmpl_push(t, T_TEXT, p, (size_t)(e - p), *line,
		    (size_t)(p - *linestart) + 1);
		advance(line, linestart, p, e);
		p = e;
	}
}

/*
 * Parses "=<open> <close>=" content: two whitespace-separated words
 * without '='. Returns 0 and the new delimiters or -1.
 */
static int
parse_delims(const char *s, size_t n, const char **o, size_t *on,
    const char **c, size_t *cn)
{
	size_t i = 0, a;

	trim(&s, &n);
	while (i < n && !is_space(s[i]))
		i++;
	*o = s;
	*on = i;
	while (i < n && is_space(s[i]))
		i++;
	a = i;
	while (i < n && !is_space(s[i]))
		i++;
	*c = s + a;
	*cn = i - a;
	if (*on == 0 || *cn == 0 || i != n)
		return -1;
	if (memchr(*o, '=', *on) != NULL || memchr(*c, '=', *cn) != NULL)
		return -1;
	return 0;
}

/*
 * The first byte c in [p, end) that the closing delimiter cd (cdn bytes)
 * directly follows: the "}" of "}}}" or the "=" of "=}}". NULL if none.
 */
static const char *
find_close(const char *p, const char *end, char c, const char *cd,
    size_t cdn)
{
	for (; p < end; p++) {
		if ((p = memchr(p, c, (size_t)(end - p))) == NULL)
			break;
		if ((size_t)(end - p - 1) >= cdn && memcmp(p + 1, cd, cdn) == 0)
			return p;
	}
	return NULL;
}

static int
tokenize(struct state *st, struct tmpl *t, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *linestart = s;
	const char *od = "{{", *cd = "}}";
	size_t odn = 2, cdn = 2, line = 1, tline = 1, tcol = 1;

	while (p < end) {
		const char *tag, *body, *close, *name;
		size_t namen;
		enum tok_type type;

		tag = memmem(p, (size_t)(end - p), od, odn);
		if (tag == NULL) {
			push_text(t, p, end, &line, &linestart);
			break;
		}
		push_text(t, p, tag, &line, &linestart);
		tline = line;
		tcol = (size_t)(tag - linestart) + 1;
		body = tag + odn;
		if (body < end && *body == '{') {
			/* Triple mustache: "{" name "}" close. */
			if ((close = find_close(body + 1, end, '}', cd,
			    cdn)) == NULL)
				goto unclosed;
			type = T_RAW;
			name = body + 1;
			namen = (size_t)(close - name);
			p = close + 1 + cdn;
		} else if (body < end && *body == '=') {
			const char *o, *c;
			size_t on, cn;

			if ((close = find_close(body + 1, end, '=', cd,
			    cdn)) == NULL)
				goto unclosed;
			if (parse_delims(body + 1, (size_t)(close - body - 1),
			    &o, &on, &c, &cn) != 0) {
				fail(st, tline, tcol, "bad delimiter tag: "
				    "want {{=OPEN CLOSE=}}, two words without "
				    "spaces or '='");
				return -1;
			}
			tmpl_push(t, T_DELIM, body, 0, tline, tcol);
			p = close + 1 + cdn;
			advance(&line, &linestart, tag, p);
			od = o;
			odn = on;
			cd = c;
			cdn = cn;
			continue;
		} else {
			close = memmem(body, (size_t)(end - body), cd, cdn);
			if (close == NULL)
				goto unclosed;
			type = T_VAR;
			name = body;
			if (body < close) {
				switch (*body) {
				case '&': type = T_RAW; break;
				case '#': type = T_SECTION; break;
				case '^': type = T_INVERTED; break;
				case '/': type = T_CLOSE; break;
				case '>': type = T_PARTIAL; break;
				case '!': type = T_COMMENT; break;
				default: break;
				}
			}
			if (type != T_VAR)
				name++;
			namen = (size_t)(close - name);
			p = close + cdn;
		}
		trim(&name, &namen);
		if (namen == 0 && type != T_COMMENT) {
			fail(st, tline, tcol, "empty tag name");
			return -1;
		}
		tmpl_push(t, type, name, namen, tline, tcol);
		advance(&line, &linestart, tag, p);
	}
	return 0;
unclosed:
	fail(st, tline, tcol, "unclosed tag: no closing delimiter");
	return -1;
}

static int
standalone_kind(enum tok_type type)
{
	return type == T_SECTION || type == T_INVERTED || type == T_CLOSE ||
	    type == T_PARTIAL || type == T_COMMENT || type == T_DELIM;
}

/* Text of spaces and tabs, optionally ended by "\n" or "\r\n". */
static int
text_blank(const struct tok *k)
{
	size_t n = k->n;

	if (n > 0 && k->s[n - 1] == '\n') {
		n--;
		if (n > 0 && k->s[n - 1] == '\r')
			n--;
	}
	for (size_t i = 0; i < n; i++)
		if (!is_blank(k->s[i]))
			return 0;
	return 1;
}

static void
mark_standalone(struct tmpl *t)
{
	size_t i = 0;

	while (i < t->ntoks) {
		size_t j = i, ntags = 0, tag = 0;
		int blank = 1;

		while (j < t->ntoks) {
			struct tok *k = &t->toks[j++];

			if (k->type == T_TEXT) {
				if (!text_blank(k))
					blank = 0;
				if (k->s[k->n - 1] == '\n')
					break;
			} else {
				ntags++;
				tag = j - 1;
			}
		}
		if (ntags == 1 && blank && standalone_kind(t->toks[tag].type)) {
			if (t->toks[tag].type == T_PARTIAL && tag > i) {
				t->toks[tag].indent = t->toks[i].s;
				t->toks[tag].indentn = t->toks[i].n;
			}
			for (size_t k = i; k < j; k++)
				if (t->toks[k].type == T_TEXT)
					t->toks[k].removed = 1;
		}
		i = j;
	}
}

static int
pair_sections(struct state *st, struct tmpl *t)
{
	size_t stack[RA_MUSTACHE_MAX_NEST], n = 0;
	char a[64], b[64];

	for (size_t i = 0; i < t->ntoks; i++) {
		struct tok *k = &t->toks[i];

		if (k->type == T_SECTION || k->type == T_INVERTED) {
			if (n == RA_MUSTACHE_MAX_NEST) {
				fail(st, k->line, k->col, "sections nested "
				    "deeper than %d", RA_MUSTACHE_MAX_NEST);
				return -1;
			}
			stack[n++] = i;
		} else if (k->type == T_CLOSE) {
			struct tok *o;

			if (n == 0) {
				name_for_msg(a, sizeof(a), k->s, k->n);
				fail(st, k->line, k->col, "close tag '%s' "
				    "without an open section", a);
				return -1;
			}
			o = &t->toks[stack[--n]];
			if (o->n != k->n || memcmp(o->s, k->s, k->n) != 0) {
				name_for_msg(a, sizeof(a), o->s, o->n);
				name_for_msg(b, sizeof(b), k->s, k->n);
				fail(st, k->line, k->col, "mismatched close "
				    "tag '%s': section '%s' opened at line %zu, "
				    "column %zu", b, a, o->line, o->col);
				return -1;
			}
			o->end = i;
		}
	}
	if (n > 0) {
		struct tok *o = &t->toks[stack[n - 1]];

		name_for_msg(a, sizeof(a), o->s, o->n);
		fail(st, o->line, o->col, "unclosed section '%s'", a);
		return -1;
	}
	return 0;
}

static int
parse(struct state *st, struct tmpl *t, const char *s, size_t len)
{
	if (tokenize(st, t, s, len) != 0)
		return -1;
	mark_standalone(t);
	return pair_sections(st, t);
}

/* ---- values ---- */

void
ra_mustache_escape(struct ra_buf *out, const char *s, size_t n,
    enum ra_escape mode)
{
	size_t run = 0;	/* start of the bytes not yet copied */

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		char two[3];

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"':
		case '\'':
			/* Quotes matter only inside HTML attributes, which the
			 * Markdown mode never lets through (no '<'): keep them
			 * readable there. */
			if (mode != RA_ESCAPE_MARKDOWN)
				rep = c == '"' ? "&quot;" : "&#39;";
			break;
		default:
			if (mode != RA_ESCAPE_MARKDOWN)
				break;
			if (c < 0x20 || c == 0x7f) {
				rep = " ";
			} else if (strchr("|`*_[]#\\", c) != NULL) {
				two[0] = '\\';
				two[1] = (char)c;
				two[2] = '\0';
				rep = two;
			}
			break;
		}
		if (rep == NULL)
			continue;
		ra_buf_add(out, s + run, i - run);
		ra_buf_adds(out, rep);
		/* A CR LF pair becomes one space, not two. */
		if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
			i++;
		run = i + 1;
	}
	ra_buf_add(out, s + run, n - run);
}

/* Shortest text that reads back as d; integers without a point. */
static void
format_number(char *dst, size_t dstsz, double d)
{
	if (d == 0) {
		snprintf(dst, dstsz, "0");
		return;
	}
	if (isfinite(d) && d == floor(d) && fabs(d) < 1e17) {
		snprintf(dst, dstsz, "%.0f", d);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(dst, dstsz, "%.*g", prec, d);
		if (strtod(dst, NULL) == d)
			return;
	}
}

static void
emit(struct state *st, const char *s, size_t n, int escaped)
{
	if (escaped)
		ra_mustache_escape(st->out, s, n, st->escape);
	else
		ra_buf_add(st->out, s, n);
	if (st->out->err)
		fail(st, 0, 0, "output: out of memory, over the buffer's "
		    "limit or not written");
	else if (ra_buf_total(st->out) - st->out_start > st->max_output)
		fail(st, 0, 0, "output exceeds %zu bytes", st->max_output);
}

/* 1 when v is or holds a placeholder. */
static int
has_placeholder(const cJSON *v)
{
	if (cJSON_IsRaw(v))
		return 1;
	if (cJSON_IsObject(v) || cJSON_IsArray(v))
		for (const cJSON *c = v->child; c != NULL; c = c->next)
			if (has_placeholder(c))
				return 1;
	return 0;
}

/* See ra_mustache_materialise; depth counts nested expansions. */
static cJSON *
materialise(const cJSON *v, ra_mustache_expander expand, void *ud, int depth)
{
	cJSON *copy = NULL, *x, *built;

	if (expand != NULL && cJSON_IsRaw(v)) {
		if (depth >= RA_MUSTACHE_MAX_NEST ||
		    (built = expand(ud, v)) == NULL)
			return NULL;
		copy = materialise(built, expand, ud, depth + 1);
		cJSON_Delete(built);
		return copy;
	}
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return cJSON_Duplicate(v, 0);
	copy = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
	for (const cJSON *c = v->child; copy != NULL && c != NULL;
	    c = c->next) {
		if ((x = materialise(c, expand, ud, depth)) == NULL) {
			cJSON_Delete(copy);
			copy = NULL;
		} else if (cJSON_IsObject(v))
			cJSON_AddItemToObject(copy, c->string, x);
		else
			cJSON_AddItemToArray(copy, x);
	}
	return copy;
}

cJSON *
ra_mustache_materialise(const cJSON *data,
    const struct ra_mustache_opts *opts)
{
	if (data == NULL)
		return NULL;
	return materialise(data, opts != NULL ? opts->expand : NULL,
	    opts != NULL ? opts->expand_ud : NULL, 0);
}

static void
emit_value(struct state *st, const cJSON *v, int escaped)
{
	char num[64];
	char *json;
	cJSON *full;

	if (v == NULL || cJSON_IsNull(v) || cJSON_IsInvalid(v))
		return;
	if (cJSON_IsString(v)) {
		if (v->valuestring != NULL)
			emit(st, v->valuestring, strlen(v->valuestring),
			    escaped);
	} else if (cJSON_IsNumber(v)) {
		format_number(num, sizeof(num), v->valuedouble);
		emit(st, num, strlen(num), escaped);
	} else if (cJSON_IsTrue(v)) {
		emit(st, "true", 4, escaped);
	} else if (cJSON_IsFalse(v)) {
		emit(st, "false", 5, escaped);
	} else if (st->expand != NULL && has_placeholder(v)) {
		/* the whole value, as the fully built data would print */
		if ((full = materialise(v, st->expand, st->expand_ud, 0)) ==
		    NULL) {
			fail(st, 0, 0, "a placeholder value could not be built");
			return;
		}
		emit_value(st, full, escaped);
		cJSON_Delete(full);
	} else if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		if ((json = cJSON_PrintUnformatted(v)) == NULL) {
			fail(st, 0, 0, "out of memory printing a value");
			return;
		}
		emit(st, json, strlen(json), escaped);
		cJSON_free(json);
	}
}

/* The member `key` (n bytes, may hold any byte) of object o, or NULL. */
static const cJSON *
member(const cJSON *o, const char *key, size_t n)
{
	const cJSON *c;

	if (o == NULL || !cJSON_IsObject(o))
		return NULL;
	for (c = o->child; c != NULL; c = c->next)
		if (c->string != NULL && strlen(c->string) == n &&
		    memcmp(c->string, key, n) == 0)
			return c;
	return NULL;
}

/*
 * v, or when v is a placeholder the value built for it (kept on the
 * stack of built values until the asking tag ends); NULL after fail()
 * when it cannot be built.
 */
static const cJSON *
resolve(struct state *st, const struct tok *k, const cJSON *v)
{
	cJSON *x;

	for (int n = 0; v != NULL && st->expand != NULL && cJSON_IsRaw(v);
	    n++) {
		if (n == RA_MUSTACHE_MAX_NEST || st->ntemps == MAX_TEMPS) {
			fail(st, k->line, k->col, "placeholders nested too "
			    "deep");
			return NULL;
		}
		if ((x = st->expand(st->expand_ud, v)) == NULL) {
			fail(st, k->line, k->col, "a placeholder value could "
			    "not be built");
			return NULL;
		}
		if (st->ntemps == st->captemps) {
			st->captemps = st->captemps ? st->captemps * 2 : 16;
			st->temps = ra_realloc(st->temps,
			    st->captemps * sizeof(*st->temps));
		}
		st->temps[st->ntemps++] = x;
		v = x;
	}
	return v;
}

/* Frees the built values above `mark`. */
static void
release(struct state *st, size_t mark)
{
	while (st->ntemps > mark)
		cJSON_Delete(st->temps[--st->ntemps]);
}

/*
 * Context stack lookup of the specification for tag k: "." is the top;
 * otherwise the first dotted part is searched from the top down, and
 * the rest is resolved inside what it found only (no further search).
 * Every step that lands on a placeholder builds it.
 */
static const cJSON *
lookup(struct state *st, const struct tok *k)
{
	const cJSON *v = NULL;
	const char *name = k->s, *dot;
	size_t n = k->n, part;

	if (st->nctx == 0)
		return NULL;
	if (n == 1 && name[0] == '.')
		return resolve(st, k, st->ctx[st->nctx - 1]);
	dot = memchr(name, '.', n);
	part = dot != NULL ? (size_t)(dot - name) : n;
	for (size_t i = st->nctx; i > 0; i--)
		if ((v = member(st->ctx[i - 1], name, part)) != NULL)
			break;
	v = resolve(st, k, v);
	while (v != NULL && dot != NULL) {
		name = dot + 1;
		n -= part + 1;
		dot = memchr(name, '.', n);
		part = dot != NULL ? (size_t)(dot - name) : n;
		v = resolve(st, k, member(v, name, part));
	}
	return v;
}

static int
truthy(const cJSON *v)
{
	if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v) ||
	    cJSON_IsInvalid(v))
		return 0;
	if (cJSON_IsArray(v) && v->child == NULL)
		return 0;
	return 1;
}

static void
ctx_push(struct state *st, const cJSON *v)
{
	if (st->nctx == st->capctx) {
		st->capctx = st->capctx ? st->capctx * 2 : 16;
		st->ctx = ra_realloc(st->ctx, st->capctx * sizeof(*st->ctx));
	}
	st->ctx[st->nctx++] = v;
}

/* ---- partials ---- */

/* The partial text with `indent` put before every line. */
static char *
indent_text(const char *s, size_t n, const char *ind, size_t indn,
    size_t *outn)
{
	struct ra_buf b;
	size_t start = 0;
	char *r;

	ra_buf_init(&b, 0);
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '\n') {
			size_t e = i < n ? i + 1 : n;

			if (e > start) {
				ra_buf_add(&b, ind, indn);
				ra_buf_add(&b, s + start, e - start);
			}
			start = e;
		}
	}
	*outn = b.len;
	r = ra_buf_steal(&b);
	if (r == NULL && !b.err)
		r = ra_strdup("");
	return r;
}

static void
partial_free(struct partial *p)
{
	while (p != NULL) {
		struct partial *next = p->next;

		free(p->name);
		free(p->indent);
		free(p->text);
		tmpl_free(&p->t);
		free(p);
		p = next;
	}
}

static struct partial *
partial_get(struct state *st, const struct tok *k)
{
	struct partial *p;
	char *name = NULL, *text = NULL, *ind = NULL;
	size_t len = 0;
	const char *saved;
	int rc;

	for (p = st->partials; p != NULL; p = p->next)
		if (strlen(p->name) == k->n &&
		    memcmp(p->name, k->s, k->n) == 0 &&
		    strlen(p->indent) == k->indentn &&
		    (k->indentn == 0 ||
		    memcmp(p->indent, k->indent, k->indentn) == 0))
			return p;
	if (memchr(k->s, '\0', k->n) != NULL) {
		fail(st, k->line, k->col, "partial name holds a NUL byte");
		return NULL;
	}
	name = ra_malloc(k->n + 1);
	memcpy(name, k->s, k->n);
	name[k->n] = '\0';
	ind = ra_malloc(k->indentn + 1);
	if (k->indentn > 0)
		memcpy(ind, k->indent, k->indentn);
	ind[k->indentn] = '\0';
	p = ra_calloc(1, sizeof(*p));
	p->name = name;
	p->indent = ind;
	p->next = st->partials;
	st->partials = p;
	rc = st->load != NULL ? st->load(st->ud, name, &text, &len) : 1;
	if (rc == 1 || (rc == 0 && text == NULL)) {
		p->missing = 1;
		return p;
	}
	if (rc != 0) {
		char clean[64];

		name_for_msg(clean, sizeof(clean), k->s, k->n);
		fail(st, k->line, k->col, "partial '%s' cannot be loaded",
		    clean);
		return NULL;
	}
	if (k->indentn > 0) {
		p->text = indent_text(text, len, k->indent, k->indentn,
		    &p->len);
		free(text);
		if (p->text == NULL) {
			fail(st, 0, 0, "out of memory indenting a partial");
			return NULL;
		}
	} else {
		p->text = text;
		p->len = len;
	}
	st->steps += p->len / 64;
	saved = st->where;
	st->where = p->name;
	rc = parse(st, &p->t, p->text, p->len);
	st->where = saved;
	return rc == 0 ? p : NULL;
}

/* ---- rendering ---- */

static void
render_range(struct state *st, const struct tmpl *t, size_t from, size_t to)
{
	for (size_t i = from; i < to && !st->failed; i++) {
		const struct tok *k = &t->toks[i];
		const cJSON *v;
		size_t mark = st->ntemps;

		if (++st->steps > st->max_steps) {
			fail(st, k->line, k->col, "rendering takes more "
			    "than %zu steps (recursive partials or nested "
			    "loops?)", st->max_steps);
			return;
		}
		switch (k->type) {
		case T_TEXT:
			if (!k->removed)
				emit(st, k->s, k->n, 0);
			break;
		case T_VAR:
		case T_RAW:
			emit_value(st, lookup(st, k), k->type == T_VAR);
			break;
		case T_SECTION:
			v = lookup(st, k);
			if (cJSON_IsArray(v)) {
				for (const cJSON *e = v->child;
				    e != NULL && !st->failed; e = e->next) {
					size_t emark = st->ntemps;
					const cJSON *ev = resolve(st, k, e);

					if (ev == NULL)
						break;
					ctx_push(st, ev);
					render_range(st, t, i + 1, k->end);
					st->nctx--;
					release(st, emark);
				}
			} else if (truthy(v)) {
				ctx_push(st, v);
				render_range(st, t, i + 1, k->end);
				st->nctx--;
			}
			i = k->end;
			break;
		case T_INVERTED:
			if (!truthy(lookup(st, k)) && !st->failed)
				render_range(st, t, i + 1, k->end);
			i = k->end;
			break;
		case T_PARTIAL: {
			struct partial *p;
			const char *saved;

			if (st->depth >= st->max_depth) {
				char clean[64];

				name_for_msg(clean, sizeof(clean), k->s, k->n);
				fail(st, k->line, k->col, "partial '%s': "
				    "partials nested deeper than %d", clean,
				    st->max_depth);
				return;
			}
			if ((p = partial_get(st, k)) == NULL || p->missing)
				break;
			saved = st->where;
			st->where = p->name;
			st->depth++;
			render_range(st, &p->t, 0, p->t.ntoks);
			st->depth--;
			st->where = saved;
			break;
		}
		case T_CLOSE:
		case T_COMMENT:
		case T_DELIM:
			break;
		}
		release(st, mark);
	}
}

int
ra_mustache_render(struct ra_buf *out, const char *tmpl, size_t len,
    const cJSON *data, const struct ra_mustache_opts *opts, char *err,
    size_t errsz)
{
	static const struct ra_mustache_opts defaults;
	struct state st;
	struct tmpl t;
	int rc = -1;

	if (opts == NULL)
		opts = &defaults;
	memset(&st, 0, sizeof(st));
	memset(&t, 0, sizeof(t));
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	st.out = out;
	st.out_start = ra_buf_total(out);
	st.max_output = opts->max_output ? opts->max_output :
	    RA_MUSTACHE_MAX_OUTPUT;
	st.max_steps = opts->max_steps ? opts->max_steps :
	    RA_MUSTACHE_MAX_STEPS;
	st.max_depth = opts->max_partial_depth > 0 ?
	    opts->max_partial_depth : RA_MUSTACHE_MAX_DEPTH;
	st.escape = opts->escape;
	st.load = opts->load_partial;
	st.ud = opts->ud;
	st.expand = opts->expand;
	st.expand_ud = opts->expand_ud;
	st.err = err;
	st.errsz = errsz;
	if (tmpl == NULL)
		len = 0;
	if (out->err) {
		fail(&st, 0, 0, "output buffer already failed");
		goto out;
	}
	if (parse(&st, &t, tmpl != NULL ? tmpl : "", len) != 0)
		goto out;
	if (data != NULL && (data = resolve(&st, &(struct tok){ .line = 0 },
	    data)) != NULL)
		ctx_push(&st, data);
	render_range(&st, &t, 0, t.ntoks);
	if (!st.failed)
		rc = 0;
out:
	/* a failed render leaves nothing in the buffer (what a sink took
	 * is the sink owner's to discard) */
	if (rc != 0 && !out->err && out->flushed <= st.out_start &&
	    out->len > st.out_start - out->flushed) {
		out->len = st.out_start - out->flushed;
		out->data[out->len] = '\0';
	}
	release(&st, 0);
	free(st.temps);
	tmpl_free(&t);
	partial_free(st.partials);
	free(st.ctx);
	return rc;
}
