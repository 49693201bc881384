/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fakekernel: a stand-in for linux.uml, installed as KERNEL in tests.
 *
 * First it records what it was given (argv, environment, open fds, cwd,
 * umask, credentials) into the file named by fake.record=PATH, before it
 * opens anything else.  Then it acts like UML enough for umlctl: the
 * uml_dir/umid directory with a pid file and an mconsole socket, the
 * MC_NOTIFY_SOCKET notification, and a few mconsole commands (version,
 * cad, halt, reboot, sysrq s (its "Emergency Sync complete" at once),
 * sysrq u, stop and go (it says "paused" and "resumed" and runs on: a
 * pause seen in its console only; go unpaused is UML's "Not stopped"
 * error), proc mounts,
 * proc sys/kernel/ctrl-alt-del, config con0; anything else is an error).
 *
 * Knobs, as words on the command line (KERNEL_ARGS):
 *   fake.record=PATH     write the record to PATH
 *   fake.cad=ACTION      on cad: poweroff (default: exit 0 after 0.1 s),
 *                        ignore, reboot (a new MC_NOTIFY_SOCKET, same pid),
 *                        crash (MC_NOTIFY_PANIC "fake panic", exit 1),
 *                        segv (die by SIGSEGV, leaving uml_dir/umid behind),
 *                        hang (answer nothing more, ignore SIGTERM)
 *   fake.delay_ready=MS  wait before the first notification
 *   fake.noready         never send it
 *   fake.reply=MODE      malformed replies: garbage, short, biglen
 *   fake.panic_after=MS  panic that long after being ready
 *   fake.poweroff_after=MS  power off by itself (exit 0) that long after
 *                        being ready, as a guest running `poweroff' does
 *   fake.bigmounts       a `proc mounts' answer of several datagrams
 *   fake.slow_version=MS the first `version' is answered only after MS, as
 *                        by a kernel on a loaded host
 *   fake.escape          a child leaves the kernel's session and process
 *                        group, drops its parent-death signal and ignores
 *                        SIGTERM, SIGINT and SIGHUP, as a guest escaped
 *                        into the kernel could make one; it tries to
 *                        truncate its stdout (says how that went) and
 *                        prints "escapee alive" every 100 ms
 *   fake.tapattack       at boot, what a kernel taken over by USER would
 *                        try on its tap, fd 3: set its MAC, persistence,
 *                        owner, carrier; TIOCSTI on fd 0; close(3); and
 *                        prints "tapattack WHAT: RESULT" for each; then it
 *                        sends 5 broadcast frames of ethertype 0x88b5 with
 *                        another guest's source MAC, then 5 with its own
 *                        (vec0's mac= on the command line)
 *   fake.try=KIND:ARG    at boot, what a guest escaped into its kernel
 *                        would try (any number of these words), each
 *                        printed as "attack KIND:ARG: reached" or
 *                        "attack KIND:ARG: refused (ERROR)":
 *                        read:PATH, write:PATH (open, no create, no
 *                        truncation), create:DIR (a new file there,
 *                        removed again), exec:PATH (a child execs it),
 *                        kill:PID (signal 0), ptrace:PID (PTRACE_SEIZE,
 *                        then interrupt and detach), mem:PID (open
 *                        /proc/PID/mem), chmod:PATH (chmod to the
 *                        mode it has), utime:PATH (utimes to now),
 *                        sock:inet|inet6|netlink|unix (a
 *                        socket of that family), tcp:PORT (connect to
 *                        127.0.0.1:PORT), abstract:NAME (connect to the
 *                        abstract unix stream socket @NAME), dgram:PATH
 *                        (send a datagram to the unix socket PATH, e.g.
 *                        another guest's mconsole: UML answers "unknown
 *                        command" and nothing else happens),
 *                        fdtcp:PATH and fdbind:PATH (take an AF_INET
 *                        socket made outside from --passinet's socket
 *                        PATH, past the socket filter, and connect it to
 *                        127.0.0.1:PORT, PORT sent along with it, or
 *                        bind it to 127.0.0.1, port 0)
 *   fake.slowforge=MS    half a second after ready, a child prints
 *                        "partial " without a newline, waits MS, then "umlctl: NAME: stopped,
 *                        graceful (forged)" and a newline: a forgery that
 *                        spans a log rotation
 *   fake.nicfail         once ready, the console line the vector driver
 *                        prints when the tap transport cannot attach
 *   fake.nicfail=N       the same line followed by N bytes of `x' (a guest
 *                        may print any line that looks like a NIC error)
 *   fake.chatter=MS      a child prints "tick N" every MS ms, N from 1
 *   fake.linger          a child in the kernel's process group keeps the
 *                        kernel's fds (its taps) and outlives it, silent,
 *                        as a 6.1 kernel's processes outlive a kernel
 *                        killed by its parent-death signal
 *   fake.nodump          with fake.linger: that child is not dumpable
 *                        (PR_SET_DUMPABLE 0), so the files in its /proc/PID
 *                        are root's, as a dying UML kernel's become
 *   fake.slowexit=MS     with fake.linger: a tracer outside the kernel's
 *                        process group, that child's parent, says
 *                        "slowexit: holding" and holds it MS ms at its exit
 *                        (PTRACE_EVENT_EXIT, before its files are
 *                        closed), so that its disk locks outlive SIGKILL
 *                        as a 6.1 kernel's slow-dying processes' did
 *   fake.flood=KB        once ready, KB KiB of console lines, every 10th
 *                        a forged "umlctl: NAME: stopped, graceful" line,
 *                        and 200 /proc/mconsole lines (MC_NOTIFY_USER)
 *   fake.evil            what the guest chooses carries terminal escapes:
 *                        the version reply (its hostname), panic and notify
 *                        text, a console line
 *   fake.guest_ready=MS  the guest's init says `ready' on /proc/mconsole (a
 *                        MC_NOTIFY_USER) MS after the kernel is ready
 *   fake.panic_kind=KIND what a panic prints first, as a real kernel
 *                        would: fpu (a pre-6.13 kernel on an AMX host),
 *                        oom, noinit, noexec, lock (a disk locked by
 *                        another process), halt (6.1's fault after
 *                        "reboot: System halted"), haltlate (the same
 *                        with another line between) (default: "fake
 *                        panic" only)
 *   With fake.noready, fake.panic_after counts from boot: a kernel that
 *   dies before it answers.
 * SIGTERM or SIGINT: UML's last-ditch exit (status 1, no shutdown).
 * SIGUSR2: a panic now, as fake.panic_after's.
 *
 * fakekernel --sniff IFNAME SECONDS is no kernel: it prints the source MAC
 * of every frame of ethertype 0x88b5 seen on IFNAME for SECONDS, a line each.
 *
 * fakekernel --tunattach IFNAME is no kernel: it opens /dev/net/tun and
 * attaches to tap IFNAME (TUNSETIFF), as another process of USER could
 * try; exit status 0 if it attached, and says why not.
 *
 * fakekernel --syslog PATH OUT SECONDS is no kernel: a syslog daemon for
 * the tests, binding the datagram socket PATH (mode 0666) and appending
 * each message, a line each, to OUT, for SECONDS; then it removes PATH.
 *
 * fakekernel --listen NAME SECONDS is no kernel: it listens on a TCP port
 * of 127.0.0.1 and on the abstract unix stream socket @NAME, prints
 * "port N", then "tcp accepted" or "abstract accepted" for each
 * connection, for SECONDS (a target for fake.try=tcp: and abstract:).
 *
 * fakekernel --passinet PATH PORT SECONDS is no kernel: it listens on the
 * unix stream socket PATH (mode 0666) and sends each caller a new AF_INET
 * stream socket (SCM_RIGHTS) with PORT as its data, for SECONDS; then it
 * removes PATH (a source for fake.try=fdtcp: and fdbind:).
 *
 * fakekernel --notify PATH TYPE TEXT is no kernel: it sends one notification
 * (MC_NOTIFY_* TYPE, 0 socket, 1 panic, 3 user) to the notify socket PATH,
 * as a forger would; exit status 0 if it was sent.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mcproto.h"

#define VERSION_TEXT	"Linux fakekernel 1.0"
/* A title change, a bell, a screen clear and a colour, as a guest could
 * put in its hostname or its console. */
#define EVIL		"\033]0;owned\007\033[2J\033[31m"

/*
 * What umlctl reads from a kernel file (src/pure/kfacts.h): the release banner,
 * the help text of the vector and legacy network drivers, and the message
 * that comes with the vector driver's fd transport, and the config line of
 * a kernel with hostfs (HOSTFS is refused without it).  A test
 * that needs another release makes a file of its own.
 */
__attribute__((used)) static const char kernel_banner[] =
    "Linux version 7.2.0-fake (umlctl tests) #1\n"
    "vec[0-9]+:<option>=<value>,<option>=<value>\n"
    "eth[0-9]+=<transport>,<options>\n"
    "fd open: bad or missing fd argument\n"
    "CONFIG_HOSTFS=y\n";

/* Console lines of real panics (kernel 6.1 and 7.2), by fake.panic_kind. */
static const struct panic_kind {
	const char *name, *lines, *panic;
} panic_kinds[] = {
	{ "fpu", "userspace - ptrace set fp regs failed, errno = 14\n",
	  "Attempted to kill init! exitcode=0x0000000b" },
	{ "oom", "Out of memory and no killable processes...\n",
	  "System is deadlocked on memory" },
	{ "noinit", "Run /sbin/init as init process\n",
	  "No working init found.  Try passing init= option to kernel." },
	{ "noexec", "/dev/shm/ must be not mounted noexec\n", NULL },
	{ "lock", "F_SETLK failed, file already locked by pid 4242\n"
	  "Failed to lock '/root.loop', err = 11\n"
	  "Failed to open '/root.loop', errno = 11\n",
	  "VFS: Unable to mount root fs on unknown-block(98,0)" },
	/* 6.1's fault in its own halt path, after the guest's halt */
	{ "halt", "reboot: System halted\n\n",
	  "Kernel mode fault at addr 0x7ffffffff000, ip 0x6002fb78" },
	/* the same, with a line between: a crash after all */
	{ "haltlate", "reboot: System halted\nguest: still here\n",
	  "Kernel mode fault at addr 0x7ffffffff000, ip 0x6002fb78" },
};

extern char **environ;

enum cad_action { CAD_POWEROFF, CAD_IGNORE, CAD_REBOOT, CAD_CRASH, CAD_SEGV, CAD_HANG };
enum reply_mode { REPLY_OK, REPLY_GARBAGE, REPLY_SHORT, REPLY_BIGLEN };

struct fake {
	const char *umid, *umldir, *notify;
	enum cad_action cad;
	enum reply_mode reply;
	long delay_ready, panic_after, poweroff_after;	/* ms, -1 = never */
	long slow_version;				/* ms, -1 = not slow */
	long guest_ready;				/* ms, -1 = never */
	const struct panic_kind *panic_kind;
	bool noready, bigmounts, hung, ro, evil, escape;
	long chatter, flood, slowforge;			/* ms, KiB, ms; -1 = none */
	long nicpad;					/* bytes; -1 = none */
	bool nicfail, linger, nodump, paused;
	long slowexit;			/* ms; -1 = none */
	char dir[PATH_MAX], sock[PATH_MAX], pidfile[PATH_MAX];
	int fd;				/* the mconsole socket */
	/* pending events, in ms on the monotonic clock; 0 = none */
	long long ready_at, exit_at, reboot_at, ro_at, panic_at, user_at;
};

static volatile sig_atomic_t got_term, got_panic;

static void on_term(int sig) { (void)sig; got_term = 1; }
static void on_panic(int sig) { (void)sig; got_panic = 1; }

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Console output goes to stdout, which umlctl points at the console log. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fakekernel: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	va_end(ap);
}

