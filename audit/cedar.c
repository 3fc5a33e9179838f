/*
 * cedar.c: parser and exact evaluator for the Cedar subset of Atlas
 * resource policies (docs/CEDAR.md explains the subset, the decision
 * procedure and why it is exact).
 *
 * Layout: lexer, recursive-descent parser into a small AST (depth
 * bounded by RA_CEDAR_MAX_DEPTH so hostile input cannot exhaust the
 * stack; && and || chains are n-ary nodes), a three-valued evaluator
 * over one concrete request, and the decision procedure that enumerates
 * a finite family of representative region sets.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cedar.h"
#include "cedar_int.h"
#include "regions.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Lexer */

enum tok {
	T_EOF, T_IDENT, T_STR, T_INT, T_LP, T_RP, T_LB, T_RB, T_LC, T_RC,
	T_COMMA, T_SEMI, T_DOT, T_NOT, T_EQ, T_NE, T_AND, T_OR, T_COLCOL,
	T_AT
};

struct parser {
	const char	*src;
	size_t		 pos;
	int		 line, col;	/* of the next unread byte */
	enum tok	 tok;		/* current token */
	char		*text;		/* its text (ident, decoded string) */
	int		 tline, tcol;	/* its position */
	int		 depth;
	int		 failed;
	char		 err[160];
};

static void
perr(struct parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
perr(struct parser *p, int line, int col, const char *fmt, ...)
{
	char msg[120];
	va_list ap;

	if (p->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, sizeof(p->err), "line %d col %d: %s", line, col,
	    msg);
	p->failed = 1;
}

static int
peekc(const struct parser *p, size_t off)
{
	size_t i;

	for (i = 0; i < off; i++)
		if (p->src[p->pos + i] == '\0')
			return 0;
	return (unsigned char)p->src[p->pos + off];
}

static void
advc(struct parser *p)
{
	if (p->src[p->pos] == '\n') {
		p->line++;
		p->col = 1;
	} else
		p->col++;
	p->pos++;
}

static int
is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_ident(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static void
utf8_put(struct ra_buf *b, unsigned long cp)
{
	if (cp < 0x80)
		ra_buf_addc(b, (char)cp);
	else if (cp < 0x800) {
		ra_buf_addc(b, (char)(0xc0 | (cp >> 6)));
		ra_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		ra_buf_addc(b, (char)(0xe0 | (cp >> 12)));
		ra_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		ra_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		ra_buf_addc(b, (char)(0xf0 | (cp >> 18)));
		ra_buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		ra_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		ra_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Reads a string literal (the opening quote is current). */
static void
lex_string(struct parser *p)
{
	struct ra_buf b;
	int line = p->line, col = p->col;

	ra_buf_init(&b, 1u << 20);
	advc(p);
	for (;;) {
		int c = peekc(p, 0);

		if (c == 0) {
			perr(p, line, col, "unterminated string");
			goto out;
		}
		if (c == '"') {
			advc(p);
			break;
		}
		if (c != '\\') {
			ra_buf_addc(&b, (char)c);
			advc(p);
			continue;
		}
		advc(p);
		c = peekc(p, 0);
		switch (c) {
		case 'n': ra_buf_addc(&b, '\n'); advc(p); break;
		case 'r': ra_buf_addc(&b, '\r'); advc(p); break;
		case 't': ra_buf_addc(&b, '\t'); advc(p); break;
		case '\\': case '"': case '\'': case '*':
			ra_buf_addc(&b, (char)c);
			advc(p);
			break;
		case 'u': {
			unsigned long cp = 0;
			int nd = 0;

			advc(p);
			if (peekc(p, 0) != '{') {
				perr(p, p->line, p->col, "bad \\u escape");
				goto out;
			}
			advc(p);
			while (peekc(p, 0) != '}') {
				int d = peekc(p, 0);

				if (d >= '0' && d <= '9')
					d -= '0';
				else if (d >= 'a' && d <= 'f')
					d = d - 'a' + 10;
				else if (d >= 'A' && d <= 'F')
					d = d - 'A' + 10;
				else {
					perr(p, p->line, p->col,
					    "bad \\u escape");
					goto out;
				}
				cp = cp * 16 + (unsigned long)d;
				advc(p);
				if (++nd > 6) {
					perr(p, p->line, p->col,
					    "bad \\u escape");
					goto out;
				}
			}
			advc(p);
			if (nd == 0 || cp == 0 || cp > 0x10ffff ||
			    (cp >= 0xd800 && cp <= 0xdfff)) {
				perr(p, p->line, p->col,
				    "bad \\u escape value");
				goto out;
			}
			utf8_put(&b, cp);
			break;
		}
		default:
			perr(p, p->line, p->col, "unknown escape \\%c",
			    c >= 0x20 && c < 0x7f ? c : '?');
			goto out;
		}
	}
	if (b.err) {
		perr(p, line, col, "string too long");
		goto out;
	}
	p->text = ra_strdup(ra_buf_cstr(&b));
out:
	ra_buf_free(&b);
}

static void
next(struct parser *p)
{
	int c;

	free(p->text);
	p->text = NULL;
	if (p->failed) {
		p->tok = T_EOF;
		return;
	}
	/* Whitespace and // comments. */
	for (;;) {
		c = peekc(p, 0);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v')
			advc(p);
		else if (c == '/' && peekc(p, 1) == '/') {
			while (peekc(p, 0) != 0 && peekc(p, 0) != '\n')
				advc(p);
		} else
			break;
	}
	p->tline = p->line;
	p->tcol = p->col;
	c = peekc(p, 0);
	if (c == 0) {
		p->tok = T_EOF;
		return;
	}
	if (is_ident_start(c)) {
		size_t start = p->pos;

		while (is_ident(peekc(p, 0)))
			advc(p);
		p->text = ra_malloc(p->pos - start + 1);
		memcpy(p->text, p->src + start, p->pos - start);
		p->text[p->pos - start] = '\0';
		p->tok = T_IDENT;
		return;
	}
	if (c >= '0' && c <= '9') {
		size_t start = p->pos;

		while (peekc(p, 0) >= '0' && peekc(p, 0) <= '9')
			advc(p);
		if (p->pos - start > 18) {
			perr(p, p->tline, p->tcol, "integer too long");
			p->tok = T_EOF;
			return;
		}
		p->text = ra_malloc(p->pos - start + 1);
		memcpy(p->text, p->src + start, p->pos - start);
		p->text[p->pos - start] = '\0';
		p->tok = T_INT;
		return;
	}
	if (c == '"') {
		lex_string(p);
		p->tok = p->failed ? T_EOF : T_STR;
		return;
	}
	advc(p);
	switch (c) {
	case '(': p->tok = T_LP; return;
	case ')': p->tok = T_RP; return;
	case '[': p->tok = T_LB; return;
	case ']': p->tok = T_RB; return;
	case '{': p->tok = T_LC; return;
	case '}': p->tok = T_RC; return;
	case ',': p->tok = T_COMMA; return;
	case ';': p->tok = T_SEMI; return;
	case '.': p->tok = T_DOT; return;
	case '@': p->tok = T_AT; return;
	case '!':
		if (peekc(p, 0) == '=') {
			advc(p);
			p->tok = T_NE;
		} else
			p->tok = T_NOT;
		return;
	case '=':
		if (peekc(p, 0) == '=') {
			advc(p);
			p->tok = T_EQ;
			return;
		}
		break;
	case '&':
		if (peekc(p, 0) == '&') {
			advc(p);
			p->tok = T_AND;
			return;
		}
		break;
	case '|':
		if (peekc(p, 0) == '|') {
			advc(p);
			p->tok = T_OR;
			return;
		}
		break;
	case ':':
		if (peekc(p, 0) == ':') {
			advc(p);
			p->tok = T_COLCOL;
			return;
		}
		break;
	default:
		break;
	}
	perr(p, p->tline, p->tcol, "unexpected character '%c'",
	    c >= 0x20 && c < 0x7f ? c : '?');
	p->tok = T_EOF;
}

static int
is_kw(const struct parser *p, const char *kw)
{
	return p->tok == T_IDENT && strcmp(p->text, kw) == 0;
}

static int
expect(struct parser *p, enum tok t, const char *what)
{
	if (p->tok != t) {
		perr(p, p->tline, p->tcol, "expected %s", what);
		return -1;
	}
	next(p);
	return 0;
}

/* ------------------------------------------------------------------ */
/* AST */

enum etype { ET_ACTION, ET_REGION, ET_PROVIDER, ET_PROJECT, ET_CLUSTER,
	ET_OTHER };

enum nkind {
	N_BOOL, N_STR, N_INT, N_ENTITY, N_SET, N_VAR, N_ATTR, N_HAS, N_NOT,
	N_AND, N_OR, N_EQ, N_NE, N_IN, N_CALL
};

enum var { V_PRINCIPAL, V_ACTION, V_RESOURCE, V_CONTEXT };
enum method { M_CONTAINS, M_CONTAINSALL, M_CONTAINSANY };

struct node {
	enum nkind	 kind;
	int		 line, col;
	long long	 ival;		/* N_BOOL, N_INT, N_VAR, N_CALL */
	enum etype	 et;		/* N_ENTITY */
	char		*path;		/* N_ENTITY: type path as written */
	char		*s;		/* N_STR, N_ENTITY id, N_ATTR/N_HAS */
	struct node	**kids;
	size_t		 nkids;
};

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->path);
	free(n->s);
	free(n);
}

static struct node *
node_new(enum nkind k, int line, int col)
{
	struct node *n = ra_calloc(1, sizeof(*n));

	n->kind = k;
	n->line = line;
	n->col = col;
	return n;
}

static void
node_add(struct node *n, struct node *kid)
{
	n->kids = ra_realloc(n->kids, (n->nkids + 1) * sizeof(*n->kids));
	n->kids[n->nkids++] = kid;
}

/*
 * Both dialects name the same entity types: ResourcePolicy::Region and
 * cloud::region are one type here, so that a legacy policy compares
 * equal to the context of its own dialect. Other namespaces keep their
 * written path (ET_OTHER) and equal only themselves.
 */
static enum etype
etype_of(const char *path)
{
	static const struct { const char *path; enum etype et; } map[] = {
		{ "ResourcePolicy::Action", ET_ACTION },
		{ "ResourcePolicy::Region", ET_REGION },
		{ "ResourcePolicy::CloudProvider", ET_PROVIDER },
		{ "ResourcePolicy::Project", ET_PROJECT },
		{ "ResourcePolicy::Cluster", ET_CLUSTER },
		{ "cloud::Action", ET_ACTION },
		{ "cloud::region", ET_REGION },
		{ "cloud::cloudProvider", ET_PROVIDER },
		{ "cloud::project", ET_PROJECT },
		{ "cloud::cluster", ET_CLUSTER },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].path, path) == 0)
			return map[i].et;
	return ET_OTHER;
}

