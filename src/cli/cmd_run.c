/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_run.c: the commands that reach a running guest through its runtime
 * record, never through conf.d: stop, status, mconsole, reopen; and the
 * supervisor's pidfd they signal it through.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chars.h"
#include "cmd.h"
#include "parse.h"
#include "resources.h"
#include "supervisor.h"
#include "util.h"

static void
print_outcome(const char *name, const struct outcome *o)
{
	char text[OUTCOME_MAX + 32];

	printf("%s: %s\n", name, outcome_text(o, text, sizeof(text)));
}

/*
 * A pidfd of guest name's supervisor, its pid read only while it holds the
 * guest's lock and checked again once the pidfd pins it; -1 with *why the
 * exit status that says why not (not running, still starting, a failure).
 */
static int
supervisor_pidfd(int basefd, const char *name, pid_t *pid, int *why)
{
	int pidfd;

	*why = EX_NOTRUNNING;
	if (!run_locked(basefd, name))
		return -1;
	*why = EX_BUSY;
	if (!(*pid = run_pid_get(basefd, name)))
		return -1;
	*why = EX_SYSTEM;
	if ((pidfd = proc_pidfd(*pid)) < 0) {
		/* Gone, its lock held: a killed supervisor's pid file, which
		 * the start (or stop) now holding the lock sweeps. */
		if (errno == ESRCH)
			*why = EX_BUSY;
		return -1;
	}
	if (!run_locked(basefd, name) || run_pid_get(basefd, name) != *pid) {
		close(pidfd);
		*why = EX_NOTRUNNING;
		return -1;
	}
	return pidfd;
}

/* Send sig to guest name's supervisor; its pidfd.  Dies if it cannot. */
int
cmd_signal_supervisor(const struct ctx *x, int basefd, const char *name, int
    sig, pid_t *pid)
{
	int why, pidfd = supervisor_pidfd(basefd, name, pid, &why);

	if (pidfd < 0 && why == EX_NOTRUNNING) {
		run_no_guest(x->confdir, name);
		die(EX_NOTRUNNING, "%s: not running", name);
	}
	if (pidfd < 0 && why == EX_BUSY)
		die(EX_BUSY, "%s: still starting; try again", name);
	if (pidfd < 0 || proc_pidfd_signal(pidfd, sig) < 0)
		die_errno(EX_SYSTEM, "%s: supervisor %d", name, (int)*pid);
	return pidfd;
}

/* The backup (pid) holding guest name, if the record still says so. */
static pid_t
holder_of(int basefd, const char *name)
{
	struct krecord k;
	pid_t holder = 0;
	int dfd;

	if ((dfd = run_record(basefd, name, &k)) >= 0) {
		holder = run_backup_holder(&k);
		close(dfd);
	}
	return holder;
}

/* A hold seen by await_stop: who (its start time too), since when, how
 * far it was asked to end. */
struct hold {
	pid_t pid;
	unsigned long long start;	/* proc_starttime when first seen */
	long long since;
	int asked;	/* 0, then SIGTERM, then SIGKILL sent */
};

/* From SIGTERM to SIGKILL of a backup that holds a guest being stopped:
 * time to end between two pieces of its copy; and from SIGKILL to giving
 * up on one that SIGKILL cannot end (blocked in I/O on a dead disk). */
#define HOLD_KILL_MS	10000

/*
 * sig to the backup of h: through a pidfd taken first, and only if, once
 * the pidfd pins it, the record still names it as the holder and it is
 * the process first seen (its start time) and root's, as every backup is:
 * a pid reused after the backup ended is not signalled.  SIGCONT before
 * SIGTERM wakes one stopped by a shell's job control.  backup.c ends on
 * either, and the guest is let go (by it, or by the supervisor, which
 * watches it end).
 */
static void
end_holder(int basefd, const char *name, const struct hold *h, int sig)
{
	uid_t uid = 1;
	int fd;

	if ((fd = proc_pidfd(h->pid)) < 0)
		return;
	if (holder_of(basefd, name) == h->pid &&
	    proc_starttime(h->pid, NULL, &uid) == h->start && uid == 0) {
		if (sig == SIGTERM)
			(void)proc_pidfd_signal(fd, SIGCONT);
		(void)proc_pidfd_signal(fd, sig);
	}
	close(fd);
}

