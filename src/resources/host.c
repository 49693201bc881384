/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host.c: check a guest against the host, changing nothing.
 *
 * Everything the kernel will need is checked here, before anything is
 * created, so that a bad configuration fails with a clear message and no
 * side effect.  Permission checks are made for USER (not root) from the
 * file's owner, group and mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "confine.h"
#include "hostfs.h"
#include "kfacts.h"
#include "resources.h"
#include "util.h"

#define R PERM_R
#define W PERM_W
#define X PERM_X

int
host_account(const char *user, struct account *a, bool groups, char *err,
    size_t errlen)
{
	struct passwd *pw;
	int n = GROUPS_MAX;

	errno = 0;
	if (!(pw = getpwnam(user))) {
		snprintf(err, errlen, "USER=\"%s\": no such user", user);
		return -1;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errlen, "USER=\"%s\": has uid 0; the guest must "
		    "run unprivileged", user);
		return -1;
	}
	a->uid = pw->pw_uid;
	a->gid = pw->pw_gid;
	a->ngroups = 0;
	/* getgrouplist is most of a status call's cost: only when needed. */
	if (groups && getgrouplist(user, pw->pw_gid, a->groups, &n) < 0) {
		snprintf(err, errlen, "USER=\"%s\": in more than %d groups",
		    user, GROUPS_MAX);
		return -1;
	}
	if (groups)
		a->ngroups = n;
	if (xsnprintf(a->home, sizeof(a->home), "%s", pw->pw_dir) < 0)
		a->home[0] = '\0';
	return 0;
}

/* A disk image: a regular file (not a link) USER can read and write. */
static int
check_image(const char *var, const char *path,
    const struct account *a, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		snprintf(err, errlen, "%s=\"%s\": %s", var, path,
		    strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s=\"%s\": %s", var, path,
		    S_ISLNK(st.st_mode) ? "is a symbolic link (name the image "
		    "itself)" : "not a regular file");
		return -1;
	}
	if (!perm_may(st.st_uid, st.st_gid, st.st_mode, a, R | W)) {
		snprintf(err, errlen, "%s=\"%s\": not readable and writable by "
		    "USER (UML would silently open it read-only)", var, path);
		return -1;
	}
	return host_check_dirs(var, path, a, err, errlen);
}

static int
check_kernel(const struct guest *g, const struct account *a,
    char *err, size_t errlen)
{
	struct stat st;

	if (stat(g->kernel, &st) < 0) {
		snprintf(err, errlen, "KERNEL=\"%s\": %s", g->kernel,
		    strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) ||
	    !perm_may(st.st_uid, st.st_gid, st.st_mode, a, R | X)) {
		snprintf(err, errlen, "KERNEL=\"%s\": not a file USER can read "
		    "and execute", g->kernel);
		return -1;
	}
	return host_check_dirs("KERNEL", g->kernel, a, err, errlen);
}

/* The memory file's directory: exec allowed, writable, room for MEMORY. */
static int
check_memdir(const struct guest *g, const struct account *a, bool running,
    char *err, size_t errlen)
{
	struct statvfs vfs;
	struct stat st;
	unsigned long long avail, size, others;

	/* Its own tmpfs, sized for MEMORY, that nobody else can fill. */
	if (g->memdir_own)
		return 0;
	if (stat(g->memdir, &st) < 0 || statvfs(g->memdir, &vfs) < 0) {
		snprintf(err, errlen, "MEMORY_DIR=\"%s\": %s", g->memdir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) ||
	    !perm_may(st.st_uid, st.st_gid, st.st_mode, a, W | X)) {
		snprintf(err, errlen, "MEMORY_DIR=\"%s\": not a directory USER "
		    "can write", g->memdir);
		return -1;
	}
	if (vfs.f_flag & ST_NOEXEC) {
		snprintf(err, errlen, "MEMORY_DIR=\"%s\": mounted noexec; UML "
		    "maps its memory file executable (remount without noexec "
		    "or choose another MEMORY_DIR)", g->memdir);
		return -1;
	}
	/* A running guest's own memory file already takes its share. */
	avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
	if (!running && avail / 1024 < g->mem_kib) {
		snprintf(err, errlen, "MEMORY_DIR=\"%s\": %llu MiB free, less "
		    "than MEMORY (%llu MiB): the guest would die of SIGBUS",
		    g->memdir, avail >> 20,
		    (unsigned long long)g->mem_kib >> 10);
		return -1;
	}
	/* The running guests' memory files are sparse: what they have not
	 * touched yet is not in f_bavail, but will be. */
	size = (unsigned long long)vfs.f_blocks * vfs.f_frsize / 1024;
	others = run_committed_kib((unsigned long long)st.st_dev, g->name);
	if (others + g->mem_kib > size) {
		snprintf(err, errlen, "MEMORY_DIR=\"%s\": %llu MiB in all, and "
		    "the running guests' MEMORY takes %llu MiB: no room for "
		    "MEMORY (%llu MiB); together they would die of SIGBUS",
		    g->memdir, size >> 10, others >> 10,
		    (unsigned long long)g->mem_kib >> 10);
		return -1;
	}
	return 0;
}

