/*
 * ctl_tier_minimum.c: tier-minimum (CONTRACT §5, ADR §3). A dedicated
 * tier of M10 or above in electableSpecs.instanceSize of every region
 * config (every shard). Sizes read as [MR]<number>[_SUFFIX...]: M10,
 * M30, R40, M40_NVME, M200_LOWCPU pass; the shared tiers M0, M2, M5 fail;
 * anything else cannot be judged and is ERROR. Flex and serverless
 * clusters lack BYOK, PrivateLink and auditing and FAIL.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_common.h"

/* The tier number of an instance size, or -1 when it does not parse. */
static long
tier_number(const char *s)
{
	const char *p;
	long n = 0;

	if (s == NULL || (s[0] != 'M' && s[0] != 'R') ||
	    !isdigit((unsigned char)s[1]))
		return -1;
	for (p = s + 1; isdigit((unsigned char)*p); p++) {
		if (n > 100000)
			return -1;
		n = n * 10 + (*p - '0');
	}
	/* Suffixes: _NVME, _LOWCPU, ... (upper-case words). */
	while (*p == '_') {
		p++;
		if (!isupper((unsigned char)*p))
			return -1;
		while (isupper((unsigned char)*p) || isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0' ? n : -1;
}

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	struct ra_finding *f;
	struct ra_buf obs, low;
	const char **seen = NULL;
	size_t i, j, k, nseen = 0;

	ra_buf_init(&obs, 0);
	ra_buf_init(&low, 0);
	if (c->kind != RA_CLUSTER_DEDICATED) {
		f = ra_ctl_cluster_add(out, control, RA_FAIL, sc, c);
		ra_finding_set_expected(f, "M10 or above");
		ra_finding_set_observed(f, "%s cluster",
		    ra_ctl_kind_name(c->kind));
		ra_finding_set_detail(f, "%s clusters are not a dedicated tier "
		    "(no customer keys, private endpoints or auditing)",
		    ra_ctl_kind_name(c->kind));
		goto out;
	}
	for (i = 0; i < c->nspecs; i++) {
		for (j = 0; j < c->specs[i].nconfigs; j++) {
			const struct ra_region_config *rc =
			    &c->specs[i].configs[j];
			long t;

			if (rc->instance_size == NULL && rc->electable <= 0)
				continue;
			t = tier_number(rc->instance_size);
			if (t < 0) {
				f = ra_ctl_cluster_add(out, control, RA_ERROR,
				    sc, c);
				ra_finding_set_expected(f, "M10 or above");
				ra_finding_set_detail(f, "replicationSpecs[%zu]."
				    "regionConfigs[%zu]: instance size \"%s\" "
				    "cannot be judged", i, j,
				    rc->instance_size != NULL ?
				    rc->instance_size : "(absent)");
				goto out;
			}
			for (k = 0; k < nseen; k++)
				if (strcmp(seen[k], rc->instance_size) == 0)
					break;
			if (k < nseen)
				continue;
			seen = ra_realloc(seen, (nseen + 1) * sizeof(*seen));
			seen[nseen++] = rc->instance_size;
			ra_buf_printf(&obs, "%s%s", obs.len ? ", " : "",
			    rc->instance_size);
			if (t < 10)
				ra_buf_printf(&low, "%s%s", low.len ? ", " : "",
				    rc->instance_size);
		}
	}
	if (nseen == 0) {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_set_expected(f, "M10 or above");
		ra_finding_set_detail(f, "no instance size in the cluster "
		    "description");
		goto out;
	}
	f = ra_ctl_cluster_add(out, control, low.len ? RA_FAIL : RA_PASS, sc,
	    c);
	ra_finding_set_expected(f, "M10 or above");
	ra_finding_set_observed(f, "%s", ra_buf_cstr(&obs));
	if (low.len)
		ra_finding_set_detail(f, "shared tier %s lacks customer keys, "
		    "private endpoints and auditing", ra_buf_cstr(&low));
out:
	free(seen);
	ra_buf_free(&obs);
	ra_buf_free(&low);
}

void
ra_check_tier_minimum(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "tier-minimum", one);
}
