/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netns.c: network namespaces, as root: into a guest's NETNS (a name that
 * `ip netns add' made in /run/netns) and back to umlctl's own, and the
 * taps of a run deleted in the namespace they were made in.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chars.h"
#include "resources.h"
#include "util.h"

/* The namespaces `ip netns' made (the names in /run/netns) into list. */
static void
netns_names(char *list, size_t len)
{
	struct dirent *e;
	DIR *d = opendir("/run/netns");

	list[0] = '\0';
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			net_list_add(list, len, e->d_name);
	if (d)
		closedir(d);
}

/* umlctl's own network namespace, opened by the first net_enter, before
 * it leaves: where an empty NETNS is, and where net_home comes back to. */
static int home = -1;

int
net_enter(const char *netns, char *err, size_t errlen)
{
	char path[64 + NAME_LEN_MAX], there[512];
	int fd, e;

	if (!netns[0])
		return 0;
	if (home < 0 && (home = open("/proc/self/ns/net", O_RDONLY |
	    O_CLOEXEC)) < 0)
		return snprintf(err, errlen, "/proc/self/ns/net: %s",
		    strerror(errno)), -1;
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0 &&
	    setns(fd, CLONE_NEWNET) == 0) {
		close(fd);
		return 0;
	}
	e = errno;
	if (fd >= 0)
		close(fd);
	if (e != ENOENT)
		snprintf(err, errlen, "NETNS=\"%s\": %s: %s", netns, path,
		    strerror(e));
	else if (netns_names(there, sizeof(there)), !there[0])
		snprintf(err, errlen, "NETNS=\"%s\": no such network "
		    "namespace, and /run/netns has none (make it with `ip "
		    "netns add %s')", netns, netns);
	else
		snprintf(err, errlen, "NETNS=\"%s\": no such network "
		    "namespace in /run/netns, which has: %s (a new one: `ip "
		    "netns add %s')", netns, there, netns);
	errno = e;
	return -1;
}

void
net_home(void)
{
	if (home >= 0 && setns(home, CLONE_NEWNET) < 0)
		die_errno(EX_SYSTEM, "back to umlctl's network namespace");
}

/*
 * net_teardown in the network namespace netns ("": umlctl's own), the one
 * the taps were made in, whichever the caller is in; then back there.  A
 * namespace that is gone took its taps with it.
 */
void
net_teardown_in(const char *netns, const char *list)
{
	char err[256];
	int here;

	if (!list[0])
		return;
	if ((here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		die_errno(EX_SYSTEM, "/proc/self/ns/net");
	if (!netns[0])
		net_home();
	if (netns[0] && net_enter(netns, err, sizeof(err)) < 0) {
		if (errno != ENOENT)
			warnmsg("taps %s not deleted: %s", list, err);
	} else
		net_teardown(list);
	if (setns(here, CLONE_NEWNET) < 0)
		die_errno(EX_SYSTEM, "back to the network namespace it was in");
	close(here);
}