static int
check_log(const struct guest *g, char *err, size_t errlen)
{
	char dir[PATH_LEN_MAX], e2[512], *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", g->console_log);
	slash = strrchr(dir, '/');
	*slash = '\0';
	fd = root_dir_open(dir[0] ? dir : "/", 0, e2, sizeof(e2));
	if (fd < 0 && errno == ENOENT && (slash = strrchr(dir, '/'))) {
		/* Made at start if missing, like LOGDIR: check its parent. */
		*slash = '\0';
		fd = root_dir_open(dir[0] ? dir : "/", 0, e2, sizeof(e2));
	}
	if (fd < 0) {
		snprintf(err, errlen, "CONSOLE_LOG=\"%s\": %s",
		    g->console_log, e2);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * A directory holding what USER's kernel runs or writes: not a link, and
 * nobody but root and USER can change what is in it (else anyone could
 * swap the kernel or the image under the guest).
 */
static int
check_owned_dir(const char *var, const char *val, const char *dir,
    const struct account *a, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return snprintf(err, errlen, "%s=\"%s\": directory %s: %s", var,
		    val, dir, strerror(errno)), -1;
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
		return snprintf(err, errlen, "%s=\"%s\": %s is %s", var, val,
		    dir, S_ISLNK(st.st_mode) ? "a symbolic link (name the real "
		    "directory)" : "not a directory"), -1;
	if (st.st_uid != 0 && st.st_uid != a->uid)
		return snprintf(err, errlen, "%s=\"%s\": %s belongs to uid %u, "
		    "neither root nor USER", var, val, dir,
		    (unsigned)st.st_uid), -1;
	if ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) &&
	    st.st_gid != 0 && st.st_gid != a->gid))
		return snprintf(err, errlen, "%s=\"%s\": %s is writable by "
		    "others (mode %04o)", var, val, dir,
		    (unsigned)(st.st_mode & 07777)), -1;
	return 0;
}

/* The parent of path, and UMLDIR when path lies below it. */
static int
check_parents(const struct guest *g, const char *var,
    const char *path, const struct account *a, char *err, size_t errlen)
{
	char dir[PATH_LEN_MAX];
	size_t n = strlen(g->umldir);

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if (check_owned_dir(var, path, dir[0] ? dir : "/", a, err, errlen) < 0)
		return -1;
	if (strncmp(path, g->umldir, n) == 0 && path[n] == '/' &&
	    check_owned_dir("UMLDIR", g->umldir, g->umldir, a, err, errlen) < 0)
		return -1;
	return 0;
}

/*
 * BASE_IMAGE: shared by guests that may run as other accounts, so nobody
 * but root may change it or the directories above it (a USER who could
 * would change every other guest's disk); USER only reads it.
 */
static int
check_base(const struct guest *g, const struct account *a, char *err,
    size_t errlen)
{
	struct stat st;

	if (host_stat_nofollow("BASE_IMAGE", g->base, "", &st, err,
	    errlen) < 0)
		return -1;
	if (!S_ISREG(st.st_mode))
		return snprintf(err, errlen, "BASE_IMAGE=\"%s\": %s", g->base,
		    S_ISLNK(st.st_mode) ? "is a symbolic link (name the image "
		    "itself)" : "not a regular file"), -1;
	if (st.st_uid != 0 || (st.st_mode & 022))
		return snprintf(err, errlen, "BASE_IMAGE=\"%s\": must be owned "
		    "by root and writable only by root (guests share it; chown "
		    "root and chmod 0644)", g->base), -1;
	if (!perm_may(st.st_uid, st.st_gid, st.st_mode, a, R))
		return snprintf(err, errlen, "BASE_IMAGE=\"%s\": not readable "
		    "by USER", g->base), -1;
	return host_check_dirs("BASE_IMAGE", g->base, a, err, errlen);
}

