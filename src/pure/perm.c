/* SPDX-License-Identifier: BSD-2-Clause */
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

/* Whether gid is a's group or one of its supplementary groups. */
static bool
in_groups(const struct account *a, gid_t gid)
{
	int i;

	if (gid == a->gid)
		return true;
	for (i = 0; i < a->ngroups; i++)
		if (a->groups[i] == gid)
			return true;
	return false;
}

enum tap_access
perm_tap(long long owner, long long group, const struct account *a)
{
	if (owner < 0 && group < 0)
		return TAP_ANYONE;
	if (owner >= 0 && owner != (long long)a->uid)
		return TAP_OTHER_OWNER;
	if (group >= 0 && !in_groups(a, (gid_t)group))
		return TAP_OTHER_GROUP;
	return TAP_ATTACH;
}
