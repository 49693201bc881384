/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_gcheck.c: gcheck_guest on a guest whose files hold any bytes (the
 * image is the guest's, and so untrusted).  The input is split at 0xff
 * bytes into /etc/inittab, /etc/fstab, an /etc/sysctl.d file, the
 * target of /sbin/init and that of ctrl-alt-del.target.
 *
 * Invariants: no crash or overread (ASan, UBSan); every finding is a
 * warning or an error, printable and bounded; an error only when init is
 * missing.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PARTS 5
static const uint8_t *part[PARTS];
static size_t plen[PARTS];
static const char *const path[PARTS] = {
	"/etc/inittab", "/etc/fstab", "/etc/sysctl.d/x.conf", "/sbin/init",
	"/etc/systemd/system/ctrl-alt-del.target",
};

static int
index_of(const char *p)
{
	int i;

	for (i = 0; i < PARTS; i++)
		if (strcmp(p, path[i]) == 0)
			return i;
	return -1;
}

static long
f_read(void *arg, const char *p, char *buf, size_t len)
{
	int i = index_of(p);
	size_t n;

	if (i < 0 || i >= 3 || !part[i])
		return i < 0 && strcmp(p, "/bin/sh") == 0 ? 0 : -1;
	n = plen[i] < len ? plen[i] : len;
	memcpy(buf, part[i], n);
	return (long)n;
}

static int
f_link(void *arg, const char *p, char *buf, size_t len)
{
	int i = index_of(p);
	size_t n;

	if (i < 3 || !part[i] || len == 0)
		return -1;
	n = plen[i] < len - 1 ? plen[i] : len - 1;
	memcpy(buf, part[i], n);
	buf[n] = '\0';
	return 0;
}

static bool
f_exists(void *arg, const char *p)
{
	return (index_of(p) >= 0 && part[index_of(p)]) || strcmp(p, "/bin/sh") == 0;
}

static int
f_list(void *arg, const char *p, void (*fn)(void *, const char *), void *farg)
{
	if (strcmp(p, "/etc/sysctl.d") == 0 && part[2])
		fn(farg, "x.conf");
	return 0;
}

static void
said(void *arg, enum gc_level lv, const char *msg)
{
	size_t i;

	assert(lv == GC_WARN || lv == GC_ERROR);
	for (i = 0; msg[i]; i++)
		assert(msg[i] >= ' ' && msg[i] < 127);
	assert(i < 600);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gfs g = { f_read, f_link, f_exists, f_list, NULL };
	const uint8_t *s = data, *end = data + size, *ff;
	int i;

	for (i = 0; i < PARTS; i++) {
		part[i] = s < end || i == 0 ? s : NULL;
		ff = part[i] ? memchr(s, 0xff, (size_t)(end - s)) : NULL;
		plen[i] = part[i] ? (size_t)((ff ? ff : end) - s) : 0;
		s = ff ? ff + 1 : end;
	}
	/* /bin/sh always exists: an error would be a wrong verdict. */
	assert(gcheck_guest(&g, NULL, size % 2, said, NULL) != GC_ERROR);
	return 0;
}
