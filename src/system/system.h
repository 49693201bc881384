/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * system.h: the system helpers' interface (src/system/): paths walked as
 * root, rtnetlink, processes, the kernel's seccomp filter, the guest edits
 * of create, guest images read with libext2fs.
 */
#ifndef UMLCTL_SYSTEM_H
#define UMLCTL_SYSTEM_H

#include <stdbool.h>
#include <sys/types.h>

#include "gcheck.h"
#include "guest.h"

/* walk.c: paths walked as root without following links. */
int root_dir_open(const char *path, mode_t mode, char *err, size_t errlen);
int rmtree_at(int dirfd, const char *name);

/* fcopy.c: a file copied as root into a directory of root's. */
/* An unnamed file (O_TMPFILE) in dirfd, 0600, the caller's (file system
 * ids); -1 with errno (EOPNOTSUPP, EISDIR: none on that file system). */
int fcopy_tmp(int dirfd);
/*
 * in's bytes into out: a reflink (FICLONE) where the file system has it,
 * else its data extents (SEEK_DATA, SEEK_HOLE), holes kept.  *how says
 * which, *bytes how many data bytes (those of a reflink: allocated).
 * stop() is asked between pieces: true ends the copy (errno EINTR).
 * 0, or -1 with errno.
 */
int fcopy_data(int in, int out, bool (*stop)(void), const char **how,
    unsigned long long *bytes);
/* in's data read once, into the page cache, so that a copy made next
 * reads no disk (a held guest's pause is the copy alone); 0 or -1. */
int fcopy_warm(int in);
/* out made durable (fsync) and linked into dirfd as name, never over a
 * file (EEXIST); 0, or -1 with errno. */
int fcopy_link(int out, int dirfd, const char *name);
/* out, an unnamed file, linked into dirfd as name, never over a file
 * (EEXIST), as the caller's file system ids allow; 0 or -1 with errno. */
int fcopy_name(int out, int dirfd, const char *name);

/* nl.c: rtnetlink, with libmnl. */
struct nl_link {
	int index;
	unsigned flags;
	int master;
	char kind[16];
	int tun_type;		/* IFF_TAP or IFF_TUN, for kind "tun" */
	bool carrier;		/* carrier: someone holds the tap open */
	long long owner, group;	/* -1: not set */
	bool stats;		/* the counters below were given */
	unsigned long long rx_bytes, rx_packets, tx_bytes, tx_packets;
};
/* 1 and *l: found; 0: no such link; -1: error, in err. */
int nl_get_link(const char *name, struct nl_link *l, char *err, size_t errlen);
/* Bring link index up, in bridge master (its index; 0: leave as is). */
int nl_link_up(int index, int master, char *err, size_t errlen);
int nl_del_link(int index, char *err, size_t errlen);
/* Its bridge port passes frames from mac only (learning off, locked). */
int nl_port_lock(int index, const unsigned char mac[6], char *err,
    size_t errlen);

/* proc.c: processes, from /proc.  proc_kill_group waits this long, ms,
 * for what it killed to end. */
#define PROC_GROUP_WAIT_MS	2000
unsigned long long proc_starttime(pid_t pid, pid_t *pgid, uid_t *uid);
int proc_pidfd(pid_t pid);
int proc_pidfd_signal(int pidfd, int sig);
int proc_kill_group(pid_t kpid, unsigned long long kstart, uid_t kuid,
    int *left);
long long proc_oom_kills(void);
int proc_kill_descendants(pid_t pid, int sig);

/* kfilter.c: the seccomp filter on the kernel's process; with families
 * (nfam of them, AF_*), socket() and socketpair() of any other fail. */
int kfilter_load(bool fd_transport, size_t ntap, size_t ndisk,
    const int *families,
    size_t nfam);

/* landlock.c: a Landlock domain on the calling process (confine.h). */
struct cf_plan;
/* The host's Landlock ABI; 0: none; -1: the probe failed otherwise. */
int ll_abi(void);
/* NULL, or the step that failed (errno set) and in *path its rule's path. */
const char *ll_restrict(const struct cf_plan *p, int abi, const char **path);

/* prepare.c: the guest edits, in a child chrooted into the tree treefd. */
#define PREP_IP_MAX	16
struct prep_ip {		/* create --ip vecN=ADDR/LEN[,GW], checked */
	char nic[16];		/* vecN */
	char addr[64];		/* ADDR/LEN */
	char gw[48];		/* GW, or "" */
};
struct prep {
	const char *name;	/* its hostname */
	bool swap;		/* it has a swap disk, /dev/ubdb */
	const char *keys;	/* root's authorized_keys text, or NULL */
	const char *hash;	/* root's crypt(3) hash, or NULL */
	bool dhcp;		/* DHCP on every NIC */
	size_t nip;
	struct prep_ip ip[PREP_IP_MAX];
};
int prepare_tree(int treefd, const struct prep *p, char *err, size_t errlen);

/* gimage.c: gcheck_guest on an ext2/3/4 image file; the worst level, or
 * -1 and err when it is not one libext2fs can open. */
int gimage_check(const char *image, const char *init, bool swap,
    gc_report *report, void *rarg, char *err, size_t errlen);

/* gstat.c: a running guest's kernel as the host counts it, from /proc. */
struct gstat {
	unsigned long long kstart;	/* the kernel's start, clock ticks */
	unsigned nprocs;		/* its processes */
	unsigned long long cpu_ticks;	/* their user + system time */
	unsigned long long pss_kib;	/* their proportional set size */
};
int gstat_procs(pid_t kpid, unsigned long long kstart, uid_t kuid,
    struct gstat *s);
int gstat_memfile(pid_t kpid, unsigned long long memdev,
    unsigned long long *size, unsigned long long *alloc);

#endif
