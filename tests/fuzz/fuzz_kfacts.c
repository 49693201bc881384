/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_kfacts.c: kfacts_scan on any bytes (a kernel file is USER's) and
 * kfacts_cause on any console text (the guest writes its console).
 *
 * Invariants: a scanned release is non-empty, printable, shorter than
 * KF_RELEASE_MAX and starts with its major number; a refused scan leaves
 * nothing; a cause is one of kfacts' own sentences, never console bytes.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kfacts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kfacts k;
	char major[16], *s = malloc(size + 1);
	const char *c;
	size_t i;

	assert(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	if (kfacts_scan(s, size, size & 1 ? KF_WANT_ALL : KF_WANT_VECTOR, &k) == 0) {
		assert(k.release[0] != '\0');
		assert(strlen(k.release) < KF_RELEASE_MAX);
		for (i = 0; k.release[i]; i++)
			assert(k.release[i] > ' ' && k.release[i] < 127);
		snprintf(major, sizeof(major), "%u.", k.major);
		assert(strncmp(k.release, major, strlen(major)) == 0);
	} else {
		assert(k.release[0] == '\0' && !k.vector && !k.legacy_net);
	}
	if ((c = kfacts_cause(s)) != NULL)
		assert(strstr(c, "MEMORY") || strstr(c, "ROOT") ||
		    strstr(c, "KERNEL") || strstr(c, "init"));
	free(s);
	return 0;
}
