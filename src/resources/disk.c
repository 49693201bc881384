/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * disk.c: one disk file, one running guest.
 *
 * A guest's disk files (ROOT, which is the COW file over BASE_IMAGE if
 * there is one, and SWAP) are known by st_dev and st_ino, whatever path
 * or link names them, and compared with those the running guests recorded
 * (NAME/state).  The supervisor holds an OFD lock on each for the guest's
 * life: a write lock on ROOT and SWAP, a read lock on BASE_IMAGE, which
 * guests share read-only.  OFD locks conflict with the kernel's own
 * F_SETLK locks (os_lock_file: the whole file, F_WRLCK or F_RDLCK as the
 * file is opened), so the kernel is told not to take them (kargv.c: the
 * `c' flag); a kernel started on such a file outside umlctl is refused by
 * ours all the same, and over NFS with locking so is a guest on another
 * host.
 *
 * The kernel inherits the locked descriptors (disk_fds, privdrop.c): an
 * OFD lock belongs to the open file description and lasts until its last
 * descriptor is closed, so the lock's life is the kernel's, not the
 * supervisor's.  A supervisor killed -9 takes the kernel with it (its
 * parent-death signal), but a process sharing the kernel's descriptors
 * may outlive it and write on (a 6.1 kernel's ubd I/O helper, cloned with
 * CLONE_FILES): it holds the lock until the sweep kills it.  The kernel
 * needs these descriptors for nothing else; they give USER nothing it
 * lacks (files USER may read and write, checked above), and the seccomp
 * filter (kfilter.c) makes close() of them a no-op.
 *
 * The files are opened by root's process, so that root's lock is there
 * before the kernel starts, but with USER's file system identity and
 * groups (disk_as_user): the directory by its path, the file in it without
 * following a link (O_PATH), checked on that descriptor (a regular file
 * USER may read and write, or read for the base), and only then reopened
 * through /proc/self/fd.  A link planted above the file by USER leads
 * nowhere USER could not go itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resources.h"
#include "util.h"

/* dir/base of path, checked for a (USER may do what on it). */
static int
disk_open_as(const char *path, const struct account *a, bool ro,
    struct stat *st)
{
	char dir[PATH_LEN_MAX], proc[32];
	const char *base = strrchr(path, '/');
	int dfd, pfd, fd = -1;

	if (!base || !base[1])
		return errno = EINVAL, -1;
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - path), path);
	if ((dfd = open(dir[0] ? dir : "/", O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		return -1;
	pfd = openat(dfd, base + 1, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, st) < 0)
		goto out;
	if (!S_ISREG(st->st_mode) || !perm_may(st->st_uid, st->st_gid,
	    st->st_mode, a, ro ? PERM_R : PERM_R | PERM_W)) {
		errno = S_ISLNK(st->st_mode) ? ELOOP : EACCES;
		goto out;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, (ro ? O_RDONLY : O_RDWR) | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC);
out:
	close(pfd);
	return fd;
}

/*
 * a's file system identity (setfsuid(2): a nonzero fsuid drops the
 * effective file capabilities, CAP_DAC_OVERRIDE among them) and groups,
 * so that a disk's path is walked with USER's rights, never root's: a link
 * USER puts above a disk cannot lead root, and the descriptor the kernel
 * inherits, into a directory USER could not enter.  The caller's groups
 * are kept in saved[GROUPS_MAX] for disk_as_root().  -1: nothing changed.
 */
int
disk_as_user(const struct account *a, gid_t *saved, int *nsaved)
{
	if ((*nsaved = getgroups(GROUPS_MAX, saved)) < 0 ||
	    setgroups((size_t)a->ngroups, a->groups) < 0)
		return -1;
	setfsgid(a->gid);
	setfsuid(a->uid);
	return 0;
}

void
disk_as_root(const gid_t *saved, int nsaved)
{
	int e = errno;

	setfsuid(0);
	setfsgid(0);
	if (setgroups((size_t)nsaved, saved) < 0)
		die_errno(EX_SYSTEM, "setgroups");
	errno = e;
}

/* path opened with a's rights (disk_as_user), checked for what a may do
 * on it. */
static int
disk_open(const char *path, const struct account *a, bool ro,
    struct stat *st)
{
	gid_t saved[GROUPS_MAX];
	int nsaved, fd;

	if (disk_as_user(a, saved, &nsaved) < 0)
		return -1;
	fd = disk_open_as(path, a, ro, st);
	disk_as_root(saved, nsaved);
	return fd;
}

struct user_of {
	const struct diskid *id;
	bool ro;		/* ours is read-only: only a writer conflicts */
	char *name;
	size_t len;
	enum disk_kind kind;
};

static void
find_user(const struct krecord *k, const char *name, void *arg)
{
	struct user_of *u = arg;
	size_t i;

	for (i = 0; i < DISK_KINDS && !u->name[0]; i++)
		if (k->disk[i].ino == u->id->ino && k->disk[i].dev ==
		    u->id->dev && !(u->ro && i == DISK_BASE)) {
			snprintf(u->name, u->len, "%s", name);
			u->kind = (enum disk_kind)i;
		}
}

/* The running guest (not except) one of whose disks is id, if any. */
static bool
disk_user(const struct diskid *id, bool ro, const char *except, char *name,
    size_t len, enum disk_kind *kind)
{
	struct user_of u = { id, ro, name, len, DISK_ROOT };

	name[0] = '\0';
	run_each(except, find_user, &u);
	*kind = u.kind;
	return name[0] != '\0';
}

/* Test (or, with lock, take) fd's OFD lock; 0, or -1 and *pid. */
static int
disk_lock(int fd, bool ro, bool lock, pid_t *pid)
{
	struct flock fl = { .l_type = ro ? F_RDLCK : F_WRLCK,
	    .l_whence = SEEK_SET };

	if (lock && fcntl(fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	if (lock && errno != EAGAIN && errno != EACCES)
		return *pid = 0, -1;
	fl = (struct flock){ .l_type = ro ? F_RDLCK : F_WRLCK,
	    .l_whence = SEEK_SET };
	if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
		return *pid = 0, -1;
	*pid = fl.l_pid;
	return fl.l_type == F_UNLCK && !lock ? 0 : (errno = EAGAIN, -1);
}

/* What holds the disk, into err. */
static void
say_held(const struct guest *g, enum disk_kind k, const char *path, bool ro,
    const struct diskid *id, pid_t pid, char *err, size_t errlen)
{
	char other[NAME_LEN_MAX + 1];
	enum disk_kind ok;

	if (disk_user(id, ro, g->name, other, sizeof(other), &ok))
		snprintf(err, errlen, "%s=\"%s\": the same file as %s of the "
		    "running guest %s (uml.%s): a disk file serves one guest "
		    "at a time", disk_var(k), path, disk_var(ok), other, other);
	else if (pid > 0)
		snprintf(err, errlen, "%s=\"%s\": locked by another process "
		    "(pid %d), a kernel started outside umlctl?", disk_var(k),
		    path, (int)pid);
	else
		snprintf(err, errlen, "%s=\"%s\": locked by another program or "
		    "host (an OFD lock: another umlctl?)", disk_var(k), path);
}

/* 0, or -1 if the file of fd has no name left: removed between its open
 * and its lock (a failed start that made a COW file, cowfile.c). */
static int
unlinked(int fd, enum disk_kind k, const char *path, char *err,
    size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && st.st_nlink > 0)
		return 0;
	return snprintf(err, errlen, "%s=\"%s\": removed while it was being "
	    "locked (by another start on the same file?)", disk_var(k),
	    path), -1;
}

/* One disk: opened, compared with the others of g and the running
 * guests', and locked (or its lock tested). */
static int
disk_one(const struct guest *g, const struct account *a, enum disk_kind k,
    const char *path, const struct krecord *self, bool lock, struct disks *d,
    char *err, size_t errlen)
{
	struct diskid *id = &d->id[k];
	bool ro = k == DISK_BASE;
	char other[NAME_LEN_MAX + 1];
	enum disk_kind ok;
	struct stat st;
	size_t i;
	pid_t pid = 0;

	if ((d->fd[k] = disk_open(path, a, ro, &st)) < 0) {
		/* A COW file not made yet: `check' before the first start
		 * (start makes it first, cowfile.c, so there it is missing
		 * only if removed meanwhile). */
		if (errno == ENOENT && k == DISK_ROOT && g->base[0] && !lock)
			return 0;
		return snprintf(err, errlen, "%s=\"%s\": %s", disk_var(k), path,
		    strerror(errno)), -1;
	}
	*id = (struct diskid){ (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino };
	for (i = 0; i < (size_t)k; i++)
		if (d->id[i].ino == id->ino && d->id[i].dev == id->dev)
			return snprintf(err, errlen, "%s=\"%s\": the same file "
			    "as %s", disk_var(k), path,
			    disk_var((enum disk_kind)i)), -1;
	/* check while it runs (a restart): its own lock is no conflict. */
	if (self && self->disk[k].ino == id->ino && self->disk[k].dev ==
	    id->dev)
		return 0;
	if (disk_user(id, ro, g->name, other, sizeof(other), &ok))
		errno = EAGAIN;
	else if (disk_lock(d->fd[k], ro, lock, &pid) == 0)
		return lock ? unlinked(d->fd[k], k, path, err, errlen) : 0;
	if (pid == 0 && errno != EAGAIN)
		snprintf(err, errlen, "%s=\"%s\": lock: %s", disk_var(k), path,
		    strerror(errno));
	else
		say_held(g, k, path, ro, id, pid, err, errlen);
	return -1;
}

