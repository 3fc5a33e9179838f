/*
 * utf8clean.h: text from Atlas made valid UTF-8 (and valid XML text).
 * Findings clean what they carry (checks/finding.c), so reports sort and
 * print the same bytes; the JUnit and SARIF writers clean again for XML.
 */
#ifndef RA_UTF8CLEAN_H
#define RA_UTF8CLEAN_H

#include <stddef.h>

enum { RA_UTF8_JSON = 0, RA_UTF8_XML = 1 };

/*
 * A copy of s that is valid UTF-8: each byte that does not start a
 * shortest-form UTF-8 scalar value (stray continuation bytes, overlong
 * forms, surrogates, values above U+10FFFF, truncated sequences) becomes
 * U+FFFD. With RA_UTF8_XML, characters outside the XML 1.0 Char
 * production (C0 controls other than tab, LF, CR; U+FFFE; U+FFFF) are
 * also dropped, so the result is valid XML character data once <, &, >
 * and quotes are escaped. NULL gives "". malloc'd, never NULL.
 */
char	*ra_utf8_clean(const char *s, int mode);

/*
 * 1 when the n bytes at s are valid UTF-8 without a NUL byte: exactly
 * the strings ra_utf8_clean(s, RA_UTF8_JSON) returns unchanged.
 */
int	ra_utf8_valid(const char *s, size_t n);

/*
 * ra_utf8_clean(RA_UTF8_JSON) of a text that arrives in pieces (a ra_buf
 * sink): the bytes handed to `out` are exactly the cleaning of the whole
 * text. A piece that is valid goes on as it is (no copy is cleaned); a
 * sequence cut at a piece's end waits for the next piece; a NUL ends the
 * text (ra_utf8_clean stops there) and everything after it is dropped.
 * Zero the struct, set out and out_ud, hand pieces to ra_utf8_stream_sink,
 * then call ra_utf8_stream_end once. Both return out's failure (-1).
 */
struct ra_utf8_stream {
	int	(*out)(void *ud, const void *p, size_t n);
	void	*out_ud;
	char	 carry[4];	/* the start of a sequence cut at a piece's end */
	size_t	 ncarry;
	int	 ended;		/* a NUL was seen */
};

int	ra_utf8_stream_sink(void *s, const void *p, size_t n);
int	ra_utf8_stream_end(struct ra_utf8_stream *s);

#endif
