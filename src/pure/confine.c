/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confine.c: what the kernel's process may reach.  Pure.
 *
 * The Landlock domain of a guest handles every filesystem right the ABI
 * has (EXECUTE included), TCP bind and connect (ABI 4), and scopes
 * signals and abstract unix sockets to the domain (ABI 6).  Its rules are
 * the only paths the kernel reaches; each is here with the reason.  (strace
 * -f cannot follow a UML kernel in ptrace mode: the kernel ptraces its own
 * processes, and a process has one tracer.  So they were found by booting
 * the kernels with and without the domain and comparing their consoles,
 * and by the suite: t-lifecycle, t-stop-ladder, t-net, t-net-fd,
 * t-records, t-cow, on the built 7.x kernel and on Debian's 6.1; then
 * checked against Landlock's audit records of every denial, HACKING.md.)
 *
 * - ROOT, SWAP: the ubd images, opened O_RDWR (ubd_user.c); with
 *   BASE_IMAGE, ROOT is the COW file and BASE_IMAGE is opened read-only.
 *   The COW file always exists when the kernel starts: umlctl makes it
 *   before the first boot (cowfile.c), so the rule is on that file, never
 *   on its directory (where another guest's image may be).
 * - uml_dir (u/): UML makes u/<umid>/, its pid file and mconsole socket
 *   there and removes them at halt (umid.c, mconsole_user.c); with
 *   MEMORY_DIR unset it is also TMPDIR, where the memory file is made,
 *   unlinked and truncated to MEMORY (mem.c).
 * - MEMORY_DIR, when set: the memory file, as above, in the guest's own
 *   directory MEMORY_DIR/umlctl.NAME, which the kernel's child makes as
 *   USER before the domain (memsub.c) and passes here as g->memdir; never
 *   MEMORY_DIR itself, where other guests' images (or, in /dev/shm, all
 *   of USER's files there) may be.
 * - HOSTFS, when set: the tree the guest mounts with hostfs (hostfs_user.c
 *   opens, makes, renames and removes files by their host paths, below the
 *   hostfs= root).  That root is no boundary (a guest's root may mount
 *   "DIR/.." or a link inside it, and hostfs_fill_super follows a root
 *   that is a link): this rule is.  Everything beneath it but executing
 *   (the guest runs a program of the share by reading it, never by a host
 *   exec) and making devices (DAC refuses USER that anyway).  Without
 *   HOSTFS no rule: a guest that mounts hostfs (the kernel has it, with
 *   no hostfs= root) reaches only the files above.
 * - the kernel file: read and execute.  A 7.x kernel would re-execute
 *   itself (/proc/self/exe, the same file) without ADDR_NO_RANDOMIZE,
 *   which privdrop.c sets.  Its stub (6.13 on) is executed from a memfd,
 *   which Landlock does not govern (no path): no other EXECUTE is needed,
 *   on 7.x or on 6.1 (which forks its guest processes and execs nothing).
 * - a dynamically linked kernel (Debian's): the loader named by its
 *   PT_INTERP (read, execute: the kernel opens it for exec), the loader's
 *   cache /etc/ld.so.cache and the C library's directories (read: the
 *   loader opens libc.so.6 and maps it).
 * - /proc/cpuinfo (read): the kernel takes the host's CPU flags from it
 *   (um_arch.c); without it, it says "Failed to get host CPU features"
 *   and picks slower generic code (raid6, xor, crypto).
 * - /dev/random (read): UML's hardware RNG driver (UML_RANDOM) opens it
 *   at boot to feed the guest's /dev/hwrng; without it the guest has no
 *   hwrng, silently.
 * - with the tap transports (vector transport=tap, legacy tuntap) the
 *   kernel opens /dev/net/tun and calls TUNSETIFF (read, write, ioctl).
 * Nothing else: no /tmp, no home, no /etc beyond the loader's cache, no
 * other guest's images.  /proc/self and /dev/ptmx (UML's SIGIO probe,
 * which then reports "check_one_sigio failed, errno = 13" and goes on)
 * are not granted.
 */
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>

#include "chars.h"
#include "confine.h"

/* The directories the x86-64 loader finds the C library in (Debian's
 * multiarch layout, and the usual others); missing ones are skipped. */
static const char *const libdirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
	"/usr/lib64",
};

