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

#endif
