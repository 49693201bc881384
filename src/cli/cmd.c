/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd.c: the commands that read a guest's conf.d (start, check, show;
 * loading is cmd_load.c) and the checks they share; the state of a guest
 * from its runtime files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chars.h"
#include "cmd.h"
#include "confread.h"
#include "guestconf.h"
#include "hostfs.h"
#include "kargv.h"
#include "kfacts.h"
#include "parse.h"
#include "confine.h"
#include "resources.h"
#include "supervisor.h"
#include "util.h"

struct hf_others {
	const struct ctx *x;
	const struct guest *g;
	char *err;
	size_t errlen;
	bool seen;
};

/* HOSTFS against guest name's files (hostfs.c); a guest whose file does
 * not load cannot start, and is passed over. */
static void
hf_other(const char *name, void *arg)
{
	static struct guest o;
	static struct conf c;	/* not check's `loaded': it lints that */
	struct hf_others *h = arg;
	char err[1536], why[512];

	if (h->seen || strcmp(name, h->g->name) == 0 ||
	    cmd_load_into(&c, h->x, name, &o, NULL, err, sizeof(err)) < 0)
		return;
	if (hf_guest(h->g, &o, why, sizeof(why)) < 0) {
		snprintf(h->err, h->errlen, "HOSTFS=\"%s\": %s", h->g->hostfs,
		    why);
		h->seen = true;
	}
}

/* HOSTFS apart from every other guest with a file in confdir. */
static int
hf_others(const struct ctx *x, const struct guest *g, char *err,
    size_t errlen)
{
	struct hf_others h = { x, g, err, errlen, false };

	if (g->hostfs[0])
		cmd_each_guest(x, hf_other, &h);
	return h.seen ? -1 : 0;
}

/*
 * Everything start would check, and the network, as root, read-only;
 * what it saw of the links goes to *ns.  self: the guest's own record if
 * it runs (check before a restart): its taps are in use by itself, and
 * its memory file already takes its room.
 */
static void
check_all(const struct ctx *x, struct guest *g, struct account *a,
    const struct krecord *self, struct netstate *ns)
{
	char err[1024];
	struct disks d;
	int basefd;

	if (hf_others(x, g, err, sizeof(err)) < 0 ||
	    host_check(g, a, x->confdir, self != NULL, err, sizeof(err)) < 0)
		die(EX_CONFIG, "%s: %s", g->name, err);
	/* Its disks locked by a start of this same guest that won the race
	 * since: busy, not a foreign lock; or by its supervisor that just
	 * ended (it lets its disks go before its lock): free now. */
	if (disk_take(g, a, self, false, &d, err, sizeof(err)) < 0) {
		if (!self && (basefd = run_base_peek()) >= 0) {
			if (run_locked(basefd, g->name))
				run_die_busy(g->name);
			close(basefd);
		}
		if (self || disk_take(g, a, self, false, &d, err,
		    sizeof(err)) < 0)
			die(EX_CONFIG, "%s: %s", g->name, err);
	}
	if (net_enter(g->netns, err, sizeof(err)) < 0 ||
	    net_check(g, a, self ? self->nics : NULL, ns, err, sizeof(err)) < 0)
		die(EX_CONFIG, "%s: %s", g->name, err);
}

/* Seconds since t0 (CLOCK_MONOTONIC). */
static double
since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int
cmd_start(const struct ctx *x, int argc, char **argv)
{
	static struct guest g;
	static struct account a;
	static struct netstate ns;
	struct start_opts o = { .foreground = x->foreground, .net = &ns };
	struct timespec t0;
	int basefd, rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	cmd_guest_name(x, argv[1]);
	cmd_load(x, argv[1], &g, &a, true, NULL);
	/* Busy first: the checks would find the running guest's own tap in
	 * use. */
	if ((basefd = run_base_peek()) >= 0 &&
	    run_locked(basefd, g.name))
		run_die_busy(g.name);
	/* So would they a tap that what a killed supervisor left still
	 * holds. */
	if (basefd >= 0)
		(void)cmd_orphan_sweep(basefd, g.name, NULL);
	check_all(x, &g, &a, NULL, &ns);
	rc = supervise_start(&g, &a, &o);
	/* By hand, one line; under OpenRC (-q) its eend says it. */
	if (rc == EX_OK && !o.foreground && !x->opt['q' - 'a'])
		printf("%s: running, ready in %.1f s\n", g.name, since(&t0));
	return rc;
}

