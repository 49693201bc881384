/*
 * supcon.c: the supervisor's side of its kernel's console and record:
 * copying the console pipe into the log (clog.c), spotting network driver
 * errors in it, the tail and known causes a failed start shows, and
 * NAME/state, which status reads.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chars.h"
#include "kfacts.h"
#include "sup.h"
#include "sys.h"
#include "util.h"

/* NAME/state: what stop, status and a later start need (runrec.h). */
void
sup_record(struct sup *s)
{
	struct krecord k = { .kpid = s->kpid, .kuid = s->a->uid,
	    .shutdown_timeout = s->g->shutdown_timeout,
	    .mem_kib = s->g->mem_kib };
	struct stat st;
	size_t i;

	k.kstart = proc_starttime(s->kpid, NULL, NULL);
	if (stat(s->g->memdir, &st) == 0)
		k.memdev = (unsigned long long)st.st_dev;
	snprintf(k.netns, sizeof(k.netns), "%s", s->g->netns);
	snprintf(k.taps, sizeof(k.taps), "%s", s->taps);
	snprintf(k.nicerr, sizeof(k.nicerr), "%s", s->nicerr);
	for (i = 0; i < s->g->nnic; i++)
		snprintf(k.nics + strlen(k.nics), sizeof(k.nics) - strlen(k.nics),
		    "%s%s", i ? " " : "", s->g->nic[i].tap);
	if (run_krecord_put(s->dirfd, &k) < 0)
		logmsg("%s: cannot record state: %s", s->g->name, strerror(errno));
}

/*
 * A network driver's error on the console (kfacts_nic_error) goes into
 * NAME/state, escaped, for status: the last one of this boot, recorded at
 * most SAID_BURST times at once, then once a second.  Lines are cut at
 * sizeof(s->line) - 1 bytes.
 */
static void
scan_nic_errors(struct sup *s, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (s->linelen < sizeof(s->line) - 1)
				s->line[s->linelen++] = buf[i];
			continue;
		}
		while (s->linelen > 0 && s->line[s->linelen - 1] == '\r')
			s->linelen--;
		s->line[s->linelen] = '\0';
		s->linelen = 0;
		if (!kfacts_nic_error(s->line) ||
		    !rate_take(&s->nicrate, now_ms(), SAID_BURST, SAID_PER_MS))
			continue;
		ch_escape(s->line, strlen(s->line), s->nicerr, sizeof(s->nicerr),
		    false);
		sup_record(s);
	}
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
			scan_nic_errors(s, buf, (size_t)n);
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
}

/* mconsole.c's pump: the console, while a reply is awaited. */
void
sup_console_pump(void *arg)
{
	struct sup *s = arg;

	sup_console(s);
	if (s->confd < 0)
		mc_set_pump(-1, NULL, NULL);
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
