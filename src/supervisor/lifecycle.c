/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lifecycle.c: the supervisor's life with its guest: boot the kernel, wait
 * until it answers, stay its parent, respawn it (start.c, which forked the
 * supervisor, tears down what the start made when this ends).
 *
 * The supervisor is the kernel's parent and a child subreaper, so it learns
 * of the kernel's end from a pidfd (no polling, no pid file) and inherits
 * the kernel's helper processes.  The kernel's process group is killed
 * before its zombie is reaped, so its pid cannot be reused in between.
 * SIGTERM runs the stop ladder (ladder.c).  Readiness and reboots are
 * learnt from UML's notify socket; only datagrams sent by the kernel's
 * process group are believed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "chars.h"
#include "kargv.h"
#include "mcproto.h"
#include "sup.h"
#include "resources.h"
#include "util.h"

/* Fork and exec the kernel; a failure before exec is reported, not hidden. */
static int
boot(struct sup *s)
{
	static struct kargv k;
	char rundir[PATH_LEN_MAX], err[256] = "";
	int ep[2], kin, kout;
	ssize_t n;
	pid_t pid;

	if (kargv_build(s->g, run_path(rundir, sizeof(rundir), s->g->name,
	    NULL), &k) < 0)
		die(EX_CONFIG, "%s: the kernel command line is too long",
		    s->g->name);
	/* With MEMORY_DIR unset the memory file is in u/ (TMPDIR), so u/ is
	 * sized for it; else u/ holds only the umid directory, and the memory
	 * file is in MEMORY_DIR/umlctl.NAME (memsub.c). */
	if (run_fresh_u(s->dirfd, s->g->name, s->a, s->g->memdir_own ?
	    s->g->mem_kib : 0) < 0)
		die_errno(EX_SYSTEM, "%s: %s", s->g->name, run_path(rundir,
		    sizeof(rundir), s->g->name, RUN_UMLDIR));
	if (pipe2(ep, O_CLOEXEC) < 0 || sup_console_pipes(s, &kin, &kout) < 0)
		die_errno(EX_SYSTEM, "%s: pipe", s->g->name);
	if ((pid = fork()) < 0)
		die_errno(EX_SYSTEM, "%s: fork", s->g->name);
	if (pid == 0) {
		int dfd[DISK_KINDS];
		struct kexec x = { .argv = k.argv, .acct = s->a, .g = s->g,
		    .user = s->g->user, .confd = kout, .conin = kin,
		    .errfd = ep[1], .parent = getppid(), .tapfd = s->tapfd,
		    .ntap = s->g->transport == TRANSPORT_FD ? s->g->nnic : 0,
		    .diskfd = dfd, .ndisk = disk_fds(&s->disks, dfd) };

		kernel_exec(&x);
	}
	close(ep[1]);
	close(kin);
	close(kout);
	clog_mark(&s->log);
	s->boot = (struct boot){ .kpid = pid, .pidfd = -1, .kstart = now_ms(),
	    .oom_kills = proc_oom_kills() };
	s->boot.answered = s->boot.kstart;
	n = read(ep[0], err, sizeof(err) - 1);
	close(ep[0]);
	if ((s->boot.pidfd = proc_pidfd(pid)) < 0)
		die_errno(EX_SYSTEM, "%s: pidfd_open", s->g->name);
	if (n > 0) {
		err[n] = '\0';
		(void)sup_reap(s);
		logmsg("%s: cannot start the kernel: %s", s->g->name, err);
		return -1;
	}
	s->cow_new = false;	/* the kernel's disk from now on */
	sup_record(s);
	logmsg("%s: kernel %s started as pid %d", s->g->name, s->g->kernel,
	    (int)pid);
	return 0;
}

/*
 * Until the kernel answers `version' on its mconsole and, with
 * READY="guest", the guest's init wrote to /proc/mconsole (a
 * MCONSOLE_USER_NOTIFY): EX_OK; EX_TIMEOUT at START_TIMEOUT; EX_CRASHED if
 * it ended or a stop came first.  Why, if not.
 */
static int
wait_ready(struct sup *s, char *why, size_t whylen)
{
	long long deadline = s->boot.kstart + (long long)s->g->start_timeout *
	    1000;
	bool answered = false, said = false;
	enum ev e;

	for (;;) {
		e = sup_wait(s, s->boot.sockets && !answered ? now_ms() + 100 :
		    deadline);
		if (e == EV_EXIT) {
			siginfo_t si = sup_reap(s);
			char how[HOW_MAX];

			describe_exit(s, &si, how, sizeof(how));
			snprintf(why, whylen, "the kernel ended before it was "
			    "ready (%s)", how);
			return EX_CRASHED;
		}
		if (e == EV_TERM) {
			snprintf(why, whylen, "stop requested while starting");
			return EX_CRASHED;
		}
		said = said || e == EV_USER;
		/* A slow first answer (a loaded host) is no reason to give up
		 * asking: only START_TIMEOUT is. */
		s->boot.mc_dead = false;
		if (!answered && s->boot.sockets)
			answered = sup_mc(s, "version", s->boot.version,
			    sizeof(s->boot.version)) == 0;
		if (answered && (s->g->ready == READY_MCONSOLE || said))
			return EX_OK;
		if (now_ms() >= deadline) {
			snprintf(why, whylen, answered ? "the guest did not "
			    "say it is up (a line written to /proc/mconsole, "
			    "READY=\"guest\") within START_TIMEOUT (%u s)" :
			    "did not answer on its mconsole within "
			    "START_TIMEOUT (%u s)", s->g->start_timeout);
			return EX_TIMEOUT;
		}
	}
}