/* The hold's next step: once it has lasted bound ms, SIGTERM; HOLD_KILL_MS
 * later, SIGKILL; as long again, the stop gives up (EX_TIMEOUT). */
static void
hold_step(int basefd, const char *name, struct hold *h, pid_t holder,
    long long bound)
{
	static const int sigs[] = { SIGTERM, SIGKILL };
	unsigned long long start;

	if (holder != h->pid) {
		/* Gone meanwhile, or /proc unreadable: look again. */
		if (!(start = proc_starttime(holder, NULL, NULL)))
			return;
		warnmsg("%s: held by a backup (pid %d): the stop waits until "
		    "it lets the guest go, at most %lld s", name, (int)holder,
		    bound / 1000);
		*h = (struct hold){ holder, start, now_ms(), 0 };
	}
	if (now_ms() - h->since < bound + h->asked * HOLD_KILL_MS)
		return;
	if (h->asked >= 2)
		die(EX_TIMEOUT, "%s: the backup (pid %d) still holds it %lld s "
		    "after SIGKILL (I/O that cannot be interrupted?): the stop "
		    "gives up", name, (int)holder, (long long)HOLD_KILL_MS /
		    1000);
	warnmsg("%s: the backup (pid %d) still holds it after %lld s: %s",
	    name, (int)holder, (now_ms() - h->since) / 1000, h->asked ?
	    "killing it (SIGKILL)" : "asking it to end (SIGTERM); the stop "
	    "goes first, and the backup's copy is lost");
	end_holder(basefd, name, h, sigs[h->asked++]);
}

/*
 * Wait for the supervisor (pidfd) to end, within bound ms; a backup that
 * holds the guest meanwhile is waited for (the supervisor stops the guest
 * only once it is let go), at most bound ms before it is asked to end,
 * HOLD_KILL_MS more before it is killed, and as long again before the
 * stop gives up (hold_step); the bound starts again when the hold ends.
 * false if the bound passed.
 */
static bool
await_stop(int basefd, const char *name, int pidfd, long long bound)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	long long deadline = now_ms() + bound;
	struct hold h = { 0, 0, 0, 0 };
	pid_t holder;

	while (poll(&p, 1, STOP_LOOK_MS) == 0) {
		if ((holder = holder_of(basefd, name))) {
			hold_step(basefd, name, &h, holder, bound);
			deadline = now_ms() + bound;
		} else if (now_ms() >= deadline)
			return false;
	}
	return true;
}

int
cmd_stop(const struct ctx *x, int argc, char **argv)
{
	static struct outcome o;
	const char *name = cmd_valid_name(argv[1]);
	struct krecord k = { .shutdown_timeout = 60 };
	int basefd, pidfd, dfd;
	pid_t pid;
	long long bound;

	basefd = run_base();
	if (cmd_orphan_sweep(basefd, name, &o) == 0) {
		print_outcome(name, &o);
		return run_state_stop_status(o.state);
	}
	pidfd = cmd_signal_supervisor(x, basefd, name, SIGTERM, &pid);
	/* SHUTDOWN_TIMEOUT as the guest started with it. */
	if ((dfd = run_record(basefd, name, &k)) >= 0)
		close(dfd);
	bound = (long long)k.shutdown_timeout * 1000 + STOP_SLACK_MS;
	if (!await_stop(basefd, name, pidfd, bound))
		die(EX_TIMEOUT, "%s: supervisor %d still running after %lld s",
		    name, (int)pid, bound / 1000);
	if (run_state(basefd, name, &o) == RS_RUNNING)
		return EX_OK;	/* started again meanwhile */
	if (o.state == RS_ORPHANED)	/* its supervisor died meanwhile */
		(void)cmd_orphan_sweep(basefd, name, &o);
	print_outcome(name, &o);
	return run_state_stop_status(o.state);
}

/*
 * suspend (on) or resume NAME: the supervisor is asked (SIG_SUSPEND,
 * SIG_RESUME), sends mconsole stop or go, and records the state, which is
 * awaited here.
 */
