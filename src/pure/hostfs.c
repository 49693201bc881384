/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostfs.c: where HOSTFS may not be.  Pure.
 *
 * The guest may read, write, make and remove anything beneath HOSTFS
 * (confine.c: the Landlock rule on it adds to every other rule), so
 * HOSTFS above a file umlctl keeps for a guest hands that file to the
 * guest: above ROOT or SWAP, its own disks behind the kernel's back; above
 * the kernel or BASE_IMAGE, the files it must only read (and which other
 * guests run); above MEMORY_DIR or RUNDIR, the memory files, pid files
 * and mconsole sockets of itself or of every guest; above another guest's
 * UMLDIR or disks, that guest.  HOSTFS inside one of those directories is
 * refused too: the share would live among files a kernel install, `umlctl
 * remove' or a reboot (RUNDIR is a tmpfs) replaces or removes.  The host's
 * system trees: the share may not be inside the trees of programs,
 * configuration, kernel interfaces and logs, nor hold a tree of other
 * accounts' files as a whole.
 */
#include <stdio.h>
#include <string.h>

#include "confine.h"
#include "hostfs.h"

int
hf_lexical(const char *path, char *out, size_t len)
{
	const char *c = path;
	size_t o = 0, n;

	if (len < 2 || path[0] != '/')
		return -1;
	for (;;) {
		c += strspn(c, "/");
		if (*c == '\0')
			break;
		n = strcspn(c, "/");
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
		} else if (!(n == 1 && c[0] == '.')) {
			if (o + 1 + n >= len)
				return -1;
			out[o++] = '/';
			memcpy(out + o, c, n);
			o += n;
		}
		c += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/* a equal to b, or below it (a directory path, without a trailing '/'). */
static bool
within(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (strcmp(b, "/") == 0)
		return true;
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

int
hf_clash(const char *hostfs, const char *var, const char *path,
    unsigned how, char *why, size_t len)
{
	char p[PATH_LEN_MAX];

	if (path == NULL || path[0] == '\0')
		return 0;
	if (hf_lexical(path, p, sizeof(p)) < 0)
		return snprintf(why, len, "%s (\"%s\") is too long to compare",
		    var, path), -1;
	if (strcmp(hostfs, p) == 0 && how)
		return snprintf(why, len, "is %s; share a directory of its own",
		    var), -1;
	if ((how & HF_NOT_HOLD) && within(p, hostfs))
		return snprintf(why, len, "holds %s (\"%s\"): the guest would "
		    "reach it through hostfs; share a directory of its own",
		    var, p), -1;
	/* Every path is inside "/": that says nothing. */
	if ((how & HF_NOT_IN) && strcmp(p, "/") != 0 && within(hostfs, p))
		return snprintf(why, len, "is inside %s (\"%s\"); share a "
		    "directory of its own, apart from it", var, p), -1;
	return 0;
}

/* The host's trees: programs, configuration, kernel interfaces, root's
 * home and the logs (not inside them, not them); and the trees of other
 * accounts' or services' files (not as a whole, nor above them). */
static const char *const sys_in[] = {
	"/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
	"/libx32", "/proc", "/root", "/run", "/sbin", "/sys", "/usr",
	"/var/log",
};
static const char *const sys_whole[] = {
	"/home", "/tmp", "/var/lib", "/var/tmp",
};

int
hf_system(const char *hostfs, char *why, size_t len)
{
	char var[32];
	size_t i;

	for (i = 0; i < sizeof(sys_in) / sizeof(sys_in[0]); i++) {
		snprintf(var, sizeof(var), "the host's %s", sys_in[i]);
		if (hf_clash(hostfs, var, sys_in[i], HF_NOT_HOLD | HF_NOT_IN,
		    why, len) < 0)
			return -1;
	}
	for (i = 0; i < sizeof(sys_whole) / sizeof(sys_whole[0]); i++) {
		snprintf(var, sizeof(var), "the host's %s", sys_whole[i]);
		if (hf_clash(hostfs, var, sys_whole[i], HF_NOT_HOLD, why,
		    len) < 0)
			return -1;
	}
	return 0;
}

/* Directory of path into dir (dir[0] '\0' when path has none). */
static const char *
dir_of(const char *path, char *dir, size_t len)
{
	dir[0] = '\0';
	if (path[0] != '\0' && cf_parent(path, dir, len) < 0)
		dir[0] = '\0';
	return dir;
}

static int
own(const struct guest *g, char *why, size_t len)
{
	const char *h = g->hostfs;
	char d[PATH_LEN_MAX];

	return hf_clash(h, "UMLDIR", g->umldir,
	    HF_NOT_HOLD, why, len) < 0 ||
	    hf_clash(h, "ROOT", g->root, HF_NOT_HOLD, why, len) < 0 ||
	    hf_clash(h, "SWAP", g->swap, HF_NOT_HOLD, why, len) < 0 ||
	    hf_clash(h, "KERNEL's directory", dir_of(g->kernel, d, sizeof(d)),
	    HF_NOT_HOLD | HF_NOT_IN, why, len) < 0 ||
	    hf_clash(h, "BASE_IMAGE's directory", dir_of(g->base, d, sizeof(d)),
	    HF_NOT_HOLD | HF_NOT_IN, why, len) < 0 ||
	    (!g->memdir_own && hf_clash(h, "MEMORY_DIR", g->memdir,
	    HF_NOT_HOLD | HF_NOT_IN, why, len) < 0) ? -1 : 0;
}

static int
other(const struct guest *g, const struct guest *o, char *why, size_t len)
{
	const char *h = g->hostfs;
	char var[NAME_LEN_MAX + 32], d[PATH_LEN_MAX];

	snprintf(var, sizeof(var), "guest %s's UMLDIR", o->name);
	if (hf_clash(h, var, o->umldir, HF_NOT_HOLD, why, len) < 0)
		return -1;
	snprintf(var, sizeof(var), "guest %s's directory", o->name);
	if (snprintf(d, sizeof(d), "%s/%s", o->umldir, o->name) <
	    (int)sizeof(d) && hf_clash(h, var, d, HF_NOT_HOLD | HF_NOT_IN,
	    why, len) < 0)
		return -1;
	snprintf(var, sizeof(var), "guest %s's ROOT", o->name);
	if (hf_clash(h, var, o->root, HF_NOT_HOLD, why, len) < 0)
		return -1;
	snprintf(var, sizeof(var), "guest %s's SWAP", o->name);
	return hf_clash(h, var, o->swap, HF_NOT_HOLD, why, len);
}

int
hf_guest(const struct guest *g, const struct guest *o, char *why, size_t len)
{
	if (g->hostfs[0] == '\0')
		return 0;
	return o == g ? own(g, why, len) : other(g, o, why, len);
}