/* What confines the kernel on this host, and what the host lacks. */
static void
say_confinement(const struct guest *g)
{
	char what[192];
	const char *lack;
	int abi = host_landlock_abi();

	cf_describe(g->confine, abi, g, what, sizeof(what));
	printf("%s: confinement: %s\n", g->name, what);
	if (g->hostfs[0])
		printf("%s: hostfs: the guest may mount HOSTFS=\"%s\" and "
		    "nothing above it (mount -t hostfs none DIR)\n", g->name,
		    g->hostfs);
	/* Confined without Landlock, HOSTFS is refused (host.c). */
	if (g->hostfs[0] && !g->confine)
		warnmsg("%s: warning: HOSTFS=\"%s\" without a Landlock domain: "
		    "hostfs's own root is no boundary, and the guest's root "
		    "can mount any directory USER=\"%s\" can read", g->name,
		    g->hostfs, g->user);
	if (!g->confine)
		warnmsg("%s: warning: CONFINE=\"no\": a guest that escapes "
		    "into its kernel reaches whatever USER=\"%s\" can (for "
		    "debugging only)", g->name, g->user);
	else if ((lack = cf_shortfall(abi)) != NULL)
		warnmsg("%s: warning: %s", g->name, lack);
	/* hostfs without a hostfs= root mounts any host path (hostfs_kern.c):
	 * without a domain the guest's root needs no escape for that. */
	if (!g->hostfs[0] && (!g->confine || abi == 0) &&
	    host_kernel_hostfs(g))
		warnmsg("%s: warning: KERNEL=\"%s\" has hostfs and no Landlock "
		    "domain confines it: the guest's root, without any escape, "
		    "can mount hostfs and reach every file USER=\"%s\" can "
		    "(a kernel without CONFIG_HOSTFS closes that)", g->name,
		    g->kernel, g->user);
}

static void
warn_lint(void *name, const char *msg)
{
	warnmsg("%s: warning: %s", (const char *)name, msg);
}

/* What does not stop a start but weakens the walls around the guest. */
static void
warn_shared(const struct guest *g, const struct account *a)
{
	char others[512];

	run_guests_of(a->uid, g->name, others, sizeof(others));
	if (others[0])
		warnmsg("%s: warning: USER=\"%s\" also runs %s: a guest that "
		    "escapes into its kernel can reach theirs; give each guest "
		    "an account of its own", g->name, g->user, others);
}

/*
 * Which Yama case applies to ptrace between USER's processes and the
 * guest's kernel, and what would fix it on this host: a warning only where
 * a setting would; where nothing can be set, a note.
 */
static void
say_ptrace(const struct guest *g)
{
	int scope = host_yama_scope();

	if (scope < 0)
		printf("%s: note: ptrace: this host's kernel has no Yama, so "
		    "any process of USER=\"%s\" may ptrace the guest's kernel "
		    "and the kernel them; no setting changes that here: keep "
		    "USER an account that runs nothing else (a kernel with "
		    "CONFIG_SECURITY_YAMA would add the wall)\n", g->name,
		    g->user);
	else if (scope == 0)
		warnmsg("%s: warning: ptrace: kernel.yama.ptrace_scope is 0, "
		    "so any process of USER=\"%s\" may ptrace the guest's "
		    "kernel and the kernel them; fix: sysctl -w "
		    "kernel.yama.ptrace_scope=1, and the same line in "
		    "/etc/sysctl.d/ to keep it", g->name, g->user);
	else
		printf("%s: ptrace: kernel.yama.ptrace_scope is %d: USER's "
		    "other processes cannot ptrace the guest's kernel; nothing "
		    "to fix\n", g->name, scope);
}

struct guest_findings {
	const struct guest *g;
	int errors;
};

static void
guest_finding(void *arg, enum gc_level lv, const char *msg)
{
	struct guest_findings *f = arg;
	const struct guest *g = f->g;

	f->errors += lv == GC_ERROR;
	warnmsg("%s: %s: in %s: %s", g->name, lv == GC_ERROR ? "error" :
	    "warning", g->base[0] ? g->base : g->root, msg);
}

/* The guest's own files (gcheck.h): warnings pass, an unbootable guest
 * does not. */
static void
check_guest(const struct guest *g, const struct account *a)
{
	struct guest_findings f = { g, 0 };
	char err[1024];

	if (probe_guest(g, a, PROBE_GUEST, guest_finding, &f, err,
	    sizeof(err)) < 0)
		warnmsg("%s: warning: the guest's files were not checked: %s",
		    g->name, err);
	if (f.errors)
		die(EX_CONFIG, "%s: the guest cannot boot", g->name);
}

