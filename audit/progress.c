/* progress.c: see progress.h. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "progress.h"

int
ra_progress_wanted(int want)
{
	if (want >= 0)
		return want > 0;
	return ra_log_verbosity() != RA_QUIET && isatty(STDERR_FILENO);
}

void
ra_progress_init(struct ra_progress *p, int on)
{
	p->on = on;
	p->drawn = 0;
	p->last_ms = 0;
	p->done = p->planned = 0;
}

static void
draw(struct ra_progress *p)
{
	fprintf(stderr, "\r[collect] %lu/%lu requests", p->done, p->planned);
	fflush(stderr);
	p->drawn = 1;
}

void
ra_progress_update(struct ra_progress *p, unsigned long done,
    unsigned long planned)
{
	double t;

	p->done = done;
	p->planned = planned;
	if (!p->on)
		return;
	t = ra_clock_mono_ms();
	if (p->drawn && t - p->last_ms < 100)
		return;
	p->last_ms = t;
	draw(p);
}

void
ra_progress_end(struct ra_progress *p)
{
	if (!p->on)
		return;
	draw(p);
	fputc('\n', stderr);
	fflush(stderr);
}
