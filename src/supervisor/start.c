/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * start.c: a guest's start, up to the supervisor's fork, and the teardown
 * of what it made.
 *
 * `umlctl start' takes the guest's lock, sweeps what a killed supervisor
 * left, takes the disks, prepares /run/uml/NAME, the console log, the
 * taps, the notify and console sockets and the signalfd, then forks the
 * supervisor (lifecycle.c has its life) and waits for its byte.  Whatever
 * the start made is torn down here: when the supervisor ends, and at exit
 * when a die() ends the start half-way.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sup.h"
#include "resources.h"
#include "util.h"

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
	if (fchownat(dirfd, RUN_NOTIFY, a->uid, a->gid, AT_SYMLINK_NOFOLLOW) <
	    0 || setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
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
	/* A COW file this start made, no kernel ran on: nothing left. */
	if (s->cow_new)
		cow_unmake(s->g, s->a, &s->disks.id[DISK_ROOT], false);
	s->cow_new = false;
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
			sup_abort_boot(owned);
		teardown(owned);
	}
}

/* The supervisor: its guest's life, then the teardown of what the start
 * made. */
static int
supervise(struct sup *s)
{
	int r = sup_life(s);

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
		die(EX_SYSTEM, "%s: the supervisor (pid %d) was killed by "
		    "signal %d before the guest was ready; the next start "
		    "cleans up", name, (int)sup, WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : EX_SYSTEM;
}

int
supervise_start(struct guest *g, const struct account *a,
    const struct start_opts *o)
{
	static struct sup s;
	struct diskid cow;
	char err[512];
	int rp[2], made = 0;
	pid_t pid;
	size_t i;

	s = (struct sup){ .g = g, .a = a, .boot.pidfd = -1, .mcfd = -1,
	    .readyfd = -1, .confd = -1, .coninfd = -1, .listenfd = -1,
	    .clientfd = -1, .holdfd = -1, .rcfd = rc_starter_open(g->name) };
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
	/* The COW file before its first boot (cowfile.c), locked below. */
	if (g->base[0] && (made = cow_make(g, a, &cow, err, sizeof(err))) < 0) {
		run_cleanup(s.basefd, g->name, s.lockfd);
		die(EX_CONFIG, "%s: %s", g->name, err);
	}
	/* Checked before, but another start may have been quicker. */
	if (disk_take(g, a, NULL, true, &s.disks, err, sizeof(err)) < 0) {
		/* Maybe refused for another start's lock on the file made
		 * here: that start's now. */
		if (made == 1)
			cow_unmake(g, a, &cow, true);
		run_cleanup(s.basefd, g->name, s.lockfd);
		die(EX_CONFIG, "%s: %s", g->name, err);
	}
	s.cow_new = made == 1;
	run_outcome_clear(s.basefd, g->name);
	owned = &s;
	owner = getpid();
	atexit(teardown_at_exit);
	s.dirfd = run_prepare(s.basefd, g->name);
	if (g->memdir_own)
		run_path(g->memdir, sizeof(g->memdir), g->name, RUN_UMLDIR);
	if (clog_open(&s.log, g->console_log, g->console_log_max, err,
	    sizeof(err)) < 0)
		die(EX_CONFIG, "%s: CONSOLE_LOG=\"%s\": %s", g->name,
		    g->console_log, err);
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
