/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net.c: taps and bridges, as root, before the drop (namespaces: netns.c).
 *
 * Links are inspected with rtnetlink (nl.c) rather than /sys: after
 * setns() the mounted sysfs still shows the namespace it was mounted in.  A tap
 * is made natively (TUNSETIFF with IFF_TUN_EXCL, so an existing one is never
 * taken over), then attached and brought up.  With the fd transport root
 * opens each tap and keeps the descriptor, which the kernel inherits: a new
 * tap is root's (tun lets only its owner, or CAP_NET_ADMIN, attach) and
 * not persistent, so no process of USER can attach to it and it goes with
 * its last descriptor.  With the tap transports the
 * kernel attaches itself, as USER: a new tap is USER's and persistent.
 * Only taps umlctl made are ever deleted.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chars.h"
#include "resources.h"
#include "util.h"

/* word appended to list (", "-separated), or "..." once it would not fit. */
void
net_list_add(char *list, size_t len, const char *word)
{
	size_t n = strlen(list);

	if (n >= 3 && strcmp(list + n - 3, "...") == 0)
		return;
	if (n + strlen(word) + 2 + 5 >= len)
		snprintf(list + n, len - n, "%s...", n ? ", " : "");
	else
		snprintf(list + n, len - n, "%s%s", n ? ", " : "", word);
}

/* Where links are looked up: "network namespace \"NS\"" or umlctl's own. */
static void
netns_said(const char *netns, char *buf, size_t len)
{
	if (netns[0])
		snprintf(buf, len, "network namespace \"%s\"", netns);
	else
		snprintf(buf, len, "umlctl's network namespace (NETNS unset)");
}

/* The bridges in the current network namespace into list. */
static void
bridge_names(char *list, size_t len)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	struct nl_link l;
	char err[256];

	list[0] = '\0';
	for (i = ifs; i && i->if_index; i++)
		if (nl_get_link(i->if_name, &l, err, sizeof(err)) > 0 &&
		    strcmp(l.kind, "bridge") == 0)
			net_list_add(list, len, i->if_name);
	if (ifs)
		if_freenameindex(ifs);
}

/* BRIDGE_TAP names no bridge: where it was looked for, and what is there. */
static int
no_bridge(const struct nic *n, const char *netns, const char *what,
    char *err, size_t errlen)
{
	char where[96 + NAME_LEN_MAX], there[512];

	netns_said(netns, where, sizeof(where));
	bridge_names(there, sizeof(there));
	return snprintf(err, errlen, "BRIDGE_%s=\"%s\": %s in %s, whose "
	    "bridges are: %s", n->tap, n->bridge, what, where,
	    there[0] ? there : "none"), -1;
}

/* A link's index, 0 if there is none: SIOCGIFINDEX reads it under RCU,
 * where RTM_GETLINK takes the rtnl lock (and runs a new tap's pending
 * link-state work, which waits for an RCU grace period). */
static int
link_index(const char *name, char *err, size_t errlen)
{
	struct ifreq ifr = { .ifr_ifindex = 0 };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd < 0 || ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		int e = errno;

		snprintf(err, errlen, "NET: \"%s\": %s", name, strerror(e));
		ifr.ifr_ifindex = fd >= 0 && e == ENODEV ? 0 : -1;
	}
	if (fd >= 0)
		close(fd);
	return ifr.ifr_ifindex;
}

/* An existing tap must be a tap, and free; one the kernel attaches to
 * itself (not the fd transport) must let USER attach. */
static int
tap_ok(const struct nic *n, const struct nl_link *l, enum transport tr,
    const struct account *a, bool held, char *err, size_t errlen)
{
	if (strcmp(l->kind, "tun") || l->tun_type != IFF_TAP)
		return snprintf(err, errlen, "NET: \"%s\" exists and is not a "
		    "tap (%s)", n->tap, l->kind[0] ? l->kind : "a device"), -1;
	switch (tr == TRANSPORT_FD ? TAP_ATTACH :
	    perm_tap(l->owner, l->group, a)) {
	case TAP_ANYONE:
		return snprintf(err, errlen, "NET: tap \"%s\" exists and has "
		    "no owner or group (anyone could attach to it); make it "
		    "USER's", n->tap), -1;
	case TAP_OTHER_OWNER:
		return snprintf(err, errlen, "NET: tap \"%s\" exists and "
		    "belongs to uid %lld, not to USER (uid %u)", n->tap,
		    l->owner, (unsigned)a->uid), -1;
	case TAP_OTHER_GROUP:
		return snprintf(err, errlen, "NET: tap \"%s\" has group %lld, "
		    "which USER is not in: the guest's kernel could not attach "
		    "to it (uml_tap: failed to create tun interface)", n->tap,
		    l->group), -1;
	case TAP_ATTACH:
		break;
	}
	/* tun turns carrier on when a file attaches (IFLA_TUN_NUM_QUEUES is
	 * only reported for multi-queue taps). */
	if (l->carrier && !held)
		return snprintf(err, errlen, "NET: tap \"%s\" is in use "
		    "(another guest or program has it open)", n->tap), -1;
	return 0;
}


