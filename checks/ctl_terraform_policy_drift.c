/*
 * ctl_terraform_policy_drift.c: terraform-policy-drift (CONTRACT §5;
 * ADR §6). With --terraform-state: for each policy name on either side,
 * the live bodies (policies[].body, in Atlas order) equal the state's
 * bodies (attributes.policies[].body, in state order) byte for byte ->
 * PASS at policy/<name>; a differing body, a different count, or a name
 * only one side has -> FAIL. Without the state: one SKIPPED at org.
 * Unusable live policies: one ERROR at org. All findings are org level.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_project_common.h"
#include "tfstate.h"

#define CTL	"terraform-policy-drift"

static struct ra_finding *
add(struct ra_findings *out, enum ra_status st, const char *name,
    const struct ra_ctx *ctx)
{
	struct ra_finding *f;
	char *res = ra_asprintf("policy/%s", name);

	f = ra_ctl_add(out, CTL, st, NULL, res);
	ra_finding_add_evrefs(f, ctx->model->policies_ev.refs,
	    ctx->model->policies_ev.nrefs);
	if (ctx->tf->ref.file != NULL)
		ra_finding_add_evidence(f, ctx->tf->ref.file,
		    ctx->tf->ref.sha256);
	free(res);
	return f;
}

/* Offset of the first differing byte of a and b. */
static size_t
first_diff(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i])
		i++;
	return i;
}

static void
compare(const struct ra_ctx *ctx, const struct ra_resource_policy *rp,
    const struct ra_tf_policy *tp, struct ra_findings *out)
{
	struct ra_finding *f;
	size_t i;

	if (rp->npolicies != tp->nbodies) {
		f = add(out, RA_FAIL, rp->name, ctx);
		ra_finding_set_observed(f, "%zu live body(ies), %zu in state",
		    rp->npolicies, tp->nbodies);
		ra_finding_set_detail(f, "the live policy has %zu body(ies), "
		    "the Terraform state %zu", rp->npolicies, tp->nbodies);
		goto done;
	}
	for (i = 0; i < rp->npolicies; i++) {
		const char *live = rp->policies[i].body != NULL ?
		    rp->policies[i].body : "";

		if (strcmp(live, tp->bodies[i]) == 0)
			continue;
		f = add(out, RA_FAIL, rp->name, ctx);
		ra_finding_set_observed(f, "body %zu differs at offset %zu",
		    i + 1, first_diff(live, tp->bodies[i]));
		ra_finding_set_detail(f, "live body %zu (%zu bytes) differs "
		    "from the Terraform state's (%zu bytes) from offset %zu on",
		    i + 1, strlen(live), strlen(tp->bodies[i]),
		    first_diff(live, tp->bodies[i]));
		goto done;
	}
	f = add(out, RA_PASS, rp->name, ctx);
	ra_finding_set_observed(f, "%zu body(ies), identical", rp->npolicies);
	ra_finding_set_detail(f, "live policy equals the Terraform state byte "
	    "for byte");
done:
	ra_finding_set_expected(f, "bodies as in the Terraform state");
}

static const struct ra_resource_policy *
live_find(const struct ra_model *m, const char *name, size_t before)
{
	for (size_t i = 0; i < before && i < m->npolicies; i++)
		if (m->policies[i].name != NULL &&
		    strcmp(m->policies[i].name, name) == 0)
			return &m->policies[i];
	return NULL;
}

void
ra_check_terraform_policy_drift(const struct ra_ctx *ctx,
    struct ra_findings *out)
{
	const struct ra_model *m = ctx->model;
	struct ra_finding *f;

	if (ctx->tf == NULL) {
		f = ra_ctl_add(out, CTL, RA_SKIPPED, NULL, "org");
		ra_finding_set_detail(f, "--terraform-state not given");
		return;
	}
	if (!ra_ev_usable(&m->policies_ev)) {
		f = ra_ctl_error_ev(out, CTL, NULL, "org",
		    ra_ctl_ep_title("resource-policies"), &m->policies_ev);
		if (ctx->tf->ref.file != NULL)
			ra_finding_add_evidence(f, ctx->tf->ref.file,
			    ctx->tf->ref.sha256);
		return;
	}
	for (size_t i = 0; i < m->npolicies; i++) {
		const struct ra_resource_policy *rp = &m->policies[i];
		const struct ra_tf_policy *tp;
		const char *name = rp->name != NULL ? rp->name : "";

		if (live_find(m, name, i) != NULL) {
			f = add(out, RA_ERROR, name, ctx);
			ra_finding_set_detail(f, "two live policies share this "
			    "name: cannot pair them with the state");
			continue;
		}
		if ((tp = ra_tfstate_find(ctx->tf, name)) == NULL) {
			f = add(out, RA_FAIL, name, ctx);
			ra_finding_set_expected(f, "in the Terraform state");
			ra_finding_set_observed(f, "live only");
			ra_finding_set_detail(f, "the Terraform state lacks this "
			    "policy: it exists in Atlas only");
			continue;
		}
		compare(ctx, rp, tp, out);
	}
	for (size_t i = 0; i < ctx->tf->n; i++) {
		const struct ra_tf_policy *tp = &ctx->tf->v[i];

		if (live_find(m, tp->name, m->npolicies) != NULL)
			continue;
		f = add(out, RA_FAIL, tp->name, ctx);
		ra_finding_set_expected(f, "live in Atlas");
		ra_finding_set_observed(f, "state only");
		ra_finding_set_detail(f, "Atlas lacks this policy: it exists "
		    "in the Terraform state only");
	}
}
