/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_kernel.c: the kernel file and the host facts it must fit, changing
 * nothing: KERNEL opened without side effects and scanned (kfacts.c), the
 * host's XSAVE size and Yama ptrace_scope.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "kfacts.h"
#include "resources.h"

#define KERNEL_SIZE_MAX	(1ULL << 30)	/* bytes; UML kernels are 10-300 MB */
#define R PERM_R

/*
 * KERNEL opened for reading without side effects: O_PATH first, then the
 * regular file it names reopened, so a link to a device or a FIFO is never
 * opened for real.  With a, only a file USER could read too.
 */
static int
open_kernel(const struct guest *g, const struct account *a,
    struct stat *st, char *err, size_t errlen)
{
	char proc[32];
	int pfd, fd;

	if ((pfd = open(g->kernel, O_PATH | O_CLOEXEC)) < 0 ||
	    fstat(pfd, st) < 0) {
		snprintf(err, errlen, "KERNEL=\"%s\": %s", g->kernel,
		    strerror(errno));
		if (pfd >= 0)
			close(pfd);
		return -1;
	}
	if (!S_ISREG(st->st_mode) || (a && !perm_may(st->st_uid, st->st_gid,
	    st->st_mode, a, R)) || (unsigned long long)st->st_size >
	    KERNEL_SIZE_MAX) {
		snprintf(err, errlen, "KERNEL=\"%s\": not a regular file USER "
		    "can read, of at most %llu MiB", g->kernel,
		    KERNEL_SIZE_MAX >> 20);
		close(pfd);
		return -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	close(pfd);
	if (fd < 0)
		snprintf(err, errlen, "KERNEL=\"%s\": %s", g->kernel,
		    strerror(errno));
	return fd;
}

int
host_kernel(const struct guest *g, const struct account *a, unsigned want,
    struct kfacts *k, char *err, size_t errlen)
{
	struct stat st;
	void *img;
	int fd, r;

	if ((fd = open_kernel(g, a, &st, err, errlen)) < 0)
		return -1;
	img = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	if (img == MAP_FAILED) {
		snprintf(err, errlen, "KERNEL=\"%s\": %s", g->kernel,
		    st.st_size ? strerror(errno) : "empty file");
		return -1;
	}
	r = kfacts_scan(img, (size_t)st.st_size, want, k);
	munmap(img, (size_t)st.st_size);
	if (r < 0)
		snprintf(err, errlen, "KERNEL=\"%s\": no \"Linux version\" "
		    "banner in the file: not a UML kernel? "
		    "(KERNEL_CHECK=\"no\" skips the kernel checks)", g->kernel);
	return r;
}

/*
 * The size in bytes of the host's user XSAVE area: what x86 ptrace's
 * NT_X86_XSTATE accepts (CPUID leaf 0xD, subleaf 0, EBX: the features
 * the host kernel enabled in XCR0).  0: not x86, or no XSAVE.  The ASan
 * test build reads UMLCTL_TEST_XSAVE instead, to play an AMX host.
 */
unsigned
host_xsave(void)
{
#ifdef UMLCTL_TESTING
	const char *t = getenv("UMLCTL_TEST_XSAVE");

	if (t)
		return (unsigned)strtoul(t, NULL, 10);
#endif
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) ||
	    !__get_cpuid_count(0xd, 0, &a, &b, &c, &d))
		return 0;
	return b;
#else
	return 0;
#endif
}

/*
 * The host's Yama ptrace_scope, 0 to 3, or -1 when this kernel has no Yama
 * (no /proc/sys/kernel/yama).  The ASan test build reads
 * UMLCTL_TEST_PTRACE_SCOPE instead (-1 for no Yama): the tests cannot raise
 * the host's (3 stays until reboot).
 */
int
host_yama_scope(void)
{
	char c = '0';
	int fd;

#ifdef UMLCTL_TESTING
	const char *t = getenv("UMLCTL_TEST_PTRACE_SCOPE");

	if (t)
		return atoi(t);
#endif
	fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c >= '0' && c <= '3' ? c - '0' : 0;
}

/*
 * The host's Landlock ABI as the checks see it (landlock.c: 0 none, -1
 * unknown).  The ASan test build reads UMLCTL_TEST_LANDLOCK_ABI too, to
 * play an older host: it can only lower the ABI, never raise it, and only
 * the checks see it (the kernel's domain is built from ll_abi()).
 */
int
host_landlock_abi(void)
{
	int abi = ll_abi();
#ifdef UMLCTL_TESTING
	const char *t = getenv("UMLCTL_TEST_LANDLOCK_ABI");

	if (t && atoi(t) < abi)
		abi = atoi(t);
#endif
	return abi;
}

/* Confined, the kernel child needs the ABI (privdrop.c fails without
 * it): refused here, before anything is made. */
int
host_check_confine(const struct guest *g, char *err, size_t errlen)
{
	if (!g->confine || host_landlock_abi() >= 0)
		return 0;
	return snprintf(err, errlen, "CONFINE=\"yes\": this host's Landlock "
	    "ABI cannot be learned (landlock_create_ruleset fails), so the "
	    "kernel cannot be confined (CONFINE=\"no\" allows it, for "
	    "debugging only)"), -1;
}

/* Whether KERNEL has hostfs built in (its config text); true when that
 * cannot be learned. */
bool
host_kernel_hostfs(const struct guest *g)
{
	struct kfacts k;
	char err[8];

	return host_kernel(g, NULL, KF_WANT_HOSTFS, &k, err, sizeof(err)) < 0 ||
	    k.hostfs;
}

/* The host's Yama ptrace_scope, 0 to 3; 0 when Yama is absent. */
int
host_ptrace_scope(void)
{
	int s = host_yama_scope();

	return s < 0 ? 0 : s;
}

/* The kernel's own facts against the host and the configuration
 * (nothing when KERNEL_CHECK="no"). */
int
host_kernel_fit(const struct guest *g, const struct account *a,
    char *err, size_t errlen)
{
	struct kfacts k;

	if (!g->kernel_check)
		return 0;
	if (host_kernel(g, a, kfacts_want(g), &k, err, errlen) < 0)
		return -1;
	return kfacts_fit(&k, host_xsave(), g, err, errlen);
}