static const char *arg_value(int argc, char **argv, const char *key)
{
	size_t n = strlen(key);

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0)
			return argv[i] + n;
	return NULL;
}

static bool arg_present(int argc, char **argv, const char *word)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], word) == 0)
			return true;
	return false;
}

/*
 * Everything a test wants to assert about how the kernel was started.
 * The fd list is taken first, so that only fds we inherited show up
 * (the directory's own fd is skipped).
 */
static void record(const char *path, int argc, char **argv)
{
	struct { int fd; char target[PATH_MAX]; } fds[64];
	int nfds = 0;
	DIR *d = opendir("/proc/self/fd");

	if (d != NULL) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL && nfds < 64) {
			char *target = fds[nfds].target;
			ssize_t n;
			if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
				continue;
			fds[nfds].fd = atoi(e->d_name);
			n = readlinkat(dirfd(d), e->d_name, target, PATH_MAX - 1);
			target[n < 0 ? 0 : n] = '\0';
			nfds++;
		}
		closedir(d);
	}
	mode_t mask = umask(0);
	umask(mask);

	FILE *out = fopen(path, "w");
	if (out == NULL) {
		perror(path);
		return;
	}
	for (int i = 0; i < argc; i++)
		fprintf(out, "argv %s\n", argv[i]);
	for (char **e = environ; *e != NULL; e++)
		fprintf(out, "env %s\n", *e);
	for (int i = 0; i < nfds; i++)
		fprintf(out, "fd %d %s\n", fds[i].fd, fds[i].target);
	char cwd[PATH_MAX];
	fprintf(out, "cwd %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	fprintf(out, "umask %04o\n", (unsigned)mask);

	static const char *const keys[] = { "Uid:", "Gid:", "Groups:", "Cap", "NoNewPrivs:", "Seccomp:",
	    "Umask:" };
	FILE *st = fopen("/proc/self/status", "r");
	char line[1024];
	while (st != NULL && fgets(line, sizeof(line), st) != NULL)
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strncmp(line, keys[k], strlen(keys[k])) == 0)
				fputs(line, out);
	if (st != NULL)
		fclose(st);
	/* Its terminal, as an attacker would look for one: the session, and
	 * whether /dev/tty opens and takes TIOCSTI. */
	fprintf(out, "session %d pid %d\n", (int)getsid(0), (int)getpid());
	int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	char c = '#';
	if (tty < 0)
		fprintf(out, "tty none (%s)\n", strerror(errno));
	else {
		fprintf(out, "tty open, TIOCSTI %s\n",
		    ioctl(tty, TIOCSTI, &c) == 0 ? "worked" : strerror(errno));
		close(tty);
	}
	fclose(out);
}

