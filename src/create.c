/*
 * create.c: umlctl create: a guest's disks, and its service, from nothing.
 *
 *   umlctl create [-u user] [-k kernel] [-s size] [-w swapsize] [-i init]
 *       [-b base] NAME [SOURCE]
 *
 * SOURCE: debian:SUITE (mmdebstrap with the host's apt sources), a
 * directory, a root file system tarball, or nothing (an empty disk); -b
 * instead: a guest over a shared base image (its COW file is made by the
 * kernel at the first start).  The steps, in order: check everything
 * (nothing is touched before); fill a root-only staging tree under
 * /var/tmp; prepare it (prepare.c); make ROOT with mke2fs -d and SWAP with
 * mkswap, each a new file (O_EXCL) written through its descriptor; write
 * conf.d/uml.NAME and the uml.NAME link if they are missing.  Whatever
 * fails or is interrupted, everything made so far is removed again.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "parse.h"
#include "sys.h"
#include "util.h"

#define STAGE_DIR	"/var/tmp"
#define SIZE_MIN_KIB	(16 * 1024ULL)			/* mke2fs' journal */
#define SIZE_MAX_KIB	(16ULL * 1024 * 1024 * 1024)	/* 16 TiB */
#define SWAP_MIN_KIB	(1024ULL)
#define SIZE_DEFAULT	"2G"
#define CMD_PATH	"PATH=/usr/sbin:/usr/bin:/sbin:/bin"
/* The Debian guest's packages beyond minbase: init, the NICs, sysctl;
 * udev for systemd, whose device units (the swap disk, the NICs for
 * networkd) wait for it: without it a swap line stalls the boot 90 s. */
#define PKG_SYSTEMD	"systemd-sysv,udev,iproute2,procps"
#define PKG_SYSVINIT	"sysvinit-core,iproute2,procps"

enum source { SRC_EMPTY, SRC_DEBIAN, SRC_DIR, SRC_TAR, SRC_BASE };

/* One file or directory made, to be removed if the whole does not finish. */
struct made {
	int dfd;
	char name[NAME_LEN_MAX + 16];
	ino_t ino;
	bool dir;
};

struct job {
	char *name;
	struct guest g;
	struct account a;
	enum source src;
	char *from;		/* SOURCE as given */
	char *suite;		/* debian:SUITE */
	bool sysvinit;
	uint64_t size_kib, swap_kib;
	bool new_conf;		/* conf.d/uml.NAME is ours to write */
	char conf[2048];	/* its text */
	char stage[64];		/* the staging directory, or "" */
	int stagefd;
	struct made made[8];
	size_t nmade;
};

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

