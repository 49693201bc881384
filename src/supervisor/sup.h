/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sup.h: the supervisor's state, shared by the files of src/supervisor/.
 */
#ifndef UMLCTL_SUP_H
#define UMLCTL_SUP_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "guest.h"
#include "mcproto.h"
#include "supervisor.h"
#include "util.h"

/* describe_exit's text: a panic line and a known cause with its remedy. */
#define HOW_MAX			(MC_DATA_MAX * 4 + 512)
/* Notifications sup_reap reads after the kernel's exit (kernel.c); a
 * unix datagram socket queues net.unix.max_dgram_qlen, 10 by default. */
#define NOTIFY_DRAIN_MAX	64

enum ev { EV_NONE, EV_TIMEOUT, EV_EXIT, EV_TERM, EV_SOCKET, EV_USER,
	EV_SUSPEND, EV_RESUME, EV_BACKUP, EV_HOLDER };

/*
 * What the supervisor knows of one boot of the kernel: reset as a whole,
 * by one assignment, each time boot() starts it (a reboot inside the guest
 * is the same boot: UML re-execs itself in the same process).
 */
struct boot {
	pid_t kpid;		/* the kernel, our child; 0 once reaped */
	int pidfd;
	long long kstart;	/* now_ms() when it was started */
	long long oom_kills;	/* its cgroup's memory limit kills then */
	int sockets;		/* MCONSOLE_SOCKET notifications from it */
	bool mc_dead;		/* it let an mconsole request time out */
	char panic[MC_DATA_MAX * 4 + 1];	/* escaped (chars.h) */
	char version[MC_DATA_MAX + 1];
	char line[256];		/* the console's line being scanned */
	size_t linelen;
	char nicerr[256];	/* the last NIC error line, escaped; "" */
	long long answered;	/* now_ms() of its last sign of life */
	long long hung_since;	/* wall clock, s, since it is hung; 0 */
	long long suspended;	/* wall clock, s, since it is suspended; 0 */
	char killed[128];	/* why umlctl killed it (RESPAWN_HUNG); "" */
	unsigned syncs;		/* "Emergency Sync complete" lines seen */
	bool halting;		/* its last line said it halts (kfacts.h) */
	bool panicking;		/* a panic's first line was seen */
};

/* The supervisor: what lives as long as it does, and the current boot. */
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
	struct rate nicrate;	/* NIC error lines recorded */
	char taps[256];		/* taps umlctl created, blank-separated */
	int tapfd[NIC_MAX];	/* fd transport: the taps, held; else -1 */
	struct disks disks;	/* the disk files, locked for its life */
	bool cow_new;		/* ROOT, a COW file this start made; no
				 * kernel has run on it yet */
	pid_t sigpid;		/* who sent the last signal (signalfd) */
	int holdfd;		/* pidfd of the backup holding the guest; -1 */
	int rcfd;		/* pidfd of the openrc-run starting it; -1 */
	struct bkrec bk;	/* the last backup request (hold.c) */
	struct boot boot;
};

/*
 * The files of this folder call one way: start.c, then lifecycle.c,
 * ladder.c and hold.c, then kernel.c, console.c, record.c.
 */

/* lifecycle.c: the guest's life (boot, readiness, run, respawn). */
int sup_life(struct sup *s);
void sup_abort_boot(struct sup *s);

/* kernel.c: the kernel-facing primitives. */
enum ev sup_wait(struct sup *s, long long deadline);
void sup_kill(struct sup *s, int sig);
int sup_mc(struct sup *s, const char *cmd, char *out, size_t outlen);
siginfo_t sup_reap(struct sup *s);
long long sup_probe_every(const struct sup *s);
void sup_probe(struct sup *s);
void sup_suspend(struct sup *s, bool on);
bool sup_halt_panic(const struct sup *s);
void describe_exit(const struct sup *s, const siginfo_t *si, char *buf,
    size_t len);

/* console.c: the console pipe into the log, the console socket. */
void sup_console(struct sup *s);
void sup_console_drain(struct sup *s);
bool sup_console_pump(void *s);
int sup_console_pipes(struct sup *s, int *kin, int *kout);
int sup_console_listen(struct sup *s);
void sup_console_accept(struct sup *s);
void sup_console_input(struct sup *s);
void sup_console_detach(struct sup *s);
void print_log_tail(const struct sup *s, int lines);
const char *log_cause(const struct sup *s);

/* record.c: NAME/state, NAME.last, the sweep after a killed supervisor. */
void sup_record(struct sup *s);
void sup_outcome(struct sup *s, enum run_state st, const char *fmt, ...)
    PRINTF(3, 4);
void sup_said_dropped(struct sup *s);

/* hold.c: the guest held paused for the backup that sent EV_BACKUP; what
 * came meanwhile that run() must do now: EV_TERM, EV_EXIT, or EV_NONE. */
enum ev sup_hold(struct sup *s);

/* ladder.c: the stop ladder; an exit status (guest.h). */
int ladder(struct sup *s);

#endif
