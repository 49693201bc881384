/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_config.c: assignments to struct guest: defaults, values, and the
 * exact messages for bad ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "guestconf.h"
#include "parse.h"

#ifndef LOGDIR
#define LOGDIR "/var/log/uml"
#endif

static struct conf c;
static struct guest g;
static char err[1024];

/* Run conf.d text through conf_parse and config_build for guest name. */
static int
build(const char *name, const char *text)
{
	conf_init(&c);
	assert_int_equal(conf_set_builtin(&c, "RC_SVCNAME", "uml.x"), 0);
	if (conf_parse(&c, "f", text, strlen(text), err, sizeof(err)) < 0)
		fail_msg("conf_parse: %s", err);
	strcpy(err, "untouched");
	return config_build(&c, name, &g, err, sizeof(err));
}

static void
ok(const char *name, const char *text)
{
	if (build(name, text) < 0)
		fail_msg("refused: %s", err);
	assert_string_equal(err, "");
}

/*
 * The reason text is refused for, without the " (f:LINE)" that names
 * where a set variable was assigned (test_where checks that part).
 */
static const char *
refused(const char *name, const char *text)
{
	char *at;

	if (build(name, text) == 0)
		fail_msg("accepted: %s", text);
	if ((at = strstr(err, " (f:")) != NULL && at[strlen(at) - 1] == ')')
		*at = '\0';
	return err;
}

/* A refused value names the file and line that assigned it. */
static void
test_where(void **state)
{
	(void)state;
	assert_int_equal(build("a", "USER=umluser\n# x\nMEMORY=lots\n"), -1);
	assert_string_equal(err, "MEMORY=\"lots\": not a size (use 128M, 128MB, "
	    "1G or 131072K) (f:3)");
	/* The last assignment is the one that counts. */
	assert_int_equal(build("a", "USER=umluser MEMORY=1G\nMEMORY=1\n"), -1);
	assert_non_null(strstr(err, "(f:2)"));
	/* A default names no file. */
	assert_int_equal(build("a", "USER=umluser UMLDIR=/a,b\n"), -1);
	assert_null(strstr(err, "(f:"));
}

static void
test_defaults(void **state)
{
	unsigned char mac[6];

	(void)state;
	ok("web", "USER=umluser NET=tap0\n");
	assert_string_equal(g.name, "web");
	assert_string_equal(g.user, "umluser");
	assert_string_equal(g.umldir, "/var/lib/uml");
	assert_string_equal(g.kernel, "/var/lib/uml/web/linux");
	assert_string_equal(g.root, "/var/lib/uml/web/root.loop");
	assert_string_equal(g.swap, "/var/lib/uml/web/swap.loop");
	assert_true(g.swap_auto);
	assert_int_equal(g.mem_kib, 128 * 1024);
	assert_string_equal(g.memdir, "");
	assert_true(g.memdir_own);
	assert_string_equal(g.console_log, LOGDIR "/web.log");
	assert_int_equal(g.shutdown_timeout, 60);
	assert_int_equal(g.start_timeout, 30);
	assert_false(g.respawn);
	assert_int_equal(g.respawn_max, 5);
	assert_string_equal(g.netns, "");
	assert_int_equal(g.transport, TRANSPORT_FD);
	assert_int_equal(g.nnic, 1);
	assert_string_equal(g.nic[0].tap, "tap0");
	assert_string_equal(g.nic[0].bridge, "");
	assert_false(g.nic[0].mac_explicit);
	derive_mac("", "web", 0, mac);
	assert_memory_equal(g.nic[0].mac, mac, 6);
	assert_int_equal(g.nextra, 0);
}

static void
test_primer(void **state)
{
	(void)state;
	ok("router", "UMLDIR=/uml\nUSER=umluser\nMEMORY=\"128MB\"\nNET=\"\"\n");
	assert_string_equal(g.kernel, "/uml/router/linux");
	assert_string_equal(g.root, "/uml/router/root.loop");
	assert_string_equal(g.swap, "/uml/router/swap.loop");
	assert_int_equal(g.mem_kib, 131072);
	assert_int_equal(g.nnic, 0);
}

