/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lifecycle.c: start a guest, wait until it answers, and stay its parent.
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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chars.h"
#include "kargv.h"
#include "mcproto.h"
#include "sup.h"
#include "resources.h"
#include "util.h"

static int
pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Fork and exec the kernel; a failure before exec is reported, not hidden. */
static int
boot(struct sup *s)
{
	static struct kargv k;
	char rundir[PATH_LEN_MAX], err[256] = "";
	int ep[2], kin, kout;
	ssize_t n;
	pid_t pid;

	if (kargv_build(s->g, run_path(rundir, sizeof(rundir), s->g->name, NULL), &k) < 0)
		die(EX_CONFIG, "%s: the kernel command line is too long", s->g->name);
	/* With MEMORY_DIR unset the memory file is in u/ (TMPDIR), so u/ is
	 * sized for it; else u/ holds only the umid directory. */
	if (run_fresh_u(s->dirfd, s->g->name, s->a, s->g->memdir_own ?
	    s->g->mem_kib : 0) < 0)
		die_errno(EX_SYSTEM, "%s: %s/" RUN_UMLDIR, s->g->name, rundir);
	if (pipe2(ep, O_CLOEXEC) < 0 || sup_console_pipes(s, &kin, &kout) < 0)
		die_errno(EX_SYSTEM, "%s: pipe", s->g->name);
	if ((pid = fork()) < 0)
		die_errno(EX_SYSTEM, "%s: fork", s->g->name);
	if (pid == 0) {
		int dfd[DISK_KINDS];
		struct kexec x = { .argv = k.argv, .acct = s->a, .g = s->g,
		    .user = s->g->user, .confd = kout, .conin = kin, .errfd = ep[1],
		    .parent = getppid(), .tapfd = s->tapfd,
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
	if ((s->boot.pidfd = pidfd_open_(pid)) < 0)
		die_errno(EX_SYSTEM, "%s: pidfd_open", s->g->name);
	if (n > 0) {
		err[n] = '\0';
		(void)sup_reap(s);
		logmsg("%s: cannot start the kernel: %s", s->g->name, err);
		return -1;
	}
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
	long long deadline = s->boot.kstart + (long long)s->g->start_timeout * 1000;
	bool answered = false, said = false;
	enum ev e;

	for (;;) {
		e = sup_wait(s, s->boot.sockets && !answered ? now_ms() + 100 :
		    deadline);
		if (e == EV_EXIT) {
			siginfo_t si = sup_reap(s);
			char how[HOW_MAX];

			describe_exit(s, &si, how, sizeof(how));
			snprintf(why, whylen, "the kernel ended before it was ready "
			    "(%s)", how);
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
			snprintf(why, whylen, answered ? "the guest did not say it "
			    "is up (a line written to /proc/mconsole, READY=\"guest\") "
			    "within START_TIMEOUT (%u s)" : "did not answer on its "
			    "mconsole within START_TIMEOUT (%u s)",
			    s->g->start_timeout);
			return EX_TIMEOUT;
		}
	}
}

/* Kill a kernel that never became ready. */
static void
abort_boot(struct sup *s)
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

/* The running guest: until it is stopped, powers off or crashes. */
static int
run(struct sup *s)
{
	unsigned crashes = 0;
	char how[HOW_MAX];
	siginfo_t si;
	long long next = now_ms() + sup_probe_every(s);
	enum ev e;

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
			si = sup_reap(s);
			describe_exit(s, &si, how, sizeof(how));
			if (!s->boot.panic[0] && si.si_code == CLD_EXITED &&
			    si.si_status == 0) {
				sup_outcome(s, RS_POWEROFF, "the guest %s by itself",
				    how);
				return EX_OK;
			}
			sup_outcome(s, RS_CRASHED, "%s", how);
			if (!respawn(s, &crashes))
				return EX_CRASHED;
			break;
		default:
			break;
		}
	}
}