/* Kill a kernel that never became ready. */
void
sup_abort_boot(struct sup *s)
{
	if (s->boot.kpid <= 0)
		return;
	sup_kill(s, SIGKILL);
	while (sup_wait(s, now_ms() + 2000) != EV_EXIT)
		;
	(void)sup_reap(s);
}

/* A crash with RESPAWN=yes: wait a second (or for a stop), boot again. */
static bool
respawn(struct sup *s, unsigned *crashes)
{
	if (!s->g->respawn)
		return false;
	if (now_ms() - s->boot.kstart > RESPAWN_RESET_MS)
		*crashes = 0;
	if (++*crashes > s->g->respawn_max) {
		logmsg("%s: %u crashes in a row; RESPAWN_MAX=%u reached",
		    s->g->name, *crashes - 1, s->g->respawn_max);
		return false;
	}
	logmsg("%s: respawning (crash %u of at most %u in a row)", s->g->name,
	    *crashes, s->g->respawn_max);
	if (sup_wait(s, now_ms() + RESPAWN_DELAY_MS) == EV_TERM)
		return false;
	return boot(s) == 0;
}

/*
 * The kernel exited by itself: record how.  1 the guest powered off (also
 * when the kernel panicked after it halted: sup_halt_panic), 0 it crashed
 * and was respawned, -1 it crashed for good.
 */
static int
exited(struct sup *s, unsigned *crashes)
{
	char how[HOW_MAX];
	siginfo_t si = sup_reap(s);

	describe_exit(s, &si, how, sizeof(how));
	if (sup_halt_panic(s)) {
		sup_outcome(s, RS_POWEROFF, "the guest halted by itself, then "
		    "the kernel's %s", how);
		return 1;
	}
	if (!s->boot.panic[0] && si.si_code == CLD_EXITED &&
	    si.si_status == 0) {
		sup_outcome(s, RS_POWEROFF, "the guest %s by itself", how);
		return 1;
	}
	sup_outcome(s, RS_CRASHED, "%s", how);
	return respawn(s, crashes) ? 0 : -1;
}

/* The running guest: until it is stopped, powers off or crashes. */
static int
run(struct sup *s)
{
	unsigned crashes = 0;
	long long next = now_ms() + sup_probe_every(s);
	enum ev e;
	int r;

	for (;;) {
		e = sup_wait(s, s->boot.killed[0] ? -1 : next);
		if (e == EV_BACKUP)	/* what came meanwhile, done now */
			e = sup_hold(s);
		switch (e) {
		case EV_TIMEOUT:
			sup_probe(s);
			next = now_ms() + sup_probe_every(s);
			break;
		case EV_TERM:
			return ladder(s);
		case EV_USER:
			s->boot.answered = now_ms();
			break;
		case EV_SUSPEND:
		case EV_RESUME:
			sup_suspend(s, e == EV_SUSPEND);
			break;
		case EV_SOCKET:
			s->boot.answered = now_ms();
			if (s->boot.sockets > 1)
				logmsg("%s: the guest rebooted", s->g->name);
			break;
		case EV_EXIT:
			if ((r = exited(s, &crashes)) != 0)
				return r > 0 ? EX_OK : EX_CRASHED;
			break;
		default:
			break;
		}
	}
}

/* After readiness, nobody waits on our stdout and stderr any more. */
static void
detach(int readyfd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (readyfd >= 0) {
		(void)write_all(readyfd, "R", 1);
		close(readyfd);
	}
	if (null >= 0) {
		(void)dup2(null, 0);
		(void)dup2(null, 1);
		(void)dup2(null, 2);
		close(null);
	}
}

static void
write_pidfile(struct sup *s)
{
	char path[PATH_LEN_MAX];

	if (run_pid_put(s->basefd, s->g->name, getpid()) < 0)
		die_errno(EX_SYSTEM, "%s: %s", s->g->name, run_top_path(path,
		    sizeof(path), s->g->name, RUN_PID_SUFFIX));
}

/* The supervisor's life: boot, readiness, run; an exit status (guest.h).
 * The caller (start.c) tears down what the start made. */
int
sup_life(struct sup *s)
{
	char why[HOW_MAX + 128], said[MC_DATA_MAX * 4 + 1];
	int r;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		die_errno(EX_SYSTEM, "subreaper");
	if (boot(s) < 0) {
		r = EX_CONFIG;
		sup_outcome(s, RS_FAILED, "the kernel did not start");
		warnmsg("%s: the kernel did not start", s->g->name);
		print_log_tail(s, 10);
	} else if ((r = wait_ready(s, why, sizeof(why))) != EX_OK) {
		sup_abort_boot(s);
		sup_outcome(s, RS_FAILED, "%s", why);
		warnmsg("%s: %s", s->g->name, why);
		print_log_tail(s, 10);
	} else {
		logmsg("%s: ready (%s)", s->g->name, ch_escape(s->boot.version,
		    sizeof(s->boot.version), said, sizeof(said), false));
		write_pidfile(s);
		/* Before start returns: whoever acts on the service next must
		 * find OpenRC calling it started. */
		rc_mark(s->g->name, true);
		detach(s->readyfd);
		s->readyfd = -1;
		r = run(s);
		/* Its end is marked in OpenRC after the openrc-run that
		 * started it has marked it started (openrc.c). */
		rc_await_starter(s->rcfd);
	}
	return r;
}