static void
test_everything_set(void **state)
{
	(void)state;
	ok("a", "USER=u UMLDIR=/u KERNEL='/k k/linux' ROOT=/r SWAP=/s "
	    "MEMORY=1G MEMORY_DIR=/m CONSOLE_LOG=/var/log/a.log "
	    "SHUTDOWN_TIMEOUT=1 START_TIMEOUT=86400 RESPAWN=on RESPAWN_MAX=0 "
	    "NETNS=ns-1 NET_TRANSPORT=tuntap NET='t0 t1' BRIDGE_t0=br0 "
	    "MAC_t1=52:54:00:00:00:01 KERNEL_ARGS='quiet  loglevel=4' HOSTFS=/srv\n"
	    "rc_need=net description='any thing' MAC_t9=junk\n");
	assert_string_equal(g.kernel, "/k k/linux");
	assert_string_equal(g.root, "/r");
	assert_string_equal(g.swap, "/s");
	assert_false(g.swap_auto);
	assert_int_equal(g.mem_kib, 1024 * 1024);
	assert_string_equal(g.memdir, "/m");
	assert_string_equal(g.console_log, "/var/log/a.log");
	assert_int_equal(g.shutdown_timeout, 1);
	assert_int_equal(g.start_timeout, 86400);
	assert_true(g.respawn);
	assert_int_equal(g.respawn_max, 0);
	assert_string_equal(g.netns, "ns-1");
	assert_int_equal(g.transport, TRANSPORT_TUNTAP);
	assert_int_equal(g.nnic, 2);
	assert_string_equal(g.nic[0].bridge, "br0");
	assert_string_equal(g.nic[1].bridge, "");
	assert_false(g.nic[0].mac_explicit);
	assert_true(g.nic[1].mac_explicit);
	assert_memory_equal(g.nic[1].mac, "\x52\x54\x00\x00\x00\x01", 6);
	assert_int_equal(g.nextra, 2);
	assert_string_equal(g.extra[0], "quiet");
	assert_string_equal(g.extra[1], "loglevel=4");
	assert_string_equal(g.hostfs, "/srv");
}

/* HOSTFS: unset, a plain absolute path, and not UMLDIR or above it. */
static void
test_hostfs(void **state)
{
	(void)state;
	ok("a", "USER=u");
	assert_string_equal(g.hostfs, "");
	ok("a", "USER=u HOSTFS=''");
	assert_string_equal(g.hostfs, "");
	ok("a", "USER=u HOSTFS=/srv/share UMLDIR=/srv/sharedisks");
	assert_string_equal(g.hostfs, "/srv/share");
	assert_string_equal(refused("a", "USER=u HOSTFS=srv"),
	    "HOSTFS=\"srv\": not an absolute path");
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/srv/"),
	    "not a plain path"));
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/srv//a"),
	    "not a plain path"));
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/srv/./a"),
	    "not a plain path"));
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/srv/a/.."),
	    "not a plain path"));
	/* Names that merely start with dots are plain. */
	ok("a", "USER=u HOSTFS=/srv/..a/.b/...");
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/"), "the whole host"));
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/a,append"), "','"));
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/var/lib"),
	    "holds UMLDIR"));
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/var/lib/uml"),
	    "is UMLDIR"));
	/* The host's trees, and the guest's own files (test_hostfs.c). */
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/etc/x"),
	    "is inside the host's /etc"));
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/srv/a "
	    "UMLDIR=/srv/uml ROOT=/srv/a/root.img"), "holds ROOT"));
	assert_non_null(strstr(refused("a", "USER=u HOSTFS=/srv/m/s "
	    "MEMORY_DIR=/srv/m"), "is inside MEMORY_DIR"));
}

static void
test_swap(void **state)
{
	(void)state;
	ok("a", "USER=u SWAP=");
	assert_string_equal(g.swap, "");
	assert_false(g.swap_auto);
	ok("a", "USER=u UMLDIR=/x");
	assert_string_equal(g.swap, "/x/a/swap.loop");
	assert_true(g.swap_auto);
	assert_string_equal(refused("a", "USER=u SWAP=swap"),
	    "SWAP=\"swap\": not an absolute path");
}

