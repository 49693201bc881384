/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_kfacts.c: kernel facts from a kernel file's bytes, the decision
 * release x host XSAVE size x transport, and known console causes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "kfacts.h"

static char err[1024];

/* A kernel image: some binary noise around the strings kfacts looks for. */
static size_t
image(char *buf, size_t len, const char *text)
{
	size_t n = strlen(text);

	memset(buf, 0, len);
	memcpy(buf + 100, "\x7f" "ELF\x02\x01", 6);
	memcpy(buf + 1000, text, n);
	return 1000 + n + 50;
}

static void
test_scan(void **state)
{
	char img[4096];
	struct kfacts k;
	size_t n;

	(void)state;
	n = image(img, sizeof(img), "Linux version 6.1.176 (buildd@x86) (gcc 12)"
	    "\nvec[0-9]+:<option>=<value>,<option>=<value>\n"
	    "\neth[0-9]+=<transport>,<options>\n");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), 0);
	assert_string_equal(k.release, "6.1.176");
	assert_int_equal(k.major, 6);
	assert_int_equal(k.minor, 1);
	assert_true(k.vector);
	assert_false(k.vector_fd);
	assert_true(k.legacy_net);
	/* Only what is asked for is looked for. */
	assert_int_equal(kfacts_scan(img, n, KF_WANT_VECTOR, &k), 0);
	assert_true(k.vector);
	assert_false(k.legacy_net);
	assert_int_equal(kfacts_scan(img, n, 0, &k), 0);
	assert_false(k.vector);
	assert_string_equal(k.release, "6.1.176");

	n = image(img, sizeof(img), "Linux version 7.2.13 (x@y)\n"
	    "vec[0-9]+:<option>=<value>,<option>=<value>\n"
	    "3fd open: bad or missing fd argument");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_VECTOR, &k), 0);
	assert_true(k.vector);
	assert_true(k.vector_fd);

	n = image(img, sizeof(img), "Linux version 7.2.13 (x@y)");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), 0);
	assert_string_equal(k.release, "7.2.13");
	assert_int_equal(k.major, 7);
	assert_int_equal(k.minor, 2);
	assert_false(k.vector);
	assert_false(k.legacy_net);

	/* Distribution suffixes are part of the release. */
	n = image(img, sizeof(img), "Linux version 6.12.9-um+ #1");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), 0);
	assert_string_equal(k.release, "6.12.9-um+");
	assert_int_equal(k.minor, 12);
}

static void
test_scan_skips_format_strings(void **state)
{
	char img[4096];
	struct kfacts k;
	static const char text[] = "Linux version %s (%s)\0"
	    "Linux version \0Linux version x.y\0Linux version 7.3.4 (b)";

	(void)state;
	memcpy(img, text, sizeof(text));
	assert_int_equal(kfacts_scan(img, sizeof(text), KF_WANT_ALL, &k), 0);
	assert_string_equal(k.release, "7.3.4");
}

/* CONFIG_HOSTFS=y in the config text: HOSTFS needs it, only HOSTFS. */
static void
test_hostfs(void **state)
{
	char img[4096];
	struct kfacts k;
	struct guest g;
	size_t n;

	(void)state;
	memset(&g, 0, sizeof(g));
	strcpy(g.kernel, "/k");
	g.cpus = 1;
	assert_int_equal(kfacts_want(&g) & KF_WANT_HOSTFS, 0);
	strcpy(g.hostfs, "/srv/share");
	assert_int_equal(kfacts_want(&g) & KF_WANT_HOSTFS, KF_WANT_HOSTFS);
	n = image(img, sizeof(img), "Linux version 7.3.4 (b)\n"
	    "# CONFIG_HOSTFS is not set\nXCONFIG_HOSTFS=y\n");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), 0);
	assert_false(k.hostfs);
	assert_int_equal(kfacts_fit(&k, 0, &g, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "HOSTFS=\"/srv/share\""));
	assert_non_null(strstr(err, "CONFIG_HOSTFS"));
	n = image(img, sizeof(img), "Linux version 7.3.4 (b)\nCONFIG_HOSTFS=m\n");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), 0);
	assert_false(k.hostfs);
	n = image(img, sizeof(img), "Linux version 7.3.4 (b)\nCONFIG_HOSTFS=y\n");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), 0);
	assert_true(k.hostfs);
	assert_int_equal(kfacts_fit(&k, 0, &g, err, sizeof(err)), 0);
	g.hostfs[0] = '\0';
	k.hostfs = false;
	assert_int_equal(kfacts_fit(&k, 0, &g, err, sizeof(err)), 0);
}

