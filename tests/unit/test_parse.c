/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_parse.c: single values, with the exact reasons users will read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "parse.h"

#define SIZE_HINT "(use 128M, 128MB, 1G or 131072K)"

static char err[256];

/* The reason parse_size_kib gives for s, or "ok=<KiB>". */
static const char *
size(const char *s)
{
	static char out[300];
	uint64_t kib = 0;

	strcpy(err, "untouched");
	if (parse_size_kib(s, &kib, err, sizeof(err)) == 0)
		snprintf(out, sizeof(out), "ok=%llu", (unsigned long long)kib);
	else
		snprintf(out, sizeof(out), "%s", err);
	return out;
}

static void
test_size_ok(void **state)
{
	(void)state;
	assert_string_equal(size("128M"), "ok=131072");
	assert_string_equal(size("128MB"), "ok=131072");
	assert_string_equal(size("1G"), "ok=1048576");
	assert_string_equal(size("1GB"), "ok=1048576");
	assert_string_equal(size("131072K"), "ok=131072");
	assert_string_equal(size("100000KB"), "ok=100000");
	assert_string_equal(size("64M"), "ok=65536");
	assert_string_equal(size("65536K"), "ok=65536");
	assert_string_equal(size("1024G"), "ok=1073741824");
	assert_string_equal(size("1048576M"), "ok=1073741824");
}

static void
test_size_bad(void **state)
{
	(void)state;
	assert_string_equal(size(""), "empty " SIZE_HINT);
	assert_string_equal(size("12x"), "not a size " SIZE_HINT);
	assert_string_equal(size("M"), "not a size " SIZE_HINT);
	assert_string_equal(size("-1"), "not a size " SIZE_HINT);
	assert_string_equal(size("+64M"), "not a size " SIZE_HINT);
	assert_string_equal(size("512 M"), "not a size " SIZE_HINT);
	assert_string_equal(size(" 512M"), "not a size " SIZE_HINT);
	assert_string_equal(size("512M "), "not a size " SIZE_HINT);
	assert_string_equal(size("1e3M"), "not a size " SIZE_HINT);
	assert_string_equal(size("0x40M"), "not a size " SIZE_HINT);
	assert_string_equal(size("1.5G"), "not a size " SIZE_HINT);
	assert_string_equal(size("1T"), "not a size " SIZE_HINT);
	assert_string_equal(size("1MiB"), "not a size " SIZE_HINT);
	assert_string_equal(size("128MM"), "not a size " SIZE_HINT);
	assert_string_equal(size("512"), "no unit " SIZE_HINT);
	assert_string_equal(size("0"), "no unit " SIZE_HINT);
	assert_string_equal(size("0128M"), "leading zero " SIZE_HINT);
	assert_string_equal(size("00M"), "leading zero " SIZE_HINT);
	assert_string_equal(size("128m"),
	    "unit \"m\" must be upper case: K, M, G, KB, MB or GB");
	assert_string_equal(size("1g"),
	    "unit \"g\" must be upper case: K, M, G, KB, MB or GB");
	assert_string_equal(size("128Mb"),
	    "unit \"Mb\" must be upper case: K, M, G, KB, MB or GB");
	assert_string_equal(size("128kb"),
	    "unit \"kb\" must be upper case: K, M, G, KB, MB or GB");
}

static void
test_size_bounds(void **state)
{
	(void)state;
	assert_string_equal(size("0M"),
	    "too small (at least 64M: a smaller UML kernel panics at boot)");
	assert_string_equal(size("63M"),
	    "too small (at least 64M: a smaller UML kernel panics at boot)");
	assert_string_equal(size("65535K"),
	    "too small (at least 64M: a smaller UML kernel panics at boot)");
	assert_string_equal(size("1025G"), "too large (at most 1024G)");
	assert_string_equal(size("1073741825K"), "too large (at most 1024G)");
	assert_string_equal(size("1048577M"), "too large (at most 1024G)");
	/* Would wrap a uint64_t many times over if multiplied blindly. */
	assert_string_equal(size("18446744073709551616K"), "too large (at most 1024G)");
	assert_string_equal(size("18014398509481984G"), "too large (at most 1024G)");
	assert_string_equal(size("99999999999999999999999999999999999999G"),
	    "too large (at most 1024G)");
}

