/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_cow.c: cow_decode on any bytes (ROOT is USER's file), and
 * cow_matches on what it decodes.
 *
 * Invariants: a decoded header's backing path is NUL-terminated within
 * its buffer and its version is 1, 2 or 3; a refused one says why.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "cow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	return 0;
}
