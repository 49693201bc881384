/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * create_make.c: the making of `umlctl create' (create.c checks first): a
 * root-only staging tree under /var/tmp filled from SOURCE and prepared
 * (prepare.c); ROOT by mke2fs -d and SWAP by mkswap, each a new file
 * (O_EXCL) written through its descriptor; conf.d/uml.NAME and the
 * init.d link.  Everything made is remembered, and removed again when a
 * later step fails or a signal comes.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "create.h"
#include "resources.h"
#include "util.h"

#define STAGE_DIR	"/var/tmp"
/* The Debian guest's packages beyond minbase: init, the NICs, sysctl;
 * udev for systemd, whose device units (the swap disk, the NICs for
 * networkd) wait for it: without it a swap line stalls the boot 90 s. */
#define PKG_SYSTEMD	"systemd-sysv,udev,iproute2,procps"
#define PKG_SYSVINIT	"sysvinit-core,iproute2,procps"


/* ---- making ------------------------------------------------------------ */

/* Make name in dfd if missing (remembered, to be undone); 0 or -1. */
static int
make_dir(struct job *j, int dfd, const char *name, bool users)
{
	if (mkdirat(dfd, name, 0755) < 0)
		return errno == EEXIST ? 0 : -1;
	job_remember(j, dfd, name, true);
	if (users && fchownat(dfd, name, j->a.uid, j->a.gid,
	    AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return 0;
}

/* dfd/name, a directory that is no link and that nobody but root (and,
 * if users, USER) can change; its descriptor. */
static int
open_dir(struct job *j, int dfd, const char *name, const char *shown,
    bool users)
{
	struct stat st;
	int fd;

	fd = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		job_fail(EX_CONFIG, "%s: %s", shown, errno == ELOOP || errno ==
		    ENOTDIR ? "a symbolic link or not a directory" :
		    strerror(errno));
	if ((st.st_uid != 0 && (!users || st.st_uid != j->a.uid)) ||
	    (st.st_mode & 022))
		job_fail(EX_CONFIG, "%s: not root's%s, or writable by others",
		    shown, users ? " or USER's" : "");
	return fd;
}

/*
 * The directory that will hold path (UMLDIR/NAME): every component above
 * its parent root's (root_dir_open); the parent (UMLDIR) root's, and the
 * directory root's or USER's; each of the two made if missing, the
 * directory USER's when the kernel is to make a COW file there.
 */
static int
image_dir(struct job *j, const char *path)
{
	char up[PATH_LEN_MAX], shown[PATH_LEN_MAX], err[512], *last, *mid;
	int gfd, ufd;

	snprintf(up, sizeof(up), "%s", path);
	*strrchr(up, '/') = '\0';
	snprintf(shown, sizeof(shown), "%s", up);
	if (!(last = strrchr(up, '/')) || last == up)
		job_fail(EX_CONFIG, "%s: the image's directory must not be / "
		    "or directly below it", path);
	*last++ = '\0';
	if (!(mid = strrchr(up, '/')))
		job_fail(EX_CONFIG, "%s: not an absolute path", path);
	*mid++ = '\0';
	if ((gfd = root_dir_open(up[0] ? up : "/", 0, err, sizeof(err))) < 0)
		job_fail(EX_CONFIG, "%s", err);
	if (make_dir(j, gfd, mid, false) < 0)
		job_fail(EX_SYSTEM, "mkdir %s/%s: %s", up, mid,
		    strerror(errno));
	snprintf(err, sizeof(err), "%s/%s", up, mid);
	ufd = open_dir(j, gfd, mid, err, false);
	if (make_dir(j, ufd, last, j->src == SRC_BASE) < 0)
		job_fail(EX_SYSTEM, "mkdir %s: %s", shown, strerror(errno));
	return open_dir(j, ufd, last, shown, true);
}

/* A new, empty file dfd/name of size KiB, sparse unless alloc (swap:
 * its room is taken now, not when the guest runs short of memory); its
 * descriptor. */
static int
new_image(struct job *j, int dfd, const char *path, uint64_t kib, bool alloc)
{
	const char *name = strrchr(path, '/') + 1;
	int fd;

	fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		job_fail(EX_SYSTEM, "%s: %s", path, strerror(errno));
	job_remember(j, dfd, name, false);
	if (alloc && (errno = posix_fallocate(fd, 0, (off_t)(kib * 1024))))
		job_fail(EX_SYSTEM, "%s: %s", path, strerror(errno));
	if (ftruncate(fd, (off_t)(kib * 1024)) < 0)
		job_fail(EX_SYSTEM, "%s: %s", path, strerror(errno));
	return fd;
}

static void
own_image(struct job *j, int fd, const char *path)
{
	if (fchown(fd, j->a.uid, j->a.gid) < 0 || fchmod(fd, 0600) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0)
		job_fail(EX_SYSTEM, "%s: %s", path, strerror(errno));
}

/*
 * The host's Debian mirror, from its own apt configuration: the first
 * index target of a suite without '-' (not -updates or -security), as
 * `apt-get indextargets' lists them; and its proxy settings, which
 * mmdebstrap does not read from the host (its apt has a Dir of its own),
 * as --aptopt words.
 */