static int notify(const struct fake *f, int type, const char *text)
{
	struct {
		uint32_t magic, version;
		int32_t type;
		uint32_t len;
		char data[MC_DATA_MAX];
	} p = { MC_MAGIC, MC_VERSION, type, 0, { 0 } };
	struct sockaddr_un to = { .sun_family = AF_UNIX };
	size_t len = strlen(text) + 1;
	int r = -1;

	if (f->notify == NULL)
		return -1;
	if (len > sizeof(p.data))
		len = sizeof(p.data);
	p.len = (uint32_t)len;
	memcpy(p.data, text, len);
	snprintf(to.sun_path, sizeof(to.sun_path), "%s", f->notify);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || (r = (int)sendto(s, &p, MC_NOTIFY_HDR + len, 0, (struct sockaddr *)&to,
	    sizeof(to))) < 0)
		say("notify %s: %s", f->notify, strerror(errno));
	if (s >= 0)
		close(s);
	return r < 0 ? -1 : 0;
}

static void cleanup(const struct fake *f)
{
	if (f->dir[0] == '\0')
		return;
	unlink(f->sock);
	unlink(f->pidfile);
	rmdir(f->dir);
}

/* One reply datagram or several, as mconsole_reply_len() in the kernel. */
static void reply(const struct fake *f, const struct sockaddr_un *to, socklen_t tolen,
    uint32_t err, const char *text)
{
	struct { uint32_t err, more, len; char data[MC_DATA_MAX]; } r;
	size_t total = strlen(text);

	do {
		size_t n = total < MC_DATA_MAX - 1 ? total : MC_DATA_MAX - 1;
		size_t size;
		r.err = err;
		r.more = n < total;
		memcpy(r.data, text, n);
		r.data[n] = '\0';
		r.len = (uint32_t)n + 1;
		size = MC_REPLY_HDR + r.len;
		switch (f->reply) {
		case REPLY_OK:
			break;
		case REPLY_GARBAGE:
			memset(&r, 0xa5, sizeof(r));
			size = sizeof(r);
			break;
		case REPLY_SHORT:
			size = 5;
			break;
		case REPLY_BIGLEN:
			r.len = 100000;
			break;
		}
		sendto(f->fd, &r, size, 0, (const struct sockaddr *)to, tolen);
		text += n;
		total -= n;
	} while (total > 0);
}

static void mounts(const struct fake *f, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "/dev/root / ext2 %s 0 0\n"
	    "proc /proc proc rw,nosuid,nodev,noexec 0 0\n", f->ro ? "ro" : "rw");

	/* Long enough to need several datagrams. */
	for (int i = 0; f->bigmounts && i < 40 && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off,
		    "tmpfs /mnt/fake%02d tmpfs rw,relatime 0 0\n", i);
}

static void on_cad(struct fake *f)
{
	switch (f->cad) {
	case CAD_POWEROFF:
		say("cad: powering off");
		f->exit_at = now_ms() + 100;
		break;
	case CAD_IGNORE:
		say("cad: ignored");
		break;
	case CAD_REBOOT:
		say("cad: rebooting");
		f->ro = false;
		f->reboot_at = now_ms() + 200;
		break;
	case CAD_CRASH:
		f->panic_at = now_ms() + 50;
		break;
	case CAD_SEGV:
		say("cad: segfault");
		raise(SIGSEGV);
		break;
	case CAD_HANG:
		break;
	}
}