struct policy {
	int		 forbid;
	int		 line, col;
	int		 principal_op;	/* 0 any, 1 ==, 2 in */
	int		 action_op;	/* 0 any, 1 ==, 2 in */
	struct node	*action;	/* N_ENTITY or N_SET of entities */
	int		 resource_op;	/* 0 any, 1 ==, 2 in */
	struct node	*resource;	/* N_ENTITY */
	struct node	**conds;	/* when: expr; unless: N_NOT(expr) */
	size_t		 nconds;
};

static void
policy_free(struct policy *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	node_free(pl->action);
	node_free(pl->resource);
	for (i = 0; i < pl->nconds; i++)
		node_free(pl->conds[i]);
	free(pl->conds);
}

/* ------------------------------------------------------------------ */
/* Parser */

static struct node *parse_expr(struct parser *);

static int
enter(struct parser *p)
{
	if (++p->depth > RA_CEDAR_MAX_DEPTH) {
		perr(p, p->tline, p->tcol, "nesting deeper than %d",
		    RA_CEDAR_MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* Entity reference: Path::"id" with the first identifier current and
   already known to be followed by '::'. */
static struct node *
parse_entity(struct parser *p)
{
	struct node *n = node_new(N_ENTITY, p->tline, p->tcol);
	struct ra_buf b;

	ra_buf_init(&b, 4096);
	for (;;) {
		if (p->tok != T_IDENT) {
			perr(p, p->tline, p->tcol,
			    "expected a type name or \"id\" after ::");
			goto fail;
		}
		if (b.len > 0)
			ra_buf_adds(&b, "::");
		ra_buf_adds(&b, p->text);
		next(p);
		if (expect(p, T_COLCOL, "'::'") != 0)
			goto fail;
		if (p->tok == T_STR)
			break;
	}
	if (b.err) {
		perr(p, n->line, n->col, "entity type too long");
		goto fail;
	}
	n->path = ra_strdup(ra_buf_cstr(&b));
	n->et = etype_of(n->path);
	n->s = p->text;
	p->text = NULL;
	next(p);
	ra_buf_free(&b);
	return n;
fail:
	ra_buf_free(&b);
	node_free(n);
	return NULL;
}

static int
followed_by(const struct parser *p, const char *what)
{
	size_t i = 0;

	while (p->src[p->pos + i] == ' ' || p->src[p->pos + i] == '\t' ||
	    p->src[p->pos + i] == '\n' || p->src[p->pos + i] == '\r')
		i++;
	return strncmp(p->src + p->pos + i, what, strlen(what)) == 0;
}

/* Requires the current token to start an entity reference. */
static struct node *
parse_entity_ref(struct parser *p, const char *what)
{
	if (p->tok != T_IDENT || !followed_by(p, "::")) {
		perr(p, p->tline, p->tcol, "expected %s", what);
		return NULL;
	}
	return parse_entity(p);
}

static struct node *
parse_primary(struct parser *p)
{
	struct node *n = NULL, *k;
	int line = p->tline, col = p->tcol;

	switch (p->tok) {
	case T_STR:
		n = node_new(N_STR, line, col);
		n->s = p->text;
		p->text = NULL;
		next(p);
		break;
	case T_INT:
		n = node_new(N_INT, line, col);
		n->ival = strtoll(p->text, NULL, 10);
		next(p);
		break;
	case T_LP:
		next(p);
		n = parse_expr(p);
		if (n != NULL && expect(p, T_RP, "')'") != 0) {
			node_free(n);
			n = NULL;
		}
		break;
	case T_LB:
		next(p);
		n = node_new(N_SET, line, col);
		while (p->tok != T_RB && !p->failed) {
			if ((k = parse_expr(p)) == NULL)
				break;
			node_add(n, k);
			if (p->tok == T_COMMA)
				next(p);
			else if (p->tok != T_RB)
				perr(p, p->tline, p->tcol,
				    "expected ',' or ']'");
		}
		if (p->failed || expect(p, T_RB, "']'") != 0) {
			node_free(n);
			n = NULL;
		}
		break;
	case T_IDENT:
		if (followed_by(p, "::")) {
			n = parse_entity(p);
			break;
		}
		if (strcmp(p->text, "true") == 0 ||
		    strcmp(p->text, "false") == 0) {
			n = node_new(N_BOOL, line, col);
			n->ival = p->text[0] == 't';
		} else if (strcmp(p->text, "principal") == 0 ||
		    strcmp(p->text, "action") == 0 ||
		    strcmp(p->text, "resource") == 0 ||
		    strcmp(p->text, "context") == 0) {
			n = node_new(N_VAR, line, col);
			n->ival = p->text[0] == 'p' ? V_PRINCIPAL :
			    p->text[0] == 'a' ? V_ACTION :
			    p->text[0] == 'r' ? V_RESOURCE : V_CONTEXT;
		} else {
			perr(p, line, col, "unsupported identifier '%.40s'",
			    p->text);
			break;
		}
		next(p);
		break;
	default:
		perr(p, line, col, "expected an expression");
		break;
	}
	return n;
}

/* Member: Primary { .attr | .method(args) | ["attr"] } */
static struct node *
parse_member(struct parser *p)
{
	struct node *n, *m = NULL, *arg;
	int entered = 0;

	if ((n = parse_primary(p)) == NULL)
		return NULL;
	while (p->tok == T_DOT || p->tok == T_LB) {
		int line = p->tline, col = p->tcol;

		if (enter(p) != 0)
			goto fail;
		entered++;
		if (p->tok == T_LB) {
			next(p);
			if (p->tok != T_STR) {
				perr(p, p->tline, p->tcol,
				    "expected a string attribute");
				goto fail;
			}
			m = node_new(N_ATTR, line, col);
			m->s = p->text;
			p->text = NULL;
			next(p);
			node_add(m, n);
			n = m;
			if (expect(p, T_RB, "']'") != 0)
				goto fail;
			continue;
		}
		next(p);
		if (p->tok != T_IDENT) {
			perr(p, p->tline, p->tcol, "expected a name after '.'");
			goto fail;
		}
		if (followed_by(p, "(")) {
			enum method meth;

			if (strcmp(p->text, "contains") == 0)
				meth = M_CONTAINS;
			else if (strcmp(p->text, "containsAll") == 0)
				meth = M_CONTAINSALL;
			else if (strcmp(p->text, "containsAny") == 0)
				meth = M_CONTAINSANY;
			else {
				perr(p, p->tline, p->tcol,
				    "unsupported method '%.40s'", p->text);
				goto fail;
			}
			m = node_new(N_CALL, line, col);
			m->ival = meth;
			node_add(m, n);
			n = m;
			next(p);
			next(p);	/* '(' */
			if ((arg = parse_expr(p)) == NULL)
				goto fail;
			node_add(n, arg);
			if (expect(p, T_RP, "')' (one argument)") != 0)
				goto fail;
			continue;
		}
		m = node_new(N_ATTR, line, col);
		m->s = p->text;
		p->text = NULL;
		node_add(m, n);
		n = m;
		next(p);
	}
	p->depth -= entered;
	return n;
fail:
	p->depth -= entered;
	node_free(n);
	return NULL;
}

static struct node *
parse_unary(struct parser *p)
{
	struct node *n = NULL, *top = NULL, **hole = &top;
	int entered = 0;

	while (p->tok == T_NOT) {
		if (enter(p) != 0)
			goto out;
		entered++;
		n = node_new(N_NOT, p->tline, p->tcol);
		*hole = n;
		n->kids = ra_calloc(1, sizeof(*n->kids));
		n->nkids = 1;
		hole = &n->kids[0];
		next(p);
	}
	if (p->tok == T_IDENT && strcmp(p->text, "if") == 0) {
		perr(p, p->tline, p->tcol, "unsupported: if-then-else");
		goto out;
	}
	*hole = parse_member(p);
	if (*hole == NULL)
		goto out;
	p->depth -= entered;
	return top;
out:
	p->depth -= entered;
	node_free(top);
	return NULL;
}

/* Relation: Unary [ (== | != | in) Unary | has (IDENT|STR) ] */
static struct node *
parse_relation(struct parser *p)
{
	struct node *l, *r, *n;
	int line, col;
	enum nkind k;

	if ((l = parse_unary(p)) == NULL)
		return NULL;
	line = p->tline;
	col = p->tcol;
	if (is_kw(p, "has")) {
		next(p);
		if (p->tok != T_IDENT && p->tok != T_STR) {
			perr(p, p->tline, p->tcol, "expected a name after has");
			node_free(l);
			return NULL;
		}
		n = node_new(N_HAS, line, col);
		n->s = p->text;
		p->text = NULL;
		node_add(n, l);
		next(p);
		return n;
	}
	if (p->tok == T_EQ)
		k = N_EQ;
	else if (p->tok == T_NE)
		k = N_NE;
	else if (is_kw(p, "in"))
		k = N_IN;
	else {
		if (is_kw(p, "like") || is_kw(p, "is")) {
			perr(p, line, col, "unsupported operator '%s'",
			    p->text);
			node_free(l);
			return NULL;
		}
		return l;
	}
	next(p);
	if ((r = parse_unary(p)) == NULL) {
		node_free(l);
		return NULL;
	}
	n = node_new(k, line, col);
	node_add(n, l);
	node_add(n, r);
	return n;
}

/* An n-ary chain: sub { op sub }; one operand is returned as itself. */
static struct node *
parse_chain(struct parser *p, enum tok op, enum nkind kind,
    struct node *(*sub)(struct parser *))
{
	struct node *n, *k;

	if ((k = sub(p)) == NULL)
		return NULL;
	if (p->tok != op)
		return k;
	n = node_new(kind, k->line, k->col);
	node_add(n, k);
	while (p->tok == op) {
		next(p);
		if ((k = sub(p)) == NULL) {
			node_free(n);
			return NULL;
		}
		node_add(n, k);
	}
	return n;
}

static struct node *
parse_and(struct parser *p)
{
	return parse_chain(p, T_AND, N_AND, parse_relation);
}

static struct node *
parse_expr(struct parser *p)
{
	struct node *n = NULL;

	if (enter(p) == 0)
		n = parse_chain(p, T_OR, N_OR, parse_and);
	p->depth--;
	return n;
}

/* Scope: principal [==|in E], action [== E | in E | in [E,..]],
   resource [==|in E] */
static int
parse_scope(struct parser *p, struct policy *pl)
{
	struct node *n;

	if (!is_kw(p, "principal")) {
		perr(p, p->tline, p->tcol, "expected 'principal'");
		return -1;
	}
	next(p);
	if (p->tok == T_EQ || is_kw(p, "in")) {
		pl->principal_op = p->tok == T_EQ ? 1 : 2;
		next(p);
		if ((n = parse_entity_ref(p, "an entity")) == NULL)
			return -1;
		node_free(n);
	} else if (is_kw(p, "is")) {
		perr(p, p->tline, p->tcol, "unsupported: principal is");
		return -1;
	}
	if (expect(p, T_COMMA, "','") != 0)
		return -1;
	if (!is_kw(p, "action")) {
		perr(p, p->tline, p->tcol, "expected 'action'");
		return -1;
	}
	next(p);
	if (p->tok == T_EQ) {
		pl->action_op = 1;
		next(p);
		if ((pl->action = parse_entity_ref(p, "an action")) == NULL)
			return -1;
	} else if (is_kw(p, "in")) {
		pl->action_op = 2;
		next(p);
		if (p->tok == T_LB) {
			pl->action = node_new(N_SET, p->tline, p->tcol);
			next(p);
			while (p->tok != T_RB) {
				if ((n = parse_entity_ref(p,
				    "an action")) == NULL)
					return -1;
				node_add(pl->action, n);
				if (pl->action->nkids > 1000) {
					perr(p, p->tline, p->tcol,
					    "too many actions");
					return -1;
				}
				if (p->tok == T_COMMA)
					next(p);
				else if (p->tok != T_RB) {
					perr(p, p->tline, p->tcol,
					    "expected ',' or ']'");
					return -1;
				}
			}
			next(p);
		} else if ((pl->action = parse_entity_ref(p,
		    "an action or a list")) == NULL)
			return -1;
	}
	if (expect(p, T_COMMA, "','") != 0)
		return -1;
	if (!is_kw(p, "resource")) {
		perr(p, p->tline, p->tcol, "expected 'resource'");
		return -1;
	}
	next(p);
	if (p->tok == T_EQ || is_kw(p, "in")) {
		pl->resource_op = p->tok == T_EQ ? 1 : 2;
		next(p);
		if ((pl->resource = parse_entity_ref(p, "an entity")) == NULL)
			return -1;
	} else if (is_kw(p, "is")) {
		perr(p, p->tline, p->tcol, "unsupported: resource is");
		return -1;
	}
	return 0;
}

/* One policy: annotations, effect, scope, conditions, ';'. */
static int
parse_policy(struct parser *p, struct policy *pl)
{
	memset(pl, 0, sizeof(*pl));
	while (p->tok == T_AT) {
		next(p);
		if (p->tok != T_IDENT) {
			perr(p, p->tline, p->tcol, "expected annotation name");
			return -1;
		}
		next(p);
		if (p->tok == T_LP) {
			next(p);
			if (expect(p, T_STR, "a string") != 0 ||
			    expect(p, T_RP, "')'") != 0)
				return -1;
		}
	}
	pl->line = p->tline;
	pl->col = p->tcol;
	if (is_kw(p, "forbid"))
		pl->forbid = 1;
	else if (!is_kw(p, "permit")) {
		perr(p, p->tline, p->tcol, "expected 'forbid' or 'permit'");
		return -1;
	}
	next(p);
	if (expect(p, T_LP, "'('") != 0 || parse_scope(p, pl) != 0 ||
	    expect(p, T_RP, "')'") != 0)
		return -1;
	while (is_kw(p, "when") || is_kw(p, "unless")) {
		int unless = p->text[0] == 'u';
		int line = p->tline, col = p->tcol;
		struct node *e, *c;

		next(p);
		if (expect(p, T_LC, "'{'") != 0)
			return -1;
		if ((e = parse_expr(p)) == NULL)
			return -1;
		if (unless) {
			c = node_new(N_NOT, line, col);
			node_add(c, e);
		} else
			c = e;
		pl->conds = ra_realloc(pl->conds,
		    (pl->nconds + 1) * sizeof(*pl->conds));
		pl->conds[pl->nconds++] = c;
		if (expect(p, T_RC, "'}'") != 0)
			return -1;
	}
	return expect(p, T_SEMI, "';' or a when/unless clause");
}

struct body {
	struct policy	*pols;
	size_t		 n;
};

static void
body_free(struct body *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		policy_free(&b->pols[i]);
	free(b->pols);
	b->pols = NULL;
	b->n = 0;
}

/* Parses a whole body (one or more policies). */
static int
body_parse(struct body *out, const char *src, char *err, size_t errsz)
{
	struct parser p;
	int rc = -1;

	memset(&p, 0, sizeof(p));
	memset(out, 0, sizeof(*out));
	p.src = src != NULL ? src : "";
	p.line = p.col = 1;
	next(&p);
	while (p.tok != T_EOF && !p.failed) {
		out->pols = ra_realloc(out->pols,
		    (out->n + 1) * sizeof(*out->pols));
		if (parse_policy(&p, &out->pols[out->n]) != 0) {
			policy_free(&out->pols[out->n]);
			break;
		}
		out->n++;
	}
	if (!p.failed && out->n == 0)
		perr(&p, p.tline, p.tcol, "no policy");
	if (p.failed) {
		if (err != NULL && errsz > 0)
			snprintf(err, errsz, "%s", p.err);
		body_free(out);
		goto out;
	}
	rc = 0;
out:
	free(p.text);
	return rc;
}

int
ra_cedar_parse_check(const char *body, char *err, size_t errsz)
{
	struct body b;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (body_parse(&b, body, err, errsz) != 0)
		return -1;
	body_free(&b);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Evaluation */

/*
 * Values. U is "undecided": the real value could be anything, or a
 * runtime error (an attribute we do not model). ERR is a Cedar runtime
 * error (type mismatch): the policy does not apply, as in Cedar.
 */
enum vkind { VB, VS, VI, VE, VSET, VCTX, VCCTX, VRES, VACT, VPRIN, VU,
	VERR };

struct val {
	enum vkind	 k;
	long long	 i;		/* VB, VI */
	enum etype	 et;		/* VE */
	const char	*path;		/* VE (ET_OTHER comparisons) */
	const char	*s;		/* VS, VE id */
	const struct val *elts;	/* VSET */
	size_t		 n;
};

/* Arena for the set values of one evaluation. */
struct arena {
	struct val	**blocks;
	size_t		 n;
};

static struct val *
arena_alloc(struct arena *a, size_t n)
{
	struct val *v = ra_calloc(n ? n : 1, sizeof(*v));

	a->blocks = ra_realloc(a->blocks, (a->n + 1) * sizeof(*a->blocks));
	a->blocks[a->n++] = v;
	return v;
}

static void
arena_reset(struct arena *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->blocks[i]);
	free(a->blocks);
	a->blocks = NULL;
	a->n = 0;
}

/* The request: a cluster change of `cluster` (NULL: a cluster that no
   policy names) in project `project`, regions S, providers of S. */
struct env {
	const char	*project;
	const char	*cluster;
	struct val	 regions;	/* VSET of ET_REGION */
	struct val	 providers;	/* VSET of ET_PROVIDER */
	struct arena	 arena;
	int		 und_line;	/* first undecided source met */
	int		 und_col;
};

static const char *const cluster_actions[] = {
	"cluster.create", "cluster.modify", "cluster.createEdit"
};

static int
is_cluster_action(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(cluster_actions) / sizeof(cluster_actions[0]);
	    i++)
		if (strcmp(id, cluster_actions[i]) == 0)
			return 1;
	return 0;
}

static struct val
mk(enum vkind k)
{
	struct val v;

	memset(&v, 0, sizeof(v));
	v.k = k;
	return v;
}

static struct val
mkb(int b)
{
	struct val v = mk(VB);

	v.i = b != 0;
	return v;
}

static struct val
undecided(struct env *e, const struct node *n)
{
	if (e->und_line == 0) {
		e->und_line = n->line;
		e->und_col = n->col;
	}
	return mk(VU);
}

/* Equality: 1, 0, or -1 when undecided. Values of different kinds are
   unequal (Cedar ==). The action variable equals every cluster-change
   action (see docs/CEDAR.md); the resource equals only its cluster. */
static int
veq(const struct env *e, const struct val *a, const struct val *b)
{
	size_t i, j;

	if (a->k == VU || b->k == VU)
		return -1;
	if (a->k == VPRIN || b->k == VPRIN)
		return -1;
	if (a->k == VCTX || b->k == VCTX || a->k == VCCTX || b->k == VCCTX)
		return -1;
	if (a->k == VACT || b->k == VACT) {
		const struct val *o = a->k == VACT ? b : a;

		if (o->k == VACT)
			return 1;
		return o->k == VE && o->et == ET_ACTION &&
		    is_cluster_action(o->s);
	}
	if (a->k == VRES || b->k == VRES) {
		const struct val *o = a->k == VRES ? b : a;

		if (o->k == VRES)
			return 1;
		return o->k == VE && o->et == ET_CLUSTER &&
		    e->cluster != NULL && strcmp(o->s, e->cluster) == 0;
	}
	if (a->k != b->k)
		return 0;
	switch (a->k) {
	case VB:
	case VI:
		return a->i == b->i;
	case VS:
		return strcmp(a->s, b->s) == 0;
	case VE:
		if (a->et != b->et)
			return 0;
		if (a->et == ET_OTHER && strcmp(a->path, b->path) != 0)
			return 0;
		return strcmp(a->s, b->s) == 0;
	case VSET: {
		int und = 0;

		/* Mutual inclusion. */
		for (int pass = 0; pass < 2; pass++) {
			const struct val *x = pass ? b : a, *y = pass ? a : b;

			for (i = 0; i < x->n; i++) {
				int found = 0;

				for (j = 0; j < y->n && !found; j++) {
					int r = veq(e, &x->elts[i],
					    &y->elts[j]);

					if (r < 0)
						und = 1;
					else if (r)
						found = 1;
				}
				if (!found && !und)
					return 0;
			}
		}
		return und ? -1 : 1;
	}
	default:
		return -1;
	}
}

/* Is x an element of set s: 1, 0, -1. */
static int
velem(const struct env *e, const struct val *s, const struct val *x)
{
	size_t i;
	int und = 0;

	for (i = 0; i < s->n; i++) {
		int r = veq(e, &s->elts[i], x);

		if (r > 0)
			return 1;
		if (r < 0)
			und = 1;
	}
	return und ? -1 : 0;
}

static struct val eval(struct env *, const struct node *);

static struct val
tri(int r, struct env *e, const struct node *n)
{
	return r < 0 ? undecided(e, n) : mkb(r);
}

/* `lhs in rhs`: the entity hierarchy Atlas uses is cluster-in-project
   (and reflexive); everything else is in only itself. */
static int
vin1(struct env *e, const struct val *l, const struct val *r)
{
	if (l->k == VRES) {
		if (r->k != VE)
			return -1;
		if (r->et == ET_PROJECT)
			return strcmp(r->s, e->project) == 0;
		return veq(e, l, r);
	}
	return veq(e, l, r);
}

static struct val
eval_in(struct env *e, const struct node *n)
{
	struct val l = eval(e, n->kids[0]), r;
	size_t i;
	int und = 0;

	if (l.k == VU || l.k == VERR)
		return l;
	r = eval(e, n->kids[1]);
	if (r.k == VU || r.k == VERR)
		return r;
	if (l.k != VE && l.k != VRES && l.k != VACT && l.k != VPRIN)
		return mk(VERR);
	if (r.k == VE || r.k == VRES || r.k == VACT || r.k == VPRIN) {
		int x = vin1(e, &l, &r);

		return tri(x, e, n);
	}
	if (r.k != VSET)
		return mk(VERR);
	for (i = 0; i < r.n; i++) {
		int x;

		if (r.elts[i].k == VS || r.elts[i].k == VB ||
		    r.elts[i].k == VI || r.elts[i].k == VSET)
			return mk(VERR);
		x = vin1(e, &l, &r.elts[i]);
		if (x > 0)
			return mkb(1);
		if (x < 0)
			und = 1;
	}
	return und ? undecided(e, n) : mkb(0);
}

static struct val
eval_call(struct env *e, const struct node *n)
{
	struct val recv = eval(e, n->kids[0]), arg;
	size_t i;
	int und = 0;

	if (recv.k == VU || recv.k == VERR)
		return recv;
	arg = eval(e, n->kids[1]);
	if (arg.k == VU || arg.k == VERR)
		return arg;
	if (recv.k != VSET)
		return mk(VERR);
	if (n->ival == M_CONTAINS)
		return tri(velem(e, &recv, &arg), e, n);
	if (arg.k != VSET)
		return mk(VERR);
	if (n->ival == M_CONTAINSALL) {
		for (i = 0; i < arg.n; i++) {
			int r = velem(e, &recv, &arg.elts[i]);

			if (r == 0)
				return mkb(0);
			if (r < 0)
				und = 1;
		}
		return und ? undecided(e, n) : mkb(1);
	}
	for (i = 0; i < arg.n; i++) {
		int r = velem(e, &recv, &arg.elts[i]);

		if (r > 0)
			return mkb(1);
		if (r < 0)
			und = 1;
	}
	return und ? undecided(e, n) : mkb(0);
}

static struct val
eval_attr(struct env *e, const struct node *n)
{
	struct val b = eval(e, n->kids[0]);

	if (b.k == VU || b.k == VERR)
		return b;
	if (b.k == VCTX && strcmp(n->s, "cluster") == 0)
		return mk(VCCTX);
	if (b.k == VCCTX && strcmp(n->s, "regions") == 0)
		return e->regions;
	if (b.k == VCCTX && strcmp(n->s, "cloudProviders") == 0)
		return e->providers;
	if (b.k == VB || b.k == VI || b.k == VS || b.k == VSET)
		return mk(VERR);	/* no attributes on these */
	/* context.foo, resource.x, principal.x: not modelled. */
	return undecided(e, n);
}

static struct val
eval_has(struct env *e, const struct node *n)
{
	struct val b = eval(e, n->kids[0]);

	if (b.k == VU || b.k == VERR)
		return b;
	if (b.k == VCTX && strcmp(n->s, "cluster") == 0)
		return mkb(1);
	if (b.k == VCCTX && (strcmp(n->s, "regions") == 0 ||
	    strcmp(n->s, "cloudProviders") == 0))
		return mkb(1);
	if (b.k == VB || b.k == VI || b.k == VS || b.k == VSET)
		return mk(VERR);
	return undecided(e, n);
}

/*
 * Short-circuit left to right as Cedar does. An undecided operand met
 * before the outcome is settled makes the result undecided (it could be
 * an error, which Cedar propagates).
 */
static struct val
eval_andor(struct env *e, const struct node *n, int isand)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		struct val v = eval(e, n->kids[i]);

		if (v.k == VU || v.k == VERR)
			return v;
		if (v.k != VB)
			return mk(VERR);
		if (isand && !v.i)
			return mkb(0);
		if (!isand && v.i)
			return mkb(1);
	}
	return mkb(isand);
}

