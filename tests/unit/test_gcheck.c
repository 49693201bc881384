/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_gcheck.c: what the guest's files tell (gcheck.h), on guests held
 * in memory: one file per problem, and prepared guests with none.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "gcheck.h"

/* A file (text), a link (to) or a directory (neither). */
struct ent {
	const char *path, *text, *to;
};

static const struct ent *fs_ents;
static char said[4096];

static const struct ent *
find(const char *path, int depth)
{
	const struct ent *e;
	const char *to;
	char abs[256];

	for (e = fs_ents; e->path; e++) {
		if (strcmp(e->path, path) != 0)
			continue;
		if (!e->to || depth < 0)
			return e;
		if (e->to[0] == '/')
			return find(e->to, depth - 1);
		/* Relative: from the link's directory, "../" going up. */
		snprintf(abs, sizeof(abs), "%.*s",
		    (int)(strrchr(path, '/') - path), path);
		for (to = e->to; strncmp(to, "../", 3) == 0; to += 3)
			*strrchr(abs, '/') = '\0';
		snprintf(abs + strlen(abs), sizeof(abs) - strlen(abs), "/%s", to);
		return find(abs, depth - 1);
	}
	return NULL;
}

static long
m_read(void *arg, const char *path, char *buf, size_t len)
{
	const struct ent *e = find(path, 8);
	size_t n;

	if (!e || !e->text)
		return -1;
	n = strlen(e->text) < len ? strlen(e->text) : len;
	memcpy(buf, e->text, n);
	return (long)n;
}

static int
m_link(void *arg, const char *path, char *buf, size_t len)
{
	const struct ent *e = find(path, -1);

	if (!e || !e->to)
		return -1;
	snprintf(buf, len, "%s", e->to);
	return 0;
}

static bool
m_exists(void *arg, const char *path)
{
	return find(path, 8) != NULL;
}

/* The names below path: each entry's next component, once. */
static int
m_list(void *arg, const char *path, void (*fn)(void *, const char *),
    void *farg)
{
	const struct ent *e, *f;
	char name[256], prev[256];
	size_t n = strlen(path);
	bool seen;

	for (e = fs_ents; e->path; e++) {
		if (strncmp(e->path, path, n) != 0 || e->path[n] != '/')
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(e->path + n + 1,
		    "/"), e->path + n + 1);
		for (seen = false, f = fs_ents; f < e && !seen; f++) {
			if (strncmp(f->path, path, n) != 0 || f->path[n] != '/')
				continue;
			snprintf(prev, sizeof(prev), "%.*s", (int)strcspn(f->path +
			    n + 1, "/"), f->path + n + 1);
			seen = strcmp(prev, name) == 0;
		}
		if (!seen)
			fn(farg, name);
	}
	return 0;
}

static void
collect(void *arg, enum gc_level lv, const char *msg)
{
	size_t n = strlen(said);

	snprintf(said + n, sizeof(said) - n, "%s %s\n", lv == GC_ERROR ? "E" :
	    "W", msg);
}

static enum gc_level
check_swap(const struct ent *ents, const char *init, bool swap)
{
	struct gfs g = { m_read, m_link, m_exists, m_list, NULL };

	fs_ents = ents;
	said[0] = '\0';
	return gcheck_guest(&g, init, swap, collect, NULL);
}

static enum gc_level
check(const struct ent *ents, const char *init)
{
	return check_swap(ents, init, false);
}

/* A prepared systemd guest (as prepare.c leaves a Debian tree). */
#define SYSTEMD_OK \
	{ "/sbin/init", NULL, "/lib/systemd/systemd" }, \
	{ "/lib/systemd/systemd", "ELF", NULL }, \
	{ "/lib/systemd/system/ctrl-alt-del.target", NULL, "reboot.target" }, \
	{ "/etc/systemd/system/getty.target.wants/console-getty.service", NULL, \
	    "/lib/systemd/system/console-getty.service" }, \
	{ "/lib/systemd/system/console-getty.service", "[Unit]", NULL }, \
	{ "/usr/lib/sysctl.d/50-default.conf", "kernel.sysrq = 0x01b0\n", NULL }

static void
test_systemd_prepared(void **state)
{
	const struct ent e[] = {
		SYSTEMD_OK,
		{ "/etc/systemd/system/ctrl-alt-del.target", NULL,
		    "/lib/systemd/system/poweroff.target" },
		{ "/etc/fstab", "# x\n/dev/ubda / ext4 defaults 0 1\n", NULL },
		{ NULL, NULL, NULL },
	};

	check(e, NULL);
	assert_string_equal(said, "");
	assert_int_equal(check(e, NULL), GC_OK);
}

