/*
 * jsonschema.h: a small JSON Schema draft-04 validator for the tests
 * (test_sarif.c validates the SARIF writer against the official OASIS
 * schema with it). Header-only so that any tests/unit/test_*.c can
 * include it without build changes.
 *
 * Implemented: type (a name or an array of names; "integer" is a number
 * with an integral value), enum (deep equality), properties,
 * patternProperties, additionalProperties (false or a schema), required,
 * minProperties, maxProperties, dependencies (property list or schema),
 * items (a schema, or an array of schemas with additionalItems),
 * minItems, maxItems, uniqueItems, minimum, maximum (with draft-04's
 * boolean exclusiveMinimum / exclusiveMaximum), multipleOf, minLength,
 * maxLength (in code points), pattern (POSIX regcomp, REG_EXTENDED, the
 * unanchored search JSON Schema specifies), allOf, anyOf, oneOf, not,
 * and $ref to "#" or a JSON pointer "#/..." in the root document (other
 * keywords beside $ref are ignored, as draft-04 says).
 * Ignored as annotations: $schema, id, title, description, default,
 * format. js_unknown_keywords lists any other keyword a schema uses, so
 * a test can prove the validator covers the schema it is given.
 *
 * js_validate returns 0 when inst is valid, -1 otherwise with the first
 * failure ("<instance path>: <keyword>: <reason>") in err.
 */
#ifndef RA_TEST_JSONSCHEMA_H
#define RA_TEST_JSONSCHEMA_H

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define JS_MAX_DEPTH	256

struct js {
	const cJSON	*root;
	char		*err;
	size_t		 errsz;
	int		 quiet;		/* inside anyOf/oneOf/not trials */
};

static int js_check(struct js *js, const cJSON *s, const cJSON *v,
    const char *path, int depth);

static int
js_fail(struct js *js, const char *path, const char *kw, const char *why)
{
	if (!js->quiet && js->err != NULL && js->errsz > 0)
		snprintf(js->err, js->errsz, "%s: %s: %s",
		    path[0] != '\0' ? path : "/", kw, why);
	return -1;
}

/* "#" or "#/a/b~1c" resolved in the root schema; NULL when unresolvable. */
static const cJSON *
js_resolve(const cJSON *root, const char *ref)
{
	const cJSON *cur = root;
	char tok[256];
	const char *p;
	size_t n;

	if (ref[0] != '#')
		return NULL;
	p = ref + 1;
	while (*p == '/' && cur != NULL) {
		p++;
		n = 0;
		while (*p != '\0' && *p != '/' && n + 1 < sizeof(tok)) {
			if (p[0] == '~' && p[1] == '1') {
				tok[n++] = '/';
				p += 2;
			} else if (p[0] == '~' && p[1] == '0') {
				tok[n++] = '~';
				p += 2;
			} else
				tok[n++] = *p++;
		}
		tok[n] = '\0';
		if (cJSON_IsArray(cur))
			cur = cJSON_GetArrayItem(cur, atoi(tok));
		else
			cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
	}
	return *p == '\0' ? cur : NULL;
}

static int
js_type_is(const char *t, const cJSON *v)
{
	if (strcmp(t, "object") == 0)
		return cJSON_IsObject(v);
	if (strcmp(t, "array") == 0)
		return cJSON_IsArray(v);
	if (strcmp(t, "string") == 0)
		return cJSON_IsString(v);
	if (strcmp(t, "number") == 0)
		return cJSON_IsNumber(v);
	if (strcmp(t, "integer") == 0)
		return cJSON_IsNumber(v) &&
		    v->valuedouble == floor(v->valuedouble);
	if (strcmp(t, "boolean") == 0)
		return cJSON_IsBool(v);
	if (strcmp(t, "null") == 0)
		return cJSON_IsNull(v);
	return 0;
}

