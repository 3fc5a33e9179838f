/* probe.c: see probe.h. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mongoc/mongoc.h>

#include "clock.h"
#include "jsonutil.h"
#include "log.h"
#include "probe.h"
#include "raw.h"
#include "util.h"

#define ID_MAX		128	/* an id longer than this is cut */
#define PREFIX_GROUPS	256	/* distinct prefix values kept */
#define SAFE_VALUE_MAX	32	/* a prefix value longer than this is cut */

struct plane_io {
	const char	*pack_dir;
	unsigned	 seq;
	const char	*name;		/* plane name, or "control" */
	const char	*database;
	char		 red[1024];	/* redacted URI */
	char		*secret;	/* password, percent-decoded */
	char		*secret_raw;	/* password as written in the URI */
	int64_t		 deadline;	/* monotonic µs */
	mongoc_client_t	*client;
};

/* Replaces every occurrence of the plane's password by "***". */
static char *
scrub(const struct plane_io *io, const char *msg)
{
	char *s = ra_strdup(msg != NULL ? msg : "");
	const char *secrets[2] = { io->secret, io->secret_raw };

	for (int k = 0; k < 2; k++) {
		const char *sec = secrets[k];
		char *p;

		if (sec == NULL || sec[0] == '\0')
			continue;
		while ((p = strstr(s, sec)) != NULL) {
			char *n;

			*p = '\0';
			n = ra_asprintf("%s***%s", s, p + strlen(sec));
			free(s);
			s = n;
		}
	}
	{
		char clean[1024];

		ra_sanitize_text(s, clean, sizeof(clean));
		free(s);
		s = ra_strdup(clean);
	}
	return s;
}

static int
sensitive_key(const char *k, size_t n)
{
	static const char *const words[] = { "pass", "secret", "token", "key" };
	char low[64];

	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)k[i]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(low, words[i]) != NULL)
			return 1;
	return 0;
}

void
ra_probe_redact_uri(const char *uri, char *out, size_t outsz)
{
	char tmp[2048];
	const char *q;
	size_t o;

	if (outsz == 0)
		return;
	ra_redact_url(uri != NULL ? uri : "", tmp, sizeof(tmp));
	if ((q = strchr(tmp, '?')) == NULL) {
		snprintf(out, outsz, "%s", tmp);
		return;
	}
	o = (size_t)(q - tmp) + 1;
	if (o >= outsz)
		o = outsz - 1;
	memcpy(out, tmp, o);
	out[o] = '\0';
	for (const char *p = q + 1; *p != '\0';) {
		size_t len = strcspn(p, "&;"), klen = strcspn(p, "=");
		int hide = klen < len && sensitive_key(p, klen);
		size_t take = hide ? klen + 1 : len;

		if (o + take + 4 >= outsz)
			break;
		memcpy(out + o, p, take);
		o += take;
		if (hide) {
			memcpy(out + o, "***", 3);
			o += 3;
		}
		p += len;
		if (*p != '\0') {
			out[o++] = *p;
			p++;
		}
		out[o] = '\0';
	}
}

/* libmongoc's log, scrubbed of the password of the plane being probed
 * (arg: ra_probe_run's plane_io). */
static void
log_handler(mongoc_log_level_t level, const char *domain, const char *msg,
    void *arg)
{
	const struct plane_io *io = arg;
	char clean[512];
	char *s;

	if (level > MONGOC_LOG_LEVEL_WARNING)
		return;
	s = scrub(io, msg);
	ra_sanitize_text(s, clean, sizeof(clean));
	ra_debug("mongoc %s: %s", domain != NULL ? domain : "", clean);
	free(s);
}

/* Milliseconds left of the plane's budget (>= 0). */
static int32_t
left_ms(const struct plane_io *io)
{
	int64_t d = (io->deadline - bson_get_monotonic_time()) / 1000;

	return d < 0 ? 0 : d > INT32_MAX ? INT32_MAX : (int32_t)d;
}

