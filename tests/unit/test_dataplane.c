/*
 * test_dataplane.c: URI redaction, the offline reader of the probe's raw
 * records (dataplane.c), and the three data-plane controls on hand-made
 * models and probe evidence, table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* The tables below point char * fields at literals the code never writes. */
#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"

#include "model_fixture.h"

#include "controls.h"
#include "dataplane.h"
#include "inventory.h"
#include "probe.h"
#include "raw.h"

static const char inv_text[] =
    "{\"orgId\":\"65f1c0a2e4b0d81a2c3e4f50\",\"jurisdictions\":{\"eu\":{\"regions\":[\"@eu\"]},"
    "\"us\":{\"regions\":[\"@us\"]}},"
    "\"projects\":[{\"name\":\"p-eu\",\"jurisdiction\":\"eu\"},"
    "{\"name\":\"p-us\",\"jurisdiction\":\"us\"}],"
    "\"controlPlane\":{\"uriEnv\":\"CP_URI\"},"
    "\"dataPlanes\":[{\"name\":\"eu\",\"jurisdiction\":\"eu\","
    "\"uriEnv\":\"EU_URI\",\"project\":\"p-eu\",\"cluster\":\"d-eu\","
    "\"keyPrefix\":\"sv0_prod_eu_\",\"legacyKeys\":true},"
    "{\"name\":\"us\",\"jurisdiction\":\"us\",\"uriEnv\":\"US_URI\","
    "\"project\":\"p-us\",\"cluster\":\"d-us\","
    "\"keyPrefix\":\"sv0_prod_us_\"}]}";

/* ---- redaction ---- */

static void
test_redact(void **state)
{
	static const struct { const char *in, *want, *secret; } t[] = {
		{ "mongodb://u:pw@h:1/db?authSource=admin",
		  "mongodb://***@h:1/db?authSource=admin", "pw" },
		{ "mongodb+srv://u:p%40ss@c.example.net/?retryWrites=true",
		  "mongodb+srv://***@c.example.net/?retryWrites=true", "p%40ss" },
		{ "mongodb://h1,h2/?tlsCertificateKeyFilePassword=zz&w=1",
		  "mongodb://h1,h2/?tlsCertificateKeyFilePassword=***&w=1", "zz" },
		{ "mongodb://a:b@c@h/?x=1&authMechanismProperties=AWS_SESSION_TOKEN:tt",
		  "mongodb://***@h/?x=1&authMechanismProperties=AWS_SESSION_TOKEN:tt",
		  "a:b@c" },
		{ "mongodb://h:27017", "mongodb://h:27017", NULL },
		{ "", "", NULL },
	};
	char out[512];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ra_probe_redact_uri(t[i].in, out, sizeof(out));
		assert_string_equal(out, t[i].want);
		if (t[i].secret != NULL)
			assert_null(strstr(out, t[i].secret));
	}
	/* truncation always terminates and never ends inside userinfo */
	ra_probe_redact_uri("mongodb://user:verylongpassword@host/", out, 8);
	assert_true(strlen(out) < 8);
	assert_null(strstr(out, "verylong"));
}

static void
test_list(void **state)
{
	const char *v[] = { "a", "b", "c" };
	char *s;

	(void)state;
	s = ra_dp_list(v, 3, 2);
	assert_string_equal(s, "a, b (+1 more)");
	free(s);
	s = ra_dp_list(v, 0, 2);
	assert_string_equal(s, "");
	free(s);
}

/* ---- controls on hand-made evidence ---- */

struct world {
	struct ra_inventory *inv;
	struct ra_model *m;
	struct ra_dataplane dp;
	struct ra_dp_plane planes[2];
	struct ra_findings fs;
};

