/*
 * test_ctl_project_data.c: the project-level controls on data locations
 * and logs: export-bucket-region, audit-log-local, online-archive-region,
 * data-federation-region, stream-processing-region, app-log-destination,
 * and the URL host parser they rely on. Hand-built models; hostile names
 * must reach findings verbatim.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "controls.h"
#include "ctl_project_common.h"
#include "model_fixture.h"
#include "ctl_project_fixture.h"

#define HOSTILE	"x|y\n<script>alert(1)</script>../../etc"

static struct ra_findings fs;

static int
teardown(void **state)
{
	(void)state;
	fx_reset(&fs);
	return 0;
}

/* One EU project p1 (and its scope) in a fresh model. */
static struct ra_project *
eu_project(struct ra_model **m, struct ra_scope *sc)
{
	struct ra_project *p;

	*m = fx_model("org-1");
	p = fx_project(*m, "p1", "proj-eu");
	*sc = fx_scope(p, "eu", RA_PLANE_DATA, EU, NEU);
	return p;
}

static void
run(ra_check_fn fn, const struct ra_model *m, const struct ra_scope *sc,
    size_t n)
{
	struct ra_ctx c = fx_ctx(m, fx_inv(), sc, n);

	fn(&c, &fs);
}

/* ---- export-bucket-region ------------------------------------------ */

#define EB	"export-bucket-region"

static void
test_export_buckets(void **state)
{
	struct ra_model *m;
	struct ra_scope sc;
	struct ra_project *p = eu_project(&m, &sc);
	const struct ra_finding *f;

	(void)state;
	fx_bucket(p, "b-eu", "AWS", "eu-west-1");
	fx_bucket(p, "b-us", "AWS", "us-east-1")->bucket_name = fx_str(HOSTILE);
	fx_bucket(p, "b-az", "AZURE", NULL);
	fx_bucket(p, "b-gcp", "GCP", NULL);
	fx_bucket(p, "b-mars", "AWS", "mars-north-1");
	fx_bucket(p, "b-enum", "AWS", "EU_WEST_1");	/* not native */
	fx_bucket(p, "b-noreg", "AWS", NULL);
	fx_bucket(p, "b-odd", "ORACLE", "x");
	run(ra_check_export_bucket_region, m, &sc, 1);
	assert_int_equal(fs.n, 8);
	f = FX_EXPECT(&fs, EB, "p1", "bucket/b-eu", RA_PASS);
	assert_string_equal(f->observed, "aws:eu-west-1");
	assert_string_equal(f->expected, "aws:eu-central-1, aws:eu-west-1, "
	    "aws:eu-west-2");
	assert_true(fx_has_ev(f, "raw/export-buckets.json"));
	f = FX_EXPECT(&fs, EB, "p1", "bucket/b-us", RA_FAIL);
	assert_string_equal(f->observed, "aws:us-east-1");
	FX_CONTAINS(f->detail, HOSTILE);
	f = FX_EXPECT(&fs, EB, "p1", "bucket/b-az", RA_FAIL);
	FX_CONTAINS(f->detail, "region cannot be established");
	f = FX_EXPECT(&fs, EB, "p1", "bucket/b-gcp", RA_FAIL);
	FX_CONTAINS(f->detail, "region cannot be established");
	f = FX_EXPECT(&fs, EB, "p1", "bucket/b-mars", RA_ERROR);
	FX_CONTAINS(f->detail, "unknown region \"mars-north-1\"");
	f = FX_EXPECT(&fs, EB, "p1", "bucket/b-enum", RA_ERROR);
	FX_CONTAINS(f->detail, "\"EU_WEST_1\"");
	FX_EXPECT(&fs, EB, "p1", "bucket/b-noreg", RA_ERROR);
	f = FX_EXPECT(&fs, EB, "p1", "bucket/b-odd", RA_ERROR);
	FX_CONTAINS(f->detail, "unknown cloudProvider \"ORACLE\"");
}