static cJSON *
body_new(const struct plane_io *io, const char *command)
{
	cJSON *doc = cJSON_CreateObject();
	char when[32];

	ra_time_rfc3339(ra_clock_now(), when, sizeof(when));
	cJSON_AddStringToObject(doc, "plane", io->name);
	cJSON_AddStringToObject(doc, "database", io->database);
	cJSON_AddStringToObject(doc, "command", command);
	cJSON_AddStringToObject(doc, "at", when);
	return doc;
}

/*
 * Writes one record. `error` NULL: outcome ok, the body's "error" null;
 * else transport-error with the scrubbed line in meta and body, and
 * "result" null. Takes ownership of doc and result.
 */
static int
emit(struct plane_io *io, const char *endpoint, const char *command,
    cJSON *doc, cJSON *result, const char *error)
{
	struct ra_raw_record rec;
	char when[32], method[] = "READ", accept[] = "application/json",
	    ok[] = "ok", terr[] = "transport-error";
	char *body, *msg = NULL;
	int rc;

	if (error != NULL) {
		msg = scrub(io, error);
		cJSON_AddStringToObject(doc, "error", msg);
		cJSON_AddNullToObject(doc, "result");
		cJSON_Delete(result);
		ra_warn("data plane %s: %s: %s", io->name, endpoint, msg);
	} else {
		cJSON_AddNullToObject(doc, "error");
		cJSON_AddItemToObject(doc, "result", result);
	}
	body = ra_json_print(doc);
	memset(&rec, 0, sizeof(rec));
	ra_time_rfc3339(ra_clock_now(), when, sizeof(when));
	rec.seq = io->seq++;
	rec.endpoint = ra_strdup(endpoint);
	rec.cluster = ra_strdup(io->name);
	rec.method = method;
	rec.url = ra_asprintf("%s#%s", io->red, command);
	rec.accept = accept;
	rec.status = 0;
	rec.received_at = when;
	rec.attempts = 1;
	rec.outcome = error != NULL ? terr : ok;
	rec.error = msg;
	rec.list_complete = -1;
	rc = ra_raw_write(io->pack_dir, &rec, body, strlen(body));
	free(rec.endpoint);
	free(rec.cluster);
	free(rec.url);
	free(rec.body_file);
	free(msg);
	free(body);
	cJSON_Delete(doc);
	return rc;
}

/* An id value as text: strings as they are (cut, sanitised), ObjectIds
 * in hex, integers in decimal, anything else by type. */
static char *
id_text(const bson_iter_t *it)
{
	char buf[ID_MAX + 1], clean[ID_MAX * 4 + 1];

	switch (bson_iter_type(it)) {
	case BSON_TYPE_UTF8: {
		uint32_t len;
		const char *s = bson_iter_utf8(it, &len);

		snprintf(buf, sizeof(buf), "%.*s", (int)(len > ID_MAX ? ID_MAX :
		    len), s);
		break;
	}
	case BSON_TYPE_OID:
		bson_oid_to_string(bson_iter_oid(it), buf);
		break;
	case BSON_TYPE_INT32:
		snprintf(buf, sizeof(buf), "%d", bson_iter_int32(it));
		break;
	case BSON_TYPE_INT64:
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)bson_iter_int64(it));
		break;
	case BSON_TYPE_DOUBLE:
		snprintf(buf, sizeof(buf), "%.17g", bson_iter_double(it));
		break;
	default:
		snprintf(buf, sizeof(buf), "(bson type 0x%02x)",
		    (unsigned)bson_iter_type(it));
		break;
	}
	ra_sanitize_text(buf, clean, sizeof(clean));
	return ra_strdup(clean);
}

static void
add_hostport(cJSON *arr, const char *hp)
{
	cJSON *it;
	char low[300];
	size_t i;

	for (i = 0; hp[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)hp[i]);
	low[i] = '\0';
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, low) == 0)
			return;
	cJSON_AddItemToArray(arr, cJSON_CreateString(low));
}

