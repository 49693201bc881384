/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_elfinterp.c: cf_elf_interp on any bytes (the first page of a kernel
 * file, which the kernel child reads as USER before its Landlock domain).
 *
 * Invariants: a loader found is an absolute path, NUL-terminated inside
 * the buffer given, of at most its size; nothing is written otherwise.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "confine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[64];
	int r;

	memset(out, 'x', sizeof(out));
	r = cf_elf_interp(data, size, out, size % sizeof(out) + 1);
	assert(r >= -1 && r <= 1);
	if (r == 1) {
		assert(out[0] == '/');
		assert(memchr(out, '\0', size % sizeof(out) + 1) != NULL);
	} else
		assert(out[0] == 'x');
	return 0;
}
