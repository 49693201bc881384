/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kfacts.h: what a UML kernel file says about itself, whether it can run
 * a guest on this host, and what its console says when it could not.
 * Pure code: the callers read the file, the CPU and the console log.
 *
 * Sources of the facts (Linux sources, 2026-11):
 * - init/version-timestamp.c: linux_banner, "Linux version <release> (...".
 * - arch/um/drivers/vector_kern.c, net_kern.c: the `vec' and `eth' options'
 *   __uml_help text, present exactly when the driver is built in.
 * - commit 3f17fed21491 (6.13, "um: switch to regset API and depend on
 *   XSTATE"): before it, UML restored a guest's FPU state with a fixed
 *   2696-byte XSAVE buffer, which x86 ptrace refuses (EFAULT) when the
 *   host's XSAVE area is larger (11008 bytes with AMX).
 * - 6.16 removed the legacy transports (ethN=tuntap and the rest).
 * - arch/um/drivers/vector_user.c, user_init_fd_fds(): its message "fd
 *   open: bad or missing fd argument" is there exactly when transport=fd is.
 * - arch/um/kernel/config.c.in: every UML kernel carries its .config as
 *   text (for --showconfig), one string a line: "CONFIG_SMP=y\n",
 *   "CONFIG_NR_CPUS=16\n".
 * - fs/hostfs/hostfs_kern.c: the hostfs= option (the root of every hostfs
 *   mount) is there only when hostfs is built in, CONFIG_HOSTFS=y.
 * - 6.16 added the seccomp userspace (seccomp=on, os-Linux/start_up.c);
 *   6.19 SMP (ncpus=, which the kernel clamps to NR_CPUS without a word,
 *   and which stops a ptrace-mode kernel: "SMP is not supported with
 *   PTRACE userspace").
 * - Yama (security/yama/yama_lsm.c): ptrace_scope 2 lets PTRACE_TRACEME
 *   through only for a tracer with CAP_SYS_PTRACE, 3 never; a ptrace-mode
 *   UML kernel traces its guest's processes that way, without capabilities.
 */
#ifndef UMLCTL_KFACTS_H
#define UMLCTL_KFACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "guest.h"

#define KF_RELEASE_MAX	64
#define KF_XSAVE_FIXED	2696U	/* bytes: the buffer UML used before 6.13 */
#define KF_FPU_MAJOR	6U	/* first release that handles any XSAVE size */
#define KF_FPU_MINOR	13U
#define KF_SECCOMP_MAJOR 6U	/* first release with the seccomp userspace */
#define KF_SECCOMP_MINOR 16U
#define KF_YAMA_NO_TRACEME 2	/* Yama ptrace_scope from which USER's
				 * kernel cannot trace its guest */

struct kfacts {
	char release[KF_RELEASE_MAX];	/* "7.2.13", "6.1.0-42-amd64" */
	unsigned major, minor;
	bool vector;			/* vecN: the vector network driver */
	bool vector_fd;			/* and its transport=fd (5.8 on) */
	bool legacy_net;		/* ethN=: the legacy transports */
	bool smp;			/* CONFIG_SMP=y in its config text */
	unsigned nr_cpus;		/* CONFIG_NR_CPUS; 0 = not found */
	bool hostfs;			/* CONFIG_HOSTFS=y in its config text */
};

/* What kfacts_scan looks for besides the release (each a pass over the
 * file up to the text: an unstripped kernel is 90 MB). */
#define KF_WANT_VECTOR	1U
#define KF_WANT_LEGACY	2U
#define KF_WANT_CPUS	4U
#define KF_WANT_HOSTFS	8U
#define KF_WANT_ALL	(KF_WANT_VECTOR | KF_WANT_LEGACY | KF_WANT_CPUS | \
	KF_WANT_HOSTFS)

/* What guest g needs to know of its kernel: its network drivers if it has
 * NICs, its SMP options if CPUS > 1, CONFIG_HOSTFS with HOSTFS. */
unsigned kfacts_want(const struct guest *g);

/*
 * Read the facts from the bytes of a kernel file (len bytes, any content):
 * the release, and the drivers in want (the others read false).
 * 0 on success; -1 if no release banner is found.
 */
int kfacts_scan(const char *img, size_t len, unsigned want, struct kfacts *k);

/*
 * Whether kernel k can run guest g on a host whose XSAVE area is xsave
 * bytes (CPUID leaf 0xD, subleaf 0, EBX; 0 = unknown or not x86), with
 * g's USERSPACE, CPUS and NICs.  0 yes; -1 no, with a message naming the
 * variable, the reason and the remedy.
 */
int kfacts_fit(const struct kfacts *k, unsigned xsave, const struct guest *g,
    char *err, size_t errlen);

/* Whether kernel k has the seccomp userspace (by its release). */
bool kfacts_seccomp(const struct kfacts *k);

/*
 * Whether guest g's userspace can run on a host whose Yama ptrace_scope is
 * scope (0 when Yama is absent).  0 yes; -1 no, with a message naming
 * USERSPACE and the choice that works.
 */
int kfacts_yama_fit(int scope, const struct guest *g, char *err,
    size_t errlen);

/*
 * A known cause of a failed boot or a crash found in the tail of the
 * console log (any bytes; NUL-terminated), as a sentence with its remedy,
 * or NULL.  Never returns console text: a guest can write to its console.
 */
const char *kfacts_cause(const char *console);

/*
 * Whether a console line is an error of a network driver: the vector
 * driver's (arch/um/drivers/vector_user.c, vector_kern.c: "uml_tap:",
 * "fd open:", "user_init_...", "vector_open:", a vecN device's error) or
 * the legacy transports' (net_kern.c, tuntap_user.c, in 6.1).  The guest writes
 * its console, so a guest can fake one: it only ever names its own NICs.
 */
bool kfacts_nic_error(const char *line);

/*
 * Whether a console line says the guest's emergency sync (sysrq s) is
 * done: fs/sync.c's do_sync_work prints "Emergency Sync complete" once its
 * writeback has been waited for.  A guest can print it itself: it then only
 * fools a backup of its own disks about its own sync.
 */
bool kfacts_sync_done(const char *line);

/*
 * Whether a console line says the kernel halts or powers off at the
 * guest's request: kernel/reboot.c's kernel_halt and kernel_power_off
 * print "reboot: System halted" and "reboot: Power down" (pr_fmt
 * "reboot: ") once the reboot(2) of the guest's init reached them, after
 * its userspace asked for it.  A panic right after that line (no other
 * line between but the panic's own, kfacts_panic_line) is the kernel's
 * last steps failing, not the guest's (6.1: RELIABILITY.md, finding 22).
 * A guest can print it itself, but only as its very last line before a
 * panic: it then only makes its own crash look like the halt it could
 * have asked for.
 */
bool kfacts_halting(const char *line);

/* Whether a console line is the first of a panic's: kernel/panic.c's
 * "Kernel panic - not syncing: ...". */
bool kfacts_panic_line(const char *line);

#endif