static void
host_apt(char *uri, size_t len, char opts[][256], size_t *nopts, size_t max)
{
	char line[512], rel[128];
	FILE *p;
	size_t n;

	uri[0] = '\0';
	p = popen("LC_ALL=C apt-get indextargets --format "
	    "'$(REPO_URI) $(RELEASE)' 2>/dev/null", "r");
	while (p && fgets(line, sizeof(line), p) && !uri[0])
		if (sscanf(line, "%511s %127s", uri, rel) != 2 ||
		    strchr(rel, '-') || strncmp(uri, "http", 4) != 0 ||
		    strlen(uri) >= len)
			uri[0] = '\0';
	if (p)
		pclose(p);
	if (!uri[0])
		job_fail(EX_SYSTEM, "the host's apt sources name no Debian "
		    "mirror (apt-get indextargets)");
	*nopts = 0;
	p = popen("LC_ALL=C apt-config dump Acquire::http::Proxy "
	    "Acquire::https::Proxy 2>/dev/null", "r");
	while (p && *nopts < max && fgets(line, sizeof(line), p))
		if (strncmp(line, "Acquire::", 9) == 0 && (n = strlen(line)) >
		    1 && n < sizeof(opts[0]) - 12) {
			line[n - 1] = '\0';
			snprintf(opts[(*nopts)++], sizeof(opts[0]),
			    "--aptopt=%s", line);
		}
	if (p)
		pclose(p);
}

static void
populate(struct job *j)
{
	char tree[sizeof(j->stage) + 8], inc[1200], mirror[512];
	char from[PATH_LEN_MAX + 4];
	static char opts[4][256];
	char *argv[16];
	size_t nopts, i;

	snprintf(tree, sizeof(tree), "%s/root", j->stage);
	if (j->src == SRC_DEBIAN) {
		host_apt(mirror, sizeof(mirror), opts, &nopts, 4);
		snprintf(inc, sizeof(inc), "--include=%s%s", j->sysvinit ?
		    PKG_SYSVINIT : PKG_SYSTEMD, j->packages);
		argv[0] = "/usr/bin/mmdebstrap";
		argv[1] = "--mode=root";
		argv[2] = "--variant=minbase";
		argv[3] = inc;
		argv[4] = "--quiet";
		for (i = 0; i < nopts; i++)
			argv[5 + i] = opts[i];
		argv[5 + i] = j->suite;
		argv[6 + i] = tree;
		argv[7 + i] = mirror;
		argv[8 + i] = NULL;
		job_step(j, "fetching Debian (mmdebstrap)");
		run_ok_ns(argv, -1, "mmdebstrap", true);
		/* mmdebstrap copies the host's resolver configuration in. */
		snprintf(from, sizeof(from), "%s/etc/resolv.conf", tree);
		(void)unlink(from);
		return;
	}
	if (mkdir(tree, 0755) < 0)
		job_fail(EX_SYSTEM, "%s: %s", tree, strerror(errno));
	job_step(j, "%s", j->src == SRC_TAR ? "unpacking the tarball" :
	    "copying the directory");
	if (j->src == SRC_TAR)
		run_ok((char *const[]){ "/bin/tar", "-x", "-p",
		    "--numeric-owner", "--xattrs", "--xattrs-include=*", "-f",
		    j->from, "-C", tree, NULL }, -1, "unpacking the tarball");
	else
		copy_tree(j->from, tree);
}

