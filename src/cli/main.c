/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * umlctl: run User Mode Linux guests as OpenRC services.
 *
 * The command table is the whole truth about the command line: it drives
 * dispatch, the usage text, `help' (a line per command and per option),
 * the argument counts, the flags and which commands need root.
 * umlctl(8) lists the same rows (t-cli checks it).
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
#include "report.h"
#include "resources.h"

#ifndef UMLCTL_VERSION
#define UMLCTL_VERSION "unknown"
#endif

/* One option of a command: -LETTER, and --NAME if it has one. */
struct flag {
	char letter;		/* '\0' ends a list */
	const char *name;	/* the long form, or NULL */
	const char *value;	/* the value's name; NULL: takes none */
	const char *help;
	bool many;		/* may be given more than once (ctx.many) */
};

static const struct flag start_flags[] = {
	{ 'f', NULL, NULL, "stay in the foreground as the supervisor", false },
	{ 'q', NULL, NULL, "no line on success (the runscript's, whose eend "
	    "says it)", false },
	{ 0, NULL, NULL, NULL, false },
};

static const struct flag check_flags[] = {
	{ 'q', NULL, NULL, "leave out the host's ptrace note (the runscript's "
	    "restart)", false },
	{ 0, NULL, NULL, NULL, false },
};

static const struct flag create_flags[] = {
	{ 'u', NULL, "user", "USER, who runs the kernel (needed when "
	    "conf.d/uml.NAME does not exist yet)", false },
	{ 'k', NULL, "kernel", "KERNEL, the UML kernel file", false },
	{ 's', NULL, "size", "the root disk's size, 16M to 16384G (default 2G)",
	    false },
	{ 'w', NULL, "swapsize", "make a swap disk (SWAP) of this size too",
	    false },
	{ 'i', NULL, "init", "for debian:SUITE: systemd (default) or sysvinit",
	    false },
	{ 'b', NULL, "base", "BASE_IMAGE: a guest over this shared read-only "
	    "image (no SOURCE)", false },
	{ 'a', "ssh-key", "file", "root's authorized_keys (debian:SUITE: with "
	    "openssh-server)", false },
	{ 'r', "root-password-hash", "file", "root's crypt(3) hash, read from "
	    "FILE (never a clear password)", false },
	{ 'n', "ip", "vecN=addr/len[,gw]", "a static address for the guest's "
	    "NIC vecN (repeatable)", true },
	{ 'd', "dhcp", NULL, "DHCP on every NIC instead", false },
	{ 'p', "packages", "list", "for debian:SUITE: more packages "
	    "(comma-separated)", false },
	{ 0, NULL, NULL, NULL, false },
};

static const struct flag remove_flags[] = {
	{ 'i', "images", NULL, "remove its disks too (ROOT or its COW file, "
	    "SWAP), never BASE_IMAGE", false },
	{ 0, NULL, NULL, NULL, false },
};

static const struct flag backup_flags[] = {
	{ 's', "swap", NULL, "copy SWAP too", false },
	{ 0, NULL, NULL, NULL, false },
};

static const struct flag json_flags[] = {
	{ 'j', "json", NULL, "print JSON instead: schema 1, umlctl(8) JSON",
	    false },
	{ 0, NULL, NULL, NULL, false },
};

static const struct flag metrics_flags[] = {
	{ 'o', NULL, "file", "write FILE instead, atomically (node_exporter's "
	    "textfile collector)", false },
	{ 0, NULL, NULL, NULL, false },
};

static const struct flag no_flags[] = { { 0, NULL, NULL, NULL, false } };

static int cmd_help(const struct ctx *x, int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(const struct ctx *, int, char **);
	int (*json)(const struct ctx *, int, char **);	/* --json; NULL: none */
	const char *args;	/* usage after the name */
	const struct flag *flags;
	int min, max;		/* arguments besides the flags */
	bool root;
	const char *help;	/* one line */
	const char *more;	/* lines after the options, or NULL */
	const char *const *words;	/* COMMAND's words, or NULL */
} commands[] = {
	{ "start", cmd_start, NULL, "[-f] [-q] NAME", start_flags, 1, 1, true,
	    "check the guest and the host, start it, return once it is ready",
	    NULL, NULL },
	{ "stop", cmd_stop, NULL, "NAME", no_flags, 1, 1, true,
	    "stop the guest (ctrl-alt-del, then the stop ladder); say how",
	    NULL, NULL },
	{ "status", cmd_status, cmd_status_json, "[--json] NAME", json_flags, 1,
	    1, true, "say whether the guest runs, or how its last run ended",
	    NULL, NULL },
	{ "suspend", cmd_suspend, NULL, "NAME", no_flags, 1, 1, true,
	    "pause the running guest (mconsole stop); it keeps its memory and "
	    "console", NULL, NULL },
	{ "resume", cmd_resume, NULL, "NAME", no_flags, 1, 1, true,
	    "let a suspended guest run on (mconsole go)", NULL, NULL },
	{ "backup", cmd_backup, NULL, "NAME DIR [--swap]", backup_flags, 2, 2,
	    true, "copy the guest's disks into DIR; a running guest is synced "
	    "and paused meanwhile", NULL, NULL },
	{ "check", cmd_check, NULL, "[-q] NAME", check_flags, 1, 1, true,
	    "check the configuration, the host and the guest's files; change "
	    "nothing", NULL, NULL },
	{ "show", cmd_show, cmd_show_json, "[--json] NAME", json_flags, 1, 1,
	    false, "print the configuration with its defaults, and the "
	    "kernel's command line", NULL, NULL },
	{ "mconsole", cmd_mconsole, NULL, "NAME COMMAND [ARG...]", no_flags, 2,
	    INT_MAX, true, "send one command to the guest kernel's mconsole, "
	    "print the reply", NULL, mc_words },
	{ "list", cmd_list, cmd_list_json, "[--json]", json_flags, 0, 0, true,
	    "every guest of the conf.d directory, with its state", NULL, NULL },
	{ "metrics", cmd_metrics, NULL, "[-o FILE]", metrics_flags, 0, 0, true,
	    "every guest's figures in Prometheus's text format", NULL, NULL },
	{ "reopen", cmd_reopen, NULL, "[NAME]", no_flags, 0, 1, true,
	    "reopen the guest's console log, or every running guest's "
	    "(logrotate)", NULL, NULL },
	{ "console", cmd_console, NULL, "NAME", no_flags, 1, 1, true,
	    "attach to the running guest's console; Ctrl-] detaches", NULL,
	    NULL },
	{ "create", cmd_create, NULL, "[-u user] [-k kernel] [-s size] [-w "
	    "swapsize] [-i init] [-b base] [--ssh-key file] "
	    "[--root-password-hash file] [--ip vecN=addr/len[,gw]]... [--dhcp] "
	    "[--packages list] NAME [SOURCE]", create_flags, 1, 2, true,
	    "make a guest's disks, prepared for UML, and its service",
	    "SOURCE:\n  debian:SUITE     a minimal Debian (mmdebstrap, the "
	    "host's mirror)\n  /DIRECTORY       a root file system, copied "
	    "with GNU tar\n  /FILE.tar[.gz]   a root file system tarball "
	    "(.tar, .tar.gz, .tgz, .tar.xz, .txz,\n                   "
	    ".tar.bz2, .tar.zst)\n  empty            an empty formatted disk "
	    "(also without SOURCE)\n", NULL },
	{ "remove", cmd_remove, NULL, "NAME [--images]", remove_flags, 1, 1,
	    true, "remove a stopped guest's service, runlevel entries, records "
	    "and logs", NULL, NULL },
	{ "help", cmd_help, NULL, "[COMMAND]", no_flags, 0, 1, false,
	    "the commands, or one command's usage and options", NULL, NULL },
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

/* umlctl help, -h, --help: the usage, then a line per command. */
static int
help(void)
{
	size_t i;

	usage(stdout, EX_OK);
	printf("\nCommands (umlctl help COMMAND, or umlctl COMMAND --help, for "
	    "its options):\n");
	for (i = 0; i < NCOMMANDS; i++)
		printf("  %-9s %s\n", commands[i].name, commands[i].help);
	printf("\nOptions:\n"
	    "  -c confdir  read the guests' conf.d files from confdir "
	    "(default " SYSCONFDIR "/conf.d)\n"
	    "  -h, --help  print this\n"
	    "  --version   print the version\n"
	    "\nSee umlctl(8) and uml(8).\n");
	return EX_OK;
}

/* umlctl help COMMAND, umlctl COMMAND --help: its usage, its options. */
static int
command_help(const struct command *c)
{
	const struct flag *f;
	const char *const *w;
	char opt[64];

	printf("usage: umlctl %s%s%s\n%s\n", c->name, c->args[0] ? " " : "",
	    c->args, c->help);
	for (f = c->flags; f->letter; f++) {
		snprintf(opt, sizeof(opt), "-%c%s%s%s%s", f->letter,
		    f->name ? ", --" : "", f->name ? f->name : "",
		    f->value ? " " : "", f->value ? f->value : "");
		if (strlen(opt) > 16)	/* the help on a line of its own */
			printf("  %s\n  %-16s %s\n", opt, "", f->help);
		else
			printf("  %-16s %s\n", opt, f->help);
	}
	if (c->more)
		fputs(c->more, stdout);
	for (w = c->words; w && *w; w++)
		printf("%s%s", w == c->words ? "COMMAND, spelled out: " : ", ",
		    *w);
	if (c->words)
		printf("\n");
	return EX_OK;
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static int
cmd_help(const struct ctx *x, int argc, char **argv)
{
	const struct command *c;

	(void)x;
	if (argc < 2)
		return help();
	if (!(c = find_command(argv[1]))) {
		fprintf(stderr, "umlctl: help: unknown command \"%s\"\n",
		    argv[1]);
		return usage(stderr, EX_USAGE);
	}
	return command_help(c);
}

static int
command_usage(const struct command *c)
{
	fprintf(stderr, "usage: umlctl %s%s%s\n", c->name, c->args[0] ? " " :
	    "", c->args);
	return EX_USAGE;
}

/* c's option that arg is (-x, or --name), or NULL. */
static const struct flag *
find_flag(const struct command *c, const char *arg)
{
	const struct flag *f;

	if (arg[0] != '-')
		return NULL;
	for (f = c->flags; f->letter; f++)
		if ((arg[1] == f->letter && !arg[2]) || (f->name &&
		    arg[1] == '-' && strcmp(arg + 2, f->name) == 0))
			return f;
	return NULL;
}

/*
 * The command's options, then its argument count; argv[0] is the
 * command.  Options come first; a long option that takes no value may
 * also end the line (remove NAME --images).  An option given twice is a
 * usage error.
 */
static int
command_args(const struct command *c, struct ctx *x, int *argc,
    char ***argv)
{
	const struct flag *f;
	char **v = *argv;
	int n = *argc, take;

	while (n > 1 && (f = find_flag(c, v[1]))) {
		take = f->value != NULL;
		if (n < 2 + take || (x->opt[f->letter - 'a'] && !f->many) ||
		    (f->many && x->nmany >= MANY_MAX))
			return -1;
		x->opt[f->letter - 'a'] = take ? v[2] : "";
		if (f->many)
			x->many[x->nmany++] = v[2];
		v[1 + take] = v[0];
		v += 1 + take;
		n -= 1 + take;
	}
	x->foreground = x->opt['f' - 'a'] != NULL;
	x->json = x->opt['j' - 'a'] != NULL;
	if (n > 1 && strcmp(v[1], "--") == 0) {
		v[1] = v[0];
		v++;
		n--;
	} else if (n > 1 && v[1][0] == '-')
		return -1;	/* an unknown flag */
	else
		while (n > 2 && strncmp(v[n - 1], "--", 2) == 0 &&
		    (f = find_flag(c, v[n - 1])) && !f->value) {
			if (x->opt[f->letter - 'a'])
				return -1;
			x->opt[f->letter - 'a'] = "";
			n--;
		}
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
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i],
		    "--help") == 0)
			return -help();
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
	const struct command *c;
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
	if (!(c = find_command(argv[0]))) {
		fprintf(stderr, "umlctl: unknown command \"%s\"\n", argv[0]);
		return usage(stderr, EX_USAGE);
	}
	/* Help before anything else, root or not. */
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		return command_help(c);
	if (command_args(c, &x, &argc, &argv) < 0)
		return command_usage(c);
	/* --json reads the runtime records, root's. */
	if ((c->root || x.json) && geteuid() != 0) {
		fprintf(stderr, "umlctl: %s: must be run as root\n", c->name);
		return EX_USAGE;
	}
	return (x.json ? c->json : c->fn)(&x, argc, argv);
}
