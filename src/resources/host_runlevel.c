/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_runlevel.c: OpenRC's runlevels against guest names and conf.d
 * files, changing nothing.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "resources.h"

/*
 * Runlevels: OpenRC's own, which it enters whether /etc/runlevels has them
 * or not, then those in /etc/runlevels.  While in RUNLEVEL, openrc-run.sh
 * sources conf.d/uml.RUNLEVEL in place of conf.d/uml for every uml.*
 * service, and conf.d/uml.NAME.RUNLEVEL in place of conf.d/uml.NAME.
 * fn's first nonzero return ends the walk and is returned.
 */
static const char *const rc_own_levels[] = { "sysinit", "boot", "default",
	"nonetwork", "shutdown", "single" };

static int
each_runlevel(int (*fn)(const char *, const void *), const void *arg)
{
	struct dirent *e;
	size_t i;
	DIR *d;
	int r = 0;

	for (i = 0; r == 0 && i < sizeof(rc_own_levels) /
	    sizeof(rc_own_levels[0]); i++)
		r = fn(rc_own_levels[i], arg);
	if (r || !(d = opendir(SYSCONFDIR "/runlevels")))
		return r;
	while (r == 0 && (e = readdir(d)))
		if (e->d_name[0] != '.' && strlen(e->d_name) <= NAME_LEN_MAX)
			r = fn(e->d_name, arg);
	closedir(d);
	return r;
}

static int
same_name(const char *level, const void *name)
{
	return strcmp(level, name) == 0;
}

int
host_name_check(const char *name, const char *confdir, char *err,
    size_t errlen)
{
	if (!each_runlevel(same_name, name))
		return 0;
	snprintf(err, errlen, "\"%s\" is an OpenRC runlevel: OpenRC would read "
	    "%s/uml.%s in place of %s/uml for every uml.* service in runlevel "
	    "%s, so it cannot be a guest's; choose another name", name, confdir,
	    name, confdir, name);
	return -1;
}

struct stray {
	const char *confdir, *name;
	char *err;
	size_t errlen;
};

/* conf.d/uml.LEVEL, or conf.d/uml.NAME.LEVEL, exists: the one thing to fix. */
static int
stray_file(const char *level, const void *arg)
{
	const struct stray *s = arg;
	char path[PATH_LEN_MAX * 2];
	struct stat st;

	snprintf(path, sizeof(path), "%s/uml.%s", s->confdir, level);
	if (lstat(path, &st) == 0) {
		snprintf(s->err, s->errlen, "%s: OpenRC reads this file in "
		    "place of %s/uml for every uml.* service in runlevel %s, "
		    "so no guest there would run with the settings umlctl "
		    "checks; a guest cannot be named after a runlevel: move "
		    "the settings into %s/uml.NAME of the guest they are for "
		    "(or into %s/uml if they are everyone's defaults), then "
		    "delete it (a guest's is removed with its service by "
		    "`umlctl remove %s')", path, s->confdir, level, s->confdir,
		    s->confdir, level);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/uml.%s.%s", s->confdir, s->name,
	    level);
	if (lstat(path, &st) == 0) {
		snprintf(s->err, s->errlen, "%s: runlevel-specific conf.d "
		    "files are not supported (OpenRC would read it instead of "
		    "the one umlctl reads); merge it into %s/uml.%s", path,
		    s->confdir, s->name);
		return -1;
	}
	return 0;
}

int
host_runlevel_files(const struct guest *g, const char *confdir,
    char *err, size_t errlen)
{
	struct stray s = { confdir, g->name, err, errlen };

	return each_runlevel(stray_file, &s);
}
