/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_runrec.c: outcome_decode and krecord_decode on any text (the
 * records are root's, but a decoder must not trust what it reads).
 *
 * Invariants: a decoded outcome encodes again to text that decodes to the
 * same outcome; its detail holds no newline; a refused one is RS_NONE and
 * empty; a decoded krecord has kpid > 1 and encodes again.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct outcome o, again;
	static char buf[OUTCOME_MAX + 64], kbuf[KRECORD_MAX];
	struct krecord k;
	char *s = malloc(size + 1);

	assert(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	if (outcome_decode(s, &o) == 0) {
		assert(strchr(o.detail, '\n') == NULL);
		assert(outcome_encode(&o, buf, sizeof(buf)) == 0);
		assert(outcome_decode(buf, &again) == 0);
		assert(again.state == o.state);
		assert(strcmp(again.detail, o.detail) == 0);
	} else {
		assert(o.state == RS_NONE && o.detail[0] == '\0');
	}
	if (krecord_decode(s, &k) == 0) {
		assert(k.kpid > 1);
		assert(krecord_encode(&k, kbuf, sizeof(kbuf)) == 0);
	}
	free(s);
	return 0;
}
