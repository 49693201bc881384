/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_cow.c: UML's COW header (cow.h), against headers laid out as
 * write_cow_header() and the older versions in arch/um/drivers/cow_user.c
 * write them, and the match that backing_file_mismatch() applies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cow.h"

static unsigned char buf[COW_HEADER_MAX + 16];

/* n bytes of v at p, most significant first. */
static void
put_be(unsigned char *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

/* A v3 header as the kernel writes it: big-endian, packed. */
static size_t
v3(const char *path, uint32_t mtime, uint64_t size)
{
	memset(buf, 0, sizeof(buf));
	put_be(buf, COW_MAGIC, 4);
	put_be(buf + 4, 3, 4);
	put_be(buf + 8, mtime, 4);
	put_be(buf + 12, size, 8);
	put_be(buf + 20, 512, 4);
	put_be(buf + 24, 4096, 4);
	memcpy(buf + 32, path, strlen(path));
	return 32 + 4096;
}

static void
test_v3(void **state)
{
	struct cow_header h;
	char why[128];

	assert_int_equal(cow_decode(buf, v3("/var/lib/uml/base/d.img",
	    1764500000, 2147483648ULL), &h), 0);
	assert_int_equal(h.version, 3);
	assert_string_equal(h.backing, "/var/lib/uml/base/d.img");
	assert_int_equal(h.mtime, 1764500000);
	assert_int_equal(h.size, 2147483648ULL);
	assert_int_equal(cow_matches(&h, 2147483648ULL, 1764500000, why,
	    sizeof(why)), 1);
	assert_int_equal(cow_matches(&h, 1024, 1764500000, why, sizeof(why)), 0);
	assert_string_equal(why, "its size is 1024 bytes, was 2147483648");
	assert_int_equal(cow_matches(&h, 2147483648ULL, 1764500060, why,
	    sizeof(why)), 0);
	assert_string_equal(why, "modified 2025-11-30 10:54:20 UTC, was "
	    "2025-11-30 10:53:20 UTC");
}

static void
test_not_cow(void **state)
{
	struct cow_header h;

	memset(buf, 0, sizeof(buf));
	assert_int_equal(cow_decode(buf, 4096, &h), -1);	/* ext4 image */
	assert_int_equal(cow_decode(buf, 0, &h), -1);		/* empty */
	memcpy(buf, "MOOO", 4);
	assert_int_equal(cow_decode(buf, 7, &h), -1);		/* too short */
}

static void
test_malformed(void **state)
{
	struct cow_header h;
	size_t n = v3("/b", 1, 2);

	assert_int_equal(cow_decode(buf, n - 1, &h), -2);	/* cut short */
	put_be(buf + 4, 4, 4);
	assert_int_equal(cow_decode(buf, n, &h), -2);		/* version 4 */
	v3("/b", 1, 2);
	memset(buf + 32, 'a', 4096);				/* no NUL */
	assert_int_equal(cow_decode(buf, n, &h), -2);
}

/* Version 1: host order (little-endian here), a 256-byte path first. */
static void
test_v1_v2(void **state)
{
	struct cow_header h;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, "MOOO", 4);		/* COW_MAGIC, little-endian */
	buf[4] = 1;
	memcpy(buf + 8, "/old", 4);
	buf[264] = 7;			/* mtime */
	buf[268] = 9;			/* size */
	assert_int_equal(cow_decode(buf, 8 + 256 + 16, &h), 0);
	assert_int_equal(h.version, 1);
	assert_string_equal(h.backing, "/old");
	assert_int_equal(h.mtime, 7);
	assert_int_equal(h.size, 9);
	memset(buf, 0, sizeof(buf));
	put_be(buf, COW_MAGIC, 4);
	put_be(buf + 4, 2, 4);
	memcpy(buf + 8, "/v2", 3);
	put_be(buf + 8 + 4096, 11, 4);
	put_be(buf + 12 + 4096, 13, 8);
	assert_int_equal(cow_decode(buf, 8 + 4096 + 16, &h), 0);
	assert_int_equal(h.version, 2);
	assert_string_equal(h.backing, "/v2");
	assert_int_equal(h.mtime, 11);
	assert_int_equal(h.size, 13);
}

/* The "broken" v3 (until 2005): a 64-bit mtime, the path at 36; told
 * apart by a v3 path whose first 4 bytes are zero. */
