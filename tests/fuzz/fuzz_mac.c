/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_mac.c: parse_mac, format_mac and derive_mac (with and without a
 * host's seed).
 *
 * Invariants: format_mac(parse_mac(x)) == x ignoring case; an accepted
 * MAC is unicast and not all-zero; a derived MAC is locally administered
 * unicast and parse_mac accepts its text; refusals leave mac alone.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char sentinel[6] = { 9, 8, 7, 6, 5, 4 };
	unsigned char mac[6], again[6];
	char err[256] = "", text[18];
	char *s = malloc(size + 1);

	assert(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	memcpy(mac, sentinel, 6);
	if (parse_mac(s, mac, err, sizeof(err)) == 0) {
		format_mac(mac, text);
		assert(strcasecmp(text, s) == 0);
		assert((mac[0] & 1) == 0);
		assert((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) != 0);
	} else {
		assert(err[0] != '\0');
		assert(memcmp(mac, sentinel, 6) == 0);
	}
	/* Any bytes as a guest name and as a host's seed, the length as the
	 * NIC index; no seed is the derivation of before MAC_SEED. */
	derive_mac("", s, (unsigned)size, mac);
	assert((mac[0] & 3) == 2);
	format_mac(mac, text);
	assert(parse_mac(text, again, err, sizeof(err)) == 0);
	assert(memcmp(mac, again, 6) == 0);
	derive_mac(s, "router", (unsigned)size, mac);
	assert((mac[0] & 3) == 2);
	free(s);
	return 0;
}
