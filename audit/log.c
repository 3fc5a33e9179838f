/* log.c: see log.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static enum ra_verbosity verbosity = RA_NORMAL;

void
ra_log_set_verbosity(enum ra_verbosity v)
{
	verbosity = v;
}

enum ra_verbosity
ra_log_verbosity(void)
{
	return verbosity;
}

static void
vlog(const char *prefix, const char *fmt, va_list ap)
{
	fputs("residency-audit: ", stderr);
	if (prefix != NULL)
		fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
ra_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error: ", fmt, ap);
	va_end(ap);
}

void
ra_warn(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < RA_NORMAL)
		return;
	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void
ra_info(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < RA_NORMAL)
		return;
	va_start(ap, fmt);
	vlog(NULL, fmt, ap);
	va_end(ap);
}

void
ra_debug(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < RA_VERBOSE)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}

void
ra_redact_url(const char *in, char *out, size_t outsz)
{
	const char *scheme, *at, *end;
	size_t o = 0;

	if (outsz == 0)
		return;
	if (in == NULL)
		in = "";
	scheme = strstr(in, "://");
	at = NULL;
	if (scheme != NULL) {
		/* userinfo ends at the last '@' before the first '/', '?' or '#' */
		end = scheme + 3 + strcspn(scheme + 3, "/?#");
		for (const char *p = scheme + 3; p < end; p++)
			if (*p == '@')
				at = p;
	}
	for (const char *p = in; *p != '\0' && o + 1 < outsz; p++) {
		if (at != NULL && p == scheme + 3) {
			const char *r = "***@";

			while (*r != '\0' && o + 1 < outsz)
				out[o++] = *r++;
			p = at;
			continue;
		}
		out[o++] = ((unsigned char)*p < 0x20 || *p == 0x7f) ? '?' : *p;
	}
	out[o] = '\0';
}

void
ra_sanitize_text(const char *in, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t o = 0;

	if (outsz == 0)
		return;
	while (*p != '\0' && o + 1 < outsz) {
		size_t n = 0;

		if (*p < 0x80)
			n = 1;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			n = 2;
		else if ((*p & 0xf0) == 0xe0)
			n = 3;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			n = 4;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				n = 0;
		if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f))) {
			out[o++] = '?';
			p++;
			continue;
		}
		if (o + n >= outsz)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
}