/* Undo, newest first; a name whose inode changed meanwhile is left. */
static void
undo(struct job *j)
{
	struct stat st;
	struct made *m;

	while (j->nmade > 0) {
		m = &j->made[--j->nmade];
		if (fstatat(m->dfd, m->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_ino == m->ino)
			(void)unlinkat(m->dfd, m->name, m->dir ? AT_REMOVEDIR : 0);
	}
	if (j->stage[0]) {
		(void)rmtree_at(j->stagefd, "root");
		close(j->stagefd);
		(void)rmdir(j->stage);
		j->stage[0] = '\0';
	}
}

static struct job *the_job;

static void fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void
fail(int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (the_job)
		undo(the_job);
	die(status, "create %s: %s; nothing was left behind",
	    the_job ? the_job->name : "", msg);
}

static void
remember(struct job *j, int dfd, const char *name, bool dir)
{
	struct stat st;
	struct made *m = &j->made[j->nmade];

	if (j->nmade == sizeof(j->made) / sizeof(j->made[0]) ||
	    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		fail(EX_SYSTEM, "%s: %s", name, strerror(errno));
	m->dfd = dfd;
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->ino = st.st_ino;
	m->dir = dir;
	j->nmade++;
}

/* Fail if a signal came meanwhile. */
static void
signalled(void)
{
	if (stop_signal)
		fail(EX_SYSTEM, "interrupted by signal %d", (int)stop_signal);
}

/*
 * Start argv with a clean environment, stdin from in and stdout to out
 * (-1: /dev/null, and stdout left as it is); keep, if not -1, becomes its
 * fd 3.  Its pid.
 */
static pid_t
spawn(char *const *argv, int in, int out, int keep)
{
	static char *const env[] = { CMD_PATH, "LC_ALL=C.UTF-8", NULL };
	pid_t pid;

	if ((pid = fork()) < 0)
		fail(EX_SYSTEM, "fork: %s", strerror(errno));
	if (pid > 0)
		return pid;
	if ((in < 0 && (in = open("/dev/null", O_RDONLY)) < 0) ||
	    dup2(in, 0) < 0 || (out >= 0 && dup2(out, 1) < 0) ||
	    (keep >= 0 && dup2(keep, 3) < 0) ||
	    close_range(keep >= 0 ? 4 : 3, ~0U, 0) < 0)
		_exit(127);
	execve(argv[0], argv, env);
	warnmsg_errno("%s", argv[0]);
	_exit(127);
}

/* Its exit status (128 + the signal that killed it); a signal to
 * umlctl meanwhile ends it and fails. */
static int
reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			fail(EX_SYSTEM, "waitpid: %s", strerror(errno));
		if (stop_signal)
			kill(pid, SIGTERM);
	}
	signalled();
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
run_ok(char *const *argv, int keep, const char *what)
{
	int r = reap(spawn(argv, -1, -1, keep));

	if (r != 0)
		fail(EX_SYSTEM, "%s failed (%s exited %d)", what, argv[0], r);
}

/*
 * Copy directory from into tree with GNU tar on both ends of a pipe: it
 * walks from with openat(parent, name, O_NOFOLLOW), so a directory swapped
 * for a link meanwhile (a 1777 /tmp in the source lets anyone try) is not
 * followed out of it, which cp -a, walking by path, would.
 */
static void
copy_tree(char *from, char *tree)
{
	char *const c[] = { "/bin/tar", "-C", from, "--numeric-owner", "-cf",
		"-", ".", NULL };
	char *const x[] = { "/bin/tar", "-C", tree, "--numeric-owner", "-xpf",
		"-", NULL };
	int p[2], rc, rx;
	pid_t pc, px;

	if (pipe2(p, O_CLOEXEC) < 0)
		fail(EX_SYSTEM, "pipe: %s", strerror(errno));
	pc = spawn(c, -1, p[1], -1);
	px = spawn(x, p[0], -1, -1);
	close(p[0]);
	close(p[1]);
	rc = reap(pc);
	rx = reap(px);
	if (rc != 0 || rx != 0)
		fail(EX_SYSTEM, "copying the directory failed (tar exited %d, "
		    "%d)", rc, rx);
}

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
		    "USER's image: only root may be able to change it)", path, err);
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
			die(EX_CONFIG, "create: SOURCE \"%s\": not a Debian suite "
			    "name (debian:bookworm, debian:stable, ...)", s);
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
		die(EX_CONFIG, "create: SOURCE \"%s\": neither a directory nor a "
		    "tarball (.tar, .tar.gz, .tgz, .tar.xz, .txz, .tar.bz2, "
		    ".tar.zst)%s", s, S_ISLNK(st.st_mode) ? ", but a symbolic "
		    "link (name what it points to)" : "");
	root_only(s, j->src == SRC_DIR);
}

/* The conf.d text for a new guest, checked as start would read it. */
static void
new_conf(const struct ctx *x, struct job *j)
{
	char stamp[32];
	const char *k = x->opt['k' - 'a'], *b = x->opt['b' - 'a'];
	time_t now = time(NULL);
	size_t n;

	if (!x->opt['u' - 'a'])
		die(EX_CONFIG, "create %s: %s/uml.%s does not exist: name the "
		    "account that runs the guest with -u USER", j->name,
		    x->confdir, j->name);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d", gmtime(&now));
	n = (size_t)snprintf(j->conf, sizeof(j->conf), "# uml.%s: made by "
	    "`umlctl create' on %s; see uml(8).\nUSER=\"%s\"\n", j->name,
	    stamp, x->opt['u' - 'a']);
	if (k)
		n += (size_t)snprintf(j->conf + n, sizeof(j->conf) - n,
		    "KERNEL=\"%s\"\n", k);
	if (b)
		n += (size_t)snprintf(j->conf + n, sizeof(j->conf) - n,
		    "BASE_IMAGE=\"%s\"\n", b);
	if (j->src == SRC_DEBIAN)
		n += (size_t)snprintf(j->conf + n, sizeof(j->conf) - n,
		    "MEMORY=\"256M\"\n# systemd's boot under UML: seconds here, "
		    "minutes on a busy host.\nSTART_TIMEOUT=\"180\"\n");
	if (j->src != SRC_EMPTY && j->src != SRC_BASE)
		n += (size_t)snprintf(j->conf + n, sizeof(j->conf) - n,
		    "# The guest says when it is up (prepared by umlctl create).\n"
		    "READY=\"guest\"\n");
	if (n >= sizeof(j->conf) || strpbrk(x->opt['u' - 'a'], "\"\\$`") ||
	    (k && strpbrk(k, "\"\\$`")) || (b && strpbrk(b, "\"\\$`")))
		die(EX_CONFIG, "create %s: a value with \", \\, $ or `", j->name);
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
		die(EX_CONFIG, "create %s: BASE_IMAGE=\"%s\": not a regular file "
		    "owned by root and writable only by root", j->name, j->g.base);
}