static int
suspend_resume(const struct ctx *x, const char *name, bool on)
{
	static struct outcome o;
	struct krecord k;
	long long deadline = now_ms() + MC_CLI_TIMEOUT_MS + 1000;
	int basefd = run_base(), dfd;
	pid_t pid;

	/* A record without its supervisor says what was, not what is. */
	if (!run_locked(basefd, name) && run_state(basefd, name, &o) ==
	    RS_ORPHANED)
		die(EX_NOTRUNNING, "%s: not %s: its umlctl supervisor was "
		    "killed (its kernel may still run, as it was left); umlctl "
		    "stop %s cleans up", name, on ? "suspended" : "resumed",
		    name);
	if ((dfd = run_record(basefd, name, &k)) >= 0) {
		close(dfd);
		if (run_backup_holder(&k))
			die(EX_BUSY, "%s: a backup (pid %d) holds it; try "
			    "again once it is done", name, (int)k.bk.pid);
		if ((k.suspended != 0) == on) {
			printf("%s: already %s\n", name, on ? "suspended" :
			    "running");
			return EX_OK;
		}
	}
	close(cmd_signal_supervisor(x, basefd, name, on ? SIG_SUSPEND :
	    SIG_RESUME, &pid));
	while (now_ms() < deadline) {
		if ((dfd = run_record(basefd, name, &k)) < 0)
			die(EX_NOTRUNNING, "%s: not running", name);
		close(dfd);
		if ((k.suspended != 0) == on) {
			printf("%s: %s\n", name, on ? "suspended" : "resumed");
			return EX_OK;
		}
		(void)poll(NULL, 0, 10);
	}
	die(EX_TIMEOUT, "%s: not %s: its kernel did not answer mconsole %s "
	    "(see the console log)", name, on ? "suspended" : "resumed",
	    on ? "stop" : "go");
}

int
cmd_suspend(const struct ctx *x, int argc, char **argv)
{
	return suspend_resume(x, cmd_valid_name(argv[1]), true);
}

int
cmd_resume(const struct ctx *x, int argc, char **argv)
{
	return suspend_resume(x, cmd_valid_name(argv[1]), false);
}

/* Seconds since pid started, from /proc. */
static long
uptime_of(pid_t pid)
{
	unsigned long long st = proc_starttime(pid, NULL, NULL);
	struct timespec now;

	if (!st || clock_gettime(CLOCK_BOOTTIME, &now) < 0)
		return -1;
	return (long)(now.tv_sec - (long long)(st /
	    (unsigned long long)sysconf(_SC_CLK_TCK)));
}

int
cmd_status(const struct ctx *x, int argc, char **argv)
{
	static struct outcome o;
	const char *name = cmd_valid_name(argv[1]);
	struct krecord k;
	char err[256], ver[600] = "no answer", safe[sizeof(ver) * 4];
	int basefd, dfd;
	pid_t pid, holder;

	basefd = run_base();
	if (run_state(basefd, name, &o) != RS_RUNNING) {
		if (o.state == RS_NONE)
			run_no_guest(x->confdir, name);
		print_outcome(name, &o);
		return run_state_status(o.state);
	}
	if (!(pid = run_pid_get(basefd, name)) ||
	    (dfd = run_record(basefd, name, &k)) < 0) {
		printf("%s: %s\n", name, run_state_words(RS_STARTING));
		return run_state_status(RS_STARTING);
	}
	if ((holder = run_backup_holder(&k))) {
		printf("%s: held by a backup (pid %d) while it copies the "
		    "disks%s, kernel pid %d, up %ld s, supervisor pid %d\n",
		    name, (int)holder, k.suspended ? " (suspended: it stays "
		    "so)" : "", (int)k.kpid, uptime_of(k.kpid), (int)pid);
		close(dfd);
		return k.suspended ? EX_SUSPENDED : EX_OK;
	}
	if (k.suspended) {
		printf("%s: suspended for %lld s, kernel pid %d, up %ld s, "
		    "supervisor pid %d\n", name,
		    (long long)time(NULL) - (long long)k.suspended, (int)k.kpid,
		    uptime_of(k.kpid), (int)pid);
		close(dfd);
		return EX_SUSPENDED;
	}
	if (k.hung) {
		printf("%s: hung: its kernel (pid %d) has not answered its "
		    "mconsole for %lld s, supervisor pid %d\n", name,
		    (int)k.kpid, (long long)time(NULL) - (long long)k.hung,
		    (int)pid);
		return EX_HUNG;
	}
	if (net_enter(k.netns, err, sizeof(err)) == 0 && mc_oneshot(dfd, name,
	    k.kuid, "version", 1000, ver, sizeof(ver)) == 0)
		ver[strcspn(ver, "\n")] = '\0';
	/* The reply holds the guest's hostname: the guest chose it.  The
	 * NIC error was escaped by the supervisor. */
	printf("%s: running, kernel pid %d, up %ld s, supervisor pid %d, "
	    "%s%s%s\n", name, (int)k.kpid, uptime_of(k.kpid), (int)pid,
	    ch_escape(ver, sizeof(ver), safe, sizeof(safe), false),
	    k.nicerr[0] ? "; NIC error on the console: " : "", k.nicerr);
	if (k.confine[0])
		printf("%s: confinement: %s\n", name, k.confine);
	cmd_swap_note(dfd, name, &k);
	return EX_OK;
}

