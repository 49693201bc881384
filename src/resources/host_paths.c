/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_paths.c: paths against the host, changing nothing (host.c's
 * checks call these): the directories above a path searchable by USER;
 * HOSTFS: Landlock present when confined, apart from RUNDIR, its parents
 * root's, the directory itself USER's to use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confine.h"
#include "hostfs.h"
#include "resources.h"
#include "util.h"

#define R PERM_R
#define W PERM_W
#define X PERM_X

/* path's own status (a link not followed), read through its parent
 * directory, which must be root's and writable only by root
 * (root_dir_open): nobody else can put another file in its place between
 * this check and its use.  0, or -1 and err naming var (why before the
 * parent's fault). */
int
host_stat_nofollow(const char *var, const char *path, const char *why,
    struct stat *st, char *err, size_t errlen)
{
	char dir[PATH_LEN_MAX], e2[512];
	int fd, r;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if ((fd = root_dir_open(dir[0] ? dir : "/", 0, e2, sizeof(e2))) < 0)
		return snprintf(err, errlen, "%s=\"%s\": %s%s", var, path, why,
		    e2), -1;
	r = fstatat(fd, strrchr(path, '/') + 1, st, AT_SYMLINK_NOFOLLOW);
	if (r < 0)
		snprintf(err, errlen, "%s=\"%s\": %s", var, path,
		    strerror(errno));
	close(fd);
	return r < 0 ? -1 : 0;
}

/* Every directory above path must be searchable by USER. */
int
host_check_dirs(const char *var, const char *path,
    const struct account *a, char *err, size_t errlen)
{
	char buf[PATH_LEN_MAX], *s;
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", path);
	for (s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (stat(buf, &st) == 0 && !perm_may(st.st_uid, st.st_gid,
		    st.st_mode, a, X)) {
			snprintf(err, errlen, "%s=\"%s\": directory %s is not "
			    "searchable by USER", var, path, buf);
			return -1;
		}
		*s = '/';
	}
	return 0;
}

/*
 * HOSTFS: every directory above it root's and writable by root only
 * (walked without following a link: so nobody else can put another
 * directory in its place between this check and the kernel's start), the
 * directory itself not a link, and USER may read, write and search it;
 * whoever else may write there is the admin's choice (the guest is kept
 * inside it by Landlock, whatever links are put in it).
 */
int
host_check_hostfs(const struct guest *g, const struct account *a,
    char *err, size_t errlen)
{
	char e2[512];
	const char *lack;
	struct stat st;

	if (!g->hostfs[0])
		return 0;
	/* Without Landlock hostfs's own root is no boundary: the guest's root
	 * mounts "HOSTFS/.." and reaches every file USER can. */
	if (g->confine && (lack = cf_hostfs_lack(host_landlock_abi())) != NULL)
		return snprintf(err, errlen, "HOSTFS=\"%s\": %s, and without "
		    "it the guest could mount any directory USER=\"%s\" can "
		    "reach (CONFINE=\"no\" allows it, for debugging only)",
		    g->hostfs, lack, g->user), -1;
	/* Every guest's memory, pid files and mconsole sockets. */
	if (hf_clash(g->hostfs, "RUNDIR", run_dir(), HF_NOT_HOLD | HF_NOT_IN,
	    e2, sizeof(e2)) < 0)
		return snprintf(err, errlen, "HOSTFS=\"%s\": %s", g->hostfs,
		    e2), -1;
	if (host_stat_nofollow("HOSTFS", g->hostfs, "the directories above "
	    "it must be root's and writable only by root: ", &st, err,
	    errlen) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return snprintf(err, errlen, "HOSTFS=\"%s\": %s", g->hostfs,
		    S_ISLNK(st.st_mode) ? "is a symbolic link (name the "
		    "directory itself)" : "not a directory"), -1;
	if (!perm_may(st.st_uid, st.st_gid, st.st_mode, a, R | W | X))
		return snprintf(err, errlen, "HOSTFS=\"%s\": USER cannot read, "
		    "write and search it (owner %u, group %u, mode %04o)",
		    g->hostfs, (unsigned)st.st_uid, (unsigned)st.st_gid,
		    (unsigned)(st.st_mode & 07777)), -1;
	return host_check_dirs("HOSTFS", g->hostfs, a, err, errlen);
}
