/* buf.c: see buf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
ra_buf_init(struct ra_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
ra_buf_free(struct ra_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
ra_buf_reset(struct ra_buf *b)
{
	b->len = 0;
	b->err = 0;
	b->flushed = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
grow(struct ra_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (b->err)
		return -1;
	if (extra > (size_t)-1 - b->len - b->flushed - 1 ||
	    (b->max != 0 && b->flushed + b->len + extra > b->max)) {
		b->err = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > (size_t)-1 / 2 ? need : ncap * 2;
	if ((p = realloc(b->data, ncap)) == NULL) {
		b->err = 1;
		return -1;
	}
	b->data = p;
	b->cap = ncap;
	return 0;
}

void
ra_buf_set_sink(struct ra_buf *b,
    int (*sink)(void *ud, const void *p, size_t n), void *ud)
{
	b->sink = sink;
	b->sink_ud = ud;
}

int
ra_buf_flush(struct ra_buf *b)
{
	if (b->err)
		return -1;
	if (b->sink == NULL || b->len == 0)
		return 0;
	if (b->sink(b->sink_ud, b->data, b->len) != 0) {
		b->err = 1;
		return -1;
	}
	b->flushed += b->len;
	b->len = 0;
	b->data[0] = '\0';
	return 0;
}

size_t
ra_buf_total(const struct ra_buf *b)
{
	return b->flushed + b->len;
}

/* After an append: hands a full buffer to the sink. */
static int
appended(struct ra_buf *b)
{
	if (b->sink != NULL && b->len >= RA_BUF_SINK_AT)
		return ra_buf_flush(b);
	return 0;
}

int
ra_buf_add(struct ra_buf *b, const void *p, size_t n)
{
	if (grow(b, n) != 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return appended(b);
}

int
ra_buf_adds(struct ra_buf *b, const char *s)
{
	return ra_buf_add(b, s, strlen(s));
}

int
ra_buf_addc(struct ra_buf *b, char c)
{
	return ra_buf_add(b, &c, 1);
}

int
ra_buf_vprintf(struct ra_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || grow(b, (size_t)n) != 0) {
		b->err = 1;
		return -1;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return appended(b);
}

int
ra_buf_printf(struct ra_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ra_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *
ra_buf_cstr(struct ra_buf *b)
{
	if (b->data == NULL || b->err)
		return "";
	return b->data;
}

char *
ra_buf_steal(struct ra_buf *b)
{
	char *p;

	if (b->err) {
		ra_buf_free(b);
		b->err = 0;
		return NULL;
	}
	if (b->data == NULL) {
		if (grow(b, 0) != 0)
			return NULL;
		b->data[0] = '\0';
	}
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
