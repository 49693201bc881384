/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rundir.c: /run/uml itself: the directory, the per-guest lock, NAME/ and
 * its u/ (a tmpfs), and the paths of everything in it (rundir_rec.c has
 * the records).
 *
 * Everything here runs as root.  Paths are walked one component at a time
 * with O_NOFOLLOW and checked on the fd: a directory root writes in must be
 * owned by root and writable by nobody else.  The only USER-controlled
 * directory, <name>/u, is a tmpfs: it goes with a lazy unmount.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runrec.h"
#include "resources.h"
#include "util.h"

/* RUNDIR's path, for whoever must keep away from it (HOSTFS: host.c). */
const char *
run_dir(void)
{
	return RUNDIR;
}

/* RUNDIR's fd (O_PATH) if it exists, else -1: nothing made. */
int
run_base_peek(void)
{
	return open(RUNDIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/*
 * /run/uml, made on first use (after boot /run is empty).  USER must be
 * able to pass through it to its guest's u/, whatever the umask was.
 */
int
run_base(void)
{
	char err[512];
	struct stat st;
	int pfd, fd;

	pfd = root_dir_open(RUNDIR, 0755, err, sizeof(err));
	if (pfd < 0)
		die(EX_SYSTEM, "runtime directory %s", err);
	fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pfd);
	if (fd < 0 || fstat(fd, &st) < 0 ||
	    ((st.st_mode & 07777) != 0755 && fchmod(fd, 0755) < 0))
		die_errno(EX_SYSTEM, "runtime directory %s", RUNDIR);
	return fd;
}

static int
lock_op(int fd, int cmd, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET };

	return fcntl(fd, cmd, &fl) < 0 ? -1 : fl.l_type;
}

/*
 * Take <name>.lock (an open-file-description lock, inherited by the
 * supervisor across fork).  The file is unlinked by its holder on exit, so
 * after locking, make sure the path still names the locked inode.
 * Returns the fd, or -1 with errno EWOULDBLOCK if somebody holds it.
 */
