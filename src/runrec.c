/*
 * runrec.c: the runtime record's states, words and formats.  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "runrec.h"

static const struct {
	const char *token;	/* in NAME.last */
	const char *words;	/* what a message says */
	int status;		/* umlctl status */
	int stopped;		/* umlctl stop, when the guest ended so */
} states[] = {
	[RS_NONE] = { "none", "stopped", EX_NOTRUNNING, EX_OK },
	[RS_STARTING] = { "starting", "starting", EX_OK, EX_SYSTEM },
	[RS_RUNNING] = { "running", "running", EX_OK, EX_SYSTEM },
	[RS_POWEROFF] = { "poweroff", "stopped", EX_NOTRUNNING, EX_OK },
	[RS_GRACEFUL] = { "graceful", "stopped, graceful", EX_NOTRUNNING, EX_OK },
	[RS_FORCED] = { "forced", "stopped, forced", EX_NOTRUNNING, EX_FORCED },
	[RS_CRASHED] = { "crashed", "crashed", EX_CRASHED, EX_CRASHED },
	[RS_FAILED] = { "failed", "failed", EX_NOTRUNNING, EX_NOTRUNNING },
	[RS_ORPHANED] = { "orphaned", "crashed", EX_CRASHED, EX_CRASHED },
};

#define NSTATES	(sizeof(states) / sizeof(states[0]))

const char *
run_state_words(enum run_state s)
{
	return (size_t)s < NSTATES ? states[s].words : "unknown";
}

int
run_state_status(enum run_state s)
{
	return (size_t)s < NSTATES ? states[s].status : EX_SYSTEM;
}

int
run_state_stop_status(enum run_state s)
{
	return (size_t)s < NSTATES ? states[s].stopped : EX_SYSTEM;
}

const char *
outcome_text(const struct outcome *o, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", run_state_words(o->state),
	    o->detail[0] != '\0' ? ": " : "", o->detail);
	return buf;
}

int
outcome_encode(const struct outcome *o, char *buf, size_t len)
{
	int n;

	if ((size_t)o->state >= NSTATES || strchr(o->detail, '\n') != NULL)
		return -1;
	n = snprintf(buf, len, "%s\t%s\n", states[o->state].token, o->detail);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
outcome_decode(const char *text, struct outcome *o)
{
	size_t i, n = strcspn(text, "\t");
	const char *d = text + n + 1;

	o->state = RS_NONE;
	o->detail[0] = '\0';
	if (text[n] != '\t')
		return -1;
	for (i = 0; i < NSTATES; i++)
		if (strlen(states[i].token) == n &&
		    strncmp(text, states[i].token, n) == 0)
			break;
	if (i == NSTATES || strcspn(d, "\n") >= sizeof(o->detail))
		return -1;
	o->state = (enum run_state)i;
	snprintf(o->detail, sizeof(o->detail), "%.*s", (int)strcspn(d, "\n"), d);
	return 0;
}

int
krecord_encode(const struct krecord *r, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%d %llu %u\ntaps:%s\n", (int)r->kpid,
	    r->kstart, (unsigned)r->kuid, r->taps);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
krecord_decode(const char *text, struct krecord *r)
{
	const char *taps = strstr(text, "\ntaps:");
	unsigned uid;
	int pid;

	memset(r, 0, sizeof(*r));
	if (sscanf(text, "%d %llu %u", &pid, &r->kstart, &uid) != 3 ||
	    pid <= 1 || taps == NULL)
		return -1;
	r->kpid = (pid_t)pid;
	r->kuid = (uid_t)uid;
	taps += 6;
	snprintf(r->taps, sizeof(r->taps), "%.*s", (int)strcspn(taps, "\n"),
	    taps);
	return 0;
}
