/*
 * mustache.h: a Mustache renderer for the evidence pack and `render`
 * (CONTRACT §1, issue 4). It implements the whole core specification
 * (variables, HTML escaping, dotted names, implicit iterator, sections,
 * inverted sections, comments, partials with standalone indentation,
 * set delimiters, standalone-line whitespace rules); lambdas are not
 * supported because JSON data has none.
 *
 * Data is a cJSON tree. Falsey values are false, null, a missing name
 * and the empty array; everything else (0, "" included) is truthy, as
 * the specification says. Numbers print as integers when integral, else
 * in the shortest form that reads back as the same double; objects and
 * arrays interpolate as their compact JSON text.
 *
 * Everything is bounded: partial nesting, output size, section nesting
 * and total work (so self-recursive partials and nested loops end in an
 * error, never a crash or a hang).
 */
#ifndef RA_MUSTACHE_H
#define RA_MUSTACHE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"

enum ra_escape {
	/* & < > " ' become entities (the specification's escaping). */
	RA_ESCAPE_HTML = 0,
	/*
	 * HTML escaping plus Markdown-table safety: | ` * _ [ ] # \ are
	 * backslash-escaped, every control character (a CR LF pair counts
	 * as one) becomes one space. An escaped value can then never add a
	 * table cell, break a row, open code, form a link or pass HTML.
	 * Triple mustaches and {{& }} stay raw in every mode.
	 */
	RA_ESCAPE_MARKDOWN = 1
};

#define RA_MUSTACHE_MAX_DEPTH	32			/* partial nesting */
#define RA_MUSTACHE_MAX_OUTPUT	((size_t)64 << 20)	/* 64 MiB */
#define RA_MUSTACHE_MAX_STEPS	((size_t)1 << 24)	/* tags visited */
#define RA_MUSTACHE_MAX_NEST	100			/* sections per template */

/*
 * The partial loader. Called with the partial's name (NUL-terminated,
 * trimmed, without NUL bytes). Returns 0 and a malloc'd *text of *len
 * bytes that the renderer frees; 1 when there is no such partial (it
 * renders as the empty string, per specification); -1 on any other
 * failure (the render fails). Each name is loaded at most once per
 * ra_mustache_render() call.
 */
typedef int (*ra_mustache_loader)(void *ud, const char *name, char **text,
    size_t *len);

/*
 * The placeholder expander (optional). With it set, every cJSON_Raw node
 * of the data is a placeholder for a value built only when a template
 * looks it up: the renderer calls expand(expand_ud, node) when a lookup
 * lands on it (a section, an inverted section, a variable, or a step of
 * a dotted name), and when it prints an object or array that holds one
 * (the whole value is then built first, so the output is what the fully
 * built data would give). The returned tree is the renderer's: it is
 * freed when the tag or section that asked for it ends. NULL fails the
 * render. Without an expander a cJSON_Raw node is an ordinary truthy
 * value that prints nothing.
 */
typedef cJSON *(*ra_mustache_expander)(void *ud, const cJSON *placeholder);

/* All fields may be zero: defaults as documented per field. */
struct ra_mustache_opts {
	ra_mustache_loader load_partial;	/* NULL: partials render empty */
	void		*ud;			/* passed to load_partial */
	enum ra_escape	 escape;		/* RA_ESCAPE_HTML */
	int		 max_partial_depth;	/* 0: RA_MUSTACHE_MAX_DEPTH */
	size_t		 max_output;		/* 0: RA_MUSTACHE_MAX_OUTPUT */
	size_t		 max_steps;		/* 0: RA_MUSTACHE_MAX_STEPS */
	ra_mustache_expander expand;		/* NULL: no placeholders */
	void		*expand_ud;		/* passed to expand */
};

/*
 * Renders the `len` bytes of `tmpl` against `data` (may be NULL: every
 * name misses) and appends the result to `out`. `opts` may be NULL.
 *
 * Returns 0, or -1 with a one-line message in err (when errsz > 0) of
 * the form "[partial 'p': ]line L, column C: what" for template errors
 * (unclosed tag, unclosed section, mismatched close, bad delimiter,
 * empty tag) or naming the exceeded limit; on failure `out` is cut back
 * to its length on entry, except for bytes its sink (buf.h) already
 * took, which are the sink owner's to discard (ra_report_stream_close).
 */
int	ra_mustache_render(struct ra_buf *out, const char *tmpl, size_t len,
	    const cJSON *data, const struct ra_mustache_opts *opts, char *err,
	    size_t errsz);

/*
 * A deep copy of `data` with every placeholder replaced by what
 * expand(expand_ud, node) builds (recursively: a built value may hold
 * placeholders too, up to RA_MUSTACHE_MAX_NEST levels); a plain copy
 * when opts or opts->expand is NULL. NULL when an expansion fails or
 * nests too deep. Caller frees with cJSON_Delete.
 */
cJSON	*ra_mustache_materialise(const cJSON *data,
	    const struct ra_mustache_opts *opts);

/*
 * Appends `s` (n bytes) to `out` escaped as `mode` says; exported for
 * the report writers that build Markdown without a template.
 */
void	ra_mustache_escape(struct ra_buf *out, const char *s, size_t n,
	    enum ra_escape mode);

#endif
