/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_confine.c: which paths a guest's kernel may reach, with which
 * Landlock rights on each ABI, a kernel's loader, the socket families.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>

#include "confine.h"

static void
guest(struct guest *g)
{
	memset(g, 0, sizeof(*g));
	strcpy(g->name, "a");
	strcpy(g->kernel, "/var/lib/uml/a/linux");
	strcpy(g->root, "/var/lib/uml/a/root.loop");
	g->memdir_own = true;
	strcpy(g->memdir, "/run/uml/a/u");
	g->confine = true;
}

/* The rule for path, or NULL. */
static const struct cf_rule *
rule(const struct cf_plan *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->rule[i].path, path) == 0)
			return &p->rule[i];
	return NULL;
}

static void
test_plain(void **state)
{
	struct guest g;
	struct cf_plan p;

	(void)state;
	guest(&g);
	assert_int_equal(cf_plan(&g, "/run/uml/a/u", NULL, &p), 0);
	assert_int_equal(p.n, 5);
	assert_int_equal(rule(&p, g.root)->kind, CF_RW_FILE);
	assert_false(rule(&p, g.root)->optional);
	assert_int_equal(rule(&p, "/run/uml/a/u")->kind, CF_RW_DIR);
	assert_int_equal(rule(&p, g.kernel)->kind, CF_RX_FILE);
	assert_int_equal(rule(&p, "/proc/cpuinfo")->kind, CF_RO_FILE);
	assert_int_equal(rule(&p, "/dev/random")->kind, CF_RO_FILE);
	/* Not the guest's directory, no loader for a static kernel. */
	assert_null(rule(&p, "/var/lib/uml/a"));
	assert_null(rule(&p, "/etc/ld.so.cache"));
	assert_null(rule(&p, "/dev/net/tun"));
}

static void
test_cow_swap_memdir(void **state)
{
	struct guest g;
	struct cf_plan p;

	(void)state;
	guest(&g);
	strcpy(g.root, "/var/lib/uml/a/root.cow");
	strcpy(g.base, "/srv/base/debian.img");
	strcpy(g.swap, "/var/lib/uml/a/swap.img");
	g.memdir_own = false;
	strcpy(g.memdir, "/dev/shm/uml");
	assert_int_equal(cf_plan(&g, "/run/uml/a/u", NULL, &p), 0);
	/* The COW file (umlctl makes it first): the file, not its
	 * directory, which may hold another guest's image. */
	assert_int_equal(rule(&p, g.root)->kind, CF_RW_FILE);
	assert_null(rule(&p, "/var/lib/uml/a"));
	assert_int_equal(rule(&p, g.swap)->kind, CF_RW_FILE);
	/* The base is shared: read only. */
	assert_int_equal(rule(&p, g.base)->kind, CF_RO_FILE);
	assert_int_equal(rule(&p, "/dev/shm/uml")->kind, CF_RW_DIR);
	assert_int_equal(rule(&p, "/run/uml/a/u")->kind, CF_RW_DIR);
}

static void
test_dynamic_and_tap(void **state)
{
	struct guest g;
	struct cf_plan p;

	(void)state;
	guest(&g);
	g.nnic = 1;
	g.transport = TRANSPORT_FD;
	assert_int_equal(cf_plan(&g, "/run/uml/a/u", "/lib64/ld-linux-x86-64.so.2",
	    &p), 0);
	assert_int_equal(rule(&p, "/lib64/ld-linux-x86-64.so.2")->kind,
	    CF_RX_FILE);
	assert_int_equal(rule(&p, "/etc/ld.so.cache")->kind, CF_RO_FILE);
	assert_true(rule(&p, "/etc/ld.so.cache")->optional);
	assert_int_equal(rule(&p, "/lib/x86_64-linux-gnu")->kind, CF_RO_DIR);
	/* fd transport: root opened the tap, the kernel needs no tun. */
	assert_null(rule(&p, "/dev/net/tun"));
	g.transport = TRANSPORT_VECTOR;
	assert_int_equal(cf_plan(&g, "/run/uml/a/u", NULL, &p), 0);
	assert_int_equal(rule(&p, "/dev/net/tun")->kind, CF_RW_DEV);
	g.nnic = 0;
	assert_int_equal(cf_plan(&g, "/run/uml/a/u", NULL, &p), 0);
	assert_null(rule(&p, "/dev/net/tun"));
}

