/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * privdrop.c: the kernel child, from fork to exec.
 *
 * Order (see SECURITY.md): standard fds (the console's pipes), the taps (fd
 * transport) at TAPFD_BASE, every other fd closed on exec,
 * cwd and umask, a fresh environment; then with libcap: inheritable,
 * ambient and bounding sets emptied (IAB), USER's gid and groups, USER's
 * uid, CAP_MODE_NOPRIV, no_new_privs; then read everything back and refuse
 * to exec on any surprise; then, with MEMORY_DIR set, the guest's own
 * directory in it (memsub.c) as TMPDIR; then, with CONFINE, the guest's
 * Landlock domain (confine.c, landlock.c); last the seccomp filter
 * (kfilter.c).  Errors go to errfd (close-on-exec), so the supervisor can
 * tell an exec failure from a kernel that started.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confine.h"
#include "resources.h"
#include "util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

__attribute__((noreturn)) static void fail(const struct kexec *k,
    const char *what)
{
	char msg[256];
	int n;

	n = snprintf(msg, sizeof(msg), "%s: %s", what, strerror(errno));
	if (n > 0)
		(void)write_all(k->errfd, msg, (size_t)n < sizeof(msg) ?
		    (size_t)n : sizeof(msg) - 1);
	_exit(127);
}

