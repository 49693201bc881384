/*
 * openrc.c: keep OpenRC's view of a guest's service in step with umlctl's.
 *
 * OpenRC learns of a service's state only from its own start and stop: a
 * guest started or stopped with umlctl by hand, or one that crashed or
 * powered off by itself, would stay "stopped" or "started" in rc-status,
 * and `rc-service uml.NAME start' after a crash would only say it was
 * started already (OpenRC 0.45 does not look at a started service's
 * daemons before refusing).  So the supervisor marks the service started
 * once its guest is ready and stopped once it is gone, with OpenRC's own
 * mark_service_started and mark_service_stopped (src/mark_service in
 * OpenRC), when the guest is an OpenRC service (SYSCONFDIR/init.d/uml.NAME)
 * and OpenRC runs (/run/openrc/softlevel).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys.h"
#include "util.h"

#ifndef RCLIBDIR
#define RCLIBDIR "/lib/rc"
#endif
#define RC_SOFTLEVEL	"/run/openrc/softlevel"
#define MARK_WAIT_MS	2000

/* Run prog with arg, nothing inherited, and wait at most MARK_WAIT_MS. */
static int
run_helper(char *prog, char *arg)
{
	char path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	char *const argv[] = { prog, arg, NULL };
	char *const envp[] = { path, NULL };
	struct pollfd p;
	int st = -1, fd;
	pid_t pid;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 ||
		    dup2(fd, 2) < 0)
			_exit(127);
		(void)close_range(3, ~0U, 0);
		execve(prog, argv, envp);
		_exit(127);
	}
	p.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	p.events = POLLIN;
	if (p.fd >= 0 && poll(&p, 1, MARK_WAIT_MS) == 0)
		(void)kill(pid, SIGKILL);
	if (p.fd >= 0)
		close(p.fd);
	(void)waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

void
rc_mark(const char *name, bool started)
{
	char svc[NAME_LEN_MAX + 8], path[PATH_LEN_MAX], prog[PATH_LEN_MAX];
	struct stat st;

	snprintf(prog, sizeof(prog), "%s/sbin/mark_service_%s", RCLIBDIR,
	    started ? "started" : "stopped");
	snprintf(svc, sizeof(svc), "uml.%s", name);
	snprintf(path, sizeof(path), SYSCONFDIR "/init.d/%s", svc);
	if (lstat(path, &st) < 0 || lstat(RC_SOFTLEVEL, &st) < 0 ||
	    stat(prog, &st) < 0 || st.st_uid != 0 || (st.st_mode & 022))
		return;
	if (run_helper(prog, svc) < 0)
		logmsg("%s: could not tell OpenRC that %s is %s", name, svc,
		    started ? "started" : "stopped");
}
