/*
 * sim_serve.c: the HTTP side of the simulator. One libmicrohttpd thread
 * per connection, so latency and hanging faults hold a thread each and
 * never serialise other requests.
 *
 * Request ladder: /__sim/ (no auth) -> /api/oauth/token -> auth (Digest
 * or Bearer) -> route -> token buckets -> Accept version -> faults ->
 * scope lookup (404s) -> payload -> envelope -> body faults.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <openssl/rand.h>

#include "buf.h"
#include "endpoints.h"
#include "jsonutil.h"
#include "util.h"
#include "sim.h"
#include "sim_digest.h"

#define CT_JSON	"application/json"

/* Per request, created by the URI log callback, freed on completion. */
struct req {
	struct sim_record rec;
	struct ra_buf	 upload;
	int		 seen;
	long		 rl_limit, rl_remaining;	/* -1: unlimited */
};

/* Streaming bodies (huge, truncated-close, endless). */
struct stream {
	int		 kind;
	char		*body;
	size_t		 len, limit;
	unsigned long long total;
};
enum { ST_HALF = 1, ST_HUGE, ST_ENDLESS };

static double
ms_since_start(void)
{
	return (sim_now() - sim.t0) * 1000.0;
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct req *r = ra_calloc(1, sizeof(*r));

	r->rec.uri = ra_strdup(uri);
	r->rec.auth = "none";
	r->rec.started = ms_since_start();
	r->rl_limit = r->rl_remaining = -1;
	ra_buf_init(&r->upload, 64 * 1024);
	sim_record_begin();
	return r;
}

static void
on_done(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;

	if (r == NULL)
		return;
	r->rec.finished = ms_since_start();
	sim_record_end(&r->rec);
	ra_buf_free(&r->upload);
	free(r);
	*con_cls = NULL;
}

static void
add_rl_headers(struct MHD_Response *resp, const struct req *r)
{
	char v[32];

	if (r->rl_limit < 0)
		return;
	snprintf(v, sizeof(v), "%ld", r->rl_limit);
	MHD_add_response_header(resp, "RateLimit-Limit", v);
	snprintf(v, sizeof(v), "%ld", r->rl_remaining < 0 ? 0 : r->rl_remaining);
	MHD_add_response_header(resp, "RateLimit-Remaining", v);
}

/* Queues `body` (malloc'd, taken) with status and content type. */
static enum MHD_Result
send_body(struct MHD_Connection *c, struct req *r, unsigned status,
    const char *ctype, char *body, size_t len, const char *retry_after)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", ctype);
	if (retry_after != NULL)
		MHD_add_response_header(resp, "Retry-After", retry_after);
	add_rl_headers(resp, r);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	r->rec.status = (int)status;
	return ret;
}

static const char *
reason_of(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Error";
	}
}

static const char *
code_of(int status)
{
	switch (status) {
	case 400: return "INVALID_PARAMETER";
	case 401: return "UNAUTHORIZED";
	case 403: return "USER_UNAUTHORIZED";
	case 404: return "RESOURCE_NOT_FOUND";
	case 429: return "RATE_LIMITED";
	case 500: return "UNEXPECTED_ERROR";
	case 503: return "SERVICE_UNAVAILABLE";
	default: return "SIMULATED_FAULT";
	}
}

/* An ApiError body; params (may be NULL) is taken. */
static char *
api_error(int status, const char *code, const char *detail, cJSON *params)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	cJSON_AddStringToObject(o, "detail", detail);
	cJSON_AddNumberToObject(o, "error", status);
	cJSON_AddStringToObject(o, "errorCode", code ? code : code_of(status));
	cJSON_AddItemToObject(o, "parameters",
	    params ? params : cJSON_CreateArray());
	cJSON_AddStringToObject(o, "reason", reason_of(status));
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static enum MHD_Result
send_error(struct MHD_Connection *c, struct req *r, int status,
    const char *code, const char *detail, cJSON *params,
    const char *retry_after)
{
	char *b = api_error(status, code, detail, params);

	return send_body(c, r, (unsigned)status, CT_JSON, b, strlen(b),
	    retry_after);
}

static cJSON *
params1(const char *a, const char *b)
{
	cJSON *p = cJSON_CreateArray();

	if (a)
		cJSON_AddItemToArray(p, cJSON_CreateString(a));
	if (b)
		cJSON_AddItemToArray(p, cJSON_CreateString(b));
	return p;
}

