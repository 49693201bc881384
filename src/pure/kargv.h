/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kargv.h: the kernel command line for a guest.  Pure.
 */
#ifndef UMLCTL_KARGV_H
#define UMLCTL_KARGV_H

#include <stddef.h>

#include "guest.h"

#define KARGV_MAX	(16 + NIC_MAX + EXTRA_MAX)
#define KARGV_BUF	(KARGV_MAX * 320)

struct kargv {
	size_t argc;
	char *argv[KARGV_MAX + 1];	/* NULL-terminated, points into buf */
	char buf[KARGV_BUF];
};

/*
 * Build argv for g.  rundir is the guest's root-owned runtime directory
 * (e.g. /run/uml/router): the kernel gets uml_dir=<rundir>/u and
 * mconsole=notify:<rundir>/notify.  Order:
 *   <kernel> mem=<n>{K,M,G} umid=<name> uml_dir=<rundir>/u
 *   ubd0=<root> [ubd1=<swap>] root=/dev/ubda con=null con0=fd:0,fd:1
 *   ssl=null mconsole=notify:<rundir>/notify
 *   vec<i>:transport=tap,ifname=<tap>,mac=<mac> | eth<i>=tuntap,<tap>,<mac>
 *   <KERNEL_ARGS words>
 * Returns 0, or -1 if something does not fit.
 */
int kargv_build(const struct guest *g, const char *rundir, struct kargv *k);

#endif
