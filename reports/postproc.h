/*
 * postproc.h: what happens to findings and the pack after the controls:
 * waivers (CONTRACT §6), baseline drift (--baseline), signatures (--sign).
 */
#ifndef RA_POSTPROC_H
#define RA_POSTPROC_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "finding.h"
#include "inventory.h"
#include "pack.h"
#include "report.h"
#include "runopts.h"

struct ra_postproc {
	cJSON	*drift;			/* per jurisdiction key, or NULL */
	cJSON	*waivers_report;	/* expired and stale waivers, or NULL */
};

/*
 * Applies --waivers (FAIL -> WAIVED with the waiver attached; expired
 * ones listed and not applied; stale ones listed; ERROR never waived)
 * and computes --baseline drift. Findings stay sorted. Returns 0, or -1
 * with err set for a malformed waiver or baseline file (exit 3).
 */
int	ra_postproc_apply(struct ra_postproc *p, const struct ra_runopts *o,
	    const struct ra_inventory *inv, struct ra_findings *fs,
	    char *err, size_t errsz);
/*
 * --sign: SHA256SUMS.sig over SHA256SUMS and attestation.dsse.json,
 * written into the pack's temporary directory after SHA256SUMS.
 */
int	ra_postproc_sign(const struct ra_pack *pack, const struct ra_runopts *o,
	    const struct ra_report_input *in, char *err, size_t errsz);
void	ra_postproc_free(struct ra_postproc *p);

/*
 * Validates --sign (an Ed25519 or ECDSA P-256 private key), --waivers
 * and --baseline before any network I/O. 0, or -1 with one line in err
 * (the caller exits 3).
 */
int	ra_postproc_check(const struct ra_runopts *o, char *err, size_t errsz);

/* `residency-audit verify PACK [--pubkey PEM]` (argv[0] is "verify"). */
int	ra_verify_main(int argc, char **argv);

#endif