/* HOSTFS: its tree read and write, no execute, no devices; none without. */
static void
test_hostfs(void **state)
{
	struct guest g;
	struct cf_plan p;
	uint64_t r;

	(void)state;
	guest(&g);
	assert_int_equal(cf_plan(&g, "/run/uml/a/u", NULL, &p), 0);
	assert_null(rule(&p, "/srv/share"));
	strcpy(g.hostfs, "/srv/share");
	assert_int_equal(cf_plan(&g, "/run/uml/a/u", NULL, &p), 0);
	assert_int_equal(rule(&p, "/srv/share")->kind, CF_SHARE_DIR);
	assert_false(rule(&p, "/srv/share")->optional);
	r = cf_rights(CF_SHARE_DIR, 7, true);
	assert_true((r & (CF_FS_EXECUTE | CF_FS_MAKE_CHAR | CF_FS_MAKE_BLOCK |
	    CF_FS_IOCTL_DEV)) == 0);
	assert_true((r & (CF_FS_READ_FILE | CF_FS_WRITE_FILE | CF_FS_READ_DIR |
	    CF_FS_MAKE_REG | CF_FS_MAKE_DIR | CF_FS_MAKE_SYM | CF_FS_REMOVE_FILE |
	    CF_FS_REMOVE_DIR | CF_FS_REFER | CF_FS_TRUNCATE)) == (CF_FS_READ_FILE |
	    CF_FS_WRITE_FILE | CF_FS_READ_DIR | CF_FS_MAKE_REG | CF_FS_MAKE_DIR |
	    CF_FS_MAKE_SYM | CF_FS_REMOVE_FILE | CF_FS_REMOVE_DIR | CF_FS_REFER |
	    CF_FS_TRUNCATE));
	assert_true((cf_rights(CF_SHARE_DIR, 1, true) & ~cf_fs_handled(1)) == 0);
	/* Every rule at once still fits. */
	g.nnic = 1;
	g.transport = TRANSPORT_VECTOR;
	strcpy(g.base, "/srv/base/debian.img");
	strcpy(g.swap, "/var/lib/uml/a/swap.img");
	g.memdir_own = false;
	strcpy(g.memdir, "/dev/shm/uml");
	assert_int_equal(cf_plan(&g, "/run/uml/a/u", "/lib64/ld-linux-x86-64.so.2",
	    &p), 0);
}

static void
test_parent(void **state)
{
	char d[16];

	(void)state;
	assert_int_equal(cf_parent("/a/b/root.cow", d, sizeof(d)), 0);
	assert_string_equal(d, "/a/b");
	assert_int_equal(cf_parent("/root.cow", d, sizeof(d)), 0);
	assert_string_equal(d, "/");
	assert_int_equal(cf_parent("root.cow", d, sizeof(d)), -1);
	assert_int_equal(cf_parent("/0123456789abcdef/x", d, sizeof(d)), -1);
}

static void
test_handled(void **state)
{
	(void)state;
	assert_true(cf_fs_handled(0) == 0);
	assert_true(cf_fs_handled(1) == 0x1fff);
	assert_true(cf_fs_handled(2) == 0x3fff);
	assert_true(cf_fs_handled(3) == 0x7fff);
	assert_true(cf_fs_handled(4) == 0x7fff);
	assert_true(cf_fs_handled(5) == 0xffff);
	assert_true(cf_fs_handled(9) == 0xffff);
	assert_true(cf_net_handled(3) == 0);
	assert_true(cf_net_handled(4) == 3);
	assert_true(cf_scoped(5) == 0);
	assert_true(cf_scoped(6) == 3);
	assert_true(cf_scoped(7) == 3);
}

static void
test_rights(void **state)
{
	(void)state;
	/* Images: read and write, never execute. */
	assert_true(cf_rights(CF_RW_FILE, 7, false) ==
	    (CF_FS_READ_FILE | CF_FS_WRITE_FILE));
	assert_true(cf_rights(CF_RO_FILE, 7, false) == CF_FS_READ_FILE);
	assert_true(cf_rights(CF_RX_FILE, 7, false) ==
	    (CF_FS_READ_FILE | CF_FS_EXECUTE));
	assert_true(cf_rights(CF_RW_DEV, 7, false) ==
	    (CF_FS_READ_FILE | CF_FS_WRITE_FILE | CF_FS_IOCTL_DEV));
	/* On ABI 3 there is no IOCTL_DEV to give (nor to handle). */
	assert_true(cf_rights(CF_RW_DEV, 3, false) ==
	    (CF_FS_READ_FILE | CF_FS_WRITE_FILE));
	/* u/: no execute, no devices, no links out. */
	assert_true((cf_rights(CF_RW_DIR, 7, true) & (CF_FS_EXECUTE |
	    CF_FS_MAKE_CHAR | CF_FS_MAKE_BLOCK | CF_FS_MAKE_SYM |
	    CF_FS_REFER)) == 0);
	assert_true(cf_rights(CF_RW_DIR, 7, true) & CF_FS_MAKE_SOCK);
	assert_true(cf_rights(CF_RW_DIR, 7, true) & CF_FS_TRUNCATE);
	assert_false(cf_rights(CF_RW_DIR, 2, true) & CF_FS_TRUNCATE);
	/* A directory right on a file is refused by Landlock: none kept. */
	assert_true((cf_rights(CF_RW_DIR, 7, false) & ~CF_FS_FILE_RIGHTS) == 0);
	/* Every right given is one the ruleset handles. */
	assert_true((cf_rights(CF_RW_DIR, 1, true) & ~cf_fs_handled(1)) == 0);
}

