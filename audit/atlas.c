/*
 * atlas.c: see atlas.h. Structure:
 *   - pure helpers (URL policy, Retry-After, backoff, links)
 *   - the easy-handle pool and per-request state
 *   - OAuth token handling (a request of its own in the same multi)
 *   - completion: classify, retry or finish
 *   - rate pacing from RateLimit-Remaining and Retry-After
 *   - the loop: start what may start, wait on libcurl's sockets (epoll)
 *     until one is ready, libcurl's timer or the next paced start
 */
#include <sys/epoll.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "atlas.h"
#include "buf.h"
#include "clock.h"
#include "jsonutil.h"
#include "log.h"
#include "runopts.h"
#include "util.h"

#define TOKEN_PATH	"/api/oauth/token"
#define HDR_MAX		256	/* captured header values are cut here */
#define POLL_MS		200	/* longest wait in ra_atlas_run (interrupts) */

enum req_kind { REQ_API, REQ_TOKEN };

struct req {
	enum req_kind	 kind;
	char		*url;
	char		*accept;
	ra_atlas_done_fn fn;
	void		*arg;
	int		 attempts;
	long		 waited_ms;	/* sum of retry waits */
	int		 refreshed;	/* the one 401 token refresh used */
	unsigned	 token_gen;	/* token generation sent */
	double		 not_before;	/* monotonic ms */
	double		 started;
	CURL		*easy;
	struct curl_slist *hdrs;
	struct ra_buf	 body;
	int		 too_large;
	char		 ctype[HDR_MAX], rl_limit[HDR_MAX], rl_rem[HDR_MAX];
	char		 retry_after[HDR_MAX];
	int		 has_ctype, has_limit, has_rem, has_ra;
	char		 errbuf[CURL_ERROR_SIZE];
	struct req	*next;		/* in a queue */
	struct req	*bnext, *bprev;	/* in the busy list */
};

struct rq {			/* FIFO of requests */
	struct req	*head, *tail;
	size_t		 n;
};

#define NSAMPLES	64

struct ra_atlas {
	struct ra_atlas_opts opts;
	char		*base;		/* normalised, no trailing '/' */
	int		 https;
	CURLM		*multi;
	CURL		**pool;		/* idle easy handles */
	size_t		 npool;
	struct rq	 ready;		/* may start now */
	struct rq	 delayed;	/* waiting for not_before */
	size_t		 inflight;	/* API requests in flight */
	struct req	*busy;		/* API requests in flight */
	int		 aborted;
	uint32_t	 rng;

	/*
	 * libcurl's sockets and timer (the multi socket API): the loop
	 * waits on exactly the sockets libcurl asked for and hands it only
	 * the ready ones, so a wake-up costs what is ready, not what is in
	 * flight (curl_multi_poll + curl_multi_perform visit every transfer
	 * on every wake-up).
	 */
	int		 epfd;
	double		 curl_due;	/* monotonic ms; < 0: no timer */

	/* OAuth */
	char		*token;		/* "Authorization: Bearer ..." line */
	unsigned	 token_gen;
	double		 token_expiry;	/* monotonic ms */
	struct req	*token_req;	/* in flight or waiting */

	/* pacing */
	double		 hold_until;	/* no new start before (429) */
	int		 have_rem;	/* a RateLimit-Remaining was seen */
	double		 rem0, rem_t;	/* the last one, and when */
	double		 cap;		/* RateLimit-Limit, 0 unknown */
	int		 held;		/* the last start attempt waited */
	double		 rate;		/* estimated refill, per second */
	struct { double t; long rem; unsigned long used; } samples[NSAMPLES];
	size_t		 nsamples, sample_pos;
	unsigned long	 tokens_used;	/* responses that consumed a token */

	struct ra_atlas_stats st;
};

/* ------------------------------------------------------------------ */
/* Pure helpers                                                        */

static int
is_loopback_host(const char *host)
{
	struct in_addr a4;
	size_t n;

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0)
		return 1;
	/* a dotted-quad literal only: "127.0.0.1.evil.com" is a name */
	n = strspn(host, "0123456789.");
	if (n != strlen(host) || inet_pton(AF_INET, host, &a4) != 1)
		return 0;
	return (ntohl(a4.s_addr) >> 24) == 127;
}

int
ra_atlas_url_allowed(const char *base, char *err, size_t errsz)
{
	CURLU *u = NULL;
	char *scheme = NULL, *host = NULL, *user = NULL, *pw = NULL;
	char *query = NULL, *frag = NULL;
	int ok = 0;

	if (base == NULL || *base == '\0') {
		ra_seterr(err, errsz, "base URL is empty");
		goto out;
	}
	if ((u = curl_url()) == NULL) {
		ra_seterr(err, errsz, "out of memory");
		goto out;
	}
	if (strncasecmp(base, "http://", 7) != 0 &&
	    strncasecmp(base, "https://", 8) != 0) {
		ra_seterr(err, errsz, "base URL: only https:// (or http:// on "
		    "loopback) is accepted");
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		ra_seterr(err, errsz, "base URL: cannot parse it");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) == CURLUE_OK ||
	    strchr(base, '@') != NULL) {
		ra_seterr(err, errsz, "base URL: credentials in the URL are "
		    "refused; use the environment (CONTRACT §1)");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
		ra_seterr(err, errsz, "base URL: a query or fragment is not "
		    "allowed");
		goto out;
	}
	if (strcmp(scheme, "https") == 0)
		ok = 1;
	else if (strcmp(scheme, "http") == 0 && is_loopback_host(host))
		ok = 1;
	else
		ra_seterr(err, errsz, "base URL: plain http:// is accepted only "
		    "for loopback hosts (127.0.0.0/8, ::1, localhost), not "
		    "\"%s\"", host);
 out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(pw);
	curl_free(query);
	curl_free(frag);
	curl_url_cleanup(u);
	return ok;
}