static void
check_job(const struct ctx *x, struct job *j, int argc, char **argv)
{
	char path[PATH_LEN_MAX + 16], why[256];
	struct stat st;

	if (parse_name(j->name, why, sizeof(why)) < 0)
		die(EX_CONFIG, "create: instance name: %s", why);
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
			die(EX_CONFIG, "create %s: -i \"%s\": systemd or sysvinit",
			    j->name, x->opt['i' - 'a']);
		j->sysvinit = strcmp(x->opt['i' - 'a'], "sysvinit") == 0;
	}
	take_size("-s", x->opt['s' - 'a'] ? x->opt['s' - 'a'] : SIZE_DEFAULT,
	    SIZE_MIN_KIB, &j->size_kib);
	if (x->opt['w' - 'a'])
		take_size("-w", x->opt['w' - 'a'], SWAP_MIN_KIB, &j->swap_kib);
	if (j->src == SRC_BASE && x->opt['s' - 'a'])
		die(EX_CONFIG, "create %s: -s sizes a new disk; a guest over a "
		    "base image has the base's size", j->name);
	snprintf(path, sizeof(path), "%s/uml.%s", x->confdir, j->name);
	if (lstat(path, &st) == 0) {
		if (x->opt['u' - 'a'] || x->opt['k' - 'a'] || x->opt['b' - 'a'])
			die(EX_CONFIG, "create %s: %s exists: set USER, KERNEL and "
			    "BASE_IMAGE there, not with -u, -k or -b", j->name,
			    path);
		cmd_load(x, j->name, &j->g, &j->a, true, NULL);
	} else
		new_conf(x, j);
	if (j->src == SRC_BASE && !j->g.base[0])
		die(EX_CONFIG, "create %s: -b needs BASE_IMAGE", j->name);
	if (j->src != SRC_BASE && j->g.base[0])
		die(EX_CONFIG, "create %s: BASE_IMAGE is set in %s: the guest's "
		    "disk is a COW file over it; give no SOURCE", j->name, path);
	early_paths(x, j);
	no_file("ROOT", j->g.root);
	if (j->swap_kib && !j->g.swap[0])
		die(EX_CONFIG, "create %s: -w makes a swap disk, but SWAP is "
		    "empty in %s", j->name, path);
	if (j->swap_kib)
		no_file("SWAP", j->g.swap);
}

/* ---- making ------------------------------------------------------------ */

