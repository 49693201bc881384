/*
 * umlctl: run User Mode Linux guests as OpenRC services.
 */
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

static const struct command {
	const char *name;
	int (*fn)(const struct ctx *, int, char **);
	const char *usage;
	bool root;
} commands[] = {
	{ "start", cmd_start, "start [-f] NAME", true },
	{ "stop", cmd_stop, "stop NAME", true },
	{ "status", cmd_status, "status NAME", true },
	{ "check", cmd_check, "check NAME", true },
	{ "show", cmd_show, "show NAME", false },
	{ "mconsole", cmd_mconsole, "mconsole NAME COMMAND [ARG...]", true },
	{ "list", cmd_list, "list", true },
};

static int usage(void)
{
	size_t i;

	fprintf(stderr, "usage: umlctl [-c confdir] command [arg ...]\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(stderr, "       umlctl %s\n", commands[i].usage);
	return EX_USAGE;
}

int main(int argc, char **argv)
{
	static char real[PATH_MAX];
	struct ctx x = { .confdir = SYSCONFDIR "/conf.d" };
	size_t i;
	int ch;

	umask(022);
	/* Nothing the caller left open is ours to keep (the supervisor lives
	 * long, and the kernel must get fds 0-2 only). */
	(void)close_range(3, ~0U, 0);
	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c':
			x.confdir = optarg;
			break;
		default:
			return usage();
		}
	}
	/* Messages name /etc/conf.d/uml.NAME, not /etc/init.d/../conf.d/...
	 * (the runscript passes the directory OpenRC read). */
	if (realpath(x.confdir, real))
		x.confdir = real;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage();
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[0], commands[i].name))
			continue;
		if (commands[i].root && geteuid() != 0) {
			fprintf(stderr, "umlctl: %s: must be run as root\n", argv[0]);
			return EX_USAGE;
		}
		return commands[i].fn(&x, argc, argv);
	}
	fprintf(stderr, "umlctl: unknown command \"%s\"\n", argv[0]);
	return usage();
}