int
ra_atlas_retry_after(const char *v, time_t now, long *secs)
{
	const char *p;
	time_t t;
	long s = 0;
	int rc = -1;

	*secs = 0;
	if (v == NULL)
		goto out;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '\0')
		goto out;
	if (isdigit((unsigned char)*v)) {
		for (p = v; isdigit((unsigned char)*p); p++) {
			if (s > LONG_MAX / 20)
				s = LONG_MAX / 20;	/* huge stays huge */
			else
				s = s * 10 + (*p - '0');
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0')
			goto out;
		*secs = s;
		rc = 0;
		goto out;
	}
	/* An HTTP date must name a weekday or month: letters first. */
	if (!isalpha((unsigned char)*v))
		goto out;
	if ((t = curl_getdate(v, NULL)) == -1)
		goto out;
	*secs = t > now ? (long)(t - now) : 0;
	rc = 0;
 out:
	return rc;
}

long
ra_atlas_backoff_ms(int failures, uint32_t rnd, long base_ms, long cap_ms)
{
	long ceil_ms = base_ms;

	if (failures < 1)
		failures = 1;
	for (int i = 1; i < failures && ceil_ms < cap_ms; i++)
		ceil_ms *= 2;
	if (ceil_ms > cap_ms)
		ceil_ms = cap_ms;
	if (ceil_ms <= 0)
		return 0;
	return (long)(rnd % (uint32_t)(ceil_ms + 1));
}

/* scheme, host and port (default filled) of an absolute URL; -1 if not
 * parsable or if it carries userinfo. */
static int
origin_of(const char *url, char **scheme, char **host, char **port)
{
	CURLU *u;
	char *user = NULL, *pw = NULL;
	int rc = -1;

	*scheme = *host = *port = NULL;
	if ((u = curl_url()) == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) == CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto out;
	rc = 0;
 out:
	if (rc != 0) {
		curl_free(*scheme);
		curl_free(*host);
		curl_free(*port);
		*scheme = *host = *port = NULL;
	}
	curl_free(user);
	curl_free(pw);
	curl_url_cleanup(u);
	return rc;
}

int
ra_atlas_same_origin(const char *base, const char *url)
{
	char *s1 = NULL, *h1 = NULL, *p1 = NULL;
	char *s2 = NULL, *h2 = NULL, *p2 = NULL;
	int same = 0;

	if (base == NULL || url == NULL)
		return 0;
	/* only absolute http(s) URLs; curl would guess a scheme otherwise */
	if (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0)
		return 0;
	if (origin_of(base, &s1, &h1, &p1) != 0 ||
	    origin_of(url, &s2, &h2, &p2) != 0)
		goto out;
	same = strcasecmp(s1, s2) == 0 && strcasecmp(h1, h2) == 0 &&
	    strcmp(p1, p2) == 0;
 out:
	curl_free(s1);
	curl_free(h1);
	curl_free(p1);
	curl_free(s2);
	curl_free(h2);
	curl_free(p2);
	return same;
}

char *
ra_atlas_next_link(const char *json, size_t len)
{
	cJSON *root;
	const cJSON *links, *l;
	char err[128];
	char *href = NULL;

	if (json == NULL ||
	    (root = ra_json_parse(json, len, err, sizeof(err))) == NULL)
		return NULL;
	links = ra_json_arr(root, "links");
	cJSON_ArrayForEach(l, links) {
		const char *rel = ra_json_str(l, "rel");
		const char *h = ra_json_str(l, "href");

		if (rel != NULL && h != NULL && strcmp(rel, "next") == 0 &&
		    *h != '\0') {
			href = ra_strdup(h);
			break;
		}
	}
	cJSON_Delete(root);
	return href;
}

/* ------------------------------------------------------------------ */
/* Queues, clock, randomness                                           */

static uint32_t
rnd32(struct ra_atlas *a)
{
	uint32_t x = a->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	a->rng = x;
	return x;
}

static void
rq_push(struct rq *q, struct req *r)
{
	r->next = NULL;
	if (q->tail != NULL)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
	q->n++;
}

static void
rq_push_front(struct rq *q, struct req *r)
{
	r->next = q->head;
	q->head = r;
	if (q->tail == NULL)
		q->tail = r;
	q->n++;
}

static struct req *
rq_pop(struct rq *q)
{
	struct req *r = q->head;

	if (r != NULL) {
		q->head = r->next;
		if (q->head == NULL)
			q->tail = NULL;
		q->n--;
		r->next = NULL;
	}
	return r;
}

static void
req_free(struct req *r)
{
	if (r == NULL)
		return;
	free(r->url);
	free(r->accept);
	curl_slist_free_all(r->hdrs);
	ra_buf_free(&r->body);
	free(r);
}

