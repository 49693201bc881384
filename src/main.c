/*
 * umlctl: run User Mode Linux guests as OpenRC services.
 *
 * The command table is the whole truth about the command line: it drives
 * dispatch, the usage text, the argument counts, the flags and which
 * commands need root.  umlctl(8) lists the same rows (t-cli checks it).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "guest.h"
#include "sys.h"

#ifndef UMLCTL_VERSION
#define UMLCTL_VERSION "unknown"
#endif

static const struct command {
	const char *name;
	int (*fn)(const struct ctx *, int, char **);
	const char *args;	/* usage after the name */
	const char *flags;	/* one-letter options before the args; a ':'
				 * after the letter: it takes a value */
	int min, max;		/* arguments after the flags */
	bool root;
} commands[] = {
	{ "start", cmd_start, "[-f] NAME", "f", 1, 1, true },
	{ "stop", cmd_stop, "NAME", "", 1, 1, true },
	{ "status", cmd_status, "NAME", "", 1, 1, true },
	{ "suspend", cmd_suspend, "NAME", "", 1, 1, true },
	{ "resume", cmd_resume, "NAME", "", 1, 1, true },
	{ "check", cmd_check, "NAME", "", 1, 1, true },
	{ "show", cmd_show, "NAME", "", 1, 1, false },
	{ "mconsole", cmd_mconsole, "NAME COMMAND [ARG...]", "", 2, INT_MAX,
	    true },
	{ "list", cmd_list, "", "", 0, 0, true },
	{ "reopen", cmd_reopen, "[NAME]", "", 0, 1, true },
	{ "console", cmd_console, "NAME", "", 1, 1, true },
	{ "create", cmd_create, "[-u user] [-k kernel] [-s size] [-w swapsize] "
	    "[-i init] [-b base] NAME [SOURCE]", "u:k:s:w:i:b:", 1, 2, true },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int
usage(FILE *f, int status)
{
	size_t i;

	fprintf(f, "usage: umlctl [-c confdir] command [arg ...]\n"
	    "       umlctl -h | --help | --version\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "       umlctl %s%s%s\n", commands[i].name,
		    commands[i].args[0] ? " " : "", commands[i].args);
	return status;
}

static int
command_usage(const struct command *c)
{
	fprintf(stderr, "usage: umlctl %s%s%s\n", c->name, c->args[0] ? " " : "",
	    c->args);
	return EX_USAGE;
}

/* The command's options, then its argument count; argv[0] is the
 * command.  An option given twice is a usage error. */
static int
command_args(const struct command *c, struct ctx *x, int *argc,
    char ***argv)
{
	char **v = *argv;
	int n = *argc, take;
	const char *f;

	while (n > 1 && v[1][0] == '-' && v[1][1] && !v[1][2] &&
	    (f = strchr(c->flags, v[1][1])) && *f != ':') {
		take = f[1] == ':';
		if (n < 2 + take || x->opt[v[1][1] - 'a'])
			return -1;
		x->opt[v[1][1] - 'a'] = take ? v[2] : "";
		v[1 + take] = v[0];
		v += 1 + take;
		n -= 1 + take;
	}
	x->foreground = x->opt['f' - 'a'] != NULL;
	if (n > 1 && strcmp(v[1], "--") == 0) {
		v[1] = v[0];
		v++;
		n--;
	} else if (n > 1 && v[1][0] == '-')
		return -1;	/* an unknown flag */
	*argc = n;
	*argv = v;
	return n - 1 < c->min || n - 1 > c->max ? -1 : 0;
}

/* Global options; returns the index of the command word, or an exit status
 * (negated) when an option settled it. */
static int
options(int argc, char **argv, struct ctx *x)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return -usage(stdout, EX_OK);
		if (strcmp(argv[i], "--version") == 0) {
			printf("umlctl %s\n", UMLCTL_VERSION);
			return -EX_OK;
		}
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			x->confdir = argv[++i];
		else
			return -usage(stderr, EX_USAGE);
	}
	return i < argc ? i : -usage(stderr, EX_USAGE);
}

int
main(int argc, char **argv)
{
	static char real[PATH_MAX];
	struct ctx x = { .confdir = SYSCONFDIR "/conf.d" };
	const struct command *c = NULL;
	size_t i;
	int at;

	umask(022);
	/* Nothing the caller left open is ours to keep (the supervisor lives
	 * long, and the kernel must get fds 0-2 only). */
	(void)close_range(3, ~0U, 0);
	/* And 0-2 open, so that no pipe or socket of ours lands there. */
	while ((at = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0 && at < 3)
		(void)fcntl(at, F_SETFD, 0);
	if (at > 2)
		close(at);
	if ((at = options(argc, argv, &x)) <= 0)
		return -at;
	/* Messages name /etc/conf.d/uml.NAME, not /etc/init.d/../conf.d/...
	 * (the runscript passes the directory OpenRC read). */
	if (realpath(x.confdir, real))
		x.confdir = real;
	argc -= at;
	argv += at;
	for (i = 0; i < NCOMMANDS && !c; i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			c = &commands[i];
	if (!c) {
		fprintf(stderr, "umlctl: unknown command \"%s\"\n", argv[0]);
		return usage(stderr, EX_USAGE);
	}
	if (command_args(c, &x, &argc, &argv) < 0)
		return command_usage(c);
	if (c->root && geteuid() != 0) {
		fprintf(stderr, "umlctl: %s: must be run as root\n", c->name);
		return EX_USAGE;
	}
	return c->fn(&x, argc, argv);
}
