/*
 * tfstate.h: the --terraform-state reader (CONTRACT §1, control
 * terraform-policy-drift). Reads a Terraform state of format version 4
 * and keeps, for every managed resource of type
 * "mongodbatlas_resource_policy" (in any module, every instance), the
 * policy name (attributes.name) and its Cedar bodies
 * (attributes.policies[].body) in state order.
 *
 * Strict: every value on that path must have the documented type; an
 * error names the file and the JSON path, e.g.
 *   "terraform.tfstate: $.resources[2].instances[0].attributes.policies[1].body: expected a string"
 * and never quotes a value of the state (states hold secrets). The CLI
 * prints that line and exits 3. Data sources (mode "data") are not
 * definitions and are skipped; two instances defining the same policy
 * name are an error. The result is sorted by name (bytewise); its `ref`
 * is left empty for the caller that captures the file into raw/.
 */
#ifndef RA_TFSTATE_H
#define RA_TFSTATE_H

#include <stddef.h>

#include "checks.h"

#define RA_TFSTATE_MAX		(64u << 20)	/* bytes of state text */
#define RA_TFSTATE_MAX_POLICIES	10000		/* policies kept */

/*
 * Parses `len` bytes of state text; `name` is used in messages. Returns
 * 0 with *out set (free with ra_tfstate_free), or -1 with *out NULL and
 * one line in err.
 */
int	ra_tfstate_parse(struct ra_tfstate **out, const char *text, size_t len,
	    const char *name, char *err, size_t errsz);
/* Reads the file (at most RA_TFSTATE_MAX bytes) and parses it. */
int	ra_tfstate_load(struct ra_tfstate **out, const char *path,
	    char *err, size_t errsz);
/* The policy named `name`, or NULL. */
const struct ra_tf_policy *ra_tfstate_find(const struct ra_tfstate *tf,
	    const char *name);
void	ra_tfstate_free(struct ra_tfstate *tf);

#endif