static void
req_reset_response(struct req *r)
{
	ra_buf_reset(&r->body);
	r->too_large = 0;
	r->has_ctype = r->has_limit = r->has_rem = r->has_ra = 0;
	r->errbuf[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* libcurl callbacks                                                   */

static size_t
write_cb(char *data, size_t sz, size_t n, void *arg)
{
	struct req *r = arg;
	size_t len = sz * n;

	/* CURLOPT_MAXFILESIZE only sees Content-Length; this sees all */
	if (r->body.len + len > r->body.max) {
		r->too_large = 1;
		return 0;
	}
	if (ra_buf_add(&r->body, data, len) != 0)
		return 0;
	return len;
}

static void
capture(char *dst, int *has, const char *v, size_t len)
{
	if (len >= HDR_MAX)
		len = HDR_MAX - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
	*has = 1;
}

static size_t
header_cb(char *data, size_t sz, size_t n, void *arg)
{
	struct req *r = arg;
	size_t len = sz * n, nl;
	const char *colon, *v, *end;

	/* a new response (a Digest challenge, 100-continue): start over */
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		req_reset_response(r);
		return len;
	}
	if ((colon = memchr(data, ':', len)) == NULL)
		return len;
	nl = (size_t)(colon - data);
	v = colon + 1;
	end = data + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
#define IS(name) (nl == sizeof(name) - 1 && strncasecmp(data, name, nl) == 0)
	if (IS("Content-Type"))
		capture(r->ctype, &r->has_ctype, v, (size_t)(end - v));
	else if (IS("RateLimit-Limit"))
		capture(r->rl_limit, &r->has_limit, v, (size_t)(end - v));
	else if (IS("RateLimit-Remaining"))
		capture(r->rl_rem, &r->has_rem, v, (size_t)(end - v));
	else if (IS("Retry-After"))
		capture(r->retry_after, &r->has_ra, v, (size_t)(end - v));
#undef IS
	return len;
}

/* ------------------------------------------------------------------ */
/* Easy-handle pool                                                    */

static CURL *
easy_new(struct ra_atlas *a)
{
	CURL *e;

	if ((e = curl_easy_init()) == NULL)
		return NULL;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 0L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (a->opts.cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, a->opts.cacert);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	if (a->https)
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, a->opts.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, a->opts.timeout_ms);
	/* a body trickling under 64 B/s for 20 s ends */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 64L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 20L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)a->opts.max_body);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "residency-audit/" RA_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	if (a->opts.auth.kind == RA_AUTH_DIGEST) {
		/*
		 * Set once per pooled handle and never reset: libcurl keeps
		 * the server nonce in the handle and answers later requests
		 * on it without a new challenge.
		 */
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_DIGEST);
		curl_easy_setopt(e, CURLOPT_USERNAME, a->opts.auth.id);
		curl_easy_setopt(e, CURLOPT_PASSWORD, a->opts.auth.secret);
	}
	return e;
}

static CURL *
pool_get(struct ra_atlas *a)
{
	if (a->npool > 0)
		return a->pool[--a->npool];
	return easy_new(a);
}

static void
pool_put(struct ra_atlas *a, CURL *e)
{
	a->pool[a->npool++] = e;
}

/* ------------------------------------------------------------------ */
/* libcurl's sockets and timer                                         */

/* CURLMOPT_SOCKETFUNCTION: keeps the epoll set what libcurl wants. */
static int
sock_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct ra_atlas *a = userp;
	struct epoll_event ev;

	(void)e;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		/* libcurl may have closed it already: nothing to undo then */
		(void)epoll_ctl(a->epfd, EPOLL_CTL_DEL, s, NULL);
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) |
	    ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
	ev.data.fd = s;
	if (epoll_ctl(a->epfd, EPOLL_CTL_MOD, s, &ev) == 0 ||
	    (errno == ENOENT && epoll_ctl(a->epfd, EPOLL_CTL_ADD, s,
	    &ev) == 0))
		return 0;
	return -1;	/* libcurl fails the transfers on this socket */
}