/* ---- auth ---------------------------------------------------------- */

static enum MHD_Result
send_challenge(struct MHD_Connection *c, struct req *r, int stale)
{
	struct MHD_Response *resp;
	char *b = api_error(401, "UNAUTHORIZED",
	    "You are not authorized for this resource.", NULL), chal[512];
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(strlen(b), b,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(b);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", CT_JSON);
	sim_digest_challenge(chal, sizeof(chal), SIM_REALM, sim.digest_sha256,
	    stale);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, chal);
	ret = MHD_queue_response(c, 401, resp);
	MHD_destroy_response(resp);
	r->rec.status = 401;
	return ret;
}

/*
 * 1 when the request is authenticated (r->rec.auth set), 0 when a 401 was
 * queued (*ret set).
 */
static int
authenticate(struct MHD_Connection *c, struct req *r, enum MHD_Result *ret)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);

	if (sim.public_key == NULL && sim.client_id == NULL)
		return 1;		/* an open world */
	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0) {
		if (sim.client_id != NULL && sim_token_check(h + 7)) {
			r->rec.auth = "bearer";
			return 1;
		}
		*ret = send_error(c, r, 401, "UNAUTHORIZED",
		    "Invalid or expired access token.", NULL, NULL);
		return 0;
	}
	if (h != NULL && strncasecmp(h, "Digest ", 7) == 0 &&
	    sim.public_key != NULL) {
		enum sim_digest_result v = sim_digest_check(h + 7,
		    r->rec.method, SIM_REALM, sim.public_key,
		    sim.private_key ? sim.private_key : "");

		if (v == SIM_DIGEST_OK) {
			r->rec.auth = "digest";
			return 1;
		}
		*ret = send_challenge(c, r, v == SIM_DIGEST_STALE);
		return 0;
	}
	if (sim.public_key != NULL)
		*ret = send_challenge(c, r, 0);
	else
		*ret = send_error(c, r, 401, "UNAUTHORIZED",
		    "You are not authorized for this resource.", NULL, NULL);
	return 0;
}

static enum MHD_Result
serve_token(struct MHD_Connection *c, struct req *r)
{
	char *user = NULL, *pass = NULL, tok[65], *body;
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	enum MHD_Result ret;

	user = MHD_basic_auth_get_username_password(c, &pass);
	if (user == NULL || pass == NULL || sim.client_id == NULL ||
	    sim.client_secret == NULL || strcmp(user, sim.client_id) != 0 ||
	    strcmp(pass, sim.client_secret) != 0) {
		ret = send_error(c, r, 401, "UNAUTHORIZED",
		    "Invalid client credentials.", NULL, NULL);
		goto out;
	}
	r->rec.auth = "basic";
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) != 0) {
		ret = send_error(c, r, 400, "INVALID_PARAMETER",
		    "Content-Type must be application/x-www-form-urlencoded.",
		    NULL, NULL);
		goto out;
	}
	if (strstr(ra_buf_cstr(&r->upload), "grant_type=client_credentials")
	    == NULL) {
		ret = send_error(c, r, 400, "INVALID_PARAMETER",
		    "grant_type must be client_credentials.", NULL, NULL);
		goto out;
	}
	sim_token_new(tok);
	body = ra_asprintf("{\"access_token\":\"%s\",\"expires_in\":%ld,"
	    "\"token_type\":\"Bearer\"}", tok, sim.token_ttl);
	ret = send_body(c, r, 200, CT_JSON, body, strlen(body), NULL);
out:
	if (user)
		MHD_free(user);
	if (pass)
		MHD_free(pass);
	return ret;
}

/* ---- routing ------------------------------------------------------- */

#define MAX_SEGS 16

struct route {
	const struct ra_endpoint *ep;	/* NULL for the extras below */
	int		 extra;		/* EX_* */
	const char	*version;
	const char	*org_id, *group_id, *cluster;
	const char	*id;		/* /groups/{id} */
};
enum { EX_NONE, EX_ORGS, EX_GROUPS, EX_GROUP };

static size_t
split(char *path, char **seg)
{
	size_t n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(path, "/", &save); t != NULL && n < MAX_SEGS;
	    t = strtok_r(NULL, "/", &save))
		seg[n++] = t;
	return t == NULL ? n : MAX_SEGS + 1;
}

