/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * remove.c: umlctl remove NAME [--images]: what create made of a guest,
 * and what its runs left, gone again.
 *
 * With the guest's lock held (so no start can begin meanwhile), and only
 * once its conf.d file was read: its runlevel entries (rc-update del),
 * the init.d link, the conf.d file, NAME.last and NAME.stops, and the
 * console log with its older parts; with --images, ROOT (or its COW file) and
 * SWAP, and the guest's directory if that leaves it empty.  BASE_IMAGE is never
 * removed: create did not make it, and other guests may use it.  Each
 * removal is printed; disks kept are named, to delete by hand (once the
 * conf.d file is gone, no second remove can find them).  A guest whose
 * conf.d file was deleted by hand but whose link, runlevel entries or
 * records are left loses those; its disks and log, which only that file
 * named, stay and are said to.  A file at init.d/uml.NAME that is no
 * link (create makes one) is an admin's own script, whose runlevel
 * entries would go too: refused, nothing removed.  Root removes nothing
 * through a link: every directory is reached by root_dir_open, but the
 * guest's own directory, which may be USER's (a COW guest's), is opened
 * without following a link.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "parse.h"
#include "resources.h"
#include "util.h"

/* Split path into its directory (in dir) and last component (returned). */
static const char *
split(const char *path, char *dir, size_t len)
{
	char *s;

	if (xsnprintf(dir, len, "%s", path) < 0 || !(s = strrchr(dir, '/')))
		return NULL;
	*s = '\0';
	return path + (s - dir) + 1;
}

/* Remove dfd/file if it is there and no directory; say so. */
static void
drop(const char *name, int dfd, const char *file, const char *shown)
{
	struct stat st;

	if (fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    S_ISDIR(st.st_mode))
		return;
	if (unlinkat(dfd, file, 0) < 0)
		die_errno(EX_SYSTEM, "%s: cannot remove %s", name, shown);
	printf("%s: removed %s\n", name, shown);
}

/* Remove path, in a directory only root can change. */
static void
drop_path(const char *name, const char *path)
{
	char dir[PATH_LEN_MAX], err[512];
	const char *file = split(path, dir, sizeof(dir));
	int dfd;

	if (!file)
		return;
	if ((dfd = root_dir_open(dir[0] ? dir : "/", 0, err, sizeof(err))) <
	    0) {
		if (errno != ENOENT)
			warnmsg("%s: warning: %s left: %s", name, path, err);
		return;
	}
	drop(name, dfd, file, path);
	close(dfd);
}

/* Whether file is log, log.old, or logrotate's log.N or log.N.gz. */
static bool
log_part(const char *file, const char *log)
{
	size_t n = strlen(log);
	const char *s = file + n;

	if (strncmp(file, log, n) != 0)
		return false;
	if (!*s || strcmp(s, CLOG_OLD) == 0)
		return true;
	if (*s++ != '.' || !(*s >= '0' && *s <= '9'))
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return !*s || strcmp(s, ".gz") == 0;
}

static void
drop_log(const char *name, const char *log)
{
	char dir[PATH_LEN_MAX], err[512], shown[PATH_LEN_MAX * 2];
	const char *file = split(log, dir, sizeof(dir));
	struct dirent *e;
	int dfd, rfd;
	DIR *d;

	if (!file || (dfd = root_dir_open(dir[0] ? dir : "/", 0, err,
	    sizeof(err))) < 0)
		return;
	if ((rfd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    !(d = fdopendir(rfd)))
		die_errno(EX_SYSTEM, "%s: %s", name, dir);
	while ((e = readdir(d)))
		if (log_part(e->d_name, file)) {
			snprintf(shown, sizeof(shown), "%s/%s", dir, e->d_name);
			drop(name, dfd, e->d_name, shown);
		}
	closedir(d);
	close(dfd);
}

/* In each runlevel: rc-update del uml.NAME LEVEL (only counted when
 * count).  Returns how many runlevels had it. */
static int
drop_runlevels(const char *name, bool count)
{
	char path[PATH_LEN_MAX];
	struct dirent *e;
	struct stat st;
	int n = 0;
	DIR *d;

	if (!(d = opendir(SYSCONFDIR "/runlevels")))
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) > NAME_LEN_MAX)
			continue;
		snprintf(path, sizeof(path), SYSCONFDIR "/runlevels/%s/uml.%s",
		    e->d_name, name);
		if (lstat(path, &st) < 0 || (n++, count))
			continue;
		if (rc_update_del(name, e->d_name) < 0)
			die(EX_SYSTEM, "%s: rc-update del uml.%s %s failed; %s "
			    "is still there", name, name, e->d_name, path);
		printf("%s: removed uml.%s from runlevel %s (rc-update del)\n",
		    name, name, e->d_name);
	}
	closedir(d);
	return n;
}