/* CURLMOPT_TIMERFUNCTION: when libcurl wants to be called again. */
static int
timer_cb(CURLM *m, long timeout_ms, void *userp)
{
	struct ra_atlas *a = userp;

	(void)m;
	a->curl_due = timeout_ms < 0 ? -1 : ra_clock_mono_ms() + (double)timeout_ms;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Setup                                                               */

void
ra_atlas_opts_default(struct ra_atlas_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->concurrency = RA_ATLAS_DEFAULT_CONCURRENCY;
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 60000;
	o->max_body = RA_ATLAS_MAX_BODY;
	o->max_attempts = 6;
	o->max_wait_ms = 120000;
	o->retry_budget_ms = 300000;
	o->backoff_base_ms = RA_ATLAS_BACKOFF_BASE_MS;
	o->backoff_cap_ms = RA_ATLAS_BACKOFF_CAP_MS;
}

int
ra_atlas_new(struct ra_atlas **out, const struct ra_atlas_opts *o,
    char *err, size_t errsz)
{
	struct ra_atlas *a = NULL;
	size_t n;
	int rc = -1;

	*out = NULL;
	if (!ra_atlas_url_allowed(o->base_url, err, errsz))
		goto out;
	if (o->auth.kind != RA_AUTH_NONE &&
	    (o->auth.id == NULL || o->auth.secret == NULL)) {
		ra_seterr(err, errsz, "credentials are incomplete");
		goto out;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ra_seterr(err, errsz, "cannot initialise libcurl");
		goto out;
	}
	a = ra_calloc(1, sizeof(*a));
	a->epfd = -1;
	a->opts = *o;
	if (a->opts.concurrency <= 0)
		a->opts.concurrency = RA_ATLAS_DEFAULT_CONCURRENCY;
	if (a->opts.concurrency > RA_ATLAS_MAX_CONCURRENCY)
		a->opts.concurrency = RA_ATLAS_MAX_CONCURRENCY;
	if (a->opts.max_body == 0)
		a->opts.max_body = RA_ATLAS_MAX_BODY;
	if (a->opts.max_attempts <= 0)
		a->opts.max_attempts = 6;
	a->base = ra_strdup(o->base_url);
	n = strlen(a->base);
	while (n > 0 && a->base[n - 1] == '/')
		a->base[--n] = '\0';
	a->https = strncasecmp(a->base, "https://", 8) == 0;
	a->pool = ra_calloc((size_t)a->opts.concurrency + 1, sizeof(CURL *));
	a->rng = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9u;
	if (a->rng == 0)
		a->rng = 1;
	a->curl_due = -1;
	if ((a->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		ra_seterr(err, errsz, "cannot create an epoll set: %s",
		    strerror(errno));
		goto out;
	}
	if ((a->multi = curl_multi_init()) == NULL) {
		ra_seterr(err, errsz, "cannot create a libcurl multi handle");
		goto out;
	}
	curl_multi_setopt(a->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(a->multi, CURLMOPT_SOCKETDATA, a);
	curl_multi_setopt(a->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(a->multi, CURLMOPT_TIMERDATA, a);
	curl_multi_setopt(a->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(a->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)a->opts.concurrency);
	curl_multi_setopt(a->multi, CURLMOPT_MAXCONNECTS,
	    (long)a->opts.concurrency);
	rc = 0;
	*out = a;
	a = NULL;
 out:
	ra_atlas_free(a);
	return rc;
}

static void
drop_queue(struct rq *q)
{
	struct req *r;

	while ((r = rq_pop(q)) != NULL)
		req_free(r);
}

static void
wipe_token(struct ra_atlas *a)
{
	if (a->token != NULL) {
		explicit_bzero(a->token, strlen(a->token));
		free(a->token);
		a->token = NULL;
	}
}

void
ra_atlas_free(struct ra_atlas *a)
{
	CURL *e;

	if (a == NULL)
		return;
	drop_queue(&a->ready);
	drop_queue(&a->delayed);
	if (a->token_req != NULL) {
		if (a->token_req->easy != NULL) {
			curl_multi_remove_handle(a->multi, a->token_req->easy);
			curl_easy_cleanup(a->token_req->easy);
		}
		req_free(a->token_req);
	}
	while (a->npool > 0) {
		e = a->pool[--a->npool];
		curl_easy_cleanup(e);
	}
	if (a->multi != NULL)
		curl_multi_cleanup(a->multi);	/* may still call sock_cb */
	if (a->epfd >= 0)
		close(a->epfd);
	wipe_token(a);
	free(a->pool);
	free(a->base);
	free(a);
}

const char *
ra_atlas_base(const struct ra_atlas *a)
{
	return a->base;
}

void
ra_atlas_get_stats(const struct ra_atlas *a, struct ra_atlas_stats *st)
{
	*st = a->st;
}

size_t
ra_atlas_pending(const struct ra_atlas *a)
{
	return a->ready.n + a->delayed.n + a->inflight;
}

static struct req *
req_new(struct ra_atlas *a, enum req_kind kind, const char *url,
    const char *accept)
{
	struct req *r = ra_calloc(1, sizeof(*r));

	r->kind = kind;
	r->url = ra_strdup(url);
	r->accept = ra_strdup(accept);
	ra_buf_init(&r->body, a->opts.max_body + 1);
	return r;
}

int
ra_atlas_get(struct ra_atlas *a, const char *url, const char *accept,
    ra_atlas_done_fn fn, void *arg)
{
	struct req *r;
	char *full;

	if (url[0] == '/')
		full = ra_asprintf("%s%s", a->base, url);
	else if (ra_atlas_same_origin(a->base, url))
		full = ra_strdup(url);
	else
		return -1;
	r = req_new(a, REQ_API, full, accept);
	free(full);
	r->fn = fn;
	r->arg = arg;
	rq_push(&a->ready, r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Starting transfers                                                  */

/* Gives r's easy handle back: API handles to the pool, the token's
 * (never pooled: it carries Basic credentials) to libcurl. */
static void
release_easy(struct ra_atlas *a, struct req *r)
{
	if (r->easy == NULL)
		return;
	if (r->kind == REQ_API)
		pool_put(a, r->easy);
	else
		curl_easy_cleanup(r->easy);
	r->easy = NULL;
}

/* Appends line to *h. On failure frees the list, *h = NULL, -1;
 * once failed, later calls fail too. */
static int
slist_add(struct curl_slist **h, int *failed, const char *line)
{
	struct curl_slist *n;

	if (*failed)
		return -1;
	if ((n = curl_slist_append(*h, line)) == NULL) {
		curl_slist_free_all(*h);
		*h = NULL;
		*failed = 1;
		return -1;
	}
	*h = n;
	return 0;
}

/* Adds r to the multi. On -1, r holds no easy handle. */
static int
start(struct ra_atlas *a, struct req *r)
{
	struct curl_slist *h = NULL;
	char *line;
	int failed = 0;

	if (r->kind == REQ_TOKEN) {
		if (r->easy == NULL && (r->easy = easy_new(a)) == NULL)
			return -1;
		curl_easy_setopt(r->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(r->easy, CURLOPT_USERNAME, a->opts.auth.id);
		curl_easy_setopt(r->easy, CURLOPT_PASSWORD, a->opts.auth.secret);
		curl_easy_setopt(r->easy, CURLOPT_COPYPOSTFIELDS,
		    "grant_type=client_credentials");
	} else if ((r->easy = pool_get(a)) == NULL)
		return -1;
	line = ra_asprintf("Accept: %s", r->accept);
	slist_add(&h, &failed, line);
	free(line);
	if (r->kind == REQ_TOKEN)
		slist_add(&h, &failed,
		    "Content-Type: application/x-www-form-urlencoded");
	else if (a->opts.auth.kind == RA_AUTH_OAUTH && a->token != NULL) {
		slist_add(&h, &failed, a->token);
		r->token_gen = a->token_gen;
	}
	if (failed) {
		release_easy(a, r);
		return -1;
	}
	curl_slist_free_all(r->hdrs);
	r->hdrs = h;
	req_reset_response(r);
	curl_easy_setopt(r->easy, CURLOPT_URL, r->url);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	if (curl_multi_add_handle(a->multi, r->easy) != CURLM_OK) {
		release_easy(a, r);
		return -1;
	}
	r->attempts++;
	r->started = ra_clock_mono_ms();
	a->st.attempts++;
	if (r->attempts > 1)
		a->st.retried++;
	if (r->kind == REQ_API) {
		a->inflight++;
		r->bprev = NULL;
		r->bnext = a->busy;
		if (a->busy != NULL)
			a->busy->bprev = r;
		a->busy = r;
	}
	return 0;
}

static void
busy_unlink(struct ra_atlas *a, struct req *r)
{
	if (r->bprev != NULL)
		r->bprev->bnext = r->bnext;
	else
		a->busy = r->bnext;
	if (r->bnext != NULL)
		r->bnext->bprev = r->bprev;
	r->bnext = r->bprev = NULL;
	a->inflight--;
}

/* ------------------------------------------------------------------ */
/* Completion                                                          */

static const char *
hdr(const char *v, int has)
{
	return has ? v : NULL;
}

/* Calls the completion function and frees the request. */
static void
finish(struct ra_atlas *a, struct req *r, int status, const char *outcome,
    const char *error)
{
	struct ra_atlas_resp resp;
	char rurl[512];
	int have_body;

	/* partial bodies are not evidence: no body then */
	have_body = status != 0 && !r->too_large && !r->body.err &&
	    strcmp(outcome, "truncated") != 0;
	memset(&resp, 0, sizeof(resp));
	resp.url = r->url;
	resp.status = status;
	resp.outcome = outcome;
	resp.error = error;
	resp.content_type = hdr(r->ctype, r->has_ctype);
	resp.ratelimit_limit = hdr(r->rl_limit, r->has_limit);
	resp.ratelimit_remaining = hdr(r->rl_rem, r->has_rem);
	resp.retry_after = hdr(r->retry_after, r->has_ra);
	resp.attempts = r->attempts;
	if (have_body) {
		resp.body = ra_buf_cstr(&r->body);
		resp.len = r->body.len;
	}
	a->st.requests++;
	if (strcmp(outcome, "ok") != 0) {
		a->st.failed++;
		ra_redact_url(r->url, rurl, sizeof(rurl));
		ra_debug("%s: %s (%s)", rurl, outcome, error ? error : "");
	}
	if (r->fn != NULL && !a->aborted && r->fn(r->arg, &resp) != 0)
		a->aborted = 1;
	req_free(r);
}

/* Schedules another attempt after wait_ms, or returns -1 when the
 * attempts or the budget are spent. */
static int
retry_later(struct ra_atlas *a, struct req *r, long wait_ms)
{
	if (r->attempts >= a->opts.max_attempts)
		return -1;
	if (r->waited_ms + wait_ms > a->opts.retry_budget_ms)
		return -1;
	r->waited_ms += wait_ms;
	r->not_before = ra_clock_mono_ms() + (double)wait_ms;
	if (r->kind == REQ_TOKEN)
		return 0;	/* a->token_req keeps it */
	rq_push(&a->delayed, r);
	return 0;
}

static long
backoff(struct ra_atlas *a, struct req *r)
{
	return ra_atlas_backoff_ms(r->attempts, rnd32(a),
	    a->opts.backoff_base_ms, a->opts.backoff_cap_ms);
}

static void
fail_all(struct ra_atlas *a, const char *why)
{
	struct req *r;

	while ((r = rq_pop(&a->ready)) != NULL)
		finish(a, r, 0, "transport-error", why);
	while ((r = rq_pop(&a->delayed)) != NULL)
		finish(a, r, 0, "transport-error", why);
}

static void
auth_failed(struct ra_atlas *a, const char *why)
{
	if (!a->st.auth_failed) {
		a->st.auth_failed = 1;
		snprintf(a->st.auth_error, sizeof(a->st.auth_error), "%s", why);
	}
}

/* Rate pacing: see the comment at pace_allows(). */
static void
pace_observe(struct ra_atlas *a, struct req *r, int status)
{
	double now = ra_clock_mono_ms(), est;
	long rem, lim = -1;
	char *end;
	size_t oldest;

	if (status == 429) {
		long s;

		if (r->has_ra && ra_atlas_retry_after(r->retry_after,
		    time(NULL), &s) == 0 && s * 1000 <= a->opts.max_wait_ms) {
			if (now + (double)s * 1000 > a->hold_until)
				a->hold_until = now + (double)s * 1000;
		}
		/* the bucket is empty now, whatever we estimated */
		a->have_rem = 1;
		a->rem0 = 0;
		a->rem_t = now > a->hold_until ? now : a->hold_until;
		return;
	}
	if (!r->has_rem)
		return;
	rem = strtol(r->rl_rem, &end, 10);
	if (end == r->rl_rem || rem < 0)
		return;
	if (r->has_limit)
		lim = strtol(r->rl_limit, NULL, 10);
	a->tokens_used++;
	a->samples[a->sample_pos].t = now;
	a->samples[a->sample_pos].rem = rem;
	a->samples[a->sample_pos].used = a->tokens_used;
	a->sample_pos = (a->sample_pos + 1) % NSAMPLES;
	if (a->nsamples < NSAMPLES)
		a->nsamples++;
	/* the oldest sample of the last 3 s, at least 300 ms back */
	oldest = (a->sample_pos + NSAMPLES - a->nsamples) % NSAMPLES;
	for (size_t i = 0; i < a->nsamples; i++) {
		size_t k = (oldest + i) % NSAMPLES;
		double dt = now - a->samples[k].t;

		if (dt > 3000)
			continue;
		if (dt >= 300) {
			double refill = (double)(rem - a->samples[k].rem) +
			    (double)(a->tokens_used - a->samples[k].used);

			if (refill > 0)
				a->rate = refill * 1000.0 / dt;
		}
		break;
	}
	if (a->rate <= 0 && lim > 0)
		a->rate = (double)lim / 60.0;	/* Atlas refills per minute */
	/*
	 * Responses overtake each other: one the bucket charged earlier
	 * may arrive later with a higher Remaining. Within a second of the
	 * last sample, Remaining may not rise faster than the refill.
	 */
	est = a->rem0 + (a->rate > 0 ? a->rate : 0) * (now - a->rem_t) /
	    1000.0;
	a->rem0 = a->have_rem && now - a->rem_t < 1000 && (double)rem > est ?
	    est : (double)rem;
	a->have_rem = 1;
	a->rem_t = now;
	a->cap = lim > 0 ? (double)lim : 0;
}

/*
 * Rate pacing (issue 7), from the first response that carries
 * RateLimit-Remaining: a request starts only while the requests in
 * flight, which the bucket has yet to charge, plus this one (and a
 * margin of PACE_MARGIN when some are in flight) fit in what the bucket
 * holds now, estimated as the last Remaining plus the refill since (at
 * PACE_SAFETY of the rate, capped at RateLimit-Limit). The refill rate
 * is estimated from successive (time, Remaining) samples: refill = the
 * rise of Remaining + the tokens used in between, over the last ~3 s
 * (at first RateLimit-Limit per minute, Atlas's unit). A 429 empties the estimate and, with Retry-After, holds
 * every start until then. Without the headers nothing is paced; with
 * nothing in flight one request may start each second even with no
 * estimate (it brings one). One limiter for the client, steered by the
 * latest response's headers: Atlas's buckets are per scope (GROUP,
 * ORGANIZATION, USER), so with several buckets near empty it can
 * over-start briefly on one of them (a 429 and a retry, never a lost
 * record).
 */
#define PACE_SAFETY	0.95
#define PACE_MARGIN	2.0	/* responses arrive out of server order */

static int
pace_allows(struct ra_atlas *a, double now, double *wake)
{
	double rate, avail, need;

	if (now < a->hold_until) {
		*wake = a->hold_until;
		return 0;
	}
	if (!a->have_rem)
		return 1;
	rate = a->rate > 0 ? a->rate * PACE_SAFETY : 0;
	avail = a->rem0 + (now > a->rem_t ? rate * (now - a->rem_t) /
	    1000.0 : 0);
	if (a->cap > 0 && avail > a->cap)
		avail = a->cap;
	need = (double)a->inflight + 1 + (a->inflight > 0 ? PACE_MARGIN : 0);
	if (need <= avail || (a->inflight == 0 && now >= a->rem_t + 1000))
		return 1;
	if (rate > 0) {
		*wake = a->rem_t + (need - a->rem0) * 1000.0 / rate;
		if (*wake > a->rem_t + 1000 && a->inflight == 0)
			*wake = a->rem_t + 1000;
	} else
		*wake = a->rem_t + 1000;
	if (*wake <= now)
		*wake = now + 1;
	a->held = 1;
	return 0;
}

static void
pace_started(struct ra_atlas *a)
{
	if (a->held) {
		a->st.paced++;	/* a start that had to wait */
		a->held = 0;
	}
}

static void
token_done(struct ra_atlas *a, struct req *r, CURLcode rc, long status)
{
	cJSON *root = NULL;
	const char *tok;
	long long exp = 3600;
	char err[256];
	double margin;

	/* the token handle is not pooled: a retry makes a fresh one */
	curl_easy_cleanup(r->easy);
	r->easy = NULL;
	if (rc == CURLE_OK && status == 200) {
		root = ra_json_parse(ra_buf_cstr(&r->body), r->body.len, err,
		    sizeof(err));
		if (root != NULL && (tok = ra_json_str(root, "access_token"))
		    != NULL && *tok != '\0' && strpbrk(tok, "\r\n") == NULL) {
			wipe_token(a);
			a->token = ra_asprintf("Authorization: Bearer %s", tok);
			a->token_gen++;
			if (ra_json_int(root, "expires_in", &exp) != 0 ||
			    exp <= 0)
				exp = 3600;
			margin = (double)exp * 0.1;
			if (margin > 60)
				margin = 60;
			a->token_expiry = ra_clock_mono_ms() + ((double)exp - margin) *
			    1000.0;
			ra_debug("POST %s%s: 200, token valid %lld s", a->base,
			    TOKEN_PATH, exp);
			explicit_bzero(r->body.data, r->body.len);
			req_free(r);
			a->token_req = NULL;
			cJSON_Delete(root);
			return;
		}
		cJSON_Delete(root);
		auth_failed(a, "OAuth token response has no access_token");
		goto fail;
	}
	if (rc == CURLE_OK && (status == 400 || status == 401 ||
	    status == 403)) {
		snprintf(err, sizeof(err), "%s%s: HTTP %ld: the service account "
		    "credentials (MONGODB_ATLAS_CLIENT_ID/"
		    "MONGODB_ATLAS_CLIENT_SECRET) were refused", a->base,
		    TOKEN_PATH, status);
		auth_failed(a, err);
		goto fail;
	}
	if (retry_later(a, r, backoff(a, r)) == 0)
		return;
	if (rc != CURLE_OK)
		snprintf(err, sizeof(err), "OAuth token request failed: %.200s",
		    r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
	else
		snprintf(err, sizeof(err), "OAuth token request failed: "
		    "HTTP %ld", status);
	explicit_bzero(r->body.data, r->body.len);
	req_free(r);
	a->token_req = NULL;
	fail_all(a, err);
	return;
 fail:
	if (r->body.data != NULL)
		explicit_bzero(r->body.data, r->body.len);
	req_free(r);
	a->token_req = NULL;
	fail_all(a, a->st.auth_error);
}

static int
transport_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static void
api_done(struct ra_atlas *a, struct req *r, CURLcode rc, long status)
{
	char err[512], rurl[512];
	long s, wait;
	double ms = ra_clock_mono_ms() - r->started;

	busy_unlink(a, r);
	pool_put(a, r->easy);
	r->easy = NULL;
	ra_redact_url(r->url, rurl, sizeof(rurl));
	if (rc == CURLE_OK)
		ra_debug("GET %s: %ld (%.0f ms, attempt %d)", rurl, status, ms,
		    r->attempts);
	else
		ra_debug("GET %s: %s (%.0f ms, attempt %d)", rurl,
		    curl_easy_strerror(rc), ms, r->attempts);
	if (r->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		r->too_large = 1;
		snprintf(err, sizeof(err), "response larger than %zu bytes",
		    a->opts.max_body);
		finish(a, r, (int)status, "too-large", err);
		return;
	}
	if (rc != CURLE_OK) {
		/*
		 * A timeout that came after the connect phase (the transfer
		 * or low-speed limit: a hanging or never-ending response) is
		 * not retried: asking again would multiply the wait by
		 * max_attempts. Connect timeouts and other transport
		 * failures are.
		 */
		int held = rc == CURLE_OPERATION_TIMEDOUT &&
		    ms > (double)a->opts.connect_timeout_ms + 1000;

		if (!held && transport_retryable(rc) &&
		    retry_later(a, r, backoff(a, r)) == 0)
			return;
		snprintf(err, sizeof(err), "%s", r->errbuf[0] ? r->errbuf :
		    curl_easy_strerror(rc));
		finish(a, r, rc == CURLE_PARTIAL_FILE ? (int)status : 0,
		    rc == CURLE_PARTIAL_FILE ? "truncated" : "transport-error",
		    err);
		return;
	}
	pace_observe(a, r, (int)status);
	if (status >= 200 && status < 300) {
		finish(a, r, (int)status, "ok", NULL);
		return;
	}
	if (status == 401 && a->opts.auth.kind == RA_AUTH_OAUTH &&
	    !r->refreshed) {
		/* one token refresh, one retry of this request */
		r->refreshed = 1;
		if (r->token_gen == a->token_gen)
			a->token_expiry = 0;
		rq_push_front(&a->ready, r);
		return;
	}
	if (status == 401) {
		auth_failed(a, a->opts.auth.kind == RA_AUTH_OAUTH ?
		    "the API refused the service account token after a "
		    "refresh (HTTP 401)" :
		    "the API key (MONGODB_ATLAS_PUBLIC_API_KEY/"
		    "MONGODB_ATLAS_PRIVATE_API_KEY) was refused (HTTP 401)");
		snprintf(err, sizeof(err), "HTTP 401: credentials refused");
		finish(a, r, (int)status, "http-error", err);
		fail_all(a, a->st.auth_error);
		return;
	}
	if (status == 429)
		a->st.r429++;
	if (status == 429 || status == 503) {
		if (r->has_ra && ra_atlas_retry_after(r->retry_after,
		    time(NULL), &s) == 0) {
			if (s * 1000 > a->opts.max_wait_ms) {
				snprintf(err, sizeof(err), "HTTP %ld: refused, "
				    "Retry-After %ld s exceeds the %ld s wait "
				    "cap", status, s, a->opts.max_wait_ms / 1000);
				finish(a, r, (int)status, "http-error", err);
				return;
			}
			wait = s * 1000;
		} else
			wait = backoff(a, r);
		if (retry_later(a, r, wait) == 0)
			return;
		snprintf(err, sizeof(err), "HTTP %ld: still refused after %d "
		    "attempts", status, r->attempts);
		finish(a, r, (int)status, "http-error", err);
		return;
	}
	if (status >= 500 && retry_later(a, r, backoff(a, r)) == 0)
		return;
	snprintf(err, sizeof(err), "HTTP %ld%s", status,
	    status >= 500 && r->attempts > 1 ? " after retries" : "");
	finish(a, r, (int)status, "http-error", err);
}

static void
handle_done(struct ra_atlas *a, CURL *e, CURLcode rc)
{
	struct req *r = NULL;
	long status = 0;

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(a->multi, e);
	if (r->kind == REQ_TOKEN)
		token_done(a, r, rc, status);
	else
		api_done(a, r, rc, status);
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

/* Moves due delayed requests to the front of the ready queue. */
static double
promote_delayed(struct ra_atlas *a, double now)
{
	struct rq keep = { NULL, NULL, 0 }, due = { NULL, NULL, 0 };
	struct req *r;
	double wake = 0;

	while ((r = rq_pop(&a->delayed)) != NULL) {
		if (r->not_before <= now)
			rq_push(&due, r);
		else {
			if (wake == 0 || r->not_before < wake)
				wake = r->not_before;
			rq_push(&keep, r);
		}
	}
	a->delayed = keep;
	if (due.head != NULL) {
		due.tail->next = a->ready.head;
		if (a->ready.tail == NULL)
			a->ready.tail = due.tail;
		a->ready.head = due.head;
		a->ready.n += due.n;
	}
	return wake;
}

/* Returns the time at which something may start next (0: none). */
static double
start_what_may(struct ra_atlas *a)
{
	double now = ra_clock_mono_ms(), wake, pwake = 0;
	struct req *r;

	wake = promote_delayed(a, now);
	if (a->opts.auth.kind == RA_AUTH_OAUTH && !a->st.auth_failed) {
		int need = a->token == NULL || now >= a->token_expiry;

		if (need && a->token_req == NULL && a->ready.n > 0) {
			char *u = ra_asprintf("%s%s", a->base, TOKEN_PATH);

			a->token_req = req_new(a, REQ_TOKEN, u,
			    "application/json");
			free(u);
		}
		if (a->token_req != NULL) {
			r = a->token_req;
			if (r->easy == NULL && r->not_before <= now) {
				if (start(a, r) != 0) {
					fail_all(a, "cannot start the OAuth "
					    "token request");
					req_free(r);
					a->token_req = NULL;
				}
			} else if (r->easy == NULL &&
			    (wake == 0 || r->not_before < wake))
				wake = r->not_before;
		}
		if (need)
			return wake;	/* API requests wait for the token */
	}
	while (a->ready.n > 0 && a->inflight < (size_t)a->opts.concurrency) {
		if (!pace_allows(a, now, &pwake)) {
			if (wake == 0 || pwake < wake)
				wake = pwake;
			break;
		}
		r = rq_pop(&a->ready);
		if (start(a, r) != 0) {
			finish(a, r, 0, "transport-error",
			    "cannot start the transfer");
			continue;
		}
		pace_started(a);
	}
	return wake;
}

/* The wait (ms) until the earliest of `wake` (0: none), libcurl's timer
 * and POLL_MS, so an interrupt is seen promptly. */
static int
wait_ms(const struct ra_atlas *a, double wake, double now)
{
	double d = POLL_MS;

	if (wake > 0 && wake - now < d)
		d = wake - now;
	if (a->curl_due >= 0 && a->curl_due - now < d)
		d = a->curl_due - now;
	return d <= 0 ? 0 : (int)d + (d > (int)d);
}

int
ra_atlas_run(struct ra_atlas *a)
{
	struct epoll_event evs[64];
	CURLMsg *m;
	int running, left, n;
	double wake;

	while (!a->aborted) {
		if (ra_interrupted()) {
			/* SIGINT/SIGTERM: start nothing more, drop the rest */
			a->aborted = 1;
			break;
		}
		wake = start_what_may(a);
		if (a->inflight == 0 && a->ready.n == 0 && a->delayed.n == 0 &&
		    (a->token_req == NULL || a->token_req->easy == NULL))
			break;
		n = epoll_wait(a->epfd, evs, (int)(sizeof(evs) / sizeof(*evs)),
		    wait_ms(a, wake, ra_clock_mono_ms()));
		if (n < 0 && errno != EINTR) {
			ra_error("%s: cannot wait for the transfers: %s", a->base,
			    strerror(errno));
			a->aborted = 1;
			break;
		}
		for (int i = 0; i < n; i++) {
			uint32_t ev = evs[i].events;

			curl_multi_socket_action(a->multi, evs[i].data.fd,
			    ((ev & EPOLLIN) ? CURL_CSELECT_IN : 0) |
			    ((ev & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
			    ((ev & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR :
			    0), &running);
		}
		if (a->curl_due >= 0 && ra_clock_mono_ms() >= a->curl_due) {
			a->curl_due = -1;
			curl_multi_socket_action(a->multi, CURL_SOCKET_TIMEOUT,
			    0, &running);
		}
		while ((m = curl_multi_info_read(a->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE)
				handle_done(a, m->easy_handle, m->data.result);
	}
	if (a->aborted) {
		/* drop in-flight transfers: their owners asked to stop */
		struct req *r;

		while ((r = a->busy) != NULL) {
			busy_unlink(a, r);
			curl_multi_remove_handle(a->multi, r->easy);
			pool_put(a, r->easy);
			req_free(r);
		}
		drop_queue(&a->ready);
		drop_queue(&a->delayed);
		return -1;
	}
	return 0;
}
