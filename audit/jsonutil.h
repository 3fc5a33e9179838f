/*
 * jsonutil.h: the JSON boundary (STYLE 6). Parsing is bounded (size
 * checked by the caller, nesting checked here before cJSON recurses),
 * lookups are case-sensitive and typed: a field of the wrong type is
 * treated as absent, and callers decide whether absent is an error.
 */
#ifndef RA_JSONUTIL_H
#define RA_JSONUTIL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define RA_JSON_MAX_DEPTH	64

/*
 * Parses exactly `len` bytes as one JSON document (trailing whitespace
 * allowed, nothing else). Fails on nesting deeper than RA_JSON_MAX_DEPTH,
 * invalid UTF-8 is left to cJSON (accepted as bytes). On failure returns
 * NULL and writes a one-line reason with the byte offset into err.
 */
cJSON	*ra_json_parse(const char *data, size_t len, char *err, size_t errsz);

/* Typed, case-sensitive getters; NULL/-1 when absent or of another type. */
const char *ra_json_str(const cJSON *obj, const char *key);
const cJSON *ra_json_obj(const cJSON *obj, const char *key);
const cJSON *ra_json_arr(const cJSON *obj, const char *key);
/* 0 and *out set, or -1 (absent, null or not a boolean). */
int	 ra_json_bool(const cJSON *obj, const char *key, int *out);
/* 0 and *out set, or -1 (absent or not an integral number). */
int	 ra_json_int(const cJSON *obj, const char *key, long long *out);

/*
 * Serialises with two-space indentation, keys in insertion order, a final
 * newline; deterministic for equal trees. Returns malloc'd text.
 */
char	*ra_json_print(const cJSON *root);

/*
 * The pieces of ra_json_print, for writers that print a document part
 * by part (reports/report_json.c) and must produce the same bytes:
 * ra_json_print_to appends v as ra_json_print prints it nested `level`
 * deep (no final newline); ra_json_indent appends the indentation of
 * `level`; ra_json_print_string appends s quoted and escaped.
 */
struct ra_buf;
void	 ra_json_print_to(struct ra_buf *b, const cJSON *v, int level);
void	 ra_json_indent(struct ra_buf *b, int level);
void	 ra_json_print_string(struct ra_buf *b, const char *s);

#endif
