/* ctl_project_common.c: see ctl_project_common.h. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl_project_common.h"
#include "util.h"

char *
ra_ctlp_witness(const char *witness)
{
	struct ra_buf b;
	const char *p = witness, *s, *e;
	char *res = NULL;
	int first = 1;

	ra_buf_init(&b, 0);
	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		s = p;
		while (*p != '\0' && *p != ',')
			p++;
		e = p;
		while (e > s && e[-1] == ' ')
			e--;
		if (!first)
			ra_buf_adds(&b, ", ");
		ra_buf_add(&b, s, (size_t)(e - s));
		first = 0;
	}
	res = ra_strdup(first ? "(none)" : ra_buf_cstr(&b));
	ra_buf_free(&b);
	return res;
}

static int
is_scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

int
ra_ctlp_url_host(const char *url, char *host, size_t hostsz)
{
	const char *p, *auth, *aend, *at, *h, *hend;
	size_t n;
	int rc = -1;

	if (hostsz > 0)
		host[0] = '\0';
	if (url == NULL || hostsz == 0)
		goto out;
	p = url;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		goto out;
	while (is_scheme_char(*p))
		p++;
	if (strncmp(p, "://", 3) != 0)
		goto out;
	auth = p + 3;
	aend = auth + strcspn(auth, "/?#");
	/* userinfo: up to the last '@' of the authority */
	h = auth;
	for (at = auth; at < aend; at++)
		if (*at == '@')
			h = at + 1;
	if (*h == '[') {
		hend = memchr(h, ']', (size_t)(aend - h));
		if (hend == NULL)
			goto out;
		hend++;
	} else {
		hend = memchr(h, ':', (size_t)(aend - h));
		if (hend == NULL)
			hend = aend;
	}
	/* port: digits only, possibly empty ("host:" is valid) */
	if (hend < aend) {
		if (*hend != ':')
			goto out;
		for (p = hend + 1; p < aend; p++)
			if (*p < '0' || *p > '9')
				goto out;
	}
	n = (size_t)(hend - h);
	if (n == 0 || n >= hostsz)
		goto out;
	memcpy(host, h, n);
	host[n] = '\0';
	rc = 0;
out:
	return rc;
}

struct ra_finding *
ra_ctlp_add_project(struct ra_findings *out, const char *control,
    enum ra_status status, const struct ra_project *p,
    const char *jurisdiction, const char *resource)
{
	return ra_finding_add(out, control, status, p->id, p->name,
	    jurisdiction, resource);
}
