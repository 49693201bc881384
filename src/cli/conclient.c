/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conclient.c: `umlctl console NAME', the admin's terminal on a running
 * guest's console (umlctl(8)).
 *
 * The guest's supervisor relays its kernel's console (the kernel's stdin
 * and stdout are pipes it holds) to one session at a time on the root-only
 * socket RUNDIR/NAME/console: it answers "A" and replays the last console
 * bytes, or "B" when a session is attached already.  Here the terminal is
 * put in raw mode and the bytes go both ways until the escape, Ctrl-]
 * (0x1d, as telnet's), detaches; the guest runs on.  What the guest prints
 * reaches the terminal as it is: an interactive console is a terminal
 * session with the guest, as with any VM manager's console.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "parse.h"
#include "resources.h"
#include "util.h"

#define ESCAPE		0x1d	/* Ctrl-] */
#define ANSWER_MS	2000	/* the supervisor's first byte */

static struct termios saved;
static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

/* Connect to NAME's console socket; dies with the documented status. */
static int
attach(const struct ctx *x, const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct pollfd p;
	int fd, basefd = run_base();
	char c = 0;

	if (!run_locked(basefd, name)) {
		run_no_guest(x->confdir, name);
		die(EX_NOTRUNNING, "%s: not running", name);
	}
	run_path(sun.sun_path, sizeof(sun.sun_path), name, RUN_CONSOLE);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die_errno(EX_NOTRUNNING, "%s: console", name);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, ANSWER_MS) != 1 || read(fd, &c, 1) != 1 || c == 'B')
		die(EX_BUSY, "%s: console: %s", name, c == 'B' ?
		    "another session is attached (one at a time)" : "no answer "
		    "from the supervisor");
	return fd;
}

/* Relay until the escape, the end of the console, or a signal; 0 if the
 * user detached. */
static int
relay(int fd)
{
	char buf[4096], *esc;
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
	    { .fd = fd, .events = POLLIN } };
	ssize_t n;

	while (!got_signal) {
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[0].revents) {
			if ((n = read(0, buf, sizeof(buf))) <= 0)
				return 1;
			esc = memchr(buf, ESCAPE, (size_t)n);
			if (write_all(fd, buf, esc ? (size_t)(esc - buf) :
			    (size_t)n) < 0)
				return 1;
			if (esc)
				return 0;
		}
		if (p[1].revents) {
			if ((n = read(fd, buf, sizeof(buf))) <= 0)
				return 1;
			(void)write_all(1, buf, (size_t)n);
		}
	}
	return 1;
}

int
cmd_console(const struct ctx *x, int argc, char **argv)
{
	const char *name = argv[1];
	struct termios raw;
	char err[256];
	int fd, detached;

	(void)argc;
	if (parse_name(name, err, sizeof(err)) < 0)
		die(EX_CONFIG, "instance name: %s", err);
	if (!isatty(0) || !isatty(1) || tcgetattr(0, &saved) < 0)
		die(EX_USAGE, "%s: console: standard input and output must be "
		    "a terminal", name);
	fd = attach(x, name);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);
	raw = saved;
	cfmakeraw(&raw);
	fprintf(stderr, "umlctl: %s: console attached; Ctrl-] detaches\r\n",
	    name);
	(void)tcsetattr(0, TCSAFLUSH, &raw);
	detached = relay(fd) == 0;
	(void)tcsetattr(0, TCSAFLUSH, &saved);
	close(fd);
	fprintf(stderr, "\r\numlctl: %s: %s\n", name, detached ? "detached; "
	    "the guest runs on" : "the console closed (the guest stopped)");
	return EX_OK;
}
