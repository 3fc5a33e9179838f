/*
 * checks.h: the control registry and what a control sees (ARCHITECTURE:
 * "Checks are pure"). A control is a function of the context below that
 * appends findings; it does no I/O and never sees HTTP.
 */
#ifndef RA_CHECKS_H
#define RA_CHECKS_H

#include <stddef.h>
#include <stdio.h>

#include "finding.h"
#include "inventory.h"
#include "model.h"

/*
 * One audited project with its expectations: a project of the org that
 * the inventory names or a tag classifies. Scopes are built once per
 * evaluation by ra_scopes_build.
 */
struct ra_scope {
	const struct ra_project	*project;	/* in the model (never NULL) */
	const struct ra_inv_project *inv;	/* NULL when classified by tag */
	const char	*jurisdiction;		/* key */
	enum ra_plane	 plane;
	const char *const *allowed;		/* Cedar ids, sorted */
	size_t		 nallowed;
	const char *const *jurisdiction_regions;/* Cedar ids, sorted */
	size_t		 njurisdiction_regions;
};

/* Local evidence read before the checks (app-log-destination): one per
 * declared deployment, captured into raw/ like API responses. */
struct ra_local_env {
	const struct ra_deployment *deployment;
	struct ra_ev	 ev;		/* FAILED when the file is unreadable */
	char		*value;		/* the variable's value, userinfo redacted */
};

/* Parsed --terraform-state: policy name -> body list. */
struct ra_tf_policy {
	char	*name;
	char	**bodies;
	size_t	 nbodies;
};
struct ra_tfstate {
	struct ra_tf_policy *v;
	size_t	 n;
	struct ra_evref ref;		/* where the state was captured in raw/ */
};

struct ra_ctx {
	const struct ra_model	*model;
	const struct ra_inventory *inv;
	const struct ra_scope	*scopes;
	size_t			 nscopes;
	const struct ra_local_env *envs;	/* ndeployments entries */
	size_t			 nenvs;
	const struct ra_tfstate	*tf;		/* NULL without --terraform-state */
	/* data-plane probe results; NULL when the inventory has none */
	const void		*dataplane;
};

typedef void (*ra_check_fn)(const struct ra_ctx *ctx, struct ra_findings *out);

struct ra_control {
	const char	*id;		/* CONTRACT §5 id */
	const char	*title;		/* one line */
	const char	*adr;		/* "§2, §6" */
	const char	*resource;	/* resource form: "cluster", "project", ... */
	const char	*endpoints;	/* comma list of endpoint ids read */
	const char	*pass_when;	/* CONTRACT §5 "PASS when", for help texts */
	ra_check_fn	 fn;
};

/* The registry, in CONTRACT §5 order. */
extern const struct ra_control	ra_controls[];
extern const size_t		ra_ncontrols;
const struct ra_control *ra_control_find(const char *id);

/* Builds the scopes of the model under the inventory. */
int	ra_scopes_build(struct ra_scope **out, size_t *nout,
	    const struct ra_model *m, const struct ra_inventory *inv);
void	ra_scopes_free(struct ra_scope *v, size_t n);

/* `residency-audit controls [--json]`. */
void	ra_controls_print(FILE *f, int json);

/* Runs every control of the registry; findings are sorted. */
void	ra_checks_run(const struct ra_ctx *ctx, struct ra_findings *out);

#endif
