/*
 * render.c: `residency-audit render`, see render.h. Reads the template
 * and the JSON document whole (bounded), renders them through
 * mustache.c with partials from the template's directory, and writes
 * the result in one piece so a failed render prints nothing to stdout.
 * A partial that does not exist renders empty, as the Mustache spec says
 * (with a warning on stderr); an unsafe name or an unreadable file is an
 * error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "jsonutil.h"
#include "log.h"
#include "mustache.h"
#include "render.h"
#include "util.h"

#define RENDER_MAX_TEMPLATE	((size_t)16 << 20)
#define RENDER_MAX_JSON		((size_t)256 << 20)

static const char render_usage[] =
"usage: residency-audit render --template FILE [--escape html|markdown]\n"
"                              REPORT.json\n"
"  Renders the Mustache template FILE against any JSON document (\"-\"\n"
"  reads stdin) and writes exactly the rendering to stdout. A partial\n"
"  {{> name}} is read from name.mustache next to FILE (empty when\n"
"  there is none, as the Mustache spec says). --escape picks\n"
"  what {{name}} escapes: html (default, the Mustache specification) or\n"
"  markdown (HTML plus Markdown-table safety).\n";

/* The partial loader's state: where partials live, why one failed. */
struct loader {
	const char	*dir;
	char		 reason[512];
};

