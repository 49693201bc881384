/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * console.c: the supervisor's side of its kernel's console (the server
 * of the socket `umlctl console' attaches to, cli/conclient.c): copying
 * the console pipe into the log (clog.c), spotting network driver errors
 * in it, and the tail and known causes a failed start shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "chars.h"
#include "kfacts.h"
#include "sup.h"
#include "resources.h"
#include "util.h"

/*
 * What the console's lines tell (kfacts.h): an emergency sync done, and
 * whether the last line (but empty ones and a panic's) said the kernel
 * halts, go into s->boot; a network driver's error goes into NAME/state,
 * escaped, for status: the last one of this boot, recorded at most
 * SAID_BURST times at once, then once a second.  Lines are cut at
 * sizeof(s->boot.line) - 1 bytes.
 */
static void
scan_lines(struct sup *s, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (s->boot.linelen < sizeof(s->boot.line) - 1)
				s->boot.line[s->boot.linelen++] = buf[i];
			continue;
		}
		while (s->boot.linelen > 0 &&
		    s->boot.line[s->boot.linelen - 1] == '\r')
			s->boot.linelen--;
		s->boot.line[s->boot.linelen] = '\0';
		s->boot.linelen = 0;
		if (kfacts_sync_done(s->boot.line))
			s->boot.syncs++;
		if (kfacts_panic_line(s->boot.line))
			s->boot.panicking = true;
		else if (s->boot.line[0] != '\0' && !s->boot.panicking)
			s->boot.halting = kfacts_halting(s->boot.line);
		if (!kfacts_nic_error(s->boot.line) ||
		    !rate_take(&s->nicrate, now_ms(), SAID_BURST, SAID_PER_MS))
			continue;
		ch_escape(s->boot.line, strlen(s->boot.line), s->boot.nicerr,
		    sizeof(s->boot.nicerr), false);
		sup_record(s);
	}
}

/* The attached session, if any, goes; the guest runs on. */
void
sup_console_detach(struct sup *s)
{
	if (s->clientfd < 0)
		return;
	close(s->clientfd);
	s->clientfd = -1;
	logmsg("%s: console detached", s->g->name);
}

/* Console output to the attached session: what it cannot take now is
 * dropped (it is in the log), so a stalled terminal never stalls us. */
static void
to_client(struct sup *s, const char *buf, size_t n)
{
	if (s->clientfd >= 0 && send(s->clientfd, buf, n, MSG_NOSIGNAL |
	    MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		sup_console_detach(s);
}

/*
 * The console's pipes for a boot: the kernel's stdout and stderr, which
 * we read (1 MiB of room), and its stdin, which we write from an attached
 * session.  Ours are non-blocking: typing the guest does not read is
 * dropped.  The kernel's ends in *kin and *kout, close-on-exec (privdrop.c
 * dup2s them).  0, or -1 with errno.
 */
int
sup_console_pipes(struct sup *s, int *kin, int *kout)
{
	int o[2], i[2];

	if (pipe2(o, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(i, O_CLOEXEC) < 0) {
		close(o[0]);
		close(o[1]);
		return -1;
	}
	if (fcntl(o[0], F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(i[1], F_SETFL, O_NONBLOCK) < 0) {
		close(o[0]);
		close(o[1]);
		close(i[0]);
		close(i[1]);
		return -1;
	}
	(void)fcntl(o[0], F_SETPIPE_SZ, CONSOLE_PIPE_SIZE);
	s->confd = o[0];
	s->coninfd = i[1];
	*kout = o[1];
	*kin = i[0];
	return 0;
}

/* NAME/console: a stream socket only root can connect to (0600, in root's
 * directory), one session at a time.  0, or -1 with errno. */
int
sup_console_listen(struct sup *s)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	run_path(sun.sun_path, sizeof(sun.sun_path), s->g->name, RUN_CONSOLE);
	if (fd < 0)
		return -1;
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 4) < 0) {
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	s->listenfd = fd;
	return 0;
}

/*
 * A session connects: "A" and the last CONSOLE_REPLAY bytes of this boot's
 * console (from a line's start), or "B" and the door shut while another one is
 * attached.
 */
void
sup_console_accept(struct sup *s)
{
	static char tail[CONSOLE_REPLAY + 1];
	size_t n, off;
	int fd = accept4(s->listenfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (s->clientfd >= 0) {
		(void)send(fd, "B", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	s->clientfd = fd;
	logmsg("%s: console attached", s->g->name);
	to_client(s, "A", 1);
	n = clog_tail(&s->log, tail, sizeof(tail));
	/* A full tail was cut from a longer console: from its first whole
	 * line, not from inside a line or an escape sequence. */
	off = n == CONSOLE_REPLAY ? ch_replay_start(tail, n) : 0;
	to_client(s, tail + off, n - off);
}

/* The session typed: to the kernel's stdin; its end detaches it. */
void
sup_console_input(struct sup *s)
{
	char buf[1024];
	ssize_t n = read(s->clientfd, buf, sizeof(buf));

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		sup_console_detach(s);
		return;
	}
	/* What the guest does not read now is dropped (EAGAIN). */
	if (n > 0 && s->coninfd >= 0 && write(s->coninfd, buf, (size_t)n) < 0)
		return;
}

/*
 * Copy what the kernel's console wrote into the log: at most 8 chunks a
 * call, so that a flooding guest cannot keep the supervisor from its other
 * events.  At the end of the pipe (no writer left) it is closed.
 */
void
sup_console(struct sup *s)
{
	static char buf[CLOG_CHUNK];
	ssize_t n;
	int i;

	for (i = 0; i < 8 && s->confd >= 0; i++) {
		n = read(s->confd, buf, sizeof(buf));
		if (n > 0) {
			clog_console(&s->log, buf, (size_t)n);
			scan_lines(s, buf, (size_t)n);
			to_client(s, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			close(s->confd);
			s->confd = -1;
		}
		break;
	}
}

/* Nothing of the guest is left to write: copy the rest, then close. */
void
sup_console_drain(struct sup *s)
{
	long long deadline = now_ms() + DRAIN_WAIT_MS;
	struct pollfd p = { .fd = s->confd, .events = POLLIN };

	while (s->confd >= 0 && now_ms() < deadline && poll(&p, 1, 100) > 0)
		sup_console(s);
	if (s->confd >= 0)
		close(s->confd);
	s->confd = -1;
	if (s->coninfd >= 0)
		close(s->coninfd);
	s->coninfd = -1;
}

/* mc_call's pump: the console, while a reply is awaited; false once the
 * console pipe is closed. */
bool
sup_console_pump(void *arg)
{
	struct sup *s = arg;

	sup_console(s);
	return s->confd >= 0;
}

/* Show the console's last lines on stderr (a start failed), escaped. */
void
print_log_tail(const struct sup *s, int lines)
{
	static char buf[4096], safe[sizeof(buf) * 4];
	char *p;
	size_t n = clog_tail(&s->log, buf, sizeof(buf));
	int seen = 0;

	if (n == 0)
		return;
	for (p = buf + n; p > buf; p--)
		if (p[-1] == '\n' && p != buf + n && ++seen == lines)
			break;
	fprintf(stderr, "umlctl: last lines of the console log:\n%s",
	    ch_escape(p, (size_t)(buf + n - p), safe, sizeof(safe), true));
}

/* A known cause of the kernel's end in what its console printed since it
 * started (kfacts.c), or NULL. */
const char *
log_cause(const struct sup *s)
{
	static char buf[CLOG_TAIL + 1];

	if (clog_tail(&s->log, buf, sizeof(buf)) == 0)
		return NULL;
	return kfacts_cause(buf);
}