static void serve_one(struct fake *f)
{
	struct mc_request req;
	struct sockaddr_un from;
	socklen_t fromlen = sizeof(from);
	ssize_t n = recvfrom(f->fd, &req, sizeof(req), 0, (struct sockaddr *)&from, &fromlen);
	char cmd[MC_DATA_MAX + 1], buf[4096];

	if (n < 0 || f->hung)
		return;
	if ((size_t)n < MC_REPLY_HDR || req.magic != MC_MAGIC || req.version != MC_VERSION ||
	    req.len >= MC_DATA_MAX || req.len > (size_t)n - MC_REPLY_HDR) {
		say("bad request of %zd bytes", n);
		return;
	}
	memcpy(cmd, req.data, req.len);
	cmd[req.len] = '\0';
	say("mconsole: %s", cmd);

	if (strcmp(cmd, "version") == 0) {
		if (f->slow_version > 0) {
			struct timespec ts = { f->slow_version / 1000,
			    (f->slow_version % 1000) * 1000000 };

			nanosleep(&ts, NULL);
			f->slow_version = -1;
		}
		reply(f, &from, fromlen, 0, f->evil ? VERSION_TEXT " " EVIL :
		    VERSION_TEXT);
	} else if (strcmp(cmd, "cad") == 0) {
		if (f->cad == CAD_HANG) {
			say("cad: hanging");
			f->hung = true;
			signal(SIGTERM, SIG_IGN);	/* a hung kernel only dies by SIGKILL */
			signal(SIGINT, SIG_IGN);
			return;
		}
		reply(f, &from, fromlen, 0, "");
		on_cad(f);
	} else if (strcmp(cmd, "halt") == 0) {
		reply(f, &from, fromlen, 0, "");
		say("halt");
		cleanup(f);
		exit(0);
	} else if (strcmp(cmd, "reboot") == 0) {
		reply(f, &from, fromlen, 0, "");
		say("reboot");
		f->ro = false;
		f->reboot_at = now_ms() + 200;
	} else if (strcmp(cmd, "sysrq s") == 0) {
		reply(f, &from, fromlen, 0, "sysrq: Emergency Sync\n");
		say("Emergency Sync complete");
	} else if (strcmp(cmd, "stop") == 0 || (strcmp(cmd, "go") == 0 &&
	    f->paused)) {
		f->paused = cmd[0] == 's';
		reply(f, &from, fromlen, 0, "");
		say("%s", f->paused ? "paused" : "resumed");
	} else if (strcmp(cmd, "go") == 0) {
		reply(f, &from, fromlen, 1, "Not stopped");
	} else if (strcmp(cmd, "sysrq u") == 0) {
		/* Like the kernel: the remount is queued, not done, when we answer. */
		reply(f, &from, fromlen, 0, "sysrq: Emergency Remount R/O\n");
		f->ro_at = now_ms() + 20;
	} else if (strcmp(cmd, "proc mounts") == 0 ||
	    strcmp(cmd, "proc 1/mounts") == 0) {
		mounts(f, buf, sizeof(buf));
		reply(f, &from, fromlen, 0, buf);
	} else if (strcmp(cmd, "proc sys/kernel/ctrl-alt-del") == 0) {
		reply(f, &from, fromlen, 0, "0\n");	/* init handles cad */
	} else if (strcmp(cmd, "config con0") == 0) {
		reply(f, &from, fromlen, 0, "fd:0,fd:1");
	} else {
		reply(f, &from, fromlen, 1, "unknown command");
	}
}

static long knob_ms(int argc, char **argv, const char *key)
{
	const char *v = arg_value(argc, argv, key);

	return v != NULL ? strtol(v, NULL, 10) : -1;
}

static void parse_knobs(struct fake *f, int argc, char **argv)
{
	static const char *const cads[] = { "poweroff", "ignore", "reboot", "crash", "segv",
	    "hang" };
	static const char *const replies[] = { "ok", "garbage", "short", "biglen" };
	const char *v;

	f->umid = arg_value(argc, argv, "umid=");
	f->umldir = arg_value(argc, argv, "uml_dir=");
	f->notify = arg_value(argc, argv, "mconsole=notify:");
	if ((v = arg_value(argc, argv, "fake.cad=")) != NULL)
		for (size_t i = 0; i < sizeof(cads) / sizeof(cads[0]); i++)
			if (strcmp(v, cads[i]) == 0)
				f->cad = (enum cad_action)i;
	if ((v = arg_value(argc, argv, "fake.reply=")) != NULL)
		for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++)
			if (strcmp(v, replies[i]) == 0)
				f->reply = (enum reply_mode)i;
	f->delay_ready = knob_ms(argc, argv, "fake.delay_ready=");
	f->panic_after = knob_ms(argc, argv, "fake.panic_after=");
	f->poweroff_after = knob_ms(argc, argv, "fake.poweroff_after=");
	f->noready = arg_present(argc, argv, "fake.noready");
	f->bigmounts = arg_present(argc, argv, "fake.bigmounts");
	f->slow_version = knob_ms(argc, argv, "fake.slow_version=");
	f->guest_ready = knob_ms(argc, argv, "fake.guest_ready=");
	f->evil = arg_present(argc, argv, "fake.evil");
	f->escape = arg_present(argc, argv, "fake.escape");
	f->chatter = knob_ms(argc, argv, "fake.chatter=");
	f->flood = knob_ms(argc, argv, "fake.flood=");
	f->nicpad = knob_ms(argc, argv, "fake.nicfail=");
	f->nicfail = arg_present(argc, argv, "fake.nicfail") || f->nicpad >= 0;
	f->linger = arg_present(argc, argv, "fake.linger");
	f->nodump = arg_present(argc, argv, "fake.nodump");
	f->slowexit = knob_ms(argc, argv, "fake.slowexit=");
	f->slowforge = knob_ms(argc, argv, "fake.slowforge=");
	if ((v = arg_value(argc, argv, "fake.panic_kind=")) != NULL)
		for (size_t i = 0; i < sizeof(panic_kinds) / sizeof(panic_kinds[0]); i++)
			if (strcmp(v, panic_kinds[i].name) == 0)
				f->panic_kind = &panic_kinds[i];
	if (f->umid == NULL)
		f->umid = "fake";
}

