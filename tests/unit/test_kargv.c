/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_kargv.c: the kernel's argv, word for word.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "kargv.h"

static struct guest g;
static struct kargv k;

static void
base_guest(void)
{
	memset(&g, 0, sizeof(g));
	strcpy(g.name, "router");
	strcpy(g.user, "umluser");
	strcpy(g.kernel, "/uml/router/linux");
	strcpy(g.root, "/uml/router/root.loop");
	strcpy(g.swap, "/uml/router/swap.loop");
	g.mem_kib = 128 * 1024;
}

/* argv as one string, words separated by '|', to compare in one go. */
static const char *
joined(void)
{
	static char out[KARGV_BUF + KARGV_MAX];
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < k.argc; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
		    i > 0 ? "|" : "", k.argv[i]);
	assert_null(k.argv[k.argc]);
	return out;
}

#define FIXED(rd) "umid=router|uml_dir=" rd "/u"
#define TAIL(rd) "root=/dev/ubda|con=null|con0=fd:0,fd:1|ssl=null|" \
	"mconsole=notify:" rd "/notify"

static void
test_order(void **state)
{
	(void)state;
	base_guest();
	assert_int_equal(kargv_build(&g, "/run/uml/router", &k), 0);
	assert_int_equal(k.argc, 11);
	assert_string_equal(joined(), "/uml/router/linux|mem=128M|"
	    FIXED("/run/uml/router") "|ubd0c=/uml/router/root.loop|"
	    "ubd1c=/uml/router/swap.loop|" TAIL("/run/uml/router"));
}

static void
test_no_swap(void **state)
{
	(void)state;
	base_guest();
	g.swap[0] = '\0';
	assert_int_equal(kargv_build(&g, "/run/uml/router", &k), 0);
	assert_string_equal(joined(), "/uml/router/linux|mem=128M|"
	    FIXED("/run/uml/router") "|ubd0c=/uml/router/root.loop|"
	    TAIL("/run/uml/router"));
}

static const char *
mem(uint64_t kib)
{
	base_guest();
	g.mem_kib = kib;
	assert_int_equal(kargv_build(&g, "/r", &k), 0);
	return k.argv[1];
}

static void
test_mem_units(void **state)
{
	(void)state;
	assert_string_equal(mem(131072), "mem=128M");
	assert_string_equal(mem(1024 * 1024), "mem=1G");
	assert_string_equal(mem(3 * 1024 * 1024), "mem=3G");
	assert_string_equal(mem(1536 * 1024), "mem=1536M");
	assert_string_equal(mem(100000), "mem=100000K");
	assert_string_equal(mem(65537), "mem=65537K");
	assert_string_equal(mem(1024ULL * 1024 * 1024), "mem=1024G");
}

static void
test_vector(void **state)
{
	(void)state;
	base_guest();
	g.swap[0] = '\0';
	g.nnic = 2;
	strcpy(g.nic[0].tap, "tap0");
	memcpy(g.nic[0].mac, "\x52\x54\x00\xab\xcd\xef", 6);
	strcpy(g.nic[1].tap, "uml-web.2");
	strcpy(g.nic[1].bridge, "br0");		/* host side only */
	memcpy(g.nic[1].mac, "\x02\x00\x00\x00\x00\x01", 6);
	/* The fd transport: the taps are the kernel's fds 3 and 4. */
	g.transport = TRANSPORT_FD;
	assert_int_equal(kargv_build(&g, "/run/uml/router", &k), 0);
	assert_string_equal(k.argv[10], "vec0:transport=fd,fd=3,vec=0,"
	    "mac=52:54:00:ab:cd:ef");
	assert_string_equal(k.argv[11], "vec1:transport=fd,fd=4,vec=0,"
	    "mac=02:00:00:00:00:01");
	g.transport = TRANSPORT_VECTOR;
	assert_int_equal(kargv_build(&g, "/run/uml/router", &k), 0);
	assert_string_equal(k.argv[10], "vec0:transport=tap,ifname=tap0,"
	    "mac=52:54:00:ab:cd:ef");
	assert_string_equal(k.argv[11], "vec1:transport=tap,ifname=uml-web.2,"
	    "mac=02:00:00:00:00:01");
	assert_int_equal(k.argc, 12);
	assert_null(k.argv[12]);
}

