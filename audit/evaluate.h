/*
 * evaluate.h: the offline half of every command (ARCHITECTURE: "Live and
 * offline share one path"). `run` collects into a pack's raw/ and then
 * calls this; `evaluate` and `verify` call it on an existing raw/.
 *
 *   raw/ ──► model ──► scopes + local evidence ──► controls ──► findings
 *
 * Local evidence (deployment env files, the Terraform state) is captured
 * into raw/ by ra_local_capture during `run`, as records whose endpoint
 * is "local:env" or "local:terraform-state", so that it too can be
 * re-derived from the pack alone.
 */
#ifndef RA_EVALUATE_H
#define RA_EVALUATE_H

#include "checks.h"
#include "inventory.h"
#include "model.h"

struct ra_dataplane;

#define RA_LOCAL_ENV		"local:env"
#define RA_LOCAL_TFSTATE	"local:terraform-state"

struct ra_evaluation {
	struct ra_model		*model;
	struct ra_scope		*scopes;
	size_t			 nscopes;
	struct ra_local_env	*envs;
	size_t			 nenvs;
	struct ra_tfstate	*tf;		/* NULL without a state record */
	struct ra_dataplane	*dataplane;	/* NULL without data-plane sections */
	struct ra_findings	 findings;	/* sorted */
};

/*
 * Loads the model from pack_dir/raw and runs every control under inv.
 * Returns 0, or -1 with err set when the pack itself cannot be read
 * (damaged raw/); evidence problems become ERROR findings instead.
 */
int	ra_evaluate(struct ra_evaluation *ev, const char *pack_dir,
	    const struct ra_inventory *inv, char *err, size_t errsz);
void	ra_evaluation_free(struct ra_evaluation *ev);

/*
 * Captures local evidence into pack_dir/raw as records numbered from
 * first_seq: one "local:env" record per inventory deployment (the
 * variable's value only, never the rest of the file, userinfo redacted)
 * and, when tfstate_path is given, one "local:terraform-state" record
 * holding the state's resource-policy bodies only (never the rest of the
 * state, which may hold secrets). Returns 0, or -1 with err set when a
 * given --terraform-state cannot be read or parsed (a usage error: the
 * caller exits 3) or raw/ cannot be written (errno set; exit 4).
 */
int	ra_local_capture(const char *pack_dir, const struct ra_inventory *inv,
	    const char *tfstate_path, unsigned first_seq, int *usage_error,
	    char *err, size_t errsz);

/*
 * Copies the raw/ of an existing pack into dst_dir/raw (for `evaluate`),
 * after checking every record against its digest (ra_raw_load). With
 * drop_tfstate the "local:terraform-state" record is left out (a new
 * --terraform-state replaces it). *next_seq is one past the highest
 * sequence copied. Returns 0 or -1 with err set.
 */
int	ra_raw_copy(const char *src_pack, const char *dst_dir, int drop_tfstate,
	    unsigned *next_seq, char *err, size_t errsz);

#endif