/* As UML: a umid whose pid file names a live process is taken. */
static bool umid_in_use(const char *pidfile)
{
	FILE *p = fopen(pidfile, "r");
	long pid = 0;

	if (p == NULL)
		return false;
	if (fscanf(p, "%ld", &pid) != 1)
		pid = 0;
	fclose(p);
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* buf = a/b; -1 if it does not fit. */
static int join(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s/%s", a, b);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int setup(struct fake *f)
{
	char home[PATH_MAX], rnd[32];
	const char *base = f->umldir;
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	if (base == NULL) {
		snprintf(home, sizeof(home), "%s/.uml", getenv("HOME") ? getenv("HOME") : "/");
		base = home;
	}
	mkdir(base, 0777);
	if (join(f->dir, sizeof(f->dir), base, f->umid) < 0 ||
	    join(f->pidfile, sizeof(f->pidfile), f->dir, "pid") < 0)
		return -1;
	if (umid_in_use(f->pidfile)) {
		snprintf(rnd, sizeof(rnd), "fake%ld", (long)getpid());
		say("umid %s is in use, falling back to %s", f->umid, rnd);
		if (join(f->dir, sizeof(f->dir), base, rnd) < 0 ||
		    join(f->pidfile, sizeof(f->pidfile), f->dir, "pid") < 0)
			return -1;
	}
	if (join(f->sock, sizeof(f->sock), f->dir, "mconsole") < 0)
		return -1;
	unlink(f->sock);
	unlink(f->pidfile);
	if (mkdir(f->dir, 0777) < 0 && errno != EEXIST) {
		say("mkdir %s: %s", f->dir, strerror(errno));
		return -1;
	}
	FILE *p = fopen(f->pidfile, "w");
	if (p == NULL || fprintf(p, "%ld\n", (long)getpid()) < 0 || fclose(p) != 0) {
		say("%s: %s", f->pidfile, strerror(errno));
		return -1;
	}
	if (strlen(f->sock) >= sizeof(a.sun_path)) {
		say("%s: path too long for a socket", f->sock);
		return -1;
	}
	strcpy(a.sun_path, f->sock);
	f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (f->fd < 0 || bind(f->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		say("mconsole %s: %s", f->sock, strerror(errno));
		return -1;
	}
	return 0;
}

/* The earliest pending event, as a ppoll timeout. */
static struct timespec *next_timeout(const struct fake *f, struct timespec *ts)
{
	long long ev[] = { f->ready_at, f->exit_at, f->reboot_at, f->ro_at,
	    f->panic_at, f->user_at };
	long long first = 0;

	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		if (ev[i] != 0 && (first == 0 || ev[i] < first))
			first = ev[i];
	if (first == 0)
		return NULL;
	long long d = first - now_ms();
	if (d < 0)
		d = 0;
	ts->tv_sec = d / 1000;
	ts->tv_nsec = (d % 1000) * 1000000;
	return ts;
}

/* fake.flood: a guest that writes its console, and /proc/mconsole, fast. */
static void flood(const struct fake *f)
{
	char line[128];
	long i, n = f->flood * 1024 / 64;

	for (i = 0; i < 200; i++) {
		snprintf(line, sizeof(line), "flood %ld", i);
		notify(f, MC_NOTIFY_USER, line);
	}
	for (i = 0; i < n; i++) {
		int len = i % 10 == 9 ?
		    snprintf(line, sizeof(line), "umlctl: %s: stopped, graceful %07ld\n",
		    f->umid, i) :
		    snprintf(line, sizeof(line), "flood line %07ld ................"
		    "..............................\n", i);

		if (write(1, line, (size_t)len) < 0)
			break;
	}
}

/* 5 broadcast frames of ethertype 0x88b5 from src, on the tap (fd 3). */
static void frames(const unsigned char src[6])
{
	unsigned char f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	for (int i = 0; i < 5; i++)
		if (write(3, f, sizeof(f)) < 0)
			say("tapattack frame: %s", strerror(errno));
}

/* --sniff IFNAME SECONDS */
static int sniff(const char *ifname, int seconds)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(0x88b5), .sll_ifindex = (int)if_nametoindex(ifname) };
	int fd = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));
	long long end = now_ms() + seconds * 1000LL;
	unsigned char f[2048];

	if (fd < 0 || a.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror(ifname);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 100) == 1 && recv(fd, f, sizeof(f), 0) >= 14)
			printf("%02x:%02x:%02x:%02x:%02x:%02x\n", f[6], f[7], f[8],
			    f[9], f[10], f[11]);
	}
	return 0;
}

/* vec0's mac= from the command line, or none. */
static bool own_mac(int argc, char **argv, unsigned char mac[6])
{
	const char *v = arg_value(argc, argv, "vec0:");
	const char *m = v ? strstr(v, "mac=") : NULL;
	unsigned x[6];

	if (m == NULL || sscanf(m + 4, "%x:%x:%x:%x:%x:%x", &x[0], &x[1], &x[2],
	    &x[3], &x[4], &x[5]) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)x[i];
	return true;
}

/* fake.tapattack: each try, and what came of it. */
static void tapattack(int argc, char **argv)
{
	static const unsigned char other[6] = { 0x52, 0x54, 0x00, 0x66, 0x66, 0x66 };
	unsigned char mine[6];
	struct ifreq ifr = { .ifr_hwaddr = { .sa_family = ARPHRD_ETHER,
	    .sa_data = { 0x52, 0x54, 0x00, 0x66, 0x66, 0x66 } } };
	char c = 'x';

	say("tapattack SIOCSIFHWADDR: %s", ioctl(3, SIOCSIFHWADDR, &ifr) < 0 ?
	    strerror(errno) : "done");
	say("tapattack TUNSETPERSIST: %s", ioctl(3, TUNSETPERSIST, 1UL) < 0 ?
	    strerror(errno) : "done");
	say("tapattack TUNSETOWNER: %s", ioctl(3, TUNSETOWNER,
	    (unsigned long)getuid()) < 0 ? strerror(errno) : "done");
	say("tapattack TUNSETCARRIER: %s", ioctl(3, TUNSETCARRIER, &(int){ 0 }) < 0 ?
	    strerror(errno) : "done");
	say("tapattack TIOCSTI: %s", ioctl(0, TIOCSTI, &c) < 0 ?
	    strerror(errno) : "done");
	say("tapattack close: %s", close(3) < 0 ? strerror(errno) : "returned 0");
	say("tapattack fd 3 afterwards: %s", fcntl(3, F_GETFD) < 0 ?
	    strerror(errno) : "still open");
	frames(other);
	poll(NULL, 0, 300);
	if (own_mac(argc, argv, mine))
		frames(mine);
	say("tapattack frames: sent");
}

