/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mcproto.h: the UML management console protocol, version 2.  Pure.
 * See arch/um/drivers/mconsole.h in the kernel sources.
 */
#ifndef UMLCTL_MCPROTO_H
#define UMLCTL_MCPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MC_MAGIC	0xcafebabeU
#define MC_VERSION	2U
#define MC_DATA_MAX	512

struct mc_request {			/* sent as is, native byte order */
	uint32_t magic;
	uint32_t version;
	uint32_t len;
	char data[MC_DATA_MAX];
};

#define MC_REPLY_HDR	12		/* err, more, len */
#define MC_NOTIFY_HDR	16		/* magic, version, type, len */

enum mc_notify_type {
	MC_NOTIFY_SOCKET = 0,		/* data: the mconsole socket path */
	MC_NOTIFY_PANIC = 1,		/* data: the panic message */
	MC_NOTIFY_HANG = 2,
	MC_NOTIFY_USER = 3,		/* data: a /proc/mconsole line */
};

/* A decoded reply or notification; text is NUL-terminated, len excludes it. */
struct mc_msg {
	uint32_t err;			/* replies: non-zero on failure */
	uint32_t more;			/* replies: another datagram follows */
	int32_t type;			/* notifications: enum mc_notify_type */
	size_t len;
	char text[MC_DATA_MAX + 1];
};

/*
 * Encode command cmd (e.g. "sysrq s").  Rejects an empty command, one of
 * MC_DATA_MAX bytes or more, and control characters.  Returns 0 or -1.
 */
int mc_encode(const char *cmd, struct mc_request *req);

/*
 * Decode one reply datagram of n bytes.  Never reads beyond n, whatever
 * the header's len says; a len larger than the bytes present, or than
 * MC_DATA_MAX, is an error.  Returns 0 or -1.
 */
int mc_decode_reply(const void *buf, size_t n, struct mc_msg *out);

/* Decode one notification datagram of n bytes, with the same rules. */
int mc_decode_notify(const void *buf, size_t n, struct mc_msg *out);

enum root_state {
	ROOT_UNKNOWN,	/* no mount lines: no answer yet */
	ROOT_NONE,	/* mounts, but no / yet: the guest is booting */
	ROOT_RW,
	ROOT_RO,
};

/* The guest's / in its /proc/mounts text (the reply to "proc 1/mounts"). */
enum root_state mounts_root(const char *mounts);

#endif
