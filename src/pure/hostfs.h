/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hostfs.h: where HOSTFS may not be (hostfs.c).  Pure.
 *
 * The share is a directory of its own: not the host's system trees, nor
 * above or inside what umlctl runs or keeps for a guest.  Paths are
 * compared as they are spelled ("." and ".." components and repeated '/'
 * taken out by their spelling, never by following a link): HOSTFS is
 * spelled plainly (parse_hostpath), and the Landlock rule is on the
 * directory it names.
 */
#ifndef UMLCTL_HOSTFS_H
#define UMLCTL_HOSTFS_H

#include <stdbool.h>
#include <stddef.h>

#include "guest.h"

/* How HOSTFS may not stand to a path. */
#define HF_NOT_HOLD	1U	/* not the path, nor a directory above it */
#define HF_NOT_IN	2U	/* not the path, nor a directory below it */

/* path (absolute) with "." and ".." components and repeated and trailing
 * '/' taken out by its spelling, into out; -1 if it does not fit. */
int hf_lexical(const char *path, char *out, size_t len);

/*
 * HOSTFS hostfs against path, which names var (e.g. "ROOT", "KERNEL's
 * directory"): 0, or -1 and why (without "HOSTFS=...: ") in why.
 */
int hf_clash(const char *hostfs, const char *var, const char *path,
    unsigned how, char *why, size_t len);

/* HOSTFS against the host's system trees: 0, or -1 and why. */
int hf_system(const char *hostfs, char *why, size_t len);

/*
 * g's HOSTFS against the paths of guest o: g's own (o == g: UMLDIR, the
 * kernel's and BASE_IMAGE's directories, MEMORY_DIR, ROOT, SWAP), or
 * another guest's (its UMLDIR, its directory UMLDIR/NAME, its ROOT and
 * SWAP).  0, or -1 and why.
 */
int hf_guest(const struct guest *g, const struct guest *o, char *why,
    size_t len);

#endif
