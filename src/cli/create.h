/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * create.h: what create.c (the command and its checks) and create_make.c (the
 * making, and its undoing) share: the job.
 */
#ifndef UMLCTL_CREATE_H
#define UMLCTL_CREATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "guest.h"
#include "perm.h"
#include "system.h"

enum source { SRC_EMPTY, SRC_DEBIAN, SRC_DIR, SRC_TAR, SRC_BASE };

/* One file or directory made, to be removed if the whole does not finish. */
struct made {
	int dfd;
	char name[NAME_LEN_MAX + 16];
	ino_t ino;
	bool dir;
};

struct job {
	char *name;
	struct guest g;
	struct account a;
	enum source src;
	char *from;		/* SOURCE as given */
	char *suite;		/* debian:SUITE */
	bool sysvinit;
	uint64_t size_kib, swap_kib;
	bool new_conf;		/* conf.d/uml.NAME is ours to write */
	char conf[2048];	/* its text */
	char stage[96];		/* the staging directory, or "" */
	int stagefd;
	struct made made[8];
	size_t nmade;
	struct prep prep;	/* the edits; create_wayin.c adds the way in */
	char keys[16384];	/* --ssh-key's text */
	char hash[256];		/* --root-password-hash's hash */
	char packages[1024];	/* --packages, checked, and what the way in
				 * needs (openssh-server, a DHCP client) */
};

/* create_wayin.c: --ssh-key, --root-password-hash, --ip, --dhcp,
 * --packages checked (exit 2 naming the option and value) into j->prep
 * and j->packages; needs j->src and j->sysvinit. */
struct ctx;
void wayin_take(const struct ctx *x, struct job *j);

/*
 * create_make.c.  From job_begin on, a failure (or SIGINT, SIGTERM, SIGHUP)
 * removes what was made and exits 111 (2 for a refusal found late).
 */
void job_begin(struct job *j);
void job_stage(struct job *j);		/* SOURCE's tree, prepared */
void job_disks(struct job *j);		/* ROOT (mke2fs -d), SWAP */
void job_service(struct job *j, const char *confdir);	/* conf.d, link */
void job_end(struct job *j);		/* keep what was made */

/* create_job.c: what was made, undone on failure. */
/* Undo what j made, then die with status and the message. */
void job_fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* dfd/name made by j: removed again if j fails. */
void job_remember(struct job *j, int dfd, const char *name, bool dir);
/* The signal that came meanwhile (0: none); job_fail if one did. */
int job_stopped(void);
void job_signalled(void);
/* A step of j begins: shown with the time since job_begin when standard
 * error is a terminal. */
void job_step(const struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* create_run.c: the programs create runs; a failure or a signal is
 * job_fail.  ns: in a mount namespace of its own (mmdebstrap). */
void run_ok_ns(char *const *argv, int keep, const char *what, bool ns);
void run_ok(char *const *argv, int keep, const char *what);
/* Directory from copied into tree (tar on both ends of a pipe). */
void copy_tree(char *from, char *tree);

#endif