/* Matches `rest` (the path under /api/atlas/v2, modified) to a route. */
static int
route_match(char *rest, struct route *rt)
{
	char *seg[MAX_SEGS], tmpl[256], *ts[MAX_SEGS];
	size_t n = split(rest, seg), tn;

	memset(rt, 0, sizeof(*rt));
	if (n > MAX_SEGS)
		return -1;
	if (n == 1 && strcmp(seg[0], "orgs") == 0) {
		rt->extra = EX_ORGS;
		rt->version = "2023-01-01";
		return 0;
	}
	if (n == 1 && strcmp(seg[0], "groups") == 0) {
		rt->extra = EX_GROUPS;
		rt->version = "2023-01-01";
		return 0;
	}
	if (n == 2 && strcmp(seg[0], "groups") == 0) {
		rt->extra = EX_GROUP;
		rt->version = "2023-01-01";
		rt->group_id = seg[1];
		return 0;
	}
	for (size_t i = 0; i < ra_nendpoints; i++) {
		const struct ra_endpoint *ep = &ra_endpoints[i];
		size_t k;

		snprintf(tmpl, sizeof(tmpl), "%s", ep->path);
		tn = split(tmpl, ts);
		if (tn != n)
			continue;
		for (k = 0; k < n; k++) {
			if (strcmp(ts[k], "{orgId}") == 0)
				rt->org_id = seg[k];
			else if (strcmp(ts[k], "{groupId}") == 0)
				rt->group_id = seg[k];
			else if (strcmp(ts[k], "{clusterName}") == 0)
				rt->cluster = seg[k];
			else if (strcmp(ts[k], seg[k]) != 0)
				break;
		}
		if (k == n) {
			rt->ep = ep;
			rt->version = ep->version;
			return 0;
		}
		rt->org_id = rt->group_id = rt->cluster = NULL;
	}
	return -1;
}

/* ---- payloads ------------------------------------------------------ */

/* Keys of a world project that are resources, not Group fields. */
static const char *project_resources[] = {
	"clusters", "flexClusters", "serverless", "exportBuckets",
	"backupCompliancePolicy", "encryptionAtRest", "auditLog",
	"pushBasedLogExport", "logIntegrations", "dataFederation", "streams",
	"privateEndpointServices", NULL
};

static int
is_hidden(const char *key, const char **extra)
{
	if (key[0] == '_' && strcmp(key, "_id") != 0)
		return 1;
	for (size_t i = 0; extra && extra[i]; i++)
		if (strcmp(key, extra[i]) == 0)
			return 1;
	return 0;
}

/* A copy of obj without simulator-only keys ("_x", except "_id"). */
static cJSON *
view(const cJSON *obj, const char **extra)
{
	cJSON *o;
	const cJSON *it;

	if (!cJSON_IsObject(obj))
		return cJSON_Duplicate(obj, 1);
	o = cJSON_CreateObject();
	cJSON_ArrayForEach(it, obj)
		if (!is_hidden(it->string, extra))
			cJSON_AddItemToObject(o, it->string,
			    cJSON_Duplicate(it, 1));
	return o;
}

static cJSON *
group_view(const cJSON *p)
{
	cJSON *g = view(p, project_resources);

	if (!cJSON_HasObjectItem(g, "clusterCount"))
		cJSON_AddNumberToObject(g, "clusterCount",
		    cJSON_GetArraySize(ra_json_arr(p, "clusters")));
	return g;
}

static cJSON *
list_view(const cJSON *arr)
{
	cJSON *a = cJSON_CreateArray();
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		cJSON_AddItemToArray(a, view(it, NULL));
	return a;
}

static const char *org_resources[] = {
	"resourcePolicies", "nonCompliantResources", NULL
};

struct payload {
	cJSON	*json;		/* object or array */
	int	 status;	/* when an error: status, code, detail */
	const char *code;
	char	*detail;
	cJSON	*params;
};

static void
fail(struct payload *pl, int status, const char *code, char *detail,
    cJSON *params)
{
	pl->status = status;
	pl->code = code;
	pl->detail = detail;
	pl->params = params;
}