static void
str_array(cJSON *dst, const bson_t *doc, const char *key)
{
	bson_iter_t it, sub;

	if (!bson_iter_init_find(&it, doc, key) ||
	    !BSON_ITER_HOLDS_ARRAY(&it) || !bson_iter_recurse(&it, &sub))
		return;
	while (bson_iter_next(&sub))
		if (BSON_ITER_HOLDS_UTF8(&sub))
			add_hostport(dst, bson_iter_utf8(&sub, NULL));
}

static cJSON *
opt_str(const bson_t *doc, const char *key)
{
	bson_iter_t it;
	char clean[512];

	if (!bson_iter_init_find(&it, doc, key) || !BSON_ITER_HOLDS_UTF8(&it))
		return cJSON_CreateNull();
	ra_sanitize_text(bson_iter_utf8(&it, NULL), clean, sizeof(clean));
	return cJSON_CreateString(clean);
}

/* hello: returns 0 when the plane answered. */
static int
probe_hello(struct plane_io *io, const mongoc_uri_t *uri, int *werr)
{
	const char *cmdtext = "{ \"hello\" : 1 }";
	bson_t *cmd = BCON_NEW("hello", BCON_INT32(1));
	bson_t reply;
	bson_error_t e;
	cJSON *doc = body_new(io, cmdtext), *res, *seeds, *hosts, *conn;
	const mongoc_host_list_t *h;
	mongoc_server_description_t **sds;
	size_t nsds = 0;
	bson_iter_t it;
	int ok;

	seeds = cJSON_AddArrayToObject(doc, "uriHosts");
	for (h = mongoc_uri_get_hosts(uri); h != NULL; h = h->next)
		add_hostport(seeds, h->host_and_port);
	if (mongoc_uri_get_srv_hostname(uri) != NULL)
		cJSON_AddStringToObject(doc, "srv",
		    mongoc_uri_get_srv_hostname(uri));
	else
		cJSON_AddNullToObject(doc, "srv");
	ok = mongoc_client_command_simple(io->client, "admin", cmd, NULL,
	    &reply, &e);
	bson_destroy(cmd);
	if (!ok) {
		bson_destroy(&reply);
		*werr = emit(io, RA_PROBE_HELLO, "hello", doc, NULL, e.message);
		return -1;
	}
	res = cJSON_CreateObject();
	hosts = cJSON_AddArrayToObject(res, "hosts");
	str_array(hosts, &reply, "hosts");
	str_array(hosts, &reply, "passives");
	str_array(hosts, &reply, "arbiters");
	cJSON_AddItemToObject(res, "me", opt_str(&reply, "me"));
	cJSON_AddItemToObject(res, "setName", opt_str(&reply, "setName"));
	cJSON_AddItemToObject(res, "primary", opt_str(&reply, "primary"));
	if (bson_iter_init_find(&it, &reply, "tags") &&
	    BSON_ITER_HOLDS_DOCUMENT(&it)) {
		bson_iter_t sub;
		cJSON *tags = cJSON_AddObjectToObject(res, "tags");

		bson_iter_recurse(&it, &sub);
		while (bson_iter_next(&sub))
			if (BSON_ITER_HOLDS_UTF8(&sub))
				cJSON_AddStringToObject(tags,
				    bson_iter_key(&sub),
				    bson_iter_utf8(&sub, NULL));
	} else
		cJSON_AddNullToObject(res, "tags");
	conn = cJSON_AddArrayToObject(res, "connected");
	sds = mongoc_client_get_server_descriptions(io->client, &nsds);
	for (size_t i = 0; i < nsds; i++)
		add_hostport(conn,
		    mongoc_server_description_host(sds[i])->host_and_port);
	mongoc_server_descriptions_destroy_all(sds, nsds);
	bson_destroy(&reply);
	*werr = emit(io, RA_PROBE_HELLO, "hello", doc, res, NULL);
	return 0;
}