static struct val
eval(struct env *e, const struct node *n)
{
	struct val v, w;
	size_t i;

	switch (n->kind) {
	case N_BOOL:
		return mkb((int)n->ival);
	case N_INT:
		v = mk(VI);
		v.i = n->ival;
		return v;
	case N_STR:
		v = mk(VS);
		v.s = n->s;
		return v;
	case N_ENTITY:
		v = mk(VE);
		v.et = n->et;
		v.path = n->path;
		v.s = n->s;
		return v;
	case N_SET: {
		struct val *elts = arena_alloc(&e->arena, n->nkids);

		for (i = 0; i < n->nkids; i++) {
			elts[i] = eval(e, n->kids[i]);
			if (elts[i].k == VU || elts[i].k == VERR)
				return elts[i];
		}
		v = mk(VSET);
		v.elts = elts;
		v.n = n->nkids;
		return v;
	}
	case N_VAR:
		switch (n->ival) {
		case V_PRINCIPAL:
			return mk(VPRIN);
		case V_ACTION:
			return mk(VACT);
		case V_RESOURCE:
			return mk(VRES);
		default:
			return mk(VCTX);
		}
	case N_ATTR:
		return eval_attr(e, n);
	case N_HAS:
		return eval_has(e, n);
	case N_NOT:
		v = eval(e, n->kids[0]);
		if (v.k == VU || v.k == VERR)
			return v;
		if (v.k != VB)
			return mk(VERR);
		return mkb(!v.i);
	case N_AND:
		return eval_andor(e, n, 1);
	case N_OR:
		return eval_andor(e, n, 0);
	case N_EQ:
	case N_NE:
		v = eval(e, n->kids[0]);
		if (v.k == VU || v.k == VERR)
			return v;
		w = eval(e, n->kids[1]);
		if (w.k == VU || w.k == VERR)
			return w;
		{
			int r = veq(e, &v, &w);

			if (r >= 0 && n->kind == N_NE)
				r = !r;
			return tri(r, e, n);
		}
	case N_IN:
		return eval_in(e, n);
	case N_CALL:
		return eval_call(e, n);
	}
	return mk(VERR);
}