static void
payload_build(const struct route *rt, struct payload *pl)
{
	const cJSON *org = NULL, *proj = NULL, *cl = NULL, *it;
	const char *id;

	memset(pl, 0, sizeof(*pl));
	if (rt->extra == EX_ORGS) {
		pl->json = cJSON_CreateArray();
		cJSON_ArrayForEach(it, sim.orgs)
			cJSON_AddItemToArray(pl->json, view(it, org_resources));
		return;
	}
	if (rt->extra == EX_GROUPS) {
		pl->json = cJSON_CreateArray();
		cJSON_ArrayForEach(it, sim.projects)
			cJSON_AddItemToArray(pl->json, group_view(it));
		return;
	}
	if (rt->org_id != NULL && (org = sim_find_org(rt->org_id)) == NULL) {
		fail(pl, 404, "ORG_NOT_FOUND", ra_asprintf("Organization %s "
		    "not found.", rt->org_id), params1(rt->org_id, NULL));
		return;
	}
	if (rt->group_id != NULL &&
	    (proj = sim_find_project(rt->group_id)) == NULL) {
		fail(pl, 404, "GROUP_NOT_FOUND", ra_asprintf("No group with ID "
		    "%s exists.", rt->group_id), params1(rt->group_id, NULL));
		return;
	}
	if (rt->extra == EX_GROUP) {
		pl->json = group_view(proj);
		return;
	}
	if (rt->cluster != NULL &&
	    (cl = sim_find_cluster(proj, rt->cluster)) == NULL) {
		fail(pl, 404, "CLUSTER_NOT_FOUND", ra_asprintf("No cluster "
		    "named %s exists in group %s.", rt->cluster, rt->group_id),
		    params1(rt->cluster, rt->group_id));
		return;
	}
	id = rt->ep->id;
	if (strcmp(id, "org") == 0)
		pl->json = view(org, org_resources);
	else if (strcmp(id, "org-projects") == 0) {
		pl->json = cJSON_CreateArray();
		cJSON_ArrayForEach(it, sim.projects) {
			const char *o = ra_json_str(it, "orgId");

			if (o == NULL || strcmp(o, rt->org_id) == 0)
				cJSON_AddItemToArray(pl->json, group_view(it));
		}
	} else if (strcmp(id, "resource-policies") == 0)
		pl->json = list_view(ra_json_arr(org, "resourcePolicies"));
	else if (strcmp(id, "non-compliant-resources") == 0)
		pl->json = list_view(ra_json_arr(org, "nonCompliantResources"));
	else if (strcmp(id, "clusters") == 0)
		pl->json = list_view(ra_json_arr(proj, "clusters"));
	else if (strcmp(id, "flex-clusters") == 0)
		pl->json = list_view(ra_json_arr(proj, "flexClusters"));
	else if (strcmp(id, "serverless") == 0)
		pl->json = list_view(ra_json_arr(proj, "serverless"));
	else if (strcmp(id, "export-buckets") == 0)
		pl->json = list_view(ra_json_arr(proj, "exportBuckets"));
	else if (strcmp(id, "log-integrations") == 0)
		pl->json = list_view(ra_json_arr(proj, "logIntegrations"));
	else if (strcmp(id, "data-federation") == 0)
		pl->json = list_view(ra_json_arr(proj, "dataFederation"));
	else if (strcmp(id, "streams") == 0)
		pl->json = list_view(ra_json_arr(proj, "streams"));
	else if (strncmp(id, "private-endpoints-", 18) == 0) {
		const char *cp = strcmp(id + 18, "aws") == 0 ? "AWS" :
		    strcmp(id + 18, "azure") == 0 ? "AZURE" : "GCP";

		pl->json = list_view(ra_json_arr(ra_json_obj(proj,
		    "privateEndpointServices"), cp));
	} else if (strcmp(id, "backup-compliance-policy") == 0) {
		it = ra_json_obj(proj, "backupCompliancePolicy");
		if (it == NULL)
			fail(pl, 404, "BACKUP_COMPLIANCE_POLICY_NOT_FOUND",
			    ra_asprintf("No Backup Compliance Policy found for "
			    "group %s.", rt->group_id),
			    params1(rt->group_id, NULL));
		else
			pl->json = view(it, NULL);
	} else if (strcmp(id, "encryption-at-rest") == 0) {
		it = ra_json_obj(proj, "encryptionAtRest");
		pl->json = it ? view(it, NULL) : cJSON_Parse(
		    "{\"awsKms\":{\"enabled\":false},\"azureKeyVault\":"
		    "{\"enabled\":false},\"googleCloudKms\":{\"enabled\":false},"
		    "\"enabledForSearchNodes\":false}");
	} else if (strcmp(id, "audit-log") == 0) {
		it = ra_json_obj(proj, "auditLog");
		pl->json = it ? view(it, NULL) : cJSON_Parse(
		    "{\"auditAuthorizationSuccess\":false,"
		    "\"configurationType\":\"NONE\",\"enabled\":false}");
	} else if (strcmp(id, "push-log-export") == 0) {
		it = cJSON_GetObjectItemCaseSensitive(proj, "pushBasedLogExport");
		if (cJSON_IsNull(it))
			fail(pl, 404, "PUSH_BASED_LOG_EXPORT_NOT_FOUND",
			    ra_asprintf("No push-based log export configured "
			    "for group %s.", rt->group_id),
			    params1(rt->group_id, NULL));
		else
			pl->json = cJSON_IsObject(it) ? view(it, NULL) :
			    cJSON_Parse("{\"state\":\"UNCONFIGURED\"}");
	} else if (strcmp(id, "search-deployment") == 0) {
		it = ra_json_obj(cl, "_searchDeployment");
		pl->json = it ? view(it, NULL) : cJSON_CreateObject();
	} else if (strcmp(id, "online-archives") == 0)
		pl->json = list_view(ra_json_arr(cl, "_onlineArchives"));
	else {
		/* backup-schedule, backup-snapshots(-sharded) */
		int backup = 0;

		if (ra_json_bool(cl, "backupEnabled", &backup) == -1 ||
		    !backup) {
			fail(pl, 400, "CLUSTER_BACKUP_NOT_ENABLED",
			    ra_asprintf("Backup is not enabled for cluster %s "
			    "in group %s.", rt->cluster, rt->group_id),
			    params1(rt->cluster, rt->group_id));
		} else if (strcmp(id, "backup-schedule") == 0) {
			it = ra_json_obj(cl, "_backupSchedule");
			pl->json = it ? view(it, NULL) : cJSON_CreateObject();
			if (!cJSON_HasObjectItem(pl->json, "clusterName"))
				cJSON_AddStringToObject(pl->json,
				    "clusterName", rt->cluster);
		} else
			pl->json = list_view(ra_json_arr(cl, "_snapshots"));
	}
}

