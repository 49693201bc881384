/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backup.c: umlctl backup NAME DIR [--swap]: the guest's disk files (ROOT,
 * which is the COW file of a guest over BASE_IMAGE, and SWAP if asked)
 * copied into DIR as one consistent set.
 *
 * A running guest is held by its supervisor (supervisor/hold.c, asked
 * with SIG_BACKUP like stop, suspend and resume): synced (sysrq s), paused
 * (mconsole stop), copied, let go; the copy is what a crash at the pause
 * would have left.  A stopped guest is copied with its lock held (no start
 * meanwhile) and a read lock on each disk (no kernel on them meanwhile).
 *
 * As root, into DIR: a directory root owns and only root may write,
 * reached without a link (root_dir_open).  The disks are read through
 * descriptors opened as USER (disk_open_ro: never a path USER controls
 * followed as root).  Each copy is an unnamed file (O_TMPFILE), linked in
 * as NAME-root.img, NAME-cow.img or NAME-swap.img once all of them are
 * whole and on disk, NAME-root.img (or -cow) last: it says the set is
 * whole; an existing name is never replaced.  A failure, or
 * SIGINT, SIGTERM, SIGHUP (blocked, looked at between pieces), leaves no
 * file, and a held guest is let go: by us, or by the supervisor when we
 * end (it holds our pidfd).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "resources.h"
#include "supervisor.h"
#include "system.h"
#include "util.h"

struct bfile {
	const char *var;	/* ROOT, COW, SWAP */
	const char *path;
	enum disk_kind kind;
	char out[NAME_LEN_MAX + 16];
	int in, tmp;
	struct stat st;
	const char *how;
	unsigned long long bytes;
};

struct job {
	const char *name, *dir;
	int dirfd, basefd, lockfd;
	struct bfile f[2];
	size_t n;
};

static bool
interrupted(void)
{
	sigset_t p;

	return sigpending(&p) == 0 && (sigismember(&p, SIGINT) ||
	    sigismember(&p, SIGTERM) || sigismember(&p, SIGHUP));
}

/* The files to copy and their names in DIR, none of which may exist. */
static void
plan(struct job *j, const struct guest *g, bool swap)
{
	struct stat st;
	size_t i;

	j->f[0] = (struct bfile){ .var = g->base[0] ? "COW" : "ROOT",
	    .path = g->root, .kind = DISK_ROOT, .in = -1, .tmp = -1 };
	snprintf(j->f[0].out, sizeof(j->f[0].out), "%s-%s.img", j->name,
	    g->base[0] ? "cow" : "root");
	j->n = 1;
	if (swap && !g->swap[0])
		die(EX_CONFIG, "backup: --swap: %s has no SWAP (or its file "
		    "does not exist)", j->name);
	if (swap) {
		j->f[1] = (struct bfile){ .var = "SWAP", .path = g->swap,
		    .kind = DISK_SWAP, .in = -1, .tmp = -1 };
		snprintf(j->f[1].out, sizeof(j->f[1].out), "%s-swap.img",
		    j->name);
		j->n = 2;
	}
	for (i = 0; i < j->n; i++)
		if (fstatat(j->dirfd, j->f[i].out, &st, AT_SYMLINK_NOFOLLOW) ==
		    0 || errno != ENOENT)
			die(EX_CONFIG, "backup: DIR \"%s\": %s exists: a "
			    "backup never replaces a file", j->dir,
			    j->f[i].out);
}

/* Each disk opened as USER (and read-locked if lock), and its unnamed
 * copy made in DIR. */
static void
open_all(struct job *j, const struct account *a, bool lock)
{
	struct bfile *f;
	size_t i;

	for (i = 0; i < j->n; i++) {
		f = &j->f[i];
		if ((f->in = disk_open_ro(f->path, a, lock, &f->st)) < 0 &&
		    errno == EAGAIN)
			die(EX_BUSY, "%s: %s \"%s\" is in use (locked by a "
			    "running guest or another program)", j->name,
			    f->var, f->path);
		if (f->in < 0)
			die_errno(EX_CONFIG, "%s: %s \"%s\"", j->name, f->var,
			    f->path);
		if ((f->tmp = fcopy_tmp(j->dirfd)) < 0)
			die_errno(EX_SYSTEM, "backup: DIR \"%s\": an unnamed "
			    "file", j->dir);
	}
}