/* Returns 0, or -1 when raw/ cannot be written. */
static int
probe_tenants(struct plane_io *io, const char *collname)
{
	mongoc_collection_t *coll;
	mongoc_cursor_t *cur;
	bson_t filter = BSON_INITIALIZER;
	bson_t *opts;
	const bson_t *d;
	bson_error_t e;
	cJSON *doc, *res, *arr;
	char *cmdtext, *fail = NULL;
	unsigned long n = 0;
	int rc;

	cmdtext = ra_asprintf("{ \"find\" : \"%s\", \"filter\" : { }, "
	    "\"projection\" : { \"_id\" : 0, \"tenant_id\" : 1, "
	    "\"region\" : 1 } }", collname);
	doc = body_new(io, cmdtext);
	cJSON_AddStringToObject(doc, "collection", collname);
	res = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(res, "tenants");
	coll = mongoc_client_get_collection(io->client, io->database,
	    collname);
	opts = BCON_NEW("projection", "{", "_id", BCON_INT32(0), "tenant_id",
	    BCON_INT32(1), "region", BCON_INT32(1), "}", "batchSize",
	    BCON_INT32(1000));
	cur = mongoc_collection_find_with_opts(coll, &filter, opts, NULL);
	while (mongoc_cursor_next(cur, &d)) {
		bson_iter_t it;
		cJSON *t;

		if (left_ms(io) == 0) {
			fail = ra_strdup("time limit exceeded");
			break;
		}
		if (!bson_iter_init_find(&it, d, "tenant_id") ||
		    BSON_ITER_HOLDS_NULL(&it))
			continue;
		t = cJSON_CreateObject();
		{
			char *id = id_text(&it);

			cJSON_AddStringToObject(t, "tenant_id", id);
			free(id);
		}
		if (bson_iter_init_find(&it, d, "region") &&
		    BSON_ITER_HOLDS_UTF8(&it)) {
			char clean[128];

			ra_sanitize_text(bson_iter_utf8(&it, NULL), clean,
			    sizeof(clean));
			cJSON_AddStringToObject(t, "region", clean);
		} else
			cJSON_AddNullToObject(t, "region");
		cJSON_AddItemToArray(arr, t);
		n++;
	}
	if (fail == NULL && mongoc_cursor_error(cur, &e))
		fail = ra_strdup(e.message);
	cJSON_AddNumberToObject(res, "count", (double)n);
	rc = emit(io, RA_PROBE_TENANTS, "find", doc, res, fail);
	mongoc_cursor_destroy(cur);
	mongoc_collection_destroy(coll);
	bson_destroy(opts);
	bson_destroy(&filter);
	free(cmdtext);
	free(fail);
	return rc;
}

/*
 * Distinct non-null tenant_id values of one collection, streamed from an
 * aggregation cursor (server-side $group; the client holds only the
 * distinct ids, sorted afterwards). Returns the JSON entry, or NULL with
 * *fail set.
 */