/* ---- query and envelope --------------------------------------------- */

/* -2 absent, -1 invalid, else the value. */
static long
query_num(struct MHD_Connection *c, const char *key)
{
	const char *v = MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, key);
	char *end;
	long n;

	if (v == NULL)
		return -2;
	if (*v == '\0' || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*end != '\0' || errno != 0 || n < 1 || n > 1000000000L)
		return -1;
	return n;
}

static void
add_encoded_path(struct ra_buf *b, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~' || *p == '/')
			ra_buf_addc(b, (char)*p);
		else
			ra_buf_printf(b, "%%%02X", *p);
	}
}

static cJSON *
page_link(const char *base, const char *path, long per, long page, const char *rel)
{
	struct ra_buf b;
	cJSON *l = cJSON_CreateObject();

	ra_buf_init(&b, 0);
	ra_buf_adds(&b, base);
	add_encoded_path(&b, path);
	ra_buf_printf(&b, "?includeCount=true&itemsPerPage=%ld&pageNum=%ld",
	    per, page);
	cJSON_AddStringToObject(l, "href", ra_buf_cstr(&b));
	cJSON_AddStringToObject(l, "rel", rel);
	ra_buf_free(&b);
	return l;
}

/* Wraps the array `all` (taken) as one page; 0, or -1 on a bad query. */
static int
envelope(struct MHD_Connection *c, const char *path,
    const struct sim_fault *f, cJSON **io, char **err)
{
	long page = query_num(c, "pageNum"), per = query_num(c, "itemsPerPage");
	const char *ic = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    "includeCount");
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Host");
	cJSON *all = *io, *env, *res, *links, *it;
	long total = cJSON_GetArraySize(all), start;
	char *base;

	if (page == -1) {
		*err = ra_strdup("pageNum must be a positive integer.");
		return -1;
	}
	if (per == -1 || per > SIM_MAX_ITEMS) {
		*err = ra_asprintf("itemsPerPage must be between 1 and %d.",
		    SIM_MAX_ITEMS);
		return -1;
	}
	if (page == -2)
		page = 1;
	if (per == -2)
		per = 100;
	base = ra_asprintf("%s://%s", sim.tls ? "https" : "http",
	    host ? host : "127.0.0.1");
	env = cJSON_CreateObject();
	links = cJSON_AddArrayToObject(env, "links");
	cJSON_AddItemToArray(links, page_link(base, path, per, page, "self"));
	if (f != NULL && f->next_loop)
		cJSON_AddItemToArray(links, page_link(base, path, per, page, "next"));
	else if (f != NULL && f->next_host != NULL)
		cJSON_AddItemToArray(links, page_link(f->next_host, path, per,
		    page + 1, "next"));
	else if ((page - 1) < total / per && page * per < total)
		cJSON_AddItemToArray(links, page_link(base, path, per, page + 1,
		    "next"));
	res = cJSON_AddArrayToObject(env, "results");
	start = (page - 1) > total / per ? total : (page - 1) * per;
	/* the page's items move from `all`, walked once */
	it = cJSON_GetArrayItem(all, (int)start);
	for (long i = 0; it != NULL && i < per; i++) {
		cJSON *next = it->next;

		cJSON_AddItemToArray(res, cJSON_DetachItemViaPointer(all, it));
		it = next;
	}
	if (ic == NULL || strcmp(ic, "false") != 0)
		cJSON_AddNumberToObject(env, "totalCount", (double)total);
	free(base);
	cJSON_Delete(all);
	*io = env;
	return 0;
}

