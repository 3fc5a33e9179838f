/*
 * atlas.h: the Atlas Admin API v2 HTTP client (ARCHITECTURE: atlas).
 *
 * One libcurl multi handle driven from one thread: a bounded number of
 * transfers in flight, easy handles kept in a pool so connections and
 * Digest state are reused, HTTP/2 multiplexing over TLS when offered.
 * Requests are queued with ra_atlas_get(); ra_atlas_run() drives them
 * and calls each request's completion function exactly once, with the
 * final attempt's result. Completion functions may queue more requests
 * (that is how the collector keeps the pipe full across the dependency
 * graph). Once a run aborts (ra_atlas_run returns -1), the requests it
 * drops get no completion call: their `arg` is still the caller's to
 * free.
 *
 * Retries (FACTS §0): 429 and 503 honour Retry-After (seconds or an HTTP
 * date) up to a per-wait cap and a per-request budget; without it, and
 * for other 5xx and connection errors, exponential backoff with full
 * jitter. Other 4xx are final. Waiting requests sit in a timer queue and
 * never block others.
 *
 * Secrets: the credentials, the OAuth token and the Authorization header
 * live only in this module's memory; nothing here prints or returns them
 * (CURLOPT_VERBOSE stays off; the debug log shows method, redacted URL,
 * status and time).
 */
#ifndef RA_ATLAS_H
#define RA_ATLAS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Default requests in flight. Atlas latency (tens to hundreds of ms) and
 * its rate limits, not our CPU, bound an audit: 64 in flight keeps the
 * floor (requests / 64) x latency at a few seconds for a 500-project org
 * (~12,000 requests at 50 ms: ~9 s), fits one HTTP/2 connection's
 * default stream limit (100) with room, and is small enough that the
 * pacing below sees RateLimit-Remaining fall before a bucket of 100 is
 * empty.
 */
#define RA_ATLAS_DEFAULT_CONCURRENCY	64
#define RA_ATLAS_MAX_CONCURRENCY	512
#define RA_ATLAS_MAX_BODY		(32UL * 1024 * 1024)
#define RA_ATLAS_BACKOFF_BASE_MS	500L
#define RA_ATLAS_BACKOFF_CAP_MS		30000L

enum ra_auth_kind {
	RA_AUTH_NONE = 0,	/* tests only: no Authorization at all */
	RA_AUTH_OAUTH,		/* service account, client credentials */
	RA_AUTH_DIGEST		/* programmatic API key */
};

/* Credentials, read from the environment by the CLI (CONTRACT §1). */
struct ra_atlas_auth {
	enum ra_auth_kind kind;
	const char	*id;		/* client id, or public key */
	const char	*secret;	/* client secret, or private key */
};

struct ra_atlas_opts {
	const char	*base_url;	/* checked with ra_atlas_url_allowed */
	const char	*cacert;	/* NULL: system store */
	struct ra_atlas_auth auth;
	int		 concurrency;	/* <= 0: RA_ATLAS_DEFAULT_CONCURRENCY */
	long		 connect_timeout_ms;
	long		 timeout_ms;	/* one attempt, whole transfer */
	size_t		 max_body;	/* bytes; over it: "too-large" */
	int		 max_attempts;
	long		 max_wait_ms;	/* one Retry-After wait at most */
	long		 retry_budget_ms; /* sum of waits of one request */
	long		 backoff_base_ms;
	long		 backoff_cap_ms;
};

/* Fills the defaults: 64 in flight, 10 s connect, 60 s total, 32 MiB,
 * 6 attempts, 120 s per wait, 300 s per request, backoff 0.5 s .. 30 s. */
void	ra_atlas_opts_default(struct ra_atlas_opts *o);

/*
 * The final result of one request, valid during the completion call
 * only. Strings are NULL when absent. body is NUL-terminated (len bytes
 * before the NUL) or NULL when no body was received.
 */
struct ra_atlas_resp {
	const char	*url;		/* full URL, never credentials */
	int		 status;	/* of the final attempt, 0 when none */
	const char	*outcome;	/* raw.h outcome vocabulary */
	const char	*error;		/* one line, or NULL on "ok" */
	const char	*content_type;
	const char	*ratelimit_limit;
	const char	*ratelimit_remaining;
	const char	*retry_after;
	int		 attempts;
	const char	*body;
	size_t		 len;
};

/* Returns 0, or -1 to abort ra_atlas_run (a local failure). */
typedef int	(*ra_atlas_done_fn)(void *arg, const struct ra_atlas_resp *r);

struct ra_atlas_stats {
	unsigned long	 requests;	/* completed requests */
	unsigned long	 attempts;	/* HTTP attempts, token requests too */
	unsigned long	 retried;	/* attempts beyond the first */
	unsigned long	 r429;		/* 429 answers seen */
	unsigned long	 failed;	/* requests whose outcome is not ok */
	unsigned long	 paced;		/* starts delayed by rate pacing */
	int		 auth_failed;	/* credentials refused (exit 3) */
	char		 auth_error[256];
};

struct ra_atlas;

int	ra_atlas_new(struct ra_atlas **out, const struct ra_atlas_opts *o,
	    char *err, size_t errsz);
void	ra_atlas_free(struct ra_atlas *a);

/*
 * Queues a GET. `url` is a path under the base ("/api/atlas/v2/...",
 * query included) or an absolute URL of the base's origin. `accept` is
 * the media type. Returns 0 or -1 (not of the base's origin).
 */
int	ra_atlas_get(struct ra_atlas *a, const char *url, const char *accept,
	    ra_atlas_done_fn fn, void *arg);

/* Runs until every queued request completed. Returns 0, or -1 when a
 * completion function returned -1, ra_interrupted() became non-zero
 * (seen within 200 ms) or waiting on libcurl's sockets failed; pending
 * requests are then dropped. */
int	ra_atlas_run(struct ra_atlas *a);

void	ra_atlas_get_stats(const struct ra_atlas *a, struct ra_atlas_stats *st);
/* The normalised base URL ("https://host[:port][/prefix]"). */
const char *ra_atlas_base(const struct ra_atlas *a);

/* Number of requests queued, waiting or in flight. */
size_t	ra_atlas_pending(const struct ra_atlas *a);

/*
 * Pure helpers (unit-tested).
 *
 * ra_atlas_url_allowed: 1 when `base` may be used: https:// any host, or
 * http:// a loopback host (127.0.0.0/8 literal, [::1], localhost); no
 * userinfo, query or fragment. 0 with a one-line reason in err.
 */
int	ra_atlas_url_allowed(const char *base, char *err, size_t errsz);

/* Retry-After: delta seconds or an HTTP date, relative to `now`.
 * Returns 0 and *secs (>= 0), or -1 when it is neither. */
int	ra_atlas_retry_after(const char *v, time_t now, long *secs);

/* Full-jitter backoff before attempt `failures`+1 (failures >= 1):
 * rnd mod (min(cap, base * 2^(failures-1)) + 1), in ms. */
long	ra_atlas_backoff_ms(int failures, uint32_t rnd, long base_ms,
	    long cap_ms);

/* 1 when url (absolute) has the same scheme, host and port as base and
 * no userinfo; 0 otherwise. */
int	ra_atlas_same_origin(const char *base, const char *url);

/* The href of the links[] entry whose rel is "next" in a paged
 * envelope (JSON text), malloc'd, or NULL. */
char	*ra_atlas_next_link(const char *json, size_t len);

#endif
