/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prepare.c: the primer's guest edits, made for the guest: what a guest's
 * root file system needs to run well under umlctl.
 *
 * The tree is untrusted (a tarball, a directory, or packages): its links
 * may point anywhere.  So the edits run in a child chrooted into the tree,
 * where every path, and every link, resolves inside it; the child runs
 * only this code (no program of the guest's).  What it writes:
 * - /etc/fstab: / on /dev/ubda (ext4), swap on /dev/ubdb if there is one
 *   (systemd: noauto, and umlctl-swap.service turns it on without waiting
 *   for udev, prep_swap_unit; others: nofail, and a 30 s device timeout
 *   should systemd be installed later); other lines for / or swap are
 *   commented out;
 * - /etc/hostname, and the name in /etc/hosts;
 * - /etc/sysctl.d/90-umlctl.conf: kernel.sysrq = 1 (the stop's sync and
 *   remount read-only go through sysrq; gcheck.c);
 * - systemd: ctrl-alt-del.target -> poweroff.target, console-getty.service
 *   (con0 is /dev/console) instead of getty@ttyN, umlctl-ready.service
 *   running /etc/umlctl-ready.sh once multi-user.target is reached, and
 *   systemd-networkd for vec* and eth* (no address: the admin's to add);
 * - inittab (sysvinit, busybox, OpenRC on either): ctrlaltdel powers off,
 *   a getty on /dev/console (con0; /dev/tty0 may have no node) instead of
 *   tty1..., and a line running /etc/umlctl-ready.sh;
 * - /etc/umlctl-ready.sh: brings the NICs up, saying "umlctl-ready: vec0
 *   up" on the console for each, and writes "ready" to /proc/mconsole;
 * - create's way in (keys, password hash, addresses): prepare_wayin.c.
 * The file primitives, which never write through a link: prepare_file.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gcheck.h"
#include "prepare.h"
#include "util.h"

#define MARK		"#umlctl# "	/* a line umlctl commented out */
#define SD		"/etc/systemd/system"
#define READY_PATH	"/etc/umlctl-ready.sh"
enum init_kind { INIT_SYSTEMD, INIT_BUSYBOX, INIT_SYSV, INIT_OTHER };

static bool
exists_in(void *arg, const char *path)
{
	return prep_exists(path);
}

static enum init_kind
init_kind(char *init, size_t len)
{
	const char *found = gc_find_init(exists_in, NULL);
	char real[PATH_MAX];

	snprintf(init, len, "%s", found ? found : "");
	if (!found || !realpath(init, real))
		return INIT_OTHER;
	if (strstr(real, "systemd"))
		return INIT_SYSTEMD;
	if (strcmp(strrchr(real, '/'), "/busybox") == 0)
		return INIT_BUSYBOX;
	return prep_exists("/etc/inittab") ? INIT_SYSV : INIT_OTHER;
}

/* Whether field i of line is word w. */
static bool
field_is(const char *line, int i, const char *w)
{
	const char *f;
	size_t fl;

	return gc_field(line, strlen(line), i, &f, &fl) && fl == strlen(w) &&
	    memcmp(f, w, fl) == 0;
}

/*
 * systemd's swap units from fstab wait for udev's device unit, which
 * under Debian's 6.1 kernel on a busy host came more than 30 s into the
 * boot (udevd itself started 56 s in): the swap timed out.  So under
 * systemd the swap line is noauto and this unit turns the swap on: it
 * needs only the device node (devtmpfs has it from the kernel's start),
 * no device unit, nothing that can time out; a guest run without SWAP
 * skips it.
 */
static int
prep_swap_unit(void)
{
	static const char unit[] =
	    "# umlctl: swap on ubd1 without waiting for udev (uml(8), SWAP)\n"
	    "[Unit]\nDescription=Swap on /dev/ubdb (umlctl)\n"
	    "DefaultDependencies=no\nConditionPathExists=/dev/ubdb\n"
	    "Before=swap.target umount.target\nConflicts=umount.target\n\n"
	    "[Service]\nType=oneshot\nRemainAfterExit=yes\n"
	    "ExecStart=/sbin/swapon /dev/ubdb\n"
	    "ExecStop=-/sbin/swapoff /dev/ubdb\n\n"
	    "[Install]\nWantedBy=swap.target\n";

	return prep_put_file(SD "/umlctl-swap.service", unit, 0644) < 0 ||
	    prep_put_link(SD "/swap.target.wants/umlctl-swap.service",
	    "../umlctl-swap.service") < 0 ? -1 : 0;
}

static int
prep_fstab(bool swap, bool systemd)
{
	static char in[TEXT_MAX], out[TEXT_MAX + 256];
	char *line, *save = NULL;
	size_t o = 0;

	if (!prep_get_file("/etc/fstab", in))
		return -1;
	for (line = strtok_r(in, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s\n",
		    line[0] != '#' && (field_is(line, 1, "/") ||
		    field_is(line, 2, "swap")) ? MARK : "", line);
		if (o >= sizeof(out))
			return prep_fail("/etc/fstab: too long");
	}
	o += (size_t)snprintf(out + o, sizeof(out) - o, "# umlctl: the root "
	    "disk is ubd0, swap ubd1\n/dev/ubda / ext4 defaults 0 1\n%s",
	    !swap ? "" : systemd ? "/dev/ubdb none swap sw,noauto 0 0\n" :
	    "/dev/ubdb none swap sw,nofail,x-systemd.device-timeout=30s 0 0\n");
	if (o >= sizeof(out))
		return prep_fail("/etc/fstab: too long");
	if (swap && systemd && prep_swap_unit() < 0)
		return -1;
	return prep_put_file("/etc/fstab", out, 0644);
}

static int
prep_names(const char *name)
{
	static char hosts[TEXT_MAX], out[TEXT_MAX + 128];
	char line[128];

	snprintf(line, sizeof(line), "%s\n", name);
	if (prep_put_file("/etc/hostname", line, 0644) < 0)
		return -1;
	if (!prep_get_file("/etc/hosts", hosts))
		return -1;
	snprintf(line, sizeof(line), "127.0.1.1\t%s\n", name);
	if (strstr(hosts, line))
		return 0;
	snprintf(out, sizeof(out), "%s%s%s", hosts[0] ? hosts :
	    "127.0.0.1\tlocalhost\n", hosts[0] && hosts[strlen(hosts) - 1] !=
	    '\n' ? "\n" : "", line);
	return prep_put_file("/etc/hosts", out, 0644);
}

static int
prep_systemd(const char *ready_script)
{
	static const char ready[] =
	    "# umlctl: tell the host the guest is up (uml(8), READY=guest)\n"
	    "[Unit]\nDescription=Tell umlctl the guest is up\n"
	    "After=multi-user.target\nConditionPathExists=/proc/mconsole\n\n"
	    "[Service]\nType=oneshot\nStandardOutput=journal+console\n"
	    "ExecStart=/bin/sh " READY_PATH "\n\n"
	    "[Install]\nWantedBy=multi-user.target\n";
	static const char net[] =
	    "# umlctl: bring the guest's NICs up; add Address= or DHCP=yes\n"
	    "[Match]\nName=vec* eth*\n\n[Link]\nRequiredForOnline=no\n\n"
	    "[Network]\nLinkLocalAddressing=no\nConfigureWithoutCarrier=yes\n";
	static const char logind[] =
	    "# umlctl: UML connects no virtual terminals\n"
	    "[Login]\nNAutoVTs=0\nReserveVT=0\n";

	if (prep_put_file(READY_PATH, ready_script, 0755) < 0 ||
	    prep_put_link(SD "/ctrl-alt-del.target",
	    "/lib/systemd/system/poweroff.target") < 0 || (unlink(SD
	    "/getty.target.wants/getty@tty1.service") < 0 && errno != ENOENT) ||
	    prep_put_link(SD "/getty@.service", "/dev/null") < 0 ||
	    prep_put_link(SD "/getty-static.service", "/dev/null") < 0 ||
	    prep_put_link(SD "/getty.target.wants/console-getty.service",
	    "/lib/systemd/system/console-getty.service") < 0 ||
	    prep_put_file("/etc/systemd/logind.conf.d/umlctl.conf", logind,
	    0644) < 0 || prep_put_file(SD "/umlctl-ready.service", ready,
	    0644) < 0 || prep_put_link(SD
	    "/multi-user.target.wants/umlctl-ready.service",
	    "../umlctl-ready.service") < 0)
		return -1;
	if (!prep_exists("/lib/systemd/system/systemd-networkd.service"))
		return 0;
	return prep_put_file("/etc/systemd/network/50-umlctl.network", net,
	    0644) < 0 || prep_put_link(SD
	    "/multi-user.target.wants/systemd-networkd.service",
	    "/lib/systemd/system/systemd-networkd.service") < 0 ? -1 : 0;
}

/* An inittab line umlctl replaces: ctrlaltdel, and gettys on tty1... */
static bool
replaced(const char *line)
{
	const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') :
	    NULL;
	const char *c3 = c2 ? strchr(c2 + 1, ':') : NULL, *t;

	if (line[0] == '#' || !c3)
		return false;
	if (strncmp(c2 + 1, "ctrlaltdel:", 11) == 0)
		return true;
	if (!strstr(c3, "getty"))
		return strncmp(line, "tty", 3) == 0 && line[3] >= '1' &&
		    line[3] <= '9' && strncmp(c2 + 1, "respawn:", 8) == 0;
	for (t = strstr(c3, "tty"); t; t = strstr(t + 3, "tty"))
		if (t[3] >= '1' && t[3] <= '9')
			return true;
	return strncmp(line, "tty", 3) == 0 && line[3] >= '1' && line[3] <= '9';
}

static int
prep_inittab(enum init_kind k, const char *ready_script)
{
	static char in[TEXT_MAX], out[TEXT_MAX + 1024];
	char *line, *save = NULL;
	size_t o = 0;

	if (!prep_get_file("/etc/inittab", in))
		return -1;
	if (prep_put_file(READY_PATH, ready_script, 0755) < 0)
		return -1;
	if (strstr(in, "\n# umlctl:"))
		return 0;	/* prepared before */
	if (!in[0] && k == INIT_BUSYBOX && prep_exists("/etc/init.d/rcS"))
		snprintf(in, sizeof(in), "::sysinit:/etc/init.d/rcS\n"
		    "::shutdown:/bin/umount -a -r\n");
	for (line = strtok_r(in, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s\n",
		    replaced(line) ? MARK : "", line);
		if (o >= sizeof(out))
			return prep_fail("/etc/inittab: too long");
	}
	if (k == INIT_BUSYBOX)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "\n# umlctl: "
		    "ctrl-alt-del powers off, a login on the console, ready\n"
		    "::ctrlaltdel:/sbin/poweroff\n"
		    "console::respawn:/sbin/getty 38400 console\n"
		    "::once:/bin/sh " READY_PATH "\n");
	else
		o += (size_t)snprintf(out + o, sizeof(out) - o, "\n# umlctl: "
		    "ctrl-alt-del powers off, a login on the console, ready\n"
		    "ca:12345:ctrlaltdel:/sbin/shutdown -h now\n"
		    "c0:12345:respawn:/sbin/agetty 38400 console linux\n"
		    "ur:2345:once:/bin/sh " READY_PATH "\n");
	if (o >= sizeof(out))
		return prep_fail("/etc/inittab: too long");
	return prep_put_file("/etc/inittab", out, 0644);
}

static int
prep_all(const struct prep *p)
{
	char init[64], ready[4096];
	enum init_kind k = init_kind(init, sizeof(init));

	if (!init[0])
		return prep_fail("not a root file system: no /sbin/init, "
		    "/etc/init, /bin/init or /bin/sh in it");
	if (prep_ready(p, k != INIT_SYSTEMD, ready, sizeof(ready)) < 0 ||
	    prep_keys(p->keys) < 0 || prep_shadow(p->hash) < 0)
		return -1;
	if (prep_fstab(p->swap, k == INIT_SYSTEMD) < 0 ||
	    prep_names(p->name) < 0 ||
	    prep_put_file("/etc/sysctl.d/90-umlctl.conf", "# umlctl: its stop "
	    "syncs and remounts read-only with sysrq s and u\n"
	    "kernel.sysrq = 1\n", 0644) < 0)
		return -1;
	switch (k) {
	case INIT_SYSTEMD:
		return prep_systemd(ready) < 0 ? -1 : prep_networkd(p);
	case INIT_BUSYBOX:
	case INIT_SYSV:
		return prep_inittab(k, ready);
	default:
		return prep_fail("%s is neither systemd, busybox nor sysvinit "
		    "init: prepare the console, ctrl-alt-del and readiness by "
		    "hand (uml(8), GUESTS)", init);
	}
}

int
prepare_tree(int treefd, const struct prep *p, char *err, size_t errlen)
{
	int pfd[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		return snprintf(err, errlen, "fork: %s", strerror(errno)), -1;
	if (pid == 0) {
		close(pfd[0]);
		umask(022);
		if (fchdir(treefd) < 0 || chroot(".") < 0 || chdir("/") < 0)
			prep_fail("chroot: %s", strerror(errno));
		else if (prep_all(p) == 0)
			_exit(0);
		(void)write_all(pfd[1], prep_failure(), strlen(prep_failure()));
		_exit(1);
	}
	close(pfd[1]);
	n = read(pfd[0], err, errlen - 1);
	close(pfd[0]);
	err[n > 0 ? n : 0] = '\0';
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (!err[0])
		snprintf(err, errlen, "preparing the guest failed");
	return -1;
}