/* Every disk into its unnamed copy; 0, or -1 with errno and *bad. */
static int
copy_all(struct job *j, const struct bfile **bad)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (fcopy_data(j->f[i].in, j->f[i].tmp, interrupted,
		    &j->f[i].how, &j->f[i].bytes) < 0) {
			*bad = &j->f[i];
			return -1;
		}
	return 0;
}

/*
 * The copies named in DIR, all or none, the ROOT (or COW) copy last: with
 * its name (and DIR's, synced) the set is whole.  SIGKILL between two
 * links, which nothing can catch, leaves NAME-swap.img alone, never
 * NAME-root.img without it.
 */
static void
link_all(struct job *j)
{
	size_t i, k;
	int e;

	for (i = j->n; i-- > 0;) {
		if (fcopy_link(j->f[i].tmp, j->dirfd, j->f[i].out) == 0)
			continue;
		e = errno;
		for (k = i + 1; k < j->n; k++)
			(void)unlinkat(j->dirfd, j->f[k].out, 0);
		errno = e;
		die_errno(e == EEXIST ? EX_CONFIG : EX_SYSTEM, "backup: DIR "
		    "\"%s\": %s (nothing written)", j->dir, j->f[i].out);
	}
}

static void
say_files(const struct job *j, const struct guest *g)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		printf("%s: %s %s -> %s/%s (%s, %llu MiB of data)\n", j->name,
		    j->f[i].var, j->f[i].path, j->dir, j->f[i].out, j->f[i].how,
		    j->f[i].bytes >> 20);
	if (g->base[0])
		printf("%s: the COW file is a backup only with BASE_IMAGE %s, "
		    "unchanged: a restore needs it\n", j->name, g->base);
}

/* The lock file a backup of a stopped guest made goes when it ends,
 * whatever the end: no start could begin meanwhile. */
static int lock_basefd = -1;
static char lock_name[NAME_LEN_MAX + 1];

static void
lock_drop(void)
{
	if (lock_basefd >= 0)
		run_lock_remove(lock_basefd, lock_name);
}

/* A stopped guest: its lock held, its disks read-locked. */
static void
backup_stopped(struct job *j, const struct account *a)
{
	const struct bfile *bad;
	char path[PATH_LEN_MAX];

	if (run_left(j->basefd, j->name))
		die(EX_BUSY, "%s: its umlctl supervisor died and left %s "
		    "(its kernel may still run): umlctl stop %s cleans up",
		    j->name, run_path(path, sizeof(path), j->name, NULL),
		    j->name);
	open_all(j, a, true);
	if (copy_all(j, &bad) < 0)
		die_errno(EX_SYSTEM, "%s: %s %s: copy (nothing written)",
		    j->name, bad->var, bad->path);
	link_all(j);
	lock_drop();
	lock_basefd = -1;
	close(j->lockfd);
	printf("%s: not running: copied\n", j->name);
}

/*
 * Wait for the supervisor's answer to our request: the record's backup
 * is ours and in phase want (or an end).  The phase seen.
 */
static enum bk_phase
await(struct job *j, enum bk_phase want, long long ms, struct krecord *k)
{
	long long deadline = now_ms() + ms;
	int dfd;

	while (now_ms() < deadline) {
		if ((dfd = run_record(j->basefd, j->name, k)) < 0)
			die(EX_NOTRUNNING, "%s: not running any more (nothing "
			    "written)", j->name);
		close(dfd);
		if (k->bk.pid == getpid() && (k->bk.phase == want ||
		    k->bk.phase == BK_REFUSED || k->bk.phase == BK_DONE))
			return k->bk.phase;
		if (k->bk.pid != getpid() && run_backup_holder(k))
			die(EX_BUSY, "%s: another backup (pid %d) holds it; "
			    "try again", j->name, (int)k->bk.pid);
		if (want == BK_HELD && interrupted())
			die(EX_SYSTEM, "%s: interrupted before the copy "
			    "(nothing written)", j->name);
		(void)usleep(BACKUP_POLL_MS * 1000);
	}
	return BK_NONE;
}

static void
say_pause(const struct job *j, const struct bkrec *b)
{
	static const char *const sync[BKS_KINDS] = {
		[BKS_SEEN] = "synced (the guest said so)",
		[BKS_UNSEEN] = "sync asked (sysrq s), its end not seen within "
		    "the bound: the copy is as of a crash",
		[BKS_REFUSED] = "not synced (sysrq s refused or unanswered): "
		    "the copy is as of a crash",
	};

	if (b->sync == BKS_NONE)
		printf("%s: suspended: copied as it is; it stays suspended\n",
		    j->name);
	else
		printf("%s: %s; paused for %llu ms\n", j->name, sync[b->sync],
		    b->ms);
}

