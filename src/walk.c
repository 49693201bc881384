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

#include "sys.h"
#include "util.h"

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
		nfd = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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
			snprintf(err, errlen, "%s: component \"%s\" is not owned "
			    "by root or is writable by others", path, c);
			close(fd);
			return -1;
		}
	}
	return fd;
fail:
	snprintf(err, errlen, "%s: %s", path, errno == ELOOP || errno == ENOTDIR ?
	    "a component is a symbolic link or not a directory" : strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Remove name below dirfd, never following links.  0 or -1. */
int
rmtree_at(int dfd, const char *name, int depth)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0);
	if (depth <= 0)
		return -1;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			(void)rmtree_at(dirfd(d), e->d_name, depth - 1);
	closedir(d);
	return unlinkat(dfd, name, AT_REMOVEDIR);
}
