/*
 * dataplane.h: the data-plane probe's evidence, read back from a pack's
 * raw/ (the "probe:*" records of probe.h) for the three data-plane
 * controls. Built by ra_evaluate into ctx.dataplane; NULL there when the
 * inventory has neither controlPlane nor dataPlanes.
 *
 * Fail-closed like the model: each piece carries a struct ra_ev; a
 * missing record is RA_EV_NOT_FETCHED, a transport error RA_EV_FAILED
 * with the recorded error line, a body of the wrong shape RA_EV_INVALID.
 * When a plane's hello failed, its other pieces carry hello's status and
 * reason (the controls then ERROR with the same line).
 */
#ifndef RA_DATAPLANE_H
#define RA_DATAPLANE_H

#include <stddef.h>

#include "inventory.h"
#include "model.h"

struct ra_dp_tenant {
	char	*id;
	char	*region;		/* NULL when absent or not a string */
};

struct ra_dp_prefix {
	char	*value;			/* as recorded (long values cut, "…") */
	unsigned long count;
	int	 ids_recorded;		/* 1: ids below are the offenders' */
	int	 ids_truncated;
	char	**ids;
	size_t	 nids;
};

struct ra_dp_coll {
	char	*name;
	int	 truncated;
	char	**ids;			/* distinct tenant ids, sorted */
	size_t	 nids;
};

struct ra_dp_plane {
	const struct ra_data_plane *inv;	/* NULL for the control plane */
	const char *name;
	struct ra_ev hello_ev;
	char	*srv;			/* the URI's SRV name or NULL */
	char	**servers;		/* host:port, lower case, sorted, unique:
					   URI seeds (non-SRV), hello hosts, me,
					   and the servers connected to */
	size_t	 nservers;
	char	*set_name;

	struct ra_ev tenant_ids_ev;	/* data planes */
	struct ra_dp_coll *colls;
	size_t	 ncolls;

	struct ra_ev keys_ev;		/* data planes */
	unsigned long keys_total;
	struct ra_dp_prefix *prefixes;
	size_t	 nprefixes;
	unsigned long missing;		/* keys without the prefix field */
	int	 missing_truncated;
	char	**missing_ids;
	size_t	 nmissing_ids;
};

struct ra_dataplane {
	int	 has_control;
	struct ra_dp_plane control;	/* hello_ev only */
	struct ra_ev tenants_ev;
	struct ra_dp_tenant *tenants;	/* sorted by id (bytewise) */
	size_t	 ntenants;
	struct ra_dp_plane *planes;	/* inventory order */
	size_t	 nplanes;
};

/*
 * Builds the struct from the model's raw records (the bodies are read
 * from pack_dir). Never fails on bad evidence (it goes into the ev's);
 * *out is NULL when the inventory has no data-plane sections.
 */
void	ra_dataplane_load(struct ra_dataplane **out, const char *pack_dir,
	    const struct ra_model *m, const struct ra_inventory *inv);
void	ra_dataplane_free(struct ra_dataplane *dp);

/* The plane of inventory data plane `inv`, or NULL. */
const struct ra_dp_plane *ra_dataplane_plane(const struct ra_dataplane *d,
	    const struct ra_data_plane *inv);
/*
 * The registrations of tenant `id`: *first is the first of n consecutive
 * entries of d->tenants (n == 0 when unregistered).
 */
size_t	ra_dataplane_tenant(const struct ra_dataplane *d, const char *id,
	    const struct ra_dp_tenant **first);

/* "a, b, c (+7 more)": at most max items of v. malloc'd. */
char	*ra_dp_list(const char *const *v, size_t n, size_t max);

#endif
