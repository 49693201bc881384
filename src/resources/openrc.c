/* SPDX-License-Identifier: BSD-2-Clause */
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
 *
 * And `check' verifies that the services a guest's rc_need names exist,
 * which OpenRC itself finds out only at start ("needs non existent
 * service"): a script in SYSCONFDIR/init.d, or a name another service
 * provides (a virtual such as "net"), as OpenRC's deptree lists them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "resources.h"
#include "util.h"

#ifndef RCLIBDIR
#define RCLIBDIR "/lib/rc"
#endif
#define RC_SOFTLEVEL	"/run/openrc/softlevel"
#define RC_DEPTREE	"/run/openrc/deptree"
#define RC_UPDATE	"/sbin/rc-update"

/* Run argv, nothing inherited, and wait at most RC_MARK_WAIT_MS. */
static int
run_helper(char *const *argv)
{
	char path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
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
		execve(argv[0], argv, envp);
		_exit(127);
	}
	p.fd = proc_pidfd(pid);
	p.events = POLLIN;
	if (p.fd >= 0 && poll(&p, 1, RC_MARK_WAIT_MS) == 0)
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
	if (run_helper((char *const[]){ prog, svc, NULL }) < 0)
		logmsg("%s: could not tell OpenRC that %s is %s", name, svc,
		    started ? "started" : "stopped");
}

/*
 * The openrc-run whose start of uml.NAME runs this command, as a pidfd
 * (RC_SVCNAME, RC_CMD start or restart, and RC_OPENRC_PID, which
 * openrc-run sets for its runscript: src/openrc-run/openrc-run.c, OpenRC
 * 0.45); -1 when there is none, as for a start by hand.
 */
int
rc_starter_open(const char *name)
{
	const char *svc = getenv("RC_SVCNAME"), *cmd = getenv("RC_CMD");
	const char *pid = getenv("RC_OPENRC_PID");
	char *end;
	long n;

	if (!svc || !cmd || !pid || strncmp(svc, "uml.", 4) != 0 ||
	    strcmp(svc + 4, name) != 0 ||
	    (strcmp(cmd, "start") != 0 && strcmp(cmd, "restart") != 0))
		return -1;
	errno = 0;
	n = strtol(pid, &end, 10);
	if (errno || *end || n <= 1 || n > INT32_MAX)
		return -1;
	return proc_pidfd((pid_t)n);
}

/*
 * Wait, at most RC_START_WAIT_MS, for the openrc-run of rc_starter_open
 * to end.  openrc-run marks a service started once its start() has
 * returned, whatever was marked meanwhile (svc_start_real in
 * src/openrc-run/openrc-run.c), then exits: a guest stopped between its
 * readiness and that mark would stay "started" with nothing running,
 * unless its supervisor marks it stopped after.  At once when the
 * openrc-run is gone, as it is for a guest that ran longer than a start.
 */
void
rc_await_starter(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	if (pidfd >= 0)
		(void)poll(&p, 1, RC_START_WAIT_MS);
}

/*
 * Take uml.NAME out of runlevel level with `rc-update del', as an admin
 * would; -1 if it failed or the entry is still there.
 */
int
rc_update_del(const char *name, const char *level)
{
	char svc[NAME_LEN_MAX + 8], lv[NAME_LEN_MAX + 1], path[PATH_LEN_MAX];
	char prog[] = RC_UPDATE, del[] = "del";
	struct stat st;

	snprintf(svc, sizeof(svc), "uml.%s", name);
	snprintf(lv, sizeof(lv), "%s", level);
	snprintf(path, sizeof(path), SYSCONFDIR "/runlevels/%s/%s", lv, svc);
	(void)run_helper((char *const[]){ prog, del, svc, lv, NULL });
	return lstat(path, &st) == 0 ? -1 : 0;
}

/*
 * Whether OpenRC's deptree (lines depinfo_N_service='NAME' and
 * depinfo_N_providedby_K='...', src/librc/librc-depend.c) says some
 * service provides name.
 */
static bool
provided(const char *name)
{
	char line[512], want[128], idx[32] = "", pre[64];
	FILE *f = fopen(RC_DEPTREE, "re");
	bool yes = false;
	int n;

	if (f == NULL)
		return false;
	snprintf(want, sizeof(want), "_service='%s'\n", name);
	while (!yes && fgets(line, sizeof(line), f) != NULL) {
		char *u = strstr(line, "_service='");

		if (u && strcmp(u, want) == 0 &&
		    sscanf(line, "depinfo_%31[0-9]", idx) == 1)
			continue;
		n = snprintf(pre, sizeof(pre), "depinfo_%s_providedby_", idx);
		yes = idx[0] && n > 0 && strncmp(line, pre, (size_t)n) == 0;
	}
	fclose(f);
	return yes;
}

int
rc_need_check(const char *need, char *err, size_t errlen)
{
	char words[sizeof(((struct guest *)0)->rc_need)], path[PATH_LEN_MAX];
	char *w, *save = NULL;
	struct stat st;

	if (lstat(RC_SOFTLEVEL, &st) < 0)
		return 0;	/* not an OpenRC host, or OpenRC not running */
	snprintf(words, sizeof(words), "%s", need);
	for (w = strtok_r(words, " \t\n", &save); w;
	    w = strtok_r(NULL, " \t\n", &save)) {
		snprintf(path, sizeof(path), SYSCONFDIR "/init.d/%s", w);
		if (stat(path, &st) == 0 || provided(w))
			continue;
		snprintf(err, errlen, "rc_need: \"%s\": no such OpenRC service "
		    "(no %s, and no service provides it), and OpenRC would "
		    "refuse to start the guest; name the service that makes "
		    "the bridge (net.BRIDGE with netifrc; on Debian, "
		    "\"networking\" for /etc/network/interfaces)", w, path);
		return -1;
	}
	return 0;
}