static void
test_export_buckets_none_and_unusable(void **state)
{
	struct ra_model *m;
	struct ra_scope sc[2];
	struct ra_project *p = eu_project(&m, &sc[0]);
	struct ra_project *p2 = fx_project(m, "p2", "two");
	const struct ra_finding *f;

	(void)state;
	(void)p;
	sc[1] = fx_scope(p2, "us", RA_PLANE_DATA, US, NUS);
	fx_ev(&p2->export_buckets_ev, RA_EV_PARTIAL, "page 2 lost",
	    "raw/00011.json");
	fx_bucket(p2, "b-us", "AWS", "us-east-1");
	run(ra_check_export_bucket_region, m, sc, 2);
	assert_int_equal(fs.n, 2);
	f = FX_EXPECT(&fs, EB, "p1", "project", RA_SKIPPED);
	FX_CONTAINS(f->detail, "no snapshot export buckets");
	f = FX_EXPECT(&fs, EB, "p2", "project", RA_ERROR);
	FX_CONTAINS(f->detail, "Snapshot export buckets: page 2 lost");
	assert_true(fx_has_ev(f, "raw/00011.json"));
}

/* ---- audit-log-local ----------------------------------------------- */

#define AL	"audit-log-local"

static struct ra_log_integration *
add_li(struct ra_project *p, const char *id, const char *type,
    const char *t1, const char *t2)
{
	struct ra_log_integration *l;

	if (p->log_integrations.v == NULL)
		p->log_integrations.v = fx_alloc(FX_CAP *
		    sizeof(*p->log_integrations.v));
	l = &p->log_integrations.v[p->log_integrations.n++];
	l->id = fx_str(id);
	l->type = fx_str(type);
	l->log_types = fx_alloc(2 * sizeof(*l->log_types));
	l->log_types[l->nlog_types++] = fx_str(t1);
	if (t2 != NULL)
		l->log_types[l->nlog_types++] = fx_str(t2);
	return l;
}

static const struct ra_finding *
audit_case(void (*setup)(struct ra_project *), enum ra_status want)
{
	struct ra_model *m;
	struct ra_scope sc;
	struct ra_project *p = eu_project(&m, &sc);
	const struct ra_finding *f;

	p->audit_log.enabled = 1;
	setup(p);
	run(ra_check_audit_log_local, m, &sc, 1);
	assert_int_equal(fs.n, 1);
	f = FX_EXPECT(&fs, AL, "p1", "project", want);
	return f;
}

static void
al_ok(struct ra_project *p)
{
	add_li(p, "li-1", "DATADOG_LOG_EXPORT", "MONGOD", "MONGOS");
}

static void
al_off(struct ra_project *p)
{
	p->audit_log.enabled = 0;
}

static void
al_unknown(struct ra_project *p)
{
	p->audit_log.enabled = RA_TRI_UNKNOWN;
}

static void
al_push_active(struct ra_project *p)
{
	fx_ev_ok(&p->push_export.ev, "push-log-export");
	p->push_export.state = fx_str("ACTIVE");
	p->push_export.bucket_name = fx_str("atlas-logs|<eu>");
}

static void
al_push_unconf(struct ra_project *p)
{
	fx_ev_ok(&p->push_export.ev, "push-log-export");
	p->push_export.state = fx_str("UNCONFIGURED");
}

static void
al_push_weird(struct ra_project *p)
{
	fx_ev_ok(&p->push_export.ev, "push-log-export");
	p->push_export.state = fx_str("PAUSED");
}

static void
al_s3_audit(struct ra_project *p)
{
	add_li(p, "li-s3", "S3_LOG_EXPORT", "MONGOD", "MONGOD_AUDIT");
}

static void
al_mongos_audit(struct ra_project *p)
{
	add_li(p, "li-otel", "OTEL_LOG_EXPORT", "MONGOS_AUDIT", NULL);
}

static void
al_unknown_type(struct ra_project *p)
{
	add_li(p, "li-x", "S3_LOG_EXPORT", "MONGOD_EVERYTHING", NULL);
}

static void
al_li_failed(struct ra_project *p)
{
	fx_ev(&p->log_integrations.ev, RA_EV_FAILED, "HTTP 403",
	    "raw/00020.json");
}

static void
al_fail_and_error(struct ra_project *p)
{
	p->audit_log.enabled = 0;
	fx_ev(&p->push_export.ev, RA_EV_INVALID, "not an object",
	    "raw/00021.json");
}

