/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd.h: the command handlers.  main.c's table checks every command's
 * arguments and flags before calling one: a handler gets argv[0] the
 * command, then exactly the arguments its row allows.
 */
#ifndef UMLCTL_CMD_H
#define UMLCTL_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "runrec.h"

#define MANY_MAX	16

struct ctx {
	const char *confdir;
	bool foreground;	/* start -f */
	bool json;		/* --json: the command's JSON face */
	const char *opt[26];	/* -a .. -z as the command table allows:
				 * the value, "" for a flag, NULL if not
				 * given */
	const char *many[MANY_MAX];	/* every value of the one repeatable
					 * option (create --ip), in order */
	int nmany;
};

#define MC_CMD_MAX		512
/* The mconsole commands `umlctl mconsole' sends, spelled out; NULL ends. */
extern const char *const mc_words[];
#define MC_CLI_TIMEOUT_MS	5000

int cmd_start(const struct ctx *x, int argc, char **argv);
int cmd_suspend(const struct ctx *x, int argc, char **argv);
int cmd_resume(const struct ctx *x, int argc, char **argv);
int cmd_stop(const struct ctx *x, int argc, char **argv);
int cmd_status(const struct ctx *x, int argc, char **argv);
int cmd_check(const struct ctx *x, int argc, char **argv);
int cmd_show(const struct ctx *x, int argc, char **argv);
int cmd_mconsole(const struct ctx *x, int argc, char **argv);
int cmd_list(const struct ctx *x, int argc, char **argv);
int cmd_reopen(const struct ctx *x, int argc, char **argv);
int cmd_console(const struct ctx *x, int argc, char **argv);
int cmd_create(const struct ctx *x, int argc, char **argv);
int cmd_remove(const struct ctx *x, int argc, char **argv);
int cmd_backup(const struct ctx *x, int argc, char **argv);

/* cmd_run.c: signal sig sent to guest name's supervisor; its pidfd (and
 * pid in *pid).  Dies if the guest does not run, or with still starting. */
int cmd_signal_supervisor(const struct ctx *x, int basefd, const char *name,
    int sig, pid_t *pid);

/* Dies with EX_CONFIG unless name is a valid guest name and no runlevel. */
void cmd_guest_name(const struct ctx *x, const char *name);

/* The guest's conf.d files read and checked (text, if not NULL, in place
 * of conf.d/uml.NAME), USER looked up into *a (if a): exits with
 * EX_CONFIG and the reason when anything is wrong. */
struct guest;
struct conf;
struct account;
void cmd_load(const struct ctx *x, const char *name, struct guest *g,
    struct account *a, bool groups, const char *text);
/* The same without dying: 0, or -1 and the reason in err. */
int cmd_try_load(const struct ctx *x, const char *name, struct guest *g,
    const char *text, char *err, size_t errlen);
/* Each name in confdir (a uml.NAME file, NAME valid), in readdir order:
 * fn(name, arg). */
void cmd_each_guest(const struct ctx *x, void (*fn)(const char *, void *),
    void *arg);

/* name, if it is a valid guest name; else dies with EX_CONFIG.  For the
 * commands that work from the runtime record (stop, status, mconsole):
 * conf.d is never read for a running guest. */
const char *cmd_valid_name(const char *name);
/* What a killed supervisor left of guest name's run removed, the run
 * recorded as crashed (into *out if not NULL); -1 if it was not orphaned. */
int cmd_orphan_sweep(int basefd, const char *name, struct outcome *out);

/* swapnote.c: a running guest with a swap disk (k->swap) but no swap at all
 * (its /proc/meminfo) is said on stdout; nothing if it has swap or no
 * answer. */
void cmd_swap_note(int dfd, const char *name, const struct krecord *k);

/* show.c: every variable of g, resolved, as sh assignments on stdout. */
void show_vars(const struct guest *g, const struct conf *c);

#endif
