/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe.c: what USER owns, read as USER: the COW file's header and the
 * guest's files in its root image.
 *
 * Both are untrusted input (the guest, or USER, writes them), and the
 * paths to them may pass through USER's directories, so root neither
 * opens nor parses them: a child becomes USER with no privileges
 * (privdrop_account), reads, and writes one finding a line to a pipe:
 * a level letter (W, E), a space, the message.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chars.h"
#include "cow.h"
#include "perm.h"
#include "resources.h"
#include "util.h"

#define LINE_MAX_ 600

/* One finding, one line: cut to fit, always ending in its newline. */
static void
put(int out, enum gc_level lv, const char *msg)
{
	char line[LINE_MAX_];
	int n = snprintf(line, sizeof(line) - 1, "%c %s", lv == GC_ERROR ? 'E' :
	    'W', msg);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof(line) - 1 ? (size_t)n :
	    sizeof(line) - 2;

	line[len++] = '\n';
	(void)write_all(out, line, len);
}

static void
put_gc(void *arg, enum gc_level lv, const char *msg)
{
	put(*(int *)arg, lv, msg);
}

static void putf(int out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
putf(int out, const char *fmt, ...)
{
	char msg[LINE_MAX_];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	put(out, GC_ERROR, msg);
}

/* The backing file the header names is BASE_IMAGE: the same path, or the
 * same file (the kernel's path_requires_switch()). */
static bool
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return strcmp(a, b) == 0 || (stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

static void
cow_probe(const struct guest *g, int out)
{
	static unsigned char buf[COW_HEADER_MAX];
	static struct cow_header h;
	struct stat bst, st;
	char why[160], shown[256];
	ssize_t n;
	int fd, r;

	if (stat(g->base, &bst) < 0)
		return putf(out, "BASE_IMAGE=\"%s\": %s", g->base,
		    strerror(errno));
	fd = open(g->root, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return;		/* the kernel makes it at start */
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return putf(out, "ROOT=\"%s\": %s", g->root, fd < 0 ?
		    strerror(errno) : "not a regular file");
	n = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	r = cow_decode(buf, n > 0 ? (size_t)n : 0, &h);
	if (r == -1)
		return putf(out, "ROOT=\"%s\" is not a COW file, but "
		    "BASE_IMAGE is set: a whole disk needs no BASE_IMAGE; "
		    "remove ROOT to start afresh from the base", g->root);
	if (r < 0)
		return putf(out, "ROOT=\"%s\": a COW file with a malformed "
		    "header (version %u)", g->root, h.version);
	if (cow_matches(&h, (uint64_t)bst.st_size, (int64_t)bst.st_mtime, why,
	    sizeof(why)))
		return;	/* over another path too: the kernel switches the
			 * header to BASE_IMAGE (path_requires_switch()),
			 * as after a move */
	if (!same_file(h.backing, g->base))
		putf(out, "ROOT=\"%s\" is a COW file over \"%s\", not over "
		    "BASE_IMAGE=\"%s\"", g->root, ch_escape(h.backing,
		    sizeof(h.backing), shown, sizeof(shown), false), g->base);
	else
		putf(out, "BASE_IMAGE=\"%s\" changed after the COW file "
		    "ROOT=\"%s\" was made (%s): UML refuses to boot on it; "
		    "restore the base, or discard the COW file (see uml(8), "
		    "COPY-ON-WRITE)", g->base, g->root, why);
}

static void
child(const struct guest *g, const struct account *a, unsigned what, int out)
{
	const char *step = "dup2", *init = NULL;
	char err[512];
	size_t i;
	int null;

	/* Nothing of root's but the pipe: no terminal (TIOCSTI, keystrokes),
	 * a session of its own, gone with its parent. */
	if (dup2(out, 3) < 0 || (step = "close_range", close_range(4, ~0U, 0) <
	    0) || (step = "/dev/null", (null = open("/dev/null", O_RDWR)) <
	    0) || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 ||
	    (step = "setsid", setsid() < 0) || (step = privdrop_account(a)) !=
	    NULL || (step = "pdeathsig", prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0,
	    0) < 0) || (step = "chdir /", chdir("/") < 0)) {
		putf(3, "cannot become USER to read the images: %s: %s", step,
		    strerror(errno));
		_exit(1);
	}
	out = 3;
	if ((what & PROBE_COW) && g->base[0])
		cow_probe(g, out);
	if (what & PROBE_GUEST) {
		for (i = 0; i < g->nextra; i++)
			if (strncmp(g->extra[i], "init=", 5) == 0)
				init = g->extra[i] + 5;
		if (gimage_check(g->base[0] ? g->base : g->root, init,
		    g->swap[0] != '\0', put_gc, &out, err, sizeof(err)) < 0)
			put(out, GC_WARN, err);
	}
	_exit(0);
}

/* Read the child's lines until EOF or the deadline; each to report. */
static int
collect(int fd, gc_report *report, void *rarg)
{
	static char buf[64 * 1024];
	char *nl, *s, *c;
	size_t used = 0;
	long long end = now_ms() + PROBE_TIMEOUT_MS;
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t n;
	int r;

	for (;;) {
		r = poll(&p, 1, (int)(end - now_ms() > 0 ? end - now_ms() : 0));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n = read(fd, buf + used, sizeof(buf) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == sizeof(buf) - 1)
			break;
	}
	buf[used] = '\0';
	/* The child is USER's: a finding a line (it escapes what it quotes
	 * itself); any byte but printable ASCII becomes '?' here, before it
	 * can reach a terminal.  A last line without its newline counts. */
	for (s = buf; *s; s = nl ? nl + 1 : s + strlen(s)) {
		if ((nl = strchr(s, '\n')))
			*nl = '\0';
		for (c = s; *c; c++)
			if (*c < ' ' || *c > '~')
				*c = '?';
		if ((s[0] == 'E' || s[0] == 'W') && s[1] == ' ')
			report(rarg, s[0] == 'E' ? GC_ERROR : GC_WARN, s + 2);
	}
	return 0;
}

int
probe_guest(const struct guest *g, const struct account *a, unsigned what,
    gc_report *report, void *rarg, char *err, size_t errlen)
{
	int p[2], st = 0, r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "reading the images as USER: pipe: %s",
		    strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "reading the images as USER: fork: %s",
		    strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(g, a, what, p[1]);
	}
	close(p[1]);
	r = collect(p[0], report, rarg);
	close(p[0]);
	if (r < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			st = -1;
			break;
		}
	if (r < 0 || st == -1 || !WIFEXITED(st)) {
		snprintf(err, errlen, "reading %s as USER %s", g->base[0] ?
		    g->base : g->root, r < 0 ? "took too long (a damaged "
		    "image?)" : "failed (the reader crashed: a damaged "
		    "image?)");
		return -1;
	}
	return 0;
}
