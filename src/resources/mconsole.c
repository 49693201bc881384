/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mconsole.c: the mconsole client.
 *
 * The socket lives in <rundir>/u/<name>/, a directory USER controls, so
 * root walks there with O_PATH|O_NOFOLLOW, checks on the fd that the
 * socket is a socket owned by USER, and connects through /proc/self/fd.
 * UML answers to the sender's address, so the client binds one and
 * connects, so only the guest's datagrams reach it.  The address is a path
 * in the guest's root-owned <rundir>/<name>/, USER's and 0600 like the
 * notify socket: not an abstract one, which the kernel, whose Landlock
 * domain is scoped, could not send to (confine.c).  Every wait is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mcproto.h"
#include "resources.h"
#include "util.h"

static int
step(int dirfd, const char *name, int flags, uid_t uid, mode_t type)
{
	struct stat st;
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC | flags);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (st.st_mode & S_IFMT) != type ||
	    st.st_uid != uid) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/*
 * Bind fd to RUNDIR/name/mc.PID.N, a socket only USER and root may send
 * to.  Every component is root's: nothing of USER's is followed.
 */
static int
bind_reply(int fd, const char *name, uid_t uid)
{
	static unsigned seq;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	mode_t old;
	int r;

	run_mc_path(a.sun_path, sizeof(a.sun_path), name, getpid(), seq++);
	(void)unlink(a.sun_path);	/* a killed client's, same pid */
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&a, sizeof(a));
	umask(old);
	if (r < 0)
		return -1;
	if (fchownat(AT_FDCWD, a.sun_path, uid, (gid_t)-1,
	    AT_SYMLINK_NOFOLLOW) < 0) {
		r = errno;
		(void)unlink(a.sun_path);
		errno = r;
		return -1;
	}
	return 0;
}

/* Close a client socket of mc_open and remove its address. */
void
mc_close(int fd)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	size_t n;

	if (fd < 0)
		return;
	if (getsockname(fd, (struct sockaddr *)&a, &len) == 0 &&
	    len > offsetof(struct sockaddr_un, sun_path) && len <= sizeof(a) &&
	    a.sun_path[0] == '/') {
		n = len - offsetof(struct sockaddr_un, sun_path);
		a.sun_path[n < sizeof(a.sun_path) ? n :
		    sizeof(a.sun_path) - 1] = '\0';
		(void)unlink(a.sun_path);
	}
	close(fd);
}

/* A client socket connected to the guest's mconsole; -1 with errno. */
int
mc_open(int rundirfd, const char *name, uid_t uid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int u, d, s, fd = -1, e;

	if ((u = step(rundirfd, RUN_UMLDIR, O_DIRECTORY, uid, S_IFDIR)) < 0)
		return -1;
	d = step(u, name, O_DIRECTORY, uid, S_IFDIR);
	close(u);
	if (d < 0)
		return -1;
	s = step(d, RUN_MCONSOLE, 0, uid, S_IFSOCK);
	close(d);
	if (s < 0)
		return -1;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "/proc/self/fd/%d", s);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind_reply(fd, name, uid) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		e = errno;
		mc_close(fd);
		close(s);
		errno = e;
		return -1;
	}
	close(s);
	return fd;
}

/*
 * Wait for one reply datagram.  While waiting, pump (if any) is served when
 * its descriptor is readable, until its fn says it is done.
 */
static int
recv_part(int fd, long long deadline, const struct mc_pump *pump,
    struct mc_msg *m)
{
	char buf[sizeof(struct mc_request) + 64];
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
	    { .fd = pump ? pump->fd : -1, .events = POLLIN } };
	ssize_t n;
	long long left;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			return -1;
		if (p[1].fd >= 0 && p[1].revents) {
			if (!pump->fn(pump->arg))
				p[1].fd = -1;
			if (!(p[0].revents & POLLIN))
				continue;
		}
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return -1;
		if (mc_decode_reply(buf, (size_t)n, m) == 0)
			return 0;
		/* A malformed datagram is dropped; keep waiting for the real
		 * one. */
	}
}

/*
 * Send cmd and collect the whole reply (several datagrams if "more") into
 * out, serving pump (NULL: none) while waiting.  Returns 0 if the guest
 * accepted it, 1 if it answered with an error (out holds its text), -1 with
 * errno (ETIMEDOUT when it did not answer).
 */
int
mc_call(int fd, const char *cmd, int timeout_ms, const struct mc_pump *pump,
    char *out, size_t outlen)
{
	struct mc_request req;
	struct mc_msg m;
	char junk[MC_REPLY_HDR + MC_DATA_MAX];
	long long deadline = now_ms() + timeout_ms;
	size_t used = 0;
	uint32_t err = 0;
	bool first = true;

	if (mc_encode(cmd, &req) < 0) {
		errno = EINVAL;
		return -1;
	}
	/* Replies carry no request id: the late answer to a request that
	 * timed out would pass for this one's.  Drop what is queued. */
	while (recv(fd, &junk, sizeof(junk), MSG_DONTWAIT) >= 0)
		;
	/* Never wait to send: a kernel that does not read its mconsole (hung,
	 * stopped, or taken over) fills its queue, and a blocking send would
	 * hold the supervisor, deaf to its stop, for good. */
	if (send(fd, &req, sizeof(req), MSG_DONTWAIT) < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			errno = ETIMEDOUT;
		return -1;
	}
	out[0] = '\0';
	do {
		if (recv_part(fd, deadline, pump, &m) < 0)
			return -1;
		if (first)
			err = m.err;
		first = false;
		if (used + m.len < outlen) {
			memcpy(out + used, m.text, m.len);
			used += m.len;
			out[used] = '\0';
		}
	} while (m.more);
	return err ? 1 : 0;
}

int
mc_oneshot(int rundirfd, const char *name, uid_t uid, const char *cmd,
    int timeout_ms, char *out, size_t outlen)
{
	int fd = mc_open(rundirfd, name, uid), r, e;

	if (fd < 0)
		return -1;
	r = mc_call(fd, cmd, timeout_ms, NULL, out, outlen);
	e = errno;
	mc_close(fd);
	errno = e;
	return r;
}