/* Make name in dfd if missing (remembered, to be undone); 0 or -1. */
static int
make_dir(struct job *j, int dfd, const char *name, bool users)
{
	if (mkdirat(dfd, name, 0755) < 0)
		return errno == EEXIST ? 0 : -1;
	remember(j, dfd, name, true);
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
		fail(EX_CONFIG, "%s: %s", shown, errno == ELOOP || errno ==
		    ENOTDIR ? "a symbolic link or not a directory" :
		    strerror(errno));
	if ((st.st_uid != 0 && (!users || st.st_uid != j->a.uid)) ||
	    (st.st_mode & 022))
		fail(EX_CONFIG, "%s: not root's%s, or writable by others", shown,
		    users ? " or USER's" : "");
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
		fail(EX_CONFIG, "%s: the image's directory must not be / or "
		    "directly below it", path);
	*last++ = '\0';
	if (!(mid = strrchr(up, '/')))
		fail(EX_CONFIG, "%s: not an absolute path", path);
	*mid++ = '\0';
	if ((gfd = root_dir_open(up[0] ? up : "/", 0, err, sizeof(err))) < 0)
		fail(EX_CONFIG, "%s", err);
	if (make_dir(j, gfd, mid, false) < 0)
		fail(EX_SYSTEM, "mkdir %s/%s: %s", up, mid, strerror(errno));
	snprintf(err, sizeof(err), "%s/%s", up, mid);
	ufd = open_dir(j, gfd, mid, err, false);
	if (make_dir(j, ufd, last, j->src == SRC_BASE) < 0)
		fail(EX_SYSTEM, "mkdir %s: %s", shown, strerror(errno));
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
		fail(EX_SYSTEM, "%s: %s", path, strerror(errno));
	remember(j, dfd, name, false);
	if (alloc && (errno = posix_fallocate(fd, 0, (off_t)(kib * 1024))))
		fail(EX_SYSTEM, "%s: %s", path, strerror(errno));
	if (ftruncate(fd, (off_t)(kib * 1024)) < 0)
		fail(EX_SYSTEM, "%s: %s", path, strerror(errno));
	return fd;
}

static void
own_image(struct job *j, int fd, const char *path)
{
	if (fchown(fd, j->a.uid, j->a.gid) < 0 || fchmod(fd, 0600) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0)
		fail(EX_SYSTEM, "%s: %s", path, strerror(errno));
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
		fail(EX_SYSTEM, "the host's apt sources name no Debian mirror "
		    "(apt-get indextargets)");
	*nopts = 0;
	p = popen("LC_ALL=C apt-config dump Acquire::http::Proxy "
	    "Acquire::https::Proxy 2>/dev/null", "r");
	while (p && *nopts < max && fgets(line, sizeof(line), p))
		if (strncmp(line, "Acquire::", 9) == 0 && (n = strlen(line)) > 1 &&
		    n < sizeof(opts[0]) - 12) {
			line[n - 1] = '\0';
			snprintf(opts[(*nopts)++], sizeof(opts[0]), "--aptopt=%s",
			    line);
		}
	if (p)
		pclose(p);
}

static void
populate(struct job *j)
{
	char tree[96], inc[128], mirror[512], from[PATH_LEN_MAX + 4];
	static char opts[4][256];
	char *argv[16];
	size_t nopts, i;

	snprintf(tree, sizeof(tree), "%s/root", j->stage);
	if (j->src == SRC_DEBIAN) {
		host_apt(mirror, sizeof(mirror), opts, &nopts, 4);
		snprintf(inc, sizeof(inc), "--include=%s", j->sysvinit ?
		    PKG_SYSVINIT : PKG_SYSTEMD);
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
		run_ok(argv, -1, "mmdebstrap");
		/* mmdebstrap copies the host's resolver configuration in. */
		snprintf(from, sizeof(from), "%s/etc/resolv.conf", tree);
		(void)unlink(from);
		return;
	}
	if (mkdir(tree, 0755) < 0)
		fail(EX_SYSTEM, "%s: %s", tree, strerror(errno));
	if (j->src == SRC_TAR)
		run_ok((char *const[]){ "/bin/tar", "-x", "-p", "--numeric-owner",
		    "-f", j->from, "-C", tree, NULL }, -1,
		    "unpacking the tarball");
	else
		copy_tree(j->from, tree);
}