int
run_lock(int basefd, const char *name)
{
	char file[NAME_LEN_MAX + 8];
	struct stat a, b;
	int fd;

	run_file(file, sizeof(file), name, RUN_LOCK_SUFFIX);
	for (;;) {
		fd = openat(basefd, file, O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		if (lock_op(fd, F_OFD_SETLK, F_WRLCK) < 0) {
			int e = errno == EAGAIN ? EWOULDBLOCK : errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (fstat(fd, &a) == 0 &&
		    fstatat(basefd, file, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
}

void
run_lock_remove(int basefd, const char *name)
{
	char file[NAME_LEN_MAX + 8];

	(void)unlinkat(basefd, run_file(file, sizeof(file), name,
	    RUN_LOCK_SUFFIX), 0);
}

/* Whether NAME.lock is there, held or not (a lock file made by the
 * caller's run_lock is the caller's to remove). */
bool
run_lock_exists(int basefd, const char *name)
{
	char file[NAME_LEN_MAX + 8];
	struct stat st;

	return fstatat(basefd, run_file(file, sizeof(file), name,
	    RUN_LOCK_SUFFIX), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/*
 * Whether NAME/ is there.  A live supervisor holds NAME.lock for as long
 * as NAME/ exists, so to whoever holds the lock, NAME/ is what a killed
 * supervisor left (run_state's RS_ORPHANED, seen from under the lock).
 */
bool
run_left(int basefd, const char *name)
{
	struct stat st;

	return fstatat(basefd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

void
run_die_busy(const char *name)
{
	char path[PATH_LEN_MAX];

	die(EX_BUSY, "%s: already running, or being started or stopped by "
	    "another umlctl (%s is held)", name, run_top_path(path,
	    sizeof(path), name, RUN_LOCK_SUFFIX));
}

/*
 * Whether a supervisor holds <name>.lock; takes no lock itself.  A lock
 * file unlinked by a supervisor that just stopped may have been replaced
 * by a new start's: ask again until the path names the inode asked.
 */
bool
run_locked(int basefd, const char *name)
{
	char file[NAME_LEN_MAX + 8];
	struct stat a, b;
	int fd, t, tries;

	run_file(file, sizeof(file), name, RUN_LOCK_SUFFIX);
	for (tries = 0; tries < 100; tries++) {
		fd = openat(basefd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return false;
		t = lock_op(fd, F_OFD_GETLK, F_WRLCK);
		if (t != F_UNLCK || fstat(fd, &a) < 0 ||
		    fstatat(basefd, file, &b, AT_SYMLINK_NOFOLLOW) < 0 ||
		    (a.st_ino == b.st_ino && a.st_dev == b.st_dev)) {
			close(fd);
			return t >= 0 && t != F_UNLCK;
		}
		close(fd);
	}
	return false;
}

static int
mkdir_owned(int dirfd, const char *name, mode_t mode, uid_t uid,
    gid_t gid)
{
	int fd;

	if (mkdirat(dirfd, name, mode) < 0)
		return -1;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fchown(fd, uid, gid) < 0 || fchmod(fd, mode) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Unmount name's u/ (lazily: USER may have it open); not mounted is fine. */
static void
u_umount(const char *name)
{
	char path[PATH_LEN_MAX];

	if (umount2(run_path(path, sizeof(path), name, RUN_UMLDIR), MNT_DETACH |
	    UMOUNT_NOFOLLOW) < 0 && errno != EINVAL && errno != ENOENT)
		warnmsg_errno("%s: umount %s", name, path);
}

/*
 * An empty u/ in the guest's directory, the kernel's uml_dir: a tmpfs of
 * its own, USER's and mode 0700, of mem_kib + RUN_U_MARGIN_KIB and
 * RUN_U_INODES inodes, so that what USER puts there is bounded and goes
 * with one umount.  Made anew for every boot, so that no pid file of an
 * earlier kernel can make UML fall back to a random umid.  The mount
 * point is root's: every component of its path is root's.
 */
int
run_fresh_u(int dirfd, const char *name, const struct account *a,
    unsigned long long mem_kib)
{
	char path[PATH_LEN_MAX], opts[160];

	u_umount(name);
	if (rmtree_at(dirfd, RUN_UMLDIR) < 0 ||
	    mkdirat(dirfd, RUN_UMLDIR, 0700) < 0)
		return -1;
	snprintf(opts, sizeof(opts), "size=%lluk,nr_inodes=%u,mode=0700,"
	    "uid=%u,gid=%u", mem_kib + RUN_U_MARGIN_KIB, RUN_U_INODES,
	    (unsigned)a->uid, (unsigned)a->gid);
	return mount("tmpfs", run_path(path, sizeof(path), name, RUN_UMLDIR),
	    "tmpfs", MS_NOSUID | MS_NODEV, opts);
}

/* A fresh /run/uml/<name>/ (root, 0711); u/ comes with each boot.  Its
 * fd. */
int
run_prepare(int basefd, const char *name)
{
	int fd;

	u_umount(name);
	if (rmtree_at(basefd, name) < 0)
		die_errno(EX_SYSTEM, "%s: cannot remove stale %s/%s", name,
		    RUNDIR, name);
	fd = mkdir_owned(basefd, name, 0711, 0, 0);
	if (fd < 0)
		die_errno(EX_SYSTEM, "%s: %s/%s", name, RUNDIR, name);
	return fd;
}

void
run_cleanup(int basefd, const char *name, int lockfd)
{
	char file[NAME_LEN_MAX + 8];

	u_umount(name);
	if (rmtree_at(basefd, name) < 0)
		warnmsg_errno("%s: cannot remove %s/%s", name, RUNDIR, name);
	run_file(file, sizeof(file), name, RUN_PID_SUFFIX);
	(void)unlinkat(basefd, file, 0);
	if (lockfd >= 0) {
		run_file(file, sizeof(file), name, RUN_LOCK_SUFFIX);
		(void)unlinkat(basefd, file, 0);
		close(lockfd);
	}
}

/* NAME.SUFFIX in buf: a file of name's directly in RUNDIR, by basefd. */
const char *
run_file(char *buf, size_t len, const char *name, const char *suffix)
{
	snprintf(buf, len, "%s%s", name, suffix);
	return buf;
}

/* RUNDIR/NAME.SUFFIX in buf: the same as a path, for messages. */
const char *
run_top_path(char *buf, size_t len, const char *name, const char *suffix)
{
	snprintf(buf, len, "%s/%s%s", RUNDIR, name, suffix);
	return buf;
}

/* RUNDIR/NAME in buf, or RUNDIR/NAME/FILE when file is not NULL. */
const char *
run_path(char *buf, size_t len, const char *name, const char *file)
{
	snprintf(buf, len, "%s/%s%s%s", RUNDIR, name, file ? "/" : "",
	    file ? file : "");
	return buf;
}

/* RUNDIR/NAME/mc.PID.SEQ in buf: the address of an mconsole client, seq
 * its count of clients in process pid. */
const char *
run_mc_path(char *buf, size_t len, const char *name, pid_t pid,
    unsigned seq)
{
	snprintf(buf, len, "%s/%s/" RUN_MC_PREFIX "%ld.%u", RUNDIR, name,
	    (long)pid, seq);
	return buf;
}