/* The record says the running guest's disks are the files opened. */
static void
same_disks(const struct job *j, const struct krecord *k)
{
	const struct diskid *id;
	size_t i;

	for (i = 0; i < j->n; i++) {
		id = &k->disk[j->f[i].kind];
		if (id->ino != (unsigned long long)j->f[i].st.st_ino ||
		    id->dev != (unsigned long long)j->f[i].st.st_dev)
			die(EX_CONFIG, "%s: %s \"%s\" is not the file the "
			    "running guest started with (its conf.d changed "
			    "since?): nothing copied", j->name, j->f[i].var,
			    j->f[i].path);
	}
}

/* A running guest: held by its supervisor while we copy. */
static void
backup_running(const struct ctx *x, struct job *j, const struct account *a)
{
	struct krecord k;
	const struct bfile *bad = NULL;
	pid_t spid;
	int dfd, e = 0;
	size_t i;

	if ((dfd = run_record(j->basefd, j->name, &k)) < 0)
		die(EX_BUSY, "%s: still starting, or being stopped; try again",
		    j->name);
	close(dfd);
	if (!k.bk_known)
		die(EX_CONFIG, "%s: its supervisor is an older umlctl's, which "
		    "takes no backup: restart the guest first", j->name);
	if (run_backup_holder(&k))
		die(EX_BUSY, "%s: another backup (pid %d) holds it; try again",
		    j->name, (int)k.bk.pid);
	open_all(j, a, false);
	same_disks(j, &k);
	for (i = 0; i < j->n; i++)
		(void)fcopy_warm(j->f[i].in);	/* a speed-up, no more */
	close(cmd_signal_supervisor(x, j->basefd, j->name, SIG_BACKUP, &spid));
	switch (await(j, BK_HELD, BACKUP_ASK_MS, &k)) {
	case BK_HELD:
		break;
	case BK_NONE:
		die(EX_TIMEOUT, "%s: its supervisor did not hold the guest "
		    "within %d s (stopping?): nothing written", j->name,
		    BACKUP_ASK_MS / 1000);
	default:
		die(EX_SYSTEM, "%s: could not pause the guest (see its console "
		    "log): nothing written", j->name);
	}
	if (copy_all(j, &bad) < 0)
		e = errno;
	close(cmd_signal_supervisor(x, j->basefd, j->name, SIG_BACKUP, &spid));
	if (await(j, BK_DONE, MC_TIMEOUT_MS + 2000, &k) != BK_DONE)
		warnmsg("%s: its supervisor did not say it let the guest go: "
		    "see umlctl status %s", j->name, j->name);
	if (bad) {
		errno = e;
		die_errno(EX_SYSTEM, "%s: %s %s: copy (nothing written; the "
		    "guest was let go)", j->name, bad->var, bad->path);
	}
	link_all(j);
	say_pause(j, &k.bk);
}

int
cmd_backup(const struct ctx *x, int argc, char **argv)
{
	static struct guest g;
	struct account a;
	struct job j = { .name = cmd_valid_name(argv[1]), .dir = argv[2] };
	char err[512];
	sigset_t sigs;
	bool made;

	run_no_guest(x->confdir, j.name);
	cmd_load(x, j.name, &g, &a, true, NULL);
	host_resolve_swap(&g);
	if ((j.dirfd = root_dir_open(j.dir, 0, err, sizeof(err))) < 0)
		die(EX_CONFIG, "backup: DIR \"%s\" must be a directory of "
		    "root's that only root may write, reached without a "
		    "symbolic link: %s", j.dir, err);
	plan(&j, &g, x->opt['s' - 'a'] != NULL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	j.basefd = run_base();
	made = !run_lock_exists(j.basefd, j.name);
	if ((j.lockfd = run_lock(j.basefd, j.name)) >= 0) {
		if (made) {
			snprintf(lock_name, sizeof(lock_name), "%s", j.name);
			lock_basefd = j.basefd;
			atexit(lock_drop);
		}
		backup_stopped(&j, &a);
	} else if (errno == EWOULDBLOCK)
		backup_running(x, &j, &a);
	else
		die_errno(EX_SYSTEM, "%s: %s", j.name, run_top_path(err,
		    sizeof(err), j.name, RUN_LOCK_SUFFIX));
	say_files(&j, &g);
	return EX_OK;
}
