/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fcopy.c: a file copied as root into a directory of root's (`umlctl
 * backup'): into an unnamed file (O_TMPFILE), which gets its name only
 * once it is whole and on disk, so that a failure or a kill leaves
 * nothing, and an existing name is never replaced (linkat: EEXIST).  By
 * reflink where the file system shares extents (FICLONE: instant, and
 * the source may change at once without changing the copy), else its
 * data extents only, so a sparse image stays sparse.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system.h"

#define PIECE	(16LL << 20)	/* bytes copied between two stop() */

int
fcopy_tmp(int dirfd)
{
	return openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

/* [off, end) of in into out at the same offsets; 0 or -1. */
static int
copy_range(int in, int out, off_t off, off_t end, bool (*stop)(void))
{
	static char buf[1 << 16];
	off_t o = off, oo;
	ssize_t n, w;
	size_t want;

	while (o < end) {
		if (stop())
			return errno = EINTR, -1;
		want = (size_t)(end - o < PIECE ? end - o : PIECE);
		oo = o;
		n = copy_file_range(in, &o, out, &oo, want, 0);
		if (n > 0)
			continue;
		if (n == 0)
			return errno = EIO, -1;	/* in shrank meanwhile */
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
		    errno != EOPNOTSUPP)
			return -1;
		/* No copy_file_range between these: by hand. */
		want = (size_t)(end - o < (off_t)sizeof(buf) ? end - o :
		    (off_t)sizeof(buf));
		if ((n = pread(in, buf, want, o)) <= 0)
			return n == 0 ? (errno = EIO, -1) : -1;
		if ((w = pwrite(out, buf, (size_t)n, o)) != n)
			return w < 0 ? -1 : (errno = EIO, -1);
		o += n;
	}
	return 0;
}

/* The data extents of in (size bytes) into out; *bytes their sum. */
static int
copy_sparse(int in, int out, off_t size, bool (*stop)(void),
    unsigned long long *bytes)
{
	off_t off = 0, data, hole;

	*bytes = 0;
	while (off < size) {
		if ((data = lseek(in, off, SEEK_DATA)) < 0) {
			if (errno == ENXIO)
				break;		/* only a hole is left */
			return -1;
		}
		if ((hole = lseek(in, data, SEEK_HOLE)) < 0)
			return -1;
		if (hole > size)
			hole = size;
		if (copy_range(in, out, data, hole, stop) < 0)
			return -1;
		*bytes += (unsigned long long)(hole - data);
		off = hole;
	}
	return ftruncate(out, size);
}

int
fcopy_warm(int in)
{
	static char buf[1 << 20];
	off_t off = 0, data, hole;
	ssize_t n;

	for (;;) {
		if ((data = lseek(in, off, SEEK_DATA)) < 0)
			return errno == ENXIO ? 0 : -1;
		if ((hole = lseek(in, data, SEEK_HOLE)) < 0)
			return -1;
		for (off = data; off < hole; off += n)
			if ((n = pread(in, buf, sizeof(buf), off)) <= 0)
				return n < 0 ? -1 : 0;
	}
}

int
fcopy_data(int in, int out, bool (*stop)(void), const char **how,
    unsigned long long *bytes)
{
	struct stat st;

	if (fstat(in, &st) < 0)
		return -1;
	if (ioctl(out, FICLONE, in) == 0) {
		*how = "reflink";
		*bytes = (unsigned long long)st.st_blocks * 512;
		return 0;
	}
	if (errno != EOPNOTSUPP && errno != EXDEV && errno != EINVAL &&
	    errno != ENOTTY && errno != EPERM)
		return -1;
	*how = "sparse copy";
	return copy_sparse(in, out, st.st_size, stop, bytes);
}

int
fcopy_name(int out, int dirfd, const char *name)
{
	char proc[32];

	/* Through /proc/self/fd, as open(2) shows for O_TMPFILE:
	 * AT_EMPTY_PATH would need CAP_DAC_READ_SEARCH, which a caller
	 * under USER's file system ids lacks (cowfile.c).  linkat never
	 * replaces a name. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", out);
	return linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW);
}

int
fcopy_link(int out, int dirfd, const char *name)
{
	int d, r;

	if (fsync(out) < 0 || fcopy_name(out, dirfd, name) < 0)
		return -1;
	/* The name on disk too (dirfd may be O_PATH: no fsync of its own). */
	if ((d = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	r = fsync(d);
	close(d);
	return r;
}
