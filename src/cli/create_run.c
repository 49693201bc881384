/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * create_run.c: the programs `umlctl create' runs (mmdebstrap, tar, mke2fs,
 * mkswap), each in a session of its own, with a clean environment; a
 * signal to umlctl meanwhile stops the child's whole session at once
 * (SIGTERM, then SIGKILL after STOP_GRACE_MS) and fails the job, and
 * nothing the job started outlives it (create is a child subreaper).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "create.h"
#include "resources.h"
#include "util.h"

#define CMD_PATH	"PATH=/usr/sbin:/usr/bin:/sbin:/bin"
#define STOP_GRACE_MS	5000	/* a stopped child: SIGTERM, then SIGKILL */

/* The signals that stop create (create_job.c catches them). */
static void
stop_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

/*
 * The child, before exec: a session of its own, so that a stop reaches
 * everything it starts (mmdebstrap's apt and dpkg) through its process
 * group, and no terminal's job control stops it; the stop signals back to
 * their defaults before they are unblocked, so that one sent meanwhile
 * ends it.  With ns, a mount namespace of its own: what mmdebstrap mounts
 * in the tree (proc, sys, dev) goes with its last process, even one
 * killed before it could unmount, and is never seen by the walk that
 * removes the tree.  (Where root cannot unshare, mmdebstrap cannot mount
 * either.)
 */
static void
child_setup(const sigset_t *old, bool ns)
{
	(void)setsid();
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (ns && unshare(CLONE_NEWNS) == 0 &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		_exit(127);
	sigprocmask(SIG_SETMASK, old, NULL);
}

/*
 * Start argv with a clean environment, stdin from in and stdout to out
 * (-1: /dev/null, and stdout left as it is); keep, if not -1, becomes its
 * fd 3; ns: in a mount namespace of its own.  Its pid.
 */
static pid_t
spawn(char *const *argv, int in, int out, int keep, bool ns)
{
	static char *const env[] = { CMD_PATH, "LC_ALL=C.UTF-8", NULL };
	sigset_t set, old;
	pid_t pid;

	stop_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid = fork();
	if (pid != 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (pid < 0)
			job_fail(EX_SYSTEM, "fork: %s", strerror(errno));
		return pid;
	}
	child_setup(&old, ns);
	if ((in < 0 && (in = open("/dev/null", O_RDONLY)) < 0) ||
	    dup2(in, 0) < 0 || (out >= 0 && dup2(out, 1) < 0) ||
	    (keep >= 0 && dup2(keep, 3) < 0) ||
	    (keep == 3 && fcntl(3, F_SETFD, 0) < 0) ||
	    close_range(keep >= 0 ? 4 : 3, ~0U, 0) < 0)
		_exit(127);
	execve(argv[0], argv, env);
	warnmsg_errno("%s", argv[0]);
	_exit(127);
}

/* sig to the child's session (its process group) and to the child itself
 * (before its setsid, the signal waits for it, blocked). */
static void
stop_child(pid_t pid, int sig)
{
	(void)kill(-pid, sig);
	(void)kill(pid, sig);
}

/*
 * Wait until the child has ended, as a zombie still holding its pid.  A
 * signal to umlctl meanwhile (now or before) stops it at once: SIGTERM to
 * its whole session (mmdebstrap's parent ignores SIGTERM and waits for its
 * setup process, which unmounts and exits on it), SIGKILL STOP_GRACE_MS
 * later.  The signals are unblocked only inside ppoll, so none is missed
 * between a check and the wait.
 */
static void
await_end(pid_t pid, int pfd, const sigset_t *old)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	siginfo_t si;
	long long since = 0;

	for (;;) {
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)pid, &si,
		    WEXITED | WNOHANG | WNOWAIT) < 0)
			job_fail(EX_SYSTEM, "waitid: %s", strerror(errno));
		if (si.si_pid == pid)
			return;
		if (job_stopped() && !since) {
			stop_child(pid, SIGTERM);
			since = now_ms();
		} else if (since && now_ms() - since >= STOP_GRACE_MS)
			stop_child(pid, SIGKILL);
		(void)ppoll(&p, 1, since ? &tick : NULL, old);
	}
}

/*
 * Stopped: nothing the job started outlives it.  create is a child
 * subreaper (job_begin), so whatever left the child's process group or
 * session is still a descendant: killed, and reaped, until none is left.
 */
static void
end_all(void)
{
	int st;

	for (;;) {
		(void)proc_kill_descendants(getpid(), SIGKILL);
		if (waitpid(-1, &st, 0) < 0 && errno == ECHILD)
			return;
	}
}

/* Its exit status (128 + the signal that killed it); a signal to
 * umlctl meanwhile ends it, and everything else the job started, and
 * fails. */
static int
reap(pid_t pid)
{
	sigset_t set, old;
	int st, pfd = proc_pidfd(pid);

	if (pfd < 0)
		job_fail(EX_SYSTEM, "pidfd_open: %s", strerror(errno));
	stop_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	await_end(pid, pfd, &old);
	/* Its zombie holds the pid, so the group is still its own: whatever
	 * it left running in its session goes too. */
	(void)kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			job_fail(EX_SYSTEM, "waitpid: %s", strerror(errno));
	close(pfd);
	if (job_stopped())
		end_all();
	sigprocmask(SIG_SETMASK, &old, NULL);
	job_signalled();
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void
run_ok_ns(char *const *argv, int keep, const char *what, bool ns)
{
	int r = reap(spawn(argv, -1, -1, keep, ns));

	if (r != 0)
		job_fail(EX_SYSTEM, "%s failed (%s exited %d)", what,
		    argv[0], r);
}

void
run_ok(char *const *argv, int keep, const char *what)
{
	run_ok_ns(argv, keep, what, false);
}

/*
 * Copy directory from into tree with GNU tar on both ends of a pipe: it
 * walks from with openat(parent, name, O_NOFOLLOW), so a directory swapped
 * for a link meanwhile (a 1777 /tmp in the source lets anyone try) is not
 * followed out of it, which cp -a, walking by path, would.
 */
void
copy_tree(char *from, char *tree)
{
	char *const c[] = { "/bin/tar", "-C", from, "--numeric-owner",
		"--xattrs", "--xattrs-include=*", "-cf", "-", ".", NULL };
	char *const x[] = { "/bin/tar", "-C", tree, "--numeric-owner",
		"--xattrs", "--xattrs-include=*", "-xpf", "-", NULL };
	int p[2], rc, rx;
	pid_t pc, px;

	if (pipe2(p, O_CLOEXEC) < 0)
		job_fail(EX_SYSTEM, "pipe: %s", strerror(errno));
	pc = spawn(c, -1, p[1], -1, false);
	px = spawn(x, p[0], -1, -1, false);
	close(p[0]);
	close(p[1]);
	rc = reap(pc);
	rx = reap(px);
	if (rc != 0 || rx != 0)
		job_fail(EX_SYSTEM, "copying the directory failed (tar exited "
		    "%d, %d)", rc, rx);
}
