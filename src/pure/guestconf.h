/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * guestconf.h: from conf.d assignments to a validated struct guest.  Pure.
 */
#ifndef UMLCTL_CONFIG_H
#define UMLCTL_CONFIG_H

#include <stddef.h>

#include "confread.h"
#include "guest.h"

/*
 * Fill g for instance name from the assignments in c, applying the
 * documented defaults.  Checks every value's syntax; touches no file.
 * On error returns -1 with a message naming the variable and the value,
 * e.g. `MEMORY="12x": not a size (use 128M, 128MB, 1G or 131072K)'.
 */
/* NET_TRANSPORT's word for t: "fd", "vector", "tuntap". */
const char *transport_word(enum transport t);

int config_build(const struct conf *c, const char *name, struct guest *g,
    char *err, size_t errlen);

/*
 * A guest whose MAC_SEED is unset derives its MACs from the host's seed
 * (the system code reads /etc/machine-id, or the hostname): given here,
 * after config_build, which derived them from no seed.
 */
void config_host_seed(struct guest *g, const char *seed);

/*
 * conflint.c: each assignment in c that config_build does not use, as one
 * message ("FILE:LINE: MEMROY is not a variable umlctl knows (did you
 * mean MEMORY?): it is ignored") to fn: an unknown UPPER_CASE name, one of
 * ours in the wrong case or mistyped, BRIDGE_ or MAC_ of no tap in NET.
 * Nothing if c does not build.
 */
typedef void lint_fn(void *arg, const char *msg);
void config_lint(const struct conf *c, const char *name, lint_fn *fn,
    void *arg);

#endif
