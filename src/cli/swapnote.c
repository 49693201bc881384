/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * swapnote.c: whether a running guest's swap disk is in use, for status
 * and check (issue 26): a swap disk the kernel got (ubd1, the record's
 * swap) that the guest's /proc/swaps does not list is said, since nothing
 * else would say it (the fstab line is nofail).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "resources.h"
#include "util.h"

#define SWAP_DEV	"/dev/ubdb"

/* Whether text, /proc/swaps, lists SWAP_DEV as a file name. */
static bool
lists_swap(const char *text)
{
	const char *s;
	size_t n = strlen(SWAP_DEV);

	for (s = strstr(text, SWAP_DEV); s; s = strstr(s + 1, SWAP_DEV))
		if ((s == text || s[-1] == '\n') &&
		    (s[n] == ' ' || s[n] == '\t'))
			return true;
	return false;
}

void
cmd_swap_note(int dfd, const char *name, const struct krecord *k)
{
	char reply[2048], err[256];

	if (!k->swap || net_enter(k->netns, err, sizeof(err)) < 0 ||
	    mc_oneshot(dfd, name, k->kuid, "proc swaps", 2000, reply,
	    sizeof(reply)) < 0 || lists_swap(reply))
		return;
	printf("%s: warning: its swap disk (SWAP, ubd1) is not in use: the "
	    "guest's /proc/swaps has no " SWAP_DEV " (its fstab's swap line, "
	    "or a boot still under way; uml(8) SWAP)\n", name);
}
