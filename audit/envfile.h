/*
 * envfile.h: reads one variable from a dotenv file (inventory
 * "deployments", control app-log-destination).
 *
 * Syntax, one assignment per line (LF or CRLF):
 *   KEY=value            unquoted: leading and trailing blanks dropped;
 *                        " #" (a blank, then '#') starts a comment, a '#'
 *                        inside a word does not (URL fragments survive)
 *   export KEY=value     the same ("export" and blanks before the key)
 *   KEY='v a l'          literal up to the next '\'' (may span lines)
 *   KEY="v\"a\nl"        escapes \n \r \t \" \\ \' \$; any other "\x" is
 *                        kept as written; may span lines
 *   # comment, blank lines
 * Blanks around '=' are allowed. KEY is [A-Za-z_][A-Za-z0-9_.]*. After a
 * closing quote only blanks and a comment may follow. The last
 * assignment of a variable wins. Nothing is interpolated: "$HOME" stays
 * "$HOME". Any line that is none of the above (a bare word, an
 * unterminated quote, a NUL byte) makes the whole file malformed: it
 * cannot be read with confidence.
 */
#ifndef RA_ENVFILE_H
#define RA_ENVFILE_H

#include <stddef.h>

/*
 * Looks up `variable` in `len` bytes of dotenv text. Returns 1 with a
 * malloc'd *value, 0 when no line assigns it (*value NULL), or -1 with
 * *value NULL and one line in err ("line 3: unterminated double
 * quote"). Messages never quote a value (values are secrets).
 */
int	ra_envfile_get(const char *text, size_t len, const char *variable,
	    char **value, char *err, size_t errsz);

#endif
