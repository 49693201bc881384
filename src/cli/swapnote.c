/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * swapnote.c: whether a running guest's swap disk is in use, for status
 * and check (issue 26): a swap disk the kernel got (ubd1, the record's
 * swap) while the guest has no swap at all is said, since nothing
 * else would say it (the fstab line is nofail).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "resources.h"
#include "util.h"

/*
 * Whether text, the guest's /proc/meminfo, shows no swap at all
 * ("SwapTotal:       0 kB"; fs/proc/meminfo.c).  /proc/swaps would name
 * the device, but the mconsole reads /proc from a kernel thread, whose
 * root need not be the guest's: the name it prints is not reliably
 * "/dev/ubdb".  SWAP is the guest's only swap umlctl gives it, so no swap
 * at all means it is not in use.  No SwapTotal line: unknown, false.
 */
static bool
no_swap(const char *text)
{
	const char *s = strstr(text, "SwapTotal:");

	if (s == NULL || (s != text && s[-1] != '\n'))
		return false;
	s += strlen("SwapTotal:");
	s += strspn(s, " \t");
	return s[0] == '0' && s[1] == ' ';
}

void
cmd_swap_note(int dfd, const char *name, const struct krecord *k)
{
	char reply[4096], err[256];

	if (!k->swap || net_enter(k->netns, err, sizeof(err)) < 0 ||
	    mc_oneshot(dfd, name, k->kuid, "proc meminfo", 2000, reply,
	    sizeof(reply)) < 0 || !no_swap(reply))
		return;
	printf("%s: warning: its swap disk (SWAP, ubd1) is not in use: the "
	    "guest has no swap (its /proc/meminfo: SwapTotal 0; its fstab's "
	    "swap line, or a boot still under way; uml(8) SWAP)\n", name);
}
