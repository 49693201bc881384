/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kargv.c: the kernel command line for a guest.  Pure.
 *
 * The words are built into one fixed buffer; any word that does not fit
 * makes the whole build fail rather than reach the kernel cut short.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kargv.h"
#include "parse.h"
#include "runrec.h"

struct builder {
	struct kargv *k;
	size_t used;		/* bytes of k->buf taken */
	int failed;
};

static void add(struct builder *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append one word; on overflow remember the failure and add nothing. */
static void
add(struct builder *b, const char *fmt, ...)
{
	size_t room = sizeof(b->k->buf) - b->used;
	va_list ap;
	int n;

	if (b->failed || b->k->argc == KARGV_MAX) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(b->k->buf + b->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		b->failed = 1;
		return;
	}
	b->k->argv[b->k->argc++] = b->k->buf + b->used;
	b->used += (size_t)n + 1;
}

/* mem= in the largest unit that divides exactly, as a person would write it. */
static void
add_mem(struct builder *b, uint64_t kib)
{
	if (kib % (1024 * 1024) == 0)
		add(b, "mem=%lluG", (unsigned long long)(kib / (1024 * 1024)));
	else if (kib % 1024 == 0)
		add(b, "mem=%lluM", (unsigned long long)(kib / 1024));
	else
		add(b, "mem=%lluK", (unsigned long long)kib);
}

static void
add_nic(struct builder *b, const struct guest *g, size_t i)
{
	char mac[18];

	format_mac(g->nic[i].mac, mac);
	switch (g->transport) {
	case TRANSPORT_FD:
		/* vec=0: readv and writev; the batched calls need a socket. */
		add(b, "vec%zu:transport=fd,fd=%zu,vec=0,mac=%s", i,
		    TAPFD_BASE + i, mac);
		break;
	case TRANSPORT_TUNTAP:
		add(b, "eth%zu=tuntap,%s,%s", i, g->nic[i].tap, mac);
		break;
	default:
		add(b, "vec%zu:transport=tap,ifname=%s,mac=%s", i,
		    g->nic[i].tap, mac);
		break;
	}
}

int
kargv_build(const struct guest *g, const char *rundir, struct kargv *k)
{
	struct builder b = { k, 0, 0 };
	char why[128];
	size_t i;

	k->argc = 0;
	k->argv[0] = NULL;
	/* rundir goes on the command line twice: same rules as ROOT. */
	if (parse_kpath(rundir, why, sizeof(why)) < 0 ||
	    g->nnic > NIC_MAX || g->nextra > EXTRA_MAX)
		return -1;
	add(&b, "%s", g->kernel);
	add_mem(&b, g->mem_kib);
	if (g->userspace == USERSPACE_SECCOMP)
		add(&b, "seccomp=on");
	if (g->cpus > 1)
		add(&b, "ncpus=%u", g->cpus);
	add(&b, "umid=%s", g->name);
	add(&b, "uml_dir=%s/" RUN_UMLDIR, rundir);
	/* `c': the kernel takes no F_SETLK lock of its own, which would
	 * conflict with the OFD lock the supervisor holds on each disk file
	 * for the guest's life (disk.c). */
	if (g->base[0] != '\0')
		add(&b, "ubd0c=%s,%s", g->root, g->base);
	else
		add(&b, "ubd0c=%s", g->root);
	if (g->swap[0] != '\0')
		add(&b, "ubd1c=%s", g->swap);
	add(&b, "root=/dev/ubda");
	/* Without con= UML opens an xterm per console. */
	add(&b, "con=null");
	add(&b, "con0=fd:0,fd:1");
	add(&b, "ssl=null");
	add(&b, "mconsole=notify:%s/" RUN_NOTIFY, rundir);
	for (i = 0; i < g->nnic; i++)
		add_nic(&b, g, i);
	for (i = 0; i < g->nextra; i++)
		add(&b, "%s", g->extra[i]);
	if (b.failed) {
		k->argc = 0;
		k->argv[0] = NULL;
		return -1;
	}
	k->argv[k->argc] = NULL;
	return 0;
}
