/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gstat.c: what the host's kernel counts of a running guest: the CPU time
 * and memory of its kernel's processes, and its memory file, from /proc.
 * Read only; nothing here opens a file of USER's (only /proc's files are
 * opened, the memory file is stat()ed through /proc/PID/fd).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system.h"

/* Read a /proc file into buf (NUL-terminated); its length, or -1. */
static ssize_t
proc_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* utime + stime of pid, clock ticks (proc(5) fields 14 and 15). */
static unsigned long long
cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	/* The command name may hold anything: fields start after the last
	 * ')'. */
	if (proc_read(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return 0;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
	    "%llu", &ut, &st) != 2)
		return 0;
	return ut + st;
}

/* Pss of pid, KiB (smaps_rollup): pages its processes share count once. */
static unsigned long long
pss_kib(pid_t pid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (proc_read(path, buf, sizeof(buf)) <= 0 ||
	    !(p = strstr(buf, "\nPss:")))
		return 0;
	return strtoull(p + 5, NULL, 10);
}

/*
 * The kernel's processes, as proc_kill_group finds them: its process
 * group, started no earlier than it, USER's.  0, or -1 if kpid is no
 * longer that kernel.
 */
int
gstat_procs(pid_t kpid, unsigned long long kstart, uid_t kuid,
    struct gstat *s)
{
	unsigned long long st;
	struct dirent *e;
	DIR *d;

	*s = (struct gstat){ .kstart = kstart };
	if (proc_starttime(kpid, NULL, NULL) != kstart || !(d =
	    opendir("/proc")))
		return -1;
	while ((e = readdir(d))) {
		pid_t p = (pid_t)atoi(e->d_name), pg;
		uid_t u;

		if (p <= 1 || !(st = proc_starttime(p, &pg, &u)) || pg !=
		    kpid || st < kstart || u != kuid)
			continue;
		s->nprocs++;
		s->cpu_ticks += cpu_ticks(p);
		s->pss_kib += pss_kib(p);
	}
	closedir(d);
	return s->nprocs ? 0 : -1;
}

/*
 * The kernel's memory file: UML makes it in its TMPDIR (u/, or
 * MEMORY_DIR/umlctl.NAME, on MEMORY_DIR's file system) and unlinks it, so
 * it is found among kpid's descriptors, a regular file on memdev's file
 * system (the largest, should there be more).
 * stat() follows /proc's link to the open file without opening it.
 * 0 with its size and allocated bytes, or -1.
 */
int
gstat_memfile(pid_t kpid, unsigned long long memdev, unsigned long long *size,
    unsigned long long *alloc)
{
	char path[64];
	struct dirent *e;
	struct stat st;
	int found = -1;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)kpid);
	if (!(d = opendir(path)))
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, 0) < 0 ||
		    !S_ISREG(st.st_mode) ||
		    (unsigned long long)st.st_dev != memdev ||
		    (found == 0 && (unsigned long long)st.st_size <= *size))
			continue;
		*size = (unsigned long long)st.st_size;
		*alloc = (unsigned long long)st.st_blocks * 512;
		found = 0;
	}
	closedir(d);
	return found;
}