/* Is the policy about cluster changes at all (action scope)? */
static int
action_relevant(const struct policy *pl)
{
	size_t i;

	if (pl->action_op == 0)
		return 1;
	if (pl->action->kind == N_ENTITY)
		return pl->action->et == ET_ACTION &&
		    is_cluster_action(pl->action->s);
	for (i = 0; i < pl->action->nkids; i++)
		if (pl->action->kids[i]->et == ET_ACTION &&
		    is_cluster_action(pl->action->kids[i]->s))
			return 1;
	return 0;
}

enum outcome { O_NO = 0, O_FORBIDS, O_UNDECIDED };

/*
 * Does forbid policy pl surely apply to the request in e? A principal
 * constraint (== or in) in the scope leaves other principals out:
 * the policy does not cover every change.
 */
static enum outcome
policy_applies(struct env *e, const struct policy *pl)
{
	enum outcome o = O_NO;
	size_t i;

	e->und_line = e->und_col = 0;
	if (!pl->forbid || !action_relevant(pl) || pl->principal_op == 1)
		goto out;
	if (pl->principal_op == 2) {
		/* Group membership of principals is not modelled. */
		e->und_line = pl->line;
		e->und_col = pl->col;
		o = O_UNDECIDED;
		goto out;
	}
	if (pl->resource_op != 0) {
		struct val r = mk(VRES), c;
		int x;

		c = mk(VE);
		c.et = pl->resource->et;
		c.path = pl->resource->path;
		c.s = pl->resource->s;
		x = pl->resource_op == 1 ? veq(e, &r, &c) : vin1(e, &r, &c);
		if (x <= 0)
			goto out;
	}
	for (i = 0; i < pl->nconds; i++) {
		struct val v = eval(e, pl->conds[i]);

		if (v.k == VU) {
			o = O_UNDECIDED;
			goto out;
		}
		if (v.k != VB || !v.i)
			goto out;
	}
	o = O_FORBIDS;
out:
	arena_reset(&e->arena);
	return o;
}

