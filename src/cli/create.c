/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * create.c: umlctl create: a guest's disks, and its service, from nothing.
 *
 *   umlctl create [-u user] [-k kernel] [-s size] [-w swapsize] [-i init]
 *       [-b base] [--ssh-key F] [--root-password-hash F] [--ip vecN=A/L[,G]]...
 *       [--dhcp] [--packages LIST] NAME [SOURCE]
 *
 * SOURCE: debian:SUITE (mmdebstrap with the host's apt sources), a
 * directory, a root file system tarball, or nothing (an empty disk); -b
 * instead: a guest over a shared base image (its COW file is made by the
 * kernel at the first start).  This file checks everything first, nothing
 * is touched before; create_make.c then makes the tree, the disks and the
 * service, and removes what it made again when a step fails or is
 * interrupted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "create.h"
#include "parse.h"
#include "resources.h"
#include "util.h"

#define SIZE_MIN_KIB	(16 * 1024ULL)			/* mke2fs' journal */
#define SIZE_MAX_KIB	(16ULL * 1024 * 1024 * 1024)	/* 16 TiB */
#define SWAP_MIN_KIB	(1024ULL)
#define SIZE_DEFAULT	"2G"

/* ---- checks: everything before anything is made ---------------------- */

static void
take_size(const char *opt, const char *v, uint64_t min, uint64_t *kib)
{
	char why[256];

	if (parse_size_in(v, min, SIZE_MAX_KIB, "the smallest disk mke2fs or "
	    "mkswap makes", kib, why, sizeof(why)) < 0)
		die(EX_CONFIG, "create: %s \"%s\": %s", opt, v, why);
}

static bool
is_tarball(const char *s)
{
	static const char *const ext[] = { ".tar", ".tar.gz", ".tgz", ".tar.xz",
		".txz", ".tar.bz2", ".tar.zst" };
	size_t i, n = strlen(s), e;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (n > (e = strlen(ext[i])) && strcmp(s + n - e, ext[i]) == 0)
			return true;
	return false;
}

/*
 * Root reads SOURCE: the path to it (and a directory itself) must be
 * changeable by root only, or another account could swap in a link to
 * what only root may read, while root copies it into USER's image.
 */
static void
root_only(const char *path, bool dir)
{
	char d[PATH_LEN_MAX], err[512];
	int fd;

	if (xsnprintf(d, sizeof(d), "%s", path) < 0)
		die(EX_CONFIG, "create: SOURCE \"%s\": too long", path);
	if (!dir)
		*strrchr(d, '/') = '\0';
	if ((fd = root_dir_open(d[0] ? d : "/", 0, err, sizeof(err))) < 0)
		die(EX_CONFIG, "create: SOURCE \"%s\": %s (root copies it into "
		    "USER's image: only root may be able to change it)", path,
		    err);
	close(fd);
}

/* SOURCE: its kind, and that it is there. */
static void
take_source(struct job *j, char *s)
{
	struct stat st;
	char why[256];

	j->from = s;
	if (s == NULL || strcmp(s, "empty") == 0) {
		j->src = SRC_EMPTY;
		return;
	}
	if (strncmp(s, "debian:", 7) == 0) {
		j->suite = s + 7;
		if (parse_service(j->suite, why, sizeof(why)) < 0 ||
		    strchr(j->suite, '/'))
			die(EX_CONFIG, "create: SOURCE \"%s\": not a Debian "
			    "suite name (debian:bookworm, debian:stable, ...)",
			    s);
		j->src = SRC_DEBIAN;
		return;
	}
	if (s[0] != '/')
		die(EX_CONFIG, "create: SOURCE \"%s\": not debian:SUITE, an "
		    "absolute path or \"empty\"", s);
	if (lstat(s, &st) < 0)
		die(EX_CONFIG, "create: SOURCE \"%s\": %s", s, strerror(errno));
	if (S_ISDIR(st.st_mode))
		j->src = SRC_DIR;
	else if (S_ISREG(st.st_mode) && is_tarball(s))
		j->src = SRC_TAR;
	else
		die(EX_CONFIG, "create: SOURCE \"%s\": neither a directory nor "
		    "a tarball (.tar, .tar.gz, .tgz, .tar.xz, .txz, .tar.bz2, "
		    ".tar.zst)%s", s, S_ISLNK(st.st_mode) ? ", but a symbolic "
		    "link (name what it points to)" : "");
	root_only(s, j->src == SRC_DIR);
}

/* Append to the conf.d text; a value that would not fit is refused. */
static void conf_add(struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
conf_add(struct job *j, const char *fmt, ...)
{
	size_t n = strlen(j->conf);
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(j->conf + n, sizeof(j->conf) - n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= sizeof(j->conf) - n)
		die(EX_CONFIG, "create %s: the values of -u, -k, -b are too "
		    "long", j->name);
}

/* A value for the conf.d text: nothing sh would read otherwise. */
static const char *
plain(const struct job *j, char opt, const char *v)
{
	if (v && strpbrk(v, "\"\\$`\n"))
		die(EX_CONFIG, "create %s: -%c \"%s\": a value with \", \\, $, "
		    "` or a newline", j->name, opt, v);
	return v;
}

/* The conf.d text for a new guest, checked as start would read it. */
static void
new_conf(const struct ctx *x, struct job *j)
{
	char stamp[32];
	const char *k = plain(j, 'k', x->opt['k' - 'a']);
	const char *b = plain(j, 'b', x->opt['b' - 'a']);
	const char *u = plain(j, 'u', x->opt['u' - 'a']);
	time_t now = time(NULL);

	if (!u)
		die(EX_CONFIG, "create %s: %s/uml.%s does not exist: name the "
		    "account that runs the guest with -u USER", j->name,
		    x->confdir, j->name);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d", gmtime(&now));
	j->conf[0] = '\0';
	conf_add(j, "# uml.%s: made by `umlctl create' on %s; see uml(8).\n"
	    "USER=\"%s\"\n", j->name, stamp, u);
	if (k)
		conf_add(j, "KERNEL=\"%s\"\n", k);
	if (b)
		conf_add(j, "BASE_IMAGE=\"%s\"\n", b);
	/* A base is most often a Debian that create made: the same room. */
	if (j->src == SRC_DEBIAN || j->src == SRC_BASE)
		conf_add(j, "MEMORY=\"256M\"\n# systemd's boot under UML: "
		    "seconds here, minutes on a busy host.\n"
		    "START_TIMEOUT=\"180\"\n");
	if (j->src != SRC_EMPTY && j->src != SRC_BASE)
		conf_add(j, "# The guest says when it is up (prepared by "
		    "umlctl create).\nREADY=\"guest\"\n");
	cmd_load(x, j->name, &j->g, &j->a, true, j->conf);
	j->new_conf = true;
}

static void
no_file(const char *var, const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		die(EX_CONFIG, "create: %s=\"%s\" exists; umlctl create never "
		    "overwrites an image (remove it first)", var, path);
	if (errno != ENOENT)
		die(EX_CONFIG, "create: %s=\"%s\": %s", var, path,
		    strerror(errno));
}

/*
 * What the end would find, found now (a Debian source takes minutes
 * before): the conf.d directory, the directory above UMLDIR (UMLDIR and
 * UMLDIR/NAME are made if missing), -k's kernel, -b's base.
 */
static void
early_paths(const struct ctx *x, const struct job *j)
{
	char d[PATH_LEN_MAX], err[512], *s;
	const char *k = x->opt['k' - 'a'];
	struct stat st;
	int fd, n;

	if (j->new_conf) {
		if ((fd = root_dir_open(x->confdir, 0, err, sizeof(err))) < 0)
			die(EX_CONFIG, "create %s: %s", j->name, err);
		close(fd);
	}
	snprintf(d, sizeof(d), "%s", j->g.root);
	for (n = 0; n < 3 && (s = strrchr(d, '/')); n++)
		*s = '\0';
	if (n == 3 && (fd = root_dir_open(d[0] ? d : "/", 0, err,
	    sizeof(err))) < 0)
		die(EX_CONFIG, "create %s: ROOT=\"%s\": %s", j->name, j->g.root,
		    err);
	if (n == 3)
		close(fd);
	if (k && stat(k, &st) < 0)
		die(EX_CONFIG, "create %s: -k \"%s\": %s", j->name, k,
		    strerror(errno));
	if (k && !S_ISREG(st.st_mode))
		die(EX_CONFIG, "create %s: -k \"%s\": not a regular file",
		    j->name, k);
	if (!j->g.base[0])
		return;
	if (lstat(j->g.base, &st) < 0)
		die(EX_CONFIG, "create %s: BASE_IMAGE=\"%s\": %s", j->name,
		    j->g.base, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022))
		die(EX_CONFIG, "create %s: BASE_IMAGE=\"%s\": not a regular "
		    "file owned by root and writable only by root", j->name,
		    j->g.base);
}

static void
check_job(const struct ctx *x, struct job *j, int argc, char **argv)
{
	char path[PATH_LEN_MAX + 16];
	struct stat st;

	cmd_guest_name(x, j->name);
	if (x->opt['b' - 'a'] && argc > 2)
		die(EX_CONFIG, "create %s: -b makes a guest over a base image; "
		    "give no SOURCE with it", j->name);
	if (x->opt['b' - 'a'])
		j->src = SRC_BASE;
	else
		take_source(j, argc > 2 ? argv[2] : NULL);
	if (x->opt['i' - 'a']) {
		if (j->src != SRC_DEBIAN)
			die(EX_CONFIG, "create %s: -i is for debian:SUITE only",
			    j->name);
		if (strcmp(x->opt['i' - 'a'], "sysvinit") != 0 &&
		    strcmp(x->opt['i' - 'a'], "systemd") != 0)
			die(EX_CONFIG, "create %s: -i \"%s\": systemd or "
			    "sysvinit", j->name, x->opt['i' - 'a']);
		j->sysvinit = strcmp(x->opt['i' - 'a'], "sysvinit") == 0;
	}
	wayin_take(x, j);
	take_size("-s", x->opt['s' - 'a'] ? x->opt['s' - 'a'] : SIZE_DEFAULT,
	    SIZE_MIN_KIB, &j->size_kib);
	if (x->opt['w' - 'a'])
		take_size("-w", x->opt['w' - 'a'], SWAP_MIN_KIB, &j->swap_kib);
	snprintf(path, sizeof(path), "%s/uml.%s", x->confdir, j->name);
	if (lstat(path, &st) == 0) {
		if (x->opt['u' - 'a'] || x->opt['k' - 'a'] || x->opt['b' - 'a'])
			die(EX_CONFIG, "create %s: %s exists: set USER, KERNEL "
			    "and BASE_IMAGE there, not with -u, -k or -b",
			    j->name, path);
		cmd_load(x, j->name, &j->g, &j->a, true, NULL);
	} else
		new_conf(x, j);
	/* A conf.d file of its own with BASE_IMAGE and no SOURCE: -b's case. */
	if (j->g.base[0] && argc <= 2)
		j->src = SRC_BASE;
	if (j->src != SRC_BASE && j->g.base[0])
		die(EX_CONFIG, "create %s: BASE_IMAGE is set in %s: the "
		    "guest's disk is a COW file over it; give no SOURCE",
		    j->name, path);
	if (j->src == SRC_BASE && x->opt['s' - 'a'])
		die(EX_CONFIG, "create %s: -s sizes a new disk; a guest over a "
		    "base image has the base's size", j->name);
	early_paths(x, j);
	no_file("ROOT", j->g.root);
	if (j->swap_kib && !j->g.swap[0])
		die(EX_CONFIG, "create %s: -w makes a swap disk, but SWAP is "
		    "empty in %s", j->name, path);
	if (j->swap_kib)
		no_file("SWAP", j->g.swap);
}

int
cmd_create(const struct ctx *x, int argc, char **argv)
{
	static struct job j;
	char err[1024];

	j.name = argv[1];
	check_job(x, &j, argc, argv);
	job_begin(&j);
	if (j.src != SRC_EMPTY && j.src != SRC_BASE)
		job_stage(&j);
	job_disks(&j);
	job_service(&j, x->confdir);
	job_end(&j);
	if (j.src == SRC_BASE)
		printf("%s: created; its ROOT, a COW file over BASE_IMAGE, is "
		    "made at its first start\n", j.name);
	else
		printf("%s: created %s%s%s\n", j.name, j.g.root, j.swap_kib ?
		    " and " : "", j.swap_kib ? j.g.swap : "");
	if (host_check(&j.g, &j.a, x->confdir, false, err, sizeof(err)) < 0)
		warnmsg("%s: warning: made, but it cannot start yet: %s",
		    j.name, err);
	return EX_OK;
}
