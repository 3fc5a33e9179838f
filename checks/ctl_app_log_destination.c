/*
 * ctl_app_log_destination.c: app-log-destination (CONTRACT §5; ADR §7).
 * Per declared deployment (deployment/<name>, in the deployment's
 * jurisdiction, no project): the env file's log URL variable must name a
 * host declared in logEndpoints for that jurisdiction. The host is the
 * URL's authority without userinfo and port, compared case-insensitively
 * and exactly ("logs.example.net.evil.com" is not "logs.example.net").
 *   env evidence unusable (file unreadable, malformed)   ERROR
 *   variable not assigned in the file                    FAIL: the app
 *                                                        logs to no
 *                                                        declared endpoint
 *   value not a URL, host not declared, none declared    FAIL
 * No deployments declared: one SKIPPED at org.
 */
#include <stdlib.h>
#include <strings.h>

#include "ctl_project_common.h"

#define CTL	"app-log-destination"

static const struct ra_log_endpoints *
endpoints_for(const struct ra_inventory *inv, const char *jurisdiction)
{
	for (size_t i = 0; i < inv->nlog_endpoints; i++)
		if (jurisdiction != NULL &&
		    strcasecmp(inv->log_endpoints[i].jurisdiction,
		    jurisdiction) == 0)
			return &inv->log_endpoints[i];
	return NULL;
}

static void
one(const struct ra_ctx *ctx, const struct ra_local_env *env,
    struct ra_findings *out)
{
	const struct ra_deployment *d = env->deployment;
	const struct ra_log_endpoints *le = endpoints_for(ctx->inv,
	    d->jurisdiction);
	struct ra_finding *f;
	char host[256], *res, *hosts;
	size_t i;

	res = ra_asprintf("deployment/%s", d->name != NULL ? d->name : "");
	hosts = le != NULL ? ra_ctl_join((const char *const *)le->hosts,
	    le->nhosts) : ra_strdup("");
	if (!ra_ev_usable(&env->ev)) {
		f = ra_ctl_error_ev(out, CTL, NULL, res, "env file",
		    &env->ev);
		goto done;
	}
	if (env->value == NULL) {
		f = ra_finding_add(out, CTL, RA_FAIL, NULL, NULL, NULL, res);
		ra_finding_set_observed(f, "%s not set", d->variable);
		ra_finding_set_detail(f, "%s does not assign %s: the app logs "
		    "to no declared endpoint", d->env_file, d->variable);
		goto done;
	}
	if (ra_ctlp_url_host(env->value, host, sizeof(host)) != 0) {
		f = ra_finding_add(out, CTL, RA_FAIL, NULL, NULL, NULL, res);
		ra_finding_set_observed(f, "%s is not a URL", d->variable);
		ra_finding_set_detail(f, "%s in %s is not a URL "
		    "(scheme://host/...)", d->variable, d->env_file);
		goto done;
	}
	for (i = 0; le != NULL && i < le->nhosts; i++)
		if (strcasecmp(host, le->hosts[i]) == 0)
			break;
	if (le != NULL && i < le->nhosts) {
		f = ra_finding_add(out, CTL, RA_PASS, NULL, NULL, NULL, res);
		ra_finding_set_detail(f, "%s in %s points at a log endpoint of "
		    "%s", d->variable, d->env_file, d->jurisdiction);
	} else {
		f = ra_finding_add(out, CTL, RA_FAIL, NULL, NULL, NULL, res);
		if (le == NULL || le->nhosts == 0)
			ra_finding_set_detail(f, "no logEndpoints declared for "
			    "%s; %s points at %s", d->jurisdiction,
			    d->variable, host);
		else
			ra_finding_set_detail(f, "%s in %s points at %s, not a "
			    "log endpoint of %s", d->variable, d->env_file,
			    host, d->jurisdiction);
	}
	ra_finding_set_observed(f, "host %s", host);
done:
	free(f->jurisdiction);
	f->jurisdiction = ra_strdup(d->jurisdiction);
	ra_finding_set_expected(f, "host one of: %s", hosts);
	ra_finding_add_evrefs(f, env->ev.refs, env->ev.nrefs);
	free(res);
	free(hosts);
}

void
ra_check_app_log_destination(const struct ra_ctx *ctx,
    struct ra_findings *out)
{
	struct ra_finding *f;

	if (ctx->nenvs == 0) {
		f = ra_ctl_add(out, CTL, RA_SKIPPED, NULL, "org");
		ra_finding_set_detail(f, "no deployments declared");
		return;
	}
	for (size_t i = 0; i < ctx->nenvs; i++)
		one(ctx, &ctx->envs[i], out);
}