/* fake.try=exec:PATH: 0 if a child could exec PATH, else -1 and errno. */
static int try_exec(const char *path)
{
	int p[2], e = 0, st;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		char arg0[PATH_MAX];
		char *av[] = { arg0, NULL };

		snprintf(arg0, sizeof(arg0), "%s", path);
		execve(path, av, environ);
		e = errno;
		(void)!write(p[1], &e, sizeof(e));
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &e, sizeof(e)) != (ssize_t)sizeof(e))
		e = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	errno = e;
	return e ? -1 : 0;
}

/* fake.try=ptrace:PID: seize, and let it go again. */
static int try_ptrace(pid_t pid)
{
	int st;

	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0)
		return -1;
	ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	waitpid(pid, &st, __WALL);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	return 0;
}

static int try_socket(const char *fam)
{
	int fd = -1;

	if (strcmp(fam, "inet") == 0)
		fd = socket(AF_INET, SOCK_DGRAM, 0);
	else if (strcmp(fam, "inet6") == 0)
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
	else if (strcmp(fam, "netlink") == 0)
		fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	else if (strcmp(fam, "unix") == 0)
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	else
		errno = EINVAL;
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static int try_connect(int fam, const struct sockaddr *a, socklen_t len)
{
	int fd = socket(fam, SOCK_STREAM, 0), r, e;

	if (fd < 0)
		return -1;
	r = connect(fd, a, len);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

static int try_tcp(const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)atoi(port)),
	    .sin_addr = { htonl(INADDR_LOOPBACK) } };

	return try_connect(AF_INET, (struct sockaddr *)&a, sizeof(a));
}

static int try_abstract(const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t n = strlen(name);

	if (n + 1 > sizeof(a.sun_path))
		n = sizeof(a.sun_path) - 1;
	memcpy(a.sun_path + 1, name, n);
	return try_connect(AF_UNIX, (struct sockaddr *)&a,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n));
}

static int try_dgram(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), e;
	ssize_t n;

	if (fd < 0)
		return -1;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	n = sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof(a));
	e = errno;
	close(fd);
	errno = e;
	return n == 1 ? 0 : -1;
}

/* fdtcp:PATH, fdbind:PATH: an AF_INET socket from --passinet, and the
 * port to connect it to; the socket, or -1 with errno. */
static int take_inet(const char *path, int *port)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char data[16] = "", cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { data, sizeof(data) - 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), fd = -1, e;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (u < 0 || connect(u, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    recvmsg(u, &m, MSG_CMSG_CLOEXEC) <= 0) {
		e = errno;
		close(u);
		errno = e;
		return -1;
	}
	close(u);
	c = CMSG_FIRSTHDR(&m);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	*port = atoi(data);
	return fd;
}

static int try_passed(const char *kind, const char *path)
{
	int port, fd = take_inet(path, &port), r, e;
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_addr = { htonl(INADDR_LOOPBACK) } };

	if (fd < 0)
		return -1;
	if (strcmp(kind, "fdtcp") == 0) {
		a.sin_port = htons((uint16_t)port);
		r = connect(fd, (struct sockaddr *)&a, sizeof(a));
	} else {
		r = bind(fd, (struct sockaddr *)&a, sizeof(a));
	}
	e = errno;
	close(fd);
	errno = e;
	return r;
}

