/* clock.c: see clock.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"

static int	fixed;
static time_t	fixed_at;

void
ra_clock_set(time_t t)
{
	fixed = 1;
	fixed_at = t;
}

time_t
ra_clock_now(void)
{
	return fixed ? fixed_at : time(NULL);
}

int
ra_clock_is_fixed(void)
{
	return fixed;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

int
ra_time_parse(const char *s, time_t *t)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	size_t len = strlen(s);

	if (len == 10) {
		if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
			return -1;
	} else if (len == 20) {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi,
		    &sec, &n) != 6 || n != 20)
			return -1;
	} else
		return -1;
	for (size_t i = 0; i < len; i++) {
		/* sscanf accepts signs and spaces; the format does not */
		if (s[i] == ' ' || s[i] == '+' || (s[i] == '-' && i != 4 && i != 7))
			return -1;
	}
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59 ||
	    h < 0 || mi < 0 || sec < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = timegm(&tm);
	return 0;
}

void
ra_time_rfc3339(time_t t, char *out, size_t outsz)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
ra_time_date(time_t t, char *out, size_t outsz)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%d", &tm);
}
