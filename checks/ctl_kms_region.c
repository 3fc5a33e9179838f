/*
 * ctl_kms_region.c: kms-region (CONTRACT §5, ADR §6). The cluster
 * encrypts with a customer key (encryptionAtRestProvider AWS, AZURE or
 * GCP; NONE or absent FAILs, any other value is ERROR), the project's key
 * for that provider is configured, enabled and valid, and the key's
 * region is allowed and, for a cluster whose nodes sit in exactly one
 * region, that region.
 *
 * Where the key's region comes from:
 * - AWS: awsKms.region (Atlas enum). When customerMasterKeyID is an ARN,
 *   arn:<partition>:kms:<region>:<account>:key/<id>, its region must be
 *   the same place (else FAIL: the ARN wins in KMS, the field in Atlas).
 * - GCP: the location of keyVersionResourceID,
 *   projects/<p>/locations/<loc>/keyRings/...; "gcp:<loc>" must be a
 *   catalogue region. global and multi-regions (europe, us) cannot be
 *   established as one allowed region and FAIL.
 * - Azure: the API states no region for a Key Vault key: FAIL.
 * Flex and serverless clusters cannot use customer keys and FAIL.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl_common.h"

/* The region field of an ARN into out; -1 when s is not an ARN of KMS. */
static int
arn_region(char *out, size_t outsz, const char *s)
{
	const char *f[6];
	const char *p = s;
	size_t k = 0, len;

	/* arn : partition : service : region : account : resource */
	f[k++] = p;
	while (k < 6 && (p = strchr(p, ':')) != NULL)
		f[k++] = ++p;
	if (k < 6 || strncmp(f[0], "arn:", 4) != 0 ||
	    strncmp(f[2], "kms:", 4) != 0)
		return -1;
	len = (size_t)(f[4] - f[3]) - 1;
	if (len == 0 || len >= outsz)
		return -1;
	memcpy(out, f[3], len);
	out[len] = '\0';
	return 0;
}