static char *ids_eu[] = { "t1", "t2" };
static char *ids_us[] = { "u1" };
static struct ra_dp_coll colls_eu[] = { { "entities", 0, ids_eu, 2 } };
static struct ra_dp_coll colls_us[] = { { "entities", 0, ids_us, 1 } };
static struct ra_dp_tenant reg[] = {
	{ "t1", "eu" }, { "t2", "eu" }, { "u1", "us" }
};
static char *srv_eu[] = { "h-eu-1:27017", "h-eu-2:27017" };
static char *srv_us[] = { "h-us-1:27017" };

static void
plane_ok(struct ra_dp_plane *p, const struct ra_data_plane *inv,
    char **servers, size_t ns, struct ra_dp_coll *colls,
    struct ra_dp_prefix *prefixes, size_t np)
{
	memset(p, 0, sizeof(*p));
	p->inv = inv;
	p->name = inv->name;
	fx_ev_ok(&p->hello_ev, "probe-hello");
	p->servers = servers;
	p->nservers = ns;
	fx_ev_ok(&p->tenant_ids_ev, "probe-tenant-ids");
	p->colls = colls;
	p->ncolls = 1;
	fx_ev_ok(&p->keys_ev, "probe-keys");
	p->prefixes = prefixes;
	p->nprefixes = np;
	for (size_t i = 0; i < np; i++)
		p->keys_total += prefixes[i].count;
}

static struct ra_dp_prefix pre_eu[] = {
	{ "sv0_prod_eu_", 5, 0, 0, NULL, 0 },
	{ "sv0_prod_", 1, 1, 0, (char *[]){ "k-legacy" }, 1 },
};
static struct ra_dp_prefix pre_us[] = {
	{ "sv0_prod_us_", 3, 0, 0, NULL, 0 },
};

static void
world_init(struct world *w)
{
	char err[256];
	struct ra_project *p;
	struct ra_cluster *c;

	memset(w, 0, sizeof(*w));
	colls_eu[0].ids = ids_eu;
	colls_eu[0].nids = 2;
	colls_eu[0].truncated = 0;
	assert_string_equal(ra_inventory_parse(&w->inv, inv_text,
	    strlen(inv_text), "inv.json", "/tmp", err, sizeof(err)) == 0 ? "" : err, "");
	w->m = fx_model("o1");
	p = fx_project(w->m, "pid-eu", "p-eu");
	c = fx_dedicated(p, "d-eu");
	fx_rc(c, 0, "AWS", NULL, "EU_WEST_1", 3, 0, 0, "M30");
	c->cs_standard = fx_str("mongodb://H-EU-1:27017,h-eu-2:27017/?ssl=true");
	c->cs_standard_srv = fx_str("mongodb+srv://d-eu.x.mongodb.net");
	p = fx_project(w->m, "pid-us", "p-us");
	c = fx_dedicated(p, "d-us");
	fx_rc(c, 0, "AWS", NULL, "US_EAST_1", 3, 0, 0, "M30");
	c->cs_standard = fx_str("mongodb://h-us-1,h-us-2/?ssl=true");
	w->dp.has_control = 1;
	fx_ev_ok(&w->dp.control.hello_ev, "probe-hello-control");
	fx_ev_ok(&w->dp.tenants_ev, "probe-tenants");
	w->dp.tenants = reg;
	w->dp.ntenants = 3;
	plane_ok(&w->planes[0], &w->inv->data_planes[0], srv_eu, 2, colls_eu,
	    pre_eu, 2);
	plane_ok(&w->planes[1], &w->inv->data_planes[1], srv_us, 1, colls_us,
	    pre_us, 1);
	w->dp.planes = w->planes;
	w->dp.nplanes = 2;
}

static void
world_run(struct world *w)
{
	struct ra_ctx ctx;

	ctx = fx_ctx(w->m, w->inv, NULL, 0);
	ctx.dataplane = &w->dp;
	ra_check_data_plane_endpoint(&ctx, &w->fs);
	ra_check_tenant_placement(&ctx, &w->fs);
	ra_check_connector_key_region(&ctx, &w->fs);
}

