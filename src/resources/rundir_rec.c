/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rundir_rec.c: the records in /run/uml: NAME.last (how the last run
 * ended), NAME.stops (how many runs ended how since boot), NAME.pid (the
 * supervisor), NAME/state (the kernel's record), and what is read from
 * them: a guest's state, the running guests.
 *
 * Everything here runs as root; a record is written by rename and read
 * only if root owns it and it is not a link.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "runrec.h"
#include "resources.h"
#include "util.h"

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
	char text[KRECORD_MAX];

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
	char text[KRECORD_MAX];
	int dfd = openat(basefd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);

	if (dfd >= 0 && run_get(dfd, RUN_STATE, text, sizeof(text)) >= 0 &&
	    krecord_decode(text, k) == 0)
		return dfd;
	if (dfd >= 0)
		close(dfd);
	return -1;
}

pid_t
run_backup_holder(const struct krecord *k)
{
	if ((k->bk.phase != BK_SYNCING && k->bk.phase != BK_HELD) ||
	    k->bk.pid <= 0)
		return 0;
	/* Backups run as root: EPERM is another process on a reused pid. */
	return kill(k->bk.pid, 0) == 0 ? k->bk.pid : 0;
}

/*
 * Call fn(k, name, arg) for the record of every running guest but except
 * (their supervisors hold their locks).
 */
void
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

/*
 * The guest's state into o: RS_RUNNING while a supervisor holds it, else
 * how its last run ended.  A live supervisor holds the lock for as long as
 * its runtime directory exists, so the same directory seen before and
 * after an unheld lock means umlctl itself was killed.  (Seen only once,
 * it may belong to a start or stop racing with us.)
 */
enum run_state
run_state(int basefd, const char *name, struct outcome *o)
{
	struct stat a, b;

	o->state = RS_RUNNING;
	o->detail[0] = '\0';
	if (run_locked(basefd, name))
		return o->state;
	if (fstatat(basefd, name, &a, AT_SYMLINK_NOFOLLOW) == 0) {
		if (run_locked(basefd, name))
			return o->state;
		if (fstatat(basefd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			o->state = RS_ORPHANED;
			snprintf(o->detail, sizeof(o->detail), "its umlctl "
			    "supervisor died; the next start cleans up");
			return o->state;
		}
	}
	run_outcome_get(basefd, name, o);
	return o->state;
}

/*
 * Call fn(name, arg) for every valid guest name with a NAME.pid in
 * RUNDIR (a supervisor that got as far as writing it).  0, or -1 with
 * errno if RUNDIR cannot be read.
 */
int
run_each_pid(void (*fn)(const char *, void *), void *arg)
{
	char name[NAME_LEN_MAX + 1], err[256];
	size_t n, sl = strlen(RUN_PID_SUFFIX);
	struct dirent *e;
	DIR *d;

	if (!(d = opendir(RUNDIR)))
		return -1;
	while ((e = readdir(d))) {
		n = strlen(e->d_name);
		if (n <= sl || n - sl > NAME_LEN_MAX ||
		    strcmp(e->d_name + n - sl, RUN_PID_SUFFIX))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(n - sl), e->d_name);
		if (parse_name(name, err, sizeof(err)) == 0)
			fn(name, arg);
	}
	closedir(d);
	return 0;
}
