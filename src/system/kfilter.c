/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kfilter.c: the seccomp filter on the kernel's process, with libseccomp.
 *
 * What a kernel taken over by USER could do with the descriptors it holds,
 * and UML never does (arch/um, Linux 6.1 to 7.2):
 * - change its tap with the tun driver's ioctls, which drivers/net/tun.c
 *   allows on an attached descriptor without any capability: owner, group,
 *   persistence, carrier, link type, filters, queues; and SIOCSIFHWADDR,
 *   the MAC address the bridge learns (another guest's, to take its
 *   traffic).  With the fd transport the kernel needs no tun ioctl at all;
 *   with the tap transports it opens its taps itself and needs TUNSETIFF,
 *   TUNGETFEATURES, TUNSETOFFLOAD and TUNSETVNETHDRSZ (vector_user.c).
 * - push input into a terminal: TIOCSTI, TIOCLINUX.
 * Those ioctls fail with EPERM.  Only an ioctl's type and number (its low
 * 16 bits) are compared: the direction and size bits differ between ABIs.
 *
 * With the fd transport, close() of a tap descriptor returns 0 and closes
 * nothing: the vector driver closes its descriptor at `ip link set vecN
 * down' and takes the same number again at `up' (vector_kern.c), which
 * must still be the tap, not whatever file got the number meanwhile.
 * So does close() of a disk descriptor (the OFD-locked disk files after
 * the taps, disk.c): UML never closes a descriptor it did not open, and
 * one that did would only drop the lock that protects its own disks.
 *
 * With CONFINE (the default) socket() and socketpair() of any family
 * other than those the guest needs (confine.c: AF_UNIX for the mconsole,
 * the notify socket and UML's helpers) fail with EACCES, as do
 * io_uring_setup (ENOSYS: a ring could make sockets without socket(2);
 * UML has no use for one).  The family is compared as the full 64-bit
 * register: a value whose low 32 bits name an allowed family but whose
 * high bits are set is refused as well.
 *
 * With CONFINE, too, the system calls that change a file's mode, owner or
 * times by its path fail with EPERM (those on a descriptor stay): Landlock
 * does not govern them, and through hostfs (hostfs_user.c, set_attr: by
 * path when the guest has not opened the file) a guest's root would reach
 * every file of USER's by its path, share or not, and its kernel the
 * other guests' images.  UML itself changes modes only with fchmod
 * (os-Linux/file.c); utimensat with no path is futimens.
 *
 * The filter never kills: system calls of another ABI (i386's int 0x80)
 * fail with ENOSYS.  Under UML's own seccomp stubs (7.x, seccomp=on) a
 * kill would win over UML's trap and kill guest processes; an errno loses
 * to it, so the guest's own system calls still reach UML.
 */
#include <errno.h>
#include <linux/if_tun.h>
#include <seccomp.h>
#include <stddef.h>
#include <sys/ioctl.h>

#include "confine.h"
#include "system.h"

#define LOW16(cmd)	((unsigned long)(cmd) & 0xffffUL)

/* The tun ioctls UML's tap transports never use. */
static const unsigned long tun_denied[] = {
	TUNSETNOCSUM, TUNSETDEBUG, TUNSETPERSIST, TUNSETOWNER, TUNSETLINK,
	TUNSETGROUP, TUNSETTXFILTER, TUNSETSNDBUF, TUNATTACHFILTER,
	TUNDETACHFILTER, TUNSETQUEUE, TUNSETIFINDEX, TUNSETVNETLE,
	TUNSETVNETBE, TUNSETSTEERINGEBPF, TUNSETFILTEREBPF, TUNSETCARRIER,
};

/* Any other ioctl, whatever the transport. */
static const unsigned long always_denied[] = {
	SIOCSIFHWADDR, TIOCSTI, TIOCLINUX,
};

static int
deny_ioctl(scmp_filter_ctx ctx, unsigned long mask, unsigned long cmd)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_MASKED_EQ, mask, LOW16(cmd) & mask));
}