static void
world_free(struct world *w)
{
	ra_findings_free(&w->fs);
	ra_inventory_free(w->inv);
	fx_free_all();
}

static const struct ra_finding *
get(struct world *w, const char *ctl, const char *plane)
{
	char res[64];
	const struct ra_finding *f;

	snprintf(res, sizeof(res), "dataplane/%s", plane);
	f = fx_find(&w->fs, ctl, res);
	assert_non_null(f);
	return f;
}

static void
expect(struct world *w, const char *ctl, const char *plane,
    enum ra_status st, const char *detail_has)
{
	const struct ra_finding *f = get(w, ctl, plane);

	if (f->status != st)
		fail_msg("%s %s: %s, want %s (%s)", ctl, plane,
		    ra_status_name(f->status), ra_status_name(st),
		    f->detail ? f->detail : "");
	if (detail_has != NULL && (f->detail == NULL ||
	    strstr(f->detail, detail_has) == NULL))
		fail_msg("%s %s: detail \"%s\" lacks \"%s\"", ctl, plane,
		    f->detail ? f->detail : "", detail_has);
	assert_string_equal(f->jurisdiction, plane);
	assert_true(f->nevidence > 0);
}

static void
test_all_pass(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	world_run(&w);
	assert_int_equal(w.fs.n, 6);
	for (size_t i = 0; i < w.fs.n; i++)
		assert_int_equal(w.fs.v[i].status, RA_PASS);
	assert_string_equal(get(&w, "tenant-placement", "eu")->project_id,
	    "pid-eu");
	assert_string_equal(get(&w, "tenant-placement", "us")->project_name,
	    "p-us");
	world_free(&w);
}

/* One mutation of the compliant world and the finding it must change. */
struct mcase {
	const char *name;
	void (*mutate)(struct world *);
	const char *ctl, *plane;
	enum ra_status st;
	const char *detail;
};

static char *srv_stranger[] = { "h-eu-1:27017", "rogue:27017" };
static void m_stranger(struct world *w) { w->planes[0].servers = srv_stranger; }
static void m_srv(struct world *w) { w->planes[0].srv = "other.x.mongodb.net"; }
static void m_srv_ok(struct world *w) {
	w->planes[0].srv = "D-EU.x.mongodb.net";
	w->planes[0].nservers = 0;
}
static void m_region(struct world *w) {
	fx_rc(&w->m->projects[0].clusters[0], 0, "AWS", NULL, "US_EAST_1", 0,
	    0, 1, "M30");
}
static void m_unknown_region(struct world *w) {
	w->m->projects[0].clusters[0].specs[0].configs[0].region = "EU_MARS_9";
}
static void m_no_cluster(struct world *w) {
	w->m->projects[0].clusters[0].name = "other";
}
static void m_listing_bad(struct world *w) {
	w->m->projects[0].clusters[0].name = "other";
	w->m->projects[0].clusters_ev.status = RA_EV_FAILED;
	w->m->projects[0].clusters_ev.reason = "HTTP 500";
}
static void m_no_project(struct world *w) { w->m->projects[0].name = "zzz";
	w->m->projects[0].id = "zzz"; }
static void m_no_cs(struct world *w) {
	w->m->projects[0].clusters[0].cs_standard = NULL;
	w->m->projects[0].clusters[0].cs_standard_srv = NULL;
}
static char *ids_mixed[] = { "t1", "u1", "ghost" };
static void m_elsewhere(struct world *w) { colls_eu[0].ids = ids_mixed;
	colls_eu[0].nids = 3; }