static void
test_scan_refuses(void **state)
{
	char img[4096];
	struct kfacts k;
	size_t n;

	(void)state;
	assert_int_equal(kfacts_scan("", 0, KF_WANT_ALL, &k), -1);
	n = image(img, sizeof(img), "Linux versio 7.2.13");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), -1);
	assert_string_equal(k.release, "");
	/* At the very end of the file, cut: no release. */
	assert_int_equal(kfacts_scan("Linux version ", 14, KF_WANT_ALL, &k), -1);
	/* Too long to be a release. */
	memset(img, '7', sizeof(img));
	memcpy(img, "Linux version 7.", 16);
	assert_int_equal(kfacts_scan(img, sizeof(img), KF_WANT_ALL, &k), -1);
	/* Not X.Y. */
	n = image(img, sizeof(img), "Linux version 7 (x)");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), -1);
	n = image(img, sizeof(img), "Linux version 07.2 (x)");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), -1);
	n = image(img, sizeof(img), "Linux version 12345.1 (x)");
	assert_int_equal(kfacts_scan(img, n, KF_WANT_ALL, &k), -1);
}

static struct kfacts
facts(const char *release, unsigned major, unsigned minor, bool vec,
    bool legacy)
{
	struct kfacts k = { .major = major, .minor = minor, .vector = vec,
	    .vector_fd = vec, .legacy_net = legacy };

	strcpy(k.release, release);
	return k;
}

static struct guest g;

