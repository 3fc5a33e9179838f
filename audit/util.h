/*
 * util.h: files, digests and safe names. Return convention (STYLE 7):
 * 0 on success, -1 on failure with errno set where the OS set it;
 * out-parameters first, set to NULL/0 on failure.
 */
#ifndef RA_UTIL_H
#define RA_UTIL_H

#include <stddef.h>
#include <sys/types.h>

struct dirent;

#define RA_SHA256_HEX	65	/* 64 hex digits and the NUL */

void	ra_sha256_hex(const void *data, size_t len, char out[RA_SHA256_HEX]);
int	ra_sha256_file(const char *path, char out[RA_SHA256_HEX]);

/* Reads a whole file of at most `max` bytes (NUL-terminated copy). */
int	ra_file_read(char **out, size_t *outlen, const char *path, size_t max);
/* Creates or truncates path and writes data (not synced: the pack writer
 * syncs the tree once before it becomes visible). A test seam
 * (ra_util_fail_writes_after) makes it fail on demand. */
int	ra_file_write(const char *path, const void *data, size_t len);
/*
 * A file written in pieces: what ra_file_write does, for data that is
 * never whole in memory (a large org's reports stream through a
 * ra_buf whose sink is ra_wfile_sink). Opening counts as one write for
 * the failure seam. ra_wfile_close returns -1 with errno set when the
 * open, any write or the close failed; it always releases the file.
 */
struct ra_wfile {
	int	fd;	/* -1 when the open failed */
	int	err;	/* errno of the first failure, 0 if none */
};

int	ra_wfile_open(struct ra_wfile *f, const char *path);
int	ra_wfile_sink(void *f, const void *data, size_t len);	/* ra_buf sink */
int	ra_wfile_close(struct ra_wfile *f);
/*
 * The type of directory entry e of the file at path (S_IFREG, S_IFDIR,
 * S_IFLNK, ...): from the entry when the file system gives it (no
 * system call per file of a large raw/), else from lstat (never follows
 * a symlink). 0 with errno set when lstat fails.
 */
mode_t	ra_dirent_type(const char *path, const struct dirent *e);
/* mkdir -p with mode 0755. */
int	ra_mkdir_p(const char *path);
/* rm -rf of a directory tree that we created; never follows symlinks. */
int	ra_rm_rf(const char *path);

/*
 * Test seam for failing-disk tests: after n more successful
 * ra_file_write() calls, every further one fails with EIO. n < 0
 * disables. Also read from env RA_TEST_FAIL_WRITES_AFTER at startup
 * by the CLI.
 */
void	ra_util_fail_writes_after(long n);

/*
 * A path component the tool may write: [A-Za-z0-9._-]+, not "." or "..".
 * Returns 1 if `s` already is one.
 */
int	ra_is_safe_component(const char *s);

/* snprintf into err (of errsz bytes) when err is not NULL and errsz > 0:
 * the one way functions of the form (..., char *err, size_t errsz) say
 * why they failed. */
void	ra_seterr(char *err, size_t errsz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* qsort/bsearch comparator over an array of char * (strcmp order). */
int	ra_strp_cmp(const void *a, const void *b);
/* strdup that aborts on allocation failure (NULL in, NULL out). */
char	*ra_strdup(const char *s);
/* malloc/calloc/realloc that abort on failure. */
void	*ra_malloc(size_t n);
void	*ra_calloc(size_t n, size_t sz);
void	*ra_realloc(void *p, size_t n);
/* asprintf that aborts on failure. */
char	*ra_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
