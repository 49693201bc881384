/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_size.c: parse_size_kib, parse_seconds, parse_count, parse_bool.
 *
 * Invariants: an accepted size is within [MEM_MIN_KIB, MEM_MAX_KIB] and
 * is exactly what its digits and unit say (recomputed here with 128-bit
 * arithmetic); accepted numbers are within their bounds and spelled
 * canonically; every refusal has a printable reason.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
assert_reason(const char *err)
{
	assert(*err != '\0');
	for (; *err != '\0'; err++)
		assert(*err >= 0x20 && *err < 0x7f);
}

/* The size s denotes, by a different route: 0 if not canonical. */
static unsigned __int128
expected_kib(const char *s)
{
	unsigned __int128 v = 0;
	size_t i;

	if (s[0] < '1' || s[0] > '9')
		return 0;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > ((unsigned __int128)1 << 80))
			return 0;	/* far beyond any limit */
	}
	if (strcmp(s + i, "K") == 0 || strcmp(s + i, "KB") == 0)
		return v;
	if (strcmp(s + i, "M") == 0 || strcmp(s + i, "MB") == 0)
		return v * 1024;
	if (strcmp(s + i, "G") == 0 || strcmp(s + i, "GB") == 0)
		return v * 1024 * 1024;
	return 0;
}

static void
check_size(const char *s)
{
	char err[256] = "";
	uint64_t kib = 7;
	unsigned __int128 want = expected_kib(s);

	if (parse_size_kib(s, &kib, err, sizeof(err)) == 0) {
		assert(kib >= MEM_MIN_KIB && kib <= MEM_MAX_KIB);
		assert(want == kib);
	} else {
		assert(kib == 7);
		assert(want < MEM_MIN_KIB || want > MEM_MAX_KIB);
		assert_reason(err);
	}
}

static void
check_numbers(const char *s)
{
	char err[256] = "";
	unsigned v = 12345;
	bool b;

	if (parse_seconds(s, TIMEOUT_MAX, &v, err, sizeof(err)) == 0) {
		assert(v >= 1 && v <= TIMEOUT_MAX);
		assert(s[0] != '0' && strtoul(s, NULL, 10) == v);
		assert(strspn(s, "0123456789") == strlen(s));
	} else {
		assert_reason(err);
	}
	if (parse_count(s, 1000, &v, err, sizeof(err)) == 0) {
		assert(v <= 1000 && strspn(s, "0123456789") == strlen(s));
		assert(strtoul(s, NULL, 10) == v);
	} else {
		assert_reason(err);
	}
	if (parse_bool(s, &b, err, sizeof(err)) < 0)
		assert_reason(err);
	else
		assert(strlen(s) <= 5);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	assert(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	check_size(s);
	check_numbers(s);
	free(s);
	return 0;
}