/* NIC n's tap: 0 if there is none, 1 if there is one and tap_ok (in *l),
 * -1 on an error or an unfit tap. */
static int
look_tap(const struct nic *n, enum transport tr, const struct account *a,
    bool held, struct nl_link *l, char *err, size_t errlen)
{
	int r = link_index(n->tap, err, errlen);

	if (r > 0)
		r = nl_get_link(n->tap, l, err, errlen);
	if (r > 0 && tap_ok(n, l, tr, a, held, err, errlen) < 0)
		return -1;
	return r;
}

/* One NIC: an existing tap must be fit; the bridge must be one, and its
 * index goes to ns->nic[k], for net_setup. */
static int
check_nic(const struct nic *n, const char *netns, enum transport tr,
    const struct account *a, const char *held, struct netstate *ns, size_t k,
    char *err, size_t errlen)
{
	char what[64];
	struct nl_link l;
	int r = look_tap(n, tr, a, ch_word_in(n->tap, held), &l, err, errlen);

	if (r < 0)
		return -1;
	ns->nic[k].bridge = 0;
	if (!n->bridge[0])
		return 0;
	r = nl_get_link(n->bridge, &l, err, errlen);
	if (r < 0)
		return -1;
	if (r == 0)
		return no_bridge(n, netns, "no such bridge", err, errlen);
	if (strcmp(l.kind, "bridge")) {
		snprintf(what, sizeof(what), "not a bridge (%s)", l.kind[0] ?
		    l.kind : "a device");
		return no_bridge(n, netns, what, err, errlen);
	}
	ns->nic[k].bridge = l.index;
	return 0;
}

int
net_check(const struct guest *g, const struct account *a, const char *held,
    struct netstate *ns, char *err, size_t errlen)
{
	struct stat st;
	size_t i;

	if (!g->nnic)
		return 0;
	if (stat("/dev/net/tun", &st) < 0)
		return snprintf(err, errlen, "NET: /dev/net/tun: %s",
		    strerror(errno)), -1;
	/* With the tap transports the kernel opens it itself, as USER. */
	if (g->transport != TRANSPORT_FD &&
	    !perm_may(st.st_uid, st.st_gid, st.st_mode, a, PERM_R | PERM_W))
		return snprintf(err, errlen, "NET: /dev/net/tun (mode %04o) "
		    "cannot be opened by USER; the guest's kernel opens it as "
		    "USER (most distributions make it 0666)",
		    (unsigned)(st.st_mode & 07777)), -1;
	for (i = 0; i < g->nnic; i++)
		if (check_nic(&g->nic[i], g->netns, g->transport, a, held, ns,
		    i, err, errlen) < 0)
			return -1;
	return 0;
}

