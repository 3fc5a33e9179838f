/* pack.c: see pack.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "log.h"
#include "pack.h"
#include "raw.h"
#include "util.h"

/* Cap on the number of files a pack may hold (a runaway guard). */
#define PACK_MAX_FILES	((size_t)1 << 22)

void
ra_pack_free(struct ra_pack *p)
{
	if (p == NULL)
		return;
	free(p->root);
	free(p->date);
	free(p->final_dir);
	free(p->tmp_dir);
	memset(p, 0, sizeof(*p));
}

int
ra_pack_begin(struct ra_pack *p, const char *out_root, time_t as_of,
    int force, char *err, size_t errsz)
{
	char date[16];
	char *raw = NULL;
	struct stat st;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (out_root == NULL || *out_root == '\0') {
		ra_seterr(err, errsz, "pack: empty output directory");
		goto out;
	}
	ra_time_date(as_of, date, sizeof(date));
	p->root = ra_strdup(out_root);
	p->date = ra_strdup(date);
	p->final_dir = ra_asprintf("%s/%s", out_root, date);
	if (ra_mkdir_p(out_root) != 0) {
		ra_seterr(err, errsz, "%s: cannot create: %s", out_root,
		    strerror(errno));
		goto out;
	}
	if (lstat(p->final_dir, &st) == 0 && !force) {
		ra_seterr(err, errsz, "pack %s exists (use --force to replace it)",
		    p->final_dir);
		goto out;
	}
	p->tmp_dir = ra_asprintf("%s/.%s.tmp-XXXXXX", out_root, date);
	if (mkdtemp(p->tmp_dir) == NULL) {
		ra_seterr(err, errsz, "%s: cannot create: %s", p->tmp_dir,
		    strerror(errno));
		free(p->tmp_dir);
		p->tmp_dir = NULL;
		goto out;
	}
	/* mkdtemp makes it 0700; a pack is meant to be read and shared. */
	(void)chmod(p->tmp_dir, 0755);
	raw = ra_asprintf("%s/%s", p->tmp_dir, RA_RAW_DIR);
	if (mkdir(raw, 0755) != 0) {
		ra_seterr(err, errsz, "%s: cannot create: %s", raw,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0) {
		ra_pack_abort(p);
		ra_pack_free(p);
	}
	free(raw);
	return rc;
}

/* 1 when every '/'-separated component of relpath is safe. */
static int
safe_relpath(const char *relpath)
{
	const char *s, *e;
	char comp[256];
	size_t n;

	if (relpath == NULL || *relpath == '\0')
		return 0;
	for (s = relpath; ; s = e + 1) {
		if ((e = strchr(s, '/')) == NULL)
			e = s + strlen(s);
		n = (size_t)(e - s);
		if (n == 0 || n >= sizeof(comp))
			return 0;
		memcpy(comp, s, n);
		comp[n] = '\0';
		if (!ra_is_safe_component(comp))
			return 0;
		if (*e == '\0')
			return 1;
	}
}

int
ra_pack_write_file(const struct ra_pack *p, const char *relpath,
    const void *data, size_t len)
{
	char *path = NULL, *slash;
	int rc = -1;

	if (p == NULL || p->tmp_dir == NULL || !safe_relpath(relpath)) {
		errno = EINVAL;
		goto out;
	}
	path = ra_asprintf("%s/%s", p->tmp_dir, relpath);
	if ((slash = strrchr(path, '/')) != NULL &&
	    slash > path + strlen(p->tmp_dir)) {
		*slash = '\0';
		if (ra_mkdir_p(path) != 0)
			goto out;
		*slash = '/';
	}
	rc = ra_file_write(path, data, len);
out:
	free(path);
	return rc;
}

struct names {
	char	**v;
	size_t	 n, cap;
};

/*
 * Collects the relative paths of the regular files under base/rel
 * (rel "" at the top). Returns 0 or -1 with err set.
 */
static int
walk(struct names *out, const char *base, const char *rel, int skip_signed,
    char *err, size_t errsz)
{
	DIR *d = NULL;
	struct dirent *e;
	char *dir, *child = NULL, *childrel = NULL;
	mode_t type;
	int rc = -1;

	dir = *rel ? ra_asprintf("%s/%s", base, rel) : ra_strdup(base);
	if ((d = opendir(dir)) == NULL) {
		ra_seterr(err, errsz, "%s: %s", dir, strerror(errno));
		goto out;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		free(child);
		free(childrel);
		childrel = *rel ? ra_asprintf("%s/%s", rel, e->d_name) :
		    ra_strdup(e->d_name);
		child = ra_asprintf("%s/%s", base, childrel);
		if (!ra_is_safe_component(e->d_name)) {
			ra_seterr(err, errsz, "%s: unsafe file name in the pack",
			    child);
			goto out;
		}
		if ((type = ra_dirent_type(child, e)) == 0) {
			ra_seterr(err, errsz, "%s: %s", child, strerror(errno));
			goto out;
		}
		if (S_ISDIR(type)) {
			if (walk(out, base, childrel, skip_signed, err,
			    errsz) != 0)
				goto out;
			continue;
		}
		if (!S_ISREG(type)) {
			ra_seterr(err, errsz, "%s: not a regular file", child);
			goto out;
		}
		if (skip_signed && *rel == '\0' &&
		    (strcmp(e->d_name, RA_PACK_SUMS) == 0 ||
		    strcmp(e->d_name, RA_PACK_SIG) == 0 ||
		    strcmp(e->d_name, RA_PACK_ATTESTATION) == 0))
			continue;
		if (out->n >= PACK_MAX_FILES) {
			ra_seterr(err, errsz, "%s: more than %zu files", base,
			    PACK_MAX_FILES);
			goto out;
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 64;
			out->v = ra_realloc(out->v, out->cap * sizeof(*out->v));
		}
		out->v[out->n++] = childrel;
		childrel = NULL;
	}
	rc = 0;
out:
	if (d != NULL)
		closedir(d);
	free(dir);
	free(child);
	free(childrel);
	return rc;
}

int
ra_pack_files(char ***out, size_t *nout, const char *dir, int skip_signed,
    char *err, size_t errsz)
{
	struct names names = { NULL, 0, 0 };

	*out = NULL;
	*nout = 0;
	if (walk(&names, dir, "", skip_signed, err, errsz) != 0) {
		ra_pack_files_free(names.v, names.n);
		return -1;
	}
	if (names.n > 0)
		qsort(names.v, names.n, sizeof(*names.v), ra_strp_cmp);
	*out = names.v;
	*nout = names.n;
	return 0;
}

void
ra_pack_files_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
ra_pack_write_sums(const struct ra_pack *p, char *err, size_t errsz)
{
	struct names names = { NULL, 0, 0 };
	struct ra_buf b;
	struct ra_wfile f = { -1, 0 };
	char hex[RA_SHA256_HEX], *path = NULL, *sums = NULL;
	int rc = -1;

	ra_buf_init(&b, 0);
	if (p == NULL || p->tmp_dir == NULL) {
		ra_seterr(err, errsz, "pack: no pack in progress");
		goto out;
	}
	if (ra_pack_files(&names.v, &names.n, p->tmp_dir, 1, err,
	    errsz) != 0)
		goto out;
	/* written as it is computed: a large org's list is megabytes */
	sums = ra_asprintf("%s/%s", p->tmp_dir, RA_PACK_SUMS);
	if (ra_wfile_open(&f, sums) != 0)
		goto fail_write;
	ra_buf_set_sink(&b, ra_wfile_sink, &f);
	for (size_t i = 0; i < names.n && !b.err; i++) {
		free(path);
		path = ra_asprintf("%s/%s", p->tmp_dir, names.v[i]);
		/* raw/ bodies the collector hashed as they arrived are not
		 * read again (raw.h: ra_raw_trust) */
		if (ra_raw_trusted_digest(path, hex) != 1 &&
		    ra_sha256_file(path, hex) != 0) {
			ra_seterr(err, errsz, "%s: %s", path, strerror(errno));
			goto out;
		}
		ra_buf_printf(&b, "%s  %s\n", hex, names.v[i]);
	}
	if (ra_buf_flush(&b) != 0 && f.err == 0) {
		ra_seterr(err, errsz, "%s: out of memory", sums);
		goto out;
	}
	if (ra_wfile_close(&f) != 0)
		goto fail_write;
	rc = 0;
	goto out;
fail_write:
	ra_seterr(err, errsz, "%s: %s", sums, strerror(f.err));
out:
	ra_wfile_close(&f);
	ra_pack_files_free(names.v, names.n);
	free(path);
	free(sums);
	ra_buf_free(&b);
	return rc;
}

static int
sync_tree(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = syncfs(fd);
	close(fd);
	return rc;
}

static int
fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	if (rc != 0 && errno == EINVAL)
		rc = 0;
	close(fd);
	return rc;
}

