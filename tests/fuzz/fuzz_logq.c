/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_logq.c: logq_quote on any console bytes (the guest chooses them),
 * given in two pieces split where the first byte says.
 *
 * Invariants: no line of the output starts with "umlctl:" (only umlctl's
 * own lines may), the output fits LOGQ_OUT, and removing one '>' from every
 * line matching ^>+umlctl: gives back the input.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Undo the quoting in place; the new length. */
static size_t
unquote(char *s, size_t n)
{
	size_t i = 0, o = 0, gt, m = strlen(LOGQ_MARK);

	while (i < n) {
		for (gt = 0; i + gt < n && s[i + gt] == '>'; gt++)
			;
		if (gt > 0 && i + gt + m <= n &&
		    memcmp(s + i + gt, LOGQ_MARK, m) == 0)
			i++;
		while (i < n && s[i] != '\n')
			s[o++] = s[i++];
		if (i < n)
			s[o++] = s[i++];
	}
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logq q = { 0 };
	size_t cut, o, i, m = strlen(LOGQ_MARK);
	char *out;

	if (size == 0)
		return 0;
	cut = data[0] % size;
	data++;
	size--;
	out = malloc(LOGQ_OUT(size) + LOGQ_HOLD + 2);
	assert(out != NULL);
	o = logq_quote(&q, (const char *)data, cut, out);
	assert(o <= LOGQ_OUT(cut));
	o += logq_quote(&q, (const char *)data + cut, size - cut, out + o);
	o += logq_flush(&q, out + o);
	for (i = 0; i < o; i++)
		if (i == 0 || out[i - 1] == '\n')
			assert(o - i < m || memcmp(out + i, LOGQ_MARK, m) != 0);
	o = unquote(out, o);
	/* The flush may have ended the last line. */
	assert(o == size || (o == size + 1 && out[size] == '\n'));
	assert(memcmp(out, data, size) == 0);
	free(out);
	return 0;
}
