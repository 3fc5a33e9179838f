/*
 * pack.h: the dated evidence pack (CONTRACT §3). A pack is built in a
 * temporary directory beside its final place and renamed into place, so
 * a reader never sees half a pack, a failed run leaves none behind and
 * earlier packs stay untouched:
 *
 *   ra_pack_begin        <out>/.YYYY-MM-DD.tmp-XXXXXX/ with raw/ inside
 *   ra_pack_write_file   files into it (safe relative paths only)
 *   ra_pack_write_sums   SHA256SUMS over every file written
 *   ra_pack_commit       rename to <out>/YYYY-MM-DD (atomic swap with
 *                        --force)
 *   ra_pack_abort        on any failure: remove the temporary directory
 *   ra_pack_free         always
 */
#ifndef RA_PACK_H
#define RA_PACK_H

#include <stddef.h>
#include <time.h>

#define RA_PACK_SUMS		"SHA256SUMS"
#define RA_PACK_SIG		"SHA256SUMS.sig"
#define RA_PACK_ATTESTATION	"attestation.dsse.json"

struct ra_pack {
	char	*root;		/* out_root as given */
	char	*date;		/* "YYYY-MM-DD" of as_of (UTC) */
	char	*final_dir;	/* root/date */
	char	*tmp_dir;	/* root/.date.tmp-XXXXXX; NULL once committed
				   or aborted */
};

/*
 * mkdir -p out_root; refuses (-1, "pack <final> exists (use --force to
 * replace it)") when root/date exists and !force; creates the temporary
 * directory with raw/ inside. On failure *p holds nothing to free and
 * err says why.
 */
int	ra_pack_begin(struct ra_pack *p, const char *out_root, time_t as_of,
	    int force, char *err, size_t errsz);

/*
 * Writes data to tmp_dir/relpath, creating intermediate directories.
 * relpath is '/'-separated and every component must pass
 * ra_is_safe_component (no "..", no absolute path, no odd bytes);
 * anything else is refused with EINVAL. Returns 0 or -1 with errno; the
 * caller reports the path.
 */
int	ra_pack_write_file(const struct ra_pack *p, const char *relpath,
	    const void *data, size_t len);

/*
 * Writes SHA256SUMS: "<hex>  <relpath>\n" for every regular file under
 * tmp_dir except SHA256SUMS, SHA256SUMS.sig and attestation.dsse.json at
 * the top (the last two are written after it and cover it), sorted by
 * relpath bytewise; `sha256sum -c --strict` accepts it. A file that is
 * not regular, or whose name is not safe, is an error.
 */
int	ra_pack_write_sums(const struct ra_pack *p, char *err, size_t errsz);

/*
 * Renames tmp_dir to final_dir and fsyncs the parent directory. When
 * final_dir exists: without force -1; with force the two trees are
 * swapped atomically (renameat2 RENAME_EXCHANGE, or where that is not
 * supported: old aside, new in, old removed) and the old tree removed.
 */
int	ra_pack_commit(struct ra_pack *p, int force, char *err, size_t errsz);

/* Removes tmp_dir (if any); final_dir and earlier packs are untouched. */
void	ra_pack_abort(struct ra_pack *p);
/* Frees the strings (does not remove anything); NULL-safe. */
void	ra_pack_free(struct ra_pack *p);

/*
 * The relative paths of the regular files under dir, sorted bytewise
 * (the order of SHA256SUMS). With skip_signed the three top-level files
 * that sign the pack (SHA256SUMS, SHA256SUMS.sig, attestation.dsse.json)
 * are left out. A symlink, a special file or a name that is not a safe
 * component is an error naming it. Returns 0 with a malloc'd array (free
 * with ra_pack_files_free), or -1 with err set.
 */
int	ra_pack_files(char ***out, size_t *nout, const char *dir,
	    int skip_signed, char *err, size_t errsz);
void	ra_pack_files_free(char **v, size_t n);

#endif