static int try_one(const char *kind, const char *arg)
{
	char path[PATH_MAX];
	int fd;

	if (strcmp(kind, "read") == 0 || strcmp(kind, "write") == 0) {
		fd = open(arg, (kind[0] == 'r' ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
		return fd < 0 ? -1 : close(fd);
	}
	if (strcmp(kind, "create") == 0) {
		snprintf(path, sizeof(path), "%s/fake-attack.%d", arg, (int)getpid());
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
			return -1;
		close(fd);
		return unlink(path);
	}
	if (strcmp(kind, "chmod") == 0) {
		struct stat st;

		return stat(arg, &st) < 0 ? -1 : chmod(arg, st.st_mode & 07777);
	}
	if (strcmp(kind, "utime") == 0)
		return utimes(arg, NULL);
	if (strcmp(kind, "exec") == 0)
		return try_exec(arg);
	if (strcmp(kind, "kill") == 0)
		return kill((pid_t)atoi(arg), 0);
	if (strcmp(kind, "ptrace") == 0)
		return try_ptrace((pid_t)atoi(arg));
	if (strcmp(kind, "mem") == 0) {
		snprintf(path, sizeof(path), "/proc/%s/mem", arg);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		return fd < 0 ? -1 : close(fd);
	}
	if (strcmp(kind, "sock") == 0)
		return try_socket(arg);
	if (strcmp(kind, "tcp") == 0)
		return try_tcp(arg);
	if (strcmp(kind, "abstract") == 0)
		return try_abstract(arg);
	if (strcmp(kind, "dgram") == 0)
		return try_dgram(arg);
	if (strcmp(kind, "fdtcp") == 0 || strcmp(kind, "fdbind") == 0)
		return try_passed(kind, arg);
	errno = EINVAL;
	return -1;
}

/* fake.try=KIND:ARG, every one of them, in order. */
static void attack(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char kind[16];
		const char *w = argv[i], *colon;

		if (strncmp(w, "fake.try=", 9) != 0)
			continue;
		w += 9;
		if ((colon = strchr(w, ':')) == NULL || (size_t)(colon - w) >= sizeof(kind))
			continue;
		memcpy(kind, w, (size_t)(colon - w));
		kind[colon - w] = '\0';
		if (try_one(kind, colon + 1) == 0)
			say("attack %s: reached", w);
		else
			say("attack %s: refused (%s)", w, strerror(errno));
	}
}

/* --listen NAME SECONDS */
static int listener(const char *name, int seconds)
{
	struct sockaddr_in in = { .sin_family = AF_INET,
	    .sin_addr = { htonl(INADDR_LOOPBACK) } };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(in);
	long long end = now_ms() + seconds * 1000LL;
	int t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	size_t n = strlen(name) < sizeof(un.sun_path) - 1 ? strlen(name) :
	    sizeof(un.sun_path) - 1;

	memcpy(un.sun_path + 1, name, n);
	if (t < 0 || u < 0 || bind(t, (struct sockaddr *)&in, sizeof(in)) < 0 ||
	    listen(t, 8) < 0 || getsockname(t, (struct sockaddr *)&in, &len) < 0 ||
	    bind(u, (struct sockaddr *)&un, (socklen_t)(offsetof(struct
	    sockaddr_un, sun_path) + 1 + n)) < 0 || listen(u, 8) < 0) {
		perror("listen");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("port %d\n", ntohs(in.sin_port));
	while (now_ms() < end) {
		struct pollfd p[2] = { { .fd = t, .events = POLLIN },
		    { .fd = u, .events = POLLIN } };

		if (poll(p, 2, (int)(end - now_ms())) <= 0)
			continue;
		for (int i = 0; i < 2; i++) {
			int c;

			if (!(p[i].revents & POLLIN) || (c = accept(p[i].fd, NULL,
			    NULL)) < 0)
				continue;
			printf("%s accepted\n", i == 0 ? "tcp" : "abstract");
			close(c);
		}
	}
	return 0;
}

/* --passinet PATH PORT SECONDS */
static int passinet(const char *path, const char *port, int seconds)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	long long end = now_ms() + seconds * 1000LL;
	int u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char pbuf[16];

	snprintf(pbuf, sizeof(pbuf), "%s", port);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    chmod(path, 0666) < 0 || listen(u, 8) < 0) {
		perror(path);
		return 1;
	}
	while (now_ms() < end) {
		struct pollfd p = { .fd = u, .events = POLLIN };
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { pbuf, strlen(pbuf) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
		    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
		int c, in;

		if (poll(&p, 1, 200) <= 0 || (c = accept(u, NULL, NULL)) < 0)
			continue;
		if ((in = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0) {
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &in, sizeof(in));
			if (sendmsg(c, &m, MSG_NOSIGNAL) < 0)
				perror("sendmsg");
			close(in);
		}
		close(c);
	}
	unlink(path);
	return 0;
}

/* --syslog PATH OUT SECONDS */
static int syslogd(const char *path, const char *out, int seconds)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	long long end = now_ms() + seconds * 1000LL;
	char buf[2048];
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	FILE *f = fopen(out, "a");

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd < 0 || f == NULL || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    chmod(path, 0666) < 0) {
		perror(path);
		return 1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	while (now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
			buf[n] = '\0';
			fprintf(f, "%s\n", buf);
		}
	}
	unlink(path);
	return 0;
}

/* --tunattach IFNAME: attach to a tap as this (unprivileged) process. */
static int tunattach(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd = open("/dev/net/tun", O_RDWR);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
		printf("tunattach %s: %s\n", name, strerror(errno));
		return 1;
	}
	printf("tunattach %s: attached\n", name);
	return 0;
}

/* A child that writes its console every ms ms: "tick 1", "tick 2", ... */
static void chatter(long ms)
{
	char line[64];
	long n;

	if (fork() != 0)
		return;
	for (n = 1;; n++) {
		int len = snprintf(line, sizeof(line), "tick %ld\n", n);

		if (write(1, line, (size_t)len) < 0)
			_exit(1);
		poll(NULL, 0, (int)ms);
	}
}

/* fake.linger's child: keeps every fd and waits to be killed; with
 * fake.nodump, not dumpable. */
static void lingerer(bool nodump)
{
	signal(SIGPIPE, SIG_IGN);
	if (nodump)
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	for (;;)
		pause();
}

/*
 * fake.slowexit: fork the lingering child (in the kernel's process group),
 * leave that group, trace the child (its parent may, whatever Yama's
 * ptrace_scope), tell the kernel on ready, drop every descriptor; at the
 * child's exit stop, wait ms, then exit, which lets it go.
 */
static void exit_holder(long ms, bool nodump, int ready)
{
	pid_t child = fork();
	int st;

	if (child == 0) {
		close(ready);
		lingerer(nodump);
	}
	setpgid(0, 0);
	if (child < 0 || ptrace(PTRACE_SEIZE, child, 0, PTRACE_O_TRACEEXIT) < 0) {
		say("slowexit: cannot trace: %s", strerror(errno));
		_exit(1);
	}
	say("slowexit: holding");
	/* Only the traced child holds the kernel's descriptors (its disk
	 * locks) once the kernel goes on. */
	if (dup2(ready, 0) < 0 || close_range(1, ~0U, 0) < 0)
		for (int fd = 1; fd < 4096; fd++)
			close(fd);
	(void)!write(0, "s", 1);
	close(0);
	while (waitpid(child, &st, __WALL) == child) {
		if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			poll(NULL, 0, (int)ms);
			_exit(0);
		}
		ptrace(PTRACE_CONT, child, 0, WIFSTOPPED(st) ? WSTOPSIG(st) : 0);
	}
	_exit(0);
}

/* fake.linger: a child that keeps every fd and waits to be killed; with
 * slow_ms > 0, held that long at its exit, traced before we go on. */
