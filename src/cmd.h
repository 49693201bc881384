/*
 * cmd.h: the command handlers.  main.c's table checks every command's
 * arguments and flags before calling one: a handler gets argv[0] the
 * command, then exactly the arguments its row allows.
 */
#ifndef UMLCTL_CMD_H
#define UMLCTL_CMD_H

#include <stdbool.h>

struct ctx {
	const char *confdir;
	bool foreground;	/* start -f */
};

#define MC_CMD_MAX		512
#define MC_CLI_TIMEOUT_MS	5000

int cmd_start(const struct ctx *x, int argc, char **argv);
int cmd_stop(const struct ctx *x, int argc, char **argv);
int cmd_status(const struct ctx *x, int argc, char **argv);
int cmd_check(const struct ctx *x, int argc, char **argv);
int cmd_show(const struct ctx *x, int argc, char **argv);
int cmd_mconsole(const struct ctx *x, int argc, char **argv);
int cmd_list(const struct ctx *x, int argc, char **argv);
int cmd_reopen(const struct ctx *x, int argc, char **argv);
int cmd_console(const struct ctx *x, int argc, char **argv);

/* show.c: every variable of g, resolved, as sh assignments on stdout. */
struct guest;
void show_vars(const struct guest *g);

#endif
