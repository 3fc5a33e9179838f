/*
 * fuzz_mustache.c: the Mustache engine on arbitrary templates and data.
 * The input is split at its first NUL byte (without one: first half,
 * second half) into a template and JSON data (unparseable data renders
 * against no data). Every partial loads the template itself, so
 * recursion and its bounds are exercised; the escape mode follows the
 * input's length. Any crash, leak, hang or sanitizer report is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonutil.h"
#include "mustache.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct self {
	const char	*tmpl;
	size_t		 len;
};

static int
self_loader(void *ud, const char *name, char **text, size_t *len)
{
	const struct self *s = ud;

	if (strcmp(name, "missing") == 0)
		return 1;
	if (strcmp(name, "broken") == 0)
		return -1;
	*text = malloc(s->len + 1);
	if (*text == NULL)
		return -1;
	memcpy(*text, s->tmpl, s->len);
	(*text)[s->len] = '\0';
	*len = s->len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nul = memchr(in, '\0', size);
	struct ra_mustache_opts o;
	struct self self;
	struct ra_buf out;
	size_t tlen, jlen;
	const char *json;
	char err[256];
	cJSON *root;

	if (size > (1u << 20))
		return 0;
	if (nul != NULL) {
		tlen = (size_t)(nul - in);
		json = nul + 1;
		jlen = size - tlen - 1;
	} else {
		tlen = size / 2;
		json = in + tlen;
		jlen = size - tlen;
	}
	root = ra_json_parse(json, jlen, err, sizeof(err));
	self.tmpl = in;
	self.len = tlen;
	memset(&o, 0, sizeof(o));
	o.load_partial = self_loader;
	o.ud = &self;
	o.escape = (size & 1) ? RA_ESCAPE_MARKDOWN : RA_ESCAPE_HTML;
	o.max_steps = 200000;
	o.max_output = 1u << 20;
	ra_buf_init(&out, 0);
	if (ra_mustache_render(&out, in, tlen, root, &o, err,
	    sizeof(err)) != 0) {
		/* A failed render leaves nothing and says why. */
		if (out.len != 0 || err[0] == '\0')
			abort();
	}
	ra_buf_free(&out);
	cJSON_Delete(root);
	return 0;
}
