/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * walk.c: paths walked as root, one component at a time, never following
 * a link, with every check made on the descriptor.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system.h"
#include "util.h"

#define RM_MAX	100000	/* directories rmtree_at removes at most */

static bool
root_only(const struct stat *st)
{
	return st->st_uid == 0 && (st->st_mode & 022) == 0;
}

/*
 * Open directory path for use as a dirfd, refusing any component that is
 * a link, is not a directory, or could be changed by someone but root.
 * With mode, a missing last component is made with that mode.
 */
int
root_dir_open(const char *path, mode_t mode, char *err, size_t errlen)
{
	char buf[PATH_LEN_MAX], *save = NULL, *c, *next;
	int fd, nfd;
	struct stat st;

	if (path[0] != '/' || xsnprintf(buf, sizeof(buf), "%s", path) < 0) {
		snprintf(err, errlen, "%s: not an absolute path", path);
		return -1;
	}
	if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail;
	for (c = strtok_r(buf, "/", &save); c; c = next) {
		next = strtok_r(NULL, "/", &save);
		nfd = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && mode && !next) {
			if (mkdirat(fd, c, mode) < 0 && errno != EEXIST)
				goto fail;
			nfd = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
		}
		close(fd);
		fd = nfd;
		if (fd < 0)
			goto fail;
		if (fstat(fd, &st) < 0)
			goto fail;
		if (!root_only(&st)) {
			snprintf(err, errlen, "%s: component \"%s\" is not "
			    "owned by root or is writable by others", path, c);
			close(fd);
			return -1;
		}
	}
	return fd;
fail:
	snprintf(err, errlen, "%s: %s", path, errno == ELOOP || errno ==
	    ENOTDIR ? "a component is a symbolic link or not a directory" :
	    strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/*
 * Empty the directory dirfd/name of everything but directories that hold
 * something: those are moved up beside it, as .rm.N, for the caller's next
 * round.  *n counts the moves (and the names made).  0, or -1.
 */
static int
rm_level(int dfd, const char *name, unsigned *n)
{
	char up[48];
	struct dirent *e;
	DIR *d;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0 || errno != EISDIR)
			continue;
		if (unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) == 0 ||
		    errno != ENOTEMPTY)
			continue;
		snprintf(up, sizeof(up), ".rm.%d.%u", (int)getpid(), ++*n);
		(void)unlinkat(dfd, up, AT_REMOVEDIR);
		(void)renameat(dirfd(d), e->d_name, dfd, up);
	}
	closedir(d);
	return 0;
}

/*
 * Remove dirfd/name and everything in it, however deep, never following
 * a link (unlinkat and renameat act on names, not on what they point to)
 * and with two descriptors at most: each round empties one directory and
 * moves the non-empty ones it holds up beside it, to be emptied in turn.
 * At most RM_MAX directories (a guest's u/ holds a handful), so that a
 * tree USER keeps growing cannot hold root here for ever.  0 or -1.
 */
int
rmtree_at(int dfd, const char *name)
{
	char cur[48];
	unsigned n = 0, done;
	struct stat st;
	int tries;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0);
	/* What USER's processes still add meanwhile gets a few more rounds. */
	for (tries = 0; tries < 3; tries++)
		if (rm_level(dfd, name, &n) < 0 || unlinkat(dfd, name,
		    AT_REMOVEDIR) == 0 || errno != ENOTEMPTY)
			break;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -1;
	for (done = 1; done <= n && done <= RM_MAX; done++) {
		snprintf(cur, sizeof(cur), ".rm.%d.%u", (int)getpid(), done);
		if (rm_level(dfd, cur, &n) < 0 ||
		    unlinkat(dfd, cur, AT_REMOVEDIR) < 0)
			return -1;
	}
	return done > n ? 0 : (errno = E2BIG, -1);
}