static cJSON *
tenant_ids_of(struct plane_io *io, const char *collname, char **fail)
{
	mongoc_collection_t *coll;
	mongoc_cursor_t *cur;
	bson_t *pipeline, *opts;
	const bson_t *d;
	bson_error_t e;
	char **ids = NULL;
	size_t n = 0, cap = 0;
	int truncated = 0;
	cJSON *entry = NULL, *arr;

	coll = mongoc_client_get_collection(io->client, io->database,
	    collname);
	pipeline = BCON_NEW("pipeline", "[",
	    "{", "$match", "{", "tenant_id", "{", "$ne", BCON_NULL, "}", "}",
	    "}",
	    "{", "$group", "{", "_id", BCON_UTF8("$tenant_id"), "}", "}",
	    "]");
	opts = BCON_NEW("batchSize", BCON_INT32(1000));
	cur = mongoc_collection_aggregate(coll, MONGOC_QUERY_NONE, pipeline,
	    opts, NULL);
	while (mongoc_cursor_next(cur, &d)) {
		bson_iter_t it;

		if (left_ms(io) == 0) {
			*fail = ra_strdup("time limit exceeded");
			goto out;
		}
		if (!bson_iter_init_find(&it, d, "_id") ||
		    BSON_ITER_HOLDS_NULL(&it))
			continue;
		if (n == RA_PROBE_MAX_TENANTS) {
			truncated = 1;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = ra_realloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = id_text(&it);
	}
	if (mongoc_cursor_error(cur, &e)) {
		*fail = ra_asprintf("%s: %s", collname, e.message);
		goto out;
	}
	if (n > 0)
		qsort(ids, n, sizeof(*ids), ra_strp_cmp);
	entry = cJSON_CreateObject();
	cJSON_AddStringToObject(entry, "name", collname);
	cJSON_AddNumberToObject(entry, "distinct", (double)n);
	cJSON_AddBoolToObject(entry, "truncated", truncated);
	arr = cJSON_AddArrayToObject(entry, "tenantIds");
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(ids[i], ids[i - 1]) != 0)
			cJSON_AddItemToArray(arr, cJSON_CreateString(ids[i]));
out:
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	mongoc_cursor_destroy(cur);
	bson_destroy(pipeline);
	bson_destroy(opts);
	mongoc_collection_destroy(coll);
	return entry;
}

/* Returns 0, or -1 when raw/ cannot be written. */
static int
probe_tenant_ids(struct plane_io *io, const struct ra_data_plane *dp)
{
	const char *cmdtext = "{ \"aggregate\" : <each collection>, "
	    "\"pipeline\" : [ { \"$match\" : { \"tenant_id\" : { \"$ne\" : "
	    "null } } }, { \"$group\" : { \"_id\" : \"$tenant_id\" } } ] }";
	cJSON *doc = body_new(io, cmdtext), *res = cJSON_CreateObject(), *arr;
	mongoc_database_t *db = NULL;
	char **names = NULL, *fail = NULL;
	bson_error_t e;
	int rc;

	cJSON_AddStringToObject(doc, "operation", "aggregate $match tenant_id "
	    "!= null, $group by tenant_id (server-side; cursor-streamed)");
	arr = cJSON_AddArrayToObject(res, "collections");
	if (dp->collections != NULL) {
		names = ra_calloc(dp->ncollections + 1, sizeof(*names));
		for (size_t i = 0; i < dp->ncollections; i++)
			names[i] = ra_strdup(dp->collections[i]);
	} else {
		db = mongoc_client_get_database(io->client, io->database);
		names = mongoc_database_get_collection_names_with_opts(db, NULL,
		    &e);
		if (names == NULL)
			fail = ra_asprintf("listCollections: %s", e.message);
	}
	for (size_t i = 0; fail == NULL && names != NULL && names[i] != NULL;
	    i++) {
		cJSON *entry;

		if (strncmp(names[i], "system.", 7) == 0)
			continue;
		if ((entry = tenant_ids_of(io, names[i], &fail)) == NULL)
			break;
		cJSON_AddItemToArray(arr, entry);
	}
	rc = emit(io, RA_PROBE_TENANT_IDS, "aggregate", doc, res, fail);
	if (dp->collections != NULL && names != NULL)
		for (size_t i = 0; names[i] != NULL; i++)
			free(names[i]);
	if (dp->collections != NULL)
		free(names);
	else
		bson_strfreev(names);
	if (db != NULL)
		mongoc_database_destroy(db);
	free(fail);
	return rc;
}

struct pgroup {
	char	*value;
	unsigned long count;
	int	 record_ids;
	char	**ids;
	size_t	 nids, cap;
	int	 truncated;
};

