/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_cow.c: cow_decode on any bytes (ROOT is USER's file), and
 * cow_matches on what it decodes.
 *
 * Invariants: a decoded header's backing path is NUL-terminated within
 * its buffer and its version is 1, 2 or 3; a refused one says why.  A
 * header cow_encode writes of what was decoded decodes to the same.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "cow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
round_trip(const struct cow_header *h)
{
	static unsigned char buf[COW_V3_LEN];
	static struct cow_header back;
	uint64_t len;

	if (cow_encode(h->backing, h->mtime, h->size, buf, &len) < 0) {
		assert(h->backing[0] != '/' || h->size > COW_SIZE_MAX);
		return;
	}
	assert(len >= h->size + 2 * COW_ALIGN && len % COW_ALIGN ==
	    h->size % COW_ALIGN);
	assert(cow_decode(buf, sizeof(buf), &back) == 0);
	assert(back.version == 3 && back.mtime == h->mtime &&
	    back.size == h->size && strcmp(back.backing, h->backing) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cow_header h;
	char why[160];
	int r = cow_decode(data, size, &h);

	assert(r == 0 || r == -1 || r == -2);
	if (r != 0)
		return 0;
	assert(h.version >= 1 && h.version <= 3);
	assert(strnlen(h.backing, sizeof(h.backing)) < sizeof(h.backing));
	if (!cow_matches(&h, h.size + 1, h.mtime, why, sizeof(why)))
		assert(strstr(why, "size") != NULL);
	assert(cow_matches(&h, h.size, h.mtime, why, sizeof(why)) == 1);
	round_trip(&h);
	return 0;
}
