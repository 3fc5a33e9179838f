/*
 * sim.h: the Atlas Admin API v2 simulator (tools/atlas-sim). It serves a
 * "world" (docs/SIMULATOR.md) through the paths of audit/endpoints.h with
 * Atlas's media types, envelopes, auth modes and error bodies, injects
 * faults per path and enforces token-bucket rate limits.
 *
 * Threading: libmicrohttpd runs one thread per connection. The world is
 * read-only once loaded; everything mutable (fault counters, buckets,
 * tokens, the request log) sits behind sim.lock.
 */
#ifndef SIM_H
#define SIM_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define SIM_REALM	"MMS Public API"
#define SIM_MAX_ITEMS	500

struct sim_fault {
	char	*path;		/* exact path or fnmatch(3) glob, '*' spans '/' */
	char	*method;	/* NULL: any */
	int	 status;	/* 0: serve normally */
	char	*error_code;	/* NULL: chosen from status */
	long	 times;		/* remaining applications; -1 always */
	char	*retry_after;	/* Retry-After value, or NULL */
	long	 latency_ms;
	int	 truncate;	/* 0, SIM_TRUNC_CLOSE or SIM_TRUNC_JSON */
	int	 malformed;
	int	 drop;
	long long huge_bytes;
	long	 nest_depth;
	int	 next_loop;
	char	*next_host;	/* "http://h:p" used in next links */
	int	 hang;
	int	 endless;
	int	 bad_utf8;
};
#define SIM_TRUNC_CLOSE	1
#define SIM_TRUNC_JSON	2

struct sim_bucket {
	char	*key;		/* "USER", "GROUP:<id>", "ORGANIZATION:<id>" */
	double	 tokens;
	double	 capacity;
	double	 refill;	/* tokens per second */
	double	 last;		/* monotonic seconds of the last refill */
};

struct sim_limit {
	int	 on;
	double	 capacity;
	double	 refill;
};
enum { SIM_LIM_USER, SIM_LIM_ORG, SIM_LIM_GROUP, SIM_LIM_N };
/* By SIM_LIM_*: the world's rateLimit keys and the buckets' key prefixes. */
extern const char *const sim_limit_names[SIM_LIM_N];

struct sim_token {
	char	 value[65];
	double	 expires;	/* monotonic seconds */
};

struct sim_record {
	char	*method;
	char	*uri;		/* path and query as received */
	char	*accept;
	const char *auth;	/* static: "digest", "bearer", "basic", "none" */
	int	 status;	/* 0: connection dropped without a response */
	double	 started;	/* ms since start */
	double	 finished;
};

struct sim_count {
	char	*key;
	long	 n;
};

/*
 * A hash index over keys owned elsewhere (the key bytes must stay put
 * while indexed): slot.key NULL is empty; nslots is a power of two,
 * > 2 x n.
 */
struct sim_islot {
	const char *key;
	size_t	 klen;
	size_t	 i;		/* the entry's index in its array */
};
struct sim_index {
	struct sim_islot *slots;
	size_t	 nslots, n;
};

struct sim {
	/* configuration */
	cJSON	*world;
	const cJSON *orgs;	/* array in world */
	const cJSON *projects;	/* array in world */
	const cJSON **project_list;	/* by project_index: the first of */
	struct sim_index project_index;	/* each id, read without the lock */
	char	*public_key, *private_key, *client_id, *client_secret;
	long	 latency_ms;
	long	 token_ttl;
	int	 tls;
	int	 digest_sha256;	/* challenge with SHA-256 instead of MD5 */
	FILE	*log;

	struct sim_fault *faults;
	size_t	 nfaults;
	struct sim_limit limits[SIM_LIM_N];

	/* mutable state, under lock */
	pthread_mutex_t lock;
	struct sim_bucket *buckets;
	size_t	 nbuckets;
	struct sim_index bucket_index;	/* by key */
	struct sim_token *tokens;
	size_t	 ntokens;
	struct sim_record *records;
	size_t	 nrecords, crecords;
	struct sim_count *paths;	/* in first-request order */
	size_t	 npaths, cpaths;
	struct sim_index path_index;	/* by key */
	long	 status_counts[600];
	long	 requests;
	long	 concurrent, peak;
	double	 t0;		/* monotonic seconds at start */
};

extern struct sim sim;
extern volatile sig_atomic_t sim_stopping;

/* sim_world.c */
int	 sim_world_load(const char *path);
int	 sim_world_synth(long nprojects, long nclusters);
int	 sim_world_write_inventory(const char *path);
const cJSON *sim_find_org(const char *id);
const cJSON *sim_find_project(const char *id);
const cJSON *sim_find_cluster(const cJSON *project, const char *name);
void	 sim_world_free(void);

/* sim_state.c */
/* 0 with *i the entry of key k (klen bytes), -1 when k is not indexed.
 * Only reads the index. */
int	 sim_index_find(const struct sim_index *ix, const char *k, size_t klen,
	    size_t *i);
/* Indexes k (not yet indexed; its bytes stay put) as entry i. */
void	 sim_index_add(struct sim_index *ix, const char *k, size_t klen,
	    size_t i);
void	 sim_index_free(struct sim_index *ix);	/* leaves it empty */
double	 sim_now(void);		/* monotonic seconds */
void	 sim_sleep_ms(long ms);	/* returns early when stopping */
struct sim_fault *sim_fault_take(const char *method, const char *path);
/*
 * Spends one token from every bucket that applies (USER always, ORG or
 * GROUP by scope id; NULL ids skip). Returns 0 when admitted, -1 when a
 * bucket is empty with *retry_after set to whole seconds until it refills.
 * *limit and *remaining describe the tightest bucket (-1 when unlimited).
 */
int	 sim_bucket_take(const char *org_id, const char *group_id,
	    long *limit, long *remaining, long *retry_after);
/* A new bearer token, copied into out (65 bytes). */
void	 sim_token_new(char out[65]);
/* 1 if valid and unexpired. */
int	 sim_token_check(const char *value);
void	 sim_record_begin(void);
void	 sim_record_end(struct sim_record *r);
char	*sim_stats_json(void);
char	*sim_requests_json(void);
void	 sim_state_free(void);
/* Frees the world's faults (sim_state_free does; so does indexing the
 * world again after --synth). */
void	 sim_faults_free(void);

/* sim_serve.c */
struct MHD_Daemon;
struct MHD_Daemon *sim_serve_start(const char *host, unsigned short port,
	    const char *cert_pem, const char *key_pem);

#endif