static void
test_user(void **state)
{
	const char *msg = "USER is not set in conf.d (it must name the account "
	    "that runs the guest; umlctl never takes it from the environment)";

	(void)state;
	assert_string_equal(refused("a", ""), msg);
	assert_string_equal(refused("a", "USER="), msg);
	assert_string_equal(refused("a", "USER=''"), msg);
	/* A builtin (say, from the environment) is not an assignment. */
	conf_init(&c);
	assert_int_equal(conf_set_builtin(&c, "USER", "root"), 0);
	assert_int_equal(config_build(&c, "a", &g, err, sizeof(err)), -1);
	assert_string_equal(err, msg);
	assert_string_equal(refused("a", "USER=Bob"),
	    "USER=\"Bob\": must start with a lower case letter or '_'");
	ok("a", "USER=root");
	assert_string_equal(g.user, "root");
}

static void
test_instance_name(void **state)
{
	(void)state;
	assert_string_equal(refused("a b", "USER=u"), "instance name \"a b\": "
	    "contains a space (use letters, digits, '_' and '-')");
	assert_string_equal(refused("", "USER=u"), "instance name \"\": empty");
	assert_string_equal(refused("-a", "USER=u"),
	    "instance name \"-a\": must start with a letter or a digit");
	assert_string_equal(refused("a\"\n", "USER=u"), "instance name "
	    "\"a\\\"\\x0a\": contains '\"' (use letters, digits, '_' and '-')");
	assert_string_equal(refused("abcdefghijklmnopqrstuvwxyz0123456", "USER=u"),
	    "instance name \"abcdefghijklmnopqrstuvwxyz0123456\": longer than "
	    "32 bytes");
}

static void
test_paths(void **state)
{
	(void)state;
	assert_string_equal(refused("a", "USER=u ROOT=/uml/a,b/root.loop"),
	    "ROOT=\"/uml/a,b/root.loop\": contains ',' which UML's command "
	    "line splits on");
	assert_string_equal(refused("a", "USER=u UMLDIR=/my,uml"),
	    "ROOT=\"/my,uml/a/root.loop\": contains ',' which UML's command "
	    "line splits on (ROOT is not set; this is its default)");
	assert_string_equal(refused("a", "USER=u UMLDIR=/my,uml ROOT=/r"),
	    "SWAP=\"/my,uml/a/swap.loop\": contains ',' which UML's command "
	    "line splits on (SWAP is not set; this is its default)");
	ok("a", "USER=u UMLDIR=/my,uml ROOT=/r SWAP=");
	assert_string_equal(g.kernel, "/my,uml/a/linux");
	assert_string_equal(refused("a", "USER=u UMLDIR="),
	    "UMLDIR=\"\": empty (an absolute path is needed)");
	assert_string_equal(refused("a", "USER=u KERNEL=./linux"),
	    "KERNEL=\"./linux\": not an absolute path");
	assert_string_equal(refused("a", "USER=u MEMORY_DIR='/dev/shm x'"),
	    "MEMORY_DIR=\"/dev/shm x\": contains a space, which splits the "
	    "kernel command line");
	assert_string_equal(refused("a", "USER=u CONSOLE_LOG=\"/l/a\tb\""),
	    "CONSOLE_LOG=\"/l/a\\x09b\": contains byte 0x09 (a control character)");
}

static void
test_long_defaults(void **state)
{
	char text[512], want[1024];
	char dir[250];

	(void)state;
	/* UMLDIR fits; the default KERNEL below it does not. */
	memset(dir, 'd', sizeof(dir));
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	snprintf(text, sizeof(text), "USER=u UMLDIR=%s", dir);
	snprintf(want, sizeof(want), "KERNEL=\"%.100s...\": longer than 255 "
	    "bytes (KERNEL is not set; this is its default)", dir);
	assert_string_equal(refused("abcdef", text), want);
}