static void
test_audit_log(void **state)
{
	const struct ra_finding *f;

	(void)state;
	f = audit_case(al_ok, RA_PASS);
	FX_CONTAINS(f->observed, "auditing on, no push export, 1 log "
	    "integration(s)");
	assert_true(fx_has_ev(f, "raw/audit-log.json"));
	assert_true(fx_has_ev(f, "raw/push-log-export.json"));
	assert_true(fx_has_ev(f, "raw/log-integrations.json"));
	teardown(NULL);
	f = audit_case(al_off, RA_FAIL);
	FX_CONTAINS(f->detail, "database auditing is off");
	teardown(NULL);
	f = audit_case(al_unknown, RA_ERROR);
	FX_CONTAINS(f->detail, "\"enabled\" absent");
	teardown(NULL);
	f = audit_case(al_push_active, RA_FAIL);
	FX_CONTAINS(f->detail, "state ACTIVE, bucket atlas-logs|<eu>");
	teardown(NULL);
	audit_case(al_push_unconf, RA_PASS);
	teardown(NULL);
	f = audit_case(al_push_weird, RA_ERROR);
	FX_CONTAINS(f->detail, "unknown state \"PAUSED\"");
	teardown(NULL);
	f = audit_case(al_s3_audit, RA_FAIL);
	FX_CONTAINS(f->detail, "log integration S3_LOG_EXPORT li-s3 ships "
	    "MONGOD_AUDIT");
	teardown(NULL);
	f = audit_case(al_mongos_audit, RA_FAIL);
	FX_CONTAINS(f->detail, "OTEL_LOG_EXPORT li-otel ships MONGOS_AUDIT");
	teardown(NULL);
	f = audit_case(al_unknown_type, RA_ERROR);
	FX_CONTAINS(f->detail, "unknown log type \"MONGOD_EVERYTHING\"");
	teardown(NULL);
	f = audit_case(al_li_failed, RA_ERROR);
	FX_CONTAINS(f->detail, "Log integrations: HTTP 403");
	assert_true(fx_has_ev(f, "raw/00020.json"));
	teardown(NULL);
	f = audit_case(al_fail_and_error, RA_FAIL);
	FX_CONTAINS(f->detail, "database auditing is off; also not judged: "
	    "Push-based log export: not an object");
}

/* ---- online-archive-region ----------------------------------------- */

#define OA	"online-archive-region"

static void
add_archive(struct ra_cluster *c, const char *id, const char *prov,
    const char *region)
{
	struct ra_online_archive *a = &c->archives.v[c->archives.n++];

	a->id = fx_str(id);
	a->db_name = fx_str("db");
	a->coll_name = fx_str("coll");
	a->dp_provider = fx_str(prov);
	a->dp_region = fx_str(region);
}

static void
test_online_archive(void **state)
{
	struct ra_model *m;
	struct ra_scope sc;
	struct ra_project *p = eu_project(&m, &sc);
	struct ra_cluster *c1, *c2;
	const struct ra_finding *f;

	(void)state;
	c1 = fx_dedicated(p, "c1");
	add_archive(c1, "a-eu", "AWS", "EU_WEST_1");
	add_archive(c1, "a-us", "AWS", "US_EAST_1");
	add_archive(c1, "a-unk", "AWS", "EU_WEST_9");
	add_archive(c1, "a-gcp", "GCP", "WESTERN_EUROPE");
	c2 = fx_dedicated(p, HOSTILE);
	fx_ev(&c2->archives.ev, RA_EV_FAILED, "HTTP 500", "raw/00030.json");
	fx_backed(p, RA_CLUSTER_FLEX, "flex0", "AWS", "US_EAST_1");
	run(ra_check_online_archive_region, m, &sc, 1);
	assert_int_equal(fs.n, 5);
	f = FX_EXPECT(&fs, OA, "p1", "archive/a-eu", RA_PASS);
	assert_string_equal(f->observed, "aws:eu-west-1");
	assert_true(fx_has_ev(f, "raw/online-archives-c1.json"));
	FX_EXPECT(&fs, OA, "p1", "archive/a-us", RA_FAIL);
	FX_EXPECT(&fs, OA, "p1", "archive/a-gcp", RA_FAIL);
	f = FX_EXPECT(&fs, OA, "p1", "archive/a-unk", RA_ERROR);
	FX_CONTAINS(f->detail, "\"EU_WEST_9\"");
	f = FX_EXPECT(&fs, OA, "p1", "cluster/" HOSTILE, RA_ERROR);
	FX_CONTAINS(f->detail, "HTTP 500");
	assert_null(fx_find(&fs, OA, "project"));
}

