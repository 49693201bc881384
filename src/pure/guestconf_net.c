/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * guestconf_net.c: the network part of a guest's configuration: NETNS,
 * NET_TRANSPORT, NET and each tap's BRIDGE_ and MAC_.  Pure; the helpers
 * are guestconf.c's (guestconf_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "guestconf.h"
#include "guestconf_int.h"
#include "parse.h"

/* BRIDGE_<tap> and MAC_<tap> for NIC i. */
static int
nic_vars(struct gbuild *x, struct guest *g, size_t i)
{
	struct nic *nic = &g->nic[i];
	char var[CONF_NAME_MAX], why[256];
	const char *v;

	tap_var_name("BRIDGE_", nic->tap, var, sizeof(var));
	v = cf_conf(x, var);
	if (v != NULL && *v != '\0' &&
	    cf_take(x, var, v, false, parse_ifname, nic->bridge,
	    sizeof(nic->bridge)) < 0)
		return -1;
	tap_var_name("MAC_", nic->tap, var, sizeof(var));
	v = cf_conf(x, var);
	if (v == NULL) {
		derive_mac(g->mac_seed, g->name, (unsigned)i, nic->mac);
		return 0;
	}
	if (parse_mac(v, nic->mac, why, sizeof(why)) < 0)
		return cf_bad(x, var, v, false, "%s", why);
	nic->mac_explicit = true;
	return 0;
}

/* Two taps must differ, and so must the variable names that set them. */
static int
nic_unique(struct gbuild *x, const struct guest *g, const char *net, size_t i)
{
	char vi[CONF_NAME_MAX], vj[CONF_NAME_MAX];
	size_t j;

	tap_var_name("BRIDGE_", g->nic[i].tap, vi, sizeof(vi));
	for (j = 0; j < i; j++) {
		if (strcmp(g->nic[i].tap, g->nic[j].tap) == 0)
			return cf_bad(x, "NET", net, false, "%s is listed "
			    "twice", g->nic[i].tap);
		tap_var_name("BRIDGE_", g->nic[j].tap, vj, sizeof(vj));
		if (strcmp(vi, vj) == 0)
			return cf_bad(x, "NET", net, false, "%s and %s would "
			    "both be set by %s and MAC_%s", g->nic[j].tap,
			    g->nic[i].tap, vi, vi + strlen("BRIDGE_"));
	}
	return 0;
}

/* Explicit MACs may repeat by mistake; a guest with two equal NICs is
 * broken. */
static int
mac_unique(struct gbuild *x, const struct guest *g, size_t i)
{
	char var[CONF_NAME_MAX], mac[18];
	size_t j;

	for (j = 0; j < i; j++) {
		if (memcmp(g->nic[i].mac, g->nic[j].mac, 6) != 0)
			continue;
		tap_var_name("MAC_", g->nic[i].tap, var, sizeof(var));
		format_mac(g->nic[i].mac, mac);
		return cf_bad(x, var, cf_conf(x, var) ? cf_conf(x, var) :
		    mac, !g->nic[i].mac_explicit, "the same MAC as %s",
		    g->nic[j].tap);
	}
	return 0;
}

/* In enum transport's order. */
static const char *const transport_words[] = { "fd", "vector", "tuntap", NULL };

const char *
transport_word(enum transport t)
{
	return (size_t)t < sizeof(transport_words) /
	    sizeof(transport_words[0]) - 1 ? transport_words[t] : "unknown";
}

static int
transport(struct gbuild *x, struct guest *g)
{
	int i;

	if (cf_one_of(x, "NET_TRANSPORT", "fd", transport_words, "transport",
	    &i) < 0)
		return -1;
	g->transport = (enum transport)i;
	return 0;
}

/* MAC_SEED: unset, the host's (config_host_seed); "", none; else itself. */
static int
mac_seed(struct gbuild *x, struct guest *g)
{
	const char *v = cf_conf(x, "MAC_SEED");

	g->mac_seed_kind = !v ? MACSEED_HOST : *v ? MACSEED_GIVEN :
	    MACSEED_NONE;
	if (!v)
		return 0;
	if (strlen(v) >= sizeof(g->mac_seed))
		return cf_bad(x, "MAC_SEED", v, false, "longer than %zu bytes",
		    sizeof(g->mac_seed) - 1);
	strcpy(g->mac_seed, v);
	return 0;
}

void
config_host_seed(struct guest *g, const char *seed)
{
	size_t i;

	if (g->mac_seed_kind != MACSEED_HOST)
		return;
	snprintf(g->mac_seed, sizeof(g->mac_seed), "%s", seed);
	for (i = 0; i < g->nnic; i++)
		if (!g->nic[i].mac_explicit)
			derive_mac(g->mac_seed, g->name, (unsigned)i,
			    g->nic[i].mac);
}

int
cf_network(struct gbuild *x, struct guest *g)
{
	char word[CONF_VALUE_MAX];
	bool dflt;
	const char *v = cf_get(x, "NETNS", "", &dflt), *net, *p;

	if (*v != '\0' && cf_take(x, "NETNS", v, dflt, parse_name, g->netns,
	    sizeof(g->netns)) < 0)
		return -1;
	if (transport(x, g) < 0 || mac_seed(x, g) < 0)
		return -1;
	net = p = cf_get(x, "NET", "", &dflt);
	while (cf_next_word(&p, word, sizeof(word)) > 0) {
		if (g->nnic == NIC_MAX)
			return cf_bad(x, "NET", net, false, "more than %d "
			    "interfaces", NIC_MAX);
		if (cf_word_ok(x, "NET", net, "tap", word, parse_ifname) < 0)
			return -1;
		strcpy(g->nic[g->nnic].tap, word);
		if (nic_unique(x, g, net, g->nnic) < 0 || nic_vars(x, g,
		    g->nnic) < 0 || mac_unique(x, g, g->nnic) < 0)
			return -1;
		g->nnic++;
	}
	return 0;
}