/* ---- body faults ---------------------------------------------------- */

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;

	if (sim_stopping)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	switch (s->kind) {
	case ST_HALF:
		if (pos >= s->limit)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (max > s->limit - pos)
			max = s->limit - pos;
		memcpy(buf, s->body + pos, max);
		return (ssize_t)max;
	case ST_HUGE:
		if (pos >= s->total)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (max > s->total - pos)
			max = (size_t)(s->total - pos);
		memset(buf, 'a', max);
		if (pos == 0 && max > 0)
			buf[0] = '[';
		if (pos <= 1 && pos + max > 1)
			buf[1 - pos] = '"';
		if (pos + max >= s->total - 1 && s->total >= 2)
			buf[s->total - 2 - pos] = '"';
		if (pos + max == s->total)
			buf[max - 1] = ']';
		return (ssize_t)max;
	default:	/* ST_ENDLESS */
		if (pos == 0) {
			snprintf(buf, max, "{\"results\":[");
			return 12;
		}
		sim_sleep_ms(100);
		if (sim_stopping)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		snprintf(buf, max, "{},");
		return 3;
	}
}

static void
stream_free(void *cls)
{
	struct stream *s = cls;

	free(s->body);
	free(s);
}

static enum MHD_Result
send_stream(struct MHD_Connection *c, struct req *r, struct stream *s,
    uint64_t size, const char *ctype)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_callback(size, 16 * 1024, stream_read,
	    s, stream_free);
	if (resp == NULL) {
		stream_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", ctype);
	add_rl_headers(resp, r);
	ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	r->rec.status = 200;
	return ret;
}

/* Holds the connection until the client closes it or we stop. */
static void
hang(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	int fd = ci ? ci->connect_fd : -1;

	while (!sim_stopping) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char ch;

		if (fd < 0) {
			sim_sleep_ms(100);
			continue;
		}
		if (poll(&p, 1, 100) > 0) {
			if (p.revents & (POLLHUP | POLLERR))
				break;
			if (recv(fd, &ch, 1, MSG_PEEK | MSG_DONTWAIT) <= 0)
				break;
			sim_sleep_ms(100);
		}
	}
}

/* Replaces every `"name":"` by the same followed by invalid UTF-8. */
static char *
poison_names(const char *s)
{
	struct ra_buf b;
	const char *p;

	ra_buf_init(&b, 0);
	while ((p = strstr(s, "\"name\":\"")) != NULL) {
		ra_buf_add(&b, s, (size_t)(p - s) + 8);
		ra_buf_adds(&b, "\xff\xfe\xc3");
		s = p + 8;
	}
	ra_buf_adds(&b, s);
	return ra_buf_steal(&b);
}

/* ---- handler -------------------------------------------------------- */