/* A new persistent tap owned by USER; never an existing one (TUN_EXCL). */
static int
make_tap(const char *name, const struct account *a, char *err,
    size_t errlen)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0 ||
	    ioctl(fd, TUNSETOWNER, (unsigned long)a->uid) < 0 ||
	    ioctl(fd, TUNSETGROUP, (unsigned long)a->gid) < 0 ||
	    ioctl(fd, TUNSETPERSIST, 1UL) < 0) {
		snprintf(err, errlen, "NET: creating tap \"%s\": %s", name,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * The fd transport: tap name opened as root, without USER, its descriptor
 * (close-on-exec: privdrop.c gives the kernel its own copy).  A new one
 * (TUN_EXCL: never one that appeared meanwhile) is root's and not
 * persistent; an existing one is attached, its owner left as it is.  No
 * IFF_VNET_HDR: UML's fd transport reads and writes bare frames
 * (vector_transports.c).
 */
static int
open_tap(const char *name, bool create, char *err, size_t errlen)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI |
	    (create ? IFF_TUN_EXCL : 0) };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0 ||
	    (create && ioctl(fd, TUNSETOWNER, 0UL) < 0)) {
		snprintf(err, errlen, "NET: %s tap \"%s\": %s", create ?
		    "creating" : "opening", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * A tap umlctl made, in a bridge: its port takes frames from the guest's
 * MAC only (nl_port_lock), so that a guest that changes its MAC, or a
 * process holding its tap, cannot take another guest's traffic.  A kernel
 * without locked ports (before 5.18) gets a warning, not a refusal.  An
 * existing tap's port is the admin's and is left as it is.
 */
static void
lock_port(const struct nic *n, int index)
{
	char err[256];

	if (nl_port_lock(index, n->mac, err, sizeof(err)) < 0)
		warnmsg("NET: tap \"%s\": cannot lock its port in bridge "
		    "\"%s\" to the guest's MAC (%s): the guest can send frames "
		    "with any source address", n->tap, n->bridge, err);
}

/* The tap is looked at again, as check did (SIOCGIFINDEX first, so an
 * absent one costs no rtnl request): it is not ours, and may have come,
 * changed or gone since (the sweep of a crashed run removes that run's taps
 * in between).  An absent one is made, TUN_EXCL failing if it has appeared
 * since, and starts down and in no bridge. */
static int
setup_nic(const struct nic *n, enum transport tr, const struct account *a,
    const struct netstate *ns, size_t k, char *created, size_t len,
    int *fd, char *err, size_t errlen)
{
	struct nl_link t = { .index = 0 };
	int br = ns->nic[k].bridge, r = look_tap(n, tr, a, false, &t, err,
	    errlen);

	if (r < 0)
		return -1;
	if (tr == TRANSPORT_FD && (*fd = open_tap(n->tap, r == 0, err,
	    errlen)) < 0)
		return -1;
	if (r == 0) {
		if (tr != TRANSPORT_FD && make_tap(n->tap, a, err, errlen) < 0)
			return -1;
		if (strlen(created) + strlen(n->tap) + 2 <= len)
			strcat(strcat(created, " "), n->tap);
		if ((t.index = link_index(n->tap, err, errlen)) <= 0)
			return -1;
	}
	if (!((t.flags & IFF_UP) && t.master == br) &&
	    nl_link_up(t.index, br == t.master ? 0 : br, err, errlen) < 0) {
		char e2[256];

		snprintf(e2, sizeof(e2), "%s", err);
		snprintf(err, errlen, "NET: tap \"%s\"%s%s: %s", n->tap,
		    br ? " joining " : "", n->bridge, e2);
		return -1;
	}
	if (r == 0 && br)
		lock_port(n, t.index);
	return 0;
}

void
net_close(int *fd, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fd[i] >= 0)
			close(fd[i]);
		fd[i] = -1;
	}
}

int
net_setup(const struct guest *g, const struct account *a,
    const struct netstate *ns, char *created, size_t len, int *fd,
    char *err, size_t errlen)
{
	size_t i;

	created[0] = '\0';
	for (i = 0; i < NIC_MAX; i++)
		fd[i] = -1;
	for (i = 0; i < g->nnic; i++) {
		if (setup_nic(&g->nic[i], g->transport, a, ns, i, created, len,
		    &fd[i], err, errlen) < 0) {
			net_close(fd, g->nnic);
			net_teardown(created);
			created[0] = '\0';
			return -1;
		}
	}
	return 0;
}

/* Delete the taps named in list (blank-separated) that are still taps in
 * the caller's network namespace. */
void
net_teardown(const char *list)
{
	char names[256], *save = NULL, *t, err[256];
	struct nl_link l;

	snprintf(names, sizeof(names), "%s", list);
	for (t = strtok_r(names, " \n", &save); t; t = strtok_r(NULL, " \n",
	    &save)) {
		if (nl_get_link(t, &l, err, sizeof(err)) <= 0 || strcmp(l.kind,
		    "tun"))
			continue;
		if (nl_del_link(l.index, err, sizeof(err)) < 0)
			warnmsg("deleting tap %s: %s", t, err);
	}
}