/* Every tun ioctl ('T' 200 to 255), in three masked ranges. */
static int
deny_all_tun(scmp_filter_ctx ctx)
{
	return deny_ioctl(ctx, 0xfff8, 0x54c8) < 0 ||
	    deny_ioctl(ctx, 0xfff0, 0x54d0) < 0 ||
	    deny_ioctl(ctx, 0xffe0, 0x54e0) < 0 ? -1 : 0;
}

/* socket() and socketpair() of any family but those listed fail. */
static int
deny_families(scmp_filter_ctx ctx, const int *fam, size_t nfam)
{
	struct scmp_arg_cmp ne[CF_FAMILIES_MAX];
	int sys[2] = { SCMP_SYS(socket), SCMP_SYS(socketpair) };
	size_t i;

	if (nfam == 0 || nfam > CF_FAMILIES_MAX)
		return -1;
	for (i = 0; i < nfam; i++) {
		ne[i].arg = 0;
		ne[i].op = SCMP_CMP_NE;
		ne[i].datum_a = (scmp_datum_t)fam[i];
		ne[i].datum_b = 0;
	}
	for (i = 0; i < 2; i++)
		if (seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EACCES), sys[i],
		    (unsigned)nfam, ne) < 0)
			return -1;
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(io_uring_setup), 0);
}

/* close() of fds first .. first + n - 1 returns 0 and closes nothing. */
static int
keep_open(scmp_filter_ctx ctx, size_t first, size_t n)
{
	size_t i;

	for (i = first; i < first + n; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(0), SCMP_SYS(close), 1,
		    SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffUL,
		    (unsigned long)i)) < 0)
			return -1;
	return 0;
}

/* The mode, owner, times and size of a file by its path (CONFINE):
 * hostfs does them by path (fs/hostfs/hostfs_user.c set_attr), and
 * Landlock governs truncate only from ABI 3. */
static const char *const path_attrs[] = {
	"chmod", "fchmodat", "fchmodat2", "chown", "lchown", "fchownat",
	"utime", "utimes", "futimesat", "truncate",
};

static int
deny_path_attrs(scmp_filter_ctx ctx)
{
	size_t i;
	int nr;

	for (i = 0; i < sizeof(path_attrs) / sizeof(path_attrs[0]); i++) {
		/* One this libseccomp or ABI does not know cannot be called. */
		if ((nr = seccomp_syscall_resolve_name(path_attrs[i])) ==
		    __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0) < 0)
			return -1;
	}
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
	    SCMP_SYS(utimensat), 1, SCMP_A1(SCMP_CMP_NE, 0, 0));
}

static int
rules(scmp_filter_ctx ctx, bool fd_transport, size_t ntap)
{
	size_t i;

	for (i = 0; i < sizeof(always_denied) / sizeof(always_denied[0]); i++)
		if (deny_ioctl(ctx, 0xffff, always_denied[i]) < 0)
			return -1;
	if (fd_transport) {
		if (deny_all_tun(ctx) < 0)
			return -1;
		return keep_open(ctx, TAPFD_BASE, ntap);
	}
	for (i = 0; i < sizeof(tun_denied) / sizeof(tun_denied[0]); i++)
		if (deny_ioctl(ctx, 0xffff, tun_denied[i]) < 0)
			return -1;
	return 0;
}

/*
 * Load the filter into this process (no_new_privs must be set); it stays
 * through execve and goes to every child.  families NULL (no CONFINE): any
 * socket family, and changes of files by path.  0, or -1 with errno.
 */
int
kfilter_load(bool fd_transport, size_t ntap, size_t ndisk,
    const int *families, size_t nfam)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = -EINVAL;

	if (ctx == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_ERRNO(ENOSYS)) == 0 && rules(ctx, fd_transport, ntap) ==
	    0 && keep_open(ctx, TAPFD_BASE + ntap, ndisk) == 0 && (families ==
	    NULL || (deny_families(ctx, families, nfam) == 0 &&
	    deny_path_attrs(ctx) == 0)))
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}