/* The staging tree: SOURCE's files, prepared. */
static void
stage(struct job *j)
{
	char err[600];
	int tfd;

	/* The guest's name in it: a leftover says whose it is. */
	snprintf(j->stage, sizeof(j->stage), "%s/umlctl-create.%s.XXXXXX",
	    STAGE_DIR, j->name);
	if (!mkdtemp(j->stage)) {
		j->stage[0] = '\0';
		job_fail(EX_SYSTEM, "mkdtemp in %s: %s", STAGE_DIR,
		    strerror(errno));
	}
	if ((j->stagefd = open(j->stage, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		job_fail(EX_SYSTEM, "%s: %s", j->stage, strerror(errno));
	populate(j);
	tfd = openat(j->stagefd, "root", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (tfd < 0)
		job_fail(EX_SYSTEM, "%s/root: %s", j->stage, strerror(errno));
	j->prep.name = j->name;
	j->prep.swap = j->swap_kib > 0;
	job_step(j, "preparing the tree for UML");
	if (prepare_tree(tfd, &j->prep, err, sizeof(err)) < 0)
		job_fail(EX_CONFIG, "SOURCE \"%s\": %s", j->from ? j->from : "",
		    err);
	close(tfd);
}

/* ROOT: a new ext4 file system, with the staging tree's files. */
static void
make_root(struct job *j, int dfd)
{
	char tree[sizeof(j->stage) + 8];
	int fd;

	job_step(j, "making the root disk (ROOT)");
	fd = new_image(j, dfd, j->g.root, j->size_kib, false);
	snprintf(tree, sizeof(tree), "%s/root", j->stage);
	if (j->src == SRC_EMPTY)
		run_ok((char *const[]){ "/sbin/mke2fs", "-q", "-F", "-t",
		    "ext4", "-L", j->name, "/dev/fd/3", NULL }, fd,
		    "mke2fs (is -s large enough?)");
	else
		run_ok((char *const[]){ "/sbin/mke2fs", "-q", "-F", "-t",
		    "ext4", "-L", j->name, "-d", tree, "/dev/fd/3", NULL }, fd,
		    "mke2fs (is -s large enough for SOURCE?)");
	own_image(j, fd, j->g.root);
}

static void
make_disks(struct job *j)
{
	int dfd, fd;

	dfd = image_dir(j, j->g.root);
	/* Over a base, ROOT is the COW file the kernel makes. */
	if (j->src != SRC_BASE)
		make_root(j, dfd);
	if (!j->swap_kib)
		return;
	dfd = image_dir(j, j->g.swap);
	job_step(j, "making the swap disk (SWAP)");
	fd = new_image(j, dfd, j->g.swap, j->swap_kib, true);
	run_ok((char *const[]){ "/sbin/mkswap", "-q", "-L", j->name,
	    "/dev/fd/3", NULL }, fd, "mkswap");
	own_image(j, fd, j->g.swap);
}

/* conf.d/uml.NAME (if create composed it) and init.d/uml.NAME. */
static void
service(struct job *j, const char *confdir)
{
	char name[NAME_LEN_MAX + 8], initd[PATH_LEN_MAX], err[512], *s;
	int cfd, ifd, fd;

	snprintf(name, sizeof(name), "uml.%s", j->name);
	job_step(j, "writing its service (conf.d, init.d)");
	if (j->new_conf) {
		if ((cfd = root_dir_open(confdir, 0, err, sizeof(err))) < 0)
			job_fail(EX_CONFIG, "%s", err);
		fd = openat(cfd, name, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			job_fail(EX_SYSTEM, "%s/%s: %s", confdir, name,
			    strerror(errno));
		job_remember(j, cfd, name, false);
		if (write_all(fd, j->conf, strlen(j->conf)) < 0 || fsync(fd) <
		    0 || close(fd) < 0)
			job_fail(EX_SYSTEM, "%s/%s: %s", confdir, name,
			    strerror(errno));
	}
	/* init.d beside conf.d, if the runscript is installed there. */
	snprintf(initd, sizeof(initd), "%s", confdir);
	if (!(s = strrchr(initd, '/')))
		return;
	snprintf(s, sizeof(initd) - (size_t)(s - initd), "/init.d");
	if ((ifd = root_dir_open(initd, 0, err, sizeof(err))) < 0 ||
	    faccessat(ifd, "uml", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (symlinkat("uml", ifd, name) == 0)
		job_remember(j, ifd, name, false);
	else if (errno != EEXIST)
		job_fail(EX_SYSTEM, "%s/%s: %s", initd, name, strerror(errno));
}


void
job_stage(struct job *j)
{
	stage(j);
	job_signalled();
}

void
job_disks(struct job *j)
{
	make_disks(j);
	job_signalled();
}

void
job_service(struct job *j, const char *confdir)
{
	service(j, confdir);
	job_signalled();
}
