/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * memsub.c: the guest's own directory inside MEMORY_DIR.
 *
 * MEMORY_DIR may be shared (/dev/shm, or a directory holding other
 * guests' disks), so the kernel does not get it: the kernel child makes
 * MEMORY_DIR/umlctl.NAME as USER (mode 0700, never through a link), and
 * that directory is the kernel's TMPDIR and its only Landlock rule there
 * (confine.c).  The supervisor removes it, empty, once the kernel has
 * ended (sup_reap), and `umlctl remove' if one was left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resources.h"
#include "util.h"

static void
sub_name(const struct guest *g, char *name, size_t len)
{
	snprintf(name, len, MEMSUB_PREFIX "%s", g->name);
}

const char *
memsub_make(const struct guest *g, char *path, size_t len)
{
	static char why[NAME_LEN_MAX + 96];
	char name[NAME_LEN_MAX + sizeof(MEMSUB_PREFIX)];
	struct stat st;
	int dfd, n;

	sub_name(g, name, sizeof(name));
	n = snprintf(path, len, "%s/%s", g->memdir, name);
	if (n < 0 || (size_t)n >= len)
		return errno = ENAMETOOLONG, "MEMORY_DIR/" MEMSUB_PREFIX "NAME";
	if ((dfd = open(g->memdir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return "MEMORY_DIR";
	if (mkdirat(dfd, name, 0700) < 0 && errno != EEXIST)
		return close(dfd), "making MEMORY_DIR/" MEMSUB_PREFIX "NAME";
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return close(dfd), "MEMORY_DIR/" MEMSUB_PREFIX "NAME";
	close(dfd);
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid()) {
		snprintf(why, sizeof(why), "%s is there, but no directory of "
		    "USER's own (remove it)", name);
		return errno = EEXIST, why;
	}
	return NULL;
}

bool
memsub_remove(const struct guest *g, const struct account *a)
{
	char name[NAME_LEN_MAX + sizeof(MEMSUB_PREFIX)];
	gid_t saved[GROUPS_MAX];
	int nsaved, dfd, r = -1;

	if (g->memdir_own || disk_as_user(a, saved, &nsaved) < 0)
		return false;
	sub_name(g, name, sizeof(name));
	if ((dfd = open(g->memdir, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		/* AT_REMOVEDIR never follows a link (ENOTDIR). */
		if ((r = unlinkat(dfd, name, AT_REMOVEDIR)) < 0 &&
		    errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
			logmsg("%s: %s/%s: %s", g->name, g->memdir, name,
			    strerror(errno));
		close(dfd);
	}
	disk_as_root(saved, nsaved);
	return r == 0;
}