static int
load_partial(void *ud, const char *name, char **text, size_t *len)
{
	struct loader *l = ud;
	char clean[128];
	char *path = NULL;
	int rc = -1;

	ra_sanitize_text(name, clean, sizeof(clean));
	if (!ra_is_safe_component(name)) {
		snprintf(l->reason, sizeof(l->reason), "partial name '%s' is "
		    "not a safe file name ([A-Za-z0-9._-], not . or ..)",
		    clean);
		goto out;
	}
	path = ra_asprintf("%s/%s.mustache", l->dir, name);
	if (ra_file_read(text, len, path, RENDER_MAX_TEMPLATE) != 0) {
		ra_sanitize_text(path, clean, sizeof(clean));
		if (errno == ENOENT) {
			/* Mustache spec (partials, "Failed Lookup"): a partial
			 * that is not found renders as the empty string; the
			 * output stays exactly the rendering (CONTRACT §1). */
			ra_warn("%s: partial not found, rendered empty",
			    clean);
			rc = 1;
			goto out;
		}
		snprintf(l->reason, sizeof(l->reason), "%s: %s", clean,
		    errno != 0 ? strerror(errno) : "cannot read");
		goto out;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

/* Reads all of stdin, at most max bytes, NUL-terminated. */
static int
read_stdin(char **out, size_t *outlen, size_t max)
{
	struct ra_buf b;
	char chunk[65536];
	size_t n;
	int rc = -1;

	ra_buf_init(&b, max);
	*out = NULL;
	*outlen = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (ra_buf_add(&b, chunk, n) != 0) {
			errno = EFBIG;
			goto out;
		}
	if (ferror(stdin)) {
		errno = EIO;
		goto out;
	}
	*outlen = b.len;
	*out = b.len > 0 ? ra_buf_steal(&b) : ra_strdup("");
	rc = 0;
out:
	ra_buf_free(&b);
	return rc;
}

/* The directory part of path ("." when it has none); malloc'd. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (slash == NULL)
		return ra_strdup(".");
	if (slash == path)
		return ra_strdup("/");
	d = ra_malloc((size_t)(slash - path) + 1);
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return d;
}

/* Takes the value of --opt VALUE or --opt=VALUE; NULL if not this opt. */
static const char *
opt_value(int argc, char **argv, int *i, const char *opt, int *missing)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

int
ra_render_main(int argc, char **argv)
{
	struct ra_mustache_opts opts;
	struct loader ld;
	struct ra_buf out;
	const char *tpath = NULL, *jpath = NULL, *v;
	char *tmpl = NULL, *json = NULL, *dir = NULL;
	char tname[256], jname[256], err[512];
	size_t tlen = 0, jlen = 0;
	cJSON *data = NULL;
	int rc = RA_EXIT_USAGE, dashdash = 0;

	memset(&opts, 0, sizeof(opts));
	memset(&ld, 0, sizeof(ld));
	ra_buf_init(&out, 0);
	for (int i = 1; i < argc; i++) {
		int missing = 0;

		if (!dashdash && strcmp(argv[i], "--") == 0) {
			dashdash = 1;
		} else if (!dashdash && (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)) {
			fputs(render_usage, stdout);
			rc = fflush(stdout) == 0 ? RA_EXIT_OK : RA_EXIT_RUNTIME;
			goto out;
		} else if (!dashdash && (v = opt_value(argc, argv, &i,
		    "--template", &missing)) != NULL) {
			tpath = v;
		} else if (!dashdash && (v = opt_value(argc, argv, &i,
		    "--escape", &missing)) != NULL) {
			if (strcmp(v, "html") == 0)
				opts.escape = RA_ESCAPE_HTML;
			else if (strcmp(v, "markdown") == 0)
				opts.escape = RA_ESCAPE_MARKDOWN;
			else {
				ra_sanitize_text(v, tname, sizeof(tname));
				ra_error("render: --escape: unknown mode '%s' "
				    "(html or markdown)", tname);
				goto out;
			}
		} else if (missing) {
			ra_error("render: %s needs a value", argv[i]);
			goto out;
		} else if (!dashdash && argv[i][0] == '-' &&
		    argv[i][1] != '\0') {
			ra_sanitize_text(argv[i], tname, sizeof(tname));
			ra_error("render: unknown option '%s'", tname);
			fputs(render_usage, stderr);
			goto out;
		} else if (jpath != NULL) {
			ra_error("render: more than one JSON document given");
			goto out;
		} else {
			jpath = argv[i];
		}
	}
	if (tpath == NULL || jpath == NULL) {
		ra_error("render: %s", tpath == NULL ? "--template FILE is "
		    "required" : "a JSON document (or -) is required");
		fputs(render_usage, stderr);
		goto out;
	}
	ra_sanitize_text(tpath, tname, sizeof(tname));
	ra_sanitize_text(jpath, jname, sizeof(jname));

	if (ra_file_read(&tmpl, &tlen, tpath, RENDER_MAX_TEMPLATE) != 0) {
		ra_error("%s: cannot read template: %s", tname,
		    strerror(errno));
		goto out;
	}
	if ((strcmp(jpath, "-") == 0 ? read_stdin(&json, &jlen,
	    RENDER_MAX_JSON) : ra_file_read(&json, &jlen, jpath,
	    RENDER_MAX_JSON)) != 0) {
		ra_error("%s: cannot read JSON: %s", jname, strerror(errno));
		goto out;
	}
	if ((data = ra_json_parse(json, jlen, err, sizeof(err))) == NULL) {
		ra_error("%s: not valid JSON: %s", jname, err);
		goto out;
	}

	dir = dir_of(tpath);
	ld.dir = dir;
	opts.load_partial = load_partial;
	opts.ud = &ld;
	if (ra_mustache_render(&out, tmpl, tlen, data, &opts, err,
	    sizeof(err)) != 0) {
		if (ld.reason[0] != '\0')
			ra_error("%s: %s (%s)", tname, err, ld.reason);
		else
			ra_error("%s: %s", tname, err);
		goto out;
	}
	if ((out.len > 0 && fwrite(out.data, 1, out.len, stdout) != out.len) ||
	    fflush(stdout) != 0) {
		ra_error("stdout: write failed: %s", strerror(errno));
		rc = RA_EXIT_RUNTIME;
		goto out;
	}
	rc = RA_EXIT_OK;
out:
	ra_buf_free(&out);
	cJSON_Delete(data);
	free(dir);
	free(json);
	free(tmpl);
	return rc;
}