/* The supervisor blocks and ignores signals; exec keeps both. */
static void
reset_signals(void)
{
	sigset_t none;
	int s;

	for (s = 1; s < NSIG; s++)
		(void)signal(s, SIG_DFL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Above every fd the kernel gets: moved here, nothing is overwritten. */
#define FD_HIGH	(TAPFD_BASE + NIC_MAX + 16)

static void
setup_fds(struct kexec *k)
{
	int high[NIC_MAX], dhigh[DISK_KINDS];
	size_t i;

	if ((k->errfd = fcntl(k->errfd, F_DUPFD_CLOEXEC, FD_HIGH)) < 0)
		_exit(127);
	for (i = 0; i < k->ntap; i++)
		if ((high[i] = fcntl(k->tapfd[i], F_DUPFD_CLOEXEC,
		    FD_HIGH)) < 0)
			fail(k, "tap fd");
	for (i = 0; i < k->ndisk; i++)
		if ((dhigh[i] = fcntl(k->diskfd[i], F_DUPFD_CLOEXEC,
		    FD_HIGH)) < 0)
			fail(k, "disk fd");
	if (dup2(k->conin, 0) < 0 || dup2(k->confd, 1) < 0 ||
	    dup2(k->confd, 2) < 0)
		fail(k, "standard fds");
	/* dup2 clears close-on-exec on the copy: these the kernel keeps. */
	for (i = 0; i < k->ntap; i++)
		if (dup2(high[i], TAPFD_BASE + (int)i) < 0)
			fail(k, "tap fd");
	/* errfd must survive until exec: mark, don't close. */
	if (close_range(TAPFD_BASE + (unsigned)k->ntap, ~0U,
	    CLOSE_RANGE_CLOEXEC) < 0)
		fail(k, "close_range");
	/* After the taps, cleared of close-on-exec by dup2 like them. */
	for (i = 0; i < k->ndisk; i++)
		if (dup2(dhigh[i], TAPFD_BASE + (int)(k->ntap + i)) < 0)
			fail(k, "disk fd");
	if (chdir("/") < 0)
		fail(k, "chdir /");
	umask(077);
}

const char *
privdrop_account(const struct account *a)
{
	cap_iab_t iab = cap_iab_init();
	cap_value_t c;

	if (!iab)
		return "cap_iab_init";
	for (c = 0; c < (cap_value_t)cap_max_bits(); c++)
		if (cap_iab_set_vector(iab, CAP_IAB_BOUND, c, CAP_SET) < 0)
			return cap_free(iab), "cap_iab_set_vector";
	if (cap_iab_set_proc(iab) < 0)
		return cap_free(iab), "dropping inheritable, ambient and "
		    "bounding sets";
	cap_free(iab);
	if (cap_setgroups(a->gid, (size_t)a->ngroups, a->groups) < 0)
		return "cap_setgroups";
	if (cap_setuid(a->uid) < 0)
		return "cap_setuid";
	if (cap_set_mode(CAP_MODE_NOPRIV) < 0)
		return "cap_set_mode NOPRIV";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return "no_new_privs";
	return NULL;
}

static void
drop(const struct kexec *k)
{
	const char *what = privdrop_account(k->acct);

	if (what)
		fail(k, what);
	/* Set after the uid change, which clears it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		fail(k, "pdeathsig");
	if (getppid() != k->parent) {
		errno = ESRCH;
		fail(k, "supervisor gone");
	}
}

static bool
same_groups(const struct account *a)
{
	gid_t now[GROUPS_MAX + 1];
	int n = getgroups(GROUPS_MAX + 1, now), i, j;

	if (n < 0 || n != a->ngroups)
		return false;
	for (i = 0; i < n; i++) {
		for (j = 0; j < a->ngroups && a->groups[j] != now[i]; j++)
			;
		if (j == a->ngroups)
			return false;
	}
	return true;
}

/* Read back the result; any surprise means no exec. */
static void
verify(const struct kexec *k)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	cap_t now = cap_get_proc(), none = cap_init();
	cap_value_t c;

	errno = EPERM;
	if (getresuid(&r, &e, &s) < 0 || r != k->acct->uid || e != r || s != r)
		fail(k, "uid not dropped");
	if (getresgid(&rg, &eg, &sg) < 0 || rg != k->acct->gid || eg != rg ||
	    sg != rg)
		fail(k, "gid not dropped");
	if (!same_groups(k->acct))
		fail(k, "groups not as USER's");
	if (!now || !none || cap_compare(now, none) != 0)
		fail(k, "capabilities left");
	for (c = 0; c < (cap_value_t)cap_max_bits(); c++)
		if (cap_get_bound(c) != 0 || cap_get_ambient(c) > 0)
			fail(k, "bounding or ambient capability left");
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		fail(k, "no_new_privs not set");
	cap_free(now);
	cap_free(none);
}

/* The loader of a dynamically linked kernel, from its first page. */
static const char *
kernel_interp(const struct kexec *k, char *interp, size_t len)
{
	unsigned char head[4096];
	ssize_t n;
	int fd = open(k->g->kernel, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		fail(k, k->g->kernel);
	n = read(fd, head, sizeof(head));
	close(fd);
	r = n > 0 ? cf_elf_interp(head, (size_t)n, interp, len) : -1;
	if (r < 0) {
		errno = ENOEXEC;
		fail(k, "the kernel's ELF header");
	}
	return r == 1 ? interp : NULL;
}

/*
 * The guest's Landlock domain: only its own files (confine.c).  Without
 * Landlock on the host the kernel runs without one (`check' warns).
 */
static void
confine(const struct kexec *k)
{
	static struct cf_plan plan;
	char udir[PATH_LEN_MAX + 64], interp[PATH_LEN_MAX],
	    what[PATH_LEN_MAX + 64];
	const char *step, *path;
	int abi = ll_abi();

	if (abi < 0)
		fail(k, "Landlock's ABI");
	if (abi == 0)
		return;
	run_path(udir, sizeof(udir), k->g->name, RUN_UMLDIR);
	if (cf_plan(k->g, udir, kernel_interp(k, interp, sizeof(interp)),
	    &plan) < 0) {
		errno = E2BIG;
		fail(k, "Landlock rules");
	}
	if ((step = ll_restrict(&plan, abi, &path)) != NULL) {
		snprintf(what, sizeof(what), "%s%s%s", step, path ? " " : "",
		    path ? path : "");
		fail(k, what);
	}
}

/* With MEMORY_DIR set: MEMORY_DIR/umlctl.NAME, made as USER, is TMPDIR
 * and the domain's only rule there; never the shared MEMORY_DIR. */
static void
own_memdir(struct kexec *k)
{
	static struct guest g;
	char sub[PATH_LEN_MAX * 2], what[PATH_LEN_MAX * 2 + 64];
	const char *step;

	if (k->g->memdir_own)
		return;
	if ((step = memsub_make(k->g, sub, sizeof(sub))) != NULL) {
		snprintf(what, sizeof(what), "MEMORY_DIR=\"%s\": %s",
		    k->g->memdir, step);
		fail(k, what);
	}
	g = *k->g;
	if (strlen(sub) >= sizeof(g.memdir)) {
		errno = ENAMETOOLONG;
		fail(k, "MEMORY_DIR/" MEMSUB_PREFIX "NAME");
	}
	strcpy(g.memdir, sub);
	k->g = &g;
}

void
kernel_exec(const struct kexec *kx)
{
	struct kexec kk = *kx, *k = &kk;
	char path[] = "PATH=/usr/local/bin:/usr/bin:/bin";
	char home[PATH_LEN_MAX + 8], user[USER_LEN_MAX + 8];
	char logname[USER_LEN_MAX + 12], tmpdir[PATH_LEN_MAX + 8];
	char *env[] = { path, home, user, logname, tmpdir, NULL };
	int fam[CF_FAMILIES_MAX];
	size_t nfam;

	snprintf(home, sizeof(home), "HOME=%s", k->acct->home[0] ?
	    k->acct->home : "/");
	snprintf(user, sizeof(user), "USER=%s", k->user);
	snprintf(logname, sizeof(logname), "LOGNAME=%s", k->user);
	reset_signals();
	/*
	 * A session of its own, before anything of USER's runs: no
	 * controlling terminal (in the foreground the admin's would take
	 * TIOCSTI input), and a process group the supervisor can kill.  UML
	 * calls setsid() itself too, but only once it runs.
	 */
	if (setsid() < 0)
		fail(k, "setsid");
	/*
	 * Kernels before 7.x add a random "exec-shield gap" to the guest's
	 * memory accounting, so a small guest boots only some of the time;
	 * 7.x kernels re-exec themselves with this personality anyway.
	 */
	if (personality(0xffffffff) < 0 ||
	    personality((unsigned long)personality(0xffffffff) |
	    ADDR_NO_RANDOMIZE) < 0)
		fail(k, "personality");
	setup_fds(k);
	drop(k);
	verify(k);
	own_memdir(k);
	snprintf(tmpdir, sizeof(tmpdir), "TMPDIR=%s", k->g->memdir);
	if (k->g->confine)
		confine(k);
	/* Last: the filter allows all the above, but need not. */
	nfam = cf_families(k->g, fam);
	if (kfilter_load(k->g->transport == TRANSPORT_FD, k->ntap, k->ndisk,
	    k->g->confine ? fam : NULL, nfam) < 0)
		fail(k, "seccomp filter");
	execve(k->argv[0], k->argv, env);
	fail(k, k->argv[0]);
}
