/*
 * ctl_audit_log_local.c: audit-log-local (CONTRACT §5; ADR §6, §7).
 * Per scope, at "project", three pieces of evidence:
 *   auditLog            enabled must be true (false FAILs, absent ERRORs)
 *   pushBasedLogExport  absent (404: NONE) or state UNCONFIGURED; any
 *                       other known state is a configured export (FAIL),
 *                       an unknown state or none at all ERRORs
 *   logIntegrations     no entry lists MONGOD_AUDIT or MONGOS_AUDIT; an
 *                       unknown log type ERRORs (it might be audit logs)
 * One finding: FAIL when any rule fails (detail lists every problem,
 * also the pieces that could not be judged), else ERROR when any piece is
 * unusable or unknown, else PASS. Evidence: all three pieces.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_project_common.h"

#define CTL	"audit-log-local"

static const char *const export_states[] = {
	"UNCONFIGURED", "INITIATING", "BUCKET_VERIFIED",
	"BUCKET_VERIFICATION_FAILED", "ASSUME_ROLE_FAILED", "ACTIVE"
};

static const char *const log_types[] = {
	"MONGOD", "MONGOS", "MONGOD_AUDIT", "MONGOS_AUDIT"
};

static int
in(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return 1;
	return 0;
}

/* Appends "<title of ep>: <printf text>" (no title when ep is NULL) to
 * a "; "-separated list. */
static void
note(struct ra_buf *b, const char *ep, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(struct ra_buf *b, const char *ep, const char *fmt, ...)
{
	va_list ap;

	if (b->len > 0)
		ra_buf_adds(b, "; ");
	if (ep != NULL)
		ra_buf_printf(b, "%s: ", ra_ctl_ep_title(ep));
	va_start(ap, fmt);
	ra_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

static void
unusable(struct ra_buf *errs, const char *ep, const struct ra_ev *ev)
{
	note(errs, ep, "%s", ra_ev_reason(ev));
}

static void
one_scope(const struct ra_scope *sc, struct ra_findings *out)
{
	const struct ra_project *p = sc->project;
	const struct ra_log_integrations *li = &p->log_integrations;
	struct ra_buf fails, errs, obs;
	struct ra_finding *f;
	enum ra_status st;

	ra_buf_init(&fails, 0);
	ra_buf_init(&errs, 0);
	ra_buf_init(&obs, 0);

	if (!ra_ev_usable(&p->audit_log.ev) || p->audit_log.ev.status ==
	    RA_EV_NONE)
		unusable(&errs, "audit-log", &p->audit_log.ev);
	else if (p->audit_log.enabled == RA_TRI_UNKNOWN)
		note(&errs, "audit-log", "\"enabled\" absent or not a "
		    "boolean");
	else if (p->audit_log.enabled == 0)
		note(&fails, NULL, "database auditing is off");
	ra_buf_printf(&obs, "auditing %s", p->audit_log.enabled == 1 ? "on" :
	    p->audit_log.enabled == 0 ? "off" : "unknown");

	if (!ra_ev_usable(&p->push_export.ev))
		unusable(&errs, "push-log-export", &p->push_export.ev);
	else if (p->push_export.ev.status == RA_EV_NONE)
		ra_buf_adds(&obs, ", no push export");
	else if (p->push_export.state == NULL)
		note(&errs, "push-log-export", "\"state\" absent");
	else if (!in(p->push_export.state, export_states,
	    sizeof(export_states) / sizeof(export_states[0]))) {
		note(&errs, "push-log-export", "unknown state \"%s\"",
		    p->push_export.state);
	} else if (strcmp(p->push_export.state, "UNCONFIGURED") == 0)
		ra_buf_adds(&obs, ", push export UNCONFIGURED");
	else {
		ra_buf_printf(&obs, ", push export %s", p->push_export.state);
		note(&fails, NULL, "push-based log export is configured "
		    "(state %s, bucket %s)", p->push_export.state,
		    p->push_export.bucket_name != NULL ?
		    p->push_export.bucket_name : "(none)");
	}

	if (!ra_ev_usable(&li->ev))
		unusable(&errs, "log-integrations", &li->ev);
	else {
		size_t nship = 0;

		for (size_t i = 0; i < li->n; i++) {
			const struct ra_log_integration *l = &li->v[i];
			const char *type = l->type != NULL ? l->type : "(none)";
			const char *id = l->id != NULL ? l->id : "(none)";

			for (size_t j = 0; j < l->nlog_types; j++) {
				const char *t = l->log_types[j];

				if (!in(t, log_types, sizeof(log_types) /
				    sizeof(log_types[0]))) {
					note(&errs, NULL, "log integration "
					    "%s %s: unknown log type \"%s\"",
					    type, id, t != NULL ? t : "");
				} else if (strcmp(t, "MONGOD_AUDIT") == 0 ||
				    strcmp(t, "MONGOS_AUDIT") == 0) {
					note(&fails, NULL, "log integration "
					    "%s %s ships %s", type, id, t);
					nship++;
				}
			}
		}
		ra_buf_printf(&obs, ", %zu log integration(s)", li->n);
		if (nship > 0)
			ra_buf_printf(&obs, " shipping audit logs");
	}

	st = fails.len > 0 ? RA_FAIL : errs.len > 0 ? RA_ERROR : RA_PASS;
	f = ra_ctl_add(out, CTL, st, sc, "project");
	ra_finding_set_expected(f, "auditing on, no push export, no "
	    "integration shipping MONGOD_AUDIT/MONGOS_AUDIT");
	ra_finding_set_observed(f, "%s", ra_buf_cstr(&obs));
	if (st == RA_FAIL && errs.len > 0)
		ra_finding_set_detail(f, "%s; also not judged: %s",
		    ra_buf_cstr(&fails), ra_buf_cstr(&errs));
	else if (st == RA_FAIL)
		ra_finding_set_detail(f, "%s", ra_buf_cstr(&fails));
	else if (st == RA_ERROR)
		ra_finding_set_detail(f, "%s", ra_buf_cstr(&errs));
	else
		ra_finding_set_detail(f, "audit logs stay in Atlas");
	ra_finding_add_evrefs(f, p->audit_log.ev.refs, p->audit_log.ev.nrefs);
	ra_finding_add_evrefs(f, p->push_export.ev.refs,
	    p->push_export.ev.nrefs);
	ra_finding_add_evrefs(f, li->ev.refs, li->ev.nrefs);
	ra_buf_free(&fails);
	ra_buf_free(&errs);
	ra_buf_free(&obs);
}

void
ra_check_audit_log_local(const struct ra_ctx *ctx, struct ra_findings *out)
{
	for (size_t i = 0; i < ctx->nscopes; i++)
		one_scope(&ctx->scopes[i], out);
}