static void
test_online_archive_none(void **state)
{
	struct ra_model *m;
	struct ra_scope sc[2];
	struct ra_project *p = eu_project(&m, &sc[0]);
	struct ra_project *p2 = fx_project(m, "p2", "two");
	struct ra_cluster *c;
	const struct ra_finding *f;

	(void)state;
	fx_dedicated(p, "c1");
	sc[1] = fx_scope(p2, "eu", RA_PLANE_DATA, EU, NEU);
	c = fx_dedicated(p2, "c2");
	fx_ev(&c->archives.ev, RA_EV_PARTIAL, "page lost", NULL);
	run(ra_check_online_archive_region, m, sc, 2);
	assert_int_equal(fs.n, 2);
	f = FX_EXPECT(&fs, OA, "p1", "project", RA_SKIPPED);
	FX_CONTAINS(f->detail, "no online archives");
	/* an unusable archive listing is never SKIPPED */
	FX_EXPECT(&fs, OA, "p2", "cluster/c2", RA_ERROR);
	teardown(NULL);

	p = eu_project(&m, &sc[0]);
	fx_ev(&p->clusters_ev, RA_EV_FAILED, "HTTP 401", NULL);
	run(ra_check_online_archive_region, m, sc, 1);
	FX_EXPECT(&fs, OA, "p1", "project", RA_ERROR);
}

/* ---- data-federation-region ---------------------------------------- */

#define DF	"data-federation-region"

static void
add_fed(struct ra_project *p, const char *name, const char *prov,
    const char *region)
{
	struct ra_federation *f;

	if (p->federations.v == NULL)
		p->federations.v = fx_alloc(FX_CAP * sizeof(*p->federations.v));
	f = &p->federations.v[p->federations.n++];
	f->name = fx_str(name);
	f->has_dp_region = prov != NULL || region != NULL;
	f->dp.provider = fx_str(prov);
	f->dp.region = fx_str(region);
}

static void
test_federation(void **state)
{
	struct ra_model *m;
	struct ra_scope sc;
	struct ra_project *p = eu_project(&m, &sc);
	const struct ra_finding *f;

	(void)state;
	add_fed(p, "f-eu", "AWS", "DUBLIN_IRL");
	add_fed(p, "f-fra", "AWS", "FRANKFURT_DEU");
	add_fed(p, "f-us", "AWS", "VIRGINIA_USA");
	add_fed(p, HOSTILE, NULL, NULL);
	add_fed(p, "f-unk", "AWS", "ATLANTIS_ATL");
	add_fed(p, "f-az", "AZURE", "AMSTERDAM_NLD");
	run(ra_check_data_federation_region, m, &sc, 1);
	assert_int_equal(fs.n, 6);
	f = FX_EXPECT(&fs, DF, "p1", "federation/f-eu", RA_PASS);
	assert_string_equal(f->observed, "aws:eu-west-1");
	assert_true(fx_has_ev(f, "raw/data-federation.json"));
	FX_EXPECT(&fs, DF, "p1", "federation/f-fra", RA_PASS);
	f = FX_EXPECT(&fs, DF, "p1", "federation/f-us", RA_FAIL);
	assert_string_equal(f->observed, "aws:us-east-1");
	f = FX_EXPECT(&fs, DF, "p1", "federation/" HOSTILE, RA_FAIL);
	assert_string_equal(f->detail, "dataProcessRegion is null: queries "
	    "may run in any region");
	f = FX_EXPECT(&fs, DF, "p1", "federation/f-unk", RA_ERROR);
	FX_CONTAINS(f->detail, "\"ATLANTIS_ATL\"");
	/* azure:westeurope is not in the EU allowed set of this test */
	f = FX_EXPECT(&fs, DF, "p1", "federation/f-az", RA_FAIL);
	assert_string_equal(f->observed, "azure:westeurope");
}

static void
test_federation_none_and_unusable(void **state)
{
	struct ra_model *m;
	struct ra_scope sc[2];
	struct ra_project *p2;
	const struct ra_finding *f;

	(void)state;
	eu_project(&m, &sc[0]);
	p2 = fx_project(m, "p2", "two");
	sc[1] = fx_scope(p2, "eu", RA_PLANE_DATA, EU, NEU);
	fx_ev(&p2->federations.ev, RA_EV_INVALID, "not an array", NULL);
	add_fed(p2, "f-eu", "AWS", "DUBLIN_IRL");
	run(ra_check_data_federation_region, m, sc, 2);
	assert_int_equal(fs.n, 2);
	FX_EXPECT(&fs, DF, "p1", "project", RA_SKIPPED);
	f = FX_EXPECT(&fs, DF, "p2", "project", RA_ERROR);
	FX_CONTAINS(f->detail, "Data Federation: not an array");
}