/* The staging tree: SOURCE's files, prepared. */
static void
stage(struct job *j)
{
	struct prep p = { j->name, j->swap_kib > 0 };
	char err[600];
	int tfd;

	snprintf(j->stage, sizeof(j->stage), "%s/umlctl-create.XXXXXX",
	    STAGE_DIR);
	if (!mkdtemp(j->stage)) {
		j->stage[0] = '\0';
		fail(EX_SYSTEM, "mkdtemp in %s: %s", STAGE_DIR, strerror(errno));
	}
	if ((j->stagefd = open(j->stage, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		fail(EX_SYSTEM, "%s: %s", j->stage, strerror(errno));
	populate(j);
	tfd = openat(j->stagefd, "root", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (tfd < 0)
		fail(EX_SYSTEM, "%s/root: %s", j->stage, strerror(errno));
	if (prepare_tree(tfd, &p, err, sizeof(err)) < 0)
		fail(EX_CONFIG, "SOURCE \"%s\": %s", j->from ? j->from : "",
		    err);
	close(tfd);
}

static void
make_disks(struct job *j)
{
	char tree[96];
	int dfd, fd;

	dfd = image_dir(j, j->g.root);
	if (j->src == SRC_BASE)
		return;		/* ROOT is the COW file the kernel makes */
	fd = new_image(j, dfd, j->g.root, j->size_kib, false);
	snprintf(tree, sizeof(tree), "%s/root", j->stage);
	if (j->src == SRC_EMPTY)
		run_ok((char *const[]){ "/sbin/mke2fs", "-q", "-F", "-t", "ext4",
		    "-L", j->name, "/dev/fd/3", NULL }, fd,
		    "mke2fs (is -s large enough?)");
	else
		run_ok((char *const[]){ "/sbin/mke2fs", "-q", "-F", "-t", "ext4",
		    "-L", j->name, "-d", tree, "/dev/fd/3", NULL }, fd,
		    "mke2fs (is -s large enough for SOURCE?)");
	own_image(j, fd, j->g.root);
	if (!j->swap_kib)
		return;
	dfd = image_dir(j, j->g.swap);
	fd = new_image(j, dfd, j->g.swap, j->swap_kib, true);
	run_ok((char *const[]){ "/sbin/mkswap", "-q", "-L", j->name, "/dev/fd/3",
	    NULL }, fd, "mkswap");
	own_image(j, fd, j->g.swap);
}

/* conf.d/uml.NAME (if create composed it) and init.d/uml.NAME. */
static void
service(const struct ctx *x, struct job *j)
{
	char name[NAME_LEN_MAX + 8], initd[PATH_LEN_MAX], err[512], *s;
	int cfd, ifd, fd;

	snprintf(name, sizeof(name), "uml.%s", j->name);
	if (j->new_conf) {
		if ((cfd = root_dir_open(x->confdir, 0, err, sizeof(err))) < 0)
			fail(EX_CONFIG, "%s", err);
		fd = openat(cfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (fd < 0)
			fail(EX_SYSTEM, "%s/%s: %s", x->confdir, name,
			    strerror(errno));
		remember(j, cfd, name, false);
		if (write_all(fd, j->conf, strlen(j->conf)) < 0 || fsync(fd) < 0 ||
		    close(fd) < 0)
			fail(EX_SYSTEM, "%s/%s: %s", x->confdir, name,
			    strerror(errno));
	}
	/* init.d beside conf.d, if the runscript is installed there. */
	snprintf(initd, sizeof(initd), "%s", x->confdir);
	if (!(s = strrchr(initd, '/')))
		return;
	snprintf(s, sizeof(initd) - (size_t)(s - initd), "/init.d");
	if ((ifd = root_dir_open(initd, 0, err, sizeof(err))) < 0 ||
	    faccessat(ifd, "uml", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (symlinkat("uml", ifd, name) == 0)
		remember(j, ifd, name, false);
	else if (errno != EEXIST)
		fail(EX_SYSTEM, "%s/%s: %s", initd, name, strerror(errno));
}

int
cmd_create(const struct ctx *x, int argc, char **argv)
{
	static struct job j;
	struct sigaction sa;
	char err[1024];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	j.name = argv[1];
	check_job(x, &j, argc, argv);
	the_job = &j;
	umask(022);
	if (j.src != SRC_EMPTY && j.src != SRC_BASE)
		stage(&j);
	make_disks(&j);
	signalled();
	service(x, &j);
	signalled();
	if (j.stage[0]) {
		(void)rmtree_at(j.stagefd, "root");
		close(j.stagefd);
		(void)rmdir(j.stage);
	}
	if (j.src == SRC_BASE)
		printf("%s: created; its ROOT, a COW file over BASE_IMAGE, is made "
		    "at its first start\n", j.name);
	else
		printf("%s: created %s%s%s\n", j.name, j.g.root, j.swap_kib ?
		    " and " : "", j.swap_kib ? j.g.swap : "");
	the_job = NULL;
	if (host_check(&j.g, &j.a, x->confdir, false, err, sizeof(err)) < 0)
		warnmsg("%s: warning: made, but it cannot start yet: %s", j.name,
		    err);
	return EX_OK;
}