const char *const mc_words[] = { "version", "halt", "reboot", "config",
	"remove", "sysrq", "help", "cad", "stop", "go", "log", "proc", "stack",
	NULL };

int
cmd_mconsole(const struct ctx *x, int argc, char **argv)
{
	const char *name = cmd_valid_name(argv[1]);
	struct krecord k;
	static char out[8192], safe[sizeof(out) * 4];
	char cmd[MC_CMD_MAX], err[256];
	int i, n = 0, dfd, r;

	for (i = 0; mc_words[i] && strcmp(mc_words[i], argv[2]); i++)
		;
	if (!mc_words[i])
		die(EX_USAGE, "mconsole: unknown command \"%s\" (UML matches "
		    "prefixes, so only exact words are sent)", argv[2]);
	for (i = 2; i < argc; i++)
		if ((n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, "%s%s",
		    i > 2 ? " " : "", argv[i])) >= (int)sizeof(cmd))
			die(EX_USAGE, "mconsole: command too long");
	if ((dfd = run_record(run_base(), name, &k)) < 0) {
		run_no_guest(x->confdir, name);
		die(EX_NOTRUNNING, "%s: not running", name);
	}
	if (net_enter(k.netns, err, sizeof(err)) < 0)
		die(EX_CONFIG, "%s: %s", name, err);
	if ((r = mc_oneshot(dfd, name, k.kuid, cmd, MC_CLI_TIMEOUT_MS,
	    out, sizeof(out))) < 0) {
		if (errno == ENOENT)
			die(EX_NOTRUNNING, "%s: not running", name);
		die_errno(EX_SYSTEM, "%s: mconsole", name);
	}
	ch_escape(out, sizeof(out), safe, sizeof(safe), true);
	printf("%s%s", safe, safe[0] && safe[strlen(safe) - 1] != '\n' ?
	    "\n" : "");
	return r ? EX_SYSTEM : EX_OK;
}

static void
hup(const char *name, void *arg)
{
	int pidfd, why;
	pid_t pid;

	/* A guest that ends meanwhile is no error. */
	if ((pidfd = supervisor_pidfd(*(const int *)arg, name, &pid, &why)) < 0)
		return;
	(void)proc_pidfd_signal(pidfd, SIGHUP);
	close(pidfd);
}

/*
 * SIGHUP to the supervisor of guest NAME, or of every running guest: each
 * reopens its console log by name (logrotate's postrotate).
 */
int
cmd_reopen(const struct ctx *x, int argc, char **argv)
{
	int basefd = run_base();
	pid_t pid;

	if (argc > 1) {
		close(cmd_signal_supervisor(x, basefd, cmd_valid_name(argv[1]),
		    SIGHUP, &pid));
		return EX_OK;
	}
	if (run_each_pid(hup, &basefd) < 0)
		die_errno(EX_SYSTEM, "%s", RUNDIR);
	return EX_OK;
}
