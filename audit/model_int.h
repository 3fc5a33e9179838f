/*
 * model_int.h: the model builder's internals, shared by model.c (records,
 * groups, evidence states, statistics) and the extractors model_org.c,
 * model_project.c and model_cluster.c. Not for controls.
 *
 * A "group" is every record of one request: same endpoint and scope
 * (orgId for org scope, groupId for project scope, groupId + cluster for
 * cluster scope), pages in order. ra_mb_decode() decides the group's
 * evidence state and feeds each usable body, parsed one at a time, to an
 * extractor; the tree is freed before the next body is read.
 */
#ifndef RA_MODEL_INT_H
#define RA_MODEL_INT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "endpoints.h"
#include "model.h"

/* Appends one zeroed element to the array v of n elements (n is
 * incremented); evaluates to the new element. Aborts on allocation
 * failure (ra_realloc). */
#define RA_MB_GROW(v, n) ((v) = ra_realloc((v), ((n) + 1) * sizeof(*(v))), \
	memset(&(v)[(n)], 0, sizeof(*(v))), &(v)[(n)++])

/* Reads a record's body (malloc'd, NUL-terminated); 0 or -1. */
typedef int (*ra_body_fn)(void *ctx, const struct ra_raw_record *rec,
    char **out, size_t *len);

/* Field-extraction state: the first error wins. */
struct ra_xt {
	int	 bad;
	char	 reason[512];
	const char *label;		/* "clusters page 1" */
	const struct ra_raw_record *rec;/* the record being extracted */
};

void	ra_xt_fail(struct ra_xt *x, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "path.key" (or "key") into out. */
void	ra_xt_path(char *out, size_t outsz, const char *path, const char *key);
/* Typed readers: absent or null -> NULL/-1 (an error when req), another
 * type -> error naming path.key. */
char	*ra_xt_str(struct ra_xt *x, const cJSON *o, const char *path,
	    const char *key, int req);
int	 ra_xt_tri(struct ra_xt *x, const cJSON *o, const char *path,
	    const char *key);
int	 ra_xt_int(struct ra_xt *x, const cJSON *o, const char *path,
	    const char *key, int req, long long *out);
const cJSON *ra_xt_obj(struct ra_xt *x, const cJSON *o, const char *path,
	    const char *key, int req);
const cJSON *ra_xt_arr(struct ra_xt *x, const cJSON *o, const char *path,
	    const char *key, int req);
/* 1 when `it` is an object, else 0 after failing "<path> is not an
 * object". */
int	 ra_xt_need_object(struct ra_xt *x, const cJSON *it, const char *path);
/* An array of strings; each entry must be a string. */
char	**ra_xt_strv(struct ra_xt *x, const cJSON *o, const char *path,
	    const char *key, size_t *n);

/*
 * An extractor: `item` is called for each element of a paged listing's
 * results or of a bare array (path "results[i]" or "[i]"), `object` for
 * an object endpoint's body. dst is the piece being filled.
 */
struct ra_extractor {
	void	(*item)(void *dst, const cJSON *it, const char *path,
		    struct ra_xt *x);
	void	(*object)(void *dst, const cJSON *obj, struct ra_xt *x);
};

struct ra_group {
	const struct ra_endpoint *ep;	/* NULL for ids not in the table */
	const char	*endpoint;
	const char	*org_id;
	const char	*group_id;
	const char	*cluster;
	struct ra_raw_record **recs;	/* in page order */
	size_t		 n;
};

/* The builder: the records (owned), their groups and the body reader. */
struct ra_mb {
	struct ra_model	*m;
	struct ra_group	*groups;	/* sorted by key for lookup */
	size_t		 ngroups;
	const char	**audited;	/* sorted group ids of the groups
					 * not of org scope */
	size_t		 naudited;
	ra_body_fn	 read_body;
	void		*ctx;
};

/* The group of a request or NULL. org_id is used for org scope only. */
const struct ra_group *ra_mb_find(const struct ra_mb *b, const char *endpoint,
	    const char *org_id, const char *group_id, const char *cluster);

/* 1 when some project- or cluster-scope request names group_id. */
int	ra_mb_audited(const struct ra_mb *b, const char *group_id);

/*
 * Decides ev for group g (NULL: "no response recorded", FAILED) and
 * extracts every usable body through ex into dst. Returns ev->status.
 */
enum ra_ev_status ra_mb_decode(struct ra_mb *b, struct ra_ev *ev,
	    const struct ra_group *g, const struct ra_extractor *ex, void *dst);

void	ra_ev_set(struct ra_ev *ev, enum ra_ev_status s, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	ra_ev_add_ref(struct ra_ev *ev, const struct ra_raw_record *rec);

/* Extraction by area (model_org.c, model_project.c, model_cluster.c). */
void	ra_mb_org(struct ra_mb *b);
void	ra_mb_project(struct ra_mb *b, struct ra_project *p);
void	ra_mb_clusters(struct ra_mb *b, struct ra_project *p);
void	ra_project_clear(struct ra_project *p);
void	ra_cluster_clear(struct ra_cluster *c);
void	ra_model_org_clear(struct ra_model *m);

/*
 * Builds a model from records (ownership of the array passes to the
 * model, also on failure) and a body reader. Used by ra_model_load and
 * by the fuzz target, which keeps bodies in memory. Returns 0 or -1.
 */
int	ra_model_build(struct ra_model **out, struct ra_raw_record *recs,
	    size_t nrecs, ra_body_fn read_body, void *ctx);

#endif
