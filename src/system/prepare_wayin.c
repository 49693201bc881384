/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prepare_wayin.c: create's way in, written in the chrooted child as
 * prepare.c's edits are: root's authorized_keys (--ssh-key), root's hash
 * in /etc/shadow (--root-password-hash), and the NICs' addresses (--ip,
 * --dhcp): systemd-networkd files for systemd, lines of the ready script
 * (ip, dhclient or udhcpc) for sysvinit and busybox.  The ready script
 * itself is made here, with or without those lines.  cli/create_wayin.c
 * checked and read the values.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prepare.h"

/* Run once the guest is up, by inittab or umlctl-ready.service; its
 * lines go to the console (umlctl's log).  No '#' in what inittab runs:
 * busybox init cuts a line there.  Between head and tail, for sysvinit and
 * busybox guests, create's --ip and --dhcp (systemd's go to networkd). */
static const char ready_head[] =
    "#!/bin/sh\n"
    "# umlctl: bring the NICs up (and create's addresses), then tell the\n"
    "# host the guest is up (uml(8), READY=guest).\n"
    "for n in /sys/class/net/vec* /sys/class/net/eth*; do\n"
    "\t[ -e \"$n\" ] || continue\n"
    "\tn=$(basename \"$n\")\n"
    "\tip link set \"$n\" up && echo \"umlctl-ready: $n up\"\n"
    "done\n";
static const char ready_tail[] =
    "[ -e /proc/mconsole ] && echo ready > /proc/mconsole\n"
    "exit 0\n";

/* create --ip and --dhcp for systemd-networkd: a file per NIC, before
 * (in networkd's order) 50-umlctl.network, which only brings them up. */
int
prep_networkd(const struct prep *p)
{
	static const char head[] =
	    "# umlctl create: %s\n[Match]\nName=%s\n\n[Link]\n"
	    "RequiredForOnline=no\n\n[Network]\nLinkLocalAddressing=no\n"
	    "ConfigureWithoutCarrier=yes\n";
	char text[1024], path[128];
	size_t i, o;

	if ((p->nip || p->dhcp) &&
	    !prep_exists("/lib/systemd/system/systemd-networkd.service"))
		return prep_fail("--ip, --dhcp: the guest has no "
		    "systemd-networkd "
		    "(/lib/systemd/system/systemd-networkd.service)");
	if (p->dhcp) {
		snprintf(text, sizeof(text), head, "--dhcp", "vec* eth*");
		strcat(text, "DHCP=yes\n");
		return
		    prep_put_file("/etc/systemd/network/40-umlctl-dhcp.network",
		    text, 0644);
	}
	for (i = 0; i < p->nip; i++) {
		o = (size_t)snprintf(text, sizeof(text), head, "--ip",
		    p->ip[i].nic);
		o += (size_t)snprintf(text + o, sizeof(text) - o, "Address=%s\n"
		    "", p->ip[i].addr);
		if (p->ip[i].gw[0])
			snprintf(text + o, sizeof(text) - o, "Gateway=%s\n",
			    p->ip[i].gw);
		snprintf(path, sizeof(path), "/etc/systemd/network/"
		    "40-umlctl-%s.network", p->ip[i].nic);
		if (prep_put_file(path, text, 0644) < 0)
			return -1;
	}
	return 0;
}

/* The ready script; for sysvinit and busybox (net) with create's
 * addresses, set by ip, or a DHCP client the guest has. */
int
prep_ready(const struct prep *p, bool net, char *buf, size_t len)
{
	const char *dhcp = prep_exists("/sbin/dhclient") ? "dhclient -nw "
	    "\"$n\"" : prep_exists("/sbin/udhcpc") ||
	    prep_exists("/bin/busybox") ? "udhcpc -b -i \"$n\"" : NULL;
	size_t i, o = (size_t)snprintf(buf, len, "%s",
	    ready_head);

	if (net && p->dhcp && !dhcp)
		return prep_fail("--dhcp: the guest has no DHCP client "
		    "(/sbin/dhclient, /sbin/udhcpc or busybox)");
	if (net && p->dhcp)
		o += (size_t)snprintf(buf + o, len - o,
		    "for n in /sys/class/net/vec* /sys/class/net/eth*; do\n"
		    "\t[ -e \"$n\" ] || continue\n\tn=$(basename \"$n\")\n"
		    "\t%s && echo \"umlctl-ready: $n dhcp\"\ndone\n", dhcp);
	for (i = 0; net && i < p->nip; i++)
		o += (size_t)snprintf(buf + o, len - o, "ip addr add %s dev %s "
		    "&& echo \"umlctl-ready: %s %s\"\n%s%s%s%s%s",
		    p->ip[i].addr, p->ip[i].nic, p->ip[i].nic, p->ip[i].addr,
		    p->ip[i].gw[0] ? "ip route add default via " : "",
		    p->ip[i].gw, p->ip[i].gw[0] ? " dev " : "", p->ip[i].gw[0] ?
		    p->ip[i].nic : "", p->ip[i].gw[0] ? "\n" : "");
	o += (size_t)snprintf(buf + o, len - o, "%s",
	    ready_tail);
	return o >= len ? prep_fail("the ready script: too long") : 0;
}

/* create --ssh-key: root's authorized_keys, 0600 in /root/.ssh, 0700. */
int
prep_keys(const char *keys)
{
	struct stat st;

	if (!keys)
		return 0;
	if (prep_parents("/root/.ssh/x") < 0)
		return -1;
	if (lstat("/root/.ssh", &st) < 0 || !S_ISDIR(st.st_mode) ||
	    lchown("/root/.ssh", 0, 0) < 0 || chmod("/root/.ssh", 0700) < 0)
		return prep_fail("/root/.ssh: not a directory, or %s",
		    strerror(errno));
	return prep_put_file("/root/.ssh/authorized_keys", keys, 0600);
}

/* create --root-password-hash: root's entry in /etc/shadow gets the hash;
 * the file keeps its mode, owner and group. */
int
prep_shadow(const char *hash)
{
	static char in[TEXT_MAX], out[TEXT_MAX + 512];
	char *line, *save = NULL, *c;
	struct stat st;
	bool found = false;
	size_t o = 0;

	if (!hash)
		return 0;
	if (!prep_get_file("/etc/shadow", in))
		return -1;
	if (stat("/etc/shadow", &st) < 0 || !S_ISREG(st.st_mode))
		return prep_fail("--root-password-hash: the guest has no "
		    "/etc/shadow");
	for (line = strtok_r(in, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "root:", 5) == 0 && !found) {
			found = true;
			c = strchr(line + 5, ':');
			o += (size_t)snprintf(out + o, sizeof(out) - o,
			    "root:%s%s\n", hash, c ? c : "::::::");
		} else
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s\n",
			    line);
		if (o >= sizeof(out))
			return prep_fail("/etc/shadow: too long");
	}
	if (!found)
		return prep_fail("--root-password-hash: /etc/shadow has no "
		    "root entry");
	if (prep_put_file("/etc/shadow", out, st.st_mode & 07777) < 0)
		return -1;
	if (lchown("/etc/shadow", st.st_uid, st.st_gid) < 0 ||
	    chmod("/etc/shadow", st.st_mode & 07777) < 0)
		return prep_fail("/etc/shadow: %s", strerror(errno));
	return 0;
}