static void
pg_add_id(struct pgroup *g, const bson_t *d)
{
	bson_iter_t it;

	if (g->nids == RA_PROBE_MAX_IDS) {
		g->truncated = 1;
		return;
	}
	if (g->nids == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->ids = ra_realloc(g->ids, g->cap * sizeof(*g->ids));
	}
	g->ids[g->nids++] = bson_iter_init_find(&it, d, "_id") ?
	    id_text(&it) : ra_strdup("(no _id)");
}

/* Adds g's ids, sorted, to o as "idsTruncated" and "ids". */
static void
pg_add_ids_to(cJSON *o, struct pgroup *g)
{
	cJSON *ids;

	if (g->nids > 0)
		qsort(g->ids, g->nids, sizeof(*g->ids), ra_strp_cmp);
	cJSON_AddBoolToObject(o, "idsTruncated", g->truncated);
	ids = cJSON_AddArrayToObject(o, "ids");
	for (size_t j = 0; j < g->nids; j++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(g->ids[j]));
}

static void
pg_free(struct pgroup *g)
{
	free(g->value);
	for (size_t j = 0; j < g->nids; j++)
		free(g->ids[j]);
	free(g->ids);
}

/*
 * The prefix value as recorded: kept when short and made of [A-Za-z0-9_-];
 * otherwise cut after its last '_' within the first SAFE_VALUE_MAX bytes
 * and marked with "…", so that a full key stored in the field by mistake
 * never reaches the pack.
 */
static char *
safe_value(const char *v, uint32_t len)
{
	size_t cut = 0;
	int safe = len <= SAFE_VALUE_MAX;

	for (uint32_t i = 0; i < len && safe; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '_' && v[i] != '-')
			safe = 0;
	if (safe)
		return ra_asprintf("%.*s", (int)len, v);
	for (uint32_t i = 0; i < len && i < SAFE_VALUE_MAX; i++) {
		if (!isalnum((unsigned char)v[i]) && v[i] != '_' &&
		    v[i] != '-')
			break;
		if (v[i] == '_')
			cut = i + 1;
	}
	return ra_asprintf("%.*s\xe2\x80\xa6", (int)cut, v);
}