static void
test_memory(void **state)
{
	(void)state;
	ok("a", "USER=u MEMORY=100000K");
	assert_int_equal(g.mem_kib, 100000);
	assert_string_equal(refused("a", "USER=u MEMORY=12x"),
	    "MEMORY=\"12x\": not a size (use 128M, 128MB, 1G or 131072K)");
	assert_string_equal(refused("a", "USER=u MEMORY="),
	    "MEMORY=\"\": empty (use 128M, 128MB, 1G or 131072K)");
	assert_string_equal(refused("a", "USER=u MEMORY='512 M'"),
	    "MEMORY=\"512 M\": not a size (use 128M, 128MB, 1G or 131072K)");
	assert_string_equal(refused("a", "USER=u MEMORY=128m"),
	    "MEMORY=\"128m\": unit \"m\" must be upper case: K, M, G, KB, MB or GB");
	assert_string_equal(refused("a", "USER=u MEMORY=32M"),
	    "MEMORY=\"32M\": too small (at least 64M: a smaller UML kernel "
	    "panics at boot)");
}

static void
test_numbers(void **state)
{
	(void)state;
	assert_string_equal(refused("a", "USER=u SHUTDOWN_TIMEOUT=0"),
	    "SHUTDOWN_TIMEOUT=\"0\": not a whole number of seconds from 1 to 86400");
	assert_string_equal(refused("a", "USER=u START_TIMEOUT=30s"),
	    "START_TIMEOUT=\"30s\": not a whole number of seconds from 1 to 86400");
	assert_string_equal(refused("a", "USER=u START_TIMEOUT="),
	    "START_TIMEOUT=\"\": not a whole number of seconds from 1 to 86400");
	assert_string_equal(refused("a", "USER=u RESPAWN=sometimes"),
	    "RESPAWN=\"sometimes\": not yes or no (use yes, no, true, false, "
	    "on, off, 1 or 0)");
	assert_string_equal(refused("a", "USER=u RESPAWN_MAX=-1"),
	    "RESPAWN_MAX=\"-1\": not a whole number from 0 to 1000");
	ok("a", "USER=u RESPAWN= RESPAWN_MAX=1000");
	assert_false(g.respawn);
	assert_int_equal(g.respawn_max, 1000);
}

static void
test_netns_transport(void **state)
{
	(void)state;
	ok("a", "USER=u NETNS=");
	assert_string_equal(g.netns, "");
	assert_string_equal(refused("a", "USER=u NETNS=../x"),
	    "NETNS=\"../x\": must start with a letter or a digit");
	assert_string_equal(refused("a", "USER=u NET_TRANSPORT=Vector"),
	    "NET_TRANSPORT=\"Vector\": not a transport (use fd, vector or tuntap)");
	assert_string_equal(refused("a", "USER=u NET_TRANSPORT="),
	    "NET_TRANSPORT=\"\": not a transport (use fd, vector or tuntap)");
}

static void
test_net(void **state)
{
	unsigned char m0[6], m1[6];

	(void)state;
	ok("g", "USER=u NET='  a.1\tb-2  ' BRIDGE_a_1=br-x MAC_b_2=02:00:00:00:00:AA");
	assert_int_equal(g.nnic, 2);
	assert_string_equal(g.nic[0].tap, "a.1");
	assert_string_equal(g.nic[0].bridge, "br-x");
	assert_string_equal(g.nic[1].tap, "b-2");
	assert_memory_equal(g.nic[1].mac, "\x02\x00\x00\x00\x00\xaa", 6);
	/* Derived MACs depend on the guest and the NIC's position. */
	ok("g", "USER=u NET='x y'");
	derive_mac("", "g", 0, m0);
	derive_mac("", "g", 1, m1);
	assert_memory_equal(g.nic[0].mac, m0, 6);
	assert_memory_equal(g.nic[1].mac, m1, 6);
	ok("g", "USER=u NET=t BRIDGE_t=");
	assert_string_equal(g.nic[0].bridge, "");
}

