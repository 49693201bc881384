/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gwork.c: the guest's work for part 6 of the benchmark, built static and
 * put into a busybox guest (tests/tools/mkguest.sh --work).
 *
 *   gwork run SPEC      in the guest: the work of SPEC, "S,F,P,D[,IP,PORT,N]"
 *   gwork sink PORT     on the host, in the benchmark's namespace: accept
 *                       TCP connections on PORT one after the other, read
 *                       each until EOF, then close it (forever, until killed)
 *
 * run does, in this order, each timed with CLOCK_MONOTONIC:
 *   S getppid() calls in a tight loop (a system call that does nothing);
 *   F fork + execve("/bin/true") + waitpid, one after the other;
 *   P MiB of fresh anonymous memory touched once per 4 KiB page (page faults);
 *   D MiB written to /gwork.dat in 1 MiB writes, then fsync (the root disk),
 *     then the file removed;
 *   the getppid calls and fork+execs again, split between two processes that
 *     run at once, each doing half (parallel work: what a second CPU can
 *     speed up, where the steps above run on one);
 *   N MiB sent over TCP to IP:PORT (the sink), then shutdown(SHUT_WR) and a
 *     read until the sink's EOF: every byte has been taken by the host.
 * and prints one line each, "gwork: KEY MICROSECONDS" (KEY syscall, forkexec,
 * fault, disk, par, net), then "gwork: done"
 * (or "gwork: failed KEY" and exit 1).  The kernel hands "gwork=SPEC" from
 * its command line to init as an environment variable; mkguest.sh's /etc/rc
 * passes it here.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 20];

static long long mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void say(const char *key, long long t0)
{
	printf("gwork: %s %lld\n", key, mono_us() - t0);
	fflush(stdout);
}

static int failed(const char *key)
{
	printf("gwork: failed %s\n", key);
	fflush(stdout);
	return 1;
}

static int syscalls(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

static int forkexec(long n)
{
	char *const av[] = { "true", NULL }, *const ev[] = { NULL };
	int st;

	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			return -1;
		if (p == 0) {
			execve("/bin/true", av, ev);
			_exit(127);
		}
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return -1;
	}
	return 0;
}

/* S getppid calls and F fork+execs, in two processes at once, each half. */
static int parallel(long s, long f)
{
	pid_t kid[2];
	int st, bad = 0;

	for (int k = 0; k < 2; k++) {
		kid[k] = fork();
		if (kid[k] < 0)
			return -1;
		if (kid[k] == 0)
			_exit(syscalls(s / 2) < 0 || forkexec((f + 1) / 2) < 0);
	}
	for (int k = 0; k < 2; k++)
		if (waitpid(kid[k], &st, 0) != kid[k] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	return bad ? -1 : 0;
}

static int faults(long mib)
{
	size_t len = (size_t)mib << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return -1;
	for (size_t o = 0; o < len; o += 4096)
		((volatile char *)m)[o] = 1;
	return munmap(m, len);
}

static int disk(long mib)
{
	int fd = open("/gwork.dat", O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -1;
	memset(buf, 'g', sizeof buf);
	for (long i = 0; i < mib; i++)
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
			return -1;
	if (fsync(fd) < 0 || close(fd) < 0)
		return -1;
	return unlink("/gwork.dat");
}

static int net(const char *ip, long port, long mib)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || inet_pton(AF_INET, ip, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return -1;
	for (long i = 0; i < mib; i++)
		for (size_t o = 0; o < sizeof buf;) {
			ssize_t w = write(fd, buf + o, sizeof buf - o);

			if (w <= 0)
				return -1;
			o += (size_t)w;
		}
	if (shutdown(fd, SHUT_WR) < 0)
		return -1;
	while (read(fd, buf, sizeof buf) > 0)
		;
	return close(fd);
}

static int run(char *spec)
{
	char *f[7] = { 0 };
	int n = 0;
	long long t0;

	for (char *s = strtok(spec, ","); s && n < 7; s = strtok(NULL, ","))
		f[n++] = s;
	if (n != 4 && n != 7)
		return failed("spec");
	t0 = mono_us();
	if (syscalls(atol(f[0])) < 0)
		return failed("syscall");
	say("syscall", t0);
	t0 = mono_us();
	if (forkexec(atol(f[1])) < 0)
		return failed("forkexec");
	say("forkexec", t0);
	t0 = mono_us();
	if (faults(atol(f[2])) < 0)
		return failed("fault");
	say("fault", t0);
	t0 = mono_us();
	if (disk(atol(f[3])) < 0)
		return failed("disk");
	say("disk", t0);
	t0 = mono_us();
	if (parallel(atol(f[0]), atol(f[1])) < 0)
		return failed("par");
	say("par", t0);
	if (n == 7) {
		t0 = mono_us();
		if (net(f[4], atol(f[5]), atol(f[6])) < 0)
			return failed("net");
		say("net", t0);
	}
	printf("gwork: done\n");
	return 0;
}

static int sink(long port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port),
		.sin_addr = { htonl(INADDR_ANY) } };
	int one = 1, l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), c;

	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(l, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(l, 4) < 0) {
		perror("gwork sink");
		return 1;
	}
	for (;;) {
		if ((c = accept(l, NULL, NULL)) < 0)
			continue;
		while (read(c, buf, sizeof buf) > 0)
			;
		close(c);
	}
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && strcmp(argv[1], "run") == 0)
		return run(argv[2]);
	if (argc == 3 && strcmp(argv[1], "sink") == 0)
		return sink(atol(argv[2]));
	fprintf(stderr, "usage: gwork run S,F,P,D[,IP,PORT,N] | gwork sink PORT\n");
	return 100;
}
