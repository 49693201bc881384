/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proc.c: processes as /proc shows them, and killing what is left of a
 * kernel's process group.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "system.h"
#include "util.h"

#define DESC_MAX	4096	/* descendants proc_kill_descendants signals */
#define GROUP_MAX	256	/* processes proc_kill_group waits for */

/*
 * Start time (clock ticks since boot), process group and effective uid of
 * pid, from /proc; 0 if it is gone.  The uid is the owner of /proc/PID
 * itself: the files in it are root's while the process is not dumpable
 * (proc(5)), as a UML kernel is for a while as it dies (RELIABILITY.md,
 * finding 24).
 */
unsigned long long
proc_starttime(pid_t pid, pid_t *pgid, uid_t *uid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	struct stat st;
	int dfd, fd, pg = 0;
	ssize_t n = -1;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if ((dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	if ((fd = openat(dfd, "stat", O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (fstat(dfd, &st) < 0)
		n = -1;
	close(dfd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name may hold anything: fields start after the last
	 * ')'. */
	if (!(p = strrchr(buf, ')')))
		return 0;
	if (sscanf(p + 2, "%*c %*d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
	    "%*d %*d %*d %*d %*d %*d %llu", &pg, &start) != 2)
		return 0;
	if (pgid)
		*pgid = pg;
	if (uid)
		*uid = st.st_uid;
	return start;
}

/*
 * A pidfd of pid (pidfd_open(2), Linux 5.3; close-on-exec), or -1 and
 * errno.  By syscall(2): musl has no wrapper, glibc only since 2.36.
 */
int
proc_pidfd(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Signal sig to the process of pidfd (pidfd_send_signal(2), Linux 5.1):
 * 0, or -1 and errno (ESRCH: it has ended). */
int
proc_pidfd_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/*
 * SIGKILL to pid if it still is the process that started at st: through a
 * pidfd, left in *fd to wait on; without one (none to be had: EMFILE,
 * ENOSYS), by kill(2) as before pidfds, and *fd is -1.  1 if signalled.
 */
static int
kill_one(pid_t pid, unsigned long long st, int *fd)
{
	if ((*fd = proc_pidfd(pid)) < 0)
		return errno != ESRCH && kill(pid, SIGKILL) == 0;
	if (proc_starttime(pid, NULL, NULL) != st) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	return proc_pidfd_signal(*fd, SIGKILL) == 0;
}

/* Until each process of the pidfds p[0..n) has ended, at most ms; the
 * pidfds closed.  How many had not ended. */
static int
wait_ended(struct pollfd *p, int n, int ms)
{
	long long deadline = now_ms() + ms, t;
	int left = n, i;

	while (left > 0 && (t = deadline - now_ms()) > 0) {
		if (poll(p, (nfds_t)n, (int)t) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++)
			if (p[i].fd >= 0 && p[i].revents != 0) {
				close(p[i].fd);
				p[i].fd = -1;
				left--;
			}
	}
	for (i = 0; i < n; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	return left;
}

/*
 * Kill what is left of a kernel's process group: same group, started no
 * earlier, same uid.  A pid stays reserved while a process group of that
 * id exists, so if kpid now names a younger process the group is gone.
 * Each is signalled through a pidfd opened and checked first (no pid
 * reuse in between; kill_one), then waited for, at most
 * PROC_GROUP_WAIT_MS: a process closes its descriptors (the disks' OFD
 * locks, disk.c; the taps) only as it ends, a 6.1 kernel's slowly, and a
 * start checks them next (RELIABILITY.md, finding 21).  Returns how many
 * were signalled; *left: how many had not ended in time (or were not
 * waited for: past GROUP_MAX, or signalled without a pidfd).
 */
int
proc_kill_group(pid_t kpid, unsigned long long kstart, uid_t kuid, int *left)
{
	unsigned long long st = proc_starttime(kpid, NULL, NULL);
	struct pollfd fds[GROUP_MAX];
	struct dirent *e;
	int killed = 0, n = 0, over = 0, fd, r;
	DIR *d;

	*left = 0;
	if ((st != 0 && st != kstart) || !(d = opendir("/proc")))
		return 0;
	while ((e = readdir(d))) {
		pid_t p = (pid_t)atoi(e->d_name), pg;
		uid_t u;

		if (p <= 1 || !(st = proc_starttime(p, &pg, &u)) ||
		    pg != kpid || st < kstart || u != kuid)
			continue;
		r = kill_one(p, st, &fd);
		killed += r;
		if (fd >= 0 && n < GROUP_MAX) {
			fds[n].fd = fd;
			fds[n++].events = POLLIN;
			continue;
		}
		if (fd >= 0)
			close(fd);
		over += r;
	}
	closedir(d);
	*left = wait_ended(fds, n, PROC_GROUP_WAIT_MS) + over;
	return killed;
}

/* "KEY N" from the lines of file path, or -1. */
static long long
key_value(const char *path, const char *key)
{
	char buf[1024], *p;
	size_t n = strlen(key);
	ssize_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, n) == 0 && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

/*
 * How many processes the memory controller of this process's cgroup has
 * killed for its limit (v1: memory.oom_control, v2: memory.events, both
 * "oom_kill N"); -1 if it cannot be told.  The cgroup is root's choice
 * (OpenRC's rc_cgroup_* settings), as are the files read.
 */
long long
proc_oom_kills(void)
{
	char line[512], path[PATH_LEN_MAX + 64];
	long long n = -1;
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		return -1;
	while (n < 0 && fgets(line, sizeof(line), f)) {
		char *ctl = strchr(line, ':'), *cg = ctl ? strchr(ctl + 1,
		    ':') : NULL;

		if (!cg)
			continue;
		cg[strcspn(cg, "\n")] = '\0';
		if (strncmp(ctl, ":memory:", 8) == 0) {
			snprintf(path, sizeof(path), "/sys/fs/cgroup/memory%s/"
			    "memory.oom_control", cg + 1);
			n = key_value(path, "oom_kill");
		} else if (strncmp(line, "0::", 3) == 0) {
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s/"
			    "memory.events", cg + 1);
			n = key_value(path, "oom_kill");
		}
	}
	fclose(f);
	return n;
}

/*
 * Send sig to every descendant of pid, as /proc/PID/task/TID/children
 * lists them (the supervisor is a child subreaper, so a process of the
 * guest that left its session or process group is still one of its
 * descendants).  Returns how many were signalled; at most DESC_MAX.
 */
int
proc_kill_descendants(pid_t pid, int sig)
{
	static pid_t todo[DESC_MAX];
	char path[64], buf[4096], *p, *end;
	size_t n = 1, i;
	struct dirent *e;
	DIR *d;
	int fd, sent = 0;
	ssize_t len;

	todo[0] = pid;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task", (int)todo[i]);
		if (!(d = opendir(path)))
			continue;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path),
			    "/proc/%d/task/%.16s/children", (int)todo[i],
			    e->d_name);
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
				continue;
			len = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			buf[len > 0 ? len : 0] = '\0';
			for (p = buf; n < DESC_MAX; p = end) {
				long c = strtol(p, &end, 10);

				if (end == p)
					break;
				todo[n++] = (pid_t)c;
			}
		}
		closedir(d);
	}
	for (i = 1; i < n; i++)
		if (kill(todo[i], sig) == 0)
			sent++;
	return sent;
}