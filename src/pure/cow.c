/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cow.c: UML's COW file header (see cow.h).  Pure.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chars.h"
#include "cow.h"

/* Offsets of the fields, from the packed structs of cow_user.c. */
#define V1_PATH		8	/* v1, v2: then mtime 4, size 8, sectorsize */
#define V3_MTIME	8
#define V3_SIZE		12
#define V3_PATH		32
#define V3_LEN		(V3_PATH + COW_PATH_MAX)	/* COW_V3_LEN */
/* The broken v3 (used until 2005): a 64-bit mtime, natural alignment. */
#define V3B_MTIME	8
#define V3B_SIZE	16
#define V3B_PATH	36
#define V3B_LEN		4136	/* sizeof, padded to 8 */

static uint64_t
be(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Host order, as version 1 wrote it (x86: little-endian). */
static int
take_path(struct cow_header *h, const unsigned char *p, size_t room)
{
	size_t n = strnlen((const char *)p, room);

	if (n == room || n >= sizeof(h->backing))
		return -2;
	memcpy(h->backing, p, n);
	h->backing[n] = '\0';
	return 0;
}

/* Versions 1 and 2: the path (room bytes) first, then mtime and size;
 * version 1 in host order, 2 big-endian. */
static int
v12(const unsigned char *b, size_t len, struct cow_header *h, size_t room,
    uint64_t (*num)(const unsigned char *, size_t))
{
	size_t t = V1_PATH + room;

	if (len < t + 4 + 8 + 4)
		return -2;
	h->mtime = (uint32_t)num(b + t, 4);
	h->size = num(b + t + 4, 8);
	return take_path(h, b + V1_PATH, room);
}

/* The kernel tells the two v3 layouts apart by the first 4 path bytes. */
static int
v3(const unsigned char *b, size_t len, struct cow_header *h)
{
	static const unsigned char zero[4];

	if (len >= V3_PATH + 4 && memcmp(b + V3_PATH, zero, 4) != 0) {
		if (len < V3_LEN)
			return -2;
		h->mtime = (uint32_t)be(b + V3_MTIME, 4);
		h->size = be(b + V3_SIZE, 8);
		return take_path(h, b + V3_PATH, COW_PATH_MAX);
	}
	if (len < V3B_LEN)
		return -2;
	/* The kernel takes be32toh() of the 64-bit field's first 4 bytes. */
	h->mtime = (uint32_t)be(b + V3B_MTIME, 4);
	h->size = be(b + V3B_SIZE, 8);
	return take_path(h, b + V3B_PATH, COW_PATH_MAX);
}

int
cow_decode(const unsigned char *buf, size_t len, struct cow_header *h)
{
	uint64_t ver;

	memset(h, 0, sizeof(*h));
	if (len < 8)
		return -1;
	if (be(buf, 4) == COW_MAGIC)
		ver = be(buf + 4, 4);
	else if (ch_le(buf, 4) == COW_MAGIC)
		ver = ch_le(buf + 4, 4);
	else
		return -1;
	h->version = ver <= 3 ? (unsigned)ver : 0;
	switch (ver) {
	case 1:
		return v12(buf, len, h, 256, ch_le);
	case 2:
		return v12(buf, len, h, COW_PATH_MAX, be);
	case 3:
		return v3(buf, len, h);
	default:
		return -2;
	}
}

/* seconds as "2026-11-30 11:30:59 UTC" */
static void
when(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%lld s", (long long)t);
}

int
cow_matches(const struct cow_header *h, uint64_t size, int64_t mtime,
    char *why, size_t whylen)
{
	char now[40], then[40];

	if (h->size != size) {
		snprintf(why, whylen, "its size is %llu bytes, was %llu",
		    (unsigned long long)size, (unsigned long long)h->size);
		return 0;
	}
	if ((int64_t)h->mtime != mtime) {
		when(mtime, now, sizeof(now));
		when((int64_t)h->mtime, then, sizeof(then));
		snprintf(why, whylen, "modified %s, was %s", now, then);
		return 0;
	}
	return 1;
}

static void
put_be(unsigned char *p, uint64_t v, size_t n)
{
	while (n-- > 0) {
		p[n] = (unsigned char)v;
		v >>= 8;
	}
}

/* cow_sizes() for version 3: where the data starts. */
static uint64_t
data_offset(uint64_t size)
{
	uint64_t bitmap = (size + COW_SECTOR - 1) / COW_SECTOR;
	uint64_t at = (COW_V3_LEN + COW_ALIGN - 1) / COW_ALIGN * COW_ALIGN;

	at += (bitmap + 7) / 8;
	return (at + COW_ALIGN - 1) / COW_ALIGN * COW_ALIGN;
}

int
cow_encode(const char *backing, uint32_t mtime, uint64_t size,
    unsigned char buf[COW_V3_LEN], uint64_t *filelen)
{
	size_t n = strnlen(backing, COW_PATH_MAX);

	if (backing[0] != '/' || n >= COW_PATH_MAX || size > COW_SIZE_MAX)
		return -1;
	memset(buf, 0, COW_V3_LEN);
	put_be(buf, COW_MAGIC, 4);
	put_be(buf + 4, 3, 4);
	put_be(buf + V3_MTIME, mtime, 4);
	put_be(buf + V3_SIZE, size, 8);
	put_be(buf + 20, COW_SECTOR, 4);
	put_be(buf + 24, COW_ALIGN, 4);
	/* cow_format 0 (COW_BITMAP) at 28, then the path. */
	memcpy(buf + V3_PATH, backing, n);
	*filelen = data_offset(size) + size;
	return 0;
}
