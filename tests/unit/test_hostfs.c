/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_hostfs.c: where HOSTFS may not be (hostfs.c): paths compared by
 * their spelling, the host's trees, the guest's own files and another's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hostfs.h"

static char why[512];

static void
test_lexical(void **state)
{
	char out[64];
	static const char *const cases[][2] = {
		{ "/", "/" }, { "//", "/" }, { "/a//b/", "/a/b" },
		{ "/a/./b", "/a/b" }, { "/a/../b", "/b" }, { "/../..", "/" },
		{ "/a/b/../../c/.", "/c" }, { "/a..b/.c", "/a..b/.c" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(hf_lexical(cases[i][0], out, sizeof(out)), 0);
		assert_string_equal(out, cases[i][1]);
	}
	assert_int_equal(hf_lexical("a/b", out, sizeof(out)), -1);
	assert_int_equal(hf_lexical("/0123456789", out, 8), -1);
}

static void
test_clash(void **state)
{
	const unsigned both = HF_NOT_HOLD | HF_NOT_IN;

	(void)state;
	/* Above a file, by any spelling of it. */
	assert_int_equal(hf_clash("/srv/s", "ROOT", "/srv/s/g/root.img",
	    HF_NOT_HOLD, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds ROOT (\"/srv/s/g/root.img\")"));
	assert_int_equal(hf_clash("/srv/s", "ROOT", "/srv/x/../s//root.img",
	    HF_NOT_HOLD, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds ROOT (\"/srv/s/root.img\")"));
	/* A name that only begins alike is apart. */
	assert_int_equal(hf_clash("/srv/s", "ROOT", "/srv/share/root.img",
	    both, why, sizeof(why)), 0);
	assert_int_equal(hf_clash("/srv/share", "ROOT", "/srv/s",
	    both, why, sizeof(why)), 0);
	/* Inside, or the same. */
	assert_int_equal(hf_clash("/srv/m/s", "MEMORY_DIR", "/srv/m", both,
	    why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is inside MEMORY_DIR (\"/srv/m\")"));
	assert_int_equal(hf_clash("/srv/m/s", "MEMORY_DIR", "/srv/m",
	    HF_NOT_HOLD, why, sizeof(why)), 0);
	assert_int_equal(hf_clash("/srv/m", "MEMORY_DIR", "/srv/m/", both,
	    why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is MEMORY_DIR"));
	/* "/" (a kernel at /linux) holds everything: says nothing. */
	assert_int_equal(hf_clash("/srv/s", "KERNEL's directory", "/", both,
	    why, sizeof(why)), 0);
	assert_int_equal(hf_clash("/srv/s", "SWAP", "", both, why,
	    sizeof(why)), 0);
}

static void
test_system(void **state)
{
	static const char *const bad[] = {
		"/etc", "/etc/uml", "/usr/share/x", "/boot", "/proc/1", "/sys",
		"/dev/shm", "/run", "/run/uml", "/var/log/uml", "/root/x",
		"/lib64", "/var", "/var/lib", "/home", "/tmp", "/var/tmp",
	};
	static const char *const good[] = {
		"/srv/share", "/var/lib/uml-share", "/home/alice/share",
		"/etcetera", "/var/cache/x", "/mnt/s", "/usrdata",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hf_system(bad[i], why, sizeof(why)), -1);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(hf_system(good[i], why, sizeof(why)), 0);
	assert_int_equal(hf_system("/var", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds the host's /var/log"));
}

static void
guest(struct guest *g, const char *name, const char *umldir)
{
	memset(g, 0, sizeof(*g));
	strcpy(g->name, name);
	strcpy(g->umldir, umldir);
	snprintf(g->kernel, sizeof(g->kernel), "%s/%s/linux", umldir, name);
	snprintf(g->root, sizeof(g->root), "%s/%s/root.loop", umldir, name);
	g->memdir_own = true;
}

static void
test_guest(void **state)
{
	struct guest g, o;

	(void)state;
	guest(&g, "a", "/var/lib/uml");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), 0);
	strcpy(g.hostfs, "/srv/a");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), 0);
	strcpy(g.hostfs, "/var/lib/uml/a");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds ROOT"));
	strcpy(g.hostfs, "/var/lib");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds UMLDIR"));
	/* The kernel's and the base's directories, both ways. */
	strcpy(g.kernel, "/opt/uml/linux");
	strcpy(g.hostfs, "/opt/uml/share");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "inside KERNEL's directory"));
	strcpy(g.hostfs, "/opt");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds KERNEL's directory"));
	strcpy(g.base, "/srv/base/deb.img");
	strcpy(g.hostfs, "/srv/base/x");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "BASE_IMAGE's directory"));
	strcpy(g.swap, "/srv/sw/a.swap");
	strcpy(g.hostfs, "/srv/sw");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds SWAP"));
	/* MEMORY_DIR only when set (else u/, under RUNDIR: host.c). */
	g.memdir_own = false;
	strcpy(g.memdir, "/srv/mem");
	strcpy(g.hostfs, "/srv/mem/s");
	assert_int_equal(hf_guest(&g, &g, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "inside MEMORY_DIR"));
	/* Another guest: its UMLDIR, its directory, its disks. */
	guest(&g, "a", "/var/lib/uml");
	guest(&o, "b", "/srv/umlb");
	strcpy(g.hostfs, "/srv");
	assert_int_equal(hf_guest(&g, &o, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds guest b's UMLDIR"));
	strcpy(g.hostfs, "/srv/umlb/b/share");
	assert_int_equal(hf_guest(&g, &o, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "inside guest b's directory"));
	strcpy(o.root, "/data/b.img");
	strcpy(g.hostfs, "/data");
	assert_int_equal(hf_guest(&g, &o, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "holds guest b's ROOT"));
	strcpy(g.hostfs, "/srv/umlb-share");
	assert_int_equal(hf_guest(&g, &o, why, sizeof(why)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_clash),
		cmocka_unit_test(test_system),
		cmocka_unit_test(test_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