/* Code points of a UTF-8 string (continuation bytes not counted). */
static size_t
js_strlen(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int
js_regex_search(const char *pattern, const char *s, int *matched)
{
	regex_t re;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	*matched = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return 0;
}

static char *
js_path(const char *path, const char *seg)
{
	size_t n = strlen(path) + strlen(seg) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", path, seg);
	return p;
}

/* Runs a sub-validation; returns its result. */
static int
js_sub(struct js *js, const cJSON *s, const cJSON *v, const char *path,
    const char *seg, int depth)
{
	char *p = js_path(path, seg);
	int rc;

	if (p == NULL)
		return js_fail(js, path, "memory", "out of memory");
	rc = js_check(js, s, v, p, depth + 1);
	free(p);
	return rc;
}

static int
js_check_object(struct js *js, const cJSON *s, const cJSON *v,
    const char *path, int depth)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
	const cJSON *pprops = cJSON_GetObjectItemCaseSensitive(s,
	    "patternProperties");
	const cJSON *addl = cJSON_GetObjectItemCaseSensitive(s,
	    "additionalProperties");
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
	const cJSON *deps = cJSON_GetObjectItemCaseSensitive(s, "dependencies");
	const cJSON *k, *m, *pp, *r;
	int n = cJSON_GetArraySize(v), matched, known;

	cJSON_ArrayForEach(r, req)
		if (cJSON_IsString(r) && cJSON_GetObjectItemCaseSensitive(v,
		    r->valuestring) == NULL)
			return js_fail(js, path, "required", r->valuestring);
	if ((m = cJSON_GetObjectItemCaseSensitive(s, "minProperties")) &&
	    n < m->valuedouble)
		return js_fail(js, path, "minProperties", "too few");
	if ((m = cJSON_GetObjectItemCaseSensitive(s, "maxProperties")) &&
	    n > m->valuedouble)
		return js_fail(js, path, "maxProperties", "too many");
	cJSON_ArrayForEach(k, v) {
		known = 0;
		if ((pp = cJSON_GetObjectItemCaseSensitive(props,
		    k->string)) != NULL) {
			known = 1;
			if (js_sub(js, pp, k, path, k->string, depth) != 0)
				return -1;
		}
		cJSON_ArrayForEach(pp, pprops) {
			if (js_regex_search(pp->string, k->string,
			    &matched) != 0)
				return js_fail(js, path, "patternProperties",
				    "bad regex");
			if (!matched)
				continue;
			known = 1;
			if (js_sub(js, pp, k, path, k->string, depth) != 0)
				return -1;
		}
		if (known || addl == NULL || cJSON_IsTrue(addl))
			continue;
		if (cJSON_IsFalse(addl))
			return js_fail(js, path, "additionalProperties",
			    k->string);
		if (js_sub(js, addl, k, path, k->string, depth) != 0)
			return -1;
	}
	cJSON_ArrayForEach(k, deps) {
		if (cJSON_GetObjectItemCaseSensitive(v, k->string) == NULL)
			continue;
		if (cJSON_IsArray(k)) {
			cJSON_ArrayForEach(r, k)
				if (cJSON_IsString(r) &&
				    cJSON_GetObjectItemCaseSensitive(v,
				    r->valuestring) == NULL)
					return js_fail(js, path, "dependencies",
					    r->valuestring);
		} else if (js_check(js, k, v, path, depth + 1) != 0)
			return -1;
	}
	return 0;
}

static int
js_check_array(struct js *js, const cJSON *s, const cJSON *v,
    const char *path, int depth)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(s, "items");
	const cJSON *addl = cJSON_GetObjectItemCaseSensitive(s,
	    "additionalItems");
	const cJSON *m, *e, *f;
	int n = cJSON_GetArraySize(v), i = 0;
	char seg[32];

	if ((m = cJSON_GetObjectItemCaseSensitive(s, "minItems")) &&
	    n < m->valuedouble)
		return js_fail(js, path, "minItems", "too few items");
	if ((m = cJSON_GetObjectItemCaseSensitive(s, "maxItems")) &&
	    n > m->valuedouble)
		return js_fail(js, path, "maxItems", "too many items");
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "uniqueItems")))
		cJSON_ArrayForEach(e, v)
			for (f = e->next; f != NULL; f = f->next)
				if (cJSON_Compare(e, f, 1))
					return js_fail(js, path,
					    "uniqueItems", "duplicate item");
	cJSON_ArrayForEach(e, v) {
		const cJSON *is = NULL;

		snprintf(seg, sizeof(seg), "%d", i);
		if (cJSON_IsObject(items))
			is = items;
		else if (cJSON_IsArray(items)) {
			is = cJSON_GetArrayItem(items, i);
			if (is == NULL && cJSON_IsFalse(addl))
				return js_fail(js, path, "additionalItems",
				    "not allowed");
			if (is == NULL && cJSON_IsObject(addl))
				is = addl;
		}
		if (is != NULL && js_sub(js, is, e, path, seg, depth) != 0)
			return -1;
		i++;
	}
	return 0;
}

