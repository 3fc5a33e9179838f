/*
 * ctl_connector_key_region.c: connector-key-region (CONTRACT §5;
 * ADR-020 §4). Per data plane, at "dataplane/<name>", from probe:keys: a
 * stored key passes when its prefix field starts with the plane's
 * keyPrefix, or equals the legacy "sv0_prod_" where legacyKeys is set;
 * any other value FAILs (a prefix of another plane is named as such).
 * A key without the field cannot be judged: ERROR for it (counted and
 * listed by id). FAIL wins over ERROR; both list key ids only, at most
 * RA_DP_LIST_MAX, never values other than the recorded prefixes.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_dp_common.h"

#define CTL		"connector-key-region"
#define LEGACY_PREFIX	"sv0_prod_"

static int
starts(const char *s, const char *prefix)
{
	return prefix != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The name of another plane whose keyPrefix the value carries, or NULL. */
static const char *
other_plane(const struct ra_inventory *inv, const struct ra_data_plane *dp,
    const char *value)
{
	for (size_t i = 0; i < inv->ndata_planes; i++) {
		const struct ra_data_plane *o = &inv->data_planes[i];

		if (o != dp && o->key_prefix != NULL && starts(value,
		    o->key_prefix) && !starts(value, dp->key_prefix))
			return o->name;
	}
	return NULL;
}

static void
one_plane(const struct ra_ctx *ctx, struct ra_findings *out,
    const char *control, const struct ra_data_plane *dp,
    const struct ra_dp_plane *pl)
{
	struct ra_finding *f;
	struct ra_buf why;
	char **ids = NULL, *lid = NULL, *lmiss = NULL;
	size_t nids = 0;
	unsigned long bad = 0;
	int truncated = 0;
	enum ra_status st;

	if (!ra_ev_usable(&pl->keys_ev)) {
		ra_dp_error_ev(out, control, ctx, dp, "connector keys of the "
		    "plane", &pl->keys_ev);
		return;
	}
	ra_buf_init(&why, 0);
	for (size_t i = 0; i < pl->nprefixes; i++) {
		const struct ra_dp_prefix *x = &pl->prefixes[i];
		const char *other;

		if (starts(x->value, dp->key_prefix) || (dp->legacy_keys &&
		    strcmp(x->value, LEGACY_PREFIX) == 0))
			continue;
		bad += x->count;
		if (why.len > 0)
			ra_buf_adds(&why, "; ");
		if ((other = other_plane(ctx->inv, dp, x->value)) != NULL)
			ra_buf_printf(&why, "%lu key(s) with prefix %s of plane "
			    "%s", x->count, x->value, other);
		else if (strcmp(x->value, LEGACY_PREFIX) == 0)
			ra_buf_printf(&why, "%lu legacy key(s) (%s) where "
			    "legacyKeys is not set", x->count, x->value);
		else
			ra_buf_printf(&why, "%lu key(s) with prefix %s",
			    x->count, x->value);
		if (!x->ids_recorded || x->ids_truncated || x->nids < x->count)
			truncated = 1;
		for (size_t j = 0; j < x->nids; j++) {
			ids = ra_realloc(ids, (nids + 1) * sizeof(*ids));
			ids[nids++] = x->ids[j];
		}
	}
	st = bad > 0 ? RA_FAIL : pl->missing > 0 ? RA_ERROR : RA_PASS;
	f = ra_dp_add(out, control, st, ctx, dp);
	ra_finding_set_expected(f, "every key prefixed %s%s", dp->key_prefix,
	    dp->legacy_keys ? " or legacy " LEGACY_PREFIX : "");
	ra_finding_set_observed(f, "%lu key(s): %lu offending, %lu without "
	    "%s", pl->keys_total, bad, pl->missing, dp->key_prefix_field);
	lid = ra_dp_list((const char *const *)ids, nids, RA_DP_LIST_MAX);
	lmiss = ra_dp_list((const char *const *)pl->missing_ids,
	    pl->nmissing_ids, RA_DP_LIST_MAX);
	if (st == RA_FAIL)
		ra_finding_set_detail(f, "%lu offending key(s): %s; key ids: "
		    "%s%s%s%s%s", bad, ra_buf_cstr(&why), lid,
		    truncated ? " (list incomplete)" : "",
		    pl->missing > 0 ? "; also not judged, no " : "",
		    pl->missing > 0 ? dp->key_prefix_field : "",
		    pl->missing > 0 ? " field" : "");
	else if (st == RA_ERROR)
		ra_finding_set_detail(f, "%lu key(s) without the %s field "
		    "cannot be judged: %s%s", pl->missing,
		    dp->key_prefix_field, lmiss, pl->missing_truncated ||
		    pl->nmissing_ids < pl->missing ? " (list incomplete)" : "");
	else
		ra_finding_set_detail(f, "every stored key carries the plane's "
		    "prefix%s", dp->legacy_keys ? " or the legacy one" : "");
	ra_finding_add_evrefs(f, pl->keys_ev.refs, pl->keys_ev.nrefs);
	free(ids);
	free(lid);
	free(lmiss);
	ra_buf_free(&why);
}

void
ra_check_connector_key_region(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_dp_each(ctx, out, CTL, one_plane);
}
