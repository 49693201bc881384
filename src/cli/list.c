/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * list.c: `umlctl list', every guest of the conf.d directory as a table
 * for people: sorted by name, a header, one row per guest (umlctl(8)).
 * `list --json' (report.c) is the face for programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "parse.h"
#include "report.h"
#include "runrec.h"
#include "util.h"

struct names {
	char (*v)[NAME_LEN_MAX + 1];
	size_t n, cap;
};

static void
add_name(const char *name, void *arg)
{
	struct names *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		if (!(l->v = realloc(l->v, l->cap * sizeof(*l->v))))
			die_errno(EX_SYSTEM, "list");
	}
	snprintf(l->v[l->n++], sizeof(*l->v), "%s", name);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* s seconds as "45s", "12m05s", "3h02m" or "2d04h". */
static void
span(long long s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

/*
 * The state column (its first word: running, stopped, crashed, hung...)
 * and the rest of how the last run ended, for the row's end.
 */
static void
state_cols(const struct gfacts *f, char *state, size_t slen, const char **rest)
{
	static char text[OUTCOME_MAX + 32];
	size_t n;

	outcome_text(&f->o, text, sizeof(text));
	n = strcspn(text, ",:");
	snprintf(state, slen, "%s", f->hung ? "hung" : "");
	if (!f->hung)
		snprintf(state, slen, "%.*s", (int)n, text);
	*rest = text + n + strspn(text + n, ",: ");
	if (f->holder) {
		snprintf(state, slen, "backup");
		snprintf(text, sizeof(text), "held by a backup (pid %d)%s",
		    (int)f->holder, f->k.suspended ? ", suspended" : "");
		*rest = text;
	}
}

static void
list_row(const struct gfacts *f)
{
	char state[32], up[32] = "-", mem[32] = "-", cpus[16] = "-",
	    nics[16] = "-";
	const char *rest, *user = "-";

	state_cols(f, state, sizeof(state), &rest);
	if (f->runlevel)
		snprintf(state, sizeof(state), "refused");
	if (f->run && f->uptime >= 0)
		span(f->uptime, up, sizeof(up));
	if (f->conf_ok) {
		format_size(f->g.mem_kib, mem, sizeof(mem));
		snprintf(cpus, sizeof(cpus), "%u", f->g.cpus);
		snprintf(nics, sizeof(nics), "%zu", f->g.nnic);
		user = f->g.user;
	} else
		rest = f->runlevel ? "not a guest: a runlevel's name (umlctl "
		    "check of any guest says what to do)" : "configuration "
		    "broken: umlctl check NAME says why";
	/* No blanks at the end of a row. */
	printf("%-20s %-9s %-7s %-7s %-4s %-4s %-*s%s%s\n", f->name, state, up,
	    mem, cpus, nics, rest[0] ? 12 : 0, user, rest[0] ? " " : "", rest);
}

int
cmd_list(const struct ctx *x, int argc, char **argv)
{
	static struct gfacts f;
	struct names l = { NULL, 0, 0 };
	int basefd = run_base();
	size_t i;

	cmd_each_guest(x, add_name, &l);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_name);
	printf("%-20s %-9s %-7s %-7s %-4s %-4s %s\n", "NAME", "STATE", "UPTIME",
	    "MEMORY", "CPUS", "NICS", "USER");
	for (i = 0; i < l.n; i++) {
		report_gather(x, basefd, l.v[i], 0, &f);
		list_row(&f);
	}
	free(l.v);
	return EX_OK;
}
