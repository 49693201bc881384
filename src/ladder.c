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
	char out[256];
	int r = sup_mc(s, cmd, out, sizeof(out));

	if (r < 0)
		logmsg("%s: stop: %s: no answer (%s)", s->g->name, cmd,
		    strerror(errno));
	else if (r > 0)
		logmsg("%s: stop: %s: refused: %s", s->g->name, cmd, out);
	else
		logmsg("%s: stop: %s", s->g->name, cmd);
}

/*
 * sysrq u is asynchronous: ask for init's mounts until / is read-only
 * (the first answer may be empty), the kernel exits, or RO_WAIT_MS.
 * `proc mounts' answers nothing on 7.x kernels (it is a link to self/,
 * which means nothing to the mconsole's kernel thread); `proc 1/mounts'
 * works on 6.1 and 7.x alike.
 * Returns 1 read-only, 0 not confirmed, -1 the kernel exited meanwhile.
 */
static int
wait_ro(struct sup *s)
{
	long long deadline = now_ms() + RO_WAIT_MS;
	static char mounts[8192];

	while (now_ms() < deadline && !s->mc_dead) {
		if (sup_mc(s, "proc 1/mounts", mounts, sizeof(mounts)) == 0 &&
		    mounts_root_ro(mounts))
			return 1;
		if (wait_exit(s, RO_POLL_MS))
			return -1;
	}
	return 0;
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
	else
		sup_outcome(s, RS_GRACEFUL, "%s %.2f s after ctrl-alt-del",
		    ex, (double)(now_ms() - t0) / 1000);
	return EX_OK;
}

/* The mconsole steps: sync, read-only, halt.  1 halted, 0 not, -1 exited. */
static int
save_and_halt(struct sup *s, long long t0, const char *why)
{
	int ro;

	mc_step(s, "sysrq s");
	mc_step(s, "sysrq u");
	if (s->mc_dead)
		return 0;
	ro = wait_ro(s);
	if (ro < 0)
		return finish(s, t0, why, "exited during sync"), -1;
	logmsg("%s: stop: / is %s", s->g->name, ro ? "read-only" :
	    "not confirmed read-only");
	mc_step(s, "halt");
	if (s->mc_dead || !wait_exit(s, HALT_WAIT_MS))
		return 0;
	finish(s, t0, why, ro ? "synced, remounted read-only, halted" :
	    "synced, halted");
	return 1;
}

static int
force(struct sup *s, long long t0, const char *why)
{
	/* A stopped kernel (SIGSTOP) cannot sync: let it run for the steps. */
	if (kill(s->kpid, SIGCONT) == 0)
		s->mc_dead = false;
	logmsg("%s: stop: forcing: sync, remount read-only, halt", s->g->name);
	if (save_and_halt(s, t0, why) != 0)
		return EX_OK;
	if (s->mc_dead)
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
 * first; "1" means cad would be a hard reboot.
 */
static bool
cad_is_hard_reboot(struct sup *s)
{
	char out[64] = "";
	int i;

	for (i = 0; i < 2 && !out[0]; i++)
		if (sup_mc(s, "proc sys/kernel/ctrl-alt-del", out, sizeof(out)) != 0)
			return false;
	return out[0] == '1';
}

int
ladder(struct sup *s)
{
	long long t0 = now_ms();
	long long deadline = t0 + (long long)s->g->shutdown_timeout * 1000;
	int sockets = s->sockets;
	char why[128];
	enum ev e;

	if (cad_is_hard_reboot(s)) {
		logmsg("%s: stop: the guest's init has not taken over "
		    "ctrl-alt-del (still booting?); cad would reboot it at once",
		    s->g->name);
		return force(s, t0, "init not up to handle ctrl-alt-del");
	}
	logmsg("%s: stop: ctrl-alt-del; waiting up to %u s (SHUTDOWN_TIMEOUT)",
	    s->g->name, s->g->shutdown_timeout);
	mc_step(s, "cad");
	for (;;) {
		e = sup_wait(s, deadline);
		if (e == EV_EXIT)
			return finish(s, t0, NULL, NULL);
		if (e == EV_SOCKET && s->sockets > sockets) {
			logmsg("%s: stop: the guest rebooted on ctrl-alt-del; make "
			    "its ctrl-alt-del action power off (busybox: "
			    "::ctrlaltdel:/sbin/poweroff, sysvinit: "
			    "ca:12345:ctrlaltdel:/sbin/shutdown -h now)",
			    s->g->name);
			snprintf(why, sizeof(why), "rebooted on ctrl-alt-del");
			break;
		}
		if (e == EV_TIMEOUT) {
			snprintf(why, sizeof(why), "did not power off within %u s",
			    s->g->shutdown_timeout);
			logmsg("%s: stop: %s", s->g->name, why);
			break;
		}
	}
	return force(s, t0, why);
}