/* A 64-bit little-endian ELF header with one program header of type. */
static size_t
elf(unsigned char *b, size_t len, uint32_t type, const char *interp)
{
	size_t phoff = 64, off = 64 + 56, n = strlen(interp) + 1;

	memset(b, 0, len);
	memcpy(b, "\177ELF\2\1\1", 7);
	b[32] = (unsigned char)phoff;
	b[54] = 56;
	b[56] = 1;
	b[phoff] = (unsigned char)type;
	b[phoff + 8] = (unsigned char)off;
	b[phoff + 32] = (unsigned char)n;
	memcpy(b + off, interp, n);
	return off + n;
}

static void
test_elf_interp(void **state)
{
	unsigned char b[512];
	char out[64];
	size_t n;

	(void)state;
	n = elf(b, sizeof(b), 3, "/lib64/ld-linux-x86-64.so.2");
	assert_int_equal(cf_elf_interp(b, n, out, sizeof(out)), 1);
	assert_string_equal(out, "/lib64/ld-linux-x86-64.so.2");
	/* No PT_INTERP: static. */
	n = elf(b, sizeof(b), 1, "/lib64/ld-linux-x86-64.so.2");
	assert_int_equal(cf_elf_interp(b, n, out, sizeof(out)), 0);
	/* Cut short, too long for out, relative, not an ELF file. */
	n = elf(b, sizeof(b), 3, "/lib64/ld-linux-x86-64.so.2");
	assert_int_equal(cf_elf_interp(b, n - 1, out, sizeof(out)), -1);
	assert_int_equal(cf_elf_interp(b, n, out, 8), -1);
	n = elf(b, sizeof(b), 3, "ld.so");
	assert_int_equal(cf_elf_interp(b, n, out, sizeof(out)), -1);
	b[0] = 'X';
	assert_int_equal(cf_elf_interp(b, n, out, sizeof(out)), -1);
	assert_int_equal(cf_elf_interp(b, 10, out, sizeof(out)), -1);
}

static void
test_families_describe(void **state)
{
	struct guest g;
	int fam[CF_FAMILIES_MAX];
	char buf[256];

	(void)state;
	guest(&g);
	assert_int_equal(cf_families(&g, fam), 1);
	assert_int_equal(fam[0], AF_UNIX);
	cf_describe(true, 7, &g, buf, sizeof(buf));
	assert_string_equal(buf, "Landlock ABI 7 (files, TCP, scoped signals "
	    "and abstract sockets), sockets AF_UNIX only");
	cf_describe(true, 2, &g, buf, sizeof(buf));
	assert_string_equal(buf, "Landlock ABI 2 (files), sockets AF_UNIX only");
	cf_describe(true, 0, &g, buf, sizeof(buf));
	assert_string_equal(buf, "no Landlock (not on this host), sockets "
	    "AF_UNIX only");
	cf_describe(false, 7, &g, buf, sizeof(buf));
	assert_non_null(strstr(buf, "CONFINE=\"no\""));
	cf_describe(true, 7, &g, buf, 10);
	assert_int_equal(strlen(buf), 9);
	assert_null(cf_shortfall(6));
	assert_non_null(cf_shortfall(0));
	assert_non_null(cf_shortfall(5));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_cow_swap_memdir),
		cmocka_unit_test(test_dynamic_and_tap),
		cmocka_unit_test(test_hostfs),
		cmocka_unit_test(test_parent),
		cmocka_unit_test(test_handled),
		cmocka_unit_test(test_rights),
		cmocka_unit_test(test_elf_interp),
		cmocka_unit_test(test_families_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
