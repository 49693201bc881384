/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nl.c: the rtnetlink requests umlctl makes about links, with libmnl:
 * look a link up by name, bring one up (in a bridge), delete one.
 *
 * libmnl frames the messages, checks sequence and port, and validates
 * every attribute's type and length before it is read (mnl_attr_validate);
 * here only the meaning is umlctl's.  Each request asks for an ack, so the
 * answer ends with it (a GETLINK's RTM_NEWLINK comes first).  A refusal
 * carries the kernel's extended ack message when it sent one.  Sources:
 * rtnetlink(7), include/uapi/linux/if_link.h, libmnl's examples.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "system.h"

#define NL_ANSWER	16384	/* one link's RTM_NEWLINK, stats and all */
#define NL_REQUEST	512

struct talk {
	struct nl_link *l;	/* where RTM_NEWLINK goes; NULL: none wanted */
	char *err;
	size_t errlen;
};

/* NLMSGERR_ATTR_MSG of an extended ack, after strerror. */
static int
ack_attr(const struct nlattr *a, void *data)
{
	struct talk *t = data;
	size_t n = strlen(t->err);

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 && n < t->errlen)
		snprintf(t->err + n, t->errlen - n, " (%s)",
		    mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* NLMSG_ERROR: an ack (error 0) ends the answer; else errno and err. */
static int
on_error(const struct nlmsghdr *h, void *data)
{
	struct talk *t = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
	unsigned off = sizeof(*e);

	if (h->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		snprintf(t->err, t->errlen, "netlink: short error message");
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	errno = -e->error;
	snprintf(t->err, t->errlen, "%s", strerror(errno));
	if (!(h->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && off < h->nlmsg_len)
		(void)mnl_attr_parse(h, off, ack_attr, t);
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int
tun_attr(const struct nlattr *a, void *data)
{
	struct nl_link *l = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_TUN_TYPE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
			l->tun_type = mnl_attr_get_u8(a);
		break;
	case IFLA_TUN_OWNER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			l->owner = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_TUN_GROUP:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			l->group = (int)mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

/* IFLA_LINKINFO: the kind, and a tun device's data (its kind comes first). */
static int
info_attr(const struct nlattr *a, void *data)
{
	struct nl_link *l = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(l->kind, sizeof(l->kind), "%s", mnl_attr_get_str(a));
	else if (mnl_attr_get_type(a) == IFLA_INFO_DATA &&
	    strcmp(l->kind, "tun") == 0 &&
	    mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
		return mnl_attr_parse_nested(a, tun_attr, l);
	return MNL_CB_OK;
}

/* The counters, as the host's side of the link sees them (a tap's rx is
 * what the guest sent).  The attribute may be unaligned for a u64. */
static void
link_stats(struct nl_link *l, const void *payload)
{
	struct rtnl_link_stats64 s;

	memcpy(&s, payload, sizeof(s));
	l->stats = true;
	l->rx_bytes = s.rx_bytes;
	l->rx_packets = s.rx_packets;
	l->tx_bytes = s.tx_bytes;
	l->tx_packets = s.tx_packets;
}

static int
link_attr(const struct nlattr *a, void *data)
{
	struct nl_link *l = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_MASTER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			l->master = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_CARRIER:
		if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
			l->carrier = mnl_attr_get_u8(a) != 0;
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
			return mnl_attr_parse_nested(a, info_attr, l);
		break;
	case IFLA_STATS64:
		if (mnl_attr_validate2(a, MNL_TYPE_UNSPEC,
		    sizeof(struct rtnl_link_stats64)) == 0)
			link_stats(l, mnl_attr_get_payload(a));
		break;
	}
	return MNL_CB_OK;
}

static int
on_link(const struct nlmsghdr *h, void *data)
{
	struct talk *t = data;
	const struct ifinfomsg *i = mnl_nlmsg_get_payload(h);

	if (t->l == NULL || h->nlmsg_type != RTM_NEWLINK ||
	    h->nlmsg_len < mnl_nlmsg_size(sizeof(*i)))
		return MNL_CB_OK;
	*t->l = (struct nl_link){ .index = i->ifi_index, .flags = i->ifi_flags,
	    .owner = -1, .group = -1 };
	return mnl_attr_parse(h, sizeof(*i), link_attr, t->l);
}

/* Send h and read the answer up to its ack; 0, or -1 with errno and err. */
static int
talk(struct nlmsghdr *h, struct talk *t)
{
	static char buf[NL_ANSWER];
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = on_error };
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	int one = 1, r = MNL_CB_ERROR;
	ssize_t n;

	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(t->err, t->errlen, "netlink: %s", strerror(errno));
		if (nl != NULL)
			mnl_socket_close(nl);
		return -1;
	}
	(void)mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	t->err[0] = '\0';
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) >= 0) {
		do {
			n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
			r = n < 0 ? MNL_CB_ERROR : mnl_cb_run2(buf, (size_t)n,
			    h->nlmsg_seq, mnl_socket_get_portid(nl), on_link, t,
			    ctl, NLMSG_MIN_TYPE);
		} while (r == MNL_CB_OK);
	}
	if (r == MNL_CB_ERROR && t->err[0] == '\0')
		snprintf(t->err, t->errlen, "netlink: %s", strerror(errno));
	mnl_socket_close(nl);
	return r == MNL_CB_STOP ? 0 : -1;
}

/* A request of type about link index (0: by name), with an ack. */
static struct nlmsghdr *
request(char *buf, unsigned short type, int index)
{
	static unsigned seq;
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *i = mnl_nlmsg_put_extra_header(h, sizeof(*i));

	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++seq;
	i->ifi_family = AF_UNSPEC;
	i->ifi_index = index;
	return h;
}

int
nl_get_link(const char *name, struct nl_link *l, char *err, size_t errlen)
{
	char buf[NL_REQUEST];
	struct nlmsghdr *h = request(buf, RTM_GETLINK, 0);
	struct talk t = { NULL, err, errlen };

	*l = (struct nl_link){ .owner = -1, .group = -1 };
	t.l = l;
	mnl_attr_put_strz(h, IFLA_IFNAME, name);
	if (talk(h, &t) < 0)
		return errno == ENODEV ? 0 : -1;
	if (l->index == 0)
		return snprintf(err, errlen,
		    "netlink: no link in the answer"), -1;
	return 1;
}

int
nl_link_up(int index, int master, char *err, size_t errlen)
{
	char buf[NL_REQUEST];
	struct nlmsghdr *h = request(buf, RTM_NEWLINK, index);
	struct ifinfomsg *i = mnl_nlmsg_get_payload(h);
	struct talk t = { NULL, err, errlen };

	i->ifi_flags = IFF_UP;
	i->ifi_change = IFF_UP;
	if (master)
		mnl_attr_put_u32(h, IFLA_MASTER, (uint32_t)master);
	return talk(h, &t);
}

/*
 * Tap index's port in its bridge takes frames from the guest's own MAC
 * only: learning off, the port locked (IFLA_BRPORT_LOCKED, Linux 5.18:
 * a locked port forwards only frames whose source address has an entry in
 * the bridge's table for that port), and that entry made static.  What
 * libvirt calls no-mac-spoofing, done by the bridge itself.
 */
int
nl_port_lock(int index, const unsigned char mac[6], char *err, size_t errlen)
{
	char buf[NL_REQUEST];
	struct nlmsghdr *h = request(buf, RTM_NEWLINK, index);
	struct ifinfomsg *i = mnl_nlmsg_get_payload(h);
	struct talk t = { NULL, err, errlen };
	struct nlattr *nest;
	struct ndmsg *nd;

	i->ifi_family = AF_BRIDGE;
	h->nlmsg_type = RTM_SETLINK;
	nest = mnl_attr_nest_start(h, IFLA_PROTINFO);
	mnl_attr_put_u8(h, IFLA_BRPORT_LEARNING, 0);
	mnl_attr_put_u8(h, IFLA_BRPORT_LOCKED, 1);
	mnl_attr_nest_end(h, nest);
	if (talk(h, &t) < 0)
		return -1;
	h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_NEWNEIGH;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_REPLACE;
	h->nlmsg_seq = (unsigned)index ^ 0x5a5a;
	nd = mnl_nlmsg_put_extra_header(h, sizeof(*nd));
	nd->ndm_family = AF_BRIDGE;
	nd->ndm_ifindex = index;
	nd->ndm_state = NUD_NOARP;
	nd->ndm_flags = NTF_MASTER;
	mnl_attr_put(h, NDA_LLADDR, 6, mac);
	return talk(h, &t);
}

int
nl_del_link(int index, char *err, size_t errlen)
{
	char buf[NL_REQUEST];
	struct talk t = { NULL, err, errlen };

	return talk(request(buf, RTM_DELLINK, index), &t);
}
