/*
 * proc.c: processes as /proc shows them, and killing what is left of a
 * kernel's process group.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"

/*
 * Start time (clock ticks since boot), process group and uid of pid, from
 * /proc; 0 if it is gone.
 */
unsigned long long
proc_starttime(pid_t pid, pid_t *pgid, uid_t *uid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	struct stat st;
	int fd, pg = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (fstat(fd, &st) < 0)
		n = -1;
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name may hold anything: fields start after the last ')'. */
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
 * Kill what is left of a kernel's process group: same group, started no
 * earlier, same uid.  A pid stays reserved while a process group of that
 * id exists, so if kpid now names a younger process the group is gone.
 */
int
proc_kill_group(pid_t kpid, unsigned long long kstart, uid_t kuid)
{
	unsigned long long st = proc_starttime(kpid, NULL, NULL);
	struct dirent *e;
	int killed = 0;
	DIR *d;

	if ((st != 0 && st != kstart) || !(d = opendir("/proc")))
		return 0;
	while ((e = readdir(d))) {
		pid_t p = (pid_t)atoi(e->d_name), pg;
		uid_t u;

		if (p <= 1 || !(st = proc_starttime(p, &pg, &u)))
			continue;
		if (pg == kpid && st >= kstart && u == kuid && kill(p, SIGKILL) == 0)
			killed++;
	}
	closedir(d);
	return killed;
}
