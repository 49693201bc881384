/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rundir.c: /run/uml, the per-guest lock and state, and u/ (a tmpfs).
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

	snprintf(file, sizeof(file), "%s" RUN_LOCK_SUFFIX, name);
	for (;;) {
		fd = openat(basefd, file, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
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
run_die_busy(const char *name)
{
	die(EX_BUSY, "%s: already running, or being started or stopped by "
	    "another umlctl (%s/%s.lock is held)", name, RUNDIR, name);
}

/*
 * Dies with EX_NOGUEST when name has neither a conf.d file nor a runtime
 * record (running, its directory, NAME.last): a typo, or a removed guest.
 */
void
run_no_guest(const char *confdir, const char *name)
{
	char path[PATH_LEN_MAX + NAME_LEN_MAX + 8];
	struct outcome o;
	struct stat st;
	int basefd = run_base();

	snprintf(path, sizeof(path), "%s/uml.%s", confdir, name);
	if (lstat(path, &st) == 0 || errno != ENOENT ||
	    run_locked(basefd, name) ||
	    fstatat(basefd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return;
	run_outcome_get(basefd, name, &o);
	if (o.state == RS_NONE)
		die(EX_NOGUEST, "%s: no such guest (no %s, and no record of it "
		    "in %s)", name, path, RUNDIR);
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

	snprintf(file, sizeof(file), "%s" RUN_LOCK_SUFFIX, name);
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
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fchown(fd, uid, gid) < 0 || fchmod(fd, mode) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* RUNDIR/name/u into buf: the one path to it mount(2) needs. */
static const char *
u_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s/" RUN_UMLDIR, RUNDIR, name);
	return buf;
}

/* Unmount name's u/ (lazily: USER may have it open); not mounted is fine. */
static void
u_umount(const char *name)
{
	char path[PATH_LEN_MAX];

	if (umount2(u_path(path, sizeof(path), name), MNT_DETACH |
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
	return mount("tmpfs", u_path(path, sizeof(path), name), "tmpfs",
	    MS_NOSUID | MS_NODEV, opts);
}

/* A fresh /run/uml/<name>/ (root, 0711); u/ comes with each boot.  Its
 * fd. */
int
run_prepare(int basefd, const char *name)
{
	int fd;

	u_umount(name);
	if (rmtree_at(basefd, name) < 0)
		die_errno(EX_SYSTEM, "%s: cannot remove stale %s/%s", name, RUNDIR,
		    name);
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
	snprintf(file, sizeof(file), "%s" RUN_PID_SUFFIX, name);
	(void)unlinkat(basefd, file, 0);
	if (lockfd >= 0) {
		snprintf(file, sizeof(file), "%s" RUN_LOCK_SUFFIX, name);
		(void)unlinkat(basefd, file, 0);
		close(lockfd);
	}
}

/* Replace dirfd/file with text, atomically. */
static int
run_put(int dirfd, const char *file, const char *text, mode_t mode)
{
	char tmp[128];
	int fd, r;

	if (xsnprintf(tmp, sizeof(tmp), ".%s.new", file) < 0)
		return -1;
	(void)unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	r = write_all(fd, text, strlen(text));
	if (fchmod(fd, mode) < 0)
		r = -1;
	close(fd);
	if (r == 0)
		r = renameat(dirfd, tmp, dirfd, file);
	if (r < 0)
		(void)unlinkat(dirfd, tmp, 0);
	return r;
}

/* Read dirfd/file (root-owned, not a link) into buf; length or -1. */
static int
run_get(int dirfd, const char *file, char *buf, size_t len)
{
	struct stat st;
	ssize_t n;
	int fd;

	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/* NAME.SUFFIX in buf. */
static const char *
run_file(char *buf, size_t len, const char *name,
    const char *suffix)
{
	snprintf(buf, len, "%s%s", name, suffix);
	return buf;
}

int
run_outcome_put(int basefd, const char *name, const struct outcome *o)
{
	char file[NAME_LEN_MAX + 8], text[OUTCOME_MAX + 16];

	if (outcome_encode(o, text, sizeof(text)) < 0) {
		errno = EINVAL;
		return -1;
	}
	return run_put(basefd, run_file(file, sizeof(file), name,
	    RUN_LAST_SUFFIX), text, 0644);
}

/* How NAME's last run ended; RS_NONE if there is no record. */
void
run_outcome_get(int basefd, const char *name, struct outcome *o)
{
	char file[NAME_LEN_MAX + 8], text[OUTCOME_MAX + 16];

	if (run_get(basefd, run_file(file, sizeof(file), name, RUN_LAST_SUFFIX),
	    text, sizeof(text)) < 0 || outcome_decode(text, o) < 0) {
		o->state = RS_NONE;
		o->detail[0] = '\0';
	}
}

/* When NAME.last was written, epoch seconds; 0 if there is none. */
long long
run_outcome_time(int basefd, const char *name)
{
	char file[NAME_LEN_MAX + 8];
	struct stat st;

	if (fstatat(basefd, run_file(file, sizeof(file), name, RUN_LAST_SUFFIX),
	    &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return (long long)st.st_mtime;
}

void
run_outcome_clear(int basefd, const char *name)
{
	char file[NAME_LEN_MAX + 8];

	(void)unlinkat(basefd, run_file(file, sizeof(file), name,
	    RUN_LAST_SUFFIX), 0);
}

int
run_stops_add(int basefd, const char *name, enum run_state st)
{
	char file[NAME_LEN_MAX + 8], text[512];
	struct stops s;

	if (!run_state_ends(st)) {
		errno = EINVAL;
		return -1;
	}
	run_stops_get(basefd, name, &s);
	s.n[st]++;
	if (stops_encode(&s, text, sizeof(text)) < 0) {
		errno = EINVAL;
		return -1;
	}
	return run_put(basefd, run_file(file, sizeof(file), name,
	    RUN_STOPS_SUFFIX), text, 0644);
}

void
run_stops_get(int basefd, const char *name, struct stops *st)
{
	char file[NAME_LEN_MAX + 8], text[512];

	if (run_get(basefd, run_file(file, sizeof(file), name,
	    RUN_STOPS_SUFFIX), text, sizeof(text)) < 0 ||
	    stops_decode(text, st) < 0)
		memset(st, 0, sizeof(*st));
}

void
run_stops_clear(int basefd, const char *name)
{
	char file[NAME_LEN_MAX + 8];

	(void)unlinkat(basefd, run_file(file, sizeof(file), name,
	    RUN_STOPS_SUFFIX), 0);
}

/* The supervisor's pid, for start-stop-daemon and umlctl stop. */
int
run_pid_put(int basefd, const char *name, pid_t pid)
{
	char file[NAME_LEN_MAX + 8], text[32];

	snprintf(text, sizeof(text), "%d\n", (int)pid);
	return run_put(basefd, run_file(file, sizeof(file), name,
	    RUN_PID_SUFFIX), text, 0644);
}

/* The supervisor's pid from the root-owned pid file; 0 if none. */
pid_t
run_pid_get(int basefd, const char *name)
{
	char file[NAME_LEN_MAX + 8], text[32];
	long p;

	if (run_get(basefd, run_file(file, sizeof(file), name, RUN_PID_SUFFIX),
	    text, sizeof(text)) < 0)
		return 0;
	p = strtol(text, NULL, 10);
	return p > 1 && p < 1L << 22 ? (pid_t)p : 0;
}

int
run_krecord_put(int dirfd, const struct krecord *k)
{
	char text[512];

	if (krecord_encode(k, text, sizeof(text)) < 0) {
		errno = EINVAL;
		return -1;
	}
	return run_put(dirfd, RUN_STATE, text, 0600);
}

/* Guest name's directory (its fd) and record; -1 if it has none (yet). */
int
run_record(int basefd, const char *name, struct krecord *k)
{
	char text[512];
	int dfd = openat(basefd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);

	if (dfd >= 0 && run_get(dfd, RUN_STATE, text, sizeof(text)) >= 0 &&
	    krecord_decode(text, k) == 0)
		return dfd;
	if (dfd >= 0)
		close(dfd);
	return -1;
}

/*
 * Call fn(k, name, arg) for the record of every running guest but except
 * (their supervisors hold their locks).
 */
static void
run_each(const char *except, void (*fn)(const struct krecord *,
    const char *, void *), void *arg)
{
	struct krecord k;
	struct dirent *e;
	int basefd, dfd;
	DIR *d;

	if ((basefd = open(RUNDIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return;
	if (!(d = fdopendir(basefd))) {
		close(basefd);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.' ||
		    strcmp(e->d_name, except) == 0 ||
		    !run_locked(dirfd(d), e->d_name))
			continue;
		if ((dfd = run_record(dirfd(d), e->d_name, &k)) < 0)
			continue;
		fn(&k, e->d_name, arg);
		close(dfd);
	}
	closedir(d);
}

struct committed {
	unsigned long long dev, kib;
};

static void
add_committed(const struct krecord *k, const char *name, void *arg)
{
	struct committed *c = arg;

	(void)name;
	if (k->memdev == c->dev)
		c->kib += k->mem_kib;
}

/*
 * The MEMORY of every running guest but except whose memory file is on
 * the file system dev, in KiB: their sparse files may all fill up.
 */
unsigned long long
run_committed_kib(unsigned long long dev, const char *except)
{
	struct committed c = { dev, 0 };

	run_each(except, add_committed, &c);
	return c.kib;
}

struct same_user {
	uid_t uid;
	char *names;
	size_t len;
};

static void
add_same_user(const struct krecord *k, const char *name, void *arg)
{
	struct same_user *u = arg;
	size_t n = strlen(u->names);

	if (k->kuid == u->uid && n + strlen(name) + 2 < u->len)
		snprintf(u->names + n, u->len - n, "%s%s", n ? " " : "", name);
}

/* The running guests but except whose kernel runs as uid, blank-separated. */
void
run_guests_of(uid_t uid, const char *except, char *names, size_t len)
{
	struct same_user u = { uid, names, len };

	names[0] = '\0';
	run_each(except, add_same_user, &u);
}
