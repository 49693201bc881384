/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * supervisor.h: what the face asks of the supervisor (src/supervisor/).
 */
#ifndef UMLCTL_SUPERVISOR_H
#define UMLCTL_SUPERVISOR_H

#include <signal.h>
#include <stdbool.h>

#include "guest.h"
#include "resources.h"

/* `umlctl suspend' and `resume' ask the supervisor with these. */
#define SIG_SUSPEND	SIGUSR1
#define SIG_RESUME	SIGUSR2
/* `umlctl backup' asks with this twice: hold the guest, then let it go. */
#define SIG_BACKUP	(SIGRTMIN + 1)
/* How long a backup waits for the guest's sysrq s to be said done (ms). */
#define BACKUP_SYNC_MS	5000
#define BACKUP_POLL_MS	5	/* between two looks, both sides */
/* How long `umlctl backup' waits for the supervisor to hold the guest:
 * sysrq s, the sync, stop, each request's bound, and a second. */
#define BACKUP_ASK_MS	(MC_TIMEOUT_MS + BACKUP_SYNC_MS + MC_TIMEOUT_MS + 1000)

/* Bounds of the stop ladder after SHUTDOWN_TIMEOUT, in ms (see uml(8)). */
#define MC_TIMEOUT_MS		1000	/* one mconsole request */
#define RO_WAIT_MS		5000	/* sysrq u until / is read-only */
#define RO_POLL_MS		10	/* between two looks at /proc/mounts */
#define HALT_WAIT_MS		5000	/* halt until the kernel exits */
#define TERM_WAIT_MS		3000	/* SIGTERM to the group till it exits */
#define KILL_WAIT_MS		2000	/* SIGKILL to the group until reaped */
#define REAP_WAIT_MS		2000	/* its helpers after the kernel exits */
#define DRAIN_WAIT_MS		500	/* the console pipe's rest after that */
#define RESPAWN_DELAY_MS	1000
#define RESPAWN_RESET_MS	60000	/* ran this long: no crash in a row */
/* Lines the guest makes umlctl write (/proc/mconsole, panics): a burst,
 * then one a second; the console's own bytes are bounded by the file. */
#define SAID_BURST		20
#define SAID_PER_MS		1000
#define CONSOLE_PIPE_SIZE	(1 << 20)	/* the kernel may write ahead */
#define CONSOLE_REPLAY		2048	/* bytes of console shown on attach */

/*
 * The forced stop after SHUTDOWN_TIMEOUT: sysrq s and u, the read-only
 * wait (plus the request running when it ends), halt and its wait, then
 * SIGTERM and SIGKILL.  uml(8) promises at most 20 s.
 */
#define LADDER_FORCE_MS	(2 * MC_TIMEOUT_MS + RO_WAIT_MS + MC_TIMEOUT_MS + \
	MC_TIMEOUT_MS + HALT_WAIT_MS + TERM_WAIT_MS + KILL_WAIT_MS)
_Static_assert(LADDER_FORCE_MS <= 20000, "uml(8): a forced stop takes at most "
    "20 s");
/* Before ctrl-alt-del: asking (twice) whether the guest's init takes it. */
#define LADDER_ASK_MS	(2 * MC_TIMEOUT_MS)
/*
 * How long `umlctl stop' waits for the supervisor beyond SHUTDOWN_TIMEOUT:
 * every step's bound, the reaping, the wait for the openrc-run that
 * started the guest (rc_await_starter), OpenRC's mark, and a second for
 * the process to exit.
 */
#define STOP_SLACK_MS	(LADDER_ASK_MS + LADDER_FORCE_MS + REAP_WAIT_MS + \
	DRAIN_WAIT_MS + RC_START_WAIT_MS + RC_MARK_WAIT_MS + 1000)
/* How often `umlctl stop' looks whether a backup holds the guest (the
 * bound above starts again when the hold ends). */
#define STOP_LOOK_MS	250

/* start.c: fork the supervisor of guest g, which starts its kernel;
 * returns an exit status (guest.h). */
struct start_opts {
	bool foreground;
	const struct netstate *net;	/* what check_all saw of the links */
};
int supervise_start(struct guest *g, const struct account *a,
    const struct start_opts *o);

/* record.c: after a supervisor that was killed, its kernel's process group
 * (from NAME/state) is killed and the taps it made are deleted. */
void run_sweep(int basefd, const char *name);

#endif