static int
bind_notify(int dirfd, const char *name, const struct account *a)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, one = 1;
	mode_t old;

	run_path(sun.sun_path, sizeof(sun.sun_path), name, RUN_NOTIFY);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_errno(EX_SYSTEM, "%s: socket", name);
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die_errno(EX_SYSTEM, "%s: bind %s", name, sun.sun_path);
	umask(old);
	/* In root's directory: the name cannot have been swapped. */
	if (fchownat(dirfd, RUN_NOTIFY, a->uid, a->gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
		die_errno(EX_SYSTEM, "%s: notify socket", name);
	return fd;
}

static int
signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIG_SUSPEND);
	sigaddset(&set, SIG_RESUME);
	sigaddset(&set, SIG_BACKUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		die_errno(EX_SYSTEM, "signalfd");
	signal(SIGPIPE, SIG_IGN);
	return fd;
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

static void
log_line(void *log, const char *line, size_t n)
{
	clog_line(log, line, n);
}

/*
 * A start that dies half-way (die() exits) must leave nothing behind: the
 * process that owns the guest's runtime state tears it down at exit.
 */
static struct sup *owned;
static pid_t owner;

static void
teardown(struct sup *s)
{
	/* A new tap of the fd transport goes with its last descriptor; it is
	 * deleted even so, in case a process of the guest still holds one. */
	net_close(s->tapfd, NIC_MAX);
	net_teardown(s->taps);
	s->taps[0] = '\0';
	/* The disks before the guest's lock: whoever finds them locked and
	 * the guest not running knows they are someone else's. */
	disk_release(&s->disks);
	run_cleanup(s->basefd, s->g->name, s->lockfd);
	s->lockfd = -1;
	owned = NULL;
}

static void
teardown_at_exit(void)
{
	if (owned && owner == getpid()) {
		if (owned->boot.kpid > 0)
			abort_boot(owned);
		teardown(owned);
	}
}

/* A COW file the kernel made at this start: locked now (disk.c). */
static int
lock_cow(struct sup *s, char *why, size_t whylen)
{
	if (s->disks.fd[DISK_ROOT] >= 0 || !s->g->base[0])
		return EX_OK;
	if (disk_take_late(s->g, s->a, s->boot.kpid, &s->disks, why,
	    whylen) < 0)
		return EX_CONFIG;
	sup_record(s);
	return EX_OK;
}

/* The supervisor's life: boot, readiness, run, tear down. */
static int
supervise(struct sup *s)
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
	} else if ((r = wait_ready(s, why, sizeof(why))) != EX_OK ||
	    (r = lock_cow(s, why, sizeof(why))) != EX_OK) {
		abort_boot(s);
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
	}
	teardown(s);
	/* However it ended (a stop, a crash, a poweroff), OpenRC must not go
	 * on calling it started: `rc-service start' would do nothing. */
	rc_mark(s->g->name, false);
	log_set_sink(NULL, NULL);
	log_set_syslog(NULL);
	clog_close(&s->log);
	return r;
}

/* The starter: wait for the supervisor's byte, or for it to give up. */
static int
await(const char *name, pid_t sup, int fd)
{
	char c;
	int st;
	ssize_t n;

	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		return EX_OK;
	if (waitpid(sup, &st, 0) < 0)
		die_errno(EX_SYSTEM, "%s: supervisor %d", name, (int)sup);
	if (WIFSIGNALED(st))
		die(EX_SYSTEM, "%s: the supervisor (pid %d) was killed by signal "
		    "%d before the guest was ready; the next start cleans up",
		    name, (int)sup, WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : EX_SYSTEM;
}

int
supervise_start(struct guest *g, const struct account *a,
    const struct start_opts *o)
{
	static struct sup s;
	char err[512];
	int rp[2];
	pid_t pid;
	size_t i;

	s = (struct sup){ .g = g, .a = a, .boot.pidfd = -1, .mcfd = -1, .readyfd = -1,
	    .confd = -1, .coninfd = -1, .listenfd = -1, .clientfd = -1,
	    .holdfd = -1 };
	for (i = 0; i < NIC_MAX; i++)
		s.tapfd[i] = -1;
	for (i = 0; i < DISK_KINDS; i++)
		s.disks.fd[i] = -1;
	s.basefd = run_base();
	if ((s.lockfd = run_lock(s.basefd, g->name)) < 0) {
		if (errno == EWOULDBLOCK)
			run_die_busy(g->name);
		die_errno(EX_SYSTEM, "%s: lock", g->name);
	}
	run_sweep(s.basefd, g->name);
	/* Checked before, but another start may have been quicker. */
	if (disk_take(g, a, NULL, true, &s.disks, err, sizeof(err)) < 0) {
		run_cleanup(s.basefd, g->name, s.lockfd);
		die(EX_CONFIG, "%s: %s", g->name, err);
	}
	run_outcome_clear(s.basefd, g->name);
	owned = &s;
	owner = getpid();
	atexit(teardown_at_exit);
	s.dirfd = run_prepare(s.basefd, g->name);
	if (g->memdir_own)
		run_path(g->memdir, sizeof(g->memdir), g->name, RUN_UMLDIR);
	if (clog_open(&s.log, g->console_log, g->console_log_max, err,
	    sizeof(err)) < 0)
		die(EX_CONFIG, "%s: CONSOLE_LOG=\"%s\": %s", g->name, g->console_log,
		    err);
	log_set_sink(log_line, &s.log);
	snprintf(err, sizeof(err), "uml.%s", g->name);
	log_set_syslog(err);
	if (net_setup(g, a, o->net, s.taps, sizeof(s.taps), s.tapfd, err,
	    sizeof(err)) < 0)
		die(EX_CONFIG, "%s: %s", g->name, err);
	s.notifyfd = bind_notify(s.dirfd, g->name, a);
	if (sup_console_listen(&s) < 0)
		die_errno(EX_SYSTEM, "%s: console socket", g->name);
	s.sigfd = signals();
	if (o->foreground)
		return supervise(&s);
	if (pipe2(rp, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		die_errno(EX_SYSTEM, "%s: fork", g->name);
	if (pid == 0) {
		close(rp[0]);
		s.readyfd = rp[1];
		owner = getpid();
		(void)setsid();
		exit(supervise(&s));
	}
	owner = pid;
	close(rp[1]);
	return await(g->name, pid, rp[0]);
}