static void
test_tuntap_and_extra(void **state)
{
	(void)state;
	base_guest();
	g.transport = TRANSPORT_TUNTAP;
	g.nnic = 1;
	strcpy(g.nic[0].tap, "tap0");
	memcpy(g.nic[0].mac, "\x52\x54\x00\xAB\xCD\xEF", 6);
	g.nextra = 2;
	strcpy(g.extra[0], "quiet");
	strcpy(g.extra[1], "hostfs=/srv/x,ro");
	assert_int_equal(kargv_build(&g, "/run/uml/router", &k), 0);
	assert_string_equal(joined(), "/uml/router/linux|mem=128M|"
	    FIXED("/run/uml/router") "|ubd0c=/uml/router/root.loop|"
	    "ubd1c=/uml/router/swap.loop|" TAIL("/run/uml/router")
	    "|eth0=tuntap,tap0,52:54:00:ab:cd:ef|quiet|hostfs=/srv/x,ro");
}

/* The largest guest config_build can produce must fit. */
static void
test_largest_fits(void **state)
{
	char rundir[128];
	size_t i;

	(void)state;
	base_guest();
	memset(g.name, 'n', NAME_LEN_MAX);
	g.name[NAME_LEN_MAX] = '\0';
	memset(g.kernel, 'k', PATH_LEN_MAX - 1);
	memset(g.root, 'r', PATH_LEN_MAX - 1);
	memset(g.swap, 's', PATH_LEN_MAX - 1);
	g.kernel[0] = g.root[0] = g.swap[0] = '/';
	g.mem_kib = 1024ULL * 1024 * 1024 - 1;
	g.nnic = NIC_MAX;
	for (i = 0; i < NIC_MAX; i++)
		memset(g.nic[i].tap, 't', IFNAME_LEN_MAX);
	g.nextra = EXTRA_MAX;
	for (i = 0; i < EXTRA_MAX; i++)
		memset(g.extra[i], 'x', WORD_LEN_MAX - 1);
	snprintf(rundir, sizeof(rundir), "/run/uml/%s", g.name);
	assert_int_equal(kargv_build(&g, rundir, &k), 0);
	assert_int_equal(k.argc, 11 + NIC_MAX + EXTRA_MAX);
	assert_int_equal(strlen(k.argv[k.argc - 1]), WORD_LEN_MAX - 1);
	assert_string_equal(k.argv[1], "mem=1073741823K");
	assert_null(k.argv[k.argc]);
}

static void
test_refusals(void **state)
{
	char rundir[600];

	(void)state;
	base_guest();
	/* rundir reaches the command line: the same rules as ROOT. */
	assert_int_equal(kargv_build(&g, "run/uml/router", &k), -1);
	assert_int_equal(k.argc, 0);
	assert_null(k.argv[0]);
	assert_int_equal(kargv_build(&g, "/run/uml/a,b", &k), -1);
	assert_int_equal(kargv_build(&g, "/run/uml/a b", &k), -1);
	assert_int_equal(kargv_build(&g, "", &k), -1);
	memset(rundir, 'r', sizeof(rundir));
	rundir[0] = '/';
	rundir[sizeof(rundir) - 1] = '\0';
	assert_int_equal(kargv_build(&g, rundir, &k), -1);
	/* Counts beyond the arrays are refused, not trusted. */
	g.nnic = NIC_MAX + 1;
	assert_int_equal(kargv_build(&g, "/r", &k), -1);
	g.nnic = 0;
	g.nextra = EXTRA_MAX + 1;
	assert_int_equal(kargv_build(&g, "/r", &k), -1);
	assert_int_equal(k.argc, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_no_swap),
		cmocka_unit_test(test_mem_units),
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_tuntap_and_extra),
		cmocka_unit_test(test_largest_fits),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
