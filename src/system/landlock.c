/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * landlock.c: a Landlock domain on the calling process, with raw system
 * calls (no packaged C library); which paths get which rights is decided
 * by confine.c.  Called in the kernel child after the drop to USER and
 * no_new_privs, so every path is opened as USER: a rule is on the inode
 * the kernel will open by that same path a moment later.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "system.h"

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION	(1U << 0)
#endif

/* The ruleset's attributes as of ABI 6; an older kernel takes the larger
 * struct as long as the fields it does not know are 0. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

int
ll_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);

	if (v >= 0)
		return (int)v;
	/* ENOSYS: too old; EOPNOTSUPP: built in but not enabled. */
	return errno == ENOSYS || errno == EOPNOTSUPP ? 0 : -1;
}

static int
add_path(int rs, const struct cf_rule *r, int abi)
{
	struct landlock_path_beneath_attr pb;
	struct stat st;
	/* HOSTFS: the directory host.c checked, never a link to another. */
	int fd = open(r->path, O_PATH | O_CLOEXEC | (r->kind == CF_SHARE_DIR ?
	    O_DIRECTORY | O_NOFOLLOW : 0));

	if (fd < 0)
		return r->optional && errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	pb.allowed_access = cf_rights(r->kind, abi, S_ISDIR(st.st_mode));
	pb.parent_fd = fd;
	if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb,
	    0) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

const char *
ll_restrict(const struct cf_plan *p, int abi, const char **path)
{
	struct ll_ruleset_attr a = {
		.handled_access_fs = cf_fs_handled(abi),
		.handled_access_net = cf_net_handled(abi),
		.scoped = cf_scoped(abi),
	};
	size_t i;
	int rs;

	*path = NULL;
	rs = (int)syscall(SYS_landlock_create_ruleset, &a, sizeof(a), 0);
	if (rs < 0)
		return "landlock_create_ruleset";
	for (i = 0; i < p->n; i++)
		if (add_path(rs, &p->rule[i], abi) < 0) {
			*path = p->rule[i].path;
			return "landlock_add_rule";
		}
	if (syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		return "landlock_restrict_self";
	close(rs);
	return NULL;
}
