/*
 * sim_main.c: atlas-sim, a local Atlas Admin API v2 for tests, the demo
 * and the benchmark. Options and the world format: docs/SIMULATOR.md.
 * Listens on loopback unless told otherwise; the chosen port is written
 * to --port-file only once the socket listens; SIGTERM/SIGINT stop it.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "endpoints.h"
#include "log.h"
#include "util.h"
#include "sim.h"

struct sim sim;
volatile sig_atomic_t sim_stopping;

static void
on_signal(int sig)
{
	(void)sig;
	sim_stopping = 1;
}

static void
usage(FILE *f)
{
	fputs("usage: atlas-sim --world FILE [--host 127.0.0.1] [--port N|0]\n"
	    "         [--port-file F] [--tls-cert PEM --tls-key PEM]\n"
	    "         [--latency-ms N] [--token-ttl SECONDS] [--log FILE]\n"
	    "         [--digest-alg md5|sha256]\n"
	    "         [--synth PROJECTS:CLUSTERS [--synth-inventory FILE]]\n"
	    "       atlas-sim --list-endpoints\n", f);
}

static int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
write_port_file(const char *path, unsigned port)
{
	char *tmp = ra_asprintf("%s.tmp", path), line[16];
	int rc = -1;

	snprintf(line, sizeof(line), "%u\n", port);
	if (ra_file_write(tmp, line, strlen(line)) == -1 ||
	    rename(tmp, path) == -1) {
		fprintf(stderr, "atlas-sim: %s: cannot write the port\n", path);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int
main(int argc, char *argv[])
{
	const char *world = NULL, *host = "127.0.0.1", *port_file = NULL;
	const char *cert = NULL, *key = NULL, *logf = NULL, *synth = NULL;
	const char *synth_inv = NULL;
	char *cert_pem = NULL, *key_pem = NULL;
	long port = 0, v, np = 0, nc = 0;
	size_t len;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *di;
	struct sigaction sa;
	sigset_t stop, old;
	int rc = 1;

	sim.token_ttl = 3600;
	pthread_mutex_init(&sim.lock, NULL);
	sim.t0 = sim_now();
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
			usage(stdout);
			rc = 0;
			goto out;
		}
		if (strcmp(o, "--list-endpoints") == 0) {
			/* id, scope, path template, version: for the tests */
			for (size_t k = 0; k < ra_nendpoints; k++)
				printf("%s\t%s\t/api/atlas/v2%s\t%s\n",
				    ra_endpoints[k].id,
				    ra_endpoints[k].scope == RA_SCOPE_ORG ? "org" :
				    ra_endpoints[k].scope == RA_SCOPE_PROJECT ?
				    "project" : "cluster", ra_endpoints[k].path,
				    ra_endpoints[k].version);
			rc = 0;
			goto out;
		}
		if (a == NULL) {
			fprintf(stderr, "atlas-sim: %s: missing value\n", o);
			usage(stderr);
			rc = 2;
			goto out;
		}
		i++;
		if (strcmp(o, "--world") == 0)
			world = a;
		else if (strcmp(o, "--host") == 0)
			host = a;
		else if (strcmp(o, "--port") == 0) {
			if (parse_long(a, 0, 65535, &port) == -1)
				goto bad;
		} else if (strcmp(o, "--port-file") == 0)
			port_file = a;
		else if (strcmp(o, "--tls-cert") == 0)
			cert = a;
		else if (strcmp(o, "--tls-key") == 0)
			key = a;
		else if (strcmp(o, "--latency-ms") == 0) {
			if (parse_long(a, 0, 3600000, &v) == -1)
				goto bad;
			sim.latency_ms = v;
		} else if (strcmp(o, "--token-ttl") == 0) {
			if (parse_long(a, 1, 86400 * 365, &v) == -1)
				goto bad;
			sim.token_ttl = v;
		} else if (strcmp(o, "--log") == 0)
			logf = a;
		else if (strcmp(o, "--digest-alg") == 0) {
			if (strcmp(a, "sha256") == 0)
				sim.digest_sha256 = 1;
			else if (strcmp(a, "md5") != 0)
				goto bad;
		} else if (strcmp(o, "--synth") == 0) {
			char *colon = strchr(a, ':'), *p;

			synth = a;
			if (colon == NULL)
				goto bad;
			p = ra_strdup(a);
			p[colon - a] = '\0';
			if (parse_long(p, 0, 100000, &np) == -1 ||
			    parse_long(p + (colon - a) + 1, 0, 1000, &nc) == -1) {
				free(p);
				goto bad;
			}
			free(p);
		} else if (strcmp(o, "--synth-inventory") == 0)
			synth_inv = a;
		else {
			fprintf(stderr, "atlas-sim: %s: unknown option\n", o);
			usage(stderr);
			rc = 2;
			goto out;
		}
		continue;
bad:
		fprintf(stderr, "atlas-sim: %s: bad value \"%s\"\n", o, a);
		rc = 2;
		goto out;
	}
	if (world == NULL && synth == NULL) {
		usage(stderr);
		rc = 2;
		goto out;
	}
	if ((cert == NULL) != (key == NULL)) {
		fprintf(stderr, "atlas-sim: --tls-cert and --tls-key go "
		    "together\n");
		rc = 2;
		goto out;
	}
	if (logf != NULL && (sim.log = fopen(logf, "a")) == NULL) {
		fprintf(stderr, "atlas-sim: %s: %s\n", logf, strerror(errno));
		goto out;
	}
	if (world != NULL && sim_world_load(world) == -1)
		goto out;
	if (synth != NULL && sim_world_synth(np, nc) == -1)
		goto out;
	if (synth_inv != NULL && sim_world_write_inventory(synth_inv) == -1)
		goto out;
	if (cert != NULL) {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			fprintf(stderr, "atlas-sim: libmicrohttpd lacks TLS\n");
			goto out;
		}
		if (ra_file_read(&cert_pem, &len, cert, 1 << 20) == -1 ||
		    ra_file_read(&key_pem, &len, key, 1 << 20) == -1) {
			fprintf(stderr, "atlas-sim: cannot read the TLS "
			    "certificate or key\n");
			goto out;
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/*
	 * SIGTERM/SIGINT stay blocked in every thread (MHD's inherit this
	 * mask) and are taken only in sigsuspend() below. Otherwise one
	 * could land on an MHD thread, set sim_stopping and leave the main
	 * thread in pause() for good (a test's teardown then hung in
	 * waitpid), or arrive between the test of sim_stopping and pause().
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	sigdelset(&old, SIGTERM);
	sigdelset(&old, SIGINT);

	d = sim_serve_start(host, (unsigned short)port, cert_pem, key_pem);
	if (d == NULL) {
		fprintf(stderr, "atlas-sim: cannot listen on %s:%ld\n", host,
		    port);
		goto out;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (di == NULL || di->port == 0) {
		fprintf(stderr, "atlas-sim: cannot learn the bound port\n");
		goto out;
	}
	if (port_file != NULL && write_port_file(port_file, di->port) == -1)
		goto out;
	fprintf(stderr, "atlas-sim: listening on %s://%s:%u\n",
	    cert ? "https" : "http", host, (unsigned)di->port);
	while (!sim_stopping)
		sigsuspend(&old);
	rc = 0;
out:
	sim_stopping = 1;
	if (d != NULL)
		MHD_stop_daemon(d);
	if (sim.log != NULL)
		fclose(sim.log);
	free(cert_pem);
	free(key_pem);
	sim_state_free();
	sim_world_free();
	return rc;
}
