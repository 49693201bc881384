/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hold.c: the guest held paused for `umlctl backup' (cli/backup.c) while
 * it copies the disk files.
 *
 * The backup asks with SIG_BACKUP: sysrq s, then up to BACKUP_SYNC_MS for
 * the guest to say its sync is done (it only queues the work, like the
 * ladder's sysrq s and u), then mconsole stop; a suspended guest is held
 * as it is.  The record (NAME/state, `backup=') tells the backup each step.
 * The backup asks again once it has its copy, or ends: its pidfd tells us
 * either way, so a backup killed in the middle leaves no paused guest.
 * Then go, unless the guest was suspended (it stays so).
 *
 * Stop, suspend and resume reach the supervisor as signals, one at a time:
 * those that come while the guest is held wait for its release (a stop's
 * `go' would let the guest write under the copy), so a backup is one more
 * of them.  No hang probe meanwhile: the guest is paused on purpose.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chars.h"
#include "sup.h"
#include "util.h"

/* What came while the guest was held, done after it. */
struct later {
	bool stop;
	int paused;		/* -1 as it was, 0 running, 1 suspended */
	enum ev end;		/* EV_EXIT: the kernel ended meanwhile */
};

static void
bk_phase(struct sup *s, enum bk_phase ph)
{
	s->bk.phase = ph;
	sup_record(s);
}

/* One event while the hold is asked or held; true when the hold ends (the
 * backup said done or ended, or the kernel exited). */
static bool
held_event(struct sup *s, enum ev e, struct later *l)
{
	switch (e) {
	case EV_BACKUP:
		if (s->sigpid == s->bk.pid)
			return true;
		logmsg("%s: backup: pid %d asked while pid %d holds the guest; "
		    "ignored", s->g->name, (int)s->sigpid, (int)s->bk.pid);
		return false;
	case EV_HOLDER:
		logmsg("%s: backup: pid %d ended without letting the guest go",
		    s->g->name, (int)s->bk.pid);
		return true;
	case EV_EXIT:
		l->end = EV_EXIT;
		return true;
	case EV_TERM:
		l->stop = true;
		return false;
	case EV_SUSPEND:
	case EV_RESUME:
		l->paused = e == EV_SUSPEND;
		return false;
	default:
		return false;
	}
}

/*
 * sysrq s, and up to BACKUP_SYNC_MS for the guest to say it is done
 * (s->bk.sync says what was seen).  true if the hold ended meanwhile.
 */
static bool
sync_guest(struct sup *s, struct later *l)
{
	unsigned before = s->boot.syncs;
	long long deadline;
	char out[256], said[sizeof(out) * 4];
	int r = sup_mc(s, "sysrq s", out, sizeof(out));

	if (r != 0) {
		s->bk.sync = BKS_REFUSED;
		logmsg("%s: backup: sysrq s %s%s", s->g->name, r < 0 ?
		    "not answered" : "refused: ", r < 0 ? "" :
		    ch_escape(out, sizeof(out), said, sizeof(said), false));
		return false;
	}
	s->bk.sync = BKS_UNSEEN;
	bk_phase(s, BK_SYNCING);
	deadline = now_ms() + BACKUP_SYNC_MS;
	while (s->boot.syncs == before && now_ms() < deadline)
		if (held_event(s, sup_wait(s, now_ms() + BACKUP_POLL_MS), l))
			return true;
	if (s->boot.syncs != before)
		s->bk.sync = BKS_SEEN;
	return false;
}

/* Let the guest go (or keep it paused, as it was or as asked meanwhile);
 * the pause in ms, 0 if it was not the hold's. */
static unsigned long long
release(struct sup *s, bool was, const struct later *l, long long t0)
{
	bool keep = l->paused < 0 ? was : l->paused == 1;
	long long ms = was ? 0 : now_ms() - t0;

	if (l->end == EV_EXIT)
		return (unsigned long long)ms;
	if (!keep && sup_mc(s, "go", NULL, 0) != 0) {
		logmsg("%s: backup: could not let the guest go (mconsole go): "
		    "it stays paused; umlctl resume %s", s->g->name,
		    s->g->name);
		keep = true;
	}
	if (keep && !s->boot.suspended)
		s->boot.suspended = (long long)time(NULL);
	if (!keep)
		s->boot.suspended = 0;
	if (!was)
		logmsg("%s: backup: the guest was paused for %lld ms%s",
		    s->g->name, ms, keep ? "; it stays suspended" : "");
	s->boot.answered = now_ms();
	return (unsigned long long)ms;
}

/* Pause the guest, unless it is suspended: 0, or -1 (not paused). */
static int
pause_guest(struct sup *s, bool was, struct later *l)
{
	if (was) {
		s->bk.sync = BKS_NONE;
		return 0;
	}
	if (sync_guest(s, l))
		return -1;
	if (sup_mc(s, "stop", NULL, 0) != 0) {
		logmsg("%s: backup: mconsole stop failed: not paused",
		    s->g->name);
		return -1;
	}
	return 0;
}

enum ev
sup_hold(struct sup *s)
{
	struct later l = { false, -1, EV_NONE };
	bool was = s->boot.suspended != 0;
	long long t0;

	s->bk = (struct bkrec){ .pid = s->sigpid };
	if ((s->holdfd = proc_pidfd(s->sigpid)) < 0) {
		bk_phase(s, BK_REFUSED);
		return EV_NONE;
	}
	logmsg("%s: backup: pid %d asks to hold the guest%s", s->g->name,
	    (int)s->bk.pid, was ? " (suspended: it stays so)" : "");
	if (pause_guest(s, was, &l) < 0)
		bk_phase(s, BK_REFUSED);
	else {
		t0 = now_ms();
		bk_phase(s, BK_HELD);
		while (!held_event(s, sup_wait(s, -1), &l))
			;
		s->bk.ms = release(s, was, &l, t0);
		bk_phase(s, BK_DONE);
	}
	close(s->holdfd);
	s->holdfd = -1;
	if (l.end == EV_EXIT)
		return EV_EXIT;
	if (l.paused >= 0 && !l.stop)
		sup_suspend(s, l.paused == 1);
	return l.stop ? EV_TERM : EV_NONE;
}
