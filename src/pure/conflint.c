/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conflint.c: assignments in the conf.d files that umlctl does not use,
 * for `check' to warn about.  A typo such as MEMROY="512M" or
 * memory="256M" is valid sh, so OpenRC and umlctl both accept it, and the
 * guest quietly boots with the default.  The variables umlctl knows are
 * the ones config_build asks for (one owner: guestconf.c and
 * guestconf_net.c), so BRIDGE_ and MAC_ of a tap not in NET are unknown
 * too.  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "guestconf.h"
#include "guestconf_int.h"

/* Optimal string alignment distance (a swap of two neighbours is one
 * edit), case folded if fold. */
static size_t
distance(const char *a, const char *b, bool fold)
{
	size_t d[CONF_NAME_MAX + 1][CONF_NAME_MAX + 1];
	size_t i, j, n = strlen(a), m = strlen(b), c, best;

	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			char x = a[i - 1], y = b[j - 1];

			if (fold) {
				x = x >= 'a' && x <= 'z' ? (char)(x - 32) : x;
				y = y >= 'a' && y <= 'z' ? (char)(y - 32) : y;
			}
			c = x != y;
			best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < best)
				best = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && c && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

/* The known name closest to var, if close enough to be a typo of it. */
static const char *
closest(const struct asked *a, const char *var, bool fold)
{
	size_t i, dist, best = strlen(var) < 5 ? 2 : 3;
	const char *near = NULL;

	for (i = 0; i < a->n; i++)
		if ((dist = distance(var, a->name[i], fold)) < best) {
			best = dist;
			near = a->name[i];
		}
	return near;
}

static bool
upper_case(const char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			return false;
	return true;
}

/* One assignment's warning into msg, or false: it is used, or OpenRC's. */
static bool
lint_var(const struct asked *a, const struct conf_var *v, const char *net,
    char *msg, size_t len)
{
	const char *near;
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->name[i], v->name) == 0)
			return false;
	if (strncmp(v->name, "BRIDGE_", 7) == 0 ||
	    strncmp(v->name, "MAC_", 4) == 0) {
		snprintf(msg, len, "%s: %s is set, but no tap in NET=\"%s\" is "
		    "%s: it is ignored", v->where, v->name, net,
		    strchr(v->name, '_') + 1);
		return true;
	}
	if (upper_case(v->name)) {
		near = closest(a, v->name, false);
		snprintf(msg, len, "%s: %s is not a variable umlctl "
		    "knows%s%s%s: it is ignored", v->where, v->name, near ?
		    " (did you mean " : "", near ? near : "", near ? "?)" : "");
		return true;
	}
	/* Lower case is OpenRC's (rc_*, description, ...), unless it is
	 * one of ours mistyped. */
	if (!(near = closest(a, v->name, true)))
		return false;
	snprintf(msg, len, "%s: %s is not a variable umlctl knows (did you "
	    "mean %s? names are case-sensitive): it is ignored", v->where,
	    v->name, near);
	return true;
}

void
config_lint(const struct conf *c, const char *name, lint_fn *fn, void *arg)
{
	struct asked a = { 0 };
	struct guest g;
	char err[512], net[SHOW_MAX * 4 + 8];
	char msg[CONF_WHERE_MAX + 3 * CONF_NAME_MAX + sizeof(net) + 128];
	size_t i;

	if (config_build_asked(c, name, &g, err, sizeof(err), &a) < 0)
		return;
	/* As in error messages: NET may hold tabs and newlines. */
	cf_show(conf_get(c, "NET") ? conf_get(c, "NET") : "", net, sizeof(net));
	for (i = 0; i < c->n; i++)
		if (!c->var[i].builtin && lint_var(&a, &c->var[i], net, msg,
		    sizeof(msg)))
			fn(arg, msg);
}