static void
add(struct cf_plan *p, const char *path, enum cf_kind k, bool optional,
    int *failed)
{
	if (path == NULL || path[0] == '\0')
		return;
	if (p->n == CF_RULES_MAX) {
		*failed = 1;
		return;
	}
	p->rule[p->n].path = path;
	p->rule[p->n].kind = k;
	p->rule[p->n].optional = optional;
	p->n++;
}

int
cf_plan(const struct guest *g, const char *udir, const char *interp,
    struct cf_plan *p)
{
	int failed = 0;
	size_t i;

	p->n = 0;
	add(p, g->root, CF_RW_FILE, false, &failed);
	add(p, g->swap, CF_RW_FILE, false, &failed);
	add(p, g->base, CF_RO_FILE, false, &failed);
	add(p, udir, CF_RW_DIR, false, &failed);
	if (!g->memdir_own)
		add(p, g->memdir, CF_RW_DIR, false, &failed);
	add(p, g->hostfs, CF_SHARE_DIR, false, &failed);
	add(p, g->kernel, CF_RX_FILE, false, &failed);
	add(p, "/proc/cpuinfo", CF_RO_FILE, true, &failed);
	add(p, "/dev/random", CF_RO_FILE, true, &failed);
	if (interp != NULL) {
		add(p, interp, CF_RX_FILE, false, &failed);
		add(p, "/etc/ld.so.cache", CF_RO_FILE, true, &failed);
		for (i = 0; i < sizeof(libdirs) / sizeof(libdirs[0]); i++)
			add(p, libdirs[i], CF_RO_DIR, true, &failed);
	}
	if (g->nnic > 0 && g->transport != TRANSPORT_FD)
		add(p, "/dev/net/tun", CF_RW_DEV, false, &failed);
	return failed ? -1 : 0;
}

uint64_t
cf_fs_handled(int abi)
{
	uint64_t r;

	if (abi < 1)
		return 0;
	r = (CF_FS_MAKE_SYM << 1) - 1;		/* ABI 1: bits 0 to 12 */
	if (abi >= 2)
		r |= CF_FS_REFER;
	if (abi >= 3)
		r |= CF_FS_TRUNCATE;
	if (abi >= 5)
		r |= CF_FS_IOCTL_DEV;
	return r;
}

uint64_t
cf_net_handled(int abi)
{
	return abi >= 4 ? CF_NET_BIND_TCP | CF_NET_CONNECT_TCP : 0;
}

uint64_t
cf_scoped(int abi)
{
	return abi >= 6 ? CF_SCOPE_ABSTRACT_UNIX | CF_SCOPE_SIGNAL : 0;
}

static uint64_t
kind_rights(enum cf_kind k)
{
	switch (k) {
	case CF_RW_FILE:
		return CF_FS_READ_FILE | CF_FS_WRITE_FILE;
	case CF_RO_FILE:
	case CF_RO_DIR:
		return CF_FS_READ_FILE;
	case CF_RX_FILE:
		return CF_FS_READ_FILE | CF_FS_EXECUTE;
	case CF_RW_DEV:
		return CF_FS_READ_FILE | CF_FS_WRITE_FILE | CF_FS_IOCTL_DEV;
	case CF_SHARE_DIR:
		return CF_FS_READ_FILE | CF_FS_WRITE_FILE | CF_FS_READ_DIR |
		    CF_FS_REMOVE_DIR | CF_FS_REMOVE_FILE | CF_FS_MAKE_DIR |
		    CF_FS_MAKE_REG | CF_FS_MAKE_SOCK | CF_FS_MAKE_FIFO |
		    CF_FS_MAKE_SYM | CF_FS_REFER | CF_FS_TRUNCATE;
	case CF_RW_DIR:
		break;
	}
	/* The memory file is made with mkstemp, unlinked and truncated;
	 * the umid directory, its pid file and its socket made and removed. */
	return CF_FS_READ_FILE | CF_FS_WRITE_FILE | CF_FS_READ_DIR |
	    CF_FS_REMOVE_DIR | CF_FS_REMOVE_FILE | CF_FS_MAKE_DIR |
	    CF_FS_MAKE_REG | CF_FS_MAKE_SOCK | CF_FS_TRUNCATE;
}

uint64_t
cf_rights(enum cf_kind k, int abi, bool is_dir)
{
	uint64_t r = kind_rights(k) & cf_fs_handled(abi);

	return is_dir ? r : r & CF_FS_FILE_RIGHTS;
}