/* MAC_SEED: unset, the host's seed; "", none (as before); else itself. */
static void
test_mac_seed(void **state)
{
	char longseed[MAC_SEED_MAX + 1], text[MAC_SEED_MAX + 32];
	unsigned char m[6];

	(void)state;
	ok("g", "USER=u NET='x y' MAC_y=02:00:00:00:00:bb");
	assert_int_equal(g.mac_seed_kind, MACSEED_HOST);
	config_host_seed(&g, "host-a");
	derive_mac("host-a", "g", 0, m);
	assert_memory_equal(g.nic[0].mac, m, 6);
	assert_memory_equal(g.nic[1].mac, "\x02\x00\x00\x00\x00\xbb", 6);
	config_host_seed(&g, "host-b");
	assert_memory_not_equal(g.nic[0].mac, m, 6);
	ok("g", "USER=u NET=x MAC_SEED=pair");
	assert_int_equal(g.mac_seed_kind, MACSEED_GIVEN);
	config_host_seed(&g, "host-a");
	derive_mac("pair", "g", 0, m);
	assert_memory_equal(g.nic[0].mac, m, 6);
	ok("g", "USER=u NET=x MAC_SEED=");
	assert_int_equal(g.mac_seed_kind, MACSEED_NONE);
	config_host_seed(&g, "host-a");
	derive_mac("", "g", 0, m);
	assert_memory_equal(g.nic[0].mac, m, 6);
	memset(longseed, 'x', sizeof(longseed) - 1);
	longseed[sizeof(longseed) - 1] = '\0';
	snprintf(text, sizeof(text), "USER=u MAC_SEED=%s", longseed);
	assert_non_null(strstr(refused("g", text), "longer than 127 bytes"));
}

static void
test_net_errors(void **state)
{
	(void)state;
	assert_string_equal(refused("a", "USER=u NET='t0 t/1'"),
	    "NET=\"t0 t/1\": tap \"t/1\": contains '/' (use letters, digits, "
	    "'_', '.' and '-')");
	assert_string_equal(refused("a", "USER=u NET='t0 t0'"),
	    "NET=\"t0 t0\": t0 is listed twice");
	assert_string_equal(refused("a", "USER=u NET='t.0 t-0'"),
	    "NET=\"t.0 t-0\": t.0 and t-0 would both be set by BRIDGE_t_0 and MAC_t_0");
	assert_string_equal(refused("a", "USER=u NET='a b c d e f g h i j k l m n o p q'"),
	    "NET=\"a b c d e f g h i j k l m n o p q\": more than 16 interfaces");
	assert_string_equal(refused("a", "USER=u NET=t BRIDGE_t='b r'"),
	    "BRIDGE_t=\"b r\": contains a space (use letters, digits, '_', '.' and '-')");
	assert_string_equal(refused("a", "USER=u NET=t MAC_t="),
	    "MAC_t=\"\": not a MAC (use six hex octets separated by ':', such "
	    "as 52:54:00:12:34:56)");
	assert_string_equal(refused("a", "USER=u NET=t MAC_t=03:00:00:00:00:01"),
	    "MAC_t=\"03:00:00:00:00:01\": a multicast MAC (UML would pick a "
	    "random one; the first octet must be even)");
	assert_string_equal(refused("a", "USER=u NET='t u' MAC_t=02:00:00:00:00:01 "
	    "MAC_u=02:00:00:00:00:01"),
	    "MAC_u=\"02:00:00:00:00:01\": the same MAC as t");
}

static void
test_kernel_args(void **state)
{
	char text[64 * 8], want[256];
	size_t i, o;

	(void)state;
	assert_string_equal(refused("a", "USER=u KERNEL_ARGS='quiet mem=1G'"),
	    "KERNEL_ARGS=\"quiet mem=1G\": word \"mem=1G\": would override "
	    "umlctl's mem= (set MEMORY instead)");
	assert_string_equal(refused("a", "USER=u KERNEL_ARGS='ubd0=/etc/shadow'"),
	    "KERNEL_ARGS=\"ubd0=/etc/shadow\": word \"ubd0=/etc/shadow\": would "
	    "override umlctl's disks (set ROOT and SWAP instead)");
	assert_string_equal(refused("a", "USER=u KERNEL_ARGS='a \"b\"'"),
	    "KERNEL_ARGS=\"a \\\"b\\\"\": word \"\\\"b\\\"\": contains '\"' (a "
	    "kernel word is printable ASCII without spaces, quotes or '\\')");
	o = (size_t)snprintf(text, sizeof(text), "USER=u KERNEL_ARGS='");
	for (i = 0; i < EXTRA_MAX; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "w%zu ", i);
	snprintf(text + o, sizeof(text) - o, "'");
	ok("a", text);
	assert_int_equal(g.nextra, EXTRA_MAX);
	assert_string_equal(g.extra[EXTRA_MAX - 1], "w31");
	snprintf(text + o, sizeof(text) - o, "w32'");
	snprintf(want, sizeof(want), "KERNEL_ARGS=\"%.100s...\": more than 32 words",
	    text + strlen("USER=u KERNEL_ARGS='"));
	assert_string_equal(refused("a", text), want);
}

