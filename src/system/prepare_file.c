/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prepare_file.c: the file primitives of the guest edits (prepare.c,
 * prepare_wayin.c), run in the child chrooted into the guest's tree, and
 * the one failure message the child sends back.
 *
 * Every path is the guest's, so a file is replaced (unlinked, then made
 * with O_EXCL|O_NOFOLLOW), never written through a link, and a file is
 * read only if it is a regular one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prepare.h"
#include "util.h"

static char failure[512];

int
prep_fail(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vsnprintf(failure, sizeof(failure), fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

const char *
prep_failure(void)
{
	return failure;
}

/* mkdir -p the parents of path. */
int
prep_parents(const char *path)
{
	char buf[PATH_MAX], *s;

	snprintf(buf, sizeof(buf), "%s", path);
	for (s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return prep_fail("mkdir %s: %s", buf, strerror(errno));
		*s = '/';
	}
	return 0;
}

/* Replace path (a file or a link) with a new file holding text. */
int
prep_put_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	if (prep_parents(path) < 0 || (unlink(path) < 0 && errno != ENOENT))
		return prep_fail("%s: %s", path, strerror(errno));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0 || close(fd) < 0)
		return prep_fail("%s: %s", path, strerror(errno));
	return 0;
}

int
prep_put_link(const char *path, const char *to)
{
	if (prep_parents(path) < 0 || (unlink(path) < 0 && errno != ENOENT) ||
	    symlink(to, path) < 0)
		return prep_fail("%s: %s", path, strerror(errno));
	return 0;
}

/* The file's text, "" if missing or not a regular file: a device node in
 * the tree is never opened (the tree is root-only here, so what stat saw
 * is what open gets).  NULL (and failure) for one of TEXT_MAX bytes or
 * more, which umlctl would cut short when it writes it back. */
char *
prep_get_file(const char *path, char *buf)
{
	ssize_t n = 0;
	struct stat st;
	int fd;

	buf[0] = '\0';
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return buf;
	if (st.st_size >= TEXT_MAX) {
		prep_fail("%s: larger than %d bytes: prepare it by hand", path,
		    TEXT_MAX - 1);
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return buf;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, buf, TEXT_MAX - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

bool
prep_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}
