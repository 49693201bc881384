/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ladder.c: the stop ladder, and what the console log says when a start
 * fails.
 *
 * ctrl-alt-del, then up to SHUTDOWN_TIMEOUT for the guest to power off.
 * If it does not (it ignores cad, or reboots on it), the guest's data is
 * saved before it is killed: sysrq s and sysrq u only queue work in the
 * guest, so we wait until its / is really read-only before `halt'.  Then
 * SIGTERM, then SIGKILL.  Every step is bounded (sup.h) and logged; the
 * kernel exiting ends the ladder at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chars.h"
#include "kfacts.h"
#include "sup.h"

/* Wait up to ms for the kernel to exit; true if it did. */
static bool
wait_exit(struct sup *s, long long ms)
{
	long long deadline = now_ms() + ms;
	enum ev e;

	while ((e = sup_wait(s, deadline)) != EV_TIMEOUT)
		if (e == EV_EXIT)
			return true;
	return false;
}

static void
mc_step(struct sup *s, const char *cmd)
{
	char out[256], said[sizeof(out) * 4];
	int r = sup_mc(s, cmd, out, sizeof(out));

	if (r < 0)
		logmsg("%s: stop: %s: no answer (%s)", s->g->name, cmd,
		    strerror(errno));
	else if (r > 0)
		logmsg("%s: stop: %s: refused: %s", s->g->name, cmd,
		    ch_escape(out, sizeof(out), said, sizeof(said), false));
	else
		logmsg("%s: stop: %s", s->g->name, cmd);
}

/* The guest's / as init sees it (`proc mounts' answers nothing on 7.x
 * kernels: it is a link to self/, meaningless to the mconsole's thread). */
static enum root_state
root_now(struct sup *s)
{
	static char mounts[8192];

	if (sup_mc(s, "proc 1/mounts", mounts, sizeof(mounts)) != 0)
		return ROOT_UNKNOWN;
	return mounts_root(mounts);
}

/*
 * Poll init's mounts until / is in state want (or, for ROOT_RW, mounted at
 * all), the kernel exits, the mconsole stops answering, or the deadline.
 * Returns the last state seen, or -1 if the kernel exited meanwhile.
 */
static int
wait_root(struct sup *s, enum root_state want, long long deadline)
{
	enum root_state st = ROOT_UNKNOWN;

	while (now_ms() < deadline && !s->boot.mc_dead) {
		st = root_now(s);
		if (st == want || (want == ROOT_RW && st == ROOT_RO))
			return (int)st;
		if (wait_exit(s, RO_POLL_MS))
			return -1;
	}
	return (int)st;
}

static int
finish(struct sup *s, long long t0, const char *why, const char *how)
{
	char ex[HOW_MAX];
	siginfo_t si = sup_reap(s);

	describe_exit(s, &si, ex, sizeof(ex));
	if (why)
		sup_outcome(s, RS_FORCED, "%s; %s after %.2f s (kernel %s)",
		    why, how, (double)(now_ms() - t0) / 1000, ex);
	else	/* A panic is no shutdown: init may have died before any
		 * sync (init killed at ctrl-alt-del because the host process
		 * behind it was gone; RELIABILITY.md, finding 18), unless
		 * it came after the guest halted (sup_halt_panic). */
		sup_outcome(s, s->boot.panic[0] && !sup_halt_panic(s) ?
		    RS_CRASHED : RS_GRACEFUL,
		    "%s %.2f s after ctrl-alt-del", ex,
		    (double)(now_ms() - t0) / 1000);
	return EX_OK;
}

/*
 * The mconsole steps: sync, read-only, halt.  1 halted, 0 not, -1 exited.
 * sysrq s and u only queue work in the guest, and a guest still booting
 * (after a reboot on cad, or before its init took cad over) may mount /
 * at any moment: so first wait for / to be mounted, then for it to be
 * read-only, both within RO_WAIT_MS.  What the outcome says was seen, not
 * merely asked for.
 */
static int
save_and_halt(struct sup *s, long long t0, const char *why)
{
	long long deadline = now_ms() + RO_WAIT_MS;
	const char *how;
	int st;

	if ((st = wait_root(s, ROOT_RW, deadline)) < 0)
		return finish(s, t0, why, "exited before the sync"), -1;
	if (st == ROOT_RW) {
		mc_step(s, "sysrq s");
		mc_step(s, "sysrq u");
		if ((st = wait_root(s, ROOT_RO, deadline)) < 0)
			return finish(s, t0, why, "exited during sync"), -1;
	}
	how = st == ROOT_RO ? "synced, remounted read-only, halted" :
	    st == ROOT_NONE ? "/ not mounted (still booting), halted" :
	    "sync and read-only remount asked, not confirmed; halted";
	logmsg("%s: stop: / is %s", s->g->name, st == ROOT_RO ? "read-only" :
	    st == ROOT_NONE ? "not mounted" : "not confirmed read-only");
	if (s->boot.mc_dead)
		return 0;
	mc_step(s, "halt");
	if (s->boot.mc_dead || !wait_exit(s, HALT_WAIT_MS))
		return 0;
	finish(s, t0, why, how);
	return 1;
}

