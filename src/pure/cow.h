/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cow.h: UML's copy-on-write (COW) file header.  Pure.
 *
 * A guest with BASE runs ubd0=ROOT,BASE: ROOT is a COW file whose header
 * names its backing file (BASE) with the size and mtime BASE had when the
 * COW file was made.  The kernel refuses to boot when they differ
 * (backing_file_mismatch() in arch/um/drivers/ubd_kern.c); umlctl reads the
 * header first to say so before starting.  Layout: read_cow_header() in
 * arch/um/drivers/cow_user.c, versions 1, 2, 3 and the "broken" 64-bit
 * version 3; every number big-endian, except version 1 (host order).
 */
#ifndef UMLCTL_COW_H
#define UMLCTL_COW_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define COW_MAGIC	0x4f4f4f4dU	/* "MOOO" */
#define COW_PATH_MAX	4096		/* PATH_LEN_V3, with its NUL */
#define COW_HEADER_MAX	4136		/* the largest header: broken v3 */
#define COW_V3_LEN	4128		/* sizeof(cow_header_v3), packed */
#define COW_SECTOR	512		/* SECTOR_SIZE (ubd_open_dev()) */
#define COW_ALIGN	4096		/* PAGE_SIZE (x86), the same */
/* The largest base: the kernel keeps the data offset in an int
 * (cow_sizes()), a bitmap bit a sector; about 8 TiB. */
#define COW_SIZE_MAX	(((uint64_t)INT_MAX - 3 * COW_ALIGN) * 8 * COW_SECTOR)

struct cow_header {
	unsigned version;		/* 1, 2 or 3 */
	uint32_t mtime;			/* BASE's mtime, seconds (32 bits) */
	uint64_t size;			/* BASE's size, bytes */
	char backing[COW_PATH_MAX];	/* BASE's path as the kernel wrote it */
};

/*
 * Decode the first len bytes of a file.  0 and *h filled; -1 when it is
 * not a COW file (no magic: a plain image), -2 when it has the magic but
 * is malformed (short, unknown version, backing path not terminated).
 */
int cow_decode(const unsigned char *buf, size_t len, struct cow_header *h);

/*
 * Whether h still describes a backing file of size bytes and mtime
 * seconds, as backing_file_mismatch() in ubd_kern.c decides: 1, or 0
 * with what changed in why ("its size is 100 bytes, was 200", ...).
 */
int cow_matches(const struct cow_header *h, uint64_t size, int64_t mtime,
    char *why, size_t whylen);

/*
 * A new COW file's header, as create_cow_file() and init_cow_file() in
 * ubd_kern.c and cow_user.c make it: version 3, big-endian, packed, the
 * backing file's absolute path (absolutize(): its directory's path as
 * getcwd() gives it, a slash, its name), its mtime's low 32 bits and its
 * size, sector size COW_SECTOR, alignment COW_ALIGN, the traditional
 * bitmap.  buf gets COW_V3_LEN bytes (the path NUL-padded; the kernel
 * leaves what malloc gave it after the NUL, which nobody reads); *filelen
 * is the file's length: the bitmap (zero, all sectors from the base) at
 * COW_V3_LEN rounded up to COW_ALIGN, the data after it, aligned, for
 * size bytes.  0, or -1 when the path is not absolute or too long, or
 * the base so large that the kernel's int offsets would overflow.
 */
int cow_encode(const char *backing, uint32_t mtime, uint64_t size,
    unsigned char buf[COW_V3_LEN], uint64_t *filelen);

#endif
