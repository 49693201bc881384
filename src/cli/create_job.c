/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * create_job.c: the bookkeeping of `umlctl create''s making
 * (create_make.c): every file and directory made is remembered, and a
 * failure or a signal (SIGINT, SIGTERM, SIGHUP, seen between steps)
 * removes them again, newest first, with the staging tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "create.h"
#include "resources.h"
#include "util.h"

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* Remove the staging tree: 0, or -1 when some of it stays. */
static int
drop_stage(struct job *j)
{
	int r = 0;

	if (!j->stage[0])
		return 0;
	if (rmtree_at(j->stagefd, "root") < 0)
		r = -1;
	close(j->stagefd);
	if (rmdir(j->stage) < 0 && errno != ENOENT)
		r = -1;
	if (r < 0)
		warnmsg("create: the staging tree %s could not be removed: %s",
		    j->stage, strerror(errno));
	j->stage[0] = '\0';
	return r;
}

/* Undo, newest first; a name whose inode changed meanwhile is left.
 * 0, or -1 when something stays (said by the caller). */
static int
undo(struct job *j)
{
	struct stat st;
	struct made *m;
	int r = 0;

	while (j->nmade > 0) {
		m = &j->made[--j->nmade];
		if (fstatat(m->dfd, m->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_ino == m->ino &&
		    unlinkat(m->dfd, m->name, m->dir ? AT_REMOVEDIR : 0) < 0) {
			warnmsg_errno("create: %s could not be removed",
			    m->name);
			r = -1;
		}
	}
	return drop_stage(j) < 0 ? -1 : r;
}

static struct job *the_job;

void
job_fail(int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	bool left;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	left = the_job && undo(the_job) < 0;
	die(status, "create %s: %s; %s", the_job ? the_job->name : "", msg,
	    left ? "not all that was made could be removed (see above)" :
	    "nothing was left behind");
}

void
job_remember(struct job *j, int dfd, const char *name, bool dir)
{
	struct stat st;
	struct made *m = &j->made[j->nmade];

	if (j->nmade == sizeof(j->made) / sizeof(j->made[0]) ||
	    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		job_fail(EX_SYSTEM, "%s: %s", name, strerror(errno));
	m->dfd = dfd;
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->ino = st.st_ino;
	m->dir = dir;
	j->nmade++;
}

/* The signal that came meanwhile, or 0. */
int
job_stopped(void)
{
	return (int)stop_signal;
}

/* Fail if a signal came meanwhile. */
void
job_signalled(void)
{
	if (stop_signal)
		job_fail(EX_SYSTEM, "interrupted by signal %d",
		    (int)stop_signal);
}

/* When create began (job_begin), for its steps' elapsed time. */
static struct timespec began;

/*
 * A step begins: "[  38.2 s] router: making the root disk (ROOT)" on
 * standard error when it is a terminal (someone waits for mmdebstrap);
 * silent otherwise (scripts and logs keep create's one line).
 */
void
job_step(const struct job *j, const char *fmt, ...)
{
	struct timespec t;
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	fprintf(stderr, "[%6.1f s] %s: ", (double)(t.tv_sec - began.tv_sec) +
	    (double)(t.tv_nsec - began.tv_nsec) / 1e9, j->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
job_begin(struct job *j)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* What a stopped step's programs left behind becomes ours to end
	 * (create_run.c, end_all). */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	the_job = j;
	umask(022);
	clock_gettime(CLOCK_MONOTONIC, &began);
}

/* Done: the staging tree goes (a warning if it cannot), what was made
 * stays. */
void
job_end(struct job *j)
{
	job_step(j, "done");
	(void)drop_stage(j);
	the_job = NULL;
}