int
cmd_check(const struct ctx *x, int argc, char **argv)
{
	static struct guest g;
	static struct account a;
	static struct netstate ns;
	static struct outcome o;
	struct krecord self;
	int basefd, dfd = -1;
	bool running = false;

	cmd_guest_name(x, argv[1]);
	cmd_load(x, argv[1], &g, &a, true, NULL);
	/* The guest may run: `rc-service restart' checks its new file first.
	 * Or its supervisor was killed: what it left (a 6.1 kernel's
	 * processes) holds its disks and taps until a start or stop sweeps
	 * it first, so they are its own here too, not someone else's. */
	if ((basefd = run_base_peek()) >= 0 &&
	    ((running = run_locked(basefd, g.name)) ||
	    run_state(basefd, g.name, &o) == RS_ORPHANED))
		dfd = run_record(basefd, g.name, &self);
	check_all(x, &g, &a, dfd >= 0 ? &self : NULL, &ns);
	check_guest(&g, &a);
	printf("%s: configuration and host OK\n", g.name);
	config_lint(&cmd_loaded, g.name, warn_lint, g.name);
	say_confinement(&g);
	if (!x->opt['q' - 'a'])
		say_ptrace(&g);
	warn_shared(&g, &a);
	if (dfd >= 0 && running)
		cmd_swap_note(dfd, g.name, &self);
	return EX_OK;
}

int
cmd_show(const struct ctx *x, int argc, char **argv)
{
	static struct guest g;
	static struct kargv k;
	struct kfacts kf;
	char rundir[PATH_LEN_MAX], err[1024], yama[48];
	int scope = host_yama_scope();
	size_t i;

	if (scope < 0)
		snprintf(yama, sizeof(yama), "no Yama in the host's kernel");
	else
		snprintf(yama, sizeof(yama), "host Yama ptrace_scope %d",
		    scope);
	cmd_load(x, argv[1], &g, NULL, false, NULL);
	host_resolve_swap(&g);
	show_vars(&g, &cmd_loaded);
	if (host_kernel(&g, NULL, KF_WANT_ALL, &kf, err, sizeof(err)) == 0) {
		printf("# kernel: Linux %s, vector driver %s (fd transport "
		    "%s), legacy transports %s; host XSAVE area %u bytes\n",
		    kf.release, kf.vector ? "yes" : "no", kf.vector_fd ? "yes" :
		    "no", kf.legacy_net ? "yes" : "no", host_xsave());
		printf("# kernel: SMP %s, NR_CPUS %u, seccomp userspace %s; "
		    "%s\n", kf.smp ? "yes" : "no", kf.nr_cpus,
		    kfacts_seccomp(&kf) ? "yes" : "no", yama);
		printf("# kernel: hostfs %s (CONFIG_HOSTFS, for HOSTFS)\n",
		    kf.hostfs ? "yes" : "no");
	} else
		printf("# kernel: %s\n", err);
	if (kargv_build(&g, run_path(rundir, sizeof(rundir), g.name, NULL),
	    &k) < 0)
		die(EX_CONFIG, "%s: the kernel command line is too long",
		    g.name);
	for (i = 0; i < k.argc; i++)
		printf("# argv[%zu] %s\n", i, k.argv[i]);
	return EX_OK;
}

/*
 * A guest whose supervisor was killed: what its run left (the kernel's
 * other processes, which may outlive it and hold its taps; the taps;
 * /run/uml/NAME, the pid and lock files) is removed, and the run recorded
 * as crashed (into *o if not NULL).  0, or -1 if the guest was not
 * orphaned (also no longer, once locked).  Used by start, whose checks
 * would otherwise find the taps in use, and by stop, which would
 * otherwise say "not running" and leave all that.
 */
int
cmd_orphan_sweep(int basefd, const char *name, struct outcome *out)
{
	static struct outcome o;
	int lockfd;

	if (run_state(basefd, name, &o) != RS_ORPHANED)
		return -1;
	if ((lockfd = run_lock(basefd, name)) < 0)
		return -1;
	if (!run_left(basefd, name)) {
		run_lock_remove(basefd, name);
		close(lockfd);
		return -1;
	}
	run_sweep(basefd, name);
	o.state = RS_CRASHED;
	snprintf(o.detail, sizeof(o.detail),
	    "its umlctl supervisor died; cleaned up after it");
	if (run_outcome_put(basefd, name, &o) < 0)
		warnmsg_errno("%s: cannot record the outcome", name);
	run_cleanup(basefd, name, lockfd);
	if (out)
		*out = o;
	return 0;
}