static void
test_v3_broken(void **state)
{
	struct cow_header h;

	memset(buf, 0, sizeof(buf));
	put_be(buf, COW_MAGIC, 4);
	put_be(buf + 4, 3, 4);
	put_be(buf + 8, 0x01020304, 4);	/* what be32toh() of it gives */
	put_be(buf + 16, 4096, 8);
	memcpy(buf + 36, "/broken", 7);
	assert_int_equal(cow_decode(buf, COW_HEADER_MAX, &h), 0);
	assert_int_equal(h.mtime, 0x01020304);
	assert_int_equal(h.size, 4096);
	assert_string_equal(h.backing, "/broken");
	assert_int_equal(cow_decode(buf, COW_HEADER_MAX - 1, &h), -2);
}

/* The header the 7.3.4 and 6.1 kernels wrote for a 10000000-byte base of
 * mtime 0x67760225 (xxd of a COW file each made, the bytes up to the
 * path's NUL; both 10012288 bytes long). */
static void
test_encode_as_kernel(void **state)
{
	static const unsigned char made[] = {
		0x4f, 0x4f, 0x4f, 0x4d, 0x00, 0x00, 0x00, 0x03,
		0x67, 0x76, 0x02, 0x25, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x98, 0x96, 0x80, 0x00, 0x00, 0x02, 0x00,
		0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static unsigned char out[COW_V3_LEN];
	const char *path = "/tmp/s23a-cow/base.img";
	uint64_t len = 0;
	size_t i;

	assert_int_equal(cow_encode(path, 0x67760225, 10000000, out, &len), 0);
	assert_memory_equal(out, made, sizeof(made));
	assert_memory_equal(out + 32, path, strlen(path) + 1);
	for (i = 32 + strlen(path); i < COW_V3_LEN; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(len, 10012288);
	/* One sector: bitmap at 8192, 1 byte; data at 12288. */
	assert_int_equal(cow_encode(path, 0, 512, out, &len), 0);
	assert_int_equal(len, 12288 + 512);
	/* A bitmap of exactly one page (4096 * 8 sectors) ends at 12288;
	 * one more sector needs the next page. */
	assert_int_equal(cow_encode(path, 0, 4096ULL * 8 * 512, out, &len), 0);
	assert_int_equal(len, 12288 + 4096ULL * 8 * 512);
	assert_int_equal(cow_encode(path, 0, 4096ULL * 8 * 512 + 512, out,
	    &len), 0);
	assert_int_equal(len, 16384 + 4096ULL * 8 * 512 + 512);
}

/* What cow_encode writes, cow_decode reads back. */
static void
test_encode_round_trip(void **state)
{
	static char path[COW_PATH_MAX + 1];
	struct cow_header h;
	uint64_t len;

	assert_int_equal(cow_encode("/var/lib/uml/base/d.img", 0xfedcba98,
	    2147483648ULL, buf, &len), 0);
	assert_int_equal(cow_decode(buf, COW_V3_LEN, &h), 0);
	assert_int_equal(h.version, 3);
	assert_int_equal(h.mtime, 0xfedcba98);
	assert_int_equal(h.size, 2147483648ULL);
	assert_string_equal(h.backing, "/var/lib/uml/base/d.img");
	/* The longest path the kernel takes: 4095 bytes and the NUL. */
	memset(path, 'a', COW_PATH_MAX - 1);
	path[0] = '/';
	assert_int_equal(cow_encode(path, 1, 2, buf, &len), 0);
	assert_int_equal(cow_decode(buf, COW_V3_LEN, &h), 0);
	assert_string_equal(h.backing, path);
	path[COW_PATH_MAX - 1] = 'a';
	assert_int_equal(cow_encode(path, 1, 2, buf, &len), -1);
	assert_int_equal(cow_encode("rel/d.img", 1, 2, buf, &len), -1);
	assert_int_equal(cow_encode("", 1, 2, buf, &len), -1);
	/* About 8 TiB: the kernel's int data offset would overflow. */
	assert_int_equal(cow_encode("/b", 1, COW_SIZE_MAX, buf, &len), 0);
	assert_true(len - COW_SIZE_MAX <= (uint64_t)INT_MAX);
	assert_int_equal(cow_encode("/b", 1, COW_SIZE_MAX + 1, buf, &len), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v3),
		cmocka_unit_test(test_not_cow),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_v1_v2),
		cmocka_unit_test(test_v3_broken),
		cmocka_unit_test(test_encode_as_kernel),
		cmocka_unit_test(test_encode_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