static void
test_size_untouched_on_error(void **state)
{
	uint64_t kib = 42;

	(void)state;
	assert_int_equal(parse_size_kib("12x", &kib, err, sizeof(err)), -1);
	assert_int_equal(kib, 42);
	/* A short buffer is still terminated. */
	assert_int_equal(parse_size_kib("12x", &kib, err, 6), -1);
	assert_string_equal(err, "not a");
}

static void
test_seconds(void **state)
{
	unsigned v = 7;

	(void)state;
	assert_int_equal(parse_seconds("1", 86400, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse_seconds("86400", 86400, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 86400);
	assert_int_equal(parse_seconds("60", 86400, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 60);
	v = 7;
	assert_int_equal(parse_seconds("0", 86400, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not a whole number of seconds from 1 to 86400");
	const char *bad[] = { "", "86401", "060", "-5", "+5", " 5", "5 ", "5s",
	    "1.5", "99999999999999999999999", "0x10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(err, "");
		assert_int_equal(parse_seconds(bad[i], 86400, &v, err, sizeof(err)), -1);
		assert_string_equal(err, "not a whole number of seconds from 1 to 86400");
	}
	assert_int_equal(v, 7);
	assert_int_equal(parse_seconds("30", 10, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not a whole number of seconds from 1 to 10");
}

static void
test_count(void **state)
{
	unsigned v = 9;

	(void)state;
	assert_int_equal(parse_count("0", 1000, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_count("1000", 1000, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(parse_count("1001", 1000, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not a whole number from 0 to 1000");
	assert_int_equal(parse_count("", 1000, &v, err, sizeof(err)), -1);
	assert_int_equal(parse_count("00", 1000, &v, err, sizeof(err)), -1);
	assert_int_equal(parse_count("-0", 1000, &v, err, sizeof(err)), -1);
	assert_int_equal(parse_count("4294967296", 1000, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not a whole number from 0 to 1000");
	assert_int_equal(v, 1000);
}

static void
test_bool(void **state)
{
	const char *yes[] = { "yes", "YES", "Yes", "true", "TRUE", "on", "On", "1" };
	const char *no[] = { "no", "NO", "false", "False", "off", "OFF", "0", "" };
	bool b;

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		assert_int_equal(parse_bool(yes[i], &b, err, sizeof(err)), 0);
		assert_true(b);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = true;
		assert_int_equal(parse_bool(no[i], &b, err, sizeof(err)), 0);
		assert_false(b);
	}
	const char *bad[] = { "y", "n", "maybe", "yes ", "2", "01", "enabled" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_bool(bad[i], &b, err, sizeof(err)), -1);
		assert_string_equal(err, "not yes or no (use yes, no, true, "
		    "false, on, off, 1 or 0)");
	}
}

static const char *
name(const char *s)
{
	return parse_name(s, err, sizeof(err)) == 0 ? "ok" : err;
}

static void
test_name(void **state)
{
	(void)state;
	assert_string_equal(name("router"), "ok");
	assert_string_equal(name("web-1_a"), "ok");
	assert_string_equal(name("0day"), "ok");
	assert_string_equal(name("A"), "ok");
	assert_string_equal(name("abcdefghijklmnopqrstuvwxyz012345"), "ok");
	assert_string_equal(name(""), "empty");
	assert_string_equal(name("abcdefghijklmnopqrstuvwxyz0123456"),
	    "longer than 32 bytes");
	assert_string_equal(name("-x"), "must start with a letter or a digit");
	assert_string_equal(name("_x"), "must start with a letter or a digit");
	assert_string_equal(name(".."), "must start with a letter or a digit");
	assert_string_equal(name("a b"),
	    "contains a space (use letters, digits, '_' and '-')");
	assert_string_equal(name("a.b"),
	    "contains '.' (use letters, digits, '_' and '-')");
	assert_string_equal(name("a/b"),
	    "contains '/' (use letters, digits, '_' and '-')");
	assert_string_equal(name("a\nb"),
	    "contains byte 0x0a (use letters, digits, '_' and '-')");
	assert_string_equal(name("caf\xc3\xa9"),
	    "contains byte 0xc3 (use letters, digits, '_' and '-')");
}

static const char *
user(const char *s)
{
	return parse_user(s, err, sizeof(err)) == 0 ? "ok" : err;
}

static void
test_user(void **state)
{
	(void)state;
	assert_string_equal(user("umluser"), "ok");
	assert_string_equal(user("root"), "ok");	/* uid checks are host.c's */
	assert_string_equal(user("_uml"), "ok");
	assert_string_equal(user("uml-1_x"), "ok");
	assert_string_equal(user("host$"), "ok");
	assert_string_equal(user("abcdefghijklmnopqrstuvwxyz012345"), "ok");
	assert_string_equal(user(""), "empty");
	assert_string_equal(user("abcdefghijklmnopqrstuvwxyz0123456"),
	    "longer than 32 bytes");
	assert_string_equal(user("Uml"),
	    "must start with a lower case letter or '_'");
	assert_string_equal(user("1uml"),
	    "must start with a lower case letter or '_'");
	assert_string_equal(user("-uml"),
	    "must start with a lower case letter or '_'");
	assert_string_equal(user("umL"), "contains 'L' (use lower case letters, "
	    "digits, '_' and '-')");
	assert_string_equal(user("a$b"), "contains '$' (use lower case letters, "
	    "digits, '_' and '-')");
	assert_string_equal(user("a$$"), "contains '$' (use lower case letters, "
	    "digits, '_' and '-')");
	assert_string_equal(user("uml user"), "contains a space (use lower case "
	    "letters, digits, '_' and '-')");
	assert_string_equal(user("uml:x"), "contains ':' (use lower case "
	    "letters, digits, '_' and '-')");
}

static const char *
ifname(const char *s)
{
	return parse_ifname(s, err, sizeof(err)) == 0 ? "ok" : err;
}

static void
test_ifname(void **state)
{
	(void)state;
	assert_string_equal(ifname("tap0"), "ok");
	assert_string_equal(ifname("uml-web.2"), "ok");
	assert_string_equal(ifname("A_b"), "ok");
	assert_string_equal(ifname("123456789012345"), "ok");
	assert_string_equal(ifname("..."), "ok");
	assert_string_equal(ifname(""), "empty");
	assert_string_equal(ifname("1234567890123456"),
	    "longer than 15 bytes (the kernel's limit for interface names)");
	assert_string_equal(ifname("."), "not an interface name");
	assert_string_equal(ifname(".."), "not an interface name");
	assert_string_equal(ifname("tap/0"),
	    "contains '/' (use letters, digits, '_', '.' and '-')");
	assert_string_equal(ifname("tap:0"),
	    "contains ':' (use letters, digits, '_', '.' and '-')");
	assert_string_equal(ifname("tap 0"),
	    "contains a space (use letters, digits, '_', '.' and '-')");
	assert_string_equal(ifname("tap\t0"),
	    "contains byte 0x09 (use letters, digits, '_', '.' and '-')");
}

static const char *
mac(const char *s)
{
	static char out[300];
	unsigned char m[6] = { 0 };
	char buf[18];

	if (parse_mac(s, m, err, sizeof(err)) < 0)
		return err;
	format_mac(m, buf);
	snprintf(out, sizeof(out), "ok=%s", buf);
	return out;
}

#define MAC_HINT "not a MAC (use six hex octets separated by ':', such as " \
	"52:54:00:12:34:56)"

static void
test_mac(void **state)
{
	(void)state;
	assert_string_equal(mac("52:54:00:12:34:56"), "ok=52:54:00:12:34:56");
	assert_string_equal(mac("52:54:00:AB:cd:Ef"), "ok=52:54:00:ab:cd:ef");
	assert_string_equal(mac("fe:ff:ff:ff:ff:ff"), "ok=fe:ff:ff:ff:ff:ff");
	assert_string_equal(mac("02:00:00:00:00:00"), "ok=02:00:00:00:00:00");
	assert_string_equal(mac(""), MAC_HINT);
	assert_string_equal(mac("52:54:00:12:34"), MAC_HINT);
	assert_string_equal(mac("52:54:00:12:34:56:78"), MAC_HINT);
	assert_string_equal(mac("52-54-00-12-34-56"), MAC_HINT);
	assert_string_equal(mac("5:54:00:12:34:567"), MAC_HINT);
	assert_string_equal(mac("52:54:00:12:34:5g"), MAC_HINT);
	assert_string_equal(mac(" 52:54:00:12:34:5"), MAC_HINT);
	assert_string_equal(mac("525400123456"), MAC_HINT);
	assert_string_equal(mac("01:00:5e:00:00:01"), "a multicast MAC (UML "
	    "would pick a random one; the first octet must be even)");
	assert_string_equal(mac("ff:ff:ff:ff:ff:ff"), "a multicast MAC (UML "
	    "would pick a random one; the first octet must be even)");
	assert_string_equal(mac("00:00:00:00:00:00"),
	    "the all-zero MAC (UML would pick a random one)");
}

static void
test_mac_untouched_on_error(void **state)
{
	unsigned char m[6] = { 1, 2, 3, 4, 5, 6 };
	const unsigned char want[6] = { 1, 2, 3, 4, 5, 6 };

	(void)state;
	assert_int_equal(parse_mac("52:54:00:12:34:zz", m, err, sizeof(err)), -1);
	assert_int_equal(parse_mac("01:54:00:12:34:56", m, err, sizeof(err)), -1);
	assert_memory_equal(m, want, 6);
}

static void
test_format_mac(void **state)
{
	const unsigned char m[6] = { 0x52, 0x54, 0x00, 0xab, 0x0c, 0xff };
	char buf[18];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	format_mac(m, buf);
	assert_string_equal(buf, "52:54:00:ab:0c:ff");
}

static void
test_derive_mac(void **state)
{
	unsigned char a[6], b[6], c[6], d[6];
	char buf[18];

	(void)state;
	derive_mac("", "router", 0, a);
	derive_mac("", "router", 0, b);
	derive_mac("", "router", 1, c);
	derive_mac("", "routes", 0, d);
	assert_memory_equal(a, b, 6);			/* stable */
	assert_memory_not_equal(a, c, 6);		/* per NIC */
	assert_memory_not_equal(a, d, 6);		/* per guest */
	/* The exact values are part of the contract: guests keep their MAC. */
	format_mac(a, buf);
	assert_string_equal(buf, "e2:f0:38:f0:15:9b");
	format_mac(c, buf);
	assert_string_equal(buf, "72:ea:2d:95:33:4b");
	/* A host seed changes every MAC, and the same seed gives the same
	 * MAC on every host; no seed is the derivation of before (above). */
	derive_mac("0123456789abcdef0123456789abcdef", "router", 0, b);
	derive_mac("0123456789abcdef0123456789abcdef", "router", 0, d);
	assert_memory_equal(b, d, 6);
	assert_memory_not_equal(a, b, 6);
	derive_mac("fedcba9876543210fedcba9876543210", "router", 0, d);
	assert_memory_not_equal(b, d, 6);
	derive_mac("pair", "router", 1, d);
	assert_memory_not_equal(c, d, 6);
	format_mac(b, buf);
	assert_string_equal(buf, "ce:94:38:b6:7b:18");
	/* The seed's end is marked: ("ab", "c") is not ("a", "bc"). */
	derive_mac("ab", "c", 0, b);
	derive_mac("a", "bc", 0, d);
	assert_memory_not_equal(b, d, 6);
	/* Locally administered unicast, whatever the name. */
	for (unsigned i = 0; i < 64; i++) {
		char nm[8];

		snprintf(nm, sizeof(nm), "g%u", i);
		derive_mac("", nm, i, a);
		assert_int_equal(a[0] & 0x03, 0x02);
		format_mac(a, buf);
		assert_int_equal(parse_mac(buf, b, err, sizeof(err)), 0);
	}
}

static const char *
kpath(const char *s)
{
	return parse_kpath(s, err, sizeof(err)) == 0 ? "ok" : err;
}

static void
test_kpath(void **state)
{
	char longp[PATH_LEN_MAX + 1];

	(void)state;
	assert_string_equal(kpath("/uml/router/root.loop"), "ok");
	assert_string_equal(kpath("/"), "ok");
	assert_string_equal(kpath("/a#b/c~d/e$f/g\\h"), "ok");
	assert_string_equal(kpath(""), "empty (an absolute path is needed)");
	assert_string_equal(kpath("uml/root.loop"), "not an absolute path");
	assert_string_equal(kpath("./root.loop"), "not an absolute path");
	assert_string_equal(kpath("/uml/a,b/root.loop"),
	    "contains ',' which UML's command line splits on");
	assert_string_equal(kpath("/uml/a:b"),
	    "contains ':' which UML's command line splits on");
	assert_string_equal(kpath("/uml/a=b"),
	    "contains '=' which UML's command line splits on");
	assert_string_equal(kpath("/uml/a b"),
	    "contains a space, which splits the kernel command line");
	assert_string_equal(kpath("/uml/a\"b"),
	    "contains '\"' which the kernel's command line parser takes as a quote");
	assert_string_equal(kpath("/uml/a\tb"),
	    "contains byte 0x09 (a control character)");
	assert_string_equal(kpath("/uml/\xc3\xa4"),
	    "contains byte 0xc3 (only printable ASCII can go on the kernel "
	    "command line)");
	assert_string_equal(kpath("/uml/\x7f"),
	    "contains byte 0x7f (a control character)");
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[PATH_LEN_MAX - 1] = '\0';
	assert_string_equal(kpath(longp), "ok");
	longp[PATH_LEN_MAX - 1] = 'a';
	longp[PATH_LEN_MAX] = '\0';
	assert_string_equal(kpath(longp), "longer than 255 bytes");
}

static const char *
abspath(const char *s)
{
	return parse_abspath(s, err, sizeof(err)) == 0 ? "ok" : err;
}

static void
test_abspath(void **state)
{
	(void)state;
	assert_string_equal(abspath("/opt/uml kernels/linux,6.1"), "ok");
	assert_string_equal(abspath("/srv/g\xc3\xa4ste"), "ok");
	assert_string_equal(abspath(""), "empty (an absolute path is needed)");
	assert_string_equal(abspath("linux"), "not an absolute path");
	assert_string_equal(abspath("/var/log/a\nb"),
	    "contains byte 0x0a (a control character)");
	assert_string_equal(abspath("/var/log/\x1b[1m"),
	    "contains byte 0x1b (a control character)");
}

static const char *
kword(const char *s)
{
	return parse_kword(s, err, sizeof(err)) == 0 ? "ok" : err;
}

static void
test_kword_ok(void **state)
{
	const char *ok[] = { "quiet", "single", "hostfs=/srv/x", "hostfs=/a,b",
	    "init=/sbin/init", "console=tty0", "memmap=1", "umid2=x",
	    "rootfstype=ext4", "rootwait", "root_x=1", "con-x", "conx=1",
	    "sslx", "ethtool=1", "vector=1", "vec=1", "eth=1", "mconsoles=1",
	    "memory=1", "a=b=c", "x:y", "uml_dir2=/x", "`backquote`", "$HOME" };

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_string_equal(kword(ok[i]), "ok");
}

static void
test_kword_managed(void **state)
{
	(void)state;
	assert_string_equal(kword("mem=1G"),
	    "would override umlctl's mem= (set MEMORY instead)");
	assert_string_equal(kword("umid=x"),
	    "would override umlctl's umid= (it is always the instance name)");
	assert_string_equal(kword("uml_dir=/tmp"),
	    "would override umlctl's uml_dir= (it is always in /run/uml)");
	assert_string_equal(kword("root=/dev/ubdb"),
	    "would override umlctl's root= (set ROOT instead)");
	assert_string_equal(kword("mconsole=notify:/tmp/x"),
	    "would override umlctl's mconsole= (it supervises the guest with it)");
	const char *con[] = { "con", "con=pty", "con0=pty", "con12=port:9000" };
	for (size_t i = 0; i < sizeof(con) / sizeof(con[0]); i++)
		assert_string_equal(kword(con[i]), "would override umlctl's "
		    "consoles (con=null con0=fd:0,fd:1)");
	const char *ssl[] = { "ssl=pty", "ssl0=null", "ssl3=xterm" };
	for (size_t i = 0; i < sizeof(ssl) / sizeof(ssl[0]); i++)
		assert_string_equal(kword(ssl[i]),
		    "would override umlctl's serial lines (ssl=null)");
	const char *ubd[] = { "ubd0=/x", "ubd1r=/x", "ubda=/x", "ubd", "ubdfoo" };
	for (size_t i = 0; i < sizeof(ubd) / sizeof(ubd[0]); i++)
		assert_string_equal(kword(ubd[i]), "would override umlctl's "
		    "disks (set ROOT and SWAP instead)");
	const char *net[] = { "vec0:transport=tap", "vec12:x=y", "eth0=tuntap,t",
	    "eth1=daemon" };
	for (size_t i = 0; i < sizeof(net) / sizeof(net[0]); i++)
		assert_string_equal(kword(net[i]), "would override umlctl's "
		    "network interfaces (set NET instead)");
}

static void
test_kword_bytes(void **state)
{
	char longw[WORD_LEN_MAX + 1];

	(void)state;
	assert_string_equal(kword(""), "empty");
	assert_string_equal(kword("a b"), "contains a space (a kernel word is "
	    "printable ASCII without spaces, quotes or '\\')");
	assert_string_equal(kword("init=\"x\""), "contains '\"' (a kernel word "
	    "is printable ASCII without spaces, quotes or '\\')");
	assert_string_equal(kword("it's"), "contains a single quote (a kernel word "
	    "is printable ASCII without spaces, quotes or '\\')");
	assert_string_equal(kword("a\\b"), "contains '\\' (a kernel word "
	    "is printable ASCII without spaces, quotes or '\\')");
	assert_string_equal(kword("a\tb"), "contains byte 0x09 (a kernel word "
	    "is printable ASCII without spaces, quotes or '\\')");
	assert_string_equal(kword("caf\xc3\xa9"), "contains byte 0xc3 (a kernel "
	    "word is printable ASCII without spaces, quotes or '\\')");
	memset(longw, 'w', sizeof(longw));
	longw[WORD_LEN_MAX - 1] = '\0';
	assert_string_equal(kword(longw), "ok");
	longw[WORD_LEN_MAX - 1] = 'w';
	longw[WORD_LEN_MAX] = '\0';
	assert_string_equal(kword(longw), "longer than 255 bytes");
}

static void
test_tap_var_name(void **state)
{
	char buf[64];

	(void)state;
	tap_var_name("BRIDGE_", "tap0", buf, sizeof(buf));
	assert_string_equal(buf, "BRIDGE_tap0");
	tap_var_name("MAC_", "uml-web.2", buf, sizeof(buf));
	assert_string_equal(buf, "MAC_uml_web_2");
	tap_var_name("BRIDGE_", "A_b-C", buf, sizeof(buf));
	assert_string_equal(buf, "BRIDGE_A_b_C");
	/* Cut, but terminated. */
	tap_var_name("BRIDGE_", "tap-0", buf, 10);
	assert_string_equal(buf, "BRIDGE_ta");
	tap_var_name("BRIDGE_", "tap-0", buf, 4);
	assert_string_equal(buf, "BRI");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_ok),
		cmocka_unit_test(test_size_bad),
		cmocka_unit_test(test_size_bounds),
		cmocka_unit_test(test_size_untouched_on_error),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_ifname),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_mac_untouched_on_error),
		cmocka_unit_test(test_format_mac),
		cmocka_unit_test(test_derive_mac),
		cmocka_unit_test(test_kpath),
		cmocka_unit_test(test_abspath),
		cmocka_unit_test(test_kword_ok),
		cmocka_unit_test(test_kword_managed),
		cmocka_unit_test(test_kword_bytes),
		cmocka_unit_test(test_tap_var_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