void
disk_release(struct disks *d)
{
	size_t i;

	for (i = 0; i < DISK_KINDS; i++) {
		if (d->fd[i] >= 0)
			close(d->fd[i]);
		d->fd[i] = -1;
	}
}

int
disk_take(const struct guest *g, const struct account *a,
    const struct krecord *self, bool lock, struct disks *d, char *err,
    size_t errlen)
{
	const char *path[DISK_KINDS] = { [DISK_ROOT] = g->root,
	    [DISK_SWAP] = g->swap, [DISK_BASE] = g->base };
	size_t i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < DISK_KINDS; i++)
		d->fd[i] = -1;
	for (i = 0; i < DISK_KINDS; i++)
		if (path[i][0] && disk_one(g, a, (enum disk_kind)i, path[i],
		    self, lock, d, err, errlen) < 0) {
			disk_release(d);
			return -1;
		}
	if (!lock)
		disk_release(d);
	return 0;
}

size_t
disk_fds(const struct disks *d, int *fd)
{
	size_t i, n = 0;

	for (i = 0; i < DISK_KINDS; i++)
		if (d->fd[i] >= 0)
			fd[n++] = d->fd[i];
	return n;
}

int
disk_open_ro(const char *path, const struct account *a, bool lock,
    struct stat *st)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	int fd = disk_open(path, a, true, st), e;

	if (fd < 0 || !lock || fcntl(fd, F_OFD_SETLK, &fl) == 0)
		return fd;
	e = errno == EACCES ? EAGAIN : errno;
	close(fd);
	errno = e;
	return -1;
}
