/*
 * probe.h: the data-plane probe of `run` (CONTRACT §5 data-plane
 * controls; ADR-020 §1, §4). It connects with libmongoc to the control
 * plane and every data plane of the inventory, reads only (hello, find
 * with projection, aggregate, listCollections), and writes what it read
 * into pack_dir/raw as records like API responses, so that `evaluate`
 * and `verify` re-derive the data-plane verdicts from the pack alone
 * (dataplane.h reads them back).
 *
 * Records (raw.h; `cluster` = the plane name, "control" for the control
 * plane; method "READ"; url = the redacted URI + "#<command>"; status 0;
 * outcome "ok" or "transport-error" with `error`):
 *   probe:hello       every plane: hello's hosts, me, setName, primary,
 *                     tags, and the servers the driver connected to
 *   probe:tenants     control plane: [{tenant_id, region}] of the registry
 *   probe:tenant-ids  data plane: per collection the distinct non-null
 *                     tenant_id values ($match + $group, cursor-streamed)
 *   probe:keys        data plane: per prefix-field value the key count,
 *                     and the _ids of keys whose value does not start
 *                     with the plane's keyPrefix (capped), and the keys
 *                     without the field (count and _ids)
 * Each body is JSON: {"plane", "database", "command" (text, no
 * credentials), "at" (ra_clock_now), "error" (null or one line),
 * "result" (null on error)}.
 *
 * Credentials: the URI is read from the environment variable the
 * inventory names and never written or printed with its userinfo; every
 * message is scrubbed of the password as well. Time: server selection,
 * connect and socket timeouts are min(the URI's own, what is left of
 * RA_PROBE_LIMIT_MS per plane); a plane that runs out of time gets an
 * error for the read in progress.
 */
#ifndef RA_PROBE_H
#define RA_PROBE_H

#include <stddef.h>

#include "inventory.h"

#define RA_PROBE_LIMIT_MS	10000	/* per plane, whatever the URI says */
#define RA_PROBE_MAX_IDS	1000	/* key ids kept per prefix value */
#define RA_PROBE_MAX_TENANTS	100000	/* distinct ids kept per collection */

#define RA_PROBE_HELLO		"probe:hello"
#define RA_PROBE_TENANTS	"probe:tenants"
#define RA_PROBE_TENANT_IDS	"probe:tenant-ids"
#define RA_PROBE_KEYS		"probe:keys"
#define RA_PROBE_CONTROL	"control"	/* plane name of the control plane */

/*
 * Probes the control plane (when the inventory has one) and every data
 * plane, writing records numbered from first_seq; *next_seq is one past
 * the last written. Planes that cannot be reached are recorded as
 * transport errors, not returned as errors. Returns 0, or -1 with errno
 * and err set when raw/ cannot be written. Does nothing without
 * dataPlanes and controlPlane.
 */
int	ra_probe_run(const char *pack_dir, const struct ra_inventory *inv,
	    unsigned first_seq, unsigned *next_seq, char *err, size_t errsz);

/*
 * Writes the URI with its userinfo replaced by "***" and the values of
 * query options whose name mentions a password, secret, token or key
 * replaced by "***". Always NUL-terminates (truncates).
 */
void	ra_probe_redact_uri(const char *uri, char *out, size_t outsz);

#endif