int
cf_parent(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (path[0] != '/' || slash == NULL)
		return -1;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= len)
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return 0;
}

int
cf_elf_interp(const unsigned char *buf, size_t len, char *interp,
    size_t ilen)
{
	uint64_t phoff, off, sz;
	size_t phent, phnum, i;

	if (len < 64 || memcmp(buf, "\177ELF", 4) != 0 || buf[4] != 2 ||
	    buf[5] != 1)
		return -1;
	phoff = ch_le(buf + 32, 8);
	phent = (size_t)ch_le(buf + 54, 2);
	phnum = (size_t)ch_le(buf + 56, 2);
	if (phent < 56 || phoff > len || phnum > (len - phoff) / phent)
		return -1;
	for (i = 0; i < phnum; i++) {
		const unsigned char *ph = buf + phoff + i * phent;

		if (ch_le(ph, 4) != 3)		/* PT_INTERP */
			continue;
		off = ch_le(ph + 8, 8);
		sz = ch_le(ph + 32, 8);
		/* sz counts the NUL; the path must be absolute. */
		if (sz < 2 || sz > ilen || off > len || sz > len - off ||
		    buf[off + sz - 1] != '\0' || buf[off] != '/' ||
		    memchr(buf + off, '\0', sz - 1) != NULL)
			return -1;
		memcpy(interp, buf + off, sz);
		return 1;
	}
	return 0;
}

size_t
cf_families(const struct guest *g, int fam[CF_FAMILIES_MAX])
{
	size_t n = 0;

	/* The mconsole and notify sockets, UML's helpers' socketpairs.  No
	 * AF_PACKET: in 7.3's vector_user.c only the raw and hybrid
	 * transports make one, and umlctl offers neither (its tap
	 * transports open /dev/net/tun; fd is given its tap by umlctl). */
	fam[n++] = AF_UNIX;
	(void)g;
	return n;
}

static const char *
family_name(int f)
{
	switch (f) {
	case AF_UNIX:
		return "AF_UNIX";
	case AF_PACKET:
		return "AF_PACKET";
	case AF_INET:
		return "AF_INET";
	default:
		return "?";
	}
}

void
cf_describe(bool confine, int abi, const struct guest *g, char *buf,
    size_t len)
{
	int fam[CF_FAMILIES_MAX];
	size_t nf = cf_families(g, fam), i, used;
	int n;

	if (!confine) {
		snprintf(buf, len, "not confined (CONFINE=\"no\"): no Landlock "
		    "domain, any socket family");
		return;
	}
	if (abi > 0)
		n = snprintf(buf, len, "Landlock ABI %d (files%s%s%s), ", abi,
		    abi >= 4 ? ", TCP" : "", abi >= 6 ? ", scoped signals and "
		    "abstract sockets" : "", abi > CF_ABI_KNOWN ? "; newer "
		    "rights unused" : "");
	else
		n = snprintf(buf, len, "no Landlock (%s), ", abi == 0 ?
		    "not on this host" : "unknown");
	if (n < 0 || (size_t)n >= len)
		return;
	used = (size_t)n;
	n = snprintf(buf + used, len - used, "sockets");
	for (i = 0; i < nf && n >= 0 && (size_t)n < len - used; i++) {
		used += (size_t)n;
		n = snprintf(buf + used, len - used, "%s%s", i ? ", " : " ",
		    family_name(fam[i]));
	}
	if (n >= 0 && (size_t)n < len - used) {
		used += (size_t)n;
		snprintf(buf + used, len - used, " only");
	}
}

const char *
cf_shortfall(int abi)
{
	/* TCP (ABI 4) is also shut by the socket filter, and ptrace out of
	 * the domain by every ABI: only files and the scopes are missed. */
	if (abi == 0)
		return "the host's kernel has no Landlock (before 5.13, or "
		    "landlock not in its lsm= list): an escaped kernel reaches "
		    "every file USER can";
	if (abi > 0 && abi < 6)
		return "the host's Landlock is older than ABI 6 (6.12): an "
		    "escaped kernel may signal USER's other processes and "
		    "connect to abstract unix sockets";
	return NULL;
}

const char *
cf_hostfs_lack(int abi)
{
	if (abi >= CF_HOSTFS_ABI_MIN)
		return NULL;
	return abi == 0 ? "this host's kernel has no Landlock (before 5.13, "
	    "or landlock not in its lsm= list)" : "this host's Landlock ABI "
	    "is unknown";
}
