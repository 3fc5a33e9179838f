/*
 * clock.h: the one source of "now" (STYLE 10). `--as-of` and the tests
 * fix it, so every timestamp the tool writes is reproducible.
 */
#ifndef RA_CLOCK_H
#define RA_CLOCK_H

#include <stddef.h>
#include <time.h>

/* Fixes the clock at t (seconds since the epoch, UTC). */
void	ra_clock_set(time_t t);
/* The fixed time, or the real UTC time when none was set. */
time_t	ra_clock_now(void);
/* Monotonic milliseconds, for intervals and deadlines only (never fixed
 * by --as-of, never written anywhere). */
double	ra_clock_mono_ms(void);

/*
 * Parses an --as-of value: "YYYY-MM-DD" (midnight UTC) or an RFC 3339
 * UTC instant "YYYY-MM-DDThh:mm:ss[.frac](Z|+00:00|-00:00)", 'T' and 'Z'
 * in either case (RFC 3339 §5.6); a fraction is truncated to the second.
 * Returns 0 and sets *t, or -1 on any other form or an invalid date.
 */
int	ra_time_parse(const char *s, time_t *t);
/* Writes "YYYY-MM-DDThh:mm:ssZ" into out (at least 21 bytes). */
void	ra_time_rfc3339(time_t t, char *out, size_t outsz);
/* Writes "YYYY-MM-DD" into out (at least 11 bytes). */
void	ra_time_date(time_t t, char *out, size_t outsz);

#endif
