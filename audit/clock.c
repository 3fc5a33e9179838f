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

double
ra_clock_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

/* n digits at s into *v; 0 or -1 (anything but a digit). */
static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
ra_time_parse(const char *s, time_t *t)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	const char *p;

	/* date: exactly YYYY-MM-DD (no signs, spaces or short fields) */
	if (strlen(s) < 10 || digits(s, 4, &y) != 0 || s[4] != '-' ||
	    digits(s + 5, 2, &mo) != 0 || s[7] != '-' ||
	    digits(s + 8, 2, &d) != 0)
		return -1;
	p = s + 10;
	if (*p != '\0') {
		/* time: Thh:mm:ss[.frac] then Z or a zero offset */
		if ((*p != 'T' && *p != 't') || digits(p + 1, 2, &h) != 0 ||
		    p[3] != ':' || digits(p + 4, 2, &mi) != 0 || p[6] != ':' ||
		    digits(p + 7, 2, &sec) != 0)
			return -1;
		p += 9;
		if (*p == '.') {
			if (p[1] < '0' || p[1] > '9')
				return -1;
			for (p++; *p >= '0' && *p <= '9'; p++)
				;	/* truncated: asOf is to the second */
		}
		if (*p == 'Z' || *p == 'z')
			p++;
		else if ((*p == '+' || *p == '-') && strcmp(p + 1, "00:00") == 0)
			p += 6;
		else
			return -1;
		if (*p != '\0')
			return -1;
	}
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
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
