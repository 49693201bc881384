/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_load.c: a guest's conf.d files read (uml, then uml.NAME, as OpenRC
 * reads them) and built into a struct guest; the instance name checked;
 * every guest with a conf.d file visited.  The handlers of cmd.c and
 * others load through here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chars.h"
#include "cmd.h"
#include "confread.h"
#include "guestconf.h"
#include "parse.h"
#include "resources.h"
#include "util.h"

/* Read one conf.d file into c (text instead, if given: a file not yet
 * written); a missing optional file is fine.  0, or -1 and err. */
static int
read_conf(struct conf *c, const char *path, bool required, const char *given,
    char *err, size_t errlen)
{
	static char text[256 * 1024];
	struct stat st;
	ssize_t n;
	int fd;

	if (given)
		return conf_parse(c, path, given, strlen(given), err, errlen);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (errno == ENOENT && !required)
			return 0;
		return ch_fail(err, errlen, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ch_fail(err, errlen, "%s: not a regular file", path);
	}
	if (st.st_uid != 0 || (st.st_mode & 022)) {
		close(fd);
		return ch_fail(err, errlen, "%s: must be owned by root and "
		    "writable only by root (it decides who the guest runs as)",
		    path);
	}
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n < 0)
		return ch_fail(err, errlen, "%s: %s", path, strerror(errno));
	if ((size_t)n == sizeof(text))
		return ch_fail(err, errlen, "%s: larger than %zu bytes", path,
		    sizeof(text));
	return conf_parse(c, path, text, (size_t)n, err, errlen);
}

/* name for a message: printable ASCII only, at most 64 bytes. */
static const char *
shown(const char *name)
{
	static char buf[68];
	size_t i;

	for (i = 0; i < 64 && name[i]; i++)
		buf[i] = name[i] >= ' ' && name[i] < 127 && name[i] != '"' ?
		    name[i] : '?';
	snprintf(buf + i, sizeof(buf) - i, "%s", name[i] ? "..." : "");
	return buf;
}

/* A name that start, check and create take: valid, and no runlevel's. */
void
cmd_guest_name(const struct ctx *x, const char *name)
{
	char err[1024];

	if (parse_name(name, err, sizeof(err)) < 0 ||
	    host_name_check(name, x->confdir, err, sizeof(err)) < 0)
		die(EX_CONFIG, "instance name \"%s\": %s", shown(name), err);
}

struct conf cmd_loaded;	/* what cmd_try_load read last (check's lint) */

/* The guest's configuration as OpenRC would source it, read into c and
 * built into g; 0, or -1 and the reason. */
int
cmd_load_into(struct conf *c, const struct ctx *x, const char *name,
    struct guest *g, const char *text, char *err, size_t errlen)
{
	char path[PATH_LEN_MAX + NAME_LEN_MAX], svc[NAME_LEN_MAX + 8];
	char why[1024], seed[MAC_SEED_MAX];

	if (parse_name(name, why, sizeof(why)) < 0)
		return ch_fail(err, errlen, "instance name \"%s\": %s",
		    shown(name), why);
	conf_init(c);
	snprintf(svc, sizeof(svc), "uml.%s", name);
	conf_set_builtin(c, "RC_SVCNAME", svc);
	snprintf(path, sizeof(path), "%s/uml", x->confdir);
	if (read_conf(c, path, false, NULL, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/uml.%s", x->confdir, name);
	if (read_conf(c, path, true, text, err, errlen) < 0)
		return -1;
	if (config_build(c, name, g, why, sizeof(why)) < 0)
		return ch_fail(err, errlen, "%s: %s", name, why);
	host_mac_seed(seed, sizeof(seed));
	config_host_seed(g, seed);
	return 0;
}

/* The guest's configuration as OpenRC would source it into g (text, if
 * not NULL, stands for conf.d/uml.NAME); 0, or -1 and the reason. */
int
cmd_try_load(const struct ctx *x, const char *name, struct guest *g,
    const char *text, char *err, size_t errlen)
{
	return cmd_load_into(&cmd_loaded, x, name, g, text, err, errlen);
}

void
cmd_load(const struct ctx *x, const char *name, struct guest *g,
    struct account *a, bool groups, const char *text)
{
	char err[1536];

	if (cmd_try_load(x, name, g, text, err, sizeof(err)) < 0)
		die(EX_CONFIG, "%s", err);
	if (a && host_account(g->user, a, groups, err, sizeof(err)) < 0)
		die(EX_CONFIG, "%s: %s", name, err);
}

/*
 * A guest name for the commands that work from the runtime record (stop,
 * status, mconsole): conf.d is never read for a running guest, so a file
 * being edited cannot change how it stops.
 */
const char *
cmd_valid_name(const char *name)
{
	char err[256];

	if (parse_name(name, err, sizeof(err)) < 0)
		die(EX_CONFIG, "instance name \"%s\": %s", shown(name), err);
	return name;
}

void
cmd_each_guest(const struct ctx *x, void (*fn)(const char *, void *),
    void *arg)
{
	char err[256];
	struct dirent *e;
	DIR *d;

	if (!(d = opendir(x->confdir)))
		die_errno(EX_CONFIG, "%s", x->confdir);
	while ((e = readdir(d)))
		if (strncmp(e->d_name, "uml.", 4) == 0 &&
		    parse_name(e->d_name + 4, err, sizeof(err)) == 0)
			fn(e->d_name + 4, arg);
	closedir(d);
}
