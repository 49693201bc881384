/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_mcreply.c: mc_decode_reply on any datagram, mc_encode on any text.
 *
 * Invariants: the decoder reads only the n bytes given (ASan checks: the
 * input buffer is exactly n bytes); a decoded reply's len <= MC_DATA_MAX,
 * its text is NUL-terminated at len and matches the datagram's bytes; a
 * reply whose len exceeds the bytes present is refused.  Escaped for a
 * terminal (ch_escape, as status and mconsole print it), a reply holds no
 * control byte but newline and tab, and no byte above 0x7e.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chars.h"
#include "mcproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_escape(const char *text, size_t n)
{
	static char out[MC_DATA_MAX * 4 + 1], flat[MC_DATA_MAX * 4 + 1];
	size_t i;

	ch_escape(text, n, out, sizeof(out), true);
	ch_escape(text, n, flat, sizeof(flat), false);
	for (i = 0; out[i] != '\0'; i++)
		assert(((unsigned char)out[i] >= 0x20 && (unsigned char)out[i] < 0x7f) ||
		    out[i] == '\n' || out[i] == '\t');
	for (i = 0; flat[i] != '\0'; i++)
		assert((unsigned char)flat[i] >= 0x20 && (unsigned char)flat[i] < 0x7f);
	/* Every byte of the text fits escaped: nothing is cut. */
	assert(strlen(flat) >= strlen(text));
}

static void
check_decode(const uint8_t *data, size_t size)
{
	struct mc_msg m;
	uint32_t len;

	if (mc_decode_reply(data, size, &m) < 0) {
		assert(m.text[0] == '\0' && m.len == 0);
		return;
	}
	assert(size >= MC_REPLY_HDR);
	memcpy(&len, data + 8, 4);
	assert(len <= MC_DATA_MAX && len <= size - MC_REPLY_HDR);
	assert(m.len <= len && m.len <= MC_DATA_MAX);
	assert(m.text[m.len] == '\0' && strlen(m.text) == m.len);
	assert(memcmp(m.text, data + MC_REPLY_HDR, m.len) == 0);
	assert(m.len == len || data[MC_REPLY_HDR + m.len] == '\0');
	check_escape(m.text, m.len);
}

static void
check_encode(const uint8_t *data, size_t size)
{
	struct mc_request req;
	char *s = malloc(size + 1);
	size_t i, n;

	assert(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	n = strlen(s);
	if (mc_encode(s, &req) == 0) {
		assert(n > 0 && n < MC_DATA_MAX && req.len == n);
		assert(req.magic == MC_MAGIC && req.version == MC_VERSION);
		assert(memcmp(req.data, s, n) == 0);
		for (i = n; i < MC_DATA_MAX; i++)
			assert(req.data[i] == '\0');
		for (i = 0; i < n; i++)
			assert((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
	}
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_decode(data, size);
	check_encode(data, size);
	return 0;
}