static struct ra_dp_tenant reg_dup[] = {
	{ "t1", "eu" }, { "t1", "us" }, { "t2", "eu" }, { "u1", "us" }
};
static void m_dup(struct world *w) { w->dp.tenants = reg_dup; w->dp.ntenants = 4; }
static void m_trunc(struct world *w) { (void)w; colls_eu[0].truncated = 1; }
static void m_registry_bad(struct world *w) {
	w->dp.tenants_ev.status = RA_EV_FAILED;
	w->dp.tenants_ev.reason = "control plane unreachable";
}
static struct ra_dp_prefix pre_bad_eu[] = {
	{ "sv0_prod_eu_", 5, 0, 0, NULL, 0 },
	{ "sv0_prod_us_", 2, 1, 0, (char *[]){ "k1", "k2" }, 2 },
};
static void m_uskey(struct world *w) { w->planes[0].prefixes = pre_bad_eu;
	w->planes[0].nprefixes = 2; }
static struct ra_dp_prefix pre_legacy_us[] = {
	{ "sv0_prod_us_", 3, 0, 0, NULL, 0 },
	{ "sv0_prod_", 1, 1, 0, (char *[]){ "k-old" }, 1 },
};
static void m_legacy_us(struct world *w) { w->planes[1].prefixes =
	pre_legacy_us; w->planes[1].nprefixes = 2; }
static void m_missing(struct world *w) {
	static char *mids[] = { "k-nofield" };

	w->planes[0].missing = 1;
	w->planes[0].missing_ids = mids;
	w->planes[0].nmissing_ids = 1;
}
static void m_missing_and_bad(struct world *w) { m_missing(w); m_uskey(w); }
static void m_keys_bad(struct world *w) {
	w->planes[1].keys_ev.status = RA_EV_INVALID;
	w->planes[1].keys_ev.reason = "probe:keys record unreadable";
}

static const struct mcase mcases[] = {
	{ "stranger host", m_stranger, "data-plane-endpoint", "eu", RA_FAIL,
	  "rogue:27017" },
	{ "SRV mismatch", m_srv, "data-plane-endpoint", "eu", RA_FAIL,
	  "SRV name other.x.mongodb.net" },
	{ "SRV match, any case", m_srv_ok, "data-plane-endpoint", "eu",
	  RA_PASS, NULL },
	{ "node outside", m_region, "data-plane-endpoint", "eu", RA_FAIL,
	  "aws:us-east-1" },
	{ "unknown region", m_unknown_region, "data-plane-endpoint", "eu",
	  RA_ERROR, "EU_MARS_9" },
	{ "no such cluster", m_no_cluster, "data-plane-endpoint", "eu",
	  RA_FAIL, "does not exist" },
	{ "listing failed", m_listing_bad, "data-plane-endpoint", "eu",
	  RA_ERROR, "HTTP 500" },
	{ "no project", m_no_project, "data-plane-endpoint", "eu", RA_ERROR,
	  "not in the Atlas evidence" },
	{ "no connection strings", m_no_cs, "data-plane-endpoint", "eu",
	  RA_ERROR, "no connectionStrings" },
	{ "elsewhere", m_elsewhere, "tenant-placement", "eu", RA_FAIL,
	  "1 tenant(s) registered elsewhere: u1 (us); 1 tenant(s) not "
	  "registered: ghost" },
	{ "double registration", m_dup, "tenant-placement", "eu", RA_FAIL,
	  "t1 (eu, us)" },
	{ "truncated ids", m_trunc, "tenant-placement", "eu", RA_ERROR,
	  "more distinct tenant ids" },
	{ "registry unusable", m_registry_bad, "tenant-placement", "us",
	  RA_ERROR, "control plane unreachable" },
	{ "US key in EU", m_uskey, "connector-key-region", "eu", RA_FAIL,
	  "2 key(s) with prefix sv0_prod_us_ of plane us; key ids: k1, k2" },
	{ "legacy in US", m_legacy_us, "connector-key-region", "us", RA_FAIL,
	  "legacy key(s)" },
	{ "no prefix field", m_missing, "connector-key-region", "eu",
	  RA_ERROR, "k-nofield" },
	{ "FAIL wins over ERROR", m_missing_and_bad, "connector-key-region",
	  "eu", RA_FAIL, "also not judged" },
	{ "keys unusable", m_keys_bad, "connector-key-region", "us", RA_ERROR,
	  "unreadable" },
};

