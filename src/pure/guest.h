/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * guest.h: one guest's configuration, as umlctl understands it.
 *
 * Everything here is plain data.  confread.c turns conf.d text into
 * assignments, guestconf.c turns assignments into a struct guest (pure:
 * no file system access), kargv.c turns a struct guest into the kernel's
 * argv (pure).  The code with side effects only reads these structures.
 */
#ifndef UMLCTL_GUEST_H
#define UMLCTL_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses, documented in umlctl(8). */
enum {
	EX_OK = 0,
	EX_TIMEOUT = 1,		/* not ready within START_TIMEOUT */
	EX_CONFIG = 2,		/* bad config or unfit host: nothing done */
	EX_NOTRUNNING = 3,	/* status: stopped; others: not running */
	EX_CRASHED = 4,		/* status: the kernel died, no stop asked */
	EX_BUSY = 5,		/* running, or another umlctl holds the guest */
	EX_FORCED = 6,		/* stop: stopped, but the ladder forced it */
	EX_STARTING = 7,	/* status: started, not ready yet */
	EX_HUNG = 8,		/* status: running, but its kernel stopped
				 * answering its mconsole (HANG_TIMEOUT) */
	EX_NOGUEST = 9,		/* no such guest: no conf.d file, no record */
	EX_SUSPENDED = 10,	/* status: paused by `umlctl suspend' */
	EX_USAGE = 100,
	EX_SYSTEM = 111,	/* a system call failed */
};

#define NAME_LEN_MAX	32	/* umid < 64, every socket path < 108 bytes */
#define IFNAME_LEN_MAX	15	/* IFNAMSIZ - 1 */
#define NIC_MAX		16
#define EXTRA_MAX	32	/* words in KERNEL_ARGS */
#define WORD_LEN_MAX	256	/* one KERNEL_ARGS word */
#define PATH_LEN_MAX	256	/* paths that reach the kernel command line */
/* The guest's own directory in MEMORY_DIR, the kernel's TMPDIR (memsub.c):
 * MEMORY_DIR/umlctl.NAME, under PATH_LEN_MAX bytes too. */
#define MEMSUB_PREFIX	"umlctl."
#define USER_LEN_MAX	32
#define MAC_SEED_MAX	128	/* MAC_SEED, or the host's machine-id or name */
#define MEM_MIN_KIB	(64ULL * 1024)		/* UML 6.1 panics below */
#define MEM_MAX_KIB	(1024ULL * 1024 * 1024)	/* 1 TiB */
#define TIMEOUT_MAX	86400
#define LOG_MIN_KIB	64			/* > 4 pipe reads */
#define LOG_MAX_KIB	(1024ULL * 1024)	/* 1 GiB */
#define CPUS_MAX	64U	/* UML's most NR_CPUS (arch/um/Kconfig) */

enum transport {
	TRANSPORT_FD,		/* vecN:transport=fd: root opens the tap, the
				 * kernel inherits it; the guest sees vecN */
	TRANSPORT_VECTOR,	/* vecN:transport=tap: the kernel opens it */
	TRANSPORT_TUNTAP,	/* legacy ethN=tuntap: the guest sees ethN */
};
#define TAPFD_BASE	3	/* fd transport: NIC i's tap is the kernel's
				 * fd TAPFD_BASE + i */

enum mac_seed {
	MACSEED_HOST,		/* MAC_SEED unset: this host's machine-id, else
				 * its hostname (config_host_seed) */
	MACSEED_GIVEN,		/* MAC_SEED="word": the same on every host */
	MACSEED_NONE,		/* MAC_SEED="": name and index only (< 0.7) */
};

enum userspace {
	USERSPACE_PTRACE,	/* the kernel ptraces its guest's processes */
	USERSPACE_SECCOMP,	/* seccomp=on (6.16 on): faster, but guest
				 * processes can reach all guest memory */
};

enum ready {
	READY_MCONSOLE,		/* the kernel answers on its mconsole */
	READY_GUEST,		/* the guest's init wrote to /proc/mconsole */
};

struct nic {
	char tap[IFNAME_LEN_MAX + 1];
	char bridge[IFNAME_LEN_MAX + 1];	/* "" = join no bridge */
	unsigned char mac[6];
	bool mac_explicit;			/* MAC_<tap>, else derived */
};

struct guest {
	char name[NAME_LEN_MAX + 1];		/* the instance: uml.<name> */
	char user[USER_LEN_MAX + 1];		/* USER */
	char umldir[PATH_LEN_MAX];		/* UMLDIR */
	char kernel[PATH_LEN_MAX];		/* KERNEL */
	bool kernel_check;			/* KERNEL_CHECK */
	bool confine;				/* CONFINE: Landlock, sockets */
	char root[PATH_LEN_MAX];		/* ROOT; a COW file if base */
	char base[PATH_LEN_MAX];		/* BASE_IMAGE, or "": no base */
	char swap[PATH_LEN_MAX];		/* SWAP; "" = none */
	bool swap_auto;		/* SWAP unset: the default, if it exists */
	uint64_t mem_kib;			/* MEMORY */
	unsigned cpus;				/* CPUS: ncpus= if > 1 */
	enum userspace userspace;		/* USERSPACE */
	char memdir[PATH_LEN_MAX];		/* MEMORY_DIR */
	char hostfs[PATH_LEN_MAX];		/* HOSTFS; "" = none */
	bool memdir_own;			/* unset MEMORY_DIR: u/ */
	char console_log[PATH_LEN_MAX];		/* CONSOLE_LOG */
	unsigned long long console_log_max;	/* CONSOLE_LOG_MAX, bytes */
	char rc_need[512];			/* rc_need, for check */
	unsigned shutdown_timeout;		/* SHUTDOWN_TIMEOUT, seconds */
	unsigned start_timeout;			/* START_TIMEOUT, seconds */
	enum ready ready;			/* READY */
	bool respawn;				/* RESPAWN */
	unsigned respawn_max;			/* RESPAWN_MAX */
	unsigned hang_timeout;			/* HANG_TIMEOUT, s */
	bool respawn_hung;			/* RESPAWN_HUNG */
	char netns[NAME_LEN_MAX + 1];		/* NETNS; "" = the caller's */
	enum transport transport;		/* NET_TRANSPORT */
	size_t nnic;
	struct nic nic[NIC_MAX];		/* NET, BRIDGE_*, MAC_* */
	enum mac_seed mac_seed_kind;		/* MAC_SEED set, empty, unset */
	char mac_seed[MAC_SEED_MAX];		/* derived MACs depend on it */
	size_t nextra;
	char extra[EXTRA_MAX][WORD_LEN_MAX];	/* KERNEL_ARGS */
};

#endif