/* ---- stream-processing-region -------------------------------------- */

#define SP	"stream-processing-region"

static struct ra_stream *
add_stream(struct ra_project *p, const char *name, const char *prov,
    const char *region)
{
	struct ra_stream *s;

	if (p->streams.v == NULL)
		p->streams.v = fx_alloc(FX_CAP * sizeof(*p->streams.v));
	s = &p->streams.v[p->streams.n++];
	s->name = fx_str(name);
	s->has_dp_region = prov != NULL;
	s->dp.provider = fx_str(prov);
	s->dp.region = fx_str(region);
	s->failover = fx_alloc(FX_CAP * sizeof(*s->failover));
	return s;
}

static void
add_failover(struct ra_stream *s, const char *prov, const char *region)
{
	s->failover[s->nfailover].provider = fx_str(prov);
	s->failover[s->nfailover].region = fx_str(region);
	s->nfailover++;
}

static void
test_streams(void **state)
{
	struct ra_model *m;
	struct ra_scope sc;
	struct ra_project *p = eu_project(&m, &sc);
	struct ra_stream *s;
	const struct ra_finding *f;

	(void)state;
	s = add_stream(p, "s-ok", "AWS", "DUBLIN_IRL");
	add_failover(s, "AWS", "FRANKFURT_DEU");
	s = add_stream(p, "s-fo-us", "AWS", "DUBLIN_IRL");
	add_failover(s, "AWS", "VIRGINIA_USA");
	add_stream(p, HOSTILE, NULL, NULL);
	s = add_stream(p, "s-unk", "AWS", "DUBLIN_IRL");
	add_failover(s, "AWS", "NOWHERE");
	add_stream(p, "s-tenant", "TENANT", "DUBLIN_IRL");
	s = add_stream(p, "s-us-unk", "AWS", "VIRGINIA_USA");
	add_failover(s, "AWS", "NOWHERE");
	run(ra_check_stream_processing_region, m, &sc, 1);
	assert_int_equal(fs.n, 6);
	f = FX_EXPECT(&fs, SP, "p1", "stream/s-ok", RA_PASS);
	assert_string_equal(f->observed, "processing aws:eu-west-1, failover "
	    "aws:eu-central-1");
	assert_true(fx_has_ev(f, "raw/streams.json"));
	f = FX_EXPECT(&fs, SP, "p1", "stream/s-fo-us", RA_FAIL);
	FX_CONTAINS(f->detail, "failover aws:us-east-1");
	f = FX_EXPECT(&fs, SP, "p1", "stream/" HOSTILE, RA_FAIL);
	FX_CONTAINS(f->detail, "dataProcessRegion is null");
	f = FX_EXPECT(&fs, SP, "p1", "stream/s-unk", RA_ERROR);
	FX_CONTAINS(f->detail, "\"NOWHERE\"");
	f = FX_EXPECT(&fs, SP, "p1", "stream/s-tenant", RA_ERROR);
	FX_CONTAINS(f->detail, "unknown provider \"TENANT\"");
	/* a known region outside wins over an unknown one */
	FX_EXPECT(&fs, SP, "p1", "stream/s-us-unk", RA_FAIL);
}

static void
test_streams_azure_gcp(void **state)
{
	static const char *const wide[] = {
		"azure:westeurope", "gcp:europe-west1"
	};
	struct ra_model *m = fx_model("org-1");
	struct ra_project *p = fx_project(m, "p1", "x");
	struct ra_scope sc = fx_scope(p, "eu", RA_PLANE_DATA, wide, 2);
	struct ra_stream *s;

	(void)state;
	s = add_stream(p, "s-az", "AZURE", "westeurope");
	add_failover(s, "GCP", "EUROPE_WEST1");
	run(ra_check_stream_processing_region, m, &sc, 1);
	FX_EXPECT(&fs, SP, "p1", "stream/s-az", RA_PASS);
}

static void
test_streams_none_and_unusable(void **state)
{
	struct ra_model *m;
	struct ra_scope sc[2];
	struct ra_project *p2;

	(void)state;
	eu_project(&m, &sc[0]);
	p2 = fx_project(m, "p2", "two");
	sc[1] = fx_scope(p2, "eu", RA_PLANE_DATA, EU, NEU);
	fx_ev(&p2->streams.ev, RA_EV_FAILED, "HTTP 403", NULL);
	run(ra_check_stream_processing_region, m, sc, 2);
	assert_int_equal(fs.n, 2);
	FX_EXPECT(&fs, SP, "p1", "project", RA_SKIPPED);
	FX_EXPECT(&fs, SP, "p2", "project", RA_ERROR);
}

