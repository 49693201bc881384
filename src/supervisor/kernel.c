/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernel.c: the supervisor's kernel-facing primitives, under both its
 * start and life (start.c, lifecycle.c) and its stop ladder (ladder.c):
 * waiting for the kernel's events, signalling and reaping its process
 * group, mconsole requests, probes for a hung kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chars.h"
#include "kfacts.h"
#include "mcproto.h"
#include "sup.h"
#include "resources.h"
#include "util.h"

/* Whether a notification came from the kernel or one of its processes. */
static bool
from_kernel(const struct sup *s, pid_t sender)
{
	pid_t pg;

	if (s->boot.kpid <= 0 || sender <= 0)
		return false;
	if (sender == s->boot.kpid)
		return true;
	return proc_starttime(sender, &pg, NULL) != 0 && pg == s->boot.kpid;
}

/* Whether a line the guest asks for may be logged now (SAID_BURST). */
static bool
said_ok(struct sup *s)
{
	if (!rate_take(&s->said, now_ms(), SAID_BURST, SAID_PER_MS))
		return false;
	sup_said_dropped(s);
	return true;
}

static enum ev on_notify(struct sup *s)
{
	char buf[MC_NOTIFY_HDR + MC_DATA_MAX + 16];
	char cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	struct ucred cred = { .pid = 0 };
	struct mc_msg m;
	char said[MC_DATA_MAX * 4 + 1];
	ssize_t n = recvmsg(s->notifyfd, &mh, MSG_DONTWAIT);

	if (n < 0)
		return EV_NONE;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type ==
		    SCM_CREDENTIALS)
			memcpy(&cred, CMSG_DATA(c), sizeof(cred));
	if (!from_kernel(s, cred.pid) || mc_decode_notify(buf, (size_t)n,
	    &m) < 0)
		return EV_NONE;
	switch (m.type) {
	case MC_NOTIFY_SOCKET:
		/* A reboot makes a new socket: drop the one we talked to. */
		if (s->mcfd >= 0)
			mc_close(s->mcfd);
		s->mcfd = -1;
		s->boot.mc_dead = false;
		s->boot.sockets++;
		return EV_SOCKET;
	case MC_NOTIFY_PANIC:
		/* Its first line, escaped: the kernel (USER) chose it. */
		ch_escape(m.text, strcspn(m.text, "\n"), s->boot.panic,
		    sizeof(s->boot.panic), false);
		if (said_ok(s))
			logmsg("%s: kernel panic: %s", s->g->name,
			    s->boot.panic);
		return EV_NONE;
	case MC_NOTIFY_USER:
		/* `echo ready > /proc/mconsole' ends with a newline. */
		if (said_ok(s))
			logmsg("%s: guest says: %s", s->g->name,
			    ch_escape(m.text, strcspn(m.text, "\n"), said,
			    sizeof(said), false));
		return EV_USER;
	default:
		return EV_NONE;
	}
}

static enum ev on_signal(struct sup *s)
{
	struct signalfd_siginfo si;

	if (read(s->sigfd, &si, sizeof(si)) != sizeof(si))
		return EV_NONE;
	s->sigpid = (pid_t)si.ssi_pid;
	if ((int)si.ssi_signo == SIG_BACKUP)
		return EV_BACKUP;
	if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
		return EV_TERM;
	if (si.ssi_signo == SIGHUP)
		clog_reopen(&s->log);
	if (si.ssi_signo == SIG_SUSPEND)
		return EV_SUSPEND;
	if (si.ssi_signo == SIG_RESUME)
		return EV_RESUME;
	return EV_NONE;
}

/*
 * Wait for the next event until deadline (now_ms() clock; < 0: forever).
 * Notifications come first, so a panic's text is known before the exit.
 */
enum ev sup_wait(struct sup *s, long long deadline)
{
	struct pollfd p[7] = {
		{ .fd = s->notifyfd, .events = POLLIN },
		{ .fd = s->boot.pidfd, .events = POLLIN },
		{ .fd = s->sigfd, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
	};
	long long left;
	enum ev e;