/* The first error a probe reports, into the caller's err. */
struct first_error {
	char *err;
	size_t errlen;
	bool seen;
};

static void
first_error(void *arg, enum gc_level lv, const char *msg)
{
	struct first_error *f = arg;

	if (lv == GC_ERROR && !f->seen) {
		snprintf(f->err, f->errlen, "%s", msg);
		f->seen = true;
	}
}

/*
 * ROOT over BASE_IMAGE: a COW file the kernel makes at start when it is
 * missing (as USER, so ROOT's directory must let USER create it), else
 * one whose header still matches the base (read as USER by probe.c).
 */
static int
check_cow(const struct guest *g, const struct account *a, char *err,
    size_t errlen)
{
	struct first_error f = { err, errlen, false };
	char dir[PATH_LEN_MAX];
	struct stat st;

	if (check_base(g, a, err, errlen) < 0 ||
	    check_parents(g, "ROOT", g->root, a, err, errlen) < 0)
		return -1;
	if (lstat(g->root, &st) < 0 && errno == ENOENT) {
		snprintf(dir, sizeof(dir), "%s", g->root);
		*strrchr(dir, '/') = '\0';
		if (stat(dir[0] ? dir : "/", &st) < 0 || !perm_may(st.st_uid,
		    st.st_gid, st.st_mode, a, W | X))
			return snprintf(err, errlen, "ROOT=\"%s\": missing, "
			    "and USER cannot create the COW file in %s",
			    g->root, dir), -1;
		return host_check_dirs("ROOT", g->root, a, err, errlen);
	}
	if (check_image("ROOT", g->root, a, err, errlen) < 0 ||
	    probe_guest(g, a, PROBE_COW, first_error, &f, err, errlen) < 0)
		return -1;
	return f.seen ? -1 : 0;
}

/* SWAP unset: the primer's swap.loop is used only if it exists. */
void
host_resolve_swap(struct guest *g)
{
	struct stat st;

	if (g->swap_auto && lstat(g->swap, &st) < 0 && errno == ENOENT)
		g->swap[0] = '\0';
	g->swap_auto = false;
}

int
host_check(struct guest *g, const struct account *a, const char *confdir,
    bool running, char *err, size_t errlen)
{
	/* First: it is about every guest, not this one. */
	if (host_runlevel_files(g, confdir, err, errlen) < 0 ||
	    kfacts_yama_fit(host_ptrace_scope(), g, err, errlen) < 0 ||
	    check_parents(g, "KERNEL", g->kernel, a, err, errlen) < 0 ||
	    check_kernel(g, a, err, errlen) < 0 ||
	    host_kernel_fit(g, a, err, errlen) < 0)
		return -1;
	if (g->base[0] ? check_cow(g, a, err, errlen) < 0 :
	    (check_parents(g, "ROOT", g->root, a, err, errlen) < 0 ||
	    check_image("ROOT", g->root, a, err, errlen) < 0))
		return -1;
	host_resolve_swap(g);
	if (g->swap[0] && (check_parents(g, "SWAP", g->swap, a, err, errlen) <
	    0 || check_image("SWAP", g->swap, a, err, errlen) < 0))
		return -1;
	if (check_memdir(g, a, running, err, errlen) < 0 ||
	    host_check_hostfs(g, a, err, errlen) < 0 ||
	    check_log(g, err, errlen) < 0 ||
	    rc_need_check(g->rc_need, err, errlen) < 0 ||
	    host_check_confine(g, err, errlen) < 0)
		return -1;
	return 0;
}

/*
 * What derived MACs depend on when MAC_SEED is unset: /etc/machine-id's
 * first line (stable across reboots, different on every installed host),
 * else the hostname.  Never empty.
 */
void
host_mac_seed(char *buf, size_t len)
{
	ssize_t n = -1;
	int fd = open("/etc/machine-id", O_RDONLY | O_NOCTTY |
	    O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (buf[0] == '\0' && gethostname(buf, len - 1) == 0)
		buf[len - 1] = '\0';
	if (buf[0] == '\0')
		snprintf(buf, len, "localhost");
}
