/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confine.h: what the kernel's process may reach, as data.  Pure.
 *
 * confine.c decides which paths get which rights (the Landlock domain of
 * one guest) and which socket families the kernel may create; landlock.c
 * and kfilter.c turn that into system calls in the kernel child.
 *
 * Landlock's values (include/uapi/linux/landlock.h, Documentation/
 * userspace-api/landlock.rst).  Debian 12's header stops at ABI 2, so
 * every value is defined here, with the ABI that brought it.
 */
#ifndef UMLCTL_CONFINE_H
#define UMLCTL_CONFINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest.h"

/* Filesystem rights: ABI 1 (5.13) has bits 0 to 12. */
#define CF_FS_EXECUTE		(1ULL << 0)
#define CF_FS_WRITE_FILE	(1ULL << 1)
#define CF_FS_READ_FILE		(1ULL << 2)
#define CF_FS_READ_DIR		(1ULL << 3)
#define CF_FS_REMOVE_DIR	(1ULL << 4)
#define CF_FS_REMOVE_FILE	(1ULL << 5)
#define CF_FS_MAKE_CHAR		(1ULL << 6)
#define CF_FS_MAKE_DIR		(1ULL << 7)
#define CF_FS_MAKE_REG		(1ULL << 8)
#define CF_FS_MAKE_SOCK		(1ULL << 9)
#define CF_FS_MAKE_FIFO		(1ULL << 10)
#define CF_FS_MAKE_BLOCK	(1ULL << 11)
#define CF_FS_MAKE_SYM		(1ULL << 12)
#define CF_FS_REFER		(1ULL << 13)	/* ABI 2 (5.19) */
#define CF_FS_TRUNCATE		(1ULL << 14)	/* ABI 3 (6.2) */
#define CF_FS_IOCTL_DEV		(1ULL << 15)	/* ABI 5 (6.10) */
/* The rights a rule on a file (not a directory) may carry. */
#define CF_FS_FILE_RIGHTS	(CF_FS_EXECUTE | CF_FS_WRITE_FILE | \
	CF_FS_READ_FILE | CF_FS_TRUNCATE | CF_FS_IOCTL_DEV)
/* Network rights: ABI 4 (6.7). */
#define CF_NET_BIND_TCP		(1ULL << 0)
#define CF_NET_CONNECT_TCP	(1ULL << 1)
/* Scopes: ABI 6 (6.12). */
#define CF_SCOPE_ABSTRACT_UNIX	(1ULL << 0)
#define CF_SCOPE_SIGNAL		(1ULL << 1)
/* The newest ABI whose rights umlctl knows: a newer kernel's further
 * rights are left unhandled (allowed), as on a kernel without them. */
#define CF_ABI_KNOWN		7

/* What a rule gives a path. */
enum cf_kind {
	CF_RW_FILE,	/* a disk image, a COW file: read, write */
	CF_RO_FILE,	/* BASE_IMAGE, the loader's cache: read */
	CF_RX_FILE,	/* the kernel, the dynamic loader: read, execute */
	CF_RW_DIR,	/* u/, MEMORY_DIR: make, use and remove files */
	CF_RO_DIR,	/* the C library's directories: read files beneath */
	CF_RW_DEV,	/* /dev/net/tun (tap transports): read, write, ioctl */
	CF_SHARE_DIR,	/* HOSTFS: read, write, make and remove files,
			 * directories and links beneath; no execute */
};

struct cf_rule {
	const char *path;	/* points into the guest or static text */
	enum cf_kind kind;
	bool optional;		/* a missing path is skipped, not an error */
};

#define CF_RULES_MAX	20

struct cf_plan {
	size_t n;
	struct cf_rule rule[CF_RULES_MAX];
};

/*
 * The rules of guest g's domain: its images, uml_dir (udir), MEMORY_DIR,
 * HOSTFS, its kernel, and when interp is not NULL (a dynamically linked kernel)
 * that loader and what it reads.  0, or -1 when they do not fit.
 */
int cf_plan(const struct guest *g, const char *udir, const char *interp,
    struct cf_plan *p);

/* The rights Landlock ABI abi can handle (0 for none), and those a rule of
 * kind k gives on that ABI; a rule on a file keeps only file rights. */
uint64_t cf_fs_handled(int abi);
uint64_t cf_net_handled(int abi);
uint64_t cf_scoped(int abi);
uint64_t cf_rights(enum cf_kind k, int abi, bool is_dir);

/* The directory of path (absolute), in dir; -1 when it does not fit. */
int cf_parent(const char *path, char *dir, size_t len);

/*
 * The dynamic loader named by a 64-bit ELF file's PT_INTERP, from its
 * first len bytes (any content).  1 and the path in interp; 0 for a
 * static file; -1 if it is no ELF file this can read, or the path does
 * not fit.
 */
int cf_elf_interp(const unsigned char *buf, size_t len, char *interp,
    size_t ilen);

/* The socket families the kernel of guest g needs (AF_* values), in fam;
 * how many. */
#define CF_FAMILIES_MAX	4
size_t cf_families(const struct guest *g, int fam[CF_FAMILIES_MAX]);

/*
 * One line on what confines a guest's kernel: confine (CONFINE), the
 * Landlock ABI (0: none on this host, -1: unknown) and the socket filter,
 * e.g. "Landlock ABI 7 (files, TCP, scoped signals and abstract sockets),
 * sockets AF_UNIX only".
 */
void cf_describe(bool confine, int abi, const struct guest *g, char *buf,
    size_t len);
/* Why the host's Landlock is weaker than umlctl can use, or NULL. */
const char *cf_shortfall(int abi);

/*
 * The oldest Landlock ABI that bounds HOSTFS: ABI 1 governs opening,
 * making and removing files beneath the share (its rule), refuses
 * renaming and linking across directories outright (REFER, ABI 2, only
 * allows it within the domain), and what it does not govern (truncate by
 * path before ABI 3, modes, owners and times by path) the seccomp filter
 * refuses (kfilter.c).  Why a guest with HOSTFS and CONFINE may not start
 * on a host with ABI abi (0: none, -1: unknown), or NULL.
 */
#define CF_HOSTFS_ABI_MIN	1
const char *cf_hostfs_lack(int abi);

#endif
