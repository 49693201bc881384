/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * clog.c: a guest's console log, written by its supervisor only.
 *
 * The kernel's stdout and stderr are a pipe; the supervisor copies what
 * comes through it into CONSOLE_LOG, quoted so that no line of the guest's
 * passes for one of umlctl's (logq.h), and adds its own lines.  The kernel
 * never holds a descriptor of the file, so nothing of the guest can write
 * to it after the guest ended, or truncate it.  The file is bounded: when
 * it would grow past CONSOLE_LOG_MAX it becomes NAME.log.old (replacing
 * the previous one) and a new file is started, so the guest can fill at
 * most twice the bound.  SIGHUP reopens the file by name, for logrotate.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resources.h"
#include "util.h"

/*
 * Open name in c->dirfd for appending: a regular file owned by root.  A
 * file that ends mid-line (its last writer was killed, and with it the
 * kernel, in the middle of a guest's line) is ended first, so that every
 * line of umlctl's starts a line.
 */
static int
open_file(struct clog *c, char *err, size_t errlen)
{
	struct stat st;
	char last = '\n';
	int fd;

	fd = openat(c->dirfd, c->name, O_RDWR | O_APPEND | O_CREAT |
	    O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0) {
		close(fd);
		snprintf(err, errlen, "not a regular file owned by root");
		return -1;
	}
	c->fd = fd;
	c->size = st.st_size;
	if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) == 1 &&
	    last != '\n' && write_all(fd, "\n", 1) == 0)
		c->size++;
	return 0;
}

/*
 * CONSOLE_LOG: its directory must be root's (LOGDIR is made if missing),
 * the file a regular root-owned file.  0, or -1 with the reason in err.
 */
int
clog_open(struct clog *c, const char *path, unsigned long long max,
    char *err, size_t errlen)
{
	char dir[PATH_LEN_MAX];
	const char *slash = strrchr(path, '/');

	*c = (struct clog){ .dirfd = -1, .fd = -1, .max = (off_t)max };
	if (!slash || strlen(slash + 1) + sizeof(CLOG_OLD) > sizeof(c->name)) {
		snprintf(err, errlen, "not a path to a file");
		return -1;
	}
	snprintf(c->name, sizeof(c->name), "%s", slash + 1);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	c->dirfd = root_dir_open(dir[0] ? dir : "/", 0750, err, errlen);
	if (c->dirfd < 0)
		return -1;
	if (open_file(c, err, errlen) < 0) {
		close(c->dirfd);
		c->dirfd = -1;
		return -1;
	}
	return 0;
}

/*
 * Before the log goes on in another file (or from the start of this one):
 * end the guest's unfinished line, with its held bytes, in this one, so
 * that the next file starts at a line start and its first guest line is
 * quoted like any other (logq.h).  Writes directly: put() may rotate.
 */
static void
end_file(struct clog *c)
{
	char pre[LOGQ_HOLD + 2];
	size_t n = logq_flush(&c->q, pre);

	if (n > 0 && c->fd >= 0 && write_all(c->fd, pre, n) == 0)
		c->size += (off_t)n;
}

/* SIGHUP: the file was moved away (logrotate); start writing a new one. */
void
clog_reopen(struct clog *c)
{
	char err[128];
	int old = c->fd;

	end_file(c);
	if (open_file(c, err, sizeof(err)) < 0) {
		warnmsg("cannot reopen the console log %s: %s", c->name, err);
		c->fd = old;
		return;
	}
	close(old);
}

/* The file reached its bound: it becomes NAME.old, a new one starts. */
static void
rotate(struct clog *c)
{
	char old[sizeof(c->name) + sizeof(CLOG_OLD)], err[128];
	int fd = c->fd;

	end_file(c);
	snprintf(old, sizeof(old), "%s" CLOG_OLD, c->name);
	if (renameat(c->dirfd, c->name, c->dirfd, old) == 0 &&
	    open_file(c, err, sizeof(err)) == 0) {
		close(fd);
		return;
	}
	/* Bounded even so: start this file again. */
	c->fd = fd;
	if (ftruncate(fd, 0) == 0)
		c->size = 0;
}

static void
put(struct clog *c, const char *buf, size_t n)
{
	if (c->fd < 0 || n == 0)
		return;
	if (c->size > 0 && c->size + (off_t)n > c->max)
		rotate(c);
	if (write_all(c->fd, buf, n) == 0)
		c->size += (off_t)n;
}

/* Keep the last CLOG_TAIL bytes the console printed since clog_mark(). */
static void
keep_tail(struct clog *c, const char *buf, size_t n)
{
	size_t room = sizeof(c->tail) - c->ntail;

	if (n >= sizeof(c->tail)) {
		memcpy(c->tail, buf + n - sizeof(c->tail), sizeof(c->tail));
		c->ntail = sizeof(c->tail);
		return;
	}
	if (n > room) {
		memmove(c->tail, c->tail + (n - room), c->ntail - (n - room));
		c->ntail -= n - room;
	}
	memcpy(c->tail + c->ntail, buf, n);
	c->ntail += n;
}

/* Bytes of the guest's console (at most CLOG_CHUNK at a time). */
void
clog_console(struct clog *c, const char *buf, size_t n)
{
	static char out[LOGQ_OUT(CLOG_CHUNK)];

	if (n > CLOG_CHUNK)
		n = CLOG_CHUNK;
	keep_tail(c, buf, n);
	/* Rotate before quoting, never between quoting and writing. */
	if (c->fd >= 0 && c->size > 0 && c->size + (off_t)LOGQ_OUT(n) > c->max)
		rotate(c);
	put(c, out, logq_quote(&c->q, buf, n, out));
}

/* A line of umlctl's, "umlctl: ...\n", on a line of its own. */
void
clog_line(struct clog *c, const char *line, size_t n)
{
	char pre[LOGQ_HOLD + 2];

	put(c, pre, logq_flush(&c->q, pre));
	put(c, line, n);
}

/* A new boot: the tail holds only what this kernel printed. */
void
clog_mark(struct clog *c)
{
	c->ntail = 0;
}

/* What the console printed since clog_mark(), NUL-terminated, NULs made
 * blanks, into buf (len bytes); its length. */
size_t
clog_tail(const struct clog *c, char *buf, size_t len)
{
	size_t n = c->ntail < len - 1 ? c->ntail : len - 1, i;

	memcpy(buf, c->tail + c->ntail - n, n);
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return n;
}

void
clog_close(struct clog *c)
{
	char pre[LOGQ_HOLD + 2];

	put(c, pre, logq_flush(&c->q, pre));
	if (c->fd >= 0)
		close(c->fd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	c->fd = c->dirfd = -1;
}