static void
test_mutations(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++) {
		const struct mcase *c = &mcases[i];
		struct world w;
		size_t nonpass = 0;

		world_init(&w);
		c->mutate(&w);
		world_run(&w);
		print_message("case %s\n", c->name);
		expect(&w, c->ctl, c->plane, c->st, c->detail);
		/* exactly that finding changed */
		for (size_t k = 0; k < w.fs.n; k++)
			if (w.fs.v[k].status != RA_PASS)
				nonpass++;
		/* the registry is shared: both planes ERROR without it */
		assert_int_equal(nonpass, c->st == RA_PASS ? 0 :
		    c->mutate == m_registry_bad ? 2 : 1);
		world_free(&w);
	}
	colls_eu[0].ids = ids_eu;
	colls_eu[0].nids = 2;
	colls_eu[0].truncated = 0;
}

static void
test_unreachable(void **state)
{
	struct world w;
	static const char *const ctls[] = { "data-plane-endpoint",
	    "tenant-placement", "connector-key-region" };

	(void)state;
	world_init(&w);
	w.planes[1].hello_ev.status = RA_EV_FAILED;
	w.planes[1].hello_ev.reason = "No suitable servers found";
	world_run(&w);
	for (size_t i = 0; i < 3; i++) {
		expect(&w, ctls[i], "us", RA_ERROR, "No suitable servers");
		expect(&w, ctls[i], "eu", RA_PASS, NULL);
	}
	world_free(&w);
}

static void
test_no_sections(void **state)
{
	struct ra_inventory *inv = NULL;
	struct ra_findings fs;
	struct ra_ctx ctx;
	char err[256];
	const char *t = "{\"orgId\":\"65f1c0a2e4b0d81a2c3e4f50\",\"jurisdictions\":{\"eu\":"
	    "{\"regions\":[\"@eu\"]}},\"projects\":[]}";

	(void)state;
	memset(&fs, 0, sizeof(fs));
	memset(&ctx, 0, sizeof(ctx));
	assert_int_equal(ra_inventory_parse(&inv, t, strlen(t), "i.json",
	    "/tmp", err, sizeof(err)), 0);
	ctx.inv = inv;
	ctx.model = fx_model("o1");
	ra_check_data_plane_endpoint(&ctx, &fs);
	ra_check_tenant_placement(&ctx, &fs);
	ra_check_connector_key_region(&ctx, &fs);
	assert_int_equal(fs.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(fs.v[i].status, RA_SKIPPED);
		assert_string_equal(fs.v[i].resource, "org");
		assert_null(fs.v[i].project_id);
		assert_string_equal(fs.v[i].detail,
		    "inventory has no dataPlanes section");
	}
	ra_findings_free(&fs);
	ra_inventory_free(inv);
	fx_free_all();
}

/* ---- reading records back ---- */

static void
put(const char *dir, unsigned seq, const char *ep, const char *plane,
    const char *outcome, const char *error, const char *body)
{
	struct ra_raw_record r;

	memset(&r, 0, sizeof(r));
	r.seq = seq;
	r.endpoint = (char *)(uintptr_t)ep;
	r.cluster = (char *)(uintptr_t)plane;
	r.method = "READ";
	r.url = "mongodb://***@h/#x";
	r.accept = "application/json";
	r.received_at = "2026-11-29T00:00:00Z";
	r.attempts = 1;
	r.outcome = (char *)(uintptr_t)outcome;
	r.error = (char *)(uintptr_t)error;
	r.list_complete = -1;
	assert_int_equal(ra_raw_write(dir, &r, body, body ? strlen(body) : 0),
	    0);
	free(r.body_file);
}

