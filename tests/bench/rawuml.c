/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rawuml.c: the benchmark's baseline, "the kernel run by hand".
 *
 *   rawuml NOTIFY USER NETNS[:TAP:BRIDGE] FIFO LOG TIMEOUT TAG -- KERNEL ARG...
 *
 * Binds the notify socket NOTIFY (the kernel's argv must hold
 * mconsole=notify:NOTIFY), enters network namespace NETNS ("-": stays),
 * with NETNS:TAP:BRIDGE also makes the tap TAP for USER and brings it up
 * in BRIDGE the shortest way (the ioctls and the one RTM_NEWLINK umlctl
 * uses, no checks: what a script would do with `ip tuntap add' and `ip link
 * set', without their processes), gives the kernel its descriptor as fd 3
 * (umlctl's fd transport: the argv's vec0:transport=fd,fd=3), and removes
 * it after the kernel's exit
 * (one RTM_DELLINK, as umlctl does: `ip link del'), and forks the kernel as
 * USER (USER's groups, stdin /dev/null, stdout and stderr to LOG, cwd /,
 * umask 077, the environment umlctl gives it).  It
 * then sleeps in poll() until the kernel's MCONSOLE_SOCKET notification
 * arrives and the kernel answers `version' on that socket: the readiness
 * umlctl waits for, found the same event-driven way, so the baseline has
 * no polling interval of its own.  After that it goes on sleeping in
 * poll() on the notify socket and the kernel's pidfd until the guest's
 * init writes `ready' to /proc/mconsole (an MCONSOLE_USER_NOTIFY, type 3,
 * "ready"): the moment the guest's userspace is up, again found without
 * polling.  Lines written to FIFO, with EXEC the time of the fork and NOW
 * the time of the event (CLOCK_REALTIME, ms; US: NOW in microseconds, taken
 * as soon as the event was seen):
 *
 *   TAG ready KPID EXEC NOW US       the kernel answered `version'
 *   TAG up KPID EXEC NOW US          the guest's init wrote `ready' to
 *                                    /proc/mconsole
 *   TAG noup KPID EXEC NOW US [WHY]  ... it did not within TIMEOUT after
 *                                    readiness, or the kernel exited first
 *   TAG fail KPID EXEC NOW US WHY    no readiness within TIMEOUT, or the
 *                                    kernel died; its process group killed,
 *                                    exit 1
 *
 * rawuml stays the kernel's parent until the kernel exits, so the caller's
 * `wait' on rawuml is an event-driven wait for the kernel's end, and no
 * kernel is ever orphaned.  SIGTERM or SIGINT kill the kernel's process
 * group (UML calls setsid(), so its pid is the group's id).  A measuring
 * tool run as root by bench.sh, not a launcher: no checks beyond these.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MC_MAGIC 0xcafebabeU

struct notify {
	uint32_t magic, version;
	int32_t type;
	uint32_t len;
	char data[1024];
};

static const char *tag, *fifo;
static volatile pid_t kpid;
static long long texec;		/* realtime_ms() at the fork */

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long long realtime_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static long long realtime_ms(void)
{
	return realtime_us() / 1000;
}

static void say(const char *what, const char *why)
{
	long long us = realtime_us();
	char line[512];
	int fd = open(fifo, O_WRONLY | O_CLOEXEC), n;

	n = snprintf(line, sizeof line, "%s %s %d %lld %lld %lld%s%s\n", tag,
	    what, (int)kpid, texec, us / 1000, us, why ? " " : "", why ? why : "");
	if (fd < 0 || write(fd, line, (size_t)n) != n)
		perror("rawuml: fifo");
	if (fd >= 0)
		close(fd);
}

static void fail(const char *why)
{
	fprintf(stderr, "rawuml: %s: %s\n", tag, why);
	if (kpid > 0) {
		kill(-kpid, SIGKILL);
		kill(kpid, SIGKILL);
		waitpid(kpid, NULL, 0);
	}
	say("fail", why);
	exit(1);
}

/* The caller gives up: take the kernel down with us (async-signal-safe). */
static void on_term(int sig)
{
	(void)sig;
	if (kpid > 0) {
		kill(-kpid, SIGKILL);
		kill(kpid, SIGKILL);
	}
}

static int bind_notify(const char *path, uid_t uid, gid_t gid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (strlen(path) >= sizeof sun.sun_path)
		fail("notify path too long");
	memcpy(sun.sun_path, path, strlen(path) + 1);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0 ||
	    chown(path, uid, gid) < 0 || chmod(path, 0600) < 0)
		fail("cannot bind the notify socket");
	return fd;
}

static int ifindex(const char *name)
{
	struct ifreq ifr = { .ifr_ifindex = 0 };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (fd < 0 || ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		fail("SIOCGIFINDEX");
	close(fd);
	return ifr.ifr_ifindex;
}

/* TAP, persistent, USER's, up in BRIDGE; its descriptor. */
static int make_tap(const char *tap, const char *bridge, const struct passwd *pw)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL };
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr a;
		int master;
		char ack[256];
	} r = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof r.i) + RTA_LENGTH(sizeof r.master),
		.nlmsg_type = RTM_NEWLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
		.i = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP },
		.a = { .rta_len = RTA_LENGTH(sizeof r.master), .rta_type = IFLA_MASTER } };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC), tfd;
	struct nlmsgerr *e = NLMSG_DATA(&r.h);

	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", tap);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0 ||
	    ioctl(fd, TUNSETOWNER, (unsigned long)pw->pw_uid) < 0 ||
	    ioctl(fd, TUNSETGROUP, (unsigned long)pw->pw_gid) < 0 ||
	    ioctl(fd, TUNSETPERSIST, 1UL) < 0)
		fail("cannot make the tap");
	tfd = fd;
	r.i.ifi_index = ifindex(tap);
	r.master = ifindex(bridge);
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0 ||
	    send(fd, &r, r.h.nlmsg_len, 0) < 0 ||
	    recv(fd, &r, sizeof r, 0) < (ssize_t)NLMSG_LENGTH(sizeof *e) ||
	    r.h.nlmsg_type != NLMSG_ERROR || e->error != 0)
		fail("cannot bring the tap up in the bridge");
	close(fd);
	return tfd;
}

/* Remove TAP (after the kernel's exit); 0, or -1 with a message. */
static int del_tap(const char *tap)
{
	struct ifreq ifr = { .ifr_ifindex = 0 };
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		char ack[256];
	} r = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof r.i), .nlmsg_type = RTM_DELLINK,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
		.i = { .ifi_family = AF_UNSPEC } };
	struct nlmsgerr *e = NLMSG_DATA(&r.h);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", tap);
	if (fd < 0 || ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		fprintf(stderr, "rawuml: %s: no tap %s\n", tag, tap);
		return -1;
	}
	close(fd);
	r.i.ifi_index = ifr.ifr_ifindex;
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0 ||
	    send(fd, &r, r.h.nlmsg_len, 0) < 0 ||
	    recv(fd, &r, sizeof r, 0) < (ssize_t)NLMSG_LENGTH(sizeof *e) ||
	    r.h.nlmsg_type != NLMSG_ERROR || e->error != 0) {
		fprintf(stderr, "rawuml: %s: cannot remove the tap %s\n", tag, tap);
		return -1;
	}
	close(fd);
	return 0;
}

static void child(const struct passwd *pw, const char *log, int tapfd, char **argv)
{
	static char home[4096 + 8], user[256], logname[256];
	char path[] = "PATH=/usr/local/bin:/usr/bin:/bin";
	char tmpdir[] = "TMPDIR=/dev/shm";
	char *env[] = { path, home, user, logname, tmpdir, NULL };
	int null = open("/dev/null", O_RDONLY), out;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	out = open(log, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY, 0640);
	if (null < 0 || out < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(out, 2) < 0)
		_exit(126);
	/* The tap as fd 3, without close-on-exec, as umlctl passes it. */
	if (tapfd >= 0 && (tapfd == 3 ? fcntl(3, F_SETFD, 0) : dup2(tapfd, 3)) < 0)
		_exit(126);
	for (int fd = tapfd >= 0 ? 4 : 3; fd < 1024; fd++)
		close(fd);
	snprintf(home, sizeof home, "HOME=%s", pw->pw_dir);
	snprintf(user, sizeof user, "USER=%s", pw->pw_name);
	snprintf(logname, sizeof logname, "LOGNAME=%s", pw->pw_name);
	if (chdir("/") < 0 || initgroups(pw->pw_name, pw->pw_gid) < 0 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		_exit(126);
	umask(077);
	execve(argv[0], argv, env);
	_exit(127);
}

/* Wait for an event on fd, or the kernel's end (pidfd), until deadline. */
static void await(int fd, int pidfd, long long deadline, const char *what)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN } };
	long long left;
	char why[128];

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0) {
			snprintf(why, sizeof why, "timed out waiting for %s", what);
			fail(why);
		}
		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			fail("poll");
		if (p[0].revents & POLLIN)
			return;
		if (p[1].revents & POLLIN) {
			snprintf(why, sizeof why, "kernel exited waiting for %s", what);
			fail(why);
		}
	}
}

/* One notification into n (data NUL-terminated); its type, or -1. */
static int get_notify(int nfd, struct notify *n)
{
	ssize_t r = recv(nfd, n, sizeof *n - 1, MSG_DONTWAIT);

	if (r < 16 || n->magic != MC_MAGIC || n->len > (uint32_t)(r - 16))
		return -1;
	n->data[n->len] = '\0';
	return n->type;
}

/* Ask `version' on the kernel's mconsole socket and wait for the answer. */
static void version(const char *sock, int pidfd, long long deadline)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	sa_family_t autobind = AF_UNIX;
	struct { uint32_t magic, version, len; char data[512]; } req = {
		MC_MAGIC, 2, 7, "version" };
	char buf[1024];
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (strlen(sock) >= sizeof sun.sun_path)
		fail("mconsole path too long");
	memcpy(sun.sun_path, sock, strlen(sock) + 1);
	if (fd < 0 || bind(fd, (struct sockaddr *)&autobind, sizeof autobind) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0 ||
	    send(fd, &req, sizeof req, 0) < 0)
		fail("cannot reach the mconsole socket");
	await(fd, pidfd, deadline, "the version reply");
	if (recv(fd, buf, sizeof buf, 0) < 12)
		fail("short mconsole reply");
	close(fd);
}

static bool is_ready(const struct notify *n, int type)
{
	return type == 3 && strncmp(n->data, "ready", 5) == 0;
}

/*
 * After readiness: say "up" when the guest's init writes `ready' to
 * /proc/mconsole (mkguest.sh's guests do), "noup" if it has not by
 * deadline, and return once the kernel has exited.
 */
static void until_exit(int nfd, int pidfd, bool up, long long deadline)
{
	struct pollfd p[2] = { { .fd = nfd, .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN } };
	struct notify n;
	bool said = up;
	int r;

	if (up)
		say("up", NULL);
	for (;;) {
		r = poll(p, 2, said ? -1 : (int)(deadline > now_ms() ?
		    deadline - now_ms() : 0));
		if (r < 0 && errno != EINTR)
			fail("poll");
		if (r == 0 && !said) {
			say("noup", NULL);
			said = true;
		}
		if (r > 0 && (p[0].revents & POLLIN) &&
		    is_ready(&n, get_notify(nfd, &n)) && !said) {
			say("up", NULL);
			said = true;
		}
		if (r > 0 && (p[1].revents & POLLIN)) {
			if (!said)
				say("noup", "the kernel exited first");
			return;
		}
	}
}

int main(int argc, char **argv)
{
	struct notify n;
	struct passwd *pw;
	long long deadline, timeout;
	int nfd, pidfd, st, netfd, t, tapfd = -1;
	char path[256], *tap, *bridge = NULL;
	bool up = false;

	if (argc < 10 || strcmp(argv[8], "--") != 0) {
		fprintf(stderr, "usage: rawuml NOTIFY USER NETNS[:TAP:BRIDGE] FIFO LOG TIMEOUT "
		    "TAG -- KERNEL ARG...\n");
		return 100;
	}
	fifo = argv[4];
	tag = argv[7];
	timeout = atoll(argv[6]) * 1000;
	deadline = now_ms() + timeout;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (!(pw = getpwnam(argv[2])))
		fail("no such user");
	if ((tap = strchr(argv[3], ':')) && (bridge = strchr(tap + 1, ':')))
		*tap++ = *bridge++ = '\0';
	if (strcmp(argv[3], "-") != 0) {
		snprintf(path, sizeof path, "/run/netns/%s", argv[3]);
		if ((netfd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
		    setns(netfd, CLONE_NEWNET) < 0)
			fail("cannot enter the network namespace");
		close(netfd);
	}
	if (tap && bridge)
		tapfd = make_tap(tap, bridge, pw);
	nfd = bind_notify(argv[1], pw->pw_uid, pw->pw_gid);
	texec = realtime_ms();
	if ((kpid = fork()) < 0)
		fail("fork");
	if (kpid == 0)
		child(pw, argv[5], tapfd, argv + 9);
	if (tapfd >= 0)
		close(tapfd);
	if ((pidfd = (int)syscall(SYS_pidfd_open, kpid, 0)) < 0)
		fail("pidfd_open");
	do {
		await(nfd, pidfd, deadline, "the notify socket");
		t = get_notify(nfd, &n);
		up = up || is_ready(&n, t);
	} while (t != 0);
	version(n.data, pidfd, deadline);
	say("ready", NULL);
	until_exit(nfd, pidfd, up, now_ms() + timeout);
	close(nfd);
	unlink(argv[1]);
	if (waitpid(kpid, &st, 0) < 0)
		return 1;
	/* Nothing more goes to FIFO: nobody reads it for this kernel now. */
	if (tap && bridge && del_tap(tap) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