/* ------------------------------------------------------------------ */
/* The decision procedure */

/* Distinct Cedar ids of the catalogue, sorted. */
struct universe {
	const char	**ids;
	const char	**prov;	/* "aws", ... for each id */
	size_t		  n;
};

static void
universe_load(struct universe *u)
{
	size_t i, j;

	u->ids = ra_calloc(ra_nregions + 1, sizeof(*u->ids));
	u->prov = ra_calloc(ra_nregions + 1, sizeof(*u->prov));
	u->n = 0;
	for (i = 0; i < ra_nregions; i++)
		if (ra_regions[i].cedar != NULL)
			u->ids[u->n++] = ra_regions[i].cedar;
	qsort(u->ids, u->n, sizeof(*u->ids), ra_strp_cmp);
	for (i = 0, j = 0; i < u->n; i++)
		if (j == 0 || strcmp(u->ids[j - 1], u->ids[i]) != 0)
			u->ids[j++] = u->ids[i];
	u->n = j;
	for (i = 0; i < u->n; i++)
		u->prov[i] = ra_region_by_cedar(u->ids[i])->provider;
}

static void
universe_free(struct universe *u)
{
	free(u->ids);
	free(u->prov);
}

/* Builds the context sets of a request from sorted region ids. */
static void
env_set_regions(struct env *e, struct val *rv, struct val *pv,
    const char *const *ids, size_t n)
{
	static const char *const provs[] = { "aws", "azure", "gcp" };
	size_t i, k, np = 0;

	for (i = 0; i < n; i++) {
		rv[i] = mk(VE);
		rv[i].et = ET_REGION;
		rv[i].path = "ResourcePolicy::Region";
		rv[i].s = ids[i];
	}
	for (k = 0; k < 3; k++) {
		size_t len = strlen(provs[k]);

		for (i = 0; i < n; i++)
			if (strncmp(ids[i], provs[k], len) == 0 &&
			    ids[i][len] == ':')
				break;
		if (i == n)
			continue;
		pv[np] = mk(VE);
		pv[np].et = ET_PROVIDER;
		pv[np].path = "ResourcePolicy::CloudProvider";
		pv[np].s = provs[k];
		np++;
	}
	e->regions = mk(VSET);
	e->regions.elts = rv;
	e->regions.n = n;
	e->providers = mk(VSET);
	e->providers.elts = pv;
	e->providers.n = np;
}