/* Whether confdir is SYSCONFDIR/conf.d, whose services runlevels name. */
static bool
system_confdir(const char *confdir)
{
	char real[PATH_LEN_MAX];

	return realpath(SYSCONFDIR "/conf.d", real) && strcmp(real,
	    confdir) == 0;
}

/* The service's init.d link: confdir's sibling init.d/uml.NAME. */
static void
link_path(const char *name, const char *confdir, char *path, size_t len)
{
	char *s;

	snprintf(path, len, "%s", confdir);
	if ((s = strrchr(path, '/')))
		snprintf(s, len - (size_t)(s - path), "/init.d/uml.%s", name);
	else
		path[0] = '\0';
}

/* Whether name's conf.d file is there (or cannot be told absent). */
static bool
conf_there(const char *name, const char *confdir)
{
	char path[PATH_LEN_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/uml.%s", confdir, name);
	return lstat(path, &st) == 0 || errno != ENOENT;
}

/* init.d/uml.NAME, if it is there and no link (an admin's own script):
 * refused, before anything is done. */
static void
own_script(const char *name, const char *confdir)
{
	char path[PATH_LEN_MAX];
	struct stat st;

	link_path(name, confdir, path, sizeof(path));
	if (path[0] && lstat(path, &st) == 0 && !S_ISLNK(st.st_mode))
		die(EX_CONFIG, "%s: %s is not a link to the uml runscript, as "
		    "create makes it (an own script?): nothing removed; take "
		    "it away or rename it first", name, path);
}

/* Whether name's service left its link or a runlevel entry. */
static bool
service_left(const char *name, const char *confdir)
{
	char path[PATH_LEN_MAX];
	struct stat st;

	link_path(name, confdir, path, sizeof(path));
	return (path[0] && lstat(path, &st) == 0) ||
	    (system_confdir(confdir) && drop_runlevels(name, true) > 0);
}

/* The service: runlevel entries, OpenRC's state, the link, the conf.d file. */
static void
drop_service(const char *name, const char *confdir)
{
	char path[PATH_LEN_MAX];

	/* Runlevels name the services of SYSCONFDIR/init.d only. */
	if (system_confdir(confdir)) {
		drop_runlevels(name, false);
		rc_mark(name, false);
	}
	link_path(name, confdir, path, sizeof(path));
	if (path[0])
		drop_path(name, path);
	snprintf(path, sizeof(path), "%s/uml.%s", confdir, name);
	drop_path(name, path);
}

/* ROOT or SWAP: its directory may be USER's; every one above is root's. */
static int
image_dir(const char *name, const char *path, char *dir, size_t len,
    const char **file)
{
	char up[PATH_LEN_MAX], err[512];
	const char *last;
	int ufd, dfd;

	if (!(*file = split(path, dir, len)) || !(last = split(dir, up,
	    sizeof(up))) || !*last)
		return -1;
	if ((ufd = root_dir_open(up[0] ? up : "/", 0, err, sizeof(err))) < 0) {
		if (errno != ENOENT)
			warnmsg("%s: warning: %s left: %s", name, path, err);
		return -1;
	}
	dfd = openat(ufd, last, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(ufd);
	return dfd;
}

static void
drop_image(const char *name, const char *path)
{
	char dir[PATH_LEN_MAX];
	const char *file;
	int dfd;

	if (!path[0] || (dfd = image_dir(name, path, dir, sizeof(dir),
	    &file)) < 0)
		return;
	drop(name, dfd, file, path);
	close(dfd);
}

/* UMLDIR/NAME, if the images left it empty. */
static void
drop_guest_dir(const struct guest *g)
{
	char dir[PATH_LEN_MAX * 2], err[512];
	int ufd;

	snprintf(dir, sizeof(dir), "%s/%s", g->umldir, g->name);
	if ((ufd = root_dir_open(g->umldir, 0, err, sizeof(err))) < 0)
		return;
	if (unlinkat(ufd, g->name, AT_REMOVEDIR) == 0)
		printf("%s: removed %s/\n", g->name, dir);
	close(ufd);
}

/* MEMORY_DIR/umlctl.NAME, if a kernel's end left it (memsub.c). */
static void
drop_memsub(const struct guest *g)
{
	static struct account a;
	char err[256];

	if (g->memdir_own || host_account(g->user, &a, true, err,
	    sizeof(err)) < 0)
		return;
	if (memsub_remove(g, &a))
		printf("%s: removed %s/" MEMSUB_PREFIX "%s/\n", g->name,
		    g->memdir, g->name);
}

/* The disks, with --images; else named, to delete by hand. */
static void
drop_images(const struct guest *g, bool images)
{
	struct stat st;

	if (images) {
		drop_image(g->name, g->root);
		drop_image(g->name, g->swap);
		drop_guest_dir(g);
	} else if (lstat(g->root, &st) == 0 || (g->swap[0] &&
	    lstat(g->swap, &st) == 0))
		printf("%s: kept its disks, which nothing names now; to delete "
		    "them too: rm %s%s%s\n", g->name, g->root, g->swap[0] ?
		    " " : "", g->swap);
	if (g->base[0])
		printf("%s: kept BASE_IMAGE %s (remove never deletes a base)\n",
		    g->name, g->base);
}

/* The lock on name's runtime records; dies if it runs or may run. */
static int
remove_lock(int basefd, const char *name)
{
	char path[PATH_LEN_MAX];
	int lockfd;

	if ((lockfd = run_lock(basefd, name)) < 0) {
		if (errno == EWOULDBLOCK)
			die(EX_BUSY, "%s: running, or being started or "
			    "stopped: stop it first (umlctl stop %s)", name,
			    name);
		die_errno(EX_SYSTEM, "%s: %s", name, run_top_path(path,
		    sizeof(path), name, RUN_LOCK_SUFFIX));
	}
	if (run_left(basefd, name))
		die(EX_BUSY, "%s: its umlctl supervisor died and left %s (its "
		    "kernel may still run): `umlctl stop %s' cleans up",
		    name, name, run_path(path, sizeof(path), name, NULL));
	return lockfd;
}

/* NAME.last and NAME.stops. */
static void
drop_records(int basefd, const char *name)
{
	static struct outcome o;
	char path[PATH_LEN_MAX];

	run_outcome_get(basefd, name, &o);
	if (o.state != RS_NONE) {
		run_outcome_clear(basefd, name);
		printf("%s: removed %s\n", name, run_top_path(path,
		    sizeof(path), name, RUN_LAST_SUFFIX));
	}
	run_stops_clear(basefd, name);
}

int
cmd_remove(const struct ctx *x, int argc, char **argv)
{
	static struct guest g;
	const char *name = argv[1];
	bool conf;
	char err[256];
	int basefd, lockfd;

	if (parse_name(name, err, sizeof(err)) < 0)
		die(EX_CONFIG, "remove: instance name: %s", err);
	own_script(name, x->confdir);
	/* Read first: a refusal leaves no lock file behind.  Without its
	 * conf.d file, a guest is what its service and records left. */
	if ((conf = conf_there(name, x->confdir)) ||
	    !service_left(name, x->confdir))
		run_no_guest(x->confdir, name);
	if (conf) {
		cmd_load(x, name, &g, NULL, false, NULL);
		host_resolve_swap(&g);
	}
	basefd = run_base();
	lockfd = remove_lock(basefd, name);
	drop_service(name, x->confdir);
	drop_records(basefd, name);
	if (conf) {
		drop_log(name, g.console_log);
		drop_memsub(&g);
		drop_images(&g, x->opt['i' - 'a'] != NULL);
	} else
		printf("%s: no %s/uml.%s: its disks and console log, which "
		    "only that file named, stay where they are\n", name,
		    x->confdir, name);
	run_cleanup(basefd, name, lockfd);
	return EX_OK;
}
