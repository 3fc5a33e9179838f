/*
 * utf8clean.h: text from Atlas made valid UTF-8 (and valid XML text).
 * Findings clean what they carry (checks/finding.c), so reports sort and
 * print the same bytes; the JUnit and SARIF writers clean again for XML.
 */
#ifndef RA_UTF8CLEAN_H
#define RA_UTF8CLEAN_H

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

#endif
