/* util.c: see util.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "util.h"

static long fail_writes_after = -1;

void
ra_util_fail_writes_after(long n)
{
	fail_writes_after = n;
}

static void
hex(const unsigned char *md, unsigned int n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned int i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

void
ra_sha256_hex(const void *data, size_t len, char out[RA_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1)
		abort();
	hex(md, n, out);
}

int
ra_sha256_file(const char *path, char out[RA_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE], chunk[65536];
	unsigned int n = 0;
	EVP_MD_CTX *ctx = NULL;
	FILE *f = NULL;
	size_t r;
	int rc = -1;

	out[0] = '\0';
	if ((f = fopen(path, "rb")) == NULL)
		goto out;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (EVP_DigestUpdate(ctx, chunk, r) != 1)
			goto out;
	if (ferror(f) || EVP_DigestFinal_ex(ctx, md, &n) != 1)
		goto out;
	hex(md, n, out);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	if (f != NULL)
		fclose(f);
	return rc;
}

int
ra_file_read(char **out, size_t *outlen, const char *path, size_t max)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, r;
	int rc = -1;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if ((f = fopen(path, "rb")) == NULL)
		goto out;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			size_t ncap = cap ? cap * 2 : 8192;
			char *p;

			if ((p = realloc(buf, ncap)) == NULL)
				goto out;
			buf = p;
			cap = ncap;
		}
		r = fread(buf + len, 1, cap - len - 1, f);
		len += r;
		if (len > max) {
			errno = EFBIG;
			goto out;
		}
		if (r == 0)
			break;
	}
	if (ferror(f))
		goto out;
	if (buf == NULL && (buf = malloc(1)) == NULL)
		goto out;
	buf[len] = '\0';
	*out = buf;
	buf = NULL;
	if (outlen != NULL)
		*outlen = len;
	rc = 0;
out:
	free(buf);
	if (f != NULL)
		fclose(f);
	return rc;
}

int
ra_wfile_open(struct ra_wfile *f, const char *path)
{
	f->fd = -1;
	f->err = 0;
	if (fail_writes_after == 0) {
		f->err = EIO;
		return -1;
	}
	if (fail_writes_after > 0)
		fail_writes_after--;
	if ((f->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0644)) < 0) {
		f->err = errno;
		return -1;
	}
	return 0;
}

int
ra_wfile_sink(void *vf, const void *data, size_t len)
{
	struct ra_wfile *f = vf;
	const char *p = data;

	if (f->err != 0)
		return -1;
	while (len > 0) {
		ssize_t w = write(f->fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			f->err = errno;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
ra_wfile_close(struct ra_wfile *f)
{
	/* No fsync here: the pack writer syncs the whole tree once before
	 * renaming it into place (reports/pack.c). */
	if (f->fd >= 0 && close(f->fd) != 0 && f->err == 0)
		f->err = errno;
	f->fd = -1;
	if (f->err != 0) {
		errno = f->err;
		return -1;
	}
	return 0;
}

int
ra_file_write(const char *path, const void *data, size_t len)
{
	struct ra_wfile f;

	if (ra_wfile_open(&f, path) == 0)
		(void)ra_wfile_sink(&f, data, len);
	return ra_wfile_close(&f);
}

mode_t
ra_dirent_type(const char *path, const struct dirent *e)
{
	struct stat st;

	switch (e->d_type) {
	case DT_REG:	return S_IFREG;
	case DT_DIR:	return S_IFDIR;
	case DT_LNK:	return S_IFLNK;
	case DT_FIFO:	return S_IFIFO;
	case DT_SOCK:	return S_IFSOCK;
	case DT_CHR:	return S_IFCHR;
	case DT_BLK:	return S_IFBLK;
	default:
		break;
	}
	if (lstat(path, &st) != 0)
		return 0;
	return st.st_mode & S_IFMT;
}

int
ra_mkdir_p(const char *path)
{
	char *tmp = ra_strdup(path);
	int rc = -1;

	for (char *p = tmp + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
				goto out;
			*p = c;
			if (c == '\0')
				break;
		}
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int
ra_rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char *child;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		child = ra_asprintf("%s/%s", path, e->d_name);
		if (ra_rm_rf(child) != 0)
			rc = -1;
		free(child);
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

static int
safe_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int
ra_is_safe_component(const char *s)
{
	if (s == NULL || *s == '\0' || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return 0;
	for (const char *p = s; *p != '\0'; p++)
		if (!safe_byte((unsigned char)*p))
			return 0;
	return 1;
}

void
ra_seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

int
ra_strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *
ra_strdup(const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = strdup(s)) == NULL)
		abort();
	return p;
}

void *
ra_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		abort();
	return p;
}

void *
ra_calloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		abort();
	return p;
}

void *
ra_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		abort();
	return q;
}

char *
ra_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return p;
}
