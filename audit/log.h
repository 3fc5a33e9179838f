/*
 * log.h: diagnostics on stderr. One line each, leading with the subject
 * (URL, control id, resource) as STYLE 9 asks. Nothing here ever prints a
 * secret: callers pass URLs through ra_redact_url() and never hand a
 * credential to a log call; the integration tests grep for them.
 */
#ifndef RA_LOG_H
#define RA_LOG_H

enum ra_verbosity { RA_QUIET = 0, RA_NORMAL = 1, RA_VERBOSE = 2 };

void	ra_log_set_verbosity(enum ra_verbosity v);
enum ra_verbosity ra_log_verbosity(void);

/* Errors print even under -q; warnings and info not under -q; debug
 * only under -v. Each appends a newline. */
void	ra_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	ra_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	ra_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	ra_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Copies `in` to `out` (size `outsz`, always NUL-terminated) with any
 * userinfo (user:password@) of a URL or mongodb:// connection string
 * replaced by "***@" and control characters replaced by '?'.
 */
void	ra_redact_url(const char *in, char *out, size_t outsz);

/*
 * Copies server-supplied text for a terminal: control characters and
 * invalid UTF-8 become '?', at most outsz-1 bytes, NUL-terminated.
 */
void	ra_sanitize_text(const char *in, char *out, size_t outsz);

#endif