static enum MHD_Result
serve_api(struct MHD_Connection *c, struct req *r, const char *url,
    const char *method)
{
	struct route rt;
	struct payload pl;
	struct sim_fault *f;
	const char *accept = r->rec.accept;
	char *rest = NULL, *body = NULL, ctype[96], want[64], ra[32];
	long retry;
	enum MHD_Result ret = MHD_NO;

	memset(&pl, 0, sizeof(pl));
	if (!authenticate(c, r, &ret))
		goto out;
	rest = ra_strdup(url + strlen("/api/atlas/v2"));
	if (route_match(rest, &rt) == -1) {
		char *d = ra_asprintf("Cannot find resource %s.", url);

		ret = send_error(c, r, 404, "RESOURCE_NOT_FOUND", d,
		    params1(url, NULL), NULL);
		free(d);
		goto out;
	}
	if (sim_bucket_take(rt.ep && rt.ep->scope == RA_SCOPE_ORG ?
	    rt.org_id : NULL, rt.group_id, &r->rl_limit, &r->rl_remaining,
	    &retry) == -1) {
		char *d = ra_asprintf("Rate limit exceeded for %s. Please "
		    "retry after %ld seconds.", url + 1, retry);
		cJSON *p = params1(url + 1, NULL);

		cJSON_AddItemToArray(p, cJSON_CreateNumber((double)retry));
		snprintf(ra, sizeof(ra), "%ld", retry);
		ret = send_error(c, r, 429, "RATE_LIMITED_TOKEN_BUCKET", d, p,
		    ra);
		free(d);
		goto out;
	}
	if (strcmp(method, "GET") != 0) {
		ret = send_error(c, r, 405, "METHOD_NOT_ALLOWED",
		    "The simulator serves GET only.", NULL, NULL);
		goto out;
	}
	snprintf(want, sizeof(want), "application/vnd.atlas.%s+json",
	    rt.version);
	if (accept == NULL || strstr(accept, want) == NULL) {
		char *d = ra_asprintf("Invalid accept header or version date "
		    "(expected %s).", want);

		ret = send_error(c, r, 406, "INVALID_VERSION_DATE", d, NULL,
		    NULL);
		free(d);
		goto out;
	}
	f = sim_fault_take(method, url);
	if (f != NULL && f->latency_ms > 0)
		sim_sleep_ms(f->latency_ms);
	if (f != NULL && f->drop)
		goto out;	/* MHD_NO: close without a response */
	if (f != NULL && f->hang) {
		hang(c);
		goto out;
	}
	if (f != NULL && f->status != 0 && f->status != 200) {
		char *d = ra_asprintf("Simulated %d for %s.", f->status, url);

		if (f->status == 429 && r->rl_limit < 0) {
			r->rl_limit = 100;
			r->rl_remaining = 0;
		}
		ret = send_error(c, r, f->status, f->error_code, d, NULL,
		    f->retry_after ? f->retry_after :
		    (f->status == 429 ? "2" : NULL));
		free(d);
		goto out;
	}
	snprintf(ctype, sizeof(ctype),
	    "application/vnd.atlas.%s+json;charset=utf-8", rt.version);
	if (f != NULL && f->endless) {
		struct stream *s = ra_calloc(1, sizeof(*s));

		s->kind = ST_ENDLESS;
		ret = send_stream(c, r, s, MHD_SIZE_UNKNOWN, ctype);
		goto out;
	}
	if (f != NULL && f->huge_bytes > 0) {
		struct stream *s = ra_calloc(1, sizeof(*s));

		s->kind = ST_HUGE;
		s->total = (unsigned long long)f->huge_bytes;
		ret = send_stream(c, r, s, s->total, ctype);
		goto out;
	}
	if (f != NULL && f->nest_depth > 0) {
		size_t n = (size_t)f->nest_depth;

		body = ra_malloc(2 * n + 1);
		memset(body, '[', n);
		memset(body + n, ']', n);
		body[2 * n] = '\0';
		ret = send_body(c, r, 200, ctype, body, 2 * n, NULL);
		body = NULL;
		goto out;
	}
	payload_build(&rt, &pl);
	if (pl.status != 0) {
		ret = send_error(c, r, pl.status, pl.code, pl.detail, pl.params,
		    NULL);
		pl.params = NULL;
		goto out;
	}
	if (rt.extra == EX_ORGS || rt.extra == EX_GROUPS ||
	    (rt.ep && rt.ep->shape == RA_SHAPE_PAGED)) {
		char *e = NULL;

		if (envelope(c, url, f, &pl.json, &e) == -1) {
			ret = send_error(c, r, 400, "INVALID_PARAMETER", e,
			    NULL, NULL);
			free(e);
			goto out;
		}
	}
	body = cJSON_PrintUnformatted(pl.json);
	if (f != NULL && f->bad_utf8) {
		char *p = poison_names(body);

		cJSON_free(body);
		body = p;
	}
	if (f != NULL && f->malformed) {
		free(body);
		body = ra_strdup("{\"results\":[{\"name\":\"x\",,]\"totalCount\"");
	}
	if (f != NULL && f->truncate == SIM_TRUNC_CLOSE) {
		struct stream *s = ra_calloc(1, sizeof(*s));

		s->kind = ST_HALF;
		s->len = strlen(body);
		s->limit = s->len / 2;
		s->body = body;
		body = NULL;
		ret = send_stream(c, r, s, s->len, ctype);
		goto out;
	}
	{
		size_t len = strlen(body);

		if (f != NULL && f->truncate == SIM_TRUNC_JSON)
			len /= 2;
		ret = send_body(c, r, 200, ctype, body, len,
		    f ? f->retry_after : NULL);
		body = NULL;
	}
out:
	free(body);
	free(rest);
	free(pl.detail);
	cJSON_Delete(pl.params);
	cJSON_Delete(pl.json);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;
	const char *accept;
	char *b;

	if (r == NULL)
		return MHD_NO;
	if (!r->seen) {
		r->seen = 1;
		r->rec.method = ra_strdup(method);
		accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_ACCEPT);
		r->rec.accept = accept ? ra_strdup(accept) : NULL;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		ra_buf_add(&r->upload, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(url, "/__sim/stats") == 0) {
		b = sim_stats_json();
		return send_body(c, r, 200, CT_JSON, b, strlen(b), NULL);
	}
	if (strcmp(url, "/__sim/requests") == 0) {
		b = sim_requests_json();
		return send_body(c, r, 200, CT_JSON, b, strlen(b), NULL);
	}
	if (sim.latency_ms > 0)
		sim_sleep_ms(sim.latency_ms);
	if (strcmp(url, "/api/oauth/token") == 0) {
		if (strcmp(method, "POST") != 0)
			return send_error(c, r, 405, "METHOD_NOT_ALLOWED",
			    "Use POST.", NULL, NULL);
		return serve_token(c, r);
	}
	if (strncmp(url, "/api/atlas/v2/", 14) != 0 &&
	    strcmp(url, "/api/atlas/v2") != 0) {
		char *d = ra_asprintf("Cannot find resource %s.", url);
		enum MHD_Result ret = send_error(c, r, 404,
		    "RESOURCE_NOT_FOUND", d, NULL, NULL);

		free(d);
		return ret;
	}
	return serve_api(c, r, url, method);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	if (sim.log != NULL) {
		pthread_mutex_lock(&sim.lock);
		vfprintf(sim.log, fmt, ap);
		pthread_mutex_unlock(&sim.lock);
	}
}

struct MHD_Daemon *
sim_serve_start(const char *host, unsigned short port, const char *cert_pem,
    const char *key_pem)
{
	struct sockaddr_in sa;
	static unsigned char seed[32];	/* MHD keeps the pointer */
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "atlas-sim: %s: not an IPv4 address\n", host);
		return NULL;
	}
	if (RAND_bytes(seed, sizeof(seed)) != 1) {
		fprintf(stderr, "atlas-sim: no randomness for digest nonces\n");
		return NULL;
	}
	if (cert_pem != NULL) {
		flags |= MHD_USE_TLS;
		sim.tls = 1;
	}
	d = MHD_start_daemon(flags, port, NULL, NULL, handler, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
	    MHD_OPTION_NONCE_NC_SIZE, (unsigned)65536,
	    MHD_OPTION_DIGEST_AUTH_RANDOM, sizeof(seed), seed,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)600,
	    cert_pem ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert_pem,
	    MHD_OPTION_HTTPS_MEM_KEY, key_pem,
	    MHD_OPTION_END);
	return d;
}