static int
js_check_scalar(struct js *js, const cJSON *s, const cJSON *v,
    const char *path)
{
	const cJSON *m;
	int matched, excl;

	if (cJSON_IsNumber(v)) {
		if ((m = cJSON_GetObjectItemCaseSensitive(s, "minimum"))) {
			excl = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s,
			    "exclusiveMinimum"));
			if (v->valuedouble < m->valuedouble ||
			    (excl && v->valuedouble == m->valuedouble))
				return js_fail(js, path, "minimum", "too small");
		}
		if ((m = cJSON_GetObjectItemCaseSensitive(s, "maximum"))) {
			excl = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s,
			    "exclusiveMaximum"));
			if (v->valuedouble > m->valuedouble ||
			    (excl && v->valuedouble == m->valuedouble))
				return js_fail(js, path, "maximum", "too large");
		}
		if ((m = cJSON_GetObjectItemCaseSensitive(s, "multipleOf")) &&
		    m->valuedouble > 0 && fmod(v->valuedouble,
		    m->valuedouble) != 0)
			return js_fail(js, path, "multipleOf", "not a multiple");
	}
	if (cJSON_IsString(v)) {
		if ((m = cJSON_GetObjectItemCaseSensitive(s, "minLength")) &&
		    js_strlen(v->valuestring) < m->valuedouble)
			return js_fail(js, path, "minLength", "too short");
		if ((m = cJSON_GetObjectItemCaseSensitive(s, "maxLength")) &&
		    js_strlen(v->valuestring) > m->valuedouble)
			return js_fail(js, path, "maxLength", "too long");
		if ((m = cJSON_GetObjectItemCaseSensitive(s, "pattern")) &&
		    cJSON_IsString(m)) {
			if (js_regex_search(m->valuestring, v->valuestring,
			    &matched) != 0)
				return js_fail(js, path, "pattern",
				    "regex does not compile");
			if (!matched)
				return js_fail(js, path, "pattern",
				    m->valuestring);
		}
	}
	return 0;
}