static void
test_shown_values(void **state)
{
	(void)state;
	/* Quotes, $, ` and \ escaped as inside "..."; control bytes as \xHH. */
	assert_string_equal(refused("a", "USER=u ROOT='a\"$`\\\x1b'"),
	    "ROOT=\"a\\\"\\$\\`\\\\\\x1b\": not an absolute path");
	assert_string_equal(refused("a", "USER=u ROOT='\xc3\xa9'"),
	    "ROOT=\"\\xc3\\xa9\": not an absolute path");
}

static void
test_error_buffer(void **state)
{
	char small[8];

	(void)state;
	conf_init(&c);
	assert_int_equal(config_build(&c, "a", &g, small, sizeof(small)), -1);
	assert_string_equal(small, "USER is");
	assert_int_equal(config_build(&c, "a", &g, NULL, 0), -1);
	assert_int_equal(config_build(&c, "a b", &g, NULL, 0), -1);
}

/* config_lint's messages for text, joined by newlines. */
static char lints[4096];

static void
lint_join(void *arg, const char *msg)
{
	(void)arg;
	strncat(lints, msg, sizeof(lints) - strlen(lints) - 2);
	strcat(lints, "\n");
}

static const char *
lint(const char *text)
{
	ok("a", text);
	lints[0] = '\0';
	config_lint(&c, "a", lint_join, NULL);
	return lints;
}

static void
test_lint(void **state)
{
	(void)state;
	assert_string_equal(lint("USER=u MEMORY=1G rc_after=net description=x "
	    "rc_need=\"\" NET=t0 BRIDGE_t0=br0 MAC_t0=52:54:00:00:00:01\n"), "");
	assert_string_equal(lint("USER=u\nMEMROY=1G\n"), "f:2: MEMROY is not "
	    "a variable umlctl knows (did you mean MEMORY?): it is ignored\n");
	assert_string_equal(lint("USER=u\nmemory=1G\n"), "f:2: memory is not "
	    "a variable umlctl knows (did you mean MEMORY? names are "
	    "case-sensitive): it is ignored\n");
	assert_string_equal(lint("USER=u\nSTART_TIMOUT=9\n"), "f:2: "
	    "START_TIMOUT is not a variable umlctl knows (did you mean "
	    "START_TIMEOUT?): it is ignored\n");
	assert_string_equal(lint("USER=u\nFROB=1\n"), "f:2: FROB is not a "
	    "variable umlctl knows: it is ignored\n");
	assert_string_equal(lint("USER=u NET=t0\nBRIDGE_t1=br0\n"), "f:2: "
	    "BRIDGE_t1 is set, but no tap in NET=\"t0\" is t1: it is ignored\n");
	assert_string_equal(lint("USER=u NET=\"t0\tt2\"\nBRIDGE_t1=br0\n"),
	    "f:2: BRIDGE_t1 is set, but no tap in NET=\"t0\\x09t2\" is t1: it "
	    "is ignored\n");
	assert_string_equal(lint("USER=u\nMAC_t1=52:54:00:00:00:01\n"), "f:2: "
	    "MAC_t1 is set, but no tap in NET=\"\" is t1: it is ignored\n");
	/* Nothing for a file that does not build. */
	conf_init(&c);
	lints[0] = '\0';
	config_lint(&c, "a", lint_join, NULL);
	assert_string_equal(lints, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_where),
		cmocka_unit_test(test_primer),
		cmocka_unit_test(test_everything_set),
		cmocka_unit_test(test_hostfs),
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_instance_name),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_long_defaults),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_netns_transport),
		cmocka_unit_test(test_net),
		cmocka_unit_test(test_net_errors),
		cmocka_unit_test(test_kernel_args),
		cmocka_unit_test(test_shown_values),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_mac_seed),
		cmocka_unit_test(test_lint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