static void linger(long slow_ms, bool nodump)
{
	int p[2];
	char c;

	if (slow_ms <= 0 || pipe(p) < 0) {
		if (fork() == 0)
			lingerer(nodump);
		return;
	}
	if (fork() == 0) {
		close(p[0]);
		exit_holder(slow_ms, nodump, p[1]);
	}
	close(p[1]);
	(void)!read(p[0], &c, 1);
	close(p[0]);
}

/* fake.escape: out of the kernel's session, deaf to signals, and busy. */
static void escapee(void)
{
	if (fork() != 0)
		return;
	setsid();
	prctl(PR_SET_PDEATHSIG, 0);
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (ftruncate(1, 0) < 0)
		say("escapee: ftruncate stdout: %s", strerror(errno));
	else
		say("escapee: ftruncate stdout: done");
	for (;;) {
		say("escapee alive");
		poll(NULL, 0, 100);
	}
}

static void ready(struct fake *f)
{
	say("mconsole (version 2) initialized on %s", f->sock);
	notify(f, MC_NOTIFY_SOCKET, f->sock);
	if (f->nicfail) {
		printf("uml_tap: failed to create tun interface: -1");
		for (long i = 0; i < f->nicpad; i++)
			putchar('x');
		printf("\r\n");
	}
	if (f->slowforge > 0 && fork() == 0) {
		char line[128];
		int n;

		/* After the supervisor's first `version' and our line
		 * about it, so that no line of ours cuts into this one. */
		poll(NULL, 0, 500);
		(void)!write(1, "partial ", 8);
		poll(NULL, 0, (int)f->slowforge);
		n = snprintf(line, sizeof(line), "umlctl: %s: stopped, graceful "
		    "(forged)\n", f->umid);
		(void)!write(1, line, (size_t)n);
		_exit(0);
	}
	f->slowforge = 0;
	/* A child, as a guest's process: the kernel keeps answering. */
	if (f->flood > 0 && fork() == 0) {
		flood(f);
		_exit(0);
	}
	f->flood = 0;
	if (f->panic_after >= 0 && f->panic_at == 0)
		f->panic_at = now_ms() + f->panic_after;
	if (f->poweroff_after >= 0 && f->exit_at == 0)
		f->exit_at = now_ms() + f->poweroff_after;
	if (f->guest_ready >= 0 && f->user_at == 0)
		f->user_at = now_ms() + f->guest_ready;
}

static void run_events(struct fake *f)
{
	long long t = now_ms();

	if (f->ready_at != 0 && f->ready_at <= t) {
		f->ready_at = 0;
		ready(f);
	}
	if (f->user_at != 0 && f->user_at <= t) {
		f->user_at = 0;
		say("guest: up");
		notify(f, MC_NOTIFY_USER, f->evil ? "ready " EVIL : "ready");
	}
	if (f->ro_at != 0 && f->ro_at <= t) {
		f->ro_at = 0;
		f->ro = true;
		say("Emergency Remount complete");
	}
	if (f->reboot_at != 0 && f->reboot_at <= t) {
		f->reboot_at = 0;
		say("reboot: Restarting system");
		f->ready_at = now_ms() + 100;
	}
	if (f->exit_at != 0 && f->exit_at <= t) {
		say("reboot: Power down");
		cleanup(f);
		exit(0);
	}
	if (f->panic_at != 0 && f->panic_at <= t) {
		const char *why = f->evil ? "fake panic " EVIL : "fake panic";

		if (f->panic_kind) {
			fputs(f->panic_kind->lines, stdout);
			why = f->panic_kind->panic;
		}
		if (why) {
			say("Kernel panic - not syncing: %s", why);
			notify(f, MC_NOTIFY_PANIC, why);
		}
		cleanup(f);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct fake f = { .fd = -1 };
	const char *rec = arg_value(argc, argv, "fake.record=");
	sigset_t block, empty;

	/* Not a kernel: send one notification (a forgery, for the tests). */
	if (argc == 5 && strcmp(argv[1], "--syslog") == 0)
		return syslogd(argv[2], argv[3], atoi(argv[4]));
	if (argc == 4 && strcmp(argv[1], "--sniff") == 0)
		return sniff(argv[2], atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "--listen") == 0)
		return listener(argv[2], atoi(argv[3]));
	if (argc == 5 && strcmp(argv[1], "--passinet") == 0)
		return passinet(argv[2], argv[3], atoi(argv[4]));
	if (argc == 3 && strcmp(argv[1], "--tunattach") == 0)
		return tunattach(argv[2]);
	if (argc == 5 && strcmp(argv[1], "--notify") == 0) {
		struct fake n = { .notify = argv[2] };

		return notify(&n, atoi(argv[3]), argv[4]) < 0;
	}
	if (rec != NULL)
		record(rec, argc, argv);
	parse_knobs(&f, argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	say("booting umid=%s", f.umid);
	if (f.evil)
		say("console line " EVIL);
	setsid();
	if (arg_present(argc, argv, "fake.tapattack"))
		tapattack(argc, argv);
	attack(argc, argv);
	if (f.escape)
		escapee();
	if (f.chatter > 0)
		chatter(f.chatter);
	if (f.linger)
		linger(f.slowexit, f.nodump);

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &empty);
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_panic;
	sigaction(SIGUSR2, &sa, NULL);

	if (setup(&f) < 0) {
		cleanup(&f);
		return 1;
	}
	if (!f.noready)
		f.ready_at = now_ms() + (f.delay_ready > 0 ? f.delay_ready : 0) + 1;
	else if (f.panic_after >= 0)
		f.panic_at = now_ms() + f.panic_after;

	for (;;) {
		struct pollfd p = { .fd = f.fd, .events = POLLIN };
		struct timespec ts;
		int n = ppoll(&p, 1, next_timeout(&f, &ts), &empty);

		if (got_term) {
			/* UML's last_ditch_exit(): no guest shutdown, no sync. */
			say("last ditch exit");
			cleanup(&f);
			return 1;
		}
		if (n > 0 && (p.revents & POLLIN))
			serve_one(&f);
		if (got_panic && f.panic_at == 0)
			f.panic_at = now_ms();
		if (!f.hung)
			run_events(&f);
	}
}
