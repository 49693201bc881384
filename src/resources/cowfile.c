/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cowfile.c: a COW guest's COW file, made before its first boot.
 *
 * The kernel would make a missing COW file itself (create_cow_file() in
 * ubd_kern.c), but then its Landlock domain would have to let it make a
 * file in ROOT's directory and read and write every file there: another
 * guest's image in that directory too.  So umlctl makes it, exactly as
 * the kernel would (cow.c: the v3 header, the path absolutize() gives,
 * the base's mtime and size; mode 0644 under the kernel's umask 077), and
 * the kernel's rule is on that one file.  The supervisor's OFD lock is on
 * it before the kernel starts, as on any other disk.
 *
 * Made with USER's file system ids and groups (disk_as_user), so it is
 * USER's, its directory walked with USER's rights: the directory by its
 * path, the file in it never through a link, never an existing file.  It
 * gets its name only once whole: written unnamed (O_TMPFILE), synced,
 * then linked (fcopy.c's fcopy_tmp and fcopy_name), so a start killed
 * half-way leaves no ROOT that is no COW file.  Where the file system
 * has no O_TMPFILE (NFS before 4.2, for one) it is made by name with
 * O_CREAT|O_EXCL, and only a crash between that and its header leaves a
 * partial file.  A file the start made but no
 * kernel ran on is removed when the start fails (cow_unmake), by name in
 * its directory and only if the name still holds that inode; when the
 * start failed for want of its lock, only if no one holds one: two starts
 * on one ROOT (a copy-paste slip, started at once by rc_parallel) both
 * find it new or made, and the one refused for the other's lock must not
 * unlink the file the other runs on.  It holds a lock of its own while it
 * unlinks, and a start that locks a file finds out if it lost its name
 * meanwhile (disk.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cow.h"
#include "resources.h"
#include "system.h"

/* path's directory ("/" for one in /) into dir; *name: its last name,
 * the '/' before it included. */
static int
split(const char *path, char dir[PATH_LEN_MAX], const char **name)
{
	*name = strrchr(path, '/');
	if (*name == NULL || (*name)[1] == '\0')
		return errno = EINVAL, -1;
	snprintf(dir, PATH_LEN_MAX, "%.*s", (int)(*name - path), path);
	if (dir[0] == '\0')
		snprintf(dir, PATH_LEN_MAX, "/");
	return 0;
}

/* The header over base: the path as absolutize() writes it (its
 * directory's real path, then its name) and what stat() says of it. */
static int
header(const char *base, unsigned char *hdr, uint64_t *len)
{
	char dir[PATH_LEN_MAX], real[PATH_MAX], abs[COW_PATH_MAX];
	const char *name;
	struct stat st;

	if (split(base, dir, &name) < 0 || realpath(dir, real) == NULL)
		return -1;
	if ((size_t)snprintf(abs, sizeof(abs), "%s%s", strcmp(real, "/") ?
	    real : "", name) >= sizeof(abs))
		return errno = ENAMETOOLONG, -1;
	if (stat(abs, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode))
		return errno = EINVAL, -1;
	if (cow_encode(abs, (uint32_t)st.st_mtime, (uint64_t)st.st_size, hdr,
	    len) < 0)
		return errno = EFBIG, -1;
	return 0;
}

/* ROOT's directory, and where its name starts in path. */
static int
root_dir(const char *path, const char **name)
{
	char dir[PATH_LEN_MAX];

	if (split(path, dir, name) < 0)
		return -1;
	(*name)++;
	return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* The header, and the file's length (the bitmap and data sparse). */
static int
fill(int fd, const unsigned char *hdr, uint64_t len)
{
	return pwrite(fd, hdr, COW_V3_LEN, 0) == COW_V3_LEN &&
	    ftruncate(fd, (off_t)len) == 0 ? 0 : -1;
}

/*
 * The file, whole, as dfd/name: unnamed, filled, synced, then linked
 * (fcopy.c's, as backup's copies are).  Returns its descriptor; -1 with
 * errno (EEXIST: the name was taken).
 */
static int
make_whole(int dfd, const char *name, const unsigned char *hdr, uint64_t len)
{
	int fd, e;

	fd = fcopy_tmp(dfd);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
		/* No O_TMPFILE here: by name, and undone on failure. */
		if ((fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
			return -1;
		if (fill(fd, hdr, len) == 0)
			return fd;
		e = errno;
		(void)unlinkat(dfd, name, 0);
		close(fd);
		return errno = e, -1;
	}
	if (fd < 0)
		return -1;
	if (fill(fd, hdr, len) < 0 || fsync(fd) < 0 ||
	    fcopy_name(fd, dfd, name) < 0) {
		e = errno;
		close(fd);
		return errno = e, -1;
	}
	return fd;
}

static int
make(const struct guest *g, struct diskid *id, char *err, size_t errlen)
{
	static unsigned char hdr[COW_V3_LEN];
	const char *name;
	struct stat st;
	uint64_t len;
	int dfd, fd, e;

	if (header(g->base, hdr, &len) < 0)
		return snprintf(err, errlen, "BASE_IMAGE=\"%s\": cannot make "
		    "the COW file over it: %s", g->base, strerror(errno)), -1;
	if ((dfd = root_dir(g->root, &name)) < 0)
		return snprintf(err, errlen, "ROOT=\"%s\": %s", g->root,
		    strerror(errno)), -1;
	fd = make_whole(dfd, name, hdr, len);
	if (fd < 0 || fstat(fd, &st) < 0) {
		e = errno;
		if (fd >= 0) {
			(void)unlinkat(dfd, name, 0);
			close(fd);
		}
		close(dfd);
		if (e == EEXIST)
			return 0;
		return snprintf(err, errlen, "ROOT=\"%s\": making the COW "
		    "file: %s", g->root, strerror(e)), -1;
	}
	*id = (struct diskid){ (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino };
	close(fd);
	close(dfd);
	return 1;
}

int
cow_make(const struct guest *g, const struct account *a, struct diskid *id,
    char *err, size_t errlen)
{
	gid_t saved[GROUPS_MAX];
	int nsaved, r;

	if (disk_as_user(a, saved, &nsaved) < 0)
		return snprintf(err, errlen, "ROOT=\"%s\": becoming USER: %s",
		    g->root, strerror(errno)), -1;
	r = make(g, id, err, errlen);
	disk_as_root(saved, nsaved);
	return r;
}

/* Whether dfd/name is the file id, and, with unlocked, no one holds a
 * lock on it (an OFD lock of another start's, or a kernel's F_SETLK):
 * then *fd holds a write lock on it, to keep until it is unlinked. */
static bool
unused(int dfd, const char *name, const struct diskid *id, bool unlocked,
    int *fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat st;

	/* Write access only for the lock. */
	*fd = openat(dfd, name, (unlocked ? O_RDWR : O_RDONLY) | O_NOFOLLOW |
	    O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0)
		return false;
	if (fstat(*fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_ino == id->ino &&
	    (unsigned long long)st.st_dev == id->dev && (!unlocked ||
	    fcntl(*fd, F_OFD_SETLK, &fl) == 0))
		return true;
	close(*fd);
	*fd = -1;
	return false;
}

void
cow_unmake(const struct guest *g, const struct account *a,
    const struct diskid *id, bool unlocked)
{
	gid_t saved[GROUPS_MAX];
	const char *name;
	int nsaved, dfd, fd;

	if (disk_as_user(a, saved, &nsaved) < 0)
		return;
	if ((dfd = root_dir(g->root, &name)) >= 0) {
		if (unused(dfd, name, id, unlocked, &fd)) {
			(void)unlinkat(dfd, name, 0);
			close(fd);
		}
		close(dfd);
	}
	disk_as_root(saved, nsaved);
}