static int
force(struct sup *s, long long t0, const char *why)
{
	/* A stopped kernel (SIGSTOP) cannot sync: let it run for the steps. */
	if (kill(s->boot.kpid, SIGCONT) == 0)
		s->boot.mc_dead = false;
	logmsg("%s: stop: forcing: sync, remount read-only, halt", s->g->name);
	if (save_and_halt(s, t0, why) != 0)
		return EX_OK;
	if (s->boot.mc_dead)
		logmsg("%s: stop: no answer on the mconsole: cannot sync",
		    s->g->name);
	logmsg("%s: stop: still running; SIGTERM", s->g->name);
	sup_kill(s, SIGTERM);
	if (wait_exit(s, TERM_WAIT_MS))
		return finish(s, t0, why, "terminated");
	logmsg("%s: stop: still running; SIGKILL", s->g->name);
	sup_kill(s, SIGKILL);
	if (!wait_exit(s, KILL_WAIT_MS))
		logmsg("%s: stop: the kernel survived SIGKILL", s->g->name);
	return finish(s, t0, why, "killed");
}

/*
 * Until the guest's init takes over ctrl-alt-del (reboot(CAD_OFF)), the
 * kernel answers cad with an immediate restart, without syncing.  Ask
 * first: only "0" (init handles it) makes cad safe.  7.x kernels start
 * their `proc' answers with an empty line, and a 6.1 kernel's first
 * answer may be empty: skip blanks, ask up to three times, and take no
 * answer as "not safe" (the forced stop saves the data either way).
 */
static bool
cad_is_hard_reboot(struct sup *s)
{
	char out[64];
	const char *p = "";
	int i;

	for (i = 0; i < 3 && *p == '\0'; i++) {
		out[0] = '\0';
		if (sup_mc(s, "proc sys/kernel/ctrl-alt-del", out,
		    sizeof(out)) != 0)
			break;
		p = out + strspn(out, " \t\r\n");
	}
	return *p != '0';
}

int
ladder(struct sup *s)
{
	long long t0 = now_ms();
	long long deadline = t0 + (long long)s->g->shutdown_timeout * 1000;
	int sockets = s->boot.sockets;
	char why[128];
	enum ev e;

	/* A guest paused with `mconsole stop' takes neither cad nor sysrq
	 * until `go' (UML answers "Not stopped" when it was not). */
	if (sup_mc(s, "go", NULL, 0) == 0)
		logmsg("%s: stop: the guest was paused (%s); resumed it",
		    s->g->name, s->boot.suspended ? "umlctl suspend" :
		    "mconsole stop");
	if (s->boot.suspended) {
		s->boot.suspended = 0;
		sup_record(s);
	}
	if (cad_is_hard_reboot(s)) {
		logmsg("%s: stop: the guest's init has not taken over "
		    "ctrl-alt-del (still booting?); cad would reboot it at "
		    "once", s->g->name);
		return force(s, t0, "init not up to handle ctrl-alt-del");
	}
	logmsg("%s: stop: ctrl-alt-del; waiting up to %u s (SHUTDOWN_TIMEOUT)",
	    s->g->name, s->g->shutdown_timeout);
	mc_step(s, "cad");
	for (;;) {
		e = sup_wait(s, deadline);
		if (e == EV_EXIT)
			return finish(s, t0, NULL, NULL);
		if (e == EV_SOCKET && s->boot.sockets > sockets) {
			logmsg("%s: stop: the guest rebooted on ctrl-alt-del; "
			    "make its ctrl-alt-del action power off (busybox: "
			    "::ctrlaltdel:/sbin/poweroff, sysvinit: "
			    "ca:12345:ctrlaltdel:/sbin/shutdown -h now)",
			    s->g->name);
			snprintf(why, sizeof(why), "rebooted on ctrl-alt-del");
			break;
		}
		if (e == EV_TIMEOUT) {
			snprintf(why, sizeof(why), "did not power off within "
			    "%u s", s->g->shutdown_timeout);
			logmsg("%s: stop: %s", s->g->name, why);
			break;
		}
	}
	return force(s, t0, why);
}

