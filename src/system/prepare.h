/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prepare.h: what the guest edits' files share inside system/: prepare.c
 * (the edits every guest gets) calls prepare_wayin.c (create's way in),
 * both call prepare_file.c (the file primitives).  All of it runs in the
 * child chrooted into the guest's tree; prepare_tree() in system.h is the
 * way in from above.
 */
#ifndef UMLCTL_PREPARE_H
#define UMLCTL_PREPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "system.h"

/* The largest guest file umlctl rewrites, plus one. */
#define TEXT_MAX	(64 * 1024)

/* prepare_file.c: each returns -1 (or NULL) with the reason kept for
 * prep_failure(), which the child sends to its parent. */
int prep_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *prep_failure(void);
int prep_parents(const char *path);
int prep_put_file(const char *path, const char *text, mode_t mode);
int prep_put_link(const char *path, const char *to);
char *prep_get_file(const char *path, char *buf);
bool prep_exists(const char *path);

/* prepare_wayin.c: the ready script into buf (for sysvinit and busybox,
 * net: with create's addresses), systemd-networkd's files for them, root's
 * keys and password hash. */
int prep_ready(const struct prep *p, bool net, char *buf, size_t len);
int prep_networkd(const struct prep *p);
int prep_keys(const char *keys);
int prep_shadow(const char *hash);

#endif
