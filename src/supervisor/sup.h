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

enum ev { EV_NONE, EV_TIMEOUT, EV_EXIT, EV_TERM, EV_SOCKET, EV_USER };

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
	char killed[128];	/* why umlctl killed it (RESPAWN_HUNG); "" */
	struct rate nicrate;
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

/* supcon.c */
void sup_record(struct sup *s);
void sup_console_drain(struct sup *s);
bool sup_console_pump(void *s);
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
