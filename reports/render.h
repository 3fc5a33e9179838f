/*
 * render.h: `residency-audit render` (CONTRACT §1). Renders a Mustache
 * template against any JSON document and writes exactly the rendering
 * to stdout, no newline added.
 */
#ifndef RA_RENDER_H
#define RA_RENDER_H

/*
 * argv[0] is the command word ("render"), as the CLI dispatches it:
 *
 *   render --template FILE [--escape html|markdown] REPORT.json
 *
 * REPORT.json may be "-" for stdin. A partial {{> name}} is read from
 * name.mustache in the template's directory; a name that is not a safe
 * path component (util.h ra_is_safe_component), or a partial file that
 * does not exist, is an error naming it: never a path outside that
 * directory, never silently empty. Returns the exit code of CONTRACT
 * §7: 0 rendered, 3 usage, unreadable or bad template, unreadable or
 * bad JSON (one line on stderr naming the file), 4 write failure.
 */
int	ra_render_main(int argc, char **argv);

#endif