static int
js_check(struct js *js, const cJSON *s, const cJSON *v, const char *path,
    int depth)
{
	const cJSON *t, *e, *sub;
	int ok, n, quiet;

	if (depth > JS_MAX_DEPTH)
		return js_fail(js, path, "depth", "schema recursion too deep");
	if (!cJSON_IsObject(s))
		return js_fail(js, path, "schema", "not an object");
	if ((t = cJSON_GetObjectItemCaseSensitive(s, "$ref")) != NULL) {
		if (!cJSON_IsString(t) ||
		    (sub = js_resolve(js->root, t->valuestring)) == NULL)
			return js_fail(js, path, "$ref", "unresolvable");
		return js_check(js, sub, v, path, depth + 1);
	}
	if ((t = cJSON_GetObjectItemCaseSensitive(s, "type")) != NULL) {
		ok = 0;
		if (cJSON_IsString(t))
			ok = js_type_is(t->valuestring, v);
		if (cJSON_IsArray(t))
			cJSON_ArrayForEach(e, t)
				if (cJSON_IsString(e) &&
				    js_type_is(e->valuestring, v))
					ok = 1;
		if (!ok)
			return js_fail(js, path, "type", "wrong type");
	}
	if ((t = cJSON_GetObjectItemCaseSensitive(s, "enum")) != NULL) {
		ok = 0;
		cJSON_ArrayForEach(e, t)
			if (cJSON_Compare(e, v, 1))
				ok = 1;
		if (!ok)
			return js_fail(js, path, "enum", "not one of the values");
	}
	if (cJSON_IsObject(v) && js_check_object(js, s, v, path, depth) != 0)
		return -1;
	if (cJSON_IsArray(v) && js_check_array(js, s, v, path, depth) != 0)
		return -1;
	if (js_check_scalar(js, s, v, path) != 0)
		return -1;
	cJSON_ArrayForEach(sub, cJSON_GetObjectItemCaseSensitive(s, "allOf"))
		if (js_check(js, sub, v, path, depth + 1) != 0)
			return -1;
	quiet = js->quiet;
	js->quiet = 1;
	if ((t = cJSON_GetObjectItemCaseSensitive(s, "anyOf")) != NULL) {
		ok = 0;
		cJSON_ArrayForEach(sub, t)
			if (js_check(js, sub, v, path, depth + 1) == 0)
				ok = 1;
		if (!ok) {
			js->quiet = quiet;
			return js_fail(js, path, "anyOf", "no branch matches");
		}
	}
	if ((t = cJSON_GetObjectItemCaseSensitive(s, "oneOf")) != NULL) {
		n = 0;
		cJSON_ArrayForEach(sub, t)
			if (js_check(js, sub, v, path, depth + 1) == 0)
				n++;
		if (n != 1) {
			js->quiet = quiet;
			return js_fail(js, path, "oneOf", n == 0 ?
			    "no branch matches" : "several branches match");
		}
	}
	if ((t = cJSON_GetObjectItemCaseSensitive(s, "not")) != NULL &&
	    js_check(js, t, v, path, depth + 1) == 0) {
		js->quiet = quiet;
		return js_fail(js, path, "not", "matches the excluded schema");
	}
	js->quiet = quiet;
	return 0;
}

static int
js_validate(const cJSON *schema, const cJSON *inst, char *err, size_t errsz)
{
	struct js js = { schema, err, errsz, 0 };

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	return js_check(&js, schema, inst, "", 0);
}

/*
 * Appends to out (comma-separated) every keyword of the schema tree that
 * js_check neither implements nor ignores as an annotation. Member names
 * under properties, patternProperties, definitions and dependencies are
 * names, not keywords.
 */
static void
js_unknown_keywords(const cJSON *s, char *out, size_t outsz)
{
	static const char *const known[] = {
		"$ref", "type", "enum", "properties", "patternProperties",
		"additionalProperties", "required", "minProperties",
		"maxProperties", "dependencies", "items", "additionalItems",
		"minItems", "maxItems", "uniqueItems", "minimum", "maximum",
		"exclusiveMinimum", "exclusiveMaximum", "multipleOf",
		"minLength", "maxLength", "pattern", "allOf", "anyOf", "oneOf",
		"not", "definitions", "$schema", "id", "title", "description",
		"default", "format",
	};
	const cJSON *k, *c;
	size_t i;

	if (cJSON_IsArray(s)) {
		cJSON_ArrayForEach(c, s)
			js_unknown_keywords(c, out, outsz);
		return;
	}
	if (!cJSON_IsObject(s))
		return;
	cJSON_ArrayForEach(k, s) {
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(k->string, known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0])) {
			if (strlen(out) + strlen(k->string) + 2 < outsz) {
				if (out[0] != '\0')
					strcat(out, ",");
				strcat(out, k->string);
			}
			continue;
		}
		if (strcmp(k->string, "properties") == 0 ||
		    strcmp(k->string, "patternProperties") == 0 ||
		    strcmp(k->string, "definitions") == 0 ||
		    strcmp(k->string, "dependencies") == 0) {
			cJSON_ArrayForEach(c, k)
				js_unknown_keywords(c, out, outsz);
		} else if (strcmp(k->string, "items") == 0 ||
		    strcmp(k->string, "additionalItems") == 0 ||
		    strcmp(k->string, "additionalProperties") == 0 ||
		    strcmp(k->string, "allOf") == 0 ||
		    strcmp(k->string, "anyOf") == 0 ||
		    strcmp(k->string, "oneOf") == 0 ||
		    strcmp(k->string, "not") == 0)
			js_unknown_keywords(k, out, outsz);
	}
}

#endif