/* The location of a GCP key path into out; -1 when it does not parse. */
static int
gcp_location(char *out, size_t outsz, const char *s)
{
	const char *p, *e;
	size_t len;

	if (s == NULL || strncmp(s, "projects/", 9) != 0)
		return -1;
	p = strstr(s, "/locations/");
	if (p == NULL)
		return -1;
	p += strlen("/locations/");
	e = strchr(p, '/');
	if (e == NULL || strncmp(e, "/keyRings/", 10) != 0)
		return -1;
	len = (size_t)(e - p);
	if (len == 0 || len >= outsz)
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static const char *
tri(int v, const char *yes, const char *no)
{
	return v == RA_TRI_UNKNOWN ? "unknown" : v ? yes : no;
}

static void
one(struct ra_findings *out, const char *control, const struct ra_scope *sc,
    const struct ra_cluster *c)
{
	const struct ra_encryption_at_rest *ear = &sc->project->ear;
	const struct ra_kms_key *key;
	struct ra_ctl_nodes nodes = { NULL, 0 };
	struct ra_finding *f;
	const struct ra_region *r;
	const char *prov, *cedar = NULL, *label;
	char why[256], buf[128], where[200] = "", *exp = ra_ctl_allowed_str(sc);
	enum ra_status st = RA_FAIL;
	char *detail = NULL, *obs = NULL;

	if (c->kind != RA_CLUSTER_DEDICATED) {
		f = ra_ctl_cluster_add(out, control, RA_FAIL, sc, c);
		ra_finding_set_expected(f, "customer key in %s", exp);
		ra_finding_set_observed(f, "%s cluster",
		    ra_ctl_kind_name(c->kind));
		ra_finding_set_detail(f, "%s clusters cannot use customer "
		    "keys", ra_ctl_kind_name(c->kind));
		goto out;
	}
	prov = c->ear_provider;
	if (prov == NULL || strcmp(prov, "NONE") == 0) {
		f = ra_ctl_cluster_add(out, control, RA_FAIL, sc, c);
		ra_finding_set_expected(f, "customer key in %s", exp);
		ra_finding_set_observed(f, "encryptionAtRestProvider %s",
		    prov != NULL ? prov : "absent");
		ra_finding_set_detail(f, "no customer-managed key");
		goto out;
	}
	if (strcmp(prov, "AWS") == 0) {
		key = &ear->aws;
		label = "AWS KMS key";
	} else if (strcmp(prov, "AZURE") == 0) {
		key = &ear->azure;
		label = "Azure Key Vault key";
	} else if (strcmp(prov, "GCP") == 0) {
		key = &ear->gcp;
		label = "Google Cloud KMS key";
	} else {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_set_detail(f, "unknown encryptionAtRestProvider "
		    "\"%s\"", prov);
		goto out;
	}
	if (!ra_ev_usable(&ear->ev)) {
		ra_ctl_cluster_error_ev(out, control, sc, c,
		    "encryption-at-rest", &ear->ev);
		goto out;
	}
	if (ra_ctl_nodes(&nodes, c, why, sizeof(why)) != 0) {
		f = ra_ctl_cluster_add(out, control, RA_ERROR, sc, c);
		ra_finding_add_evrefs(f, ear->ev.refs, ear->ev.nrefs);
		ra_finding_set_detail(f, "%s", why);
		goto out;
	}
	/* Which region the key is in, or why that cannot be said. */
	if (!key->present)
		detail = ra_asprintf("the project has no %s configured", label);
	else if (key->enabled == RA_TRI_UNKNOWN ||
	    key->valid == RA_TRI_UNKNOWN) {
		st = RA_ERROR;
		detail = ra_asprintf("%s: %s not stated", label,
		    key->enabled == RA_TRI_UNKNOWN ? "enabled" : "valid");
	} else if (!key->enabled || !key->valid)
		detail = ra_asprintf("%s is %s", label,
		    !key->enabled ? "disabled" : "not valid");
	else if (key == &ear->aws) {
		cedar = ra_ctl_cedar("AWS", key->region, why, sizeof(why));
		if (cedar == NULL) {
			st = key->region == NULL ? RA_FAIL : RA_ERROR;
			detail = key->region == NULL ?
			    ra_asprintf("%s: region cannot be established "
			    "(awsKms.region absent)", label) :
			    ra_asprintf("awsKms.region: %s", why);
		} else if (key->key_id != NULL &&
		    strncmp(key->key_id, "arn:", 4) == 0) {
			r = ra_region_by_atlas("AWS", key->region);
			if (arn_region(buf, sizeof(buf), key->key_id) != 0) {
				st = RA_ERROR;
				detail = ra_asprintf("customerMasterKeyID is "
				    "not a KMS key ARN");
				cedar = NULL;
			} else if (strcmp(buf, r->native) != 0) {
				detail = ra_asprintf("the key ARN names region "
				    "%s but awsKms.region is %s", buf,
				    key->region);
				snprintf(where, sizeof(where), "region disputed "
				    "(ARN %s, awsKms.region %s)", buf,
				    key->region);
				cedar = NULL;
			}
		}
	} else if (key == &ear->gcp) {
		if (gcp_location(buf, sizeof(buf) - 5, key->key_id) != 0) {
			st = RA_ERROR;
			detail = ra_asprintf("keyVersionResourceID does not "
			    "name a location");
		} else {
			char id[160];

			snprintf(id, sizeof(id), "gcp:%s", buf);
			r = ra_region_by_cedar(id);
			if (r == NULL)
				detail = ra_asprintf("%s location \"%s\" cannot "
				    "be established as a single allowed region",
				    label, buf);
			else
				cedar = r->cedar;
		}
	} else
		detail = ra_asprintf("%s: its region cannot be established",
		    label);
	if (cedar != NULL) {
		if (!ra_ctl_allowed(sc, cedar))
			detail = ra_asprintf("%s is in %s, outside the allowed "
			    "regions", label, cedar);
		else if (nodes.n == 1 && strcmp(nodes.v[0].cedar, cedar) != 0)
			detail = ra_asprintf("%s is in %s, not in the "
			    "cluster's region %s", label, cedar,
			    nodes.v[0].cedar);
		else
			st = RA_PASS;
	}
	obs = ra_asprintf("%s, %s %s, %s, %s", cedar != NULL ? cedar :
	    where[0] != '\0' ? where : "region unknown", label, key->present ? "configured" : "absent",
	    tri(key->enabled, "enabled", "disabled"),
	    tri(key->valid, "valid", "not valid"));
	f = ra_ctl_cluster_add(out, control, st, sc, c);
	ra_finding_add_evrefs(f, ear->ev.refs, ear->ev.nrefs);
	if (nodes.n == 1)
		ra_finding_set_expected(f, "customer key in %s (the cluster's "
		    "region)", nodes.v[0].cedar);
	else
		ra_finding_set_expected(f, "customer key in %s", exp);
	ra_finding_set_observed(f, "%s", obs);
	if (detail != NULL)
		ra_finding_set_detail(f, "%s", detail);
out:
	ra_ctl_nodes_free(&nodes);
	free(detail);
	free(obs);
	free(exp);
}

void
ra_check_kms_region(const struct ra_ctx *ctx, struct ra_findings *out)
{
	ra_ctl_each_cluster(ctx, out, "kms-region", one);
}