/* Returns 0, or -1 when raw/ cannot be written. */
static int
probe_keys(struct plane_io *io, const struct ra_data_plane *dp)
{
	mongoc_collection_t *coll;
	mongoc_cursor_t *cur;
	bson_t filter = BSON_INITIALIZER, *opts;
	const bson_t *d;
	bson_error_t e;
	struct pgroup groups[PREFIX_GROUPS + 1], missing;
	size_t ng = 0;
	unsigned long total = 0;
	char *cmdtext, *fail = NULL;
	cJSON *doc, *res, *arr;
	int rc;

	memset(groups, 0, sizeof(groups));
	memset(&missing, 0, sizeof(missing));
	cmdtext = ra_asprintf("{ \"find\" : \"%s\", \"filter\" : { }, "
	    "\"projection\" : { \"_id\" : 1, \"%s\" : 1 } }",
	    dp->keys_collection, dp->key_prefix_field);
	doc = body_new(io, cmdtext);
	cJSON_AddStringToObject(doc, "collection", dp->keys_collection);
	cJSON_AddStringToObject(doc, "field", dp->key_prefix_field);
	cJSON_AddStringToObject(doc, "keyPrefix", dp->key_prefix);
	coll = mongoc_client_get_collection(io->client, io->database,
	    dp->keys_collection);
	opts = BCON_NEW("projection", "{", "_id", BCON_INT32(1),
	    dp->key_prefix_field, BCON_INT32(1), "}", "batchSize",
	    BCON_INT32(1000));
	cur = mongoc_collection_find_with_opts(coll, &filter, opts, NULL);
	while (mongoc_cursor_next(cur, &d)) {
		bson_iter_t it;
		struct pgroup *g = NULL;
		char *v;
		uint32_t len;

		if (left_ms(io) == 0) {
			fail = ra_strdup("time limit exceeded");
			break;
		}
		total++;
		if (!bson_iter_init_find(&it, d, dp->key_prefix_field) ||
		    !BSON_ITER_HOLDS_UTF8(&it)) {
			missing.count++;
			pg_add_id(&missing, d);
			continue;
		}
		{
			const char *raw = bson_iter_utf8(&it, &len);

			v = safe_value(raw, len);
		}
		for (size_t i = 0; i < ng; i++)
			if (strcmp(groups[i].value, v) == 0) {
				g = &groups[i];
				break;
			}
		if (g == NULL && ng < PREFIX_GROUPS) {
			g = &groups[ng++];
			g->value = v;
			v = NULL;
			g->record_ids = strncmp(g->value, dp->key_prefix,
			    strlen(dp->key_prefix)) != 0;
		} else if (g == NULL) {
			/* the overflow group: never passes */
			g = &groups[PREFIX_GROUPS];
			if (g->value == NULL)
				g->value = ra_strdup("(other values)");
			g->record_ids = 1;
		}
		free(v);
		g->count++;
		if (g->record_ids)
			pg_add_id(g, d);
	}
	if (fail == NULL && mongoc_cursor_error(cur, &e))
		fail = ra_strdup(e.message);
	res = cJSON_CreateObject();
	cJSON_AddNumberToObject(res, "total", (double)total);
	arr = cJSON_AddArrayToObject(res, "prefixes");
	for (size_t i = 0; i <= PREFIX_GROUPS; i++) {
		struct pgroup *g = &groups[i];
		cJSON *o;

		if (g->value == NULL)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", g->value);
		cJSON_AddNumberToObject(o, "count", (double)g->count);
		cJSON_AddBoolToObject(o, "idsRecorded", g->record_ids);
		pg_add_ids_to(o, g);
		cJSON_AddItemToArray(arr, o);
	}
	{
		cJSON *o = cJSON_AddObjectToObject(res, "missing");

		cJSON_AddNumberToObject(o, "count", (double)missing.count);
		pg_add_ids_to(o, &missing);
	}
	rc = emit(io, RA_PROBE_KEYS, "find", doc, res, fail);
	for (size_t i = 0; i <= PREFIX_GROUPS; i++)
		pg_free(&groups[i]);
	pg_free(&missing);
	mongoc_cursor_destroy(cur);
	mongoc_collection_destroy(coll);
	bson_destroy(opts);
	bson_destroy(&filter);
	free(cmdtext);
	free(fail);
	return rc;
}

/*
 * The password as written in the URI (between the first ':' of the
 * userinfo and the last '@' before the path), before any parsing, so
 * that even a parser's error message is scrubbed. NULL when none.
 */
static char *
raw_password(const char *text)
{
	const char *a = strstr(text, "://"), *end, *at = NULL, *colon;

	if (a == NULL)
		return NULL;
	a += 3;
	end = a + strcspn(a, "/?#");
	for (const char *p = a; p < end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL || (colon = memchr(a, ':', (size_t)(at - a))) == NULL ||
	    colon + 1 >= at)
		return NULL;
	return ra_asprintf("%.*s", (int)(at - colon - 1), colon + 1);
}

static int32_t
capped(const mongoc_uri_t *uri, const char *opt, int32_t left)
{
	int32_t v = mongoc_uri_get_option_as_int32(uri, opt, 0);

	if (v <= 0 || v > left)
		v = left;
	return v > 0 ? v : 1;
}

/*
 * One plane: dp == NULL is the control plane. Returns 0, or -1 when raw/
 * cannot be written.
 */
