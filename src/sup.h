/*
 * sup.h: the supervisor's state, shared by supervise.c and ladder.c.
 */
#ifndef UMLCTL_SUP_H
#define UMLCTL_SUP_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "guest.h"
#include "mcproto.h"
#include "sys.h"
#include "util.h"

/* Bounds of the stop ladder after SHUTDOWN_TIMEOUT, in ms (see uml(8)). */
#define MC_TIMEOUT_MS		1000	/* one mconsole request */
#define RO_WAIT_MS		5000	/* sysrq u until / is read-only */
#define RO_POLL_MS		10	/* between two looks at /proc/mounts */
#define HALT_WAIT_MS		5000	/* halt until the kernel exits */
#define TERM_WAIT_MS		3000	/* SIGTERM to the group until it exits */
#define KILL_WAIT_MS		2000	/* SIGKILL to the group until reaped */
#define REAP_WAIT_MS		2000	/* the kernel's helpers after its exit */
#define DRAIN_WAIT_MS		500	/* the console pipe's rest after that */
#define RESPAWN_DELAY_MS	1000
#define RESPAWN_RESET_MS	60000	/* a guest that ran this long has not crashed in a row */
/* Lines the guest makes umlctl write (/proc/mconsole, panics): a burst,
 * then one a second; the console's own bytes are bounded by the file. */
#define SAID_BURST		20
#define SAID_PER_MS		1000
#define CONSOLE_PIPE_SIZE	(1 << 20)	/* bytes the kernel may write ahead */
#define CONSOLE_REPLAY		2048	/* bytes of console shown on attach */

/*
 * The forced stop after SHUTDOWN_TIMEOUT: sysrq s and u, the read-only
 * wait (plus the request running when it ends), halt and its wait, then
 * SIGTERM and SIGKILL.  uml(8) promises at most 20 s.
 */
#define LADDER_FORCE_MS	(2 * MC_TIMEOUT_MS + RO_WAIT_MS + MC_TIMEOUT_MS + \
	MC_TIMEOUT_MS + HALT_WAIT_MS + TERM_WAIT_MS + KILL_WAIT_MS)
_Static_assert(LADDER_FORCE_MS <= 20000, "uml(8): a forced stop takes at most 20 s");
/* Before ctrl-alt-del: asking (twice) whether the guest's init takes it. */
#define LADDER_ASK_MS	(2 * MC_TIMEOUT_MS)
/*
 * How long `umlctl stop' waits for the supervisor beyond SHUTDOWN_TIMEOUT:
 * every step's bound, the reaping, and a second for the process to exit.
 */
#define STOP_SLACK_MS	(LADDER_ASK_MS + LADDER_FORCE_MS + REAP_WAIT_MS + \
	DRAIN_WAIT_MS + 1000)

/* describe_exit's text: a panic line and a known cause with its remedy. */
#define HOW_MAX			(MC_DATA_MAX * 4 + 512)

enum ev { EV_NONE, EV_TIMEOUT, EV_EXIT, EV_TERM, EV_SOCKET, EV_USER,
	EV_SUSPEND, EV_RESUME };
/* `umlctl suspend' and `resume' ask the supervisor with these. */
#define SIG_SUSPEND	SIGUSR1
#define SIG_RESUME	SIGUSR2

struct sup {
	struct guest *g;
	const struct account *a;
	int basefd, dirfd, lockfd, notifyfd, sigfd, readyfd, mcfd;
	int confd;		/* the console pipe's read end; -1: none */
	int coninfd;		/* the console's input pipe, write end; -1 */
	int listenfd;		/* NAME/console, for `umlctl console' */
	int clientfd;		/* the attached console session; -1: none */
	struct clog log;	/* CONSOLE_LOG */
	struct rate said;	/* lines the guest makes umlctl write */
	pid_t kpid;		/* the kernel, our child; 0 once reaped */
	int pidfd;
	long long kstart;	/* now_ms() when it was started */
	long long oom_kills;	/* its cgroup's memory limit kills then */
	int sockets;		/* MCONSOLE_SOCKET notifications from it */
	bool mc_dead;		/* it let an mconsole request time out */
	char panic[MC_DATA_MAX * 4 + 1];	/* escaped (chars.h) */
	char version[MC_DATA_MAX + 1];
	char taps[256];		/* taps umlctl created, blank-separated */
	int tapfd[NIC_MAX];	/* fd transport: the taps, held; else -1 */
	char line[256];		/* the console's line being scanned */
	size_t linelen;
	char nicerr[256];	/* the last NIC error line, escaped; "" */
	long long answered;	/* now_ms() of its last sign of life */
	long long hung_since;	/* wall clock, s, since it is hung; 0 */
	long long suspended;	/* wall clock, s, since it is suspended; 0 */
	char killed[128];	/* why umlctl killed it (RESPAWN_HUNG); "" */
	struct rate nicrate;
	struct disks disks;	/* the disk files, locked for its life */
};

enum ev sup_wait(struct sup *s, long long deadline);
void sup_kill(struct sup *s, int sig);
int sup_mc(struct sup *s, const char *cmd, char *out, size_t outlen);
void sup_outcome(struct sup *s, enum run_state st, const char *fmt, ...)
    PRINTF(3, 4);
void describe_exit(const struct sup *s, const siginfo_t *si, char *buf,
    size_t len);
siginfo_t sup_reap(struct sup *s);
long long sup_probe_every(const struct sup *s);
void sup_probe(struct sup *s);
void sup_suspend(struct sup *s, bool on);

/* supcon.c */
void sup_record(struct sup *s);
void sup_console_drain(struct sup *s);
void sup_console_pump(void *s);
int sup_console_pipes(struct sup *s, int *kin, int *kout);
int sup_console_listen(struct sup *s);
void sup_console_accept(struct sup *s);
void sup_console_input(struct sup *s);
void sup_console_detach(struct sup *s);
int ladder(struct sup *s);
void print_log_tail(const struct sup *s, int lines);
void sup_console(struct sup *s);
void run_sweep(int basefd, const char *name);
const char *log_cause(const struct sup *s);

#endif
