/*
 * progress.h: the collection progress line on stderr,
 *   "\r[collect] 123/456 requests"
 * redrawn at most every 100 ms and ended with a newline. `planned`
 * grows as listings arrive. Shown on a terminal by default, never under
 * -q unless --progress, never when stderr is not a terminal unless
 * --progress.
 */
#ifndef RA_PROGRESS_H
#define RA_PROGRESS_H

struct ra_progress {
	int		 on;
	int		 drawn;
	double		 last_ms;
	unsigned long	 done, planned;
};

/* want: -1 auto (stderr is a tty and not -q), 0 off, 1 on. */
int	ra_progress_wanted(int want);
void	ra_progress_init(struct ra_progress *p, int on);
void	ra_progress_update(struct ra_progress *p, unsigned long done,
	    unsigned long planned);
/* Draws the final counts and ends the line (when on). */
void	ra_progress_end(struct ra_progress *p);

#endif