static void
test_fit_xsave(void **state)
{
	struct kfacts old = facts("6.1.176", 6, 1, true, true);
	struct kfacts v612 = facts("6.12.9", 6, 12, true, true);
	struct kfacts v613 = facts("6.13.0", 6, 13, true, true);
	struct kfacts v72 = facts("7.2.13", 7, 2, true, false);

	(void)state;
	memset(&g, 0, sizeof(g));
	strcpy(g.kernel, "/var/lib/uml/r/linux");
	/* No AMX: every kernel runs. */
	assert_int_equal(kfacts_fit(&old, 2696, &g, err, sizeof(err)), 0);
	assert_int_equal(kfacts_fit(&old, 832, &g, err, sizeof(err)), 0);
	assert_int_equal(kfacts_fit(&old, 0, &g, err, sizeof(err)), 0);
	/* AMX: only 6.13 and later. */
	assert_int_equal(kfacts_fit(&old, 11008, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "KERNEL=\"/var/lib/uml/r/linux\": Linux 6.1.176 "
	    "cannot run guests on this host: its XSAVE area is 11008 bytes "
	    "(AMX or larger), UML before 6.13 handles at most 2696 and every "
	    "guest program dies (\"ptrace set fp regs failed, errno = 14\"); "
	    "build a kernel with `make kernel' or install a UML kernel >= 6.13 "
	    "(KERNEL_CHECK=\"no\" overrides this check)");
	assert_int_equal(kfacts_fit(&v612, 2697, &g, err, sizeof(err)), -1);
	assert_int_equal(kfacts_fit(&v613, 11008, &g, err, sizeof(err)), 0);
	assert_int_equal(kfacts_fit(&v72, 11008, &g, err, sizeof(err)), 0);
}

static void
test_fit_net(void **state)
{
	struct kfacts v61 = facts("6.1.176", 6, 1, true, true);
	struct kfacts v72 = facts("7.2.13", 7, 2, true, false);
	struct kfacts novec = facts("7.2.13", 7, 2, false, false);
	struct kfacts oldnovec = facts("6.1.1", 6, 1, false, true);

	(void)state;
	memset(&g, 0, sizeof(g));
	strcpy(g.kernel, "/k");
	g.transport = TRANSPORT_TUNTAP;
	/* No NIC: the transport does not matter. */
	assert_int_equal(kfacts_fit(&v72, 0, &g, err, sizeof(err)), 0);
	g.nnic = 1;
	assert_int_equal(kfacts_fit(&v61, 0, &g, err, sizeof(err)), 0);
	assert_int_equal(kfacts_fit(&v72, 0, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "NET_TRANSPORT=\"tuntap\": KERNEL=\"/k\" (Linux "
	    "7.2.13) has no legacy network transports (removed in 6.16, or not "
	    "built in); the guest would boot with no NIC: use "
	    "NET_TRANSPORT=\"vector\"");
	g.transport = TRANSPORT_VECTOR;
	assert_int_equal(kfacts_fit(&v72, 0, &g, err, sizeof(err)), 0);
	assert_int_equal(kfacts_fit(&novec, 0, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "NET_TRANSPORT=\"vector\": KERNEL=\"/k\" (Linux "
	    "7.2.13) has no vector network driver (CONFIG_UML_NET_VECTOR); the "
	    "guest would boot with no NIC: build a kernel with `make kernel'");
	assert_int_equal(kfacts_fit(&oldnovec, 0, &g, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "or use NET_TRANSPORT=\"tuntap\""));
	/* A vector driver without transport=fd (before 5.8). */
	g.transport = TRANSPORT_FD;
	assert_int_equal(kfacts_fit(&v72, 0, &g, err, sizeof(err)), 0);
	v72.vector_fd = false;
	assert_int_equal(kfacts_fit(&v72, 0, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "NET_TRANSPORT=\"fd\": KERNEL=\"/k\" (Linux "
	    "7.2.13) has no fd transport in its vector driver (added in 5.8): "
	    "use NET_TRANSPORT=\"vector\", with which the kernel opens its taps "
	    "itself");
}

/* The config text as UML embeds it: one string a line (config.c.in). */
static size_t
config_image(char *buf, size_t len, const char *const *lines)
{
	size_t o, n;

	image(buf, len, "Linux version 7.3.4 (b@h) #1\n");
	for (o = 2000; *lines != NULL; lines++, o += n + 1) {
		n = strlen(*lines);
		memcpy(buf + o, *lines, n);
	}
	return o + 50;
}

static void
test_scan_cpus(void **state)
{
	static const char *const smp16[] = { "#\n", "CONFIG_UML_SMP=y\n",
		"CONFIG_SMP=y\n", "CONFIG_NR_CPUS_DEFAULT=2\n",
		"CONFIG_NR_CPUS=16\n", NULL };
	static const char *const up[] = { "# CONFIG_SMP is not set\n",
		"CONFIG_NR_CPUS_RANGE_END=1\n", "CONFIG_NR_CPUS=1\n", NULL };
	static const char *const fake[] = { "XCONFIG_SMP=y\n",
		"XCONFIG_NR_CPUS=64\n", "CONFIG_NR_CPUS=64", NULL };
	char img[4096];
	struct kfacts k;
	size_t n;

	(void)state;
	n = config_image(img, sizeof(img), smp16);
	assert_int_equal(kfacts_scan(img, n, KF_WANT_CPUS, &k), 0);
	assert_true(k.smp);
	assert_int_equal(k.nr_cpus, 16);
	/* Only when asked. */
	assert_int_equal(kfacts_scan(img, n, KF_WANT_VECTOR, &k), 0);
	assert_false(k.smp);
	assert_int_equal(k.nr_cpus, 0);
	n = config_image(img, sizeof(img), up);
	assert_int_equal(kfacts_scan(img, n, KF_WANT_CPUS, &k), 0);
	assert_false(k.smp);
	assert_int_equal(k.nr_cpus, 1);
	/* Not at a line's start, or no newline after the number: not it. */
	n = config_image(img, sizeof(img), fake);
	assert_int_equal(kfacts_scan(img, n, KF_WANT_CPUS, &k), 0);
	assert_false(k.smp);
	assert_int_equal(k.nr_cpus, 0);
}

static void
test_fit_speed(void **state)
{
	struct kfacts v615 = facts("6.15.2", 6, 15, true, true);
	struct kfacts v616 = facts("6.16.0", 6, 16, true, true);
	struct kfacts v73 = facts("7.3.4", 7, 3, true, true);

	(void)state;
	memset(&g, 0, sizeof(g));
	strcpy(g.kernel, "/k");
	g.cpus = 1;
	/* ptrace, one CPU: any kernel. */
	assert_int_equal(kfacts_fit(&v615, 0, &g, err, sizeof(err)), 0);
	g.userspace = USERSPACE_SECCOMP;
	assert_int_equal(kfacts_fit(&v615, 0, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "USERSPACE=\"seccomp\": KERNEL=\"/k\" (Linux "
	    "6.15.2) has no seccomp userspace (added in 6.16): build a kernel "
	    "with `make kernel' or use USERSPACE=\"ptrace\"");
	assert_false(kfacts_seccomp(&v615));
	assert_true(kfacts_seccomp(&v616));
	assert_int_equal(kfacts_fit(&v616, 0, &g, err, sizeof(err)), 0);
	/* Two CPUs: SMP, and NR_CPUS large enough. */
	g.cpus = 2;
	assert_int_equal(kfacts_fit(&v73, 0, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "CPUS=\"2\": KERNEL=\"/k\" (Linux 7.3.4) was "
	    "built without SMP (CONFIG_SMP, 6.19 on): use a kernel with SMP or "
	    "set CPUS=\"1\"");
	v73.smp = true;
	v73.nr_cpus = 1;
	assert_int_equal(kfacts_fit(&v73, 0, &g, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "without SMP"));
	v73.nr_cpus = 8;
	assert_int_equal(kfacts_fit(&v73, 0, &g, err, sizeof(err)), 0);
	g.cpus = 8;
	assert_int_equal(kfacts_fit(&v73, 0, &g, err, sizeof(err)), 0);
	g.cpus = 9;
	assert_int_equal(kfacts_fit(&v73, 0, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "CPUS=\"9\": KERNEL=\"/k\" (Linux 7.3.4) runs "
	    "at most 8 CPUs (CONFIG_NR_CPUS) and would start that many without "
	    "a word: set CPUS to 8 or less");
}

static void
test_yama(void **state)
{
	(void)state;
	memset(&g, 0, sizeof(g));
	g.userspace = USERSPACE_PTRACE;
	assert_int_equal(kfacts_yama_fit(0, &g, err, sizeof(err)), 0);
	assert_int_equal(kfacts_yama_fit(1, &g, err, sizeof(err)), 0);
	assert_int_equal(kfacts_yama_fit(2, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "USERSPACE=\"ptrace\": this host's Yama "
	    "ptrace_scope is 2, which forbids USER's kernel to ptrace its "
	    "guest's processes, and the guest could not boot: choose "
	    "USERSPACE=\"seccomp\" (a kernel >= 6.16; read uml(8) on what it "
	    "costs) or set kernel.yama.ptrace_scope to 1");
	assert_int_equal(kfacts_yama_fit(3, &g, err, sizeof(err)), -1);
	assert_null(strstr(err, "set kernel.yama"));
	assert_non_null(strstr(err, "choose USERSPACE=\"seccomp\""));
	g.userspace = USERSPACE_SECCOMP;
	assert_int_equal(kfacts_yama_fit(3, &g, err, sizeof(err)), 0);
}

static void
test_nic_error(void **state)
{
	(void)state;
	/* Lines of 6.1 and 7.2 (vector_user.c, vector_kern.c, tuntap). */
	assert_true(kfacts_nic_error("uml_tap: failed to create tun interface: -1"));
	assert_true(kfacts_nic_error("fd open: bad or missing fd argument"));
	assert_true(kfacts_nic_error("uml-vector uml-vector.0 vec0: vector_open: "
	    "failed to get rx irq(-9)"));
	assert_true(kfacts_nic_error("TUNSETIFF failed, errno = 1"));
	assert_false(kfacts_nic_error("uml-vector uml-vector.0 vec0: tap: using "
	    "vnet headers for tso and tx/rx checksum"));
	assert_false(kfacts_nic_error("guest: up"));
	assert_false(kfacts_nic_error("MAC vec0 52:54:00:12:34:56"));
	assert_false(kfacts_nic_error(""));
}

static void
test_halting(void **state)
{
	(void)state;
	/* kernel/reboot.c, 6.1 and 7.3; with printk.time's prefix too. */
	assert_true(kfacts_halting("reboot: System halted"));
	assert_true(kfacts_halting("[   12.345678] reboot: Power down"));
	assert_false(kfacts_halting("reboot: Restarting system"));
	assert_false(kfacts_halting("Kernel panic - not syncing: Attempted to "
	    "kill init! exitcode=0x00000009"));
	assert_false(kfacts_halting("System halted"));
	assert_false(kfacts_halting(""));
	assert_true(kfacts_panic_line("Kernel panic - not syncing: Kernel mode "
	    "fault at addr 0x7ffffffff000, ip 0x6002fb78"));
	assert_true(kfacts_panic_line("fakekernel: Kernel panic - not syncing: "
	    "fake panic"));
	assert_false(kfacts_panic_line("reboot: System halted"));
	assert_false(kfacts_panic_line(""));
}

static void
test_cause(void **state)
{
	(void)state;
	assert_null(kfacts_cause(""));
	assert_null(kfacts_cause("Kernel panic - not syncing: fake panic\n"));
	assert_non_null(strstr(kfacts_cause("Run /sbin/init\nuserspace - ptrace "
	    "set fp regs failed, errno = 14\nKernel panic - not syncing: "
	    "Attempted to kill init! exitcode=0x0000000b\n"), "make kernel"));
	assert_non_null(strstr(kfacts_cause("Out of memory and no killable "
	    "processes...\n"), "raise MEMORY"));
	assert_non_null(strstr(kfacts_cause("Kernel panic - not syncing: No "
	    "working init found.  Try passing init= option\n"), "/sbin/init"));
	assert_non_null(strstr(kfacts_cause("Kernel panic - not syncing: VFS: "
	    "Unable to mount root fs on unknown-block(98,0)\n"), "ROOT"));
	/* A locked disk leads to an unmountable root: the lock is the cause. */
	assert_non_null(strstr(kfacts_cause("F_SETLK failed, file already "
	    "locked by pid 1234\nFailed to open '/g/root.loop', errno = 11\n"
	    "Kernel panic - not syncing: VFS: Unable to mount root fs on "
	    "unknown-block(98,0)\n"), "locked by another process"));
	assert_null(strstr(kfacts_cause("F_SETLK failed, file already locked "
	    "by pid 1\nVFS: Unable to mount root fs\n"), "ext2"));
	assert_non_null(strstr(kfacts_cause("Checking PROT_EXEC mmap in "
	    "/dev/shm...failed\n/dev/shm/ must be not mounted noexec\n"),
	    "MEMORY_DIR"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_scan_skips_format_strings),
		cmocka_unit_test(test_scan_refuses),
		cmocka_unit_test(test_hostfs),
		cmocka_unit_test(test_fit_xsave),
		cmocka_unit_test(test_fit_net),
		cmocka_unit_test(test_scan_cpus),
		cmocka_unit_test(test_fit_speed),
		cmocka_unit_test(test_yama),
		cmocka_unit_test(test_nic_error),
		cmocka_unit_test(test_halting),
		cmocka_unit_test(test_cause),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
