/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * perm.h: the account a guest runs as, and what it may do to a file.
 * Pure: plain data in, an answer out.
 */
#ifndef UMLCTL_PERM_H
#define UMLCTL_PERM_H

#include <stdbool.h>
#include <sys/types.h>

#include "guest.h"

#define GROUPS_MAX 64

#define PERM_R	4
#define PERM_W	2
#define PERM_X	1

/* USER, looked up once (host_account). */
struct account {
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[GROUPS_MAX];
	char home[PATH_LEN_MAX];
};

/*
 * Whether account a may access a file of owner fuid, group fgid and mode
 * with want (PERM_R | PERM_W | PERM_X), by the owner, group and other
 * bits as the kernel applies them to an unprivileged process (no ACLs).
 */
bool perm_may(uid_t fuid, gid_t fgid, mode_t mode, const struct account *a,
    int want);

enum tap_access {
	TAP_ATTACH,		/* a's kernel may attach, and nobody else's */
	TAP_ANYONE,		/* neither owner nor group: anyone may attach */
	TAP_OTHER_OWNER,	/* the owner is not a's uid */
	TAP_OTHER_GROUP,	/* the group is not one of a's groups */
};

/*
 * Who may attach to a persistent tap of owner and group (-1: not set), by
 * the kernel's rule (tun_not_capable() in drivers/net/tun.c: a set owner
 * must be the euid, a set group one of the caller's groups), for a.
 */
enum tap_access perm_tap(long long owner, long long group,
    const struct account *a);

#endif
