/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * record.c: what the supervisor records of its guest in /run/uml (through
 * rundir.c): NAME/state while the kernel runs, which status reads; how a
 * run ended (NAME.last) and the words for it; and the sweep after a
 * supervisor that was killed.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "confine.h"
#include "resources.h"
#include "sup.h"
#include "util.h"

/* How many lines the guest asked for were dropped, if any. */
void
sup_said_dropped(struct sup *s)
{
	if (s->said.dropped > 0)
		logmsg("%s: %lu line(s) the guest asked for were not logged "
		    "(at most %d at once, then one a second)", s->g->name,
		    s->said.dropped, SAID_BURST);
	s->said.dropped = 0;
}

/* NAME/state: what stop, status and a later start need (runrec.h). */
void
sup_record(struct sup *s)
{
	struct krecord k = { .kpid = s->boot.kpid, .kuid = s->a->uid,
	    .shutdown_timeout = s->g->shutdown_timeout,
	    .mem_kib = s->g->mem_kib, .swap = s->g->swap[0] != '\0' };
	struct stat st;
	size_t i;

	k.kstart = proc_starttime(s->boot.kpid, NULL, NULL);
	if (stat(s->g->memdir, &st) == 0)
		k.memdev = (unsigned long long)st.st_dev;
	snprintf(k.netns, sizeof(k.netns), "%s", s->g->netns);
	snprintf(k.taps, sizeof(k.taps), "%s", s->taps);
	snprintf(k.nicerr, sizeof(k.nicerr), "%s", s->boot.nicerr);
	cf_describe(s->g->confine, ll_abi(), s->g, k.confine,
	    sizeof(k.confine));
	k.hung = (unsigned long long)s->boot.hung_since;
	k.suspended = (unsigned long long)s->boot.suspended;
	k.bk = s->bk;
	memcpy(k.disk, s->disks.id, sizeof(k.disk));
	for (i = 0; i < s->g->nnic; i++)
		snprintf(k.nics + strlen(k.nics),
		    sizeof(k.nics) - strlen(k.nics), "%s%s", i ? " " : "",
		    s->g->nic[i].tap);
	if (run_krecord_put(s->dirfd, &k) < 0)
		logmsg("%s: cannot record state: %s", s->g->name,
		    strerror(errno));
}

/* Record how the run ended (state st, detail from fmt) and log it. */
void
sup_outcome(struct sup *s, enum run_state st, const char *fmt, ...)
{
	static struct outcome o;
	char text[OUTCOME_MAX + 32];
	va_list ap;

	o.state = st;
	va_start(ap, fmt);
	vsnprintf(o.detail, sizeof(o.detail), fmt, ap);
	va_end(ap);
	o.detail[strcspn(o.detail, "\n")] = '\0';
	sup_said_dropped(s);
	logmsg("%s: %s", s->g->name, outcome_text(&o, text, sizeof(text)));
	if (run_outcome_put(s->basefd, s->g->name, &o) < 0)
		logmsg("%s: cannot record the outcome: %s", s->g->name,
		    strerror(errno));
	if (run_stops_add(s->basefd, s->g->name, st) < 0)
		logmsg("%s: cannot count the outcome: %s", s->g->name,
		    strerror(errno));
}

/*
 * After umlctl itself was killed, the kernel it started (recorded in
 * <name>/state) may still run, and taps it made may remain.
 */
void
run_sweep(int basefd, const char *name)
{
	struct krecord k;
	int dfd, killed, left;

	if ((dfd = run_record(basefd, name, &k)) < 0)
		return;
	close(dfd);
	if ((killed = proc_kill_group(k.kpid, k.kstart, k.kuid, &left)))
		warnmsg("%s: killed %d leftover kernel process(es) of group %d",
		    name, killed, (int)k.kpid);
	if (left)
		warnmsg("%s: %d of them had not ended after SIGKILL and %d "
		    "ms", name, left, PROC_GROUP_WAIT_MS);
	/* In the namespace they were made in: the caller may be in another
	 * (NETNS changed since, or `umlctl stop' from the host's). */
	net_teardown_in(k.netns, k.taps);
}
