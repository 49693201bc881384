/*
 * perm.c: the permission test of perm.h.  Pure.
 */
#include "perm.h"

bool
perm_may(uid_t fuid, gid_t fgid, mode_t mode, const struct account *a,
    int want)
{
	mode_t w = (mode_t)want;
	int i;

	if (fuid == a->uid)
		return ((mode >> 6) & w) == w;
	for (i = 0; i < a->ngroups; i++)
		if (a->groups[i] == fgid)
			return ((mode >> 3) & w) == w;
	return (mode & w) == w;
}
