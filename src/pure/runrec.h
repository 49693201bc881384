/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * runrec.h: the runtime record of a guest, as data.  Pure.
 *
 * The names of the files under RUNDIR, the guest's state as an enum with
 * the words and exit statuses made from it, and the text format of the
 * two records root keeps: how the last run ended (NAME.last) and what a
 * running kernel is (NAME/state).  rundir.c reads and writes the files;
 * nothing else knows their names or formats, and no code parses a message.
 */
#ifndef UMLCTL_RUNREC_H
#define UMLCTL_RUNREC_H

#include <stddef.h>
#include <sys/types.h>

#include "guest.h"

/* Below RUNDIR: NAME.lock, NAME.pid, NAME.last, and the directory NAME/. */
#define RUN_LOCK_SUFFIX		".lock"
#define RUN_PID_SUFFIX		".pid"
#define RUN_LAST_SUFFIX		".last"
#define RUN_STOPS_SUFFIX	".stops"	/* runs ended, by outcome */
/* In NAME/: the state record, the notify and console sockets, USER's
 * uml_dir. */
#define RUN_STATE		"state"
#define RUN_NOTIFY		"notify"
#define RUN_UMLDIR		"u"
#define RUN_CONSOLE		"console"	/* root's, for umlctl console */
#define RUN_MC_PREFIX		"mc."	/* mc.PID.SEQ: an mconsole client's */
/* In u/NAME/, made by the kernel (arch/um/drivers/mconsole_user.c). */
#define RUN_MCONSOLE		"mconsole"

enum run_state {
	RS_NONE,	/* no record: not run since boot */
	RS_STARTING,	/* a supervisor holds it, not ready yet */
	RS_RUNNING,
	RS_POWEROFF,	/* the guest powered off by itself */
	RS_GRACEFUL,	/* stopped: it powered off after ctrl-alt-del */
	RS_FORCED,	/* stopped: the ladder synced, halted or killed it */
	RS_CRASHED,	/* the kernel ended unasked */
	RS_FAILED,	/* a start failed */
	RS_ORPHANED,	/* its supervisor was killed; a start cleans up */
	RS_SUSPENDED,	/* running, paused (mconsole stop) until resumed */
};

#define OUTCOME_MAX	1024	/* bytes of detail, NUL included */

struct outcome {
	enum run_state state;
	char detail[OUTCOME_MAX];	/* how, for the admin; "" = none */
};

/* "stopped, graceful", "crashed", ...: the words a message starts with. */
const char *run_state_words(enum run_state s);

/* "graceful", "crashed", ...: NAME.last's token, the word for programs. */
const char *run_state_token(enum run_state s);

/* The exit status of `umlctl status' for a guest in state s (guest.h). */
int run_state_status(enum run_state s);

/* The exit status of `umlctl stop' for a guest that ended in state s. */
int run_state_stop_status(enum run_state s);

/* "crashed: killed by signal 9 (Killed)" into buf; buf. */
const char *outcome_text(const struct outcome *o, char *buf, size_t len);

/*
 * How many runs of a guest ended in each state since the host booted
 * (NAME.stops under RUNDIR, a tmpfs): n[s] for each state s that ends a
 * run (run_state_ends), 0 for the others.
 */
struct stops {
	unsigned long long n[RS_ORPHANED + 1];
};

/* Whether a run's end is recorded as s: poweroff, graceful, forced,
 * crashed, failed. */
int run_state_ends(enum run_state s);
/* NAME.stops's text: one `TOKEN COUNT' line per ending state. */
int stops_encode(const struct stops *st, char *buf, size_t len);
/* 0, or -1 if text is not such a record (st is then all 0). */
int stops_decode(const char *text, struct stops *st);

/* NAME.last's text: a state token, a tab, the detail, a newline. */
int outcome_encode(const struct outcome *o, char *buf, size_t len);
/* 0, or -1 if text is not such a record (o then says RS_NONE). */
int outcome_decode(const char *text, struct outcome *o);

/* A guest's disk files: one file (st_dev, st_ino) for one running guest
 * (BASE_IMAGE excepted: guests share it, read-only). */
enum disk_kind { DISK_ROOT, DISK_SWAP, DISK_BASE, DISK_KINDS };
struct diskid {
	unsigned long long dev, ino;
};

/* "ROOT", "SWAP", "BASE_IMAGE": the variable that names it. */
const char *disk_var(enum disk_kind k);

/*
 * `umlctl backup' of a running guest (supervisor/hold.c): the guest held
 * paused for one backup process while it copies the disks.
 */
enum bk_phase {
	BK_NONE,	/* no backup asked since the kernel started */
	BK_SYNCING,	/* sysrq s sent; waiting for the guest's sync */
	BK_HELD,	/* paused (or kept suspended): copy now */
	BK_DONE,	/* let go: running again, or still suspended */
	BK_REFUSED,	/* not paused: mconsole stop failed, or the kernel
			 * ended */
	BK_PHASES
};
enum bk_sync {
	BKS_NONE,	/* not asked: the guest was suspended */
	BKS_SEEN,	/* the guest said `Emergency Sync complete' */
	BKS_UNSEEN,	/* asked; not said within BACKUP_SYNC_MS */
	BKS_REFUSED,	/* sysrq s refused or unanswered */
	BKS_KINDS
};
struct bkrec {
	pid_t pid;		/* the umlctl backup process; 0: none */
	enum bk_phase phase;
	enum bk_sync sync;
	unsigned long long ms;	/* BK_DONE: how long it was paused, ms
				 * (0 if it was suspended and stays so) */
};

/*
 * NAME/state: what stop, status and the next start need of a running
 * guest, recorded by root when its kernel started.  A conf.d file edited
 * or broken meanwhile changes none of it: the guest stops as it started.
 */
struct krecord {
	pid_t kpid;			/* the kernel, its process group */
	unsigned long long kstart;	/* its start time, clock ticks */
	uid_t kuid;			/* USER */
	unsigned shutdown_timeout;	/* SHUTDOWN_TIMEOUT, s */
	unsigned long long mem_kib;	/* MEMORY */
	unsigned long long memdev;	/* MEMORY_DIR's st_dev */
	char netns[NAME_LEN_MAX + 1];	/* NETNS */
	char taps[256];			/* taps umlctl made, blank-separated */
	char nics[256];			/* every tap of NET, which it holds */
	unsigned long long hung;	/* since when (epoch s) its kernel has
					 * not answered (HANG_TIMEOUT); 0 */
	unsigned long long suspended;	/* since when (epoch s) it is
					 * suspended; 0: it is not */
	char nicerr[256];		/* the last NIC error on the console
					 * since boot, escaped (chars.h); "" */
	char confine[192];		/* what confines the kernel (confine.h
					 * cf_describe); "" */
	struct diskid disk[DISK_KINDS];	/* its disk files; ino 0: none */
	bool swap;			/* the kernel got a swap disk (ubd1) */
	struct bkrec bk;		/* the last `umlctl backup' asked */
	bool bk_known;			/* the record has bk: its supervisor
					 * takes backup requests (SIG_BACKUP) */
};

/* One `key=value' line each; unknown keys are skipped when read. */
#define KRECORD_MAX	2048	/* bytes of its text, the NUL included */
int krecord_encode(const struct krecord *r, char *buf, size_t len);
/* 0, or -1 without kpid (> 1), kstart and kuid. */
int krecord_decode(const char *text, struct krecord *r);

#endif