/* ---- app-log-destination ------------------------------------------- */

#define AD	"app-log-destination"

struct env_row {
	const char	*name;
	const char	*jurisdiction;
	enum ra_ev_status st;
	const char	*value;
	enum ra_status	 want;
	const char	*detail;	/* fragment */
};

static const struct env_row env_rows[] = {
	{ "eu-ok", "eu", RA_EV_OK,
	  "https://logs-prod-eu-west-0.grafana.net/loki/api/v1/push",
	  RA_PASS, "points at a log endpoint of eu" },
	{ "eu-userinfo", "eu", RA_EV_OK,
	  "https://123:***@LOGS-PROD-EU-WEST-0.Grafana.NET:443/x?y#z",
	  RA_PASS, "points at a log endpoint" },
	{ "eu-to-us", "eu", RA_EV_OK,
	  "https://logs-prod-us-central1.grafana.net/loki/api/v1/push",
	  RA_FAIL, "points at logs-prod-us-central1.grafana.net, not" },
	{ "eu-evil", "eu", RA_EV_OK,
	  "https://logs-prod-eu-west-0.grafana.net.evil.com",
	  RA_FAIL, "logs-prod-eu-west-0.grafana.net.evil.com" },
	{ "eu-userinfo-trick", "eu", RA_EV_OK,
	  "https://logs-prod-eu-west-0.grafana.net@evil.com/",
	  RA_FAIL, "points at evil.com" },
	{ "eu-prefix", "eu", RA_EV_OK,
	  "https://evil-logs-prod-eu-west-0.grafana.net/",
	  RA_FAIL, "evil-logs-prod" },
	{ "eu-not-url", "eu", RA_EV_OK, "logs-prod-eu-west-0.grafana.net",
	  RA_FAIL, "is not a URL" },
	{ "eu-missing", "eu", RA_EV_OK, NULL, RA_FAIL,
	  "does not assign GRAFANA_LOKI_URL" },
	{ "eu-unreadable", "eu", RA_EV_FAILED, NULL, RA_ERROR,
	  "cannot read" },
	{ "eu-malformed", "eu", RA_EV_INVALID, NULL, RA_ERROR,
	  "cannot read" },
	{ "us-ok", "us", RA_EV_OK, "https://logs-prod-us-central1.grafana.net",
	  RA_PASS, "log endpoint of us" },
	{ "jp-none", "jp", RA_EV_OK, "https://logs.example.jp/",
	  RA_FAIL, "no logEndpoints declared for jp" },
	{ HOSTILE, "us", RA_EV_OK, "https://h/", RA_FAIL, "points at h," },
};

static void
test_app_log(void **state)
{
	size_t n = sizeof(env_rows) / sizeof(env_rows[0]);
	struct ra_inventory *inv = fx_inv();
	struct ra_model *m = fx_model("org-1");
	struct ra_local_env *envs = fx_alloc(n * sizeof(*envs));
	struct ra_ctx c;

	(void)state;
	fx_inv_logs(inv, "eu", "logs-prod-eu-west-0.grafana.net");
	fx_inv_logs(inv, "us", "logs-prod-us-central1.grafana.net");
	for (size_t i = 0; i < n; i++) {
		const struct env_row *r = &env_rows[i];
		char file[64];

		envs[i].deployment = fx_inv_deployment(inv, r->name,
		    r->jurisdiction, "deploy/api.env", "GRAFANA_LOKI_URL");
		snprintf(file, sizeof(file), "raw/env-%zu.json", i);
		fx_ev(&envs[i].ev, r->st, r->st == RA_EV_OK ? NULL :
		    "deploy/api.env: cannot read", file);
		envs[i].value = fx_str(r->value);
	}
	c = fx_ctx(m, inv, NULL, 0);
	c.envs = envs;
	c.nenvs = n;
	ra_check_app_log_destination(&c, &fs);
	assert_int_equal(fs.n, n);
	for (size_t i = 0; i < n; i++) {
		const struct env_row *r = &env_rows[i];
		const struct ra_finding *f;
		char res[128], file[64];

		snprintf(res, sizeof(res), "deployment/%s", r->name);
		snprintf(file, sizeof(file), "raw/env-%zu.json", i);
		f = fx_find(&fs, AD, res);
		if (f == NULL)
			fail_msg("row %zu: no finding", i);
		if (f->status != r->want)
			fail_msg("row %zu: %s, want %s (%s)", i,
			    ra_status_name(f->status), ra_status_name(r->want),
			    f->detail);
		FX_CONTAINS(f->detail, r->detail);
		assert_string_equal(f->jurisdiction, r->jurisdiction);
		assert_null(f->project_id);
		assert_true(fx_has_ev(f, file));
	}
}

