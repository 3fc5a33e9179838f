/*
 * utf8clean.c: strict UTF-8 decoding (utf8clean.h). Text from Atlas is
 * arbitrary bytes; XML 1.0 and JSON consumers (GitHub, GitLab, Jenkins)
 * reject invalid UTF-8 and XML rejects most control characters, so
 * findings (checks/finding.c), the Markdown and JSON reports and the
 * JUnit and SARIF writers pass their strings through here; a streamed
 * JSON report goes through ra_utf8_stream.
 */
#include <stdlib.h>
#include <string.h>

#include "utf8clean.h"
#include "util.h"

/*
 * Decodes one UTF-8 sequence at s (n bytes left). Returns its length and
 * sets *cp, or 0 when the bytes are not a shortest-form UTF-8 scalar
 * value (overlong forms, surrogates, values above U+10FFFF, truncated
 * or stray continuation bytes).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c;
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

/* XML 1.0 "Char" (§2.2). */
static int
xml_char_ok(unsigned long c)
{
	return c == 0x9 || c == 0xa || c == 0xd ||
	    (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0x10ffff);
}

char *
ra_utf8_clean(const char *s, int mode)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t n = strlen((const char *)p), i = 0, o = 0, len;
	unsigned long cp;
	char *out;

	/* the usual case, valid text: a copy of its own size (findings of
	 * a large org keep tens of thousands of these) */
	if (mode != RA_UTF8_XML && ra_utf8_valid((const char *)p, n)) {
		out = ra_malloc(n + 1);
		memcpy(out, p, n + 1);
		return out;
	}
	/* at most 3 output bytes per input byte (U+FFFD for one byte) */
	out = ra_malloc(n * 3 + 1);
	while (i < n) {
		len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		if (mode != RA_UTF8_XML || xml_char_ok(cp)) {
			memcpy(out + o, p + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
	return o < n * 3 ? ra_realloc(out, o + 1) : out;
}

int
ra_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	unsigned long cp;

	while (i < n) {
		if (p[i] == 0 || (len = utf8_decode(p + i, n - i, &cp)) == 0)
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Where a piece of n bytes may be cut so that cleaning the part before
 * the cut alone gives what cleaning the whole text gives for it: before
 * a lead byte in the last three that only continuation bytes follow (a
 * sequence the next piece may complete), else at n. A byte that is not
 * a continuation byte always starts a step of the decoder, so no
 * sequence before the cut reaches past it.
 */
static size_t
stream_cut(const unsigned char *p, size_t n)
{
	for (size_t k = n; k > 0 && n - k < 3; k--) {
		if (p[k - 1] >= 0xc0)
			return k - 1;
		if (p[k - 1] < 0x80)
			break;
	}
	return n;
}

/* Hands on n bytes at p (p[n] may be written) cleaned. */
static int
stream_emit(struct ra_utf8_stream *s, char *p, size_t n)
{
	char *clean;
	int rc;

	if (n == 0)
		return 0;
	if (ra_utf8_valid(p, n))
		return s->out(s->out_ud, p, n);
	p[n] = '\0';
	s->ended = memchr(p, '\0', n) != NULL;
	clean = ra_utf8_clean(p, RA_UTF8_JSON);
	rc = s->out(s->out_ud, clean, strlen(clean));
	free(clean);
	return rc;
}

int
ra_utf8_stream_sink(void *vs, const void *data, size_t len)
{
	struct ra_utf8_stream *s = vs;
	size_t n, cut;
	char *buf;
	int rc;

	if (s->ended)
		return 0;
	n = s->ncarry + len;
	buf = ra_malloc(n + 1);
	memcpy(buf, s->carry, s->ncarry);
	if (len > 0)
		memcpy(buf + s->ncarry, data, len);
	cut = stream_cut((const unsigned char *)buf, n);
	s->ncarry = n - cut;
	memcpy(s->carry, buf + cut, s->ncarry);
	rc = stream_emit(s, buf, cut);
	free(buf);
	return rc;
}

int
ra_utf8_stream_end(struct ra_utf8_stream *s)
{
	char tail[sizeof(s->carry) + 1];
	size_t n = s->ncarry;

	s->ncarry = 0;
	if (s->ended)
		return 0;
	memcpy(tail, s->carry, n);
	return stream_emit(s, tail, n);
}
