/*
 * config.h: from conf.d assignments to a validated struct guest.  Pure.
 */
#ifndef UMLCTL_CONFIG_H
#define UMLCTL_CONFIG_H

#include <stddef.h>

#include "conf.h"
#include "guest.h"

/*
 * Fill g for instance name from the assignments in c, applying the
 * documented defaults.  Checks every value's syntax; touches no file.
 * On error returns -1 with a message naming the variable and the value,
 * e.g. `MEMORY="12x": not a size (use 128M, 128MB, 1G or 131072K)'.
 */
/* NET_TRANSPORT's word for t: "fd", "vector", "tuntap". */
const char *transport_word(enum transport t);

/*
 * A guest whose MAC_SEED is unset derives its MACs from the host's seed
 * (the system code reads /etc/machine-id, or the hostname): given here,
 * after config_build, which derived them from no seed.
 */
void config_host_seed(struct guest *g, const char *seed);

int config_build(const struct conf *c, const char *name, struct guest *g,
    char *err, size_t errlen);

#endif