	for (;;) {
		left = deadline < 0 ? -1 : deadline - now_ms();
		if (deadline >= 0 && left <= 0)
			return EV_TIMEOUT;
		p[3].fd = s->confd;
		p[4].fd = s->listenfd;
		p[5].fd = s->clientfd;
		p[6].fd = s->holdfd;
		if (poll(p, 7, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			die_errno(EX_SYSTEM, "%s: poll", s->g->name);
		}
		if (p[3].revents)
			sup_console(s);
		if (p[4].revents & POLLIN)
			sup_console_accept(s);
		if (p[5].fd >= 0 && p[5].fd == s->clientfd && p[5].revents)
			sup_console_input(s);
		if ((p[0].revents & POLLIN) && (e = on_notify(s)) != EV_NONE)
			return e;
		if (p[1].revents & POLLIN)
			return EV_EXIT;
		if ((p[2].revents & POLLIN) && (e = on_signal(s)) != EV_NONE)
			return e;
		if (p[6].fd >= 0 && p[6].fd == s->holdfd && p[6].revents)
			return EV_HOLDER;
	}
}

/*
 * Send a signal to the kernel and its helpers (its pid is not yet reaped):
 * its process group, and with SIGKILL every descendant of the supervisor,
 * which as a child subreaper inherits whatever of the guest left that
 * group or session (a kernel taken over by USER can do both).
 */
void
sup_kill(struct sup *s, int sig)
{
	if (s->boot.kpid > 0 && killpg(s->boot.kpid, sig) < 0 && errno != ESRCH)
		logmsg("%s: killpg %d: %s", s->g->name, sig, strerror(errno));
	if (sig == SIGKILL)
		(void)proc_kill_descendants(getpid(), SIGKILL);
}

/*
 * The notifications still queued when the kernel exited, at most
 * NOTIFY_DRAIN_MAX: sup_wait reads one a round and sees the exit in the
 * same round, so a panic may wait behind others (forged by another
 * process of USER, t-notify-forged, and ignored).  Read before the kernel
 * is reaped, while from_kernel still finds its process group.
 */
static void
notify_drain(struct sup *s)
{
	struct pollfd p = { .fd = s->notifyfd, .events = POLLIN };
	int i;

	for (i = 0; i < NOTIFY_DRAIN_MAX && poll(&p, 1, 0) > 0; i++)
		(void)on_notify(s);
}

/*
 * The kernel exited: learn how, kill what is left of its process group,
 * then reap it and every helper this subreaper inherited.
 */
siginfo_t
sup_reap(struct sup *s)
{
	siginfo_t si = { .si_pid = 0 };
	long long deadline = now_ms() + REAP_WAIT_MS;
	pid_t p;

	(void)waitid(P_PID, (id_t)s->boot.kpid, &si, WEXITED | WNOWAIT);
	notify_drain(s);
	sup_kill(s, SIGKILL);
	(void)waitpid(s->boot.kpid, NULL, 0);
	/* Until no child is left: one that escaped the group and was
	 * orphaned meanwhile is ours now, and killed on the next round. */
	while (now_ms() < deadline) {
		p = waitpid(-1, NULL, WNOHANG);
		if (p < 0)
			break;
		if (p == 0) {
			(void)proc_kill_descendants(getpid(), SIGKILL);
			(void)poll(NULL, 0, 10);
		}
	}
	if (now_ms() >= deadline)
		logmsg("%s: processes of the guest outlived SIGKILL for %d ms",
		    s->g->name, REAP_WAIT_MS);
	(void)memsub_remove(s->g, s->a);
	sup_console_drain(s);
	close(s->boot.pidfd);
	s->boot.pidfd = -1;
	s->boot.kpid = 0;
	if (s->mcfd >= 0)
		mc_close(s->mcfd);
	s->mcfd = -1;
	return si;
}

/*
 * Send a command to the running guest; 0 ok, 1 refused, -1 no answer.
 * A guest that let one request time out is not asked again (each would
 * cost MC_TIMEOUT_MS) until it shows life: a new mconsole, or SIGCONT.
 */
int
sup_mc(struct sup *s, const char *cmd, char *out, size_t outlen)
{
	char buf[64];
	struct mc_pump pump = { -1, sup_console_pump, s };
	int r;

	if (s->boot.mc_dead) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (!out) {
		out = buf;
		outlen = sizeof(buf);
	}
	/* A kernel blocked on a full console pipe could not answer. */
	sup_console(s);
	pump.fd = s->confd;
	if (s->mcfd < 0)
		s->mcfd = mc_open(s->dirfd, s->g->name, s->a->uid);
	if (s->mcfd < 0)
		return -1;
	r = mc_call(s->mcfd, cmd, MC_TIMEOUT_MS, &pump, out, outlen);
	if (r < 0 && errno == ETIMEDOUT)
		s->boot.mc_dead = true;
	if (r < 0 && errno != ETIMEDOUT) {
		mc_close(s->mcfd);
		s->mcfd = -1;
	}
	return r;
}

/* Probes for a hung kernel: three per HANG_TIMEOUT, at least a second
 * apart. */
long long
sup_probe_every(const struct sup *s)
{
	long long ms = (long long)s->g->hang_timeout * 1000 / 3;

	return ms < 1000 ? 1000 : ms;
}

/*
 * Ask the kernel for its version: a hung one (stopped, or stuck with its
 * interrupts) does not answer.  Without an answer for HANG_TIMEOUT it is
 * reported hung (log, syslog, NAME/state for status); with RESPAWN_HUNG
 * it is killed, and its end is then a crash.  An answer ends it.
 */
void
sup_probe(struct sup *s)
{
	long long now = now_ms(), quiet;

	s->boot.mc_dead = false;
	if (sup_mc(s, "version", NULL, 0) >= 0)
		s->boot.answered = now_ms();
	/* Paused on purpose: whatever it answers, it is not hung. */
	if (s->boot.suspended)
		s->boot.answered = now;
	quiet = (now - s->boot.answered) / 1000;
	if (s->boot.hung_since && s->boot.answered >= now) {
		logmsg("%s: answers again after %lld s", s->g->name,
		    (long long)time(NULL) - s->boot.hung_since);
		s->boot.hung_since = 0;
		sup_record(s);
	} else if (!s->boot.hung_since && quiet >= s->g->hang_timeout) {
		s->boot.hung_since = (long long)time(NULL) - quiet;
		logwarn("%s: hung: its kernel has not answered its mconsole "
		    "for %lld s (HANG_TIMEOUT=%u)", s->g->name, quiet,
		    s->g->hang_timeout);
		sup_record(s);
		if (s->g->respawn_hung) {
			snprintf(s->boot.killed, sizeof(s->boot.killed),
			    "hung for %lld s; killed (RESPAWN_HUNG)", quiet);
			sup_kill(s, SIGKILL);
		}
	}
}

/*
 * Pause the guest (mconsole stop: the kernel then serves mconsole
 * requests only) or let it go on, and record which: status, list and the
 * probe (no hang verdict) read it.
 */
void
sup_suspend(struct sup *s, bool on)
{
	if (on == (s->boot.suspended != 0))
		return;
	if (sup_mc(s, on ? "stop" : "go", NULL, 0) != 0) {
		logmsg("%s: could not %s the guest (mconsole %s)", s->g->name,
		    on ? "suspend" : "resume", on ? "stop" : "go");
		return;
	}
	if (on)
		logmsg("%s: suspended", s->g->name);
	else
		logmsg("%s: resumed after %lld s", s->g->name,
		    (long long)time(NULL) - s->boot.suspended);
	s->boot.suspended = on ? (long long)time(NULL) : 0;
	s->boot.answered = now_ms();
	sup_record(s);
}

/*
 * Whether the kernel panicked right after its halt line (kfacts_halting):
 * its own last steps failing after the guest halted, no crash of the
 * guest's (RELIABILITY.md, finding 22; a panic before it is finding 18's).
 */
bool
sup_halt_panic(const struct sup *s)
{
	return s->boot.panic[0] != '\0' && s->boot.halting;
}

void
describe_exit(const struct sup *s, const siginfo_t *si, char *buf,
    size_t len)
{
	const char *cause;
	int n;

	if (s->boot.killed[0])
		n = snprintf(buf, len, "%s", s->boot.killed);
	else if (s->boot.panic[0])
		n = snprintf(buf, len, "panic: %s", s->boot.panic);
	else if (si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED)
		n = snprintf(buf, len, "killed by signal %d (%s)",
		    si->si_status, strsignal(si->si_status));
	else if (si->si_status != 0)
		n = snprintf(buf, len, "exited with status %d", si->si_status);
	else {
		snprintf(buf, len, "powered off");
		return;
	}
	if (si->si_code == CLD_KILLED && si->si_status == SIGKILL &&
	    s->boot.oom_kills >= 0 && proc_oom_kills() > s->boot.oom_kills)
		cause = "the memory limit of its cgroup killed it (OpenRC's "
		    "rc_cgroup_memory or rc_cgroup_settings in its conf.d): "
		    "raise the limit, or lower MEMORY";
	else
		cause = log_cause(s);
	if (cause && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "; cause: %s", cause);
}