static int
probe_plane(struct plane_io *io, const char *uri_env,
    const struct ra_data_plane *dp, const char *tenants_coll)
{
	const char *text = getenv(uri_env);
	mongoc_uri_t *uri = NULL;
	bson_error_t e;
	int werr = 0;
	char *why = NULL;
	cJSON *doc;

	io->deadline = bson_get_monotonic_time() +
	    (int64_t)RA_PROBE_LIMIT_MS * 1000;
	if (text == NULL || text[0] == '\0') {
		snprintf(io->red, sizeof(io->red), "env:%s", uri_env);
		why = ra_asprintf("%s is not set", uri_env);
		goto fail;
	}
	ra_probe_redact_uri(text, io->red, sizeof(io->red));
	io->secret_raw = raw_password(text);
	if ((uri = mongoc_uri_new_with_error(text, &e)) == NULL) {
		why = ra_asprintf("%s: not a usable connection string: %s",
		    uri_env, e.message);
		goto fail;
	}
	if (mongoc_uri_get_password(uri) != NULL)
		io->secret = ra_strdup(mongoc_uri_get_password(uri));
	mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS,
	    capped(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, left_ms(io)));
	mongoc_uri_set_option_as_int32(uri, MONGOC_URI_CONNECTTIMEOUTMS,
	    capped(uri, MONGOC_URI_CONNECTTIMEOUTMS, left_ms(io)));
	mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SOCKETTIMEOUTMS,
	    capped(uri, MONGOC_URI_SOCKETTIMEOUTMS, left_ms(io)));
	mongoc_uri_set_option_as_bool(uri, MONGOC_URI_SERVERSELECTIONTRYONCE,
	    true);
	if ((io->client = mongoc_client_new_from_uri_with_error(uri, &e)) ==
	    NULL) {
		why = ra_asprintf("%s: cannot create a client: %s", uri_env,
		    e.message);
		goto fail;
	}
	mongoc_client_set_error_api(io->client, MONGOC_ERROR_API_VERSION_2);
	mongoc_client_set_appname(io->client, "residency-audit");
	if (probe_hello(io, uri, &werr) != 0 || werr != 0)
		goto out;
	if (dp == NULL)
		werr = probe_tenants(io, tenants_coll);
	else if ((werr = probe_tenant_ids(io, dp)) == 0)
		werr = probe_keys(io, dp);
	goto out;
fail:
	doc = body_new(io, "{ \"hello\" : 1 }");
	werr = emit(io, RA_PROBE_HELLO, "hello", doc, NULL, why);
out:
	if (io->client != NULL)
		mongoc_client_destroy(io->client);
	io->client = NULL;
	mongoc_uri_destroy(uri);
	free(io->secret);
	free(io->secret_raw);
	io->secret = io->secret_raw = NULL;
	free(why);
	return werr != 0 ? -1 : 0;
}

int
ra_probe_run(const char *pack_dir, const struct ra_inventory *inv,
    unsigned first_seq, unsigned *next_seq, char *err, size_t errsz)
{
	struct plane_io io;
	int rc = 0;

	*next_seq = first_seq;
	if (!inv->has_control_plane && inv->ndata_planes == 0)
		return 0;
	mongoc_init();
	memset(&io, 0, sizeof(io));
	mongoc_log_set_handler(log_handler, &io);
	io.pack_dir = pack_dir;
	io.seq = first_seq;
	if (inv->has_control_plane) {
		const struct ra_control_plane *cp = &inv->control_plane;

		io.name = RA_PROBE_CONTROL;
		io.database = cp->database;
		ra_info("data plane: probing the control plane (%s)",
		    cp->uri_env);
		rc = probe_plane(&io, cp->uri_env, NULL,
		    cp->tenants_collection);
	}
	for (size_t i = 0; rc == 0 && i < inv->ndata_planes; i++) {
		const struct ra_data_plane *dp = &inv->data_planes[i];

		io.name = dp->name;
		io.database = dp->database;
		ra_info("data plane %s: probing (%s)", dp->name, dp->uri_env);
		rc = probe_plane(&io, dp->uri_env, dp, NULL);
	}
	if (rc != 0)
		snprintf(err, errsz, "%s/raw: %s", pack_dir, strerror(errno));
	*next_seq = io.seq;
	mongoc_log_set_handler(mongoc_log_default_handler, NULL);
	mongoc_cleanup();
	return rc;
}