static void
test_systemd_problems(void **state)
{
	const struct ent e[] = {
		{ "/sbin/init", NULL, "/lib/systemd/systemd" },
		{ "/lib/systemd/systemd", "ELF", NULL },
		{ "/lib/systemd/system/ctrl-alt-del.target", NULL, "reboot.target" },
		{ "/etc/fstab", "UUID=1234 / ext4 defaults 0 1\n", NULL },
		{ "/etc/sysctl.d/99-local.conf", "kernel.sysrq=0\n", NULL },
		{ NULL, NULL, NULL },
	};

	assert_int_equal(check(e, NULL), GC_WARN);
	assert_non_null(strstr(said, "W /lib/systemd/system/ctrl-alt-del.target "
	    "links to reboot.target: ctrl-alt-del does not power off"));
	assert_non_null(strstr(said, "W /etc/systemd/system: no getty on the "
	    "console"));
	assert_non_null(strstr(said, "W /etc/fstab:1: / is mounted from "
	    "UUID=1234, but the root disk is /dev/ubda"));
	assert_non_null(strstr(said, "W /etc/sysctl.d/99-local.conf:1: "
	    "kernel.sysrq = 0 does not allow sync (16) and remount read-only (32)"));
}

static void
test_no_init(void **state)
{
	const struct ent e[] = {
		{ "/etc/inittab", "::ctrlaltdel:/sbin/poweroff\n", NULL },
		{ "/sbin/init", NULL, "/bin/busybox" },	/* dangling */
		{ NULL, NULL, NULL },
	};

	assert_int_equal(check(e, NULL), GC_ERROR);
	assert_non_null(strstr(said, "E no init in the image"));
	assert_int_equal(check(e, "/bin/myinit"), GC_ERROR);
	assert_non_null(strstr(said, "E no /bin/myinit in the image"));
	{
		const struct ent sd[] = {
			SYSTEMD_OK,
			{ NULL, NULL, NULL },
		};

		/* init= naming systemd itself: systemd's checks. */
		check(sd, "/lib/systemd/systemd");
		assert_non_null(strstr(said, "ctrl-alt-del.target links to "
		    "reboot.target"));
	}
}

static void
test_sysv(void **state)
{
	const struct ent ok[] = {
		{ "/sbin/init", "ELF", NULL },
		{ "/etc/inittab", "id:2:initdefault:\n"
		    "1:2345:respawn:/sbin/getty --noclear 38400 tty1\n"
		    "ca:12345:ctrlaltdel:/sbin/shutdown -h now\n"
		    "c0:12345:respawn:/sbin/agetty 38400 tty0 linux\n", NULL },
		{ NULL, NULL, NULL },
	};
	const struct ent bad[] = {
		{ "/sbin/init", "ELF", NULL },
		{ "/etc/inittab", "id:2:initdefault:\n"
		    "ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now\n"
		    "1:2345:respawn:/sbin/getty --noclear 38400 tty1\n", NULL },
		{ NULL, NULL, NULL },
	};

	assert_int_equal(check(ok, NULL), GC_OK);
	assert_int_equal(check(bad, NULL), GC_WARN);
	assert_non_null(strstr(said, "W /etc/inittab:2: ctrl-alt-del runs "
	    "\"/sbin/shutdown -t1 -a -r now\", which does not power off"));
	assert_non_null(strstr(said, "W /etc/inittab: no getty on the console"));
}

static void
test_busybox(void **state)
{
	const struct ent ok[] = {
		{ "/sbin/init", NULL, "../bin/busybox" },
		{ "/bin/busybox", "ELF", NULL },
		{ "/etc/inittab", "::sysinit:/etc/rc\n::respawn:-/bin/sh\n"
		    "::ctrlaltdel:/bin/sh -c 'sync; poweroff -f'\n", NULL },
		{ NULL, NULL, NULL },
	};
	const struct ent none[] = {
		{ "/sbin/init", NULL, "/bin/busybox" },
		{ "/bin/busybox", "ELF", NULL },
		{ NULL, NULL, NULL },
	};
	const struct ent nocad[] = {
		{ "/sbin/init", NULL, "/bin/busybox" },
		{ "/bin/busybox", "ELF", NULL },
		{ "/etc/inittab", "tty1::respawn:/sbin/getty 38400 tty1\n"
		    "::ctrlaltdel:/sbin/reboot\n", NULL },
		{ NULL, NULL, NULL },
	};

	check(ok, NULL);
	assert_string_equal(said, "");
	assert_int_equal(check(ok, NULL), GC_OK);
	assert_int_equal(check(none, NULL), GC_WARN);
	assert_non_null(strstr(said, "W /etc/inittab is missing: busybox init's "
	    "built-in table reboots on ctrl-alt-del"));
	assert_int_equal(check(nocad, NULL), GC_WARN);
	assert_non_null(strstr(said, "ctrl-alt-del runs \"/sbin/reboot\""));
	assert_non_null(strstr(said, "no getty on the console"));
}

