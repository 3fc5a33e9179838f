/*
 * buf.h: a growable byte buffer with a hard cap and a sticky error flag
 * (curl's dynbuf in spirit). Writers append without checking each call;
 * the owner reads `err` once at the end.
 */
#ifndef RA_BUF_H
#define RA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ra_buf {
	char	*data;	/* NUL-terminated when len > 0 or after ra_buf_cstr */
	size_t	 len;
	size_t	 cap;
	size_t	 max;	/* 0: no cap other than memory */
	int	 err;	/* sticky: allocation failed or max exceeded */
};

void	 ra_buf_init(struct ra_buf *b, size_t max);
void	 ra_buf_free(struct ra_buf *b);
void	 ra_buf_reset(struct ra_buf *b);
int	 ra_buf_add(struct ra_buf *b, const void *p, size_t n);
int	 ra_buf_adds(struct ra_buf *b, const char *s);
int	 ra_buf_addc(struct ra_buf *b, char c);
int	 ra_buf_printf(struct ra_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 ra_buf_vprintf(struct ra_buf *b, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/* Always a valid C string ("" when empty or failed). */
const char *ra_buf_cstr(struct ra_buf *b);
/* Hands the data to the caller (NULL on error) and resets the buffer. */
char	*ra_buf_steal(struct ra_buf *b);

#endif
