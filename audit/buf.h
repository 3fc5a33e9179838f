/*
 * buf.h: a growable byte buffer with a hard cap and a sticky error flag
 * (curl's dynbuf in spirit). Writers append without checking each call;
 * the owner reads `err` once at the end.
 *
 * A buffer may have a sink (ra_buf_set_sink): once it holds
 * RA_BUF_SINK_AT bytes they are handed to the sink and the buffer starts
 * over, so a report of any size is written through 64 KiB of memory.
 * A sink's failure is sticky like an allocation failure. With a sink,
 * `data` holds only the bytes not yet handed on; `flushed` counts the
 * others and `max` caps the total.
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
	int	 err;	/* sticky: allocation failed, max exceeded, sink failed */
	/* optional sink: 0 on success, -1 on failure */
	int	(*sink)(void *ud, const void *p, size_t n);
	void	*sink_ud;
	size_t	 flushed;	/* bytes handed to the sink so far */
};

#define RA_BUF_SINK_AT	(64 * 1024)

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
/* Sets the sink (see above); the buffer should be empty. */
void	 ra_buf_set_sink(struct ra_buf *b,
	    int (*sink)(void *ud, const void *p, size_t n), void *ud);
/* Hands what the buffer holds to its sink now: 0, or -1 when the buffer
 * or its sink failed (at any time). Without a sink: 0 unless err. */
int	 ra_buf_flush(struct ra_buf *b);
/* Bytes written so far: those handed to the sink plus those held. */
size_t	 ra_buf_total(const struct ra_buf *b);
/* Always a valid C string ("" when empty or failed). */
const char *ra_buf_cstr(struct ra_buf *b);
/* Hands the data to the caller (NULL on error) and resets the buffer. */
char	*ra_buf_steal(struct ra_buf *b);

#endif
