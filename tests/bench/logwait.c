/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logwait.c: the benchmark's event-driven wait for a line in log files.
 *
 *   logwait TIMEOUT OK FAIL FILE...
 *
 * Waits until each FILE holds a line containing the text OK (umlctl's
 * supervisor logs `NAME: guest says: ready' into the guest's console log
 * when the guest's init writes `ready' to /proc/mconsole).  It sleeps in
 * poll() on an inotify descriptor (IN_MODIFY on each file), so it costs no
 * CPU while it waits and sees a line the moment it is written: no polling
 * interval.  Lines on stdout, TIME in microseconds of CLOCK_REALTIME (the
 * clock of `date +%s%N'), taken right after the read that completed the
 * line:
 *
 *   FILE ok TIME           a line with OK; once for each FILE
 *   FILE fail TIME LINE    a line with FAIL came first (exit 3)
 *   FILE timeout           no OK line within TIMEOUT seconds (exit 2)
 *
 * Exit 0 once every FILE had its OK line, 1 on an error.  The files must
 * exist (the caller empties them before the start it times), and only
 * grow, or are emptied: a file that shrinks is read again from its start.
 * Everything already in a file when logwait starts counts too, so it can
 * be started before or after the writer.  A measuring tool of bench.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct file {
	const char *path;
	int fd, wd;
	off_t off;
	size_t len;		/* bytes of the current line in line[] */
	bool done, dirty;
	char line[4096];
};

static const char *ok_text, *fail_text;

static long long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long long real_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* A complete line of f: 0 nothing, 1 the OK text, 3 the FAIL text. */
static int judge(struct file *f)
{
	f->line[f->len] = '\0';
	if (strstr(f->line, ok_text))
		return 1;
	if (*fail_text && strstr(f->line, fail_text))
		return 3;
	return 0;
}

/* Read what f gained since the last call; 0, or 3 on a FAIL line. */
static int scan(struct file *f)
{
	char buf[8192];
	struct stat st;
	ssize_t n;
	int r;

	if (fstat(f->fd, &st) == 0 && st.st_size < f->off) {
		f->off = 0;
		f->len = 0;
	}
	while (!f->done && (n = pread(f->fd, buf, sizeof buf, f->off)) > 0) {
		f->off += n;
		for (ssize_t i = 0; i < n && !f->done; i++) {
			if (buf[i] != '\n') {
				/* A very long line: its head is enough. */
				if (f->len < sizeof f->line - 1)
					f->line[f->len++] = buf[i];
				continue;
			}
			r = judge(f);
			f->len = 0;
			if (r == 1) {
				printf("%s ok %lld\n", f->path, real_us());
				fflush(stdout);
				f->done = true;
			} else if (r == 3) {
				printf("%s fail %lld %s\n", f->path, real_us(), f->line);
				return 3;
			}
		}
	}
	if (n < 0 && !f->done) {
		fprintf(stderr, "logwait: %s: %s\n", f->path, strerror(errno));
		exit(1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	union {
		struct inotify_event e;
		char b[16 * (sizeof(struct inotify_event) + 256)];
	} ev;
	struct file *fs;
	long long deadline;
	int nf, ino, left, r;

	if (argc < 5) {
		fprintf(stderr, "usage: logwait TIMEOUT OK FAIL FILE...\n");
		return 1;
	}
	deadline = mono_ms() + atoll(argv[1]) * 1000;
	ok_text = argv[2];
	fail_text = argv[3];
	nf = argc - 4;
	if (!(fs = calloc((size_t)nf, sizeof *fs)) ||
	    (ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0) {
		perror("logwait");
		return 1;
	}
	/* The watches first, then the first read: nothing written is missed. */
	for (int i = 0; i < nf; i++) {
		fs[i].path = argv[i + 4];
		if ((fs[i].fd = open(fs[i].path, O_RDONLY | O_CLOEXEC)) < 0 ||
		    (fs[i].wd = inotify_add_watch(ino, fs[i].path, IN_MODIFY)) < 0) {
			fprintf(stderr, "logwait: %s: %s\n", fs[i].path, strerror(errno));
			return 1;
		}
	}
	left = nf;
	for (int i = 0; i < nf; i++) {
		if (scan(&fs[i]) == 3)
			return 3;
		left -= fs[i].done;
	}
	while (left > 0) {
		struct pollfd p = { .fd = ino, .events = POLLIN };
		long long wait = deadline - mono_ms();
		ssize_t n;

		if (wait <= 0) {
			for (int i = 0; i < nf; i++)
				if (!fs[i].done)
					printf("%s timeout\n", fs[i].path);
			return 2;
		}
		if (poll(&p, 1, (int)wait) < 0 && errno != EINTR) {
			perror("logwait: poll");
			return 1;
		}
		/* Mark the files that changed (all of them if events were lost). */
		while ((n = read(ino, &ev, sizeof ev)) > 0) {
			for (char *q = ev.b; q < ev.b + n;) {
				const struct inotify_event *e = (const void *)q;

				for (int i = 0; i < nf; i++)
					if ((e->mask & IN_Q_OVERFLOW) || e->wd == fs[i].wd)
						fs[i].dirty = true;
				q += sizeof *e + e->len;
			}
		}
		for (int i = 0; i < nf; i++) {
			if (fs[i].done || !fs[i].dirty)
				continue;
			fs[i].dirty = false;
			if ((r = scan(&fs[i])) == 3)
				return 3;
			left -= fs[i].done;
		}
	}
	return 0;
}