int
ra_cedar_eval_request(const char *body, const char *project_id,
    const char *cluster_id, const char *const *regions, size_t n, int *forbidden, int *undec,
    char *err, size_t errsz)
{
	struct body b;
	struct env e;
	struct val *rv = NULL, pv[3];
	size_t i;

	*forbidden = 0;
	*undec = 0;
	if (body_parse(&b, body, err, errsz) != 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.project = project_id;
	e.cluster = cluster_id;
	rv = ra_calloc(n + 1, sizeof(*rv));
	env_set_regions(&e, rv, pv, regions, n);
	for (i = 0; i < b.n; i++) {
		enum outcome o = policy_applies(&e, &b.pols[i]);

		if (o == O_FORBIDS)
			*forbidden = 1;
		else if (o == O_UNDECIDED)
			*undec = 1;
	}
	free(rv);
	body_free(&b);
	return 0;
}

/*
 * Region classes (docs/CEDAR.md). Regions are grouped by provider,
 * membership of J, and membership of every constant (a set literal's
 * region entities, or a lone region entity). Predicates over S only see
 * S through these constants, so two sets that agree per class on
 * "none / some but not all / all" evaluate alike.
 */
struct consts {
	const char	***sets;	/* constant sets of region ids */
	size_t		 *lens;
	size_t		  n;
};

static int
in_list(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != NULL && strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static void
consts_add(struct consts *c, const struct node *set)
{
	const char **ids = NULL;
	size_t k = 0, i;

	if (set->kind == N_ENTITY) {
		if (set->et != ET_REGION)
			return;
		ids = ra_calloc(1, sizeof(*ids));
		ids[k++] = set->s;
	} else {
		ids = ra_calloc(set->nkids + 1, sizeof(*ids));
		for (i = 0; i < set->nkids; i++)
			if (set->kids[i]->kind == N_ENTITY &&
			    set->kids[i]->et == ET_REGION)
				ids[k++] = set->kids[i]->s;
		if (k == 0) {
			free(ids);
			return;
		}
	}
	c->sets = ra_realloc(c->sets, (c->n + 1) * sizeof(*c->sets));
	c->lens = ra_realloc(c->lens, (c->n + 1) * sizeof(*c->lens));
	c->sets[c->n] = ids;
	c->lens[c->n] = k;
	c->n++;
}

static void
consts_collect(struct consts *c, const struct node *n, int in_set)
{
	size_t i;

	if (n == NULL)
		return;
	if (n->kind == N_SET)
		consts_add(c, n);
	else if (n->kind == N_ENTITY && !in_set)
		consts_add(c, n);
	for (i = 0; i < n->nkids; i++)
		consts_collect(c, n->kids[i], n->kind == N_SET);
}

/* Clusters the policies name: each is also a resource to try (it may
   belong to the project), besides a cluster no policy names. */
static void
clusters_collect(const char ***v, size_t *n, const struct node *x)
{
	size_t i;

	if (x == NULL)
		return;
	if (x->kind == N_ENTITY && x->et == ET_CLUSTER &&
	    !in_list(*v + 1, *n - 1, x->s)) {
		*v = ra_realloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = x->s;
	}
	for (i = 0; i < x->nkids; i++)
		clusters_collect(v, n, x->kids[i]);
}

static void
consts_free(struct consts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->sets[i]);
	free(c->sets);
	free(c->lens);
}

#define NAMED	((size_t)1 << (sizeof(size_t) * 8 - 1))

struct rclass {
	size_t	*members;	/* indexes into the universe */
	size_t	 n;
	int	 inj;
	int	 states;	/* 2: none/some; 3: none/one/all */
};

/* Enumeration bounds: beyond MAX_STATES the verdict is UNKNOWN; beyond
   MIN_WITNESS_STATES the search stops at the first witness instead of
   looking for the smallest one. */
#define RA_CEDAR_MAX_STATES		(1UL << 20)
#define RA_CEDAR_MIN_WITNESS_STATES	(1UL << 16)

struct parsed {
	const struct ra_cedar_policy_src *src;
	struct body	 body;
	int		 ok;
	char		 err[160];
};

static char *
src_label(const struct ra_cedar_policy_src *s)
{
	return ra_asprintf("%s/%s", s->policy_name ? s->policy_name : "?",
	    s->policy_id ? s->policy_id : "?");
}

static void
add_str(char ***v, size_t *n, char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0) {
			free(s);
			return;
		}
	*v = ra_realloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* Witness ordering: a cluster no policy names first (such a witness
   holds for every new cluster), then fewer regions, then by text. */
static int
better(const char *cand, size_t ncand, const char *best, size_t nbest)
{
	if (best == NULL)
		return 1;
	if ((ncand & NAMED) != (nbest & NAMED))
		return (ncand & NAMED) == 0;
	if (ncand != nbest)
		return ncand < nbest;
	return strcmp(cand, best) < 0;
}

int
ra_cedar_check_residency(const struct ra_cedar_policy_src *pols,
    size_t npols, const char *project_id, const char *const *allowed,
    size_t nallowed, struct ra_cedar_result *out)
{
	struct parsed *ps = NULL;
	struct universe u;
	struct consts c;
	struct rclass *cls = NULL;
	unsigned char *sig = NULL;
	size_t *cls_of = NULL, ncls = 0, i, j, k, p, nres = 1;
	const char **clusters = NULL, **ids = NULL;
	unsigned char *state = NULL, *forbidder = NULL;
	struct val *rv = NULL, pv[3];
	unsigned long total = 1, st;
	char *best = NULL, *best_und = NULL, *und_note = NULL;
	size_t nbest = 0, nbest_und = 0;
	int rc = -1, any_unparsed = 0;
	struct env e;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	memset(&e, 0, sizeof(e));
	universe_load(&u);
	if (project_id == NULL)
		project_id = "";
	e.project = project_id;

	/* Parse every body; collect constants and named clusters. */
	ps = ra_calloc(npols + 1, sizeof(*ps));
	clusters = ra_calloc(1, sizeof(*clusters));
	clusters[0] = NULL;	/* a cluster no policy names */
	for (i = 0; i < npols; i++) {
		ps[i].src = &pols[i];
		if (body_parse(&ps[i].body, pols[i].body, ps[i].err,
		    sizeof(ps[i].err)) != 0) {
			char *l = src_label(&pols[i]);

			add_str(&out->unparsed, &out->nunparsed,
			    ra_asprintf("%s: %s", l, ps[i].err));
			free(l);
			any_unparsed = 1;
			continue;
		}
		ps[i].ok = 1;
		for (j = 0; j < ps[i].body.n; j++) {
			struct policy *pl = &ps[i].body.pols[j];

			for (k = 0; k < pl->nconds; k++) {
				consts_collect(&c, pl->conds[k], 0);
				clusters_collect(&clusters, &nres,
				    pl->conds[k]);
			}
			clusters_collect(&clusters, &nres, pl->resource);
		}
	}

	/* Classes: signature = provider, J membership, constants. */
	sig = ra_calloc(u.n, c.n + 2);
	cls_of = ra_calloc(u.n + 1, sizeof(*cls_of));
	cls = ra_calloc(u.n + 1, sizeof(*cls));
	for (i = 0; i < u.n; i++) {
		unsigned char *s = sig + i * (c.n + 2);

		s[0] = (unsigned char)(u.prov[i][0] == 'g' ? 2 :
		    u.prov[i][1] == 'z' ? 1 : 0);
		s[1] = (unsigned char)in_list(allowed, nallowed, u.ids[i]);
		for (k = 0; k < c.n; k++)
			s[2 + k] = (unsigned char)in_list(c.sets[k],
			    c.lens[k], u.ids[i]);
		for (j = 0; j < ncls; j++)
			if (memcmp(sig + cls[j].members[0] * (c.n + 2), s,
			    c.n + 2) == 0)
				break;
		if (j == ncls) {
			cls[j].members = ra_calloc(u.n, sizeof(size_t));
			cls[j].inj = s[1];
			ncls++;
		}
		cls[j].members[cls[j].n++] = i;
		cls_of[i] = j;
	}
	for (j = 0; j < ncls; j++) {
		int in_const = 0;

		for (k = 0; k < c.n; k++)
			if (sig[cls[j].members[0] * (c.n + 2) + 2 + k])
				in_const = 1;
		cls[j].states = cls[j].n >= 2 && in_const ? 3 : 2;
		if (total > RA_CEDAR_MAX_STATES / (unsigned long)cls[j].states)
			total = RA_CEDAR_MAX_STATES + 1;
		else
			total *= (unsigned long)cls[j].states;
	}
	if (total > RA_CEDAR_MAX_STATES) {
		add_str(&out->unparsed, &out->nunparsed, ra_asprintf(
		    "(all policies): too many distinct region classes (%zu) "
		    "to decide exactly", ncls));
		out->verdict = RA_CEDAR_UNKNOWN;
		rc = 0;
		goto out;
	}

	/* Enumerate the representative sets: mixed radix over classes. */
	state = ra_calloc(ncls + 1, 1);
	ids = ra_calloc(u.n + 1, sizeof(*ids));
	rv = ra_calloc(u.n + 1, sizeof(*rv));
	forbidder = ra_calloc(npols + 1, 1);
	for (st = 0; st < total; st++) {
		unsigned long x = st;
		size_t n = 0;
		int outside = 0;

		if (best != NULL && (nbest & NAMED) == 0 &&
		    total > RA_CEDAR_MIN_WITNESS_STATES)
			break;

		for (j = 0; j < ncls; j++) {
			state[j] = (unsigned char)(x % (unsigned long)cls[j].states);
			x /= (unsigned long)cls[j].states;
			if (state[j] != 0 && !cls[j].inj)
				outside = 1;
		}
		if (!outside)
			continue;
		/* Members of u are sorted; emit in universe order. */
		for (i = 0; i < u.n; i++) {
			struct rclass *rc_ = &cls[cls_of[i]];
			unsigned char s = state[cls_of[i]];

			if (s == 0)
				continue;
			if (s == 1 && rc_->members[0] != i)
				continue;	/* one member: the first */
			ids[n++] = u.ids[i];
		}
		env_set_regions(&e, rv, pv, ids, n);
		for (size_t r = 0; r < nres; r++) {
			int forb = 0, und = 0;
			size_t fi = 0;
			int und_line = 0, und_col = 0;
			size_t und_pol = 0;

			e.cluster = clusters[r];
			for (p = 0; p < npols && !forb; p++) {
				if (!ps[p].ok)
					continue;
				for (j = 0; j < ps[p].body.n; j++) {
					enum outcome o = policy_applies(&e,
					    &ps[p].body.pols[j]);

					if (o == O_FORBIDS) {
						forb = 1;
						fi = p;
						break;
					}
					if (o == O_UNDECIDED && !und) {
						und = 1;
						und_line = e.und_line;
						und_col = e.und_col;
						und_pol = p;
					}
				}
			}
			if (forb) {
				forbidder[fi] = 1;
				continue;
			}
			{
				struct ra_buf b;
				size_t nw;
				char *w;

				ra_buf_init(&b, 0);
				for (i = 0; i < n; i++)
					ra_buf_printf(&b, "%s%s",
					    i ? "," : "", ids[i]);
				w = ra_buf_steal(&b);
				if (w == NULL)
					w = ra_strdup("");
				nw = n | (r > 0 ? NAMED : 0);
				if (!und && better(w, nw, best, nbest)) {
					free(best);
					best = w;
					nbest = nw;
				} else if (und && better(w, nw, best_und,
				    nbest_und)) {
					char *l = src_label(ps[und_pol].src);

					free(best_und);
					best_und = w;
					nbest_und = nw;
					free(und_note);
					und_note = ra_asprintf("%s: line %d "
					    "col %d: condition cannot be "
					    "decided (attribute not modelled)",
					    l, und_line, und_col);
					free(l);
				} else
					free(w);
			}
		}
	}

	if (best != NULL) {
		out->verdict = any_unparsed ? RA_CEDAR_UNKNOWN :
		    RA_CEDAR_NOT_PROVEN;
		out->witness = best;
		best = NULL;
	} else if (best_und != NULL) {
		out->verdict = RA_CEDAR_UNKNOWN;
		out->witness = best_und;
		best_und = NULL;
		add_str(&out->unparsed, &out->nunparsed, und_note);
		und_note = NULL;
	} else {
		out->verdict = RA_CEDAR_PROVEN;
		for (p = 0; p < npols; p++)
			if (forbidder[p])
				add_str(&out->proving, &out->nproving,
				    src_label(&pols[p]));
	}
	rc = 0;
out:
	if (rc != 0)
		ra_cedar_result_free(out);
	free(best);
	free(best_und);
	free(und_note);
	free(forbidder);
	free(rv);
	free(ids);
	free(state);
	for (j = 0; j < ncls; j++)
		free(cls[j].members);
	free(cls);
	free(cls_of);
	free(sig);
	free(clusters);
	consts_free(&c);
	for (i = 0; ps != NULL && i < npols; i++)
		body_free(&ps[i].body);
	free(ps);
	universe_free(&u);
	return rc;
}

void
ra_cedar_result_free(struct ra_cedar_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->witness);
	for (i = 0; i < r->nunparsed; i++)
		free(r->unparsed[i]);
	free(r->unparsed);
	for (i = 0; i < r->nproving; i++)
		free(r->proving[i]);
	free(r->proving);
	memset(r, 0, sizeof(*r));
}