static void
test_load(void **state)
{
	char dir[] = "/tmp/ra-dp-test.XXXXXX", err[256];
	struct ra_inventory *inv = NULL;
	struct ra_model m;
	struct ra_dataplane *d = NULL;
	const struct ra_dp_tenant *t;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ra_inventory_parse(&inv, inv_text, strlen(inv_text),
	    "inv.json", "/tmp", err, sizeof(err)), 0);
	put(dir, 1, RA_PROBE_HELLO, "control", "ok", NULL,
	    "{\"result\":{\"hosts\":[],\"connected\":[\"c:1\"]}}");
	put(dir, 2, RA_PROBE_TENANTS, "control", "ok", NULL,
	    "{\"result\":{\"tenants\":[{\"tenant_id\":\"b\",\"region\":\"us\"},"
	    "{\"tenant_id\":\"a\",\"region\":\"eu\"},{\"tenant_id\":\"b\","
	    "\"region\":null},{\"region\":\"eu\"}]}}");
	put(dir, 3, RA_PROBE_HELLO, "eu", "ok", NULL,
	    "{\"srv\":null,\"uriHosts\":[\"s:1\"],\"result\":{\"hosts\":"
	    "[\"b:2\",\"s:1\"],\"me\":\"b:2\",\"connected\":[\"a:3\"]}}");
	put(dir, 4, RA_PROBE_TENANT_IDS, "eu", "ok", NULL, "{not json");
	put(dir, 5, RA_PROBE_KEYS, "eu", "ok", NULL,
	    "{\"result\":{\"total\":4,\"prefixes\":[{\"value\":\"x_\","
	    "\"count\":3,\"idsRecorded\":true,\"ids\":[\"k1\",7]}],"
	    "\"missing\":{\"count\":1,\"ids\":[\"k9\"]}}}");
	put(dir, 6, RA_PROBE_HELLO, "us", "transport-error",
	    "No suitable servers found", "{\"error\":\"x\",\"result\":null}");
	m.records = NULL;
	memset(&m, 0, sizeof(m));
	assert_int_equal(ra_raw_load(dir, &m.records, &m.nrecords, err,
	    sizeof(err)), 0);
	ra_dataplane_load(&d, dir, &m, inv);
	assert_non_null(d);
	assert_int_equal(d->tenants_ev.status, RA_EV_OK);
	assert_int_equal(d->ntenants, 3);	/* the one without an id dropped */
	assert_int_equal(ra_dataplane_tenant(d, "b", &t), 2);
	assert_int_equal(ra_dataplane_tenant(d, "a", &t), 1);
	assert_string_equal(t->region, "eu");
	assert_int_equal(ra_dataplane_tenant(d, "zz", &t), 0);
	assert_int_equal(d->planes[0].hello_ev.status, RA_EV_OK);
	assert_int_equal(d->planes[0].nservers, 3);
	assert_string_equal(d->planes[0].servers[0], "a:3");
	assert_string_equal(d->planes[0].servers[2], "s:1");
	assert_int_equal(d->planes[0].tenant_ids_ev.status, RA_EV_INVALID);
	assert_int_equal(d->planes[0].keys_ev.status, RA_EV_OK);
	assert_int_equal(d->planes[0].keys_total, 4);
	assert_int_equal(d->planes[0].prefixes[0].nids, 1);	/* 7 skipped */
	assert_int_equal(d->planes[0].missing, 1);
	assert_int_equal(d->planes[1].hello_ev.status, RA_EV_FAILED);
	assert_string_equal(d->planes[1].keys_ev.reason,
	    "No suitable servers found");
	assert_int_equal(d->planes[1].tenant_ids_ev.nrefs, 1);
	ra_dataplane_free(d);
	ra_dataplane_free(NULL);
	ra_raw_records_free(m.records, m.nrecords);
	ra_inventory_free(inv);
	assert_int_equal(ra_rm_rf(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_no_sections),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