static void
test_parsers(void **state)
{
	struct inittab_facts f;
	char spec[64];
	long v;

	gc_inittab("x", 1, &f);
	assert_int_equal(f.cad_line, 0);
	gc_inittab("tty0::respawn:/sbin/getty 38400 tty0", 36, &f);
	assert_true(f.console_login);
	gc_inittab("::respawn:/sbin/getty 38400 tty01", 33, &f);
	assert_false(f.console_login);
	gc_inittab("  #ca::ctrlaltdel:/sbin/reboot", 29, &f);
	assert_int_equal(f.cad_line, 0);	/* a comment after blanks */
	assert_int_equal(gc_fstab_root("a /x b\n\n/dev/ubda\t/ ext4\n", 24, spec,
	    sizeof(spec)), 3);
	assert_string_equal(spec, "/dev/ubda");
	assert_int_equal(gc_fstab_root("# /dev/sda /", 12, spec, sizeof(spec)), 0);
	assert_int_equal(gc_sysctl_sysrq("kernel/sysrq = 0x30\n", 20, &v), 1);
	assert_int_equal(v, 48);
	assert_int_equal(gc_sysctl_sysrq("-kernel.sysrq=1\nkernel.sysrq=x", 30,
	    &v), 2);
	assert_int_equal(v, -1);
	assert_int_equal(gc_sysctl_sysrq("kernel.sysrqx = 0", 17, &v), 0);
}

/* A swap line for /dev/ubdb stalls the boot when there is no swap disk,
 * unless it says noauto, or nofail and a device timeout. */
static void
test_swap_line(void **state)
{
	const struct ent e[] = {
		SYSTEMD_OK,
		{ "/etc/systemd/system/ctrl-alt-del.target", NULL,
		    "/lib/systemd/system/poweroff.target" },
		{ "/etc/fstab", "/dev/ubda / ext4 defaults 0 1\n"
		    "/dev/ubdb none swap sw 0 0\n", NULL },
		{ NULL, NULL, NULL },
	};
	const struct ent nofail[] = {
		SYSTEMD_OK,
		{ "/etc/systemd/system/ctrl-alt-del.target", NULL,
		    "/lib/systemd/system/poweroff.target" },
		{ "/etc/fstab", "/dev/ubdb none swap "
		    "sw,nofail,x-systemd.device-timeout=5s 0 0\n", NULL },
		{ NULL, NULL, NULL },
	};

	assert_int_equal(check_swap(e, NULL, true), GC_OK);
	assert_int_equal(check_swap(e, NULL, false), GC_WARN);
	assert_non_null(strstr(said, "W /etc/fstab:2: uses /dev/ubdb, but the "
	    "guest has no swap disk (SWAP)"));
	assert_int_equal(check_swap(nofail, NULL, false), GC_OK);
	assert_int_equal(gc_fstab_needs("/dev/ubdb none swap sw,nofail 0 0", 33,
	    "/dev/ubdb"), 1);
	assert_int_equal(gc_fstab_needs("/dev/ubdb none swap sw,noauto,nofail 0 0",
	    40, "/dev/ubdb"), 0);
	assert_int_equal(gc_fstab_needs("# /dev/ubdb\n/dev/ubdbx a\n", 23,
	    "/dev/ubdb"), 0);
}

/* /etc/sysctl.d wins over /usr/lib/sysctl.d for the same name; files
 * apply in name order across directories. */
static void
test_sysctl_order(void **state)
{
	const struct ent e[] = {
		{ "/sbin/init", NULL, "/lib/systemd/systemd" },
		{ "/lib/systemd/systemd", "ELF", NULL },
		{ "/etc/systemd/system/ctrl-alt-del.target", NULL, "/dev/null" },
		{ "/usr/lib/sysctl.d/50-default.conf", "kernel.sysrq = 0\n", NULL },
		{ "/etc/sysctl.d/50-default.conf", "kernel.sysrq = 176\n", NULL },
		{ "/usr/lib/sysctl.d/10-early.conf", "kernel.sysrq = 0\n", NULL },
		{ NULL, NULL, NULL },
	};

	check(e, NULL);
	assert_null(strstr(said, "kernel.sysrq"));
	assert_non_null(strstr(said, "ctrl-alt-del.target links to /dev/null"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_systemd_prepared),
		cmocka_unit_test(test_systemd_problems),
		cmocka_unit_test(test_no_init),
		cmocka_unit_test(test_sysv),
		cmocka_unit_test(test_busybox),
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_sysctl_order),
		cmocka_unit_test(test_swap_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