/*
 * Replaces an existing final_dir with tmp_dir. The atomic way is a swap
 * (RENAME_EXCHANGE): readers see the old pack or the new one, never
 * none. Where the file system cannot swap, the old tree is renamed
 * aside first (a short window without a pack, never a half one).
 * Afterwards the old tree is removed.
 */
static int
replace(struct ra_pack *p, char *err, size_t errsz)
{
	char *aside = NULL;
	int rc = -1;

	if (renameat2(AT_FDCWD, p->tmp_dir, AT_FDCWD, p->final_dir,
	    RENAME_EXCHANGE) == 0) {
		/* tmp_dir now holds the old pack. */
		if (ra_rm_rf(p->tmp_dir) != 0)
			ra_warn("%s: old pack not fully removed: %s",
			    p->tmp_dir, strerror(errno));
		free(p->tmp_dir);
		p->tmp_dir = NULL;
		rc = 0;
		goto out;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
		ra_seterr(err, errsz, "%s: cannot replace: %s", p->final_dir,
		    strerror(errno));
		goto out;
	}
	aside = ra_asprintf("%s/.%s.old-XXXXXX", p->root, p->date);
	if (mkdtemp(aside) == NULL) {
		ra_seterr(err, errsz, "%s: %s", aside, strerror(errno));
		goto out;
	}
	/* rename() of a directory onto an empty directory replaces it. */
	if (rename(p->final_dir, aside) != 0) {
		ra_seterr(err, errsz, "%s: cannot move aside: %s", p->final_dir,
		    strerror(errno));
		(void)rmdir(aside);
		goto out;
	}
	if (rename(p->tmp_dir, p->final_dir) != 0) {
		ra_seterr(err, errsz, "%s: cannot rename into place: %s",
		    p->final_dir, strerror(errno));
		(void)rename(aside, p->final_dir);
		goto out;
	}
	free(p->tmp_dir);
	p->tmp_dir = NULL;
	(void)ra_rm_rf(aside);
	rc = 0;
out:
	free(aside);
	return rc;
}