static void
test_app_log_none(void **state)
{
	struct ra_model *m = fx_model("org-1");
	struct ra_ctx c;
	const struct ra_finding *f;

	(void)state;
	c = fx_ctx(m, fx_inv(), NULL, 0);
	ra_check_app_log_destination(&c, &fs);
	assert_int_equal(fs.n, 1);
	f = FX_EXPECT(&fs, AD, NULL, "org", RA_SKIPPED);
	assert_null(f->jurisdiction);
}

/* ---- URL host ------------------------------------------------------ */

static void
test_url_host(void **state)
{
	static const struct {
		const char *url;
		const char *host;	/* NULL: rejected */
	} rows[] = {
		{ "https://a.example/x", "a.example" },
		{ "https://a.example", "a.example" },
		{ "https://a.example:8443", "a.example" },
		{ "https://a.example:", "a.example" },
		{ "https://u:p@a.example/", "a.example" },
		{ "https://u@x@a.example/", "a.example" },
		{ "https://a.example?q=@b", "a.example" },
		{ "https://a.example#@b", "a.example" },
		{ "http+unix://a.example/", "a.example" },
		{ "https://[::1]:3100/x", "[::1]" },
		{ "https://[::1", NULL },
		{ "https://a.example:80x/", NULL },
		{ "https://", NULL },
		{ "https:///path", NULL },
		{ "https://u@/", NULL },
		{ "a.example/x", NULL },
		{ "://a.example", NULL },
		{ "1http://a.example", NULL },
		{ "", NULL },
	};
	char host[64];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc = ra_ctlp_url_host(rows[i].url, host, sizeof(host));

		if (rows[i].host == NULL) {
			if (rc != -1)
				fail_msg("%s: accepted (%s)", rows[i].url, host);
			continue;
		}
		if (rc != 0 || strcmp(host, rows[i].host) != 0)
			fail_msg("%s: rc %d host [%s]", rows[i].url, rc, host);
	}
	/* a host longer than the buffer is rejected, not truncated */
	assert_int_equal(ra_ctlp_url_host("https://abcdefghij.example/", host,
	    8), -1);
	assert_int_equal(ra_ctlp_url_host(NULL, host, sizeof(host)), -1);
}

static void
test_witness(void **state)
{
	char *w;

	(void)state;
	w = ra_ctlp_witness("aws:eu-west-1,aws:us-east-1");
	assert_string_equal(w, "aws:eu-west-1, aws:us-east-1");
	free(w);
	w = ra_ctlp_witness(" aws:a , aws:b,");
	assert_string_equal(w, "aws:a, aws:b");
	free(w);
	w = ra_ctlp_witness(NULL);
	assert_string_equal(w, "(none)");
	free(w);
	w = ra_ctlp_witness(",,");
	assert_string_equal(w, "(none)");
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_export_buckets, teardown),
		cmocka_unit_test_teardown(test_export_buckets_none_and_unusable,
		    teardown),
		cmocka_unit_test_teardown(test_audit_log, teardown),
		cmocka_unit_test_teardown(test_online_archive, teardown),
		cmocka_unit_test_teardown(test_online_archive_none, teardown),
		cmocka_unit_test_teardown(test_federation, teardown),
		cmocka_unit_test_teardown(test_federation_none_and_unusable,
		    teardown),
		cmocka_unit_test_teardown(test_streams, teardown),
		cmocka_unit_test_teardown(test_streams_azure_gcp, teardown),
		cmocka_unit_test_teardown(test_streams_none_and_unusable,
		    teardown),
		cmocka_unit_test_teardown(test_app_log, teardown),
		cmocka_unit_test_teardown(test_app_log_none, teardown),
		cmocka_unit_test_teardown(test_url_host, teardown),
		cmocka_unit_test_teardown(test_witness, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
