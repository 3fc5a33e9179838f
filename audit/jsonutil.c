/* jsonutil.c: see jsonutil.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonutil.h"
#include "util.h"

/* Rejects documents nested deeper than the limit without recursion. */
static int
depth_ok(const char *p, size_t len, size_t *where)
{
	size_t depth = 0;
	int in_str = 0, esc = 0;

	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '[' || c == '{') {
			if (++depth > RA_JSON_MAX_DEPTH) {
				*where = i;
				return 0;
			}
		} else if ((c == ']' || c == '}') && depth > 0)
			depth--;
	}
	return 1;
}

cJSON *
ra_json_parse(const char *data, size_t len, char *err, size_t errsz)
{
	const char *end = NULL;
	size_t where = 0;
	cJSON *root;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (data == NULL || len == 0) {
		snprintf(err, errsz, "empty body");
		return NULL;
	}
	if (memchr(data, '\0', len) != NULL) {
		snprintf(err, errsz, "NUL byte in JSON");
		return NULL;
	}
	if (!depth_ok(data, len, &where)) {
		snprintf(err, errsz, "JSON nested deeper than %d at byte %zu",
		    RA_JSON_MAX_DEPTH, where);
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (root == NULL) {
		size_t off = end != NULL && end >= data ? (size_t)(end - data) : 0;

		if (end == NULL) {
			const char *e = cJSON_GetErrorPtr();

			off = e != NULL && e >= data && e <= data + len ?
			    (size_t)(e - data) : 0;
		}
		snprintf(err, errsz, "invalid JSON at byte %zu of %zu", off, len);
		return NULL;
	}
	for (; end != NULL && end < data + len; end++) {
		if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') {
			snprintf(err, errsz, "trailing data after JSON at byte %zu",
			    (size_t)(end - data));
			cJSON_Delete(root);
			return NULL;
		}
	}
	return root;
}

const char *
ra_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *
ra_json_obj(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *
ra_json_arr(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsArray(v) ? v : NULL;
}

int
ra_json_bool(const cJSON *obj, const char *key, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsBool(v))
		return -1;
	*out = cJSON_IsTrue(v);
	return 0;
}

int
ra_json_int(const cJSON *obj, const char *key, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    fabs(v->valuedouble) > 9007199254740992.0)
		return -1;
	*out = (long long)v->valuedouble;
	return 0;
}

void
ra_json_print_string(struct ra_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;

	ra_buf_addc(b, '"');
	for (;;) {
		/* the bytes that need no escape go in one piece */
		for (run = p; *p >= 0x20 && *p != '"' && *p != '\\' &&
		    *p != 0x7f; p++)
			;
		if (p > run)
			ra_buf_add(b, run, (size_t)(p - run));
		if (*p == '\0')
			break;
		switch (*p) {
		case '"':  ra_buf_adds(b, "\\\""); break;
		case '\\': ra_buf_adds(b, "\\\\"); break;
		case '\n': ra_buf_adds(b, "\\n"); break;
		case '\r': ra_buf_adds(b, "\\r"); break;
		case '\t': ra_buf_adds(b, "\\t"); break;
		case '\b': ra_buf_adds(b, "\\b"); break;
		case '\f': ra_buf_adds(b, "\\f"); break;
		default:   ra_buf_printf(b, "\\u%04x", *p); break;
		}
		p++;
	}
	ra_buf_addc(b, '"');
}

void
ra_json_indent(struct ra_buf *b, int level)
{
	for (int i = 0; i < level; i++)
		ra_buf_adds(b, "  ");
}

void
ra_json_print_to(struct ra_buf *b, const cJSON *v, int level)
{
	const cJSON *c;

	if (cJSON_IsNull(v) || v == NULL)
		ra_buf_adds(b, "null");
	else if (cJSON_IsTrue(v))
		ra_buf_adds(b, "true");
	else if (cJSON_IsFalse(v))
		ra_buf_adds(b, "false");
	else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (d == floor(d) && fabs(d) < 1e15)
			ra_buf_printf(b, "%.0f", d);
		else if (isfinite(d))
			ra_buf_printf(b, "%.17g", d);
		else
			ra_buf_adds(b, "null");
	} else if (cJSON_IsString(v))
		ra_json_print_string(b, v->valuestring);
	else if (cJSON_IsRaw(v))
		ra_buf_adds(b, v->valuestring);
	else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		int obj = cJSON_IsObject(v);

		if (v->child == NULL) {
			ra_buf_adds(b, obj ? "{}" : "[]");
			return;
		}
		ra_buf_adds(b, obj ? "{\n" : "[\n");
		for (c = v->child; c != NULL; c = c->next) {
			ra_json_indent(b, level + 1);
			if (obj) {
				ra_json_print_string(b,
				    c->string ? c->string : "");
				ra_buf_adds(b, ": ");
			}
			ra_json_print_to(b, c, level + 1);
			ra_buf_adds(b, c->next ? ",\n" : "\n");
		}
		ra_json_indent(b, level);
		ra_buf_addc(b, obj ? '}' : ']');
	}
}

char *
ra_json_print(const cJSON *root)
{
	struct ra_buf b;

	ra_buf_init(&b, 0);
	ra_json_print_to(&b, root, 0);
	ra_buf_addc(&b, '\n');
	return ra_buf_steal(&b);
}