int
ra_pack_commit(struct ra_pack *p, int force, char *err, size_t errsz)
{
	struct stat st;
	int rc = -1;

	if (p == NULL || p->tmp_dir == NULL) {
		ra_seterr(err, errsz, "pack: no pack in progress");
		goto out;
	}
	/* Every file of the pack reaches the disk before the pack becomes
	 * visible: one syncfs here instead of an fsync per file (thousands
	 * for a large org). */
	if (sync_tree(p->tmp_dir) != 0) {
		ra_seterr(err, errsz, "%s: sync: %s", p->tmp_dir, strerror(errno));
		goto out;
	}
	if (lstat(p->final_dir, &st) == 0) {
		if (!force) {
			ra_seterr(err, errsz,
			    "pack %s exists (use --force to replace it)",
			    p->final_dir);
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			ra_seterr(err, errsz, "%s: exists and is not a directory",
			    p->final_dir);
			goto out;
		}
		if (replace(p, err, errsz) != 0)
			goto out;
	} else {
		/* NOREPLACE closes the race with a pack that appears now. */
		if (renameat2(AT_FDCWD, p->tmp_dir, AT_FDCWD, p->final_dir,
		    RENAME_NOREPLACE) != 0) {
			if ((errno != EINVAL && errno != ENOSYS &&
			    errno != EOPNOTSUPP) ||
			    rename(p->tmp_dir, p->final_dir) != 0) {
				ra_seterr(err, errsz, "%s: cannot rename into "
				    "place: %s", p->final_dir, strerror(errno));
				goto out;
			}
		}
		free(p->tmp_dir);
		p->tmp_dir = NULL;
	}
	if (fsync_dir(p->root) != 0) {
		ra_seterr(err, errsz, "%s: fsync: %s", p->root, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	return rc;
}

void
ra_pack_abort(struct ra_pack *p)
{
	if (p == NULL || p->tmp_dir == NULL)
		return;
	(void)ra_rm_rf(p->tmp_dir);
	free(p->tmp_dir);
	p->tmp_dir = NULL;
}
