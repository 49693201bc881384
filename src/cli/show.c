/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * show.c: `umlctl show', the resolved configuration as sh assignments
 * that can be pasted back into a conf.d file (umlctl(8)).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "confread.h"
#include "guestconf.h"
#include "guest.h"
#include "parse.h"

/* VAR='value' for sh: a ' in value is written '\''. */
static void
sh_var(const char *var, const char *value)
{
	printf("%s='", var);
	for (; *value; value++)
		if (*value == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*value);
	puts("'");
}

/* The guest's NICs: NET, then BRIDGE_ and MAC_ of each tap. */
static void
show_nics(const struct guest *g)
{
	char net[NIC_MAX * (IFNAME_LEN_MAX + 1) + 1] = "", var[CONF_NAME_MAX];
	char mac[18];
	size_t i;

	for (i = 0; i < g->nnic; i++)
		snprintf(net + strlen(net), sizeof(net) - strlen(net), "%s%s",
		    i ? " " : "", g->nic[i].tap);
	sh_var("NET", net);
	for (i = 0; i < g->nnic; i++) {
		tap_var_name("BRIDGE_", g->nic[i].tap, var, sizeof(var));
		sh_var(var, g->nic[i].bridge);
		tap_var_name("MAC_", g->nic[i].tap, var, sizeof(var));
		format_mac(g->nic[i].mac, mac);
		sh_var(var, mac);
	}
	if (g->mac_seed_kind == MACSEED_HOST)
		printf("# MAC_SEED unset: derived MACs depend on this host "
		    "(/etc/machine-id, else the hostname)\n");
	else
		sh_var("MAC_SEED", g->mac_seed);
	for (i = 0; i < g->nnic; i++) {
		format_mac(g->nic[i].mac, mac);
		printf("# NIC %zu: tap '%s' bridge '%s' mac %s%s\n", i,
		    g->nic[i].tap, g->nic[i].bridge, mac,
		    g->nic[i].mac_explicit ? "" : " (derived)");
	}
}

/* A size as the file wrote it (c), else the resolved one in its largest
 * exact unit: MEMORY="384M" stays 384M. */
static void
sh_size(const struct conf *c, const char *var, uint64_t kib)
{
	const char *v = conf_get(c, var);
	char n[32];

	if (!v) {
		format_size(kib, n, sizeof(n));
		v = n;
	}
	sh_var(var, v);
}

/* Every variable, resolved, as sh assignments that can be pasted back;
 * c: what the files said, for the values kept as written. */
void
show_vars(const struct guest *g, const struct conf *c)
{
	char n[64], args[EXTRA_MAX * (WORD_LEN_MAX + 1) + 1] = "";
	size_t i;

	sh_var("USER", g->user);
	sh_var("UMLDIR", g->umldir);
	sh_var("KERNEL", g->kernel);
	sh_var("KERNEL_CHECK", g->kernel_check ? "yes" : "no");
	sh_var("CONFINE", g->confine ? "yes" : "no");
	sh_var("ROOT", g->root);
	sh_var("BASE_IMAGE", g->base);
	sh_var("SWAP", g->swap);
	sh_size(c, "MEMORY", g->mem_kib);
	sh_var("MEMORY_DIR", g->memdir);
	sh_var("HOSTFS", g->hostfs);
	sh_var("CONSOLE_LOG", g->console_log);
	sh_size(c, "CONSOLE_LOG_MAX", g->console_log_max / 1024);
	snprintf(n, sizeof(n), "%u", g->shutdown_timeout);
	sh_var("SHUTDOWN_TIMEOUT", n);
	snprintf(n, sizeof(n), "%u", g->start_timeout);
	sh_var("START_TIMEOUT", n);
	sh_var("READY", g->ready == READY_GUEST ? "guest" : "mconsole");
	snprintf(n, sizeof(n), "%u", g->cpus);
	sh_var("CPUS", n);
	sh_var("USERSPACE", g->userspace == USERSPACE_SECCOMP ? "seccomp" :
	    "ptrace");
	sh_var("RESPAWN", g->respawn ? "yes" : "no");
	snprintf(n, sizeof(n), "%u", g->respawn_max);
	sh_var("RESPAWN_MAX", n);
	snprintf(n, sizeof(n), "%u", g->hang_timeout);
	sh_var("HANG_TIMEOUT", n);
	sh_var("RESPAWN_HUNG", g->respawn_hung ? "yes" : "no");
	for (i = 0; i < g->nextra; i++)
		snprintf(args + strlen(args), sizeof(args) - strlen(args),
		    "%s%s", i ? " " : "", g->extra[i]);
	sh_var("KERNEL_ARGS", args);
	sh_var("NETNS", g->netns);
	sh_var("NET_TRANSPORT", transport_word(g->transport));
	show_nics(g);
}

